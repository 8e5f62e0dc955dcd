"""Tenant context the database trusts: an HMAC proof that the app and reader roles cannot produce themselves.

Row-level security keys every tenant table on `sightline_current_tenant()`. A plain `current_setting('app.tenant_id')`
would let any SQL running as the app or reader role switch tenants with `set_config`. Instead (migration 0008):

- the application sets three transaction-local settings: `app.tenant_id`, `app.user_role` and `app.tenant_proof`;
- `sightline_current_tenant()` (SECURITY DEFINER, owned by the NOLOGIN owner role) recomputes
  `HMAC-SHA256(key, nonce | tenant | role)` with a key kept in `sightline_private.context_key`, which neither the app
  nor the reader role can read, and returns the tenant only when the proof matches; otherwise NULL (no rows visible,
  inserts refused);
- the nonce is the backend's pid and start time (`sightline_backend_nonce()`), so a proof is valid on one server
  process only: a proof seen elsewhere cannot be replayed on another connection.

The key lives in the application (Settings `SIGHTLINE_TENANT_CONTEXT_KEY`, else generated into the data folder's
secrets) and is copied into the database by `install_key()` (admin connection, at every `db.migrate.upgrade()`).
HMAC is built from PostgreSQL's own `sha256()` with the inner and outer padded keys stored precomputed, so no extension
(pgcrypto) is needed on a managed server.
"""

from __future__ import annotations

import hashlib
import hmac
import uuid

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from config.secrets import get_or_create_secret
from config.settings import get_settings

SECRET_NAME = "tenant_context_key"
_BLOCK = 64  # SHA-256 block size (HMAC pads the key to it)
_NONCE_KEY = "sightline_backend_nonce"


class TenantContextError(RuntimeError):
    """The database does not accept this application's tenant proofs (key mismatch or migration 0008 missing)."""


def _key() -> bytes:
    raw = get_or_create_secret(SECRET_NAME, get_settings().tenant_context_key)
    key = raw.encode("utf-8")
    if len(key) < 32:
        raise TenantContextError("SIGHTLINE_TENANT_CONTEXT_KEY must be at least 32 characters")
    return hashlib.sha256(key).digest() if len(key) > _BLOCK else key


def padded_keys(key: bytes | None = None) -> tuple[bytes, bytes]:
    """The HMAC inner and outer padded keys (key XOR ipad, key XOR opad) that the database stores."""
    k = (key if key is not None else _key()).ljust(_BLOCK, b"\0")
    return bytes(b ^ 0x36 for b in k), bytes(b ^ 0x5C for b in k)


def proof(nonce: str, tenant_id: str, role: str) -> str:
    """Hex HMAC-SHA256 of `nonce|tenant_id|role`, the value `sightline_current_tenant()` checks."""
    return hmac.new(_key(), f"{nonce}|{tenant_id}|{role}".encode(), hashlib.sha256).hexdigest()


def install_key(admin_conn: Connection) -> None:
    """Write this application's key into the database (idempotent). Needs the owner or a superuser connection."""
    inner, outer = padded_keys()
    admin_conn.execute(
        sa.text("INSERT INTO sightline_private.context_key (id, ipad_key, opad_key) VALUES (1, :i, :o) "
                "ON CONFLICT (id) DO UPDATE SET ipad_key = EXCLUDED.ipad_key, opad_key = EXCLUDED.opad_key "
                "WHERE context_key.ipad_key IS DISTINCT FROM EXCLUDED.ipad_key"),
        {"i": inner, "o": outer},
    )


def backend_nonce(conn: Connection) -> str:
    """This connection's server-process nonce, fetched once per pooled connection and cached on it.

    Behind a transaction-mode pooler (SIGHTLINE_DB_POOL_MODE=transaction) each transaction may run on another server
    process, so the nonce is fetched inside every transaction instead (one more round trip).
    """
    info = conn.connection.info
    nonce = None if get_settings().db_pool_mode == "transaction" else info.get(_NONCE_KEY)
    if nonce is None:
        nonce = conn.execute(sa.text("SELECT sightline_backend_nonce()")).scalar_one()
        info[_NONCE_KEY] = nonce
    return nonce


def settings_for(conn: Connection, tenant_id: str, role: str) -> dict[str, str]:
    """The `app.*` settings that put `conn` into `tenant_id` with `role` ('' when none)."""
    return {"app.tenant_id": tenant_id, "app.user_role": role,
            "app.tenant_proof": proof(backend_nonce(conn), tenant_id, role)}


def check(conn: Connection) -> None:
    """Raise TenantContextError unless the database accepts a proof from this application (start-up check).

    Runs inside a transaction on an app or reader connection: sets a random tenant and reads it back.
    """
    probe = str(uuid.uuid4())
    values = settings_for(conn, probe, "")
    conn.execute(sa.text("SELECT set_config('app.tenant_id', :t, true), set_config('app.user_role', '', true), "
                         "set_config('app.tenant_proof', :p, true)"),
                 {"t": values["app.tenant_id"], "p": values["app.tenant_proof"]})
    seen = conn.execute(sa.text("SELECT sightline_current_tenant()::text")).scalar()
    if seen != probe:
        raise TenantContextError(
            "the database rejects this application's tenant proofs: its tenant context key differs from "
            "SIGHTLINE_TENANT_CONTEXT_KEY (run `sightline db migrate` with the same key, or set the key the "
            "database was migrated with)")


_verified = False


def verify_once() -> None:
    """`check()` on the app and reader roles, once per process (readiness); raises TenantContextError on mismatch."""
    global _verified
    if _verified:
        return
    from db.engine import app_engine, reader_engine

    for engine in (app_engine(), reader_engine()):
        with engine.begin() as conn:
            check(conn)
    _verified = True
