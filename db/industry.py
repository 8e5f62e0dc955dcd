"""Pooled industry aggregates: computed across all tenants by the control plane, suppressed, never per tenant."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

import sqlalchemy as sa

from db.engine import admin_engine, app_engine

MIN_RECORDS = 11  # no cell built from fewer records is kept
MIN_TENANTS = 3  # ... or from fewer tenants

SUPPRESS = f"HAVING count(*) >= {MIN_RECORDS} AND count(DISTINCT tenant_id) >= {MIN_TENANTS}"
LINE_REVENUE = "(s.quantity * s.unit_price - s.discount)"

# Each query yields (metric, dimension, bucket, period, value, unit, n_records, n_tenants).
QUERIES = {
    "avg_selling_price": f"""
        SELECT 'avg_selling_price', 'category', p.category, extract(year FROM s.sold_at)::text,
               round(sum({LINE_REVENUE}) / sum(s.quantity), 2), 'USD per unit',
               count(*), count(DISTINCT s.tenant_id)
        FROM sales s JOIN products p USING (tenant_id, sku)
        GROUP BY p.category, extract(year FROM s.sold_at) {SUPPRESS.replace('tenant_id', 's.tenant_id')}""",
    "discount_rate": f"""
        SELECT 'discount_rate', 'category', p.category, 'all',
               round(100 * sum(s.discount) / nullif(sum(s.quantity * s.unit_price), 0), 1), 'percent of list',
               count(*), count(DISTINCT s.tenant_id)
        FROM sales s JOIN products p USING (tenant_id, sku)
        GROUP BY p.category {SUPPRESS.replace('tenant_id', 's.tenant_id')}""",
    "units_per_order_line": f"""
        SELECT 'units_per_order_line', 'category', p.category, 'all',
               round(avg(s.quantity), 2), 'units', count(*), count(DISTINCT s.tenant_id)
        FROM sales s JOIN products p USING (tenant_id, sku)
        GROUP BY p.category {SUPPRESS.replace('tenant_id', 's.tenant_id')}""",
    "revenue_share": f"""
        WITH c AS (
            SELECT p.category, sum({LINE_REVENUE}) AS revenue, count(*) AS n, count(DISTINCT s.tenant_id) AS t
            FROM sales s JOIN products p USING (tenant_id, sku) GROUP BY p.category
            HAVING count(*) >= {MIN_RECORDS} AND count(DISTINCT s.tenant_id) >= {MIN_TENANTS})
        SELECT 'revenue_share', 'category', category, 'all', round(100 * revenue / sum(revenue) OVER (), 1),
               'percent of revenue', n, t FROM c""",
    "seasonality_index": f"""
        WITH m AS (
            SELECT p.category, extract(month FROM s.sold_at)::int AS month, sum(s.quantity) AS units,
                   count(*) AS n, count(DISTINCT s.tenant_id) AS t
            FROM sales s JOIN products p USING (tenant_id, sku)
            WHERE p.category IN ('sunglasses', 'frames', 'lenses', 'contact_lenses')
            GROUP BY p.category, extract(month FROM s.sold_at)
            HAVING count(*) >= {MIN_RECORDS} AND count(DISTINCT s.tenant_id) >= {MIN_TENANTS})
        SELECT 'seasonality_index', category, lpad(month::text, 2, '0'), 'all',
               round(units / avg(units) OVER (PARTITION BY category), 2), 'index (1.0 = average month)', n, t
        FROM m""",
    "lens_type_share": f"""
        WITH l AS (
            SELECT lens_type, count(*) AS n, count(DISTINCT tenant_id) AS t FROM patients GROUP BY lens_type
            {SUPPRESS})
        SELECT 'lens_type_share', 'lens_type', lens_type, 'all', round(100.0 * n / sum(n) OVER (), 1),
               'percent of patients', n, t FROM l""",
    "progressive_share_by_age": f"""
        SELECT 'progressive_share', 'age_band', age_band, 'all',
               round(100.0 * count(*) FILTER (WHERE lens_type = 'progressive') / count(*), 1),
               'percent of patients', count(*), count(DISTINCT tenant_id)
        FROM patients GROUP BY age_band {SUPPRESS}""",
    "below_reorder_share": f"""
        SELECT 'below_reorder_share', 'category', p.category, 'all',
               round(100.0 * count(*) FILTER (WHERE k.on_hand < k.reorder_point) / count(*), 1),
               'percent of stocked items', count(*), count(DISTINCT k.tenant_id)
        FROM stock k JOIN products p USING (tenant_id, sku)
        GROUP BY p.category {SUPPRESS.replace('tenant_id', 'k.tenant_id')}""",
}


@dataclass(frozen=True)
class Aggregate:
    metric: str
    dimension: str
    bucket: str
    period: str
    value: Decimal
    unit: str
    n_records: int
    n_tenants: int


def refresh() -> int:
    """Recompute every aggregate across all tenants (admin connection) and replace the table atomically."""
    with admin_engine().begin() as conn:
        conn.execute(sa.text("DELETE FROM industry_aggregates"))
        total = 0
        for sql in QUERIES.values():
            result = conn.execute(sa.text(
                "INSERT INTO industry_aggregates (metric, dimension, bucket, period, value, unit, n_records, "
                f"n_tenants) {sql}"))
            total += result.rowcount
    return total


def read(metric: str | None = None) -> list[Aggregate]:
    """The suppressed aggregates, readable by the application role without any tenant set."""
    sql = "SELECT metric, dimension, bucket, period, value, unit, n_records, n_tenants FROM industry_aggregates"
    params: dict[str, str] = {}
    if metric:
        sql += " WHERE metric = :m"
        params["m"] = metric
    with app_engine().connect() as conn:
        rows = conn.execute(sa.text(sql + " ORDER BY metric, dimension, bucket, period"), params).all()
    return [Aggregate(*r) for r in rows]
