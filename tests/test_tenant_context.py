"""Attack tests for the database wall: arbitrary SQL run as the app or reader role (not through the SQL guard)
cannot switch tenants, replay another connection's proof, raise its role, read the key, or reach other sessions."""

from __future__ import annotations

import uuid

import pytest
import sqlalchemy as sa
from sqlalchemy.exc import DBAPIError

import config
from db import registry, tenant_context
from db.engine import admin_engine, app_engine, reader_engine, reset_engines
from db.roles import TENANT_TABLES
from db.session import tenant_session


@pytest.fixture(scope="module")
def tenants(database: str) -> tuple[registry.Tenant, registry.Tenant]:
    a = registry.add_tenant("ctx-a", "Context A")
    b = registry.add_tenant("ctx-b", "Context B")
    for t, tag in ((a, "A"), (b, "B")):
        with tenant_session(t.id) as conn:
            conn.execute(sa.text("INSERT INTO stores (store_code, name, city, state) VALUES (:c, :c, 'Town', 'OR')"),
                         {"c": f"S-{tag}"})
            conn.execute(sa.text("INSERT INTO products (sku, name, category, brand, unit_price) "
                                 "VALUES (:c, :c, 'frames', 'Brand', 10)"), {"c": f"P-{tag}"})
            conn.execute(sa.text("INSERT INTO sales (order_id, sold_at, store_code, sku, quantity, unit_price) "
                                 "VALUES (:o, DATE '2025-01-02', :s, :p, 3, 10)"),
                         {"o": f"O-{tag}", "s": f"S-{tag}", "p": f"P-{tag}"})
            conn.execute(sa.text("INSERT INTO audit_log (event, route, tool_input) VALUES ('turn', 'sql', :t)"),
                         {"t": f"secret question of {tag}"})
    return a, b


SWITCH = "SELECT set_config('app.tenant_id', :t, true)"


@pytest.mark.parametrize("engine", [reader_engine, app_engine], ids=["reader", "app"])
def test_set_config_alone_does_not_switch_tenant(tenants, engine):
    """The attack of the review: set_config to another tenant, then read. Before 0008 it returned B's rows."""
    _, b = tenants
    with engine().connect() as conn:
        conn.execute(sa.text(SWITCH), {"t": str(b.id)})
        assert conn.execute(sa.text("SELECT count(*) FROM sales")).scalar_one() == 0
        assert conn.execute(sa.text("SELECT count(*) FROM stores")).scalar_one() == 0
        conn.rollback()


@pytest.mark.parametrize("readonly", [True, False], ids=["reader", "app"])
def test_switching_inside_own_session_loses_everything(tenants, readonly):
    """Inside A's genuine session, SQL that rewrites app.tenant_id to B sees neither A nor B."""
    a, b = tenants
    with tenant_session(a.id, readonly=readonly) as conn:
        assert conn.execute(sa.text("SELECT store_code FROM stores")).scalars().all() == ["S-A"]
        conn.execute(sa.text(SWITCH), {"t": str(b.id)})
        assert conn.execute(sa.text("SELECT count(*) FROM stores")).scalar_one() == 0
        assert conn.execute(sa.text("SELECT count(*) FROM sales")).scalar_one() == 0


def test_app_role_cannot_write_into_another_tenant(tenants):
    a, b = tenants
    with pytest.raises(DBAPIError, match="row-level security|null value"):
        with tenant_session(a.id) as conn:
            conn.execute(sa.text(SWITCH), {"t": str(b.id)})
            conn.execute(sa.text("INSERT INTO stores (tenant_id, store_code, name, city, state) "
                                 "VALUES (:b, 'EVIL', 'x', 'x', 'x')"), {"b": str(b.id)})
    with tenant_session(a.id) as conn:
        conn.execute(sa.text(SWITCH), {"t": str(b.id)})
        assert conn.execute(sa.text("UPDATE stores SET name = 'hacked'")).rowcount == 0
        assert conn.execute(sa.text("DELETE FROM sales")).rowcount == 0
    with tenant_session(b.id) as conn:
        assert conn.execute(sa.text("SELECT name FROM stores")).scalars().all() == ["S-B"]
        assert conn.execute(sa.text("SELECT count(*) FROM sales")).scalar_one() == 1


def test_a_leaked_proof_does_not_work_on_another_connection(tenants):
    """Even B's exact settings (tenant, role, proof), copied to another server process, open nothing."""
    _, b = tenants
    with tenant_session(b.id, readonly=True) as conn:
        leaked = conn.execute(sa.text("SELECT current_setting('app.tenant_id'), current_setting('app.user_role'), "
                                      "current_setting('app.tenant_proof')")).one()
        pid = conn.execute(sa.text("SELECT pg_backend_pid()")).scalar_one()
    other = sa.create_engine(reader_engine().url, poolclass=sa.pool.NullPool)
    try:
        with other.connect() as conn:
            assert conn.execute(sa.text("SELECT pg_backend_pid()")).scalar_one() != pid
            conn.execute(sa.text("SELECT set_config('app.tenant_id', :t, true), set_config('app.user_role', :r, true),"
                                 " set_config('app.tenant_proof', :p, true)"),
                         {"t": leaked[0], "r": leaked[1], "p": leaked[2]})
            assert conn.execute(sa.text("SELECT sightline_current_tenant()")).scalar() is None
            assert conn.execute(sa.text("SELECT count(*) FROM sales")).scalar_one() == 0
    finally:
        other.dispose()


def test_member_cannot_raise_itself_to_admin(tenants):
    """The audit log is admin-only; a member session that sets app.user_role = 'admin' still reads nothing."""
    a, _ = tenants
    with tenant_session(a.id, role="admin") as conn:
        assert conn.execute(sa.text("SELECT count(*) FROM audit_log")).scalar_one() == 1
    with tenant_session(a.id, role="member") as conn:
        assert conn.execute(sa.text("SELECT count(*) FROM audit_log")).scalar_one() == 0
        conn.execute(sa.text("SELECT set_config('app.user_role', 'admin', true)"))
        assert conn.execute(sa.text("SELECT count(*) FROM audit_log")).scalar_one() == 0


@pytest.mark.parametrize("engine", [reader_engine, app_engine], ids=["reader", "app"])
@pytest.mark.parametrize("sql", [
    "SELECT * FROM sightline_private.context_key",
    "SELECT * FROM sightline_private.verified_context()",
    "SELECT query FROM pg_stat_activity",
    "SELECT pg_stat_get_backend_activity(1)",
    "SELECT pg_terminate_backend(pg_backend_pid())",
    "SELECT pg_cancel_backend(pg_backend_pid())",
    "SELECT pg_sleep(0)",
])
def test_tenant_roles_cannot_reach_the_key_or_other_sessions(tenants, engine, sql):
    with engine().connect() as conn:
        with pytest.raises(DBAPIError, match="permission denied"):
            conn.execute(sa.text(sql))


@pytest.mark.parametrize("sql", ["SELECT pg_advisory_lock(42)", "SELECT pg_try_advisory_xact_lock(1, 2)",
                                 "SELECT pg_notify('jobs', 'x')"])
def test_reader_cannot_lock_or_notify(tenants, sql):
    with reader_engine().connect() as conn:
        with pytest.raises(DBAPIError, match="permission denied"):
            conn.execute(sa.text(sql))


def test_other_sessions_query_text_is_hidden(tenants):
    """A second reader session of another tenant is busy: the first cannot see what it runs."""
    a, b = tenants
    with tenant_session(b.id, readonly=True) as busy:
        busy.execute(sa.text("SELECT 'marker-of-b' FROM stores"))
        with tenant_session(a.id, readonly=True) as spy:
            with pytest.raises(DBAPIError, match="permission denied"):
                spy.execute(sa.text("SELECT query FROM pg_stat_activity WHERE query LIKE '%marker-of-b%'"))


def test_planner_statistics_do_not_show_other_tenants_values(tenants):
    with admin_engine().connect() as conn:
        conn.execute(sa.text("ANALYZE stores"))
        conn.commit()
    a, _ = tenants
    with tenant_session(a.id, readonly=True) as conn:
        rows = conn.execute(sa.text("SELECT most_common_vals::text FROM pg_stats WHERE tablename = 'stores'")).all()
    assert rows == []


def test_a_temporary_function_cannot_shadow_the_tenant_check(tenants):
    """The reader turns read-only off, defines pg_temp.sightline_current_tenant() returning B and puts pg_temp
    first on its search path: the policies still call the real function (bound by OID)."""
    _, b = tenants
    with reader_engine().connect() as conn:
        conn.execute(sa.text("SET default_transaction_read_only = off"))
        conn.commit()
        try:
            conn.execute(sa.text(f"CREATE FUNCTION pg_temp.sightline_current_tenant() RETURNS uuid LANGUAGE sql "
                                 f"AS $$ SELECT '{b.id}'::uuid $$"))
            conn.execute(sa.text("SET search_path = pg_temp, public"))
        except DBAPIError:
            conn.rollback()  # not even allowed to create it: also fine
        assert conn.execute(sa.text("SELECT count(*) FROM public.sales")).scalar_one() == 0
        conn.rollback()


def test_every_policy_checks_the_proof_once_per_statement(database):
    """Structure guard for later migrations: no policy reads app.* settings itself, and every call of the tenant
    function is an InitPlan `(SELECT sightline_current_tenant())`, not a per-row call."""
    with admin_engine().connect() as conn:
        policies = conn.execute(sa.text(
            "SELECT tablename, policyname, coalesce(qual, '') || ' ' || coalesce(with_check, '') "
            "FROM pg_policies WHERE schemaname = 'public'")).all()
        rls = {r[0] for r in conn.execute(sa.text(
            "SELECT relname FROM pg_class WHERE relrowsecurity AND relforcerowsecurity "
            "AND relnamespace = 'public'::regnamespace"))}
    assert set(TENANT_TABLES) <= rls
    for table, name, text in policies:
        assert "current_setting" not in text, (table, name, text)
        calls = text.count("sightline_current_tenant()")
        assert text.count("SELECT sightline_current_tenant()") == calls, (table, name, text)
    assert sum("sightline_current_tenant()" in text for *_, text in policies) >= len(TENANT_TABLES)


def test_a_wrong_key_is_refused_at_start(tenants, tmp_path):
    with app_engine().begin() as conn:
        tenant_context.check(conn)  # the configured key is accepted
    saved = config.set_env(SIGHTLINE_TENANT_CONTEXT_KEY="x" * 40)
    reset_engines()
    try:
        with app_engine().begin() as conn:
            with pytest.raises(tenant_context.TenantContextError, match="tenant context key differs"):
                tenant_context.check(conn)
        with tenant_session(uuid.uuid4()) as conn:
            assert conn.execute(sa.text("SELECT count(*) FROM stores")).scalar_one() == 0
    finally:
        config.set_env(**saved)
        reset_engines()


def test_transaction_pool_mode_fetches_the_nonce_in_every_transaction(tenants):
    """Behind a transaction-mode pooler the server process can change between transactions: no cached nonce."""
    a, _ = tenants
    with app_engine().begin() as conn:
        real = conn.execute(sa.text("SELECT sightline_backend_nonce()")).scalar_one()
        conn.connection.info["sightline_backend_nonce"] = "1:1"  # as if cached on another server process
        try:
            assert tenant_context.backend_nonce(conn) == "1:1"  # session mode trusts its cache
            with config.env_overrides(SIGHTLINE_DB_POOL_MODE="transaction"):
                assert tenant_context.backend_nonce(conn) == real
                values = tenant_context.settings_for(conn, str(a.id), "")
        finally:
            conn.connection.info.pop("sightline_backend_nonce", None)
        conn.execute(sa.text("SELECT set_config('app.tenant_id', :t, true), set_config('app.user_role', '', true), "
                             "set_config('app.tenant_proof', :p, true)"),
                     {"t": values["app.tenant_id"], "p": values["app.tenant_proof"]})
        assert conn.execute(sa.text("SELECT store_code FROM stores")).scalars().all() == ["S-A"]
