"""Small talk is short: a question of seven words or more that the industry knowledge answers is a question of the
trade even when it holds no word of the trade list, and the router's small-talk pick is revised
(agents/doc_routing.py `LONG_QUESTION_WORDS`). Made-up wordings, not bench cases."""

from __future__ import annotations

import pytest

from agents import doc_routing
from agents.router import RouteDecision


def _decision(route: str) -> RouteDecision:
    scores = {r: 0.9 if r == route else 0.03 for r in ("sql", "docs", "industry", "smalltalk")}
    return RouteDecision(route=route, score=0.9, scores=scores, margin=0.8, best=route, runner_up="industry",
                         similarity=0.5)


@pytest.mark.parametrize("text", ["why do i keep seeing little worms drifting when i look at the sky",
                                  "is it bad that my son reads comics under the covers with a torch"])
def test_a_long_question_the_knowledge_answers_is_not_small_talk(text: str) -> None:
    signal = doc_routing.cues(text, 0.2, 0.6)
    assert doc_routing.revise(_decision("smalltalk"), signal).route == "industry"


@pytest.mark.parametrize(("text", "kb"), [("why does my grandma keep humming along to the telly in the evening", 0.4),
                                          ("how is your day going?", 0.6),
                                          ("who made you and what can you do for me?", 0.3)])
def test_a_short_message_or_one_the_knowledge_does_not_answer_stays_small_talk(text: str, kb: float) -> None:
    signal = doc_routing.cues(text, 0.2, kb)
    assert doc_routing.revise(_decision("smalltalk"), signal).route == "smalltalk"
