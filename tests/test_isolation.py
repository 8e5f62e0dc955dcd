"""Attack tests for tenant isolation: RLS on every tenant table, role limits, no-tenant sessions, superuser bypass."""

from __future__ import annotations

import uuid

import pytest
import sqlalchemy as sa
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy.exc import DBAPIError

from db import registry
from db.engine import admin_engine, app_engine, reader_engine
from db.roles import OWNER_ROLE, TENANT_TABLES
from db.session import NoTenantError, tenant_session

ZERO_VEC = "[" + ",".join(["0.1"] * 384) + "]"

# One representative INSERT per tenant table, run inside the tenant's own session (tenant_id comes from the
# column default, i.e. from app.tenant_id).
SEED_SQL = {
    "users": ["INSERT INTO users (email, role) VALUES (:tag || '@iso.example', 'member')"],
    "stores": ["INSERT INTO stores (store_code, name, city, state) VALUES (:tag, 'Store ' || :tag, 'Town', 'OR')"],
    "products": ["INSERT INTO products (sku, name, category, brand, unit_price) "
                 "VALUES (:tag, 'Frame ' || :tag, 'frames', 'Brand', 100)"],
    "sales": ["INSERT INTO sales (order_id, sold_at, store_code, sku, quantity, unit_price, discount) "
              "VALUES (:tag, DATE '2025-03-01', :tag, :tag, 2, 100, 0)"],
    "stock": ["INSERT INTO stock (store_code, sku, on_hand, reorder_point, as_of) "
              "VALUES (:tag, :tag, 5, 2, DATE '2025-03-01')"],
    "patients": ["INSERT INTO patients (patient_key, age_band, state, zip3, lens_type) "
                 "VALUES (md5(:tag), '40-49', 'OR', '972', 'progressive')"],
    "documents": ["INSERT INTO documents (title, source, mime_type, content_hash) "
                  "VALUES ('Policy ' || :tag, :tag || '.md', 'text/markdown', md5(:tag))"],
    "document_chunks": [f"INSERT INTO document_chunks (document_id, chunk_index, content, embedding) "
                        f"SELECT id, 0, 'chunk ' || :tag, '{ZERO_VEC}' FROM documents WHERE source = :tag || '.md'"],
    "audit_log": ["INSERT INTO audit_log (event, route, tool_input) VALUES ('turn', 'sql', :tag)"],
    "rate_buckets": ["INSERT INTO rate_buckets (bucket_key, tokens) VALUES ('chat:user:' || :tag, 5)"],
    "chat_threads": ["INSERT INTO chat_threads (id, user_id, name) "
                     "VALUES (:tag, (SELECT id FROM users WHERE email = :tag || '@iso.example'), 'Thread ' || :tag)"],
    "chat_steps": ["INSERT INTO chat_steps (id, thread_id, type, output) "
                   "VALUES (:tag, :tag, 'assistant_message', 'answer ' || :tag)"],
    "chat_elements": ["INSERT INTO chat_elements (id, thread_id, type, element) VALUES (:tag, :tag, 'text', '{}')"],
    "chat_feedback": ["INSERT INTO chat_feedback (thread_id, step_id, user_id, value, route) "
                      "VALUES (:tag, :tag, (SELECT id FROM users WHERE email = :tag || '@iso.example'), 1, 'sql')"],
    "api_keys": ["INSERT INTO api_keys (prefix, key_hash, name) "
                 "VALUES (substr(md5(:tag), 1, 12), md5(:tag) || md5(:tag), 'key ' || :tag)"],
    "allowed_origins": ["INSERT INTO allowed_origins (origin) VALUES ('https://o' || md5(:tag) || '.example')"],
    "monitor_turns": ["INSERT INTO monitor_turns (route, status, latency_ms, embedding) "
                      "VALUES ('sql', 'ok', length(:tag), ARRAY[0.1, 0.2]::real[])"],
    "monitor_alerts": ["INSERT INTO monitor_alerts (kind, subject) VALUES ('drift', 'alert ' || :tag)"],
    "rollout_configs": ["INSERT INTO rollout_configs (target, share) VALUES ('industry', length(:tag) / 100.0)"],
}
INSERT_ORDER = ["users", "stores", "products", "sales", "stock", "patients", "documents", "document_chunks",
                "audit_log", "rate_buckets", "chat_threads", "chat_steps", "chat_elements", "chat_feedback",
                "api_keys", "allowed_origins", "monitor_turns", "monitor_alerts", "rollout_configs"]


def seed(tenant_id: uuid.UUID, tag: str) -> None:
    with tenant_session(tenant_id) as conn:
        for table in INSERT_ORDER:
            for sql in SEED_SQL[table]:
                conn.execute(sa.text(sql), {"tag": tag})


@pytest.fixture(scope="module")
def tenants(database: str) -> tuple[registry.Tenant, registry.Tenant]:
    a = registry.add_tenant("iso-a", "Isolation A")
    b = registry.add_tenant("iso-b", "Isolation B")
    seed(a.id, "alpha")
    seed(b.id, "bravo")
    return a, b


def count_all(table: str) -> dict[str, int]:
    """Ground truth per tenant, read as the admin (superuser), which bypasses RLS."""
    with admin_engine().connect() as conn:
        rows = conn.execute(sa.text(f"SELECT tenant_id::text, count(*) FROM {table} GROUP BY 1")).all()
    return {r[0]: r[1] for r in rows}


def test_covers_every_table_with_tenant_id(database):
    with admin_engine().connect() as conn:
        tables = {r[0] for r in conn.execute(sa.text(
            "SELECT table_name FROM information_schema.columns WHERE table_schema='public' AND column_name='tenant_id'"
        ))}
        forced = {r[0]: (r[1], r[2]) for r in conn.execute(sa.text(
            "SELECT relname, relrowsecurity, relforcerowsecurity FROM pg_class WHERE relkind='r' "
            "AND relnamespace='public'::regnamespace"))}
    assert tables == set(TENANT_TABLES) == set(SEED_SQL)
    for t in tables | {"tenants"}:
        assert forced[t] == (True, True), f"{t} must ENABLE and FORCE row level security"


@pytest.mark.parametrize("table", TENANT_TABLES)
def test_read_sees_only_own_tenant(tenants, table):
    a, b = tenants
    truth = count_all(table)
    assert truth[str(a.id)] >= 1 and truth[str(b.id)] >= 1
    with tenant_session(a.id, role="admin") as conn:  # audit_log is readable by admins only
        assert conn.execute(sa.text(f"SELECT count(*) FROM {table}")).scalar_one() == truth[str(a.id)]
        assert conn.execute(sa.text(f"SELECT count(*) FROM {table} WHERE tenant_id = :b"),
                            {"b": b.id}).scalar_one() == 0
    with tenant_session(a.id, readonly=table in ("stores", "products", "sales", "stock", "patients")) as conn:
        assert conn.execute(sa.text(f"SELECT count(*) FROM {table} WHERE tenant_id <> :a"),
                            {"a": a.id}).scalar_one() == 0


@pytest.mark.parametrize("table", TENANT_TABLES)
def test_cannot_insert_into_other_tenant(tenants, table):
    a, b = tenants
    before = count_all(table)
    with pytest.raises(DBAPIError) as err:
        with tenant_session(a.id) as conn:
            # Same statement as the seed, but forcing tenant B's id onto the row.
            sql = SEED_SQL[table][0]
            cols_start = sql.index("(") + 1
            forged = sql[:cols_start] + "tenant_id, " + sql[cols_start:]
            forged = forged.replace("VALUES (", "VALUES (CAST(:b AS uuid), ", 1).replace("SELECT id,",
                                                                                   "SELECT CAST(:b AS uuid), id,", 1)
            if table == "document_chunks":  # needs an existing document: take A's own, with a new index
                forged = forged.replace(", 0,", ", 99,")
            tag = "alpha" if table == "document_chunks" else f"forged-{table}"
            conn.execute(sa.text(forged), {"tag": tag, "b": b.id})
    assert "row-level security" in str(err.value) or "permission denied" in str(err.value)
    assert count_all(table) == before


@pytest.mark.parametrize("table", TENANT_TABLES)
def test_cannot_update_or_delete_other_tenant(tenants, table):
    a, b = tenants
    before = count_all(table)
    with tenant_session(b.id, role="admin") as conn:
        b_snapshot = conn.execute(sa.text(f"SELECT * FROM {table} ORDER BY 1, 2")).all()
    try:
        with tenant_session(a.id) as conn:
            upd = conn.execute(sa.text(f"UPDATE {table} SET tenant_id = tenant_id WHERE tenant_id = :b"), {"b": b.id})
            assert upd.rowcount == 0
            dele = conn.execute(sa.text(f"DELETE FROM {table} WHERE tenant_id = :b"), {"b": b.id})
            assert dele.rowcount == 0
            dele_all = conn.execute(sa.text(f"DELETE FROM {table} WHERE tenant_id <> :a"), {"a": a.id})
            assert dele_all.rowcount == 0
    except DBAPIError as exc:  # audit_log and monitor_turns are append-only for the app role
        assert table in ("audit_log", "monitor_turns") and "permission denied" in str(exc)
    # Moving one of A's own rows to B is refused by WITH CHECK.
    if table not in ("audit_log", "monitor_turns"):
        with pytest.raises(DBAPIError, match="row-level security"):
            with tenant_session(a.id) as conn:
                conn.execute(sa.text(f"UPDATE {table} SET tenant_id = :b"), {"b": b.id})
    assert count_all(table) == before
    with tenant_session(b.id, role="admin") as conn:
        assert conn.execute(sa.text(f"SELECT * FROM {table} ORDER BY 1, 2")).all() == b_snapshot


@pytest.mark.parametrize("table", (*TENANT_TABLES, "tenants"))
def test_no_tenant_set_sees_nothing(tenants, table):
    with app_engine().connect() as conn:
        assert conn.execute(sa.text(f"SELECT count(*) FROM {table}")).scalar_one() == 0
        conn.rollback()
        conn.execute(sa.text("SELECT set_config('app.tenant_id', '', false)"))
        assert conn.execute(sa.text(f"SELECT count(*) FROM {table}")).scalar_one() == 0
        conn.rollback()


def test_tenant_setting_does_not_outlive_the_transaction(tenants):
    a, _ = tenants
    with tenant_session(a.id) as conn:
        raw = conn.connection.dbapi_connection
        assert conn.execute(sa.text("SELECT count(*) FROM stores")).scalar_one() >= 1
    # The same pooled connection, now outside any tenant_session: nothing visible.
    with app_engine().connect() as conn:
        assert conn.execute(sa.text("SELECT current_setting('app.tenant_id', true)")).scalar() in ("", None)
        assert conn.execute(sa.text("SELECT count(*) FROM stores")).scalar_one() == 0
    assert raw is not None


def test_chunk_cannot_point_at_another_tenants_document(tenants):
    a, b = tenants
    with tenant_session(b.id) as conn:
        b_doc = conn.execute(sa.text("SELECT id FROM documents LIMIT 1")).scalar_one()
    with pytest.raises(DBAPIError, match="foreign key"):
        with tenant_session(a.id) as conn:
            conn.execute(sa.text(f"INSERT INTO document_chunks (document_id, chunk_index, content, embedding) "
                                 f"VALUES (:d, 5, 'x', '{ZERO_VEC}')"), {"d": b_doc})


def test_tenants_table_shows_only_own_row(tenants):
    a, b = tenants
    with tenant_session(a.id) as conn:
        rows = conn.execute(sa.text("SELECT slug FROM tenants")).scalars().all()
    assert rows == ["iso-a"]


def test_tenant_session_rejects_missing_or_malformed_tenant(database):
    for bad in (None, "", "not-a-uuid", "1; DROP TABLE sales"):
        with pytest.raises(NoTenantError):
            with tenant_session(bad):  # type: ignore[arg-type]
                pass


def test_app_role_is_not_superuser_owner_or_bypassrls(tenants):
    a, _ = tenants
    with tenant_session(a.id) as conn:
        user = conn.execute(sa.text("SELECT current_user")).scalar_one()
        su, bypass = conn.execute(sa.text(
            "SELECT rolsuper, rolbypassrls FROM pg_roles WHERE rolname = current_user")).one()
        owners = set(conn.execute(sa.text(
            "SELECT DISTINCT tableowner FROM pg_tables WHERE schemaname = 'public'")).scalars())
    assert user == "sightline_app"
    assert (su, bypass) == (False, False)
    assert user not in owners


def test_superuser_would_bypass_rls_which_is_why_tenant_work_never_uses_it(tenants):
    """Documents the trap: the admin (superuser) sees every tenant even with FORCE RLS and no tenant set."""
    a, b = tenants
    with admin_engine().connect() as conn:
        is_super = conn.execute(sa.text("SELECT rolsuper FROM pg_roles WHERE rolname = current_user")).scalar_one()
        seen = set(conn.execute(sa.text("SELECT DISTINCT tenant_id FROM stores")).scalars())
    assert is_super and {a.id, b.id} <= seen
    with tenant_session(a.id) as conn:
        assert set(conn.execute(sa.text("SELECT DISTINCT tenant_id FROM stores")).scalars()) == {a.id}


@pytest.mark.parametrize("statement", [
    f"SET ROLE {OWNER_ROLE}",
    "SET ROLE postgres",
    "SET SESSION AUTHORIZATION postgres",
    "ALTER TABLE sales DISABLE ROW LEVEL SECURITY",
    "ALTER TABLE sales NO FORCE ROW LEVEL SECURITY",
    "DROP POLICY sales_select ON sales",
    "CREATE POLICY sneaky ON sales FOR SELECT USING (true)",
    "ALTER ROLE sightline_app BYPASSRLS",
    "GRANT sightline_owner TO sightline_app",
])
def test_app_role_cannot_escalate(tenants, statement):
    a, _ = tenants
    with pytest.raises(DBAPIError) as err:
        with tenant_session(a.id) as conn:
            conn.execute(sa.text(statement))
    assert any(w in str(err.value) for w in ("permission denied", "must be owner", "must be superuser",
                                              "must have", "Only roles with"))


def test_reader_role_cannot_write_even_after_turning_read_only_off(tenants):
    a, _ = tenants
    with reader_engine().connect() as conn:
        assert conn.execute(sa.text("SHOW default_transaction_read_only")).scalar_one() == "on"
        conn.rollback()
    for prelude in ("SET transaction_read_only = off", "SET TRANSACTION READ WRITE",
                    "SET default_transaction_read_only = off"):
        with reader_engine().connect() as conn:
            conn.execute(sa.text(prelude))
            conn.execute(sa.text("SELECT set_config('app.tenant_id', :t, true)"), {"t": str(a.id)})
            for write in ("INSERT INTO stores (store_code, name, city, state) VALUES ('X', 'X', 'X', 'XX')",
                          "UPDATE stores SET name = 'hacked'", "DELETE FROM stores"):
                with pytest.raises(DBAPIError, match="permission denied|read-only"):
                    with conn.begin_nested():
                        conn.execute(sa.text(write))
            conn.rollback()
    with reader_engine().connect() as conn:
        with pytest.raises(DBAPIError, match="permission denied"):
            conn.execute(sa.text("SELECT * FROM users"))


def test_readonly_session_uses_reader_role_and_timeout(tenants):
    a, _ = tenants
    with tenant_session(a.id, readonly=True, statement_timeout_ms=300) as conn:
        assert conn.execute(sa.text("SELECT current_user")).scalar_one() == "sightline_reader"
        with pytest.raises(DBAPIError, match="statement timeout|canceling statement"):
            conn.execute(sa.text("SELECT count(*) FROM generate_series(1, 500000000)"))


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_property_random_tenants_and_rows(tenants, data):
    """Random tenants with random stores: every session sees exactly its own rows, whatever was written."""
    n = data.draw(st.integers(min_value=2, max_value=4))
    made = []
    for _ in range(n):
        t = registry.add_tenant(f"p-{uuid.uuid4().hex[:10]}", "Prop")
        codes = data.draw(st.lists(st.text("ABCDEFGHJK0123456789", min_size=1, max_size=6), min_size=0,
                                   max_size=5, unique=True))
        with tenant_session(t.id) as conn:
            for code in codes:
                conn.execute(sa.text("INSERT INTO stores (store_code, name, city, state) "
                                     "VALUES (:c, :c, 'City', 'WA')"), {"c": code})
        made.append((t, set(codes)))
    for t, codes in made:
        with tenant_session(t.id) as conn:
            seen = set(conn.execute(sa.text("SELECT store_code FROM stores")).scalars())
            tids = set(conn.execute(sa.text("SELECT DISTINCT tenant_id FROM stores")).scalars())
        assert seen == codes
        assert tids <= {t.id}
