"""Fine-tuning portal: human ratings of evaluation answers (`eval_ratings`) and the labeling queue of a dataset
(`dataset_label_items`).

Both are control-plane rows scoped like the tables they hang off (`model_versions`, `datasets`): `scope_tenant_id` is
NULL for the pooled industry model / pooled datasets and the tenant's id for a tenant adapter / tenant dataset (not
named `tenant_id`: nullable, so not a standard four-policy tenant table; db/erasure.py still finds it by name).

- The admin connection (operator console, CLI) reads and writes everything.
- The app role, inside `tenant_session(tenant, role="admin")`, sees and writes only its own tenant's rows, and only
  as a tenant admin (`sightline_current_user_role() = 'admin'`): a member's session, or SQL that forges another
  tenant, sees and changes nothing. Ratings: SELECT, INSERT, UPDATE (a rater changes their own rating). Labeling:
  SELECT and UPDATE of the label columns only (items are queued by the control plane).
- A rating has 1-5 scores for relevance, correctness, style and helpfulness and a yes/no safety verdict, one row per
  (version, example set, example, side base|tuned, rater). `rater` is `user:<uuid>` or `cli:<name>`, never an e-mail.

Revision ID: 0012
Revises: 0011
"""

from alembic import op

from db.roles import APP_ROLE, OWNER_ROLE

revision = "0012"
down_revision = "0011"
branch_labels = None
depends_on = None

TENANT_ADMIN = ("scope_tenant_id = (SELECT sightline_current_tenant()) "
                "AND (SELECT sightline_current_user_role()) = 'admin'")

TABLES = f"""
CREATE TABLE eval_ratings (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    version_id text NOT NULL REFERENCES model_versions(id) ON DELETE CASCADE,
    scope_tenant_id uuid REFERENCES tenants(id) ON DELETE CASCADE,
    example_set text NOT NULL CHECK (example_set IN ('held_out', 'regression', 'factual')),
    example_index integer NOT NULL CHECK (example_index >= 0),
    side text NOT NULL CHECK (side IN ('base', 'tuned')),
    rater text NOT NULL CHECK (rater ~ '^(user:[0-9a-f-]{{36}}|cli:[A-Za-z0-9._-]{{1,64}})$'),
    relevance smallint NOT NULL CHECK (relevance BETWEEN 1 AND 5),
    correctness smallint NOT NULL CHECK (correctness BETWEEN 1 AND 5),
    style smallint NOT NULL CHECK (style BETWEEN 1 AND 5),
    helpfulness smallint NOT NULL CHECK (helpfulness BETWEEN 1 AND 5),
    safe boolean NOT NULL,
    comment text CHECK (length(comment) <= 2000),
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now(),
    UNIQUE (version_id, example_set, example_index, side, rater)
);
CREATE INDEX eval_ratings_tenant_idx ON eval_ratings (scope_tenant_id);

-- A rating's scope is its version's scope: a tenant cannot attach a rating to another tenant's (or the industry)
-- version by naming it. SECURITY INVOKER on purpose: the app role's lookup runs under its own row-level security (it
-- sees its tenant's rows only), the admin connection's sees everything.
CREATE FUNCTION sightline_eval_rating_scope() RETURNS trigger LANGUAGE plpgsql
    SET search_path = public, pg_temp AS $$
BEGIN
    IF NEW.scope_tenant_id IS DISTINCT FROM (SELECT scope_tenant_id FROM model_versions WHERE id = NEW.version_id)
    THEN
        RAISE EXCEPTION 'a rating must have the scope of its model version';
    END IF;
    RETURN NEW;
END $$;
CREATE TRIGGER eval_ratings_scope BEFORE INSERT OR UPDATE ON eval_ratings
    FOR EACH ROW EXECUTE FUNCTION sightline_eval_rating_scope();

CREATE TABLE dataset_label_items (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    dataset_id uuid NOT NULL REFERENCES datasets(id) ON DELETE CASCADE,
    scope_tenant_id uuid REFERENCES tenants(id) ON DELETE CASCADE,
    kind text NOT NULL CHECK (kind IN ('classification', 'prompt_completion')),
    text text NOT NULL CHECK (length(btrim(text)) > 0),
    label text CHECK (label IS NULL OR length(btrim(label)) > 0),
    source text NOT NULL,
    labeled_by text CHECK (labeled_by IS NULL OR labeled_by ~ '^(user:[0-9a-f-]{{36}}|cli:[A-Za-z0-9._-]{{1,64}})$'),
    labeled_at timestamptz,
    used_in_version text CHECK (used_in_version IS NULL OR used_in_version ~ '^[0-9a-f]{{12}}$'),
    created_at timestamptz NOT NULL DEFAULT now(),
    CHECK ((label IS NULL) = (labeled_at IS NULL))
);
CREATE INDEX dataset_label_items_dataset_idx ON dataset_label_items (dataset_id, id);

CREATE FUNCTION sightline_label_item_scope() RETURNS trigger LANGUAGE plpgsql
    SET search_path = public, pg_temp AS $$
BEGIN
    IF NEW.scope_tenant_id IS DISTINCT FROM (SELECT scope_tenant_id FROM datasets WHERE id = NEW.dataset_id) THEN
        RAISE EXCEPTION 'a labeling item must have the scope of its dataset';
    END IF;
    IF TG_OP = 'UPDATE' AND (NEW.dataset_id, NEW.kind, NEW.text, NEW.source)
            IS DISTINCT FROM (OLD.dataset_id, OLD.kind, OLD.text, OLD.source) THEN
        RAISE EXCEPTION 'only the label of a labeling item can change';
    END IF;
    RETURN NEW;
END $$;
CREATE TRIGGER dataset_label_items_scope BEFORE INSERT OR UPDATE ON dataset_label_items
    FOR EACH ROW EXECUTE FUNCTION sightline_label_item_scope();

ALTER TABLE eval_ratings ENABLE ROW LEVEL SECURITY;
ALTER TABLE eval_ratings FORCE ROW LEVEL SECURITY;
CREATE POLICY eval_ratings_select ON eval_ratings FOR SELECT USING ({TENANT_ADMIN});
CREATE POLICY eval_ratings_insert ON eval_ratings FOR INSERT WITH CHECK ({TENANT_ADMIN});
CREATE POLICY eval_ratings_update ON eval_ratings FOR UPDATE USING ({TENANT_ADMIN}) WITH CHECK ({TENANT_ADMIN});

ALTER TABLE dataset_label_items ENABLE ROW LEVEL SECURITY;
ALTER TABLE dataset_label_items FORCE ROW LEVEL SECURITY;
CREATE POLICY dataset_label_items_select ON dataset_label_items FOR SELECT USING ({TENANT_ADMIN});
CREATE POLICY dataset_label_items_update ON dataset_label_items FOR UPDATE USING ({TENANT_ADMIN})
    WITH CHECK ({TENANT_ADMIN});
"""


def upgrade() -> None:
    op.execute(f"SET ROLE {OWNER_ROLE}")
    op.execute(TABLES)
    op.execute(f"GRANT SELECT, INSERT, UPDATE ON eval_ratings TO {APP_ROLE}")
    op.execute(f"GRANT SELECT ON dataset_label_items TO {APP_ROLE}")
    op.execute(f"GRANT UPDATE (label, labeled_by, labeled_at) ON dataset_label_items TO {APP_ROLE}")
    op.execute("RESET ROLE")


def downgrade() -> None:
    op.execute(f"SET ROLE {OWNER_ROLE}")
    op.execute("DROP TABLE IF EXISTS eval_ratings, dataset_label_items")
    op.execute("DROP FUNCTION IF EXISTS sightline_eval_rating_scope()")
    op.execute("DROP FUNCTION IF EXISTS sightline_label_item_scope()")
    op.execute("RESET ROLE")
