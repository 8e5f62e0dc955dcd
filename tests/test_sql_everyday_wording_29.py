"""Everyday wordings that were refused or answered as another question before (fortnights, "April a year ago", "the
same two months of 2024", "the first three months of the year", a house brand, a store's acronym, the stores listed
before "which", Romanian dates, holidays and words), parser level, on a made-up Romanian chain (not a bench tenant).

Wrong before: "the second fortnight of April compared with the first" compared April with March; "revenue in April a
year ago" compared this year so far with the last; "July and August 2025 compared with the same two months of 2024"
compared August with July; "How many SKUs does our range list?" counted units sold; "what percent of units were X"
with X unread gave the total; "Vânzări pe magazine" gave the total, not one row per shop; "lentile de contact" was the
fitting service's units; "revenue at Iulius" (a word of two shops' names) was the whole chain.
"""

from __future__ import annotations

from datetime import date

import pytest

from tests.sql_helpers import spec_of
from tools.catalog import Catalog, Product, Store
from tools.sql.money import local_marks
from tools.sql.parse import parse_question

TODAY = date(2026, 6, 15)
_STORES = (("V-1", "Vulpe Calea Dorobanți", "București", "BU"), ("V-2", "Vulpe MEGA Băneasa", "București", "BU"),
           ("V-3", "Vulpe Lotus Mall Nord", "Cluj-Napoca", "CJ"), ("V-4", "Vulpe Lotus Centru", "Iași", "IS"),
           ("V-5", "Vulpe Bulevardul Unirii", "Brașov", "BV"), ("V-6", "Vulpe Faleza", "Constanța", "CT"))
_PRODUCTS = (("VP-1", "Vulpe Carpați Rotund", "frames", "Vulpe"), ("VP-2", "Ray-Ban Wayfarer", "sunglasses", "Ray-Ban"),
             ("VP-3", "Biofinity 3 buc", "contact_lenses", "CooperVision"),
             ("VP-4", "Montaj lentile", "services", "Vulpe"), ("VP-5", "Examen optometric", "services", "Vulpe"))
CHAIN = Catalog(stores=tuple(Store(*s) for s in _STORES), products=tuple(Product(*p) for p in _PRODUCTS),
                tenant_words=frozenset({"vulpe", "optica"}), sales_from=date(2024, 1, 1), sales_to=date(2026, 6, 14),
                currency="RON")


def _span(question: str, previous: object = None) -> tuple[date, date]:
    spec = spec_of(question, CHAIN, TODAY, previous)  # type: ignore[arg-type]
    assert spec.time_range is not None, spec
    return spec.time_range.start, spec.time_range.end


def test_fortnights_are_halves_of_the_month() -> None:
    spec = spec_of("Revenue in the second fortnight of April compared with the first", CHAIN, TODAY)
    assert (spec.time_range.start, spec.time_range.end) == (date(2026, 4, 16), date(2026, 5, 1))
    assert spec.comparison is not None and spec.comparison.time_range.start == date(2026, 4, 1)
    assert _span("units in the first fortnight of May") == (date(2026, 5, 1), date(2026, 5, 16))


def test_a_month_a_year_ago_without_a_comparison_is_that_month_last_year() -> None:
    spec = spec_of("revenue in April a year ago", CHAIN, TODAY)
    assert (spec.time_range.start, spec.comparison) == (date(2025, 4, 1), None)
    first = spec_of("discount total per county for April", CHAIN, TODAY)
    again = spec_of("now April a year ago", CHAIN, TODAY, first)
    assert again.time_range.start == date(2025, 4, 1) and again.comparison is None and again.dimensions == ("state",)
    compared = spec_of("revenue in April compared with a year ago", CHAIN, TODAY)
    assert compared.comparison is not None and compared.time_range.start == date(2026, 4, 1)


def test_the_same_two_months_of_another_year_and_the_first_months_of_a_year() -> None:
    spec = spec_of("how did sunglasses sales in July and August 2025 compare with the same two months of 2024?",
                   CHAIN, TODAY)
    assert (spec.time_range.start, spec.time_range.end) == (date(2025, 7, 1), date(2025, 9, 1))
    assert spec.comparison is not None and spec.comparison.time_range.start == date(2024, 7, 1)
    assert _span("How much did we make in the first three months of the year?") == (date(2026, 1, 1),
                                                                                    date(2026, 4, 1))
    assert _span("units in the last two months of 2025") == (date(2025, 11, 1), date(2026, 1, 1))


def test_house_brand_catalogue_count_stock_and_ranking_words() -> None:
    share = spec_of("What percent of last year's units were our house brand Vulpe?", CHAIN, TODAY)
    assert share.share_of_total and share.part.brand == ("Vulpe",)
    assert parse_question("What share of revenue was our own brand in May?", CHAIN, TODAY).spec is None
    assert spec_of("How many SKUs does our range list?", CHAIN, TODAY).measure == "product_count"
    stock = spec_of("Which shop is sitting on the most contact lens boxes?", CHAIN, TODAY)
    assert (stock.measure, stock.dimensions) == ("stock_on_hand", ("store",))
    deep = spec_of("Which county gave the deepest discount rate in 2025?", CHAIN, TODAY)
    assert deep.ranking is not None and deep.ranking.direction == "desc"
    for question in ("stores ranked by receipts this year", "stores ranked by bills this year"):
        ranked = spec_of(question, CHAIN, TODAY)
        assert (ranked.measure, ranked.dimensions) == ("orders", ("store",)), question


def test_a_share_of_nothing_read_is_refused_never_the_total() -> None:
    parsed = parse_question("What percent of last year's units were Zorro?", CHAIN, TODAY)
    assert parsed.spec is None


def test_stores_by_an_acronym_a_shared_word_and_a_list_before_which() -> None:
    assert spec_of("revenue at MEGA in May", CHAIN, TODAY).filters.store == ("V-2",)
    shared = parse_question("revenue at Lotus in May", CHAIN, TODAY)
    assert shared.spec is None and any(set(u.options) == {"V-3", "V-4"} for u in shared.unresolved)
    ranked = spec_of("Among MEGA Băneasa, Faleza and Lotus Centru, which sold the fewest units in March?", CHAIN,
                     TODAY)
    assert ranked.dimensions == ("store",) and set(ranked.filters.store) == {"V-2", "V-6", "V-4"}
    assert ranked.ranking is not None and ranked.ranking.direction == "asc"


@pytest.mark.parametrize(("question", "measure", "dims", "start"), [
    ("Cât am încasat în martie?", "revenue", (), date(2026, 3, 1)),
    ("Vânzări pe magazine în aprilie", "revenue", ("store",), date(2026, 4, 1)),
    ("Câte lentile de contact am vândut anul trecut?", "units", (), date(2025, 1, 1)),
    ("Average bon value in May?", "avg_order_value", (), date(2026, 5, 1)),
    ("Did Brașov pass 50.000 lei in May?", "revenue", (), date(2026, 5, 1)),
    ("What did the chain take on Paște Sunday this year?", "revenue", (), date(2026, 4, 12)),
    ("How much did we sell in lei on Rusalii Monday 2025?", "revenue", (), date(2025, 6, 9)),
    ("Which day of Reduceri de vară 2025 (7–20 iulie) had the highest revenue?", "revenue", ("day",),
     date(2025, 7, 7)),
    ("How many eye exams (Examen optometric, the eye test) did we sell in May?", "units", (), date(2026, 5, 1)),
])
def test_romanian_words_dates_and_holidays(question: str, measure: str, dims: tuple[str, ...], start: date) -> None:
    spec = spec_of(question, CHAIN, TODAY)
    assert (spec.measure, spec.dimensions) == (measure, dims), spec
    assert spec.time_range is not None and spec.time_range.start == start
    if "lentile" in question:
        assert spec.filters.category == ("contact_lenses",) and not spec.filters.product


def test_a_season_after_de_names_an_occasion_never_the_period() -> None:
    # "Reduceri de vară" (the summer sale) with days given elsewhere: never read as the summer's months
    parsed = parse_question("Reduceri de vară discounts: 7–20 July 2025 vs 8–21 July 2024", CHAIN, TODAY)
    assert parsed.spec is None or parsed.spec.time_range.start == date(2025, 7, 7)


def test_a_three_letter_currency_word_only_where_its_own_countries_use_it() -> None:
    assert "lei" in local_marks("RON") and "won" not in local_marks("KRW") and "yen" not in local_marks("JPY")


def test_asides_lists_and_take_together() -> None:
    listed = spec_of("What did the shops (Calea Dorobanți, Faleza, Lotus Centru) take on Sunday 1 March 2026?", CHAIN,
                     TODAY)
    assert set(listed.filters.store) == {"V-1", "V-6", "V-4"} and listed.measure == "revenue"
    together = spec_of("What did Faleza and MEGA take together last month?", CHAIN, TODAY)
    assert (together.measure, set(together.filters.store)) == ("revenue", {"V-6", "V-2"})
    aside = spec_of("How many different products did Faleza sell in Q1 2026, its last quarter?", CHAIN, TODAY)
    assert (aside.time_range.start, aside.time_range.end) == (date(2026, 1, 1), date(2026, 4, 1))
    lens = spec_of("break down our patient files by the kind of lenses they wear", CHAIN, TODAY)
    assert (lens.measure, lens.dimensions) == ("patients", ("lens_type",))


def test_a_city_by_the_name_before_de_or_del() -> None:
    chile = Catalog(stores=(Store("C-1", "Copa Reñaca", "Viña del Mar", "VS"), Store("C-2", "Copa Centro", "Valparaíso",
                                                                                  "VS")),
                    products=CHAIN.products, tenant_words=frozenset({"copa"}), sales_from=date(2024, 1, 1),
                    sales_to=date(2026, 6, 14))
    assert spec_of("Viña revenue in May", chile, TODAY).filters.city == ("Viña del Mar",)
    assert spec_of("ventas por ciudad en mayo", chile, TODAY).dimensions == ("city",)


def test_a_description_of_listed_stores_the_data_does_not_hold_is_dropped() -> None:
    spec = spec_of("revenue of the mall shops (MEGA Băneasa, Lotus Mall Nord, Faleza) in May", CHAIN, TODAY)
    assert set(spec.filters.store) == {"V-2", "V-3", "V-6"}
    assert parse_question("revenue of the mall shops in May", CHAIN, TODAY).spec is None  # no list: asked
