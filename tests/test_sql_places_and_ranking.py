"""City names in other languages ("Munich" for a stored "München", tools/sql/places.py), patients asked about a
city (a city that is also a state answers by that state, with a note; any other city is refused with what patients can
be counted by), the tenant's own word for its state-level places in refusals, a singular or plural category word
ranked ("which accessory sold the fewest": the products of that category), and the schema text for a served model.
All on made-up in-memory catalogs (a German, a Swiss and a Canadian optician); no database."""

from __future__ import annotations

from datetime import date

import pytest

from tests.sql_helpers import spec_of
from tools.catalog import Catalog, Product, Store
from tools.sql.parse import parse_question
from tools.sql.places import city_aliases
from tools.sql.sentences import interpretation, unresolved_message
from tools.sql_schema import describe_schema

TODAY = date(2026, 6, 15)
_PRODUCTS = (Product("KF-1", "Kiefer Rund 50", "frames", "Kiefer"),
             Product("KF-2", "Kiefer Eckig 52", "frames", "Kiefer"),
             Product("AC-1", "Klarsicht Putztuch", "accessories", "Klarsicht"),
             Product("AC-2", "Klarsicht Etui Hart", "accessories", "Klarsicht"),
             Product("LN-1", "Klarsicht Einstaerke 1.6", "lenses", "Klarsicht"),
             Product("LN-2", "Klarsicht Gleitsicht 1.6", "lenses", "Klarsicht"))


def _catalog(stores: list[tuple[str, str, str, str]], patient_states: tuple[str, ...] = ()) -> Catalog:
    return Catalog(stores=tuple(Store(code, f"Elbblick Optik {name}", city, state)
                                for code, name, city, state in stores),
                   products=_PRODUCTS, patient_states=patient_states, tenant_words=frozenset({"elbblick"}),
                   sales_from=date(2024, 7, 1), sales_to=date(2026, 6, 10))


DE = _catalog([("EB-1", "Marienplatz", "München", "BY"), ("EB-2", "Pasing", "München", "BY"),
               ("EB-3", "Ehrenfeld", "Köln", "NW"), ("EB-4", "Mitte", "Berlin", "BE"),
               ("EB-5", "Altona", "Hamburg", "HH"), ("EB-6", "Gostenhof", "Nürnberg", "BY")],
              patient_states=("BY", "NW", "BE", "HH"))
FRANKFURTS = _catalog([("EB-7", "Zeil", "Frankfurt am Main", "HE"), ("EB-8", "Oderturm", "Frankfurt (Oder)", "BB")])
CH = _catalog([("EB-11", "Bahnhof", "Zürich", "ZH"), ("EB-12", "Plainpalais", "Genève", "GE"),
               ("EB-13", "Altstadt", "Luzern", "LU")])
CA = _catalog([("EB-21", "Rideau", "Ottawa", "ON"), ("EB-22", "Kitsilano", "Vancouver", "BC"),
               ("EB-23", "Plateau", "Montréal", "QC")], patient_states=("ON", "BC", "QC"))


def _parsed(question: str, catalog: Catalog):
    return parse_question(question, catalog, TODAY)


def _spec(question: str, catalog: Catalog):
    return spec_of(question, catalog, TODAY)


@pytest.mark.parametrize(("question", "city"), [
    ("how many units did our Munich shops sell in 2025", "München"),
    ("revenue in Cologne last year", "Köln"),
    ("units sold in munchen last month", "München"),  # the stored name without its accent
    ("orders at the Nuremberg store in 2025", "Nürnberg"),
])
def test_a_city_named_in_another_language_is_the_stored_city(question: str, city: str) -> None:
    spec = _spec(question, DE)
    stores = {s.code for s in DE.stores if s.city == city}
    # the city, or its one store ("the Nuremberg store")
    assert spec.filters.city == (city,) or (set(spec.filters.store) == stores and len(stores) == 1)
    assert city in interpretation(spec, DE) or spec.filters.store


def test_swiss_cities_by_their_english_and_german_names() -> None:
    assert _spec("revenue in Geneva in 2025", CH).filters.city == ("Genève",)
    assert _spec("units in Lucerne last month", CH).filters.city == ("Luzern",)
    assert _spec("what did Genf sell in 2025", CH).filters.city == ("Genève",)


def test_a_name_that_fits_two_stored_cities_is_asked_about() -> None:
    parsed = _parsed("revenue in Frankfurt last year", FRANKFURTS)
    assert parsed.spec is None
    message = unresolved_message(parsed.unresolved, FRANKFURTS)
    assert "Frankfurt am Main" in message and "Frankfurt (Oder)" in message and "Which one" in message


def test_city_aliases_only_produce_stored_cities_and_skip_ordinary_words() -> None:
    aliases = city_aliases(["München", "Köln"], ["DE"])
    assert aliases["munich"] == ("München",) and aliases["cologne"] == ("Köln",)
    assert {c for cities in aliases.values() for c in cities} == {"München", "Köln"}
    assert "muc" not in aliases  # the airport code
    assert city_aliases([], ["DE"]) == {}


def test_an_unknown_foreign_city_is_still_refused() -> None:
    parsed = _parsed("revenue in Vienna last year", DE)
    assert parsed.spec is None


def test_patients_in_a_city_that_is_also_a_state_count_that_state_and_say_so() -> None:
    parsed = _parsed("patients in Berlin by lens type", DE)
    assert parsed.spec is not None, parsed.refusal
    assert parsed.spec.filters.state == ("BE",) and not parsed.spec.filters.city
    assert any("not by city" in n and "Berlin" in n for n in parsed.notes)
    assert "Berlin (BE)" in interpretation(parsed.spec, DE)
    hamburg = _spec("how many progressive wearers in Hamburg", DE)
    assert hamburg.filters.state == ("HH",) and hamburg.filters.lens_type == ("progressive",)


@pytest.mark.parametrize("question", ["patients in Köln", "how many patients in Munich"])
def test_patients_in_another_city_are_refused_with_what_patients_can_be_counted_by(question: str) -> None:
    parsed = _parsed(question, DE)
    assert parsed.spec is None
    assert "cannot be filtered by city" in (parsed.refusal or "")
    assert "age band, lens type or state" in (parsed.refusal or "")


def test_patients_by_city_is_refused_in_the_tenants_region_word() -> None:
    parsed = _parsed("patients by city", CA)
    assert parsed.spec is None
    assert "cannot be broken down by city" in (parsed.refusal or "")
    assert "lens type or province" in (parsed.refusal or "")


def test_refusals_name_the_state_level_in_the_tenants_word() -> None:
    parsed = _parsed("average revenue in Ontario last year", CA)
    assert parsed.spec is None and parsed.refusal
    assert "province: Ontario (ON)" in parsed.refusal
    assert "state:" not in parsed.refusal and "city, province," in parsed.refusal
    swiss = _parsed("average units by canton in 2025", CH)
    assert swiss.refusal and "by canton" in swiss.refusal and "city, canton," in swiss.refusal


@pytest.mark.parametrize(("question", "category", "direction", "limit"), [
    ("which accessory sold the fewest units in 2025", "accessories", "asc", 1),
    ("which lens sold best last year", "lenses", "desc", 1),
    ("what frame sells the most", "frames", "desc", 1),
])
def test_a_category_word_before_a_ranking_verb_ranks_its_products(question: str, category: str, direction: str,
                                                                  limit: int) -> None:
    spec = _spec(question, DE)
    assert spec.dimensions == ("product",)
    assert spec.filters.category == (category,)
    assert spec.ranking is not None and spec.ranking.direction == direction and spec.ranking.limit == limit


def test_a_ranking_with_nothing_to_rank_is_still_refused() -> None:
    parsed = _parsed("top 5 last month", DE)
    assert parsed.spec is None and "what to rank" in (parsed.refusal or "")


def test_schema_text_describes_the_state_column_for_any_country() -> None:
    text = describe_schema(CH)
    assert "US state" not in text
    assert "province" in text and "GE, LU, ZH" in text and "cantons" in text


@pytest.mark.parametrize(("question", "direction"), [
    ("best selling accessory this year", "desc"),
    ("the least sold lens last month", "asc"),
    ("which accessory brings in the most money", "desc"),
    ("our top-selling frame in 2025", "desc"),
])
def test_a_ranked_category_word_in_other_wordings(question: str, direction: str) -> None:
    spec = _spec(question, DE)
    assert spec.dimensions == ("product",) and len(spec.filters.category) == 1
    assert spec.ranking is not None and spec.ranking.direction == direction and spec.ranking.limit == 1


def test_two_cities_one_of_them_also_a_state_are_not_narrowed_to_that_state() -> None:
    spec = _spec("compare revenue in Munich and Berlin last year", DE)
    assert set(spec.filters.city) == {"München", "Berlin"} and not spec.filters.state
    assert _spec("revenue in Berlin 2025", DE).filters.city == ("Berlin",)
