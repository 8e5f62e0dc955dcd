"""Widget sessions: which channel made a chat thread, and what history a tenant's API key lets widget users see.

- `chat_threads.channel`: 'app' (the chat UI, signed in through the identity provider) or 'widget' (a widget or REST
  session started with a widget token minted by an API key). Threads made before this revision are 'app'.
- `api_keys.history`: 'widget' (default: widget sessions of this key see only threads made through the widget) or
  'all' (the tenant opted in: widget sessions also see the user's chat-UI threads).

Both columns live in tenant tables that already have FORCE row-level security; nothing about the policies changes.

Revision ID: 0009
Revises: 0008
"""

from alembic import op

from db.roles import OWNER_ROLE

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.execute(f"SET ROLE {OWNER_ROLE}")
    op.execute("ALTER TABLE chat_threads ADD COLUMN channel text NOT NULL DEFAULT 'app' "
               "CHECK (channel IN ('app', 'widget'))")
    op.execute("CREATE INDEX chat_threads_channel_idx ON chat_threads (tenant_id, user_id, channel, created_at DESC)")
    op.execute("ALTER TABLE api_keys ADD COLUMN history text NOT NULL DEFAULT 'widget' "
               "CHECK (history IN ('widget', 'all'))")
    op.execute("RESET ROLE")


def downgrade() -> None:
    op.execute(f"SET ROLE {OWNER_ROLE}")
    op.execute("ALTER TABLE api_keys DROP COLUMN IF EXISTS history")
    op.execute("DROP INDEX IF EXISTS chat_threads_channel_idx")
    op.execute("ALTER TABLE chat_threads DROP COLUMN IF EXISTS channel")
    op.execute("RESET ROLE")
