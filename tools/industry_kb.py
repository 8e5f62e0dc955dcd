"""Retrieval over the pooled, anonymized industry knowledge: the reviewed optical Q&A files (with their sources) and
the suppressed cross-tenant aggregates, as cited passages. The industry route answers only from what this returns.

- Q&A files: `training/data/industry_qa/*.jsonl` (id, question, answer, topic, source, key_facts, false_claims) and
  the older `training/data/optical_qa.jsonl` (prompt, completion). Reviewed text, no tenant data.
- Aggregates: the rows of `industry_aggregates` (db/industry.py: no cell from fewer than 3 chains or 11 records),
  each turned into a one-sentence passage.

`retrieve(question)` scores every passage by the cosine of the question to the passage's question and to its
question + answer (MiniLM), plus the share of the question's content words the passage covers, each word weighted by
its rarity across the knowledge base (a word that picks a passage out, "crooked", "orthokeratology", counts more than
one most passages share, "glasses", "lens"), for the question as asked and with regional optical words normalized
(varifocal -> progressive, short-sighted -> nearsighted). The best candidates are then scored once more with the
cosine of the question to the closest sentence of their answer (a question worded unlike the passage's own question
often matches the sentence that states the fact). It returns the best hits with `supported` set when the best one
clears `MIN_SCORE`. Embeddings and word frequencies of the Q&A files are computed once per process (the embeddings
cached on disk under the data dir, keyed by the files' content); answer sentences are embedded when first needed
and kept for the process; aggregates are embedded when their rows change.
"""

from __future__ import annotations

import hashlib
import json
import logging
import re
import threading
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

import numpy as np

from config import get_settings
from tools.embeddings import embed, model_name
from tools.text_match import content_stems, coverage, normalize_terms, rarity

log = logging.getLogger(__name__)

DATA_DIR = Path(__file__).resolve().parents[1] / "training" / "data"
QA_DIR = DATA_DIR / "industry_qa"
LEGACY_QA = DATA_DIR / "optical_qa.jsonl"
LEGACY_SOURCE = "Sightline optical Q&A (reviewed), training/data/optical_qa.jsonl"

# Score = 0.45 * cos(question, passage question) + 0.15 * cos(question, passage question + answer)
#       + 0.20 * cos(question, the closest sentence of the answer)
#       + 0.20 * share of the question's content words found in the passage, each weighted by its rarity.
W_QUESTION, W_FULL, W_SENTENCE, W_LEXICAL = 0.45, 0.15, 0.20, 0.20
RERANK = 8  # candidates scored with their answer sentences (the rest stand in the whole answer's cosine for them)
SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[A-Z0-9\"'(])")
MIN_SENTENCE_CHARS = 20
MIN_SCORE = 0.52  # below: nothing in the knowledge base supports an answer (measured on bench/data/answers_industry)
SECOND_WITHIN = 0.04  # a second passage is added when it scores within this of the best one ...
SECOND_MIN_COVER = 0.5  # ... and covers at least half of the question's content words


@dataclass(frozen=True)
class Passage:
    id: str
    question: str
    answer: str
    topic: str
    source: str
    kind: Literal["qa", "aggregate"] = "qa"


@dataclass(frozen=True)
class KbHit:
    passage: Passage
    score: float
    similarity: float  # max cosine of the question to the passage's question and to its question + answer
    lexical: float  # share of the question's content words the passage holds
    weighted: float = 0.0  # the same share with each word weighted by its rarity (the part of the score)


@dataclass(frozen=True)
class Retrieval:
    hits: list[KbHit]
    supported: bool
    searched: int  # passages searched

    @property
    def best(self) -> KbHit | None:
        return self.hits[0] if self.hits else None


def _qa_files() -> list[Path]:
    files = sorted(QA_DIR.glob("*.jsonl")) if QA_DIR.is_dir() else []
    return files + ([LEGACY_QA] if LEGACY_QA.is_file() else [])


def _read_file(path: Path) -> list[Passage]:
    out: list[Passage] = []
    for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if not line.strip():
            continue
        try:
            row = json.loads(line)
        except json.JSONDecodeError:
            log.warning("%s line %d: not JSON, skipped", path, n)
            continue
        question = str(row.get("question") or row.get("prompt") or "").strip()
        answer = str(row.get("answer") or row.get("completion") or "").strip()
        if not question or not answer:
            continue
        pid = str(row.get("id") or f"{path.stem}-{n}")
        source = str(row.get("source") or (LEGACY_SOURCE if path == LEGACY_QA else path.name)).strip()
        out.append(Passage(id=pid, question=question, answer=answer, topic=str(row.get("topic") or ""),
                           source=source))
    return out


def load_passages() -> list[Passage]:
    """Every Q&A passage, de-duplicated by question text (the reviewed files win over the older file)."""
    seen: set[str] = set()
    out: list[Passage] = []
    for path in _qa_files():
        for p in _read_file(path):
            key = " ".join(p.question.lower().split())
            if key not in seen:
                seen.add(key)
                out.append(p)
    return out


@dataclass
class _Index:
    passages: list[Passage]
    q_vecs: np.ndarray
    full_vecs: np.ndarray
    stems: list[set[str]]
    key: str
    doc_freq: Counter[str] = field(default_factory=Counter)  # passages holding each content stem
    sentence_vecs: dict[int, np.ndarray] = field(default_factory=dict)  # passage index -> its answer's sentences

    def __post_init__(self) -> None:
        for st in self.stems:
            self.doc_freq.update(st)

    def weights(self, stems: set[str]) -> dict[str, float]:
        """Each question stem's rarity across these passages (`tools.text_match.rarity`)."""
        return {w: rarity(self.doc_freq.get(w, 0), len(self.passages)) for w in stems}

    def sentence_similarity(self, rows: list[int], qvec: np.ndarray) -> np.ndarray:
        """The cosine of the question to the closest answer sentence of each passage in `rows` (sentences embedded
        on first use and kept with the index)."""
        missing = [i for i in rows if i not in self.sentence_vecs]
        if missing:
            parts = [_answer_sentences(self.passages[i].answer) for i in missing]
            vecs = embed([t for part in parts for t in part])
            start = 0
            with _lock:
                for i, part in zip(missing, parts, strict=True):
                    self.sentence_vecs[i] = vecs[start:start + len(part)]
                    start += len(part)
        return np.array([float(np.max(self.sentence_vecs[i] @ qvec)) for i in rows], dtype=np.float32)


def _answer_sentences(answer: str) -> list[str]:
    """The sentences of an answer (fragments shorter than `MIN_SENTENCE_CHARS` joined to the one before)."""
    out: list[str] = []
    for part in SENTENCE_END.split(answer.strip()):
        if out and len(part) < MIN_SENTENCE_CHARS:
            out[-1] = f"{out[-1]} {part}"
        elif part:
            out.append(part)
    return out or [answer]


def _embed_passages(passages: list[Passage], key: str, cache: bool) -> _Index:
    q_texts = [p.question for p in passages]
    full_texts = [f"{p.question} {p.answer}" for p in passages]
    path = get_settings().data_dir / "cache" / f"industry_kb-{key}.npz" if cache else None
    vecs: tuple[np.ndarray, np.ndarray] | None = None
    if path is not None and path.is_file():
        try:
            with np.load(path) as data:
                vecs = (data["q"], data["full"])
            if vecs[0].shape[0] != len(passages):
                vecs = None
        except (OSError, ValueError, KeyError):
            vecs = None
    if vecs is None:
        both = embed(q_texts + full_texts) if passages else np.zeros((0, 384), dtype=np.float32)
        vecs = (both[: len(passages)], both[len(passages):])
        if path is not None:
            try:
                path.parent.mkdir(parents=True, exist_ok=True)
                tmp = path.with_suffix(".tmp.npz")
                np.savez(tmp, q=vecs[0], full=vecs[1])
                tmp.replace(path)
            except OSError as exc:  # a read-only data dir only costs the cache
                log.warning("industry knowledge cache not written: %s", exc)
    return _Index(passages, vecs[0], vecs[1], [content_stems(f"{p.question} {p.answer}") for p in passages], key)


_lock = threading.Lock()
_qa_index: _Index | None = None
_agg_index: _Index | None = None


def _files_key() -> str:
    h = hashlib.sha256(model_name().encode())
    for path in _qa_files():
        h.update(path.name.encode())
        h.update(path.read_bytes())
    return h.hexdigest()[:16]


def qa_index() -> _Index:
    """The Q&A passages and their embeddings (rebuilt when a Q&A file changes)."""
    global _qa_index
    key = _files_key()
    with _lock:
        if _qa_index is None or _qa_index.key != key:
            _qa_index = _embed_passages(load_passages(), key, cache=True)
        return _qa_index


AGG_SENTENCES = {
    "avg_selling_price": "The average selling price of {bucket} in {period} was {value} {unit}.",
    "discount_rate": "The average discount on {bucket} was {value} {unit}.",
    "units_per_order_line": "An order line of {bucket} had on average {value} {unit}.",
    "revenue_share": "{Bucket} made up {value} {unit}.",
    "seasonality_index": "The {dimension} sales index for month {bucket} was {value} ({unit}).",
    "lens_type_share": "{Bucket} lenses were worn by {value} {unit}.",
    "progressive_share": "Among patients aged {bucket}, {value} {unit} wore progressive lenses.",
    "below_reorder_share": "{value} {unit} of {bucket} were below their reorder point.",
}
AGG_QUESTIONS = {
    "avg_selling_price": "What is the industry average selling price of {bucket}?",
    "discount_rate": "What is the typical industry discount on {bucket}?",
    "units_per_order_line": "How many units of {bucket} are in a typical order line?",
    "revenue_share": "What share of optical retail revenue comes from {bucket}?",
    "seasonality_index": "How seasonal are {dimension} sales in month {bucket}?",
    "lens_type_share": "What share of patients wear {bucket} lenses?",
    "progressive_share": "What share of patients aged {bucket} wear progressive lenses?",
    "below_reorder_share": "What share of {bucket} items are below their reorder point across the industry?",
}


def aggregate_passages() -> list[Passage]:
    """The suppressed aggregates as one-sentence passages (empty when the table is empty or unreachable)."""
    from db import industry

    try:
        rows = industry.read()
    except Exception as exc:  # noqa: BLE001 - the aggregates are optional context; the Q&A still answers
        log.warning("industry aggregates unavailable: %s", exc)
        return []
    out: list[Passage] = []
    for r in rows:
        fields = {"bucket": r.bucket.replace("_", " "), "Bucket": r.bucket.replace("_", " ").capitalize(),
                  "dimension": r.dimension.replace("_", " "), "period": r.period, "value": r.value, "unit": r.unit}
        sentence = AGG_SENTENCES.get(r.metric, "{bucket}: {value} {unit}.").format(**fields)
        question = AGG_QUESTIONS.get(r.metric, "{bucket} " + r.metric.replace("_", " ")).format(**fields)
        out.append(Passage(
            id=f"agg:{r.metric}:{r.dimension}:{r.bucket}:{r.period}", question=question,
            answer=f"Pooled across {r.n_tenants} chains ({r.n_records} records, anonymized): {sentence}",
            topic="industry figures", source=f"Sightline industry aggregates ({r.metric}, period {r.period})",
            kind="aggregate"))
    return out


def aggregate_index() -> _Index:
    global _agg_index
    passages = aggregate_passages()
    key = hashlib.sha256("\n".join(f"{p.id}={p.answer}" for p in passages).encode()).hexdigest()[:16]
    with _lock:
        if _agg_index is None or _agg_index.key != key:
            _agg_index = _embed_passages(passages, key, cache=False)
        return _agg_index


def _score(index: _Index, qvec: np.ndarray, weights: dict[str, float]) -> list[KbHit]:
    """The best passages of an index for one wording of the question: `weights` are its content stems' rarities."""
    if not index.passages:
        return []
    s_q = index.q_vecs @ qvec
    s_full = index.full_vecs @ qvec
    total_weight = sum(weights.values())
    lex = np.array([sum(v for w, v in weights.items() if w in st) / total_weight if total_weight else 0.0
                    for st in index.stems], dtype=np.float32)
    base = W_QUESTION * s_q + W_FULL * s_full + W_LEXICAL * lex
    rows = [int(i) for i in np.argsort(-(base + W_SENTENCE * s_full))[:RERANK]]
    total = base[rows] + W_SENTENCE * index.sentence_similarity(rows, qvec)
    order = np.argsort(-total)[:10]
    hits = []
    for j in order:
        i = rows[j]
        share = len(weights.keys() & index.stems[i]) / len(weights) if weights else 0.0
        hits.append(KbHit(index.passages[i], round(float(total[j]), 4), round(float(max(s_q[i], s_full[i])), 4),
                          round(share, 4), round(float(lex[i]), 4)))
    return hits


def retrieve(question: str, k: int = 4, *, include_aggregates: bool = True) -> Retrieval:
    """The k best passages for a question, best first; `supported` when the best clears MIN_SCORE."""
    question = (question or "").strip()
    qa = qa_index()
    agg = aggregate_index() if include_aggregates else None
    searched = len(qa.passages) + (len(agg.passages) if agg else 0)
    if not question:
        return Retrieval([], False, searched)
    variants = list(dict.fromkeys([question, normalize_terms(question)]))
    vectors = embed(variants)
    best: dict[str, KbHit] = {}
    for text, qvec in zip(variants, vectors, strict=True):
        weights = qa.weights(content_stems(text))  # rarity across the Q&A knowledge, for the aggregates too
        for hit in _score(qa, qvec, weights) + (_score(agg, qvec, weights) if agg else []):
            if hit.passage.id not in best or hit.score > best[hit.passage.id].score:
                best[hit.passage.id] = hit
    hits = sorted(best.values(), key=lambda h: -h.score)[:k]
    return Retrieval(hits, bool(hits) and hits[0].score >= MIN_SCORE, searched)


def answer_passages(retrieval: Retrieval) -> list[KbHit]:
    """The passages an answer is built from: the best one, plus a close second that covers the question too."""
    if not retrieval.supported:
        return []
    best = retrieval.hits[0]
    chosen = [best]
    for hit in retrieval.hits[1:2]:
        if (best.score - hit.score <= SECOND_WITHIN and hit.score >= MIN_SCORE and hit.lexical >= SECOND_MIN_COVER
                and coverage(hit.passage.answer, best.passage.answer) < 0.6):
            chosen.append(hit)
    return chosen


__all__ = ["KbHit", "MIN_SCORE", "Passage", "Retrieval", "aggregate_passages", "answer_passages", "load_passages",
           "qa_index", "retrieve"]
