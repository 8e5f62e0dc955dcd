"""Dates written with short month names the way staff type them, parser level (a made-up Argentine chain, not a
bench tenant).

- A lower-case English abbreviation between two days ("12-14 nov 2025", "between 3 and 9 mar") is the month (before:
  "the number 12" was refused; only "Nov" with a capital counted).
- Another language's abbreviated month in a date that cannot be read otherwise: after a day and before a year
  ("1 dic 2024", "4. Okt. 2025") or in a two-day range with its own word for "to" ("29 nov al 1 dic", "3 set al 10 ott
  2025") (before: refused).
- A three-letter word after a number that is no date ("2 out of 5", "3 set") stays what it was.
"""

from __future__ import annotations

from datetime import date

import pytest

from tests.sql_helpers import spec_of
from tools.catalog import Catalog, Product, Store
from tools.sql.foreign import foreign_months
from tools.sql.parse import parse_question

TODAY = date(2026, 6, 15)
CATALOG = Catalog(stores=(Store("ÑA-1", "Óptica Ñandú Palermo", "Buenos Aires", "C"),
                          Store("ÑA-2", "Óptica Ñandú Nueva Córdoba", "Córdoba", "X"),
                          Store("ÑA-3", "Óptica Ñandú Rosario Centro", "Rosario", "S")),
                  products=(Product("ÑF-1", "Ñandú Pampa", "frames", "Ñandú"),
                            Product("ÑC-1", "Biofinity", "contact_lenses", "CooperVision"),
                            Product("ÑL-1", "Ñandú Monofocal 1.6", "lenses", "Ñandú")),
                  tenant_words=frozenset({"ñandú", "nandu"}), sales_from=date(2024, 1, 2), sales_to=date(2026, 6, 14))


def _period(question: str) -> tuple[date, date]:
    spec = spec_of(question, CATALOG, TODAY)
    assert spec.time_range is not None, question
    return spec.time_range.start, spec.time_range.end


@pytest.mark.parametrize(("question", "start", "end"), [
    ("revenue 12-14 nov 2025", date(2025, 11, 12), date(2025, 11, 15)),
    ("units between 3 and 9 mar 2026", date(2026, 3, 3), date(2026, 3, 10)),
    ("how many orders had a discount in the hot sale (11-13 may 2026)?", date(2026, 5, 11), date(2026, 5, 14)),
])
def test_a_lower_case_english_abbreviation_between_days_is_the_month(question: str, start: date, end: date) -> None:
    assert _period(question) == (start, end)


@pytest.mark.parametrize(("question", "start", "end"), [
    ("orders with a discount on the cyber weekend (29 nov al 1 dic 2024)", date(2024, 11, 29), date(2024, 12, 2)),
    ("revenue 1 dic 2024", date(2024, 12, 1), date(2024, 12, 2)),
    ("units from 3 set al 10 ott 2025", date(2025, 9, 3), date(2025, 10, 11)),
    ("revenue 4. Okt. 2025", date(2025, 10, 4), date(2025, 10, 5)),
    ("revenue 28 nov.-2 dez. 2025", date(2025, 11, 28), date(2025, 12, 3)),
])
def test_another_languages_abbreviated_month_in_a_date(question: str, start: date, end: date) -> None:
    assert _period(question) == (start, end)


def test_a_short_word_after_a_number_that_is_no_date_stays() -> None:
    assert foreign_months("2 out of 5 stores sold frames", ()) == "2 out of 5 stores sold frames"
    assert foreign_months("we sold 3 set of frames", ()) == "we sold 3 set of frames"
    assert foreign_months("revenue 1 dic 2024", ()) == "revenue 1 December 2024"


def test_a_tenants_own_word_is_never_read_as_a_month() -> None:
    assert foreign_months("revenue 1 dic 2024", ("Dic Optics",)) == "revenue 1 dic 2024"
    parsed = parse_question("revenue 12-14 nov 2025 in Rosario", CATALOG, TODAY)
    assert parsed.spec is not None and parsed.spec.filters.city == ("Rosario",)
