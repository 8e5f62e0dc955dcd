"""Requests addressed to "you" in agents/doc_routing.py: with a word of the trade or of a shop's service they ask the
business for a service (the documents say whether it offers it); with none, and nothing either source answers, they
ask for something outside what this assistant does and get the small-talk answer (what the assistant can do).
Also the per-chunk stem cache of `tenant_words`. Made-up wordings and passages; no database (scores are given)."""

from __future__ import annotations

import pytest

from agents import doc_routing
from agents.router import ROUTES, RouteDecision
from tools.text_match import content_stems


def decision(route: str) -> RouteDecision:
    return RouteDecision(route=route, score=0.6, scores={r: 0.1 for r in ROUTES}, margin=0.2,
                         best=route if route in ROUTES else "docs", runner_up="industry", similarity=0.5)


def routed(question: str, router_route: str, doc: float = 0.2, kb: float = 0.3) -> str:
    signal = doc_routing.cues(question, doc, kb, doc_routing.name_words("quillon-eyewear"))
    return doc_routing.revise(decision(router_route), signal).route


@pytest.mark.parametrize("router_route", ["industry", "clarify", "docs", "smalltalk"])
@pytest.mark.parametrize("question", [
    "can you fix my wifi",
    "could you repair the dishwasher for me",
    "will you send my cousin a birthday card",
    "hey, could you book me a taxi to the airport",
    "can u sort out my printer pls",
])
def test_a_request_with_nothing_of_the_trade_is_small_talk(question, router_route):
    assert routed(question, router_route) == "smalltalk"


@pytest.mark.parametrize("question", [
    "can you fix a wobbly hinge on my reading glasses",
    "could you replace the nose pads while I wait",
    "will you send the new contacts to my office",
    "would you refund the deposit if I cancel",
    "could you give me a certificate of my vision for the sailing club",  # a shop's paperwork
    "can you send my referral to the hospital",
])
def test_a_request_with_a_word_of_the_trade_asks_the_business(question):
    signal = doc_routing.cues(question, 0.2, 0.3)
    assert signal.offers and not signal.elsewhere
    assert routed(question, "industry") == "docs"


@pytest.mark.parametrize("question", ["could you tell me whether my eyes are fine to drive at night",
                                      "can you check if my mum can still drive"])
def test_a_request_about_sight_for_driving_is_never_small_talk(question):
    # the vision standard for driving is a word of the trade in every inflection ("drive", "driving", "drivers")
    assert routed(question, "smalltalk") != "smalltalk"


def test_a_request_the_documents_or_the_knowledge_answer_is_not_sent_away():
    # a tenant that also sells hearing aids may well answer "can you fix my hearing aid" (no optical word)
    assert routed("can you fix my hearing aid", "industry", doc=0.7, kb=0.3) == "docs"
    assert routed("could you explain what a hearing test involves", "industry", doc=0.2, kb=0.8) == "industry"


def test_numbers_and_the_companys_own_requests_are_not_small_talk():
    assert routed("can you show me revenue by store for last month", "sql") == "sql"
    assert routed("can you give me our refund rules", "industry") == "docs"
    assert not doc_routing.cues("can you list our branches", 0.2, 0.3).elsewhere


def test_habitual_do_you_still_asks_what_the_business_does():
    # "do you ..." asks what the business does as a rule: its documents answer or say they do not cover it
    assert routed("do you fix sunglasses bought elsewhere", "industry", kb=0.7) == "docs"
    assert routed("would you price match another shop", "industry", kb=0.7) == "docs"


PASSAGES = ["Members of the Brightwell Circle get a free cleaning kit with every pair.",
            "Our Pellmoor workshop reglazes frames in two days."]
KNOWN = content_stems("frames cleaning kit pair reglaze workshop members free days is a cleaning kit free with every "
                      "pair, what is the, who runs the")


def test_tenant_words_reads_each_passage_once_and_only_when_a_word_is_unknown():
    doc_routing.passage_stems.cache_clear()
    # every word of this question is known to the knowledge: no passage is stemmed at all
    assert doc_routing.tenant_words("is a cleaning kit free with every pair", PASSAGES, KNOWN) == frozenset()
    assert doc_routing.passage_stems.cache_info().currsize == 0
    assert doc_routing.tenant_words("what is the brightwell circle", PASSAGES, KNOWN) == content_stems(
        "brightwell circle")
    assert doc_routing.tenant_words("who runs the pellmoor workshop", PASSAGES, KNOWN) == content_stems("pellmoor")
    misses = doc_routing.passage_stems.cache_info().misses
    assert misses == len(PASSAGES)
    # the same chunks again, for other questions: served from the cache, not stemmed again
    assert doc_routing.tenant_words("does the brightwell circle cover kids", PASSAGES, KNOWN) == content_stems(
        "brightwell circle")
    assert doc_routing.tenant_words("where is pellmoor", PASSAGES, KNOWN) == content_stems("pellmoor")
    assert doc_routing.passage_stems.cache_info().misses == misses
    assert doc_routing.passage_stems("Our Pellmoor workshop reglazes frames in two days.") == frozenset(
        content_stems(PASSAGES[1]))


@pytest.mark.parametrize("question", [
    "the mirror tint on my sunglasses started peeling off after six weeks",
    "my son's new frame arm came loose, he's had it 3 months",
    "the scratch coating on my varifocals is delaminating, they're only 5 months old",
])
def test_a_fault_of_the_customers_own_glasses_with_their_age_asks_about_the_guarantee(question):
    # the knowledge matches the fault itself a little better than the documents' guarantee passage
    signal = doc_routing.cues(question, 0.5, 0.6)
    assert signal.house
    assert routed(question, "industry", doc=0.5, kb=0.6) == "docs"


@pytest.mark.parametrize("question", [
    "my coating has tiny cracks after the hot tub, what happened",  # no age: what happened is knowledge
    "why does the coating on lenses peel after a few months",  # nobody's own glasses
    "my frame snapped after two years, is that usually covered by a manufacturer's warranty",  # what is typical
])
def test_a_fault_without_the_items_age_or_asked_in_general_stays_with_the_knowledge(question):
    assert routed(question, "industry", doc=0.5, kb=0.6) == "industry"


@pytest.mark.parametrize("question", [
    "my frame came from a market stall, could I just have new lenses put in it",
    "can we get the screws on grandad's sunglasses tightened",
])
def test_a_job_asked_on_the_customers_own_things_is_for_the_business(question):
    # the documents' best sentence is weak and the knowledge matches the thing itself: still the business's service
    assert doc_routing.cues(question, 0.3, 0.6).offers
    assert routed(question, "docs", doc=0.3, kb=0.6) == "docs"
    assert routed(question, "industry", doc=0.3, kb=0.6) == "docs"


def test_asking_whether_a_kind_of_lens_exists_is_not_a_job_for_the_business():
    assert not doc_routing.cues("can I get contact lenses if I have astigmatism", 0.3, 0.7).offers
    assert routed("can I get contact lenses if I have astigmatism", "industry", doc=0.3, kb=0.7) == "industry"
