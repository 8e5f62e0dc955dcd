"""People's names typed in lower case in a title made from a file name ("meeting-with-jan-novak.txt" -> "Meeting with
jan novak"): the guard's name model cannot see them uncapitalised, so the title is read again capitalised
(`tools.ingest._lower_case_names`, real presidio + spaCy). Before: such names were stored in the title as typed."""

from __future__ import annotations

import pytest

from tools.ingest import _lower_case_names


@pytest.mark.parametrize(("title", "text", "name"), [
    ("Meeting with jan novak", "We met to discuss the frame order.", "jan novak"),
    ("Feedback from ana sousa", "The customer left feedback about the fitting.", "ana sousa"),
])
def test_a_lower_case_name_in_a_file_name_title_is_found(title: str, text: str, name: str) -> None:
    spans = _lower_case_names(title, [text], ())
    assert [title[s:e].lower() for s, e in spans] == [name]


@pytest.mark.parametrize(("title", "text"), [
    ("Lentilles de contact", "Nos lentilles de contact mensuelles sont livrées en 48 heures."),
    ("Zaruka a reklamace", "Na brýle je záruka 24 měsíců, reklamace vyřizujeme do 30 dnů."),
    ("Opening hours and prices", "We open at 9 every weekday."),
    ("Staff Handbook 2026", "Welcome to the team."),  # capitalised words: the guard reads the title as typed
    ("Lentes de contacto", "Las lentes mensuales se entregan en 48 horas."),  # no given name typed in lower case
    ("Garantie und bruch", "Die Garantie gilt zwei Jahre."),
    ("Formas de pago", "Aceptamos tarjetas."),
])
def test_common_words_and_typed_capitals_are_no_names(title: str, text: str) -> None:
    assert _lower_case_names(title, [text], ()) == []
