"""Time windows next to a named day, sort-order wordings and "not selling", on a made-up Norwegian tenant (not a bench
tenant) whose catalogue has a "First Light" frame.

- "the week before Christmas" is the 7 days before Christmas Day (it was read as everything from the first sale up
  to Christmas); "the week after Easter", "the fortnight leading up to Christmas", "the 3 days after Christmas",
  "the month before Easter" likewise; a window without a length ("in the days before New Year") is a DateRangeError
  (the caller asks for dates; it was answered for all time).
- "highest first", "in descending order", "from highest to lowest" sort the breakdown: they were read as the product
  keyword "first" plus a top-1 ranking, as the orders measure, or refused for the unknown word "descending".
- "which frames aren't selling" / "weren't selling" list the lowest sellers, zeros included, like "haven't sold".
- "the Midnattsol model" is that one product ("model" had joined every "Model 7" product to it); "the back half of
  2025" is H2 2025 (it was read as stock "in the back"); "over the long weekend" asks for dates (it was answered
  for every Saturday and Sunday ever).
- "revenue in each of the last 3 months" is by month (it was one total); "this time last month" asks for dates (it
  was all of last month); "orders with more than one item" is refused (it was answered with last month's orders).
Parser tests on a catalog; no database."""

from __future__ import annotations

from datetime import date

import pytest

from tests.sql_helpers import spec_of
from tools.catalog import Catalog, Product, Store
from tools.dates import DateRangeError
from tools.sql.parse import parse_question

TODAY = date(2026, 6, 17)
CATALOG = Catalog(stores=(Store("N-1", "Nordlys Optikk Bryggen", "Bergen", "46"),
                          Store("N-2", "Nordlys Optikk Nidaros", "Trondheim", "50")),
                  products=(Product("NF-1", "Nordlys First Light", "frames", "Nordlys"),
                            Product("NF-2", "Nordlys Midnattsol", "frames", "Nordlys"),
                            Product("NS-1", "Nordlys Fjell Polar", "sunglasses", "Nordlys"),
                            Product("NS-2", "Nordlys Model 7", "sunglasses", "Nordlys")),
                  tenant_words=frozenset({"nordlys"}), sales_from=date(2024, 3, 1), sales_to=date(2026, 6, 16))


@pytest.mark.parametrize(("question", "start", "last"), [
    ("revenue in the week before Christmas", date(2025, 12, 18), date(2025, 12, 24)),
    ("what did Bergen take the week after Easter", date(2026, 4, 6), date(2026, 4, 12)),
    ("units in the fortnight leading up to Christmas", date(2025, 12, 11), date(2025, 12, 24)),
    ("orders the 3 days after Christmas", date(2025, 12, 26), date(2025, 12, 28)),
    ("revenue in the month before Easter", date(2026, 3, 5), date(2026, 4, 4)),
    ("revenue the two weeks following New Year's Day", date(2026, 1, 2), date(2026, 1, 15)),
])
def test_a_window_next_to_a_named_day(question: str, start: date, last: date) -> None:
    spec = spec_of(question, CATALOG, TODAY)
    assert spec.time_range is not None
    assert (spec.time_range.start, spec.time_range.end) == (start, date.fromordinal(last.toordinal() + 1))


def test_the_day_before_is_one_day() -> None:
    spec = spec_of("revenue the day before Christmas", CATALOG, TODAY)
    assert spec.time_range is not None and spec.time_range.grain == "day"
    assert spec.time_range.start == date(2025, 12, 24)


@pytest.mark.parametrize("question", ["revenue in the days before New Year", "units in the few weeks after Easter"])
def test_a_window_without_a_length_is_not_guessed(question: str) -> None:
    with pytest.raises(DateRangeError, match="does not say how many"):
        parse_question(question, CATALOG, TODAY)


@pytest.mark.parametrize(("question", "measure", "direction"), [
    ("revenue per store last quarter, highest first", "revenue", "desc"),
    ("revenue by store in descending order", "revenue", "desc"),
    ("units by store from highest to lowest", "units", "desc"),
    ("revenue by store, lowest first", "revenue", "asc"),
    ("revenue by store ascending", "revenue", "asc"),
])
def test_sort_order_wordings_sort_the_breakdown(question: str, measure: str, direction: str) -> None:
    spec = spec_of(question, CATALOG, TODAY)
    assert (spec.measure, spec.dimensions) == (measure, ("store",))
    assert spec.ranking is not None and spec.ranking.limit is None and spec.ranking.direction == direction
    assert spec.filters.keyword == ()


def test_the_first_light_frame_is_still_a_product() -> None:
    assert spec_of("First Light units last year", CATALOG, TODAY).filters.product == ("NF-1",)


@pytest.mark.parametrize("question", ["which frames aren't selling", "which frames weren't selling last year",
                                      "what products don't sell"])
def test_not_selling_lists_the_lowest_sellers(question: str) -> None:
    spec = spec_of(question, CATALOG, TODAY)
    assert spec.dimensions == ("product",)
    assert spec.ranking is not None and spec.ranking.direction == "asc"


@pytest.mark.parametrize("question", ["how much did we sell of the Midnattsol model", "Midnattsol style revenue"])
def test_a_product_noun_after_a_name_is_no_product_of_its_own(question: str) -> None:
    spec = spec_of(question, CATALOG, TODAY)
    assert (spec.filters.product, spec.filters.keyword) == (("NF-2",), ())


def test_model_with_its_number_is_still_the_product() -> None:
    assert spec_of("units of Model 7", CATALOG, TODAY).filters.product == ("NS-2",)


@pytest.mark.parametrize(("question", "start"), [("what were sales like in the back half of 2025", date(2025, 7, 1)),
                                                 ("units in the front half of 2025", date(2025, 1, 1))])
def test_back_and_front_half_are_the_halves(question: str, start: date) -> None:
    spec = spec_of(question, CATALOG, TODAY)
    assert spec.measure in ("revenue", "units") and spec.time_range is not None
    assert (spec.time_range.start, spec.time_range.grain) == (start, "half")


def test_a_long_weekend_is_asked_about() -> None:
    parsed = parse_question("how many sunglasses did we sell over the long weekend", CATALOG, TODAY)
    assert parsed.spec is None and parsed.refusal is not None and "long weekend" in parsed.refusal


@pytest.mark.parametrize(("question", "dim"), [("revenue in each of the last 3 months", "month"),
                                               ("units in each of the past 4 weeks", "week")])
def test_each_of_the_last_n_units_breaks_down_by_that_unit(question: str, dim: str) -> None:
    assert spec_of(question, CATALOG, TODAY).dimensions == (dim,)


@pytest.mark.parametrize(("question", "word"), [("sales this time last month", "this time last month"),
                                                ("how many orders had more than one item", "each order"),
                                                ("how many single-item orders did we have", "each order")])
def test_unclear_or_per_order_conditions_are_refused(question: str, word: str) -> None:
    parsed = parse_question(question, CATALOG, TODAY)
    assert parsed.spec is None and word in (parsed.refusal or "")
