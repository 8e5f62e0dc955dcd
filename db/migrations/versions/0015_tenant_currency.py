"""A tenant's currency: `tenants.currency`, the ISO 4217 code its amounts are recorded in.

- NULL (the default, and every tenant before this revision): the SQL tool derives the currency from the countries of
  the tenant's stored states (tools/sql/money.py), as before.
- Set (`sightline tenant add SLUG --currency PLN`, `sightline tenant currency SLUG PLN`): the answers write amounts in
  it, whatever the state codes say (a chain whose regions are written in a form the region index does not know
  would otherwise get US dollars). Three capital letters; the CLI also checks it is a currency GeoNames knows.
- Nothing else changes: `tenants` keeps its row-level-security policy from 0001 (a tenant session sees its own row),
  the app role's table-level SELECT covers the new column, and the reader role still has no access to `tenants`.

Revision ID: 0015
Revises: 0014
"""

from alembic import op

from db.roles import OWNER_ROLE

revision = "0015"
down_revision = "0014"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.execute(f"SET ROLE {OWNER_ROLE}")
    op.execute("ALTER TABLE tenants ADD COLUMN currency text "
               "CONSTRAINT tenants_currency_iso CHECK (currency ~ '^[A-Z]{3}$')")
    op.execute("RESET ROLE")


def downgrade() -> None:
    op.execute(f"SET ROLE {OWNER_ROLE}")
    op.execute("ALTER TABLE tenants DROP COLUMN IF EXISTS currency")
    op.execute("RESET ROLE")
