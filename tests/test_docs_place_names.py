"""Docs answers read places and abbreviations the way the documents write them: a store named in the question by its
other-language name ("Cologne") is the documents' "Köln" store, a city asked about lies in the country a delivery
rule names ("anywhere in Austria"), a place outside the territory a rule states ("we do not ship outside Austria")
is answered by that rule, and an abbreviation is its spelt-out phrase. Made-up tenant documents (an Austrian
optician), not bench cases."""

from __future__ import annotations

import pytest

from agents.extractive import extractive_answer
from tools.place_forms import countries_named, question_places, territory_countries
from tools.text_match import abbreviation_phrases

STORES = [{"title": "Alpenblick Optik stores", "text": (
    "# Our stores\n\n"
    "Wien store: Mariahilfer Straße 88, open Monday to Saturday 9:00 to 18:30.\n"
    "Salzburg store: Getreidegasse 4, open Monday to Friday 9:30 to 18:00.\n\n"
    "# Parking\n\n"
    "The Salzburg store has four customer parking spaces in the courtyard behind the shop.")},
    {"title": "Alpenblick Optik delivery and insurance", "text": (
        "Contact lens orders are delivered anywhere in Austria within 3 working days; delivery costs EUR 4.90. "
        "We do not ship outside Austria.\n\n"
        "Patients insured with the Österreichische Gesundheitskasse can claim a lens subsidy; "
        "we send the claim for you.")}]


def _first_quote(answer_text: str) -> str:
    return answer_text.split("\n")[2]


def test_a_store_named_in_english_is_the_documents_store_under_its_local_name():
    answer = extractive_answer("what time does the Vienna store close on Saturday?", STORES)
    assert answer.covered and "Mariahilfer" in _first_quote(answer.text)


def test_a_city_in_the_country_a_delivery_rule_names_is_answered_by_that_rule():
    answer = extractive_answer("how much is delivery of contact lenses to my flat in Graz?", STORES)
    assert answer.covered and "EUR 4.90" in answer.text


@pytest.mark.parametrize("question", ["can you ship contact lenses to Munich?", "do you deliver lenses to Italy?"])
def test_a_place_outside_the_stated_territory_is_answered_by_the_territory_rule(question: str):
    answer = extractive_answer(question, STORES)
    assert answer.covered and "outside Austria" in answer.text


def test_an_abbreviation_is_its_spelt_out_phrase_and_the_other_way_round():
    tax = [{"title": "Alpenblick Optik tax", "text": (
        "Tourists can get the value added tax back on glasses over EUR 75; we fill in the refund form at the till."
        "\nAll prices in the shop include 20% VAT.")}]
    assert abbreviation_phrases("VAT", tax[0]["text"]) == [["value", "added", "tax"]]
    answer = extractive_answer("can tourists get the VAT back on glasses?", tax)
    assert answer.covered and "value added tax" in _first_quote(answer.text)
    answer = extractive_answer("is value added tax included in your prices?", tax)
    assert answer.covered and "20% VAT" in answer.text


def test_places_of_a_question_and_countries_of_a_text():
    places = {p.name: p for p in question_places("I live in Graz, can you ship to the UAE or to Munich?")}
    assert places["Graz"].countries == {"AT"} and places["UAE"].country
    assert "munchen" in places["Munich"].forms
    assert set(countries_named("We ship to the United Kingdom and Österreich. CONTACT US.")) >= {"GB"}
    assert "US" not in countries_named("CONTACT US for a quote")
    assert set(territory_countries(STORES[1]["text"])) == {"AT"}


def test_lower_case_place_is_read_by_its_other_name() -> None:
    # "vienna" typed in lower case where a place goes is the documents' Wien store; an ordinary lower-case word is no
    # place, and without the documents' missing words nothing is looked up
    (place,) = question_places("is the vienna store open on saturdays", frozenset({"vienna"}))
    assert "wien" in place.forms and not place.countries
    assert question_places("is the vienna store open on saturdays") == ()
    answer = extractive_answer("is the vienna store open on saturdays?", STORES)
    assert answer.covered and "Mariahilfer" in answer.text, answer.text
