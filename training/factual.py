"""Factual correctness of an answer to an optical question: does it state the key facts a right answer must state,
and does it state any of the false claims it must not make. Used by the evaluation gate (training/evaluate.py) and
by the answer bench (bench/answers_industry.py). ROUGE and perplexity do not measure this.

Matching is lexical and explainable (no model): texts are cut into sentences and clauses, words are reduced to
light stems without stopwords, and
- a key fact is stated when one sentence, or two neighbouring sentences, contain at least `FACT_COVER` of the fact's
  content stems and every number in it (a negated fact, "no lens is scratch proof", needs a negated sentence);
- a false claim is stated when one clause (parenthesized asides removed; split at ; and :, and again at commas
  with neighbouring parts rejoined) contains the claim's content stems in the claim's order (all of them for
  claims of up to 4 stems, at least `CLAIM_COVER` for longer ones), contains every polarity word of the claim
  (more/less, higher/lower, left/right, minus/plus, near/far, always/never, ...), and agrees with it in negation
  ("X does not lower Y" does not state "X lowers Y").
A case is right when every key fact is stated and no false claim is.

The check set is `training/data/factual_check.jsonl` (id, topic, question, key_facts, false_claims; `expect:
"refuse"` marks questions the industry knowledge does not cover), written in other words than the Q&A files.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from pathlib import Path

CHECK_FILE = Path(__file__).parent / "data" / "factual_check.jsonl"
FACT_COVER = 0.66  # two of three content words
CLAIM_COVER = 0.8
POLARITY = frozenset("""
more less fewer higher lower increase increases decrease decreases reduce reduces raise raises left right minus plus
near far close distant always never only all thicker thinner heavier lighter safe safer harmless cure cures permanent
permanently worse better before behind front shorter longer
""".split())

_WORD = re.compile(r"[a-z0-9]+(?:[.'][a-z0-9]+)*")
_NEG = re.compile(r"\b(not|no|never|none|cannot|without|nor)\b|n't\b", re.I)
_SENT = re.compile(r"(?<=[.!?])\s+|\n+")
_STOP = frozenset("""
a about after also an and any are as at be been being but by can could did do does each for from had has have
how i if in into is it its just may might most much my of on or our so some such than that the their them then
there these they this those to too very was we were what when where which while who why will with would you your
usually often generally typically called mean means like
""".split())
_SUFFIXES = ("ational", "ization", "ations", "ation", "ments", "ment", "ness", "ings", "ing", "ies", "ied", "ers",
             "er", "ed", "es", "ly", "s")


def _stem(word: str) -> str:
    if word.isdigit() or len(word) <= 3:
        return word
    for suffix in _SUFFIXES:
        if word.endswith(suffix) and len(word) - len(suffix) >= 3:
            return word[: -len(suffix)]
    return word


def stem_list(text: str) -> list[str]:
    """Content stems of a text, in order."""
    text = text.lower().replace("’", "'").replace("-", " ")
    return [_stem(w) for w in _WORD.findall(text) if w not in _STOP and not _NEG.fullmatch(w)]


def stems(text: str) -> set[str]:
    return set(stem_list(text))


def _lcs(a: list[str], b: list[str]) -> int:
    """Length of the longest common subsequence (claim stems found in the claim's order)."""
    prev = [0] * (len(b) + 1)
    for x in a:
        cur = [0]
        for j, y in enumerate(b):
            cur.append(prev[j] + 1 if x == y else max(prev[j + 1], cur[j]))
        prev = cur
    return prev[-1]


def _clauses(sentence: str) -> list[str]:
    flat = re.sub(r"\([^)]*\)", " ", sentence)
    out: list[str] = []
    for part in re.split(r"[;:]", flat):
        pieces = [p for p in re.split(r",\s*", part) if p.strip()]
        out += [part, *pieces] + [f"{a} {b}" for a, b in zip(pieces, pieces[1:], strict=False)]
    return out


def _numbers(text: str) -> set[str]:
    return set(re.findall(r"\d+(?:\.\d+)?", text))


def _negated(text: str) -> bool:
    return bool(_NEG.search(text))


def sentences(text: str) -> list[str]:
    text = re.sub(r"^\s*>\s?", "", text, flags=re.M)  # quoted lines
    text = re.sub(r"\[\d+\]", "", text)  # citation marks
    return [s.strip() for s in _SENT.split(text) if s.strip()]


def _cover(need: set[str], have: set[str]) -> float:
    return len(need & have) / len(need) if need else 1.0


def fact_stated(answer: str, fact: str) -> bool:
    need, nums, neg = stems(fact), _numbers(fact), _negated(fact)
    sents = sentences(answer)
    windows = sents + [f"{a} {b}" for a, b in zip(sents, sents[1:], strict=False)]
    for w in windows:
        if _cover(need, stems(w)) >= FACT_COVER and nums <= _numbers(w) and (not neg or _negated(w)):
            return True
    return False


def claim_stated(answer: str, claim: str) -> bool:
    need = list(dict.fromkeys(stem_list(claim)))
    if not need:
        return False
    polar = {w for w in _WORD.findall(claim.lower()) if w in POLARITY}
    neg = _negated(claim)
    required = len(need) if len(need) <= 4 else CLAIM_COVER * len(need)
    for sent in sentences(answer):
        for clause in _clauses(sent):
            words = set(_WORD.findall(clause.lower()))
            if (_negated(clause) == neg and polar <= words
                    and _lcs(need, list(dict.fromkeys(stem_list(clause)))) >= required):
                return True
    return False


@dataclass(frozen=True)
class FactualScore:
    stated: list[str] = field(default_factory=list)
    missing: list[str] = field(default_factory=list)
    false_stated: list[str] = field(default_factory=list)

    @property
    def right(self) -> bool:
        return not self.missing and not self.false_stated


def score(answer: str, key_facts: list[str], false_claims: list[str]) -> FactualScore:
    stated = [f for f in key_facts if fact_stated(answer, f)]
    return FactualScore(stated=stated, missing=[f for f in key_facts if f not in stated],
                        false_stated=[c for c in false_claims if claim_stated(answer, c)])


@dataclass(frozen=True)
class CheckCase:
    id: str
    topic: str
    question: str
    key_facts: list[str]
    false_claims: list[str]
    expect: str = "answer"  # or "refuse": the knowledge does not cover it


def load_cases(path: Path = CHECK_FILE) -> list[CheckCase]:
    out = []
    for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if not line.strip():
            continue
        row = json.loads(line)
        try:
            out.append(CheckCase(id=str(row["id"]), topic=str(row.get("topic", "")), question=str(row["question"]),
                                 key_facts=list(row.get("key_facts") or []),
                                 false_claims=list(row.get("false_claims") or []),
                                 expect=str(row.get("expect") or "answer")))
        except KeyError as exc:
            raise ValueError(f"{path} line {n}: missing field {exc}") from exc
    return out


@dataclass(frozen=True)
class FactualReport:
    cases: int
    right: int
    false_answers: int  # answers that state at least one false claim
    misses: list[dict]

    @property
    def accuracy(self) -> float:
        return self.right / self.cases if self.cases else float("nan")


def check(answers: dict[str, str], cases: list[CheckCase]) -> FactualReport:
    """Score generated answers (by case id) on the cases that expect an answer."""
    scored = [(c, score(answers.get(c.id, ""), c.key_facts, c.false_claims)) for c in cases
              if c.expect == "answer"]
    misses = [{"id": c.id, "question": c.question, "answer": answers.get(c.id, ""), "missing": s.missing,
               "false": s.false_stated} for c, s in scored if not s.right]
    return FactualReport(cases=len(scored), right=sum(s.right for _, s in scored),
                         false_answers=sum(bool(s.false_stated) for _, s in scored), misses=misses)


__all__ = ["CHECK_FILE", "CheckCase", "FactualReport", "FactualScore", "check", "claim_stated", "fact_stated",
           "load_cases", "score", "sentences", "stems"]
