"""A made-up Argentine chain that stores its provinces by a national short code (not ISO 3166-2: "CB", "MZ", "SF"),
and other wordings of this round, parser level (not a bench tenant).

- The stored codes alone point at unrelated countries' subdivisions; the stores' cities (GeoNames) say Argentina,
  so "Santa Fe" is the stored "SF", and the amounts are pesos ("total sales in pesos" is answered, not refused).
- "Buenos Aires City": a place word after the city's own other name is part of that name, not a generic "river city".
- "Q1 sales this year versus Q1 2025": the year right after the first quarter says which Q1; the two quarters are
  compared (before, Q1 2026 was compared with 2026 to date: a wrong number).
- "what did we bill", "units per ticket", "average ticket": retail words for revenue and orders.
- "takings for each óptica": the noun every store name starts with, after each / all, is the word store.
- "how many eye test appointments did we book": appointments are not in the data; the eye test service's sales are
  not the answer (it is refused), while "how many eye tests did we do" counts the service sold.
- "only the sunglasses" after "what did Palmera make": narrows the question (Palmera sunglasses); the brand was
  dropped."""

from __future__ import annotations

from datetime import date

import pytest

from tests.sql_helpers import spec_of
from tools.catalog import Catalog, Product, Store
from tools.sql.money import tenant_currency
from tools.sql.parse import parse_question

TODAY = date(2026, 6, 10)
CATALOG = Catalog(stores=(Store("PM-1", "Ópticas Palmera Centro", "Córdoba", "CB"),
                          Store("PM-2", "Ópticas Palmera Nueva Córdoba", "Córdoba", "CB"),
                          Store("PM-3", "Ópticas Palmera Godoy Cruz", "Mendoza", "MZ"),
                          Store("PM-4", "Ópticas Palmera Pichincha", "Rosario", "SF"),
                          Store("PM-5", "Ópticas Palmera Recoleta", "Buenos Aires", "CF")),
                  products=(Product("PF-1", "Palmera Andes", "frames", "Palmera"),
                            Product("PS-1", "Palmera Sol", "sunglasses", "Palmera"),
                            Product("PX-1", "Palmera Examen Visual", "services", "Palmera")),
                  tenant_words=frozenset({"palmera"}), sales_from=date(2024, 3, 1), sales_to=date(2026, 6, 9))


@pytest.mark.parametrize(("question", "states"), [
    ("how many stores do we have in Santa Fe?", ("SF",)),
    ("revenue in Santa Fe last month", ("SF",)),
    ("units by province in 2025 for Santa Fe and Córdoba province", ("CB", "SF")),
])
def test_a_province_by_name_is_the_stored_national_code(question: str, states: tuple[str, ...]) -> None:
    spec = spec_of(question, CATALOG, TODAY)
    assert tuple(sorted(spec.filters.state)) == states


def test_the_cities_say_which_currency() -> None:
    assert tenant_currency(CATALOG).code == "ARS"
    spec = spec_of("total sales in May, in pesos", CATALOG, TODAY)
    assert spec.measure == "revenue"


def test_a_city_named_with_its_place_word() -> None:
    spec = spec_of("revenue in Buenos Aires City last month", CATALOG, TODAY)
    assert spec.filters.city == ("Buenos Aires",)


@pytest.mark.parametrize("question", ["Q1 sales this year versus Q1 2025", "March revenue this year vs March 2025"])
def test_a_year_after_the_first_period_says_which_one(question: str) -> None:
    spec = spec_of(question, CATALOG, TODAY)
    asked, other = spec.time_range, spec.comparison.time_range
    assert (asked.start.year, other.start.year) == (2026, 2025)
    assert asked.end <= date(2026, 4, 1) and other.end <= date(2025, 4, 1)


@pytest.mark.parametrize(("question", "measure"), [
    ("What did the company bill in the first quarter?", "revenue"),
    ("units per ticket this year", "units_per_order"),
    ("average ticket last month", "avg_order_value"),
])
def test_retail_words_for_revenue_and_orders(question: str, measure: str) -> None:
    assert spec_of(question, CATALOG, TODAY).measure == measure


def test_the_chain_noun_after_each_is_a_store() -> None:
    spec = spec_of("May takings for each óptica, please", CATALOG, TODAY)
    assert spec.dimensions == ("store",)
    assert parse_question("Ópticas Palmera revenue in May", CATALOG, TODAY).spec.dimensions == ()


def test_appointments_are_not_the_service_sold() -> None:
    assert parse_question("how many eye test appointments did we book in May?", CATALOG, TODAY).spec is None
    spec = spec_of("how many eye tests did we do in May?", CATALOG, TODAY)
    assert spec.measure == "units" and spec.filters.product == ("PX-1",)


@pytest.mark.parametrize(("follow", "category"), [("only the sunglasses", "sunglasses"), ("just frames", "frames")])
def test_only_narrows_the_previous_brand(follow: str, category: str) -> None:
    # the brand named as such ("How much did Palmera make" is the company, the chain's own name as the subject)
    first = parse_question("How much did the Palmera brand make this year?", CATALOG, TODAY).spec
    spec = parse_question(follow, CATALOG, TODAY, first).spec
    assert spec.filters.brand == ("Palmera",) and spec.filters.category == (category,)
    other = parse_question("what about sunglasses?", CATALOG, TODAY,
                           parse_question("Palmera frames revenue this year", CATALOG, TODAY).spec).spec
    assert other.filters.category == ("sunglasses",)
