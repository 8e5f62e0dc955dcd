"""Which knowledge-base records an industry answer quotes (tools/industry_kb.py `answer_passages`): the definition of
the thing a question names joins a specific record that leaves the defining facts out, another record answering the
same question joins the first, and nothing that repeats a chosen record or is about another subject is added.
Real MiniLM embeddings over small made-up knowledge bases written to a temporary folder (`_kb_from`)."""

from __future__ import annotations

import pytest

from tests.test_industry_kb import _kb_from
from tools import industry_kb
from tools.text_match import content_stems

# Night lenses: a definition record and specific records about the same thing, plus neighbours on other subjects.
NIGHT = [
    ("night-1", "What is orthokeratology?",
     "Orthokeratology (ortho-k) uses rigid lenses worn overnight to flatten the cornea temporarily, so the wearer sees "
     "clearly during the day without glasses. The effect wears off within days when the lenses are stopped."),
    ("night-2", "How long does a child wear ortho-k lenses each night?",
     "Ortho-k lenses are worn every night for at least six to eight hours of sleep and taken out in the morning."),
    ("night-3", "Is ortho-k safe for children?",
     "Ortho-k is considered safe when the lenses are cleaned as instructed; the main risk is a corneal infection, "
     "which is rare with good hygiene."),
    ("night-4", "Can I sleep in my daily disposable lenses?",
     "No. Daily disposable lenses are made for daytime wear only; sleeping in them raises the risk of infection."),
    ("night-5", "What are scleral lenses?",
     "Scleral lenses are large rigid lenses that rest on the white of the eye and vault over the cornea, holding a "
     "layer of saline over it."),
    ("night-6", "Why do my eyes feel dry in the morning?",
     "Eyes can feel dry on waking when the lids do not close fully at night or the bedroom air is dry."),
]

# Two records answering the same question in different words (an older and a newer record), plus neighbours.
CROSS = [
    ("cross-1", "What is the fitting cross on a varifocal?",
     "The fitting cross is a temporary ink mark on a varifocal lens that shows where the lens was designed to sit in "
     "front of the eye."),
    ("cross-2", "What is the fitting cross on a progressive lens?",
     "The fitting cross is placed at the centre of the pupil when the wearer looks straight ahead; the corridor to the "
     "reading area starts just below it."),
    ("cross-3", "What is the fitting cross mark for on a varifocal lens?",
     "The fitting cross is a temporary ink mark on a varifocal lens that shows where the lens was designed to sit in "
     "front of the eye, and it is wiped off after fitting."),
    ("cross-4", "What is the minimum fitting height for a progressive lens?",
     "Most progressive designs need a fitting height of at least 14 to 18 mm from the fitting cross to the bottom of "
     "the frame."),
    ("cross-5", "Why do my new glasses feel heavy on my nose?",
     "Heavy lenses or small nose pads concentrate the weight on a small area; lighter lenses or larger pads help."),
]


# A definition that gives its thing two names ("X or Y"), a specific record using the second name, plus neighbours.
ALIAS = [
    ("alias-1", "What is a photochromic or light-reactive lens?",
     "A photochromic lens darkens in ultraviolet light outdoors and clears again indoors, so one pair works inside and "
     "out; it darkens little behind a car windscreen, which blocks most ultraviolet light."),
    ("alias-2", "How long do light-reactive lenses take to clear indoors?",
     "Most light-reactive lenses clear in about two to five minutes indoors, a little faster in a warm room."),
    *[r for r in NIGHT if r[0] in ("night-4", "night-5", "night-6")],  # neighbours on other subjects
]


@pytest.fixture()
def alias_kb(tmp_path, monkeypatch):
    return _kb_from(tmp_path, monkeypatch, "alias", "lens_types", ALIAS)


@pytest.fixture()
def night_kb(tmp_path, monkeypatch):
    return _kb_from(tmp_path, monkeypatch, "night", "contact_lenses", NIGHT)


@pytest.fixture()
def cross_kb(tmp_path, monkeypatch):
    return _kb_from(tmp_path, monkeypatch, "cross", "dispensing", CROSS)


def _ids(question: str) -> list[str]:
    found = industry_kb.retrieve(question, include_aggregates=False)
    return [h.passage.id for h in industry_kb.answer_passages(found)]


def _passage(question: str) -> industry_kb.Passage:
    return industry_kb.Passage("x", question, "an answer", "test", "test")


def test_the_thing_a_question_asks_to_define_is_read_from_its_wording():
    subject = industry_kb.defined_subject
    assert subject(_passage("What is a rimless frame?")) == content_stems("rimless frame")
    assert subject(_passage("What are scleral lenses?")) == content_stems("scleral lens")
    assert subject(_passage("What's orthokeratology")) == content_stems("orthokeratology")
    assert content_stems("progressive") <= subject(_passage("What are varifocals?"))  # regional terms normalized
    # questions that ask something else about a thing define nothing
    assert subject(_passage("What is the difference between daily and monthly lenses?")) is None
    assert subject(_passage("What is the best frame for a wide face?")) is None
    assert subject(_passage("What is a slab-off used for?")) is None
    assert subject(_passage("How does orthokeratology work?")) is None
    assert subject(_passage("Why do glasses slide down?")) is None


def test_the_definition_of_the_thing_a_question_names_joins_a_specific_record(night_kb):
    ids = _ids("ortho-k... you wear lenses at night and see in the day?? how does that even work")
    assert ids == ["night-2", "night-1"]  # the nightly-wear record, then what ortho-k is (how it works)


def test_no_definition_is_added_when_the_question_does_not_name_the_thing_or_it_is_already_quoted(night_kb):
    assert "night-1" not in _ids("Can I sleep in my daily disposable contact lenses?")  # names no ortho-k
    assert _ids("What is orthokeratology?").count("night-1") == 1  # the definition answers: not quoted twice
    # a definition far below a record that answers the question squarely is not added
    assert _ids("my son does ortho-k, how long should he wear them at night?") == ["night-2"]


def test_another_record_answering_the_same_question_joins_the_first_but_never_a_repeat(cross_kb):
    ids = _ids("Where should the fitting cross of my varifocals sit?")
    assert set(ids) == {"cross-1", "cross-2"} or set(ids) == {"cross-3", "cross-2"}  # both records, no repeat
    assert not {"cross-1", "cross-3"} <= set(ids)  # cross-3 repeats cross-1's answer: never both
    assert "cross-5" not in ids and len(ids) == 2


def test_an_answer_quotes_only_distinct_records_on_the_question_s_subject_and_an_off_topic_question_none(night_kb):
    ortho_k = {"night-1", "night-2", "night-3"}  # the knowledge base's records about ortho-k; the rest are neighbours
    for question in ("What is orthokeratology and is it safe for kids?", "ortho-k how long per night",
                     "Is ortho-k safe for my child?"):
        ids = _ids(question)
        assert 1 <= len(ids) <= industry_kb.MAX_PASSAGES and len(set(ids)) == len(ids)
        assert set(ids) <= ortho_k, (question, ids)  # never a record about dailies, sclerals or dry mornings
    assert _ids("Who won the football world cup in 1966?") == []


def test_a_definition_answers_to_every_name_it_gives_its_thing(alias_kb, monkeypatch):
    names = industry_kb.defined_names(_passage("What is a photochromic or light-reactive lens?"))
    assert content_stems("light-reactive lens") in names and content_stems("photochromic lens") in names
    assert content_stems("OCT") in industry_kb.defined_names(_passage("What is optical coherence tomography (OCT)?"))
    # a quoted name is whole (no head noun added); "or" inside a question that asks something else gives no names
    assert content_stems("frame alignment") in industry_kb.defined_names(_passage('What is "frame alignment" or '
                                                                                  '"truing"?'))
    assert industry_kb.defined_names(_passage("What is the difference between bifocals or varifocals?")) == []
    # the question names the thing only by its second name: its definition joins the specific record (a five-record
    # knowledge base spreads scores wider and lower than the real one: the window and the bar are widened here)
    monkeypatch.setattr(industry_kb, "DEFINE_WITHIN", 0.35)
    monkeypatch.setattr(industry_kb, "MIN_SCORE", 0.45)
    assert _ids("how long until light-reactive lenses go clear when I come inside?") == ["alias-2", "alias-1"]


# Fogged glasses under a face mask: three records on the same subject (why, how to stop it, anti-fog coatings), one
# on fogging from another cause, and neighbours on other subjects.
MASK = [
    ("mask-1", "Why do my glasses fog up when I wear a face mask?",
     "Warm, moist breath escaping from the top of a face mask meets the cooler lenses and condenses on them."),
    ("mask-2", "How do I stop my glasses fogging up with a face mask?",
     "Shape the mask's nose wire to the nose and rest the glasses on top of the mask, so breath leaves below the "
     "lenses instead of over them."),
    ("mask-3", "Do anti-fog coatings work on glasses worn with a face mask?",
     "An anti-fog coating or wipe spreads the condensation into a thin clear film, so the lenses stay clear with a "
     "face mask; it wears off and needs renewing."),
    ("mask-4", "Why do my glasses fog up when I come in from the cold?",
     "Cold lenses brought into a warm room are below the air's dew point, so its moisture condenses on them until "
     "they warm up."),
    ("mask-5", "Why do my new glasses feel heavy on my nose?",
     "Heavy lenses or small nose pads concentrate the weight on a small area; lighter lenses or larger pads help."),
    ("mask-6", "Why do my eyes feel dry in the morning?",
     "Eyes can feel dry on waking when the lids do not close fully at night or the bedroom air is dry."),
    ("mask-7", "How long should a pair of glasses last?",
     "Frames often last several years; lenses are usually replaced when the prescription changes."),
]


@pytest.fixture()
def mask_kb(tmp_path, monkeypatch):
    return _kb_from(tmp_path, monkeypatch, "mask", "lens_types", MASK)


def test_close_records_on_the_question_subject_are_quoted_together(mask_kb, monkeypatch):
    # (a seven-record knowledge base spreads scores wider than the real one: the window is widened here)
    monkeypatch.setattr(industry_kb, "MERGE_WITHIN", 0.12)
    ids = _ids("my glasses fog up under my face mask, what helps?")
    assert ids == ["mask-1", "mask-2", "mask-3"]  # why, how to stop it, anti-fog coatings: all three, best first


def test_records_on_another_subject_never_join_however_close_and_answers_stay_at_three(mask_kb, monkeypatch):
    monkeypatch.setattr(industry_kb, "MERGE_WITHIN", 0.3)  # fog from the cold scores within this of the best
    ids = _ids("my glasses fog up under my face mask, what helps?")
    assert "mask-4" not in ids and "mask-5" not in ids  # fog from the cold, a heavy frame: not the mask's fog
    assert len(ids) == industry_kb.MAX_PASSAGES
    monkeypatch.setattr(industry_kb, "MERGE_WITHIN", 1.0)
    assert _ids("Why do my new glasses feel heavy on my nose?") == ["mask-5"]  # nothing else is about that
    assert _ids("Who won the football world cup in 1966?") == []


# People's eye conditions and eyewear, one record on a cat's scratch to a person's eye, plus neighbours.
SPECIES = [
    ("sp-1", "What is glaucoma?",
     "Glaucoma is damage to the optic nerve, usually from raised pressure in the eye; it takes side vision first and "
     "is found at a routine eye test."),
    ("sp-2", "Can glaucoma make you blind?",
     "Untreated glaucoma can lead to loss of sight; drops or laser that lower the eye pressure stop most of the "
     "damage when it is found early."),
    ("sp-3", "What should I do if a cat scratches my eye?",
     "A cat scratch can scratch the cornea; see an optometrist or urgent care the same day, as it can get infected."),
    ("sp-4", "Are category 4 sunglasses fine for driving?",
     "No. Category 4 sunglasses let through too little light for driving and are not allowed at the wheel."),
    ("sp-5", "What causes itchy eyes around pets?",
     "Allergic conjunctivitis from pet dander or pollen makes the eyes itchy, red and watery."),
    ("sp-6", "Why do my new glasses feel heavy on my nose?",
     "Heavy lenses or small nose pads concentrate the weight on a small area; lighter lenses or larger pads help."),
]


@pytest.fixture()
def species_kb(tmp_path, monkeypatch):
    return _kb_from(tmp_path, monkeypatch, "sp", "eye_conditions", SPECIES)


def test_a_question_about_an_animal_s_eyes_is_not_answered_by_records_about_people_s(species_kb):
    for question in ("Can dogs get glaucoma?", "Can rabbits go blind from glaucoma?"):
        found = industry_kb.retrieve(question, include_aggregates=False)
        assert found.supported, question  # the people's records score well: only the named animal tells them apart
        assert industry_kb.answer_passages(found) == [], question
    assert _ids("Can glaucoma make you blind?")[:1] == ["sp-2"]  # the same records still answer people's questions
    # an animal a chosen record names, or a word of the list read as a modifier or a category, refuses nothing
    assert _ids("a cat scratched my eye, what do I do?")[:1] == ["sp-3"]
    assert _ids("are cat 4 sunglasses ok for driving?")[:1] == ["sp-4"]
    hits = industry_kb.retrieve("itchy eyes from pet dander", include_aggregates=False).hits
    assert industry_kb.other_species("itchy eyes from pet dander", hits[:1]) == []
    assert industry_kb.other_species("do horses get glaucoma", hits[:1]) == ["horses"]
    assert industry_kb.other_species("does clicking a computer mouse all day strain my eyes", hits[:1]) == []


# Eye-test intervals for three age groups (made-up wording and intervals), plus neighbours on other subjects.
AGES = [
    ("age-1", "How often should I get my eyes tested when I am over 70?",
     "From 70 the checks come yearly, since cataract and macular changes become common."),
    ("age-2", "How often should adults get their eyes tested?",
     "Most adults with healthy eyes are checked every two years, sooner when they notice a change."),
    ("age-3", "How often should children get their eyes tested?",
     "Children are usually checked every year, because their eyes change as they grow."),
    ("age-4", "Why do my new glasses feel heavy on my nose?",
     "Heavy lenses or small nose pads concentrate the weight on a small area; lighter lenses or larger pads help."),
    ("age-5", "What are scleral lenses?",
     "Scleral lenses are large rigid lenses that rest on the white of the eye and vault over the cornea."),
]


@pytest.fixture()
def age_kb(tmp_path, monkeypatch):
    monkeypatch.setattr(industry_kb, "MIN_SCORE", 0.3)  # a five-record base scores flatter than the real one
    monkeypatch.setattr(industry_kb, "ASK_WITHIN", 0.2)  # every interval record is a close candidate here
    return _kb_from(tmp_path, monkeypatch, "age", "clinical_basics", AGES)


def test_the_asker_s_stated_age_is_read_only_from_a_person_s_age():
    assert industry_kb.asker_age("I'm 38, how often should I get my eyes tested?") == 38
    assert industry_kb.asker_age("how often should a healthy 35 yr old get their eyes checked") == 35
    assert industry_kb.asker_age("my 9-year-old son keeps squinting at the board") == 9
    assert industry_kb.asker_age("the lens cracked in her 15-year-old titanium frame") is None  # a thing's age
    assert industry_kb.asker_age("I am 6 months pregnant, is blurry vision normal?") is None  # no age
    assert industry_kb.asker_age("how often should I get my eyes tested?") is None
    assert industry_kb.asker_age("I'm 6 foot tall and my glasses slide down") is None  # a height, not an age
    assert industry_kb.asker_age("I'm 20/20 in both eyes, why do I squint?") is None  # an acuity


def test_a_record_about_another_age_group_does_not_answer_when_one_for_the_stated_age_is_close(age_kb):
    passages = {p.id: p for p in age_kb.passages}
    assert not industry_kb.age_fits(35, passages["age-1"]) and industry_kb.age_fits(75, passages["age-1"])
    assert not industry_kb.age_fits(35, passages["age-3"]) and industry_kb.age_fits(8, passages["age-3"])
    assert industry_kb.age_fits(35, passages["age-2"]) and not industry_kb.age_fits(8, passages["age-2"])
    # the over-70 record is worded most like this question, yet the asker is 35: the adults' record answers
    question = "how often should I get my eyes tested when I'm 35?"
    found = industry_kb.retrieve(question, include_aggregates=False)
    assert found.best.passage.id == "age-1"
    assert _ids(question)[:1] == ["age-2"] and "age-1" not in _ids(question)
    assert _ids("how often should I get my eyes tested when I'm 74?")[:1] == ["age-1"]
    assert _ids("how often should my 8 year old get his eyes tested?")[:1] == ["age-3"]
    # no age stated: the best-scoring record answers as before
    assert _ids("how often should I get my eyes tested when I am over 70?")[:1] == ["age-1"]
