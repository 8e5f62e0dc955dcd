"""An industry answer of one passage also quotes the closest runner-up on the question's subject
(tools/industry_kb.py `answer_passages`, `_runner_up`): a candidate within `ASK_WITHIN` of the best that holds
`RUNNER_SUBJECT` of the question's rarity-weighted subject words; never one on another subject, one below the window
or one repeating the first. Made-up records and wordings; candidate scores set by hand as `retrieve` would pass them
(the subject words come from the real spaCy tagger)."""

from __future__ import annotations

from tools import industry_kb
from tools.text_match import content_stems

QUESTION = "my amber tinted specs - any good for night driving in the rain?"


def _hit(pid: str, question: str, answer: str, score: float) -> industry_kb.KbHit:
    passage = industry_kb.Passage(pid, question, answer, "test", "test")
    return industry_kb.KbHit(passage, score, similarity=0.6, lexical=0.2, weighted=0.2, question_similarity=0.6)


def _retrieval(*hits: industry_kb.KbHit) -> industry_kb.Retrieval:
    weights = {w: 2.0 if w == "amber" else 1.0 for w in content_stems(QUESTION)}  # the rarest word weighs most
    return industry_kb.Retrieval(list(hits[:4]), True, 50, QUESTION, list(hits), weights)


FIRST = _hit("tint-1", "Do amber or yellow tinted lenses help in the dark?",
             "Amber and yellow tinted specs cut the light that reaches the eye; they add contrast in daylight haze or "
             "rain but give no benefit at night.", 0.64)
RUNNER = _hit("drive-1", "Is it safe to drive at night in the rain with glasses?",
              "Night driving in the rain needs clear lenses with an anti-reflective coating; any tint lowers what you "
              "see after sunset.", 0.60)
OTHER = _hit("cloth-1", "How should I clean my specs?",
             "Rinse them under lukewarm water, use a drop of washing-up liquid and dry them with a clean microfibre "
             "cloth.", 0.62)


def _ids(*hits: industry_kb.KbHit) -> list[str]:
    return [h.passage.id for h in industry_kb.answer_passages(_retrieval(*hits))]


def test_the_close_runner_up_on_the_question_s_subject_joins_a_one_passage_answer() -> None:
    assert _ids(FIRST, OTHER, RUNNER) == ["tint-1", "drive-1"]


def test_no_runner_up_off_the_subject_below_the_window_or_repeating_the_first() -> None:
    assert _ids(FIRST, OTHER) == ["tint-1"]  # another subject: the answer stays one passage
    far = _hit("drive-1", RUNNER.passage.question, RUNNER.passage.answer, FIRST.score - industry_kb.ASK_WITHIN - 0.01)
    assert _ids(FIRST, OTHER, far) == ["tint-1"]
    repeat = _hit("tint-2", "Are amber tinted lenses good in the dark?", FIRST.passage.answer, 0.63)
    assert _ids(FIRST, OTHER, repeat) == ["tint-1"]
