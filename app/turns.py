"""One chat turn as the web app runs it (UI and REST alike): admission (rate limit, input checks) and event shaping.

`admit()` raises `RateLimited` or `InputRejected` before the agent runs. `public_event()` turns the agent's events
into what a client may see before the output guard has run: tool results lose their raw rows (the guarded rows
arrive with the final event). `final_payload()` is the same object `sightline ask --json` prints.
"""

from __future__ import annotations

import asyncio
from typing import Any

from db import ratelimit
from db.principal import Principal
from safety.input_checks import InputCheck, check_message

ASK_JSON_KEYS = ("answer", "route", "sql", "rows", "sources", "model", "latency_ms", "thread_id", "columns", "error",
                 "guard", "flags")
MAX_TABLE_ROWS = 20
MAX_PASSAGE_CHARS = 600


async def admit(principal: Principal, text: str) -> InputCheck:
    """Take a rate-limit token for the turn and check the message; raises RateLimited or InputRejected."""
    check = check_message(text)
    await asyncio.to_thread(ratelimit.enforce, principal)
    return check


def public_event(event: dict[str, Any]) -> dict[str, Any]:
    """The event as a client may see it while the turn runs (no unguarded result rows or passages)."""
    if event.get("type") == "tool_result" and "rows" in event:
        shown = {k: v for k, v in event.items() if k != "rows"}
        shown["row_count"] = len(event.get("rows") or [])
        return shown
    return event


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
        "tool": route if route in ("sql", "docs", "industry") else None,
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
    elif route == "docs":
        sources = final.get("sources") or []
        if not sources:
            parts.append("No passage found in your documents.")
        for s in sources:
            text = (s.get("text") or "").strip()
            if len(text) > MAX_PASSAGE_CHARS:
                text = text[:MAX_PASSAGE_CHARS].rstrip() + "…"
            quoted = "\n".join(f"> {line}" for line in text.splitlines() if line.strip())
            head = f"**{s.get('title')}** (part {int(s.get('chunk', 0)) + 1}, score {s.get('score')})"
            parts.append(f"{head}\n\n{quoted}")
    parts.append(f"**Model/adapter:** `{final.get('model')}`")
    latency = final.get("latency_ms") or {}
    if latency.get("total") is not None:
        parts.append(f"_{latency['total']:.0f} ms_")
    return "\n\n".join(parts)
