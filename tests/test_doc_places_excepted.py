"""A list of towns in brackets after a plural place noun ("the outer suburbs (A, B, C)") and the town excepted from
such a list ("... except D") stay in the tenant's guarded answers (issue 11: a docs answer quoted "the outlying
islands (...) except <town>" with the town as "<PERSON>"), while a person's name after "except" is still redacted
(real presidio and guardrails)."""

from __future__ import annotations

from safety.guard import guard_text
from safety.place_names import DocumentText, place_names
from tools.doc_places import _place_terms

HOME_VISITS = """# Lumen Optical: home visits

Our optometrist visits housebound customers on Wednesdays, but not in the outer districts
(Pasay, Caloocan, Malabon) except Ermita.

Home visits in the northern towns (Valenzuela, Meycauayan) but not Navotas are booked by phone.

Ask Maria Santos about home visits.
"""

DOCS = [DocumentText("Lumen Optical: home visits", HOME_VISITS)]
TERMS = _place_terms(DOCS)


def _guarded(text: str) -> str:
    return guard_text(text, tenant_allow=TERMS).text


def test_towns_in_brackets_after_a_plural_place_noun_and_the_excepted_town_are_places():
    names = place_names(DOCS)
    for town in ("Pasay", "Caloocan", "Malabon", "Ermita", "Meycauayan", "Navotas"):
        assert town in names, town
    assert "Valenzuela" not in names  # a surname too: never from a weak context
    line = "No home visits in the outer districts (Pasay, Caloocan, Malabon) except Ermita."
    assert guard_text(line).text != line  # the detector alone takes some of the towns for people
    assert _guarded(line) == line


def test_a_name_after_except_is_still_a_person_without_a_place_list():
    assert "Maria Santos" not in place_names(DOCS)
    out = _guarded("Every optometrist does home visits except Maria Santos.")
    assert "Maria Santos" not in out
