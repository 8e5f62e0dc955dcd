"""A made-up Greek-style chain whose regions are stored under its own two-letter codes and whose mall store is named
after the city next door, and everyday wordings of this round, parser and compiler level (not a bench tenant).

- A chain's own region code is read by the closest reading first: the initials of the region's words, then its first
  letters, and only at the first level of the country ("AT" is Attica, not Eastern Macedonia and Thrace, whose words
  also hold an a and a t; "TT" in Morocco is Tanger-Tétouan-Al Hoceïma, not the province Tan-Tan). Before: Attica
  questions were refused and "Eastern Macedonia" would have been answered with Attica's stores.
- A store named "The Arcade Athens" in another city: "the Arcade" is the store; "Athens" is the city Athina, never
  that one store (before: "our Athens shops" answered for the mall store alone, a wrong number).
- The chain's name heading the question as a label ("Lemoni: which shop sold the fewest ...") is no ranking word.
- "tickets that had a discount", "sitting exactly on their reorder level", "revenue per product" (a breakdown, not
  the average price), "against last year for April" (April against April), "get past 20.000 €" (revenue), "what has
  X done", "our biggest single day", "how much do we take on a Saturday", "how many % were", "per periphery
  (region)", "on 25 March 2025, Independence Day".
- A ranking by change counts a store with no sales in the earlier period from zero (a store opened since grew by all
  it sells now).
"""

from __future__ import annotations

from datetime import date

import pytest

from tests.sql_helpers import spec_of
from tools.catalog import Catalog, Product, Store
from tools.sql.compile import compile_spec
from tools.sql.parse import parse_question
from tools.sql.regions import catalog_regions

TODAY = date(2026, 6, 15)
CATALOG = Catalog(stores=(Store("LM-1", "Optiki Lemoni Plaka", "Athina", "AT"),
                          Store("LM-2", "Optiki Lemoni The Arcade Athens", "Kifisia", "AT"),
                          Store("LM-3", "Optiki Lemoni Limani", "Irakleio", "KR"),
                          Store("LM-4", "Optiki Lemoni Kastoria", "Kastoria", "DM"),
                          Store("LM-5", "Optiki Lemoni Mytilini", "Mytilini", "VA"),
                          Store("LM-6", "Optiki Lemoni Ioannina", "Ioannina", "IP")),
                  products=(Product("LF-1", "Lemoni Aspro", "frames", "Lemoni"),
                            Product("LS-1", "Lemoni Thalassa", "sunglasses", "Lemoni"),
                            Product("LC-1", "Dailies Total 1", "contact_lenses", "Alcon"),
                            Product("LC-2", "Biofinity", "contact_lenses", "CooperVision")),
                  tenant_words=frozenset({"lemoni"}), sales_from=date(2024, 9, 2), sales_to=date(2026, 6, 14))


def test_the_chains_region_codes_are_read_by_the_closest_reading() -> None:
    names = catalog_regions(CATALOG).names
    assert names["AT"] in ("Attikí", "Attica") and names["KR"] in ("Kríti", "Crete")
    assert names["DM"] in ("Dytikí Makedonía", "Western Macedonia") and names["IP"] in ("Ípeiros", "Epirus")
    assert names["VA"] in ("Vóreio Aigaío", "Northern Aegean")


@pytest.mark.parametrize(("question", "state"), [
    ("crete revenue 2025", "KR"), ("weakest shop in Attiki last month?", "AT"), ("number of stores in Attica", "AT"),
    ("units sold in Western Macedonia in May", "DM"), ("Epirus sales this year", "IP"),
])
def test_a_region_by_its_english_or_local_name(question: str, state: str) -> None:
    assert spec_of(question, CATALOG, TODAY).filters.state == (state,)


def test_a_region_without_stores_is_refused_not_answered_with_another() -> None:
    parsed = parse_question("revenue in Eastern Macedonia in 2025", CATALOG, TODAY)
    assert parsed.spec is None and [u.text for u in parsed.unresolved] == ["Eastern Macedonia"]


def test_a_first_level_region_code_is_not_a_province_code() -> None:
    catalog = Catalog(stores=(Store("Q-1", "Optique Qamar Tanger", "Tanger", "TT"),
                              Store("Q-2", "Optique Qamar Maarif", "Casablanca", "CS"),
                              Store("Q-3", "Optique Qamar Agdal", "Rabat", "RK")),
                      products=(Product("QF-1", "Qamar One", "frames", "Qamar"),),
                      tenant_words=frozenset({"qamar"}), sales_from=date(2025, 1, 2), sales_to=date(2026, 6, 14))
    assert catalog_regions(catalog).names["TT"] == "Tanger-Tétouan-Al Hoceïma"


def test_a_store_named_after_the_city_next_door() -> None:
    spec = spec_of("revenue of our Athens shops in May", CATALOG, TODAY)
    assert spec.filters.city == ("Athina",) and not spec.filters.store
    assert spec_of("How did the Arcade do last month?", CATALOG, TODAY).filters.store == ("LM-2",)
    assert spec_of("units sold at The Arcade Athens in 2025", CATALOG, TODAY).filters.store == ("LM-2",)


def test_the_chains_name_as_a_label_is_no_ranking_word() -> None:
    spec = spec_of("Lemoni: which shop sold the fewest units in Q1?", CATALOG, TODAY)
    assert spec.ranking is not None and spec.ranking.direction == "asc" and spec.dimensions == ("store",)


@pytest.mark.parametrize(("question", "measure"), [
    ("how many tickets had a discount last week", "discounted_orders"),
    ("how many baskets were discounted in May", "discounted_orders"),
    ("Lines sitting exactly on their reorder level?", "items_at_reorder"),
    ("what's on the reorder point at Plaka", "items_at_reorder"),
    ("Did Plaka get past 20.000 € in May?", "revenue"),
    ("What has Limani done since it opened?", "revenue"),
    ("On average, how much do we take on a Saturday? (2025)", "revenue"),
])
def test_everyday_words_for_what_is_counted(question: str, measure: str) -> None:
    assert spec_of(question, CATALOG, TODAY).measure == measure


def test_revenue_per_product_is_a_breakdown_and_per_unit_the_average_price() -> None:
    spec = spec_of("contact lenses: revenue per product in 2025", CATALOG, TODAY)
    assert spec.measure == "revenue" and spec.dimensions == ("product",)
    assert spec_of("revenue per frame sold in 2025", CATALOG, TODAY).measure == "avg_selling_price"


def test_against_last_year_for_a_month_is_that_month_a_year_apart() -> None:
    spec = spec_of("How's Limani doing against last year for April?", CATALOG, TODAY)
    assert spec.time_range.start == date(2026, 4, 1) and spec.comparison is not None
    assert spec.comparison.time_range.start == date(2025, 4, 1) and spec.comparison.time_range.end == date(2025, 5, 1)


def test_the_biggest_day_is_ranked_by_revenue() -> None:
    spec = spec_of("What was our biggest single day in December 2025?", CATALOG, TODAY)
    assert spec.measure == "revenue" and spec.dimensions == ("day",) and spec.ranking.direction == "desc"


def test_how_many_percent_is_a_share() -> None:
    spec = spec_of("Of Attica's 2025 units, how many % were Plaka?", CATALOG, TODAY)
    assert spec.share_of_total and spec.part.store == ("LM-1",) and spec.filters.state == ("AT",)


def test_a_local_dimension_word_glossed_in_brackets() -> None:
    spec = spec_of("patient numbers per periphery (region)", CATALOG, TODAY)
    assert spec.measure == "patients" and spec.dimensions == ("state",)


def test_a_holiday_named_after_its_date_is_a_label() -> None:
    spec = spec_of("What were our sales on 25 March 2025, Independence Day?", CATALOG, TODAY)
    assert spec.time_range.start == date(2025, 3, 25) and spec.time_range.end == date(2025, 3, 26)
    assert spec.filters.is_empty()


def test_a_ranking_by_change_counts_an_empty_earlier_period_as_zero() -> None:
    spec = spec_of("Which 2 shops grew revenue most in May compared with May 2025?", CATALOG, TODAY)
    assert spec.ranking is not None and spec.ranking.by == "change"
    sql = compile_spec(spec).sql.upper()
    assert "COALESCE(SUM(" in sql and "AS PREVIOUS_REVENUE" in sql


def test_a_follow_up_name_of_a_store_and_a_model_is_read_like_the_previous_question() -> None:
    catalog = Catalog(stores=(Store("KY-1", "Optiki Kyma Plaka", "Athina", "AT"),
                              Store("KY-2", "Optiki Kyma Psyrri", "Athina", "AT")),
                      products=(Product("KF-1", "Kyma Psyrri Round", "frames", "Kyma"),
                                Product("KF-2", "Kyma Aegean", "sunglasses", "Kyma")),
                      tenant_words=frozenset({"kyma"}), sales_from=date(2025, 1, 2), sales_to=date(2026, 6, 14))
    after_store = spec_of("Revenue at the Plaka shop in May?", catalog, TODAY)
    assert spec_of("and Psyrri?", catalog, TODAY, after_store).filters.store == ("KY-2",)
    after_model = spec_of("units of the Kyma Aegean in May", catalog, TODAY)
    assert spec_of("and Psyrri?", catalog, TODAY, after_model).filters.store == ()
    assert parse_question("Psyrri?", catalog, TODAY).spec is None  # no previous question: asked, never guessed


def test_a_place_and_its_region_noun_written_as_one_word() -> None:
    catalog = Catalog(stores=(Store("SB-1", "Lunettes Sable Québec", "Québec", "QC"),
                              Store("SB-2", "Lunettes Sable Laval", "Laval", "QC"),
                              Store("SB-3", "Lunettes Sable Ottawa", "Ottawa", "ON")),
                      products=(Product("SS-1", "Sable Soleil", "sunglasses", "Sable"),),
                      tenant_words=frozenset({"sable"}), sales_from=date(2025, 1, 2), sales_to=date(2026, 6, 14))
    spec = spec_of("what share of Quebec-province units were sunglasses in 2025", catalog, TODAY)
    assert spec.filters.state == ("QC",) and spec.share_of_total and spec.part.category == ("sunglasses",)
