"""Currencies by any name, dates with a name attached, and follow-ups that keep the question, on a made-up Malaysian
tenant (not a bench tenant).

- "revenue in ringgit", "sales in naira": any current currency by its ISO code or CLDR English name (`babel`), not
  only a hand-kept list; the tenant's own currency is answered, another one refused (no exchange rates). An amount
  written with the currency as its own country writes it ("RM 250,000", "1 200 Kč") is context, not a condition.
- "from 3 to 9 March 2026 (the Hari Raya promo)", "12 May 2026, the Wesak day": the name given to dates just written
  labels them; its words filter nothing (a "Hari Raya Edition" frame is not meant). "(frames only)" still filters.
- "the Black Friday weekend 2025 (28 Nov - 1 Dec)": the year after the holiday's name goes with the dates given.
- "in how many of our stores did X sell": stores with sales. "the two Penang shops side by side": the place's
  stores, one row each. "how did the store do": which store is asked back, not the chain's total given.
- "same period last year?" after "Q2 so far": the same stretch a year back, not the whole quarter. "now rank them by
  revenue" after "top 5 products by units last month": the same top 5 products ranked by revenue (it was the
  all-time revenue of everything, a different question).
- "softlens", "soft lenses": contact lenses.
- Two periods, one inside the other ("in 2025 ... 28 Nov - 1 Dec"): the narrower one (it was the wider one).
- "at Gurney Plaza": the mall a store is named after is that store; "under our own Kenari label": the brand Kenari."""

from __future__ import annotations

from datetime import date

import pytest

from tests.sql_helpers import spec_of
from tools.catalog import Catalog, Product, Store
from tools.sql.money import asked_currency, local_marks
from tools.sql.parse import parse_question

TODAY = date(2026, 6, 17)
CATALOG = Catalog(stores=(Store("K-1", "Kenari Optik Gurney", "George Town", "07"),
                          Store("K-2", "Kenari Optik Queensbay", "George Town", "07"),
                          Store("K-3", "Kenari Optik Mid Valley", "Kuala Lumpur", "14"),
                          Store("K-4", "Kenari Optik Ipoh", "Ipoh", "08")),
                  products=(Product("KF-1", "Kenari Hari Raya Edition", "frames", "Kenari"),
                            Product("KF-2", "Kenari Selat", "frames", "Kenari"),
                            Product("KL-1", "Biru Softlens Monthly", "contact_lenses", "Biru"),
                            Product("KL-2", "Acuvue Oasys", "contact_lenses", "Acuvue"),
                            Product("KS-1", "Kenari Pantai", "sunglasses", "Kenari")),
                  tenant_words=frozenset({"kenari"}), sales_from=date(2024, 5, 1), sales_to=date(2026, 6, 16),
                  currency="MYR")


def _refusal(question: str, previous=None) -> str:
    parsed = parse_question(question, CATALOG, TODAY, previous)
    assert parsed.spec is None, (question, parsed.spec)
    return parsed.refusal or ""


@pytest.mark.parametrize(("question", "codes"), [
    ("total sales in ringgit", {"MYR"}), ("revenue in naira", {"NGN"}), ("in Korean won please", {"KRW", "KPW"}),
    ("amounts in lei", {"RON", "MDL"}), ("in shillings", {"KES", "UGX", "TZS", "SOS"}), ("in euros", {"EUR"}),
])
def test_any_current_currency_is_known_by_its_english_name(question: str, codes: set[str]) -> None:
    asked = asked_currency(question)
    assert asked is not None and set(asked.codes) == codes


@pytest.mark.parametrize("question", ["revenue in real terms", "how many won awards", "units in units"])
def test_everyday_words_that_end_a_currency_name_ask_for_no_currency(question: str) -> None:
    assert asked_currency(question) is None


def test_a_currency_is_written_as_its_own_countries_write_it() -> None:
    assert "RM" in local_marks("MYR") and "Kč" in local_marks("CZK") and "zł" in local_marks("PLN")
    assert all(len(m) > 1 or not m.isalpha() for code in ("ZAR", "GTQ", "MYR") for m in local_marks(code))


def test_the_tenants_own_currency_is_answered_and_another_refused() -> None:
    spec = spec_of("total sales in ringgit for last month please", CATALOG, TODAY)
    assert spec.measure == "revenue" and spec.time_range.start == date(2026, 5, 1)
    assert "no exchange rates" in _refusal("revenue last month in naira")


def test_an_amount_in_the_local_mark_is_context_for_revenue() -> None:
    spec = spec_of("Our May target was RM 250,000. What did we actually do in May?", CATALOG, TODAY)
    assert spec.measure == "revenue" and spec.filters.is_empty()
    assert (spec.time_range.start, spec.time_range.end) == (date(2026, 5, 1), date(2026, 6, 1))


@pytest.mark.parametrize(("question", "start", "end"), [
    ("total discounts from 3 to 9 March 2026 (the Hari Raya promo)", date(2026, 3, 3), date(2026, 3, 10)),
    ("Revenue on 12 May 2026, the Wesak day", date(2026, 5, 12), date(2026, 5, 13)),
    ("units 1-14 April 2026 (the two weeks before the Hari Raya rush)", date(2026, 4, 1), date(2026, 4, 15)),
])
def test_a_name_given_to_written_dates_filters_nothing(question: str, start: date, end: date) -> None:
    spec = spec_of(question, CATALOG, TODAY)
    assert spec.filters.is_empty(), spec.filters
    assert (spec.time_range.start, spec.time_range.end) == (start, end)


def test_a_bracket_that_is_a_condition_still_filters() -> None:
    spec = spec_of("revenue in May (frames only)", CATALOG, TODAY)
    assert spec.filters.category == ("frames",)
    assert spec_of("Hari Raya Edition units in 2025", CATALOG, TODAY).filters.product == ("KF-1",)


def test_the_year_after_a_holiday_name_goes_with_its_dates() -> None:
    spec = spec_of("Total discounts over the Black Friday weekend 2025 (28 Nov - 1 Dec)", CATALOG, TODAY)
    assert (spec.time_range.start, spec.time_range.end) == (date(2025, 11, 28), date(2025, 12, 2))


@pytest.mark.parametrize("question", ["In how many of our stores did Acuvue lenses sell this year?",
                                      "at how many branches were Kenari frames sold in May"])
def test_in_how_many_stores_counts_the_stores_with_sales(question: str) -> None:
    assert spec_of(question, CATALOG, TODAY).measure == "distinct_stores"


def test_a_places_stores_side_by_side_are_one_row_each() -> None:
    spec = spec_of("Q1 revenue for the two George Town shops side by side", CATALOG, TODAY)
    assert spec.dimensions == ("store",) and spec.filters.city == ("George Town",)
    spec = spec_of("George Town stores - what did each one sell last month?", CATALOG, TODAY)
    assert spec.dimensions == ("store",)
    assert spec_of("revenue of our George Town stores last month", CATALOG, TODAY).dimensions == ()


def test_the_store_not_named_is_asked_back() -> None:
    assert "Which store" in _refusal("How did the store do last month?")
    assert "Which store" in _refusal("what did this shop take yesterday")
    assert spec_of("which store had the most revenue last month", CATALOG, TODAY).dimensions == ("store",)
    earlier = spec_of("revenue at Gurney last month", CATALOG, TODAY)
    assert spec_of("how did the store do in April", CATALOG, TODAY, earlier).filters.store == ("K-1",)


def test_the_same_period_last_year_after_a_period_so_far_is_the_same_stretch() -> None:
    earlier = spec_of("What were total orders in Q2 so far?", CATALOG, TODAY)
    spec = spec_of("same period last year?", CATALOG, TODAY, earlier)
    assert (spec.time_range.start, spec.time_range.end) == (date(2025, 4, 1), date(2025, 6, 18))
    earlier = spec_of("revenue this year to date", CATALOG, TODAY)
    spec = spec_of("and the same period last year", CATALOG, TODAY, earlier)
    assert (spec.time_range.start, spec.time_range.end) == (date(2025, 1, 1), date(2025, 6, 18))


@pytest.mark.parametrize("question", ["now rank them by revenue", "rank by revenue instead?", "sort those by revenue",
                                      "by revenue?"])
def test_a_follow_up_that_ranks_by_another_measure_keeps_the_question(question: str) -> None:
    earlier = spec_of("top 5 products by units last month", CATALOG, TODAY)
    spec = spec_of(question, CATALOG, TODAY, earlier)
    assert spec.measure == "revenue" and spec.dimensions == ("product",)
    assert spec.ranking is not None and spec.ranking.limit == 5 and spec.time_range == earlier.time_range


@pytest.mark.parametrize("question", ["softlens units by brand this year", "how many soft lenses did we sell in 2025"])
def test_soft_lenses_are_contact_lenses(question: str) -> None:
    assert spec_of(question, CATALOG, TODAY).filters.category == ("contact_lenses",)


def test_two_periods_one_inside_the_other_are_the_narrower_one() -> None:
    spec = spec_of("revenue in 2025, during 28 Nov - 1 Dec", CATALOG, TODAY)
    assert (spec.time_range.start, spec.time_range.end) == (date(2025, 11, 28), date(2025, 12, 2))
    spec = spec_of("revenue in March and April 2026", CATALOG, TODAY)  # touching: both together
    assert (spec.time_range.start, spec.time_range.end) == (date(2026, 3, 1), date(2026, 5, 1))


def test_the_venue_a_store_is_named_after_is_the_same_store() -> None:
    assert spec_of("ordrs at gurney plaza q1", CATALOG, TODAY).filters.store == ("K-1",)
    assert "mall" in _refusal("revenue of our mall stores in May")  # a kind of store the data does not mark


def test_a_brand_under_our_own_label_is_that_brand() -> None:
    spec = spec_of("How many frame models do we carry under our own Kenari label?", CATALOG, TODAY)
    assert spec.measure == "product_count" and spec.filters.brand == ("Kenari",)
    assert "own brand" in _refusal("revenue from our own brand in May")  # which brand is ours is not recorded
