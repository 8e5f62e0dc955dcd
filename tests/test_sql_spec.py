"""The semantic layer without a database: question -> spec (deterministic parser on an in-memory catalog), spec ->
guarded SQL (compiler), the spec's own checks and JSON schema, and the answer sentence from a spec and rows."""

from __future__ import annotations

import re
from datetime import date
from decimal import Decimal

import pytest

from tools.catalog import Catalog, Product, Store
from tools.sql.compile import compile_spec
from tools.sql.entities import correct_typos
from tools.sql.parse import parse_question
from tools.sql.sentences import interpretation, sentence
from tools.sql.spec import (
    DIMENSIONS,
    MEASURES,
    Comparison,
    Filters,
    QuerySpec,
    Ranking,
    SpecError,
    TimeRange,
    check_spec,
    spec_json_schema,
)
from tools.sql_guard import validate_sql

TODAY = date(2026, 6, 15)
CATALOG = Catalog(
    stores=(Store("BR-1", "Bayside Optical Harbour Road", "Brighton", "MA"),
            Store("BR-2", "Bayside Optical Mill Street", "Lowell", "MA"),
            Store("BR-3", "Bayside Optical Elm Park", "Nashua", "NH")),
    products=(Product("F1", "Lindberg Strip 9704", "frames", "Lindberg"),
              Product("F2", "Ray-Ban Clubmaster Optical", "frames", "Ray-Ban"),
              Product("S1", "Ray-Ban Aviator Classic", "sunglasses", "Ray-Ban"),
              Product("L1", "Varilux Progressive 1.6", "lenses", "Essilor"),
              Product("C1", "Acuvue Oasys 6 Pack", "contact_lenses", "Acuvue")),
    age_bands=("30-39", "40-49", "50-59"), lens_types=("progressive", "single_vision"), patient_states=("MA", "NH"),
    tenant_words=frozenset({"bayside"}), sales_from=date(2024, 1, 1), sales_to=date(2026, 5, 31),
)


def spec_of(question: str, previous: QuerySpec | None = None) -> QuerySpec:
    parsed = parse_question(question, CATALOG, TODAY, previous)
    assert parsed.spec is not None, parsed.refusal or parsed.unresolved
    return parsed.spec


def rng(spec: QuerySpec) -> tuple[date, date]:
    assert spec.time_range is not None
    return spec.time_range.start, spec.time_range.end


@pytest.mark.parametrize(("question", "measure", "dims"), [
    ("how many frames did we sell in March", "units", ()),
    ("what did we make last month", "revenue", ()),
    ("gross sales before discounts in 2025", "gross_revenue", ()),
    ("discount rate in 2025", "discount_rate", ()),
    ("how many different products did we sell in 2025", "distinct_products", ()),
    ("average order value by store this year", "avg_order_value", ("store",)),
    ("average selling price per brand", "avg_selling_price", ("brand",)),
    ("how many transactions per weekday in May", "orders", ("weekday",)),
    ("revenue by store and month for 2025", "revenue", ("store", "month")),
    ("which items are below their reorder point", "items_below_reorder", ("product",)),
    ("how many items are out of stock", "items_out_of_stock", ()),
    ("patients by age band", "patients", ("age_band",)),
    ("how many stores do we have", "store_count", ()),
    ("how many brands do we carry", "brand_count", ()),
    ("a per-brand split of units sold in 2025", "units", ("brand",)),  # a hyphen after the cue word
    ("month-by-month revenue through 2025", "revenue", ("month",)),
    ("units sold by each store last year", "units", ("store",)),
    # the plural that is compared gets one row each, not the total
    ("how did our three states stack up on revenue in 2024?", "revenue", ("state",)),
    ("compare our stores on units in 2025", "units", ("store",)),
    ("how many units did our stores sell in 2025", "units", ()),
    # everyday words for measures and for the form of a request
    ("what did we turn over in march 2026", "revenue", ()),
    ("what did the company make last month, net of discounts", "revenue", ()),
    ("units sitting on the shelves right now, per category", "stock_on_hand", ("category",)),
    ("what's the headcount of patients in our records", "patients", ()),
    ("what's the total number of brands on our books", "brand_count", ()),
    ("count the frame SKUs in our product catalogue", "product_count", ()),
    ("number of frame brands in our range", "brand_count", ()),
])
def test_measures_and_dimensions(question: str, measure: str, dims: tuple[str, ...]) -> None:
    spec = spec_of(question)
    assert spec.measure == measure and spec.dimensions == dims


def test_ranking_over_a_time_dimension_is_a_time_ranking() -> None:
    spec = spec_of("what was our best month for revenue in 2025?")
    assert spec.dimensions == ("month",) and spec.ranking == Ranking(direction="desc", limit=1)
    assert rng(spec) == (date(2025, 1, 1), date(2026, 1, 1))


def test_half_year_breakdown_keeps_the_half() -> None:
    spec = spec_of("units by category for the first half of 2025")
    assert spec.dimensions == ("category",) and rng(spec) == (date(2025, 1, 1), date(2025, 7, 1))


def test_two_months_of_the_same_year_are_compared_in_that_year() -> None:
    spec = spec_of("revenue in March vs April 2025")
    assert spec.comparison is not None and spec.comparison.kind == "explicit"
    assert rng(spec) == (date(2025, 4, 1), date(2025, 5, 1))
    assert spec.comparison.time_range.start == date(2025, 3, 1)


def test_share_of_a_total_names_the_part() -> None:
    spec = spec_of("what share of Brighton's revenue in 2025 came from sunglasses?")
    assert spec.share_of_total and spec.part == Filters(category=("sunglasses",))
    assert spec.filters == Filters(city=("Brighton",))


def test_year_over_year_and_so_far_this_year() -> None:
    spec = spec_of("units so far this year vs the same period last year")
    assert spec.comparison is not None and spec.comparison.kind == "year_over_year"
    assert rng(spec) == (date(2026, 1, 1), date(2026, 6, 16))
    assert (spec.comparison.time_range.start, spec.comparison.time_range.end) == (date(2025, 1, 1),
                                                                                   date(2025, 6, 16))


def test_follow_ups_change_one_part() -> None:
    first = spec_of("which store had the highest revenue in 2025")
    lowest = spec_of("and the lowest?", first)
    assert lowest.ranking is not None and lowest.ranking.direction == "asc" and lowest.dimensions == ("store",)
    assert lowest.measure == "revenue" and lowest.time_range == first.time_range
    units = spec_of("what about units?", lowest)
    assert units.measure == "units" and units.ranking == lowest.ranking
    later = spec_of("and in 2024?", units)
    assert rng(later) == (date(2024, 1, 1), date(2025, 1, 1)) and later.measure == "units"
    frames = spec_of("how many frames did we sell in March 2025")
    sun = spec_of("what about sunglasses?", frames)
    assert sun.filters == Filters(category=("sunglasses",)) and sun.time_range == frames.time_range
    april = spec_of("and April?", frames)
    assert rng(april) == (date(2025, 4, 1), date(2025, 5, 1))  # the year of the previous question


@pytest.mark.parametrize("question", ["how many Zeiss lenses did we sell", "revenue at the Downtown Plaza store",
                                      "sales in Tampa last month"])
def test_names_not_in_the_catalog_stop_the_turn(question: str) -> None:
    parsed = parse_question(question, CATALOG, TODAY)
    assert parsed.spec is None and parsed.unresolved


@pytest.mark.parametrize("question", ["how are you today", "what about the weather", "how many cities are we in"])
def test_no_measure_is_a_refusal_that_lists_what_it_can_answer(question: str) -> None:
    parsed = parse_question(question, CATALOG, TODAY)
    assert parsed.spec is None and parsed.refusal is not None and "I can answer questions about" in parsed.refusal


def test_impossible_combinations_are_refused_not_answered_differently() -> None:
    parsed = parse_question("patients by store", CATALOG, TODAY)
    assert parsed.spec is None and "cannot be broken down by store" in (parsed.refusal or "")


def test_typos_are_corrected_against_the_catalog() -> None:
    assert correct_typos("how much revnue did Lindbreg frames make in Febuary", CATALOG) == \
        "how much revenue did Lindberg frames make in February"
    assert correct_typos("rayban sunglases", CATALOG) == "ray-ban sunglasses"
    assert correct_typos("how many units are sitting in stock", CATALOG) == "how many units are sitting in stock"
    spec = spec_of("wich stroe had the higest revnue in 2025")
    assert spec.measure == "revenue" and spec.dimensions == ("store",) and spec.ranking is not None


# ---- compiler ----------------------------------------------------------------------------------------------------

PERIOD = TimeRange(start=date(2025, 1, 1), end=date(2026, 1, 1), label="2025", grain="year")
BEFORE = TimeRange(start=date(2024, 1, 1), end=date(2025, 1, 1), label="2024", grain="year")


def _specs() -> list[QuerySpec]:
    out = []
    for measure, info in MEASURES.items():
        dims = [d for d, di in DIMENSIONS.items() if info.family in di.families]
        period = PERIOD if info.family == "sales" else None
        out.append(QuerySpec(measure=measure, time_range=period))
        for dim in dims[:4]:
            out.append(QuerySpec(measure=measure, dimensions=(dim,), time_range=period,
                                 ranking=Ranking(direction="asc", limit=3)))
        if info.family == "sales":
            out.append(QuerySpec(measure=measure, dimensions=("store", "month"), time_range=PERIOD,
                                 comparison=Comparison(kind="year_over_year", time_range=BEFORE),
                                 filters=Filters(category=("frames",), keyword=("strip",), weekday=("6",))))
            if info.additive:
                out.append(QuerySpec(measure=measure, time_range=PERIOD, share_of_total=True,
                                     part=Filters(brand=("Ray-Ban",))))
    return out


@pytest.mark.parametrize("spec", _specs(), ids=lambda s: f"{s.measure}-{'-'.join(s.dimensions) or 'total'}")
def test_every_spec_compiles_to_guarded_sql_with_bound_values(spec: QuerySpec) -> None:
    compiled = compile_spec(spec, max_rows=50)
    binds = set(re.findall(r"(?<![:\\\w]):([a-z_0-9]+)", compiled.sql))
    assert binds == set(compiled.params)  # every value is a bind, every bind has a value
    for values in compiled.params.values():  # no value is written into the SQL text
        for value in values if isinstance(values, list) else [values]:
            if isinstance(value, str) and len(value) > 2:
                assert value not in compiled.sql
    checked = validate_sql(re.sub(r":([a-z_0-9]+)", "NULL", compiled.display_sql), max_rows=50)
    assert checked.limit <= 50 and "tenant_id" not in compiled.sql


def test_spec_checks_and_schema() -> None:
    with pytest.raises(SpecError, match="cannot be broken down by"):
        check_spec(QuerySpec(measure="patients", dimensions=("store",)))
    with pytest.raises(SpecError, match="no history"):
        check_spec(QuerySpec(measure="stock_on_hand", time_range=PERIOD,
                             comparison=Comparison(kind="previous_period", time_range=BEFORE)))
    with pytest.raises(SpecError, match="does not add up"):
        check_spec(QuerySpec(measure="avg_order_value", share_of_total=True, dimensions=("store",)))
    with pytest.raises(ValueError):
        TimeRange(start=date(2025, 2, 1), end=date(2025, 1, 1))
    schema = spec_json_schema()
    assert schema["title"] == "QuerySpec" and set(schema["properties"]["measure"]["enum"]) == set(MEASURES)
    spec = spec_of("revenue by store in 2025")
    assert QuerySpec.from_context(spec.to_context()) == spec


def test_sentence_and_interpretation_come_from_spec_and_rows() -> None:
    spec = spec_of("which store had the highest revenue in 2025")
    line = interpretation(spec, CATALOG)
    assert line == "Interpretation: revenue (after discounts) · by store · period: 2025 · highest first, top 1"
    text = sentence(spec, ["store_code", "store", "revenue"],
                    [("BR-2", "Bayside Optical Mill Street", Decimal("1234.5"))], CATALOG)
    assert text == ("The store with the highest revenue (after discounts) in 2025 was Bayside Optical Mill Street "
                    "(BR-2): $1,234.50.")
    cmp = spec_of("units in May 2026 vs May 2025")
    text = sentence(cmp, ["units", "previous_units", "change", "change_pct"], [(120, 100, 20, Decimal("20.0"))])
    assert text == "Units sold: 120 in May 2026 vs 100 in May 2025, a change of +20 (+20.0%)."


def test_charts_for_time_series_and_larger_breakdowns_only() -> None:
    from tools.sql.chart import chart_for

    monthly = spec_of("revenue by month in 2025")
    rows = [(date(2025, m, 1), Decimal(100 * m)) for m in range(1, 13)]
    figure = chart_for(monthly, ["month", "revenue"], rows)
    assert figure is not None and figure["data"][0]["type"] == "scatter"
    assert figure["data"][0]["x"][0] == "2025-01-01" and figure["data"][0]["y"][-1] == 1200.0
    by_store = spec_of("revenue by store in 2025")
    three = [(f"S{i}", f"Store {i}", Decimal(i)) for i in range(3)]
    assert chart_for(by_store, ["store_code", "store", "revenue"], three) is None  # 3 rows: the table is enough
    four = [(f"S{i}", f"Store {i}", Decimal(i)) for i in range(4)]
    bars = chart_for(by_store, ["store_code", "store", "revenue"], four)
    assert bars is not None and bars["data"][0]["type"] == "bar" and bars["data"][0]["x"][3] == "Store 3"
    assert chart_for(spec_of("revenue in 2025"), ["revenue"], [(Decimal(1),)]) is None


def test_the_city_store_is_that_store_or_a_question() -> None:
    assert spec_of("revenue at the Lowell store in 2025").filters == Filters(store=("BR-2",))
    two = Catalog(stores=(Store("A", "Bayside North", "Lowell", "MA"), Store("B", "Bayside South", "Lowell", "MA")))
    parsed = parse_question("revenue at the Lowell store in 2025", two, TODAY)
    assert parsed.spec is None and parsed.unresolved and parsed.unresolved[0].options == ("A", "B")
    assert parse_question("revenue in Lowell in 2025", two, TODAY).spec.filters == Filters(city=("Lowell",))


@pytest.mark.parametrize("question", ["top 5 last month", "how many orders over $500 last year",
                                      "revenue for patients aged 45",
                                      "units over the Christmas period 2025"])
def test_what_cannot_be_placed_is_refused_not_approximated(question: str) -> None:
    parsed = parse_question(question, CATALOG, TODAY)
    assert parsed.spec is None and parsed.refusal is not None and "did not run a query" in parsed.refusal


def test_exclusions_and_one_measure_at_a_time() -> None:
    spec = spec_of("revenue excluding sunglasses and contact lenses in 2025")
    assert spec.exclude == Filters(category=("sunglasses", "contact_lenses")) and spec.filters == Filters()
    compiled = compile_spec(spec)
    assert "NOT" in compiled.sql.upper() and compiled.params["category"] == ["sunglasses", "contact_lenses"]
    assert "excluding category: sunglasses and contact lenses" in interpretation(spec, CATALOG)
    parsed = parse_question("revenue, units and orders in 2025", CATALOG, TODAY)
    assert parsed.spec is None and "one measure at a time" in (parsed.refusal or "")
    ordered = spec_of("units by store in 2025, highest first")
    assert ordered.ranking == Ranking(direction="desc", limit=None)


def test_follow_ups_rank_compare_and_resize() -> None:
    by_store = spec_of("revenue by store in 2025")
    best = spec_of("which was the best?", by_store)
    assert best.measure == "revenue" and best.dimensions == ("store",) and best.ranking == Ranking(limit=1)
    top = spec_of("top 3 products by revenue in 2025")
    assert spec_of("show 10", top).ranking == Ranking(limit=10)
    october = spec_of("units sold of Ray-Ban in October 2025")
    vs = spec_of("compared to September?", october)
    assert rng(vs) == (date(2025, 10, 1), date(2025, 11, 1)) and vs.comparison is not None
    assert vs.comparison.time_range.start == date(2025, 9, 1) and vs.filters == october.filters
    # a ranking word alone ("fewest") flips the ranking of the previous measure; it does not ask for units
    most_orders = spec_of("which store had the most orders in March 2026")
    fewest = spec_of("ok and which had the fewest?", most_orders)
    assert fewest.measure == "orders" and fewest.ranking is not None and fewest.ranking.direction == "asc"
    assert spec_of("and the most units?", most_orders).measure == "units"


def test_time_breakdowns_of_a_comparison_are_sequential_or_refused() -> None:
    growth = spec_of("revenue growth by month in 2025")
    assert growth.comparison is not None and growth.comparison.kind == "sequential" and growth.dimensions == ("month",)
    parsed = parse_question("revenue by month in 2025 vs 2024", CATALOG, TODAY)
    assert parsed.spec is None and "month by month across the two" in (parsed.refusal or "")
    first_days = spec_of("units sold in the first 10 days of March 2026")
    assert rng(first_days) == (date(2026, 3, 1), date(2026, 3, 11)) and first_days.ranking is None


@pytest.mark.parametrize("question", [
    "how many days does the price promise last",  # a length of time, not units
    "how many hours is an eye test",
    "how many times can a frame be adjusted for free",
    "how many visitors came to Lowell last month",  # a noun the data does not count
    "how many did Lowell get in May 2026",  # nothing named and no sales verb
    "how many pairs is a patient allowed per year",  # a rule, not a sale
    "how much profit did we make in 2025",
    "what is the cheapest Ray-Ban we sell",  # a list price, not a total
    "how long does a lens order take",
    "revenue per square metre in 2025",
])
def test_numeric_looking_questions_that_are_not_about_the_data_are_refused(question: str) -> None:
    parsed = parse_question(question, CATALOG, TODAY)
    assert parsed.spec is None and parsed.refusal is not None and "did not run a query" in parsed.refusal


def test_a_refused_count_says_what_was_understood() -> None:
    parsed = parse_question("how many days in 2025 was the Lowell store open", CATALOG, TODAY)
    assert parsed.spec is None and '"how many days"' in (parsed.refusal or "")
    assert "store: BR-2" in (parsed.refusal or "") and "period: 2025" in (parsed.refusal or "")


@pytest.mark.parametrize(("question", "filters"), [
    ("how many did we sell in May 2026", Filters()),
    ("how many Ray-Bans did we sell in 2025", Filters(brand=("Ray-Ban",))),
    ("how many pairs of sunglasses went out the door last month", Filters(category=("sunglasses",))),
    ("how many were sold at the Lowell store in 2025", Filters(store=("BR-2",))),
])
def test_counts_of_sold_things_are_units(question: str, filters: Filters) -> None:
    spec = spec_of(question)
    assert spec.measure == "units" and spec.filters == filters


@pytest.mark.parametrize(("question", "said"), [
    ("revenue from new customers in 2025", '"customers"'),
    ("revenue from kids frames in 2025", '"kids"'),
    ("units sold online last month", '"online"'),
    ("patients by gender", '"by gender"'),
    ("units by supplier in 2025", '"by supplier"'),
    ("how many patients in Lowell", "cannot be filtered by city"),
    ("revenue from patients in their 40s", "patients are not linked to sales"),
    ("revenue in their 40s in 2025", "cannot be filtered by age band"),
    ("what's the team discount on glasses", '"team"'),  # a chatter noun before a measure is a condition
])
def test_conditions_the_data_cannot_apply_are_refused_not_dropped(question: str, said: str) -> None:
    parsed = parse_question(question, CATALOG, TODAY)
    assert parsed.spec is None and said in (parsed.refusal or "")


def test_real_words_are_not_corrected_into_domain_words() -> None:
    assert "stack up" in correct_typos("how did units in May stack up against April", CATALOG)
    assert correct_typos("how mant units", CATALOG) == "how many units"
    spec = spec_of("how did units in May 2026 stack up against April")
    assert spec.measure == "units" and spec.comparison is not None
    assert rng(spec) == (date(2026, 5, 1), date(2026, 6, 1))


def test_day_ranges_alternatives_and_range_ends_in_a_change() -> None:
    assert rng(spec_of("units sold between 3 and 9 February 2026")) == (date(2026, 2, 3), date(2026, 2, 10))
    either = spec_of("were orders higher in April or May 2026")
    assert either.comparison is not None and rng(either) == (date(2026, 5, 1), date(2026, 6, 1))
    assert either.comparison.time_range.start == date(2026, 4, 1)
    drop = spec_of("which brand had the biggest drop in units from 2024 to 2025")
    assert rng(drop) == (date(2025, 1, 1), date(2026, 1, 1)) and drop.comparison is not None
    assert drop.comparison.time_range.start == date(2024, 1, 1) and drop.ranking is not None
    assert drop.ranking.by == "change" and drop.ranking.direction == "asc"
    share = spec_of("how much of the Lowell store's 2025 revenue came from frames, as a %")
    assert share.share_of_total and share.part == Filters(category=("frames",))
    assert share.filters == Filters(store=("BR-2",))


def test_follow_ups_relative_to_the_previous_period_and_per_order() -> None:
    march = spec_of("revenue in March 2026")
    assert rng(spec_of("and the month before?", march)) == (date(2026, 2, 1), date(2026, 3, 1))
    assert rng(spec_of("and the year before?", march)) == (date(2025, 3, 1), date(2025, 4, 1))
    growth = spec_of("growth over the previous month?", march)
    assert rng(growth) == (date(2026, 3, 1), date(2026, 4, 1)) and growth.comparison is not None
    assert growth.comparison.time_range.start == date(2026, 2, 1)
    assert spec_of("and per order?", march).measure == "avg_order_value"
    nothing = parse_question("ok thanks", CATALOG, TODAY, march)
    assert nothing.spec is None and nothing.refusal is not None


def test_a_sentence_that_asks_nothing_adds_no_filter() -> None:
    spec = spec_of("How many orders did we take in 2025? It is for the board pack.")
    assert spec.measure == "orders" and spec.filters == Filters()  # "Pack" is a product word, not a filter here


def test_time_phrases_are_read_or_refused_never_dropped() -> None:
    assert rng(spec_of("what were our takings in the last full month")) == (date(2026, 5, 1), date(2026, 6, 1))
    for question in ("revenue next month", "units sold last weekend"):
        parsed = parse_question(question, CATALOG, TODAY)
        assert parsed.spec is None and "could not read the period" in (parsed.refusal or "")


def test_which_two_and_a_one_store_city_next_to_a_store() -> None:
    two = spec_of("which two stores sold the most sunglasses in 2025")
    assert two.ranking is not None and two.ranking.limit == 2
    both = spec_of("revenue by category for Harbour Road vs Lowell in 2025")
    assert both.filters == Filters(store=("BR-1", "BR-2")) and both.dimensions == ("category", "store")
    assert both.comparison is None


def test_lookups_conversions_and_uncountable_negations_are_refused() -> None:
    for question in ("what is the reorder point for the Ray-Ban Aviator Classic at Lowell",
                     "how many eye tests lead to a frame sale", "how many products have never sold",
                     "list the products we sell"):
        parsed = parse_question(question, CATALOG, TODAY)
        assert parsed.spec is None and parsed.refusal is not None, question
    week = spec_of("revenue for the week of 4 May 2026")
    assert rng(week) == (date(2026, 5, 4), date(2026, 5, 11))
    assert spec_of("total orders for last year across every store").dimensions == ()


def test_a_named_weekday_with_the_busiest_day_ranks_the_days_of_the_week() -> None:
    spec = spec_of("were Saturdays our busiest day in 2025")
    assert spec.dimensions == ("weekday",) and spec.filters == Filters() and spec.ranking is not None


def test_everyday_words_of_product_names_name_products_only_in_their_phrase() -> None:
    from dataclasses import replace

    single = Product("L2", "Hoya Single Vision 1.5", "lenses", "Hoya")
    catalog = replace(CATALOG, products=(*CATALOG.products, single))
    # "our single biggest day" ranks days over all products; "single vision" still names the lens
    biggest = parse_question("what was our single biggest day for units in May 2026", catalog, TODAY).spec
    assert biggest is not None and biggest.filters.keyword == () and biggest.filters.product == ()
    assert biggest.dimensions == ("day",) and biggest.ranking is not None and biggest.ranking.limit == 1
    named = parse_question("units of Hoya Single Vision 1.5 in 2025", catalog, TODAY).spec
    assert named is not None and named.filters.product == ("L2",)
    # "record" is a ranking only as "a record month" / "our record", not the verb ("the lens types we record")
    assert spec_of("number of patients for each lens type we record").ranking is None
    assert spec_of("what was our record month for revenue in 2025").ranking == Ranking(limit=1)


# ---- wordings nobody tuned for: one test per general rule --------------------------------------------------------


@pytest.mark.parametrize(("question", "whole", "part"), [
    ("Ray-Ban's share of sunglasses revenue in 2025", Filters(category=("sunglasses",)), Filters(brand=("Ray-Ban",))),
    ("what share of sunglasses revenue came from Ray-Ban in 2025", Filters(category=("sunglasses",)),
     Filters(brand=("Ray-Ban",))),
    ("Lindberg's share of revenue within frames in 2025", Filters(category=("frames",)), Filters(brand=("Lindberg",))),
    ("Nashua's share of New Hampshire units in 2025", Filters(state=("NH",)), Filters(city=("Nashua",))),
    ("frames as a percentage of Brighton revenue in 2025", Filters(city=("Brighton",)),
     Filters(category=("frames",))),
])
def test_a_share_of_a_part_within_a_filtered_whole(question: str, whole: Filters, part: Filters) -> None:
    """What is named between the share cue and the measure (or after "within") is the whole; the rest is the part."""
    spec = spec_of(question)
    assert spec.share_of_total and spec.filters == whole and spec.part == part and not spec.dimensions
    compiled = compile_spec(spec)
    assert compiled.sql.count("SELECT") == 1 and "FILTER" in compiled.sql
    line = interpretation(spec, CATALOG)
    assert " within the total for " in line


def test_the_share_sentence_names_the_whole() -> None:
    spec = spec_of("Ray-Ban's share of sunglasses revenue in 2025")
    text = sentence(spec, ["revenue", "total_revenue", "share_pct"],
                    [(Decimal("400"), Decimal("800"), Decimal("50.0"))], CATALOG)
    assert text.startswith("Brand: Ray-Ban: $400.00 of $800.00 revenue (after discounts) within the total for "
                           "category: sunglasses in 2025, a share of 50.0%")


@pytest.mark.parametrize(("question", "measure"), [
    ("in 2025, how much discount did each order get on average", "avg_discount_per_order"),
    ("on average how many items are in each order, April 2026", "units_per_order"),
    ("how many units does the average order have in Q1 2026", "units_per_order"),
    ("average order size in units for 2024", "units_per_order"),
    ("what's the typical basket worth in 2025", "avg_order_value"),
    ("on average, what did a pair of sunglasses sell for in 2025", "avg_selling_price"),
    ("what do customers spend per transaction on average, 2025", "avg_order_value"),
    ("average revenue per item for frames", "avg_selling_price"),
])
def test_averages_over_orders_or_units_however_worded(question: str, measure: str) -> None:
    spec = spec_of(question)
    assert spec.measure == measure and spec.dimensions == ()


@pytest.mark.parametrize("question", ["what do new customers spend per order", "average revenue per employee",
                                      "what is the average age of our patients"])
def test_averages_the_data_cannot_give_are_still_refused(question: str) -> None:
    assert parse_question(question, CATALOG, TODAY).spec is None


@pytest.mark.parametrize(("question", "dims"), [
    ("net revenue for every combination of store and brand last year", ("store", "brand")),
    ("each combination of brand and category: revenue in 2025", ("brand", "category")),
    ("store by category revenue matrix for 2025", ("store", "category")),
    ("every store/category pair: units in 2025", ("store", "category")),
    ("cross-tab of store and month for units in 2025", ("store", "month")),
])
def test_two_dimension_breakdowns_however_worded(question: str, dims: tuple[str, ...]) -> None:
    assert spec_of(question).dimensions == dims


def test_a_store_phrase_does_not_swallow_the_period() -> None:
    spec = spec_of("units of frames sold in our Massachusetts stores during Q4 2025")
    assert spec.filters == Filters(state=("MA",), category=("frames",))
    assert rng(spec) == (date(2025, 10, 1), date(2026, 1, 1))
    assert parse_question("revenue at store Zebra Park in 2025", CATALOG, TODAY).unresolved


def test_misspellings_within_a_length_dependent_edit_distance() -> None:
    from tools.sql.entities import _within_edits, edit_distance, max_edits

    assert edit_distance("revneu", "revenue") == 2 and max_edits("revneu") == 2 and max_edits("unist") == 1
    assert correct_typos("2025 revneu per categroy", CATALOG) == "2025 revenue per category"
    spec = spec_of("2025 revneu per categroy")
    assert spec.measure == "revenue" and spec.dimensions == ("category",)
    assert _within_edits("salls", ["sales", "sells"]) == []  # two readings at the same distance: not guessed
    assert _within_edits("revneu", ["revenue", "returns"]) == ["revenue"]
    assert _within_edits("revneu", ["revenue", "review"]) == []  # "review" is two edits away as well


def test_this_month_vs_last_of_the_same_name_is_a_year_apart() -> None:
    spec = spec_of("revenue this May vs last May")
    assert spec.comparison is not None and spec.comparison.time_range is not None
    assert rng(spec) == (date(2026, 5, 1), date(2026, 6, 1))
    assert spec.comparison.time_range.start == date(2025, 5, 1)


@pytest.mark.parametrize(("question", "filters"), [
    ("number of progressive lens wearers in New Hampshire", Filters(state=("NH",), lens_type=("progressive",))),
    ("how many single vision lens wearers do we have in Massachusetts",
     Filters(state=("MA",), lens_type=("single_vision",))),
])
def test_a_lens_type_with_its_noun_counts_patients(question: str, filters: Filters) -> None:
    spec = spec_of(question)
    assert spec.measure == "patients" and spec.filters == filters


def test_a_trailing_how_many_counts_the_product_named_before_it() -> None:
    spec = spec_of("frames in the last 90 days - how many?")
    assert spec.measure == "units" and spec.filters == Filters(category=("frames",))
    assert parse_question("Brighton in 2025 - how many?", CATALOG, TODAY).spec is None


@pytest.mark.parametrize(("question", "measure", "filters"), [
    ("different brands we sold in 2025 - how many?", "distinct_brands", Filters()),
    ("how many sunglasses brands do we offer", "brand_count", Filters(category=("sunglasses",))),
    ("how many frame styles do we stock in the catalogue", "product_count", Filters(category=("frames",))),
    ("how many sunglasses do we have left in the back at Lowell", "stock_on_hand",
     Filters(city=("Lowell",), category=("sunglasses",))),
])
def test_counts_with_a_modifier_keep_their_measure(question: str, measure: str, filters: Filters) -> None:
    spec = spec_of(question)
    assert spec.measure == measure and spec.filters == filters


@pytest.mark.parametrize(("question", "whole", "part"), [
    ("how much of the frames revenue in Massachusetts came from Lindberg in 2025",
     Filters(state=("MA",), category=("frames",)), Filters(brand=("Lindberg",))),
    ("what slice of Massachusetts revenue did Lowell take in 2025", Filters(state=("MA",)), Filters(city=("Lowell",))),
    ("of all sunglasses sold in Massachusetts in 2025, what share were Ray-Ban",
     Filters(state=("MA",), category=("sunglasses",)), Filters(brand=("Ray-Ban",))),
])
def test_the_whole_runs_to_the_verb_that_names_the_part(question: str, whole: Filters, part: Filters) -> None:
    spec = spec_of(question)
    assert spec.share_of_total and spec.filters == whole and spec.part == part


@pytest.mark.parametrize(("question", "measure", "dims"), [
    ("what does a Ray-Ban typically sell for", "avg_selling_price", ()),
    ("on average what do our frames go for, 2025", "avg_selling_price", ()),
    ("what % of gross sales did we give away in discounts in 2025", "discount_rate", ()),
    ("what were our top 3 selling frames in 2025", "units", ("product",)),
    ("the 3 most popular brands in 2025", "units", ("brand",)),
    ("what did we ring up in january 2026", "revenue", ()),
    ("how many units did we ring up in May", "units", ()),
    ("who was our top store last month", "revenue", ("store",)),
    ("average selling price per store for sunglasses in 2025", "avg_selling_price", ("store",)),
    ("how many products do we sell", "product_count", ()),
    ("how many products do we sell in 2025", "units", ()),
    ("how many sunglasses models are in the range", "product_count", ()),
    ("how many products per brand do we carry", "product_count", ("brand",)),
    ("how many orders did Lowell process in 2025", "orders", ()),
])
def test_everyday_wordings_of_measures(question: str, measure: str, dims: tuple[str, ...]) -> None:
    spec = spec_of(question)
    assert spec.measure == measure and spec.dimensions == dims


def test_who_asks_is_no_condition_and_the_period_so_far() -> None:
    spec = spec_of("So the regional manager is asking me - roughly how much did the whole company pull in over 2025? "
                   "Just the one number please")
    assert spec.measure == "revenue" and spec.filters == Filters() and rng(spec) == (date(2025, 1, 1),
                                                                                    date(2026, 1, 1))
    assert rng(spec_of("units since the start of the year")) == (date(2026, 1, 1), date(2026, 6, 16))
    assert parse_question("regional breakdown of revenue", CATALOG, TODAY).spec is None


def test_across_a_named_places_stores_is_a_total_and_two_weakest_is_a_bottom_two() -> None:
    spec = spec_of("Lindberg and Ray-Ban revenue across Massachusetts stores in 2025")
    assert spec.dimensions == () and spec.filters.state == ("MA",)
    assert spec_of("revenue across stores in 2025").dimensions == ("store",)
    weakest = spec_of("the 2 weakest stores by orders in 2025")
    assert weakest.ranking == Ranking(direction="asc", limit=2) and weakest.measure == "orders"


@pytest.mark.parametrize("question", ["how many orders went out with no discount in 2025",
                                      "units sold at full price in 2025", "how many orders had no discount",
                                      "how many units sold without any discount"])
def test_counts_of_what_had_no_discount_are_refused(question: str) -> None:
    parsed = parse_question(question, CATALOG, TODAY)
    assert parsed.spec is None and "without a discount" in (parsed.refusal or "")


def test_discount_wordings_that_have_an_answer() -> None:
    assert spec_of("revenue without discounts in 2025").measure == "gross_revenue"
    assert spec_of("revenue before markdowns for 2025").measure == "gross_revenue"
    assert spec_of("what share of orders were discounted last month").measure == "discounted_order_rate"


def test_percent_words_with_two_periods_are_a_change_and_a_share_is_not_added_over_both() -> None:
    change = spec_of("percentage change in orders from Q4 2025 to Q1 2026")
    assert change.comparison is not None and not change.share_of_total
    assert spec_of("revenue in 2025 vs 2024 as a percentage").comparison is not None
    for question in ("what percentage of revenue came from frames in 2025 vs 2024",
                     "share of revenue by category 2025 vs 2024", "frames share of revenue year over year"):
        parsed = parse_question(question, CATALOG, TODAY)
        assert parsed.spec is None and "not both in one answer" in (parsed.refusal or "")


def test_stock_questions_that_ask_what() -> None:
    low = spec_of("what's running low at Lowell")
    assert low.measure == "items_below_reorder" and low.dimensions == ("product",)
    out = spec_of("how many SKUs are sold out at Lowell")
    assert out.measure == "items_out_of_stock" and out.dimensions == ()


@pytest.mark.parametrize(("question", "measure", "dims"), [
    ("hi! hope you're well. I'm putting together numbers for the quarterly review and need to know how many orders "
     "we processed across all our shops in Q1 2026. thanks so much", "orders", ()),
    ("Quick question from the ops side: out of our stores, which one pulled in the most revenue during 2025? cheers",
     "revenue", ("store",)),
    ("For the budget meeting tomorrow I'd love a view of units sold per category for the whole of 2025, if possible",
     "units", ("category",)),
    ("Before I call the rep: how many units of stock do we currently hold at Lowell?", "stock_on_hand", ()),
    ("is Ray-Ban outselling Lindberg this year", "units", ("brand",)),
    ("how many people in New Hampshire wear bifocals", "patients", ()),
    ("how big is our product catalogue", "product_count", ()),
])
def test_rambling_questions_keep_only_what_asks_of_the_data(question: str, measure: str,
                                                             dims: tuple[str, ...]) -> None:
    spec = spec_of(question)
    assert spec.measure == measure and spec.dimensions == dims


def test_a_future_day_is_refused_and_the_whole_company_drops_the_place() -> None:
    parsed = parse_question("revenue tomorrow", CATALOG, TODAY)
    assert parsed.spec is None and "tomorrow" in (parsed.refusal or "")
    first = spec_of("revenue at Lowell in 2025")
    whole = spec_of("and for the whole company?", first)
    assert whole.filters == Filters() and whole.time_range == first.time_range


@pytest.mark.parametrize(("question", "measure", "dims", "ranking"), [
    ("name the 3 products with the lowest revenue in 2025", "revenue", ("product",), Ranking(direction="asc", limit=3)),
    ("the 2 stores with the most orders in 2025", "orders", ("store",), Ranking(direction="desc", limit=2)),
    ("top selling category at Lowell this year", "units", ("category",), Ranking(direction="desc", limit=1)),
    ("what's the most common age band of our patients", "patients", ("age_band",), Ranking(direction="desc", limit=1)),
    ("what's the most common lens type", "patients", ("lens_type",), Ranking(direction="desc", limit=1)),
])
def test_rankings_worded_with_a_count_or_most_common(question: str, measure: str, dims: tuple[str, ...],
                                                     ranking: Ranking) -> None:
    spec = spec_of(question)
    assert (spec.measure, spec.dimensions, spec.ranking) == (measure, dims, ranking)


def test_catalogue_counts_asked_of_a_group_or_with_are_there() -> None:
    each = spec_of("how many products does each category have")
    assert each.measure == "product_count" and each.dimensions == ("category",)
    brand = spec_of("how many Lindberg products are there")
    assert brand.measure == "product_count" and brand.filters == Filters(brand=("Lindberg",))
    assert spec_of("how many frames are there in stock").measure == "stock_on_hand"
    assert parse_question("revenue by age band", CATALOG, TODAY).spec is None  # a patient breakdown of sales


@pytest.mark.parametrize(("question", "measure", "dims"), [
    ("who sold the most frames last month", "units", ("store",)),
    ("biggest single day for revenue ever", "revenue", ("day",)),
    ("which products are completely out at Lowell", "items_out_of_stock", ("product",)),
    ("what's our stock of Lindberg worth", "stock_value", ()),
    ("patients per lens type in Massachusetts", "patients", ("lens_type",)),
    ("store count", "store_count", ()),
    ("number of products in the catalogue per brand", "product_count", ("brand",)),
    ("how many services do we offer", "product_count", ()),
    ("how many items below min stock", "items_below_reorder", ()),
])
def test_terse_and_slangy_wordings(question: str, measure: str, dims: tuple[str, ...]) -> None:
    spec = spec_of(question)
    assert spec.measure == measure and spec.dimensions == dims
    assert spec.ranking is None or question.startswith(("who", "biggest"))


def test_two_digit_years_of_quarters_and_the_minimum() -> None:
    spec = spec_of("rev q1 26 vs q1 25")
    assert rng(spec) == (date(2026, 1, 1), date(2026, 4, 1)) and spec.comparison is not None
    assert spec.comparison.time_range.start == date(2025, 1, 1)
    assert spec_of("which store had the minimum orders").ranking == Ranking(direction="asc", limit=1)


def test_weeks_months_quarters_and_years_ago_are_whole_periods_or_refused() -> None:
    assert rng(spec_of("revenue two months ago")) == (date(2026, 4, 1), date(2026, 5, 1))
    assert rng(spec_of("what was revenue the month before last")) == (date(2026, 4, 1), date(2026, 5, 1))
    assert rng(spec_of("orders 3 quarters ago")) == (date(2025, 7, 1), date(2025, 10, 1))
    assert rng(spec_of("units sold 2 years ago")) == (date(2024, 1, 1), date(2025, 1, 1))
    # weeks are calendar weeks (Monday to Sunday) like "last week"; TODAY is Monday 2026-06-15
    assert rng(spec_of("units the week before last")) == (date(2026, 6, 1), date(2026, 6, 8))
    assert rng(spec_of("revenue 2 weeks ago")) == (date(2026, 6, 1), date(2026, 6, 8))
    assert rng(spec_of("orders three weeks ago by store")) == (date(2026, 5, 25), date(2026, 6, 1))
    assert rng(spec_of("revenue 4 days ago")) == (date(2026, 6, 11), date(2026, 6, 12))
    # "a couple of" is no number; "a week ago" is the day a week back or last week: both asked about, not guessed
    for question in ("revenue a couple of months ago", "units a week ago"):
        parsed = parse_question(question, CATALOG, TODAY)
        assert parsed.spec is None and "could not read the period" in (parsed.refusal or "")
    assert spec_of("how did Lowell do last month").measure == "revenue"


def test_open_ended_ranges_and_parts_of_a_period() -> None:
    assert rng(spec_of("revenue before March 2026")) == (date(2024, 1, 1), date(2026, 3, 1))
    assert rng(spec_of("revenue after March 2026")) == (date(2026, 4, 1), date(2026, 6, 16))
    assert rng(spec_of("orders until the end of April 2026")) == (date(2024, 1, 1), date(2026, 5, 1))
    for question in ("revenue in the first week of 2026", "revenue in early 2025", "units at the end of 2025"):
        parsed = parse_question(question, CATALOG, TODAY)
        assert parsed.spec is None and "could not read the period" in (parsed.refusal or "")
    assert spec_of("units sold in March 2026, before discounts").measure == "gross_revenue"


def test_working_days_and_day_spans_are_weekday_filters() -> None:
    weekdays = ("1", "2", "3", "4", "5")
    assert spec_of("revenue on weekdays in 2025").filters.weekday == weekdays
    assert spec_of("revenue monday to friday in 2025").filters.weekday == weekdays
    assert spec_of("revenue by weekday 2025").dimensions == ("weekday",)


def test_revenue_of_orders_is_money_and_a_kind_of_order_or_product_is_refused() -> None:
    assert spec_of("revenue from orders in 2025").measure == "revenue"
    assert spec_of("revenue across all orders in 2025").measure == "revenue"
    assert spec_of("how many orders had a discount in 2025").measure == "discounted_orders"
    for question in ("revenue from discounted orders", "revenue from large orders", "revenue from new products in 2025",
                     "revenue from our own brand"):
        assert parse_question(question, CATALOG, TODAY).spec is None, question
    assert spec_of("sales in our new hampshire stores").filters == Filters(state=("NH",))


@pytest.mark.parametrize("question", ["how many stores opened in 2025", "how many products did we add in 2025",
                                      "brands we stopped selling", "how many units of stock are reserved",
                                      "how many frames are on display", "damaged frames in stock"])
def test_events_and_states_the_data_does_not_record_are_refused(question: str) -> None:
    parsed = parse_question(question, CATALOG, TODAY)
    assert parsed.spec is None and "I do not know what" in (parsed.refusal or "")


def test_since_we_opened_and_broken_down_still_read() -> None:
    since = spec_of("revenue since we opened").time_range  # all the data: from the first recorded sale to today
    assert since is not None and since.start == date(2024, 1, 1) and since.end == date(2026, 6, 16)
    assert spec_of("units broken down by store and brand, last year").dimensions == ("store", "brand")


def test_a_follow_up_of_a_share_keeps_its_whole() -> None:
    first = spec_of("Lindberg's share of frames revenue in 2025")
    other = spec_of("what about Ray-Ban?", first)
    assert other.share_of_total and other.filters == Filters(category=("frames",))
    assert other.part == Filters(brand=("Ray-Ban",))
    earlier = spec_of("and in 2024?", other)
    assert earlier.filters == other.filters and earlier.part == other.part
    assert rng(earlier) == (date(2024, 1, 1), date(2025, 1, 1))


@pytest.mark.parametrize(("question", "measure", "dims", "ranking"), [
    ("which Massachusetts store did better in 2025", "revenue", ("store",), Ranking(direction="desc", limit=1)),
    ("which store did worse last month", "revenue", ("store",), Ranking(direction="asc", limit=1)),
    ("the brand with the fewest units sold last quarter", "units", ("brand",), Ranking(direction="asc", limit=1)),
    ("give me revenue for each of our stores in 2025", "revenue", ("store",), None),
    ("how many patients do we have on file in Massachusetts", "patients", (), None),
])
def test_more_everyday_rankings_and_breakdowns(question: str, measure: str, dims: tuple[str, ...],
                                               ranking: Ranking | None) -> None:
    spec = spec_of(question)
    assert (spec.measure, spec.dimensions, spec.ranking) == (measure, dims, ranking)


def test_up_on_last_year_and_compare_with_last_year_are_year_over_year() -> None:
    spec = spec_of("is Lowell up or down on last year")
    assert spec.measure == "revenue" and spec.comparison is not None and spec.comparison.kind == "year_over_year"
    first = spec_of("revenue in Q1 2026")
    then = spec_of("and how does that compare with last year?", first)
    assert then.time_range == first.time_range and then.comparison is not None
    assert then.comparison.time_range.start == date(2025, 1, 1)


@pytest.mark.parametrize("question", ["how many new patients in 2025", "how many frames did we sell to under 18s",
                                      "revenue lost to discounts on Lindberg in the sale"])
def test_new_patients_age_plurals_and_the_sale_are_refused(question: str) -> None:
    assert parse_question(question, CATALOG, TODAY).spec is None


def test_minus_and_one_value_as_a_percentage_of_another() -> None:
    minus = spec_of("Lowell minus Nashua revenue 2025")
    assert minus.dimensions == ("city",) and set(minus.filters.city) == {"Lowell", "Nashua"}
    assert minus.exclude == Filters()
    assert spec_of("frames revenue excluding Lindberg").exclude == Filters(brand=("Lindberg",))
    for question in ("revenue for Lowell as a percentage of Nashua", "how many unique products in stock at Lowell"):
        assert parse_question(question, CATALOG, TODAY).spec is None, question


def test_the_chain_name_is_the_company_and_a_brand_fragment_is_not_dropped() -> None:
    spec = spec_of("how did Bayside Optical do in 2025")
    assert spec.measure == "revenue" and spec.filters == Filters() and spec.dimensions == ()
    assert spec_of("revenue for Bayside Optical Mill Street").filters == Filters(store=("BR-2",))
    catalog = Catalog(stores=CATALOG.stores, products=(*CATALOG.products,
                                                       Product("P1", "Peak Basics Ember", "frames", "Peak Basics")),
                      sales_from=CATALOG.sales_from, sales_to=CATALOG.sales_to)
    assert parse_question("units of basics", catalog, TODAY).spec is None
    named = parse_question("Peak Basics units in 2025", catalog, TODAY).spec
    assert named is not None and named.filters == Filters(brand=("Peak Basics",))


@pytest.mark.parametrize(("question", "measure"), [
    ("number of brands that had any sales in May", "distinct_brands"),  # brands with sales, not the catalogue's
    ("how many brands had sales at Lowell last month", "distinct_brands"),
    ("how many brands do we carry", "brand_count"),
    ("what fraction of our orders in 2025 had some kind of discount on them?", "discounted_order_rate"),
    ("what share of orders at Brighton had a discount", "discounted_order_rate"),
])
def test_brands_with_sales_and_the_share_of_discounted_orders(question: str, measure: str) -> None:
    assert spec_of(question).measure == measure


def test_what_the_numbers_are_for_is_no_filter_and_the_n_things_with_the_most() -> None:
    # "pack" of "for the board pack" is no product keyword ("Acuvue Oasys 6 Pack"); "the five ... that generated
    # the most" is a top 5
    spec = spec_of("For the board pack I need the five products that generated the most revenue last year.")
    assert spec.measure == "revenue" and spec.dimensions == ("product",) and not spec.filters.keyword
    assert spec.ranking is not None and spec.ranking.limit == 5 and spec.ranking.direction == "desc"
    spec = spec_of("the three stores that sold the fewest units in May")
    assert spec.ranking is not None and spec.ranking.limit == 3 and spec.ranking.direction == "asc"


MODEL_CATALOG = Catalog(
    stores=CATALOG.stores,
    products=(Product("P1", "Serengeti Long Weekend", "sunglasses", "Serengeti"),
              Product("P2", "Native Long Weekend", "sunglasses", "Native"),
              Product("P3", "Moscot Sunday Best", "frames", "Moscot"),
              Product("P4", "Kate Spade Sunday Best", "frames", "Kate Spade"),
              Product("P5", "Mesa Basics Comprehensive Exam", "services", "Mesa Basics")),
    age_bands=(), lens_types=(), patient_states=("MA",), tenant_words=frozenset(), sales_from=date(2024, 1, 1),
    sales_to=date(2026, 5, 31),
)


@pytest.mark.parametrize(("question", "keyword", "weekday"), [
    ("revenue from Long Weekend sunglasses in 2025", "long weekend", ()),
    ("how many Sunday Best frames did we sell last year?", "sunday best", ()),
    ("Sunday Best units on Sundays", "sunday best", ("7",)),
    ("units sold on weekends", None, ("6", "7")),
])
def test_a_model_name_of_everyday_words_is_a_product_phrase_not_a_day(question: str, keyword: str | None,
                                                                      weekday: tuple[str, ...]) -> None:
    parsed = parse_question(question, MODEL_CATALOG, TODAY)
    assert parsed.spec is not None, parsed.refusal
    assert parsed.spec.filters.keyword == ((keyword,) if keyword else ())
    assert parsed.spec.filters.weekday == weekday


@pytest.mark.parametrize("question", ["Lowell revenue for 2025, leaving out frames",
                                      "Lowell revenue in 2025 ignoring frames",
                                      "Lowell revenue in 2025 omitting the frames"])
def test_leaving_out_a_category_excludes_it(question: str) -> None:
    spec = spec_of(question)
    assert spec.filters.city == ("Lowell",) and not spec.filters.category
    assert spec.exclude.category == ("frames",)


@pytest.mark.parametrize(("question", "current", "previous"), [
    # the same month named twice, once with "last year": this April against last April, never April 2025 twice
    ("how did April revenue by store compare to April last year?", date(2026, 4, 1), date(2025, 4, 1)),
    ("March revenue vs March 2025", date(2026, 3, 1), date(2025, 3, 1)),
    # a bare month next to another one with a year still takes that year
    ("March vs April 2025 revenue", date(2025, 4, 1), date(2025, 3, 1)),
    ("April vs May last year revenue", date(2025, 5, 1), date(2025, 4, 1)),
])
def test_a_month_compared_to_the_same_month_last_year(question: str, current: date, previous: date) -> None:
    spec = spec_of(question)
    assert spec.comparison is not None and spec.comparison.time_range is not None
    assert rng(spec)[0] == current and spec.comparison.time_range.start == previous


def test_a_period_not_over_against_a_named_earlier_one_takes_it_whole_and_says_so() -> None:
    # "last quarter" is named: all of it; the line says the current quarter is not over and how to ask like for like
    spec = spec_of("units this quarter vs last quarter")
    assert spec.comparison is not None and spec.comparison.time_range is not None
    assert spec.comparison.time_range.start == date(2026, 1, 1) and spec.comparison.time_range.end == date(2026, 4, 1)
    line = interpretation(spec)
    assert "is not over: its first 76 days are compared with all 90 days of Q1 2026" in line
    assert "the same days of Q1 2026" in line
    assert "not over" not in interpretation(spec_of("revenue in Q1 2026 vs Q4 2025"))


@pytest.mark.parametrize("question", [
    "units this quarter vs the same days of last quarter",
    "units this quarter against last quarter, like for like",
    "quarter to date units vs last quarter to date",
])
def test_like_for_like_words_compare_the_same_number_of_days(question: str) -> None:
    spec = spec_of(question)
    assert spec.comparison is not None and spec.comparison.time_range is not None
    assert spec.comparison.time_range.start == date(2026, 1, 1) and spec.comparison.time_range.end == date(2026, 3, 16)
    assert "not over, so both sides cover their first 76 days, not the whole earlier period" in interpretation(spec)


def test_everyday_words_of_sales_questions_are_no_unknown_filter() -> None:
    # "calendar year 2025" is the year; "dollar sales" is revenue; "boxes of contacts" are units
    spec = spec_of("Finance is asking for our gross sales before any discounts for calendar year 2025.")
    assert spec.measure == "gross_revenue" and rng(spec) == (date(2025, 1, 1), date(2026, 1, 1))
    spec = spec_of("what % of Massachusetts dollar sales this year came from Lowell")
    assert spec.measure == "revenue" and spec.share_of_total and spec.part.city == ("Lowell",)
    assert spec.filters.state == ("MA",)
    spec = spec_of("our Massachusetts shops - how many boxes of contacts went out the door last quarter?")
    assert spec.measure == "units" and spec.filters.category == ("contact_lenses",) and spec.filters.state == ("MA",)


def test_a_pair_of_sunglasses_is_one_product_not_a_combination() -> None:
    spec = spec_of("what's our worst selling pair of sunglasses by units this year")
    assert spec.measure == "units" and spec.dimensions == ("product",)
    assert spec.ranking == Ranking(direction="asc", limit=1, by="measure")
    assert spec.filters.category == ("sunglasses",)
    assert spec_of("units for every pair of store and brand in 2025").dimensions == ("store", "brand")
