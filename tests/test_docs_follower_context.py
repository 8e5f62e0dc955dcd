"""Docs answers read a quoted sentence with the quoted sentence it goes on from: when the answering sentence names
the thing asked about and the next sentence of its section holds the amount or time asked for ("Some customers need
time to get used to new multifocals." "If you cannot adapt, tell us within 45 days."), the next one answers about that
thing and is quoted first; a sentence of another section with the same kind of amount does not borrow the thing.
Made-up tenant (Quillon Eyecare), not bench cases."""

from __future__ import annotations

from agents.extractive import extractive_answer

POLICIES = [{"title": "Quillon Eyecare customer policies", "text": (
    "# Getting used to new lenses\n\n"
    "Some customers need time to get used to new multifocals. If you cannot adapt, tell us within 45 days.\n"
    "We will then remake the lenses once without charge.\n\n"
    "# Repairs\n\n"
    "Most frame repairs are done in our own workshop. A nose pad swap takes 20 minutes.\n\n"
    "# Uniform\n\n"
    "Staff wear a grey Quillon polo on the shop floor.")}]


def test_the_time_in_the_sentence_after_the_one_naming_the_thing_answers() -> None:
    answer = extractive_answer("how long do I have to let you know I can't adapt to my multifocals?", POLICIES)
    assert answer.covered and "within 45 days" in answer.sentences[0].text, answer.text


def test_a_time_about_another_thing_is_not_borrowed() -> None:
    # the repair section's time is not the adaptation period, and the uniform says no time at all
    answer = extractive_answer("how long do I have to let you know I can't adapt to my multifocals?", POLICIES)
    assert "20 minutes" not in answer.text, answer.text
    answer = extractive_answer("how long does a nose pad swap take?", POLICIES)
    assert answer.covered and "20 minutes" in answer.text and "45 days" not in answer.text, answer.text
