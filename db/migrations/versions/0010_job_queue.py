"""Job queue: procrastinate's schema in its own PostgreSQL schema `sightline_queue`, plus the training job logs.

- `sightline_queue` holds procrastinate's tables, types and functions (the SQL shipped with the pinned procrastinate
  version, `procrastinate.schema.SchemaManager.get_schema()`), owned by the NOLOGIN owner role. PUBLIC, and so the
  app and reader roles, get no USAGE on the schema and no EXECUTE on its functions: a chat request can neither read
  nor write the queue. The worker and the operator CLI use the admin connection (training/queue.py), like the rest
  of the training control plane, with `search_path=sightline_queue`; every function also pins its search_path so its
  triggers resolve the queue's tables whatever the caller's path.
- `training_jobs` gains `priority` (higher runs first) and `attempts` (trainer starts, > 1 after a resume by a
  worker); `training_job_logs` keeps each job's trainer output in chunks so `sightline jobs logs JOB` can download
  it from any machine. Like the other job tables it is operator-only: FORCE row-level security, no policy, no grant.

Upgrading procrastinate later means a new revision that applies its migration files from
`procrastinate/sql/migrations/` (in the same schema) between the two pinned versions.

Revision ID: 0010
Revises: 0009
"""

from alembic import op

from db.roles import OWNER_ROLE

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None

QUEUE_SCHEMA = "sightline_queue"

LOGS = """
ALTER TABLE training_jobs ADD COLUMN priority integer NOT NULL DEFAULT 0;
ALTER TABLE training_jobs ADD COLUMN attempts integer NOT NULL DEFAULT 0;
CREATE TABLE training_job_logs (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    job_id text NOT NULL REFERENCES training_jobs(id) ON DELETE CASCADE,
    at timestamptz NOT NULL DEFAULT now(),
    chunk text NOT NULL
);
CREATE INDEX training_job_logs_job_idx ON training_job_logs (job_id, id);
ALTER TABLE training_job_logs ENABLE ROW LEVEL SECURITY;
ALTER TABLE training_job_logs FORCE ROW LEVEL SECURITY;
"""

PIN_SEARCH_PATH = f"""
DO $$
DECLARE
    f record;
BEGIN
    FOR f IN SELECT p.oid::regprocedure AS sig FROM pg_proc p
             WHERE p.pronamespace = '{QUEUE_SCHEMA}'::regnamespace LOOP
        EXECUTE format('ALTER FUNCTION %s SET search_path = {QUEUE_SCHEMA}, pg_catalog', f.sig);
        EXECUTE format('REVOKE ALL ON FUNCTION %s FROM PUBLIC', f.sig);
    END LOOP;
END
$$;
"""


def upgrade() -> None:
    from procrastinate.schema import SchemaManager

    op.execute(f"CREATE SCHEMA {QUEUE_SCHEMA} AUTHORIZATION {OWNER_ROLE}")
    op.execute(f"REVOKE ALL ON SCHEMA {QUEUE_SCHEMA} FROM PUBLIC")
    op.execute(f"SET ROLE {OWNER_ROLE}")
    op.execute(f"SET LOCAL search_path = {QUEUE_SCHEMA}, pg_catalog")
    # The schema is plain SQL with literal `%` and `:`: run it on the driver connection without parameter parsing.
    op.get_bind().connection.driver_connection.execute(SchemaManager.get_schema())
    op.execute(PIN_SEARCH_PATH)
    op.execute("SET LOCAL search_path = public")
    op.execute(LOGS)
    op.execute("RESET ROLE")
    op.execute("RESET search_path")


def downgrade() -> None:
    op.execute(f"DROP SCHEMA IF EXISTS {QUEUE_SCHEMA} CASCADE")
    op.execute(f"SET ROLE {OWNER_ROLE}")
    op.execute("DROP TABLE IF EXISTS training_job_logs")
    op.execute("ALTER TABLE training_jobs DROP COLUMN IF EXISTS attempts, DROP COLUMN IF EXISTS priority")
    op.execute("RESET ROLE")
