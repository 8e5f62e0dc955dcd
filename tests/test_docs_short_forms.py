"""Docs answers read a question's short forms and other-language words the way the tenant's own documents write them,
and state the asked attribute of the asked thing or say the documents do not cover it: a place shortened in the
question ("Ksi" for Kumasi) is the one place name of the passages it fits, a word the documents gloss in brackets
("co-payment (Zuzahlung)") finds the sentences that use either word, an abbreviated asked item ("RGP") is found spelt
out; "is there a fee for ..." needs a price, "preservative-free" is none, and a price of another kind of the asked
thing ("moisture chamber goggles" for ski goggles) does not answer. Made-up tenants (Sunbird Eyecare, a Ghanaian
chain; Augenblick Optik, a German one), not bench cases."""

from __future__ import annotations

import pytest

from agents.extractive import _question_keys, extractive_answer
from tools.place_forms import place_abbreviation
from tools.text_match import glossed_question, glosses, stem

CENTRES = [{"title": "Sunbird Eyecare centres", "text": (
    "# Our eye centres\n\n"
    "## Kumasi\n\n"
    "Sunbird Eye Centre Kumasi, Harper Road, opposite the Adum post office. Open Monday to Friday 8:00 am - 5:00 pm "
    "and Saturday 9:00 am - 1:00 pm.\n\n"
    "## Tamale\n\n"
    "Sunbird Eye Centre Tamale, Bolgatanga Road, next to the central mosque. Open Tuesday to Saturday "
    "8:30 am - 4:30 pm.\n\n"
    "## Techiman\n\n"
    "Our Techiman optometrist sees patients at the municipal hospital on Mondays and Wednesdays, 9:00 am - 3:00 pm.")}]

INSURANCE = [{"title": "Augenblick Optik health insurance", "text": (
    "# Health insurance\n\n"
    "Adults with statutory insurance pay a yearly co-payment (Zuzahlung) of at most 2% of their income for medical "
    "aids.\n\n"
    "Children's glasses are free of any co-payment until their 18th birthday.\n\n"
    "Contact lenses are paid only for very weak sight, with a prescription from an eye doctor.")}]

PRICES = [{"title": "Augenblick Optik prices", "text": (
    "# Price list\n\n"
    "| Item | Price |\n|---|---|\n"
    "| Rigid gas permeable lens fitting, both eyes | EUR 180 |\n"
    "| Moisture chamber goggles for dry eyes | EUR 64 |\n"
    "| Soft contact lens fitting, both eyes | EUR 90 |\n\n"
    "# Other products\n\n"
    "For skiing we order prescription ski goggles, which take about 3 weeks to arrive.\n\n"
    "Preservative-free eye drops are sold in boxes of 20 single-dose vials.\n\n"
    "# Talks\n\n"
    "Our optometrists give a short talk about eye health at schools and care homes on request.")}]


def test_a_place_shortened_in_the_question_is_the_one_place_name_it_fits() -> None:
    text = CENTRES[0]["text"]
    assert place_abbreviation("Ksi", text) == "Kumasi"  # letters in order, one vowel
    assert place_abbreviation("TCH", text) == "Techiman"
    assert place_abbreviation("Tam", text) == "Tamale"  # a clipped name
    assert place_abbreviation("Tma", text) is None  # fits Tamale and Techiman: neither
    assert place_abbreviation("Snb", text) is None  # "Sunbird" is no place
    answer = extractive_answer("where is your Ksi centre?", CENTRES)
    assert answer.covered and "Harper Road" in answer.text.split("\n")[2], answer.text
    answer = extractive_answer("what are the opening hours of the Ksi centre?", CENTRES)
    assert answer.covered and "Saturday 9:00 am - 1:00 pm" in answer.text.split("\n")[2], answer.text


def test_a_greeting_the_question_opens_with_is_no_word_to_find() -> None:
    assert "akwaaba" not in _question_keys("akwaaba! which days are you in Techiman?")
    answer = extractive_answer("akwaaba! which days are you in Tch?", CENTRES)
    assert answer.covered and "Mondays and Wednesdays" in answer.text, answer.text


def test_a_word_the_documents_gloss_finds_the_sentences_that_use_either_word() -> None:
    text = INSURANCE[0]["text"]
    assert glosses(text)[stem("Zuzahlung")] == {stem("payment")}
    assert glossed_question("do the kids' glasses count towards my Zuzahlung?", text) == \
        "do the kids' glasses count towards my yearly co-payment?"
    assert not glosses("## Kumasi (main centre)\n\nAccra (head office) is closed on Sundays.")
    answer = extractive_answer("do my kid's glasses count towards my Zuzahlung?", INSURANCE)
    assert answer.covered and answer.text.split("\n")[2].startswith("> Children's glasses are free"), answer.text


def test_an_abbreviated_asked_item_is_found_spelt_out() -> None:
    answer = extractive_answer("how much is an RGP lens fitting?", PRICES)
    assert answer.covered and "EUR 180" in answer.text, answer.text


@pytest.mark.parametrize("question", [
    "how much do the prescription ski goggles cost",  # only goggles of another kind are priced
    "what's the price of the preservative-free eye drops",  # "-free" says what they lack, not what they cost
    "is there a fee for the talk about eye health",  # the talk is offered, its price is not stated
])
def test_a_price_question_is_not_answered_without_the_asked_price(question: str) -> None:
    answer = extractive_answer(question, PRICES)
    assert not answer.covered, answer.text


def test_a_price_of_the_kind_asked_about_still_answers() -> None:
    answer = extractive_answer("how much are the moisture chamber goggles?", PRICES)
    assert answer.covered and "EUR 64" in answer.text, answer.text
    answer = extractive_answer("is there a fee for a soft contact lens fitting?", PRICES)
    assert answer.covered and "EUR 90" in answer.text, answer.text


def test_how_many_units_of_time_needs_a_number_of_them() -> None:
    vague = [{"title": "Sunbird Eyecare children's eyes", "text": (
        "# Patching\n\nFor a lazy eye the optometrist may prescribe patching for a number of hours a day.\n\n"
        "Eye patches come in boxes of 50 and in three sizes.")}]
    answer = extractive_answer("how many hours a day should my son wear the eye patch?", vague)
    assert not answer.covered, answer.text
    exact = [{"title": vague[0]["title"], "text": vague[0]["text"].replace("a number of hours", "2 to 3 hours")}]
    answer = extractive_answer("how many hours a day should my son wear the eye patch?", exact)
    assert answer.covered and "2 to 3 hours" in answer.text, answer.text
