"""Seasons named in the question's own language ("tavaly nyáron", "l'été dernier", "loni v létě", "vara trecută") are
read as the English season words the date parser knows (tools/sql/foreign_more.py `SEASONS`), parser level, on a
made-up chain (not a bench tenant). Before, the season word was refused as a word the data does not hold.
"""

from __future__ import annotations

from datetime import date

import pytest

from tests.sql_helpers import spec_of
from tools.catalog import Catalog, Product, Store
from tools.sql.foreign_more import SEASONS

TODAY = date(2026, 6, 15)
CHAIN = Catalog(stores=(Store("M-1", "Merle Centre", "Lyon", "ARA"), Store("M-2", "Merle Gare", "Lille", "HDF")),
                products=(Product("M-10", "Merle Round", "frames", "Merle"),
                          Product("M-11", "Ray-Ban Wayfarer", "sunglasses", "Ray-Ban")),
                tenant_words=frozenset({"merle"}), sales_from=date(2024, 1, 1), sales_to=date(2026, 6, 14))
LAST_SUMMER = (date(2025, 6, 1), date(2025, 9, 1))
LAST_WINTER = (date(2025, 12, 1), date(2026, 3, 1))


@pytest.mark.parametrize(("question", "period"), [
    ("Mennyi volt a bevétel tavaly nyáron?", LAST_SUMMER),
    ("Quel chiffre d'affaires l'été dernier ?", LAST_SUMMER),
    ("¿Cuánto vendimos el verano pasado?", LAST_SUMMER),
    ("Kolik jsme prodali loni v létě?", LAST_SUMMER),
    ("Cât am vândut vara trecută?", LAST_SUMMER),
    ("Wie hoch war der Umsatz letzten Winter?", LAST_WINTER),
    ("Ile sprzedaliśmy zeszłej zimy?", LAST_WINTER),
    ("Hur mycket sålde vi i vintras?", LAST_WINTER),
])
def test_a_season_in_the_question_s_language_is_the_season(question: str, period: tuple[date, date]) -> None:
    spec = spec_of(question, CHAIN, TODAY)
    assert spec.time_range is not None, spec
    assert (spec.time_range.start, spec.time_range.end) == period


def test_words_that_are_also_other_common_words_are_not_seasons() -> None:
    # Swedish and Norwegian "vår" is also "our", Polish "lata" also "years": never read as a season alone
    assert "vår" not in SEASONS["sv"] and "vår" not in SEASONS["nb"] and "lata" not in SEASONS["pl"]
    assert SEASONS["sv"]["våren"] == "spring" and SEASONS["nb"]["i fjor sommer"] == "last summer"
