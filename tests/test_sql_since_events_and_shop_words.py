"""A made-up Moroccan-style chain whose store and city names collide with everyday words, and other wordings of
this round, parser level (not a bench tenant).

- A store or city whose name is a common word once its accents are gone ("Salé" typed "sale") names the place only
  with a capital: "stores that made at least one sale" is the word (before: the store Salé, a wrong number).
- "since the price went up in March", "since the spring relaunch in April": since that month; the change told around
  it is no comparison (before: March compared with February, a wrong number).
- "since the 1st of the month": this month so far (before: all recorded sales).
- "soldes" is no misspelled "sold" nor a form of it: an unknown word, refused (before: answered for the whole month).
- "boutique" is a store word; "the Tagine boutique" where Tagine is only a product: no such store (before: the
  product's sales).
- "sale lines", "how many sales had a discount", "number of products we list in each category", "at or under the
  minimum", "did May beat April", "optical frames and sun together", "in dirhams then" (a follow-up), "DH" after an
  amount or alone, a region code of the chain's own scheme read through the words' initials, "the Oriental".
"""

from __future__ import annotations

from datetime import date

import pytest

from tests.sql_helpers import spec_of
from tools.catalog import Catalog, Product, Store
from tools.sql.parse import parse_question
from tools.sql.regions import catalog_regions

TODAY = date(2026, 6, 10)
CATALOG = Catalog(stores=(Store("NJ-1", "Optique Najma Maarif", "Casablanca", "CS"),
                          Store("NJ-2", "Optique Najma Salé", "Salé", "RK"),
                          Store("NJ-3", "Optique Najma Agdal", "Rabat", "RK"),
                          Store("NJ-4", "Optique Najma Oujda", "Oujda", "OR"),
                          Store("NJ-5", "Optique Najma Gueliz", "Marrakech", "MS")),
                  products=(Product("NF-1", "Najma Atlas", "frames", "Najma"),
                            Product("NS-1", "Najma Tagine", "sunglasses", "Najma"),
                            Product("NV-1", "Essilor Varilux X", "lenses", "Essilor"),
                            Product("NV-2", "Hoya Nulux 1.6", "lenses", "Hoya")),
                  tenant_words=frozenset({"najma"}), sales_from=date(2024, 7, 1), sales_to=date(2026, 6, 9))


def test_a_common_word_without_accents_is_the_word_not_the_place() -> None:
    spec = spec_of("how many shops made at least one sale last week?", CATALOG, TODAY)
    assert spec.measure == "distinct_stores" and not spec.filters.store and not spec.filters.city
    assert spec_of("order lines in Q1 per sale", CATALOG, TODAY).filters.store == ()
    capital = spec_of("revenue in Sale last month", CATALOG, TODAY).filters
    assert capital.city == ("Salé",) or capital.store == ("NJ-2",)


@pytest.mark.parametrize(("question", "start"), [
    ("How many Essilor lenses have we sold since the price went up in March?", date(2026, 3, 1)),
    ("Hoya units since the Hoya price rise in April", date(2026, 4, 1)),
    ("average price per Essilor lens since the March increase", date(2026, 3, 1)),
    ("orders since the 1st of the month", date(2026, 6, 1)),
    ("revenue at Oujda since the shop opened in October 2025", date(2025, 10, 1)),
])
def test_since_a_change_or_the_start_of_the_month(question: str, start: date) -> None:
    spec = spec_of(question, CATALOG, TODAY)
    assert spec.time_range.start == start and spec.time_range.end == date(2026, 6, 11)
    assert spec.comparison is None


@pytest.mark.parametrize("question", ["How much did the July soldes cost us in discounts last year?",
                                      "discounts given per shop during the 2025 soldes"])
def test_a_foreign_event_word_is_not_a_misspelled_verb(question: str) -> None:
    parsed = parse_question(question, CATALOG, TODAY)
    assert parsed.spec is None and "soldes" in (parsed.refusal or "")


def test_boutique_is_a_store_word() -> None:
    assert spec_of("How many boutiques do we have?", CATALOG, TODAY).measure == "store_count"
    assert spec_of("How many boutiques are in the system?", CATALOG, TODAY).measure == "store_count"
    parsed = parse_question("How much did the Tagine boutique sell in 2025?", CATALOG, TODAY)
    assert parsed.spec is None  # no store of that name; the Tagine sunglasses are not the answer
    assert spec_of("units of the Tagine in 2025", CATALOG, TODAY).filters.product == ("NS-1",)


def test_the_whole_network_is_every_store() -> None:
    spec = spec_of("Number of pieces sold yesterday, whole network?", CATALOG, TODAY)
    assert spec.measure == "units" and not spec.filters.store and not spec.dimensions


@pytest.mark.parametrize(("question", "measure", "dims"), [
    ("how many sale lines were recorded in Q1?", "order_lines", ()),
    ("How many sales had a discount on them in May?", "discounted_orders", ()),
    ("number of products we list in each category", "product_count", ("category",)),
    ("Lines at or under the minimum, per region", "items_at_or_below_reorder", ("state",)),
])
def test_everyday_measure_wordings(question: str, measure: str, dims: tuple[str, ...]) -> None:
    spec = spec_of(question, CATALOG, TODAY)
    assert (spec.measure, spec.dimensions, spec.ranking) == (measure, dims, None)


def test_did_one_month_beat_another_compares_them() -> None:
    spec = spec_of("Did May beat April? turnover for both, please", CATALOG, TODAY)
    assert spec.time_range.start == date(2026, 5, 1) and spec.comparison.time_range.start == date(2026, 4, 1)


@pytest.mark.parametrize("question", ["Najma brand sales in 2025, optical frames and sun together",
                                      "optical and sun revenue in May"])
def test_sun_beside_frames_is_sunglasses(question: str) -> None:
    assert set(spec_of(question, CATALOG, TODAY).filters.category) >= {"frames", "sunglasses"}


def test_a_currency_follow_up_ending_in_then() -> None:
    first = spec_of("how many Najma Atlas did we sell in 2025?", CATALOG, TODAY)
    spec = spec_of("in dirhams then", CATALOG, TODAY, previous=first)
    assert (spec.measure, spec.filters.product, spec.time_range.start) == ("revenue", ("NF-1",), date(2025, 1, 1))


def test_dh_is_the_dirham() -> None:
    spec = spec_of("What was our turnover last week across all the boutiques, in DH?", CATALOG, TODAY)
    assert spec.measure == "revenue" and not spec.filters.store


def test_a_code_of_the_chains_own_scheme_and_a_region_without_its_article() -> None:
    regions = catalog_regions(CATALOG)
    assert {regions.aliases.get("casablanca-settat"), regions.aliases.get("marrakech-safi")} == {"CS", "MS"}
    assert spec_of("Sales in the Oriental since January", CATALOG, TODAY).filters.state == ("OR",)


def test_catalogue_references_are_products() -> None:
    assert spec_of("How many different references did we sell in May?", CATALOG, TODAY).measure == "distinct_products"
    spec = spec_of("how many refs are out of stock at Gueliz", CATALOG, TODAY)
    assert (spec.measure, spec.filters.store) == ("items_out_of_stock", ("NJ-5",))


def test_which_store_fell_furthest_ranks_by_the_change() -> None:
    spec = spec_of("Which shop fell furthest in May compared with May last year?", CATALOG, TODAY)
    assert (spec.measure, spec.dimensions, spec.ranking.direction, spec.ranking.by) == (
        "revenue", ("store",), "asc", "change")


def test_the_lines_a_store_stocks() -> None:
    assert spec_of("How many product lines does the Oujda shop stock?", CATALOG, TODAY).measure == "stock_lines"
    assert spec_of("how many products does Gueliz carry?", CATALOG, TODAY).measure == "stock_lines"
    assert spec_of("How many products do we stock?", CATALOG, TODAY).measure == "product_count"
