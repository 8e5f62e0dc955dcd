"""Write the CSV files of the answer bench's Czech tenant "jiskra" (Oční optika Jiskra; held-out set heldout27).

python bench/data/answers_sql/make_csv_jiskra.py  -> bench/data/answers_sql/jiskra/<table>.csv (5 tables)

Contract: the output depends on this file alone. One `random.Random(SEED)` is drawn from in a fixed order (the
sale lines of each day shop by shop, then the shelves shop by shop, then the patient cards), so a second run rewrites
the committed files byte for byte. Every row passes the project's CSV importer: a shop's region (kraj) is stored by
the chain's own two-letter code (PR Praha = Hlavní město Praha, JM Jihomoravský = South Moravian, MS Moravskoslezský
= Moravian-Silesian, PL Plzeňský = Pilsen region, OL Olomoucký, JC Jihočeský = South Bohemian, HK Královéhradecký =
Hradec Králové region, KV Karlovarský = Carlsbad region, LB Liberecký); a patient's `zip` is the five-digit PSČ
written without its space ("110 00" -> 11000); categories and lens types are the schema's.

The tenant: a Czech optician chain of 12 shops, cities stored by their Czech names (Praha = Prague, Plzeň = Pilsen,
České Budějovice = Budweis, "Budějky" to locals; Karlovy Vary = Carlsbad, "Vary"; Hradec Králové, "Hradec"). Praha
holds three shops: the street shops Na Příkopě (JS-01) and Anděl (JS-03) and the mall shop Westfield Chodov (JS-02);
Brno holds the street shop Masarykova (JS-05) and the mall shop Vaňkovka (JS-04), which opened on Monday
1 Sep 2025; Liberec's shop is in the Forum Liberec mall (JS-12). JS-11 Karlovy Vary closed for good after Saturday
28 Feb 2026 and keeps no stock. The street shops outside Praha (JS-05 to JS-11) never open on a Sunday. Czech law shuts
large shops, and so the malls, on seven holidays (1 Jan, Easter Monday, 8 May, 28 Sep, 28 Oct, 25 and 26 Dec): the
mall shops are shut on those days, while the street shops trade on Easter Monday, 8 May, 28 Sep and 28 Oct. The street
shops are shut on Štědrý den (24 Dec), 25 and 26 Dec and 1 Jan; on 24 Dec only the malls trade, and only until noon.
Good Friday, 1 May, 5-6 Jul and 17 Nov are ordinary trading days. Sales run from Monday 1 Jul 2024 to Sunday
14 Jun 2026, the day before the bench's reference day. Three sales with many lines discounted: "Letní výprodej" (the
summer sale, 1-14 Jul 2024 and 1-14 Jul 2025), "Zpátky do školy" (back to school, 26 Aug-8 Sep 2024 and
25 Aug-7 Sep 2025) and the Black Friday week (Monday to Sunday: 25 Nov-1 Dec 2024, 24-30 Nov 2025). Amounts in
Czech koruna (Kč) with two decimals, prices ending in 90 or 9; the list prices rose on 1 Jan 2026: a sale line
carries the price of its day (the 2025 list before 2026, today's list from 1 Jan 2026), products.csv today's. Local
product families: "Vltava" frames (the river through Praha and Budějovice), "Morava" frames (a river and a land,
not a shop), "Krkonoše" sunglasses (mountains with no shop); the Czech lens maker Dioptra (Turnov); services
"Vyšetření zraku" (eye test), "Zábrus skel" (edging lenses into a customer's own frame) and "Oprava brýlí"
(repair); two products never sold. Stock as of 14 Jun 2026; patients by age, lens type and region.
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

OUT = Path(__file__).parent / "jiskra"
SEED = 27_1918_1028
FIRST_DAY, LAST_DAY = date(2024, 7, 1), date(2026, 6, 14)
PRICE_RISE = date(2026, 1, 1)
# the days Czech law shuts large shops (the malls): 1 Jan, Easter Monday, 8 May, 28 Sep, 28 Oct, 25 and 26 Dec
MALL_SHUT = {date(2024, 9, 28), date(2024, 10, 28), date(2024, 12, 25), date(2024, 12, 26), date(2025, 1, 1),
             date(2025, 4, 21), date(2025, 5, 8), date(2025, 9, 28), date(2025, 10, 28), date(2025, 12, 25),
             date(2025, 12, 26), date(2026, 1, 1), date(2026, 4, 6), date(2026, 5, 8)}
# the chain shuts its street shops on Christmas Eve, Christmas and New Year's Day
STREET_SHUT = {date(2024, 12, 24), date(2024, 12, 25), date(2024, 12, 26), date(2025, 1, 1), date(2025, 12, 24),
               date(2025, 12, 25), date(2025, 12, 26), date(2026, 1, 1)}
HALF_DAYS = {date(2024, 12, 24), date(2025, 12, 24)}  # Štědrý den: the malls trade until noon


class Shop(NamedTuple):
    code: str
    name: str
    city: str
    region: str
    psc: str
    weight: float
    mall: bool = False
    opened: date = FIRST_DAY
    closed_after: date = LAST_DAY
    sundays: bool = True


SHOPS = (
    Shop("JS-01", "Jiskra Na Příkopě", "Praha", "PR", "11000", 1.5),
    Shop("JS-02", "Jiskra Westfield Chodov", "Praha", "PR", "14800", 1.6, mall=True),
    Shop("JS-03", "Jiskra Anděl", "Praha", "PR", "15000", 1.2),
    Shop("JS-04", "Jiskra Vaňkovka", "Brno", "JM", "60200", 1.1, mall=True, opened=date(2025, 9, 1)),
    Shop("JS-05", "Jiskra Masarykova", "Brno", "JM", "60200", 1.2, sundays=False),
    Shop("JS-06", "Jiskra Ostrava", "Ostrava", "MS", "70200", 1.0, sundays=False),
    Shop("JS-07", "Jiskra Plzeň", "Plzeň", "PL", "30100", 0.9, sundays=False),
    Shop("JS-08", "Jiskra Olomouc", "Olomouc", "OL", "77900", 0.8, sundays=False),
    Shop("JS-09", "Jiskra Budějovice", "České Budějovice", "JC", "37001", 0.8, sundays=False),
    Shop("JS-10", "Jiskra Hradec", "Hradec Králové", "HK", "50002", 0.7, sundays=False),
    Shop("JS-11", "Jiskra Karlovy Vary", "Karlovy Vary", "KV", "36001", 0.6, closed_after=date(2026, 2, 28),
         sundays=False),
    Shop("JS-12", "Jiskra Forum Liberec", "Liberec", "LB", "46001", 0.9, mall=True),
)

# sku; name; category; brand; today's list price in koruna; appeal (0: listed, never sold)
RANGE = [
    ("JSK-101", "Jiskra Vltava Acetát", "frames", "Jiskra", 1990, 1.3),
    ("JSK-102", "Jiskra Vltava Titan", "frames", "Jiskra", 3490, 0.8),
    ("JSK-103", "Jiskra Morava Kov", "frames", "Jiskra", 1590, 1.0),
    ("JSK-104", "Ray-Ban RX5154 Clubmaster", "frames", "Ray-Ban", 4290, 0.9),
    ("JSK-105", "Tommy Hilfiger TH 1785", "frames", "Tommy Hilfiger", 3790, 0.7),
    ("JSK-106", "Oakley Holbrook RX", "frames", "Oakley", 4590, 0.5),
    ("JSK-107", "Jiskra Krkonoše Sluneční", "sunglasses", "Jiskra", 1290, 1.2),
    ("JSK-108", "Jiskra Krkonoše Dětské", "sunglasses", "Jiskra", 690, 0.6),
    ("JSK-109", "Ray-Ban Wayfarer RB2140", "sunglasses", "Ray-Ban", 4490, 0.8),
    ("JSK-110", "Polaroid PLD 2138", "sunglasses", "Polaroid", 1790, 1.0),
    ("JSK-111", "Oakley Sutro", "sunglasses", "Oakley", 4990, 0.0),
    ("JSK-112", "Zeiss SmartLife Progressive", "lenses", "Zeiss", 8990, 0.5),
    ("JSK-113", "Dioptra Progresiv Komfort", "lenses", "Dioptra", 5490, 0.6),
    ("JSK-114", "Dioptra Jednoohniskové 1.6", "lenses", "Dioptra", 1490, 1.4),
    ("JSK-115", "Essilor Eyezen Start", "lenses", "Essilor", 2890, 0.8),
    ("JSK-116", "Hoya Nulux 1.5", "lenses", "Hoya", 1890, 1.0),
    ("JSK-117", "Rodenstock Road 2", "lenses", "Rodenstock", 3990, 0.4),
    ("JSK-118", "Acuvue Oasys 1-Day 30 ks", "contact_lenses", "Acuvue", 899, 1.0),
    ("JSK-119", "Dailies Total1 30 ks", "contact_lenses", "Alcon", 1099, 0.7),
    ("JSK-120", "Biofinity 6 ks", "contact_lenses", "CooperVision", 849, 0.9),
    ("JSK-121", "Jiskra Pouzdro na brýle", "accessories", "Jiskra", 199, 1.2),
    ("JSK-122", "Jiskra Utěrka z mikrovlákna", "accessories", "Jiskra", 59, 1.4),
    ("JSK-123", "ReNu MultiPlus 360 ml", "accessories", "Bausch + Lomb", 249, 0.9),
    ("JSK-124", "Jiskra Šňůrka na brýle", "accessories", "Jiskra", 149, 0.0),
    ("JSK-125", "Vyšetření zraku", "services", "Jiskra", 490, 1.1),
    ("JSK-126", "Zábrus skel", "services", "Jiskra", 390, 0.7),
    ("JSK-127", "Oprava brýlí", "services", "Jiskra", 190, 0.8),
]
CATEGORY_WEIGHT = {"frames": 3.0, "sunglasses": 1.6, "lenses": 5.0, "contact_lenses": 2.4, "accessories": 2.0,
                   "services": 1.8}
SUN_MONTHS = {4: 1.1, 5: 1.5, 6: 2.0, 7: 2.4, 8: 2.0, 9: 1.1}  # sunglasses sell with the summer
DAY_LIFT = (1.0, 0.95, 0.95, 1.05, 1.2, 1.3, 0.8)  # Monday .. Sunday
MONTH_LIFT = {1: 0.8, 2: 0.85, 12: 1.25}  # a slow January and February, a busy December


def campaign(day: date) -> str | None:
    """The name of the sale running on `day` (None on an ordinary day)."""
    spans = {"letni_vyprodej": ((date(2024, 7, 1), date(2024, 7, 14)), (date(2025, 7, 1), date(2025, 7, 14))),
             "zpatky_do_skoly": ((date(2024, 8, 26), date(2024, 9, 8)), (date(2025, 8, 25), date(2025, 9, 7))),
             "black_friday": ((date(2024, 11, 25), date(2024, 12, 1)), (date(2025, 11, 24), date(2025, 11, 30)))}
    for name, weeks in spans.items():
        if any(lo <= day <= hi for lo, hi in weeks):
            return name
    return None


# campaign -> (share of lines discounted, rates, more customers)
DISCOUNTS = {"black_friday": (0.75, (0.2, 0.3, 0.4), 1.8), "letni_vyprodej": (0.5, (0.15, 0.25), 1.2),
             "zpatky_do_skoly": (0.5, (0.1, 0.2), 1.3), None: (0.06, (0.05, 0.1), 1.0)}


def trades(shop: Shop, day: date) -> bool:
    if day < shop.opened or day > shop.closed_after:
        return False
    if shop.mall:
        return day not in MALL_SHUT
    if day.isoweekday() == 7 and not shop.sundays:
        return False
    return day not in STREET_SHUT


def koruna(row: tuple, day: date) -> int:
    """The list price of `row` on `day`: today's from 2026, the 2025 list (about 6 % lower, same endings) before."""
    if day >= PRICE_RISE:
        return row[4]
    step, end = (100, 10) if row[4] >= 500 else (10, 1)
    return int(round(row[4] * 0.94 / step) * step - end)


def sale_lines(rng: random.Random) -> list[tuple]:
    out: list[tuple] = []
    receipt = 500_000
    day = FIRST_DAY
    while day <= LAST_DAY:
        sun = SUN_MONTHS.get(day.month, 0.45)
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
                    qty = rng.choice((1, 1, 2, 4)) if many else (2 if row[2] == "lenses" else 1)
                    each = koruna(row, day)
                    off = round(qty * each * rng.choice(rates)) if rng.random() < share_cut else 0
                    out.append((f"UCT-{receipt}", day.isoformat(), shop.code, row[0], qty, f"{each}.00",
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


GIVEN = ("Jana", "Petr", "Eva", "Jan", "Lucie", "Tomáš", "Hana", "Martin", "Tereza", "Jiří", "Marie", "Ondřej")
FAMILY = ("Novák", "Svoboda", "Dvořák", "Černý", "Procházka", "Kučera", "Veselý", "Horák", "Němec", "Marek")
ULICE = ("Husova", "Palackého", "Masarykova", "Nádražní", "Komenského", "Žižkova")


def patient_cards(rng: random.Random) -> list[tuple]:
    out: list[tuple] = []
    for n in range(1, 461):
        shop = rng.choices(SHOPS, [s.weight for s in SHOPS])[0]
        span = (shop.closed_after - shop.opened).days
        exam = shop.opened + timedelta(days=rng.randint(0, span))
        years = min(93, max(6, round(rng.gauss(44, 19))))
        born = date(exam.year - years, rng.randint(1, 12), rng.randint(1, 28))
        if (born.month, born.day) > (exam.month, exam.day):
            born = born.replace(year=born.year - 1)
        older = ("progressive", "progressive", "reading", "bifocal", "single_vision", "occupational")
        younger = ("single_vision", "single_vision", "contact_lenses", "contact_lenses", "occupational")
        lens = rng.choice(older if years >= 45 else younger)
        sph = [rng.choice((-5.5, -3.0, -2.0, -1.25, -0.5, 0.0, 1.0, 2.25)) for _eye in "rl"]
        cyl = [rng.choice((0.0, 0.0, 0.0, -0.5, -0.75, -1.75)) for _eye in "rl"]
        out.append((f"JSP-{n:04d}", rng.choice(GIVEN), rng.choice(FAMILY), born.isoformat(),
                    f"zakaznik{n}@jiskra.example", f"+420 {rng.randint(601, 799)} {rng.randint(100, 999)} {n:03d}",
                    f"{rng.choice(ULICE)} {rng.randint(1, 120)}", shop.city, shop.region, shop.psc,
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
