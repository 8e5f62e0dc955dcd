"""Tenant and user erasure (placeholder until filled).

Revision ID: 0011
Revises: 0010
"""

revision = "0011"
down_revision = "0010"
branch_labels = None
depends_on = None


def upgrade() -> None:
    pass  # filled by the change that owns this revision


def downgrade() -> None:
    pass
