"""Run guard-checked SQL in a tenant's read-only session with its row cap and a result-size cap on the server.

The guard (tools/sql_guard.py) bounds the row count with a LIMIT; it cannot bound the size of a row
(`SELECT lpad('a', 50000000, 'b') FROM generate_series(1, 3)` is a valid, cheap SELECT). `fetch_capped()` wraps the
checked query so PostgreSQL checks each row's size (`pg_column_size`) before sending it, keeps a running total for this
call (`sightline_result_fits`, migration 0008) and raises `program_limit_exceeded` as soon as the total passes
`max_bytes`: the rows past the cap are never sent, and the application never holds more than the cap.
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection


def capped_sql(sql_text: str) -> str:
    """The checked query wrapped with the server-side running-size check (same columns, same rows)."""
    return (f"SELECT q.* FROM ({sql_text}) AS q "
            f"WHERE sightline_result_fits(:sightline_call, pg_column_size(q.*), :sightline_max_bytes)")


def fetch_capped(conn: Connection, sql_text: str, params: Mapping[str, Any], *, max_rows: int, max_bytes: int,
                 ) -> tuple[list[str], list[tuple[Any, ...]], bool]:
    """Execute `sql_text` (already guard-checked) on `conn`; return (columns, at most max_rows rows, truncated).

    Raises the database error (SQLSTATE 54000, program_limit_exceeded) when the result passes `max_bytes`.
    """
    result = conn.execute(sa.text(capped_sql(sql_text)),
                          {**params, "sightline_call": uuid.uuid4().hex, "sightline_max_bytes": int(max_bytes)})
    columns = list(result.keys())
    rows = [tuple(r) for r in result.fetchmany(max_rows + 1)]
    return columns, rows[:max_rows], len(rows) >= max_rows  # the guard's LIMIT is max_rows: reaching it = capped
