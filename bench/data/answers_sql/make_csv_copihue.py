"""Write the CSV files of the answer bench's Chilean tenant "copihue" (Ópticas Copihue; held-out set heldout23).

python bench/data/answers_sql/make_csv_copihue.py  -> bench/data/answers_sql/copihue/<table>.csv (5 tables)

Contract: the five files depend on this script alone. A single `random.Random(SEED)` is drawn from in one fixed
order (every sale day in turn, each local in its turn; then the stock lists; then the patient cards), so running it
again rewrites the committed files byte for byte. Every row passes the project's CSV importer: regions are stored by
their ISO 3166-2:CL letters (RM Región Metropolitana, VS Valparaíso, BI Biobío, AR La Araucanía, LL Los Lagos,
AN Antofagasta), the 7-digit Chilean códigos postales are cut to their first five digits, and categories and lens
types are the schema's.

The tenant: a Chilean optical chain of 14 locales (shops), names and comunas written in Spanish with their accents
and eñes ("Ñuñoa", "Concepción", "Los Ángeles", "Viña del Mar", "Valparaíso"). Sales run from Monday 1 Jan 2024 to
Sunday 14 Jun 2026, the day before the bench's reference day. Street shops trade Monday to Saturday; the two mall
shops (CP-02 Costanera Center, CP-07 Mall Marina) trade every day. Everyone closes on Chile's "feriados
irrenunciables" (1 January, 1 May, 18 and 19 September - Fiestas Patrias -, 25 December). CP-11 (Temuco) traded for
the last time on Tuesday 31 Mar 2026 and keeps no stock; CP-08 (Quilpué) opened on Tuesday 2 Sep 2025. Two sales
events with most lines discounted: the CyberDay (3-5 Jun 2024, 2-4 Jun 2025, 1-3 Jun 2026) and Black Friday (the
last Friday of November to the Sunday after). Amounts in Chilean pesos (CLP, no cents; written with two decimals
for the importer). The shop "Copihue Valparaíso" stands in the city Valparaíso of the region Valparaíso; the shop
"Copihue Los Ángeles" in the city Los Ángeles. A house frame family "Cerro Alegre" (a Valparaíso hill, no shop), a
sunglasses family "Atacama" (a region with no shop), lenses sold as "cristales", services named in Spanish
("Examen visual", "Ajuste y reparación"), two products never sold; stock as of 14 Jun 2026; patients by age, lens type
and region. Written for this tenant only (its own seed, names, shapes and code).
"""

from __future__ import annotations

import csv
import random
from datetime import date, timedelta
from pathlib import Path
from typing import NamedTuple

OUT = Path(__file__).parent / "copihue"
SEED = 23_1810_2026
START, END = date(2024, 1, 1), date(2026, 6, 14)
SHUT_DAYS = {(1, 1), (5, 1), (9, 18), (9, 19), (12, 25)}  # feriados irrenunciables: all commerce closes
CYBERDAY = {2024: date(2024, 6, 3), 2025: date(2025, 6, 2), 2026: date(2026, 6, 1)}  # three days from these


class Local(NamedTuple):
    code: str
    name: str
    comuna: str
    region: str
    cp: str  # the first five digits of the comuna's código postal
    pull: float  # mean tickets a day
    mall: bool = False
    first: date = START
    last: date = END


LOCALES = [
    Local("CP-01", "Copihue Providencia", "Providencia", "RM", "75000", 1.5),
    Local("CP-02", "Copihue Costanera Center", "Providencia", "RM", "75100", 1.7, mall=True),
    Local("CP-03", "Copihue Ñuñoa", "Ñuñoa", "RM", "77500", 1.0),
    Local("CP-04", "Copihue Maipú", "Maipú", "RM", "92500", 1.1),
    Local("CP-05", "Copihue Santiago Centro", "Santiago", "RM", "83200", 1.3),
    Local("CP-06", "Copihue Valparaíso", "Valparaíso", "VS", "23400", 0.9),
    Local("CP-07", "Copihue Mall Marina", "Viña del Mar", "VS", "25200", 1.2, mall=True),
    Local("CP-08", "Copihue Quilpué", "Quilpué", "VS", "24300", 0.6, first=date(2025, 9, 2)),
    Local("CP-09", "Copihue Concepción", "Concepción", "BI", "40300", 1.0),
    Local("CP-10", "Copihue Los Ángeles", "Los Ángeles", "BI", "44400", 0.6),
    Local("CP-11", "Copihue Temuco", "Temuco", "AR", "47800", 0.7, last=date(2026, 3, 31)),
    Local("CP-12", "Copihue Puerto Montt", "Puerto Montt", "LL", "54800", 0.8),
    Local("CP-13", "Copihue Osorno", "Osorno", "LL", "52900", 0.5),
    Local("CP-14", "Copihue Antofagasta", "Antofagasta", "AN", "12400", 0.9),
]


class Item(NamedTuple):
    sku: str
    name: str
    category: str
    brand: str
    clp: int
    pop: float  # relative popularity; 0 = listed but never sold


ITEMS = [
    Item("CPH-201", "Copihue Cerro Alegre Acetato", "frames", "Copihue", 59_990, 1.2),
    Item("CPH-202", "Copihue Cerro Alegre Metal", "frames", "Copihue", 64_990, 0.9),
    Item("CPH-203", "Copihue Clásico", "frames", "Copihue", 39_990, 1.4),
    Item("CPH-204", "Ray-Ban RB5154 Clubmaster", "frames", "Ray-Ban", 139_990, 0.7),
    Item("CPH-205", "Vogue VO5286", "frames", "Vogue Eyewear", 99_990, 0.8),
    Item("CPH-206", "Oakley Holbrook RX", "frames", "Oakley", 149_990, 0.5),
    Item("CPH-207", "Copihue Atacama Polarizado", "sunglasses", "Copihue", 34_990, 1.3),
    Item("CPH-208", "Copihue Atacama Junior", "sunglasses", "Copihue", 24_990, 0.6),
    Item("CPH-209", "Ray-Ban Wayfarer", "sunglasses", "Ray-Ban", 159_990, 0.8),
    Item("CPH-210", "Oakley Frogskins", "sunglasses", "Oakley", 129_990, 0.7),
    Item("CPH-211", "Rip Curl Barrel", "sunglasses", "Rip Curl", 49_990, 0.0),
    Item("CPH-212", "Cristal Monofocal Copihue 1.56", "lenses", "Copihue", 29_990, 1.6),
    Item("CPH-213", "Essilor Varilux Comfort", "lenses", "Essilor", 249_990, 0.5),
    Item("CPH-214", "Essilor Crizal Sapphire", "lenses", "Essilor", 119_990, 0.8),
    Item("CPH-215", "Zeiss SmartLife Progresivo", "lenses", "Zeiss", 289_990, 0.4),
    Item("CPH-216", "Hoya Blue Control 1.60", "lenses", "Hoya", 89_990, 0.9),
    Item("CPH-217", "Rodenstock Multigressiv", "lenses", "Rodenstock", 269_990, 0.3),
    Item("CPH-218", "Acuvue Oasys 2 semanas", "contact_lenses", "Acuvue", 32_990, 1.0),
    Item("CPH-219", "Air Optix Aqua", "contact_lenses", "Alcon", 28_990, 0.8),
    Item("CPH-220", "Biofinity mensual", "contact_lenses", "CooperVision", 36_990, 0.6),
    Item("CPH-221", "Paño microfibra Copihue", "accessories", "Copihue", 2_990, 1.3),
    Item("CPH-222", "Estuche rígido Copihue", "accessories", "Copihue", 6_990, 1.0),
    Item("CPH-223", "Cordón para lentes Copihue", "accessories", "Copihue", 3_990, 0.0),
    Item("CPH-224", "Renu multipropósito 355 ml", "accessories", "Bausch + Lomb", 11_990, 0.9),
    Item("CPH-225", "Examen visual", "services", "Copihue", 15_000, 1.1),
    Item("CPH-226", "Ajuste y reparación", "services", "Copihue", 8_000, 0.5),
]
CATEGORY_PULL = {"frames": 3.2, "sunglasses": 2.0, "lenses": 4.6, "contact_lenses": 2.4, "accessories": 2.2,
                 "services": 1.8}
SUNNY = {12: 1.7, 1: 1.9, 2: 1.6, 3: 1.1, 11: 1.3}  # southern summer: sunglasses sell
BUSY_DAY = {5: 1.2, 6: 1.45, 7: 0.9}  # Friday, Saturday, Sunday (malls only)


def open_on(shop: Local, day: date) -> bool:
    if not shop.first <= day <= shop.last or (day.month, day.day) in SHUT_DAYS:
        return False
    return shop.mall or day.isoweekday() != 7


def promotion(day: date) -> str:
    start = CYBERDAY.get(day.year)
    if start and 0 <= (day - start).days <= 2:
        return "cyber"
    november_last = date(day.year, 11, 30)
    friday = november_last - timedelta(days=(november_last.isoweekday() - 5) % 7)
    return "black" if friday <= day <= friday + timedelta(days=2) else ""


def tickets(rng: random.Random, mean: float) -> int:
    """Tickets in one shop on one day: a count whose mean is `mean` (a sum of two coin-weighted halves)."""
    whole = int(mean)
    return whole + sum(rng.random() < (mean - whole) / 2 for _ in range(2)) + (rng.random() < 0.1)


def sales(rng: random.Random) -> list[tuple[str, ...]]:
    rows: list[tuple[str, ...]] = []
    boleta = 100_000
    day = START
    while day <= END:
        promo = promotion(day)
        lift = {"cyber": 2.1, "black": 1.8}.get(promo, 1.0) * BUSY_DAY.get(day.isoweekday(), 1.0)
        pulls = [CATEGORY_PULL[i.category] * i.pop * (SUNNY.get(day.month, 0.6) if i.category == "sunglasses"
                                                       else 1.0) for i in ITEMS]
        for shop in LOCALES:
            if not open_on(shop, day):
                continue
            for _ in range(tickets(rng, 0.5 * shop.pull * lift)):
                boleta += 1
                basket = sorted(set(rng.choices(range(len(ITEMS)), pulls, k=rng.choice((1, 1, 2, 2, 3)))))
                for index in basket:
                    item = ITEMS[index]
                    qty = rng.choice((1, 2, 3, 6)) if item.category in ("contact_lenses", "accessories") else 1
                    chance, cuts = {"cyber": (0.8, (0.2, 0.3, 0.4)), "black": (0.65, (0.15, 0.25, 0.35))}.get(
                        promo, (0.06, (0.1, 0.15)))
                    off = int(round(qty * item.clp * rng.choice(cuts), -2)) if rng.random() < chance else 0
                    rows.append((f"B{boleta}", day.isoformat(), shop.code, item.sku, str(qty), f"{item.clp}.00",
                                 f"{off}.00"))
        day += timedelta(days=1)
    return rows


def stock(rng: random.Random) -> list[tuple[str, ...]]:
    rows: list[tuple[str, ...]] = []
    for shop in LOCALES:
        if shop.last < END:  # a closed shop keeps no stock
            continue
        for item in ITEMS:
            if item.category == "services" or rng.random() < 0.08:
                continue
            point = rng.choice((2, 3, 4, 5, 6, 8))
            have = rng.choice((0, point, point - 1, point + 1)) if rng.random() < 0.25 else rng.randint(0, 4 * point)
            rows.append((shop.code, item.sku, str(max(0, have)), str(point), END.isoformat()))
    return rows


def patients(rng: random.Random) -> list[tuple[str, ...]]:
    nombres = ("Catalina", "Benjamín", "Valentina", "Matías", "Francisca", "Vicente", "Josefa", "Tomás")
    apellidos = ("González", "Muñoz", "Rojas", "Díaz", "Pérez", "Soto", "Contreras", "Silva", "Martínez")
    calles = ("Av. Libertador Bernardo O'Higgins", "Av. Providencia", "Calle Prat", "Av. Colón", "Los Carrera")
    rows: list[tuple[str, ...]] = []
    for n in range(1, 481):
        shop = rng.choices(LOCALES, [s.pull for s in LOCALES])[0]
        exam = shop.first + timedelta(days=rng.randint(0, (shop.last - shop.first).days))
        age = min(94, max(5, round(rng.triangular(5, 90, 45))))
        born = date(exam.year - age - 1, rng.randint(1, 12), rng.randint(1, 28))
        if (born.month, born.day) <= (exam.month, exam.day):
            born = born.replace(year=born.year + 1)
        kinds = ("progressive", "reading", "progressive", "bifocal", "single_vision") if age >= 45 else (
            "single_vision", "contact_lenses", "single_vision", "occupational")
        esf = [f"{rng.choice((-4.0, -2.75, -1.5, -0.75, 0.0, 0.5, 1.75)):.2f}" for _ in range(2)]
        cil = [f"{rng.choice((0.0, -0.25, -0.75, -1.25)):.2f}" for _ in range(2)]
        rows.append((f"CL{n:05d}", rng.choice(nombres), rng.choice(apellidos), born.isoformat(),
                     f"paciente{n}@copihue.example", f"+56 9 {rng.randint(4000, 9999)} {n:04d}",
                     f"{rng.choice(calles)} {rng.randint(10, 3999)}", shop.comuna, shop.region, shop.cp,
                     exam.isoformat(), esf[0], esf[1], cil[0], cil[1], rng.choice(kinds)))
    return rows


# the importer's columns, table by table
HEADERS = {table: tuple(names.split()) for table, names in (
    ("stores", "store_code name city state"),
    ("products", "sku name category brand unit_price"),
    ("sales", "order_id sold_at store_code sku quantity unit_price discount"),
    ("stock", "store_code sku on_hand reorder_point as_of"),
    ("patients", "patient_id first_name last_name date_of_birth email phone street city state zip last_exam_date "
                 "sphere_od sphere_os cylinder_od cylinder_os lens_type"))}


def write(table: str, rows: list[tuple[str, ...]]) -> None:
    with open(OUT / f"{table}.csv", "w", encoding="utf-8", newline="") as handle:
        out = csv.writer(handle, lineterminator="\n")
        out.writerow(HEADERS[table])
        out.writerows(rows)


def main() -> None:
    rng = random.Random(SEED)
    OUT.mkdir(parents=True, exist_ok=True)
    write("stores", [(s.code, s.name, s.comuna, s.region) for s in LOCALES])
    write("products", [(i.sku, i.name, i.category, i.brand, f"{i.clp}.00") for i in ITEMS])
    write("sales", sales(rng))  # these three share the generator, in this order
    write("stock", stock(rng))
    write("patients", patients(rng))


if __name__ == "__main__":
    main()
