"""Benchmark of the output PII guard on the labelled sets, each scored separately: tests/data/pii_labelled.jsonl
(the first set) and tests/data/pii_labelled_intl.jsonl (the second set: international formats, informal chat,
business contacts; written apart from the first). Per-entity precision/recall, clean-text alteration rate, and
redaction latency of ~500-character answers on one core.

Run: ``.venv/bin/python -m bench pii`` (``--misses`` also prints every missed or spurious span; ``--peer`` runs the
presidio-evaluator comparison in bench/bench_pii_peer.py instead, with its own options after it).
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import time
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

DATA = Path(__file__).resolve().parents[1] / "tests" / "data" / "pii_labelled.jsonl"
DATA_INTL = DATA.with_name("pii_labelled_intl.jsonl")

# Targets from the issues: recall per type, clean texts altered, p95 latency of a ~500-character answer.
RECALL_TARGETS = {"PERSON": 0.95, "EMAIL_ADDRESS": 0.95, "PHONE_NUMBER": 0.95, "US_SSN": 0.95, "CREDIT_CARD": 0.95,
                  "ADDRESS": 0.95, "DATE_OF_BIRTH": 0.95}
MAX_CLEAN_ALTERED = 0.05
# Second set (issue 12): every labelled type >= 0.97, clean texts altered <= 3 %.
RECALL_TARGET_INTL = 0.97
MAX_CLEAN_ALTERED_INTL = 0.03
MAX_P95_MS = 20.0


def load_records(path: Path = DATA) -> list[dict[str, Any]]:
    with path.open(encoding="utf-8") as fh:
        return [json.loads(line) for line in fh if line.strip()]


@dataclass
class Scores:
    support: dict[str, int] = field(default_factory=lambda: defaultdict(int))
    covered: dict[str, int] = field(default_factory=lambda: defaultdict(int))
    predicted: dict[str, int] = field(default_factory=lambda: defaultdict(int))
    correct: dict[str, int] = field(default_factory=lambda: defaultdict(int))
    clean_total: int = 0
    clean_altered: int = 0
    person_split: dict[str, list[int]] = field(default_factory=lambda: {"in": [0, 0], "out": [0, 0]})
    misses: list[str] = field(default_factory=list)
    spurious: list[str] = field(default_factory=list)

    def recall(self, label: str) -> float:
        return self.covered[label] / self.support[label] if self.support[label] else 1.0

    def precision(self, label: str) -> float:
        return self.correct[label] / self.predicted[label] if self.predicted[label] else 1.0

    @property
    def clean_rate(self) -> float:
        return self.clean_altered / self.clean_total if self.clean_total else 0.0


def _is_covered(text: str, start: int, end: int, spans: list[tuple[int, int]]) -> bool:
    """Every letter/digit of the gold span lies inside some redacted span (nothing of the value leaks)."""
    return all(any(s <= i < e for s, e in spans) for i in range(start, end) if text[i].isalnum())


def evaluate(records: list[dict[str, Any]]) -> Scores:
    """Run safety.redact over the labelled records and score it."""
    from safety.pii import FIRST_NAMES, redact

    scores = Scores()
    for rec in records:
        text, gold = rec["text"], rec["entities"]
        result = redact(text, allow=rec.get("allow"))
        spans = [(e.start, e.end) for e in result.entities]
        if not gold:
            scores.clean_total += 1
            if result.text != text:
                scores.clean_altered += 1
                scores.spurious.append(f"[clean] {text!r} -> {result.text!r}")
        for g in gold:
            label = g["type"]
            scores.support[label] += 1
            hit = _is_covered(text, g["start"], g["end"], spans)
            scores.covered[label] += hit
            if label == "PERSON":
                first = text[g["start"]:g["end"]].split()[0]
                bucket = scores.person_split["in" if first in FIRST_NAMES else "out"]
                bucket[0] += 1
                bucket[1] += hit
            if not hit:
                scores.misses.append(f"[{label}] {text[g['start']:g['end']]!r} in {result.text!r}")
        for e in result.entities:
            scores.predicted[e.type] += 1
            ok = any(g["type"] == e.type and g["start"] < e.end and e.start < g["end"] for g in gold)
            scores.correct[e.type] += ok
            if not ok and gold:
                scores.spurious.append(f"[{e.type}] {text[e.start:e.end]!r} in {text!r}")
    return scores


def answers_of_about(records: list[dict[str, Any]], size: int = 500, count: int = 120) -> list[str]:
    """Deterministic ~``size``-character answers made by joining consecutive labelled texts (mixed PII/clean)."""
    texts = [r["text"] for r in records]
    # interleave PII and clean texts so every answer looks like a real mixed answer
    texts = [t for pair in zip(texts[::2], texts[1::2], strict=False) for t in pair]
    out, current = [], ""
    for t in texts * 3:
        current = f"{current} {t}".strip()
        if len(current) >= size - 40:
            out.append(current[:size + 40])
            current = ""
        if len(out) >= count:
            break
    return out


def measure_latency(answers: list[str], repeats: int = 3, *, cpu: bool = False) -> tuple[float, float, float]:
    """(p50 ms, p95 ms, mean length) of redact() over the answers, pinned to a single CPU core; wall-clock time, or
    with ``cpu=True`` the thread's CPU time (what one core spends, whatever else the machine is running)."""
    from safety.pii import redact

    if hasattr(os, "sched_setaffinity"):
        os.sched_setaffinity(0, {sorted(os.sched_getaffinity(0))[0]})
    for a in answers[:10]:
        redact(a)  # warm-up
    clock = time.thread_time if cpu else time.perf_counter
    timings = []
    for _ in range(repeats):
        for a in answers:
            t0 = clock()
            redact(a)
            timings.append((clock() - t0) * 1000)
    timings.sort()
    p95 = timings[min(len(timings) - 1, int(round(0.95 * len(timings))) - 1)]
    return statistics.median(timings), p95, statistics.mean(len(a) for a in answers)


def _table(title: str, header: list[str], rows: list[list[str]]) -> None:
    widths = [max(len(str(x)) for x in col) for col in zip(header, *rows, strict=True)]
    print(f"\n{title}")
    print("  ".join(h.ljust(w) for h, w in zip(header, widths, strict=True)))
    print("  ".join("-" * w for w in widths))
    for r in rows:
        print("  ".join(str(x).ljust(w) for x, w in zip(r, widths, strict=True)))


def _report_set(title: str, records: list[dict[str, Any]], targets: dict[str, float], max_clean: float,
                misses: bool) -> None:
    scores = evaluate(records)
    labels = sorted(set(scores.support) | set(scores.predicted), key=lambda x: (x not in targets, x))
    rows = []
    for label in labels:
        target = targets.get(label)
        rows.append([label, str(scores.support[label]), str(scores.predicted[label]),
                     f"{scores.precision(label):.3f}", f"{scores.recall(label):.3f}",
                     f">= {target:.2f}" if target else "-",
                     ("ok" if scores.recall(label) >= target else "MISSED") if target else ""])
    rows.append(["clean texts altered", str(scores.clean_total), "", "",
                 f"{scores.clean_altered}/{scores.clean_total} = {scores.clean_rate:.3f}", f"<= {max_clean:.2f}",
                 "ok" if scores.clean_rate <= max_clean else "MISSED"])
    _table(f"{title}: {len(records)} texts, {scores.clean_total} without PII "
           "(recall = whole gold span covered by a redaction)",
           ["entity", "support", "predicted", "precision", "recall", "target", ""], rows)
    for key, name in (("in", "given name in FIRST_NAMES"), ("out", "given name NOT in FIRST_NAMES")):
        n, hit = scores.person_split[key]
        print(f"  PERSON, {name}: {hit}/{n} = {hit / n if n else 1:.3f}")
    if misses:
        print("\nMisses:")
        print("\n".join(scores.misses) or "  none")
        print("\nSpurious:")
        print("\n".join(scores.spurious) or "  none")


def main(argv: list[str] | None = None) -> int:
    argv = list(argv if argv is not None else sys.argv[1:])
    if "--peer" in argv:
        from bench.bench_pii_peer import main as peer_main

        return peer_main([a for a in argv if a != "--peer"])
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--misses", action="store_true", help="print missed and spurious spans")
    parser.add_argument("--no-latency", action="store_true", help="skip the latency measurement")
    parser.add_argument("--peer", action="store_true", help="run the presidio-evaluator comparison instead")
    args = parser.parse_args(argv)

    t0 = time.perf_counter()
    from safety.pii import get_engines

    get_engines()
    print(f"engine load {time.perf_counter() - t0:.1f} s")
    records = load_records()
    intl = load_records(DATA_INTL)
    _report_set("First set (pii_labelled.jsonl)", records, RECALL_TARGETS, MAX_CLEAN_ALTERED, args.misses)
    intl_targets = {label: RECALL_TARGET_INTL for label in {e["type"] for r in intl for e in r["entities"]}}
    _report_set("Second set (pii_labelled_intl.jsonl)", intl, intl_targets, MAX_CLEAN_ALTERED_INTL, args.misses)

    if not args.no_latency:
        answers = answers_of_about(records, count=60) + answers_of_about(intl, count=60)
        p50, p95, mean_len = measure_latency(answers)
        summary = [[f"latency p50 ({mean_len:.0f}-char answers, 1 core)", f"{p50:.1f} ms", "-", ""],
                   [f"latency p95 ({mean_len:.0f}-char answers, 1 core)", f"{p95:.1f} ms", f"<= {MAX_P95_MS:.0f} ms",
                    "ok" if p95 <= MAX_P95_MS else "MISSED"]]
        c50, c95, _ = measure_latency(answers, cpu=True)
        summary += [["CPU time p50 (same answers, 1 core)", f"{c50:.1f} ms", "-", ""],
                    ["CPU time p95 (same answers, 1 core)", f"{c95:.1f} ms", f"<= {MAX_P95_MS:.0f} ms",
                     "ok" if c95 <= MAX_P95_MS else "MISSED"]]
        # Worst case: spaCy NER on every sentence (what an answer full of unknown capitalised words costs).
        import safety.pii as pii

        saved = pii._ner_segments
        pii._ner_segments = lambda text, explained=None: [(0, len(text))]
        try:
            w50, w95, _ = measure_latency(answers, repeats=1)
        finally:
            pii._ner_segments = saved
        summary += [["worst case p50 (NER on all text)", f"{w50:.1f} ms", "-", ""],
                    ["worst case p95 (NER on all text)", f"{w95:.1f} ms", "-", ""]]
        _table("Latency (answers built from both sets)", ["measure", "value", "target", ""], summary)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
