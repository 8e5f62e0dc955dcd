"""A CLI that behaves: migrate first on a fresh data folder, one line and exit 2 for user errors (never a traceback),
and `serve` stops its child processes (the dev identity provider) on SIGTERM and SIGINT. Real processes and a real
embedded PostgreSQL throughout."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
import uuid
from pathlib import Path

import psutil
import pytest
import sqlalchemy as sa
from typer.testing import CliRunner

import config
from app.cli import cli
from config.errors import UserError
from db.engine import reset_engines

ROOT = Path(__file__).resolve().parents[1]
runner = CliRunner()


def sightline(*args: str, env: dict[str, str] | None = None, timeout: float = 120) -> subprocess.CompletedProcess:
    """Run the real entry point (`app.cli:main`) in a new process."""
    return subprocess.run([sys.executable, "-m", "app.cli", *args], cwd=ROOT, env={**os.environ, **(env or {})},
                          capture_output=True, text=True, timeout=timeout)


def test_domain_errors_share_the_user_error_base():
    from db.importer import ImportFailed
    from db.registry import RegistryError
    from safety.input_checks import InputRejected
    from tools.ingest import IngestError
    from training.datasets import DatasetError, ScopeError
    from training.jobs import JobError
    from training.registry import PromotionError

    for cls in (RegistryError, ImportFailed, IngestError, InputRejected, DatasetError, ScopeError, JobError,
                PromotionError):
        assert issubclass(cls, UserError), cls
    assert issubclass(RegistryError, ValueError) and issubclass(ScopeError, PermissionError)  # old catches still work


def test_fresh_data_folder_migrates_first_and_user_errors_are_one_line(tmp_path):
    """`tenant add` on a brand-new data folder (its own embedded server): migrates, then works; a bad slug is one
    line on stderr with exit 2 and no traceback."""
    env = {"SIGHTLINE_DATA_DIR": str(tmp_path / "data"), "SIGHTLINE_DATABASE": "sightline", "DATABASE_URL": ""}
    try:
        r = sightline("tenant", "add", "acme", "--name", "Acme Optics", env=env)
        assert r.returncode == 0, r.stderr
        assert "created tenant acme" in r.stdout
        assert "migrating to" in r.stderr and "Traceback" not in r.stderr
        r = sightline("tenant", "add", "Bad Slug!", "--name", "x", env=env)
        assert r.returncode == 2
        assert r.stderr.strip().splitlines() == [
            "error: tenant slug 'Bad Slug!' is invalid: use 1-63 lowercase letters, digits or '-'"]
        r = sightline("user", "list", "--tenant", "ghost", env=env)
        assert r.returncode == 2 and "Traceback" not in r.stderr
        assert len(r.stderr.strip().splitlines()) == 1 and "unknown tenant 'ghost'" in r.stderr
        r = sightline("tenant", "list", env=env)  # already migrated: no second migration message
        assert r.returncode == 0 and "acme" in r.stdout and "migrating" not in r.stderr
        url = sightline("db", "url", "--show-password", env=env).stdout.strip()
        engine = sa.create_engine(url, poolclass=sa.pool.NullPool)
        with engine.begin() as conn:  # as if a newer Sightline had migrated this database
            conn.execute(sa.text("UPDATE alembic_version SET version_num = '9999'"))
        engine.dispose()
        r = sightline("tenant", "list", env=env)
        assert r.returncode == 2 and "Traceback" not in r.stderr
        assert r.stderr.strip().splitlines()[-1].startswith("error: cannot migrate the database from 9999 to ")
    finally:
        sightline("db", "stop", env=env)


def test_external_database_behind_head_says_what_to_run(pg_server):
    """With DATABASE_URL (production) nothing is migrated behind the operator's back: one line names the command."""
    name = f"t_behind_{uuid.uuid4().hex[:6]}"
    server = sa.create_engine(pg_server.set(database="postgres"), isolation_level="AUTOCOMMIT",
                              poolclass=sa.pool.NullPool)
    with server.connect() as conn:
        conn.execute(sa.text(f'CREATE DATABASE "{name}"'))
    previous = config.set_env(DATABASE_URL=pg_server.set(database=name).render_as_string(hide_password=False))
    reset_engines()
    try:
        r = runner.invoke(cli, ["tenant", "list"])
        assert r.exit_code == 2, r.output
        assert "this version needs" in r.output and "run `sightline db migrate` first" in r.output
        assert runner.invoke(cli, ["db", "migrate"]).exit_code == 0
        r = runner.invoke(cli, ["tenant", "list"])
        assert r.exit_code == 0 and "no tenants yet" in r.output
    finally:
        config.set_env(**previous)
        reset_engines()
        with server.connect() as conn:
            conn.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        server.dispose()


def test_unreachable_database_is_one_line():
    r = sightline("tenant", "list", env={"DATABASE_URL": "postgresql://nobody@127.0.0.1:1/nothing"})
    assert r.returncode == 2
    assert r.stderr.startswith("error: cannot reach the database (postgresql://nobody@127.0.0.1:1/nothing): ")
    assert "Traceback" not in r.stderr and len(r.stderr.strip().splitlines()) == 1


def test_help_needs_no_database():
    r = sightline("tenant", "--help", env={"DATABASE_URL": "postgresql://nobody@127.0.0.1:1/nothing"})
    assert r.returncode == 0 and "erase" in r.stdout


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _port_open(port: int) -> bool:
    with socket.socket() as s:
        s.settimeout(0.5)
        return s.connect_ex(("127.0.0.1", port)) == 0


def _wait_http(url: str, proc: subprocess.Popen, timeout: float = 120) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        assert proc.poll() is None, proc.stdout.read() if proc.stdout else ""
        try:
            with urllib.request.urlopen(url, timeout=2):
                return
        except OSError:
            time.sleep(0.3)
    raise AssertionError(f"{url} did not answer in {timeout} s")


@pytest.mark.slow
@pytest.mark.parametrize("sig, workers", [(signal.SIGTERM, 1), (signal.SIGINT, 1), (signal.SIGTERM, 2)],
                         ids=["SIGTERM", "SIGINT", "SIGTERM-2-workers"])
def test_serve_stops_its_children_on_signals(demo, sig, workers):
    """A real `sightline serve` with the dev identity provider (and uvicorn worker processes): after SIGTERM (an
    orchestrator) or SIGINT (Ctrl-C sent to serve alone) serve exits and every child is gone, the ports free."""
    web, idp_port = _free_port(), _free_port()
    env = {**os.environ, "SIGHTLINE_DEV_IDP": "on", "SIGHTLINE_DEV_IDP_PORT": str(idp_port)}
    proc = subprocess.Popen([sys.executable, "-m", "app.cli", "serve", "--port", str(web), "--workers", str(workers)],
                            cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    try:
        _wait_http(f"http://127.0.0.1:{idp_port}/.well-known/openid-configuration", proc)
        _wait_http(f"http://127.0.0.1:{web}/healthz", proc)
        children = psutil.Process(proc.pid).children(recursive=True)
        assert len(children) >= 1 + (workers if workers > 1 else 0), children
        proc.send_signal(sig)
        proc.wait(timeout=60)
        # One process: uvicorn re-raises the signal, serve exits 128 + signal. Several: the supervisor exits cleanly.
        assert proc.returncode == (128 + sig if workers == 1 else 0), proc.stdout.read() if proc.stdout else ""
        gone, alive = psutil.wait_procs(children, timeout=15)
        assert not alive, f"orphaned: {[p.pid for p in alive]}"
        assert not _port_open(idp_port) and not _port_open(web)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()


def test_serve_with_the_identity_provider_port_taken_is_one_line(demo):
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        r = sightline("serve", "--port", str(_free_port()),
                      env={"SIGHTLINE_DEV_IDP": "on", "SIGHTLINE_DEV_IDP_PORT": str(port)})
    assert r.returncode == 2, r.stderr[-2000:]
    assert f"is port {port} in use?" in r.stderr and "Traceback" not in r.stderr


@pytest.mark.slow
def test_identity_provider_exits_when_its_parent_is_killed():
    """Even SIGKILL of the parent (no handler can run) does not orphan the provider: it watches its parent."""
    port = _free_port()
    code = ("import subprocess, sys, time; p = subprocess.Popen([sys.executable, '-m', 'app.dev_idp', '--port', "
            f"'{port}', '--parent-pid', str(__import__('os').getpid())]); print(p.pid, flush=True); time.sleep(600)")
    parent = subprocess.Popen([sys.executable, "-c", code], cwd=ROOT, stdout=subprocess.PIPE, text=True)
    child = psutil.Process(int(parent.stdout.readline()))
    try:
        _wait_http(f"http://127.0.0.1:{port}/.well-known/openid-configuration", parent)
        parent.kill()
        parent.wait()
        child.wait(timeout=15)
        assert not _port_open(port)
    finally:
        if child.is_running():
            child.kill()
