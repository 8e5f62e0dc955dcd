"""Well-known informal regions and city nicknames (tools/sql/informal_regions.py), parser level, on made-up chains in
Portugal, Brazil, Australia and Poland (not bench tenants).

- "the Algarve" is the stored Faro district, "Sudeste" the stored states under it, "the Territory" the Northern
  Territory: a state filter (before: "I do not know what 'algarve' means" or the word dropped and all stores answered).
- "the Top End" (part of the Northern Territory) is the stored cities inside it (Darwin, not Alice Springs), "Tricity"
  Gdańsk and Gdynia: a city filter; a store in a town the table does not place leaves the name unread (asked).
- A region with none of the tenant's stores is refused ("None of your stores is in ..."), never answered for all.
- "Sampa": the city's nickname, for a tenant that stores the city; "Rio" alone is the city or the state of Rio de
  Janeiro (asked when they hold different stores; the state when the question names it).
- A name that is also one of the tenant's product names keeps the product reading ("Top End sunglasses").
"""

from __future__ import annotations

from datetime import date

import pytest

from tests.sql_helpers import spec_of
from tools.catalog import Catalog, Product, Store
from tools.sql.informal_regions import no_store_regions, state_regions, town_regions
from tools.sql.parse import parse_question

TODAY = date(2026, 6, 15)
_FRAMES = (Product("X-1", "Alpha Classic", "frames", "Alpha"), Product("X-2", "Ray-Ban Aviator", "sunglasses",
                                                                       "Ray-Ban"))
PORTUGAL = Catalog(stores=(Store("GV-1", "Óticas Gaivota Marina", "Faro", "FA"),
                           Store("GV-2", "Óticas Gaivota Lagos", "Lagos", "FA"),
                           Store("GV-3", "Óticas Gaivota Baixa", "Lisboa", "LX"),
                           Store("GV-4", "Óticas Gaivota Ribeira", "Porto", "PO")),
                   products=_FRAMES, tenant_words=frozenset({"gaivota", "óticas"}), sales_from=date(2024, 1, 1),
                   sales_to=date(2026, 6, 14))
BRAZIL = Catalog(stores=(Store("AR-1", "Óticas Araucária Paulista", "São Paulo", "SP"),
                         Store("AR-2", "Óticas Araucária Cambuí", "Campinas", "SP"),
                         Store("AR-3", "Óticas Araucária Leblon", "Rio de Janeiro", "RJ"),
                         Store("AR-4", "Óticas Araucária Icaraí", "Niterói", "RJ"),
                         Store("AR-5", "Óticas Araucária Batel", "Curitiba", "PR")),
                 products=_FRAMES, tenant_words=frozenset({"araucária", "óticas"}), sales_from=date(2024, 1, 1),
                 sales_to=date(2026, 6, 14))
AUSTRALIA = Catalog(stores=(Store("WB-1", "Wattle Eyes Mitchell St", "Darwin", "NT"),
                            Store("WB-2", "Wattle Eyes Todd Mall", "Alice Springs", "NT"),
                            Store("WB-3", "Wattle Eyes Rundle", "Adelaide", "SA")),
                    products=_FRAMES, tenant_words=frozenset({"wattle", "eyes"}), sales_from=date(2024, 1, 1),
                    sales_to=date(2026, 6, 14))
POLAND = Catalog(stores=(Store("MW-1", "Optyk Mewa Długa", "Gdańsk", "PM"),
                         Store("MW-2", "Optyk Mewa Świętojańska", "Gdynia", "PM"),
                         Store("MW-3", "Optyk Mewa Słupsk", "Słupsk", "PM"),
                         Store("MW-4", "Optyk Mewa Rynek", "Kraków", "MA")),
                 products=_FRAMES, tenant_words=frozenset({"mewa", "optyk"}), sales_from=date(2024, 1, 1),
                 sales_to=date(2026, 6, 14))


@pytest.mark.parametrize(("question", "catalog", "kind", "values"), [
    ("revenue in the Algarve in May", PORTUGAL, "state", ("FA",)),
    ("vendas no Algarve em maio", PORTUGAL, "state", ("FA",)),
    ("receita do Sudeste em 2025", BRAZIL, "state", ("RJ", "SP")),
    ("revenue in the Territory in 2025", AUSTRALIA, "state", ("NT",)),
    ("units in the Top End last month", AUSTRALIA, "city", ("Darwin",)),
    ("revenue in the Red Centre in 2025", AUSTRALIA, "city", ("Alice Springs",)),
    ("Tricity revenue in 2025", POLAND, "city", ("Gdańsk", "Gdynia")),
    ("sprzedaż w Trójmieście w maju", POLAND, "city", ("Gdańsk", "Gdynia")),
    ("faturamento de Sampa no mês passado", BRAZIL, "city", ("São Paulo",)),
    ("revenue in the city of Rio in 2025", BRAZIL, "city", ("Rio de Janeiro",)),
    ("vendas no Rio em maio (both Rio de Janeiro state stores)", BRAZIL, "state", ("RJ",)),
])
def test_an_informal_region_or_nickname_is_read_as_the_stored_places_in_it(question: str, catalog: Catalog, kind: str,
                                                                         values: tuple[str, ...]) -> None:
    spec = spec_of(question, catalog, TODAY)
    assert tuple(sorted(getattr(spec.filters, kind))) == values, spec.filters


@pytest.mark.parametrize(("question", "catalog"), [
    ("revenue in the Minho in 2025", PORTUGAL),  # Braga and Viana do Castelo: no store there
    ("receita do Nordeste em 2025", BRAZIL),
    ("revenue in the Limestone Coast in 2025", AUSTRALIA),
])
def test_a_region_without_a_store_is_refused_never_answered_for_all(question: str, catalog: Catalog) -> None:
    parsed = parse_question(question, catalog, TODAY)
    assert parsed.spec is None and (parsed.refusal or parsed.unresolved), parsed.spec


def test_rio_alone_is_asked_city_or_state() -> None:
    parsed = parse_question("Rio revenue for 2025", BRAZIL, TODAY)
    assert parsed.spec is None and parsed.unresolved and parsed.unresolved[0].kind == "city_or_state", parsed


def test_a_store_in_a_town_the_table_does_not_place_leaves_the_region_unread() -> None:
    located = [("Darwin", ("AU-NT",)), ("Borroloola", ("AU-NT",))]
    assert town_regions(("AU",), located) == {}
    assert "top end" not in no_store_regions(("AU",), {}, located)  # not known to be empty either
    assert town_regions(("AU",), [("Darwin", ("AU-NT",)), ("Alice Springs", ("AU-NT",))])["top end"] == ("Darwin",)


def test_only_the_tenant_countries_and_stored_values_are_produced() -> None:
    assert state_regions(("PT",), {"FA": ("PT-08",), "LX": ("PT-11",)})["algarve"] == ("FA",)
    assert "algarve" not in state_regions(("ES",), {"FA": ("PT-08",)})
    assert "nordeste" not in state_regions(("BR",), {"SP": ("BR-SP",)})


def test_a_product_name_keeps_its_product_reading() -> None:
    catalog = Catalog(stores=AUSTRALIA.stores,
                      products=(*_FRAMES, Product("X-3", "Spinifex Top End", "sunglasses", "Spinifex")),
                      tenant_words=AUSTRALIA.tenant_words, sales_from=date(2024, 1, 1), sales_to=date(2026, 6, 14))
    spec = spec_of("Top End sunglasses revenue last quarter", catalog, TODAY)
    assert not spec.filters.city and (spec.filters.product or spec.filters.keyword), spec.filters
