"""SQL questions once misread, in made-up tenants and our own wording: distinct counts with a qualifier (category,
brand, store, period) counted distinctly; exclusions however worded ("not counting", "other than", "X aside") leave
the named values out; "as percentages" and "what %" are shares, a brand's share within a category keeps the category
in the whole; stock valued at retail / list price is the stock value, at cost is refused with what is missing; a
period not over against a named earlier one; the region word of the tenant's country; a model's place names mapped
to the stored codes. Parser tests use in-memory catalogs (no database)."""

from __future__ import annotations

from datetime import date

import pytest

from tests.sql_helpers import spec_of
from tools.catalog import Catalog, Product, Store
from tools.sql.parse import parse_question
from tools.sql.regions import region_index
from tools.sql.sentences import interpretation, sentence
from tools.sql.spec import Filters, QuerySpec
from tools.sql_tool import _spec_in_catalog, _with_stored_places

TODAY = date(2026, 6, 15)
_PRODUCTS = (Product("MT-01", "Maple Trail Aviator", "frames", "Maple Trail"),
             Product("MT-02", "Maple Trail Shade", "sunglasses", "Maple Trail"),
             Product("NL-03", "Northlight Polar", "sunglasses", "Northlight"),
             Product("NL-04", "Northlight Thin 1.67", "lenses", "Northlight"),
             Product("LB-05", "Loonbay Daily Contacts", "contact_lenses", "Loonbay"),
             Product("SV-06", "Full Vision Check", "services", "Loonbay"))
# a Canadian chain (provinces stored as codes) and an Australian one (states and a territory)
CANADA = Catalog(stores=(Store("LK-1", "Lakehead Optical Thunder Bay", "Thunder Bay", "ON"),
                         Store("LK-2", "Lakehead Optical Sudbury", "Sudbury", "ON"),
                         Store("LK-3", "Lakehead Optical Brandon", "Brandon", "MB"),
                         Store("LK-4", "Lakehead Optical Moncton", "Moncton", "NB")),
                 products=_PRODUCTS, tenant_words=frozenset({"lakehead"}), sales_from=date(2024, 1, 2),
                 sales_to=date(2026, 6, 14))
AUSTRALIA = Catalog(stores=(Store("RG-1", "Redgum Eyes Mildura", "Mildura", "VIC"),
                            Store("RG-2", "Redgum Eyes Dubbo", "Dubbo", "NSW"),
                            Store("RG-3", "Redgum Eyes Katherine", "Katherine", "NT")),
                    products=_PRODUCTS, tenant_words=frozenset({"redgum"}), sales_from=date(2024, 1, 2),
                    sales_to=date(2026, 6, 14))


def _spec(question: str, catalog: Catalog = CANADA) -> QuerySpec:
    return spec_of(question, catalog, TODAY)


@pytest.mark.parametrize(("question", "filters"), [
    ("how many different lens products did Sudbury sell in May", {"store": ("LK-2",), "category": ("lenses",)}),
    ("number of distinct Northlight sunglasses sold last year", {"brand": ("Northlight",),
                                                                 "category": ("sunglasses",)}),
    ("how many unique contact lens skus went out at Brandon this year", {"store": ("LK-3",)}),
])
def test_a_distinct_count_with_a_qualifier_counts_products_not_units(question: str, filters: dict) -> None:
    spec = _spec(question)
    assert spec.measure == "distinct_products"
    for name, values in filters.items():
        assert set(values) <= set(getattr(spec.filters, name)), (name, spec.filters)


@pytest.mark.parametrize("question", ["how many different lens products do we carry",
                                      "how many different frame products are in the catalogue",
                                      "how many distinct sunglasses are there"])
def test_a_distinct_count_of_the_catalogue_stays_the_catalogue_count(question: str) -> None:
    assert _spec(question).measure == "product_count"


def test_how_many_stores_sold_something_counts_stores_with_sales() -> None:
    spec = _spec("how many different stores sold Northlight in May")
    assert spec.measure == "distinct_stores" and spec.filters.brand == ("Northlight",) and not spec.dimensions
    assert _spec("number of shops that had sales of sunglasses last year").measure == "distinct_stores"
    assert _spec("how many stores do we have in Ontario").measure == "store_count"


@pytest.mark.parametrize(("question", "left_out"), [
    ("revenue last year not counting eye checks and other services", {"category": ("services",)}),
    ("2025 takings, services aside", {"category": ("services",)}),
    ("units sold in May except at Brandon", {"store": ("LK-3",)}),
    ("revenue in 2025 other than frames and sunglasses", {"category": ("frames", "sunglasses")}),
    ("what did we take in 2025 without Northlight", {"brand": ("Northlight",)}),
    ("leave the Moncton store out: units in 2025", {"store": ("LK-4",)}),
    ("revenue in 2025 with services and accessories excluded", {"category": ("services", "accessories")}),
    ("revenue in 2025 with the exception of services", {"category": ("services",)}),
    ("units in May aside from Sudbury", {"store": ("LK-2",)}),
    ("takings last year, excl. contact lenses", {"category": ("contact_lenses",)}),
])
def test_exclusions_however_worded_leave_the_named_values_out(question: str, left_out: dict) -> None:
    spec = _spec(question)
    for name, values in left_out.items():
        assert set(values) <= set(getattr(spec.exclude, name)), (name, spec.exclude)
        assert not set(values) & set(getattr(spec.filters, name)), (name, spec.filters)
    assert "excluding" in interpretation(spec, CANADA)


def test_examples_before_and_other_category_are_covered_by_the_category() -> None:
    # "eye exams" is no product name here: the examples of "and other services" are the services category
    left_out = _spec("revenue in 2025 not counting eye exams and other services")
    assert left_out.exclude.category == ("services",) and not left_out.filters.category
    kept = _spec("revenue from eye exams and other services in 2025")
    assert kept.filters.category == ("services",) and kept.exclude.is_empty()
    # on its own, an unknown word is still asked about, never dropped
    assert parse_question("revenue from eye exams in 2025", CANADA, TODAY).spec is None


def test_a_difference_of_two_places_is_still_not_an_exclusion() -> None:
    spec = _spec("Sudbury minus Brandon units in 2025")
    assert spec.exclude.is_empty() and set(spec.filters.store) == {"LK-2", "LK-3"}


def test_a_breakdown_as_percentages_is_a_share_per_group() -> None:
    spec = _spec("units split by province for Q1 2026 as percentages")
    assert spec.dimensions == ("state",) and spec.share_of_total


@pytest.mark.parametrize("question", [
    "of our sunglasses revenue in 2025, what % was Northlight",
    "what share of sunglasses revenue came from Northlight in 2025",
    "Northlight's share of sunglasses sales in 2025",
    "among sunglasses, what share did Northlight have in 2025",
    "Northlight's slice of the sunglasses business in 2025",
])
def test_a_brands_share_within_a_category_keeps_the_category_in_the_whole(question: str) -> None:
    spec = _spec(question)
    assert spec.share_of_total and spec.part.brand == ("Northlight",)
    assert spec.filters.category == ("sunglasses",) and not spec.filters.brand
    assert spec.measure == "revenue"  # no number named: a share of sales, shown in the interpretation line


@pytest.mark.parametrize("question", ["what's our stock worth at retail prices", "retail value of the inventory",
                                      "how much is stock at Sudbury worth at list price"])
def test_stock_at_retail_or_list_price_is_the_stock_value(question: str) -> None:
    spec = _spec(question)
    assert spec.measure == "stock_value"
    assert "list (retail) prices" in interpretation(spec, CANADA)


@pytest.mark.parametrize("question", ["value of stock at cost vs retail", "what is our inventory worth at cost",
                                      "stock value at purchase price"])
def test_stock_at_cost_is_refused_saying_what_is_missing(question: str) -> None:
    parsed = parse_question(question, CANADA, TODAY)
    assert parsed.spec is None and parsed.refusal is not None
    assert "no cost or purchase price" in parsed.refusal and "list prices" in parsed.refusal


def test_the_state_level_reads_in_the_tenants_own_word() -> None:
    assert region_index(CANADA.states).word() == ("province", "provinces")
    assert region_index(AUSTRALIA.states).word() == ("state", "states")
    spec = _spec("revenue by province in 2025")
    assert "by province" in interpretation(spec, CANADA) and "by state" not in interpretation(spec, CANADA)
    line = sentence(spec, ["state", "revenue"], [("ON", 10.0), ("MB", 5.0)], CANADA)
    assert "by province" in line and "Ontario (ON)" in line
    filtered = _spec("units in Ontario in 2025")
    assert "province: Ontario (ON)" in interpretation(filtered, CANADA)


def test_a_models_place_names_become_the_stored_codes() -> None:
    spec = QuerySpec(measure="revenue", filters=Filters(state=("Ontario",), city=("thunder bay",)),
                     exclude=Filters(state=("new brunswick",)), part=Filters())
    fixed = _with_stored_places(spec, CANADA)
    assert fixed.filters.state == ("ON",) and fixed.filters.city == ("Thunder Bay",)
    assert fixed.exclude.state == ("NB",) and not _spec_in_catalog(fixed, CANADA)
    unknown = _with_stored_places(QuerySpec(measure="revenue", filters=Filters(state=("Quebec",))), CANADA)
    assert _spec_in_catalog(unknown, CANADA) == ["Quebec"]  # no store there: still refused, never widened
