"""The SQL tool: a question (plus the previous turn's slots) -> guarded, tenant-scoped SQL -> numbers and a table.

Two ways to SQL, one way to run it:

1. A curated template (tools.sql_templates) chosen by intent keywords + embedding similarity, its slots filled
   from the tenant's own catalog (read under the tenant's RLS session) and a date parser (tools.dates). Values are
   bound parameters.
2. `llm_sql()`: when the caller passes a capable chat model (tool-calling, e.g. langchain-openai), the model writes
   the SQL from the schema description (tools.sql_schema) and the three most similar curated examples. Used when no
   template fits, or always with ``prefer_llm=True``.

Either SQL passes `validate_sql` (one SELECT over allow-listed relations, LIMIT <= row cap) and then runs in
`tenant_session(principal.tenant_id, readonly=True, statement_timeout_ms=...)`: the SELECT-only reader role, a
read-only transaction, row-level security and a statement timeout. Every failure (unknown store, rejected SQL,
timeout, database error) comes back as an `SQLResult` with `error` set and a plain message, never an exception.
The answer sentence and table are built only from the returned rows.
"""

from __future__ import annotations

import logging
import re
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from typing import TYPE_CHECKING, Any

import sqlalchemy as sa

from config import get_settings
from db.principal import Principal
from db.session import tenant_session
from tools.dates import DateRangeError, Period
from tools.sql_fetch import fetch_capped
from tools.sql_guard import DEFAULT_MAX_ROWS, SQLRejected, validate_sql
from tools.sql_schema import describe_schema
from tools.sql_templates import (
    CATEGORY_LABELS,
    LENS_TYPE_WORDS,
    TEMPLATES,
    Catalog,
    Extraction,
    FewShot,
    Product,
    Slots,
    Store,
    Template,
    Unresolved,
    build_sql,
    detect_intent,
    display_sql,
    extract_slots,
    few_shot_examples,
    get_template,
    guard_template_sql,
    is_follow_up,
    merge_slots,
    resolve_comparison,
    select_template,
)

if TYPE_CHECKING:
    from langchain_core.language_models import BaseChatModel

__all__ = ["LLMSQLError", "SQLResult", "llm_sql", "load_catalog", "run_sql_tool", "run_template"]

log = logging.getLogger(__name__)

MAX_QUESTION_CHARS = 2000
TABLE_ROWS_SHOWN = 25
LLM_ATTEMPTS = 2  # a rejected or failing query is handed back to the model once, with the reason
CURRENCY = "$"

# ---------------------------------------------------------------------------------------------------------------
# Result
# ---------------------------------------------------------------------------------------------------------------


@dataclass
class SQLResult:
    """What one SQL-tool turn produced. `error` is a user-facing message when nothing (useful) could be run.

    `sql` is the exact text that ran (binds shown as ``:name``, their values in `params`); `slots` is the context
    for a follow-up turn (pass it back as ``context=``): the template id plus the slot values it used.
    """

    template_id: str | None = None
    sql: str | None = None
    params: dict[str, Any] = field(default_factory=dict)
    columns: list[str] = field(default_factory=list)
    rows: list[tuple[Any, ...]] = field(default_factory=list)
    answer_text: str = ""
    table_markdown: str = ""
    error: str | None = None
    slots: dict[str, Any] | None = None
    summary: str = ""
    source: str = "none"  # template | llm | none
    executed: bool = False
    truncated: bool = False
    notes: list[str] = field(default_factory=list)
    elapsed_ms: float = 0.0

    @property
    def ok(self) -> bool:
        return self.error is None

    def context(self) -> dict[str, Any] | None:
        return self.slots


def _failure(message: str, *, template_id: str | None = None, sql: str | None = None,
             params: dict[str, Any] | None = None, source: str = "none", executed: bool = False,
             slots: dict[str, Any] | None = None) -> SQLResult:
    text = message
    if sql:
        text += "\n\n" + _sql_block(sql, params or {})
    return SQLResult(template_id=template_id, sql=sql, params=params or {}, error=message, answer_text=text,
                     summary=message, source=source, executed=executed, slots=slots)


class LLMSQLError(Exception):
    """The language model produced no usable SQL (no answer, no query in it, or the call failed)."""


class _QueryFailed(Exception):
    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


# ---------------------------------------------------------------------------------------------------------------
# Catalog (the tenant's own names) and execution
# ---------------------------------------------------------------------------------------------------------------


def load_catalog(principal: Principal) -> Catalog:
    """Read the tenant's stores, products and patient categories under its own RLS session (reader role)."""
    with tenant_session(principal.tenant_id, readonly=True) as conn:
        stores = conn.execute(sa.text("SELECT store_code, name, city, state FROM stores ORDER BY store_code")).all()
        products = conn.execute(sa.text("SELECT sku, name, category, brand FROM products ORDER BY sku")).all()
        bands = conn.execute(sa.text("SELECT DISTINCT age_band FROM patients ORDER BY 1")).scalars().all()
        lens = conn.execute(sa.text("SELECT DISTINCT lens_type FROM patients ORDER BY 1")).scalars().all()
        states = conn.execute(sa.text("SELECT DISTINCT state FROM patients ORDER BY 1")).scalars().all()
        first_sale, last_sale = conn.execute(sa.text("SELECT min(sold_at), max(sold_at) FROM sales")).one()
    words = frozenset(w for w in re.split(r"[^a-z0-9]+", principal.tenant_slug.lower()) if len(w) > 2)
    return Catalog(
        stores=tuple(Store(r.store_code, r.name, r.city, r.state) for r in stores),
        products=tuple(Product(r.sku, r.name, r.category, r.brand) for r in products),
        age_bands=tuple(bands), lens_types=tuple(lens), patient_states=tuple(states), tenant_words=words,
        sales_from=first_sale, sales_to=last_sale,
    )


def _db_message(error: BaseException, timeout_ms: int) -> str:
    orig = getattr(error, "orig", None)
    name = type(orig).__name__ if orig is not None else type(error).__name__
    detail = str(orig if orig is not None else error).strip().splitlines()
    first = detail[0] if detail else name
    if name == "QueryCanceled":
        return (f"The query was stopped after {timeout_ms / 1000:g} s (the statement timeout). "
                "Ask for a shorter period, fewer stores or a simpler breakdown.")
    if name == "InsufficientPrivilege":
        return f"The query tried to read something the SQL tool may not read ({first})."
    if name == "ProgramLimitExceeded":
        return (f"The result is too large to show ({first}). "
                "Ask for fewer rows or columns, or a summary instead of the raw values.")
    if name == "ReadOnlySqlTransaction":
        return "The query tried to change data; the SQL tool only reads."
    if isinstance(error, sa.exc.DBAPIError) and not isinstance(error, sa.exc.InterfaceError):
        return f"The database could not run the query: {first}"
    return "The database could not be reached; please try again in a moment."


def _execute(principal: Principal, sql_text: str, params: Mapping[str, Any], *, timeout_ms: int, max_rows: int,
             ) -> tuple[list[str], list[tuple[Any, ...]], bool]:
    """Run checked SQL as the reader role in the tenant's read-only session; (columns, rows, truncated)."""
    try:
        with tenant_session(principal.tenant_id, readonly=True, statement_timeout_ms=timeout_ms) as conn:
            return fetch_capped(conn, sql_text, params, max_rows=max_rows,
                                max_bytes=get_settings().sql_max_result_bytes)
    except sa.exc.SQLAlchemyError as error:
        log.info("SQL tool query failed: %s", type(getattr(error, "orig", error)).__name__)
        raise _QueryFailed(_db_message(error, timeout_ms)) from None


# ---------------------------------------------------------------------------------------------------------------
# Formatting (only from the rows)
# ---------------------------------------------------------------------------------------------------------------

_MONEY = {"revenue", "gross_sales", "discount", "avg_order_value", "current_revenue", "previous_revenue",
          "order_revenue", "unit_price", "price", "amount", "sales_value"}
_INT = {"units", "orders", "on_hand", "items", "below_reorder", "reorder_point", "shortfall", "items_below",
        "units_short", "patients", "stores_below_reorder", "rank", "current_units", "previous_units", "stores",
        "total_items", "quantity", "weekday_no"}
_PCT = {"change_pct", "discount_pct", "share_pct"}


def _kind(column: str, value: Any, template: Template | None) -> str:
    if template is not None and column in template.formats:
        return template.formats[column]
    if column in _MONEY or (template is None and isinstance(value, (Decimal, float))
                            and re.search(r"revenue|sales|amount|price|discount|value", column)):
        return "money"
    if column in _INT or isinstance(value, int) and not isinstance(value, bool):
        return "int"
    if column in _PCT or column.endswith("_pct"):
        return "pct"
    if column == "month" and isinstance(value, (date, datetime)):
        return "month"
    return "text"


def _fmt(column: str, value: Any, template: Template | None = None, *, signed: bool = False) -> str:
    if value is None:
        return "–"
    kind = _kind(column, value, template)
    if kind == "money":
        amount = Decimal(str(value))
        sign = "-" if amount < 0 else ("+" if signed and amount > 0 else "")
        return f"{sign}{CURRENCY}{abs(amount):,.2f}"
    if kind == "int":
        number = int(value)
        return f"{number:+,}" if signed else f"{number:,}"
    if kind == "pct":
        return f"{Decimal(str(value)):+.1f}%" if signed else f"{Decimal(str(value)):.1f}%"
    if kind == "month":
        return value.strftime("%b %Y")
    if isinstance(value, (date, datetime)):
        return value.isoformat()
    if isinstance(value, Decimal):
        return f"{value:,.2f}" if value != value.to_integral_value() else f"{int(value):,}"
    if isinstance(value, float):
        return f"{value:,.2f}"
    return str(value)


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def _markdown_table(columns: Sequence[str], rows: Sequence[Sequence[Any]], template: Template | None,
                    labels: Mapping[str, str] | None = None) -> str:
    hidden = set(template.hidden) if template else set()
    keep = [i for i, c in enumerate(columns) if c not in hidden]
    if not keep:
        return ""
    labels = labels or {}
    head = [_cell(labels.get(columns[i], columns[i].replace("_", " "))) for i in keep]
    lines = ["| " + " | ".join(head) + " |", "|" + "|".join("---" for _ in keep) + "|"]
    for row in rows[:TABLE_ROWS_SHOWN]:
        lines.append("| " + " | ".join(_cell(_fmt(columns[i], row[i], template)) for i in keep) + " |")
    if len(rows) > TABLE_ROWS_SHOWN:
        lines.append(f"\n… and {len(rows) - TABLE_ROWS_SHOWN} more rows.")
    return "\n".join(lines)


def _param_text(value: Any) -> str:
    if isinstance(value, (list, tuple)):
        return "[" + ", ".join(_param_text(v) for v in value) + "]"
    if isinstance(value, (date, datetime)):
        return value.isoformat()
    return repr(value) if isinstance(value, str) else str(value)


def _sql_block(sql: str, params: Mapping[str, Any]) -> str:
    text = f"SQL that ran:\n```sql\n{sql}\n```"
    if params:
        text += "\nParameters: " + ", ".join(f"`{k}` = {_param_text(v)}" for k, v in params.items())
    return text


def _join(items: Sequence[str]) -> str:
    items = list(items)
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + " and " + items[-1]


def _what(slots: Slots, catalog: Catalog) -> str:
    """"Ray-Ban sunglasses", "progressive lenses", "Oakley Holbrook RX", or "" for everything."""
    if slots.sku:
        return _join([p.name if (p := catalog.product(s)) else s for s in slots.sku])
    noun = _join([CATEGORY_LABELS.get(c, c) for c in slots.category]) or ("products" if slots.brand else "")
    words = [*slots.brand, *slots.keyword]
    if slots.keyword and not slots.category:
        noun = noun or "products"
    return " ".join(x for x in (_join(slots.brand), _join(list(slots.keyword)), noun) if x) if words else noun


def _where(slots: Slots, catalog: Catalog) -> str:
    parts = []
    if slots.store:
        parts.append("at " + _join([f"{s.name} ({s.code})" if (s := catalog.store(c)) else c for c in slots.store]))
    if slots.city:
        parts.append("in " + _join(list(slots.city)))
    if slots.state:
        parts.append("in " + _join(list(slots.state)))
    return " ".join(parts) if parts else "across all stores"


def _when(slots: Slots) -> str:
    return slots.period.phrase if slots.period else "over all recorded sales"


def _patient_scope(slots: Slots) -> str:
    parts = []
    if slots.lens_type:
        parts.append("wearing " + _join([t.replace("_", " ") for t in slots.lens_type]) + " lenses")
    if slots.age_band:
        parts.append("aged " + _join(list(slots.age_band)))
    if slots.state:
        parts.append("in " + _join(list(slots.state)))
    return (" " + ", ".join(parts)) if parts else ""


def _cap(text: str) -> str:
    return text[:1].upper() + text[1:]


def _rows_as_dicts(columns: Sequence[str], rows: Sequence[Sequence[Any]]) -> list[dict[str, Any]]:
    return [dict(zip(columns, row, strict=True)) for row in rows]


def _sum(rows: Sequence[Mapping[str, Any]], key: str) -> Any:
    return sum((r[key] or 0 for r in rows), Decimal(0) if rows and isinstance(rows[0][key], Decimal) else 0)


_DIMENSION = {"by_category": ("category", "category", "categories"), "by_brand": ("brand", "brand", "brands"),
              "by_store": ("store", "store", "stores"), "by_city": ("city", "city", "cities"),
              "by_product": ("product", "product", "products"), "by_month": ("month", "month", "months"),
              "by_weekday": ("weekday", "day of the week", "days")}


def _label(row: Mapping[str, Any], key: str, template: Template) -> str:
    if key == "store" and "store_code" in row:
        return f"{row['store']} ({row['store_code']})"
    if key == "category":
        return CATEGORY_LABELS.get(str(row[key]), str(row[key]))
    return _fmt(key, row[key], template)


def _summarize(template: Template, slots: Slots, catalog: Catalog, columns: Sequence[str],
               rows: Sequence[Sequence[Any]], truncated: bool, measure: str | None) -> str:
    """One or two sentences that restate the numbers in the rows (nothing else)."""
    data = _rows_as_dicts(columns, rows)
    what, where, when = _what(slots, catalog), _where(slots, catalog), _when(slots)
    f = lambda col, val, **kw: _fmt(col, val, template, **kw)  # noqa: E731
    first = data[0] if data else {}
    tid = template.id
    if tid == "units_total":
        return (f"{_cap(what) if what else 'All products'}: {f('units', first['units'])} units sold {when} {where} "
                f"({f('orders', first['orders'])} orders).")
    if tid == "revenue_total":
        return (f"Revenue from {what or 'all products'} {when} {where} was {f('revenue', first['revenue'])} "
                f"({f('units', first['units'])} units).")
    if tid == "orders_total":
        subject = f"orders included {what}" if what else "orders were placed"
        return (f"{f('orders', first['orders'])} {subject} {when} {where} ({f('units', first['units'])} units, "
                f"{f('revenue', first['revenue'])} revenue).")
    if tid == "avg_order_value":
        if not first.get("orders"):
            return f"There were no orders {when} {where}, so there is no average order value."
        scope = f" (counting only {what})" if what else ""
        return (f"Average order value {when} {where}{scope} was {f('avg_order_value', first['avg_order_value'])} "
                f"over {f('orders', first['orders'])} orders ({f('revenue', first['revenue'])} in total).")
    if tid == "discount_total":
        pct = f("discount_pct", first["discount_pct"]) if first.get("discount_pct") is not None else "0.0%"
        return (f"Discounts on {what or 'all products'} {when} {where} totalled {f('discount', first['discount'])}, "
                f"{pct} of {f('gross_sales', first['gross_sales'])} gross sales.")
    if template.shape in ("change", "yoy"):
        name = "revenue" if "current_revenue" in first else "units"
        cur, prev = first[f"current_{name}"], first[f"previous_{name}"]
        subject = f"{_cap(name)} from {what}" if what else _cap(name)
        cur_label = slots.period.label if slots.period else "this period"
        prev_label = slots.compare_to.label if slots.compare_to else "the previous period"
        head = (f"{subject} {where} was {f(f'current_{name}', cur)} in {cur_label} versus "
                f"{f(f'previous_{name}', prev)} in {prev_label}")
        if not prev:
            return head + ": there was nothing in the earlier period to compare with."
        direction = "up" if first["change"] > 0 else "down" if first["change"] < 0 else "unchanged"
        if direction == "unchanged":
            return head + ": unchanged."
        change = _fmt("change", abs(first["change"]), template)
        return head + f": {direction} {change} ({f('change_pct', first['change_pct'], signed=True)})."
    if template.shape in ("top_products", "top_stores", "bottom_products", "bottom_stores"):
        kind = "products" if "products" in template.shape else "stores"
        if not data:
            return f"No {kind} matched {what or 'the question'} {when} {where}."
        by = "revenue" if tid in ("top_products_by_revenue", "top_stores_by_revenue", "bottom_stores_by_revenue") \
            else "units"
        top = "Top" if template.shape.startswith("top") else ("Slowest-selling" if kind == "products" else "Lowest")
        label = "product" if kind == "products" else "store"
        unit = " units" if by == "units" else ""
        scope = f" for {what}" if what else ""
        place = f" {where}" if (slots.store or slots.city or slots.state) else ""
        if len(data) == 1:
            return (f"{top.replace('Top', 'The top')} {kind[:-1]}{scope} by {by} {when}{place} is {data[0][label]} "
                    f"({f(by, data[0][by])}{unit}).")
        items = [f"{r['rank']}. {r[label]} ({f(by, r[by])}{unit})" for r in data[:5]]
        more = f" (and {len(data) - 5} more in the table)" if len(data) > 5 else ""
        return f"{top} {len(data)} {kind}{scope} by {by} {when}{place}: {'; '.join(items)}{more}."
    if tid == "stock_on_hand_total":
        if not first.get("items"):
            return f"No stock is recorded for {what or 'any product'} {where}."
        return (f"{f('on_hand', first['on_hand'])} units of {what or 'all products'} on hand {where} as of "
                f"{f('as_of', first['as_of'])} ({f('items', first['items'])} store/product lines, "
                f"{f('below_reorder', first['below_reorder'])} below their reorder point).")
    if tid in ("stock_by_store", "stock_by_product"):
        if not data:
            return f"No stock is recorded for {what or 'any product'} {where}."
        key = "store" if tid == "stock_by_store" else "product"
        best = max(data, key=lambda r: r["on_hand"])
        total = _sum(data, "on_hand")
        as_of = max(r["as_of"] for r in data)
        return (f"Stock on hand of {what or 'all products'} {where} by {key} as of {f('as_of', as_of)}: most at "
                f"{_label(best, key, template)} ({f('on_hand', best['on_hand'])} units); {f('on_hand', total)} units "
                f"in total across {len(data)} {key}s.")
    if tid == "below_reorder_point":
        if not data:
            return f"No items of {what or 'any product'} {where} are below their reorder point."
        total = first["total_items"]
        worst = data[0]
        shown = f" (the table shows the first {len(data)})" if truncated or len(data) < total else ""
        return (f"{f('total_items', total)} store/product lines of {what or 'all products'} {where} are below their "
                f"reorder point{shown}; the largest shortfall is {worst['product']} at {worst['store']} "
                f"({f('on_hand', worst['on_hand'])} on hand, reorder point "
                f"{f('reorder_point', worst['reorder_point'])}).")
    if tid == "below_reorder_by_store":
        if not data:
            return f"No items of {what or 'any product'} {where} are below their reorder point."
        best = data[0]
        return (f"{f('items_below', _sum(data, 'items_below'))} items of {what or 'all products'} are below their "
                f"reorder point across {len(data)} stores; the most at {best['store']} ({best['store_code']}): "
                f"{f('items_below', best['items_below'])} items, {f('units_short', best['units_short'])} units short.")
    if tid == "patients_total":
        return f"You have {f('patients', first['patients'])} patients{_patient_scope(slots)}."
    if tid in ("patients_by_age_band", "patients_by_lens_type"):
        key = "age_band" if tid == "patients_by_age_band" else "lens_type"
        if not data:
            return f"No patients{_patient_scope(slots)} are recorded."
        best = max(data, key=lambda r: r["patients"])
        total = _sum(data, "patients")
        name = str(best[key]).replace("_", " ")
        return (f"Patients{_patient_scope(slots)} by {key.replace('_', ' ')}: the largest group is {name} with "
                f"{f('patients', best['patients'])} of {f('patients', total)} "
                f"({f('share_pct', best['share_pct'])}).")
    if template.shape in _DIMENSION:
        key, dim, dims = _DIMENSION[template.shape]
        if not data:
            return f"No sales of {what or 'any product'} {when} {where}."
        by = "units" if measure == "units" else "revenue"
        total = _sum(data, by)
        if template.shape in ("by_month", "by_weekday"):
            best = max(data, key=lambda r: r[by])
            word = "best month" if template.shape == "by_month" else "busiest day"
            return (f"{_cap(by)} of {what or 'all products'} by {dim} {when} {where}: {word} "
                    f"{_label(best, key, template)} with {f(by, best[by])}; {f(by, total)} in total over "
                    f"{len(data)} {dims}.")
        best = max(data, key=lambda r: r[by])
        share = f" ({Decimal(best[by]) * 100 / Decimal(total):.1f}%)" if total else ""
        return (f"{_cap(by)} of {what or 'all products'} by {dim} {when} {where}: {_label(best, key, template)} leads "
                f"with {f(by, best[by])}{share} of {f(by, total)} across {len(data)} {dims}"
                f"{' shown' if truncated else ''}.")
    return f"The query returned {len(data)} rows."  # pragma: no cover - every template has a sentence


def _generic_summary(columns: Sequence[str], rows: Sequence[Sequence[Any]], truncated: bool) -> str:
    """Sentence for model-written SQL: the values of a one-row result, or the row count."""
    if not rows:
        return "The query returned no rows."
    if len(rows) == 1 and len(columns) <= 4:
        parts = [f"{c.replace('_', ' ')} = {_fmt(c, v)}" for c, v in zip(columns, rows[0], strict=True)]
        return "Result: " + ", ".join(parts) + "."
    more = " (the row cap was reached; there may be more)" if truncated else ""
    return f"The query returned {len(rows)} rows{more}."


def _column_labels(template: Template, slots: Slots) -> dict[str, str]:
    if template.shape not in ("change", "yoy") or slots.period is None or slots.compare_to is None:
        return {}
    name = "revenue" if "revenue" in template.id else "units"
    return {f"current_{name}": f"{name} {slots.period.label}", f"previous_{name}": f"{name} {slots.compare_to.label}",
            "change_pct": "change %"}


def _compose(summary: str, table: str, notes: Sequence[str], sql: str, params: Mapping[str, Any]) -> str:
    parts = [summary]
    if table:
        parts.append(table)
    if notes:
        parts.append("\n".join(f"Note: {n}" for n in notes))
    parts.append(_sql_block(sql, params))
    return "\n\n".join(parts)


# ---------------------------------------------------------------------------------------------------------------
# Templates
# ---------------------------------------------------------------------------------------------------------------


def _context_dict(template: Template, slots: Slots) -> dict[str, Any]:
    return {"template_id": template.id, **slots.to_dict()}


def _run_template(principal: Principal, template: Template, slots: Slots, catalog: Catalog, *, timeout_ms: int,
                  max_rows: int, notes: list[str], measure: str | None, t0: float) -> SQLResult:
    sql, params = build_sql(template, slots)
    context = _context_dict(template, slots)
    try:
        runnable, _ = guard_template_sql(sql, max_rows=max_rows)
    except SQLRejected as rejected:  # a bank template the guard refuses is a bug; report it, run nothing
        log.error("template %s rejected by the SQL guard: %s", template.id, rejected.reason)
        return _failure(f"The built-in query {template.id} was refused by the SQL guard: {rejected.reason}",
                        template_id=template.id, source="template")
    shown = display_sql(runnable)
    bound = {k: v for k, v in params.items() if f":{k}" in shown}
    try:
        columns, rows, truncated = _execute(principal, runnable, bound, timeout_ms=timeout_ms, max_rows=max_rows)
    except _QueryFailed as failed:
        res = _failure(failed.message, template_id=template.id, sql=shown, params=bound, source="template",
                       executed=True, slots=context)
        res.elapsed_ms = (time.perf_counter() - t0) * 1000
        return res
    summary = _summarize(template, slots, catalog, columns, rows, truncated, measure)
    if truncated:
        notes = [*notes, f"only the first {max_rows} rows are shown (the row cap)."]
    table = _markdown_table(columns, rows, template, _column_labels(template, slots))
    return SQLResult(template_id=template.id, sql=shown, params=bound, columns=columns, rows=rows,
                     answer_text=_compose(summary, table, notes, shown, bound), table_markdown=table, error=None,
                     slots=context, summary=summary, source="template", executed=True, truncated=truncated,
                     notes=list(notes), elapsed_ms=(time.perf_counter() - t0) * 1000)


def run_template(principal: Principal, template_id: str, slots: Slots | Mapping[str, Any] | None = None, *,
                 today: date | None = None, statement_timeout_ms: int | None = None,
                 max_rows: int = DEFAULT_MAX_ROWS, catalog: Catalog | None = None) -> SQLResult:
    """Run one bank template with given slot values (bound as parameters, whatever they contain)."""
    t0 = time.perf_counter()
    today = today or date.today()
    timeout = statement_timeout_ms or get_settings().statement_timeout_ms
    try:
        template = get_template(template_id)
    except KeyError as error:
        return _failure(str(error.args[0]))
    values = slots if isinstance(slots, Slots) else Slots.from_dict(slots)
    values = resolve_comparison(template, values, today)
    try:
        catalog = catalog or load_catalog(principal)
    except sa.exc.SQLAlchemyError as error:
        return _failure(_db_message(error, timeout))
    return _run_template(principal, template, values, catalog, timeout_ms=timeout, max_rows=max_rows, notes=[],
                         measure=None, t0=t0)


# ---------------------------------------------------------------------------------------------------------------
# The LLM path
# ---------------------------------------------------------------------------------------------------------------

RUN_SQL_TOOL: dict[str, Any] = {
    "type": "function",
    "function": {
        "name": "run_sql",
        "description": "Run one read-only PostgreSQL SELECT query over the company's tables and return the rows.",
        "parameters": {
            "type": "object",
            "properties": {"sql": {"type": "string", "description": "one SELECT statement"}},
            "required": ["sql"],
        },
    },
}
_FENCE = re.compile(r"```(?:sql|postgresql|postgres)?\s*\n?(.*?)```", re.DOTALL | re.IGNORECASE)


def _render_prompt(name: str, values: Mapping[str, str]) -> str:
    from prompts import load

    text = load(name)
    for key, value in values.items():
        text = text.replace("{{" + key + "}}", value)
    return text


def _sql_from_reply(reply: Any) -> str | None:
    for call in getattr(reply, "tool_calls", None) or []:
        if call.get("name") == "run_sql":
            sql = (call.get("args") or {}).get("sql")
            if isinstance(sql, str) and sql.strip():
                return sql.strip()
    content = getattr(reply, "content", reply)
    if isinstance(content, list):
        content = "".join(part.get("text", "") if isinstance(part, dict) else str(part) for part in content)
    text = str(content or "").strip()
    fenced = _FENCE.search(text)
    if fenced:
        return fenced.group(1).strip() or None
    if re.match(r"(?is)^\s*(select|with|\()", text):
        return text
    return None


def llm_sql(question: str, chat_model: BaseChatModel, examples: Sequence[FewShot], *, catalog: Catalog | None = None,
            today: date | None = None, periods: Sequence[Period] = (), feedback: str | None = None,
            max_rows: int = DEFAULT_MAX_ROWS) -> str:
    """Ask the chat model for one SELECT answering `question`; returns its SQL text (not yet checked or run).

    The system prompt (prompts/sql_writer.md) carries the schema description and the curated `examples` as
    few-shot; resolved time ranges and, on a retry, the guard's or database's complaint go with the question.
    Uses tool calling (`run_sql`) when the model supports it, else reads a ```sql block from the reply.
    Raises LLMSQLError when there is no usable answer.
    """
    from langchain_core.messages import HumanMessage, SystemMessage

    today = today or date.today()
    shots = "\n\n".join(f"Question: {ex.question}\nSQL: {ex.sql}" for ex in examples) or "(none)"
    system = _render_prompt("sql_writer", {"schema": describe_schema(catalog), "examples": shots,
                                           "today": today.isoformat(), "max_rows": str(max_rows)})
    user = f"Question: {question}"
    if periods:
        user += "\nTime ranges in the question: " + "; ".join(
            f'"{p.text}" = {p.start.isoformat()} to {p.last_day.isoformat()} inclusive' for p in periods)
    if feedback:
        user += f"\nYour previous query was not accepted: {feedback}\nWrite a corrected query."
    messages = [SystemMessage(system), HumanMessage(user)]
    try:
        try:
            runnable: Any = chat_model.bind_tools([RUN_SQL_TOOL], tool_choice="run_sql")
        except NotImplementedError:
            runnable = chat_model
        reply = runnable.invoke(messages)
    except Exception as error:  # noqa: BLE001 - a model failure is a message, not a crash
        raise LLMSQLError(f"the language model call failed ({type(error).__name__})") from None
    sql = _sql_from_reply(reply)
    if not sql:
        raise LLMSQLError("the language model did not return a SQL query")
    return sql


def _run_llm(principal: Principal, question: str, chat_model: BaseChatModel, catalog: Catalog,
             extraction: Extraction | None, *, today: date, timeout_ms: int, max_rows: int, attempts: int,
             t0: float) -> SQLResult:
    examples = few_shot_examples(question, 3)
    periods = extraction.periods if extraction else ()
    feedback: str | None = None
    last_sql: str | None = None
    for attempt in range(1, max(1, attempts) + 1):
        try:
            raw = llm_sql(question, chat_model, examples, catalog=catalog, today=today, periods=periods,
                          feedback=feedback, max_rows=max_rows)
        except LLMSQLError as error:
            if feedback is not None:  # keep the earlier, more useful complaint
                break
            return _failure(f"I could not get a query for that question: {error}.", source="llm")
        try:
            checked = validate_sql(raw, max_rows=max_rows)
        except SQLRejected as rejected:
            feedback = f"the SQL guard rejected it: {rejected.reason}"
            last_sql = None
            log.info("LLM SQL rejected (attempt %d): %s", attempt, rejected.reason)
            continue
        runnable = checked.sql.replace(":", "\\:")
        try:
            columns, rows, truncated = _execute(principal, runnable, {}, timeout_ms=timeout_ms, max_rows=max_rows)
        except _QueryFailed as failed:
            last_sql = checked.sql
            if "statement timeout" in failed.message:
                return _failure(failed.message, sql=checked.sql, source="llm", executed=True)
            feedback = failed.message
            continue
        summary = _generic_summary(columns, rows, truncated)
        notes = ["this query was written by the language model (checked by the SQL guard, run read-only)."]
        table = _markdown_table(columns, rows, None)
        return SQLResult(template_id=None, sql=checked.sql, params={}, columns=columns, rows=rows,
                         answer_text=_compose(summary, table, notes, checked.sql, {}), table_markdown=table,
                         error=None, slots=None, summary=summary, source="llm", executed=True, truncated=truncated,
                         notes=notes, elapsed_ms=(time.perf_counter() - t0) * 1000)
    message = f"The generated SQL was not run: {feedback}" if feedback else "The generated SQL was not run."
    return _failure(message, sql=last_sql, source="llm", executed=last_sql is not None)


# ---------------------------------------------------------------------------------------------------------------
# Entry point
# ---------------------------------------------------------------------------------------------------------------


def _unresolved_message(items: Sequence[Unresolved], catalog: Catalog) -> str:
    parts = []
    for u in items:
        if u.kind == "ambiguous":
            options = [f"{s.name} ({s.code})" if (s := catalog.store(c)) else c for c in u.options]
            parts.append(f'"{u.text}" matches several of your stores: {_join(options)}. Which one do you mean?')
        elif u.kind == "store":
            parts.append(f'No store matching "{u.text}" was found among your stores.')
        elif u.kind == "city":
            parts.append(f'None of your stores is in "{u.text}".')
        elif u.kind == "code":
            parts.append(f'No store code or SKU "{u.text}" exists in your data.')
        else:
            parts.append(f'"{u.text}" is not one of your stores, products, brands or cities.')
    text = " ".join(parts)
    if any(u.kind in ("store", "city") for u in items) and 0 < len(catalog.stores) <= 10:
        text += " Your stores are: " + "; ".join(f"{s.name} ({s.code}, {s.city})" for s in catalog.stores) + "."
    return text + " I did not run a query."


def _context_slots(context: Any) -> tuple[Template | None, Slots, list[Unresolved]]:
    """The previous turn's template and slots (from an SQLResult or its `slots` dict)."""
    data = context.slots if isinstance(context, SQLResult) else context
    if not isinstance(data, Mapping):
        return None, Slots(), []
    template = None
    if data.get("template_id"):
        try:
            template = get_template(str(data["template_id"]))
        except KeyError:
            template = None
    inner = data.get("slots") if isinstance(data.get("slots"), Mapping) else data
    try:
        return template, Slots.from_dict(inner), []
    except (TypeError, ValueError, KeyError):
        return template, Slots(), []


def _check_slots_in_catalog(slots: Slots, catalog: Catalog) -> list[Unresolved]:
    """Slot values carried over from a previous turn must still name the tenant's own things."""
    missing = [Unresolved("store", s) for s in slots.store if catalog.store(s) is None]
    missing += [Unresolved("code", s) for s in slots.sku if catalog.product(s) is None]
    missing += [Unresolved("name", b) for b in slots.brand if b not in catalog.brands]
    missing += [Unresolved("city", c) for c in slots.city if c not in catalog.cities]
    missing += [Unresolved("name", c) for c in slots.category if c not in CATEGORY_LABELS]
    missing += [Unresolved("name", t) for t in slots.lens_type if t not in LENS_TYPE_WORDS]
    return missing


def _coverage_note(template: Template, slots: Slots, catalog: Catalog) -> str | None:
    """Say so when the asked period reaches outside the days that have sales data."""
    if template.table != "sales" or catalog.sales_from is None or catalog.sales_to is None:
        return None
    periods = [p for p in (slots.period, slots.compare_to) if p is not None]
    if any(p.start < catalog.sales_from or p.last_day > catalog.sales_to for p in periods):
        return (f"sales data covers {catalog.sales_from.isoformat()} to {catalog.sales_to.isoformat()}; "
                "days outside that range count as zero.")
    return None


def _ignored_notes(template: Template, extraction: Extraction, slots: Slots) -> list[str]:
    notes = []
    used = template.filters | ({"period"} if template.uses_period else set())
    used_spans = [(s, e) for kind, _, s, e in extraction.hits if kind in used]
    for name in extraction.slots.filled():
        if name in used or name in ("compare_to", "top_n"):
            continue
        if template.table == "patients" and name in ("category", "keyword"):
            continue
        spans = [(s, e) for kind, _, s, e in extraction.hits if kind == name]
        if spans and all(any(s < ue and us < e for us, ue in used_spans) for s, e in spans):
            continue
        if name == "period":
            notes.append(f"{template.title.lower()} is a current snapshot; the time range was not applied.")
        else:
            notes.append(f"the {name.replace('_', ' ')} filter does not apply to {template.title.lower()} "
                         "and was not used.")
    return notes


_BARE_MONTH = re.compile(r"\b(jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*\b|\bq[1-4]\b", re.I)
_YEAR = re.compile(r"\b(19|20)\d\d\b")


def _follow_up_anchor(question: str, previous: Slots, today: date) -> date | None:
    """For a follow-up that names a month or quarter without a year, the year of the previous question's period."""
    if previous.period is None or not _BARE_MONTH.search(question) or _YEAR.search(question):
        return None
    anchor = date(previous.period.start.year, 12, 31)
    return min(anchor, today)


def run_sql_tool(principal: Principal, question: str, *, context: SQLResult | Mapping[str, Any] | None = None,
                 today: date | None = None, chat_model: BaseChatModel | None = None, prefer_llm: bool = False,
                 statement_timeout_ms: int | None = None, max_rows: int = DEFAULT_MAX_ROWS,
                 llm_attempts: int = LLM_ATTEMPTS) -> SQLResult:
    """Answer one data question for `principal` (the only source of tenant scope). Never raises for user input.

    `context` is the previous turn's `SQLResult` (or its `.slots`): a follow-up such as "and in April?" reuses the
    previous template and slots and replaces only what it names. `today` is the reference day for relative dates.
    `chat_model`: a capable LangChain chat model for questions no template fits (or for all, with ``prefer_llm``).
    """
    t0 = time.perf_counter()
    today = today or date.today()
    timeout = statement_timeout_ms or get_settings().statement_timeout_ms
    question = (question or "").strip()
    if not question:
        return _failure("Please ask a question about your sales, stock or patients.")
    if len(question) > MAX_QUESTION_CHARS:
        return _failure(f"The question is too long ({len(question)} characters, at most {MAX_QUESTION_CHARS}).")
    try:
        catalog = load_catalog(principal)
    except sa.exc.SQLAlchemyError as error:
        return _failure(_db_message(error, timeout))
    try:
        extraction = extract_slots(question, catalog, today)
    except DateRangeError as error:
        return _failure(f"I could not read the time range: {error}.")

    previous, previous_slots, stale = _context_slots(context) if context is not None else (None, Slots(), [])
    intent = detect_intent(extraction.masked, extraction.slots, year_over_year=extraction.year_over_year)
    follow_up = previous is not None and is_follow_up(question, intent)
    if follow_up:
        stale = _check_slots_in_catalog(previous_slots, catalog)
        anchor = _follow_up_anchor(question, previous_slots, today)
        if anchor is not None:  # "and in April?" after "March 2025" means April 2025
            extraction = extract_slots(question, catalog, anchor)
    problems = [*extraction.unresolved, *stale]
    if problems:
        return _failure(_unresolved_message(problems, catalog))

    if chat_model is not None and prefer_llm:
        return _run_llm(principal, question, chat_model, catalog, extraction, today=today, timeout_ms=timeout,
                        max_rows=max_rows, attempts=llm_attempts, t0=t0)
    match = select_template(question, intent, previous=previous if follow_up else None, follow_up=follow_up)
    if match is None:
        if chat_model is not None:
            return _run_llm(principal, question, chat_model, catalog, extraction, today=today, timeout_ms=timeout,
                            max_rows=max_rows, attempts=llm_attempts, t0=t0)
        examples = "; ".join(f'"{t.examples[0]}"' for t in TEMPLATES[::6])
        return _failure("I can't answer that with my built-in queries, and no SQL-writing model is configured. "
                        f"I can answer questions like {examples}.")
    template = match.template
    slots = merge_slots(previous_slots, extraction.slots) if follow_up else extraction.slots
    slots = resolve_comparison(template, slots, today)
    notes = _ignored_notes(template, extraction, slots)
    coverage = _coverage_note(template, slots, catalog)
    if coverage:
        notes.append(coverage)
    if follow_up:
        notes.insert(0, f"follow-up: reused the previous question's {template.title.lower()} query "
                        f"and its filters, with what this question changed.")
    return _run_template(principal, template, slots, catalog, timeout_ms=timeout, max_rows=max_rows, notes=notes,
                         measure=match.intent.measure, t0=t0)
