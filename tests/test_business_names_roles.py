"""A role word said of the business itself ("X is a family optician founded in 1988") and a name before a role noun
("written by Famisanar or FONASA ophthalmologists": whose staff they are) are no person uses: the chain's own name and
the health scheme stay in its guarded answers (issue 11: docs answers showed "<PERSON> - Employee handbook" and "We
do not bill <PERSON> or SIS"), while a person written after "written by" is still redacted (real presidio and
guardrails)."""

from __future__ import annotations

from safety.guard import guard_text
from safety.place_names import DocumentText
from tools.doc_places import _place_terms

ABOUT = """# Optyka Jarzębina - branches and opening hours

Optyka Jarzębina is a Polish family optician founded in Kraków in 1988. We have four branches.

## Famisanar and FONASA

We do not bill Famisanar or FONASA. Prescriptions written by Famisanar or FONASA ophthalmologists are accepted for
12 months.
"""
HANDBOOK = "Optyka Jarzębina - Employee handbook 2026\n\nPrescriptions written by Tomasz Wójcik are checked twice."

DOCS = [DocumentText("Optyka Jarzębina - branches and opening hours", ABOUT),
        DocumentText("Optyka Jarzębina - Employee handbook 2026", HANDBOOK)]
TERMS = _place_terms(DOCS)


def _guarded(text: str) -> str:
    return guard_text(text, tenant_allow=TERMS).text


def test_the_chains_name_said_to_be_an_optician_founded_somewhere_is_no_person():
    line = "Optyka Jarzębina - Employee handbook 2026"
    # the detector alone no longer takes a name after a shop word ("Optyka") for a person (tests/
    # test_pii_named_things.py); the name is still on the tenant's list, from the documents' own words
    assert "Optyka Jarzębina" in TERMS
    assert _guarded(line) == line


def test_a_name_before_a_role_noun_is_whose_staff_they_are():
    line = "We do not bill Famisanar or FONASA."
    # listed with an acronym, the detector alone keeps the scheme (tests/test_pii_probe_multilingual.py); alone, it
    # takes it for a person, and the tenant's list keeps it
    assert guard_text(line).text == line
    alone = "We do not bill Famisanar."
    assert guard_text(alone).text != alone
    assert _guarded(alone) == alone
    assert _guarded(line) == line


def test_a_person_after_written_by_is_still_redacted():
    assert "Tomasz Wójcik" not in _guarded("Prescriptions written by Tomasz Wójcik are checked twice.")
