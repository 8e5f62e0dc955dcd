"""Write the CSV files of the answer bench's Swedish tenant "glimt" (Glimt Optik; held-out set heldout25).

python bench/data/answers_sql/make_csv_glimt.py  -> bench/data/answers_sql/glimt/<table>.csv (5 tables)

Contract: the output depends on this file alone. One `random.Random(SEED)` is drawn from in a fixed order (the
sale lines of each day shop by shop, then the shelves shop by shop, then the patient cards), so a second run rewrites
the committed files byte for byte. Every row passes the project's CSV importer: a county (län) is stored by a
two-letter code (ST Stockholms län, UP Uppsala län, VG Västra Götaland, SK Skåne, OG Östergötland, VB Västerbotten,
NB Norrbotten); a patient's `zip` is the five-digit postnummer without its space; categories and lens types are the
schema's.

The tenant: a Swedish optician chain of 13 shops, cities stored by their Swedish names (Göteborg, Malmö, Linköping,
Umeå) that English speakers write Gothenburg, Malmo, Linkoping, Umea; Skåne is "Scania" in English and Västra Götaland
"West Sweden". Uppsala is a city in Uppsala län (the city and the county share a name) and Stockholm a city in
Stockholms län, which also holds Solna (the mall shop GL-03, Mall of Scandinavia). Shops named after a place: Glimt
Uppsala, Glimt Lund, Glimt Borås, Glimt Kiruna, Glimt Södermalm (a district of Stockholm). Sales run from Monday 3 Jun
2024 to Sunday 14 Jun 2026, the day before the bench's reference day. GL-13 Kiruna closed for good after Saturday
28 Feb 2026 (the town centre moved; its last sale is on Friday the 27th), keeps no stock and never opened on a Sunday;
GL-09 Triangeln (Malmö) opened on Monday 1 Sep 2025. Street shops shut on julafton, juldagen, nyårsdagen, långfredag and
midsommarafton; the mall shop trades on nyårsdagen and långfredag. Three sales with most lines discounted: Black Week
(25 Nov-1 Dec 2024, 24-30 Nov 2025), the mellandagsrea (27-30 Dec) and the chain's own "Glimtdagarna" (10-16 Mar 2025,
9-15 Mar 2026). Amounts in kronor with two decimals; Zeiss lenses cost 4 % more from 1 Feb 2026. Local product
families: "Lagom" frames, "Visby" sunglasses (a town with no shop), "Fodral" cases and a "Putsduk" cloth; services
"Synundersökning" (the eye test), "Körkortsintyg" (the driving-licence certificate) and "Linsundersökning"; two
products never sold. Stock as of 14 Jun 2026; patients by age, lens type and county.
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

OUT = Path(__file__).parent / "glimt"
SEED = 25_0606_1523
FIRST_DAY, LAST_DAY = date(2024, 6, 3), date(2026, 6, 14)
MALL = "GL-03"
RED_DAYS = {  # julafton, juldagen, nyårsdagen, långfredag, midsommarafton
    date(2024, 6, 21): "midsommarafton", date(2024, 12, 24): "julafton", date(2024, 12, 25): "juldagen",
    date(2025, 1, 1): "nyårsdagen", date(2025, 4, 18): "långfredag", date(2025, 6, 20): "midsommarafton",
    date(2025, 12, 24): "julafton", date(2025, 12, 25): "juldagen", date(2026, 1, 1): "nyårsdagen",
    date(2026, 4, 3): "långfredag"}
MALL_TRADES_ON = ("nyårsdagen", "långfredag")
PRICE_RISE = date(2026, 2, 1)


class Shop(NamedTuple):
    code: str
    name: str
    city: str
    county: str
    postnummer: str
    weight: float
    opened: date = FIRST_DAY
    closed_after: date = LAST_DAY
    sundays: bool = True


SHOPS = (
    Shop("GL-01", "Glimt Drottninggatan", "Stockholm", "ST", "111 51", 1.5),
    Shop("GL-02", "Glimt Södermalm", "Stockholm", "ST", "118 46", 1.2),
    Shop("GL-03", "Glimt Mall of Scandinavia", "Solna", "ST", "169 79", 1.4),
    Shop("GL-04", "Glimt Uppsala", "Uppsala", "UP", "753 20", 1.0),
    Shop("GL-05", "Glimt Avenyn", "Göteborg", "VG", "411 36", 1.3),
    Shop("GL-06", "Glimt Nordstan", "Göteborg", "VG", "411 05", 1.1),
    Shop("GL-07", "Glimt Borås", "Borås", "VG", "503 30", 0.6),
    Shop("GL-08", "Glimt Lilla Torg", "Malmö", "SK", "211 34", 1.2),
    Shop("GL-09", "Glimt Triangeln", "Malmö", "SK", "211 43", 1.0, opened=date(2025, 9, 1)),
    Shop("GL-10", "Glimt Lund", "Lund", "SK", "222 21", 0.8),
    Shop("GL-11", "Glimt Linköping", "Linköping", "OG", "582 24", 0.8),
    Shop("GL-12", "Glimt Umeå", "Umeå", "VB", "903 26", 0.7),
    Shop("GL-13", "Glimt Kiruna", "Kiruna", "NB", "981 31", 0.5, closed_after=date(2026, 2, 28), sundays=False),
)

# sku; name; category; brand; list price in kronor; appeal (0: listed, never sold)
RANGE = [
    ("GLO-401", "Glimt Lagom Acetat", "frames", "Glimt", 1495, 1.3),
    ("GLO-402", "Glimt Lagom Titan", "frames", "Glimt", 2795, 0.8),
    ("GLO-403", "Lindberg Spirit Titanium", "frames", "Lindberg", 5900, 0.4),
    ("GLO-404", "Björn Borg BB1020", "frames", "Björn Borg", 1695, 1.0),
    ("GLO-405", "Ray-Ban RX5228", "frames", "Ray-Ban", 1890, 0.9),
    ("GLO-406", "Polaroid PLD D440", "frames", "Polaroid", 990, 1.1),
    ("GLO-407", "Glimt Visby Solglasögon", "sunglasses", "Glimt", 895, 1.2),
    ("GLO-408", "Glimt Visby Junior", "sunglasses", "Glimt", 495, 0.6),
    ("GLO-409", "Ray-Ban Wayfarer RB2140", "sunglasses", "Ray-Ban", 1990, 0.8),
    ("GLO-410", "Polaroid PLD 2088/S", "sunglasses", "Polaroid", 790, 1.0),
    ("GLO-411", "Björn Borg Sport Sun", "sunglasses", "Björn Borg", 1190, 0.0),
    ("GLO-412", "Zeiss SmartLife Single Vision 1.5", "lenses", "Zeiss", 1900, 1.0),
    ("GLO-413", "Zeiss SmartLife Progressive", "lenses", "Zeiss", 6900, 0.5),
    ("GLO-414", "Hoya Nulux 1.6", "lenses", "Hoya", 1400, 1.1),
    ("GLO-415", "Hoya MySelf Progressive", "lenses", "Hoya", 5400, 0.4),
    ("GLO-416", "Essilor Eyezen 1.6", "lenses", "Essilor", 1600, 0.9),
    ("GLO-417", "Glimt Basglas 1.5", "lenses", "Glimt", 595, 1.4),
    ("GLO-418", "Acuvue Oasys 1-Day 30p", "contact_lenses", "Acuvue", 425, 1.0),
    ("GLO-419", "Dailies Total1 30p", "contact_lenses", "Alcon", 465, 0.8),
    ("GLO-420", "Biofinity 6p", "contact_lenses", "CooperVision", 395, 0.9),
    ("GLO-421", "Glimt Månadslins 6p", "contact_lenses", "Glimt", 249, 1.2),
    ("GLO-422", "Glimt Fodral", "accessories", "Glimt", 149, 1.2),
    ("GLO-423", "Glimt Putsduk", "accessories", "Glimt", 79, 1.4),
    ("GLO-424", "Glimt Linsvätska 360 ml", "accessories", "Glimt", 129, 0.9),
    ("GLO-425", "Glimt Glasögonkedja", "accessories", "Glimt", 199, 0.0),
    ("GLO-426", "Synundersökning", "services", "Glimt", 495, 1.3),
    ("GLO-427", "Körkortsintyg", "services", "Glimt", 350, 0.6),
    ("GLO-428", "Linsundersökning", "services", "Glimt", 395, 0.5),
]
CATEGORY_WEIGHT = {"frames": 3.0, "sunglasses": 1.8, "lenses": 5.0, "contact_lenses": 2.6, "accessories": 2.0,
                   "services": 2.4}
LIGHT_MONTHS = {4: 1.2, 5: 1.6, 6: 1.9, 7: 2.0, 8: 1.4}  # sunglasses sell with the light
DAY_LIFT = (1.0, 0.9, 0.95, 1.05, 1.25, 1.45, 0.8)  # Monday .. Sunday


def campaign(day: date) -> str | None:
    """The name of the sale running on `day` (None on an ordinary day)."""
    black_weeks = ((date(2024, 11, 25), date(2024, 12, 1)), (date(2025, 11, 24), date(2025, 11, 30)))
    glimt_days = ((date(2025, 3, 10), date(2025, 3, 16)), (date(2026, 3, 9), date(2026, 3, 15)))
    if any(lo <= day <= hi for lo, hi in black_weeks):
        return "black_week"
    if day.month == 12 and 27 <= day.day <= 30:
        return "mellandagsrea"
    if any(lo <= day <= hi for lo, hi in glimt_days):
        return "glimtdagarna"
    return None


# campaign -> (share of lines discounted, rates, more customers)
DISCOUNTS = {"black_week": (0.75, (0.2, 0.3, 0.4), 1.7), "mellandagsrea": (0.65, (0.2, 0.3), 1.5),
             "glimtdagarna": (0.6, (0.15, 0.25), 1.4), None: (0.06, (0.1, 0.15), 1.0)}


def trades(shop: Shop, day: date) -> bool:
    if day < shop.opened or day > shop.closed_after:
        return False
    if day.isoweekday() == 7 and not shop.sundays:
        return False
    red = RED_DAYS.get(day)
    return red is None or (shop.code == MALL and red in MALL_TRADES_ON)


def kronor(row: tuple, day: date) -> int:
    base = row[4]
    return round(base * 1.04) if row[3] == "Zeiss" and row[2] == "lenses" and day >= PRICE_RISE else base


def sale_lines(rng: random.Random) -> list[tuple]:
    out: list[tuple] = []
    receipt = 250_000
    day = FIRST_DAY
    while day <= LAST_DAY:
        sun = LIGHT_MONTHS.get(day.month, 0.5)
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
                    qty = rng.choice((1, 2, 2, 4)) if many else 1
                    each = kronor(row, day)
                    off = round(qty * each * rng.choice(rates)) if rng.random() < share_cut else 0
                    out.append((f"K{receipt}", day.isoformat(), shop.code, row[0], qty, f"{each}.00", f"{off}.00"))
        day += timedelta(days=1)
    return out


def shelves(rng: random.Random) -> list[tuple]:
    out: list[tuple] = []
    for shop in (s for s in SHOPS if s.closed_after == LAST_DAY):
        for row in RANGE:
            if row[2] == "services" or rng.random() < 0.1:
                continue
            reorder = rng.randint(2, 9)
            have = max(0, round(reorder * rng.uniform(-0.5, 3.0)))
            out.append((shop.code, row[0], have, reorder, LAST_DAY.isoformat()))
    return out


GIVEN = ("Elsa", "Oskar", "Maja", "Lars", "Ingrid", "Erik", "Astrid", "Nils", "Karin", "Johan", "Linnea", "Sven")
FAMILY = ("Andersson", "Johansson", "Karlsson", "Nilsson", "Eriksson", "Larsson", "Olsson", "Persson", "Lindqvist")
GATOR = ("Storgatan", "Kyrkogatan", "Skolgatan", "Parkvägen", "Strandvägen", "Björkvägen")


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
        sph = [rng.choice((-5.5, -3.25, -2.0, -1.25, -0.5, 0.0, 1.0, 2.25)) for _eye in "rl"]
        cyl = [rng.choice((0.0, 0.0, 0.0, -0.5, -1.25, -2.0)) for _eye in "rl"]
        out.append((f"GLP-{n:04d}", rng.choice(GIVEN), rng.choice(FAMILY), born.isoformat(),
                    f"kund{n}@glimt.example", f"+46 70 {rng.randint(100, 999)} {n:04d}",
                    f"{rng.choice(GATOR)} {rng.randint(1, 60)}", shop.city, shop.county,
                    shop.postnummer.replace(" ", ""), exam.isoformat(),
                    *(f"{v:.2f}" for v in sph), *(f"{v:.2f}" for v in cyl), lens))
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
