"""A question that tells the asker's story before it asks ("we were hiking ... and the wind took my glasses over the
edge, does the breakage cover include loss?") is covered when the documents answer its asking clause: the story's
nouns (the hike, the wind, the hip operation) are the asker's case, which no policy repeats. The story still counts
when the asking clause names nothing of its own ("can she buy them?"), and a question whose asked thing the
documents lack stays not covered. Made-up tenant (Tarn Opticians, a Lake District optician), not bench cases."""

from __future__ import annotations

from agents.extractive import ask_clause, extractive_answer

CARE = [{"title": "Tarn Opticians care promise", "text": (
    "# Breakage cover\n\n"
    "Glasses bought from us are covered against accidental breakage for 12 months: we repair or replace the frame "
    "once, free of charge.\n\n"
    "Breakage cover does not include loss or theft.\n\n"
    "# Returns\n\n"
    "Frames bought online can be returned within 30 days, unworn and in their case, for a full refund.\n\n"
    "# Home visits\n\n"
    "Our optometrist visits housebound patients at home on Tuesdays; the visit is free for people over 70.")}]


def test_the_asking_clause_after_a_story() -> None:
    assert ask_clause("we were hiking up Helvellyn and the wind took my glasses, does the breakage cover include "
                      "loss?") == "does the breakage cover include loss?"
    assert ask_clause("left my specs in the car - is that covered by the warranty?") == \
        "is that covered by the warranty?"
    # no story before it, or an asking clause that names nothing of its own: the whole question is read
    assert ask_clause("does the breakage cover include loss?") is None
    assert ask_clause("my 12 year old wants coloured contacts for a party, can she buy them?") is None
    assert ask_clause("how much is a contact lens check-up if I'm not a member") is None


def test_a_story_before_the_question_does_not_unmake_the_answer() -> None:
    answer = extractive_answer("we were hiking up Helvellyn and a gust of wind took my glasses over the edge, does "
                               "the breakage cover include loss?", CARE)
    assert answer.covered and "does not include loss or theft" in answer.text, answer.text
    answer = extractive_answer("my grandad can't leave the house since his hip operation, does the optometrist do "
                               "home visits?", CARE)
    assert answer.covered and "visits housebound patients at home" in answer.text, answer.text


def test_an_asked_thing_the_documents_lack_stays_not_covered() -> None:
    for question in ("my cat knocked my glasses off the table and the lens cracked, how much is a new pair of "
                     "sunglasses?", "I'm a nurse on night shifts, is there a discount for health workers?"):
        answer = extractive_answer(question, CARE)
        assert not answer.covered, answer.text
