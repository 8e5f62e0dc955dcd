"""Dates written year first or month first with dots, the tenant's own month names, foreign month spans and ordinals,
an occasion compared across two years, elliptic parts of a month, and follow-ups that flip a ranking, go a year back or
name a bare month (tools/sql/parse.py, tools/sql/foreign.py, tools/dates.py), parser level, on made-up chains (not
bench tenants).

Each case here was a wrong answer or a refusal before: "revenue červen–srpen 2025" was August alone; "July+August 2025
compared with July+August 2024" compared against July 2025; "same month a year earlier?" after a May question compared
the year so far with the last; "aug. 18–31. 2025" was the whole of August.
"""

from __future__ import annotations

from datetime import date

import pytest

from tests.sql_helpers import spec_of
from tools.catalog import Catalog, Product, Store
from tools.sql.money import local_marks
from tools.sql.parse import parse_question
from tools.sql.regions import catalog_regions

TODAY = date(2026, 6, 15)
_GOODS = (Product("L-1", "Fecske Round", "frames", "Fecske"), Product("L-2", "Ray-Ban Wayfarer", "sunglasses",
                                                                      "Ray-Ban"),
          Product("L-3", "Acuvue Oasys", "contact lenses", "Acuvue"))


def _chain(*stores: tuple[str, str, str]) -> Catalog:
    return Catalog(stores=tuple(Store(f"F-{i}", name, city, state) for i, (name, city, state) in enumerate(stores)),
                   products=_GOODS, tenant_words=frozenset({"fecske"}), sales_from=date(2024, 1, 1),
                   sales_to=date(2026, 6, 14), store_days=tuple((f"F-{i}", date(2024, 1, 1),
                                                                 date(2026, 1, 31) if i == 4 else date(2026, 6, 14))
                                                                for i in range(len(stores))))


# a Hungarian chain storing its own county codes: "GY" holds the Győr and the Sopron shop (Győr-Moson-Sopron county),
# though ISO 3166-2 gives "HU-GY" to the city of Győr alone
HUNGARY = _chain(("Fecske Andrássy", "Budapest", "BP"), ("Fecske Árkád", "Győr", "GY"),
                 ("Fecske Sopron", "Sopron", "GY"),
                 ("Fecske Debrecen", "Debrecen", "HB"), ("Fecske Miskolc", "Miskolc", "BO"))
CZECHIA = _chain(("Fecske Praha", "Praha", "PR"), ("Fecske Brno", "Brno", "JM"))
USA = _chain(("Fecske Austin", "Austin", "TX"), ("Fecske Dallas", "Dallas", "TX"))


def _period(question: str, catalog: Catalog = HUNGARY) -> tuple[date, date]:
    spec = spec_of(question, catalog, TODAY)
    assert spec.time_range is not None, spec
    return spec.time_range.start, spec.time_range.end


@pytest.mark.parametrize(("question", "start", "end"), [
    ("units on 2025. 12. 24.", date(2025, 12, 24), date(2025, 12, 25)),
    ("receipts over 2025.11.24–30.", date(2025, 11, 24), date(2025, 12, 1)),
    ("revenue 2024.11.25–12.01.", date(2024, 11, 25), date(2024, 12, 2)),
    ("revenue aug. 18–31. 2025", date(2025, 8, 18), date(2025, 9, 1)),
    ("revenue in the back-to-school sale 2025 (Aug. 18–31.)", date(2025, 8, 18), date(2025, 9, 1)),
    ("revenue on 2026. március 15.", date(2026, 3, 15), date(2026, 3, 16)),
    ("best day of the summer sale 2025 (júl. 1–14.) by revenue", date(2025, 7, 1), date(2025, 7, 15)),
])
def test_dates_written_year_first_or_month_first_with_dots(question: str, start: date, end: date) -> None:
    assert _period(question) == (start, end)


def test_the_tenants_own_month_abbreviations_are_read_only_for_that_tenant() -> None:
    parsed = parse_question("revenue júl. 1–14. 2025", USA, TODAY)
    assert parsed.spec is None or (parsed.spec.time_range.start, parsed.spec.time_range.end) != (
        date(2025, 7, 1), date(2025, 7, 15)), parsed.spec


@pytest.mark.parametrize(("question", "catalog", "start", "end"), [
    ("revenue červen–srpen 2025", CZECHIA, date(2025, 6, 1), date(2025, 9, 1)),
    ("revenue from červen to srpen 2025", CZECHIA, date(2025, 6, 1), date(2025, 9, 1)),
    ("revenue juin à août 2025", USA, date(2025, 6, 1), date(2025, 9, 1)),
    ("sunglasses units in summer 2025 (červen–srpen)", CZECHIA, date(2025, 6, 1), date(2025, 9, 1)),
    ("Umsatz im ersten Quartal 2025", USA, date(2025, 1, 1), date(2025, 4, 1)),
    ("Umsatz im 2. Quartal 2025", USA, date(2025, 4, 1), date(2025, 7, 1)),
    ("Tržby za 3. čtvrtletí 2025", CZECHIA, date(2025, 7, 1), date(2025, 10, 1)),
])
def test_foreign_month_spans_and_ordinals(question: str, catalog: Catalog, start: date, end: date) -> None:
    assert _period(question, catalog) == (start, end)


def test_two_month_names_joined_by_and_are_no_span() -> None:
    parsed = parse_question("revenue červen a srpen 2025", CZECHIA, TODAY)  # Czech "a" is "and": June and August
    assert parsed.spec is None or (parsed.spec.time_range.start, parsed.spec.time_range.end) != (
        date(2025, 6, 1), date(2025, 9, 1)), parsed.spec


@pytest.mark.parametrize(("question", "main", "other"), [
    ("Nyári vásár 2025 vs 2024 (1–14 July each year): discounts", (date(2025, 7, 1), date(2025, 7, 15)),
     (date(2024, 7, 1), date(2024, 7, 15))),
    ("discounts in the summer sale 2025 against 2024 (1.–14. 7. both years)", (date(2025, 7, 1), date(2025, 7, 15)),
     (date(2024, 7, 1), date(2024, 7, 15))),
    ("Revenue in the second half of May against the first half", (date(2026, 5, 16), date(2026, 6, 1)),
     (date(2026, 5, 1), date(2026, 5, 16))),
    ("Sunglasses revenue, July+August 2025 compared with July+August 2024", (date(2025, 7, 1), date(2025, 9, 1)),
     (date(2024, 7, 1), date(2024, 9, 1))),
    ("frames revenue, June and July 2025 vs June and July 2024", (date(2025, 6, 1), date(2025, 8, 1)),
     (date(2024, 6, 1), date(2024, 8, 1))),
])
def test_comparisons_whose_second_side_is_written_short(question: str, main: tuple[date, date],
                                                       other: tuple[date, date]) -> None:
    spec = spec_of(question, HUNGARY, TODAY)
    assert spec.time_range is not None and spec.comparison is not None, spec
    assert (spec.time_range.start, spec.time_range.end) == main
    assert (spec.comparison.time_range.start, spec.comparison.time_range.end) == other


def test_which_had_the_fewest_after_a_ranking_flips_it() -> None:
    first = spec_of("Which shop had the most orders in Q1?", HUNGARY, TODAY)
    spec = spec_of("which had the fewest?", HUNGARY, TODAY, first)
    assert spec.measure == "orders" and spec.dimensions == ("store",) and spec.ranking is not None
    assert spec.ranking.direction == "asc" and spec.time_range == first.time_range


@pytest.mark.parametrize("follow", ["same month a year earlier?", "and the same month one year before?",
                                    "same month last year?"])
def test_the_same_month_a_year_earlier_is_that_month_a_year_back(follow: str) -> None:
    first = spec_of("discounts by county in May", HUNGARY, TODAY)
    spec = spec_of(follow, HUNGARY, TODAY, first)
    assert spec.comparison is None and spec.dimensions == ("state",)
    assert (spec.time_range.start, spec.time_range.end) == (date(2025, 5, 1), date(2025, 6, 1))


def test_compared_with_the_same_month_a_year_earlier_compares_the_two() -> None:
    first = spec_of("discounts in May", HUNGARY, TODAY)
    spec = spec_of("compared with the same month a year earlier?", HUNGARY, TODAY, first)
    assert spec.comparison is not None and spec.time_range.start == date(2026, 5, 1)
    assert spec.comparison.time_range.start == date(2025, 5, 1)


@pytest.mark.parametrize(("first", "follow", "month"), [
    ("Miskolc revenue in December 2025", "and in January, before it closed?", date(2026, 1, 1)),
    ("Miskolc revenue in December 2025", "and January?", date(2026, 1, 1)),
    ("Debrecen revenue in March 2025", "and January?", date(2025, 1, 1)),
    ("Debrecen revenue in March 2025", "and April?", date(2025, 4, 1)),
    ("Debrecen revenue in June 2025", "and December?", date(2025, 12, 1)),
])
def test_a_bare_month_in_a_follow_up_is_the_one_nearest_the_previous_period(first: str, follow: str,
                                                                           month: date) -> None:
    spec = spec_of(follow, HUNGARY, TODAY, spec_of(first, HUNGARY, TODAY))
    assert spec.time_range.start == month and spec.filters.store, spec


@pytest.mark.parametrize(("question", "dims"), [
    ("the Budapest shops one at a time, revenue in March", ("store",)),
    ("How did revenue run through 2025, one quarter at a time?", ("quarter",)),
    ("revenue a month at a time in 2025", ("month",)),
])
def test_one_at_a_time_is_a_breakdown(question: str, dims: tuple[str, ...]) -> None:
    assert spec_of(question, HUNGARY, TODAY).dimensions == dims


def test_spoken_words_for_a_share_a_pile_and_bringing_in() -> None:
    share = spec_of("Ray-Ban's cut of revenue during May 2026, as a percentage", HUNGARY, TODAY)
    assert share.share_of_total and share.part.brand == ("Ray-Ban",)
    pile = spec_of("Which shop has the biggest pile of sunglasses in stock today?", HUNGARY, TODAY)
    assert pile.measure == "stock_on_hand" and pile.dimensions == ("store",) and pile.ranking.direction == "desc"
    month = spec_of("On average, how much revenue did a month of 2025 bring?", HUNGARY, TODAY)
    assert month.average_over == "month" and month.time_range.start == date(2025, 1, 1)


def test_an_amount_in_the_currencys_english_name_is_context() -> None:
    assert {"forints", "Hungarian forint"} <= set(local_marks("HUF"))
    spec = spec_of("Did Sopron reach 3 million forints in May?", HUNGARY, TODAY)
    assert spec.measure == "revenue" and spec.filters.store == ("F-2",)


def test_a_city_rank_code_holding_shops_of_other_cities_is_the_chains_own_code() -> None:
    regions = catalog_regions(HUNGARY)
    assert "GY" not in regions.iso_codes  # not the city of Győr (HU-GY): the Sopron shop is stored under it too
    assert spec_of("revenue in Győr last month", HUNGARY, TODAY).filters.city == ("Győr",)


def test_a_region_that_might_hold_the_chains_unplaced_codes_is_not_said_to_have_no_store() -> None:
    from tools.sql.sentences import unresolved_message

    parsed = parse_question("patients by lens type in Győr-Moson-Sopron", HUNGARY, TODAY)
    assert parsed.spec is None and parsed.unresolved
    message = unresolved_message(parsed.unresolved, HUNGARY)
    assert "None of your stores" not in message and "GY" in message, message


def test_an_exonym_that_is_an_english_word_heads_a_question_before_a_measure() -> None:
    morocco = _chain(("Fecske Fès", "Fès", "FM"), ("Fecske Rabat", "Rabat", "RK"))
    assert spec_of("Fez revenue last month", morocco, TODAY).filters.city == ("Fès",)
    parsed = parse_question("Fez hats sold last month", morocco, TODAY)  # the word, never the city
    assert parsed.spec is None or parsed.spec.filters.city != ("Fès",), parsed.spec


@pytest.mark.parametrize("question", ["What's the average fiş value for May?",
                                      "What's the average nyugta value for May?",
                                      "average účtenka value in May"])
def test_local_words_for_a_receipt(question: str) -> None:
    assert spec_of(question, HUNGARY, TODAY).measure == "avg_order_value"


def test_english_words_in_a_bracket_after_a_product_gloss_it() -> None:
    goods = (*_GOODS, Product("L-9", "Szemvizsgálat", "services", "Fecske"))
    catalog = Catalog(stores=HUNGARY.stores, products=goods, sales_from=HUNGARY.sales_from, sales_to=HUNGARY.sales_to)
    spec = spec_of("How many Szemvizsgálat (eye tests) did we sell in April?", catalog, TODAY)
    assert spec.filters.product == ("L-9",)
    kept = parse_question("Fecske (except Fecske Round) units in April", catalog, TODAY)  # a condition, never a gloss
    assert kept.spec is None or kept.spec.exclude.product == ("L-1",), kept.spec
