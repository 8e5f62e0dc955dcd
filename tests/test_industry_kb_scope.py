"""Industry answers about another thing than the one asked (tools/industry_kb.py `foreign_subject`, used by
`answer_passages`): a question asking a property *of* a thing no chosen record names ("the density of a diamond") gets
no answer, while the same property asked of a thing the records name is answered, and the asker's own things ("the
hinge of my frame") or a thing the record names in its regional form are never counted as foreign.
Real MiniLM embeddings and the spaCy tagger over a small made-up knowledge base written to a temporary folder."""

from __future__ import annotations

import pytest

from tests.test_industry_kb import _kb_from
from tools import industry_kb
from tools.text_match import tagger

# Made-up records on the weight of lens materials, plus neighbours on other subjects.
WEIGHT = [
    ("wt-1", "What is the density of lens materials?",
     "Density says how heavy a lens material is for its size: polycarbonate is about 1.20 g/cm3, standard plastic "
     "about 1.32 g/cm3 and crown glass about 2.54 g/cm3, so glass lenses weigh about twice as much."),
    ("wt-2", "What is the density of trivex?",
     "Trivex has a density of about 1.11 g/cm3, the lightest common spectacle lens material."),
    ("wt-3", "Why do my frame hinges get loose?",
     "Hinge screws work loose with daily opening and closing; a drop of thread lock or a regular tighten fixes it."),
    ("wt-4", "What is a varifocal lens?",
     "A varifocal (progressive) lens changes power gradually from distance at the top to reading at the bottom."),
    ("wt-5", "How should I clean my glasses?",
     "Rinse the lenses under lukewarm water, use a drop of washing-up liquid and dry them with a clean microfibre "
     "cloth."),
    ("wt-6", "How is a lens cut to the shape of my frame?",
     "An edger traces the frame and cuts the lens blank to its shape with diamond wheels, then bevels the edge."),
]

pytestmark = pytest.mark.skipif(tagger() is None, reason="needs the spaCy tagger package")


@pytest.fixture()
def weight_kb(tmp_path, monkeypatch):
    # a six-record knowledge base weighs words flatter than the real one, so its scores stay under the real bar: the
    # bar is lowered to let retrieval support the density records, and the check under test is what refuses
    monkeypatch.setattr(industry_kb, "MIN_SCORE", 0.3)
    return _kb_from(tmp_path, monkeypatch, "weight", "lens_materials", WEIGHT)


def _answer(question: str) -> list[str]:
    return [h.passage.id for h in industry_kb.answer_passages(industry_kb.retrieve(question,
                                                                                   include_aggregates=False))]


def test_a_property_of_a_thing_no_record_names_is_refused(weight_kb):
    found = industry_kb.retrieve("What is the density of a diamond?", include_aggregates=False)
    assert found.supported and found.best.passage.id in ("wt-1", "wt-2")
    assert industry_kb.foreign_subject(found.question, found.candidates[:1]) == ["diamond"]
    assert industry_kb.answer_passages(found) == []  # the density records are about lens materials, not diamonds
    trivex = industry_kb.retrieve("What is the density of trivex?", include_aggregates=False)
    assert [h.passage.id for h in industry_kb.answer_passages(trivex)][:1] == ["wt-2"]  # a thing the record names


def test_the_same_property_of_a_thing_the_records_name_is_answered(weight_kb):
    assert _answer("What is the density of trivex?")[0] == "wt-2"
    assert _answer("what is the density of crown glass")[0] == "wt-1"


def test_the_askers_own_things_and_regional_words_are_not_foreign(weight_kb):
    hinge = industry_kb.retrieve("why do the hinges of my frame keep getting loose?", include_aggregates=False)
    assert industry_kb.foreign_subject(hinge.question, hinge.candidates[:1]) == []
    assert _answer("why do the hinges of my frame keep getting loose?")[0] == "wt-3"
    # "progressive" is the normalized form of "varifocal": the record names the thing
    vari = industry_kb.retrieve("what is the design of a progressive lens?", include_aggregates=False)
    assert industry_kb.foreign_subject(vari.question, [h for h in vari.candidates if h.passage.id == "wt-4"]) == []


def test_a_thing_many_records_name_is_not_foreign_even_when_the_chosen_one_does_not(weight_kb, monkeypatch):
    found = industry_kb.retrieve("What is the density of a diamond?", include_aggregates=False)
    monkeypatch.setattr(industry_kb, "FOREIGN_MAX_DF", -1)  # every word counts as common in the knowledge base
    assert industry_kb.foreign_subject(found.question, found.candidates[:1]) == []
    assert industry_kb.answer_passages(found)


def test_a_question_is_parsed_once_for_its_subject_and_its_foreign_words(weight_kb, monkeypatch):
    """`subject_stems` and `foreign_subject` share one cached parse per text (`tagged`): answering a question parses
    it (and its regional-normalized form) once, and answering it again parses nothing."""
    nlp = tagger()
    parsed: list[str] = []

    def counting(text: str):
        parsed.append(text)
        return nlp(text)

    monkeypatch.setattr(industry_kb, "tagger", lambda: counting)
    industry_kb.tagged.cache_clear()
    question = "What is the density of a diamond varifocal?"
    found = industry_kb.retrieve(question, include_aggregates=False)
    industry_kb.subject_stems(question)
    industry_kb.answer_passages(found)
    assert sorted(parsed) == sorted({question, industry_kb.normalize_terms(question)})
    assert "diamond" in industry_kb.foreign_subject(question, found.candidates[:1])
    industry_kb.answer_passages(found)
    assert len(parsed) == 2  # nothing parsed again
    industry_kb.tagged.cache_clear()


@pytest.mark.parametrize("question", [
    "after a lot of gardening work my frame hinges keep getting loose, why?",
    "I only own a pair of reading glasses, why do the hinges on the frame keep getting loose?",
    "after a week of camping trips the hinges of my frame are loose, why?",
    "a shower of sparks hit my frame while grinding, why do the hinges keep getting loose now?",
    "after a splash of seawater the hinges of my frame are loose, why?",
])
def test_a_noun_of_amount_or_time_before_of_asks_no_property(weight_kb, question):
    """"a lot of X", "a pair of X", "a week of X", "a shower of X", "a splash of X" measure X (`MEASURE_NOUNS`): X is
    no thing whose property is asked, so the hinge record answers although it never names gardening, reading glasses,
    camping, sparks or seawater."""
    found = industry_kb.retrieve(question, include_aggregates=False)
    assert found.supported and found.best.passage.id == "wt-3"
    assert industry_kb.foreign_subject(found.question, found.candidates[:1]) == []
    assert _answer(question)[0] == "wt-3"
