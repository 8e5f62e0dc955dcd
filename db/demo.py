"""Deterministic demo tenants (a 3-store and a 25-store optical chain), loaded through the normal import path."""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date, timedelta

from db import industry, registry
from db.importer import SPECS, dict_rows, import_rows

SALES_START = date(2025, 1, 1)
SALES_END = date(2026, 10, 31)
STOCK_AS_OF = date(2026, 10, 31)


@dataclass(frozen=True)
class DemoTenant:
    slug: str
    name: str
    stores: int
    orders_per_store_day: float
    patients: int
    price_factor: float
    sku_prefix: str
    users: tuple[tuple[str, str], ...]


DEMO_TENANTS = (
    DemoTenant("northwind", "Northwind Optics", 3, 5.0, 300, 1.00, "NW",
               (("ava.admin@northwind-optics.example", "admin"), ("noah@northwind-optics.example", "member"))),
    DemoTenant("lumen", "Lumen Eyewear Group", 25, 3.0, 700, 1.18, "LU",
               (("lena.admin@lumen-eyewear.example", "admin"), ("liam@lumen-eyewear.example", "member"))),
    # A third chain so that pooled industry figures (>= 3 tenants per cell) exist in the demo.
    DemoTenant("clearview", "Clearview Vision Centers", 8, 3.5, 400, 0.92, "CV",
               (("cora.admin@clearview-vision.example", "admin"), ("caleb@clearview-vision.example", "member"))),
)

CITIES = [("Portland", "OR"), ("Seattle", "WA"), ("Boise", "ID"), ("Denver", "CO"), ("Austin", "TX"),
          ("Phoenix", "AZ"), ("Omaha", "NE"), ("Madison", "WI"), ("Columbus", "OH"), ("Raleigh", "NC"),
          ("Richmond", "VA"), ("Albany", "NY"), ("Hartford", "CT"), ("Tampa", "FL"), ("Atlanta", "GA"),
          ("Nashville", "TN"), ("Tucson", "AZ"), ("Spokane", "WA"), ("Eugene", "OR"), ("Reno", "NV"),
          ("Salem", "OR"), ("Dallas", "TX"), ("Houston", "TX"), ("Miami", "FL"), ("Chicago", "IL"),
          ("Detroit", "MI"), ("Buffalo", "NY")]
NEIGHBOURHOODS = ["Downtown", "Riverside", "Eastgate", "Northpoint", "Westfield", "Harbor", "Old Town", "Midtown",
                  "Lakeside", "Hillcrest"]

CATALOG = [  # (category, brand, base price, names)
    ("frames", "Ray-Ban", 165, ["Wayfarer Optical", "Clubmaster Optics", "Round Metal RX", "Erika Optical"]),
    ("frames", "Oakley", 180, ["Holbrook RX", "Crosslink", "Pitchman R", "Plazma RX"]),
    ("frames", "Tom Ford", 395, ["FT5401", "FT5634-B", "FT5178", "FT5294"]),
    ("frames", "Persol", 290, ["PO3007V", "PO3092V", "PO2477V"]),
    ("frames", "Silhouette", 350, ["Momentum", "TNG Rimless", "Dynamics"]),
    ("frames", "House Brand", 89, ["Classic Acetate", "Slim Titanium", "Kids Flex", "Half Rim"]),
    ("lenses", "Essilor", 240, ["Varilux Comfort Progressive", "Eyezen Single Vision", "Crizal Sapphire AR"]),
    ("lenses", "Zeiss", 260, ["SmartLife Progressive", "DriveSafe Single Vision", "BlueGuard Coating"]),
    ("lenses", "Hoya", 210, ["iD MyStyle Progressive", "Nulux Single Vision", "Sensity Photochromic"]),
    ("lenses", "House Brand", 95, ["Single Vision CR-39", "Polycarbonate SV", "Bifocal FT-28"]),
    ("contact_lenses", "Acuvue", 65, ["Oasys 2-Week 6pk", "Moist 1-Day 30pk", "Vita Monthly 6pk"]),
    ("contact_lenses", "Alcon", 70, ["Dailies Total1 30pk", "Air Optix Aqua 6pk", "Precision1 30pk"]),
    ("contact_lenses", "Bausch + Lomb", 55, ["Ultra Monthly 6pk", "Biotrue ONEday 30pk"]),
    ("sunglasses", "Ray-Ban", 175, ["Aviator Classic", "Wayfarer Sun", "Justin"]),
    ("sunglasses", "Oakley", 190, ["Holbrook Sun", "Radar EV", "Frogskins"]),
    ("sunglasses", "Maui Jim", 260, ["Peahi", "Red Sands", "Hookipa"]),
    ("accessories", "House Brand", 12, ["Microfiber Cloth", "Hard Case", "Lens Spray 60ml", "Retainer Cord"]),
    ("services", "House Brand", 85, ["Comprehensive Eye Exam", "Contact Lens Fitting", "Frame Repair"]),
]
# Month weights: sunglasses peak in summer, frames/lenses around back-to-school and year-end benefits.
SEASON = {
    "sunglasses": [0.4, 0.5, 0.8, 1.1, 1.5, 1.9, 2.0, 1.7, 1.1, 0.7, 0.5, 0.8],
    "default": [1.1, 0.8, 0.9, 0.9, 0.9, 0.9, 1.0, 1.3, 1.2, 0.9, 1.0, 1.4],
}
FIRST = ["Maren", "Jonas", "Priya", "Diego", "Aisha", "Tomasz", "Keiko", "Liam", "Sofia", "Marcus", "Elena",
         "Omar", "Hannah", "Viktor", "Grace", "Mateo", "Ingrid", "Samuel", "Yara", "Felix"]
LAST = ["Voss", "Okafor", "Lindqvist", "Haddad", "Moreau", "Nakamura", "Castellanos", "Brennan", "Kowalski",
        "Abernathy", "Delacroix", "Mbeki", "Thornton", "Rasmussen", "Quintero", "Whitfield"]
STREETS = ["Maple Ave", "Oak Street", "Cedar Lane", "Birch Road", "Elm Street", "Pine Court", "Willow Way"]
LENS_MIX = [("single_vision", 45), ("progressive", 25), ("bifocal", 6), ("occupational", 5), ("reading", 7),
            ("contact_lenses", 12)]


def stores(t: DemoTenant, rng: random.Random) -> list[dict[str, str]]:
    out = []
    for i in range(t.stores):
        city, state = CITIES[(i * 7 + len(t.slug)) % len(CITIES)]
        hood = NEIGHBOURHOODS[(i + len(t.name)) % len(NEIGHBOURHOODS)]
        out.append({"store_code": f"{t.sku_prefix}-S{i + 1:02d}", "name": f"{t.name.split()[0]} {city} {hood}",
                    "city": city, "state": state})
    return out


def products(t: DemoTenant, rng: random.Random) -> list[dict[str, str]]:
    out = []
    n = 0
    for category, brand, base, names in CATALOG:
        for name in names:
            if t.stores < 10 and rng.random() < 0.25:
                continue  # the small chain carries a narrower range
            n += 1
            price = round(base * t.price_factor * rng.uniform(0.9, 1.15), 2)
            out.append({"sku": f"{t.sku_prefix}-{category[:3].upper()}-{n:03d}", "name": f"{brand} {name}",
                        "category": category, "brand": brand, "unit_price": f"{price:.2f}"})
    return out


def sales(t: DemoTenant, rng: random.Random, store_rows: list[dict], product_rows: list[dict]) -> list[dict]:
    out = []
    by_cat: dict[str, list[dict]] = {}
    for p in product_rows:
        by_cat.setdefault(p["category"], []).append(p)
    cat_weights = {"frames": 30, "lenses": 28, "contact_lenses": 18, "sunglasses": 10, "accessories": 8,
                   "services": 6}
    cats = [c for c in cat_weights if c in by_cat]
    weights = [cat_weights[c] for c in cats]
    order_no = 0
    day = SALES_START
    while day <= SALES_END:
        weekday_factor = 1.3 if day.weekday() == 5 else (0.4 if day.weekday() == 6 else 1.0)
        growth = 1 + 0.08 * ((day - SALES_START).days / 365)
        for s_idx, store in enumerate(store_rows):
            store_factor = 0.6 + (s_idx * 37 % 10) / 10
            mean = t.orders_per_store_day * weekday_factor * growth * store_factor
            n_orders = int(mean) + (1 if rng.random() < mean - int(mean) else 0)
            for _ in range(n_orders):
                order_no += 1
                order_id = f"{t.sku_prefix}{order_no:07d}"
                used: set[str] = set()
                for _line in range(1 if rng.random() < 0.65 else 2):
                    cat = rng.choices(cats, weights)[0]
                    season = SEASON.get(cat, SEASON["default"])[day.month - 1]
                    if rng.random() > season / 2.0:
                        cat = "frames" if cat == "sunglasses" else cat
                    p = rng.choice(by_cat[cat])
                    if p["sku"] in used:
                        continue
                    used.add(p["sku"])
                    qty = 1 if cat not in ("contact_lenses", "accessories") else rng.randint(1, 4)
                    price = float(p["unit_price"])
                    discount = round(price * qty * rng.choice([0, 0, 0, 0.1, 0.15, 0.2]), 2)
                    out.append({"order_id": order_id, "sold_at": day.isoformat(), "store_code": store["store_code"],
                                "sku": p["sku"], "quantity": str(qty), "unit_price": p["unit_price"],
                                "discount": f"{discount:.2f}"})
        day += timedelta(days=1)
    return out


def stock(t: DemoTenant, rng: random.Random, store_rows: list[dict], product_rows: list[dict]) -> list[dict]:
    out = []
    for store in store_rows:
        for p in product_rows:
            if p["category"] == "services" or rng.random() < 0.2:
                continue
            reorder = rng.randint(2, 8)
            on_hand = rng.randint(0, reorder - 1) if rng.random() < 0.12 else rng.randint(reorder, reorder * 5)
            out.append({"store_code": store["store_code"], "sku": p["sku"], "on_hand": str(on_hand),
                        "reorder_point": str(reorder), "as_of": STOCK_AS_OF.isoformat()})
    return out


def patients(t: DemoTenant, rng: random.Random) -> list[dict]:
    lens_types = [x for x, _ in LENS_MIX]
    lens_w = [w for _, w in LENS_MIX]
    restricted = ["03601", "05901", "69201", "87901"]
    out = []
    for i in range(t.patients):
        age = min(int(abs(rng.gauss(47, 20))) + 5, 99)
        if i % 97 == 0:
            age = rng.randint(90, 99)  # a few very old patients (Safe Harbor: 90+)
        exam = SALES_START + timedelta(days=rng.randint(0, (SALES_END - SALES_START).days))
        birth = date(exam.year - age, rng.randint(1, 12), rng.randint(1, 28))
        if (exam.month, exam.day) < (birth.month, birth.day):
            birth = date(birth.year - 1, birth.month, birth.day)
        first, last = rng.choice(FIRST), rng.choice(LAST)
        zip_code = restricted[i % 4] if i % 50 == 0 else f"{rng.randint(100, 999):03d}{rng.randint(0, 99):02d}"
        sphere = rng.choice([-6, -4.5, -3.25, -2.25, -1.5, -0.75, 0, 0.5, 1.25, 2.0, 3.5])
        out.append({
            "patient_id": f"{t.sku_prefix}-P{i + 1:05d}", "first_name": first, "last_name": last,
            "date_of_birth": birth.isoformat(),
            "email": f"{first.lower()}.{last.lower()}{i}@mail.example", "phone": f"(555) {rng.randint(200, 999)}-"
            f"{rng.randint(1000, 9999)}", "street": f"{rng.randint(10, 9999)} {rng.choice(STREETS)}",
            "city": rng.choice(CITIES)[0], "state": rng.choice(CITIES)[1], "zip": zip_code,
            "last_exam_date": exam.isoformat(), "sphere_od": f"{sphere:.2f}",
            "sphere_os": f"{sphere + rng.choice([-0.5, -0.25, 0, 0.25]):.2f}",
            "cylinder_od": f"{rng.choice([0, -0.25, -0.5, -0.75, -1.25]):.2f}",
            "cylinder_os": f"{rng.choice([0, -0.25, -0.5, -1.0]):.2f}",
            "lens_type": rng.choices(lens_types, lens_w)[0] if age >= 40 else rng.choice(
                ["single_vision", "single_vision", "contact_lenses"]),
        })
    return out


def load_demo(seed: int, tenants: tuple[DemoTenant, ...] = DEMO_TENANTS) -> dict[str, dict[str, int]]:
    """Create the demo tenants and their users and data. Idempotent: a re-run upserts the same rows."""
    summary: dict[str, dict[str, int]] = {}
    for t in tenants:
        rng = random.Random(f"{seed}:{t.slug}")
        tenant = registry.ensure_tenant(t.slug, t.name)
        for email, role in t.users:
            registry.add_user(email, t.slug, role)
        store_rows = stores(t, rng)
        product_rows = products(t, rng)
        counts = {}
        for table, rows in (("stores", store_rows), ("products", product_rows),
                            ("sales", sales(t, rng, store_rows, product_rows)),
                            ("stock", stock(t, rng, store_rows, product_rows)),
                            ("patients", patients(t, rng))):
            counts[table] = import_rows(table, dict_rows(rows, SPECS[table]), tenant.id, f"demo:{t.slug}:{table}").rows
        summary[t.slug] = counts
    industry.refresh()
    return summary


def is_loaded() -> bool:
    return any(t.slug == DEMO_TENANTS[0].slug for t in registry.list_tenants())
