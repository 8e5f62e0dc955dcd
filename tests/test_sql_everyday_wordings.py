"""Everyday wordings the SQL parser once misread (found on a fresh held-out set; tested here on a made-up Portuguese
tenant): a model named with a common word ("One", "Two") is not picked by "which one" / "the sunglasses ones";
"<month> a year ago" compares that month with the same month a year earlier; "equals the reorder point" counts items
exactly at it; "since the start/beginning of X" runs from X to today; "in their forties" is the 40-49 age band.
Parser tests on a catalog; no database."""

from __future__ import annotations

from datetime import date

import pytest

from tools.catalog import Catalog, Product, Store
from tools.sql.parse import parse_question

TODAY = date(2026, 6, 15)
CATALOG = Catalog(stores=(Store("MR-1", "Maresia Ótica Baixa", "Lisboa", "LI"),
                          Store("MR-2", "Maresia Ótica Foz", "Porto", "PO")),
                  products=(Product("MR-S1", "Tejo One", "sunglasses", "Tejo"),
                            Product("MR-S2", "Tejo Two", "sunglasses", "Tejo"),
                            Product("MR-F1", "Douro Clássico 52", "frames", "Douro")),
                  tenant_words=frozenset({"maresia"}), sales_from=date(2024, 1, 1), sales_to=date(2026, 6, 10))


def _spec(question: str, previous=None):  # noqa: ANN001, ANN202
    parsed = parse_question(question, CATALOG, TODAY, previous)
    assert parsed.spec is not None, question
    return parsed.spec


@pytest.mark.parametrize(("first", "follow_up"), [
    ("which store had the most revenue in 2025?", "and which one was lowest?"),
    ("top 5 products by units this year", "only the sunglasses ones"),
])
def test_a_common_word_model_name_is_not_read_in_a_follow_up(first: str, follow_up: str) -> None:
    spec = _spec(follow_up, _spec(first))
    assert spec.filters.product == () and spec.filters.keyword == ()


def test_the_full_name_of_a_common_word_model_still_filters() -> None:
    assert _spec("units of Tejo One sold in 2025").filters.product == ("MR-S1",)


@pytest.mark.parametrize("question", ["this May's revenue against May a year ago",
                                      "revenue in March compared to March a year earlier"])
def test_a_month_a_year_ago_is_the_same_month_of_the_year_before(question: str) -> None:
    spec = _spec(question)
    assert spec.time_range is not None and spec.comparison is not None and spec.comparison.time_range is not None
    now, before = spec.time_range, spec.comparison.time_range
    assert now.start.month == before.start.month and before.start.year == now.start.year - 1


@pytest.mark.parametrize("question", ["count of stock lines where on-hand equals the reorder point",
                                      "how many items have stock equal to their reorder level"])
def test_equal_to_the_reorder_point_is_at_it(question: str) -> None:
    assert _spec(question).measure == "items_at_reorder"


def test_since_the_start_of_a_year_runs_to_today() -> None:
    spec = _spec("quarterly revenue since the start of 2025")
    assert spec.time_range is not None and spec.time_range.start == date(2025, 1, 1)
    assert spec.time_range.end == date(2026, 6, 16)


def test_a_decade_word_is_an_age_band() -> None:
    assert _spec("how many of our patients are in their forties").filters.age_band == ("40-49",)


def test_community_alone_is_the_region_dimension() -> None:
    assert _spec("2025 units broken down by community and by category").dimensions == ("state", "category")
