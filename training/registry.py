"""The model registry, write side (`model_versions`, `model_promotions`): a version per training job, its adapter copy,
evaluation and leak-test results, and the lifecycle training -> evaluated -> staging -> production -> archived with
gated promotion and rollback. Aliases (`industry@production`) are resolved at request time by `db/model_registry.py`."""

from __future__ import annotations

import json
import re
import shutil
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

import sqlalchemy as sa

from config import get_settings
from config.errors import UserError
from db.engine import admin_engine
from db.model_registry import parse_alias
from training.jobs import Job

LIFECYCLE = ("training", "evaluated", "staging", "production", "archived")
VERSION_RE = re.compile(r"^[a-z0-9][a-z0-9-]{0,80}-v[0-9]+$")


class PromotionError(UserError, ValueError):
    """A promotion or rollback the registry refuses (gates not passed, unknown version, nothing to roll back to)."""


@dataclass(frozen=True)
class ModelVersion:
    id: str
    target: str
    number: int
    status: str
    job_id: str | None
    base_model: str
    adapter_path: Path
    dataset: str
    metrics: dict[str, Any] | None
    eval_report: str | None
    eval_passed: bool | None
    leak_test: dict[str, Any] | None
    leak_passed: bool | None
    note: str | None
    created_at: datetime
    updated_at: datetime
    job_status: str | None = None


_COLUMNS = ("v.id, v.target, v.number, v.status, v.job_id, v.base_model, v.adapter_path, v.dataset_name, "
            "v.dataset_version, v.metrics, v.eval_report, v.eval_passed, v.leak_test, v.leak_passed, v.note, "
            "v.created_at, v.updated_at, j.status AS job_status")
_FROM = " FROM model_versions v LEFT JOIN training_jobs j ON j.id = v.job_id "


def _version(r: sa.Row) -> ModelVersion:
    return ModelVersion(id=r.id, target=r.target, number=r.number, status=r.status, job_id=r.job_id,
                        base_model=r.base_model, adapter_path=Path(r.adapter_path),
                        dataset=f"{r.dataset_name}@{r.dataset_version}", metrics=r.metrics, eval_report=r.eval_report,
                        eval_passed=r.eval_passed, leak_test=r.leak_test, leak_passed=r.leak_passed, note=r.note,
                        created_at=r.created_at, updated_at=r.updated_at, job_status=r.job_status)


def adapters_root() -> Path:
    return get_settings().data_dir / "models" / "adapters"


def _prefix(target: str) -> str:
    return target.replace(":", "-")


def create_version(job: Job) -> ModelVersion:
    """Register the version a new job trains (status `training`), numbered per target: industry-v1, tenant-acme-v1."""
    with admin_engine().begin() as conn:
        conn.execute(sa.text("SELECT pg_advisory_xact_lock(hashtext('model_versions:' || :t))"), {"t": job.target})
        number = conn.execute(sa.text("SELECT coalesce(max(number), 0) + 1 FROM model_versions WHERE target = :t"),
                              {"t": job.target}).scalar_one()
        vid = f"{_prefix(job.target)}-v{number}"
        tenant = conn.execute(sa.text("SELECT scope_tenant_id FROM training_jobs WHERE id = :j"),
                              {"j": job.id}).scalar()
        conn.execute(sa.text(
            "INSERT INTO model_versions (id, target, scope_tenant_id, number, job_id, base_model, adapter_path, "
            "dataset_name, dataset_version) VALUES (:id, :t, :tid, :n, :job, :base, :path, :dn, :dv)"),
            {"id": vid, "t": job.target, "tid": tenant, "n": number, "job": job.id, "base": job.base_model,
             "path": str(adapters_root() / vid), "dn": job.dataset_name, "dv": job.dataset_version})
    return get_version(vid)


def _one(where: str, params: dict[str, Any], missing: str) -> ModelVersion:
    with admin_engine().connect() as conn:
        row = conn.execute(sa.text(f"SELECT {_COLUMNS}{_FROM}WHERE {where}"), params).first()
    if row is None:
        raise PromotionError(missing)
    return _version(row)


def version_for_job(job_id: str) -> ModelVersion:
    return _one("v.job_id = :j", {"j": job_id}, f"job {job_id} has no registered model version")


def job_finished(job: Job) -> None:
    """Called by the trainer: a succeeded job's adapter is copied to `<data_dir>/models/adapters/<version>/` (the
    registry's immutable copy); a cancelled job's version is archived; a failed one stays `training` (resumable)."""
    try:
        version = version_for_job(job.id)
    except PromotionError:
        return
    if job.status == "succeeded":
        src = job.job_dir / "adapter"
        dst = version.adapter_path
        tmp = dst.with_name(dst.name + ".tmp")
        shutil.rmtree(tmp, ignore_errors=True)
        shutil.copytree(src, tmp)
        shutil.rmtree(dst, ignore_errors=True)
        tmp.rename(dst)
        _update(version.id, note=f"trained by job {job.id}")
    elif job.status == "cancelled":
        _update(version.id, status="archived", note=f"job {job.id} was cancelled")
    elif job.status == "failed":
        _update(version.id, note=f"job {job.id} failed ({job.error}); `sightline train --resume {job.id}`")


def _update(version_id: str, **values: Any) -> None:
    sets = ", ".join(f"{k} = CAST(:{k} AS jsonb)" if k in ("metrics", "leak_test") else f"{k} = :{k}"
                     for k in values)
    params = {k: json.dumps(v) if k in ("metrics", "leak_test") else v for k, v in values.items()}
    with admin_engine().begin() as conn:
        conn.execute(sa.text(f"UPDATE model_versions SET {sets}, updated_at = now() WHERE id = :id"),
                     {**params, "id": version_id})


def record_eval(version_id: str, *, metrics: dict[str, Any], report: Path, passed: bool) -> ModelVersion:
    """Store evaluation results; a version still in `training` becomes `evaluated`."""
    with admin_engine().begin() as conn:
        conn.execute(sa.text(
            "UPDATE model_versions SET metrics = CAST(:m AS jsonb), eval_report = :r, eval_passed = :p, "
            "status = CASE WHEN status = 'training' THEN 'evaluated' ELSE status END, updated_at = now() "
            "WHERE id = :id"), {"m": json.dumps(metrics), "r": str(report), "p": passed, "id": version_id})
    return get_version(version_id)


def record_leak_test(version_id: str, result: dict[str, Any], passed: bool) -> ModelVersion:
    _update(version_id, leak_test=result, leak_passed=passed)
    return get_version(version_id)


def get_version(version_id: str) -> ModelVersion:
    return _one("v.id = :id", {"id": version_id}, f"unknown model version {version_id!r} (see `sightline models list`)")


def list_versions(target: str | None = None) -> list[ModelVersion]:
    sql = f"SELECT {_COLUMNS}{_FROM}"
    params: dict[str, Any] = {}
    if target:
        sql += "WHERE v.target = :t "
        params["t"] = target
    with admin_engine().connect() as conn:
        rows = conn.execute(sa.text(sql + "ORDER BY v.target, v.number DESC"), params).all()
    return [_version(r) for r in rows]


def gate_problems(v: ModelVersion, stage: str) -> list[str]:
    """Why `v` may not enter `stage` (empty: it may)."""
    problems = []
    if v.job_status != "succeeded":
        problems.append(f"its training job {v.job_id} is {v.job_status or 'gone'}, not succeeded")
    if not (v.adapter_path / "adapter_config.json").is_file():
        problems.append(f"its adapter is missing ({v.adapter_path})")
    if v.eval_passed is None:
        problems.append(f"it has not been evaluated (run `sightline eval {v.job_id}`)")
    elif stage == "production" and not v.eval_passed:
        failed = ", ".join((v.metrics or {}).get("failed_checks", [])) or "see the report"
        problems.append(f"its evaluation failed ({failed}; report {v.eval_report})")
    if stage == "production":
        if v.leak_passed is None:
            problems.append(f"it has no leak test (run `sightline models leak-test {v.id}`)")
        elif not v.leak_passed:
            reason = (v.leak_test or {}).get("reason", "see `sightline models show`")
            problems.append(f"its leak test failed ({reason})")
    return problems


def promote(version_id: str, stage: str = "production", note: str | None = None
            ) -> tuple[ModelVersion, ModelVersion | None]:
    """Make a version the target's `stage` version; returns (new, previous). Production needs a succeeded job, a
    passing evaluation and a passing leak test (the database checks the last two again). The previous production
    version is archived; `rollback` restores it."""
    if stage not in ("staging", "production"):
        raise PromotionError(f"stage must be staging or production, not {stage!r}")
    v = get_version(version_id)
    if v.status == stage:
        raise PromotionError(f"{v.id} is already the {v.target}@{stage} version")
    problems = gate_problems(v, stage)
    if problems:
        raise PromotionError(f"refusing to promote {v.id} to {stage}: " + "; ".join(problems))
    with admin_engine().begin() as conn:
        conn.execute(sa.text("SELECT pg_advisory_xact_lock(hashtext('model_versions:' || :t))"), {"t": v.target})
        previous = conn.execute(sa.text("SELECT id FROM model_versions WHERE target = :t AND status = :s FOR UPDATE"),
                                {"t": v.target, "s": stage}).scalar()
        if previous:
            demoted = "archived" if stage == "production" else "evaluated"
            conn.execute(sa.text("UPDATE model_versions SET status = :d, updated_at = now() WHERE id = :id"),
                         {"d": demoted, "id": previous})
        conn.execute(sa.text("UPDATE model_versions SET status = :s, updated_at = now() WHERE id = :id"),
                     {"s": stage, "id": v.id})
        conn.execute(sa.text(
            "INSERT INTO model_promotions (target, stage, action, version_id, previous_version_id, note) "
            "VALUES (:t, :s, 'promote', :v, :p, :n)"), {"t": v.target, "s": stage, "v": v.id, "p": previous,
                                                        "n": note})
    return get_version(v.id), get_version(previous) if previous else None


def rollback(target_or_alias: str, note: str | None = None) -> tuple[ModelVersion | None, ModelVersion]:
    """Put back the version that was `target@stage` before the current one was promoted; returns (restored or None,
    rolled back). The rolled-back version is archived. With no earlier version the alias becomes unset (the agent then
    falls back to SIGHTLINE_INDUSTRY_ADAPTER or the base model)."""
    target, stage = parse_alias(target_or_alias)
    with admin_engine().begin() as conn:
        conn.execute(sa.text("SELECT pg_advisory_xact_lock(hashtext('model_versions:' || :t))"), {"t": target})
        current = conn.execute(sa.text("SELECT id FROM model_versions WHERE target = :t AND status = :s FOR UPDATE"),
                               {"t": target, "s": stage}).scalar()
        if current is None:
            raise PromotionError(f"{target}@{stage} is not set; nothing to roll back")
        previous = conn.execute(sa.text(
            "SELECT p.previous_version_id FROM model_promotions p WHERE p.target = :t AND p.stage = :s AND "
            "p.action = 'promote' AND p.version_id = :v ORDER BY p.id DESC LIMIT 1"),
            {"t": target, "s": stage, "v": current}).scalar()
        conn.execute(sa.text("UPDATE model_versions SET status = :d, note = :n, updated_at = now() WHERE id = :id"),
                     {"d": "archived" if stage == "production" else "evaluated", "id": current,
                      "n": note or f"rolled back from {stage}"})
        if previous:
            conn.execute(sa.text("UPDATE model_versions SET status = :s, updated_at = now() WHERE id = :id"),
                         {"s": stage, "id": previous})
            conn.execute(sa.text(
                "INSERT INTO model_promotions (target, stage, action, version_id, previous_version_id, note) "
                "VALUES (:t, :s, 'rollback', :v, :p, :n)"), {"t": target, "s": stage, "v": previous, "p": current,
                                                             "n": note})
    return (get_version(previous) if previous else None), get_version(current)
