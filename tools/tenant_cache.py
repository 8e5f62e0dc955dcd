"""A small thread-safe per-tenant cache: one value per tenant id, stored with a stamp (a time, a fingerprint of the
tenant's rows) that the caller checks before using it.

`get(tenant_id, fresh)` returns the value when `fresh(stamp)` holds, else None; `put` stores a value; `forget` drops
one tenant's value or all. A value is only ever stored and served under the tenant id it was computed for, so one
tenant's cached data is never served to another.
"""

from __future__ import annotations

import threading
import uuid
from collections.abc import Callable
from typing import Generic, TypeVar

S = TypeVar("S")
V = TypeVar("V")


class TenantCache(Generic[S, V]):
    """Values per tenant id, each with the stamp it was computed under."""

    def __init__(self) -> None:
        self._values: dict[uuid.UUID, tuple[S, V]] = {}
        self._lock = threading.Lock()

    def get(self, tenant_id: uuid.UUID, fresh: Callable[[S], bool]) -> V | None:
        with self._lock:
            hit = self._values.get(tenant_id)
        return hit[1] if hit is not None and fresh(hit[0]) else None

    def put(self, tenant_id: uuid.UUID, stamp: S, value: V) -> None:
        with self._lock:
            self._values[tenant_id] = (stamp, value)

    def forget(self, tenant_id: uuid.UUID | None = None) -> None:
        with self._lock:
            if tenant_id is None:
                self._values.clear()
            else:
                self._values.pop(tenant_id, None)


__all__ = ["TenantCache"]
