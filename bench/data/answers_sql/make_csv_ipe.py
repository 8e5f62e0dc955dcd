"""Generate the CSV files of the answer bench's Brazilian tenant "ipe" (Óticas Ipê; held-out set heldout13).

python bench/data/answers_sql/make_csv_ipe.py  -> bench/data/answers_sql/ipe/<table>.csv (5 tables)

Contract: deterministic (one seeded `random.Random`, no other source of chance), so the committed files are written
again byte for byte; every row passes the project's CSV importer (2-letter state codes, CEP postcodes "NNNNN-NNN"
whose first five digits are the importer's zip, the schema's categories and lens types).

The tenant: 15 stores in nine Brazilian states stored by their ISO 3166-2 codes (SP, RJ, MG, PR, SC, RS, DF, BA, PE;
SC and PR are also US postal codes); two cities named like their state (São Paulo,
two stores; Rio de Janeiro, one store beside Niterói in the same state); city names with accents, an apostrophe
(Santa Bárbara d'Oeste) and particles (Juiz de Fora, Belo Horizonte, Porto Alegre); a store name with a hyphen
(Beira-Mar). Sales from Tuesday 16 Jul 2024 to Sunday 14 Jun 2026 (the day before the bench's reference day
2026-06-15). Street stores shut on Sundays, the mall and beach stores open (quieter); every store shut on New Year's
Day, Good Friday and Christmas Day; IP-09 (Juiz de Fora) shut for refurbishment from 3 to 30 Mar 2025; IP-05 (Santa
Bárbara d'Oeste) closed for good after 31 Oct 2025 (no stock rows); IP-14 (Salvador) opened on Monday 10 Nov 2025.
Southern-hemisphere seasons (sunglasses sell most from December to March), a strong December and Mother's Day month
(May), Black Friday (the day after the fourth Thursday of November) with most lines discounted; Zeiss lenses sold
6 % above the list price from 1 Apr 2026. Product names made of everyday English words ("Last Call", "Happy Hour",
"Full Moon", "Rush Hour", "Weekend Away") and a hyphenated Portuguese model ("Beija-Flor"), a brand with a plus sign
("Bausch + Lomb"), two products never sold; stock as of 14 Jun 2026; patients by age, lens type and state.
Amounts are Brazilian reais (BRL). Not the demo generator and not another make_csv*.py: its own seed, names, shape.
"""

from __future__ import annotations

import csv
import random
from datetime import date, timedelta
from pathlib import Path
from typing import NamedTuple

from dateutil.easter import easter

OUT = Path(__file__).parent / "ipe"
SEED = 13_0612_2026
FIRST_DAY, LAST_DAY = date(2024, 7, 16), date(2026, 6, 14)
ZEISS_RISE = date(2026, 4, 1)


class Shop(NamedTuple):
    code: str
    name: str
    city: str
    uf: str  # the state's ISO 3166-2 code (Brazilians call it the UF)
    cep: str  # first five digits of the neighbourhood's CEP
    pull: float  # relative trade
    sundays: bool
    first: date = FIRST_DAY
    last: date = LAST_DAY
    shut: tuple[date, date] | None = None  # a closed spell (both days included)


SHOPS = (
    Shop("IP-01", "Óticas Ipê Paulista", "São Paulo", "SP", "01310", 1.6, True),
    Shop("IP-02", "Óticas Ipê Shopping Ibirapuera", "São Paulo", "SP", "04534", 1.3, True),
    Shop("IP-03", "Óticas Ipê Cambuí", "Campinas", "SP", "13024", 0.9, False),
    Shop("IP-04", "Óticas Ipê Ribeirão Preto", "Ribeirão Preto", "SP", "14025", 0.7, False),
    Shop("IP-05", "Óticas Ipê Santa Bárbara", "Santa Bárbara d'Oeste", "SP", "13450", 0.45, False,
         last=date(2025, 10, 31)),
    Shop("IP-06", "Óticas Ipê Copacabana", "Rio de Janeiro", "RJ", "22070", 1.4, True),
    Shop("IP-07", "Óticas Ipê Icaraí", "Niterói", "RJ", "24230", 0.7, False),
    Shop("IP-08", "Óticas Ipê Savassi", "Belo Horizonte", "MG", "30140", 1.1, False),
    Shop("IP-09", "Óticas Ipê Halfeld", "Juiz de Fora", "MG", "36010", 0.6, False,
         shut=(date(2025, 3, 3), date(2025, 3, 30))),
    Shop("IP-10", "Óticas Ipê Batel", "Curitiba", "PR", "80420", 1.0, False),
    Shop("IP-11", "Óticas Ipê Beira-Mar", "Florianópolis", "SC", "88015", 0.8, True),
    Shop("IP-12", "Óticas Ipê Moinhos", "Porto Alegre", "RS", "90570", 0.9, False),
    Shop("IP-13", "Óticas Ipê Asa Sul", "Brasília", "DF", "70390", 1.0, False),
    Shop("IP-14", "Óticas Ipê Barra", "Salvador", "BA", "40140", 0.8, True, first=date(2025, 11, 10)),
    Shop("IP-15", "Óticas Ipê Boa Viagem", "Recife", "PE", "51020", 0.75, False),
)


class Item(NamedTuple):
    name: str
    category: str
    brand: str
    price: float
    pull: float


ITEMS = (
    Item("Ipê Last Call", "frames", "Ipê", 389.0, 1.2),
    Item("Ipê Happy Hour", "frames", "Ipê", 349.0, 1.0),
    Item("Ipê Beija-Flor", "frames", "Ipê", 429.0, 0.8),
    Item("Ipê Full Moon", "frames", "Ipê", 319.0, 0.9),
    Item("Atitude Rush Hour", "frames", "Atitude", 279.0, 1.1),
    Item("Atitude Weekend Away", "frames", "Atitude", 259.0, 0.9),
    Item("Atitude Titanium 8", "frames", "Atitude", 499.0, 0.5),
    Item("Ray-Ban Aviator Optics", "frames", "Ray-Ban", 689.0, 0.6),
    Item("Chilli Beans Full Moon", "sunglasses", "Chilli Beans", 229.0, 1.3),
    Item("Chilli Beans Carnaval", "sunglasses", "Chilli Beans", 199.0, 1.0),
    Item("Chilli Beans Ipanema", "sunglasses", "Chilli Beans", 249.0, 0.9),
    Item("Ray-Ban Aviator Classic", "sunglasses", "Ray-Ban", 759.0, 0.8),
    Item("Ray-Ban Erika", "sunglasses", "Ray-Ban", 639.0, 0.6),
    Item("Oakley Holbrook", "sunglasses", "Oakley", 819.0, 0.5),
    Item("Oakley Frogskins", "sunglasses", "Oakley", 699.0, 0.0),
    Item("Ipê Sol Beija-Flor", "sunglasses", "Ipê", 289.0, 0.7),
    Item("Varilux Comfort 1.67", "lenses", "Essilor", 1490.0, 0.7),
    Item("Eyezen Start 1.5", "lenses", "Essilor", 420.0, 1.3),
    Item("Zeiss SmartLife Progressive", "lenses", "Zeiss", 1790.0, 0.5),
    Item("Zeiss Single Vision 1.6", "lenses", "Zeiss", 560.0, 1.0),
    Item("Hoya Nulux 1.5", "lenses", "Hoya", 380.0, 0.9),
    Item("Acuvue Oasys 6", "contact_lenses", "Acuvue", 189.0, 1.0),
    Item("Acuvue Moist 1-Day 30", "contact_lenses", "Acuvue", 159.0, 0.9),
    Item("Solótica Natural Colors", "contact_lenses", "Solótica", 219.0, 0.8),
    Item("Bausch + Lomb Ultra 6", "contact_lenses", "Bausch + Lomb", 175.0, 0.7),
    Item("Ipê Rush Hour Case", "accessories", "Ipê", 49.0, 0.9),
    Item("Ipê Cleaning Kit", "accessories", "Ipê", 29.9, 1.2),
    Item("Ipê Strap Cord", "accessories", "Ipê", 24.9, 0.0),
    Item("Renu Solution 355 ml", "accessories", "Bausch + Lomb", 42.9, 0.8),
    Item("Frame Adjustment", "services", "Ipê", 40.0, 0.7),
    Item("Contact Lens Fitting", "services", "Ipê", 120.0, 0.5),
    Item("Lens Fitting", "services", "Ipê", 90.0, 0.6),
)
CATEGORY_PULL = {"frames": 4.0, "sunglasses": 3.0, "lenses": 5.0, "contact_lenses": 3.5, "accessories": 2.5,
                 "services": 2.0}
SUN_MONTHS = {12: 2.2, 1: 2.4, 2: 2.0, 3: 1.5, 11: 1.4, 10: 1.1}  # southern-hemisphere summer
MONTH_TRADE = {12: 1.45, 5: 1.2, 2: 0.85, 6: 0.9, 7: 0.95}  # Christmas and the 13th salary, Mother's Day, Carnival
DAY_TRADE = (0.8, 1.0, 1.0, 1.1, 1.25, 1.5, 0.75)  # Monday .. Sunday


def black_friday(year: int) -> date:
    first = date(year, 11, 1)
    thursday = first + timedelta(days=(3 - first.weekday()) % 7 + 21)
    return thursday + timedelta(days=1)


def closed_everywhere(day: date) -> bool:
    return (day.month, day.day) in ((1, 1), (12, 25)) or day == easter(day.year) - timedelta(days=2)  # Good Friday


def open_on(shop: Shop, day: date) -> bool:
    if not shop.first <= day <= shop.last or closed_everywhere(day):
        return False
    if shop.shut and shop.shut[0] <= day <= shop.shut[1]:
        return False
    return shop.sundays or day.isoweekday() != 7


def sale_price(item: Item, day: date) -> float:
    return round(item.price * 1.06, 2) if item.brand == "Zeiss" and day >= ZEISS_RISE else item.price


def write(table: str, header: tuple[str, ...], rows: list[tuple[object, ...]]) -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    with open(OUT / f"{table}.csv", "w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(header)
        writer.writerows(rows)


def money(value: float) -> str:
    return f"{value:.2f}"


def sales_rows(rng: random.Random, skus: dict[Item, str]) -> list[tuple[object, ...]]:
    rows: list[tuple[object, ...]] = []
    serial = 500_000
    day = FIRST_DAY
    while day <= LAST_DAY:
        promo = day == black_friday(day.year)
        sun = SUN_MONTHS.get(day.month, 0.8)
        weights = [CATEGORY_PULL[i.category] * i.pull * (sun if i.category == "sunglasses" else 1.0) for i in ITEMS]
        for shop in SHOPS:
            if not open_on(shop, day):
                continue
            mean = 0.6 * shop.pull * MONTH_TRADE.get(day.month, 1.0) * DAY_TRADE[day.weekday()] * (3 if promo else 1)
            count = sum(rng.random() < mean / 6 for _ in range(6)) + (rng.random() < mean / 10)
            for _ in range(count):
                serial += 1
                order = f"BR-{serial}"
                basket = rng.choices(ITEMS, weights, k=rng.choice((1, 1, 2, 2, 3)))
                for item in dict.fromkeys(basket):
                    qty = rng.choice((1, 2, 2, 3)) if item.category in ("contact_lenses", "accessories") else 1
                    price = sale_price(item, day)
                    chance = 0.7 if promo else 0.15
                    off = round(qty * price * rng.choice((0.05, 0.1, 0.2)), 2) if rng.random() < chance else 0.0
                    rows.append((order, day.isoformat(), shop.code, skus[item], qty, money(price), money(off)))
        day += timedelta(days=1)
    return rows


def stock_rows(rng: random.Random, skus: dict[Item, str]) -> list[tuple[object, ...]]:
    rows: list[tuple[object, ...]] = []
    for shop in SHOPS:
        if shop.last < LAST_DAY:
            continue  # closed for good: its stock went back to the warehouse
        for item in ITEMS:
            if item.category == "services" or rng.random() < 0.08:
                continue
            floor = rng.randint(3, 10)
            roll = rng.random()
            if roll < 0.06:
                have = 0
            elif roll < 0.15:
                have = floor
            elif roll < 0.34:
                have = rng.randint(1, floor - 1)
            else:
                have = rng.randint(floor + 1, floor * 3 + 2)
            rows.append((shop.code, skus[item], have, floor, LAST_DAY.isoformat()))
    return rows


def patient_rows(rng: random.Random) -> list[tuple[object, ...]]:
    given = ("Ana", "João", "Beatriz", "Thiago", "Larissa", "Rafael", "Camila", "Gustavo")
    family = ("Silva", "Santos", "Oliveira", "Souza", "Pereira", "Costa", "Almeida")
    rows: list[tuple[object, ...]] = []
    for n in range(1, 561):
        shop = rng.choices(SHOPS, [s.pull for s in SHOPS])[0]
        age = max(5, min(94, round(rng.triangular(6, 92, 44))))
        seen = shop.first + timedelta(days=rng.randrange((shop.last - shop.first).days + 1))
        born = date(seen.year - age, rng.randint(1, 12), rng.randint(1, 28))
        kinds = ("progressive", "progressive", "reading", "bifocal", "occupational", "single_vision") if age >= 45 \
            else ("single_vision", "single_vision", "single_vision", "contact_lenses", "contact_lenses", "occupational")
        rows.append((f"ipe-{n:04d}", rng.choice(given), rng.choice(family), born.isoformat(),
                     f"cliente{n}@correio.example", f"+55 11 9{n:04d}-{rng.randint(1000, 9999)}",
                     f"Rua das Flores {rng.randint(1, 900)}", shop.city, shop.uf,
                     f"{shop.cep}-{rng.randint(0, 999):03d}", seen.isoformat(),
                     f"{rng.choice((-6.0, -3.5, -2.25, -1.0, 0.0, 0.75, 2.5)):.2f}",
                     f"{rng.choice((-5.5, -3.0, -1.25, -0.5, 0.25, 1.5, 3.25)):.2f}",
                     f"{rng.choice((0.0, -0.5, -0.75, -1.25)):.2f}", f"{rng.choice((0.0, -0.25, -1.0, -2.0)):.2f}",
                     rng.choice(kinds)))
    return rows


def main() -> None:
    rng = random.Random(SEED)
    skus = {item: f"IPE-{n:04d}" for n, item in enumerate(ITEMS, start=1)}
    write("stores", ("store_code", "name", "city", "state"), [(s.code, s.name, s.city, s.uf) for s in SHOPS])
    write("products", ("sku", "name", "category", "brand", "unit_price"),
          [(skus[i], i.name, i.category, i.brand, money(i.price)) for i in ITEMS])
    write("sales", ("order_id", "sold_at", "store_code", "sku", "quantity", "unit_price", "discount"),
          sales_rows(rng, skus))
    write("stock", ("store_code", "sku", "on_hand", "reorder_point", "as_of"), stock_rows(rng, skus))
    write("patients", ("patient_id", "first_name", "last_name", "date_of_birth", "email", "phone", "street", "city",
                       "state", "zip", "last_exam_date", "sphere_od", "sphere_os", "cylinder_od", "cylinder_os",
                       "lens_type"), patient_rows(rng))


if __name__ == "__main__":
    main()
