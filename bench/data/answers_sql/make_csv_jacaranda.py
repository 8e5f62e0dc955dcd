"""Write the CSV files of the answer bench's Mexican tenant "jacaranda" (Ópticas Jacaranda; held-out set heldout18).

python bench/data/answers_sql/make_csv_jacaranda.py  -> bench/data/answers_sql/jacaranda/<table>.csv (5 tables)

Contract: the output depends on nothing but this file: one `random.Random(SEED)` drawn in a fixed order (the sales
calendar day after day, each day's open stores in code order, then the stock shelf by shelf, then the patient
cards), so a rerun rewrites the committed files byte for byte. Every row passes the project's CSV importer: states
are the two-letter codes Mexico's CURP uses (DF Ciudad de México, JC Jalisco, NL Nuevo León, PL Puebla, QT Querétaro,
YN Yucatán, QR Quintana Roo, GT Guanajuato; DF, NL and QR look like other countries' codes), códigos postales are
five digits already, categories and lens types are the schema's.

The tenant: a Mexican chain of 13 "ópticas", four in Ciudad de México, two in the Guadalajara area (Guadalajara and
Zapopan), two in the Monterrey area (Monterrey and San Pedro Garza García), one each in Puebla, Querétaro, Mérida,
Cancún and León. Sales from Monday 1 Jul 2024 to Sunday 14 Jun 2026 (the day before the bench's reference day
2026-06-15), in pesos (MXN), two decimals. Street stores are shut on Sundays, on 1 May and on Jueves and Viernes
Santo; the five mall stores (Santa Fe, Andares, Valle Oriente, Angelópolis, Cancún) trade every day; every store is
shut on 1 Jan, 16 Sep (Independence Day) and 25 Dec. Querétaro (JC-10) closed for good after Sunday 30 Nov 2025 (no
stock rows); Cancún (JC-12) opened on Thursday 4 Sep 2025; León (JC-13) was shut for a remodel from Monday 7 Jul to
Sunday 3 Aug 2025. El Buen Fin (Friday to Monday, ending on the third Monday of November) discounts most lines;
August is back-to-school for frames; sunglasses peak March-May (the hot season and Semana Santa) and December.
Lenses are sold as "micas" (the Mexican word), the house lens line "Micas Jacaranda" went up 6 % on 1 Jan 2026. A
frame family "Coyoacán" is named like the Coyoacán store, a frame model "Domingo" carries a weekday's name, a
sunglasses model is named after Acapulco (no store there); two products were never sold. Stock as of 14 Jun 2026;
patients by age, lens type and state.
"""

from __future__ import annotations

import csv
import random
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

from dateutil.easter import easter

OUT = Path(__file__).parent / "jacaranda"
SEED = 18_0107_2024
FIRST_DAY, LAST_DAY = date(2024, 7, 1), date(2026, 6, 14)
MICAS_RISE = date(2026, 1, 1)


@dataclass(frozen=True)
class Shop:
    code: str
    place: str
    city: str
    state: str
    cp: str
    traffic: float
    mall: bool = False
    opened: date = FIRST_DAY
    closed: date | None = None  # last trading day of a store that closed for good
    remodel: tuple[date, date] | None = None

    @property
    def name(self) -> str:
        return f"Ópticas Jacaranda {self.place}"


SHOPS = (
    Shop("JC-01", "Roma Norte", "Ciudad de México", "DF", "06700", 1.5),
    Shop("JC-02", "Coyoacán", "Ciudad de México", "DF", "04000", 1.2),
    Shop("JC-03", "Santa Fe", "Ciudad de México", "DF", "05348", 1.4, mall=True),
    Shop("JC-04", "Polanco", "Ciudad de México", "DF", "11560", 1.3),
    Shop("JC-05", "Chapultepec", "Guadalajara", "JC", "44160", 1.1),
    Shop("JC-06", "Andares", "Zapopan", "JC", "45116", 1.2, mall=True),
    Shop("JC-07", "Barrio Antiguo", "Monterrey", "NL", "64000", 0.9),
    Shop("JC-08", "Valle Oriente", "San Pedro Garza García", "NL", "66269", 1.3, mall=True),
    Shop("JC-09", "Angelópolis", "Puebla", "PL", "72830", 1.0, mall=True),
    Shop("JC-10", "Centro Histórico", "Querétaro", "QT", "76000", 0.6, closed=date(2025, 11, 30)),
    Shop("JC-11", "Paseo de Montejo", "Mérida", "YN", "97000", 0.8),
    Shop("JC-12", "Cancún", "Cancún", "QR", "77500", 0.9, mall=True, opened=date(2025, 9, 4)),
    Shop("JC-13", "León", "León", "GT", "37000", 0.7, remodel=(date(2025, 7, 7), date(2025, 8, 3))),
)

# catalogue: (sku, name, category, brand, list price MXN, weight); weight 0: listed, never sold
CATALOG = (
    ("MXJ-1001", "Jacaranda Coyoacán Acetato", "frames", "Jacaranda", 1890.00, 1.3),
    ("MXJ-1002", "Jacaranda Coyoacán Metal", "frames", "Jacaranda", 1690.00, 1.0),
    ("MXJ-1003", "Jacaranda Frida", "frames", "Jacaranda", 2190.00, 0.9),
    ("MXJ-1004", "Jacaranda Lotería", "frames", "Jacaranda", 1490.00, 1.1),
    ("MXJ-1005", "Jacaranda Domingo", "frames", "Jacaranda", 1590.00, 0.7),
    ("MXJ-1006", "Ray-Ban Clubmaster RB3016", "frames", "Ray-Ban", 3290.00, 0.8),
    ("MXJ-1007", "Vogue VO5286", "frames", "Vogue", 2390.00, 0.9),
    ("MXJ-1008", "Carrera 8862", "frames", "Carrera", 2890.00, 0.6),
    ("MXJ-2001", "Jacaranda Sol de Tulum", "sunglasses", "Jacaranda", 1290.00, 1.2),
    ("MXJ-2002", "Jacaranda Acapulco", "sunglasses", "Jacaranda", 1190.00, 1.0),
    ("MXJ-2003", "Ray-Ban Aviator Classic", "sunglasses", "Ray-Ban", 3790.00, 1.1),
    ("MXJ-2004", "Oakley Frogskins", "sunglasses", "Oakley", 3190.00, 0.8),
    ("MXJ-2005", "Polaroid PLD 6198", "sunglasses", "Polaroid", 1390.00, 1.0),
    ("MXJ-2006", "Prada Linea Rossa PS 01", "sunglasses", "Prada", 5990.00, 0.0),
    ("MXJ-3001", "Micas Jacaranda Monofocal 1.5", "lenses", "Jacaranda", 690.00, 1.5),
    ("MXJ-3002", "Micas Jacaranda Antirreflejante", "lenses", "Jacaranda", 1290.00, 1.2),
    ("MXJ-3003", "Essilor Varilux Comfort", "lenses", "Essilor", 6490.00, 0.5),
    ("MXJ-3004", "Transitions Gen S", "lenses", "Transitions", 3290.00, 0.8),
    ("MXJ-3005", "Hoya Blue Control", "lenses", "Hoya", 2490.00, 0.7),
    ("MXJ-3006", "Zeiss DriveSafe", "lenses", "Zeiss", 4590.00, 0.4),
    ("MXJ-4001", "Acuvue Oasys 6 pzas", "contact_lenses", "Acuvue", 890.00, 1.1),
    ("MXJ-4002", "Air Optix Aqua 6 pzas", "contact_lenses", "Alcon", 790.00, 0.9),
    ("MXJ-4003", "Biofinity Toric 3 pzas", "contact_lenses", "CooperVision", 1150.00, 0.5),
    ("MXJ-5001", "Paño Jacaranda", "accessories", "Jacaranda", 45.00, 1.4),
    ("MXJ-5002", "Estuche Jacaranda Rígido", "accessories", "Jacaranda", 180.00, 1.0),
    ("MXJ-5003", "Cordón Jacaranda", "accessories", "Jacaranda", 120.00, 0.0),
    ("MXJ-5004", "Renu Solución 355 ml", "accessories", "Bausch + Lomb", 210.00, 0.8),
    ("MXJ-6001", "Examen de la Vista", "services", "Jacaranda", 150.00, 1.2),
    ("MXJ-6002", "Adaptación de Lentes de Contacto", "services", "Jacaranda", 350.00, 0.5),
    ("MXJ-6003", "Ajuste y Reparación", "services", "Jacaranda", 100.00, 0.6),
)
FAMILY_WEIGHT = {"frames": 3.6, "sunglasses": 2.2, "lenses": 4.8, "contact_lenses": 2.6, "accessories": 2.2,
                 "services": 2.8}
SEASON = {"sunglasses": {3: 1.8, 4: 2.2, 5: 2.0, 12: 1.5, 6: 1.1}, "frames": {8: 1.6}}
MONTH_TRAFFIC = {12: 1.3, 8: 1.15, 1: 0.85, 2: 0.9, 9: 0.95}
WEEKDAY_TRAFFIC = (0.8, 0.95, 1.0, 1.05, 1.2, 1.45, 1.1)  # Monday .. Sunday (Sunday: mall stores only)


def third_monday_of_november(year: int) -> date:
    first = date(year, 11, 1)
    return first + timedelta(days=(7 - first.weekday()) % 7 + 14)


def buen_fin(day: date) -> bool:
    monday = third_monday_of_november(day.year)
    return monday - timedelta(days=3) <= day <= monday


def trades(shop: Shop, day: date) -> bool:
    if day < shop.opened or (shop.closed is not None and day > shop.closed):
        return False
    if shop.remodel is not None and shop.remodel[0] <= day <= shop.remodel[1]:
        return False
    if (day.month, day.day) in ((1, 1), (9, 16), (12, 25)):
        return False
    if shop.mall:
        return True
    holy_thursday = easter(day.year) - timedelta(days=3)
    street_shut = {holy_thursday, holy_thursday + timedelta(days=1), date(day.year, 5, 1)}
    return day.weekday() != 6 and day not in street_shut


def price_on(sku: str, brand: str, price: float, day: date) -> float:
    if brand == "Jacaranda" and sku.startswith("MXJ-3") and day >= MICAS_RISE:
        return round(price * 1.06, 2)
    return price


def sales(rng: random.Random) -> list[list[str]]:
    out: list[list[str]] = []
    ticket = 70_000
    day = FIRST_DAY
    while day <= LAST_DAY:
        weights = [FAMILY_WEIGHT[cat] * w * SEASON.get(cat, {}).get(day.month, 1.0)
                   for _sku, _name, cat, _brand, _price, w in CATALOG]
        promo = buen_fin(day)
        for shop in SHOPS:
            if not trades(shop, day):
                continue
            rate = 0.55 * shop.traffic * MONTH_TRAFFIC.get(day.month, 1.0) * WEEKDAY_TRAFFIC[day.weekday()]
            if promo:
                rate *= 1.6
            tickets = sum(1 for _ in range(5) if rng.random() < rate / 5)
            for _ in range(tickets):
                ticket += 1
                picked = rng.choices(CATALOG, weights, k=rng.choice((1, 1, 1, 2, 2, 3)))
                seen: set[str] = set()
                for sku, _name, cat, brand, price, _w in picked:
                    if sku in seen:
                        continue
                    seen.add(sku)
                    qty = rng.choice((1, 1, 2, 2, 4)) if cat in ("contact_lenses", "accessories") else 1
                    each = price_on(sku, brand, price, day)
                    rebate = 0.0
                    if promo and rng.random() < 0.75:
                        rebate = round(qty * each * rng.choice((0.15, 0.2, 0.3)), 2)
                    elif not promo and rng.random() < 0.08:
                        rebate = round(qty * each * rng.choice((0.05, 0.1)), 2)
                    out.append([f"MX-{ticket}", day.isoformat(), shop.code, sku, str(qty), f"{each:.2f}",
                                f"{rebate:.2f}"])
        day += timedelta(days=1)
    return out


def stock(rng: random.Random) -> list[list[str]]:
    out: list[list[str]] = []
    for shop in SHOPS:
        if shop.closed is not None:
            continue
        for sku, _name, cat, _brand, _price, _w in CATALOG:
            if cat == "services" or rng.random() < 0.1:
                continue
            point = rng.randint(3, 10)
            roll = rng.random()
            if roll < 0.07:
                have = 0
            elif roll < 0.13:
                have = point
            elif roll < 0.3:
                have = rng.randint(1, point - 1)
            else:
                have = rng.randint(point + 1, point * 3 + 4)
            out.append([shop.code, sku, str(have), str(point), LAST_DAY.isoformat()])
    return out


def patients(rng: random.Random) -> list[list[str]]:
    nombres = ("María", "José", "Guadalupe", "Juan", "Fernanda", "Luis", "Ximena", "Carlos", "Sofía", "Diego")
    apellidos = ("Hernández", "García", "Martínez", "López", "González", "Pérez", "Rodríguez", "Sánchez", "Ramírez")
    calles = ("Av. Insurgentes Sur", "Calle Morelos", "Av. Juárez", "Calle Hidalgo", "Blvd. López Mateos")
    out: list[list[str]] = []
    for n in range(1, 621):
        shop = rng.choices(SHOPS, [s.traffic for s in SHOPS])[0]
        age = int(min(96, max(4, rng.gauss(44, 19))))
        last = shop.closed or LAST_DAY
        span = (last - shop.opened).days
        exam = shop.opened + timedelta(days=rng.randint(0, span))
        born = date(exam.year - age, rng.randint(1, 12), rng.randint(1, 28))
        if (exam.month, exam.day) < (born.month, born.day):
            born = date(born.year - 1, born.month, born.day)  # keep the drawn age at the exam
        if age >= 42:
            kind = rng.choice(("progressive", "progressive", "bifocal", "reading", "occupational"))
        else:
            kind = rng.choice(("single_vision", "single_vision", "single_vision", "contact_lenses", "occupational"))
        sph = [f"{rng.choice((-5.5, -3.0, -2.25, -1.0, -0.5, 0.0, 1.0, 2.25)):.2f}" for _ in range(2)]
        cyl = [f"{rng.choice((0.0, 0.0, -0.5, -0.75, -1.5)):.2f}" for _ in range(2)]
        out.append([f"mxp-{n:05d}", rng.choice(nombres), rng.choice(apellidos), born.isoformat(),
                    f"cliente{n}@correo.example", f"+52 55 {rng.randint(1000, 9999)} {n:04d}",
                    f"{rng.choice(calles)} {rng.randint(1, 2400)}", shop.city, shop.state, shop.cp,
                    exam.isoformat(), *sph, *cyl, kind])
    return out


COLUMNS = {
    "stores": ("store_code", "name", "city", "state"),
    "products": ("sku", "name", "category", "brand", "unit_price"),
    "sales": ("order_id", "sold_at", "store_code", "sku", "quantity", "unit_price", "discount"),
    "stock": ("store_code", "sku", "on_hand", "reorder_point", "as_of"),
    "patients": ("patient_id", "first_name", "last_name", "date_of_birth", "email", "phone", "street", "city",
                 "state", "zip", "last_exam_date", "sphere_od", "sphere_os", "cylinder_od", "cylinder_os",
                 "lens_type"),
}


def save(table: str, rows: list[list[str]]) -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    with (OUT / f"{table}.csv").open("w", newline="", encoding="utf-8") as handle:
        out = csv.writer(handle)
        out.writerow(COLUMNS[table])
        out.writerows(rows)


def main() -> None:
    rng = random.Random(SEED)
    save("stores", [[s.code, s.name, s.city, s.state] for s in SHOPS])
    save("products", [[sku, name, cat, brand, f"{price:.2f}"] for sku, name, cat, brand, price, _w in CATALOG])
    save("sales", sales(rng))
    save("stock", stock(rng))
    save("patients", patients(rng))


if __name__ == "__main__":
    main()
