"""What something costs at the company, asked without the usual price words ("tinted lenses for driving - how much on
top?", "what's the extra for a hard coat", "how much do kids' frames start at", "how much r the blue filter
lenses", "how much do I need to put down", "¿cuánto cuesta un examen?"), how long the company takes to make a pair
("how many days for reading glasses?", "how long to make bifocals"), and a staff pay rate go to the documents
when the router chose industry or was unsure; how long it takes to get used to a pair stays a question of
knowledge. Made-up wordings (not bench cases), scores set by hand as the route node would pass them
(agents/doc_routing.py: `PRICE`, `OFFERS`, `HOUSE_RULES`, `TEXTING`)."""

from __future__ import annotations

import pytest

from tests.routing_helpers import revised


@pytest.mark.parametrize("question", [
    "tinted lenses for driving - how much on top?",
    "what's the extra for a hard coat",
    "how much do kids' frames start at",
    "how much r the blue filter lenses",
    "how much do I need to put down for varifocals",
    "cuánto cuesta un examen de la vista?",
])
def test_a_price_asked_in_other_words_goes_to_docs(question: str) -> None:
    assert revised(question, "industry", 0.40, 0.60) == "docs"


@pytest.mark.parametrize("question", [
    "how many days for reading glasses?",
    "how long does it take for basic reading glasses",
    "how long to make bifocals",
])
def test_the_company_turnaround_goes_to_docs(question: str) -> None:
    assert revised(question, "industry", 0.40, 0.66) == "docs"


@pytest.mark.parametrize("question", [
    "how long does it take to get used to bifocals",
    "how many days should I wear new bifocals before I give up on them",
])
def test_getting_used_to_a_pair_stays_industry(question: str) -> None:
    assert revised(question, "industry", 0.40, 0.66) == "industry"


def test_a_staff_pay_rate_is_a_house_rule() -> None:
    assert revised("pay rate for bank holiday shifts?", "clarify", 0.50, 0.30) == "docs"
    assert revised("is overtime paid at time and a half?", "industry", 0.30, 0.40) == "docs"


def test_how_many_sold_in_french_is_no_price() -> None:
    assert revised("combien on a vendu de montures en mars?", "sql", 0.0, 0.0) == "sql"
