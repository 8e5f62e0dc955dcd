"""Rankings inside each group and averages per weekday, on a made-up Czech tenant (not a bench tenant).

- "the top 2 products in each store", "the best store in each region", "which month was best for each store": the
  top N inside every group of the first dimension (`Ranking.per_group`), compiled as ROW_NUMBER() OVER (PARTITION
  BY the group) in a subquery. Before, the whole breakdown was listed (hundreds of rows for products x stores).
- "the best two frames per store" ranks frames inside each store; it was answered with the top 2 STORES for
  frames, a different question.
- "which weekday brings in the most on average", "average revenue per weekday": the mean day of each weekday
  (`average_over="day"` by weekday); both were refused, and "brings in" was no revenue word.
- "average orders per month / by weekday" (plural orders) is a count of orders averaged; it was read as the average
  order value, a different question. "average order value" and "the average transaction" stay the AOV.
Parser, compiler and sentence tests on a catalog; numbers against a database are in tests/test_sql_tool.py."""

from __future__ import annotations

from datetime import date

import pytest

from tests.sql_helpers import spec_of
from tools.catalog import Catalog, Product, Store
from tools.sql.compile import compile_spec
from tools.sql.sentences import interpretation, sentence
from tools.sql.spec import QuerySpec, Ranking, SpecError, check_spec

TODAY = date(2026, 6, 17)
CATALOG = Catalog(stores=(Store("V-1", "Vydra Optika Malá Strana", "Praha", "PHA"),
                          Store("V-2", "Vydra Optika Špilberk", "Brno", "JHM"),
                          Store("V-3", "Vydra Optika Znojmo", "Znojmo", "JHM")),
                  products=(Product("VF-1", "Vydra Vltava", "frames", "Vydra"),
                            Product("VF-2", "Vydra Morava", "frames", "Vydra"),
                            Product("VF-3", "Vydra Sázava", "frames", "Vydra"),
                            Product("VS-1", "Vydra Slunce", "sunglasses", "Vydra")),
                  tenant_words=frozenset({"vydra"}), sales_from=date(2024, 5, 1), sales_to=date(2026, 6, 16))


@pytest.mark.parametrize(("question", "dims", "limit"), [
    ("top 2 products in each store last month", ("store", "product"), 2),
    ("best store in every region in 2025", ("state", "store"), 1),
    ("which month was best for each store in 2025", ("store", "month"), 1),
    ("top 3 brands per city this year", ("city", "brand"), 3),
    ("the best two frames per store this year by revenue", ("store", "product"), 2),
])
def test_a_ranking_inside_each_group(question: str, dims: tuple[str, ...], limit: int) -> None:
    spec = spec_of(question, CATALOG, TODAY)
    assert spec.dimensions == dims
    assert spec.ranking is not None and spec.ranking.per_group and spec.ranking.limit == limit


def test_the_frames_inside_each_store_keep_the_category() -> None:
    spec = spec_of("the best two frames per store this year by revenue", CATALOG, TODAY)
    assert spec.filters.category == ("frames",) and spec.measure == "revenue"


def test_a_plain_top_n_stays_one_ranking_of_all_rows() -> None:
    spec = spec_of("top 2 products by revenue last month", CATALOG, TODAY)
    assert spec.dimensions == ("product",) and spec.ranking is not None and not spec.ranking.per_group


def test_the_compiled_ranking_partitions_by_the_first_dimension() -> None:
    spec = QuerySpec(measure="units", dimensions=("store", "product"), ranking=Ranking(limit=2, per_group=True))
    sql = compile_spec(spec).sql
    assert "ROW_NUMBER() OVER (PARTITION BY st.store_code, st.name ORDER BY" in sql
    assert "rank_in_group <= 2" in sql and sql.count("SELECT") == 2


def test_a_ranking_inside_groups_needs_two_breakdowns_and_a_number() -> None:
    with pytest.raises(SpecError):
        check_spec(QuerySpec(measure="units", dimensions=("store",), ranking=Ranking(limit=2, per_group=True)))
    with pytest.raises(SpecError):
        check_spec(QuerySpec(measure="units", dimensions=("store", "product"), ranking=Ranking(per_group=True)))


def test_the_answer_lists_each_group_with_its_own_top_rows() -> None:
    spec = QuerySpec(measure="units", dimensions=("store", "product"), ranking=Ranking(limit=2, per_group=True))
    rows = [{"store_code": "V-1", "store": "Malá Strana", "sku": "VF-1", "product": "Vltava", "units": 9},
            {"store_code": "V-1", "store": "Malá Strana", "sku": "VF-2", "product": "Morava", "units": 4},
            {"store_code": "V-2", "store": "Špilberk", "sku": "VF-3", "product": "Sázava", "units": 7}]
    text = sentence(spec, list(rows[0]), [tuple(r.values()) for r in rows], catalog=CATALOG)
    assert text.startswith("The 2 products with the highest units sold in each store")
    assert "Malá Strana (V-1): 1. Vltava (VF-1): 9; 2. Morava (VF-2): 4 | Špilberk (V-2): 1. Sázava (VF-3): 7" in text
    assert "top 2 in each store" in interpretation(spec, CATALOG)


@pytest.mark.parametrize(("question", "measure", "limit"), [
    ("which weekday brings in the most on average", "revenue", 1),
    ("on average which day of the week is our busiest", "revenue", 1),
    ("average revenue per weekday in 2025", "revenue", None),
    ("average orders by day of the week last quarter", "orders", None),
])
def test_an_average_per_weekday_is_the_mean_day(question: str, measure: str, limit: int | None) -> None:
    spec = spec_of(question, CATALOG, TODAY)
    assert (spec.measure, spec.dimensions, spec.average_over) == (measure, ("weekday",), "day")
    assert (spec.ranking.limit if spec.ranking else None) == limit


@pytest.mark.parametrize(("question", "measure", "over"), [
    ("average orders per month in 2025", "orders", "month"),
    ("avg orders per day last month", "orders", "day"),
    ("average transactions per week this year", "orders", "week"),
    ("average order value in 2025", "avg_order_value", None),
    ("what was the average transaction last month", "avg_order_value", None),
])
def test_average_orders_is_a_count_averaged_not_the_order_value(question: str, measure: str,
                                                                over: str | None) -> None:
    spec = spec_of(question, CATALOG, TODAY)
    assert (spec.measure, spec.average_over) == (measure, over)
