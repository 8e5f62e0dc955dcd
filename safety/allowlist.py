"""Allow-lists for PII redaction: built-in eyewear brands/models/optical terms plus per-tenant catalog names."""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import lru_cache

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


def builtin_spans(text: str) -> list[tuple[int, int]]:
    """Character spans of built-in brand/model/optical terms found in ``text``."""
    return list(_builtin_spans(text))


@lru_cache(maxsize=16)
def _builtin_spans(text: str) -> tuple[tuple[int, int], ...]:
    # one redaction asks for the same text's spans several times (NER gating, resolution, follow-ups)
    assert _BUILT_IN_RE is not None
    return tuple(m.span() for m in _BUILT_IN_RE.finditer(text))


def tenant_spans(text: str, allow: tuple[str, ...]) -> list[tuple[int, int]]:
    """Character spans of the tenant's allow-listed names (catalog products, store names, store addresses)."""
    pattern = _tenant_pattern(allow) if allow else None
    return [m.span() for m in pattern.finditer(text)] if pattern else []


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
