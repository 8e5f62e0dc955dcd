"""The reviewed industry Q&A files: where they live, their schema, loading and validating them, and the keyword
matching their labels are written for.

Files: `training/data/industry_qa/<topic>.jsonl` (the knowledge base: retrieval in tools/industry_kb.py and the
industry adapter's training data via training/industry_builder.py) and `training/data/industry_qa_eval/heldout.jsonl`
(held-out questions for the factual bench; never indexed, never trained on). One JSON object per line:

- `id` (str, stable, e.g. "lens-mat-0042"), `question`, `answer` (2-4 plain sentences), `topic`, `source` (named
  public references, "; "-separated),
- `key_facts`: 1-3 facts, each a list of acceptable keyword alternatives; a fact is stated when ANY alternative
  occurs in an answer. Example: [["nearsighted", "myopia"], ["distant", "far"]].
- `false_claims`: 1-2 tempting false statements, each a list of keyword groups (each group a list of alternatives);
  a claim is made when EVERY group has an alternative in an answer. Example: [[["trouble seeing close"]]].
- `paraphrases`: 2-6 other wordings of the question (short, informal, typos, the everyday words customers use:
  "gone cloudy", "readers", "my kid squints"), embedded by retrieval like the question.
- `aliases` (optional): lay names and symptom phrases of the record's subject, indexed by retrieval like the question.

Matching is on normalized text: lower case, every run of characters other than a-z and 0-9 becomes one space, the
whole padded with one space; an alternative is normalized the same way and matched as a substring ("1.67" matches
"1 67"). Every record's own answer states all its key facts and makes none of its false claims (validated).
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

DATA_DIR = Path(__file__).parent / "data"
QA_DIR = DATA_DIR / "industry_qa"
HELDOUT_FILE = DATA_DIR / "industry_qa_eval" / "heldout.jsonl"

FIELDS = ("id", "question", "answer", "topic", "source", "key_facts", "false_claims", "paraphrases")
_NON_ALNUM = re.compile(r"[^a-z0-9]+")
_ID = re.compile(r"^[a-z][a-z0-9-]*-\d{4}$")
PARAPHRASES = (2, 6)  # how many other wordings a record carries (at least two, at most six)


def normalize(text: str) -> str:
    """Lower case, non-alphanumeric runs to one space, padded with one space on each side."""
    return " " + _NON_ALNUM.sub(" ", (text or "").lower()).strip() + " "


def _alt_in(norm_text: str, alternative: str) -> bool:
    core = _NON_ALNUM.sub(" ", alternative.lower()).strip()
    return bool(core) and core in norm_text


def fact_stated(answer: str, alternatives: list[str]) -> bool:
    """One key fact (a list of keyword alternatives) is stated when any alternative occurs in the answer."""
    norm = normalize(answer)
    return any(_alt_in(norm, a) for a in alternatives)


def claim_made(answer: str, groups: list[list[str]]) -> bool:
    """One false claim (keyword groups) is made when every group has an alternative in the answer."""
    norm = normalize(answer)
    return bool(groups) and all(any(_alt_in(norm, a) for a in g) for g in groups)


@dataclass(frozen=True)
class KeywordScore:
    facts_total: int
    missing: list[list[str]]
    false_made: list[list[list[str]]]

    @property
    def right(self) -> bool:
        return not self.missing and not self.false_made


def score_answer(answer: str, record: dict[str, Any]) -> KeywordScore:
    """Which of a record's key facts an answer misses and which of its false claims it makes."""
    facts = record.get("key_facts") or []
    return KeywordScore(len(facts), [f for f in facts if not fact_stated(answer, f)],
                        [c for c in record.get("false_claims") or [] if claim_made(answer, c)])


def _is_str_list(value: Any) -> bool:
    return isinstance(value, list) and bool(value) and all(isinstance(v, str) and v.strip() for v in value)


def validate_record(row: Any) -> list[str]:
    """Schema and self-consistency problems of one record (empty when it is valid)."""
    if not isinstance(row, dict):
        return ["not a JSON object"]
    errs = [f"missing field {f!r}" for f in FIELDS if f not in row]
    if errs:
        return errs
    for f in ("id", "question", "answer", "topic", "source"):
        if not isinstance(row[f], str) or not row[f].strip():
            errs.append(f"{f} must be a non-empty string")
    if errs:
        return errs
    if not _ID.match(row["id"]):
        errs.append(f"id {row['id']!r} is not like 'topic-0001'")
    kf, fc, para = row["key_facts"], row["false_claims"], row["paraphrases"]
    if not (isinstance(kf, list) and 1 <= len(kf) <= 3 and all(_is_str_list(f) for f in kf)):
        errs.append("key_facts must be 1-3 lists of keyword alternatives")
        kf = []
    if not (isinstance(fc, list) and 1 <= len(fc) <= 2
            and all(isinstance(c, list) and c and all(_is_str_list(g) for g in c) for c in fc)):
        errs.append("false_claims must be 1-2 claims, each a list of keyword groups")
        fc = []
    if not (_is_str_list(para) and PARAPHRASES[0] <= len(para) <= PARAPHRASES[1]):
        errs.append(f"paraphrases must be {PARAPHRASES[0]}-{PARAPHRASES[1]} strings")
    elif any(normalize(p) == normalize(row["question"]) for p in para):
        errs.append("a paraphrase repeats the question")
    elif len({normalize(p) for p in para}) < len(para):
        errs.append("two paraphrases are the same wording")
    if "aliases" in row and not _is_str_list(row["aliases"]):
        errs.append("aliases must be a non-empty list of strings")
    elif any(normalize(a) == normalize(row["question"]) for a in row.get("aliases") or []):
        errs.append("an alias repeats the question")
    for f in kf:
        if not fact_stated(row["answer"], f):
            errs.append(f"key fact {f} is not stated by the record's own answer")
    for c in fc:
        if claim_made(row["answer"], c):
            errs.append(f"false claim {c} matches the record's own answer")
    return errs


@dataclass(frozen=True)
class Problem:
    file: str
    line: int
    message: str

    def __str__(self) -> str:
        return f"{self.file}:{self.line}: {self.message}"


def read_file(path: Path) -> tuple[list[dict[str, Any]], list[Problem]]:
    """The records of one JSONL file and the problems found (a malformed line is reported, not loaded)."""
    rows: list[dict[str, Any]] = []
    problems: list[Problem] = []
    for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if not line.strip():
            continue
        try:
            row = json.loads(line)
        except json.JSONDecodeError as exc:
            problems.append(Problem(path.name, n, f"not JSON: {exc.msg}"))
            continue
        errs = validate_record(row)
        problems += [Problem(path.name, n, e) for e in errs]
        if isinstance(row, dict):
            rows.append(row)
    return rows, problems


def topic_files(qa_dir: Path = QA_DIR) -> list[Path]:
    return sorted(qa_dir.glob("*.jsonl")) if qa_dir.is_dir() else []


def load_all(qa_dir: Path = QA_DIR) -> list[dict[str, Any]]:
    """Every record of the knowledge-base files (not the held-out file), in file order."""
    out: list[dict[str, Any]] = []
    for path in topic_files(qa_dir):
        out += read_file(path)[0]
    return out


def load_heldout(path: Path = HELDOUT_FILE) -> list[dict[str, Any]]:
    return read_file(path)[0] if path.is_file() else []


__all__ = ["FIELDS", "HELDOUT_FILE", "KeywordScore", "Problem", "QA_DIR", "claim_made", "fact_stated",
           "load_all", "load_heldout", "normalize", "read_file", "score_answer", "topic_files", "validate_record"]
