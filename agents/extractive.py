"""Extractive answers from retrieved passages: every sentence of the passages is scored against the question, the
answering sentence is quoted first with its citation, and when no sentence scores high enough the answer says so.

Score of a sentence = `W_SEMANTIC` * cosine(question, heading + sentence) (MiniLM) + `W_LEXICAL` * share of the
question's content words that the sentence (with its section heading) contains, times a small factor for the
passage's retrieval rank. The heading gives a sentence its context ("## Frames" + "Covered for 12 months ..."); the
lexical share picks the sentence that names the asked-about thing ("Accidental damage ... is not covered") over a
neighbour that only shares the topic.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from tools.embeddings import embed
from tools.text_match import content_stems

SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[A-Z0-9\"'(])")
LIST_ITEM = re.compile(r"^\s*(\d+[.)]|[-*•])\s+")
HEADING = re.compile(r"^\s*#+\s*(.*)$")
MIN_CHARS = 25

W_SEMANTIC, W_LEXICAL = 0.55, 0.45
RANK_DECAY = 0.03  # per retrieval rank below the first passage
MIN_ANSWER_SCORE = 0.42  # below: the documents do not cover the question (measured on bench/data/answers_docs)
MAX_SENTENCES = 3
SUPPORT_WITHIN = 0.12  # further sentences are quoted only when they score within this of the best one


@dataclass(frozen=True)
class ScoredSentence:
    text: str
    source: int  # index into the sources
    heading: str
    score: float
    semantic: float
    lexical: float


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
    keys = content_stems(question)
    out = []
    for (i, h, s), sim in zip(candidates, semantic, strict=True):
        lex = len(keys & content_stems(f"{h} {s}")) / len(keys) if keys else 0.0
        score = (W_SEMANTIC * float(sim) + W_LEXICAL * lex) * (1.0 - RANK_DECAY * i)
        out.append(ScoredSentence(s, i, h, round(score, 4), round(float(sim), 4), round(lex, 4)))
    out.sort(key=lambda x: -x.score)
    return out


def pick(scored: list[ScoredSentence], min_score: float = MIN_ANSWER_SCORE) -> list[ScoredSentence]:
    """The answering sentence and up to two close supporting ones (best first); empty when none is good enough."""
    if not scored or scored[0].score < min_score:
        return []
    best = scored[0]
    chosen = [best]
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
    chosen = pick(scored, min_score)
    best = scored[0].score if scored else 0.0
    if not chosen:
        titles = searched if searched is not None else list(dict.fromkeys(str(s.get("title")) for s in sources))
        return ExtractiveAnswer(not_covered_text(titles), False, [], best)
    lines = [f"> {s.text} [{s.source + 1}]" for s in chosen]
    return ExtractiveAnswer("From your documents:\n\n" + "\n>\n".join(lines), True, chosen, best)


def best_sentence_score(question: str, sources: list[dict[str, Any]]) -> float:
    """How well the best sentence of the sources answers the question (0 when there is none)."""
    scored = score_sentences(question, sources)
    return scored[0].score if scored else 0.0


__all__ = ["ExtractiveAnswer", "MIN_ANSWER_SCORE", "ScoredSentence", "best_sentence_score", "extractive_answer",
           "not_covered_text", "pick", "score_sentences", "split_sentences"]
