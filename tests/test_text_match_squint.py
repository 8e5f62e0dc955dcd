"""The trade-word table turns the noun "a squint" into "strabismus", never a word that only starts with it ("squints",
"squinting": narrowing the eyes, which is not strabismus; before, they became "strabismuss", "strabismusing")."""

from __future__ import annotations

from tools.text_match import _TERMS


def _normalised(text: str) -> str:
    for rx, replacement in _TERMS:
        text = rx.sub(replacement, text)
    return text


def test_a_squint_is_strabismus_but_squinting_is_not() -> None:
    assert _normalised("my son has a squint") == "my son has a strabismus"
    assert _normalised("he squints at the board") == "he squints at the board"
    assert _normalised("squinting in bright sunlight") == "squinting in bright sunlight"
