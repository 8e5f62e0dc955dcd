"""Docs answers state the asked attribute or say the documents do not cover it, and read the question's words the way
the documents write them: a greeting in another language the question opens with is no word to find, a two-letter
abbreviation ("the QC branch") is one, a word written as two in the documents ("downpayment" ~ "down payment")
is the same word; "how much extra do I pay" wants a price, "what is the phone number" a number, "what's the name of"
and "which banks" a name the question does not already say, and "do you have a store in X" the place X itself (a rule
for the country it lies in does not say there is a store). Made-up tenant (Kereru Optometrists, a New Zealand chain),
not bench cases."""

from __future__ import annotations

from agents.extractive import _greeting_words, _question_keys, extractive_answer, split_sentences

STORES = [{"title": "Kereru stores", "text": (
    "# Our stores\n\n"
    "## Quay Central\n\n"
    "Quay Central store, 14 Harbour Lane, Quay Central, next to the ferry building. Open Monday to Saturday "
    "9:00 am - 5:30 pm.\n\n"
    "## Tawa\n\n"
    "The Tawa store manager may approve refunds up to $300 without asking head office.\n\n"
    "The Tawa store opened in 2021 and sends repairs to Quay Central.\n\n"
    "# Delivery\n\n"
    "We deliver glasses anywhere in New Zealand by courier, free for orders over $150.")}]

PAYMENTS = [{"title": "Kereru payments", "text": (
    "# Lay-by\n\n"
    "A lay-by holds your frame with a down payment of 25% of the price; pay the rest within 8 weeks.\n\n"
    "# Interest-free plans\n\n"
    "Holders of credit cards of participating banks can spread purchases over 6 months at no interest.\n\n"
    "# Express service\n\n"
    "Our Quay Central lab can make single vision glasses within 2 hours when the lenses are in stock.\n\n"
    "# Student discount\n\n"
    "Students with a valid student card get 15% off frames in every store.")}]


def test_a_greeting_in_another_language_is_no_word_to_find() -> None:
    assert _greeting_words("tena koe e hoa, do students get a discount?") == ("tena", "koe", "e", "hoa")
    assert "koe" not in _question_keys("tena koe e hoa, do students get a discount?")
    # an English opening, a name set off by a comma and a place are what the question is about
    assert _greeting_words("Students, do you give them a discount?") == ()
    assert _greeting_words("Varilux, do you sell it?") == ()
    answer = extractive_answer("tena koe e hoa, do students get a discount?", PAYMENTS)
    assert answer.covered and "15% off frames" in answer.text, answer.text


def test_a_two_letter_abbreviation_is_a_word_to_find() -> None:
    assert "qc" in _question_keys("when does the QC store open?")
    assert "it" not in _question_keys("we are an IT company, any discount?")  # a function word in capitals


def test_a_word_the_documents_write_as_two_is_the_same_word() -> None:
    answer = extractive_answer("how much is the downpayment for a lay-by?", PAYMENTS)
    assert answer.covered and "25% of the price" in answer.text, answer.text


def test_how_much_extra_needs_a_price() -> None:
    answer = extractive_answer("how much extra do I pay for the 2-hour express glasses?", PAYMENTS)
    assert not answer.covered, answer.text


def test_a_phone_number_question_needs_a_number() -> None:
    answer = extractive_answer("what is the phone number of the Quay Central store?", STORES)
    assert not answer.covered, answer.text


def test_a_name_question_needs_a_name_the_question_does_not_hold() -> None:
    answer = extractive_answer("what's the name of the Tawa store manager?", STORES)
    assert not answer.covered, answer.text
    named = [{"title": "Kereru staff", "text": "Our Tawa store manager is Mereana Whaanga; she approves refunds up "
                                                "to $300 without asking head office."}]
    answer = extractive_answer("what's the name of the Tawa store manager?", named)
    assert answer.covered and "Mereana Whaanga" in answer.text, answer.text
    answer = extractive_answer("which banks are part of the interest-free plan?", PAYMENTS)
    assert not answer.covered, answer.text


def test_a_store_in_a_place_needs_that_place_not_its_country() -> None:
    answer = extractive_answer("do you have a store in Hamilton?", STORES)
    assert not answer.covered, answer.text
    answer = extractive_answer("do you have a store in Tawa?", STORES)
    assert answer.covered and "Tawa" in answer.text, answer.text


LENS_PRICES = [{"title": "Kereru contact lens prices", "text": (
    "# Contact lenses\n\n"
    "| Item | Price |\n|---|---|\n"
    "| Daily lenses, box of 30 | NZ$ 65 |\n"
    "| Monthly soft lenses, box of 6 | NZ$ 92 |\n"
    "| Multipurpose solution 360 ml | NZ$ 24 |\n\n"
    "# Subscriptions\n\n"
    "| Plan | Monthly fee |\n|---|---|\n"
    "| Toric (astigmatism) monthly lenses, both eyes | NZ$ 58 |\n")}]


def test_a_box_of_a_kind_of_lens_is_priced_only_by_that_kind() -> None:
    # the priced thing is what the box holds; "Daily lenses" are another kind than the toric daily ones asked about
    answer = extractive_answer("what's the price of a box of toric daily lenses?", LENS_PRICES)
    assert not answer.covered or "NZ$ 65" not in answer.text.split("\n")[2], answer.text
    answer = extractive_answer("what's the price of a box of daily lenses?", LENS_PRICES)
    assert answer.covered and "NZ$ 65" in answer.text.split("\n")[2], answer.text


def test_what_the_asker_says_they_are_is_one_of_the_group_a_rule_names() -> None:
    # "a polytechnic student" is a student: the students' rule answers; the narrowing word is no word to find
    assert "polytechnic" not in _question_keys("I'm a polytechnic student, any discount?")
    answer = extractive_answer("I'm a polytechnic student, any discount?", PAYMENTS)
    assert answer.covered and "15% off frames" in answer.text, answer.text


def test_a_short_list_item_that_says_closed_is_a_fact() -> None:
    text = "## Tawa store\n\n- Monday to Friday: 9:00-17:30\n- Saturday: 9:00-13:00\n- Sunday: closed\n"
    assert ("Tawa store", "Sunday: closed") in split_sentences(text)
    answer = extractive_answer("is the Tawa store open on sundays?", [{"title": "Kereru hours", "text": text}])
    assert answer.covered and "Sunday: closed" in answer.text.split("\n")[2], answer.text
