"""Docs answers read a question that mixes in words of another language: a lower-case word that is no English word
in everyday use and that the English documents hold in no form ("bisa", "mau") cannot be found in them, so it neither
lowers how much of the question the passages hold nor goes missing from them; a name, an English word and a word the
documents do hold still count. Made-up tenant (Selasih Optik, a Malaysian chain), not bench cases."""

from __future__ import annotations

from agents.extractive import _cover, _foreign_words, extractive_answer

PAYMENTS = [{"title": "Selasih payments", "text": (
    "# Paying for your glasses\n\n"
    "We accept cash, debit cards and all major credit cards at every counter.\n\n"
    "Instalment plans spread the cost of glasses over 6 or 12 months at 0% interest for purchases above RM600.\n\n"
    "# Home visits\n\n"
    "Our optometrist visits housebound customers in Shah Alam on Thursdays; the visit costs RM80.")}]


def test_a_lower_case_word_of_another_language_is_foreign() -> None:
    unheld = {"bisa": "bisa", "mau": "mau", "tomorrow": "tomorrow"}
    assert _foreign_words("bisa pay by instalments, mau buy tomorrow", unheld) == {"bisa", "mau"}
    # a capitalized word is a name ("Klang"), an English word is a word to find
    assert _foreign_words("do you visit Klang?", {"klang": "klang"}) == set()
    assert _foreign_words("do you sell swimming goggles?", {"swimm": "swimming", "goggl": "goggles"}) == set()


def test_foreign_words_do_not_unmake_a_covered_question() -> None:
    share, missing, _ = _cover("bisa pay by instalments or not?", PAYMENTS)
    assert "bisa" not in missing and share > 0.6, (share, missing)
    answer = extractive_answer("bisa pay by instalments or not?", PAYMENTS)
    assert answer.covered and "0% interest" in answer.text, answer.text


def test_english_words_the_documents_lack_still_count() -> None:
    # the documents say nothing about gift vouchers: an English word is not excused
    answer = extractive_answer("can I pay with a gift voucher?", PAYMENTS)
    assert not answer.covered, answer.text
