"""The SQL tool end to end on the real demo database: templates (numbers cross-checked against independent SQL),
follow-ups, cross-tenant attempts, SQL injection in slot values, and the LLM path driven by langchain-core's FAKE
chat models (the only fake: the chat-model boundary) returning malicious or slow SQL."""

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
from tools.sql_guard import validate_sql
from tools.sql_schema import TABLES, describe_schema
from tools.sql_templates import (
    FILTERS,
    TEMPLATES,
    Slots,
    build_sql,
    example_slots,
    few_shot_examples,
    get_template,
    guard_template_sql,
    literal_sql,
)
from tools.sql_tool import SQLResult, llm_sql, load_catalog, run_sql_tool, run_template

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
# every template family, cross-checked against independent SQL
# ----------------------------------------------------------------------------------------------------------------

CASES: list[tuple[str, str, str, list[str]]] = [
    ("How many frames did we sell in March?", "units_total",
     f"SELECT sum(s.quantity), count(DISTINCT s.order_id) {S} AND p.category = 'frames' AND "
     f"{between('2026-03-01', '2026-03-31')}", ["units", "orders"]),
    ("What was our revenue last month?", "revenue_total",
     f"SELECT sum({R}), sum(s.quantity) {S} AND {between('2026-10-01', '2026-10-31')}", ["revenue", "units"]),
    ("Revenue at the Tucson Midtown store in Q2 2025", "revenue_total",
     f"SELECT sum({R}), sum(s.quantity) {S} AND s.store_code = 'NW-S02' AND {between('2025-04-01', '2025-06-30')}",
     ["revenue", "units"]),
    ("How many Ray-Ban sunglasses did we sell in 2025?", "units_total",
     f"SELECT sum(s.quantity), count(DISTINCT s.order_id) {S} AND p.brand = 'Ray-Ban' AND p.category = 'sunglasses' "
     f"AND {between('2025-01-01', '2025-12-31')}", ["units", "orders"]),
    ("How many progressive lenses did we sell in March?", "units_total",
     f"SELECT sum(s.quantity), count(DISTINCT s.order_id) {S} AND p.category = 'lenses' "
     f"AND p.name ILIKE '%progressive%' AND {between('2026-03-01', '2026-03-31')}", ["units", "orders"]),
    ("How many orders did we have in October?", "orders_total",
     f"SELECT count(DISTINCT s.order_id), sum(s.quantity), sum({R}) {S} AND {between('2026-10-01', '2026-10-31')}",
     ["orders", "units", "revenue"]),
    ("What is our average order value in 2025?", "avg_order_value",
     f"SELECT count(*), sum(v), round(avg(v), 2) FROM (SELECT s.order_id, sum({R}) AS v {S} "
     f"AND {between('2025-01-01', '2025-12-31')} GROUP BY s.order_id) o", ["orders", "revenue", "avg_order_value"]),
    ("How much discount did we give last month?", "discount_total",
     f"SELECT sum(s.quantity * s.unit_price), sum(s.discount) {S} AND {between('2026-10-01', '2026-10-31')}",
     ["gross_sales", "discount"]),
    ("Sales by category last month", "sales_by_category",
     f"SELECT p.category, sum(s.quantity), sum({R}) AS r {S} AND {between('2026-10-01', '2026-10-31')} "
     "GROUP BY p.category ORDER BY r DESC", ["category", "units", "revenue"]),
    ("Revenue per brand for frames in 2025", "sales_by_brand",
     f"SELECT p.brand, sum(s.quantity), sum({R}) AS r {S} AND p.category = 'frames' "
     f"AND {between('2025-01-01', '2025-12-31')} GROUP BY p.brand ORDER BY r DESC", ["brand", "units", "revenue"]),
    ("Sales by store in Q3 2026", "sales_by_store",
     f"SELECT s.store_code, sum(s.quantity), sum({R}) AS r {S} AND {between('2026-07-01', '2026-09-30')} "
     "GROUP BY s.store_code ORDER BY r DESC", ["store_code", "units", "revenue"]),
    ("Revenue per city this year", "sales_by_city",
     f"SELECT st.city, sum(s.quantity), sum({R}) AS r {S} AND {between('2026-01-01', '2026-12-31')} "
     "GROUP BY st.city ORDER BY r DESC", ["city", "units", "revenue"]),
    ("Monthly sales for 2025", "sales_by_month",
     f"SELECT date_trunc('month', s.sold_at)::date AS m, sum(s.quantity), sum({R}) {S} "
     f"AND {between('2025-01-01', '2025-12-31')} GROUP BY m ORDER BY m", ["month", "units", "revenue"]),
    ("Sales by product for Oakley last month", "sales_by_product",
     f"SELECT s.sku, sum(s.quantity), sum({R}) AS r {S} AND p.brand = 'Oakley' "
     f"AND {between('2026-10-01', '2026-10-31')} GROUP BY s.sku ORDER BY r DESC, s.sku", ["sku", "units", "revenue"]),
    ("Sales by day of the week in 2025", "sales_by_weekday",
     f"SELECT trim(to_char(s.sold_at, 'Day')), count(DISTINCT s.order_id), sum(s.quantity), sum({R}) {S} "
     f"AND {between('2025-01-01', '2025-12-31')} GROUP BY extract(isodow FROM s.sold_at), 1 "
     "ORDER BY extract(isodow FROM s.sold_at)", ["weekday", "orders", "units", "revenue"]),
    ("What were our top 5 best-selling products last month?", "top_products_by_units",
     f"SELECT s.sku, sum(s.quantity) {S} AND {between('2026-10-01', '2026-10-31')} GROUP BY s.sku "
     f"ORDER BY sum(s.quantity) DESC, sum({R}) DESC, s.sku LIMIT 5", ["sku", "units"]),
    ("Top 3 products by revenue this year", "top_products_by_revenue",
     f"SELECT s.sku, sum({R}) {S} AND {between('2026-01-01', '2026-12-31')} GROUP BY s.sku "
     f"ORDER BY sum({R}) DESC, s.sku LIMIT 3", ["sku", "revenue"]),
    ("Which store had the highest revenue last month?", "top_stores_by_revenue",
     f"SELECT s.store_code, sum({R}) {S} AND {between('2026-10-01', '2026-10-31')} GROUP BY s.store_code "
     f"ORDER BY sum({R}) DESC LIMIT 1", ["store_code", "revenue"]),
    ("Top 2 stores by units sold in 2025", "top_stores_by_units",
     f"SELECT s.store_code, sum(s.quantity) {S} AND {between('2025-01-01', '2025-12-31')} GROUP BY s.store_code "
     "ORDER BY sum(s.quantity) DESC LIMIT 2", ["store_code", "units"]),
    ("Which 4 products sold the least in 2025?", "bottom_products_by_units",
     "SELECT p.sku, coalesce(x.u, 0) FROM products p LEFT JOIN (SELECT s.sku, sum(s.quantity) AS u, "
     f"sum({R}) AS r {S} AND {between('2025-01-01', '2025-12-31')} GROUP BY s.sku) x ON x.sku = p.sku "
     "WHERE p.tenant_id = :tid ORDER BY coalesce(x.u, 0), coalesce(x.r, 0), p.sku LIMIT 4", ["sku", "units"]),
    ("Which store had the lowest revenue last month?", "bottom_stores_by_revenue",
     f"SELECT s.store_code, sum({R}) {S} AND {between('2026-10-01', '2026-10-31')} GROUP BY s.store_code "
     f"ORDER BY sum({R}) LIMIT 1", ["store_code", "revenue"]),
    ("Revenue in October vs September", "revenue_change",
     f"SELECT (SELECT sum({R}) {S} AND {between('2026-10-01', '2026-10-31')}), "
     f"(SELECT sum({R}) {S} AND {between('2026-09-01', '2026-09-30')})", ["current_revenue", "previous_revenue"]),
    ("How many frames did we sell in March vs February?", "units_change",
     f"SELECT (SELECT sum(s.quantity) {S} AND p.category = 'frames' AND {between('2026-03-01', '2026-03-31')}), "
     f"(SELECT sum(s.quantity) {S} AND p.category = 'frames' AND {between('2026-02-01', '2026-02-28')})",
     ["current_units", "previous_units"]),
    ("How did Q3 revenue compare year over year?", "revenue_yoy",
     f"SELECT (SELECT sum({R}) {S} AND {between('2026-07-01', '2026-09-30')}), "
     f"(SELECT sum({R}) {S} AND {between('2025-07-01', '2025-09-30')})", ["current_revenue", "previous_revenue"]),
    ("How many more lenses did we sell in October than a year ago?", "units_yoy",
     f"SELECT (SELECT sum(s.quantity) {S} AND p.category = 'lenses' AND {between('2026-10-01', '2026-10-31')}), "
     f"(SELECT sum(s.quantity) {S} AND p.category = 'lenses' AND {between('2025-10-01', '2025-10-31')})",
     ["current_units", "previous_units"]),
    ("How many frames do we have in stock?", "stock_on_hand_total",
     f"SELECT sum(k.on_hand), count(*), count(*) FILTER (WHERE k.on_hand < k.reorder_point) {K} "
     "AND p.category = 'frames'", ["on_hand", "items", "below_reorder"]),
    ("Stock on hand by store for contact lenses", "stock_by_store",
     f"SELECT k.store_code, sum(k.on_hand) {K} AND p.category = 'contact_lenses' GROUP BY k.store_code "
     "ORDER BY 2 DESC, 1", ["store_code", "on_hand"]),
    ("Stock on hand by product for sunglasses", "stock_by_product",
     f"SELECT k.sku, sum(k.on_hand) {K} AND p.category = 'sunglasses' GROUP BY k.sku ORDER BY 2 DESC, 1",
     ["sku", "on_hand"]),
    ("Which items are below their reorder point?", "below_reorder_point",
     f"SELECT k.store_code, k.sku, k.on_hand, k.reorder_point {K} AND k.on_hand < k.reorder_point "
     "ORDER BY k.reorder_point - k.on_hand DESC, 1, 2", ["store_code", "sku", "on_hand", "reorder_point"]),
    ("How many items are below reorder point at each store?", "below_reorder_by_store",
     f"SELECT k.store_code, count(*), sum(k.reorder_point - k.on_hand) {K} AND k.on_hand < k.reorder_point "
     "GROUP BY 1 ORDER BY 2 DESC, 1", ["store_code", "items_below", "units_short"]),
    ("How many patients wear progressive lenses?", "patients_total",
     "SELECT count(*) FROM patients WHERE tenant_id = :tid AND lens_type = 'progressive'", ["patients"]),
    ("Patients by age group", "patients_by_age_band",
     "SELECT age_band, count(*) FROM patients WHERE tenant_id = :tid GROUP BY 1 "
     "ORDER BY CASE WHEN age_band = '90+' THEN 90 ELSE split_part(age_band, '-', 1)::int END",
     ["age_band", "patients"]),
    ("Lens type mix for patients in their 50s", "patients_by_lens_type",
     "SELECT lens_type, count(*) FROM patients WHERE tenant_id = :tid AND age_band = '50-59' GROUP BY 1 "
     "ORDER BY 2 DESC, 1", ["lens_type", "patients"]),
]


def test_cases_cover_every_template() -> None:
    assert {template_id for _, template_id, _, _ in CASES} == {t.id for t in TEMPLATES}
    assert 20 <= len(TEMPLATES) <= 30


@pytest.mark.parametrize(("question", "template_id", "check_sql", "columns"), CASES,
                         ids=[c[1] + ":" + c[0][:30] for c in CASES])
def test_template_numbers_match_independent_sql(nw: Principal, question: str, template_id: str, check_sql: str,
                                                columns: list[str]) -> None:
    result = run_sql_tool(nw, question, today=TODAY)
    assert result.error is None, result.answer_text
    assert result.template_id == template_id
    assert result.source == "template" and result.executed
    expected = [tuple(norm(v) for v in row) for row in truth(nw, check_sql)]
    expected = [tuple(v if v is not None else 0 for v in row) for row in expected]
    assert expected and pick(result, columns) == expected
    # the answer shows the SQL that ran and a table; numbers in the sentence come from the rows
    assert result.sql and result.sql in result.answer_text and "LIMIT" in result.sql
    assert result.table_markdown.startswith("|") and result.table_markdown in result.answer_text
    assert ":tid" not in result.sql and "tenant_id" not in result.sql


def test_answer_sentence_restates_the_rows(nw: Principal) -> None:
    units = run_sql_tool(nw, "How many frames did we sell in March?", today=TODAY)
    n = units.rows[0][units.columns.index("units")]
    assert units.summary.startswith(f"Frames: {n:,} units sold in March 2026 across all stores")
    revenue = run_sql_tool(nw, "What was our revenue last month?", today=TODAY)
    value = revenue.rows[0][revenue.columns.index("revenue")]
    assert money(value) in revenue.summary and "October 2026" in revenue.summary
    assert "`start` = 2026-10-01, `end` = 2026-11-01" in revenue.answer_text
    change = run_sql_tool(nw, "Revenue in October vs September", today=TODAY)
    row = dict(zip(change.columns, change.rows[0], strict=True))
    assert money(row["current_revenue"]) in change.summary and money(row["previous_revenue"]) in change.summary
    assert f"{row['change_pct']:+.1f}%" in change.summary
    numbers = {m.replace(",", "") for m in re.findall(r"\d[\d,]*\.?\d*", units.summary)}
    assert numbers <= {str(v) for v in units.rows[0]} | {"2026"}  # nothing invented


def test_lumen_top_stores_cross_checked(lu: Principal) -> None:
    result = run_sql_tool(lu, "Top 3 stores by sales this year", today=TODAY)
    assert result.template_id == "top_stores_by_revenue"
    expected = truth(lu, f"SELECT s.store_code, sum({R}) {S} AND {between('2026-01-01', '2026-12-31')} "
                         f"GROUP BY 1 ORDER BY 2 DESC LIMIT 3")
    assert pick(result, ["store_code", "revenue"]) == [(c, norm(v)) for c, v in expected]
    assert all(code.startswith("LU-") for code, _ in expected)


def test_like_for_like_partial_period(nw: Principal) -> None:
    """On the 15th, "this month vs last month" compares the first 15 days of each."""
    result = run_sql_tool(nw, "Revenue this month vs last month", today=date(2026, 10, 15))
    assert result.template_id == "revenue_change"
    assert result.params["start"] == date(2026, 10, 1) and result.params["end"] == date(2026, 10, 16)
    assert result.params["prev_start"] == date(2026, 9, 1) and result.params["prev_end"] == date(2026, 9, 16)
    expected = truth(nw, f"SELECT (SELECT sum({R}) {S} AND {between('2026-10-01', '2026-10-15')}), "
                         f"(SELECT sum({R}) {S} AND {between('2026-09-01', '2026-09-15')})")
    assert pick(result, ["current_revenue", "previous_revenue"]) == [tuple(norm(v) for v in expected[0])]


def test_period_outside_the_data_says_so(nw: Principal) -> None:
    result = run_sql_tool(nw, "How many orders did we have last week?", today=TODAY)
    assert result.rows[0][result.columns.index("orders")] == 0
    assert "sales data covers 2025-01-01 to 2026-10-31" in result.answer_text


def test_snapshot_templates_say_when_a_filter_is_not_applied(nw: Principal) -> None:
    result = run_sql_tool(nw, "How many frames do we have in stock in March?", today=TODAY)
    assert result.template_id == "stock_on_hand_total"
    assert "time range was not applied" in result.answer_text


# ----------------------------------------------------------------------------------------------------------------
# follow-ups
# ----------------------------------------------------------------------------------------------------------------


def test_follow_up_replaces_only_the_period(nw: Principal) -> None:
    first = run_sql_tool(nw, "How many frames did we sell in March?", today=TODAY)
    assert first.template_id == "units_total" and first.slots is not None
    assert first.slots["category"] == ["frames"] and first.slots["period"]["label"] == "March 2026"
    context = json.loads(json.dumps(first.slots))  # what conversation state stores
    second = run_sql_tool(nw, "and in April?", context=context, today=TODAY)
    assert second.error is None, second.answer_text
    assert second.template_id == "units_total"
    assert second.slots["category"] == ["frames"] and second.slots["period"]["label"] == "April 2026"
    expected = truth(nw, f"SELECT sum(s.quantity), count(DISTINCT s.order_id) {S} AND p.category = 'frames' "
                         f"AND {between('2026-04-01', '2026-04-30')}")
    assert pick(second, ["units", "orders"]) == expected
    assert "follow-up" in second.answer_text and "April 2026" in second.summary
    # without the context, the same words are not enough to run anything
    alone = run_sql_tool(nw, "and in April?", today=TODAY)
    assert alone.template_id != "units_total" or alone.slots.get("category") != ["frames"]


def test_follow_up_changes_shape_or_product_and_keeps_the_rest(nw: Principal) -> None:
    first = run_sql_tool(nw, "How many frames did we sell in March?", today=TODAY)
    by_store = run_sql_tool(nw, "and by store?", context=first, today=TODAY)
    assert by_store.template_id == "sales_by_store"
    assert by_store.slots["category"] == ["frames"] and by_store.slots["period"]["label"] == "March 2026"
    expected = truth(nw, f"SELECT s.store_code, sum(s.quantity) {S} AND p.category = 'frames' "
                         f"AND {between('2026-03-01', '2026-03-31')} GROUP BY 1 ORDER BY sum({R}) DESC")
    assert pick(by_store, ["store_code", "units"]) == expected
    sun = run_sql_tool(nw, "what about sunglasses?", context=first, today=TODAY)
    assert sun.template_id == "units_total" and sun.slots["category"] == ["sunglasses"]
    assert sun.slots["period"]["label"] == "March 2026"
    at_store = run_sql_tool(nw, "and at NW-S01?", context=sun, today=TODAY)
    assert at_store.slots["store"] == ["NW-S01"] and at_store.slots["category"] == ["sunglasses"]
    expected = truth(nw, f"SELECT sum(s.quantity) {S} AND p.category = 'sunglasses' AND s.store_code = 'NW-S01' "
                         f"AND {between('2026-03-01', '2026-03-31')}")
    assert pick(at_store, ["units"]) == expected


def test_follow_up_of_a_comparison_recomputes_the_previous_period(nw: Principal) -> None:
    first = run_sql_tool(nw, "Revenue in October vs September", today=TODAY)
    second = run_sql_tool(nw, "and in March?", context=first, today=TODAY)
    assert second.template_id == "revenue_change"
    assert second.slots["period"]["label"] == "March 2026" and second.slots["compare_to"]["label"] == "February 2026"


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
    code = run_sql_tool(nw, "What was revenue at store LU-S07 in 2025?", today=TODAY)
    assert 'No store code or SKU "LU-S07"' in code.answer_text


def test_lumen_sees_its_own_store(lu: Principal) -> None:
    result = run_sql_tool(lu, "What was revenue at store LU-S07 in 2025?", today=TODAY)
    assert result.error is None and result.params["store"] == ["LU-S07"]
    expected = truth(lu, f"SELECT sum({R}) {S} AND s.store_code = 'LU-S07' AND {between('2025-01-01', '2025-12-31')}")
    assert pick(result, ["revenue"]) == [(norm(expected[0][0]),)]


def test_forged_context_with_another_tenants_store(nw: Principal) -> None:
    forged = {"template_id": "revenue_total", "store": ["LU-S07"], "period": {"start": "2025-01-01",
                                                                             "end": "2026-01-01", "label": "2025"}}
    result = run_sql_tool(nw, "and in March?", context=forged, today=TODAY)
    assert result.error is not None and not result.executed
    assert 'No store matching "LU-S07"' in result.answer_text


def test_bound_other_tenant_values_return_nothing_under_rls(nw: Principal, lu: Principal) -> None:
    """Even with the catalog check bypassed, a lumen store code bound into the query sees no lumen rows."""
    assert truth(lu, f"SELECT sum(s.quantity) {S} AND s.store_code = 'LU-S07'")[0][0] > 0
    result = run_template(nw, "units_total", {"store": ["LU-S07"]}, today=TODAY)
    assert result.executed and result.error is None
    assert pick(result, ["units", "orders"]) == [(0, 0)]


def test_ambiguous_store_name_asks_which(lu: Principal) -> None:
    result = run_sql_tool(lu, "Revenue of the Old Town store last month", today=TODAY)
    assert not result.executed and "matches several of your stores" in result.answer_text
    assert "LU-S08" in result.answer_text and "LU-S18" in result.answer_text


# ----------------------------------------------------------------------------------------------------------------
# SQL injection in slot values
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
    """Slot values that reach SQL (here bypassing the catalog check) are bound: they match nothing, change nothing."""
    before = table_counts()
    for slots in ({"store": [value]}, {"city": [value]}, {"brand": [value]}, {"keyword": [value]},
                  {"category": [value]}, {"sku": [value], "state": [value]}):
        result = run_template(nw, "units_total", slots, today=TODAY)
        assert result.error is None and result.executed
        assert value not in (result.sql or "")  # the SQL text never contains the value
        assert pick(result, ["units", "orders"]) == [(0, 0)]
    stock = run_template(nw, "below_reorder_point", {"store": [value]}, today=TODAY)
    assert stock.rows == []
    assert table_counts() == before


# ----------------------------------------------------------------------------------------------------------------
# the templates themselves
# ----------------------------------------------------------------------------------------------------------------


def test_every_template_with_every_filter_passes_the_guard() -> None:
    full = Slots.from_dict({"sku": ["A"], "category": ["frames"], "brand": ["B"], "keyword": ["k"], "store": ["S"],
                            "city": ["C"], "state": ["OR"], "lens_type": ["progressive"], "age_band": ["40-49"],
                            "top_n": 3, "period": {"start": "2025-01-01", "end": "2025-02-01", "label": "Jan"},
                            "compare_to": {"start": "2024-01-01", "end": "2024-02-01", "label": "Jan"}})
    for template in TEMPLATES:
        for slots in (Slots(period=full.period, compare_to=full.compare_to), full):
            sql, params = build_sql(template, slots)
            runnable, checked = guard_template_sql(sql, max_rows=50)
            binds = set(re.findall(r"(?<![:\\\w]):([a-z_]+)", runnable))
            assert binds == set(params), template.id  # every value is a bind, every bind has a value
            assert checked.limit == 50 and set(checked.relations) <= {"sales", "products", "stores", "stock",
                                                                      "patients"}
            assert set(checked.relations) >= {"patients" if template.table == "patients" else
                                              "sales" if template.table == "sales" else "stock"}
    assert set(FILTERS["sales"]) >= {"period", "sku", "category", "brand", "store", "city"}


def test_few_shot_examples_are_valid_sql(nw: Principal) -> None:
    for template in TEMPLATES:
        sql = literal_sql(template, example_slots(template))
        checked = validate_sql(sql)
        assert "'__slot_" not in sql and ":" not in re.sub(r"'[^']*'", "", sql)
        with admin_engine().connect() as conn:  # runs (as the admin: only syntax and types are checked here)
            conn.execute(sa.text("SET LOCAL app.tenant_id = '" + str(nw.tenant_id) + "'"))
            conn.execute(sa.text(checked.sql.replace(":", "\\:")))
    shots = few_shot_examples("How many Ray-Ban frames did we sell last month?")
    assert len(shots) == 3 and shots[0].template_id in {"units_total", "revenue_total", "units_change"}


def test_each_templates_examples_select_it(nw: Principal) -> None:
    from tools.sql_templates import detect_intent, extract_slots, select_template

    catalog = load_catalog(nw)
    misses = []
    for template in TEMPLATES:
        for question in template.examples:
            ex = extract_slots(question, catalog, TODAY)
            match = select_template(question, detect_intent(ex.masked, ex.slots, year_over_year=ex.year_over_year))
            if match is None or match.template.id != template.id:
                misses.append((question, template.id, match.template.id if match else None))
    assert misses == []


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
# the LLM path, driven by FAKE chat models
# ----------------------------------------------------------------------------------------------------------------


class FakeToolCallingChatModel(GenericFakeChatModel):
    """A FAKE chat model that accepts `bind_tools` (like the OpenAI one) and records the prompts it gets."""

    seen: list[list[BaseMessage]] = []

    def bind_tools(self, tools: Any, **kwargs: Any) -> FakeToolCallingChatModel:  # type: ignore[override]
        return self

    def _generate(self, messages: list[BaseMessage], *args: Any, **kwargs: Any) -> Any:
        self.seen.append(list(messages))
        return super()._generate(messages, *args, **kwargs)


def fake_tool_call(sql: str) -> AIMessage:
    return AIMessage(content="", tool_calls=[{"name": "run_sql", "args": {"sql": sql}, "id": "call_1"}])


def test_fake_llm_writes_sql_when_no_template_fits(nw: Principal) -> None:
    fake = FakeToolCallingChatModel(messages=iter([fake_tool_call(
        "SELECT count(*) AS stores, count(DISTINCT city) AS cities FROM stores")]))
    fake.seen = []
    result = run_sql_tool(nw, "How many stores do we have?", chat_model=fake, today=TODAY)
    assert result.error is None, result.answer_text
    assert result.source == "llm" and result.template_id is None and result.executed
    assert result.rows == [(3, 3)] and result.rows == truth(
        nw, "SELECT count(*), count(DISTINCT city) FROM stores WHERE tenant_id = :tid")
    assert "Result: stores = 3, cities = 3." in result.answer_text and "LIMIT 200" in result.sql
    system, user = fake.seen[0][0].content, fake.seen[0][1].content
    assert "TABLE sales" in system and system.count("Question: ") == 3  # schema + 3 curated examples
    assert "Northwind Tucson Midtown" in system and "Lumen" not in system
    assert "Question: How many stores do we have?" in user


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
    result = run_sql_tool(nw, "How many stores do we have?", chat_model=fake, today=TODAY)
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
    assert llm_sql("anything", fake, few_shot_examples("anything")) == "SELECT 1 AS one"


# ----------------------------------------------------------------------------------------------------------------
# clear messages for user mistakes
# ----------------------------------------------------------------------------------------------------------------


def test_no_template_and_no_model(nw: Principal) -> None:
    result = run_sql_tool(nw, "How many stores do we have?", today=TODAY)
    assert result.error is not None and "no SQL-writing model is configured" in result.error
    assert not result.executed


@pytest.mark.parametrize(("question", "message"), [
    ("", "Please ask a question"),
    ("How many frames did we sell on February 30 2025?", "I could not read the time range"),
    ("x" * 3000, "too long"),
])
def test_bad_input_gets_a_message(nw: Principal, question: str, message: str) -> None:
    result = run_sql_tool(nw, question, today=TODAY)
    assert result.error is not None and message in result.error and not result.executed


def test_row_cap(nw: Principal) -> None:
    result = run_sql_tool(nw, "Sales by product in 2025", today=TODAY, max_rows=10)
    assert result.template_id == "sales_by_product" and len(result.rows) == 10 and result.truncated
    assert "LIMIT 10" in result.sql and "row cap" in result.answer_text
    assert get_template("sales_by_product").title == "Sales by product"
