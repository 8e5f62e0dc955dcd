"""Lower-case month abbreviations in SQL questions: "in feb", "for dec", "since sept", "feb vs mar" are months (the
date parser, tools/dates.py), never silently dropped so the answer covers all recorded sales; a lone "mar" in a
sentence is still no month. Date-parser and parser tests on a made-up catalog; no database."""

from __future__ import annotations

from datetime import date

import pytest

from tools.catalog import Catalog, Product, Store
from tools.dates import parse_periods
from tools.sql.parse import parse_question

TODAY = date(2026, 6, 15)
CATALOG = Catalog(stores=(Store("PW-1", "Pinewood Eyecare Harbour", "Halifax", "NS"),
                          Store("PW-2", "Pinewood Eyecare Quay", "Halifax", "NS")),
                  products=(Product("PW-F1", "Pinewood Oval 51", "frames", "Pinewood"),),
                  tenant_words=frozenset({"pinewood"}), sales_from=date(2024, 1, 1), sales_to=date(2026, 6, 10))


@pytest.mark.parametrize(("text", "label"), [
    ("revenue in feb", "February 2026"),
    ("units for dec", "December 2025"),
    ("orders during aug", "August 2025"),
])
def test_a_lower_case_abbreviation_after_a_preposition_is_the_month(text: str, label: str) -> None:
    assert [p.label for p in parse_periods(text, TODAY)] == [label]


def test_a_lone_lower_case_abbreviation_is_no_month() -> None:
    assert parse_periods("the scratches mar the lens", TODAY) == []
    assert parse_periods("dec revenue", TODAY) == []


def test_since_a_lower_case_abbreviation_runs_to_today() -> None:
    (period,) = parse_periods("revenue since sept", TODAY)
    assert period.start == date(2025, 9, 1) and period.end == date(2026, 6, 16)


def test_the_parser_applies_the_month_instead_of_all_sales() -> None:
    spec = parse_question("hw many frames sold in feb", CATALOG, TODAY).spec
    assert spec is not None and spec.time_range is not None
    assert (spec.time_range.start, spec.time_range.end) == (date(2026, 2, 1), date(2026, 3, 1))
    compared = parse_question("revenue in feb vs mar", CATALOG, TODAY).spec
    assert compared is not None and compared.comparison is not None and compared.comparison.time_range is not None
    assert compared.time_range is not None and compared.time_range.start == date(2026, 3, 1)
    assert compared.comparison.time_range.start == date(2026, 2, 1)
