"""National retail events dated by a rule, other forms of place names, and the company's own word before its money,
parser level (made-up chains in Mexico, France, Indonesia, the US, Morocco, India and Brazil; not bench tenants).

- "El Buen Fin 2024", "the 2023 Buen Fin": the Friday to the Monday of Mexico's Revolution Day long weekend, glossed
  with its days (before: refused, or "Buen Fin 2024" read as all of 2024 once "Buen" was taken for a typo). The
  2025 edition, held 13-17 November instead of the rule's 14-17, is read on the days it was held and glossed with them
  (before: asked back with both; first: "I do not know the dates"). France's soldes by decree ("summer
  soldes 2025": 25 June to 22 July); Singles' Day / Double 12 /
  Harbolnas where the country keeps them (Indonesia), never in the US.
- "and the year before?" after a named occasion: that occasion the year before, on its own days (before: the same
  dates a year back).
- "Fez" for a stored "Fès" (a 3-letter spelling GeoNames lists, also an English word: only capitalised, never the
  question's first word); "banglore" for a stored "Bengaluru" (a typo of its other name "Bangalore"); "do estado de
  São Paulo", "do estado do Rio de Janeiro": the state (before: refused, or asked city or state).
- "Tamaris revenue by region": the company's distinctive word before its money is the company, not its house brand
  "Tamaris" (before: the brand's sales); "Tamaris frames revenue" stays the brand's frames.
- "sunglasses sales may": a lower-case "may" ending the question is the month (before: all recorded sales).
"""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from tests.sql_helpers import spec_of
from tools.catalog import Catalog, Product, Store
from tools.sql.parse import parse_question
from tools.sql.regions import catalog_regions

TODAY = date(2026, 6, 15)
MEXICO = Catalog(stores=(Store("CL-1", "Colibrí Ópticas Chapultepec", "Guadalajara", "JAL"),
                         Store("CL-2", "Colibrí Ópticas San Pedro", "Monterrey", "NLE"),
                         Store("CL-3", "Colibrí Ópticas Zapopan", "Zapopan", "JAL")),
                 products=(Product("CF-1", "Colibrí Alebrije", "frames", "Colibrí"),
                           Product("CS-1", "Ray-Ban Aviator", "sunglasses", "Ray-Ban")),
                 tenant_words=frozenset({"colibrí", "ópticas"}), sales_from=date(2023, 1, 2),
                 sales_to=date(2026, 6, 14))
FRANCE = Catalog(stores=(Store("LB-1", "Lunettes Bastide Part-Dieu", "Lyon", "ARA"),
                         Store("LB-2", "Lunettes Bastide Marais", "Paris", "IDF"),
                         Store("LB-3", "Lunettes Bastide Vieux-Port", "Marseille", "PAC")),
                 products=(Product("BF-1", "Bastide Garance", "frames", "Bastide"),),
                 tenant_words=frozenset({"bastide", "lunettes"}), sales_from=date(2023, 1, 2),
                 sales_to=date(2026, 6, 14))
INDONESIA = Catalog(stores=(Store("KN-1", "Optik Kenanga Tunjungan", "Surabaya", "JI"),
                            Store("KN-2", "Optik Kenanga Dago", "Bandung", "JB"),
                            Store("KN-3", "Optik Kenanga Malioboro", "Yogyakarta", "YO")),
                    products=(Product("KF-1", "Kenanga Batik", "frames", "Kenanga"),),
                    tenant_words=frozenset({"kenanga", "optik"}), sales_from=date(2023, 1, 2),
                    sales_to=date(2026, 6, 14))
USA = Catalog(stores=(Store("PR-1", "Prairie Optical Tulsa", "Tulsa", "OK"),
                      Store("PR-2", "Prairie Optical Wichita", "Wichita", "KS")),
              products=(Product("PF-1", "Prairie Sooner", "frames", "Prairie"),),
              tenant_words=frozenset({"prairie"}), sales_from=date(2023, 1, 2), sales_to=date(2026, 6, 14))
MOROCCO = Catalog(stores=(Store("TM-1", "Optique Tamaris Gueliz", "Marrakech", "MS"),
                          Store("TM-2", "Optique Tamaris Batha", "Fès", "FM"),
                          Store("TM-3", "Optique Tamaris Anfa", "Casablanca", "CS")),
                  products=(Product("TF-1", "Tamaris Medina", "frames", "Tamaris"),
                            Product("TS-1", "Tamaris Sahara", "sunglasses", "Tamaris"),
                            Product("RS-1", "Ray-Ban Wayfarer", "sunglasses", "Ray-Ban")),
                  tenant_words=frozenset({"tamaris", "optique"}), sales_from=date(2023, 1, 2),
                  sales_to=date(2026, 6, 14))
INDIA = Catalog(stores=(Store("MR-1", "Mor Optics Indiranagar", "Bengaluru", "KA"),
                        Store("MR-2", "Mor Optics Kothrud", "Pune", "MH"),
                        Store("MR-3", "Mor Optics Salt Lake", "Kolkata", "WB")),
                products=(Product("MS-1", "Mor Monsoon", "sunglasses", "Mor"),),
                tenant_words=frozenset({"mor"}), sales_from=date(2023, 4, 1), sales_to=date(2026, 6, 14))
BRAZIL = Catalog(stores=(Store("AR-1", "Óticas Araucária Paulista", "São Paulo", "SP"),
                         Store("AR-2", "Óticas Araucária Cambuí", "Campinas", "SP"),
                         Store("AR-3", "Óticas Araucária Leblon", "Rio de Janeiro", "RJ")),
                 products=(Product("AF-1", "Araucária Pinhão", "frames", "Araucária"),),
                 tenant_words=frozenset({"araucária", "óticas"}), sales_from=date(2023, 1, 2),
                 sales_to=date(2026, 6, 14))


def _days(question: str, catalog: Catalog, previous=None) -> tuple[date, date]:
    spec = spec_of(question, catalog, TODAY, previous)
    assert spec.time_range is not None, question
    return spec.time_range.start, spec.time_range.end - timedelta(days=1)


def test_the_made_up_chains_are_in_their_countries() -> None:
    assert [catalog_regions(c).countries for c in (MEXICO, FRANCE, INDONESIA, MOROCCO, INDIA, BRAZIL)] == [
        ("MX",), ("FR",), ("ID",), ("MA",), ("IN",), ("BR",)]


@pytest.mark.parametrize(("question", "catalog", "first", "last"), [
    ("revenue during El Buen Fin 2024", MEXICO, date(2024, 11, 15), date(2024, 11, 18)),
    ("how many orders did we take in the 2023 Buen Fin?", MEXICO, date(2023, 11, 17), date(2023, 11, 20)),
    ("units over Buen Fin 2022 by store", MEXICO, date(2022, 11, 18), date(2022, 11, 21)),
    ("revenue during the summer soldes 2025", FRANCE, date(2025, 6, 25), date(2025, 7, 22)),
    ("discounts in the winter soldes 2026", FRANCE, date(2026, 1, 7), date(2026, 2, 3)),
    ("orders on Singles' Day 2025", INDONESIA, date(2025, 11, 11), date(2025, 11, 11)),
    ("revenue on Harbolnas last year", INDONESIA, date(2025, 12, 12), date(2025, 12, 12)),
])
def test_a_retail_event_dated_by_its_rule_is_read_and_glossed(question: str, catalog: Catalog, first: date,
                                                              last: date) -> None:
    assert _days(question, catalog) == (first, last)
    label = spec_of(question, catalog, TODAY).time_range.label
    assert f"({first.isoformat()}" in label, label


def test_an_edition_held_on_other_days_than_its_rule_is_read_on_the_days_it_was_held() -> None:
    # El Buen Fin 2025 ran Thursday 13 to Monday 17 November (announced by the Secretaría de Economía; the rule's
    # Friday-to-Monday would give 14-17): read on its five days, glossed with them
    assert _days("discounts over El Buen Fin 2025", MEXICO) == (date(2025, 11, 13), date(2025, 11, 17))
    label = spec_of("discounts over El Buen Fin 2025", MEXICO, TODAY).time_range.label
    assert "2025-11-13 to 2025-11-17" in label, label
    # "the year before": the 2024 edition on its own (rule) days
    previous = spec_of("discounts over El Buen Fin 2025", MEXICO, TODAY)
    assert _days("what about the year before?", MEXICO, previous) == (date(2024, 11, 15), date(2024, 11, 18))


@pytest.mark.parametrize(("question", "catalog"), [
    ("revenue on Singles' Day 2025", USA),       # not an event the US keeps
    ("revenue on Singles' Day 2025", MEXICO),
    ("sales during the soldes 2025", FRANCE),    # winter or summer: two stretches that year
    ("revenue during the Hot Sale 2025", MEXICO),  # each retailer sets its own days
])
def test_an_event_the_country_does_not_keep_or_that_is_not_one_stretch_is_asked(question: str,
                                                                                 catalog: Catalog) -> None:
    assert parse_question(question, catalog, TODAY).spec is None


def test_the_year_before_a_named_occasion_is_that_occasion_the_year_before() -> None:
    previous = spec_of("revenue during El Buen Fin 2024", MEXICO, TODAY)
    assert _days("and the year before?", MEXICO, previous) == (date(2023, 11, 17), date(2023, 11, 20))
    # a period that is no occasion still moves by a year
    previous = spec_of("revenue in May 2025", MEXICO, TODAY)
    assert _days("and the year before?", MEXICO, previous) == (date(2024, 5, 1), date(2024, 5, 31))


def test_a_three_letter_spelling_of_a_city_is_the_city_when_capitalised() -> None:
    spec = spec_of("Revenue in Fez last month", MOROCCO, TODAY)
    assert spec.filters.city == ("Fès",)
    assert parse_question("fez hats sold in Casablanca last month", MOROCCO, TODAY).spec is None or \
        spec_of("fez hats sold in Casablanca last month", MOROCCO, TODAY).filters.city == ("Casablanca",)


@pytest.mark.parametrize("question", ["banglore revenue in 2025", "Banglore revenue in 2025"])
def test_a_misspelt_other_name_of_a_city_is_the_city(question: str) -> None:
    assert spec_of(question, INDIA, TODAY).filters.city == ("Bengaluru",)


def test_a_lower_case_may_ending_the_question_is_the_month() -> None:
    assert _days("Kolkata sunglasses sales may", INDIA) == (date(2026, 5, 1), date(2026, 5, 31))


@pytest.mark.parametrize(("question", "catalog", "state"), [
    ("faturamento do estado de São Paulo em maio", BRAZIL, "SP"),
    ("vendas do estado do Rio de Janeiro em maio", BRAZIL, "RJ"),
])
def test_the_state_named_in_portuguese_is_the_state(question: str, catalog: Catalog, state: str) -> None:
    spec = spec_of(question, catalog, TODAY)
    assert spec.filters.state == (state,) and not spec.filters.city


def test_the_company_word_before_its_money_is_the_company_not_the_house_brand() -> None:
    spec = spec_of("Tamaris revenue by region for 2025", MOROCCO, TODAY)
    assert not spec.filters.brand and spec.dimensions == ("state",)
    assert not spec_of("Tamaris takings last month", MOROCCO, TODAY).filters.brand
    spec = spec_of("Tamaris frames revenue by region for 2025", MOROCCO, TODAY)
    assert spec.filters.brand == ("Tamaris",) and spec.filters.category == ("frames",)
