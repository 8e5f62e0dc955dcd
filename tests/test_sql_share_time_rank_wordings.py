"""Wordings that used to get another question's answer, on a made-up Finnish tenant (not a bench tenant): "how much
of our revenue is contacts" / "how much of the sales did sunglasses make up" ask for a share (they were answered with
the part's amount); "how much of the units are sunglasses" is a share of units (it was read as money); a question
that starts with the time unit ("month with the lowest revenue in the last 12 months", "day with the most orders
last month") ranks that unit (it was refused). "how much of the revenue did we make in May" stays May's revenue.
"how many products have we run out of" counts the items out of stock (it was answered with units sold).
Parser tests on a catalog; no database."""

from __future__ import annotations

from datetime import date

import pytest

from tests.sql_helpers import spec_of
from tools.catalog import Catalog, Product, Store

TODAY = date(2026, 6, 17)
CATALOG = Catalog(stores=(Store("K-1", "Kuikka Optiikka Kamppi", "Helsinki", "18"),
                          Store("K-2", "Kuikka Optiikka Hervanta", "Tampere", "11")),
                  products=(Product("KF-1", "Kuikka Aalto 51", "frames", "Kuikka"),
                            Product("KS-1", "Kuikka Revontuli Polar", "sunglasses", "Kuikka"),
                            Product("KC-1", "Kirkas Daily 30", "contact_lenses", "Kirkas")),
                  tenant_words=frozenset({"kuikka"}), sales_from=date(2024, 1, 1), sales_to=date(2026, 6, 16))


def _spec(question: str):  # noqa: ANN202
    return spec_of(question, CATALOG, TODAY)


@pytest.mark.parametrize("question,measure,category", [
    ("how much of our revenue is contacts", "revenue", "contact_lenses"),
    ("how much of the revenue did sunglasses make up in 2025", "revenue", "sunglasses"),
    ("how much of our sales were frames last quarter", "revenue", "frames"),
    ("how much of the units are sunglasses", "units", "sunglasses"),
    ("how much of our units sold were frames this year", "units", "frames"),
])
def test_how_much_of_the_whole_is_a_part_is_a_share(question: str, measure: str, category: str) -> None:
    spec = _spec(question)
    assert spec.share_of_total and spec.measure == measure
    assert spec.part is not None and spec.part.category == (category,)


def test_how_much_of_the_revenue_we_made_in_a_month_stays_the_amount() -> None:
    spec = _spec("how much of the revenue did we make in May")
    assert not spec.share_of_total and spec.measure == "revenue"
    assert spec.time_range is not None and spec.time_range.start == date(2026, 5, 1)


@pytest.mark.parametrize("question,dim,direction,measure", [
    ("month with the lowest revenue in the last 12 months", "month", "asc", "revenue"),
    ("day with the most orders last month", "day", "desc", "orders"),
    ("week with the highest units in 2025", "week", "desc", "units"),
    ("store with the fewest orders this year", "store", "asc", "orders"),
])
def test_a_question_that_starts_with_the_ranked_unit(question: str, dim: str, direction: str, measure: str) -> None:
    spec = _spec(question)
    assert spec.dimensions == (dim,) and spec.measure == measure
    assert spec.ranking is not None and spec.ranking.direction == direction and spec.ranking.limit == 1


@pytest.mark.parametrize("question", ["how many products have we run out of completely at Kamppi?",
                                      "how many lines have we run out of at Kamppi",
                                      "which frames have we run out of?"])
def test_run_out_of_is_out_of_stock(question: str) -> None:
    assert _spec(question).measure == "items_out_of_stock"


def test_running_out_of_time_is_no_stock_question() -> None:
    assert _spec("we ran out of time, revenue last month").measure == "revenue"
