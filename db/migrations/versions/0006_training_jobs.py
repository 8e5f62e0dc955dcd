"""Training jobs and the model registry (control plane): `training_jobs`, `training_events`, `model_versions`,
`model_promotions`.

Written by the operator CLI through the admin connection. All four tables are under FORCE row-level security. Jobs,
their events and the promotion history are operator-only: the app role has no grant and no policy on them. The app
role may only read `model_versions`, to resolve an alias such as `industry@production` at request time: industry
versions (no tenant) are visible to every session, a tenant adapter's versions only to that tenant's sessions.

The database also enforces the promotion rule: a version can only be in `production` with a passing evaluation and a
passing leak test, and each target (`industry`, `tenant:<slug>`) has at most one `production` and one `staging`
version, so an alias resolves to exactly one row. The tenant column is named `scope_tenant_id` (nullable, read-only
for the app), like 0004's, not `tenant_id` (the isolation tests treat every `tenant_id` table as tenant data).

Revision ID: 0006
Revises: 0005
"""

from alembic import op

from db.roles import APP_ROLE, OWNER_ROLE

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None

TARGET_CHECK = "(target = 'industry' OR target ~ '^tenant:[a-z0-9][a-z0-9-]{0,62}$')"

TABLES = f"""
CREATE TABLE training_jobs (
    id text PRIMARY KEY CHECK (id ~ '^[0-9a-f]{{10}}$'),
    status text NOT NULL DEFAULT 'queued'
        CHECK (status IN ('queued', 'running', 'succeeded', 'failed', 'cancelled')),
    target text NOT NULL CHECK {TARGET_CHECK},
    scope_tenant_id uuid REFERENCES tenants(id) ON DELETE CASCADE,
    dataset_name text NOT NULL,
    dataset_version text NOT NULL CHECK (dataset_version ~ '^[0-9a-f]{{12}}$'),
    preset text NOT NULL,
    base_model text NOT NULL,
    config jsonb NOT NULL,
    -- sha256 of the resolved command (dataset version, target, base, hyperparameters): re-running the same command
    -- finds the unfinished job and resumes it.
    fingerprint text NOT NULL,
    job_dir text NOT NULL,
    step integer NOT NULL DEFAULT 0 CHECK (step >= 0),
    total_steps integer NOT NULL CHECK (total_steps > 0),
    best_val_loss double precision,
    best_step integer,
    estimate jsonb,
    result jsonb,
    error text,
    pid integer,
    host text,
    created_at timestamptz NOT NULL DEFAULT now(),
    started_at timestamptz,
    finished_at timestamptz,
    heartbeat_at timestamptz,
    CHECK ((target = 'industry') = (scope_tenant_id IS NULL))
);
CREATE INDEX training_jobs_fingerprint_idx ON training_jobs (fingerprint, created_at DESC);

CREATE TABLE training_events (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    job_id text NOT NULL REFERENCES training_jobs(id) ON DELETE CASCADE,
    at timestamptz NOT NULL DEFAULT now(),
    kind text NOT NULL CHECK (kind IN ('log', 'eval', 'checkpoint', 'status')),
    step integer NOT NULL,
    epoch double precision,
    train_loss double precision,
    val_loss double precision,
    lr double precision,
    tokens bigint,
    seconds double precision,
    message text
);
CREATE INDEX training_events_job_idx ON training_events (job_id, id);

CREATE TABLE model_versions (
    id text PRIMARY KEY CHECK (id ~ '^[a-z0-9][a-z0-9-]{{0,80}}-v[0-9]+$'),
    target text NOT NULL CHECK {TARGET_CHECK},
    scope_tenant_id uuid REFERENCES tenants(id) ON DELETE CASCADE,
    number integer NOT NULL CHECK (number > 0),
    status text NOT NULL DEFAULT 'training'
        CHECK (status IN ('training', 'evaluated', 'staging', 'production', 'archived')),
    job_id text REFERENCES training_jobs(id) ON DELETE SET NULL,
    base_model text NOT NULL,
    adapter_path text NOT NULL,
    dataset_name text NOT NULL,
    dataset_version text NOT NULL,
    metrics jsonb,
    eval_report text,
    eval_passed boolean,
    leak_test jsonb,
    leak_passed boolean,
    note text,
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now(),
    UNIQUE (target, number),
    CHECK ((target = 'industry') = (scope_tenant_id IS NULL)),
    -- the promotion gate, enforced below the CLI as well
    CHECK (status <> 'production' OR (eval_passed IS TRUE AND leak_passed IS TRUE)),
    CHECK (status <> 'staging' OR eval_passed IS NOT NULL)
);
CREATE UNIQUE INDEX model_versions_one_production ON model_versions (target) WHERE status = 'production';
CREATE UNIQUE INDEX model_versions_one_staging ON model_versions (target) WHERE status = 'staging';
CREATE INDEX model_versions_tenant_idx ON model_versions (scope_tenant_id);

CREATE TABLE model_promotions (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    at timestamptz NOT NULL DEFAULT now(),
    target text NOT NULL,
    stage text NOT NULL CHECK (stage IN ('staging', 'production')),
    action text NOT NULL CHECK (action IN ('promote', 'rollback')),
    version_id text NOT NULL REFERENCES model_versions(id) ON DELETE CASCADE,
    previous_version_id text REFERENCES model_versions(id) ON DELETE SET NULL,
    note text
);
CREATE INDEX model_promotions_target_idx ON model_promotions (target, stage, id DESC);

ALTER TABLE training_jobs ENABLE ROW LEVEL SECURITY;
ALTER TABLE training_jobs FORCE ROW LEVEL SECURITY;
ALTER TABLE training_events ENABLE ROW LEVEL SECURITY;
ALTER TABLE training_events FORCE ROW LEVEL SECURITY;
ALTER TABLE model_promotions ENABLE ROW LEVEL SECURITY;
ALTER TABLE model_promotions FORCE ROW LEVEL SECURITY;

ALTER TABLE model_versions ENABLE ROW LEVEL SECURITY;
ALTER TABLE model_versions FORCE ROW LEVEL SECURITY;
CREATE POLICY model_versions_select ON model_versions FOR SELECT
    USING (scope_tenant_id IS NULL OR scope_tenant_id = sightline_current_tenant());
"""


def upgrade() -> None:
    op.execute(f"SET ROLE {OWNER_ROLE}")
    op.execute(TABLES)
    op.execute(f"GRANT SELECT ON model_versions TO {APP_ROLE}")
    op.execute("RESET ROLE")


def downgrade() -> None:
    op.execute(f"SET ROLE {OWNER_ROLE}")
    op.execute("DROP TABLE IF EXISTS model_promotions, model_versions, training_events, training_jobs CASCADE")
    op.execute("RESET ROLE")
