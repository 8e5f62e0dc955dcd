"""Fine-tuning portal (app/admin/portal_*.py) on the real embedded PostgreSQL with real presidio and the real
tokenizer: uploads and their reports, the quality score, preview, labeling through tenant-admin RLS, versions (diff,
rollback, redaction), human ratings (RLS + scope trigger), the PDF/XLSX exports, gated promotion, archive, the model
card, the CLI commands, and the /admin/portal pages and /api/admin/portal routes with their scoping.

The model versions here are registered for jobs that did not train (their report.json is written by the test): the
real training -> evaluation -> promotion path runs in tests/test_portal_browser.py."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest
import sqlalchemy as sa
from typer.testing import CliRunner

from app.admin import portal_datasets as pd
from app.admin import portal_eval as pe
from app.admin import portal_models as pm
from app.admin.portal_scope import PortalError, PortalNotFound, PortalScope, cli_scope
from app.cli import cli
from db import registry as tenants
from db.session import tenant_session
from training import jobs, registry
from training.validate import Options

runner = CliRunner()

CSV = """text,label
My glasses slide down my nose,adjustment
The hinge on my frame broke,repair
My glasses slide down my nose,adjustment
Please call me at 415-555-0134 about my order,callback
The left temple is loose,adjustment
Can you tighten the screws,adjustment
The lens popped out,repair
When will my order be ready,
Do you fix sunglasses,
"""


def _scope(tenant, operator: bool = False) -> PortalScope:
    if operator:
        return PortalScope(operator=True, tenant_id=None, tenant_slug=None, rater="cli:test-operator")
    return PortalScope(operator=False, tenant_id=tenant.id, tenant_slug=tenant.slug,
                       rater="user:00000000-0000-4000-8000-000000000001")


@pytest.fixture(scope="module")
def world(database: str) -> dict:
    acme = tenants.add_tenant("acme", "Acme Optics")
    globex = tenants.add_tenant("globex", "Globex Eyewear")
    out = pd.upload(_scope(acme), "intents.csv", CSV.encode(), name="acme-intents", options=Options(split="60/20/20"))
    assert out.dataset is not None, out.report
    return {"acme": acme, "globex": globex, "upload": out}


def test_upload_report_quality_and_unlabeled_records(world) -> None:
    out = world["upload"]
    d = out.dataset
    assert d.scope == "tenant" and d.tenant_slug == "acme"
    r = out.report
    assert r["format"] == "classification" and r["records"]["valid"] == 7
    assert r["duplicates"]["exact"] == 1 and r["pii"]["records_with_pii"] >= 1
    assert out.unlabeled_queued == 2
    q = out.quality
    checks = {i["check"] for i in q["items"]}
    assert {"duplicates", "PII", "size", "format errors"} <= checks and 0 < q["score"] < 100
    assert q["score"] == round(100 - sum(i["penalty"] for i in q["items"]))


def test_quality_score_of_a_fatal_report_is_zero() -> None:
    assert pd.quality_score({"fatal": "zero valid records", "ok": False})["score"] == 0


def test_another_tenant_and_scope_rules(world) -> None:
    other = _scope(world["globex"])
    assert [d.name for d in pd.list_datasets(other)] == []
    for call in (lambda: pd.get_dataset(other, "acme-intents"), lambda: pd.preview(other, "acme-intents"),
                 lambda: pd.label_items(other, "acme-intents")):
        with pytest.raises(PortalNotFound):
            call()
    with pytest.raises(PortalError, match="taken"):
        pd.upload(other, "x.csv", CSV.encode(), name="acme-intents")
    assert "acme-intents" in [d.name for d in pd.list_datasets(_scope(None, operator=True))]


def test_preview_pages_and_flags_pii(world) -> None:
    p = pd.preview(_scope(world["acme"]), "acme-intents", split="train", page=1, per_page=2)
    assert p["per_page"] == 2 and p["pages"] == -(-p["total"] // 2) and len(p["records"]) == 2
    everything = [r for s in ("train", "val", "test")
                  for r in pd.preview(_scope(world["acme"]), "acme-intents", split=s, per_page=100)["records"]]
    flagged = [r for r in everything if r["pii"]]
    assert flagged and all("415-555-0134" in r["messages"][0]["content"] for r in flagged)


def test_labeling_is_tenant_admin_only_under_rls_and_builds_a_version(world) -> None:
    acme = _scope(world["acme"])
    q = pd.label_items(acme, "acme-intents")
    assert q["counts"]["unlabeled"] == 2 and {i.text for i in q["items"]} == {"When will my order be ready",
                                                                             "Do you fix sunglasses"}
    assert "adjustment" in q["labels"]
    # raw SQL as the app role: another tenant and a member of the same tenant see nothing and change nothing
    with tenant_session(world["globex"].id, role="admin") as conn:
        assert conn.execute(sa.text("SELECT count(*) FROM dataset_label_items")).scalar() == 0
        assert conn.execute(sa.text("UPDATE dataset_label_items SET label = 'x', labeled_at = now()")).rowcount == 0
    with tenant_session(world["acme"].id, role="member") as conn:
        assert conn.execute(sa.text("SELECT count(*) FROM dataset_label_items")).scalar() == 0
    with pytest.raises(sa.exc.DBAPIError):  # the app role may change the label columns only
        with tenant_session(world["acme"].id, role="admin") as conn:
            conn.execute(sa.text("UPDATE dataset_label_items SET text = 'forged'"))
    first, second = q["items"]
    pd.set_label(acme, "acme-intents", first.id, "status")
    pd.set_label(acme, "acme-intents", second.id, "repair")
    before = pd.get_dataset(acme, "acme-intents").version.version
    res = pd.build_from_labels(acme, "acme-intents")
    after = res.dataset.version.version
    assert after != before and res.dataset.current_version == after
    assert pd.label_items(acme, "acme-intents", state="all")["counts"] == {"unlabeled": 0, "labeled": 0, "used": 2}
    diff = pd.diff_versions(acme, "acme-intents", before, after)
    assert diff["added"] == 2 and diff["removed"] == 0
    assert {e["text"].split("  [label: ")[1].rstrip("]") for e in diff["added_examples"]} == {"status", "repair"}
    back = pd.rollback(acme, "acme-intents", before)
    assert back.current_version == before
    with pytest.raises(PortalError, match="no labeled items"):
        pd.build_from_labels(acme, "acme-intents")


def test_redaction_makes_a_new_version_without_pii(world) -> None:
    acme = _scope(world["acme"])
    res = pd.redact_version(acme, "acme-intents")
    v = res.dataset.version
    assert v.redacted and v.report["pii"]["after_redaction"]["records_with_pii"] == 0
    texts = [m["content"] for s in ("train", "val", "test")
             for r in pd.preview(acme, "acme-intents", split=s, per_page=100)["records"] for m in r["messages"]]
    assert not any("415-555-0134" in t for t in texts) and any("<PHONE_NUMBER>" in t for t in texts)
    with pytest.raises(PortalError, match="redacted already"):
        pd.redact_version(acme, "acme-intents")


def test_operator_uploads_a_json_array_as_a_pooled_dataset(world) -> None:
    items = [{"prompt": f"What is lens index {n}?", "completion": f"Index {n} is a lens material."} for n in range(6)]
    items.append({"prompt": "What is an Abbe value?"})
    out = pd.upload(_scope(None, operator=True), "pairs.json", json.dumps(items).encode(), name="pooled-pairs")
    assert out.dataset is not None and out.dataset.scope == "pooled" and out.unlabeled_queued == 1
    assert out.report["format"] == "prompt_completion" and out.report["records"]["valid"] == 6
    assert any("JSON array" in n for n in out.notes)
    with pytest.raises(PortalError, match="use .jsonl"):
        pd.upload(_scope(None, operator=True), "x.exe", b"MZ", name="bad")


# ------------------------------------------------------------------------------------------- registry side


@pytest.fixture(scope="module")
def version(world, tmp_path_factory) -> registry.ModelVersion:
    """A tenant:acme model version whose job finished and whose evaluation report the test writes."""
    d = pd.get_dataset(_scope(world["acme"]), "acme-intents")
    job = jobs.create_job(target="tenant:acme", tenant_id=world["acme"].id, dataset_name=d.name,
                          dataset_version=d.version.version, preset="quick", base_model="base", config={"lr": 0.001},
                          fingerprint="portal-test", total_steps=4, estimate={"seconds": 10, "s_per_step": 2.5,
                                                                              "cost": 0.0003})
    v = registry.create_version(job)
    jobs.finish(job.id, "succeeded", step=4, result={"steps_done": 4, "device": "cpu", "stopped": "done"})
    out = job.job_dir / "eval"
    out.mkdir(parents=True)
    report = {
        "metrics": {"split": "test", "held_out_examples": 2, "held_out_tokens": 20,
                    "perplexity": {"base": 20.5, "tuned": 9.25}, "rouge_l": {"base": 0.1, "tuned": 0.2, "examples": 2,
                                                                              "max_new_tokens": 8},
                    "regression": {"examples": 22, "perplexity_base": 7.0, "perplexity_tuned": 7.7, "ratio": 1.1,
                                   "max_ratio": 1.15},
                    "passed": False, "failed_checks": ["factual accuracy 0/3 < 90%"]},
        "examples": [{"prompt": "Is the hinge covered?", "reference": "Yes, hinges are repaired free.",
                      "base": "I am not sure.", "tuned": "Yes, the hinge is repaired free — ça va."},
                     {"prompt": "How long is the lab?", "reference": "Nine days.", "base": "Soon.", "tuned": "Nine."}],
        "regression_examples": [{"prompt": "What is 2+2?", "reference": "4", "base": "4", "tuned": "4"}],
        "factual_misses": [{"question": "What is PD?", "answer": "A lens.", "missing": ["pupillary distance"],
                            "false": []}]}
    (out / "report.json").write_text(json.dumps(report))
    (out / "report.md").write_text("# report\n")
    registry.record_eval(v.id, metrics=report["metrics"], report=out / "report.md", passed=False)
    return registry.get_version(v.id)


def test_ratings_per_answer_are_scoped_and_summarized(world, version) -> None:
    acme, other = _scope(world["acme"]), _scope(world["globex"])
    r = pe.save_rating(acme, version.id, example_set="held_out", example_index=0, side="tuned",
                       scores={"relevance": 5, "correctness": 4, "style": 3, "helpfulness": 4}, safe="yes",
                       comment="good")
    assert (r.relevance, r.safe) == (5, True)
    pe.save_rating(acme, version.id, example_set="held_out", example_index=0, side="tuned",  # a rater's update
                   scores={"relevance": 4, "correctness": 4, "style": 3, "helpfulness": 4}, safe="no")
    pe.save_rating(acme, version.id, example_set="held_out", example_index=0, side="base",
                   scores={"relevance": 2, "correctness": 1, "style": 3, "helpfulness": 2}, safe=True)
    rows = pe.ratings(acme, version.id)
    assert len(rows) == 2
    s = pe.summary(rows)
    assert s["tuned"]["relevance"] == 4 and s["tuned"]["safe"] == 0 and s["base"]["correctness"] == 1
    with pytest.raises(PortalError, match="1 to 5"):
        pe.save_rating(acme, version.id, example_set="held_out", example_index=1, side="base",
                       scores={"relevance": 6, "correctness": 4, "style": 3, "helpfulness": 4}, safe="yes")
    with pytest.raises(PortalError, match="no held_out example 7"):
        pe.save_rating(acme, version.id, example_set="held_out", example_index=7, side="base",
                       scores={"relevance": 3, "correctness": 4, "style": 3, "helpfulness": 4}, safe="yes")
    with pytest.raises(PortalNotFound):
        pe.ratings(other, version.id)
    # raw SQL as globex's admin: acme's ratings are invisible, and a rating cannot be attached to acme's version
    with tenant_session(world["globex"].id, role="admin") as conn:
        assert conn.execute(sa.text("SELECT count(*) FROM eval_ratings")).scalar() == 0
    for scope_tenant in (world["globex"].id, world["acme"].id):
        with pytest.raises(sa.exc.DBAPIError):
            with tenant_session(world["globex"].id, role="admin") as conn:
                conn.execute(sa.text(
                    "INSERT INTO eval_ratings (version_id, scope_tenant_id, example_set, example_index, side, rater, "
                    "relevance, correctness, style, helpfulness, safe) VALUES (:v, :t, 'held_out', 1, 'base', "
                    "'cli:x', 1, 1, 1, 1, true)"), {"v": version.id, "t": scope_tenant})


def test_exports_pdf_and_xlsx(world, version) -> None:
    from openpyxl import load_workbook
    from pypdf import PdfReader

    acme = _scope(world["acme"])
    pdf = pe.export_pdf(acme, version.id)
    text = "".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf)).pages)
    assert pdf.startswith(b"%PDF") and version.id in text and "factual accuracy 0/3" in text
    assert "Is the hinge covered?" in text and "ça va" in text
    wb = load_workbook(io.BytesIO(pe.export_xlsx(acme, version.id)))
    assert wb.sheetnames == ["Summary", "Examples", "Factual misses", "Ratings"]
    assert [c.value for c in wb["Examples"][2]][:3] == ["held_out", 0, "Is the hinge covered?"]
    assert wb["Ratings"].max_row == 3  # header + the two ratings
    with pytest.raises(PortalNotFound):
        pe.export_pdf(_scope(world["globex"]), version.id)


def test_promotion_gate_archive_and_model_card(world, version) -> None:
    acme = _scope(world["acme"])
    gates = pm.gates(acme, version.id)
    assert any("adapter is missing" in p for p in gates["staging"])
    assert any("evaluation failed (factual accuracy" in p for p in gates["production"])
    with pytest.raises(PortalError, match="refusing to promote"):
        pm.promote(acme, version.id, "production")
    version.adapter_path.mkdir(parents=True, exist_ok=True)
    (version.adapter_path / "adapter_config.json").write_text("{}")
    new, previous = pm.promote(acme, version.id, "staging")
    assert new.status == "staging" and previous is None
    assert {"target": "tenant:acme", "production": None, "staging": version.id} in pm.serving(acme)
    card = pm.model_card(acme, version.id)
    assert card["data"]["ref"] == version.dataset and card["scores"]["perplexity"]["tuned"] == 9.25
    assert card["ratings"]["tuned"]["n"] == 1 and "## Limits" in card["markdown"]
    assert card["limits"][0].startswith("Evaluation checks failed: factual accuracy")
    archived = pm.archive(acme, version.id)
    assert archived.status == "archived"
    with pytest.raises(PortalNotFound):
        pm.model_card(_scope(world["globex"]), version.id)


def test_cli_commands(world, version, tmp_path: Path) -> None:
    assert cli_scope().operator
    res = runner.invoke(cli, ["dataset", "quality", "acme-intents"])
    assert res.exit_code == 0 and "quality" in res.output and "/100" in res.output
    res = runner.invoke(cli, ["dataset", "preview", "acme-intents", "--per-page", "1", "--json"])
    assert res.exit_code == 0 and len(json.loads(res.output)["records"]) == 1
    res = runner.invoke(cli, ["models", "rate", version.id, "--index", "1", "--side", "base", "--relevance", "2",
                              "--correctness", "2", "--style", "2", "--helpfulness", "2", "--safe", "yes"])
    assert res.exit_code == 0, res.output
    out = tmp_path / "r.xlsx"
    res = runner.invoke(cli, ["models", "report", version.id, "--format", "xlsx", "-o", str(out)])
    assert res.exit_code == 0 and out.read_bytes()[:2] == b"PK"
    res = runner.invoke(cli, ["models", "card", version.id])
    assert res.exit_code == 0 and res.output.startswith(f"# Model card: {version.id}")
    res = runner.invoke(cli, ["dataset", "diff", "acme-intents", "nothex", "zzzz"])
    assert res.exit_code == 2 and "error:" in res.output


# ------------------------------------------------------------------------------------------- pages and REST routes

ADMIN = "ada.admin@acme.example"
MEMBER = "mel@acme.example"
OTHER_ADMIN = "gil.admin@globex.example"
OPERATOR = "opal@globex.example"


@pytest.fixture(scope="module")
def app(world):
    from tests.admin_helpers import console_with_users

    users = ((ADMIN, "acme", "admin"), (MEMBER, "acme", "member"), (OTHER_ADMIN, "globex", "admin"),
             (OPERATOR, "globex", "member"))
    with console_with_users(users, operators=OPERATOR) as app:
        yield app


def _client(app, email: str):
    from tests.admin_helpers import signed_in

    return signed_in(app, email)


def test_portal_pages_need_a_tenant_admin_or_an_operator(app) -> None:
    from starlette.testclient import TestClient

    assert _client(app, MEMBER).get("/admin/portal").status_code == 403
    assert TestClient(app).get("/api/admin/portal/datasets").status_code == 401
    home = _client(app, ADMIN).get("/admin/portal")
    assert home.status_code == 200 and "acme-intents" in home.text and "pooled-pairs" not in home.text
    assert 'href="/admin/portal"' in home.text  # the nav entry
    op = _client(app, OPERATOR).get("/admin/portal")
    assert op.status_code == 200 and "acme-intents" in op.text and "pooled-pairs" in op.text
    other = _client(app, OTHER_ADMIN)
    assert "acme-intents" not in other.get("/admin/portal").text
    assert other.get("/admin/portal/datasets/acme-intents").status_code == 404
    assert other.get("/api/admin/portal/datasets/acme-intents").status_code == 404
    assert [d["name"] for d in other.get("/api/admin/portal/datasets").json()] == []


def test_dataset_page_report_preview_and_versions(app) -> None:
    c = _client(app, ADMIN)
    page = c.get("/admin/portal/datasets/acme-intents")
    assert page.status_code == 200
    for part in ('data-testid="quality-score"', "PII findings", "Duplicates", "Class balance", 'id="class-chart"',
                 'data-testid="preview"', "Make current (roll back)", "/admin/static/plotly.min.js"):
        assert part in page.text, part
    frag = c.get("/admin/portal/datasets/acme-intents/preview", params={
        "version": pd.get_dataset(_scope(None, operator=True), "acme-intents").version.version, "split": "val"})
    assert frag.status_code == 200 and "<html" not in frag.text and 'data-testid="preview"' in frag.text
    api = c.get("/api/admin/portal/datasets/acme-intents").json()
    assert api["quality"]["score"] == pd.quality_score(api["report"])["score"] and len(api["versions"]) >= 3


def test_upload_through_the_page_needs_csrf_and_is_audited(app, world) -> None:
    from db.audit import read_tenant

    c = _client(app, ADMIN)
    files = {"file": ("faq.jsonl", b'{"prompt": "Do you sell contact lenses?", "completion": "Yes, monthly and daily."}'
                                   b'\n{"prompt": "Broken line"\n', "application/json")}
    refused = c.post("/admin/portal/datasets/upload", files=files, data={"name": "acme-faq"})
    assert refused.status_code == 403
    ok = c.post("/admin/portal/datasets/upload", files=files, data={"name": "acme-faq", "csrf_token": c.csrf})
    assert ok.status_code == 200, ok.text
    assert "Stored new version" in ok.text and "line 2: invalid JSON" in ok.text and 'data-testid="quality-score"' \
        in ok.text
    assert pd.get_dataset(_scope(world["acme"]), "acme-faq").tenant_slug == "acme"
    rows = [r for r in read_tenant(world["acme"].id, limit=50) if r.event == "admin.portal.dataset_upload"]
    assert rows and rows[0].details["action"]["dataset"] == "acme-faq"
    bad = c.post("/api/admin/portal/datasets", files={"file": ("x.csv", b"a,b\n1,2\n", "text/csv")},
                 data={"name": "acme-bad"}, headers={"X-CSRF-Token": c.csrf})
    assert bad.status_code == 422 and "text,label" in bad.json()["report"]["fatal"] and not bad.json()["stored"]


def test_estimate_is_scoped_to_the_callers_adapter(app) -> None:
    c = _client(app, ADMIN)
    refused = c.post("/api/admin/portal/training/estimate", headers={"X-CSRF-Token": c.csrf},
                     json={"dataset": "acme-intents", "target": "industry", "preset": "quick"})
    assert refused.status_code == 400 and "you may train only tenant:acme" in refused.json()["error"]
    e = c.post("/api/admin/portal/training/estimate", headers={"X-CSRF-Token": c.csrf},
               json={"dataset": "acme-intents", "target": "tenant:acme", "preset": "quick",
                     "settings": {"max_steps": "3", "batch_size": "2"}})
    assert e.status_code == 200, e.text
    body = e.json()
    assert body["steps"] == 3 and body["seconds"] > 0 and body["cost"] >= 0 and body["device"] == "cpu"
    frag = c.post("/admin/portal/train/estimate", data={"dataset": "acme-intents", "target": "tenant:acme",
                                                       "preset": "quick", "max_steps": "3", "csrf_token": c.csrf})
    assert frag.status_code == 200 and 'data-testid="estimate"' in frag.text and "3 steps" in frag.text


def test_job_evaluation_ratings_exports_and_promotion_routes(app, version) -> None:
    c, other = _client(app, ADMIN), _client(app, OTHER_ADMIN)
    live = c.get(f"/api/admin/portal/training/jobs/{version.job_id}").json()
    assert live["status"] == "succeeded" and live["total_steps"] == 4
    assert other.get(f"/api/admin/portal/training/jobs/{version.job_id}").status_code == 404
    page = c.get(f"/admin/portal/jobs/{version.job_id}")
    assert page.status_code == 200 and 'data-testid="loss-chart"' in page.text
    ev = c.get(f"/admin/portal/models/{version.id}")
    assert ev.status_code == 200 and "Is the hinge covered?" in ev.text and "I am not sure." in ev.text
    assert 'data-testid="gate-production"' in ev.text and "factual accuracy 0/3" in ev.text
    assert other.get(f"/admin/portal/models/{version.id}").status_code == 404
    saved = c.post(f"/admin/portal/models/{version.id}/ratings", data={
        "example_set": "regression", "example_index": "0", "side": "tuned", "relevance": "5", "correctness": "5",
        "style": "4", "helpfulness": "5", "safe": "yes", "csrf_token": c.csrf})
    assert saved.status_code == 200 and "saved: relevance 5" in saved.text
    api = c.get(f"/api/admin/portal/models/{version.id}/evaluation").json()
    assert any(r["example_set"] == "regression" and r["relevance"] == 5 for r in api["ratings"])
    pdf = c.get(f"/api/admin/portal/models/{version.id}/report.pdf")
    assert pdf.status_code == 200 and pdf.headers["content-type"] == "application/pdf" and pdf.content[:4] == b"%PDF"
    xlsx = c.get(f"/admin/portal/models/{version.id}/report.xlsx")
    assert xlsx.status_code == 200 and xlsx.content[:2] == b"PK"
    assert other.get(f"/api/admin/portal/models/{version.id}/report.pdf").status_code == 404
    assert other.post(f"/api/admin/portal/models/{version.id}/promote", headers={"X-CSRF-Token": other.csrf},
                      json={"stage": "production"}).status_code == 404
    refused = c.post(f"/api/admin/portal/models/{version.id}/promote", headers={"X-CSRF-Token": c.csrf},
                     json={"stage": "production"})
    assert refused.status_code == 409 and "evaluation failed" in refused.json()["error"]
    card = c.get(f"/admin/portal/models/{version.id}/card")
    assert card.status_code == 200 and "Limits" in card.text and version.dataset in card.text
