"""Who may use the web console, CSRF, rendering and the audit helper (shared by every console page and API route).

Sign-in is the chat app's: the Chainlit session cookie that app/edge.py verifies and publishes in
`app.identity.REQUEST_IDENTITY` (or, for the REST routes, `Authorization: Bearer <session token>`), resolved again
from the database on every request (`app.api.caller`), so a removed user or a disabled tenant stops at once.
Widget principals (minted by an API key) never reach the console.

- `console_user`: any signed-in console caller (401 `ConsoleDenied` when nobody is signed in).
- `require_admin`: a tenant admin (the `users.role` of the caller's own tenant is `admin`); the console then works
  on that tenant only, through `db.session.tenant_session()` and RLS. A member gets 403.
- `require_operator`: an operator of the deployment (control plane): a signed-in user whose e-mail is listed in
  `SIGHTLINE_OPERATOR_EMAILS`. Anyone else gets 403.
- CSRF: every state-changing request authenticated by the cookie must carry the session's token (a form field
  `csrf_token` or the header `X-CSRF-Token`): HMAC-SHA256 of the session token under the app's auth secret, so it is
  per session and never stored. Requests authenticated by a Bearer header need none (a browser never adds it by
  itself). The session cookie is also SameSite (SIGHTLINE_COOKIE_SAMESITE, lax by default).
- `render`: a template of app/admin/templates/ with the caller, the nav (app/admin/nav.py) and `csrf_token`.
- `audit_change`: one audit row per change, with the actor (the caller's user id) and what changed.
"""

from __future__ import annotations

import hashlib
import hmac
import uuid
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from fastapi import HTTPException, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import HTMLResponse
from fastapi.templating import Jinja2Templates

from config import get_settings
from db import audit
from db.principal import Principal

TEMPLATES_DIR = Path(__file__).resolve().parent / "templates"
STATIC_DIR = Path(__file__).resolve().parent / "static"
CSRF_FIELD = "csrf_token"
CSRF_HEADER = "x-csrf-token"
SAFE_METHODS = ("GET", "HEAD", "OPTIONS")

templates = Jinja2Templates(directory=str(TEMPLATES_DIR))


class ConsoleDenied(Exception):
    """The caller may not do this: 401 (not signed in), 403 (signed in, not allowed; or a bad CSRF token)."""

    def __init__(self, status: int, message: str) -> None:
        self.status = status
        super().__init__(message)


@dataclass(frozen=True)
class ConsoleUser:
    """The signed-in console caller: their Principal (user, tenant, role) and whether they are an operator."""

    principal: Principal
    is_operator: bool
    csrf_token: str  # "" for Bearer callers (no CSRF needed)

    @property
    def email(self) -> str:
        return self.principal.email

    @property
    def is_admin(self) -> bool:
        return self.principal.is_admin

    @property
    def tenant_id(self) -> uuid.UUID:
        return self.principal.tenant_id

    @property
    def tenant_slug(self) -> str:
        return self.principal.tenant_slug


def operator_emails() -> frozenset[str]:
    return frozenset(e.strip().lower() for e in get_settings().operator_emails.split(",") if e.strip())


def _session_token(request: Request) -> str | None:
    """The raw Chainlit session token from the cookie (what the CSRF token is derived from)."""
    from chainlit.auth.cookie import get_token_from_cookies

    return get_token_from_cookies(dict(request.cookies)) or None


def _bearer(request: Request) -> bool:
    scheme, _, token = (request.headers.get("authorization") or "").partition(" ")
    return scheme.lower() == "bearer" and bool(token.strip())


def csrf_for(session_token: str) -> str:
    from app.tokens import auth_secret

    return hmac.new(auth_secret().encode(), b"sightline-console-csrf\0" + session_token.encode(),
                    hashlib.sha256).hexdigest()


async def console_user(request: Request) -> ConsoleUser:
    """Any signed-in console caller (cached on the request); ConsoleDenied 401/403 otherwise."""
    cached = getattr(request.state, "console_user", None)
    if isinstance(cached, ConsoleUser):
        return cached
    from app.api import caller

    try:
        principal = await caller(request)
    except HTTPException as exc:
        raise ConsoleDenied(401, f"Sign in first ({exc.detail}).") from exc
    if principal.via_widget:
        raise ConsoleDenied(403, "A widget session cannot use the console; sign in to the app.")
    token = "" if _bearer(request) else (_session_token(request) or "")
    user = ConsoleUser(principal=principal, is_operator=principal.email.lower() in operator_emails(),
                       csrf_token=csrf_for(token) if token else "")
    request.state.console_user = user
    return user


async def require_admin(request: Request) -> ConsoleUser:
    """A tenant admin of the caller's own tenant (403 for members)."""
    user = await console_user(request)
    if not user.is_admin:
        raise ConsoleDenied(403, f"{user.email} is not an admin of tenant {user.tenant_slug!r}; ask a tenant admin "
                                 "to change your role.")
    return user


async def require_operator(request: Request) -> ConsoleUser:
    """An operator of the deployment (SIGHTLINE_OPERATOR_EMAILS); 403 for everyone else."""
    user = await console_user(request)
    if not user.is_operator:
        raise ConsoleDenied(403, f"{user.email} is not an operator of this deployment (SIGHTLINE_OPERATOR_EMAILS).")
    return user


async def require_console(request: Request) -> ConsoleUser:
    """A tenant admin or an operator (the console's home page)."""
    user = await console_user(request)
    if not (user.is_admin or user.is_operator):
        await require_admin(request)
    return user


def verify_csrf(request: Request, token: str | None = None) -> None:
    """ConsoleDenied 403 unless a cookie-authenticated change carries this session's CSRF token (form field or
    X-CSRF-Token header). Bearer-authenticated calls pass."""
    if request.method in SAFE_METHODS or _bearer(request):
        return
    session = _session_token(request)
    sent = token or request.headers.get(CSRF_HEADER) or ""
    if not session or not sent or not hmac.compare_digest(sent, csrf_for(session)):
        raise ConsoleDenied(403, "The form's security token is missing or stale: reload the page and try again.")


def render(request: Request, template: str, context: dict[str, Any] | None = None,
           status_code: int = 200) -> HTMLResponse:
    """A console template with `user`, `nav`, `csrf_token` and `request` in its context."""
    from app.admin.nav import visible_entries

    user = getattr(request.state, "console_user", None)
    ctx: dict[str, Any] = {"user": user, "nav": visible_entries(user), "csrf_token": user.csrf_token if user else "",
                           "path": request.url.path}
    ctx.update(context or {})
    return templates.TemplateResponse(request, template, ctx, status_code=status_code)


def audit_change_sync(user: ConsoleUser | Principal, event: str, **action: str | int | bool | None) -> None:
    principal = user.principal if isinstance(user, ConsoleUser) else user
    audit.record(principal, event=event, route="console", action=action)


async def audit_change(user: ConsoleUser | Principal, event: str, **action: str | int | bool | None) -> None:
    """Append an audit row (event e.g. 'admin.user.role') for the actor's tenant, with what changed."""
    await run_in_threadpool(audit_change_sync, user, event, **action)
