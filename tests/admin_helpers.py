"""Signed-in web console clients for tests (helpers for every console test file, not a test module itself).

`console_app(operators=...)` builds the real app (app.web.create_app) for Starlette's TestClient; `signed_in(app,
email)` returns a TestClient carrying a real, signed Chainlit session cookie for that user, exactly what the sign-in
leaves in a browser (app/edge.py verifies it like any other), plus `.csrf`, the session's console CSRF token.
`forged_client(app, email)` carries a session cookie signed with the wrong secret (must be refused).
"""

from __future__ import annotations

import time
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from typing import Any

from starlette.testclient import TestClient

from config import env_overrides
from db import registry

COOKIE = "access_token"  # Chainlit's session cookie name (CHAINLIT_AUTH_COOKIE_NAME default)


def session_token(email: str, *, secret: str | None = None, ttl_s: int = 3600) -> str:
    """A Chainlit session token for a registered user, signed like Chainlit signs it (HS256, the app's secret)."""
    from app.identity import session_metadata
    from app.tokens import _SESSION_JWT, auth_secret  # the app's own HS256 signer (authlib, warning silenced)

    principal = registry.principal_for(email)
    now = int(time.time())
    payload = {"identifier": principal.email, "display_name": principal.email,
               "metadata": session_metadata(principal, "dev"), "iat": now, "exp": now + ttl_s}
    return _SESSION_JWT.encode({"alg": "HS256", "typ": "JWT"}, payload, secret or auth_secret()).decode("ascii")


@contextmanager
def console_env(operators: str = "") -> Iterator[None]:
    """The settings a console test needs: TestClient's Host is trusted; `operators` are console operators."""
    with env_overrides(SIGHTLINE_TRUSTED_HOSTS="testserver", SIGHTLINE_OPERATOR_EMAILS=operators):
        yield


def console_app():
    from app.web import create_app

    return create_app()


@contextmanager
def console_with_users(users: Iterable[tuple[str, str, str]], operators: str = "") -> Iterator[Any]:
    """Register `users` (email, tenant slug, role), then yield the console app with `operators` as console operators
    (the body of a module-scoped `app` fixture)."""
    for email, tenant, role in users:
        registry.add_user(email, tenant, role)
    with console_env(operators=operators):
        yield console_app()


def signed_in(app, email: str) -> TestClient:
    """A client signed in as `email`, with `.csrf` = its console CSRF token."""
    from app.admin.auth import csrf_for

    client = TestClient(app)
    token = session_token(email)
    client.cookies.set(COOKIE, token)
    client.csrf = csrf_for(token)  # type: ignore[attr-defined]
    return client


def forged_client(app, email: str) -> TestClient:
    client = TestClient(app)
    client.cookies.set(COOKIE, session_token(email, secret="not-the-app-secret-" + "x" * 32))
    return client
