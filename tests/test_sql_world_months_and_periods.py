"""Month names of every language in dates, numeric dates after "week", the other year's period written as "the 2025
one", lens types by the words product names use, and a few everyday wordings: parser level, on a made-up Finnish chain
(not a bench tenant).

- "28-30 Kasım", "1 Ocak 2026", "huhtikuu 2026", "20-22 Mart", "3 lipca 2025": a month name of any language CLDR
  knows (babel) where a day number or a year goes with it (before: only the languages of the phrase tables); a name
  that is an English word too ("mart", "here") only when capitalised after a day number.
- "the week 29.12.2025 - 04.01.2026": the dates, never ISO week 29.
- "X 2026 (4-10 May) against the 2025 one (5-11 May)", "May vs the one in 2025", "May vs 2025's": the other year's
  period (before: the whole of 2025).
- "what share of lens revenue is progressives" where names say "Progressiivi" / "Varilux": those products; a lens
  type no product name says is refused (before: a share of nothing, "–").
- "value of the goods on the shelf": stock value; "which shop holds the most sunglasses": stock by store; "the
  Helsinki shops next to each other": one figure per store; "how many shops, closed ones included": the store count;
  "and a year earlier?" after a question: the same question a year back; "the best average day": the mean day.
"""

from __future__ import annotations

from datetime import date

import pytest

from tests.sql_helpers import spec_of
from tools.catalog import Catalog, Product, Store
from tools.sql.foreign import foreign_months
from tools.sql.parse import parse_question

TODAY = date(2026, 6, 15)
FINLAND = Catalog(stores=(Store("KU-1", "Kuura Kamppi", "Helsinki", "18"),
                          Store("KU-2", "Kuura Itis", "Helsinki", "18"),
                          Store("KU-3", "Kuura Tampere", "Tampere", "11"),
                          Store("KU-4", "Kuura Oulu", "Oulu", "14")),
                  products=(Product("KL-1", "Kuura Progressiivi 1.6", "lenses", "Kuura"),
                            Product("KL-2", "Essilor Varilux Comfort", "lenses", "Essilor"),
                            Product("KL-3", "Kuura Yksittäisnäkö 1.5", "lenses", "Kuura"),
                            Product("KF-1", "Kuura Revontuli", "frames", "Kuura"),
                            Product("KS-1", "Kuura Aurinko", "sunglasses", "Kuura")),
                  tenant_words=frozenset({"kuura"}), sales_from=date(2024, 1, 2), sales_to=date(2026, 6, 14))


@pytest.mark.parametrize(("question", "english"), [
    ("discounts over the sale (28-30 Kasım 2025)", "(28-30 November 2025)"),
    ("sales on 1 Ocak 2026", "1 January 2026"),
    ("revenue in huhtikuu 2026", "April 2026"),
    ("units over the holiday (20-22 Mart)", "(20-22 March)"),
    ("sprzedaż 3 lipca 2025", "3 July 2025"),
])
def test_a_month_name_of_any_language_with_its_day_or_year(question: str, english: str) -> None:
    assert english in foreign_months(question, ["Kuura Kamppi"])


@pytest.mark.parametrize("question", ["top 5 here 2025", "top 10 mart 2025", "the 3 gene 2025 samples"])
def test_a_foreign_month_that_is_an_english_word_needs_a_capital_after_a_day(question: str) -> None:
    assert foreign_months(question, []) == question


def test_dotted_dates_after_week_are_dates_not_a_week_number() -> None:
    tr = spec_of("Revenue for the week 29.12.2025 - 04.01.2026", FINLAND, TODAY).time_range
    assert (tr.start, tr.end) == (date(2025, 12, 29), date(2026, 1, 5))
    assert spec_of("revenue in week 23 of 2026", FINLAND, TODAY).time_range.start == date(2026, 6, 1)


@pytest.mark.parametrize(("question", "other"), [
    ("Juhannus week 2026 (15-21 June) against the 2025 one (16-22 June), revenue", (date(2025, 6, 16),
                                                                                     date(2025, 6, 23))),
    ("revenue in May 2026 vs the one in 2025", (date(2025, 5, 1), date(2025, 6, 1))),
    ("units in March 2026 compared with 2025's", (date(2025, 3, 1), date(2025, 4, 1))),
    ("how did Q1 2026 compare with the 2025 one for units?", (date(2025, 1, 1), date(2025, 4, 1))),
])
def test_the_other_years_one_is_the_same_period_of_that_year(question: str, other: tuple[date, date]) -> None:
    spec = spec_of(question, FINLAND, TODAY)
    assert spec.comparison is not None and spec.comparison.time_range is not None
    assert (spec.comparison.time_range.start, spec.comparison.time_range.end) == other


def test_a_lens_type_is_read_from_the_words_product_names_use() -> None:
    spec = spec_of("Of our lens revenue in 2025, what share is progressives?", FINLAND, TODAY)
    assert spec.share_of_total and set(spec.part.keyword) == {"progres", "varilux"}


def test_a_lens_type_no_product_name_says_is_refused() -> None:
    parsed = parse_question("bifocal revenue in May", FINLAND, TODAY)
    assert parsed.spec is None and "bifocal" in (parsed.refusal or "")


@pytest.mark.parametrize(("question", "measure", "dims"), [
    ("Kamppi: value of the goods on the shelf", "stock_value", ()),
    ("what is the value of the frames in stock", "stock_value", ()),
    ("Which shop holds the most sunglasses right now?", "stock_on_hand", ("store",)),
    ("the two Helsinki shops next to each other, April revenue", "revenue", ("store",)),
    ("How many shops are on our store list, closed ones included?", "store_count", ()),
])
def test_everyday_wordings(question: str, measure: str, dims: tuple[str, ...]) -> None:
    spec = spec_of(question, FINLAND, TODAY)
    assert (spec.measure, tuple(spec.dimensions)) == (measure, dims)


def test_and_a_year_earlier_is_the_same_question_a_year_back() -> None:
    first = spec_of("discounts by brand in May", FINLAND, TODAY)
    spec = spec_of("and a year earlier?", FINLAND, TODAY, first)
    assert spec.comparison is None and spec.time_range.start == date(2025, 5, 1)
    compared = spec_of("and compared with a year earlier?", FINLAND, TODAY, first)
    assert compared.comparison is not None


def test_the_best_average_day_is_each_stores_mean_day() -> None:
    spec = spec_of("Which shop had the best average day in May?", FINLAND, TODAY)
    assert (spec.measure, spec.average_over, tuple(spec.dimensions)) == ("revenue", "day", ("store",))
    assert spec.ranking is not None and spec.ranking.direction == "desc"


@pytest.mark.parametrize(("question", "whole", "part"), [
    ("Of our lens revenue in 2025, what share is progressives?", {"category": ("lenses",)},
     {"keyword": ("progres", "varilux")}),
    ("what share of 2025 revenue was progressive lenses?", {},
     {"category": ("lenses",), "keyword": ("progres", "varilux")}),
    ("what % of revenue did progressives make in May?", {}, {"keyword": ("progres", "varilux")}),
])
def test_a_lens_type_in_a_share_sits_where_it_is_named(question: str, whole: dict, part: dict) -> None:
    spec = spec_of(question, FINLAND, TODAY)
    assert spec.share_of_total
    assert {k: v for k, v in spec.filters.items() if v} == whole
    assert {k: (tuple(sorted(v)) if k == "keyword" else v) for k, v in spec.part.items() if v} == part


def test_the_tenants_own_currency_asked_is_no_spelling_correction() -> None:
    euro = Catalog(stores=FINLAND.stores, products=FINLAND.products, currency="EUR", sales_from=FINLAND.sales_from,
                   sales_to=FINLAND.sales_to)
    parsed = parse_question("Kamppi: value of the goods on the shelf, in euros", euro, TODAY)
    assert parsed.spec is not None and parsed.spec.measure == "stock_value" and parsed.corrected is None
    assert parse_question("revenu in euros last month", euro, TODAY).corrected is not None  # a real typo still is
