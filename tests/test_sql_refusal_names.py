"""A refusal quotes the unknown name the user wrote, never the period next to it: "revenue in Hesse 2025" says
"Hesse", not "Hesse 2025" (tools/sql/entities.py clips a reported name at the time phrases of the question). Parser
and message tests on a made-up in-memory catalog (no database)."""

from __future__ import annotations

from datetime import date

import pytest

from tools.catalog import Catalog, Product, Store
from tools.sql.parse import parse_question
from tools.sql.sentences import unresolved_message

TODAY = date(2026, 6, 15)
CATALOG = Catalog(
    stores=(Store("PB-1", "Pinebrook Optics Medford", "Medford", "OR"),
            Store("PB-2", "Pinebrook Optics Salem", "Salem", "OR"),
            Store("PB-3", "Pinebrook Optics Reno", "Reno", "NV")),
    products=(Product("PB-F1", "Tamarack Square 50", "frames", "Tamarack"),),
    tenant_words=frozenset({"pinebrook"}), sales_from=date(2024, 1, 2), sales_to=date(2026, 6, 12))


@pytest.mark.parametrize(("question", "name"), [
    ("revenue in Hesse 2025", "Hesse"),
    ("units sold in Springfield Q1 2026", "Springfield"),
    ("revenue at Lakeshore last month", "Lakeshore"),
    ("orders in Atlantis in March 2026", "Atlantis"),
    ("sales for Gotham March 2026", "Gotham"),
])
def test_the_refusal_quotes_the_name_without_the_period(question: str, name: str) -> None:
    parsed = parse_question(question, CATALOG, TODAY)
    assert parsed.spec is None and parsed.unresolved
    message = unresolved_message(parsed.unresolved, CATALOG)
    assert f'"{name}"' in message
    assert not any(u.text != name and u.text.startswith(name) for u in parsed.unresolved), parsed.unresolved
    assert "I did not run a query" in message
