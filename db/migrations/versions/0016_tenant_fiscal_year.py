"""A tenant's financial year: `tenants.fiscal_year_start`, the first day ("MM-DD") of the year its books run on.

- NULL (the default, and every tenant before this revision): the SQL tool's default, as before: the deployment's
  `SIGHTLINE_FISCAL_YEAR_START`, then the year the law fixes in the tenant's country (tools/sql/fiscal.py); asked back
  where neither gives one.
- Set (`sightline tenant add SLUG --fiscal-year-start 07-01`, `sightline tenant fiscal-year SLUG 07-01`): "FY26",
  "last financial year", "Q3 FY 2025-26" are read from that day, whatever the setting or the country says.
- The CHECK takes only a day that exists in every year: months 01-12, days 01-28 in February, 01-30 in April, June,
  September and November, 01-31 elsewhere ("02-29", "04-31", "7-1" are refused by the database too).
- Nothing else changes: `tenants` keeps its row-level-security policy from 0001 (a tenant session sees its own row),
  the app role's table-level SELECT covers the new column, and the reader role still has no access to `tenants`.

Revision ID: 0016
Revises: 0015
"""

from alembic import op

from db.roles import OWNER_ROLE

revision = "0016"
down_revision = "0015"
branch_labels = None
depends_on = None

# a month and a day that every year has (no 02-29: a financial year must start on the same day every year)
MMDD = r"^((0[1-9]|1[0-2])-(0[1-9]|1[0-9]|2[0-8])|(0[13-9]|1[0-2])-(29|30)|(0[13578]|1[02])-31)$"


def upgrade() -> None:
    op.execute(f"SET ROLE {OWNER_ROLE}")
    op.execute("ALTER TABLE tenants ADD COLUMN fiscal_year_start text "
               f"CONSTRAINT tenants_fiscal_year_start_mmdd CHECK (fiscal_year_start ~ '{MMDD}')")
    op.execute("RESET ROLE")


def downgrade() -> None:
    op.execute(f"SET ROLE {OWNER_ROLE}")
    op.execute("ALTER TABLE tenants DROP COLUMN IF EXISTS fiscal_year_start")
    op.execute("RESET ROLE")
