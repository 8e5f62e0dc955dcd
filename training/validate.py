"""Dataset validation: parse + checks -> a validation report (JSON and text) and the records to store, per split."""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from training import checks
from training.formats import FormatError, Issue, Parsed, Record, parse_file
from training.splits import DEFAULT_SEED, DEFAULT_SPLIT, SPLITS, assign_splits, parse_split
from training.tokenizer import BASE_MODEL, count_tokens

DEFAULT_MIN_TOKENS = 2
DEFAULT_MAX_TOKENS = 1024  # content tokens; the chat template adds ~5 per message
MAX_LISTED_ERRORS = 500


@dataclass(frozen=True)
class Options:
    redact: bool = False
    dedupe: bool = False
    split: str = DEFAULT_SPLIT
    seed: int = DEFAULT_SEED
    strict: bool = False
    min_tokens: int = DEFAULT_MIN_TOKENS
    max_tokens: int = DEFAULT_MAX_TOKENS


@dataclass
class Prepared:
    """The outcome of validating one file: its report and, unless `fatal`, the records to store per split."""

    report: dict[str, Any]
    splits: dict[str, list[Record]] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return bool(self.report["ok"])

    @property
    def anonymized(self) -> bool:
        return bool(self.report["pii"].get("anonymized"))


def _where_list(records: Sequence[Record], idx: Sequence[int], extra: dict[int, str] | None = None) -> str:
    parts = [records[i].where + (f" ({extra[i]})" if extra and i in extra else "") for i in idx[: checks.EXAMPLES]]
    more = len(idx) - len(parts)
    return ", ".join(parts) + (f" and {more} more" if more > 0 else "")


def _fatal_report(source: str, fmt: str | None, message: str, options: Options, **extra: Any) -> dict[str, Any]:
    return {"source": source, "format": fmt, "ok": False, "fatal": message, "options": _options(options),
            "errors": extra.get("errors", []), "warnings": [], "records": extra.get("records", {}),
            "pii": {}, "tokens": {}, "duplicates": {}, "classes": None, "toxicity": {}, "splits": {}}


def _options(o: Options) -> dict[str, Any]:
    return {"redact": o.redact, "dedupe": o.dedupe, "split": o.split, "seed": o.seed, "strict": o.strict,
            "min_tokens": o.min_tokens, "max_tokens": o.max_tokens}


def prepare_file(path: Path, options: Options = Options()) -> Prepared:
    """Validate a dataset file. A fatal report (nothing to store) for unknown formats and unparseable files."""
    path = Path(path)
    parse_split(options.split)  # a bad --split is a usage error, raised before any work
    try:
        parsed = parse_file(path)
    except FormatError as exc:
        return Prepared(report=_fatal_report(path.name, None, str(exc), options))
    digest = hashlib.sha256(path.read_bytes()).hexdigest()
    return prepare_records(parsed, source=path.name, options=options, source_sha256=digest)


def prepare_records(parsed: Parsed, *, source: str, options: Options = Options(),
                    source_sha256: str | None = None) -> Prepared:
    """Check parsed records, apply --redact/--dedupe, split, and build the report."""
    ratios = parse_split(options.split)
    errors = [e.to_dict() for e in parsed.errors]
    counts: dict[str, Any] = {"source": parsed.source_records, "valid": len(parsed.records),
                              "invalid": len(parsed.errors)}
    if not parsed.records:
        why = "; ".join(parsed.notes) or (f"{len(parsed.errors)} malformed record(s)" if parsed.errors else "empty")
        return Prepared(report=_fatal_report(source, parsed.format, f"{source}: zero valid records ({why})", options,
                                             errors=errors[:MAX_LISTED_ERRORS], records=counts))

    warnings: list[Issue] = [Issue("parse_note", note) for note in parsed.notes]
    records = parsed.records

    # PII: scan; with --redact replace values by placeholders, then scan the result again.
    scan = checks.scan_pii(records, redact=options.redact)
    pii: dict[str, Any] = {"records_with_pii": len(scan.records), "by_type": dict(sorted(scan.by_type.items())),
                           "where": [records[i].where for i in scan.records[: checks.EXAMPLES]],
                           "redacted": options.redact, "detector": "safety.redact (presidio + Sightline recognizers)"}
    if options.redact and scan.redacted is not None:
        records = scan.redacted
        after = checks.scan_pii(records)
        pii["after_redaction"] = {"records_with_pii": len(after.records), "by_type": dict(after.by_type)}
        pii["anonymized"] = after.total == 0
        if after.total:
            warnings.append(Issue("pii_after_redaction", f"PII still detected after redaction in "
                                  f"{len(after.records)} record(s): {_where_list(records, after.records)}"))
    else:
        pii["anonymized"] = False
        if scan.records:
            types = ", ".join(f"{t} x{n}" for t, n in sorted(scan.by_type.items()))
            warnings.append(Issue("pii", f"PII in {len(scan.records)} record(s) ({types}): "
                                  f"{_where_list(records, scan.records)}; use --redact to store placeholders"))

    # Lengths in tokens of the base model's tokenizer.
    tokens = count_tokens([r.text for r in records])
    short = [i for i, n in enumerate(tokens) if n < options.min_tokens]
    long = [i for i, n in enumerate(tokens) if n > options.max_tokens]
    tok_note = {i: f"{tokens[i]} tokens" for i in short + long}
    if short:
        warnings.append(Issue("too_short", f"{len(short)} record(s) under {options.min_tokens} tokens: "
                              f"{_where_list(records, short, tok_note)}"))
    if long:
        warnings.append(Issue("too_long", f"{len(long)} record(s) over {options.max_tokens} tokens: "
                              f"{_where_list(records, long, tok_note)}"))

    # Duplicates.
    dups = checks.find_duplicates(records)
    dup_examples = []
    for i, j in list(dups.exact.items())[: checks.EXAMPLES]:
        dup_examples.append({"kind": "exact", "record": records[i].where, "duplicate_of": records[j].where,
                             "text": checks.safe_snippet(records[i].text)})
    for i, (j, jac) in list(dups.near.items())[: checks.EXAMPLES]:
        dup_examples.append({"kind": "near", "record": records[i].where, "duplicate_of": records[j].where,
                             "jaccard": jac, "text": checks.safe_snippet(records[i].text),
                             "other": checks.safe_snippet(records[j].text)})
    action = "dropped (--dedupe)" if options.dedupe else "kept; --dedupe drops them"
    if dups.exact:
        idx = list(dups.exact)
        same = {i: "same as " + records[dups.exact[i]].where for i in idx}
        warnings.append(Issue("exact_duplicate", f"{len(idx)} exact duplicate record(s), {action}: "
                              f"{_where_list(records, idx, same)}"))
    if dups.near:
        idx = list(dups.near)
        notes = {i: f"~{records[dups.near[i][0]].where}, J={dups.near[i][1]}" for i in idx}
        warnings.append(Issue("near_duplicate", f"{len(idx)} near-duplicate record(s) (Jaccard >= "
                              f"{dups.threshold}), {action}: {_where_list(records, idx, notes)}"))

    # Toxicity (word list).
    toxic = {i: checks.toxic_terms(r.text) for i, r in enumerate(records)}
    toxic = {i: terms for i, terms in toxic.items() if terms}
    if toxic:
        warnings.append(Issue("toxicity", f"{len(toxic)} record(s) with flagged words: "
                              f"{_where_list(records, list(toxic), {i: ', '.join(t) for i, t in toxic.items()})}"))

    # What is stored, and where each record goes.
    keep = [i for i in range(len(records)) if not (options.dedupe and i in dups.dropped)]
    kept = [records[i] for i in keep]
    groups = [checks.conversation_key(records[dups.group_of(i)]) for i in keep]
    assigned = assign_splits(groups, ratios, options.seed)
    splits: dict[str, list[Record]] = {s: [] for s in SPLITS}
    for record, split in zip(kept, assigned, strict=True):
        splits[split].append(record)
    for name, ratio in zip(SPLITS, ratios, strict=True):
        if ratio and not splits[name]:
            warnings.append(Issue("empty_split", f"the {name} split is empty: {len(kept)} record(s) are too few "
                                  f"for {options.split}"))

    # Class balance (classification).
    balance = checks.class_balance(kept)
    if balance:
        if balance["imbalance_ratio"] > checks.IMBALANCE_RATIO:
            warnings.append(Issue("class_imbalance", f"class imbalance: largest/smallest = "
                                  f"{balance['imbalance_ratio']} ({balance['counts']})"))
        rare = [label for label, n in balance["counts"].items() if n < 2]
        if rare:
            warnings.append(Issue("rare_label", f"label(s) with a single example: {', '.join(rare[:10])}"))
        balance["per_split"] = {s: dict(sorted(checks.class_balance(v)["counts"].items())) if v else {}
                                for s, v in splits.items()}

    counts.update({"dropped_duplicates": len(records) - len(kept), "stored": len(kept)})
    ok = not options.strict or not (errors or warnings)
    report: dict[str, Any] = {
        "source": source,
        "source_sha256": source_sha256,
        "format": parsed.format,
        "ok": ok,
        "fatal": None if ok else f"--strict: {len(errors)} error(s) and {len(warnings)} warning(s)",
        "options": _options(options),
        "records": counts,
        "errors": errors[:MAX_LISTED_ERRORS],
        "errors_not_listed": max(0, len(errors) - MAX_LISTED_ERRORS),
        "warnings": [w.to_dict() for w in warnings],
        "tokens": {"tokenizer": BASE_MODEL, "counted": "message contents, no chat template",
                   "range": [options.min_tokens, options.max_tokens], **checks.length_stats(tokens),
                   "too_short": len(short), "too_long": len(long)},
        "duplicates": {"exact": len(dups.exact), "near": len(dups.near), "threshold": dups.threshold,
                       "method": f"MinHash LSH, {checks.NUM_PERM} permutations, word {checks.SHINGLE}-shingles",
                       "examples": dup_examples},
        "classes": balance,
        "pii": pii,
        "toxicity": {"method": checks.TOXICITY_METHOD, "flagged": len(toxic),
                     "examples": [{"record": records[i].where, "terms": t} for i, t in list(toxic.items())[:5]]},
        "splits": {"ratios": list(ratios), "seed": options.seed, "counts": {s: len(v) for s, v in splits.items()}},
    }
    return Prepared(report=report, splits=splits if ok else {})


def format_report(report: dict[str, Any]) -> str:
    """The validation report as text for the terminal."""
    lines = [f"dataset file: {report.get('source')}  format: {report.get('format') or 'unknown'}"]
    if report.get("fatal"):
        lines.append(f"ERROR: {report['fatal']} (nothing stored)")
    rec = report.get("records") or {}
    if rec:  # a fixed order: reports read back from jsonb lose theirs
        order = ("source", "valid", "invalid", "dropped_duplicates", "stored")
        lines.append("records: " + ", ".join(f"{k}={rec[k]}" for k in order if k in rec))
    errors = report.get("errors") or []
    if errors:
        lines.append(f"format errors ({len(errors) + report.get('errors_not_listed', 0)}, records dropped):")
        lines += [f"  - {e['message']}" for e in errors[:50]]
        if len(errors) > 50:
            lines.append(f"  ... {len(errors) - 50} more in report.json")
    warnings = report.get("warnings") or []
    if warnings:
        lines.append(f"warnings ({len(warnings)}):")
        lines += [f"  - [{w['code']}] {w['message']}" for w in warnings]
    tok = report.get("tokens") or {}
    if tok.get("max") is not None:
        lines.append(f"tokens ({tok['tokenizer']}): min {tok['min']}, p50 {tok['p50']}, p95 {tok['p95']}, max "
                     f"{tok['max']}, total {tok['total']}; allowed {tok['range'][0]}-{tok['range'][1]}")
    dup = report.get("duplicates") or {}
    if dup:
        lines.append(f"duplicates: {dup['exact']} exact, {dup['near']} near (Jaccard >= {dup['threshold']})")
        for ex in dup.get("examples", [])[:3]:
            lines.append(f"  e.g. {ex['kind']}: {ex['record']} ~ {ex['duplicate_of']}: {ex['text']!r}")
    pii = report.get("pii") or {}
    if pii:
        types = ", ".join(f"{t} x{n}" for t, n in pii.get("by_type", {}).items()) or "none"
        line = f"PII: {pii.get('records_with_pii', 0)} record(s) ({types})"
        if pii.get("redacted"):
            after = pii.get("after_redaction", {})
            line += f"; redacted, {after.get('records_with_pii', 0)} record(s) with PII after redaction"
        lines.append(line + ("; anonymized" if pii.get("anonymized") else ""))
    tox = report.get("toxicity") or {}
    if tox:
        lines.append(f"toxicity: {tox['flagged']} record(s) flagged ({tox['method']})")
    classes = report.get("classes")
    if classes:
        lines.append("classes: " + ", ".join(f"{k}={v}" for k, v in classes["counts"].items())
                     + f" (imbalance {classes['imbalance_ratio']})")
    sp = report.get("splits") or {}
    if sp.get("counts"):
        lines.append("splits (" + "/".join(str(r) for r in sp["ratios"]) + f", seed {sp['seed']}): "
                     + ", ".join(f"{k}={sp['counts'].get(k, 0)}" for k in SPLITS))
    return "\n".join(lines)
