"""The tenant's own place and branch names, read from the text of its documents: the names its documents use as
places (branches, stores, malls, suburbs, streets), never the names they use for people.

``place_names(documents) -> tuple[str, ...]`` is a pure function of text (no database, no model): the tools layer
reads a tenant's documents under its RLS session and adds the result to that tenant's allow-list
(``tools/doc_places.py``), so the output guard stops redacting the tenant's own locations ("Tamil at Jurong East").

A name gets in only from a place context:

- before a branch noun: "our Sandton City branch", "the Rosebank and Menlyn stores", "X outlet/clinic/practice";
- after one: "our stores in Rosebank and Menlyn", "Branches: Rosebank, Menlyn and Sandton City";
- ending in a place word: "Westgate Mall", "Canal Walk Shopping Centre", "Rivonia Road" anywhere; "Menlyn Park",
  "Jurong East", "Toa Payoh Central" (words that are also surnames, or directions) only in a location context;
- after "at / in / near / opposite ..." in a location context ("Tamil at Jurong East", "open late in Ballsbridge");
- a quoted name in a location-context line that gives a place another name ('customers call the Surco shop
  "Chacarilla"', '"Larco" means Miraflores', '"Dara" is the Siem Reap shop'); one that reads as a person's name
  ("Dara") goes on the list only as ``in_place_context(name)``, and so does a given name right before a branch noun
  ("the Alex branch"), without the gazetteer's word;
- a cell of a table column named branch / store / outlet / location / clinic / site ... (and the parts without
  digits of an address column);
- a list item's or sub-heading's label in a section about branches / locations / hours (not one about staff,
  teams, contacts or managers), when it is one word on a line without a phone number or e-mail, or the same
  name is also used as a place elsewhere in the tenant's documents.

A location context is a line, or a section (a heading or any heading above it, the document title included), that
speaks of branches, stores, outlets, locations, clinics, addresses, opening hours, parking or directions.

A candidate is dropped when the documents use it for a person anywhere: a title before it ("Dr Priya Nair"), a
given name before it ("Priya Nair" vetoes "Nair"), a role word before it ("optometrist X", "contact X", "ask for X"),
a job title after it ("X, our branch manager", "X (optometrist)"), a speech verb after it ("X said"); and when it
starts with a common given name without a place word at its end ("Grace Park" stays a person; "Elizabeth Street"
is a street). Possessives ("Sarah's clinic") are never places. Matching in the guard is by whole phrase, so
"Nkosi Street" allowed does not allow "Nkosi" alone.

Weak place contexts ("in / to / near X" anywhere, "the city of X", a list with one of the tenant's places, a list in
brackets after a plural place noun ("the outlying islands (Lamma, Cheung Chau)"), a name excepted from such a list
("... except Mui Wo"), the parts after the first comma of a Location cell) add a name only when the offline gazetteer
knows it exactly as written and it does not read as a person's (``safety.gazetteer``): "Abu Dhabi", "São Paulo",
"Toa Payoh", "Sentosa". Place words in other languages count as place words: "Storo Storsenter", "Sollentuna
Centrum", "Shopping Ibirapuera", "Rua Augusta", one-word "Strandgaten" / "Storgata".

``contextual_place_names(documents)``: places named like people ("Brandon", "Victoria") that the documents use only
as places and the gazetteer knows; the tools layer puts them on the list as ``in_place_context(name)``, which the
guard allows only where the answer itself puts the name in a place context (``safety.allowlist``).

``offering_names(documents) -> tuple[str, ...]``: the names of the tenant's own offerings, from offering contexts
only: capitalised words ending in an offering word ("Oops Cover", "Golden Years Club", "Gold Card"), the name before
a lower-case one ("the Little Eyes programme", "the Bupa corporate plans"), after "our / join / sign up for / members
of / covered by ...", before "is an optional add-on / extra ..." or "members / holders / subscribers", and the leading
name of a heading or title that speaks of an offering. The same person veto applies; both lists go on the same
per-tenant allow-list.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

import regex
from spacy.lang.en.stop_words import STOP_WORDS

from safety.gazetteer import is_personal_name, known_places
from safety.pii import COMMON_CAPS, FIRST_NAMES

MAX_WORDS = 6
MAX_CHARS = 60

# A capitalised word or an acronym ("Rosebank", "JEM", "Bishop's", "Stratford-upon-Avon").
_TOK = r"\p{Lu}[\p{L}\p{M}]*(?:['’\-]\p{L}[\p{L}\p{M}]*)*"
_CONNECT = r"(?:upon|de|la|le|du|des|del|da|do|dos|das|di|am|im|van|von|der|den|of|sur)"
NAME = rf"{_TOK}(?:[ \t]+(?:{_CONNECT}[ \t]+)?{_TOK}){{0,{MAX_WORDS - 1}}}"
_NAME_LIST = (rf"{NAME}(?:[ \t]*,[ \t]*{NAME}){{0,24}}(?:[ \t]*,?[ \t]+(?:and|&|or)[ \t]+(?:the[ \t]+)?{NAME})?")

_BRANCH_NOUNS = (r"(?:branch(?:es)?|stores?|outlets?|shops?|clinics?|practices?|locations?|showrooms?|boutiques?|"
                 r"sites?|premises|studios?|kiosks?)")

# Last words that make a run of capitalised words a place by themselves.
STRONG_SUFFIXES = frozenset("""Mall Malls Centre Center Plaza Square Junction Hub Arcade Galleria Street Road Avenue
Boulevard Drive Station Precinct Quarter Village Terrace Crescent Parade Promenade Esplanade Highway Quay Wharf
Mews Marina Interchange Complex Emporium Retail Exchange Mile Circus Rd St Ave Blvd
Storsenter Storsenteret Senter Senteret Kjøpesenter Köpcentrum Butikscentrum Centrum Zentrum Einkaufszentrum Arkaden
Galerie Galerien Passage Torg Torget Torvet Plass Plassen Plads Platz Straße Strasse Gasse Gata Gatan Gaten Veien
Vegen Vej Vejen Shopping Outlet Souq Souk Bazaar Bazar Mercado Galleria Gallerie Centro""".split())
# First words that make a run of capitalised words a place by themselves ("Shopping Ibirapuera", "Rua Augusta",
# "Avenida Paulista", "Jalan Ampang", "Souq Waqif"): street and mall words that come before the name.
STRONG_PREFIXES = frozenset("""Shopping Rua Avenida Av Praça Alameda Largo Travessa Estrada Rodovia Calle
Carrer Avinguda Paseo Plaza Rambla Rue Avenue Boulevard Piazza Piazzale Via Viale Corso Jalan Lorong Souq Souk
Centro Centre Calçada Quinta Parque Ulica Aleja Plac Rynek""".split())
# One-word compound street and centre names ("Strandgaten", "Storgata", "Løkkeveien", "Sandvika Storsenter" aside):
# Scandinavian, German and Dutch endings that are never a person's name.
_COMPOUND_PLACE = regex.compile(
    r"\p{Lu}[\p{Ll}\p{M}]{2,}(?:gata|gatan|gaten|veien|vegen|vägen|vejen|torget|torvet|plassen|senteret|senter|"
    r"straße|strasse|platz|gasse|gracht|plein|straat|allee)")
# Last words that make a place only where the text speaks of locations (they are also surnames or directions).
WEAK_SUFFIXES = frozenset("""Park Hill Hills Lane Court Green Gate Point City Town Wood Woods Cross Bridge Heights
Gardens Bay Beach Valley Ridge Grove Vale View Fields Common Commons Place Row Walk Way Waters Lakes Lake Falls Springs
Downs East West North South Central Upper Lower Estate Sands Creek Harbour Harbor Corner Market""".split())
_ALL_SUFFIXES = STRONG_SUFFIXES | WEAK_SUFFIXES

_LOCATION_WORDS = regex.compile(
    r"(?i)\b(?:branch(?:es)?|stores?|outlets?|shops?|locations?|clinics?|practices?|showrooms?|premises|"
    r"address(?:es)?|opening[ \t]+(?:hours|times)|trading[ \t]+hours|hours|find(?:ing)?[ \t]+us|visit(?:ing)?[ \t]+us|"
    r"directions|parking|getting[ \t]+there|suburbs?|malls?|where[ \t]+we[ \t]+are|sites?)\b")

# Headings of sections about people: their list items and sub-headings are never taken as place names.
_PEOPLE_WORDS = regex.compile(
    r"(?i)\b(?:staff|teams?|people|contacts?|colleagues?|employees?|managers?|who['’]?s[ \t]+who|meet|directory|"
    r"personnel|roster|rota|doctors|clinicians|biograph(?:y|ies))\b")

# Titles and role words that say the next name is a person; job titles that say the name before them is one.
_TITLE_BEFORE = regex.compile(
    r"(?:\b(?:Dr|Mr|Mrs|Ms|Mx|Miss|Prof|Sister|Sr|Sir|Dame|Rev|Fr|Nurse|Doctor)\.?[ \t]+"
    r"|\b(?i:optometrists?|opticians?|ophthalmologists?|manager|director|owner|founder|dispenser|technician|"
    r"receptionist|assistant|supervisor|colleague|employee|patient|customer|client|audiologist|pharmacist|"
    r"CEO|COO|CFO|dear|hi|hello|attn|ask[ \t]+for|speak[ \t]+(?:to|with)|talk[ \t]+to|signed[ \t]+by|"
    r"approved[ \t]+by|seen[ \t]+by|written[ \t]+by|named|called|contact[ \t]+person)[ \t]*:?[ \t]+)$")
_ROLE = (r"(?i:optometrists?|opticians?|ophthalmologists?|manager|director|owner|founder|dispenser|technician|"
         r"receptionist|assistant|supervisor|audiologist|pharmacist|CEO|COO|CFO|coordinator|administrator|nurse|"
         r"doctor)")  # not "head", "lead", "contact", "partner": "Rosebank: head office / contact us on ..."
_ROLE_AFTER = regex.compile(
    rf"^[ \t]*(?:,|\(|:|–|—|-|is|was)[ \t]*(?i:our|the|a|an)?[ \t]*(?:[\p{{L}}\-]+[ \t]+){{0,2}}{_ROLE}\b"
    r"(?![ \t]+\p{Lu})")
_PERSON_VERB_AFTER = regex.compile(
    r"^[ \t]+(?:said|says|told|asked|replied|wrote|emailed|phoned|texted|qualified|retired|herself|himself|"
    r"joined[ \t]+(?:us|the[ \t]+team)|is[ \t]+on[ \t]+leave|will[ \t]+see[ \t]+you)\b")
_PLACE_AFTER = regex.compile(rf"(?i)^[ \t]+{_BRANCH_NOUNS}\b")

_LEAD_STRIP = frozenset("""visit contact call ask try find book email phone ring see near opposite inside only also
please customers welcome from dr mr mrs ms mx miss prof sister sir dame rev fr nurse doctor""".split()) | STOP_WORDS
_NOISE = frozenset(w.lower() for w in COMMON_CAPS) | STOP_WORDS | frozenset(
    w.lower() for w in _ALL_SUFFIXES) | frozenset("""mon tue tues wed thu thur thurs fri sat sun hours opening
closing times time branch branches outlet outlets shop shops clinic clinics practice practices showroom premises
site sites address addresses parking directions getting find visiting public holidays holiday christmas easter
head office hq""".split())

# A contact line ("- Thandeka: 082 555 1234", "Sipho, sipho@..."): its label may be a person's name.
_CONTACT = regex.compile(r"@|(?:\d[ \t().+\-]*){7,}")
_BULLET = regex.compile(r"^[ \t]*(?:[-*+•·▪]|\d{1,2}[.)])[ \t]+")
_MD_HEADING = regex.compile(r"^[ \t]*(#{1,6})[ \t]+(.+?)[ \t]*#*[ \t]*$")
_MARKUP = regex.compile(r"\*\*|__|`|\[([^\]]*)\]\([^)]*\)")
_LABEL_END = regex.compile(r"[ \t]*(?::|–|—|[ \t]-[ \t]|\(|,|\||$)")


@dataclass(frozen=True)
class DocumentText:
    """One document of a tenant: its (already redacted) title and its full text."""

    title: str
    text: str


@dataclass
class _Candidates:
    """Names found so far, with how they were found: strong evidence, or a label that needs corroboration."""

    strong: set[str]
    weak: set[str]
    contact: set[str]  # labels of contact lines: kept only when also used as a place elsewhere
    loose: set[str] = field(default_factory=set)  # in a weak place context: kept only when the gazetteer knows it
    # named as a branch outright: right before a branch noun ("the Alex branch") or a nickname the documents give a
    # branch ("customers call the Smouha branch "Alex""): a place even when it reads as a person's name
    branch_named: set[str] = field(default_factory=set)

    def add(self, name: str | None, *, strong: bool = True) -> None:
        if name:
            (self.strong if strong else self.weak).add(name)


def trim_name(value: str, lead: Callable[[str], bool]) -> str | None:
    """The name inside a captured run: leading words that ``lead`` says are not part of it and trailing stop words
    dropped; None for anything not a name (over 6 words or 60 characters, digits, lower-case, a possessive)."""
    tokens = value.split()
    while tokens and lead(tokens[0]):
        tokens = tokens[1:]
    while tokens and tokens[-1].lower() in STOP_WORDS:
        tokens = tokens[:-1]
    if not tokens or len(tokens) > MAX_WORDS:
        return None
    name = " ".join(tokens)
    if len(name) < 3 or len(name) > MAX_CHARS or regex.search(r"\d", name) or not regex.match(r"\p{Lu}", name):
        return None
    if regex.search(r"['’]s$", name):  # "Sarah's clinic" is somebody's, not a place name
        return None
    return name


def _clean(value: str) -> str | None:
    """The name inside a captured run: leading function words and titles dropped; None for anything not a name."""
    name = trim_name(value, lambda t: t.lower() in _LEAD_STRIP or t.lower().rstrip(".") in _LEAD_STRIP)
    if name is None or all(t.lower() in _NOISE for t in name.split()):
        return None
    return name


def _list_names(value: str) -> list[str]:
    """The names of a captured list ("Rosebank, Menlyn and the Sandton City")."""
    out = []
    for m in regex.finditer(NAME, value):
        name = _clean(m.group())
        if name:
            out.append(name)
    return out


def _suffix_names(line: str, located: bool) -> list[str]:
    """Runs of capitalised words ending in a place word ("Westgate Mall", "Menlyn Park" where located)."""
    out = []
    for m in regex.finditer(NAME, line):
        tokens = m.group().split()
        for i in range(1, len(tokens)):
            last = tokens[i]
            if last in STRONG_SUFFIXES or (located and last in WEAK_SUFFIXES):
                if tokens[i - 1] in ("of", "on", "upon"):
                    continue
                name = _clean(" ".join(tokens[: i + 1]))
                if name and len(name.split()) >= 2:
                    out.append(name)
        for i in range(len(tokens) - 1):
            if tokens[i].rstrip(".") in STRONG_PREFIXES and tokens[i + 1] not in STOP_WORDS:
                name = " ".join(tokens[i:])  # "Shopping Ibirapuera", "Rua Oscar Freire"
                if name == _clean(name):
                    out.append(name)
                break
        if len(tokens) == 1 and _COMPOUND_PLACE.fullmatch(tokens[0]):
            out.append(tokens[0])  # "Strandgaten", "Storgata"
    return out


_BEFORE_NOUN = regex.compile(rf"(?<![\p{{L}}'’\-])(?P<list>{_NAME_LIST})[ \t]+{_BRANCH_NOUNS}\b")
_AFTER_NOUN = regex.compile(
    rf"(?i:\b{_BRANCH_NOUNS})(?:[ \t]+(?:are[ \t]+|is[ \t]+)?(?i:in|at|on)[ \t]+(?:the[ \t]+)?|[ \t]*[:–—][ \t]*"
    rf"|[ \t]+(?i:include|including)[ \t]+)(?P<list>{_NAME_LIST})")
_AT_PLACE = regex.compile(
    rf"\b(?i:at|in|near|opposite|inside|outside|behind|beside|next[ \t]+to|across[ \t]+from|within)[ \t]+"
    rf"(?:the[ \t]+)?(?P<list>{_NAME_LIST})")


# Weak place contexts anywhere in the documents ("visit schools in Abu Dhabi", "not available to Sentosa", "the city
# of São Paulo"): a name found only here must also be a known place (``safety.gazetteer``).
_LOOSE_PLACE = regex.compile(
    rf"(?:\b(?i:in|at|near|around|throughout|across|within|opposite|outside|inside)"
    rf"|\b(?i:deliver(?:y|ies|ed)?|ship(?:s|ping|ped)?|available|travel(?:s|ling|ing)?|drive|driving|trips?|"
    rf"routes?|moved?|relocat(?:e|ed|ing)|referred)[ \t]+(?:(?i:only|also|free|not)[ \t]+)?(?i:to|from)"
    rf"|\b(?i:city|town|village|suburb|district|neighbou?rhood|borough|municipality|region|province|state|county|"
    rf"emirate|island|area|metro[ \t]+area)[ \t]+of)[ \t]+(?:the[ \t]+)?(?P<list>{_NAME_LIST})")

# What may follow a list of places for all of its members to be places ("at Rosebank and Menlyn, ...");
# otherwise only the first one is ("at Menlyn and Thabo will ..." names one place).
_LIST_END = regex.compile(
    rf"[ \t]*(?:[.,;:!?)\]]|$|(?i:{_BRANCH_NOUNS}|are|is|have|has|open|opens|close|closes|offer|offers|each|both|"
    r"all|only|from|until|till|on|every|daily|between)\b)")


def _after_list(line: str, m: regex.Match[str]) -> list[str]:
    names = _list_names(m.group("list"))
    return names if len(names) < 2 or _LIST_END.match(line, m.end()) else names[:1]


# A line that gives a place another name: a quoted name in it is a name of the place ('customers call the Wongwian
# Yai shop "Fang Thon"', '"Korba" or "Masr El Gedida" is the Heliopolis branch', 'known as "the Sahel"').
_NAMING = regex.compile(r"(?i)\b(?:call(?:s|ed|ing)?|known[ \t]+as|nicknamed?|nicknames|(?:short|other|own|local)[ \t]+"
                        r"names?[ \t]+for|refer(?:s|red)?[ \t]+to)\b|[\"”][ \t]+(?:or[ \t]+[\"“][^\"“”]+[\"”][ \t]+)?"
                        r"(?:is|are|means)\b")
_QUOTED_NAME = regex.compile(rf"[\"“](?P<name>{NAME})[\"”]")


def _sentence_names(line: str, located: bool, found: _Candidates) -> None:
    for m in _BEFORE_NOUN.finditer(line):
        for name in _list_names(m.group("list")):  # "the Rosebank and Menlyn stores"
            found.add(name)
            found.branch_named.add(name)
    if located and _NAMING.search(line):  # 'customers call the Wongwian Yai shop "Fang Thon"', '"Alex" is Smouha'
        for m in _QUOTED_NAME.finditer(line):
            name = _clean(m.group("name"))
            if name:  # one that reads as a person's ("Alex") only where an answer puts it in a place context
                found.branch_named.add(name)
                if not is_personal_name(name):
                    found.add(name)
    for m in _AFTER_NOUN.finditer(line):
        for name in _after_list(line, m):
            found.add(name)
    for name in _suffix_names(line, located):
        found.add(name)
    if located:
        for m in _AT_PLACE.finditer(line):
            for name in _after_list(line, m):
                found.add(name)
    for m in _LOOSE_PLACE.finditer(line):  # "schools in Dubai and Abu Dhabi", "delivery to Sentosa", "city of X"
        found.loose.update(_after_list(line, m))


def _is_heading(lines: list[str], i: int) -> tuple[int, str] | None:
    """(level, text) when line i is a heading: markdown, an all-capitals line, a short line ending in ':', or a
    short title-case line standing alone after a blank line."""
    line = lines[i].strip()
    if not line:
        return None
    m = _MD_HEADING.match(line)
    if m:
        return len(m.group(1)), m.group(2).strip()
    words = line.split()
    if len(words) > 8 or _BULLET.match(lines[i]) or "|" in line:
        return None
    letters = [c for c in line if c.isalpha()]
    if letters and all(c.isupper() for c in letters) and len(letters) >= 3:
        return 2, line
    if line.endswith(":") and len(words) <= 6:
        return 3, line.rstrip(":")
    before_blank = i == 0 or not lines[i - 1].strip()
    if before_blank and len(words) <= 6 and not regex.search(r"[.,;!?]$", line) and \
            all(w[:1].isupper() or w.lower() in STOP_WORDS for w in words):
        return 3, line
    return None


def _cells(line: str) -> list[str]:
    return [c.strip() for c in line.strip().strip("|").split("|")]


_LOCATION_HEADER = regex.compile(
    r"(?i)^(?:our[ \t]+)?(?:branch|store|outlet|location|clinic|practice|site|shop|showroom|centre|center|mall|"
    r"suburb|area|town|city|venue|premises|address|where)(?:es|s)?(?:[ \t]+(?:name|location|address))?$")
_ADDRESS_HEADER = regex.compile(r"(?i)\baddress(?:es)?\b|\bwhere\b")


def _table_names(lines: list[str], found: _Candidates) -> None:
    """Cells of table columns named branch / store / location ... (markdown or Word tables joined by ' | ')."""
    header: list[str] | None = None
    columns: list[tuple[int, bool]] = []
    for line in lines:
        if not line.strip():
            continue  # a Word table's rows are paragraphs apart (tools.ingest joins blocks with a blank line)
        if "|" not in line:
            header, columns = None, []
            continue
        cells = _cells(line)
        if all(regex.fullmatch(r":?-{2,}:?|", c) for c in cells):
            continue  # the markdown separator row
        if header is None:
            header = cells
            columns = [(i, bool(_ADDRESS_HEADER.search(c))) for i, c in enumerate(cells)
                       if _LOCATION_HEADER.match(_MARKUP.sub(r"\1", c).strip())]
            continue
        if len(cells) != len(header):
            continue
        for i, is_address in columns:
            cell = _MARKUP.sub(r"\1", cells[i]).strip()
            parts = regex.split(r"[,;/]", cell) if is_address else [cell]
            for part in parts:
                part = part.strip()
                if part and not regex.search(r"\d", part) and regex.fullmatch(NAME, part):
                    found.add(_clean(part))
            if not is_address:  # "Khalidiya Street, near Khalidiya Park, Abu Dhabi" in a Location column
                for part in regex.split(r"[,;/]", cell)[1:]:
                    part = _clean(part.strip())
                    if part and regex.fullmatch(NAME, part):
                        found.loose.add(part)


def _document_names(doc: DocumentText, found: _Candidates) -> None:
    lines = doc.text.split("\n")
    title_located = bool(_LOCATION_WORDS.search(doc.title))
    stack: list[tuple[int, str]] = []  # (level, heading text) of the headings above the current line
    _table_names(lines, found)
    for i, raw in enumerate(lines):
        line = _MARKUP.sub(r"\1", raw)
        heading = _is_heading(lines, i)
        if heading is not None:
            level, text = heading
            stack = [(lv, h) for lv, h in stack if lv < level]
            parent_located = title_located or any(_LOCATION_WORDS.search(h) for _, h in stack)
            text = _MARKUP.sub(r"\1", text)
            if parent_located and not _LOCATION_WORDS.search(text) and \
                    not any(_PEOPLE_WORDS.search(h) for h in (doc.title, text, *(h for _, h in stack))):
                found.add(_clean(text), strong=False)  # "## Rosebank" under "# Our branches"
            _sentence_names(text, parent_located or bool(_LOCATION_WORDS.search(text)), found)
            stack.append((level, text))
            continue
        if not line.strip():
            continue
        section_located = any(_LOCATION_WORDS.search(h) for _, h in stack)
        located = title_located or section_located or bool(_LOCATION_WORDS.search(line))
        _sentence_names(line, located, found)
        if section_located and "|" not in line and \
                not any(_PEOPLE_WORDS.search(h) for h in (doc.title, *(h for _, h in stack))):
            body = _BULLET.sub("", line).strip()
            m = regex.match(NAME, body)
            if m and _LABEL_END.match(body, m.end()) and not _PERSON_VERB_AFTER.match(body, m.end()):
                # "- Rosebank: The Zone, Oxford Road"; a contact line's label needs another place use
                name = _clean(m.group())
                found.add(name, strong=False)
                if name and _CONTACT.search(body):
                    found.contact.add(name)


def _used_for_a_person(name: str, text: str, places: frozenset[str] = frozenset()) -> bool:
    """Whether any mention of ``name`` in the tenant's documents is a person's (title, given name or role word
    before it; job title or speech verb after it, unless the sentence goes on about a business's founding, branches
    or stores: "X is a family optician founded in 1994"). Mentions right before a branch noun are place uses, and so are
    mentions that end one of ``places`` (the names found as places) or follow one: in "Chiang Mai Nimman" the "Mai"
    before "Nimman" is part of a place name, no given name."""
    pattern = regex.compile(rf"(?<![\p{{L}}\-]){regex.escape(name)}(?![\p{{L}}\-])")
    for m in pattern.finditer(text):
        after = text[m.end(): m.end() + 60]
        if after.startswith(("'s", "’s")):
            continue
        if _PLACE_AFTER.match(after) or _ROLE_NOUN_AFTER.match(after):
            continue  # "the Rosebank branch"; "written by EsSalud or MINSA ophthalmologists": an employer, no person
        before = text[max(0, m.start() - 30): m.start()]
        given = regex.search(r"(\p{Lu}[\p{L}\-]*)[ \t]+$", before)
        if given and any(p != name and (before + name).endswith(p) or " " in p and before.rstrip().endswith(p)
                         for p in places):
            given = None  # the end of a longer place name ("Chiang Mai Nimman"), or right after one
        if _TITLE_BEFORE.search(before) or (given and given.group(1) in FIRST_NAMES):
            return True
        if _PERSON_VERB_AFTER.match(after):
            return True
        if _ROLE_AFTER.match(after) and not _BUSINESS_AFTER.match(text, m.end()):
            return True
    return False


# "EsSalud ophthalmologists", "NHS or EsSalud optometrists": a name before a role noun (alone or in a pair) says whose
# staff they are: an organisation
_ROLE_NOUN_AFTER = regex.compile(rf"^(?:[ \t]+(?:or|and|&)[ \t]+{NAME})?[ \t]+{_ROLE}")
# "X is a Czech family optician founded in 1994 ...", "X is an independent optometrist with five branches": a role
# word said of a business (the sentence goes on about its founding, branches or stores), no person's
_BUSINESS_AFTER = regex.compile(
    r"[^.!?\n]{0,80}?\b(?i:founded|established|branches|stores|shops|outlets|clinics|practices|locations|company"
    r"|chain|business)\b")


def _given_name_first(name: str) -> bool:
    tokens = name.split()
    return tokens[0] in FIRST_NAMES and tokens[-1] not in STRONG_SUFFIXES


def _named_like_people(names: set[str]) -> set[str]:
    """The names of ``names`` that start with a common given name and are not known towns named after one: a given
    name before a weak place word ("George Town", "Alice Springs", "Victoria Falls") is a place when the gazetteer
    knows the whole name and it does not read as a given name and surname ("Grace Park", "Mary Hill" stay people)."""
    first = {n for n in names if _given_name_first(n)}
    towns = {n for n in first if " " in n and n.split()[-1] in WEAK_SUFFIXES and not is_personal_name(n)}
    return first - (known_places(towns) if towns else frozenset())


def _weak_places(candidates: set[str], names: set[str]) -> set[str]:
    """The candidates from a weak place context that are places: not found already, not named like people, not
    reading as a person's name nor written in capitals, and known to the gazetteer exactly as written."""
    candidates = candidates - names
    candidates -= _named_like_people(candidates)
    candidates = {n for n in candidates if not is_personal_name(n) and not n.isupper()}
    return set(known_places(candidates)) if candidates else set()


def place_names(documents: Iterable[DocumentText]) -> tuple[str, ...]:
    """The names the documents use as places (see the module docstring), sorted; never one used for a person."""
    docs = list(documents)
    found = _Candidates(set(), set(), set())
    for doc in docs:
        _document_names(doc, found)
    # a label alone ("- Rosebank: ...") is kept when it is one word, or when the name is used as a place elsewhere
    names = found.strong | {n for n in found.weak
                            if n in found.strong or (" " not in n and n not in found.contact)}
    text = "\n".join(f"{d.title}\n{d.text}" for d in docs)
    # a name in a list with one of these places ("Tampines Hub and Toa Payoh are ...") is in a weak place context
    names |= _weak_places(found.loose | _coordinated(text, names), names)
    # ... and so is a name excepted from a list of these places ("... (Lantau, Lamma) except Mui Wo")
    names |= _weak_places(_excepted(text, names), names)
    places = frozenset(names)
    people_like = _named_like_people(names)
    return tuple(sorted(n for n in names if n not in people_like and not _used_for_a_person(n, text, places)))


def contextual_place_names(documents: Iterable[DocumentText]) -> tuple[str, ...]:
    """Places named like people ("Brandon", "Victoria", "Jackson"): names the documents use as places (the same
    contexts as ``place_names``, weak ones included) that the gazetteer knows, that read as a person's name (a common
    given name, or a given name or surname in Faker's lists) and that the documents never use for a person. They
    are not safe everywhere: the guard allows them only where the answer itself puts them in a place context
    (``safety.allowlist.in_place_context``)."""
    docs = list(documents)
    found = _Candidates(set(), set(), set())
    for doc in docs:
        _document_names(doc, found)
    text = "\n".join(f"{d.title}\n{d.text}" for d in docs)
    plain = set(place_names(docs))
    names = found.strong | found.weak | found.loose | found.branch_named | _coordinated(text, plain)
    people_like = {n for n in names - plain
                   if (_given_name_first(n) or is_personal_name(n)) and not n.isupper() and " " not in n}
    known = (known_places(people_like) if people_like else frozenset()) | (people_like & found.branch_named)
    return tuple(sorted(n for n in known if not _used_for_a_person(n, text) and not _full_name_use(n, text)))


def _full_name_use(name: str, text: str) -> bool:
    """Whether the documents write ``name`` as the first word of a person's full name ("Madison Clarke"): followed by
    a capitalised word that is not a place or branch word."""
    for m in regex.finditer(rf"(?<![\p{{L}}\-]){regex.escape(name)}[ \t]+(\p{{Lu}}[\p{{L}}'’\-]+)", text):
        word = m.group(1)
        if word not in _ALL_SUFFIXES and word.lower() not in _NOISE and not _PLACE_AFTER.match(" " + word):
            return True
    return False


def _coordinated(text: str, places: set[str]) -> set[str]:
    """The other members of lists ("X, Y and Z", "X or Y") that hold one of ``places``, the members of a list in
    brackets right after one of them ("the Klang Valley (Kuala Lumpur, Petaling Jaya and Shah Alam)") or right after a
    plural place noun ("the outlying islands (Lamma, Cheung Chau)")."""
    out: set[str] = set()
    for m in _BRACKETED_AFTER_KIND.finditer(text):
        out.update(_list_names(m.group("list")))
    if not places:
        return out
    for m in _COORDINATED_LIST.finditer(text):
        members = _list_names(m.group())
        if len(members) >= 2 and any(n in places for n in members):
            out.update(members)
    for m in _BRACKETED_AFTER.finditer(text):
        if m.group("head") in places:
            out.update(_list_names(m.group("list")))
    return out


def _excepted(text: str, places: set[str]) -> set[str]:
    """The names excepted from a list that holds one of ``places``: "(Lantau, Lamma, Cheung Chau) except Mui Wo"."""
    out: set[str] = set()
    for m in _LIST_EXCEPT.finditer(text):
        if any(n in places for n in _list_names(m.group("list"))):
            out.update(_list_names(m.group("except")))
    return out


_COORDINATED_LIST = regex.compile(
    rf"(?<![\p{{L}}'’\-]){NAME}(?:[ \t]*,[ \t]*{NAME}){{0,12}}[ \t]*,?[ \t]+(?:and|or|&)[ \t]+{NAME}")
# "A, B and C except D", "(A, B, C) except D and E": the names excepted from a list of names.
_LIST_EXCEPT = regex.compile(
    rf"(?<![\p{{L}}'’\-])\(?[ \t]*(?P<list>{NAME}(?:[ \t]*,[ \t]*{NAME}){{1,12}}"
    rf"(?:[ \t]*,?[ \t]+(?:and|or|&)[ \t]+{NAME})?"
    rf"|{NAME}[ \t]+(?:and|or|&)[ \t]+{NAME})[ \t]*\)?[ \t]*,?\s+"
    rf"(?:except(?:[ \t]+for|[ \t]+in)?|excluding|apart[ \t]+from|other[ \t]+than|but[ \t]+not)[ \t]+(?:the[ \t]+)?"
    rf"(?P<except>{_NAME_LIST})")
# "the outlying islands (A, B and C)", "suburbs (A, B)": a bracketed list of names right after a plural place noun.
_BRACKETED_AFTER_KIND = regex.compile(
    r"\b(?i:islands|districts|suburbs|towns|villages|areas|neighbou?rhoods|regions|cities|municipalities|counties"
    rf"|provinces|boroughs|parishes|wards)\s*\([ \t]*(?P<list>{_NAME_LIST})[ \t]*\)")
# "<place> (A, B and C)": a bracketed list of names right after a place name.
_BRACKETED_AFTER = regex.compile(
    rf"(?<![\p{{L}}'’\-])(?P<head>{NAME})[ \t]*\([ \t]*(?P<list>{_NAME_LIST})[ \t]*\)")


# ------------------------------------------------------------------------------------- the tenant's own offerings

# Last words that make a run of capitalised words the name of an offering ("Oops Cover", "Golden Years Club").
OFFERING_WORDS = frozenset("""Cover Plan Plans Club Programme Program Card Scheme Subscription Guarantee Warranty
Promise Membership Rewards Pass Protection Care""".split())
_OFFERING_WORD = r"(?:cover|plans?|club|programmes?|programs?|cards?|schemes?|subscriptions?|guarantee|warranty|" \
                 r"promise|membership|rewards|pass|protection|care)"
# "the Little Eyes programme", "our LensDrop subscription": the name before a lower-case offering word.
# (one lower-case word may come between: "the AXA and Bupa corporate plans", "our Gold family plan")
_BEFORE_OFFERING = regex.compile(rf"(?<![\p{{L}}'’\-])(?P<name>{NAME})[ \t]+(?:\p{{Ll}}+[ \t]+)?{_OFFERING_WORD}\b")
# "our CarePlus", "join Golden Years Club", "sign up for X", "members of X", "X is an optional add-on", "X members".
_OFFERING_BEFORE_NAME = regex.compile(
    rf"\b(?i:our|join(?:ing|s)?|sign(?:ing)?[ \t]+up[ \t]+(?:for|to)|subscribe[ \t]+to|enrol(?:l)?[ \t]+in|"
    rf"members[ \t]+of|member[ \t]+of|holders?[ \t]+of|covered[ \t]+by|part[ \t]+of)[ \t]+(?:the[ \t]+)?"
    rf"(?P<name>{NAME})")
_OFFERING_AFTER_NAME = regex.compile(
    rf"(?<![\p{{L}}'’\-])(?P<name>{NAME})[ \t]+(?:(?i:is|are)[ \t]+(?i:an?|our)[ \t]+(?:[\p{{L}}\-]+[ \t]+){{0,2}}"
    r"(?i:add-?on|extra|option|upgrade|benefit|offer|plan|scheme|membership|subscription|programme|program)"
    r"|(?i:members?|membership|holders?|subscribers?|customers)\b)")
_HEADING_OFFERING = regex.compile(rf"(?i)\b{_OFFERING_WORD}\b|\badd-?on\b|\bmembers?\b|\bsubscri")


def _offering_candidates(line: str) -> list[str]:
    out = []
    for m in regex.finditer(NAME, line):  # "Oops Cover", "Golden Years Club", "Gold Card"
        tokens = m.group().split()
        for i in range(1, len(tokens)):
            if tokens[i] in OFFERING_WORDS and tokens[i - 1] not in ("of", "on", "upon"):
                name = _clean(" ".join(tokens[: i + 1]))
                if name and len(name.split()) >= 2:
                    out.append(name)
    for pattern in (_BEFORE_OFFERING, _OFFERING_BEFORE_NAME, _OFFERING_AFTER_NAME):
        for m in pattern.finditer(line):
            name = _clean(m.group("name"))
            if name:
                out.append(name)
    return out


def offering_names(documents: Iterable[DocumentText]) -> tuple[str, ...]:
    """The names of the tenant's own offerings (plans, cover, clubs, cards, schemes, subscriptions ...) in its
    documents, sorted; never one the documents use for a person anywhere (the same veto as ``place_names``)."""
    docs = list(documents)
    names: set[str] = set()
    for doc in docs:
        lines = [doc.title, *doc.text.split("\n")]
        for i, raw in enumerate(lines):
            line = _MARKUP.sub(r"\1", raw)
            names.update(_offering_candidates(line))
            heading = _is_heading(lines, i) if i else (1, line.strip())
            if heading is not None and _HEADING_OFFERING.search(heading[1]):
                # a heading or title that names an offering: "CarePlus - how it works" over a plan's section
                m = regex.match(NAME, _BULLET.sub("", heading[1]).strip())
                if m and _LABEL_END.match(_BULLET.sub("", heading[1]).strip(), m.end()):
                    names.add(_clean(m.group()) or "")
    names.discard("")
    text = "\n".join(f"{d.title}\n{d.text}" for d in docs)
    places = frozenset(names)
    return tuple(sorted(n for n in names if not _given_name_first(n) and not _used_for_a_person(n, text, places)))


# The helpers ``safety.business_names`` shares (the same heading reading, markup stripping and person veto).
is_heading = _is_heading
used_for_a_person = _used_for_a_person
given_name_first = _given_name_first


def strip_markup(line: str) -> str:
    """The line without bold / code markup, a link as its text."""
    return _MARKUP.sub(r"\1", line)


__all__ = ["DocumentText", "contextual_place_names", "given_name_first", "is_heading", "offering_names",
           "place_names", "strip_markup", "trim_name", "used_for_a_person"]
