"""Docs answers state the asked attribute of the asked thing, or say the documents do not cover it: a price question
is not answered by the price of another item of the list, a "what time" question not by the day or how often
something happens; a question about a named thing is answered by what the documents say about it in their own words
("home visits" for a "home eye test"); a hyphenated noun's particle ("check-ups") and words of the asker's tone
("wants", "still") are no words to find. Made-up tenant documents (Brackenfield Eyecare, a mobile optician), not
bench cases."""

from __future__ import annotations

import pytest

from agents.extractive import _question_keys, extractive_answer


def made_up_document(title: str, *blocks: str, tenant: str = "Brackenfield Eyecare") -> list[dict[str, str]]:
    """One retrieved passage of a made-up tenant document: its title and its blocks (a block's lines joined)."""
    return [{"title": f"{tenant} {title}", "text": "\n\n".join(blocks)}]


_document = made_up_document


PRICES = _document(
    "price list",
    "# Contact lenses",
    "Daily contact lenses start from £22 a month on the Brackenfield Lens Plan.\n"
    "A contact lens check is free for Lens Plan members and £35 for everyone else.",
    "# Glasses",
    "Single vision glasses start from £59 including a basic frame.")
TIMETABLE = _document(
    "van timetable",
    "# Where the van stops",
    "Stop: Kilbride; Where we park: the village hall car park; When: every second Saturday",
    "Stop: Auchenmore; Where we park: Main Street by the church; When: Tuesdays, 10 am to 4 pm",
    "The van does not run on public holidays.")
VISITS = _document(
    "home visits",
    "# Visits at home",
    "We visit people who cannot leave home unaided because of illness or disability.\n"
    "Visits run from 9 am to 5 pm, Monday to Friday; home visits are not offered on Saturdays.\n"
    "Please have your current glasses and a list of your medicines ready.")
PAYMENTS = _document(
    "payments",
    "# Paying for glasses",
    "For glasses not fully paid by a voucher we ask for a deposit of half the price when you order.\n"
    "The balance is paid when you collect your glasses.\n"
    "You can pay by card on the van, or by cheque made payable to Brackenfield Eyecare Ltd.\n"
    "We do not offer credit or instalments.")

# (question, passages, the answer's quoted phrase; None: the documents do not cover it)
CASES = [
    ("how much does a contact lens case cost?", PRICES, None),
    ("how much is a contact lens check if I'm not on the plan?", PRICES, "£35"),
    ("what time does the van get to Kilbride?", TIMETABLE, None),
    ("what time does the van get to Auchenmore?", TIMETABLE, "10 am to 4 pm"),
    ("Can the home eye test be on a Saturday?", VISITS, "not offered on Saturdays"),
    ("my grandad wants to pay by cheque, is that still ok?", PAYMENTS, "cheque made payable"),
]


def assert_answered_or_refused(question: str, passages: list[dict[str, str]], quoted: str | None) -> None:
    """The answer quotes `quoted`, or (None) says the documents do not cover the question."""
    answer = extractive_answer(question, passages)
    if quoted is None:
        assert not answer.covered, answer.text
        assert "don't seem to cover" in answer.text
    else:
        assert answer.covered, answer.text
        assert quoted in answer.text


@pytest.mark.parametrize(("question", "passages", "quoted"), CASES, ids=[c[0] for c in CASES])
def test_asked_thing_answered_or_refused(question: str, passages: list[dict[str, str]], quoted: str | None) -> None:
    assert_answered_or_refused(question, passages, quoted)


def test_particles_and_tone_words_are_no_words_to_find() -> None:
    keys = _question_keys("my grandad wants to know how many check-ups and top-ups come with the plan, still?")
    assert not {"ups", "up", "want", "still"} & set(keys)
    assert "check" in keys
