"""The industry bench's held-out sets (`bench.answers_industry.HELDOUT_SETS`, one file each in
training/data/industry_qa_eval/): every registered set has its file, every record is valid and self-consistent, ids are
unique and carry the set's name, and no held-out question repeats a knowledge-base question or another set's question
(normalized text). No database, no model."""

from __future__ import annotations

from collections import Counter

from bench.answers_industry import HELDOUT_SETS
from training.industry_qa import HELDOUT_FILE, load_all, normalize, read_file


def _sets() -> dict[str, list[dict]]:
    out = {}
    for name in HELDOUT_SETS:
        path = HELDOUT_FILE.with_name(f"{name}.jsonl")
        assert path.is_file(), f"{path} is registered but missing"
        rows, problems = read_file(path)
        assert [str(p) for p in problems] == []
        out[name] = rows
    return out


def test_every_registered_held_out_set_is_valid_and_named_by_its_ids():
    sets = _sets()
    assert {"heldout", "heldout5", "heldout6", "heldout7", "heldout8"} <= set(sets)
    for name, rows in sets.items():
        assert len(rows) >= 80, name
        ids = [r["id"] for r in rows]
        assert len(set(ids)) == len(ids), name
        assert all(i.startswith(f"{name}-") for i in ids), name
        assert len({r["topic"] for r in rows}) >= 10, name


def test_held_out_questions_repeat_no_knowledge_base_or_other_set_question():
    sets = _sets()
    kb = {normalize(r["question"]) for r in load_all()}
    held = Counter(normalize(r["question"]) for rows in sets.values() for r in rows)
    assert [q for q, n in held.items() if n > 1] == []
    assert [q for q in held if q in kb] == []
