"""Public-holiday names are no person's name: the output guard left "Kurban Bayramı" and "Ramazan Bayramı" as
<PERSON> in a Turkish optician's opening hours. Names come from the `holidays` package (every country, every language
it has); only a whole span that is a holiday's name is kept, so a person named next to a holiday is still redacted."""

from __future__ import annotations

import pytest

from safety.allowlist import is_holiday_name
from safety.pii import redact


@pytest.mark.parametrize("text", [
    "Both shops are shut on the first day of Kurban Bayramı and Ramazan Bayramı.",
    "The Busan branch closes for Chuseok and reopens the day after.",
])
def test_holiday_names_survive_the_redactor(text: str) -> None:
    assert redact(text).text == text


def test_a_person_beside_a_holiday_is_still_redacted() -> None:
    out = redact("Over Kurban Bayramı please call Elif Yıldırım on 0532 555 12 34.").text
    assert "Kurban Bayramı" in out and "Elif Yıldırım" not in out and "<PERSON>" in out


@pytest.mark.parametrize(("span", "holiday"), [("Kurban Bayramı", True), ("Chuseok", True), ("Eid al-Fitr", True),
                                                ("Elif Yıldırım", False), ("Martin Luther King", False)])
def test_only_a_whole_holiday_name_counts(span: str, holiday: bool) -> None:
    assert is_holiday_name(span) is holiday
