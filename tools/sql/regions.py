"""A tenant's state-level places (the `state` column of stores and patients) <-> ISO 3166-2 subdivision names and
codes (pycountry), so a question may name a place either way: "Ontario" for a stored "ON", "NSW" for a stored
"New South Wales", "Bavaria" / "Bayern" for "BY".

Contract:
- Only the tenant's stored values are ever produced: `region_index(states)` maps question aliases (lower case) to the
  stored values they can mean; a subdivision whose code or name is not stored adds nothing.
- Which countries a stored code belongs to is read from the stored values themselves: the countries whose
  subdivisions explain the most stored values (greedy cover; ties keep every tied country). A stored "WA" is Western
  Australia for a tenant that also stores NSW and VIC, Washington for one that also stores OR and CA, and both when
  nothing else decides.
- An alias that can mean two different stored values is reported as ambiguous (`RegionIndex.ambiguous`); the parser
  asks which one is meant, it never guesses.
- A code ISO 3166-2 has since replaced ("MZ" for Mazowieckie, now PL-14) counts as the subdivision's code, from the
  change history in `subdivision_names.json`.
- Names are matched in the subdivision's own language and in English (pycountry's iso3166-2 translations, plus the
  English exonyms and other local names pycountry lacks, "North Rhine-Westphalia", "Basque Country" / "Euskal Herria",
  from `subdivision_names.json`), with and without accents, with "Comunidad de Madrid" / "Madrid" for "Madrid,
  Comunidad de", the bracketed variants, and a capital's region by its kind alone ("Región Metropolitana" /
  "Metropolitan Region" for "Región Metropolitana de Santiago" / "Santiago Metropolitan Region"); a name with a
  leading singular article also without it ("Araucanía" for "La Araucanía"), and a name that is an article and a
  landscape noun also in English with a region noun ("lakes region", "region of the lakes" for "Los Lagos").
- Also derived: the regular English adjective of a one-word name ("Bavarian", "Ontarian", "Texan"; irregular ones
  like "Catalan" are not), the land noun of a Polish voivodeship's adjective ("Małopolska" for Małopolskie) and the
  initials of a name of three or more capitalised words ("NRW", "PEI", "PACA"),
  which are read like codes.
- A larger region that ISO 3166-2 lists as the parent of stored subdivisions (an Italian region over its provinces,
  "Lombardy" for a stored MI, BG and CO; an Indonesian island group over its provinces, "Java" for JK, JB, JT, JI, YO,
  BT; a Belgian region, a French region, a Spanish autonomous community, an English nation) names the stored values
  under it: `RegionIndex.groups` (two or more values; one value is a plain alias). Only parents that ISO records are
  used here; a traditional region that no ISO list holds is read only from the hand-written gazetteer of
  tools/sql/informal_regions.py ("the Algarve" for a stored Faro district, "Nordeste" for the stored states under it;
  `RegionIndex.iso_codes` gives each stored value's ISO code and parents for it), never for a name the stored values
  already have.
- `REGION_WORDS` is the regex of nouns that name the state-level dimension in any country (state, province, region,
  territory, county, canton, emirate, prefecture, département, Land / Bundesland, oblast, voivodeship, governorate,
  comunidad, comunitat, comunidade, regione, région, (autonomous) community), singular and plural.
"""

from __future__ import annotations

import gettext
import json
import re
import threading
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import cache, lru_cache
from pathlib import Path
from typing import Any

from config.cache import cached_json
from safety.text_fold import fold
from tools.sql.informal_regions import state_regions

__all__ = ["REGION_NOUNS", "REGION_PLURALS", "REGION_WORDS", "RegionIndex", "fold", "is_city_kind_subdivision_name",
           "is_lower_subdivision_name", "is_subdivision_name", "region_index"]

# Nouns for the state-level dimension ("by province", "each canton's share", "per Bundesland"). "department" (no
# accent) stays the product category word; "area" and "district" are not read as the state.
REGION_WORDS = (r"states?|regions?|provinces?|territory|territories|county|counties|cantons?|emirates?|prefectures?"
                r"|kantone?|provincies?|provincias?"
                r"|d[ée]partements?|bundesland|bundesl[äa]nder|l[äa]nder|land|oblasts?|voivodeships?|voivodships?"
                r"|governorates?|comunidad|comunidades|comunitats?|comunidades?|regione|regioni|r[ée]gions?"
                r"|(?:autonomous\s+)?communit(?:y|ies)")
# the same nouns as plain words (6+ letters), for the typo corrector ("provnce" -> "province") and the parser's
# vocabulary; "region" itself is left out, so "regional" is not known by its stem (the typo corrector adds it)
REGION_NOUNS = frozenset("""states regions province provinces territory territories county counties canton
cantons emirate emirates prefecture prefectures departement departements bundesland bundeslander oblast oblasts
voivodeship voivodeships governorate governorates comunidad comunidades kanton kantone provincie provincies
provincia provincias freistaat comunitat comunitats comunidade comunidades regione regioni région régions""".split())
REGION_PLURALS = (r"states|regions|provinces|territories|counties|cantons|kantone|provincies|provincias|emirates"
                  r"|prefectures|d[ée]partements"
                  r"|bundesl[äa]nder|l[äa]nder|oblasts|voivodeships|governorates|comunidades|comunitats|regioni|r[ée]gions")


@dataclass(frozen=True)
class _Sub:
    code: str  # "CA-ON"
    country: str  # "CA"
    suffix: str  # "ON"
    names: tuple[str, ...]  # display-ready names, the first the English one when there is one
    former: tuple[str, ...] = ()  # code suffixes ISO gave it before ("DS" of PL-02), still stored by businesses
    short: tuple[str, ...] = ()  # native names without the country's generic noun ("Skåne" of "Skåne län")


@dataclass(frozen=True)
class RegionIndex:
    """What a tenant's stored state values can be called.

    `aliases`: a name (folded lower case: "ontario", "new south wales", "zurich") -> the one stored value it names;
    `ambiguous`: a name -> the stored values it could name (two or more: ask); `code_values`: a code as written in
    capitals ("ON", "NSW") -> the stored values it names (one, or several: ask); `names`: a stored code -> its name
    when only one subdivision of the plausible countries has that code ("ON" -> "Ontario")."""

    aliases: dict[str, str] = field(default_factory=dict)
    ambiguous: dict[str, tuple[str, ...]] = field(default_factory=dict)
    code_values: dict[str, tuple[str, ...]] = field(default_factory=dict)
    names: dict[str, str] = field(default_factory=dict)
    countries: tuple[str, ...] = ()
    # names of the other subdivisions of the same countries ("quebec" for a chain in four other provinces): a place
    # the tenant has no store in, so a question about it is refused, never answered for everywhere
    elsewhere: frozenset[str] = frozenset()
    # a name of a larger region ISO 3166-2 lists as the parent of two or more stored values ("lombardy" -> MI, BG,
    # CO): the stored values under it
    groups: dict[str, tuple[str, ...]] = field(default_factory=dict)
    # a stored value -> its ISO 3166-2 code and those of its ISO parents (for the informal regions over them)
    iso_codes: dict[str, tuple[str, ...]] = field(default_factory=dict)
    # a stored value no subdivision explains (a chain's own region code) -> the code chains of its stores' cities,
    # each a subdivision named like the city ("MA" -> (TR-16,), (TR-34,)); only when every store's city is one
    city_codes: dict[str, tuple[tuple[str, ...], ...]] = field(default_factory=dict)

    def words(self) -> set[str]:
        """Every word of every name alias (for the typo corrector and the parser's vocabulary)."""
        return {w for alias in (*self.aliases, *self.ambiguous, *self.groups) for w in re.findall(r"[^\W\d_]+", alias)}

    def resolve(self, value: str) -> str | None:
        """The one stored value that `value` names ("Ontario", "ontario", "on", "CA-ON" -> "ON"); None when it names
        none or several (the caller asks or refuses, never guesses)."""
        if value in self.names or value in self.code_values.get(value.upper(), ()):
            return value
        codes = self.code_values.get(value.strip().upper(), ())
        if len(codes) == 1:
            return codes[0]
        folded = " ".join(fold(value).split())
        return self.aliases.get(folded) or self.aliases.get(" ".join(value.casefold().split()))

    def word(self) -> tuple[str, str]:
        """The noun for this tenant's state-level places, singular and plural: "province" for Canada, "canton" for
        Switzerland, "state" for the US or Australia; "region" when the tenant's countries call them differently."""
        words = {_REGION_WORD.get(c) or _iso_word(c) for c in self.countries}
        return words.pop() if len(words) == 1 else ("region", "regions") if words else ("state", "states")

    def display(self, value: str) -> str:
        """"Ontario (ON)" for a stored code with a known name; the stored value otherwise."""
        name = self.names.get(value)
        return f"{name} ({value})" if name and fold(name) != fold(value) else value


# what the first-level subdivisions of a country are called in English (default: state)
_REGION_WORD = {
    **dict.fromkeys(("CA", "NL", "BE", "ZA", "AR", "CN", "PH", "KR", "IR", "TR", "PK"), ("province", "provinces")),
    "IE": ("county", "counties"), "SE": ("county", "counties"), "NO": ("county", "counties"),
    "HU": ("county", "counties"), "CH": ("canton", "cantons"), "AE": ("emirate", "emirates"),
    "JP": ("prefecture", "prefectures"), "PL": ("voivodeship", "voivodeships"),
    **dict.fromkeys(("FR", "IT", "NZ", "DK", "CZ", "CL", "GB", "FI"), ("region", "regions")),
    "ES": ("autonomous community", "autonomous communities"), "RU": ("oblast", "oblasts"),
}


@cache
def _iso_word(country: str) -> tuple[str, str]:
    """The noun for a country's first-level subdivisions that `_REGION_WORD` does not give: "district" where
    ISO 3166-2 calls most of them districts (Portugal's distritos), "state" otherwise."""
    import pycountry

    kinds = [s.type for s in pycountry.subdivisions.get(country_code=country) or ()
             if not getattr(s, "parent_code", None)]
    if kinds and max(set(kinds), key=kinds.count) == "District":
        return ("district", "districts")
    return ("state", "states")


# Single words that are subdivision names somewhere but ordinary words in a question ("central", "north"): never an
# alias on their own (the full name, "Central Denmark", still is).
_PLAIN_WORDS = frozenset("""central centre center north south east west northern southern eastern western
northeast northwest southeast southwest capital city island islands coast coastal lakes lake valley upper lower
greater inner outer new old river highlands lowlands border borders midlands interior littoral plateau plains
mountain mountains federal national metropolitan middle free sea""".split())


_lock = threading.Lock()
_subs: tuple[_Sub, ...] | None = None


def _english() -> gettext.NullTranslations:
    import pycountry

    return gettext.translation("iso3166-2", pycountry.LOCALES_DIR, languages=["en"], fallback=True)


def _variants(name: str) -> list[str]:
    """The forms a person may write for one pycountry name."""
    out: list[str] = []
    bracket = re.search(r"\s*\[([^\]]+)\]", name)
    if bracket:
        # "Skåne län [SE-12]": a bracket that is only the ISO code is no name
        alt = re.sub(r"(?:^|\s+)[A-Z]{2}-[A-Z0-9]{1,3}$", "", bracket.group(1)).strip()
        if alt:
            out.append(alt)
        name = (name[: bracket.start()] + name[bracket.end():]).strip()
    paren = re.search(r"\s*\(([^)]+)\)", name)
    if paren:
        out.append((name[: paren.start()] + name[paren.end():]).strip())
    for part in name.split(" / "):
        part = part.strip()
        out.append(part)
        head, sep, tail = part.partition(", ")
        if sep and len(tail.split()) <= 3 and " and " not in tail and "," not in tail:
            out.append(f"{tail} {head}")  # "Madrid, Comunidad de" -> "Comunidad de Madrid"; "Durham, County"
            out.append(head)  # ... and "Madrid"
        # "Región Metropolitana de Santiago" / "Santiago Metropolitan Region": "Región Metropolitana", "Metropolitan
        # Region" (a capital's region is called by its kind alone)
        core = _CAPITAL_REGION.fullmatch(part)
        if core:
            out.append(core.group("a") or core.group("b"))
    return [v for v in dict.fromkeys(v.strip() for v in out) if v]


_CAPITAL_REGION = re.compile(r"(?P<a>(?:Regi[oó]n|Region|Provincia|Province|[ÁA]rea|Area|Distrito|District)\s+"
                             r"(?:Metropolitana?|Capital))\s+(?:de|del|of)\s+\S.*"
                             r"|\S+(?:\s+\S+)?\s+(?P<b>(?:Metropolitan|Capital)\s+(?:Region|Province|Area|District))")


def _adjectives(name: str) -> list[str]:
    """The adjective people make of a one-word place name, by the regular English endings: Bavaria -> Bavarian,
    Ontario -> Ontarian, Tuscany -> Tuscan, Texas -> Texan. Irregular ones (Catalan, Basque, Floridian) are not
    derived."""
    word = name.strip()
    if not re.fullmatch(r"[^\W\d_]+", word):
        return []
    low = word.casefold()
    if low.endswith("a"):
        forms = [low + "n"]
    elif low.endswith("o"):
        forms = [low[:-1] + "an"]
    elif low.endswith("y"):
        forms = [low[:-1]]
    elif low.endswith("as"):
        forms = [low[:-1] + "n"]
    else:
        return []
    return [f for f in forms if len(f) >= 5 and f not in _PLAIN_WORDS]


# Nouns of landscape features that region names are made of, in the languages whose region names are an article and
# such a noun ("Los Lagos", "Los Ríos", "As Ilhas", "Les Îles"): English -> (singular, plural) forms
_FEATURE_NOUNS: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    "lake": (("lago", "lac"), ("lagos", "lacs", "laghi")),
    "river": (("río", "rio", "rivière", "fiume"), ("ríos", "rios", "rivières", "fiumi")),
    "island": (("isla", "ilha", "île", "isola"), ("islas", "ilhas", "îles", "isole")),
    "mountain": (("montaña", "montanha", "montagne", "monte"), ("montañas", "montanhas", "montagnes", "montes")),
    "valley": (("valle", "vale", "vallée"), ("valles", "vales", "vallées", "valli")),
    "lagoon": (("laguna", "lagoa", "lagune"), ("lagunas", "lagoas", "lagunes")),
    "coast": (("costa", "côte"), ("costas", "côtes", "coste")),
    "plain": (("llano", "planície", "plaine", "pianura"), ("llanos", "planícies", "plaines", "pianure")),
    "forest": (("bosque", "floresta", "forêt", "foresta"), ("bosques", "florestas", "forêts", "foreste")),
}
_ENGLISH_FEATURE = {fold(w): english + ("s" if plural else "") for english, forms in _FEATURE_NOUNS.items()
                    for plural, words in enumerate(forms) for w in words}


def _in_english(name: str) -> list[str]:
    """"Los Lagos" -> ["lakes region", "region of the lakes"]: a name that is an article and a landscape noun of
    `_FEATURE_NOUNS`, in English with a region noun; [] for any other name."""
    m = re.fullmatch(r"(?:los|las|la|el|os|as|o|a|les|le|il|i|gli|lo)\s+([^\W\d_]+)", fold(name.strip()))
    english = _ENGLISH_FEATURE.get(m.group(1)) if m else None
    return [f"{english} region", f"region of the {english}"] if english else []


def _land_noun(name: str) -> str | None:
    """The land named by a Polish voivodeship's adjective: the voivodeship names are neuter adjectives of
    "województwo" ("Małopolskie", "Wielkopolskie"), and people name the land with the feminine form ("Małopolska",
    "Wielkopolska"): -skie / -ckie -> -ska / -cka. None for any other name."""
    word = name.strip()
    return word[:-2] + "a" if re.fullmatch(r"[^\W\d_]+(?:-[^\W\d_]+)*[sc]kie", word) else None


def _initials(name: str) -> str | None:
    """The capitals of a name of three or more words that all start with a capital, as people abbreviate it: North
    Rhine-Westphalia -> NRW, Prince Edward Island -> PEI, Provence-Alpes-Côte d'Azur -> PACA; None for shorter names
    and for titles with joining words ("Free State of Bavaria")."""
    parts = [re.sub(r"^[a-z]'", "", p) for p in re.split(r"[\s\-]+", name.strip()) if p]  # "d'Azur" -> "Azur"
    letters = "".join(p[:1] for p in parts)
    ok = len(parts) >= 3 and letters.isupper() and letters.isalpha() and letters.isascii()
    return letters if ok else None


def _cache_name() -> str:
    """The prepared subdivision table's cache name (one per pycountry version, names file and table format)."""
    try:
        from importlib.metadata import version

        package = version("pycountry")
    except Exception:  # noqa: BLE001 - no package metadata
        package = "unknown"
    stamp = int(_OTHER_NAMES.stat().st_mtime) if _OTHER_NAMES.exists() else 0
    return f"iso3166-2-names-{package}-{stamp}-v{_TABLE_VERSION}.json"


_OTHER_NAMES = Path(__file__).with_name("subdivision_names.json")
# the prepared table's format and the name variants it holds (`_variants`): raise it when either changes, so no
# process reads a table an older version prepared
_TABLE_VERSION = 4


def _other_names(part: str = "names") -> dict[str, list[str]]:
    """Names pycountry lacks, per subdivision code: English exonyms ("North Rhine-Westphalia", "Basque Country",
    "Valencian Community") and other local names; with `part="former"`, the code suffixes a subdivision had before
    ("PL-14": ["MZ"]). Built by tools/sql/subdivision_names_build.py."""
    try:
        table = json.loads(_OTHER_NAMES.read_text(encoding="utf-8")).get(part, {})
    except (OSError, ValueError, AttributeError):  # pragma: no cover - the file ships with the package
        return {}
    return {str(code): [str(n) for n in names] for code, names in table.items()}


def _generic_terms(subdivisions: Iterable[Any]) -> dict[str, str]:
    """Per country, the generic noun its subdivisions' native names end with (Sweden's "Skåne län", "Uppsala län";
    Croatia's "... županija"): a lower-case word (a common noun, not part of a name) that ends at least half of the
    country's names, three or more of them."""
    by_country: dict[str, list[list[str]]] = {}
    for s in subdivisions:
        by_country.setdefault(s.country_code, []).append(re.sub(r"\s*\[[^\]]*\]", "", s.name).split())
    out: dict[str, str] = {}
    for country, names in by_country.items():
        counts: dict[str, int] = {}
        for n in names:
            if len(n) >= 2 and n[-1][:1].isalpha() and n[-1].islower():
                counts[n[-1]] = counts.get(n[-1], 0) + 1
        word, n = max(counts.items(), key=lambda kv: kv[1], default=("", 0))
        if n >= 3 and n * 2 >= len(names):
            out[country] = word
    return out


def _without_generic(name: str, term: str | None) -> list[str]:
    """`name` without its country's generic word ("Skåne län" -> "Skåne"); a genitive "s" the generic word governed
    goes too ("Stockholms län" -> "Stockholm", "Norrbottens län" -> "Norrbotten"), keeping both forms."""
    words = name.split()
    if term is None or len(words) < 2 or words[-1] != term:
        return []
    core = words[:-1]
    out = [" ".join(core)]
    if core[-1].endswith("s") and len(core[-1]) >= 5:
        out.append(" ".join([*core[:-1], core[-1][:-1]]))
    return out


def _build_subdivisions() -> list[tuple[str, list[str], list[str]]]:
    import pycountry

    english = _english()
    others = _other_names()
    generic = _generic_terms(pycountry.subdivisions)
    rows: list[tuple[str, list[str], list[str]]] = []
    for s in pycountry.subdivisions:
        native = s.name
        names: list[str] = []
        # pycountry's English and native names first (the first one is the display name), then the other names
        for n in (english.gettext(native), native, *others.get(s.code, ())):
            names += [v for v in _variants(n) if v not in names]
        # and apart, the names without the country's generic noun (a short form: it yields to a city of that name)
        short = list(dict.fromkeys(b for v in names for b in _without_generic(v, generic.get(s.country_code))
                                   if b not in names))
        rows.append((s.code, names, short))
    return rows


def _subdivisions() -> tuple[_Sub, ...]:
    """Every ISO 3166-2 subdivision with the names a person may write. Built once per process; the prepared table is
    kept in the data folder's cache (per pycountry version), so a new process reads one small JSON file instead of
    importing pycountry and deriving ~5,000 names' variants on its first question."""
    global _subs
    with _lock:
        if _subs is None:
            rows = [(str(code), [str(n) for n in names], [str(n) for n in short])
                    for code, names, short in cached_json(_cache_name(), _build_subdivisions, _rows_shape)]
            former = _other_names("former")
            subs = []
            for code, names, short in rows:
                country, _, suffix = code.partition("-")
                subs.append(_Sub(code, country, suffix, tuple(names), tuple(former.get(code, ())), tuple(short)))
            _subs = tuple(subs)
        return _subs


def _rows_shape(value: object) -> bool:
    return isinstance(value, list) and all(isinstance(r, list) and len(r) == 3 for r in value)


def _plausible_countries(states: Iterable[str], subs: tuple[_Sub, ...]) -> tuple[str, ...]:
    """The countries whose subdivisions explain the stored values best: greedy cover, ties all kept."""
    candidates: dict[str, set[str]] = {}
    for value in states:
        for sub in _candidates(value, subs):
            candidates.setdefault(sub.country, set()).add(value)
    left = {v for covered in candidates.values() for v in covered}
    chosen: list[str] = []
    while left:
        best = max(len(covered & left) for covered in candidates.values())
        if best == 0:
            break
        tied = sorted(c for c, covered in candidates.items() if len(covered & left) == best and c not in chosen)
        chosen += tied
        for c in tied:
            left -= candidates[c]
    return tuple(chosen)


def _candidates(value: str, subs: tuple[_Sub, ...]) -> tuple[_Sub, ...]:
    """The subdivisions whose code (with or without the country) or one of whose names is `value`."""
    return _by_key().get(fold(value.strip()), ())


_keys: dict[str, tuple[_Sub, ...]] | None = None


def _by_key() -> dict[str, tuple[_Sub, ...]]:
    global _keys
    subs = _subdivisions()
    with _lock:
        if _keys is None:
            keys: dict[str, list[_Sub]] = {}
            for sub in subs:
                for key in {fold(sub.suffix), fold(sub.code), *(fold(n) for n in sub.names),
                            *(fold(f) for f in sub.former), *(fold(f"{sub.country}-{f}") for f in sub.former)}:
                    keys.setdefault(key, []).append(sub)
            _keys = {k: tuple(v) for k, v in keys.items()}
        return _keys


def catalog_regions(catalog: Any) -> RegionIndex:
    """`region_index` of a catalog's stored states, with the country its stored cities are in (GeoNames) when the
    stored state values point elsewhere: codes of a national scheme other than ISO 3166-2 (Mexico's "JC", "NL", "YN")
    match subdivisions of unrelated countries, one or two values each."""
    located = tuple(sorted({(str(st.state), str(st.city)) for st in getattr(catalog, "stores", ()) or ()
                            if getattr(st, "state", None) and getattr(st, "city", None)}))
    return _catalog_regions(tuple(getattr(catalog, "states", ()) or ()), tuple(getattr(catalog, "cities", ()) or ()),
                            located)


@lru_cache(maxsize=256)
def _catalog_regions(states: tuple[str, ...], cities: tuple[str, ...],
                     located: tuple[tuple[str, str], ...] = ()) -> RegionIndex:
    plain = region_index(states, cities=cities, located=located)
    if not states or not cities:
        return plain
    from tools.sql.places import city_countries, city_country_counts  # places reads regions.fold: imported here

    hint = city_countries(cities)
    if not hint or set(hint) == set(plain.countries):
        return plain
    if set(hint) < set(plain.countries) and any(city_country_counts(cities).get(c) for c in plain.countries
                                                 if c not in hint):
        return plain  # a chain in two countries (its cities say so): both stay
    # the stored codes also match a country none of the cities is in ("TG", Telangana's code since 2023, is only
    # Thurgau's in pycountry): the cities' country is the tenant's, and its codes are read as that country's
    return region_index(states, hint, cities=cities, located=located)


def _abbreviates(code: str, name: str, *, initials: bool = False) -> bool:
    """Whether `code` ("JC", "YN", "QT") is written with letters of `name` in order, starting with its first
    ("Jalisco", "Yucatán", "Querétaro"); with `initials`, only with the first letters of its words ("CS" of
    "Casablanca-Settat", "OR" of "Oriental région")."""
    if initials:
        name = " ".join(w[0] for w in re.findall(r"[^\W\d_]+", fold(name).lower()) if len(w) > 1)
    letters = re.sub(r"[^a-z]", "", fold(name).lower())
    code = fold(code).lower()
    if not letters or not code or letters[0] != code[0]:
        return False
    at = 0
    for ch in code[1:]:
        at = letters.find(ch, at + 1)
        if at < 0:
            return False
    return True


@lru_cache(maxsize=1)
def _top_level() -> frozenset[str]:
    """The ISO codes of the subdivisions directly under a country (a region, not one of its provinces: a chain's
    own two-letter codes name the first level, "TT" Tanger-Tétouan-Al Hoceïma, not the province Tan-Tan)."""
    import pycountry

    return frozenset(s.code for s in pycountry.subdivisions if not getattr(s, "parent_code", None))


@lru_cache(maxsize=1)
def _parent_codes() -> dict[str, str]:
    """ISO code -> the code of the subdivision it lies in, where ISO 3166-2 records one ("IT-MI" -> "IT-25",
    "ID-JB" -> "ID-JW", "BE-VAN" -> "BE-VLG")."""
    import pycountry

    return {s.code: s.parent_code for s in pycountry.subdivisions if getattr(s, "parent_code", None)}


def is_lower_subdivision_name(name: str, countries: Iterable[str]) -> bool:
    """Whether `name` ("Sevilla", "Bergamo") is a name of a subdivision of one of `countries` that ISO 3166-2 puts
    under another one (a Spanish province under its community, an Italian province under its region): a smaller area
    than a first-level one."""
    wanted, parents = set(countries), _parent_codes()
    key = " ".join(fold(name).split())
    return bool(wanted) and any(s.country in wanted and s.code in parents and key in {" ".join(fold(n).split())
                                                                                    for n in s.names}
                                for s in _subdivisions())


# ISO 3166-2 subdivision types that are a city in their own right (Hà Nội, Seoul, Ciudad de México, Buenos Aires,
# Moscow): a plain mention of the name is the city (the name's everyday sense; the wider unit is asked for with its
# noun, "Hà Nội province")
_CITY_KINDS = frozenset(("Municipality", "Special municipality", "City", "Capital city", "Capital", "Special city",
                         "Autonomous city", "State city", "City municipality", "Special self-governing city",
                         "Special administrative city", "Metropolitan city", "Capital district", "Federal district",
                         "Capital territory", "Federal capital territory"))


@lru_cache(maxsize=1)
def _city_kind_codes() -> frozenset[str]:
    import pycountry

    return frozenset(s.code for s in pycountry.subdivisions if s.type in _CITY_KINDS)


def is_city_kind_subdivision_name(name: str, countries: Iterable[str]) -> bool:
    """Whether `name` ("Hanoi", "Hà Nội") is a name of a first-level subdivision of one of `countries` that ISO
    3166-2 types as a city (`_CITY_KINDS`: a municipality, capital city, special city ...)."""
    wanted, top, cities = set(countries), _top_level(), _city_kind_codes()
    key = " ".join(fold(name).split())
    return bool(wanted) and any(s.country in wanted and s.code in top and s.code in cities and
                                key in {" ".join(fold(n).split()) for n in s.names} for s in _subdivisions())


def is_subdivision_name(name: str, countries: Iterable[str]) -> bool:
    """Whether `name` ("Ciudad de México", "Berlin") is a name of a first-level subdivision of one of `countries`
    (ISO 3166-1 alpha-2): a city that is also a state-level place, whatever code a tenant stores for it."""
    wanted, top = set(countries), _top_level()
    key = " ".join(fold(name).split())
    return bool(wanted) and any(s.country in wanted and s.code in top and key in {" ".join(fold(n).split())
                                                                                  for n in s.names}
                                for s in _subdivisions())


def _abbreviated(code: str, subs: tuple[_Sub, ...]) -> list[_Sub]:
    """The one subdivision of `subs` that `code`, a code of another scheme, abbreviates, by the closest reading
    first: the initials of the words of its own-language name ("KM" Kentrikí Makedonía, "NA" Nótio Aigaío, not the
    English "Northern Aegean" of another), then of any of its names; then the first letters of its own-language name,
    then of any name ("AT" Attikí, "KR" Kríti, "EP" Epirus); then letters of a name in order ("JC" Jalisco, "YN"
    Yucatán), the initials of its words deciding between several ("CS": Casablanca-Settat, not Chefchaouen). Several
    subdivisions at the first reading that fits: none (the code stays a code)."""
    folded = fold(code).lower()

    def initials(name: str) -> str:
        return "".join(w[0] for w in re.findall(r"[^\W\d_]+", fold(name).lower()) if len(w) > 1)

    def first_letters(name: str) -> bool:
        return re.sub(r"[^a-z]", "", fold(name).lower()).startswith(folded)

    tiers = (lambda sub: initials(sub.names[0]) == folded,
             lambda sub: any(initials(n) == folded for n in sub.names),
             lambda sub: first_letters(sub.names[0]),
             lambda sub: any(first_letters(n) for n in sub.names))
    for fits in tiers:
        found = [sub for sub in subs if fits(sub)]
        if found:
            return found if len(found) == 1 else []
    short = [sub for sub in subs if any(_abbreviates(code, n) for n in sub.names)]
    if len(short) > 1:
        short = [sub for sub in short if any(_abbreviates(code, n, initials=True) for n in sub.names)]
    return short if len(short) == 1 else []


@lru_cache(maxsize=256)
def region_index(states: tuple[str, ...], countries_of_cities: tuple[str, ...] = (),
                 cities: tuple[str, ...] = (), located: tuple[tuple[str, str], ...] = ()) -> RegionIndex:
    """Aliases of the tenant's stored state values (see the module docstring). `states`: the stored values;
    `countries_of_cities`: the country of the tenant's cities, when the stored values do not say it
    (`catalog_regions`): its subdivisions are the candidates, and a stored code of another scheme names the one
    subdivision it abbreviates ("JC" for Jalisco). `cities`: the tenant's stored cities; a subdivision's short name
    (without its generic noun: "Uppsala" of "Uppsala län") that is one of them stays the city's."""
    stored = tuple(sorted({s.strip() for s in states if s and s.strip()}))
    if not stored:
        return RegionIndex()
    subs = _subdivisions()
    countries = set(countries_of_cities or _plausible_countries(stored, subs))
    folded_stored = {fold(v) for v in stored}
    folded_cities = {fold(c) for c in cities}
    owners: dict[str, set[str]] = {}
    code_owners: dict[str, set[str]] = {}
    names: dict[str, set[str]] = {}

    def add_name(alias: str, value: str) -> None:
        # as written and without accents; a hyphenated name also with spaces ("North Rhine Westphalia")
        spaced = re.sub(r"(?<=[^\W\d_])-(?=[^\W\d_])", " ", alias)
        # "L'Oriental" and "Oriental région" are "the Oriental" in speech: without the article or the region noun;
        # "La Araucanía", "La Rioja" are "Araucanía", "Rioja" (a singular article; "Los Lagos" keeps its "Los")
        bare = re.sub(r"^(?:l['’]|el\s+|al\s+)|\s+(?:r[ée]gion|province)$", "", alias, flags=re.IGNORECASE)
        unarticled = re.sub(r"^(?:la|le|il|lo)\s+(?=[^\W\d_]{5,}$)", "", alias, flags=re.IGNORECASE)
        for form in {" ".join(alias.casefold().split()), " ".join(fold(alias).split()),
                     " ".join(spaced.casefold().split()), " ".join(fold(spaced).split()),
                     " ".join(bare.casefold().split()), " ".join(fold(bare).split()),
                     unarticled.casefold(), fold(unarticled)}:
            if len(form) >= 3 and re.search(r"[^\W\d_]{2}", form) and form not in _PLAIN_WORDS:
                owners.setdefault(form, set()).add(value)
        # "the Lakes Region" for "Los Lagos": a name that is an article and a feature noun, said in English with
        # its region noun (never the bare English word, which is an everyday word)
        for english in _in_english(alias):
            owners.setdefault(english, set()).add(value)

    under: dict[str, set[str]] = {}  # an ISO parent's code -> the stored values of its subdivisions
    iso_codes: dict[str, list[str]] = {}  # a stored value -> its ISO code, parent, grandparent ...
    for value in stored:
        matched = [sub for sub in _candidates(value, subs) if sub.country in countries]
        if len(matched) == 1 and _city_rank_elsewhere(matched[0], [c for v, c in located if v == value], countries,
                                                      folded_cities):
            matched = []  # "GY" of shops in Győr and Sopron: the chain's code for the county, not the city of Győr
        abbreviated = False
        if not matched and countries_of_cities and re.fullmatch(r"[A-Z]{2,3}", value):
            # a code of another scheme: the one subdivision of the cities' country it abbreviates, if only one
            top = _top_level()
            matched = _abbreviated(value, tuple(sub for sub in subs if sub.country in countries and sub.code in top))
            if matched and _cities_say_otherwise(matched[0], [c for v, c in located if v == value], countries):
                matched = []
            abbreviated = bool(matched)
        if len(matched) == 1:
            code, seen = matched[0].code, set()
            iso_codes.setdefault(value, [code])
            while (code := _parent_codes().get(code, "")) and code not in seen:  # parent, grandparent ...
                seen.add(code)
                under.setdefault(code, set()).add(value)
                iso_codes[value].append(code)
        stored_is_code = abbreviated or any(
            fold(value) in (fold(sub.suffix), fold(sub.code), *(fold(f) for f in sub.former)) for sub in matched) or (
            not matched and re.fullmatch(r"[A-Z0-9]{1,3}(?:-[A-Z0-9]{1,3})?", value) is not None)
        if stored_is_code:
            code_owners.setdefault(value.upper(), set()).add(value)
        else:
            add_name(value, value)  # a stored name ("Kent", "Ontario") is its own alias
        for sub in matched:
            for name in (*sub.names, *(s for s in sub.short if fold(s) not in folded_cities)):
                add_name(name, value)
            for alias in _adjectives(sub.names[0]):  # "Bavarian stores", "Californian customers"
                add_name(alias, value)
            if sub.country == "PL":  # "Małopolska" for Małopolskie
                for alias in {a for name in sub.names if (a := _land_noun(name))}:
                    add_name(alias, value)
            for initials in {i for name in sub.names if (i := _initials(name))}:  # "NRW", "PEI", "PACA"
                code_owners.setdefault(initials, set()).add(value)
            if stored_is_code:
                # the display name; an ISO inverted one ("Valenciana, Comunidad") as people write it ("Comunidad
                # Valenciana")
                names.setdefault(value, set()).add(next((n for n in sub.names if ", " not in n), sub.names[0]))
            else:
                code_owners.setdefault(sub.suffix.upper(), set()).add(value)
                code_owners.setdefault(sub.code.upper(), set()).add(value)
    # the larger regions over stored values: a name no stored value already has; one stored value under it is an
    # alias of that value, several are a group
    by_code = {sub.code: sub for sub in subs if sub.code in under}
    parents: dict[str, set[str]] = {}  # a name -> the parents it names (two: it names neither)
    for code in under:
        parent = by_code.get(code)
        if parent is None or any(fold(v) in (fold(parent.suffix), *(fold(n) for n in parent.names)) for v in stored):
            continue
        for name in parent.names:
            # the name as written, without accents, with spaces for hyphens; "Tuscan" and "Javan" for a one-word name
            for form in {" ".join(name.casefold().split()), " ".join(fold(name).split()),
                         " ".join(fold(re.sub(r"(?<=[^\W\d_])-(?=[^\W\d_])", " ", name)).split()),
                         *_adjectives(fold(name))}:
                if len(form) >= 4 and form not in owners and form not in _PLAIN_WORDS:
                    parents.setdefault(form, set()).add(code)
    groups: dict[str, tuple[str, ...]] = {}
    for form, codes in parents.items():
        if len(codes) == 1:
            values = sorted(under[next(iter(codes))])
            if len(values) == 1:
                owners[form] = set(values)
            else:
                groups[form] = tuple(values)
    # a chain's own region codes, placed by their stores' cities
    city_codes: dict[str, tuple[tuple[str, ...], ...]] = {}
    for value in stored:
        if value in iso_codes:
            continue
        chains = [_city_chain(city, countries) for v, city in located if v == value]
        if chains and all(chains):
            city_codes[value] = tuple(sorted(set(chains)))  # type: ignore[arg-type]
    # well-known informal regions over whole stored subdivisions ("the Algarve", "Nordeste", "the Aegean region"
    # over a chain's own codes): see tools/sql/informal_regions.py; never in place of a name the values already have
    for form, values in state_regions(countries, iso_codes, city_codes).items():
        if form not in owners and form not in groups:
            if len(values) == 1:
                owners[form] = set(values)
            else:
                groups[form] = values
    elsewhere = {form for sub in subs if sub.country in countries and sub.code not in under
                 and fold(sub.suffix) not in folded_stored
                 and not any(fold(n) in folded_stored for n in sub.names)
                 for name in (*sub.names, *(s for s in sub.short if fold(s) not in folded_cities))
                 for form in (" ".join(name.lower().split()), " ".join(fold(name).split()))
                 if len(form) >= 4 and form not in owners and form not in _PLAIN_WORDS}
    return RegionIndex(
        elsewhere=frozenset(elsewhere),
        groups=groups,
        aliases={a: next(iter(v)) for a, v in owners.items() if len(v) == 1},
        ambiguous={a: tuple(sorted(v)) for a, v in owners.items() if len(v) > 1},
        code_values={c: tuple(sorted(v)) for c, v in code_owners.items()},
        names={v: next(iter(n)) for v, n in names.items() if len(n) == 1},
        countries=tuple(sorted(countries)),
        iso_codes={v: tuple(c) for v, c in iso_codes.items()},
        city_codes=city_codes,
    )


def _city_chain(city: str, countries: Iterable[str]) -> tuple[str, ...] | None:
    """The ISO code (and parents) of the one subdivision of `countries` named like `city` ("İzmir" -> TR-35: a
    province named after its capital), or None when none or several are."""
    found = {sub.code for sub in _candidates(city, _subdivisions()) if sub.country in set(countries)}
    if len(found) != 1:
        return None
    chain, code = [next(iter(found))], next(iter(found))
    while (code := _parent_codes().get(code, "")) and code not in chain:
        chain.append(code)
    return tuple(chain)


def _cities_say_otherwise(sub: _Sub, cities: list[str], countries: Iterable[str]) -> bool:
    """Do the stores' `cities` place them in other subdivisions than `sub` (each city that names a subdivision names
    one that is neither `sub` nor above or below it, and at least one does)?"""
    chains = [chain for city in cities if (chain := _city_chain(city, countries))]
    return bool(chains) and all(sub.code not in chain and not _under(sub.code, chain[0]) for chain in chains)


def _city_rank_elsewhere(sub: _Sub, cities: list[str], countries: Iterable[str], folded_cities: set[str]) -> bool:
    """Is `sub` a city's own subdivision (a city of county rank, as Hungary's "HU-GY" Győr: one of its names is a
    stored city) while one of the stores stored under it lies in a city that names another subdivision, neither above
    nor below it? Then the stored value is the chain's own code for a larger area, not that city."""
    if not any(fold(name) in folded_cities for name in sub.names):
        return False
    chains = [chain for city in cities if (chain := _city_chain(city, countries))]
    return any(sub.code not in chain and not _under(sub.code, chain[0]) and not _under(chain[0], sub.code)
               for chain in chains)


def _under(code: str, ancestor: str) -> bool:
    seen: set[str] = set()
    while (code := _parent_codes().get(code, "")) and code not in seen:
        if code == ancestor:
            return True
        seen.add(code)
    return False
