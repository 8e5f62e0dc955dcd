"""Routing between the tenant's documents and the industry knowledge in agents/doc_routing.py, both directions:
what something costs at the company goes to its documents however well the knowledge knows the product; who may
come to an appointment and what the company's staff will do are its own rules; a question worded as one about the
eye or optics in general ("why ...", "what's X for", "is it safe ...") needs the tenant's passage to lead the
knowledge clearly, and leaves a docs decision when the knowledge answers it; "our" of a household is not the company.
No database: the document and knowledge scores are given."""

from __future__ import annotations

import pytest

from agents import doc_routing
from agents.router import ROUTES, RouteDecision


def decision(route: str) -> RouteDecision:
    return RouteDecision(route=route, score=0.6, scores={r: 0.1 for r in ROUTES}, margin=0.2,
                         best=route if route in ROUTES else "docs", runner_up="industry", similarity=0.5)


def routed(question: str, router_route: str, doc: float, kb: float) -> str:
    signal = doc_routing.cues(question, doc, kb, doc_routing.name_words("linden-eyecare"))
    return doc_routing.revise(decision(router_route), signal).route


@pytest.mark.parametrize("question", [
    "roughly what does a scratch-resistant layer add to the bill",
    "my nose pad arm came off, how much to solder it back",
    "cheapest contact lens check-up?",
    "price range for kids' frames",
    "what are the costs for a driving licence eye check",
])
def test_what_something_costs_goes_to_the_documents(question):
    # the industry knowledge knows the product well (0.75) and no tenant passage says the price yet (0.3)
    assert routed(question, "industry", 0.3, 0.75) == "docs"


@pytest.mark.parametrize("question", [
    "why are high-index lenses more expensive",
    "why do prescription sunglasses cost more than normal ones",
    "are daily lenses worth the cost compared to monthlies",
    "what do optical chains typically charge for an eye exam",
])
def test_why_things_cost_what_they_do_stays_with_the_knowledge(question):
    assert routed(question, "industry", 0.3, 0.75) == "industry"


@pytest.mark.parametrize("question", [
    "what is an average frame price across optical chains?",
    "what do progressive lenses cost across UK opticians",
    "price of an eye test across independent practices",
])
def test_a_price_across_other_businesses_is_an_industry_question(question):
    assert routed(question, "industry", 0.34, 0.6) == "industry"


def test_a_price_across_our_own_stores_is_not_an_industry_question():
    assert not doc_routing.GENERIC.search("what do varifocals cost across our stores")
    assert not doc_routing.GENERIC.search("price of frames across all your branches")


def test_price_words_in_a_numbers_question_stay_with_the_sql_tool():
    assert routed("average selling price of sunglasses by store in March", "sql", 0.2, 0.3) == "sql"
    assert routed("revenue and average price per unit by brand", "sql", 0.2, 0.3) == "sql"


@pytest.mark.parametrize("question", [
    "can my 12 year old son come to the eye exam on his own",
    "may I bring my assistance dog into the store",
    "can your optician look at my sore eye today",
])
def test_who_may_come_and_what_its_staff_will_do_are_its_own_rules(question):
    assert routed(question, "industry", 0.3, 0.7) == "docs"


@pytest.mark.parametrize(("question", "doc", "kb"), [
    # the tenant's passage matches about as well as the knowledge: a general question stays with the knowledge
    ("why does my vision get blurry at night", 0.70, 0.66),
    ("what is an autorefractor for?", 0.60, 0.58),
    ("is it safe to swim with soft lenses in", 0.55, 0.55),
])
def test_a_general_question_needs_the_documents_to_lead_clearly(question, doc, kb):
    assert routed(question, "industry", doc, kb) == "industry"


def test_a_general_question_goes_to_the_documents_when_they_lead_clearly():
    # the passage scores alone (different scales) no longer decide it: the tenant's best sentence must lead the
    # knowledge's best by the same scorer (tests/test_doc_routing_knowledge_only.py)
    signal = doc_routing.cues("why does my vision get blurry at night", 0.80, 0.60, sentences=(0.80, 0.62))
    assert doc_routing.revise(decision("industry"), signal).route == "docs"


@pytest.mark.parametrize(("question", "doc", "kb"), [
    ("whats the lensometer in the back room for?", 0.30, 0.60),
    ("why do some people see halos around lights", 0.50, 0.70),
])
def test_a_general_question_the_router_sent_to_docs_goes_to_the_knowledge(question, doc, kb):
    assert routed(question, "docs", doc, kb) == "industry"


def test_the_knowledge_must_answer_before_a_docs_decision_moves():
    # below the knowledge's own answer threshold it would refuse: the documents keep the question
    assert routed("whats the lensometer in the back room for?", "docs", 0.30, doc_routing.KB_ANSWERS - 0.05) == "docs"


def test_a_household_our_is_not_the_company():
    household = doc_routing.cues("our puppy scratched my son's eye and it keeps watering", 0.2, 0.6)
    company = doc_routing.cues("do we do eye tests for people at home", 0.2, 0.6)
    assert not household.own
    assert company.own
    assert routed("our puppy scratched my son's eye and it keeps watering", "industry", 0.2, 0.5) == "industry"
