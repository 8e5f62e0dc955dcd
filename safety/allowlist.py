"""Allow-lists for PII redaction: built-in eyewear brands/models/optical terms plus per-tenant catalog names.

Public-holiday and observance names of every country (the `holidays` package: every category it keeps - public,
optional, school, bank ... - in each country's own languages, "Kurban Bayramı", "Chuseok", "Eid al-Fitr", "Tisha
B'Av", plus the native names its country modules give each holiday in the comment above it, "Yom Hazikaron") are no
person's name: `is_holiday_name` tells the redactor, also for a spelling that differs only in case, spaces, hyphens
or apostrophes ("Yom HaZikaron", "Lag BaOmer").

A tenant term is allowed wherever it occurs, except a term made with ``in_place_context(name)``: a place named like a
person ("Brandon", "Victoria") that the tenant's documents use as a place. Such a term is allowed only where the text
being redacted puts it in a place context itself: after "in / at / near / opposite / inside ..." ("referred to our
clinic in Brandon"), before a branch noun ("the Brandon store"), in a list with another allowed place ("Kenora and
Brandon"), before a bracket or comma that holds an allowed place or a street ("Brandon (Rosser Avenue)", "Brandon,
Manitoba"); never after a title, a role word or "ask for / speak to / contact", nor before a speech or person verb
("Brandon said", "Brandon will call you").
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import lru_cache
from typing import Any

from config.cache import cached_json

# Brands, labels, lens makers, retailers and vision plans that NER models mistake for people or places.
EYEWEAR_BRANDS: tuple[str, ...] = (
    "Ray-Ban", "Ray Ban", "RayBan", "Tom Ford", "Warby Parker", "Kate Spade", "Kate Spade New York", "Michael Kors",
    "Oakley", "Persol", "Oliver Peoples", "Maui Jim", "Costa", "Costa Del Mar", "Prada", "Prada Linea Rossa", "Gucci",
    "Versace", "Silhouette", "Lindberg", "Giorgio Armani", "Emporio Armani", "Armani Exchange", "Armani",
    "Dolce & Gabbana", "Dolce&Gabbana", "Burberry", "Coach", "Chanel", "Dior", "Fendi", "Tiffany", "Tiffany & Co.",
    "Ralph Lauren", "Polo Ralph Lauren", "Calvin Klein", "Hugo Boss", "BOSS", "Carrera", "Vogue Eyewear", "Miu Miu",
    "Moscot", "Garrett Leight", "Jimmy Choo", "Marc Jacobs", "Fossil", "Nike", "Under Armour", "Serengeti", "Bollé",
    "Bolle", "Arnette", "Randolph Engineering", "Mykita", "Cartier", "Bvlgari", "Bulgari", "Salvatore Ferragamo",
    "Ferragamo", "Lacoste", "Guess", "Swarovski", "Max Mara", "Etnia Barcelona", "Face à Face", "Anne et Valentin",
    "Lafont", "ProDesign", "Ørgreen", "Orgreen", "Tura", "Lilly Pulitzer", "Vera Wang", "Juicy Couture",
    "Kenneth Cole", "Nautica", "Columbia", "Flexon", "Marchon", "Safilo", "Luxottica", "EssilorLuxottica", "Zeiss",
    "Carl Zeiss", "Essilor", "Hoya", "Varilux", "Transitions", "Crizal", "Eyezen", "Shamir", "Rodenstock", "Nikon",
    "Kodak", "Seiko", "Bausch & Lomb", "Bausch + Lomb", "Acuvue", "Alcon", "CooperVision", "Dailies", "Biofinity",
    "Oasys", "Air Optix", "Precision1", "MyDay", "Clariti", "VSP", "EyeMed", "Davis Vision", "Spectera",
    "Superior Vision", "LensCrafters", "Pearle Vision", "Visionworks", "America's Best", "Eyeglass World",
    "Specsavers", "Vision Express", "Target Optical", "Sunglass Hut", "Zenni", "Costco Optical",
    "Walmart Vision Center", "Jins", "Lenskart", "Ace & Tate", "Polaroid", "Superdry", "Ted Baker", "Sferoflex",
    "Vera Bradley", "Steve Madden", "Tommy Hilfiger", "Jones New York", "Dragon", "Revo", "Smith Optics",
    "Von Zipper", "Electric", "Spy Optic", "Native Eyewear", "Wiley X", "Rudy Project", "Julbo", "Police", "Diesel",
    "Chloé", "Chloe", "Celine", "Saint Laurent", "Balenciaga", "Bottega Veneta", "Valentino", "Givenchy", "Loewe",
    "Alain Mikli", "Starck Biotech", "Barton Perreira", "Matsuda", "Masunaga", "Eyevan", "Thom Browne",
    "Cutler and Gross", "Kirk & Kirk", "Ic! Berlin", "Gotti",
    # designer labels named after people, licensed for eyewear
    "Paul Smith", "Stella McCartney", "Victoria Beckham", "Marc O'Polo", "Karl Lagerfeld", "Vivienne Westwood",
    "Alexander McQueen", "Carolina Herrera", "Oscar de la Renta", "Roberto Cavalli", "Emilio Pucci", "Elie Saab",
    "Jason Wu", "Philipp Plein", "John Varvatos", "Isabel Marant", "Tory Burch", "Kenzo", "Moschino", "Missoni",
    "Furla", "Longchamp", "Sergio Tacchini", "Ermenegildo Zegna", "Zegna", "Brioni", "Dita", "Dsquared2",
    "Fred Perry", "Ted Lapidus", "Pierre Cardin", "Yves Saint Laurent", "Jean Paul Gaultier", "Christian Lacroix",
    "Lanvin", "Chopard", "Montblanc", "Porsche Design", "Bentley", "Maybach", "Tag Heuer", "TAG Heuer", "Hublot",
    "Jimmy Fairly", "Paul Frank", "Tom Davies", "Kuboraum", "Jacques Marie Mage", "Gentle Monster", "Masunaga",
    "Eyevan 7285", "Oliver Goldsmith", "Robert La Roche", "Theo", "Xavier Garcia", "Caroline Abram",
)

# Frame and lens model names sold under those brands (often tagged as people).
EYEWEAR_MODELS: tuple[str, ...] = (
    "Wayfarer", "New Wayfarer", "Aviator", "Clubmaster", "Round Metal", "Hexagonal", "Caravan", "Olympian",
    "Holbrook", "Frogskins", "Flak", "Flak Jacket", "Radar", "Radar EV", "Jupiter", "Gascan", "Sutro", "Fins",
    "Jawbreaker", "Half Jacket", "MP-2", "Peahi", "Ho'okipa", "Mavericks", "Red Sands", "Fantail", "Reefton",
    "Tuna Alley", "Blackfin", "Lemtosh", "Miltzen", "Varilux X", "Varilux Comfort", "Varilux Physio", "Eyezen Start",
    "Crizal Sapphire", "Crizal Rock", "Crizal Prevencia", "Transitions Gen S", "Transitions XTRActive", "Xperio",
    "SmartBlue", "DriveSafe", "BlueGuard", "Autograph Intelligence", "Hoyalux", "iD MyStyle", "Sensity",
    "Stellest", "MiYOSMART", "MiSight",
)
# Frame models named after people (Oliver Peoples "Gregory Peck", Ray-Ban "Justin") are deliberately NOT built in:
# they are also real first names. A tenant passes them through ``allow=`` from its own catalog.

# Optical vocabulary that is capitalised in answers and sometimes tagged as a name.
OPTICAL_TERMS: tuple[str, ...] = (
    "OD", "OS", "OU", "PD", "DS", "SPH", "CYL", "ADD", "Rx", "Sphere", "Cylinder", "Axis", "Prism", "Base",
    "Single Vision", "Progressive", "Progressives", "Bifocal", "Bifocals", "Trifocal", "Varifocal", "Varifocals",
    "Polycarbonate", "Trivex", "High Index", "Hi-Index", "Anti-Reflective", "Blue Light", "Polarized",
    "Photochromic", "Optician", "Optometrist", "Ophthalmologist", "Remake", "Remakes", "Warranty",
)

_BUILT_IN = EYEWEAR_BRANDS + EYEWEAR_MODELS + OPTICAL_TERMS


def _compile(terms: Iterable[str]) -> re.Pattern[str] | None:
    cleaned = sorted({t.strip() for t in terms if t and t.strip()}, key=len, reverse=True)
    if not cleaned:
        return None
    alternation = "|".join(re.escape(t) for t in cleaned)
    # Word-bounded on both sides, but terms may start/end with punctuation ("Tiffany & Co.").
    return re.compile(rf"(?<![\w-])(?:{alternation})(?![\w-])", re.IGNORECASE)


_BUILT_IN_RE = _compile(_BUILT_IN)


@lru_cache(maxsize=256)
def _tenant_pattern(terms: tuple[str, ...]) -> re.Pattern[str] | None:
    return _compile(terms)


def normalize_allow(allow: Iterable[str] | None) -> tuple[str, ...]:
    """A hashable, de-duplicated, sorted form of a caller's allow-list (so compiled patterns can be cached)."""
    if not allow:
        return ()
    if isinstance(allow, str):
        allow = [allow]
    return tuple(sorted({a.strip() for a in allow if isinstance(a, str) and a.strip()}))


def _holiday_key(name: str) -> str:
    return " ".join(name.casefold().replace("’", "'").split())


HOLIDAY_TABLE_VERSION = 2  # raised when the table is built differently, so an older cache file is not read


@lru_cache(maxsize=1)
def _holiday_names() -> frozenset[str]:
    """Every holiday name the `holidays` package knows (all its categories, every language it has for each country,
    and the native names in its modules' comments), folded; also without a bracketed note ("... (estimated)") and
    before an apostrophe suffix ("Ramazan Bayramı'nın ilk günü" also gives "Ramazan Bayramı"; outside the public
    holidays not a possessive, "<someone>'s Birthday"). Built once per `holidays` version (a few seconds) and kept
    in the data folder's cache (`holiday_names-<table version>-<version>.json`); a later process reads that file. A
    cache file that is missing, unreadable or malformed is rebuilt; one that cannot be written is skipped."""
    try:
        import holidays
    except ImportError:  # pragma: no cover - a dependency
        return frozenset()
    names = cached_json(f"holiday_names-{HOLIDAY_TABLE_VERSION}-{holidays.__version__}.json",
                        lambda: sorted(_build_holiday_names(holidays)),
                        lambda v: isinstance(v, list) and all(isinstance(n, str) for n in v))
    return frozenset(names)


def _build_holiday_names(holidays: Any) -> frozenset[str]:
    localized = holidays.list_localized_countries()
    names: set[str] = set()
    for code in holidays.list_supported_countries():
        try:
            categories = getattr(holidays.country_holidays(code), "supported_categories", None) or ("public",)
        except Exception:  # noqa: BLE001 - a country the package cannot build
            categories = ("public",)
        for language in localized.get(code) or [None]:
            for kept in (("public",), tuple(c for c in categories if c != "public")):
                try:
                    found = holidays.country_holidays(code, years=range(2024, 2027), language=language,
                                                      categories=kept).values() if kept else ()
                except Exception:  # noqa: BLE001 - a country the package cannot build for those years
                    continue
                for value in found:
                    for name in str(value).split(";"):
                        name = re.sub(r"\s*\([^)]*\)", "", name).strip()
                        names.add(_holiday_key(name))
                        if kept == ("public",) or not re.search(r"['’]s\b", name):  # not "<person>'s Birthday"
                            names.add(_holiday_key(re.split(r"['’]", name)[0]))
    names |= {_holiday_key(name) for name in _commented_names(holidays)}
    return frozenset(n for n in names if len(n) >= 4)


_NAME_COMMENT = re.compile(r"^\s*#\s*(?P<name>[^#%,:;\n]+?)\.?\s*$")


def _commented_names(holidays: Any) -> set[str]:
    """The holiday names the package's country modules write in the comment right above each holiday's translatable
    name (`# Yom Hazikaron (Fallen Soldiers ... Remembrance Day).` over `tr("יום הזיכרון ...")`): the native name as
    people write it in Latin letters, which its translations lack. The bracketed English gloss is left out, and so is
    a comment that is no name (a format with "%s", a list with commas, more than six words, not capitalised)."""
    from pathlib import Path

    names: set[str] = set()
    for module in sorted((Path(holidays.__file__).parent / "countries").glob("*.py")):
        try:
            lines = module.read_text(encoding="utf-8").splitlines()
        except OSError:  # pragma: no cover - an unreadable package file
            continue
        for line, following in zip(lines, lines[1:], strict=False):
            found = _NAME_COMMENT.match(line)
            if not found or "tr(" not in following:
                continue
            name = re.sub(r"\s*\([^)]*\)", "", found["name"]).strip(" .")
            if name[:1].isupper() and len(name.split()) <= 6:
                names.add(name)
    return names


def _loose_key(name: str) -> str:
    return re.sub(r"[\W_]+", "", name.casefold())


@lru_cache(maxsize=1)
def _loose_holiday_names() -> frozenset[str]:
    """The holiday names with case, spaces, hyphens and apostrophes folded away ("yomhazikaron", "lagbaomer")."""
    return frozenset(k for k in (_loose_key(n) for n in _holiday_names()) if len(k) >= 6)


def is_holiday_name(text: str) -> bool:
    """Is `text` (a span a recognizer took for a person) a holiday's or observance's name, as written in some country
    (also spelt with other case, spaces, hyphens or apostrophes: "Yom HaZikaron" ~ "Yom Hazikaron")?"""
    key = _holiday_key(text.strip(" .,;:!?"))
    return key in _holiday_names() or (len(key.split()) > 1 and _loose_key(key) in _loose_holiday_names())


@lru_cache(maxsize=1)
def _holiday_words() -> tuple[frozenset[str], frozenset[str]]:
    """The words (3+ letters) of every holiday name, and their first six letters (inflected forms: "Wielkanoc" of
    "Niedziela Wielkanocna")."""
    words = {w for name in _holiday_names() for w in re.findall(r"[^\W\d_]{3,}", name)}
    return frozenset(words), frozenset(w[:6] for w in words if len(w) >= 6)


def is_holiday_word(word: str) -> bool:
    """Is `word` a word of some public holiday's name ("Nyepi", "Raya", "Wielkanoc"), also inflected (a word of 6+
    letters sharing its first six letters with one and differing by at most three letters in length)? Evidence only:
    many such words are also names ("Carmen", "Reyes") or English words ("Day"), which the caller weighs."""
    key = _holiday_key(word)
    words, stems = _holiday_words()
    if key in words:
        return True
    return len(key) >= 6 and key[:6] in stems and any(
        w.startswith(key[:6]) and abs(len(w) - len(key)) <= 3 for w in words if len(w) >= 6 and w[:6] == key[:6])


def builtin_spans(text: str) -> list[tuple[int, int]]:
    """Character spans of built-in brand/model/optical terms found in ``text``."""
    return list(_builtin_spans(text))


@lru_cache(maxsize=16)
def _builtin_spans(text: str) -> tuple[tuple[int, int], ...]:
    # one redaction asks for the same text's spans several times (NER gating, resolution, follow-ups)
    assert _BUILT_IN_RE is not None
    return tuple(m.span() for m in _BUILT_IN_RE.finditer(text))


PLACE_CONTEXT_PREFIX = "in-place-context:"


def in_place_context(name: str) -> str:
    """The allow-list term for a place named like a person: allowed only where the text puts it in a place context."""
    return PLACE_CONTEXT_PREFIX + name.strip()


STANDALONE_PREFIX = "standalone:"


def standalone(name: str) -> str:
    """The allow-list term for a one-word name of the tenant's that reads as a person's ("Morag", a van; "Kela", an
    agency): allowed only where it stands alone in the text (see ``tenant_spans``)."""
    return STANDALONE_PREFIX + name.strip()


def _split(allow: tuple[str, ...]) -> tuple[tuple[str, ...], tuple[str, ...]]:
    plain = tuple(a for a in allow if not a.startswith((PLACE_CONTEXT_PREFIX, STANDALONE_PREFIX)))
    contextual = tuple(a[len(PLACE_CONTEXT_PREFIX):].strip() for a in allow if a.startswith(PLACE_CONTEXT_PREFIX))
    return plain, tuple(c for c in contextual if c)


def _standalone(allow: tuple[str, ...]) -> tuple[str, ...]:
    return tuple(n for a in allow if a.startswith(STANDALONE_PREFIX) and (n := a[len(STANDALONE_PREFIX):].strip()))


# A capitalised word right next to the name makes it part of a longer name ("Morag Smith", "Ann Morag").
_CAP_WORD_AFTER = re.compile(r"[ \t]+(?:[A-Z]|[À-Þ])[\w'’\-]*")
_CAP_WORD_BEFORE = re.compile(r"(?:^|[^\w])(?:[A-Z]|[À-Þ])[\w'’\-]*[ \t]+$")


def _stands_alone(text: str, start: int, end: int) -> bool:
    """Whether text[start:end] stands alone: no capitalised word right after it, none right before it (but an
    opening word such as "The" or "Our"), no title, greeting, role word or "ask for / with / by" before it."""
    before = text[max(0, start - 40):start]
    if _ADDRESSED_BEFORE.search(before) or _CAP_WORD_AFTER.match(text, end):
        return False
    if _CAP_WORD_BEFORE.search(before):
        return before.rstrip().split()[-1].lower() in _OPENERS
    return True


# A title, greeting, role word or an instruction to reach somebody right before: a person ("Dear Morag").
_ADDRESSED_BEFORE = re.compile(
    r"(?:\b(?:Dr|Mr|Mrs|Ms|Mx|Miss|Prof|Sir|Dame|Rev|Fr|Nurse|Doctor|Sister)\.?\s+"
    r"|\b(?:ask\s+for|speak\s+(?:to|with)|talk\s+to|contact|call|ring|email|e-mail|message|text|tell|thank|thanks|"
    r"dear|hi|hello|hey|attn|cc|manager|optometrist|optician|director|owner|patient|customer|client|colleague|"
    r"nurse|assistant|receptionist|technician|named|called|meet)\s*:?\s+)$", re.IGNORECASE)
_OPENERS = frozenset("""the our your a an and or but if when while so then also only both each every el la il lo le
los las der die das""".split())


_PLACE_BEFORE = re.compile(
    r"(?:\b(?:in|at|near|opposite|inside|outside|around|within|across\s+from|next\s+to|nearest\s+to|close\s+to)"
    r"\s+(?:the\s+|our\s+)?|\b(?:city|town|suburb|district|branch|store|clinic|outlet)\s+(?:of|in|at)\s+)$",
    re.IGNORECASE)
_PLACE_AFTER = re.compile(
    r"\s+(?:branch(?:es)?|stores?|outlets?|shops?|clinics?|practices?|locations?|showrooms?|boutiques?|sites?|"
    r"premises|studios?|kiosks?|team|area|region|district|suburb|city|town)\b", re.IGNORECASE)
_PERSON_BEFORE = re.compile(
    r"(?:\b(?:Dr|Mr|Mrs|Ms|Mx|Miss|Prof|Sir|Dame|Rev|Fr|Nurse|Doctor|Sister)\.?\s+"
    r"|\b(?:ask\s+for|speak\s+(?:to|with)|talk\s+to|contact|call|ring|email|e-mail|message|text|tell|thank|thanks|"
    r"dear|hi|hello|hey|attn|cc|manager|optometrist|optician|director|owner|patient|customer|client|colleague|"
    r"nurse|assistant|receptionist|technician|by|with|from|for|to|named|called|see|meet|and\s+(?:Dr|Mr|Mrs|Ms)\.?)"
    r"\s*:?\s+)$", re.IGNORECASE)
_PERSON_AFTER = re.compile(
    r"(?:['’]s\b|\s+(?:said|says|told|asked|replied|wrote|called|phoned|emailed|texted|will|would|can|could|"
    r"should|is\s+(?:on|off|away|our|the|a|an|in\s+charge)|was|has|had|joined|left|works|worked|knows|thinks|"
    r"approves|approved|signed|sees|saw|bought|paid|ordered|picked|collected|booked)\b|\s*,\s*(?:our|the|a|an|who)\b"
    r"|\s*\((?:optometrist|optician|manager|director|owner|staff|patient|customer)\b)", re.IGNORECASE)
_NAMED_AS = re.compile(r"\s+(?:is|means|=)\s+(?:always\s+|just\s+|simply\s+)?(?:the\s+|our\s+)?(?=\S)", re.IGNORECASE)
_NEXT_ITEM = re.compile(r"\s*(?:,\s*(?:and\s+|or\s+)?|\s+(?:and|or|&)\s+|\s*\(\s*|\s*/\s*)")
_PREV_ITEM = re.compile(r"(?:,\s*|\s+(?:and|or|&)\s+|\s*/\s*)$")


def _in_place_context(text: str, start: int, end: int, places: list[tuple[int, int]]) -> bool:
    """Whether text[start:end] (a place named like a person) stands in a place context in this text."""
    if 0 < start and end < len(text) and text[start - 1] in "\"“" and text[end] in "\"”":
        start, end = start - 1, end + 1  # a quoted name ('"Zayed" is Sheikh Zayed and "Alex" is ...') reads as one
    before = text[max(0, start - 40):start]
    after = text[end:end + 80]
    if _PERSON_BEFORE.search(before) or _PERSON_AFTER.match(after):
        return False
    if _PLACE_BEFORE.search(before) or _PLACE_AFTER.match(after):
        return True
    named = _NAMED_AS.match(text, end)  # '"Alex" is the Smouha branch', '"Larco" means Miraflores'
    if named and (any(s == named.end() for s, _ in places) or _PLACE_AFTER.match(text, named.end() - 1)):
        return True
    nxt = _NEXT_ITEM.match(text, end)  # "Brandon and Kenora", "Brandon (Rosser Avenue)", "Brandon, Manitoba"
    if nxt and any(s == nxt.end() for s, _ in places):
        return True
    prev = _PREV_ITEM.search(text, max(0, start - 12), start)  # "Kenora and Brandon", "Oslo, Brandon"
    return bool(prev and any(e == prev.start() for _, e in places))


def tenant_spans(text: str, allow: tuple[str, ...]) -> list[tuple[int, int]]:
    """Character spans of the tenant's allow-listed names (catalog products, store names, store addresses, the
    places, offerings, things and role-named staff of its documents); a term made with ``in_place_context`` only
    where the text puts it in a place context, one made with ``standalone`` only where it stands alone."""
    if not allow:
        return []
    plain, contextual = _split(allow)
    pattern = _tenant_pattern(plain) if plain else None
    spans = [m.span() for m in pattern.finditer(text)] if pattern else []
    for name in _standalone(allow):
        for m in _tenant_pattern((name,)).finditer(text):  # type: ignore[union-attr]
            if text[m.start():m.start() + 1].isupper() and _stands_alone(text, m.start(), m.end()):
                spans.append(m.span())
    if contextual:
        places = spans + builtin_place_spans(text)
        ctx = _tenant_pattern(contextual)
        assert ctx is not None
        for m in ctx.finditer(text):
            if text[m.start():m.start() + 1].isupper() and _in_place_context(text, m.start(), m.end(), places):
                spans.append(m.span())
    return spans


_STREET_AFTER = re.compile(r"\b[A-Z][\w'’\-]*(?:\s+[A-Z][\w'’\-]*)*\s+(?:Street|St|Road|Rd|Avenue|Ave|Boulevard|Blvd|"
                           r"Drive|Lane|Way|Mall|Centre|Center|Plaza|Square)\b")


def builtin_place_spans(text: str) -> list[tuple[int, int]]:
    """Spans of street and mall names ("Rosser Avenue", "Portage Place Mall"): places by their own last word."""
    return [m.span() for m in _STREET_AFTER.finditer(text)]


def is_builtin_term(word: str) -> bool:
    """True if ``word`` is (case-insensitively) a whole built-in allow-list term."""
    assert _BUILT_IN_RE is not None
    return _BUILT_IN_RE.fullmatch(word.strip()) is not None


# Per-tenant allow-lists registered by the tools layer (catalog products, store names, store addresses).
_TENANT_ALLOW: dict[str, tuple[str, ...]] = {}


def set_tenant_allow(tenant: str, names: Iterable[str]) -> None:
    """Register (replace) the allow-list of one tenant; only redactions for that tenant id use it."""
    _TENANT_ALLOW[tenant] = normalize_allow(names)


def tenant_allow(tenant: str | None) -> tuple[str, ...]:
    """The registered allow-list of ``tenant`` (empty for None or an unknown tenant)."""
    return _TENANT_ALLOW.get(tenant, ()) if tenant is not None else ()


def clear_tenant_allow(tenant: str | None = None) -> None:
    """Forget one tenant's allow-list, or all of them."""
    if tenant is None:
        _TENANT_ALLOW.clear()
    else:
        _TENANT_ALLOW.pop(tenant, None)
