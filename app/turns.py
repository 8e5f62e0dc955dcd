"""One chat turn as the web app runs it (UI and REST alike): admission (rate limit, input checks) and event shaping.

`admit()` raises `RateLimited` or `InputRejected` (too long, or holding NUL characters) before the agent runs.
`open_thread()` makes sure the turn's thread is one the caller may continue (new, or visible to it) before the agent
loads the thread's memory: a widget session cannot continue the user's chat-UI threads (and read their memory).
`public_event()` turns the agent's events into what a client may see before the output guard has run: a tool result
keeps only counts and the tool's name (its SQL, columns, rows and source titles arrive, guarded, with the final event).
`guarded_final()` passes every text field of the final event that the agent does not guard itself (error, SQL,
column names, source titles) through the output guard, for the UI and the REST API alike. `final_payload()` is the
same object `sightline ask --json` prints.
"""

from __future__ import annotations

import asyncio
from typing import Any

from agents import routes
from db import chat_store, ratelimit
from db.principal import Principal
from safety.input_checks import InputCheck, InputRejected, check_message

ASK_JSON_KEYS = ("answer", "route", "sql", "rows", "sources", "model", "latency_ms", "thread_id", "columns", "error",
                 "guard", "flags", "interpretation", "chart")
MAX_TABLE_ROWS = 20
MAX_PASSAGE_CHARS = 600


async def admit(principal: Principal, text: str) -> InputCheck:
    """Take a rate-limit token for the turn and check the message; raises RateLimited or InputRejected."""
    if "\x00" in text:
        raise InputRejected("The message contains a NUL character; remove it and send the message again.")
    check = check_message(text)
    await asyncio.to_thread(ratelimit.enforce, principal)
    return check


def open_thread(principal: Principal, thread_id: str) -> None:
    """Create the caller's thread, or touch it when it is one the caller may see; `chat_store.NotYours` otherwise
    (another user's thread, or a chat-UI thread for a widget caller without the tenant's opt-in)."""
    chat_store.upsert_thread(principal, thread_id)


PUBLIC_TOOL_RESULT_KEYS = ("type", "tool", "model", "source")


def public_event(event: dict[str, Any]) -> dict[str, Any]:
    """The event as a client may see it while the turn runs: a tool result keeps only its tool, model and counts
    (no unguarded SQL, column names, rows, passages or titles: those arrive guarded with the final event)."""
    if event.get("type") != "tool_result":
        return event
    shown = {k: event[k] for k in PUBLIC_TOOL_RESULT_KEYS if k in event and isinstance(event[k], str | None)}
    if "rows" in event:
        shown["row_count"] = len(event.get("rows") or [])
    if "sources" in event:
        shown["source_count"] = len(event.get("sources") or [])
    return shown


def _guard_lines(values: list[str], tenant: str, allow: tuple[str, ...]) -> list[str]:
    """Guard several texts: the single-line ones in one guard call (one per line), multi-line ones one call each
    (and the single-line ones too, one by one, if a redaction ever joined two lines)."""
    from safety.guard import guard_text

    def one(text: str) -> str:
        return guard_text(text, tenant=tenant, tenant_allow=allow).text

    out = list(values)
    single = [i for i, v in enumerate(values) if v and "\n" not in v]
    if single:
        joined = one("\n".join(values[i] for i in single)).split("\n")
        if len(joined) != len(single):
            joined = [one(values[i]) for i in single]
        for i, text in zip(single, joined, strict=True):
            out[i] = text
    for i, v in enumerate(values):
        if v and "\n" in v:
            out[i] = one(v)
    return out


def guarded_final(principal: Principal, final: dict[str, Any]) -> dict[str, Any]:
    """The final event with its error, SQL, column names and source titles passed through the output guard."""
    from tools.catalog import allow_terms

    out = dict(final)
    allow = allow_terms(principal.tenant_id)
    texts: list[str] = []
    for key in ("error", "sql"):
        if isinstance(out.get(key), str) and out[key]:
            texts.append(out[key])
    columns = [str(c) for c in out.get("columns") or []]
    sources = [dict(s) for s in out.get("sources") or []]
    titles = [str(s.get("title") or "") for s in sources]
    guarded = _guard_lines(texts + columns + titles, principal.tenant_slug, allow)
    i = 0
    for key in ("error", "sql"):
        if isinstance(out.get(key), str) and out[key]:
            out[key] = guarded[i]
            i += 1
    if out.get("columns"):
        out["columns"] = guarded[i:i + len(columns)]
        i += len(columns)
    for source in sources:
        source["title"] = guarded[i]
        i += 1
    if out.get("sources"):
        out["sources"] = sources
    return out


def final_payload(final: dict[str, Any]) -> dict[str, Any]:
    """The final event's fields as `sightline ask --json` prints them (passage texts cut to 300 characters)."""
    out = {k: final.get(k) for k in ASK_JSON_KEYS}
    if out["sources"]:
        out["sources"] = [{k: v for k, v in s.items() if k != "text"} | {"text": (s.get("text") or "")[:300]}
                          for s in out["sources"]]
    return out


def answer_metadata(final: dict[str, Any]) -> dict[str, Any]:
    """What is stored with an answer (and copied into its feedback): route, tool, model/adapter, latency."""
    route = final.get("route")
    return {
        "route": route,
        "tool": route if routes.is_tool(route) else None,
        "model": final.get("model"),
        "latency_ms": (final.get("latency_ms") or {}).get("total"),
    }


def _cell(value: Any) -> str:
    text = "" if value is None else str(value)
    return text.replace("|", "\\|").replace("\n", " ")


def markdown_table(columns: list[str], rows: list[list[Any]], limit: int = MAX_TABLE_ROWS) -> str:
    if not columns:
        return ""
    lines = ["| " + " | ".join(_cell(c) for c in columns) + " |", "|" + "---|" * len(columns)]
    lines += ["| " + " | ".join(_cell(v) for v in row) + " |" for row in rows[:limit]]
    if len(rows) > limit:
        lines.append(f"\n_{len(rows) - limit} more row(s) not shown._")
    return "\n".join(lines)


def step_markdown(final: dict[str, Any], route_event: dict[str, Any] | None = None) -> str:
    """The tool step's body, from the guarded final event: route, then SQL + result table, passages, or model."""
    route = final.get("route")
    parts = [f"**Route:** `{route}`" + (f" (score {route_event.get('score')}, {route_event.get('reason')})"
                                         if route_event else "")]
    if route == "sql":
        if final.get("sql"):
            parts.append(f"**SQL**\n\n```sql\n{final['sql']}\n```")
        if final.get("error"):
            parts.append(f"**Error:** {final['error']}")
        if final.get("columns"):
            parts.append("**Result**\n\n" + markdown_table(final["columns"], final.get("rows") or []))
    elif route in ("docs", "industry"):
        sources = final.get("sources") or []
        if not sources:
            parts.append("No passage found in your documents." if route == "docs" else "No passage cited.")
        for s in sources:
            text = (s.get("text") or "").strip()
            if len(text) > MAX_PASSAGE_CHARS:
                text = text[:MAX_PASSAGE_CHARS].rstrip() + "…"
            quoted = "\n".join(f"> {line}" for line in text.splitlines() if line.strip())
            where = s.get("origin") or f"part {int(s.get('chunk', 0)) + 1}"
            head = f"**{s.get('title')}** ({where}, score {s.get('score')})"
            parts.append(f"{head}\n\n{quoted}")
    parts.append(f"**Model/adapter:** `{final.get('model')}`")
    latency = final.get("latency_ms") or {}
    if latency.get("total") is not None:
        parts.append(f"_{latency['total']:.0f} ms_")
    return "\n\n".join(parts)
