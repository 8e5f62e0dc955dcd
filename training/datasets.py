"""Dataset registry: content-addressed versions on disk (`<data_dir>/datasets/<name>/<version>/`) with metadata in
PostgreSQL, rollback, and the training scope rule (`check_training_scope`)."""

from __future__ import annotations

import hashlib
import json
import re
import shutil
import uuid
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

import sqlalchemy as sa

from config import get_settings
from config.errors import UserError
from db.engine import admin_engine
from training.formats import Record
from training.splits import SPLITS
from training.validate import Options, Prepared, prepare_file

NAME_RE = re.compile(r"^[a-z0-9][a-z0-9_-]{0,62}$")
VERSION_RE = re.compile(r"^[0-9a-f]{4,12}$")
INDUSTRY_DATASET = "industry"  # reserved for `sightline dataset build-industry`
INDUSTRY_ADAPTER = "industry"
TENANT_ADAPTER_PREFIX = "tenant:"
STORAGE_FORMAT = "sightline-dataset-v1"


class DatasetError(UserError, ValueError):
    """A user-caused dataset problem (bad name, unknown dataset or version, scope clash, invalid file)."""


class ScopeError(UserError, PermissionError):
    """A dataset may not train the requested adapter (tenant data outside its tenant, or non-anonymized pooled)."""


@dataclass(frozen=True)
class DatasetVersion:
    version: str
    created_at: datetime
    source_name: str
    format: str
    counts: dict[str, int]
    path: Path
    redacted: bool
    deduped: bool
    anonymized: bool
    builder: str | None
    report: dict[str, Any]

    def split_path(self, split: str) -> Path:
        return self.path / f"{split}.jsonl"


@dataclass(frozen=True)
class Dataset:
    """A dataset with one of its versions resolved (the current one unless another was asked for)."""

    name: str
    scope: str  # "tenant" | "pooled"
    tenant_id: uuid.UUID | None
    tenant_slug: str | None
    current_version: str | None
    version: DatasetVersion

    @property
    def anonymized(self) -> bool:
        return self.version.anonymized


@dataclass(frozen=True)
class AddResult:
    dataset: Dataset | None
    prepared: Prepared
    created: bool  # False: the same content was already stored (no new version row)
    became_current: bool


def datasets_root() -> Path:
    return get_settings().data_dir / "datasets"


def check_name(name: str) -> str:
    if not NAME_RE.match(name or ""):
        raise DatasetError(f"dataset name {name!r} is invalid: use 1-63 lowercase letters, digits, '-' or '_'")
    return name


def version_id(splits: dict[str, list[Record]], flags: dict[str, Any]) -> str:
    """Content address: sha256 of the stored records (per split) and the options that shaped them, 12 hex digits."""
    h = hashlib.sha256()
    h.update(json.dumps({"format": STORAGE_FORMAT, **flags}, sort_keys=True).encode())
    for split in SPLITS:
        h.update(f"\x00{split}\x00".encode())
        for record in splits.get(split, []):
            h.update(_line(record))
    return h.hexdigest()[:12]


def _line(record: Record) -> bytes:
    return (json.dumps(record.to_json(), ensure_ascii=False, sort_keys=True) + "\n").encode()


def _write_version(
    name: str, version: str, splits: dict[str, list[Record]], report: dict[str, Any]
) -> tuple[Path, bool]:
    """Write the version folder atomically (temp folder + rename); returns (path, created_now)."""
    final = datasets_root() / name / version
    if (final / "report.json").is_file():
        return final, False
    final.parent.mkdir(parents=True, exist_ok=True)
    tmp = final.parent / f".{version}.tmp-{uuid.uuid4().hex[:8]}"
    tmp.mkdir()
    try:
        for split in SPLITS:
            with open(tmp / f"{split}.jsonl", "wb") as fh:
                for record in splits.get(split, []):
                    fh.write(_line(record))
        (tmp / "report.json").write_text(json.dumps(report, indent=2, ensure_ascii=False, default=str) + "\n")
        if final.exists():  # a leftover without report.json (interrupted earlier): replace it
            shutil.rmtree(final)
        tmp.rename(final)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    return final, True


def _tenant_ids(tenant_slug: str | None) -> tuple[uuid.UUID | None, str | None]:
    if tenant_slug is None:
        return None, None
    from db.registry import RegistryError, get_tenant

    try:
        return get_tenant(tenant_slug).id, tenant_slug
    except RegistryError as exc:
        raise DatasetError(str(exc)) from exc


def store_version(
    name: str,
    prepared: Prepared,
    *,
    tenant_slug: str | None,
    redacted: bool,
    deduped: bool,
    anonymized: bool,
    builder: str | None = None,
) -> AddResult:
    """Store a validated dataset as a content-addressed version of `name` and make it current.

    The same content (records and options) gives the same version id: no new row and no new files, the version only
    becomes current again. A name keeps the scope (tenant or pooled) it was created with.
    """
    check_name(name)
    if not prepared.ok or not prepared.splits:
        raise DatasetError(f"dataset {name!r}: the file did not validate; nothing stored")
    tenant_id, slug = _tenant_ids(tenant_slug)
    scope = "tenant" if tenant_id else "pooled"
    flags = {"scope": scope, "tenant": str(tenant_id) if tenant_id else None, "redacted": redacted,
             "deduped": deduped, "anonymized": anonymized, "builder": builder,
             "split": prepared.report["splits"]["ratios"], "seed": prepared.report["splits"]["seed"]}
    version = version_id(prepared.splits, flags)
    counts = {s: len(prepared.splits.get(s, [])) for s in SPLITS}
    report = {**prepared.report, "version": version, "dataset": name, "scope": scope, "tenant": slug}

    with admin_engine().begin() as conn:
        conn.execute(sa.text("INSERT INTO datasets (name, scope, scope_tenant_id) VALUES (:n, :s, :t) "
                             "ON CONFLICT (name) DO NOTHING"), {"n": name, "s": scope, "t": tenant_id})
        row = conn.execute(sa.text(
            "SELECT d.id, d.scope, d.scope_tenant_id, d.current_version, t.slug FROM datasets d "
            "LEFT JOIN tenants t ON t.id = d.scope_tenant_id WHERE d.name = :n FOR UPDATE OF d"), {"n": name}).one()
        if (row.scope, row.scope_tenant_id) != (scope, tenant_id):
            have = f"tenant {row.slug!r}" if row.scope == "tenant" else "pooled"
            want = f"tenant {slug!r}" if slug else "pooled (no --tenant)"
            raise DatasetError(f"dataset {name!r} is {have}; a version for {want} needs another name")
        path, created_dir = _write_version(name, version, prepared.splits, report)
        try:
            inserted = conn.execute(sa.text(
                "INSERT INTO dataset_versions (dataset_id, version, source_name, format, n_train, n_val, n_test, "
                "report, path, redacted, deduped, anonymized, builder) VALUES (:d, :v, :src, :fmt, :tr, :va, :te, "
                "CAST(:rep AS jsonb), :path, :red, :ded, :anon, :b) ON CONFLICT (dataset_id, version) DO NOTHING"),
                {"d": row.id, "v": version, "src": prepared.report["source"], "fmt": prepared.report["format"],
                 "tr": counts["train"], "va": counts["val"], "te": counts["test"],
                 "rep": json.dumps(report, default=str), "path": str(path), "red": redacted, "ded": deduped,
                 "anon": anonymized, "b": builder}).rowcount == 1
            became_current = row.current_version != version
            if became_current:
                conn.execute(sa.text("UPDATE datasets SET current_version = :v, updated_at = now() WHERE id = :d"),
                             {"v": version, "d": row.id})
        except BaseException:
            if created_dir:
                shutil.rmtree(path, ignore_errors=True)
            raise
    return AddResult(dataset=get_dataset(name), prepared=prepared, created=inserted, became_current=became_current)


def add_dataset(path: Path, name: str, *, tenant_slug: str | None = None, options: Options = Options()) -> AddResult:
    """Validate FILE and store it as a version of dataset NAME (nothing is stored when it does not validate)."""
    check_name(name)
    if name == INDUSTRY_DATASET:
        raise DatasetError(f"the name {INDUSTRY_DATASET!r} is reserved for `sightline dataset build-industry`")
    _tenant_ids(tenant_slug)  # an unknown tenant fails before the (slow) validation
    prepared = prepare_file(Path(path), options)
    if not prepared.ok:
        return AddResult(dataset=None, prepared=prepared, created=False, became_current=False)
    return store_version(name, prepared, tenant_slug=tenant_slug, redacted=options.redact, deduped=options.dedupe,
                         anonymized=prepared.anonymized)


# --- reading -------------------------------------------------------------------------------------------------------

_SELECT = (
    "SELECT d.name, d.scope, d.scope_tenant_id, t.slug, d.current_version, v.version, v.created_at, v.source_name, "
    "v.format, v.n_train, v.n_val, v.n_test, v.path, v.redacted, v.deduped, v.anonymized, v.builder, v.report "
    "FROM datasets d JOIN dataset_versions v ON v.dataset_id = d.id LEFT JOIN tenants t ON t.id = d.scope_tenant_id "
)


def _dataset(r: sa.Row) -> Dataset:
    version = DatasetVersion(
        version=r.version, created_at=r.created_at, source_name=r.source_name, format=r.format,
        counts={"train": r.n_train, "val": r.n_val, "test": r.n_test}, path=Path(r.path), redacted=r.redacted,
        deduped=r.deduped, anonymized=r.anonymized, builder=r.builder, report=r.report)
    return Dataset(name=r.name, scope=r.scope, tenant_id=r.scope_tenant_id, tenant_slug=r.slug,
                   current_version=r.current_version, version=version)


def parse_ref(ref: str) -> tuple[str, str | None]:
    """'name' or 'name@version' -> (name, version or None)."""
    name, _, version = ref.partition("@")
    return check_name(name), (version or None)


def get_dataset(ref: str, version: str | None = None) -> Dataset:
    """A dataset at `version` (an id or a unique prefix of 4+ hex digits), else at its current version."""
    name, ref_version = parse_ref(ref)
    version = version or ref_version
    with admin_engine().connect() as conn:
        if version is None:
            rows = conn.execute(sa.text(_SELECT + "WHERE d.name = :n AND v.version = d.current_version"),
                                {"n": name}).all()
        else:
            if not VERSION_RE.match(version):
                raise DatasetError(f"version {version!r} is not a version id (4-12 hex digits)")
            rows = conn.execute(sa.text(_SELECT + "WHERE d.name = :n AND v.version LIKE :p ORDER BY v.version"),
                                {"n": name, "p": version + "%"}).all()
    if not rows:
        exists = name in {d.name for d in list_datasets()}
        if not exists:
            raise DatasetError(f"unknown dataset {name!r} (see `sightline dataset list`)")
        raise DatasetError(f"dataset {name!r} has no version {version!r} (see `sightline dataset show {name}`)")
    if len(rows) > 1:
        raise DatasetError(f"version prefix {version!r} of {name!r} is ambiguous: "
                           f"{', '.join(r.version for r in rows)}")
    return _dataset(rows[0])


def list_datasets() -> list[Dataset]:
    """Every dataset at its current version."""
    with admin_engine().connect() as conn:
        rows = conn.execute(sa.text(_SELECT + "WHERE v.version = d.current_version ORDER BY d.name")).all()
    return [_dataset(r) for r in rows]


def list_versions(name: str) -> list[DatasetVersion]:
    """The versions of a dataset, oldest first."""
    with admin_engine().connect() as conn:
        rows = conn.execute(sa.text(_SELECT + "WHERE d.name = :n ORDER BY v.created_at, v.version"),
                            {"n": check_name(name)}).all()
    if not rows:
        get_dataset(name)  # raises the unknown-dataset message
    return [_dataset(r).version for r in rows]


def rollback(name: str, version: str) -> Dataset:
    """Make an older (or any stored) version the current one."""
    target = get_dataset(name, version)
    with admin_engine().begin() as conn:
        conn.execute(sa.text("UPDATE datasets SET current_version = :v, updated_at = now() WHERE name = :n"),
                     {"v": target.version.version, "n": name})
    return get_dataset(name)


def load_split(dataset: Dataset, split: str) -> list[dict[str, Any]]:
    """The stored records of one split (`{"messages": [...], "label"?: ...}` per line), for the trainer."""
    if split not in SPLITS:
        raise DatasetError(f"split must be one of {', '.join(SPLITS)}, not {split!r}")
    path = dataset.version.split_path(split)
    if not path.is_file():
        raise DatasetError(f"dataset {dataset.name}@{dataset.version.version}: {path} is missing")
    with open(path, encoding="utf-8") as fh:
        return [json.loads(line) for line in fh if line.strip()]


# --- the scope rule ------------------------------------------------------------------------------------------------

def check_training_scope(dataset: Dataset | str, adapter_for: str) -> None:
    """Refuse (ScopeError) a dataset that may not train `adapter_for` ("industry" or "tenant:<slug>").

    - A tenant-scoped dataset trains only that tenant's adapter.
    - The industry model trains only on pooled datasets marked anonymized (built by the industry builder, or added
      with --redact and a post-redaction PII scan with zero findings).
    - A pooled dataset that is not anonymized trains nothing: it may hold any tenant's raw text.
    """
    ds = get_dataset(dataset) if isinstance(dataset, str) else dataset
    ref = f"{ds.name}@{ds.version.version}"
    if adapter_for == INDUSTRY_ADAPTER:
        target = None
    elif adapter_for.startswith(TENANT_ADAPTER_PREFIX) and NAME_RE.match(adapter_for[len(TENANT_ADAPTER_PREFIX):]):
        target = adapter_for[len(TENANT_ADAPTER_PREFIX):]
    else:
        raise ScopeError(f"unknown adapter {adapter_for!r}: use 'industry' or 'tenant:<slug>'")
    if ds.scope == "tenant":
        if target != ds.tenant_slug:
            raise ScopeError(f"dataset {ds.name!r} belongs to tenant {ds.tenant_slug!r}; it can only train adapter "
                             f"{TENANT_ADAPTER_PREFIX}{ds.tenant_slug}, not {adapter_for}")
        return
    if not ds.version.anonymized:
        how = ("its post-redaction PII scan still found PII" if ds.version.redacted
               else "it was added without --redact")
        raise ScopeError(f"pooled dataset {ref!r} is not anonymized ({how}); it cannot train {adapter_for}. "
                         "Re-add it with --redact, or use `sightline dataset build-industry`")
