"""Everyday period words that used to be answered for all time or for the wrong span, on a made-up Irish tenant (not a
bench tenant): one named day of the week is a date ("last Tuesday", "since Monday", "Saturday's takings", a bare "on
Friday"), while "on Fridays" and "on Friday last month" stay a day-of-week filter and a product named with a day
("Sunday Roast" frames) stays a product; "week to date" / "WTD" is this week so far; "trailing / rolling twelve
months", "TTM" and "the past fortnight" are rolling spans; "this time last year" is asked back. A ranking's size
written as a word before its adjective ("the three biggest stores") is that many rows, and a share of the rows ("the
bottom half", "top 10%") is asked back instead of answered with one row. Parser tests on a catalog; no database."""

from __future__ import annotations

from datetime import date

import pytest

from tests.sql_helpers import spec_of
from tools.catalog import Catalog, Product, Store
from tools.dates import parse_period
from tools.sql.parse import parse_question

TODAY = date(2026, 6, 17)  # a Wednesday
CATALOG = Catalog(stores=(Store("G-1", "Glór Optics Quay", "Galway", "G"),
                          Store("G-2", "Glór Optics Market", "Cork", "CO"),
                          Store("G-3", "Glór Optics Eyre", "Galway", "G"),
                          Store("G-4", "Glór Optics Liffey", "Dublin", "D")),
                  products=(Product("F-1", "Glór Sunday Roast", "frames", "Glór"),
                            Product("F-2", "Glór Harbour", "frames", "Glór")),
                  tenant_words=frozenset({"glór"}), sales_from=date(2024, 1, 1), sales_to=date(2026, 6, 16))


def _spec(question: str):  # noqa: ANN202
    return spec_of(question, CATALOG, TODAY)


@pytest.mark.parametrize("question,day", [
    ("takings last Tuesday", date(2026, 6, 16)),
    ("how did the Quay do this past Friday", date(2026, 6, 12)),
    ("units sold on Friday", date(2026, 6, 12)),
    ("what were Monday's sales in Cork", date(2026, 6, 15)),
    ("revenue last Wednesday", date(2026, 6, 10)),  # today is a Wednesday: last week's
    ("revenue this Monday", date(2026, 6, 15)),
])
def test_one_named_weekday_is_one_date(question: str, day: date) -> None:
    spec = _spec(question)
    assert (spec.time_range.start, spec.time_range.end) == (day, date.fromordinal(day.toordinal() + 1))
    assert not spec.filters.weekday


def test_since_a_weekday_runs_to_today() -> None:
    spec = _spec("orders since Monday")
    assert spec.time_range.start == date(2026, 6, 15) and spec.time_range.end == date(2026, 6, 18)


@pytest.mark.parametrize("question,period", [
    ("revenue on Fridays", None),
    ("revenue on Friday last month", (date(2026, 5, 1), date(2026, 6, 1))),
    ("Friday's revenue in May 2026", (date(2026, 5, 1), date(2026, 6, 1))),
])
def test_plural_or_with_another_period_stays_a_weekday_filter(question: str, period: tuple | None) -> None:
    spec = _spec(question)
    assert spec.filters.weekday == ("5",)
    assert (spec.time_range and (spec.time_range.start, spec.time_range.end)) == period


def test_a_product_named_with_a_day_stays_a_product() -> None:
    spec = _spec("how many Sunday Roast frames did we sell this year")
    assert spec.filters.keyword == ("sunday roast",) or spec.filters.product == ("F-1",)
    assert spec.time_range.start == date(2026, 1, 1) and not spec.filters.weekday


@pytest.mark.parametrize("text,start,end", [
    ("sales week to date", date(2026, 6, 15), date(2026, 6, 18)),
    ("revenue WTD", date(2026, 6, 15), date(2026, 6, 18)),
    ("trailing twelve months revenue", date(2025, 6, 1), date(2026, 6, 1)),
    ("revenue rolling 3 months", date(2026, 3, 1), date(2026, 6, 1)),
    ("TTM revenue", date(2025, 6, 1), date(2026, 6, 1)),
    ("units over the past fortnight", date(2026, 6, 3), date(2026, 6, 17)),
])
def test_to_date_and_rolling_wordings(text: str, start: date, end: date) -> None:
    period = parse_period(text, TODAY).clamp(TODAY)
    assert (period.start, period.end) == (start, end)
    assert (_spec(text).time_range.start, _spec(text).time_range.end) == (start, end)


def test_this_time_last_year_is_asked_back() -> None:
    parsed = parse_question("how were sales this time last year", CATALOG, TODAY)
    assert parsed.spec is None and "this time last year" in parsed.refusal and "did not run a query" in parsed.refusal


@pytest.mark.parametrize("question,direction,limit", [
    ("revenue from the three biggest stores", "desc", 3),
    ("our two weakest shops in May", "asc", 2),
    ("the four best-selling frames last year", "desc", 4),
])
def test_a_ranking_size_written_as_a_word(question: str, direction: str, limit: int) -> None:
    ranking = _spec(question).ranking
    assert (ranking.direction, ranking.limit) == (direction, limit)


@pytest.mark.parametrize("question", ["the bottom half of our stores by revenue", "top 10% of products by units",
                                      "stores in the top twenty percent for orders"])
def test_a_share_of_the_rows_is_asked_back(question: str) -> None:
    parsed = parse_question(question, CATALOG, TODAY)
    assert parsed.spec is None and "not by a share of them" in parsed.refusal
