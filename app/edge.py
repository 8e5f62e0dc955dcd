"""The request edge (ASGI middleware around the whole app): who is calling, and from which Origin.

For every HTTP request and websocket handshake (Chainlit's socket.io included, which checks no Origin itself):
- the caller's identity is read from the Chainlit session cookie or a Bearer widget token, verified (signature and
  expiry) and published in `app.identity.REQUEST_IDENTITY` for code that Chainlit calls without a user;
- a request whose `Origin` is neither the app's own origin nor allowed is refused (HTTP 403, or the websocket
  handshake closed, which answers 403). Allowed: `SIGHTLINE_ALLOWED_ORIGINS` (every tenant), `SIGHTLINE_PUBLIC_URL`,
  and the caller's tenant's own list (`sightline origin add`); a request without an identity may use any tenant's
  listed Origin (it can reach nothing tenant-specific). Requests without an Origin header (curl, server-to-server)
  are not browser cross-origin requests and pass;
- CORS headers for `/api/*` and `/auth/jwt` are answered here for allowed Origins (Chainlit answers its own);
- a refused sign-in's redirect to the login page carries the reason code (`noTenant`, `tenantDisabled`...).
"""

from __future__ import annotations

import asyncio
import json
import re
import time
from collections.abc import Callable
from contextvars import ContextVar
from typing import Any
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from starlette.datastructures import Headers, MutableHeaders
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from app.identity import REQUEST_IDENTITY, RequestIdentity
from app.metrics import ORIGIN_REFUSED
from config import get_settings
from db.origins import OriginError, any_tenant_origins, list_origins, normalize_origin

# A mutable holder per request: the OAuth callback stores the refusal code here, the edge rewrites the redirect.
LOGIN_OUTCOME: ContextVar[dict[str, str] | None] = ContextVar("sightline_login_outcome", default=None)
_CALLBACK = re.compile(r"^/auth/oauth/[^/]+/callback$")
API_PREFIX = "/api/"
OWN_CORS_PATHS = ("/auth/jwt",)  # routes of this app (not Chainlit's, which answer CORS themselves) a widget calls


class OriginPolicy:
    """Which Origins may call for a tenant; per-tenant lists are cached for `ttl` seconds."""

    def __init__(self, ttl: float = 10.0) -> None:
        self.ttl = ttl
        self._cache: dict[str, tuple[float, frozenset[str]]] = {}

    def static(self) -> frozenset[str]:
        s = get_settings()
        values = [v for v in s.allowed_origins.split(",") if v.strip()]
        if s.public_url:
            parts = urlsplit(s.public_url)
            values.append(f"{parts.scheme}://{parts.netloc}")
        out = set()
        for v in values:
            try:
                out.add(normalize_origin(v))
            except OriginError:
                continue
        return frozenset(out)

    def _load(self, tenant_id: str | None) -> frozenset[str]:
        return any_tenant_origins() if tenant_id is None else frozenset(list_origins(tenant_id))

    async def listed(self, tenant_id: str | None) -> frozenset[str]:
        key = tenant_id or "*"
        hit = self._cache.get(key)
        if hit and hit[0] > time.monotonic():
            return hit[1]
        value = await asyncio.to_thread(self._load, tenant_id)
        self._cache[key] = (time.monotonic() + self.ttl, value)
        return value

    async def allows(self, origin: str, tenant_id: str | None) -> bool:
        try:
            norm = normalize_origin(origin)
        except OriginError:
            return False  # "null" (sandboxed frames, file://) and anything malformed
        if norm in self.static():
            return True
        try:
            return norm in await self.listed(tenant_id)
        except ValueError:  # a malformed tenant id in a token
            return False

    def clear(self) -> None:
        self._cache.clear()


def own_origin(scope: Scope, headers: Headers) -> str | None:
    scheme = {"ws": "http", "wss": "https"}.get(scope.get("scheme", "http"), scope.get("scheme", "http"))
    host = headers.get("host")
    if not host:
        return None
    try:
        return normalize_origin(f"{scheme}://{host}")
    except OriginError:
        return None


def _bearer(headers: Headers) -> str | None:
    auth = headers.get("authorization") or ""
    scheme, _, token = auth.partition(" ")
    return token.strip() if scheme.lower() == "bearer" and token.strip() else None


def default_identity(headers: Headers) -> RequestIdentity | None:
    """The verified identity of a request: the Chainlit session (cookie or Bearer), else a widget token."""
    from starlette.requests import cookie_parser

    from app.chainlit_setup import decode_session_token
    from app.tokens import TokenRejected, verify

    candidates = []
    cookie_header = headers.get("cookie")
    if cookie_header:
        from chainlit.auth.cookie import get_token_from_cookies

        token = get_token_from_cookies(cookie_parser(cookie_header))
        if token:
            candidates.append(token)
    bearer = _bearer(headers)
    if bearer:
        candidates.append(bearer)
    for token in candidates:
        identity = decode_session_token(token)
        if identity is not None:
            return identity
    if bearer:
        try:
            claims = verify(bearer)
        except TokenRejected:
            return None
        return RequestIdentity(str(claims["email"]), {"tenant_id": str(claims["tid"]), "widget": True})
    return None


class Edge:
    """ASGI middleware: identity, Origin allow-list, API CORS, sign-in refusal reasons."""

    def __init__(self, app: ASGIApp, policy: OriginPolicy | None = None,
                 identify: Callable[[Headers], RequestIdentity | None] = default_identity) -> None:
        self.app = app
        self.policy = policy or OriginPolicy()
        self.identify = identify

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] not in ("http", "websocket"):
            await self.app(scope, receive, send)
            return
        headers = Headers(scope=scope)
        identity = self.identify(headers)
        outcome: dict[str, str] = {}
        tokens = (REQUEST_IDENTITY.set(identity), LOGIN_OUTCOME.set(outcome))
        try:
            origin = headers.get("origin")
            path: str = scope.get("path", "")
            cross = origin is not None and normalize_or_none(origin) != own_origin(scope, headers)
            if cross:
                tenant = str(identity.metadata.get("tenant_id") or "") or None if identity is not None else None
                if not await self.policy.allows(origin, tenant):
                    await self._refuse(scope, receive, send, origin)
                    return
                if scope["type"] == "http" and (path.startswith(API_PREFIX) or path in OWN_CORS_PATHS):
                    if scope["method"] == "OPTIONS" and "access-control-request-method" in headers:
                        await self._preflight(send, origin)
                        return
                    send = _with_cors(send, origin)
            if scope["type"] == "http" and _CALLBACK.match(path):
                send = _with_login_reason(send, outcome)
            await self.app(scope, receive, send)
        finally:
            REQUEST_IDENTITY.reset(tokens[0])
            LOGIN_OUTCOME.reset(tokens[1])

    async def _refuse(self, scope: Scope, receive: Receive, send: Send, origin: str) -> None:
        transport = "websocket" if scope["type"] == "websocket" else (
            "socketio" if "/ws/socket.io" in scope.get("path", "") else "http")
        ORIGIN_REFUSED.labels(transport).inc()
        if scope["type"] == "websocket":
            await receive()  # websocket.connect
            await send({"type": "websocket.close", "code": 1008, "reason": "origin not allowed"})
            return
        body = json.dumps({"detail": f"Origin {origin} is not allowed for this tenant"}).encode()
        await send({"type": "http.response.start", "status": 403,
                    "headers": [(b"content-type", b"application/json"), (b"content-length", str(len(body)).encode()),
                                (b"vary", b"Origin")]})
        await send({"type": "http.response.body", "body": body})

    async def _preflight(self, send: Send, origin: str) -> None:
        await send({"type": "http.response.start", "status": 204, "headers": [
            (b"access-control-allow-origin", origin.encode()), (b"access-control-allow-credentials", b"true"),
            (b"access-control-allow-methods", b"POST, OPTIONS"),
            (b"access-control-allow-headers", b"authorization, content-type"),
            (b"access-control-max-age", b"600"), (b"vary", b"Origin")]})
        await send({"type": "http.response.body", "body": b""})


def normalize_or_none(origin: str) -> str | None:
    try:
        return normalize_origin(origin)
    except OriginError:
        return None


def _with_cors(send: Send, origin: str) -> Send:
    async def wrapped(message: Message) -> None:
        if message["type"] == "http.response.start":
            message.setdefault("headers", [])
            h = MutableHeaders(scope=message)
            h["access-control-allow-origin"] = origin
            h["access-control-allow-credentials"] = "true"
            h["access-control-expose-headers"] = "Retry-After"
            h.append("vary", "Origin")
        await send(message)

    return wrapped


def _with_login_reason(send: Send, outcome: dict[str, Any]) -> Send:
    async def wrapped(message: Message) -> None:
        code = outcome.get("code")
        if message["type"] == "http.response.start" and code and message.get("status") in (302, 303, 307):
            message.setdefault("headers", [])
            h = MutableHeaders(scope=message)
            location = h.get("location")
            if location and "error=" in location:
                parts = urlsplit(location)
                query = [(k, code if k == "error" else v) for k, v in parse_qsl(parts.query)]
                h["location"] = urlunsplit(parts._replace(query=urlencode(query)))
        await send(message)

    return wrapped
