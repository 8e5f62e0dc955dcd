"""Audit log readable by the tenant's admins only; `rate_buckets` (token buckets shared by every process), with RLS.

Revision ID: 0002
Revises: 0001
"""

from alembic import op

from db.migrations.rls import TENANT, tenant_policies_sql
from db.roles import APP_ROLE, OWNER_ROLE

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None

# `app.user_role` is set next to app.tenant_id by tenant_session(role=...) from the Principal's role.
ADMIN_ONLY = f"{TENANT} AND current_setting('app.user_role', true) = 'admin'"

RATE_BUCKETS = """
CREATE TABLE rate_buckets (
    tenant_id uuid NOT NULL DEFAULT sightline_current_tenant() REFERENCES tenants(id) ON DELETE CASCADE,
    bucket_key text NOT NULL CHECK (length(bucket_key) BETWEEN 1 AND 200),
    tokens double precision NOT NULL CHECK (tokens >= 0),
    updated_at timestamptz NOT NULL DEFAULT clock_timestamp(),
    PRIMARY KEY (tenant_id, bucket_key)
);
ALTER TABLE rate_buckets ENABLE ROW LEVEL SECURITY;
ALTER TABLE rate_buckets FORCE ROW LEVEL SECURITY;
"""


def upgrade() -> None:
    op.execute(f"SET ROLE {OWNER_ROLE}")
    # Members still INSERT (every turn writes a row, without RETURNING); only admins read their tenant's rows.
    op.execute("DROP POLICY audit_log_select ON audit_log")
    op.execute(f"CREATE POLICY audit_log_select ON audit_log FOR SELECT USING ({ADMIN_ONLY})")

    op.execute(RATE_BUCKETS)
    op.execute(tenant_policies_sql("rate_buckets"))
    op.execute(f"GRANT SELECT, INSERT, UPDATE, DELETE ON rate_buckets TO {APP_ROLE}")
    op.execute("RESET ROLE")


def downgrade() -> None:
    op.execute(f"SET ROLE {OWNER_ROLE}")
    op.execute("DROP TABLE IF EXISTS rate_buckets")
    op.execute("DROP POLICY audit_log_select ON audit_log")
    op.execute(f"CREATE POLICY audit_log_select ON audit_log FOR SELECT USING ({TENANT})")
    op.execute("RESET ROLE")
