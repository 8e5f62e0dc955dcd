"""Towns named after a person and lists of towns in brackets after a region stay in the tenant's guarded answers, and
coined card or ID names ("MyCard"-style) are not taken for people (issue 11: docs answers quoted a branch in a town
whose first word is a given name, and the towns in brackets after a region, as "<PERSON>"), while a person's name
the documents do not publish is still redacted (real presidio and guardrails)."""

from __future__ import annotations

from safety.guard import guard_text
from safety.place_names import DocumentText, place_names
from tools.doc_places import _place_terms

BRANCHES = """# Red Centre Optical: branches and hours

- Branch: Alice Springs; Address: 12 Todd Mall, Alice Springs NT; Mon-Fri 09:00-17:30
- Branch: Darwin; Address: 40 Smith Street, Darwin NT; Mon-Fri 09:00-17:30

Frames for Alice Springs take two extra days.

For elderly customers in Selangor (Kuala Selangor, Sungai Buloh and Klang) and on Pangkor island we visit at home.

## Payments

For a tax invoice give us your MyID number and your email. We take cards.

We do not bill insurers directly, except for members of the Medibank and Bupa corporate plans.

Grace Park is our Darwin optometrist.
"""

DOCS = [DocumentText("Red Centre Optical: branches and hours", BRANCHES)]
TERMS = _place_terms(DOCS)


def _guarded(text: str) -> str:
    return guard_text(text, tenant_allow=TERMS).text


def test_a_town_whose_first_word_is_a_given_name_is_a_place():
    assert "Alice Springs" in place_names(DOCS)
    line = "Frames for Alice Springs take two extra days."
    assert _guarded(line) == line


def test_towns_in_brackets_after_a_region_are_places():
    line = "For elderly customers in Selangor (Kuala Selangor, Sungai Buloh and Klang) and on Pangkor island we visit."
    # the detector alone keeps them too now: every item of the list is a city and one is named like no person
    # (tests/test_pii_probe_multilingual.py)
    assert guard_text(line).text == line
    assert _guarded(line) == line


def test_a_card_name_coined_after_a_function_word_is_no_person():
    line = "For a tax invoice give us your MyID number and your email. We take cards and GoPass."
    assert guard_text(line).text == line  # no person: nothing to redact, with or without the tenant's list


def test_a_given_name_and_surname_stays_a_person():
    assert "Grace Park" not in place_names(DOCS)
    assert "Grace Park" not in _guarded("Grace Park is our Darwin optometrist.")
    assert "Maria Lopes" not in _guarded("Please ask Maria Lopes about GoPass.")


def test_an_insurer_before_a_plan_with_a_word_between_is_the_tenants_name() -> None:
    line = "Members of the Medibank and Bupa corporate plans pay only the gap."
    assert "<PERSON>" in guard_text(line).text  # the detector alone takes the insurer for a person
    assert _guarded(line) == line


def test_a_country_or_region_of_two_words_is_no_person() -> None:
    for line in ("Hong Kong has no sales tax, so there is no tax refund to claim.",
                 "New South Wales customers can claim the rebate."):
        assert guard_text(line).text == line
