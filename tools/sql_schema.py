"""Schema description for the SQL-writing model: the five readable tables, their columns and business rules as text.

The wording of the instructions around it lives in prompts/sql_writer.md; this module only describes the data.
`TABLES` must match the database (tests compare it with information_schema); `tenant_id` is deliberately absent:
row-level security scopes every query to the caller's tenant, and the model must never filter on it.
"""

from __future__ import annotations

from dataclasses import dataclass

from tools.catalog import CATEGORY_LABELS, LENS_TYPE_LABELS, Catalog
from tools.sql.regions import catalog_regions

__all__ = ["TABLES", "Column", "Table", "describe_schema"]


@dataclass(frozen=True)
class Column:
    name: str
    type: str
    meaning: str


@dataclass(frozen=True)
class Table:
    name: str
    meaning: str
    columns: tuple[Column, ...]
    key: str


_STATE_MEANING = ("state / province / region / canton (the country's first-level subdivision) as the company stores "
                  "it: a code such as CA, ON, BY or NSW, or a name")

TABLES: tuple[Table, ...] = (
    Table("stores", "the company's shops", (
        Column("store_code", "text", "store identifier, e.g. 'S01'"),
        Column("name", "text", "store name"),
        Column("city", "text", "city"),
        Column("state", "text", _STATE_MEANING),
    ), key="store_code"),
    Table("products", "the product catalog", (
        Column("sku", "text", "product identifier"),
        Column("name", "text", "product name (starts with the brand)"),
        Column("category", "text", "one of: " + ", ".join(CATEGORY_LABELS)),
        Column("brand", "text", "brand name, e.g. 'Ray-Ban', 'House Brand'"),
        Column("unit_price", "numeric(12,2)", "current list price"),
    ), key="sku"),
    Table("sales", "one row per order line", (
        Column("order_id", "text", "order identifier; an order has one or more lines"),
        Column("sold_at", "date", "day of the sale"),
        Column("store_code", "text", "store that sold it (joins stores.store_code)"),
        Column("sku", "text", "product sold (joins products.sku)"),
        Column("quantity", "integer", "units sold on this line"),
        Column("unit_price", "numeric(12,2)", "price per unit on this line"),
        Column("discount", "numeric(12,2)", "currency amount taken off the whole line (not a percentage)"),
    ), key="order_id, sku"),
    Table("stock", "stock on hand per store and product (a snapshot)", (
        Column("store_code", "text", "store (joins stores.store_code)"),
        Column("sku", "text", "product (joins products.sku)"),
        Column("on_hand", "integer", "units on hand"),
        Column("reorder_point", "integer", "reorder when on_hand is below this"),
        Column("as_of", "date", "day of the snapshot"),
    ), key="store_code, sku"),
    Table("patients", "de-identified patients (no names, no exact dates)", (
        Column("patient_key", "text", "opaque patient identifier"),
        Column("age_band", "text", "ten-year band such as '40-49'; everyone over 89 is '90+'"),
        Column("state", "text", _STATE_MEANING),
        Column("zip3", "char(3)", "first three digits of the ZIP code"),
        Column("last_exam_year", "integer", "year of the last eye exam"),
        Column("sphere_od", "numeric(5,2)", "sphere, right eye (dioptres)"),
        Column("sphere_os", "numeric(5,2)", "sphere, left eye (dioptres)"),
        Column("cylinder_od", "numeric(5,2)", "cylinder, right eye (dioptres)"),
        Column("cylinder_os", "numeric(5,2)", "cylinder, left eye (dioptres)"),
        Column("lens_type", "text", "one of: " + ", ".join(LENS_TYPE_LABELS)),
    ), key="patient_key"),
)

RULES = (
    "revenue of a sales line = quantity * unit_price - discount",
    "units = SUM(quantity); orders = COUNT(DISTINCT order_id)",
    "a period is a half-open date range: sold_at >= DATE '2026-03-01' AND sold_at < DATE '2026-04-01'",
    "items below their reorder point: stock.on_hand < stock.reorder_point",
    "names and codes differ in case and spelling from what users type: compare names with ILIKE",
)

MAX_HINT_VALUES = 40


def describe_schema(catalog: Catalog | None = None) -> str:
    """The tables as compact text for a prompt; with `catalog`, also the tenant's own store, brand and city names."""
    lines: list[str] = []
    for table in TABLES:
        lines.append(f"TABLE {table.name} -- {table.meaning} (key: {table.key})")
        for col in table.columns:
            lines.append(f"  {col.name} {col.type} -- {col.meaning}")
    lines.append("")
    lines.append("Facts:")
    lines.extend(f"- {rule}" for rule in RULES)
    if catalog is not None:
        lines.append("")
        lines.append("This company's own values (use them exactly):")
        stores = [f"{s.code} = {s.name} ({s.city}, {s.state})" for s in catalog.stores[:MAX_HINT_VALUES]]
        if stores:
            more = f" (+{len(catalog.stores) - MAX_HINT_VALUES} more)" if len(catalog.stores) > MAX_HINT_VALUES else ""
            lines.append("- stores: " + "; ".join(stores) + more)
        if catalog.brands:
            lines.append("- brands: " + ", ".join(catalog.brands[:MAX_HINT_VALUES]))
        if catalog.cities:
            lines.append("- cities: " + ", ".join(catalog.cities[:MAX_HINT_VALUES]))
        if catalog.states:
            word = catalog_regions(catalog).word()[1]
            lines.append(f"- state column values (the company's {word}): "
                         + ", ".join(catalog.states[:MAX_HINT_VALUES]))
    return "\n".join(lines)
