"""Docs answers recognise an amount of money in any currency's written form: every ISO 4217 code before or after the
amount ("ISK 24,900", "150 EGP"), the local short forms written with letters ("2,400 DH", "KSh 500") and the
Peruvian sol's "S/ 450". A "how much" question is then answered by the price row.
Made-up tenant (Atlas Optique, a Moroccan shop), not bench cases."""

from __future__ import annotations

from agents.extractive import _amounts, _money, extractive_answer

PRICES = [{"title": "Price list", "text": (
    "# Price list\n\n"
    "Prices in dirhams, VAT included.\n\n"
    "## Lenses (price per pair)\n\n"
    "- Lens: Single vision, organic 1.5; Price: 450 DH\n"
    "- Lens: Progressive Atlas Comfort; Price: 2,400 DH\n\n"
    "## Frames\n\n"
    "- Our own collection: from 290 DH.\n"
    "- Designer frames: from 900 DH.\n\n"
    "## Getting used to progressives\n\n"
    "If you cannot get used to your progressive lenses, come back within 45 days of collection.")}]


def test_amounts_written_with_a_code_or_local_short_form_are_money() -> None:
    assert _money("Price: 2,400 DH") == 2400.0
    assert _money("Single vision lenses: ISK 24,900") == 24900.0
    assert _money("Eye test S/ 80") == 80.0
    assert _money("Screening fee KSh 500 per child") == 500.0
    assert _money("Delivery 150 EGP") == 150.0
    assert _money("R$ 1.890") == 1890.0  # a dot before three digits still groups them
    assert _amounts("a 1,200 DH refund") == [("money", 1200.0)]
    # capitalized words that are no currency, and a slash inside a word, are not money
    assert _money("Open ALL 7 days") == 0.0
    assert _money("see w/S/2 for details") == 0.0


def test_how_much_is_answered_by_the_row_priced_in_local_short_form() -> None:
    answer = extractive_answer("how much are varifocals", PRICES)
    assert answer.covered and "2,400 DH" in answer.text, answer.text
    answer = extractive_answer("how much are single vision lenses?", PRICES)
    assert answer.covered and "450 DH" in answer.text, answer.text


def test_a_price_asked_of_a_thing_the_list_does_not_price_is_not_covered() -> None:
    answer = extractive_answer("how much is a hearing aid?", PRICES)
    assert not answer.covered, answer.text


KRONER = [{"title": "Prisliste 2026 (price list)", "text": (
    "# Prisliste 2026\n\n"
    "## Lenses (price for a pair)\n\n"
    "| Lens | Pair |\n"
    "| --- | --- |\n"
    "| Single vision lenses (enkeltstyrke), standard | 995 kr. |\n"
    "| Progressive lenses (flerstyrke), standard | 3.150 kr. |\n"
    "| Progressive lenses, premium with a wide reading zone | 4.690 kr. |\n\n"
    "## Contact lens plan\n\n"
    "Monthly lenses (månedslinser) with solution: from 179 kr. a month.\n\n"
    "Never sleep in daily lenses, and never rinse lenses with tap water.")}]


def test_short_forms_written_after_the_amount_are_money() -> None:
    """The Nordic "kr." (also "Kr"), the złoty, the koruna and the forint are written after the amount; before this
    a "how much" question found no price in "Pair: 3.150 kr." and the documents were said not to cover it."""
    assert _money("Pair: 3,150 kr.") == 3150.0
    assert _money("Oprawka 450 zł") == 450.0
    assert _money("Brýle 1 290 Kč") == 1290.0
    assert _money("Szemvizsgálat 12 000 Ft") == 12000.0
    assert _amounts("stand 10 ft away") == []  # feet, not forint


def test_a_price_question_is_answered_by_a_row_priced_in_kroner() -> None:
    found = extractive_answer("how much are varifocals (flerstyrke), the standard ones?", KRONER)
    assert found.covered and "3.150 kr." in found.text.split("\n\n")[1]
    found = extractive_answer("What does the monthly lens plan cost?", KRONER)
    assert found.covered and "179 kr." in found.text
