"""Rate limits: token buckets per user, per API key and per tenant in `rate_buckets`, shared by every process and
restart. A request takes one token from each bucket that applies, or none (a refused request spends nothing)."""

from __future__ import annotations

import math
import uuid
from dataclasses import dataclass
from datetime import datetime
from typing import Literal

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from config import get_settings
from db.principal import Principal
from db.session import tenant_session

Scope = Literal["user", "key", "tenant"]
# (capacity = the burst, refill in tokens per second).
Limit = tuple[float, float]

# One statement takes a token or refuses: the bucket is refilled by the time elapsed since `updated_at` (capped at
# the capacity) and decremented only when at least one whole token is there. ON CONFLICT DO UPDATE locks the row, so
# concurrent takers in any process are serialised by PostgreSQL; a refused take changes nothing and returns no row.
# The clock is the database's (one clock for all processes) unless a test passes `now`.
_REFILLED = ("least(CAST(:capacity AS float8), b.tokens + CAST(:rate AS float8) * "
             "greatest(0, extract(epoch FROM EXCLUDED.updated_at - b.updated_at)::float8))")
_TAKE = sa.text(f"""
INSERT INTO rate_buckets AS b (bucket_key, tokens, updated_at)
VALUES (:key, CAST(:capacity AS float8) - 1, COALESCE(CAST(:now AS timestamptz), clock_timestamp()))
ON CONFLICT (tenant_id, bucket_key) DO UPDATE
    SET tokens = {_REFILLED} - 1,
        updated_at = greatest(b.updated_at, EXCLUDED.updated_at)
    WHERE {_REFILLED} >= 1
RETURNING b.tokens
""")
# After a refusal (the row is still locked by this transaction): how many tokens are there right now.
_AVAILABLE = sa.text("""
SELECT least(CAST(:capacity AS float8), tokens + CAST(:rate AS float8) * greatest(0, extract(epoch FROM
       COALESCE(CAST(:now AS timestamptz), clock_timestamp()) - updated_at)::float8))
FROM rate_buckets WHERE bucket_key = :key
""")


@dataclass(frozen=True)
class RateDecision:
    """The outcome of one take: allowed, or refused by the `scope` bucket until `retry_after_s` has passed."""

    allowed: bool
    retry_after_s: float = 0.0
    scope: Scope | None = None  # the bucket that refused; None when allowed


class RateLimited(Exception):
    """Too many requests (the web layer answers HTTP 429 with Retry-After)."""

    def __init__(self, decision: RateDecision) -> None:
        self.decision = decision
        self.retry_after_s = decision.retry_after_s
        self.scope = decision.scope
        super().__init__(f"Too many requests: try again in {self.retry_after_seconds} s")

    @property
    def retry_after_seconds(self) -> int:
        """Whole seconds to wait (at least 1), for messages and the Retry-After header."""
        return max(1, math.ceil(self.retry_after_s))


class _Refused(Exception):
    def __init__(self, decision: RateDecision) -> None:
        self.decision = decision


def per_minute(n: float) -> Limit | None:
    """A limit of `n` requests a minute with a burst of `n` (None, i.e. no limit, when n <= 0)."""
    return (float(n), n / 60.0) if n > 0 else None


def _check(limit: Limit | None, what: str) -> Limit | None:
    if limit is None:
        return None
    capacity, rate = limit
    if capacity < 1 or rate <= 0:
        raise ValueError(f"{what} limit needs a capacity >= 1 and a refill rate > 0, not {limit!r}")
    return float(capacity), float(rate)


def _take_one(conn: Connection, key: str, limit: Limit, now: datetime | None, scope: Scope) -> RateDecision:
    capacity, rate = limit
    params = {"key": key, "capacity": capacity, "rate": rate, "now": now}
    if conn.execute(_TAKE, params).first() is not None:
        return RateDecision(allowed=True)
    available = conn.execute(_AVAILABLE, params).scalar_one()
    return RateDecision(allowed=False, retry_after_s=max(0.0, (1.0 - available) / rate), scope=scope)


def take(
    who: Principal | uuid.UUID | str,
    user_id: uuid.UUID | str | None = None,
    *,
    per_user: Limit | None = None,
    per_tenant: Limit | None = None,
    key_id: str | None = None,
    per_key: Limit | None = None,
    action: str = "chat",
    now: datetime | None = None,
) -> RateDecision:
    """Take one token from the user's bucket, the API key's bucket (when the request came through a key) and the
    tenant's bucket, or none.

    `who` is a Principal (its tenant, user and key) or a tenant id with an optional `user_id`. Limits are
    `(capacity, refill_per_s)`; None means from settings (`SIGHTLINE_RATE_USER_PER_MIN`, `SIGHTLINE_RATE_KEY_PER_MIN`,
    `SIGHTLINE_RATE_TENANT_PER_MIN`, burst = the per-minute value; 0 there switches that limit off). `action` names
    separate buckets (e.g. "chat", "feedback", "mint"). `now` replaces the database clock (tests).
    """
    if isinstance(who, Principal):
        tenant_id, user_id = who.tenant_id, who.user_id if user_id is None else user_id
        key_id = who.key_id if key_id is None else key_id
    else:
        tenant_id = who
    settings = get_settings()
    user_limit = _check(per_user if per_user is not None else per_minute(settings.rate_user_per_min), "per-user")
    key_limit = _check(per_key if per_key is not None else per_minute(settings.rate_key_per_min), "per-key")
    tenant_limit = _check(per_tenant if per_tenant is not None else per_minute(settings.rate_tenant_per_min),
                          "per-tenant")
    try:
        with tenant_session(tenant_id) as conn:
            # Always user, then key, then tenant bucket: one lock order, so concurrent takes cannot deadlock.
            # A refusal after a taken token rolls the transaction back (_Refused): nothing is spent.
            if user_limit is not None and user_id is not None:
                decision = _take_one(conn, f"{action}:user:{uuid.UUID(str(user_id))}", user_limit, now, "user")
                if not decision.allowed:
                    return decision
            if key_limit is not None and key_id:
                decision = _take_one(conn, f"{action}:key:{key_id[:64]}", key_limit, now, "key")
                if not decision.allowed:
                    raise _Refused(decision)
            if tenant_limit is not None:
                decision = _take_one(conn, f"{action}:tenant", tenant_limit, now, "tenant")
                if not decision.allowed:
                    raise _Refused(decision)  # roll back: the user's token is not spent on a refused request
    except _Refused as refused:
        return refused.decision
    return RateDecision(allowed=True)


def enforce(
    who: Principal | uuid.UUID | str,
    user_id: uuid.UUID | str | None = None,
    **kwargs,
) -> RateDecision:
    """`take()`, raising RateLimited ("Too many requests...: try again in N s") when refused."""
    decision = take(who, user_id, **kwargs)
    if not decision.allowed:
        raise RateLimited(decision)
    return decision
