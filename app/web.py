"""The web application factory (FastAPI): health check and, for now, a placeholder home page."""

from __future__ import annotations

from fastapi import FastAPI
from fastapi.responses import HTMLResponse

import config  # noqa: F401

PLACEHOLDER = (
    "<!doctype html><html><head><meta charset='utf-8'><title>Sightline</title></head><body>"
    "<h1>Sightline</h1><p>The database is up and the demo tenants are loaded. "
    "The chat UI arrives with the chat-app issue.</p></body></html>"
)


def create_app() -> FastAPI:
    from db.engine import ping

    app = FastAPI(title="Sightline")

    @app.get("/healthz")
    def healthz() -> dict:
        ping()
        return {"status": "ok"}

    @app.get("/", response_class=HTMLResponse)
    def home() -> str:
        return PLACEHOLDER

    return app
