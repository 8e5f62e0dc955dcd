"""Development maintenance: drop and recreate the application database, then migrate."""

from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.engine import make_url

from db.engine import admin_url, reset_engines
from db.migrate import upgrade


def reset_database() -> None:
    url = make_url(admin_url())
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
    upgrade()
