"""The audit log on the real database: members write but cannot read (Python check and RLS), admins read only their
own tenant, tool inputs are stored redacted, guard actions are counts only, and the `sightline audit` CLI."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta

import pytest
import sqlalchemy as sa
from typer.testing import CliRunner

from app.cli import cli
from app.cli_audit import parse_since
from db import audit, registry
from db.engine import admin_engine
from db.principal import Principal
from db.session import tenant_session

runner = CliRunner()
RAW_INPUT = "SELECT * FROM sales WHERE note = 'John Smith, 555-123-4567' AND store_code = 'WG1'"


@pytest.fixture(scope="module")
def people(database: str) -> dict[str, Principal]:
    registry.add_tenant("aud-a", "Audit A")
    registry.add_tenant("aud-b", "Audit B")
    out = {}
    for name, slug, role in (("admin_a", "aud-a", "admin"), ("member_a", "aud-a", "member"),
                             ("admin_b", "aud-b", "admin")):
        email = f"{name}@{slug}.example"
        registry.add_user(email, slug, role)
        out[name] = registry.principal_for(email)
    # Every turn writes a row, whoever asks: members too.
    audit.record(out["member_a"], event="turn", route="sql", tool_input=RAW_INPUT, rows_returned=3,
                 model="local-small", latency_ms=812.4, guard_actions={"PERSON": 2}, flags=["sql_payload"])
    audit.record(out["admin_a"], event="turn", route="docs", tool_input="remake policy for varifocals",
                 rows_returned=4, model="local-small", latency_ms=95)
    audit.record(out["admin_b"], event="turn", route="industry", tool_input="b-secret-question", model="m")
    audit.record(out["member_a"], event="rate_limited")
    return out


def truth(tenant_id) -> list[dict]:
    """Ground truth, read as the admin (superuser), which bypasses RLS."""
    with admin_engine().connect() as conn:
        rows = conn.execute(sa.text("SELECT * FROM audit_log WHERE tenant_id = :t ORDER BY id"), {"t": tenant_id})
        return [dict(r) for r in rows.mappings()]


def test_member_writes_but_cannot_read_python_check(people):
    member = people["member_a"]
    assert {r["event"] for r in truth(member.tenant_id) if r["user_id"] == member.user_id} == {"turn", "rate_limited"}
    with pytest.raises(PermissionError, match="only tenant admins can read the audit log"):
        audit.read(member)


@pytest.mark.parametrize("role", ["member", None])
def test_member_cannot_read_rls(people, role):
    """The database refuses too: a session without app.user_role = 'admin' sees no audit rows at all."""
    a = people["member_a"].tenant_id
    assert len(truth(a)) == 3
    with tenant_session(a, role=role) as conn:
        assert conn.execute(sa.text("SELECT count(*) FROM audit_log")).scalar_one() == 0
        # Inserting stays allowed (every turn writes a row) ...
        conn.execute(sa.text("INSERT INTO audit_log (event) VALUES ('probe')"))
        # ... but not with RETURNING, which would read the row back.
        with pytest.raises(sa.exc.DBAPIError, match="row-level security"):
            with conn.begin_nested():
                conn.execute(sa.text("INSERT INTO audit_log (event) VALUES ('probe') RETURNING tool_input"))
        conn.rollback()
    with tenant_session(a, role="admin") as conn:
        assert conn.execute(sa.text("SELECT count(*) FROM audit_log")).scalar_one() == 3


def test_admin_reads_only_own_tenant(people):
    a_rows = audit.read(people["admin_a"])
    assert [r.route for r in a_rows] == [None, "docs", "sql"]  # newest first
    assert all("b-secret" not in (r.tool_input or "") for r in a_rows)
    assert {r.user_email for r in a_rows} == {"admin_a@aud-a.example", "member_a@aud-a.example"}
    b_rows = audit.read(people["admin_b"])
    assert [r.tool_input for r in b_rows] == ["b-secret-question"]
    # Even an admin-role session cannot reach the other tenant's rows by asking for them.
    with tenant_session(people["admin_a"].tenant_id, role="admin") as conn:
        assert conn.execute(sa.text("SELECT count(*) FROM audit_log WHERE tenant_id = :b"),
                            {"b": people["admin_b"].tenant_id}).scalar_one() == 0


def test_tool_input_is_stored_redacted(people):
    stored = [r for r in truth(people["member_a"].tenant_id) if r["route"] == "sql"]
    assert len(stored) == 1
    row = stored[0]
    assert "John" not in json.dumps(row, default=str) and "555-123-4567" not in json.dumps(row, default=str)
    text = row["tool_input"] + json.dumps(row["details"])  # (ids and timestamps may contain digits like 555)
    for raw in ("John", "Smith", "555", "123", "4567"):
        assert raw not in text
    assert "<PERSON>" in row["tool_input"] and "<PHONE_NUMBER>" in row["tool_input"]
    assert "store_code = 'WG1'" in row["tool_input"]  # the rest of the SQL survives
    assert row["details"] == {"guard_actions": {"PERSON": 2}, "flags": ["sql_payload"],
                              "input_redactions": {"PERSON": 1, "PHONE_NUMBER": 1}}
    assert (row["rows_returned"], row["model"], row["latency_ms"]) == (3, "local-small", 812)


@pytest.mark.parametrize("kwargs, message", [
    ({"guard_actions": {"John Smith": 1}}, "entity types"),
    ({"guard_actions": {"PERSON": "John"}}, "count"),
    ({"flags": ["call 555-123-4567"]}, "flags must be names"),
    ({"event": "Turn with John"}, "event must be"),
])
def test_values_that_could_carry_pii_are_refused(people, kwargs, message):
    before = len(truth(people["member_a"].tenant_id))
    with pytest.raises(ValueError, match=message):
        audit.record(people["member_a"], **{"event": "turn", **kwargs})
    assert len(truth(people["member_a"].tenant_id)) == before


def test_since_and_limit(people):
    admin = people["admin_a"]
    assert len(audit.read(admin, limit=2)) == 2
    assert audit.read(admin, since=datetime.now(UTC) + timedelta(hours=1)) == []
    assert len(audit.read(admin, since=datetime.now(UTC) - timedelta(hours=1))) == 3
    with pytest.raises(ValueError, match="limit"):
        audit.read(admin, limit=0)


def test_tenant_session_rejects_unknown_roles(people):
    with pytest.raises(ValueError, match="role must be one of"):
        with tenant_session(people["admin_a"].tenant_id, role="superuser"):
            pass


def test_parse_since():
    now = datetime(2026, 3, 10, 12, 0, tzinfo=UTC)
    assert parse_since("24h", now) == datetime(2026, 3, 9, 12, 0, tzinfo=UTC)
    assert parse_since("7d", now) == datetime(2026, 3, 3, 12, 0, tzinfo=UTC)
    assert parse_since("30m", now) == datetime(2026, 3, 10, 11, 30, tzinfo=UTC)
    assert parse_since("2026-01-01") == datetime(2026, 1, 1, tzinfo=UTC)
    assert parse_since("2026-01-01T08:30+02:00") == datetime(2026, 1, 1, 6, 30, tzinfo=UTC)
    assert parse_since(None) is None


def test_cli_prints_the_tenants_audit_table(people):
    r = runner.invoke(cli, ["audit", "--tenant", "aud-a"])
    assert r.exit_code == 0, r.output
    lines = r.output.splitlines()
    assert lines[0].split()[:3] == ["at", "(UTC)", "user"] and "tool input" in lines[0]
    body = "\n".join(lines[2:])
    assert "member_a@aud-a.example" in body and "rate_limited" in body and "docs" in body
    assert "flags=sql_payload" in body and "guard=PERSON:2" in body and "input=PERSON:1,PHONE_NUMBER:1" in body
    assert "John" not in r.output and "555-123-4567" not in r.output
    assert "b-secret" not in r.output
    assert lines[-1] == "3 row(s) for tenant aud-a"

    r = runner.invoke(cli, ["audit", "--tenant", "aud-a", "--since", "24h", "--limit", "1"])
    assert r.exit_code == 0, r.output
    assert "rate_limited" in r.output and "docs" not in r.output and "(limit reached)" in r.output

    r = runner.invoke(cli, ["audit", "--tenant", "aud-a", "--since", "2099-01-01"])
    assert r.exit_code == 0 and "no audit rows for tenant aud-a since 2099-01-01 00:00 UTC" in r.output


@pytest.mark.parametrize("args, message", [
    (["--tenant", "nope"], "unknown tenant 'nope'"),
    (["--tenant", "aud-a", "--since", "yesterday"], "neither a date"),
    (["--tenant", "aud-a", "--limit", "0"], "limit must be between"),
])
def test_cli_errors_exit_2(people, args, message):
    r = runner.invoke(cli, ["audit", *args])
    assert r.exit_code == 2 and message in r.output
