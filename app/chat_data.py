"""Sightline's Chainlit data layer: chat history and feedback through `db.chat_store`, for the signed-in caller only.

Chainlit calls a data layer without saying who asks, so every method first resolves the caller: the signed session
token of the websocket session (verified again on every call, so an expired session stops), or the verified identity
of the HTTP request (app/edge.py); with neither it refuses. Chainlit's own session user is not trusted for this: it is
rebuilt from `get_user` and would lose a widget session's limits. Each call then runs as that Principal, under
row-level security, and `db.chat_store` checks that the thread belongs to the caller (and, for a widget session, was
made through the widget unless its key's tenant opted in). Errors propagate (and are counted in /metrics), never
swallowed. Writes to one thread are applied in the order Chainlit issued them (Chainlit fires them as concurrent tasks).
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any, TypeVar

from chainlit.context import ChainlitContextException, context
from chainlit.data.base import BaseDataLayer
from chainlit.data.utils import queue_until_user_message
from chainlit.session import WebsocketSession
from chainlit.types import Feedback, PageInfo, PaginatedResponse, Pagination, ThreadDict, ThreadFilter
from chainlit.user import PersistedUser, User

from app.identity import REQUEST_IDENTITY, RequestIdentity, SessionInvalid, principal_for_session, session_metadata
from app.metrics import FEEDBACK, STORE_ERRORS
from app.tokens import decode_session_token
from db import chat_store, ratelimit, registry
from db.principal import Principal

log = logging.getLogger(__name__)
T = TypeVar("T")


def _session_tokens(session: Any) -> list[str]:
    """The websocket session's signed tokens: the cookie of its current connection, then the one it connected with."""
    tokens = []
    environ = getattr(session, "environ", None) or {}
    cookie_header = environ.get("HTTP_COOKIE") if isinstance(environ, dict) else None
    if cookie_header:
        from chainlit.auth.cookie import get_token_from_cookies
        from starlette.requests import cookie_parser

        token = get_token_from_cookies(cookie_parser(cookie_header))
        if token:
            tokens.append(token)
    if getattr(session, "token", None):
        tokens.append(session.token)
    return tokens


def caller_identity() -> RequestIdentity | None:
    """The websocket session's verified identity when Chainlit has a session in context, else the HTTP request's."""
    try:
        session = context.session
    except ChainlitContextException:
        return REQUEST_IDENTITY.get()
    if not isinstance(session, WebsocketSession) or session.user is None:
        return REQUEST_IDENTITY.get()
    for token in _session_tokens(session):
        identity = decode_session_token(token)
        if identity is not None and identity.identifier == session.user.identifier:
            return identity
    return None  # signed in, but the session's token has expired


async def current_principal() -> Principal:
    """The caller's Principal, resolved again from the registry; SessionInvalid when nobody (valid) is signed in."""
    identity = caller_identity()
    if identity is None:
        raise SessionInvalid("no signed-in user for this request")
    return await asyncio.to_thread(principal_for_session, identity.identifier, identity.metadata)


class SightlineDataLayer(BaseDataLayer):
    """Chat history in PostgreSQL (Alembic-managed tables under RLS), scoped to the caller."""

    def __init__(self) -> None:
        self._locks: dict[str, asyncio.Lock] = {}

    def _lock(self, key: str) -> asyncio.Lock:
        if len(self._locks) > 10_000:
            self._locks = {k: v for k, v in self._locks.items() if v.locked()}
        return self._locks.setdefault(key, asyncio.Lock())

    async def _run(self, operation: str, fn: Callable[..., T], *args: Any, **kwargs: Any) -> T:
        try:
            principal = await current_principal()
            return await asyncio.to_thread(fn, principal, *args, **kwargs)
        except Exception:
            STORE_ERRORS.labels(operation).inc()
            log.exception("chat history %s failed", operation)
            raise

    # users (created at sign-in by app.identity.login; Chainlit only looks them up)

    async def get_user(self, identifier: str) -> PersistedUser | None:
        user = await asyncio.to_thread(registry.find_user, identifier)
        if user is None:
            return None
        principal = Principal(user_id=user.id, tenant_id=user.tenant.id, tenant_slug=user.tenant.slug,
                              email=user.email, roles=frozenset({user.role}))
        metadata = session_metadata(principal)
        identity = REQUEST_IDENTITY.get()
        if identity is not None and identity.identifier == user.email and identity.metadata.get("widget"):
            metadata = dict(identity.metadata)  # a widget session shows itself as one (member, its key, its expiry)
        return PersistedUser(id=str(user.id), identifier=user.email, createdAt=datetime.now(UTC).isoformat(),
                             metadata=metadata)

    async def create_user(self, user: User) -> PersistedUser | None:
        persisted = await self.get_user(user.identifier)
        if persisted is None:
            raise SessionInvalid(f"{user.identifier} is not a Sightline user (users are added at sign-in)")
        return persisted

    # threads

    async def get_thread_author(self, thread_id: str) -> str:
        return await self._run("get_thread_author", chat_store.thread_owner_email, thread_id) or ""

    async def get_thread(self, thread_id: str) -> ThreadDict | None:
        return await self._run("get_thread", chat_store.get_thread, thread_id)  # type: ignore[return-value]

    async def list_threads(self, pagination: Pagination, filters: ThreadFilter) -> PaginatedResponse[ThreadDict]:
        principal = await current_principal()
        if filters.userId and filters.userId != str(principal.user_id):
            raise PermissionError("threads can only be listed for the signed-in user")
        page = await self._run("list_threads", chat_store.list_threads, first=pagination.first,
                               cursor=pagination.cursor, search=filters.search, feedback=filters.feedback)
        return PaginatedResponse(pageInfo=PageInfo(hasNextPage=page.has_next, startCursor=page.start_cursor,
                                                   endCursor=page.end_cursor), data=page.threads)

    async def update_thread(self, thread_id: str, name: str | None = None, user_id: str | None = None,
                            metadata: dict | None = None, tags: list[str] | None = None) -> None:
        async with self._lock(thread_id):
            await self._run("update_thread", chat_store.upsert_thread, thread_id, name=name, metadata=metadata,
                            tags=tags, user_id=user_id)

    async def delete_thread(self, thread_id: str) -> None:
        async with self._lock(thread_id):
            await self._run("delete_thread", chat_store.delete_thread, thread_id)

    # steps (messages and tool steps)

    @queue_until_user_message()
    async def create_step(self, step_dict: dict) -> None:
        async with self._lock(str(step_dict.get("threadId"))):
            await self._run("create_step", chat_store.upsert_step, step_dict)

    @queue_until_user_message()
    async def update_step(self, step_dict: dict) -> None:
        async with self._lock(str(step_dict.get("threadId"))):
            await self._run("update_step", chat_store.upsert_step, step_dict)

    @queue_until_user_message()
    async def delete_step(self, step_id: str) -> None:
        await self._run("delete_step", chat_store.delete_step, step_id)

    async def get_favorite_steps(self, user_id: str) -> list[dict]:
        return await self._run("get_favorite_steps", chat_store.favorite_steps)

    # elements (descriptions only: file uploads are switched off)

    @queue_until_user_message()
    async def create_element(self, element: Any) -> None:
        data = element.to_dict() if hasattr(element, "to_dict") else dict(element)
        async with self._lock(str(data.get("threadId"))):
            await self._run("create_element", chat_store.upsert_element, data)

    async def get_element(self, thread_id: str, element_id: str) -> dict | None:
        return await self._run("get_element", chat_store.get_element, thread_id, element_id)

    @queue_until_user_message()
    async def delete_element(self, element_id: str, thread_id: str | None = None) -> None:
        await self._run("delete_element", chat_store.delete_element, element_id)

    # feedback

    async def upsert_feedback(self, feedback: Feedback) -> str:
        principal = await current_principal()
        await asyncio.to_thread(ratelimit.enforce, principal, action="feedback")  # as POST /api/feedback
        feedback_id = await self._run("upsert_feedback", chat_store.upsert_feedback, feedback.forId,
                                      int(feedback.value), feedback.comment, feedback.threadId)
        FEEDBACK.labels("up" if int(feedback.value) == 1 else "down").inc()
        return feedback_id

    async def delete_feedback(self, feedback_id: str) -> bool:
        return await self._run("delete_feedback", chat_store.delete_feedback, feedback_id)

    async def build_debug_url(self) -> str:
        return ""

    async def close(self) -> None:
        return None
