"""Monitoring and staged rollout in the web console (training/monitoring.py): the page /admin/monitoring (daily
charts per model version and route, the summary table with trend verdicts and the tests used, drift, alerts with
acknowledge, retraining recommendations) and /admin/monitoring/rollout (staged rollout settings, the A/B comparison,
promote or roll back), plus the same data and actions as JSON under /api/admin/monitoring/...

Every route needs a tenant admin (`require_admin`) and reads the caller's tenant only, through `tenant_session` and
RLS. Changes check the session's CSRF token and write an audit row with the actor. Promote and roll back go through
the fine-tuning portal's scope rules (app/admin/portal_models.py: a tenant admin may promote only their tenant's own
adapter; the shared industry adapter is the operators'), so the registry gates apply unchanged.
"""

from __future__ import annotations

import json
from dataclasses import asdict
from datetime import UTC, datetime
from typing import Any
from urllib.parse import quote

from fastapi import APIRouter, Depends, Form, Query, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import HTMLResponse, RedirectResponse
from pydantic import BaseModel, Field

from app.admin import nav
from app.admin.auth import ConsoleUser, audit_change, render, require_admin, verify_csrf
from config import get_settings
from training import monitoring as mon

pages = APIRouter(prefix="/admin/monitoring")
api = APIRouter(prefix="/api/admin/monitoring")

nav.register(
    nav.NavEntry("/admin/monitoring", "Models over time", section="Monitoring", order=40),
    nav.NavEntry("/admin/monitoring/rollout", "Staged rollout (A/B)", section="Monitoring", order=41),
)


def _alert_json(a: mon.Alert) -> dict[str, Any]:
    out = asdict(a)
    out["at"] = a.at.isoformat()
    out["acked_at"] = a.acked_at.isoformat() if a.acked_at else None
    return out


def _overview(user: ConsoleUser, days: int) -> dict[str, Any]:
    s = get_settings()
    now = datetime.now(UTC)
    cells = mon.daily_stats(user.tenant_id, days, now=now)
    versions = sorted({c.version for c in cells})
    series = {v: mon.daily_series(cells, version=v) for v in versions}
    drift = mon.drift(user.tenant_id, now=now)
    return {
        "days": days,
        "summaries": [asdict(x) for x in mon.summaries(user.tenant_id, days, now=now)],
        "series": series,
        "routes": {r: mon.daily_series(cells, route=r) for r in sorted({c.route for c in cells})},
        "drift": {"reference": drift.reference, "recent": drift.recent, "questions": asdict(drift.questions),
                  "routes": asdict(drift.routes), "reference_routes": drift.reference_routes,
                  "recent_routes": drift.recent_routes},
        "alerts": [_alert_json(a) for a in mon.list_alerts(user.tenant_id)],
        "recommendations": mon.recommendations(user.tenant_id, now=now),
        "trend_test": mon.TREND_TEST, "drift_test": mon.DRIFT_TEST, "route_test": mon.ROUTE_TEST,
        "alpha": s.monitor_alpha,
        "cost_model": (f"cost per turn = ${s.monitor_cost_per_request_usd} + ${s.monitor_cost_per_second_usd} x "
                       "latency in seconds (SIGHTLINE_COST_PER_REQUEST_USD, SIGHTLINE_COST_PER_SECOND_USD)"),
        "windows": f"reference {s.monitor_reference_days} days before the recent {s.monitor_recent_days} days",
        "thresholds": {"error_rate": s.monitor_error_rate_max, "p95_ms": s.monitor_p95_ms_max,
                       "cost_ratio": s.monitor_cost_spike_ratio},
    }


def _done(path: str, message: str) -> RedirectResponse:
    return RedirectResponse(f"{path}?ok={quote(message)}", status_code=303)


async def check_now(user: ConsoleUser) -> list[mon.Alert]:
    alerts = await run_in_threadpool(mon.check, user.tenant_id, user.tenant_slug)
    await audit_change(user, "admin.monitoring.check", raised=",".join(a.kind for a in alerts) or "none")
    return alerts


async def ack(user: ConsoleUser, alert_id: int) -> mon.Alert:
    alert = await run_in_threadpool(mon.acknowledge, user.tenant_id, alert_id, user.principal.user_id)
    await audit_change(user, "admin.monitoring.ack", alert=alert_id, kind=alert.kind)
    return alert


# ---------------------------------------------------------------------------------------------------------- pages

@pages.get("", response_class=HTMLResponse)
async def page(request: Request, days: int = Query(30, ge=1, le=365),
               user: ConsoleUser = Depends(require_admin)) -> HTMLResponse:
    data = await run_in_threadpool(_overview, user, days)
    return render(request, "monitor/overview.html", {**data, "chart_data": json.dumps(
        {"series": data["series"], "routes": data["routes"]}, default=str),
        "ok": request.query_params.get("ok"), "error": request.query_params.get("error")})


@pages.post("/check")
async def page_check(request: Request, csrf_token: str = Form(""),
                     user: ConsoleUser = Depends(require_admin)) -> RedirectResponse:
    verify_csrf(request, csrf_token)
    alerts = await check_now(user)
    return _done("/admin/monitoring", f"{len(alerts)} new alert(s)" + (
        ": " + ", ".join(a.kind for a in alerts) if alerts else ""))


@pages.post("/alerts/{alert_id}/ack")
async def page_ack(request: Request, alert_id: int, csrf_token: str = Form(""),
                   user: ConsoleUser = Depends(require_admin)) -> RedirectResponse:
    verify_csrf(request, csrf_token)
    try:
        await ack(user, alert_id)
    except LookupError as exc:
        return RedirectResponse(f"/admin/monitoring?error={quote(str(exc))}", status_code=303)
    return _done("/admin/monitoring", f"alert {alert_id} acknowledged")


def _rollout_data(user: ConsoleUser) -> dict[str, Any]:
    from app.admin import portal_models
    from app.admin.portal_scope import scope_for

    p = user.principal
    scope = scope_for(operator=user.is_operator, tenant_id=p.tenant_id, tenant_slug=p.tenant_slug,
                      user_id=p.user_id)
    config = mon.get_rollout(user.tenant_id)
    report = mon.ab_compare(user.tenant_id)
    versions = [v for v in portal_models.list_versions(scope) if v.status in ("staging", "production")]
    return {"config": asdict(config) if config else None, "report": asdict(report), "versions": versions,
            "targets": rollout_targets(user), "ab_test": mon.AB_TEST}


def rollout_targets(user: ConsoleUser) -> list[str]:
    """What a tenant may stage for its users: the shared industry adapter's staging version or its own adapter's."""
    return ["industry", f"tenant:{user.tenant_slug}"]


@pages.get("/rollout", response_class=HTMLResponse)
async def rollout_page(request: Request, user: ConsoleUser = Depends(require_admin)) -> HTMLResponse:
    data = await run_in_threadpool(_rollout_data, user)
    return render(request, "monitor/rollout.html", {**data, "ok": request.query_params.get("ok"),
                                                    "error": request.query_params.get("error")})


async def save_rollout(user: ConsoleUser, target: str, share: float, users: list[str]) -> mon.RolloutConfig:
    from db import registry

    if target not in rollout_targets(user):
        raise ValueError(f"target must be one of {', '.join(rollout_targets(user))}")
    ids = []
    for u in users:
        found = await run_in_threadpool(registry.find_user, u) if "@" in u else None
        if "@" in u and (found is None or found.tenant.id != user.tenant_id):
            raise ValueError(f"{u} is not a user of this tenant")
        ids.append(str(found.id) if found else u)
    config = await run_in_threadpool(mon.set_rollout, user.tenant_id, target, share, ids)
    await audit_change(user, "admin.rollout.set", target=target, share=f"{share:.3f}", users=len(ids))
    return config


def _users_field(text: str) -> list[str]:
    return [u.strip() for u in text.replace("\n", ",").split(",") if u.strip()]


@pages.post("/rollout")
async def rollout_save(request: Request, target: str = Form(...), share_percent: float = Form(0.0),
                       users: str = Form(""), csrf_token: str = Form(""),
                       user: ConsoleUser = Depends(require_admin)) -> RedirectResponse:
    verify_csrf(request, csrf_token)
    try:
        await save_rollout(user, target, share_percent / 100, _users_field(users))
    except ValueError as exc:
        return RedirectResponse(f"/admin/monitoring/rollout?error={quote(str(exc))}", status_code=303)
    return _done("/admin/monitoring/rollout", f"staging served to {share_percent:g} % of users of {target}")


@pages.post("/rollout/stop")
async def rollout_stop(request: Request, csrf_token: str = Form(""),
                       user: ConsoleUser = Depends(require_admin)) -> RedirectResponse:
    verify_csrf(request, csrf_token)
    await run_in_threadpool(mon.clear_rollout, user.tenant_id)
    await audit_change(user, "admin.rollout.stop")
    return _done("/admin/monitoring/rollout", "staged rollout stopped: everyone gets production")


async def decide(user: ConsoleUser, action: str) -> str:
    """Promote the rollout's staging version to production, or roll the staging alias back; ends the rollout."""
    from app.admin import portal_models
    from app.admin.portal_scope import scope_for
    from db.model_registry import resolve

    p = user.principal
    scope = scope_for(operator=user.is_operator, tenant_id=p.tenant_id, tenant_slug=p.tenant_slug,
                      user_id=p.user_id)
    config = await run_in_threadpool(mon.get_rollout, user.tenant_id)
    if config is None:
        raise ValueError("no staged rollout is configured")
    if action == "promote":
        ref = await run_in_threadpool(resolve, f"{config.target}@staging", tenant_id=user.tenant_id)
        if ref is None:
            raise ValueError(f"{config.target}@staging is not set")
        new, _ = await run_in_threadpool(portal_models.promote, scope, ref.version, "production")
        message = f"{new.id} is now {config.target}@production"
    elif action == "rollback":
        _, rolled = await run_in_threadpool(portal_models.rollback, scope, config.target, "staging")
        message = f"{rolled.id} rolled back from {config.target}@staging"
    else:
        raise ValueError("action must be promote or rollback")
    await run_in_threadpool(mon.clear_rollout, user.tenant_id)
    await audit_change(user, f"admin.rollout.{action}", target=config.target, result=message)
    return message


@pages.post("/rollout/{action}")
async def rollout_decide(request: Request, action: str, csrf_token: str = Form(""),
                         user: ConsoleUser = Depends(require_admin)) -> RedirectResponse:
    verify_csrf(request, csrf_token)
    try:
        message = await decide(user, action)
    except Exception as exc:  # noqa: BLE001 - registry/scope refusals are shown in the page
        return RedirectResponse(f"/admin/monitoring/rollout?error={quote(str(exc))}", status_code=303)
    return _done("/admin/monitoring/rollout", message)


# ------------------------------------------------------------------------------------------------------------ API

@api.get("/summary")
async def api_summary(days: int = Query(30, ge=1, le=365), user: ConsoleUser = Depends(require_admin)) -> dict:
    return json.loads(json.dumps(await run_in_threadpool(_overview, user, days), default=str))


@api.get("/alerts")
async def api_alerts(open_only: bool = False, user: ConsoleUser = Depends(require_admin)) -> dict:
    alerts = await run_in_threadpool(mon.list_alerts, user.tenant_id, open_only=open_only)
    return {"alerts": [_alert_json(a) for a in alerts]}


@api.post("/check")
async def api_check(request: Request, user: ConsoleUser = Depends(require_admin)) -> dict:
    verify_csrf(request)
    return {"raised": [_alert_json(a) for a in await check_now(user)]}


@api.post("/alerts/{alert_id}/ack")
async def api_ack(request: Request, alert_id: int, user: ConsoleUser = Depends(require_admin)) -> dict:
    verify_csrf(request)
    try:
        return _alert_json(await ack(user, alert_id))
    except LookupError as exc:
        from fastapi import HTTPException

        raise HTTPException(status_code=404, detail=str(exc)) from exc


class RolloutBody(BaseModel):
    target: str = Field(description="industry or tenant:<slug>")
    share: float = Field(ge=0, le=1)
    users: list[str] = Field(default_factory=list, description="user ids or e-mails of this tenant")


@api.get("/rollout")
async def api_rollout(user: ConsoleUser = Depends(require_admin)) -> dict:
    data = await run_in_threadpool(_rollout_data, user)
    return json.loads(json.dumps({"config": data["config"], "report": data["report"], "test": data["ab_test"]},
                                 default=str))


@api.put("/rollout")
async def api_rollout_set(request: Request, body: RolloutBody, user: ConsoleUser = Depends(require_admin)) -> dict:
    verify_csrf(request)
    from fastapi import HTTPException

    try:
        return asdict(await save_rollout(user, body.target, body.share, body.users))
    except ValueError as exc:
        raise HTTPException(status_code=400, detail=str(exc)) from exc


@api.post("/rollout/{action}")
async def api_rollout_decide(request: Request, action: str, user: ConsoleUser = Depends(require_admin)) -> dict:
    verify_csrf(request)
    from fastapi import HTTPException

    try:
        return {"result": await decide(user, action)}
    except Exception as exc:  # noqa: BLE001
        raise HTTPException(status_code=400, detail=str(exc)) from exc
