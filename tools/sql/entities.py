"""Catalog names in a question: stores, products, brands, cities, states, categories, lens types, age bands.

`extract()` finds every name of the tenant's catalog (tools/catalog.py `Catalog`, read under the tenant's RLS session)
in a question, longest alias first ("Ray-Ban Wayfarer Optical" is a product, not the brand), plus its time phrases
(tools/dates.py) and "top N". Values are catalog keys (store codes, SKUs, brand names), never free text. Names that
look like a store, code, city or product but are not in the catalog come back as `Unresolved`, so the tool refuses
instead of answering for something else (or for another tenant's store). States, provinces, counties... are matched
by their stored value, their ISO 3166-2 name ("Ontario" for a stored "ON") or code ("NSW" for a stored "New South
Wales") through `tools.sql.regions`; a name or code that fits two stored places comes back as `Unresolved` of kind
"ambiguous_state" (asked about, never guessed); a name of both a city and a state is asked about only when the two
readings select different stores (the same stores: read one way, and `Extraction.readings` lets the answer say so).
Region nouns around one region's name are part of the name ("the Biobío Region", "Región de Los Lagos").
`correct_typos()` fixes misspelled words against the catalog, the tenant's place names and the domain vocabulary
(difflib similarity) before matching.
"""

from __future__ import annotations

import difflib
import re
import threading
import unicodedata
from collections.abc import Collection, Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from functools import lru_cache

from safety.gazetteer import known_places
from safety.text_fold import STROKED, strip_accents
from tools.catalog import Catalog, Product
from tools.dates import MONTHS, Period, parse_periods
from tools.english import english_words
from tools.sql.foreign import phrase_words
from tools.sql.informal_regions import ALSO_STATE, CASED, city_nicknames, no_store_regions, town_regions
from tools.sql.places import ADMIN_PREFIX, city_aliases
from tools.sql.regions import (
    REGION_NOUNS,
    RegionIndex,
    catalog_regions,
    fold,
    is_city_kind_subdivision_name,
    is_lower_subdivision_name,
)

MAX_TOP_N = 100

CATEGORY_WORDS: dict[str, tuple[str, ...]] = {
    "frames": ("frame", "frames", "eyeglass frames", "glasses frames", "spectacle frames", "optical frames"),
    "lenses": ("lens", "lenses", "spectacle lenses", "eyeglass lenses", "glasses lenses", "rx lenses"),
    "contact_lenses": ("contact lens", "contact lenses", "contacts", "contact-lenses", "contact_lenses", "soft lens",
                       "soft lenses", "softlens", "softlenses", "soft contacts", "soft contact lenses"),
    "sunglasses": ("sunglass", "sunglasses", "sunnies", "shades", "sun glasses"),
    "accessories": ("accessory", "accessories"),
    "services": ("service", "services"),
}
# The categories as the chains' staff name them in their own languages (Spanish, Portuguese, Italian, French, German,
# Dutch, Polish, Indonesian, Vietnamese, Swedish, Turkish, Czech, Slovak, Danish, Norwegian, Finnish, Romanian,
# Hungarian): "lentes de sol" is the sunglasses category, never the product words "lentes"
# and "sol".
# Read as the category only where no product name of the tenant holds the phrase (a "Lentes de Sol Kids" model stays
# a product name).
FOREIGN_CATEGORY_WORDS: dict[str, tuple[str, ...]] = {
    "sunglasses": ("lentes de sol", "gafas de sol", "anteojos de sol", "óculos de sol", "oculos de sol",
                   "occhiali da sole", "lunettes de soleil", "sonnenbrille", "sonnenbrillen", "zonnebril",
                   "zonnebrillen",
                   "okulary przeciwsłoneczne", "okulary przeciwsloneczne", "kacamata hitam", "kính râm", "kính mát",
                   "solglasögon", "güneş gözlüğü", "güneş gözlükleri", "sluneční brýle", "slunečních brýlí",
                   "slnečné okuliare", "slnečných okuliarov", "solbriller", "aurinkolasit", "aurinkolaseja",
                   "ochelari de soare", "napszemüveg", "napszemüveget", "napszemüvegek", "napszemüvegből"),
    "contact_lenses": ("lentes de contacto", "lentes de contato", "lentillas", "lenti a contatto",
                       "lentilles de contact", "lentilles", "kontaktlinsen", "contactlenzen", "soczewki kontaktowe",
                       "lensa kontak", "kính áp tròng", "kontaktlinser", "kontakt lens", "kontakt lensler",
                       "kontaktní čočky", "kontaktních čoček", "kontaktné šošovky", "kontaktných šošoviek",
                       "piilolinssit", "piilolinssejä", "lentile de contact", "kontaktlencse", "kontaktlencsét",
                       "kontaktlencsék", "kontaktlencséből"),
    "frames": ("armazones", "monturas", "armações", "armacoes", "montature", "montures", "brillengestelle",
               "brillenfassungen", "fassungen", "monturen", "oprawki", "bingkai kacamata", "gọng kính",
               "glasögonbågar", "gözlük çerçevesi", "gözlük çerçeveleri", "brýlové obruby", "okuliarové rámy",
               "brillestel", "brilleinnfatninger", "silmälasikehykset", "rame de ochelari", "szemüvegkeret",
               "szemüvegkeretek", "szemüvegkeretet"),
    "lenses": ("lentes oftálmicos", "lentes oftalmicos", "lentes graduados", "cristales", "cristales ópticos", "micas",
               "lenti oftalmiche", "verres correcteurs",
               "verres",
               "brillengläser", "brillenglaeser", "brillenglazen", "soczewki okularowe", "lensa kacamata",
               "tròng kính", "glasögonglas", "gözlük camı", "gözlük camları", "brýlové čočky", "okuliarové šošovky",
               "brilleglas", "brilleglass", "silmälasilinssit", "lentile de ochelari", "szemüveglencse",
               "szemüveglencsék"),
}
LENS_TYPE_WORDS: dict[str, tuple[str, ...]] = {
    "progressive": ("progressive", "progressives", "progressive lenses", "varifocal", "varifocals", "multifocal",
                    "multifocals"),
    "bifocal": ("bifocal", "bifocals", "bifocal lenses"),
    "single_vision": ("single vision", "single-vision", "single_vision", "single vision lenses"),
    "occupational": ("occupational", "occupational lenses", "computer glasses", "office lenses"),
    "reading": ("reading", "reading glasses", "readers"),
    "contact_lenses": ("contact lens", "contact lenses", "contacts", "contact_lenses", "soft lens", "soft lenses",
                       "softlens", "softlenses", "soft contacts", "soft contact lenses"),
}
US_STATES = {
    "alabama": "AL", "alaska": "AK", "arizona": "AZ", "arkansas": "AR", "california": "CA", "colorado": "CO",
    "connecticut": "CT", "delaware": "DE", "florida": "FL", "georgia": "GA", "hawaii": "HI", "idaho": "ID",
    "illinois": "IL", "indiana": "IN", "iowa": "IA", "kansas": "KS", "kentucky": "KY", "louisiana": "LA",
    "maine": "ME", "maryland": "MD", "massachusetts": "MA", "michigan": "MI", "minnesota": "MN",
    "mississippi": "MS", "missouri": "MO", "montana": "MT", "nebraska": "NE", "nevada": "NV",
    "new hampshire": "NH", "new jersey": "NJ", "new mexico": "NM", "new york state": "NY", "north carolina": "NC",
    "north dakota": "ND", "ohio": "OH", "oklahoma": "OK", "oregon": "OR", "pennsylvania": "PA",
    "rhode island": "RI", "south carolina": "SC", "south dakota": "SD", "tennessee": "TN", "texas": "TX",
    "utah": "UT", "vermont": "VT", "virginia": "VA", "washington state": "WA", "west virginia": "WV",
    "wisconsin": "WI", "wyoming": "WY", "district of columbia": "DC",
}  # fmt: skip
# Words that never count as a product keyword or as an unknown name.
# words of product names that are everyday words on their own ("our single biggest day", "a double order"): they
# name products only in their phrase ("single vision")
_PHRASE_ONLY = frozenset(("single", "double", "twin", "classic", "original", "plus", "max", "ultra", "premium",
                          "standard", "basic", "day", "night", "one",
                          # the nouns a product is called by ("the Big Easy model", "the Rush Hour style"): alone they
                          # name no product, so "model" never joins "Model 52" to a question about "Big Easy"
                          "model", "style", "edition", "series", "collection", "design", "line", "lines", "range"))
# words for the whole business ("across the chain", "company-wide"): never a product keyword by themselves
_SCOPE_WORDS = frozenset(("chain", "company", "business", "network", "firm", "group", "everything", "whole", "entire"))


@lru_cache(maxsize=1)
def _stop_words() -> frozenset[str]:
    """spaCy's English stop words ("out", "back", "first", "across"): empty when spaCy is not installed."""
    try:
        from spacy.lang.en.stop_words import STOP_WORDS
    except ImportError:  # pragma: no cover - spaCy comes with the PII guard
        return frozenset()
    return frozenset(STOP_WORDS)


_COMMON = frozenset("""
a an the and or of in on at for to from by per with without vs versus than then this that these those last next
previous prior past current same each every all any our my we us you your i me it its is are was were be been do did
does done have has had how many much what which who whom when where why show list give tell me please total totals
sum number count units unit sold sell sells selling sale sales revenue income turnover money dollars made make earn
earned stock stocks inventory hand left store stores shop shops location locations branch branches city cities state
states product products item items sku skus brand brands category categories top best worst most least highest
lowest bottom month months monthly week weeks weekly year years yearly day days daily quarter quarters today
yesterday date dates time period compare compared comparison change growth grew increase decrease up down over
under below above reorder point points running low need needs patients patient wear wears wearing age ages band
bands group groups type types lens lenses frame frames contact contacts sunglass sunglasses accessory accessories
service services optical optics rx pk eye eyes glasses sun one two three four five six seven eight nine ten half
classic case total1 new old order orders transactions average avg value basket discount discounts ytd mtd qtd
performing performance performed trend breakdown break split mix share distribution like more less aov us
monday tuesday wednesday thursday friday saturday sunday weekday weekdays weekend busiest mondays tuesdays
wednesdays thursdays fridays saturdays sundays weekends please thanks hi hello quick need processed across
shift shifted shifting move moved moving flog flogged flogging shipped rang rung took takings brought pulled
issue issued issuing
""".split())  # the last lines: verbs for selling ("how many did we shift", "receipts did Dover issue"), never a
# product keyword on their own
COMMON_WORDS = _COMMON  # function words and domain words: never a name, never a keyword
_WORD_RE = re.compile(r"[^\W_][\w+&'./-]*", re.IGNORECASE)  # any script: "trà's" is one word
_BOUNDARY_CHARS = "abcdefghijklmnopqrstuvwxyz0123456789"


@dataclass(frozen=True)
class Unresolved:
    """A name or code in the question that the tenant's catalog does not have (kind: store, code, city, name)."""

    kind: str
    text: str
    options: tuple[str, ...] = ()  # for kind "ambiguous": the store codes the name could mean


@dataclass(frozen=True)
class _Hit:
    kind: str
    value: str
    start: int
    end: int
    priority: int


@dataclass(frozen=True)
class Extraction:
    """Slots found in a question, names that were not found, and the question with found phrases blanked out."""

    values: dict[str, tuple[str, ...]]  # kind -> catalog keys (store codes, SKUs, brands, cities, states...)
    unresolved: tuple[Unresolved, ...]
    masked: str
    hits: tuple[tuple[str, str, int, int], ...]  # (kind, value, start, end) of each phrase found
    periods: tuple[Period, ...]
    year_over_year: bool = False  # the question compares with a year earlier ("vs last year", "a year ago")
    top_n: int | None = None
    top_span: tuple[int, int] | None = None  # where "top N" names its number (not an unknown number)
    # names of both a city and a state that select the same stores, read one way (`same_store_readings`): (name as
    # written, city, state), so the answer says which reading it used
    readings: tuple[tuple[str, str, str], ...] = ()


def _normalize(text: str) -> str:
    """Lower-case `text` without changing its length (so spans map back to the original)."""
    table = {"\u2019": "'", "\u2018": "'", "\u201c": '"', "\u201d": '"', "\u2013": "-", "\u2014": "-", "İ": "i"}
    return "".join(table.get(c, c.lower() if len(c.lower()) == 1 else c) for c in text)


def _find_all(norm: str, alias: str, *, plural: bool = False) -> Iterable[tuple[int, int]]:
    if not alias:
        return
    start = 0
    while True:
        i = norm.find(alias, start)
        if i < 0:
            return
        end = i + len(alias)
        if plural:
            for suffix in ("es", "s"):
                if norm.startswith(suffix, end) and (end + len(suffix) >= len(norm)
                                                     or norm[end + len(suffix)] not in _BOUNDARY_CHARS):
                    end += len(suffix)
                    break
        before_ok = i == 0 or norm[i - 1] not in _BOUNDARY_CHARS
        after_ok = end >= len(norm) or norm[end] not in _BOUNDARY_CHARS
        if before_ok and after_ok:
            yield i, end
        start = i + 1


_SHORT_CITY = re.compile(r"(.+?)[\s-](?:sur|sous|am|an|im|upon|on|en|lès|les|bei|ob)[\s-]\S")
# "Viña" of "Viña del Mar", "Jerez" of "Jerez de la Frontera", "Alcalá" of "Alcalá de Henares": the name before "de /
# del / do / da ..." (never a word the parser or a question's language reads: "Ciudad", "Puerto", "San")
_SHORT_CITY_OF = re.compile(r"([^\W\d_][\w'-]+)\s+(?:del|de\s+la|de\s+los|de\s+las|de|do|da|dos|das|di|della)\s+\S")
_GENERIC_PLACE_TAIL = re.compile(r"([^\W\d_][\w'-]*)\s+(?:springs|falls|city|beach|bay|heights|creek|hills|valley"
                                 r"|harbou?r|lakes?|point|park|junction|crossing|rapids|wells)")
_PLACE_NOUNS = frozenset("ciudad cidade villa vila puerto porto santa santo sant san sao playa praia valle vale "
                         "monte colonia".split())
_VARIANT_KINDS = frozenset({"store", "sku", "brand", "city", "state", "keyword"})
def _rekind(hits: list[tuple[str, str, int, int]], values: dict[str, list[str]], i: int, kind: str,
            value: str) -> None:
    """Read hit `i` as `value` of `kind` instead (a store named by its city's name read as the city, or the other way
    round): the hit and the collected values change together."""
    old_kind, old_value, start, end = hits[i]
    hits[i] = (kind, value, start, end)
    values[old_kind] = [v for v in values[old_kind] if v != old_value]
    if not values[old_kind]:
        del values[old_kind]
    if value not in values.setdefault(kind, []):
        values[kind].append(value)


# a plural store noun right after a name ("the Providencia stores", "both Maipú shops")
_PLURAL_STORES_AFTER = re.compile(r"\s+(?:stores|shops|branches|locations|outlets|boutiques|locales|sites)\b", re.I)


def _fold_accents(text: str) -> str:
    """`text` with each accented letter replaced by its base letter (same length: "lévis" -> "levis", "łódź" ->
    "lodz")."""
    return "".join(unicodedata.normalize("NFKD", c)[0] if c.isalpha() else c for c in text.translate(STROKED))


def spelling_variants(alias: str) -> set[str]:
    """Other ways people type a lower-case name: without accents, with spaces for hyphens, "st" / "ste" for
    "saint" / "sainte" (and the reverse), "and" for "&" or "+" (and "&" for "and"), in every combination; never the
    alias itself."""
    forms = {alias, _fold_accents(alias)}
    forms |= {f.replace("-", " ") for f in forms}
    forms |= {re.sub(r"\s*[&+]\s*", " and ", f) for f in forms}
    forms |= {re.sub(r"\s+and\s+", " & ", f) for f in forms}
    forms |= {re.sub(r"\bsaint(e?)\b", r"st\1", f) for f in forms}
    forms |= {re.sub(r"\bst(e?)\b\.?", r"saint\1", f) for f in forms}
    return {f for f in forms if f != alias and f.strip()}


class _Matcher:
    """Aliases of one catalog, longest first: (alias, kind, value, priority, plural)."""

    def __init__(self, catalog: Catalog) -> None:
        self.catalog = catalog
        entries: list[tuple[str, str, str, int, bool]] = []
        prefix = catalog.chain_prefix
        shared = catalog.shared_store_words
        regions = catalog_regions(catalog)
        # the tenant's cities by any of their names: "Athens" ending "The Mall Athens" (a store in Marousi) names the
        # city Athina, never that one store
        places = {c.lower() for c in catalog.cities} | set(city_aliases(catalog.cities, regions.countries))
        chain = {w.lower() for w in (*catalog.chain_prefix, *catalog.tenant_words)}
        for s in catalog.stores:
            entries.append((s.code.lower(), "store", s.code, 0, False))
            name = s.name.lower()
            entries.append((name, "store", s.code, 1, False))
            words = name.split()
            if prefix and words[: len(prefix)] == list(prefix) and len(words) > len(prefix):
                entries.append((" ".join(words[len(prefix):]), "store", s.code, 2, False))
                rest = " ".join(words[len(prefix):]).replace(s.city.lower(), " ").split()
                if rest and rest != words[len(prefix):] and not (len(rest) == 1 and rest[0] in shared):
                    entries.append((" ".join(rest), "store", s.code, 3, False))  # never the chain's "Optik" alone
            # the name's own ending, after the words other stores' names share ("Optik", "Optique"): "Marktgasse" of
            # "Edelweiss Optik Marktgasse", "Via Nassa" of "Edelweiss Ottica Via Nassa"
            body = words[len(prefix):] if prefix and words[: len(prefix)] == list(prefix) else words
            for i in range(1, len(body)):
                tail = body[i:]
                if any(w in shared for w in tail) or " ".join(tail) in places:
                    continue
                if len(tail) == 1 and (len(tail[0]) < 4 or tail[0] in _COMMON or tail[0] in _DOMAIN
                                       or tail[0] in _PHRASE_ONLY):
                    continue
                entries.append((" ".join(tail), "store", s.code, 3, False))
            # the name's first word, an acronym or a name of its own ("AFI" of "Ghiocel AFI Cotroceni"), when it is
            # no common or English word, no place and no word other stores' names share (one two stores share,
            # "Iulius", names neither: asked)
            first = body[0] if len(body) >= 2 else ""
            typed = s.name.split()[len(words) - len(body)] if len(body) >= 2 else ""
            holders = sum(first in other.name.lower().split() for other in catalog.stores) if first else 0
            if first and first not in places and first not in _COMMON and first not in _DOMAIN and \
                    first not in _PHRASE_ONLY and first not in chain and holders < max(2, len(catalog.stores) / 2) \
                    and (re.fullmatch(r"[A-Z]{3,}", typed) or len(first) >= 5
                         or (len(first) == 4 and first not in english_words())):
                entries.append((first, "store", s.code, 3, False))
            # the name without the city it ends with: "The Mall" of "The Mall Athens", "Galleria" of "Galleria Roma"
            for k in (1, 2) if s.city.lower() not in " ".join(body) else ():  # "Alice Springs": the city is the name
                head = body[:-k]
                if len(body) > k and " ".join(body[-k:]) in places and head and head != ["the"] and not any(
                        w in shared for w in head) and (len(head) > 1 or (len(head[0]) >= 4 and head[0] not in _COMMON
                                                                           and head[0] not in _DOMAIN)):
                    entries.append((" ".join(head), "store", s.code, 3, False))
        for p in catalog.products:
            entries.append((p.sku.lower(), "sku", p.sku, 0, False))
            entries.append((p.name.lower(), "sku", p.sku, 1, True))
            model = p.name.lower()[len(p.brand) + 1:] if p.name.lower().startswith(p.brand.lower() + " ") else ""
            # the model alone names the product ("Wayfarer"), unless it is a common word: "which one", "the
            # sunglasses ones" never pick "Hawkers One" (the full name and the SKU still do)
            if model and model not in _COMMON and model not in _PHRASE_ONLY:  # "Kwadrat Line": never "lines"
                # a model named inside another product's name too ("Rush Hour" beside "Rush Hour Case", "Beija-Flor"
                # beside "Sol Beija-Flor") names every product that carries it: a name keyword, not one SKU
                shared = any(o.sku != p.sku and re.search(rf"(?<![\w-]){re.escape(model)}(?![\w-])", o.name.lower())
                             for o in catalog.products)
                entries.append((model, "keyword", model, 9, True) if shared else (model, "sku", p.sku, 2, True))
        # a model family: the leading words two or more models of a brand share ("Bến Thành" of "Bến Thành Classic"
        # and "Bến Thành Slim", "Hạ Long" of "Hạ Long Polarized" and "Hạ Long Kids") name every product of it
        models: dict[str, set[str]] = {}
        for p in catalog.products:
            words = self._model(p).split()
            for k in range(1, len(words)):
                models.setdefault(" ".join(words[:k]), set()).add(p.sku)
        known = {e[0] for e in entries if e[1] != "store"}  # a store's name too: the wording says which (below)
        for family, skus in models.items():
            if len(skus) >= 2 and len(family) >= 4 and family not in known and not any(
                    w in _COMMON or w in _DOMAIN or w in _PHRASE_ONLY for w in family.split()):
                entries.append((family, "keyword", family, 9, True))
        exams = [p for p in catalog.products if p.category == "services" and _EXAM_HEAD.search(p.name)]
        if len(exams) == 1:  # the one eye examination the tenant sells, whatever its name ("Comprehensive Eye Test")
            entries += [(alias, "sku", exams[0].sku, 2, True) for alias in _EXAM_ALIASES]
        for brand in catalog.brands:
            entries.append((brand.lower(), "brand", brand, 4, True))  # "Oakleys": the brand
        short_names: set[str] = set()
        for city in catalog.cities:
            entries.append((city.lower(), "city", city, 5, False))
            bare = ADMIN_PREFIX.sub("", city).strip().lower()
            if bare != city.lower() and len(bare) >= 4:  # "Hồ Chí Minh" of a stored "TP. Hồ Chí Minh"
                entries.append((bare, "city", city, 5, False))
            # "HCM", "TP. HCM", "TPHCM" of a stored "TP. Hồ Chí Minh": the initials of a name of three words or more,
            # alone or after the stored administrative word
            words = fold(bare).split()
            initials = "".join(w[0] for w in words if w[:1].isalpha())
            if len(words) >= 3 and len(initials) == len(words) and initials not in _COMMON and initials not in _DOMAIN:
                prefix = city.lower()[: len(city) - len(ADMIN_PREFIX.sub("", city))].strip()
                for alias in {initials, *((f"{prefix} {initials}", f"{prefix.rstrip('.')}{initials}") if prefix
                                          else ())}:
                    entries.append((alias, "city", city, 5, False))
            # "Saint-Jean-sur-Richelieu" is "Saint-Jean" (and "St-Jean") to the people who live there, "Stoke-on-Trent"
            # "Stoke", "Frankfurt am Main" "Frankfurt": the part before "sur / am / upon / on ...", when it is no
            # common word; one that fits two stores' cities names neither (dropped with the other shared aliases)
            short = _SHORT_CITY.match(city.lower())
            of = _SHORT_CITY_OF.match(city.lower()) if short is None else None
            if of is not None and (of.group(1) in phrase_words() or of.group(1) in english_words()
                                   or fold(of.group(1)) in _PLACE_NOUNS):
                of = None
            short = short or of
            if short and len(short.group(1)) >= 4 and short.group(1) not in _COMMON and not any(
                    other != city and re.match(rf"{re.escape(short.group(1))}\b", other.lower())
                    for other in catalog.cities):  # "Boulogne" beside Boulogne-Billancourt names neither
                entries.append((short.group(1), "city", city, 5, False))
            # "Alice" for Alice Springs, "Niagara" for Niagara Falls: the name before a generic place noun, when it is
            # no common word and starts no other city of the tenant
            generic = _GENERIC_PLACE_TAIL.fullmatch(city.lower())
            # (read only as written with its capital, "Alice", never the word "palm" of Palm Springs)
            if generic and len(generic.group(1)) >= 4 and generic.group(1) not in _COMMON and generic.group(1) not in \
                    _DOMAIN and not any(other != city and re.match(rf"{re.escape(generic.group(1))}\b", other.lower())
                                        for other in catalog.cities):
                entries.append((generic.group(1), "city", city, 5, False))
                short_names.add(generic.group(1))
        # well-known informal regions over part of a state ("the Top End": Darwin; "Tricity": Gdańsk and Gdynia) and
        # city nicknames ("Sampa", "Freo"), see tools/sql/informal_regions.py: never a name that is also in one of the
        # tenant's product, brand or store names (the wording decides those, as before)
        named = " ".join(_fold_accents(n.lower()) for n in (*(p.name for p in catalog.products), *catalog.brands,
                                                           *(st.name for st in catalog.stores)))
        taken_names = {e[0] for e in entries}

        def informal(alias: str) -> bool:
            return alias not in taken_names and not re.search(rf"(?<!\w){re.escape(_fold_accents(alias))}(?!\w)",
                                                              named)

        located = [(st.city, regions.iso_codes.get(st.state, ())) for st in catalog.stores]
        for alias, cities in town_regions(regions.countries, located).items():
            if informal(alias):
                entries.append((alias, "city_group", ",".join(cities), 5, False) if len(cities) > 1
                               else (alias, "city", cities[0], 5, False))
        for alias, city in city_nicknames(catalog.cities, city_aliases(catalog.cities, regions.countries),
                                                 regions.countries).items():
            if informal(alias):
                entries.append((alias, "city", city, 5, False))
                state = regions.aliases.get(" ".join(fold(city).split())) if alias in ALSO_STATE else None
                if state is not None:
                    # "Rio": the city of Rio de Janeiro and its state, both named so: a name of both (asked when
                    # the two select different stores, as for a stored name of both)
                    entries.append((alias, "state", state, 6, False))
                if alias in CASED:
                    short_names.add(alias)  # "BH", "POA": read only as written in capitals
        self.no_store_regions = frozenset(a for a in no_store_regions(regions.countries, regions.iso_codes, located,
                                                                         regions.city_codes)
                                          if informal(a))
        # the tenant's states, provinces, counties...: their stored values and, through ISO 3166-2, their names
        # ("Ontario" for a stored "ON") and codes ("NSW" for a stored "New South Wales"), see tools/sql/regions.py
        self.region_words = regions.words()
        state_entries = [(alias, "state", value, 6, False) for alias, value in regions.aliases.items()]
        # a code of 3+ letters that is no English word ("nsw", "qld") is read in lower case too
        state_entries += [(code.lower(), "state", values[0], 7, False) for code, values in regions.code_values.items()
                          if len(values) == 1 and re.fullmatch(r"[A-Z]{3,}", code) and code.lower() not in _COMMON
                          and code.lower() not in _DOMAIN and code.lower() not in english_words()]
        # a larger region over several stored ones ("Lombardy" over MI, BG and CO, "Java" over six provinces): all of
        # them (see RegionIndex.groups)
        state_entries += [(alias, "state_group", ",".join(values), 6, False)
                          for alias, values in regions.groups.items()]
        entries += state_entries
        for category, words in CATEGORY_WORDS.items():
            for w in words:
                entries.append((w, "category", category, 8, False))
        # a category named in the staff's language ("lentilles") is the category whenever the tenant sells that
        # category, even where a product's name also holds the word (a service "Adaptation Lentilles": the fitting is
        # not what "lentilles" means); only a tenant without the category reads it in product names (a keyword)
        product_text = " ".join(_fold_accents(p.name.lower()) for p in catalog.products)
        sold = {p.category for p in catalog.products}
        for category, words in FOREIGN_CATEGORY_WORDS.items():
            entries += [(w, "category", category, 8, False) for w in words
                        if category in sold or not re.search(rf"\b{re.escape(_fold_accents(w))}\b", product_text)]
        for word in self._keywords():
            entries.append((word, "keyword", word, 9, True))
        # Model names of several words ("Sunday Best", "Long Weekend", "High Noon"), even when made of ordinary or
        # time words: read as the product phrase before any of their words is read as a period or weekday.
        self.model_phrases = sorted({m for m in (self._model(p) for p in catalog.products)
                                     if len(m.split()) >= 2 and re.fullmatch(r"[a-z][\w .'-]*", m)}, key=len,
                                    reverse=True)
        for phrase in self.model_phrases:
            entries.append((phrase, "keyword", phrase, 9, True))
        # other-language names of the stored cities ("Munich" for a stored "München", see tools/sql/places.py): never
        # one that is already a name of something else; one that fits two cities is asked about
        self.cased_exonyms: set[str] = set()
        ambiguous_cities = self._city_exonyms(entries, regions)
        # "Trois Rivieres", "Face a Face", "St Roch": the names as typed without accents or hyphens, "St" for "Saint"
        known_aliases = {e[0] for e in entries}
        variants = [(variant, kind, value, priority, plural) for alias, kind, value, priority, plural in list(entries)
                    if kind in _VARIANT_KINDS for variant in spelling_variants(alias) if variant not in known_aliases
                    # a product word that is an English word once its accents are gone ("dây" typed "day", "mắt"
                    # "mat") is that word ("day-by-day units"), never the product
                    and not (kind == "keyword" and " " not in variant and (variant in _COMMON
                                                                            or variant in english_words()))]
        entries += variants
        # a name that is a common word once its accents are gone ("Salé" typed "sale"): that form names the place only
        # when written with a capital ("stores in Sale"); "at least one sale" is the word
        self.cased_aliases = frozenset(v[0] for v in variants if v[0] in _COMMON or v[0] in _DOMAIN
                                       or v[0] + "s" in _DOMAIN) | short_names
        # the Turkish dotted capital "İ" lower-cases to "i" and a combining dot ("i̇stinye"): an alias is matched
        # without the dot, as `_normalize` reads "İ" in a question ("İstinye" and "Istinye" both name the shop)
        entries = [(e[0].replace("i\u0307", "i"), *e[1:]) if "\u0307" in e[0] else e for e in entries]
        # An alias shared by several values of one kind names none of them: drop it (the city or keyword may remain).
        owners: dict[tuple[str, str], set[str]] = {}
        for alias, kind, value, _, _ in entries:
            owners.setdefault((alias, kind), set()).add(value)
        self.keyword_aliases = frozenset(e[0] for e in entries if e[1] == "keyword")
        self.entries = sorted(
            {e for e in entries if len(owners[(e[0], e[1])]) == 1 and e[0].strip()},
            key=lambda e: (-len(e[0]), e[3], e[1], e[2]),  # a total order: the same in every process
        )
        # Store aliases shared by several stores ("Old Town") and place names that fit several of the tenant's states
        # ("Limburg" for a stored LI and VLI): reported back as ambiguous, with the options.
        self.ambiguous = sorted(
            {(alias, "ambiguous", ",".join(sorted(owners[(alias, kind)])), 0, False)
             for alias, kind, _, _, _ in entries if kind == "store" and len(owners[(alias, kind)]) > 1}
            | {(alias, "ambiguous_state", ",".join(values), 1, False) for alias, values in regions.ambiguous.items()}
            | set(ambiguous_cities),
            key=lambda e: (-len(e[0]), e[3], e[1], e[2]),  # a total order: the same in every process
        )
        self.region_codes = regions.code_values
        # other subdivisions of the tenant's countries right after "in / across / from / outside / at" ("revenue in
        # quebec", in lower case too): a place the tenant has no store in, reported, never dropped
        known = _COMMON | _DOMAIN | {w for words in (*CATEGORY_WORDS.values(), *LENS_TYPE_WORDS.values())
                                     for phrase in words for w in phrase.split()} | frozenset(MONTHS)
        name_words = {w for n in (*catalog.brands, *catalog.cities, *(s.name for s in catalog.stores),
                                  *(p.name for p in catalog.products)) for w in n.lower().split()}
        places = sorted((a for a in regions.elsewhere | self.no_store_regions
                         if a not in known and a not in name_words), key=len, reverse=True)
        # the stored regions that are the chain's own codes no subdivision places (a code whose shops lie in two
        # subdivisions): a region named that has no placed store might still hold their shops
        self.unplaced_codes = tuple(sorted({st.state for st in catalog.stores if st.state and st.state not in
                                            regions.iso_codes and len(regions.city_codes.get(st.state, ())) != 1}))
        self.elsewhere_rx = re.compile(
            r"\b(?:in|across|from|outside(?:\s+of)?|at)\s+(?:the\s+)?(?P<name>"
            + "|".join(re.escape(a) for a in places) + r")(?![\w-])") if places else None
        self.patient_entries: list[tuple[str, str, str, int, bool]] = []
        for lens_type, words in LENS_TYPE_WORDS.items():
            forms = set(words)
            # "progressive lens wearers", "single vision lenses": the lens type with its noun is one phrase, so the
            # noun is not read as the product category "lenses" as well
            forms |= {f"{w} {noun}" for w in words if not w.endswith(("lens", "lenses", "glasses", "contacts"))
                      and not w.endswith("s") for noun in ("lens", "lenses")}
            forms |= {w[: -len("lenses")] + "lens" for w in words if w.endswith(" lenses")}
            for w in sorted(forms):
                self.patient_entries.append((w, "lens_type", lens_type, 0, False))
        for alias, kind, value, _, plural in state_entries:
            self.patient_entries.append((alias, kind, value, 1, plural))
        self.patient_entries.sort(key=lambda e: (-len(e[0]), e[3]))

    def _city_exonyms(self, entries: list[tuple[str, str, str, int, bool]], regions: RegionIndex
                      ) -> list[tuple[str, str, str, int, bool]]:
        """Add the other-language names of the stored cities to `entries`; return those naming several cities.

        Left out: a name already used for anything else but a region (a city's name beats a region's, as the stored
        city name does), a name with a common or domain word, a single English
        word under 6 letters ("vine"), and names of several words with a short word that is no particle ("bai lin",
        "port land") or a generic place word ("river city", "north springfield")."""
        # a name of one of the tenant's regions too ("Geneva": the city and the canton) stays the city's, as the
        # stored city name itself does ("Genève"): the city entry sorts before the state one
        taken = {e[0] for e in entries if e[1] != "state"} | set(regions.ambiguous)
        plain = _COMMON | _DOMAIN
        ambiguous: list[tuple[str, str, str, int, bool]] = []
        aliases = city_aliases(self.catalog.cities, regions.countries)
        for alias, cities in aliases.items():
            words = alias.split()
            if len(words) > 1 and words[0] == "the":  # "The Hague": the article is part of the English name
                words = words[1:]
            # "Mexico City", "Quebec City": a place word after a name that is itself this city's other name is part
            # of the city's name, not a generic "river city"
            bare = [w for w in words if w not in _PLACE_WORDS]
            named = len(bare) < len(words) and bool(bare) and aliases.get(" ".join(bare)) == cities
            if alias in taken or any((w in plain or w in _PLACE_WORDS) and not (named and w in _PLACE_WORDS)
                                     for w in words):
                continue
            if len(words) == 1 and len(alias) < 6 and alias in english_words():
                if len(cities) == 1 and len(alias) == 3 == len(fold(cities[0])) and \
                        edit_distance(alias, fold(cities[0]).lower()) == 1:
                    # "Fez" for "Fès": a 3-letter city's own name spelt one letter apart, also an English word ("a
                    # fez"): the city only written with its capital, never as the first word
                    self.cased_exonyms.add(alias)
                else:
                    continue
            if len(words) > 1 and any(len(w) < 4 and w not in _PARTICLES for w in words):
                continue
            if len(cities) == 1:
                entries.append((alias, "city", cities[0], 5, False))
            else:
                ambiguous.append((alias, "ambiguous_city", ",".join(cities), 1, False))
        return ambiguous

    @staticmethod
    def _model(p: Product) -> str:
        """The product's name without its brand ("Serengeti Long Weekend" -> "long weekend")."""
        name = p.name.lower()
        return name[len(p.brand) + 1:] if name.startswith(p.brand.lower() + " ") else name

    def _keywords(self) -> set[str]:
        """Distinctive words (and word pairs) of product names, e.g. "progressive", "single vision", "wayfarer"."""
        brand_words = {w for b in self.catalog.brands for w in b.lower().split()}
        category_words = {w for words in CATEGORY_WORDS.values() for phrase in words for w in phrase.split()}
        stop = _COMMON | brand_words | category_words

        def ok(word: str) -> bool:
            return len(word) >= 3 and word not in stop and not word.isdigit() and word not in US_STATES and \
                word not in self.region_words

        out: set[str] = set()
        for p in self.catalog.products:
            words = p.name.lower().split()
            if p.name.lower().startswith(p.brand.lower() + " "):
                words = p.name.lower()[len(p.brand) + 1:].split()
            # a function word or a word for the whole business ("Night Out", "Chain Cord") names its product
            # only inside its phrase: "out of stock", "across the chain" are no product filters
            out |= {w for w in words if ok(w) and w not in _PHRASE_ONLY and w not in _stop_words()
                    and w not in _SCOPE_WORDS}
            out |= {f"{a} {b}" for a, b in zip(words, words[1:], strict=False) if ok(a) and ok(b)}
        return out

    @staticmethod
    def scan(norm: str, entries: Sequence[tuple[str, str, str, int, bool]], taken: list[tuple[int, int]]
             ) -> list[_Hit]:
        hits: list[_Hit] = []
        for alias, kind, value, priority, plural in entries:
            for start, end in _find_all(norm, alias, plural=plural):
                if all(end <= s or start >= e for s, e in taken):
                    hits.append(_Hit(kind, value, start, end, priority))
                    taken.append((start, end))
        return hits


# a service whose name says it is the eye examination, in English or the tenant's language ("Comprehensive Exam",
# "Eye Test", "Pemeriksaan Mata Lengkap", "Revisión Visual", "Badanie Wzroku", "Esame della Vista", "Sehtest")
_EXAM_HEAD = re.compile(r"\b(?:exam|examination|eye\s*test|sight\s*test|vision\s*test|pemeriksaan\s+mata"
                        r"|revisi[oó]n\s+visual|examen\s+(?:visual|de\s+(?:la\s+)?vue|de\s+(?:la\s+)?vista|des\s+yeux)"
                        r"|badanie\s+wzroku|esame\s+(?:della\s+)?vista|exame\s+(?:de\s+)?(?:vista|vis[aã]o|visual|ocular)"
                        r"|sehtest|augenpr[uü]fung|oogmeting"
                        r"|oogonderzoek|synsunders[oø]gelse|synstest|đo\s+mắt|khám\s+mắt|đo\s+thị\s+lực)\b",
                        re.IGNORECASE)
# what people call it ("how many eye exams did we do")
_EXAM_ALIASES = ("eye exam", "eye test", "eye examination", "eye check", "eye check-up", "sight test", "vision test")

# words of a city's other names that make it another place or a nickname ("North Springfield", "River City")
_PLACE_WORDS = frozenset("""city town village old new north south east west upper lower greater little great river
port saint lungsod estat ciudad ville stadt""".split())
# short words that belong inside a place name ("Frankfurt am Main", "Monaco di Baviera", "Kolín nad Rýnem")
_PARTICLES = frozenset("""am an im de del di da do du la le les sur sul nad na ob den der het op aan van von zu zum
zur al el las los des dos das""".split())

_matchers: dict[int, tuple[Catalog, _Matcher]] = {}
_matchers_lock = threading.Lock()


def _matcher(catalog: Catalog) -> _Matcher:
    key = hash(catalog)
    with _matchers_lock:
        cached = _matchers.get(key)
        if cached is not None and cached[0] == catalog:
            return cached[1]
    built = _Matcher(catalog)
    with _matchers_lock:
        if len(_matchers) > 64:
            _matchers.clear()
        _matchers[key] = (catalog, built)
    return built


_TOP_N = re.compile(
    r"\b(?:top|best|bottom|worst|first|highest|lowest|biggest|largest|smallest|strongest|weakest|busiest|quietest"
    r"|slowest|fastest|poorest|leading)[\s-]+(?P<n>\d{1,3}|one|two|three|four|five|six|seven|eight|"
    r"nine|ten|twenty|fifty)\b|\b(?P<m>\d{1,3}|two|three|four|five|six|seven|eight|nine|ten|twelve|twenty)\s+(?:best|top|worst|highest|lowest|biggest|slowest|weakest|strongest|smallest|largest"
    r"|busiest|quietest|poorest|fastest|leading|most|least|fewest)\b"
    r"|\b(?:which|what)\s+(?P<w>\d{1,3}|two|three|four|five|six|seven|eight|nine|ten)\s+(?=[a-z])"
    r"|\b(?:show|give|list|only|just|name|find|tell\s+me)\s+(?:me\s+)?(?:the\s+)?(?:first\s+)?(?P<s>\d{1,3})\b(?![-/.:]\d)"
    # "the 2 stores with the most orders", "the five products that generated the most revenue"
    r"|\bthe\s+(?P<g>\d{1,3}|two|three|four|five|six|seven|eight|nine|ten)\s+(?=[a-z-]+\s+(?:with|that|which|having"
    r"|where)\s+(?:[a-z-]+\s+){0,2}?(?:the\s+)?(?:most|least|highest|lowest|best|worst|fewest|biggest|smallest|largest|greatest|top"
    r"|bottom)\b)",
    re.IGNORECASE)
_NUMBERS = {"one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9,
            "ten": 10, "twelve": 12, "twenty": 20, "fifty": 50}
_SINGULAR_TOP = re.compile(r"\b(?:which|what)\s+(?:single\s+)?(?:store|location|branch|shop|product|item|sku)\b"
                           r"(?!s)|\bthe\s+(?:best|top|worst)\s+(?:store|location|branch|shop|product|item|sku)\b"
                           r"(?!s)", re.IGNORECASE)
_AGE_BAND = re.compile(
    r"\b(?P<lo>\d{1,2})\s*(?:-|to|–)\s*(?P<hi>\d{1,2})\b(?!\s*(?:%|percent))"
    r"|\b(?:in\s+their\s+)?(?P<dec>[1-8]0)'?s\b"
    r"|\b(?:in\s+their\s+|aged\s+in\s+their\s+)?(?P<word>twenties|thirties|forties|fifties|sixties|seventies|eighties)\b"
    r"|\b(?:90\s*\+|(?:over|above|older\s+than)\s+(?:89|90)|90\s+(?:and|or)\s+(?:over|older|above))",
    re.IGNORECASE)
_CODE = re.compile(r"(?<![\w-])(?=[A-Za-z0-9-]*\d)(?=[A-Za-z0-9-]*[A-Za-z])[A-Za-z0-9]+(?:-[A-Za-z0-9]+)+(?![\w-])")
_STOP_AFTER_NAME = (r"(?=\s+(?:in|during|for|last|this|since|between|from|on|yesterday|today|over|by|vs|versus|"
                    r"compared|and\s+(?:in|for|at|by)|sell|sold|do|did|have|has)\b|\s*[?!,]|\s*\.(?:\s|$)|\s*$)")
# a store name starts after "store(s)"; a word that joins the rest of the sentence ("stores *during* Q4", "stores
# *in* 2025", "stores *that* sold ...") starts no name
_NOT_A_NAME_START = (r"(?!(?:in|during|for|last|this|since|between|from|on|over|by|vs|versus|compared|and|or|sell|sold"
                     r"|do|did|does|have|has|had|were|was|are|is|that|which|who|with|without|through|throughout|across"
                     r"|to|up|until|till|before|after|so|as|than|combined|together|only"
                     r"|yesterday|today|ytd|year|month|quarter|week|q[1-4]|h[12]"
                     r"|[a-z]+n['’]t)\b)")  # "which stores didn't sell ...": a verb, never a store's name
_STORE_NAME = re.compile(
    r"\b(?:store|shop|branch|location|outlet)s?\s+(?:named\s+|called\s+|code\s+|number\s+|no\.?\s+)?"
    + _NOT_A_NAME_START + r"(?P<name>[\"'\w][^?!,]*?)" + _STOP_AFTER_NAME, re.IGNORECASE)
_CAPITALIZED = r"[A-Z0-9][\w'&.+-]*(?:\s+(?:of\s+|&\s+|\+\s+)?[A-Z0-9][\w'&.+-]*)*"
_AFTER_PREPOSITION = re.compile(rf"\b(?P<prep>at|for|in|from)\s+(?:the\s+|our\s+)?(?P<name>{_CAPITALIZED})")
_QUOTED = re.compile(r"\"(?P<a>[^\"]{1,80})\"|(?<![\w])'(?P<b>[^']{1,80})'(?![\w])")
_YOY = re.compile(r"year[\s-]+(?:over|on)[\s-]+year|\byoy\b|\by/y\b|same\s+(?:\w+\s+)?(?:last|previous|prior)\s+"
                  r"year|(?:\b(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\.?\s+|\bq[1-4]\s+"
                  r"|the\s+same\s+\w+\s+)?(?:a|one)\s+year\s+(?:ago|earlier|before)|(?:vs\.?|versus|than|against|compar(?:e|ed|ing)\s+(?:(?:it|that|this|them|these|those)\s+)?(?:to|with)"
                  r"|(?:up|down)\s+on)\s+(?:the\s+same\s+\w+\s+)?last\s+year", re.IGNORECASE)
# what follows a place's name heading a question ("Fez revenue last month", "Fez's takings", "Fez shop: units")
_PLACE_HEADING = re.compile(r"(?:['’]s\b|\s+(?:revenue|sales|takings|turnover|units|orders|receipts|discounts?|stores?"
                            r"|shops?|branch(?:es)?)\b)", re.IGNORECASE)
_SENTENCE_START = re.compile(r"(?:^|[.?!:;]\s+|\n)\s*[\"'(]*$")


def _covered(start: int, end: int, spans: Sequence[tuple[int, int]], norm: str, extra_ok: frozenset[str]) -> bool:
    """Is every significant word in [start, end) inside one of `spans` (or a common or tenant word)?"""
    for m in _WORD_RE.finditer(norm, start, end):
        word = m.group(0).strip("'.")
        stop = m.start() + len(m.group(0).rstrip("'."))  # "in Q1 2026." ends at the name, not at the full stop
        if word.endswith("'s"):  # a possessive ("Brighton's") is the name it ends with
            word, stop = word[:-2], m.start() + len(m.group(0).rstrip("'.")) - 2
        if not word or word in _COMMON or word in extra_ok:
            continue
        if not any(s <= m.start() and stop <= e for s, e in spans):
            return False
    return True


_DECADE_WORDS = {"twenties": 20, "thirties": 30, "forties": 40, "fifties": 50, "sixties": 60, "seventies": 70,
                 "eighties": 80}


def _age_band(match: re.Match[str]) -> str | None:
    if match.group("lo"):
        lo, hi = int(match.group("lo")), int(match.group("hi"))
        return f"{lo}-{hi}" if hi == lo + 9 and lo % 10 == 0 else None
    if match.group("dec") or match.group("word"):
        lo = int(match.group("dec")) if match.group("dec") else _DECADE_WORDS[match.group("word").lower()]
        return f"{lo}-{lo + 9}"
    return "90+"


_STORE_WORDING_BEFORE = re.compile(r"\b(?:at|from|in|inside|visiting)\s+(?:the\s+|our\s+)?$")
_STORE_WORDING_AFTER = re.compile(r"\s*(?:store|shop|boutique|branch|location|outlet|site|team|staff)s?\b")
_MODEL_WORDING_BEFORE = re.compile(r"\b(?:model|style|design|frame\s+model)\s+(?:called\s+|named\s+)?$")
# "the Duomo line / range / family", "Duomo frames": the product family, named with a product noun
_MODEL_WORDING_AFTER = re.compile(r"\s*(?:models?|styles?|designs?|ranges?|lines?|famil(?:y|ies)|collections?|series"
                                  r"|frames?|sunglass(?:es)?|glasses|specs|lenses|products?|pairs?)\b")


_REGION_NOUN = (r"(?:province|state|region|territory|county|canton|kanton|provincie|provincia|prefecture|department"
                r"|bundesland|land|community)")
# "the province of Quebec", "canton Bern", "County Cork", "Kanton Zürich": the region
_STATE_WORDING_BEFORE = re.compile(rf"\b{_REGION_NOUN}\s+of\s+(?:the\s+)?$"
                                   r"|\b(?:regi[oó]n|r[ée]gion|regione|regi[aã]o|province|provincia|prov[ií]ncia|estado"
                                   r"|distrito|d[ée]partement)"
                                   r"\s+(?:de\s+la|de|del|do|da|di|della|du)\s+$"
                                   r"|\b(?:canton|kanton|county|province|provincie|provincia)\s+$"
                                   r"|\b(?:all\s+(?:of\s+)?|across\s+(?:the\s+)?(?:whole\s+|entire\s+|all\s+of\s+)?)$")
# "the Saigon area", "Hanoi-area shops": the wider area, the region of a name that is both a city and a region
_STATE_WORDING_AFTER = re.compile(rf"\s*(?:{_REGION_NOUN})s?\b|\s*[,-]?\s*(?:province|state)[\s-]?wide\b"
                                  r"|\s*-?\s*(?:(?:greater\s+|wider\s+|metro(?:politan)?\s+)?area|metro)\b")
_CITY_WORDING_BEFORE = re.compile(r"\b(?:city|town)\s+of\s+(?:the\s+)?$")
_CITY_NOUN_AFTER = re.compile(r"\s*(?:city|town)\b")
# "the Utrecht store": one store is in a city (the plural, "the Utrecht stores", may mean the province's)
_CITY_WORDING_AFTER = re.compile(r"\s*(?:city|town|(?:store|shop|branch|location|outlet)(?!s))\b")
_PATIENT_WORDS = re.compile(r"\b(?:patients?|wearers?)\b")
# "the Zürich shop", "our Lyon store": one store of the city (not "the Lyon stores", "the Lyon store manager's city")
# a catalog name that is a day of the week, after "on / every": the day ("Saturdays frames sold on Saturdays")
_DAY_NAME = re.compile(r"(?:mon|tues|wednes|thurs|fri|satur|sun)days?", re.I)
_ON_DAY_BEFORE = re.compile(r"\b(?:on|every|most|all)\s+(?:the\s+)?$", re.I)
_ONE_STORE_AFTER = re.compile(r"\s*(?:store|shop|branch|location|outlet|boutique)(?![\w-])")
# "which Zürich shop", "each Montréal store", "by Amsterdam store": every shop of the city, never one of them
# "the worst performing CDMX store", "our best-selling Lyon shop": the best or worst of them
_WHICH_BEFORE = re.compile(r"\b(?:which|what|whichever|each|every|all|per|by|across|any)\s+"
                           r"(?:(?:of\s+)?(?:the|our)\s+)?(?:one\s+)?$"
                           r"|\b(?:best|worst|top|bottom|strongest|weakest|busiest|quietest|slowest|highest|lowest"
                           r"|biggest|smallest)(?:[\s-]+(?:performing|selling|earning|grossing))?\s+$")


# a region noun in the singular before or after one region's name, in English or the region's own language ("the
# Biobío Region", "Región de Los Lagos", "the region of Maule", "la Región del Maule")
_ONE_REGION_NOUN = (r"(?:regi[oó]n|r[ée]gion|regione|regi[aã]o|province|provincia|provincie|prov[ií]ncia|state|estado"
                    r"|territory|county|canton|kanton|prefecture|department|d[ée]partement|district|distrito|oblast"
                    r"|voivodeship)")
_NAMED_REGION_BEFORE = re.compile(rf"\b{_ONE_REGION_NOUN}\s+(?:of\s+the|of|de\s+la|de|del|do|da|dos|das|di|della|du)"
                                  r"\s+$")
_NAMED_REGION_AFTER = re.compile(rf"\s*{_ONE_REGION_NOUN}(?![\w-])")


def _with_region_noun(norm: str, start: int, end: int) -> tuple[int, int]:
    """The span of a region's name with the region noun that names it ("the Venezia province", "the canton of
    Bern"): the noun is part of the name, never a breakdown by region."""
    noun = _STATE_WORDING_AFTER.match(norm, end)
    lead = _STATE_WORDING_BEFORE.search(norm[:start])
    if not (lead and re.search(rf"\b{_REGION_NOUN}", lead.group(0))):
        lead = _NAMED_REGION_BEFORE.search(norm[:start])  # "Región de Valparaíso"
    return (lead.start() if lead else start, noun.end() if noun else end)


def _stores_of(catalog: Catalog, kind: str, value: str) -> frozenset[str]:
    """The store codes one reading of a name selects (a store, a city or a state)."""
    field = {"store": "code", "city": "city", "state": "state"}[kind]
    return frozenset(s.code for s in catalog.stores if getattr(s, field) == value)


def _different_stores(catalog: Catalog, city: str, state: str) -> bool:
    """Do the two readings of a name select different stores (the state holds stores outside the city)? When they
    select the same ones the name is answered, read as the city, and the answer says so (`same_store_readings`);
    only readings that give different rows are asked about."""
    return _stores_of(catalog, "city", city) != _stores_of(catalog, "state", state)


def same_store_readings(catalog: Catalog, question: str, norm: str, hits: Sequence[tuple[str, str, int, int]],
                        city_aliases: dict[str, str], state_aliases: dict[str, str]
                        ) -> tuple[tuple[str, str, str], ...]:
    """The names read one way although they are both one of the tenant's cities and one of its states, because both
    readings select the same stores ("Berlin", "Đà Nẵng"): (the name as written, the city, the state), so the answer
    can say which reading it used. A name whose wording said which ("the Venezia province") is not listed."""
    found: list[tuple[str, str, str]] = []
    for kind, _value, start, end in hits:
        folded = _fold_accents(norm[start:end])
        if kind not in ("city", "state") or folded not in city_aliases or folded not in state_aliases:
            continue
        city, state = city_aliases[folded], state_aliases[folded]
        if not _different_stores(catalog, city, state) and _reading(norm, start, end, _CITY_OR_STATE) is None:
            found.append((question[start:end], city, state))
    return tuple(dict.fromkeys(found))


_Wording = tuple[str, re.Pattern[str], re.Pattern[str]]  # a reading, the words before the name and after it that say it
_CITY_OR_STATE: tuple[_Wording, _Wording] = (("state", _STATE_WORDING_BEFORE, _STATE_WORDING_AFTER),
                                             ("city", _CITY_WORDING_BEFORE, _CITY_WORDING_AFTER))
_STORE_OR_MODEL: tuple[_Wording, _Wording] = (("store", _STORE_WORDING_BEFORE, _STORE_WORDING_AFTER),
                                              ("model", _MODEL_WORDING_BEFORE, _MODEL_WORDING_AFTER))


# a location preposition right before a name ("sell in Nazaré", "at Kolonaki")
_IN_A_PLACE = re.compile(r"\b(?:in|at)\s+$")

_PAIRING = r"(?:vs\.?|versus|v\.?|and|or|against|compared\s+(?:to|with)|&)"
_SELLER_BEFORE = re.compile(r"\b(?:did|does|do|has|have|had|will)\s+(?:the\s+)?$")
# what a shop does ("bring in": a model too; a shop issues receipts, a model does not)
_SELLER_AFTER = re.compile(r"\s+(?:sell|take|turn\s+over|ring\s+up|issue)\b")


def _seller(norm: str, start: int, end: int) -> str | None:
    """"How much did Duomo sell", "what did Brera take": a name of both a store and a model as the subject of "sell /
    take / turn over" is the store (a model is sold, it does not sell); None otherwise."""
    return "store" if _SELLER_BEFORE.search(norm[:start]) and _SELLER_AFTER.match(norm[end:]) else None


def _paired_with_store(norm: str, start: int, end: int, stores: set[str]) -> str | None:
    """"Brera vs Duomo", "Duomo and Brera", "(Eroilor, Titan, Palas)": a name of both a store and a model that is
    paired with (or listed beside) a name of a store only is the store; None otherwise."""
    before, after = norm[:start].rstrip(), norm[end:].lstrip()
    m = re.search(rf"(?:\s{_PAIRING}|,)$", " " + before)
    head = before[: len(before) - (len(m.group(0)) - (0 if m.group(0) == "," else 1))].rstrip() if m else ""
    if m is not None and any(head.endswith(alias) for alias in stores):
        return "store"
    m = re.match(rf"(?:{_PAIRING}\s+|,\s*)(?:the\s+)?", after)
    if m is not None and any(re.match(rf"{re.escape(alias)}\b", after[m.end():]) for alias in stores):
        return "store"
    return None


def _tenant_region_word(catalog: Catalog) -> str:
    """The tenant's own noun for its stored regions, singular or plural, as a regex ("autonomous communit(?:y|ies)")."""
    singular, plural = catalog_regions(catalog).word()
    return f"{re.escape(singular)}|{re.escape(plural)}"


# words that set named things side by side ("Lombardy vs Veneto", "compared with", "each")
_SIDE_BY_SIDE = re.compile(r"\b(?:vs\.?|versus|against|compared?|comparison|each|respectively|side\s+by\s+side)\b")


def _reading(norm: str, start: int, end: int, readings: tuple[_Wording, _Wording]) -> str | None:
    """Which of two readings of a name the wording around it says: a name of both a city and a state of the tenant
    (`_CITY_OR_STATE`: "Quebec City", "the city of Québec" / "the province of Quebec", "Quebec province", "across all
    of Quebec") or of both a store and a product model (`_STORE_OR_MODEL`: "at Schwabing", "the Schwabing shop" /
    "the Schwabing model"); None when the wording says neither or both (then the parser asks)."""
    before, after = norm[:start], norm[end:]
    # the noun right after the name is the more specific word: "in the Duomo line" is the product line, although
    # "in the" alone would be the store's
    said = [name for name, _, behind in readings if behind.match(after)]
    if not said:
        said = [name for name, ahead, _ in readings if ahead.search(before)]
    return said[0] if len(said) == 1 else None


def extract(question: str, catalog: Catalog, today: date) -> Extraction:
    """Find the catalog names and time phrases of `question`. Raises DateRangeError for impossible dates."""
    norm = _normalize(question)
    # "vs the same month last year", "(May) a year ago": the comparison, not the period asked about.
    yoy_spans = [m.span() for m in _YOY.finditer(question)]
    matcher = _matcher(catalog)
    # "Sunday Best frames", "Long Weekend sunglasses": a model name is no weekday or period
    model_spans = [span for phrase in matcher.model_phrases for span in _find_all(norm, phrase, plural=True)]
    blanked = "".join(" " if any(s <= i < e for s, e in yoy_spans + model_spans) else c
                      for i, c in enumerate(question))
    periods = parse_periods(blanked, today)
    taken: list[tuple[int, int]] = [p.span for p in periods]
    values: dict[str, list[str]] = {}
    hits: list[tuple[str, str, int, int]] = []

    def keep(kind: str, value: str, start: int, end: int) -> None:
        if value not in values.setdefault(kind, []):
            values[kind].append(value)
        hits.append((kind, value, start, end))

    top_n: int | None = None
    top_span: tuple[int, int] | None = None
    for m in _TOP_N.finditer(question):
        if any(s < m.end() and m.start() < e for s, e in (p.span for p in periods)):
            continue  # "the first 10 days of October" is a period, not a top 10
        group = next(g for g in ("n", "m", "w", "s", "g") if m.group(g))
        n = m.group(group)
        top_n = int(n) if n.isdigit() else _NUMBERS[n.lower()]
        top_span = m.span(group)
        taken.append(top_span)
        break
    if top_n is None and _SINGULAR_TOP.search(question):
        top_n = 1
    for m in _AGE_BAND.finditer(norm):
        band = _age_band(m)
        if band and all(m.end() <= s or m.start() >= e for s, e in taken):
            keep("age_band", band, *m.span())
            taken.append(m.span())

    product_taken = list(taken)
    store_or_model: list[tuple[int, int, str, str]] = []
    store_aliases = {text: value for text, kind, value, *_ in matcher.entries if kind == "store"}
    sku_aliases = {text: value for text, kind, value, *_ in matcher.entries if kind == "sku"}
    city_aliases = {_fold_accents(text): value for text, kind, value, *_ in matcher.entries if kind == "city"}
    state_aliases = {_fold_accents(text): value for text, kind, value, *_ in matcher.entries if kind == "state"}
    city_or_state: list[tuple[int, int, str, str]] = []
    not_a_store: list[tuple[int, int]] = []
    one_of_several: list[tuple[int, int, tuple[str, ...]]] = []
    groups_named: list[tuple[int, int, tuple[str, ...]]] = []
    smaller: list[tuple[int, int, str]] = []
    for hit in matcher.scan(norm, matcher.entries, product_taken):
        alias = norm[hit.start:hit.end]
        if alias in matcher.cased_aliases and not question[hit.start].isupper():
            continue  # "made at least one sale" is no store "Salé"
        if alias in matcher.cased_exonyms and (not question[hit.start].isupper() or (
                not question[:hit.start].strip() and not _PLACE_HEADING.match(question, hit.end))):
            continue  # "Come" heading a question, "a fez": the words, not Como or Fès ("Fez revenue": the city)
        if hit.kind in ("brand", "keyword", "sku") and _DAY_NAME.fullmatch(alias) and _ON_DAY_BEFORE.search(
                norm[:hit.start]):
            continue  # "frames sold on Saturdays" for a brand called Saturdays: the day of the week, not the brand
        if hit.kind in ("store", "sku") and alias in matcher.keyword_aliases and alias in store_aliases:
            # "Schwabing" names a store and a product model (whichever of the two the scan found first): the
            # wording may settle it ("at Schwabing", "the Schwabing store" / "Schwabing models"); otherwise ask,
            # never pick one
            reading = _reading(norm, hit.start, hit.end, _STORE_OR_MODEL) or _seller(norm, hit.start, hit.end) or \
                _paired_with_store(
                norm, hit.start, hit.end, {a for a in store_aliases if a not in matcher.keyword_aliases})
            if reading == "model":
                keep(*(("sku", sku_aliases[alias]) if alias in sku_aliases else ("keyword", alias)), hit.start, hit.end)
                continue
            if reading is None:
                store_or_model.append((hit.start, hit.end, store_aliases[alias], alias))
                continue
            keep("store", store_aliases[alias], hit.start, hit.end)
            continue
        folded = _fold_accents(alias)
        if hit.kind in ("city", "state") and folded in city_aliases and _ONE_STORE_AFTER.match(norm, hit.end) \
                and not _WHICH_BEFORE.search(norm[:hit.start]):
            # "the Zürich shop" where the tenant has two shops in Zürich: which one is asked, never both added up
            # ("which Zürich shop ..." ranks them)
            codes = tuple(sorted(st.code for st in catalog.stores if st.city == city_aliases[folded]))
            if len(codes) > 1:
                one_of_several.append((hit.start, hit.end, codes))
                continue
        folded = _fold_accents(alias)
        if hit.kind in ("city", "state") and folded in city_aliases and folded in state_aliases and \
                _different_stores(catalog, city_aliases[folded], state_aliases[folded]):
            # "Québec" names a city of the tenant and one of its provinces with other stores too: "the province of
            # Quebec", "Quebec province" / "Quebec City", "the city of Québec" say which (the noun is part of the
            # name, no breakdown); patients are only counted by province; otherwise ask, never pick one. (A
            # city-state, Berlin, has the same stores either way: read as the city, below.)
            # ("patients in Quebec City" is the city, which patients are not recorded by: refused, never the province)
            reading = _reading(norm, hit.start, hit.end, _CITY_OR_STATE) or (
                "state" if _PATIENT_WORDS.search(norm) else None) or (
                # "Hanoi revenue": a name ISO types as a city (a municipality) is the city; its province is asked
                # for with the noun ("Hà Nội province")
                "city" if is_city_kind_subdivision_name(alias, catalog_regions(catalog).countries) else None)
            if reading is None:
                city_or_state.append((hit.start, hit.end, city_aliases[folded], state_aliases[folded]))
                continue
            # the noun is part of the name ("Quebec City", "Quebec province"); a store noun stays a word of its own
            # ("which São Paulo store": the stores are ranked)
            noun = (_STATE_WORDING_AFTER if reading == "state" else _CITY_NOUN_AFTER).match(norm, hit.end)
            end = noun.end() if noun else hit.end
            # "Estado do Rio de Janeiro", "Región de Valparaíso": the region noun before the name is part of it too
            lead = _NAMED_REGION_BEFORE.search(norm[:hit.start]) if reading == "state" else None
            start = lead.start() if lead else hit.start
            keep(reading, (city_aliases if reading == "city" else state_aliases)[folded], start, end)
            product_taken.append((start, end))
            continue
        if hit.kind in ("city", "state") and folded in city_aliases and folded in state_aliases and \
                _reading(norm, hit.start, hit.end, _CITY_OR_STATE) == "state":
            # "the Venezia province" whose stores are all in the city Venezia: the same rows either way, read as the
            # region with its noun (the noun is part of the name, never a breakdown by region)
            start, end = _with_region_noun(norm, hit.start, hit.end)
            keep("state", state_aliases[folded], start, end)
            product_taken.append((start, end))
            continue
        if hit.kind == "store" and (_STATE_WORDING_AFTER.match(norm, hit.end)
                                    or _NAMED_REGION_BEFORE.search(norm[:hit.start])):
            # "the Setúbal district", "Faro region": a shop named after its town, and the region that town is in
            # (named by the same word, or the one region of the town's stores), with the noun
            states = {state_aliases[folded]} if folded in state_aliases else {
                st.state for st in catalog.stores if _fold_accents(st.city.lower()) == folded}
            if len(states) == 1:
                start, end = _with_region_noun(norm, hit.start, hit.end)
                keep("state", states.pop(), start, end)
                product_taken.append((start, end))
                continue
        if hit.kind == "city" and folded not in state_aliases and \
                _reading(norm, hit.start, hit.end, _CITY_OR_STATE) == "state" and \
                is_lower_subdivision_name(hit.value, catalog_regions(catalog).countries) and \
                re.search(r"provinc|d[ée]partement|department|count(?:y|ies)|prefect|distri",
                          norm[slice(*_with_region_noun(norm, hit.start, hit.end))]) and \
                not re.match(rf"\s*(?:{_tenant_region_word(catalog)})\b", norm[hit.end:]) and \
                not re.search(rf"\b(?:{_tenant_region_word(catalog)})\s+(?:of\s+)?(?:the\s+)?$", norm[:hit.start]):
            # "the province of Sevilla" where the tenant keeps autonomous communities: a smaller area than its stored
            # regions (ISO puts the province under one), never the whole community ("the region of Sevilla" still is)
            smaller.append((*_with_region_noun(norm, hit.start, hit.end), hit.value))
            continue
        if hit.kind == "city" and folded not in state_aliases and \
                _reading(norm, hit.start, hit.end, _CITY_OR_STATE) == "state":
            # "canton Bern", "the Bern canton" where the region's names the tenant's data knows ("Berne") are not
            # the city's: the region of the city's stores (the one region they are all in), with the noun
            states = {st.state for st in catalog.stores if st.city == hit.value}
            if len(states) == 1:
                start, end = _with_region_noun(norm, hit.start, hit.end)
                keep("state", states.pop(), start, end)
                product_taken.append((start, end))
                continue
        if hit.kind in ("sku", "keyword") and _IN_A_PLACE.search(norm, 0, hit.start) and \
                _fold_accents(alias) not in {_fold_accents(c.lower()) for c in catalog.cities} and \
                known_places([question[hit.start:hit.end]]):
            # "how much did we sell in Nazaré" where Nazaré is a product's name and a town the tenant has no store
            # in: a place the tenant does not trade in, never the product's sales
            not_a_store.append((hit.start, hit.end))
            continue
        if (hit.kind == "sku" and alias != hit.value.lower() or hit.kind == "keyword") and \
                _STORE_WORDING_AFTER.match(norm, hit.end):
            # "our Delft store" where Delft is only a product model, "our Jaipur branch" where Jaipur is a word of
            # two products' names: a store the tenant does not have, never the products' sales
            not_a_store.append((hit.start, hit.end))
            continue
        if hit.kind == "city_group":  # an informal region over several stored cities ("Tricity")
            for value in hit.value.split(","):
                keep("city", value, hit.start, hit.end)
            continue
        if hit.kind == "state_group":
            for value in hit.value.split(","):
                keep("state", value, hit.start, hit.end)
            groups_named.append((hit.start, hit.end, tuple(hit.value.split(","))))
            continue
        if hit.kind == "state":
            # "the Biobío Region", "Región de Los Lagos", "the region of Maule": a region named with its noun (one
            # region: the noun in the singular) is that region; the noun is part of the name, never an unknown name
            # or a breakdown by region
            lead = _NAMED_REGION_BEFORE.search(norm[:hit.start])
            noun = _NAMED_REGION_AFTER.match(norm, hit.end)
            if lead or noun:
                start, end = lead.start() if lead else hit.start, noun.end() if noun else hit.end
                keep("state", hit.value, start, end)
                product_taken.append((start, end))
                continue
        keep(hit.kind, hit.value, hit.start, hit.end)
    # Uppercase state codes ("in OR", "NSW", "GB-KEN") only when written in capitals and one of the tenant's states
    # (stored as the code, or stored as a name with that ISO 3166-2 code); a code of two stored values is asked about.
    code_ambiguous: list[tuple[int, int, tuple[str, ...]]] = []
    for m in re.finditer(r"(?<![\w-])([A-Z]{2,3}(?:-[A-Z0-9]{1,3})?)(?![\w-])", question):
        options = matcher.region_codes.get(m.group(1), ())
        if options and all(m.end() <= s or m.start() >= e for s, e in product_taken):
            if len(options) == 1:
                keep("state", options[0], *m.span())
            else:
                code_ambiguous.append((m.start(), m.end(), options))
            product_taken.append(m.span())
    # "Amersfoort vs Utrecht": named beside other cities only (or regions only), a city-or-region name is one of them
    # (a store named by its city's name, "Amersfoort", is that city here)
    cities = {_fold_accents(c.lower()): c for c in catalog.cities}
    kinds = {"city" if kind == "store" and _fold_accents(norm[s:e]) in cities else kind for kind, _, s, e in hits}
    if city_or_state and ("city" in kinds) != ("state" in kinds):
        reading = "city" if "city" in kinds else "state"
        if reading == "city":
            for hit in [h for h in hits if h[0] == "store" and _fold_accents(norm[h[2]:h[3]]) in cities]:
                hits.remove(hit)
                values["store"].remove(hit[1])
                if not values["store"]:
                    del values["store"]
                keep("city", cities[_fold_accents(norm[hit[2]:hit[3]])], hit[2], hit[3])
        for start, end, city, state in city_or_state:
            keep(reading, city if reading == "city" else state, start, end)
        city_or_state = []
    # "Aspen vs Boulder": a store named by its city's name ("Peak Vision Aspen") set side by side with cities that each
    # have one store whose name carries the city's name ("Peak Vision Boulder Pearl"): every place named is one shop
    # called after its town, so the shops are compared (the same rows as the towns)
    one_shop = {city: [st for st in catalog.stores if st.city == city] for k, city, *_ in hits if k == "city"}
    if one_shop and _SIDE_BY_SIDE.search(norm) and any(k == "store" for k, *_ in hits) and all(
            len(shops) == 1 and _fold_accents(city.lower()) in _fold_accents(shops[0].name.lower())
            for city, shops in one_shop.items()) and all(
            k != "store" or _fold_accents(norm[s:e]) in cities for k, _, s, e in hits):
        for i, (kind, value, *_) in enumerate(list(hits)):
            if kind == "city":
                _rekind(hits, values, i, "store", one_shop[value][0].code)
    # "the Perth and Fremantle stores": a store named by its city's name, listed with cities only, is that city (a
    # store filter and a city filter together would select no rows)
    if any(k == "city" for k, *_ in hits) and all(
            k != "store" or _fold_accents(norm[s:e]) in cities for k, _, s, e in hits):
        for i, (kind, _, start, end) in enumerate(list(hits)):
            if kind == "store":
                _rekind(hits, values, i, "city", cities[_fold_accents(norm[start:end])])
    # "both Providencia stores", "our two Providencia shops": a store named by its city's name, followed by a plural
    # store noun, is the city when the city has two stores or more (the plural cannot be the one store)
    for i, (kind, _, start, end) in enumerate(list(hits)):
        city = cities.get(_fold_accents(norm[start:end])) if kind == "store" else None
        if city is not None and sum(st.city == city for st in catalog.stores) >= 2 \
                and _PLURAL_STORES_AFTER.match(norm, end):
            _rekind(hits, values, i, "city", city)
    # "Gelderland vs Groningen": a name of both a city and a region with the same stores (the region's one store is in
    # the city), named beside regions only, is one of the regions (beside cities only, one of the cities); read as the
    # other kind, the two would be one filter on each and select no rows
    for i, (kind, value, start, end) in enumerate(list(hits)):
        folded = _fold_accents(norm[start:end])
        if kind not in ("city", "state") or folded not in city_aliases or folded not in state_aliases:
            continue
        others = {"city" if k == "store" and _fold_accents(norm[s:e]) in cities else k
                  for j, (k, _, s, e) in enumerate(hits) if j != i} & {"city", "state"}
        if len(others) != 1 or kind in others:
            continue
        other = others.pop()
        new_value = (city_aliases if other == "city" else state_aliases)[folded]
        hits[i] = (other, new_value, start, end)
        if not any(k == kind and v == value for k, v, *_ in hits):
            values[kind] = [v for v in values[kind] if v != value]
            if not values[kind]:
                del values[kind]
        if new_value not in values.setdefault(other, []):
            values[other].append(new_value)
    ambiguous = matcher.scan(norm, matcher.ambiguous, product_taken)
    patient_taken = list(taken)
    # a place word inside a brand, product, store or model name ("Hamburg" of the brand "Hamburg Atelier") is part of
    # that name, never a state as well
    named = [(s, e) for kind, _, s, e in hits if kind in ("brand", "sku", "store", "keyword")]
    for hit in matcher.scan(norm, matcher.patient_entries, patient_taken):
        if hit.kind in ("state", "state_group") and any(
                s <= hit.start and hit.end <= e and (s, e) != (hit.start, hit.end) for s, e in named):
            continue
        for value in hit.value.split(",") if hit.kind == "state_group" else (hit.value,):
            keep("state" if hit.kind == "state_group" else hit.kind, value, hit.start, hit.end)
    spans = sorted(set(product_taken) | set(patient_taken) | set(yoy_spans))

    # the tenant's own words, and the nouns for a state-level place ("by Bundesland", "per Canton"): never a name
    extra_ok = frozenset(catalog.tenant_words) | frozenset(catalog.chain_prefix) | catalog.shared_store_words \
        | REGION_NOUNS | {"land", "lander"}
    unresolved: list[Unresolved] = []

    time_spans = [p.span for p in periods] + yoy_spans

    def report(kind: str, text: str, options: tuple[str, ...] = (), span: tuple[int, int] | None = None) -> None:
        if span is not None:
            # quote the unknown name only, never the period written after or before it ("in Hesse 2025" -> "Hesse")
            start, end = span
            for s, e in sorted(time_spans):
                if s < end and e > start:
                    if s > start:
                        end = s
                    elif e < end:
                        start = e
            text = re.sub(r"(?:\s+(?:in|of|for|during|on|from|to|and|the|vs\.?|versus))+\s*$", "",
                          question[start:end].strip(" \t,;:-"), flags=re.I) if start < end else ""
        text = text.strip().strip("\"'").strip()
        if text and all(u.text != text for u in unresolved):
            unresolved.append(Unresolved(kind, text, options))

    for hit in ambiguous:
        report(hit.kind, question[hit.start:hit.end], tuple(hit.value.split(",")))
    for start, end, code, alias in store_or_model:
        report("store_or_model", question[start:end], (code, alias))
    for start, end, city, state in city_or_state:
        report("city_or_state", question[start:end], (city, state))
    for start, end in not_a_store:
        report("store", question[start:end])
    for start, end, codes in one_of_several:
        report("ambiguous", question[start:end], codes)
    for start, end, city in smaller:
        report("smaller_region", question[start:end], (city,))
    # "Lombardia vs Veneto": a larger region set beside another region to compare would be split into its stored
    # regions, one row each, never its one total: said, not answered
    others = {v for k, v, s, e in hits if k == "state" and not any(gs <= s and e <= ge for gs, ge, _ in groups_named)}
    if groups_named and len(groups_named) + len(others) >= 2 and _SIDE_BY_SIDE.search(norm):
        for start, end, members in groups_named:
            report("region_group", question[start:end], members)
    for start, end, options in code_ambiguous:
        report("ambiguous_state", question[start:end], options)

    if matcher.elsewhere_rx is not None:
        for m in matcher.elsewhere_rx.finditer(norm):
            if not _covered(*m.span("name"), spans, norm, extra_ok):
                report("city", question[m.start("name"):m.end("name")], matcher.unplaced_codes, span=m.span("name"))
    for m in _CODE.finditer(question):
        if not _covered(*m.span(), spans, norm, extra_ok):
            report("code", m.group(0))
    for m in _QUOTED.finditer(question):
        group = "a" if m.group("a") is not None else "b"
        if not _covered(*m.span(group), spans, norm, extra_ok) or not _WORD_RE.search(m.group(group)):
            report("store" if re.search(r"\b(?:store|shop|branch|location)s?\W*$", question[: m.start()], re.I)
                   else "name", m.group(group))
    for m in _STORE_NAME.finditer(question):
        name = m.group("name")
        looks_like_name = name[:1].isupper() or name[:1].isdigit() or re.search(r"[\"';0-9=]", name)
        if looks_like_name and not _covered(*m.span("name"), spans, norm, extra_ok):
            report("store", name, span=m.span("name"))
    for m in _AFTER_PREPOSITION.finditer(question):
        if _covered(*m.span("name"), spans, norm, extra_ok):
            continue
        report({"at": "store", "in": "city"}.get(m.group("prep").lower(), "name"), m.group("name"), span=m.span("name"))
    # A capitalized word in mid-sentence that names nothing we know ("How many Zeiss lenses..."), unless the
    # question is written in Title Case.
    words = list(re.finditer(r"[A-Za-z][\w'&+-]*", question))
    capitalized = [w for w in words if w.group(0)[0].isupper() and not _SENTENCE_START.search(question[: w.start()])]
    if len(capitalized) <= max(2, len(words) // 2):
        runs: list[list[re.Match[str]]] = []
        for w in capitalized:
            if re.fullmatch(r"I(?:'(?:d|m|ve|ll))?", w.group(0)) or _covered(*w.span(), spans, norm, extra_ok) or any(
                    w.group(0).lower() in u.text.lower() for u in unresolved):
                continue
            if runs and not question[runs[-1][-1].end():w.start()].strip():
                runs[-1].append(w)  # "Black Friday": one name
            else:
                runs.append([w])
        for run in runs:
            report("name", question[run[0].start():run[-1].end()], span=(run[0].start(), run[-1].end()))

    # Blank out what was found (product names must not read as intent words), except category and lens-type
    # words, which carry intent ("lens type", "frames in stock").
    masked = list(question)
    for kind, _, s, e in hits:
        if kind not in ("category", "lens_type"):
            for i in range(s, e):
                masked[i] = " "
    for p in periods:
        for i in range(*p.span):
            masked[i] = " "
    return Extraction(values={k: tuple(v) for k, v in values.items()}, unresolved=tuple(unresolved),
                      masked="".join(masked), hits=tuple(hits), periods=tuple(periods),
                      year_over_year=bool(yoy_spans), top_n=max(1, min(MAX_TOP_N, top_n)) if top_n else None,
                      top_span=top_span,
                      readings=same_store_readings(catalog, question, norm, hits, city_aliases, state_aliases))


# ---------------------------------------------------------------------------------------------------------------
# Typos
# ---------------------------------------------------------------------------------------------------------------

_DOMAIN = frozenset("""
revenue revenues turnover income takings earnings earned gross net sales sold sell selling sells units unit
quantity orders order transactions transaction receipts tickets baskets basket average averages avg value values
price prices pricing discount discounts discounted markdown markdowns promotion promotions reorder restock
stock stocked inventory on hand patients patient wearers progressive progressives bifocal bifocals varifocal
varifocals single vision reading occupational contact contacts lenses lens frames frame sunglasses sunglass
accessories accessory services service category categories brand brands product products store stores location
locations branch branches city cities state states month months monthly week weeks weekly quarter quarters
quarterly year years yearly annual daily day days weekday weekdays weekend weekends january february march april
may june july august september october november december monday tuesday wednesday thursday friday saturday
sunday compare compared comparison versus growth percentage percent share proportion breakdown highest lowest
best worst most least top bottom biggest smallest which what how many much total totals number count distinct
different unique items item skus sku catalog catalogue last this previous prior since between through during
between half first second third fourth today yesterday ytd selling performing performance busiest slowest
increase decrease change difference against each every per across group band bands range age ages types type
shop shops outlet outlets boutique boutiques there their they them were have has had does did done from with
without about
show list give tell please many much more less than then also only just same again instead
sellers seller performers numbers split contribute contributed contribution glasses customers customer model models
packs pack christmas summer winter spring autumn fall holiday holidays like doing going went drop dropped biggest
worth running left weekend weekends season seasonal sitting fitting moving moved shifted people wearing wear
overall everything anything something total totals ever since started opened company business chain entire whole
optician opticians optometrist optometrists staff employee employees salesperson salespeople
""".split())
DOMAIN_WORDS = _DOMAIN  # the domain vocabulary (typo correction targets)
_TYPO_MIN_LEN = 4
_TYPO_CUTOFF = 0.8
_TRANSLITERATION = str.maketrans({"ä": "ae", "ö": "oe", "ü": "ue", "ß": "ss", "æ": "ae", "ø": "oe", "å": "aa"})


def ascii_folds(word: str) -> set[str]:
    """The ASCII spellings of a word with letters outside ASCII: its letters without their accents ("königsallee" ->
    "konigsallee", "ß" -> "ss") and the German/Nordic transliteration ("koenigsallee"). Empty for an ASCII word."""
    if word.isascii():
        return set()
    plain = strip_accents(word.replace("ß", "ss").replace("æ", "ae"))
    out = {f for f in (plain, word.translate(_TRANSLITERATION)) if f.isascii()}
    return {f for f in out if f != word}


def _vocabulary(catalog: Catalog) -> dict[str, str]:
    """Known words (lower case) -> their canonical spelling; multi-word names also without spaces/hyphens."""
    vocab: dict[str, str] = {w: w for w in _DOMAIN | _COMMON | frozenset(MONTHS) | REGION_NOUNS | {"region"}}
    names = [*catalog.brands, *catalog.cities, *(s.name for s in catalog.stores), *(p.name for p in catalog.products),
             *_region_names(catalog)]
    for name in names:
        low = name.lower()
        for word in re.findall(r"[^\W_][\w'&+.-]*", low):
            vocab.setdefault(word.strip(".'"), word.strip(".'"))
            for part in word.split("-") if "-" in word else ():  # "Beija Flor" typed for "Beija-Flor": both known
                vocab.setdefault(part.strip(".'"), part.strip(".'"))
        joined = re.sub(r"[\s-]+", "", low)
        if joined != low and len(joined) >= _TYPO_MIN_LEN:
            vocab.setdefault(joined, low)
        for word in re.findall(r"[^\W_][\w'&+.-]*", low):
            # a name typed without its diacritics ("konigsallee", "koenigsallee", "friedrichstrasse"): the stored name
            for folded in ascii_folds(word.strip(".'")):
                vocab.setdefault(folded, word.strip(".'"))
    for words in (*CATEGORY_WORDS.values(), *LENS_TYPE_WORDS.values()):
        for phrase in words:
            for word in phrase.split():
                vocab.setdefault(word, word)
    return vocab


def _exonym_words(catalog: Catalog, vocab: dict[str, str]) -> set[str]:
    """Words of the other-language names of the tenant's cities that are not known otherwise ("genf", "munich"):
    known, so never "corrected", but never a correction target either (a misspelled "Adelaid" is the stored
    "Adelaide", not a tie with a foreign "Adelaida")."""
    return {w for name in _city_exonyms(catalog) for w in re.findall(r"[^\W\d_][\w'.-]*", name)
            if w not in vocab}


_vocab_cache: dict[int, tuple[Catalog, dict[str, str], list[str], list[str], dict[str, str]]] = {}


def _city_exonyms(catalog: Catalog) -> list[str]:
    """Other-language names of the tenant's cities ("munich", "genf"), for typo correction."""
    matcher = _matcher(catalog)
    return [e[0] for e in (*matcher.entries, *matcher.ambiguous) if e[1] in ("city", "ambiguous_city")
            and e[0] not in {c.lower() for c in catalog.cities}]


def _region_names(catalog: Catalog) -> list[str]:
    """Names of the tenant's states / provinces ("Nova Scotia", "New South Wales") and of the regions over several of
    them ("Lombardy", "Kanto": never "corrected" into another word), for typo correction."""
    regions = catalog_regions(catalog)
    return [a for a in (*regions.aliases, *regions.groups) if re.fullmatch(r"[a-z][a-z .'-]*", a)]


def _one_slip(word: str, typed: str) -> bool:
    """Is `typed` `word` (of the same length) with one letter wrong or two neighbouring letters swapped?"""
    wrong = [i for i, (a, b) in enumerate(zip(word, typed, strict=True)) if a != b]
    return len(wrong) == 1 or (len(wrong) == 2 and wrong[1] == wrong[0] + 1
                               and word[wrong[0]] == typed[wrong[1]] and word[wrong[1]] == typed[wrong[0]])


def correct_typos(question: str, catalog: Catalog) -> str:
    """`question` with misspelled words replaced by the closest known word (catalog names and domain words).

    Only words of at least 4 letters that are not known are touched, and only when one known word is at least 80 %
    similar (difflib ratio). A joined spelling of a multi-word name ("rayban") becomes the name ("ray-ban").
    Capitalization of the first letter is kept (it matters for month names and unknown-name detection).
    """
    key = hash(catalog)
    cached = _vocab_cache.get(key)
    if cached is None or cached[0] != catalog:
        vocab = _vocabulary(catalog)
        names = {w for n in (*catalog.brands, *catalog.cities, *(s.name for s in catalog.stores),
                             *_region_names(catalog))
                 for w in re.findall(r"[a-z0-9][a-z0-9'&+.-]*", n.lower())}
        foreign = _exonym_words(catalog, vocab)
        words_list = sorted(vocab)  # correction targets: without the foreign city names
        vocab.update({w: w for w in foreign})
        matcher = _matcher(catalog)
        exonym_city = {e[0]: e[2] for e in matcher.entries if e[1] == "city" and " " not in e[0] and e[0] in foreign}
        cached = (catalog, vocab, words_list, sorted(names), exonym_city)
        if len(_vocab_cache) > 64:
            _vocab_cache.clear()
        _vocab_cache[key] = cached
    _, vocab, words, names, exonyms = cached
    # "Mexico City" for a stored "Ciudad de México": the words of an other-language city name of several words, typed
    # as that name spells them, keep their letters ("méxico City" would no longer be the name)
    lowered = _fold_accents(question.lower())
    as_typed = {w for name in _city_exonyms(catalog) if " " in name and re.search(rf"\b{re.escape(name)}\b", lowered)
                for w in name.split()}
    # "Da Nang" for a stored "Đà Nẵng": the words of a stored city's name of several words, typed without its accents,
    # keep their letters ("Da nẵng" would no longer be the name). Not a region's other names: "Ho Chi Minh City" is
    # also an other name of the province, and only the accents put back read it as the city
    as_typed |= {w for name in catalog.cities if " " in name.strip()
                 and re.search(rf"\b{re.escape(_fold_accents(name.lower()))}\b", lowered)
                 for w in _fold_accents(name.lower()).split()}
    # "lentes de contato", "lenti a contatto": a category named in the staff's language is no misspelled English
    as_typed |= {w for phrases in FOREIGN_CATEGORY_WORDS.values() for phrase in phrases
                 if re.search(rf"\b{re.escape(_fold_accents(phrase))}\b", lowered) for w in phrase.split()}

    def fix(match: re.Match[str]) -> str:
        word = match.group(0)
        low = word.lower()
        if low in as_typed:
            return word
        if low in _ABBREVIATIONS:
            return _ABBREVIATIONS[low]
        if low in _TRADE_SYNONYMS and low not in vocab:
            return _TRADE_SYNONYMS[low]
        if low in _BILL_VERB and not re.search(r"\b(?:the|a|an|average|avg|per|each|every|my|your|our|many|of|all"
                                               r"|by|on|in|with|more|fewer|those|these|which|what)\s+$",
                                               match.string[:match.start()], re.I):
            return _BILL_VERB[low]  # "what did we bill in Q1": what we invoiced, the revenue
        if low in vocab and vocab[low] != low:
            return vocab[low]  # "rayban" -> "ray-ban"
        if len(low) == _TYPO_MIN_LEN - 1 and low.isalpha() and low not in vocab and low not in phrase_words():
            # a 3-letter unknown word is a 4-letter known word with its double letter typed once ("wek", "sel"):
            # taken only when exactly one doubling is a known word (never a word of another language, "les")
            doubled = {low[:i] + low[i] + low[i:] for i in range(len(low))} & vocab.keys()
            if len(doubled) == 1:
                fixed = vocab[doubled.pop()]
                return fixed[:1].upper() + fixed[1:] if word[:1].isupper() else fixed
        if len(low) < _TYPO_MIN_LEN or low in vocab or any(c.isdigit() for c in low):
            return word
        if "'" in low.rstrip("'")[:-2] or ("'" in low and not low.endswith(("'s", "s'"))):
            return word  # a contraction ("you're", "I'd") is not a misspelling
        if low.endswith("s") and low[:-1] in vocab or low.endswith("'s") and low[:-2] in vocab:
            return word
        english = low in english_words()
        # a typo keeps its first letter (so "sitting" is never read as the product word "fitting")
        close: list[str] = []
        if word[:1].isupper():  # a capitalized word is most likely a name: the catalog's names first
            close = [w for w in difflib.get_close_matches(low, names, n=4, cutoff=_TYPO_CUTOFF) if w[0] == low[0]][:2]
        if english and not close:
            return word  # a real word ("stack up against") is what the user meant, not a misspelled "stock"
        close = close or [w for w in difflib.get_close_matches(low, words, n=6, cutoff=_TYPO_CUTOFF)
                          if w[0] == low[0]][:2]
        if not close and len(low) == _TYPO_MIN_LEN and not english:
            # a 4-letter non-word with one letter wrong ("mant") is 75 % similar: taken only when one word is that close
            # (one letter, or two neighbours swapped, "yaer": "freo" is 75 % similar to "from" too, two letters wrong)
            near = [w for w in difflib.get_close_matches(low, words, n=6, cutoff=0.75) if w[0] == low[0]
                    and len(w) == len(low) and _one_slip(w, low)]
            close = near if len(near) == 1 else []
        if not close and not english and not word[:1].isupper():
            close = _within_edits(low, words)
        if not close and not english:
            # "banglore": a misspelled other name of a stored city ("Bangalore" for "Bengaluru"), when no word of
            # the tenant's own is near it: the nearest such name, when all the near ones name the same city
            near = [w for w in difflib.get_close_matches(low, list(exonyms), n=4, cutoff=_TYPO_CUTOFF)
                    if w[0] == low[0] and edit_distance(low, w) <= max_edits(w)]
            close = near[:1] if len({exonyms[w] for w in near}) == 1 else []
        if not close:
            return word
        if len(close) > 1 and difflib.SequenceMatcher(None, low, close[0]).ratio() == \
                difflib.SequenceMatcher(None, low, close[1]).ratio() and vocab[close[0]] != vocab[close[1]]:
            return word  # two equally close readings: leave it (an unknown name is reported, not guessed)
        if "-" not in low and edit_distance(low, close[0]) > max_edits(close[0]):
            return word  # "soldes" is no misspelled "sold": two letters more than a short word allows is another word
        fixed = vocab[close[0]]
        return fixed[:1].upper() + fixed[1:] if word[:1].isupper() else fixed

    # whole words only, accented ones too ("Florinópolis"): never a piece of a word ("Baden-W" of "Baden-Württemberg")
    fixed = re.sub(r"(?<![^\W\d_])[^\W\d_][^\W\d_'-]*(?:['-][^\W\d_]+)*(?![^\W\d_])", fix, question)
    fixed = _chain_noun(fixed, catalog)
    return _short_name_words(fixed, catalog, frozenset(words))  # a foreign city name's word ("rok") is no obstacle


def _chain_noun(question: str, catalog: Catalog) -> str:
    """"takings for each óptica", "all our ópticas": the noun every store's name starts with ("Ópticas Jacaranda
    Roma", "Optik Melati ...") after each / every / per / by / all, one store each, is the word store."""
    head = catalog.chain_prefix[:1]
    if not head or head[0] not in catalog.shared_store_words:
        return question
    stem = fold(head[0]).rstrip("s")
    if len(stem) < 4:
        return question

    def swap(m: re.Match[str]) -> str:
        return m.group(1) + ("stores" if re.match(r"(?i)all|our", m.group(1)) else "store")

    return re.sub(r"(?i)(\b(?:each|every|per|by|all(?:\s+(?:the|our))?|our)\s+)([^\W\d_]+)(?![^\W\d_])",
                  lambda m: swap(m) if fold(m.group(2)).rstrip("s") == stem else m.group(0), question)


def _short_name_words(question: str, catalog: Catalog, vocab: Collection[str]) -> str:
    """"Round Rok" -> "Round Rock": a word too short for the corrector (2-3 letters) right after the word a
    catalog name puts before it, one edit from the name's word there (same first letter), and not a known word (the
    word before it is the evidence: "rok" alone is never corrected); only when one word of the tenant's names fits."""
    pairs: dict[str, set[str]] = {}
    for name in (*catalog.brands, *catalog.cities, *(s.name for s in catalog.stores),
                 *(p.name for p in catalog.products)):
        words = name.lower().split()
        for a, b in zip(words, words[1:], strict=False):
            if 3 <= len(b) <= _TYPO_MIN_LEN and b.isalpha():
                pairs.setdefault(a, set()).add(b)
    if not pairs:
        return question

    def fix(m: re.Match[str]) -> str:
        lead, word = m.group("a"), m.group("b")
        low = word.lower()
        if low in vocab or lead.lower() not in pairs:
            return m.group(0)
        options = {b for b in pairs[lead.lower()] if b[0] == low[0] and edit_distance(low, b) == 1}
        if len(options) != 1:
            return m.group(0)
        b = options.pop()
        return f"{lead}{m.group('s')}{b[:1].upper() + b[1:] if word[:1].isupper() else b}"

    return re.sub(r"(?<![\w'-])(?P<a>[^\W\d_][\w'-]*)(?P<s>\s+)(?P<b>[^\W\d_]{2,3})(?![\w'-])", fix, question)


def edit_distance(a: str, b: str) -> int:
    """Optimal string alignment distance: insertions, deletions, substitutions and swaps of two neighbours, 1 each."""
    previous2: list[int] = []
    previous = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        current = [i] + [0] * len(b)
        for j, cb in enumerate(b, 1):
            current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (ca != cb))
            if i > 1 and j > 1 and ca == b[j - 2] and a[i - 2] == cb:
                current[j] = min(current[j], previous2[j - 2] + 1)
        previous2, previous = previous, current
    return previous[-1]


def max_edits(word: str) -> int:
    """How many edits a misspelling of a word this long may have: 1 up to 5 letters, 2 from 6 letters on."""
    return 1 if len(word) <= 5 else 2


def _within_edits(low: str, words: Sequence[str]) -> list[str]:
    """The known word(s) nearest to `low` within its length's edit budget ("revneu" -> "revenue": a swap and a
    dropped letter), same first letter, at least 5 letters. Two different words at the same distance: none (the
    word is then left as written and reported as not understood, never guessed)."""
    budget = max_edits(low)
    best: list[tuple[int, str]] = []
    for known in words:
        if known[:1] != low[:1] or len(known) < 5 or abs(len(known) - len(low)) > budget or not known.isalpha():
            continue
        distance = edit_distance(low, known)
        if distance <= budget:
            best.append((distance, known))
    if not best:
        return []
    best.sort()
    nearest = [w for d, w in best if d == best[0][0]]
    stems = {w.rstrip("s") for w in nearest}
    if len(stems) > 1:
        return []
    return [nearest[0]]


# retail words for the parser's own ones, unless the catalog uses the word ("ticket" is a sale's receipt: an order)
_TRADE_SYNONYMS = {"ticket": "order", "tickets": "orders", "billings": "revenue", "billing": "revenue",
                   "refs": "products", "references": "products"}  # "refs": catalogue references, the SKUs
_BILL_VERB = {"bill": "make", "billed": "made", "bills": "makes"}
_ABBREVIATIONS = {"yr": "year", "yrs": "years", "qtr": "quarter", "qtrs": "quarters", "wk": "week", "wks": "weeks",
                  "wknd": "weekend", "wknds": "weekends",
                  "mth": "month", "mths": "months", "mon": "month", "rev": "revenue", "avg": "average",
                  "amt": "amount", "num": "number", "prev": "previous", "thru": "through", "nr": "number",
                  "tot": "total", "ttl": "total", "pcs": "pieces", "loc": "location", "locs": "locations",
                  "lst": "last", "ths": "this", "qty": "quantity", "mo": "month", "q'ty": "quantity",
                  "cat": "category", "cats": "categories", "prod": "product", "prods": "products",
                  "dept": "department", "depts": "departments", "revs": "revenue"}
