"""Operator pages of the console (control plane): every tenant with its size and status, enable/disable a tenant,
and the operator log. Operators only (`require_operator`: SIGHTLINE_OPERATOR_EMAILS).

This is the one part of the console that reads across tenants, and it reads only control-plane facts: tenant rows
and per-tenant counts (users, documents, conversations), never a tenant's content. Enabling or disabling a tenant
calls the same function as `sightline tenant enable|disable` (db.registry.set_tenant_status) and is written to the
audit log of the operator's tenant and of the affected tenant (`operator.tenant.enable|disable`, with the acting
operator's user id). The page also shows the operator log (erasures, exports, backups, restores). An operator
cannot disable their own tenant (they would lock themselves out of the console).
"""

from __future__ import annotations

import dataclasses
from typing import Any

import sqlalchemy as sa
from fastapi import APIRouter, Depends, Form, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import HTMLResponse, JSONResponse, RedirectResponse, Response
from pydantic import BaseModel

from app.admin import nav
from app.admin.auth import ConsoleUser, render, require_operator, verify_csrf
from db import audit, erasure, registry
from db.engine import admin_engine

pages = APIRouter(prefix="/admin")
api = APIRouter(prefix="/api/admin")

nav.register(nav.NavEntry("/admin/tenants", "Tenants", section="Operator", audience="operator", order=50))


def tenants_overview() -> list[dict[str, Any]]:
    """Every tenant with its status and counts (control plane, admin connection)."""
    with admin_engine().connect() as conn:
        rows = conn.execute(sa.text(
            "SELECT t.slug, t.name, t.status, t.created_at, "
            "(SELECT count(*) FROM users u WHERE u.tenant_id = t.id) AS users, "
            "(SELECT count(*) FROM users u WHERE u.tenant_id = t.id AND u.role = 'admin') AS admins, "
            "(SELECT count(*) FROM documents d WHERE d.tenant_id = t.id) AS documents, "
            "(SELECT count(*) FROM chat_threads c WHERE c.tenant_id = t.id) AS threads "
            "FROM tenants t ORDER BY t.slug")).mappings().all()
    return [dict(r) for r in rows]


def set_status(actor: ConsoleUser, slug: str, status: str) -> registry.Tenant:
    if not actor.is_operator:
        raise PermissionError(f"{actor.email} is not an operator")
    if status not in ("active", "disabled"):
        raise registry.RegistryError(f"status must be active or disabled, not {status[:40]!r}")
    if status == "disabled" and slug == actor.tenant_slug:
        raise registry.RegistryError("you cannot disable your own tenant from the console (you would be signed out "
                                     "of it); use `sightline tenant disable` or another operator")
    tenant = registry.set_tenant_status(slug, status)
    event = f"operator.tenant.{'enable' if status == 'active' else 'disable'}"
    # The operator's own tenant's audit log, and the affected tenant's (its admins see who changed it: the
    # operator's user id; their e-mail is not joined there, they are not a user of that tenant).
    audit.record(actor.principal, event=event, route="console", action={"target_tenant": tenant.slug})
    if tenant.id != actor.tenant_id:
        as_seen = dataclasses.replace(actor.principal, tenant_id=tenant.id, tenant_slug=tenant.slug)
        audit.record(as_seen, event=event, route="console",
                     action={"target_tenant": tenant.slug, "operator_user": str(actor.principal.user_id)})
    return tenant


def _page(request: Request, rows: list[dict[str, Any]], log: list[dict[str, Any]], error: str = "",
          status: int = 200) -> HTMLResponse:
    return render(request, "admin/tenants.html", {"rows": rows, "log": log, "error": error,
                                                   "ok": request.query_params.get("ok")}, status_code=status)


@pages.get("/tenants", response_class=HTMLResponse)
async def tenants_page(request: Request, user: ConsoleUser = Depends(require_operator)) -> HTMLResponse:
    rows = await run_in_threadpool(tenants_overview)
    return _page(request, rows, await run_in_threadpool(erasure.operator_log, 20))


@pages.post("/tenants/{slug}/status")
async def tenants_status(request: Request, slug: str, status: str = Form(""), csrf_token: str = Form(""),
                         user: ConsoleUser = Depends(require_operator)) -> Response:
    verify_csrf(request, csrf_token)
    try:
        tenant = await run_in_threadpool(set_status, user, slug, status)
    except registry.RegistryError as exc:
        rows = await run_in_threadpool(tenants_overview)
        return _page(request, rows, await run_in_threadpool(erasure.operator_log, 20), str(exc), 400)
    return RedirectResponse(f"/admin/tenants?ok={tenant.slug}%20is%20now%20{tenant.status}", status_code=303)


class StatusBody(BaseModel):
    status: str


async def _csrf(request: Request, _: ConsoleUser = Depends(require_operator)) -> None:
    verify_csrf(request)


@api.get("/tenants")
async def api_tenants(user: ConsoleUser = Depends(require_operator)) -> list[dict[str, Any]]:
    rows = await run_in_threadpool(tenants_overview)
    return [{**r, "created_at": r["created_at"].isoformat()} for r in rows]


@api.post("/tenants/{slug}/status", dependencies=[Depends(_csrf)])
async def api_tenant_status(slug: str, body: StatusBody, user: ConsoleUser = Depends(require_operator)) -> Any:
    try:
        tenant = await run_in_threadpool(set_status, user, slug, body.status)
    except registry.RegistryError as exc:
        return JSONResponse({"detail": str(exc)}, status_code=400)
    return {"tenant": tenant.slug, "status": tenant.status}
