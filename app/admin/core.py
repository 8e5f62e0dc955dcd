"""Console core pages: the home page (/admin), plotly.js from the installed package, and a who-am-I API route.

The home page lists what the caller may open (the nav registry, app/admin/nav.py) and a summary of their tenant
(tenant admins) or of the deployment (operators). `/api/admin/me` answers who the console takes the caller for.
"""

from __future__ import annotations

from pathlib import Path

import plotly
from fastapi import APIRouter, Depends, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import FileResponse, HTMLResponse

from app.admin import nav
from app.admin.auth import ConsoleUser, console_user, render, require_console

router = APIRouter()
PLOTLY_JS = Path(plotly.__file__).resolve().parent / "package_data" / "plotly.min.js"

nav.register(nav.NavEntry("/admin", "Overview", section="Console", audience="console", order=0))


def _summary(user: ConsoleUser) -> dict[str, int]:
    import sqlalchemy as sa

    from db.session import tenant_session

    with tenant_session(user.tenant_id) as conn:
        row = conn.execute(sa.text(
            "SELECT (SELECT count(*) FROM users) AS users, (SELECT count(*) FROM documents) AS documents, "
            "(SELECT count(*) FROM api_keys WHERE revoked_at IS NULL) AS api_keys, "
            "(SELECT count(*) FROM allowed_origins) AS origins, (SELECT count(*) FROM chat_threads) AS threads"
        )).mappings().one()
    return {k: int(v) for k, v in row.items()}


@router.get("/admin", response_class=HTMLResponse)
async def home(request: Request, user: ConsoleUser = Depends(require_console)) -> HTMLResponse:
    summary = await run_in_threadpool(_summary, user) if user.is_admin else {}
    return render(request, "home.html", {"summary": summary, "sections": nav.sections(user)})


@router.get("/admin/static/plotly.min.js")
async def plotly_js() -> FileResponse:
    """plotly.js as shipped inside the `plotly` Python package (its version is plotly's; MIT licence)."""
    return FileResponse(PLOTLY_JS, media_type="text/javascript",
                        headers={"Cache-Control": "public, max-age=86400"})


@router.get("/api/admin/me")
async def me(user: ConsoleUser = Depends(console_user)) -> dict:
    return {"email": user.email, "tenant": user.tenant_slug, "role": "admin" if user.is_admin else "member",
            "operator": user.is_operator}
