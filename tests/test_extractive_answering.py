"""Docs answers answer what the documents say in other words: a superlative ("cheapest") picks the lowest price among
the priced rows instead of being a word to find, a hyphenated word is its joined spelling ("re-fit" ~ refit), a
question's everyday wording is the policy's ("new recruits" ~ new staff), and "what do X lenses cost" reads "cost" as
the verb; one extra modifier of a mostly matched phrase, or one noun of a short question the passages lack, does not
unmake a close answer. What the documents do not say is still refused. Made-up tenant documents, not bench cases."""

from __future__ import annotations

import pytest

from agents.extractive import (
    LONG_QUESTION_WORDS,
    ONE_NOUN_SCORE,
    ScoredSentence,
    _question_keys,
    covers,
    extractive_answer,
    question_phrases,
)

PRICE_LIST = [{"title": "Tidewater Optics price list", "text": (
    "# Lenses\n\n| Item | Price |\n|---|---|\n"
    "| Single vision, everyday | $80 |\n"
    "| Single vision, ultra thin | $140 |\n"
    "| Blue filter (any lens) | $30 |\n\n"
    "# Services\n\n| Item | Price |\n|---|---|\n"
    "| Contact lens re-fit (existing wearer) | $35 |\n\n"
    "Frame adjustment and new nose pads are done while you wait.")},
    {"title": "Tidewater Optics staff handbook", "text": (
        "Training: new staff complete a two-week course at the Harbour Street store.\n"
        "Shift swaps must be agreed with the store manager two days in advance.\n"
        "Uniforms are provided and replaced once a year.")}]
COATINGS = [{"title": "Harrow Lane Opticians lens extras", "text": (
    "# Lens extras\n\n| Item | Price |\n|---|---|\n"
    "| Anti fog lenses | $45 |\n| Single vision, blue filter | $40 |\n"
    "| Scratch resistant hard coat | $25 |\n| Tint, any colour | $30 |\n\n"
    "Students with a valid card get 10% off lens extras.")}]
SERVICE = [{"title": "Harrow Lane Opticians customer service", "text": (
    "# Complaints\n\nWrite to us at care@harrowlane.example with your order number. "
    "We reply within 3 working days. If you are not happy with our reply, the store manager calls you back.\n\n"
    "# Repairs\n\nWe cannot repair rimless frames with glue; they are sent to the maker for a quote.")}]


def _first_quote(answer_text: str) -> str:
    return answer_text.split("\n")[2]


def test_cheapest_is_not_a_word_to_find_and_picks_the_lowest_priced_row():
    assert "cheapest" not in _question_keys("cheapest single vision lenses?")
    assert question_phrases("cheapest single vision lenses?") == [("lens", ("singl", "vision"))]
    low = extractive_answer("cheapest single vision lenses?", PRICE_LIST)
    assert low.covered and "$80" in _first_quote(low.text)
    high = extractive_answer("what are your most expensive single vision lenses", PRICE_LIST)
    assert high.covered and "$140" in _first_quote(high.text)


def test_cheapest_with_one_priced_thing_is_refused_rather_than_answered_with_it():
    kids = [{"title": "Kids club", "text": (
        "Children up to 10 get a flexible frame with lenses for a fixed price of $45.\n"
        "We check children's eyes every six months while they are in the club.\n"
        "Parents can book the check online or by phone.")}]
    answer = extractive_answer("what's the price of your cheapest adult frames", kids)
    assert not answer.covered


def test_a_hyphenated_word_is_its_joined_spelling():
    answer = extractive_answer("price of a lens refit?", PRICE_LIST)
    assert answer.covered and "$35" in _first_quote(answer.text)


def test_everyday_wording_of_who_is_asked_about_matches_the_policy_word():
    answer = extractive_answer("how long do new recruits train for", PRICE_LIST)
    assert answer.covered and "two-week course" in _first_quote(answer.text)


def test_cost_after_a_plural_noun_is_the_verb_not_the_thing_asked_about():
    phrases = question_phrases("What do the ultra thin single vision lenses cost?")
    assert all(head != "cost" for head, _ in phrases)
    answer = extractive_answer("What do the ultra thin single vision lenses cost?", PRICE_LIST)
    assert answer.covered and "$140" in _first_quote(answer.text)


def test_one_extra_modifier_of_a_mostly_matched_phrase_does_not_block_a_close_answer():
    answer = extractive_answer("what do blue light filter single vision lenses cost", COATINGS)
    assert answer.covered and "$40" in _first_quote(answer.text)


def _scored(text: str, score: float) -> ScoredSentence:
    return ScoredSentence(text, 0, 0, "", score, score, score, True)


def test_one_noun_the_documents_lack_does_not_unmake_a_close_answer_to_a_short_question():
    # one clause: after a story ("rimless frame in half, can you ...?") the asking clause alone may cover it
    question = "can you repair my rimless frame in half with glue?"
    assert 1 < len(_question_keys(question)) < LONG_QUESTION_WORDS
    sentence = "We cannot repair rimless frames with glue; they are sent to the maker for a quote."
    assert covers(question, SERVICE, [_scored(sentence, ONE_NOUN_SCORE + 0.01)])
    assert not covers(question, SERVICE, [_scored(sentence, ONE_NOUN_SCORE - 0.03)])


@pytest.mark.parametrize(("question", "documents"), [
    ("how much is a home visit for a housebound patient", PRICE_LIST),  # a price the documents do not state
    ("do seniors get a discount on lens extras", COATINGS),  # the one modifier that picks the thing out
    ("how long until you reply to a job application", SERVICE),  # about something else
])
def test_what_the_documents_do_not_say_is_still_refused(question: str, documents: list[dict[str, str]]):
    assert not extractive_answer(question, documents).covered
