"""SQLAlchemy engines for the three connection kinds: admin (migrations, registry), app (tenant work), reader."""

from __future__ import annotations

import threading

import sqlalchemy as sa
from sqlalchemy.engine import Engine, make_url

from config import get_settings
from db import embedded
from db.roles import APP_ROLE, READER_ROLE

_lock = threading.Lock()
_engines: dict[str, Engine] = {}


_embedded_urls: dict[tuple[str, str], str] = {}  # (pgdata, database) -> URL; cleared by reset_engines()


def _embedded_admin_url() -> str:
    """Start (or attach to) the embedded server and create the database once per process, then reuse the URL: the
    per-turn checkpointer connection asks for it, and each check cost a server probe plus a fresh connection."""
    settings = get_settings()
    key = (str(settings.pgdata_dir), settings.database_name)
    url = _embedded_urls.get(key)
    if url is None:
        base = make_url(embedded.start(settings.pgdata_dir))
        _ensure_database(base, settings.database_name)
        url = _embedded_urls[key] = base.set(database=settings.database_name).render_as_string(hide_password=False)
    return url


def _ensure_database(server_url: sa.URL, name: str) -> None:
    eng = sa.create_engine(server_url, isolation_level="AUTOCOMMIT", poolclass=sa.pool.NullPool)
    try:
        with eng.connect() as conn:
            exists = conn.execute(sa.text("SELECT 1 FROM pg_database WHERE datname = :n"), {"n": name}).first()
            if not exists:
                conn.execute(sa.text(f'CREATE DATABASE "{_ident(name)}"'))
    finally:
        eng.dispose()


def _ident(name: str) -> str:
    if not name.replace("_", "").isalnum():
        raise ValueError(f"invalid database name {name!r}: use letters, digits and underscores")
    return name


def admin_url() -> str:
    """The migration/admin URL: DATABASE_URL, or the embedded server (started on demand)."""
    settings = get_settings()
    if settings.database_url:
        url = make_url(settings.database_url)
        if url.drivername in ("postgresql", "postgres"):
            url = url.set(drivername="postgresql+psycopg")
        return url.render_as_string(hide_password=False)
    return _embedded_admin_url()


def _role_url(explicit: str, role: str) -> str:
    if explicit:
        return explicit
    return make_url(admin_url()).set(username=role, password=None).render_as_string(hide_password=False)


def app_url() -> str:
    return _role_url(get_settings().app_database_url, APP_ROLE)


def reader_url() -> str:
    return _role_url(get_settings().reader_database_url, READER_ROLE)


def _engine(kind: str, url_fn) -> Engine:
    with _lock:
        eng = _engines.get(kind)
        if eng is None:
            eng = sa.create_engine(url_fn(), pool_pre_ping=True, pool_size=5, max_overflow=10)
            _engines[kind] = eng
        return eng


def admin_engine() -> Engine:
    """Owner/superuser connection: migrations and the control-plane registry only, never tenant data."""
    return _engine("admin", admin_url)


def app_engine() -> Engine:
    return _engine("app", app_url)


def reader_engine() -> Engine:
    return _engine("reader", reader_url)


def reset_engines() -> None:
    """Dispose all engines (tests switch databases; `db reset` drops the database)."""
    with _lock:
        for eng in _engines.values():
            eng.dispose()
        _engines.clear()
        _embedded_urls.clear()


def ping() -> None:
    """Raise when the database cannot be reached (health checks)."""
    with admin_engine().connect() as conn:
        conn.execute(sa.text("SELECT 1"))
