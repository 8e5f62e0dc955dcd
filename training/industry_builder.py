"""The built-in industry dataset: shipped optical Q&A knowledge plus the suppressed cross-tenant aggregates turned into
Q&A, every record PII-scanned (findings are dropped), registered as the pooled, anonymized dataset "industry".

Q&A sources: the reviewed knowledge base `training/data/industry_qa/<topic>.jsonl` (question/answer with sources,
see training/industry_qa.py) and the older `training/data/optical_qa.jsonl` (prompt/completion); a question asked in
both is taken once, from the reviewed files. The held-out factual set (`industry_qa_eval/heldout.jsonl`) is never
trained on."""

from __future__ import annotations

import logging
import re
from collections import Counter, defaultdict
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import sqlalchemy as sa

from training import checks
from training.datasets import INDUSTRY_DATASET, Dataset, store_version
from training.formats import CHAT, Parsed, Record, parse_file
from training.industry_qa import normalize, read_file, topic_files
from training.splits import DEFAULT_SEED, DEFAULT_SPLIT
from training.validate import Options, prepare_records

logger = logging.getLogger(__name__)

QA_FILE = Path(__file__).parent / "data" / "optical_qa.jsonl"
SOURCE_NAME = "industry-builder: industry_qa/*.jsonl + optical_qa.jsonl + industry_aggregates"
MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
          "November", "December")

# metric -> (what the value is, question about one cell, question about the whole group). Unknown metrics get a
# generic wording. {bucket}, {dimension} and {period} are filled in; {period} is "" or " in 2025".
METRIC_TEXT: dict[str, tuple[str, str, str]] = {
    "avg_selling_price": ("the average selling price of {bucket}",
                          "What is the typical selling price of {bucket} at optical retail chains{period}?",
                          "How do average selling prices compare across product categories in optical retail"
                          "{period}?"),
    "discount_rate": ("the average discount on {bucket}",
                      "How much discount do optical retailers typically give on {bucket}?",
                      "How deep are discounts by product category in optical retail?"),
    "units_per_order_line": ("the average number of units per order line for {bucket}",
                             "How many units of {bucket} does a typical optical retail order line contain?",
                             "How many units per order line do optical retailers sell, by category?"),
    "revenue_share": ("the share of revenue from {bucket}",
                      "What share of an optical retail chain's revenue comes from {bucket}?",
                      "What is the typical revenue mix of an optical retail chain?"),
    "seasonality_index": ("the {dimension} sales index for {bucket}",
                          "How strong are {dimension} sales in {bucket} compared with an average month in optical "
                          "retail?",
                          "What is the seasonal pattern of {dimension} sales in optical retail?"),
    "lens_type_share": ("the share of patients wearing {bucket}",
                        "What share of optical patients wear {bucket}?",
                        "What is the typical mix of lens types among optical patients?"),
    "progressive_share": ("the share of patients aged {bucket} who wear progressive lenses",
                          "What share of optical patients aged {bucket} wear progressive lenses?",
                          "How does progressive lens use change with age?"),
    "below_reorder_share": ("the share of stocked {bucket} items below their reorder point",
                            "How often are {bucket} items below their reorder point at optical retailers?",
                            "How healthy is optical retail inventory by product category?"),
}


def _words(value: str) -> str:
    return value.replace("_", " ").strip()


def _dimension(dimension: str) -> str:
    return {"contact_lenses": "contact lens", "lenses": "lens", "frames": "frame",
            "sunglasses": "sunglass"}.get(dimension, _words(dimension))


def _bucket(metric: str, bucket: str) -> str:
    if metric == "seasonality_index" and bucket.isdigit() and 1 <= int(bucket) <= 12:
        return MONTHS[int(bucket) - 1]
    return _words(bucket)


def _period(period: str) -> str:
    return "" if period in ("", "all") else f" in {period}"


def _value(value: Any, unit: str) -> str:
    if unit.startswith("index "):  # "index (1.0 = average month)" -> "1.10 (1.0 = average month)"
        return f"{value} {unit[len('index '):]}"
    return f"{value} {unit}".strip()


def aggregate_records(rows: Iterable[Any]) -> list[Record]:
    """Q&A about the pooled aggregates: one question per cell and one summary per (metric, dimension, period)."""
    records: list[Record] = []
    groups: dict[tuple[str, str, str], list[Any]] = defaultdict(list)
    for r in rows:
        groups[(r.metric, r.dimension, r.period)].append(r)
    for (metric, dimension, period), cells in sorted(groups.items()):
        what, cell_q, group_q = METRIC_TEXT.get(metric, (
            f"the {_words(metric)} for {{bucket}}",
            f"What is the industry {_words(metric)} for {{dimension}} {{bucket}}{{period}}?",
            f"What is the industry {_words(metric)} by {{dimension}}{{period}}?"))
        fill = {"dimension": _dimension(dimension), "period": _period(period)}
        n_tenants = min(c.n_tenants for c in cells)
        basis = f"pooled, anonymized figures from at least {n_tenants} optical retail chains"
        for c in cells:
            b = _bucket(metric, c.bucket)
            q = cell_q.format(bucket=b, **fill)
            a = (f"Across the {basis} ({c.n_records} records{fill['period']}), {what.format(bucket=b, **fill)} is "
                 f"{_value(c.value, c.unit)}. Individual chains and stores vary around this figure.")
            records.append(Record(messages=[{"role": "user", "content": q}, {"role": "assistant", "content": a}],
                                  where=f"aggregate {metric}/{dimension}/{c.bucket}/{period}"))
        lines = "; ".join(f"{_bucket(metric, c.bucket)}: {_value(c.value, c.unit)}" for c in cells)
        records.append(Record(
            messages=[{"role": "user", "content": group_q.format(**fill)},
                      {"role": "assistant", "content": f"Across the {basis}{fill['period']}: {lines}."}],
            where=f"aggregate {metric}/{dimension}/{period}"))
    return records


def reviewed_qa_records() -> list[Record]:
    """The reviewed knowledge-base files as chat records (a malformed file is an error: nothing half-built)."""
    records: list[Record] = []
    for path in topic_files():
        rows, problems = read_file(path)
        if problems:
            raise ValueError(f"{path.name} is malformed: " + "; ".join(str(p) for p in problems[:5]))
        for row in rows:
            records.append(Record(messages=[{"role": "user", "content": row["question"].strip()},
                                            {"role": "assistant", "content": row["answer"].strip()}],
                                  where=f"{path.name}:{row['id']}"))
    return records


def qa_records() -> tuple[list[Record], int, int]:
    """Reviewed Q&A plus the older file's Q&A the reviewed files do not ask: (records, n reviewed, n legacy)."""
    reviewed = reviewed_qa_records()
    qa = parse_file(QA_FILE)
    if qa.errors:
        raise ValueError(f"{QA_FILE.name} is malformed: " + "; ".join(e.message for e in qa.errors[:5]))
    asked = {normalize(r.messages[0]["content"]) for r in reviewed}
    legacy = [r for r in qa.records if normalize(r.messages[0]["content"]) not in asked]
    return reviewed + legacy, len(reviewed), len(legacy)


def read_aggregates() -> list[Any]:
    """The suppressed cross-tenant aggregates, read as the app role with no tenant set; [] when there are none."""
    try:
        from db import industry
    except ImportError:  # the aggregates module is not installed in this tree
        return []
    try:
        return industry.read()
    except sa.exc.ProgrammingError as exc:  # table missing (older schema): build from the Q&A file only
        logger.warning("industry_aggregates unavailable (%s); building from the Q&A file only", exc.orig)
        return []


def _tenant_name_pattern() -> re.Pattern[str] | None:
    """Tenant names and slugs from the registry (control plane, not tenant rows): none may appear in pooled data."""
    from db.registry import list_tenants

    tenants = list_tenants()
    names = {t.name for t in tenants} | {t.slug for t in tenants}
    if not names:
        return None
    return re.compile(r"\b(" + "|".join(re.escape(n) for n in sorted(names, key=len, reverse=True)) + r")\b",
                      re.IGNORECASE)


def build_industry_dataset(*, split: str = DEFAULT_SPLIT, seed: int = DEFAULT_SEED) -> Dataset:
    """Pool the Q&A file and the aggregates, drop every record with a PII finding or a tenant's name, and store the
    result as a version of the pooled dataset "industry" (content-addressed: an unchanged input is no new version)."""
    qa, n_reviewed, n_legacy = qa_records()
    aggregates = read_aggregates()
    agg_records = aggregate_records(aggregates)
    candidates = qa + agg_records

    scan = checks.scan_pii(candidates)
    pii_dropped = set(scan.records)
    tenant_re = _tenant_name_pattern()
    name_dropped = {i for i, r in enumerate(candidates) if i not in pii_dropped and tenant_re is not None
                    and tenant_re.search(r.text)}
    kept = [r for i, r in enumerate(candidates) if i not in pii_dropped | name_dropped]
    dropped_types = Counter(scan.by_type)

    parsed = Parsed(format=CHAT, records=kept, source_records=len(candidates))
    prepared = prepare_records(parsed, source=SOURCE_NAME, options=Options(split=split, seed=seed))
    if not prepared.ok:
        raise ValueError(f"the industry dataset did not validate: {prepared.report.get('fatal')}")
    clean = prepared.report["pii"]["records_with_pii"] == 0
    prepared.report["pii"]["anonymized"] = clean
    prepared.report["builder"] = {
        "name": "industry",
        "qa_records": len(qa),
        "reviewed_qa_records": n_reviewed,
        "legacy_qa_records": n_legacy,
        "aggregate_rows": len(aggregates),
        "aggregate_records": len(agg_records),
        "dropped_for_pii": len(pii_dropped),
        "dropped_pii_types": dict(sorted(dropped_types.items())),
        "dropped_for_tenant_names": len(name_dropped),
        "aggregates_source": "industry_aggregates (suppressed, cross-tenant; read as the app role, no tenant set)"
                             if aggregates else "none (table empty or missing): Q&A file only",
    }
    if not clean:  # cannot happen (the same detector ran above), but never register unscanned data as anonymized
        raise ValueError("records with PII survived the industry builder's scan; nothing stored")
    result = store_version(INDUSTRY_DATASET, prepared, tenant_slug=None, redacted=False, deduped=False,
                           anonymized=True, builder="industry")
    assert result.dataset is not None
    return result.dataset
