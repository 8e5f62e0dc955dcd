"""Made-up chains (an Italian one storing province codes, an Indonesian one storing province codes, one whose shops are
named after their towns), parser level (not bench tenants).

- A larger region that ISO 3166-2 records as the parent of stored subdivisions names the stored ones under it:
  "Tuscany" for stored FI, PI and SI, "Kalimantan" for two Bornean provinces, "outside Tuscany" leaves them out
  (before: "None of your stores is in Tuscany", refused). One stored value under it is that value ("Liguria" for
  GE). Two such regions set side by side ("Toscana vs Liguria") are said, not split into provinces.
- "20-26/10/2025", "3-9.11.2025": a span of days with the month (and year) written once after the last day (before:
  no period, or the whole year); a follow-up after an occasion dated that way keeps its days.
- "Trento vs Bolzano" where Trento names a shop called after its town and Bolzano's one shop carries the town's name
  ("... Bolzano Centro"): the two shops (before: read as the two cities); "Trento vs Verona", whose shop is called
  "Arena", stays the two cities.
"""

from __future__ import annotations

from datetime import date

import pytest

from tests.sql_helpers import spec_of
from tools.catalog import Catalog, Product, Store
from tools.sql.parse import parse_question

TODAY = date(2026, 6, 15)
PRODUCTS = (Product("F-1", "Sole Mare", "frames", "Sole"), Product("S-1", "Sole Ombra", "sunglasses", "Sole"),
            Product("C-1", "Dailies Total 1", "contact_lenses", "Alcon"))
TOSCANA = Catalog(stores=(Store("TS-1", "Ottica Gigli Duomo", "Firenze", "FI"),
                          Store("TS-2", "Ottica Gigli Torre", "Pisa", "PI"),
                          Store("TS-3", "Ottica Gigli Palio", "Siena", "SI"),
                          Store("TS-4", "Ottica Gigli Porto Antico", "Genova", "GE"),
                          Store("TS-5", "Ottica Gigli Trento", "Trento", "TN"),
                          Store("TS-6", "Ottica Gigli Bolzano Centro", "Bolzano", "BZ"),
                          Store("TS-7", "Ottica Gigli Arena", "Verona", "VR")),
                  products=PRODUCTS, tenant_words=frozenset({"gigli"}),
                  sales_from=date(2024, 9, 2), sales_to=date(2026, 6, 14))
BORNEO = Catalog(stores=(Store("BK-1", "Optik Enggang Pontianak", "Pontianak", "KB"),
                         Store("BK-2", "Optik Enggang Balikpapan", "Balikpapan", "KI"),
                         Store("BK-3", "Optik Enggang Manado", "Manado", "SA"),
                         Store("BK-4", "Optik Enggang Bandung", "Bandung", "JB")),
                 products=PRODUCTS, tenant_words=frozenset({"enggang"}),
                 sales_from=date(2024, 9, 2), sales_to=date(2026, 6, 14))


@pytest.mark.parametrize("question", ["Tuscany revenue in 2025", "fatturato in Toscana nel 2025",
                                      "how did the Tuscan shops do in 2025 in revenue"])
def test_a_region_over_stored_provinces_names_all_of_them(question: str) -> None:
    spec = spec_of(question, TOSCANA, TODAY)
    assert set(spec.filters.state) == {"FI", "PI", "SI"} and spec.measure == "revenue"


def test_an_island_group_over_stored_provinces_names_them() -> None:
    spec = spec_of("how many stores do we have on Kalimantan?", BORNEO, TODAY)
    assert set(spec.filters.state) == {"KB", "KI"}
    assert set(spec_of("revenue outside Kalimantan last year", BORNEO, TODAY).exclude.state) == {"KB", "KI"}
    assert spec_of("Sulawesi sales in May", BORNEO, TODAY).filters.state == ("SA",)


def test_a_region_over_one_stored_province_is_that_province() -> None:
    assert spec_of("Liguria revenue last month", TOSCANA, TODAY).filters.state == ("GE",)


def test_two_larger_regions_side_by_side_are_said_not_split() -> None:
    parsed = parse_question("Toscana vs Veneto revenue 2025", TOSCANA, TODAY)
    assert parsed.spec is None and parsed.unresolved
    assert parsed.unresolved[0].kind == "region_group"
    # by region inside one larger region is its provinces, as asked
    spec = spec_of("revenue by region in Tuscany last year", TOSCANA, TODAY)
    assert spec.dimensions == ("state",) and set(spec.filters.state) == {"FI", "PI", "SI"}


def test_a_region_with_no_stored_province_under_it_is_still_refused() -> None:
    assert parse_question("Sicily revenue in 2025", TOSCANA, TODAY).spec is None


@pytest.mark.parametrize(("question", "first", "last"), [
    ("revenue 20-26/10/2025", date(2025, 10, 20), date(2025, 10, 26)),
    ("fatturato 3-9.11.2025", date(2025, 11, 3), date(2025, 11, 9)),
    ("What did we make during Settimana Gigli (20-26/10/2025)?", date(2025, 10, 20), date(2025, 10, 26)),
])
def test_a_day_span_with_the_month_written_once(question: str, first: date, last: date) -> None:
    spec = spec_of(question, TOSCANA, TODAY)
    assert spec.time_range is not None
    assert (spec.time_range.start, spec.time_range.end) == (first, date.fromordinal(last.toordinal() + 1))


def test_a_follow_up_after_an_occasion_dated_that_way_keeps_its_days() -> None:
    first = parse_question("What did we make during Settimana Gigli (20-26/10/2025)?", TOSCANA, TODAY)
    assert first.spec is not None
    spec = spec_of("broken down by category", TOSCANA, TODAY, previous=first.spec)
    assert spec.dimensions == ("category",) and spec.time_range == first.spec.time_range


def test_shops_called_after_their_towns_set_side_by_side_are_the_shops() -> None:
    spec = spec_of("Trento vs Bolzano revenue in 2025", TOSCANA, TODAY)
    assert spec.dimensions == ("store",) and set(spec.filters.store) == {"TS-5", "TS-6"}
    other = spec_of("Trento vs Verona revenue in 2025", TOSCANA, TODAY)
    assert other.dimensions == ("city",) and set(other.filters.city) == {"Trento", "Verona"}


# --- the staff's own words and store life (a made-up Portuguese / Italian / German / Indonesian set of questions) ---

CLOSING = Catalog(stores=(Store("CL-1", "Ottica Gigli Lucca", "Lucca", "LU"),
                          Store("CL-2", "Ottica Gigli Prato Centro", "Prato", "PO"),
                          Store("CL-3", "Ottica Gigli Arezzo", "Arezzo", "AR")),
                  products=(*PRODUCTS, Product("S-2", "Sole Carnevale", "sunglasses", "Sole")),
                  tenant_words=frozenset({"gigli"}), sales_from=date(2024, 9, 2), sales_to=date(2026, 6, 14),
                  store_days=(("CL-1", date(2024, 9, 2), date(2025, 11, 29)),
                              ("CL-2", date(2025, 10, 18), date(2026, 6, 13)),
                              ("CL-3", date(2024, 9, 3), date(2026, 6, 14))))


@pytest.mark.parametrize(("question", "first", "last"), [
    # a local "to" between two numeric dates; a product named like the occasion is no filter once the days are given
    ("vendas durante o Carnevale 2026 (14/02 a 18/02)", date(2026, 2, 14), date(2026, 2, 18)),
    ("fatturato dal 5/7 al 31/8 2025", date(2025, 7, 5), date(2025, 8, 31)),
    # German dotted dates, the year written once; "vom" (from)
    ("Umsatz vom 20.9.-5.10.2025", date(2025, 9, 20), date(2025, 10, 5)),
    ("Umsatz vom 1.-7.3.2026", date(2026, 3, 1), date(2026, 3, 7)),
    ("sales during Wiesn 2025 (20.9.-5.10.2025)", date(2025, 9, 20), date(2025, 10, 5)),
    # an occasion named kind first, in Spanish ("de" read as "of", the month in English)
    ("cuánto vendimos durante las rebajas de enero 2026 (7/1-28/2)", date(2026, 1, 7), date(2026, 2, 28)),
    # two whole dotted dates (before: the second date's year only); a day span with a local "to"
    ("revenue 26.12.2025-6.1.2026", date(2025, 12, 26), date(2026, 1, 6)),
    ("vendas de 1 a 7/3/2026", date(2026, 3, 1), date(2026, 3, 7)),
])
def test_local_day_spans(question: str, first: date, last: date) -> None:
    spec = spec_of(question, CLOSING, TODAY)
    assert not spec.filters.product and spec.time_range is not None
    assert (spec.time_range.start, spec.time_range.end) == (first, date.fromordinal(last.toordinal() + 1))


@pytest.mark.parametrize(("question", "first", "last"), [
    ("Lucca revenue in its last 3 months", date(2025, 9, 1), date(2025, 11, 30)),
    ("Lucca: revenue in the two weeks before it closed", date(2025, 11, 17), date(2025, 11, 30)),
    ("Prato Centro revenue in its first 3 months", date(2025, 10, 1), date(2025, 12, 31)),
    ("Lucca revenue before it closed", date(2024, 9, 2), date(2025, 11, 29)),
])
def test_a_stores_own_first_or_last_months(question: str, first: date, last: date) -> None:
    spec = spec_of(question, CLOSING, TODAY)
    assert spec.time_range is not None
    assert (spec.time_range.start, spec.time_range.end) == (first, date.fromordinal(last.toordinal() + 1))


@pytest.mark.parametrize(("question", "measure"), [
    ("quanti negozi abbiamo in Toscana", "store_count"),
    ("hoeveel winkels hebben we in Toscana", "store_count"),
    ("berapa toko kami di Toscana?", "store_count"),
])
def test_how_many_do_we_have_in_the_staffs_languages(question: str, measure: str) -> None:
    spec = spec_of(question, TOSCANA, TODAY)
    assert spec.measure == measure and set(spec.filters.state) == {"FI", "PI", "SI"}


def test_sold_in_the_feminine_plural() -> None:
    spec = spec_of("combien de montures vendues à Lucca le mois passé", CLOSING, TODAY)
    assert spec.measure == "units" and spec.filters.category == ("frames",)


def test_indonesian_and_english_shorthand() -> None:
    assert spec_of("omzet Toscana bulan lalu", TOSCANA, TODAY).time_range.start == date(2026, 5, 1)
    howd = spec_of("how'd Arezzo do in april", CLOSING, TODAY)
    assert howd.measure == "revenue" and (howd.filters.store == ("CL-3",) or howd.filters.city == ("Arezzo",))
    wknd = spec_of("Arezzo sales over black friday wknd 2025 (28/11-30/11)", CLOSING, TODAY)
    assert (wknd.time_range.start, wknd.time_range.end) == (date(2025, 11, 28), date(2025, 12, 1))


@pytest.mark.parametrize("question", ["revenue over $10k days in may?", "which shops did more than 50k last year"])
def test_a_shorthand_amount_after_a_threshold_word_is_not_dropped(question: str) -> None:
    # a condition on each day's or shop's total the parser does not apply: refused (before: the whole total)
    parsed = parse_question(question, TOSCANA, TODAY)
    assert parsed.spec is None and ("10k" in (parsed.refusal or "") or "50k" in (parsed.refusal or ""))


SPAIN = Catalog(stores=(Store("SO-1", "Optica Sol Alameda", "Sevilla", "AN"),
                        Store("SO-2", "Optica Sol Larios", "Málaga", "AN"),
                        Store("SO-3", "Optica Sol Gran Vía", "Madrid", "MD")),
                products=PRODUCTS, tenant_words=frozenset({"sol"}), sales_from=date(2024, 9, 2),
                sales_to=date(2026, 6, 14))


def test_a_province_under_a_stored_community_is_not_the_community() -> None:
    # the tenant keeps autonomous communities; "the province of Sevilla" is a smaller area (before: all of Andalucía)
    parsed = parse_question("revenue in the province of Sevilla in 2025", SPAIN, TODAY)
    assert parsed.spec is None and parsed.unresolved[0].kind == "smaller_region"
    assert spec_of("revenue in Andalusia in 2025", SPAIN, TODAY).filters.state == ("AN",)
    assert spec_of("revenue in Sevilla in 2025", SPAIN, TODAY).filters.city == ("Sevilla",)
    # "the region of Sevilla" is the stored region the city's stores are in, as before
    assert spec_of("revenue in the region of Sevilla in 2025", SPAIN, TODAY).filters.state == ("AN",)


def test_a_breakdown_since_a_store_opened_is_no_edge_month() -> None:
    spec = spec_of("Prato Centro revenue by month since it opened", CLOSING, TODAY)
    assert spec.dimensions == ("month",) and spec.time_range.end > date(2026, 1, 1)
