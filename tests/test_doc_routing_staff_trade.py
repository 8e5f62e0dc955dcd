"""A trade question in a staff member's "we" wording that names nothing of the company's goes to industry when the
industry knowledge answers it clearly better than the documents, even with a policy or figure word in it ("do we have
to", "how much ... is allowed"); the company's own rule named as "our policy / our procedure", a "do we accept ..."
offer, the business spoken to, or documents that answer it keep docs. Made-up wordings (not bench cases), scores set by
hand as the route node would pass them (agents/doc_routing.py: `DocSignal.staff_trade`)."""

from __future__ import annotations

import pytest

from tests.routing_helpers import revised

STAFF_TRADE = [
    "do we have to neutralise the finished pair on the focimeter before the customer collects?",
    "a client says her new bifocals make the stairs look tilted, what do we check first?",
    "how much prism is allowed on a new pair before we send it back? ours reads 0.5 off",
]


@pytest.mark.parametrize("question", STAFF_TRADE)
def test_a_staff_trade_question_the_knowledge_answers_clearly_better_goes_to_industry(question: str) -> None:
    # no passage answers it well and the knowledge's best passage leads by far
    assert revised(question, "docs", 0.33, 0.64, sentences=(0.36, 0.40)) == "industry"
    # the documents do not cover it and the knowledge's best sentence leads theirs clearly
    assert revised(question, "docs", 0.30, 0.53, sentences=(0.30, 0.45)) == "industry"


@pytest.mark.parametrize("question", [
    "when we fit someone's first contact lenses, which hygiene rules do we need to go through with them?",
    "how much prism is allowed on a new pair before we send it back? ours reads 0.5 off",
])
def test_the_router_s_industry_decision_stands_for_it_despite_a_policy_word(question: str) -> None:
    assert revised(question, "industry", 0.30, 0.62, sentences=(0.30, 0.45)) == "industry"


@pytest.mark.parametrize("question", STAFF_TRADE)
def test_without_a_clear_knowledge_lead_it_stays_on_docs(question: str) -> None:
    # a passage answers about as well (a knowledge passage leading by `PRACTICE_LEAD` or more would send a staff
    # question of practice, "do we have to ...", "what do we check", to industry: tests/test_doc_routing_staff_practice)
    assert revised(question, "docs", 0.50, 0.54, sentences=(0.50, 0.52)) == "docs"
    assert revised(question, "docs", 0.33, 0.48, sentences=(0.33, 0.46)) == "docs"  # the knowledge does not answer


@pytest.mark.parametrize("question", [
    "what is our procedure when a customer's spectacle order goes missing in the post?",
    "do we accept HealthFirst vouchers for sunglasses?",
    "do you check the finished pair on the focimeter before I collect?",
])
def test_the_company_s_own_rule_offer_or_the_business_spoken_to_keep_docs(question: str) -> None:
    assert revised(question, "docs", 0.33, 0.64, sentences=(0.36, 0.40)) == "docs"
