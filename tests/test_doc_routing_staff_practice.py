"""A staff member's question of the trade's practice in "we" wording ("do we need to ...", "should we tell her ...",
"what do we tell a customer who ...", "why do we need ...") that the router sent to docs goes to industry when the
documents do not answer it well (doc < `DOC_STRONG`), the industry knowledge answers it (kb >= `KB_OK`) and leads the
documents by `PRACTICE_LEAD`, even where a period or a sale is told as its circumstance ("last year's PD", "we sell
...") or the sentences of the two sources score alike; the company's own procedure ("what do we do if ..."), an offer
("do we do ..."), a house rule, a price, the business spoken to, documents that answer it, or a knowledge that does
not answer keep docs. Made-up wordings (not bench cases), scores set by hand as the route node would pass them
(agents/doc_routing.py: `STAFF_PRACTICE`, `PRACTICE_LEAD`)."""

from __future__ import annotations

import pytest

from agents import doc_routing
from tests.routing_helpers import revised

PRACTICE = [
    "do we need to redo the frame measurements if the client brings in a script from two years ago?",
    "a client wants his old aviators reglazed, anything we should warn him about?",
    "new starter here - why do we need a back vertex distance for high prescriptions",
    "what should we check when a wearer says the new bifocals make the floor look tilted",
    "we stock sports goggles in the shop, should we tell parents they have to be polycarbonate?",
]


@pytest.mark.parametrize("question", PRACTICE)
def test_a_staff_question_of_practice_the_knowledge_answers_goes_to_industry(question: str) -> None:
    # a passage shares its words (0.50 >= DOC_NONE) but does not answer it well, and the sentences score alike: the
    # rules that read the two sentences keep docs, the practice wording and the knowledge's lead do not
    assert revised(question, "docs", 0.50, 0.62, sentences=(0.50, 0.50)) == "industry"


def test_the_old_rules_kept_such_a_question_on_docs() -> None:
    # the sentence lead the staff-trade rule needs is not there, and the passage covers it (>= DOC_NONE)
    signal = doc_routing.cues(PRACTICE[0], 0.50, 0.62, sentences=(0.50, 0.50))
    assert signal.practice and not signal.staff_trade


@pytest.mark.parametrize("question", PRACTICE)
def test_documents_that_answer_it_or_a_knowledge_that_does_not_keep_docs(question: str) -> None:
    assert revised(question, "docs", 0.60, 0.70, sentences=(0.60, 0.50)) == "docs"  # a passage answers it well
    assert revised(question, "docs", 0.40, 0.50, sentences=(0.40, 0.40)) == "docs"  # the knowledge does not answer
    assert revised(question, "docs", 0.55, 0.57, sentences=(0.55, 0.50)) == "docs"  # no lead over the documents


@pytest.mark.parametrize("question", [
    "what do we do if a client faints during the field test",  # the company's own procedure
    "do we do home visits for housebound clients?",  # an offer
    "do we have to give a refund if the client changes her mind?",  # a house rule
    "should we charge for a second pair of nose pads?",  # a price
    "should we tell clients about your new loyalty scheme?",  # the business spoken to
    "how many repairs should we allow per store each month?",  # a figure
])
def test_anything_of_the_company_keeps_docs(question: str) -> None:
    assert revised(question, "docs", 0.50, 0.62, sentences=(0.50, 0.50)) == "docs"


@pytest.mark.parametrize("question", [
    "do we do home visits for housebound clients?",
    "what do we do if a client faints during the field test",
    "how long do we keep uncollected glasses?",
])
def test_not_read_as_practice(question: str) -> None:
    assert not doc_routing.cues(question, 0.5, 0.6).practice


WEARER = [
    "can I wear my toric lenses on an overnight coach trip?",
    "took my dailies out after twenty minutes, can I put them back in after lunch?",
    "I only wear my fortnightlies on fridays, can I keep the same pair going for six weeks",
]


@pytest.mark.parametrize("question", WEARER)
def test_a_wearer_asking_how_to_use_their_own_things_goes_to_industry(question: str) -> None:
    assert revised(question, "docs", 0.48, 0.63, sentences=(0.48, 0.50)) == "industry"
    assert doc_routing.cues(question, 0.48, 0.63).wearer_use
    assert revised(question, "docs", 0.60, 0.70, sentences=(0.60, 0.50)) == "docs"  # a passage answers it well
    assert revised(question, "docs", 0.48, 0.50, sentences=(0.48, 0.50)) == "docs"  # the knowledge does not answer


@pytest.mark.parametrize("question", [
    "can I use my voucher for contact lenses?",  # a house rule
    "can I wear the frames in the shop before you glaze them?",  # the business spoken to
    "can I keep the loan pair until my order arrives, is that covered?",  # a policy word
])
def test_a_wearer_question_with_anything_of_the_company_keeps_docs(question: str) -> None:
    assert revised(question, "docs", 0.48, 0.63, sentences=(0.48, 0.50)) == "docs"
