"""Write the CSV files of the answer bench's Indian tenant "nazar" (Nazar Opticals; held-out set heldout24).

python bench/data/answers_sql/make_csv_nazar.py  -> bench/data/answers_sql/nazar/<table>.csv (5 tables)

Contract: the output depends on this file alone. A single `random.Random(SEED)` is drawn from in one fixed order
(sale lines day by day and branch by branch, then stock branch by branch, then patient cards), so running it again
rewrites the committed files byte for byte. Every row passes the project's CSV importer: states are stored by their
two-letter ISO 3166-2:IN codes (MH Maharashtra, KA Karnataka, TN Tamil Nadu, DL Delhi, WB West Bengal, TG Telangana,
HR Haryana); a patient's `zip` holds the first five digits of the six-digit PIN code (the importer keeps five); the
categories and lens types are the schema's.

The tenant: an Indian optical chain of 14 branches. Cities are stored by their current official names ("Mumbai",
"Bengaluru", "Mysuru", "Gurugram", "Kolkata"), which people still call Bombay, Bangalore, Mysore, Gurgaon, Calcutta.
The two Delhi branches are in the city of Delhi in the state of Delhi (DL). Several branches carry the name of their
locality (Colaba, Andheri West, Koramangala, Indiranagar, T. Nagar, Connaught Place, Saket, Banjara Hills, Park
Street), two the name of their city (Nazar Mysuru, Nazar Coimbatore). The financial year runs April to March; sales
run from Monday 1 Apr 2024 to Sunday 14 Jun 2026, the day before the bench's reference day, every day of the week.
NZ-12 Park Street (Kolkata) traded for the last time on Saturday 31 Jan 2026 and keeps no stock; NZ-13 Banjara Hills
(Hyderabad) opened on Monday 18 Aug 2025. Street branches are shut on Diwali (Lakshmi Puja: 1 Nov 2024, 21 Oct 2025)
and on Holi (14 Mar 2025, 4 Mar 2026); the mall branch NZ-05 (Phoenix Marketcity, Bengaluru) trades on both. Three
sales with most lines discounted: the "Diwali Dhamaka" (the ten days before Diwali: 22-31 Oct 2024, 11-20 Oct 2025),
the "Republic Day Sale" (24-26 Jan) and the "Freedom Sale" (13-17 Aug). Amounts in rupees with two decimals. Titan
lenses cost 6 % more from the new financial year (1 Apr 2026). Local product families: "Jharokha" frames, "Jaipur"
sunglasses (a city with no branch), a spectacle case sold as "Chashma Dibba"; services "Aankh Jaanch" (the eye test)
and "Frame Repair"; two products never sold. Stock as of 14 Jun 2026; patients by age, lens type and state.
"""

from __future__ import annotations

import csv
import io
import random
import sys
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[3]))

from db.importer import SPECS  # noqa: E402  (the CSV columns are the importer's, in its order)

OUT = Path(__file__).parent / "nazar"
SEED = 24_1950_0126
START, END = date(2024, 4, 1), date(2026, 6, 14)
MALL_BRANCH = "NZ-05"
DIWALI = (date(2024, 11, 1), date(2025, 10, 21))
HOLI = (date(2025, 3, 14), date(2026, 3, 4))
NEW_PRICE_LIST = date(2026, 4, 1)


@dataclass(frozen=True)
class Branch:
    code: str
    name: str
    city: str
    state: str
    pin: str  # six-digit PIN code
    footfall: float
    first: date = START
    last: date = END

    def open_on(self, day: date) -> bool:
        if not self.first <= day <= self.last:
            return False
        return self.code == MALL_BRANCH or day not in DIWALI + HOLI


BRANCHES = [
    Branch("NZ-01", "Nazar Colaba", "Mumbai", "MH", "400005", 1.5),
    Branch("NZ-02", "Nazar Andheri West", "Mumbai", "MH", "400058", 1.3),
    Branch("NZ-03", "Nazar FC Road", "Pune", "MH", "411004", 0.9),
    Branch("NZ-04", "Nazar Koramangala", "Bengaluru", "KA", "560034", 1.4),
    Branch("NZ-05", "Nazar Phoenix Marketcity", "Bengaluru", "KA", "560048", 1.2),
    Branch("NZ-06", "Nazar Mysuru", "Mysuru", "KA", "570001", 0.6),
    Branch("NZ-07", "Nazar T. Nagar", "Chennai", "TN", "600017", 1.3),
    Branch("NZ-08", "Nazar Coimbatore", "Coimbatore", "TN", "641002", 0.7),
    Branch("NZ-09", "Nazar Connaught Place", "Delhi", "DL", "110001", 1.6),
    Branch("NZ-10", "Nazar Saket", "Delhi", "DL", "110017", 1.0),
    Branch("NZ-11", "Nazar Cyber Hub", "Gurugram", "HR", "122002", 0.9),
    Branch("NZ-12", "Nazar Park Street", "Kolkata", "WB", "700016", 0.8, last=date(2026, 1, 31)),
    Branch("NZ-13", "Nazar Banjara Hills", "Hyderabad", "TG", "500034", 1.1, first=date(2025, 8, 18)),
    Branch("NZ-14", "Nazar Indiranagar", "Bengaluru", "KA", "560038", 1.0),
]


@dataclass(frozen=True)
class Item:
    code: str  # the SKU
    label: str
    kind: str  # the category
    maker: str  # the brand
    rupees: int
    pull: float  # relative pull on a customer; 0 = listed but never sold


# sku | name | category | brand | list price in rupees | pull (0: listed, never sold)
CATALOGUE = """
    NZO-301 | Nazar Jharokha Acetate | frames | Nazar | 2490 | 1.2
    NZO-302 | Nazar Jharokha Titanium | frames | Nazar | 4990 | 0.7
    NZO-303 | Nazar Everyday Metal | frames | Nazar | 1290 | 1.4
    NZO-304 | Titan Eye+ Octane | frames | Titan | 2199 | 1.0
    NZO-305 | Fastrack FT1120 | frames | Fastrack | 1599 | 1.1
    NZO-306 | Vincent Chase VC5520 | frames | Vincent Chase | 1999 | 0.9
    NZO-307 | Ray-Ban RX5154 Clubmaster | frames | Ray-Ban | 8990 | 0.5
    NZO-308 | Nazar Jaipur Pink Aviator | sunglasses | Nazar | 1790 | 1.0
    NZO-309 | Nazar Jaipur Kids | sunglasses | Nazar | 890 | 0.6
    NZO-310 | Fastrack P357 Wayfarer | sunglasses | Fastrack | 1295 | 1.2
    NZO-311 | Ray-Ban Aviator Classic | sunglasses | Ray-Ban | 9790 | 0.7
    NZO-312 | Oakley Holbrook | sunglasses | Oakley | 11490 | 0.0
    NZO-313 | Titan Anti-Glare 1.56 | lenses | Titan | 1800 | 1.5
    NZO-314 | Titan Blu Protect 1.60 | lenses | Titan | 3200 | 1.1
    NZO-315 | Essilor Crizal Prevencia | lenses | Essilor | 6500 | 0.8
    NZO-316 | Essilor Varilux Comfort | lenses | Essilor | 18500 | 0.4
    NZO-317 | Zeiss Progressive Light | lenses | Zeiss | 15900 | 0.3
    NZO-318 | Hoya Hilux 1.50 | lenses | Hoya | 2600 | 0.9
    NZO-319 | Acuvue Moist 1-Day 30 | contact_lenses | Acuvue | 2150 | 0.9
    NZO-320 | Bausch + Lomb iConnect Monthly | contact_lenses | Bausch + Lomb | 1100 | 1.0
    NZO-321 | Aqualens 24h Monthly | contact_lenses | Aqualens | 850 | 1.2
    NZO-322 | Nazar Chashma Dibba | accessories | Nazar | 250 | 1.3
    NZO-323 | Nazar Lens Cleaning Spray | accessories | Nazar | 199 | 1.1
    NZO-324 | Nazar Silk Chain | accessories | Nazar | 349 | 0.0
    NZO-325 | Renu Multiplus 120 ml | accessories | Bausch + Lomb | 320 | 0.8
    NZO-326 | Aankh Jaanch | services | Nazar | 300 | 1.3
    NZO-327 | Frame Repair | services | Nazar | 150 | 0.5
"""
ITEMS = [Item(code, label, kind, maker, int(price), float(pull))
         for code, label, kind, maker, price, pull in
         (tuple(cell.strip() for cell in row.split("|")) for row in CATALOGUE.strip().splitlines())]
SHARE = {"frames": 3.2, "sunglasses": 2.0, "lenses": 5.5, "contact_lenses": 2.3, "accessories": 2.1, "services": 2.2}
SUMMER = {3: 1.3, 4: 1.7, 5: 1.9, 6: 1.5}  # sunglasses before the monsoon
WEEKEND_LIFT = {6: 1.35, 7: 1.55}


def sale_name(day: date) -> str | None:
    """Which of the chain's three sales runs on this day, if any."""
    for diwali in DIWALI:
        if 1 <= (diwali - day).days <= 10:
            return "diwali"
    if day.month == 1 and 24 <= day.day <= 26:
        return "republic"
    if day.month == 8 and 13 <= day.day <= 17:
        return "freedom"
    return None


# sale -> (chance a line is discounted, possible rates, lift in customers)
TERMS = {"diwali": (0.72, (0.15, 0.2, 0.25), 1.8), "republic": (0.6, (0.1, 0.2, 0.26), 1.5),
         "freedom": (0.6, (0.15, 0.2), 1.4), None: (0.07, (0.05, 0.1), 1.0)}


def unit_rupees(item: Item, day: date) -> int:
    if item.maker == "Titan" and item.kind == "lenses" and day >= NEW_PRICE_LIST:
        return round(item.rupees * 1.06)
    return item.rupees


def make_sales(rng: random.Random) -> list[list[str]]:
    rows: list[list[str]] = []
    bill = 70_000
    for offset in range((END - START).days + 1):
        day = START + timedelta(days=offset)
        mix = [SHARE[i.kind] * i.pull * (SUMMER.get(day.month, 0.6) if i.kind == "sunglasses" else 1.0)
               for i in ITEMS]
        chance, rates, lift = TERMS[sale_name(day)]
        crowd = lift * WEEKEND_LIFT.get(day.isoweekday(), 1.0)
        for branch in filter(lambda b, d=day: b.open_on(d), BRANCHES):
            mean = 0.6 * branch.footfall * crowd
            for _ in range(int(mean) + int(rng.random() < mean % 1)):
                bill += 1
                for item in dict.fromkeys(rng.choices(ITEMS, mix, k=rng.choice((1, 1, 2, 2, 3)))):
                    qty = rng.choice((1, 1, 2, 3)) if item.kind in ("contact_lenses", "accessories") else 1
                    price = unit_rupees(item, day)
                    cut = round(qty * price * rng.choice(rates)) if rng.random() < chance else 0
                    rows.append(
                        [f"INV-{bill}", str(day), branch.code, item.code, str(qty), f"{price}.00", f"{cut}.00"])
    return rows


def make_stock(rng: random.Random) -> list[list[str]]:
    rows: list[list[str]] = []
    for branch in BRANCHES:
        if branch.last < END:  # a closed branch keeps nothing on its shelves
            continue
        for item in ITEMS:
            if item.kind == "services" or rng.random() < 0.12:
                continue
            floor = rng.randint(2, 8)
            count = max(0, int(floor * rng.uniform(-0.4, 3.2) + 0.5))
            rows.append([branch.code, item.code, str(count), str(floor), END.isoformat()])
    return rows


def make_patients(rng: random.Random) -> list[list[str]]:
    first_names = ("Aarav", "Priya", "Rohan", "Ananya", "Vikram", "Lakshmi", "Arjun", "Meera", "Sanjay", "Kavya")
    surnames = ("Sharma", "Iyer", "Patel", "Reddy", "Nair", "Banerjee", "Gupta", "Kulkarni", "Singh", "Menon")
    streets = ("MG Road", "Station Road", "Nehru Nagar", "Gandhi Marg", "Temple Street")
    rows: list[list[str]] = []
    for n in range(1, 491):
        branch = rng.choices(BRANCHES, [b.footfall for b in BRANCHES])[0]
        age = min(94, max(5, round(rng.gauss(39, 18))))
        seen = branch.first + timedelta(days=rng.randint(0, (branch.last - branch.first).days))
        birthday = date(seen.year - age, rng.randint(1, 12), rng.randint(1, 28))
        if (birthday.month, birthday.day) > (seen.month, seen.day):
            birthday = date(birthday.year - 1, birthday.month, birthday.day)
        if age >= 45:
            lens = rng.choice(("progressive", "progressive", "reading", "bifocal", "single_vision"))
        else:
            lens = rng.choice(("single_vision", "single_vision", "contact_lenses", "occupational"))
        powers = [f"{rng.choice((-4.75, -2.5, -1.75, -0.75, 0.0, 0.75, 1.5, 2.75)):.2f}" for _ in range(2)]
        astig = [f"{rng.choice((0.0, 0.0, -0.25, -1.0, -1.75)):.2f}" for _ in range(2)]
        rows.append([f"NZP{n:05d}", rng.choice(first_names), rng.choice(surnames), birthday.isoformat(),
                     f"patient{n}@nazar.example", f"+91 98{rng.randint(100, 999)} {n:05d}",
                     f"{rng.randint(1, 250)}, {rng.choice(streets)}", branch.city, branch.state, branch.pin[:5],
                     seen.isoformat(), *powers, *astig, lens])
    return rows




def main() -> None:
    rng = random.Random(SEED)
    content = {"stores": [[b.code, b.name, b.city, b.state] for b in BRANCHES],
               "products": [[i.code, i.label, i.kind, i.maker, f"{i.rupees}.00"] for i in ITEMS],
               "sales": make_sales(rng), "stock": make_stock(rng), "patients": make_patients(rng)}
    OUT.mkdir(parents=True, exist_ok=True)
    for table, rows in content.items():
        buffer = io.StringIO(newline="")
        writer = csv.writer(buffer)
        writer.writerow([column.name for column in SPECS[table].columns])
        writer.writerows(rows)
        (OUT / f"{table}.csv").write_bytes(buffer.getvalue().encode("utf-8"))


if __name__ == "__main__":
    main()
