"""Misspelled and informal question words against the industry knowledge base's own vocabulary (tools/industry_kb.py
`spelling_fixed` and `informal_terms`, used by `retrieve` as one more wording): a word that is neither English nor a
knowledge-base word is read as a typo of the closest knowledge-base word; real words, their inflections and short words
are never changed; informal trade words ("optom", "frameless", "cross-eyed") are read as the knowledge base's terms.
Made-up records and wordings in a temporary knowledge base; real MiniLM embeddings and the real spaCy vocabulary."""

from __future__ import annotations

import json

import pytest

from tools import industry_kb

# "keratoconus" is held by two passages (a word of the knowledge base), and nowhere else; "rimless" by two.
KB = [
    ("cone-1", "What is keratoconus?",
     "Keratoconus is a thinning of the cornea that lets it bulge forward into a cone, which blurs and distorts "
     "vision."),
    ("cone-2", "Can keratoconus be treated?",
     "Early keratoconus can be held back with corneal cross-linking; rigid or scleral lenses give clear vision."),
    ("frame-1", "Why do my glasses slide down my nose?",
     "Glasses slide down when the frame is too wide or the nose pads have loosened; an optician can adjust them."),
    ("frame-2", "How should I clean my glasses?",
     "Rinse the lenses under lukewarm water, use a drop of washing-up liquid and dry them with a microfibre cloth."),
    ("rim-1", "Are rimless glasses fragile?",
     "Rimless glasses hold the lenses with screws or nylon cords; the drilled lenses can crack if the frame is bent."),
    ("rim-2", "Which lens material suits a rimless frame?",
     "Polycarbonate or Trivex suit rimless frames best because they do not split around the drill holes."),
    ("sun-1", "Do sunglasses need UV protection?",
     "Sunglasses should block 100 percent of UVA and UVB light; a dark tint alone does not protect the eyes."),
]


@pytest.fixture()
def typo_kb(tmp_path, monkeypatch):
    qa = tmp_path / "industry_qa"
    qa.mkdir()
    (qa / "cone.jsonl").write_text("".join(json.dumps({
        "id": pid, "question": q, "answer": a, "topic": "test", "source": "test", "key_facts": [],
        "false_claims": []}) + "\n" for pid, q, a in KB))
    monkeypatch.setattr(industry_kb, "QA_DIR", qa)
    monkeypatch.setattr(industry_kb, "LEGACY_QA", tmp_path / "none.jsonl")
    monkeypatch.setattr(industry_kb, "_qa_index", None)
    return industry_kb.qa_index()


def test_a_misspelled_word_is_read_as_the_closest_knowledge_base_word(typo_kb):
    assert industry_kb.spelling_fixed("my optician thinks I have keratocnus, is that serious?") == (
        "my optician thinks I have keratoconus, is that serious?")
    assert industry_kb.spelling_fixed("can keratoconsu get worse") == "can keratoconus get worse"


def test_real_words_inflections_and_short_words_stay_as_they_are(typo_kb):
    for question in ("the sticker on my new frames peeled off", "my darkest sunglasses feel twitchy on the nose",
                     "is a tweak at the counter enough", "thats odd, theyre fine", "can I wear them for 5 mins"):
        assert industry_kb.spelling_fixed(question) == question


def test_a_misspelled_question_finds_and_scores_like_the_correct_one(typo_kb):
    right = industry_kb.retrieve("is keratoconus something that gets worse over time?", include_aggregates=False)
    typo = industry_kb.retrieve("is keratocnus something that gets worse over time?", include_aggregates=False)
    assert typo.best.passage.id == right.best.passage.id
    assert typo.best.score >= right.best.score - 0.005  # the typo no longer costs the rarest word's weight
    assert typo.question == "is keratocnus something that gets worse over time?"  # the question itself is kept


def test_informal_trade_words_are_read_as_the_knowledge_base_s_terms():
    assert industry_kb.informal_terms("my optom says frameless specs suit me") == (
        "my optometrist says rimless specs suit me")
    assert "strabismus" in industry_kb.informal_terms("my toddler looks a bit cross-eyed in photos")
    assert industry_kb.informal_terms("optometrist") == "optometrist"  # whole words only


def test_an_informal_word_finds_the_record_as_the_knowledge_base_s_term_does(typo_kb):
    right = industry_kb.retrieve("do rimless glasses break easily?", include_aggregates=False)
    lay = industry_kb.retrieve("do frameless glasses break easily?", include_aggregates=False)
    assert lay.best.passage.id == right.best.passage.id
    assert lay.best.score >= right.best.score - 0.005
