"""Fine-tuning portal, model registry: versions, the gate before a promotion (staging or production), promote through
the gate (`training.registry.promote`: production needs a passing evaluation and a passing leak test, checked again by
the database), roll back, archive, which adapter answers now (the agent's own request-time resolution), and a model
card per version generated from the registry (data, settings, scores, limits)."""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa

from app.admin.portal_scope import PortalError, PortalNotFound, PortalScope, scoped_lookup
from db.engine import admin_engine
from training import registry

STAGES = ("staging", "production")


def list_versions(scope: PortalScope, target: str | None = None) -> list[registry.ModelVersion]:
    return [v for v in registry.list_versions(target) if scope.may_target(v.target)]


def get_version(scope: PortalScope, version_id: str) -> registry.ModelVersion:
    return scoped_lookup(scope, lambda: registry.get_version(version_id), unknown=registry.PromotionError,
                         missing=f"unknown model version {version_id!r}")


def gates(scope: PortalScope, version_id: str) -> dict[str, list[str]]:
    """Why the version may not enter each stage (empty list: it may)."""
    v = get_version(scope, version_id)
    return {stage: registry.gate_problems(v, stage) for stage in STAGES}


def promote(scope: PortalScope, version_id: str, stage: str) -> tuple[registry.ModelVersion,
                                                                      registry.ModelVersion | None]:
    v = get_version(scope, version_id)
    if stage not in STAGES:
        raise PortalError(f"stage must be staging or production, not {stage!r}")
    try:
        return registry.promote(v.id, stage, note=f"promoted in the console by {scope.rater}")
    except registry.PromotionError as exc:
        raise PortalError(str(exc)) from exc


def rollback(scope: PortalScope, target: str, stage: str = "production") -> tuple[registry.ModelVersion | None,
                                                                                   registry.ModelVersion]:
    if not scope.may_target(target) or stage not in STAGES:
        raise PortalNotFound(f"unknown alias {target}@{stage}")
    try:
        return registry.rollback(f"{target}@{stage}", note=f"rolled back in the console by {scope.rater}")
    except registry.PromotionError as exc:
        raise PortalError(str(exc)) from exc


def archive(scope: PortalScope, version_id: str) -> registry.ModelVersion:
    """Retire a version that is not serving: evaluated, staging (the staging alias becomes unset) or a training
    version whose job has stopped. A production version must be rolled back (or replaced) first."""
    v = get_version(scope, version_id)
    if v.status == "production":
        raise PortalError(f"{v.id} is {v.target}@production: roll it back or promote another version first")
    if v.status == "archived":
        raise PortalError(f"{v.id} is archived already")
    if v.status == "training" and v.job_status in ("queued", "running"):
        raise PortalError(f"{v.id} is still training (job {v.job_id} is {v.job_status}); cancel the job instead")
    with admin_engine().begin() as conn:
        conn.execute(sa.text("UPDATE model_versions SET status = 'archived', note = :n, updated_at = now() "
                             "WHERE id = :id AND status <> 'production'"),
                     {"id": v.id, "n": f"archived in the console by {scope.rater} (was {v.status})"})
    return registry.get_version(v.id)


def serving(scope: PortalScope) -> list[dict[str, Any]]:
    """Per visible target: its production and staging versions (what `db.model_registry.resolve` returns now)."""
    from db.model_registry import resolve

    out = []
    for target in scope.targets():
        row: dict[str, Any] = {"target": target}
        tenant_id = None
        if target != "industry":
            from db.registry import RegistryError, get_tenant

            try:
                tenant_id = get_tenant(target.split(":", 1)[1]).id
            except RegistryError:
                continue
        for stage in STAGES:
            ref = resolve(f"{target}@{stage}", tenant_id=tenant_id)
            row[stage] = ref.version if ref else None
        out.append(row)
    return out


def try_question(principal: Any, question: str, max_new_tokens: int = 64) -> dict[str, Any]:
    """Answer `question` with the model the industry tool would use for `principal` now (no retrieval, no guard
    bypass: the answer goes through the output guard), and say which adapter answered."""
    from langchain_core.messages import HumanMessage

    from agents.models import AgentModels
    from safety import redact

    question = (question or "").strip()
    if not question or len(question) > 500:
        raise PortalError("ask a question of 1-500 characters")
    models = AgentModels.for_principal(principal)
    model, label, registered = models.industry(principal)
    bound = model.bind(max_tokens=max_new_tokens) if hasattr(model, "bind") else model
    try:
        reply = bound.invoke([HumanMessage(question)])
    except TypeError:
        reply = model.invoke([HumanMessage(question)])
    text = redact(str(getattr(reply, "content", reply))).text
    return {"question": question, "answer": text, "model": label, "adapter_registered": registered}


# --------------------------------------------------------------------------------------------------- model card


LIMITS = [
    "Trained with LoRA on a small base model; answers can be fluent and still wrong: the factual check measures how "
    "often, and the chat's industry route answers from retrieved, cited passages for that reason.",
    "English only; the PII detector and the toxicity word list used on the data are English-centric.",
    "Perplexity and ROUGE-L compare wording with references, not truth; human ratings are from few raters.",
    "The leak test plants 4 canaries; passing it bounds memorization of what the pipeline lets through, it does not "
    "prove that no personal data was ever seen.",
]


def model_card(scope: PortalScope, version_id: str) -> dict[str, Any]:
    """The model card of a version, from the registry: data, settings, scores, gates, ratings, limits."""
    from app.admin.portal_datasets import quality_score
    from app.admin.portal_eval import ratings, summary
    from training import datasets as ds_mod
    from training import jobs

    v = get_version(scope, version_id)
    job = jobs.get_job(v.job_id) if v.job_id else None
    name, _, ver = v.dataset.partition("@")
    data: dict[str, Any] = {"ref": v.dataset}
    try:
        d = ds_mod.get_dataset(name, ver)
        data.update(scope=d.scope, tenant=d.tenant_slug, format=d.version.format, counts=d.version.counts,
                    source=d.version.source_name, redacted=d.version.redacted, deduped=d.version.deduped,
                    anonymized=d.version.anonymized, builder=d.version.builder,
                    quality=quality_score(d.version.report)["score"],
                    tokens=(d.version.report.get("tokens") or {}).get("total"))
    except ds_mod.DatasetError:
        data["missing"] = True
    m = v.metrics or {}
    limits = list(LIMITS)
    if m.get("failed_checks"):
        limits.insert(0, "Evaluation checks failed: " + "; ".join(m["failed_checks"]))
    card = {
        "id": v.id, "target": v.target, "status": v.status, "created_at": v.created_at, "base_model": v.base_model,
        "adapter_path": str(v.adapter_path), "note": v.note, "data": data,
        "training": {"job": v.job_id, "job_status": v.job_status, "preset": job.preset if job else None,
                     "config": job.config if job else {}, "result": job.result if job else None,
                     "best_val_loss": job.best_val_loss if job else None},
        "scores": m, "eval_passed": v.eval_passed, "leak_passed": v.leak_passed, "leak": v.leak_test,
        "ratings": summary(ratings(scope, v.id)), "gates": {s: registry.gate_problems(v, s) for s in STAGES},
        "limits": limits,
    }
    card["markdown"] = card_markdown(card)
    return card


def card_markdown(card: dict[str, Any]) -> str:
    from app.admin.portal_eval import _leak_text, _metric_rows

    d, t = card["data"], card["training"]
    yes = {True: "pass", False: "FAIL", None: "not run"}
    lines = [f"# Model card: {card['id']}", "",
             f"- target: `{card['target']}`; status: **{card['status']}**",
             f"- base model: `{card['base_model']}`", f"- adapter: `{card['adapter_path']}`", "",
             "## Data", "", f"- dataset: `{d['ref']}`"]
    if not d.get("missing"):
        lines += [f"- scope: {d['scope']}" + (f" (tenant {d['tenant']})" if d.get("tenant") else ""),
                  f"- format: {d['format']}, source {d['source']}; records train/val/test "
                  f"{d['counts']['train']}/{d['counts']['val']}/{d['counts']['test']}; {d.get('tokens')} tokens",
                  f"- redacted: {d['redacted']}, deduplicated: {d['deduped']}, anonymized: {d['anonymized']}"
                  + (f", built by {d['builder']}" if d.get("builder") else ""),
                  f"- quality score: {d['quality']}/100"]
    lines += ["", "## Training settings", "", f"- job `{t['job']}` ({t['job_status']}), preset `{t['preset']}`",
              "- " + ", ".join(f"{k}={v}" for k, v in (t["config"] or {}).items())]
    r = t.get("result") or {}
    if r:
        lines.append(f"- {r.get('steps_done')} steps on {r.get('device')}, {r.get('s_per_step')} s/step, stopped: "
                     f"{r.get('stopped')}, best validation loss {t.get('best_val_loss')}")
    lines += ["", "## Scores", "", f"- evaluation gate: {yes[card['eval_passed']]}",
              f"- {_leak_text(card['leak'])}", ""]
    rows = _metric_rows(card["scores"] or {})
    if rows:
        lines += ["| metric | base | tuned | note |", "| --- | ---: | ---: | --- |"]
        lines += [f"| {a} | {b} | {c} | {n} |" for a, b, c, n in rows]
        lines.append("")
    for side, s in card["ratings"].items():
        if s.get("n"):
            lines.append(f"- human ratings ({side}, {s['n']}): relevance {s['relevance']}, correctness "
                         f"{s['correctness']}, style {s['style']}, helpfulness {s['helpfulness']}, safe "
                         f"{s['safe']:.0%}")
    lines += ["", "## Gates", ""]
    for stage, problems in card["gates"].items():
        lines.append(f"- {stage}: " + ("may be promoted" if not problems else "; ".join(problems)))
    lines += ["", "## Limits", ""] + [f"- {x}" for x in card["limits"]]
    return "\n".join(lines) + "\n"
