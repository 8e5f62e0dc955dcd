"""The tenant's own names (brands, products, stores, cities): the output guard's per-tenant allow-list."""

from __future__ import annotations

import threading
import time
import uuid

import sqlalchemy as sa

from db.session import tenant_session

TTL_S = 300.0
_cache: dict[uuid.UUID, tuple[float, tuple[str, ...]]] = {}
_lock = threading.Lock()


def allow_terms(tenant_id: uuid.UUID) -> tuple[str, ...]:
    """Names from the tenant's catalog that must never be redacted as PII (cached for a few minutes)."""
    now = time.monotonic()
    with _lock:
        hit = _cache.get(tenant_id)
        if hit and now - hit[0] < TTL_S:
            return hit[1]
    with tenant_session(tenant_id) as conn:
        rows = conn.execute(sa.text(
            "SELECT brand FROM products UNION SELECT name FROM products UNION SELECT name FROM stores "
            "UNION SELECT city FROM stores UNION SELECT title FROM documents")).scalars().all()
    terms = tuple(sorted({r for r in rows if r}))
    with _lock:
        _cache[tenant_id] = (now, terms)
    return terms


def forget(tenant_id: uuid.UUID | None = None) -> None:
    with _lock:
        if tenant_id is None:
            _cache.clear()
        else:
            _cache.pop(tenant_id, None)
