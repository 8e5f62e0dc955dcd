"""Luhn (mod 10) arithmetic, in one place: the check digit that completes a number, and whether a digit string
passes the check. Used by the card recognizers (safety.pii) and by the labelled-set generators (bench)."""

from __future__ import annotations


def luhn_check_digit(body: str) -> str:
    """The digit that, appended to the digit string ``body``, makes a Luhn-valid number."""
    total = 0
    for i, ch in enumerate(reversed(body)):
        d = int(ch)
        if i % 2 == 0:
            d = d * 2 - 9 if d > 4 else d * 2
        total += d
    return str((10 - total % 10) % 10)


def luhn_valid(number: str) -> bool:
    """True when the non-empty digit string ``number`` ends in its Luhn check digit."""
    return bool(number) and luhn_check_digit(number[:-1]) == number[-1]
