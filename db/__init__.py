"""Database layer: engines, schema migrations, roles + RLS, tenant sessions, CSV import, demo data."""

from db.engine import admin_engine, app_engine, reader_engine, reset_engines
from db.session import NoTenantError, tenant_session

__all__ = ["admin_engine", "app_engine", "reader_engine", "reset_engines", "tenant_session", "NoTenantError"]
