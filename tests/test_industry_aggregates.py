"""Pooled industry aggregates: suppression (>= 11 records, >= 3 tenants), no per-tenant figures, read-only access."""

from __future__ import annotations

import pytest
import sqlalchemy as sa
from sqlalchemy.exc import DBAPIError

from db import industry, registry
from db.demo import DEMO_TENANTS, load_demo
from db.engine import admin_engine, app_engine
from db.session import tenant_session


@pytest.fixture(scope="module")
def two_tenants_only(database):
    load_demo(seed=3, tenants=DEMO_TENANTS[:2])
    return industry.read()


def test_two_tenants_give_no_cell_at_all(two_tenants_only):
    assert two_tenants_only == []


@pytest.fixture(scope="module")
def aggregates(two_tenants_only):
    load_demo(seed=3)
    return industry.read()


def test_every_cell_meets_the_suppression_rule(aggregates):
    assert len(aggregates) > 20
    assert {a.metric for a in aggregates} >= {"avg_selling_price", "lens_type_share", "seasonality_index",
                                               "progressive_share", "discount_rate", "revenue_share"}
    assert all(a.n_tenants >= 3 and a.n_records >= 11 for a in aggregates)


def test_cells_are_pooled_not_any_single_tenants_figure(aggregates):
    asp = {(a.bucket, a.period): a.value for a in aggregates if a.metric == "avg_selling_price"}
    for t in DEMO_TENANTS:
        tenant = registry.get_tenant(t.slug)
        with tenant_session(tenant.id) as conn:
            own = conn.execute(sa.text(
                "SELECT round(sum(s.quantity*s.unit_price - s.discount)/sum(s.quantity), 2) FROM sales s "
                "JOIN products p USING (tenant_id, sku) WHERE p.category = 'frames' "
                "AND extract(year FROM sold_at) = 2025")).scalar_one()
        assert own != asp[("frames", "2025")]
    names = {t.name.split()[0].lower() for t in DEMO_TENANTS} | {t.slug for t in DEMO_TENANTS}
    assert not [a for a in aggregates if any(n in a.bucket.lower() for n in names)]


def test_sunglasses_peak_in_summer(aggregates):
    season = {a.bucket: a.value for a in aggregates if a.metric == "seasonality_index" and a.dimension == "sunglasses"}
    assert season["07"] > 1.2 > 0.8 > season["01"]


def test_database_refuses_small_cells_whatever_writes_them(aggregates):
    with pytest.raises(DBAPIError, match="check constraint"):
        with admin_engine().begin() as conn:
            conn.execute(sa.text("INSERT INTO industry_aggregates (metric, dimension, bucket, period, value, unit, "
                                 "n_records, n_tenants) VALUES ('x', 'y', 'z', 'all', 1, 'u', 500, 2)"))
    with pytest.raises(DBAPIError, match="check constraint"):
        with admin_engine().begin() as conn:
            conn.execute(sa.text("INSERT INTO industry_aggregates (metric, dimension, bucket, period, value, unit, "
                                 "n_records, n_tenants) VALUES ('x', 'y', 'z', 'all', 1, 'u', 10, 3)"))


def test_app_role_reads_without_tenant_but_cannot_write(aggregates):
    with app_engine().connect() as conn:
        assert conn.execute(sa.text("SELECT count(*) FROM industry_aggregates")).scalar_one() == len(aggregates)
        with pytest.raises(DBAPIError, match="permission denied"):
            conn.execute(sa.text("DELETE FROM industry_aggregates"))
