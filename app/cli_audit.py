"""The `sightline audit` command: an operator prints one tenant's audit log as a table (newest first)."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

import typer

from config.errors import UserError

_DURATION = re.compile(r"^\s*(\d+)\s*(m|min|h|d|w)\s*$", re.IGNORECASE)
_UNITS = {"m": "minutes", "min": "minutes", "h": "hours", "d": "days", "w": "weeks"}
COLUMNS = ("at (UTC)", "user", "event", "route", "rows", "ms", "model", "notes", "tool input")
MAX_INPUT_WIDTH = 60


class SinceError(UserError, ValueError):
    """--since is neither a date/time nor a duration."""


def parse_since(value: str | None, now: datetime | None = None) -> datetime | None:
    """'2026-01-01', '2026-01-01T08:30', '2026-01-01 08:30+02:00' (UTC unless a zone is given), or a duration back
    from now: '30m', '24h', '7d', '2w'."""
    if value is None or not value.strip():
        return None
    match = _DURATION.match(value)
    if match:
        amount, unit = int(match.group(1)), _UNITS[match.group(2).lower()]
        return (now or datetime.now(UTC)) - timedelta(**{unit: amount})
    try:
        parsed = datetime.fromisoformat(value.strip())
    except ValueError:
        raise SinceError(f"--since {value!r} is neither a date like 2026-01-01 (or 2026-01-01T08:30) "
                         "nor a duration like 30m, 24h, 7d, 2w") from None
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)


def _notes(details: dict) -> str:
    parts = []
    if details.get("flags"):
        parts.append("flags=" + ",".join(details["flags"]))
    for key, label in (("guard_actions", "guard"), ("input_redactions", "input")):
        counts = details.get(key) or {}
        if counts:
            parts.append(f"{label}=" + ",".join(f"{k}:{v}" for k, v in sorted(counts.items())))
    return " ".join(parts)


def _cell(value: object) -> str:
    return "-" if value is None or value == "" else str(value)


def _short(text: str | None) -> str:
    if not text:
        return "-"
    flat = " ".join(text.split())
    return flat if len(flat) <= MAX_INPUT_WIDTH else flat[: MAX_INPUT_WIDTH - 1] + "…"


def format_table(rows: list) -> str:
    """Rows of db.audit.AuditRow as a fixed-width text table."""
    lines = [[
        r.at.astimezone(UTC).strftime("%Y-%m-%d %H:%M:%S"), _cell(r.user_email or r.user_id), r.event,
        _cell(r.route), _cell(r.rows_returned), _cell(r.latency_ms), _cell(r.model), _cell(_notes(r.details)),
        _short(r.tool_input),
    ] for r in rows]
    widths = [max(len(c), *(len(line[i]) for line in lines)) for i, c in enumerate(COLUMNS)]

    def fmt(cells: list[str] | tuple[str, ...]) -> str:
        return "  ".join(c.ljust(w) for c, w in zip(cells, widths, strict=True)).rstrip()

    return "\n".join([fmt(COLUMNS), fmt(["-" * w for w in widths]), *(fmt(line) for line in lines)])


def audit_cmd(
    tenant: str = typer.Option(..., "--tenant", help="Tenant slug"),
    since: str = typer.Option(None, "--since", help="A date (2026-01-01, UTC) or a duration back from now (24h, 7d)"),
    limit: int = typer.Option(200, "--limit", help="At most this many rows (newest first)"),
) -> None:
    """Print a tenant's audit log (operator tool: reads as that tenant's admin, through RLS)."""
    from db import audit, registry

    def fail(message: str) -> None:
        typer.echo(f"error: {message}", err=True)
        raise typer.Exit(2)

    try:
        start = parse_since(since)
        t = registry.get_tenant(tenant)
        rows = audit.read_tenant(t.id, since=start, limit=limit)
    except (SinceError, registry.RegistryError, ValueError) as exc:
        fail(str(exc))
    window = f" since {start:%Y-%m-%d %H:%M} UTC" if start else ""
    if not rows:
        typer.echo(f"no audit rows for tenant {tenant}{window}")
        return
    typer.echo(format_table(rows))
    typer.echo(f"{len(rows)} row(s) for tenant {tenant}{window}" + (" (limit reached)" if len(rows) == limit else ""))
