"""Hybrid ordering of the docs tool's hits (tools/docs_search.rerank): cosine plus the pool-rarity-weighted share of the
question's content words a chunk states. Made-up hits with fixed cosines, so the ordering rule itself is what is
tested (the search that feeds it runs under the tenant's RLS session and is tested in tests/test_docs.py)."""

from __future__ import annotations

import uuid

from tools.docs_search import LEXICAL_WEIGHT, Hit, lexical_scores, rerank

DOC = uuid.UUID(int=7)


def _hit(i: int, text: str, score: float, title: str = "Puffin Optics guide") -> Hit:
    return Hit(document_id=DOC, title=title, chunk_index=i, content=text, score=score, source=f"guide-{i}.md")


POOL = [
    _hit(0, "Trial frames: take up to three frames home for four days before you choose.", 0.52),
    _hit(1, "While trial frames are out we hold a refundable deposit of $ 40 on your card.", 0.47),
    _hit(2, "Our stylists help you choose frames that suit your face and budget.", 0.44),
    _hit(3, "Frame adjustments are free for as long as you own the frames.", 0.30),
]


def test_a_chunk_stating_the_asked_word_climbs_above_a_closer_topical_one():
    order = rerank("is there a deposit on trial frames", POOL)
    assert [h.chunk_index for h in order][:2] == [1, 0]
    assert sorted(h.chunk_index for h in order) == [0, 1, 2, 3]  # a re-order: nothing added or lost
    assert order[0].score == 0.47  # the cosine is kept as the hit's score (routing thresholds read it)


def test_words_every_candidate_shares_do_not_reorder_and_far_chunks_stay_down():
    # "frames" is in every chunk: weightless within the pool, so the vector order stands
    assert [h.chunk_index for h in rerank("frames", POOL)] == [0, 1, 2, 3]
    # a chunk far below in cosine cannot jump over a much closer one on one shared word
    far = [_hit(0, "Varifocal lenses take 8 working days to make.", 0.70),
           _hit(1, "Our lens workshop is in the town centre.", 0.70 - LEXICAL_WEIGHT - 0.05)]
    assert [h.chunk_index for h in rerank("how long do varifocal lenses take from the workshop", far)] == [0, 1]


def test_lexical_scores_are_shares_and_title_words_count():
    hits = [_hit(0, "Opening hours: 9 to 5 on weekdays.", 0.5, title="Harbour store"),
            _hit(1, "Opening hours: 10 to 4 on Saturdays.", 0.5, title="Mall store")]
    scores = lexical_scores("harbour store hours", hits)
    assert all(0.0 <= s <= 1.0 for s in scores)
    assert scores[0] == 1.0 and 0 < scores[1] < 1.0  # "harbour" is stated only by the first hit's title
    assert lexical_scores("the a of", hits) == [0.0, 0.0]  # no content words: nothing to weigh
    assert rerank("anything", []) == []
