"""A holiday's name glossed in a bracket by its name in another language ("Good Friday 2025 (nagypéntek)",
"Poniedziałek Wielkanocny (Easter Monday) 2025") is one occasion, not an unknown word (tools/sql/occasions.py
`same_day_glosses`), parser level, on made-up chains (not bench tenants). Before, the bracketed name was refused as a
word the data does not hold.
"""

from __future__ import annotations

from datetime import date

import pytest

from tests.sql_helpers import spec_of
from tools.catalog import Catalog, Product, Store
from tools.sql.occasions import same_day_glosses
from tools.sql.parse import parse_question

TODAY = date(2026, 6, 15)
_GOODS = (Product("L-1", "Rigo Round", "frames", "Rigo"), Product("L-2", "Ray-Ban Wayfarer", "sunglasses", "Ray-Ban"))


def _chain(*stores: tuple[str, str, str]) -> Catalog:
    return Catalog(stores=tuple(Store(f"R-{i}", name, city, state) for i, (name, city, state) in enumerate(stores)),
                   products=_GOODS, tenant_words=frozenset({"rigo"}), sales_from=date(2024, 1, 1),
                   sales_to=date(2026, 6, 14))


HUNGARY = _chain(("Rigo Andrássy", "Budapest", "Budapest"), ("Rigo Pécs", "Pécs", "Baranya"))
POLAND = _chain(("Rigo Kraków", "Kraków", "małopolskie"), ("Rigo Gdańsk", "Gdańsk", "pomorskie"))
CZECHIA = _chain(("Rigo Praha", "Praha", "Praha"), ("Rigo Brno", "Brno", "Jihomoravský kraj"))


@pytest.mark.parametrize(("question", "catalog", "start"), [
    ("revenue on Good Friday 2025 (nagypéntek)", HUNGARY, date(2025, 4, 18)),
    ("revenue on nagypéntek 2025 (Good Friday)", HUNGARY, date(2025, 4, 18)),
    ("units sold at Rigo Pécs on Good Friday this year (nagypéntek, 3 April)", HUNGARY, date(2026, 4, 3)),
    ("sales on Poniedziałek Wielkanocny (Easter Monday) 2025", POLAND, date(2025, 4, 21)),
    ("orders on Velký pátek 2025 (Good Friday)", CZECHIA, date(2025, 4, 18)),
])
def test_a_holiday_glossed_by_its_name_in_another_language_is_one_occasion(question: str, catalog: Catalog,
                                                                           start: date) -> None:
    spec = spec_of(question, catalog, TODAY)
    assert spec.time_range is not None and spec.time_range.start == start, spec
    assert (spec.time_range.end - spec.time_range.start).days == 1


def test_a_bracket_naming_another_holiday_is_not_dropped() -> None:
    # Easter Sunday is not Good Friday: the bracket says something else, left for the parser to ask about
    assert same_day_glosses("units on Good Friday 2025 (Húsvét)", ("HU",), TODAY) == \
        "units on Good Friday 2025 (Húsvét)"
    parsed = parse_question("units on Good Friday 2025 (Húsvét)", HUNGARY, TODAY)
    assert parsed.spec is None or parsed.unresolved


def test_the_rest_of_the_bracket_stays_and_nothing_changes_without_one_country() -> None:
    assert same_day_glosses("revenue on Good Friday this year (nagypéntek, 3 April)", ("HU",), TODAY) == \
        "revenue on Good Friday this year (3 April)"
    assert same_day_glosses("revenue on Good Friday 2025 (nagypéntek)", ("HU", "AT"), TODAY) == \
        "revenue on Good Friday 2025 (nagypéntek)"
    assert same_day_glosses("revenue at Rigo Pécs (Baranya) in May", ("HU",), TODAY) == \
        "revenue at Rigo Pécs (Baranya) in May"
