"""The training job queue (training/queue.py) on the real embedded PostgreSQL, with real `sightline worker`
subprocesses running real (tiny, CPU) trainings: the queue schema is closed to the app and reader roles; jobs are
queued once, by priority; a worker runs them one at a time per slot and notifies a real SMTP server and webhook; a
worker killed with SIGKILL takes its trainer with it and another worker resumes the job from its last checkpoint; a
trainer killed mid-run (as the OOM killer would) leaves the job failed with its log; SIGTERM re-queues a running job."""

from __future__ import annotations

import json
import os
import re
import signal
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
import sqlalchemy as sa
from sqlalchemy.exc import DBAPIError
from typer.testing import CliRunner

from app.cli import cli
from db import registry as tenants
from db.engine import app_engine, reader_engine
from tests.notify_receivers import Hook, Mailbox, smtp_server, webhook_server
from training import jobs
from training.datasets import add_dataset
from training.queue import queued_ids
from training.trainer import checkpoints

runner = CliRunner()
ROOT = Path(__file__).resolve().parent.parent
QA = [(f"Which shelf holds the frame model {n}?", f"Frame model {n} is kept on shelf {n % 7 + 1}.") for n in range(12)]
TRAIN = ["train", "--dataset", "acme-faq", "--adapter-for", "tenant:acme", "--preset", "quick", "--batch-size", "2",
         "--max-len", "64", "--log-every", "1", "--eval-every", "100", "--queue"]


@pytest.fixture(scope="module")
def receivers() -> Iterator[tuple[Mailbox, Hook, dict[str, str]]]:
    with smtp_server() as (port, box), webhook_server() as (url, hook):
        env = {"SIGHTLINE_SMTP_HOST": "127.0.0.1", "SIGHTLINE_SMTP_PORT": str(port),
               "SIGHTLINE_SMTP_SECURITY": "none", "SIGHTLINE_NOTIFY_EMAIL_TO": "ml-ops@example.com",
               "SIGHTLINE_NOTIFY_WEBHOOK_URL": url + "/hook", "SIGHTLINE_QUEUE_STALLED_AFTER_S": "2"}
        yield box, hook, env


@pytest.fixture(scope="module")
def setup(database: str, tmp_path_factory: pytest.TempPathFactory) -> None:
    tenants.add_tenant("acme", "Acme Optics")
    path = tmp_path_factory.mktemp("queue-data") / "faq.jsonl"
    path.write_text("".join(json.dumps({"prompt": q, "completion": a}) + "\n" for q, a in QA))
    assert add_dataset(path, "acme-faq", tenant_slug="acme").dataset is not None


def _queue(*args: str) -> str:
    result = runner.invoke(cli, [*TRAIN, *args])
    assert result.exit_code == 0, result.output
    return result.output


def _job_of(output: str) -> jobs.Job:
    line = next(ln for ln in output.splitlines() if " queued (priority" in ln or "already waiting" in ln)
    return jobs.get_job(line.split()[1])


def _worker(env: dict[str, str], *args: str) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-m", "app.cli", "worker", *args], cwd=ROOT,
                            env={**os.environ, **env}, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)


def _wait(what: str, check: Callable[[], bool], proc: subprocess.Popen | None = None, timeout: float = 900) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if check():
            return
        if proc is not None and proc.poll() is not None:
            raise AssertionError(f"worker exited ({proc.returncode}) before {what}:\n{proc.stdout.read().decode()}")
        time.sleep(0.1)
    raise AssertionError(f"timed out waiting for {what}")


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    with open(f"/proc/{pid}/stat") as fh:
        return fh.read().split(")")[-1].split()[0] != "Z"


def _events(box: Mailbox, hook: Hook, job_id: str) -> tuple[list[str], list[str]]:
    pattern = re.compile(rf"training job {job_id} (\w+):")
    mails = [m.group(1) for s in box.subjects() if (m := pattern.search(s))]
    hooks = [m.group(1) for b in hook.bodies if (m := pattern.search(b["text"]))]
    return mails, hooks


def test_queue_schema_and_job_logs_are_closed_to_the_app_and_reader_roles(database: str) -> None:
    attempts = ["SELECT count(*) FROM sightline_queue.procrastinate_jobs",
                "INSERT INTO sightline_queue.procrastinate_jobs (queue_name, task_name) VALUES ('training', 'x')",
                "SELECT sightline_queue.procrastinate_register_worker_v1()",
                "SELECT count(*) FROM training_job_logs"]
    for engine in (app_engine(), reader_engine()):
        with engine.connect() as conn:
            for sql in attempts:
                with pytest.raises(DBAPIError, match="permission denied"):
                    conn.execute(sa.text(sql))
                conn.rollback()
            conn.execute(sa.text("SET search_path = sightline_queue, public"))
            with pytest.raises(DBAPIError, match="permission denied|does not exist"):
                conn.execute(sa.text("SELECT count(*) FROM procrastinate_jobs"))
            conn.rollback()


def test_queued_once_highest_priority_first(setup) -> None:
    low = _job_of(_queue("--max-steps", "1", "--priority", "0"))
    high = _job_of(_queue("--max-steps", "2", "--priority", "5"))
    again = _queue("--max-steps", "1", "--priority", "0")  # the same command: the same job, not queued twice
    assert f"job {low.id} already waiting in the queue" in again
    assert low.status == high.status == "queued" and (low.priority, high.priority) == (0, 5)
    assert queued_ids() == [high.id, low.id]
    listed = runner.invoke(cli, ["jobs", "list"]).output
    assert f"{high.id}  queued p5" in listed
    logs = runner.invoke(cli, ["jobs", "logs", low.id])
    assert logs.exit_code == 1 and "no log yet" in logs.output


@pytest.mark.slow
def test_worker_runs_by_priority_one_at_a_time_and_notifies(setup, receivers, tmp_path: Path) -> None:
    box, hook, env = receivers
    order = queued_ids()
    assert len(order) == 2
    proc = _worker(env, "--burst", "--slots", "1")
    out, _ = proc.communicate(timeout=900)
    assert proc.returncode == 0, out.decode()
    done = [jobs.get_job(i) for i in order]
    assert [j.status for j in done] == ["succeeded", "succeeded"] and queued_ids() == []
    first, second = done
    assert first.priority == 5 and first.finished_at <= second.started_at  # by priority, never two at once
    for j in done:
        assert j.attempts == 1 and j.step == j.total_steps
        assert _events(box, hook, j.id) == (["started", "succeeded"], ["started", "succeeded"])
    saved = tmp_path / "job.log"
    result = runner.invoke(cli, ["jobs", "logs", first.id, "-o", str(saved)])
    assert result.exit_code == 0, result.output
    text = saved.read_text()
    assert "attempt 1 on slot 0" in text and "priority 5" in text and "trainer finished with exit status 0" in text
    assert f'"job": "{first.id}", "status": "succeeded"' in text  # the trainer's own output
    assert text == (first.job_dir / "worker.log").read_text()


@pytest.mark.slow
def test_killed_worker_takes_its_trainer_and_another_worker_resumes(setup, receivers) -> None:
    box, hook, env = receivers
    job = _job_of(_queue("--max-steps", "4", "--checkpoint-every", "1", "--priority", "1"))
    first = _worker(env)
    try:
        _wait("a checkpoint", lambda: bool(checkpoints(job.job_dir)), first)
        trainer = jobs.get_job(job.id).pid
        assert trainer and _alive(trainer)
        first.send_signal(signal.SIGKILL)
        first.wait(10)
        _wait("the trainer to die with its worker", lambda: not _alive(trainer), timeout=10)
    finally:
        first.kill()
        first.wait(10)
    at = int(checkpoints(job.job_dir)[-1].name.split("-")[1])
    killed = jobs.get_job(job.id)
    assert killed.status == "running" and not killed.process_alive() and killed.step < 4

    second = _worker(env)
    try:
        _wait("the job to finish on the second worker",
              lambda: "succeeded" in _events(box, hook, job.id)[1] or jobs.get_job(job.id).status == "failed", second)
    finally:
        second.send_signal(signal.SIGTERM)
        second.wait(60)
    done = jobs.get_job(job.id)
    assert done.status == "succeeded" and done.step == 4 and done.attempts == 2
    assert done.result["resumed_from"][-1] <= at and done.result["resumed_from"][-1] > 0  # not from step 0
    log = jobs.read_log(job.id)
    assert "attempt 1 on slot 0" in log and "attempt 2 on slot 0" in log
    assert "resuming from checkpoint step-" in log.split("attempt 2 on slot 0")[1].splitlines()[0]
    mails, hooks = _events(box, hook, job.id)
    assert mails == hooks == ["started", "started", "succeeded"]


@pytest.mark.slow
def test_crashed_trainer_fails_the_job_with_its_log_and_sigterm_requeues(setup, receivers) -> None:
    box, hook, env = receivers
    crash = _job_of(_queue("--max-steps", "400", "--priority", "9"))
    keep = _job_of(_queue("--max-steps", "401", "--priority", "0"))
    proc = _worker(env)
    try:
        _wait("the trainer's first steps", lambda: jobs.get_job(crash.id).step >= 2, proc)
        os.kill(jobs.get_job(crash.id).pid, signal.SIGKILL)  # what the OOM killer does
        _wait("the job to be marked failed", lambda: jobs.get_job(crash.id).status == "failed", proc)
        failed = jobs.get_job(crash.id)
        assert failed.error.startswith("trainer exited with signal SIGKILL; last log lines:")
        assert "trainer finished with signal SIGKILL; job running" in jobs.read_log(crash.id)  # before it was failed
        _wait("the failure notification", lambda: "failed" in _events(box, hook, crash.id)[1])
        failure = next(b for b in hook.bodies if crash.id in b["text"] and "failed" in b["text"])
        assert "SIGKILL" in failure["blocks"][0]["text"]["text"] and len(failure["blocks"]) == 2  # with the log tail
        logs = runner.invoke(cli, ["jobs", "logs", crash.id, "--tail", "3"])
        assert logs.exit_code == 0 and "trainer finished with signal SIGKILL" in logs.output

        # the worker survives the crash and takes the next job; SIGTERM puts it back in the queue
        _wait("the next job's first step", lambda: jobs.get_job(keep.id).step >= 1, proc)
        proc.send_signal(signal.SIGTERM)
        proc.wait(60)
    finally:
        proc.kill()
        proc.wait(10)
    requeued = jobs.get_job(keep.id)
    output = proc.stdout.read().decode(errors="replace")[-4000:]
    assert requeued.status == "queued" and queued_ids() == [keep.id], output
    assert "job re-queued" in jobs.read_log(keep.id)
    runner.invoke(cli, ["jobs", "cancel", keep.id])
