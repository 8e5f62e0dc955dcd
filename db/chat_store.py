"""Chat history storage: threads, steps (messages and tool steps), elements and feedback, owned by one user of a tenant.

Every function takes the caller's Principal and runs in `tenant_session(principal.tenant_id)`, so row-level security
confines it to the caller's tenant; on top of that every read and write checks that the thread belongs to the calling
user (a thread, step or feedback of another user of the same tenant is "not found" for reads and `NotYours` for
writes). Errors are raised, never swallowed; all SQL uses bound parameters.

Threads record the channel that made them (`Principal.channel`: "app" or "widget"). A caller whose
`thread_scope` is "widget" (a widget session whose API key's tenant did not opt in) sees and touches only threads
made through the widget: the user's chat-UI threads are "not found" for it, exactly like another user's.
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from db.principal import Principal
from db.session import tenant_session

MAX_NAME = 200
MAX_COMMENT = 4000
ANSWER_KEYS = ("route", "tool", "model", "latency_ms")  # copied from an answer's metadata into its feedback


class NotYours(PermissionError):
    """The thread, step or feedback does not exist for the caller (another user's, or another tenant's)."""


def _session(principal: Principal):
    return tenant_session(principal.tenant_id, role="admin" if principal.is_admin else "member")


def _visible(alias: str = "t") -> str:
    """SQL: the thread `alias` is one the caller may see (with `_who()`'s parameters)."""
    return f"{alias}.user_id = :uid AND (CAST(:all_threads AS boolean) OR {alias}.channel = 'widget')"


def _who(principal: Principal, **params: Any) -> dict[str, Any]:
    return {"uid": principal.user_id, "all_threads": principal.thread_scope == "all", **params}


def _ts(value: Any) -> datetime | None:
    """Chainlit's ISO strings ('2026-01-02T03:04:05.678Z') or datetimes to aware datetimes."""
    if value is None or value == "":
        return None
    if isinstance(value, datetime):
        return value if value.tzinfo else value.replace(tzinfo=UTC)
    text = str(value).replace("Z", "+00:00")
    parsed = datetime.fromisoformat(text)
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)


def _iso(value: datetime | None) -> str | None:
    if value is None:
        return None
    return value.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%f")[:-3] + "Z"


def _json(value: Mapping[str, Any] | None) -> str | None:
    return None if value is None else json.dumps(value, default=str)


# --- threads -------------------------------------------------------------------------------------------------------

_UPSERT_THREAD = sa.text("""
INSERT INTO chat_threads AS t (id, user_id, name, metadata, tags, channel)
VALUES (:id, :uid, :name, COALESCE(CAST(:metadata AS jsonb), '{}'::jsonb), COALESCE(CAST(:tags AS text[]), '{}'),
        :channel)
ON CONFLICT (tenant_id, id) DO UPDATE
    SET name = COALESCE(t.name, EXCLUDED.name),
        metadata = CASE WHEN CAST(:metadata AS jsonb) IS NULL THEN t.metadata
                        ELSE t.metadata || CAST(:metadata AS jsonb) END,
        tags = COALESCE(CAST(:tags AS text[]), t.tags),
        updated_at = now()
    WHERE t.user_id = EXCLUDED.user_id AND (CAST(:all_threads AS boolean) OR t.channel = 'widget')
RETURNING t.id
""")
_RENAME_THREAD = sa.text(f"UPDATE chat_threads t SET name = :name, updated_at = now() "
                         f"WHERE t.id = :id AND {_visible()} RETURNING t.id")


def _ensure_thread(conn: Connection, principal: Principal, thread_id: str, *, name: str | None = None,
                   metadata: Mapping[str, Any] | None = None, tags: Iterable[str] | None = None) -> None:
    if not thread_id or len(thread_id) > 200:
        raise ValueError("thread id must be 1-200 characters")
    if "\x00" in thread_id:
        raise ValueError("thread id must not contain NUL characters")
    row = conn.execute(_UPSERT_THREAD, _who(
        principal, id=thread_id, name=name[:MAX_NAME] if name else None, metadata=_json(metadata),
        tags=list(tags) if tags is not None else None, channel=principal.channel)).first()
    if row is None:
        raise NotYours(f"thread {thread_id!r} belongs to another user")


def upsert_thread(principal: Principal, thread_id: str, *, name: str | None = None,
                  metadata: Mapping[str, Any] | None = None, tags: Iterable[str] | None = None,
                  user_id: str | uuid.UUID | None = None, default_name: str | None = None) -> None:
    """Create the caller's thread, or update it (`name` renames it; `default_name` names it only when it has no name).

    NotYours for another user's thread.
    """
    if user_id is not None and str(user_id) != str(principal.user_id):
        raise NotYours("a thread can only be created for the signed-in user")
    with _session(principal) as conn:
        _ensure_thread(conn, principal, thread_id, name=name or default_name, metadata=metadata, tags=tags)
        if name:
            conn.execute(_RENAME_THREAD, _who(principal, name=name[:MAX_NAME], id=thread_id))


def thread_owner_email(principal: Principal, thread_id: str) -> str | None:
    """The caller's e-mail when the thread is theirs, else None (another user's thread is reported as missing)."""
    with _session(principal) as conn:
        found = conn.execute(sa.text(f"SELECT 1 FROM chat_threads t WHERE t.id = :id AND {_visible()}"),
                             _who(principal, id=thread_id)).first()
    return principal.email if found else None


def delete_thread(principal: Principal, thread_id: str) -> bool:
    """Delete the caller's thread with its steps, elements and feedback. NotYours when it is another user's."""
    with _session(principal) as conn:
        deleted = conn.execute(sa.text(f"DELETE FROM chat_threads t WHERE t.id = :id AND {_visible()} RETURNING t.id"),
                               _who(principal, id=thread_id)).first()
        if deleted is None and conn.execute(sa.text("SELECT 1 FROM chat_threads WHERE id = :id"),
                                            {"id": thread_id}).first():
            raise NotYours(f"thread {thread_id!r} belongs to another user")
    return deleted is not None


_STEP_COLUMNS = ("s.id, s.thread_id, s.parent_id, s.type, s.name, s.input, s.output, s.metadata, s.is_error, "
                 "s.show_input, s.language, s.default_open, s.tags, s.generation, s.created_at, s.start_at, s.end_at")


def _step_dict(row: Mapping[str, Any], feedback: Mapping[str, Any] | None = None) -> dict[str, Any]:
    show_input: Any = row["show_input"]
    if show_input in ("true", "false"):
        show_input = show_input == "true"
    out: dict[str, Any] = {
        "id": row["id"], "threadId": row["thread_id"], "parentId": row["parent_id"], "type": row["type"],
        "name": row["name"], "input": row["input"], "output": row["output"], "metadata": row["metadata"] or {},
        "isError": row["is_error"], "showInput": show_input, "language": row["language"],
        "defaultOpen": row["default_open"], "tags": row["tags"], "generation": row["generation"],
        "createdAt": _iso(row["created_at"]), "start": _iso(row["start_at"]), "end": _iso(row["end_at"]),
        "streaming": False,
    }
    if feedback is not None:
        out["feedback"] = {"id": str(feedback["id"]), "forId": row["id"], "threadId": row["thread_id"],
                           "value": feedback["value"], "comment": feedback["comment"]}
    return out


def get_thread(principal: Principal, thread_id: str) -> dict[str, Any] | None:
    """The caller's thread with its steps (oldest first, with the caller's feedback) and elements; None otherwise."""
    with _session(principal) as conn:
        thread = conn.execute(sa.text(
            "SELECT t.id, t.name, t.metadata, t.tags, t.created_at FROM chat_threads t "
            f"WHERE t.id = :id AND {_visible()}"),
            _who(principal, id=thread_id)).mappings().first()
        if thread is None:
            return None
        steps = conn.execute(sa.text(
            f"SELECT {_STEP_COLUMNS}, f.id AS fb_id, f.value AS fb_value, f.comment AS fb_comment "
            "FROM chat_steps s LEFT JOIN chat_feedback f ON f.tenant_id = s.tenant_id AND f.step_id = s.id "
            "AND f.user_id = :uid WHERE s.thread_id = :id ORDER BY s.created_at, s.seq"),
            {"id": thread_id, "uid": principal.user_id}).mappings().all()
        elements = conn.execute(sa.text("SELECT element FROM chat_elements WHERE thread_id = :id ORDER BY created_at"),
                                {"id": thread_id}).scalars().all()
    return {
        "id": thread["id"], "createdAt": _iso(thread["created_at"]), "name": thread["name"],
        "userId": str(principal.user_id), "userIdentifier": principal.email, "tags": list(thread["tags"] or []),
        "metadata": thread["metadata"] or {},
        "steps": [_step_dict(s, {"id": s["fb_id"], "value": s["fb_value"], "comment": s["fb_comment"]}
                             if s["fb_id"] is not None else None) for s in steps],
        "elements": [dict(e) for e in elements],
    }


@dataclass(frozen=True)
class ThreadPage:
    threads: list[dict[str, Any]]
    has_next: bool
    start_cursor: str | None
    end_cursor: str | None


def _like(text: str) -> str:
    return "%" + text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"


def list_threads(principal: Principal, *, first: int = 20, cursor: str | None = None, search: str | None = None,
                 feedback: int | None = None) -> ThreadPage:
    """The caller's threads, newest first, `first` at a time after `cursor` (a thread id from the previous page)."""
    first = max(1, min(int(first), 100))
    params: dict[str, Any] = _who(principal, limit=first + 1)
    where = [_visible()]
    if cursor:
        where.append("(t.created_at, t.id) < (SELECT c.created_at, c.id FROM chat_threads c "
                     f"WHERE c.id = :cursor AND {_visible('c')})")
        params["cursor"] = cursor
    if search:
        where.append("(t.name ILIKE :search OR EXISTS (SELECT 1 FROM chat_steps s WHERE s.tenant_id = t.tenant_id "
                     "AND s.thread_id = t.id AND s.output ILIKE :search))")
        params["search"] = _like(search)
    if feedback is not None:
        where.append("EXISTS (SELECT 1 FROM chat_feedback f WHERE f.tenant_id = t.tenant_id AND f.thread_id = t.id "
                     "AND f.user_id = :uid AND f.value = :fb)")
        params["fb"] = int(feedback)
    sql = sa.text(f"SELECT t.id, t.name, t.metadata, t.tags, t.created_at FROM chat_threads t "
                  f"WHERE {' AND '.join(where)} ORDER BY t.created_at DESC, t.id DESC LIMIT :limit")
    with _session(principal) as conn:
        rows = conn.execute(sql, params).mappings().all()
    has_next = len(rows) > first
    rows = rows[:first]
    threads = [{"id": r["id"], "createdAt": _iso(r["created_at"]), "name": r["name"], "userId": str(principal.user_id),
                "userIdentifier": principal.email, "tags": list(r["tags"] or []), "metadata": r["metadata"] or {},
                "steps": [], "elements": []} for r in rows]
    return ThreadPage(threads, has_next, threads[0]["id"] if threads else None,
                      threads[-1]["id"] if threads else None)


# --- steps ---------------------------------------------------------------------------------------------------------

_UPSERT_STEP = sa.text("""
INSERT INTO chat_steps AS s (id, thread_id, parent_id, type, name, input, output, metadata, is_error, show_input,
                             language, default_open, tags, generation, created_at, start_at, end_at)
VALUES (:id, :thread_id, :parent_id, :type, :name, :input, :output, COALESCE(CAST(:metadata AS jsonb), '{}'::jsonb),
        :is_error, :show_input, :language, :default_open, CAST(:tags AS text[]), CAST(:generation AS jsonb),
        COALESCE(CAST(:created_at AS timestamptz), now()), :start_at, :end_at)
ON CONFLICT (tenant_id, id) DO UPDATE
    SET parent_id = EXCLUDED.parent_id, type = EXCLUDED.type, name = EXCLUDED.name, input = EXCLUDED.input,
        output = EXCLUDED.output, metadata = EXCLUDED.metadata, is_error = EXCLUDED.is_error,
        show_input = EXCLUDED.show_input, language = EXCLUDED.language, default_open = EXCLUDED.default_open,
        tags = EXCLUDED.tags, generation = EXCLUDED.generation,
        start_at = COALESCE(EXCLUDED.start_at, s.start_at), end_at = COALESCE(EXCLUDED.end_at, s.end_at)
    WHERE s.thread_id = EXCLUDED.thread_id
RETURNING s.id
""")


def upsert_step(principal: Principal, step: Mapping[str, Any]) -> None:
    """Store a Chainlit step dict (a message or a tool step) in the caller's thread, creating the thread if new.

    NotYours when the thread is another user's, or when the step id already exists in another thread.
    """
    step_id, thread_id = step.get("id"), step.get("threadId")
    if not step_id or not thread_id:
        raise ValueError("a step needs an id and a threadId")
    show_input = step.get("showInput")
    with _session(principal) as conn:
        _ensure_thread(conn, principal, str(thread_id))
        row = conn.execute(_UPSERT_STEP, {
            "id": str(step_id), "thread_id": str(thread_id), "parent_id": step.get("parentId"),
            "type": step.get("type") or "undefined", "name": step.get("name") or "",
            "input": step.get("input") or "", "output": step.get("output") or "",
            "metadata": _json(step.get("metadata") or {}), "is_error": bool(step.get("isError")),
            "show_input": None if show_input is None else str(show_input).lower(),
            "language": step.get("language"), "default_open": step.get("defaultOpen"),
            "tags": list(step["tags"]) if step.get("tags") else None, "generation": _json(step.get("generation")),
            "created_at": _ts(step.get("createdAt")), "start_at": _ts(step.get("start")),
            "end_at": _ts(step.get("end")),
        }).first()
        if row is None:
            raise NotYours(f"step {step_id!r} belongs to another thread")


def delete_step(principal: Principal, step_id: str) -> bool:
    """Delete one of the caller's steps. False when there is no such step; NotYours when it is another user's."""
    with _session(principal) as conn:
        deleted = conn.execute(sa.text(
            "DELETE FROM chat_steps s USING chat_threads t WHERE s.id = :id AND t.tenant_id = s.tenant_id "
            f"AND t.id = s.thread_id AND {_visible()} RETURNING s.id"), _who(principal, id=step_id)).first()
        if deleted is None and conn.execute(sa.text("SELECT 1 FROM chat_steps WHERE id = :id"),
                                            {"id": step_id}).first():
            raise NotYours(f"step {step_id!r} belongs to another user")
    return deleted is not None


def favorite_steps(principal: Principal) -> list[dict[str, Any]]:
    """The caller's steps marked favorite (metadata.favorite)."""
    with _session(principal) as conn:
        rows = conn.execute(sa.text(
            f"SELECT {_STEP_COLUMNS} FROM chat_steps s JOIN chat_threads t ON t.tenant_id = s.tenant_id "
            f"AND t.id = s.thread_id WHERE {_visible()} AND s.metadata @> '{{\"favorite\": true}}'::jsonb "
            "ORDER BY s.created_at DESC LIMIT 200"), _who(principal)).mappings().all()
    return [_step_dict(r) for r in rows]


# --- elements ------------------------------------------------------------------------------------------------------

def upsert_element(principal: Principal, element: Mapping[str, Any]) -> None:
    """Store an element's description (not file contents) in the caller's thread."""
    element_id, thread_id = element.get("id"), element.get("threadId")
    if not element_id or not thread_id:
        raise ValueError("an element needs an id and a threadId")
    with _session(principal) as conn:
        _ensure_thread(conn, principal, str(thread_id))
        row = conn.execute(sa.text(
            "INSERT INTO chat_elements AS e (id, thread_id, for_id, type, element) "
            "VALUES (:id, :thread_id, :for_id, :type, CAST(:element AS jsonb)) "
            "ON CONFLICT (tenant_id, id) DO UPDATE SET for_id = EXCLUDED.for_id, type = EXCLUDED.type, "
            "element = EXCLUDED.element WHERE e.thread_id = EXCLUDED.thread_id RETURNING e.id"),
            {"id": str(element_id), "thread_id": str(thread_id), "for_id": element.get("forId"),
             "type": element.get("type") or "file", "element": _json(dict(element))}).first()
        if row is None:
            raise NotYours(f"element {element_id!r} belongs to another thread")


def get_element(principal: Principal, thread_id: str, element_id: str) -> dict[str, Any] | None:
    with _session(principal) as conn:
        value = conn.execute(sa.text(
            "SELECT e.element FROM chat_elements e JOIN chat_threads t ON t.tenant_id = e.tenant_id "
            f"AND t.id = e.thread_id WHERE e.id = :id AND e.thread_id = :thread AND {_visible()}"),
            _who(principal, id=element_id, thread=thread_id)).scalar()
    return dict(value) if value is not None else None


def delete_element(principal: Principal, element_id: str) -> bool:
    with _session(principal) as conn:
        deleted = conn.execute(sa.text(
            "DELETE FROM chat_elements e USING chat_threads t WHERE e.id = :id AND t.tenant_id = e.tenant_id "
            f"AND t.id = e.thread_id AND {_visible()} RETURNING e.id"), _who(principal, id=element_id)).first()
    return deleted is not None


# --- feedback ------------------------------------------------------------------------------------------------------

# The rated step is the answer itself, or (Chainlit's UI) the run step whose latest child message is the answer.
_UPSERT_FEEDBACK = sa.text(f"""
WITH rated AS (
    SELECT s.id, s.thread_id, s.metadata, t.user_id
    FROM chat_steps s JOIN chat_threads t ON t.tenant_id = s.tenant_id AND t.id = s.thread_id
    WHERE s.id = :step_id AND {_visible()} AND (CAST(:thread_id AS text) IS NULL OR s.thread_id = :thread_id)
), answer AS (
    SELECT COALESCE(
        (SELECT r.metadata FROM rated r WHERE r.metadata->>'route' IS NOT NULL),
        (SELECT c.metadata FROM chat_steps c JOIN rated r ON c.thread_id = r.thread_id AND c.parent_id = r.id
         WHERE c.metadata->>'route' IS NOT NULL ORDER BY c.created_at DESC, c.seq DESC LIMIT 1),
        '{{}}'::jsonb) AS m
)
INSERT INTO chat_feedback AS f (thread_id, step_id, user_id, value, comment, route, tool, model, latency_ms)
SELECT r.thread_id, r.id, r.user_id, :value, :comment, a.m->>'route', a.m->>'tool', a.m->>'model',
       round((a.m->>'latency_ms')::numeric)::integer
FROM rated r CROSS JOIN answer a
ON CONFLICT (tenant_id, step_id, user_id) DO UPDATE
    SET value = EXCLUDED.value, comment = EXCLUDED.comment, updated_at = now()
RETURNING f.id
""")


def upsert_feedback(principal: Principal, step_id: str, value: int, comment: str | None = None,
                    thread_id: str | None = None) -> str:
    """Rate one answer of the caller's own threads (1 = thumbs up, 0 = down) with an optional comment.

    The answer's route, tool, model/adapter and latency (its metadata) are stored with the rating. Returns the
    feedback id; NotYours when the step is not in one of the caller's threads.
    """
    if value not in (0, 1):
        raise ValueError(f"feedback value must be 0 (down) or 1 (up), not {value!r}")
    if comment is not None and len(comment) > MAX_COMMENT:
        raise ValueError(f"the comment is {len(comment)} characters long; the limit is {MAX_COMMENT}")
    with _session(principal) as conn:
        row = conn.execute(_UPSERT_FEEDBACK, _who(principal, value=value, comment=comment or None, step_id=step_id,
                                                  thread_id=thread_id)).first()
    if row is None:
        raise NotYours(f"message {step_id!r} is not an answer in one of your conversations")
    return str(row.id)


def delete_feedback(principal: Principal, feedback_id: str) -> bool:
    """Remove one of the caller's ratings. NotYours when there is no such rating of theirs."""
    try:
        fid = uuid.UUID(str(feedback_id))
    except ValueError as exc:
        raise NotYours(f"no feedback {feedback_id!r}") from exc
    with _session(principal) as conn:
        deleted = conn.execute(sa.text(
            "DELETE FROM chat_feedback f USING chat_threads t WHERE f.id = :id AND f.user_id = :uid "
            f"AND t.tenant_id = f.tenant_id AND t.id = f.thread_id AND {_visible()} RETURNING f.id"),
            _who(principal, id=fid)).first()
    if deleted is None:
        raise NotYours(f"no feedback {feedback_id!r} of yours")
    return True


@dataclass(frozen=True)
class FeedbackSummary:
    route: str
    model: str
    ratings: int
    up: int
    down: int
    avg_latency_ms: float | None

    @property
    def up_rate(self) -> float:
        return self.up / self.ratings if self.ratings else 0.0


def feedback_summary(tenant_id: uuid.UUID | str) -> list[FeedbackSummary]:
    """Thumbs-up counts per route and model/adapter for one tenant (operator path: `sightline feedback`)."""
    with tenant_session(tenant_id, role="admin") as conn:
        rows = conn.execute(sa.text(
            "SELECT COALESCE(route, '?') AS route, COALESCE(model, '?') AS model, count(*) AS ratings, "
            "count(*) FILTER (WHERE value = 1) AS up, count(*) FILTER (WHERE value = 0) AS down, "
            "avg(latency_ms)::float8 AS avg_latency_ms FROM chat_feedback GROUP BY 1, 2 ORDER BY 1, 2"
        )).mappings().all()
    return [FeedbackSummary(**dict(r)) for r in rows]
