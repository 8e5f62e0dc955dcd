"""Write the CSV files of the answer bench's Moroccan tenant "zellige" (Optique Zellige; held-out set heldout19).

python bench/data/answers_sql/make_csv_zellige.py  -> bench/data/answers_sql/zellige/<table>.csv (5 tables)

Contract: the files depend on this script alone. One `random.Random(SEED)` is consumed in a fixed order (the sales
calendar day after day, each open shop in code order; then shelf counts shop by shop; then patient cards), so a
second run rewrites the committed files byte for byte. Every row passes the project's CSV importer: regions as
two-letter letters, five-digit Moroccan postcodes, the schema's categories and lens types; each file's header is
the importer's own (`db.importer.SPECS`).

The tenant: a Moroccan chain of 16 "opticiens" in eight of the kingdom's regions, stored under the chain's own
two-letter abbreviations (CS Casablanca-Settat, RK Rabat-Salé-Kénitra, TT Tanger-Tétouan-Al Hoceïma, FM Fès-Meknès,
MS Marrakech-Safi, SM Souss-Massa, OR Oriental, BK Béni Mellal-Khénifra; OR and MS are also US states' codes).
Casablanca and Rabat have two shops each; cities with accents (Salé, Kénitra, Tétouan, Fès, Meknès, Béni Mellal).
Sales from Monday 1 Jul 2024 to Sunday 14 Jun 2026 (the bench's "today" is Monday 15 Jun 2026), in dirhams (MAD),
two decimals. Street shops close on Sundays; the two mall shops (ZL-02 Morocco Mall, ZL-13 Menara Mall) trade
every day. Public holidays shut the street shops: the fixed ones (1, 11 and 14 Jan (Yennayer), 1 May, 30 Jul (Fête
du Trône), 14, 20 and 21 Aug, 6 and 18 Nov) and the Islamic ones as observed in these files (1 Muharram 8 Jul 2024
and 27 Jun 2025; Mawlid 16-17 Sep 2024 and 5-6 Sep 2025; Aïd el-Fitr 31 Mar-1 Apr 2025 and 20-21 Mar 2026; Aïd
el-Kébir 7-8 Jun 2025 and 27-28 May 2026); on the first day of each Aïd the malls close too. Ramadan (1-30 Mar 2025,
19 Feb-19 Mar 2026) is slow but for its last week, when frames and sunglasses sell for the Aïd. The summer "soldes"
(1-14 July) discount most lines. ZL-12 (Meknès) closed for good after Saturday 31 Jan 2026 (no stock rows); ZL-15
(Oujda) opened on Monday 6 Oct 2025; ZL-14 (Agadir) was shut for works from 4 to 24 Aug 2025. Essilor lenses cost
4 % more from 1 Mar 2026. A frame family "Agdal" named like the Rabat shop "Agdal", sunglasses named after the
Chergui wind and Essaouira, a house single-vision lens, two products never sold; stock as of 14 Jun 2026; patients
with their age, lens type and region. Not the demo generator and not another make_csv*.py: its own seed and shape.
"""

from __future__ import annotations

import csv
import random
import sys
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

OUT = Path(__file__).parent / "zellige"
SEED = 19_0615_2026
FIRST_DAY, LAST_DAY = date(2024, 7, 1), date(2026, 6, 14)
MALLS = frozenset({"ZL-02", "ZL-13"})
ESSILOR_FROM, ESSILOR_RISE = date(2026, 3, 1), 1.04


# code | shop (after "Optique Zellige") | city | region | postcode | traffic
SHOP_TABLE = """
ZL-01 | Maârif | Casablanca | CS | 20330 | 1.5
ZL-02 | Morocco Mall | Casablanca | CS | 20180 | 1.7
ZL-03 | Mohammedia | Mohammedia | CS | 28810 | 0.7
ZL-04 | El Jadida | El Jadida | CS | 24000 | 0.6
ZL-05 | Agdal | Rabat | RK | 10080 | 1.3
ZL-06 | Hassan | Rabat | RK | 10020 | 0.9
ZL-07 | Salé | Salé | RK | 11000 | 0.8
ZL-08 | Kénitra | Kénitra | RK | 14000 | 0.7
ZL-09 | Boulevard Pasteur | Tanger | TT | 90000 | 1.1
ZL-10 | Tétouan | Tétouan | TT | 93000 | 0.6
ZL-11 | Ville Nouvelle | Fès | FM | 30050 | 1.0
ZL-12 | Meknès | Meknès | FM | 50000 | 0.6
ZL-13 | Menara Mall | Marrakech | MS | 40000 | 1.4
ZL-14 | Agadir | Agadir | SM | 80000 | 0.9
ZL-15 | Oujda | Oujda | OR | 60000 | 0.7
ZL-16 | Béni Mellal | Béni Mellal | BK | 23000 | 0.5
"""
# the shops' own calendars: (first day of trade, last day of trade, a closure for works)
QUIRKS = {"ZL-12": (FIRST_DAY, date(2026, 1, 31), None), "ZL-15": (date(2025, 10, 6), LAST_DAY, None),
          "ZL-14": (FIRST_DAY, LAST_DAY, (date(2025, 8, 4), date(2025, 8, 24)))}


@dataclass(frozen=True)
class Shop:
    code: str
    name: str
    city: str
    region: str
    postcode: str
    traffic: float
    span: tuple[date, date, tuple[date, date] | None]

    @property
    def last_sale(self) -> date:
        return self.span[1]

    def trades(self, day: date, shut: set[date], eid_first: set[date]) -> bool:
        first, last, works = self.span
        if not first <= day <= last or (works is not None and works[0] <= day <= works[1]):
            return False
        if self.code in MALLS:
            return day not in eid_first
        return day.isoweekday() != 7 and day not in shut


def _shop(line: str) -> Shop:
    code, place, city, region, postcode, traffic = (part.strip() for part in line.split("|"))
    return Shop(code, f"Optique Zellige {place}", city, region, postcode, float(traffic),
                QUIRKS.get(code, (FIRST_DAY, LAST_DAY, None)))


SHOPS = tuple(_shop(line) for line in SHOP_TABLE.strip().splitlines())

# sku -> (name, category, brand, list price in dirhams, popularity); popularity 0: listed, never sold
CATALOGUE = {
    "ZLG-F01": ("Zellige Agdal Classic", "frames", "Zellige", 690.00, 1.2),
    "ZLG-F02": ("Zellige Agdal Junior", "frames", "Zellige", 490.00, 0.9),
    "ZLG-F03": ("Zellige Fassi", "frames", "Zellige", 790.00, 0.8),
    "ZLG-F04": ("Zellige Atlas Titane", "frames", "Zellige", 1190.00, 0.6),
    "ZLG-F05": ("Ray-Ban Clubmaster Optics", "frames", "Ray-Ban", 1650.00, 0.8),
    "ZLG-F06": ("Vogue VO5239", "frames", "Vogue", 1090.00, 0.9),
    "ZLG-F07": ("Tom Ford FT5401", "frames", "Tom Ford", 2890.00, 0.0),
    "ZLG-S01": ("Zellige Chergui", "sunglasses", "Zellige", 450.00, 1.0),
    "ZLG-S02": ("Zellige Essaouira", "sunglasses", "Zellige", 520.00, 0.9),
    "ZLG-S03": ("Ray-Ban Aviator Classic", "sunglasses", "Ray-Ban", 1790.00, 1.2),
    "ZLG-S04": ("Persol PO3019S", "sunglasses", "Persol", 2150.00, 0.5),
    "ZLG-S05": ("Polaroid PLD 6198", "sunglasses", "Polaroid", 590.00, 1.1),
    "ZLG-S06": ("Oakley Frogskins", "sunglasses", "Oakley", 1490.00, 0.0),
    "ZLG-V01": ("Essilor Varilux Comfort", "lenses", "Essilor", 2400.00, 0.7),
    "ZLG-V02": ("Essilor Crizal Sapphire", "lenses", "Essilor", 1350.00, 0.9),
    "ZLG-V03": ("Hoya Hilux 1.6", "lenses", "Hoya", 980.00, 0.8),
    "ZLG-V04": ("Zeiss Progressive Light", "lenses", "Zeiss", 2900.00, 0.4),
    "ZLG-V05": ("Nikon SeeCoat Blue", "lenses", "Nikon", 1150.00, 0.6),
    "ZLG-V06": ("Verre Unifocal Zellige 1.5", "lenses", "Zellige", 350.00, 1.5),
    "ZLG-L01": ("Acuvue Oasys 1-Day 30", "contact_lenses", "Acuvue", 320.00, 1.0),
    "ZLG-L02": ("Air Optix Aqua 6", "contact_lenses", "Alcon", 290.00, 0.9),
    "ZLG-L03": ("Biofinity 3", "contact_lenses", "CooperVision", 260.00, 0.7),
    "ZLG-A01": ("Chiffonnette Zellige", "accessories", "Zellige", 25.00, 1.3),
    "ZLG-A02": ("Étui Rigide Zellige", "accessories", "Zellige", 60.00, 1.0),
    "ZLG-A03": ("Renu MultiPlus 360 ml", "accessories", "Bausch + Lomb", 95.00, 0.8),
    "ZLG-A04": ("Cordon Perlé", "accessories", "Zellige", 45.00, 0.5),
    "ZLG-P01": ("Examen de Vue", "services", "Zellige", 150.00, 1.0),
    "ZLG-P02": ("Adaptation Lentilles", "services", "Zellige", 250.00, 0.5),
    "ZLG-P03": ("Réparation Monture", "services", "Zellige", 80.00, 0.6),
}
FAMILY_WEIGHT = {"frames": 4.2, "sunglasses": 2.2, "lenses": 5.0, "contact_lenses": 2.6, "accessories": 2.1,
                 "services": 2.8}
SUNNY_MONTHS = {3: 0.8, 4: 1.2, 5: 1.6, 6: 2.2, 7: 2.6, 8: 2.4, 9: 1.3, 10: 0.8}
SEASON = {9: 1.25, 7: 1.1, 8: 1.05, 12: 1.1, 2: 0.9}  # la rentrée scolaire in September
WEEKDAY_WEIGHT = (0.9, 1.0, 1.0, 1.05, 0.85, 1.45, 1.2)  # Monday .. Sunday (Friday prayer slows the afternoon)
RAMADAN = ((date(2025, 3, 1), date(2025, 3, 30)), (date(2026, 2, 19), date(2026, 3, 19)))
EID_FIRST = {date(2025, 3, 31), date(2026, 3, 20), date(2025, 6, 7), date(2026, 5, 27)}
RELIGIOUS = EID_FIRST | {date(2025, 4, 1), date(2026, 3, 21), date(2025, 6, 8), date(2026, 5, 28), date(2024, 7, 8),
                         date(2025, 6, 27), date(2024, 9, 16), date(2024, 9, 17), date(2025, 9, 5), date(2025, 9, 6)}
FIXED = ((1, 1), (1, 11), (1, 14), (5, 1), (7, 30), (8, 14), (8, 20), (8, 21), (11, 6), (11, 18))


def holidays() -> set[date]:
    years = range(FIRST_DAY.year, LAST_DAY.year + 1)
    return {date(y, m, d) for y in years for m, d in FIXED} | RELIGIOUS


def ramadan_factor(day: date, family: str) -> float:
    for start, end in RAMADAN:
        if start <= day <= end:
            last_week = (end - day).days < 7
            return 1.35 if last_week and family in ("frames", "sunglasses") else (1.0 if last_week else 0.75)
    return 1.0


def in_soldes(day: date) -> bool:
    return day.month == 7 and day.day <= 14


def price_on(sku: str, day: date) -> float:
    _name, _family, brand, price, _pop = CATALOGUE[sku]
    return round(price * ESSILOR_RISE, 2) if brand == "Essilor" and day >= ESSILOR_FROM else price


def quantity(rng: random.Random, family: str) -> int:
    if family == "contact_lenses":
        return rng.choice((1, 2, 2, 4))
    if family == "accessories":
        return rng.choice((1, 1, 1, 2, 3))
    return 1


def rebate(rng: random.Random, amount: float, day: date) -> float:
    if in_soldes(day):
        return round(amount * rng.choice((0.2, 0.3, 0.4)), 2) if rng.random() < 0.75 else 0.0
    return round(amount * rng.choice((0.05, 0.1)), 2) if rng.random() < 0.08 else 0.0


def sales(rng: random.Random) -> list[list[str]]:
    shut = holidays()
    skus = list(CATALOGUE)
    out: list[list[str]] = []
    ticket = 190_000
    for offset in range((LAST_DAY - FIRST_DAY).days + 1):
        day = FIRST_DAY + timedelta(days=offset)
        weights = [FAMILY_WEIGHT[fam] * pop * ramadan_factor(day, fam)
                   * (SUNNY_MONTHS.get(day.month, 0.5) if fam == "sunglasses" else 1.0)
                   for _n, fam, _b, _p, pop in CATALOGUE.values()]
        for shop in SHOPS:
            if not shop.trades(day, shut, EID_FIRST):
                continue
            busy = shop.traffic * SEASON.get(day.month, 1.0) * WEEKDAY_WEIGHT[day.weekday()]
            tickets = sum(rng.random() < 0.16 * busy for _ in range(5))
            for _ in range(tickets):
                ticket += 1
                chosen = sorted(set(rng.choices(skus, weights, k=rng.choice((1, 1, 1, 2, 2, 3)))), key=skus.index)
                for sku in chosen:
                    qty, unit = quantity(rng, CATALOGUE[sku][1]), price_on(sku, day)
                    off = rebate(rng, qty * unit, day)
                    out.append([f"MA{ticket}", day.isoformat(), shop.code, sku, str(qty), f"{unit:.2f}",
                                f"{off:.2f}"])
    return out


# a shelf's count as a multiple of its reorder level: empty, at the level, under it, or comfortably over it
FILL = (0.0, 1.0, 1.0, 0.5, 0.7, 1.6, 2.0, 2.5, 3.0, 3.0, 3.5, 4.0, 0.0, 1.8)


def shelves(rng: random.Random) -> list[list[str]]:
    out: list[list[str]] = []
    trading = [s for s in SHOPS if s.last_sale == LAST_DAY]  # Meknès is closed: its stock went back to the warehouse
    for shop in trading:
        kept = [sku for sku, item in CATALOGUE.items() if item[1] != "services" and rng.random() >= 0.1]
        for sku in kept:
            level = rng.randint(3, 8)
            count = int(level * rng.choice(FILL))
            out.append([shop.code, sku, str(count), str(level), LAST_DAY.isoformat()])
    return out


FIRST_NAMES = ("Youssef", "Fatima Zahra", "Mohamed", "Khadija", "Amine", "Salma", "Hamza", "Imane", "Omar", "Nadia",
               "Mehdi", "Aïcha")
LAST_NAMES = ("El Amrani", "Benjelloun", "Alaoui", "Berrada", "Tazi", "Chraibi", "Bennani", "El Idrissi", "Ouazzani")
STREETS = ("Rue Ibn Batouta", "Avenue Mohammed V", "Boulevard Zerktouni", "Rue Allal Ben Abdellah",
           "Derb Sidi Bouloukat")


LENS_BY_AGE = ((17, ("single_vision", "single_vision", "contact_lenses")),
               (42, ("single_vision", "contact_lenses", "occupational", "single_vision")),
               (200, ("progressive", "reading", "bifocal", "progressive", "occupational")))


def quarter_diopters(rng: random.Random, spread: float, low: float, high: float) -> str:
    """A prescription value rounded to the quarter diopter, inside [low, high]."""
    return f"{min(high, max(low, round(rng.gauss(0, spread) * 4) / 4)):.2f}"


def patients(rng: random.Random) -> list[list[str]]:
    shut = holidays()
    open_days = {s.code: [FIRST_DAY + timedelta(days=i) for i in range((LAST_DAY - FIRST_DAY).days + 1)
                          if s.trades(FIRST_DAY + timedelta(days=i), shut, EID_FIRST)] for s in SHOPS}
    out: list[list[str]] = []
    for n in range(1, 541):
        shop = rng.choices(SHOPS, [s.traffic for s in SHOPS])[0]
        seen = rng.choice(open_days[shop.code])  # the last exam fell on a day the shop was open
        years = 5 + int(rng.betavariate(2.2, 2.6) * 88)
        born = seen - timedelta(days=round(years * 365.25) + rng.randint(1, 360))
        lens = rng.choice(next(kinds for limit, kinds in LENS_BY_AGE if years <= limit))
        sph = [quarter_diopters(rng, 2.4, -9.0, 6.0), quarter_diopters(rng, 2.4, -9.0, 6.0)]
        cyl = [quarter_diopters(rng, 0.8, -3.0, 0.0) if rng.random() < 0.6 else "0.00" for _ in "od"]
        phone = f"+212 6{rng.randint(10, 99)}-{rng.randint(100000, 999999)}"
        address = f"{rng.choice(STREETS)}, n° {rng.randint(1, 220)}"
        out.append([f"zlp-{n:05d}", rng.choice(FIRST_NAMES), rng.choice(LAST_NAMES), born.isoformat(),
                    f"client{n}@courrier.example", phone, address, shop.city, shop.region, shop.postcode,
                    seen.isoformat(), *sph, *cyl, lens])
    return out


def main() -> None:
    sys.path.insert(0, str(Path(__file__).resolve().parents[3]))
    from db.importer import SPECS  # the header row of each table is the importer's own

    rng = random.Random(SEED)
    tables = {
        "stores": [[s.code, s.name, s.city, s.region] for s in SHOPS],
        "products": [[sku, n, fam, brand, f"{price:.2f}"] for sku, (n, fam, brand, price, _p) in CATALOGUE.items()],
    }
    tables["sales"] = sales(rng)
    tables["stock"] = shelves(rng)
    tables["patients"] = patients(rng)
    OUT.mkdir(parents=True, exist_ok=True)
    for table, rows in tables.items():
        with open(OUT / f"{table}.csv", "w", newline="", encoding="utf-8") as handle:
            writer = csv.writer(handle)
            writer.writerow(SPECS[table].header)
            writer.writerows(rows)


if __name__ == "__main__":
    main()
