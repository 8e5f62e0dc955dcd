"""Attack tests for the result-size wall: a cheap query that returns huge rows is stopped by the server, before the
bytes reach the application (tools/sql_fetch.py), both directly as the reader role and through the model-SQL path."""

from __future__ import annotations

from datetime import date

import pytest
import sqlalchemy as sa
from langchain_core.language_models.fake_chat_models import GenericFakeChatModel

from db import registry
from db.principal import Principal
from db.session import tenant_session
from tools.sql_fetch import fetch_capped
from tools.sql_tool import run_sql_tool

BOMB = "SELECT lpad('a', 50000000, 'b') AS x FROM generate_series(1, 3) LIMIT 3"


@pytest.fixture(scope="module")
def nw(demo: dict) -> Principal:
    return registry.principal_for("ava.admin@northwind-optics.example")


def test_server_refuses_a_result_over_the_cap(nw):
    with tenant_session(nw.tenant_id, readonly=True) as conn:
        with pytest.raises(sa.exc.DBAPIError) as caught:
            fetch_capped(conn, BOMB, {}, max_rows=10, max_bytes=1_000_000)
    # SQLSTATE 54000 is raised by the server-side check: the rows were never sent to the application.
    assert caught.value.orig.sqlstate == "54000"
    assert "larger than the 1000000-byte cap" in str(caught.value.orig)


def test_many_rows_under_the_cap_each_are_refused_together(nw):
    """The cap is on the running total: ten rows of 400 kB pass one by one but not together."""
    sql = "SELECT lpad('a', 400000, 'b') AS x FROM generate_series(1, 10) LIMIT 10"
    with tenant_session(nw.tenant_id, readonly=True) as conn:
        with pytest.raises(sa.exc.DBAPIError) as caught:
            fetch_capped(conn, sql, {}, max_rows=10, max_bytes=1_000_000)
        assert caught.value.orig.sqlstate == "54000"
    with tenant_session(nw.tenant_id, readonly=True) as conn:  # a second call in one transaction starts from zero
        for _ in range(2):
            _, rows, _ = fetch_capped(conn, sql.replace("10) LIMIT 10", "2) LIMIT 2"), {}, max_rows=10,
                                      max_bytes=1_000_000)
            assert len(rows) == 2


def test_results_under_the_cap_are_unchanged(nw):
    sql = "SELECT store_code, count(*) AS n FROM sales GROUP BY store_code ORDER BY store_code LIMIT 50"
    with tenant_session(nw.tenant_id, readonly=True) as conn:
        expected = [tuple(r) for r in conn.execute(sa.text(sql)).all()]
        columns, rows, truncated = fetch_capped(conn, sql, {}, max_rows=50, max_bytes=1_000_000)
    assert columns == ["store_code", "n"] and rows == expected and rows and not truncated


def test_row_cap_still_applies(nw):
    with tenant_session(nw.tenant_id, readonly=True) as conn:
        columns, rows, truncated = fetch_capped(conn, "SELECT g FROM generate_series(1, 5) g LIMIT 3", {},
                                                max_rows=3, max_bytes=1_000_000)
    assert rows == [(1,), (2,), (3,)] and truncated


def test_model_written_memory_bomb_gets_a_clear_message(nw):
    fake = GenericFakeChatModel(messages=iter([f"```sql\n{BOMB}\n```"] * 3))  # FAKE chat model: writes the bomb
    result = run_sql_tool(nw, "Show me a long text", chat_model=fake, prefer_llm=True, today=date(2025, 6, 30))
    assert result.error is not None and "too large" in result.error
    assert result.rows == [] and "Traceback" not in result.answer_text
