"""Check the reviewed industry Q&A files (training/data/industry_qa/*.jsonl) and the held-out factual set
(training/data/industry_qa_eval/heldout.jsonl): schema and self-consistency of every record, counts per topic,
unique ids, duplicate and near-duplicate questions (normalized text, word overlap, and MiniLM embedding similarity via
tools/embeddings.py), held-out questions that repeat a knowledge-base question, how well each record's paraphrases
retrieve it, and whether the knowledge base states each held-out question's key facts.

    python -m bench.check_industry_qa            # full check (embeds about 4,000 short texts on the CPU)
    python -m bench.check_industry_qa --no-embed # schema, counts and text duplicates only

Exit status 1 when a hard check fails: a schema problem, a duplicate id, an exact or near-duplicate question, a
held-out question that near-duplicates a knowledge-base question, or fewer records than --min-total / --min-heldout.
Paraphrase retrieval and held-out support are measurements (printed, not gated). The paraphrases are indexed by
tools/industry_kb.py (as stand-ins for their record's question), so their retrieval here checks the data, not how
unseen wordings fare: that is what the held-out sets measure.
"""

from __future__ import annotations

import argparse
import re
import sys
from collections import Counter
from itertools import combinations
from typing import Any

from training.industry_qa import HELDOUT_FILE, fact_stated, normalize, read_file, topic_files

# Near-duplicate thresholds (questions): cosine of MiniLM embeddings, Jaccard of content-word sets.
EMB_DUP = 0.93
EMB_SIMILAR = 0.88  # reported, not failed
JACCARD_DUP = 0.8
HELDOUT_DUP = 0.93

_STOP = frozenset("""a an the of to in on for and or is are do does can what why how when which who my i it be with
a as at by from this that your you should there their its was were will would about into than then them they""".split())


# Questions that differ only in opposite words or numbers ("too high" / "too low", "1.60" / "1.67") are contrast pairs:
# different questions with different answers, however close their embeddings are. Reported, not failed.
OPPOSITES = [frozenset(p.split()) for p in """high low|wide narrow|plus minus|near far|near distance|left right|wet dry
soft hard|soft rigid|myopia hyperopia|nearsighted farsighted|before after|thick thin|thicker thinner|up down|in out
open closed|daily monthly|inside outside|upper lower|top bottom|short long|increase decrease|more less|dark light
monocular binocular|flat round|plastic glass|acetate metal|bacterial viral|small big|smaller bigger|small large
esotropia exotropia|pinguecula pterygium""".replace("\n", "|").split("|")]


def is_contrast(q1: str, q2: str) -> bool:
    """True when two questions differ only by a few opposite words or by numbers."""
    a, b = _words(q1), _words(q2)
    only_a, only_b = a - b, b - a
    if len(only_a) > 2 or len(only_b) > 2 or not only_a | only_b:
        return False
    if all(re.fullmatch(r"\d+", w) for w in only_a | only_b):
        return True
    return any(frozenset((x, y)) in OPPOSITES for x in only_a for y in only_b)


def _words(text: str) -> set[str]:
    return {w for w in normalize(text).split() if w not in _STOP}


def _jaccard(a: set[str], b: set[str]) -> float:
    return len(a & b) / len(a | b) if a | b else 0.0


def load() -> tuple[list[dict[str, Any]], list[dict[str, Any]], list[str]]:
    rows: list[dict[str, Any]] = []
    problems: list[str] = []
    for path in topic_files():
        recs, probs = read_file(path)
        for r in recs:
            r["_file"] = path.name
        rows += recs
        problems += [str(p) for p in probs]
    held: list[dict[str, Any]] = []
    if HELDOUT_FILE.is_file():
        held, probs = read_file(HELDOUT_FILE)
        for r in held:
            r["_file"] = HELDOUT_FILE.name
        problems += [str(p) for p in probs]
    return rows, held, problems


def text_duplicates(rows: list[dict[str, Any]]) -> list[str]:
    out: list[str] = []
    seen: dict[str, str] = {}
    for r in rows:
        key = normalize(r["question"])
        if key in seen:
            out.append(f"exact duplicate question: {seen[key]} and {r['id']}: {r['question']!r}")
        else:
            seen[key] = r["id"]
    words = [_words(r["question"]) for r in rows]
    for i, j in combinations(range(len(rows)), 2):
        if normalize(rows[i]["question"]) != normalize(rows[j]["question"]):
            jac = _jaccard(words[i], words[j])
            if jac >= JACCARD_DUP and not is_contrast(rows[i]["question"], rows[j]["question"]):
                out.append(f"near-duplicate (word overlap {jac:.2f}): {rows[i]['id']} {rows[i]['question']!r} / "
                           f"{rows[j]['id']} {rows[j]['question']!r}")
    return out


def embedding_checks(rows: list[dict[str, Any]], held: list[dict[str, Any]]) -> dict[str, Any]:
    import numpy as np

    from tools.embeddings import embed

    q = embed([r["question"] for r in rows])
    full = embed([f"{r['question']} {r['answer']}" for r in rows])
    sims = q @ q.T
    np.fill_diagonal(sims, -1.0)
    dups, similar = [], []
    for i, j in zip(*np.where(np.triu(sims, 1) >= EMB_SIMILAR), strict=True):
        line = (f"{sims[i, j]:.3f} {rows[i]['id']} {rows[i]['question']!r} / {rows[j]['id']} "
                f"{rows[j]['question']!r}")
        contrast = is_contrast(rows[i]["question"], rows[j]["question"])
        (dups if sims[i, j] >= EMB_DUP and not contrast else similar).append(line + (" (contrast)" if contrast else ""))

    # paraphrase self-retrieval: does each paraphrase find its own record first (top 1) / in the top 3?
    para_texts, owner = [], []
    for n, r in enumerate(rows):
        for p in r["paraphrases"]:
            para_texts.append(p)
            owner.append(n)
    pv = embed(para_texts)
    score = 0.5 * (pv @ q.T) + 0.5 * (pv @ full.T)
    order = np.argsort(-score, axis=1)[:, :3]
    top1 = sum(order[k, 0] == owner[k] for k in range(len(owner)))
    top3 = sum(owner[k] in order[k] for k in range(len(owner)))
    para_miss = [f"{rows[owner[k]]['id']}: {para_texts[k]!r} -> {rows[order[k, 0]]['id']} "
                 f"{rows[order[k, 0]]['question']!r}" for k in range(len(owner)) if owner[k] not in order[k]]

    held_dups, unsupported = [], []
    supported = 0
    if held:
        hq = embed([h["question"] for h in held])
        hs = hq @ q.T
        hscore = 0.5 * hs + 0.5 * (hq @ full.T)
        for k, h in enumerate(held):
            j = int(np.argmax(hs[k]))
            if hs[k, j] >= HELDOUT_DUP:
                held_dups.append(f"{hs[k, j]:.3f} {h['id']} {h['question']!r} ~ {rows[j]['id']} "
                                 f"{rows[j]['question']!r}")
            top = np.argsort(-hscore[k])[:3]
            text = " ".join(rows[t]["answer"] for t in top)
            if all(fact_stated(text, f) for f in h["key_facts"]):
                supported += 1
            else:
                unsupported.append(f"{h['id']} {h['question']!r}: top hits "
                                   + ", ".join(rows[t]["id"] for t in top))
    return {"dups": dups, "similar": similar, "para_total": len(owner), "para_top1": top1, "para_top3": top3,
            "para_miss": para_miss, "held_dups": held_dups, "held_supported": supported,
            "held_unsupported": unsupported}


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--no-embed", action="store_true", help="skip the embedding checks")
    ap.add_argument("--min-total", type=int, default=1000)
    ap.add_argument("--min-heldout", type=int, default=150)
    ap.add_argument("--verbose", "-v", action="store_true", help="list similar pairs and retrieval misses")
    args = ap.parse_args(argv)

    rows, held, problems = load()
    failures: list[str] = list(problems)
    counts = Counter(r["topic"] for r in rows)
    print(f"{'topic':<22}{'records':>8}")
    for topic, n in sorted(counts.items()):
        print(f"{topic:<22}{n:>8}")
    print(f"{'total':<22}{len(rows):>8}")
    print(f"{'held-out':<22}{len(held):>8}")
    sources = Counter(s.strip() for r in rows for s in r["source"].split(";"))
    print(f"distinct sources cited: {len(sources)}")

    ids = Counter(r["id"] for r in rows + held)
    failures += [f"duplicate id {i} ({n} times)" for i, n in ids.items() if n > 1]
    bad_prefix = [r["id"] for r in rows if re.sub(r"-\d{4}$", "", r["id"]) == ""]
    failures += [f"id without a topic prefix: {i}" for i in bad_prefix]
    failures += text_duplicates(rows + held)
    if len(rows) < args.min_total:
        failures.append(f"only {len(rows)} knowledge-base records (need {args.min_total})")
    if len(held) < args.min_heldout:
        failures.append(f"only {len(held)} held-out records (need {args.min_heldout})")

    if not args.no_embed and rows:
        emb = embedding_checks(rows, held)
        failures += [f"near-duplicate (embedding cosine {d}" for d in emb["dups"]]
        failures += [f"held-out repeats a knowledge-base question (cosine {d}" for d in emb["held_dups"]]
        print(f"similar question pairs (cosine {EMB_SIMILAR}-{EMB_DUP}, allowed): {len(emb['similar'])}")
        t = emb["para_total"]
        print(f"paraphrase retrieval: top-1 {emb['para_top1']}/{t} ({emb['para_top1'] / t:.1%}), "
              f"top-3 {emb['para_top3']}/{t} ({emb['para_top3'] / t:.1%})")
        if held:
            print(f"held-out key facts stated by the top-3 knowledge-base answers: {emb['held_supported']}/{len(held)} "
                  f"({emb['held_supported'] / len(held):.1%})")
        if args.verbose:
            for label, key in (("similar", "similar"), ("paraphrase miss", "para_miss"),
                               ("held-out unsupported", "held_unsupported")):
                for line in emb[key]:
                    print(f"  {label}: {line}")

    if failures:
        print(f"\nFAILED: {len(failures)} problem(s)")
        for f in failures:
            print(f"  {f}")
        return 1
    print("\nOK")
    return 0


if __name__ == "__main__":
    sys.exit(main())
