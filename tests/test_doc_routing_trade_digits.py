"""A question of the trade that the router sent to sql because of its digits or a product code ("what index is a 1.6
lens", "my PD reads 61 at home but 63 at the shop, which is right?") goes to industry when it is asked as a question,
names no measure, period, figure or breakdown and nothing of the company's, and the industry knowledge answers it
clearly better than the documents; a report asked for ("patients by lens type"), a numbers question and a question
about the company stay sql. Made-up wordings (not bench cases), scores set by hand as the route node would pass them
(agents/doc_routing.py: `DocSignal.asked`)."""

from __future__ import annotations

import pytest

from tests.routing_helpers import revised

TRADE_WITH_DIGITS = [
    "my PD reads 61 at home but 63 at the shop, which one is right?",
    "what refractive index does a Trivex lens have?",
    "is a base curve of 8.4 too flat for my eye?",
]


@pytest.mark.parametrize("question", TRADE_WITH_DIGITS)
def test_a_trade_question_with_digits_goes_to_industry(question: str) -> None:
    assert revised(question, "sql", 0.20, 0.66) == "industry"


@pytest.mark.parametrize("question", TRADE_WITH_DIGITS)
def test_without_a_clear_knowledge_lead_the_sql_decision_stands(question: str) -> None:
    assert revised(question, "sql", 0.20, 0.48) == "sql"  # the knowledge does not answer
    assert revised(question, "sql", 0.40, 0.55) == "sql"  # it does not lead the documents by far


@pytest.mark.parametrize("question", [
    "patients in their forties split by lens type",
    "how many Trivex lenses did we sell in 2025?",
    "which of our shops fitted the most 1.74 lenses",
    "frame units per brand",
])
def test_reports_numbers_and_company_questions_stay_sql(question: str) -> None:
    assert revised(question, "sql", 0.20, 0.66) == "sql"
