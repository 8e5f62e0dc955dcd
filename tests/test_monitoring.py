"""Monitoring (training/monitoring.py): trend verdicts on synthetic daily series, drift on real question embeddings
(fires on a shifted question stream, not on a same-distribution one), route-mix drift, alerts delivered to a local
webhook receiver and a local aiosmtpd SMTP server, acknowledgement, staged-rollout arms (stable, share respected,
chosen users), the A/B comparison, the console page/API and the CLI; the scheduled alert check (the periodic task on
the queue app, run directly, by a queue worker and by a running `sightline worker`) and concurrent checks raising each
alert once."""

from __future__ import annotations

import random
import uuid
from datetime import UTC, datetime, timedelta

import numpy as np
import pytest
import sqlalchemy as sa
from typer.testing import CliRunner

from config import env_overrides
from db import registry
from db.session import tenant_session
from tests.notify_receivers import smtp_server, webhook_server
from training import monitoring as mon

NOW = datetime(2026, 6, 30, 12, 0, tzinfo=UTC)

# Two question streams about different things: business figures vs lens/eye-care knowledge.
SALES = ["What was revenue at the {c} store in {m}?", "How many {p} did we sell in {m}?",
         "Which store sold the most {p} in {m}?", "Show total sales of {p} for {m} by store",
         "Compare {m} revenue of {c} with last year", "What is the stock of {p} at {c}?"]
OPTICS = ["What does an anti-reflective coating do on {l} lenses?", "How are {l} lenses fitted for children?",
          "Is blue-light filtering useful with {l} lenses?", "What is the refractive index of {l} lenses?",
          "How should {l} lenses be cleaned and stored?", "When is a {l} lens better than a single vision lens?"]
CITIES = ["Raleigh", "Austin", "Denver", "Tampa", "Boise", "Dayton", "Salem"]
MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August"]
PRODUCTS = ["frames", "sunglasses", "contact lenses", "cases", "progressives", "readers"]
LENSES = ["polycarbonate", "progressive", "bifocal", "high-index", "photochromic", "trivex", "aspheric"]


def questions(kind: str, n: int, seed: int) -> list[str]:
    rng = random.Random(seed)
    if kind == "sales":
        return [rng.choice(SALES).format(c=rng.choice(CITIES), m=rng.choice(MONTHS), p=rng.choice(PRODUCTS))
                for _ in range(n)]
    return [rng.choice(OPTICS).format(l=rng.choice(LENSES)) for _ in range(n)]


def feed(tenant_id, qs: list[str], *, start: datetime, days: int, route: str | list[str], user_id=None,
         status: str = "ok", latency_ms: int = 800, version: str | None = None, arm: str = "production") -> None:
    from tools.embeddings import embed

    vecs = embed(qs)
    for i, (q, v) in enumerate(zip(qs, vecs, strict=True)):
        at = start + timedelta(days=days * i / len(qs), minutes=i)
        r = route if isinstance(route, str) else route[i % len(route)]
        mon.record_turn(tenant_id, user_id=user_id, route=r, model="fake", status=status, latency_ms=latency_ms,
                        version=version, arm=arm, embedding=v.tolist(), at=at)
        assert q  # the text itself is never stored


# --- statistics (no database) --------------------------------------------------------------------------------------

def test_trend_verdicts_on_synthetic_series() -> None:
    rng = np.random.default_rng(3)
    rising = list(np.linspace(0.5, 0.9, 14) + rng.normal(0, 0.02, 14))
    falling = list(np.linspace(0.9, 0.5, 14) + rng.normal(0, 0.02, 14))
    flat = list(0.7 + rng.normal(0, 0.05, 14))
    assert mon.trend_verdict(rising)[0] == "improving"
    assert mon.trend_verdict(falling)[0] == "degrading"
    assert mon.trend_verdict(flat)[0] == "stable"
    # an error rate that rises is degrading, one that falls is improving
    assert mon.trend_verdict(rising, higher_is_better=False)[0] == "degrading"
    assert mon.trend_verdict(falling, higher_is_better=False)[0] == "improving"
    verdict, result = mon.trend_verdict(rising[:3])
    assert verdict == "stable" and "needs" in result.detail
    assert result.test == "Mann-Kendall"


def test_two_proportion_z_and_percentiles() -> None:
    t = mon.two_proportion_z(40, 100, 70, 100)
    assert t.significant and t.statistic < 0 and t.p_value < 0.001
    assert not mon.two_proportion_z(50, 100, 52, 100).significant
    assert mon.percentile([1, 2, 3, 4, 5, 6, 7, 8, 9, 10], 50) == 5
    assert mon.percentile(list(range(1, 101)), 99) == 99
    assert mon.percentile([], 95) is None


def test_mmd_on_synthetic_vectors() -> None:
    rng = np.random.default_rng(1)
    a, b = rng.normal(0, 1, (60, 8)), rng.normal(0, 1, (60, 8))
    shifted = rng.normal(0.8, 1, (60, 8))
    assert not mon.mmd_test(a, b, alpha=0.01).significant
    assert mon.mmd_test(a, shifted, alpha=0.01).significant


def test_route_mix_test() -> None:
    ref = {"sql": 60, "docs": 30, "industry": 10}
    assert not mon.route_mix_test(ref, {"sql": 58, "docs": 31, "industry": 11}, alpha=0.01).significant
    moved = mon.route_mix_test(ref, {"sql": 15, "docs": 20, "industry": 65}, alpha=0.01)
    assert moved.significant and "PSI" in moved.detail


def test_rollout_arm_is_stable_and_respects_the_share() -> None:
    tenant = uuid.uuid4()
    users = [uuid.uuid4() for _ in range(4000)]
    config = mon.RolloutConfig(target="industry", share=0.2)
    arms = [mon.arm_for(tenant, u, config) for u in users]
    share = arms.count("staging") / len(arms)
    assert 0.18 <= share <= 0.22
    assert arms == [mon.arm_for(tenant, u, config) for u in users]  # stable
    # raising the share keeps everyone already in staging there (monotone buckets)
    wider = mon.RolloutConfig(target="industry", share=0.5)
    assert all(mon.arm_for(tenant, u, wider) == "staging" for u, a in zip(users, arms, strict=True) if a == "staging")
    chosen = users[0] if arms[0] == "production" else users[1]
    none = mon.RolloutConfig(target="industry", share=0.0, users=(str(chosen),))
    assert mon.arm_for(tenant, chosen, none) == "staging"
    assert all(mon.arm_for(tenant, u, none) == "production" for u in users if u != chosen)
    assert mon.arm_for(tenant, users[0], None) == "production"


def test_cost_model() -> None:
    with env_overrides(SIGHTLINE_COST_PER_REQUEST_USD="0.001", SIGHTLINE_COST_PER_SECOND_USD="0.01"):
        assert mon.estimate_cost(2500) == pytest.approx(0.001 + 0.025)


# --- with the database ---------------------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def tenants(demo):
    return {t.slug: t for t in registry.list_tenants()}


def _env(port: int, url: str) -> dict[str, str | None]:
    return {"SIGHTLINE_SMTP_HOST": "127.0.0.1", "SIGHTLINE_SMTP_PORT": str(port), "SIGHTLINE_SMTP_SECURITY": "none",
            "SIGHTLINE_NOTIFY_EMAIL_TO": "owner@example.com", "SIGHTLINE_NOTIFY_EMAIL_FROM": "sightline@example.com",
            "SIGHTLINE_NOTIFY_WEBHOOK_URL": url + "/hooks/alerts", "SIGHTLINE_SMTP_USER": None,
            "SIGHTLINE_SMTP_PASSWORD": None}


def test_drift_fires_on_a_shifted_stream_and_reaches_webhook_and_mail(tenants) -> None:
    t = tenants["northwind"]
    ref_start = NOW - timedelta(days=17)
    feed(t.id, questions("sales", 60, 1), start=ref_start, days=14, route="sql")
    feed(t.id, questions("optics", 40, 2), start=NOW - timedelta(days=3), days=3, route="industry")
    report = mon.drift(t.id, now=NOW)
    assert report.questions.significant and report.questions.p_value < 0.01
    assert report.routes.significant
    with smtp_server() as (port, box), webhook_server() as (url, hook), env_overrides(**_env(port, url)):
        alerts = mon.check(t.id, t.slug, now=NOW)
    kinds = {a.kind for a in alerts}
    assert {"drift", "route_drift"} <= kinds
    drift_alert = next(a for a in alerts if a.kind == "drift")
    assert drift_alert.delivered == ["email", "webhook"] and drift_alert.delivery_errors == []
    assert hook.paths and all(p == "/hooks/alerts" for p in hook.paths)
    drift_payloads = [b for b in hook.bodies if b["alert"]["kind"] == "drift"]
    assert len(drift_payloads) == 1 and "MMD" in drift_payloads[0]["alert"]["detail"]
    assert "retrain" in drift_payloads[0]["blocks"][0]["text"]["text"]
    assert any("drift" in s and "northwind" in s for s in box.subjects())
    # stored question data: embeddings only, never the text
    with tenant_session(t.id, role="admin") as conn:
        cols = set(conn.execute(sa.text("SELECT * FROM monitor_turns LIMIT 1")).keys())
    assert "embedding" in cols and not ({"question", "text", "tool_input"} & cols)

    # an open alert of a kind is not raised again; after acknowledging it, it may be
    with env_overrides(SIGHTLINE_NOTIFY_WEBHOOK_URL=None, SIGHTLINE_SMTP_HOST=None):
        assert mon.check(t.id, t.slug, now=NOW) == []
        user = registry.find_user("ava.admin@northwind-optics.example")
        acked = mon.acknowledge(t.id, drift_alert.id, user.id)
        assert acked.acked_at is not None and acked.acked_by == str(user.id)
        assert drift_alert.id not in {a.id for a in mon.list_alerts(t.id, open_only=True)}
        again = mon.check(t.id, t.slug, now=NOW)
    assert [a.kind for a in again] == ["drift"]
    # another tenant sees none of it and cannot acknowledge it
    other = tenants["lumen"]
    assert all(a.id != drift_alert.id for a in mon.list_alerts(other.id))
    with pytest.raises(LookupError):
        mon.acknowledge(other.id, again[0].id, None)
    recs = mon.recommendations(t.id, now=NOW)
    assert any(r["kind"] == "drift" and "MMD" in r["why"] and "retrain" in r["recommendation"] for r in recs)


def test_no_drift_on_a_same_distribution_stream(tenants) -> None:
    t = tenants["lumen"]
    feed(t.id, questions("sales", 60, 11), start=NOW - timedelta(days=17), days=14, route=["sql", "docs"])
    feed(t.id, questions("sales", 40, 12), start=NOW - timedelta(days=3), days=3, route=["sql", "docs"])
    report = mon.drift(t.id, now=NOW)
    assert not report.questions.significant and report.questions.p_value > 0.01
    assert not report.routes.significant
    assert [c.kind for c in mon.conditions(t.id, now=NOW)] == []


def test_error_rate_latency_and_cost_alerts(tenants) -> None:
    t = tenants["clearview"]
    feed(t.id, questions("sales", 30, 21), start=NOW - timedelta(days=17), days=14, route="sql", latency_ms=500)
    feed(t.id, questions("sales", 25, 22), start=NOW - timedelta(days=3), days=3, route="sql", latency_ms=30000)
    feed(t.id, questions("sales", 5, 23), start=NOW - timedelta(days=2), days=1, route="sql", status="timeout",
         latency_ms=60000)
    kinds = {c.kind for c in mon.conditions(t.id, now=NOW)}
    assert {"error_rate", "latency", "cost"} <= kinds and "drift" not in kinds
    rows = mon.summaries(t.id, days=30, now=NOW)
    sql_row = next(r for r in rows if r.route == "sql")
    assert sql_row.requests == 60 and sql_row.timeouts == 5
    assert sql_row.p50_ms is not None and sql_row.p99_ms == 60000
    assert sql_row.cost_per_request and sql_row.cost_per_request > 0


def test_ab_comparison_and_staged_alias(tenants) -> None:
    t = tenants["northwind"]
    admin = registry.find_user("ava.admin@northwind-optics.example")
    member = registry.find_user("noah@northwind-optics.example")
    with pytest.raises(ValueError):
        mon.set_rollout(t.id, "industry", 0.1, [str(uuid.uuid4())])  # not a user of this tenant
    mon.set_rollout(t.id, "industry", 0.0, [str(member.id)])
    assert mon.get_rollout(t.id).users == (str(member.id),)
    principal_member = registry.principal_for(member.email)
    principal_admin = registry.principal_for(admin.email)
    assert mon.staged_alias(principal_member, "industry") == "industry@staging"
    assert mon.staged_alias(principal_admin, "industry") is None
    feed(t.id, questions("sales", 20, 31), start=NOW - timedelta(days=2), days=1, route="sql", arm="staging",
         user_id=member.id, status="error")
    report = mon.ab_compare(t.id, now=NOW + timedelta(days=1))
    assert report.staging["turns"] == 20 and report.staging["errors"] == 20
    assert report.errors.significant and "roll back" in report.verdict
    assert mon.clear_rollout(t.id) and mon.get_rollout(t.id) is None


def test_console_page_api_and_cli(tenants, monkeypatch) -> None:
    from app.cli import cli
    from tests.admin_helpers import console_app, console_env, signed_in

    t = tenants["northwind"]
    with console_env():
        app = console_app()
        admin = signed_in(app, "ava.admin@northwind-optics.example")
        page = admin.get("/admin/monitoring")
        assert page.status_code == 200
        assert "Mann-Kendall" in page.text and "MMD" in page.text and "plotly" in page.text
        member = signed_in(app, "noah@northwind-optics.example")
        assert member.get("/admin/monitoring").status_code == 403
        data = admin.get("/api/admin/monitoring/alerts").json()
        open_alert = next(a for a in data["alerts"] if a["acked_at"] is None)
        assert admin.post(f"/api/admin/monitoring/alerts/{open_alert['id']}/ack").status_code == 403  # no CSRF
        ok = admin.post(f"/api/admin/monitoring/alerts/{open_alert['id']}/ack", headers={"X-CSRF-Token": admin.csrf})
        assert ok.status_code == 200 and ok.json()["acked_at"]
        assert admin.get("/api/admin/monitoring/summary").json()["trend_test"].startswith("Mann-Kendall")
    result = CliRunner().invoke(cli, ["alerts", "list", "--tenant", t.slug])
    assert result.exit_code == 0, result.output
    assert str(open_alert["id"]) in result.output and "acked" in result.output
    drift = CliRunner().invoke(cli, ["monitor", "drift", "--tenant", t.slug])
    assert drift.exit_code == 0 and "MMD" in drift.output, drift.output
    rollout = CliRunner().invoke(cli, ["rollout", "set", "--tenant", t.slug, "--target", "industry", "--share", "0.25"])
    assert rollout.exit_code == 0 and "25%" in rollout.output, rollout.output
    shown = CliRunner().invoke(cli, ["rollout", "show", "--tenant", t.slug])
    assert shown.exit_code == 0 and "two" not in shown.output and "staging" in shown.output
    assert CliRunner().invoke(cli, ["rollout", "stop", "--tenant", t.slug]).output.strip() == "stopped"


def test_the_chat_turn_hook_records_version_arm_and_embedding(tenants) -> None:
    t = tenants["clearview"]
    principal = registry.principal_for("caleb@clearview-vision.example")
    mon.set_rollout(t.id, "industry", 0.0, [str(principal.user_id)])
    mon.record_answered_turn(principal, "Do photochromic lenses darken in a car?", route="industry",
                             model="qwen + adapter /data/models/adapters/industry-v4", status="ok", latency_ms=1234.5)
    mon.clear_rollout(t.id)
    with tenant_session(t.id, role="admin") as conn:
        row = conn.execute(sa.text("SELECT version, arm, status, latency_ms, user_id, cardinality(embedding) AS dims "
                                   "FROM monitor_turns ORDER BY id DESC LIMIT 1")).one()
    assert (row.version, row.arm, row.status, row.latency_ms) == ("industry-v4", "staging", "ok", 1234)
    assert row.user_id == principal.user_id and row.dims and row.dims > 100


# --- scheduled checks (training/queue.py's periodic task) -------------------------------------------------------------

def test_the_periodic_alert_check_is_registered_on_the_queue_app(database) -> None:
    import time

    from croniter import croniter

    from training import queue

    app = queue.make_app(asynchronous=False)
    task = app.tasks[queue.ALERT_TASK]
    assert task.queue == queue.MONITOR_QUEUE and task.queueing_lock == queue.ALERT_TASK
    periodic = app.periodic_registry.periodic_tasks[(queue.ALERT_TASK, queue.ALERT_PERIODIC_ID)]
    assert periodic.task is task and periodic.cron == "*/5 * * * *"  # SIGHTLINE_ALERT_CHECK_MINUTES default 5
    now = time.time()
    assert 0 < croniter(periodic.cron, now).get_next(float) - now <= 300
    with env_overrides(SIGHTLINE_ALERT_CHECK_MINUTES="15"):
        cron = queue.make_app(asynchronous=False).periodic_registry.periodic_tasks[
            (queue.ALERT_TASK, queue.ALERT_PERIODIC_ID)].cron
    assert cron == "*/15 * * * *"
    with env_overrides(SIGHTLINE_ALERT_CHECK_MINUTES="0"):
        off = queue.make_app(asynchronous=False)
    assert not off.periodic_registry.periodic_tasks and queue.ALERT_TASK in off.tasks  # still deferrable by hand
    assert queue.alert_cron(120) == "0 */2 * * *" and queue.alert_cron(1440) == "0 0 * * *"
    assert app.tasks[queue.TASK].queue == queue.QUEUE  # the training task is unchanged


def _shifted_stream(tenant_id, end: datetime, seed: int) -> None:
    """Sales questions in the reference window, optics questions on another route in the recent one (drift)."""
    feed(tenant_id, questions("sales", 60, seed), start=end - timedelta(days=17), days=14, route="sql")
    feed(tenant_id, questions("optics", 40, seed + 1), start=end - timedelta(days=3) + timedelta(minutes=10), days=2,
         route="industry")


def _jobs(task_name: str) -> list[str]:
    from db.engine import admin_engine

    with admin_engine().connect() as conn:
        return list(conn.execute(sa.text("SELECT status::text FROM sightline_queue.procrastinate_jobs "
                                         "WHERE task_name = :t ORDER BY id"), {"t": task_name}).scalars())


def test_the_scheduled_check_delivers_new_alerts_once_for_every_active_tenant(tenants) -> None:
    import asyncio
    import time

    from training import queue

    now = datetime.now(UTC)
    live = registry.add_tenant("sched-live", "Scheduled Live")
    off = registry.add_tenant("sched-off", "Scheduled Off")
    _shifted_stream(live.id, now, 51)
    _shifted_stream(off.id, now, 53)
    registry.set_tenant_status("sched-off", "disabled")
    with webhook_server() as (url, hook), env_overrides(SIGHTLINE_NOTIFY_WEBHOOK_URL=url + "/hooks/alerts",
                                                        SIGHTLINE_SMTP_HOST=None):
        summary = asyncio.run(queue.check_alerts_task(timestamp=int(time.time())))
        first = [b["alert"] for b in hook.bodies if b["alert"]["tenant"] == "sched-live"]
        assert {"drift", "route_drift"} <= {a["kind"] for a in first}, summary
        assert "sched-live:drift" in summary
        assert not [b for b in hook.bodies if b["alert"]["tenant"] == "sched-off"]  # disabled tenant: not checked
        stored = mon.list_alerts(live.id)
        assert {a.kind for a in stored} == {a["kind"] for a in first}
        assert all(a.delivered == ["webhook"] and a.acked_at is None for a in stored)

        # The next tick, run by a real queue worker: the job succeeds and raises nothing already open.
        async def through_the_queue() -> None:
            app = queue.make_app(asynchronous=True)
            async with app.open_async():
                await app.tasks[queue.ALERT_TASK].defer_async(timestamp=int(time.time()))
                await app.run_worker_async(queues=[queue.MONITOR_QUEUE], concurrency=1, wait=False,
                                           install_signal_handlers=False)

        delivered = len(hook.bodies)
        asyncio.run(through_the_queue())
        assert "succeeded" in _jobs(queue.ALERT_TASK)
        assert "failed" not in _jobs(queue.ALERT_TASK)
        assert len(hook.bodies) == delivered  # idempotent: every kind is still open
    assert len(mon.list_alerts(live.id)) == len(stored)
    assert mon.list_alerts(off.id) == []


def test_concurrent_checks_raise_each_alert_once(tenants) -> None:
    import threading

    t = registry.add_tenant("sched-race", "Scheduled Race")
    _shifted_stream(t.id, NOW, 61)
    barrier = threading.Barrier(3)
    results: list[list[mon.Alert]] = []

    def run() -> None:
        barrier.wait()
        results.append(mon.check(t.id, t.slug, now=NOW))

    with webhook_server() as (url, hook), env_overrides(SIGHTLINE_NOTIFY_WEBHOOK_URL=url, SIGHTLINE_SMTP_HOST=None):
        threads = [threading.Thread(target=run) for _ in range(3)]
        for th in threads:
            th.start()
        for th in threads:
            th.join(120)
    raised = [a.kind for r in results for a in r]
    assert len(results) == 3 and "drift" in raised
    assert len(raised) == len(set(raised))  # each kind raised by exactly one of the three checks
    assert sorted(b["alert"]["kind"] for b in hook.bodies) == sorted(raised)  # and delivered once
    assert sorted(a.kind for a in mon.list_alerts(t.id, open_only=True)) == sorted(raised)


@pytest.mark.slow
def test_a_running_worker_checks_alerts_on_its_own_and_stops_cleanly(tenants) -> None:
    """`sightline worker` (long-running, as deployed) raises a new tenant's drift alert without anyone asking, and
    stops on SIGTERM with its alert checks."""
    import os
    import signal
    import subprocess
    import sys
    import time
    from pathlib import Path

    t = registry.add_tenant("sched-worker", "Scheduled Worker")
    _shifted_stream(t.id, datetime.now(UTC), 71)
    with webhook_server() as (url, hook):
        env = {**os.environ, "SIGHTLINE_NOTIFY_WEBHOOK_URL": url, "SIGHTLINE_SMTP_HOST": "",
               "SIGHTLINE_ALERT_CHECK_MINUTES": "1", "SIGHTLINE_QUEUE_STALLED_AFTER_S": "2"}
        proc = subprocess.Popen([sys.executable, "-m", "app.cli", "worker"], cwd=Path(__file__).resolve().parents[1],
                                env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
        try:
            deadline = time.monotonic() + 150  # the first tick is deferred at start (or at the next minute)
            while time.monotonic() < deadline and not any(b["alert"]["tenant"] == t.slug for b in hook.bodies):
                assert proc.poll() is None, proc.stdout.read().decode()
                time.sleep(0.5)
            kinds = {b["alert"]["kind"] for b in hook.bodies if b["alert"]["tenant"] == t.slug}
            assert "drift" in kinds, proc.stdout.read1().decode() if proc.poll() is not None else kinds
        finally:
            proc.send_signal(signal.SIGTERM)
            try:
                out, _ = proc.communicate(timeout=60)
            except subprocess.TimeoutExpired:
                proc.kill()
                raise
    output = out.decode()
    assert proc.returncode == 0, output  # a graceful stop, alert checks included
    assert "Stopped worker on queues monitoring" in output and f"{t.slug}:drift" in output
    assert {a.kind for a in mon.list_alerts(t.id, open_only=True)} >= {"drift"}
