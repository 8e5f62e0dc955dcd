"""Questions in the tenant's own language (tools/sql/foreign.py), parser level, on made-up tenants: a German chain
asked in German, a Spanish-speaking one in Spanish, a French-speaking one in French, a Portuguese-speaking one in
Portuguese. Before, each was refused ("I do not know what "Umsatz" means"). Names are never translated ("Plaza de
Armas" stays a store), and an English question is left as it is."""

from __future__ import annotations

from datetime import date

import pytest

from tests.sql_helpers import spec_of
from tools.catalog import Catalog, Product, Store
from tools.sql.foreign import in_english
from tools.sql.parse import parse_question

TODAY = date(2026, 6, 10)
GERMAN = Catalog(stores=(Store("KS-1", "Optik Kastanie Ehrenfeld", "Köln", "NW"),
                         Store("KS-2", "Optik Kastanie Deutz", "Köln", "NW"),
                         Store("KS-3", "Optik Kastanie Viertel", "Bremen", "HB")),
                 products=(Product("KF-1", "Kastanie Rund", "frames", "Kastanie"),
                           Product("KS-9", "Kastanie Sommer", "sunglasses", "Kastanie")),
                 tenant_words=frozenset({"kastanie"}), sales_from=date(2024, 1, 1), sales_to=date(2026, 6, 9))
SPANISH = Catalog(stores=(Store("CB-1", "Óptica Ceiba Plaza de Armas", "Lima", "LIM"),
                          Store("CB-2", "Óptica Ceiba Miraflores", "Lima", "LIM"),
                          Store("CB-3", "Óptica Ceiba Cayma", "Arequipa", "ARE")),
                  products=(Product("CF-1", "Ceiba Inca", "frames", "Ceiba"),
                            Product("CS-1", "Ceiba Sol Andino", "sunglasses", "Ceiba")),
                  tenant_words=frozenset({"ceiba"}), sales_from=date(2024, 1, 1), sales_to=date(2026, 6, 9))


@pytest.mark.parametrize(("question", "city", "start"), [
    ("Umsatz der Kölner Filialen im Mai?", ("Köln",), date(2026, 5, 1)),
    ("Wie viel Umsatz in Bremen letztes Jahr?", ("Bremen",), date(2025, 1, 1)),
])
def test_german_questions(question: str, city: tuple[str, ...], start: date) -> None:
    spec = spec_of(question, GERMAN, TODAY)
    assert (spec.measure, spec.filters.city, spec.time_range.start) == ("revenue", city, start)


def test_spanish_questions_keep_the_names() -> None:
    spec = spec_of("cuánto vendieron las tiendas de Arequipa en el primer trimestre", SPANISH, TODAY)
    assert (spec.measure, spec.filters.city, spec.time_range.start) == ("revenue", ("Arequipa",), date(2026, 1, 1))
    spec = spec_of("ventas de Plaza de Armas en mayo", SPANISH, TODAY)
    assert spec.filters.store == ("CB-1",) and spec.time_range.start == date(2026, 5, 1)
    assert spec_of("ventas por tienda el mes pasado", SPANISH, TODAY).dimensions == ("store",)


def test_french_and_portuguese_words() -> None:
    spec = spec_of("Combien on a vendu à Arequipa le mois passé?", SPANISH, TODAY)
    assert (spec.filters.city, spec.time_range.start) == (("Arequipa",), date(2026, 5, 1))
    assert spec_of("CA depuis le début de l'année ?", SPANISH, TODAY).measure == "revenue"
    spec = spec_of("Quanto a loja Miraflores vendeu em maio?", SPANISH, TODAY)
    assert spec.filters.store == ("CB-2",) and spec.time_range.start == date(2026, 5, 1)


def test_the_reading_is_shown_and_unknown_foreign_words_are_refused() -> None:
    parsed = parse_question("Umsatz der Kölner Filialen im Mai?", GERMAN, TODAY)
    assert parsed.corrected and "Revenue" in parsed.corrected
    refused = parse_question("Umsatz der Filialen mit Kundenkarte im Mai?", GERMAN, TODAY)
    assert refused.spec is None  # "Kundenkarte" (a loyalty card) is not in the data: never dropped


def test_english_questions_are_left_alone() -> None:
    for question in ("revenue by store in May", "how did Plaza de Armas do last month?", "units at Deutz in 2025"):
        assert in_english(question, ("Plaza de Armas", "Optik Kastanie Deutz")) == question


POLISH = Catalog(stores=(Store("DB-1", "Optyk Dąb Rynek", "Wrocław", "02"),
                         Store("DB-2", "Optyk Dąb Nadodrze", "Wrocław", "02"),
                         Store("DB-3", "Optyk Dąb Stare Miasto", "Poznań", "30")),
                 products=(Product("DF-1", "Dąb Klasyk", "frames", "Dąb"),),
                 tenant_words=frozenset({"dąb", "dab"}), sales_from=date(2024, 1, 1), sales_to=date(2026, 6, 9))


@pytest.mark.parametrize(("question", "measure", "start", "by_store"), [
    ("ile sprzedał Poznań w maju?", "revenue", date(2026, 5, 1), False),
    ("ile sztuk sprzedaliśmy w zeszłym miesiącu?", "units", date(2026, 5, 1), False),
    ("obroty na sklep w tym roku", "revenue", date(2026, 1, 1), True),
])
def test_polish_questions(question: str, measure: str, start: date, by_store: bool) -> None:
    spec = spec_of(question, POLISH, TODAY)
    assert (spec.measure, spec.time_range.start, spec.dimensions == ("store",)) == (measure, start, by_store)
