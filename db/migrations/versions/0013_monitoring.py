"""Monitoring (FR-018.5) and staged rollout: one row per answered or failed chat turn (`monitor_turns`), the alerts
raised from them (`monitor_alerts`) and a tenant's staged-rollout setting (`rollout_configs`).

All three are standard tenant tables (tenant_id NOT NULL, FORCE row-level security, four policies).

- `monitor_turns` stores no question text: only the question's embedding (`real[]`, the deployment's embedding model)
  for drift detection, the route, the model label, the registry version and arm that answered (production/staging),
  the outcome (ok/error/timeout), latency and the estimated cost. Append-only for the app role.
- `monitor_alerts`: kind (quality, error_rate, latency, cost, drift, route_drift), what was measured, where it was
  delivered, and who acknowledged it when.
- `rollout_configs`: serve `<target>@staging` to `share` (0..1) of the tenant's users (deterministic hash of the user
  id) and to the listed users.

Revision ID: 0013
Revises: 0012
"""

from alembic import op

from db.migrations.rls import TENANT_PER_STATEMENT, tenant_rls_sql
from db.roles import APP_ROLE, OWNER_ROLE

revision = "0013"
down_revision = "0012"
branch_labels = None
depends_on = None

NEW_TABLES = ("monitor_turns", "monitor_alerts", "rollout_configs")
TENANT_DEFAULT = "DEFAULT sightline_current_tenant()"

TABLES = f"""
CREATE TABLE monitor_turns (
    tenant_id uuid NOT NULL {TENANT_DEFAULT} REFERENCES tenants(id) ON DELETE CASCADE,
    id bigint GENERATED ALWAYS AS IDENTITY,
    at timestamptz NOT NULL DEFAULT now(),
    user_id uuid,
    route text NOT NULL,
    model text NOT NULL DEFAULT '',
    version text,
    arm text NOT NULL DEFAULT 'production' CHECK (arm IN ('production', 'staging')),
    status text NOT NULL CHECK (status IN ('ok', 'error', 'timeout')),
    latency_ms integer NOT NULL CHECK (latency_ms >= 0),
    cost_usd double precision NOT NULL DEFAULT 0 CHECK (cost_usd >= 0),
    embedding real[],
    PRIMARY KEY (tenant_id, id)
);
CREATE INDEX monitor_turns_at_idx ON monitor_turns (tenant_id, at);

CREATE TABLE monitor_alerts (
    tenant_id uuid NOT NULL {TENANT_DEFAULT} REFERENCES tenants(id) ON DELETE CASCADE,
    id bigint GENERATED ALWAYS AS IDENTITY,
    at timestamptz NOT NULL DEFAULT now(),
    kind text NOT NULL CHECK (kind IN ('quality', 'error_rate', 'latency', 'cost', 'drift', 'route_drift')),
    subject text NOT NULL CHECK (length(subject) <= 500),
    detail text NOT NULL DEFAULT '' CHECK (length(detail) <= 4000),
    measured jsonb NOT NULL DEFAULT '{{}}'::jsonb,
    delivered text[] NOT NULL DEFAULT '{{}}',
    delivery_errors text[] NOT NULL DEFAULT '{{}}',
    acked_at timestamptz,
    acked_by uuid,
    PRIMARY KEY (tenant_id, id)
);
CREATE INDEX monitor_alerts_open_idx ON monitor_alerts (tenant_id, kind) WHERE acked_at IS NULL;

CREATE TABLE rollout_configs (
    tenant_id uuid NOT NULL {TENANT_DEFAULT} REFERENCES tenants(id) ON DELETE CASCADE PRIMARY KEY,
    target text NOT NULL CHECK (target = 'industry' OR target ~ '^tenant:[a-z0-9][a-z0-9-]{{0,62}}$'),
    share double precision NOT NULL DEFAULT 0 CHECK (share >= 0 AND share <= 1),
    users uuid[] NOT NULL DEFAULT '{{}}',
    updated_at timestamptz NOT NULL DEFAULT now()
);
"""


def upgrade() -> None:
    op.execute(f"SET ROLE {OWNER_ROLE}")
    op.execute(TABLES)
    for table in NEW_TABLES:
        op.execute(tenant_rls_sql(table, TENANT_PER_STATEMENT))  # once per statement (0008)
    op.execute(f"GRANT SELECT, INSERT ON monitor_turns TO {APP_ROLE}")  # append-only for the app
    op.execute(f"GRANT SELECT, INSERT, UPDATE, DELETE ON monitor_alerts TO {APP_ROLE}")
    op.execute(f"GRANT SELECT, INSERT, UPDATE, DELETE ON rollout_configs TO {APP_ROLE}")
    op.execute(f"GRANT USAGE ON ALL SEQUENCES IN SCHEMA public TO {APP_ROLE}")
    op.execute("RESET ROLE")


def downgrade() -> None:
    op.execute(f"SET ROLE {OWNER_ROLE}")
    op.execute("DROP TABLE IF EXISTS rollout_configs, monitor_alerts, monitor_turns CASCADE")
    op.execute("RESET ROLE")
