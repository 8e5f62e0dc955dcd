"""Test fixtures: one embedded PostgreSQL per test session; a fresh, migrated database per test module."""

from __future__ import annotations

import shutil
import tempfile
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
import sqlalchemy as sa

import config
from db.engine import reset_engines


def _set_env(**values: str | None) -> dict[str, str | None]:
    previous = config.set_env(**values)
    reset_engines()
    return previous


@pytest.fixture(scope="session")
def pg_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[sa.URL]:
    """Start an embedded server in a temporary data dir and build a migrated template database."""
    from db import embedded
    from db.migrate import upgrade

    # Not under pytest's basetemp: a concurrent pytest run may prune old basetemp folders under a live server.
    data_dir = Path(tempfile.mkdtemp(prefix="sightline-test-"))
    saved = _set_env(SIGHTLINE_DATA_DIR=str(data_dir), SIGHTLINE_DATABASE="sightline_template", DATABASE_URL=None,
                     APP_DATABASE_URL=None, READER_DATABASE_URL=None)
    from db.engine import admin_url

    template = sa.make_url(admin_url())
    upgrade()
    reset_engines()
    yield template
    reset_engines()
    embedded.stop(config.get_settings().pgdata_dir)
    _set_env(**saved)
    shutil.rmtree(data_dir, ignore_errors=True)


def _admin(url: sa.URL) -> sa.Engine:
    return sa.create_engine(url.set(database="postgres"), isolation_level="AUTOCOMMIT", poolclass=sa.pool.NullPool)


@pytest.fixture(scope="module")
def database(pg_server: sa.URL, request: pytest.FixtureRequest) -> Iterator[str]:
    """A fresh migrated database for this test module (copied from the template); yields its name."""
    name = f"t_{request.module.__name__.split('.')[-1][:40]}_{uuid.uuid4().hex[:6]}".lower()
    eng = _admin(pg_server)
    with eng.connect() as conn:
        conn.execute(sa.text(f'CREATE DATABASE "{name}" TEMPLATE sightline_template'))
    _set_env(SIGHTLINE_DATABASE=name)
    yield name
    _set_env(SIGHTLINE_DATABASE="sightline_template")
    with eng.connect() as conn:
        conn.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    eng.dispose()


@pytest.fixture(scope="module")
def demo(database: str) -> dict:
    """The demo tenants loaded into this module's database."""
    from db.demo import load_demo

    return load_demo(seed=7)


@pytest.fixture
def tmp_csv(tmp_path: Path):
    def write(name: str, text: str) -> Path:
        path = tmp_path / name
        path.write_text(text)
        return path

    return write
