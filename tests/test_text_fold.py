"""safety.text_fold: the one accent folding the guard, the ingest, the docs matcher and the SQL reader share."""

from __future__ import annotations

import pytest

from safety.text_fold import STROKED, fold, strip_accents


@pytest.mark.parametrize(("text", "plain"), [
    ("Montréal", "Montreal"),
    ("Łódź", "Lodz"),
    ("Øresund", "Oresund"),
    ("Đà Nẵng", "Da Nang"),
    ("İzmir", "Izmir"),
    ("plain ascii, kept: 12%", "plain ascii, kept: 12%"),
])
def test_strip_accents_keeps_case_and_other_characters(text: str, plain: str) -> None:
    assert strip_accents(text) == plain


@pytest.mark.parametrize(("text", "folded"), [
    ("ZÁRUKA", "zaruka"),
    ("Straße", "strasse"),
    ("Kraków", "krakow"),
    ("ĦAMRUN", "hamrun"),
])
def test_fold_is_lower_case_without_accents(text: str, folded: str) -> None:
    assert fold(text) == folded


def test_stroked_table_keeps_length() -> None:
    word = "Łódź Ørsta Đakovo"
    assert len(word.translate(STROKED)) == len(word)
    assert word.translate(STROKED).startswith("Lódź Orsta Dakovo")
