"""Run guard-checked SQL in a tenant's read-only session with its row cap and a result-size cap on the server.

The guard (tools/sql_guard.py) bounds the row count with a LIMIT; it cannot bound the size of a row
(`SELECT lpad('a', 50000000, 'b') FROM generate_series(1, 3)` is a valid, cheap SELECT). `fetch_capped()` wraps the
checked query so PostgreSQL keeps a running total of the rows' sizes and raises `program_limit_exceeded` as soon as it
passes `max_bytes`, before those bytes are sent: the application never holds more than about the cap.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection

BYTES_COLUMN = "sightline_result_bytes"


def capped_sql(sql_text: str) -> str:
    """The checked query wrapped with the server-side running-size check (its rows, plus one bytes column)."""
    return (f"SELECT r.* FROM (SELECT q.*, sum(pg_column_size(q.*)) OVER (ROWS UNBOUNDED PRECEDING) "
            f"AS {BYTES_COLUMN} FROM ({sql_text}) AS q) AS r "
            f"WHERE sightline_result_fits(r.{BYTES_COLUMN}, :sightline_max_bytes)")


def fetch_capped(conn: Connection, sql_text: str, params: Mapping[str, Any], *, max_rows: int, max_bytes: int,
                 ) -> tuple[list[str], list[tuple[Any, ...]], bool]:
    """Execute `sql_text` (already guard-checked) on `conn`; return (columns, at most max_rows rows, truncated).

    Raises the database error (SQLSTATE 54000, program_limit_exceeded) when the result passes `max_bytes`.
    """
    result = conn.execute(sa.text(capped_sql(sql_text)), {**params, "sightline_max_bytes": int(max_bytes)})
    columns = list(result.keys())[:-1]
    rows = [tuple(r)[:-1] for r in result.fetchmany(max_rows + 1)]
    return columns, rows[:max_rows], len(rows) >= max_rows  # the guard's LIMIT is max_rows: reaching it = capped
