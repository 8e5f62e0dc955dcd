"""Once the best passage of an industry answer clears the answer floor (`MIN_SCORE`), a close passage on the
question's subject scoring between `JOIN_MIN` and `MIN_SCORE` may still be quoted beside it (tools/industry_kb.py
`answer_passages`): the runner-up that states the fact the best one leaves out often scores just under the floor.
The floor itself is unchanged: a best passage under `MIN_SCORE` still gets no answer, and a passage under `JOIN_MIN`
never joins. Made-up records and wordings; candidate scores set by hand as `retrieve` would pass them (the subject
words come from the real spaCy tagger)."""

from __future__ import annotations

from tools import industry_kb
from tools.text_match import content_stems

QUESTION = "do copper tinted ski goggles help on flat light days in fog?"


def _hit(pid: str, question: str, answer: str, score: float) -> industry_kb.KbHit:
    passage = industry_kb.Passage(pid, question, answer, "test", "test")
    return industry_kb.KbHit(passage, score, similarity=0.55, lexical=0.3, weighted=0.3, question_similarity=0.55)


def _retrieval(*hits: industry_kb.KbHit) -> industry_kb.Retrieval:
    weights = {w: 2.0 if w == "copper" else 1.0 for w in content_stems(QUESTION)}
    supported = bool(hits) and hits[0].score >= industry_kb.MIN_SCORE  # as `retrieve` sets it
    return industry_kb.Retrieval(list(hits[:4]), supported, 40, QUESTION, list(hits), weights)


BEST = industry_kb.MIN_SCORE + 0.01
UNDER = round((industry_kb.JOIN_MIN + industry_kb.MIN_SCORE) / 2, 3)  # between the join bar and the answer floor


def _records(best: float, runner: float) -> list[industry_kb.KbHit]:
    return [
        _hit("goggle-1", "Which goggle tint suits snow sports?",
             "Copper and rose tints raise contrast on snow; a grey tint suits bright sun.", best),
        _hit("fog-1", "What helps to see in flat light and fog on the slopes?",
             "In flat light and fog, copper tinted ski goggles with a high-contrast lens show the bumps in the snow "
             "best.", runner),
    ]


def _ids(hits: list[industry_kb.KbHit]) -> list[str]:
    return [h.passage.id for h in industry_kb.answer_passages(_retrieval(*hits))]


def test_the_join_bar_sits_under_the_answer_floor() -> None:
    assert 0.4 < industry_kb.JOIN_MIN < industry_kb.MIN_SCORE


def test_a_close_runner_up_just_under_the_floor_joins_an_answer_whose_best_clears_it() -> None:
    assert _ids(_records(BEST, UNDER)) == ["goggle-1", "fog-1"]


def test_the_floor_and_the_join_bar_still_hold() -> None:
    assert _ids(_records(industry_kb.MIN_SCORE - 0.005, UNDER)) == []  # no best above the floor: no answer
    assert _ids(_records(BEST, industry_kb.JOIN_MIN - 0.01)) == ["goggle-1"]  # under the join bar: never quoted
