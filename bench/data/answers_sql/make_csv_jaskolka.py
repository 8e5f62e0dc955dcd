"""Write the CSV files of the answer bench's Polish tenant "jaskolka" (Optyka Jaskółka; held-out set heldout16).

python bench/data/answers_sql/make_csv_jaskolka.py  -> bench/data/answers_sql/jaskolka/<table>.csv (5 tables)

Contract: the output depends on nothing but this file (one `random.Random(SEED)`, drawn in a fixed order: sales day
by day and store by store, then stock, then patients), so running it again rewrites the committed files byte for
byte; every row passes the project's CSV importer (two-letter region codes, five-digit postcodes: the Polish
"00-497" without its dash, the schema's categories and lens types).

The tenant: a Polish chain of 16 stores in ten voivodeships stored by their ISO 3166-2 codes (MZ, MA, SL, DS, PM, WP,
LD, ZP, LU, PK; MA is also Massachusetts', PM and LU other countries' codes), cities with Polish letters (Kraków,
Łódź, Wrocław, Gdańsk, Poznań, Rzeszów, Nowy Sącz, Jelenia Góra) and a hyphen (Bielsko-Biała), three stores in
Mazowieckie (two in Warszawa). Sales from Monday 3 Jun 2024 to Sunday 14 Jun 2026, the day before the bench's
reference day 2026-06-15. Poland's Sunday trading ban: the stores are shut on Sundays except the trading Sundays
(the last Sunday of January, April, June and August, Palm Sunday, and the December Sundays from the 7th to the 23rd);
the station shop JK-02 (Dworzec Centralny) trades every day but Christmas Day, New Year's Day and Easter Sunday. The
others are shut on the public holidays (1 and 6 Jan, Easter Monday, 1 and 3 May, Corpus Christi, 15 Aug, 1 and 11
Nov, 25-26 Dec, and Christmas Eve from 2025, when it became one). JK-03 (Radom) closed for good after Saturday
31 Jan 2026 (no stock rows); JK-11 (Gdynia) opened on Thursday 16 Oct 2025; JK-16 (Rzeszów) was shut for
refurbishment from 10 to 28 Feb 2025. Sunglasses peak May-August, a strong December, the Black Friday weekend
(Friday to Monday) with most lines discounted; Essilor lenses sold 5 % above list from 1 Feb 2026. Amounts in
złoty (PLN), two decimals. A frame family "Rynek" named like the Kraków store "Rynek" (the market square), models
named with everyday words ("Tram 18", "Friday Night", "Złota Jesień", the May holiday "Majówka"), a Polish lens
maker (JZO), two products never sold; stock as of 14 Jun 2026; patients by age, lens type and voivodeship.
Not the demo generator and not another make_csv*.py: its own seed, names and shape.
"""

from __future__ import annotations

import bisect
import csv
import random
from datetime import date, timedelta
from pathlib import Path
from typing import NamedTuple

from dateutil.easter import easter

OUT = Path(__file__).parent / "jaskolka"
SEED = 16_1406_2026
START, END = date(2024, 6, 3), date(2026, 6, 14)
STATION = "JK-02"
ESSILOR_RISE = date(2026, 2, 1)


class Store(NamedTuple):
    code: str
    name: str
    city: str
    region: str
    postcode: str
    pull: float
    first: date = START
    last: date = END
    refit: tuple[date, date] | None = None


STORES = [
    Store("JK-01", "Optyka Jaskółka Nowy Świat", "Warszawa", "MZ", "00-497", 1.6),
    Store("JK-02", "Optyka Jaskółka Dworzec Centralny", "Warszawa", "MZ", "00-844", 1.1),
    Store("JK-03", "Optyka Jaskółka Radom", "Radom", "MZ", "26-600", 0.5, last=date(2026, 1, 31)),
    Store("JK-04", "Optyka Jaskółka Rynek", "Kraków", "MA", "31-042", 1.5),
    Store("JK-05", "Optyka Jaskółka Nowy Sącz", "Nowy Sącz", "MA", "33-300", 0.6),
    Store("JK-06", "Optyka Jaskółka Mariacka", "Katowice", "SL", "40-014", 1.1),
    Store("JK-07", "Optyka Jaskółka Bielsko-Biała", "Bielsko-Biała", "SL", "43-300", 0.7),
    Store("JK-08", "Optyka Jaskółka Świdnicka", "Wrocław", "DS", "50-066", 1.2),
    Store("JK-09", "Optyka Jaskółka Jelenia Góra", "Jelenia Góra", "DS", "58-500", 0.5),
    Store("JK-10", "Optyka Jaskółka Długa", "Gdańsk", "PM", "80-827", 1.2),
    Store("JK-11", "Optyka Jaskółka Gdynia", "Gdynia", "PM", "81-364", 0.8, first=date(2025, 10, 16)),
    Store("JK-12", "Optyka Jaskółka Półwiejska", "Poznań", "WP", "61-888", 1.0),
    Store("JK-13", "Optyka Jaskółka Piotrkowska", "Łódź", "LD", "90-410", 0.9),
    Store("JK-14", "Optyka Jaskółka Szczecin", "Szczecin", "ZP", "70-415", 0.7),
    Store("JK-15", "Optyka Jaskółka Lublin", "Lublin", "LU", "20-002", 0.7),
    Store("JK-16", "Optyka Jaskółka Rzeszów", "Rzeszów", "PK", "35-064", 0.6,
          refit=(date(2025, 2, 10), date(2025, 2, 28))),
]

# (name, category, brand, list price in PLN, pull); pull 0: in the catalogue, never sold
PRODUCTS = [
    ("Jaskółka Rynek Classic", "frames", "Jaskółka", 449.00, 1.2),
    ("Jaskółka Rynek Slim", "frames", "Jaskółka", 399.00, 0.9),
    ("Jaskółka Tram 18", "frames", "Jaskółka", 329.00, 1.0),
    ("Jaskółka Złota Jesień", "frames", "Jaskółka", 379.00, 0.8),
    ("Jaskółka Friday Night", "frames", "Jaskółka", 359.00, 0.7),
    ("Kwadrat Bold", "frames", "Kwadrat", 299.00, 1.1),
    ("Kwadrat Line", "frames", "Kwadrat", 259.00, 0.9),
    ("Ray-Ban Clubmaster", "frames", "Ray-Ban", 549.00, 0.8),
    ("Jaskółka Majówka", "sunglasses", "Jaskółka", 289.00, 1.0),
    ("Jaskółka Bałtyk", "sunglasses", "Jaskółka", 259.00, 0.9),
    ("Ray-Ban Wayfarer", "sunglasses", "Ray-Ban", 599.00, 1.2),
    ("Oakley Holbrook", "sunglasses", "Oakley", 529.00, 0.8),
    ("Polaroid PLD 2088", "sunglasses", "Polaroid", 199.00, 1.1),
    ("Carrera Champion", "sunglasses", "Carrera", 459.00, 0.0),
    ("Essilor Varilux Comfort Max", "lenses", "Essilor", 1290.00, 0.7),
    ("Essilor Eyezen", "lenses", "Essilor", 690.00, 0.8),
    ("Hoya Nulux 1.6", "lenses", "Hoya", 540.00, 0.7),
    ("Zeiss SmartLife Progressive", "lenses", "Zeiss", 1590.00, 0.5),
    ("JZO Jednoogniskowe 1.5", "lenses", "JZO", 180.00, 1.4),
    ("JZO Office", "lenses", "JZO", 420.00, 0.6),
    ("Acuvue Oasys 1-Day 30", "contact_lenses", "Acuvue", 149.00, 1.1),
    ("Biofinity 6", "contact_lenses", "CooperVision", 139.00, 0.9),
    ("Dailies Total1 30", "contact_lenses", "Alcon", 189.00, 0.8),
    ("Jaskółka Ściereczka", "accessories", "Jaskółka", 15.00, 1.3),
    ("Jaskółka Etui Twarde", "accessories", "Jaskółka", 39.00, 0.9),
    ("Jaskółka Etui Skórzane", "accessories", "Jaskółka", 89.00, 0.0),
    ("Opti-Free Express 355 ml", "accessories", "Alcon", 35.00, 0.8),
    ("Eye Exam", "services", "Jaskółka", 100.00, 1.0),
    ("Contact Lens Fitting", "services", "Jaskółka", 150.00, 0.5),
    ("Frame Repair", "services", "Jaskółka", 40.00, 0.6),
]
SKUS = {name: f"JSK-{i:03d}" for i, (name, *_rest) in enumerate(PRODUCTS, start=101)}
CATEGORY_PULL = {"frames": 4.0, "sunglasses": 2.4, "lenses": 5.2, "contact_lenses": 3.0, "accessories": 2.0,
                 "services": 2.6}
SUN_SEASON = {4: 1.1, 5: 1.7, 6: 2.3, 7: 2.5, 8: 2.1, 9: 1.0}
MONTH_PULL = {12: 1.35, 11: 1.05, 7: 0.9, 8: 0.85, 1: 0.9, 2: 0.85}
STOCK_ODDS = (0.08, 0.15, 0.32)  # cumulative chances of an empty line, one at its point, one under it
# on hand for each of those levels and the rest (comfortably over the point), given the reorder point; only the
# chosen level draws from the generator
ON_HAND = (lambda rng, point: 0, lambda rng, point: point, lambda rng, point: rng.randint(1, point - 1),
           lambda rng, point: rng.randint(point + 1, 3 * point + 5))
DAY_PULL = {1: 0.85, 2: 1.0, 3: 1.0, 4: 1.1, 5: 1.25, 6: 1.5, 7: 1.3}  # ISO weekday; Sunday: trading Sundays only


def public_holidays(year: int) -> set[date]:
    """Days the stores are shut by law (Easter Sunday and Whit Sunday are Sundays anyway)."""
    e = easter(year)
    days = {date(year, 1, 1), date(year, 1, 6), e, e + timedelta(days=1), date(year, 5, 1), date(year, 5, 3),
            e + timedelta(days=60), date(year, 8, 15), date(year, 11, 1), date(year, 11, 11), date(year, 12, 25),
            date(year, 12, 26)}
    if year >= 2025:
        days.add(date(year, 12, 24))
    return days


def last_sunday(year: int, month: int) -> date:
    day = (date(year + month // 12, month % 12 + 1, 1)) - timedelta(days=1)
    return day - timedelta(days=day.isoweekday() % 7)


def trading_sunday(day: date) -> bool:
    if day.isoweekday() != 7:
        return False
    named = {last_sunday(day.year, m) for m in (1, 4, 6, 8)} | {easter(day.year) - timedelta(days=7)}
    return day in named or (day.month == 12 and 7 <= day.day <= 23)


def is_open(store: Store, day: date) -> bool:
    if not store.first <= day <= store.last:
        return False
    if store.refit is not None and store.refit[0] <= day <= store.refit[1]:
        return False
    if store.code == STATION:
        return day not in (date(day.year, 12, 25), date(day.year, 1, 1), easter(day.year))
    if day in public_holidays(day.year):
        return False
    return day.isoweekday() != 7 or trading_sunday(day)


def black_friday_weekend(day: date) -> bool:
    """Black Friday (the last Friday of November) to the Monday after."""
    thirtieth = date(day.year, 11, 30)
    friday = thirtieth - timedelta(days=(thirtieth.weekday() - 4) % 7)
    return friday <= day <= friday + timedelta(days=3)


def list_price(brand: str, price: float, day: date) -> float:
    return round(price * 1.05, 2) if brand == "Essilor" and day >= ESSILOR_RISE else price


def sales_rows(rng: random.Random) -> list[list[str]]:
    rows: list[list[str]] = []
    order_no = 500_000
    day = START
    while day <= END:
        pulls = [CATEGORY_PULL[cat] * pull * (SUN_SEASON.get(day.month, 0.45) if cat == "sunglasses" else 1.0)
                 for _name, cat, _brand, _price, pull in PRODUCTS]
        promo = black_friday_weekend(day)
        for store in STORES:
            if not is_open(store, day):
                continue
            mean = 0.6 * store.pull * MONTH_PULL.get(day.month, 1.0) * DAY_PULL[day.isoweekday()]
            n_orders = sum(rng.random() < mean / 4 for _ in range(4)) + (rng.random() < mean / 10)
            for _ in range(n_orders):
                order_no += 1
                basket = rng.choices(PRODUCTS, pulls, k=rng.choice((1, 1, 2, 2, 3)))
                for name, cat, brand, price, _pull in dict.fromkeys(basket):
                    qty = rng.choice((1, 1, 2, 3)) if cat in ("contact_lenses", "accessories") else 1
                    unit = list_price(brand, price, day)
                    off = 0.0
                    if rng.random() < (0.7 if promo else 0.1):
                        off = round(qty * unit * rng.choice((0.2, 0.25, 0.3) if promo else (0.05, 0.1, 0.15)), 2)
                    rows.append([f"PL{order_no}", day.isoformat(), store.code, SKUS[name], str(qty), f"{unit:.2f}",
                                 f"{off:.2f}"])
        day += timedelta(days=1)
    return rows


def stock_rows(rng: random.Random) -> list[list[str]]:
    rows: list[list[str]] = []
    for store in STORES:
        if store.last < END:
            continue  # a closed store keeps no stock
        for name, cat, _brand, _price, _pull in PRODUCTS:
            if cat == "services" or rng.random() < 0.12:
                continue
            point = rng.randint(2, 9)
            have = ON_HAND[bisect.bisect_right(STOCK_ODDS, rng.random())](rng, point)
            rows.append([store.code, SKUS[name], str(have), str(point), END.isoformat()])
    return rows


def examined(rng: random.Random, store: Store) -> tuple[int, date, date]:
    """A patient's age at the last exam, that exam's day (while the store traded) and a birthday fitting both."""
    age = max(5, min(95, round(rng.triangular(6, 94, 48))))
    open_days = (store.last - store.first).days + 1
    seen = store.first + timedelta(days=rng.randrange(open_days))
    return age, seen, date(seen.year - age, rng.randint(1, 12), rng.randint(1, 28))


def patient_rows(rng: random.Random) -> list[list[str]]:
    given = ("Anna", "Piotr", "Zofia", "Jakub", "Maja", "Kacper", "Łucja", "Mateusz", "Hanna", "Wojciech")
    family = ("Nowak", "Kowalska", "Wiśniewski", "Wójcik", "Kamińska", "Lewandowski", "Zielińska", "Szymański")
    streets = ("ul. Długa", "ul. Kwiatowa", "ul. Polna", "al. Jerozolimskie")
    rows: list[list[str]] = []
    for n in range(1, 561):
        store = rng.choices(STORES, [s.pull for s in STORES])[0]
        age, seen, born = examined(rng, store)
        kinds = (("progressive", "progressive", "reading", "bifocal", "occupational", "progressive") if age >= 45
                 else ("single_vision", "single_vision", "contact_lenses", "occupational", "contact_lenses"))
        sph = [f"{rng.choice((-6.0, -3.25, -1.75, -0.75, 0.0, 0.75, 1.5, 2.5)):.2f}" for _ in range(2)]
        cyl = [f"{rng.choice((0.0, -0.25, -0.5, -1.0, -1.75)):.2f}" for _ in range(2)]
        rows.append([f"jsk-{n:05d}", rng.choice(given), rng.choice(family), born.isoformat(),
                     f"pacjent{n}@poczta.example", f"+48 6{rng.randint(0, 9)}{rng.randint(0, 9)} {n:03d} "
                     f"{rng.randint(100, 999)}", f"{rng.choice(streets)} {rng.randint(1, 150)}", store.city,
                     store.region, store.postcode.replace("-", ""), seen.isoformat(), *sph, *cyl,
                     rng.choice(kinds)])
    return rows


HEADERS = {
    "stores": "store_code,name,city,state",
    "products": "sku,name,category,brand,unit_price",
    "sales": "order_id,sold_at,store_code,sku,quantity,unit_price,discount",
    "stock": "store_code,sku,on_hand,reorder_point,as_of",
    "patients": "patient_id,first_name,last_name,date_of_birth,email,phone,street,city,state,zip,last_exam_date,"
                "sphere_od,sphere_os,cylinder_od,cylinder_os,lens_type",
}


def write(table: str, rows: list[list[str]]) -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    with open(OUT / f"{table}.csv", "w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(HEADERS[table].split(","))
        writer.writerows(rows)


def main() -> None:
    rng = random.Random(SEED)
    write("stores", [[s.code, s.name, s.city, s.region] for s in STORES])
    write("products", [[SKUS[name], name, cat, brand, f"{price:.2f}"] for name, cat, brand, price, _ in PRODUCTS])
    write("sales", sales_rows(rng))
    write("stock", stock_rows(rng))
    write("patients", patient_rows(rng))


if __name__ == "__main__":
    main()
