"""Docs answers keep the short facts of a price list, and still refuse what the documents do not say."""

from __future__ import annotations

from agents.extractive import extractive_answer, split_sentences

PRICES = [{"title": "Price list", "text": "# Extras\n\n| Item | Price |\n|---|---|\n| Spare case | £9 |\n"
           "| Lens wipes | £4 |\n\nScreen protectors are sold in store only.\nAll prices include VAT and apply in "
           "every branch."}]


def test_a_short_line_that_states_an_amount_is_kept_and_answers():
    kept = [s for _, s in split_sentences(PRICES[0]["text"])]
    assert "Spare case: Price £9" in kept
    assert "Ok." not in [s for _, s in split_sentences("Ok.\nA very short line.")]  # a fragment is still dropped
    answer = extractive_answer("how much is a spare case", PRICES)
    assert answer.covered and "£9" in answer.text.split("\n")[2]


def test_a_question_the_price_list_does_not_answer_is_still_refused():
    answer = extractive_answer("how much does a home visit cost", PRICES)
    assert not answer.covered
