"""The fine-tuning portal's link to the console core (app/admin/auth.py): the caller's `PortalScope` (an operator, or
a tenant admin scoped to their tenant), rendering, CSRF and the audit row of every change, with the actor."""

from __future__ import annotations

from typing import Any

from fastapi import Request

from app.admin import auth
from app.admin.portal_scope import PortalScope, scope_for
from db.principal import Principal

render = auth.render
verify_csrf = auth.verify_csrf


async def portal_scope(request: Request) -> PortalScope:
    """FastAPI dependency: operators (SIGHTLINE_OPERATOR_EMAILS) get the control plane, tenant admins their tenant;
    members and anonymous callers are refused (403 / 401) by `require_console`."""
    user = await auth.require_console(request)
    p = user.principal
    return scope_for(operator=user.is_operator, tenant_id=p.tenant_id, tenant_slug=p.tenant_slug, user_id=p.user_id)


def principal_of(request: Request) -> Principal:
    user = getattr(request.state, "console_user", None)
    if user is None:
        raise auth.ConsoleDenied(401, "Sign in first.")
    return user.principal


def audit(request: Request, scope: PortalScope, event: str, details: dict[str, Any]) -> None:
    """One audit row in the actor's tenant: the portal event and what changed (ids, names, numbers only)."""
    user = getattr(request.state, "console_user", None)
    if user is None:
        return
    clean = {k: (v if v is None or isinstance(v, str | int | bool) else str(v)) for k, v in details.items()}
    clean["scope"] = "operator" if scope.operator else "tenant"
    auth.audit_change_sync(user, event, **clean)
