"""Tenant administration in the web console: HTML pages under /admin/... and the same actions as JSON under
/api/admin/... (users and roles, API keys, allowed Origins, documents, CSV import, audit log, feedback).

Every route needs a tenant admin (`require_admin`) and works on the caller's tenant only; every change checks the
session's CSRF token (form field `csrf_token`, or the `X-CSRF-Token` header; Bearer-authenticated REST calls need
none) and is done by app/admin/tenant_admin.py, which writes the audit row. Pages answer a form with a redirect to
the page and a message (`?ok=`), or the page again with the error (HTTP 400/404) and nothing changed (`_form`, the
one helper behind every such form); htmx requests (the document upload, with its progress bar) get the page's panel
back as a fragment. Users: invite, change role, disable / enable, remove (`POST /admin/users/{id}/disable|enable`,
`POST /api/admin/users/{id}/disable|enable`).
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from datetime import UTC, datetime
from functools import partial
from typing import Any
from urllib.parse import quote

from fastapi import APIRouter, Depends, File, Form, Query, Request, UploadFile
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import HTMLResponse, JSONResponse, RedirectResponse, Response
from pydantic import BaseModel, Field

from app.admin import nav
from app.admin import tenant_admin as ta
from app.admin.auth import ConsoleUser, render, require_admin, verify_csrf
from config import get_settings

pages = APIRouter(prefix="/admin")
api = APIRouter(prefix="/api/admin")

nav.register(
    nav.NavEntry("/admin/users", "Users and roles", order=10),
    nav.NavEntry("/admin/keys", "API keys", order=11),
    nav.NavEntry("/admin/origins", "Allowed Origins", order=12),
    nav.NavEntry("/admin/documents", "Documents", order=13),
    nav.NavEntry("/admin/import", "CSV import", order=14),
    nav.NavEntry("/admin/audit", "Audit log", order=15),
    nav.NavEntry("/admin/feedback", "Feedback", order=16),
)


def _status(exc: Exception) -> int:
    if isinstance(exc, ta.NotFound):
        return 404
    if isinstance(exc, PermissionError):
        return 403
    return 400


async def _run(fn: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:
    return await run_in_threadpool(fn, *args, **kwargs)


def _done(path: str, message: str) -> RedirectResponse:
    return RedirectResponse(f"{path}?ok={quote(message)}", status_code=303)


Page = Callable[..., Awaitable[HTMLResponse]]  # (request, user, *, error, status) -> the page again


async def _form(request: Request, user: ConsoleUser, csrf_token: str, page: Page, done: str,
                message: Callable[[Any], str], fn: Callable[..., Any], *args: Any) -> Response:
    """One form action: check the CSRF token, run `fn(actor, *args)` (tenant_admin), then redirect to `done` with
    `message(result)`; a refused action shows `page` again with the error (400/403/404) and nothing changed."""
    verify_csrf(request, csrf_token)
    try:
        out = await _run(fn, user.principal, *args)
    except (ta.AdminError, PermissionError) as exc:
        return await page(request, user, error=str(exc), status=_status(exc))
    return _done(done, message(out))


def _limit_upload(data: bytes, name: str) -> None:
    limit = get_settings().console_upload_max_mb * 1024 * 1024
    if len(data) > limit:
        raise ta.AdminError(f"{name}: {len(data):,} bytes is over the {limit:,}-byte upload limit "
                            "(SIGHTLINE_CONSOLE_UPLOAD_MAX_MB)")


async def _read(files: list[UploadFile]) -> list[ta.Upload]:
    out = []
    for f in files:
        if not f.filename:
            continue
        data = await f.read()
        _limit_upload(data, f.filename)
        out.append(ta.Upload(f.filename, data))
    return out


# ============================================================================================================ users

def _list_page(list_rows: Callable[..., Any], template: str) -> Page:
    """A page that lists the tenant's rows (`list_rows(actor)`) with the last action's message or error."""
    async def page(request: Request, user: ConsoleUser, *, error: str = "", status: int = 200) -> HTMLResponse:
        rows = await _run(list_rows, user.principal)
        return render(request, template, {"rows": rows, "error": error, "ok": request.query_params.get("ok")},
                      status_code=status)

    return page


_users_page = _list_page(ta.list_users, "admin/users.html")


@pages.get("/users", response_class=HTMLResponse)
async def users_page(request: Request, user: ConsoleUser = Depends(require_admin)) -> HTMLResponse:
    return await _users_page(request, user)


@pages.post("/users")
async def users_invite(request: Request, email: str = Form(""), role: str = Form("member"),
                       csrf_token: str = Form(""), user: ConsoleUser = Depends(require_admin)) -> Response:
    return await _form(request, user, csrf_token, _users_page, "/admin/users",
                       lambda row: f"{row.email} added as {row.role}; they can sign in now",
                       ta.invite_user, email, role)


@pages.post("/users/{user_id}/role")
async def users_role(request: Request, user_id: str, role: str = Form(""), csrf_token: str = Form(""),
                     user: ConsoleUser = Depends(require_admin)) -> Response:
    return await _form(request, user, csrf_token, _users_page, "/admin/users",
                       lambda row: f"{row.email} is now {row.role}", ta.set_role, user_id, role)


@pages.post("/users/{user_id}/remove")
async def users_remove(request: Request, user_id: str, csrf_token: str = Form(""),
                       user: ConsoleUser = Depends(require_admin)) -> Response:
    return await _form(request, user, csrf_token, _users_page, "/admin/users", lambda email: f"{email} removed",
                       ta.remove_user, user_id)


def _disabled_message(row: ta.UserRow) -> str:
    if row.disabled:
        return f"{row.email} is disabled: their sessions and widget tokens stop now"
    return f"{row.email} is enabled again and can sign in"


@pages.post("/users/{user_id}/disable")
async def users_disable(request: Request, user_id: str, csrf_token: str = Form(""),
                        user: ConsoleUser = Depends(require_admin)) -> Response:
    return await _form(request, user, csrf_token, _users_page, "/admin/users", _disabled_message,
                       ta.set_disabled, user_id, True)


@pages.post("/users/{user_id}/enable")
async def users_enable(request: Request, user_id: str, csrf_token: str = Form(""),
                       user: ConsoleUser = Depends(require_admin)) -> Response:
    return await _form(request, user, csrf_token, _users_page, "/admin/users", _disabled_message,
                       ta.set_disabled, user_id, False)


# ========================================================================================================= API keys

async def _keys_page(request: Request, user: ConsoleUser, *, error: str = "", status: int = 200,
                     new_key: str = "", new_name: str = "") -> HTMLResponse:
    rows = await _run(ta.list_keys, user.principal)
    return render(request, "admin/keys.html", {"rows": rows, "error": error, "new_key": new_key, "new_name": new_name,
                                                "ok": request.query_params.get("ok")}, status_code=status)


@pages.get("/keys", response_class=HTMLResponse)
async def keys_page(request: Request, user: ConsoleUser = Depends(require_admin)) -> HTMLResponse:
    return await _keys_page(request, user)


@pages.post("/keys")
async def keys_create(request: Request, name: str = Form(""), history: str = Form("widget"),
                      csrf_token: str = Form(""), user: ConsoleUser = Depends(require_admin)) -> Response:
    verify_csrf(request, csrf_token)
    try:
        key, info = await _run(ta.create_key, user.principal, name, history)
    except (ta.AdminError, PermissionError) as exc:
        return await _keys_page(request, user, error=str(exc), status=_status(exc))
    # The key is shown in this response only (never stored, never in a URL); no-store keeps it out of caches.
    response = await _keys_page(request, user, new_key=key, new_name=info.name)
    response.headers["Cache-Control"] = "no-store"
    return response


@pages.post("/keys/{prefix}/revoke")
async def keys_revoke(request: Request, prefix: str, csrf_token: str = Form(""),
                      user: ConsoleUser = Depends(require_admin)) -> Response:
    return await _form(request, user, csrf_token, _keys_page, "/admin/keys",
                       lambda _: f"key slk_{prefix}_… revoked; its widget sessions end now", ta.revoke_key, prefix)


# ================================================================================================== allowed Origins

_origins_page = _list_page(ta.list_origins, "admin/origins.html")


@pages.get("/origins", response_class=HTMLResponse)
async def origins_page(request: Request, user: ConsoleUser = Depends(require_admin)) -> HTMLResponse:
    return await _origins_page(request, user)


@pages.post("/origins")
async def origins_add(request: Request, origin: str = Form(""), csrf_token: str = Form(""),
                      user: ConsoleUser = Depends(require_admin)) -> Response:
    return await _form(request, user, csrf_token, _origins_page, "/admin/origins", lambda value: f"{value} allowed",
                       ta.add_origin, origin)


@pages.post("/origins/remove")
async def origins_remove(request: Request, origin: str = Form(""), csrf_token: str = Form(""),
                         user: ConsoleUser = Depends(require_admin)) -> Response:
    return await _form(request, user, csrf_token, _origins_page, "/admin/origins", lambda _: f"{origin} removed",
                       ta.remove_origin, origin)


# ======================================================================================================== documents

async def _documents(request: Request, user: ConsoleUser, template: str, *, error: str = "", status: int = 200,
                     results: list[Any] | None = None) -> HTMLResponse:
    rows = await _run(ta.list_documents, user.principal)
    return render(request, template, {"rows": rows, "error": error, "results": results or [],
                                      "ok": request.query_params.get("ok")}, status_code=status)


def _htmx(request: Request) -> bool:
    return request.headers.get("hx-request") == "true"


@pages.get("/documents", response_class=HTMLResponse)
async def documents_page(request: Request, user: ConsoleUser = Depends(require_admin)) -> HTMLResponse:
    return await _documents(request, user, "admin/documents.html")


@pages.post("/documents")
async def documents_upload(request: Request, files: list[UploadFile] = File(default=[]), csrf_token: str = Form(""),
                           user: ConsoleUser = Depends(require_admin)) -> Response:
    verify_csrf(request, csrf_token)
    template = "admin/_documents_panel.html" if _htmx(request) else "admin/documents.html"
    try:
        results = await _run(ta.upload_documents, user.principal, await _read(files))
    except (ta.AdminError, PermissionError) as exc:
        return await _documents(request, user, template, error=str(exc), status=_status(exc))
    return await _documents(request, user, template, results=results)


@pages.get("/documents/{document_id}", response_class=HTMLResponse)
async def documents_preview(request: Request, document_id: str,
                            user: ConsoleUser = Depends(require_admin)) -> HTMLResponse:
    try:
        doc = await _run(ta.preview_document, user.principal, document_id)
    except (ta.AdminError, PermissionError) as exc:
        return await _documents(request, user, "admin/documents.html", error=str(exc), status=_status(exc))
    return render(request, "admin/document.html", {"doc": doc, "ok": request.query_params.get("ok")})


_documents_page: Page = partial(_documents, template="admin/documents.html")


@pages.post("/documents/{document_id}/delete")
async def documents_delete(request: Request, document_id: str, csrf_token: str = Form(""),
                           user: ConsoleUser = Depends(require_admin)) -> Response:
    return await _form(request, user, csrf_token, _documents_page, "/admin/documents",
                       lambda source: f"{source} deleted; answers no longer cite it", ta.delete_document, document_id)


@pages.post("/documents/{document_id}/reingest")
async def documents_reingest(request: Request, document_id: str, csrf_token: str = Form(""),
                             user: ConsoleUser = Depends(require_admin)) -> Response:
    return await _form(request, user, csrf_token, _documents_page, f"/admin/documents/{document_id}",
                       lambda n: f"{n} passages embedded again", ta.reingest_document, document_id)


# ======================================================================================================= CSV import

@pages.get("/import", response_class=HTMLResponse)
async def import_page(request: Request, user: ConsoleUser = Depends(require_admin)) -> HTMLResponse:
    return render(request, "admin/import.html", {"tables": ta.IMPORT_TABLES, "outcome": None, "error": ""})


@pages.post("/import")
async def import_upload(request: Request, table: str = Form(""), file: UploadFile | None = File(default=None),
                        csrf_token: str = Form(""), user: ConsoleUser = Depends(require_admin)) -> Response:
    verify_csrf(request, csrf_token)
    ctx: dict[str, Any] = {"tables": ta.IMPORT_TABLES, "outcome": None, "error": "", "table": table}
    try:
        if file is None or not file.filename:
            raise ta.AdminError("choose a CSV file")
        data = await file.read()
        _limit_upload(data, file.filename)
        outcome = await _run(ta.import_csv, user.principal, table, file.filename, data)
    except (ta.AdminError, PermissionError) as exc:
        return render(request, "admin/import.html", {**ctx, "error": str(exc)}, status_code=_status(exc))
    return render(request, "admin/import.html", {**ctx, "outcome": outcome},
                  status_code=200 if outcome.result is not None else 400)


# ======================================================================================================== audit log

def _since(value: str) -> datetime | None:
    value = (value or "").strip()
    if not value:
        return None
    try:
        when = datetime.fromisoformat(value)
    except ValueError as exc:
        raise ta.AdminError(f"'since' must be a date or time like 2025-03-01 or 2025-03-01T09:00, not {value[:40]!r}") \
            from exc
    return when if when.tzinfo else when.replace(tzinfo=UTC)


def _filter(event: str, user_q: str, route: str, since: str, limit: int) -> ta.AuditFilter:
    return ta.AuditFilter(event=event, user=user_q, route=route, since=_since(since), limit=limit)


@pages.get("/audit", response_class=HTMLResponse)
async def audit_page(request: Request, event: str = "", user_q: str = Query("", alias="user"), route: str = "",
                     since: str = "", limit: int = 200, user: ConsoleUser = Depends(require_admin)) -> HTMLResponse:
    ctx = {"q": {"event": event, "user": user_q, "route": route, "since": since, "limit": limit}, "rows": [],
           "error": ""}
    try:
        ctx["rows"] = await _run(ta.read_audit, user.principal, _filter(event, user_q, route, since, limit))
    except (ta.AdminError, PermissionError) as exc:
        return render(request, "admin/audit.html", {**ctx, "error": str(exc)}, status_code=_status(exc))
    return render(request, "admin/audit.html", ctx)


# ========================================================================================================= feedback

@pages.get("/feedback", response_class=HTMLResponse)
async def feedback_page(request: Request, only: str = "", user: ConsoleUser = Depends(require_admin)) -> HTMLResponse:
    try:
        summary, rated = await _run(ta.feedback, user.principal, only=only)
    except (ta.AdminError, PermissionError) as exc:
        return render(request, "admin/feedback.html", {"summary": [], "rated": [], "only": "", "error": str(exc)},
                      status_code=_status(exc))
    return render(request, "admin/feedback.html", {"summary": summary, "rated": rated, "only": only, "error": ""})


# ============================================================================================== REST (/api/admin)

def _json_error(exc: Exception) -> JSONResponse:
    return JSONResponse({"detail": str(exc)}, status_code=_status(exc))


async def csrf_checked(request: Request, _: ConsoleUser = Depends(require_admin)) -> None:
    """Sign-in first (401/403), then the CSRF token of cookie-authenticated changes (header X-CSRF-Token)."""
    verify_csrf(request)


class InviteBody(BaseModel):
    email: str = Field(max_length=320)
    role: str = "member"


class RoleBody(BaseModel):
    role: str


class KeyBody(BaseModel):
    name: str = Field(max_length=400)
    history: str = "widget"


class OriginBody(BaseModel):
    origin: str = Field(max_length=400)


def _user_json(r: ta.UserRow) -> dict[str, Any]:
    return {"id": str(r.id), "email": r.email, "role": r.role, "created_at": r.created_at.isoformat(),
            "disabled": r.disabled, "disabled_at": r.disabled_at.isoformat() if r.disabled_at else None,
            "disabled_by": str(r.disabled_by) if r.disabled_by else None}


def _key_json(k: Any) -> dict[str, Any]:
    return {"prefix": k.prefix, "name": k.name, "history": k.history, "created_at": k.created_at.isoformat(),
            "revoked_at": k.revoked_at.isoformat() if k.revoked_at else None}


def _doc_json(d: Any) -> dict[str, Any]:
    return {"id": str(d.id), "title": d.title, "source": d.source, "mime_type": d.mime_type, "chunks": d.chunks,
            "updated_at": d.updated_at.isoformat()}


async def _api(fn: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:
    try:
        return await _run(fn, *args, **kwargs)
    except (ta.AdminError, PermissionError) as exc:
        return _json_error(exc)


@api.get("/users")
async def api_users(user: ConsoleUser = Depends(require_admin)) -> Any:
    out = await _api(ta.list_users, user.principal)
    return out if isinstance(out, Response) else [_user_json(r) for r in out]


@api.post("/users", dependencies=[Depends(csrf_checked)])
async def api_invite(body: InviteBody, user: ConsoleUser = Depends(require_admin)) -> Any:
    out = await _api(ta.invite_user, user.principal, body.email, body.role)
    return out if isinstance(out, Response) else JSONResponse(_user_json(out), status_code=201)


@api.patch("/users/{user_id}", dependencies=[Depends(csrf_checked)])
async def api_role(user_id: str, body: RoleBody, user: ConsoleUser = Depends(require_admin)) -> Any:
    out = await _api(ta.set_role, user.principal, user_id, body.role)
    return out if isinstance(out, Response) else _user_json(out)


@api.delete("/users/{user_id}", dependencies=[Depends(csrf_checked)])
async def api_remove(user_id: str, user: ConsoleUser = Depends(require_admin)) -> Any:
    out = await _api(ta.remove_user, user.principal, user_id)
    return out if isinstance(out, Response) else {"removed": out}


@api.post("/users/{user_id}/disable", dependencies=[Depends(csrf_checked)])
async def api_disable(user_id: str, user: ConsoleUser = Depends(require_admin)) -> Any:
    out = await _api(ta.set_disabled, user.principal, user_id, True)
    return out if isinstance(out, Response) else _user_json(out)


@api.post("/users/{user_id}/enable", dependencies=[Depends(csrf_checked)])
async def api_enable(user_id: str, user: ConsoleUser = Depends(require_admin)) -> Any:
    out = await _api(ta.set_disabled, user.principal, user_id, False)
    return out if isinstance(out, Response) else _user_json(out)


@api.get("/keys")
async def api_keys_list(user: ConsoleUser = Depends(require_admin)) -> Any:
    out = await _api(ta.list_keys, user.principal)
    return out if isinstance(out, Response) else [_key_json(k) for k in out]


@api.post("/keys", dependencies=[Depends(csrf_checked)])
async def api_keys_create(body: KeyBody, user: ConsoleUser = Depends(require_admin)) -> Any:
    out = await _api(ta.create_key, user.principal, body.name, body.history)
    if isinstance(out, Response):
        return out
    key, info = out
    return JSONResponse({"key": key, **_key_json(info)}, status_code=201, headers={"Cache-Control": "no-store"})


@api.delete("/keys/{prefix}", dependencies=[Depends(csrf_checked)])
async def api_keys_revoke(prefix: str, user: ConsoleUser = Depends(require_admin)) -> Any:
    out = await _api(ta.revoke_key, user.principal, prefix)
    return out if isinstance(out, Response) else {"revoked": prefix}


@api.get("/origins")
async def api_origins(user: ConsoleUser = Depends(require_admin)) -> Any:
    return await _api(ta.list_origins, user.principal)


@api.post("/origins", dependencies=[Depends(csrf_checked)])
async def api_origins_add(body: OriginBody, user: ConsoleUser = Depends(require_admin)) -> Any:
    out = await _api(ta.add_origin, user.principal, body.origin)
    return out if isinstance(out, Response) else JSONResponse({"origin": out}, status_code=201)


@api.delete("/origins", dependencies=[Depends(csrf_checked)])
async def api_origins_remove(origin: str, user: ConsoleUser = Depends(require_admin)) -> Any:
    out = await _api(ta.remove_origin, user.principal, origin)
    return out if isinstance(out, Response) else {"removed": origin}


@api.get("/documents")
async def api_documents(user: ConsoleUser = Depends(require_admin)) -> Any:
    out = await _api(ta.list_documents, user.principal)
    return out if isinstance(out, Response) else [_doc_json(d) for d in out]


@api.post("/documents", dependencies=[Depends(csrf_checked)])
async def api_documents_upload(files: list[UploadFile] = File(default=[]),
                               user: ConsoleUser = Depends(require_admin)) -> Any:
    try:
        uploads = await _read(files)
    except ta.AdminError as exc:
        return _json_error(exc)
    out = await _api(ta.upload_documents, user.principal, uploads)
    if isinstance(out, Response):
        return out
    return JSONResponse([{"source": r.source, "id": str(r.document_id), "title": r.title, "status": r.status,
                          "chunks": r.chunks} for r in out], status_code=201)


@api.get("/documents/{document_id}")
async def api_document(document_id: str, user: ConsoleUser = Depends(require_admin)) -> Any:
    out = await _api(ta.preview_document, user.principal, document_id)
    if isinstance(out, Response):
        return out
    return {"id": str(out.id), "title": out.title, "source": out.source, "mime_type": out.mime_type,
            "updated_at": out.updated_at.isoformat(), "chunks": out.chunks}


@api.delete("/documents/{document_id}", dependencies=[Depends(csrf_checked)])
async def api_document_delete(document_id: str, user: ConsoleUser = Depends(require_admin)) -> Any:
    out = await _api(ta.delete_document, user.principal, document_id)
    return out if isinstance(out, Response) else {"deleted": out}


@api.post("/documents/{document_id}/reingest", dependencies=[Depends(csrf_checked)])
async def api_document_reingest(document_id: str, user: ConsoleUser = Depends(require_admin)) -> Any:
    out = await _api(ta.reingest_document, user.principal, document_id)
    return out if isinstance(out, Response) else {"chunks": out}


@api.post("/import/{table}", dependencies=[Depends(csrf_checked)])
async def api_import(table: str, file: UploadFile | None = File(default=None),
                     user: ConsoleUser = Depends(require_admin)) -> Any:
    if file is None or not file.filename:
        return _json_error(ta.AdminError("send the CSV as the multipart field 'file'"))
    data = await file.read()
    try:
        _limit_upload(data, file.filename)
    except ta.AdminError as exc:
        return _json_error(exc)
    out = await _api(ta.import_csv, user.principal, table, file.filename, data)
    if isinstance(out, Response):
        return out
    if out.result is None:
        return JSONResponse({"detail": "import rejected, nothing was imported", "total_issues": out.total_issues,
                             "issues": [{"source": i.source, "line": i.line, "column": i.column, "message": i.message}
                                        for i in out.issues]}, status_code=400)
    r = out.result
    return {"table": r.table, "source": r.source, "rows": r.rows, "table_rows_after": r.table_rows_after}


@api.get("/audit")
async def api_audit(event: str = "", user_q: str = Query("", alias="user"), route: str = "", since: str = "",
                    limit: int = 200, user: ConsoleUser = Depends(require_admin)) -> Any:
    try:
        f = _filter(event, user_q, route, since, limit)
    except ta.AdminError as exc:
        return _json_error(exc)
    out = await _api(ta.read_audit, user.principal, f)
    if isinstance(out, Response):
        return out
    return [{"id": r.id, "at": r.at.isoformat(), "user": r.user_email, "event": r.event, "route": r.route,
             "tool_input": r.tool_input, "rows_returned": r.rows_returned, "model": r.model,
             "latency_ms": r.latency_ms, "details": r.details} for r in out]


@api.get("/feedback")
async def api_feedback(only: str = "", user: ConsoleUser = Depends(require_admin)) -> Any:
    out = await _api(ta.feedback, user.principal, only=only)
    if isinstance(out, Response):
        return out
    summary, rated = out
    return {"summary": [{"route": s.route, "model": s.model, "ratings": s.ratings, "up": s.up, "down": s.down,
                         "up_rate": round(s.up_rate, 3), "avg_latency_ms": s.avg_latency_ms} for s in summary],
            "rated": [{"at": r.at.isoformat(), "value": r.value, "comment": r.comment, "route": r.route,
                       "model": r.model, "latency_ms": r.latency_ms, "user": r.user_email, "question": r.question,
                       "answer": r.answer} for r in rated]}
