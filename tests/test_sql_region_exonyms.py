"""English exonyms and other local names of a tenant's stored state-level codes (tools/sql/subdivision_names.json,
read by tools/sql/regions.py): "North Rhine-Westphalia" / "North Rhine Westphalia" for a stored "NW", "Basque
Country" for "PV", "Valencian Community" for "VC", "Hesse" for "HE"; a named region the tenant has no store in is
still refused. Parser-level tests on made-up in-memory catalogs (no database)."""

from __future__ import annotations

from datetime import date

import pytest

from tools.catalog import Catalog, Product, Store
from tools.sql.parse import parse_question
from tools.sql.regions import region_index

TODAY = date(2026, 6, 15)
_PRODUCTS = (Product("KF-1", "Kranich Flex 52", "frames", "Kranich"),
             Product("SL-2", "Sol Levante Aviator", "sunglasses", "Sol Levante"))


def _catalog(stores: list[tuple[str, str, str]]) -> Catalog:
    return Catalog(stores=tuple(Store(code, f"Brillenhaus {city}", city, state) for code, city, state in stores),
                   products=_PRODUCTS, tenant_words=frozenset({"brillenhaus"}),
                   sales_from=date(2024, 1, 2), sales_to=date(2026, 6, 12))


DE = _catalog([("BH-1", "Bielefeld", "NW"), ("BH-2", "Münster", "NW"), ("BH-3", "Kassel", "HE"),
               ("BH-4", "Augsburg", "BY")])
ES = _catalog([("BH-7", "Bilbao", "PV"), ("BH-8", "Vitoria-Gasteiz", "PV"), ("BH-9", "Alicante", "VC"),
               ("BH-10", "Granada", "AN"), ("BH-11", "Girona", "CT"), ("BH-12", "Getafe", "MD")])
# (without MD the four codes are Italian provinces as well: Ancona, Catania, Pavia, Vercelli)


@pytest.mark.parametrize(("catalog", "name", "code"), [
    (DE, "North Rhine-Westphalia", "NW"), (DE, "north rhine westphalia", "NW"), (DE, "Nordrhein-Westfalen", "NW"),
    (DE, "Hesse", "HE"), (DE, "Hessen", "HE"), (DE, "Bavaria", "BY"), (DE, "Bayern", "BY"),
    (ES, "Basque Country", "PV"), (ES, "Euskal Herria", "PV"), (ES, "País Vasco", "PV"),
    (ES, "Valencian Community", "VC"), (ES, "Comunidad Valenciana", "VC"), (ES, "Catalonia", "CT"),
    (ES, "Andalusia", "AN"),
])
def test_exonyms_and_local_names_resolve_to_the_stored_code(catalog: Catalog, name: str, code: str) -> None:
    assert region_index(catalog.states).resolve(name) == code


@pytest.mark.parametrize(("catalog", "question", "code"), [
    (DE, "how many units did we sell in North Rhine-Westphalia last month", "NW"),
    (DE, "revenue in Hesse in 2025", "HE"),
    (ES, "Basque Country revenue in Q1 2026", "PV"),
    (ES, "orders in the Valencian Community last month", "VC"),
])
def test_a_question_naming_the_region_in_english_filters_on_the_stored_code(catalog: Catalog, question: str,
                                                                            code: str) -> None:
    parsed = parse_question(question, catalog, TODAY)
    assert parsed.spec is not None, parsed.refusal
    assert parsed.spec.filters.state == (code,)


def test_a_region_without_stores_named_in_english_is_refused() -> None:
    # Saxony and Galicia are regions of the tenant's countries where it has no store: never answered for all
    for catalog, question in ((DE, "revenue in Saxony last year"), (ES, "units sold in Galicia in 2025")):
        parsed = parse_question(question, catalog, TODAY)
        assert parsed.spec is None and (parsed.refusal or parsed.unresolved)


def test_an_iso_inverted_name_is_shown_as_people_write_it() -> None:
    regions = region_index(ES.states)
    assert regions.display("VC") == "Comunidad Valenciana (VC)"
    parsed = parse_question("orders in the Valencian Community last month", ES, TODAY)
    assert parsed.spec is not None
    from tools.sql.sentences import interpretation

    assert "Comunidad Valenciana (VC)" in interpretation(parsed.spec, ES)
