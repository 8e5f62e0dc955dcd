"""Retrieval over the pooled, anonymized industry knowledge: the reviewed optical Q&A files (with their sources) and
the suppressed cross-tenant aggregates, as cited passages. The industry route answers only from what this returns.

- Q&A files: `training/data/industry_qa/*.jsonl` (id, question, answer, topic, source, key_facts, false_claims,
  optional aliases) and the older `training/data/optical_qa.jsonl` (prompt, completion). Reviewed text, no tenant
  data. A record's `aliases` (lay names and symptom phrases of its subject: "pink eye", "a dark curtain across my
  vision") are indexed like its question: each is embedded, the question cosine is the best of the record's question
  and its aliases, and their words count as the record's words. Its `paraphrases` (other everyday wordings of its
  question) are embedded and stand in for its question the same way, but their words do not count as its words.
- Aggregates: the rows of `industry_aggregates` (db/industry.py: no cell from fewer than 3 chains or 11 records),
  each turned into a one-sentence passage.

`retrieve(question)` scores every passage by the cosine of the question to the passage's question and to its question +
answer (MiniLM), plus the share of the question's content words the passage covers, each word weighted by its rarity
across the knowledge base (a word that picks a passage out, "crooked", "orthokeratology", counts more than one most
passages share, "glasses", "lens"), for the question as asked, with regional optical words normalized (varifocal ->
progressive, short-sighted -> nearsighted) and with misspelled and informal words read as the knowledge base's words
(`spelling_fixed`: "perscription" -> prescription; `informal_terms`: "optom" -> optometrist). The best candidates are
then scored once more with the cosine of the question to the closest sentence of their answer (a question worded unlike
the passage's own question often matches the sentence that states the fact). It returns the best hits with `supported`
set when the best one clears `MIN_SCORE`. Embeddings and word frequencies of the Q&A files are computed once per process
(the embeddings cached on disk under the data dir, keyed by the files' content); answer sentences (cut by the project's
one sentence splitter, `tools.text_match.sentences`) are embedded when first needed and kept for the process; aggregates
are embedded when their rows change.

`answer_passages(retrieval)` picks what an answer quotes without changing the retrieval scores (the routing signal),
only when the best passage clears `MIN_SCORE` and only from passages scoring at least `JOIN_MIN`:
among close candidates, the passage whose own question asks for what the question asks for (`asks_for`: how often,
how long, how much, when, why, is it safe, ...), then (at most) a second passage: a close one covering the question as
well, one holding the subject words the first leaves out, the definition of the thing the question names, by any
name the definition gives it ("What is orthokeratology?" beside the passage on nightly wear; "What is an occupational
or office lens?" for a question about office lenses), or another record whose own question is worded like the one
asked; then, up to three, the other close candidates about the question's subject (two confident records on the same
thing each state facts the other leaves out; for a question told as a story, whose many circumstance words no record
holds, "about the subject" is measured against what the first chosen passage holds: `MERGE_RELATIVE`), and for an
answer still of one passage the closest runner-up on the question's subject (`_runner_up`); never one repeating a
chosen passage or asking for another specific thing. Nothing when the question asks a property of a thing that no
chosen passage names ("the refractive index of a diamond": `foreign_subject`).
"""

from __future__ import annotations

import difflib
import hashlib
import json
import logging
import re
import threading
from collections import Counter
from dataclasses import dataclass, field
from functools import cached_property, lru_cache
from pathlib import Path
from typing import Literal

import numpy as np

from config import get_settings
from tools.embeddings import embed, model_name
from tools.text_match import content_stems, coverage, normalize_terms, rarity, sentences, stem, tagger, words

log = logging.getLogger(__name__)

DATA_DIR = Path(__file__).resolve().parents[1] / "training" / "data"
QA_DIR = DATA_DIR / "industry_qa"
LEGACY_QA = DATA_DIR / "optical_qa.jsonl"
LEGACY_SOURCE = "Sightline optical Q&A (reviewed), training/data/optical_qa.jsonl"

# Score = 0.45 * cos(question, passage question) + 0.15 * cos(question, passage question + answer)
#       + 0.20 * cos(question, the closest sentence of the answer)
#       + 0.20 * share of the question's content words found in the passage, each weighted by its rarity.
W_QUESTION, W_FULL, W_SENTENCE, W_LEXICAL = 0.45, 0.15, 0.20, 0.20
RERANK = 8  # candidates scored with their answer sentences (the rest stand in the whole answer's cosine for them)
MIN_SENTENCE_CHARS = 20
MIN_SCORE = 0.52  # below: nothing in the knowledge base supports an answer (measured on bench/data/answers_industry)
# Once the best passage clears `MIN_SCORE`, the passages an answer may also quote (the answering one among the close
# candidates, a second one, a definition, more on the same subject, a runner-up: `answer_passages`) need only this:
# a close runner-up of a clear best passage at 0.47-0.51 is often the record that states the fact the best one leaves
# out, while the answer floor itself stays where it keeps questions the knowledge does not cover unanswered (measured
# with the answer-path replay over the factual set and held-out 1-16, docs/agent.md).
JOIN_MIN = 0.46
SECOND_WITHIN = 0.04  # a second passage is added when it scores within this of the best one ...
SECOND_MIN_COVER = 0.5  # ... and covers at least half of the question's content words
# Choosing the answering passage among the retrieved ones (`answer_passages`; the retrieval scores stay as they are):
CANDIDATES = 8  # retrieved passages kept as candidates for the answer (`Retrieval.candidates`)
ASK_WITHIN = 0.06  # a passage scoring this close to the best one may answer instead when it asks what was asked
W_ASKS = 0.05  # ... its rank gains this when its own question asks for the same thing, half when only its answer
# holds that kind of answer ("every two years" for "how often"), and loses it when it asks for another specific thing
# The second passage for what the first leaves out: the first must miss at least this share of the question's
# rarity-weighted words, the second must hold at least this share of what is missing, score within `GAP_WITHIN` of
# the first and hold at least `GAP_ON_TOPIC` of the question's weighted words (on the question's subject, not only on
# the missing word).
GAP_MIN = 0.2
GAP_COVER = 0.5
GAP_WITHIN = 0.08
GAP_ON_TOPIC = 0.45
W_FILL = 0.05  # among such passages: score + the `W_ASKS` term + this x the share of the missing words it holds
# When the answer so far is one passage, a second one may join it (then `_same_subject` may add more):
DEFINE_WITHIN = 0.12  # the knowledge base's definition of the question's subject ("What is orthokeratology?" for "how
# does ortho-k work?"), scoring within this of the best passage: the facts that define a thing are what most questions
# about it need, and a specific passage often leaves them out
DEFINE_NAMED = 0.5  # ... when the question names that thing: its rarest word and at least this share of its words
SAME_WITHIN = 0.08  # a passage whose own question is worded like the question (`SAME_QUESTION`), scoring within this
SAME_QUESTION = 0.75  # of the best: another record answering the same question, which states facts the first leaves out
REPEATS = 0.6  # a passage holding this share of an already chosen passage's answer words repeats it: never added
# Then more records on the question's subject join (the answer stays at `MAX_PASSAGES`): two records about the same
# thing, both confident, each state facts the other leaves out ("how do I stop my anti-reflective lenses getting
# damaged" is answered by the record on cleaning them and the one on heat together).
MERGE_WITHIN = 0.06  # scoring within this of the best passage (and above `JOIN_MIN`) ...
MERGE_SUBJECT = 0.5  # ... holding at least this share of the question's rarity-weighted subject words ...
MAX_PASSAGES = 3  # ... not asking for another specific thing than the question, not repeating a chosen passage
# A long story ("my teen wants ... off a party website for one night out") has many subject words that no record
# holds, so even the passage that answers holds a small share of them: a candidate holding at least this share of what
# the first chosen passage holds is as much on the question's subject as the answer (`_on_subject`).
MERGE_RELATIVE = 0.8
# An answer still of one passage then takes the closest other candidate within `ASK_WITHIN` of the best that holds at
# least this share of the question's rarity-weighted subject words: the right record of a new wording is often a close
# runner-up (0.02-0.06 below) on the same subject, and two records each state facts the other leaves out
RUNNER_SUBJECT = 0.3
# A question asking for a property of a thing ("the refractive index of a diamond", "the focal length of a microscope
# objective") is about that thing: when no chosen passage names it and the knowledge base rarely does (at most
# `FOREIGN_MAX_DF` passages), the passages answer another question (the refractive index of lens materials) -> refuse.
FOREIGN_MAX_DF = 10
# A noun of amount, portion or time before "of" ("a lot of laptop work", "loads of black dots", "a shower of specks",
# "a puff of air", "a splash of bleach", "a day of video calls", "a pair of glasses") measures what follows; it asks no
# property of it: the words after it are the question's subject, not a foreign thing.
MEASURE_NOUNS = frozenset(stem(w) for w in (
    "lot", "lots", "load", "loads", "plenty", "bunch", "couple", "handful", "number", "amount", "bit", "bits", "ton",
    "tons", "heap", "heaps", "pile", "piles", "dozen", "dozens", "hundreds", "thousands", "few", "pair", "pairs",
    "shower", "showers", "puff", "puffs", "cloud", "clouds", "spray", "sprays", "splash", "splashes", "drop", "drops",
    "speck", "specks", "fleck", "flecks", "dash", "squirt", "dab", "blob", "blobs", "streak", "streaks", "burst",
    "bursts", "flurry", "stream", "gust", "whiff", "piece", "pieces", "crumb", "crumbs", "grain", "grains", "touch",
    "hint", "trace", "sprinkle", "swarm", "mass",
    "second", "minute", "hour", "day", "night", "evening", "morning", "afternoon", "week", "weekend", "month", "year",
    "decade", "lifetime", "shift", "session", "spell", "bout", "period"))
# Spelling (`spelling_fixed`): a question word of at least `SPELL_MIN_CHARS` letters that is neither an English word
# (the spaCy model's vocabulary, `tools.english.english_words`, or an inflection of one of its words) nor a word of
# the knowledge base is read as a typo ("perscription", "astigmatsm", "polycarbonite") of the knowledge base's closest
# word: same first letter, length within 2, difflib similarity at least `SPELL_CUTOFF`, held by at least `SPELL_MIN_DF`
# passages (the most common one among equally close words). The corrected wording is retrieved as one more variant.
SPELL_MIN_CHARS = 5
SPELL_CUTOFF = 0.85
SPELL_MIN_DF = 2
# endings that make a known word from a known word ("darkest", "twitchy", "welders"; "theyre", "thats" without their
# apostrophe): a word that is one of them after such an ending is known, never corrected
INFLECTIONS = ("s", "es", "ed", "d", "ing", "er", "ers", "est", "y", "ly", "re", "ve", "ll", "nt", "m")
_TYPED_WORD = re.compile(r"[A-Za-z]+(?:'[A-Za-z]+)?")
# Informal and trade words for optical things the knowledge base names otherwise (`informal_terms`; a vocabulary of the
# trade like `tools.text_match.TERMS`, not cases): "optom" is an optometrist, "frameless" glasses are rimless,
# Reactolite is a photochromic lens as Transitions is, "cross-eyed" is strabismus, sunburnt eyes are photokeratitis.
INFORMAL_TERMS: tuple[tuple[str, str], ...] = (
    (r"optoms?", "optometrist"), (r"frameless", "rimless"), (r"reactolites?( lens(es)?)?", "photochromic lenses"),
    (r"cross[- ]eyed", "crossed eyes (strabismus)"),
    (r"sun ?burn(t|ed)? eyes?", "sunburned eyes (photokeratitis)"),
)
_INFORMAL_TERMS = [(re.compile(rf"\b(?:{pattern})\b", re.I), repl) for pattern, repl in INFORMAL_TERMS]
# The knowledge base is about people's eyes and eyewear: a question naming an animal ("can dogs get glaucoma?", "does my
# cat need eye drops?") that no chosen passage names asks about an animal's eyes, which no passage covers -> refuse.
# A word of this list read as a modifier or an abbreviation ("pet dander", "horse riding", "cat 4 sunglasses") is none.
ANIMALS = frozenset(stem(w) for w in (
    "animal", "pet", "dog", "puppy", "pup", "cat", "kitten", "kitty", "rabbit", "bunny", "hamster", "guinea", "gerbil",
    "ferret", "horse", "pony", "donkey", "cow", "calf", "sheep", "lamb", "goat", "pig", "chicken", "hen", "duck",
    "bird", "parrot", "budgie", "canary", "eagle", "hawk", "owl", "fish", "goldfish", "tortoise", "turtle", "snake",
    "lizard", "reptile", "rat"))  # not "mouse": a computer mouse


@dataclass(frozen=True)
class Passage:
    id: str
    question: str
    answer: str
    topic: str
    source: str
    kind: Literal["qa", "aggregate"] = "qa"
    aliases: tuple[str, ...] = ()  # lay names and symptom phrases for the record's subject (indexed like its question)
    paraphrases: tuple[str, ...] = ()  # other wordings of the record's question (embedded like it; their words are not)


# What a question asks for, from its wording: the first kind whose pattern matches the question (its last sentence
# that asks something, when it sets the question up first: "I'm 38. How long can I leave it between eye tests?").
# The specific kinds come first; "what is", "how do I", "can I" and plain yes/no questions are generic.
_S = r"(?:^|[,.;:?!]\s+)"  # the start of the question or of a clause in it
ASKS: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("frequency", re.compile(r"\bhow (often|frequently|regularly)\b|\bhow many times\b|\bevery how\b|"
                             r"\bhow (long|much time|many (months|years|weeks))\b.{0,60}\b(between|in between|apart|"
                             r"before (my|the|your|their|a) next|until (my|the|your|their|a) next)\b|"
                             r"\b(when|how soon) (should|do|does|must|can) .{0,60}\b(next|again|replace|renew)", re.I)),
    ("duration", re.compile(r"\bhow (long|quickly|fast|soon)\b|\bhow much time\b|"
                            r"\bhow many (seconds|minutes|hours|days|weeks|months|years)\b", re.I)),
    ("safety", re.compile(r"\b(safe|safely|safer|unsafe|dangerous|danger|harmful|harm|bad for|damage|damaging|"
                          r"risky|risks?)\b", re.I)),
    ("cost", re.compile(r"\bhow much\b.{0,60}\b(cost|costs|charge|charges|pay|price|spend|set me back)\b|"
                        r"\b(cost|costs|price|prices|priced|expensive|cheaper|cheap|afford|affordable|fees?)\b",
                        re.I)),
    ("count", re.compile(r"\bhow (many|much)\b", re.I)),
    ("when", re.compile(rf"{_S}when\b|\b(at )?what age\b|\bhow (old|young|early|late)\b|\bwhat time\b", re.I)),
    ("reason", re.compile(rf"{_S}why\b|\bhow come\b|\bwhat (causes|caused|makes|made)\b|\bwhat is the (reason|"
                          r"cause)\b|\breasons? (for|why)\b", re.I)),
    ("compare", re.compile(r"\bdifference (between|from)\b|\bdiffer\b|\b(vs|versus)\b|\bcompared?\b|"
                           r"\b(better|worse) than\b|\bsame as\b|\bas (well|good) as\b", re.I)),
    ("choice", re.compile(rf"{_S}which\b|\bwhat (kind|type|sort)s? of\b|\bbest\b", re.I)),
    ("method", re.compile(rf"{_S}how (do|does|can|should|to|is|are|would)\b|\bhow to\b|\bwhat is the way\b", re.I)),
    ("meaning", re.compile(rf"{_S}what(\s+(is|are|was|does|do)\b|'s\b)|\bmeaning of\b|\bstand for\b|"
                           r"\bwhat .{0,40}\bmean\b", re.I)),
    ("yes/no", re.compile(rf"{_S}(can|could|may|might|is|are|am|do|does|did|will|would|should|must|has|have)\b",
                          re.I)),
)
QUESTION_FORM = frozenset(stem(w) for w in (
    "long", "often", "frequently", "much", "many", "time", "times", "safe", "safely", "bad", "good", "better", "worse",
    "best", "difference", "different", "reason", "cause", "causes", "way", "need", "okay", "normal", "worry"))
SPECIFIC = frozenset(("frequency", "duration", "cost", "count", "when", "reason", "safety", "compare"))
_NUM = r"(\d+|a|an|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|a few|several|a couple of)"
# what an answer to each specific kind holds ("every two years" answers "how often")
ANSWER_FORMS: dict[str, re.Pattern[str]] = {
    "frequency": re.compile(rf"\bevery\b|\bonce\b|\btwice\b|\b(annual|yearly|daily|weekly|monthly)\b|"
                            rf"\b(a|per|each) (day|week|month|year)\b|\b{_NUM} times\b|\bregular", re.I),
    "duration": re.compile(rf"\b{_NUM}(\s*(-|\u2013|to|or)\s*{_NUM})?[\s-]*(seconds?|minutes?|mins?|hours?|days?|"
                           r"weeks?|months?|years?)\b|\bovernight\b|\bsame[- ]day\b|\bimmediately\b", re.I),
    "cost": re.compile(r"[$\u00a3\u20ac]\s?\d|\d\s?(dollars?|pounds?|euros?)\b|\b(price|cost|costs|costly|cheap|"
                       r"cheaper|expensive|afford|fee)\b", re.I),
    "count": re.compile(rf"\b{_NUM}\b|\d", re.I),
    "when": re.compile(r"\bage\b|\baged\b|\byears? old\b|\b(before|after|until|by|from|when|once)\b|\b(\d+|"
                       r"first|early|late)\b", re.I),
    "reason": re.compile(r"\bbecause\b|\bcaus(e|es|ed|ing)\b|\bdue to\b|\bso that\b|\breason\b|\bresult|"
                         r"\bleads? to\b|\bwhen\b|\bif\b", re.I),
    "safety": re.compile(r"\b(safe|safely|unsafe|risks?|harm|harmful|damage|danger|dangerous|infection)\b", re.I),
    "compare": re.compile(r"\b(while|whereas|but|than|unlike|instead|differ|difference)\b", re.I),
}


def asks_for(question: str) -> str | None:
    """What a question asks for (a kind of `ASKS`: "frequency" for "how often ...", "duration" for "how long does
    it take ...", "cost", "count", "when", "reason", "safety", "compare", "choice", "method", "meaning", "yes/no"),
    None when its wording says nothing of it."""
    parts = [p for p in re.split(r"(?<=[.?!])\s+", (question or "").strip()) if p]
    asking = [p for p in parts if p.endswith("?")]
    for text in (asking[-1:] if asking else []) + [" ".join(parts)]:
        for kind, pattern in ASKS:
            if pattern.search(text):
                return kind
    return None


def asks_agreement(kind: str | None, passage: Passage) -> float:
    """How well a passage answers a question asking for `kind`: 1 when its own question asks for the same thing,
    0.5 when only its answer holds that kind of answer, -1 when it asks for another specific thing and does not
    hold one, else 0 (always 0 for a generic kind: "what is", "how do I", "can I", yes/no questions are answered in
    every form)."""
    if kind not in SPECIFIC:
        return 0.0
    own = asks_for(passage.question)
    if own == kind:
        return 1.0
    form = ANSWER_FORMS.get(kind)
    if form is not None and form.search(passage.answer):
        return 0.5
    if own in SPECIFIC:
        return -1.0
    return 0.0


# The asker's age, when the question states a person's ("I'm 38", "a healthy 30 yr old", "my 8-year-old son", "aged
# 52"; not "a 15-year-old frame"), and the ages a record's own question is about ("people over 70", "older adults",
# "children", "a baby"): a record about another age group answers a neighbouring question ("how often should people
# over 70 have an eye test" for a 30-year-old), so a close record for the asker's age answers instead (`age_fits`).
_AGE_STATED = re.compile(r"\b(?:i'?m|i am|aged?)\s+(\d{1,3})\b(?!\s*(?:%|/|\.\d|mm|cm|m\b|d\b|degrees?|"
                         r"dioptres?|diopters?|hours?|minutes?|days?|weeks?|months?|pounds?|dollars?|euros?|metres?|"
                         r"meters?|feet|foot|ft|inch|stone|kg|lbs?))|"
                         r"\b(\d{1,3})[\s-]*(?:yrs?|years?)?[\s-]*old\b(?P<after>\s+[a-z]+)?", re.I)
PERSON_WORDS = frozenset((
    "man", "woman", "men", "women", "boy", "girl", "child", "kid", "son", "daughter", "baby", "toddler", "teen",
    "teenager", "person", "patient", "customer", "adult", "mum", "mom", "dad", "mother", "father", "grandad",
    "grandpa", "grandma", "granny", "nan", "lady", "gentleman", "guy", "bloke", "nephew", "niece", "grandson",
    "granddaughter", "friend", "wife", "husband", "partner", "brother", "sister", "twin", "twins", "student", "driver",
    "wearer", "myope"))
_AGE_FROM = re.compile(r"\b(?:over|above|older than|after|past|from)\s+(?:the\s+age\s+of\s+|age\s+)?(\d{1,2})\b|"
                       r"\b(\d{1,2})\s*(?:\+|and over|or over|and older|or older)", re.I)
_AGE_UNDER = re.compile(r"\b(?:under|below|younger than|before)\s+(?:the\s+age\s+of\s+|age\s+)?(\d{1,2})\b", re.I)
_OLDER_GROUP = re.compile(r"\b(older|elderly|senior)\s+(people|adults?|patients?|drivers?|wearers?|persons?|eyes)\b|"
                          r"\b(the elderly|seniors|pensioners|old age)\b", re.I)
_ADULT_GROUP = re.compile(r"\badults?\b|\bgrown-?ups?\b", re.I)
_YOUNG_GROUP = re.compile(r"\b(child|children|child's|children's|kids?|kid's|toddlers?|bab(y|ies)|baby's|infants?|"
                          r"newborns?|teens?|teenagers?|school-age|preschool|pupils?)\b", re.I)
OLDER_FROM, YOUNG_UNDER = 60, 18  # the ages "older people" and "children" stand for ("adults": from YOUNG_UNDER)


def asker_age(question: str) -> int | None:
    """The age of the person a question is about, when it states one ("I'm 38", "a healthy 30 yr old", "my
    8-year-old son"), else None. "N years old" followed by a word counts only when the word names a person."""
    for m in _AGE_STATED.finditer(question or ""):
        if m.group(1):
            return int(m.group(1))
        after = (m.group("after") or "").strip().lower()
        if not after or after in PERSON_WORDS or after.rstrip("s") in PERSON_WORDS or after in (
                "get", "gets", "need", "needs", "have", "has", "should", "must", "can", "is", "with", "who", "and"):
            return int(m.group(2))
    return None


def age_fits(age: int, passage: Passage) -> bool:
    """Whether a record's own question is about people of this age: False when it names an age group that leaves the
    age out ("over 70", "older people" from `OLDER_FROM`, "adults" from and "children" under `YOUNG_UNDER`, "under
    5"), else True."""
    q = passage.question
    lows = [int(a or b) for a, b in _AGE_FROM.findall(q)] + ([OLDER_FROM] if _OLDER_GROUP.search(q) else [])
    lows += [YOUNG_UNDER] if _ADULT_GROUP.search(q) else []
    highs = [int(a) for a in _AGE_UNDER.findall(q)] + ([YOUNG_UNDER] if _YOUNG_GROUP.search(q) else [])
    return all(age >= lo for lo in lows) and all(age < hi for hi in highs)


@dataclass(frozen=True)
class KbHit:
    passage: Passage
    score: float
    similarity: float  # max cosine of the question to the passage's question and to its question + answer
    lexical: float  # share of the question's content words the passage holds
    weighted: float = 0.0  # the same share with each word weighted by its rarity (the part of the score)
    question_similarity: float = 0.0  # cosine of the question to the passage's own question


@dataclass(frozen=True)
class Retrieval:
    hits: list[KbHit]
    supported: bool
    searched: int  # passages searched
    question: str = ""
    candidates: list[KbHit] = field(default_factory=list)  # the `CANDIDATES` best, best first (hits are the first k)
    weights: dict[str, float] = field(default_factory=dict)  # the question's content stems -> rarity

    @property
    def best(self) -> KbHit | None:
        return self.hits[0] if self.hits else None


def _qa_files() -> list[Path]:
    files = sorted(QA_DIR.glob("*.jsonl")) if QA_DIR.is_dir() else []
    return files + ([LEGACY_QA] if LEGACY_QA.is_file() else [])


def _read_file(path: Path) -> list[Passage]:
    out: list[Passage] = []
    for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if not line.strip():
            continue
        try:
            row = json.loads(line)
        except json.JSONDecodeError:
            log.warning("%s line %d: not JSON, skipped", path, n)
            continue
        question = str(row.get("question") or row.get("prompt") or "").strip()
        answer = str(row.get("answer") or row.get("completion") or "").strip()
        if not question or not answer:
            continue
        pid = str(row.get("id") or f"{path.stem}-{n}")
        source = str(row.get("source") or (LEGACY_SOURCE if path == LEGACY_QA else path.name)).strip()
        raw_aliases = row.get("aliases") or []
        if not isinstance(raw_aliases, list):
            log.warning("%s line %d: aliases is not a list, ignored", path, n)
            raw_aliases = []
        aliases = tuple(dict.fromkeys(a.strip() for a in raw_aliases if isinstance(a, str) and a.strip()))
        raw_paraphrases = row.get("paraphrases") or []
        paraphrases = tuple(dict.fromkeys(a.strip() for a in raw_paraphrases if isinstance(a, str) and a.strip())
                            ) if isinstance(raw_paraphrases, list) else ()
        out.append(Passage(id=pid, question=question, answer=answer, topic=str(row.get("topic") or ""),
                           source=source, aliases=aliases, paraphrases=paraphrases))
    return out


def load_passages() -> list[Passage]:
    """Every Q&A passage, de-duplicated by question text (the reviewed files win over the older file)."""
    seen: set[str] = set()
    out: list[Passage] = []
    for path in _qa_files():
        for p in _read_file(path):
            key = " ".join(p.question.lower().split())
            if key not in seen:
                seen.add(key)
                out.append(p)
    return out


@dataclass
class _Index:
    passages: list[Passage]
    q_vecs: np.ndarray
    full_vecs: np.ndarray
    stems: list[set[str]]
    key: str
    doc_freq: Counter[str] = field(default_factory=Counter)  # passages holding each content stem
    alias_vecs: np.ndarray = field(default_factory=lambda: np.zeros((0, 384), dtype=np.float32))
    alias_owner: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=np.int64))  # alias row -> passage index
    sentence_vecs: dict[int, np.ndarray] = field(default_factory=dict)  # passage index -> its answer's sentences

    vocabulary: Counter[str] = field(default_factory=Counter)  # lower-case words -> passages holding them (spelling)

    def __post_init__(self) -> None:
        for st in self.stems:
            self.doc_freq.update(st)
        for p in self.passages:
            self.vocabulary.update({w.lower() for t in (p.question, p.answer, *p.aliases, *p.paraphrases)
                                    for w in _TYPED_WORD.findall(t) if w.isalpha()})

    @cached_property
    def spelling_pool(self) -> dict[str, tuple[str, ...]]:
        """The words a typo may be corrected into (`SPELL_MIN_CHARS` letters or more, held by `SPELL_MIN_DF` passages
        or more), by first letter, in the vocabulary's order: built once per index, not once per typed word."""
        pool: dict[str, list[str]] = {}
        for w, n in self.vocabulary.items():
            if n >= SPELL_MIN_DF and len(w) >= SPELL_MIN_CHARS:
                pool.setdefault(w[0], []).append(w)
        return {letter: tuple(words) for letter, words in pool.items()}

    def question_similarity(self, qvec: np.ndarray) -> np.ndarray:
        """Per passage, the cosine of the question to the passage's own question or, when closer, to one of its
        aliases (a symptom phrase or lay name stands in for the record's question)."""
        s_q = self.q_vecs @ qvec
        if len(self.alias_owner):
            s_q = s_q.copy()
            np.maximum.at(s_q, self.alias_owner, self.alias_vecs @ qvec)
        return s_q

    def weights(self, stems: set[str]) -> dict[str, float]:
        """Each question stem's rarity across these passages (`tools.text_match.rarity`)."""
        return {w: rarity(self.doc_freq.get(w, 0), len(self.passages)) for w in stems}

    def sentence_similarity(self, rows: list[int], qvec: np.ndarray) -> np.ndarray:
        """The cosine of the question to the closest answer sentence of each passage in `rows` (sentences embedded
        on first use and kept with the index)."""
        missing = [i for i in rows if i not in self.sentence_vecs]
        if missing:
            parts = [_answer_sentences(self.passages[i].answer) for i in missing]
            vecs = embed([t for part in parts for t in part])
            start = 0
            with _lock:
                for i, part in zip(missing, parts, strict=True):
                    self.sentence_vecs[i] = vecs[start:start + len(part)]
                    start += len(part)
        return np.array([float(np.max(self.sentence_vecs[i] @ qvec)) for i in rows], dtype=np.float32)


def _answer_sentences(answer: str) -> list[str]:
    """The sentences of an answer (fragments shorter than `MIN_SENTENCE_CHARS` joined to the one before)."""
    out: list[str] = []
    for part in sentences(answer.strip()):
        if out and len(part) < MIN_SENTENCE_CHARS:
            out[-1] = f"{out[-1]} {part}"
        elif part:
            out.append(part)
    return out or [answer]


def _indexed_text(passage: Passage) -> str:
    """The words of a passage that lexical matching reads: its question, its answer and its aliases."""
    return " ".join([passage.question, passage.answer, *passage.aliases])


def _embed_passages(passages: list[Passage], key: str, cache: bool) -> _Index:
    q_texts = [p.question for p in passages]
    full_texts = [f"{p.question} {p.answer}" for p in passages]
    alias_texts = [a for p in passages for a in (*p.aliases, *p.paraphrases)]
    owner = np.array([i for i, p in enumerate(passages) for _ in (*p.aliases, *p.paraphrases)], dtype=np.int64)
    path = get_settings().data_dir / "cache" / f"industry_kb-{key}.npz" if cache else None
    vecs: tuple[np.ndarray, np.ndarray, np.ndarray] | None = None
    if path is not None and path.is_file():
        try:
            with np.load(path) as data:
                vecs = (data["q"], data["full"], data["alias"])
            if vecs[0].shape[0] != len(passages) or vecs[2].shape[0] != len(alias_texts):
                vecs = None
        except (OSError, ValueError, KeyError):
            vecs = None
    if vecs is None:
        texts = q_texts + full_texts + alias_texts
        every = embed(texts) if texts else np.zeros((0, 384), dtype=np.float32)
        n = len(passages)
        vecs = (every[:n], every[n:2 * n], every[2 * n:] if alias_texts else np.zeros((0, 384), dtype=np.float32))
        if path is not None:
            try:
                path.parent.mkdir(parents=True, exist_ok=True)
                tmp = path.with_suffix(".tmp.npz")
                np.savez(tmp, q=vecs[0], full=vecs[1], alias=vecs[2])
                tmp.replace(path)
            except OSError as exc:  # a read-only data dir only costs the cache
                log.warning("industry knowledge cache not written: %s", exc)
    return _Index(passages, vecs[0], vecs[1], [content_stems(_indexed_text(p)) for p in passages], key,
                  alias_vecs=vecs[2], alias_owner=owner)


_lock = threading.Lock()
_qa_index: _Index | None = None
_agg_index: _Index | None = None


def _files_key() -> str:
    h = hashlib.sha256(model_name().encode())
    h.update(b"aliases+paraphrases")  # what the alias rows hold (a cache from before paraphrases were indexed is stale)
    for path in _qa_files():
        h.update(path.name.encode())
        h.update(path.read_bytes())
    return h.hexdigest()[:16]


def qa_index() -> _Index:
    """The Q&A passages and their embeddings (rebuilt when a Q&A file changes)."""
    global _qa_index
    key = _files_key()
    with _lock:
        if _qa_index is None or _qa_index.key != key:
            _qa_index = _embed_passages(load_passages(), key, cache=True)
        return _qa_index


AGG_SENTENCES = {
    "avg_selling_price": "The average selling price of {bucket} in {period} was {value} {unit}.",
    "discount_rate": "The average discount on {bucket} was {value} {unit}.",
    "units_per_order_line": "An order line of {bucket} had on average {value} {unit}.",
    "revenue_share": "{Bucket} made up {value} {unit}.",
    "seasonality_index": "The {dimension} sales index for month {bucket} was {value} ({unit}).",
    "lens_type_share": "{Bucket} lenses were worn by {value} {unit}.",
    "progressive_share": "Among patients aged {bucket}, {value} {unit} wore progressive lenses.",
    "below_reorder_share": "{value} {unit} of {bucket} were below their reorder point.",
}
AGG_QUESTIONS = {
    "avg_selling_price": "What is the industry average selling price of {bucket}?",
    "discount_rate": "What is the typical industry discount on {bucket}?",
    "units_per_order_line": "How many units of {bucket} are in a typical order line?",
    "revenue_share": "What share of optical retail revenue comes from {bucket}?",
    "seasonality_index": "How seasonal are {dimension} sales in month {bucket}?",
    "lens_type_share": "What share of patients wear {bucket} lenses?",
    "progressive_share": "What share of patients aged {bucket} wear progressive lenses?",
    "below_reorder_share": "What share of {bucket} items are below their reorder point across the industry?",
}


def aggregate_passages() -> list[Passage]:
    """The suppressed aggregates as one-sentence passages (empty when the table is empty or unreachable)."""
    from db import industry

    try:
        rows = industry.read()
    except Exception as exc:  # noqa: BLE001 - the aggregates are optional context; the Q&A still answers
        log.warning("industry aggregates unavailable: %s", exc)
        return []
    out: list[Passage] = []
    for r in rows:
        fields = {"bucket": r.bucket.replace("_", " "), "Bucket": r.bucket.replace("_", " ").capitalize(),
                  "dimension": r.dimension.replace("_", " "), "period": r.period, "value": r.value, "unit": r.unit}
        sentence = AGG_SENTENCES.get(r.metric, "{bucket}: {value} {unit}.").format(**fields)
        question = AGG_QUESTIONS.get(r.metric, "{bucket} " + r.metric.replace("_", " ")).format(**fields)
        out.append(Passage(
            id=f"agg:{r.metric}:{r.dimension}:{r.bucket}:{r.period}", question=question,
            answer=f"Pooled across {r.n_tenants} chains ({r.n_records} records, anonymized): {sentence}",
            topic="industry figures", source=f"Sightline industry aggregates ({r.metric}, period {r.period})",
            kind="aggregate"))
    return out


def aggregate_index() -> _Index:
    global _agg_index
    passages = aggregate_passages()
    key = hashlib.sha256("\n".join(f"{p.id}={p.answer}" for p in passages).encode()).hexdigest()[:16]
    with _lock:
        if _agg_index is None or _agg_index.key != key:
            _agg_index = _embed_passages(passages, key, cache=False)
        return _agg_index


def _score(index: _Index, qvec: np.ndarray, weights: dict[str, float]) -> list[KbHit]:
    """The best passages of an index for one wording of the question: `weights` are its content stems' rarities."""
    if not index.passages:
        return []
    s_q = index.question_similarity(qvec)
    s_full = index.full_vecs @ qvec
    total_weight = sum(weights.values())
    lex = np.array([sum(v for w, v in weights.items() if w in st) / total_weight if total_weight else 0.0
                    for st in index.stems], dtype=np.float32)
    base = W_QUESTION * s_q + W_FULL * s_full + W_LEXICAL * lex
    rows = [int(i) for i in np.argsort(-(base + W_SENTENCE * s_full))[:RERANK]]
    total = base[rows] + W_SENTENCE * index.sentence_similarity(rows, qvec)
    order = np.argsort(-total)[:10]
    hits = []
    for j in order:
        i = rows[j]
        share = len(weights.keys() & index.stems[i]) / len(weights) if weights else 0.0
        hits.append(KbHit(index.passages[i], round(float(total[j]), 4), round(float(max(s_q[i], s_full[i])), 4),
                          round(share, 4), round(float(lex[i]), 4), round(float(s_q[i]), 4)))
    return hits


def retrieve(question: str, k: int = 4, *, include_aggregates: bool = True) -> Retrieval:
    """The k best passages for a question, best first; `supported` when the best clears MIN_SCORE."""
    question = (question or "").strip()
    qa = qa_index()
    agg = aggregate_index() if include_aggregates else None
    searched = len(qa.passages) + (len(agg.passages) if agg else 0)
    if not question:
        return Retrieval([], False, searched)
    fixed = informal_terms(spelling_fixed(question))
    variants = list(dict.fromkeys([question, normalize_terms(question), fixed, normalize_terms(fixed)]))
    vectors = embed(variants)
    best: dict[str, KbHit] = {}
    for text, qvec in zip(variants, vectors, strict=True):
        weights = qa.weights(content_stems(text))  # rarity across the Q&A knowledge, for the aggregates too
        for hit in _score(qa, qvec, weights) + (_score(agg, qvec, weights) if agg else []):
            if hit.passage.id not in best or hit.score > best[hit.passage.id].score:
                best[hit.passage.id] = hit
    ranked = sorted(best.values(), key=lambda h: -h.score)
    hits = ranked[:k]
    stems = content_stems(question) | content_stems(variants[-1])
    return Retrieval(hits, bool(hits) and hits[0].score >= MIN_SCORE, searched, question,
                     ranked[:max(k, CANDIDATES)], qa.weights(stems))


_known_stems: tuple[int, frozenset[str]] = (0, frozenset())  # (id of the vocabulary, stems of it and of English)


def _known(word: str, vocabulary: Counter[str], english: frozenset[str]) -> bool:
    """Whether a lower-case word is English or a knowledge-base word, as it is, by its stem or after an ending
    (`INFLECTIONS`)."""
    global _known_stems
    if word in vocabulary or word in english:
        return True
    if _known_stems[0] != id(vocabulary):
        _known_stems = (id(vocabulary), frozenset(stem(w) for w in (*vocabulary, *english)))
    if stem(word) in _known_stems[1]:
        return True
    for ending in INFLECTIONS:
        base = word[:-len(ending)]
        if word.endswith(ending) and len(base) >= 3:
            doubled = base[:-1] if len(base) > 3 and base[-1] == base[-2] else base  # "chopping" -> "chop"
            forms = (base, f"{base}e", doubled, f"{base[:-1]}y" if base.endswith("i") else base)  # "scarier"
            if any(f in vocabulary or f in english for f in forms):
                return True
    return False


def informal_terms(text: str) -> str:
    """The text with informal and trade words for optical things replaced by the knowledge base's terms
    (`INFORMAL_TERMS`: "optom" -> optometrist, "frameless" -> rimless, "cross-eyed" -> strabismus)."""
    for pattern, repl in _INFORMAL_TERMS:
        text = pattern.sub(repl, text)
    return text


def spelling_fixed(question: str) -> str:
    """The question with each word that is neither English nor a knowledge-base word (a typo: "perscription",
    "astigmatsm") replaced by the knowledge base's closest word (`SPELL_CUTOFF`, `SPELL_MIN_DF`, same first letter);
    unchanged when nothing is misspelled, or when the English vocabulary is not installed (then no word is known to
    be a typo)."""
    from tools.english import english_words

    english = english_words()
    if not english:
        return question
    index = qa_index()
    vocabulary = index.vocabulary

    def fix(m: re.Match[str]) -> str:
        word = m.group(0)
        low = word.lower()
        if len(low) < SPELL_MIN_CHARS or not low.isalpha() or _known(low, vocabulary, english):
            return word
        pool = [w for w in index.spelling_pool.get(low[0], ()) if abs(len(w) - len(low)) <= 2]
        close = difflib.get_close_matches(low, pool, n=5, cutoff=SPELL_CUTOFF)
        if not close:
            return word
        ratio = {w: difflib.SequenceMatcher(None, low, w).ratio() for w in close}
        top = max(ratio.values())
        return max((w for w in close if ratio[w] >= top - 1e-9), key=lambda w: vocabulary[w])

    return _TYPED_WORD.sub(fix, question)


def _stems(passage: Passage) -> set[str]:
    text = _indexed_text(passage)
    return content_stems(text) | content_stems(normalize_terms(text))


def _missing(weights: dict[str, float], held: set[str]) -> dict[str, float]:
    return {w: v for w, v in weights.items() if w not in held}


@dataclass(frozen=True)
class Token:
    """One word of a question as the tagger read it: its text and its Penn Treebank tag ("NN", "JJ", "PRP$", ...)."""

    text: str
    tag: str

    @property
    def lower(self) -> str:
        return self.text.lower()


@lru_cache(maxsize=1024)
def tagged(text: str) -> tuple[Token, ...] | None:
    """A text's words with their tags, parsed once per process and text (`subject_stems` and `foreign_subject` read
    the same question, and the router asks again for the same turn); None when the tagger is not installed."""
    nlp = tagger()
    if nlp is None:
        return None
    return tuple(Token(t.text, t.tag_) for t in nlp(text))


def subject_stems(question: str) -> set[str] | None:
    """The stems of the words that name what a question is about: its nouns, adjectives and numbers, in its own words
    and with regional terms normalized (`tools.text_match.tagger`; verbs such as "used" or "work" shape the question,
    they are no subject a second passage could add). None when the tagger is not installed."""
    out: set[str] = set()
    for text in dict.fromkeys([question, normalize_terms(question)]):
        tokens = tagged(text)
        if tokens is None:
            return None
        out.update(stem(words(t.text)[0]) for t in tokens
                   if t.tag.startswith(("NN", "JJ", "CD", "FW")) and words(t.text))
    return out


# "What is X?", "What are X?", "What's an X?": a passage that defines X (not "what is the difference between ...",
# "what is the best ...", "what is X used for"; those ask something else about X)
_DEFINES = re.compile(r"^\s*what(?:'s|\s+is|\s+are)\s+(?:an?\s+|the\s+)?(?P<thing>[^?]{2,60}?)\s*\??\s*$", re.I)
_NOT_A_THING = re.compile(r"\b(difference|differences|link|between|best|worst|typical|normal|usual|minimum|maximum|"
                          r"way|ways|risks?|causes?|reasons?|point|used|for|when|if|like|happens?|should|can|do|does)\b",
                          re.I)


def defined_subject(passage: Passage) -> set[str] | None:
    """The stems of the thing a passage's own question asks to define ("What is a rimless frame?" -> {rimless, frame},
    regional terms normalized too), None when its question asks something else."""
    m = _DEFINES.match(passage.question)
    if m is None or _NOT_A_THING.search(m.group("thing")):
        return None
    thing = m.group("thing")
    return (content_stems(thing) | content_stems(normalize_terms(thing))) or None


def defined_names(passage: Passage) -> list[set[str]]:
    """The names a definition gives its thing, each as stems (regional terms normalized too): the whole name, and each
    alternative of "X or Y" and "X (Y)" ("What is an occupational progressive or office lens?" -> the whole,
    {occupational, progressive, lens}, {office, lens}: an earlier alternative shares the last one's head noun; "What is
    optical coherence tomography (OCT)?" -> the whole, {optical, coherence, tomography}, {oct}). An alternative of one
    word counts only when at most `FOREIGN_MAX_DF` passages hold it (a rare name, not a word such as "sensitivity").
    Empty when the passage's question asks something else."""
    thing = defined_subject(passage)
    m = _DEFINES.match(passage.question)
    if not thing or m is None:
        return []

    def forms(text: str) -> set[str]:
        return content_stems(text) | content_stems(normalize_terms(text))

    text = m.group("thing")
    inner = re.findall(r"\(([^()]+)\)", text)
    outer = re.sub(r"\s*\([^()]*\)\s*", " ", text).strip()
    parts = [p.strip() for p in re.split(r"\s+or\s+", outer)]
    alternatives = [(alias, True) for alias in inner]  # a name in brackets is an alias, however common its word
    if len(parts) > 1 and all(words(p) for p in parts):
        last = words(parts[-1])
        for p in parts[:-1]:  # a quoted name is whole; else it shares a head noun of more than one word's name
            whole = p.startswith(('"', "'")) or len(last) < 2 or words(p)[-1] == last[-1]
            alternatives.append((p if whole else f"{p} {last[-1]}", False))
        alternatives.append((parts[-1], False))
    elif inner:
        alternatives.append((outer, False))
    doc_freq = qa_index().doc_freq
    names = [thing]
    for alt, alias in alternatives:
        stems = forms(alt)
        if stems and stems not in names and (
                alias or len(stems) > 1 or min(doc_freq.get(w, 0) for w in stems) <= FOREIGN_MAX_DF):
            names.append(stems)
    return names


def _names(question_stems: set[str], thing: set[str], rarity_of: dict[str, float]) -> bool:
    """Whether a question names a defined thing: it holds the thing's rarest word and `DEFINE_NAMED` of its words."""
    rarest = max(thing, key=lambda w: rarity_of.get(w, 0.0))
    return rarest in question_stems and len(thing & question_stems) / len(thing) >= DEFINE_NAMED


def _repeats(hit: KbHit, chosen: list[KbHit]) -> bool:
    return any(coverage(hit.passage.answer, c.passage.answer) >= REPEATS for c in chosen)


def _definition(retrieval: Retrieval, chosen: list[KbHit], pool: list[KbHit]) -> KbHit | None:
    """The passage defining the thing the question is about, when the question names it (by any of the names the
    definition gives it, `defined_names`) and the chosen passage is not already its definition (`DEFINE_WITHIN`,
    `DEFINE_NAMED`)."""
    question = retrieval.question
    stems = content_stems(question) | content_stems(normalize_terms(question))
    top = pool[0].score
    for hit in pool:
        if hit in chosen or hit.passage.kind != "qa" or hit.score < JOIN_MIN or top - hit.score > DEFINE_WITHIN:
            continue
        names = defined_names(hit.passage)
        if not any(_names(stems, name, qa_index().weights(name)) for name in names):
            continue
        thing = names[0]
        if any(defined_subject(c.passage) == thing for c in chosen):
            return None  # the answer already quotes this definition
        if not _repeats(hit, chosen):
            return hit
    return None


def _same_question(chosen: list[KbHit], pool: list[KbHit]) -> KbHit | None:
    """Another record answering the question as the first does: its own question worded like the question
    (`SAME_QUESTION`), scoring within `SAME_WITHIN` of the first, not repeating it."""
    first = chosen[0]
    for hit in pool:
        if (hit not in chosen and hit.score >= JOIN_MIN and first.score - hit.score <= SAME_WITHIN
                and hit.question_similarity >= SAME_QUESTION and not _repeats(hit, chosen)):
            return hit
    return None


def foreign_subject(question: str, chosen: list[KbHit]) -> list[str]:
    """The words naming the thing a question asks a property of ("... of a diamond", "... of a microscope objective":
    the nouns after "of" that follows a noun, not after "of my/your ..." nor after a noun of amount or time,
    `MEASURE_NOUNS`: "a lot of laptop work", "a day of video calls"), that no chosen passage holds (in their own
    words or with regional terms normalized) and that at most `FOREIGN_MAX_DF` knowledge-base passages hold: the
    chosen passages then answer for another thing. Reads the question's one cached parse (`tagged`), shared with
    `subject_stems`. Empty when the tagger is not installed."""
    tokens = tagged(question) if chosen else None
    if not tokens:
        return []
    held = set().union(*(_stems(h.passage) for h in chosen))
    doc_freq = qa_index().doc_freq
    out: list[str] = []
    for i, tok in enumerate(tokens):
        if tok.lower != "of" or i == 0 or not tokens[i - 1].tag.startswith("NN"):
            continue
        if {stem(w) for w in words(tokens[i - 1].text)} & MEASURE_NOUNS:  # "loads of dots": an amount, no property
            continue
        j = i + 1
        if j < len(tokens) and tokens[j].tag == "PRP$":  # "of my glasses": the asker's own things
            continue
        while j < len(tokens) and tokens[j].tag in ("DT", "CD"):
            j += 1
        while j < len(tokens) and tokens[j].tag.startswith(("JJ", "NN", "HYPH")):
            tok_j = tokens[j]
            j += 1
            forms = content_stems(tok_j.text) | content_stems(normalize_terms(tok_j.text))
            if (tok_j.tag.startswith("NN") and forms and not forms & held
                    and min(doc_freq.get(w, 0) for w in forms) <= FOREIGN_MAX_DF):
                out.append(tok_j.text)
    return out


def answer_passages(retrieval: Retrieval) -> list[KbHit]:
    """The passages an answer is built from (at most `MAX_PASSAGES`), first the one that answers:

    - (only when the best clears `MIN_SCORE`; every passage quoted scores at least `JOIN_MIN`) among the
      candidates scoring within `ASK_WITHIN` of the best, the one whose own question asks for what the question asks
      for (`asks_for`: "how often" is not answered by "how long it takes") ranks up by `W_ASKS`, one that asks for
      another specific thing down;
    - a second passage when a close second covers the question as well (`SECOND_WITHIN`, `SECOND_MIN_COVER`), or
      else when the first leaves out subject words of the question that weigh (`GAP_MIN` of the rarity-weighted
      nouns, adjectives and numbers, `subject_stems`) and another candidate on the same subject holds most of them
      (`GAP_COVER`, `GAP_ON_TOPIC`, `GAP_WITHIN`);
    - else the knowledge base's definition of the thing the question names (`defined_subject`, `DEFINE_WITHIN`), or
      else another record whose own question is worded like the question (`SAME_QUESTION`, `SAME_WITHIN`);
    - then the other candidates on the question's subject, up to `MAX_PASSAGES` (`_same_subject`: within
      `MERGE_WITHIN` of the best, holding `MERGE_SUBJECT` of the question's weighted subject words);
    - an answer still of one passage then takes the closest runner-up on the question's subject (`_runner_up`:
      within `ASK_WITHIN`, holding `RUNNER_SUBJECT` of the weighted subject words);
    never a passage that repeats one already chosen (`REPEATS`), nor one whose own question is about another age group
    than the one the question states (`asker_age`, `age_fits`: "people over 70" for "a healthy 30-year-old") while a
    close one fits; and none at all when the question asks a property
    of a thing none of them names (`foreign_subject`: "the refractive index of a diamond" is not answered by the
    refractive index of lens materials).
    """
    if not retrieval.supported:
        return []
    pool = retrieval.candidates or retrieval.hits
    top = pool[0].score
    age = asker_age(retrieval.question)
    if age is not None:  # records about another age group answer a neighbouring question: left out when one fits
        fitting = [h for h in pool if age_fits(age, h.passage)]
        if any(h.score >= JOIN_MIN and top - h.score <= ASK_WITHIN for h in fitting):
            pool = fitting
    kind = asks_for(retrieval.question)
    eligible = [h for h in pool if h.score >= JOIN_MIN and top - h.score <= ASK_WITHIN]
    best = max(eligible, key=lambda h: h.score + W_ASKS * asks_agreement(kind, h.passage))
    chosen = [best]
    second = _second(retrieval, best, pool, kind)
    if second is None:
        second = _definition(retrieval, chosen, pool) or _same_question(chosen, pool)
    chosen = chosen if second is None else [*chosen, second]
    chosen = _same_subject(retrieval, chosen, pool, kind)
    if foreign_subject(retrieval.question, chosen) or other_species(retrieval.question, chosen):
        return []  # the passages are about another thing than the one the question asks about
    runner = _runner_up(retrieval, chosen, pool, kind) if len(chosen) == 1 else None
    if runner is not None and not (foreign_subject(retrieval.question, [*chosen, runner])
                                   or other_species(retrieval.question, [*chosen, runner])):
        chosen = [*chosen, runner]
    return chosen


def _runner_up(retrieval: Retrieval, chosen: list[KbHit], pool: list[KbHit], kind: str | None) -> KbHit | None:
    """For an answer of one passage: the closest other Q&A candidate within `ASK_WITHIN` of the best (above
    `JOIN_MIN`) holding `RUNNER_SUBJECT` of the question's rarity-weighted subject words, not asking for another
    specific thing, not repeating the chosen passage, fitting the asker's stated age."""
    weights = _subject_weights(retrieval)
    total = sum(weights.values())
    if not total:
        return None
    top = pool[0].score
    age = asker_age(retrieval.question)
    need = _on_subject(weights, chosen[0], RUNNER_SUBJECT)
    for hit in pool:
        if (hit in chosen or hit.passage.kind != "qa" or hit.score < JOIN_MIN or top - hit.score > ASK_WITHIN
                or (age is not None and not age_fits(age, hit.passage))
                or asks_agreement(kind, hit.passage) < 0 or _repeats(hit, chosen)):
            continue
        if _subject_share(weights, hit) >= need:
            return hit
    return None


def other_species(question: str, chosen: list[KbHit]) -> list[str]:
    """The animals a question names (`ANIMALS`, as a noun of its own: not "pet dander", "horse riding", "cat 4") that
    no chosen passage names: the question asks about an animal's eyes, and the passages about people's ("do dogs get
    glaucoma?" is not answered by what glaucoma is in people). Empty when the tagger is not installed."""
    tokens = tagged(question) if chosen else None
    if not tokens:
        return []
    held = set().union(*(_stems(h.passage) for h in chosen))
    out: list[str] = []
    for i, tok in enumerate(tokens):
        forms = {stem(w) for w in words(tok.text)}
        if not tok.tag.startswith("NN") or not forms & ANIMALS or forms & held:
            continue
        after = [t for t in tokens[i + 1:i + 3] if t.text not in (".", "-")]
        if after and (after[0].tag.startswith(("NN", "CD", "VBG"))):
            continue  # a modifier ("pet dander", "horse riding") or a category ("cat 4", "cat. 3")
        out.append(tok.text)
    return out


def _subject_weights(retrieval: Retrieval) -> dict[str, float]:
    """The question's subject words (`subject_stems`; every content word when the tagger is not installed) that are
    not its question form ("how long", "safe"), each with its rarity."""
    subject = subject_stems(retrieval.question)
    return {w: v for w, v in retrieval.weights.items()
            if w not in QUESTION_FORM and (subject is None or w in subject)}


def _same_subject(retrieval: Retrieval, chosen: list[KbHit], pool: list[KbHit], kind: str | None) -> list[KbHit]:
    """`chosen` and, up to `MAX_PASSAGES`, the next candidates about the question's subject: scoring within
    `MERGE_WITHIN` of the best one, holding `MERGE_SUBJECT` of the question's rarity-weighted subject words
    (`_subject_weights`), not asking for another specific thing than the question (`asks_agreement`), not repeating
    a chosen passage (`REPEATS`). Best first, so the passage that answers stays first."""
    weights = _subject_weights(retrieval)
    total = sum(weights.values())
    if not total:
        return chosen
    top = pool[0].score
    need = _on_subject(weights, chosen[0], MERGE_SUBJECT)
    out = list(chosen)
    for hit in pool:
        if len(out) >= MAX_PASSAGES:
            break
        if (hit in out or hit.score < JOIN_MIN or top - hit.score > MERGE_WITHIN
                or asks_agreement(kind, hit.passage) < 0 or _repeats(hit, out)):
            continue
        if _subject_share(weights, hit) >= need:
            out.append(hit)
    return out


def _subject_share(weights: dict[str, float], hit: KbHit) -> float:
    """The share of the question's rarity-weighted subject words (`_subject_weights`) that a passage holds."""
    total = sum(weights.values())
    held = _stems(hit.passage)
    return sum(v for w, v in weights.items() if w in held) / total if total else 0.0


def _on_subject(weights: dict[str, float], first: KbHit, share: float) -> float:
    """The subject share a joining passage needs: `share`, or less when even the first chosen passage holds little
    of the question's subject words (a long story): `MERGE_RELATIVE` of what the first holds."""
    if not MERGE_RELATIVE:
        return share
    return min(share, MERGE_RELATIVE * _subject_share(weights, first))


def _second(retrieval: Retrieval, best: KbHit, pool: list[KbHit], kind: str | None) -> KbHit | None:
    """A close second covering the question as well, or one holding the subject words the first leaves out."""
    rest = [h for h in pool if h is not best and h.score >= JOIN_MIN and not _repeats(h, [best])]
    for hit in rest[:1]:
        if best.score - hit.score <= SECOND_WITHIN and hit.lexical >= SECOND_MIN_COVER:
            return hit
    weights = _subject_weights(retrieval)
    total = sum(weights.values())
    missing = _missing(weights, _stems(best.passage))
    gap = sum(missing.values())
    if not total or gap / total < GAP_MIN:
        return None
    fills = []
    for h in rest:
        held = _stems(h.passage)
        filled = gap - sum(_missing(missing, held).values())
        on_topic = (total - sum(_missing(weights, held).values())) / total
        if best.score - h.score <= GAP_WITHIN and filled / gap >= GAP_COVER and on_topic >= GAP_ON_TOPIC:
            fills.append((h.score + W_ASKS * asks_agreement(kind, h.passage) + W_FILL * filled / gap, h))
    return max(fills, key=lambda f: f[0])[1] if fills else None


__all__ = ["JOIN_MIN", "KbHit", "MIN_SCORE", "Passage", "Retrieval", "Token", "age_fits", "aggregate_passages",
           "answer_passages", "asker_age", "asks_agreement", "asks_for", "defined_names", "defined_subject",
           "foreign_subject", "informal_terms", "load_passages", "other_species", "qa_index", "retrieve",
           "spelling_fixed", "subject_stems", "tagged"]
