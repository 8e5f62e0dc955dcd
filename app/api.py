"""REST API for customer apps: widget tokens (API key), chat as server-sent events, feedback; widget sign-in.

- `POST /api/widget-token` (Authorization: Bearer <tenant API key>, body {"email"}) mints a short-lived token for
  one existing user of the key's tenant. Anyone else (an unknown e-mail, a user of another tenant) gets the same 403,
  so a key cannot create users, capture another tenant's addresses, or probe which addresses exist elsewhere. The
  token carries member rights only (never admin) and the key's id; the widget model is in docs/security.md.
- `POST /api/chat` (Bearer widget token, or the chat session cookie; body {"message", "thread_id"?}) streams the
  agent's events as SSE; the last one, `final`, is the object `sightline ask --json` prints plus `message_id`.
  Over the rate limit: HTTP 429 with Retry-After.
- `POST /api/feedback` ({"message_id", "value": 1|0 or "up"|"down", "comment"?}) rates one of the caller's answers.
- `POST /auth/jwt` replaces Chainlit's route of the same name: the Copilot widget's accessToken is a widget token,
  verified here (authlib), and exchanged for a chat session cookie that expires when the token does and stops when
  the key is revoked (checked on every use).

Every route is rate limited (per user, per API key, per tenant; separate buckets for chat, feedback, minting and
widget sign-in). Request bodies with NUL characters are refused with 400. A failure after the SSE stream started is
reported as a generic `error` event with a correlation id; the details go to the log.
"""

from __future__ import annotations

import asyncio
import json
import time
import uuid
from collections.abc import AsyncIterator
from datetime import UTC, datetime
from typing import Any, Literal

from fastapi import APIRouter, HTTPException, Request
from fastapi.responses import JSONResponse, Response, StreamingResponse
from pydantic import BaseModel, Field, field_validator

import agents
from app import errors, turns
from app.identity import (
    REQUEST_IDENTITY,
    SessionInvalid,
    as_widget,
    principal_for_session,
    widget_session_metadata,
)
from app.metrics import FEEDBACK, INPUT_REJECTED, RATE_LIMITED, TURN_SECONDS, TURNS, WIDGET_TOKENS
from app.tokens import TokenRejected, decode_session_token, mint, principal_from_token, verify, widget_session_token
from db import api_keys, chat_store, ratelimit, registry
from db.principal import Principal
from db.ratelimit import RateLimited
from safety.input_checks import InputRejected

router = APIRouter()
NOT_MINTABLE = "this e-mail is not a user of the API key's tenant (add users with `sightline user add`)"


class _NoNul(BaseModel):
    """Request bodies whose text fields may not hold NUL characters (PostgreSQL text cannot store them)."""

    @field_validator("*", mode="before")
    @classmethod
    def _no_nul(cls, value: Any) -> Any:
        if isinstance(value, str) and "\x00" in value:
            raise ValueError("must not contain NUL characters")
        return value


class WidgetTokenRequest(_NoNul):
    email: str = Field(max_length=320)


class ChatRequest(_NoNul):
    message: str
    thread_id: str | None = Field(default=None, min_length=1, max_length=200)


class FeedbackRequest(_NoNul):
    message_id: str = Field(max_length=200)
    value: Literal[0, 1, "up", "down"]
    comment: str | None = Field(default=None, max_length=chat_store.MAX_COMMENT)


def _bearer(request: Request) -> str | None:
    scheme, _, token = (request.headers.get("authorization") or "").partition(" ")
    return token.strip() if scheme.lower() == "bearer" and token.strip() else None


async def caller(request: Request) -> Principal:
    """The Principal of a REST call: a Bearer widget (or session) token, else the chat session cookie; 401 otherwise."""
    token = _bearer(request)
    try:
        if token:
            session = decode_session_token(token)
            if session is not None:
                return await asyncio.to_thread(principal_for_session, session.identifier, session.metadata)
            return await asyncio.to_thread(principal_from_token, token)
        identity = REQUEST_IDENTITY.get()
        if identity is None:
            raise SessionInvalid("sign in, or send a widget token as 'Authorization: Bearer <token>'")
        return await asyncio.to_thread(principal_for_session, identity.identifier, identity.metadata)
    except (TokenRejected, SessionInvalid) as exc:
        raise HTTPException(status_code=401, detail=str(exc), headers={"WWW-Authenticate": "Bearer"}) from exc


def _limited(exc: RateLimited, channel: str) -> JSONResponse:
    RATE_LIMITED.labels(channel).inc()
    return JSONResponse({"detail": str(exc), "retry_after_s": exc.retry_after_seconds}, status_code=429,
                        headers={"Retry-After": str(exc.retry_after_seconds)})


def _existing_user(grant: api_keys.ApiKeyGrant, email: str) -> Principal:
    """The key's tenant's existing user with this e-mail, as a widget Principal; PermissionError for anyone else.

    Unknown e-mails and other tenants' users get the same refusal (no user is created, nothing is revealed).
    """
    if not registry.EMAIL_RE.match(email.strip().lower()):
        raise ValueError(f"{email!r} is not an e-mail address")
    existing = registry.find_user(email)
    if existing is None or existing.tenant.id != grant.tenant.id:
        raise PermissionError(NOT_MINTABLE)
    return as_widget(registry.principal_for(email), grant.prefix, grant.history)


@router.post("/api/widget-token", response_model=None)
async def widget_token(request: Request, body: WidgetTokenRequest) -> dict[str, Any] | JSONResponse:
    key = _bearer(request) or request.headers.get("x-api-key")
    grant = await asyncio.to_thread(api_keys.authenticate, key or "")
    if grant is None:
        WIDGET_TOKENS.labels("bad_key").inc()
        raise HTTPException(status_code=401, detail="a valid API key is required (Authorization: Bearer slk_...)")
    try:  # per key and per tenant, before the user is even looked up
        await asyncio.to_thread(ratelimit.enforce, grant.tenant.id, None, key_id=grant.prefix, action="mint")
    except RateLimited as exc:
        return _limited(exc, "mint")
    try:
        principal = await asyncio.to_thread(_existing_user, grant, body.email)
    except PermissionError as exc:
        WIDGET_TOKENS.labels("not_a_user").inc()
        raise HTTPException(status_code=403, detail=str(exc)) from exc
    except (ValueError, registry.RegistryError) as exc:
        WIDGET_TOKENS.labels("invalid").inc()
        raise HTTPException(status_code=400, detail="the e-mail address is not valid") from exc
    token, ttl = await asyncio.to_thread(mint, principal, grant.prefix)
    WIDGET_TOKENS.labels("issued").inc()
    return {"token": token, "token_type": "Bearer", "expires_in": ttl, "tenant": principal.tenant_slug,
            "email": principal.email}


def _sse(event: dict[str, Any]) -> bytes:
    return f"event: {event.get('type', 'message')}\ndata: {json.dumps(event, default=str)}\n\n".encode()


def _now_iso() -> str:
    return datetime.now(UTC).isoformat().replace("+00:00", "Z")


async def _stream(principal: Principal, body: ChatRequest, thread_id: str) -> AsyncIterator[bytes]:
    t0 = time.perf_counter()
    question_id = str(uuid.uuid4())
    try:
        await asyncio.to_thread(chat_store.upsert_thread, principal, thread_id, default_name=body.message[:100])
        await asyncio.to_thread(chat_store.upsert_step, principal, {
            "id": question_id, "threadId": thread_id, "type": "user_message", "name": principal.email,
            "output": body.message, "createdAt": _now_iso()})
        async for event in agents.answer(principal, body.message, thread_id=thread_id):
            if event.get("type") != "final":
                yield _sse(turns.public_event(event))
                continue
            message_id = str(uuid.uuid4())
            await asyncio.to_thread(chat_store.upsert_step, principal, {
                "id": message_id, "threadId": thread_id, "parentId": question_id, "type": "assistant_message",
                "name": "Sightline", "output": event.get("answer") or "", "createdAt": _now_iso(),
                "metadata": turns.answer_metadata(event)})
            route = str(event.get("route"))
            TURNS.labels("api", route).inc()
            TURN_SECONDS.labels(route).observe(time.perf_counter() - t0)
            safe = await asyncio.to_thread(turns.guarded_final, principal, event)
            yield _sse({"type": "final", **turns.final_payload(safe), "message_id": message_id})
    except Exception as exc:  # noqa: BLE001 - the stream has started: report the failure as its last event
        cid = errors.report("chat turn (SSE)", exc)
        yield _sse({"type": "error", "error": errors.client_message(cid), "correlation_id": cid})


@router.post("/api/chat")
async def chat(request: Request, body: ChatRequest) -> Response:
    principal = await caller(request)
    try:
        await turns.admit(principal, body.message)
    except RateLimited as exc:
        return _limited(exc, "api")
    except InputRejected as exc:
        INPUT_REJECTED.labels("api").inc()
        return JSONResponse({"detail": str(exc)}, status_code=400)
    thread_id = body.thread_id or uuid.uuid4().hex
    try:
        owner = await asyncio.to_thread(chat_store.thread_owner_email, principal, thread_id)
        if owner is None and body.thread_id:
            await asyncio.to_thread(chat_store.upsert_thread, principal, thread_id)
    except (chat_store.NotYours, ValueError) as exc:
        raise HTTPException(status_code=404, detail="no such conversation") from exc
    return StreamingResponse(_stream(principal, body, thread_id), media_type="text/event-stream",
                             headers={"Cache-Control": "no-cache", "X-Accel-Buffering": "no"})


@router.post("/api/feedback", response_model=None)
async def feedback(request: Request, body: FeedbackRequest) -> dict[str, Any] | JSONResponse:
    principal = await caller(request)
    try:
        await asyncio.to_thread(ratelimit.enforce, principal, action="feedback")
    except RateLimited as exc:
        return _limited(exc, "feedback")
    value = 1 if body.value in (1, "up") else 0
    try:
        feedback_id = await asyncio.to_thread(chat_store.upsert_feedback, principal, body.message_id, value,
                                              body.comment)
    except chat_store.NotYours as exc:
        raise HTTPException(status_code=404, detail=str(exc)) from exc
    FEEDBACK.labels("up" if value else "down").inc()
    return {"feedback_id": feedback_id, "value": value}


@router.post("/auth/jwt")
async def widget_sign_in(request: Request) -> Response:
    """The Copilot widget's sign-in: a widget token in, a chat session cookie out (ending when the token ends)."""
    from chainlit.auth import set_auth_cookie

    token = _bearer(request)
    if not token:
        raise HTTPException(status_code=401, detail="Authorization: Bearer <widget token> is required")
    try:
        claims = await asyncio.to_thread(verify, token)
        principal = await asyncio.to_thread(principal_from_token, token)
    except TokenRejected as exc:
        raise HTTPException(status_code=401, detail=str(exc)) from exc
    try:
        await asyncio.to_thread(ratelimit.enforce, principal, action="signin")
    except RateLimited as exc:
        return _limited(exc, "signin")
    expires_at = int(claims["exp"])
    metadata = widget_session_metadata(principal, str(principal.key_id), expires_at)
    session = widget_session_token(principal, principal.email, metadata, expires_at)
    response = JSONResponse({"success": True, "expires_at": expires_at})
    set_auth_cookie(request, response, session)
    return response
