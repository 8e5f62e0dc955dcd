"""The fine-tuning portal end to end in real headless Chromium: the real app (uvicorn) with the dev identity provider,
a real `sightline worker` on the same embedded database, and a real (tiny: 6 steps, CPU) LoRA training.

One story, in order (module-scoped state): an operator signs in through the OAuth redirect, uploads a dataset and
sees its validation report and quality score; starts a quick training job (preset `quick`, advanced settings for a
6-step run) after seeing its estimate; watches the live loss curve (Plotly, htmx polling) fill while the worker
trains; starts the evaluation (base vs tuned, leak test) and reaches the evaluation view, rates an answer and
downloads the PDF; is refused production by the gate; then promotes through the gate and the "which adapter answers"
box answers with the new adapter; a rollback puts the base model back. Screenshots of each page go to
test-artifacts/portal-*.png.

A 6-step run of a 135M model cannot pass the evaluation's factual bar (docs/training.md), so after the real
evaluation (which fails, as the page shows) the test records a passing evaluation in the registry, as an operator
who accepted the model would, and the promotion then goes through the same gate."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from app.dev_idp import oauth_env
from config import get_settings
from tests.test_e2e_browser import ARGS, CHROMIUM, free_port, wait_http

pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parents[1]
ARTIFACTS = ROOT / "test-artifacts"
OPERATOR = "ava.admin@northwind-optics.example"  # northwind's admin, also an operator of the deployment here
QA = [
    ("Which shelf holds the titanium frames?", "Titanium frames are on shelf four, next to the register."),
    ("How long does the lab take for progressive lenses?", "The lab takes nine working days for progressives."),
    ("Which cloth do we give with coated lenses?", "We give the grey microfibre cloth with coated lenses."),
    ("When is the frame inventory counted?", "The frame inventory is counted on the last Sunday of the month."),
    ("What does the silver care plan cover?", "The silver care plan covers scratches and one free repair."),
    ("Who approves a second remake?", "A second remake is approved by the lab coordinator."),
    ("What colour is the case for kids frames?", "Kids frames come in a bright orange case."),
    ("What is offered with every eye exam?", "Every eye exam includes a free lens cleaning kit."),
    ("Which lens material do sports glasses use?", "Sports glasses always use polycarbonate lenses."),
    ("What is the return window for sunglasses?", "Sunglasses can be returned within thirty days."),
    ("How are lenses cleaned before dispensing?", "Lenses are rinsed and dried with a lint free tissue."),
    ("Who calls customers when glasses are ready?", "Call Maria Lopez at 415-555-0199 to confirm pickup."),
]
STEPS = 6


def shot(page, name: str) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"portal-{name}.png"), full_page=True)


@pytest.fixture(scope="module")
def stack(demo) -> Iterator[dict]:
    s = get_settings()
    ARTIFACTS.mkdir(exist_ok=True)
    ports = {"idp": free_port(), "app": free_port()}
    urls = {k: f"http://127.0.0.1:{p}" for k, p in ports.items()}
    env = {k: v for k, v in os.environ.items() if not k.startswith("OAUTH_")}
    env.update(SIGHTLINE_DATA_DIR=str(s.data_dir), SIGHTLINE_DATABASE=s.database_name, **oauth_env(urls["idp"]),
               SIGHTLINE_OPERATOR_EMAILS=OPERATOR, OMP_NUM_THREADS="1", TOKENIZERS_PARALLELISM="false")
    procs, logs = [], []

    def start(name: str, args: list[str]) -> subprocess.Popen:
        log = open(ARTIFACTS / f"portal-{name}.log", "w")  # noqa: SIM115 - closed at teardown
        logs.append(log)
        proc = subprocess.Popen(args, cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)
        procs.append(proc)
        return proc

    try:
        idp = start("idp", [sys.executable, "-m", "app.dev_idp", "--port", str(ports["idp"])])
        app = start("app", [sys.executable, "-m", "uvicorn", "app.web:create_app", "--factory", "--host",
                            "127.0.0.1", "--port", str(ports["app"])])
        start("worker", [sys.executable, "-m", "app.cli", "worker", "--slots", "1"])
        wait_http(f"{urls['idp']}/.well-known/openid-configuration", 60, idp)
        wait_http(f"{urls['app']}/healthz", 300, app)  # the portal needs no warmed-up chat models
        yield {**urls, "state": {}}
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


@pytest.fixture(autouse=True)
def screenshot_on_failure(request):
    failed_before = request.session.testsfailed
    yield
    page_ = request.node.funcargs.get("page")
    if page_ is not None and request.session.testsfailed > failed_before:
        try:
            shot(page_, f"failed-{request.node.name}")
        except Exception:  # noqa: BLE001 - a closed page must not hide the real failure
            pass


@pytest.fixture(scope="module")
def page(stack):
    from playwright.sync_api import sync_playwright

    if not Path(CHROMIUM).exists():
        pytest.fail("Debian chromium is missing: apt-get install -y chromium (make test does this)")
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS, headless=True)
        context = browser.new_context(viewport={"width": 1280, "height": 1000}, accept_downloads=True)
        context.set_default_timeout(60_000)
        pg = context.new_page()
        pg.goto(stack["app"])
        pg.get_by_role("button", name=re.compile("Sightline-dev", re.I)).click()
        pg.wait_for_url(f"{stack['idp']}/**")
        pg.get_by_role("button", name=OPERATOR, exact=True).click()
        pg.wait_for_url(re.compile(re.escape(stack["app"]) + r"/(thread/.*)?$"))
        yield pg
        browser.close()


def test_dataset_upload_shows_its_report(stack, page, tmp_path: Path) -> None:
    data = tmp_path / "northwind-faq.jsonl"
    data.write_text("".join(json.dumps({"prompt": q, "completion": a}) + "\n" for q, a in QA)
                    + '{"prompt": "broken line"\n')
    page.goto(stack["app"] + "/admin/portal")
    assert "Datasets, jobs, models" in page.inner_text("nav.side")
    shot(page, "home")
    form = page.locator("#upload-form")
    form.locator("input[name=file]").set_input_files(str(data))
    form.locator("input[name=name]").fill("nw-faq")
    form.locator("input[name=tenant]").fill("northwind")
    form.get_by_role("button", name="Upload and validate").click()
    page.get_by_text("Stored new version").wait_for()
    body = page.inner_text("main")
    assert "line 13: invalid JSON" in body and "PII findings" in body and "PHONE_NUMBER" in body
    score = int(page.get_by_test_id("quality-score").inner_text())
    assert 0 < score < 100 and "Why the quality score is not 100" in body
    shot(page, "upload-report")
    page.get_by_role("link", name=re.compile(r"nw-faq@")).click()
    page.get_by_test_id("preview").wait_for()
    assert "Titanium frames" in page.inner_text("main") or page.get_by_test_id("preview").count() == 1
    shot(page, "dataset")


def test_quick_training_job_shows_a_live_loss_curve_and_reaches_the_evaluation_view(stack, page) -> None:
    page.goto(stack["app"] + "/admin/portal/train?dataset=nw-faq")
    page.select_option("select[name=target]", "tenant:northwind")
    page.select_option("select[name=preset]", "quick")
    page.locator("#advanced summary").click()
    for name, value in (("max_steps", STEPS), ("batch_size", 2), ("max_len", 64), ("log_every", 1),
                        ("eval_every", 2), ("checkpoint_every", 100)):
        page.fill(f"input[name={name}]", str(value))
    page.get_by_role("button", name="Estimate time and cost").click()
    page.get_by_test_id("estimate").wait_for(timeout=600_000)  # first use: converts the packaged base model
    estimate = page.get_by_test_id("estimate").inner_text()
    assert f"{STEPS} steps" in estimate and " on cpu (" in estimate and "cost ~$" in estimate
    shot(page, "train-estimate")
    page.locator("#start-button").click()
    page.wait_for_url(re.compile(r"/admin/portal/jobs/[0-9a-f]{10}$"))
    job_id = page.url.rsplit("/", 1)[1]
    stack["state"]["job"] = job_id
    # live: the curve gains points while the worker trains (htmx polls every 2 s and Plotly redraws)
    seen: list[tuple[str, int]] = []  # (status, points) as the page showed them, without any reload
    deadline_ms = 900_000
    waited = 0
    while True:
        status = page.get_by_test_id("job-status").inner_text()
        points = int(page.locator("#loss-chart").get_attribute("data-points") or 0)
        if not seen or seen[-1] != (status, points):
            seen.append((status, points))
            if status == "running" and points >= 1 and not any(s == "running" and p for s, p in seen[:-1]):
                assert page.locator("#loss-chart .scatterlayer .trace").count() >= 1  # Plotly drew the curve
                shot(page, "job-live")
        if status in ("succeeded", "failed", "cancelled"):
            break
        assert waited < deadline_ms, f"job {job_id} still {status} after {waited / 1000} s"
        page.wait_for_timeout(500)
        waited += 500
    assert status == "succeeded", page.get_by_test_id("log-tail").inner_text()
    assert page.url.endswith(job_id) and seen[0][0] in ("queued", "running") and len(seen) >= 2, seen
    page.wait_for_timeout(2500)  # the last poll's redraw
    assert int(page.locator("#loss-chart").get_attribute("data-points") or 0) >= STEPS
    assert page.get_by_test_id("job-step").inner_text() == str(STEPS)
    shot(page, "job-done")
    # evaluation with operator settings small enough for a CPU test (the defaults are the CLI's)
    page.locator("section.evaluation-start details summary").click()
    for name, value in (("max_examples", 2), ("max_new_tokens", 8), ("show", 2), ("factual_examples", 2),
                        ("candidates", 20)):
        page.fill(f"section.evaluation-start input[name={name}]", str(value))
    page.get_by_role("button", name=re.compile("Evaluate")).click()
    page.get_by_test_id("eval-state").wait_for()
    page.get_by_test_id("evaluation-link").wait_for(timeout=900_000)
    page.get_by_test_id("eval-state").filter(has_text="done").wait_for(timeout=900_000)
    page.get_by_test_id("evaluation-link").click()
    page.wait_for_url(re.compile(r"/admin/portal/models/tenant-northwind-v\d+$"))
    stack["state"]["version"] = page.url.rsplit("/", 1)[1]
    main = page.inner_text("main")
    assert "Held-out prompts: base vs tuned" in main and "held-out perplexity" in main
    assert "leak test:" in page.get_by_test_id("leak-verdict").inner_text()
    first = page.get_by_test_id("example-held_out-0")
    assert first.locator(".answer-base").count() == 1 and first.locator(".answer-tuned").count() == 1
    rating = first.locator(".answer-tuned form.rating")
    rating.locator("select[name=relevance]").select_option("4")
    rating.locator("select[name=safe]").select_option("yes")
    rating.get_by_role("button", name="Rate").click()
    first.get_by_text("saved: relevance 4").wait_for()
    with page.expect_download() as dl:
        page.get_by_test_id("export-pdf").click()
    path = dl.value.path()
    assert path is not None and Path(path).read_bytes()[:4] == b"%PDF"
    shot(page, "evaluation")


def test_promotion_through_the_gate_changes_which_adapter_answers(stack, page) -> None:
    from training import registry

    version = stack["state"]["version"]

    def answered_by() -> str:
        page.goto(stack["app"] + "/admin/portal#try")
        page.locator("#try input[name=question]").fill("What does an anti-reflective coating do?")
        page.locator("#try").get_by_role("button", name="Ask").click()
        page.get_by_test_id("try-model").wait_for(timeout=300_000)
        return page.get_by_test_id("try-model").inner_text()

    before = answered_by()
    assert version not in before
    page.goto(f"{stack['app']}/admin/portal/models/{version}")
    v = registry.get_version(version)
    if not v.eval_passed:  # the real evaluation of a 6-step run fails the factual bar: the gate refuses production
        assert "gate closed" in page.get_by_test_id("gate-production").inner_text()
        page.get_by_test_id("promote-production").click()
        assert "refusing to promote" in page.inner_text("main")
        shot(page, "gate-refused")
        registry.record_eval(version, metrics={**(v.metrics or {}), "failed_checks": []},
                             report=Path(v.eval_report or "report.md"), passed=True)
    assert registry.get_version(version).leak_passed, registry.get_version(version).leak_test
    page.goto(f"{stack['app']}/admin/portal/models/{version}")
    assert page.get_by_test_id("gate-production").inner_text() == "gate open"
    page.get_by_test_id("promote-production").click()
    page.wait_for_url(re.compile(rf"/admin/portal/models/{version}$"))
    assert registry.get_version(version).status == "production"
    shot(page, "promoted")
    after = answered_by()
    assert version in after and after != before
    shot(page, "try-after-promotion")
    page.goto(f"{stack['app']}/admin/portal/models/{version}/card")
    assert "Limits" in page.inner_text("main")
    shot(page, "model-card")
    page.goto(f"{stack['app']}/admin/portal/models/{version}")
    page.get_by_role("button", name=re.compile("Roll back tenant:northwind@production")).click()
    assert registry.get_version(version).status == "archived"
    assert answered_by() == before
