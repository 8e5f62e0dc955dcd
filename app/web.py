"""The web application factory (FastAPI): health check, Prometheus metrics, the REST API, and the Chainlit chat UI.

Routes of this app come first; Chainlit (chat UI, socket.io, `/copilot/index.js`) is mounted at the root behind them.
The whole app runs behind `app.edge.Edge`: verified caller identity and the Origin allow-list for HTTP and websockets.
"""

from __future__ import annotations

from fastapi import FastAPI
from fastapi.responses import Response

import config  # noqa: F401


def create_app() -> FastAPI:
    from app.api import router as api_router
    from app.chainlit_setup import chainlit_app
    from app.edge import Edge
    from app.metrics import render
    from db.engine import ping

    app = FastAPI(title="Sightline")

    @app.get("/healthz")
    def healthz() -> dict:
        ping()
        return {"status": "ok"}

    @app.get("/metrics")
    def metrics() -> Response:
        body, content_type = render()
        return Response(body, media_type=content_type)

    app.include_router(api_router)
    app.mount("/", chainlit_app())
    app.add_middleware(Edge)
    return app
