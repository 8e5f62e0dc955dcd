"""Execution of checked SQL: the one place the SQL tool touches the database for an answer.

`execute()` runs guard-checked SQL (from tools/sql/compile.py or the model path) in
`tenant_session(principal.tenant_id, readonly=True, statement_timeout_ms=...)`: the SELECT-only reader role, a
read-only transaction, row-level security on the caller's tenant, a statement timeout, the row cap and the server-side
result-size cap (tools/sql_fetch.py, `SIGHTLINE_SQL_MAX_RESULT_BYTES`). A database error becomes `QueryFailed` with a
plain message (timeout, too large, not allowed), never a stack trace.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from typing import Any

import sqlalchemy as sa

from config import get_settings
from db.principal import Principal
from db.session import tenant_session
from tools.sql_fetch import fetch_capped

__all__ = ["QueryFailed", "db_message", "execute"]

log = logging.getLogger(__name__)


class QueryFailed(Exception):
    """The query did not run to the end; `message` says why in words a user understands."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def db_message(error: BaseException, timeout_ms: int) -> str:
    orig = getattr(error, "orig", None)
    name = type(orig).__name__ if orig is not None else type(error).__name__
    detail = str(orig if orig is not None else error).strip().splitlines()
    first = detail[0] if detail else name
    if name == "QueryCanceled":
        return (f"The query was stopped after {timeout_ms / 1000:g} s (the statement timeout). "
                "Ask for a shorter period, fewer stores or a simpler breakdown.")
    if name == "InsufficientPrivilege":
        return f"The query tried to read something the SQL tool may not read ({first})."
    if name == "ProgramLimitExceeded":
        return (f"The result is too large to show ({first}). "
                "Ask for fewer rows or columns, or a summary instead of the raw values.")
    if name == "ReadOnlySqlTransaction":
        return "The query tried to change data; the SQL tool only reads."
    if isinstance(error, sa.exc.DBAPIError) and not isinstance(error, sa.exc.InterfaceError):
        return f"The database could not run the query: {first}"
    return "The database could not be reached; please try again in a moment."


def execute(principal: Principal, sql_text: str, params: Mapping[str, Any], *, timeout_ms: int, max_rows: int,
            ) -> tuple[list[str], list[tuple[Any, ...]], bool]:
    """Run checked SQL as the reader role in the tenant's read-only session; (columns, rows, truncated)."""
    try:
        with tenant_session(principal.tenant_id, readonly=True, statement_timeout_ms=timeout_ms) as conn:
            return fetch_capped(conn, sql_text, params, max_rows=max_rows,
                                max_bytes=get_settings().sql_max_result_bytes)
    except sa.exc.SQLAlchemyError as error:
        log.info("SQL tool query failed: %s", type(getattr(error, "orig", error)).__name__)
        raise QueryFailed(db_message(error, timeout_ms)) from None
