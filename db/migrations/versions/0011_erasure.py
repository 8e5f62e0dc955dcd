"""Operator log: an append-only record of erasures, exports, backups and restores, without personal data.

`operator_log` is a control-plane table. It names the tenant concerned by id (`tenant_ref`, deliberately no foreign key
and not called `tenant_id`: the row must outlive the tenant it records the erasure of) and a non-personal subject
(`tenant:<slug>`, `user:<uuid>`; never an e-mail or a name); `details` holds counts only (rows per table, files).
Row-level security is on and forced with no policy and no grant, so the app and reader roles can neither read nor write
it; the admin connection (db/erasure.py, app/cli_ops.py) appends. A trigger refuses UPDATE and DELETE.

Revision ID: 0011
Revises: 0010
"""

from alembic import op

from db.roles import OWNER_ROLE

revision = "0011"
down_revision = "0010"
branch_labels = None
depends_on = None

TABLE = """
CREATE TABLE operator_log (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    at timestamptz NOT NULL DEFAULT now(),
    action text NOT NULL CHECK (action IN ('tenant_erase', 'user_erase', 'user_export', 'backup', 'restore')),
    tenant_ref uuid,
    subject text NOT NULL CHECK (subject ~ '^(tenant:[a-z0-9][a-z0-9-]{0,62}|user:[0-9a-f-]{36}|deployment)$'),
    details jsonb NOT NULL DEFAULT '{}'::jsonb
);
CREATE INDEX operator_log_at_idx ON operator_log (at);

CREATE FUNCTION sightline_operator_log_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'operator_log is append-only';
END $$;
CREATE TRIGGER operator_log_append_only BEFORE UPDATE OR DELETE ON operator_log
    FOR EACH ROW EXECUTE FUNCTION sightline_operator_log_append_only();

ALTER TABLE operator_log ENABLE ROW LEVEL SECURITY;
ALTER TABLE operator_log FORCE ROW LEVEL SECURITY;
"""


def upgrade() -> None:
    op.execute(f"SET ROLE {OWNER_ROLE}")
    op.execute(TABLE)
    op.execute("RESET ROLE")


def downgrade() -> None:
    op.execute(f"SET ROLE {OWNER_ROLE}")
    op.execute("DROP TABLE IF EXISTS operator_log")
    op.execute("DROP FUNCTION IF EXISTS sightline_operator_log_append_only()")
    op.execute("RESET ROLE")
