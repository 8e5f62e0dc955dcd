"""A chain's own region codes placed by its stores' cities, the well-known regions of more countries, and "the
capital" (tools/sql/regions.py `city_codes`, tools/sql/informal_regions.py), parser level, on made-up chains (not
bench tenants).

- A stored state value that is no ISO 3166-2 code of the country ("BA", "KZ": a chain's own codes) is placed by its
  stores' cities where each names one subdivision (a Turkish province is named after its capital): "the Central
  Anatolia region" is the codes whose every store lies in it; a code whose stores straddle two regions is in neither
  (the parser asks, it never answers for stores outside the region).
- Such a code is never read as the subdivision it happens to abbreviate when its stores' cities say otherwise ("AK"
  of shops in Antalya and Adana is no Aksaray; before, "sales in Aksaray" answered for Antalya and Adana).
- Regions of more countries: Japan's eight regions over stored prefectures, the Philippines' island groups over
  stored regions, Argentina's NOA / Patagonia, Romania's historical regions, New Zealand's islands.
- "the capital" (and "başkent", "la capital", "die Hauptstadt" ...) is the capital city of the tenant's one country
  when a store is there; no store there, or a chain in two countries: not read.
"""

from __future__ import annotations

from datetime import date

import pytest

from tests.sql_helpers import spec_of
from tools.catalog import Catalog, Product, Store
from tools.sql.informal_regions import INFORMAL, capital_of
from tools.sql.parse import parse_question
from tools.sql.regions import catalog_regions

TODAY = date(2026, 6, 15)
_GOODS = (Product("Q-1", "Beta Round", "frames", "Beta"), Product("Q-2", "Ray-Ban Clubmaster", "sunglasses",
                                                                  "Ray-Ban"))


def _chain(*stores: tuple[str, str, str]) -> Catalog:
    return Catalog(stores=tuple(Store(f"S-{i}", name, city, state) for i, (name, city, state) in enumerate(stores)),
                   products=_GOODS, tenant_words=frozenset({"lale"}), sales_from=date(2024, 1, 1),
                   sales_to=date(2026, 6, 14))


TURKEY = _chain(("Lale Optik Konya", "Konya", "BA"), ("Lale Optik Kayseri", "Kayseri", "BA"),
                ("Lale Optik Samsun", "Samsun", "KZ"), ("Lale Optik Denizli", "Denizli", "BT"),
                ("Lale Optik Antalya", "Antalya", "AK"), ("Lale Optik Adana", "Adana", "AK"),
                ("Lale Optik Çankaya", "Ankara", "BA"))
STRADDLING = _chain(("Lale Optik Konya", "Konya", "OR"), ("Lale Optik Samsun", "Samsun", "OR"),
                    ("Lale Optik İzmir", "İzmir", "BT"))
JAPAN = _chain(("Lale Shibuya", "Shibuya", "Tokyo"), ("Lale Yokohama", "Yokohama", "Kanagawa"),
               ("Lale Umeda", "Osaka", "Osaka"), ("Lale Hakata", "Fukuoka", "Fukuoka"))
PHILIPPINES = _chain(("Lale Makati", "Makati", "NCR"), ("Lale Cebu", "Cebu City", "Central Visayas"),
                     ("Lale Iloilo", "Iloilo City", "Western Visayas"), ("Lale Davao", "Davao City", "Davao"))


@pytest.mark.parametrize(("question", "catalog", "values"), [
    ("Central Anatolia revenue in 2025", TURKEY, ("BA",)),
    ("İç Anadolu revenue, 2025", TURKEY, ("BA",)),
    ("Kanto revenue in 2025", JAPAN, ("Kanagawa", "Tokyo")),
    ("what did the Black Sea shops sell last month", TURKEY, ("KZ",)),
    ("units in the Aegean region in May", TURKEY, ("BT",)),
    ("Mediterranean shops: revenue in Q1", TURKEY, ("AK",)),
    ("revenue in Kanto in 2025", JAPAN, ("Kanagawa", "Tokyo")),
    ("Kansai sales last month", JAPAN, ("Osaka",)),
    ("Visayas revenue in 2025", PHILIPPINES, ("Central Visayas", "Western Visayas")),
    ("how did Mindanao do in May", PHILIPPINES, ("Davao",)),
])
def test_a_countrys_well_known_region_is_the_stored_values_inside_it(question: str, catalog: Catalog,
                                                                    values: tuple[str, ...]) -> None:
    spec = spec_of(question, catalog, TODAY)
    assert tuple(sorted(spec.filters.state)) == values, spec.filters


@pytest.mark.parametrize(("question", "catalog"), [
    ("Marmara revenue in 2025", TURKEY),  # no store in the Marmara region
    ("Central Anatolia revenue in 2025", STRADDLING),  # "OR" holds Konya (inside) and Samsun (outside)
    ("Shikoku sales in 2025", JAPAN),
])
def test_a_region_without_whole_stored_values_is_never_answered_for_other_stores(question: str,
                                                                                catalog: Catalog) -> None:
    parsed = parse_question(question, catalog, TODAY)
    assert parsed.spec is None and (parsed.refusal or parsed.unresolved), parsed.spec


def test_a_chain_code_is_no_abbreviation_its_cities_contradict() -> None:
    regions = catalog_regions(TURKEY)
    assert regions.countries == ("TR",)
    assert "aksaray" not in regions.aliases and "AK" not in regions.iso_codes  # "AK": Antalya and Adana
    assert regions.city_codes["BA"] == (("TR-06",), ("TR-38",), ("TR-42",))
    parsed = parse_question("sales in Aksaray in 2025", TURKEY, TODAY)
    assert parsed.spec is None or not parsed.spec.filters.state, parsed.spec


@pytest.mark.parametrize("question", [
    "How much did the shop in the capital make in April?",
    "revenue in the capital city last month",
    "Umsatz der Filiale in der Hauptstadt im April",
])
def test_the_capital_is_the_countrys_capital_city_when_a_store_is_there(question: str) -> None:
    spec = spec_of(question, TURKEY, TODAY)
    assert spec.filters.city == ("Ankara",) or spec.filters.store == ("S-6",), spec.filters


def test_the_capital_is_not_read_without_a_store_there_or_for_two_countries() -> None:
    parsed = parse_question("revenue of the shop in the capital in April", STRADDLING, TODAY)
    assert parsed.spec is None or not (parsed.spec.filters.city or parsed.spec.filters.store), parsed.spec
    assert capital_of(("TR",)) == "Ankara" and capital_of(("TR", "GR")) is None and capital_of(("ZA",)) is None


def test_every_region_code_is_a_subdivision_and_no_name_serves_two_regions_of_one_country() -> None:
    import pycountry

    codes = {s.code for s in pycountry.subdivisions}
    assert not [(r.names[0], c) for r in INFORMAL for c in (*r.codes, *r.within) if c not in codes]
    seen: dict[tuple[str, str], str] = {}
    for region in INFORMAL:
        for name in region.names:
            key = (region.country, name)
            assert key not in seen, (key, seen.get(key))
            seen[key] = region.names[0]


@pytest.mark.parametrize("question", ["İstinye Park revenue in May", "Istinye Park revenue in May",
                                      "istinye park revenue in May"])
def test_a_name_with_the_dotted_capital_i_is_matched_however_the_i_is_typed(question: str) -> None:
    catalog = _chain(("Lale Optik İstinye Park", "İstanbul", "MA"), ("Lale Optik Bursa", "Bursa", "MA"))
    assert spec_of(question, catalog, TODAY).filters.store == ("S-0",)
