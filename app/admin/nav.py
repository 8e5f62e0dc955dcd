"""The console's navigation: a registry of nav entries that each console module adds its pages to.

A module registers its entries at import (`register(NavEntry(...))`); the base layout (templates/base.html) lists
the entries the caller may see: `audience="admin"` for tenant admins, `"operator"` for operators, `"console"` for
both. Entries are shown by `order`, then label. Registering the same path twice replaces the earlier entry.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Literal

Audience = Literal["admin", "operator", "console"]


@dataclass(frozen=True)
class NavEntry:
    path: str  # e.g. "/admin/users"
    label: str  # e.g. "Users"
    section: str = "Tenant"  # heading the entry is grouped under ("Tenant", "Fine-tuning", "Monitoring", ...)
    audience: Audience = "admin"
    order: int = 100


_ENTRIES: dict[str, NavEntry] = {}


def register(*entries: NavEntry) -> None:
    for entry in entries:
        if not entry.path.startswith("/admin"):
            raise ValueError(f"console pages live under /admin, not {entry.path!r}")
        _ENTRIES[entry.path] = entry


def entries() -> list[NavEntry]:
    return sorted(_ENTRIES.values(), key=lambda e: (e.order, e.label))


def visible_entries(user: Any) -> list[NavEntry]:
    """The entries `user` (an app.admin.auth.ConsoleUser, or None) may open."""
    if user is None:
        return []
    out = []
    for e in entries():
        if (e.audience == "admin" and user.is_admin) or (e.audience == "operator" and user.is_operator) or (
                e.audience == "console" and (user.is_admin or user.is_operator)):
            out.append(e)
    return out


def sections(user: Any) -> list[tuple[str, list[NavEntry]]]:
    """The visible entries grouped by section, in first-appearance order."""
    grouped: dict[str, list[NavEntry]] = {}
    for e in visible_entries(user):
        grouped.setdefault(e.section, []).append(e)
    return list(grouped.items())
