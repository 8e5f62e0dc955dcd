"""Completeness of the industry knowledge base's answers (training/data/industry_qa/*.jsonl), the way a clinician
answers a patient: a record whose own question asks "how long" states a time span, and a record whose answer names a
sight-threatening warning sign (a curtain or shadow over the vision, a shower of floaters, new flashes, sudden loss of
vision, a chemical in the eye) also says how soon to be seen (same day, urgently, emergency, straight away). Data
checks: no database, no model."""

from __future__ import annotations

import re

from training.industry_qa import load_all

ASKS_HOW_LONG = re.compile(r"\bhow long\b", re.I)
TIME_SPAN = re.compile(r"\b(seconds?|minutes?|hours?|days?|nights?|weeks?|months?|years?|lifetime|for life|"
                       r"overnight|permanent(ly)?|until)\b", re.I)
WARNING_SIGN = re.compile(r"\b(curtain|shower of (new )?floaters|flashes of light|sudden (loss|dimming) of "
                          r"(vision|sight)|sudden(ly)? (lost|loss)|chemical (splash|in the eye))\b", re.I)
HOW_SOON = re.compile(r"\b(urgent(ly)?|same[- ]day|emergency|immediately|straight away|at once|a&e|casualty|"
                      r"without delay|right away|prompt(ly)?)\b", re.I)


def test_patterns_tell_complete_from_incomplete_answers():
    assert TIME_SPAN.search("Most styes clear within about a week or two.")
    assert not TIME_SPAN.search("Warm compresses help it drain.")
    assert WARNING_SIGN.search("a shadow or curtain over part of the vision")
    assert HOW_SOON.search("needs a same-day examination")
    assert not HOW_SOON.search("see your optometrist at your next routine visit")


def test_every_how_long_question_is_answered_with_a_time_span():
    missing = [r["id"] for r in load_all() if ASKS_HOW_LONG.search(r["question"]) and not TIME_SPAN.search(r["answer"])]
    assert missing == []


def test_every_answer_naming_a_warning_sign_says_how_soon_to_be_seen():
    missing = [r["id"] for r in load_all() if WARNING_SIGN.search(r["answer"]) and not HOW_SOON.search(r["answer"])]
    assert missing == []
