"""The reviewed industry Q&A files: every record valid and self-consistent, enough of them, unique ids and questions,
the held-out set kept apart, and the keyword matching their labels are written for (no database, no model)."""

from __future__ import annotations

import json
from collections import Counter

from training.industry_qa import (
    HELDOUT_FILE,
    claim_made,
    fact_stated,
    load_all,
    load_heldout,
    normalize,
    read_file,
    score_answer,
    topic_files,
    validate_record,
)


def test_every_file_is_valid_and_the_collection_is_large_enough():
    problems = [str(p) for path in topic_files() for p in read_file(path)[1]]
    problems += [str(p) for p in read_file(HELDOUT_FILE)[1]]
    assert problems == []
    rows, held = load_all(), load_heldout()
    assert len(rows) >= 1000 and len(held) >= 150
    topics = Counter(r["topic"] for r in rows)
    assert len(topics) >= 12 and min(topics.values()) >= 20
    for path in topic_files():  # one topic per file, named after it
        assert {r["topic"] for r in read_file(path)[0]} == {path.stem}


def test_ids_and_questions_are_unique_and_the_held_out_set_is_apart():
    rows, held = load_all(), load_heldout()
    ids = Counter(r["id"] for r in rows + held)
    assert [i for i, n in ids.items() if n > 1] == []
    questions = Counter(normalize(r["question"]) for r in rows + held)
    assert [q for q, n in questions.items() if n > 1] == []
    assert all(r["id"].startswith("heldout-") for r in held)
    assert not any(r["id"].startswith("heldout-") for r in rows)


def test_held_out_key_facts_are_supported_by_one_knowledge_base_answer():
    rows, held = load_all(), load_heldout()
    unsupported = [h["id"] for h in held
                   if not any(all(fact_stated(r["answer"], f) for f in h["key_facts"]) for r in rows)]
    assert unsupported == []


def test_matching_normalizes_and_needs_every_group_of_a_claim():
    assert fact_stated("Polycarbonate has an index of about 1.586.", ["1.586"])
    assert fact_stated("An anti-reflective coating...", ["anti reflective"])
    assert not fact_stated("Myopia blurs distant objects.", ["hyperopia", "farsighted"])
    claim = [["high-index"], ["lower the risk of cataract"]]
    assert claim_made("High-index lenses lower the risk of cataract surgery.", claim)
    assert not claim_made("High-index lenses only make lenses thinner.", claim)
    record = {"key_facts": [["nearsighted", "myopia"], ["distant", "far"]],
              "false_claims": [[["trouble seeing close"]]]}
    right = score_answer("Myopia means distant objects look blurry.", record)
    wrong = score_answer("Myopia is trouble seeing close objects.", record)
    assert right.right and not wrong.right
    assert wrong.missing == [["distant", "far"]] and wrong.false_made == [[["trouble seeing close"]]]


def test_validation_rejects_a_record_whose_answer_contradicts_its_labels():
    good = json.loads(topic_files()[0].read_text(encoding="utf-8").splitlines()[0])
    assert validate_record(good) == []
    bad = dict(good, answer="Nothing relevant here.")
    assert any("key fact" in e for e in validate_record(bad))
    bad = dict(good, false_claims=[[[good["answer"].split()[0]]]])
    assert any("false claim" in e for e in validate_record(bad))
    bad = dict(good, paraphrases=[good["question"], "x"])
    assert any("repeats the question" in e for e in validate_record(bad))
    bad = {k: v for k, v in good.items() if k != "source"}
    assert validate_record(bad) == ["missing field 'source'"]
    assert validate_record(dict(good, aliases=["a made-up lay name", "another phrase"])) == []
    assert validate_record(dict(good, aliases="one string")) == ["aliases must be a non-empty list of strings"]
    assert validate_record(dict(good, aliases=[good["question"].upper()])) == ["an alias repeats the question"]


def test_a_record_carries_two_to_six_distinct_everyday_wordings():
    """Lay paraphrases ("gone cloudy", "readers") may be added beyond the first two, up to six, each a new wording."""
    good = json.loads(topic_files()[0].read_text(encoding="utf-8").splitlines()[0])
    four = [*good["paraphrases"], "my lay wording one", "my lay wording two"]
    assert validate_record(dict(good, paraphrases=four)) == []
    assert validate_record(dict(good, paraphrases=four[:1])) == ["paraphrases must be 2-6 strings"]
    seven = [*four, "three", "four", "five"]
    assert validate_record(dict(good, paraphrases=seven)) == ["paraphrases must be 2-6 strings"]
    twice = [*good["paraphrases"], good["paraphrases"][0].upper()]
    assert validate_record(dict(good, paraphrases=twice)) == ["two paraphrases are the same wording"]
