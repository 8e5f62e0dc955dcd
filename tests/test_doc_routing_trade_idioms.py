"""A question of the trade whose words only look like the company's: an idiom of "deal" ("what's the deal with glare",
"how big a deal is it"), the impersonal "you" of a question of method ("how do you test for colour blindness in a
toddler"), a price told as the circumstance of a question about the thing itself ("... at double the price, is there
any evidence it helps"), and a day of the week ("can it wait till tuesday") stay with the industry knowledge; the
same words asked of the company ("is there a deal on kids' frames", "do you test for colour blindness", "what's the
price of ...", "is the Quillan store open") still go to the documents. Made-up wordings (not bench cases), scores set
by hand as the route node would pass them (agents/doc_routing.py: `IDIOMS`, `IMPERSONAL`, `PRICE_KNOWLEDGE`,
`CALENDAR`)."""

from __future__ import annotations

import pytest

from agents import doc_routing
from tests.routing_helpers import revised
from tools.text_match import content_stems


@pytest.mark.parametrize("question", [
    "what's the big deal with glare at night? driving home after work is hard",
    "my son rubs his eyes after swimming, how big a deal is that",
    "slept in my monthlies by accident, big deal or not?",
])
def test_an_idiom_of_deal_is_no_discount_question(question: str) -> None:
    assert revised(question, "industry", 0.22, 0.56) == "industry"


@pytest.mark.parametrize("question", [
    "is there a deal on kids' frames?",
    "any deal for nurses?",
    "what's the deal on varifocals for pensioners?",
    "what's the deal if we order three pairs for the family?",
])
def test_a_deal_asked_of_the_company_still_goes_to_docs(question: str) -> None:
    assert revised(question, "industry", 0.30, 0.56) == "docs"


@pytest.mark.parametrize("question", [
    "how do you test for colour blindness in a four year old?",
    "apprentice here - how do you check the axis of a toric lens on the focimeter?",
])
def test_how_do_you_of_method_stays_with_the_knowledge(question: str) -> None:
    assert revised(question, "industry", 0.30, 0.64) == "industry"


def test_do_you_asked_of_the_business_still_goes_to_docs() -> None:
    assert revised("do you test for colour blindness?", "industry", 0.30, 0.64) == "docs"


@pytest.mark.parametrize("question", [
    "hydrophobic coating at double the usual price, is there any evidence it helps?",
    "they want to charge extra for a blue filter, do I really need it or is it a gimmick",
    "the cheapest lens material they have, is that ok for me with a strong prescription?",
])
def test_a_price_told_around_a_question_of_knowledge_stays_industry(question: str) -> None:
    assert revised(question, "industry", 0.30, 0.60) == "industry"


@pytest.mark.parametrize("question", [
    "what's the price of a hydrophobic coating?",
    "how much is a blue filter on single vision lenses",
])
def test_a_price_asked_goes_to_docs(question: str) -> None:
    assert revised(question, "industry", 0.30, 0.60) == "docs"


PASSAGES = ["The Quillan store is open Tuesday to Saturday, 9am to 5pm; on Sunday mornings by appointment."]


def test_a_day_of_the_week_is_no_name_of_the_company() -> None:
    known = frozenset(content_stems("flashes eye wait store open appointment"))
    held = doc_routing.tenant_words("flashes in my eye since this morning, can it wait till tuesday?", PASSAGES,
                                    known)
    assert held == frozenset()


def test_a_name_only_the_passages_hold_still_counts() -> None:
    known = frozenset(content_stems("flashes eye wait store open appointment"))
    assert doc_routing.tenant_words("is the Quillan store open on tuesday?", PASSAGES, known) == {"quillan"}
