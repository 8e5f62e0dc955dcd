"""Docs answers quote the sentence that completes the answering one: the next sentence of its passage and section is
quoted right after it when it holds what the answering sentence leaves out of the question (a word of the question
it lacks, or a limit the question's own amount or age falls within), and not when it adds nothing the question asks
or its limit leaves the question's case out. Made-up tenant (Larkspur Optical, a British chain), not bench cases."""

from __future__ import annotations

from agents.extractive import extractive_answer

HANDBOOK = [{"title": "Larkspur staff handbook", "text": (
    "# Closing the shop\n\n"
    "Count the till with a second colleague every evening at closing and lock the float in the safe. "
    "Anything over £10 goes in the discrepancy log, and the area manager must be told the same evening.\n\n"
    "Switch off the display lights and set the alarm before you leave.\n\n"
    "# Home visits\n\n"
    "Our optometrist makes home visits on Tuesday afternoons, and a travel charge of £45 applies to each visit. "
    "Nobody aged 80 or over pays it.\n\n"
    "# Returns\n\n"
    "Unopened boxes of contact lenses can be returned within 30 days of purchase for a full refund. The same applies "
    "to lenses bought from our online shop, sent back in their original packaging.\n\n"
    "# Uniform\n\n"
    "Staff wear the navy Larkspur tunic on the shop floor. Name badges are worn on the left.")}]


def test_a_limit_the_questions_amount_falls_within_is_quoted_after_the_answering_sentence() -> None:
    answer = extractive_answer("the till is £25 short at closing, what do I do?", HANDBOOK)
    assert answer.covered and "Count the till" in answer.sentences[0].text, answer.text  # added, not put in its place
    assert "the area manager must be told" in answer.text, answer.text
    answer = extractive_answer("do we charge the travel fee for a home visit to a 92-year-old?", HANDBOOK)
    assert answer.covered and "Nobody aged 80 or over pays it" in answer.text, answer.text
    # a limit the question's amount falls outside is another case's rule
    answer = extractive_answer("the till is £4 short at closing, what do I do?", HANDBOOK)
    assert answer.covered and "Count the till" in answer.text and "Anything over" not in answer.text, answer.text


def test_a_word_of_the_question_the_answering_sentence_lacks_brings_the_next_sentence() -> None:
    answer = extractive_answer("can I return unopened contact lenses I bought from the online shop?", HANDBOOK)
    assert answer.covered and "online shop" in answer.text and "within 30 days" in answer.text, answer.text


def test_a_next_sentence_that_adds_nothing_asked_is_not_quoted() -> None:
    answer = extractive_answer("what colour tunic do staff wear on the shop floor?", HANDBOOK)
    assert answer.covered and "navy" in answer.text, answer.text
    assert "Name badges" not in answer.text, answer.text
