"""SQL misreads from a held-out run, in made-up tenants and our own wording: a place word inside a brand's name
("Bergen Studio" where Bergen is also a city and county of the tenant) is part of the brand, never a place filter as
well; a word that is both a store's name and a product model's name is asked about unless the wording settles it.
Parser tests use in-memory catalogs (no database)."""

from __future__ import annotations

from datetime import date

from tests.sql_helpers import spec_of
from tools.catalog import Catalog, Product, Store
from tools.sql.parse import parse_question
from tools.sql.sentences import unresolved_message
from tools.sql.spec import QuerySpec

TODAY = date(2026, 6, 15)
SHOP = Catalog(stores=(Store("FJ-1", "Fjordlys Optikk Bryggen", "Bergen", "Bergen"),
                       Store("FJ-2", "Fjordlys Optikk Solsiden", "Trondheim", "Trøndelag"),
                       Store("FJ-3", "Fjordlys Optikk Lerkendal", "Trondheim", "Trøndelag")),
               products=(Product("FJ01", "Bergen Studio Solsiden", "frames", "Bergen Studio"),
                         Product("FJ02", "Bergen Studio Kai", "frames", "Bergen Studio"),
                         Product("FJ03", "Nordlys Solsiden", "frames", "Nordlys"),
                         Product("FJ04", "Nordlys Kai", "frames", "Nordlys"),
                         Product("FJ05", "Havblikk Sol", "sunglasses", "Havblikk")),
               tenant_words=frozenset({"fjordlys"}), sales_from=date(2024, 1, 2), sales_to=date(2026, 6, 14))


def _spec(question: str) -> QuerySpec:
    return spec_of(question, SHOP, TODAY)


def test_a_place_word_inside_a_brand_name_is_no_place_filter() -> None:
    spec = _spec("what share of frames revenue in Trøndelag came from Bergen Studio in 2025")
    assert spec.share_of_total
    assert spec.part.brand == ("Bergen Studio",)
    assert not spec.part.state and not spec.part.city
    assert spec.filters.state == ("Trøndelag",) and spec.filters.category == ("frames",)


def test_the_same_place_word_alone_is_still_a_place() -> None:
    spec = _spec("frames revenue in Bergen in 2025")
    assert spec.filters.city == ("Bergen",) or spec.filters.state == ("Bergen",)
    assert not spec.filters.brand


def test_a_word_naming_a_store_and_a_model_is_asked_about() -> None:
    parsed = parse_question("how much did Solsiden bring in during 2025", SHOP, TODAY)
    assert parsed.spec is None
    assert [u.kind for u in parsed.unresolved] == ["store_or_model"]
    message = unresolved_message(parsed.unresolved, SHOP)
    assert "FJ-2" in message and "Nordlys Solsiden" in message and "Bergen Studio Solsiden" in message


def test_the_wording_settles_store_or_model() -> None:
    assert _spec("how many frames did we sell at Solsiden in 2025").filters.store == ("FJ-2",)
    assert _spec("frames sold by the Solsiden shop in 2025").filters.store == ("FJ-2",)
    model = _spec("how many Solsiden models did we sell in 2025").filters
    assert model.keyword == ("solsiden",) and not model.store
    # a product noun right after the name: frames called Solsiden ("frames at Solsiden" is the store's)
    frames = _spec("how many Solsiden frames went out in 2025").filters
    assert frames.keyword == ("solsiden",) and not frames.store


def test_a_store_name_that_is_no_model_is_still_the_store() -> None:
    assert _spec("how many Lerkendal frames did we sell in 2025").filters.store == ("FJ-3",)
