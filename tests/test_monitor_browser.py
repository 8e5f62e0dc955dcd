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

import os
import re
import subprocess
import sys
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
import sqlalchemy as sa

from app.dev_idp import oauth_env
from config import get_settings
from db import registry
from db.session import tenant_session
from tests.notify_receivers import webhook_server
from tests.test_e2e_browser import ARGS, CHROMIUM, free_port, wait_http
from tests.test_monitoring import questions
from training import monitoring as mon

pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parents[1]
ARTIFACTS = ROOT / "test-artifacts"
ADMIN = "ava.admin@northwind-optics.example"


def shot(page, name: str) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"monitor-{name}.png"), full_page=True)


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
def stack(demo) -> Iterator[dict]:
    s = get_settings()
    backfill("northwind")
    ports = {"idp": free_port(), "app": free_port()}
    urls = {k: f"http://127.0.0.1:{p}" for k, p in ports.items()}
    with webhook_server() as (hook_url, hook):
        env = {k: v for k, v in os.environ.items() if not k.startswith("OAUTH_")}
        env.update(SIGHTLINE_DATA_DIR=str(s.data_dir), SIGHTLINE_DATABASE=s.database_name, **oauth_env(urls["idp"]),
                   SIGHTLINE_NOTIFY_WEBHOOK_URL=hook_url + "/hooks/monitoring", SIGHTLINE_SMTP_HOST="",
                   OMP_NUM_THREADS="1", TOKENIZERS_PARALLELISM="false")
        procs, logs = [], []
        ARTIFACTS.mkdir(exist_ok=True)
        try:
            for name, args in (("idp", [sys.executable, "-m", "app.dev_idp", "--port", str(ports["idp"])]),
                               ("app", [sys.executable, "-m", "uvicorn", "app.web:create_app", "--factory",
                                        "--host", "127.0.0.1", "--port", str(ports["app"])])):
                log = open(ARTIFACTS / f"monitor-{name}.log", "w")  # noqa: SIM115 - closed at teardown
                logs.append(log)
                procs.append(subprocess.Popen(args, cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT))
            wait_http(f"{urls['idp']}/.well-known/openid-configuration", 60, procs[0])
            wait_http(f"{urls['app']}/healthz", 300, procs[1])
            yield {**urls, "hook": hook}
        finally:
            for proc in procs:
                proc.terminate()
            for proc in procs:
                try:
                    proc.wait(timeout=20)
                except subprocess.TimeoutExpired:
                    proc.kill()
            for log in logs:
                log.close()


@pytest.fixture(scope="module")
def page(stack):
    from playwright.sync_api import sync_playwright

    if not Path(CHROMIUM).exists():
        pytest.fail("Debian chromium is missing: apt-get install -y chromium (make test does this)")
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS, headless=True)
        context = browser.new_context(viewport={"width": 1280, "height": 1000})
        context.set_default_timeout(60_000)
        pg = context.new_page()
        pg.goto(stack["app"])
        pg.get_by_role("button", name=re.compile("Sightline-dev", re.I)).click()
        pg.wait_for_url(f"{stack['idp']}/**")
        pg.get_by_role("button", name=ADMIN, exact=True).click()
        pg.wait_for_url(re.compile(re.escape(stack["app"]) + r"/(thread/.*)?$"))
        try:
            yield pg
        except Exception:
            shot(pg, "failed")
            raise
        browser.close()


def test_monitoring_page_renders_charts_and_a_drift_alert_reaches_the_webhook(stack, page) -> None:
    page.goto(stack["app"] + "/admin/monitoring")
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
    bodies = [b for b in stack["hook"].bodies if b.get("alert", {}).get("kind") == "drift"]
    assert len(bodies) == 1 and stack["hook"].paths[0] == "/hooks/monitoring"
    assert "northwind" in bodies[0]["text"] and "MMD" in bodies[0]["alert"]["detail"]
    assert "retrain" in page.inner_text("#monitor-recommendations")
    shot(page, "alerts")

    row = page.locator("#monitor-alerts tr.alert-drift")
    row.get_by_role("button", name="Acknowledge").click()
    page.wait_for_url(re.compile(r"/admin/monitoring\?ok="))
    assert "acknowledged" in page.inner_text("#monitor-alerts tr.alert-drift")


def test_rollout_page_compares_the_arms(stack, page) -> None:
    page.goto(stack["app"] + "/admin/monitoring/rollout")
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
