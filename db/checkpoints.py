"""Conversation memory storage: a LangGraph Postgres checkpointer on a connection bound to one tenant (RLS)."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import psycopg
from psycopg.rows import dict_row
from sqlalchemy.engine import make_url

from db import tenant_context
from db.engine import app_url
from db.principal import Principal


def thread_key(principal: Principal, thread_id: str) -> str:
    """The stored thread id: tenant and user come from the Principal, only the last part from the caller."""
    if not thread_id or len(thread_id) > 200 or any(c.isspace() for c in thread_id):
        raise ValueError("thread id must be 1-200 characters without spaces")
    return f"{principal.tenant_id}:{principal.user_id}:{thread_id}"


def _libpq_dsn() -> str:
    url = make_url(app_url())
    return url.set(drivername="postgresql").render_as_string(hide_password=False)


@asynccontextmanager
async def tenant_checkpointer(principal: Principal) -> AsyncIterator[object]:
    """An AsyncPostgresSaver whose own connection has app.tenant_id set for its whole life (one chat turn).

    The saver works in autocommit, so the tenant is set at session level on a connection opened for this turn
    and closed afterwards (never returned to a pool): RLS on the checkpoint tables then hides every other
    tenant's threads even from a forged thread id.
    """
    from langgraph.checkpoint.postgres.aio import AsyncPostgresSaver

    conn = await psycopg.AsyncConnection.connect(_libpq_dsn(), autocommit=True, prepare_threshold=0,
                                                 row_factory=dict_row)
    try:
        tid = str(principal.tenant_id)
        cur = await conn.execute("SELECT sightline_backend_nonce()")
        nonce = (await cur.fetchone())["sightline_backend_nonce"]
        await conn.execute(
            "SELECT set_config('app.tenant_id', %s, false), set_config('app.user_role', '', false), "
            "set_config('app.tenant_proof', %s, false)", (tid, tenant_context.proof(nonce, tid, "")))
        yield AsyncPostgresSaver(conn)
    finally:
        await conn.close()
