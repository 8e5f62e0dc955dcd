"""The names a tenant's documents give their branches in quotes and the names of their holidays and festivals stay
in that tenant's guarded answers (issue 11: a quoted branch nickname and festival names came out as "<PERSON>" in
docs answers), while a nickname that reads as a person's name is kept only where the answer puts it in a place
context, and a person's name the documents do not publish is still redacted (real presidio and guardrails)."""

from __future__ import annotations

from safety.guard import guard_text
from safety.place_names import DocumentText
from tools.doc_places import _place_terms

SHOPS = """# Lotus Optic: shops and opening hours

We have three shops in Phnom Penh and one in Siem Reap: Toul Kork, Russian Market, Riverside and Siem Reap.

Our customers have their own names for the shops: people call the Riverside shop "Sisowath", "Psar" means Russian
Market and "Dara" is always the Siem Reap shop.

## Public holidays

- Pchum Ben and Meak Bochea: all shops are closed.
- Kathina Tean (14 October): open 09:00-13:00.
- Bon Om Touk night: the Riverside shop closes at 17:00.
"""

TERMS = _place_terms([DocumentText("Lotus Optic: shops and opening hours", SHOPS)])


def _guarded(text: str) -> str:
    return guard_text(text, tenant_allow=TERMS).text


def test_festival_names_of_the_documents_are_not_redacted():
    # "Pchum Ben" is in the `holidays` package's Cambodian table, so the guard alone keeps it (safety/allowlist.py)
    assert guard_text("- Pchum Ben and Meak Bochea: all shops are closed.").text == \
        "- Pchum Ben and Meak Bochea: all shops are closed."
    for line in ("- Kathina Tean (14 October): open 09:00-13:00.",
                 "- Bon Om Touk night: the Riverside shop closes at 17:00."):
        assert guard_text(line).text != line  # the detector alone takes the festival for a person
        assert _guarded(line) == line


def test_quoted_branch_nicknames_are_places():
    assert {"Sisowath", "Psar"} <= set(TERMS)
    line = 'People call the Riverside shop "Sisowath" and "Psar" means Russian Market.'
    assert _guarded(line) == line


def test_a_nickname_that_reads_as_a_person_only_in_a_place_context():
    assert "Dara" not in TERMS and "in-place-context:Dara" in TERMS
    assert _guarded('"Dara" is always the Siem Reap shop.') == '"Dara" is always the Siem Reap shop.'
    assert _guarded("The Dara shop closes at 18:00.") == "The Dara shop closes at 18:00."
    assert "Dara" not in _guarded("Please ask Dara Sok at the counter about your order.")


def test_a_customer_name_is_still_redacted():
    out = _guarded("Sophea Chan collected her glasses at Riverside on Bon Om Touk night.")
    assert "Sophea" not in out and "Chan" not in out
    assert "Riverside" in out and "Bon Om Touk" in out
