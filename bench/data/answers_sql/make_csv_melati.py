"""Write the CSV files of the answer bench's Indonesian tenant "melati" (Optik Melati; held-out set heldout17).

python bench/data/answers_sql/make_csv_melati.py  -> bench/data/answers_sql/melati/<table>.csv (5 tables)

Contract: the output depends on nothing but this file (one `random.Random(SEED)`, drawn in a fixed order: the sales
calendar day by day and store by store, then the stock list, then the patients), so a second run rewrites the
committed files byte for byte; every row passes the project's CSV importer (two-letter province codes, five-digit
Indonesian postcodes, the schema's categories and lens types).

The tenant: an Indonesian mall chain of 14 stores in ten provinces stored by their ISO 3166-2:ID codes (JK DKI
Jakarta, JB Jawa Barat, BT Banten, JT Jawa Tengah, YO Yogyakarta, JI Jawa Timur, BA Bali, SU Sumatera Utara, SN
Sulawesi Selatan, RI Riau; JB, BA, SN and RI read like other things too), three stores in Jakarta and two in Jawa
Timur. Amounts in whole rupiah (IDR, no cents). Sales from Monday 1 Jul 2024 to Sunday 14 Jun 2026, the day before
the bench's reference day 2026-06-15. Mall stores trade seven days a week; every store is shut on New Year's Day and
on the first two days of Idul Fitri (Lebaran: 31 Mar-1 Apr 2025, 20-21 Mar 2026), the Bali store also on Nyepi
(29 Mar 2025, 19 Mar 2026). ML-14 (Pekanbaru) closed for good after Saturday 28 Feb 2026 (no stock rows); ML-13
(BSD, Tangerang Selatan) opened on Monday 8 Sep 2025; ML-06 (Malioboro, Yogyakarta) was shut for renovation from
1 to 21 Dec 2025. Busy weeks before Lebaran with most lines discounted (the 14 days before the first holiday), a
12.12 (Harbolnas) discount day, weekends busier; Hoya lenses sold 10 % above list from 1 Mar 2026. The local brand
"Saturdays" (a weekday's name), a frame family "Braga" named like the Bandung store, a frame named for Lebaran, colour
"softlens" (the Indonesian word for contact lenses) from the local brand X2, two products never sold; stock as of
14 Jun 2026; patients by age, lens type and province.
Not the demo generator and not another make_csv*.py: its own seed, names and shape.
"""

from __future__ import annotations

import csv
import random
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

OUT = Path(__file__).parent / "melati"
SEED = 17_0617_2026
FIRST_DAY, LAST_DAY = date(2024, 7, 1), date(2026, 6, 14)
HOYA_RISE = date(2026, 3, 1)
LEBARAN = (date(2025, 3, 31), date(2026, 3, 20))  # the first day of Idul Fitri; the next day is shut too
NYEPI = {date(2025, 3, 29), date(2026, 3, 19)}
HARBOLNAS = {date(2024, 12, 12), date(2025, 12, 12)}


@dataclass(frozen=True)
class Shop:
    code: str
    label: str
    city: str
    province: str
    busy: float
    opened: date = FIRST_DAY
    closed_after: date = LAST_DAY
    works: tuple[date, date] | None = None

    def trades(self, day: date) -> bool:
        if not self.opened <= day <= self.closed_after or day.month == 1 and day.day == 1:
            return False
        if any(start <= day <= start + timedelta(days=1) for start in LEBARAN):
            return False
        if self.province == "BA" and day in NYEPI:
            return False
        return not (self.works and self.works[0] <= day <= self.works[1])


SHOPS = (
    Shop("ML-01", "Optik Melati Grand Indonesia", "Jakarta", "JK", 1.7),
    Shop("ML-02", "Optik Melati Kelapa Gading", "Jakarta", "JK", 1.3),
    Shop("ML-03", "Optik Melati Pondok Indah", "Jakarta", "JK", 1.2),
    Shop("ML-04", "Optik Melati Braga", "Bandung", "JB", 1.1),
    Shop("ML-05", "Optik Melati Botani Square", "Bogor", "JB", 0.7),
    Shop("ML-06", "Optik Melati Malioboro", "Yogyakarta", "YO", 0.9, works=(date(2025, 12, 1), date(2025, 12, 21))),
    Shop("ML-07", "Optik Melati Simpang Lima", "Semarang", "JT", 0.8),
    Shop("ML-08", "Optik Melati Tunjungan", "Surabaya", "JI", 1.4),
    Shop("ML-09", "Optik Melati Ijen", "Malang", "JI", 0.6),
    Shop("ML-10", "Optik Melati Seminyak", "Denpasar", "BA", 0.9),
    Shop("ML-11", "Optik Melati Merdeka Walk", "Medan", "SU", 1.0),
    Shop("ML-12", "Optik Melati Losari", "Makassar", "SN", 0.7),
    Shop("ML-13", "Optik Melati BSD", "Tangerang Selatan", "BT", 0.9, opened=date(2025, 9, 8)),
    Shop("ML-14", "Optik Melati Pekanbaru", "Pekanbaru", "RI", 0.5, closed_after=date(2026, 2, 28)),
)

POSTCODES = {"JK": (10110, 14450), "JB": (40111, 16720), "BT": (15310, 15419), "JT": (50131, 50275),
             "YO": (55111, 55282), "JI": (60111, 65149), "BA": (80111, 80361), "SU": (20111, 20371),
             "SN": (90111, 90245), "RI": (28111, 28294)}

# sku, name, category, brand, list price (IDR), weight; weight 0: listed, never sold
CATALOG = (
    ("MLT-01", "Melati Braga Klasik", "frames", "Melati", 650_000, 1.3),
    ("MLT-02", "Melati Braga Tipis", "frames", "Melati", 590_000, 1.0),
    ("MLT-03", "Melati Senja", "frames", "Melati", 720_000, 0.9),
    ("MLT-04", "Melati Lebaran Edition", "frames", "Melati", 850_000, 0.5),
    ("MLT-05", "Melati Anak Ceria", "frames", "Melati", 420_000, 0.8),
    ("MLT-06", "Saturdays Kemang Round", "frames", "Saturdays", 1_150_000, 0.7),
    ("MLT-07", "Ray-Ban RX5154 Clubmaster", "frames", "Ray-Ban", 2_350_000, 0.6),
    ("MLT-08", "Oakley Crosslink", "frames", "Oakley", 2_100_000, 0.0),
    ("MLT-09", "Essilor Varilux Comfort", "lenses", "Essilor", 3_200_000, 0.6),
    ("MLT-10", "Essilor Crizal Sapphire", "lenses", "Essilor", 1_450_000, 0.9),
    ("MLT-11", "Hoya Blue Control 1.60", "lenses", "Hoya", 980_000, 1.1),
    ("MLT-12", "Hoya Nulux Single Vision", "lenses", "Hoya", 640_000, 1.2),
    ("MLT-13", "Zeiss SmartLife Progressive", "lenses", "Zeiss", 4_600_000, 0.3),
    ("MLT-14", "Acuvue Oasys 2-Week 6pk", "contact_lenses", "Acuvue", 310_000, 1.0),
    ("MLT-15", "Acuvue Moist 1-Day 30pk", "contact_lenses", "Acuvue", 385_000, 0.9),
    ("MLT-16", "X2 Bio Color Softlens Grey", "contact_lenses", "X2", 95_000, 1.4),
    ("MLT-17", "X2 Bio Color Softlens Brown", "contact_lenses", "X2", 95_000, 1.2),
    ("MLT-18", "Ray-Ban Aviator Classic", "sunglasses", "Ray-Ban", 2_450_000, 0.8),
    ("MLT-19", "Oakley Holbrook", "sunglasses", "Oakley", 2_250_000, 0.6),
    ("MLT-20", "Saturdays Bromo Shade", "sunglasses", "Saturdays", 990_000, 0.7),
    ("MLT-21", "Melati Pantai Kuta", "sunglasses", "Melati", 480_000, 0.9),
    ("MLT-22", "Melati Batik Hard Case", "accessories", "Melati", 85_000, 1.0),
    ("MLT-23", "Cairan Pembersih Lensa 60ml", "accessories", "Melati", 45_000, 1.3),
    ("MLT-24", "Rantai Kacamata Manik", "accessories", "Melati", 65_000, 0.0),
    ("MLT-25", "Pemeriksaan Mata Lengkap", "services", "Melati", 150_000, 1.1),
    ("MLT-26", "Servis & Setel Kacamata", "services", "Melati", 50_000, 0.6),
)
SOLD = [row for row in CATALOG if row[5] > 0]
SUNNY = {"sunglasses"}
FIRST_NAMES = ("Budi", "Siti", "Agus", "Dewi", "Rizky", "Putri", "Andi", "Ayu", "Wahyu", "Rina", "Hendra", "Nur",
               "Fajar", "Indah", "Made", "Ketut", "Yusuf", "Lestari", "Bayu", "Intan")
LAST_NAMES = ("Santoso", "Wijaya", "Hidayat", "Saputra", "Lubis", "Siregar", "Pratama", "Kusuma", "Nasution",
              "Halim", "Setiawan", "Gunawan", "Tanjung", "Wibowo", "Sari")
STREETS = ("Jl. Sudirman", "Jl. Gatot Subroto", "Jl. Diponegoro", "Jl. Ahmad Yani", "Jl. Pemuda", "Jl. Merdeka",
           "Jl. Kartini", "Jl. Pahlawan")
LENSES = ("single_vision", "progressive", "bifocal", "occupational", "reading", "contact_lenses")


def in_lebaran_rush(day: date) -> bool:
    return any(start - timedelta(days=14) <= day < start for start in LEBARAN)


def day_factor(day: date) -> float:
    factor = {5: 1.15, 6: 1.45, 7: 1.35}.get(day.isoweekday(), 1.0)
    if in_lebaran_rush(day):
        factor *= 1.6
    if day in HARBOLNAS:
        factor *= 1.8
    return factor


def price_of(item: tuple, day: date) -> int:
    price = item[4]
    if item[3] == "Hoya" and day >= HOYA_RISE:
        price = round(price * 1.1)
    return price


def pick_items(rng: random.Random, day: date) -> list[tuple]:
    weights = [w * (1.7 if cat in SUNNY and day.month in (6, 7, 8, 12) else 1.0)
               for _, _, cat, _, _, w in SOLD]
    count = rng.choice((1, 1, 1, 2, 2, 3))
    chosen: list[tuple] = []
    while len(chosen) < count:
        item = rng.choices(SOLD, weights=weights)[0]
        if item not in chosen:
            chosen.append(item)
    return chosen


def discount_of(rng: random.Random, day: date, gross: int) -> int:
    if in_lebaran_rush(day) or day in HARBOLNAS:
        rate = rng.choice((0.0, 0.1, 0.15, 0.2, 0.2))
    else:
        rate = rng.choice((0.0,) * 9 + (0.05, 0.1))
    return int(round(gross * rate, -3))  # discounts in whole thousands of rupiah


def sales_rows(rng: random.Random) -> list[list[str]]:
    rows: list[list[str]] = []
    serial = 700_000
    day = FIRST_DAY
    while day <= LAST_DAY:
        for shop in SHOPS:
            if not shop.trades(day):
                continue
            orders = max(0, round(rng.gauss(0.75 * shop.busy * day_factor(day), 0.9)))
            for _ in range(orders):
                serial += 1
                for item in pick_items(rng, day):
                    qty = rng.choice((1, 1, 1, 1, 2)) if item[2] != "contact_lenses" else rng.choice((1, 2, 2, 3))
                    price = price_of(item, day)
                    rows.append([f"INV{serial}", day.isoformat(), shop.code, item[0], str(qty), f"{price}.00",
                                 f"{discount_of(rng, day, qty * price)}.00"])
        day += timedelta(days=1)
    return rows


def stock_rows(rng: random.Random) -> list[list[str]]:
    rows = []
    for shop in SHOPS:
        if shop.closed_after < LAST_DAY:
            continue
        for sku, _, category, *_ in CATALOG:
            if category == "services":
                continue
            reorder = rng.choice((3, 4, 5, 6, 8))
            on_hand = rng.choice((0, reorder, rng.randint(1, 20), rng.randint(1, 20), rng.randint(4, 25)))
            rows.append([shop.code, sku, str(on_hand), str(reorder), LAST_DAY.isoformat()])
    return rows


def patient_rows(rng: random.Random, count: int = 480) -> list[list[str]]:
    provinces = [shop.province for shop in SHOPS]
    cities = {shop.province: shop.city for shop in SHOPS}
    rows = []
    for n in range(1, count + 1):
        province = rng.choice(provinces)
        low, high = sorted(POSTCODES[province])
        born = date(rng.randint(1938, 2016), rng.randint(1, 12), rng.randint(1, 28))
        exam = FIRST_DAY + timedelta(days=rng.randint(0, (LAST_DAY - FIRST_DAY).days))
        age = exam.year - born.year
        lens = rng.choice(("progressive", "progressive", "occupational", "reading")) if age >= 45 else rng.choice(
            LENSES)
        sph = [f"{rng.randint(-24, 12) * 0.25:.2f}" for _ in range(2)]
        cyl = [f"{-rng.randint(0, 10) * 0.25:.2f}" for _ in range(2)]
        rows.append([f"mlt-{n:05d}", rng.choice(FIRST_NAMES), rng.choice(LAST_NAMES), born.isoformat(),
                     f"pasien{n}@surel.example", f"+62 81{rng.randint(10, 99)} {rng.randint(1000, 9999)} {n:04d}",
                     f"{rng.choice(STREETS)} No. {rng.randint(1, 220)}", cities[province], province,
                     str(rng.randint(low, high)), exam.isoformat(), *sph, *cyl, lens])
    return rows


def write(name: str, header: list[str], rows: list[list[str]]) -> None:
    with open(OUT / f"{name}.csv", "w", newline="", encoding="utf-8") as handle:
        out = csv.writer(handle, lineterminator="\n")
        out.writerow(header)
        out.writerows(rows)


def main() -> None:
    rng = random.Random(SEED)
    OUT.mkdir(exist_ok=True)
    write("stores", ["store_code", "name", "city", "state"],
          [[s.code, s.label, s.city, s.province] for s in SHOPS])
    write("products", ["sku", "name", "category", "brand", "unit_price"],
          [[sku, name, cat, brand, f"{price}.00"] for sku, name, cat, brand, price, _ in CATALOG])
    write("sales", ["order_id", "sold_at", "store_code", "sku", "quantity", "unit_price", "discount"], sales_rows(rng))
    write("stock", ["store_code", "sku", "on_hand", "reorder_point", "as_of"], stock_rows(rng))
    write("patients", ["patient_id", "first_name", "last_name", "date_of_birth", "email", "phone", "street", "city",
                       "state", "zip", "last_exam_date", "sphere_od", "sphere_os", "cylinder_od", "cylinder_os",
                       "lens_type"], patient_rows(rng))


if __name__ == "__main__":
    main()
