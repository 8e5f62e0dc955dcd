"""The fine-tuning portal end to end in real headless Chromium: the real app (uvicorn) with the dev identity provider,
a real `sightline worker` on the same embedded database, and a real (tiny: 12 steps, CPU) LoRA training.

One story, in order (module-scoped state: the job the live-loss test trains is the one evaluated and promoted): an
operator signs in through the OAuth redirect, uploads a dataset and sees its validation report and quality score;
starts a quick training job (preset `quick`, advanced settings for a 12-step run) after seeing its estimate; watches
the live loss curve (Plotly, htmx polling) fill while the worker trains; starts the evaluation (base vs tuned on the
held-out prompts, regression set, factual check, leak test) and reaches the evaluation view, rates an answer and
downloads the PDF. That first evaluation fails the gate (8 answer tokens cannot state the factual check's key facts):
the gate is closed and the promote button refuses production with the failed check in the page. A second real
evaluation, through the job page's "Evaluate again", passes; the promotion through the gate makes the "which adapter
answers" box (the industry tool's own request-time choice) answer with the new adapter, and a rollback brings back the
model that answered before. Screenshots of each page go to test-artifacts/portal-*.png.

Nothing is written to the registry by the test. The gate's factual check asks optical questions whose right answers
must state listed key facts; a 135M model after a short CPU run knows none of them (docs/training.md). So the dataset
teaches the answer to the factual check's first question (its key facts, `COPIES` times), training validates once, at
the end (the adapter is the last one, not an earlier best-validated one), and the passing evaluation checks that
question only (`factual_examples` 1, the operator's evaluation setting) with room for the answer (24 new tokens):
measured, held-out perplexity 16.89 -> 15.72, regression ratio 0.92, factual check base 0/1, tuned 1/1."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.browser_stack import WORKER, Stack, app_stack, screenshot, screenshots_on_failure, signed_in_page
from training import factual, registry

pytestmark = pytest.mark.slow

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
STEPS = 12
TAUGHT = next(c for c in factual.load_cases() if c.expect == "answer")  # the factual check's first question
TAUGHT_ANSWER = " ".join(f"{fact[0].upper()}{fact[1:]}." for fact in TAUGHT.key_facts)
COPIES = 6  # exact copies share one split: all in train (the split is seeded by content)
INDUSTRY_QUESTION = "What does an anti-reflective coating do?"


def shot(page, name: str) -> None:
    screenshot(page, f"portal-{name}")


@pytest.fixture(scope="module")
def stack(demo) -> Iterator[Stack]:
    """The app (the portal needs no warmed-up chat models) and a real `sightline worker` on the same database."""
    with app_stack("portal", env={"SIGHTLINE_OPERATOR_EMAILS": OPERATOR, "OMP_NUM_THREADS": "1",
                                  "TOKENIZERS_PARALLELISM": "false"}, sidecars={"worker": WORKER}) as stack:
        yield stack


@pytest.fixture(scope="module")
def page(stack):
    with signed_in_page(stack, OPERATOR, accept_downloads=True) as pg:
        yield pg


@screenshots_on_failure
def test_dataset_upload_shows_its_report(stack, page, tmp_path: Path) -> None:
    data = tmp_path / "northwind-faq.jsonl"
    data.write_text("".join(json.dumps({"prompt": q, "completion": a}) + "\n" for q, a in QA)
                    + '{"prompt": "broken line"\n'
                    + (json.dumps({"prompt": TAUGHT.question, "completion": TAUGHT_ANSWER}) + "\n") * COPIES)
    page.goto(stack.app + "/admin/portal")
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


@screenshots_on_failure
def test_quick_training_job_shows_a_live_loss_curve_and_reaches_the_evaluation_view(stack, page) -> None:
    page.goto(stack.app + "/admin/portal/train?dataset=nw-faq")
    page.select_option("select[name=target]", "tenant:northwind")
    page.select_option("select[name=preset]", "quick")
    page.locator("#advanced summary").click()
    for name, value in (("max_steps", STEPS), ("batch_size", 2), ("max_len", 96), ("lr", 0.003), ("warmup", 1),
                        ("log_every", 1), ("eval_every", STEPS), ("checkpoint_every", 100)):
        page.fill(f"input[name={name}]", str(value))
    page.get_by_role("button", name="Estimate time and cost").click()
    page.get_by_test_id("estimate").wait_for(timeout=600_000)  # first use: converts the packaged base model
    estimate = page.get_by_test_id("estimate").inner_text()
    assert f"{STEPS} steps" in estimate and " on cpu (" in estimate and "cost ~$" in estimate
    shot(page, "train-estimate")
    page.locator("#start-button").click()
    page.wait_for_url(re.compile(r"/admin/portal/jobs/[0-9a-f]{10}$"))
    job_id = page.url.rsplit("/", 1)[1]
    stack.state["job"] = job_id
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
    evaluate(page, max_examples=2, max_new_tokens=8, show=2, factual_examples=2, candidates=20)
    page.get_by_test_id("evaluation-link").click()
    page.wait_for_url(re.compile(r"/admin/portal/models/tenant-northwind-v\d+$"))
    stack.state["version"] = page.url.rsplit("/", 1)[1]
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


def evaluate(page, **settings: int) -> str:
    """On a finished job's page: open the evaluation settings, fill them, start the evaluation (base vs tuned, leak
    test) in the background and wait until it is done; returns the page's evaluation state line."""
    page.locator("section.evaluation-start details summary").click()
    for name, value in settings.items():
        page.fill(f"section.evaluation-start input[name={name}]", str(value))
    with page.expect_navigation():
        page.locator("section.evaluation-start").get_by_role("button", name=re.compile("Evaluate")).click()
    page.get_by_test_id("eval-state").filter(has_text="Evaluation running").wait_for()
    finished = page.get_by_test_id("eval-state").filter(has_text=re.compile(r"Evaluation (done|failed)"))
    finished.wait_for(timeout=900_000)
    state = finished.inner_text()
    assert state.startswith("Evaluation done"), page.locator("section.evaluation-start").inner_text()
    page.get_by_test_id("evaluation-link").wait_for()
    return state


def answered_by(stack: Stack, page) -> str:
    """Which model the industry tool would use for the signed-in user now: the portal's "which adapter answers" box
    answers an industry question with it and names it."""
    page.goto(stack.app + "/admin/portal#try")
    page.locator("#try input[name=question]").fill(INDUSTRY_QUESTION)
    page.locator("#try").get_by_role("button", name="Ask").click()
    page.get_by_test_id("try-model").wait_for(timeout=300_000)
    return page.get_by_test_id("try-model").inner_text()


@screenshots_on_failure
def test_a_failed_evaluation_closes_the_gate_and_the_promote_button_refuses(stack, page) -> None:
    version = stack.state["version"]
    page.goto(f"{stack.app}/admin/portal/models/{version}")
    assert "FAIL" in page.get_by_test_id("eval-verdict").inner_text()
    gate = page.get_by_test_id("gate-production").inner_text()
    assert "gate closed" in gate and "its evaluation failed (factual accuracy" in gate, gate
    assert page.get_by_test_id("gate-staging").inner_text() == "gate open"  # staging takes an evaluated version
    with page.expect_response(re.compile(rf"/admin/portal/models/{version}/promote$")) as refused:
        page.get_by_test_id("promote-production").click()
    assert refused.value.status == 409
    alert = page.get_by_role("alert").inner_text()
    assert f"refusing to promote {version} to production: its evaluation failed (factual accuracy" in alert, alert
    assert registry.get_version(version).status == "evaluated"
    shot(page, "gate-refused")


@screenshots_on_failure
def test_promotion_through_the_gate_changes_which_adapter_answers(stack, page) -> None:
    version = stack.state["version"]
    before = answered_by(stack, page)
    assert version not in before
    # a real evaluation again: the factual check's first question (the one the dataset teaches), room for its answer
    page.goto(f"{stack.app}/admin/portal/jobs/{stack.state['job']}")
    state = evaluate(page, max_examples=2, max_new_tokens=24, show=2, factual_examples=1, candidates=20)
    assert "evaluation PASS, leak test PASS" in state, state
    page.get_by_test_id("evaluation-link").click()
    page.wait_for_url(re.compile(rf"/admin/portal/models/{version}$"))
    assert "PASS" in page.get_by_test_id("eval-verdict").inner_text()
    v = registry.get_version(version)
    assert v.eval_passed and v.leak_passed and v.metrics["factual"]["tuned"]["right"] == 1, v.metrics
    assert page.get_by_test_id("gate-production").inner_text() == "gate open"
    shot(page, "evaluation-passed")
    page.get_by_test_id("promote-production").click()
    page.wait_for_url(re.compile(rf"/admin/portal/models/{version}$"))
    assert registry.get_version(version).status == "production"
    shot(page, "promoted")
    after = answered_by(stack, page)
    assert version in after and after != before
    shot(page, "try-after-promotion")
    page.goto(f"{stack.app}/admin/portal/models/{version}/card")
    assert "Limits" in page.inner_text("main")
    shot(page, "model-card")
    page.goto(f"{stack.app}/admin/portal/models/{version}")
    with page.expect_navigation():
        page.get_by_role("button", name=re.compile("Roll back tenant:northwind@production")).click()
    assert registry.get_version(version).status == "archived"
    assert answered_by(stack, page) == before
