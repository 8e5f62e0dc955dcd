"""Per-tenant API keys for customer backends (widget tokens): created and revoked per tenant, stored as SHA-256 only.

A key reads `slk_<prefix>_<secret>`: the prefix is a public key id (shown in listings, used to find the row), the
secret 256 random bits. Creating, listing and revoking run in the tenant's own RLS-bound session; verifying a
presented key is a control-plane lookup by prefix (like resolving an e-mail at login) followed by a constant-time
comparison of hashes, and succeeds only for a key that is not revoked, of a tenant that is active.
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


@dataclass(frozen=True)
class ApiKeyInfo:
    id: uuid.UUID
    prefix: str
    name: str
    created_at: datetime
    revoked_at: datetime | None


def hash_key(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


def create_key(tenant_id: uuid.UUID | str, name: str = "") -> tuple[str, ApiKeyInfo]:
    """A new key for the tenant: returns (the key, shown once and never stored, its listing entry)."""
    prefix = secrets.token_hex(6)
    key = f"slk_{prefix}_{secrets.token_urlsafe(32)}"
    with tenant_session(tenant_id) as conn:
        row = conn.execute(sa.text(
            "INSERT INTO api_keys (prefix, key_hash, name) VALUES (:p, :h, :n) "
            "RETURNING id, prefix, name, created_at, revoked_at"),
            {"p": prefix, "h": hash_key(key), "n": name.strip()[:200]}).mappings().one()
    return key, ApiKeyInfo(**dict(row))


def list_keys(tenant_id: uuid.UUID | str) -> list[ApiKeyInfo]:
    with tenant_session(tenant_id) as conn:
        rows = conn.execute(sa.text("SELECT id, prefix, name, created_at, revoked_at FROM api_keys "
                                    "ORDER BY created_at")).mappings().all()
    return [ApiKeyInfo(**dict(r)) for r in rows]


def revoke_key(tenant_id: uuid.UUID | str, prefix: str) -> bool:
    """Revoke the tenant's key with this prefix (the `slk_<prefix>_` part); False when it has no such active key."""
    prefix = prefix.removeprefix("slk_").split("_")[0]
    with tenant_session(tenant_id) as conn:
        row = conn.execute(sa.text("UPDATE api_keys SET revoked_at = now() WHERE prefix = :p AND revoked_at IS NULL "
                                   "RETURNING id"), {"p": prefix}).first()
    return row is not None


def verify_key(key: str) -> Tenant | None:
    """The active tenant a presented key belongs to, or None (malformed, unknown, revoked, or tenant disabled)."""
    match = KEY_RE.match(key.strip()) if key else None
    if not match:
        return None
    with admin_engine().connect() as conn:
        row = conn.execute(sa.text(
            "SELECT k.key_hash, t.id, t.slug, t.name, t.status FROM api_keys k JOIN tenants t ON t.id = k.tenant_id "
            "WHERE k.prefix = :p AND k.revoked_at IS NULL"), {"p": match.group(1)}).first()
    if row is None or not hmac.compare_digest(row.key_hash, hash_key(key.strip())):
        return None
    if row.status != "active":
        return None
    return Tenant(id=row.id, slug=row.slug, name=row.name, status=row.status)
