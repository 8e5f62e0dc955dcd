"""Apply Alembic migrations (`upgrade head`) and report the current revision."""

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


def downgrade(url: str | None = None, revision: str = "base") -> None:
    command.downgrade(_config(url), revision)
