"""Write the CSV files of the answer bench's Greek tenant "elia" (Optika Elia; held-out set heldout20).

python bench/data/answers_sql/make_csv_elia.py  -> bench/data/answers_sql/elia/<table>.csv (5 tables)

Contract: the five files are a function of this script only. A single `random.Random(SEED)` is read in one fixed
order (for each calendar day, each trading shop in code order draws its tickets; then the shelves shop by shop; then
the patient cards), so running it twice gives the same bytes. Rows pass the project's CSV importer: regions under
two-letter letters, Greek five-digit postcodes written without their space ("105 63" -> 10563), the schema's
categories and lens types, each file headed by the importer's own column row (`db.importer.SPECS`).

The tenant: a Greek chain of 16 opticians ("Optika Elia", the olive tree) in eight regions under the chain's own
two-letter abbreviations (AT Attiki, KM Kentriki Makedonia, KR Kriti, DE Dytiki Ellada, TH Thessalia,
PE Peloponnisos, EP Ipeiros, NA Notio Aigaio; NA is read as text, not as a missing value). Cities are stored in
their Greek transliteration (Athina, Peiraias, Irakleio, Patra, Larisa, Rodos), not the English forms (Athens,
Piraeus, Heraklion, Patras, Larissa, Rhodes); Athina has two shops, Attiki five. Sales from Monday 2 Sep 2024 to
Sunday 14 Jun 2026 (the bench's "today" is Monday 15 Jun 2026), in euros, two decimals. Street shops close on
Sundays and on the public holidays (1 and 6 Jan, Clean Monday, 25 Mar, Orthodox Easter Monday, 1 May, Whit Monday
(Agiou Pnevmatos), 15 Aug, 28 Oct, 25 and 26 Dec); the mall shop EL-03 (The Mall Athens, Marousi) trades every day
but 25 Dec, 1 Jan and Orthodox Easter Sunday. The legal sales seasons ("ekptoseis": the second Monday of January to
the end of February, the second Monday of July to the end of August) discount most tickets. EL-07 (Serres) closed
for good after Saturday 28 Feb 2026 (no stock rows); EL-16 (Glyfada) opened on Wednesday 1 Oct 2025; EL-15 (Rodos)
is an island shop that trades from 1 April to 31 October only; EL-10 (Patra) was shut for works from 7 to 27 Jul
2025. Hoya lenses cost 6 % more from 1 Jan 2026. A frame family "Kolonaki" named like the Athens shop "Kolonaki",
sunglasses named after the Meltemi wind and Mykonos (no shop there), a house single-vision lens, two products never
sold; stock as of 14 Jun 2026; patients with their age, lens type and region.
Not the demo generator and not another make_csv*.py: its own seed and shape.
"""

from __future__ import annotations

import csv
import random
import sys
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

from dateutil.easter import EASTER_ORTHODOX, easter

OUT = Path(__file__).parent / "elia"
SEED = 20_2026_0615
OPENING, CLOSING = date(2024, 9, 2), date(2026, 6, 14)
MALL = "EL-03"
ISLAND = "EL-15"
HOYA_RISE = date(2026, 1, 1)


@dataclass(frozen=True)
class Shop:
    code: str
    street: str  # the shop's own word after the chain's name
    city: str
    region: str
    weight: float
    postcode: str
    opened: date = OPENING
    closed: date = CLOSING
    works: tuple[date, date] | None = None

    @property
    def name(self) -> str:
        return f"Optika Elia {self.street}"

    def trades(self, day: date, holidays: frozenset[date]) -> bool:
        if not self.opened <= day <= self.closed:
            return False
        if self.works and self.works[0] <= day <= self.works[1]:
            return False
        if self.code == ISLAND and not 4 <= day.month <= 10:
            return False
        if self.code == MALL:
            return (day.month, day.day) not in ((12, 25), (1, 1)) and day != easter(day.year, EASTER_ORTHODOX)
        return day.isoweekday() < 7 and day not in holidays


SHOPS = (
    Shop("EL-01", "Ermou", "Athina", "AT", 1.7, "105 63"),
    Shop("EL-02", "Kolonaki", "Athina", "AT", 1.3, "106 73"),
    Shop("EL-03", "The Mall Athens", "Marousi", "AT", 1.5, "151 24"),
    Shop("EL-04", "Peiraias", "Peiraias", "AT", 0.9, "185 35"),
    Shop("EL-05", "Tsimiski", "Thessaloniki", "KM", 1.4, "546 24"),
    Shop("EL-06", "Kalamaria", "Thessaloniki", "KM", 0.8, "551 32"),
    Shop("EL-07", "Serres", "Serres", "KM", 0.5, "621 22", closed=date(2026, 2, 28)),
    Shop("EL-08", "Irakleio", "Irakleio", "KR", 1.1, "712 02"),
    Shop("EL-09", "Chania", "Chania", "KR", 0.8, "731 32"),
    Shop("EL-10", "Patra", "Patra", "DE", 0.9, "262 21", works=(date(2025, 7, 7), date(2025, 7, 27))),
    Shop("EL-11", "Larisa", "Larisa", "TH", 0.8, "412 22"),
    Shop("EL-12", "Volos", "Volos", "TH", 0.6, "382 21"),
    Shop("EL-13", "Kalamata", "Kalamata", "PE", 0.6, "241 00"),
    Shop("EL-14", "Ioannina", "Ioannina", "EP", 0.7, "452 21"),
    Shop("EL-15", "Rodos", "Rodos", "NA", 0.9, "851 00"),
    Shop("EL-16", "Glyfada", "Glyfada", "AT", 1.0, "166 75", opened=date(2025, 10, 1)),
)


@dataclass(frozen=True)
class Item:
    sku: str
    name: str
    category: str
    brand: str
    price: float
    appeal: float  # 0: listed, never sold


CATALOGUE = (
    Item("ELA-F01", "Elia Kolonaki Classic", "frames", "Elia", 165.00, 1.2),
    Item("ELA-F02", "Elia Kolonaki Slim", "frames", "Elia", 145.00, 0.9),
    Item("ELA-F03", "Elia Plaka", "frames", "Elia", 120.00, 1.0),
    Item("ELA-F04", "Elia Santorini", "frames", "Elia", 135.00, 0.8),
    Item("ELA-F05", "Ammos Line", "frames", "Ammos", 98.00, 1.1),
    Item("ELA-F06", "Ammos Bold", "frames", "Ammos", 110.00, 0.8),
    Item("ELA-F07", "Ray-Ban Clubmaster Optics", "frames", "Ray-Ban", 189.00, 0.9),
    Item("ELA-F08", "Persol PO3092V", "frames", "Persol", 229.00, 0.6),
    Item("ELA-S01", "Elia Meltemi", "sunglasses", "Elia", 89.00, 1.2),
    Item("ELA-S02", "Elia Mykonos", "sunglasses", "Elia", 99.00, 1.0),
    Item("ELA-S03", "Ray-Ban Aviator Classic", "sunglasses", "Ray-Ban", 179.00, 1.1),
    Item("ELA-S04", "Oakley Frogskins", "sunglasses", "Oakley", 149.00, 0.7),
    Item("ELA-S05", "Polaroid PLD 6198", "sunglasses", "Polaroid", 59.00, 1.0),
    Item("ELA-S06", "Persol PO0714 Steve McQueen", "sunglasses", "Persol", 289.00, 0.0),
    Item("ELA-L01", "Hoya Nulux EP 1.6", "lenses", "Hoya", 140.00, 0.9),
    Item("ELA-L02", "Hoya MiYOSMART", "lenses", "Hoya", 260.00, 0.5),
    Item("ELA-L03", "Essilor Varilux Physio", "lenses", "Essilor", 420.00, 0.6),
    Item("ELA-L04", "Zeiss DriveSafe", "lenses", "Zeiss", 310.00, 0.5),
    Item("ELA-L05", "Elia Monoestiakos 1.5", "lenses", "Elia", 45.00, 1.5),
    Item("ELA-L06", "Elia Grafeiou", "lenses", "Elia", 160.00, 0.6),
    Item("ELA-C01", "Acuvue Oasys 1-Day 30", "contact_lenses", "Acuvue", 38.00, 1.1),
    Item("ELA-C02", "Biofinity 6", "contact_lenses", "CooperVision", 36.00, 0.9),
    Item("ELA-C03", "Dailies Total1 30", "contact_lenses", "Alcon", 45.00, 0.8),
    Item("ELA-A01", "Elia Panaki", "accessories", "Elia", 5.00, 1.3),
    Item("ELA-A02", "Elia Thiki", "accessories", "Elia", 12.00, 0.9),
    Item("ELA-A03", "Elia Thiki Dermatini", "accessories", "Elia", 29.00, 0.0),
    Item("ELA-A04", "Opti-Free Express 355 ml", "accessories", "Alcon", 14.00, 0.8),
    Item("ELA-V01", "Eye Exam", "services", "Elia", 30.00, 1.0),
    Item("ELA-V02", "Contact Lens Fitting", "services", "Elia", 40.00, 0.5),
    Item("ELA-V03", "Frame Adjustment & Repair", "services", "Elia", 15.00, 0.7),
)
FAMILY_WEIGHT = {"frames": 3.6, "sunglasses": 2.2, "lenses": 5.0, "contact_lenses": 2.8, "accessories": 2.1,
                 "services": 2.5}
SUMMER_SUN = {5: 1.6, 6: 2.2, 7: 2.6, 8: 2.4, 9: 1.3, 4: 1.0}  # sunglasses by month; other months 0.5
BUSY_MONTH = {12: 1.3, 9: 1.1, 1: 0.85, 2: 0.8, 8: 0.75}  # August: Athens empties for the islands
WEEKDAY_BUSY = (0.8, 1.0, 0.95, 1.05, 1.2, 1.55, 1.1)  # Monday .. Sunday (Sunday: the mall only)


def holidays_of(year: int) -> frozenset[date]:
    """The Greek public holidays that shut a street shop (Easter Sunday is a Sunday anyway)."""
    pascha = easter(year, EASTER_ORTHODOX)
    moving = (pascha - timedelta(days=48), pascha + timedelta(days=1), pascha + timedelta(days=50))
    fixed = ((1, 1), (1, 6), (3, 25), (5, 1), (8, 15), (10, 28), (12, 25), (12, 26))
    return frozenset({date(year, m, d) for m, d in fixed} | set(moving))


def sales_season(day: date) -> bool:
    """The legal 'ekptoseis': second Monday of January or July to the end of February or August."""
    if day.month not in (1, 2, 7, 8):
        return False
    first = date(day.year, 1 if day.month <= 2 else 7, 1)
    second_monday = first + timedelta(days=(7 - first.weekday()) % 7 + 7)
    return day >= second_monday


def price_on(item: Item, day: date) -> float:
    return round(item.price * 1.06, 2) if item.brand == "Hoya" and day >= HOYA_RISE else item.price


def ticket_lines(rng: random.Random, day: date, weights: list[float]) -> list[tuple[Item, int, float, float]]:
    """One customer's ticket: distinct items, a quantity each, the list price of the day and any discount."""
    wanted = rng.choices(CATALOGUE, weights, k=rng.choice((1, 1, 1, 2, 2, 3)))
    season = sales_season(day)
    lines = []
    for item in dict.fromkeys(wanted):
        many = item.category in ("contact_lenses", "accessories")
        qty = rng.choice((1, 1, 2, 4)) if many else 1
        unit = price_on(item, day)
        cut = 0.0
        if item.category != "services" and rng.random() < (0.65 if season else 0.08):
            cut = round(qty * unit * rng.choice((0.3, 0.4, 0.5) if season else (0.1, 0.15)), 2)
        lines.append((item, qty, unit, cut))
    return lines


def sales(rng: random.Random) -> list[list[str]]:
    out: list[list[str]] = []
    ticket = 70_000
    day = OPENING
    while day <= CLOSING:
        shut = holidays_of(day.year)
        weights = [FAMILY_WEIGHT[i.category] * i.appeal * (SUMMER_SUN.get(day.month, 0.5)
                                                           if i.category == "sunglasses" else 1.0)
                   for i in CATALOGUE]
        for shop in SHOPS:
            if not shop.trades(day, shut):
                continue
            rate = 1.4 * shop.weight * BUSY_MONTH.get(day.month, 1.0) * WEEKDAY_BUSY[day.weekday()]
            if shop.code == ISLAND:
                rate *= 1.5 if day.month in (6, 7, 8, 9) else 0.8
            count = sum(rng.random() < rate / 6 for _ in range(6))
            for _ in range(count):
                ticket += 1
                for item, qty, unit, cut in ticket_lines(rng, day, weights):
                    out.append([f"GR{ticket}", day.isoformat(), shop.code, item.sku, str(qty), f"{unit:.2f}",
                                f"{cut:.2f}"])
        day += timedelta(days=1)
    return out


def shelves(rng: random.Random) -> list[list[str]]:
    out: list[list[str]] = []
    for shop in SHOPS:
        if shop.closed < CLOSING:
            continue  # Serres is gone: nothing on its shelves
        for item in CATALOGUE:
            if item.category == "services" or rng.random() < 0.1:
                continue
            point = rng.randint(3, 8)
            roll = rng.random()
            if roll < 0.07:
                count = 0
            elif roll < 0.14:
                count = point
            elif roll < 0.3:
                count = rng.randint(1, point - 1)
            else:
                count = point + rng.randint(1, 2 * point + 4)
            out.append([shop.code, item.sku, str(count), str(point), CLOSING.isoformat()])
    return out


def cards(rng: random.Random) -> list[list[str]]:
    names = ("Giorgos", "Maria", "Eleni", "Dimitris", "Katerina", "Nikos", "Sofia", "Kostas", "Vasiliki", "Yannis")
    surnames = ("Papadopoulos", "Papadopoulou", "Georgiou", "Nikolaidis", "Oikonomou", "Vlachou", "Christodoulou")
    roads = ("Odos Ermou", "Leoforos Alexandras", "Odos Aiolou", "Plateia Eleftherias")
    out: list[list[str]] = []
    for n in range(1, 521):
        shop = rng.choices(SHOPS, [s.weight for s in SHOPS])[0]
        age = max(6, min(96, round(rng.gauss(50, 19))))
        span = (shop.closed - shop.opened).days
        seen = shop.opened + timedelta(days=rng.randrange(span + 1))
        if shop.code == ISLAND and not 4 <= seen.month <= 10:
            seen = date(seen.year, 6, seen.day if seen.day <= 28 else 28)
        born = date(seen.year - age, rng.randint(1, 12), rng.randint(1, 28))
        if (born.month, born.day) > (seen.month, seen.day):  # keep the age at the exam as drawn
            born = date(born.year, seen.month, 1)
        lens = (rng.choice(("progressive", "progressive", "reading", "bifocal", "occupational")) if age >= 45
                else rng.choice(("single_vision", "single_vision", "contact_lenses", "occupational")))
        sphere = [f"{rng.choice((-5.5, -2.75, -1.25, -0.5, 0.0, 1.0, 1.75, 3.0)):.2f}" for _ in range(2)]
        cylinder = [f"{rng.choice((0.0, 0.0, -0.5, -0.75, -1.5)):.2f}" for _ in range(2)]
        out.append([f"elp-{n:05d}", rng.choice(names), rng.choice(surnames), born.isoformat(),
                    f"pelatis{n}@tachydromeio.example", f"+30 69{rng.randint(0, 9)} {rng.randint(100, 999)} {n:04d}",
                    f"{rng.choice(roads)} {rng.randint(1, 120)}", shop.city, shop.region,
                    shop.postcode.replace(" ", ""), seen.isoformat(), *sphere, *cylinder, lens])
    return out


TABLES = (  # the order the one generator is drawn in: shops and catalogue take no draws
    ("stores", lambda rng: [[s.code, s.name, s.city, s.region] for s in SHOPS]),
    ("products", lambda rng: [[i.sku, i.name, i.category, i.brand, f"{i.price:.2f}"] for i in CATALOGUE]),
    ("sales", sales),
    ("stock", shelves),
    ("patients", cards),
)


def main() -> None:
    from db.importer import SPECS  # each file's header row is the importer's own

    rng = random.Random(SEED)
    OUT.mkdir(parents=True, exist_ok=True)
    for table, build in TABLES:
        body = build(rng)
        with (OUT / f"{table}.csv").open("w", newline="", encoding="utf-8") as handle:
            csv.writer(handle).writerows([SPECS[table].header, *body])


if __name__ == "__main__":
    sys.path.insert(0, str(Path(__file__).resolve().parents[3]))
    main()
