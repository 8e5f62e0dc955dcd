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


def _kb_from(tmp_path, monkeypatch, name: str, topic: str, records, extra=None):
    """Write (id, question, answer) records as one knowledge-base file in a temporary folder and index it instead of
    the real knowledge base (monkeypatch restores the real index after the test); `extra` maps an id to more fields
    of its record (aliases, paraphrases)."""
    qa = tmp_path / "industry_qa"
    qa.mkdir()
    (qa / f"{name}.jsonl").write_text("".join(json.dumps({
        "id": pid, "question": q, "answer": a, "topic": topic, "source": "test", "key_facts": [],
        "false_claims": [], **(extra or {}).get(pid, {})}) + "\n" for pid, q, a in records))
    monkeypatch.setattr(industry_kb, "QA_DIR", qa)
    monkeypatch.setattr(industry_kb, "LEGACY_QA", tmp_path / "none.jsonl")
    monkeypatch.setattr(industry_kb, "_qa_index", None)
    return industry_kb.qa_index()


@pytest.fixture()
def small_kb(tmp_path, monkeypatch):
    return _kb_from(tmp_path, monkeypatch, "fit", "frames", KB)


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


# Eye-exam passages: one says how long an exam takes, one how often to have one, one what a retinal photo shows.
EXAMS = [
    ("exam-1", "How long does an eye exam usually take?",
     "A routine eye exam usually takes about 20 to 30 minutes, longer when the pupils are dilated."),
    ("exam-2", "How often should adults have their eyes examined?",
     "Adults with healthy eyes should have an eye exam every two years, or yearly when advised by the optometrist."),
    ("exam-3", "What does a retinal photograph show?",
     "A retinal photograph records the back of the eye: the optic nerve, the blood vessels and the macula."),
    ("exam-4", "Why are pupils dilated during an eye exam?",
     "Dilating drops widen the pupils so the optometrist can see more of the retina and the optic nerve."),
]


@pytest.fixture()
def exam_kb(tmp_path, monkeypatch):
    return _kb_from(tmp_path, monkeypatch, "exams", "clinical", EXAMS)


def test_what_a_question_asks_for_is_read_from_its_wording():
    asks = industry_kb.asks_for
    assert asks("I'm 38 and see fine. How long can I leave it between eye tests?") == "frequency"
    assert asks("How often should I replace my lens case?") == "frequency"
    assert asks("How long does an eye exam take?") == "duration"
    assert asks("How much do varifocals cost?") == "cost"
    assert asks("Are cheap readers bad for my eyes?") == "safety"
    assert asks("At what age should a child first see an optometrist?") == "when"
    assert asks("Why do my eyes burn?") == "reason"
    assert asks("What is the difference between daily and monthly lenses?") == "compare"
    assert asks("What is a lazy eye?") == "meaning"
    assert asks("Can I swim in contacts?") == "yes/no"
    assert asks("glasses") is None


def test_a_passage_that_asks_the_same_thing_is_preferred_and_generic_kinds_change_nothing():
    by_id = {pid: industry_kb.Passage(pid, q, a, "clinical", "test") for pid, q, a in EXAMS}
    agree = industry_kb.asks_agreement
    assert agree("frequency", by_id["exam-2"]) == 1.0
    assert agree("frequency", by_id["exam-1"]) == -1.0  # asks how long it takes and says nothing of how often
    assert agree("duration", by_id["exam-4"]) == -1.0  # asks why, holds no duration
    assert agree("duration", by_id["exam-3"]) == 0.0  # asks what a thing is (generic): no specific kind to clash
    assert agree("yes/no", by_id["exam-1"]) == agree(None, by_id["exam-2"]) == 0.0


def test_the_answer_is_the_passage_that_asks_what_was_asked_and_retrieval_scores_stay(exam_kb):
    question = "I'm 38 with no problems seeing. How long can I leave it between eye tests?"
    found = industry_kb.retrieve(question, include_aggregates=False)
    assert found.supported and found.question == question
    assert [h.score for h in found.hits] == sorted((h.score for h in found.hits), reverse=True)
    chosen = industry_kb.answer_passages(found)
    assert chosen[0].passage.id == "exam-2"  # how often, not how long an exam takes
    assert "exam-1" not in [h.passage.id for h in chosen]
    again = industry_kb.retrieve(question, include_aggregates=False)
    assert again.best.score == found.best.score  # the routing signal (the best retrieval score) is not reranked


def test_a_second_passage_adds_only_the_subject_the_first_leaves_out(exam_kb):
    both = industry_kb.answer_passages(industry_kb.retrieve("Why dilate pupils for a retinal photograph?",
                                                            include_aggregates=False))
    assert [h.passage.id for h in both] == ["exam-4", "exam-3"]  # why dilate, then what the photograph is
    one = industry_kb.answer_passages(industry_kb.retrieve("What does a retinal photo show?",
                                                           include_aggregates=False))
    assert [h.passage.id for h in one] == ["exam-3"]  # fully covered: nothing unrelated is added


def test_answer_sentences_use_the_shared_splitter():
    from tools.text_match import sentences

    text = "Clean lenses with e.g. mild soap and water. Dr. Lee advises rinsing first. Dry them with a clean cloth."
    assert industry_kb._answer_sentences(text) == sentences(text)
    assert industry_kb._answer_sentences(text)[0] == "Clean lenses with e.g. mild soap and water."
    assert len(industry_kb._answer_sentences(text)) == 3


# Eye conditions under their clinical names; the lay words a person would use for the first two are in no question or
# answer, only in the records' aliases (the third record's lay wording is only in its paraphrases, which are embedded
# like its question but whose words do not count as the record's words).
CONDITIONS = [
    ("lid-1", "What is a meibomian lipogranuloma?",
     "A meibomian lipogranuloma is a firm swelling in the lid from a blocked oil gland. Warm compresses twice a day "
     "help it drain; one that stays for months can be removed by an eye surgeon."),
    ("lid-2", "What is a hordeolum externum?",
     "A hordeolum externum is an infected lash follicle at the lid margin. It usually bursts and heals within a week; "
     "warm compresses ease it."),
    ("lid-3", "What is dermatochalasis?",
     "Dermatochalasis is loose upper-lid skin with age. It is removed by blepharoplasty when it blocks the upper "
     "field."),
    ("lid-4", "What is a corneal topographer?",
     "A corneal topographer maps the curvature of the front surface of the eye with rings of light."),
    ("lid-5", "What is the tear break-up time?",
     "Tear break-up time is the number of seconds the tear film stays whole after a blink, measured with fluorescein."),
]
CONDITION_FIELDS = {
    "lid-1": {"aliases": ["a painless lump in the eyelid that lasts for weeks", "eyelid cyst"]},
    "lid-2": {"aliases": ["a sore red spot on the rim of the eyelid", "eyelid boil"]},
    "lid-3": {"paraphrases": ["baggy droopy skin over my eyelids", "saggy upper lids"]},
}


@pytest.fixture()
def condition_kb(tmp_path, monkeypatch):
    return _kb_from(tmp_path, monkeypatch, "lids", "eye_conditions", CONDITIONS, CONDITION_FIELDS)


def test_a_record_is_found_by_its_aliases_as_well_as_its_question(condition_kb):
    by_id = {p.id: p for p in condition_kb.passages}
    assert by_id["lid-1"].aliases == ("a painless lump in the eyelid that lasts for weeks", "eyelid cyst")
    assert by_id["lid-3"].aliases == ()  # paraphrases are no aliases ...
    assert "sag" not in industry_kb._stems(by_id["lid-3"])  # ... and their words are not the record's words
    lump = industry_kb.retrieve("there's been a hard lump on my eyelid for a few weeks but it doesn't hurt, what is "
                                "it?", include_aggregates=False)
    assert lump.supported and lump.best.passage.id == "lid-1"
    assert [h.passage.id for h in industry_kb.answer_passages(lump)][0] == "lid-1"
    boil = industry_kb.retrieve("I have a sore red spot on the rim of my eyelid", include_aggregates=False)
    assert boil.best.passage.id == "lid-2"
    assert "boil" in industry_kb._stems(by_id["lid-2"])  # alias words count for coverage too


def test_aliases_change_nothing_for_a_question_worded_like_the_record(condition_kb):
    found = industry_kb.retrieve("What is a corneal topographer?", include_aggregates=False)
    assert found.best.passage.id == "lid-4" and found.best.question_similarity > 0.95


def test_a_record_is_found_by_its_paraphrases(condition_kb):
    """An everyday wording close to one of a record's paraphrases (not to its clinical question) finds the record."""
    by_id = {p.id: p for p in condition_kb.passages}
    assert by_id["lid-3"].paraphrases == ("baggy droopy skin over my eyelids", "saggy upper lids")
    found = industry_kb.retrieve("my top eyelids have gone all saggy and baggy, what's that?", include_aggregates=False)
    assert found.best.passage.id == "lid-3" and found.best.question_similarity > 0.6  # the clinical name alone: 0.48
