"""A question of the trade that shares words with a passage of the company's rules: when nothing in the question is
the company's and the industry knowledge's best sentence answers it clearly better than the documents' best (same
scorer), the documents' passage score alone does not take it to docs ("are titanium frames good for people with a
nickel allergy" against "we do not solder titanium frames"); a policy or figure word alone ("remake", "how often")
needs a larger lead (`WORD_CUE_LEAD`). Asked of the company ("your", a house rule), or with the two sentences close,
the documents keep it. Made-up wordings (not bench cases), scores set by hand as the route node would pass them
(agents/doc_routing.py: `revise`)."""

from __future__ import annotations

from tests.routing_helpers import revised

TRADE = "are titanium frames good for people with a nickel allergy?"


def test_a_passage_score_alone_does_not_take_a_trade_question_to_docs() -> None:
    assert revised(TRADE, "industry", 0.62, 0.70, sentences=(0.62, 0.80)) == "industry"


def test_close_sentences_leave_it_with_the_documents() -> None:
    assert revised(TRADE, "industry", 0.62, 0.70, sentences=(0.62, 0.66)) == "docs"


def test_asked_of_the_company_it_stays_docs() -> None:
    question = "are your titanium frames guaranteed if I have a nickel allergy?"
    assert revised(question, "industry", 0.62, 0.70, sentences=(0.62, 0.80)) == "docs"


REMAKE = "how long should new bifocals be worn before asking for a remake?"


def test_a_policy_word_alone_gives_way_to_a_clear_knowledge_lead() -> None:
    assert revised(REMAKE, "docs", 0.45, 0.70, sentences=(0.45, 0.72)) == "industry"
    assert revised("how often should a contact lens case be swapped for a new one?", "docs", 0.45, 0.66,
                   sentences=(0.45, 0.70)) == "industry"


def test_a_policy_word_keeps_docs_without_a_clear_lead() -> None:
    assert revised(REMAKE, "docs", 0.45, 0.70, sentences=(0.45, 0.60)) == "docs"


def test_a_house_rule_keeps_docs_whatever_the_lead() -> None:
    question = "can I get a refund on bifocals I can't get used to?"
    assert revised(question, "docs", 0.45, 0.70, sentences=(0.45, 0.72)) == "docs"
