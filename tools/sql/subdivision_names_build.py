"""Builds `tools/sql/subdivision_names.json` (the other names of ISO 3166-2 subdivisions) from the data file of the
MIT-licensed `iso3166-2` package (github.com/amckenna41/iso3166-2), which is not a runtime dependency.

Contract: the output maps a subdivision code ("ES-PV") to the names a person may write for it that pycountry does not
give: the package's `name` and its `localOtherName` entries ("Basque Country (eng), Euskal Herria (eus)"), Latin script
only, language tags dropped. Left out: nicknames ("The Golden State"), names shorter than 4 letters, entries whose
language tag did not parse. Rebuild with the package's JSON at hand:

    pip download iso3166-2==1.8.4 --no-deps -d /tmp/iso && unzip -o /tmp/iso/*.whl -d /tmp/iso
    python -m tools.sql.subdivision_names_build /tmp/iso/iso3166_2/iso3166-2.json
"""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path

OUT = Path(__file__).with_name("subdivision_names.json")
SOURCE = "iso3166-2 1.8.4 (MIT License, Copyright (c) 2024 AJ McKenna), github.com/amckenna41/iso3166-2"
_LATIN = re.compile(r"[A-Za-zÀ-ɏḀ-ỿ][A-Za-zÀ-ɏḀ-ỿ .'’-]*[A-Za-zÀ-ɏḀ-ỿ.]")
_TAGGED = re.compile(r"\s*(?P<name>[^()]+?)\s*\((?P<lang>[a-z]{3}(?:[-_][A-Za-z0-9]+)?)\)\s*$")


def other_names(record: dict) -> list[str]:
    """The Latin-script names of one subdivision record: its name, then its tagged other names."""
    names = [str(record.get("name") or "")]
    for part in re.split(r",\s*(?![^()]*\))", str(record.get("localOtherName") or "")):
        m = _TAGGED.match(part)
        if m:
            names.append(m.group("name"))
    out: list[str] = []
    for name in names:
        name = " ".join(name.split())
        if (len(re.sub(r"\W", "", name)) >= 4 and _LATIN.fullmatch(name) and not name.lower().startswith("the ")
                and name not in out):
            out.append(name)
    return out


def build(source: Path) -> dict[str, list[str]]:
    data = json.loads(source.read_text(encoding="utf-8"))
    return {code: names for subs in data.values() for code, record in sorted(subs.items())
            if (names := other_names(record))}


def main(argv: list[str]) -> None:
    table = build(Path(argv[0]))
    OUT.write_text(json.dumps({"source": SOURCE, "names": table}, ensure_ascii=False, sort_keys=True, indent=0) + "\n",
                   encoding="utf-8")
    print(f"{OUT}: {len(table)} subdivisions")


if __name__ == "__main__":
    main(sys.argv[1:])
