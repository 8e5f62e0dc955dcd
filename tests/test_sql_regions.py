"""States, provinces, counties and other state-level places in SQL questions: the words for the dimension in many
countries ("by province", "per canton", "each emirate's share"), full subdivision names matched to the codes a tenant
stores and codes matched to stored names (ISO 3166-2 via pycountry, tools/sql/regions.py), ambiguous names asked
about, names of places the tenant has no store in refused; plus a "how many" in a second clause counting, and named
days ("since Easter"). Parser tests use made-up in-memory catalogs; one test runs end to end on the demo database."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
import sqlalchemy as sa

from db import registry
from db.engine import admin_engine
from tests.sql_helpers import spec_of
from tools.catalog import Catalog, Product, Store, load_catalog
from tools.sql.parse import parse_question
from tools.sql.regions import region_index
from tools.sql.sentences import interpretation, unresolved_message
from tools.sql.spec import Filters
from tools.sql_tool import run_sql_tool

TODAY = date(2026, 6, 15)
_PRODUCTS = (Product("WB-1", "Wattle Bay Round 48", "frames", "Wattle Bay"),
             Product("SN-2", "Sundowner Drift", "sunglasses", "Sundowner"),
             Product("LN-3", "Clearview Single Vision 1.5", "lenses", "Clearview"))


def _catalog(stores: list[tuple[str, str, str]], patient_states: tuple[str, ...] = ()) -> Catalog:
    return Catalog(stores=tuple(Store(code, f"Gumtree Eyes {city}", city, state) for code, city, state in stores),
                   products=_PRODUCTS, patient_states=patient_states, tenant_words=frozenset({"gumtree"}),
                   sales_from=date(2024, 7, 1), sales_to=date(2026, 6, 10))


AU = _catalog([("GE-01", "Parramatta", "NSW"), ("GE-02", "Wollongong", "NSW"), ("GE-03", "Geelong", "VIC"),
               ("GE-04", "Ballarat", "VIC"), ("GE-05", "Toowoomba", "QLD")])
US = _catalog([("GE-11", "Medford", "OR"), ("GE-12", "Bend", "OR"), ("GE-13", "Modesto", "CA"),
               ("GE-14", "Carson City", "NV")])
# stored as full names, two countries: a code written in the question may fit both
INTL = _catalog([("GE-21", "Fremantle", "Western Australia"), ("GE-22", "Tacoma", "Washington"),
                 ("GE-23", "Bendigo", "Victoria"), ("GE-24", "Eugene", "Oregon")])
# a Benelux chain: Dutch Limburg (NL-LI) and Belgian Limburg (BE-VLI) stored as codes, plus one code of each country
BENELUX = _catalog([("GE-31", "Maastricht", "LI"), ("GE-32", "Hasselt", "VLI"), ("GE-33", "Utrecht", "UT"),
                    ("GE-34", "Antwerpen", "VAN")])


def _spec(question: str, catalog: Catalog):
    return spec_of(question, catalog, TODAY)


@pytest.mark.parametrize("question", [
    "net sales per state for the 2025 calendar year",
    "show me revenue broken down by territory in 2025",
    "revenue for each province last year",
    "units across regions in 2025",
    "sunglasses units by county, 2025",
    "revenue per canton last year",
    "what did each emirate bring in during 2025",
    "turnover by Bundesland in 2025",
    "revenue by prefecture in 2025",
    "units by département in 2025",
])
def test_every_country_word_for_the_state_level_is_the_state_dimension(question: str) -> None:
    spec = _spec(question, AU)
    assert spec.dimensions == ("state",)


def test_region_words_in_shares_counts_and_pairs() -> None:
    share = _spec("what slice of 2025 revenue did each territory's stores take", AU)
    assert share.dimensions == ("state",) and share.share_of_total
    assert _spec("how many stores have we got per province", AU).measure == "store_count"
    pair = _spec("every pairing of brand and state, units in 2025", AU)
    assert set(pair.dimensions) == {"brand", "state"}
    months = _spec("revenue by territory by month in 2025", AU)
    assert months.dimensions == ("state", "month")
    # "department" is still the product category, "regional" is still not read as a breakdown
    assert _spec("revenue by department in 2025", AU).dimensions == ("category",)
    assert parse_question("regional breakdown of revenue", AU, TODAY).spec is None


def test_australian_full_names_and_codes_match_the_stored_codes() -> None:
    assert _spec("units sold in New South Wales in March 2026", AU).filters == Filters(state=("NSW",))
    both = _spec("revenue in Victoria vs Queensland in 2025", AU)
    assert set(both.filters.state) == {"VIC", "QLD"} and both.dimensions == ("state",)
    assert _spec("stock on hand across our QLD stores", AU).filters == Filters(state=("QLD",))
    assert _spec("what did the VIC stores take in 2025", AU).filters == Filters(state=("VIC",))
    assert _spec("units in nsw and qld last month", AU).filters.state in (("NSW", "QLD"), ("QLD", "NSW"))
    typo = parse_question("revenue in New South Whales in 2025", AU, TODAY)
    assert typo.spec is not None and typo.spec.filters == Filters(state=("NSW",))
    share = _spec("what proportion of all 2025 takings came from Victoria", AU)
    assert share.share_of_total and share.part == Filters(state=("VIC",))


def test_us_full_state_names_match_the_stored_codes_and_the_answer_names_them() -> None:
    spec = _spec("how many frames did we sell in Oregon in 2025", US)
    assert spec.filters == Filters(state=("OR",), category=("frames",))
    assert "Oregon (OR)" in interpretation(spec, US)
    assert _spec("California revenue for Q1 2026", US).filters == Filters(state=("CA",))
    assert _spec("units in nevada last month", US).filters == Filters(state=("NV",))


def test_stored_full_names_are_found_by_name_and_by_code() -> None:
    assert _spec("revenue in Oregon in 2025", INTL).filters == Filters(state=("Oregon",))
    assert _spec("revenue in OR in 2025", INTL).filters == Filters(state=("Oregon",))
    assert _spec("units in VIC in 2025", INTL).filters == Filters(state=("Victoria",))


def test_a_code_or_name_that_fits_two_stored_places_is_asked_about_never_guessed() -> None:
    code = parse_question("units in WA in 2025", INTL, TODAY)
    assert code.spec is None and [(u.kind, set(u.options)) for u in code.unresolved] == [
        ("ambiguous_state", {"Western Australia", "Washington"})]
    message = unresolved_message(code.unresolved, INTL)
    assert "Western Australia" in message and "Washington" in message and "Which one" in message
    name = parse_question("sunglasses revenue in Limburg last year", BENELUX, TODAY)
    assert name.spec is None and [(u.kind, u.options) for u in name.unresolved] == [
        ("ambiguous_state", ("LI", "VLI"))]
    assert _spec("sunglasses revenue in LI last year", BENELUX).filters.state == ("LI",)


def test_a_place_the_tenant_has_no_store_in_is_refused_as_before() -> None:
    for question, catalog in (("revenue in Tasmania in 2025", AU), ("units sold in Washington last year", AU),
                              ("revenue in Western Australia in 2025", US), ("frames sold in Ontario", US)):
        parsed = parse_question(question, catalog, TODAY)
        assert parsed.spec is None and parsed.unresolved, question


def test_a_place_of_the_same_country_without_a_store_is_refused_in_lower_case_too() -> None:
    for question in ("revenue in tasmania in 2025", "how many frames did we sell in the northern territory",
                     "units sold in western australia last month"):
        parsed = parse_question(question, AU, TODAY)
        assert parsed.spec is None and [u.kind for u in parsed.unresolved] == ["city"], question
        assert "None of your stores is in" in unresolved_message(parsed.unresolved, AU)
    assert _spec("revenue in victoria in 2025", AU).filters == Filters(state=("VIC",))


def test_region_index_reads_the_country_from_the_stored_codes() -> None:
    canada = region_index(("AB", "BC", "NS", "ON"))
    assert canada.countries == ("CA",) and canada.aliases["nova scotia"] == "NS" and canada.names["ON"] == "Ontario"
    australia = region_index(("NSW", "VIC", "WA"))
    assert australia.countries == ("AU",) and australia.names["WA"] == "Western Australia"
    assert "washington" not in australia.aliases
    us = region_index(("CA", "OR", "WA"))
    assert us.aliases["washington"] == "WA" and "western australia" not in us.aliases
    lone = region_index(("WA",))  # nothing else decides: both names, and no single display name
    assert lone.aliases["washington"] == lone.aliases["western australia"] == "WA" and "WA" not in lone.names
    germany = region_index(("BY", "BE", "HH"))
    assert germany.aliases["bavaria"] == germany.aliases["bayern"] == "BY"
    swiss = region_index(("ZH", "GE", "VD"))
    assert swiss.aliases["zurich"] == swiss.aliases["zürich"] == "ZH"
    assert region_index(()).aliases == {}


def test_how_many_in_a_second_sentence_counts_instead_of_listing() -> None:
    listing = _spec("what's out of stock at Geelong", AU)
    assert listing.measure == "items_out_of_stock" and listing.dimensions == ("product",)
    counted = _spec("what's out of stock at Geelong? how many lines is that", AU)
    assert counted.measure == "items_out_of_stock" and counted.dimensions == ()
    assert _spec("what's running low in Ballarat - give me a count", AU).dimensions == ()


@pytest.mark.parametrize(("question", "start", "end"), [
    ("revenue since Easter", date(2026, 4, 5), date(2026, 6, 16)),
    ("units sold since Christmas", date(2025, 12, 25), date(2026, 6, 16)),
    ("revenue after Easter 2025", date(2025, 4, 21), date(2026, 6, 16)),
    ("revenue since New Year's Day", date(2026, 1, 1), date(2026, 6, 16)),
    ("units since Christmas Eve", date(2025, 12, 24), date(2026, 6, 16)),  # one day, whatever the business
])
def test_a_named_day_that_starts_an_open_range_is_its_date(question: str, start: date, end: date) -> None:
    spec = _spec(question, AU)
    assert spec.time_range is not None and (spec.time_range.start, spec.time_range.end) == (start, end)


@pytest.mark.parametrize("question", ["Christmas sales last year", "units over the Christmas period",
                                      "revenue over the Easter long weekend",
                                      # the list has Easter Monday alone under "Easter": "over" means more days
                                      "revenue over Easter"])
def test_a_holiday_as_a_period_is_still_refused(question: str) -> None:
    parsed = parse_question(question, AU, TODAY)
    assert parsed.spec is None and parsed.refusal and "did not guess" in parsed.refusal


def test_a_holiday_named_alone_is_the_days_the_holidays_package_lists() -> None:
    # (tools/sql/occasions.py) Australia's national list has Easter Monday under the name "Easter": "on Easter
    # Monday" is that day
    spec = _spec("revenue on Easter Monday", AU)
    assert spec.time_range is not None and (spec.time_range.start, spec.time_range.end) == (date(2026, 4, 6),
                                                                                               date(2026, 4, 7))
    assert spec.time_range.label.startswith("Easter Monday (2026-04-06")


def test_full_state_name_end_to_end_matches_independent_sql(demo: dict) -> None:
    """On the demo tenant (US states stored as codes): a question naming a state in full answers for its code."""
    me = registry.principal_for("ava.admin@northwind-optics.example")
    catalog = load_catalog(me)
    regions = region_index(catalog.states)
    code = sorted({s.state for s in catalog.stores})[0]
    name = regions.names[code]
    result = run_sql_tool(me, f"revenue in {name} in 2025", today=date(2026, 11, 15))
    assert result.spec is not None and result.spec.filters.state == (code,), result.answer_text
    assert f"{name} ({code})" in result.interpretation
    with admin_engine().connect() as conn:
        expected = conn.execute(sa.text(
            "SELECT COALESCE(SUM(s.quantity * s.unit_price - s.discount), 0) FROM sales s JOIN stores st "
            "ON st.tenant_id = s.tenant_id AND st.store_code = s.store_code WHERE s.tenant_id = :tid "
            "AND st.state = :code AND s.sold_at >= DATE '2025-01-01' AND s.sold_at < DATE '2026-01-01'"),
            {"tid": me.tenant_id, "code": code}).scalar_one()
    got = result.rows[0][result.columns.index("revenue")]
    assert Decimal(str(got)).quantize(Decimal("0.01")) == Decimal(str(expected)).quantize(Decimal("0.01"))


def test_outside_a_place_leaves_it_out() -> None:
    spec = _spec("revenue outside New South Wales in 2025", AU)
    assert spec.filters == Filters() and spec.exclude == Filters(state=("NSW",))
    assert _spec("units sold outside of Geelong last year", AU).exclude == Filters(store=("GE-03",))
    assert _spec("revenue excluding Victoria and QLD in 2025", AU).exclude.state in (("VIC", "QLD"), ("QLD", "VIC"))


def test_a_breakdown_by_state_names_each_state_in_the_sentence(demo: dict) -> None:
    me = registry.principal_for("ava.admin@northwind-optics.example")
    regions = region_index(load_catalog(me).states)
    result = run_sql_tool(me, "revenue per state in 2025", today=date(2026, 11, 15))
    assert result.spec is not None and result.spec.dimensions == ("state",), result.answer_text
    top = result.rows[0][result.columns.index("state")]
    assert f"{regions.names[top]} ({top})" in result.summary
