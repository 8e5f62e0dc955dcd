"""The 'held' routing signal of agents/doc_routing.py: a word of the question that the tenant's best passages hold
and the industry knowledge never uses names the company's own scheme, product, place or service, so the question
goes to the tenant's documents however the router or the knowledge scores read it. Made-up tenants and wording; no
database (the passages and scores are given), the knowledge vocabulary is the real Q&A knowledge's where named."""

from __future__ import annotations

import pytest

from agents import doc_routing
from agents.router import ROUTES, RouteDecision
from tools.text_match import content_stems

# a made-up optician's passages: its own club, courier service and branch names
PASSAGES = [
    "Children under 12 can join the Sprout Club: a free frame every year and a second pair at half price.",
    "Our Ferrowby branch offers the Glazemate courier, which brings finished spectacles to your door in two days.",
    "Frames are guaranteed for 12 months against breakage from normal wear.",
]
# a small stand-in for the industry knowledge's vocabulary (content-word stems)
KNOWN = content_stems("Children's frames and spectacles: a second pair, breakage, guarantees and courier delivery "
                      "of lenses; how long the frame warranty lasts and what astigmatism means for children.")


def decision(route: str) -> RouteDecision:
    return RouteDecision(route=route, score=0.6, scores={r: 0.1 for r in ROUTES}, margin=0.2,
                         best=route if route in ROUTES else "docs", runner_up="industry", similarity=0.5)


def routed(question: str, router_route: str, doc: float, kb: float) -> str:
    own = doc_routing.tenant_words(question, PASSAGES, KNOWN)
    signal = doc_routing.cues(question, doc, kb, doc_routing.name_words("hollin-eyewear"), own)
    return doc_routing.revise(decision(router_route), signal).route


def test_tenant_words_are_the_question_words_only_its_passages_hold():
    assert doc_routing.tenant_words("what does my daughter get from the sprout club", PASSAGES, KNOWN) == {
        "sprout", "club"}
    assert doc_routing.tenant_words("can Glazemate drop my specs at work", PASSAGES, KNOWN) == {"glazemat"}
    # words the knowledge also uses, numbers and short words are not the tenant's own
    assert doc_routing.tenant_words("is a frame for children under 12 guaranteed", PASSAGES, KNOWN) == frozenset()
    # a word neither side holds is no name of the tenant's
    assert doc_routing.tenant_words("what is the wobblefeld test", PASSAGES, KNOWN) == frozenset()
    assert doc_routing.tenant_words("what does the sprout club give", [], KNOWN) == frozenset()


def test_without_a_knowledge_vocabulary_no_word_counts_as_the_tenants():
    assert doc_routing.tenant_words("what does the sprout club give", PASSAGES, frozenset()) == frozenset()


def test_the_real_knowledge_vocabulary_knows_the_trade_but_not_a_made_up_scheme():
    from tools.industry_kb import load_passages

    vocabulary: set[str] = set()
    for p in load_passages():
        vocabulary |= content_stems(f"{p.question} {p.answer}")
    held = doc_routing.tenant_words("do frames from the Sprout Club cover astigmatism lenses", PASSAGES, vocabulary)
    assert "sprout" in held
    assert not held & content_stems("frames cover astigmatism lenses")


@pytest.mark.parametrize("router_route", ["industry", "smalltalk", "clarify"])
@pytest.mark.parametrize("question", [
    "what does my daughter get from the sprout club",
    "is the Glazemate thing free",
    "how quick is glazemate",
])
def test_a_question_naming_the_tenants_own_thing_goes_to_the_documents(question, router_route):
    # the knowledge matches the generic part well and no sentence of the documents clears the answer threshold
    assert routed(question, router_route, 0.30, 0.70) == "docs"


def test_a_docs_decision_naming_the_tenants_own_thing_stays_docs():
    # worded as general knowledge, knowledge clearly better: without the held word this would go to industry
    assert routed("what is the ferrowby lab for", "docs", 0.30, 0.80) == "docs"
    assert routed("what is the tracer in a lab for", "docs", 0.30, 0.80) == "industry"


def test_numbers_and_industry_wide_questions_are_not_moved_by_a_held_word():
    assert routed("how many sprout club frames did we sell in March", "sql", 0.30, 0.30) == "sql"
    assert routed("is a kids club like the sprout club typical across the industry", "industry", 0.30, 0.70) \
        == "industry"


def test_a_question_with_no_tenant_word_keeps_the_routers_decision():
    assert routed("how do photochromic lenses work for children", "industry", 0.30, 0.80) == "industry"
