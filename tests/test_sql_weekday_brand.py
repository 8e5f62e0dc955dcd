"""A catalog name that is a day of the week, on a made-up Portuguese tenant with a brand called "Saturdays": after "on"
or "every" it is the day ("Saturdays frames sold on Saturdays" is that brand's frames on Saturdays; the weekday was
lost, a different question); elsewhere it is still the brand, and a model named with a day ("Sunday Best") stays a
model."""

from __future__ import annotations

from datetime import date

import pytest

from tests.sql_helpers import spec_of
from tools.catalog import Catalog, Product, Store

TODAY = date(2026, 6, 17)
CATALOG = Catalog(stores=(Store("S-1", "Sabado Optik Alfama", "Lisboa", "11"),
                          Store("S-2", "Sabado Optik Ribeira", "Porto", "13")),
                  products=(Product("P-1", "Saturdays Dune", "frames", "Saturdays"),
                            Product("P-2", "Maré Round", "frames", "Maré"),
                            Product("P-3", "Sunday Best", "sunglasses", "Maré")),
                  tenant_words=frozenset({"sabado"}), sales_from=date(2024, 5, 1), sales_to=date(2026, 6, 16),
                  currency="EUR")


@pytest.mark.parametrize(("question", "brand", "weekday"), [
    ("Saturdays frames sold on Saturdays this year - how many?", ("Saturdays",), ("6",)),
    ("frames sold on Saturdays this year", (), ("6",)),
    ("Saturdays frames sold this year", ("Saturdays",), ()),
    ("revenue every Saturday in May", (), ("6",)),
])
def test_a_brand_named_like_a_day_is_the_day_after_on(question: str, brand: tuple, weekday: tuple) -> None:
    spec = spec_of(question, CATALOG, TODAY)
    assert spec.filters.brand == brand and spec.filters.weekday == weekday


def test_a_model_named_with_a_day_stays_a_model() -> None:
    spec = spec_of("Sunday Best units on Sundays in May", CATALOG, TODAY)
    assert spec.filters.product == ("P-3",) and spec.filters.weekday == ("7",)
