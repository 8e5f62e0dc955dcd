"""The audit log: one row per chat turn or notable event (PII-free), written by members, read by tenant admins."""

from __future__ import annotations

import json
import re
import uuid
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

import sqlalchemy as sa

from db.principal import Principal
from db.session import tenant_session

MAX_TOOL_INPUT_CHARS = 4000
MAX_LIMIT = 10_000
_EVENT_RE = re.compile(r"^[a-z][a-z0-9_.:-]{0,63}$")
_ENTITY_RE = re.compile(r"^[A-Z][A-Z0-9_]{0,63}$")
_FLAG_RE = re.compile(r"^[a-z][a-z0-9_]{0,63}$")

_INSERT = sa.text(
    "INSERT INTO audit_log (user_id, event, route, tool_input, rows_returned, model, latency_ms, details) "
    "VALUES (:user_id, :event, :route, :tool_input, :rows_returned, :model, :latency_ms, CAST(:details AS jsonb))"
)  # no RETURNING: members may insert but not read (RETURNING would need the admin-only SELECT policy)
_SELECT = sa.text(
    "SELECT a.id, a.at, a.user_id, u.email AS user_email, a.event, a.route, a.tool_input, a.rows_returned, a.model, "
    "a.latency_ms, a.details FROM audit_log a LEFT JOIN users u ON u.id = a.user_id "
    "WHERE a.at >= COALESCE(CAST(:since AS timestamptz), '-infinity') ORDER BY a.at DESC, a.id DESC LIMIT :limit"
)


@dataclass(frozen=True)
class AuditRow:
    id: int
    at: datetime
    user_id: uuid.UUID | None
    user_email: str | None
    event: str
    route: str | None
    tool_input: str | None
    rows_returned: int | None
    model: str | None
    latency_ms: int | None
    details: dict[str, Any] = field(default_factory=dict)


def _counts(guard_actions: Mapping[str, int] | None) -> dict[str, int]:
    """Entity types and counts only ({"PERSON": 2}); anything that could carry a value is refused."""
    out: dict[str, int] = {}
    for key, count in (guard_actions or {}).items():
        if not isinstance(key, str) or not _ENTITY_RE.match(key):
            raise ValueError(f"guard_actions keys must be entity types like 'PERSON', not {key!r}")
        if isinstance(count, bool) or not isinstance(count, int) or count < 0:
            raise ValueError(f"guard_actions[{key!r}] must be a count (int >= 0), not {count!r}")
        out[key] = count
    return out


def _flags(flags: Iterable[str] | None) -> list[str]:
    out = []
    for flag in flags or ():
        if not isinstance(flag, str) or not _FLAG_RE.match(flag):
            raise ValueError(f"flags must be names like 'sql_payload', not {flag!r}")
        out.append(flag)
    return sorted(set(out))


def _action(action: Mapping[str, str | int | bool | None]) -> dict[str, str | int | bool | None]:
    out: dict[str, str | int | bool | None] = {}
    for key, value in action.items():
        if not isinstance(key, str) or not _FLAG_RE.match(key):
            raise ValueError(f"action keys must be names like 'target_user', not {key!r}")
        if value is not None and not isinstance(value, str | int | bool):
            raise ValueError(f"action[{key!r}] must be a string, number or boolean, not {type(value).__name__}")
        out[key] = value[:300] if isinstance(value, str) else value
    return out


def redact_tool_input(text: str, tenant_id: uuid.UUID | str | None = None) -> tuple[str, dict[str, int]]:
    """The tool input with PII replaced by <TYPE> placeholders (safety.redact), cut to MAX_TOOL_INPUT_CHARS."""
    from safety import redact  # presidio loads on first use

    result = redact(text, tenant=str(tenant_id) if tenant_id is not None else None)
    counts: dict[str, int] = {}
    for entity in result.entities:
        counts[entity.type] = counts.get(entity.type, 0) + 1
    clean = result.text
    if len(clean) > MAX_TOOL_INPUT_CHARS:
        clean = clean[: MAX_TOOL_INPUT_CHARS - 1] + "…"
    return clean, counts


def record(
    principal: Principal,
    *,
    event: str,
    route: str | None = None,
    tool_input: str | None = None,
    rows_returned: int | None = None,
    model: str | None = None,
    latency_ms: int | float | None = None,
    guard_actions: Mapping[str, int] | None = None,
    flags: Iterable[str] | None = None,
    action: Mapping[str, str | int | bool | None] | None = None,
) -> None:
    """Append one audit row for `principal`'s tenant (any role may write; RLS sets and checks the tenant).

    `tool_input` (the SQL, search query or question handed to a tool) is redacted here with safety.redact, so no
    raw PII is stored even when the caller forgot; the entity types it removed go to details.input_redactions.
    `guard_actions`: what the output guard removed, as entity types and counts ({"PERSON": 2}), never values.
    `flags`: input-check flag names (safety.input_checks).
    `action`: what an administrative change did (the web console, app/admin/), stored as details.action: short
    names to scalars, e.g. {"target_user": "<uuid>", "role": "admin"}; identify people by id, never by e-mail.
    """
    if not _EVENT_RE.match(event or ""):
        raise ValueError(f"event must be a short lowercase name like 'turn' or 'rate_limited', not {event!r}")
    details: dict[str, Any] = {}
    actions = _counts(guard_actions)
    if actions:
        details["guard_actions"] = actions
    flag_list = _flags(flags)
    if flag_list:
        details["flags"] = flag_list
    if action:
        details["action"] = _action(action)
    stored_input = None
    if tool_input is not None:
        stored_input, removed = redact_tool_input(tool_input, principal.tenant_id)
        if removed:
            details["input_redactions"] = removed
    with tenant_session(principal.tenant_id, role=_role(principal)) as conn:
        conn.execute(_INSERT, {
            "user_id": principal.user_id, "event": event, "route": route, "tool_input": stored_input,
            "rows_returned": rows_returned, "model": model,
            "latency_ms": None if latency_ms is None else round(latency_ms), "details": json.dumps(details),
        })


def _role(principal: Principal) -> str:
    return "admin" if principal.is_admin else "member"


def read(principal: Principal, since: datetime | None = None, limit: int = 200) -> list[AuditRow]:
    """The newest audit rows of the principal's own tenant (at most `limit`, at or after `since`); admins only.

    Members get PermissionError. The database enforces the same rule (the audit_log SELECT policy needs
    app.user_role = 'admin'), so a code path that skips this check still reads nothing.
    """
    if not principal.is_admin:
        raise PermissionError(f"{principal.email} is not an admin of tenant {principal.tenant_slug!r}: "
                              "only tenant admins can read the audit log")
    return read_tenant(principal.tenant_id, since=since, limit=limit)


def read_tenant(tenant_id: uuid.UUID | str, *, since: datetime | None = None, limit: int = 200) -> list[AuditRow]:
    """Operator path (the `sightline audit` CLI): one tenant's rows through its admin-role tenant session."""
    if not 1 <= limit <= MAX_LIMIT:
        raise ValueError(f"limit must be between 1 and {MAX_LIMIT}, not {limit}")
    if since is not None and since.tzinfo is None:
        since = since.replace(tzinfo=UTC)
    with tenant_session(tenant_id, role="admin") as conn:
        rows = conn.execute(_SELECT, {"since": since, "limit": limit}).mappings().all()
    return [AuditRow(**dict(r)) for r in rows]
