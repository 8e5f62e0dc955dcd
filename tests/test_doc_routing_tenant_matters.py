"""Questions to the business about its own opening, holidays and ways to pay (agents/doc_routing.py `TENANT_MATTERS`,
`DocSignal.tenant_matter`): asked with "you / your", a month named is the day asked about, not a period of figures, so
the question goes to docs as one about what the business does, whatever the semantic router chose. Made-up wordings
and scores, not bench cases."""

from __future__ import annotations

import pytest

from agents import doc_routing
from agents.router import RouteDecision


def _decision(route: str) -> RouteDecision:
    scores = {r: 0.9 if r == route else 0.03 for r in ("sql", "docs", "industry", "smalltalk")}
    return RouteDecision(route=route, score=0.9, scores=scores, margin=0.8, best=route, runner_up="docs",
                         similarity=0.5)


@pytest.mark.parametrize("question", ["are you open on the national day in march?",
                                      "do you close for the holidays in december?",
                                      "r u open sundays in february?"])
def test_a_month_asked_of_the_business_about_its_opening_is_no_numbers_question(question: str) -> None:
    signal = doc_routing.cues(question, 0.4, 0.3)
    assert signal.tenant_matter and not signal.numbers
    assert doc_routing.revise(_decision("smalltalk"), signal).route == "docs"


@pytest.mark.parametrize("question", ["how many eye tests did you do in march?", "what were your sales in march?",
                                      "how much did you take in card payments in 2024?",
                                      "what were opening-week sales in march"])
def test_a_measure_or_a_figure_keeps_it_a_numbers_question(question: str) -> None:
    assert doc_routing.cues(question, 0.4, 0.3).numbers


@pytest.mark.parametrize("question", ["what payment is best at a kiosk?", "is it normal that I can't see close up?",
                                      "my pupils open up in the dark, is that normal?"])
def test_no_you_or_no_opening_word_is_no_tenant_matter(question: str) -> None:
    assert not doc_routing.cues(question, 0.6, 0.3).tenant_matter
