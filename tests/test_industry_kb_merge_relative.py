"""A passage joins an industry answer (tools/industry_kb.py `_same_subject`, `_runner_up`, through `_on_subject`)
when it holds `MERGE_RELATIVE` of the question's rarity-weighted subject words that the first chosen passage holds,
even under the fixed bar (`MERGE_SUBJECT`): a question told as a story has many subject words no record holds, so even
the passage that answers holds a small share of them. A passage on another subject still never joins. Made-up records;
scores set by hand as `retrieve` would pass them (subject words from the real spaCy tagger)."""

from __future__ import annotations

from tools import industry_kb
from tools.text_match import content_stems

STORY = ("got new glasses from a little shop in town last week and when I walk down the stairs at my daughter's "
         "flat the steps look closer than they are, is that normal")


def _hit(pid: str, question: str, answer: str, score: float) -> industry_kb.KbHit:
    passage = industry_kb.Passage(pid, question, answer, "test", "test")
    return industry_kb.KbHit(passage, score, similarity=0.55, lexical=0.3, weighted=0.3, question_similarity=0.55)


FIRST = _hit("steps-1", "Why do steps look a different height with new glasses?",
             "New glasses can make steps look nearer or further away while the brain adapts.",
             industry_kb.MIN_SCORE + 0.05)
KERBS = _hit("kerbs-1", "Why do kerbs and steps look closer?",
             "Through a new prescription, kerbs or steps may sit closer; walk with care until it settles.",
             industry_kb.MIN_SCORE + 0.03)
OFF = _hit("shop-1", "How do I choose an optician's shop in town?",
           "Look for a registered optometrist, clear prices and an aftercare policy.", industry_kb.MIN_SCORE + 0.04)


def _retrieval(*hits: industry_kb.KbHit) -> industry_kb.Retrieval:
    return industry_kb.Retrieval(list(hits), True, 50, STORY, list(hits), {w: 1.0 for w in content_stems(STORY)})


def test_a_passage_as_much_on_a_story_s_subject_as_the_first_joins_it() -> None:
    retrieval = _retrieval(FIRST, KERBS)
    weights = industry_kb._subject_weights(retrieval)
    share = industry_kb._subject_share(weights, KERBS)
    assert share < industry_kb.RUNNER_SUBJECT < industry_kb.MERGE_SUBJECT  # the fixed bars would leave it out
    assert share >= industry_kb.MERGE_RELATIVE * industry_kb._subject_share(weights, FIRST)
    assert [h.passage.id for h in industry_kb.answer_passages(retrieval)] == ["steps-1", "kerbs-1"]


def test_a_passage_on_another_subject_still_never_joins() -> None:
    assert [h.passage.id for h in industry_kb.answer_passages(_retrieval(FIRST, OFF))] == ["steps-1"]
