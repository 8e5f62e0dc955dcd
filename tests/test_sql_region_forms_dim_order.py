"""Region names as people shorten them and the order of a two-way breakdown named with a frequency adverb, on a
made-up German tenant (not a bench tenant): "Bavarian stores" is Bavaria (the regular English adjective of a stored
region's name), "NRW" is North Rhine-Westphalia (the initials of a name of three or more capitalised words), and
"monthly revenue for each store" is broken down by store, then month (each store's monthly figures). Parser tests on
a catalog; no database."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from tests.sql_helpers import spec_of
from tools.catalog import Catalog, Product, Store
from tools.sql.parse import parse_question
from tools.sql.regions import _adjectives, _initials

TODAY = date(2026, 6, 15)
CATALOG = Catalog(stores=(Store("K-1", "Brillen Kranich Altstadt", "Regensburg", "BY"),
                          Store("K-2", "Brillen Kranich Dom", "Köln", "NW"),
                          Store("K-3", "Brillen Kranich Hafen", "Hamburg", "HH"),
                          Store("K-4", "Brillen Kranich Süd", "Nürnberg", "BY")),
                  products=(Product("F-1", "Kranich Luft", "frames", "Kranich"),
                            Product("S-1", "Kranich Sonne", "sunglasses", "Kranich")),
                  tenant_words=frozenset({"kranich"}), sales_from=date(2024, 1, 1), sales_to=date(2026, 6, 14))


def _spec(question: str):  # noqa: ANN202
    return spec_of(question, CATALOG, TODAY)


@pytest.mark.parametrize("name,adjectives", [("Bavaria", ["bavarian"]), ("Ontario", ["ontarian"]),
                                              ("Tuscany", ["tuscan"]), ("Texas", ["texan"]), ("Quebec", []),
                                              ("North Rhine-Westphalia", [])])
def test_regular_adjectives_of_a_place_name(name: str, adjectives: list[str]) -> None:
    assert _adjectives(name) == adjectives


@pytest.mark.parametrize("name,initials", [("North Rhine-Westphalia", "NRW"), ("Prince Edward Island", "PEI"),
                                           ("Provence-Alpes-Côte d'Azur", "PACA"), ("Free State of Bavaria", None),
                                           ("British Columbia", None), ("Comunidad de Madrid", None)])
def test_initials_of_a_place_name(name: str, initials: str | None) -> None:
    assert _initials(name) == initials


@pytest.mark.parametrize("question", ["revenue of our Bavarian stores in 2025", "units the Bavarian shops sold in May"])
def test_a_region_adjective_is_the_region(question: str) -> None:
    assert _spec(question).filters.state == ("BY",)


@pytest.mark.parametrize("question", ["units in NRW last month", "revenue in nrw in 2025"])
def test_a_region_initialism_is_the_region(question: str) -> None:
    assert _spec(question).filters.state == ("NW",)


@pytest.mark.parametrize("question,dims", [
    ("monthly revenue for each of our stores in 2025", ("store", "month")),
    ("weekly units per store in May", ("store", "week")),
    ("revenue by month and store in 2025", ("month", "store")),  # named in this order: kept
    ("quarterly revenue by category for 2025", ("category", "quarter")),
])
def test_a_frequency_adverb_is_the_inner_dimension(question: str, dims: tuple[str, ...]) -> None:
    assert tuple(_spec(question).dimensions) == dims


# ---- a made-up Dutch tenant: city exonyms with articles, a city that is also a province, two stores in one city,
# ---- a brand with "&", a model named like a place, and a model made of common words

NL = Catalog(stores=(Store("W-1", "Wolk Optiek Centrum", "Amsterdam", "NH"),
                     Store("W-2", "Wolk Optiek Oost", "Amsterdam", "NH"),
                     Store("W-3", "Wolk Optiek Dom", "Utrecht", "UT"),
                     Store("W-4", "Wolk Optiek Zuid", "Amersfoort", "UT"),
                     Store("W-5", "Wolk Optiek Markt", "Den Haag", "ZH"),
                     Store("W-6", "Wolk Optiek Binnenstad", "'s-Hertogenbosch", "NB")),
             products=(Product("P-1", "Duin Gouda", "frames", "Duin"),
                       Product("P-2", "Duin Late Shift", "frames", "Duin"),
                       Product("P-3", "Mist & Co Breeze", "sunglasses", "Mist & Co"),
                       Product("P-4", "Helder Single Vision", "lenses", "Helder")),
             tenant_words=frozenset({"wolk"}), sales_from=date(2024, 1, 1), sales_to=date(2026, 6, 14))


def _nl(question: str):  # noqa: ANN202
    return parse_question(question, NL, TODAY)


def _nl_spec(question: str):  # noqa: ANN202
    parsed = _nl(question)
    assert parsed.spec is not None, (question, parsed.refusal, parsed.unresolved)
    return parsed.spec


@pytest.mark.parametrize("question,city", [("revenue in The Hague in 2025", "Den Haag"),
                                           ("units sold in Den Bosch last month", "'s-Hertogenbosch")])
def test_a_city_exonym_with_an_article_or_a_short_particle(question: str, city: str) -> None:
    assert _nl_spec(question).filters.city == (city,)


def test_a_model_named_with_store_wording_is_no_store() -> None:
    parsed = _nl("revenue at our Gouda store last month")
    assert parsed.spec is None and [(u.kind, u.text) for u in parsed.unresolved] == [("store", "Gouda")]
    assert _nl_spec("Gouda units last month").filters.product == ("P-1",)  # the model itself still answers


def test_and_for_an_ampersand_and_a_selling_verb_is_no_product_word() -> None:
    spec = _nl_spec("how many Mist and Co sunglasses did we shift this year")
    assert spec.filters.brand == ("Mist & Co",) and spec.filters.keyword == () and spec.measure == "units"


def test_a_city_or_province_name_read_as_the_city_by_its_wording_or_company() -> None:
    assert "Utrecht" in _nl_spec("Amersfoort vs Utrecht revenue last month").filters.city
    spec = _nl_spec("units sold at the Utrecht store last month")  # the one store of the city, never the province
    assert spec.filters.city == ("Utrecht",) or spec.filters.store == ("W-3",)
    assert not spec.filters.state


def test_a_bare_city_or_province_name_is_still_asked_about() -> None:
    assert [u.kind for u in _nl("revenue in Utrecht last month").unresolved] == ["city_or_state"]


@pytest.mark.parametrize("question,direction", [("which Amsterdam store had more orders in Q1 2026", "desc"),
                                                ("which Amsterdam shop had fewer orders in Q1 2026", "asc"),
                                                ("which store had less revenue last month", "asc")])
def test_which_store_with_a_comparative_ranks_in_its_direction(question: str, direction: str) -> None:
    spec = _nl_spec(question)
    assert spec.ranking is not None and spec.ranking.direction == direction and spec.ranking.limit == 1
    assert spec.dimensions == ("store",)


def test_the_store_of_a_city_with_two_stores_is_asked_about() -> None:
    assert [u.kind for u in _nl("revenue at the Amsterdam store last month").unresolved] == ["ambiguous"]


@pytest.mark.parametrize("question", ["how many sunglasses models from Mist and Co are in the catalogue",
                                      "how many products from Duin do we carry"])
def test_catalogue_counts_with_a_maker(question: str) -> None:
    assert _nl_spec(question).measure == "product_count"


@pytest.mark.parametrize("question", ["average price we got per Helder lens since March", "revenue per frame in 2025"])
def test_per_a_kind_of_item_is_per_unit(question: str) -> None:
    assert _nl_spec(question).measure == "avg_selling_price"


def test_items_compared_with_the_reorder_point_per_store_are_no_lookup() -> None:
    spec = _nl_spec("items at or below reorder point for each store in NH")
    assert spec.measure == "items_at_or_below_reorder" and spec.dimensions == ("store",)


@pytest.mark.parametrize("question,day", [("sales on Christmas Eve 2025", date(2025, 12, 24)),
                                          ("revenue on Boxing Day last year", date(2025, 12, 26)),
                                          ("orders on Good Friday this year", date(2026, 4, 3)),
                                          ("units on new years day", date(2026, 1, 1))])
def test_a_named_single_day_is_its_date(question: str, day: date) -> None:
    tr = _nl_spec(question).time_range
    assert tr is not None and (tr.start, tr.end) == (day, day + timedelta(days=1))


def test_a_holiday_season_is_still_refused() -> None:
    # "over Christmas" is the days the holidays package lists for the country (tools/sql/occasions.py): in the
    # Netherlands, Christmas Day and the second day of Christmas; "the Christmas period" names no days: asked
    tr = _nl_spec("revenue over Christmas").time_range
    assert tr is not None and (tr.start, tr.end) == (date(2025, 12, 25), date(2025, 12, 27))
    assert _nl("revenue over the Christmas period").spec is None
