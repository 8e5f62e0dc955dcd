"""Readings of wordings no bench set had tried, on a made-up Danish-Swedish tenant (not a bench tenant).

- "Fjord vs Skov frames sold Jan to May": the "vs" sets two brands side by side; the one span named is a period
  read whole. It was read as May compared with January (the span's two ends), a different question.
- "Fjord vs Skov revenue 2025 vs 2024": each brand compared across the two years (a breakdown by brand), not the
  two brands added up.
- "Halland vs Gotland units, first half of this year": Gotland is both a city and a region with the same one store;
  beside a region only it is a region. It was read as the city Gotland AND the region Halland (no rows), compared
  with the period before.
- "how many different sunnies did Visby sell": a distinct count for every word of a category ("sunnies",
  "contacts", "shades"), not the units sold.
- "Fjord sunglasses' share of sunglasses revenue": the category named on both sides belongs to the whole; it was the
  share of all revenue.
- "compare that with the same month last year" after a question about last month: a follow-up comparing the
  previous period with a year earlier (it was refused as no question); "compare that to last year" is that month a
  year back, not the whole of last year.
- "Halland stores, revenue each": "each" after the measure breaks down by the plural named before it (it was the
  total).
- "Nyhavn Bay" typed "Nyhavn Bey": a 3-letter word one edit from the word a store's name puts after the word before
  it is that word (it was an unknown name); "revs" is revenue.
- "Małopolska" / "Wielkopolska" for a stored Małopolskie / Wielkopolskie (MA / WP): the land noun of a Polish
  voivodeship's adjective (it was an unknown name).
- "the March quarter" (as quarters are named in Australia and New Zealand) is Q1; it was March alone.
- "the København and Ystad stores", where Ystad is a store named like its city: a list of cities (it was the store
  Ystad AND the city København: no rows).
- "our weakest 3 stores" is a bottom 3 (the number was refused); "grew fastest" ranks the change.
- "how's Nyhavn tracking this month" is how the store is doing (revenue); it was refused.
- "monthly revenue since last September": since the latest September (it was September alone).
- "top 3 stores for Skåne and Varberg": a region and a city of another region hold no store together; asked, never
  answered as 0 (it was one filter on each).
- "our best ever month" ranks months (it was refused).
Parser tests on a catalog; numbers against a database are in tests/test_sql_tool.py."""

from __future__ import annotations

from datetime import date

import pytest

from tests.sql_helpers import spec_of
from tools.catalog import Catalog, Product, Store
from tools.sql.parse import parse_question

TODAY = date(2026, 6, 10)
CATALOG = Catalog(stores=(Store("K-1", "Kikkert Optik Nyhavn", "København", "84"),
                          Store("K-2", "Kikkert Optik Strøget", "København", "84"),
                          Store("K-3", "Kikkert Optik Halmstad", "Halmstad", "Halland"),
                          Store("K-4", "Kikkert Optik Varberg", "Varberg", "Halland"),
                          Store("K-5", "Kikkert Optik Visby", "Gotland", "Gotland"),
                          Store("K-6", "Kikkert Optik Nyhavn Bay", "Helsingør", "84"),
                          Store("K-7", "Kikkert Optik Ystad", "Ystad", "Skåne")),
                  products=(Product("KF-1", "Fjord Bølge", "frames", "Fjord"),
                            Product("KF-2", "Skov Eg", "frames", "Skov"),
                            Product("KS-1", "Fjord Sol", "sunglasses", "Fjord"),
                            Product("KS-2", "Skov Skygge", "sunglasses", "Skov"),
                            Product("KC-1", "Klar Dag 30", "contact_lenses", "Klar")),
                  tenant_words=frozenset({"kikkert"}), sales_from=date(2024, 3, 1), sales_to=date(2026, 6, 9))


@pytest.mark.parametrize("question", [
    "Fjord vs Skov frames sold Jan to May",
    "Fjord versus Skov frames sold from January to May",
    "Fjord against Skov, frames sold Jan-May",
])
def test_names_side_by_side_keep_the_span_whole(question: str) -> None:
    spec = spec_of(question, CATALOG, TODAY)
    assert spec.comparison is None and spec.dimensions == ("brand",)
    assert spec.time_range is not None and (spec.time_range.start, spec.time_range.end) == (
        date(2026, 1, 1), date(2026, 6, 1))


def test_a_span_compared_by_its_ends_still_compares_without_names_side_by_side() -> None:
    spec = spec_of("Fjord frames sold, January vs May", CATALOG, TODAY)
    assert spec.comparison is not None and spec.dimensions == ()


def test_two_names_compared_across_two_years_are_a_breakdown() -> None:
    spec = spec_of("Fjord vs Skov revenue 2025 vs 2024", CATALOG, TODAY)
    assert spec.dimensions == ("brand",) and spec.comparison is not None
    assert spec.time_range is not None and spec.time_range.start == date(2025, 1, 1)


def test_a_city_that_is_its_own_region_beside_a_region_is_the_region() -> None:
    spec = spec_of("Halland vs Gotland units, first half of this year", CATALOG, TODAY)
    assert spec.filters.city == () and set(spec.filters.state) == {"Halland", "Gotland"}
    assert spec.dimensions == ("state",) and spec.comparison is None


def test_a_city_that_is_its_own_region_beside_a_city_is_the_city() -> None:
    spec = spec_of("Halmstad vs Gotland revenue 2025", CATALOG, TODAY)
    assert spec.filters.state == () and spec.dimensions in (("city",), ("store",))


@pytest.mark.parametrize(("question", "category"), [
    ("how many different sunnies did Visby sell this year", "sunglasses"),
    ("how many different contacts did we sell in May", "contact_lenses"),
    ("number of distinct shades sold in 2025", "sunglasses"),
])
def test_different_items_of_a_category_word_are_a_distinct_count(question: str, category: str) -> None:
    spec = spec_of(question, CATALOG, TODAY)
    assert spec.measure == "distinct_products" and spec.filters.category == (category,)


def test_how_many_sunnies_without_different_stays_units() -> None:
    assert spec_of("how many sunnies did we sell in May", CATALOG, TODAY).measure == "units"


@pytest.mark.parametrize("question", [
    "Fjord sunglasses share of sunglasses revenue in 2025",
    "what share of sunglasses revenue came from Fjord sunglasses in 2025",
])
def test_a_category_named_on_both_sides_of_a_share_is_the_whole(question: str) -> None:
    spec = spec_of(question, CATALOG, TODAY)
    assert spec.share_of_total and spec.filters.category == ("sunglasses",)
    assert spec.part.brand == ("Fjord",) and spec.part.category == ()


@pytest.mark.parametrize("question", [
    "compare that with the same month last year",
    "could you compare it to the same month last year",
    "compare that to last year",
])
def test_compare_that_is_a_follow_up_a_year_back(question: str) -> None:
    first = spec_of("Strøget revenue last month", CATALOG, TODAY)
    spec = spec_of(question, CATALOG, TODAY, first)
    assert spec.filters.store == ("K-2",) and spec.comparison is not None
    assert spec.time_range is not None and spec.time_range.start == date(2026, 5, 1)
    assert (spec.comparison.time_range.start, spec.comparison.time_range.end) == (date(2025, 5, 1), date(2025, 6, 1))


@pytest.mark.parametrize("question", [
    "Halland stores, revenue each, 2025",
    "what did the Halland shops take apiece in 2025",
])
def test_each_after_the_measure_breaks_down_by_the_plural_before_it(question: str) -> None:
    spec = spec_of(question, CATALOG, TODAY)
    assert spec.dimensions == ("store",) and spec.filters.state == ("Halland",)


def test_each_before_its_own_noun_stays_that_noun() -> None:
    assert spec_of("revenue for each brand in 2025", CATALOG, TODAY).dimensions == ("brand",)


@pytest.mark.parametrize("question", ["how did Nyhavn Bey do in May", "nyhavn bey units last month"])
def test_a_short_misspelled_word_of_a_store_name(question: str) -> None:
    assert spec_of(question, CATALOG, TODAY).filters.store == ("K-6",)


def test_revs_is_revenue() -> None:
    assert spec_of("Visby revs jan-apr", CATALOG, TODAY).measure == "revenue"


POLISH = Catalog(stores=(Store("P-1", "Sowa Optyk Rynek Główny", "Kraków", "MA"),
                         Store("P-2", "Sowa Optyk Stary Rynek", "Poznań", "WP"),
                         Store("P-3", "Sowa Optyk Piotrkowska", "Łódź", "LD")),
                 products=(Product("S-1", "Sowa Lato", "frames", "Sowa"),),
                 tenant_words=frozenset({"sowa"}), sales_from=date(2024, 3, 1), sales_to=date(2026, 6, 9))


@pytest.mark.parametrize(("question", "state"), [
    ("revenue in Małopolska 2025", "MA"),
    ("Malopolska units this year", "MA"),
    ("Wielkopolska revenue last month", "WP"),
])
def test_the_land_noun_of_a_polish_voivodeship(question: str, state: str) -> None:
    assert spec_of(question, POLISH, TODAY).filters.state == (state,)


@pytest.mark.parametrize(("question", "start", "end"), [
    ("revenue by store for the March quarter", date(2026, 1, 1), date(2026, 4, 1)),
    ("units in the June quarter of 2025", date(2025, 4, 1), date(2025, 7, 1)),
    ("revenue in the December quarter", date(2025, 10, 1), date(2026, 1, 1)),
])
def test_a_quarter_named_by_its_last_month(question: str, start: date, end: date) -> None:
    spec = spec_of(question, CATALOG, TODAY)
    assert spec.time_range is not None and (spec.time_range.start, spec.time_range.end) == (start, end)


def test_a_store_named_like_its_city_in_a_list_of_cities_is_the_city() -> None:
    spec = spec_of("total revenue for the København and Ystad stores in April", CATALOG, TODAY)
    assert spec.filters.store == () and set(spec.filters.city) == {"København", "Ystad"}


def test_a_store_named_like_its_city_alone_is_the_store() -> None:
    assert spec_of("revenue at the Ystad store in April", CATALOG, TODAY).filters.store == ("K-7",)


def test_a_superlative_before_its_number_is_a_ranking() -> None:
    spec = spec_of("our weakest 3 stores in 2025 by revenue", CATALOG, TODAY)
    assert spec.ranking is not None and spec.ranking.direction == "asc" and spec.ranking.limit == 3


def test_grew_fastest_ranks_the_change() -> None:
    spec = spec_of("which region grew fastest this year vs last", CATALOG, TODAY)
    assert spec.ranking is not None and spec.ranking.direction == "desc" and spec.ranking.by != "measure"


@pytest.mark.parametrize("question", ["how's Nyhavn Bay tracking this month", "how is Ystad going this month"])
def test_how_is_a_store_tracking_is_its_revenue(question: str) -> None:
    spec = spec_of(question, CATALOG, TODAY)
    assert spec.measure == "revenue" and spec.filters.store


def test_since_last_month_name_is_an_open_range() -> None:
    spec = spec_of("monthly revenue for Ystad since last September", CATALOG, TODAY)
    assert spec.time_range is not None and (spec.time_range.start, spec.time_range.end) == (
        date(2025, 9, 1), date(2026, 6, 11))


@pytest.mark.parametrize("question", ["revenue by store, top 3, for Skåne and Varberg",
                                      "Nyhavn Bay revenue in København"])
def test_places_without_a_store_in_common_are_asked_about(question: str) -> None:
    parsed = parse_question(question, CATALOG, TODAY)
    assert parsed.spec is None and parsed.refusal is not None and "no store in common" in parsed.refusal


def test_a_city_inside_its_region_still_narrows_it() -> None:
    spec = spec_of("revenue in Halmstad, Halland, in 2025", CATALOG, TODAY)
    assert spec.filters.city == ("Halmstad",) or spec.filters.store == ("K-3",)


def test_best_ever_month_ranks_months() -> None:
    spec = spec_of("what was our best ever month", CATALOG, TODAY)
    assert spec.dimensions == ("month",) and spec.ranking is not None and spec.ranking.limit == 1
