"""Write the CSV files of the answer bench's Portuguese tenant "andorinha" (Ópticas Andorinha; held-out set 21).

python bench/data/answers_sql/make_csv_andorinha.py  -> bench/data/answers_sql/andorinha/<table>.csv (5 tables)

Contract: the files depend on this script alone. One `random.Random(SEED)` is consumed in a fixed order (the sales
calendar day by day, each open shop in code order; then the shelf counts; then the customer cards), so a second run
rewrites the committed files byte for byte. Every row passes the project's CSV importer: districts under the
chain's two-letter codes, Portuguese "CP4-CP3" postcodes cut to five digits (the four of CP4 and the first of CP3:
"1200-195" -> 12001), the schema's categories and lens types, headers from `db.importer.SPECS`.

The tenant: a Portuguese chain of 15 opticians ("Ópticas Andorinha", the swallow) in eight districts under its own
codes (LX Lisboa, PO Porto, BR Braga, CO Coimbra, AV Aveiro, FA Faro = the Algarve, SE Setúbal, MD Madeira).
Cities are stored in Portuguese (Lisboa, Porto, Setúbal, Guimarães), never the English "Lisbon" / "Oporto";
Lisboa has two shops, the Lisboa district three. Shop names are the chain's name and a street, quarter or town
("Chiado", "Colombo" (the Centro Colombo mall), "Santa Catarina" (the Porto street), "Lagos" (the Algarve town,
also a city in Nigeria)). Sales from Monday 3 Jun 2024 to Sunday 14 Jun 2026, the day before the bench's reference
day 2026-06-15, in euros with two decimals. Street shops close on Sundays and on the national holidays (1 Jan, Good
Friday, 25 Apr, 1 May, Corpus Christi, 10 Jun, 15 Aug, 5 Oct, 1 Nov, 1 Dec, 8 Dec, 25 Dec) and on their town's
day (Lisboa 13 Jun, Santo António; Porto 24 Jun, São João; Braga 24 Jun; Coimbra 4 Jul; Faro 7 Sep); the mall shop
AN-02 (Colombo) trades every day but 25 Dec, 1 Jan and Easter Sunday. AN-08 (Guimarães) closed for good after
Saturday 31 Jan 2026 (no stock rows); AN-15 (Funchal, Madeira) opened on Monday 3 Nov 2025; AN-12 (Lagos) was
shut for works from 3 to 23 Feb 2025. Discount seasons: the "saldos" (26 Dec to 28 Feb, 15 Jul to 31 Aug), the
chain's own "Semana Andorinha" (20 to 26 Oct 2025: a flat 20 % off frames and sunglasses) and Black Friday
(28 Nov 2025, one day). Summer lifts sunglasses ("óculos de sol") everywhere and the Algarve shops most. Zeiss
lenses cost 5 % more from 1 Mar 2026. A frame family "Belém" named like the Lisbon quarter (no shop there), a
sunglasses model "Nazaré" (a town without a shop), house lenses named in Portuguese, two products never sold;
stock as of 14 Jun 2026; customers with their age, lens type and district.
Not the demo generator and not another make_csv*.py: its own seed and shape.
"""

from __future__ import annotations

import csv
import random
from bisect import bisect_right
from dataclasses import dataclass
from datetime import date, timedelta
from itertools import accumulate
from pathlib import Path

from dateutil.easter import easter

SEED = 21_0310_1974  # the one seed; the day the swallow chain's first shop opened, say
FIRST_DAY = date(2024, 6, 3)
LAST_DAY = FIRST_DAY + timedelta(days=741)  # Sunday 14 June 2026
OUT = Path(__file__).parent / "andorinha"


@dataclass(frozen=True)
class Loja:
    """One shop: code, the word after the chain's name, city, district, traffic and its own calendar quirks."""

    code: str
    word: str
    traffic: float
    city: str
    cp: str
    district: str
    town_day: tuple[int, int] | None = None
    mall: bool = False
    algarve: bool = False
    since: date = FIRST_DAY
    until: date = LAST_DAY
    shut: tuple[date, date] | None = None


LOJAS = (
    Loja("AN-01", "Chiado", 1.6, "Lisboa", "1200-195", "LX", (6, 13)),
    Loja("AN-02", "Colombo", 1.8, "Lisboa", "1500-392", "LX", mall=True),
    Loja("AN-03", "Cascais", 1.0, "Cascais", "2750-310", "LX"),
    Loja("AN-04", "Santa Catarina", 1.5, "Porto", "4000-447", "PO", (6, 24)),
    Loja("AN-05", "Matosinhos", 0.9, "Matosinhos", "4450-208", "PO"),
    Loja("AN-06", "Braga", 1.1, "Braga", "4700-321", "BR", (6, 24)),
    Loja("AN-07", "Coimbra", 1.0, "Coimbra", "3000-150", "CO", (7, 4)),
    Loja("AN-08", "Guimarães", 0.6, "Guimarães", "4800-443", "BR", until=date(2026, 1, 31)),
    Loja("AN-09", "Aveiro", 0.9, "Aveiro", "3800-200", "AV"),
    Loja("AN-10", "Faro", 0.9, "Faro", "8000-138", "FA", (9, 7), algarve=True),
    Loja("AN-11", "Albufeira", 0.7, "Albufeira", "8200-269", "FA", algarve=True),
    Loja("AN-12", "Lagos", 0.6, "Lagos", "8600-315", "FA", algarve=True, shut=(date(2025, 2, 3), date(2025, 2, 23))),
    Loja("AN-13", "Setúbal", 0.8, "Setúbal", "2900-460", "SE"),
    Loja("AN-14", "Almada", 0.9, "Almada", "2800-011", "SE"),
    Loja("AN-15", "Funchal", 1.0, "Funchal", "9000-064", "MD", since=date(2025, 11, 3)),
)


@dataclass(frozen=True)
class Artigo:
    sku: str
    name: str
    category: str
    brand: str
    list_price: float
    pull: float  # relative demand; 0 = listed but never sold


ARTIGOS = (
    Artigo("AND-101", "Andorinha Belém Redonda", "frames", "Andorinha", 129.00, 1.1),
    Artigo("AND-102", "Andorinha Belém Fina", "frames", "Andorinha", 139.00, 0.8),
    Artigo("AND-103", "Andorinha Alfama", "frames", "Andorinha", 99.00, 1.2),
    Artigo("AND-104", "Mar Salgado Costa", "frames", "Mar Salgado", 85.00, 1.0),
    Artigo("AND-105", "Mar Salgado Ria", "frames", "Mar Salgado", 92.00, 0.7),
    Artigo("AND-106", "Ray-Ban RX5154 Clubmaster", "frames", "Ray-Ban", 175.00, 0.9),
    Artigo("AND-107", "Vogue VO5286", "frames", "Vogue", 110.00, 0.8),
    Artigo("AND-108", "Tom Ford FT5401", "frames", "Tom Ford", 310.00, 0.0),
    Artigo("AND-201", "Andorinha Nazaré", "sunglasses", "Andorinha", 79.00, 1.2),
    Artigo("AND-202", "Andorinha Sardinha", "sunglasses", "Andorinha", 69.00, 1.0),
    Artigo("AND-203", "Ray-Ban Wayfarer RB2140", "sunglasses", "Ray-Ban", 165.00, 1.1),
    Artigo("AND-204", "Carrera 1007/S", "sunglasses", "Carrera", 139.00, 0.8),
    Artigo("AND-205", "Polaroid PLD 2086", "sunglasses", "Polaroid", 55.00, 0.9),
    Artigo("AND-301", "Andorinha Monofocal 1.5", "lenses", "Andorinha", 49.00, 1.5),
    Artigo("AND-302", "Andorinha Progressiva Essencial", "lenses", "Andorinha", 240.00, 0.6),
    Artigo("AND-303", "Essilor Varilux Comfort Max", "lenses", "Essilor", 395.00, 0.6),
    Artigo("AND-304", "Zeiss SmartLife Individual", "lenses", "Zeiss", 350.00, 0.5),
    Artigo("AND-305", "Hoya Hilux 1.6", "lenses", "Hoya", 150.00, 0.8),
    Artigo("AND-306", "Andorinha Ocupacional Ecrã", "lenses", "Andorinha", 130.00, 0.5),
    Artigo("AND-401", "Acuvue Oasys 1-Day (30)", "contact_lenses", "Acuvue", 36.00, 1.1),
    Artigo("AND-402", "Air Optix plus HydraGlyde (6)", "contact_lenses", "Alcon", 42.00, 0.8),
    Artigo("AND-403", "Biofinity Toric (3)", "contact_lenses", "CooperVision", 48.00, 0.6),
    Artigo("AND-501", "Estojo Andorinha", "accessories", "Andorinha", 9.00, 1.0),
    Artigo("AND-502", "Toalhetes de Limpeza (30)", "accessories", "Andorinha", 4.50, 1.4),
    Artigo("AND-503", "Cordão de Cortiça", "accessories", "Andorinha", 14.00, 0.0),
    Artigo("AND-504", "Solução Única Biotrue 300 ml", "accessories", "Bausch + Lomb", 13.50, 0.8),
    Artigo("AND-601", "Exame de Visão", "services", "Andorinha", 25.00, 1.0),
    Artigo("AND-602", "Adaptação de Lentes de Contacto", "services", "Andorinha", 35.00, 0.5),
    Artigo("AND-603", "Ajuste e Reparação", "services", "Andorinha", 10.00, 0.6),
)
SHARE_OF = {"frames": 3.4, "sunglasses": 2.0, "lenses": 4.6, "contact_lenses": 2.6, "accessories": 2.4,
            "services": 2.2}
SUN_BY_MONTH = (0.45, 0.45, 0.7, 1.0, 1.5, 2.1, 2.6, 2.5, 1.3, 0.8, 0.5, 0.6)  # January .. December
MONTH_PACE = (0.9, 0.8, 1.0, 1.0, 1.05, 1.0, 1.05, 0.85, 1.15, 1.0, 1.05, 1.3)
DAY_PACE = (0.85, 0.95, 1.0, 1.0, 1.2, 1.5, 1.25)  # Monday .. Sunday (Sundays: the mall only)
ZEISS_FROM = date(2026, 3, 1)
SEMANA = (date(2025, 10, 20), date(2025, 10, 26))
BLACK_FRIDAY = date(2025, 11, 28)


def feriados(year: int) -> set[date]:
    """Portugal's national holidays that close a street shop (Easter Sunday falls on a Sunday anyway)."""
    pascoa = easter(year)
    fixed = {(1, 1), (4, 25), (5, 1), (6, 10), (8, 15), (10, 5), (11, 1), (12, 1), (12, 8), (12, 25)}
    return {date(year, m, d) for m, d in fixed} | {pascoa - timedelta(days=2), pascoa + timedelta(days=60)}


def is_open(loja: Loja, day: date, national: set[date]) -> bool:
    if day < loja.since or day > loja.until:
        return False
    if loja.shut and loja.shut[0] <= day <= loja.shut[1]:
        return False
    if loja.mall:
        return (day.month, day.day) not in {(12, 25), (1, 1)} and day != easter(day.year)
    return day.weekday() != 6 and day not in national and (day.month, day.day) != loja.town_day


def markdown(artigo: Artigo, day: date, rng: random.Random) -> float:
    """The share of the line price taken off on this day (0 for none)."""
    if artigo.category == "services":
        return 0.0
    if SEMANA[0] <= day <= SEMANA[1] and artigo.category in ("frames", "sunglasses"):
        return 0.2
    if day == BLACK_FRIDAY:
        return rng.choice((0.25, 0.3)) if rng.random() < 0.8 else 0.0
    winter = day.month in (1, 2) or (day.month, day.day) >= (12, 26)
    summer = day.month == 8 or (day.month, day.day) >= (7, 15) and day.month == 7
    if winter or summer:
        return rng.choice((0.2, 0.3, 0.5)) if rng.random() < 0.55 else 0.0
    return rng.choice((0.05, 0.1)) if rng.random() < 0.06 else 0.0


def _cumulative(day: date, algarve: bool) -> list[float]:
    sun = SUN_BY_MONTH[day.month - 1] * (1.4 if algarve else 1.0)
    return list(accumulate(SHARE_OF[a.category] * a.pull * (sun if a.category == "sunglasses" else 1.0)
                           for a in ARTIGOS))


def vendas(rng: random.Random) -> list[list[str]]:
    rows: list[list[str]] = []
    receipt = 410_000
    day = FIRST_DAY
    while day <= LAST_DAY:
        national = feriados(day.year)
        inland, coast = _cumulative(day, False), _cumulative(day, True)
        for loja in LOJAS:
            if not is_open(loja, day, national):
                continue
            expected = 1.6 * loja.traffic * MONTH_PACE[day.month - 1] * DAY_PACE[day.weekday()]
            if loja.algarve and day.month in (6, 7, 8):
                expected *= 1.35
            if day == BLACK_FRIDAY:
                expected *= 2.0
            visits = sum(rng.random() < expected / 8 for _ in range(8))
            table = coast if loja.algarve else inland
            for _ in range(visits):
                receipt += 1
                picked: dict[str, Artigo] = {}
                for _ in range(rng.choice((1, 1, 1, 1, 2, 2, 3))):
                    artigo = ARTIGOS[bisect_right(table, rng.random() * table[-1])]
                    picked.setdefault(artigo.sku, artigo)
                for artigo in picked.values():
                    qty = rng.choice((1, 2, 2, 3, 6)) if artigo.category in ("contact_lenses", "accessories") else 1
                    price = artigo.list_price
                    if artigo.brand == "Zeiss" and day >= ZEISS_FROM:
                        price = round(price * 1.05, 2)
                    off = round(qty * price * markdown(artigo, day, rng), 2)
                    rows.append([f"PT-{receipt}", day.isoformat(), loja.code, artigo.sku, str(qty), f"{price:.2f}",
                                 f"{off:.2f}"])
        day += timedelta(days=1)
    return rows


def prateleiras(rng: random.Random) -> list[list[str]]:
    rows: list[list[str]] = []
    for loja in LOJAS:
        if loja.until < LAST_DAY:
            continue  # Guimarães is closed: its shelves were cleared
        for artigo in ARTIGOS:
            if artigo.category == "services" or rng.random() < 0.08:
                continue
            minimum = rng.randint(2, 9)
            draw = rng.random()
            if draw < 0.06:
                have = 0
            elif draw < 0.12:
                have = minimum
            elif draw < 0.27:
                have = rng.randint(1, minimum - 1)
            else:
                have = minimum + rng.randint(1, 3 * minimum)
            rows.append([loja.code, artigo.sku, str(have), str(minimum), LAST_DAY.isoformat()])
    return rows


def fichas(rng: random.Random) -> list[list[str]]:
    first = ("João", "Maria", "Ana", "José", "Francisco", "Beatriz", "Rui", "Inês", "Tiago", "Margarida", "Luís")
    last = ("Silva", "Santos", "Ferreira", "Pereira", "Oliveira", "Costa", "Rodrigues", "Martins", "Sousa")
    ruas = ("Rua Augusta", "Avenida da Liberdade", "Rua do Carmo", "Travessa do Fala-Só", "Largo do Rato")
    rows: list[list[str]] = []
    weights = list(accumulate(loja.traffic for loja in LOJAS))
    for n in range(1, 481):
        loja = LOJAS[bisect_right(weights, rng.random() * weights[-1])]
        age = min(95, max(7, int(rng.triangular(8, 92, 55))))
        exam = loja.since + timedelta(days=rng.randrange((loja.until - loja.since).days + 1))
        born = date(exam.year - age, rng.randint(1, exam.month), 1)
        if age >= 45:
            lens = rng.choice(("progressive", "progressive", "reading", "bifocal", "occupational", "single_vision"))
        else:
            lens = rng.choice(("single_vision", "single_vision", "contact_lenses", "occupational"))
        sph = [f"{rng.choice((-6.0, -3.25, -1.75, -0.75, 0.0, 0.5, 1.5, 2.25)):.2f}" for _ in "ab"]
        cyl = [f"{rng.choice((0.0, 0.0, 0.0, -0.25, -1.0, -1.75)):.2f}" for _ in "ab"]
        cp = loja.cp.replace("-", "")[:5]
        rows.append([f"andc-{n:04d}", rng.choice(first), rng.choice(last), born.isoformat(),
                     f"cliente{n}@correio.example", f"+351 91{rng.randint(0, 9)} {rng.randint(100, 999)} {n:03d}",
                     f"{rng.choice(ruas)}, {rng.randint(1, 200)}", loja.city, loja.district, cp, exam.isoformat(),
                     *sph, *cyl, lens])
    return rows


def main() -> None:
    from db.importer import SPECS

    rng = random.Random(SEED)
    tables = {
        "stores": [[lj.code, f"Ópticas Andorinha {lj.word}", lj.city, lj.district] for lj in LOJAS],
        "products": [[a.sku, a.name, a.category, a.brand, f"{a.list_price:.2f}"] for a in ARTIGOS],
        "sales": vendas(rng),
        "stock": prateleiras(rng),
        "patients": fichas(rng),
    }
    OUT.mkdir(parents=True, exist_ok=True)
    for name, body in tables.items():
        with (OUT / f"{name}.csv").open("w", newline="", encoding="utf-8") as handle:
            writer = csv.writer(handle)
            writer.writerow(SPECS[name].header)
            writer.writerows(body)


if __name__ == "__main__":
    import sys

    sys.path.insert(0, str(Path(__file__).resolve().parents[3]))
    main()
