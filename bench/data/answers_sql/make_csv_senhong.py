"""Write the CSV files of the answer bench's Vietnamese tenant "senhong" (Mắt Kính Sen Hồng; held-out set heldout22).

python bench/data/answers_sql/make_csv_senhong.py  -> bench/data/answers_sql/senhong/<table>.csv (5 tables)

Contract: the files depend on this script alone. One `random.Random(SEED)` is consumed in a fixed order (the sales,
day after day and shop after shop; then the stock, shop by shop; then the patients), so a rerun rewrites the
committed files byte for byte. Every row passes the project's CSV importer: the provinces are the five
centrally-run cities, stored by their two-letter ISO 3166-2:VN codes (HN Hà Nội, SG Hồ Chí Minh, DN Đà Nẵng,
HP Hải Phòng, CT Cần Thơ), Vietnamese postcodes have five digits (Hải Phòng's start with 0), and the categories and
lens types are the schema's.

The tenant: a Vietnamese optical chain of 14 shops. Shop names and cities are written in Vietnamese with their
diacritics ("TP. Hồ Chí Minh", "Hà Nội", "Đà Nẵng", "Thủ Đức", "Sơn Tây", "Đồ Sơn"); most shops are named after their
district (Hoàn Kiếm, Cầu Giấy, Long Biên, Bến Thành, Thủ Đức ...), some after the town they stand in (Sơn Tây,
Đồ Sơn). Sales run from Monday 1 Jul 2024 to Sunday 14 Jun 2026, the day before the bench's reference day, every
day of the week, except Tết: the street shops close from Tết eve to the third day of the lunar new year (28-31 Jan
2025, 16-19 Feb 2026), the Vincom mall shop SH-06 only on the first day (29 Jan 2025, 17 Feb 2026); the street shops
also close on National Day (2 Sep). SH-10 (Sơn Trà, Đà Nẵng) traded for the last time on Saturday 28 Feb 2026 and
keeps no stock; SH-03 (Long Biên) opened on Monday 8 Sep 2025; SH-14 (Cái Răng, Cần Thơ) was shut after a flood
from 1 to 19 Oct 2025. Three sales events with most lines discounted: "Sale Tết" (the 14 days before Tết eve:
14-27 Jan 2025, 2-15 Feb 2026), "Siêu Sale 11.11" (11 November) and Black Friday (the last Friday of November to
the Sunday after). Chemi lenses (a Korean maker) cost 8 % more from 1 Mar 2026. Amounts in đồng (VND), whole
thousands written with two decimals. A frame family "Bến Thành" named like the Bến Thành shop, a sunglasses family
"Hạ Long" named after a place with no shop, the local "Áo Dài" frames, services named in Vietnamese ("Đo mắt" the eye
exam, "Sửa gọng" frame repair), two products never sold; stock as of 14 Jun 2026; patients by age, lens type and
province. Not the demo generator and not another make_csv*.py: its own seed, names and shape.
"""

from __future__ import annotations

import csv
import io
import itertools
import random
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

OUT = Path(__file__).parent / "senhong"
SEED = 22_0715_1998
FIRST_DAY, LAST_DAY = date(2024, 7, 1), date(2026, 6, 14)
MALL = "SH-06"
TET = {2025: date(2025, 1, 29), 2026: date(2026, 2, 17)}  # the first day of the lunar new year
CHEMI_RISE = date(2026, 3, 1)


@dataclass(frozen=True)
class Shop:
    code: str
    name: str
    city: str
    province: str
    postcode: str
    traffic: float
    opened: date = FIRST_DAY
    closed_after: date = LAST_DAY
    shut: tuple[date, date] | None = None

    def trades(self, day: date) -> bool:
        if day < self.opened or day > self.closed_after:
            return False
        if self.shut and self.shut[0] <= day <= self.shut[1]:
            return False
        new_year = TET.get(day.year)
        if self.code == MALL:
            return day != new_year
        if new_year and 0 <= (day - new_year).days + 1 <= 3:
            return False
        return (day.month, day.day) != (9, 2)


SHOPS = (
    Shop("SH-01", "Sen Hồng Hoàn Kiếm", "Hà Nội", "HN", "11000", 1.7),
    Shop("SH-02", "Sen Hồng Cầu Giấy", "Hà Nội", "HN", "11300", 1.2),
    Shop("SH-03", "Sen Hồng Long Biên", "Hà Nội", "HN", "11800", 0.9, opened=date(2025, 9, 8)),
    Shop("SH-04", "Sen Hồng Sơn Tây", "Sơn Tây", "HN", "12700", 0.5),
    Shop("SH-05", "Sen Hồng Bến Thành", "TP. Hồ Chí Minh", "SG", "71000", 1.8),
    Shop("SH-06", "Sen Hồng Vincom Đồng Khởi", "TP. Hồ Chí Minh", "SG", "71006", 1.3),
    Shop("SH-07", "Sen Hồng Phú Mỹ Hưng", "TP. Hồ Chí Minh", "SG", "72908", 1.1),
    Shop("SH-08", "Sen Hồng Thủ Đức", "Thủ Đức", "SG", "71300", 0.8),
    Shop("SH-09", "Sen Hồng Hải Châu", "Đà Nẵng", "DN", "50200", 1.0),
    Shop("SH-10", "Sen Hồng Sơn Trà", "Đà Nẵng", "DN", "50500", 0.6, closed_after=date(2026, 2, 28)),
    Shop("SH-11", "Sen Hồng Lạch Tray", "Hải Phòng", "HP", "04200", 0.9),
    Shop("SH-12", "Sen Hồng Đồ Sơn", "Đồ Sơn", "HP", "04800", 0.4),
    Shop("SH-13", "Sen Hồng Ninh Kiều", "Cần Thơ", "CT", "94100", 0.8),
    Shop("SH-14", "Sen Hồng Cái Răng", "Cần Thơ", "CT", "94300", 0.5, shut=(date(2025, 10, 1), date(2025, 10, 19))),
)


@dataclass(frozen=True)
class Article:
    sku: str
    name: str
    category: str
    brand: str
    list_vnd: int  # list price in đồng
    draw: float  # 0: listed, never sold


CATALOG = (
    Article("SHV-1001", "Sen Hồng Bến Thành Classic", "frames", "Sen Hồng", 1_290_000, 1.3),
    Article("SHV-1002", "Sen Hồng Bến Thành Slim", "frames", "Sen Hồng", 1_090_000, 1.0),
    Article("SHV-1003", "Sen Hồng Áo Dài Titan", "frames", "Sen Hồng", 1_650_000, 0.8),
    Article("SHV-1004", "Sen Hồng Áo Dài Mảnh", "frames", "Sen Hồng", 990_000, 0.9),
    Article("SHV-1005", "Sen Hồng Phố Cổ", "frames", "Sen Hồng", 850_000, 1.1),
    Article("SHV-1006", "Parim 7701", "frames", "Parim", 1_450_000, 1.0),
    Article("SHV-1007", "Molsion MJ7012", "frames", "Molsion", 1_190_000, 0.9),
    Article("SHV-1008", "Ray-Ban Clubmaster Optics", "frames", "Ray-Ban", 3_890_000, 0.6),
    Article("SHV-1009", "Sen Hồng Hạ Long Polarized", "sunglasses", "Sen Hồng", 790_000, 1.2),
    Article("SHV-1010", "Sen Hồng Hạ Long Kids", "sunglasses", "Sen Hồng", 490_000, 0.7),
    Article("SHV-1011", "Ray-Ban Aviator", "sunglasses", "Ray-Ban", 4_290_000, 0.9),
    Article("SHV-1012", "Molsion MS3050", "sunglasses", "Molsion", 1_590_000, 1.0),
    Article("SHV-1013", "Gentle Monster Lang", "sunglasses", "Gentle Monster", 6_900_000, 0.0),
    Article("SHV-1014", "Essilor Crizal Rock 1.56", "lenses", "Essilor", 1_200_000, 1.0),
    Article("SHV-1015", "Essilor Varilux X", "lenses", "Essilor", 9_800_000, 0.4),
    Article("SHV-1016", "Hoya Nulux 1.60", "lenses", "Hoya", 1_850_000, 0.8),
    Article("SHV-1017", "Chemi U2 1.60", "lenses", "Chemi", 750_000, 1.4),
    Article("SHV-1018", "Chemi Perfect UV 1.56", "lenses", "Chemi", 450_000, 1.5),
    Article("SHV-1019", "Zeiss DriveSafe 1.6", "lenses", "Zeiss", 4_600_000, 0.4),
    Article("SHV-1020", "Acuvue Oasys 1-Day 30", "contact_lenses", "Acuvue", 850_000, 1.0),
    Article("SHV-1021", "Clalen Iris 1-Day 10", "contact_lenses", "Clalen", 250_000, 1.3),
    Article("SHV-1022", "Seed 1dayPure 32", "contact_lenses", "Seed", 690_000, 0.7),
    Article("SHV-1023", "Khăn lau kính Sen Hồng", "accessories", "Sen Hồng", 20_000, 1.4),
    Article("SHV-1024", "Hộp kính Sen Hồng", "accessories", "Sen Hồng", 60_000, 1.0),
    Article("SHV-1025", "Dây đeo kính Sen Hồng", "accessories", "Sen Hồng", 45_000, 0.0),
    Article("SHV-1026", "Renu Fresh 355 ml", "accessories", "Bausch + Lomb", 185_000, 0.8),
    Article("SHV-1027", "Đo mắt", "services", "Sen Hồng", 100_000, 1.2),
    Article("SHV-1028", "Sửa gọng", "services", "Sen Hồng", 50_000, 0.6),
)
WEIGHT_BY_CATEGORY = {"frames": 3.6, "sunglasses": 2.2, "lenses": 5.0, "contact_lenses": 2.6, "accessories": 2.4,
                      "services": 2.0}
HOT_MONTHS = {4: 1.3, 5: 1.6, 6: 1.8, 7: 1.7, 8: 1.4}  # sunglasses
WEEKEND = {6: 1.4, 7: 1.5}


def tet_sale(day: date) -> bool:
    new_year = TET.get(day.year)
    return new_year is not None and 2 <= (new_year - day).days <= 15


def black_friday(day: date) -> bool:
    last = date(day.year, 11, 30)
    friday = last - timedelta(days=(last.weekday() - 4) % 7)
    return friday <= day <= friday + timedelta(days=2)


def event_odds(day: date) -> tuple[float, tuple[float, ...]]:
    """The chance that a line is discounted on this day, and the discount rates drawn from."""
    if (day.month, day.day) == (11, 11):
        return 0.75, (0.15, 0.2, 0.3)
    if black_friday(day):
        return 0.7, (0.2, 0.25, 0.3)
    if tet_sale(day):
        return 0.5, (0.1, 0.15, 0.2)
    return 0.08, (0.05, 0.1)


def event_boost(day: date) -> float:
    if (day.month, day.day) == (11, 11) or black_friday(day):
        return 1.9
    return 1.35 if tet_sale(day) else 1.0


def price_on(item: Article, day: date) -> int:
    return round(item.list_vnd * 1.08) if item.brand == "Chemi" and day >= CHEMI_RISE else item.list_vnd


def sale_lines(rng: random.Random) -> list[list[str]]:
    lines: list[list[str]] = []
    ticket = 260_000
    for offset in range((LAST_DAY - FIRST_DAY).days + 1):
        day = FIRST_DAY + timedelta(days=offset)
        weights = [WEIGHT_BY_CATEGORY[i.category] * i.draw * (HOT_MONTHS.get(day.month, 0.5)
                                                                 if i.category == "sunglasses" else 1.0)
                   for i in CATALOG]
        odds, rates = event_odds(day)
        busy = event_boost(day) * WEEKEND.get(day.isoweekday(), 1.0)
        for shop in SHOPS:
            if not shop.trades(day):
                continue
            expected = 0.55 * shop.traffic * busy
            orders = int(expected) + (rng.random() < expected - int(expected))
            for _ in range(orders):
                ticket += 1
                picked: list[Article] = []
                for item in rng.choices(CATALOG, weights, k=rng.choice((1, 1, 1, 2, 2, 3))):
                    if item not in picked:
                        picked.append(item)
                for item in picked:
                    many = item.category in ("contact_lenses", "accessories")
                    qty = rng.choice((1, 2, 2, 4)) if many else 1
                    unit = price_on(item, day)
                    off = 0
                    if rng.random() < odds:
                        off = int(round(qty * unit * rng.choice(rates), -3))
                    lines.append([f"HD{ticket}", day.isoformat(), shop.code, item.sku, str(qty), f"{unit}.00",
                                  f"{off}.00"])
    return lines


def stock_lines(rng: random.Random) -> list[list[str]]:
    lines: list[list[str]] = []
    trading = [shop for shop in SHOPS if shop.closed_after == LAST_DAY]  # a closed shop keeps no stock
    for shop, item in itertools.product(trading, CATALOG):
        if item.category != "services" and rng.random() >= 0.1:
            minimum = rng.randint(3, 10)
            # a multiple of the minimum: under 0.5 of it rounds to an empty shelf, about 1 to exactly the minimum
            have = max(0, round(minimum * rng.uniform(-0.35, 3.6)))
            lines.append([shop.code, item.sku, str(have), str(minimum), LAST_DAY.isoformat()])
    return lines


def patient_lines(rng: random.Random) -> list[list[str]]:
    surnames = ("Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Huỳnh", "Phan", "Vũ", "Đặng", "Bùi")
    given = ("Minh Anh", "Thu Trang", "Quang Huy", "Ngọc Lan", "Đức Minh", "Bảo Châu", "Thanh Tùng", "Hải Yến")
    roads = ("Phố Huế", "Lê Lợi", "Trần Phú", "Nguyễn Trãi", "Hai Bà Trưng")
    young = ("single_vision", "single_vision", "contact_lenses", "contact_lenses", "occupational")
    older = ("progressive", "progressive", "reading", "bifocal", "occupational")
    lines: list[list[str]] = []
    for n in range(1, 521):
        shop = rng.choices(SHOPS, [s.traffic for s in SHOPS])[0]
        age = max(6, min(93, int(rng.gauss(41, 17))))
        span = (shop.closed_after - shop.opened).days
        exam = shop.opened + timedelta(days=rng.randint(0, span))
        born = date(exam.year - age, rng.randint(1, 12), rng.randint(1, 28))
        if (born.month, born.day) > (exam.month, exam.day):
            born = born.replace(year=born.year - 1)
        sphere = [f"{rng.choice((-5.5, -3.0, -2.25, -1.25, -0.5, 0.0, 1.0, 2.25)):.2f}" for _ in "od"]
        cylinder = [f"{rng.choice((0.0, 0.0, -0.5, -0.75, -1.5)):.2f}" for _ in "od"]
        lines.append([f"SH{n:06d}", rng.choice(given), rng.choice(surnames), born.isoformat(),
                      f"khach{n}@thu.example", f"+84 9{rng.randint(10, 99)} {n:03d} {rng.randint(100, 999)}",
                      f"{rng.randint(1, 300)} {rng.choice(roads)}", shop.city, shop.province, shop.postcode,
                      exam.isoformat(), *sphere, *cylinder, rng.choice(older if age >= 42 else young)])
    return lines


COLUMNS = {
    "stores": ("store_code", "name", "city", "state"),
    "products": ("sku", "name", "category", "brand", "unit_price"),
    "sales": ("order_id", "sold_at", "store_code", "sku", "quantity", "unit_price", "discount"),
    "stock": ("store_code", "sku", "on_hand", "reorder_point", "as_of"),
    "patients": ("patient_id", "first_name", "last_name", "date_of_birth", "email", "phone", "street", "city", "state",
                 "zip", "last_exam_date", "sphere_od", "sphere_os", "cylinder_od", "cylinder_os", "lens_type"),
}


def main() -> None:
    rng = random.Random(SEED)
    tables = {"stores": [[s.code, s.name, s.city, s.province] for s in SHOPS],
              "products": [[i.sku, i.name, i.category, i.brand, f"{i.list_vnd}.00"] for i in CATALOG]}
    for table, build in (("sales", sale_lines), ("stock", stock_lines), ("patients", patient_lines)):
        tables[table] = build(rng)  # in this order: they share the one generator
    OUT.mkdir(parents=True, exist_ok=True)
    for table, lines in tables.items():
        text = io.StringIO(newline="")
        csv.writer(text).writerows([list(COLUMNS[table]), *lines])
        (OUT / f"{table}.csv").write_bytes(text.getvalue().encode("utf-8"))


if __name__ == "__main__":
    main()
