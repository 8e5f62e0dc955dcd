"""doc_routing._knows looks stems up through an index by their first five letters: the answers must be the ones the
plain scan over the whole vocabulary gives (made-up vocabulary and words), and a vocabulary that grows is re-indexed."""

from __future__ import annotations

from collections import Counter

from agents import doc_routing


def _scan(known: set[str] | Counter, word: str) -> bool:
    """The rule read literally: the word itself, or a stem of five letters or more sharing all but its last two."""
    if word in known:
        return True
    if len(word) < 5:
        return False
    return any(len(k) >= 5 and doc_routing._shared(k, word) >= max(5, min(len(k), len(word)) - 2) for k in known)


VOCAB = Counter({"guarante": 3, "guaranteed": 1, "lamin": 2, "laminat": 1, "frame": 5, "frames": 2, "tint": 4,
                 "photochrom": 1, "photo": 2, "anti": 1, "reglaz": 1, "bespok": 2, "spec": 1})


def test_index_gives_the_scan_answers() -> None:
    words = ["guarantees", "guarant", "guarantor", "laminated", "lamina", "lamb", "framework", "framed", "frameless",
             "tinted", "photochromic", "photos", "photon", "reglazing", "reglue", "bespoke", "bespectacled", "spec",
             "specs", "antiglare", "zzzzzz", "frame"]
    got = {w: doc_routing._knows(VOCAB, w) for w in words}
    assert got == {w: _scan(VOCAB, w) for w in words}
    assert got["guarantees"] and got["reglazing"] and not got["zzzzzz"] and not got["lamb"]


def test_a_vocabulary_that_grows_is_indexed_again() -> None:
    vocab = Counter({"varifoc": 1})
    assert not doc_routing._knows(vocab, "sunbathing")
    vocab["sunbath"] = 1
    assert doc_routing._knows(vocab, "sunbathing") == _scan(vocab, "sunbathing") is True
