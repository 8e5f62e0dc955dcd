"""The typed query spec of the SQL tool (the semantic layer): what a data question asks, independent of SQL.

A `QuerySpec` names one measure (units, revenue, orders, stock on hand, patients...), the dimensions to group by
(store, month, weekday, age band...; several at once), filters on any dimension (values are catalog keys, never free
text), a time range, an optional ranking (top/bottom N by the measure or by its change), an optional comparison with
another period (previous period, a year earlier, or a named one), share-of-total, and an average of a sales total per
day / week / month / quarter / year / store (`average_over`). The deterministic parser
(tools/sql/parse.py) and a served model (structured output, `spec_json_schema()`) both produce this type; the compiler
(tools/sql/compile.py) is the only place that turns it into SQL, and the answer sentence (tools/sql/sentences.py) is
generated from it. `MEASURES` and `DIMENSIONS` say which table family each one belongs to, so an impossible
combination (patients by store, stock by month) is refused with a reason instead of being answered differently.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator

__all__ = [
    "AVERAGE_OVER",
    "DIMENSIONS",
    "FILTER_DIMENSIONS",
    "MEASURES",
    "TIME_DIMENSIONS",
    "Comparison",
    "DimensionInfo",
    "Filters",
    "MeasureInfo",
    "QuerySpec",
    "Ranking",
    "SpecError",
    "TimeRange",
    "check_spec",
    "measure_info",
    "spec_json_schema",
]

MeasureName = Literal[
    "units", "revenue", "gross_revenue", "discount_total", "discount_rate", "order_lines", "orders",
    "distinct_products", "distinct_brands", "distinct_stores", "avg_selling_price", "avg_order_value",
    "units_per_order",
    "discounted_orders", "avg_discount_per_order", "discounted_order_rate",
    "stock_on_hand", "stock_value", "items_below_reorder", "items_at_reorder", "items_at_or_below_reorder",
    "items_out_of_stock",
    "stock_lines", "patients", "store_count", "product_count", "brand_count",
]
DimensionName = Literal[
    "store", "city", "state", "category", "brand", "product", "day", "week", "month", "quarter", "year", "weekday",
    "age_band", "lens_type",
]
Family = Literal["sales", "stock", "patients", "stores", "products"]


@dataclass(frozen=True)
class MeasureInfo:
    """One measure: its table family, how it reads in a sentence, its number kind and whether it adds up."""

    family: Family
    label: str  # "units sold", "revenue (after discounts)"
    kind: Literal["int", "money", "pct", "decimal"]
    additive: bool = True  # a share of total makes sense (sums of parts = the whole)


MEASURES: dict[str, MeasureInfo] = {
    "units": MeasureInfo("sales", "units sold", "int"),
    "revenue": MeasureInfo("sales", "revenue (after discounts)", "money"),
    "gross_revenue": MeasureInfo("sales", "gross sales (before discounts)", "money"),
    "discount_total": MeasureInfo("sales", "discounts given", "money"),
    "discount_rate": MeasureInfo("sales", "discount rate (discounts / gross sales)", "pct", additive=False),
    "order_lines": MeasureInfo("sales", "order lines", "int"),
    "orders": MeasureInfo("sales", "orders", "int"),
    "distinct_products": MeasureInfo("sales", "different products sold", "int", additive=False),
    "distinct_brands": MeasureInfo("sales", "different brands sold", "int", additive=False),
    "distinct_stores": MeasureInfo("sales", "different stores with sales", "int", additive=False),
    "avg_selling_price": MeasureInfo("sales", "average selling price per unit (after discounts)", "money",
                                     additive=False),
    "avg_order_value": MeasureInfo("sales", "average order value (after discounts)", "money", additive=False),
    "units_per_order": MeasureInfo("sales", "average units per order", "decimal", additive=False),
    "discounted_orders": MeasureInfo("sales", "orders with a discount", "int"),
    "discounted_order_rate": MeasureInfo("sales", "share of orders with a discount", "pct", additive=False),
    "avg_discount_per_order": MeasureInfo("sales", "average discount per order", "money", additive=False),
    "stock_on_hand": MeasureInfo("stock", "units in stock", "int"),
    "stock_value": MeasureInfo("stock", "stock value at current list (retail) prices", "money"),
    "items_below_reorder": MeasureInfo("stock", "items below their reorder point", "int"),
    "items_at_reorder": MeasureInfo("stock", "items exactly at their reorder point", "int"),
    "items_at_or_below_reorder": MeasureInfo("stock", "items at or below their reorder point", "int"),
    "items_out_of_stock": MeasureInfo("stock", "items out of stock (0 on hand)", "int"),
    "stock_lines": MeasureInfo("stock", "stocked items (store and product pairs)", "int"),
    "patients": MeasureInfo("patients", "patients", "int"),
    "store_count": MeasureInfo("stores", "stores", "int"),
    "product_count": MeasureInfo("products", "products in the catalog", "int"),
    "brand_count": MeasureInfo("products", "brands in the catalog", "int", additive=False),
}


@dataclass(frozen=True)
class DimensionInfo:
    families: frozenset[str]
    label: str
    plural: str


_SHOP = frozenset({"sales", "stock"})
DIMENSIONS: dict[str, DimensionInfo] = {
    "store": DimensionInfo(_SHOP | {"stores"}, "store", "stores"),
    "city": DimensionInfo(_SHOP | {"stores"}, "city", "cities"),
    "state": DimensionInfo(_SHOP | {"stores", "patients"}, "state", "states"),
    "category": DimensionInfo(_SHOP | {"products"}, "category", "categories"),
    "brand": DimensionInfo(_SHOP | {"products"}, "brand", "brands"),
    "product": DimensionInfo(_SHOP, "product", "products"),
    "day": DimensionInfo(frozenset({"sales"}), "day", "days"),
    "week": DimensionInfo(frozenset({"sales"}), "week", "weeks"),
    "month": DimensionInfo(frozenset({"sales"}), "month", "months"),
    "quarter": DimensionInfo(frozenset({"sales"}), "quarter", "quarters"),
    "year": DimensionInfo(frozenset({"sales"}), "year", "years"),
    "weekday": DimensionInfo(frozenset({"sales"}), "day of the week", "days of the week"),
    "age_band": DimensionInfo(frozenset({"patients"}), "age band", "age bands"),
    "lens_type": DimensionInfo(frozenset({"patients"}), "lens type", "lens types"),
}
TIME_DIMENSIONS = ("day", "week", "month", "quarter", "year", "weekday")
# Filters a dimension can take (weekday: ISO numbers "1".."7"; product: SKUs; keyword: words of product names).
FILTER_DIMENSIONS = ("store", "city", "state", "category", "brand", "product", "keyword", "weekday", "age_band",
                     "lens_type")
_FILTER_FAMILIES = {**{k: v.families for k, v in DIMENSIONS.items()}, "keyword": _SHOP | {"products"}}


class SpecError(ValueError):
    """A spec that cannot be answered as asked (the message says why, in words a user understands)."""


class _Model(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class TimeRange(_Model):
    """A half-open date range ``start <= day < end`` and how it reads ("March 2025", "Q1 2025")."""

    start: date
    end: date = Field(description="exclusive: the day after the last day")
    label: str = ""
    grain: str = Field(default="range", description="day, week, month, quarter, year or range")
    partial: bool = False

    @field_validator("end")
    @classmethod
    def _after_start(cls, end: date, info: Any) -> date:
        start = info.data.get("start")
        if start is not None and end <= start:
            raise ValueError("the time range must end after it starts")
        return end

    @property
    def phrase(self) -> str:
        if self.grain == "day":
            return f"on {self.label or self.start.isoformat()}"
        if self.label.startswith(("from ", "since ", "the ")):
            return self.label
        return f"in {self.label}" if self.label else f"from {self.start.isoformat()} to {self.end.isoformat()}"


class Filters(_Model):
    """Values per dimension; each list is OR-ed, dimensions are AND-ed. Values are catalog keys."""

    store: tuple[str, ...] = Field(default=(), description="store codes")
    city: tuple[str, ...] = ()
    state: tuple[str, ...] = Field(default=(), description="state / province / region values as the catalog lists them")
    category: tuple[str, ...] = Field(default=(), description="frames, lenses, contact_lenses, sunglasses, "
                                                              "accessories, services")
    brand: tuple[str, ...] = ()
    product: tuple[str, ...] = Field(default=(), description="SKUs")
    keyword: tuple[str, ...] = Field(default=(), description="words of product names, matched case-insensitively")
    weekday: tuple[str, ...] = Field(default=(), description="ISO weekday numbers, 1 = Monday .. 7 = Sunday")
    age_band: tuple[str, ...] = Field(default=(), description="patient age bands such as 40-49 or 90+")
    lens_type: tuple[str, ...] = Field(default=(), description="single_vision, bifocal, progressive, "
                                                               "occupational, reading, contact_lenses")

    def items(self) -> list[tuple[str, tuple[str, ...]]]:
        return [(name, getattr(self, name)) for name in FILTER_DIMENSIONS if getattr(self, name)]

    def is_empty(self) -> bool:
        return not self.items()


class Ranking(_Model):
    direction: Literal["desc", "asc"] = "desc"
    limit: int | None = Field(default=None, ge=1, le=100, description="top/bottom N; None = all, ordered")
    by: Literal["measure", "change", "change_pct"] = "measure"
    per_group: bool = Field(default=False, description=(
        "the top/bottom N inside each group of the first dimension (\"the top 2 products in each store\": "
        "dimensions store, product), not N rows of all"))


class Comparison(_Model):
    """The period compared against; kind "sequential": each time bucket against the one before it (month on
    month), which needs a time dimension and no second range."""

    kind: Literal["previous_period", "year_over_year", "explicit", "sequential"]
    time_range: TimeRange | None = Field(default=None, description="the period compared against")


AverageOver = Literal["day", "week", "month", "quarter", "year", "store"]
AVERAGE_OVER: tuple[str, ...] = ("day", "week", "month", "quarter", "year", "store")


class QuerySpec(_Model):
    """One data question, fully typed. `part` holds the filters that define the part of a share-of-total."""

    measure: MeasureName
    dimensions: tuple[DimensionName, ...] = ()
    filters: Filters = Filters()
    time_range: TimeRange | None = None
    ranking: Ranking | None = None
    comparison: Comparison | None = None
    share_of_total: bool = False
    part: Filters = Field(default=Filters(), description=(
        "share of total: the filters of the part (numerator); with dimensions, the part's share of each group's "
        "whole (\"share of sunglasses in revenue per store\"); empty with dimensions: each group's share of the "
        "total of all groups (\"each store's share of sunglasses revenue\": sunglasses in filters)"))
    exclude: Filters = Field(default=Filters(), description="values left out (\"revenue excluding services\")")
    average_over: AverageOver | None = Field(default=None, description=(
        "average of the measure's totals per day / week / month / quarter / year / store (\"average monthly "
        "revenue\", \"average daily orders\", \"revenue per store on average\"): the mean over the units that have "
        "sales in the period; with dimensions, per group"))

    @property
    def family(self) -> str:
        return MEASURES[self.measure].family

    def to_context(self) -> dict[str, Any]:
        """JSON-safe form for the conversation state (a follow-up's previous spec)."""
        return self.model_dump(mode="json")

    @classmethod
    def from_context(cls, data: Any) -> QuerySpec | None:
        if isinstance(data, QuerySpec):
            return data
        if not isinstance(data, dict):
            return None
        inner = data.get("spec") if isinstance(data.get("spec"), dict) else data
        try:
            return cls.model_validate(inner)
        except ValueError:
            return None


def measure_info(spec: QuerySpec) -> MeasureInfo:
    """The measure as an answer states it: an average per unit reads "revenue (after discounts) per month on
    average", and a count averaged has decimals."""
    info = MEASURES[spec.measure]
    if spec.average_over is None:
        return info
    return replace(info, label=f"{info.label} per {spec.average_over} on average",
                   kind="decimal" if info.kind == "int" else info.kind)


def check_spec(spec: QuerySpec) -> None:
    """Raise SpecError when the spec combines things that do not go together (the message says what and why)."""
    info = MEASURES[spec.measure]
    family = info.family
    for dim in spec.dimensions:
        if family not in DIMENSIONS[dim].families:
            raise SpecError(f"{info.label} cannot be broken down by {DIMENSIONS[dim].label}")
    if len(set(spec.dimensions)) != len(spec.dimensions):
        raise SpecError("a dimension is named twice")
    if len(spec.dimensions) > 3:
        raise SpecError("at most three breakdowns at once")
    for filters in (spec.filters, spec.part, spec.exclude):
        for name, _ in filters.items():
            if family not in _FILTER_FAMILIES[name]:
                raise SpecError(f"{info.label} cannot be filtered by {name.replace('_', ' ')}")
    if spec.comparison is not None and spec.comparison.kind == "sequential":
        if family != "sales" or not spec.dimensions or spec.dimensions[-1] not in TIME_DIMENSIONS[:5]:
            raise SpecError("a period-on-period series needs sales broken down by day, week, month, quarter or year")
        if spec.share_of_total:
            raise SpecError("a share of total and a comparison cannot be combined in one answer")
    elif spec.comparison is not None:
        if spec.comparison.time_range is None:
            raise SpecError("a comparison needs the period to compare against")
        if family != "sales":
            raise SpecError(f"{info.label} is a current snapshot; it has no history to compare with")
        if spec.time_range is None:
            raise SpecError("a comparison needs the period to compare")
        if spec.share_of_total:
            raise SpecError("a share of total and a comparison cannot be combined in one answer")
    if spec.ranking is not None and spec.ranking.per_group and (len(spec.dimensions) < 2 or spec.ranking.limit is None):
        raise SpecError("a ranking inside each group needs two breakdowns and a number of rows per group")
    if spec.ranking is not None and spec.ranking.by != "measure" and spec.comparison is None:
        raise SpecError("ranking by change needs a comparison")
    if spec.average_over is not None:
        if family != "sales" or not info.additive:
            raise SpecError(f"an average per {spec.average_over} is kept for sales totals (units, revenue, "
                            f"orders ...), not for {info.label}")
        if spec.average_over in spec.dimensions:
            raise SpecError(f"an average per {spec.average_over} cannot also be broken down by {spec.average_over}")
        if spec.comparison is not None or spec.share_of_total:
            raise SpecError("an average per period or store cannot be combined with a comparison or a share")
    if spec.share_of_total:
        if not info.additive:
            raise SpecError(f"{info.label} does not add up across parts, so it has no share of a total")
        if not spec.dimensions and spec.part.is_empty():
            raise SpecError("a share needs the part (a filter) or a breakdown")


def spec_json_schema() -> dict[str, Any]:
    """The JSON schema a served model fills through structured output (generated from the type, not written)."""
    return QuerySpec.model_json_schema()
