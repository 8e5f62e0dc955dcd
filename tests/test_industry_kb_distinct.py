"""A best passage just under the answer floor still answers (tools/industry_kb.py `clears_floor`, used by
`answer_passages`) when it stands apart from every other candidate (`distinct_best`: at least `DISTINCT_FLOOR` and
`DISTINCT_MARGIN` ahead of the next; never when the next scores about as well, never below `DISTINCT_FLOOR`, never an
aggregate), or when the question is told as a story of at least `STORY_WORDS` content words and the best clears
`STORY_FLOOR`; a short question keeps `MIN_SCORE`. And a passage joins an answer when it holds `MERGE_RELATIVE` of the
question's subject words that the first passage holds (a long story's subject words are mostly held by no record).
Made-up records; scores set by hand as `retrieve` would pass them (subject words from the real spaCy tagger)."""

from __future__ import annotations

from tools import industry_kb
from tools.text_match import content_stems

QUESTION = "what are the little letters stamped on the hinge of my frame"


def _hit(pid: str, question: str, answer: str, score: float, kind: str = "qa") -> industry_kb.KbHit:
    passage = industry_kb.Passage(pid, question, answer, "test", "test", kind=kind)  # type: ignore[arg-type]
    return industry_kb.KbHit(passage, score, similarity=0.55, lexical=0.3, weighted=0.3, question_similarity=0.55)


def _retrieval(*hits: industry_kb.KbHit) -> industry_kb.Retrieval:
    supported = bool(hits) and hits[0].score >= industry_kb.MIN_SCORE
    weights = {w: 1.0 for w in content_stems(QUESTION)}
    return industry_kb.Retrieval(list(hits[:4]), supported, 50, QUESTION, list(hits), weights)


UNDER = industry_kb.MIN_SCORE - 0.02
STAMP = ("stamp-1", "What do the letters stamped on a frame hinge mean?",
         "Letters stamped on a hinge or temple usually name the maker, the model and the frame material.")
FAR = _hit("clean-1", "How do I clean my glasses?", "Rinse them and dry them with a clean microfibre cloth.",
           UNDER - industry_kb.DISTINCT_MARGIN - 0.01)


def _ids(*hits: industry_kb.KbHit) -> list[str]:
    return [h.passage.id for h in industry_kb.answer_passages(_retrieval(*hits))]


def test_a_best_under_the_floor_that_stands_apart_answers() -> None:
    assert _ids(_hit(*STAMP, UNDER), FAR) == ["stamp-1"]


def test_no_answer_when_the_next_candidate_is_close_the_best_is_too_low_or_an_aggregate() -> None:
    close = _hit("size-1", "What do the numbers inside my frame mean?", "They are the lens width, bridge and arm "
                 "length in millimetres.", UNDER - industry_kb.DISTINCT_MARGIN + 0.01)
    assert _ids(_hit(*STAMP, UNDER), close) == []
    low = industry_kb.DISTINCT_FLOOR - 0.01
    assert _ids(_hit(*STAMP, low), _hit("clean-1", "How do I clean my glasses?", "Rinse them.", low - 0.2)) == []
    assert _ids(_hit(*STAMP, UNDER, kind="aggregate"), FAR) == []


STORY = ("got new glasses from a little shop in town last week and when I walk down the stairs at my daughter's "
         "flat the steps look closer than they are, is that normal")


def _story(question: str, *hits: industry_kb.KbHit) -> industry_kb.Retrieval:
    weights = {w: 1.0 for w in content_stems(question)}
    return industry_kb.Retrieval(list(hits[:4]), False, 50, question, list(hits), weights)


STEPS = ("steps-1", "Why do steps look a different height with new glasses?",
         "New glasses, especially a stronger prescription or new progressive lenses, can make steps and kerbs look "
         "closer or further away for a week or two while the brain adapts.")
OTHER = ("stairs-1", "Are stairs a fall risk for older people?",
         "Stairs cause many falls in older people; good lighting and handrails help.")


def test_a_long_story_answers_from_the_story_floor_a_short_question_does_not() -> None:
    assert len(content_stems(STORY)) >= industry_kb.STORY_WORDS
    best = industry_kb.STORY_FLOOR + 0.005
    assert best < industry_kb.MIN_SCORE
    close = _hit(*OTHER, best - 0.01)  # not distinct: only the story floor lets it answer
    answer = industry_kb.answer_passages(_story(STORY, _hit(*STEPS, best), close))
    assert [h.passage.id for h in answer][:1] == ["steps-1"]
    short = "do steps look odd in new glasses"
    assert len(content_stems(short)) < industry_kb.STORY_WORDS
    assert industry_kb.answer_passages(_story(short, _hit(*STEPS, best), close)) == []
    assert industry_kb.answer_passages(_story(STORY, _hit(*STEPS, industry_kb.STORY_FLOOR - 0.005), close)) == []


def test_a_passage_as_much_on_a_story_s_subject_as_the_first_joins_it() -> None:
    first = _hit(*STEPS, industry_kb.MIN_SCORE + 0.05)
    kerbs = _hit("kerbs-1", "Why do kerbs and steps look closer with new glasses?",
                 "Floors may seem to slope and kerbs or steps to sit closer through an unfamiliar prescription; "
                 "walk with care for a week until it settles.", industry_kb.MIN_SCORE + 0.03)
    retrieval = industry_kb.Retrieval([first, kerbs], True, 50, STORY, [first, kerbs],
                                      {w: 1.0 for w in content_stems(STORY)})
    weights = industry_kb._subject_weights(retrieval)
    assert industry_kb._subject_share(weights, kerbs) < industry_kb.MERGE_SUBJECT  # the fixed bar would leave it out
    assert [h.passage.id for h in industry_kb.answer_passages(retrieval)] == ["steps-1", "kerbs-1"]
