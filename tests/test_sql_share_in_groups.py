"""A part's share of each group's whole ("share of sunglasses in revenue per province", "what % of revenue in each
store was frames": sunglasses' share of each province's revenue) against each group's share of a filtered total
("each province's share of sunglasses revenue"): the parser tells them apart by where the filter is named, the
compiler puts the part in a FILTER over each group's whole, and the sentence says which it is. Parser tests use a
made-up in-memory catalog; one test runs end to end on the demo database against independent SQL."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
import sqlalchemy as sa

from db import registry
from db.engine import admin_engine
from tools.catalog import Catalog, Product, Store
from tools.sql.chart import chart_for
from tools.sql.parse import parse_question
from tools.sql.sentences import interpretation, sentence
from tools.sql_tool import run_sql_tool

TODAY = date(2026, 6, 15)
CATALOG = Catalog(
    stores=(Store("TR-1", "Tern Optical Halifax", "Halifax", "NS"), Store("TR-2", "Tern Optical Kingston", "Kingston",
                                                                          "ON"),
            Store("TR-3", "Tern Optical Kelowna", "Kelowna", "BC")),
    products=(Product("TR-S1", "Gannet Polar", "sunglasses", "Gannet"),
              Product("TR-F1", "Puffin Round 47", "frames", "Puffin")),
    tenant_words=frozenset({"tern"}), sales_from=date(2024, 1, 2), sales_to=date(2026, 6, 12))


@pytest.mark.parametrize(("question", "dim"), [
    ("share of sunglasses in revenue per province", "state"),
    ("sunglasses' share of revenue by province in 2025", "state"),
    ("what share of each province's revenue came from sunglasses", "state"),
    ("what % of revenue in each store was sunglasses", "store"),
    ("share of sunglasses in units sold by store last year", "store"),
    ("which store has the highest share of sunglasses in its revenue", "store"),
    ("share of sunglasses in each store's revenue in 2025", "store"),
])
def test_the_part_within_each_group(question: str, dim: str) -> None:
    parsed = parse_question(question, CATALOG, TODAY)
    spec = parsed.spec
    assert spec is not None, parsed.refusal
    assert spec.share_of_total and spec.dimensions == (dim,)
    assert spec.part.category == ("sunglasses",) and spec.filters.is_empty()
    assert "'s total" in interpretation(spec, CATALOG)


@pytest.mark.parametrize("question", [
    "each province's share of sunglasses revenue",
    "what share of sunglasses revenue came from each province",
    "share of sunglasses revenue by province",
])
def test_each_group_share_of_a_filtered_total_is_unchanged(question: str) -> None:
    spec = parse_question(question, CATALOG, TODAY).spec
    assert spec is not None and spec.share_of_total and spec.dimensions == ("state",)
    assert spec.part.is_empty() and spec.filters.category == ("sunglasses",)


def test_the_sentence_gives_part_whole_and_share_per_group() -> None:
    spec = parse_question("share of sunglasses in revenue per province in 2025", CATALOG, TODAY).spec
    assert spec is not None
    text = sentence(spec, ["state", "revenue", "total_revenue", "share_pct"],
                    [("NS", Decimal("300"), Decimal("1200"), Decimal("25.0")),
                     ("ON", Decimal("0"), Decimal("500"), Decimal("0.0"))], CATALOG)
    assert text.startswith("Share of category: sunglasses in each province's revenue (after discounts) in 2025: ")
    assert "Nova Scotia (NS): CA$300.00 of CA$1,200.00 (25.0%)" in text and "CA$0.00 of CA$500.00 (0.0%)" in text


def test_the_chart_plots_the_shares_not_the_part_amounts() -> None:
    spec = parse_question("what % of revenue in each store was sunglasses", CATALOG, TODAY).spec
    assert spec is not None
    rows = [(s.code, s.name, Decimal(100 * i), Decimal(400 * i), Decimal("25.0")) for i, s in
            enumerate(CATALOG.stores, 1)]
    rows.append(("TR-4", "Tern Optical Digby", Decimal("0"), Decimal("300"), Decimal("0.0")))
    chart = chart_for(spec, ["store_code", "store", "revenue", "total_revenue", "share_pct"], rows)
    assert chart is not None and list(chart["data"][0]["y"]) == [25.0, 25.0, 25.0, 0.0]
    assert "share of category: sunglasses" in chart["layout"]["yaxis"]["title"]["text"]
    assert "tickprefix" not in chart["layout"]["yaxis"]


def test_share_within_each_store_end_to_end_matches_independent_sql(demo: dict) -> None:
    me = registry.principal_for("ava.admin@northwind-optics.example")
    result = run_sql_tool(me, "what share of revenue in each store was sunglasses in 2025", today=date(2026, 11, 15))
    assert result.spec is not None and result.spec.part.category == ("sunglasses",), result.answer_text
    with admin_engine().connect() as conn:
        rows = conn.execute(sa.text(
            "SELECT s.store_code, SUM(s.quantity * s.unit_price - s.discount) FILTER (WHERE p.category = 'sunglasses'),"
            " SUM(s.quantity * s.unit_price - s.discount) FROM sales s JOIN products p ON p.tenant_id = s.tenant_id "
            "AND p.sku = s.sku WHERE s.tenant_id = :tid AND s.sold_at >= DATE '2025-01-01' "
            "AND s.sold_at < DATE '2026-01-01' GROUP BY s.store_code"), {"tid": me.tenant_id}).all()
    expected = {code: round(Decimal(str(part or 0)) * 100 / Decimal(str(whole)), 1) for code, part, whole in rows}
    got = {r[result.columns.index("store_code")]: Decimal(str(r[result.columns.index("share_pct")]))
           for r in result.rows}
    assert got == expected and len(got) >= 2
    shares = [Decimal(str(r[result.columns.index("share_pct")])) for r in result.rows]
    assert shares == sorted(shares, reverse=True)  # listed by the share, highest first
