"""Accent folding, shared by the safety layer and the tools above it (the lowest layer both import).

Contract:
- `strip_accents(text)` -> `text` with every accented letter replaced by its base letter and the letters with a
  stroke that Unicode does not decompose mapped to their plain letter ("Łódź" -> "Lodz", "Øresund" -> "Oresund",
  "Đà Nẵng" -> "Da Nang"); case and every other character kept. ASCII text is returned as it is.
- `fold(text)` -> `strip_accents(text.casefold())`: lower case without accents ("Zürich" -> "zurich", "Straße" ->
  "strasse"), for comparing a word as a user types it with the word as a document or the data writes it.
- `STROKED`: the stroked-letter table itself (``str.translate``), for callers that must keep the text's length.
"""

from __future__ import annotations

import unicodedata

# letters with a stroke (or dotless) that NFKD leaves alone: a keyboard without them types the plain letter
STROKED = str.maketrans("łŁøØđĐıħĦŧŦ", "lLoOdDihHtT")


def strip_accents(text: str) -> str:
    """`text` without accents; see the module docstring."""
    if text.isascii():
        return text
    decomposed = unicodedata.normalize("NFKD", text.translate(STROKED))
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def fold(text: str) -> str:
    """Lower case without accents; see the module docstring."""
    return strip_accents(text.casefold())
