"""Dataset quality checks on normalized records: exact and near duplicates (MinHash LSH), PII scan and redaction,
a word-list toxicity flag, class balance and token lengths."""

from __future__ import annotations

import functools
import hashlib
import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from training.formats import Record

NEAR_DUP_THRESHOLD = 0.8  # Jaccard similarity of word 3-shingles
NUM_PERM = 128
SHINGLE = 3
EXAMPLES = 5  # examples kept per finding in reports

_WORD = re.compile(r"\w+", re.UNICODE)


def normalized(text: str) -> str:
    return " ".join(_WORD.findall(text.lower()))


def conversation_key(record: Record) -> str:
    """Exact-duplicate key: roles + normalized content (case, spacing and punctuation ignored)."""
    body = "\x1e".join(f"{m['role']}\x1f{normalized(m['content'])}" for m in record.messages)
    if record.label is not None:
        body += f"\x1elabel\x1f{record.label}"
    return hashlib.sha256(body.encode()).hexdigest()


def shingles(text: str, k: int = SHINGLE) -> set[str]:
    words = _WORD.findall(text.lower())
    if len(words) < k:
        return {" ".join(words)} if words else set()
    return {" ".join(words[i:i + k]) for i in range(len(words) - k + 1)}


@dataclass
class Duplicates:
    """`exact[i] = j`: record i repeats record j; `near[i] = (j, jaccard)`: record i is a near copy of record j."""

    exact: dict[int, int] = field(default_factory=dict)
    near: dict[int, tuple[int, float]] = field(default_factory=dict)
    threshold: float = NEAR_DUP_THRESHOLD

    def group_of(self, i: int) -> int:
        """The kept record this one collapses onto (itself when it is not a duplicate)."""
        seen = set()
        while i not in seen:
            seen.add(i)
            if i in self.exact:
                i = self.exact[i]
            elif i in self.near:
                i = self.near[i][0]
            else:
                return i
        return i

    @property
    def dropped(self) -> set[int]:
        return set(self.exact) | set(self.near)


def find_duplicates(records: Sequence[Record], threshold: float = NEAR_DUP_THRESHOLD) -> Duplicates:
    """Exact duplicates by normalized content; near duplicates by MinHash LSH on word 3-shingles, confirmed with
    the true Jaccard similarity. Greedy in file order: the first record of each cluster is kept."""
    from datasketch import MinHash, MinHashLSH

    dups = Duplicates(threshold=threshold)
    first_seen: dict[str, int] = {}
    unique: list[int] = []
    for i, r in enumerate(records):
        key = conversation_key(r)
        if key in first_seen:
            dups.exact[i] = first_seen[key]
        else:
            first_seen[key] = i
            unique.append(i)
    if len(unique) < 2:
        return dups
    sets = {i: shingles(records[i].text) for i in unique}
    hashes = MinHash.bulk([[s.encode() for s in sets[i]] for i in unique], num_perm=NUM_PERM, seed=1)
    lsh = MinHashLSH(threshold=threshold, num_perm=NUM_PERM)
    for i, mh in zip(unique, hashes, strict=True):
        best: tuple[int, float] | None = None
        for j in lsh.query(mh):
            a, b = sets[i], sets[j]
            jac = len(a & b) / len(a | b) if a | b else 1.0
            if jac >= threshold and (best is None or jac > best[1] or (jac == best[1] and j < best[0])):
                best = (j, jac)
        if best is not None:
            dups.near[i] = (best[0], round(best[1], 3))
        else:
            lsh.insert(i, mh)
    return dups


# --- PII -----------------------------------------------------------------------------------------------------------

@dataclass
class PiiScan:
    by_type: Counter = field(default_factory=Counter)
    records: list[int] = field(default_factory=list)  # indexes of records with any PII
    redacted: list[Record] | None = None  # the records with placeholders, when asked for

    @property
    def total(self) -> int:
        return sum(self.by_type.values())


@functools.lru_cache(maxsize=65536)
def _redact_cached(text: str) -> Any:
    """`safety.redact` without tenant or allow-list is a pure function of the text: the industry builder and the
    validator scan the same shipped Q&A several times per process, so each distinct message is scanned once."""
    from safety import redact

    return redact(text)


def scan_pii(records: Sequence[Record], *, redact: bool = False) -> PiiScan:
    """Run the output guard's detector (`safety.redact`) over every message; optionally return redacted copies."""
    safety_redact = _redact_cached

    scan = PiiScan(redacted=[] if redact else None)
    for i, record in enumerate(records):
        found = False
        new_messages = []
        for m in record.messages:
            result = safety_redact(m["content"])
            if result.entities:
                found = True
                scan.by_type.update(e.type for e in result.entities)
            new_messages.append({"role": m["role"], "content": result.text})
        if found:
            scan.records.append(i)
        if scan.redacted is not None:
            label = record.label
            if label is not None and found:
                label = safety_redact(label).text
            scan.redacted.append(Record(messages=new_messages, where=record.where, line=record.line, label=label))
    return scan


def safe_snippet(text: str, limit: int = 100) -> str:
    """A short excerpt for reports, with PII replaced by placeholders (reports never carry raw PII values)."""
    from safety import redact as safety_redact

    clipped = " ".join(text.split())
    clipped = clipped if len(clipped) <= limit else clipped[: limit - 1] + "…"
    return safety_redact(clipped).text


# --- toxicity (word list) ------------------------------------------------------------------------------------------

# A deliberately small list: profanity, insults and threats. It is a cheap flag for review, not a classifier, and
# it does not list slurs; put a real toxicity model in front of it before training on open-ended user text.
TOXIC_TERMS = (
    "fuck", "fucking", "fucked", "fucker", "motherfucker", "shit", "shitty", "bullshit", "bitch", "bastard",
    "asshole", "dickhead", "cunt", "prick", "wanker", "twat", "piss off", "screw you", "go to hell", "damn you",
    "idiot", "moron", "imbecile", "retard", "dumbass", "shut up", "kill you", "i will hurt you", "die in a fire",
    "piece of shit",
)
_TOXIC = re.compile(r"\b(" + "|".join(re.escape(t) for t in sorted(TOXIC_TERMS, key=len, reverse=True)) + r")\b",
                    re.IGNORECASE)
TOXICITY_METHOD = f"word list ({len(TOXIC_TERMS)} terms: profanity, insults, threats; no classifier)"


def toxic_terms(text: str) -> list[str]:
    return sorted({m.group(1).lower() for m in _TOXIC.finditer(text)})


# --- class balance, lengths ----------------------------------------------------------------------------------------

IMBALANCE_RATIO = 5.0  # largest class / smallest class above this is a warning


def class_balance(records: Sequence[Record]) -> dict[str, Any] | None:
    labels = Counter(r.label for r in records if r.label is not None)
    if not labels:
        return None
    counts = dict(sorted(labels.items(), key=lambda kv: (-kv[1], kv[0])))
    ratio = max(counts.values()) / min(counts.values())
    total = sum(counts.values())
    return {"counts": counts, "shares": {k: round(v / total, 3) for k, v in counts.items()},
            "imbalance_ratio": round(ratio, 2)}


def length_stats(tokens: Sequence[int]) -> dict[str, Any]:
    if not tokens:
        return {}
    ordered = sorted(tokens)

    def pct(p: float) -> int:
        return ordered[min(len(ordered) - 1, int(round(p * (len(ordered) - 1))))]

    return {"min": ordered[0], "p50": pct(0.5), "p95": pct(0.95), "max": ordered[-1],
            "mean": round(sum(ordered) / len(ordered), 1), "total": sum(ordered)}
