"""Everyday wordings that ask the business itself (what it does, how long its own service takes, how often it lets a
customer come, a discount said as "anything off", a request about the case told): agents/doc_routing.py's cues,
with made-up wordings (not bench cases) and scores set by hand as the route node would pass them. Each question
below went to the industry knowledge before (the router read the wording as general knowledge); the questions
after them ask for knowledge or advice and must stay there."""

from __future__ import annotations

import pytest

from agents import doc_routing
from tests.routing_helpers import decision, revised


def routed(question: str, route: str = "industry", doc: float = 0.45, kb: float = 0.66) -> str:
    return revised(question, route, doc, kb)


@pytest.mark.parametrize("question", [
    "do you still do those free frame adjustments",  # an adverb between "do you" and the verb
    "would you still fit lenses in a frame I bought abroad",
    "at what age do you stop testing children for free",  # an aspect verb and a gerund
    "how long do bifocals take to come back from the lab",  # the business's own product made
    "how long are the contact lens fitting appointments",  # the business's own service
    "how often can my son get his eyes tested for free",  # what the business lets a customer do
    "my dad's hearing aid and glasses keep getting lost on the ward, can you help",  # a request about the case told
    "the nose pad on my frame is digging in, could you look at it",
])
def test_everyday_wordings_that_ask_the_business_go_to_the_documents(question):
    assert routed(question) == "docs", doc_routing.cues(question, 0.45, 0.66)


def test_a_discount_in_everyday_words_is_a_house_rule():
    # the industry knowledge has no discount to match closely (a house rule yields only to kb >= KB_STRONG)
    signal = doc_routing.cues("do pensioners get anything off sunglasses", 0.45, 0.55)
    assert signal.house
    assert doc_routing.revise(decision("industry"), signal).route == "docs"
    assert not doc_routing.cues("take the lenses off the frame", 0.45, 0.55).house


@pytest.mark.parametrize("question", [
    "how often should a diabetic have their eyes tested",  # advice, not what the business allows
    "how long does it take to adapt to bifocals",  # the body adapting, not the business's service
    "how long do monthly lenses last once the blister is opened",
    "can you help me understand what astigmatism is",  # a polite prefix to a knowledge question
    "why do varifocals take time to get used to",
])
def test_knowledge_and_advice_stay_with_the_industry_knowledge(question):
    assert routed(question, doc=0.40, kb=0.70) == "industry", doc_routing.cues(question, 0.40, 0.70)


def test_a_figure_question_with_still_stays_a_numbers_question():
    signal = doc_routing.cues("do we still sell more single vision than varifocals this year", 0.3, 0.3)
    assert signal.numbers
    assert doc_routing.revise(decision("sql"), signal).route == "sql"


@pytest.mark.parametrize("question", [
    "how much is the lightest titanium frame you sell for men",  # "you sell" in a relative clause: an offer
    "is there a surcharge for a tint on polarised lenses",  # a surcharge is a price
    "could you check if my son needs glasses before school starts",  # a request to test someone
])
def test_what_the_business_sells_charges_or_will_check_goes_to_the_documents(question):
    assert routed(question, doc=0.40, kb=0.60) == "docs", doc_routing.cues(question, 0.40, 0.60)


def test_a_customers_repeat_order_is_no_stock_question():
    assert not doc_routing.cues("can I reorder my dailies by text message", 0.6, 0.3).numbers
    assert doc_routing.revise(decision("sql"), doc_routing.cues("can I reorder my dailies by text message", 0.6,
                                                                0.3)).route == "docs"
    # the reorder point and a figure asked of "you" stay numbers questions
    assert doc_routing.cues("which lenses are below reorder point", 0.6, 0.3).numbers
    assert doc_routing.cues("how many titanium frames did you sell in May", 0.6, 0.3).numbers


def test_asking_to_check_a_fact_stays_knowledge():
    assert routed("can you check whether blue light lenses are worth it", doc=0.40, kb=0.70) == "industry"
