"""Docs answers answer with the unit that holds the fact: a bold line ("**Opening hours**") is a section heading, the
list items a lead-in sentence announces are quoted with it however short they are ("- people with diabetes") and
never the next section's sentences in their place, a sentence announcing what follows ("here is what happens.")
brings the sentence after it, and a part of the day ("Saturday afternoon") is answered by the hours' clock times.
Questions the documents do not answer are still said not covered. Made-up tenant (Brackenfield Opticians), not bench
cases."""

from __future__ import annotations

from agents.extractive import extractive_answer, split_sentences

GUIDE = [{"title": "Brackenfield Opticians guide", "text": (
    "**Opening hours**\nMonday to Friday 9:00-17:30\nSaturday 9:00-13:00\nSunday closed\n\n"
    "## Lost glasses\n\nIf you lose your glasses within the first year, here is what happens. "
    "We replace them at half the usual price, once per year.\n\n"
    "## Who can get free tests\n\nThe following people get a free eye test:\n"
    "- children under 16\n- people over 60\n- people with diabetes\n\n"
    "## Deposits\n\nA deposit is taken on every order. It is 50% of the order value and is not refundable once lenses "
    "are cut.\n")}]


def test_a_bold_line_is_a_section_heading() -> None:
    pairs = split_sentences(GUIDE[0]["text"])
    assert ("Opening hours", "Saturday 9:00-13:00") in pairs, pairs
    assert all(s != "Opening hours" for _, s in pairs), pairs


def test_the_items_a_lead_in_announces_are_quoted_and_not_the_next_section() -> None:
    answer = extractive_answer("do diabetics get free eye tests?", GUIDE)
    assert answer.covered and "people with diabetes" in answer.text, answer.text
    assert "deposit" not in answer.text.lower(), answer.text


def test_a_sentence_announcing_what_follows_brings_the_next_sentence() -> None:
    answer = extractive_answer("what if I lose my glasses in the first year?", GUIDE)
    assert answer.covered and "half the usual price" in answer.text, answer.text


def test_a_part_of_the_day_is_answered_by_clock_times() -> None:
    answer = extractive_answer("are you open on saturday afternoon?", GUIDE)
    assert answer.covered and "Saturday 9:00-13:00" in answer.sentences[0].text, answer.text


def test_what_the_guide_does_not_say_is_still_not_covered() -> None:
    for question in ("do you offer free parking on saturday afternoon?", "can I pay the deposit in instalments?"):
        answer = extractive_answer(question, GUIDE)
        assert not answer.covered, (question, answer.text)


def test_a_bold_question_stays_the_documents_own_question() -> None:
    pairs = split_sentences("**Do you deliver?**\nWe deliver glasses anywhere in the county for £6.\n")
    # read as before: a sentence of its own (dropped here as a short fragment), not the heading of the answer
    assert ("", "We deliver glasses anywhere in the county for £6.") in pairs, pairs
    pairs = split_sentences("**Can I pay by card at the Lindley shop?**\nYes, every card but American Express.\n")
    assert ("", "Can I pay by card at the Lindley shop?") in pairs, pairs
