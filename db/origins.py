"""Per-tenant allow-list of web Origins that may embed the widget or call the API (`allowed_origins`, under RLS)."""

from __future__ import annotations

import re
import uuid
from urllib.parse import urlsplit

import sqlalchemy as sa

from config.errors import UserError
from db.engine import admin_engine
from db.session import tenant_session

_HOST_RE = re.compile(r"^[a-z0-9.-]+$")


class OriginError(UserError, ValueError):
    """Not an Origin (scheme://host[:port] with http or https and nothing after it)."""


def normalize_origin(value: str) -> str:
    """'HTTPS://Shop.Example.com:443/' -> 'https://shop.example.com'; OriginError for anything that is not an Origin."""
    raw = value.strip()
    parts = urlsplit(raw)
    if parts.scheme.lower() not in ("http", "https") or not parts.hostname:
        raise OriginError(f"{value!r} is not an origin: use scheme://host[:port], e.g. https://shop.example.com")
    if parts.path not in ("", "/") or parts.query or parts.fragment or parts.username or parts.password:
        raise OriginError(f"{value!r} is not an origin: it must not have a path, query or user part")
    host = parts.hostname.lower()
    if not _HOST_RE.match(host):
        raise OriginError(f"{value!r} is not an origin: unsupported host {host!r}")
    scheme = parts.scheme.lower()
    try:
        port = parts.port
    except ValueError as exc:
        raise OriginError(f"{value!r} is not an origin: bad port") from exc
    default = {"http": 80, "https": 443}[scheme]
    return f"{scheme}://{host}" + (f":{port}" if port and port != default else "")


def add_origin(tenant_id: uuid.UUID | str, origin: str) -> str:
    origin = normalize_origin(origin)
    with tenant_session(tenant_id) as conn:
        conn.execute(sa.text("INSERT INTO allowed_origins (origin) VALUES (:o) ON CONFLICT DO NOTHING"), {"o": origin})
    return origin


def remove_origin(tenant_id: uuid.UUID | str, origin: str) -> bool:
    origin = normalize_origin(origin)
    with tenant_session(tenant_id) as conn:
        return conn.execute(sa.text("DELETE FROM allowed_origins WHERE origin = :o RETURNING origin"),
                            {"o": origin}).first() is not None


def list_origins(tenant_id: uuid.UUID | str) -> list[str]:
    with tenant_session(tenant_id) as conn:
        return list(conn.execute(sa.text("SELECT origin FROM allowed_origins ORDER BY origin")).scalars())


def any_tenant_origins() -> frozenset[str]:
    """Every tenant's allowed Origins together (control plane): the most a request without an identity may use."""
    with admin_engine().connect() as conn:
        return frozenset(conn.execute(sa.text("SELECT DISTINCT origin FROM allowed_origins")).scalars())
