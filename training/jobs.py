"""Training job lifecycle in PostgreSQL (`training_jobs`, `training_events`, `training_job_logs`): create, find "the
same command" to resume, queue with a priority, mark running/succeeded/failed/cancelled, heartbeat + cancel polling,
loss events, the trainer's log (kept in the database so any machine can download it), job folders."""

from __future__ import annotations

import json
import os
import secrets
import socket
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import sqlalchemy as sa

from config import get_settings
from config.errors import UserError
from db.engine import admin_engine

STATUSES = ("queued", "running", "succeeded", "failed", "cancelled")
UNFINISHED = ("queued", "running", "failed")
STALE_AFTER = timedelta(minutes=10)  # a running job of another host with no heartbeat for this long is dead


class JobError(UserError, ValueError):
    """A user-caused job problem (unknown or ambiguous id, a job that cannot be resumed or cancelled)."""


@dataclass(frozen=True)
class Job:
    id: str
    status: str
    target: str
    dataset_name: str
    dataset_version: str
    preset: str
    base_model: str
    config: dict[str, Any]
    fingerprint: str
    job_dir: Path
    step: int
    total_steps: int
    best_val_loss: float | None
    best_step: int | None
    estimate: dict[str, Any] | None
    result: dict[str, Any] | None
    error: str | None
    pid: int | None
    host: str | None
    created_at: datetime
    started_at: datetime | None
    finished_at: datetime | None
    heartbeat_at: datetime | None
    priority: int = 0
    attempts: int = 0

    @property
    def dataset_ref(self) -> str:
        return f"{self.dataset_name}@{self.dataset_version}"

    def process_alive(self) -> bool:
        """True while the trainer process of a running job is alive (this host: its pid; other hosts: heartbeat)."""
        if self.status != "running":
            return False
        if self.host == socket.gethostname() and self.pid:
            try:
                os.kill(self.pid, 0)
            except ProcessLookupError:
                return False
            except PermissionError:
                return True
            return _not_zombie(self.pid)
        beat = self.heartbeat_at or self.started_at or self.created_at
        return datetime.now(UTC) - beat < STALE_AFTER


def _not_zombie(pid: int) -> bool:
    try:
        with open(f"/proc/{pid}/stat") as fh:
            return fh.read().split(")")[-1].split()[0] != "Z"
    except OSError:
        return True


@dataclass(frozen=True)
class Event:
    kind: str
    step: int
    epoch: float | None
    train_loss: float | None
    val_loss: float | None
    lr: float | None
    tokens: int | None
    seconds: float | None
    message: str | None
    at: datetime


def jobs_root() -> Path:
    return get_settings().data_dir / "jobs"


_COLUMNS = ("id, status, target, dataset_name, dataset_version, preset, base_model, config, fingerprint, job_dir, "
            "step, total_steps, best_val_loss, best_step, estimate, result, error, pid, host, created_at, started_at, "
            "finished_at, heartbeat_at, priority, attempts")


def _job(r: sa.Row) -> Job:
    return Job(id=r.id, status=r.status, target=r.target, dataset_name=r.dataset_name,
               dataset_version=r.dataset_version, preset=r.preset, base_model=r.base_model, config=r.config,
               fingerprint=r.fingerprint, job_dir=Path(r.job_dir), step=r.step, total_steps=r.total_steps,
               best_val_loss=r.best_val_loss, best_step=r.best_step, estimate=r.estimate, result=r.result,
               error=r.error, pid=r.pid, host=r.host, created_at=r.created_at, started_at=r.started_at,
               finished_at=r.finished_at, heartbeat_at=r.heartbeat_at, priority=r.priority, attempts=r.attempts)


def create_job(*, target: str, tenant_id: uuid.UUID | None, dataset_name: str, dataset_version: str, preset: str,
               base_model: str, config: dict[str, Any], fingerprint: str, total_steps: int,
               estimate: dict[str, Any] | None) -> Job:
    """A queued job and its (empty) folder `<data_dir>/jobs/<id>/`."""
    job_id = secrets.token_hex(5)
    job_dir = jobs_root() / job_id
    job_dir.mkdir(parents=True, exist_ok=False)
    with admin_engine().begin() as conn:
        row = conn.execute(sa.text(
            "INSERT INTO training_jobs (id, target, scope_tenant_id, dataset_name, dataset_version, preset, "
            "base_model, config, fingerprint, job_dir, total_steps, estimate) VALUES (:id, :target, :tid, :dn, :dv, "
            ":preset, :base, CAST(:config AS jsonb), :fp, :dir, :total, CAST(:est AS jsonb)) RETURNING " + _COLUMNS),
            {"id": job_id, "target": target, "tid": tenant_id, "dn": dataset_name, "dv": dataset_version,
             "preset": preset, "base": base_model, "config": json.dumps(config), "fp": fingerprint,
             "dir": str(job_dir), "total": total_steps, "est": json.dumps(estimate)}).one()
    (job_dir / "job.json").write_text(json.dumps({
        "id": job_id, "target": target, "dataset": f"{dataset_name}@{dataset_version}", "preset": preset,
        "base_model": base_model, "config": config, "fingerprint": fingerprint}, indent=2) + "\n")
    return _job(row)


def get_job(ref: str) -> Job:
    """A job by id or unique prefix (4+ hex digits)."""
    ref = (ref or "").strip().lower()
    if len(ref) < 4 or any(c not in "0123456789abcdef" for c in ref):
        raise JobError(f"{ref!r} is not a job id (4-10 hex digits; see `sightline jobs list`)")
    with admin_engine().connect() as conn:
        rows = conn.execute(sa.text(f"SELECT {_COLUMNS} FROM training_jobs WHERE id LIKE :p ORDER BY id"),
                            {"p": ref + "%"}).all()
    if not rows:
        raise JobError(f"no job {ref!r} (see `sightline jobs list`)")
    if len(rows) > 1:
        raise JobError(f"job id prefix {ref!r} is ambiguous: {', '.join(r.id for r in rows)}")
    return _job(rows[0])


def list_jobs(limit: int = 50) -> list[Job]:
    with admin_engine().connect() as conn:
        rows = conn.execute(sa.text(f"SELECT {_COLUMNS} FROM training_jobs ORDER BY created_at DESC LIMIT :n"),
                            {"n": limit}).all()
    return [_job(r) for r in rows]


def find_unfinished(fingerprint: str) -> Job | None:
    """The newest queued/running/failed job started by the same command (what a re-run resumes)."""
    with admin_engine().connect() as conn:
        row = conn.execute(sa.text(
            f"SELECT {_COLUMNS} FROM training_jobs WHERE fingerprint = :fp AND status IN ('queued', 'running', "
            "'failed') ORDER BY created_at DESC LIMIT 1"), {"fp": fingerprint}).first()
    return _job(row) if row else None


def mark_running(job_id: str) -> Job:
    """queued/failed/(dead) running -> running, with this process's pid and host. Refuses finished jobs."""
    with admin_engine().begin() as conn:
        row = conn.execute(sa.text(
            "UPDATE training_jobs SET status = 'running', pid = :pid, host = :host, error = NULL, finished_at = NULL, "
            "started_at = coalesce(started_at, now()), heartbeat_at = now() WHERE id = :id "
            f"AND status IN ('queued', 'running', 'failed') RETURNING {_COLUMNS}"),
            {"id": job_id, "pid": os.getpid(), "host": socket.gethostname()}).first()
    if row is None:
        job = get_job(job_id)
        raise JobError(f"job {job_id} is {job.status}; it cannot run again (start a new one)")
    return _job(row)


def heartbeat(job_id: str, step: int) -> str:
    """Record progress and return the job's status: anything but 'running' (a cancel) tells the trainer to stop."""
    with admin_engine().begin() as conn:
        status = conn.execute(sa.text(
            "UPDATE training_jobs SET step = :step, heartbeat_at = now() WHERE id = :id RETURNING status"),
            {"id": job_id, "step": step}).scalar()
    return status or "cancelled"


def update_best(job_id: str, best_val_loss: float | None, best_step: int | None) -> None:
    with admin_engine().begin() as conn:
        conn.execute(sa.text("UPDATE training_jobs SET best_val_loss = :v, best_step = :s WHERE id = :id"),
                     {"id": job_id, "v": best_val_loss, "s": best_step})


def finish(job_id: str, status: str, *, step: int | None = None, result: dict[str, Any] | None = None,
           error: str | None = None) -> Job:
    """running -> succeeded | failed | cancelled. A job already cancelled stays cancelled."""
    if status not in ("succeeded", "failed", "cancelled"):
        raise ValueError(status)
    with admin_engine().begin() as conn:
        conn.execute(sa.text(
            "UPDATE training_jobs SET status = CASE WHEN status = 'cancelled' THEN 'cancelled' ELSE :status END, "
            "step = coalesce(:step, step), result = coalesce(CAST(:result AS jsonb), result), error = :error, "
            "finished_at = now(), heartbeat_at = now() WHERE id = :id"),
            {"id": job_id, "status": status, "step": step, "result": json.dumps(result) if result else None,
             "error": error})
    return get_job(job_id)


def cancel(ref: str) -> Job:
    """Mark a queued, running or failed job cancelled; a running trainer sees it at its next step and stops."""
    job = get_job(ref)
    if job.status in ("succeeded", "cancelled"):
        raise JobError(f"job {job.id} is already {job.status}")
    with admin_engine().begin() as conn:
        conn.execute(sa.text(
            "UPDATE training_jobs SET status = 'cancelled', finished_at = CASE WHEN status = 'running' THEN "
            "finished_at ELSE now() END WHERE id = :id AND status IN ('queued', 'running', 'failed')"),
            {"id": job.id})
    return get_job(job.id)


def add_event(job_id: str, kind: str, step: int, *, epoch: float | None = None, train_loss: float | None = None,
              val_loss: float | None = None, lr: float | None = None, tokens: int | None = None,
              seconds: float | None = None, message: str | None = None) -> None:
    with admin_engine().begin() as conn:
        conn.execute(sa.text(
            "INSERT INTO training_events (job_id, kind, step, epoch, train_loss, val_loss, lr, tokens, seconds, "
            "message) VALUES (:job, :kind, :step, :epoch, :tl, :vl, :lr, :tokens, :seconds, :message)"),
            {"job": job_id, "kind": kind, "step": step, "epoch": epoch, "tl": train_loss, "vl": val_loss, "lr": lr,
             "tokens": tokens, "seconds": seconds, "message": message})


def events(job_id: str, kinds: tuple[str, ...] | None = None) -> list[Event]:
    sql = ("SELECT kind, step, epoch, train_loss, val_loss, lr, tokens, seconds, message, at FROM training_events "
           "WHERE job_id = :id")
    params: dict[str, Any] = {"id": job_id}
    if kinds:
        sql += " AND kind = ANY(:kinds)"
        params["kinds"] = list(kinds)
    with admin_engine().connect() as conn:
        rows = conn.execute(sa.text(sql + " ORDER BY id"), params).all()
    return [Event(kind=r.kind, step=r.step, epoch=r.epoch, train_loss=r.train_loss, val_loss=r.val_loss, lr=r.lr,
                  tokens=r.tokens, seconds=r.seconds, message=r.message, at=r.at) for r in rows]


def measured_s_per_ktoken(device: str) -> tuple[float, int] | None:
    """(median seconds per 1,000 padded training tokens, number of jobs) over this host's finished jobs on `device`."""
    with admin_engine().connect() as conn:
        values = conn.execute(sa.text(
            "SELECT (result->>'s_per_ktoken')::float FROM training_jobs WHERE host = :host AND result ? 's_per_ktoken' "
            "AND result->>'device' = :device AND status IN ('succeeded', 'cancelled') ORDER BY finished_at DESC "
            "LIMIT 9"), {"host": socket.gethostname(), "device": device}).scalars().all()
    values = sorted(v for v in values if v and v > 0)
    if not values:
        return None
    return values[len(values) // 2], len(values)


# --------------------------------------------------------------------------------------------------- the queue side


def set_queued(job_id: str, priority: int) -> Job:
    """A job handed to the queue: queued (also a failed or interrupted one, which the worker resumes), its priority."""
    with admin_engine().begin() as conn:
        row = conn.execute(sa.text(
            "UPDATE training_jobs SET status = 'queued', priority = :p, error = NULL, finished_at = NULL, pid = NULL "
            f"WHERE id = :id AND status IN ('queued', 'running', 'failed') RETURNING {_COLUMNS}"),
            {"id": job_id, "p": priority}).first()
    if row is None:
        raise JobError(f"job {job_id} is {get_job(job_id).status}; it cannot be queued again (start a new one)")
    return _job(row)


def start_attempt(job_id: str) -> Job:
    """Count one more trainer start by a worker (attempts > 1: resumed after a worker died or was stopped)."""
    with admin_engine().begin() as conn:
        row = conn.execute(sa.text(
            f"UPDATE training_jobs SET attempts = attempts + 1 WHERE id = :id RETURNING {_COLUMNS}"),
            {"id": job_id}).one()
    return _job(row)


def requeue_interrupted(job_id: str) -> None:
    """A worker stopped (SIGTERM) while its trainer ran: back to queued, to be resumed from the last checkpoint."""
    with admin_engine().begin() as conn:
        conn.execute(sa.text("UPDATE training_jobs SET status = 'queued', pid = NULL WHERE id = :id "
                             "AND status IN ('running', 'failed')"), {"id": job_id})


def append_log(job_id: str, chunk: str) -> None:
    """Append trainer output to the job's log in the database."""
    if not chunk:
        return
    with admin_engine().begin() as conn:
        conn.execute(sa.text("INSERT INTO training_job_logs (job_id, chunk) VALUES (:id, :chunk)"),
                     {"id": job_id, "chunk": chunk.replace("\x00", "")})


def read_log(job_id: str) -> str:
    """The job's whole log as stored by its worker(s), oldest first ('' when it never ran on a worker)."""
    with admin_engine().connect() as conn:
        chunks = conn.execute(sa.text("SELECT chunk FROM training_job_logs WHERE job_id = :id ORDER BY id"),
                              {"id": job_id}).scalars().all()
    return "".join(chunks)
