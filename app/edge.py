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
- a refused sign-in's redirect to the login page carries the reason code (`noTenant`, `tenantDisabled`...);
- a request with a NUL character in its path, query or (JSON/form/text) body is refused with HTTP 400 before any
  handler sees it (PostgreSQL text cannot hold NUL; a handler would fail with a 500); such bodies over 1 MiB get 413;
- every server error (HTTP 5xx other than 503, or an exception) reaches the client as a generic JSON message with a
  correlation id (`app/errors.py`), whoever produced it (this app or Chainlit, e.g. its `PUT /feedback`); the original
  body or exception goes to the log under the same id. A session refused inside a route (`SessionInvalid`: removed
  or disabled user, revoked widget key) is HTTP 401 with its reason, not a server error.
"""

from __future__ import annotations

import asyncio
import json
import re
import time
from collections.abc import Callable
from typing import Any
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from starlette.datastructures import Headers, MutableHeaders
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from app import errors
from app.identity import LOGIN_OUTCOME, REQUEST_IDENTITY, RequestIdentity, SessionInvalid
from app.metrics import ORIGIN_REFUSED
from config import get_settings
from db.origins import OriginError, any_tenant_origins, list_origins, normalize_origin

_CALLBACK = re.compile(r"^/auth/oauth/[^/]+/callback$")
API_PREFIX = "/api/"
OWN_CORS_PATHS = ("/auth/jwt",)  # routes of this app (not Chainlit's, which answer CORS themselves) a widget calls
MAX_CHECKED_BODY = 1 << 20  # JSON/form/text request bodies are read whole (to look for NUL) up to this size
_CHECKED_TYPES = ("application/json", "application/x-www-form-urlencoded", "text/")
# A NUL in a body: the raw byte, or a JSON escape backslash-u0000 that is not itself an escaped backslash.
_NUL_IN_BODY = re.compile(rb"\x00|(?<!\\)(?:\\\\)*\\u0000")


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

    from app.tokens import TokenRejected, decode_session_token, verify

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
        return RequestIdentity(str(claims["email"]), {"tenant_id": str(claims["tid"]), "user_id": str(claims["sub"]),
                                                      "widget": True, "kid": str(claims["kid"]),
                                                      "expires_at": int(claims["exp"])})
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
            if scope["type"] == "http":
                refusal, receive = await _nul_check(scope, receive, headers)
                if refusal is not None:
                    await _send_json(send, refusal[0], {"detail": refusal[1]})
                    return
                await _ErrorShield(path)(self.app, scope, receive, send)
                return
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


async def _send_json(send: Send, status: int, payload: dict[str, Any]) -> None:
    body = json.dumps(payload).encode()
    await send({"type": "http.response.start", "status": status,
                "headers": [(b"content-type", b"application/json"), (b"content-length", str(len(body)).encode())]})
    await send({"type": "http.response.body", "body": body})


async def _nul_check(scope: Scope, receive: Receive, headers: Headers) -> tuple[tuple[int, str] | None, Receive]:
    """(status, message) when the request carries a NUL character (or a too large checked body), and the `receive`
    to pass on (the body, read here, is replayed)."""
    query: bytes = scope.get("query_string", b"")
    if "\x00" in scope.get("path", "") or b"\x00" in query or b"%00" in query.lower():
        return (400, "the request contains a NUL character"), receive
    content_type = (headers.get("content-type") or "").lower()
    if scope.get("method") not in ("POST", "PUT", "PATCH") or not content_type.startswith(_CHECKED_TYPES):
        return None, receive
    chunks: list[bytes] = []
    size = 0
    while True:
        message = await receive()
        if message["type"] != "http.request":
            break
        chunk = message.get("body", b"")
        size += len(chunk)
        if size > MAX_CHECKED_BODY:
            return (413, f"the request body is larger than {MAX_CHECKED_BODY} bytes"), receive
        chunks.append(chunk)
        if not message.get("more_body"):
            break
    body = b"".join(chunks)
    if _NUL_IN_BODY.search(body):
        return (400, "the request contains a NUL character"), receive
    replayed = False

    async def replay() -> Message:
        nonlocal replayed
        if not replayed:
            replayed = True
            return {"type": "http.request", "body": body, "more_body": False}
        return await receive()

    return None, replay


class _ErrorShield:
    """Turns a 5xx response (except 503, which means "not ready") or an exception into a generic JSON error with a
    correlation id; the original body or exception is logged under that id. A held 5xx answer is sent once the app
    has finished, so that a session refused deep inside a route (`SessionInvalid`: the user was removed or disabled,
    the widget key revoked; e.g. in Chainlit's history routes, which answer it with a 500 and re-raise it) becomes
    HTTP 401 with its reason instead."""

    def __init__(self, path: str) -> None:
        self.path = path
        self.started = False
        self.status = 0
        self.held: list[bytes] | None = None

    async def __call__(self, app: ASGIApp, scope: Scope, receive: Receive, send: Send) -> None:
        async def shielded(message: Message) -> None:
            if message["type"] == "http.response.start":
                self.started = True
                self.status = int(message.get("status", 200))
                if self.status >= 500 and self.status != 503:
                    self.held = []
                    return
            elif message["type"] == "http.response.body" and self.held is not None:
                self.held.append(message.get("body", b""))
                return
            await send(message)

        where = f"HTTP {scope.get('method')} {self.path}"
        try:
            await app(scope, receive, shielded)
        except SessionInvalid as exc:
            if not self.started or self.held is not None:
                await _send_json(send, 401, {"detail": f"sign in again: {exc}"})
            return
        except Exception as exc:  # noqa: BLE001 - every failure becomes a generic answer; details go to the log
            cid = errors.report(where, exc)
            if not self.started or self.held is not None:
                await _send_json(send, 500 if not self.started else self.status,
                                 {"detail": errors.client_message(cid), "correlation_id": cid})
            return
        if self.held is not None:
            original = b"".join(self.held)[:4000]
            cid = errors.report(where, detail=f"{self.status}: {original!r}")
            await _send_json(send, self.status, {"detail": errors.client_message(cid), "correlation_id": cid})
