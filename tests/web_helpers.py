"""The in-process web app and its widget API for tests (helpers shared by test modules, not a test module itself):
the real app (app.web.create_app) behind Starlette's TestClient, minting widget tokens with an API key, and reading
the server-sent events of a REST chat answer."""

from __future__ import annotations

import json

import httpx
from fastapi import FastAPI
from starlette.testclient import TestClient

from config import env_overrides


def web_app() -> FastAPI:
    """The real web app, accepting TestClient's Host header ("testserver")."""
    from app.web import create_app

    with env_overrides(SIGHTLINE_TRUSTED_HOSTS="testserver"):
        return create_app()


def mint(client: TestClient, key: str, email: str) -> httpx.Response:
    """POST /api/widget-token for `email` with the API key `key`."""
    return client.post("/api/widget-token", json={"email": email}, headers={"Authorization": f"Bearer {key}"})


def widget_token(client: TestClient, key: str, email: str) -> str:
    """A widget token for `email`, minted with `key` (the minting must succeed)."""
    r = mint(client, key, email)
    assert r.status_code == 200, r.text
    return r.json()["token"]


def sse_events(text: str) -> list[dict]:
    """The JSON payloads of the `data:` lines of a server-sent-events body."""
    return [json.loads(line[len("data: "):]) for line in text.splitlines() if line.startswith("data: ")]
