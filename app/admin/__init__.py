"""The web console at /admin (docs/console.md): tenant administration, the fine-tuning portal, monitoring.

`install(app)` (called by app/web.py before Chainlit is mounted) adds every console router, the static files
(vendored htmx; plotly.js served from the installed `plotly` package, so nothing is fetched from a CDN) and the
handler that answers `ConsoleDenied` (HTML pages under /admin, JSON under /api/admin).

Console modules: each exposes FastAPI routers with absolute paths (pages under /admin/..., the same actions as
JSON under /api/admin/...) and registers its nav entries in app/admin/nav.py at import. To add a module, append
"package.module:attribute" entries to ROUTERS (one line per router). Auth, CSRF, rendering and auditing come from
app/admin/auth.py.
"""

from __future__ import annotations

import importlib

from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse, Response
from fastapi.staticfiles import StaticFiles

ROUTERS: list[str] = [
    "app.admin.core:router",
    "app.admin.tenant_pages:pages",
    "app.admin.tenant_pages:api",
    "app.admin.operator_pages:pages",
    "app.admin.operator_pages:api",
    "app.admin.portal_routes:pages",
    "app.admin.portal_routes:api",
    "app.admin.monitor_pages:pages",
    "app.admin.monitor_pages:api",
]


def routers() -> list:
    out = []
    for ref in ROUTERS:
        module, _, attr = ref.partition(":")
        out.append(getattr(importlib.import_module(module), attr))
    return out


async def _denied(request: Request, exc: Exception) -> Response:
    from app.admin.auth import ConsoleDenied, render

    assert isinstance(exc, ConsoleDenied)
    if request.url.path.startswith("/api/"):
        return JSONResponse({"detail": str(exc)}, status_code=exc.status)
    return render(request, "denied.html", {"status": exc.status, "message": str(exc)}, status_code=exc.status)


def install(app: FastAPI) -> None:
    """Mount the console on `app` (before any catch-all mount such as Chainlit's)."""
    from app.admin.auth import STATIC_DIR, ConsoleDenied

    app.add_exception_handler(ConsoleDenied, _denied)
    for router in routers():
        app.include_router(router)
    app.mount("/admin/static", StaticFiles(directory=str(STATIC_DIR)), name="admin-static")
