"""An average of a sales total per day / week / month / quarter / year / store ("average monthly revenue", "avg
daily orders per store", "units per store on average"): the parser fills `QuerySpec.average_over` (the unit is not
a breakdown), whole units only (a period running into the current month ends where it starts, and a note says so),
the compiler averages the per-unit totals in a subquery, and the answer says how many units it averaged. Still
refused: medians, "typical", averages per customer or employee (not recorded), averages of snapshots (stock).
Parser and compiler tests on a made-up Portuguese tenant (not a bench tenant); numbers against a database are in
tests/test_sql_tool.py."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from tools.catalog import Catalog, Product, Store
from tools.sql.compile import compile_spec
from tools.sql.parse import parse_question
from tools.sql.sentences import interpretation, sentence
from tools.sql.spec import QuerySpec, SpecError, check_spec

TODAY = date(2026, 6, 17)  # a Wednesday
CATALOG = Catalog(stores=(Store("A-1", "Andorinha Ótica Baixa", "Lisboa", "11"),
                          Store("A-2", "Andorinha Ótica Ribeira", "Porto", "13"),
                          Store("A-3", "Andorinha Ótica Sé", "Braga", "03")),
                  products=(Product("F-1", "Andorinha Tejo", "frames", "Andorinha"),
                            Product("S-1", "Andorinha Praia", "sunglasses", "Andorinha")),
                  tenant_words=frozenset({"andorinha"}), sales_from=date(2024, 1, 1), sales_to=date(2026, 6, 16))


def _parsed(question: str):  # noqa: ANN202
    return parse_question(question, CATALOG, TODAY)


@pytest.mark.parametrize("question,measure,over,dims", [
    ("average monthly revenue in 2025", "revenue", "month", ()),
    ("what's our avg daily orders last month", "orders", "day", ()),
    ("how many frames do we sell per week on average", "units", "week", ()),
    ("revenue per store on average in 2025", "revenue", "store", ()),
    ("average monthly revenue per store in 2025", "revenue", "month", ("store",)),
    ("monthly average of units sold in 2025", "units", "month", ()),
    ("mean quarterly discounts given in 2025", "discount_total", "quarter", ()),
])
def test_an_average_per_unit_is_read(question: str, measure: str, over: str, dims: tuple) -> None:
    parsed = _parsed(question)
    assert parsed.spec is not None, parsed.refusal
    assert (parsed.spec.measure, parsed.spec.average_over, parsed.spec.dimensions) == (measure, over, dims)


def test_ranking_on_the_average() -> None:
    spec = _parsed("which shop has the highest average daily revenue in May").spec
    assert spec is not None and spec.average_over == "day" and spec.dimensions == ("store",)
    assert spec.ranking is not None and spec.ranking.limit == 1 and spec.ranking.direction == "desc"


@pytest.mark.parametrize("question,start,end", [
    ("average monthly revenue this year", date(2026, 1, 1), date(2026, 6, 1)),  # June is not over
    ("average weekly orders in May", date(2026, 5, 4), date(2026, 6, 1)),  # whole weeks: Monday 4 to Sunday 31 May
    ("average monthly units in 2025", date(2025, 1, 1), date(2026, 1, 1)),
])
def test_only_whole_units_are_averaged(question: str, start: date, end: date) -> None:
    parsed = _parsed(question)
    assert parsed.spec is not None
    assert (parsed.spec.time_range.start, parsed.spec.time_range.end) == (start, end)
    if (start, end) != (date(2025, 1, 1), date(2026, 1, 1)):
        assert any("whole" in note for note in parsed.notes)


@pytest.mark.parametrize("question", ["median daily orders in 2025", "typical monthly revenue",
                                      "average revenue per employee last year", "average stock per store"])
def test_other_statistics_and_unrecorded_units_are_refused(question: str) -> None:
    parsed = _parsed(question)
    assert parsed.spec is None and parsed.refusal


def test_ratio_measures_per_store_stay_breakdowns() -> None:
    spec = _parsed("average order value per store in 2025").spec
    assert spec is not None and spec.measure == "avg_order_value" and spec.dimensions == ("store",)
    assert spec.average_over is None


def test_the_spec_check_keeps_averages_to_sales_totals() -> None:
    with pytest.raises(SpecError):
        check_spec(QuerySpec(measure="avg_order_value", average_over="month"))
    with pytest.raises(SpecError):
        check_spec(QuerySpec(measure="revenue", dimensions=("month",), average_over="month"))
    with pytest.raises(SpecError):
        check_spec(QuerySpec(measure="stock_on_hand", average_over="store"))


def test_the_compiled_average_is_one_guarded_select_over_a_subquery() -> None:
    spec = _parsed("average monthly revenue per store in 2025").spec
    compiled = compile_spec(spec)
    sql = compiled.sql.upper()
    assert sql.startswith("SELECT") and "AVG(" in sql and "DATE_TRUNC('MONTH'" in sql and sql.count("GROUP BY") == 2
    assert compiled.columns == ("store_code", "store", "revenue", "units_averaged")
    assert compiled.params == {"start": date(2025, 1, 1), "end": date(2026, 1, 1)}


def test_the_answer_says_what_it_averaged() -> None:
    spec = _parsed("average daily orders last month").spec
    text = sentence(spec, ("orders", "units_averaged"), [(Decimal("41.35"), 26)], CATALOG)
    assert "41.35" in text and "26 days with sales" in text and "per day on average" in text
    assert "over the days with sales" in interpretation(spec, CATALOG)
    by_store = _parsed("average monthly revenue per store in 2025").spec
    rows = [("A-2", "Andorinha Ótica Ribeira", Decimal("20500.10"), 12), ("A-1", "Andorinha Ótica Baixa",
                                                                          Decimal("18000.00"), 11)]
    text = sentence(by_store, ("store_code", "store", "revenue", "units_averaged"), rows, CATALOG)
    assert "20,500.10" in text and "12 months with sales" in text and "11 months with sales" in text


def test_this_time_last_year_after_a_period_is_the_same_days() -> None:
    spec = _parsed("revenue this month vs this time last year").spec
    assert spec is not None and spec.comparison is not None and spec.comparison.kind == "year_over_year"
    assert spec.comparison.time_range.start == date(2025, 6, 1)


def test_the_chart_title_says_it_is_an_average() -> None:
    from tools.sql.chart import chart_for

    spec = _parsed("average monthly revenue per store in 2025").spec
    rows = [(f"A-{i}", f"Store {i}", Decimal(1000 + i), 12) for i in range(1, 5)]
    figure = chart_for(spec, ("store_code", "store", "revenue", "units_averaged"), rows)
    assert figure is not None and "per month on average" in figure["layout"]["title"]["text"]
