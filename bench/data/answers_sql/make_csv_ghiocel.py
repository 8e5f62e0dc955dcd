"""Write the CSV files of the answer bench's Romanian tenant "ghiocel" (Optica Ghiocel; held-out set heldout29).

python bench/data/answers_sql/make_csv_ghiocel.py  -> bench/data/answers_sql/ghiocel/<table>.csv (5 tables)

Contract: the output depends on this file alone. One `random.Random(SEED)` is drawn from in a fixed order (the
sale lines of each day shop by shop, then the shelves shop by shop, then the patient cards), so a second run rewrites
the committed files byte for byte. Every row passes the project's CSV importer: a shop's county (județ) is stored by
the chain's own two-letter code, which is the car-plate code of the county (CJ Cluj, SB Sibiu, TM Timiș, IS Iași,
CT Constanța, BV Brașov, BH Bihor, IF Ilfov) except for Bucharest, whose plate code "B" has one letter: the chain
writes it BU; a patient's `zip` is the first five digits of the six-digit cod poștal (the importer takes five);
categories and lens types are the schema's.

The tenant: a Romanian optician chain of 13 shops in 9 counties, cities stored by their Romanian names with
diacritics ("București", "Cluj-Napoca", "Timișoara", "Iași", "Constanța", "Brașov"), which people also call by
Hungarian or German names (Kolozsvár / Klausenburg, Hermannstadt / Nagyszeben, Temesvár / Temeswar, Kronstadt /
Brassó, Nagyvárad / Großwardein) or nicknames ("Micul Paris" and "the capital" for Bucharest, "Cluj" for
Cluj-Napoca). Bucharest holds three shops: the street shops Calea Victoriei (GH-01, Sector 1) and Titan (GH-03,
Sector 3) and the mall shop AFI Cotroceni (GH-02, Sector 6); the mall shop Pipera (GH-04) stands in the town of
Voluntari in Ilfov county, just north of Bucharest, not in it. Cluj-Napoca holds the street shop Eroilor (GH-05) and
the mall shop Iulius Mall Cluj (GH-06), which opened on Thursday 18 Sep 2025. Constanța holds the street shop Ștefan
cel Mare (GH-10) and the seasonal beach shop Mamaia (GH-11, in the Mamaia resort, part of Constanța), which trades
every day from 1 June to 15 September only. GH-13 Oradea closed for good after Tuesday 31 Mar 2026 and keeps no
stock; GH-03 Titan was shut for works from Monday 12 Jan to Sunday 1 Feb 2026. The other mall shops are AFI
Cotroceni, Pipera, Iulius Town Timișoara (GH-08) and Palas Iași (GH-09).

Trading days: the street shops (GH-01, GH-03, GH-05, GH-07, GH-10, GH-12, GH-13) never open on a Sunday and are shut
on every Romanian public holiday (1-2 Jan, Boboteaza 6 Jan, Sfântul Ion 7 Jan, Ziua Unirii 24 Jan, the Orthodox
Vinerea Mare, Paște Sunday and Monday, 1 May, Ziua Copilului 1 June, Rusalii Sunday and Monday, Sfânta Maria
15 Aug, Sfântul Andrei 30 Nov, Ziua Națională 1 Dec, Crăciun 25-26 Dec); the mall shops trade every day except
1 Jan, Paște Sunday and 25 Dec; on 24 Dec and 31 Dec every open shop trades a half day. On the chain's own day,
"Ziua Ghiocelului" (1 March, the snowdrop being the flower of Mărțișor), every shop opens, even on a Sunday (1 Mar
2026), with 15 % off most lines. Sales run from Monday 3 Jun 2024 to Sunday 14 Jun 2026, the day before the bench's
reference day. Other sales with many lines discounted: "Reduceri de vară" (the summer sale, Monday to Sunday
8-21 Jul 2024 and 7-20 Jul 2025), "Înapoi la școală" (back to school, 26 Aug-8 Sep 2024 and 25 Aug-7 Sep 2025) and
the chain's Black Friday weekend, Friday to Sunday in early November as Romanian retailers hold it (8-10 Nov 2024,
7-9 Nov 2025). Amounts in lei (RON) with two decimals; list prices rose on 1 Aug 2025, when VAT went from 19 % to
21 %: a sale line carries the price of its day, products.csv today's. Local product families: "Carpați" frames (the
mountains, no shop), "Bucegi" frames (mountains, no shop), "Vama Veche" sunglasses (a beach village, no shop); the
Romanian lens maker Lentiro; services "Consult optometric" (eye test), "Montaj lentile" (fitting lenses into a
customer's own frame) and "Reparație ochelari" (repair); two products never sold. Stock as of 14 Jun 2026; patients
by age, lens type and county.
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

OUT = Path(__file__).parent / "ghiocel"
SEED = 29_1918_1201
FIRST_DAY, LAST_DAY = date(2024, 6, 3), date(2026, 6, 14)
PRICE_RISE = date(2025, 8, 1)  # VAT 19 % -> 21 %
# Romanian public holidays (zile libere legale) in the data
HOLIDAYS = {date(2024, 6, 23), date(2024, 6, 24), date(2024, 8, 15), date(2024, 11, 30), date(2024, 12, 1),
            date(2024, 12, 25), date(2024, 12, 26),
            date(2025, 1, 1), date(2025, 1, 2), date(2025, 1, 6), date(2025, 1, 7), date(2025, 1, 24),
            date(2025, 4, 18), date(2025, 4, 20), date(2025, 4, 21), date(2025, 5, 1), date(2025, 6, 1),
            date(2025, 6, 8), date(2025, 6, 9), date(2025, 8, 15), date(2025, 11, 30), date(2025, 12, 1),
            date(2025, 12, 25), date(2025, 12, 26),
            date(2026, 1, 1), date(2026, 1, 2), date(2026, 1, 6), date(2026, 1, 7), date(2026, 1, 24),
            date(2026, 4, 10), date(2026, 4, 12), date(2026, 4, 13), date(2026, 5, 1), date(2026, 5, 31),
            date(2026, 6, 1)}
MALLS_SHUT = {date(2025, 1, 1), date(2025, 4, 20), date(2025, 12, 25), date(2024, 12, 25), date(2026, 1, 1),
              date(2026, 4, 12)}  # New Year's Day, Paște Sunday, Christmas Day
HALF_DAYS = {date(2024, 12, 24), date(2024, 12, 31), date(2025, 12, 24), date(2025, 12, 31)}
SNOWDROP_DAYS = {date(2025, 3, 1), date(2026, 3, 1)}  # Ziua Ghiocelului: every shop opens, even on a Sunday
TITAN_WORKS = (date(2026, 1, 12), date(2026, 2, 1))


class Shop(NamedTuple):
    code: str
    name: str
    city: str
    county: str
    postcode: str  # six digits; the CSV keeps the first five
    weight: float
    mall: bool = False
    opened: date = FIRST_DAY
    closed_after: date = LAST_DAY
    season: bool = False  # the Mamaia beach shop: 1 June - 15 September only


SHOPS = (
    Shop("GH-01", "Ghiocel Calea Victoriei", "București", "BU", "010063", 1.5),
    Shop("GH-02", "Ghiocel AFI Cotroceni", "București", "BU", "060013", 1.8, mall=True),
    Shop("GH-03", "Ghiocel Titan", "București", "BU", "031781", 1.0),
    Shop("GH-04", "Ghiocel Pipera", "Voluntari", "IF", "077190", 1.2, mall=True),
    Shop("GH-05", "Ghiocel Eroilor", "Cluj-Napoca", "CJ", "400129", 1.2),
    Shop("GH-06", "Ghiocel Iulius Mall Cluj", "Cluj-Napoca", "CJ", "400664", 1.3, mall=True,
         opened=date(2025, 9, 18)),
    Shop("GH-07", "Ghiocel Piața Mare", "Sibiu", "SB", "550163", 0.9),
    Shop("GH-08", "Ghiocel Iulius Town", "Timișoara", "TM", "300011", 1.3, mall=True),
    Shop("GH-09", "Ghiocel Palas", "Iași", "IS", "700051", 1.1, mall=True),
    Shop("GH-10", "Ghiocel Ștefan cel Mare", "Constanța", "CT", "900178", 0.8),
    Shop("GH-11", "Ghiocel Mamaia", "Constanța", "CT", "900001", 1.4, season=True),
    Shop("GH-12", "Ghiocel Republicii", "Brașov", "BV", "500030", 1.0),
    Shop("GH-13", "Ghiocel Oradea", "Oradea", "BH", "410067", 0.7, closed_after=date(2026, 3, 31)),
)

# sku; name; category; brand; list price before 1 Aug 2025; list price from then (today's); appeal (0: never sold)
RANGE = [
    ("GHC-01", "Ghiocel Carpați Acetat", "frames", "Ghiocel", "439.00", "449.00", 1.3),
    ("GHC-02", "Ghiocel Carpați Titan", "frames", "Ghiocel", "789.00", "799.00", 0.7),
    ("GHC-03", "Ghiocel Bucegi Metal", "frames", "Ghiocel", "339.00", "349.00", 1.0),
    ("GHC-04", "Ray-Ban RX5154 Clubmaster", "frames", "Ray-Ban", "879.00", "899.00", 0.9),
    ("GHC-05", "Tommy Hilfiger TH 1985", "frames", "Tommy Hilfiger", "639.00", "649.00", 0.6),
    ("GHC-06", "Lindberg Air Titanium", "frames", "Lindberg", "2449.00", "2490.00", 0.3),
    ("GHC-07", "Ghiocel Vama Veche Polarizat", "sunglasses", "Ghiocel", "239.00", "249.00", 1.2),
    ("GHC-08", "Ghiocel Vama Veche Junior", "sunglasses", "Ghiocel", "119.00", "129.00", 0.6),
    ("GHC-09", "Ray-Ban Wayfarer RB2140", "sunglasses", "Ray-Ban", "829.00", "849.00", 0.8),
    ("GHC-10", "Polaroid PLD 2138", "sunglasses", "Polaroid", "319.00", "329.00", 1.0),
    ("GHC-11", "Persol PO3019S", "sunglasses", "Persol", "1169.00", "1190.00", 0.0),
    ("GHC-12", "Zeiss SmartLife Progresiv", "lenses", "Zeiss", "1849.00", "1890.00", 0.5),
    ("GHC-13", "Lentiro Monofocal 1.5", "lenses", "Lentiro", "145.00", "149.00", 1.4),
    ("GHC-14", "Lentiro Progresiv Confort", "lenses", "Lentiro", "869.00", "890.00", 0.6),
    ("GHC-15", "Hoya Nulux 1.6", "lenses", "Hoya", "379.00", "390.00", 1.0),
    ("GHC-16", "Essilor Varilux X Series", "lenses", "Essilor", "2149.00", "2190.00", 0.4),
    ("GHC-17", "Essilor Eyezen 1.6", "lenses", "Essilor", "579.00", "590.00", 0.6),
    ("GHC-18", "Acuvue Oasys 1-Day 30 buc", "contact_lenses", "Acuvue", "185.00", "189.00", 1.0),
    ("GHC-19", "Air Optix Aqua 6 buc", "contact_lenses", "Alcon", "155.00", "159.00", 0.8),
    ("GHC-20", "Biofinity 3 buc", "contact_lenses", "CooperVision", "135.00", "139.00", 0.9),
    ("GHC-21", "Ghiocel Toc ochelari", "accessories", "Ghiocel", "38.90", "39.90", 1.2),
    ("GHC-22", "Ghiocel Lavetă microfibră", "accessories", "Ghiocel", "14.90", "14.90", 1.4),
    ("GHC-23", "Renu MultiPlus 360 ml", "accessories", "Bausch + Lomb", "43.90", "44.90", 0.9),
    ("GHC-24", "Ghiocel Șnur ochelari", "accessories", "Ghiocel", "24.90", "24.90", 0.0),
    ("GHC-25", "Consult optometric", "services", "Ghiocel", "90.00", "100.00", 1.1),
    ("GHC-26", "Montaj lentile", "services", "Ghiocel", "55.00", "60.00", 0.7),
    ("GHC-27", "Reparație ochelari", "services", "Ghiocel", "45.00", "50.00", 0.8),
]
CATEGORY_WEIGHT = {"frames": 3.0, "sunglasses": 1.6, "lenses": 5.0, "contact_lenses": 2.4, "accessories": 2.0,
                   "services": 1.8}
SUN_MONTHS = {4: 1.1, 5: 1.5, 6: 2.0, 7: 2.6, 8: 2.3, 9: 1.0}  # sunglasses sell with the summer on the coast
DAY_LIFT = (0.95, 1.0, 1.0, 1.05, 1.2, 1.4, 0.8)  # Monday .. Sunday
MONTH_LIFT = {1: 0.7, 2: 0.85, 8: 1.1, 9: 1.15, 12: 1.3}  # a slow January, back to school, a busy December


def campaign(day: date) -> str | None:
    """The name of the sale running on `day` (None on an ordinary day)."""
    if day in SNOWDROP_DAYS:
        return "ziua_ghiocelului"
    spans = {"reduceri_de_vara": ((date(2024, 7, 8), date(2024, 7, 21)), (date(2025, 7, 7), date(2025, 7, 20))),
             "inapoi_la_scoala": ((date(2024, 8, 26), date(2024, 9, 8)), (date(2025, 8, 25), date(2025, 9, 7))),
             "black_friday": ((date(2024, 11, 8), date(2024, 11, 10)), (date(2025, 11, 7), date(2025, 11, 9)))}
    for name, spells in spans.items():
        if any(lo <= day <= hi for lo, hi in spells):
            return name
    return None


# campaign -> (share of lines discounted, rates, more customers)
DISCOUNTS = {"black_friday": (0.75, (0.2, 0.3, 0.4), 2.2), "reduceri_de_vara": (0.5, (0.15, 0.25), 1.2),
             "inapoi_la_scoala": (0.45, (0.1, 0.2), 1.25), "ziua_ghiocelului": (0.85, (0.15,), 1.8),
             None: (0.06, (0.05, 0.1), 1.0)}


def trades(shop: Shop, day: date) -> bool:
    if day < shop.opened or day > shop.closed_after:
        return False
    if shop.code == "GH-03" and TITAN_WORKS[0] <= day <= TITAN_WORKS[1]:
        return False
    if shop.season:  # every day of the beach season, holidays and Sundays included
        return (6, 1) <= (day.month, day.day) <= (9, 15)
    if day in SNOWDROP_DAYS:
        return True
    if shop.mall:
        return day not in MALLS_SHUT
    return day not in HOLIDAYS and day.isoweekday() != 7


def price(row: tuple, day: date) -> str:
    """The list price of `row` on `day`: the old list before the VAT rise on 1 Aug 2025, today's from then."""
    return row[5] if day >= PRICE_RISE else row[4]


def sale_lines(rng: random.Random) -> list[tuple]:
    out: list[tuple] = []
    receipt = 500_000
    day = FIRST_DAY
    while day <= LAST_DAY:
        sun = SUN_MONTHS.get(day.month, 0.4)
        weights = [CATEGORY_WEIGHT[r[2]] * r[6] * (sun if r[2] == "sunglasses" else 1) for r in RANGE]
        share_cut, rates, busier = DISCOUNTS[campaign(day)]
        lift = MONTH_LIFT.get(day.month, 1.0) * (0.5 if day in HALF_DAYS else 1.0)
        for shop in SHOPS:
            if not trades(shop, day):
                continue
            beach = 1.6 if shop.season and day.month in (7, 8) else 1.0
            expected = 1.3 * shop.weight * busier * lift * beach * DAY_LIFT[day.weekday()]
            visitors = int(expected) + (1 if rng.random() < expected - int(expected) else 0)
            for _visit in range(visitors):
                receipt += 1
                basket = list(dict.fromkeys(rng.choices(RANGE, weights, k=rng.choice((1, 1, 1, 2, 2, 3)))))
                for row in basket:
                    many = row[2] in ("contact_lenses", "accessories")
                    qty = rng.choice((1, 1, 2, 3)) if many else (2 if row[2] == "lenses" else 1)
                    each = price(row, day)
                    cents = round(qty * float(each) * 100)
                    off = int(round(cents * rng.choice(rates), -2)) if rng.random() < share_cut else 0
                    out.append((f"BF-{receipt}", day.isoformat(), shop.code, row[0], qty, each,
                                f"{off // 100}.{off % 100:02d}"))
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


GIVEN = ("Andrei", "Maria", "Ioana", "Mihai", "Elena", "Alexandru", "Ana", "Gabriel", "Cristina", "Ionuț", "Raluca",
         "Bogdan", "Zsuzsa", "Levente")
FAMILY = ("Popescu", "Ionescu", "Popa", "Dumitru", "Stan", "Stoica", "Gheorghe", "Rusu", "Munteanu", "Matei",
          "Kovács", "Szabó")
STRADA = ("Str. Mihai Eminescu", "Bd. Unirii", "Str. Avram Iancu", "Calea Dorobanților", "Str. Lalelelor",
          "Bd. Independenței", "Str. Republicii")


def patient_cards(rng: random.Random) -> list[tuple]:
    out: list[tuple] = []
    for n in range(1, 521):
        shop = rng.choices(SHOPS, [s.weight for s in SHOPS])[0]
        span = (shop.closed_after - shop.opened).days
        exam = shop.opened + timedelta(days=rng.randint(0, span))
        while not trades(shop, exam):  # an eye test happens on a day the shop is open
            exam = shop.opened + timedelta(days=rng.randint(0, span))
        years = min(94, max(5, round(rng.gauss(44, 19))))
        born = date(exam.year - years, rng.randint(1, 12), rng.randint(1, 28))
        if (born.month, born.day) > (exam.month, exam.day):
            born = born.replace(year=born.year - 1)
        older = ("progressive", "progressive", "reading", "bifocal", "single_vision", "occupational")
        younger = ("single_vision", "single_vision", "contact_lenses", "contact_lenses", "occupational")
        lens = rng.choice(older if years >= 45 else younger)
        sph = [rng.choice((-6.0, -3.5, -2.0, -1.0, -0.5, 0.0, 1.25, 2.5)) for _eye in "rl"]
        cyl = [rng.choice((0.0, 0.0, 0.0, -0.5, -1.0, -1.5)) for _eye in "rl"]
        out.append((f"GHP-{n:04d}", rng.choice(GIVEN), rng.choice(FAMILY), born.isoformat(),
                    f"client{n}@ghiocel.example", f"+40 7{rng.randint(20, 79)} {rng.randint(100, 999)} {n:03d}",
                    f"{rng.choice(STRADA)} {rng.randint(1, 120)}", shop.city, shop.county, shop.postcode[:5],
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
    write("products", [(r[0], r[1], r[2], r[3], r[5]) for r in RANGE])
    write("sales", sale_lines(rng))
    write("stock", shelves(rng))
    write("patients", patient_cards(rng))


if __name__ == "__main__":
    main()
