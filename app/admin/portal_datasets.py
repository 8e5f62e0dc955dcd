"""Fine-tuning portal, datasets: upload + validation report, quality score (0-100, explained), paginated preview with
PII flags, versions with diff and rollback, redaction into a new version, and the labeling queue of unlabeled records.

Everything goes through `training.datasets` / `training.validate` (the same functions as `sightline dataset ...`),
after the scope check of `app.admin.portal_scope`. Labeling items live in `dataset_label_items` (migration 0012): a
tenant admin reads and labels them through `tenant_session(role="admin")` under row-level security; the operator
through the admin connection.
"""

from __future__ import annotations

import csv
import io
import json
import re
import tempfile
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import sqlalchemy as sa

from app.admin.portal_scope import PortalError, PortalNotFound, PortalScope, visible_dataset_names
from db.engine import admin_engine
from training import datasets as ds_mod
from training.checks import conversation_key
from training.formats import CLASSIFICATION, PROMPT_COMPLETION, Parsed, Record
from training.splits import SPLITS
from training.validate import Options, prepare_records

ALLOWED_EXT = {".jsonl", ".json", ".ndjson", ".csv", ".txt", ".text", ".md", ".pdf", ".docx"}
PAGE_SIZE = 20


# --------------------------------------------------------------------------------------------------- reading


def list_datasets(scope: PortalScope) -> list[ds_mod.Dataset]:
    names = visible_dataset_names(scope)
    return [d for d in ds_mod.list_datasets() if names is None or d.name in names]


def get_dataset(scope: PortalScope, ref: str) -> ds_mod.Dataset:
    """A visible dataset at `ref` ("name" or "name@version"); PortalNotFound otherwise."""
    try:
        name, _ = ds_mod.parse_ref(ref)
    except ds_mod.DatasetError as exc:
        raise PortalNotFound(str(exc)) from exc
    names = visible_dataset_names(scope)
    if names is not None and name not in names:
        raise PortalNotFound(f"unknown dataset {name!r}")
    try:
        return ds_mod.get_dataset(ref)
    except ds_mod.DatasetError as exc:
        raise PortalNotFound(str(exc)) from exc


def list_versions(scope: PortalScope, name: str) -> list[ds_mod.DatasetVersion]:
    get_dataset(scope, name)
    return ds_mod.list_versions(name)


# --------------------------------------------------------------------------------------------------- quality score


def quality_score(report: dict[str, Any]) -> dict[str, Any]:
    """A 0-100 score of a validation report with the reason for every point taken off.

    Penalties (each capped): malformed records (share x 60, max 30), duplicates not dropped (share x 50, max 20),
    PII left in the stored records (share x 60, max 25; none when redacted and the rescan is clean), records outside
    the token range (share x 40, max 15), flagged toxicity (share x 80, max 15), class imbalance above 5 (max 10),
    single-example labels (2 each, max 6), an empty validation or test split (5 each), fewer than 50 stored records
    (max 10). A fatal report scores 0."""
    if report.get("fatal") or not report.get("ok", True):
        return {"score": 0, "grade": "unusable", "items": [{"check": "fatal", "penalty": 100,
                                                            "why": report.get("fatal") or "did not validate"}]}
    rec = report.get("records") or {}
    source = max(1, int(rec.get("source") or rec.get("valid") or 1))
    valid = max(1, int(rec.get("valid") or 1))
    stored = int(rec.get("stored") or valid)
    items: list[dict[str, Any]] = []

    def take(check: str, penalty: float, why: str) -> None:
        if penalty > 0.05:
            items.append({"check": check, "penalty": round(penalty, 1), "why": why})

    invalid = int(rec.get("invalid") or 0)
    take("format errors", min(30, invalid / source * 60),
         f"{invalid} of {source} source record(s) were malformed and dropped")
    dup = report.get("duplicates") or {}
    n_dup = int(dup.get("exact") or 0) + int(dup.get("near") or 0)
    if not (report.get("options") or {}).get("dedupe"):
        take("duplicates", min(20, n_dup / valid * 50),
             f"{n_dup} exact/near duplicate(s) kept (upload with 'drop duplicates' to remove them)")
    pii = report.get("pii") or {}
    if pii.get("redacted"):
        left = int((pii.get("after_redaction") or {}).get("records_with_pii") or 0)
        take("PII", min(25, left / valid * 60), f"{left} record(s) still hold PII after redaction")
    else:
        n_pii = int(pii.get("records_with_pii") or 0)
        take("PII", min(25, n_pii / valid * 60), f"{n_pii} record(s) hold PII (redaction replaces it with "
                                                  "placeholders)")
    tok = report.get("tokens") or {}
    out_of_range = int(tok.get("too_short") or 0) + int(tok.get("too_long") or 0)
    take("length", min(15, out_of_range / valid * 40), f"{out_of_range} record(s) outside "
                                                       f"{(tok.get('range') or ['?', '?'])[0]}-"
                                                       f"{(tok.get('range') or ['?', '?'])[1]} tokens")
    tox = int((report.get("toxicity") or {}).get("flagged") or 0)
    take("toxicity", min(15, tox / valid * 80), f"{tox} record(s) with flagged words")
    classes = report.get("classes") or None
    if classes:
        ratio = float(classes.get("imbalance_ratio") or 1)
        if ratio > 5:
            take("class balance", min(10, (ratio - 5) * 1.0 + 3),
                 f"largest/smallest class = {ratio} (above 5)")
        rare = [k for k, v in (classes.get("counts") or {}).items() if v < 2]
        take("rare labels", min(6, 2 * len(rare)), f"{len(rare)} label(s) with a single example")
    counts = (report.get("splits") or {}).get("counts") or {}
    ratios = (report.get("splits") or {}).get("ratios") or [0, 0, 0]
    for split, ratio in zip(("val", "test"), ratios[1:], strict=False):
        if ratio and not counts.get(split):
            take(f"{split} split", 5, f"the {split} split is empty: nothing to measure {split} loss on")
    if stored < 50:
        take("size", min(10, (50 - stored) / 5), f"only {stored} stored record(s); 50+ give a steadier "
                                                  "validation loss")
    score = max(0, round(100 - sum(i["penalty"] for i in items)))
    grade = "good" if score >= 85 else "fair" if score >= 65 else "poor"
    return {"score": score, "grade": grade, "items": items}


# --------------------------------------------------------------------------------------------------- upload


@dataclass
class UploadOutcome:
    report: dict[str, Any]
    quality: dict[str, Any]
    dataset: ds_mod.Dataset | None
    created: bool
    unlabeled_queued: int = 0
    notes: list[str] = field(default_factory=list)


def _safe_filename(filename: str) -> str:
    base = Path(filename or "upload").name
    stem = re.sub(r"[^A-Za-z0-9._-]+", "_", Path(base).stem)[:80] or "upload"
    return stem + Path(base).suffix.lower()


def upload(scope: PortalScope, filename: str, data: bytes, *, name: str, tenant_slug: str | None = None,
           options: Options = Options()) -> UploadOutcome:
    """Validate an uploaded file and store it as a version of dataset `name` (nothing stored when it does not
    validate). A tenant admin's dataset always belongs to their tenant; an operator's is pooled unless a tenant is
    named. Unlabeled records (CSV rows without a label, JSONL prompts without a completion) go to the labeling
    queue of the dataset."""
    from config import get_settings

    limit_mb = get_settings().console_upload_max_mb
    if len(data) > limit_mb * 1024 * 1024:
        raise PortalError(f"{filename}: {len(data) / 2**20:.1f} MB is over the {limit_mb} MB upload limit "
                          "(SIGHTLINE_CONSOLE_UPLOAD_MAX_MB)")
    safe = _safe_filename(filename)
    if Path(safe).suffix not in ALLOWED_EXT:
        raise PortalError(f"{filename}: use .jsonl or .json (prompt/completion or chat; a JSON array works too), "
                          ".csv (text,label), .txt, .pdf or .docx")
    ds_mod.check_name(name)
    if not scope.operator:
        tenant_slug = scope.tenant_slug
        names = visible_dataset_names(scope) or set()
        existing = {d.name for d in ds_mod.list_datasets()}
        if name in existing and name not in names:
            raise PortalError(f"the dataset name {name!r} is taken; choose another")
    with tempfile.TemporaryDirectory(prefix="sightline-upload-") as tmp:
        path = Path(tmp) / safe
        path.write_bytes(data)
        notes: list[str] = []
        array = _json_array_to_jsonl(path)
        if array is not None:
            path = array
            notes.append(f"{safe}: a JSON array, read as one record per element")
        result = ds_mod.add_dataset(path, name, tenant_slug=tenant_slug, options=options)
        queued = 0
        if result.dataset is not None:
            items = unlabeled_items(path)
            if items:
                queued = queue_items(result.dataset, items)
                notes.append(f"{queued} unlabeled record(s) sent to the labeling queue")
    report = result.prepared.report
    return UploadOutcome(report=report, quality=quality_score(report), dataset=result.dataset,
                         created=result.created, unlabeled_queued=queued, notes=notes)


def _json_array_to_jsonl(path: Path) -> Path | None:
    """A `.json` file holding one JSON array of objects becomes JSONL (one element per line), else None."""
    if path.suffix not in (".json",):
        return None
    try:
        text = path.read_text(encoding="utf-8-sig")
    except (UnicodeDecodeError, OSError):
        return None
    if not text.lstrip().startswith("["):
        return None
    try:
        items = json.loads(text)
    except ValueError:
        return None
    if not isinstance(items, list):
        return None
    out = path.with_suffix(".jsonl")
    out.write_text("".join(json.dumps(x, ensure_ascii=False) + "\n" for x in items), encoding="utf-8")
    return out


# --------------------------------------------------------------------------------------------------- preview


def preview(scope: PortalScope, ref: str, *, split: str = "train", page: int = 1, per_page: int = PAGE_SIZE,
            pii: bool = True) -> dict[str, Any]:
    """One page of a version's stored records (normalized chat form), each with the PII types found in it."""
    dataset = get_dataset(scope, ref)
    if split not in SPLITS:
        raise PortalError(f"split must be one of {', '.join(SPLITS)}")
    records = ds_mod.load_split(dataset, split)
    per_page = max(1, min(100, per_page))
    pages = max(1, -(-len(records) // per_page))
    page = max(1, min(page, pages))
    chunk = records[(page - 1) * per_page: page * per_page]
    rows = []
    for i, r in enumerate(chunk, start=(page - 1) * per_page):
        found: list[str] = []
        if pii:
            from training.checks import _redact_cached

            for m in r["messages"]:
                found += [e.type for e in _redact_cached(m["content"]).entities]
        rows.append({"index": i, "messages": r["messages"], "label": r.get("label"),
                     "pii": sorted(set(found))})
    return {"dataset": dataset.name, "version": dataset.version.version, "split": split, "page": page,
            "pages": pages, "per_page": per_page, "total": len(records), "records": rows,
            "counts": dataset.version.counts}


# --------------------------------------------------------------------------------------------------- versions


def _version_records(dataset: ds_mod.Dataset) -> dict[str, dict[str, dict[str, Any]]]:
    """split -> conversation key -> record, for every stored record of a version."""
    out: dict[str, dict[str, dict[str, Any]]] = {}
    for split in SPLITS:
        out[split] = {}
        for r in ds_mod.load_split(dataset, split):
            rec = Record(messages=r["messages"], where="", label=r.get("label"))
            out[split][conversation_key(rec)] = r
    return out


def diff_versions(scope: PortalScope, name: str, old: str, new: str, *, examples: int = 5) -> dict[str, Any]:
    """What changed between two versions: records added, removed, moved between splits, and the report's numbers."""
    a = get_dataset(scope, f"{name}@{old}")
    b = get_dataset(scope, f"{name}@{new}")
    ra, rb = _version_records(a), _version_records(b)
    where_a = {k: s for s, recs in ra.items() for k in recs}
    where_b = {k: s for s, recs in rb.items() for k in recs}
    added = [k for k in where_b if k not in where_a]
    removed = [k for k in where_a if k not in where_b]
    moved = [k for k in where_b if k in where_a and where_a[k] != where_b[k]]

    def show(keys: list[str], recs: dict[str, dict[str, dict[str, Any]]], where: dict[str, str]) -> list[dict]:
        return [{"split": where[k], "text": _record_text(recs[where[k]][k])} for k in keys[:examples]]

    qa, qb = quality_score(a.version.report), quality_score(b.version.report)
    numbers = []
    for label, fa, fb in (
        ("train records", a.version.counts["train"], b.version.counts["train"]),
        ("val records", a.version.counts["val"], b.version.counts["val"]),
        ("test records", a.version.counts["test"], b.version.counts["test"]),
        ("records with PII", (a.version.report.get("pii") or {}).get("records_with_pii", 0),
         (b.version.report.get("pii") or {}).get("records_with_pii", 0)),
        ("tokens (total)", (a.version.report.get("tokens") or {}).get("total"),
         (b.version.report.get("tokens") or {}).get("total")),
        ("quality score", qa["score"], qb["score"]),
    ):
        numbers.append({"what": label, "old": fa, "new": fb})
    flags = [{"what": f, "old": getattr(a.version, f), "new": getattr(b.version, f)}
             for f in ("redacted", "deduped", "anonymized") if getattr(a.version, f) != getattr(b.version, f)]
    return {"dataset": name, "old": a.version.version, "new": b.version.version, "added": len(added),
            "removed": len(removed), "moved": len(moved), "unchanged": len(where_b) - len(added) - len(moved),
            "added_examples": show(added, rb, where_b), "removed_examples": show(removed, ra, where_a),
            "numbers": numbers, "flags": flags}


def _record_text(r: dict[str, Any]) -> str:
    text = " | ".join(f"{m['role']}: {m['content']}" for m in r["messages"])
    text = text if len(text) <= 300 else text[:299] + "…"
    return text + (f"  [label: {r['label']}]" if r.get("label") is not None else "")


def rollback(scope: PortalScope, name: str, version: str) -> ds_mod.Dataset:
    get_dataset(scope, f"{name}@{version}")
    return ds_mod.rollback(name, version)


def _records_of(dataset: ds_mod.Dataset) -> list[Record]:
    records = []
    for split in SPLITS:
        for i, r in enumerate(ds_mod.load_split(dataset, split)):
            records.append(Record(messages=r["messages"], where=f"{split} {i + 1}", label=r.get("label")))
    return records


def _rebuild(dataset: ds_mod.Dataset, records: list[Record], *, source: str, redact: bool | None = None
             ) -> ds_mod.AddResult:
    """Validate `records` with the version's own options (optionally forcing redaction) and store a new version."""
    opts = dataset.version.report.get("options") or {}
    options = Options(redact=bool(opts.get("redact")) if redact is None else redact, dedupe=bool(opts.get("dedupe")),
                      split=opts.get("split") or "80/10/10", seed=int(opts.get("seed") or 42),
                      min_tokens=int(opts.get("min_tokens") or 2), max_tokens=int(opts.get("max_tokens") or 1024))
    parsed = Parsed(format=dataset.version.format, records=records, source_records=len(records))
    prepared = prepare_records(parsed, source=source, options=options)
    if not prepared.ok:
        raise PortalError(f"the new version did not validate: {prepared.report.get('fatal')}")
    return ds_mod.store_version(dataset.name, prepared, tenant_slug=dataset.tenant_slug, redacted=options.redact,
                                deduped=options.dedupe, anonymized=prepared.anonymized)


def redact_version(scope: PortalScope, ref: str) -> ds_mod.AddResult:
    """A new version of the dataset with PII replaced by placeholders (and scanned again); it becomes current."""
    dataset = get_dataset(scope, ref)
    if dataset.version.builder:
        raise PortalError("a builder-made version is anonymized already")
    if dataset.version.redacted:
        raise PortalError(f"{dataset.name}@{dataset.version.version} is redacted already")
    return _rebuild(dataset, _records_of(dataset), source=f"{dataset.name}@{dataset.version.version} (redacted)",
                    redact=True)


# --------------------------------------------------------------------------------------------------- labeling


@dataclass(frozen=True)
class LabelItem:
    id: int
    kind: str
    text: str
    label: str | None
    source: str
    labeled_by: str | None
    labeled_at: datetime | None
    used_in_version: str | None


def unlabeled_items(path: Path) -> list[tuple[str, str, str]]:
    """(kind, text, source) of the records in a file that have no label: CSV rows with a text and an empty or
    missing label, JSON lines with a prompt and no (or an empty) completion."""
    try:
        text = path.read_text(encoding="utf-8-sig")
    except (UnicodeDecodeError, OSError):
        return []
    out: list[tuple[str, str, str]] = []
    if path.suffix.lower() == ".csv":
        reader = csv.reader(io.StringIO(text))
        try:
            header = [h.strip().lower() for h in next(reader)]
        except (StopIteration, csv.Error):
            return []
        if "text" not in header:
            return []
        ti = header.index("text")
        li = header.index("label") if "label" in header else None
        try:
            for row in reader:
                if len(row) <= ti or not row[ti].strip():
                    continue
                if li is None or len(row) <= li or not row[li].strip():
                    out.append((CLASSIFICATION, row[ti].strip(), f"{path.name} line {reader.line_num}"))
        except csv.Error:
            return out
    elif path.suffix.lower() in (".jsonl", ".json", ".ndjson"):
        for n, raw in enumerate(text.splitlines(), start=1):
            try:
                obj = json.loads(raw)
            except ValueError:
                continue
            if isinstance(obj, dict) and isinstance(obj.get("prompt"), str) and obj["prompt"].strip() and (
                    not isinstance(obj.get("completion"), str) or not obj["completion"].strip()):
                out.append((PROMPT_COMPLETION, obj["prompt"].strip(), f"{path.name} line {n}"))
    return out


def queue_items(dataset: ds_mod.Dataset, items: list[tuple[str, str, str]]) -> int:
    """Add unlabeled items to a dataset's labeling queue (control plane, admin connection); returns how many."""
    if not items:
        return 0
    with admin_engine().begin() as conn:
        did = conn.execute(sa.text("SELECT id FROM datasets WHERE name = :n"), {"n": dataset.name}).scalar_one()
        conn.execute(sa.text(
            "INSERT INTO dataset_label_items (dataset_id, scope_tenant_id, kind, text, source) "
            "VALUES (:d, :t, :k, :x, :s)"),
            [{"d": did, "t": dataset.tenant_id, "k": k, "x": x, "s": s} for k, x, s in items])
    return len(items)


def queue_file(scope: PortalScope, name: str, filename: str, data: bytes) -> int:
    """Queue the unlabeled records of an uploaded file for labeling in dataset `name`."""
    dataset = get_dataset(scope, name)
    with tempfile.TemporaryDirectory(prefix="sightline-label-") as tmp:
        path = Path(tmp) / _safe_filename(filename)
        path.write_bytes(data)
        array = _json_array_to_jsonl(path)
        items = unlabeled_items(array or path)
    if not items:
        raise PortalError(f"{filename}: no unlabeled records (a CSV with a text column and empty labels, or JSON "
                          "lines with a prompt and no completion)")
    return queue_items(dataset, items)


def _conn(scope: PortalScope):  # noqa: ANN202 - a context manager of a Connection
    if scope.operator:
        return admin_engine().begin()
    from db.session import tenant_session

    return tenant_session(scope.tenant_id, role="admin")


_ITEM_COLS = "i.id, i.kind, i.text, i.label, i.source, i.labeled_by, i.labeled_at, i.used_in_version"


def label_items(scope: PortalScope, name: str, *, state: str = "unlabeled", page: int = 1,
                per_page: int = PAGE_SIZE) -> dict[str, Any]:
    """One page of a dataset's labeling queue: `state` unlabeled | labeled (not yet in a version) | all."""
    dataset = get_dataset(scope, name)
    where = {"unlabeled": "i.label IS NULL", "labeled": "i.label IS NOT NULL AND i.used_in_version IS NULL",
             "all": "true"}.get(state)
    if where is None:
        raise PortalError("state must be unlabeled, labeled or all")
    with _conn(scope) as conn:
        total = conn.execute(sa.text(
            f"SELECT count(*) FROM dataset_label_items i JOIN datasets d ON d.id = i.dataset_id "
            f"WHERE d.name = :n AND {where}"), {"n": name}).scalar_one()
        counts = dict(conn.execute(sa.text(
            "SELECT CASE WHEN i.label IS NULL THEN 'unlabeled' WHEN i.used_in_version IS NULL THEN 'labeled' "
            "ELSE 'used' END, count(*) FROM dataset_label_items i JOIN datasets d ON d.id = i.dataset_id "
            "WHERE d.name = :n GROUP BY 1"), {"n": name}).all())
        pages = max(1, -(-total // per_page))
        page = max(1, min(page, pages))
        rows = conn.execute(sa.text(
            f"SELECT {_ITEM_COLS} FROM dataset_label_items i JOIN datasets d ON d.id = i.dataset_id "
            f"WHERE d.name = :n AND {where} ORDER BY i.id LIMIT :lim OFFSET :off"),
            {"n": name, "lim": per_page, "off": (page - 1) * per_page}).all()
    items = [LabelItem(id=r.id, kind=r.kind, text=r.text, label=r.label, source=r.source, labeled_by=r.labeled_by,
                       labeled_at=r.labeled_at, used_in_version=r.used_in_version) for r in rows]
    labels = sorted(((dataset.version.report.get("classes") or {}).get("counts") or {}).keys())
    return {"dataset": dataset.name, "state": state, "page": page, "pages": pages, "total": total,
            "counts": {k: counts.get(k, 0) for k in ("unlabeled", "labeled", "used")}, "items": items,
            "labels": labels}


def set_label(scope: PortalScope, name: str, item_id: int, label: str) -> LabelItem:
    """Label one queued item (the class, or the completion of a prompt). RLS limits a tenant admin to their own."""
    get_dataset(scope, name)
    label = (label or "").strip()
    if not label:
        raise PortalError("the label is empty")
    if len(label) > 8000:
        raise PortalError("the label is longer than 8,000 characters")
    with _conn(scope) as conn:
        row = conn.execute(sa.text(
            "UPDATE dataset_label_items i SET label = :l, labeled_by = :by, labeled_at = :at FROM datasets d "
            "WHERE d.id = i.dataset_id AND d.name = :n AND i.id = :id AND i.used_in_version IS NULL "
            f"RETURNING {_ITEM_COLS}"),
            {"l": label, "by": scope.rater, "at": datetime.now(UTC), "n": name, "id": item_id}).first()
    if row is None:
        raise PortalNotFound(f"no open labeling item {item_id} in {name!r}")
    return LabelItem(id=row.id, kind=row.kind, text=row.text, label=row.label, source=row.source,
                     labeled_by=row.labeled_by, labeled_at=row.labeled_at, used_in_version=row.used_in_version)


def build_from_labels(scope: PortalScope, name: str) -> ds_mod.AddResult:
    """A new version: the current version's records plus every labeled item not yet used; it becomes current."""
    dataset = get_dataset(scope, name)
    with admin_engine().connect() as conn:
        rows = conn.execute(sa.text(
            f"SELECT {_ITEM_COLS} FROM dataset_label_items i JOIN datasets d ON d.id = i.dataset_id "
            "WHERE d.name = :n AND i.label IS NOT NULL AND i.used_in_version IS NULL ORDER BY i.id"),
            {"n": name}).all()
    if not rows:
        raise PortalError(f"{name!r} has no labeled items that are not in a version yet")
    fmt = dataset.version.format
    new: list[Record] = []
    for r in rows:
        if fmt == CLASSIFICATION and r.kind == CLASSIFICATION:
            new.append(Record(messages=[{"role": "user", "content": r.text}, {"role": "assistant", "content": r.label}],
                              where=f"label item {r.id}", label=r.label))
        elif fmt != CLASSIFICATION and r.kind == PROMPT_COMPLETION:
            new.append(Record(messages=[{"role": "user", "content": r.text},
                                        {"role": "assistant", "content": r.label}], where=f"label item {r.id}"))
        else:
            raise PortalError(f"label item {r.id} is {r.kind}, the dataset is {fmt}")
    result = _rebuild(dataset, _records_of(dataset) + new, source=f"{name}@{dataset.version.version} + "
                                                                    f"{len(new)} labeled record(s)")
    version = result.dataset.version.version if result.dataset else None
    with admin_engine().begin() as conn:
        conn.execute(sa.text("UPDATE dataset_label_items SET used_in_version = :v WHERE id = ANY(:ids)"),
                     {"v": version, "ids": [r.id for r in rows]})
    return result
