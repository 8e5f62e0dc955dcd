"""Generate the CSV files of the answer bench's Italian tenant "lucciola" (Ottica Lucciola; held-out set heldout15).

python bench/data/answers_sql/make_csv_lucciola.py  -> bench/data/answers_sql/lucciola/<table>.csv (5 tables)

Contract: deterministic (one seeded `random.Random`, drawn in a fixed order: sales, then stock, then patients), so
the committed files are rewritten byte for byte; every row passes the project's CSV importer (2-letter state codes,
5-digit zips, the schema's categories and lens types).

The tenant: an Italian chain of 16 stores in eleven provinces / metropolitan cities stored by their Italian plate
codes (= ISO 3166-2:IT): MI, BG, CO, TO, VE, RE, BO, FC, RM, NA, BL; MI and CO are also US state codes (CO is the
peak tenant's Colorado), FC's name is hyphenated (Forlì-Cesena). Cities with an apostrophe ("Reggio nell'Emilia",
"Cortina d'Ampezzo"), accents ("Forlì", "Cantù"), a three-word name ("Sesto San Giovanni"); two stores in Milano,
Venezia and Roma; Como is both a city and a province with a second city (Cantù). A store named "Duomo" (Milano)
while "Duomo" is also a product family (two frames and a sunglasses model).
Sales from Monday 1 Jul 2024 to Sunday 14 Jun 2026 (the day before the bench's reference day 2026-06-15), amounts in
euros with cents. Trading calendar: shut on Sundays except the Rialto (Venezia) and Cortina stores, and every store
opens on the December Sundays before Christmas; shut on the national holidays (1 and 6 Jan, Easter Monday, 25 Apr,
1 May, 2 Jun, 15 Aug, 1 Nov, 8 Dec, 25-26 Dec) and on the city's patron day (Milano 7 Dec, Roma 29 Jun, Bologna
4 Oct, Torino 24 Jun, Napoli 19 Sep); the city stores shut for the summer break 10-24 August (not Rialto, Como Lago
or Cortina); Monday trade is thin (closed Monday mornings). LC-12 (Forlì) closed for good after Saturday 31 Jan
2026 (no stock rows); LC-14 (Roma Prati) opened on Monday 6 Oct 2025; LC-16 (Cortina) was shut for refurbishment
from 3 to 28 Nov 2025. Winter sales (saldi) from the first Saturday of January to 15 February and summer sales from
the first Saturday of July to 31 August discount frames and sunglasses often; Essilor lenses sold 5 % above list
from 1 Feb 2026. Two products never sold; stock as of 14 Jun 2026; patients by age, lens type and province.
Not the demo generator and not another make_csv*.py: its own seed, names, calendar and shape.
"""

from __future__ import annotations

import csv
import io
import random
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

from dateutil.easter import easter

OUT = Path(__file__).parent / "lucciola"
SEED = 15_0107_2024
FIRST_DAY, LAST_DAY = date(2024, 7, 1), date(2026, 6, 14)
ESSILOR_RISE = date(2026, 2, 1)
SUNDAY_SHOPS = ("LC-08", "LC-16")  # Rialto (tourists) and Cortina (resort) trade on Sundays
NO_SUMMER_BREAK = ("LC-05", "LC-08", "LC-16")
PATRON_DAYS = {"Milano": (12, 7), "Roma": (6, 29), "Bologna": (10, 4), "Torino": (6, 24), "Napoli": (9, 19)}


@dataclass(frozen=True)
class Shop:
    code: str
    name: str
    city: str
    province: str
    cap: str  # the 5-digit Italian postcode
    pull: float
    first: date = FIRST_DAY
    last: date = LAST_DAY
    shut: tuple[date, date] | None = None  # refurbishment, both days included


# code ; store name ; city ; province code ; postcode ; pull (relative trade)
STORE_TABLE = """
LC-01 ; Ottica Lucciola Duomo ; Milano ; MI ; 20121 ; 1.6
LC-02 ; Ottica Lucciola Brera ; Milano ; MI ; 20121 ; 1.2
LC-03 ; Ottica Lucciola Sesto ; Sesto San Giovanni ; MI ; 20099 ; 0.7
LC-04 ; Ottica Lucciola Città Alta ; Bergamo ; BG ; 24129 ; 0.9
LC-05 ; Ottica Lucciola Como Lago ; Como ; CO ; 22100 ; 0.8
LC-06 ; Ottica Lucciola Cantù ; Cantù ; CO ; 22063 ; 0.5
LC-07 ; Ottica Lucciola Porta Nuova ; Torino ; TO ; 10121 ; 1.1
LC-08 ; Ottica Lucciola Rialto ; Venezia ; VE ; 30125 ; 1.0
LC-09 ; Ottica Lucciola Mestre ; Venezia ; VE ; 30171 ; 0.7
LC-10 ; Ottica Lucciola Reggio Emilia ; Reggio nell'Emilia ; RE ; 42121 ; 0.6
LC-11 ; Ottica Lucciola Santo Stefano ; Bologna ; BO ; 40125 ; 1.0
LC-12 ; Ottica Lucciola Forlì ; Forlì ; FC ; 47121 ; 0.5
LC-13 ; Ottica Lucciola Trastevere ; Roma ; RM ; 00153 ; 1.3
LC-14 ; Ottica Lucciola Prati ; Roma ; RM ; 00192 ; 1.0
LC-15 ; Ottica Lucciola Chiaia ; Napoli ; NA ; 80121 ; 1.1
LC-16 ; Ottica Lucciola Cortina ; Cortina d'Ampezzo ; BL ; 32043 ; 0.5
"""
# the stores whose trading days differ: closed for good, opened late, shut for refurbishment
CALENDAR_CHANGES = {"LC-12": {"last": date(2026, 1, 31)}, "LC-14": {"first": date(2025, 10, 6)},
                    "LC-16": {"shut": (date(2025, 11, 3), date(2025, 11, 28))}}
SHOPS = tuple(Shop(code, name, city, province, cap, float(pull), **CALENDAR_CHANGES.get(code, {}))
              for code, name, city, province, cap, pull
              in (tuple(cell.strip() for cell in row.split(";")) for row in STORE_TABLE.strip().splitlines()))

# name ; category ; brand ; list price in euros ; pull (0: listed, never sold)
RANGE = """
Lucciola Duomo Classic ; frames ; Lucciola ; 189.00 ; 1.1
Lucciola Duomo Slim ; frames ; Lucciola ; 209.00 ; 0.8
Lucciola Domenica ; frames ; Lucciola ; 159.00 ; 1.0
Lucciola Aperitivo ; frames ; Lucciola ; 139.00 ; 1.2
Vista d'Arte Giotto ; frames ; Vista d'Arte ; 329.00 ; 0.6
Vista d'Arte Canaletto ; frames ; Vista d'Arte ; 349.00 ; 0.0
Persol 3092V ; frames ; Persol ; 245.00 ; 0.7
Ray-Ban Clubmaster RX5154 ; frames ; Ray-Ban ; 169.00 ; 0.9
Lucciola Duomo Sole ; sunglasses ; Lucciola ; 129.00 ; 0.8
Lucciola Ferragosto ; sunglasses ; Lucciola ; 119.00 ; 1.0
Lucciola Night Out ; sunglasses ; Lucciola ; 99.00 ; 0.7
Ray-Ban Aviator Classic ; sunglasses ; Ray-Ban ; 179.00 ; 1.3
Persol 714 Folding ; sunglasses ; Persol ; 330.00 ; 0.6
Oakley Frogskins ; sunglasses ; Oakley ; 139.00 ; 0.9
Carrera Champion ; sunglasses ; Carrera ; 149.00 ; 0.8
Essilor Varilux X Series ; lenses ; Essilor ; 690.00 ; 0.8
Essilor Eyezen 1.6 ; lenses ; Essilor ; 210.00 ; 1.0
Zeiss SmartLife Progressive ; lenses ; Zeiss ; 780.00 ; 0.6
Zeiss Single Vision 1.5 ; lenses ; Zeiss ; 120.00 ; 1.2
Hoya MiyoSmart ; lenses ; Hoya ; 295.00 ; 0.5
Vedo Bene Monofocale 1.5 ; lenses ; Vedo Bene ; 65.00 ; 1.3
Acuvue Oasys 1-Day 30 ; contact_lenses ; Acuvue ; 34.00 ; 1.1
Biofinity Monthly 6 ; contact_lenses ; CooperVision ; 39.00 ; 0.9
Dailies Total1 30 ; contact_lenses ; Alcon ; 42.00 ; 0.8
Lucciola Monthly Toric 3 ; contact_lenses ; Lucciola ; 29.00 ; 0.5
Lucciola Microfibre Cloth ; accessories ; Lucciola ; 5.00 ; 1.3
Lucciola Hard Case ; accessories ; Lucciola ; 15.00 ; 0.9
Lucciola Chain Cord ; accessories ; Lucciola ; 12.00 ; 0.0
Renu MultiPlus 360 ml ; accessories ; Bausch + Lomb ; 12.90 ; 0.8
Eye Test ; services ; Lucciola ; 40.00 ; 1.0
Contact Lens Fitting ; services ; Lucciola ; 60.00 ; 0.5
Frame Adjustment ; services ; Lucciola ; 10.00 ; 0.6
"""
ITEMS = [dict(zip(("name", "category", "brand", "price", "pull"), (c.strip() for c in row.split(";")), strict=True))
         for row in RANGE.strip().splitlines()]
for _item in ITEMS:
    _item["price"], _item["pull"] = float(_item["price"]), float(_item["pull"])
SKU = {item["name"]: f"LUC-{100 + n}" for n, item in enumerate(ITEMS, start=1)}

CATEGORY_PULL = {"frames": 4.0, "sunglasses": 2.8, "lenses": 4.6, "contact_lenses": 3.0, "accessories": 2.0,
                 "services": 2.5}
SUN_BY_MONTH = (0.4, 0.4, 0.7, 1.1, 1.6, 2.3, 2.7, 2.4, 1.2, 0.7, 0.4, 0.6)  # sunglasses pull, Jan .. Dec
MONTH_PULL = (1.1, 0.9, 1.0, 1.0, 1.05, 1.0, 1.0, 0.75, 1.0, 1.05, 0.95, 1.35)  # whole chain, Jan .. Dec
DAY_PULL = (0.6, 1.0, 1.05, 1.1, 1.2, 1.7, 1.4)  # Monday (closed in the morning) .. Sunday (busy where open)


def first_saturday(year: int, month: int) -> date:
    day = date(year, month, 1)
    return day + timedelta(days=(5 - day.weekday()) % 7)


def national_holidays(year: int) -> set[date]:
    fixed = ((1, 1), (1, 6), (4, 25), (5, 1), (6, 2), (8, 15), (11, 1), (12, 8), (12, 25), (12, 26))
    return {date(year, m, d) for m, d in fixed} | {easter(year) + timedelta(days=1)}


def is_open(shop: Shop, day: date) -> bool:
    """Whether a store traded on a day (the calendar in the module docstring)."""
    if not shop.first <= day <= shop.last:
        return False
    if shop.shut and shop.shut[0] <= day <= shop.shut[1]:
        return False
    if day in national_holidays(day.year) or PATRON_DAYS.get(shop.city) == (day.month, day.day):
        return False
    if day.month == 8 and 10 <= day.day <= 24 and shop.code not in NO_SUMMER_BREAK:
        return False
    if day.isoweekday() == 7:
        return shop.code in SUNDAY_SHOPS or (day.month == 12 and day.day <= 24)
    return True


def in_saldi(day: date) -> bool:
    winter = first_saturday(day.year, 1) <= day <= date(day.year, 2, 15)
    summer = first_saturday(day.year, 7) <= day <= date(day.year, 8, 31)
    return winter or summer


def cents(amount: float) -> str:
    return f"{round(amount + 1e-9, 2):.2f}"


def sales_rows(rng: random.Random) -> list[list[str]]:
    rows: list[list[str]] = []
    receipt = 50_000
    day = FIRST_DAY
    while day <= LAST_DAY:
        pulls = [CATEGORY_PULL[i["category"]] * i["pull"] * (SUN_BY_MONTH[day.month - 1]
                                                             if i["category"] == "sunglasses" else 1.0)
                 for i in ITEMS]
        saldi = in_saldi(day)
        for shop in SHOPS:
            if not is_open(shop, day):
                continue
            mean = 0.5 * shop.pull * MONTH_PULL[day.month - 1] * DAY_PULL[day.weekday()]
            count = sum(rng.random() < mean / 4 for _ in range(4)) + int(rng.random() < mean / 10)
            for _ in range(count):
                receipt += 1
                basket = rng.choices(ITEMS, pulls, k=rng.choice((1, 1, 1, 1, 2, 2, 3)))
                for item in {i["name"]: i for i in basket}.values():
                    qty = rng.choice((1, 1, 2, 3)) if item["category"] in ("contact_lenses", "accessories") else 1
                    price = item["price"] * (1.05 if item["brand"] == "Essilor" and day >= ESSILOR_RISE else 1.0)
                    price = round(price, 2)
                    fashion = item["category"] in ("frames", "sunglasses")
                    chance = 0.55 if saldi and fashion else 0.08
                    rate = rng.choice((0.2, 0.3, 0.4) if saldi and fashion else (0.05, 0.1, 0.15))
                    off = qty * price * rate if rng.random() < chance else 0.0
                    rows.append([f"LU-{receipt}", day.isoformat(), shop.code, SKU[item["name"]], str(qty),
                                 cents(price), cents(off)])
        day += timedelta(days=1)
    return rows


# how a stock line's count relates to its reorder point: (draw below, count given the rng and the point)
STOCK_KINDS: tuple[tuple[float, Callable[[random.Random, int], int]], ...] = (
    (0.06, lambda rng, point: 0),  # sold out
    (0.15, lambda rng, point: point),  # exactly at the point
    (0.33, lambda rng, point: rng.randint(1, point - 1)),  # under it
    (1.00, lambda rng, point: rng.randint(point + 1, 3 * point + 5)),  # comfortably above
)


def stock_rows(rng: random.Random) -> list[list[str]]:
    """One snapshot line per open store and stocked product: empty 6 %, at the point 9 %, below 18 %, above."""
    open_shops = [shop for shop in SHOPS if shop.last >= LAST_DAY]
    lines = []
    for shop, item in ((shop, item) for shop in open_shops for item in ITEMS if item["category"] != "services"):
        if rng.random() < 0.12:
            continue  # not carried here
        point, draw = rng.randint(2, 9), rng.random()
        have = next(count for bound, count in STOCK_KINDS if draw < bound)(rng, point)
        lines.append([shop.code, SKU[item["name"]], str(have), str(point), LAST_DAY.isoformat()])
    return lines


LENSES_FROM_45 = ("progressive", "progressive", "reading", "reading", "bifocal", "occupational")
LENSES_UNDER_45 = ("single_vision", "single_vision", "single_vision", "contact_lenses", "occupational")
GIVEN = ("Giulia", "Marco", "Francesca", "Luca", "Chiara", "Alessandro", "Sofia", "Matteo", "Elena", "Davide")
FAMILY = ("Rossi", "Russo", "Ferrari", "Esposito", "Bianchi", "Romano", "Colombo", "Ricci", "Marino", "D'Angelo")
ROADS = ("Via Roma", "Corso Garibaldi", "Via Dante", "Piazza Mazzini", "Viale Europa")


def patient(rng: random.Random, n: int) -> list[str]:
    """The n-th patient: seen at a store (by its pull) on a day it was open for business, aged 5 to 94."""
    shop = rng.choices(SHOPS, [s.pull for s in SHOPS])[0]
    age = max(5, min(94, round(rng.triangular(6, 94, 52))))
    exam = shop.first + timedelta(days=rng.randrange((shop.last - shop.first).days + 1))
    born = date(exam.year - age, rng.randint(1, 12), rng.randint(1, 28))
    lens = rng.choice(LENSES_FROM_45 if age >= 45 else LENSES_UNDER_45)
    eyes = [f"{rng.choice(steps):.2f}" for steps in ((-6.0, -3.25, -1.75, -0.75, 0.0, 0.75, 1.5, 2.5),) * 2
            + ((0.0, -0.25, -0.5, -1.25, -2.0),) * 2]
    person = [f"luc-{n:05d}", rng.choice(GIVEN), rng.choice(FAMILY), born.isoformat(), f"cliente{n}@posta.example",
              f"+39 3{rng.randint(10, 99)} {n:04d}{rng.randint(100, 999)}",
              f"{rng.choice(ROADS)} {rng.randint(1, 150)}"]
    return [*person, shop.city, shop.province, shop.cap, exam.isoformat(), *eyes, lens]


def patient_rows(rng: random.Random) -> list[list[str]]:
    return [patient(rng, n) for n in range(1, 561)]


def main() -> None:
    """Write the five files; their headers are the importer's column lists (db.importer.SPECS), in its order."""
    from db.importer import SPECS

    rng = random.Random(SEED)
    tables = {"stores": [[s.code, s.name, s.city, s.province] for s in SHOPS],
              "products": [[SKU[i["name"]], i["name"], i["category"], i["brand"], f"{i['price']:.2f}"]
                           for i in ITEMS]}
    for table, make in (("sales", sales_rows), ("stock", stock_rows), ("patients", patient_rows)):
        tables[table] = make(rng)  # one generator, drawn in this order
    OUT.mkdir(parents=True, exist_ok=True)
    for table, rows in tables.items():
        text = io.StringIO(newline="")
        csv.writer(text).writerows([[c.name for c in SPECS[table].columns], *rows])
        (OUT / f"{table}.csv").write_text(text.getvalue(), encoding="utf-8", newline="")


if __name__ == "__main__":
    main()
