"""The tenant's own names: the SQL tool's `Catalog` (stores, products, brands, cities, patient categories, sales
dates) read under the tenant's RLS session, and the output guard's per-tenant allow-list of names (`allow_terms`:
catalog names plus the place names of the tenant's documents from `tools.doc_places`)."""

from __future__ import annotations

import re
import time
import uuid
from dataclasses import dataclass
from datetime import date
from functools import cached_property

import sqlalchemy as sa

from db.principal import Principal
from db.session import tenant_session
from tools.tenant_cache import TenantCache

CATEGORY_LABELS = {"frames": "frames", "lenses": "lenses", "contact_lenses": "contact lenses",
                   "sunglasses": "sunglasses", "accessories": "accessories", "services": "services"}
LENS_TYPE_LABELS = {"single_vision": "single vision", "bifocal": "bifocal", "progressive": "progressive",
                    "occupational": "occupational", "reading": "reading", "contact_lenses": "contact lenses"}


@dataclass(frozen=True)
class Store:
    code: str
    name: str
    city: str
    state: str


@dataclass(frozen=True)
class Product:
    sku: str
    name: str
    category: str
    brand: str


@dataclass(frozen=True)
class Catalog:
    """The tenant's own names, read under its RLS session; the only source of slot values."""

    stores: tuple[Store, ...] = ()
    products: tuple[Product, ...] = ()
    age_bands: tuple[str, ...] = ()
    lens_types: tuple[str, ...] = ()
    patient_states: tuple[str, ...] = ()
    tenant_words: frozenset[str] = frozenset()  # the tenant's own name's words ("northwind"): never an unknown name
    sales_from: date | None = None  # first and last day with sales (to say when a period has no data)
    sales_to: date | None = None
    currency: str = ""  # the ISO 4217 code the tenant recorded (`tenants.currency`); "": derived from its states
    fiscal_year_start: str = ""  # "MM-DD" the tenant recorded (`tenants.fiscal_year_start`); "": the tool's default
    # (store code, first day, last day) with sales of each store that has any: "its last month before it closed"
    store_days: tuple[tuple[str, date, date], ...] = ()

    @property
    def brands(self) -> tuple[str, ...]:
        return tuple(sorted({p.brand for p in self.products}))

    @property
    def cities(self) -> tuple[str, ...]:
        return tuple(sorted({s.city for s in self.stores}))

    @property
    def states(self) -> tuple[str, ...]:
        return tuple(sorted({s.state for s in self.stores} | set(self.patient_states)))

    def store(self, code: str) -> Store | None:
        return next((s for s in self.stores if s.code == code), None)

    def product(self, sku: str) -> Product | None:
        return next((p for p in self.products if p.sku == sku), None)

    @cached_property
    def shared_store_words(self) -> frozenset[str]:
        """Lower-case words found in two or more store names ("optik" of "Edelweiss Optik Marktgasse" and "Edelweiss
        Optik Chur"): words of the chain's naming, never one store's own name."""
        seen: dict[str, int] = {}
        for s in self.stores:
            for w in set(s.name.lower().split()):
                seen[w] = seen.get(w, 0) + 1
        return frozenset(w for w, n in seen.items() if n >= 2)

    @cached_property
    def chain_prefix(self) -> tuple[str, ...]:
        """Leading words shared by every store name ("Northwind"), when there are at least two stores."""
        if len(self.stores) < 2:
            return ()
        names = [s.name.lower().split() for s in self.stores]
        prefix: list[str] = []
        for words in zip(*names, strict=False):
            if len(set(words)) != 1:
                break
            prefix.append(words[0])
        return tuple(prefix)



def load_catalog(principal: Principal) -> Catalog:
    """Read the tenant's stores, products and patient categories under its own RLS session (reader role), and the
    currency and financial year it recorded (its own `tenants` row, app role)."""
    with tenant_session(principal.tenant_id, readonly=True) as conn:
        stores = conn.execute(sa.text("SELECT store_code, name, city, state FROM stores ORDER BY store_code")).all()
        products = conn.execute(sa.text("SELECT sku, name, category, brand FROM products ORDER BY sku")).all()
        bands = conn.execute(sa.text("SELECT DISTINCT age_band FROM patients ORDER BY 1")).scalars().all()
        lens = conn.execute(sa.text("SELECT DISTINCT lens_type FROM patients ORDER BY 1")).scalars().all()
        states = conn.execute(sa.text("SELECT DISTINCT state FROM patients ORDER BY 1")).scalars().all()
        first_sale, last_sale = conn.execute(sa.text("SELECT min(sold_at), max(sold_at) FROM sales")).one()
        store_days = conn.execute(sa.text("SELECT store_code, min(sold_at), max(sold_at) FROM sales "
                                          "GROUP BY store_code ORDER BY store_code")).all()
    with tenant_session(principal.tenant_id) as conn:  # the reader role has no access to tenants: its own row (RLS)
        own = conn.execute(sa.text("SELECT name, currency, fiscal_year_start FROM tenants")).first()
    currency = own.currency if own is not None else None
    fiscal_year_start = own.fiscal_year_start if own is not None else None
    # the tenant's own words: its slug's and its display name's ("Edelweiss Optik"): never an unknown name
    names = f"{principal.tenant_slug} {own.name if own is not None else ''}".lower()
    words = frozenset(w for w in re.split(r"[^\w]+", names) if len(w) > 2)
    return Catalog(
        stores=tuple(Store(r.store_code, r.name, r.city, r.state) for r in stores),
        products=tuple(Product(r.sku, r.name, r.category, r.brand) for r in products),
        age_bands=tuple(bands), lens_types=tuple(lens), patient_states=tuple(states), tenant_words=words,
        sales_from=first_sale, sales_to=last_sale, currency=currency or "", fiscal_year_start=fiscal_year_start or "",
        store_days=tuple((r[0], r[1], r[2]) for r in store_days),
    )


TTL_S = 300.0
_cache: TenantCache[float, tuple[str, ...]] = TenantCache()


MAX_TERM_CHARS = 60
MAX_TERM_WORDS = 6
_NOT_A_NAME = re.compile(r"[@<>]|https?:|www\.|\d{5,}|(?:\d[\s().+-]*){7,}")


def is_name_like(term: str) -> bool:
    """A short catalog name, not free text: at most 6 words and 60 characters, no e-mail, URL or long digit run
    (phone, account or card number). Anything else is never allow-listed, so the redactor still sees it."""
    text = term.strip()
    return (0 < len(text) <= MAX_TERM_CHARS and len(text.split()) <= MAX_TERM_WORDS
            and not _NOT_A_NAME.search(text))


def allow_terms(tenant_id: uuid.UUID, *, contacts: bool = True, documents: bool = True) -> tuple[str, ...]:
    """Names from the tenant's catalog (brands, products, stores, cities), the tenant's own name, the place and
    branch names its own documents use as places, the other names they publish as the business's (products, events,
    agencies, vans, venues, staff named in a business role: `safety.business_names`), and the contact points (phone
    numbers, e-mail and street addresses) its documents publish as the business's (`tools.doc_places`), that must
    never be redacted as PII. Catalog names
    are cached for a few minutes; document terms until the tenant's documents change. Free text (document titles,
    any name `is_name_like` rejects) is never included; a contact point is one exact value the detector found in a
    line that speaks for the business and names no person (`safety.business_contacts`); ``contacts=False`` leaves
    them out (document titles, redacted at ingest, keep every number). A place named like a person ("Brandon") comes
    as ``safety.allowlist.in_place_context(name)``: the guard allows it only where the answer puts it in a place
    context. ``documents=False`` gives the catalog names and the tenant's own name alone (titles at ingest add the
    names of the documents as they will be once the upload is stored: ``tools.doc_places.upload_terms``)."""
    from tools.doc_places import doc_contact_terms, doc_place_terms

    if not documents:
        return _catalog_terms(tenant_id)
    places = tuple(t for t in doc_place_terms(tenant_id) if is_name_like(t))
    contact_points = doc_contact_terms(tenant_id) if contacts else ()
    return tuple(sorted({*_catalog_terms(tenant_id), *places, *contact_points}))


def _catalog_terms(tenant_id: uuid.UUID) -> tuple[str, ...]:
    now = time.monotonic()
    hit = _cache.get(tenant_id, lambda stamp: now - stamp < TTL_S)
    if hit is not None:
        return hit
    with tenant_session(tenant_id) as conn:
        # Catalog names only: never free text such as document titles (a heading can hold a name or a phone).
        rows = conn.execute(sa.text(
            "SELECT brand FROM products UNION SELECT name FROM products UNION SELECT name FROM stores "
            "UNION SELECT city FROM stores")).scalars().all()
        # The tenant's own name and its words ("Northwind Optics", "Northwind"): never a person (RLS: its own row).
        own = conn.execute(sa.text("SELECT name FROM tenants")).scalars().all()
    own_words = [w for name in own for w in re.split(r"[^\w&'-]+", name) if len(w) > 3]
    terms = tuple(sorted({r.strip() for r in [*rows, *own, *own_words] if r and is_name_like(r)}))
    _cache.put(tenant_id, now, terms)
    return terms


def forget(tenant_id: uuid.UUID | None = None) -> None:
    """Drop the cached catalog names of one tenant, or of all."""
    _cache.forget(tenant_id)
