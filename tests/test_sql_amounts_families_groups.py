"""Everyday wordings on a made-up Portuguese tenant (not a bench tenant) that used to get another question's answer
or an avoidable refusal. Parser tests on a catalog; no database.

- Money amounts that only frame the question ("we budgeted 1.234.567,00 € - what did we take?", "did Ribeira clear
  7.500,00 EUR?", "(target was 9 500,50)") are no condition: the answer gives the real figure (they were refused for
  an unknown number or word). "orders over 100 €" stays refused: a condition on each sale is not applied.
- A word of a product name that is a function word or names the business ("Noite Out", "Chain Cord") is no product
  filter in "out of stock" / "across the chain" (it was: 0 or a wrong total).
- A name of both a store and a product family: "the Ribeira line / range / frames" is the family, "Chiado vs
  Ribeira" the store (both were asked about).
- "how many products are in the Ribeira line" counts the catalogue (it was answered with units sold).
- "which two stores did the most eye exams" counts the service (it was refused); "each optician" is refused (no staff
  in the data; it was answered for all of them).
- "the Porto region" / "the region of Porto" is the region with its noun, never also a breakdown by region.
- "how much of our lens revenue is Hoya" is a share (it was Hoya's lens revenue).
- "what did one store take on average", "the average store" average over the stores (refused before).
- "the 12 months to the end of May 2026" is June 2025 to May 2026 (refused before); "the same week last year" is
  the same Monday-to-Sunday week 52 weeks back.
- "the best store in each region" is the best store of each region (it gave the one best store of all regions;
  stop 29 listed every store of each region, stop 30 cuts each region to its top one); "and in the same month last
  year?" after a question about last month asks for that month a year back (it was a comparison, led by the later
  month)."""

from __future__ import annotations

from datetime import date

import pytest

from tests.sql_helpers import spec_of
from tools.catalog import Catalog, Product, Store
from tools.sql.parse import parse_question

TODAY = date(2026, 6, 17)
CATALOG = Catalog(stores=(Store("A-1", "Andorinha Chiado", "Lisboa", "11"),
                          Store("A-2", "Andorinha Ribeira", "Porto", "13"),
                          Store("A-3", "Andorinha Boavista", "Porto", "13"),
                          Store("A-4", "Andorinha Sé", "Braga", "03")),
                  products=(Product("AF-1", "Andorinha Ribeira Classic", "frames", "Andorinha"),
                            Product("AF-2", "Andorinha Ribeira Slim", "frames", "Andorinha"),
                            Product("AS-1", "Andorinha Noite Out", "sunglasses", "Andorinha"),
                            Product("AA-1", "Andorinha Chain Cord", "accessories", "Andorinha"),
                            Product("AL-1", "Hoya Nulux 1.6", "lenses", "Hoya"),
                            Product("AL-2", "Zeiss Clear 1.5", "lenses", "Zeiss"),
                            Product("AC-1", "Acuvue Oasys 30", "contact_lenses", "Acuvue"),
                            Product("AV-1", "Eye Exam", "services", "Andorinha")),
                  tenant_words=frozenset({"andorinha"}), sales_from=date(2024, 6, 1), sales_to=date(2026, 6, 16))


def _spec(question: str):  # noqa: ANN202
    return spec_of(question, CATALOG, TODAY)


@pytest.mark.parametrize(("question", "measure"), [
    ("We budgeted 1.234.567,00 € of turnover for 2025 - what did we actually take?", "revenue"),
    ("Did Chiado clear 7.500,00 EUR last month? What was its revenue?", "revenue"),
    ("total discounts in January 2026 (target was 9 500,50)", "discount_total"),
    ("revenue in 2025 - our goal was $1,500,000", "revenue"),
])
def test_an_amount_that_frames_the_question_is_no_condition(question: str, measure: str) -> None:
    spec = _spec(question)
    assert spec.measure == measure and spec.time_range is not None


def test_an_amount_condition_on_each_sale_stays_refused() -> None:
    assert parse_question("orders over 100 € last month", CATALOG, TODAY).spec is None


@pytest.mark.parametrize(("question", "measure"), [("how many lines are out of stock in Lisboa", "items_out_of_stock"),
                                                   ("contact lenses in stock across the chain", "stock_on_hand")])
def test_a_function_word_of_a_product_name_is_no_filter(question: str, measure: str) -> None:
    spec = _spec(question)
    assert spec.measure == measure and spec.filters.keyword == () and spec.filters.product == ()


@pytest.mark.parametrize(("question", "where"), [
    ("the Ribeira range's share of frame sales in 2025", "part"),
    ("how many Ribeira frames are on the shelves in Porto", "filters"),
    ("Ribeira frames sold at Chiado in 2025", "filters"),
])
def test_a_product_noun_after_a_store_and_family_name_is_the_family(question: str, where: str) -> None:
    assert getattr(_spec(question), where).keyword == ("ribeira",)


def test_a_name_paired_with_a_store_is_the_store() -> None:
    spec = _spec("Chiado vs Ribeira: orders in 2025")
    assert set(spec.filters.store) == {"A-1", "A-2"} and spec.filters.keyword == ()


def test_products_in_a_family_count_the_catalogue() -> None:
    spec = _spec("how many products are in the Ribeira line")
    assert (spec.measure, spec.filters.keyword) == ("product_count", ("ribeira",))


def test_the_most_of_a_named_service_counts_it() -> None:
    spec = _spec("which two stores did the most eye exams last year")
    assert (spec.measure, spec.dimensions, spec.filters.product) == ("units", ("store",), ("AV-1",))
    assert spec.ranking is not None and spec.ranking.limit == 2


@pytest.mark.parametrize("question", ["how many eye exams did each optician do last month",
                                      "which member of staff sold the most frames"])
def test_per_person_questions_are_refused(question: str) -> None:
    parsed = parse_question(question, CATALOG, TODAY)
    assert parsed.spec is None and "does not record who" in (parsed.refusal or "")


@pytest.mark.parametrize("question", ["top store in the Porto region by orders last quarter",
                                      "top store in the region of Porto by orders"])
def test_a_region_named_with_its_noun_is_no_breakdown(question: str) -> None:
    spec = _spec(question)
    assert spec.dimensions == ("store",) and spec.filters.state == ("13",)


def test_how_much_of_a_qualified_revenue_is_a_share() -> None:
    spec = _spec("how much of our lens revenue this year is Hoya")
    assert spec.share_of_total and spec.filters.category == ("lenses",) and spec.part.brand == ("Hoya",)


@pytest.mark.parametrize("question", ["what did one store take on average last year",
                                      "how much revenue did the average store make last year"])
def test_one_store_on_average(question: str) -> None:
    assert _spec(question).average_over == "store"


def test_n_months_to_a_month() -> None:
    spec = _spec("how many orders did we ring up in the 12 months to the end of May 2026")
    assert spec.time_range is not None
    assert (spec.time_range.start, spec.time_range.end) == (date(2025, 6, 1), date(2026, 6, 1))


def test_the_same_week_last_year_is_the_same_weekdays() -> None:
    spec = _spec("units last week compared with the same week last year")
    assert spec.comparison is not None and spec.comparison.time_range is not None
    assert spec.comparison.time_range.start == date(2025, 6, 9)  # a Monday, 52 weeks before 2026-06-08
    assert spec.comparison.time_range.start.weekday() == 0


def test_the_best_in_each_group_is_the_top_one_of_every_group() -> None:
    spec = _spec("best store in each region last year by revenue")
    assert spec.dimensions == ("state", "store")  # stop 30: the top 1 inside each region (it listed every store)
    assert spec.ranking is not None and spec.ranking.limit == 1 and spec.ranking.per_group


def test_and_the_same_month_last_year_moves_the_period() -> None:
    first = _spec("units sold in the Porto region last month")
    spec = spec_of("and in the same month last year?", CATALOG, TODAY, first)
    assert spec.comparison is None and spec.filters.state == ("13",)
    assert spec.time_range is not None and spec.time_range.start == date(2025, 5, 1)
    compared = spec_of("how does that compare with the same month last year?", CATALOG, TODAY, first)
    assert compared.comparison is not None and compared.comparison.kind == "year_over_year"
