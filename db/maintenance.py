"""Database maintenance: drop and recreate a database (used by `sightline db reset` and by restoring a backup over
an existing database), and the development reset that recreates the application database and migrates it."""

from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.engine import URL, make_url

from db.engine import admin_url, reset_engines
from db.migrate import upgrade


def recreate_database(url: URL) -> None:
    """Drop the database ``url`` names (closing its sessions) and create it again, empty; the process's engines are
    reset first. A name that is not letters, digits and underscores raises ValueError and nothing is dropped."""
    name = url.database
    if not name or not name.replace("_", "").isalnum():
        raise ValueError(f"refusing to reset database {name!r}")
    reset_engines()
    server = sa.create_engine(url.set(database="postgres"), isolation_level="AUTOCOMMIT",
                              poolclass=sa.pool.NullPool)
    try:
        with server.connect() as conn:
            conn.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
            conn.execute(sa.text(f'CREATE DATABASE "{name}"'))
    finally:
        server.dispose()


def reset_database() -> None:
    """Drop and recreate the application database, then migrate it (development only)."""
    recreate_database(make_url(admin_url()))
    upgrade()
