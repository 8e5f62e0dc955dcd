"""Routing benchmark: accuracy per route on tests/data/routing_set.jsonl and median routing latency.

.venv/bin/python -m bench.bench_routing             # table for the shipped router
.venv/bin/python -m bench.bench_routing --errors    # also list every misrouted utterance
.venv/bin/python -m bench.bench_routing --compare   # methods and thresholds, chosen by CV on the example bank
"""

from __future__ import annotations

import argparse
import json
import statistics
import time
from pathlib import Path

import numpy as np

from agents.router import CLARIFY, DEFAULT_MIN_MARGIN, DEFAULT_MIN_SCORE, METHODS, ROUTES, Router, cached_bank
from tools.embeddings import embed

ROUTING_SET = Path(__file__).resolve().parents[1] / "tests" / "data" / "routing_set.jsonl"


def load_set(path: Path = ROUTING_SET) -> list[dict[str, str]]:
    """The labelled routing test set: one {"text", "route"} object per line."""
    rows = []
    for lineno, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if line.strip():
            row = json.loads(line)
            if not row.get("text") or row.get("route") not in (*ROUTES, CLARIFY):
                raise ValueError(f"{path}:{lineno}: need a text and a route in {(*ROUTES, CLARIFY)}")
            rows.append(row)
    return rows


def accuracy_table(expected: list[str], predicted: list[str]) -> list[tuple[str, int, int, float]]:
    """(route, n, correct, accuracy) per expected route, then 'overall' over sql/docs/industry/smalltalk."""
    table = []
    for route in (*ROUTES, CLARIFY):
        pairs = [(e, p) for e, p in zip(expected, predicted, strict=True) if e == route]
        if pairs:
            correct = sum(e == p for e, p in pairs)
            table.append((route, len(pairs), correct, correct / len(pairs)))
    main = [(e, p) for e, p in zip(expected, predicted, strict=True) if e in ROUTES]
    correct = sum(e == p for e, p in main)
    table.append(("overall", len(main), correct, correct / len(main) if main else 0.0))
    return table


def print_table(table: list[tuple[str, int, int, float]]) -> None:
    print(f"| {'route':<10} | {'n':>4} | {'correct':>7} | {'accuracy':>8} |")
    print(f"|{'-' * 12}|{'-' * 6}|{'-' * 9}|{'-' * 10}|")
    for route, n, correct, acc in table:
        label = "clarify*" if route == CLARIFY else route
        print(f"| {label:<10} | {n:>4} | {correct:>7} | {acc:>8.3f} |")


def bank_cv(method: str, folds: int = 10, seed: int = 0) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """k-fold cross-validation on the example bank: (scores, nearest similarity, labels) for every example."""
    bank = cached_bank()
    order = np.random.default_rng(seed).permutation(len(bank.texts))
    fold_of = np.empty(len(order), dtype=np.int64)
    fold_of[order] = np.arange(len(order)) % folds
    scores, nearest, labels = [], [], []
    for fold in range(folds):
        train, held = np.where(fold_of != fold)[0], np.where(fold_of == fold)[0]
        router = Router(bank=bank.subset(train), method=method)
        s, n = router.score_many([bank.texts[i] for i in held], bank.matrix[held])
        scores.append(s)
        nearest.append(n)
        labels.append(bank.labels[held])
    return np.vstack(scores), np.concatenate(nearest), np.concatenate(labels)


def compare(rows: list[dict[str, str]]) -> None:
    """Accuracy of each method (argmax, no clarify) by bank CV and on the test set; then the threshold grid."""
    main = [r for r in rows if r["route"] in ROUTES]
    vectors = embed([r["text"] for r in main])
    expected = np.array([ROUTES.index(r["route"]) for r in main])
    print("Method comparison (argmax route, no clarify):")
    print(f"| {'method':<10} | {'bank 10-fold CV':>15} | {'test set':>8} |")
    print(f"|{'-' * 12}|{'-' * 17}|{'-' * 10}|")
    for method in METHODS:
        cv_scores, _, cv_labels = bank_cv(method)
        test_scores, _ = Router(method=method).score_many([r["text"] for r in main], vectors)
        cv_acc = float((cv_scores.argmax(1) == cv_labels).mean())
        test_acc = float((test_scores.argmax(1) == expected).mean())
        print(f"| {method:<10} | {cv_acc:>15.3f} | {test_acc:>8.3f} |")
    cv_scores, _, cv_labels = bank_cv("hybrid")
    ranked = np.sort(cv_scores, axis=1)[:, ::-1]
    ok = cv_scores.argmax(1) == cv_labels
    print("\nClarify thresholds for hybrid, bank 10-fold CV (accuracy counts clarify as wrong):")
    print(
        f"| {'min_score':>9} | {'min_margin':>10} | {'clarify':>7} | {'accuracy':>8} | errors caught | correct lost |"
    )
    print(f"|{'-' * 11}|{'-' * 12}|{'-' * 9}|{'-' * 10}|{'-' * 15}|{'-' * 14}|")
    for min_score in sorted({0.0, 0.35, 0.4, DEFAULT_MIN_SCORE, 0.5, 0.6}):
        for min_margin in sorted({0.0, 0.05, DEFAULT_MIN_MARGIN, 0.2}):
            conf = (ranked[:, 0] >= min_score) & (ranked[:, 0] - ranked[:, 1] >= min_margin)
            print(
                f"| {min_score:>9.2f} | {min_margin:>10.2f} | {1 - conf.mean():>7.3f} | {(ok & conf).mean():>8.3f} "
                f"| {int((~ok & ~conf).sum()):>5} of {int((~ok).sum()):<5} | {int((ok & ~conf).sum()):>12} |"
            )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--errors", action="store_true", help="list misrouted utterances")
    parser.add_argument("--compare", action="store_true", help="compare methods and thresholds (slower)")
    args = parser.parse_args(argv)

    rows = load_set()
    start = time.perf_counter()
    router = Router()
    build_s = time.perf_counter() - start
    router.route("warm-up")

    decisions, latencies = [], []
    for row in rows:  # one message at a time, as in a chat turn
        t0 = time.perf_counter()
        decisions.append(router.route(row["text"]))
        latencies.append((time.perf_counter() - t0) * 1000.0)

    expected = [r["route"] for r in rows]
    predicted = [d.route for d in decisions]
    bank = router.bank
    nearest_test = embed([r["text"] for r in rows]) @ bank.matrix.T

    print(f"Routing benchmark: {len(rows)} utterances from {ROUTING_SET.name}, bank of {len(bank.texts)} examples")
    print(f"method={router.method} min_score={router.min_score} min_margin={router.min_margin} ")
    print()
    print_table(accuracy_table(expected, predicted))
    print("* clarify: genuinely ambiguous or unreadable messages; reported, not part of 'overall'.")
    print()
    confident = [d for d, e in zip(decisions, expected, strict=True) if e in ROUTES]
    print(f"sent to clarify among sql/docs/industry/smalltalk items: {sum(not d.confident for d in confident)}")
    print(f"median routing latency: {statistics.median(latencies):.1f} ms (p95 {np.percentile(latencies, 95):.1f} ms)")
    print(f"router build (embed bank + train head): {build_s:.2f} s")
    print(
        f"test items with cosine > 0.85 to a bank example: {int((nearest_test.max(axis=1) > 0.85).sum())} "
        f"(median nearest {float(np.median(nearest_test.max(axis=1))):.3f})"
    )
    if args.errors:
        print("\nMisrouted:")
        for row, d in zip(rows, decisions, strict=True):
            if d.route != row["route"]:
                print(
                    f"  expected {row['route']:<9} got {d.route:<9} (best {d.best} {d.score:.2f}, "
                    f"margin {d.margin:.2f}, sim {d.similarity:.2f} {d.reason}) {row['text']!r}"
                )
    if args.compare:
        print()
        compare(rows)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
