"""Answer-accuracy bench, docs route: two tenants made from their own policy documents (bench/data/answers_docs/,
not the demo's), questions worded the way different people ask, each run through the whole agent
(`agents.answer_sync`: routing with the document signal, retrieval, sentence scoring, guard).

A covered case is right when it is routed to docs and the answer contains every `must` phrase (the fact that
answers it), refused when the answer says the documents do not cover it (or the router asks to clarify), wrong
otherwise; a not-covered case is right when it is routed to docs and the answer says the documents do not cover
it. Route cases (route_cases.jsonl) check that sql / industry / smalltalk questions of the same tenants are not
pulled to docs. Prints accuracy per kind and lists every miss.

    python -m bench answers_docs          (or through `python -m bench answers` when that bench includes it)
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from bench.common import bench_database, print_table

DATA = Path(__file__).resolve().parent / "data" / "answers_docs"
TENANTS = {"harbor": "Harbor Vision Opticians", "peak": "Peak Eyecare"}
NOT_COVERED = ("don't seem to cover", "no documents to search")


@dataclass
class CaseResult:
    """One bench question: `outcome` is right, wrong or refused (a refusal or clarification is not counted wrong)."""

    route: str  # the route the case is about (docs, industry, ...)
    shape: str  # the kind of case (covered, not_covered, route, fact, ...)
    id: str
    question: str
    outcome: str
    got_route: str | None
    detail: str = ""
    answer: str = ""
    seconds: float = 0.0
    extra: dict[str, Any] = field(default_factory=dict)


def load(name: str) -> list[dict[str, Any]]:
    return [json.loads(line) for line in (DATA / name).read_text(encoding="utf-8").splitlines() if line.strip()]


def setup_tenants() -> dict[str, Any]:
    """Create the bench tenants (idempotent), one user each, and ingest their documents; principals by slug."""
    from db import registry
    from tools.ingest import add_documents

    principals = {}
    for slug, name in TENANTS.items():
        registry.ensure_tenant(f"bench-{slug}", name)
        email = f"manager@{slug}-bench.example"
        registry.add_user(email, f"bench-{slug}", "member")
        principal = registry.principal_for(email)
        add_documents(principal.tenant_id, sorted((DATA / slug).iterdir()))
        principals[slug] = principal
    return principals


def _ask(principal: Any, question: str) -> tuple[dict[str, Any], float]:
    from agents import answer_sync

    t0 = time.perf_counter()
    out = answer_sync(principal, question)
    return out, time.perf_counter() - t0


def run(principals: dict[str, Any] | None = None, progress: Callable[[str], None] | None = None) -> list[CaseResult]:
    """Run every docs and route case; principals default to freshly set-up bench tenants."""
    principals = principals or setup_tenants()
    results: list[CaseResult] = []
    for case in load("cases.jsonl"):
        out, secs = _ask(principals[case["tenant"]], case["question"])
        answer, route = out.get("answer") or "", out.get("route")
        said_not_covered = any(p in answer for p in NOT_COVERED)
        if case["expect"] == "not_covered":
            ok = route == "docs" and said_not_covered
            detail = "" if ok else f"expected 'not covered' on docs; got route {route}"
        else:
            missing = [m for m in case.get("must", []) if m.lower() not in answer.lower()]
            ok = route == "docs" and not missing and not said_not_covered
            detail = "" if ok else (f"route {route}" if route != "docs" else
                                    ("said not covered" if said_not_covered else f"missing {missing}"))
        refused = route == "clarify" or (case["expect"] == "answer" and route == "docs" and said_not_covered)
        outcome = "right" if ok else ("refused" if refused else "wrong")
        results.append(CaseResult("docs", case["expect"], case["id"], case["question"], outcome, route, detail,
                                  answer, secs, {"route_reason": out.get("route_reason")}))
        if progress:
            progress(f"{case['id']}: {outcome}")
    for case in load("route_cases.jsonl"):
        out, secs = _ask(principals[case["tenant"]], case["question"])
        ok = out.get("route") == case["route"]
        results.append(CaseResult(case["route"], "route", case["id"], case["question"], "right" if ok else "wrong",
                                  out.get("route"), "" if ok else f"expected {case['route']}",
                                  out.get("answer") or "", secs, {"route_reason": out.get("route_reason")}))
    return results


def report(results: list[CaseResult], title: str) -> None:
    """Accuracy per (route, shape), then every miss."""
    groups: dict[tuple[str, str], list[CaseResult]] = {}
    for r in results:
        groups.setdefault((r.route, r.shape), []).append(r)
    rows = []
    for (route, shape), items in sorted(groups.items()):
        right = sum(r.outcome == "right" for r in items)
        refused = sum(r.outcome == "refused" for r in items)
        rows.append([route, shape, str(len(items)), str(right), str(refused), f"{100 * right / len(items):.1f}%",
                     f"{sum(r.seconds for r in items) / len(items):.2f}"])
    total = len(results)
    right = sum(r.outcome == "right" for r in results)
    rows.append(["all", "", str(total), str(right), str(sum(r.outcome == "refused" for r in results)),
                 f"{100 * right / max(total, 1):.1f}%", ""])
    print_table(title, ["route", "shape", "cases", "right", "refused", "accuracy", "s/case"], rows)
    misses = [r for r in results if r.outcome != "right"]
    print(f"\nmisses ({len(misses)}):")
    for r in misses:
        first = r.answer.strip().splitlines()[0][:140] if r.answer.strip() else ""
        print(f"- [{r.route}/{r.shape}] {r.id} {r.question!r}: {r.outcome}, {r.detail} "
              f"(reason: {r.extra.get('route_reason')}) -> {first!r}")


def main(args: list[str]) -> None:
    with bench_database("sightline_bench_answers_docs"):
        results = run(progress=None)
    report(results, "Answer accuracy: docs route (bench/data/answers_docs)")


if __name__ == "__main__":
    import sys

    main(sys.argv[1:])
