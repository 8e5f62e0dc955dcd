"""The guard on a labelled set of place and person names from 12 countries (tests/data/place_names_labelled.json):
each tenant's answers keep the places its own documents name as places; the people (staff its documents name in a
business role, some named like places: "Madison Clarke", "Adelaide Nguyen") are never shown with another tenant's
list, and with the tenant's own list only as the full names its documents publish (issue 11, ``safety.business_names``).

Run ``python -m tests.test_place_names_labelled`` for the table (place-kept and person-redacted rates with no list,
with the tenant's own list, and with another tenant's list). Real presidio + spaCy, no database (the list is computed
from the documents' text with the same function ``tools.doc_places`` uses).
"""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

import regex

from safety.pii import redact
from safety.place_names import DocumentText

DATA = Path(__file__).parent / "data" / "place_names_labelled.json"


@dataclass(frozen=True)
class Score:
    places: int
    places_kept: int
    people: int
    people_redacted: int

    @property
    def place_rate(self) -> float:
        return self.places_kept / self.places if self.places else 1.0

    @property
    def person_rate(self) -> float:
        return self.people_redacted / self.people if self.people else 1.0


def load() -> list[dict]:
    return json.loads(DATA.read_text(encoding="utf-8"))["tenants"]


def documents(tenant: dict) -> list[DocumentText]:
    return [DocumentText(d["title"], d["text"]) for d in tenant["documents"]]


def _visible(value: str, text: str) -> bool:
    return regex.search(rf"(?<![\p{{L}}\-]){regex.escape(value)}(?![\p{{L}}\-])", text) is not None


def _person_hidden(person: str, text: str) -> bool:
    """Every word of the person's name (3+ letters) is gone from the redacted text."""
    return not any(_visible(w, text) for w in person.split() if len(w) >= 3 and w[0].isupper())


def score(tenants: Sequence[dict], terms_of: Callable[[dict], tuple[str, ...]], *, other: bool = False,
          misses: list[str] | None = None) -> Score:
    """Score the guard with ``terms_of(tenant)`` as each tenant's allow-list (or, with ``other``, the next tenant's)."""
    places = kept = people = hidden = 0
    lists = [terms_of(t) for t in tenants]
    for i, tenant in enumerate(tenants):
        allow = lists[(i + 1) % len(lists)] if other else lists[i]
        for answer in tenant["answers"]:
            out = redact(answer["text"], allow=allow).text
            for place in answer["places"]:
                places += 1
                ok = _visible(place, out)
                kept += ok
                if not ok and misses is not None:
                    misses.append(f"{tenant['name']}: place {place!r} lost: {out}")
            for person in answer["people"]:
                people += 1
                ok = _person_hidden(person, out)
                hidden += ok
                if not ok and misses is not None:
                    misses.append(f"{tenant['name']}: person {person!r} visible: {out}")
    return Score(places, kept, people, hidden)


_TERMS: dict[str, tuple[str, ...]] = {}


def own_terms(tenant: dict) -> tuple[str, ...]:
    """The tenant's allow-list from its documents (what ``tools.doc_places.doc_place_terms`` caches per tenant)."""
    from tools.doc_places import _place_terms

    if tenant["name"] not in _TERMS:
        _TERMS[tenant["name"]] = _place_terms(documents(tenant))
    return _TERMS[tenant["name"]]


def test_labelled_set_is_varied():
    tenants = load()
    assert len({t["country"] for t in tenants}) >= 8
    names = [p for t in tenants for a in t["answers"] for p in a["places"]]
    assert any(" " in n for n in names) and any("-" in n for n in names)
    assert any(regex.search(r"[À-ÿ]", n) for n in names)
    # people named like places are in the set
    people = [p for t in tenants for a in t["answers"] for p in a["people"]]
    assert {"Madison Clarke", "Jackson Reed", "Adelaide Nguyen", "Victoria Barnes"} <= set(people)


def test_own_list_keeps_places_and_reveals_only_staff_the_documents_publish():
    """Every person of the set is a member of the tenant's staff that its documents name in a business role ("our
    area manager, X", "ask for X"): since issue 11 the tenant's own list may show such a full name in its own answers
    (``safety.business_names``); it never shows a one-word name ("Ask for Sigrid at the counter") nor a name the
    documents do not publish."""
    tenants = load()
    none_misses: list[str] = []
    misses: list[str] = []
    none = score(tenants, lambda t: (), misses=none_misses)
    own = score(tenants, own_terms, misses=misses)
    published = {(t["name"], p) for t in tenants for a in t["answers"] for p in a["people"]
                 if len(p.split()) >= 2 and any(p in d["text"] for d in t["documents"])}
    revealed = {(m.split(":")[0], m.split("'")[1]) for m in misses if ": person " in m}
    assert revealed <= published, sorted(revealed - published)
    assert not any(len(p.split()) < 2 for _, p in revealed)
    assert none.place_rate < 0.8  # the set is hard without the list (so the next assertion can fail)
    assert own.place_rate >= 0.9, misses


def test_another_tenants_list_reveals_no_person():
    tenants = load()
    none_misses: list[str] = []
    misses: list[str] = []
    score(tenants, lambda t: (), misses=none_misses)
    score(tenants, own_terms, other=True, misses=misses)
    assert {m for m in misses if "person" in m} <= {m for m in none_misses if "person" in m}, misses


def main() -> None:
    tenants = load()
    misses: list[str] = []
    rows = [("no list", score(tenants, lambda t: (), misses=misses)),
            ("another tenant's list", score(tenants, own_terms, other=True))]
    misses.append("-- with the tenant's own list:")
    rows.append(("the tenant's own list", score(tenants, own_terms, misses=misses)))
    print(f"{'allow-list':<24} {'places kept':>16} {'people redacted':>18}")
    for label, s in rows:
        print(f"{label:<24} {s.places_kept:>4}/{s.places:<4} {s.place_rate:6.1%} "
              f"{s.people_redacted:>6}/{s.people:<4} {s.person_rate:6.1%}")
    for line in misses:
        print("  ", line)


if __name__ == "__main__":
    main()
