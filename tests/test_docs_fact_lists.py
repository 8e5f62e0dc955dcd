"""Docs answers over lists of facts written one a line without list markers (a price list "Bifocal lenses - £95", an
opening-hours block "Saturday 9am - 4pm" / "Sunday closed"): each line is its own sentence, so the line that answers
is quoted, not the whole list scored as one unit; a question about one day is not answered with another day's
hours; everyday words and abbreviations are read as the words documents write in full ("shut" ~ close, "amex" ~
American Express). A wrapped paragraph is still one sentence, and what the documents do not say is still refused.
Made-up tenant documents, not bench cases."""

from __future__ import annotations

from agents.extractive import _days, extractive_answer, split_sentences
from tools.ingest import chunk_text
from tools.text_match import normalize_service_terms

PRICES = """# Lumen Street Optical prices

All prices include VAT.

## Lenses

Single vision lenses - £60
Bifocal lenses (with the visible line) - £95
Varifocal lenses - from £180
Lenses only, fitted into your own frame - £45 on top of the lens price

## Opening hours

Monday to Friday 9am - 5.30pm
Saturday 9am - 4pm
Sunday closed

We accept Visa, Mastercard and American Express. Glasses are usually ready in 7 days.
"""
SOURCES = [{"title": "Lumen Street Optical price list", "text": c} for c in chunk_text(PRICES)]


def _quotes(answer_text: str) -> list[str]:
    return [line.strip("> ").strip() for line in answer_text.split("\n")[2:] if line.strip("> ").strip()]


def test_a_price_list_without_markers_is_one_sentence_a_line():
    sentences = [s for _, s in split_sentences(PRICES)]
    assert "Bifocal lenses (with the visible line) - £95" in sentences
    assert "Single vision lenses - £60" in sentences
    assert "Sunday closed" in sentences  # short, but a whole fact of the list
    assert not any("£60" in s and "£95" in s for s in sentences)


def test_a_wrapped_paragraph_is_still_one_sentence():
    text = ("Frames bought in the January sale can be exchanged within 14 days\n"
            "if they are unworn and in their case, and the receipt is shown\n"
            "at the store where they were bought.")
    assert [s for _, s in split_sentences(text)] == [" ".join(line for line in text.splitlines())]
    hours = "Opening times vary in December:\nsee the notice in each store window for 2 days before Christmas."
    assert len(split_sentences(hours)) == 1


def test_the_answering_line_of_a_price_list_is_quoted_alone():
    bifocal = extractive_answer("bifocals with the line, how much?", SOURCES)
    assert bifocal.covered and _quotes(bifocal.text)[0].startswith("Bifocal lenses (with the visible line) - £95")
    own_frame = extractive_answer("how much for just the lenses if I bring my own frame", SOURCES)
    assert own_frame.covered and "£45" in _quotes(own_frame.text)[0] and "£60" not in _quotes(own_frame.text)[0]


def test_a_question_about_one_day_quotes_that_days_hours():
    assert _days("Mon - Fri 9 to 5") == {0, 1, 2, 3, 4} and _days("Sunday closed") == {6}
    assert _days("monthly lenses, month to month") == set() and _days("sunglasses for the sun") == set()
    saturday = extractive_answer("what time do you shut on saturday", SOURCES)
    assert saturday.covered and _quotes(saturday.text)[0].startswith("Saturday 9am - 4pm")
    sunday = extractive_answer("are you open on sundays?", SOURCES)
    assert sunday.covered and _quotes(sunday.text)[0].startswith("Sunday closed")


def test_everyday_words_and_abbreviations_read_as_the_documents_words():
    assert "American Express" in normalize_service_terms("do you take amex")
    assert "close" in normalize_service_terms("when do you shut")
    amex = extractive_answer("do you take amex?", SOURCES)
    assert amex.covered and "American Express" in _quotes(amex.text)[0]


def test_what_the_list_does_not_say_is_still_refused():
    for question in ("do you take diners club?", "can I pay with paypal", "how much to fix a hinge"):
        assert not extractive_answer(question, SOURCES).covered, question
