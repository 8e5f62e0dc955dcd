"""Readings a fresh tenant's first run got wrong (tested here on a made-up Mexican tenant, not the bench's):
a name that is both one of the tenant's cities and one of its states with other stores ("Puebla") is read by the
wording around it ("the state of Puebla", "Puebla city") and asked about otherwise (a city-state with the same stores
either way stays the city); a name that is both a store and a product model is settled by "at X" even when the model
alone is an alias of the product; names typed without accents or hyphens, or with "St" for "Saint", still match;
"compared with January to April 2025" is a range; "the same months of 2025" are the asked months in 2025; a period
that has not started, or a forecast, is refused (never answered as zero); "the value of everything on our shelves" is
the stock value. Parser tests on a catalog; no database."""

from __future__ import annotations

from datetime import date

import pytest

from tests.sql_helpers import spec_of
from tools.catalog import Catalog, Product, Store
from tools.sql.entities import spelling_variants
from tools.sql.parse import parse_question

TODAY = date(2026, 6, 15)
CATALOG = Catalog(stores=(Store("NB-1", "Óptica Nube Centro", "Puebla", "Puebla"),
                          Store("NB-2", "Óptica Nube Cholula", "San Andrés Cholula", "Puebla"),
                          Store("NB-3", "Óptica Nube Zócalo", "Ciudad de México", "Ciudad de México"),
                          Store("NB-4", "Óptica Nube Jurica", "Querétaro", "Querétaro")),
                  products=(Product("CL-1", "Casa Lente Zócalo", "frames", "Casa Lente"),
                            Product("CL-2", "Casa Lente Alameda", "frames", "Casa Lente"),
                            Product("SL-1", "Ojo-Claro Brisa", "sunglasses", "Ojo-Claro")),
                  tenant_words=frozenset({"nube"}), sales_from=date(2024, 1, 1), sales_to=date(2026, 6, 14))


def _parsed(question: str):  # noqa: ANN202
    return parse_question(question, CATALOG, TODAY)


def _spec(question: str):  # noqa: ANN202
    return spec_of(question, CATALOG, TODAY)


@pytest.mark.parametrize("question", ["revenue in the state of Puebla in 2025", "Puebla state revenue last month",
                                      "units sold across all of Puebla in May"])
def test_a_city_and_state_name_with_state_wording_is_the_state(question: str) -> None:
    spec = _spec(question)
    assert spec.filters.state == ("Puebla",) and spec.filters.city == ()
    assert "state" not in spec.dimensions  # "Puebla state" names the place, it is no breakdown


@pytest.mark.parametrize("question", ["revenue in Puebla city in 2025", "units sold in the city of Puebla in May"])
def test_a_city_and_state_name_with_city_wording_is_the_city(question: str) -> None:
    spec = _spec(question)
    assert spec.filters.city == ("Puebla",) and spec.filters.state == ()


def test_a_bare_city_and_state_name_is_asked_about() -> None:
    parsed = _parsed("how much did we sell in Puebla last month")
    assert parsed.spec is None and [u.kind for u in parsed.unresolved] == ["city_or_state"]


def test_patients_in_a_city_and_state_name_are_counted_by_state() -> None:
    assert _spec("how many patients in Puebla").filters.state == ("Puebla",)


def test_a_city_state_with_the_same_stores_either_way_stays_the_city() -> None:
    assert _spec("units in Queretaro in 2025").filters.city == ("Querétaro",)  # also typed without the accent


@pytest.mark.parametrize("question", ["units sold at Zocalo in May", "how many frames did the Zócalo shop sell"])
def test_at_a_name_of_a_store_and_a_model_is_the_store(question: str) -> None:
    spec = _spec(question)
    assert spec.filters.store == ("NB-3",) and spec.filters.product == ()


def test_a_name_of_a_store_and_a_model_with_model_wording_is_the_model() -> None:
    spec = _spec("Zócalo models sold in 2025")
    assert spec.filters.product == ("CL-1",) and spec.filters.store == ()


def test_a_bare_name_of_a_store_and_a_model_is_asked_about() -> None:
    parsed = _parsed("Zócalo revenue in 2025")
    assert parsed.spec is None and [u.kind for u in parsed.unresolved] == ["store_or_model"]


@pytest.mark.parametrize(("question", "field", "value"), [
    ("orders in San Andres Cholula this year", "city", ("San Andrés Cholula",)),
    ("revenue from Ojo Claro in 2025", "brand", ("Ojo-Claro",)),
    ("units at Optica Nube Jurica in 2025", "store", ("NB-4",)),
])
def test_names_typed_without_accents_or_hyphens_match(question: str, field: str, value: tuple[str, ...]) -> None:
    assert getattr(_spec(question).filters, field) == value


def test_spelling_variants() -> None:
    assert {"st-jerome", "st jerome", "saint jerome", "saint-jerome"} <= spelling_variants("saint-jérôme")
    assert "saint lucia" in spelling_variants("st lucia")
    assert spelling_variants("plain") == set()


@pytest.mark.parametrize("question", ["revenue for January to April 2026 against the same months of 2025",
                                      "revenue from January to April 2026 compared with January to April 2025"])
def test_a_range_is_compared_with_the_same_range_of_an_earlier_year(question: str) -> None:
    spec = _spec(question)
    assert spec.comparison is not None and spec.comparison.time_range is not None
    assert (spec.time_range.start, spec.time_range.end) == (date(2026, 1, 1), date(2026, 5, 1))
    other = spec.comparison.time_range
    assert (other.start, other.end) == (date(2025, 1, 1), date(2025, 5, 1))


@pytest.mark.parametrize("question", ["forecast revenue for September 2026", "units in September 2026",
                                      "what do we expect to sell in 2027", "predict next year's revenue",
                                      "how much revenue will we make in Q4"])
def test_a_future_period_or_a_forecast_is_refused(question: str) -> None:
    parsed = _parsed(question)
    assert parsed.spec is None and parsed.refusal


def test_a_period_that_has_started_is_still_answered() -> None:
    assert _spec("revenue in June 2026").time_range is not None


@pytest.mark.parametrize("question", ["what's the retail value of everything on our shelves",
                                      "value of everything we have in stock at Jurica"])
def test_the_value_of_everything_on_the_shelves_is_stock_value(question: str) -> None:
    assert _spec(question).measure == "stock_value"


FRENCH = Catalog(stores=(Store("LM-1", "Lumière Optique Centre", "Châlons-en-Champagne", "GES"),
                         Store("LM-2", "Lumière Optique Gare", "Boulogne-sur-Mer", "HDF"),
                         Store("LM-3", "Lumière Optique Pont", "Boulogne-Billancourt", "IDF"),
                         Store("LM-4", "Lumière Optique Port", "Saint-Malo", "BRE")),
                 products=(Product("LM-F1", "Lumière Atelier 48", "frames", "Lumière Atelier"),),
                 tenant_words=frozenset({"lumiere"}), sales_from=date(2024, 1, 1), sales_to=date(2026, 6, 14))


@pytest.mark.parametrize(("question", "city"), [("revenue in Chalons in 2025", "Châlons-en-Champagne"),
                                                ("units sold in St Malo last month", "Saint-Malo")])
def test_a_city_is_also_named_by_its_short_local_name(question: str, city: str) -> None:
    parsed = parse_question(question, FRENCH, TODAY)
    assert parsed.spec is not None and parsed.spec.filters.city == (city,)


def test_a_short_name_shared_by_two_stored_cities_names_neither() -> None:
    parsed = parse_question("revenue in Boulogne in 2025", FRENCH, TODAY)
    assert parsed.spec is None  # never Boulogne-sur-Mer alone: the tenant also has Boulogne-Billancourt
