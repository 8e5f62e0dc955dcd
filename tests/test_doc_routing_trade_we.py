"""A question of the trade asked with "we / us" by staff or a household, which the tenant's documents do not cover and
the industry knowledge answers clearly better, goes to industry; the business spoken to ("you / your"), a house rule,
a policy word or a price keeps it on docs. Made-up wordings (not bench cases), scores set by hand as the route node
would pass them (agents/doc_routing.py)."""

from __future__ import annotations

import pytest

from agents import doc_routing
from agents.router import RouteDecision


def _decision(route: str) -> RouteDecision:
    scores = {r: 0.9 if r == route else 0.03 for r in ("sql", "docs", "industry", "smalltalk")}
    return RouteDecision(route=route, score=0.9, scores=scores, margin=0.8, best=route, runner_up="industry",
                         similarity=0.5)


def _route(question: str, doc: float, kb: float, sentences: tuple[float, float]) -> str:
    signal = doc_routing.cues(question, doc, kb, sentences=sentences)
    return doc_routing.revise(_decision("docs"), signal).route


@pytest.mark.parametrize("question", [
    "a patient wants us to put new lenses in her 20-year-old rimless frame, do we risk cracking them?",
    "the childminder says my daughter's eye is gluey, do we need drops from the pharmacy?",
    "one of the dispensers asked whether we should measure pupil distance for near or far on readers",
])
def test_a_we_question_of_the_trade_the_documents_miss_goes_to_industry(question: str) -> None:
    assert _route(question, 0.31, 0.61, (0.33, 0.58)) == "industry"


@pytest.mark.parametrize("question", [
    "a patient wants you to put new lenses in her 20-year-old rimless frame, will you do it?",
    "do we charge a fee for glazing a customer's own frame?",
    "what is our refund policy when a customer's own frame cracks in glazing?",
    "how much do we charge to reglaze an old frame?",
])
def test_the_business_spoken_to_or_its_rules_keep_docs(question: str) -> None:
    assert _route(question, 0.31, 0.61, (0.33, 0.58)) == "docs"


def test_without_a_clear_knowledge_lead_a_we_question_stays_on_docs() -> None:
    question = "a patient wants us to put new lenses in her 20-year-old rimless frame, do we risk cracking them?"
    assert _route(question, 0.44, 0.61, (0.50, 0.55)) == "docs"  # the sentences are close: the router's call stands
    assert _route(question, 0.31, 0.45, (0.33, 0.58)) == "docs"  # the knowledge does not answer it
    assert _route(question, 0.62, 0.61, (0.33, 0.58)) == "docs"  # the documents cover it


def test_both_of_us_is_a_household_not_the_business() -> None:
    signal = doc_routing.cues("both of us have weak eyes, will our little one need glasses as well?", 0.3, 0.6)
    assert not signal.own


def test_for_the_first_time_is_no_booking_slot() -> None:
    assert not doc_routing.cues("trying hard contacts for the first time, should they sting a bit?", 0.3, 0.6).offers
    assert doc_routing.cues("what's the last free time on a Thursday evening?", 0.3, 0.6).offers
    assert doc_routing.cues("when is the first available appointment after lunch?", 0.3, 0.6).offers


@pytest.mark.parametrize("question", ["can I soften my acetate frames in hot water to re-bend the arms at home?",
                                      "what does the glazing workshop actually do with lenses once the order goes in?"])
def test_nothing_of_the_company_and_a_clear_knowledge_lead_goes_to_industry_though_a_passage_matches(
        question: str) -> None:
    assert _route(question, 0.44, 0.63, (0.44, 0.60)) == "industry"
    assert _route(question, 0.66, 0.70, (0.66, 0.80)) == "docs"  # a passage answers it well: the documents answer
    assert _route(question, 0.44, 0.63, (0.44, 0.50)) == "docs"  # no clear lead


@pytest.mark.parametrize("question", ["I'm away for two months and can't pick up my new frames, is that a problem?",
                                      "what happens to uncollected reading glasses after a while?"])
def test_an_order_waiting_to_be_collected_is_a_house_rule_that_stays_on_docs(question: str) -> None:
    assert doc_routing.cues(question, 0.39, 0.57).house
    assert _route(question, 0.39, 0.57, (0.39, 0.52)) == "docs"
    industry = doc_routing.cues(question, 0.39, 0.57)
    assert doc_routing.revise(_decision("industry"), industry).route == "docs"
