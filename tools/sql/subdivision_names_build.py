"""Builds `tools/sql/subdivision_names.json` (the other names of ISO 3166-2 subdivisions) from the data file of the
MIT-licensed `iso3166-2` package (github.com/amckenna41/iso3166-2), which is not a runtime dependency.

Contract: the output's `names` maps a subdivision code ("ES-PV") to the names a person may write for it that pycountry
does not give: the package's `name` and its `localOtherName` entries ("Basque Country (eng), Euskal Herria (eus)"),
Latin script only, language tags dropped, and the everyday short names of `EVERYDAY_NAMES`. Left out: nicknames
("The Golden State"), names shorter than 4 letters, entries whose language tag did not parse. Its `former` maps a
code to the code suffixes ISO 3166-2 gave it before, read from the records' change history ("Change of subdivision
code from PL-DS to PL-02" -> "PL-02": ["DS"]), which businesses still store ("MZ" for Mazowieckie); a former suffix
that is a current code of the same country is left out. Rebuild with the package's JSON at hand:

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


_CODE_CHANGE = re.compile(r"\b(?P<c>[A-Z]{2})-(?P<old>[A-Z0-9]{1,3}) to (?P=c)-(?P<new>[A-Z0-9]{1,3})\b")


def former_codes(subs: dict[str, dict]) -> dict[str, list[str]]:
    """One country's records -> {current code: [former suffixes]}, read from the records' change history."""
    current = {code.partition("-")[2] for code in subs}
    out: dict[str, list[str]] = {}
    for record in subs.values():
        for change in record.get("history") or ():
            for m in _CODE_CHANGE.finditer(str(change.get("Description of Change") or "")):
                code = f"{m.group('c')}-{m.group('new')}"
                if code in subs and m.group("old") not in current and m.group("old") not in out.get(code, []):
                    out.setdefault(code, []).append(m.group("old"))
    return out


# Everyday short names the package lacks, written in place of the full name in business and the press (Indonesia's
# provincial abbreviations, "Jatim" for Jawa Timur, and "Jogja" / "Yogya" for Yogyakarta); 4 letters or more, as above.
EVERYDAY_NAMES = {
    "ID-JB": ["Jabar"], "ID-JT": ["Jateng"], "ID-JI": ["Jatim"], "ID-YO": ["Jogja", "Yogya", "Jogjakarta"],
    "ID-SN": ["Sulsel"], "ID-SA": ["Sulut"], "ID-ST": ["Sulteng"], "ID-SG": ["Sultra"], "ID-SR": ["Sulbar"],
    "ID-SU": ["Sumut"], "ID-SB": ["Sumbar"], "ID-SS": ["Sumsel"], "ID-KB": ["Kalbar"], "ID-KT": ["Kalteng"],
    "ID-KS": ["Kalsel"], "ID-KI": ["Kaltim"], "ID-KU": ["Kaltara"], "ID-BB": ["Babel"], "ID-KR": ["Kepri"],
    # the English names of the island groups over the provinces (ISO 3166-2 gives "Sumatera" only)
    "ID-SM": ["Sumatra"],
    # a community's name in its own language where the package has another form ("Euskal Herria" is the wider land)
    "ES-PV": ["Euskadi"], "ES-NC": ["Nafarroa"],
}


def build(source: Path) -> tuple[dict[str, list[str]], dict[str, list[str]]]:
    data = json.loads(source.read_text(encoding="utf-8"))
    names = {code: found for subs in data.values() for code, record in sorted(subs.items())
             if (found := other_names(record))}
    for code, extra in EVERYDAY_NAMES.items():
        names[code] = [*names.get(code, []), *(n for n in extra if n not in names.get(code, []))]
    former = {code: sorted(old) for subs in data.values() for code, old in former_codes(subs).items()}
    return names, former


def main(argv: list[str]) -> None:
    names, former = build(Path(argv[0]))
    OUT.write_text(json.dumps({"source": SOURCE, "names": names, "former": former}, ensure_ascii=False,
                              sort_keys=True, indent=0) + "\n", encoding="utf-8")
    print(f"{OUT}: {len(names)} subdivisions, {len(former)} with former codes")


if __name__ == "__main__":
    main(sys.argv[1:])
