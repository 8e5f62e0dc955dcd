"""Fine-tuning portal routes: HTML pages under /admin/portal (Jinja2 templates in templates/portal/, htmx for partial
updates and the live job view, Plotly charts served offline) and the same actions as JSON under /api/admin/portal.

Every route needs a signed-in console user (`portal_scope`: an operator, or a tenant admin scoped to their tenant);
every change is written to the audit log with its actor and, for forms, checks the console's CSRF token. The work is
done by app/admin/portal_{datasets,jobs,eval,models}.py, the same functions as the CLI (app/cli_portal.py and the
existing `sightline dataset|train|jobs|eval|models` commands).
"""

from __future__ import annotations

import html
import json
from collections.abc import Callable
from typing import Any, TypeVar

from fastapi import APIRouter, Depends, File, Form, Request, UploadFile
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import HTMLResponse, JSONResponse, PlainTextResponse, RedirectResponse, Response

from app.admin import nav
from app.admin import portal_datasets as pd
from app.admin import portal_eval as pe
from app.admin import portal_jobs as pj
from app.admin import portal_models as pm
from app.admin.portal_auth import audit, portal_scope, render, verify_csrf
from app.admin.portal_scope import PortalError, PortalNotFound, PortalScope
from training.presets import OVERRIDES, PRESETS
from training.validate import Options

T = TypeVar("T")
pages = APIRouter(prefix="/admin/portal")
api = APIRouter(prefix="/api/admin/portal")

nav.register(
    nav.NavEntry("/admin/portal", "Datasets, jobs, models", section="Fine-tuning", audience="console", order=200),
    nav.NavEntry("/admin/portal/train", "Start training", section="Fine-tuning", audience="console", order=201),
)


def _options(redact: bool, dedupe: bool, split: str, seed: int) -> Options:
    return Options(redact=redact, dedupe=dedupe, split=split or "80/10/10", seed=seed)


def _error(request: Request, exc: Exception, status: int = 400) -> HTMLResponse:
    return render(request, "portal/error.html", {"message": str(exc)},
                  status_code=404 if isinstance(exc, PortalNotFound) else status)


async def _act(request: Request, scope: PortalScope, work: Callable[[], T], *, action: str,
               details: Callable[[T], dict[str, Any]], then: Callable[[T], str] | None = None,
               reply: Callable[[T], Any] | None = None, refused: int = 400) -> Any:
    """One audited change: `work()` off the event loop, then the audit row `action` with `details(result)`.

    A console form gives `then`: done, a 303 redirect to `then(result)`; refused (PortalError), the error page. The
    REST API gives `reply`: done, `reply(result)` (the JSON body); refused, {"error": ...}. Refused means 404 for
    "not found", else `refused`."""
    try:
        result = await run_in_threadpool(work)
    except PortalError as exc:
        return _error(request, exc, refused) if reply is None else _json_error(exc, refused)
    await run_in_threadpool(audit, request, scope, action, details(result))
    if reply is not None:
        return reply(result)
    assert then is not None, "a form action redirects: give `then`"
    return RedirectResponse(then(result), status_code=303)


def _json_error(exc: Exception, status: int = 400) -> JSONResponse:
    return JSONResponse({"error": str(exc)}, status_code=404 if isinstance(exc, PortalNotFound) else status)


def _dataset_json(d: Any) -> dict[str, Any]:
    v = d.version
    return {"name": d.name, "scope": d.scope, "tenant": d.tenant_slug, "current_version": d.current_version,
            "version": v.version, "created_at": v.created_at.isoformat(), "source": v.source_name, "format": v.format,
            "counts": v.counts, "redacted": v.redacted, "deduped": v.deduped, "anonymized": v.anonymized,
            "builder": v.builder}


def _job_json(j: Any) -> dict[str, Any]:
    return {"id": j.id, "status": j.status, "target": j.target, "dataset": j.dataset_ref, "preset": j.preset,
            "step": j.step, "total_steps": j.total_steps, "best_val_loss": j.best_val_loss, "priority": j.priority,
            "created_at": j.created_at.isoformat(), "estimate": j.estimate, "result": j.result, "error": j.error}


def _version_json(v: Any) -> dict[str, Any]:
    return {"id": v.id, "target": v.target, "status": v.status, "job": v.job_id, "job_status": v.job_status,
            "dataset": v.dataset, "eval_passed": v.eval_passed, "leak_passed": v.leak_passed, "metrics": v.metrics,
            "leak_test": v.leak_test, "note": v.note, "created_at": v.created_at.isoformat()}


def _rating_json(r: pe.Rating) -> dict[str, Any]:
    return dict(r.__dict__)


# =================================================================================================== HTML pages


@pages.get("", response_class=HTMLResponse)
async def portal_home(request: Request, scope: PortalScope = Depends(portal_scope)) -> HTMLResponse:
    datasets = await run_in_threadpool(pd.list_datasets, scope)
    quality = {d.name: pd.quality_score(d.version.report)["score"] for d in datasets}
    job_list = await run_in_threadpool(pj.list_jobs, scope, 30)
    versions = await run_in_threadpool(pm.list_versions, scope)
    serving = await run_in_threadpool(pm.serving, scope)
    return render(request, "portal/home.html", {
        "scope": scope, "datasets": datasets, "quality": quality, "jobs": job_list, "versions": versions,
        "serving": serving, "targets": scope.targets()})


@pages.post("/datasets/upload", response_class=HTMLResponse)
async def page_upload(request: Request, file: UploadFile = File(...), name: str = Form(...),
                      tenant: str = Form(""), redact: bool = Form(False), dedupe: bool = Form(False),
                      split: str = Form("80/10/10"), seed: int = Form(42), csrf_token: str = Form(""),
                      scope: PortalScope = Depends(portal_scope)) -> Response:
    verify_csrf(request, csrf_token)
    try:
        out = await _upload(request, scope, file, name, tenant, _options(redact, dedupe, split, seed))
    except (PortalError, ValueError) as exc:
        return _error(request, exc)
    return render(request, "portal/upload_result.html", {"scope": scope, "out": out, "name": name},
                  status_code=200 if out.dataset is not None else 422)


async def _upload(request: Request, scope: PortalScope, file: UploadFile, name: str, tenant: str,
                  options: Options) -> Any:
    """Validate and store an uploaded dataset (operators may name its tenant); a stored version is audited."""
    data = await file.read()
    out = await run_in_threadpool(pd.upload, scope, file.filename or "upload", data, name=name.strip(),
                                  tenant_slug=(tenant.strip() or None) if scope.operator else None, options=options)
    if out.dataset is not None:
        await run_in_threadpool(audit, request, scope, "admin.portal.dataset_upload",
                                {"dataset": out.dataset.name, "version": out.dataset.version.version,
                                 "created": out.created})
    return out


@pages.get("/datasets/{name}", response_class=HTMLResponse)
async def page_dataset(request: Request, name: str, version: str | None = None, split: str = "train", page: int = 1,
                       scope: PortalScope = Depends(portal_scope)) -> HTMLResponse:
    try:
        ref = f"{name}@{version}" if version else name
        d = await run_in_threadpool(pd.get_dataset, scope, ref)
        versions = await run_in_threadpool(pd.list_versions, scope, name)
        prev = await run_in_threadpool(pd.preview, scope, f"{name}@{d.version.version}", split=split, page=page)
        labels = await run_in_threadpool(pd.label_items, scope, name, state="unlabeled", page=1, per_page=1)
    except PortalError as exc:
        return _error(request, exc)
    return render(request, "portal/dataset.html", {
        "scope": scope, "d": d, "r": d.version.report, "quality": pd.quality_score(d.version.report),
        "versions": versions, "preview": prev, "label_counts": labels["counts"],
        "classes_json": json.dumps((d.version.report.get("classes") or {}).get("counts") or {})})


@pages.get("/datasets/{name}/preview", response_class=HTMLResponse)
async def fragment_preview(request: Request, name: str, version: str, split: str = "train", page: int = 1,
                           scope: PortalScope = Depends(portal_scope)) -> HTMLResponse:
    try:
        prev = await run_in_threadpool(pd.preview, scope, f"{name}@{version}", split=split, page=page)
    except PortalError as exc:
        return _error(request, exc)
    return render(request, "portal/_preview.html", {"preview": prev, "name": name})


@pages.get("/datasets/{name}/diff", response_class=HTMLResponse)
async def page_diff(request: Request, name: str, old: str, new: str,
                    scope: PortalScope = Depends(portal_scope)) -> HTMLResponse:
    try:
        diff = await run_in_threadpool(pd.diff_versions, scope, name, old, new)
    except PortalError as exc:
        return _error(request, exc)
    return render(request, "portal/diff.html", {"scope": scope, "diff": diff})


@pages.post("/datasets/{name}/rollback")
async def page_rollback(request: Request, name: str, version: str = Form(...), csrf_token: str = Form(""),
                        scope: PortalScope = Depends(portal_scope)) -> Response:
    verify_csrf(request, csrf_token)
    return await _act(request, scope, lambda: pd.rollback(scope, name, version), action="admin.portal.dataset_rollback",
                      details=lambda d: {"dataset": name, "version": d.current_version},
                      then=lambda d: f"/admin/portal/datasets/{name}")


@pages.post("/datasets/{name}/redact")
async def page_redact(request: Request, name: str, version: str = Form(...), csrf_token: str = Form(""),
                      scope: PortalScope = Depends(portal_scope)) -> Response:
    verify_csrf(request, csrf_token)

    def new(res: Any) -> str:
        return res.dataset.version.version if res.dataset else version

    return await _act(request, scope, lambda: pd.redact_version(scope, f"{name}@{version}"),
                      action="admin.portal.dataset_redact", details=lambda res: {"dataset": name, "version": new(res)},
                      then=lambda res: f"/admin/portal/datasets/{name}?version={new(res)}")


@pages.get("/datasets/{name}/label", response_class=HTMLResponse)
async def page_label(request: Request, name: str, state: str = "unlabeled", page: int = 1,
                     scope: PortalScope = Depends(portal_scope)) -> HTMLResponse:
    try:
        d = await run_in_threadpool(pd.get_dataset, scope, name)
        items = await run_in_threadpool(pd.label_items, scope, name, state=state, page=page)
    except PortalError as exc:
        return _error(request, exc)
    return render(request, "portal/label.html", {"scope": scope, "d": d, "q": items})


@pages.post("/datasets/{name}/label/{item_id:int}", response_class=HTMLResponse)
async def page_set_label(request: Request, name: str, item_id: int, label: str = Form(...),
                         csrf_token: str = Form(""), scope: PortalScope = Depends(portal_scope)) -> Response:
    verify_csrf(request, csrf_token)
    try:
        item = await run_in_threadpool(pd.set_label, scope, name, item_id, label)
    except PortalError as exc:
        return _error(request, exc)
    await run_in_threadpool(audit, request, scope, "admin.portal.label", {"dataset": name, "item": item_id})
    return render(request, "portal/_label_row.html", {"item": item, "name": name, "labels": []})


@pages.post("/datasets/{name}/label-upload")
async def page_label_upload(request: Request, name: str, file: UploadFile = File(...), csrf_token: str = Form(""),
                            scope: PortalScope = Depends(portal_scope)) -> Response:
    verify_csrf(request, csrf_token)
    data = await file.read()
    return await _act(request, scope, lambda: pd.queue_file(scope, name, file.filename or "upload", data),
                      action="admin.portal.label_queue", details=lambda n: {"dataset": name, "items": n},
                      then=lambda n: f"/admin/portal/datasets/{name}/label")


@pages.post("/datasets/{name}/label-build")
async def page_label_build(request: Request, name: str, csrf_token: str = Form(""),
                           scope: PortalScope = Depends(portal_scope)) -> Response:
    verify_csrf(request, csrf_token)

    def new(res: Any) -> str:
        return res.dataset.version.version if res.dataset else ""

    return await _act(request, scope, lambda: pd.build_from_labels(scope, name), action="admin.portal.label_build",
                      details=lambda res: {"dataset": name, "version": new(res)},
                      then=lambda res: f"/admin/portal/datasets/{name}?version={new(res)}")


@pages.get("/train", response_class=HTMLResponse)
async def page_train(request: Request, dataset: str = "", scope: PortalScope = Depends(portal_scope)) -> HTMLResponse:
    datasets = await run_in_threadpool(pd.list_datasets, scope)
    return render(request, "portal/train.html", {
        "scope": scope, "datasets": datasets, "selected": dataset, "targets": scope.targets(),
        "presets": {k: v.to_json() for k, v in PRESETS.items()}, "overrides": OVERRIDES})


async def _form_overrides(request: Request) -> dict[str, Any]:
    """The advanced settings of the training form, as sent (typed by `pj.parse_overrides`)."""
    form = await request.form()
    return {k: form.get(k) for k in OVERRIDES}


@pages.post("/train/estimate", response_class=HTMLResponse)
async def fragment_estimate(request: Request, dataset: str = Form(...), target: str = Form(...),
                            preset: str = Form("quick"), csrf_token: str = Form(""),
                            scope: PortalScope = Depends(portal_scope)) -> HTMLResponse:
    verify_csrf(request, csrf_token)
    raw = await _form_overrides(request)
    try:
        p = await run_in_threadpool(lambda: pj.plan(scope, dataset, target=target, preset=preset,
                                                    overrides=pj.parse_overrides(raw)))
    except PortalError as exc:
        return render(request, "portal/_estimate.html", {"error": str(exc)})  # 200: htmx swaps it in
    return render(request, "portal/_estimate.html", {"e": pj.estimate_view(p)})


@pages.post("/train")
async def page_start(request: Request, dataset: str = Form(...), target: str = Form(...), preset: str = Form("quick"),
                     priority: int = Form(0), csrf_token: str = Form(""),
                     scope: PortalScope = Depends(portal_scope)) -> Response:
    verify_csrf(request, csrf_token)
    raw = await _form_overrides(request)
    return await _act(request, scope, lambda: pj.start(scope, dataset, target=target, preset=preset,
                                                       overrides=pj.parse_overrides(raw), priority=priority),
                      action="admin.portal.train_start", details=lambda r: _started(r[0], r[2]),
                      then=lambda r: f"/admin/portal/jobs/{r[0].id}")


def _started(job: Any, resumed: bool) -> dict[str, Any]:
    """The audit details of a started (or resumed) training job."""
    return {"job": job.id, "target": job.target, "dataset": job.dataset_ref, "preset": job.preset, "resumed": resumed}


@pages.get("/jobs/{job_id}", response_class=HTMLResponse)
async def page_job(request: Request, job_id: str, scope: PortalScope = Depends(portal_scope)) -> HTMLResponse:
    return await _job_view(request, scope, job_id, "portal/job.html")


async def _job_view(request: Request, scope: PortalScope, job_id: str, template: str) -> HTMLResponse:
    """The job page or its live fragment (polled by htmx): live status and losses, the evaluation's state."""
    try:
        live = await run_in_threadpool(pj.live, scope, job_id)
        job = await run_in_threadpool(pj.get_job, scope, job_id)
    except PortalError as exc:
        return _error(request, exc)
    state = await run_in_threadpool(pe.run_state, job)
    version = await run_in_threadpool(_version_or_none, job.id)
    return render(request, template, {"scope": scope, "live": live, "live_json": json.dumps(live),
                                      "eval_state": state, "version": version, "eval_defaults": pe.DEFAULTS})


def _version_or_none(job_id: str) -> Any:
    from training import registry

    try:
        return registry.version_for_job(job_id)
    except registry.PromotionError:
        return None


@pages.get("/jobs/{job_id}/live", response_class=HTMLResponse)
async def fragment_live(request: Request, job_id: str, scope: PortalScope = Depends(portal_scope)) -> HTMLResponse:
    return await _job_view(request, scope, job_id, "portal/_live.html")


@pages.post("/jobs/{job_id}/cancel")
async def page_cancel(request: Request, job_id: str, csrf_token: str = Form(""),
                      scope: PortalScope = Depends(portal_scope)) -> Response:
    verify_csrf(request, csrf_token)
    return await _act(request, scope, lambda: pj.cancel(scope, job_id), action="admin.portal.train_cancel",
                      details=lambda job: {"job": job.id}, then=lambda job: f"/admin/portal/jobs/{job.id}")


@pages.post("/jobs/{job_id}/evaluate")
async def page_evaluate(request: Request, job_id: str, csrf_token: str = Form(""),
                        scope: PortalScope = Depends(portal_scope)) -> Response:
    verify_csrf(request, csrf_token)
    form = await request.form()
    settings = {k: form.get(k) for k in pe.DEFAULTS if form.get(k)} if scope.operator else None
    return await _act(request, scope, lambda: pe.start_evaluation(scope, job_id, settings),
                      action="admin.portal.evaluate", details=lambda st: {"job": job_id, "version": st["version"]},
                      then=lambda st: f"/admin/portal/jobs/{job_id}")


@pages.get("/models/{version_id}", response_class=HTMLResponse)
async def page_evaluation(request: Request, version_id: str,
                          scope: PortalScope = Depends(portal_scope)) -> HTMLResponse:
    try:
        rep = await run_in_threadpool(pe.load_report, scope, version_id)
        rows = await run_in_threadpool(pe.ratings, scope, version_id)
        gates = await run_in_threadpool(pm.gates, scope, version_id)
    except PortalError as exc:
        return _error(request, exc)
    mine = {(r.example_set, r.example_index, r.side): r for r in rows if r.rater == scope.rater}
    return render(request, "portal/evaluation.html", {
        "scope": scope, "rep": rep, "v": rep["version"], "m": rep["metrics"], "rows": pe._metric_rows(rep["metrics"]),
        "leak_text": pe._leak_text(rep["leak"]), "summary": pe.summary(rows), "mine": mine, "gates": gates,
        "criteria": pe.CRITERIA})


@pages.post("/models/{version_id}/ratings", response_class=HTMLResponse)
async def page_rate(request: Request, version_id: str, example_set: str = Form(...), example_index: int = Form(...),
                    side: str = Form(...), relevance: int = Form(...), correctness: int = Form(...),
                    style: int = Form(...), helpfulness: int = Form(...), safe: str = Form(...),
                    comment: str = Form(""), csrf_token: str = Form(""),
                    scope: PortalScope = Depends(portal_scope)) -> HTMLResponse:
    verify_csrf(request, csrf_token)
    try:
        r = await run_in_threadpool(lambda: pe.save_rating(
            scope, version_id, example_set=example_set, example_index=example_index, side=side,
            scores={"relevance": relevance, "correctness": correctness, "style": style, "helpfulness": helpfulness},
            safe=safe, comment=comment))
    except PortalError as exc:
        return HTMLResponse(f'<span class="bad">{html.escape(str(exc))}</span>')  # 200: htmx swaps it in
    await run_in_threadpool(audit, request, scope, "admin.portal.rate", {"version": version_id, "set": example_set,
                                                                    "index": example_index, "side": side})
    return HTMLResponse(f'<span class="ok">saved: relevance {r.relevance}, correctness {r.correctness}, style '
                        f'{r.style}, helpfulness {r.helpfulness}, safe {"yes" if r.safe else "no"}</span>')


@pages.get("/models/{version_id}/report.{fmt}")
async def page_export(request: Request, version_id: str, fmt: str,
                      scope: PortalScope = Depends(portal_scope)) -> Response:
    return await _export(scope, version_id, fmt)


async def _export(scope: PortalScope, version_id: str, fmt: str) -> Response:
    try:
        if fmt == "pdf":
            data = await run_in_threadpool(pe.export_pdf, scope, version_id)
            media = "application/pdf"
        elif fmt == "xlsx":
            data = await run_in_threadpool(pe.export_xlsx, scope, version_id)
            media = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
        else:
            raise PortalNotFound(f"no report format {fmt!r} (pdf or xlsx)")
    except PortalError as exc:
        return _json_error(exc)
    return Response(data, media_type=media, headers={
        "Content-Disposition": f'attachment; filename="evaluation-{version_id}.{fmt}"'})


@pages.post("/models/{version_id}/promote")
async def page_promote(request: Request, version_id: str, stage: str = Form(...), csrf_token: str = Form(""),
                       scope: PortalScope = Depends(portal_scope)) -> Response:
    verify_csrf(request, csrf_token)
    return await _act(request, scope, lambda: pm.promote(scope, version_id, stage), action="admin.portal.promote",
                      details=lambda r: {"version": r[0].id, "stage": stage, "previous": r[1].id if r[1] else None},
                      then=lambda r: f"/admin/portal/models/{r[0].id}", refused=409)


@pages.post("/models/{version_id}/archive")
async def page_archive(request: Request, version_id: str, csrf_token: str = Form(""),
                       scope: PortalScope = Depends(portal_scope)) -> Response:
    verify_csrf(request, csrf_token)
    return await _act(request, scope, lambda: pm.archive(scope, version_id), action="admin.portal.archive",
                      details=lambda v: {"version": v.id}, then=lambda v: f"/admin/portal/models/{v.id}", refused=409)


@pages.post("/rollback")
async def page_model_rollback(request: Request, target: str = Form(...), stage: str = Form("production"),
                              csrf_token: str = Form(""), scope: PortalScope = Depends(portal_scope)) -> Response:
    verify_csrf(request, csrf_token)
    return await _act(request, scope, lambda: pm.rollback(scope, target, stage), action="admin.portal.rollback",
                      details=lambda r: {"target": target, "stage": stage, "rolled_back": r[1].id,
                                         "restored": r[0].id if r[0] else None},
                      then=lambda r: "/admin/portal#models", refused=409)


@pages.get("/models/{version_id}/card", response_class=HTMLResponse)
async def page_card(request: Request, version_id: str, scope: PortalScope = Depends(portal_scope)) -> Response:
    try:
        card = await run_in_threadpool(pm.model_card, scope, version_id)
    except PortalError as exc:
        return _error(request, exc)
    return render(request, "portal/card.html", {"scope": scope, "card": card, "rows": pe._metric_rows(card["scores"]),
                                                 "leak_text": pe._leak_text(card["leak"])})


@pages.get("/models/{version_id}/card.md")
async def page_card_md(version_id: str, scope: PortalScope = Depends(portal_scope)) -> Response:
    try:
        card = await run_in_threadpool(pm.model_card, scope, version_id)
    except PortalError as exc:
        return _json_error(exc)
    return PlainTextResponse(card["markdown"], media_type="text/markdown")


@pages.post("/try", response_class=HTMLResponse)
async def fragment_try(request: Request, question: str = Form(...), csrf_token: str = Form(""),
                       scope: PortalScope = Depends(portal_scope)) -> HTMLResponse:
    verify_csrf(request, csrf_token)
    from app.admin.portal_auth import principal_of

    principal = principal_of(request)
    try:
        out = await run_in_threadpool(pm.try_question, principal, question)
    except PortalError as exc:
        return render(request, "portal/_try.html", {"error": str(exc)})
    return render(request, "portal/_try.html", {"out": out})


# =================================================================================================== REST API


@api.get("/datasets")
def api_datasets(scope: PortalScope = Depends(portal_scope)) -> Any:
    return [{**_dataset_json(d), "quality": pd.quality_score(d.version.report)["score"]}
            for d in pd.list_datasets(scope)]


@api.post("/datasets")
async def api_upload(request: Request, file: UploadFile = File(...), name: str = Form(...), tenant: str = Form(""),
                     redact: bool = Form(False), dedupe: bool = Form(False), split: str = Form("80/10/10"),
                     seed: int = Form(42), scope: PortalScope = Depends(portal_scope)) -> Any:
    verify_csrf(request, None)
    try:
        out = await _upload(request, scope, file, name, tenant, _options(redact, dedupe, split, seed))
    except (PortalError, ValueError) as exc:
        return _json_error(exc)
    return JSONResponse({"stored": out.dataset is not None, "created": out.created,
                         "dataset": _dataset_json(out.dataset) if out.dataset else None, "report": out.report,
                         "quality": out.quality, "unlabeled_queued": out.unlabeled_queued, "notes": out.notes},
                        status_code=200 if out.dataset is not None else 422)


@api.get("/datasets/{name}")
def api_dataset(name: str, version: str | None = None, scope: PortalScope = Depends(portal_scope)) -> Any:
    try:
        d = pd.get_dataset(scope, f"{name}@{version}" if version else name)
        versions = pd.list_versions(scope, name)
    except PortalError as exc:
        return _json_error(exc)
    return {**_dataset_json(d), "report": d.version.report, "quality": pd.quality_score(d.version.report),
            "versions": [{"version": v.version, "created_at": v.created_at.isoformat(), "source": v.source_name,
                          "counts": v.counts} for v in versions]}


@api.get("/datasets/{name}/preview")
def api_preview(name: str, version: str | None = None, split: str = "train", page: int = 1, per_page: int = 20,
                scope: PortalScope = Depends(portal_scope)) -> Any:
    try:
        return pd.preview(scope, f"{name}@{version}" if version else name, split=split, page=page,
                          per_page=per_page)
    except PortalError as exc:
        return _json_error(exc)


@api.get("/datasets/{name}/diff")
def api_diff(name: str, old: str, new: str, scope: PortalScope = Depends(portal_scope)) -> Any:
    try:
        return pd.diff_versions(scope, name, old, new)
    except PortalError as exc:
        return _json_error(exc)


@api.post("/datasets/{name}/rollback")
async def api_rollback(request: Request, name: str, scope: PortalScope = Depends(portal_scope)) -> Any:
    verify_csrf(request, None)
    body = await _body(request)
    return await _act(request, scope, lambda: pd.rollback(scope, name, str(body.get("version") or "")),
                      action="admin.portal.dataset_rollback",
                      details=lambda d: {"dataset": name, "version": d.current_version}, reply=_dataset_json)


@api.post("/datasets/{name}/redact")
async def api_redact(request: Request, name: str, scope: PortalScope = Depends(portal_scope)) -> Any:
    verify_csrf(request, None)
    body = await _body(request)
    ref = f"{name}@{body['version']}" if body.get("version") else name
    return await _act(request, scope, lambda: pd.redact_version(scope, ref), action="admin.portal.dataset_redact",
                      details=lambda res: {"dataset": name,
                                           "version": res.dataset.version.version if res.dataset else None},
                      reply=lambda res: {"dataset": _dataset_json(res.dataset) if res.dataset else None,
                                         "created": res.created, "pii": res.prepared.report.get("pii")})


@api.get("/datasets/{name}/labels")
def api_labels(name: str, state: str = "unlabeled", page: int = 1,
               scope: PortalScope = Depends(portal_scope)) -> Any:
    try:
        q = pd.label_items(scope, name, state=state, page=page)
    except PortalError as exc:
        return _json_error(exc)
    return {**q, "items": [{**i.__dict__, "labeled_at": i.labeled_at.isoformat() if i.labeled_at else None}
                           for i in q["items"]]}


@api.post("/datasets/{name}/labels/{item_id:int}")
async def api_set_label(request: Request, name: str, item_id: int, scope: PortalScope = Depends(portal_scope)) -> Any:
    verify_csrf(request, None)
    body = await _body(request)
    return await _act(request, scope, lambda: pd.set_label(scope, name, item_id, str(body.get("label") or "")),
                      action="admin.portal.label", details=lambda item: {"dataset": name, "item": item_id},
                      reply=lambda item: {**item.__dict__,
                                          "labeled_at": item.labeled_at.isoformat() if item.labeled_at else None})


@api.post("/datasets/{name}/labels")
async def api_queue_labels(request: Request, name: str, file: UploadFile = File(...),
                           scope: PortalScope = Depends(portal_scope)) -> Any:
    verify_csrf(request, None)
    data = await file.read()
    return await _act(request, scope, lambda: pd.queue_file(scope, name, file.filename or "upload", data),
                      action="admin.portal.label_queue", details=lambda n: {"dataset": name, "items": n},
                      reply=lambda n: {"queued": n})


@api.post("/datasets/{name}/labels/build")
async def api_label_build(request: Request, name: str, scope: PortalScope = Depends(portal_scope)) -> Any:
    verify_csrf(request, None)
    return await _act(request, scope, lambda: pd.build_from_labels(scope, name), action="admin.portal.label_build",
                      details=lambda res: {"dataset": name,
                                           "version": res.dataset.version.version if res.dataset else None},
                      reply=lambda res: {"dataset": _dataset_json(res.dataset) if res.dataset else None,
                                         "created": res.created})


async def _body(request: Request) -> dict[str, Any]:
    try:
        body = await request.json()
    except ValueError:
        body = dict(await request.form())
    if not isinstance(body, dict):
        raise PortalError("send a JSON object")
    return body


@api.post("/training/estimate")
async def api_estimate(request: Request, scope: PortalScope = Depends(portal_scope)) -> Any:
    verify_csrf(request, None)
    try:
        body = await _body(request)
        overrides = pj.parse_overrides(body.get("settings") or {})
        p = await run_in_threadpool(lambda: pj.plan(scope, str(body.get("dataset") or ""),
                                                    target=str(body.get("target") or ""),
                                                    preset=str(body.get("preset") or "quick"), overrides=overrides))
    except PortalError as exc:
        return _json_error(exc)
    return pj.estimate_view(p)


@api.post("/training/jobs")
async def api_start(request: Request, scope: PortalScope = Depends(portal_scope)) -> Any:
    verify_csrf(request, None)
    try:
        body = await _body(request)
        overrides = pj.parse_overrides(body.get("settings") or {})
        job, estimate, resumed = await run_in_threadpool(lambda: pj.start(
            scope, str(body.get("dataset") or ""), target=str(body.get("target") or ""),
            preset=str(body.get("preset") or "quick"), overrides=overrides, priority=int(body.get("priority") or 0)))
    except (PortalError, ValueError) as exc:
        return _json_error(exc)
    await run_in_threadpool(audit, request, scope, "admin.portal.train_start", _started(job, resumed))
    return JSONResponse({"job": _job_json(job), "estimate": estimate, "resumed": resumed}, status_code=201)


@api.get("/training/jobs")
def api_jobs(scope: PortalScope = Depends(portal_scope)) -> Any:
    return [_job_json(j) for j in pj.list_jobs(scope)]


@api.get("/training/jobs/{job_id}")
def api_job(job_id: str, scope: PortalScope = Depends(portal_scope)) -> Any:
    try:
        live = pj.live(scope, job_id)
        job = pj.get_job(scope, job_id)
    except PortalError as exc:
        return _json_error(exc)
    return {**live, "evaluation": pe.run_state(job)}


@api.post("/training/jobs/{job_id}/cancel")
async def api_cancel(request: Request, job_id: str, scope: PortalScope = Depends(portal_scope)) -> Any:
    verify_csrf(request, None)
    return await _act(request, scope, lambda: pj.cancel(scope, job_id), action="admin.portal.train_cancel",
                      details=lambda job: {"job": job.id}, reply=_job_json)


@api.post("/training/jobs/{job_id}/evaluate")
async def api_evaluate(request: Request, job_id: str, scope: PortalScope = Depends(portal_scope)) -> Any:
    verify_csrf(request, None)
    try:
        body = await _body(request)
        state = await run_in_threadpool(pe.start_evaluation, scope, job_id, body.get("settings") or None)
    except PortalError as exc:
        return _json_error(exc)
    await run_in_threadpool(audit, request, scope, "admin.portal.evaluate",
                            {"job": job_id, "version": state["version"]})
    return JSONResponse(state, status_code=202)


@api.get("/models")
def api_models(scope: PortalScope = Depends(portal_scope)) -> Any:
    return {"versions": [_version_json(v) for v in pm.list_versions(scope)], "serving": pm.serving(scope)}


@api.get("/models/{version_id}")
def api_model(version_id: str, scope: PortalScope = Depends(portal_scope)) -> Any:
    try:
        return {**_version_json(pm.get_version(scope, version_id)), "gates": pm.gates(scope, version_id)}
    except PortalError as exc:
        return _json_error(exc)


@api.get("/models/{version_id}/evaluation")
def api_evaluation(version_id: str, scope: PortalScope = Depends(portal_scope)) -> Any:
    try:
        rep = pe.load_report(scope, version_id)
        rows = pe.ratings(scope, version_id)
    except PortalError as exc:
        return _json_error(exc)
    return {"version": _version_json(rep["version"]), "metrics": rep["metrics"], "sets": rep["sets"],
            "factual_misses": rep["factual_misses"], "leak_test": rep["leak"], "run": rep["run"],
            "ratings": [_rating_json(r) for r in rows], "summary": pe.summary(rows)}


@api.post("/models/{version_id}/ratings")
async def api_rate(request: Request, version_id: str, scope: PortalScope = Depends(portal_scope)) -> Any:
    verify_csrf(request, None)
    try:
        body = await _body(request)
        r = await run_in_threadpool(lambda: pe.save_rating(
            scope, version_id, example_set=str(body.get("example_set")), example_index=int(body.get("example_index")),
            side=str(body.get("side")), scores=body, safe=body.get("safe"), comment=body.get("comment")))
    except (PortalError, TypeError, ValueError) as exc:
        return _json_error(exc)
    await run_in_threadpool(audit, request, scope, "admin.portal.rate", {"version": version_id, "set": r.example_set,
                                                                    "index": r.example_index, "side": r.side})
    return _rating_json(r)


@api.get("/models/{version_id}/report.{fmt}")
async def api_export(version_id: str, fmt: str, scope: PortalScope = Depends(portal_scope)) -> Response:
    return await _export(scope, version_id, fmt)


@api.post("/models/{version_id}/promote")
async def api_promote(request: Request, version_id: str, scope: PortalScope = Depends(portal_scope)) -> Any:
    verify_csrf(request, None)
    try:
        body = await _body(request)
        new, previous = await run_in_threadpool(pm.promote, scope, version_id, str(body.get("stage") or "production"))
    except PortalError as exc:
        return _json_error(exc, 409)
    await run_in_threadpool(audit, request, scope, "admin.portal.promote", {
        "version": new.id, "stage": new.status, "previous": previous.id if previous else None})
    return {"version": _version_json(new), "previous": _version_json(previous) if previous else None}


@api.post("/models/{version_id}/archive")
async def api_archive(request: Request, version_id: str, scope: PortalScope = Depends(portal_scope)) -> Any:
    verify_csrf(request, None)
    return await _act(request, scope, lambda: pm.archive(scope, version_id), action="admin.portal.archive",
                      details=lambda v: {"version": v.id}, reply=_version_json, refused=409)


@api.post("/models/rollback")
async def api_model_rollback(request: Request, scope: PortalScope = Depends(portal_scope)) -> Any:
    verify_csrf(request, None)
    try:
        body = await _body(request)
        restored, rolled = await run_in_threadpool(pm.rollback, scope, str(body.get("target") or ""),
                                                   str(body.get("stage") or "production"))
    except PortalError as exc:
        return _json_error(exc, 409)
    await run_in_threadpool(audit, request, scope, "admin.portal.rollback", {
        "target": rolled.target, "rolled_back": rolled.id, "restored": restored.id if restored else None})
    return {"restored": _version_json(restored) if restored else None, "rolled_back": _version_json(rolled)}


@api.get("/models/{version_id}/card")
def api_card(version_id: str, scope: PortalScope = Depends(portal_scope)) -> Any:
    try:
        card = pm.model_card(scope, version_id)
    except PortalError as exc:
        return _json_error(exc)
    return JSONResponse(json.loads(json.dumps(card, default=str)))
