"""Widget sessions and API-key scoping (placeholder until filled).

Revision ID: 0009
Revises: 0008
"""

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None


def upgrade() -> None:
    pass  # filled by the change that owns this revision


def downgrade() -> None:
    pass
