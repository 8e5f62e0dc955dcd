"""A question of knowledge stays with the industry knowledge however well a shop's passage shares its words
(agents/doc_routing.py, `revise`: `knowledge_only`): worded as one about the eye or optics in general ("why ...",
"is that normal", "what's going on", "any truth in it") with nothing of the company's (no our / we, house rule,
offer, price, held name, policy or figure word) and the business not spoken to ("you / your"), it goes to the
documents only when their best sentence answers it clearly better than the knowledge's best (same scorer,
`SENTENCE_LEAD`), and a docs decision for it goes to the knowledge when the knowledge answers it. Asked of the shop,
it stays the documents'. A staff member's question of the trade's practice in "we" wording ("what do we say on the
phone") is not a question about the company because of "we" alone. Made-up wordings (not bench cases), scores set by
hand as the route node would pass them; no database."""

from __future__ import annotations

import pytest

from agents import doc_routing
from tests.routing_helpers import revised

TILTED = "why do my new varifocals make the floor look tilted?"


@pytest.mark.parametrize("question", [
    TILTED,
    "my left eye keeps twitching when I read late at night, is that normal?",
    "how come my eyes feel gritty after a long flight",
    "my gran says reading in dim light ruins your eyes, any truth in it",
    "bright zigzags at the edge of my vision for twenty minutes, what could be causing it",
    "is it possible to go blind from staring at an eclipse for a second",
])
def test_a_passage_score_alone_does_not_take_a_question_of_knowledge_to_docs(question):
    # a shop FAQ's passage matches better by its own score, the two best sentences are close: knowledge
    assert revised(question, "industry", 0.72, 0.60, sentences=(0.66, 0.64)) == "industry"
    assert revised(question, "clarify", 0.72, 0.60, sentences=(0.66, 0.64)) == "industry"


def test_the_documents_keep_it_when_their_sentence_answers_clearly_better():
    assert revised(TILTED, "industry", 0.72, 0.60, sentences=(0.78, 0.60)) == "docs"


def test_a_docs_decision_for_a_question_of_knowledge_goes_to_the_knowledge():
    # the documents' passage scores above the knowledge's, but nothing in it is the company's and the knowledge answers
    assert revised(TILTED, "docs", 0.70, 0.60, sentences=(0.64, 0.66)) == "industry"
    # ... unless the tenant's best sentence answers it clearly better
    assert revised(TILTED, "docs", 0.70, 0.60, sentences=(0.80, 0.62)) == "docs"
    # ... or the knowledge does not answer it (below its own answer threshold): the documents keep it
    assert revised(TILTED, "docs", 0.70, doc_routing.KB_ANSWERS - 0.05, sentences=(0.64, 0.66)) == "docs"


@pytest.mark.parametrize("question", [
    "why do your varifocals make the floor look tilted, can I swap them?",  # the business spoken to
    "why did the insurance only pay back part of my glasses?",  # a policy word: the company's rule
    "why is there a fee for a second fitting?",  # a price
    "is it possible to pay monthly instead of all at once?",  # an arrangement with the business, not knowledge
    "how does the children's glasses subsidy work?",  # a funding scheme's rule
])
def test_asked_of_the_company_it_stays_with_the_documents(question):
    assert revised(question, "docs", 0.70, 0.60, sentences=(0.64, 0.66)) == "docs"


def test_is_it_possible_is_knowledge_unless_it_arranges_something():
    assert doc_routing.cues("is it possible to damage your eyes with a laser pointer", 0.3, 0.6).general
    assert not doc_routing.cues("is it possible to book a saturday eye test", 0.3, 0.6).general
    assert not doc_routing.cues("is it possible for me to collect them on sunday", 0.3, 0.6).general


PHONE = "customer rang saying she's seeing a curtain come across her vision, what do we say on the phone"


def test_a_staff_question_of_practice_is_not_the_company_s_because_of_we_alone():
    # the router read it as the trade's; "we" is the staff, and no passage answers it clearly better
    assert revised(PHONE, "industry", 0.40, 0.48, sentences=(0.40, 0.45)) == "industry"
    # the documents' best sentence answering it clearly better (a staff handbook's own procedure) takes it to docs
    assert revised(PHONE, "industry", 0.50, 0.48, sentences=(0.62, 0.45)) == "docs"


def test_the_company_s_own_procedure_in_we_wording_still_goes_to_the_documents():
    # "our" + a rule of its own: a question about the company whatever the knowledge says
    question = "what do we say on the phone under our emergency procedure when a customer reports flashes"
    assert revised(question, "industry", 0.40, 0.48, sentences=(0.40, 0.45)) == "docs"
