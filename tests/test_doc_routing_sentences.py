"""The sentence-level document signal of agents/doc_routing.py: the tenant's best sentence and the industry knowledge's
best sentence are scored by the same scorer (agents/extractive.py's), so the two sources' answers compare on one
scale. A question the documents answer clearly better goes to docs whatever the router read in its wording; a docs
decision stands when a sentence of the documents speaks to the question better than the knowledge, even where the
answer step's cover check is unsure. Made-up tenant (a mobile optician with a bus) and wordings; real MiniLM
embeddings; the knowledge passages are made-up records in the industry knowledge's own types."""

from __future__ import annotations

import pytest

from agents import doc_routing
from tests.routing_helpers import decision
from tools.industry_kb import KbHit, Passage

TENANT = [
    {"document_id": "d1", "title": "Riding the Glenmorrow eye bus", "chunk": 0, "score": 0.6,
     "text": "Our bus has a wheelchair lift at the rear door. Tell the driver when you arrive and the lift is lowered "
             "for you. Guide dogs are welcome on board."},
    {"document_id": "d2", "title": "Glasses ordered on the bus", "chunk": 0, "score": 0.5,
     "text": "Glasses ordered on the bus are posted to your home within 10 working days. Repairs are collected at "
             "the next stop in your village."},
]
KNOWLEDGE = [
    KbHit(Passage("k1", "Are optical practices accessible for wheelchair users?",
                  "Many practices have step-free access; phone ahead to ask about ramps.", "access", "made-up"),
          0.58, 0.55, 0.4),
    KbHit(Passage("k2", "What is a dispensing optician?",
                  "A dispensing optician fits and adjusts glasses from a prescription.", "roles", "made-up"),
          0.40, 0.40, 0.2),
]
ASTIGMATISM = [
    KbHit(Passage("k3", "What is astigmatism?",
                  "Astigmatism is an uneven curve of the cornea or lens, so that light focuses at two points and "
                  "vision is blurred at every distance.", "eye", "made-up"), 0.80, 0.80, 0.8),
]


def test_the_same_scorer_reads_both_sources():
    tenant, knowledge = doc_routing.sentence_scores("can my wheelchair get onto the bus", TENANT, KNOWLEDGE)
    assert tenant > knowledge > 0
    assert doc_routing.sentence_scores("anything", [], KNOWLEDGE) == (0.0, 0.0)
    assert doc_routing.sentence_scores("anything", TENANT, []) == (0.0, 0.0)


def test_a_question_the_documents_answer_clearly_better_goes_to_docs():
    question = "can my wheelchair get onto the bus"  # the router read it as general knowledge
    signal = doc_routing.with_sentences(doc_routing.cues(question, 0.50, 0.62),
                                        doc_routing.sentence_scores(question, TENANT, KNOWLEDGE))
    assert signal.sentence_lead >= doc_routing.SENTENCE_LEAD
    assert doc_routing.revise(decision("industry"), signal).route == "docs"
    # without the sentence scores the passage scores alone leave it with the knowledge (kb leads doc)
    assert doc_routing.revise(decision("industry"), doc_routing.cues(question, 0.50, 0.62)).route == "industry"


def test_the_knowledge_keeps_what_it_answers_better():
    question = "what is astigmatism"
    signal = doc_routing.with_sentences(doc_routing.cues(question, 0.36, 0.80),
                                        doc_routing.sentence_scores(question, TENANT, ASTIGMATISM))
    assert signal.sentence_lead < 0
    assert doc_routing.revise(decision("industry"), signal).route == "industry"


@pytest.mark.parametrize("lead, expected", [(0.12, "docs"), (0.05, "industry")])
def test_a_clear_lead_is_needed_to_move_a_question_to_docs(lead, expected):
    signal = doc_routing.with_sentences(doc_routing.cues("will the lift be working on thursday", 0.45, 0.60),
                                        (0.50 + lead, 0.50))
    assert doc_routing.revise(decision("industry"), signal).route == expected


def test_a_docs_decision_stands_when_a_document_sentence_speaks_to_it_better():
    # the answer step's cover check doubts the documents (doc below its threshold) and the knowledge matches: the
    # passage scores alone send the router's docs decision to the knowledge
    question = "bought glasses on the bus, how long till they come"
    plain = doc_routing.cues(question, 0.34, 0.60)
    assert doc_routing.revise(decision("docs"), plain).route == "industry"
    assert doc_routing.revise(decision("docs"), doc_routing.with_sentences(plain, (0.52, 0.44))).route == "docs"
    # a weak document sentence does not keep it, however poor the knowledge's
    assert doc_routing.revise(decision("docs"), doc_routing.with_sentences(plain, (0.40, 0.30))).route == "industry"


def test_questions_worded_as_knowledge_or_numbers_are_not_moved_by_the_lead():
    why = doc_routing.with_sentences(doc_routing.cues("why do lifts on buses need servicing", 0.5, 0.6), (0.7, 0.4))
    assert doc_routing.revise(decision("industry"), why).route == "industry"
    numbers = doc_routing.with_sentences(doc_routing.cues("how many frames did we sell in March", 0.5, 0.3),
                                         (0.7, 0.3))
    assert doc_routing.revise(decision("sql"), numbers).route == "sql"


def test_sentences_are_scored_only_where_a_rule_reads_them():
    assert doc_routing.wants_sentences("industry", 0.40, 0.7)
    assert doc_routing.wants_sentences("industry", 0.30, 0.7)  # the knowledge answers it (a staff "we" question)
    assert not doc_routing.wants_sentences("industry", 0.30, 0.45)  # neither the documents nor the knowledge
    assert doc_routing.wants_sentences("docs", 0.30, 0.6)
    assert doc_routing.wants_sentences("docs", 0.50, 0.6)  # a passage matches, the knowledge's sentence may lead
    # a passage answers it well, but a question of knowledge stays with the documents only when their best sentence
    # leads the knowledge's (`knowledge_only`): read whenever the knowledge answers it
    assert doc_routing.wants_sentences("docs", 0.60, 0.6)
    assert not doc_routing.wants_sentences("docs", 0.50, 0.4)  # the knowledge does not answer it
    assert not doc_routing.wants_sentences("sql", 0.50, 0.6)
