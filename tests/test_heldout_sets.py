"""The industry bench's held-out sets: every `heldout*.jsonl` file in training/data/industry_qa_eval/, registered in
`bench.answers_industry.HELDOUT_SETS` or not yet (a new set is written before its first run and registered by whoever
runs it): every registered set has its file, every record of every file is valid and self-consistent, ids are unique
and carry the set's name, and no held-out question repeats a knowledge-base question or another set's question
(normalized text). Sets written under the word-overlap rule (`OVERLAP_RULE_SETS`) also share no content-word set
(Jaccard >= 0.8) with a knowledge-base or earlier held-out question. Sets written under the support rule
(`SUPPORT_RULE_SETS`) have every question's key facts stated together by one knowledge-base answer (a grounded system
can answer it), no false claim made by any knowledge-base answer (a grounded answer is never scored false), and key
facts that repeating the question does not state. No database, no model."""

from __future__ import annotations

import re
from collections import Counter

import pytest

from bench.answers_industry import HELDOUT_SETS
from bench.check_industry_qa import JACCARD_DUP, _jaccard, _words, is_contrast
from training.industry_qa import HELDOUT_FILE, claim_made, fact_stated, load_all, normalize, read_file

EVAL_DIR = HELDOUT_FILE.parent
# Sets whose drafts were dropped at >= 0.8 word overlap before they were written (earlier sets predate that gate).
OVERLAP_RULE_SETS = ("heldout9", "heldout10", "heldout11", "heldout12", "heldout13", "heldout14", "heldout15",
                     "heldout16", "heldout17", "heldout18", "heldout19", "heldout20", "heldout21", "heldout22",
                     "heldout23", "heldout24", "heldout25", "heldout26", "heldout27")
# Sets checked, before they were written, against the knowledge base's answers (support and false claims).
SUPPORT_RULE_SETS = ("heldout10", "heldout11", "heldout12", "heldout13", "heldout14", "heldout15", "heldout16",
                     "heldout17", "heldout18", "heldout19", "heldout20", "heldout21", "heldout22",
                     "heldout23", "heldout24", "heldout25", "heldout26", "heldout27")


def _set_number(name: str) -> int:
    return int(re.sub(r"\D", "", name) or 1)


def _files() -> dict[str, list[dict]]:
    out = {}
    for path in sorted(EVAL_DIR.glob("heldout*.jsonl")):
        rows, problems = read_file(path)
        assert [str(p) for p in problems] == []
        out[path.stem] = rows
    return out


def test_every_registered_held_out_set_has_its_file():
    for name in HELDOUT_SETS:
        path = HELDOUT_FILE.with_name(f"{name}.jsonl")
        assert path.is_file(), f"{path} is registered but missing"
    assert {"heldout", "heldout5", "heldout6", "heldout7", "heldout8", "heldout9", "heldout10", "heldout11",
            "heldout12", "heldout13", "heldout14", "heldout15", "heldout16", "heldout17",
            "heldout18", "heldout19", "heldout20", "heldout21", "heldout22", "heldout23",
            "heldout24", "heldout25", "heldout26", "heldout27"} <= set(HELDOUT_SETS)


def test_every_held_out_file_is_valid_and_named_by_its_ids():
    sets = _files()
    assert set(HELDOUT_SETS) <= set(sets)
    assert {"heldout9", "heldout10", "heldout11", "heldout12", "heldout13", "heldout14", "heldout15",
            "heldout16", "heldout17", "heldout18", "heldout19", "heldout20", "heldout21", "heldout22",
            "heldout23", "heldout24", "heldout25", "heldout26", "heldout27"} <= set(sets)
    for name, rows in sets.items():
        assert len(rows) >= 80, name
        ids = [r["id"] for r in rows]
        assert len(set(ids)) == len(ids), name
        assert all(i.startswith(f"{name}-") for i in ids), name
        assert len({r["topic"] for r in rows}) >= 10, name


def test_held_out_questions_repeat_no_knowledge_base_or_other_set_question():
    sets = _files()
    kb = {normalize(r["question"]) for r in load_all()}
    held = Counter(normalize(r["question"]) for rows in sets.values() for r in rows)
    assert [q for q, n in held.items() if n > 1] == []
    assert [q for q in held if q in kb] == []


@pytest.mark.parametrize("name", OVERLAP_RULE_SETS)
def test_newer_sets_share_no_word_set_with_a_knowledge_base_or_earlier_held_out_question(name):
    sets = _files()
    earlier = [r["question"] for r in load_all()]
    earlier += [r["question"] for other, rows in sets.items() if _set_number(other) < _set_number(name) for r in rows]
    earlier_words = [(q, _words(q)) for q in earlier]
    close = []
    for row in sets[name]:
        words = _words(row["question"])
        close += [(row["id"], q) for q, w in earlier_words
                  if _jaccard(words, w) >= JACCARD_DUP and not is_contrast(row["question"], q)]
    assert close == []


@pytest.mark.parametrize("name", SUPPORT_RULE_SETS)
def test_newer_sets_are_answerable_from_the_knowledge_base_and_never_score_it_false(name):
    rows, kb = _files()[name], load_all()
    unsupported = [h["id"] for h in rows
                   if not any(all(fact_stated(r["answer"], f) for f in h["key_facts"]) for r in kb)]
    false_in_kb = [(h["id"], r["id"]) for h in rows for r in kb
                   for c in h["false_claims"] if claim_made(r["answer"], c)]
    # A label the question itself satisfies would pass an answer that only repeats the question.
    echoed = [h["id"] for h in rows if all(fact_stated(h["question"], f) for f in h["key_facts"])]
    assert unsupported == []
    assert false_in_kb == []
    assert echoed == []
