"""Generate the CSV files of the answer bench's Swiss tenant "edelweiss" (Edelweiss Optik; held-out set heldout14).

python bench/data/answers_sql/make_csv_edelweiss.py  -> bench/data/answers_sql/edelweiss/<table>.csv (5 tables)

Contract: deterministic (one seeded `random.Random` drawn in a fixed order, nothing else random), so the committed
files are rewritten byte for byte; every row passes the project's CSV importer (2-letter state codes, 5-digit zips:
the Swiss 4-digit postcode with a leading 0, the schema's categories and lens types).

The tenant: a Swiss chain of 15 stores in eleven cantons stored by their ISO 3166-2 codes (ZH, GE, VD, BE, BS, LU,
TI, SG, NE, FR, GR; NE is also Nebraska's code, FR France's and GR Greece's), store names in German, French and
Italian; cities named like their canton (Zürich with two stores, Genève, Bern, Luzern, St. Gallen, Fribourg, Basel
for Basel-Stadt), a city written with a slash (Biel/Bienne) and with hyphens (Yverdon-les-Bains, La Chaux-de-Fonds).
Sales from Tuesday 21 May 2024 to Sunday 14 Jun 2026 (the day before the bench's reference day 2026-06-15). Every store
is shut on Sundays except the station shop EW-02 (Zürich HB), which also trades on public holidays but for Christmas
Day and New Year's Day; the others are shut on the national and common holidays (1-2 Jan, Good Friday except Lugano,
Easter Monday, Ascension, Whit Monday, 1 Aug, 25-26 Dec). EW-06 (Yverdon-les-Bains) closed for good after Saturday
29 Nov 2025 (no stock rows); EW-14 (Fribourg) opened on Monday 1 Sep 2025; EW-10 (Luzern) was shut for refurbishment
from 7 to 27 Jul 2025. Northern-hemisphere sunglasses season (May to August), a strong December, the January sale
(most lines discounted from 3 to 31 January); Zeiss lenses sold 4 % above list from 1 Mar 2026. Amounts in Swiss
francs (CHF), prices and discounts on 5-centime steps. Product names of everyday words ("Night Train", "First
Snow", "Lunch Break"), a season ("Late Summer"), a German weekday ("Sonntag"), an umlaut brand ("Götti"), a lens maker
with an ampersand and an umlaut ("Knecht & Müller"), two products never sold; stock as of 14 Jun 2026; patients by
age, lens type and canton. Not the demo generator and not another make_csv*.py: its own seed, names and shape.
"""

from __future__ import annotations

import csv
import random
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

from dateutil.easter import easter

OUT = Path(__file__).parent / "edelweiss"
SEED = 14_2105_2026
FIRST_DAY, LAST_DAY = date(2024, 5, 21), date(2026, 6, 14)
ZEISS_RISE = date(2026, 3, 1)
STATION = "EW-02"


@dataclass(frozen=True)
class Branch:
    code: str
    name: str
    city: str
    canton: str
    postcode: str
    trade: float
    opened: date = FIRST_DAY
    closed_after: date = LAST_DAY
    works: tuple[date, date] | None = None  # shut for refurbishment, both days included


BRANCHES = (
    Branch("EW-01", "Edelweiss Optik Bahnhofstrasse", "Zürich", "ZH", "8001", 1.6),
    Branch("EW-02", "Edelweiss Optik Zürich HB", "Zürich", "ZH", "8001", 1.2),
    Branch("EW-03", "Edelweiss Optik Winterthur", "Winterthur", "ZH", "8400", 0.8),
    Branch("EW-04", "Edelweiss Optique Rive", "Genève", "GE", "1204", 1.4),
    Branch("EW-05", "Edelweiss Optique Flon", "Lausanne", "VD", "1003", 1.1),
    Branch("EW-06", "Edelweiss Optique Yverdon", "Yverdon-les-Bains", "VD", "1400", 0.5,
           closed_after=date(2025, 11, 29)),
    Branch("EW-07", "Edelweiss Optik Marktgasse", "Bern", "BE", "3011", 1.1),
    Branch("EW-08", "Edelweiss Optik Biel-Bienne", "Biel/Bienne", "BE", "2502", 0.7),
    Branch("EW-09", "Edelweiss Optik Freie Strasse", "Basel", "BS", "4001", 1.2),
    Branch("EW-10", "Edelweiss Optik Kapellplatz", "Luzern", "LU", "6004", 0.9,
           works=(date(2025, 7, 7), date(2025, 7, 27))),
    Branch("EW-11", "Edelweiss Ottica Via Nassa", "Lugano", "TI", "6900", 0.8),
    Branch("EW-12", "Edelweiss Optik Marktplatz", "St. Gallen", "SG", "9000", 0.8),
    Branch("EW-13", "Edelweiss Optique Léopold-Robert", "La Chaux-de-Fonds", "NE", "2300", 0.5),
    Branch("EW-14", "Edelweiss Optique Pérolles", "Fribourg", "FR", "1700", 0.7, opened=date(2025, 9, 1)),
    Branch("EW-15", "Edelweiss Optik Chur", "Chur", "GR", "7000", 0.6),
)


@dataclass(frozen=True)
class Article:
    name: str
    category: str
    brand: str
    list_price: float
    appeal: float  # 0: listed but never sold


# name | category | brand | list price (CHF) | appeal (relative pull; 0: listed but never sold)
CATALOGUE = """
    Edelweiss Night Train          | frames         | Edelweiss       |  420.00 | 1.1
    Edelweiss First Snow           | frames         | Edelweiss       |  380.00 | 1.0
    Edelweiss Sonntag              | frames         | Edelweiss       |  350.00 | 0.8
    Edelweiss Lunch Break          | frames         | Edelweiss       |  320.00 | 1.2
    Götti Perry                    | frames         | Götti           |  540.00 | 0.7
    Götti Bruno                    | frames         | Götti           |  495.00 | 0.5
    Silhouette Momentum            | frames         | Silhouette      |  590.00 | 0.6
    Ray-Ban Clubmaster Optics      | frames         | Ray-Ban         |  260.00 | 0.9
    Edelweiss Late Summer          | sunglasses     | Edelweiss       |  290.00 | 1.0
    Edelweiss Alpenglühen          | sunglasses     | Edelweiss       |  260.00 | 0.8
    Ray-Ban Wayfarer               | sunglasses     | Ray-Ban         |  210.00 | 1.3
    Oakley Holbrook                | sunglasses     | Oakley          |  190.00 | 0.9
    Carrera Grand Prix             | sunglasses     | Carrera         |  230.00 | 0.7
    Persol 649                     | sunglasses     | Persol          |  310.00 | 0.0
    Zeiss DriveSafe 1.6            | lenses         | Zeiss           |  420.00 | 0.9
    Zeiss Progressive Individual   | lenses         | Zeiss           |  980.00 | 0.6
    Hoya MiyoSmart                 | lenses         | Hoya            |  390.00 | 0.6
    Essilor Varilux Comfort        | lenses         | Essilor         |  760.00 | 0.8
    Knecht & Müller Einstärken 1.5 | lenses         | Knecht & Müller |  180.00 | 1.3
    Rodenstock Impression 1.6      | lenses         | Rodenstock      |  540.00 | 0.5
    Acuvue Oasys 1-Day 30          | contact_lenses | Acuvue          |   62.00 | 1.1
    Biofinity Monthly 6            | contact_lenses | CooperVision    |   58.00 | 0.9
    Dailies Total1 30              | contact_lenses | Alcon           |   72.00 | 0.8
    Air Optix Night & Day 6        | contact_lenses | Alcon           |   89.00 | 0.5
    Edelweiss Microfibre Cloth     | accessories    | Edelweiss       |    9.90 | 1.3
    Edelweiss Hard Case            | accessories    | Edelweiss       |   29.00 | 0.9
    Edelweiss Neck Cord            | accessories    | Edelweiss       |   14.90 | 0.0
    Opti-Free Puremoist 300 ml     | accessories    | Alcon           |   19.90 | 0.8
    Eye Test                       | services       | Edelweiss       |   60.00 | 1.0
    Contact Lens Fitting           | services       | Edelweiss       |   90.00 | 0.5
    Frame Adjustment               | services       | Edelweiss       |   15.00 | 0.6
"""
ARTICLES = tuple(Article(name, category, brand, float(price), float(appeal)) for name, category, brand, price, appeal
                 in (tuple(cell.strip() for cell in line.split("|")) for line in CATALOGUE.strip().splitlines()))
CATEGORY_WEIGHT = {"frames": 4.2, "sunglasses": 2.6, "lenses": 5.0, "contact_lenses": 3.2, "accessories": 2.2,
                   "services": 2.4}
SUNNY = {5: 1.6, 6: 2.2, 7: 2.6, 8: 2.0, 4: 1.2, 9: 1.0}  # sunglasses by month (else 0.5)
MONTH_WEIGHT = {12: 1.4, 1: 1.15, 7: 0.85, 8: 0.9, 2: 0.9}  # Christmas, the January sale, summer holidays
WEEKDAY_WEIGHT = (0.85, 1.0, 1.0, 1.15, 1.2, 1.6, 0.9)  # Monday .. Sunday (Sunday: the station shop only)


def holidays(year: int) -> dict[date, str]:
    """Shop-closing holidays kept in most cantons (name by date)."""
    sunday = easter(year)
    return {date(year, 1, 1): "New Year's Day", date(year, 1, 2): "Berchtoldstag",
            sunday - timedelta(days=2): "Good Friday", sunday + timedelta(days=1): "Easter Monday",
            sunday + timedelta(days=39): "Ascension", sunday + timedelta(days=50): "Whit Monday",
            date(year, 8, 1): "National Day", date(year, 12, 25): "Christmas Day",
            date(year, 12, 26): "St Stephen's Day"}


def trades(branch: Branch, day: date) -> bool:
    if day < branch.opened or day > branch.closed_after:
        return False
    if branch.works and branch.works[0] <= day <= branch.works[1]:
        return False
    if branch.code == STATION:
        return (day.month, day.day) not in ((12, 25), (1, 1))
    holiday = holidays(day.year).get(day)
    if holiday and not (holiday == "Good Friday" and branch.canton == "TI"):
        return False
    return day.isoweekday() != 7


def price_on(article: Article, day: date) -> float:
    if article.brand == "Zeiss" and day >= ZEISS_RISE:
        return round(article.list_price * 1.04 * 20) / 20
    return article.list_price


def rappen(value: float) -> str:
    """An amount in francs on a 5-centime step, two decimals."""
    return f"{round(value * 20) / 20:.2f}"


def sale_lines(rng: random.Random, sku_of: dict[str, str]) -> list[list[str]]:
    lines: list[list[str]] = []
    number = 140_000
    for offset in range((LAST_DAY - FIRST_DAY).days + 1):
        day = FIRST_DAY + timedelta(days=offset)
        january_sale = day.month == 1 and day.day >= 3
        weights = [CATEGORY_WEIGHT[a.category] * a.appeal * (SUNNY.get(day.month, 0.5)
                                                             if a.category == "sunglasses" else 1.0)
                   for a in ARTICLES]
        for branch in BRANCHES:
            if not trades(branch, day):
                continue
            expected = 0.55 * branch.trade * MONTH_WEIGHT.get(day.month, 1.0) * WEEKDAY_WEIGHT[day.weekday()]
            orders = sum(rng.random() < expected / 5 for _ in range(5)) + int(rng.random() < expected / 8)
            for _ in range(orders):
                number += 1
                picked = rng.choices(ARTICLES, weights, k=rng.choice((1, 1, 1, 2, 2, 3)))
                for article in dict.fromkeys(picked):
                    several = article.category in ("contact_lenses", "accessories")
                    quantity = rng.choice((1, 1, 2, 4)) if several else 1
                    price = price_on(article, day)
                    discounted = rng.random() < (0.65 if january_sale else 0.12)
                    share = rng.choice((0.1, 0.15, 0.2, 0.3) if january_sale else (0.05, 0.1))
                    off = quantity * price * share if discounted else 0.0
                    lines.append([f"EW{number}", day.isoformat(), branch.code, sku_of[article.name], str(quantity),
                                  rappen(price), rappen(off)])
    return lines


# (chance up to, on-hand count given the reorder point): empty, at the point, below it, comfortably above it
STOCK_LEVELS: tuple[tuple[float, Callable[[random.Random, int], int]], ...] = (
    (0.07, lambda rng, point: 0),
    (0.16, lambda rng, point: point),
    (0.33, lambda rng, point: rng.randint(1, point - 1)),
    (1.01, lambda rng, point: rng.randint(point + 1, 3 * point + 4)),
)


def stock_lines(rng: random.Random, sku_of: dict[str, str]) -> list[list[str]]:
    lines: list[list[str]] = []
    for branch in BRANCHES:
        if branch.closed_after < LAST_DAY:
            continue  # closed: nothing left on its shelves
        for article in ARTICLES:
            if article.category == "services" or rng.random() < 0.1:
                continue
            reorder = rng.randint(2, 8)
            draw = rng.random()
            on_hand = next(level(rng, reorder) for upper, level in STOCK_LEVELS if draw < upper)
            lines.append([branch.code, sku_of[article.name], str(on_hand), str(reorder), LAST_DAY.isoformat()])
    return lines


# the dioptre values drawn for sphere right / left and cylinder right / left, in that order
PRESCRIPTION_STEPS = ((-5.0, -2.75, -1.5, -0.5, 0.0, 1.0, 2.25), (-4.5, -2.5, -1.0, -0.25, 0.5, 1.75, 3.0),
                      (0.0, -0.25, -0.75, -1.5), (0.0, -0.5, -1.0, -1.75))


def patient_lines(rng: random.Random) -> list[list[str]]:
    first_names = ("Lea", "Noah", "Mia", "Luca", "Chloé", "Matteo", "Elena", "Jonas", "Anouk", "Giulia")
    surnames = ("Müller", "Meier", "Rochat", "Favre", "Bernasconi", "Keller", "Huber", "Rossi", "Gerber")
    streets = ("Bahnhofstrasse", "Rue du Marché", "Via Cantonale", "Dorfstrasse")
    lines: list[list[str]] = []
    for n in range(1, 521):
        branch = rng.choices(BRANCHES, [b.trade for b in BRANCHES])[0]
        age = max(4, min(96, round(rng.triangular(5, 95, 50))))
        exam = branch.opened + timedelta(days=rng.randrange((branch.closed_after - branch.opened).days + 1))
        born = date(exam.year - age, rng.randint(1, 12), rng.randint(1, 28))
        if age >= 45:
            kinds = ("progressive", "progressive", "progressive", "reading", "bifocal", "occupational")
        else:
            kinds = ("single_vision", "single_vision", "contact_lenses", "contact_lenses", "occupational")
        person = [f"edw-{n:05d}", rng.choice(first_names), rng.choice(surnames), born.isoformat(),
                  f"kunde{n}@post.example", f"+41 79 {n:03d} {rng.randint(10, 99)} {rng.randint(10, 99)}",
                  f"{rng.choice(streets)} {rng.randint(1, 120)}"]
        seen_at = [branch.city, branch.canton, f"0{branch.postcode}", exam.isoformat()]
        prescription = [f"{rng.choice(steps):.2f}" for steps in PRESCRIPTION_STEPS]
        lines.append(person + seen_at + prescription + [rng.choice(kinds)])
    return lines


def save(table: str, header: list[str], lines: list[list[str]]) -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    with (OUT / f"{table}.csv").open("w", newline="", encoding="utf-8") as handle:
        out = csv.writer(handle)
        out.writerow(header)
        out.writerows(lines)


COLUMNS = {
    "stores": ["store_code", "name", "city", "state"],
    "products": ["sku", "name", "category", "brand", "unit_price"],
    "sales": ["order_id", "sold_at", "store_code", "sku", "quantity", "unit_price", "discount"],
    "stock": ["store_code", "sku", "on_hand", "reorder_point", "as_of"],
    "patients": ["patient_id", "first_name", "last_name", "date_of_birth", "email", "phone", "street", "city", "state",
                 "zip", "last_exam_date", "sphere_od", "sphere_os", "cylinder_od", "cylinder_os", "lens_type"],
}


def main() -> None:
    rng = random.Random(SEED)
    sku_of = {a.name: f"EDW-{n:03d}" for n, a in enumerate(ARTICLES, start=1)}
    tables = {"stores": [[b.code, b.name, b.city, b.canton] for b in BRANCHES],
              "products": [[sku_of[a.name], a.name, a.category, a.brand, f"{a.list_price:.2f}"] for a in ARTICLES]}
    tables["sales"] = sale_lines(rng, sku_of)  # the draws run in this order: sales, stock, patients
    tables["stock"] = stock_lines(rng, sku_of)
    tables["patients"] = patient_lines(rng)
    for table, lines in tables.items():
        save(table, COLUMNS[table], lines)


if __name__ == "__main__":
    main()
