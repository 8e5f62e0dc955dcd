"""The SQL tool end to end on the real demo database: specs parsed from questions (numbers cross-checked against
independent SQL), follow-ups, refusals, cross-tenant attempts, SQL injection in filter values, and the model paths
driven by langchain-core's FAKE chat models (the only fake: the chat-model boundary): a model-filled spec, and raw
model SQL (malicious, failing or slow) through the guard."""

from __future__ import annotations

import json
import re
from datetime import date
from decimal import Decimal
from typing import Any

import pytest
import sqlalchemy as sa
from langchain_core.language_models.fake_chat_models import FakeListChatModel, GenericFakeChatModel
from langchain_core.messages import AIMessage, BaseMessage

from db import registry
from db.engine import admin_engine
from db.principal import Principal
from tools.catalog import load_catalog
from tools.sql.spec import Filters, QuerySpec, TimeRange
from tools.sql_schema import TABLES, describe_schema
from tools.sql_tool import SQLResult, llm_sql, run_spec, run_sql_tool

TODAY = date(2026, 11, 15)  # demo sales run 2025-01-01 .. 2026-10-31

S = ("FROM sales s JOIN products p ON p.tenant_id = s.tenant_id AND p.sku = s.sku "
     "JOIN stores st ON st.tenant_id = s.tenant_id AND st.store_code = s.store_code WHERE s.tenant_id = :tid")
K = ("FROM stock k JOIN products p ON p.tenant_id = k.tenant_id AND p.sku = k.sku "
     "JOIN stores st ON st.tenant_id = k.tenant_id AND st.store_code = k.store_code WHERE k.tenant_id = :tid")
R = "s.quantity * s.unit_price - s.discount"


def between(a: str, b: str) -> str:
    return f"s.sold_at BETWEEN DATE '{a}' AND DATE '{b}'"


# ----------------------------------------------------------------------------------------------------------------
# fixtures and helpers
# ----------------------------------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def nw(demo: dict) -> Principal:
    return registry.principal_for("ava.admin@northwind-optics.example")


@pytest.fixture(scope="module")
def lu(demo: dict) -> Principal:
    return registry.principal_for("lena.admin@lumen-eyewear.example")


def truth(principal: Principal, sql: str, **params: Any) -> list[tuple[Any, ...]]:
    """Ground truth, computed independently: plain SQL as the admin with an explicit tenant_id filter."""
    with admin_engine().connect() as conn:
        return [tuple(r) for r in conn.execute(sa.text(sql), {"tid": principal.tenant_id, **params}).all()]


def norm(value: Any) -> Any:
    if isinstance(value, Decimal | float):
        return Decimal(str(value)).quantize(Decimal("0.01"))
    return value


def pick(result: SQLResult, columns: list[str]) -> list[tuple[Any, ...]]:
    idx = [result.columns.index(c) for c in columns]
    return [tuple(norm(row[i]) for i in idx) for row in result.rows]


def table_counts() -> dict[str, int]:
    with admin_engine().connect() as conn:
        return {t: conn.execute(sa.text(f"SELECT count(*) FROM {t}")).scalar_one()  # noqa: S608 - fixed names
                for t in ("sales", "stores", "products", "stock", "patients", "users")}


def money(value: Any) -> str:
    return f"${Decimal(str(value)):,.2f}"


# ----------------------------------------------------------------------------------------------------------------
# every shape, cross-checked against independent SQL
# ----------------------------------------------------------------------------------------------------------------

CASES: list[tuple[str, str, list[str]]] = [
    ("How many frames did we sell in March?",
     f"SELECT sum(s.quantity) {S} AND p.category = 'frames' AND {between('2026-03-01', '2026-03-31')}", ["units"]),
    ("Revenue at the Tucson Midtown store in Q2 2025",
     f"SELECT sum({R}) {S} AND s.store_code = 'NW-S02' AND {between('2025-04-01', '2025-06-30')}", ["revenue"]),
    ("How many Ray-Ban sunglasses did we sell in 2025?",
     f"SELECT sum(s.quantity) {S} AND p.brand = 'Ray-Ban' AND p.category = 'sunglasses' "
     f"AND {between('2025-01-01', '2025-12-31')}", ["units"]),
    ("How many orders did we have in October?",
     f"SELECT count(DISTINCT s.order_id) {S} AND {between('2026-10-01', '2026-10-31')}", ["orders"]),
    ("What is our average order value in 2025?",
     f"SELECT round(sum({R}) / count(DISTINCT s.order_id), 2) {S} AND {between('2025-01-01', '2025-12-31')}",
     ["avg_order_value"]),
    ("How many different products did we sell in the first half of 2025?",
     f"SELECT count(DISTINCT s.sku) {S} AND {between('2025-01-01', '2025-06-30')}", ["distinct_products"]),
    ("Revenue by category last month",
     f"SELECT p.category, sum({R}) AS r {S} AND {between('2026-10-01', '2026-10-31')} GROUP BY 1 ORDER BY r DESC",
     ["category", "revenue"]),
    ("Which month had the highest revenue in 2025?",
     f"SELECT date_trunc('month', s.sold_at)::date, sum({R}) AS r {S} AND {between('2025-01-01', '2025-12-31')} "
     "GROUP BY 1 ORDER BY r DESC LIMIT 1", ["month", "revenue"]),
    ("Top 3 products by units sold in H1 2026",
     f"SELECT s.sku, sum(s.quantity) AS u {S} AND {between('2026-01-01', '2026-06-30')} GROUP BY 1 "
     "ORDER BY u DESC, 1 LIMIT 3", ["sku", "units"]),
    ("What share of revenue in 2025 came from sunglasses?",
     f"SELECT round(100 * sum({R}) FILTER (WHERE p.category = 'sunglasses') / sum({R}), 1) {S} "
     f"AND {between('2025-01-01', '2025-12-31')}", ["share_pct"]),
    ("Revenue in March 2026 vs March 2025",
     f"SELECT (SELECT sum({R}) {S} AND {between('2026-03-01', '2026-03-31')}), "
     f"(SELECT sum({R}) {S} AND {between('2025-03-01', '2025-03-31')})", ["revenue", "previous_revenue"]),
    ("Units sold by store and weekday in October",
     f"SELECT s.store_code, extract(isodow FROM s.sold_at)::int, sum(s.quantity) {S} "
     f"AND {between('2026-10-01', '2026-10-31')} GROUP BY 1, 2 ORDER BY 1, 2", ["store_code", "weekday", "units"]),
    ("How many items are below their reorder point?",
     f"SELECT count(*) {K} AND k.on_hand < k.reorder_point", ["items_below_reorder"]),
    ("How many patients wear progressive lenses?",
     "SELECT count(*) FROM patients WHERE tenant_id = :tid AND lens_type = 'progressive'", ["patients"]),
    ("How many stores do we have?", "SELECT count(*) FROM stores WHERE tenant_id = :tid", ["store_count"]),
    ("What was our average monthly revenue in 2025?",
     f"SELECT round(avg(r), 2), count(*) FROM (SELECT date_trunc('month', s.sold_at), sum({R}) AS r {S} "
     f"AND {between('2025-01-01', '2025-12-31')} GROUP BY 1) m", ["revenue", "units_averaged"]),
    ("average daily orders per store in October",
     f"SELECT store_code, round(avg(n), 2), count(*) FROM (SELECT s.store_code, s.sold_at, count(DISTINCT s.order_id) "
     f"AS n {S} AND {between('2026-10-01', '2026-10-31')} GROUP BY 1, 2) d GROUP BY 1 ORDER BY 2 DESC, 1",
     ["store_code", "orders", "units_averaged"]),
    ("top 2 products in each store by units in 2025",
     f"SELECT store_code, sku, u FROM (SELECT s.store_code, s.sku, sum(s.quantity) AS u, row_number() OVER ("
     f"PARTITION BY s.store_code ORDER BY sum(s.quantity) DESC, s.sku) AS rn {S} "
     f"AND {between('2025-01-01', '2025-12-31')} GROUP BY 1, 2) x WHERE rn <= 2 ORDER BY 1, rn",
     ["store_code", "sku", "units"]),
    ("on average, which weekday brings in the most in October",
     f"SELECT wd, round(avg(r), 2), count(*) FROM (SELECT extract(isodow FROM s.sold_at)::int AS wd, s.sold_at, "
     f"sum({R}) AS r {S} AND {between('2026-10-01', '2026-10-31')} GROUP BY 1, 2) d GROUP BY 1 ORDER BY 2 DESC, 1 "
     "LIMIT 1", ["weekday", "revenue", "units_averaged"]),
    ("units per store on average in Q3 2026",
     f"SELECT round(avg(u), 2) FROM (SELECT s.store_code, sum(s.quantity) AS u {S} "
     f"AND {between('2026-07-01', '2026-09-30')} GROUP BY 1) x", ["units"]),
]


@pytest.mark.parametrize(("question", "check_sql", "columns"), CASES, ids=[c[0][:40] for c in CASES])
def test_numbers_match_independent_sql(nw: Principal, question: str, check_sql: str, columns: list[str]) -> None:
    result = run_sql_tool(nw, question, today=TODAY)
    assert result.error is None, result.answer_text
    assert result.source == "spec" and result.executed and result.spec is not None
    expected = [tuple(norm(v) for v in row) for row in truth(nw, check_sql)]
    assert expected and pick(result, columns) == expected
    # the answer shows its interpretation and the SQL that ran; numbers in the sentence come from the rows
    assert result.interpretation.startswith("Interpretation: ") and result.interpretation in result.answer_text
    assert result.sql and result.sql in result.answer_text and "LIMIT" in result.sql
    assert ":tid" not in result.sql and "tenant_id" not in result.sql


def test_answer_sentence_restates_the_rows(nw: Principal) -> None:
    units = run_sql_tool(nw, "How many frames did we sell in March?", today=TODAY)
    n = units.rows[0][units.columns.index("units")]
    assert units.summary == f"Units sold (category: frames) in March 2026: {n:,}."
    assert "Interpretation: units sold · category: frames · period: March 2026" in units.answer_text
    change = run_sql_tool(nw, "Revenue in October vs September", today=TODAY)
    row = dict(zip(change.columns, change.rows[0], strict=True))
    assert money(row["revenue"]) in change.summary and money(row["previous_revenue"]) in change.summary
    assert f"{row['change_pct']:+.1f}%" in change.summary
    numbers = {m.replace(",", "") for m in re.findall(r"\d[\d,]*(?:\.\d+)?", units.summary)}
    assert numbers <= {str(v) for v in units.rows[0]} | {"2026"}  # nothing invented


def test_bottom_ranking_includes_products_that_sold_nothing(nw: Principal) -> None:
    result = run_sql_tool(nw, "Which 3 products sold the fewest units in October?", today=TODAY)
    assert result.spec is not None and result.spec.ranking is not None and result.spec.ranking.direction == "asc"
    expected = truth(nw, f"SELECT p.sku, coalesce(sum(s.quantity) FILTER (WHERE {between('2026-10-01', '2026-10-31')})"
                         ", 0) AS u FROM products p LEFT JOIN sales s ON s.tenant_id = p.tenant_id AND s.sku = p.sku "
                         "WHERE p.tenant_id = :tid GROUP BY 1 ORDER BY u, 1 LIMIT 3")
    assert pick(result, ["sku", "units"]) == expected


def test_like_for_like_partial_period(nw: Principal) -> None:
    """On the 15th, "this month vs the same days of last month" compares the first 15 days of each; "vs last month"
    takes all of last month, and the interpretation line says this month is not over."""
    result = run_sql_tool(nw, "Revenue this month vs the same days of last month", today=date(2026, 10, 15))
    assert result.params["start"] == date(2026, 10, 1) and result.params["end"] == date(2026, 10, 16)
    assert result.params["prev_start"] == date(2026, 9, 1) and result.params["prev_end"] == date(2026, 9, 16)
    whole = run_sql_tool(nw, "Revenue this month vs last month", today=date(2026, 10, 15))
    assert whole.params["prev_start"] == date(2026, 9, 1) and whole.params["prev_end"] == date(2026, 10, 1)
    assert "its first 15 days are compared with all 30 days of September 2026" in whole.interpretation


def test_two_months_of_one_year_stay_in_that_year(nw: Principal) -> None:
    result = run_sql_tool(nw, "units in March vs April 2025", today=TODAY)
    assert result.params["start"] == date(2025, 4, 1) and result.params["prev_start"] == date(2025, 3, 1)


def test_period_outside_the_data_says_so(nw: Principal) -> None:
    result = run_sql_tool(nw, "How many orders did we have last week?", today=TODAY)
    assert result.rows[0][result.columns.index("orders")] == 0
    assert "sales data covers 2025-01-01 to 2026-10-31" in result.answer_text


def test_snapshot_measures_say_when_a_period_is_not_applied(nw: Principal) -> None:
    result = run_sql_tool(nw, "How many frames do we have in stock this month?", today=TODAY)
    assert result.spec is not None and result.spec.measure == "stock_on_hand"
    assert "was not applied" in result.answer_text and "current snapshot" in result.answer_text


def test_a_snapshot_measure_for_a_period_that_is_over_is_refused(nw: Principal) -> None:
    result = run_sql_tool(nw, "How many frames did we have in stock in March?", today=TODAY)
    assert result.spec is None and result.rows == []
    assert "current snapshot" in result.answer_text and "March 2026" in result.answer_text


# ----------------------------------------------------------------------------------------------------------------
# refusals: what was understood, never another question's numbers
# ----------------------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("question", ["How many cities are our stores in?", "what about the weather", "by store",
                                      "patients by store", "how many days does the price promise last",
                                      "how much margin did we make on frames last year"])
def test_unclear_questions_are_refused_with_what_was_understood(nw: Principal, question: str) -> None:
    result = run_sql_tool(nw, question, today=TODAY)
    assert result.error is not None and result.refused and not result.executed and result.rows == []
    assert "I did not run a query" in result.answer_text and "I can answer" in result.answer_text


# ----------------------------------------------------------------------------------------------------------------
# follow-ups
# ----------------------------------------------------------------------------------------------------------------


def test_follow_up_replaces_only_the_period(nw: Principal) -> None:
    first = run_sql_tool(nw, "How many frames did we sell in March?", today=TODAY)
    assert first.slots is not None and first.spec is not None
    context = json.loads(json.dumps(first.slots))  # what conversation state stores
    second = run_sql_tool(nw, "and in April?", context=context, today=TODAY)
    assert second.error is None, second.answer_text
    assert second.spec is not None and second.spec.filters.category == ("frames",)
    assert second.spec.time_range is not None and second.spec.time_range.label == "April 2026"
    expected = truth(nw, f"SELECT sum(s.quantity) {S} AND p.category = 'frames' "
                         f"AND {between('2026-04-01', '2026-04-30')}")
    assert pick(second, ["units"]) == expected
    assert "follow-up" in second.answer_text
    alone = run_sql_tool(nw, "and in April?", today=TODAY)  # without the context: nothing to continue
    assert alone.error is not None and not alone.executed


def test_follow_up_flips_the_ranking_and_changes_the_measure(nw: Principal) -> None:
    first = run_sql_tool(nw, "Which store had the highest revenue in 2025?", today=TODAY)
    lowest = run_sql_tool(nw, "and the lowest?", context=first, today=TODAY)
    assert lowest.spec is not None and lowest.spec.ranking is not None
    assert lowest.spec.ranking.direction == "asc" and lowest.spec.dimensions == ("store",)
    expected = truth(nw, f"SELECT s.store_code, sum({R}) AS r {S} AND {between('2025-01-01', '2025-12-31')} "
                         "GROUP BY 1 ORDER BY r LIMIT 1")
    assert pick(lowest, ["store_code", "revenue"]) == [tuple(norm(v) for v in expected[0])]
    orders = run_sql_tool(nw, "what about orders?", context=lowest, today=TODAY)
    assert orders.spec is not None and orders.spec.measure == "orders" and orders.spec.dimensions == ("store",)


def test_follow_up_changes_the_filter_of_the_same_kind(nw: Principal) -> None:
    first = run_sql_tool(nw, "How many frames did we sell in March?", today=TODAY)
    sun = run_sql_tool(nw, "what about sunglasses?", context=first, today=TODAY)
    assert sun.spec is not None and sun.spec.filters.category == ("sunglasses",)
    at_store = run_sql_tool(nw, "and at NW-S01?", context=sun, today=TODAY)
    assert at_store.spec is not None and at_store.spec.filters.store == ("NW-S01",)
    assert at_store.spec.filters.category == ("sunglasses",)
    expected = truth(nw, f"SELECT sum(s.quantity) {S} AND p.category = 'sunglasses' AND s.store_code = 'NW-S01' "
                         f"AND {between('2026-03-01', '2026-03-31')}")
    assert pick(at_store, ["units"]) == expected


# ----------------------------------------------------------------------------------------------------------------
# cross-tenant attempts
# ----------------------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("question", [
    "Revenue at Lumen Tucson Old Town last month",  # a lumen store name (its city is also a northwind city)
    "What was revenue at store LU-S07 in 2025?",  # a lumen store code
    "How many LU-SUN-045 did we sell in 2025?",  # a lumen SKU
    "How many Zeiss lenses did we sell in March?",  # a brand only lumen carries
    "Revenue in Tampa this year",  # a city only lumen has
])
def test_other_tenants_names_find_nothing(nw: Principal, lu: Principal, question: str) -> None:
    lumen_revenue = {money(v[0]) for v in truth(lu, f"SELECT sum({R}) {S} GROUP BY s.store_code")}
    result = run_sql_tool(nw, question, today=TODAY)
    assert result.error is not None and not result.executed and result.rows == [] and result.sql is None
    assert "I did not run a query" in result.answer_text
    assert not any(v in result.answer_text for v in lumen_revenue)
    lumen_names = [name for (name,) in truth(lu, "SELECT name FROM stores WHERE tenant_id = :tid")]
    assert not any(name in result.answer_text for name in lumen_names if name not in question)


def test_other_tenants_store_name_says_no_such_store(nw: Principal) -> None:
    result = run_sql_tool(nw, "Revenue at Lumen Tucson Old Town last month", today=TODAY)
    assert 'No store matching "Lumen Tucson Old Town"' in result.answer_text
    assert "Northwind Tucson Midtown" in result.answer_text  # lists the caller's own stores, nobody else's


def test_lumen_sees_its_own_store(lu: Principal) -> None:
    result = run_sql_tool(lu, "What was revenue at store LU-S07 in 2025?", today=TODAY)
    assert result.error is None and result.params["store"] == ["LU-S07"]
    expected = truth(lu, f"SELECT sum({R}) {S} AND s.store_code = 'LU-S07' AND {between('2025-01-01', '2025-12-31')}")
    assert pick(result, ["revenue"]) == [(norm(expected[0][0]),)]


def test_forged_context_with_another_tenants_store(nw: Principal) -> None:
    forged = {"spec": {"measure": "revenue", "filters": {"store": ["LU-S07"]},
                       "time_range": {"start": "2025-01-01", "end": "2026-01-01", "label": "2025", "grain": "year"}}}
    result = run_sql_tool(nw, "and in March?", context=forged, today=TODAY)
    assert result.error is not None and not result.executed and "LU-S07" in result.answer_text


def test_bound_other_tenant_values_return_nothing_under_rls(nw: Principal, lu: Principal) -> None:
    """Even with the catalog check bypassed, a lumen store code bound into the query sees no lumen rows."""
    assert truth(lu, f"SELECT sum(s.quantity) {S} AND s.store_code = 'LU-S07'")[0][0] > 0
    spec = QuerySpec(measure="units", filters=Filters(store=("LU-S07",)))
    result = run_spec(nw, spec, load_catalog(nw), timeout_ms=5000)
    assert result.executed and result.error is None and pick(result, ["units"]) == [(0,)]


def test_ambiguous_store_name_asks_which(lu: Principal) -> None:
    result = run_sql_tool(lu, "Revenue of the Old Town store last month", today=TODAY)
    assert not result.executed and "matches several of your stores" in result.answer_text
    assert "LU-S08" in result.answer_text and "LU-S18" in result.answer_text


# ----------------------------------------------------------------------------------------------------------------
# SQL injection in filter values
# ----------------------------------------------------------------------------------------------------------------

INJECTIONS = ["x'; DROP TABLE sales; --", "' OR 1=1 --", "NW-S01' OR '1'='1", "'); DELETE FROM sales; --",
              "Robert'); DROP TABLE stores;--"]


@pytest.mark.parametrize("value", INJECTIONS)
def test_injection_in_the_question_is_harmless(nw: Principal, value: str) -> None:
    before = table_counts()
    for question in (f"What was revenue at store {value} last month?", f"How many units did store {value} sell?",
                     f'Revenue for "{value}" in 2025'):
        result = run_sql_tool(nw, question, today=TODAY)
        assert result.error is not None and not result.executed, question
        assert "Traceback" not in result.answer_text
    assert table_counts() == before


@pytest.mark.parametrize("value", INJECTIONS)
def test_injection_values_are_bound_parameters(nw: Principal, value: str) -> None:
    """Filter values that reach SQL (here bypassing the catalog check) are bound: they match nothing, change nothing."""
    before = table_counts()
    catalog = load_catalog(nw)
    period = TimeRange(start=date(2025, 1, 1), end=date(2026, 1, 1), label="2025", grain="year")
    for filters in (Filters(store=(value,)), Filters(city=(value,)), Filters(brand=(value,)),
                    Filters(keyword=(value,)), Filters(product=(value,), state=(value,))):
        result = run_spec(nw, QuerySpec(measure="orders", filters=filters, time_range=period), catalog,
                          timeout_ms=5000)
        assert result.error is None and result.executed
        assert value not in (result.sql or "")  # the SQL text never contains the value
        assert pick(result, ["orders"]) == [(0,)]
    stock = run_spec(nw, QuerySpec(measure="items_below_reorder", dimensions=("product",),
                                   filters=Filters(store=(value,))), catalog, timeout_ms=5000)
    assert stock.rows == []
    assert table_counts() == before


# ----------------------------------------------------------------------------------------------------------------
# schema text for the model
# ----------------------------------------------------------------------------------------------------------------


def test_schema_description_matches_the_database(nw: Principal) -> None:
    with admin_engine().connect() as conn:
        rows = conn.execute(sa.text("SELECT table_name, column_name FROM information_schema.columns "
                                    "WHERE table_schema = 'public' AND column_name <> 'tenant_id'")).all()
    actual: dict[str, set[str]] = {}
    for table, column in rows:
        actual.setdefault(table, set()).add(column)
    for table in TABLES:
        assert {c.name for c in table.columns} == actual[table.name], table.name
    text = describe_schema(load_catalog(nw))
    assert "TABLE sales" in text and "quantity * unit_price - discount" in text and "tenant_id" not in text
    assert "Northwind Tucson Midtown" in text and "Lumen" not in text


# ----------------------------------------------------------------------------------------------------------------
# the model fills the spec (structured output), driven by a FAKE chat model
# ----------------------------------------------------------------------------------------------------------------


class FakeStructuredChatModel(FakeListChatModel):
    """A FAKE chat model with structured output: returns the given spec dicts, records the schemas it was given."""

    specs: list[dict[str, Any]] = []
    schemas: list[dict[str, Any]] = []

    def with_structured_output(self, schema: Any, **kwargs: Any) -> Any:  # type: ignore[override]
        from langchain_core.runnables import RunnableLambda

        self.schemas.append(schema)
        return RunnableLambda(lambda _messages: self.specs.pop(0))


def test_fake_model_fills_the_spec_and_the_compiler_runs_it(nw: Principal) -> None:
    fake = FakeStructuredChatModel(responses=["unused"])
    fake.specs = [{"measure": "units", "dimensions": ["store"], "filters": {"category": ["frames"]},
                   "time_range": {"start": "2026-03-01", "end": "2026-04-01", "label": "March 2026",
                                  "grain": "month"}}]
    fake.schemas = []
    result = run_sql_tool(nw, "frames per shop in March please", chat_model=fake, prefer_llm=True, today=TODAY)
    assert result.error is None and result.source == "llm_spec", result.answer_text
    assert fake.schemas and fake.schemas[0]["title"] == "QuerySpec"  # the schema is generated from the type
    expected = truth(nw, f"SELECT s.store_code, sum(s.quantity) AS u {S} AND p.category = 'frames' "
                         f"AND {between('2026-03-01', '2026-03-31')} GROUP BY 1 ORDER BY u DESC, 1")
    assert pick(result, ["store_code", "units"]) == expected
    assert "filled by the language model" in result.answer_text


def test_fake_model_spec_naming_another_tenants_store_is_refused(nw: Principal) -> None:
    fake = FakeStructuredChatModel(responses=["unused"])
    fake.specs = [{"measure": "revenue", "filters": {"store": ["LU-S07"]}}]
    result = run_sql_tool(nw, "revenue at that store", chat_model=fake, prefer_llm=True, today=TODAY)
    assert result.error is not None and not result.executed and "LU-S07" in result.error


def test_fake_model_invalid_spec_falls_back_to_model_sql(nw: Principal) -> None:
    fake = FakeStructuredChatModel(responses=["```sql\nSELECT count(*) AS n FROM stores\n```"])
    fake.specs = [{"measure": "happiness"}]
    result = run_sql_tool(nw, "How many cities are our stores in?", chat_model=fake, today=TODAY)
    assert result.source == "llm" and result.rows == [(3,)]


# ----------------------------------------------------------------------------------------------------------------
# the LLM path, driven by FAKE chat models
# ----------------------------------------------------------------------------------------------------------------


class FakeToolCallingChatModel(GenericFakeChatModel):
    """A FAKE chat model that accepts `bind_tools` (like the OpenAI one) and records the prompts it gets.

    It has no structured output, so the tool goes straight to its raw-SQL path (the path these tests attack).
    """

    seen: list[list[BaseMessage]] = []

    def with_structured_output(self, schema: Any, **kwargs: Any) -> Any:  # type: ignore[override]
        raise NotImplementedError("this FAKE model writes SQL only")

    def bind_tools(self, tools: Any, **kwargs: Any) -> FakeToolCallingChatModel:  # type: ignore[override]
        return self

    def _generate(self, messages: list[BaseMessage], *args: Any, **kwargs: Any) -> Any:
        self.seen.append(list(messages))
        return super()._generate(messages, *args, **kwargs)


def fake_tool_call(sql: str) -> AIMessage:
    return AIMessage(content="", tool_calls=[{"name": "run_sql", "args": {"sql": sql}, "id": "call_1"}])


def test_fake_llm_writes_sql_when_no_spec_fits(nw: Principal) -> None:
    fake = FakeToolCallingChatModel(messages=iter([fake_tool_call(
        "SELECT count(*) AS stores, count(DISTINCT city) AS cities FROM stores")]))
    fake.seen = []
    result = run_sql_tool(nw, "How many cities are our stores in?", chat_model=fake, today=TODAY)
    assert result.error is None, result.answer_text
    assert result.source == "llm" and result.spec is None and result.executed
    assert result.rows == [(3, 3)] and result.rows == truth(
        nw, "SELECT count(*), count(DISTINCT city) FROM stores WHERE tenant_id = :tid")
    assert "Result: stores = 3, cities = 3." in result.answer_text and "LIMIT 200" in result.sql
    system, user = fake.seen[0][0].content, fake.seen[0][1].content
    assert "TABLE sales" in system and system.count("Question: ") == 3  # schema + 3 examples
    assert "Northwind Tucson Midtown" in system and "Lumen" not in system
    assert "Question: How many cities are our stores in?" in user


def test_fake_llm_without_tool_calling_reads_a_sql_block(nw: Principal) -> None:
    fake = FakeListChatModel(responses=["Here you go:\n```sql\nSELECT count(*) AS patients FROM patients\n```"])
    result = run_sql_tool(nw, "How many patients do we have?", chat_model=fake, prefer_llm=True, today=TODAY)
    assert result.source == "llm" and result.rows == truth(nw, "SELECT count(*) FROM patients WHERE tenant_id = :tid")


def test_fake_llm_cannot_read_another_tenant(nw: Principal) -> None:
    fake = FakeToolCallingChatModel(messages=iter([fake_tool_call(
        "SELECT count(*) AS n, coalesce(sum(quantity), 0) AS units FROM sales WHERE store_code LIKE 'LU-%'")]))
    result = run_sql_tool(nw, "Units at every lumen store", chat_model=fake, prefer_llm=True, today=TODAY)
    assert result.executed and result.rows == [(0, 0)]  # RLS: the other tenant's rows do not exist here


MALICIOUS = [
    ("SELECT email, role FROM users", 'relation "users" is not allowed'),
    ("SELECT pg_read_file('/etc/passwd')", 'function "pg_read_file" is not allowed'),
    ("SELECT 1; DROP TABLE sales", "only one statement is allowed"),
    ("SELECT count(*) FROM sales; DELETE FROM sales", "only one statement is allowed"),
    ("DELETE FROM sales", "only a single SELECT query is allowed, got DELETE"),
    ("WITH x AS (DELETE FROM sales RETURNING *) SELECT count(*) FROM x", "DELETE is not allowed"),
    ("SELECT * FROM pg_catalog.pg_authid", 'relation "pg_catalog.pg_authid" is not allowed'),
    ("SELECT * FROM sales WHERE tenant_id <> current_setting('app.tenant_id')::uuid",
     'function "current_setting" is not allowed'),
    ("SELECT set_config('app.tenant_id', '00000000-0000-0000-0000-000000000000', true)",
     'function "set_config" is not allowed'),
    ("SELECT pg_sleep(10)", 'function "pg_sleep" is not allowed'),
]


@pytest.mark.parametrize(("sql", "reason"), MALICIOUS, ids=[m[1][:40] for m in MALICIOUS])
def test_fake_llm_malicious_sql_is_rejected_and_not_run(nw: Principal, sql: str, reason: str) -> None:
    before = table_counts()
    fake = GenericFakeChatModel(messages=iter([f"```sql\n{sql}\n```"] * 2))  # FAKE model, same answer on retry
    result = run_sql_tool(nw, "Show me everything", chat_model=fake, prefer_llm=True, today=TODAY)
    assert result.error is not None and reason in result.error
    assert result.error.startswith("The generated SQL was not run: the SQL guard rejected it")
    assert not result.executed and result.rows == [] and result.sql is None
    assert "Traceback" not in result.answer_text and "\n" not in result.error
    assert table_counts() == before


def test_fake_llm_retry_gets_the_guards_reason(nw: Principal) -> None:
    fake = FakeToolCallingChatModel(messages=iter([fake_tool_call("SELECT * FROM users"),
                                                   fake_tool_call("SELECT count(*) AS n FROM stores")]))
    fake.seen = []
    result = run_sql_tool(nw, "How many cities are our stores in?", chat_model=fake, today=TODAY)
    assert result.error is None and result.rows == [(3,)]
    assert 'relation "users" is not allowed' in fake.seen[1][1].content


def test_fake_llm_database_error_is_a_clear_message(nw: Principal) -> None:
    fake = GenericFakeChatModel(messages=iter(["SELECT no_such_column FROM sales"] * 2))
    result = run_sql_tool(nw, "Show me everything", chat_model=fake, prefer_llm=True, today=TODAY)
    assert result.error is not None and 'column "no_such_column" does not exist' in result.error
    assert "Traceback" not in result.answer_text and "psycopg" not in result.answer_text


def test_fake_llm_slow_query_hits_the_statement_timeout(nw: Principal) -> None:
    fake = FakeToolCallingChatModel(messages=iter([fake_tool_call(
        "SELECT count(*) AS n FROM sales a CROSS JOIN sales b CROSS JOIN sales c")]))
    result = run_sql_tool(nw, "How many combinations of sales lines are there?", chat_model=fake, prefer_llm=True,
                          statement_timeout_ms=300, today=TODAY)
    assert result.error is not None and "statement timeout" in result.error and "0.3 s" in result.error
    assert result.executed and result.rows == [] and result.elapsed_ms < 5000
    assert "Traceback" not in result.answer_text
    # the session is usable afterwards (the timed-out transaction was rolled back)
    assert run_sql_tool(nw, "How many frames did we sell in March?", today=TODAY).error is None


def test_fake_llm_that_returns_no_sql(nw: Principal) -> None:
    fake = FakeListChatModel(responses=["I am not sure what you mean."])
    result = run_sql_tool(nw, "Show me everything", chat_model=fake, prefer_llm=True, today=TODAY)
    assert result.error == "I could not get a query for that question: the language model did not return a SQL query."


def test_llm_sql_returns_the_models_text_unchecked() -> None:
    fake = FakeListChatModel(responses=["```sql\nSELECT 1 AS one\n```"])
    assert llm_sql("anything", fake) == "SELECT 1 AS one"


# ----------------------------------------------------------------------------------------------------------------
# clear messages for user mistakes
# ----------------------------------------------------------------------------------------------------------------


def test_no_spec_and_no_model_is_an_honest_refusal(nw: Principal) -> None:
    result = run_sql_tool(nw, "How many cities are our stores in?", today=TODAY)
    assert result.error is not None and result.refused and not result.executed
    assert "I did not run a query" in result.error and "I can answer questions about" in result.error


@pytest.mark.parametrize(("question", "message"), [
    ("", "Please ask a question"),
    ("How many frames did we sell on February 30 2025?", "I could not read the time range"),
    ("x" * 3000, "too long"),
])
def test_bad_input_gets_a_message(nw: Principal, question: str, message: str) -> None:
    result = run_sql_tool(nw, question, today=TODAY)
    assert result.error is not None and message in result.error and not result.executed


def test_row_cap(nw: Principal) -> None:
    result = run_sql_tool(nw, "Revenue by product and month in 2025", today=TODAY, max_rows=10)
    assert len(result.rows) == 10 and result.truncated
    assert "LIMIT 10" in result.sql and "row cap" in result.answer_text
