"""Tenant context that the app and reader roles cannot forge; revoke server functions the tenant roles do not need.

Before: `sightline_current_tenant()` returned `current_setting('app.tenant_id')`, which any SQL running as the app or
reader role could change with `set_config`. Now (see db/tenant_context.py) it is a SECURITY DEFINER function that
returns the tenant only when `app.tenant_proof` is the HMAC of (backend nonce, tenant, role) under a key that only the
owner role can read; `sightline_current_user_role()` does the same for `app.user_role` (the audit log's admin-only
policy). Every policy is rewritten to call them once per statement (`(SELECT f())`, an InitPlan) instead of per row.

Also (when the migrating user is a superuser, as on the embedded server; on a managed server an operator runs the
same REVOKEs, docs/security.md): PUBLIC loses EXECUTE on the backend-signalling, sleeping, advisory-lock, NOTIFY and
activity functions and SELECT on `pg_stat_activity`, so one tenant's session cannot see another's query text,
cancel it, or block it. The owner and app roles get back what the application itself uses.

Revision ID: 0008
Revises: 0007
"""

from alembic import op

from db.roles import APP_ROLE, OWNER_ROLE, READER_ROLE

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None

FUNCTIONS = f"""
CREATE SCHEMA IF NOT EXISTS sightline_private AUTHORIZATION {OWNER_ROLE};
REVOKE ALL ON SCHEMA sightline_private FROM PUBLIC;
CREATE TABLE IF NOT EXISTS sightline_private.context_key (
    id integer PRIMARY KEY CHECK (id = 1),
    ipad_key bytea NOT NULL CHECK (length(ipad_key) = 64),
    opad_key bytea NOT NULL CHECK (length(opad_key) = 64)
);
ALTER TABLE sightline_private.context_key OWNER TO {OWNER_ROLE};
REVOKE ALL ON sightline_private.context_key FROM PUBLIC;

-- The server process's nonce: pid and start time (unique for the server's life, unlike a pid alone).
CREATE OR REPLACE FUNCTION sightline_backend_nonce() RETURNS text
    LANGUAGE sql STABLE SECURITY DEFINER SET search_path = pg_catalog, pg_temp
    AS $$ SELECT pg_backend_pid()::text || ':' || (extract(epoch FROM a.backend_start) * 1000000)::bigint::text
          FROM pg_stat_get_activity(pg_backend_pid()) AS a $$;

-- The verified (tenant, role) of this transaction, or NULLs when the proof is missing or wrong.
CREATE OR REPLACE FUNCTION sightline_private.verified_context(OUT tenant uuid, OUT user_role text)
    LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = pg_catalog, pg_temp
    AS $$
DECLARE
    tid text := coalesce(current_setting('app.tenant_id', true), '');
    urole text := coalesce(current_setting('app.user_role', true), '');
    given text := coalesce(current_setting('app.tenant_proof', true), '');
    k sightline_private.context_key%ROWTYPE;
    msg bytea;
BEGIN
    IF tid = '' OR given = '' THEN
        RETURN;
    END IF;
    SELECT * INTO k FROM sightline_private.context_key WHERE id = 1;
    IF NOT FOUND THEN
        RETURN;
    END IF;
    msg := convert_to(public.sightline_backend_nonce() || '|' || tid || '|' || urole, 'UTF8');
    IF encode(sha256(k.opad_key || sha256(k.ipad_key || msg)), 'hex') = lower(given) THEN
        tenant := tid::uuid;
        user_role := urole;
    END IF;
END
$$;

CREATE OR REPLACE FUNCTION sightline_current_tenant() RETURNS uuid
    LANGUAGE sql STABLE SECURITY DEFINER SET search_path = pg_catalog, pg_temp
    AS $$ SELECT tenant FROM sightline_private.verified_context() $$;

CREATE OR REPLACE FUNCTION sightline_current_user_role() RETURNS text
    LANGUAGE sql STABLE SECURITY DEFINER SET search_path = pg_catalog, pg_temp
    AS $$ SELECT coalesce(user_role, '') FROM sightline_private.verified_context() $$;

-- The SQL tool's result-size wall (tools/sql_fetch.py): called for each row before it is sent; keeps the running total
-- of one call (call_id) in a transaction-local setting and raises once it passes the cap.
CREATE OR REPLACE FUNCTION sightline_result_fits(call_id text, row_bytes bigint, cap_bytes bigint) RETURNS boolean
    LANGUAGE plpgsql VOLATILE SET search_path = pg_catalog, pg_temp
    AS $$
DECLARE
    state text := coalesce(current_setting('sightline.result_bytes', true), '');
    total bigint := row_bytes;
BEGIN
    IF split_part(state, ':', 1) = call_id THEN
        total := total + split_part(state, ':', 2)::bigint;
    END IF;
    PERFORM set_config('sightline.result_bytes', call_id || ':' || total::text, true);
    IF total > cap_bytes THEN
        RAISE EXCEPTION USING ERRCODE = 'program_limit_exceeded',
            MESSAGE = format('the result is larger than the %s-byte cap', cap_bytes);
    END IF;
    RETURN true;
END
$$;
GRANT EXECUTE ON FUNCTION sightline_result_fits(text, bigint, bigint) TO {APP_ROLE}, {READER_ROLE};

REVOKE ALL ON FUNCTION sightline_private.verified_context() FROM PUBLIC;
GRANT EXECUTE ON FUNCTION sightline_backend_nonce(), sightline_current_tenant(), sightline_current_user_role()
    TO {APP_ROLE}, {READER_ROLE};
"""

# Every policy that calls sightline_current_tenant() per row now calls it once per statement.
WRAP_POLICIES = """
DO $$
DECLARE
    p record;
    q text;
    c text;
BEGIN
    FOR p IN SELECT schemaname, tablename, policyname, qual, with_check FROM pg_policies
             WHERE schemaname = 'public' LOOP
        q := p.qual;
        c := p.with_check;
        IF position('SELECT sightline_current_tenant' IN coalesce(q, '')) = 0 THEN
            q := replace(q, 'sightline_current_tenant()', '(SELECT sightline_current_tenant())');
        END IF;
        IF position('SELECT sightline_current_tenant' IN coalesce(c, '')) = 0 THEN
            c := replace(c, 'sightline_current_tenant()', '(SELECT sightline_current_tenant())');
        END IF;
        IF q IS DISTINCT FROM p.qual THEN
            EXECUTE format('ALTER POLICY %I ON %I.%I USING (%s)', p.policyname, p.schemaname, p.tablename, q);
        END IF;
        IF c IS DISTINCT FROM p.with_check THEN
            EXECUTE format('ALTER POLICY %I ON %I.%I WITH CHECK (%s)', p.policyname, p.schemaname, p.tablename, c);
        END IF;
    END LOOP;
END
$$;
"""

AUDIT_ADMIN_ONLY = ("tenant_id = (SELECT sightline_current_tenant()) "
                    "AND (SELECT sightline_current_user_role()) = 'admin'")

# Server functions no tenant role needs; (function signature, roles that get it back).
REVOKED = (
    ("pg_terminate_backend(integer, bigint)", ()),
    ("pg_cancel_backend(integer)", ()),
    ("pg_sleep(double precision)", ()),
    ("pg_sleep_for(interval)", ()),
    ("pg_sleep_until(timestamp with time zone)", ()),
    ("pg_notify(text, text)", (OWNER_ROLE, APP_ROLE)),
    ("pg_listening_channels()", (OWNER_ROLE, APP_ROLE)),
    ("pg_stat_get_activity(integer)", (OWNER_ROLE,)),
    ("pg_stat_get_backend_activity(integer)", ()),
    ("pg_blocking_pids(integer)", ()),
)
ADVISORY = ("pg_advisory_lock", "pg_advisory_lock_shared", "pg_advisory_unlock", "pg_advisory_unlock_shared",
            "pg_advisory_unlock_all", "pg_advisory_xact_lock", "pg_advisory_xact_lock_shared", "pg_try_advisory_lock",
            "pg_try_advisory_lock_shared", "pg_try_advisory_xact_lock", "pg_try_advisory_xact_lock_shared")


def _revoke_sql() -> str:
    statements = []
    for signature, back in REVOKED:
        statements.append(f"REVOKE EXECUTE ON FUNCTION pg_catalog.{signature} FROM PUBLIC;")
        if back:
            statements.append(f"GRANT EXECUTE ON FUNCTION pg_catalog.{signature} TO {', '.join(back)};")
    body = "\n".join(f"    {s}" for s in statements)
    advisory = ", ".join(f"'{name}'" for name in ADVISORY)
    return f"""
DO $$
DECLARE
    f record;
BEGIN
    IF NOT (SELECT rolsuper FROM pg_roles WHERE rolname = current_user) THEN
        RAISE NOTICE 'not a superuser: run the REVOKE statements of migration 0008 as one (docs/security.md)';
        RETURN;
    END IF;
{body}
    REVOKE SELECT ON pg_catalog.pg_stat_activity FROM PUBLIC;
    GRANT SELECT ON pg_catalog.pg_stat_activity TO {OWNER_ROLE};
    FOR f IN SELECT p.oid::regprocedure AS sig FROM pg_proc p
             WHERE p.pronamespace = 'pg_catalog'::regnamespace AND p.proname IN ({advisory}) LOOP
        EXECUTE format('REVOKE EXECUTE ON FUNCTION %s FROM PUBLIC', f.sig);
        EXECUTE format('GRANT EXECUTE ON FUNCTION %s TO {OWNER_ROLE}, {APP_ROLE}', f.sig);
    END LOOP;
END
$$;
"""


def upgrade() -> None:
    op.execute(FUNCTIONS)
    op.execute("ALTER FUNCTION sightline_backend_nonce() OWNER TO " + OWNER_ROLE)
    op.execute("ALTER FUNCTION sightline_private.verified_context() OWNER TO " + OWNER_ROLE)
    op.execute("ALTER FUNCTION sightline_current_tenant() OWNER TO " + OWNER_ROLE)
    op.execute("ALTER FUNCTION sightline_current_user_role() OWNER TO " + OWNER_ROLE)
    op.execute(f"GRANT EXECUTE ON FUNCTION pg_catalog.pg_stat_get_activity(integer) TO {OWNER_ROLE}")
    # backend_start of the caller's own process is hidden from a role other than the session's unless it can read
    # all statistics; the NOLOGIN owner reaches it only through sightline_backend_nonce().
    op.execute(f"GRANT pg_read_all_stats TO {OWNER_ROLE}")
    op.execute(f"SET ROLE {OWNER_ROLE}")
    op.execute("DROP POLICY audit_log_select ON audit_log")
    op.execute(f"CREATE POLICY audit_log_select ON audit_log FOR SELECT USING ({AUDIT_ADMIN_ONLY})")
    op.execute(WRAP_POLICIES)
    op.execute("RESET ROLE")
    op.execute(_revoke_sql())
    # The key itself is written by db.tenant_context.install_key() at the end of db.migrate.upgrade().


def downgrade() -> None:
    op.execute(f"SET ROLE {OWNER_ROLE}")
    op.execute("DROP POLICY audit_log_select ON audit_log")
    op.execute("CREATE POLICY audit_log_select ON audit_log FOR SELECT USING (tenant_id = sightline_current_tenant() "
               "AND current_setting('app.user_role', true) = 'admin')")
    op.execute("""CREATE OR REPLACE FUNCTION sightline_current_tenant() RETURNS uuid
    LANGUAGE sql STABLE PARALLEL SAFE SECURITY INVOKER
    AS $$ SELECT NULLIF(current_setting('app.tenant_id', true), '')::uuid $$""")
    op.execute("RESET ROLE")
    op.execute("DROP FUNCTION IF EXISTS sightline_current_user_role()")
    op.execute("DROP FUNCTION IF EXISTS sightline_result_fits(text, bigint, bigint)")
    op.execute("DROP FUNCTION IF EXISTS sightline_backend_nonce() CASCADE")
    op.execute("DROP SCHEMA IF EXISTS sightline_private CASCADE")
