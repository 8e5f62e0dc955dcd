"""Route-only replay of the docs and industry benches' dev questions: the route node's decision (semantic router +
agents/doc_routing.py's revision) for every question, without answering it, and the route confusion per set.

The expensive inputs of routing (the tenant's document search with its best sentence score, the industry knowledge's
best passage score, and both sources' best sentence scores) are computed once into a cache file, in a persistent
embedded database holding the docs bench's tenants; a replay then re-runs only the router, `doc_routing.cues` and
`doc_routing.revise` over the cached inputs, which takes a minute, so a change to the routing rules is measured on
every dev question at once. A change to the document search, the sentence scorer or the knowledge base needs a fresh
cache (`--rebuild`).

Questions (dev sets only; the check sets, docs `heldout24` and industry `heldout24`, and anything newer are never
read): the docs bench's covered and not-covered cases (expected route docs) and route cases (their own route), of
`DEV_DOCS_SETS`, each asked as its own tenant; the industry bench's factual check set and held-out sets
`DEV_INDUSTRY_SETS` (expected route industry; a clarify counts apart), asked as the bench's tenant (harbor) and once
more as another docs tenant picked by the question's hash (`industry@other`: the same general question asked of a
tenant whose documents the rules were not tuned on).

    python -m bench.replay_routing [--rebuild | --cached-only] [--cache PATH] [--misses] [--json OUT] [--diff OLD]

`--misses` prints every question routed elsewhere than expected (dev sets only), `--json OUT` writes every question's
route for comparing two runs (`--diff OLD.json` prints the questions whose route moved against such a file), and
`--cached-only` replays only the questions already cached (no database; while a build is still running).
"""

from __future__ import annotations

import hashlib
import json
import pickle
import sys
import time
from collections import Counter, defaultdict
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from bench.answers_docs import TENANTS, load

DEV_DOCS_SETS = ("tuning", "heldout", *(f"heldout{n}" for n in range(2, 24)))
DEV_INDUSTRY_SETS = ("heldout", *(f"heldout{n}" for n in range(2, 24)))
INDUSTRY_TENANT = "harbor"
CHECK_TENANTS = frozenset({"rukkilill", "melati"})  # the docs check set's (heldout24) tenants: never asked here
DEFAULT_CACHE = Path("/tmp/sightline-replay-routing/cache.pkl")
DB_DIR = Path("/tmp/sightline-replay-routing/db")


@dataclass(frozen=True)
class Question:
    """One dev question: the set it comes from, its kind, the tenant it is asked as and the route expected."""

    bench: str  # docs | industry | industry@other
    split: str
    kind: str  # covered | not_covered | route | factual | refuse | heldout
    tenant: str
    text: str
    expected: str


def _docs_case_files(split: str) -> tuple[str, str]:
    from bench.answers_docs import SETS

    return SETS[split]


def dev_questions() -> list[Question]:
    """Every dev question of the two benches (never a check set: see the module docstring)."""
    out: list[Question] = []
    for split in DEV_DOCS_SETS:
        case_file, route_file = _docs_case_files(split)
        for case in load(case_file):
            kind = "not_covered" if case["expect"] == "not_covered" else "covered"
            out.append(Question("docs", split, kind, case["tenant"], case["question"], "docs"))
        for case in load(route_file):
            out.append(Question("docs", split, "route", case["tenant"], case["question"], case["route"]))
    from training import factual, industry_qa

    others = sorted(t for t in TENANTS if t != INDUSTRY_TENANT and t not in CHECK_TENANTS)

    def industry(split: str, kind: str, text: str) -> list[Question]:
        other = others[int(hashlib.sha1(text.encode()).hexdigest(), 16) % len(others)]
        return [Question("industry", split, kind, INDUSTRY_TENANT, text, "industry"),
                Question("industry@other", split, kind, other, text, "industry")]

    for case in factual.load_cases():
        out += industry("factual", "refuse" if case.expect == "refuse" else "factual", case.question)
    for split in DEV_INDUSTRY_SETS:
        path = industry_qa.HELDOUT_FILE.with_name(f"{split}.jsonl")
        for record in industry_qa.load_heldout(path):
            out += industry(split, "heldout", record["question"])
    return out


@contextmanager
def _database() -> Iterator[None]:
    """A persistent embedded database (kept between runs, so the tenants' documents are ingested once)."""
    from config import env_overrides, get_settings
    from db import embedded
    from db.engine import reset_engines
    from db.migrate import upgrade

    DB_DIR.mkdir(parents=True, exist_ok=True)
    with env_overrides(SIGHTLINE_DATA_DIR=str(DB_DIR), SIGHTLINE_DATABASE="sightline_replay_routing",
                       DATABASE_URL=None):
        reset_engines()
        try:
            upgrade()
            yield
        finally:
            reset_engines()
            embedded.stop(get_settings().pgdata_dir)


def build_cache(questions: list[Question], path: Path) -> dict[tuple[str, str], dict[str, Any]]:
    """The routing inputs of every (tenant, question), computed as the route node computes them; kept in `path`."""
    from agents import doc_routing
    from agents.graph import search_documents
    from bench.answers_docs import setup_tenants

    cache: dict[tuple[str, str], dict[str, Any]] = {}
    if path.is_file():
        cache = pickle.loads(path.read_bytes())
    # the newest sets first, so that `--cached-only` can replay them while the older ones are still searched
    ordered = sorted(questions, key=lambda q: -int(q.split.removeprefix("heldout") or 1) if q.split.startswith(
        "heldout") else 0)
    todo = list(dict.fromkeys((q.tenant, q.text) for q in ordered if (q.tenant, q.text) not in cache))
    if not todo:
        return cache
    path.parent.mkdir(parents=True, exist_ok=True)
    t0 = time.perf_counter()
    with _database():
        principals = setup_tenants()
        print(f"tenants ready in {time.perf_counter() - t0:.0f} s; {len(todo)} questions to search", flush=True)
        for n, (tenant, text) in enumerate(todo, 1):
            principal = principals[tenant]
            doc_hits, doc_score = search_documents(principal, text)
            kb_score, kb_hits = doc_routing.knowledge_hits(text)
            sentences = doc_routing.sentence_scores(text, doc_hits, kb_hits)
            cache[(tenant, text)] = {"doc_hits": doc_hits, "doc": doc_score, "kb": kb_score, "sentences": sentences,
                                     "slug": principal.tenant_slug}
            if n % 250 == 0:
                path.write_bytes(pickle.dumps(cache))
                print(f"  {n}/{len(todo)} in {time.perf_counter() - t0:.0f} s", flush=True)
    path.write_bytes(pickle.dumps(cache))
    return cache


def replay(questions: list[Question], cache: dict[tuple[str, str], dict[str, Any]]) -> list[tuple[str, str]]:
    """(route, reason) of every question by the current routing code over the cached inputs (as agents.graph's
    route node decides a first-turn question with no tool-calling model)."""
    from agents import doc_routing
    from agents.extractive import held_names
    from agents.router import get_router

    decisions = get_router().route_many([q.text for q in questions])
    out = []
    for q, first in zip(questions, decisions, strict=True):
        c = cache[(q.tenant, q.text)]
        hits = c["doc_hits"]
        names = doc_routing.name_words(c["slug"]) | held_names(q.text, hits)
        best = [h["text"] for h in hits[:4]]
        signal = doc_routing.cues(q.text, c["doc"], c["kb"], names, doc_routing.tenant_words(q.text, best),
                                  doc_routing.passages_words(best))
        if doc_routing.wants_sentences(first.route, c["doc"], c["kb"]):
            signal = doc_routing.with_sentences(signal, c["sentences"])
        decision = doc_routing.revise(first, signal)
        out.append((decision.route, decision.reason or "semantic router"))
    return out


def confusion(questions: list[Question], routes: list[tuple[str, str]]) -> None:
    """Route confusion per bench and kind (rows: expected route; columns: the route given), then per set."""
    groups: dict[tuple[str, str, str], Counter[str]] = defaultdict(Counter)
    per_set: dict[tuple[str, str], list[int]] = defaultdict(lambda: [0, 0])
    for q, (route, _) in zip(questions, routes, strict=True):
        groups[(q.bench, q.kind, q.expected)][route] += 1
        per_set[(q.bench, q.split)][0] += route == q.expected
        per_set[(q.bench, q.split)][1] += 1
    cols = ("docs", "industry", "sql", "smalltalk", "clarify")
    print(f"\n{'bench':<15} {'kind':<12} {'expected':<10} {'n':>5} {'right':>6}  " + " ".join(f"{c:>9}" for c in cols))
    total = [0, 0]
    for (bench, kind, expected), counts in sorted(groups.items()):
        n = sum(counts.values())
        total[0] += counts[expected]
        total[1] += n
        print(f"{bench:<15} {kind:<12} {expected:<10} {n:>5} {counts[expected]:>6}  "
              + " ".join(f"{counts[c]:>9}" for c in cols))
    print(f"{'all':<15} {'':<12} {'':<10} {total[1]:>5} {total[0]:>6}")
    print("\nper set (right / n):")
    for bench in ("docs", "industry", "industry@other"):
        row = [f"{s}={r}/{n}" for (b, s), (r, n) in per_set.items() if b == bench]
        print(f"  {bench}: " + ", ".join(row))


def main(args: list[str]) -> None:
    opts = {a: (args[i + 1] if i + 1 < len(args) and not args[i + 1].startswith("--") else "")
            for i, a in enumerate(args) if a.startswith("--")}
    unknown = set(opts) - {"--rebuild", "--cache", "--misses", "--json", "--diff", "--cached-only"}
    if unknown:
        raise SystemExit(f"unknown option(s) {', '.join(sorted(unknown))}; see the module docstring")
    path = Path(opts.get("--cache") or DEFAULT_CACHE)
    if "--rebuild" in opts and path.is_file():
        path.unlink()
    questions = dev_questions()
    if "--cached-only" in opts:  # replay what an unfinished (or running) build has cached so far
        cache = pickle.loads(path.read_bytes()) if path.is_file() else {}
        questions = [q for q in questions if (q.tenant, q.text) in cache]
    else:
        cache = build_cache(questions, path)
    t0 = time.perf_counter()
    routes = replay(questions, cache)
    print(f"{len(questions)} questions replayed in {time.perf_counter() - t0:.0f} s")
    confusion(questions, routes)
    if "--misses" in opts:
        print("\nmisses:")
        for q, (route, reason) in zip(questions, routes, strict=True):
            if route != q.expected:
                print(f"- [{q.bench} {q.split} {q.kind} {q.tenant}] {q.text!r}: {route} (expected {q.expected}; "
                      f"{reason})")
    rows = [{"bench": q.bench, "split": q.split, "kind": q.kind, "tenant": q.tenant, "q": q.text,
             "expected": q.expected, "route": r, "reason": why} for q, (r, why) in zip(questions, routes, strict=True)]
    if opts.get("--json"):
        Path(opts["--json"]).write_text(json.dumps(rows, ensure_ascii=False, indent=0), encoding="utf-8")
    if opts.get("--diff"):
        old = {(r["bench"], r["tenant"], r["q"]): r["route"]
               for r in json.loads(Path(opts["--diff"]).read_text(encoding="utf-8"))}
        print("\nmoved (old -> new):")
        for r in rows:
            before = old.get((r["bench"], r["tenant"], r["q"]))
            if before is not None and before != r["route"]:
                mark = "+" if r["route"] == r["expected"] else ("-" if before == r["expected"] else " ")
                print(f"{mark} [{r['bench']} {r['split']} {r['kind']} {r['tenant']}] {r['q']!r}: {before} -> "
                      f"{r['route']} ({r['reason']})")


if __name__ == "__main__":
    main(sys.argv[1:])
