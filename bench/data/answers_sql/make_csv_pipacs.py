"""Write the CSV files of the answer bench's Hungarian tenant "pipacs" (Pipacs Optika; held-out set heldout28).

python bench/data/answers_sql/make_csv_pipacs.py  -> bench/data/answers_sql/pipacs/<table>.csv (5 tables)

Contract: the output depends on this file alone. One `random.Random(SEED)` is drawn from in a fixed order (the
sale lines of each day shop by shop, then the shelves shop by shop, then the patient cards), so a second run rewrites
the committed files byte for byte. Every row passes the project's CSV importer: a shop's county (megye) is stored by
the chain's own two-letter code (BP Budapest, PE Pest megye, HB Hajdú-Bihar, CS Csongrád-Csanád, BA Baranya,
GY Győr-Moson-Sopron, BO Borsod-Abaúj-Zemplén, FE Fejér); a patient's `zip` is the four-digit irányítószám with a
leading 0 (the importer takes five digits: 1052 -> 01052); categories and lens types are the schema's.

The tenant: a Hungarian optician chain of 12 shops, cities stored by their Hungarian names (Pécs = Fünfkirchen,
Győr = Raab, Sopron = Ödenburg, Székesfehérvár = "Fehérvár" to everyone, Szeged, Debrecen, Miskolc). Budapest holds
three shops: the street shop Váci utca (PO-01) and the mall shops WestEnd (PO-02) and Allee (PO-03); the mall shop
Budaörs (PO-04) is in the town of Budaörs in Pest megye, just outside Budapest, not in Budapest. Debrecen holds the
street shop Piac utca (PO-05) and the mall shop Fórum Debrecen (PO-11), which opened on Thursday 2 Oct 2025.
Győr-Moson-Sopron holds the Győr Árkád mall shop (PO-08) and the Sopron street shop (PO-12). PO-09 Miskolc closed for
good after Saturday 31 Jan 2026 and keeps no stock. The street shops outside Budapest (PO-05 .. PO-07, PO-09, PO-10,
PO-12) never open on a Sunday. Every shop is shut on the public holidays (1 Jan, 15 Mar, Easter Sunday and Monday,
1 May, Whit Sunday and Monday, 20 Aug, 23 Oct, 1 Nov, 25 and 26 Dec); on Good Friday (nagypéntek) the chain opens
its mall shops only; on 24 Dec (Szenteste) and 31 Dec (Szilveszter) every shop trades until 14:00, a half day.
Sales run from Monday 1 Jul 2024 to Sunday 14 Jun 2026, the day before the bench's reference day. Three sales with
many lines discounted: "Nyári kiárusítás" (the summer sale, 1-14 Jul 2024 and 1-14 Jul 2025), "Iskolakezdés"
(back to school, 19 Aug-1 Sep 2024 and 18-31 Aug 2025, the shops shut on 20 Aug) and the Black Friday week (Monday
to Sunday: 25 Nov-1 Dec 2024, 24-30 Nov 2025). Amounts in Hungarian forint (Ft) in whole forints, written with two
zero decimals; list prices end in 990 or 90 and rose on 1 Feb 2026: a sale line carries the price of its day (the
old list before 1 Feb 2026, today's list from then), products.csv today's. Local product families: "Tisza" frames (the
river through Szeged, not a shop), "Mátra" frames (mountains, no shop), "Balaton" sunglasses (the lake, no shop); the
Hungarian lens maker Hungarolens; services "Látásvizsgálat" (eye test), "Lencsecsiszolás" (edging lenses into a
customer's own frame) and "Szemüvegjavítás" (repair); two products never sold. Stock as of 14 Jun 2026; patients by
age, lens type and county.
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

OUT = Path(__file__).parent / "pipacs"
SEED = 28_1848_0315
FIRST_DAY, LAST_DAY = date(2024, 7, 1), date(2026, 6, 14)
PRICE_RISE = date(2026, 2, 1)
# Hungarian public holidays in the data: every shop is shut
HOLIDAYS = {date(2024, 8, 20), date(2024, 10, 23), date(2024, 11, 1), date(2024, 12, 25), date(2024, 12, 26),
            date(2025, 1, 1), date(2025, 3, 15), date(2025, 4, 20), date(2025, 4, 21), date(2025, 5, 1),
            date(2025, 6, 8), date(2025, 6, 9), date(2025, 8, 20), date(2025, 10, 23), date(2025, 11, 1),
            date(2025, 12, 25), date(2025, 12, 26), date(2026, 1, 1), date(2026, 3, 15), date(2026, 4, 5),
            date(2026, 4, 6), date(2026, 5, 1), date(2026, 5, 24), date(2026, 5, 25)}
GOOD_FRIDAYS = {date(2025, 4, 18), date(2026, 4, 3)}  # nagypéntek: the mall shops open, the street shops shut
HALF_DAYS = {date(2024, 12, 24), date(2024, 12, 31), date(2025, 12, 24), date(2025, 12, 31)}  # until 14:00


class Shop(NamedTuple):
    code: str
    name: str
    city: str
    county: str
    zip: str
    weight: float
    mall: bool = False
    opened: date = FIRST_DAY
    closed_after: date = LAST_DAY
    sundays: bool = True


SHOPS = (
    Shop("PO-01", "Pipacs Váci utca", "Budapest", "BP", "1052", 1.5),
    Shop("PO-02", "Pipacs WestEnd", "Budapest", "BP", "1062", 1.7, mall=True),
    Shop("PO-03", "Pipacs Allee", "Budapest", "BP", "1117", 1.2, mall=True),
    Shop("PO-04", "Pipacs Budaörs", "Budaörs", "PE", "2040", 1.0, mall=True),
    Shop("PO-05", "Pipacs Piac utca", "Debrecen", "HB", "4024", 1.0, sundays=False),
    Shop("PO-06", "Pipacs Kárász utca", "Szeged", "CS", "6720", 1.0, sundays=False),
    Shop("PO-07", "Pipacs Király utca", "Pécs", "BA", "7621", 0.9, sundays=False),
    Shop("PO-08", "Pipacs Győr Árkád", "Győr", "GY", "9027", 1.1, mall=True),
    Shop("PO-09", "Pipacs Miskolc", "Miskolc", "BO", "3525", 0.7, closed_after=date(2026, 1, 31), sundays=False),
    Shop("PO-10", "Pipacs Fehérvár", "Székesfehérvár", "FE", "8000", 0.8, sundays=False),
    Shop("PO-11", "Pipacs Fórum Debrecen", "Debrecen", "HB", "4025", 1.0, mall=True, opened=date(2025, 10, 2)),
    Shop("PO-12", "Pipacs Sopron", "Sopron", "GY", "9400", 0.6, sundays=False),
)

# sku; name; category; brand; today's list price in forint; appeal (0: listed, never sold)
RANGE = [
    ("PPC-01", "Pipacs Tisza Acetát", "frames", "Pipacs", 24990, 1.3),
    ("PPC-02", "Pipacs Tisza Titán", "frames", "Pipacs", 42990, 0.7),
    ("PPC-03", "Pipacs Mátra Fém", "frames", "Pipacs", 19990, 1.0),
    ("PPC-04", "Ray-Ban RX7047", "frames", "Ray-Ban", 54990, 0.9),
    ("PPC-05", "Hugo Boss BOSS 1433", "frames", "Hugo Boss", 64990, 0.5),
    ("PPC-06", "Silhouette Momentum", "frames", "Silhouette", 89990, 0.4),
    ("PPC-07", "Pipacs Balaton Napszemüveg", "sunglasses", "Pipacs", 14990, 1.2),
    ("PPC-08", "Pipacs Balaton Gyerek", "sunglasses", "Pipacs", 7990, 0.6),
    ("PPC-09", "Ray-Ban Aviator RB3025", "sunglasses", "Ray-Ban", 59990, 0.8),
    ("PPC-10", "Polaroid PLD 6198", "sunglasses", "Polaroid", 21990, 1.0),
    ("PPC-11", "Carrera 1007/S", "sunglasses", "Carrera", 49990, 0.0),
    ("PPC-12", "Zeiss Progressive Individual", "lenses", "Zeiss", 119990, 0.5),
    ("PPC-13", "Hungarolens Multifokális", "lenses", "Hungarolens", 64990, 0.6),
    ("PPC-14", "Hungarolens Egyfókuszú 1.6", "lenses", "Hungarolens", 17990, 1.4),
    ("PPC-15", "Hoya Hilux 1.5", "lenses", "Hoya", 22990, 1.0),
    ("PPC-16", "Essilor Varilux Comfort", "lenses", "Essilor", 94990, 0.4),
    ("PPC-17", "Rodenstock Perfalit 1.6", "lenses", "Rodenstock", 34990, 0.5),
    ("PPC-18", "Acuvue Oasys 1-Day 30 db", "contact_lenses", "Acuvue", 11990, 1.0),
    ("PPC-19", "Dailies AquaComfort Plus 30 db", "contact_lenses", "Alcon", 8990, 0.8),
    ("PPC-20", "Biofinity 6 db", "contact_lenses", "CooperVision", 12990, 0.9),
    ("PPC-21", "Pipacs Szemüvegtok", "accessories", "Pipacs", 2990, 1.2),
    ("PPC-22", "Pipacs Törlőkendő", "accessories", "Pipacs", 990, 1.4),
    ("PPC-23", "Biotrue Ápolószer 300 ml", "accessories", "Bausch + Lomb", 3490, 0.9),
    ("PPC-24", "Pipacs Szemüveglánc", "accessories", "Pipacs", 2490, 0.0),
    ("PPC-25", "Látásvizsgálat", "services", "Pipacs", 6990, 1.1),
    ("PPC-26", "Lencsecsiszolás", "services", "Pipacs", 4990, 0.7),
    ("PPC-27", "Szemüvegjavítás", "services", "Pipacs", 2990, 0.8),
]
CATEGORY_WEIGHT = {"frames": 3.0, "sunglasses": 1.6, "lenses": 5.0, "contact_lenses": 2.4, "accessories": 2.0,
                   "services": 1.8}
SUN_MONTHS = {4: 1.1, 5: 1.5, 6: 2.1, 7: 2.5, 8: 2.2, 9: 1.0}  # sunglasses sell with the Balaton summer
DAY_LIFT = (0.95, 1.0, 1.0, 1.05, 1.25, 1.35, 0.75)  # Monday .. Sunday
MONTH_LIFT = {1: 0.75, 2: 0.85, 8: 1.1, 12: 1.3}  # a slow January, back to school in August, a busy December


def campaign(day: date) -> str | None:
    """The name of the sale running on `day` (None on an ordinary day)."""
    spans = {"nyari_kiarusitas": ((date(2024, 7, 1), date(2024, 7, 14)), (date(2025, 7, 1), date(2025, 7, 14))),
             "iskolakezdes": ((date(2024, 8, 19), date(2024, 9, 1)), (date(2025, 8, 18), date(2025, 8, 31))),
             "black_friday": ((date(2024, 11, 25), date(2024, 12, 1)), (date(2025, 11, 24), date(2025, 11, 30)))}
    for name, weeks in spans.items():
        if any(lo <= day <= hi for lo, hi in weeks):
            return name
    return None


# campaign -> (share of lines discounted, rates, more customers)
DISCOUNTS = {"black_friday": (0.7, (0.2, 0.3, 0.5), 1.9), "nyari_kiarusitas": (0.5, (0.2, 0.3), 1.2),
             "iskolakezdes": (0.45, (0.1, 0.15), 1.3), None: (0.07, (0.05, 0.1), 1.0)}


def trades(shop: Shop, day: date) -> bool:
    if day < shop.opened or day > shop.closed_after or day in HOLIDAYS:
        return False
    if day in GOOD_FRIDAYS:
        return shop.mall
    return shop.sundays or day.isoweekday() != 7


def forint(row: tuple, day: date) -> int:
    """The list price of `row` on `day`: today's from 1 Feb 2026, before then the old list (about 8 % lower, same
    endings)."""
    if day >= PRICE_RISE:
        return row[4]
    step, end = (1000, 10) if row[4] >= 5000 else (100, 10)
    return int(round(row[4] * 0.92 / step) * step - end)


def sale_lines(rng: random.Random) -> list[tuple]:
    out: list[tuple] = []
    receipt = 280_000
    day = FIRST_DAY
    while day <= LAST_DAY:
        sun = SUN_MONTHS.get(day.month, 0.4)
        weights = [CATEGORY_WEIGHT[r[2]] * r[5] * (sun if r[2] == "sunglasses" else 1) for r in RANGE]
        share_cut, rates, busier = DISCOUNTS[campaign(day)]
        lift = MONTH_LIFT.get(day.month, 1.0) * (0.5 if day in HALF_DAYS else 1.0)
        for shop in SHOPS:
            if not trades(shop, day):
                continue
            expected = 1.2 * shop.weight * busier * lift * DAY_LIFT[day.weekday()]
            visitors = int(expected) + (1 if rng.random() < expected - int(expected) else 0)
            for _visit in range(visitors):
                receipt += 1
                basket = list(dict.fromkeys(rng.choices(RANGE, weights, k=rng.choice((1, 1, 1, 2, 2, 3)))))
                for row in basket:
                    many = row[2] in ("contact_lenses", "accessories")
                    qty = rng.choice((1, 1, 2, 3)) if many else (2 if row[2] == "lenses" else 1)
                    each = forint(row, day)
                    off = round(qty * each * rng.choice(rates), -1) if rng.random() < share_cut else 0
                    out.append((f"NY-{receipt}", day.isoformat(), shop.code, row[0], qty, f"{each}.00",
                                f"{int(off)}.00"))
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


GIVEN = ("Anna", "László", "Katalin", "István", "Zsófia", "Gábor", "Eszter", "Péter", "Réka", "Zoltán", "Judit",
         "Bence")
FAMILY = ("Nagy", "Kovács", "Tóth", "Szabó", "Horváth", "Varga", "Kiss", "Molnár", "Németh", "Farkas")
UTCA = ("Petőfi utca", "Kossuth Lajos utca", "Rákóczi út", "Ady Endre utca", "Széchenyi tér", "Jókai utca")


def patient_cards(rng: random.Random) -> list[tuple]:
    out: list[tuple] = []
    for n in range(1, 481):
        shop = rng.choices(SHOPS, [s.weight for s in SHOPS])[0]
        span = (shop.closed_after - shop.opened).days
        exam = shop.opened + timedelta(days=rng.randint(0, span))
        years = min(94, max(5, round(rng.gauss(45, 19))))
        born = date(exam.year - years, rng.randint(1, 12), rng.randint(1, 28))
        if (born.month, born.day) > (exam.month, exam.day):
            born = born.replace(year=born.year - 1)
        older = ("progressive", "progressive", "reading", "bifocal", "single_vision", "occupational")
        younger = ("single_vision", "single_vision", "contact_lenses", "contact_lenses", "occupational")
        lens = rng.choice(older if years >= 45 else younger)
        sph = [rng.choice((-6.0, -3.5, -2.0, -1.0, -0.5, 0.0, 1.25, 2.5)) for _eye in "rl"]
        cyl = [rng.choice((0.0, 0.0, 0.0, -0.5, -1.0, -1.5)) for _eye in "rl"]
        out.append((f"PPT-{n:04d}", rng.choice(GIVEN), rng.choice(FAMILY), born.isoformat(),
                    f"vasarlo{n}@pipacs.example", f"+36 {rng.choice((20, 30, 70))} {rng.randint(100, 999)} {n:04d}",
                    f"{rng.choice(UTCA)} {rng.randint(1, 90)}.", shop.city, shop.county, f"0{shop.zip}",
                    exam.isoformat(), *(f"{v:.2f}" for v in sph), *(f"{v:.2f}" for v in cyl), lens))
    return out


def write(table: str, rows: list[tuple]) -> None:
    """One table as CSV with the importer's header, CRLF line ends like the csv module's default dialect."""
    with (OUT / f"{table}.csv").open("w", encoding="utf-8", newline="") as handle:
        csv.writer(handle).writerows([[column.name for column in SPECS[table].columns], *rows])


def main() -> None:
    rng = random.Random(SEED)
    OUT.mkdir(parents=True, exist_ok=True)
    write("stores", [(s.code, s.name, s.city, s.county) for s in SHOPS])
    write("products", [(r[0], r[1], r[2], r[3], f"{r[4]}.00") for r in RANGE])
    write("sales", sale_lines(rng))
    write("stock", shelves(rng))
    write("patients", patient_cards(rng))


if __name__ == "__main__":
    main()
