"""The SQL tool's curated question bank: templates with slots, catalog slot filling, intent + embedding selection.

A template is fixed SQL with named bind parameters (``:start``, ``:category``...). Optional filters are chosen from
constant fragments (`FILTERS`), never built from values: every value the user supplies travels as a bound parameter.
Before it runs, a rendered template passes the same guard as model-written SQL (tools.sql_guard): each ``:name`` is
swapped for a sentinel string literal, the guard canonicalizes and checks the query and adds the LIMIT, and the
sentinels in its output are swapped back for binds (`guard_template_sql`), so what runs is what was checked.

Slot values come from the tenant's own catalog (`Catalog`, read by the tool under the tenant's RLS session): a store,
product, brand or city that the catalog does not contain is reported as `Unresolved`, never passed on as text.
Selection (`select_template`) scores each template by the cosine similarity of the question to its example questions
(tools.embeddings) plus intent keywords (measure: units/revenue/stock/...; shape: total/by store/top N/change...).
"""

from __future__ import annotations

import re
import threading
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, fields, replace
from datetime import date
from typing import Any

from tools.dates import DateRangeError, Period, parse_period, parse_periods
from tools.sql_guard import DEFAULT_MAX_ROWS, ValidatedSQL, validate_sql

__all__ = [
    "TEMPLATES",
    "Catalog",
    "Extraction",
    "FewShot",
    "Intent",
    "Product",
    "Slots",
    "Store",
    "Template",
    "TemplateMatch",
    "Unresolved",
    "build_sql",
    "detect_intent",
    "extract_slots",
    "few_shot_examples",
    "get_template",
    "guard_template_sql",
    "is_follow_up",
    "merge_slots",
    "resolve_comparison",
    "select_template",
]

DEFAULT_TOP_N = 5
MAX_TOP_N = 100
# The reference day used to render the few-shot examples (so they are stable text).
EXAMPLE_TODAY = date(2026, 11, 15)

# ---------------------------------------------------------------------------------------------------------------
# Slots
# ---------------------------------------------------------------------------------------------------------------

LIST_SLOTS = ("sku", "category", "brand", "keyword", "store", "city", "state", "lens_type", "age_band")
PRODUCT_SLOTS = ("sku", "category", "brand", "keyword")
LOCATION_SLOTS = ("store", "city", "state")
PATIENT_SLOTS = ("lens_type", "age_band", "state")


@dataclass(frozen=True)
class Slots:
    """What a question is about. Lists hold catalog keys (store codes, SKUs, brand names...), never free text."""

    period: Period | None = None
    compare_to: Period | None = None
    sku: tuple[str, ...] = ()
    category: tuple[str, ...] = ()
    brand: tuple[str, ...] = ()
    keyword: tuple[str, ...] = ()  # words of product names ("progressive"), matched with LIKE '%word%'
    store: tuple[str, ...] = ()  # store codes
    city: tuple[str, ...] = ()
    state: tuple[str, ...] = ()
    lens_type: tuple[str, ...] = ()
    age_band: tuple[str, ...] = ()
    top_n: int | None = None

    def filled(self) -> list[str]:
        """Names of the slots that have a value."""
        return [f.name for f in fields(self) if getattr(self, f.name) not in (None, ())]

    def to_dict(self) -> dict[str, Any]:
        """JSON-friendly form (kept in conversation state for follow-ups)."""
        out: dict[str, Any] = {}
        for name in self.filled():
            value = getattr(self, name)
            out[name] = value.to_dict() if isinstance(value, Period) else list(value) if isinstance(value, tuple) \
                else value
        return out

    @classmethod
    def from_dict(cls, data: Mapping[str, Any] | None) -> Slots:
        if not data:
            return cls()
        values: dict[str, Any] = {}
        for name in LIST_SLOTS:
            raw = data.get(name)
            if raw:
                items = [raw] if isinstance(raw, str) else list(raw)
                values[name] = tuple(str(x) for x in items)
        for name in ("period", "compare_to"):
            raw = data.get(name)
            if isinstance(raw, Period):
                values[name] = raw
            elif isinstance(raw, Mapping):
                values[name] = Period.from_dict(dict(raw))
        if data.get("top_n") is not None:
            values["top_n"] = max(1, min(MAX_TOP_N, int(data["top_n"])))
        return cls(**values)


def merge_slots(previous: Slots, new: Slots) -> Slots:
    """Slots of a follow-up turn: what the new question names replaces the same kind of thing, the rest is kept.

    A new time range replaces the old one (and drops an old comparison); a new SKU replaces category, brand and
    keyword; a new category or brand drops an old SKU and keyword; any new store, city or state replaces all three.
    """
    merged = previous
    if new.period is not None:
        merged = replace(merged, period=new.period, compare_to=new.compare_to)
    if new.sku:
        merged = replace(merged, sku=new.sku, category=(), brand=(), keyword=())
    if new.category or new.brand:
        merged = replace(merged, sku=(), keyword=(), category=new.category or merged.category,
                         brand=new.brand or merged.brand)
    if new.keyword:
        merged = replace(merged, sku=(), keyword=new.keyword)
    if new.store or new.city or new.state:
        merged = replace(merged, store=new.store, city=new.city, state=new.state)
    for name in ("lens_type", "age_band"):
        if getattr(new, name):
            merged = replace(merged, **{name: getattr(new, name)})
    if new.top_n is not None:
        merged = replace(merged, top_n=new.top_n)
    return merged


# ---------------------------------------------------------------------------------------------------------------
# Templates
# ---------------------------------------------------------------------------------------------------------------

SALES_FROM = "FROM sales AS f JOIN products AS p ON p.sku = f.sku JOIN stores AS st ON st.store_code = f.store_code"
STOCK_FROM = "FROM stock AS f JOIN products AS p ON p.sku = f.sku JOIN stores AS st ON st.store_code = f.store_code"
REV = "f.quantity * f.unit_price - f.discount"
IN_PERIOD = "f.sold_at >= CAST(:start AS DATE) AND f.sold_at < CAST(:end AS DATE)"
IN_PREVIOUS = "f.sold_at >= CAST(:prev_start AS DATE) AND f.sold_at < CAST(:prev_end AS DATE)"

# Constant filter fragments per table kind: slot -> (group, SQL). Groups let a template place a filter in the right
# part of the query (`{where:product}`); every value is a bind parameter.
_PRODUCT_AND_STORE = {
    "sku": ("product", "p.sku = ANY(CAST(:sku AS TEXT[]))"),
    "category": ("product", "p.category = ANY(CAST(:category AS TEXT[]))"),
    "brand": ("product", "p.brand = ANY(CAST(:brand AS TEXT[]))"),
    "keyword": ("product", "LOWER(p.name) LIKE ANY(CAST(:keyword AS TEXT[]))"),
    "store": ("store", "st.store_code = ANY(CAST(:store AS TEXT[]))"),
    "city": ("store", "st.city = ANY(CAST(:city AS TEXT[]))"),
    "state": ("store", "st.state = ANY(CAST(:state AS TEXT[]))"),
}
FILTERS: dict[str, dict[str, tuple[str, str]]] = {
    "sales": {"period": ("fact", IN_PERIOD), **_PRODUCT_AND_STORE},
    "stock": dict(_PRODUCT_AND_STORE),
    "patients": {
        "lens_type": ("patient", "pt.lens_type = ANY(CAST(:lens_type AS TEXT[]))"),
        "age_band": ("patient", "pt.age_band = ANY(CAST(:age_band AS TEXT[]))"),
        "state": ("patient", "pt.state = ANY(CAST(:state AS TEXT[]))"),
    },
}
_PLACEHOLDER = re.compile(r"\{(where|and)(?::([a-z,]+))?\}")


@dataclass(frozen=True)
class Template:
    """One curated question type.

    `measure` and `shape` are the intent tags that keyword detection matches; `table` picks the filter fragments;
    `period_mode` is "filter" (optional time range), "compare"/"yoy" (two ranges, defaults filled in) or "none"
    (a snapshot: stock, patients). `example_slots` are the slots of `examples[0]` (used to render few-shot SQL).
    """

    id: str
    title: str
    measure: str
    shape: str
    table: str
    sql: str
    examples: tuple[str, ...]
    period_mode: str = "filter"
    example_slots: Mapping[str, Any] = field(default_factory=dict)
    formats: Mapping[str, str] = field(default_factory=dict)
    hidden: tuple[str, ...] = ()

    @property
    def filters(self) -> frozenset[str]:
        names = set(FILTERS[self.table])
        if self.period_mode != "filter":
            names.discard("period")
        return frozenset(names)

    @property
    def uses_period(self) -> bool:
        return self.period_mode != "none"


def _t(id: str, title: str, measure: str, shape: str, table: str, sql: str, examples: Sequence[str], **kw: Any
       ) -> Template:
    return Template(id=id, title=title, measure=measure, shape=shape, table=table, sql=" ".join(sql.split()),
                    examples=tuple(examples), **kw)


def _top_products(order: str) -> str:
    return f"""WITH ranked AS (SELECT p.sku AS sku, p.name AS product, p.category AS category,
        SUM(f.quantity) AS units, SUM({REV}) AS revenue, ROW_NUMBER() OVER (ORDER BY {order}, p.sku) AS rank
        {SALES_FROM} {{where}} GROUP BY p.sku, p.name, p.category)
        SELECT rank, product, sku, category, units, revenue FROM ranked WHERE rank <= CAST(:top_n AS INT)
        ORDER BY rank"""


def _ranked_stores(order: str) -> str:
    return f"""WITH sold AS (SELECT f.store_code AS store_code, SUM(f.quantity) AS units, SUM({REV}) AS revenue
        FROM sales AS f JOIN products AS p ON p.sku = f.sku {{where:fact,product}} GROUP BY f.store_code),
        ranked AS (SELECT st.store_code AS store_code, st.name AS store, st.city AS city,
        COALESCE(s.revenue, 0) AS revenue, COALESCE(s.units, 0) AS units,
        ROW_NUMBER() OVER (ORDER BY {order}, st.store_code) AS rank
        FROM stores AS st LEFT JOIN sold AS s ON s.store_code = st.store_code {{where:store}})
        SELECT rank, store, store_code, city, revenue, units FROM ranked WHERE rank <= CAST(:top_n AS INT)
        ORDER BY rank"""


def _comparison(value: str, name: str) -> str:
    return f"""WITH totals AS (SELECT
        COALESCE(SUM(CASE WHEN {IN_PERIOD} THEN {value} END), 0) AS current_{name},
        COALESCE(SUM(CASE WHEN {IN_PREVIOUS} THEN {value} END), 0) AS previous_{name}
        {SALES_FROM} WHERE (({IN_PERIOD}) OR ({IN_PREVIOUS})) {{and:product,store}})
        SELECT current_{name}, previous_{name}, current_{name} - previous_{name} AS change,
        ROUND(100.0 * (current_{name} - previous_{name}) / NULLIF(previous_{name}, 0), 1) AS change_pct
        FROM totals"""


def _breakdown(select: str, group: str, order: str = "revenue DESC") -> str:
    return f"""SELECT {select}, SUM(f.quantity) AS units, SUM({REV}) AS revenue {SALES_FROM} {{where}}
        GROUP BY {group} ORDER BY {order}"""


TEMPLATES: tuple[Template, ...] = (
    # -- sales totals ----------------------------------------------------------------------------------------------
    _t("units_total", "Units sold", "units", "total", "sales",
       f"SELECT COALESCE(SUM(f.quantity), 0) AS units, COUNT(DISTINCT f.order_id) AS orders {SALES_FROM} {{where}}",
       ["How many frames did we sell in March?", "How many units did we sell last month?",
        "Number of Ray-Ban sunglasses sold this year", "How many contact lenses were sold at the Portland store?"],
       example_slots={"category": ["frames"], "period": "March"}),
    _t("revenue_total", "Revenue", "revenue", "total", "sales",
       f"SELECT COALESCE(SUM({REV}), 0) AS revenue, COALESCE(SUM(f.quantity), 0) AS units {SALES_FROM} {{where}}",
       ["What was our revenue last month?", "How much did we make from lenses in Q1 2025?",
        "Total sales in dollars this year", "Revenue of the Downtown store yesterday"],
       example_slots={"period": "last month"}),
    _t("orders_total", "Orders", "orders", "total", "sales",
       f"""SELECT COUNT(DISTINCT f.order_id) AS orders, COALESCE(SUM(f.quantity), 0) AS units,
       COALESCE(SUM({REV}), 0) AS revenue {SALES_FROM} {{where}}""",
       ["How many orders did we have last week?", "Number of transactions in October",
        "How many orders included sunglasses this year?"],
       example_slots={"period": "last week"}),
    _t("avg_order_value", "Average order value", "aov", "total", "sales",
       f"""WITH per_order AS (SELECT f.order_id AS order_id, SUM({REV}) AS order_revenue {SALES_FROM} {{where}}
       GROUP BY f.order_id) SELECT COUNT(*) AS orders, COALESCE(SUM(order_revenue), 0) AS revenue,
       ROUND(AVG(order_revenue), 2) AS avg_order_value FROM per_order""",
       ["What is our average order value this year?", "Average basket size last month",
        "What was the average sale per order in Q3?"],
       example_slots={"period": "this year"}),
    _t("discount_total", "Discounts given", "discount", "total", "sales",
       f"""SELECT COALESCE(SUM(f.quantity * f.unit_price), 0) AS gross_sales, COALESCE(SUM(f.discount), 0) AS discount,
       ROUND(100.0 * SUM(f.discount) / NULLIF(SUM(f.quantity * f.unit_price), 0), 1) AS discount_pct
       {SALES_FROM} {{where}}""",
       ["How much discount did we give last month?", "Total discounts on frames this year",
        "What share of sales was discounted in 2025?"],
       example_slots={"period": "last month"}),
    # -- breakdowns ------------------------------------------------------------------------------------------------
    _t("sales_by_category", "Sales by category", "sales", "by_category", "sales",
       _breakdown("p.category AS category", "p.category", "revenue DESC, category"),
       ["Sales by category last month", "Revenue per product category in 2025",
        "Which categories sold best this year?", "Break down units by category for March"],
       example_slots={"period": "last month"}),
    _t("sales_by_brand", "Sales by brand", "sales", "by_brand", "sales",
       _breakdown("p.brand AS brand", "p.brand", "revenue DESC, brand"),
       ["Sales by brand this year", "Which frame brands sold the most last quarter?",
        "Revenue per brand for sunglasses in 2025"],
       example_slots={"period": "this year"}),
    _t("sales_by_store", "Sales by store", "sales", "by_store", "sales",
       _breakdown("st.store_code AS store_code, st.name AS store, st.city AS city",
                  "st.store_code, st.name, st.city", "revenue DESC, store_code"),
       ["Sales by store last month", "Revenue per store in Q2 2025", "How did each store do this year?",
        "Frames sold per location in March"],
       example_slots={"period": "last month"}),
    _t("sales_by_city", "Sales by city", "sales", "by_city", "sales",
       _breakdown("st.city AS city, st.state AS state, COUNT(DISTINCT st.store_code) AS stores",
                  "st.city, st.state", "revenue DESC, city"),
       ["Sales by city this year", "Revenue per city last month", "Which cities sell the most lenses?"],
       example_slots={"period": "this year"}),
    _t("sales_by_month", "Sales by month", "sales", "by_month", "sales",
       _breakdown("CAST(DATE_TRUNC('month', f.sold_at) AS DATE) AS month", "1", "month"),
       ["Monthly sales for 2025", "Revenue by month this year", "Show the sales trend over time for sunglasses",
        "Units sold per month in the last 12 months"],
       example_slots={"period": "2025"}),
    _t("sales_by_product", "Sales by product", "sales", "by_product", "sales",
       _breakdown("p.sku AS sku, p.name AS product, p.category AS category, p.brand AS brand",
                  "p.sku, p.name, p.category, p.brand", "revenue DESC, sku"),
       ["Sales by product for Ray-Ban last month", "Revenue per SKU for lenses in Q1",
        "Break down contact lens sales by product this year"],
       example_slots={"brand": ["Ray-Ban"], "period": "last month"}),
    _t("sales_by_weekday", "Sales by day of the week", "sales", "by_weekday", "sales",
       f"""SELECT CAST(EXTRACT(ISODOW FROM f.sold_at) AS INT) AS weekday_no, TO_CHAR(f.sold_at, 'FMDay') AS weekday,
       COUNT(DISTINCT f.order_id) AS orders, SUM(f.quantity) AS units, SUM({REV}) AS revenue {SALES_FROM} {{where}}
       GROUP BY 1, 2 ORDER BY 1""",
       ["Sales by day of the week last month", "Which weekday is busiest?", "Revenue per weekday in 2025"],
       example_slots={"period": "last month"}, hidden=("weekday_no",)),
    # -- top / bottom N --------------------------------------------------------------------------------------------
    _t("top_products_by_units", "Top products by units", "units", "top_products", "sales",
       _top_products("SUM(f.quantity) DESC, SUM(" + REV + ") DESC"),
       ["What were our top 5 best-selling products last month?", "Best selling frames this year",
        "Most popular contact lenses in Q3 by units", "Which products sold the most units in March?"],
       example_slots={"top_n": 5, "period": "last month"}),
    _t("top_products_by_revenue", "Top products by revenue", "revenue", "top_products", "sales",
       _top_products("SUM(" + REV + ") DESC"),
       ["Top 10 products by revenue this year", "Which products brought in the most money last quarter?",
        "Highest grossing sunglasses in 2025"],
       example_slots={"top_n": 10, "period": "this year"}),
    _t("top_stores_by_revenue", "Top stores by revenue", "revenue", "top_stores", "sales",
       _ranked_stores("COALESCE(s.revenue, 0) DESC"),
       ["Which store had the highest revenue last month?", "Top 3 stores by sales this year",
        "Best performing locations in Q2 2025"],
       example_slots={"top_n": 3, "period": "last month"}),
    _t("top_stores_by_units", "Top stores by units", "units", "top_stores", "sales",
       _ranked_stores("COALESCE(s.units, 0) DESC"),
       ["Which store sold the most frames in March?", "Top 5 stores by units sold this year",
        "Which location sold the most contact lenses last month?"],
       example_slots={"top_n": 1, "category": ["frames"], "period": "March"}),
    _t("bottom_products_by_units", "Slowest-selling products", "sales", "bottom_products", "sales",
       f"""WITH sold AS (SELECT f.sku AS sku, SUM(f.quantity) AS units, SUM({REV}) AS revenue
       FROM sales AS f JOIN stores AS st ON st.store_code = f.store_code {{where:fact,store}} GROUP BY f.sku),
       ranked AS (SELECT p.sku AS sku, p.name AS product, p.category AS category, COALESCE(s.units, 0) AS units,
       COALESCE(s.revenue, 0) AS revenue,
       ROW_NUMBER() OVER (ORDER BY COALESCE(s.units, 0), COALESCE(s.revenue, 0), p.sku) AS rank
       FROM products AS p LEFT JOIN sold AS s ON s.sku = p.sku {{where:product}})
       SELECT rank, product, sku, category, units, revenue FROM ranked WHERE rank <= CAST(:top_n AS INT)
       ORDER BY rank""",
       ["What are our slowest selling products this year?", "Worst 5 selling frames last quarter",
        "Which products sold the least in 2025?"],
       example_slots={"period": "this year"}),
    _t("bottom_stores_by_revenue", "Lowest-revenue stores", "sales", "bottom_stores", "sales",
       _ranked_stores("COALESCE(s.revenue, 0)"),
       ["Which store had the lowest revenue last month?", "Worst performing stores this year",
        "Bottom 3 locations by sales in Q1"],
       example_slots={"top_n": 1, "period": "last month"}),
    # -- period over period ----------------------------------------------------------------------------------------
    _t("revenue_change", "Revenue change vs the previous period", "revenue", "change", "sales",
       _comparison(REV, "revenue"),
       ["How did revenue this month compare to last month?", "Revenue in October vs September",
        "Did sales grow last quarter compared to the quarter before?", "Revenue change month over month"],
       period_mode="compare", example_slots={"period": "October"}, formats={"change": "money"}),
    _t("units_change", "Units change vs the previous period", "units", "change", "sales",
       _comparison("f.quantity", "units"),
       ["How many more frames did we sell this month than last month?", "Units sold in March vs February",
        "Did unit sales go up or down last month?"],
       period_mode="compare", example_slots={"period": "March", "category": ["frames"]}, formats={"change": "int"}),
    _t("revenue_yoy", "Revenue year over year", "revenue", "yoy", "sales",
       _comparison(REV, "revenue"),
       ["Revenue this month vs the same month last year", "How did Q3 revenue compare year over year?",
        "Year-over-year sales growth for 2026 to date"],
       period_mode="yoy", example_slots={"period": "Q3"}, formats={"change": "money"}),
    _t("units_yoy", "Units year over year", "units", "yoy", "sales",
       _comparison("f.quantity", "units"),
       ["How many more lenses did we sell in October than a year ago?", "Units sold year over year for March",
        "Unit sales growth versus last year for sunglasses"],
       period_mode="yoy", example_slots={"period": "October", "category": ["lenses"]}, formats={"change": "int"}),
    # -- stock -----------------------------------------------------------------------------------------------------
    _t("stock_on_hand_total", "Stock on hand", "stock", "total", "stock",
       f"""SELECT COALESCE(SUM(f.on_hand), 0) AS on_hand, COUNT(*) AS items,
       COUNT(*) FILTER (WHERE f.on_hand < f.reorder_point) AS below_reorder, MAX(f.as_of) AS as_of
       {STOCK_FROM} {{where}}""",
       ["How many frames do we have in stock?", "What is our inventory of Ray-Ban sunglasses?",
        "Units on hand at the Portland store"],
       period_mode="none", example_slots={"category": ["frames"]}),
    _t("stock_by_store", "Stock on hand by store", "stock", "by_store", "stock",
       f"""SELECT st.store_code AS store_code, st.name AS store, st.city AS city, SUM(f.on_hand) AS on_hand,
       COUNT(*) FILTER (WHERE f.on_hand < f.reorder_point) AS below_reorder, MAX(f.as_of) AS as_of
       {STOCK_FROM} {{where}} GROUP BY st.store_code, st.name, st.city ORDER BY on_hand DESC, store_code""",
       ["Stock on hand by store", "How much contact lens inventory does each store have?",
        "Inventory per location for frames"],
       period_mode="none"),
    _t("stock_by_product", "Stock on hand by product", "stock", "by_product", "stock",
       f"""SELECT p.sku AS sku, p.name AS product, p.category AS category, SUM(f.on_hand) AS on_hand,
       COUNT(*) FILTER (WHERE f.on_hand < f.reorder_point) AS stores_below_reorder, MAX(f.as_of) AS as_of
       {STOCK_FROM} {{where}} GROUP BY p.sku, p.name, p.category ORDER BY on_hand DESC, sku""",
       ["Stock on hand by product", "How many of each frame do we have in stock?",
        "Inventory per SKU at the Downtown store"],
       period_mode="none", example_slots={"category": ["frames"]}),
    _t("below_reorder_point", "Items below their reorder point", "reorder", "list", "stock",
       f"""SELECT st.store_code AS store_code, st.name AS store, p.sku AS sku, p.name AS product, f.on_hand AS on_hand,
       f.reorder_point AS reorder_point, f.reorder_point - f.on_hand AS shortfall, COUNT(*) OVER () AS total_items
       {STOCK_FROM} WHERE f.on_hand < f.reorder_point {{and}} ORDER BY shortfall DESC, store_code, sku""",
       ["Which items are below their reorder point?", "What do we need to reorder at the Portland store?",
        "Which frames are running low?", "Products that need restocking"],
       period_mode="none", hidden=("total_items",)),
    _t("below_reorder_by_store", "Items below reorder point, per store", "reorder", "by_store", "stock",
       f"""SELECT st.store_code AS store_code, st.name AS store, COUNT(*) AS items_below,
       SUM(f.reorder_point - f.on_hand) AS units_short {STOCK_FROM} WHERE f.on_hand < f.reorder_point {{and}}
       GROUP BY st.store_code, st.name ORDER BY items_below DESC, store_code""",
       ["How many items are below reorder point at each store?", "Which store has the most items to reorder?",
        "Low stock count per location"],
       period_mode="none"),
    # -- patients --------------------------------------------------------------------------------------------------
    _t("patients_total", "Patient count", "patients", "total", "patients",
       "SELECT COUNT(*) AS patients FROM patients AS pt {where}",
       ["How many patients do we have?", "How many patients wear progressive lenses?",
        "Number of patients aged 40-49"],
       period_mode="none", example_slots={"lens_type": ["progressive"]}),
    _t("patients_by_age_band", "Patients by age band", "patients", "by_age_band", "patients",
       """SELECT pt.age_band AS age_band, COUNT(*) AS patients,
       ROUND(100.0 * COUNT(*) / SUM(COUNT(*)) OVER (), 1) AS share_pct FROM patients AS pt {where}
       GROUP BY pt.age_band ORDER BY LPAD(SPLIT_PART(pt.age_band, '-', 1), 3, '0')""",
       ["How many patients do we have in each age band?", "Patients by age group",
        "Age distribution of our progressive lens wearers"],
       period_mode="none"),
    _t("patients_by_lens_type", "Patients by lens type", "patients", "by_lens_type", "patients",
       """SELECT pt.lens_type AS lens_type, COUNT(*) AS patients,
       ROUND(100.0 * COUNT(*) / SUM(COUNT(*)) OVER (), 1) AS share_pct FROM patients AS pt {where}
       GROUP BY pt.lens_type ORDER BY patients DESC, lens_type""",
       ["Patients by lens type", "What lens types do our patients wear?",
        "Lens type mix for patients in their 50s"],
       period_mode="none", example_slots={"age_band": ["50-59"]}),
)

_BY_ID = {t.id: t for t in TEMPLATES}
assert len(_BY_ID) == len(TEMPLATES), "duplicate template id"


def get_template(template_id: str) -> Template:
    try:
        return _BY_ID[template_id]
    except KeyError:
        raise KeyError(f"unknown SQL template {template_id!r}") from None


# ---------------------------------------------------------------------------------------------------------------
# Rendering and guarding
# ---------------------------------------------------------------------------------------------------------------


def _like_pattern(word: str) -> str:
    escaped = word.lower().replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


def build_sql(template: Template, slots: Slots) -> tuple[str, dict[str, Any]]:
    """The template's SQL with the filter fragments for `slots`, and the bind parameters. Values never enter SQL."""
    available = FILTERS[template.table]
    applied: dict[str, tuple[str, str]] = {}
    params: dict[str, Any] = {}
    for name in template.filters:
        if name == "period":
            if slots.period is not None:
                applied[name] = available[name]
                params.update(start=slots.period.start, end=slots.period.end)
            continue
        values = getattr(slots, name)
        if values:
            applied[name] = available[name]
            params[name] = [_like_pattern(v) for v in values] if name == "keyword" else list(values)
    if template.period_mode in ("compare", "yoy"):
        if slots.period is None or slots.compare_to is None:
            raise ValueError(f"template {template.id} needs a period and a comparison period")
        params.update(start=slots.period.start, end=slots.period.end, prev_start=slots.compare_to.start,
                      prev_end=slots.compare_to.end)
    if ":top_n" in template.sql:
        params["top_n"] = slots.top_n or DEFAULT_TOP_N

    order = list(FILTERS[template.table])

    def fill(match: re.Match[str]) -> str:
        groups = set(match.group(2).split(",")) if match.group(2) else None
        parts = [applied[n][1] for n in order if n in applied and (groups is None or applied[n][0] in groups)]
        if not parts:
            return ""
        return ("WHERE " if match.group(1) == "where" else "AND ") + " AND ".join(parts)

    sql = " ".join(_PLACEHOLDER.sub(fill, template.sql).split())
    return sql, params


_BIND = re.compile(r"(?<![:\w]):([a-z_][a-z0-9_]*)")
_SENTINEL = re.compile(r"'__slot_([a-z0-9_]+?)__'")


def guard_template_sql(sql: str, *, max_rows: int = DEFAULT_MAX_ROWS) -> tuple[str, ValidatedSQL]:
    """Pass template SQL (with ``:name`` binds) through the SQL guard; return the runnable text and the check result.

    Binds become sentinel literals for the check; in the guard's canonical output they become binds again, and any
    other colon is escaped, so SQLAlchemy's ``text()`` binds exactly the parameters the template declared.
    """
    probe = _BIND.sub(lambda m: f"'__slot_{m.group(1)}__'", sql)
    checked = validate_sql(probe, max_rows=max_rows)
    runnable = _SENTINEL.sub(lambda m: f":{m.group(1)}", checked.sql.replace(":", "\\:"))
    return runnable, checked


def display_sql(runnable: str) -> str:
    """The SQL as shown to the user (the runnable text without SQLAlchemy's colon escapes)."""
    return runnable.replace("\\:", ":")


def literal_sql(template: Template, slots: Slots, *, max_rows: int = DEFAULT_MAX_ROWS) -> str:
    """The template with example values written in as literals: only for few-shot prompts, never executed as is."""
    sql, params = build_sql(template, slots)
    _, checked = guard_template_sql(sql, max_rows=max_rows)

    def lit(value: Any) -> str:
        if isinstance(value, list):
            return "ARRAY[" + ", ".join(lit(v) for v in value) + "]"
        if isinstance(value, int):
            return str(value)
        return "'" + str(value.isoformat() if isinstance(value, date) else value).replace("'", "''") + "'"

    return _SENTINEL.sub(lambda m: lit(params[m.group(1)]), checked.sql)


# ---------------------------------------------------------------------------------------------------------------
# The tenant's catalog and slot extraction
# ---------------------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Store:
    code: str
    name: str
    city: str
    state: str


@dataclass(frozen=True)
class Product:
    sku: str
    name: str
    category: str
    brand: str


CATEGORY_LABELS = {"frames": "frames", "lenses": "lenses", "contact_lenses": "contact lenses",
                   "sunglasses": "sunglasses", "accessories": "accessories", "services": "services"}
CATEGORY_WORDS: dict[str, tuple[str, ...]] = {
    "frames": ("frame", "frames", "eyeglass frames", "glasses frames", "spectacle frames", "optical frames"),
    "lenses": ("lens", "lenses", "spectacle lenses", "eyeglass lenses", "glasses lenses", "rx lenses"),
    "contact_lenses": ("contact lens", "contact lenses", "contacts", "contact-lenses", "contact_lenses"),
    "sunglasses": ("sunglass", "sunglasses", "sunnies", "shades", "sun glasses"),
    "accessories": ("accessory", "accessories"),
    "services": ("service", "services"),
}
LENS_TYPE_WORDS: dict[str, tuple[str, ...]] = {
    "progressive": ("progressive", "progressives", "progressive lenses", "varifocal", "varifocals", "multifocal",
                    "multifocals"),
    "bifocal": ("bifocal", "bifocals", "bifocal lenses"),
    "single_vision": ("single vision", "single-vision", "single_vision", "single vision lenses"),
    "occupational": ("occupational", "occupational lenses", "computer glasses", "office lenses"),
    "reading": ("reading", "reading glasses", "readers"),
    "contact_lenses": ("contact lens", "contact lenses", "contacts", "contact_lenses"),
}
US_STATES = {
    "alabama": "AL", "alaska": "AK", "arizona": "AZ", "arkansas": "AR", "california": "CA", "colorado": "CO",
    "connecticut": "CT", "delaware": "DE", "florida": "FL", "georgia": "GA", "hawaii": "HI", "idaho": "ID",
    "illinois": "IL", "indiana": "IN", "iowa": "IA", "kansas": "KS", "kentucky": "KY", "louisiana": "LA",
    "maine": "ME", "maryland": "MD", "massachusetts": "MA", "michigan": "MI", "minnesota": "MN",
    "mississippi": "MS", "missouri": "MO", "montana": "MT", "nebraska": "NE", "nevada": "NV",
    "new hampshire": "NH", "new jersey": "NJ", "new mexico": "NM", "new york state": "NY", "north carolina": "NC",
    "north dakota": "ND", "ohio": "OH", "oklahoma": "OK", "oregon": "OR", "pennsylvania": "PA",
    "rhode island": "RI", "south carolina": "SC", "south dakota": "SD", "tennessee": "TN", "texas": "TX",
    "utah": "UT", "vermont": "VT", "virginia": "VA", "washington state": "WA", "west virginia": "WV",
    "wisconsin": "WI", "wyoming": "WY", "district of columbia": "DC",
}  # fmt: skip
# Words that never count as a product keyword or as an unknown name.
_COMMON = frozenset("""
a an the and or of in on at for to from by per with without vs versus than then this that these those last next
previous prior past current same each every all any our my we us you your i me it its is are was were be been do did
does done have has had how many much what which who whom when where why show list give tell me please total totals
sum number count units unit sold sell sells selling sale sales revenue income turnover money dollars made make earn
earned stock stocks inventory hand left store stores shop shops location locations branch branches city cities state
states product products item items sku skus brand brands category categories top best worst most least highest
lowest bottom month months monthly week weeks weekly year years yearly day days daily quarter quarters today
yesterday date dates time period compare compared comparison change growth grew increase decrease up down over
under below above reorder point points running low need needs patients patient wear wears wearing age ages band
bands group groups type types lens lenses frame frames contact contacts sunglass sunglasses accessory accessories
service services optical optics rx pk eye eyes glasses sun one two three four five six seven eight nine ten half
classic case total1 new old order orders transactions average avg value basket discount discounts ytd mtd qtd
performing performance performed trend breakdown break split mix share distribution like more less aov us
monday tuesday wednesday thursday friday saturday sunday weekday weekdays weekend busiest
""".split())
_WORD_RE = re.compile(r"[a-z0-9][a-z0-9+&'./-]*", re.IGNORECASE)
_BOUNDARY_CHARS = "abcdefghijklmnopqrstuvwxyz0123456789"


@dataclass(frozen=True)
class Catalog:
    """The tenant's own names, read under its RLS session; the only source of slot values."""

    stores: tuple[Store, ...] = ()
    products: tuple[Product, ...] = ()
    age_bands: tuple[str, ...] = ()
    lens_types: tuple[str, ...] = ()
    patient_states: tuple[str, ...] = ()
    tenant_words: frozenset[str] = frozenset()  # the tenant's own name ("northwind"): never an unknown name
    sales_from: date | None = None  # first and last day with sales (to say when a period has no data)
    sales_to: date | None = None

    @property
    def brands(self) -> tuple[str, ...]:
        return tuple(sorted({p.brand for p in self.products}))

    @property
    def cities(self) -> tuple[str, ...]:
        return tuple(sorted({s.city for s in self.stores}))

    @property
    def states(self) -> tuple[str, ...]:
        return tuple(sorted({s.state for s in self.stores} | set(self.patient_states)))

    def store(self, code: str) -> Store | None:
        return next((s for s in self.stores if s.code == code), None)

    def product(self, sku: str) -> Product | None:
        return next((p for p in self.products if p.sku == sku), None)

    def chain_prefix(self) -> tuple[str, ...]:
        """Leading words shared by every store name ("Northwind"), when there are at least two stores."""
        if len(self.stores) < 2:
            return ()
        names = [s.name.lower().split() for s in self.stores]
        prefix: list[str] = []
        for words in zip(*names, strict=False):
            if len(set(words)) != 1:
                break
            prefix.append(words[0])
        return tuple(prefix)


@dataclass(frozen=True)
class Unresolved:
    """A name or code in the question that the tenant's catalog does not have (kind: store, code, city, name)."""

    kind: str
    text: str
    options: tuple[str, ...] = ()  # for kind "ambiguous": the store codes the name could mean


@dataclass(frozen=True)
class _Hit:
    kind: str
    value: str
    start: int
    end: int
    priority: int


@dataclass(frozen=True)
class Extraction:
    """Slots found in a question, names that were not found, and the question with found phrases blanked out."""

    slots: Slots
    unresolved: tuple[Unresolved, ...]
    masked: str
    hits: tuple[tuple[str, str, int, int], ...]  # (kind, value, start, end) of each phrase found
    periods: tuple[Period, ...]
    year_over_year: bool = False  # the question compares with a year earlier ("vs last year", "a year ago")


def _normalize(text: str) -> str:
    """Lower-case `text` without changing its length (so spans map back to the original)."""
    table = {"\u2019": "'", "\u2018": "'", "\u201c": '"', "\u201d": '"', "\u2013": "-", "\u2014": "-"}
    return "".join(table.get(c, c.lower() if len(c.lower()) == 1 else c) for c in text)


def _find_all(norm: str, alias: str, *, plural: bool = False) -> Iterable[tuple[int, int]]:
    if not alias:
        return
    start = 0
    while True:
        i = norm.find(alias, start)
        if i < 0:
            return
        end = i + len(alias)
        if plural:
            for suffix in ("es", "s"):
                if norm.startswith(suffix, end) and (end + len(suffix) >= len(norm)
                                                     or norm[end + len(suffix)] not in _BOUNDARY_CHARS):
                    end += len(suffix)
                    break
        before_ok = i == 0 or norm[i - 1] not in _BOUNDARY_CHARS
        after_ok = end >= len(norm) or norm[end] not in _BOUNDARY_CHARS
        if before_ok and after_ok:
            yield i, end
        start = i + 1


class _Matcher:
    """Aliases of one catalog, longest first: (alias, kind, value, priority, plural)."""

    def __init__(self, catalog: Catalog) -> None:
        self.catalog = catalog
        entries: list[tuple[str, str, str, int, bool]] = []
        prefix = catalog.chain_prefix()
        for s in catalog.stores:
            entries.append((s.code.lower(), "store", s.code, 0, False))
            name = s.name.lower()
            entries.append((name, "store", s.code, 1, False))
            words = name.split()
            if prefix and words[: len(prefix)] == list(prefix) and len(words) > len(prefix):
                entries.append((" ".join(words[len(prefix):]), "store", s.code, 2, False))
                rest = " ".join(words[len(prefix):]).replace(s.city.lower(), " ").split()
                if rest and rest != words[len(prefix):]:
                    entries.append((" ".join(rest), "store", s.code, 3, False))
        for p in catalog.products:
            entries.append((p.sku.lower(), "sku", p.sku, 0, False))
            entries.append((p.name.lower(), "sku", p.sku, 1, False))
            if p.name.lower().startswith(p.brand.lower() + " "):
                entries.append((p.name.lower()[len(p.brand) + 1:], "sku", p.sku, 2, False))
        for brand in catalog.brands:
            entries.append((brand.lower(), "brand", brand, 4, False))
        for city in catalog.cities:
            entries.append((city.lower(), "city", city, 5, False))
        known_states = set(catalog.states)
        for name, code in US_STATES.items():
            if code in known_states:
                entries.append((name, "state", code, 6, False))
                if name.endswith(" state"):
                    entries.append((name[: -len(" state")], "state", code, 7, False))
        for category, words in CATEGORY_WORDS.items():
            for w in words:
                entries.append((w, "category", category, 8, False))
        for word in self._keywords():
            entries.append((word, "keyword", word, 9, True))
        # An alias shared by several values of one kind names none of them: drop it (the city or keyword may remain).
        owners: dict[tuple[str, str], set[str]] = {}
        for alias, kind, value, _, _ in entries:
            owners.setdefault((alias, kind), set()).add(value)
        self.entries = sorted(
            {e for e in entries if len(owners[(e[0], e[1])]) == 1 and e[0].strip()},
            key=lambda e: (-len(e[0]), e[3]),
        )
        # Store aliases shared by several stores ("Old Town"): reported back as ambiguous, with the options.
        self.ambiguous = sorted(
            {(alias, "ambiguous", ",".join(sorted(owners[(alias, kind)])), 0, False)
             for alias, kind, _, _, _ in entries if kind == "store" and len(owners[(alias, kind)]) > 1},
            key=lambda e: -len(e[0]),
        )
        self.patient_entries: list[tuple[str, str, str, int, bool]] = []
        for lens_type, words in LENS_TYPE_WORDS.items():
            for w in words:
                self.patient_entries.append((w, "lens_type", lens_type, 0, False))
        for name, code in US_STATES.items():
            if code in known_states:
                self.patient_entries.append((name, "state", code, 1, False))
        self.patient_entries.sort(key=lambda e: (-len(e[0]), e[3]))

    def _keywords(self) -> set[str]:
        """Distinctive words (and word pairs) of product names, e.g. "progressive", "single vision", "wayfarer"."""
        brand_words = {w for b in self.catalog.brands for w in b.lower().split()}
        category_words = {w for words in CATEGORY_WORDS.values() for phrase in words for w in phrase.split()}
        stop = _COMMON | brand_words | category_words

        def ok(word: str) -> bool:
            return len(word) >= 3 and word not in stop and not word.isdigit() and word not in US_STATES

        out: set[str] = set()
        for p in self.catalog.products:
            words = p.name.lower().split()
            if p.name.lower().startswith(p.brand.lower() + " "):
                words = p.name.lower()[len(p.brand) + 1:].split()
            out |= {w for w in words if ok(w)}
            out |= {f"{a} {b}" for a, b in zip(words, words[1:], strict=False) if ok(a) and ok(b)}
        return out

    @staticmethod
    def scan(norm: str, entries: Sequence[tuple[str, str, str, int, bool]], taken: list[tuple[int, int]]
             ) -> list[_Hit]:
        hits: list[_Hit] = []
        for alias, kind, value, priority, plural in entries:
            for start, end in _find_all(norm, alias, plural=plural):
                if all(end <= s or start >= e for s, e in taken):
                    hits.append(_Hit(kind, value, start, end, priority))
                    taken.append((start, end))
        return hits


_matchers: dict[int, tuple[Catalog, _Matcher]] = {}
_matchers_lock = threading.Lock()


def _matcher(catalog: Catalog) -> _Matcher:
    key = hash(catalog)
    with _matchers_lock:
        cached = _matchers.get(key)
        if cached is not None and cached[0] == catalog:
            return cached[1]
    built = _Matcher(catalog)
    with _matchers_lock:
        if len(_matchers) > 64:
            _matchers.clear()
        _matchers[key] = (catalog, built)
    return built


_TOP_N = re.compile(
    r"\b(?:top|best|bottom|worst|first|highest|lowest)[\s-]+(?P<n>\d{1,3}|one|two|three|four|five|six|seven|eight|"
    r"nine|ten|twenty|fifty)\b|\b(?P<m>\d{1,3})\s+(?:best|top|worst|highest|lowest|biggest|slowest)\b"
    r"|\b(?:which|what)\s+(?P<w>\d{1,3})\s+(?=[a-z])",
    re.IGNORECASE)
_NUMBERS = {"one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9,
            "ten": 10, "twenty": 20, "fifty": 50}
_SINGULAR_TOP = re.compile(r"\b(?:which|what)\s+(?:single\s+)?(?:store|location|branch|shop|product|item|sku)\b"
                           r"(?!s)|\bthe\s+(?:best|top|worst)\s+(?:store|location|branch|shop|product|item|sku)\b"
                           r"(?!s)", re.IGNORECASE)
_AGE_BAND = re.compile(
    r"\b(?P<lo>\d{1,2})\s*(?:-|to|–)\s*(?P<hi>\d{1,2})\b(?!\s*(?:%|percent))"
    r"|\b(?:in\s+their\s+)?(?P<dec>[1-8]0)'?s\b"
    r"|\b(?:90\s*\+|(?:over|above|older\s+than)\s+(?:89|90)|90\s+(?:and|or)\s+(?:over|older|above))",
    re.IGNORECASE)
_CODE = re.compile(r"(?<![\w-])(?=[A-Za-z0-9-]*\d)(?=[A-Za-z0-9-]*[A-Za-z])[A-Za-z0-9]+(?:-[A-Za-z0-9]+)+(?![\w-])")
_STOP_AFTER_NAME = (r"(?=\s+(?:in|during|for|last|this|since|between|from|on|yesterday|today|over|by|vs|versus|"
                    r"compared|and\s+(?:in|for|at|by)|sell|sold|do|did|have|has)\b|\s*[?!,]|\s*\.(?:\s|$)|\s*$)")
_STORE_NAME = re.compile(
    r"\b(?:store|shop|branch|location|outlet)s?\s+(?:named\s+|called\s+|code\s+|number\s+|no\.?\s+)?"
    r"(?P<name>[\"'\w][^?!,]*?)" + _STOP_AFTER_NAME, re.IGNORECASE)
_CAPITALIZED = r"[A-Z0-9][\w'&.+-]*(?:\s+(?:of\s+|&\s+|\+\s+)?[A-Z0-9][\w'&.+-]*)*"
_AFTER_PREPOSITION = re.compile(rf"\b(?P<prep>at|for|in|from)\s+(?:the\s+|our\s+)?(?P<name>{_CAPITALIZED})")
_QUOTED = re.compile(r"\"(?P<a>[^\"]{1,80})\"|(?<![\w])'(?P<b>[^']{1,80})'(?![\w])")
_YOY = re.compile(r"year[\s-]+(?:over|on)[\s-]+year|\byoy\b|\by/y\b|same\s+(?:\w+\s+)?(?:last|previous|prior)\s+"
                  r"year|(?:a|one)\s+year\s+(?:ago|earlier|before)|(?:vs\.?|versus|than|compared\s+(?:to|with))\s+"
                  r"(?:the\s+same\s+\w+\s+)?last\s+year", re.IGNORECASE)
_SENTENCE_START = re.compile(r"(?:^|[.?!:;]\s+|\n)\s*[\"'(]*$")


def _covered(start: int, end: int, spans: Sequence[tuple[int, int]], norm: str, extra_ok: frozenset[str]) -> bool:
    """Is every significant word in [start, end) inside one of `spans` (or a common or tenant word)?"""
    for m in _WORD_RE.finditer(norm, start, end):
        word = m.group(0).strip("'.")
        if not word or word in _COMMON or word in extra_ok:
            continue
        if not any(s <= m.start() and m.end() <= e for s, e in spans):
            return False
    return True


def _age_band(match: re.Match[str]) -> str | None:
    if match.group("lo"):
        lo, hi = int(match.group("lo")), int(match.group("hi"))
        return f"{lo}-{hi}" if hi == lo + 9 and lo % 10 == 0 else None
    if match.group("dec"):
        lo = int(match.group("dec"))
        return f"{lo}-{lo + 9}"
    return "90+"


def extract_slots(question: str, catalog: Catalog, today: date) -> Extraction:
    """Find the slots of `question` in the tenant's catalog. Raises DateRangeError for impossible dates."""
    norm = _normalize(question)
    # "vs the same month last year", "a year ago": the comparison, not the period asked about.
    yoy_spans = [m.span() for m in _YOY.finditer(question)]
    blanked = "".join(" " if any(s <= i < e for s, e in yoy_spans) else c for i, c in enumerate(question))
    periods = parse_periods(blanked, today)
    taken: list[tuple[int, int]] = [p.span for p in periods]
    values: dict[str, list[str]] = {}
    hits: list[tuple[str, str, int, int]] = []

    def keep(kind: str, value: str, start: int, end: int) -> None:
        if value not in values.setdefault(kind, []):
            values[kind].append(value)
        hits.append((kind, value, start, end))

    top_n: int | None = None
    for m in _TOP_N.finditer(question):
        group = next(g for g in ("n", "m", "w") if m.group(g))
        n = m.group(group)
        top_n = int(n) if n.isdigit() else _NUMBERS[n.lower()]
        taken.append(m.span(group))
        break
    if top_n is None and _SINGULAR_TOP.search(question):
        top_n = 1
    for m in _AGE_BAND.finditer(norm):
        band = _age_band(m)
        if band and all(m.end() <= s or m.start() >= e for s, e in taken):
            keep("age_band", band, *m.span())
            taken.append(m.span())

    matcher = _matcher(catalog)
    product_taken = list(taken)
    for hit in matcher.scan(norm, matcher.entries, product_taken):
        keep(hit.kind, hit.value, hit.start, hit.end)
    # Uppercase state codes ("in OR") only when written in capitals and one of the tenant's states.
    for m in re.finditer(r"(?<![\w-])([A-Z]{2})(?![\w-])", question):
        if m.group(1) in catalog.states and all(m.end() <= s or m.start() >= e for s, e in product_taken):
            keep("state", m.group(1), *m.span())
            product_taken.append(m.span())
    ambiguous = matcher.scan(norm, matcher.ambiguous, product_taken)
    patient_taken = list(taken)
    for hit in matcher.scan(norm, matcher.patient_entries, patient_taken):
        keep(hit.kind, hit.value, hit.start, hit.end)
    spans = sorted(set(product_taken) | set(patient_taken))

    extra_ok = frozenset(catalog.tenant_words) | frozenset(catalog.chain_prefix())
    unresolved: list[Unresolved] = []

    def report(kind: str, text: str, options: tuple[str, ...] = ()) -> None:
        text = text.strip().strip("\"'").strip()
        if text and all(u.text != text for u in unresolved):
            unresolved.append(Unresolved(kind, text, options))

    for hit in ambiguous:
        report("ambiguous", question[hit.start:hit.end], tuple(hit.value.split(",")))

    for m in _CODE.finditer(question):
        if not _covered(*m.span(), spans, norm, extra_ok):
            report("code", m.group(0))
    for m in _QUOTED.finditer(question):
        group = "a" if m.group("a") is not None else "b"
        if not _covered(*m.span(group), spans, norm, extra_ok) or not _WORD_RE.search(m.group(group)):
            report("store" if re.search(r"\b(?:store|shop|branch|location)s?\W*$", question[: m.start()], re.I)
                   else "name", m.group(group))
    for m in _STORE_NAME.finditer(question):
        name = m.group("name")
        looks_like_name = name[:1].isupper() or name[:1].isdigit() or re.search(r"[\"';0-9=]", name)
        if looks_like_name and not _covered(*m.span("name"), spans, norm, extra_ok):
            report("store", name)
    for m in _AFTER_PREPOSITION.finditer(question):
        if _covered(*m.span("name"), spans, norm, extra_ok):
            continue
        report({"at": "store", "in": "city"}.get(m.group("prep").lower(), "name"), m.group("name"))
    # A capitalized word in mid-sentence that names nothing we know ("How many Zeiss lenses..."), unless the
    # question is written in Title Case.
    words = list(re.finditer(r"[A-Za-z][\w'&+-]*", question))
    capitalized = [w for w in words if w.group(0)[0].isupper() and not _SENTENCE_START.search(question[: w.start()])]
    if len(capitalized) <= max(2, len(words) // 2):
        runs: list[list[re.Match[str]]] = []
        for w in capitalized:
            if w.group(0) == "I" or _covered(*w.span(), spans, norm, extra_ok) or any(
                    w.group(0).lower() in u.text.lower() for u in unresolved):
                continue
            if runs and not question[runs[-1][-1].end():w.start()].strip():
                runs[-1].append(w)  # "Black Friday": one name
            else:
                runs.append([w])
        for run in runs:
            report("name", question[run[0].start():run[-1].end()])

    # Blank out what was found (product names must not read as intent words), except category and lens-type
    # words, which carry intent ("lens type", "frames in stock").
    masked = list(question)
    for kind, _, s, e in hits:
        if kind not in ("category", "lens_type"):
            for i in range(s, e):
                masked[i] = " "
    for p in periods:
        for i in range(*p.span):
            masked[i] = " "
    slots = Slots(
        period=periods[0] if periods else None,
        compare_to=periods[1] if len(periods) > 1 else None,
        top_n=max(1, min(MAX_TOP_N, top_n)) if top_n is not None else None,
        **{k: tuple(v) for k, v in values.items() if k in LIST_SLOTS},
    )
    return Extraction(slots=slots, unresolved=tuple(unresolved), masked="".join(masked), hits=tuple(hits),
                      periods=tuple(periods), year_over_year=bool(yoy_spans))


def resolve_comparison(template: Template, slots: Slots, today: date) -> Slots:
    """Fill the two periods of a compare/yoy template: defaults and like-for-like cuts at today."""
    if template.period_mode not in ("compare", "yoy"):
        return slots
    current = slots.period
    if current is None:  # default: the last complete month; year over year: the year to date
        current = parse_period("year to date" if template.period_mode == "yoy" else "last month", today)
        assert current is not None
    clamped = current.clamp(today)
    derived = clamped.year_earlier() if template.period_mode == "yoy" else clamped.previous()
    explicit = slots.compare_to
    if explicit is None or re.match(r"(?:the\s+)?(?:previous|prior)\b", explicit.text or "", re.IGNORECASE):
        previous = derived
    elif clamped.partial and explicit.start == (current.year_earlier() if template.period_mode == "yoy"
                                                else current.previous()).start:
        previous = derived  # "this month vs last month" on the 15th: like for like, the first 15 days of each
    else:
        previous = explicit.clamp(today)
    return replace(slots, period=clamped, compare_to=previous)


# ---------------------------------------------------------------------------------------------------------------
# Intent and template selection
# ---------------------------------------------------------------------------------------------------------------

_MEASURES: tuple[tuple[str, re.Pattern[str]], ...] = tuple((name, re.compile(rx, re.IGNORECASE)) for name, rx in (
    # Questions about the catalog itself ("how many stores do we have?"): no template answers them.
    ("catalog", r"\bhow\s+many\s+(?:stores|locations|branches|shops|brands|categories)\b(?!\s+(?:sold|sell))"
                r"|\bnumber\s+of\s+(?:stores|locations|branches|brands)\b"
                r"|\bhow\s+many\s+(?:products|skus|items)\s+do\s+we\s+(?:carry|have|offer|list)\b(?!\s+in\s+stock)"),
    ("reorder", r"\bre-?order|\brestock|running\s+low|\blow\s+(?:on\s+)?stock|\bout\s+of\s+stock|\bneed\s+to\s+order"
                r"|below\s+(?:the\s+)?(?:minimum|reorder)"),
    ("patients", r"\bpatients?\b|\bwearers?\b|\bprescriptions?\b|\bpeople\s+wear"),
    ("stock", r"\bstock\b|\binventory|\bon[\s-]hand\b|\bin\s+stock\b|\bstocked\b|do\s+we\s+have\s+left"),
    ("aov", r"average\s+(?:order|basket|ticket|sale|transaction|spend)|\baov\b|basket\s+size|\bavg\.?\s+order"
            r"|\bper\s+(?:order|transaction|basket)\b"),
    ("discount", r"\bdiscount|\bmarkdowns?\b|\bpromotions?\b"),
    ("orders", r"\borders?\b|\btransactions?\b|\breceipts?\b|\btickets?\b|\bbaskets?\b|\bcustomers?\s+visits?"),
    ("revenue", r"\brevenue|\bturnover|\bincome\b|\btakings\b|\bearn(?:ed|ings)?\b|\bmade\b|\bmake\b|\bmoney\b"
                r"|\bdollars?\b|\$|\bgross(?:ing)?\b|\bsales\s+value|\bhow\s+much\b|\bbrought\s+in\b"),
    ("units", r"\b(?:sold|sells?|selling)\s+the\s+most\b|\bmost\s+units\b|\bhow\s+many\b|\bunits?\b|\bquantity\b"
              r"|\bqty\b|\bpieces\b|\bpairs\b|\bvolume\b|\bnumber\s+of\b"),
    ("sales", r"\bsales\b|\bsold\b|\bsell(?:s|ing)?\b|\bperform|\bdoing\b"
              r"|\bhow\s+(?:did|do|does|is|are|was|were)\b.*\bdo\b"),
))
_CHANGE = re.compile(r"\bcompar|\bvs\.?(?!\w)|\bversus\b|\bchange[ds]?\b|\bgrowth\b|\bgr[eo]w|\bincreas|\bdecreas"
                     r"|\bdecline|\bdrop(?:ped)?\b|\bup\s+or\s+down\b|\bdifference\b|month[\s-]+over[\s-]+month"
                     r"|\bmom\b|\b(?:more|fewer|less)\s+\w*\s*than\b|\bthan\s+(?:the\s+)?(?:last|previous|prior)",
                     re.IGNORECASE)
_TOP = re.compile(r"\btop\b|\bbest\b|\bmost\b|\bhighest\b|\bbiggest\b|\blargest\b|\bleading\b|\bpopular\b"
                  r"|\bnumber\s+one\b", re.IGNORECASE)
_BOTTOM = re.compile(r"\bbottom\b|\bworst\b|\blowest\b|\bleast\b|\bslowest\b|\bfewest\b|\bsmallest\b|\bweakest\b"
                     r"|\bpoorest\b|\bunderperform", re.IGNORECASE)
_TARGETS: tuple[tuple[str, re.Pattern[str]], ...] = tuple((name, re.compile(rx, re.IGNORECASE)) for name, rx in (
    ("age_band", r"\bage\b|\bages\b|\bage[\s-]+(?:band|group|bracket|range)s?|\bhow\s+old\b"),
    ("lens_type", r"\blens(?:es)?\s+types?|\btypes?\s+of\s+lens|\bby\s+lens|\bper\s+lens|\blens\s+mix|\bwhat\s+lens"),
    ("weekday", r"day\s+of\s+(?:the\s+)?week|\bweekdays?\b|\bwhich\s+day\b|\bbusiest\s+day"
                r"|\b(?:mon|tues|wednes|thurs|fri|satur|sun)days?\b"),
    ("month", r"\b(?:by|per|each|every)\s+month\b|\bmonthly\b|month\s+by\s+month|\bover\s+time\b|\btrend\b"
              r"|\bmonths\b"),
    ("category", r"\bcategor(?:y|ies)\b"),
    ("brand", r"\bbrands?\b"),
    ("city", r"\bcit(?:y|ies)\b"),
    ("store", r"\bstores?\b|\blocations?\b|\bbranch(?:es)?\b|\bshops?\b|\boutlets?\b"),
    ("product", r"\bproducts?\b|\bskus?\b|\bitems?\b|\bsellers?\b|\bmodels?\b"
                r"|\b(?:each|every)\s+(?:frame|lens|contact|sunglass)"),
))
_BREAKDOWN_CUE = re.compile(r"\b(?:by|per|each|every|across|breakdown|break\s+down|split|which|what|all|mix)\b",
                            re.IGNORECASE)
_FOLLOW_UP = re.compile(r"^\s*(?:and|what\s+about|how\s+about|what\s+of|same\s+(?:for|in|at|but)|now\s+(?:for|in|at)"
                        r"|also|then|ok(?:ay)?[,\s]+(?:and|now|what)|but\s+(?:for|in|at))\b", re.IGNORECASE)


@dataclass(frozen=True)
class Intent:
    """What the question asks for: a measure (units, revenue, stock...) and a shape (total, by store, top N...)."""

    measure: str | None
    shape: str | None


_FILTER_PHRASE = re.compile(r"\b(?:at|in|for|of)\s+(?:the\s+|our\s+)?"
                            r"(?:(?!each\b|every\b|all\b|which\b)[\w'-]+\s+){0,3}?"
                            r"(?:store|location|branch|shop|outlet)\b(?!s)", re.IGNORECASE)
_CUE_TARGET = re.compile(r"\b(?:by|per|each|every|across)\s+(?:the\s+|each\s+|single\s+)?(?:product\s+(?=categor))?"
                         r"(?P<t>product|sku|item|"
                         r"model|frame|lens|store|location|branch|shop|city|brand|category|month|weekday|day)",
                         re.IGNORECASE)
_CUE_NAMES = {"product": "product", "sku": "product", "item": "product", "model": "product", "frame": "product",
              "lens": "product", "store": "store", "location": "store", "branch": "store", "shop": "store",
              "city": "city", "brand": "brand", "category": "category", "month": "month", "weekday": "weekday",
              "day": "weekday"}


def detect_intent(masked_question: str, slots: Slots | None = None, *, year_over_year: bool = False) -> Intent:
    """Keyword intent of a question whose slot phrases were blanked out (see Extraction.masked)."""
    text = " ".join(masked_question.split())
    measure = next((name for name, rx in _MEASURES if rx.search(text)), None)
    text = _FILTER_PHRASE.sub(" ", text)  # "at the [Portland] store" is a filter, not a breakdown by store
    targets = [name for name, rx in _TARGETS if rx.search(text)]
    cue = _CUE_TARGET.search(text)
    if cue:  # "per SKU at the store": the word after the cue decides
        first = _CUE_NAMES[cue.group("t").lower()]
        targets = [first, *[t for t in targets if t != first]]
    has_two_periods = slots is not None and slots.compare_to is not None
    shape: str | None = None
    if year_over_year or _YOY.search(text):
        shape = "yoy"
    elif _CHANGE.search(text) or has_two_periods:
        shape = "change"
        # "Oakley vs Ray-Ban this year": two things of one kind in one period is a breakdown, not a change
        if slots is not None and not has_two_periods:
            for kind, breakdown in (("brand", "by_brand"), ("category", "by_category"), ("store", "by_store"),
                                    ("city", "by_city"), ("sku", "by_product")):
                if len(getattr(slots, kind)) >= 2:
                    shape = breakdown
                    break
    elif _BOTTOM.search(text) or _TOP.search(text):
        bottom = bool(_BOTTOM.search(text))
        if measure == "patients":
            shape = next((f"by_{t}" for t in ("age_band", "lens_type") if t in targets), None)
        elif measure in ("stock", "reorder"):
            shape = "by_store" if "store" in targets else "by_product" if measure == "stock" else None
        elif any(t in targets for t in ("category", "brand", "city", "weekday", "month")):
            shape = "by_" + next(t for t in ("category", "brand", "city", "weekday", "month") if t in targets)
        elif "store" in targets:
            shape = "bottom_stores" if bottom else "top_stores"
        else:
            shape = "bottom_products" if bottom else "top_products"
    if shape is None and measure != "patients":
        if cue:
            shape = f"by_{targets[0]}"
        for name in ("weekday", "month", "category", "brand", "city", "store", "product"):
            if shape is not None:
                break
            if name in targets and (name in ("weekday", "month") or _BREAKDOWN_CUE.search(text)):
                shape = f"by_{name}"
    if shape is None and measure == "patients":
        shape = "by_age_band" if "age_band" in targets else "by_lens_type" if "lens_type" in targets else None
    if measure == "reorder" and shape == "by_product":
        shape = "list"
    return Intent(measure=measure, shape=shape)


def is_follow_up(question: str, intent: Intent) -> bool:
    """A short turn that only changes a slot ("and in April?", "what about Ray-Ban?")."""
    if _FOLLOW_UP.search(question):
        return True
    return intent.measure is None and intent.shape is None and len(question.split()) <= 6


def _measure_fit(template_measure: str, measure: str | None) -> float:
    if measure is None:
        return 0.0
    if template_measure == measure:
        return 0.4
    compatible = {"sales": {"units", "revenue", "sales"}, "units": {"sales"}, "revenue": {"sales"}}
    if measure in compatible.get(template_measure, set()):
        return 0.3 if measure != "sales" or template_measure != "units" else 0.25
    return -0.4


def _default_shape(measure: str | None) -> str | None:
    return {"reorder": "list"}.get(measure or "", "total" if measure else None)


@dataclass(frozen=True)
class TemplateMatch:
    template: Template
    score: float
    similarity: float
    intent: Intent
    follow_up: bool = False
    ranking: tuple[tuple[str, float], ...] = ()


class _ExampleIndex:
    """Embeddings of every template's example questions, computed once per process."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._vectors: Any = None
        self._owners: list[int] = []

    def similarities(self, question: str) -> list[float]:
        import numpy as np

        from tools.embeddings import embed

        with self._lock:
            if self._vectors is None:
                texts = [q for t in TEMPLATES for q in t.examples]
                self._owners = [i for i, t in enumerate(TEMPLATES) for _ in t.examples]
                self._vectors = embed(texts)
        q = embed([question])[0]
        sims = self._vectors @ q
        best = np.full(len(TEMPLATES), -1.0)
        for owner, sim in zip(self._owners, sims, strict=True):
            best[owner] = max(best[owner], float(sim))
        return [float(x) for x in best]


_INDEX = _ExampleIndex()
UNSUPPORTED_MEASURES = frozenset({"catalog"})  # recognised, but no template answers them (the LLM path may)
MIN_SIMILARITY = 0.30  # below: the question is about none of the templates
MIN_SCORE = 0.55


def select_template(question: str, intent: Intent, *, previous: Template | None = None,
                    follow_up: bool = False) -> TemplateMatch | None:
    """The best template for the question, or None when no template fits well enough.

    Score = max cosine similarity to the template's example questions + measure fit + shape fit (keyword intent).
    In a follow-up, a missing measure or shape is taken from the previous turn's template; with neither, the
    previous template is reused as is.
    """
    if follow_up and previous is not None:
        if intent.measure is None and intent.shape is None:
            return TemplateMatch(previous, 1.0, 1.0, intent, follow_up=True)
        intent = Intent(intent.measure or previous.measure,
                        intent.shape or (previous.shape if intent.measure in (None, previous.measure) else None))
    if intent.measure in UNSUPPORTED_MEASURES:
        return None
    shape = intent.shape or _default_shape(intent.measure)
    sims = _INDEX.similarities(question)
    ranking: list[tuple[float, float, Template]] = []
    for template, sim in zip(TEMPLATES, sims, strict=True):
        score = sim + _measure_fit(template.measure, intent.measure)
        if shape is not None:
            score += 0.4 if template.shape == shape else -0.4
        if follow_up and previous is not None and template.id == previous.id:
            score += 0.05
        ranking.append((score, sim, template))
    ranking.sort(key=lambda r: -r[0])
    best_score, best_sim, best = ranking[0]
    ranked = tuple((t.id, round(s, 3)) for s, _, t in ranking[:5])
    if best_sim < MIN_SIMILARITY or best_score < MIN_SCORE:
        return None
    return TemplateMatch(best, best_score, best_sim, intent, follow_up=follow_up, ranking=ranked)


# ---------------------------------------------------------------------------------------------------------------
# Few-shot examples for the LLM path
# ---------------------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class FewShot:
    template_id: str
    question: str
    sql: str


def example_slots(template: Template) -> Slots:
    data = dict(template.example_slots)
    period_text = data.pop("period", None)
    slots = Slots.from_dict(data)
    if period_text:
        periods = parse_periods(str(period_text), EXAMPLE_TODAY)
        slots = replace(slots, period=periods[0] if periods else None)
    try:
        return resolve_comparison(template, slots, EXAMPLE_TODAY)
    except DateRangeError:  # pragma: no cover - the bank's own examples are valid
        return slots


def few_shot_examples(question: str, k: int = 3) -> list[FewShot]:
    """The `k` curated examples most similar to the question, as (question, literal SQL) pairs."""
    sims = _INDEX.similarities(question)
    order = sorted(range(len(TEMPLATES)), key=lambda i: -sims[i])[:k]
    out = []
    for i in order:
        template = TEMPLATES[i]
        out.append(FewShot(template.id, template.examples[0], literal_sql(template, example_slots(template))))
    return out
