"""The embedded server: start, come back after SIGKILL of the owning process (and of the server), migrate from empty."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import psutil
import pytest
import sqlalchemy as sa

from db import embedded
from db.migrate import downgrade, upgrade

STARTER = """
import sys, time
from pathlib import Path
from db import embedded
print(embedded.start(Path(sys.argv[1])), flush=True)
time.sleep(600)
"""


@pytest.fixture(scope="module")
def pgdata(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("embedded") / "pgdata"
    yield path
    embedded.stop(path)


def query(url: str, sql: str = "SELECT 1"):
    eng = sa.create_engine(url, poolclass=sa.pool.NullPool)
    try:
        with eng.begin() as conn:
            result = conn.execute(sa.text(sql))
            return result.scalar() if result.returns_rows else None
    finally:
        eng.dispose()


def start_in_child(pgdata: Path) -> tuple[subprocess.Popen, str]:
    child = subprocess.Popen([sys.executable, "-c", STARTER, str(pgdata)], stdout=subprocess.PIPE, text=True,
                             cwd=Path(__file__).resolve().parents[1])
    url = child.stdout.readline().strip()
    assert url.startswith("postgresql+psycopg://"), url
    return child, url


def test_start_and_server_survives_sigkill_of_owning_process(pgdata):
    child, url = start_in_child(pgdata)
    query(url, "CREATE TABLE IF NOT EXISTS survival (v int)")
    query(url, "INSERT INTO survival VALUES (42)")
    os.kill(child.pid, signal.SIGKILL)
    child.wait()
    # A new process attaches to (or restarts) the server and the data is there.
    url2 = embedded.start(pgdata)
    assert query(url2, "SELECT sum(v) FROM survival") == 42


def test_restart_after_server_sigkill_leaves_stale_pid(pgdata):
    url = embedded.start(pgdata)
    pid = embedded.owner_pid(pgdata)
    assert pid is not None
    psutil.Process(pid).kill()  # crash: postmaster.pid stays behind
    psutil.Process(pid).wait(10) if psutil.pid_exists(pid) else None
    time.sleep(0.5)
    assert (pgdata / "postmaster.pid").exists()
    assert not embedded.is_running(pgdata)
    url = embedded.start(pgdata)
    assert query(url, "SELECT sum(v) FROM survival") == 42
    assert embedded.owner_pid(pgdata) != pid


def test_stale_pid_reused_by_another_process(pgdata):
    """postmaster.pid names a live process that is not PostgreSQL (pid reuse after a crash)."""
    embedded.stop(pgdata)
    assert not embedded.is_running(pgdata)
    (pgdata / "postmaster.pid").write_text(f"{os.getpid()}\n{pgdata}\n0\n5432\n{pgdata}\n\n  0 0\nready\n")
    url = embedded.start(pgdata)
    assert query(url) == 1
    assert embedded.owner_pid(pgdata) != os.getpid()


def test_migrations_from_empty_and_back(pgdata):
    url = sa.make_url(embedded.start(pgdata))
    admin = sa.create_engine(url, isolation_level="AUTOCOMMIT", poolclass=sa.pool.NullPool)
    with admin.connect() as conn:
        conn.execute(sa.text("DROP DATABASE IF EXISTS fresh"))
        conn.execute(sa.text("CREATE DATABASE fresh"))
    fresh = url.set(database="fresh").render_as_string(hide_password=False)
    upgrade(fresh)
    assert query(fresh, "SELECT count(*) FROM pg_tables WHERE schemaname='public' AND tablename='sales'") == 1
    assert query(fresh, "SELECT version_num FROM alembic_version") is not None
    downgrade(fresh, "base")
    assert query(fresh, "SELECT count(*) FROM pg_tables WHERE schemaname='public' AND tablename='sales'") == 0
    upgrade(fresh)
    assert query(fresh, "SELECT extversion FROM pg_extension WHERE extname='vector'").startswith("0.8")
    assert query(fresh, "SELECT split_part(current_setting('server_version'), '.', 1)") == "18"
