"""Financial years and Indian-English wordings, parser level (a made-up Indian chain and a made-up Australian one, not
bench tenants).

- "FY 2025-26", "FY26", "last financial year", "the FY before", "Q1 FY26", "FYTD": the financial year the law fixes
  in the tenant's country (India: from 1 April), glossed with its days in the interpretation line (before: refused,
  or "FY 2025-26" read as a store).
- A country whose companies choose their own year (the US, Australia): asked, never read as the calendar year;
  `SIGHTLINE_FISCAL_YEAR_START` sets the first day. A split year where the year is the calendar year: asked.
- "the Diwali Bonanza last year (11-20 Oct)": an event named after a holiday is the dates given, not the holiday.
- "branch-wise", "month wise", "revenue-wise": "by branch", "by month", "revenue" (before: refused, or "revenues").
- "state x category": a breakdown by both; "lens types of our patients": by lens type (before: one total).
- "average bill value", "invoice lines": the average order value, order lines (before: refused / orders).
- "our Jodhpur branch" where Jodhpur is only a word of product names: no such store, refused (before: the products'
  sales); "how did the Pune branches do": the named set's total (before: one row per branch).
- "13-17 Aug last year", "the last 5 days of May": those days (before: refused). "both branches I mean" is an
  aside, not the statistic; "this year v. last year" compares (before: refused).
- A state code only a country none of the cities is in also has ("TG": Telangana since 2023, Thurgau in pycountry):
  the cities' country is the tenant's (before: two countries, so no currency, holidays or financial year).
"""

from __future__ import annotations

from datetime import date

import pytest

from tests.sql_helpers import spec_of
from tools.catalog import Catalog, Product, Store
from tools.sql.fiscal import fiscal_year_dates
from tools.sql.parse import parse_question
from tools.sql.regions import catalog_regions

TODAY = date(2026, 6, 15)
INDIA = Catalog(stores=(Store("MO-1", "Mor Optics Kothrud", "Pune", "MH"),
                        Store("MO-2", "Mor Optics Camp", "Pune", "MH"),
                        Store("MO-3", "Mor Optics Jubilee Hills", "Hyderabad", "TG"),
                        Store("MO-4", "Mor Optics Indiranagar", "Bengaluru", "KA"),
                        Store("MO-5", "Mor Optics Salt Lake", "Kolkata", "WB")),
                products=(Product("MF-1", "Mor Jodhpur Classic", "frames", "Mor"),
                          Product("MF-2", "Mor Jodhpur Slim", "frames", "Mor"),
                          Product("MC-1", "Biofinity", "contact_lenses", "CooperVision"),
                          Product("ML-1", "Mor Single Vision 1.6", "lenses", "Mor")),
                lens_types=("single_vision", "progressive"), patient_states=("MH", "KA", "TG", "WB"),
                tenant_words=frozenset({"mor"}), sales_from=date(2023, 4, 1), sales_to=date(2026, 6, 14))
AUSTRALIA = Catalog(stores=(Store("WB-1", "Wombat Eyes Fremantle", "Fremantle", "WA"),
                            Store("WB-2", "Wombat Eyes Subiaco", "Perth", "WA"),
                            Store("WB-3", "Wombat Eyes Glenelg", "Adelaide", "SA")),
                    products=(Product("WF-1", "Wombat Banksia", "frames", "Wombat"),),
                    tenant_words=frozenset({"wombat"}), sales_from=date(2023, 7, 1), sales_to=date(2026, 6, 14))
USA = Catalog(stores=(Store("PR-1", "Prairie Optical Tulsa", "Tulsa", "OK"),
                      Store("PR-2", "Prairie Optical Wichita", "Wichita", "KS")),
              products=(Product("PF-1", "Prairie Sooner", "frames", "Prairie"),),
              tenant_words=frozenset({"prairie"}), sales_from=date(2023, 1, 2), sales_to=date(2026, 6, 14))


def _days(question: str, catalog: Catalog = INDIA) -> tuple[date, date]:
    spec = spec_of(question, catalog, TODAY)
    assert spec.time_range is not None, question
    return spec.time_range.start, spec.time_range.end - __import__("datetime").timedelta(days=1)


def test_the_cities_country_wins_over_a_code_only_another_country_has() -> None:
    assert catalog_regions(INDIA).countries == ("IN",)


@pytest.mark.parametrize(("question", "first", "last"), [
    ("revenue for FY 2025-26", date(2025, 4, 1), date(2026, 3, 31)),
    ("Pune sales, FY2024/25", date(2024, 4, 1), date(2025, 3, 31)),
    ("units in FY26", date(2025, 4, 1), date(2026, 3, 31)),
    ("revenue last financial year", date(2025, 4, 1), date(2026, 3, 31)),
    ("orders in the previous FY", date(2025, 4, 1), date(2026, 3, 31)),
    ("revenue Q3 FY26", date(2025, 10, 1), date(2025, 12, 31)),
    ("discounts in the 2025-26 financial year", date(2025, 4, 1), date(2026, 3, 31)),
])
def test_indian_financial_years(question: str, first: date, last: date) -> None:
    assert _days(question) == (first, last)


def test_this_financial_year_is_so_far_and_is_glossed() -> None:
    parsed = parse_question("FYTD revenue", INDIA, TODAY)
    assert parsed.spec is not None and parsed.spec.time_range is not None
    assert parsed.spec.time_range.start == date(2026, 4, 1)
    assert "FYTD (2026-04-01 to 2026-06-15)" in (parsed.spec.time_range.label or "")


def test_last_fy_against_the_one_before() -> None:
    spec = spec_of("last FY vs the FY before, net sales", INDIA, TODAY)
    assert spec.time_range is not None and spec.time_range.start == date(2025, 4, 1)
    assert spec.comparison is not None and spec.comparison.time_range is not None
    assert spec.comparison.time_range.start == date(2024, 4, 1)


@pytest.mark.parametrize(("question", "catalog"), [
    ("revenue last fiscal year", USA),
    ("top 2 WA stores by takings last financial year", AUSTRALIA),  # July-June is usual there, not the law
])
def test_a_country_whose_companies_choose_their_year_is_asked(question: str, catalog: Catalog) -> None:
    parsed = parse_question(question, catalog, TODAY)
    assert parsed.spec is None and "financial year starts" in (parsed.refusal or "")


def test_the_setting_names_the_first_day() -> None:
    read = fiscal_year_dates("revenue last fiscal year", ("US",), TODAY, start="10-01")
    assert read.text == "revenue from 2024-10-01 to 2025-09-30" and read.unknown is None
    read = fiscal_year_dates("units FY25 by store", ("AU",), TODAY, start="07-01")
    assert read.text == "units from 2024-07-01 to 2025-06-30 by store"


def test_a_calendar_year_country_has_no_split_year() -> None:
    assert fiscal_year_dates("revenue FY 2025", ("MX",), TODAY).text == "revenue from 2025-01-01 to 2025-12-31"
    assert fiscal_year_dates("revenue FY 2025/26", ("MX",), TODAY).unknown == "FY 2025/26"


def test_an_event_named_after_a_holiday_keeps_the_dates_given() -> None:
    spec = spec_of("discounts in the Diwali Bonanza last year (11-20 Oct)", INDIA, TODAY)
    assert spec.time_range is not None and spec.time_range.start == date(2025, 10, 11)
    assert spec.time_range.end == date(2025, 10, 21)


@pytest.mark.parametrize(("question", "dims"), [
    ("Revenue branch-wise for May", ("store",)),
    ("give me 2025 month wise sales", ("month",)),
    ("2025 sales: state x category", ("state", "category")),
    ("lens types of our Karnataka patients", ("lens_type",)),
])
def test_breakdowns_written_the_indian_english_way(question: str, dims: tuple[str, ...]) -> None:
    assert spec_of(question, INDIA, TODAY).dimensions == dims


def test_measure_wise_and_bills() -> None:
    assert spec_of("how did May go, revenue-wise?", INDIA, TODAY).measure == "revenue"
    assert spec_of("average bill value last month", INDIA, TODAY).measure == "avg_order_value"
    assert spec_of("how many invoice lines did we punch in last month", INDIA, TODAY).measure == "order_lines"


def test_a_branch_named_after_a_product_word_is_no_store() -> None:
    parsed = parse_question("sales at our Jodhpur branch last month", INDIA, TODAY)
    assert parsed.spec is None


def test_how_a_named_set_of_branches_did_is_its_total() -> None:
    spec = spec_of("How did the Pune branches do in May?", INDIA, TODAY)
    assert spec.dimensions == () and spec.filters.city == ("Pune",)
    assert spec_of("How did our branches do in May?", INDIA, TODAY).dimensions == ("store",)


def test_days_of_a_month_in_a_relative_year() -> None:
    assert _days("sales 13-17 Aug last year") == (date(2025, 8, 13), date(2025, 8, 17))
    assert _days("units in the last 5 days of May") == (date(2026, 5, 27), date(2026, 5, 31))
    assert _days("revenue for the first three days of June") == (date(2026, 6, 1), date(2026, 6, 3))


def test_a_total_against_a_figure_in_lakh() -> None:
    spec = spec_of("did Kothrud do more than ₹2 lakh last month?", INDIA, TODAY)
    assert spec.measure == "revenue" and spec.filters.store == ("MO-1",)
    assert spec_of("did we cross ₹20,00,000 in sales in March?", INDIA, TODAY).measure == "revenue"


def test_a_bracket_of_own_names_glosses_the_words_before_it() -> None:
    spec = spec_of("revenue of the Deccan cluster last month (Pune + Hyderabad)", INDIA, TODAY)
    assert set(spec.filters.city) == {"Pune", "Hyderabad"}
    assert spec_of("how many eye checks (Biofinity) in May", INDIA, TODAY).filters.product == ("MC-1",)


def test_an_aside_and_a_lone_v() -> None:
    spec = spec_of("Pune takings for last week, both branches I mean", INDIA, TODAY)
    assert spec.measure == "revenue" and spec.filters.city == ("Pune",)
    spec = spec_of("frames revenue April-May this year v. last year", INDIA, TODAY)
    assert spec.comparison is not None and spec.comparison.time_range is not None
    assert spec.comparison.time_range.start == date(2025, 4, 1)


def test_a_year_that_starts_on_a_months_last_day_has_whole_quarters() -> None:
    read = fiscal_year_dates("revenue Q4 FY26", ("US",), TODAY, start="07-31")
    assert read.text == "revenue from 2026-04-30 to 2026-07-30"  # no 31 April: the quarter starts on the 30th


def test_a_number_before_a_bracket_of_own_names_is_no_crash() -> None:
    parsed = parse_question("how many xyzzy 12 (Biofinity) in May", INDIA, TODAY)  # was an AttributeError
    assert parsed.spec is None or parsed.spec.filters.product == ("MC-1",)


def test_a_count_over_an_amount_stays_a_condition() -> None:
    # "how many orders did we take over ₹5,000": orders above that each (not applied: refused), never all orders
    assert parse_question("how many orders did we take over ₹5,000 in May?", INDIA, TODAY).spec is None
    assert spec_of("did we take over ₹5,00,000 in May?", INDIA, TODAY).measure == "revenue"
