"""The docs answer bench's case sets (`bench.answers_docs.SETS`, files under bench/data/answers_docs/): every registered
set has its two files, every case is well formed (a registered tenant with its own document folder, an id unique over
all sets, a valid label), every bench tenant's documents extract, and every `must` phrase of a covered case occurs in
its tenant's documents (case and whitespace normalized). Sets written under the exactly-once rule (`UNIQUE_MUST_SETS`)
have each phrase exactly once, so that only the answering sentence carries it. No database, no model."""

from __future__ import annotations

import re
from collections import Counter
from functools import cache

from bench.answers_docs import DATA, SETS, TENANTS, load
from tools.ingest import extract_text

# the sets whose must phrases were checked to occur exactly once when they were written
UNIQUE_MUST_SETS = ("heldout2", "heldout5", "heldout6", "heldout7", "heldout8", "heldout9", "heldout10", "heldout11",
                    "heldout12", "heldout13", "heldout14", "heldout15", "heldout16", "heldout17", "heldout18",
                    "heldout19", "heldout20", "heldout21", "heldout22", "heldout23", "heldout24", "heldout25",
                    "heldout26", "heldout27")


def _norm(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip().lower()


@cache
def _tenant_text(slug: str) -> str:
    files = sorted(p for p in (DATA / slug).iterdir() if p.is_file())
    assert files, f"tenant {slug} has no documents"
    return _norm("\n".join(extract_text(p.read_bytes(), p.suffix, p.name)[0] for p in files))


def test_every_set_is_registered_with_valid_cases_and_unique_ids():
    assert {"tuning", "heldout6", "heldout7", "heldout8", "heldout9", "heldout10", "heldout11",
            "heldout12", "heldout13", "heldout14", "heldout15", "heldout16", "heldout17", "heldout18",
            "heldout19", "heldout20", "heldout21", "heldout22", "heldout23", "heldout24",
            "heldout25", "heldout26", "heldout27"} <= set(SETS)
    ids: Counter[str] = Counter()
    for name, (case_file, route_file) in SETS.items():
        cases, routes = load(case_file), load(route_file)
        assert cases and routes, name
        for c in cases:
            assert c["tenant"] in TENANTS and (DATA / c["tenant"]).is_dir(), (name, c)
            assert c["expect"] in ("answer", "not_covered"), (name, c)
            assert (1 <= len(c["must"]) <= 3) if c["expect"] == "answer" else "must" not in c, (name, c)
        for c in routes:
            assert c["tenant"] in TENANTS and c["route"] in ("sql", "industry", "smalltalk"), (name, c)
        ids.update(c["id"] for c in cases + routes)
    assert [i for i, n in ids.items() if n > 1] == []


def test_must_phrases_occur_in_their_tenant_documents():
    problems = []
    for name, (case_file, _) in SETS.items():
        for c in load(case_file):
            for phrase in c.get("must", []):
                count = _tenant_text(c["tenant"]).count(_norm(phrase))
                if count == 0 or (count > 1 and name in UNIQUE_MUST_SETS):
                    problems.append((name, c["id"], phrase, count))
    assert problems == []


def test_new_held_out_tenants_have_varied_documents():
    """The latest sets' tenants each have several documents, a Word file among them (the formats users upload)."""
    for name, tenants in (("heldout7", {"kaede", "wrzos"}), ("heldout8", {"colibri", "lumo"}),
                          ("heldout9", {"eule", "switchback"}), ("heldout10", {"girasole", "heatherline"}),
                          ("heldout11", {"mirabelle", "wattlebird"}), ("heldout12", {"ijsvogel", "tausi"}),
                          ("heldout13", {"marti", "sampaguita"}), ("heldout14", {"hanbit", "iroko"}),
                          ("heldout15", {"elia", "tre"}), ("heldout16", {"cordillera", "levada"}),
                          ("heldout17", {"argane", "lundi"}), ("heldout18", {"nakhla", "phikul"}),
                          ("heldout19", {"guayacan", "kenanga"}), ("heldout20", {"drago", "kapok"}),
                          ("heldout21", {"huarango", "lipa"}), ("heldout22", {"ombu", "maslina"}),
                          ("heldout23", {"pipacs", "nelum"}), ("heldout24", {"rukkilill", "melati"}),
                          ("heldout25", {"spurv", "akoma"}), ("heldout26", {"enzian", "rimon"}),
                          ("heldout27", {"arve", "meihua"})):
        assert {c["tenant"] for c in load(SETS[name][0])} == tenants, name
    for slug in ("kaede", "wrzos", "colibri", "lumo", "eule", "switchback", "girasole", "heatherline", "mirabelle",
                 "wattlebird", "ijsvogel", "tausi", "marti", "sampaguita", "hanbit", "iroko", "elia", "tre",
                 "cordillera", "levada", "argane", "lundi", "nakhla", "phikul", "guayacan", "kenanga", "drago",
                 "kapok", "huarango", "lipa", "ombu", "maslina", "pipacs", "nelum", "rukkilill", "melati", "spurv",
                 "akoma", "enzian", "rimon", "arve", "meihua"):
        suffixes = Counter(p.suffix for p in (DATA / slug).iterdir())
        assert sum(suffixes.values()) >= 8 and suffixes[".docx"] >= 1 and suffixes[".md"] >= 1, (slug, suffixes)
