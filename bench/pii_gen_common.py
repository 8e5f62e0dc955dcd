"""Machinery shared by the labelled PII set generators (bench.make_pii_set, bench.make_pii_set_intl): the seeded
filler base class, card/IBAN numbers with valid check digits, template rendering with labelled character spans,
locating hand-written spans, and writing the JSONL file.

Contract: every random draw goes through the ``random.Random`` a generator passes in, in the order the templates
ask for it, so a generator's output depends only on its seed and its own templates and fillers (the committed
tests/data/pii_labelled*.jsonl files are reproducible byte for byte).
"""

from __future__ import annotations

import json
import random
import re
import string
from collections.abc import Callable, Iterable, Mapping, Sequence
from pathlib import Path
from typing import TypeVar

from safety.luhn import luhn_check_digit

T = TypeVar("T")
F = TypeVar("F", bound="SeededFill")
Record = dict[str, object]
Entity = dict[str, object]
# Template slot name -> (gold label, filler method); slots not listed are fillers that are not PII.
PiiSlots = Mapping[str, tuple[str, Callable[[F], str]]]

DATA_DIR = Path(__file__).resolve().parents[1] / "tests" / "data"
_SLOT = re.compile(r"\{(\w+)\}")


def luhn_complete(prefix: str, length: int, rng: random.Random) -> str:
    """A Luhn-valid number of ``length`` digits starting with ``prefix`` (random middle digits from ``rng``)."""
    body = prefix + "".join(rng.choice(string.digits) for _ in range(length - len(prefix) - 1))
    return body + luhn_check_digit(body)


def make_iban(country: str, bban: str) -> str:
    """The IBAN of a country code and a basic bank account number, with its ISO 13616 check digits."""
    numeric = "".join(str(int(c, 36)) for c in bban + country + "00")
    return f"{country}{98 - int(numeric) % 97:02d}{bban}"


class SeededFill:
    """Base of a generator's fillers: one public method per template slot; all randomness goes through ``rng``."""

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng

    def pick(self, items: Sequence[T]) -> T:
        return self.rng.choice(items)

    def d(self, lo: int, hi: int) -> int:
        return self.rng.randint(lo, hi)


def render(template: str, fill: F, pii_slots: PiiSlots[F]) -> tuple[str, list[Entity]]:
    """Fill every ``{slot}`` of ``template``; the values of PII slots are returned as labelled spans."""
    out: list[str] = []
    entities: list[Entity] = []
    pos = 0
    for m in _SLOT.finditer(template):
        out.append(template[pos:m.start()])
        cursor = sum(len(p) for p in out)
        slot = m.group(1)
        if slot in pii_slots:
            label, make = pii_slots[slot]
            value = make(fill)
            entities.append({"type": label, "start": cursor, "end": cursor + len(value)})
        else:
            value = str(getattr(fill, slot)())
        out.append(value)
        pos = m.end()
    out.append(template[pos:])
    return "".join(out), entities


def template_records(templates: Iterable[str], fill: F, pii_slots: PiiSlots[F], copies: int,
                     source: str) -> list[Record]:
    """``copies`` renderings of each template, in order, each tagged ``{source}-{template index}``."""
    records: list[Record] = []
    for i, template in enumerate(templates):
        for _ in range(copies):
            text, entities = render(template, fill, pii_slots)
            records.append({"text": text, "entities": entities, "source": f"{source}-{i}"})
    return records


def locate(text: str, spans: Iterable[tuple[str, str]]) -> list[Entity]:
    """Labelled spans of hand-written ``(label, value)`` pairs: the first occurrence of each value in ``text``."""
    entities: list[Entity] = []
    for label, value in spans:
        start = text.find(value)
        if start < 0:
            raise ValueError(f"{value!r} not found in {text!r}")
        entities.append({"type": label, "start": start, "end": start + len(value)})
    return entities


def hand_records(items: Iterable[tuple[str, Iterable[tuple[str, str]], Sequence[str]]], source: str) -> list[Record]:
    """Records of hand-written ``(text, [(label, value), ...], allow)`` items, each tagged ``{source}-{index}``;
    a non-empty ``allow`` (catalog strings the guard must leave alone) is kept on the record."""
    records: list[Record] = []
    for i, (text, spans, allow) in enumerate(items):
        rec: Record = {"text": text, "entities": locate(text, spans), "source": f"{source}-{i}"}
        if allow:
            rec["allow"] = allow
        records.append(rec)
    return records


def sort_entities(records: list[Record]) -> list[Record]:
    """Order each record's entities by start offset (in place); returns ``records``."""
    for rec in records:
        rec["entities"] = sorted(rec["entities"], key=lambda e: e["start"])  # type: ignore[arg-type,index]
    return records


def write_jsonl(records: list[Record], out: Path) -> None:
    """Write one JSON object a line (UTF-8, non-ASCII kept) to ``out`` and say how many records have no PII."""
    out.parent.mkdir(parents=True, exist_ok=True)
    with out.open("w", encoding="utf-8") as fh:
        for rec in records:
            fh.write(json.dumps(rec, ensure_ascii=False) + "\n")
    clean = sum(1 for r in records if not r["entities"])
    print(f"wrote {len(records)} records ({clean} without PII) to {out}")
