"""Luhn arithmetic shared by the card recognizers and the labelled-set generators (safety.luhn)."""

from __future__ import annotations

import random

from bench.pii_gen_common import luhn_complete
from safety.luhn import luhn_check_digit, luhn_valid


def test_check_digit_of_the_textbook_example() -> None:
    assert luhn_check_digit("7992739871") == "3"
    assert luhn_valid("79927398713")
    assert not luhn_valid("79927398710")


def test_known_card_numbers_pass_and_one_digit_off_fails() -> None:
    for number in ("4539148803436467", "378282246310005", "6011000990139424", "2223003122003222"):
        assert luhn_valid(number), number
        wrong = number[:-1] + str((int(number[-1]) + 1) % 10)
        assert not luhn_valid(wrong), wrong
    assert not luhn_valid("")


def test_generated_numbers_are_valid_and_keep_prefix_and_length() -> None:
    rng = random.Random(7)
    for prefix, length in (("4", 16), ("34", 15), ("6212", 19), ("40", 13)):
        number = luhn_complete(prefix, length, rng)
        assert number.startswith(prefix) and len(number) == length and luhn_valid(number)
