"""Region names as people shorten them and the order of a two-way breakdown named with a frequency adverb, on a
made-up German tenant (not a bench tenant): "Bavarian stores" is Bavaria (the regular English adjective of a stored
region's name), "NRW" is North Rhine-Westphalia (the initials of a name of three or more capitalised words), and
"monthly revenue for each store" is broken down by store, then month (each store's monthly figures). Parser tests on
a catalog; no database."""

from __future__ import annotations

from datetime import date

import pytest

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
    parsed = parse_question(question, CATALOG, TODAY)
    assert parsed.spec is not None, (question, parsed.refusal, parsed.unresolved)
    return parsed.spec


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
