"""SQL text of the standard tenant-table row-level security, shared by the migrations (0001, 0002, 0005, 0013).

Migrations are history: the text these functions return is part of revisions already applied to databases, so it
must never change. A new policy shape gets a new function (or stays inline in its revision).
"""

from __future__ import annotations

# The tenant condition as written before revision 0008 (0008 rewrote every policy to the once-per-statement form).
TENANT = "tenant_id = sightline_current_tenant()"
# The condition from revision 0008 on: the function runs once per statement, not once per row.
TENANT_PER_STATEMENT = "tenant_id = (SELECT sightline_current_tenant())"


def tenant_policies_sql(table: str, cond: str = TENANT) -> str:
    """The four policies (select, insert, update, delete) of a tenant table, each on ``cond``."""
    return f"""
CREATE POLICY {table}_select ON {table} FOR SELECT USING ({cond});
CREATE POLICY {table}_insert ON {table} FOR INSERT WITH CHECK ({cond});
CREATE POLICY {table}_update ON {table} FOR UPDATE USING ({cond}) WITH CHECK ({cond});
CREATE POLICY {table}_delete ON {table} FOR DELETE USING ({cond});
"""


def tenant_rls_sql(table: str, cond: str = TENANT) -> str:
    """ENABLE + FORCE row-level security on ``table`` and its four policies on ``cond``."""
    return f"""
ALTER TABLE {table} ENABLE ROW LEVEL SECURITY;
ALTER TABLE {table} FORCE ROW LEVEL SECURITY;""" + tenant_policies_sql(table, cond)
