"""A plain "not" in brackets or after a comma, on a made-up Czech tenant (not a bench tenant).

- "Karlín Retro units (the frame, not the Karlín shop)": a gloss before the "not" says which reading of a word is
  meant; the store the word also names is dropped and nothing is left out (it was the store AND the frame).
- "revenue for the Karlín store (not the Karlín Retro frame)": a name set aside that shares a word with a name
  outside the brackets only rules that reading out (it was the store AND the frame, and the frames category).
- "revenue in Brno (not Olomouc)", "revenue at Vinohrady (not the Karlín store)", "Jaro sales (the Lesk one, not
  Mlha)": the name set aside is left out by the one named beside it (both were added up).
- "top 2 stores by revenue this year (not Olomouc)", "revenue by store last month, not Olomouc": nothing else of
  its kind is named, so it is left out of the answer.
- "revenue last month, not counting services" keeps its older reading (an exclusion).
Parser tests on a catalog; numbers against a database are in tests/test_sql_tool.py."""

from __future__ import annotations

from datetime import date

import pytest

from tests.sql_helpers import spec_of
from tools.catalog import Catalog, Product, Store

TODAY = date(2026, 6, 10)
CATALOG = Catalog(stores=(Store("VY-1", "Vydra Optika Vinohrady", "Praha", "PR"),
                          Store("VY-2", "Vydra Optika Karlín", "Praha", "PR"),
                          Store("VY-3", "Vydra Optika Brno Centrum", "Brno", "JM"),
                          Store("VY-4", "Vydra Optika Znojmo", "Znojmo", "JM"),
                          Store("VY-5", "Vydra Optika Olomouc", "Olomouc", "OL")),
                  products=(Product("VF-1", "Vydra Karlín Retro", "frames", "Vydra"),
                            Product("VF-2", "Lesk Jaro", "frames", "Lesk"),
                            Product("VF-3", "Mlha Jaro", "frames", "Mlha"),
                            Product("VS-1", "Lesk Slunce", "sunglasses", "Lesk"),
                            Product("VX-1", "Vydra Eye Exam", "services", "Vydra")),
                  tenant_words=frozenset({"vydra"}), sales_from=date(2024, 3, 1), sales_to=date(2026, 6, 9))


@pytest.mark.parametrize("question", [
    "Karlín Retro units this year (the frame, not the Karlín shop)",
    "Karlín Retro units this year (the model, not the Karlín store)",
])
def test_a_gloss_before_not_picks_the_reading(question: str) -> None:
    spec = spec_of(question, CATALOG, TODAY)
    assert spec.filters.store == () and spec.filters.city == () and spec.exclude.is_empty()
    assert spec.filters.product == ("VF-1",)


def test_a_name_set_aside_that_shares_a_word_rules_out_that_reading() -> None:
    spec = spec_of("revenue for the Karlín store (not the Karlín Retro frame)", CATALOG, TODAY)
    assert spec.filters.store == ("VY-2",)
    assert spec.filters.product == () and spec.filters.category == () and spec.exclude.is_empty()


@pytest.mark.parametrize(("question", "name", "kept"), [
    ("revenue in Brno (not Olomouc) last month", "city", ("Brno",)),
    ("revenue at Vinohrady (not the Karlín store) last month", "store", ("VY-1",)),
    ("Jaro sales (the Lesk one, not Mlha)", "brand", ("Lesk",)),
])
def test_a_name_set_aside_beside_one_of_its_kind_is_not_added(question: str, name: str, kept: tuple) -> None:
    spec = spec_of(question, CATALOG, TODAY)
    assert getattr(spec.filters, name) == kept and getattr(spec.exclude, name) == ()


@pytest.mark.parametrize("question", [
    "top 2 stores by revenue this year (not Olomouc)",
    "revenue by store last month, not Olomouc",
])
def test_a_name_set_aside_alone_is_left_out(question: str) -> None:
    spec = spec_of(question, CATALOG, TODAY)
    assert spec.filters.city == () and spec.filters.store == () and spec.dimensions == ("store",)
    assert spec.exclude.city == ("Olomouc",) or spec.exclude.store == ("VY-5",)  # its one store


def test_not_counting_is_still_an_exclusion() -> None:
    spec = spec_of("revenue last month, not counting services", CATALOG, TODAY)
    assert spec.exclude.category == ("services",) and spec.filters.category == ()
