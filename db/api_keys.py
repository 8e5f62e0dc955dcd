"""Per-tenant API keys for customer backends (widget tokens): created and revoked per tenant, stored as SHA-256 only.

A key reads `slk_<prefix>_<secret>`: the prefix is a public key id (shown in listings, used to find the row), the
secret 256 random bits. Creating, listing and revoking run in the tenant's own RLS-bound session; verifying a
presented key is a control-plane lookup by prefix (like resolving an e-mail at login) followed by a constant-time
comparison of hashes, and succeeds only for a key that is not revoked, of a tenant that is active.

Each key carries the history its widget sessions may see (`history`: "widget", the default, only threads made through
the widget; "all", the tenant opted in to show the users' chat-UI threads too). Widget tokens and sessions name their
key (`kid`), and every use checks again that the key is still active (`active_grant`): revoking a key ends them.
"""

from __future__ import annotations

import hashlib
import hmac
import re
import secrets
import uuid
from dataclasses import dataclass
from datetime import datetime

import sqlalchemy as sa

from db.engine import admin_engine
from db.registry import Tenant
from db.session import tenant_session

KEY_RE = re.compile(r"^slk_([a-z0-9]{12})_([A-Za-z0-9_-]{43})$")
PREFIX_RE = re.compile(r"^[a-z0-9]{8,32}$")
HISTORY = ("widget", "all")


@dataclass(frozen=True)
class ApiKeyInfo:
    id: uuid.UUID
    prefix: str
    name: str
    created_at: datetime
    revoked_at: datetime | None
    history: str = "widget"


@dataclass(frozen=True)
class ApiKeyGrant:
    """What a valid, active key grants: its tenant, its public id and the history its widget sessions see."""

    tenant: Tenant
    prefix: str
    history: str


def hash_key(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


def create_key(tenant_id: uuid.UUID | str, name: str = "", *, history: str = "widget") -> tuple[str, ApiKeyInfo]:
    """A new key for the tenant: returns (the key, shown once and never stored, its listing entry).

    `history`: "widget" (widget sessions see only widget-made threads) or "all" (the tenant opts in to the rest).
    """
    if history not in HISTORY:
        raise ValueError(f"history must be one of {', '.join(HISTORY)}, not {history!r}")
    prefix = secrets.token_hex(6)
    key = f"slk_{prefix}_{secrets.token_urlsafe(32)}"
    with tenant_session(tenant_id) as conn:
        row = conn.execute(sa.text(
            "INSERT INTO api_keys (prefix, key_hash, name, history) VALUES (:p, :h, :n, :hist) "
            "RETURNING id, prefix, name, created_at, revoked_at, history"),
            {"p": prefix, "h": hash_key(key), "n": name.strip()[:200], "hist": history}).mappings().one()
    return key, ApiKeyInfo(**dict(row))


def list_keys(tenant_id: uuid.UUID | str) -> list[ApiKeyInfo]:
    with tenant_session(tenant_id) as conn:
        rows = conn.execute(sa.text("SELECT id, prefix, name, created_at, revoked_at, history FROM api_keys "
                                    "ORDER BY created_at")).mappings().all()
    return [ApiKeyInfo(**dict(r)) for r in rows]


def revoke_key(tenant_id: uuid.UUID | str, prefix: str) -> bool:
    """Revoke the tenant's key with this prefix (the `slk_<prefix>_` part); False when it has no such active key."""
    prefix = prefix.removeprefix("slk_").split("_")[0]
    with tenant_session(tenant_id) as conn:
        row = conn.execute(sa.text("UPDATE api_keys SET revoked_at = now() WHERE prefix = :p AND revoked_at IS NULL "
                                   "RETURNING id"), {"p": prefix}).first()
    return row is not None


def authenticate(key: str) -> ApiKeyGrant | None:
    """What a presented key grants, or None (malformed, unknown, revoked, or its tenant disabled)."""
    match = KEY_RE.match(key.strip()) if key else None
    if not match:
        return None
    with admin_engine().connect() as conn:
        row = conn.execute(sa.text(
            "SELECT k.key_hash, k.prefix, k.history, t.id, t.slug, t.name, t.status FROM api_keys k "
            "JOIN tenants t ON t.id = k.tenant_id WHERE k.prefix = :p AND k.revoked_at IS NULL"),
            {"p": match.group(1)}).first()
    if row is None or not hmac.compare_digest(row.key_hash, hash_key(key.strip())):
        return None
    if row.status != "active":
        return None
    return ApiKeyGrant(Tenant(id=row.id, slug=row.slug, name=row.name, status=row.status), row.prefix, row.history)


def verify_key(key: str) -> Tenant | None:
    """The active tenant a presented key belongs to, or None (malformed, unknown, revoked, or tenant disabled)."""
    grant = authenticate(key)
    return grant.tenant if grant is not None else None


def active_grant(prefix: str, tenant_id: uuid.UUID | str) -> ApiKeyGrant | None:
    """The grant of the key with this public id when it is still active, of this tenant, and the tenant is active.

    Checked on every use of a widget token or widget session (a revoked key ends them at once).
    """
    if not prefix or not PREFIX_RE.match(prefix):
        return None
    with admin_engine().connect() as conn:
        row = conn.execute(sa.text(
            "SELECT k.prefix, k.history, t.id, t.slug, t.name, t.status FROM api_keys k "
            "JOIN tenants t ON t.id = k.tenant_id WHERE k.prefix = :p AND k.revoked_at IS NULL"),
            {"p": prefix}).first()
    if row is None or row.status != "active" or str(row.id) != str(tenant_id):
        return None
    return ApiKeyGrant(Tenant(id=row.id, slug=row.slug, name=row.name, status=row.status), row.prefix, row.history)
