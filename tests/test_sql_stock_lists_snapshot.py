"""Stock questions on a made-up Irish tenant (not a bench tenant). "what did we run out of at Galway" / "what has
the Cork shop run out of" / "list the frames below reorder" ask for the items, one row each (they were answered with
a count); "how many ..." or "count" still counts. Stock and patients are current snapshots: a period that is
over ("what ran out last month", "stock in December 2025", "patients in 2024") is refused with what was understood
(it was answered with today's figures and a note), while a period that includes today ("this month", "today") keeps
the current figures.
Parser tests on a catalog; no database."""

from __future__ import annotations

from datetime import date

import pytest

from tests.sql_helpers import spec_of
from tools.catalog import Catalog, Product, Store
from tools.sql.parse import parse_question

TODAY = date(2026, 6, 17)
CATALOG = Catalog(stores=(Store("L-1", "Lough Opticians Eyre Square", "Galway", "G"),
                          Store("L-2", "Lough Opticians Patrick Street", "Cork", "CO")),
                  products=(Product("LF-1", "Lough Inis 52", "frames", "Lough"),
                            Product("LS-1", "Lough Atlantic Polar", "sunglasses", "Lough")),
                  patient_states=("G", "CO"), lens_types=("single_vision", "progressive"),
                  tenant_words=frozenset({"lough"}), sales_from=date(2024, 1, 1), sales_to=date(2026, 6, 16))


@pytest.mark.parametrize(("question", "measure", "where"), [
    ("what did we run out of at Galway", "items_out_of_stock", {"city": ("Galway",)}),
    ("what has the Cork shop run out of", "items_out_of_stock", {"store": ("L-2",)}),
    ("what have we run out of", "items_out_of_stock", {}),
    ("list the frames below reorder point", "items_below_reorder", {"category": ("frames",)}),
    ("show me what's out of stock in Cork", "items_out_of_stock", {"city": ("Cork",)}),
])
def test_what_ran_out_lists_the_items(question: str, measure: str, where: dict[str, tuple[str, ...]]) -> None:
    spec = spec_of(question, CATALOG, TODAY)
    assert (spec.measure, spec.dimensions) == (measure, ("product",))
    assert spec.filters.model_dump(exclude_defaults=True) == where


@pytest.mark.parametrize("question", ["how many items have we run out of at Galway",
                                      "show me the number of items below reorder",
                                      "count what we ran out of in Cork"])
def test_a_count_stays_a_count(question: str) -> None:
    assert spec_of(question, CATALOG, TODAY).dimensions == ()


@pytest.mark.parametrize(("question", "period"), [("what ran out in Galway last month", "May 2026"),
                                                  ("stock on hand in December 2025", "December 2025"),
                                                  ("how many patients did we have in 2024", "2024")])
def test_a_past_period_on_a_snapshot_is_refused(question: str, period: str) -> None:
    parsed = parse_question(question, CATALOG, TODAY)
    assert parsed.spec is None and parsed.refusal is not None
    assert "current snapshot" in parsed.refusal and period in parsed.refusal


@pytest.mark.parametrize("question", ["items out of stock this month", "stock on hand today",
                                      "what's below reorder point in Cork right now"])
def test_a_period_that_includes_today_keeps_the_current_figures(question: str) -> None:
    assert spec_of(question, CATALOG, TODAY).time_range is None
