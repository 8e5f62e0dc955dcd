"""Fine-tuning portal, training jobs: the time/cost estimate before a start, starting a job on the real queue
(`training.queue.enqueue`, run by `sightline worker`), the live view (loss curves, step, ETA, log tail) and cancel.

The same functions as `sightline train --queue`, `sightline jobs show/logs/cancel` (training.trainer.plan_run,
start_or_resume, training.jobs), after the scope check: a tenant admin may only train `tenant:<their slug>` from
their own datasets and only sees those jobs.
"""

from __future__ import annotations

from typing import Any

from app.admin.portal_datasets import get_dataset
from app.admin.portal_scope import PortalError, PortalScope, scoped_lookup
from training import jobs
from training.presets import OVERRIDES, PRESETS

INT_FIELDS = {"batch_size", "lora_r", "lora_alpha", "max_len", "warmup", "max_steps", "eval_every",
              "checkpoint_every", "log_every"}
FLOAT_FIELDS = {"epochs", "lr", "weight_decay"}
LOG_TAIL_LINES = 40


def parse_overrides(values: dict[str, Any]) -> dict[str, Any]:
    """Advanced settings from a form or JSON (empty means: keep the preset's value), typed."""
    out: dict[str, Any] = {}
    for key in OVERRIDES:
        raw = values.get(key)
        if raw is None or (isinstance(raw, str) and not raw.strip()):
            continue
        try:
            out[key] = int(raw) if key in INT_FIELDS else float(raw)
        except (TypeError, ValueError) as exc:
            raise PortalError(f"{key.replace('_', ' ')}: {raw!r} is not a number") from exc
    return out


def plan(scope: PortalScope, dataset_ref: str, *, target: str, preset: str, overrides: dict[str, Any]) -> Any:
    """The resolved run with its estimate (nothing stored). Raises PortalError for a target outside the scope."""
    from training.base_model import BaseModelError
    from training.datasets import DatasetError, ScopeError
    from training.presets import PresetError
    from training.trainer import plan_run

    if preset not in PRESETS:
        raise PortalError(f"unknown preset {preset!r}: choose one of {', '.join(PRESETS)}")
    if not scope.may_target(target):
        raise PortalError(f"you may train only {', '.join(scope.targets())}")
    dataset = get_dataset(scope, dataset_ref)
    try:
        return plan_run(f"{dataset.name}@{dataset.version.version}", preset=preset, adapter_for=target,
                        **overrides)
    except (ScopeError, DatasetError, PresetError, BaseModelError) as exc:
        raise PortalError(str(exc)) from exc


def estimate_view(p: Any) -> dict[str, Any]:
    e = dict(p.estimate)
    e["minutes"] = round(e["seconds"] / 60, 1)
    e["duration"] = _duration(e["seconds"])
    e["dataset"] = f"{p.dataset.name}@{p.dataset.version.version}"
    e["target"] = p.target
    e["preset"] = p.preset
    e["config"] = p.config.to_json()
    return e


def start(scope: PortalScope, dataset_ref: str, *, target: str, preset: str, overrides: dict[str, Any],
          priority: int = 0) -> tuple[jobs.Job, dict[str, Any], bool]:
    """Plan, create (or find the unfinished job of the same command) and queue it; (job, estimate, resumed)."""
    from training.queue import enqueue
    from training.trainer import start_or_resume

    p = plan(scope, dataset_ref, target=target, preset=preset, overrides=overrides)
    if not scope.operator:
        priority = min(priority, 0)  # tenants cannot jump the shared queue
    try:
        job, resumed = start_or_resume(p)
        job, _ = enqueue(job, priority)
    except jobs.JobError as exc:
        raise PortalError(str(exc)) from exc
    return job, estimate_view(p), resumed


def list_jobs(scope: PortalScope, limit: int = 50) -> list[jobs.Job]:
    return [j for j in jobs.list_jobs(limit * (1 if scope.operator else 4)) if scope.may_target(j.target)][:limit]


def get_job(scope: PortalScope, ref: str) -> jobs.Job:
    return scoped_lookup(scope, lambda: jobs.get_job(ref), unknown=jobs.JobError, missing=f"no job {ref!r}")


def cancel(scope: PortalScope, ref: str) -> jobs.Job:
    job = get_job(scope, ref)
    try:
        return jobs.cancel(job.id)
    except jobs.JobError as exc:
        raise PortalError(str(exc)) from exc


def live(scope: PortalScope, ref: str) -> dict[str, Any]:
    """Everything the live view shows: status, step/total, ETA, losses (train and validation), the log tail."""
    from training.curves import loss_table

    job = get_job(scope, ref)
    table = loss_table(job.id)
    train = [(r["step"], r["train_loss"]) for r in table if r["train_loss"] is not None]
    val = [(r["step"], r["val_loss"]) for r in table if r["val_loss"] is not None]
    logs = jobs.events(job.id, ("log",))
    eta_s = eta_seconds(job, [(e.step, e.at.timestamp()) for e in logs])
    events = jobs.events(job.id, ("status", "checkpoint"))
    log = jobs.read_log(job.id)
    tail = [ln for ln in log.replace("\r", "\n").splitlines() if ln.strip()][-LOG_TAIL_LINES:]
    if not tail:  # a foreground (`sightline train`) job has no worker log: its status events instead
        tail = [f"step {e.step}: {e.kind} {e.message or ''}".strip() for e in events][-LOG_TAIL_LINES:]
    return {
        "id": job.id, "status": job.status, "target": job.target, "dataset": job.dataset_ref, "preset": job.preset,
        "step": job.step, "total_steps": job.total_steps,
        "percent": round(100 * job.step / job.total_steps, 1) if job.total_steps else 0.0,
        "eta_s": eta_s, "eta": _duration(eta_s) if eta_s is not None else "-",
        "best_val_loss": job.best_val_loss, "best_step": job.best_step, "error": job.error,
        "estimate": job.estimate, "result": job.result, "attempts": job.attempts,
        "estimate_duration": _duration(float(job.estimate["seconds"])) if job.estimate else None,
        "train": {"steps": [s for s, _ in train], "loss": [v for _, v in train]},
        "val": {"steps": [s for s, _ in val], "loss": [v for _, v in val]},
        "log_tail": tail, "finished": job.status in ("succeeded", "failed", "cancelled"),
        "created_at": job.created_at.isoformat(), "started_at": job.started_at.isoformat() if job.started_at else None,
    }


def eta_seconds(job: jobs.Job, progress: list[tuple[int, float]] | None = None) -> float | None:
    """Seconds left: the pace between this run's first and last loss events (model loading excluded), else the
    estimate's seconds per step."""
    if job.status in ("succeeded", "failed", "cancelled"):
        return 0.0
    left = max(0, job.total_steps - job.step)
    per_step = None
    points = sorted(progress or [])
    if job.status == "running" and len(points) >= 2 and points[-1][0] > points[0][0]:
        per_step = (points[-1][1] - points[0][1]) / (points[-1][0] - points[0][0])
    if per_step is None and job.estimate:
        per_step = job.estimate.get("s_per_step")
    return None if per_step is None else round(left * float(per_step), 1)


def _duration(seconds: float) -> str:
    seconds = int(round(seconds))
    if seconds < 60:
        return f"{seconds} s"
    if seconds < 3600:
        return f"{seconds // 60} min {seconds % 60:02d} s"
    return f"{seconds // 3600} h {seconds % 3600 // 60:02d} min"
