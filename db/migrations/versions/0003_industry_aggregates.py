"""Industry aggregates (suppression enforced by CHECKs) and the agent's conversation checkpoints under RLS.

Revision ID: 0003
Revises: 0002
"""

from alembic import op

from db.roles import APP_ROLE, OWNER_ROLE

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None

# Not a tenant table: it holds no tenant_id and no per-tenant figure. The CHECKs make it impossible to store a
# cell built from fewer than 11 records or fewer than 3 tenants, whatever code writes it.
TABLE = """
CREATE TABLE industry_aggregates (
    metric text NOT NULL,
    dimension text NOT NULL,
    bucket text NOT NULL,
    period text NOT NULL,
    value numeric NOT NULL,
    unit text NOT NULL,
    n_records integer NOT NULL CHECK (n_records >= 11),
    n_tenants integer NOT NULL CHECK (n_tenants >= 3),
    refreshed_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (metric, dimension, bucket, period)
);
"""


# LangGraph's Postgres checkpointer schema (langgraph-checkpoint-postgres 3.x, its migrations 0-9), created here
# so that it is Alembic-managed and under row-level security. Thread ids are "<tenant uuid>:<user uuid>:<thread>",
# built from the Principal; the policy compares the tenant part with app.tenant_id, so a forged thread id of
# another tenant loads nothing. tests/test_agent_memory.py checks this stays in step with the library's schema.
CHECKPOINT_TABLES = """
CREATE TABLE checkpoint_migrations (v integer PRIMARY KEY);
CREATE TABLE checkpoints (
    thread_id text NOT NULL,
    checkpoint_ns text NOT NULL DEFAULT '',
    checkpoint_id text NOT NULL,
    parent_checkpoint_id text,
    type text,
    checkpoint jsonb NOT NULL,
    metadata jsonb NOT NULL DEFAULT '{}',
    PRIMARY KEY (thread_id, checkpoint_ns, checkpoint_id)
);
CREATE TABLE checkpoint_blobs (
    thread_id text NOT NULL,
    checkpoint_ns text NOT NULL DEFAULT '',
    channel text NOT NULL,
    version text NOT NULL,
    type text NOT NULL,
    blob bytea,
    PRIMARY KEY (thread_id, checkpoint_ns, channel, version)
);
CREATE TABLE checkpoint_writes (
    thread_id text NOT NULL,
    checkpoint_ns text NOT NULL DEFAULT '',
    checkpoint_id text NOT NULL,
    task_id text NOT NULL,
    idx integer NOT NULL,
    channel text NOT NULL,
    type text,
    blob bytea NOT NULL,
    task_path text NOT NULL DEFAULT '',
    PRIMARY KEY (thread_id, checkpoint_ns, checkpoint_id, task_id, idx)
);
CREATE INDEX checkpoints_thread_id_idx ON checkpoints (thread_id);
CREATE INDEX checkpoint_blobs_thread_id_idx ON checkpoint_blobs (thread_id);
CREATE INDEX checkpoint_writes_thread_id_idx ON checkpoint_writes (thread_id);
INSERT INTO checkpoint_migrations (v) SELECT generate_series(0, 9);
"""
CHECKPOINT_RLS = "split_part(thread_id, ':', 1) = sightline_current_tenant()::text"


def upgrade() -> None:
    op.execute(f"SET ROLE {OWNER_ROLE}")
    op.execute(TABLE)
    op.execute(f"GRANT SELECT ON industry_aggregates TO {APP_ROLE}")
    op.execute(CHECKPOINT_TABLES)
    for table in ("checkpoints", "checkpoint_blobs", "checkpoint_writes"):
        op.execute(f"ALTER TABLE {table} ENABLE ROW LEVEL SECURITY")
        op.execute(f"ALTER TABLE {table} FORCE ROW LEVEL SECURITY")
        op.execute(f"CREATE POLICY {table}_tenant ON {table} USING ({CHECKPOINT_RLS}) WITH CHECK ({CHECKPOINT_RLS})")
        op.execute(f"GRANT SELECT, INSERT, UPDATE, DELETE ON {table} TO {APP_ROLE}")
    op.execute(f"GRANT SELECT ON checkpoint_migrations TO {APP_ROLE}")
    op.execute("RESET ROLE")


def downgrade() -> None:
    op.execute(f"SET ROLE {OWNER_ROLE}")
    for table in ("checkpoint_writes", "checkpoint_blobs", "checkpoints", "checkpoint_migrations",
                  "industry_aggregates"):
        op.execute(f"DROP TABLE IF EXISTS {table}")
    op.execute("RESET ROLE")
