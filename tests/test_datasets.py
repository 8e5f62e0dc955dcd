"""Training datasets (real database, real presidio, real SmolLM2 tokenizer): formats, validation errors with line
numbers, duplicates, PII and --redact, content-addressed versions and rollback, seeded splits, the scope rule, and the
industry builder."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import sqlalchemy as sa
from sqlalchemy.exc import DBAPIError
from typer.testing import CliRunner

from app.cli import cli
from db import registry
from db.engine import admin_engine
from db.session import tenant_session
from tests.doc_files import make_docx, make_pdf
from training.datasets import (
    DatasetError,
    ScopeError,
    add_dataset,
    check_training_scope,
    get_dataset,
    list_versions,
    load_split,
    rollback,
)
from training.formats import FormatError, parse_file
from training.splits import SplitError, assign_splits, parse_split
from training.validate import Options, prepare_file

runner = CliRunner()

QA = [
    ("What does SPH mean on a prescription?", "Sphere: the lens power in diopters for near- or farsightedness."),
    ("What does CYL mean?", "Cylinder: the power that corrects astigmatism, always paired with an axis."),
    ("What is the AXIS?", "The orientation of the cylinder correction, from 1 to 180 degrees."),
    ("What is the ADD?", "Extra plus power for near vision in bifocals and progressive lenses."),
    ("What is PD?", "Pupillary distance: the distance between the pupil centres in millimetres."),
    ("Which lens material suits children?", "Polycarbonate or Trivex, because they are impact resistant."),
    ("What does an AR coating do?", "It cancels most reflections from the lens surfaces, reducing glare."),
    ("What is a progressive lens?", "A lens whose power changes gradually from distance at the top to near below."),
    ("How should lenses be cleaned?", "Rinse with lukewarm water, use mild soap and dry with a microfibre cloth."),
    ("What is a remake?", "A second production of an order because the first could not be dispensed."),
]
PII_VALUES = ("Maria Gonzalez", "maria.g@gmail.com", "(555) 201-3344", "201-3344")


def write_jsonl(path: Path, rows: list, raw: dict[int, str] | None = None) -> Path:
    """Rows as JSON lines; `raw` puts literal text at given 1-based line numbers."""
    lines = [json.dumps(r) for r in rows]
    for n, text in sorted((raw or {}).items()):
        lines.insert(n - 1, text)
    path.write_text("\n".join(lines) + "\n")
    return path


def pc_rows(pairs=QA) -> list[dict]:
    return [{"prompt": q, "completion": a} for q, a in pairs]


def messages(records) -> list[list[dict]]:
    return [r.messages for r in records]


def version_rows(name: str) -> int:
    with admin_engine().connect() as conn:
        return conn.execute(sa.text("SELECT count(*) FROM dataset_versions v JOIN datasets d ON d.id = v.dataset_id "
                                    "WHERE d.name = :n"), {"n": name}).scalar_one()


def stored_text(dataset) -> str:
    """Every file of a stored version, concatenated (splits and report.json)."""
    return "".join(p.read_text() for p in sorted(dataset.version.path.iterdir()))


@pytest.fixture(scope="module")
def tenants(database):
    return registry.add_tenant("acme", "Acme Optics"), registry.add_tenant("globex", "Globex Eyewear")


# ------------------------------------------------------------------------------------------------ formats


def test_prompt_completion_and_chat_jsonl_normalize_to_chat_messages(tmp_path):
    pc = parse_file(write_jsonl(tmp_path / "pc.jsonl", pc_rows(QA[:2])))
    assert pc.format == "prompt_completion" and not pc.errors
    assert pc.records[0].messages == [{"role": "user", "content": QA[0][0]}, {"role": "assistant", "content": QA[0][1]}]

    chat_rows = [{"messages": [{"role": "system", "content": "You are an optician."},
                               {"role": "user", "content": q}, {"role": "assistant", "content": a}]} for q, a in QA[:3]]
    chat = parse_file(write_jsonl(tmp_path / "chat.jsonl", chat_rows))
    assert chat.format == "chat" and not chat.errors and len(chat.records) == 3
    assert [m["role"] for m in chat.records[2].messages] == ["system", "user", "assistant"]


def test_csv_classification_keeps_the_label(tmp_path):
    path = tmp_path / "intents.csv"
    path.write_text('text,label\n"My glasses slide down my nose, can you help",adjustment\n'
                    "When will my order be ready?,order_status\n")
    parsed = parse_file(path)
    assert parsed.format == "classification" and not parsed.errors
    assert parsed.records[0].label == "adjustment"
    assert parsed.records[0].messages[-1] == {"role": "assistant", "content": "adjustment"}


def test_txt_pdf_and_docx_become_text_chunks(tmp_path):
    txt = tmp_path / "notes.txt"
    txt.write_text("Progressive lenses need a fitting height.\n\n" + "word " * 400 + "\n\nLast paragraph.\n")
    parsed = parse_file(txt)
    assert parsed.format == "text" and len(parsed.records) >= 3
    assert all(r.messages[0]["role"] == "assistant" for r in parsed.records)
    assert parsed.records[0].where == "line 1"
    assert max(len(r.text.split()) for r in parsed.records) <= 180

    pdf = parse_file(make_pdf(tmp_path / "policy.pdf", ["Remakes are free within 60 days.", "Bring the receipt."]))
    assert pdf.format == "pdf" and "Remakes are free within 60 days." in pdf.records[0].text
    assert pdf.records[0].where == "page 1"

    docx = parse_file(make_docx(tmp_path / "sop.docx", ["Clean lenses with lukewarm water."],
                                [["Coating", "Warranty"], ["AR", "12 months"]]))
    assert docx.format == "docx"
    assert "Clean lenses with lukewarm water." in docx.records[0].text and "AR | 12 months" in docx.records[0].text


def test_format_is_detected_by_content_when_the_extension_does_not_say(tmp_path):
    blob = tmp_path / "export.dat"
    write_jsonl(blob, pc_rows(QA[:1]))
    assert parse_file(blob).format == "prompt_completion"
    pdf_named_txt = make_pdf(tmp_path / "scan.txt", ["Hello optical world."])
    assert parse_file(pdf_named_txt).format == "pdf"


# ------------------------------------------------------------------------------------------------ validation


def test_format_errors_name_their_line(tmp_path):
    rows = pc_rows(QA)
    path = write_jsonl(tmp_path / "bad.jsonl", rows, raw={
        7: '{"prompt": "What is a lensometer?", "completion": ',
        12: '{"prompt": "What is a tracer?"}',
        13: '{"prompt": "", "completion": "x"}',
        14: '["not", "an", "object"]',
    })
    parsed = parse_file(path)
    by_line = {e.line: e for e in parsed.errors}
    assert by_line[7].code == "bad_json" and by_line[7].message.startswith("line 7: invalid JSON")
    assert by_line[12].message == 'line 12: missing "completion"'
    assert by_line[13].message == 'line 13: empty "prompt"'
    assert by_line[14].code == "not_object"
    assert len(parsed.records) == len(QA)


def test_chat_errors_wrong_role_empty_content_no_assistant(tmp_path):
    good = {"messages": [{"role": "user", "content": "Hi"}, {"role": "assistant", "content": "Hello"}]}
    rows = [good,
            {"messages": [{"role": "user", "content": "Hi"}, {"role": "bot", "content": "Hello"}]},
            {"messages": [{"role": "user", "content": "   "}, {"role": "assistant", "content": "Hello"}]},
            {"messages": [{"role": "user", "content": "Only a question"}]},
            {"prompt": "q", "completion": "a"}]
    parsed = parse_file(write_jsonl(tmp_path / "chat.jsonl", rows))
    msgs = {e.line: e.message for e in parsed.errors}
    assert msgs[2] == 'line 2: message 2 has role "bot"; expected system, user or assistant'
    assert msgs[3] == "line 3: message 1 (user) has empty content"
    assert msgs[4] == "line 4: no assistant message to learn from"
    assert msgs[5].startswith('line 5: missing "messages"')
    assert len(parsed.records) == 1


def test_csv_row_errors_and_bad_header(tmp_path):
    path = tmp_path / "labels.csv"
    path.write_text("text,label\nfine text,a\n,b\nno label,\ntoo,many,fields\nmore text,b\n")
    parsed = parse_file(path)
    assert {e.line: e.message for e in parsed.errors} == {
        3: 'line 3: empty "text"', 4: 'line 4: empty "label"', 5: "line 5: 3 field(s), expected 2"}
    bad = tmp_path / "bad.csv"
    bad.write_text("question,answer\na,b\n")
    with pytest.raises(FormatError, match="line 1: the CSV header must have the columns text,label"):
        parse_file(bad)


def test_tokens_are_counted_with_the_model_tokenizer_and_out_of_range_is_a_warning(tmp_path):
    from training.tokenizer import count_tokens, get_tokenizer

    assert get_tokenizer() is get_tokenizer()  # cached
    assert count_tokens(["What is PD?"]) == [len(get_tokenizer()("What is PD?", add_special_tokens=False)["input_ids"])]
    rows = pc_rows(QA[:3]) + [{"prompt": "Explain lens coatings.", "completion": "coating " * 300}]
    prepared = prepare_file(write_jsonl(tmp_path / "long.jsonl", rows), Options(max_tokens=100))
    warning = next(w for w in prepared.report["warnings"] if w["code"] == "too_long")
    assert "1 record(s) over 100 tokens: line 4 (" in warning["message"]
    assert prepared.report["tokens"]["too_long"] == 1 and prepared.report["tokens"]["max"] > 250
    strict = prepare_file(tmp_path / "long.jsonl", Options(max_tokens=100, strict=True))
    assert not strict.ok and strict.splits == {}


def test_exact_and_near_duplicates_are_reported_and_dedupe_drops_them(tmp_path):
    long_a = ("Progressive lenses change power gradually from the distance zone at the top through a narrow "
              "corridor to the reading zone at the bottom of the lens, without any visible line. Wearers point "
              "their nose at what they want to see, and most adapt within a few days to two weeks of full-time "
              "wear; persistent trouble means the heights and PD should be rechecked.")
    long_b = long_a.replace("narrow corridor", "narrow channel")  # one word changed
    rows = pc_rows(QA[:6]) + [{"prompt": "What is a progressive lens?", "completion": long_a},
                              {"prompt": "What is a progressive lens?", "completion": long_b},
                              {"prompt": QA[0][0].upper(), "completion": QA[0][1] + "  "}]  # exact (normalized)
    path = write_jsonl(tmp_path / "dups.jsonl", rows)
    kept = prepare_file(path)
    dup = kept.report["duplicates"]
    assert (dup["exact"], dup["near"]) == (1, 1)
    kinds = {(e["kind"], e["record"], e["duplicate_of"]) for e in dup["examples"]}
    assert kinds == {("exact", "line 9", "line 1"), ("near", "line 8", "line 7")}
    assert sum(kept.report["splits"]["counts"].values()) == 9
    # Without --dedupe, a duplicate cluster lands in one split (no train/test leak).
    where = {i: s for s, records in kept.splits.items() for i, r in enumerate(rows) if
             any(r["completion"].strip() == x.messages[-1]["content"] for x in records)}
    assert where[6] == where[7]

    deduped = prepare_file(path, Options(dedupe=True))
    assert deduped.report["records"]["dropped_duplicates"] == 2
    stored = [m for records in deduped.splits.values() for m in messages(records)]
    assert len(stored) == 7
    assert sum(m[-1]["content"] == long_b for m in stored) == 0


def test_pii_is_reported_and_redact_replaces_it(tmp_path):
    rows = pc_rows(QA[:4]) + [{"prompt": "Please call Maria Gonzalez at (555) 201-3344 about her progressives.",
                               "completion": "I will also email maria.g@gmail.com with the pickup time."}]
    path = write_jsonl(tmp_path / "pii.jsonl", rows)
    plain = prepare_file(path)
    assert plain.report["pii"]["records_with_pii"] == 1
    assert set(plain.report["pii"]["by_type"]) == {"PERSON", "PHONE_NUMBER", "EMAIL_ADDRESS"}
    assert plain.report["pii"]["where"] == ["line 5"] and not plain.anonymized
    assert any(w["code"] == "pii" and "line 5" in w["message"] for w in plain.report["warnings"])

    redacted = prepare_file(path, Options(redact=True))
    assert redacted.anonymized and redacted.report["pii"]["after_redaction"]["records_with_pii"] == 0
    text = json.dumps([r.to_json() for rs in redacted.splits.values() for r in rs])
    assert "<PERSON>" in text and "<PHONE_NUMBER>" in text and "<EMAIL_ADDRESS>" in text
    assert not [v for v in PII_VALUES if v in text]


def test_hard_errors_store_nothing(tenants, tmp_path):
    unknown = tmp_path / "sheet.xlsx"
    unknown.write_bytes(b"\x00\x01\x02binary\xff\xfe")
    empty_records = write_jsonl(tmp_path / "none.jsonl", [], raw={1: "{oops", 2: '{"prompt": "q"}'})
    broken_pdf = tmp_path / "broken.pdf"
    broken_pdf.write_bytes(b"%PDF-1.4 this is not really a pdf")
    for path, expected in ((unknown, "unknown format"), (empty_records, "zero valid records"),
                           (broken_pdf, "unreadable PDF")):
        result = add_dataset(path, "hard-errors")
        assert result.dataset is None and expected in result.prepared.report["fatal"]
        assert not result.prepared.ok and result.prepared.splits == {}
    with pytest.raises(DatasetError, match="unknown dataset"):
        get_dataset("hard-errors")
    # line numbers survive into the fatal report
    fatal = add_dataset(empty_records, "hard-errors").prepared.report
    assert [e["line"] for e in fatal["errors"]] == [1, 2]


# ------------------------------------------------------------------------------------------------ splits


def test_splits_are_seeded_deterministic_and_small_datasets_get_val_and_test(tmp_path):
    assert parse_split("70/20/10") == (70, 20, 10)
    for bad in ("80/10", "50/30/30", "0/50/50", "a/b/c"):
        with pytest.raises(SplitError):
            parse_split(bad)
    keys = [f"k{i}" for i in range(100)]
    first = assign_splits(keys, (80, 10, 10), seed=1)
    assert first == assign_splits(keys, (80, 10, 10), seed=1)
    assert first != assign_splits(keys, (80, 10, 10), seed=2)
    assert (first.count("train"), first.count("val"), first.count("test")) == (80, 10, 10)
    # order does not matter, and adding records does not move the old ones
    assert dict(zip(keys, first, strict=True)) == dict(zip(keys[::-1], assign_splits(keys[::-1], (80, 10, 10), 1),
                                                          strict=True))
    grown = assign_splits(keys + [f"new{i}" for i in range(10)], (80, 10, 10), seed=1)
    assert sum(a != b for a, b in zip(first, grown[:100], strict=True)) <= 10
    assert sorted(assign_splits(["a", "b", "c"], (80, 10, 10), 0)) == ["test", "train", "val"]
    assert sorted(assign_splits(["a", "b"], (80, 10, 10), 0)) == ["test", "train"]
    assert assign_splits(["a"], (80, 10, 10), 0) == ["train"]

    path = write_jsonl(tmp_path / "qa.jsonl", pc_rows())
    a, b = prepare_file(path, Options(seed=7)), prepare_file(path, Options(seed=7))
    assert {s: messages(v) for s, v in a.splits.items()} == {s: messages(v) for s, v in b.splits.items()}
    assert a.report["splits"]["counts"] == {"train": 8, "val": 1, "test": 1}


# ------------------------------------------------------------------------------------------------ versions


def test_same_content_same_version_new_content_new_version_and_rollback(tenants, tmp_path):
    path = write_jsonl(tmp_path / "faq.jsonl", pc_rows())
    first = add_dataset(path, "faq", tenant_slug="acme")
    assert first.created and first.dataset.scope == "tenant" and first.dataset.tenant_slug == "acme"
    v1 = first.dataset.version.version
    assert len(v1) == 12 and first.dataset.version.path.name == v1
    assert {p.name for p in first.dataset.version.path.iterdir()} == {"train.jsonl", "val.jsonl", "test.jsonl",
                                                                     "report.json"}
    assert len(load_split(first.dataset, "train")) == 8

    again = add_dataset(tmp_path / "faq.jsonl", "faq", tenant_slug="acme")
    assert not again.created and again.dataset.version.version == v1 and version_rows("faq") == 1

    write_jsonl(path, pc_rows() + [{"prompt": "What is a tray number?", "completion": "It tracks a lab job."}])
    second = add_dataset(path, "faq", tenant_slug="acme")
    v2 = second.dataset.version.version
    assert second.created and v2 != v1 and version_rows("faq") == 2
    assert get_dataset("faq").current_version == v2

    assert rollback("faq", v1[:6]).current_version == v1
    assert get_dataset("faq").version.version == v1
    assert get_dataset(f"faq@{v2}").version.counts["train"] + get_dataset(f"faq@{v2}").version.counts["val"] + \
        get_dataset(f"faq@{v2}").version.counts["test"] == 11
    assert [v.version for v in list_versions("faq")] == [v1, v2]
    with pytest.raises(DatasetError, match="has no version"):
        rollback("faq", "abcdef")

    # Different options shape different stored content: a new version, even from the same file.
    reseeded = add_dataset(path, "faq", tenant_slug="acme", options=Options(seed=99))
    assert reseeded.created and reseeded.dataset.version.version not in (v1, v2)


def test_a_name_keeps_its_scope(tenants, tmp_path):
    path = write_jsonl(tmp_path / "scoped.jsonl", pc_rows(QA[:4]))
    add_dataset(path, "acme-only", tenant_slug="acme")
    with pytest.raises(DatasetError, match="is tenant 'acme'"):
        add_dataset(path, "acme-only", tenant_slug="globex")
    with pytest.raises(DatasetError, match="is tenant 'acme'"):
        add_dataset(path, "acme-only")
    with pytest.raises(DatasetError, match="reserved"):
        add_dataset(path, "industry")
    with pytest.raises(DatasetError, match="unknown tenant"):
        add_dataset(path, "x", tenant_slug="nope")
    # The database refuses to relabel a tenant's dataset as pooled, whoever asks.
    with pytest.raises(DBAPIError, match="cannot change after creation"):
        with admin_engine().begin() as conn:
            conn.execute(sa.text("UPDATE datasets SET scope = 'pooled', scope_tenant_id = NULL "
                                 "WHERE name = 'acme-only'"))
    with pytest.raises(DBAPIError, match="immutable"):
        with admin_engine().begin() as conn:
            conn.execute(sa.text("UPDATE dataset_versions SET anonymized = true, redacted = true"))


def test_redacted_version_on_disk_holds_no_raw_pii(tenants, tmp_path):
    rows = pc_rows(QA[:5]) + [{"prompt": "Patient Maria Gonzalez, maria.g@gmail.com, (555) 201-3344, asked about "
                                         "progressives.", "completion": "Book a fitting for her."}]
    path = write_jsonl(tmp_path / "crm.jsonl", rows)
    ds = add_dataset(path, "crm-redacted", options=Options(redact=True)).dataset
    assert ds.version.redacted and ds.anonymized
    on_disk = stored_text(ds)
    assert "<PERSON>" in on_disk and not [v for v in PII_VALUES if v in on_disk]
    with admin_engine().connect() as conn:
        report = conn.execute(sa.text("SELECT report::text FROM dataset_versions v JOIN datasets d "
                                      "ON d.id = v.dataset_id WHERE d.name = 'crm-redacted'")).scalar_one()
    assert not [v for v in PII_VALUES if v in report]
    # Without --redact the records keep the values, but the report (files and database) never quotes them.
    raw = add_dataset(path, "crm-raw").dataset
    assert not raw.anonymized and "Maria Gonzalez" in raw.version.split_path("train").read_text() + \
        raw.version.split_path("val").read_text() + raw.version.split_path("test").read_text()
    assert not [v for v in PII_VALUES if v in (raw.version.path / "report.json").read_text()]


# ------------------------------------------------------------------------------------------------ scope


def test_tenant_datasets_train_only_their_tenants_adapter(tenants, tmp_path):
    path = write_jsonl(tmp_path / "acme.jsonl", pc_rows(QA[:5]))
    ds = add_dataset(path, "acme-faq", tenant_slug="acme").dataset
    check_training_scope(ds, "tenant:acme")
    check_training_scope("acme-faq", "tenant:acme")
    with pytest.raises(ScopeError) as exc:
        check_training_scope(ds, "industry")
    assert str(exc.value).startswith("dataset 'acme-faq' belongs to tenant 'acme'; it can only train adapter "
                                     "tenant:acme")
    with pytest.raises(ScopeError, match="belongs to tenant 'acme'"):
        check_training_scope("acme-faq", "tenant:globex")
    with pytest.raises(ScopeError, match="unknown adapter"):
        check_training_scope(ds, "acme")
    # Even a redacted (anonymized) tenant dataset stays with its tenant.
    red = add_dataset(path, "acme-redacted", tenant_slug="acme", options=Options(redact=True)).dataset
    assert red.anonymized
    with pytest.raises(ScopeError, match="tenant:acme"):
        check_training_scope(red, "industry")


def test_pooled_data_trains_the_industry_model_only_when_anonymized(tenants, tmp_path):
    path = write_jsonl(tmp_path / "pooled.jsonl", pc_rows(QA[:6]))
    raw = add_dataset(path, "pooled-raw").dataset
    assert raw.scope == "pooled" and raw.tenant_id is None and not raw.anonymized
    with pytest.raises(ScopeError, match="not anonymized \\(it was added without --redact\\)"):
        check_training_scope(raw, "industry")
    with pytest.raises(ScopeError, match="not anonymized"):
        check_training_scope(raw, "tenant:acme")
    clean = add_dataset(path, "pooled-clean", options=Options(redact=True)).dataset
    check_training_scope(clean, "industry")
    check_training_scope(clean, "tenant:globex")


def test_pooled_redacted_but_still_pii_is_not_anonymized(tenants, tmp_path):
    """A pooled version whose post-redaction scan still finds PII is stored but cannot train the industry model."""
    from training import datasets
    from training.validate import prepare_records

    parsed = parse_file(write_jsonl(tmp_path / "p.jsonl", pc_rows(QA[:4])))
    prepared = prepare_records(parsed, source="p.jsonl", options=Options(redact=True))
    prepared.report["pii"]["anonymized"] = False  # as if the second scan had found something
    ds = datasets.store_version("pooled-leaky", prepared, tenant_slug=None, redacted=True, deduped=False,
                                anonymized=False).dataset
    with pytest.raises(ScopeError, match="post-redaction PII scan still found PII"):
        check_training_scope(ds, "industry")


def test_a_tenant_session_sees_only_its_own_datasets(tenants, tmp_path):
    acme, globex = tenants
    add_dataset(write_jsonl(tmp_path / "a.jsonl", pc_rows(QA[:3])), "acme-rls", tenant_slug="acme")
    add_dataset(write_jsonl(tmp_path / "g.jsonl", pc_rows(QA[3:6])), "globex-faq", tenant_slug="globex")
    with tenant_session(acme.id) as conn:
        names = set(conn.execute(sa.text("SELECT name FROM datasets")).scalars())
        versions = conn.execute(sa.text("SELECT count(*) FROM dataset_versions v JOIN datasets d ON "
                                        "d.id = v.dataset_id WHERE d.name LIKE 'globex%'")).scalar_one()
    assert "acme-rls" in names and "globex-faq" not in names and not any(n.startswith("pooled") for n in names)
    assert versions == 0
    with tenant_session(globex.id) as conn:
        assert set(conn.execute(sa.text("SELECT name FROM datasets")).scalars()) == {"globex-faq"}
        with pytest.raises(DBAPIError, match="permission denied"):
            conn.execute(sa.text("UPDATE datasets SET current_version = NULL"))


# ------------------------------------------------------------------------------------------------ CLI


def test_cli_add_list_show_rollback(tenants, tmp_path):
    path = write_jsonl(tmp_path / "cli.jsonl", pc_rows(QA[:6]), raw={3: "{broken"})
    r = runner.invoke(cli, ["dataset", "add", str(path), "--name", "cli-set", "--tenant", "acme", "--split",
                            "60/20/20", "--seed", "3"])
    assert r.exit_code == 0, r.output
    assert "line 3: invalid JSON" in r.output and "stored new version cli-set@" in r.output
    v1 = get_dataset("cli-set").version.version
    r = runner.invoke(cli, ["dataset", "add", str(path), "--name", "cli-set", "--tenant", "acme", "--split",
                            "60/20/20", "--seed", "3"])
    assert r.exit_code == 0 and "unchanged" in r.output
    r = runner.invoke(cli, ["dataset", "add", str(path), "--name", "cli-set", "--tenant", "acme", "--strict"])
    assert r.exit_code == 1 and "--strict" in r.output and "nothing stored" in r.output
    r = runner.invoke(cli, ["dataset", "add", str(path), "--name", "cli-set", "--tenant", "acme", "--split", "90/20"])
    assert r.exit_code == 2 and "--split" in r.output
    write_jsonl(path, pc_rows(QA[:8]))
    assert runner.invoke(cli, ["dataset", "add", str(path), "--name", "cli-set", "--tenant", "acme"]).exit_code == 0
    r = runner.invoke(cli, ["dataset", "list"])
    assert r.exit_code == 0 and "cli-set" in r.output and "tenant:acme" in r.output
    r = runner.invoke(cli, ["dataset", "show", f"cli-set@{v1}"])
    assert r.exit_code == 0 and f"cli-set@{v1}" in r.output and "line 3: invalid JSON" in r.output
    assert "trains adapter tenant:acme only" in r.output
    r = runner.invoke(cli, ["dataset", "show", f"cli-set@{v1}", "--json"])
    assert json.loads(r.output)["errors"][0]["line"] == 3
    r = runner.invoke(cli, ["dataset", "rollback", "cli-set", v1])
    assert r.exit_code == 0 and f"current version is now {v1}" in r.output
    assert runner.invoke(cli, ["dataset", "show", "nope"]).exit_code == 2


# ------------------------------------------------------------------------------------------------ industry builder


def test_industry_builder_without_aggregates_uses_the_qa_files(tenants):
    from training.industry_builder import QA_FILE, build_industry_dataset
    from training.industry_qa import load_all, load_heldout, normalize

    ds = build_industry_dataset()
    b = ds.version.report["builder"]
    reviewed = load_all()
    legacy_questions = [json.loads(line)["prompt"] for line in QA_FILE.open()]
    asked = {normalize(r["question"]) for r in reviewed}
    assert b["aggregate_rows"] == 0
    assert b["reviewed_qa_records"] == len(reviewed) >= 1000  # the reviewed knowledge base is trained on ...
    assert b["legacy_qa_records"] == sum(normalize(q) not in asked for q in legacy_questions)  # ... once per question
    assert b["qa_records"] == b["reviewed_qa_records"] + b["legacy_qa_records"]
    assert b["dropped_for_pii"] < 0.05 * b["qa_records"]  # detector false positives on eponyms only
    trained = {normalize(r["messages"][0]["content"])
               for split in ("train", "val", "test") for r in load_split(ds, split)}
    assert len(trained) > 1000 and not trained & {normalize(h["question"]) for h in load_heldout()}  # held out
    assert ds.scope == "pooled" and ds.anonymized and ds.version.builder == "industry"
    check_training_scope(ds, "industry")
    assert build_industry_dataset().version.version == ds.version.version  # unchanged input: same version


def test_industry_builder_pools_aggregates_without_pii_or_tenant_names(demo):
    from db.demo import DEMO_TENANTS
    from training.checks import scan_pii
    from training.formats import Record
    from training.industry_builder import build_industry_dataset

    ds = build_industry_dataset()
    b = ds.version.report["builder"]
    assert b["aggregate_rows"] > 20 and b["aggregate_records"] > b["aggregate_rows"]
    records = [r for split in ("train", "val", "test") for r in load_split(ds, split)]
    assert len(records) == b["qa_records"] + b["aggregate_records"] - b["dropped_for_pii"] - \
        b["dropped_for_tenant_names"]
    text = "\n".join(m["content"] for r in records for m in r["messages"]).lower()
    assert "selling price" in text and "pooled, anonymized figures" in text

    forbidden = {t.name.lower() for t in DEMO_TENANTS} | {t.slug for t in DEMO_TENANTS}
    for t in DEMO_TENANTS:
        with tenant_session(registry.get_tenant(t.slug).id) as conn:
            forbidden |= {n.lower() for n in conn.execute(sa.text("SELECT name FROM stores")).scalars()}
    assert len(forbidden) > 30
    assert not [n for n in forbidden if n in text]

    scan = scan_pii([Record(messages=r["messages"], where="") for r in records])
    assert scan.total == 0
    check_training_scope(ds, "industry")
    assert get_dataset("industry").current_version == ds.version.version
