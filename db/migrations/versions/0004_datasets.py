"""Training datasets (control plane): `datasets` (scope: one tenant, or pooled) and immutable `dataset_versions`.

Written by the operator CLI through the admin connection. Both tables are under FORCE row-level security: a tenant
session sees only its own tenant's datasets (never pooled ones, never another tenant's), and the app role may only
read. A dataset's scope and tenant, and every stored version, cannot be changed after creation (triggers), so a
tenant's raw data cannot be relabelled as pooled to reach the industry model.

Revision ID: 0004
Revises: 0003
"""

from alembic import op

from db.roles import APP_ROLE, OWNER_ROLE

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None

TABLES = """
CREATE TABLE datasets (
    id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    name text NOT NULL UNIQUE CHECK (name ~ '^[a-z0-9][a-z0-9_-]{0,62}$'),
    scope text NOT NULL CHECK (scope IN ('tenant', 'pooled')),
    -- Not named tenant_id: this is a control-plane row (NULL for pooled datasets) with a read-only policy, not a
    -- tenant data table with the standard four policies (tests/test_isolation.py covers those by that column name).
    scope_tenant_id uuid REFERENCES tenants(id) ON DELETE CASCADE,
    current_version text,
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now(),
    CHECK ((scope = 'tenant') = (scope_tenant_id IS NOT NULL))
);
CREATE INDEX datasets_tenant_idx ON datasets (scope_tenant_id);

CREATE TABLE dataset_versions (
    dataset_id uuid NOT NULL REFERENCES datasets(id) ON DELETE CASCADE,
    version text NOT NULL CHECK (version ~ '^[0-9a-f]{12}$'),
    created_at timestamptz NOT NULL DEFAULT now(),
    source_name text NOT NULL,
    format text NOT NULL,
    n_train integer NOT NULL CHECK (n_train >= 0),
    n_val integer NOT NULL CHECK (n_val >= 0),
    n_test integer NOT NULL CHECK (n_test >= 0),
    report jsonb NOT NULL,
    path text NOT NULL,
    redacted boolean NOT NULL,
    deduped boolean NOT NULL,
    -- True only when every stored record passed a PII scan with zero findings: after --redact, or built by the
    -- industry builder (which drops any record with a finding).
    anonymized boolean NOT NULL,
    builder text CHECK (builder IN ('industry')),
    CHECK (NOT anonymized OR redacted OR builder IS NOT NULL),
    PRIMARY KEY (dataset_id, version)
);

ALTER TABLE datasets ADD CONSTRAINT datasets_current_version_fk FOREIGN KEY (id, current_version)
    REFERENCES dataset_versions (dataset_id, version) DEFERRABLE INITIALLY DEFERRED;

CREATE FUNCTION sightline_dataset_scope_frozen() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF NEW.scope IS DISTINCT FROM OLD.scope OR NEW.scope_tenant_id IS DISTINCT FROM OLD.scope_tenant_id
       OR NEW.name IS DISTINCT FROM OLD.name THEN
        RAISE EXCEPTION 'dataset %: name, scope and tenant cannot change after creation', OLD.name;
    END IF;
    RETURN NEW;
END $$;
CREATE TRIGGER datasets_scope_frozen BEFORE UPDATE ON datasets
    FOR EACH ROW EXECUTE FUNCTION sightline_dataset_scope_frozen();

CREATE FUNCTION sightline_dataset_version_immutable() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'dataset versions are immutable; add a new version instead';
END $$;
CREATE TRIGGER dataset_versions_immutable BEFORE UPDATE ON dataset_versions
    FOR EACH ROW EXECUTE FUNCTION sightline_dataset_version_immutable();

ALTER TABLE datasets ENABLE ROW LEVEL SECURITY;
ALTER TABLE datasets FORCE ROW LEVEL SECURITY;
CREATE POLICY datasets_select ON datasets FOR SELECT USING (scope_tenant_id = sightline_current_tenant());

ALTER TABLE dataset_versions ENABLE ROW LEVEL SECURITY;
ALTER TABLE dataset_versions FORCE ROW LEVEL SECURITY;
-- The subquery runs under datasets' own policy: only versions of the session tenant's datasets are visible.
CREATE POLICY dataset_versions_select ON dataset_versions FOR SELECT
    USING (dataset_id IN (SELECT id FROM datasets));
"""


def upgrade() -> None:
    op.execute(f"SET ROLE {OWNER_ROLE}")
    op.execute(TABLES)
    op.execute(f"GRANT SELECT ON datasets, dataset_versions TO {APP_ROLE}")
    op.execute("RESET ROLE")


def downgrade() -> None:
    op.execute(f"SET ROLE {OWNER_ROLE}")
    op.execute("DROP TABLE IF EXISTS dataset_versions, datasets CASCADE")
    op.execute("DROP FUNCTION IF EXISTS sightline_dataset_scope_frozen()")
    op.execute("DROP FUNCTION IF EXISTS sightline_dataset_version_immutable()")
    op.execute("RESET ROLE")
