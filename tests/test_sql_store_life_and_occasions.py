"""A made-up Mexican chain with a store that closed and one that opened within its data, and everyday wordings of this
round, parser level (not a bench tenant).

- "its last month before we shut it", "the first month after it opened", "its final week of trading": the store's own
  last (first) month / week with sales, read from the data (`Catalog.store_days`); with the month named too ("in
  February, its last month before we shut it") the phrase only comments. A store still trading at the end of the data,
  or no store named, is refused (before: "last month" was read as the calendar's last month, a wrong number).
- Comments on circumstances set off by commas or brackets ("with the works", "given the roadworks", "what with the
  roadworks on the highway") are no filter; "with the discount" still names a measure.
- Occasions with their days in any local way: after a period's possessive ("last summer's rebajas (14 July to 31
  August 2025)", "this year's winter sales (8 January - 28 February)": 2026), in lower case after "the / our" ("the
  spring promo (March 3-16)", "the 2025 soldes (1-14 July)"), with a year after the name ("Harbolnas last year
  (12.12)"), with a weekday in the name ("Black Friday 2025 (28/11)"), over a year end ("Boxing Week 2025 (Dec 26 -
  Jan 1)": from 26 December 2025), with dotted dates ("(1.07-31.08.2025)").
- A city that is itself a state-level place under another code ("Ciudad de México" stored as "DF") counts its
  patients by that state.
- Follow-ups that count the previous question's things: "and how many of them wear progressives?", "and of them, how
  many are over 60?" (the age bands were dropped before), "and how many of them were sunglasses?".
- The chain's name as the subject of the sales ("what did Colibri take in May?") is the company, not a ranking word.
- "July compared with June" in mid-June: both months of last year, never the current month so far against last July.
- "p/ store": per store; "a typical month of sales (the average month)": the mean month.
"""

from __future__ import annotations

from datetime import date

import pytest

from tests.sql_helpers import spec_of
from tools.catalog import Catalog, Product, Store
from tools.sql.parse import parse_question

TODAY = date(2026, 6, 15)
CATALOG = Catalog(stores=(Store("CB-1", "Ópticas Colibri Polanco", "Ciudad de México", "DF"),
                          Store("CB-2", "Ópticas Colibri San Pedro", "Monterrey", "NL"),
                          Store("CB-3", "Ópticas Colibri Paseo Montejo", "Mérida", "YN"),
                          Store("CB-4", "Ópticas Colibri Cumbres", "Monterrey", "NL")),
                  products=(Product("CF-1", "Colibri Alba", "frames", "Colibri"),
                            Product("CS-1", "Colibri Marea", "sunglasses", "Colibri"),
                            Product("CL-1", "Biofinity", "contact_lenses", "CooperVision"),
                            Product("CX-1", "Examen de la Vista", "services", "Colibri")),
                  age_bands=("20-29", "30-39", "60-69", "70-79"), lens_types=("progressive", "single_vision"),
                  patient_states=("DF", "NL", "YN"), tenant_words=frozenset({"colibri", "opticas"}),
                  sales_from=date(2024, 7, 1), sales_to=date(2026, 6, 14),
                  store_days=(("CB-1", date(2024, 7, 1), date(2026, 6, 14)), ("CB-2", date(2024, 7, 2),
                                                                               date(2026, 6, 13)),
                              ("CB-3", date(2024, 7, 1), date(2026, 2, 27)), ("CB-4", date(2025, 10, 6),
                                                                              date(2026, 6, 14))))


def _period(question: str, previous=None) -> tuple[date, date]:
    spec = spec_of(question, CATALOG, TODAY, previous)
    assert spec.time_range is not None, question
    return spec.time_range.start, spec.time_range.end


@pytest.mark.parametrize(("question", "store", "start", "end"), [
    ("How much did Paseo Montejo do in its last month before it closed?", "CB-3", date(2026, 2, 1), date(2026, 3, 1)),
    ("Mérida revenue, last month before closing", "CB-3", date(2026, 2, 1), date(2026, 3, 1)),
    ("sales in the last month before Paseo Montejo closed", "CB-3", date(2026, 2, 1), date(2026, 3, 1)),
    ("units at Paseo Montejo in its final week of trading", "CB-3", date(2026, 2, 23), date(2026, 3, 2)),
    ("how did Cumbres do in its first month?", "CB-4", date(2025, 10, 1), date(2025, 11, 1)),
    ("Cumbres sales in the first month after it opened", "CB-4", date(2025, 10, 1), date(2025, 11, 1)),
    ("How much did Paseo Montejo sell in January, its last month before we shut it?", "CB-3", date(2026, 1, 1),
     date(2026, 2, 1)),
])
def test_a_stores_own_last_or_first_month_comes_from_its_sales(question: str, store: str, start: date,
                                                               end: date) -> None:
    spec = spec_of(question, CATALOG, TODAY)
    stores = set(spec.filters.store) | {s.code for s in CATALOG.stores if s.city in spec.filters.city}
    assert stores == {store}
    assert (spec.time_range.start, spec.time_range.end) == (start, end)


@pytest.mark.parametrize("question", [
    "what did Polanco do in its last month before it closed?",  # still trading at the end of the data
    "what did the new shop do in its first month?",  # no store named
    "what did San Pedro do in its first month after it opened?",  # trading from the data's first days
])
def test_a_stores_edge_month_that_the_data_cannot_say_is_refused(question: str) -> None:
    parsed = parse_question(question, CATALOG, TODAY)
    assert parsed.spec is None and parsed.refusal


def test_last_month_alone_is_still_the_calendars_last_month() -> None:
    assert _period("units last month") == (date(2026, 5, 1), date(2026, 6, 1))
    assert _period("units last week compared with the same week last year")[0] == date(2026, 6, 8)


@pytest.mark.parametrize("question", [
    "How did Polanco do in March, with the roadworks, compared with February?",
    "Polanco revenue in March (given the roadworks) vs February",
    "How did Polanco do in March vs February, what with the roadworks on the avenue?",
])
def test_a_comment_on_circumstances_is_no_filter(question: str) -> None:
    spec = spec_of(question, CATALOG, TODAY)
    assert spec.filters.store == ("CB-1",) and spec.measure == "revenue"
    assert spec.time_range.start == date(2026, 3, 1)
    assert spec.comparison is not None and spec.comparison.time_range.start == date(2026, 2, 1)


def test_a_circumstance_that_names_a_measure_is_kept() -> None:
    spec = spec_of("How did Polanco do in May, with the discount, against April?", CATALOG, TODAY)
    assert spec.measure == "discount_total"


@pytest.mark.parametrize(("question", "start", "last"), [
    ("How much did we give away in discounts during last summer's rebajas (14 July to 31 August 2025)?",
     date(2025, 7, 14), date(2025, 8, 31)),
    ("revenue over this year's winter sales (8 January - 28 February)", date(2026, 1, 8), date(2026, 2, 28)),
    ("How many orders had a discount on them during Harbolnas last year (12.12)?", date(2025, 12, 12),
     date(2025, 12, 12)),
    ("revenue over the spring promo (March 3-16)", date(2026, 3, 3), date(2026, 3, 16)),
    ("discounts given per shop during the 2025 soldes (1 to 14 July)", date(2025, 7, 1), date(2025, 7, 14)),
    ("units during our clearance event, 5 to 12 January", date(2026, 1, 5), date(2026, 1, 12)),
    ("Boxing Week 2025 (Dec 26 - Jan 1) sales by store", date(2025, 12, 26), date(2026, 1, 1)),
    ("revenue during the summer sale (1.07-31.08.2025)", date(2025, 7, 1), date(2025, 8, 31)),
])
def test_an_occasion_is_the_days_written_with_it(question: str, start: date, last: date) -> None:
    spec = spec_of(question, CATALOG, TODAY)
    assert (spec.time_range.start, spec.time_range.end.toordinal() - 1) == (start, last.toordinal())
    assert not spec.filters.keyword and not spec.filters.weekday


def test_the_measure_beside_an_occasion_is_the_one_asked() -> None:
    assert spec_of("revenue over the spring promo (March 3-16)", CATALOG, TODAY).measure == "revenue"


def test_an_occasion_named_with_a_weekday_is_its_days() -> None:
    spec = spec_of("Black Friday 2025 (28/11) vs Black Friday 2024 (29/11): discounts", CATALOG, TODAY)
    assert spec.time_range.start == date(2025, 11, 28) and not spec.filters.weekday
    assert spec.comparison is not None and spec.comparison.time_range.start == date(2024, 11, 29)
    assert spec.comparison.time_range.end == date(2024, 11, 30)


def test_patients_in_a_city_that_is_its_own_state() -> None:
    spec = spec_of("number of patients in Mexico City", CATALOG, TODAY)
    assert spec.measure == "patients" and spec.filters.state == ("DF",) and not spec.filters.city


def test_follow_ups_that_count_the_previous_things() -> None:
    patients = spec_of("How many patients do we have in Nuevo León?", CATALOG, TODAY)
    wear = spec_of("and how many of them wear progressives?", CATALOG, TODAY, patients)
    assert wear.measure == "patients" and wear.filters.state == ("NL",)
    assert wear.filters.lens_type == ("progressive",)
    bare = spec_of("and how many wear progressives?", CATALOG, TODAY, patients)
    assert bare.measure == "patients" and bare.filters.state == ("NL",)
    older = spec_of("and of them, how many are over 60?", CATALOG, TODAY, patients)
    assert older.filters.state == ("NL",) and {"60-69", "70-79"} <= set(older.filters.age_band)
    assert "20-29" not in older.filters.age_band
    units = spec_of("units sold at Polanco last month", CATALOG, TODAY)
    sun = spec_of("and how many of them were sunglasses?", CATALOG, TODAY, units)
    assert sun.measure == "units" and sun.filters.store == ("CB-1",) and sun.filters.category == ("sunglasses",)
    assert sun.time_range.start == date(2026, 5, 1)


@pytest.mark.parametrize("question", ["what did Colibri take in May?", "how did Colibri do in May?"])
def test_the_chains_name_as_the_subject_is_the_company(question: str) -> None:
    spec = spec_of(question, CATALOG, TODAY)
    assert spec.ranking is None and not spec.dimensions and not spec.filters.brand
    assert spec.time_range.start == date(2026, 5, 1)


def test_two_bare_months_in_mid_june_are_both_last_years() -> None:
    spec = spec_of("July vs June revenue", CATALOG, TODAY)
    assert spec.time_range.start == date(2025, 7, 1)
    assert spec.comparison.time_range.start == date(2025, 6, 1)
    spec = spec_of("May vs April revenue", CATALOG, TODAY)
    assert (spec.time_range.start, spec.comparison.time_range.start) == (date(2026, 5, 1), date(2026, 4, 1))


def test_p_slash_is_per_and_a_typical_month_glossed_as_average() -> None:
    assert spec_of("revenue p/ store in May", CATALOG, TODAY).dimensions == ("store",)
    spec = spec_of("for each store, what was a typical month of sales in 2025 (the average month)?", CATALOG, TODAY)
    assert spec.average_over == "month" and spec.dimensions == ("store",)


@pytest.mark.parametrize(("question", "start", "end"), [
    ("revenue in the last month of 2025", date(2025, 12, 1), date(2026, 1, 1)),
    ("revenue in the first month of 2026", date(2026, 1, 1), date(2026, 2, 1)),
    ("units in the final quarter of 2025", date(2025, 10, 1), date(2026, 1, 1)),
    ("revenue in the last month of Q1", date(2026, 3, 1), date(2026, 4, 1)),
    ("revenue in the last month of last year", date(2025, 12, 1), date(2026, 1, 1)),
])
def test_the_first_or_last_unit_of_a_period(question: str, start: date, end: date) -> None:
    assert _period(question) == (start, end)


def test_questions_in_the_tenants_language_with_comparisons_and_patients() -> None:
    spec = spec_of("fatturato di Polanco ad aprile, rispetto a marzo", CATALOG, TODAY)
    assert spec.filters.store == ("CB-1",) and spec.time_range.start == date(2026, 4, 1)
    assert spec.comparison is not None and spec.comparison.time_range.start == date(2026, 3, 1)
    patients = spec_of("¿cuántos pacientes tenemos en Nuevo León?", CATALOG, TODAY)
    assert patients.measure == "patients" and patients.filters.state == ("NL",)
    assert spec_of("Umsatz in Yucatán im letzten Quartal", CATALOG, TODAY).time_range.start == date(2026, 1, 1)


SPAIN = Catalog(stores=(Store("LR-1", "Óptica Lirio Deusto", "Bilbao", "PV"),
                        Store("LR-2", "Óptica Lirio Gros", "San Sebastián", "PV"),
                        Store("LR-3", "Óptica Lirio Sol", "Madrid", "MD")),
                products=(Product("LF-1", "Lirio Deusto", "frames", "Lirio"),
                          Product("LX-1", "Revisión Visual", "services", "Lirio")),
                tenant_words=frozenset({"lirio", "optica"}), sales_from=date(2024, 7, 1), sales_to=date(2026, 6, 14))


def test_a_region_by_its_name_in_its_own_language() -> None:
    assert spec_of("Euskadi units last month", SPAIN, TODAY).filters.state == ("PV",)


def test_a_store_or_model_name_with_a_category_no_such_model_is_in_is_the_store() -> None:
    spec = spec_of("how much of Deusto's 2025 revenue came from services", SPAIN, TODAY)
    assert spec.filters.store == ("LR-1",) and spec.share_of_total and spec.part.category == ("services",)
    assert parse_question("Deusto sales in May", SPAIN, TODAY).spec is None  # either one: asked back


@pytest.mark.parametrize("question", ["descuentos en las rebajas de verano 2025 (1/7 - 31/8)",
                                      "sconti durante i saldi estivi 2025 (1 luglio - 31 agosto)"])
def test_a_sales_season_named_in_the_tenants_language_with_its_days(question: str) -> None:
    spec = spec_of(question, CATALOG, TODAY)
    assert spec.measure == "discount_total" and not spec.filters.keyword
    assert (spec.time_range.start, spec.time_range.end) == (date(2025, 7, 1), date(2025, 9, 1))


def test_patients_in_a_city_named_like_its_province_with_other_cities_is_refused() -> None:
    quebec = Catalog(stores=(Store("MV-1", "Optique Mauve Limoilou", "Québec", "QC"),
                             Store("MV-2", "Optique Mauve Laval", "Laval", "QC"),
                             Store("MV-3", "Optique Mauve Moncton", "Moncton", "NB")),
                     patient_states=("QC", "NB"), tenant_words=frozenset({"mauve"}))
    assert parse_question("patients in Quebec City", quebec, TODAY).spec is None
    assert spec_of("patients in the province of Quebec", quebec, TODAY).filters.state == ("QC",)
