"""Industry knowledge retrieval (tools/industry_kb.py): question words weighted by their rarity across the knowledge
base, answer sentences as a second look at the best candidates, and the regional-term normalization it relies on.
Real MiniLM embeddings over a small knowledge base written to a temporary folder."""

from __future__ import annotations

import json

import pytest

from tools import industry_kb
from tools.text_match import normalize_terms

# Six passages about glasses: "glasses", "frame" and "optician" are everywhere; "crooked" is in one answer only,
# and that passage's own question is worded unlike the question asked (no "crooked" in it).
KB = [
    ("fit-1", "Why do glasses slide down the nose?",
     "Glasses slide down when the frame is too wide for the face or the nose pads have loosened. An optician can "
     "narrow the frame and adjust the pads."),
    ("fit-2", "Why do my glasses feel tight behind the ears?",
     "Glasses feel tight when the temple tips press behind the ears. An optician can open the temples so the frame "
     "is comfortable again."),
    ("fit-3", "Why is one lens higher than the other?",
     "X-ing is a twist in the frame front so that the two lenses are not in the same plane. It makes glasses sit "
     "crooked on the face; an optician straightens the frame front."),
    ("fit-4", "Why do my glasses leave marks on my nose?",
     "Marks on the nose come from heavy glasses or small nose pads. An optician can fit larger pads or a lighter "
     "frame."),
    ("fit-5", "How often should glasses be adjusted?",
     "Glasses should be checked by an optician every few months, because frames loosen with daily wear."),
    ("fit-6", "Why do my new glasses feel strange?",
     "New glasses can feel strange for a few days while the eyes and brain adapt to the new lenses and frame."),
]


@pytest.fixture()
def small_kb(tmp_path, monkeypatch):
    qa = tmp_path / "industry_qa"
    qa.mkdir()
    (qa / "fit.jsonl").write_text("".join(json.dumps({
        "id": pid, "question": q, "answer": a, "topic": "frames", "source": "test", "key_facts": [],
        "false_claims": []}) + "\n" for pid, q, a in KB))
    monkeypatch.setattr(industry_kb, "QA_DIR", qa)
    monkeypatch.setattr(industry_kb, "LEGACY_QA", tmp_path / "none.jsonl")
    monkeypatch.setattr(industry_kb, "_qa_index", None)  # restored after the test: the real index stays cached
    return industry_kb.qa_index()


def test_rare_words_weigh_more_than_words_every_passage_shares(small_kb):
    weights = small_kb.weights({"glass", "crook", "unheardof"})
    assert weights["crook"] > 3 * weights["glass"]  # one passage of six against all six
    assert weights["unheardof"] > weights["crook"]  # a word no passage holds weighs most


def test_passage_holding_the_rare_question_word_wins(small_kb):
    found = industry_kb.retrieve("Why do my glasses sit crooked?", include_aggregates=False)
    assert found.supported
    assert found.best.passage.id == "fit-3"
    runner_up = found.hits[1]  # shares only "glasses", which every passage holds: weighted, that is almost nothing
    assert runner_up.similarity > found.best.similarity and runner_up.weighted < runner_up.lexical / 4


def test_answer_sentences_are_embedded_once_and_kept(small_kb):
    industry_kb.retrieve("Why do my glasses sit crooked?", include_aggregates=False)
    kept = dict(small_kb.sentence_vecs)
    assert kept and all(v.shape[1] == 384 for v in kept.values())
    assert kept[next(i for i, p in enumerate(small_kb.passages) if p.id == "fit-3")].shape[0] == 2  # two sentences
    industry_kb.retrieve("Why do my glasses sit crooked?", include_aggregates=False)
    assert all(small_kb.sentence_vecs[i] is v for i, v in kept.items())


def test_regional_terms_are_replaced_only_as_whole_words():
    assert normalize_terms("my eye prescription") == "my eye prescription"  # "script" inside a word stays
    assert normalize_terms("a description") == "a description"
    assert normalize_terms("my optometrist's script") == "my prescription"
    assert normalize_terms("is ortho-k safe") == "is orthokeratology safe"
    assert normalize_terms("what is orthokeratology") == "what is orthokeratology"


def test_accented_words_match_their_plain_spelling_and_stay_one_word():
    from tools.text_match import content_stems

    assert content_stems("an eye exam in te reo Māori at the Montréal store") == \
        content_stems("an eye exam in te reo Maori at the Montreal store")
    assert "maori" in content_stems("Māori")
