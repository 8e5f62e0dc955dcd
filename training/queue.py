"""The training job queue: procrastinate on the same PostgreSQL (schema `sightline_queue`, migration 0010; no other
server), `enqueue(job, priority)` for `sightline train --queue`, and `run_worker()` for `sightline worker`.

Contract:
- One procrastinate job per queued training job (`queueing_lock` = the training job id, so it is never queued
  twice). Higher `priority` runs first, then oldest first.
- A worker has N slots (`--slots`, default `SIGHTLINE_WORKER_SLOTS`; one per GPU on GPU hosts) and runs one trainer
  per slot at a time, each in its own process (`python -m training.trainer JOB`) whose output is streamed into the
  job's log (`training_job_logs`, `<job_dir>/worker.log`). The trainer dies with its worker (PR_SET_PDEATHSIG).
- Killed worker (SIGKILL, lost node): it stops heartbeating; after `SIGHTLINE_QUEUE_STALLED_AFTER_S` any live worker
  puts its job back in the queue and the next trainer resumes from the last checkpoint (the trainer's own resume).
  Stopped worker (SIGTERM/SIGINT): the trainer is stopped, the job is re-queued at once with the same priority.
- Crashed trainer (non-zero exit, killed by a signal or the OOM killer): the training job is marked failed with the
  exit status and the last lines of its log; the queue job fails too (no automatic retry: `sightline train --queue
  --resume JOB` queues it again).
- Notifications (training/notify.py) on start (each attempt), success, failure and cancellation.
- Scheduled alert checks: the periodic task `sightline.check_alerts` (queue `monitoring`, cron every
  `SIGHTLINE_ALERT_CHECK_MINUTES`, default 5; 0 turns it off) runs `training.monitoring.check_all`: every active
  tenant's alert conditions, new alerts stored and delivered by webhook and e-mail, none raised twice (the check is
  idempotent, also when several run at once). A long-running `sightline worker` runs these checks beside its trainer
  slots (a second procrastinate worker on the `monitoring` queue, so a busy training slot never delays an alert);
  procrastinate defers each tick once however many workers run (its periodic-defer table), and a queueing lock keeps
  at most one check waiting. `--burst` workers run no checks. A check interrupted by a killed worker is not retried:
  the next tick checks again.

Credentials: the worker and the enqueueing CLI use the admin connection (`DATABASE_URL`), like the rest of the
training control plane (job tables, datasets, registry); the app and reader roles have no access to the queue
schema (no USAGE) nor its functions, so a chat request can neither read nor write the queue.
"""

from __future__ import annotations

import asyncio
import ctypes
import logging
import os
import re
import signal
import socket
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import procrastinate
from procrastinate import exceptions as pexc
from sqlalchemy.engine import make_url

from config import get_settings
from training import jobs, notify

log = logging.getLogger(__name__)

QUEUE = "training"
TASK = "sightline.train"
MONITOR_QUEUE = "monitoring"
ALERT_TASK = "sightline.check_alerts"
ALERT_PERIODIC_ID = "alerts"
SCHEMA = "sightline_queue"
LOG_FLUSH_S = 2.0
LOG_FLUSH_BYTES = 16_000
TAIL_LINES = notify.LOG_TAIL_LINES
STOP_GRACE_S = 15.0
PR_SET_PDEATHSIG = 1


class TrainerFailed(Exception):
    """The trainer of a queued job exited with an error (the training job is marked failed with its log)."""


# --------------------------------------------------------------------------------------------------- connection


def conninfo() -> str:
    """The admin URL as a libpq URL for psycopg (procrastinate's connector)."""
    from db.engine import admin_url

    return make_url(admin_url()).set(drivername="postgresql").render_as_string(hide_password=False)


def _pool_args() -> dict[str, Any]:
    return {"conninfo": conninfo(), "kwargs": {"options": f"-c search_path={SCHEMA}",
                                               "application_name": "sightline-queue"}}


def alert_cron(minutes: int) -> str:
    """The cron line of the scheduled alert check: every `minutes` minutes (under 60), else every minutes/60 hours
    (rounded down to whole hours, at least 1)."""
    if minutes < 1:
        raise ValueError("the alert check interval must be at least 1 minute")
    if minutes < 60:
        return f"*/{minutes} * * * *"
    hours = min(24, minutes // 60)
    return "0 0 * * *" if hours == 24 else f"0 */{hours} * * *"


def make_app(*, asynchronous: bool) -> procrastinate.App:
    """A procrastinate App on the admin connection with the training task and the alert-check task registered (the
    latter periodic unless SIGHTLINE_ALERT_CHECK_MINUTES is 0). The async connector is for the worker
    (LISTEN/NOTIFY), the sync one for enqueueing from the CLI."""
    if asynchronous:
        connector: Any = procrastinate.PsycopgConnector(**_pool_args(), min_size=1, max_size=4)
    else:
        connector = procrastinate.SyncPsycopgConnector(**_pool_args(), min_size=1, max_size=2)
    app = procrastinate.App(connector=connector)
    app.task(name=TASK, queue=QUEUE, pass_context=True)(_train_task)
    alerts = app.task(name=ALERT_TASK, queue=MONITOR_QUEUE, queueing_lock=ALERT_TASK)(check_alerts_task)
    minutes = get_settings().alert_check_minutes
    if minutes > 0:
        app.periodic(cron=alert_cron(minutes), periodic_id=ALERT_PERIODIC_ID)(alerts)
    return app


async def check_alerts_task(timestamp: int) -> str:
    """The scheduled alert check (`timestamp`: the tick procrastinate deferred it for). Every active tenant is
    evaluated as of now (training.monitoring.check_all, in a thread: it queries and runs the drift tests); new
    alerts are stored and delivered. Returns a one-line summary (the job's result in the queue)."""
    from datetime import UTC, datetime

    from training import monitoring

    results = await asyncio.to_thread(monitoring.check_all, now=datetime.now(UTC))
    raised = [f"{r.tenant}:{a.kind}" for r in results for a in r.alerts]
    failed = [f"{r.tenant} ({r.error})" for r in results if r.error]
    summary = (f"alert check for tick {timestamp}: {len(results)} tenant(s), "
               f"{len(raised)} new alert(s){': ' + ', '.join(raised) if raised else ''}"
               f"{'; failed: ' + ', '.join(failed) if failed else ''}")
    (log.warning if failed else log.info)(summary)
    return summary


# --------------------------------------------------------------------------------------------------- enqueue


def enqueue(job: jobs.Job, priority: int = 0) -> tuple[jobs.Job, int | None]:
    """Queue `job` (new, failed or interrupted) with `priority`; (the job, the queue job id, or None when it was
    already waiting in the queue)."""
    job = jobs.set_queued(job.id, priority)
    app = make_app(asynchronous=False)
    with app.open():
        try:
            queue_id = app.tasks[TASK].configure(priority=priority, queueing_lock=job.id).defer(job_id=job.id)
        except pexc.AlreadyEnqueued:
            queue_id = None
    return job, queue_id


def queued_ids() -> list[str]:
    """Training job ids waiting in the queue, in the order a worker takes them."""
    app = make_app(asynchronous=False)
    with app.open():
        rows = app.connector.execute_query_all(
            "SELECT args->>'job_id' AS job_id FROM procrastinate_jobs WHERE queue_name = %(q)s AND status = 'todo' "
            "ORDER BY priority DESC, id", q=QUEUE)
    return [r["job_id"] for r in rows]


# --------------------------------------------------------------------------------------------------- the worker


class Slots:
    """N trainer slots of one worker; a slot pins its trainer to one GPU when GPUs are visible, and splits the CPU
    threads between slots otherwise."""

    def __init__(self, n: int) -> None:
        self.free: asyncio.Queue[int] = asyncio.Queue()
        for i in range(n):
            self.free.put_nowait(i)
        self.n = n
        visible = os.environ.get("CUDA_VISIBLE_DEVICES", "")
        self.gpus = [g for g in visible.split(",") if g.strip()] if visible and visible != "-1" else []

    def env(self, slot: int) -> dict[str, str]:
        env = dict(os.environ)
        env["TQDM_MININTERVAL"] = "10"  # the progress bar becomes one log line per 10 s
        env["PYTHONUNBUFFERED"] = "1"
        if self.gpus:
            env["CUDA_VISIBLE_DEVICES"] = self.gpus[slot % len(self.gpus)]
        else:
            env.setdefault("OMP_NUM_THREADS", str(max(1, (os.cpu_count() or 1) // self.n)))
        return env


_slots: Slots | None = None
_stopping = False  # set when this worker starts shutting down: its own heartbeat stops, it must not re-queue itself


def _die_with_parent() -> Callable[[], None]:
    """A preexec_fn that makes the child receive SIGKILL when the worker dies (Linux), so a killed worker leaves no
    trainer running and its job can be resumed elsewhere."""
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        prctl = libc.prctl
    except (OSError, AttributeError):
        return lambda: None

    def preexec() -> None:
        prctl(PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)

    return preexec


class JobLog:
    """The trainer's output: appended to `<job_dir>/worker.log` and, in chunks, to the database."""

    def __init__(self, job: jobs.Job) -> None:
        self.job_id = job.id
        self.buffer: list[str] = []
        self.size = 0
        self.tail: list[str] = []
        job.job_dir.mkdir(parents=True, exist_ok=True)
        self.file = open(job.job_dir / "worker.log", "a", encoding="utf-8")  # noqa: SIM115 - closed in close()

    def write(self, text: str) -> None:
        self.file.write(text)
        self.file.flush()
        self.buffer.append(text)
        self.size += len(text)
        lines = [ln for ln in re.split(r"[\r\n]+", text) if ln.strip()]
        self.tail = (self.tail + lines)[-TAIL_LINES:]

    def line(self, text: str) -> None:
        self.write(f"[worker {socket.gethostname()}:{os.getpid()}] {text}\n")

    async def flush(self) -> None:
        if self.buffer:
            chunk, self.buffer, self.size = "".join(self.buffer), [], 0
            await asyncio.to_thread(jobs.append_log, self.job_id, chunk)

    async def close(self) -> None:
        await self.flush()
        self.file.close()


async def _pump(stream: asyncio.StreamReader, out: JobLog) -> None:
    loop = asyncio.get_running_loop()
    last = loop.time()
    decoder_tail = b""
    while True:
        data = await stream.read(4096)
        if not data:
            break
        data = decoder_tail + data
        cut = len(data)
        while cut > 0 and (data[cut - 1] & 0xC0) == 0x80:  # do not split a UTF-8 character
            cut -= 1
        if cut > 0 and data[cut - 1] >= 0xC0:
            cut -= 1
        text, decoder_tail = data[:cut].decode("utf-8", "replace"), data[cut:]
        out.write(text)
        if out.size >= LOG_FLUSH_BYTES or loop.time() - last >= LOG_FLUSH_S:
            await out.flush()
            last = loop.time()
    if decoder_tail:
        out.write(decoder_tail.decode("utf-8", "replace"))


def _exit_text(rc: int) -> str:
    if rc < 0:
        try:
            return f"signal {signal.Signals(-rc).name}"
        except ValueError:
            return f"signal {-rc}"
    return f"exit status {rc}"


async def _notify(event: str, job: jobs.Job, out: JobLog, detail: str = "", with_tail: bool = False) -> None:
    notice = notify.Notice(event=event, job_id=job.id, target=job.target, dataset=job.dataset_ref, preset=job.preset,
                           step=job.step, total_steps=job.total_steps, attempt=job.attempts,
                           host=socket.gethostname(), detail=detail,
                           log_tail="\n".join(out.tail) if with_tail else "")
    result = await asyncio.to_thread(notify.send, notice)
    if result.sent:
        out.line(f"notified ({event}): {', '.join(result.sent)}")
    for err in result.errors:
        out.line(f"notification ({event}) not delivered: {err}")


async def _wait_other_trainer(job_id: str) -> jobs.Job:
    """A trainer that is still alive on this job (a foreground run; a worker that was presumed dead): wait for it."""
    while True:
        job = await asyncio.to_thread(jobs.get_job, job_id)
        if job.status != "running" or not job.process_alive():
            return job
        await asyncio.sleep(5)


async def _train_task(context: procrastinate.JobContext, job_id: str) -> str:
    """The queue task: run the trainer of training job `job_id` in a slot, stream its log, record the outcome."""
    from training import registry

    job = await _wait_other_trainer(job_id)
    if job.status in ("succeeded", "cancelled"):
        return f"job {job.id} already {job.status}"
    assert _slots is not None, "the task runs inside run_worker()"
    slot = await _slots.free.get()
    out = None
    try:
        job = await asyncio.to_thread(jobs.start_attempt, job_id)
        out = JobLog(job)
        saved = sorted(p.name for p in (job.job_dir / "checkpoints").glob("step-*")  # the trainer's checkpoints
                       if re.fullmatch(r"step-\d{6}", p.name))
        resume = f", resuming from checkpoint {saved[-1]}" if saved else ""
        out.line(f"attempt {job.attempts} on slot {slot}: {job.dataset_ref} -> {job.target}, preset {job.preset}, "
                 f"priority {job.priority}{resume}")
        await out.flush()
        await _notify("started", job, out, detail=f"Attempt {job.attempts}{resume}.")
        proc = await asyncio.create_subprocess_exec(
            sys.executable, "-m", "training.trainer", job.id, stdin=asyncio.subprocess.DEVNULL,
            stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.STDOUT, env=_slots.env(slot),
            cwd=str(Path(__file__).resolve().parent.parent), preexec_fn=_die_with_parent())
        assert proc.stdout is not None
        try:
            await _pump(proc.stdout, out)
            rc = await proc.wait()
        except asyncio.CancelledError:  # the worker is shutting down: stop the trainer, put the job back
            global _stopping
            _stopping = True
            await _stop(proc)
            job = await asyncio.to_thread(jobs.get_job, job.id)
            if job.status in ("running", "failed"):  # interrupted (not a trainer that had just finished)
                out.line("worker stopping: trainer stopped, job re-queued (resumes from its last checkpoint)")
                await asyncio.to_thread(jobs.requeue_interrupted, job.id)
                await context.app.tasks[TASK].configure(priority=job.priority, queueing_lock=job.id).defer_async(
                    job_id=job.id)
            else:
                out.line(f"worker stopping: the trainer had finished, job {job.status}")
                await _notify(job.status, job, out)
            raise
        job = await asyncio.to_thread(jobs.get_job, job.id)
        out.line(f"trainer finished with {_exit_text(rc)}; job {job.status}")
        await out.flush()  # stored before a crash is recorded below: a failed job's log ends with this line
        if rc == 0 and job.status in ("succeeded", "cancelled"):
            r = job.result or {}
            detail = (f"Stopped: {r.get('stopped')}; best validation loss {job.best_val_loss} at step "
                      f"{job.best_step}. Next: sightline eval {job.id}" if job.status == "succeeded" else "")
            await _notify(job.status, job, out, detail=detail)
            return f"job {job.id} {job.status}"
        error = job.error if job.status == "failed" and job.error else f"trainer exited with {_exit_text(rc)}"
        if job.status in ("running", "queued"):  # died without recording it (signal, OOM killer, hard crash)
            tail = "\n".join(out.tail[-5:])
            await asyncio.to_thread(jobs.add_event, job.id, "status", job.step, message=f"failed: {error}")
            job = await asyncio.to_thread(jobs.finish, job.id, "failed",
                                          error=f"{error}; last log lines:\n{tail}" if tail else error)
            await asyncio.to_thread(registry.job_finished, job)
        await _notify("failed", job, out, detail=f"Error: {error}", with_tail=True)
        raise TrainerFailed(f"job {job.id}: {error}")
    finally:
        if out is not None:
            await out.close()
        _slots.free.put_nowait(slot)


async def _stop(proc: asyncio.subprocess.Process) -> None:
    if proc.returncode is not None:
        return
    proc.send_signal(signal.SIGINT)  # the trainer records "interrupted" and exits
    try:
        await asyncio.wait_for(proc.wait(), STOP_GRACE_S)
    except TimeoutError:
        proc.kill()
        await proc.wait()


async def _requeue_stalled(app: procrastinate.App, stalled_after: float) -> None:
    """Every few seconds: jobs of workers that stopped heartbeating go back to the queue (any worker may do it)."""
    while not _stopping:
        try:
            for stalled in await app.job_manager.get_stalled_jobs(queue=QUEUE, seconds_since_heartbeat=stalled_after):
                try:
                    await app.job_manager.retry_job(stalled)
                    log.warning("queue job %s (%s) of a dead worker re-queued", stalled.id, stalled.task_kwargs)
                except pexc.ConnectorException:
                    pass  # another worker re-queued it first
            await app.job_manager.prune_stalled_workers(stalled_after)
        except pexc.ConnectorException as exc:
            log.warning("stalled-job check failed: %s", exc)
        await asyncio.sleep(max(0.5, stalled_after / 3))


def run_worker(slots: int | None = None, *, burst: bool = False) -> None:
    """`sightline worker`: run queued training jobs until SIGTERM/SIGINT (`burst`: until the queue is empty)."""
    global _slots
    settings = get_settings()
    n = slots or settings.worker_slots
    stalled_after = settings.queue_stalled_after_s
    app = make_app(asynchronous=True)

    async def main() -> None:
        global _slots, _stopping
        _slots, _stopping = Slots(n), False
        async with app.open_async():
            watcher = asyncio.create_task(_requeue_stalled(app, stalled_after))
            checks = None
            if settings.alert_check_minutes > 0 and not burst:
                checks = asyncio.create_task(app.run_worker_async(
                    queues=[MONITOR_QUEUE], concurrency=1, name=f"{socket.gethostname()}:{os.getpid()}:alerts",
                    wait=True, update_heartbeat_interval=max(0.5, stalled_after / 3),
                    stalled_worker_timeout=stalled_after, shutdown_graceful_timeout=0.5,
                    install_signal_handlers=False), name="alert checks")
            try:
                await app.run_worker_async(
                    queues=[QUEUE], concurrency=n, name=f"{socket.gethostname()}:{os.getpid()}", wait=not burst,
                    update_heartbeat_interval=max(0.5, stalled_after / 3), stalled_worker_timeout=stalled_after,
                    shutdown_graceful_timeout=0.5, install_signal_handlers=True)
            finally:
                watcher.cancel()
                if checks is not None:  # the training worker stopped (signal): stop the alert checks with it
                    checks.cancel()
                    await asyncio.gather(checks, return_exceptions=True)

    try:
        asyncio.run(main())
    finally:
        _slots = None
