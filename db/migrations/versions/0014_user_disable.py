"""Disabled users, and at most one open monitoring alert per tenant and kind.

- `users.disabled_at` / `users.disabled_by`: a tenant admin (console, REST, `sightline admin disable`) or an operator
  (`sightline user disable`) disables a user without deleting them: their sign-in, sessions, widget tokens and widget
  token minting stop (db/registry.py `principal_for` refuses them); re-enabling clears both columns. `disabled_by` is
  the acting user's id (NULL when an operator did it from the CLI), never an e-mail. `users` keeps its four
  row-level-security policies from 0001 (nothing to add: new columns are covered by the row policies and by the app
  role's table-level grants).
- `operator_log.action` also takes `user_disable` / `user_enable` (`sightline user disable|enable EMAIL`, the
  operator's own disable, logged with the user's id).
- `monitor_alerts_one_open_idx`: a unique partial index on (tenant_id, kind) of unacknowledged alerts, so two checks
  running at the same time (the scheduled check of `sightline worker`, "Check now", `sightline alerts check`) cannot
  both raise the same alert. Duplicate open alerts left by earlier concurrent checks are acknowledged first (the
  newest one of each kind stays open); this runs on the migration's own connection, before `SET ROLE`, because the
  owner role is itself subject to FORCE row-level security.

Revision ID: 0014
Revises: 0013
"""

from alembic import op

from db.roles import OWNER_ROLE

revision = "0014"
down_revision = "0013"
branch_labels = None
depends_on = None

CLOSE_DUPLICATE_OPEN_ALERTS = """
UPDATE monitor_alerts a SET acked_at = now()
WHERE a.acked_at IS NULL AND EXISTS (
    SELECT 1 FROM monitor_alerts b
    WHERE b.tenant_id = a.tenant_id AND b.kind = a.kind AND b.acked_at IS NULL AND b.id > a.id)
"""

USERS = """
ALTER TABLE users
    ADD COLUMN disabled_at timestamptz,
    ADD COLUMN disabled_by uuid,
    ADD CONSTRAINT users_disabled_by_needs_disabled_at CHECK (disabled_by IS NULL OR disabled_at IS NOT NULL);
CREATE UNIQUE INDEX monitor_alerts_one_open_idx ON monitor_alerts (tenant_id, kind) WHERE acked_at IS NULL;
ALTER TABLE operator_log DROP CONSTRAINT operator_log_action_check;
ALTER TABLE operator_log ADD CONSTRAINT operator_log_action_check CHECK (action IN ('tenant_erase', 'user_erase',
    'user_export', 'backup', 'restore', 'user_disable', 'user_enable'));
"""


def upgrade() -> None:
    op.execute(CLOSE_DUPLICATE_OPEN_ALERTS)
    op.execute(f"SET ROLE {OWNER_ROLE}")
    op.execute(USERS)
    op.execute("RESET ROLE")


def downgrade() -> None:
    op.execute(f"SET ROLE {OWNER_ROLE}")
    op.execute("DROP INDEX IF EXISTS monitor_alerts_one_open_idx")
    op.execute("ALTER TABLE operator_log DROP CONSTRAINT operator_log_action_check")
    op.execute("ALTER TABLE operator_log ADD CONSTRAINT operator_log_action_check CHECK (action IN ('tenant_erase', "
               "'user_erase', 'user_export', 'backup', 'restore')) NOT VALID")
    op.execute("ALTER TABLE users DROP CONSTRAINT IF EXISTS users_disabled_by_needs_disabled_at, "
               "DROP COLUMN IF EXISTS disabled_by, DROP COLUMN IF EXISTS disabled_at")
    op.execute("RESET ROLE")
