"""Extractive answers for the docs route: the sentences of the retrieved passages closest to the question, quoted."""

from __future__ import annotations

import re
from typing import Any

import numpy as np

from tools.embeddings import embed

SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[A-Z0-9\"'(])")
LIST_ITEM = re.compile(r"^\s*(\d+[.)]|[-*•])\s+")
WORD = re.compile(r"[a-z]{3,}")
STOP = {"what", "our", "the", "and", "for", "how", "does", "with", "are", "was", "when", "who", "can", "you",
        "your", "which", "this", "that", "from", "about", "policy", "tell", "there", "have", "has", "any"}
MAX_SENTENCES = 3
MIN_CHARS = 30


def split_sentences(text: str) -> list[str]:
    """Sentences of a passage: headings dropped, wrapped lines joined, list items kept as their own sentence."""
    out: list[str] = []
    for block in re.split(r"\n\s*\n", text):
        lines = [ln for ln in block.splitlines() if ln.strip() and not ln.lstrip().startswith("#")]
        items: list[str] = []
        for line in lines:
            if LIST_ITEM.match(line) or not items:
                items.append(LIST_ITEM.sub("", line).strip())
            else:
                items[-1] += " " + line.strip()
        for item in items:
            out.extend(s.replace("**", "").strip() for s in SENTENCE_END.split(item))
    return [s for s in out if len(s) >= MIN_CHARS]


def _stem(word: str) -> str:
    return word[:5]


def extractive_answer(question: str, sources: list[dict[str, Any]]) -> str:
    """Quote the best sentences (with their passage numbers) from the top passages; never paraphrase."""
    candidates: list[tuple[int, str]] = []
    for i, source in enumerate(sources[:3]):
        candidates.extend((i, s) for s in split_sentences(source["text"]))
    if not candidates:
        return "The closest passage in your documents:\n\n> " + sources[0]["text"][:500].replace("\n", " ")
    vectors = embed([question] + [s for _, s in candidates])
    similarity = vectors[1:] @ vectors[0]
    keys = {_stem(w) for w in WORD.findall(question.lower()) if w not in STOP}
    overlap = np.array([len(keys & {_stem(w) for w in WORD.findall(s.lower())}) / max(len(keys), 1)
                        for _, s in candidates])
    top = max(float(sources[0].get("score") or 1.0), 1e-6)
    rank = np.array([float(sources[i].get("score") or top) / top for i, _ in candidates])  # retrieval confidence
    score = (similarity + 0.5 * overlap) * rank
    best = sorted(np.argsort(-score)[:MAX_SENTENCES])  # document order reads better
    lines = [f"> {candidates[j][1]} [{candidates[j][0] + 1}]" for j in best]
    return "From your documents:\n\n" + "\n>\n".join(lines)
