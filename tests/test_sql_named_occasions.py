"""Named occasions and dates written the local way, parser level, on made-up chains (not bench tenants): a South
African one (ISO province names), a Korean one and a Belgian one.

- A public holiday named without its days is the days the `holidays` package lists under that name for the tenant's
  country and year ("Day of Reconciliation last year", "over Chuseok 2025", "Freedom Day 2025" with its observed
  Monday); a year-less name is the latest one that has happened; the interpretation line names it with its days
  (before: asked back, "I do not know the dates of ...").
- Black Friday is the day after US Thanksgiving "on Black Friday"; "over Black Friday" stays asked (a weekend in many
  shops). A holiday name that is also a store's is asked, never read either way; without a time word it is the store.
- A named sale with its days and a measure between them ("Spring Fiesta 2026 revenue (2/3-15/3)") is those days (before:
  the name was an unknown store).
- A day with its ordinal mark ("le 1er mai 2025", "am 3. Oktober 2025") is that day (before: the whole month, a wrong
  answer); "3 May last year" and "on 11.11 last year" are that day of last year; "per bill" is per order.
- A stored city of three words or more is named by its initials, alone or after its administrative word ("BMT",
  "TP. BMT", "TPBMT" for a stored "TP. Buôn Ma Thuột"; before: an unknown name).
"""

from __future__ import annotations

from datetime import date

from tests.sql_helpers import spec_of
from tools.catalog import Catalog, Product, Store
from tools.sql.parse import parse_question
from tools.sql.sentences import interpretation

TODAY = date(2026, 6, 15)
_PRODUCTS = (Product("P-1", "Veld Classic", "frames", "Veld"),
             Product("P-2", "Veld Shade", "sunglasses", "Veld"),
             Product("P-3", "Clear Single Vision", "lenses", "Clearline"))
ZA = Catalog(stores=(Store("ZA-1", "Veld Optics Sandton", "Johannesburg", "Gauteng"),
                     Store("ZA-2", "Veld Optics Waterfront", "Cape Town", "Western Cape"),
                     Store("ZA-3", "Veld Optics Heritage", "Durban", "KwaZulu-Natal")),
             products=_PRODUCTS, tenant_words=frozenset({"veld"}), sales_from=date(2024, 1, 2),
             sales_to=date(2026, 6, 14))
KR = Catalog(stores=(Store("KR-1", "Haneul Optical Gangnam", "Seoul", "Seoul"),
                     Store("KR-2", "Haneul Optical Haeundae", "Busan", "Busan")),
             products=_PRODUCTS, tenant_words=frozenset({"haneul"}), sales_from=date(2024, 1, 2),
             sales_to=date(2026, 6, 14))
BE = Catalog(stores=(Store("BE-1", "Lunettes Meuse Namur", "Namur", "Namur"),
                     Store("BE-2", "Lunettes Meuse Liège", "Liège", "Liège")),
             products=_PRODUCTS, tenant_words=frozenset({"meuse"}), sales_from=date(2024, 1, 2),
             sales_to=date(2026, 6, 14))


def _days(question: str, catalog: Catalog) -> tuple[date, date]:
    spec = spec_of(question, catalog, TODAY)
    assert spec.time_range is not None, question
    return spec.time_range.start, spec.time_range.end


def test_a_public_holiday_named_without_its_days_is_the_days_the_package_lists() -> None:
    assert _days("sales on Day of Reconciliation last year", ZA) == (date(2025, 12, 16), date(2025, 12, 17))
    # the observed Monday is listed under the same name: both days
    assert _days("takings over Freedom Day 2025 by store", ZA) == (date(2025, 4, 27), date(2025, 4, 29))
    # a multi-day holiday, in English: every day the package lists under the name
    assert _days("revenue over Chuseok 2025", KR) == (date(2025, 10, 5), date(2025, 10, 9))
    # no year: the latest one that has happened by today
    assert _days("units on Youth Day", ZA) == (date(2025, 6, 16), date(2025, 6, 17))


def test_the_interpretation_line_names_the_holiday_and_its_days() -> None:
    spec = spec_of("revenue over Chuseok 2025", KR, TODAY)
    line = interpretation(spec, KR)
    assert "Chuseok 2025" in line and "2025-10-05 to 2025-10-08" in line


def test_two_holidays_compared() -> None:
    spec = spec_of("Youth Day 2025 vs Youth Day 2024 revenue", ZA, TODAY)
    assert (spec.time_range.start, spec.comparison.time_range.start) == (date(2025, 6, 16), date(2024, 6, 16))


def test_black_friday_is_the_day_after_us_thanksgiving_only_when_asked_for_the_day() -> None:
    assert _days("revenue on Black Friday 2025", ZA) == (date(2025, 11, 28), date(2025, 11, 29))
    assert parse_question("how did we do over Black Friday 2025", ZA, TODAY).spec is None


def test_a_holiday_name_that_is_also_a_store_is_asked_and_the_store_stays_a_store() -> None:
    assert parse_question("sales on Heritage Day 2025", ZA, TODAY).spec is None
    assert spec_of("Heritage sales in 2025", ZA, TODAY).filters.store == ("ZA-3",)


def test_a_named_sale_with_its_days_and_the_measure_between_is_those_days() -> None:
    spec = spec_of("Which share of Autumn Fiesta 2026 revenue (2/3-15/3) was sunglasses?", ZA, TODAY)
    assert (spec.time_range.start, spec.time_range.end) == (date(2026, 3, 2), date(2026, 3, 16))
    assert spec.share_of_total


def test_a_holiday_beside_the_dates_given_labels_them() -> None:
    assert _days("What were our sales on 16 June 2025, Youth Day?", ZA) == (date(2025, 6, 16), date(2025, 6, 17))


def test_a_day_with_its_ordinal_mark_is_that_day_not_the_month() -> None:
    assert _days("ventes le 1er mai 2025", BE) == (date(2025, 5, 1), date(2025, 5, 2))
    assert _days("Umsatz am 3. Oktober 2025", BE) == (date(2025, 10, 3), date(2025, 10, 4))
    assert _days("ventes du 26 au 31 décembre 2025", BE) == (date(2025, 12, 26), date(2026, 1, 1))


def test_a_day_of_last_year_and_a_dotted_day_after_on() -> None:
    assert _days("revenue on 3 May last year", BE) == (date(2025, 5, 3), date(2025, 5, 4))
    spec = spec_of("average discount per bill on 11.11 last year", BE, TODAY)
    assert spec.measure == "avg_discount_per_order"
    assert (spec.time_range.start, spec.time_range.end) == (date(2025, 11, 11), date(2025, 11, 12))


VN = Catalog(stores=(Store("VN-1", "Kính Mắt Sao Buôn Ma Thuột", "TP. Buôn Ma Thuột", "Đắk Lắk"),
                     Store("VN-2", "Kính Mắt Sao Nha Trang", "TP. Nha Trang", "Khánh Hòa")),
             products=_PRODUCTS, tenant_words=frozenset({"sao"}), sales_from=date(2024, 1, 2),
             sales_to=date(2026, 6, 14))


def test_a_stored_city_of_three_words_is_named_by_its_initials() -> None:
    for question in ("revenue in BMT last month", "TP. BMT revenue last month", "doanh thu TPBMT tháng 5"):
        assert spec_of(question, VN, TODAY).filters.city == ("TP. Buôn Ma Thuột",), question
