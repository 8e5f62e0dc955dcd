"""A docs decision the router read from the wording alone, for a question with nothing of the company's in it, goes to
industry when the documents do not cover it and the industry knowledge comes near it (under its answer threshold
allowed) with a best sentence that speaks to the question clearly better than the documents' best; a question with
anything of the company's ("our", "you", an offer, a house rule, a policy or price word), documents that cover it, or
no clear sentence lead keep docs. Made-up wordings (not bench cases), scores set by hand as the route node would pass
them (agents/doc_routing.py: `KB_NEAR`, `DocSignal.of_the_company`)."""

from __future__ import annotations

import pytest

from agents import doc_routing
from tests.routing_helpers import revised

TRADE = [
    "my fortnightly lenses still feel comfy after a month, can i keep them going a bit longer",
    "is it alright to keep my spare specs in the glovebox all summer",
    "heard about a trick for resting your eyes at the screen, how does it work",
]


@pytest.mark.parametrize("question", TRADE)
def test_an_uncovered_trade_question_the_knowledge_comes_near_goes_to_industry(question: str) -> None:
    # the documents do not cover it (0.30 < DOC_NONE), the knowledge is under its answer threshold but nearer, and
    # its best sentence leads the documents' best clearly
    assert revised(question, "docs", 0.30, 0.47, sentences=(0.30, 0.46)) == "industry"


@pytest.mark.parametrize("question", TRADE)
def test_without_a_clear_sentence_lead_or_with_covering_documents_it_stays_on_docs(question: str) -> None:
    assert revised(question, "docs", 0.30, 0.47, sentences=(0.30, 0.35)) == "docs"  # the sentences say no more
    assert revised(question, "docs", 0.30, 0.38, sentences=(0.30, 0.46)) == "docs"  # the knowledge is not near
    assert revised(question, "docs", 0.40, 0.47, sentences=(0.40, 0.52)) == "docs"  # the documents cover it


@pytest.mark.parametrize("question", [
    "can i bring my lenses back to you if they still feel odd after a month",  # the business spoken to
    "my spare specs broke in the glovebox, is that covered",  # a policy word / house rule
    "how much is a new case for my lenses",  # a price
    "what do we do if a customer leaves a spare pair in the glovebox",  # "we"
])
def test_anything_of_the_company_keeps_docs(question: str) -> None:
    assert revised(question, "docs", 0.30, 0.47, sentences=(0.30, 0.46)) == "docs"


def test_the_route_node_scores_the_sentences_for_such_a_decision() -> None:
    assert doc_routing.wants_sentences("docs", 0.30, 0.45)
    assert not doc_routing.wants_sentences("docs", 0.30, 0.38)
    assert not doc_routing.wants_sentences("docs", 0.40, 0.45)
