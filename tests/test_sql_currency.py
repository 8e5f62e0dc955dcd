"""A tenant's currency (tools/sql/money.py): derived from the countries of its stored state codes (no currency is
stored), USD by default; amounts written "€1,234.50" / "CA$1,234.50" / "CHF 1,234.50" / "¥1,235" in sentences,
tables and chart axes; a question "in euros" is answered for a euro tenant and refused for a dollar tenant (no
conversion). Unit tests on made-up in-memory catalogs (no database)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from tools.catalog import Catalog, Product, Store
from tools.sql.chart import chart_for
from tools.sql.money import DEFAULT_CURRENCY, asked_currency, currency_of, format_money, tenant_currency
from tools.sql.parse import parse_question
from tools.sql.sentences import sentence, table

TODAY = date(2026, 6, 15)
_PRODUCTS = (Product("MR-1", "Mirador Oval 49", "frames", "Mirador"),
             Product("MR-2", "Brisa Polar", "sunglasses", "Brisa"))


def _catalog(states: tuple[str, ...]) -> Catalog:
    stores = tuple(Store(f"MR-{i}", f"Mirador Optics {i}", f"Town {i}", s) for i, s in enumerate(states, 1))
    return Catalog(stores=stores, products=_PRODUCTS, tenant_words=frozenset({"mirador"}),
                   sales_from=date(2024, 1, 2), sales_to=date(2026, 6, 12))


SPAIN = _catalog(("AN", "CT", "MD", "PV"))
GERMANY = _catalog(("BY", "NW", "HE"))
CANADA = _catalog(("ON", "BC", "QC"))
SWITZERLAND = _catalog(("ZH", "GE", "VD"))
US = _catalog(("OR", "WA", "NV", "CA"))
NOWHERE = _catalog(())


@pytest.mark.parametrize(("catalog", "code"), [(SPAIN, "EUR"), (GERMANY, "EUR"), (CANADA, "CAD"),
                                               (SWITZERLAND, "CHF"), (US, "USD"), (NOWHERE, "USD")])
def test_the_currency_comes_from_the_countries_of_the_stored_places(catalog: Catalog, code: str) -> None:
    assert tenant_currency(catalog).code == code


def test_amounts_are_written_one_way_for_every_currency() -> None:
    assert format_money(Decimal("1234.5"), currency_of("EUR")) == "€1,234.50"
    assert format_money(Decimal("1234.5"), DEFAULT_CURRENCY) == "$1,234.50"
    assert format_money(Decimal("-12"), currency_of("CAD"), signed=True) == "-CA$12.00"
    assert format_money(Decimal("3.1"), currency_of("AUD"), signed=True) == "+A$3.10"
    assert format_money(Decimal("1234.5"), currency_of("CHF")) == "CHF 1,234.50"
    assert format_money(Decimal("1234.5"), currency_of("JPY")) == "¥1,235"
    assert format_money(Decimal("1.2345"), currency_of("KWD")) == "KWD 1.235"


def test_sentence_table_and_chart_use_the_tenant_currency() -> None:
    parsed = parse_question("revenue by store in 2025", SPAIN, TODAY)
    assert parsed.spec is not None
    columns = ["store_code", "store", "revenue"]
    rows = [(s.code, s.name, Decimal("1500") * i) for i, s in enumerate(SPAIN.stores, 1)]
    text = sentence(parsed.spec, columns, rows, SPAIN)
    assert "€1,500.00" in text and "€6,000.00" in text and "$" not in text
    assert "€4,500.00" in table(parsed.spec, columns, rows, currency=tenant_currency(SPAIN))
    chart = chart_for(parsed.spec, columns, rows, currency=tenant_currency(SPAIN))
    assert chart is not None and chart["layout"]["yaxis"]["tickprefix"] == "€"
    us = parse_question("revenue by store in 2025", US, TODAY)
    assert us.spec is not None and "$1,500.00" in sentence(us.spec, columns, rows, US)


@pytest.mark.parametrize(("question", "codes"), [
    ("revenue in euros last month", {"EUR"}), ("what did we take in US dollars in 2025", {"USD"}),
    ("turnover 2025 (EUR)", {"EUR"}), ("sales in GBP this year", {"GBP"}), ("revenue in Swiss francs", {"CHF"}),
])
def test_a_currency_asked_for_is_found(question: str, codes: set[str]) -> None:
    asked = asked_currency(question)
    assert asked is not None and asked.codes == codes


@pytest.mark.parametrize("question", ["revenue in real terms in 2025", "orders over $500 last year",
                                      "revenue in Euskadi", "units sold in 2025"])
def test_no_currency_is_read_where_none_is_asked(question: str) -> None:
    assert asked_currency(question) is None


def test_the_tenant_currency_is_answered_and_another_refused() -> None:
    ok = parse_question("how much did we sell in euros in Q1 2026", SPAIN, TODAY)
    assert ok.spec is not None and ok.spec.measure == "revenue"
    assert (ok.spec.time_range.start, ok.spec.time_range.end) == (date(2026, 1, 1), date(2026, 4, 1))
    dollars = parse_question("how much did we sell in dollars in Q1 2026", SPAIN, TODAY)
    assert dollars.spec is None and "euros (EUR)" in (dollars.refusal or "") and "convert" in (dollars.refusal or "")
    assert parse_question("revenue in Canadian dollars last month", CANADA, TODAY).spec is not None
    assert parse_question("revenue in dollars last month", CANADA, TODAY).spec is not None  # CAD is a dollar
    refused = parse_question("revenue in euros last month", US, TODAY)
    assert refused.spec is None and "US dollars (USD)" in (refused.refusal or "")
    assert "I did not run a query" in (refused.refusal or "")


def test_the_chain_name_with_accents_is_no_unknown_word() -> None:
    # "Ópticas" of the chain's own name, written with or without its accent, in a question in the tenant's currency
    stores = tuple(Store(f"OM-{i}", f"Ópticas Mirador {town}", town, state)
                   for i, (town, state) in enumerate((("Bilbao", "PV"), ("Sevilla", "AN"), ("Girona", "CT")), 1))
    catalog = Catalog(stores=stores, products=_PRODUCTS, tenant_words=frozenset({"mirador"}),
                      sales_from=date(2024, 1, 2), sales_to=date(2026, 6, 12))
    for question in ("How much did Ópticas Mirador sell in euros in Q1 2026?",
                     "how much did opticas mirador sell in 2025"):
        parsed = parse_question(question, catalog, TODAY)
        assert parsed.spec is not None and parsed.spec.measure == "revenue", parsed.refusal
        assert parsed.spec.filters.is_empty()


class _ModelThatMustNotBeCalled:
    """A FAKE chat model (the chat-model boundary): any use of it fails the test."""

    def __getattr__(self, name: str) -> object:
        raise AssertionError(f"the chat model was used ({name}) for a question that must be refused")


def test_another_currency_is_refused_before_any_model_reads_it(demo: dict) -> None:
    from db import registry
    from tools.sql_tool import run_sql_tool

    me = registry.principal_for("ava.admin@northwind-optics.example")  # a US tenant: amounts in USD
    for prefer_llm in (False, True):
        result = run_sql_tool(me, "revenue in euros in 2025", today=TODAY,
                              chat_model=_ModelThatMustNotBeCalled(),  # type: ignore[arg-type]
                              prefer_llm=prefer_llm)
        assert result.error is not None and result.refused and not result.executed
        assert "US dollars (USD)" in result.error and "convert" in result.error
    answered = run_sql_tool(me, "revenue in dollars in 2025", today=TODAY)
    assert answered.error is None and answered.summary.startswith("Revenue (after discounts) in 2025: $")
