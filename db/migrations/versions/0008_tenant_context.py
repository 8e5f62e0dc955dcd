"""Tenant context that the app and reader roles cannot forge (placeholder until filled).

Revision ID: 0008
Revises: 0007
"""

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None


def upgrade() -> None:
    pass  # filled by the change that owns this revision


def downgrade() -> None:
    pass
