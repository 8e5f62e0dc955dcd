"""Training jobs, evaluation, leak test and registry (real database, real SmolLM2, real presidio, real peft training on
the CPU): encoding and batching, scope enforcement at train time, a short run whose loss decreases and whose adapter
changes the model, kill -9 + re-run resumes from the last checkpoint, cancel, the eval report, the canary pipeline,
gated promotion and rollback that the agent's industry_adapter() follows without a restart, and the vLLM export."""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
import sqlalchemy as sa
from sqlalchemy.exc import DBAPIError
from typer.testing import CliRunner

from app.cli import cli
from db import registry as tenants
from db.engine import admin_engine
from db.model_registry import resolve
from db.session import tenant_session
from training import jobs, leak, registry
from training.base_model import base_model_path, load_for_eval, load_tokenizer
from training.batches import IGNORE, ResumableBatchSampler, collate, encode
from training.datasets import ScopeError, add_dataset
from training.registry import PromotionError
from training.trainer import checkpoints, plan_run, run, start_or_resume
from training.validate import Options

runner = CliRunner()
ROOT = Path(__file__).resolve().parent.parent
DATASET = "tiny-optics"
QA = [
    ("What colour are the frames in the summer collection?", "The summer collection frames are teal with gold tips."),
    ("How long does the lab take for progressive lenses?", "The lab takes nine working days for progressive lenses."),
    ("Which cloth should customers use on coated lenses?", "Customers should use the grey microfibre cloth."),
    ("When is the monthly frame inventory counted?", "The frame inventory is counted on the last Sunday."),
    ("What does the silver care plan cover?", "The silver care plan covers scratches and one free repair."),
    ("How often should daily contact lenses be replaced?", "Daily contact lenses are thrown away after one day."),
    ("Which lens material is used for sports glasses?", "Sports glasses always use polycarbonate lenses."),
    ("What is the return window for sunglasses?", "Sunglasses can be returned within thirty days."),
    ("Who approves a second remake?", "A second remake is approved by the lab coordinator."),
    ("What colour is the case for kids frames?", "Kids frames come in a bright orange case."),
    ("How are lenses cleaned before dispensing?", "Lenses are rinsed and dried with a lint free tissue."),
    ("What is offered with every eye exam?", "Every eye exam includes a free lens cleaning kit."),
]
TRAIN_ARGS = ["--batch-size", "2", "--max-len", "96", "--lr", "0.003", "--warmup", "1", "--log-every", "1"]


@pytest.fixture(scope="module")
def setup(database: str, tmp_path_factory: pytest.TempPathFactory) -> dict:
    """Two tenants, the tiny pooled dataset (added with --redact: anonymized) and a tenant dataset; the base model."""
    acme = tenants.add_tenant("acme", "Acme Optics")
    tenants.add_tenant("globex", "Globex Eyewear")
    folder = tmp_path_factory.mktemp("train-data")
    path = folder / "tiny.jsonl"
    path.write_text("".join(json.dumps({"prompt": q, "completion": a}) + "\n" for q, a in QA))
    pooled = add_dataset(path, DATASET, options=Options(redact=True, split="80/10/10")).dataset
    tenant = add_dataset(path, "acme-faq", tenant_slug="acme").dataset
    assert pooled is not None and pooled.anonymized and tenant is not None
    return {"base": base_model_path(), "pooled": pooled, "tenant": tenant, "acme": acme}


# ------------------------------------------------------------------------------------------- encoding and batching


def test_completion_only_labels_and_padding_to_the_longest(setup) -> None:
    tok = load_tokenizer(setup["base"])
    q, a = QA[0]
    ex = encode([{"role": "user", "content": q}, {"role": "assistant", "content": a}], tok, 512)
    learned = tok.decode([t for t in ex.labels if t != IGNORE])
    assert learned.strip() == a + tok.eos_token  # the answer and its end-of-turn, nothing of the prompt
    assert q not in tok.decode([t for t in ex.labels if t != IGNORE])
    short = encode([{"role": "user", "content": "Hi?"}, {"role": "assistant", "content": "Hello."}], tok, 512)
    batch = collate([ex, short], tok.pad_token_id)
    assert batch["input_ids"].shape == (2, len(ex.input_ids))  # padded to the longest in the batch, not to max_len
    assert batch["attention_mask"][1].sum() == len(short.input_ids)
    assert (batch["labels"][1, len(short.input_ids):] == IGNORE).all()  # padding is never learned
    assert encode([{"role": "user", "content": q}, {"role": "assistant", "content": a}], tok, 8) is None


def test_batch_order_is_resumable() -> None:
    full = list(ResumableBatchSampler(10, 3, seed=5, start=0, stop=9))
    assert list(ResumableBatchSampler(10, 3, seed=5, start=4, stop=9)) == full[4:]
    assert sorted(i for b in full[:4] for i in b) == list(range(10))  # an epoch covers every example once


# ------------------------------------------------------------------------------------------- scope and estimate


def test_scope_is_enforced_before_training(setup) -> None:
    with pytest.raises(ScopeError, match="belongs to tenant 'acme'"):
        plan_run("acme-faq", preset="quick", adapter_for="industry")
    with pytest.raises(ScopeError, match="tenant:acme"):
        plan_run("acme-faq", preset="quick", adapter_for="tenant:globex")
    n_jobs = len(jobs.list_jobs())
    result = runner.invoke(cli, ["train", "--dataset", "acme-faq", "--adapter-for", "industry"])
    assert result.exit_code == 2 and "belongs to tenant 'acme'" in result.output
    assert len(jobs.list_jobs()) == n_jobs  # nothing was queued


def test_estimate_only_prints_tokens_and_time_and_queues_nothing(setup) -> None:
    plan = plan_run(DATASET, preset="quick", adapter_for="industry", max_steps=7, batch_size=2)
    e = plan.estimate
    assert plan.total_steps == 7 and e["steps"] == 7 and e["examples"] == setup["pooled"].version.counts["train"]
    assert e["padded_tokens"] >= e["label_tokens_per_epoch"] > 0 and e["seconds"] > 0
    result = runner.invoke(cli, ["train", "--dataset", DATASET, "--estimate-only", "--max-steps", "7"])
    assert result.exit_code == 0, result.output
    assert "estimate: 7 steps" in result.output and "min on cpu" in result.output
    assert jobs.list_jobs() == []


# ------------------------------------------------------------------------------------------- training


@pytest.fixture(scope="module")
def trained(setup) -> jobs.Job:
    plan = plan_run(DATASET, preset="quick", adapter_for="industry", max_steps=8, batch_size=2, max_len=96, lr=3e-3,
                    warmup=1, log_every=1, eval_every=4, checkpoint_every=3)
    job, resumed = start_or_resume(plan)
    assert not resumed
    return run(job, progress=False)


@pytest.mark.slow
def test_short_run_learns_checkpoints_and_registers_a_version(trained: jobs.Job) -> None:
    job = trained
    assert job.status == "succeeded" and job.step == 8
    losses = [e.train_loss for e in jobs.events(job.id, ("log",))]
    assert len(losses) == 8 and sum(losses[-2:]) / 2 < sum(losses[:2]) / 2  # the loss went down
    assert [e.step for e in jobs.events(job.id, ("eval",))] == [4, 8]
    assert [p.name for p in checkpoints(job.job_dir)] == ["step-000003", "step-000006"]
    assert (job.job_dir / "adapter" / "adapter_model.safetensors").is_file()
    assert (job.job_dir / "loss.png").stat().st_size > 1000
    assert job.result["s_per_step"] > 0 and job.result["tokens_per_s"] > 0
    v = registry.version_for_job(job.id)
    assert v.id == "industry-v1" and v.status == "training" and v.dataset.startswith(DATASET + "@")
    assert (v.adapter_path / "adapter_config.json").is_file()  # the registry's own copy


@pytest.mark.slow
def test_adapter_loads_and_changes_the_output(trained: jobs.Job) -> None:
    import torch

    from training.evaluate import generate

    v = registry.version_for_job(trained.id)
    model, tok, device = load_for_eval(Path(trained.base_model), v.adapter_path)
    prompt = [{"role": "user", "content": QA[1][0]}]
    ids = tok(tok.apply_chat_template(prompt, tokenize=False, add_generation_prompt=True), return_tensors="pt")
    with torch.no_grad():
        tuned = model(**ids).logits
        with model.disable_adapter():
            base = model(**ids).logits
            base_text = generate(model, tok, [prompt], device=device, max_new_tokens=16)[0]
    tuned_text = generate(model, tok, [prompt], device=device, max_new_tokens=16)[0]
    assert (tuned - base).abs().max() > 0.1
    assert tuned_text != base_text


@pytest.mark.slow
def test_kill_9_then_the_same_command_resumes_from_the_last_checkpoint(setup, trained) -> None:
    args = ["train", "--dataset", DATASET, "--adapter-for", "industry", "--preset", "quick", "--max-steps", "8",
            "--checkpoint-every", "2", "--eval-every", "4", "--no-progress", *TRAIN_ARGS]
    before = {j.id for j in jobs.list_jobs(100)}
    proc = subprocess.Popen([sys.executable, "-m", "app.cli", *args], cwd=ROOT, env=os.environ.copy(),
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    job = None
    deadline = time.monotonic() + 300
    try:
        while time.monotonic() < deadline:
            new = [j for j in jobs.list_jobs(100) if j.id not in before]
            if new and checkpoints(new[0].job_dir):
                job = new[0]
                break
            assert proc.poll() is None, proc.stdout.read().decode()
            time.sleep(0.05)
        proc.send_signal(signal.SIGKILL)  # a crash: no cleanup, no status update
    finally:
        proc.wait(30)
    assert job is not None, "no checkpoint within 5 minutes"
    last = checkpoints(job.job_dir)[-1]
    at = int(last.name.split("-")[1])
    assert 0 < at < 8
    crashed = jobs.get_job(job.id)
    assert crashed.status == "running" and not crashed.process_alive()

    result = runner.invoke(cli, args)  # the same command again
    assert result.exit_code == 0, result.output
    assert f"resuming unfinished job {job.id}" in result.output
    done = jobs.get_job(job.id)
    assert done.status == "succeeded" and done.step == 8
    assert done.result["resumed_from"] == [at]  # continued from the checkpoint, not from 0
    assert any(e.message == f"resumed from checkpoint {last.name}" for e in jobs.events(job.id, ("status",)))
    assert {j.id for j in jobs.list_jobs(100)} - before == {job.id}  # no second job
    assert registry.version_for_job(job.id).id == "industry-v2"


@pytest.mark.slow
def test_cancel_stops_a_running_trainer_between_steps(setup, trained) -> None:
    plan = plan_run(DATASET, preset="quick", adapter_for="industry", max_steps=10, batch_size=2, max_len=64)
    job, _ = start_or_resume(plan)
    seen: list[int] = []

    def cancel_at_2(step: int, _loss: float) -> None:
        seen.append(step)
        if step == 2:
            assert runner.invoke(cli, ["jobs", "cancel", job.id]).exit_code == 0

    done = run(job, progress=False, on_step=cancel_at_2)
    assert done.status == "cancelled" and seen == [1, 2, 3]  # stopped at the next poll
    assert registry.version_for_job(job.id).status == "archived"
    assert jobs.events(job.id, ("status",))[-1].message == "cancelled"
    again = runner.invoke(cli, ["train", "--resume", job.id])
    assert again.exit_code == 2 and "cancelled" in again.output
    assert runner.invoke(cli, ["jobs", "cancel", job.id]).exit_code == 2  # already cancelled


def test_jobs_list_and_show(trained) -> None:
    out = runner.invoke(cli, ["jobs", "list"]).output
    assert trained.id in out and "succeeded" in out
    show = runner.invoke(cli, ["jobs", "show", trained.id[:6]])
    assert show.exit_code == 0 and "train_loss" in show.output and "measured:" in show.output
    data = json.loads(runner.invoke(cli, ["jobs", "show", trained.id, "--json"]).output)
    assert [r["step"] for r in data["losses"]] == list(range(1, 9))


# ------------------------------------------------------------------------------------------- evaluation and leak test


@pytest.mark.slow
def test_eval_writes_report_and_records_the_version(trained) -> None:
    from training.evaluate import evaluate_job

    res = evaluate_job(trained.id, max_examples=2, max_new_tokens=8, show=1, factual_examples=3)
    m = res.metrics
    for name in ("report.md", "report.json", "loss.png"):
        assert (trained.job_dir / "eval" / name).is_file()
    assert m["perplexity"]["base"] > 1 and m["perplexity"]["tuned"] > 1 and m["regression"]["examples"] >= 20
    f = m["factual"]["tuned"]
    assert f["cases"] == 3 and 0 <= f["right"] <= 3
    factual_ok = f["accuracy"] >= 0.9 and f["false_answers"] == 0
    assert res.passed == (m["regression"]["ratio"] <= 1.15 and m["perplexity"]["tuned"] < m["perplexity"]["base"]
                          and factual_ok)
    # 8 answer tokens cannot state the key facts: the factual check fails the gate and lists the misses
    assert not factual_ok and any("factual" in c for c in m["failed_checks"])
    text = res.report_md.read_text()
    assert "| held-out perplexity" in text and "| factual check" in text and "Factual check: wrong answers" in text
    v = registry.get_version(res.version)
    assert v.status == "evaluated" and v.eval_passed is res.passed


def test_canaries_do_not_survive_the_real_pipelines(setup, tmp_path: Path) -> None:
    """(a) on the real pipeline: the industry builder's filter (canaries drawn from the whole NNN-NN-NNNN space) and
    `dataset add --redact` stored as a pooled dataset (SSN-shaped canaries; others: next test)."""
    canaries = leak.make_canaries(11)
    builder = leak.check_pipeline(canaries, "builder", seed=11)
    assert builder["passed"] and builder["pooled_records"] >= 40, builder

    ssn_like = leak.make_canaries(12, space="ssn")
    notes = leak.raw_tenant_notes(ssn_like, seed=12)
    assert sum(c.text in n for c in ssn_like for n in notes) == 15  # planted 1 + 2 + 4 + 8 times
    ds = add_dataset(leak.write_notes(notes, tmp_path / "notes.jsonl"), "leak-notes", options=Options(redact=True))
    assert ds.dataset is not None and ds.dataset.anonymized
    from training.datasets import load_split

    pooled = [m["content"] for s in ("train", "val", "test") for r in load_split(ds.dataset, s) for m in r["messages"]]
    assert len(pooled) == len(notes) and leak.survivors(ssn_like, pooled) == []

    bypass = leak.check_pipeline(canaries, "bypass", seed=11)  # the check itself finds canaries that are there
    assert {s["repetitions"] for s in bypass["survivors"]} == {1, 2, 4, 8}


def test_redaction_removes_account_numbers_outside_the_ssn_rules() -> None:
    """Not SSN-shaped (9xx area): caught by the bare "Account NNN-NN-NNNN" pattern of the account recognizer."""
    canaries = [leak.Canary("912-29-1044", "Maren Voss", 1)]
    assert leak.check_pipeline(canaries, "redact", seed=3)["passed"]


@pytest.mark.slow
def test_exposure_detects_memorization_when_the_anonymizer_is_bypassed(setup) -> None:
    """(b), test-only: with the anonymizer bypassed the canaries reach the training data, and after a short LoRA run
    on them the exposure measurement ranks the repeated ones in the top 3 of 100 candidates (measured: ranks 99, 55
    and 25 before, 1, 2 and 1 after for the 2x, 4x and 8x canaries; see docs/training.md for 1,000 candidates)."""
    result = leak.calibrate(setup["base"], steps=20, n=100)
    assert result["pooled_survivors"] == 4 and result["last_loss"] < result["first_loss"]
    by_reps = {a["repetitions"]: (b, a) for b, a in zip(result["before"], result["after"], strict=True)}
    for reps in (2, 4, 8):
        before, after = by_reps[reps]
        assert after["rank"] <= 3 and after["exposure"] >= before["exposure"] + 3, (reps, before, after)


@pytest.mark.slow
def test_leak_gate_is_recorded(trained) -> None:
    v = registry.version_for_job(trained.id)
    result = leak.leak_gate(v.id, n=100)
    assert result["pipeline"]["mode"] == "redact" and len(result["exposure"]) == 4
    assert all(1 <= e["rank"] <= 100 for e in result["exposure"])
    expected = result["pipeline"]["passed"] and result["max_exposure"] <= leak.EXPOSURE_THRESHOLD
    assert result["passed"] is expected and registry.get_version(v.id).leak_passed is expected


# ------------------------------------------------------------------------------------------- registry and serving


@pytest.fixture
def fallback_adapter():
    from config import reset_settings

    os.environ["SIGHTLINE_INDUSTRY_ADAPTER"] = "/fallback/adapter"
    reset_settings()
    yield
    os.environ.pop("SIGHTLINE_INDUSTRY_ADAPTER", None)
    reset_settings()


def _pass_gates(version_id: str) -> None:
    registry.record_eval(version_id, metrics={"failed_checks": []}, report=Path("report.md"), passed=True)
    registry.record_leak_test(version_id, {"passed": True}, True)


@pytest.mark.slow
def test_promotion_is_gated_and_rollback_restores_the_previous_version(setup, trained, fallback_adapter) -> None:
    from agents.models import industry_adapter

    versions = {v.id: v for v in registry.list_versions("industry")}
    v1, v2 = versions["industry-v1"], versions["industry-v2"]
    registry.record_eval(v1.id, metrics={"failed_checks": ["regression perplexity ratio 1.4 > 1.15"]},
                         report=Path("r.md"), passed=False)
    refused = runner.invoke(cli, ["models", "promote", v1.id])
    assert refused.exit_code == 2 and "evaluation failed (regression perplexity ratio 1.4" in refused.output
    registry.record_eval(v1.id, metrics={"failed_checks": []}, report=Path("r.md"), passed=True)
    registry._update(v1.id, leak_test=None, leak_passed=None)
    with pytest.raises(PromotionError, match="no leak test"):
        registry.promote(v1.id)
    registry.record_leak_test(v1.id, {"passed": False, "reason": "1 canary(ies) survived"}, False)
    with pytest.raises(PromotionError, match="leak test failed"):
        registry.promote(v1.id)
    with pytest.raises(PromotionError, match="has not been evaluated"):
        registry.promote(v2.id)
    with pytest.raises(DBAPIError, match="check"), admin_engine().begin() as conn:  # the database refuses too
        conn.execute(sa.text("UPDATE model_versions SET status = 'production' WHERE id = :v"), {"v": v2.id})
    assert resolve("industry@production") is None and industry_adapter() == "/fallback/adapter"

    _pass_gates(v1.id)
    _pass_gates(v2.id)
    assert runner.invoke(cli, ["models", "promote", v1.id]).exit_code == 0
    assert resolve("industry@production").version == v1.id
    assert industry_adapter() == str(v1.adapter_path)  # no restart: resolved per call
    out = runner.invoke(cli, ["models", "promote", v2.id]).output
    assert "industry@production -> industry-v2 (was industry-v1, now archived)" in out
    assert industry_adapter() == str(v2.adapter_path)
    assert runner.invoke(cli, ["models", "rollback", "industry"]).exit_code == 0
    assert resolve("industry@production").version == v1.id and industry_adapter() == str(v1.adapter_path)
    assert registry.get_version(v2.id).status == "archived"
    assert "nothing was promoted before it" in runner.invoke(cli, ["models", "rollback"]).output
    assert resolve("industry@production") is None and industry_adapter() == "/fallback/adapter"
    assert runner.invoke(cli, ["models", "promote", v2.id]).exit_code == 0  # leaves industry-v2 in production

    listing = runner.invoke(cli, ["models", "list"]).output
    assert "industry-v2" in listing and "production" in listing


@pytest.mark.slow
def test_tenant_adapter_is_chosen_from_the_principal_under_rls(setup, trained, tmp_path: Path) -> None:
    from langchain_core.language_models.fake_chat_models import FakeListChatModel

    from agents.models import AgentModels, industry_adapter, tenant_adapter
    from db.principal import Principal

    acme, globex = tenants.get_tenant("acme"), tenants.get_tenant("globex")
    v = registry.version_for_job(trained.id)
    acme_adapter = tmp_path / "tenant-acme-v1"
    shutil.copytree(v.adapter_path, acme_adapter)
    with admin_engine().begin() as conn:  # a promoted acme adapter (trained from the same job, for the test)
        conn.execute(sa.text(
            "INSERT INTO model_versions (id, target, scope_tenant_id, number, status, job_id, base_model, "
            "adapter_path, dataset_name, dataset_version, eval_passed, leak_passed) VALUES ('tenant-acme-v1', "
            "'tenant:acme', :t, 1, "
            "'production', NULL, :b, :p, 'acme-faq', :dv, true, true)"),
            {"t": acme.id, "b": v.base_model, "p": str(acme_adapter), "dv": setup["tenant"].version.version})

    def principal(t: tenants.Tenant) -> Principal:
        return Principal(user_id=t.id, tenant_id=t.id, tenant_slug=t.slug, email=f"x@{t.slug}.example")

    assert tenant_adapter(principal(acme)) == str(acme_adapter)
    assert tenant_adapter(principal(globex)) is None
    models = AgentModels(base=FakeListChatModel(responses=["base"]), tool_calling=False)
    assert models.industry(principal(acme))[1].endswith(f"adapter {acme_adapter}")  # the industry tool uses it
    fallback = industry_adapter()  # globex has no adapter of its own: the industry one (or the base model)
    assert str(acme_adapter) not in models.industry(principal(globex))[1]
    assert models.industry(principal(globex))[2] is bool(fallback)
    forged = Principal(user_id=globex.id, tenant_id=globex.id, tenant_slug="acme", email="x@globex.example")
    assert tenant_adapter(forged) is None  # RLS: a globex session never sees acme's versions
    assert resolve("tenant:acme@production") is None  # no tenant id, no tenant adapter
    with tenant_session(globex.id) as conn:
        assert conn.execute(sa.text("SELECT count(*) FROM model_versions WHERE target = 'tenant:acme'")).scalar() == 0
        assert conn.execute(sa.text("SELECT count(*) FROM model_versions WHERE target = 'industry'")).scalar() > 0
    with pytest.raises(DBAPIError, match="permission denied"), tenant_session(globex.id) as conn:
        conn.execute(sa.text("SELECT count(*) FROM training_jobs"))  # jobs are operator-only


@pytest.mark.slow
def test_export_for_vllm_points_adapters_at_the_exported_base(setup, trained, tmp_path: Path) -> None:
    from peft import PeftModel
    from transformers import AutoModelForCausalLM

    result = runner.invoke(cli, ["models", "export", str(tmp_path / "out"), "--served-root", "/models"])
    assert result.exit_code == 0, result.output
    out = tmp_path / "out"
    assert (out / "base" / "model.safetensors").is_file() and (out / "base" / "tokenizer.json").is_file()
    assert "quantization_config" not in json.loads((out / "base" / "config.json").read_text())
    acfg = json.loads((out / "adapters" / "industry" / "adapter_config.json").read_text())
    assert acfg["base_model_name_or_path"] == "/models/base"
    assert (out / "lora-modules.txt").read_text().split() == ["industry=/models/adapters/industry",
                                                              "tenant-acme=/models/adapters/tenant-acme"]
    base = AutoModelForCausalLM.from_pretrained(out / "base", local_files_only=True)
    PeftModel.from_pretrained(base, out / "adapters" / "industry")  # loads from the export alone
