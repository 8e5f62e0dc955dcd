"""Write the CSV files of the answer bench's Turkish tenant "yakamoz" (Yakamoz Optik; held-out set heldout26).

python bench/data/answers_sql/make_csv_yakamoz.py  -> bench/data/answers_sql/yakamoz/<table>.csv (5 tables)

Contract: the output depends on this file alone. One `random.Random(SEED)` is drawn from in a fixed order (the
sale lines of each day shop by shop, then the shelves shop by shop, then the patient cards), so a second run rewrites
the committed files byte for byte. Every row passes the project's CSV importer: a shop's region (bölge, the chain's
sales regions after Türkiye's seven geographic regions) is stored by a two-letter code (MA Marmara, EG Ege = the
Aegean, AK Akdeniz = the Mediterranean, IC İç Anadolu = Central Anatolia, KA Karadeniz = the Black Sea, GD Güneydoğu
Anadolu = Southeastern Anatolia); a patient's `zip` is the five-digit posta kodu; categories and lens types are the
schema's.

The tenant: a Turkish optician chain of 12 shops, cities stored by their Turkish names with the dotted capital İ
(İstanbul, İzmir, Eskişehir) that English speakers write Istanbul, Izmir; Gaziantep is "Antep" to locals. İstanbul holds
three shops: Nişantaşı (YK-01) and the mall shop İstinye Park (YK-03) on the European side (Avrupa Yakası), Kadıköy
(YK-02) on the Asian side (Anadolu Yakası). İzmir holds Alsancak (YK-05) and Karşıyaka (YK-06), which opened on Monday
13 Oct 2025. YK-12 Gaziantep closed for good after Saturday 31 Jan 2026 (its lease ended) and keeps no stock; it and
YK-11 Trabzon never open on a Sunday. Sales run from Monday 3 Jun 2024 to Sunday 14 Jun 2026, the day before the
bench's reference day. Every shop is shut on the first day of the two bayrams (Ramazan Bayramı 30 Mar 2025 and 20 Mar
2026; Kurban Bayramı 16 Jun 2024, 6 Jun 2025 and 27 May 2026); the street shops are also shut on each bayram's second
day and on New Year's Day, when the mall shop trades. The other national holidays (23 Nisan, 1 Mayıs, 19 Mayıs,
15 Temmuz, 30 Ağustos, 29 Ekim) are ordinary trading days. Three sales with most lines discounted: "Efsane Cuma" (the
Black Friday weekend, Friday to Sunday: 29 Nov-1 Dec 2024, 28-30 Nov 2025), "Okula Dönüş" (back to school, 2-15 Sep
2024 and 1-14 Sep 2025) and the week before Anneler Günü (Mother's Day: 5-11 May 2025, 4-10 May 2026). Amounts in
Turkish lira with two decimals; with inflation the list prices rise on 1 Jan and 1 Jul: a sale line carries the price
of its day (70 % of today's list before 2025, 82 % in the first half of 2025, 90 % in the second, 100 % from 2026),
products.csv today's. Local product families: "Boğaz" frames (the Bosphorus), "Bodrum" sunglasses (a town with no
shop), the Turkish brand Osse; services "Cam Montajı" (fitting lenses to a customer's own frame), "Lens Uygulama"
(contact lens fitting) and "Tamir ve Ayar" (repair); two products never sold. Stock as of 14 Jun 2026; patients by
age, lens type and region.
"""

from __future__ import annotations

import csv
import random
import sys
from datetime import date, timedelta
from pathlib import Path
from typing import NamedTuple

sys.path.insert(0, str(Path(__file__).resolve().parents[3]))

from db.importer import SPECS  # noqa: E402  (column order is the importer's)

OUT = Path(__file__).parent / "yakamoz"
SEED = 26_1029_2023
FIRST_DAY, LAST_DAY = date(2024, 6, 3), date(2026, 6, 14)
MALL = "YK-03"
ALL_SHUT = {date(2024, 6, 16): "Kurban Bayramı", date(2025, 3, 30): "Ramazan Bayramı",
            date(2025, 6, 6): "Kurban Bayramı", date(2026, 3, 20): "Ramazan Bayramı",
            date(2026, 5, 27): "Kurban Bayramı"}
STREET_SHUT = {date(2024, 6, 17): "Kurban Bayramı 2", date(2025, 1, 1): "Yılbaşı", date(2025, 3, 31): "Ramazan 2",
               date(2025, 6, 7): "Kurban Bayramı 2", date(2026, 1, 1): "Yılbaşı", date(2026, 3, 21): "Ramazan 2",
               date(2026, 5, 28): "Kurban Bayramı 2"}
# the first day of each price list; a line's price is today's list price times the factor of its day
PRICE_STEPS = ((date(2026, 1, 1), 1.0), (date(2025, 7, 1), 0.9), (date(2025, 1, 1), 0.82), (FIRST_DAY, 0.7))


class Shop(NamedTuple):
    code: str
    name: str
    city: str
    region: str
    posta_kodu: str
    weight: float
    opened: date = FIRST_DAY
    closed_after: date = LAST_DAY
    sundays: bool = True


SHOPS = (
    Shop("YK-01", "Yakamoz Nişantaşı", "İstanbul", "MA", "34365", 1.5),
    Shop("YK-02", "Yakamoz Kadıköy", "İstanbul", "MA", "34710", 1.3),
    Shop("YK-03", "Yakamoz İstinye Park", "İstanbul", "MA", "34460", 1.6),
    Shop("YK-04", "Yakamoz Bursa", "Bursa", "MA", "16040", 0.9),
    Shop("YK-05", "Yakamoz Alsancak", "İzmir", "EG", "35220", 1.2),
    Shop("YK-06", "Yakamoz Karşıyaka", "İzmir", "EG", "35530", 0.9, opened=date(2025, 10, 13)),
    Shop("YK-07", "Yakamoz Kızılay", "Ankara", "IC", "06420", 1.2),
    Shop("YK-08", "Yakamoz Eskişehir", "Eskişehir", "IC", "26010", 0.7),
    Shop("YK-09", "Yakamoz Antalya", "Antalya", "AK", "07100", 1.0),
    Shop("YK-10", "Yakamoz Adana", "Adana", "AK", "01120", 0.8),
    Shop("YK-11", "Yakamoz Trabzon", "Trabzon", "KA", "61030", 0.6, sundays=False),
    Shop("YK-12", "Yakamoz Gaziantep", "Gaziantep", "GD", "27060", 0.6, closed_after=date(2026, 1, 31),
         sundays=False),
)

# sku; name; category; brand; today's list price in lira; appeal (0: listed, never sold)
RANGE = [
    ("YKO-101", "Yakamoz Boğaz Asetat", "frames", "Yakamoz", 2450, 1.3),
    ("YKO-102", "Yakamoz Boğaz Titanyum", "frames", "Yakamoz", 4650, 0.8),
    ("YKO-103", "Osse OS 3045", "frames", "Osse", 3250, 1.0),
    ("YKO-104", "Ray-Ban RX7047", "frames", "Ray-Ban", 6900, 0.9),
    ("YKO-105", "Vogue VO5286", "frames", "Vogue", 4800, 0.8),
    ("YKO-106", "Carrera 8880", "frames", "Carrera", 7450, 0.5),
    ("YKO-107", "Yakamoz Bodrum Güneş", "sunglasses", "Yakamoz", 1850, 1.2),
    ("YKO-108", "Yakamoz Bodrum Çocuk", "sunglasses", "Yakamoz", 990, 0.6),
    ("YKO-109", "Ray-Ban Aviator RB3025", "sunglasses", "Ray-Ban", 8250, 0.8),
    ("YKO-110", "Osse OS 2811 Güneş", "sunglasses", "Osse", 2750, 1.0),
    ("YKO-111", "Carrera Grand Prix 2", "sunglasses", "Carrera", 7900, 0.0),
    ("YKO-112", "Essilor Varilux Comfort", "lenses", "Essilor", 11500, 0.5),
    ("YKO-113", "Essilor Crizal Tek Odak 1.6", "lenses", "Essilor", 3900, 1.1),
    ("YKO-114", "Zeiss DriveSafe Tek Odak", "lenses", "Zeiss", 5200, 0.7),
    ("YKO-115", "Hoya Hilux 1.5", "lenses", "Hoya", 2300, 1.0),
    ("YKO-116", "Yakamoz Mavi Işık 1.56", "lenses", "Yakamoz", 1450, 1.4),
    ("YKO-117", "Hoya MySelf Progresif", "lenses", "Hoya", 9800, 0.4),
    ("YKO-118", "Acuvue Oasys 1-Day 30'lu", "contact_lenses", "Acuvue", 1350, 1.0),
    ("YKO-119", "Bausch + Lomb Ultra 6'lı", "contact_lenses", "Bausch + Lomb", 1150, 0.8),
    ("YKO-120", "Yakamoz Aylık Lens 6'lı", "contact_lenses", "Yakamoz", 590, 1.2),
    ("YKO-121", "Yakamoz Gözlük Kılıfı", "accessories", "Yakamoz", 290, 1.2),
    ("YKO-122", "Yakamoz Mikrofiber Bez", "accessories", "Yakamoz", 95, 1.4),
    ("YKO-123", "Renu Lens Solüsyonu 360 ml", "accessories", "Bausch + Lomb", 385, 0.9),
    ("YKO-124", "Yakamoz Gözlük Zinciri", "accessories", "Yakamoz", 450, 0.0),
    ("YKO-125", "Cam Montajı", "services", "Yakamoz", 750, 1.1),
    ("YKO-126", "Lens Uygulama", "services", "Yakamoz", 600, 0.6),
    ("YKO-127", "Tamir ve Ayar", "services", "Yakamoz", 250, 0.9),
]
CATEGORY_WEIGHT = {"frames": 3.0, "sunglasses": 1.8, "lenses": 5.0, "contact_lenses": 2.4, "accessories": 2.0,
                   "services": 1.6}
SUN_MONTHS = {4: 1.2, 5: 1.6, 6: 2.0, 7: 2.3, 8: 2.1, 9: 1.3}  # sunglasses sell with the summer
DAY_LIFT = (0.9, 0.9, 0.95, 1.0, 1.2, 1.5, 1.1)  # Monday .. Sunday


def campaign(day: date) -> str | None:
    """The name of the sale running on `day` (None on an ordinary day)."""
    spans = {"efsane_cuma": ((date(2024, 11, 29), date(2024, 12, 1)), (date(2025, 11, 28), date(2025, 11, 30))),
             "okula_donus": ((date(2024, 9, 2), date(2024, 9, 15)), (date(2025, 9, 1), date(2025, 9, 14))),
             "anneler_gunu": ((date(2025, 5, 5), date(2025, 5, 11)), (date(2026, 5, 4), date(2026, 5, 10)))}
    for name, weeks in spans.items():
        if any(lo <= day <= hi for lo, hi in weeks):
            return name
    return None


# campaign -> (share of lines discounted, rates, more customers)
DISCOUNTS = {"efsane_cuma": (0.8, (0.25, 0.35, 0.5), 2.0), "okula_donus": (0.55, (0.15, 0.2), 1.3),
             "anneler_gunu": (0.6, (0.1, 0.2), 1.3), None: (0.08, (0.05, 0.1), 1.0)}


def trades(shop: Shop, day: date) -> bool:
    if day < shop.opened or day > shop.closed_after or day in ALL_SHUT:
        return False
    if day.isoweekday() == 7 and not shop.sundays:
        return False
    return day not in STREET_SHUT or shop.code == MALL


def lira(row: tuple, day: date) -> int:
    """The list price of `row` on `day`, rounded to 10 lira (5 lira below 100)."""
    factor = next(f for start, f in PRICE_STEPS if day >= start)
    step = 5 if row[4] < 100 else 10
    return int(round(row[4] * factor / step) * step)


def sale_lines(rng: random.Random) -> list[tuple]:
    out: list[tuple] = []
    receipt = 100_000
    day = FIRST_DAY
    while day <= LAST_DAY:
        sun = SUN_MONTHS.get(day.month, 0.5)
        weights = [CATEGORY_WEIGHT[r[2]] * r[5] * (sun if r[2] == "sunglasses" else 1) for r in RANGE]
        share_cut, rates, busier = DISCOUNTS[campaign(day)]
        for shop in SHOPS:
            if not trades(shop, day):
                continue
            expected = 1.1 * shop.weight * busier * DAY_LIFT[day.weekday()]
            visitors = int(expected) + (1 if rng.random() < expected - int(expected) else 0)
            for _visit in range(visitors):
                receipt += 1
                basket = list(dict.fromkeys(rng.choices(RANGE, weights, k=rng.choice((1, 1, 1, 2, 2, 3)))))
                for row in basket:
                    many = row[2] in ("contact_lenses", "accessories")
                    qty = rng.choice((1, 1, 2, 3)) if many else (2 if row[2] == "lenses" else 1)
                    each = lira(row, day)
                    off = round(qty * each * rng.choice(rates)) if rng.random() < share_cut else 0
                    out.append((f"FIS-{receipt}", day.isoformat(), shop.code, row[0], qty, f"{each}.00",
                                f"{off}.00"))
        day += timedelta(days=1)
    return out


def shelves(rng: random.Random) -> list[tuple]:
    out: list[tuple] = []
    for shop in (s for s in SHOPS if s.closed_after == LAST_DAY):
        for row in RANGE:
            if row[2] == "services" or rng.random() < 0.1:
                continue
            reorder = rng.randint(2, 8)
            have = max(0, round(reorder * rng.uniform(-0.5, 3.0)))
            out.append((shop.code, row[0], have, reorder, LAST_DAY.isoformat()))
    return out


GIVEN = ("Ayşe", "Mehmet", "Zeynep", "Mustafa", "Elif", "Ahmet", "Fatma", "Emre", "Selin", "Burak", "Derya", "Can")
FAMILY = ("Yılmaz", "Kaya", "Demir", "Şahin", "Çelik", "Yıldız", "Öztürk", "Aydın", "Arslan", "Doğan")
SOKAK = ("Atatürk Caddesi", "Cumhuriyet Caddesi", "Gül Sokak", "Lale Sokak", "İstiklal Caddesi", "Menekşe Sokak")


def patient_cards(rng: random.Random) -> list[tuple]:
    out: list[tuple] = []
    for n in range(1, 481):
        shop = rng.choices(SHOPS, [s.weight for s in SHOPS])[0]
        span = (shop.closed_after - shop.opened).days
        exam = shop.opened + timedelta(days=rng.randint(0, span))
        years = min(92, max(7, round(rng.gauss(42, 18))))
        born = date(exam.year - years, rng.randint(1, 12), rng.randint(1, 28))
        if (born.month, born.day) > (exam.month, exam.day):
            born = born.replace(year=born.year - 1)
        older = ("progressive", "progressive", "reading", "bifocal", "single_vision", "occupational")
        younger = ("single_vision", "single_vision", "contact_lenses", "contact_lenses", "occupational")
        lens = rng.choice(older if years >= 45 else younger)
        sph = [rng.choice((-6.0, -3.5, -2.25, -1.25, -0.75, 0.0, 1.25, 2.5)) for _eye in "rl"]
        cyl = [rng.choice((0.0, 0.0, 0.0, -0.5, -1.0, -2.25)) for _eye in "rl"]
        out.append((f"YKP-{n:04d}", rng.choice(GIVEN), rng.choice(FAMILY), born.isoformat(),
                    f"musteri{n}@yakamoz.example", f"+90 5{rng.randint(30, 59)} {rng.randint(100, 999)} {n:04d}",
                    f"{rng.choice(SOKAK)} No: {rng.randint(1, 90)}", shop.city, shop.region, shop.posta_kodu,
                    exam.isoformat(), *(f"{v:.2f}" for v in sph), *(f"{v:.2f}" for v in cyl), lens))
    return out


def write(table: str, rows: list[tuple]) -> None:
    """One table as CSV with the importer's header, CRLF line ends like the csv module's default dialect."""
    with (OUT / f"{table}.csv").open("w", encoding="utf-8", newline="") as handle:
        csv.writer(handle).writerows([[column.name for column in SPECS[table].columns], *rows])


def main() -> None:
    rng = random.Random(SEED)
    OUT.mkdir(parents=True, exist_ok=True)
    write("stores", [(s.code, s.name, s.city, s.region) for s in SHOPS])
    write("products", [(r[0], r[1], r[2], r[3], f"{r[4]}.00") for r in RANGE])
    write("sales", sale_lines(rng))
    write("stock", shelves(rng))
    write("patients", patient_cards(rng))


if __name__ == "__main__":
    main()
