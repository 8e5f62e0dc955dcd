"""A made-up Colombian chain, parser level (not a bench tenant): wordings that broke on a new tenant's first run.

- "how much of our lens revenue in 2025 was Zeiss?": a share of a part of a total (the question ended in "?" right
  after the part's verb, so the share was not seen and the part's total answered).
- "percentage of May sales made by the Medellín stores": the stores of a named city are the part, not "by store".
- "gafas de sol", "monturas", "lentes de contacto": a category named in the staff's language is the category, never
  the product words "gafas" / "sol" OR-ed (nor "corrected" into English words); "cristales (lenses)": a word glossed
  by a category in brackets is that category.
- "how many stock lines does Laureles carry": the store's stocked items, not its units on hand.
- "which store sold the most", "did Laureles sell more in ... or ...": a store's selling with nothing counted named is
  its revenue (units when a product or count is named); "the first half of 2025 or the second" compares the halves.
- "during Semana Santa 2025": a named occasion without dates is refused quoting its whole name (never "Semana is not
  one of your stores"); with its dates in brackets the dates are used; "during Carnaval 2026" where a model is
  called Carnaval is that occasion too (never the model's sales over the year).
- "$129.900 COP", "ticket promedio", "the worst performing Bogotá store", "(the frame line, not the shop)"."""

from __future__ import annotations

from datetime import date

import pytest

from tests.sql_helpers import spec_of
from tools.catalog import Catalog, Product, Store
from tools.sql.parse import parse_question

TODAY = date(2026, 6, 10)
CATALOG = Catalog(stores=(Store("GY-1", "Ópticas Guayacán Chapinero", "Bogotá", "DC"),
                          Store("GY-2", "Ópticas Guayacán Usaquén", "Bogotá", "DC"),
                          Store("GY-3", "Ópticas Guayacán Laureles", "Medellín", "ANT"),
                          Store("GY-4", "Ópticas Guayacán El Poblado", "Medellín", "ANT"),
                          Store("GY-5", "Ópticas Guayacán Granada", "Cali", "VAC")),
                  products=(Product("GF-1", "Guayacán Granada Acetato", "frames", "Guayacán"),
                            Product("GF-2", "Guayacán Granada Metal", "frames", "Guayacán"),
                            Product("GF-3", "Ray-Ban Clubmaster", "frames", "Ray-Ban"),
                            Product("GS-1", "Guayacán Sol Caribe", "sunglasses", "Guayacán"),
                            Product("GS-2", "Oakley Holbrook", "sunglasses", "Oakley"),
                            Product("GS-3", "Guayacán Carnaval", "sunglasses", "Guayacán"),
                            Product("GL-1", "Cristales Guayacán Monofocal", "lenses", "Guayacán"),
                            Product("GL-2", "Zeiss DriveSafe", "lenses", "Zeiss"),
                            Product("GL-3", "Hoya Nulux", "lenses", "Hoya"),
                            Product("GC-1", "Acuvue Oasys", "contact_lenses", "Acuvue")),
                  tenant_words=frozenset({"guayacán"}), sales_from=date(2024, 3, 1), sales_to=date(2026, 6, 9))


def test_how_much_of_a_part_of_the_total_was_a_brand_is_a_share() -> None:
    spec = spec_of("How much of our lens revenue in 2025 was Zeiss?", CATALOG, TODAY)
    assert spec.share_of_total and spec.part.brand == ("Zeiss",) and spec.filters.category == ("lenses",)


def test_the_stores_of_a_named_city_are_the_part_of_a_share() -> None:
    spec = spec_of("percentage of May sales made by the Medellín stores", CATALOG, TODAY)
    assert spec.share_of_total and spec.dimensions == () and spec.part.city == ("Medellín",)


@pytest.mark.parametrize(("question", "category"), [
    ("In 2025 which month did gafas de sol bring in the most money?", "sunglasses"),
    ("revenue from monturas this year", "frames"),
    ("units of lentes de contacto last month", "contact_lenses"),
    ("lenti a contatto units so far this year", "contact_lenses"),
])
def test_a_category_in_the_staffs_language_is_the_category(question: str, category: str) -> None:
    spec = spec_of(question, CATALOG, TODAY)
    assert spec.filters.category == (category,) and not spec.filters.keyword and not spec.filters.product


def test_a_word_glossed_by_a_category_in_brackets_is_that_category() -> None:
    spec = spec_of("How many brands of cristales (lenses) do we carry in the catalog?", CATALOG, TODAY)
    assert spec.measure == "brand_count" and spec.filters.category == ("lenses",) and not spec.filters.keyword


def test_stock_lines_count_the_stocked_items() -> None:
    spec = spec_of("How many stock lines does Laureles carry?", CATALOG, TODAY)
    assert spec.measure == "stock_lines" and spec.filters.store == ("GY-3",)


def test_a_store_that_sold_the_most_is_ranked_by_revenue_unless_a_count_is_named() -> None:
    best = spec_of("Which store sold the most last month?", CATALOG, TODAY)
    assert best.measure == "revenue" and best.dimensions == ("store",)
    frames = spec_of("Which store sold the most frames last month?", CATALOG, TODAY)
    assert frames.measure == "units"
    products = spec_of("which product sold the most last month?", CATALOG, TODAY)
    assert products.measure == "units"


def test_the_first_half_or_the_second_compares_the_two_halves() -> None:
    spec = spec_of("Did Laureles sell more in the first half of 2025 or the second?", CATALOG, TODAY)
    assert spec.measure == "revenue" and spec.filters.store == ("GY-3",)
    assert spec.time_range is not None and spec.time_range.start == date(2025, 7, 1)
    assert spec.comparison is not None and spec.comparison.time_range is not None
    assert spec.comparison.time_range.start == date(2025, 1, 1)


def test_a_named_occasion_without_dates_is_quoted_whole() -> None:
    parsed = parse_question("How much did we give away in discounts during Semana Santa 2025?", CATALOG, TODAY)
    assert parsed.spec is None and not parsed.unresolved
    assert parsed.refusal is not None and '"Semana Santa 2025"' in parsed.refusal


def test_a_product_named_like_an_occasion_is_no_stretch_of_time() -> None:
    parsed = parse_question("sales during Carnaval 2026", CATALOG, TODAY)
    assert parsed.spec is None and parsed.refusal is not None and '"Carnaval"' in parsed.refusal
    assert spec_of("Carnaval sales in 2025", CATALOG, TODAY).filters.product == ("GS-3",)


def test_a_named_occasion_with_its_dates_uses_the_dates() -> None:
    spec = spec_of("Units of the Holbrook over Semana Santa this year (30 Mar to 5 Apr)", CATALOG, TODAY)
    assert spec.time_range is not None
    assert (spec.time_range.start, spec.time_range.end) == (date(2026, 3, 30), date(2026, 4, 6))


def test_a_currency_code_after_an_amount_is_part_of_the_amount() -> None:
    spec = spec_of("We sell the Holbrook at $629,900.00 COP. How many did we move last month?", CATALOG, TODAY)
    assert spec.measure == "units" and spec.filters.product == ("GS-2",)


def test_local_measure_words_and_ranked_stores_of_a_city() -> None:
    assert spec_of("What was our ticket promedio in May?", CATALOG, TODAY).measure == "avg_order_value"
    worst = spec_of("worst performing Bogotá store this year", CATALOG, TODAY)
    assert worst.dimensions == ("store",) and worst.filters.city == ("Bogotá",)
    assert worst.ranking is not None and worst.ranking.direction == "asc"


def test_the_shop_set_aside_in_a_gloss_is_no_question_about_one_shop() -> None:
    spec = spec_of("revenue from the Granada frames this year (the frame line, not the shop)", CATALOG, TODAY)
    assert spec.measure == "revenue" and not spec.filters.store
