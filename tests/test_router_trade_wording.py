"""The semantic router (agents/router.py, the shipped example bank) on questions of the trade told as one's own story
or asked by staff in "we" wording, and on a customer's own service question: the bank holds industry examples in
first-person symptom / story wording and in staff "we" wording, and docs examples in a customer's first-person service
wording, so such questions are not read as small talk or left to clarify. Made-up wordings, none from a bench set."""

from __future__ import annotations

import pytest

from agents.router import Router, get_router


@pytest.fixture(scope="module")
def router() -> Router:
    return get_router()


@pytest.mark.parametrize("text", [
    # a first-person story about one's own eyes (was clarify / small talk)
    "I'm 46 and the print on my pill bottles has gone fuzzy unless I hold them far away",
    "woke up and my eyelid is puffy and sore along the lash line",
    # a staff member's question of the trade in "we" wording (was clarify)
    "how do we check that a varifocal has been glazed at the right height?",
])
def test_trade_story_and_staff_we_go_to_industry(router: Router, text: str) -> None:
    decision = router.route(text)
    assert decision.route == "industry", (text, decision)


@pytest.mark.parametrize("text", [
    "can my mum come with me into the eye test?",  # was small talk
    "is there a charge if I cancel on the day?",
])
def test_customer_service_question_goes_to_docs(router: Router, text: str) -> None:
    decision = router.route(text)
    assert decision.route == "docs", (text, decision)


def test_stock_and_numbers_questions_stay_sql(router: Router) -> None:
    """The new story and staff examples do not pull a stock or sales question away from sql."""
    for text in ("are we running short of any toric lenses this week?", "how many varifocals did we sell in May?"):
        assert router.route(text).route == "sql", text
