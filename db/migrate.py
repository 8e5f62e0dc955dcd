"""Apply Alembic migrations (`upgrade head`) and report the current and head revisions (`revisions()`)."""

from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.config import Config

MIGRATIONS = Path(__file__).parent / "migrations"


def _config(url: str | None) -> Config:
    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    if url:
        cfg.attributes["url"] = url
    return cfg


def upgrade(url: str | None = None, revision: str = "head") -> None:
    """Migrate, then write this application's tenant-context key into the database (db/tenant_context.py)."""
    command.upgrade(_config(url), revision)
    install_context_key(url)


def install_context_key(url: str | None = None) -> None:
    """Copy the tenant-context key into the database (when migration 0008 is applied); idempotent."""
    import sqlalchemy as sa

    from db import tenant_context
    from db.engine import admin_url

    engine = sa.create_engine(url or admin_url(), poolclass=sa.pool.NullPool)
    try:
        with engine.begin() as conn:
            if conn.execute(sa.text("SELECT to_regclass('sightline_private.context_key')")).scalar() is not None:
                tenant_context.install_key(conn)
    finally:
        engine.dispose()


def revisions(url: str | None = None) -> tuple[str | None, str]:
    """(the database's current revision or None when it was never migrated, the code's head revision)."""
    import sqlalchemy as sa
    from alembic.runtime.migration import MigrationContext
    from alembic.script import ScriptDirectory

    from db.engine import admin_url

    head = ScriptDirectory.from_config(_config(url)).get_current_head()
    engine = sa.create_engine(url or admin_url(), poolclass=sa.pool.NullPool)
    try:
        with engine.connect() as conn:
            current = MigrationContext.configure(conn).get_current_revision()
    finally:
        engine.dispose()
    assert head is not None
    return current, head


def downgrade(url: str | None = None, revision: str = "base") -> None:
    command.downgrade(_config(url), revision)
