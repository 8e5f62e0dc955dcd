"""Extractive answers from retrieved passages: every sentence of the passages is scored against the question, the
answering sentence is quoted first with its citation, and when no sentence scores high enough the answer says so.

Score of a sentence = `W_SEMANTIC` * cosine(question, heading + sentence) (MiniLM) + `W_LEXICAL` * share of the
question's specific content words that the sentence contains (words only in its section heading count half;
generic words such as "policy" are left out), plus `ANSWER_TYPE_BONUS` when the
sentence holds the kind of thing the question asks for (a quantity, price, duration or count for "how much / how
long / what fee ..."; a verdict such as "not", "only", "free", "must" for a yes/no question), times a small factor for
the passage's retrieval rank. When the best sentence lacks that kind of thing and the next sentence of its passage
has it, both are quoted. The heading gives a sentence its context ("## Frames" + "Covered for 12 months ...");
the lexical share and the answer type pick the sentence that answers ("We charge a 25 fee ...", "Accidental damage
... is not covered") over a neighbour that only restates the topic.

The documents cover a question when the best sentence scores at least `MIN_ANSWER_SCORE` and either scores at least
`SURE_SCORE` or the retrieved passages contain most (`MIN_PASSAGE_COVER`) of the question's specific words: a
question about a "trial" is not answered by a passage that never mentions one.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from tools.embeddings import embed
from tools.text_match import content_stems, stem

SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[A-Z0-9\"'(])")
LIST_ITEM = re.compile(r"^\s*(\d+[.)]|[-*•])\s+")
HEADING = re.compile(r"^\s*#+\s*(.*)$")
MIN_CHARS = 25

W_SEMANTIC, W_LEXICAL = 0.55, 0.45
ANSWER_TYPE_BONUS = 0.08
RANK_DECAY = 0.03  # per retrieval rank below the first passage
MIN_ANSWER_SCORE = 0.40  # below: the documents do not cover the question (measured on bench/data/answers_docs)
SURE_SCORE = 0.50  # at or above: covered whatever the word overlap
MIN_PASSAGE_COVER = 0.67  # share of the question's specific words the retrieved passages must contain otherwise
MAX_SENTENCES = 3
SUPPORT_WITHIN = 0.12  # further sentences are quoted only when they score within this of the best one

ASKS_QUANTITY = re.compile(
    r"\b(how (much|many|long|far|often|soon|quickly|fast|old|late|early)|what (is |are |'s )?(the )?"
    r"(fee|cost|price|charge|excess|deadline|window|notice|limit|age|amount|rate|discount)|fees?|costs?|"
    r"price|charged?|excess|when|what time|which days?|per (month|year|week)|until)\b", re.I)
HAS_QUANTITY = re.compile(
    r"[$£€]\s?\d|\d|\b(one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|once|twice|half|free|"
    r"no charge|no cost|at no|days?|weeks?|months?|years?|hours?|minutes?)\b",
    re.I)
ASKS_VERDICT = re.compile(r"^\s*(is|are|can|could|do|does|did|will|would|may|might|should|am|was|were|has|have|"
                          r"must)\b", re.I)
HAS_VERDICT = re.compile(r"\b(not|no|never|only|free|must|allowed|covered|included|excluded|cannot|n't|may|"
                         r"always|unless|except)\b", re.I)
GENERIC_WORDS = frozenset(stem(w) for w in (
    "policy", "policies", "rule", "rules", "procedure", "procedures", "process", "guideline", "guidelines",
    "document", "documents", "handbook", "company", "our", "allowed", "happens", "need", "needs", "give", "get"))


@dataclass(frozen=True)
class ScoredSentence:
    text: str
    source: int  # index into the sources
    position: int  # order of the sentence within all the sources' sentences
    heading: str
    score: float
    semantic: float
    lexical: float
    typed: bool = False  # holds the kind of thing the question asks for


@dataclass(frozen=True)
class ExtractiveAnswer:
    text: str
    covered: bool
    sentences: list[ScoredSentence]  # the quoted ones, best first
    best_score: float


def split_sentences(text: str) -> list[tuple[str, str]]:
    """(section heading, sentence) pairs of a passage: wrapped lines joined, list items kept as their own sentence."""
    out: list[tuple[str, str]] = []
    heading = ""
    for block in re.split(r"\n\s*\n", text):
        items: list[str] = []
        for line in block.splitlines():
            if not line.strip():
                continue
            m = HEADING.match(line)
            if m:
                heading = m.group(1).strip().replace("**", "")
                continue
            if LIST_ITEM.match(line) or not items:
                items.append(LIST_ITEM.sub("", line).strip())
            else:
                items[-1] += " " + line.strip()
        for item in items:
            out.extend((heading, s.replace("**", "").strip()) for s in SENTENCE_END.split(item))
    return [(h, s) for h, s in out if len(s) >= MIN_CHARS]


def score_sentences(question: str, sources: list[dict[str, Any]]) -> list[ScoredSentence]:
    """Every sentence of the sources, scored against the question, best first."""
    candidates: list[tuple[int, str, str]] = []
    for i, source in enumerate(sources):
        candidates.extend((i, h, s) for h, s in split_sentences(str(source.get("text") or "")))
    if not candidates:
        return []
    vectors = embed([question] + [f"{h}: {s}" if h else s for _, h, s in candidates])
    semantic = vectors[1:] @ vectors[0]
    keys = (content_stems(question) - GENERIC_WORDS) or content_stems(question)
    wants_quantity = bool(ASKS_QUANTITY.search(question))
    wants_verdict = bool(ASKS_VERDICT.search(question))
    out = []
    for (i, h, s), sim in zip(candidates, semantic, strict=True):
        own, ctx = content_stems(s), content_stems(h)
        # words of the section heading count half: a heading names a topic, the sentence says something about it
        lex = (len(keys & own) + 0.5 * len((keys & ctx) - own)) / len(keys) if keys else 0.0
        typed = ((wants_quantity and HAS_QUANTITY.search(s)) or (wants_verdict and HAS_VERDICT.search(s)))
        score = (W_SEMANTIC * float(sim) + W_LEXICAL * lex + (ANSWER_TYPE_BONUS if typed else 0.0)) * (
            1.0 - RANK_DECAY * i)
        out.append(ScoredSentence(s, i, len(out), h, round(score, 4), round(float(sim), 4), round(lex, 4),
                                  bool(typed)))
    out.sort(key=lambda x: -x.score)
    return out


def passage_cover(question: str, sources: list[dict[str, Any]]) -> float:
    """Share of the question's specific content words (generic ones like "policy" left out) in the passages."""
    keys = content_stems(question) - GENERIC_WORDS
    if not keys:
        return 1.0
    found = set().union(*(content_stems(str(s.get("text") or "") + " " + str(s.get("title") or ""))
                          for s in sources)) if sources else set()
    return len(keys & found) / len(keys)


def covers(question: str, sources: list[dict[str, Any]], scored: list[ScoredSentence],
           min_score: float = MIN_ANSWER_SCORE) -> bool:
    """Whether the passages answer the question (see the module docstring)."""
    if not scored or scored[0].score < min_score:
        return False
    return scored[0].score >= SURE_SCORE or passage_cover(question, sources) >= MIN_PASSAGE_COVER


def pick(scored: list[ScoredSentence], min_score: float = MIN_ANSWER_SCORE) -> list[ScoredSentence]:
    """The answering sentence and up to two close supporting ones (best first); empty when none is good enough."""
    if not scored or scored[0].score < min_score:
        return []
    best = scored[0]
    chosen = [best]
    if not best.typed:
        # The best sentence names the topic but not what was asked (a price, a duration, a verdict): the next
        # sentence of the same passage often does ("The plan covers ...". "Members pay 14 to 32 a month.").
        follower = next((s for s in scored if s.position == best.position + 1 and s.source == best.source), None)
        if follower is not None and follower.typed:
            chosen.append(follower)
    for s in scored[1:]:
        if len(chosen) >= MAX_SENTENCES:
            break
        if s.score >= max(min_score, best.score - SUPPORT_WITHIN) and s.text not in {c.text for c in chosen}:
            chosen.append(s)
    return chosen


def not_covered_text(searched: list[str]) -> str:
    names = ", ".join(f"\u201c{t}\u201d" for t in searched[:12])
    more = f" and {len(searched) - 12} more" if len(searched) > 12 else ""
    if not searched:
        return "Your company has no documents to search yet, so I can't answer that from your documents."
    return (f"Your documents don't seem to cover that. I searched {len(searched)} document(s): {names}{more}. "
            "No passage in them answers the question closely enough to quote.")


def extractive_answer(question: str, sources: list[dict[str, Any]], searched: list[str] | None = None,
                      *, min_score: float = MIN_ANSWER_SCORE) -> ExtractiveAnswer:
    """Quote the answering sentence first, then close supporting ones, each with its passage number; never
    paraphrase. When no sentence clears `min_score`, say the documents do not cover it and name what was searched."""
    scored = score_sentences(question, sources)
    chosen = pick(scored, min_score) if covers(question, sources, scored, min_score) else []
    best = scored[0].score if scored else 0.0
    if not chosen:
        titles = searched if searched is not None else list(dict.fromkeys(str(s.get("title")) for s in sources))
        return ExtractiveAnswer(not_covered_text(titles), False, [], best)
    lines = [f"> {s.text} [{s.source + 1}]" for s in chosen]
    return ExtractiveAnswer("From your documents:\n\n" + "\n>\n".join(lines), True, chosen, best)


def best_sentence_score(question: str, sources: list[dict[str, Any]]) -> float:
    """How well the best sentence of the sources answers the question (0 when there is none; capped at
    MIN_ANSWER_SCORE - 0.01 when the passages miss most of the question's specific words)."""
    scored = score_sentences(question, sources)
    if not scored:
        return 0.0
    if not covers(question, sources, scored):
        return min(scored[0].score, MIN_ANSWER_SCORE - 0.01)
    return scored[0].score


__all__ = ["ExtractiveAnswer", "MIN_ANSWER_SCORE", "ScoredSentence", "best_sentence_score", "covers",
           "extractive_answer", "not_covered_text", "passage_cover", "pick", "score_sentences", "split_sentences"]
