"""Rate limits on the real database: token buckets drain, refill, survive restarts, are shared across processes,
limit a tenant across its users, and are isolated between tenants by RLS."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
import uuid
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
import sqlalchemy as sa

from config import reset_settings
from db import registry
from db.engine import admin_engine, reset_engines
from db.principal import Principal
from db.ratelimit import RateDecision, RateLimited, enforce, take
from db.session import tenant_session

ROOT = Path(__file__).resolve().parents[1]
T0 = datetime(2026, 1, 1, 12, 0, tzinfo=UTC)
NO_LIMIT = (1_000_000.0, 1_000.0)


def at(seconds: float) -> datetime:
    return T0 + timedelta(seconds=seconds)


@pytest.fixture(scope="module")
def people(database: str) -> dict[str, Principal]:
    registry.add_tenant("rl-a", "Rate A")
    registry.add_tenant("rl-b", "Rate B")
    out = {}
    for name, slug in (("ann", "rl-a"), ("abe", "rl-a"), ("amy", "rl-a"), ("bob", "rl-b")):
        registry.add_user(f"{name}@{slug}.example", slug)
        out[name] = registry.principal_for(f"{name}@{slug}.example")
    return out


def fresh_user(tenant_slug: str = "rl-a") -> Principal:
    email = f"u{uuid.uuid4().hex[:8]}@{tenant_slug}.example"
    registry.add_user(email, tenant_slug)
    return registry.principal_for(email)


def bucket_tokens(tenant_id: uuid.UUID, key: str) -> float | None:
    """Ground truth, read as the admin."""
    with admin_engine().connect() as conn:
        return conn.execute(sa.text("SELECT tokens FROM rate_buckets WHERE tenant_id = :t AND bucket_key = :k"),
                            {"t": tenant_id, "k": key}).scalar()


def test_bucket_drains_then_refuses_with_retry_after(people):
    p = fresh_user()
    limits = {"per_user": (3, 0.5), "per_tenant": NO_LIMIT}
    assert [take(p, **limits, now=at(0)).allowed for _ in range(3)] == [True, True, True]
    refused = take(p, **limits, now=at(0))
    assert refused == RateDecision(allowed=False, retry_after_s=pytest.approx(2.0), scope="user")
    # Half a token later: still refused, one second to go. Refusals spend nothing.
    again = take(p, **limits, now=at(1))
    assert not again.allowed and again.retry_after_s == pytest.approx(1.0)
    assert bucket_tokens(p.tenant_id, f"chat:user:{p.user_id}") == pytest.approx(0.0)


def test_bucket_refills_with_time_up_to_capacity(people):
    p = fresh_user()
    limits = {"per_user": (3, 0.5), "per_tenant": NO_LIMIT}
    for _ in range(3):
        assert take(p, **limits, now=at(0)).allowed
    assert take(p, **limits, now=at(2.0)).allowed  # 2 s x 0.5/s = one token
    assert not take(p, **limits, now=at(2.0)).allowed
    # An hour later the bucket is full again, but never fuller than its capacity (the burst).
    assert [take(p, **limits, now=at(3600)).allowed for _ in range(4)] == [True, True, True, False]


def test_enforce_raises_rate_limited_with_a_clear_message(people):
    p = fresh_user()
    limits = {"per_user": (1, 0.25), "per_tenant": NO_LIMIT}
    assert enforce(p, **limits, now=at(0)).allowed
    with pytest.raises(RateLimited, match=r"^Too many requests: try again in 4 s$") as err:
        enforce(p, **limits, now=at(0))
    assert err.value.retry_after_s == pytest.approx(4.0) and err.value.scope == "user"
    assert err.value.retry_after_seconds == 4


def test_defaults_come_from_settings(people, monkeypatch):
    monkeypatch.setenv("SIGHTLINE_RATE_USER_PER_MIN", "2")
    monkeypatch.setenv("SIGHTLINE_RATE_TENANT_PER_MIN", "1000")
    reset_settings()
    try:
        p = fresh_user()
        assert [take(p, now=at(0)).allowed for _ in range(3)] == [True, True, False]
        # 2 a minute: the next token comes after 30 s.
        assert take(p, now=at(0)).retry_after_s == pytest.approx(30.0)
        assert take(p, now=at(30)).allowed
    finally:
        monkeypatch.undo()
        reset_settings()


def test_bucket_survives_engine_reset(people):
    """The state lives in PostgreSQL, not in the process: a restart (new engines, new pool) changes nothing."""
    p = fresh_user()
    limits = {"per_user": (2, 0.001), "per_tenant": NO_LIMIT}
    assert take(p, **limits, now=at(0)).allowed and take(p, **limits, now=at(0)).allowed
    reset_engines()
    refused = take(p, **limits, now=at(1))
    assert not refused.allowed and refused.scope == "user"


def test_tenant_limit_applies_across_users_and_refusal_spends_no_user_token(people):
    tenant_limit = (5, 0.01)
    users = [fresh_user("rl-b") for _ in range(3)]
    results = [take(u, per_user=(10, 1), per_tenant=tenant_limit, now=at(0)).allowed
               for _ in range(2) for u in users]
    assert results == [True] * 5 + [False]
    refused = take(users[0], per_user=(10, 1), per_tenant=tenant_limit, now=at(0))
    assert refused.scope == "tenant" and refused.retry_after_s == pytest.approx(100.0)
    # users[2] was refused once by the tenant bucket: that take was rolled back, so it spent one token, not two.
    assert bucket_tokens(users[2].tenant_id, f"chat:user:{users[2].user_id}") == pytest.approx(9.0)
    # Tenant A is not affected by tenant B's empty bucket.
    assert take(people["ann"], per_user=(10, 1), per_tenant=tenant_limit, now=at(0)).allowed


def test_buckets_are_isolated_between_tenants_by_rls(people):
    ann, bob = people["ann"], people["bob"]
    assert take(ann, per_user=(5, 1), per_tenant=(50, 1), action="iso", now=at(0)).allowed
    assert take(bob, per_user=(5, 1), per_tenant=(50, 1), action="iso", now=at(0)).allowed
    with tenant_session(ann.tenant_id) as conn:
        tids = set(conn.execute(sa.text("SELECT DISTINCT tenant_id FROM rate_buckets")).scalars())
        # Try to empty tenant B's buckets from tenant A's session: RLS hides them.
        upd = conn.execute(sa.text("UPDATE rate_buckets SET tokens = 0 WHERE tenant_id = :b"), {"b": bob.tenant_id})
    assert tids == {ann.tenant_id}
    assert upd.rowcount == 0
    assert bucket_tokens(bob.tenant_id, "iso:tenant") == pytest.approx(49.0)
    # A bucket key copied from tenant B, used in tenant A, is a different (new, full) bucket.
    with tenant_session(ann.tenant_id) as conn:
        conn.execute(sa.text("INSERT INTO rate_buckets (bucket_key, tokens) VALUES (:k, 0)"),
                     {"k": f"iso:user:{bob.user_id}"})
    assert bucket_tokens(bob.tenant_id, f"iso:user:{bob.user_id}") == pytest.approx(4.0)
    assert bucket_tokens(ann.tenant_id, f"iso:user:{bob.user_id}") == 0.0


CHILD = textwrap.dedent("""
    import sys
    from db.ratelimit import take
    tenant, user, n = sys.argv[1], sys.argv[2], int(sys.argv[3])
    allowed = sum(take(tenant, user, per_user=(20, 1e-6), per_tenant=(1e9, 1e6)).allowed for _ in range(n))
    print(allowed)
""")


def test_buckets_are_shared_by_concurrent_processes(people):
    """Two processes hammer one 20-token bucket at the same time: exactly 20 takes succeed in total."""
    p = fresh_user()
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    args = [sys.executable, "-c", CHILD, str(p.tenant_id), str(p.user_id), "15"]
    children = [subprocess.Popen(args, cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
                for _ in range(2)]
    outs = [c.communicate(timeout=120) for c in children]
    assert all(c.returncode == 0 for c in children), [o[1][-2000:] for o in outs]
    counts = [int(o[0].strip()) for o in outs]
    assert sum(counts) == 20, counts
    # And this process sees the same, empty bucket.
    assert not take(p, per_user=(20, 1e-6), per_tenant=NO_LIMIT).allowed


def test_invalid_limits_are_refused(people):
    with pytest.raises(ValueError, match="capacity >= 1"):
        take(people["ann"], per_user=(0, 1))
    with pytest.raises(ValueError, match="refill rate > 0"):
        take(people["ann"], per_tenant=(5, 0))
