"""A made-up Chilean chain (regions stored by their ISO codes) and a made-up Argentine one, parser level (not bench
tenants): readings of a name that select the same stores, regions named in other forms, a currency named alone.

- A name of both a city and a region whose stores are the same either way is answered, and the answer says which
  reading it used (before: answered with no word of the other reading); one whose readings select different stores
  is still asked about.
- A region named with its noun, in English or in its own language ("the Maule Region", "Región de Los Ríos",
  "Región del Maule", "Estado de ..."), is that region (before: the capitalised noun was an unknown place); a name
  with a leading singular article is also the name without it ("Araucanía" for "La Araucanía"); a name that is an
  article and a landscape noun is also said in English with its region noun ("the Rivers Region" for "Los Ríos").
- "the Maule region (la Séptima Región)": the bracket is the asker's other name of the region, dropped; a numbered
  region on its own stays refused (no kept library numbers Chile's regions).
- A currency named alone as a clause ("takings for 2025, pesos") is the currency asked for: answered in the
  tenant's own, refused in another (before: an unknown word, or ignored).
"""

from __future__ import annotations

from datetime import date

import pytest

from tests.sql_helpers import spec_of
from tools.catalog import Catalog, Product, Store
from tools.sql.money import asked_currency
from tools.sql.parse import currency_refusal, parse_question

TODAY = date(2026, 6, 15)
PRODUCTS = (Product("QF-1", "Quillay Alerce", "frames", "Quillay"),
            Product("QS-1", "Quillay Sol Andino", "sunglasses", "Quillay"),
            Product("QL-1", "Quillay Monofocal 1.5", "lenses", "Quillay"))
CHILE = Catalog(stores=(Store("QY-1", "Óptica Quillay Costanera", "Valdivia", "LR"),
                        Store("QY-2", "Óptica Quillay Plaza Talca", "Talca", "ML"),
                        Store("QY-3", "Óptica Quillay Curicó", "Curicó", "ML"),
                        Store("QY-4", "Óptica Quillay Puerto", "Coquimbo", "CO"),
                        Store("QY-5", "Óptica Quillay La Serena", "La Serena", "CO"),
                        Store("QY-6", "Óptica Quillay Villarrica", "Villarrica", "AR"),
                        Store("QY-7", "Óptica Quillay Cerro Alegre", "Valparaíso", "VS")),
                products=PRODUCTS, patient_states=("LR", "ML", "CO", "AR", "VS"),
                tenant_words=frozenset({"quillay"}), sales_from=date(2024, 9, 2), sales_to=date(2026, 6, 14))
ARGENTINA = Catalog(stores=(Store("TL-1", "Óptica Tala Cerro de las Rosas", "Córdoba", "Córdoba"),
                            Store("TL-2", "Óptica Tala Güemes", "Córdoba", "Córdoba"),
                            Store("TL-3", "Óptica Tala Mendoza", "Mendoza", "Mendoza"),
                            Store("TL-4", "Óptica Tala San Rafael", "San Rafael", "Mendoza")),
                    products=PRODUCTS, tenant_words=frozenset({"tala"}), sales_from=date(2024, 9, 2),
                    sales_to=date(2026, 6, 14))


def test_a_city_and_region_with_the_same_stores_is_answered_and_the_reading_said() -> None:
    parsed = parse_question("Valparaíso revenue last month", CHILE, TODAY)
    assert parsed.spec is not None and parsed.spec.filters.city == ("Valparaíso",)
    assert any("same stores either way" in n and "read as the city" in n for n in parsed.notes), parsed.notes
    parsed = parse_question("Córdoba units in 2025", ARGENTINA, TODAY)
    assert parsed.spec is not None and parsed.spec.filters.city == ("Córdoba",)
    assert any("same stores either way" in n for n in parsed.notes), parsed.notes


def test_a_city_and_region_with_different_stores_is_still_asked() -> None:
    parsed = parse_question("Coquimbo revenue last month", CHILE, TODAY)
    assert parsed.spec is None
    assert [u.kind for u in parsed.unresolved] == ["city_or_state"]
    assert spec_of("revenue in the Coquimbo Region last month", CHILE, TODAY).filters.state == ("CO",)


@pytest.mark.parametrize(("question", "state"), [
    ("revenue in the Maule Region in 2025", "ML"),
    ("revenue in the Región del Maule in 2025", "ML"),
    ("Región de Los Ríos takings in Q1", "LR"),
    ("orders in the region of Maule last month", "ML"),
    ("revenue in the Rivers Region in 2025", "LR"),
    ("how many frames did the Rivers Region sell in May?", "LR"),
    ("Araucanía revenue this year", "AR"),
    ("revenue in the Araucanía region in 2025", "AR"),
])
def test_a_region_in_another_form_is_that_region(question: str, state: str) -> None:
    assert spec_of(question, CHILE, TODAY).filters.state == (state,)


def test_patients_from_a_region_in_english_and_a_follow_up_naming_a_region() -> None:
    patients = spec_of("How many patients from the Rivers Region?", CHILE, TODAY)
    assert patients.measure == "patients" and patients.filters.state == ("LR",)
    first = spec_of("revenue for the Rivers Region in May", CHILE, TODAY)
    then = spec_of("now Maule", CHILE, TODAY, first)
    assert then.filters.state == ("ML",) and then.time_range == first.time_range and then.measure == "revenue"


def test_a_region_glossed_in_brackets_and_a_numbered_region_alone() -> None:
    spec = spec_of("What did the Maule region (la Séptima Región) bring in last month?", CHILE, TODAY)
    assert spec.filters.state == ("ML",) and spec.measure == "revenue"
    assert parse_question("revenue in la Séptima Región last month", CHILE, TODAY).spec is None


def test_the_lakes_word_alone_is_no_region() -> None:
    # the English of a region's landscape noun names it only with its region noun: "lakes" alone is an everyday word
    lakes = Catalog(stores=(Store("LK-1", "Óptica Lago Centro", "Puerto Montt", "LL"),
                            Store("LK-2", "Óptica Lago Sur", "Temuco", "AR")),
                    products=PRODUCTS, tenant_words=frozenset({"lago"}), sales_from=date(2024, 9, 2),
                    sales_to=date(2026, 6, 14))
    assert spec_of("revenue in the Lakes Region in 2025", lakes, TODAY).filters.state == ("LL",)
    assert spec_of("Region of the Lakes revenue in 2025", lakes, TODAY).filters.state == ("LL",)
    parsed = parse_question("revenue by the lakes in 2025", lakes, TODAY)
    assert parsed.spec is None or parsed.spec.filters.state != ("LL",)


@pytest.mark.parametrize("question", ["takings for 2025, pesos", "pesos: revenue by month for 2025",
                                      "revenue for 2025 - pesos", "revenue for 2025, CLP"])
def test_a_currency_named_alone_is_the_currency_asked_for(question: str) -> None:
    assert asked_currency(question) is not None
    assert currency_refusal(question, CHILE) is None
    assert spec_of(question, CHILE, TODAY).measure == "revenue"


def test_another_currency_named_alone_is_refused_and_a_word_in_a_phrase_is_no_currency() -> None:
    refusal = currency_refusal("revenue for 2025, euros", CHILE)
    assert refusal is not None and "Chilean pesos" in refusal
    assert asked_currency("takings for 2025, pesos please") is None
    assert asked_currency("revenue for May, in total") is None


VIETNAM = Catalog(stores=(Store("KM-1", "Kính Mây Hải Châu", "Đà Nẵng", "DN"),
                          Store("KM-2", "Kính Mây Sơn Trà", "Đà Nẵng", "DN"),
                          Store("KM-3", "Kính Mây Ninh Kiều", "Cần Thơ", "CT")),
                  products=PRODUCTS, tenant_words=frozenset({"kính", "mây"}), sales_from=date(2024, 9, 2),
                  sales_to=date(2026, 6, 14))
SWITZERLAND = Catalog(stores=(Store("BR-1", "Brille Marktgasse", "St. Gallen", "SG"),
                              Store("BR-2", "Brille Limmat", "Zürich", "ZH"),
                              Store("BR-3", "Brille Oerlikon", "Winterthur", "ZH")),
                      products=PRODUCTS, tenant_words=frozenset({"brille"}), sales_from=date(2024, 9, 2),
                      sales_to=date(2026, 6, 14))


def test_a_place_of_two_words_typed_without_its_accents_keeps_its_letters() -> None:
    # before: "Nang" was "corrected" to "nẵng", and "Da nẵng" named nothing
    spec = spec_of("Da Nang revenue in 2025", VIETNAM, TODAY)
    assert spec.filters.city == ("Đà Nẵng",) or spec.filters.state == ("DN",)


def test_an_abbreviation_dot_ends_no_sentence() -> None:
    # before: "St." was a sentence of its own, dropped as chatter, and "Gallen" was an unknown word
    spec = spec_of("St. Gallen revenue in 2025", SWITZERLAND, TODAY)
    assert spec.filters.city == ("St. Gallen",) or spec.filters.state == ("SG",)


@pytest.mark.parametrize("question", ["how many receipts did Limmat issue in May?",
                                      "how many invoices were issued at Limmat in May?"])
def test_receipts_a_store_issued_are_its_orders(question: str) -> None:
    spec = spec_of(question, SWITZERLAND, TODAY)
    assert spec.measure == "orders" and spec.filters.store == ("BR-2",)
