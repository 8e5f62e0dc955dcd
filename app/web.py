"""The web application factory (FastAPI): health/readiness, Prometheus metrics, the REST API, and the Chainlit chat UI.

Routes of this app come first; Chainlit (chat UI, socket.io, `/copilot/index.js`) is mounted at the root behind them.
The whole app runs behind `app.edge.Edge`: verified caller identity and the Origin allow-list for HTTP and websockets.
"""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI
from fastapi.responses import JSONResponse, Response

import config  # noqa: F401

log = logging.getLogger(__name__)


def create_app() -> FastAPI:
    from app import warmup
    from app.api import router as api_router
    from app.chainlit_setup import chainlit_app
    from app.edge import Edge
    from app.metrics import render
    from db import tenant_context
    from db.engine import ping

    @asynccontextmanager
    async def lifespan(_: FastAPI) -> AsyncIterator[None]:
        warmup.start()  # models load in a thread; the app answers meanwhile
        yield

    app = FastAPI(title="Sightline", lifespan=lifespan)

    @app.get("/healthz")
    def healthz() -> dict:
        ping()
        return {"status": "ok"}

    @app.get("/readyz")
    def readyz() -> Response:
        """200 once the models of a chat turn are loaded (503 while warming up)."""
        ping()
        try:
            tenant_context.verify_once()
        except tenant_context.TenantContextError as exc:
            log.error("not ready: %s", exc)
            return JSONResponse({"status": "tenant context key mismatch (see the log)"}, status_code=503)
        ok = warmup.ready()
        return JSONResponse({"status": "ready" if ok else "warming up"}, status_code=200 if ok else 503)

    @app.get("/metrics")
    def metrics() -> Response:
        body, content_type = render()
        return Response(body, media_type=content_type)

    app.include_router(api_router)
    app.mount("/", chainlit_app())
    app.add_middleware(Edge)
    return app
