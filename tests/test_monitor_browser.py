"""Monitoring in real headless Chromium: the real app (uvicorn) with the dev identity provider, a local webhook
receiver in this process as SIGHTLINE_NOTIFY_WEBHOOK_URL.

Seventeen days of turns are back-filled through `training.monitoring.record_turn` (the recording path of every chat
turn, with real question embeddings; back-filled because a test cannot wait two weeks): business questions on the sql
route during the reference window, then eye-care questions on the industry route in the last three days (a shifted
question stream), with thumbs from `chat_feedback`. A tenant admin signs in, the monitoring page renders its Plotly
charts, the summary, and the drift tests; "Check now" raises a drift alert that reaches the webhook receiver; the
admin acknowledges it; the staged-rollout page shows the A/B comparison. Screenshots go to test-artifacts/monitor-*.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import pytest
import sqlalchemy as sa

from db import registry
from db.session import tenant_session
from tests.browser_stack import Stack, app_stack, screenshot, screenshots_on_failure, signed_in_page
from tests.notify_receivers import webhook_server
from tests.test_monitoring import questions
from training import monitoring as mon

pytestmark = pytest.mark.slow

ADMIN = "ava.admin@northwind-optics.example"


def shot(page, name: str) -> None:
    screenshot(page, f"monitor-{name}")


def backfill(slug: str) -> None:
    from tools.embeddings import embed

    tenant = registry.get_tenant(slug)
    user = registry.find_user(ADMIN)
    now = datetime.now(UTC)
    ref = questions("sales", 70, 5)
    cur = questions("optics", 40, 6)
    for i, (q, v) in enumerate(zip(ref + cur, embed(ref + cur), strict=True)):
        recent = i >= len(ref)
        at = (now - timedelta(days=3) + timedelta(hours=1.7 * (i - len(ref)))) if recent else \
            now - timedelta(days=17) + timedelta(hours=4.6 * i)
        assert q
        mon.record_turn(tenant.id, user_id=user.id, route="industry" if recent else "sql",
                        model="fake chat model + adapter /data/models/adapters/industry-v2" if recent else "fake",
                        status="error" if i % 23 == 0 else "ok", latency_ms=600 + (i * 37) % 900,
                        version="industry-v2" if recent else None, embedding=v.tolist(), at=at)
    with tenant_session(tenant.id, role="admin") as conn:
        for d in range(17):
            conn.execute(sa.text("INSERT INTO chat_threads (id, user_id, name) VALUES (:t, :u, 'monitoring')"),
                         {"t": f"mon-{d}", "u": user.id})
            for k in range(6):
                conn.execute(sa.text("INSERT INTO chat_steps (id, thread_id, type, output) "
                                     "VALUES (:s, :t, 'assistant_message', 'an answer')"),
                             {"t": f"mon-{d}", "s": f"mon-{d}-{k}"})
                conn.execute(sa.text(
                    "INSERT INTO chat_feedback (thread_id, step_id, user_id, value, comment, route, model, created_at) "
                    "VALUES (:t, :s, :u, :v, :c, 'sql', 'fake', :at)"),
                    {"t": f"mon-{d}", "s": f"mon-{d}-{k}", "u": user.id, "v": int(k < 4), "at": now - timedelta(
                        days=17 - d, hours=k), "c": "too vague" if k == 5 else None})


@pytest.fixture(scope="module")
def stack(demo) -> Iterator[Stack]:
    """The app with this process's webhook receiver as its alert webhook (no e-mail); `state["hook"]` is the
    receiver."""
    backfill("northwind")
    with webhook_server() as (hook_url, hook), app_stack("monitor", env={
            "SIGHTLINE_NOTIFY_WEBHOOK_URL": hook_url + "/hooks/monitoring", "SIGHTLINE_SMTP_HOST": "",
            "OMP_NUM_THREADS": "1", "TOKENIZERS_PARALLELISM": "false"}) as stack:
        stack.state["hook"] = hook
        yield stack


@pytest.fixture(scope="module")
def page(stack):
    with signed_in_page(stack, ADMIN) as pg:
        yield pg


@screenshots_on_failure
def test_monitoring_page_renders_charts_and_a_drift_alert_reaches_the_webhook(stack, page) -> None:
    page.goto(stack.app + "/admin/monitoring")
    assert "Models over time" in page.inner_text("nav.side")
    for chart in ("requests", "quality", "latency", "cost", "routes", "errors"):
        page.locator(f"#chart-{chart} .main-svg").first.wait_for()
    summary = page.inner_text("#monitor-summary")
    assert "industry-v2" in summary and "base" in summary
    drift = page.inner_text("#monitor-drift")
    assert "MMD" in drift and "chi-square" in drift and drift.count("no drift") == 0
    assert "Mann-Kendall" in page.inner_text("main")
    shot(page, "overview")

    page.locator("#check-now").click()
    page.wait_for_url(re.compile(r"/admin/monitoring\?ok="))
    alerts = page.inner_text("#monitor-alerts")
    assert "questions drifted" in alerts and "route mix changed" in alerts and "webhook" in alerts
    bodies = [b for b in stack.state["hook"].bodies if b.get("alert", {}).get("kind") == "drift"]
    assert len(bodies) == 1 and stack.state["hook"].paths[0] == "/hooks/monitoring"
    assert "northwind" in bodies[0]["text"] and "MMD" in bodies[0]["alert"]["detail"]
    assert "retrain" in page.inner_text("#monitor-recommendations")
    shot(page, "alerts")

    row = page.locator("#monitor-alerts tr.alert-drift")
    row.get_by_role("button", name="Acknowledge").click()
    page.wait_for_url(re.compile(r"/admin/monitoring\?ok="))
    assert "acknowledged" in page.inner_text("#monitor-alerts tr.alert-drift")


@screenshots_on_failure
def test_rollout_page_compares_the_arms(stack, page) -> None:
    page.goto(stack.app + "/admin/monitoring/rollout")
    form = page.locator("#rollout-form")
    form.locator("select[name=target]").select_option("industry")
    form.locator("input[name=share_percent]").fill("30")
    form.locator("input[name=users]").fill("noah@northwind-optics.example")
    form.get_by_role("button", name="Save").click()
    page.wait_for_url(re.compile(r"/rollout\?ok="))
    assert "30 %" in page.inner_text("main")
    config = mon.get_rollout(registry.get_tenant("northwind").id)
    assert config is not None and config.share == pytest.approx(0.3) and len(config.users) == 1
    assert "two-proportion z-test" in page.inner_text("main")
    assert page.inner_text("#rollout-verdict").strip()
    shot(page, "rollout")
