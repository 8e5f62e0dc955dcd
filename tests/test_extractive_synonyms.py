"""Docs answers read the trade's true synonyms as one word (`tools.text_match.SYNONYM_TERMS`): a question asking
about VAT is answered by a price list that says BTW, one about a frame's arm by the spare temples, a "sight test"
is an eye exam and "2nd" is "second"; chat shorthand ("btw") and multifocal lenses keep their meaning. A word the
answering sentence says in other words is held ("dive" ~ Diving mask), another thing of its kind is not."""

from __future__ import annotations

from agents.extractive import extractive_answer
from tools.text_match import normalize_synonyms

ZONNEBLOEM = [
    {"title": "Optiek Zonnebloem prices", "text": "# Prices\n\nAll our prices include 21% BTW.\n"
     "Frames from the Tulp collection cost 89 euro.\nSingle vision lenses cost 60 euro a pair."},
    {"title": "Optiek Zonnebloem guarantees", "text": "# Guarantees\n\nProgressive lenses come with a 45-day wearer "
     "guarantee: we adjust or remake them once for free.\nWe keep spare temples for every Tulp frame for 4 years "
     "after the model is discontinued.\nSecond repair of the same frame within a year: half the workshop price."},
]


def test_national_names_of_vat_answer_a_question_about_vat():
    answer = extractive_answer("are your prices including VAT?", ZONNEBLOEM)
    assert answer.covered
    assert "21% BTW" in answer.sentences[0].text


def test_a_frame_arm_is_a_temple():
    answer = extractive_answer("my Tulp frame was discontinued, can I still get a new arm for it?", ZONNEBLOEM)
    assert answer.covered
    assert "spare temples" in answer.sentences[0].text


def test_ordinals_written_with_digits_are_words():
    assert normalize_synonyms("the 2nd repair, on the 3rd day") == "the second repair, on the third day"
    assert normalize_synonyms("how much is a sight test") == "how much is a eye exam"


def test_chat_shorthand_and_multifocal_contacts_keep_their_meaning():
    assert normalize_synonyms("btw, is Iva in today?") == "btw, is Iva in today?"
    assert normalize_synonyms("multifocal contact lenses") == "multifocal contact lenses"
    assert normalize_synonyms("multifocal lenses and BTW") == "multifocal lenses and VAT"


JELEN = [
    {"title": "Optika Jelen price list", "text": "# Sport\n\nItem: Diving mask with bonded prescription lenses; "
     "Price: 150 euro, ready in 12 days.\nItem: Ski goggles with a prescription insert; Price: 95 euro.\n"
     "Item: Swimming goggles, stock powers; Price: 35 euro."},
    {"title": "Optika Jelen business customers", "text": "# Companies\n\nCompanies with at least 15 employees "
     "can sign a framework agreement: 20% off safety glasses and screen glasses.\nWe visit the workplace once a "
     "year for eye screenings."},
    {"title": "Optika Jelen contact lenses", "text": "# Coloured lenses\n\nWe sell coloured contact lenses only "
     "after a fitting, also without correction."},
]


def test_a_word_the_answering_sentence_says_in_other_words_is_held():
    answer = extractive_answer("can you make a dive mask with my prescription?", JELEN)
    assert answer.covered and "Diving mask" in answer.sentences[0].text
    answer = extractive_answer("our firm has 30 people, can we join your corporate agreement?", JELEN)
    assert answer.covered and "15 employees" in answer.sentences[0].text


def test_another_thing_of_the_same_kind_is_not_said_otherwise():
    assert not extractive_answer("do you sell violet contact lenses?", JELEN).covered
    assert not extractive_answer("how much is a snorkel mask with my prescription?", JELEN).covered
