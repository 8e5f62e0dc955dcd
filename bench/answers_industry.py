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
shape `heldout2:<topic>`; and the third (heldout3.jsonl: everyday customer and junior-staff questions written later
still in the same way), shape `heldout3:<topic>`; and the fourth (heldout4.jsonl: everyday customer and junior-staff
questions written later again in the same way, reworded where the overlap check found them too close to a knowledge-base
or earlier held-out question), shape `heldout4:<topic>`; and the fifth (heldout5.jsonl: everyday customer, junior-staff
and store-manager questions written later again in the same way, questions too close to a knowledge-base or earlier
held-out question dropped), shape `heldout5:<topic>`; and the sixth (heldout6.jsonl: everyday customer, junior-staff
and store-manager questions written later again in the same way, questions too close to a knowledge-base or earlier
held-out question dropped), shape `heldout6:<topic>`; and the seventh (heldout7.jsonl: everyday customer, patient,
parent and junior-staff questions written later again in the same way, questions too close to a knowledge-base or
earlier held-out question dropped), shape `heldout7:<topic>`; and the eighth (heldout8.jsonl: everyday customer,
patient, parent and staff questions written later again in the same way, over a wider spread of topics incl. dry eye and
low vision; drafts at >= 0.93 MiniLM cosine to a knowledge-base or earlier held-out question dropped), shape
`heldout8:<topic>`; and the ninth (heldout9.jsonl: everyday customer, patient, parent and staff questions over 27
topics, written without opening the industry answer code; drafts at >= 0.93 MiniLM cosine or >= 0.8 word overlap to a
knowledge-base or earlier held-out question, or rewording one, dropped), shape `heldout9:<topic>`; and the tenth
(heldout10.jsonl: everyday customer, patient, parent, athlete and shop-staff questions over 17 topics, written without
opening the industry answer code; drafts at >= 0.93 MiniLM cosine or >= 0.8 word overlap to a knowledge-base, earlier
held-out or factual-check question, or rewording one, dropped; every key fact stated together by one knowledge-base
answer), shape `heldout10:<topic>`; and the eleventh (heldout11.jsonl: everyday customer, patient, parent,
older-patient, athlete and shop-staff questions over 17 topics, written the same way; drafts at >= 0.93 MiniLM cosine
or >= 0.8 word overlap to a knowledge-base, earlier held-out or factual-check question, or rewording one, dropped or
reworded; every key fact stated together by one knowledge-base answer, no false claim made by any), shape
`heldout11:<topic>`; and the twelfth (heldout12.jsonl: 131 everyday customer, patient, parent, older-patient, athlete
and shop-staff questions over 17 topics, written the same way by a helper that did not open the industry answer code;
drafts at >= 0.93 MiniLM cosine or >= 0.8 word overlap to a knowledge-base (incl. optical_qa.jsonl), earlier held-out or
factual-check question, or rewording one (cos >= 0.86 and overlap >= 0.5), dropped or replaced; every key fact stated
together by one knowledge-base answer, no false claim made by any, key-fact alternatives checked for matches inside
longer words of the knowledge-base answers), shape `heldout12:<topic>`; and the thirteenth (heldout13.jsonl: everyday
customer, patient, parent, older-patient, athlete and shop-staff questions over 17 topics, with more on lens care,
screens and children, driving at night, sport and safety eyewear, ageing eyes, dry eye, allergies, first aid, lab terms
and frame fitting; written the same way by a helper that did not open the industry answer code, under the same checks as
the twelfth), shape `heldout13:<topic>`; and the fourteenth (heldout14.jsonl: 139 everyday questions over 17 topics,
among them questions asked in the first person about one's own eyes or glasses ("my eyes ...", "I've got ...") and
general optical questions asked by a shop's staff in "we" wording ("do we have to ...", "should we tell customers ..."),
which must not be mistaken for questions about the tenant's documents; written the same way by a helper that did not
open the industry answer code, under the same checks as the twelfth, false claims worded so that a debunking answer
cannot match them), shape `heldout14:<topic>`; and the fifteenth (heldout15.jsonl: 144 everyday questions over 17 topics
from an outside tester's angle: first-person questions and long stories about one's own eyes, glasses and lenses, typos
and shorthand, and shop staff's general trade questions in "we" wording, over lenses and materials, coatings, contact
lens care, frames and fitting, children, ageing eyes, urgent symptoms, screens, driving, sport and safety eyewear,
sunglasses and UV, dispensing terms, prescriptions, dry eye and first aid; written the same way by a helper that did not
open the industry answer code, under the same checks as the fourteenth), shape `heldout15:<topic>`; and the sixteenth
(heldout16.jsonl: 143 everyday questions over 17 topics from an outside tester's angle again: first-person questions and
long stories, typos and shorthand, and 16 shop-staff questions about the trade in "we" wording, over contact lens care,
coatings, lens materials and types, frames and fitting, children and myopia control, ageing eyes, urgent symptoms and
first aid, dry eye, screens, driving, sport, safety and sun eyewear, dispensing, prescriptions, standards and lab work;
written the same way by a helper that did not open the industry answer code, under the same checks as the fourteenth),
shape `heldout16:<topic>`; and the seventeenth (heldout17.jsonl: 150 everyday questions over 17 topics from an outside
tester's angle again: first-person questions and long stories, typos and shorthand, and 17 shop-staff questions about
the trade in "we" wording, over contact lens care, coatings, lens materials and types, frames and fitting, children and
myopia control, ageing eyes and low vision, urgent symptoms, first aid, dry eye, screens, driving, sport, safety and sun
eyewear, dispensing, prescriptions, standards, lab work and optics; written the same way by a helper that did not open
the industry answer code, under the same checks as the fourteenth), shape `heldout17:<topic>`; and the eighteenth
(heldout18.jsonl: 142 everyday questions over 17 topics from an outside tester's angle again: first-person questions and
long stories, typos and shorthand, and 14 shop-staff questions about the trade in "we" wording, over contact lens care,
coatings, lens materials and types, frames and fitting, children and myopia control, ageing eyes and low vision, eye
conditions and urgent symptoms, first aid, dry eye, screens, driving, sport, safety and sun eyewear, dispensing,
prescriptions, standards, lab work and optics; written the same way by a helper that did not open the industry answer
code, under the same checks as the fourteenth, with closeness also checked against every knowledge-base paraphrase),
shape `heldout18:<topic>`; and the nineteenth (heldout19.jsonl: 138 everyday questions over 17 topics from an outside
tester's angle again: first-person questions and long stories, typos and shorthand, parents' questions, and 15
shop-staff questions about the trade in "we" wording, over contact lens care, coatings, lens materials and types, frames
and fitting, children and myopia control, ageing eyes and low vision, eye conditions and urgent symptoms, first aid, dry
eye, screens, driving, sport, safety and sun eyewear, dispensing, prescriptions, standards, lab work and optics; written
the same way by a helper that did not open the industry answer code, under the same checks as the eighteenth, key facts
written for the question and never widened to a knowledge-base answer's wording, questions no knowledge-base answer
supports dropped), shape `heldout19:<topic>`; and the twentieth (heldout20.jsonl: 140 everyday questions over 17 topics
from an outside tester's angle again: first-person questions and long stories, typos and shorthand, parents' questions,
and shop-staff questions about the trade in "we" wording, over contact lens care, coatings, lens materials and types,
frames and fitting, dispensing terms, prescriptions, children and myopia control, ageing eyes and low vision, eye
conditions and urgent symptoms, first aid, dry eye, screens, driving, sport, safety and sun eyewear, standards, lab
work and optics; written the same way by a helper that did not open the industry answer code, under the same checks as
the nineteenth), shape `heldout20:<topic>`; and the twenty-first to twenty-third (heldout21.jsonl,
heldout22.jsonl, heldout23.jsonl: 142, 141 and 139 everyday questions over 17 topics each, written the same way as
the twentieth by helpers that did not open the industry answer code, under the same checks as the nineteenth),
shapes `heldout21:<topic>` to `heldout23:<topic>`; and the twenty-fourth (heldout24.jsonl: 140 everyday questions over
the same 17 topics, written the same way by a helper that did not open the industry answer code, under the same
checks), shape `heldout24:<topic>`; and the twenty-fifth (heldout25.jsonl: 140 everyday questions over the same 17
topics, written the same way by a helper that did not open the industry answer code, under the same checks), shape
`heldout25:<topic>`; and the twenty-sixth (heldout26.jsonl: 140 everyday questions over the same 17 topics, written the
same way by a helper that did not open the industry answer code, under the same checks), shape `heldout26:<topic>`; and
the twenty-seventh (heldout27.jsonl: 140 everyday questions over the same 17 topics, written the same way by a helper
that opened neither the industry answer code nor the knowledge base, under the same checks), shape
`heldout27:<topic>`. `HELDOUT_SETS` names them; each is reported in its own section.

    python -m bench.answers_industry [--no-heldout] [--heldout] [--heldout2] [--heldout3] [--heldout4] [--heldout5]
                                     [--heldout6] [--heldout7] [--heldout8] [--heldout9] [--heldout10] [--heldout11]
                                     [--heldout12] [--heldout13] [--heldout14] [--heldout15] [--heldout16]
                                     [--heldout17] [--heldout18] [--heldout19] [--heldout20] [--heldout21]
                                     [--heldout22] [--heldout23] [--heldout24] [--heldout25] [--heldout26]
                                     [--heldout27] (also run by `python -m bench answers`)

With no flag: the factual check set and every held-out set. `--no-heldout` skips the held-out sets; `--heldout`,
`--heldout2`, `--heldout3`, `--heldout4`, `--heldout5`, `--heldout6`, `--heldout7`, `--heldout8`, `--heldout9`,
`--heldout10`, `--heldout11`, `--heldout12`, `--heldout13`, `--heldout14`, `--heldout15`, `--heldout16`, `--heldout17`,
`--heldout18`, `--heldout19`, `--heldout20`, `--heldout21`, `--heldout22`, `--heldout23`, `--heldout24`, `--heldout25`,
`--heldout26`, `--heldout27` (any of them, together or alone) run only the named held-out sets.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from bench.answers_docs import CaseResult, _ask, report, setup_tenants
from bench.common import bench_database

REFUSED = ("won't guess", "does not cover", "doesn't cover")
TENANT = "harbor"
# held-out set (file stem in training/data/industry_qa_eval/) -> (report title, summary prefix)
HELDOUT_SETS = {"heldout": ("knowledge-base held-out set", "held-out "),
                "heldout2": ("second held-out set", "held-out 2 "),
                "heldout3": ("third held-out set", "held-out 3 "),
                "heldout4": ("fourth held-out set", "held-out 4 "),
                "heldout5": ("fifth held-out set", "held-out 5 "),
                "heldout6": ("sixth held-out set", "held-out 6 "),
                "heldout7": ("seventh held-out set", "held-out 7 "),
                "heldout8": ("eighth held-out set", "held-out 8 "),
                "heldout9": ("ninth held-out set", "held-out 9 "),
                "heldout10": ("tenth held-out set", "held-out 10 "),
                "heldout11": ("eleventh held-out set", "held-out 11 "),
                "heldout12": ("twelfth held-out set", "held-out 12 "),
                "heldout13": ("thirteenth held-out set", "held-out 13 "),
                "heldout14": ("fourteenth held-out set", "held-out 14 "),
                "heldout15": ("fifteenth held-out set", "held-out 15 "),
                "heldout16": ("sixteenth held-out set", "held-out 16 "),
                "heldout17": ("seventeenth held-out set", "held-out 17 "),
                "heldout18": ("eighteenth held-out set", "held-out 18 "),
                "heldout19": ("nineteenth held-out set", "held-out 19 "),
                "heldout20": ("twentieth held-out set", "held-out 20 "),
                "heldout21": ("twenty-first held-out set", "held-out 21 "),
                "heldout22": ("twenty-second held-out set", "held-out 22 "),
                "heldout23": ("twenty-third held-out set", "held-out 23 "),
                "heldout24": ("twenty-fourth held-out set", "held-out 24 "),
                "heldout25": ("twenty-fifth held-out set", "held-out 25 "),
                "heldout26": ("twenty-sixth held-out set", "held-out 26 "),
                "heldout27": ("twenty-seventh held-out set", "held-out 27 ")}


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
    """A held-out set (`name`: a key of `HELDOUT_SETS`, the file of that name in industry_qa_eval/) through the
    agent, scored with its keyword labels."""
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


USAGE = ("usage: python -m bench.answers_industry [--no-heldout | --" + " | --".join(HELDOUT_SETS) + " ...]\n"
         "  no flag: the factual check set and every held-out set; --no-heldout: the factual set only;\n"
         "  --heldoutN: only the named held-out set(s)")


def main(args: list[str]) -> None:
    known = {"--no-heldout", *(f"--{name}" for name in HELDOUT_SETS)}
    unknown = [a for a in args if a not in known]
    if unknown:  # "--help" or a typo never runs every set (tens of minutes)
        print(USAGE if {"-h", "--help"} & set(unknown) else f"unknown argument(s): {' '.join(unknown)}\n{USAGE}",
              file=sys.stderr)
        raise SystemExit(0 if {"-h", "--help"} >= set(unknown) else 2)
    only = [name for name in HELDOUT_SETS if f"--{name}" in args]
    held = [] if "--no-heldout" in args else (only or list(HELDOUT_SETS))
    with bench_database("sightline_bench_answers_industry"):
        principals = setup_tenants()
        results = [] if only else run(principals)
        heldout = {name: run_heldout(principals, name) for name in held}
    if results:
        report(results, "Answer accuracy: industry route, factual correctness (training/data/factual_check.jsonl)")
        print("\n" + summary(results))
    for name, items in heldout.items():
        if items:
            title, prefix = HELDOUT_SETS[name]
            report(items, f"Answer accuracy: industry route, {title} (training/data/industry_qa_eval/{name}.jsonl)")
            print(f"\n{prefix}" + summary(items))


if __name__ == "__main__":
    main(sys.argv[1:])
