"""SQL misreads from a held-out run, in made-up tenants and our own wording: a follow-up that compares "that" with a
named period keeps the previous question's period and sets it against the named one. Parser tests use in-memory
catalogs (no database)."""

from __future__ import annotations

from datetime import date

import pytest

from tests.sql_helpers import spec_of
from tools.catalog import Catalog, Product, Store
from tools.sql.parse import parse_question
from tools.sql.spec import QuerySpec

TODAY = date(2026, 6, 15)
SHOP = Catalog(stores=(Store("FJ-1", "Fjordlys Optikk Bryggen", "Bergen", "VL"),
                       Store("FJ-2", "Fjordlys Optikk Solsiden", "Trondheim", "TL")),
               products=(Product("FJ01", "Fjordlys Nordkapp", "frames", "Fjordlys Design"),
                         Product("FJ02", "Havblikk Sol", "sunglasses", "Havblikk")),
               tenant_words=frozenset({"fjordlys"}), sales_from=date(2024, 1, 2), sales_to=date(2026, 6, 14))


def _follow(first: str, second: str) -> QuerySpec:
    prev = parse_question(first, SHOP, TODAY)
    assert prev.spec is not None, prev.refusal
    parsed = parse_question(second, SHOP, TODAY, prev.spec)
    assert parsed.spec is not None, parsed.refusal or parsed.unresolved
    return parsed.spec


@pytest.mark.parametrize(("first", "second", "asked", "other"), [
    ("units sold at Bryggen in April 2026", "how does that compare with April last year?",
     (date(2026, 4, 1), date(2026, 5, 1)), (date(2025, 4, 1), date(2025, 5, 1))),
    ("revenue at Solsiden in March 2026", "and how did it stack up against March 2024",
     (date(2026, 3, 1), date(2026, 4, 1)), (date(2024, 3, 1), date(2024, 4, 1))),
    ("revenue in Q1 2026", "compared to Q4 2025?",
     (date(2026, 1, 1), date(2026, 4, 1)), (date(2025, 10, 1), date(2026, 1, 1))),
    ("revenue in February 2026", "can you compare it with February 2025",
     (date(2026, 2, 1), date(2026, 3, 1)), (date(2025, 2, 1), date(2025, 3, 1))),
])
def test_a_follow_up_compares_the_previous_period_with_the_named_one(first, second, asked, other) -> None:
    spec = _follow(first, second)
    assert (spec.time_range.start, spec.time_range.end) == asked
    assert spec.comparison is not None
    assert (spec.comparison.time_range.start, spec.comparison.time_range.end) == other


def test_a_follow_up_naming_only_a_new_period_still_replaces_it() -> None:
    spec = _follow("revenue at Bryggen in April 2026", "and in May 2025?")
    assert (spec.time_range.start, spec.time_range.end) == (date(2025, 5, 1), date(2025, 6, 1))
    assert spec.comparison is None
    assert spec.filters.store == ("FJ-1",)


def _spec(question: str) -> QuerySpec:
    return spec_of(question, SHOP, TODAY)


@pytest.mark.parametrize(("question", "asked", "other"), [
    ("Bergen takings for Q2, this year vs last", (date(2026, 4, 1), date(2026, 7, 1)),
     (date(2025, 4, 1), date(2025, 7, 1))),
    ("February units, this year compared with the previous one", (date(2026, 2, 1), date(2026, 3, 1)),
     (date(2025, 2, 1), date(2025, 3, 1))),
])
def test_a_part_of_the_year_this_year_vs_last_compares_that_part_across_the_years(question, asked, other) -> None:
    spec = _spec(question)
    assert (spec.time_range.start, spec.time_range.end)[0] == asked[0]
    assert spec.comparison is not None
    assert (spec.comparison.time_range.start, spec.comparison.time_range.end)[0] == other[0]
    assert spec.comparison.time_range.start.month == spec.time_range.start.month


def test_this_year_vs_last_alone_still_compares_the_year_so_far() -> None:
    spec = _spec("revenue this year vs last")
    assert spec.time_range.start == date(2026, 1, 1)
    assert spec.comparison is not None and spec.comparison.time_range.start == date(2025, 1, 1)
