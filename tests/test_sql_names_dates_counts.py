"""Readings an outside tester's Brazilian tenant found wrong or refused, checked on a made-up Mexican tenant (not a
bench tenant): numeric dates in the tenant's country's order ("28/11/2025", and "03/05/2026" is 3 May outside the
US), names with "+" ("Bausch + Lomb" asked as "Bausch and Lomb" / "&"), hyphenated names typed with a space (never
"corrected" to an English word), accented misspellings ("Guadalajra"), a model that other products' names carry
too ("Colibrí" beside "Sol Colibrí") as a name keyword, category words describing products named one by one, "number
of <kind> brands we carry" (the catalogue), stores "with at least one sale", "average basket in units", a span "this
year against last year", and a day that is not about the sales ("the meeting on Thursday", "by Friday"). Parser tests
on a catalog; no database."""

from __future__ import annotations

from datetime import date

import pytest

from tests.sql_helpers import spec_of
from tools.catalog import Catalog, Product, Store
from tools.sql.parse import parse_question

TODAY = date(2026, 6, 15)
CATALOG = Catalog(stores=(Store("C-1", "Ópticas Colibrí Centro", "Guadalajara", "JAL"),
                          Store("C-2", "Ópticas Colibrí Norte", "Monterrey", "NLE"),
                          Store("C-3", "Ópticas Colibrí Sur", "Monterrey", "NLE")),
                  products=(Product("P-1", "Colibrí Agua-Fresca", "frames", "Colibrí"),
                            Product("P-2", "Colibrí Sol Agua-Fresca", "sunglasses", "Colibrí"),
                            Product("P-3", "Colibrí Media Noche", "frames", "Colibrí"),
                            Product("P-4", "Colibrí Media Noche Estuche", "accessories", "Colibrí"),
                            Product("P-5", "Bausch + Lomb Ultra", "contact_lenses", "Bausch + Lomb")),
                  tenant_words=frozenset({"colibrí"}), sales_from=date(2024, 7, 1), sales_to=date(2026, 6, 14))


def _spec(question: str):  # noqa: ANN202
    return spec_of(question, CATALOG, TODAY)


@pytest.mark.parametrize("question,day", [("discounts on 28/11/2025", date(2025, 11, 28)),
                                          ("revenue on 03/05/2026", date(2026, 5, 3)),
                                          ("orders on 5.3.2026", date(2026, 3, 5))])
def test_numeric_dates_in_the_tenants_order(question: str, day: date) -> None:
    assert _spec(question).time_range.start == day


@pytest.mark.parametrize("question", ["Bausch and Lomb units in 2025", "Bausch & Lomb units in 2025"])
def test_plus_in_a_name_is_and(question: str) -> None:
    assert _spec(question).filters.brand == ("Bausch + Lomb",)


@pytest.mark.parametrize("question", ["units of Agua Fresca this year", "units of Agua-Fresca this year"])
def test_a_model_other_names_carry_is_a_keyword(question: str) -> None:
    assert _spec(question).filters.keyword == ("agua-fresca",)


def test_an_accented_misspelling_is_corrected() -> None:
    assert _spec("revenue in Guadalajra last month").filters.city == ("Guadalajara",)


@pytest.mark.parametrize("question,skus", [
    ("sales of the Colibrí Media Noche frame and the Colibrí Media Noche Estuche this year", {"P-3", "P-4"}),
    ("sales of the Agua-Fresca frame and the Colibrí Media Noche Estuche this year", {"P-1", "P-4"}),
])
def test_products_named_side_by_side_are_all_kept(question: str, skus: set[str]) -> None:
    spec = _spec(question)
    assert set(spec.filters.product) == skus and not spec.filters.category and not spec.filters.keyword


@pytest.mark.parametrize("question", ["number of sunglass brands we carry",
                                      "number of frame brands in our product range"])
def test_catalogue_brand_counts(question: str) -> None:
    assert _spec(question).measure == "brand_count"


def test_stores_with_at_least_one_sale() -> None:
    assert _spec("how many of our shops made at least one sale last week").measure == "distinct_stores"


def test_average_basket_in_units() -> None:
    assert _spec("average basket in units at Centro in 2025").measure == "units_per_order"


def test_a_span_this_year_against_last_year() -> None:
    spec = _spec("revenue for January to May, this year against last year")
    assert (spec.time_range.start, spec.time_range.end) == (date(2026, 1, 1), date(2026, 6, 1))
    assert spec.comparison.kind == "year_over_year"
    assert (spec.comparison.time_range.start, spec.comparison.time_range.end) == (date(2025, 1, 1), date(2025, 6, 1))


@pytest.mark.parametrize("question", ["for the team meeting on Thursday: units in Monterrey in April 2026",
                                      "I need units in Monterrey for April 2026 by Friday"])
def test_a_day_that_is_not_about_the_sales(question: str) -> None:
    spec = _spec(question)
    assert not spec.filters.weekday and spec.time_range.start == date(2026, 4, 1)


def test_the_other_product_named_by_its_own_word_joins() -> None:
    spec = _spec("Media Noche sales this year, the frame and the estuche")
    assert set(spec.filters.product) == {"P-3", "P-4"} and not spec.filters.keyword
    assert _spec("Media Noche frames sold in 2025").filters.category == ("frames",)


SOUTHERN = Catalog(stores=(Store("K-1", "Kiwi Optics Ponsonby", "Auckland", "AUK"),
                           Store("K-2", "Kiwi Optics Cuba St", "Wellington", "WGN")),
                   products=(Product("K-S", "Kiwi Tui", "sunglasses", "Kiwi"),),
                   tenant_words=frozenset({"kiwi"}), sales_from=date(2024, 7, 1), sales_to=date(2026, 6, 14))


@pytest.mark.parametrize("question,start,end", [
    ("sunglasses units over the summer", date(2025, 12, 1), date(2026, 3, 1)),
    ("revenue last winter", date(2025, 6, 1), date(2025, 9, 1)),
])
def test_seasons_of_a_tenant_south_of_the_equator(question: str, start: date, end: date) -> None:
    spec = parse_question(question, SOUTHERN, TODAY).spec
    assert spec is not None and (spec.time_range.start, spec.time_range.end) == (start, end)
    northern = _spec("revenue last winter")  # the Mexican tenant keeps the northern seasons
    assert northern.time_range.start == date(2025, 12, 1)
