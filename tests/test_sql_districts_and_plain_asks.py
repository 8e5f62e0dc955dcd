"""A made-up Cypriot chain (its country calls its first-level subdivisions districts) and everyday wordings of this
round, parser and compiler level (not a bench tenant).

- "per district", "which district", "the Pafos district": the state-level places of a tenant whose country's ISO
  3166-2 subdivisions are districts (before: "district" was refused, "the Pafos district" read as the Pafos shop).
- A word of a multi-word city named alone ("Napa revenue" for Agia Napa) is refused, never dropped (before: the
  whole company's revenue).
- In a comparison ranked by change, a store with no sales in the later period counts from zero: it fell by all it
  sold (before: its NULL change ranked it after every other store).
- "customers by age band", "how many clients do we have on file": only patient records hold these, so they are
  patients (before: refused).
- "How did Pafos do?" with no period asks for one (before: answered over the whole history); "Larnaka, last week
  against the week before" is the shop's takings against the previous week (before: refused, no measure).
- "sold in Paralimni" where Paralimni is only a frame model's name and a town: a place the chain has no store in,
  refused (before: the model's sales).
- A category restated in brackets ("contact lenses (the lenses themselves)") adds no category; "July+August"; a
  hedged remark in brackets ("(Sunday, so only the mall I guess)") is no condition; occasions named kind first
  ("the rebajas de invierno (8/01 a 28/02)") with a local "to" between their days; "open or closed".
"""

from __future__ import annotations

from datetime import date

import pytest

from tests.sql_helpers import spec_of
from tools.catalog import Catalog, Product, Store
from tools.sql.compile import compile_spec
from tools.sql.parse import parse_question
from tools.sql.regions import catalog_regions

TODAY = date(2026, 6, 15)
CATALOG = Catalog(stores=(Store("KP-1", "Optika Kypros Ledra", "Lefkosia", "LF"),
                          Store("KP-2", "Optika Kypros Lemesos Marina", "Lemesos", "LM"),
                          Store("KP-3", "Optika Kypros Larnaka", "Larnaka", "LR"),
                          Store("KP-4", "Optika Kypros Pafos", "Pafos", "PF"),
                          Store("KP-5", "Optika Kypros Napa", "Agia Napa", "AM"),
                          Store("KP-6", "Optika Kypros Polis", "Polis Chrysochous", "PF")),
                  products=(Product("KF-1", "Kypros Paralimni", "frames", "Kypros"),
                            Product("KS-1", "Kypros Thalassa", "sunglasses", "Kypros"),
                            Product("KC-1", "Dailies Total 1", "contact_lenses", "Alcon"),
                            Product("KL-1", "Kypros Single Vision 1.5", "lenses", "Kypros"),
                            Product("KX-1", "Exame Visual Completo", "services", "Kypros")),
                  tenant_words=frozenset({"kypros"}), sales_from=date(2024, 9, 2), sales_to=date(2026, 6, 14))


def test_a_district_country_names_its_regions_districts() -> None:
    assert catalog_regions(CATALOG).word() == ("district", "districts")
    assert spec_of("takings per district in 2025", CATALOG, TODAY).dimensions == ("state",)
    ranked = spec_of("which district sold the most frames last month?", CATALOG, TODAY)
    assert ranked.dimensions == ("state",) and ranked.ranking is not None


def test_a_shop_named_after_its_town_with_the_region_noun_is_the_region() -> None:
    assert spec_of("revenue in the Pafos district last year", CATALOG, TODAY).filters.state == ("PF",)
    assert spec_of("revenue of the Pafos shop last year", CATALOG, TODAY).filters.store == ("KP-4",)


def test_a_word_of_a_multi_word_city_alone_is_refused_not_dropped() -> None:
    parsed = parse_question("Agia revenue for 2025", CATALOG, TODAY)
    assert parsed.spec is None
    assert spec_of("Agia Napa revenue for 2025", CATALOG, TODAY).filters.city == ("Agia Napa",)


def test_a_fall_ranking_counts_an_empty_later_period_as_zero() -> None:
    spec = spec_of("which 2 shops fell the most in May compared with May 2025?", CATALOG, TODAY)
    assert spec.ranking is not None and spec.ranking.by == "change" and spec.ranking.direction == "asc"
    sql = compile_spec(spec).sql.upper()
    assert sql.count("COALESCE(SUM(") >= 2  # the May total and the May 2025 total both count from zero


@pytest.mark.parametrize("question", ["customers by age band", "how many clients do we have on file",
                                      "age groups of our customers"])
def test_customers_with_what_only_patient_records_hold_are_patients(question: str) -> None:
    assert spec_of(question, CATALOG, TODAY).measure == "patients"


def test_customers_alone_are_still_not_patients() -> None:
    assert parse_question("how many customers did we have last month", CATALOG, TODAY).spec is None


def test_how_a_shop_did_needs_a_period() -> None:
    parsed = parse_question("How did Larnaka do?", CATALOG, TODAY)
    assert parsed.spec is None and "period" in (parsed.refusal or "")
    assert spec_of("How did Larnaka do last month?", CATALOG, TODAY).measure == "revenue"


def test_a_shop_against_the_period_before_is_its_takings() -> None:
    spec = spec_of("Larnaka, last week against the week before", CATALOG, TODAY)
    assert spec.measure == "revenue" and spec.filters.store == ("KP-3",) and spec.comparison is not None
    assert spec.comparison.time_range is not None and spec.comparison.time_range.start == date(2026, 6, 1)


def test_sold_in_a_town_that_is_only_a_model_name_is_refused() -> None:
    assert parse_question("how much did we sell in Paralimni last month?", CATALOG, TODAY).spec is None
    assert spec_of("units of the Paralimni frame last month", CATALOG, TODAY).filters.product == ("KF-1",)


def test_a_category_restated_in_brackets_adds_none() -> None:
    spec = spec_of("revenue from contact lenses in Q1 (the lenses themselves, not the fitting)", CATALOG, TODAY)
    assert spec.filters.category == ("contact_lenses",)


def test_a_plus_between_months_is_and() -> None:
    spec = spec_of("discount rate on sunglasses in July+August 2025", CATALOG, TODAY)
    assert spec.time_range is not None
    assert (spec.time_range.start, spec.time_range.end) == (date(2025, 7, 1), date(2025, 9, 1))


def test_an_eye_exam_named_in_portuguese_is_the_exam() -> None:
    assert spec_of("eye exams done in Larnaka last month", CATALOG, TODAY).filters.product == ("KX-1",)


@pytest.mark.parametrize(("question", "start", "end"), [
    ("How much did we make in the rebajas de invierno last year (8/01 a 28/02)?", date(2025, 1, 8), date(2025, 3, 1)),
    ("total discounts in the spring saldos (1/04/2025 - 15/04/2025)", date(2025, 4, 1), date(2025, 4, 16)),
    ("What did we bill on Dia da Independencia last year, 1/10/2025?", date(2025, 10, 1), date(2025, 10, 2)),
])
def test_an_occasion_named_the_local_way_is_its_days(question: str, start: date, end: date) -> None:
    spec = spec_of(question, CATALOG, TODAY)
    assert spec.time_range is not None and (spec.time_range.start, spec.time_range.end) == (start, end)


def test_a_shop_month_by_month_is_its_takings() -> None:
    spec = spec_of("Lemesos Marina month by month this year", CATALOG, TODAY)
    assert spec.measure == "revenue" and spec.dimensions == ("month",) and spec.filters.store == ("KP-2",)


def test_open_or_closed_is_every_store() -> None:
    assert spec_of("how many shops are on our books, open or closed", CATALOG, TODAY).measure == "store_count"


def test_a_hedged_remark_in_brackets_is_no_condition() -> None:
    spec = spec_of("What did we take yesterday (Sunday, so only the marina shop I guess)?", CATALOG, TODAY)
    assert spec.time_range is not None and spec.time_range.start == date(2026, 6, 14) and not spec.filters.store
