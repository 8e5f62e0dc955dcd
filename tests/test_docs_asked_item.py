"""Docs answers state the asked attribute of the asked thing, or say the documents do not cover it: a price question
is not answered by the price of another item of the list, a "what time" question not by the day or how often
something happens; a question about a named thing is answered by what the documents say about it in their own words
("home visits" for a "home eye test"), and a hyphenated noun's particle ("check-ups") is no word to find. Made-up
tenant documents (Brackenfield Eyecare, a mobile optician), not bench cases."""

from __future__ import annotations

from agents.extractive import _question_keys, extractive_answer

PRICES = [{"title": "Brackenfield Eyecare price list", "text": (
    "# Contact lenses\n\n"
    "Daily contact lenses start from £22 a month on the Brackenfield Lens Plan.\n"
    "A contact lens check is free for Lens Plan members and £35 for everyone else.\n\n"
    "# Glasses\n\n"
    "Single vision glasses start from £59 including a basic frame.")}]
TIMETABLE = [{"title": "Brackenfield Eyecare van timetable", "text": (
    "# Where the van stops\n\n"
    "Stop: Kilbride; Where we park: the village hall car park; When: every second Saturday\n\n"
    "Stop: Auchenmore; Where we park: Main Street by the church; When: Tuesdays, 10 am to 4 pm\n\n"
    "The van does not run on public holidays.")}]
VISITS = [{"title": "Brackenfield Eyecare home visits", "text": (
    "# Visits at home\n\n"
    "We visit people who cannot leave home unaided because of illness or disability.\n"
    "Visits run from 9 am to 5 pm, Monday to Friday; home visits are not offered on Saturdays.\n"
    "Please have your current glasses and a list of your medicines ready.")}]


def test_price_of_an_item_the_list_does_not_name_is_not_covered() -> None:
    answer = extractive_answer("how much does a contact lens case cost?", PRICES)
    assert not answer.covered, answer.text
    assert "don't seem to cover" in answer.text


def test_price_of_an_item_the_list_names_is_quoted() -> None:
    answer = extractive_answer("how much is a contact lens check if I'm not on the plan?", PRICES)
    assert answer.covered, answer.text
    assert "£35" in answer.text


def test_what_time_is_not_answered_by_the_day_alone() -> None:
    answer = extractive_answer("what time does the van get to Kilbride?", TIMETABLE)
    assert not answer.covered, answer.text


def test_what_time_is_answered_by_the_hours() -> None:
    answer = extractive_answer("what time does the van get to Auchenmore?", TIMETABLE)
    assert answer.covered, answer.text
    assert "10 am to 4 pm" in answer.text


def test_named_day_answered_in_the_documents_own_words() -> None:
    answer = extractive_answer("Can the home eye test be on a Saturday?", VISITS)
    assert answer.covered, answer.text
    assert "not offered on Saturdays" in answer.text


def test_hyphenated_noun_particle_is_no_word_to_find() -> None:
    keys = _question_keys("how many check-ups and top-ups come with the plan")
    assert "ups" not in keys and "up" not in keys
    assert "check" in keys


PAYMENTS = [{"title": "Brackenfield Eyecare payments", "text": (
    "# Paying for glasses\n\n"
    "For glasses not fully paid by a voucher we ask for a deposit of half the price when you order.\n"
    "The balance is paid when you collect your glasses.\n"
    "You can pay by card on the van, or by cheque made payable to Brackenfield Eyecare Ltd.\n"
    "We do not offer credit or instalments.")}]


def test_words_of_the_askers_tone_are_no_words_to_find() -> None:
    question = "my grandad wants to pay by cheque, is that still ok?"
    assert not {"want", "still"} & set(_question_keys(question))
    answer = extractive_answer(question, PAYMENTS)
    assert answer.covered, answer.text
    assert "cheque made payable" in answer.text
