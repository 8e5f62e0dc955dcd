"""The web application factory (FastAPI): health/readiness, Prometheus metrics, the REST API, and the Chainlit chat UI.

Routes of this app come first; Chainlit (chat UI, socket.io, `/copilot/index.js`) is mounted at the root behind them.
The whole app runs behind two walls: the Host allow-list (`trusted_hosts()`: Starlette's TrustedHostMiddleware; a
request naming another host gets HTTP 400, so OAuth and error redirects never follow a forged Host header), then
`app.edge.Edge` (verified caller identity, the Origin allow-list, NUL refusal, generic server errors). An invalid
request body is answered with HTTP 400 (field and reason, never the value sent). The web console (app/admin/,
docs/console.md) is mounted at /admin and /api/admin before Chainlit.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from urllib.parse import urlsplit

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, Response
from starlette.middleware.trustedhost import TrustedHostMiddleware
from starlette.types import ASGIApp, Receive, Scope, Send

import config
from config import get_settings

LOOPBACK_HOSTS = ("localhost", "127.0.0.1", "::1")
HOST_FREE_PATHS = ("/healthz", "/readyz", "/metrics")  # probes reach pods by IP; these build no URLs from the Host


def trusted_hosts(settings: config.Settings | None = None) -> list[str]:
    """The Host names the app answers: SIGHTLINE_TRUSTED_HOSTS, else the public URL's host, else loopback names (and
    the bind address when it is a specific one)."""
    s = settings or get_settings()
    listed = [h.strip().lower() for h in s.trusted_hosts.split(",") if h.strip()]
    if listed:
        return listed
    if s.public_url:
        host = urlsplit(s.public_url).hostname
        if host:
            return [host.lower()]
    hosts = list(LOOPBACK_HOSTS)
    if s.host and s.host not in ("0.0.0.0", "::", ""):  # noqa: S104 - the wildcard is not a host name
        hosts.append(s.host.strip("[]").lower())
    return hosts


class HostAllowList:
    """TrustedHostMiddleware for everything but the health and metrics probes."""

    def __init__(self, app: ASGIApp, allowed_hosts: list[str]) -> None:
        self.app = app
        self.checked = TrustedHostMiddleware(app, allowed_hosts=allowed_hosts, www_redirect=False)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http" and scope.get("path") in HOST_FREE_PATHS:
            await self.app(scope, receive, send)
            return
        await self.checked(scope, receive, send)


async def _invalid_request(request: Request, exc: RequestValidationError) -> JSONResponse:
    problems = [f"{'.'.join(str(p) for p in e.get('loc', ()) if p != 'body')}: {e.get('msg')}" for e in exc.errors()]
    return JSONResponse({"detail": "invalid request: " + "; ".join(problems)}, status_code=400)


def create_app() -> FastAPI:
    from app import warmup
    from app.admin import install as install_console
    from app.api import router as api_router
    from app.chainlit_setup import chainlit_app
    from app.edge import Edge
    from app.metrics import render
    from db.engine import ping

    @asynccontextmanager
    async def lifespan(_: FastAPI) -> AsyncIterator[None]:
        warmup.start()  # models load in a thread; the app answers meanwhile
        yield

    app = FastAPI(title="Sightline", lifespan=lifespan)
    app.add_exception_handler(RequestValidationError, _invalid_request)  # type: ignore[arg-type]

    @app.get("/healthz")
    def healthz() -> dict:
        ping()
        return {"status": "ok"}

    @app.get("/readyz")
    def readyz() -> Response:
        """200 once the models of a chat turn are loaded (503 while warming up)."""
        ping()
        ok = warmup.ready()
        return JSONResponse({"status": "ready" if ok else "warming up"}, status_code=200 if ok else 503)

    @app.get("/metrics")
    def metrics() -> Response:
        body, content_type = render()
        return Response(body, media_type=content_type)

    app.include_router(api_router)
    install_console(app)  # the web console at /admin and /api/admin (app/admin/, docs/console.md)
    app.mount("/", chainlit_app())
    app.add_middleware(Edge)
    app.add_middleware(HostAllowList, allowed_hosts=trusted_hosts())  # outermost: before anything reads the Host
    return app
