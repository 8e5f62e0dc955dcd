"""Model monitoring (FR-018.5) and staged rollout: what each chat turn cost and how it went, per model version and
route; trend verdicts, drift, alerts with delivery and acknowledgement, retraining recommendations, and the A/B
comparison of a `staging` version served to part of a tenant's users.

Data (migration 0013, tenant tables under row-level security; every read and write goes through
`db.session.tenant_session(tenant_id)`):
- `monitor_turns`: one row per chat turn (`record_turn`, called by agents/turn.py): route, model label, registry
  version and arm (production/staging), outcome ok/error/timeout, latency, estimated cost and the question's
  embedding. **No question text is stored** (the audit log keeps only the redacted tool input): the embedding is
  enough for drift detection and is far less revealing than the text.
- thumbs and comments come from `chat_feedback` (route, model, created_at).

Statistics (named on the console page):
- latency p50/p95/p99: nearest-rank percentiles per day.
- trend verdict of a daily rate (thumbs-up rate, error rate): the **Mann-Kendall** trend test on the daily series
  (two-sided, `TREND_ALPHA` = 0.05, at least `MIN_TREND_DAYS` days); a significant upward quality trend is
  "improving", downward "degrading", otherwise "stable".
- question drift: **MMD** (maximum mean discrepancy, RBF kernel with the median-distance bandwidth) between the
  embeddings of the reference window and the recent window, with a **permutation test** (`PERMUTATIONS` shuffles);
  drift when p < `SIGHTLINE_MONITOR_ALPHA` (default 0.01).
- route-mix drift: **chi-square** test of homogeneity of route counts (reference vs recent), PSI reported alongside;
  drift when p < alpha.
- A/B (staging vs production): **two-proportion z-test** on thumbs-up rates and on error rates.

Cost model: `cost = SIGHTLINE_COST_PER_REQUEST_USD + SIGHTLINE_COST_PER_SECOND_USD * latency_s` per turn.

Alerts: `check(tenant_id)` evaluates quality (degrading trend or a significant drop vs the reference window), error
rate, p95 latency, cost spike, question drift and route drift; a condition with no open (unacknowledged) alert of its
kind raises one, stored in `monitor_alerts` and delivered by e-mail (training/notify.py's SMTP sender and settings)
and to the Slack-compatible webhook (SIGHTLINE_NOTIFY_WEBHOOK_URL). Delivery never raises; failures are stored on the
alert. At most one alert per kind is open per tenant, also under concurrent checks (a unique index, migration 0014).
`check_all` checks every active tenant: `sightline worker` runs it every SIGHTLINE_ALERT_CHECK_MINUTES (a periodic
task on the queue, training/queue.py), and `sightline alerts check --all` on demand. `acknowledge` marks an alert as
seen by a user.

Staged rollout: `rollout_configs` per tenant (target, share 0..1, chosen users). `arm_for(tenant, user, config)` is
a deterministic hash of the tenant and user id (SHA-256, first 8 bytes / 2^64 < share) or membership of the chosen
users; agents/models.py serves `<target>@staging` to the staging arm.
"""

from __future__ import annotations

import hashlib
import json
import logging
import math
import socket
import uuid
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field
from datetime import UTC, date, datetime, timedelta
from typing import Any

import numpy as np
import sqlalchemy as sa
from scipy import stats

from config import get_settings
from config.settings import Settings
from db.session import tenant_session

log = logging.getLogger(__name__)

TREND_ALPHA = 0.05
MIN_TREND_DAYS = 5
PERMUTATIONS = 200
MAX_DRIFT_SAMPLE = 300
MIN_DRIFT_SAMPLE = 20
AB_ALPHA = 0.05
ALERT_KINDS = ("quality", "error_rate", "latency", "cost", "drift", "route_drift")
STATUSES = ("ok", "error", "timeout")
ARMS = ("production", "staging")

TREND_TEST = "Mann-Kendall trend test on the daily series (two-sided, alpha 0.05)"
DRIFT_TEST = "MMD with an RBF kernel (median bandwidth) and a permutation test"
ROUTE_TEST = "chi-square test of homogeneity of route counts (PSI shown)"
AB_TEST = "two-proportion z-test (two-sided, alpha 0.05)"


# --- statistics ----------------------------------------------------------------------------------------------------

def percentile(values: Sequence[float], q: float) -> float | None:
    """Nearest-rank percentile (q in 0..100) of `values`; None when empty."""
    if not values:
        return None
    ordered = sorted(values)
    rank = max(1, math.ceil(q / 100 * len(ordered)))
    return float(ordered[rank - 1])


@dataclass(frozen=True)
class TestResult:
    test: str
    statistic: float
    p_value: float
    significant: bool
    detail: str = ""


def two_proportion_z(x1: int, n1: int, x2: int, n2: int, alpha: float = AB_ALPHA) -> TestResult:
    """Two-sided two-proportion z-test of x1/n1 vs x2/n2 (pooled standard error). z > 0: the first is higher."""
    if n1 == 0 or n2 == 0:
        return TestResult("two-proportion z-test", 0.0, 1.0, False, "not enough data")
    p1, p2 = x1 / n1, x2 / n2
    pooled = (x1 + x2) / (n1 + n2)
    se = math.sqrt(pooled * (1 - pooled) * (1 / n1 + 1 / n2))
    if se == 0:
        return TestResult("two-proportion z-test", 0.0, 1.0, False, "no variation")
    z = (p1 - p2) / se
    p = float(2 * stats.norm.sf(abs(z)))
    return TestResult("two-proportion z-test", float(z), p, p < alpha, f"{p1:.3f} (n={n1}) vs {p2:.3f} (n={n2})")


def mann_kendall(series: Sequence[float], alpha: float = TREND_ALPHA) -> TestResult:
    """Mann-Kendall trend test (normal approximation with the tie correction); statistic is Kendall's S's z score."""
    x = [float(v) for v in series]
    n = len(x)
    if n < 3:
        return TestResult("Mann-Kendall", 0.0, 1.0, False, "fewer than 3 points")
    s = sum(np.sign(x[j] - x[i]) for i in range(n - 1) for j in range(i + 1, n))
    _, counts = np.unique(np.round(x, 12), return_counts=True)
    var = (n * (n - 1) * (2 * n + 5) - sum(t * (t - 1) * (2 * t + 5) for t in counts)) / 18
    if var <= 0:
        return TestResult("Mann-Kendall", 0.0, 1.0, False, "constant series")
    z = (s - 1) / math.sqrt(var) if s > 0 else (s + 1) / math.sqrt(var) if s < 0 else 0.0
    p = float(2 * stats.norm.sf(abs(z)))
    return TestResult("Mann-Kendall", float(z), p, p < alpha, f"S={int(s)}, n={n}")


def trend_verdict(series: Sequence[float], *, higher_is_better: bool = True) -> tuple[str, TestResult]:
    """'improving' / 'stable' / 'degrading' for a daily series (None days dropped), with the Mann-Kendall result."""
    values = [v for v in series if v is not None and not math.isnan(v)]
    if len(values) < MIN_TREND_DAYS:
        return "stable", TestResult("Mann-Kendall", 0.0, 1.0, False, f"only {len(values)} days with data "
                                                                     f"(needs {MIN_TREND_DAYS})")
    result = mann_kendall(values)
    if not result.significant:
        return "stable", result
    up = result.statistic > 0
    return ("improving" if up == higher_is_better else "degrading"), result


def _rbf_gram(z: np.ndarray) -> np.ndarray:
    sq = np.sum(z * z, axis=1)
    d2 = np.maximum(sq[:, None] + sq[None, :] - 2 * z @ z.T, 0.0)
    upper = d2[np.triu_indices_from(d2, k=1)]
    bandwidth = float(np.median(upper)) if upper.size else 1.0
    return np.exp(-d2 / (bandwidth or 1.0))


def _mmd2(k: np.ndarray, idx_x: np.ndarray, idx_y: np.ndarray) -> float:
    kxx = k[np.ix_(idx_x, idx_x)]
    kyy = k[np.ix_(idx_y, idx_y)]
    kxy = k[np.ix_(idx_x, idx_y)]
    m, n = len(idx_x), len(idx_y)
    return float((kxx.sum() - np.trace(kxx)) / (m * (m - 1)) + (kyy.sum() - np.trace(kyy)) / (n * (n - 1))
                 - 2 * kxy.mean())


def mmd_test(reference: np.ndarray, recent: np.ndarray, *, alpha: float, permutations: int = PERMUTATIONS,
             seed: int = 0) -> TestResult:
    """Unbiased MMD^2 between two samples of vectors with a permutation p-value ((1 + #perm >= obs) / (1 + P))."""
    rng = np.random.default_rng(seed)
    if len(reference) > MAX_DRIFT_SAMPLE:
        reference = reference[rng.choice(len(reference), MAX_DRIFT_SAMPLE, replace=False)]
    if len(recent) > MAX_DRIFT_SAMPLE:
        recent = recent[rng.choice(len(recent), MAX_DRIFT_SAMPLE, replace=False)]
    m, n = len(reference), len(recent)
    if m < MIN_DRIFT_SAMPLE or n < MIN_DRIFT_SAMPLE:
        return TestResult("MMD permutation test", 0.0, 1.0, False,
                          f"needs {MIN_DRIFT_SAMPLE} questions per window (have {m} and {n})")
    k = _rbf_gram(np.vstack([reference, recent]).astype(np.float64))
    idx = np.arange(m + n)
    observed = _mmd2(k, idx[:m], idx[m:])
    permutations = max(permutations, math.ceil(2 / alpha))  # the smallest p-value must be able to beat alpha
    hits = 0
    for _ in range(permutations):
        perm = rng.permutation(m + n)
        if _mmd2(k, perm[:m], perm[m:]) >= observed:
            hits += 1
    p = (1 + hits) / (1 + permutations)
    return TestResult("MMD permutation test", observed, p, p < alpha, f"MMD^2={observed:.4f}, n={m} vs {n}")


def psi(reference: dict[str, int], recent: dict[str, int], eps: float = 1e-4) -> float:
    """Population stability index of two categorical distributions (counts)."""
    keys = sorted(set(reference) | set(recent))
    rt, ct = sum(reference.values()) or 1, sum(recent.values()) or 1
    total = 0.0
    for key in keys:
        a = max(reference.get(key, 0) / rt, eps)
        b = max(recent.get(key, 0) / ct, eps)
        total += (b - a) * math.log(b / a)
    return total


def route_mix_test(reference: dict[str, int], recent: dict[str, int], *, alpha: float) -> TestResult:
    """Chi-square test of homogeneity of two route-count tables (PSI in the detail)."""
    keys = sorted(k for k in set(reference) | set(recent) if reference.get(k, 0) + recent.get(k, 0) > 0)
    if len(keys) < 2 or sum(reference.values()) < MIN_DRIFT_SAMPLE or sum(recent.values()) < MIN_DRIFT_SAMPLE:
        return TestResult("chi-square", 0.0, 1.0, False, "not enough turns or routes")
    table = np.array([[reference.get(k, 0) for k in keys], [recent.get(k, 0) for k in keys]])
    chi2, p, _, _ = stats.chi2_contingency(table)
    return TestResult("chi-square", float(chi2), float(p), float(p) < alpha, f"PSI={psi(reference, recent):.3f}")


def estimate_cost(latency_ms: int, settings: Settings | None = None) -> float:
    """The documented cost model: per-request part + per-second part x latency."""
    s = settings or get_settings()
    return s.monitor_cost_per_request_usd + s.monitor_cost_per_second_usd * max(latency_ms, 0) / 1000


# --- staged rollout ------------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class RolloutConfig:
    target: str
    share: float
    users: tuple[str, ...] = ()


def bucket(tenant_id: uuid.UUID | str, user_id: uuid.UUID | str) -> float:
    """A stable number in [0, 1) for a user of a tenant (SHA-256 of both ids)."""
    digest = hashlib.sha256(f"sightline-rollout:{tenant_id}:{user_id}".encode()).digest()
    return int.from_bytes(digest[:8], "big") / 2 ** 64


def arm_for(tenant_id: uuid.UUID | str, user_id: uuid.UUID | str | None, config: RolloutConfig | None) -> str:
    """'staging' for a chosen user or one whose bucket is below the share, else 'production'."""
    if config is None or user_id is None:
        return "production"
    if str(user_id) in config.users:
        return "staging"
    return "staging" if bucket(tenant_id, user_id) < config.share else "production"


def get_rollout(tenant_id: uuid.UUID | str) -> RolloutConfig | None:
    try:
        with tenant_session(tenant_id) as conn:
            row = conn.execute(sa.text("SELECT target, share, users FROM rollout_configs")).first()
    except sa.exc.ProgrammingError:  # schema older than 0013
        return None
    if row is None:
        return None
    return RolloutConfig(target=row.target, share=float(row.share), users=tuple(str(u) for u in row.users or ()))


def set_rollout(tenant_id: uuid.UUID | str, target: str, share: float, users: Sequence[str] = ()) -> RolloutConfig:
    """Create or replace the tenant's staged rollout (share 0..1; users are user ids of the tenant)."""
    from db.model_registry import parse_alias

    parse_alias(target)  # validates the target name
    if not 0 <= share <= 1:
        raise ValueError("share must be between 0 and 1")
    ids = [str(uuid.UUID(str(u))) for u in users]
    with tenant_session(tenant_id) as conn:
        known = set(map(str, conn.execute(sa.text("SELECT id FROM users WHERE id = ANY(CAST(:u AS uuid[]))"),
                                          {"u": ids}).scalars()))
        unknown = [u for u in ids if u not in known]
        if unknown:
            raise ValueError(f"not users of this tenant: {', '.join(unknown)}")
        conn.execute(sa.text(
            "INSERT INTO rollout_configs (target, share, users) VALUES (:t, :s, CAST(:u AS uuid[])) "
            "ON CONFLICT (tenant_id) DO UPDATE SET target = EXCLUDED.target, share = EXCLUDED.share, "
            "users = EXCLUDED.users, updated_at = now()"), {"t": target, "s": share, "u": ids})
    return RolloutConfig(target=target, share=share, users=tuple(ids))


def clear_rollout(tenant_id: uuid.UUID | str) -> bool:
    with tenant_session(tenant_id) as conn:
        return conn.execute(sa.text("DELETE FROM rollout_configs")).rowcount > 0


def staged_alias(principal: Any, target: str) -> str | None:
    """`<target>@staging` when the principal's user is in the staging arm of their tenant's rollout of `target`."""
    config = get_rollout(principal.tenant_id)
    if config is None or config.target != target:
        return None
    if arm_for(principal.tenant_id, principal.user_id, config) != "staging":
        return None
    return f"{target}@staging"


# --- recording -----------------------------------------------------------------------------------------------------

def record_turn(tenant_id: uuid.UUID | str, *, user_id: uuid.UUID | str | None, route: str, model: str,
                status: str, latency_ms: int, version: str | None = None, arm: str = "production",
                embedding: Sequence[float] | None = None, at: datetime | None = None) -> None:
    """Store one turn (no question text; the embedding only). `at` is for back-filling and tests."""
    if status not in STATUSES:
        raise ValueError(f"status must be one of {STATUSES}")
    if arm not in ARMS:
        raise ValueError(f"arm must be one of {ARMS}")
    latency_ms = max(int(latency_ms), 0)
    with tenant_session(tenant_id) as conn:
        conn.execute(sa.text(
            "INSERT INTO monitor_turns (at, user_id, route, model, version, arm, status, latency_ms, cost_usd, "
            "embedding) VALUES (COALESCE(:at, now()), :u, :r, :m, :v, :a, :s, :l, :c, CAST(:e AS real[]))"),
            {"at": at, "u": str(user_id) if user_id else None, "r": route or "unknown", "m": (model or "")[:300],
             "v": version, "a": arm, "s": status, "l": latency_ms, "c": estimate_cost(latency_ms),
             "e": [float(v) for v in embedding] if embedding is not None else None})
    from app import metrics

    metrics.MODEL_TURNS.labels(route=route or "unknown", version=version or "base", arm=arm, status=status).inc()
    metrics.MODEL_TURN_SECONDS.labels(version=version or "base", arm=arm).observe(latency_ms / 1000)
    metrics.MODEL_COST.labels(version=version or "base", arm=arm).inc(estimate_cost(latency_ms))


def record_answered_turn(principal: Any, question: str, *, route: str, model: str, status: str,
                         latency_ms: float) -> None:
    """agents/turn.py's hook: record a turn of `principal` (its question embedded, never stored as text). The version
    is the registry version named in the model label; the arm is the user's arm under the tenant's rollout (the A/B
    unit is the user). Never raises: monitoring must not fail a chat turn."""
    try:
        from tools.embeddings import embed_one

        version = _version_of_label(model)
        record_turn(principal.tenant_id, user_id=principal.user_id, route=route, model=model, status=status,
                    latency_ms=int(latency_ms), version=None if version == "base" else version,
                    arm=arm_for(principal.tenant_id, principal.user_id, get_rollout(principal.tenant_id)),
                    embedding=embed_one(question) if question else None)
    except Exception:  # noqa: BLE001
        log.exception("monitoring: could not record a turn")


# --- reading -------------------------------------------------------------------------------------------------------

@dataclass
class DayStats:
    day: date
    version: str
    route: str
    requests: int = 0
    errors: int = 0
    timeouts: int = 0
    p50_ms: float | None = None
    p95_ms: float | None = None
    p99_ms: float | None = None
    cost_per_request: float | None = None
    thumbs_up: int = 0
    thumbs_down: int = 0
    comments: int = 0

    @property
    def up_rate(self) -> float | None:
        n = self.thumbs_up + self.thumbs_down
        return self.thumbs_up / n if n else None

    @property
    def error_rate(self) -> float | None:
        return (self.errors + self.timeouts) / self.requests if self.requests else None


def daily_stats(tenant_id: uuid.UUID | str, days: int = 30, *, now: datetime | None = None) -> list[DayStats]:
    """Per day, version (registry version, or "base") and route: the turn counts, latency percentiles, cost and the
    thumbs/comments given that day (feedback's `model` label is the version's group when the turn's is unknown)."""
    since = (now or datetime.now(UTC)) - timedelta(days=days)
    with tenant_session(tenant_id, role="admin") as conn:
        turns = conn.execute(sa.text(
            "SELECT (at AT TIME ZONE 'UTC')::date AS day, COALESCE(version, 'base') AS version, route, status, "
            "latency_ms, cost_usd FROM monitor_turns WHERE at >= :since"), {"since": since}).all()
        feedback = conn.execute(sa.text(
            "SELECT (created_at AT TIME ZONE 'UTC')::date AS day, COALESCE(route, 'unknown') AS route, "
            "COALESCE(model, '') AS model, value, (comment IS NOT NULL AND btrim(comment) <> '') AS has_comment "
            "FROM chat_feedback WHERE created_at >= :since"), {"since": since}).all()
    cells: dict[tuple[date, str, str], DayStats] = {}
    lat: dict[tuple[date, str, str], list[int]] = {}
    cost: dict[tuple[date, str, str], float] = {}
    for t in turns:
        key = (t.day, t.version, t.route)
        cell = cells.setdefault(key, DayStats(t.day, t.version, t.route))
        cell.requests += 1
        cell.errors += t.status == "error"
        cell.timeouts += t.status == "timeout"
        lat.setdefault(key, []).append(t.latency_ms)
        cost[key] = cost.get(key, 0.0) + t.cost_usd
    for f in feedback:
        version = _version_of_label(f.model)
        key = (f.day, version, f.route)
        cell = cells.setdefault(key, DayStats(f.day, version, f.route))
        if f.value:
            cell.thumbs_up += 1
        else:
            cell.thumbs_down += 1
        cell.comments += bool(f.has_comment)
    for key, cell in cells.items():
        values = lat.get(key, [])
        cell.p50_ms, cell.p95_ms, cell.p99_ms = (percentile(values, q) for q in (50, 95, 99))
        cell.cost_per_request = cost[key] / cell.requests if cell.requests else None
    return sorted(cells.values(), key=lambda c: (c.day, c.version, c.route))


def _version_of_label(label: str) -> str:
    """A registry version id named in an answer's model label ('... + adapter /x/industry-v3'), else 'base'."""
    import re

    m = re.search(r"((?:industry|tenant-[a-z0-9-]+)-v[0-9]+)", label or "")
    return m.group(1) if m else "base"


def daily_series(cells: list[DayStats], *, version: str | None = None, route: str | None = None
                 ) -> list[dict[str, Any]]:
    """Cells merged per day (optionally for one version/route), for charts and trend tests. Latency percentiles of
    a day with several cells are the request-weighted mean of the cells' percentiles (exact for one cell)."""
    by_day: dict[date, list[DayStats]] = {}
    for c in cells:
        if (version and c.version != version) or (route and c.route != route):
            continue
        by_day.setdefault(c.day, []).append(c)
    out = []
    for day in sorted(by_day):
        group = by_day[day]
        n = sum(c.requests for c in group)
        up = sum(c.thumbs_up for c in group)
        down = sum(c.thumbs_down for c in group)
        bad = sum(c.errors + c.timeouts for c in group)

        def weighted(attr: str, group: list[DayStats] = group, n: int = n) -> float | None:
            vals = [(getattr(c, attr), c.requests) for c in group if getattr(c, attr) is not None and c.requests]
            return sum(v * w for v, w in vals) / n if vals and n else None

        out.append({"day": day.isoformat(), "requests": n, "errors": sum(c.errors for c in group),
                    "timeouts": sum(c.timeouts for c in group), "error_rate": bad / n if n else None,
                    "up_rate": up / (up + down) if up + down else None, "thumbs_up": up, "thumbs_down": down,
                    "comments": sum(c.comments for c in group), "p50_ms": weighted("p50_ms"),
                    "p95_ms": weighted("p95_ms"), "p99_ms": weighted("p99_ms"),
                    "cost_per_request": weighted("cost_per_request")})
    return out


@dataclass
class Summary:
    """One (version, route) row of the monitoring table with its trend verdicts."""

    version: str
    route: str
    requests: int
    errors: int
    timeouts: int
    p50_ms: float | None
    p95_ms: float | None
    p99_ms: float | None
    cost_per_request: float | None
    up_rate: float | None
    ratings: int
    comments: int
    quality_trend: str
    quality_test: str
    error_trend: str
    error_test: str


def summaries(tenant_id: uuid.UUID | str, days: int = 30, *, now: datetime | None = None) -> list[Summary]:
    since = (now or datetime.now(UTC)) - timedelta(days=days)
    with tenant_session(tenant_id, role="admin") as conn:
        rows = conn.execute(sa.text(
            "SELECT COALESCE(version, 'base') AS version, route, count(*) AS n, "
            "count(*) FILTER (WHERE status = 'error') AS errors, count(*) FILTER (WHERE status = 'timeout') AS tos, "
            "percentile_disc(0.5) WITHIN GROUP (ORDER BY latency_ms) AS p50, "
            "percentile_disc(0.95) WITHIN GROUP (ORDER BY latency_ms) AS p95, "
            "percentile_disc(0.99) WITHIN GROUP (ORDER BY latency_ms) AS p99, avg(cost_usd) AS cost "
            "FROM monitor_turns WHERE at >= :since GROUP BY 1, 2 ORDER BY 1, 2"), {"since": since}).all()
    cells = daily_stats(tenant_id, days, now=now)
    keys = {(r.version, r.route) for r in rows} | {(c.version, c.route) for c in cells}
    by_key = {(r.version, r.route): r for r in rows}
    out = []
    for version, route in sorted(keys):
        series = daily_series(cells, version=version, route=route)
        up = sum(d["thumbs_up"] for d in series)
        down = sum(d["thumbs_down"] for d in series)
        q_verdict, q_test = trend_verdict([d["up_rate"] for d in series if d["up_rate"] is not None])
        e_verdict, e_test = trend_verdict([d["error_rate"] for d in series if d["error_rate"] is not None],
                                          higher_is_better=False)
        r = by_key.get((version, route))
        out.append(Summary(
            version=version, route=route, requests=r.n if r else 0, errors=r.errors if r else 0,
            timeouts=r.tos if r else 0, p50_ms=r.p50 if r else None, p95_ms=r.p95 if r else None,
            p99_ms=r.p99 if r else None, cost_per_request=float(r.cost) if r and r.cost is not None else None,
            up_rate=up / (up + down) if up + down else None, ratings=up + down,
            comments=sum(d["comments"] for d in series), quality_trend=q_verdict,
            quality_test=f"{q_test.test}: p={q_test.p_value:.3g} ({q_test.detail})", error_trend=e_verdict,
            error_test=f"{e_test.test}: p={e_test.p_value:.3g} ({e_test.detail})"))
    return out


@dataclass
class DriftReport:
    reference: str  # "2026-11-17..2026-12-01"
    recent: str
    questions: TestResult
    routes: TestResult
    reference_routes: dict[str, int] = field(default_factory=dict)
    recent_routes: dict[str, int] = field(default_factory=dict)


def _windows(settings: Settings, now: datetime) -> tuple[datetime, datetime, datetime]:
    recent_start = now - timedelta(days=settings.monitor_recent_days)
    ref_start = recent_start - timedelta(days=settings.monitor_reference_days)
    return ref_start, recent_start, now


def drift(tenant_id: uuid.UUID | str, *, now: datetime | None = None, settings: Settings | None = None
          ) -> DriftReport:
    """Question-embedding drift (MMD permutation test) and route-mix drift (chi-square) of the recent window
    against the reference window before it."""
    s = settings or get_settings()
    now = now or datetime.now(UTC)
    ref_start, recent_start, end = _windows(s, now)
    with tenant_session(tenant_id, role="admin") as conn:
        rows = conn.execute(sa.text(
            "SELECT at >= :rs AS recent, route, embedding FROM monitor_turns WHERE at >= :fs AND at < :end"),
            {"rs": recent_start, "fs": ref_start, "end": end}).all()
    ref_vecs = [r.embedding for r in rows if not r.recent and r.embedding]
    cur_vecs = [r.embedding for r in rows if r.recent and r.embedding]
    dims = {len(v) for v in ref_vecs + cur_vecs}
    if len(dims) == 1 and ref_vecs and cur_vecs:
        q = mmd_test(np.array(ref_vecs), np.array(cur_vecs), alpha=s.monitor_alpha)
    else:
        q = TestResult("MMD permutation test", 0.0, 1.0, False, "no comparable embeddings in both windows")
    ref_routes: dict[str, int] = {}
    cur_routes: dict[str, int] = {}
    for r in rows:
        target = cur_routes if r.recent else ref_routes
        target[r.route] = target.get(r.route, 0) + 1
    routes = route_mix_test(ref_routes, cur_routes, alpha=s.monitor_alpha)
    from app import metrics

    metrics.DRIFT_P.labels(test="questions").set(q.p_value)
    metrics.DRIFT_P.labels(test="routes").set(routes.p_value)
    fmt = "%Y-%m-%d"
    return DriftReport(reference=f"{ref_start:{fmt}}..{recent_start:{fmt}}",
                       recent=f"{recent_start:{fmt}}..{end:{fmt}}", questions=q, routes=routes,
                       reference_routes=ref_routes, recent_routes=cur_routes)


@dataclass
class ABReport:
    target: str | None
    share: float
    users: int
    production: dict[str, int]
    staging: dict[str, int]
    thumbs: TestResult
    errors: TestResult
    verdict: str


def ab_compare(tenant_id: uuid.UUID | str, days: int = 30, *, now: datetime | None = None) -> ABReport:
    """Staging vs production arm: thumbs-up rate (feedback of users in each arm under the current rollout) and
    error rate (turns recorded with their arm), each with a two-proportion z-test."""
    config = get_rollout(tenant_id)
    since = (now or datetime.now(UTC)) - timedelta(days=days)
    with tenant_session(tenant_id, role="admin") as conn:
        turns = conn.execute(sa.text(
            "SELECT arm, count(*) AS n, count(*) FILTER (WHERE status <> 'ok') AS bad FROM monitor_turns "
            "WHERE at >= :s GROUP BY arm"), {"s": since}).all()
        fb = conn.execute(sa.text("SELECT user_id, value FROM chat_feedback WHERE created_at >= :s"),
                          {"s": since}).all()
    arms = {a: {"turns": 0, "errors": 0, "up": 0, "ratings": 0} for a in ARMS}
    for t in turns:
        arms[t.arm]["turns"] += t.n
        arms[t.arm]["errors"] += t.bad
    for f in fb:
        a = arm_for(tenant_id, f.user_id, config)
        arms[a]["ratings"] += 1
        arms[a]["up"] += int(f.value)
    st, pr = arms["staging"], arms["production"]
    thumbs = two_proportion_z(st["up"], st["ratings"], pr["up"], pr["ratings"])
    errors = two_proportion_z(st["errors"], st["turns"], pr["errors"], pr["turns"])
    if thumbs.significant and thumbs.statistic < 0 or errors.significant and errors.statistic > 0:
        verdict = "staging is worse: roll back"
    elif thumbs.significant and thumbs.statistic > 0 and not (errors.significant and errors.statistic > 0):
        verdict = "staging is better: promote"
    else:
        verdict = "no significant difference yet"
    return ABReport(target=config.target if config else None, share=config.share if config else 0.0,
                    users=len(config.users) if config else 0, production=pr, staging=st, thumbs=thumbs,
                    errors=errors, verdict=verdict)


# --- alerts --------------------------------------------------------------------------------------------------------

@dataclass
class Alert:
    id: int
    at: datetime
    kind: str
    subject: str
    detail: str
    measured: dict[str, Any]
    delivered: list[str]
    delivery_errors: list[str]
    acked_at: datetime | None
    acked_by: str | None


@dataclass(frozen=True)
class Condition:
    kind: str
    subject: str
    detail: str
    measured: dict[str, Any]


def conditions(tenant_id: uuid.UUID | str, *, now: datetime | None = None, settings: Settings | None = None
               ) -> list[Condition]:
    """What is wrong now (each becomes an alert unless one of its kind is open)."""
    s = settings or get_settings()
    now = now or datetime.now(UTC)
    ref_start, recent_start, end = _windows(s, now)
    out: list[Condition] = []
    with tenant_session(tenant_id, role="admin") as conn:
        w = conn.execute(sa.text(
            "SELECT at >= :rs AS recent, count(*) AS n, count(*) FILTER (WHERE status <> 'ok') AS bad, "
            "percentile_disc(0.95) WITHIN GROUP (ORDER BY latency_ms) AS p95, avg(cost_usd) AS cost "
            "FROM monitor_turns WHERE at >= :fs AND at < :end GROUP BY 1"),
            {"rs": recent_start, "fs": ref_start, "end": end}).all()
        fb = conn.execute(sa.text(
            "SELECT created_at >= :rs AS recent, count(*) AS n, sum(value) AS up FROM chat_feedback "
            "WHERE created_at >= :fs AND created_at < :end GROUP BY 1"),
            {"rs": recent_start, "fs": ref_start, "end": end}).all()
    win = {bool(r.recent): r for r in w}
    cur, ref = win.get(True), win.get(False)
    if cur is not None and cur.n >= MIN_DRIFT_SAMPLE:
        rate = cur.bad / cur.n
        if rate > s.monitor_error_rate_max:
            out.append(Condition("error_rate", f"error rate {rate:.1%} over the last {s.monitor_recent_days} days",
                                 f"{cur.bad} of {cur.n} turns failed or timed out (threshold "
                                 f"{s.monitor_error_rate_max:.0%}).", {"error_rate": rate, "turns": cur.n}))
        if cur.p95 is not None and cur.p95 > s.monitor_p95_ms_max:
            out.append(Condition("latency", f"p95 latency {cur.p95} ms", f"threshold {s.monitor_p95_ms_max} ms over "
                                 f"{cur.n} turns.", {"p95_ms": cur.p95}))
        if ref is not None and ref.n >= MIN_DRIFT_SAMPLE and ref.cost and cur.cost:
            ratio = float(cur.cost) / float(ref.cost)
            if ratio > s.monitor_cost_spike_ratio:
                out.append(Condition("cost", f"cost per request x{ratio:.1f}",
                                     f"${float(cur.cost):.5f} now vs ${float(ref.cost):.5f} in the reference window "
                                     f"(threshold x{s.monitor_cost_spike_ratio}).", {"ratio": ratio}))
    fbw = {bool(r.recent): r for r in fb}
    fc, fr = fbw.get(True), fbw.get(False)
    if fc is not None and fr is not None:
        t = two_proportion_z(int(fc.up or 0), fc.n, int(fr.up or 0), fr.n, alpha=s.monitor_alpha)
        if t.significant and t.statistic < 0:
            out.append(Condition("quality", "thumbs-up rate dropped",
                                 f"{AB_TEST.replace('0.05', str(s.monitor_alpha))}: {t.detail} (recent vs "
                                 f"reference), p={t.p_value:.3g}.", {"z": t.statistic, "p": t.p_value}))
    for summ in summaries(tenant_id, days=s.monitor_reference_days + s.monitor_recent_days, now=now):
        if summ.quality_trend == "degrading":
            out.append(Condition("quality", f"thumbs-up rate of {summ.version} on {summ.route} is degrading",
                                 summ.quality_test, {"version": summ.version, "route": summ.route}))
            break
    d = drift(tenant_id, now=now, settings=s)
    if d.questions.significant:
        out.append(Condition("drift", "questions drifted from the reference window",
                             f"{DRIFT_TEST}: {d.questions.detail}, p={d.questions.p_value:.3g} < {s.monitor_alpha} "
                             f"(reference {d.reference}, recent {d.recent}).",
                             {"mmd2": d.questions.statistic, "p": d.questions.p_value}))
    if d.routes.significant:
        out.append(Condition("route_drift", "route mix changed",
                             f"{ROUTE_TEST}: chi2={d.routes.statistic:.1f}, p={d.routes.p_value:.3g}, "
                             f"{d.routes.detail}; reference {d.reference_routes}, recent {d.recent_routes}.",
                             {"chi2": d.routes.statistic, "p": d.routes.p_value}))
    return out


@dataclass(frozen=True)
class AlertNotice:
    """An alert as training/notify.py's e-mail sender reads a notice (subject, host, summary, log tail)."""

    subject: str
    body: str
    host: str
    log_tail: str = ""

    def summary(self) -> str:
        return self.body


def deliver(tenant_slug: str, condition: Condition, settings: Settings | None = None) -> tuple[list[str], list[str]]:
    """E-mail (training/notify.py's SMTP sender) and webhook; returns (sent, errors); never raises."""
    import httpx

    from training import notify

    s = settings or get_settings()
    subject = f"[sightline] {tenant_slug}: {condition.kind} alert: {condition.subject}"
    body = (f"{condition.subject}\n{condition.detail}\n\nRecommendation: {recommendation(condition.kind)}\n"
            f"Acknowledge in the console (/admin/monitoring) or `sightline alerts ack ID --tenant {tenant_slug}`.")
    notice = AlertNotice(subject=subject, body=body, host=socket.gethostname())
    sent: list[str] = []
    errors: list[str] = []
    if s.smtp_host and notify._recipients(s):
        try:
            notify.send_email(notice, s)  # type: ignore[arg-type] - duck-typed notice
            sent.append("email")
        except Exception as exc:  # noqa: BLE001 - reported on the alert, never fatal
            errors.append(f"email: {type(exc).__name__}: {exc}"[:300])
    if s.notify_webhook_url:
        payload = {"text": f":rotating_light: {subject}",
                   "blocks": [{"type": "section", "text": {"type": "mrkdwn", "text": f"*{subject}*\n{body}"}}],
                   "alert": {"tenant": tenant_slug, **asdict(condition)}}
        try:
            resp = httpx.post(s.notify_webhook_url, content=json.dumps(payload, default=str),
                              headers={"Content-Type": "application/json"}, timeout=notify.TIMEOUT_S,
                              follow_redirects=False)
            if resp.status_code >= 300:
                raise RuntimeError(f"HTTP {resp.status_code}")
            sent.append("webhook")
        except Exception as exc:  # noqa: BLE001
            errors.append(f"webhook: {type(exc).__name__}: {exc}"[:300])
    for e in errors:
        log.warning("alert delivery failed: %s", e)
    return sent, errors


RECOMMENDATIONS = {
    "quality": "retrain: collect the recent thumbs-down answers and comments into a dataset (the feedback view), "
               "fine-tune a new version and compare it on a staged rollout before promoting it",
    "drift": "retrain: users now ask about topics the reference window did not have; add recent questions (and "
             "documents on those topics) to the training data and re-run the evaluation",
    "route_drift": "review routing: the share of questions per route changed; check the router examples and, if the "
                   "new mix is here to stay, retrain the adapter of the route that grew",
    "error_rate": "investigate before retraining: errors are usually a backend, database or timeout problem (see "
                  "`sightline audit` and the logs); roll back a recently promoted version if it started then",
    "latency": "no retraining: scale the model server or use a smaller model/adapter; check timeouts",
    "cost": "no retraining: the cost per request rose with latency; check the model server and long answers",
}


def recommendation(kind: str) -> str:
    return RECOMMENDATIONS[kind]


def recommendations(tenant_id: uuid.UUID | str, *, now: datetime | None = None) -> list[dict[str, str]]:
    """Retraining recommendations with the reason (the measured condition) for each current condition."""
    return [{"kind": c.kind, "why": f"{c.subject}: {c.detail}", "recommendation": recommendation(c.kind)}
            for c in conditions(tenant_id, now=now)]


def _alert(row: Any) -> Alert:
    return Alert(id=row.id, at=row.at, kind=row.kind, subject=row.subject, detail=row.detail,
                 measured=row.measured or {}, delivered=list(row.delivered or ()),
                 delivery_errors=list(row.delivery_errors or ()), acked_at=row.acked_at,
                 acked_by=str(row.acked_by) if row.acked_by else None)


_ALERT_COLS = "id, at, kind, subject, detail, measured, delivered, delivery_errors, acked_at, acked_by"


def check(tenant_id: uuid.UUID | str, tenant_slug: str, *, now: datetime | None = None,
          settings: Settings | None = None) -> list[Alert]:
    """Evaluate the conditions; raise (store + deliver) an alert for each kind without an open one. Returns the new
    alerts.

    Idempotent, also when several checks run at once (the scheduled check, "Check now", the CLI): the alert row is
    claimed first (`ON CONFLICT DO NOTHING` on the unique index of open alerts per tenant and kind, migration 0014)
    and delivered only by the check whose insert won; its delivery result is stored on it afterwards."""
    s = settings or get_settings()
    found = conditions(tenant_id, now=now, settings=s)
    created: list[Alert] = []
    seen: set[str] = set()
    for c in found:
        if c.kind in seen:
            continue
        seen.add(c.kind)
        with tenant_session(tenant_id, role="admin") as conn:
            claimed = conn.execute(sa.text(
                "INSERT INTO monitor_alerts (kind, subject, detail, measured) VALUES (:k, :s, :d, CAST(:m AS jsonb)) "
                "ON CONFLICT (tenant_id, kind) WHERE acked_at IS NULL DO NOTHING RETURNING id"),
                {"k": c.kind, "s": c.subject[:500], "d": c.detail[:4000], "m": json.dumps(c.measured, default=str)}
            ).scalar()
        if claimed is None:  # an alert of this kind is open (raised earlier, or by a check running right now)
            continue
        sent, errors = deliver(tenant_slug, c, s)
        with tenant_session(tenant_id, role="admin") as conn:
            row = conn.execute(sa.text(
                "UPDATE monitor_alerts SET delivered = :sent, delivery_errors = :err WHERE id = :id RETURNING "
                + _ALERT_COLS), {"sent": sent, "err": errors, "id": claimed}).first()
        created.append(_alert(row))
        from app import metrics

        metrics.ALERTS.labels(kind=c.kind).inc()
    return created


@dataclass(frozen=True)
class TenantCheck:
    """One tenant's part of `check_all`: the new alerts, or why its check failed."""

    tenant: str
    alerts: list[Alert]
    error: str = ""


def check_all(*, now: datetime | None = None, settings: Settings | None = None) -> list[TenantCheck]:
    """`check` for every active tenant (the scheduled task of training/queue.py and `sightline alerts check --all`).
    A tenant whose check fails is logged and reported in its TenantCheck; the others are still checked."""
    from db import registry

    s = settings or get_settings()
    out: list[TenantCheck] = []
    for tenant in registry.list_tenants():
        if tenant.status != "active":
            continue
        try:
            out.append(TenantCheck(tenant.slug, check(tenant.id, tenant.slug, now=now, settings=s)))
        except Exception as exc:  # noqa: BLE001 - one tenant's failure must not stop the others' alerts
            log.exception("alert check of tenant %s failed", tenant.slug)
            out.append(TenantCheck(tenant.slug, [], f"{type(exc).__name__}: {exc}"[:300]))
    return out


def list_alerts(tenant_id: uuid.UUID | str, *, open_only: bool = False, limit: int = 100) -> list[Alert]:
    sql = f"SELECT {_ALERT_COLS} FROM monitor_alerts"
    if open_only:
        sql += " WHERE acked_at IS NULL"
    with tenant_session(tenant_id, role="admin") as conn:
        rows = conn.execute(sa.text(sql + " ORDER BY at DESC, id DESC LIMIT :n"), {"n": limit}).all()
    return [_alert(r) for r in rows]


def acknowledge(tenant_id: uuid.UUID | str, alert_id: int, user_id: uuid.UUID | str | None) -> Alert:
    """Mark an alert acknowledged by `user_id` (None: from the CLI); LookupError when the tenant has no such alert."""
    with tenant_session(tenant_id, role="admin") as conn:
        row = conn.execute(sa.text(
            f"UPDATE monitor_alerts SET acked_at = COALESCE(acked_at, now()), acked_by = COALESCE(acked_by, :u) "
            f"WHERE id = :id RETURNING {_ALERT_COLS}"), {"id": int(alert_id), "u": str(user_id) if user_id else None}
        ).first()
    if row is None:
        raise LookupError(f"no alert {alert_id} in this tenant")
    return _alert(row)
