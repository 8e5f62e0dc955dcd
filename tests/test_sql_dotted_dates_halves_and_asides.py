"""Date and wording shapes read on a made-up Slovak chain (not a bench tenant), parser level.

- Central European dates with closing dots: "22.12.-28.12.", "24.-30. 11. 2025", "25. 8.-7. 9. 2025" are day-month
  spans (the closing dot tells them from decimals: "1.5-2.0" stays a number).
- "the first half of May" is 1-15 May, "the second half" the 16th to the month's end (never H1 of the year).
- "July and August 2025 vs the same two months in 2024": two consecutive months on one side of a comparison are one
  span (never July against August, with 2024 dropped).
- "25 and 26 December 2025": two days in a row joined by "and" are those two days.
- "Black Friday week 2025", "Black Week": Monday to Sunday around Black Friday; "against the 2024 one": that year's.
- A lens type is every product name that says it, in English or the trade's other languages.
- "how many products do we list, sold or not": the catalogue's count, not the products sold.
- ", the Košice one included" / "including the Nivy shop": an aside that counts a place in never narrows the question.
- "in euros please", "revenue please" after an answer: the previous question with the measure changed.
- "through our e-shop": no channel the data holds: refused.
"""

from __future__ import annotations

from datetime import date

import pytest

from tests.sql_helpers import spec_of
from tools.catalog import Catalog, Product, Store
from tools.sql.parse import parse_question

TODAY = date(2026, 6, 15)
SLOVAKIA = Catalog(
    stores=(Store("IS-1", "Iskra Nivy", "Bratislava", "BL"), Store("IS-2", "Iskra Obchodná", "Bratislava", "BL"),
            Store("IS-3", "Iskra Košice", "Košice", "KI"), Store("IS-4", "Iskra Žilina", "Žilina", "ZI")),
    products=(Product("P-1", "Zeiss SmartLife Progressive", "lenses", "Zeiss"),
              Product("P-2", "Tatra Progresív Komfort", "lenses", "Tatra"),
              Product("P-3", "Tatra Jednoohniskové", "lenses", "Tatra"),
              Product("P-4", "Ray-Ban Wayfarer", "sunglasses", "Ray-Ban")),
    tenant_words=frozenset({"iskra"}), sales_from=date(2024, 1, 1), sales_to=date(2026, 6, 14))


def _days(spec) -> tuple[str, str]:
    return spec.time_range.start.isoformat(), spec.time_range.end.isoformat()


@pytest.mark.parametrize(("question", "days"), [
    ("daily orders over Christmas week 2025, 22.12.–28.12.", ("2025-12-22", "2025-12-29")),
    ("revenue 24.–30. 11. 2025", ("2025-11-24", "2025-12-01")),
    ("discounts 25. 8.–7. 9. 2025", ("2025-08-25", "2025-09-08")),
    ("revenue in the first half of May", ("2026-05-01", "2026-05-16")),
    ("units in the second half of February 2026", ("2026-02-16", "2026-03-01")),
    ("revenue in the first half of 2025", ("2025-01-01", "2025-07-01")),
    ("turnover over the Christmas holidays, 25 and 26 December 2025", ("2025-12-25", "2025-12-27")),
    ("revenue in the Black Friday week 2025", ("2025-11-24", "2025-12-01")),
    ("orders during Black Week 2024", ("2024-11-25", "2024-12-02")),
])
def test_a_period_is_read_as_its_days(question: str, days: tuple[str, str]) -> None:
    assert _days(spec_of(question, SLOVAKIA, TODAY)) == days


def test_two_consecutive_months_on_one_side_of_a_comparison_are_one_span() -> None:
    spec = spec_of("Sunglasses revenue in July and August 2025 vs the same two months in 2024", SLOVAKIA, TODAY)
    assert _days(spec) == ("2025-07-01", "2025-09-01")
    assert spec.comparison is not None and spec.comparison.time_range is not None
    assert (spec.comparison.time_range.start, spec.comparison.time_range.end) == (date(2024, 7, 1), date(2024, 9, 1))


def test_the_other_years_black_friday_week_is_that_years_own_week() -> None:
    spec = spec_of("Black Friday week 2025 against the 2024 one, revenue", SLOVAKIA, TODAY)
    assert _days(spec) == ("2025-11-24", "2025-12-01")
    assert spec.comparison is not None and spec.comparison.time_range is not None
    assert spec.comparison.time_range.start == date(2024, 11, 25)


def test_a_decimal_range_stays_a_number_and_the_weekend_is_still_asked() -> None:
    assert parse_question("revenue of 1.5-2.0 lenses in May", SLOVAKIA, TODAY).spec is None or \
        spec_of("revenue of 1.5-2.0 lenses in May", SLOVAKIA, TODAY).time_range.label == "May 2026"
    assert parse_question("revenue over the Black Friday weekend 2025", SLOVAKIA, TODAY).spec is None


def test_a_lens_type_is_every_name_that_says_it_in_any_language() -> None:
    spec = spec_of("average selling price of a progressive lens in 2025", SLOVAKIA, TODAY)
    named = [p.sku for p in SLOVAKIA.products if any(w in p.name.lower() for w in spec.filters.keyword)]
    assert named == ["P-1", "P-2"], spec.filters


def test_sold_or_not_asks_the_catalogue_count() -> None:
    assert spec_of("How many products do we list, sold or not?", SLOVAKIA, TODAY).measure == "product_count"


@pytest.mark.parametrize(("question", "city"), [
    ("how many shops in the whole chain, the Košice one included", ()),
    ("Bratislava revenue in May, including the Nivy shop", ("Bratislava",)),
    ("revenue for Bratislava including Nivy, May", ("Bratislava",)),
])
def test_an_included_aside_never_narrows_the_question(question: str, city: tuple[str, ...]) -> None:
    spec = spec_of(question, SLOVAKIA, TODAY)
    assert not spec.filters.store and spec.filters.city == city, spec.filters


@pytest.mark.parametrize("follow", ["in euros please", "revenue please", "and in euros?"])
def test_a_short_follow_up_changes_the_measure_and_keeps_the_rest(follow: str) -> None:
    first = spec_of("How many units did Nivy sell in March?", SLOVAKIA, TODAY)
    spec = spec_of(follow, SLOVAKIA, TODAY, first)
    assert spec.measure == "revenue" and spec.filters.store == ("IS-1",) and spec.time_range == first.time_range


def test_an_online_shop_is_no_channel_the_data_holds() -> None:
    parsed = parse_question("How many orders did we get through our e-shop this year?", SLOVAKIA, TODAY)
    assert parsed.spec is None and parsed.refusal and "e-shop" in parsed.refusal


@pytest.mark.parametrize(("question", "days"), [
    ("Which day of the Letní výpredaj 2025 (1.–14. 7.) had the most revenue?", ("2025-07-01", "2025-07-15")),
    ("Discount given in Košice during Späť do školy 2025 (25. 8.–7. 9.)", ("2025-08-25", "2025-09-08")),
])
def test_a_chains_own_event_named_with_its_dates_in_brackets_is_those_dates(question: str,
                                                                           days: tuple[str, str]) -> None:
    assert _days(spec_of(question, SLOVAKIA, TODAY)) == days


def test_the_items_a_typical_receipt_holds_are_the_units_per_order() -> None:
    assert spec_of("How many items does a typical receipt hold? This year", SLOVAKIA, TODAY).measure == \
        "units_per_order"


@pytest.mark.parametrize(("question", "direction"), [
    ("Welche Filiale hatte im Mai den höchsten Umsatz?", "desc"),
    ("Welche Filiale hatte im Mai den niedrigsten Umsatz?", "asc"),
])
def test_a_german_ranking_question(question: str, direction: str) -> None:
    spec = spec_of(question, SLOVAKIA, TODAY)
    assert spec.dimensions == ("store",) and spec.ranking is not None and spec.ranking.direction == direction
    assert spec.measure == "revenue" and spec.time_range.label == "May 2026"
