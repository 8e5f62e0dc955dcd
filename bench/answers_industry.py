"""Answer-accuracy bench, industry route, scored for factual correctness: the factual check set
(training/data/factual_check.jsonl: optical questions in everyday wording, each with the key facts a right answer
must state and the false claims it must not make; `expect: refuse` for questions the knowledge does not cover), each
run through the whole agent as a user of a bench tenant that has its own policy documents (so the document signal
in routing is exercised too).

An answer is right when it is routed to industry, states every key fact and no false claim (training/factual.py);
a refusal ("won't guess") or a clarifying question is reported separately; anything else is wrong. Separately
counted: answers that state a false claim (target 0). Targets: > 90 % right, 0 false.

Then the knowledge base's own held-out set (training/data/industry_qa_eval/heldout.jsonl: questions worded unlike
every knowledge-base question, never trained on or indexed, keyword-labelled key facts and false claims), scored with
its matcher (training/industry_qa.py), shape `heldout:<topic>`; and the second held-out set
(training/data/industry_qa_eval/heldout2.jsonl: everyday questions written later from general optical knowledge,
without reading the knowledge base or the answer machinery; same schema and matcher), reported in its own section,
shape `heldout2:<topic>`.

    python -m bench.answers_industry [--no-heldout] [--heldout2]   (also run by `python -m bench answers`)

`--no-heldout` skips both held-out sets; `--heldout2` runs only the second held-out set.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from bench.answers_docs import CaseResult, _ask, report, setup_tenants
from bench.common import bench_database

REFUSED = ("won't guess", "does not cover", "doesn't cover")
TENANT = "harbor"


@dataclass(frozen=True)
class _Turn:
    """One question through the agent: its raw output, time, answer text, route, the answer without its sources
    list, and whether it was a refusal (a clarifying question, or an industry answer that won't guess)."""

    out: dict[str, Any]
    secs: float
    answer: str
    route: str | None
    body: str
    refused: bool


def _turn(principal: Any, question: str) -> _Turn:
    out, secs = _ask(principal, question)
    answer, route = out.get("answer") or "", out.get("route")
    refused = route == "clarify" or (route == "industry" and any(p in answer for p in REFUSED))
    return _Turn(out, secs, answer, route, answer.split("\n\nSources:")[0], refused)


def _answer_outcome(t: _Turn, right: bool, missing: object, false: object) -> tuple[str, str]:
    """(outcome, detail) of a question the knowledge covers: refused, wrong route, or right/wrong by its score."""
    if t.refused:
        return "refused", f"route {t.route}"
    if t.route != "industry":
        return "wrong", f"route {t.route} ({t.out.get('route_reason')})"
    return ("right", "") if right else ("wrong", f"missing {missing}; false {false}")


def run(principals: dict[str, Any] | None = None, progress: Callable[[str], None] | None = None) -> list[CaseResult]:
    from training import factual

    principals = principals or setup_tenants()
    principal = principals[TENANT]
    results: list[CaseResult] = []
    for case in factual.load_cases():
        t = _turn(principal, case.question)
        s = factual.score(t.body, case.key_facts, case.false_claims)
        if case.expect == "refuse":
            outcome = "right" if t.refused else "wrong"
            sources = len(t.out.get("sources") or [])
            detail = "" if t.refused else f"answered from {sources} passage(s) on route {t.route}"
        else:
            outcome, detail = _answer_outcome(t, s.right, s.missing, s.false_stated)
        results.append(CaseResult("industry", case.topic if case.expect == "answer" else "not covered", case.id,
                                  case.question, outcome, t.route, detail, t.answer, t.secs,
                                  {"false": s.false_stated, "route_reason": t.out.get("route_reason")}))
        if progress:
            progress(f"{case.id}: {outcome}")
    return results


def run_heldout(principals: dict[str, Any] | None = None, name: str = "heldout") -> list[CaseResult]:
    """A held-out set (`name`: heldout or heldout2, the file of that name in industry_qa_eval/) through the agent,
    scored with its keyword labels."""
    try:
        from training import industry_qa
    except ImportError:
        return []
    path = industry_qa.HELDOUT_FILE.with_name(f"{name}.jsonl")
    if not path.is_file():
        return []
    principals = principals or setup_tenants()
    principal = principals[TENANT]
    results: list[CaseResult] = []
    for record in industry_qa.load_heldout(path):
        t = _turn(principal, record["question"])
        s = industry_qa.score_answer(t.body, record)
        outcome, detail = _answer_outcome(t, s.right, s.missing, s.false_made)
        results.append(CaseResult("industry", f"{name}:{record.get('topic', '')}", str(record["id"]),
                                  record["question"], outcome, t.route, detail, t.answer, t.secs,
                                  {"false": s.false_made, "route_reason": t.out.get("route_reason")}))
    return results


def summary(results: list[CaseResult]) -> str:
    answerable = [r for r in results if r.shape != "not covered"]
    right = sum(r.outcome == "right" for r in answerable)
    false = sum(bool(r.extra.get("false")) for r in results)
    return (f"industry factual accuracy: {right}/{len(answerable)} = {100 * right / max(len(answerable), 1):.1f}% "
            f"(target > 90%); answers stating a false claim: {false} (target 0)")


def main(args: list[str]) -> None:
    only2 = "--heldout2" in args
    with bench_database("sightline_bench_answers_industry"):
        principals = setup_tenants()
        results = [] if only2 else run(principals)
        heldout = [] if "--no-heldout" in args or only2 else run_heldout(principals)
        heldout2 = [] if "--no-heldout" in args else run_heldout(principals, "heldout2")
    if results:
        report(results, "Answer accuracy: industry route, factual correctness (training/data/factual_check.jsonl)")
        print("\n" + summary(results))
    if heldout:
        report(heldout, "Answer accuracy: industry route, knowledge-base held-out set "
                        "(training/data/industry_qa_eval/heldout.jsonl)")
        print("\nheld-out " + summary(heldout))
    if heldout2:
        report(heldout2, "Answer accuracy: industry route, second held-out set "
                         "(training/data/industry_qa_eval/heldout2.jsonl)")
        print("\nheld-out 2 " + summary(heldout2))


if __name__ == "__main__":
    import sys

    main(sys.argv[1:])
