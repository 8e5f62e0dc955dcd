"""The names the tenant's own documents publish as business facts, read from their text: the names of its things
(products, packages, ranges, events, campaigns, partner organisations and agencies, payment methods, vehicles,
buildings, towns) and the staff it names in a business role, so the output guard stops redacting them from answers
quoted from those same documents (issue 11: "El <PERSON>" for a sales event, "<PERSON> (orthokeratology)" for a
product, "tell the clinical lead, Dr <PERSON>").

``business_names(documents) -> tuple[str, ...]`` is a pure function of text (no database, no model): the tools layer
reads a tenant's documents under its RLS session and adds the result to that tenant's allow-list
(``tools/doc_places.py``), exactly as it does for place names and business contacts, so one tenant's names never
unredact anything in another tenant's answers.

A thing name (a run of capitalised words) gets in from a context that a person's name does not take:

- a determiner right before it: "during El Buen Fin", "the Stornoway Town Hall", "the Met Office";
- a common noun for a thing right after it: "Findomestic financing", "the Edenred and Pluxee platforms",
  "Linea Girasole frame", "Gairloch Community Hall car park";
- a thing noun right before it (an appositive): "our house brand Kesar", "our two vans, Bonnie and Morag",
  "mobile unit (Unidad Móvil Colibrí)", "insurers Daman and AXA";
- a lower-case gloss in brackets right after it: "Ortho-k (orthokeratology)", "AvtaleGiro (direct debit)";
- the value of a label that names a kind of thing: "Package: Paquete Esencial", "Lens: ...", "Stop: Gairloch";
- a heading or document title made of it (not in a section about staff or people);
- a list that also holds an acronym, a lower-case item or a thing found above ("cash, Bancomat and all major
  cards", "Visa, Mastercard, Apple Pay and Samsung Pay");
- a way to pay: "pay with Vipps", "invoice via Klarna", "we accept X".
- a day or an event: a name right before "night / eve / week / festival / day ..." ("Bon Om Touk night", "Pchum Ben
  and Meak Bochea week"), a name with a date in brackets after it ("Kathina Tean (14 October)"), the label of a list
  item under a heading about holidays, festivals, closures or special hours ("- Pchum Ben: closed"); these get in
  even when they read as a person's name ("Yi Peng"), unless the documents use them for a person.

A staff name (a person's full name, two words at least) gets in only from a business role in a line that speaks to
customers: a role before it ("our optometrist X", "the clinical lead, Dr X", "our specialist optometrist Dott.ssa
X"), a role after it ("X, our district manager", "X (optometrist)"), "founded by X", or an instruction to go to the
person ("ask for X", "complaints go to X", "speak to X", "tell X"). With a title in front, the title-and-name form
goes on the list as well ("Dr Ewan Ross").

What never gets in:

- anything from a record about a person: a document whose title or headings speak of case notes, complaint logs,
  incidents, patient or customer records, and any line with customer / patient / client words, a date of birth or
  a next of kin;
- a thing name the documents also use for a person anywhere (a title, a given name or a role word before it, a job
  title or a speech verb after it: ``safety.place_names``), or one that starts with a common given name;
- a one-word thing name that reads as a person's ("Morag", a van; "Kela", an agency): it goes on the list as
  ``safety.allowlist.standalone(name)``, which the guard allows only where it stands alone (no capitalised word
  right before or after it, no title, greeting or "ask for / with / by" before it), so "Morag Smith" or "Dear Morag"
  in an answer is still redacted;
- a one-word staff name (a given name alone), and every name a user types that the documents do not publish.

Matching in the guard is by whole phrase, so "Ewan Ross" allowed does not allow "Ewan" or "Ross" alone.
"""

from __future__ import annotations

from collections.abc import Iterable

import regex
from spacy.lang.en.stop_words import STOP_WORDS

from safety.allowlist import standalone
from safety.gazetteer import is_personal_name
from safety.pii import COMMON_CAPS, FIRST_NAMES
from safety.place_names import (
    NAME,
    DocumentText,
    given_name_first,
    is_heading,
    strip_markup,
    trim_name,
    used_for_a_person,
)
from safety.text_fold import fold

# Records about a person: nothing in such a document, or such a line, is a business fact.
_RECORD_DOC = regex.compile(
    r"(?i)\b(?:case[ \t]+notes?|complaints?[ \t]+(?:log|register|record)s?|incident[ \t]+(?:log|report)s?|"
    r"(?:patient|customer|client)[ \t]+(?:records?|notes?|files?|log|list|details)|clinical[ \t]+notes?|"
    r"referral[ \t]+letters?|call[ \t]+log|visit[ \t]+log|minutes)\b")
_RECORD_LINE = regex.compile(
    # not a department ("our Customer Care Manager") nor a rule for a whole group ("cardholders receive 10% off",
    # "patients under 16 get ..."): those lines speak of no one person
    r"(?i)\b(?:(?:customer|client|patient)(?![ \t]+(?:care|service|services|support|experience|relations|desk|"
    r"team|line|portal)\b)(?!s)|(?:customer|client|patient)s(?![ \t]+(?:can|may|must|should|will|receive|get|pay|"
    r"need|are|under|over|aged|from|with|who[ \t]+(?:are|have|buy|need|want))\b)|"
    r"cardholders?(?![ \t]+(?:can|may|must|should|will|receive|get|pay|need|are|under|over|aged|from|with)\b)|"
    r"guardians?|relatives?|member[ \t]+(?:name|number)|"
    r"date[ \t]+of[ \t]+birth|d\.?o\.?b|born|next[ \t]+of[ \t]+kin|complained|complainant|case[ \t]+(?:no|number)|"
    r"mr|mrs|ms|miss)\b")

_DETERMINER = r"(?:the|The|El|La|Los|Las|Il|Lo|Le|Les|Der|Die|Das|Den|Det|Del|Al|a|an|un|una|ein|eine)"
# Nouns for a day or an event that a name before them names ("Bon Om Touk night", "Songkran week"): things too
_EVENT_NOUNS = (r"sales?|events?|days?|week|weekend|festivals?|holidays?|nights?|eves?|festivities|celebrations?|"
                r"fairs?|parades?|season")
# Common nouns for things that a name before them modifies ("Findomestic financing", "Edenred platforms").
_THING_NOUNS = (
    r"(?:financing|finance|loans?|platforms?|apps?|accounts?|wallets?|vouchers?|cards?|frames?|lens(?:es)?|range|"
    r"ranges|collections?|lines?|brands?|models?|coatings?|treatments?|packages?|bundles?|kits?|cover|insurance|"
    rf"plans?|campaigns?|promotions?|{_EVENT_NOUNS}|training|courses?|"
    r"programmes?|programs?|schemes?|system|portal|website|site|online|app|car[ \t]+parks?|parking|hall|building|"
    r"centre|center|station|ferry|ferries|vans?|buses|bus|trucks?|units?|vehicles?|clinics?|labs?|laboratory|"
    r"workshop|office|headquarters|wall|display|counter|offer|discount|rate|reimbursement|grant|benefit|subsidy|"
    r"allowance|claims?|rules|form|forms|number|code|invoice|receipt|members|membership|cardholders|holders|"
    r"subscribers|network|partners?|"
    r"agreement|contract|policy|policies|warranty|guarantee|service|services|team|family[ \t]+(?:business|firm))")
_THING_NOUN_AFTER = regex.compile(rf"^[ \t]+{_THING_NOUNS}\b")
_EVENT_NOUN_AFTER = regex.compile(rf"^[ \t]+(?:{_EVENT_NOUNS})\b")
# Thing nouns that a name after them stands in apposition to ("our house brand Kesar", "vans, Bonnie and Morag").
_APPOSITION_NOUNS = (
    r"(?i:brand|label|range|line|collection|model|package|van|vans|vehicle|vehicles|bus|unit|units|boat|truck|"
    r"platform|platforms|app|apps|agency|agencies|authority|regulator|institute|institution|insurer|insurers|"
    r"bank|banks|provider|providers|partner|partners|supplier|suppliers|lab|laboratory|charity|foundation|"
    r"association|organisation|organization|programme|program|scheme|campaign|event|promotion|card|cards|"
    r"wallets?|methods?|schools?|hospitals?|council|ministry|department|body|registry|register|fund|funds|plans?|"
    r"law|laws|act|code|regulation|tax|levy|agreements?|contracts?|partnerships?|conventions?)")
_APPOSITION = regex.compile(
    rf"\b{_APPOSITION_NOUNS}(?:[ \t]*[,:(][ \t]*|[ \t]+(?:called|named|known[ \t]+as|such[ \t]+as|like|"
    rf"including|with)[ \t]+|[ \t]+)(?P<list>{NAME}(?:[ \t]*,[ \t]*{NAME}){{0,8}}"
    rf"(?:[ \t]*,?[ \t]+(?:and|&|or)[ \t]+{NAME})?)")
# A way to pay: "pay with Vipps", "invoice via Klarna", "we accept Bancomat".
_PAID_WITH = regex.compile(
    rf"\b(?i:pay(?:s|ing|ment|ments)?[ \t]+(?:with|by|via|through|using)|via|we[ \t]+(?:also[ \t]+)?accept)[ \t]+"
    rf"(?P<list>{NAME}(?:[ \t]*,[ \t]*{NAME}){{0,8}}(?:[ \t]*,?[ \t]+(?:and|&|or)[ \t]+{NAME})?)")
_GLOSS_AFTER = regex.compile(r"^[ \t]*\((?!(?i:our|the|a|an)\b)[\p{Ll}][^()\n]{2,60}\)")
# A date in brackets right after a name: the name is a day or an event ("Coptic Christmas (7 January)").
_DATE_GLOSS_AFTER = regex.compile(
    r"^[ \t]*\([ \t]*(?:\d{1,2}(?:st|nd|rd|th|\.)?[ \t]+\p{L}{3,}|(?i:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|"
    r"dec)\p{Ll}*\.?[ \t]+\d{1,2}\b)")
# Headings of sections about days and events: the label of a list item under one names a day or an event
# ("## Public holidays" / "- Sham El-Nessim: the Alex branch is closed").
_EVENT_HEADING = regex.compile(
    r"(?i)\b(?:holidays?|festivals?|festivities|closures?|closing[ \t]+days|"
    r"special[ \t]+(?:opening[ \t]+)?(?:hours|days)|feasts?|observances?|celebrations?|events?|seasons?)\b")
_LABEL = regex.compile(r"^[ \t]*(?:[-*+•·▪]|\d{1,2}[.)])[ \t]+(?P<label>[^:\n]{2,80}?)[ \t]*:")
_DETERMINED = regex.compile(rf"(?<![\p{{L}}\-]){_DETERMINER}[ \t]+(?P<name>{NAME})")
# Labels that name a kind of thing: "Package: ...", "- Lens: ...", "Stop: Gairloch".
_THING_LABEL = regex.compile(
    r"(?:^|[;|]|[ \t]-[ \t])[ \t]*(?:[-*•][ \t]+)?(?i:package|lens|lens[ \t]+option|range|frame|product|plan|brand|"
    r"model|collection|line|option|coating|service|offer|promotion|campaign|event|stop|venue|insurer|partner|"
    r"programme|program|scheme|card|payment|method)[ \t]*:[ \t]*(?P<name>" + NAME + ")")
_LIST = regex.compile(r"(?:[^,;:\n.]+(?:[ \t]*,[ \t]*|[ \t]+(?:and|or|&)[ \t]+)){2,}[^,;:\n.]+")
_LIST_SPLIT = regex.compile(r"[ \t]*,[ \t]*(?:(?:and|or)[ \t]+)?|[ \t]+(?:and|or|&)[ \t]+")
_ACRONYM = regex.compile(r"\p{Lu}{2,6}\d?")
_PEOPLE_HEADING = regex.compile(
    r"(?i)\b(?:staff|teams?|people|colleagues?|employees?|who['’]?s[ \t]+who|meet|directory|personnel|roster|rota|"
    r"doctors|clinicians|biograph(?:y|ies)|founders?|history|about[ \t]+us|contacts?)\b")

# ------------------------------------------------------------------------------------------------ staff in a role
_TITLES = r"(?:Dr|Dra|Dott|Dott\.ssa|Dottssa|Doctor|Prof|Mr|Mrs|Ms|Mx|Sr|Sra|Herr|Frau|Mme|Mlle|Dr\.?med)\.?"
_ROLE = (r"(?i:optometrists?|opticians?|ophthalmologists?|orthoptists?|audiologists?|dispensers?|dispensing[ \t]+"
         r"opticians?|contact[ \t]+lens[ \t]+opticians?|technicians?|receptionists?|managers?|directors?|owners?|"
         r"founders?|co-founders?|lead|head|coordinators?|supervisors?|administrators?|specialists?|consultants?|"
         r"nurses?|doctors?|clinicians?|partners?|pharmacists?|officers?|representatives?|advis[eo]rs?)")
_NAME2 = (r"\p{Lu}[\p{L}\p{M}'’\-]+(?:[ \t]+(?:(?:van|von|de|da|di|del|della|du|le|la|ter|den|der|bin|al)[ \t]+)?"
          r"\p{Lu}[\p{L}\p{M}'’\-]+){1,3}")
_STAFF_PATTERNS = (
    # "our specialist optometrist Dott.ssa Elena Ricci", "the clinical lead, Dr Ewan Ross", "Our optometrist X"
    regex.compile(rf"\b(?i:our|the|your|a)[ \t]+(?:[\p{{L}}\-]+[ \t]+){{0,3}}{_ROLE}[ \t]*,?[ \t]+"
                  rf"(?P<title>{_TITLES}[ \t]+)?(?P<name>{_NAME2})"),
    # "Ewan Ross, our district manager", "Ewan Ross (optometrist)", "Ewan Ross is our clinical lead"
    regex.compile(rf"(?:^|(?<=[\s(]))(?P<title>{_TITLES}[ \t]+)?(?P<name>{_NAME2})(?:[ \t]*,[ \t]*|[ \t]+is[ \t]+)"
                  rf"(?i:our|the)[ \t]+(?:[\p{{L}}\-]+[ \t]+){{0,3}}{_ROLE}\b"),
    regex.compile(rf"(?:^|(?<=[\s(]))(?P<title>{_TITLES}[ \t]+)?(?P<name>{_NAME2})[ \t]*\([ \t]*"
                  rf"(?:[\p{{L}}\-]+[ \t]+){{0,2}}{_ROLE}\b"),
    # "founded in Prato in 1987 by Marisa and Carlo Bellandi"
    regex.compile(rf"\b(?i:founded|established|started|run|owned|led|managed)\b[^.\n]{{0,40}}?\b(?i:by)[ \t]+"
                  rf"(?:\p{{Lu}}[\p{{L}}\-]+[ \t]+(?:and|&)[ \t]+)?(?P<title>{_TITLES}[ \t]+)?(?P<name>{_NAME2})"),
    # "ask for Ewan Ross", "complaints go to Chiara Bellandi at the Prato office", "tell Dr Ewan Ross"
    regex.compile(rf"\b(?i:ask[ \t]+for|go(?:es)?[ \t]+to|speak[ \t]+(?:to|with)|talk[ \t]+to|tell|contact|"
                  rf"write[ \t]+to|addressed[ \t]+to|handled[ \t]+by|approved[ \t]+by|signed[ \t]+off[ \t]+by)"
                  rf"[ \t]+(?P<title>{_TITLES}[ \t]+)?(?P<name>{_NAME2})"),
)


_VENUE_WORDS = frozenset("""Hall Courthouse Centre Center Club Station House Church Library Market Harbour Harbor
Pier Quay Museum School Academy Hospital Surgery Arena Stadium Park Square""".split())


def _clean(value: str | None) -> str | None:
    """The name in a captured run, or None: 1-6 words, no digits, not led by a title."""
    name = trim_name(value or "", lambda t: t.lower() in STOP_WORDS or t in COMMON_CAPS)
    if name is None or regex.fullmatch(_TITLES, name.split()[0]):
        return None
    return name


def _units(text: str) -> list[str]:
    lines: list[str] = []
    for raw in text.split("\n"):
        line = strip_markup(raw).strip()
        if line:
            lines.extend(p for p in regex.split(r"(?<=[.!?])[ \t]+(?=[\p{Lu}\d\"“(])", line) if p.strip())
    return lines


def _list_members(item_text: str) -> list[str]:
    """The items of a list, each without brackets: "cash (AED only), Visa and UPI (Google Pay" gives "cash",
    "AED only", "Visa", "UPI", "Google Pay"."""
    items = [m.strip() for m in _LIST_SPLIT.split(item_text) if m.strip()]
    return [p.strip() for m in items for p in regex.split(r"[()]", m) if p.strip()]


def _things_in(unit: str, found: set[str], events: set[str]) -> None:
    for m in _DETERMINED.finditer(unit):
        found.add(_clean(m.group("name")) or "")
    for m in regex.finditer(rf"(?<![\p{{L}}'’\-]){NAME}", unit):
        if _THING_NOUN_AFTER.match(unit[m.end():]) or _GLOSS_AFTER.match(unit[m.end():]):
            found.add(_clean(m.group()) or "")
        elif _DATE_GLOSS_AFTER.match(unit[m.end():]):
            events.add(_clean(m.group()) or "")
    for m in [*_APPOSITION.finditer(unit), *_PAID_WITH.finditer(unit)]:
        for member in regex.finditer(NAME, m.group("list")):
            found.add(_clean(member.group()) or "")
    for m in _THING_LABEL.finditer(unit):
        found.add(_clean(m.group("name")) or "")
    for m in _WITH_THING.finditer(unit):
        if not _PEOPLE_NOUN.search(m.group("t1") or m.group("t2") or ""):
            found.add(_clean(m.group("a") or m.group("b")) or "")
    # "X and Y platforms": every member of a list right before a thing noun
    for m in regex.finditer(rf"(?<![\p{{L}}'’\-]){NAME}(?:[ \t]*,[ \t]*{NAME})*[ \t]+(?:and|&|or)[ \t]+{NAME}", unit):
        if _THING_NOUN_AFTER.match(unit[m.end():]):
            for member in regex.finditer(NAME, m.group()):
                found.add(_clean(member.group()) or "")
    # "Yi Peng and Loy Krathong night", "Songkran week": names of a day or an event
    for m in regex.finditer(rf"(?<![\p{{L}}'’\-]){NAME}(?:(?:[ \t]*,[ \t]*|[ \t]+(?:and|&|or)[ \t]+){NAME})*", unit):
        if _EVENT_NOUN_AFTER.match(unit[m.end():]):
            events.update(_clean(member.group()) or "" for member in regex.finditer(NAME, m.group()))


def _event_labels(line: str) -> list[str]:
    """The names a list item's label gives under a heading about days and events: "- Sham El-Nessim: closed",
    "- Yi Peng and Loy Krathong night: ...", "- Coptic Christmas (7 January): ..." (each member of the label's list
    that starts with a name and goes on, if at all, in lower case)."""
    m = _LABEL.match(line)
    if not m:
        return []
    out = []
    for member in _list_members(m.group("label")):
        head = regex.match(NAME, member)
        if head and (rest := member[head.end():].strip()) == "" or head and rest[:1].islower():
            out.append(_clean(head.group()) or "")
    return out


# "Kela and the wellbeing services county", "the tax office or Kela": a name coordinated with a thing described in
# lower-case words (not with people: "Maria and the other opticians").
_WITH_THING = regex.compile(
    rf"(?<![\p{{L}}'’\-])(?P<a>{NAME})[ \t]+(?:and|or|&)[ \t]+(?:the|our|your|its)[ \t]+"
    rf"(?P<t1>(?:[\p{{Ll}}\-]+[ \t]*){{1,4}})"
    rf"|\b(?:the|our|your|its)[ \t]+(?P<t2>(?:[\p{{Ll}}\-]+[ \t]+){{1,4}})(?:and|or|&)[ \t]+(?P<b>{NAME})")
_PEOPLE_NOUN = regex.compile(
    r"\b(?:team|staff|family|people|person|opticians?|optometrists?|doctors?|nurses?|colleagues?|children|kids|"
    r"sons?|daughters?|wife|husband|partner|friends?|parents?|customers?|patients?|manager|owner|others?)\b")


def _list_things(unit: str, found: set[str]) -> set[str]:
    """Capitalised members of a list that also holds an acronym, a lower-case item or a thing already found."""
    out: set[str] = set()
    for m in _LIST.finditer(unit):
        members = _list_members(m.group())
        names = [(x, _clean(x)) for x in members]
        capitalised = [n for x, n in names if n and regex.fullmatch(NAME, x.removeprefix("the ").strip() or "-")]
        if len(members) < 3 or not capitalised:
            continue
        anchored = any(_ACRONYM.fullmatch(x) or x in found or (x[:1].islower() and len(x.split()) <= 4)
                       for x in members)
        if anchored:
            out.update(n for n in capitalised if n.split()[0] not in FIRST_NAMES)
    return out


def _staff_in(unit: str, out: set[str]) -> None:
    for pattern in _STAFF_PATTERNS:
        for m in pattern.finditer(unit):
            name = m.group("name").strip()
            tokens = name.split()
            if len(tokens) < 2 or any(t in COMMON_CAPS or t.lower() in STOP_WORDS for t in tokens):
                continue
            out.add(name)
            title = (m.group("title") or "").strip()
            if title:
                out.add(f"{title} {name}")


def _named_as_a_subject(name: str, records: str) -> bool:
    """Whether a record names the person other than as the clinician after a title or "by" ("seen by Dr X" is the
    staff member at work; "X (patient)" or "X asked for a remake" is the record's subject)."""
    for m in regex.finditer(rf"(?<![\p{{L}}\-]){regex.escape(name)}(?![\p{{L}}\-])", records):
        if not regex.search(rf"(?:{_TITLES}|\b(?i:by|with))[ \t]+$", records[max(0, m.start() - 20):m.start()]):
            return True
    return False


def _record_document(doc: DocumentText) -> bool:
    return bool(_RECORD_DOC.search(doc.title or ""))


def _sections(doc: DocumentText) -> Iterable[tuple[list[str], str]]:
    """(the headings above it, the document title first; the line) for every line, headings included."""
    lines = doc.text.split("\n")
    stack: list[tuple[int, str]] = []
    for i, raw in enumerate(lines):
        heading = is_heading(lines, i)
        if heading is not None:
            level, text = heading
            stack = [(lv, h) for lv, h in stack if lv < level] + [(level, strip_markup(text).strip())]
        yield [doc.title, *(h for _, h in stack)], raw


def _heading_things(heading: str) -> list[str]:
    """The names a heading is made of: "Paquete Escolar", "Kids and Kela" (each member of a short list)."""
    parts = regex.split(r"[ \t]+[-–—:][ \t]+|:[ \t]+", heading)  # "Accidental damage - Protección Colibrí"
    # a part of more than 8 words reads as a sentence, kept whole; the cap is per part, so a long title still gives
    # its name part ("Optika Lípa - branches and opening hours (otevírací doba)")
    members = [m for p in parts for m in (_list_members(p) if len(p.split()) <= 8 else [p])]
    if not all(regex.fullmatch(NAME, m) or any(w[:1].islower() for w in m.split()) for m in members):
        return []
    return [n for m in members if regex.fullmatch(NAME, m) and (n := _clean(m))]


_WORD = regex.compile(r"(?<![\p{L}\p{M}'’\-])\p{L}[\p{L}\p{M}]*(?![\p{L}\p{M}'’\-])")
_CAPITALISED = regex.compile(r"\p{Lu}[\p{Ll}\p{M}]{2,}")
# "WARRANTY (ZÁRUKA)": in a line of capitals (its case says nothing), a word in brackets right after a word glosses it
_CAPS_GLOSS = regex.compile(r"\p{Lu}{3,}[ \t]*\([ \t]*(?P<gloss>\p{Lu}[\p{Lu}\p{M}]{2,})[ \t]*\)")


def title_common_nouns(title: str, text: str) -> tuple[str, ...]:
    """The capitalised words of a document's title that the document's own text uses as common nouns, as
    ``safety.allowlist.standalone`` terms for redacting that title: a word the text writes in lower case, accents
    folded ("Zaruka a reklamace", a title made from the file name "zaruka-a-reklamace.txt", over a text that says
    "záruka"; "Takuu ja palautukset" over "24 kuukauden takuu"), or one a line of capitals glosses in brackets
    ("WARRANTY (ZÁRUKA)") that is no given name or surname. Never a word the text uses for a person anywhere (the
    person veto: "Hunter feedback" over "Mrs Hunter said ..." stays redacted), nor anything from a record about a
    person (a title that reads as one). Standalone: "Zaruka" is allowed only where no capitalised word
    stands next to it, so "Jan Zaruka" is still a name."""
    if _RECORD_DOC.search(title) or _RECORD_LINE.search(title):
        return ()
    lower = {fold(w) for w in _WORD.findall(text) if w[:1].islower()}
    glossed = {fold(m.group("gloss")) for line in text.split("\n") if not regex.search(r"\p{Ll}", line)
               for m in _CAPS_GLOSS.finditer(line)}
    out: list[str] = []
    for word in dict.fromkeys(_CAPITALISED.findall(title)):
        if not regex.search(rf"(?<![\p{{L}}\p{{M}}'’\-]){regex.escape(word)}(?![\p{{L}}\p{{M}}'’\-])", title):
            continue  # a piece of a longer word ("McKay")
        key = fold(word)
        if key in lower or (key in glossed and word not in FIRST_NAMES and not is_personal_name(word)):
            if not used_for_a_person(word, f"{title}\n{text}"):
                out.append(standalone(word))
    return tuple(out)


def business_names(documents: Iterable[DocumentText]) -> tuple[str, ...]:
    """The names the documents publish as the business's own (see the module docstring), sorted; a one-word thing
    name that reads as a person's as ``safety.allowlist.standalone(name)``."""
    documents = list(documents)
    things: set[str] = set()
    events: set[str] = set()  # names of days and events: things even when they read as a person's name
    staff: set[str] = set()
    units_all: list[str] = []
    records: list[str] = []  # the text of records about a person: never a source, and a veto
    for doc in documents:
        if _record_document(doc):
            records.append(f"{doc.title}\n{doc.text}")  # its title too: "Incident report - X" names its subject
            continue
        people_doc = bool(_PEOPLE_HEADING.search(doc.title or ""))
        if doc.title and not people_doc:
            things.update(_heading_things(strip_markup(doc.title).strip()))
        for headings, raw in _sections(doc):
            if any(_RECORD_DOC.search(h) for h in headings):
                records.append(raw)  # a section on case notes, a complaints log ...
                continue
            line = strip_markup(raw).strip()
            if headings[-1] == line.lstrip("#").strip() and not any(_PEOPLE_HEADING.search(h) for h in headings):
                things.update(_heading_things(line.lstrip("#").strip()))
            if any(_EVENT_HEADING.search(h) for h in headings[1:]) and not _RECORD_LINE.search(line):
                events.update(_event_labels(strip_markup(raw)))
            for unit in _units(line):
                if _RECORD_LINE.search(unit):
                    records.append(unit)
                    continue
                units_all.append(unit)
                _things_in(unit, things, events)
                _staff_in(unit, staff)
    for unit in units_all:
        things |= _list_things(unit, things)
    things.discard("")
    events.discard("")
    text = "\n".join(f"{d.title}\n{d.text}" for d in documents)  # the veto reads every document, records included
    record_text = "\n".join(records)
    out: set[str] = set()
    for name in things | events:
        tokens = name.split()
        if all(t in COMMON_CAPS or t.lower() in STOP_WORDS for t in tokens) or name.isupper():
            continue
        if name in record_text or used_for_a_person(name, text) or \
                (len(tokens) > 1 and given_name_first(name) and name not in events):
            continue
        if len(tokens) == 1 and (tokens[0] in FIRST_NAMES or is_personal_name(name)):
            out.add(standalone(name))
        elif len(tokens) > 1 and is_personal_name(name) and name not in events:
            continue
        else:
            out.add(name)
    # "Stornoway Town Hall", "Dornoch Social Club": the first word of a building's or a venue's name is its town
    for name in [n for n in out if " " in n and n.split()[-1] in _VENUE_WORDS]:
        first = name.split()[0]
        if regex.fullmatch(r"\p{Lu}[\p{Ll}\p{M}'’\-]{2,}", first) and first not in COMMON_CAPS and \
                first.lower() not in STOP_WORDS and not used_for_a_person(first, text) and first not in record_text:
            out.add(standalone(first) if first in FIRST_NAMES or is_personal_name(first) else first)
    for name in staff:
        bare = regex.sub(rf"^{_TITLES}[ \t]+", "", name)
        if not _named_as_a_subject(bare, record_text):
            out.add(name)
    return tuple(sorted(out))


__all__ = ["business_names", "title_common_nouns"]
