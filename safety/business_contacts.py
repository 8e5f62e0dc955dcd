"""The tenant's own contact points, read from the text of its documents: the phone numbers, e-mail addresses and
street addresses its documents publish as the business's ("Book by WhatsApp on ...", a stores table's Phone and
Address columns), so the output guard stops redacting them from answers quoted from those same documents.

``business_contacts(documents, places) -> tuple[str, ...]`` is a pure function of text: the tools layer reads a
tenant's documents under its RLS session and adds the result to that tenant's allow-list (``tools/doc_places.py``,
``tools/catalog.allow_terms``), exactly as it does for place names. ``places`` are the tenant's own place and branch
names (``safety.place_names.place_names``), which the detector is told about so that a branch name is not mistaken
for a person.

A value gets in only when all of these hold:

- the PII detector (``safety.pii.detect``) finds it as a phone number, e-mail address or street address in one
  unit of a document: a table row (read with its table's header row), a list item, or one sentence of a paragraph;
- that unit speaks for the business: a first-person business word (we, our, us), a contact-channel or branch word
  (phone, tel, call, ring, text, WhatsApp, e-mail, address, branch, store, shop, clinic, lab, workshop, reception,
  helpline, hotline, bookings, appointments, head office ...), a word for a shop or branch of another language
  (``safety.pii.BRANCH_WORDS``: "Cabang", "Filiale", "Sucursal", "şubesi"), or one of the tenant's own place names;
- nothing in the unit is about a person: no name that the detector reads as a person and that starts with a common
  given name or follows a title (Dr, Mrs ...), no role word before a name ("ask for", "manager", "optometrist"), and
  no customer / patient / client / date-of-birth words (a record about a person, not the business).

Everything else stays redacted as before: an employee's mobile ("call Maria Souza on ..."), a customer's number in an
uploaded log, a number in a sentence that does not speak for the business. Matching in the guard is by the whole
value, so allowing a branch's number allows nothing else.
"""

from __future__ import annotations

from collections.abc import Iterable

import regex

from safety.pii import ADDRESS, BRANCH_WORDS, EMAIL, FIRST_NAMES, PERSON, PHONE, Entity, detect
from safety.place_names import DocumentText

CONTACT_TYPES = frozenset({PHONE, EMAIL, ADDRESS})

# A unit worth checking holds an "@" or a run of digits (every phone number, and nearly every street address).
_CANDIDATE = regex.compile(r"@|\d[\d \t().\-]{2,}\d|\d{1,5}\b")

_SPEAKS_FOR_BUSINESS = regex.compile(
    r"(?i)\b(?:we|our|us|phone|telephone|tel|mobile|call|ring|text|sms|whats\s?app|wa|e-?mail|mail|address|"
    r"branch(?:es)?|stores?|shops?|outlets?|clinics?|practices?|showrooms?|kiosks?|labs?|laborator(?:y|ies)|"
    r"workshops?|reception|front\s+desk|help\s?line|hot\s?line|customer\s+(?:service|care)|service\s+desk|"
    r"bookings?|appointments?|head\s+office|hq|office|contact(?:\s+us)?|reach\s+us|find\s+us|visit\s+us|location)\b")

_BRANCH_WORDS = frozenset(w.casefold() for w in BRANCH_WORDS)


def _speaks_for_business(unit: str) -> bool:
    """An English business word (``_SPEAKS_FOR_BUSINESS``) or a word for a shop or branch of another language, also
    with a suffix of up to three letters ("şubesi", "cabangnya")."""
    if _SPEAKS_FOR_BUSINESS.search(unit):
        return True
    for word in regex.findall(r"\p{L}+", unit):
        word = word.casefold()
        if word in _BRANCH_WORDS or any(word[:n] in _BRANCH_WORDS for n in range(max(4, len(word) - 3), len(word))):
            return True
    return False


_TITLE = regex.compile(r"\b(?:Dr|Mr|Mrs|Ms|Mx|Miss|Prof|Sr|Sir|Dame|Rev|Fr)\.?[ \t]+\p{Lu}")
_ABOUT_A_PERSON = regex.compile(
    r"\b(?i:(?:customer|patient|client|member)(?:['’]s|\s+(?:name|number|record|file|details|id))|"
    r"date\s+of\s+birth|d\.?o\.?b|born|next\s+of\s+kin|emergency\s+contact|personal|private|"
    r"home\s+(?:phone|number|address)|his|her)\b"
    r"|\b(?i:ask\s+for|speak\s+(?:to|with)|talk\s+to|contact\s+person|manager|director|owner|optometrist|"
    r"optician|ophthalmologist|receptionist|technician|assistant|supervisor|coordinator)\b[ \t:,]+\p{Lu}")

_TABLE_ROW = regex.compile(r"^\s*\|.*\|\s*$")
_TABLE_RULE = regex.compile(r"^\s*\|?\s*:?-{2,}")
# not after a number sign or a street / title abbreviation: "Road No. 12, Banjara Hills" is one address
# nor after the dotted street words of other languages ("Jl. Teuku Umar 88", "ul. Jana Pawła II 5", "Bahariye Cad."),
# an initial or a title inside a street's name ("Jalan Ir. H. Juanda No. 64")
_SENTENCE_END = regex.compile(r"(?<=[.!?])(?<!(?:^|[\s(,\-])(?:Nos?|Nr|St|Ste|Rd|Ave?|Blvd|Dr|Mt|Ft|Apt|Bldg|Fl|Sq|Ln|"
                              r"(?i:jl|jln|gg|lrg|ul|al|pl|os|str|cad|sk|avda|bd|krt|rkp|nám|pr)|Ir|Drs|Hj|\p{Lu})\.)"
                              r"\s+(?=[\p{Lu}\d(\"“])")
_MARKUP = regex.compile(r"\*\*|__|`")


def _units(text: str) -> Iterable[str]:
    """Table rows (each with its table's header row in front), list items and lines, and a long line's sentences."""
    header: str | None = None
    for raw in text.split("\n"):
        line = _MARKUP.sub("", raw).strip()
        if not line:
            header = None
            continue
        if _TABLE_ROW.match(line):
            if _TABLE_RULE.match(line):
                continue
            if header is None:
                header = line
                continue
            yield f"{header}\n{line}"
            continue
        header = None
        yield from (part for part in _SENTENCE_END.split(line) if part.strip())


def _person_in(unit: str, found: list[Entity]) -> bool:
    """True if the unit names a person: a detected person whose first word is a common given name, a title before a
    capitalised word, a role word before a name, or words of a record about a person."""
    if _TITLE.search(unit) or _ABOUT_A_PERSON.search(unit):
        return True
    for e in found:
        if e.type != PERSON:
            continue
        words = regex.findall(r"\p{L}+", unit[e.start:e.end])
        if words and words[0] in FIRST_NAMES:
            return True
    return False


def business_contacts(documents: Iterable[DocumentText], places: Iterable[str] = ()) -> tuple[str, ...]:
    """The contact values the documents publish as the business's own (see the module docstring), sorted."""
    place_list = tuple(sorted({p for p in places if p}))
    place_re = (regex.compile(r"(?i)(?<![\w-])(?:" + "|".join(regex.escape(p) for p in place_list) + r")(?![\w-])")
                if place_list else None)
    values: set[str] = set()
    for doc in documents:
        for unit in _units(doc.text):
            if not _CANDIDATE.search(unit):
                continue
            found = detect(unit, allow=place_list)
            contacts = [e for e in found if e.type in CONTACT_TYPES]
            if not contacts:
                continue
            if not (_speaks_for_business(unit) or (place_re is not None and place_re.search(unit))):
                continue
            if _person_in(unit, found):
                continue
            values.update(unit[e.start:e.end].strip() for e in contacts)
    return tuple(sorted(v for v in values if v))


__all__ = ["CONTACT_TYPES", "business_contacts"]
