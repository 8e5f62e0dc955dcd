"""Lexical matching shared by the docs and industry tools: content-word stems of a text and how much of a question's
content a passage covers (the part sentence embeddings blur: exact terms, numbers, negation), and the one sentence
splitter both use (`sentences`: not after an abbreviation, an initial, "No." before a number or a bare "Yes."/"No.")."""

from __future__ import annotations

import math
import re
import threading
from typing import Any

from safety.text_fold import strip_accents
from tools.english import ENGLISH_MODEL

WORD = re.compile(r"[a-z0-9]+(?:[.'][a-z0-9]+)*")
NEGATION = re.compile(r"\b(not|no|never|none|cannot|without|isn't|aren't|doesn't|don't|won't|can't|nor)\b|n't\b",
                      re.I)

STOP = frozenset("""
a about above after again against all also am an and any are as at be because been before being below between both
but by can could did do does doing down during each few for from further had has have having he her here hers him
his how i if in into is it its itself just me more most my myself no nor not of off on once only or other our ours
ourselves out over own same she should so some such than that the their theirs them then there these they this
those through to too under until up very was we were what when where which while who whom why will with would you
your yours yourselves tell know please explain mean means meaning does anyone someone thing things get got let
us usually typically generally really much many kind
whats hows wheres whos whens thats theres dont doesnt didnt cant cannot isnt arent wont im ive youre
ups ins outs offs ons
""".split())  # the particle of a hyphenated noun ("check-ups", "walk-ins", "add-ons") is no word of its own

_SUFFIXES = ("ational", "ization", "fulness", "iveness", "ousness", "ations", "ation", "ments", "ment", "ness",
             "ings", "ing", "ied", "ed", "ly")


_NOT_PLURAL = frozenset(("lens", "cons", "pros", "sometimes", "always", "perhaps", "yes", "news", "series",
                         "species", "physics", "optics"))
# irregular forms whose suffix rules would not meet (lost / lose / loss, broke / broken / break, ...)
_IRREGULAR = {"lost": "los", "lose": "los", "loses": "los", "losing": "los", "loss": "los", "losses": "los",
              "broke": "break", "broken": "break", "stolen": "steal", "stole": "steal", "theft": "steal",
              "thefts": "steal", "paid": "pay", "bought": "buy", "sold": "sell", "worn": "wear", "wore": "wear",
              "made": "make", "gave": "give", "given": "give", "took": "take", "taken": "take", "kept": "keep",
              "children": "child", "kids": "child", "kid": "child", "chosen": "choos", "chose": "choos",
              "went": "go", "gone": "go", "told": "tell", "seen": "see", "saw": "see", "done": "do", "did": "do",
              "spent": "spend", "sent": "send", "met": "meet", "fell": "fall", "fallen": "fall",
              "examination": "exam", "examinations": "exam", "installment": "instal", "installments": "instal",
              "instalment": "instal", "instalments": "instal"}


def stem(word: str) -> str:
    """A light stem (lenses/lens -> lens, progressives/progressive -> progressiv, covered/covers -> cover), consistent
    between singular and plural, good enough for overlap."""
    w = word.lower()
    if w in _IRREGULAR:
        return _IRREGULAR[w]
    if w.isdigit() or len(w) <= 3:
        return w
    if w.endswith("ies") and len(w) > 4:
        w = w[:-3] + "y"
    elif w.endswith("sses"):
        w = w[:-2]
    elif w.endswith("s") and not w.endswith(("ss", "us", "is", "as")) and w not in _NOT_PLURAL and len(w) > 3:
        w = w[:-1]
    for suffix in _SUFFIXES:
        if w.endswith(suffix) and len(w) - len(suffix) >= 3:
            w = w[: -len(suffix)]
            break
    if len(w) > 4 and w.endswith("e"):
        w = w[:-1]
    if len(w) > 4 and w[-1] == w[-2] and w[-1] not in "ls":
        w = w[:-1]
    return w


def words(text: str) -> list[str]:
    text = strip_accents(text).lower().replace("’", "'")
    text = re.sub(r"n't\b", " not", text)
    text = re.sub(r"'(s|re|ve|d|ll|m)\b", "", text)
    return WORD.findall(text)


# two-letter words that carry meaning in optical questions ("which eye is OS", "what is PD", "UV protection");
# other two-letter words are function words or noise
SHORT_TERMS = frozenset("os od ou pd ar uv va cl rx iop dv nv".split())


def _content(w: str) -> bool:
    return w not in STOP and (len(w) > 2 or w.isdigit() or w in SHORT_TERMS)


def content_words(text: str) -> dict[str, str]:
    """Content-word stem -> the first surface word that has it (for looking a word up, e.g. in an embedding)."""
    out: dict[str, str] = {}
    for w in words(text):
        if _content(w):
            out.setdefault(stem(w), w)
    return out


def content_stems(text: str) -> set[str]:
    """Stems of the content words (no stopwords, no 1-2 letter words except numbers and `SHORT_TERMS`)."""
    return {stem(w) for w in words(text) if _content(w)}


def numbers(text: str) -> set[str]:
    return set(re.findall(r"\d+(?:\.\d+)?", text))


def rarity(count: int, total: int) -> float:
    """Inverse frequency weight of a word found in `count` of `total` texts: log((total + 1) / (count + 0.5)). A word
    every text shares (the topic) weighs little, one that picks a text out weighs more, one no text has weighs most."""
    return math.log((total + 1) / (count + 0.5))


def coverage(query: str | set[str], text: str | set[str]) -> float:
    """Share of the query's content stems that the text contains (0 when the query has none)."""
    q = content_stems(query) if isinstance(query, str) else query
    t = content_stems(text) if isinstance(text, str) else text
    return len(q & t) / len(q) if q else 0.0


# British / trade / informal optical words -> the terms reference texts mostly use (a domain vocabulary, not cases).
TERMS: tuple[tuple[str, str], ...] = (
    (r"short[- ]?sighted(ness)?", "nearsighted (myopia)"), (r"long[- ]?sighted(ness)?", "farsighted (hyperopia)"),
    (r"varifocals?( lens(es)?)?", "progressive lenses"), (r"transitions?( lens(es)?)?", "photochromic lenses"),
    (r"reactions? lens(es)?", "photochromic lenses"), (r"specs|spectacles", "glasses"),
    (r"sunnies|shades", "sunglasses"), (r"eye ?glasses", "glasses"),
    (r"(go|goes|turn|turns|get|gets|going|turning) dark(er)? (in|with) (the )?(sun|sunlight|light)",
     "photochromic lenses"),
    (r"own[- ]?(brand|label)|house[- ]brand", "own-label"),
    (r"contacts", "contact lenses"), (r"dioptres?", "diopter"), (r"cyl\b", "cylinder (CYL)"),
    (r"anti[- ]?glare", "anti-reflective"), (r"lazy eye", "amblyopia"), (r"squint(?!\w)", "strabismus"),
    (r"optometrist'?s? (script|rx)|script|rx", "prescription"),
    (r"(full|complete|thorough|proper) eye (tests?|exams?|examinations?|check(-?ups?)?)", "comprehensive eye exam"),
    (r"eye test|eye check(-?ups?)?", "eye exam"),
    (r"ortho[- ]?k\b", "orthokeratology"), (r"polari[sz]ed", "polarized"), (r"colou?red", "colored"),
    (r"centre", "center"), (r"fibre", "fiber"),
    # everyday business words -> the word policies mostly use (a vocabulary of the trade, not cases)
    (r"employees?|colleagues?|team members?", "staff"),
    (r"branch(es)?|shops?|outlets?", "store"),
)
# every alternative starts at a word boundary ("script" is not replaced inside "prescription")
_TERMS = [(re.compile(rf"\b(?:{pattern})", re.I), repl) for pattern, repl in TERMS]

# Everyday service wording -> the word a business's policies mostly use for the same thing (a vocabulary of how
# customers and staff talk about a shop's service, not cases): "money back" is a refund, "put it on hold" a pause.
SERVICE_TERMS: tuple[tuple[str, str], ...] = (
    (r"money back|cash back|reimburse(ment|d|s)?", "refund"),
    (r"(put|putting|place|placing) (it|them|this|that|(my|our|the|your) [\w-]+( [\w-]+)?) on hold|on hold|"
     r"freez(e|es|ing)|suspend(s|ed|ing)?", "pause"),
    (r"deals?|money off|reductions?|concessions?|special offers?|markdowns?", "discount"),
    (r"new (hires?|starters?|joiners?|recruits?|employees?)", "new staff"),
    (r"(sick|doctor'?s|medical) notes?|mc|medical cert(ificate)?s?", "medical certificate"),
    (r"reschedul\w*|re-?book(s|ed|ing)?|re-?arrang\w*", "change appointment"),
    (r"purchas(e|es|ed|ing)|bought", "buy"),
    (r"fetch(es|ed|ing)?|pick(s|ed|ing)? (them |it )?up", "collect"),
    (r"no[- ]?shows?|(did|do|does)(n't| not) (show|turn) up|not (showing|turning) up|fail(ed|s)? to (attend|arrive|"
     r"turn up)|miss(ed|es|ing)? (an |their |his |her |my |the )?(appointments?|bookings?)", "missed appointment"),
    (r"(do|does|did|have|has)(n't| not)( yet)? (collect(ed)?|fetch(ed)?|pick(ed)? (them |it )?up|come for)|"
     r"not (been )?(collected|picked up|fetched)|never (collected|picked up|fetched|came for)|left uncollected|"
     r"nobody (came|comes|has come) (back )?(for|to (fetch|collect|pick))", "uncollected"),
    (r"penalt(y|ies)", "fee"),
    (r"pensioners?|old folks|elderly|older (people|adults|customers|patients)|retirees?|oaps?", "seniors"),
    (r"varsity|uni|tertiary", "student"),
    (r"kids?|youngsters?|little ones", "children"),
    (r"sign(s|ed|ing)? off|authori[sz](e|es|ed|ing|ation)", "approve"),
    (r"located|whereabouts", "address location"),
    (r"instal?l?ments?|spread the (cost|payments?)|pay (it )?off (over|in)", "payment plan"),
    # everyday words and abbreviations for what shop documents name in full ("shut" ~ close, "amex" ~ American
    # Express, "fix" ~ repair): the common word a question uses, the one a policy or price list writes
    (r"shut(s|ting)?", "close"), (r"timings?|hrs", "opening hours"),
    (r"amex", "American Express"), (r"master ?card", "Mastercard"),
    (r"(apple|google|samsung) ?pay|tap(ping)? (to pay|my (card|phone))", "contactless"),
    (r"weekends?", "weekend Saturday Sunday"),
    (r"fix(es|ed|ing)?|mend(s|ed|ing)?", "repair"),
    (r"swap(s|ped|ping)?", "exchange"),
    (r"guarantee[sd]?", "warranty guarantee"),
    (r"walk[- ]?ins?|drop[- ]?ins?|without (an )?(appointment|booking)", "walk-in without appointment"),
)
_SERVICE_TERMS = [(re.compile(rf"\b(?:{pattern})\b", re.I), repl) for pattern, repl in SERVICE_TERMS]

# True synonyms of the optical and retail trade that no word embedding finds (MiniLM: "VAT" ~ "BTW" is no match):
# the national names of value added tax, the British "sight test", a frame's "arms" (its temples) and ordinals
# written with digits. Each maps to one shared spelling, in the question and in the documents alike; read by the
# docs answers only (`agents.extractive`). Not "multifocal": bifocals and multifocal contact lenses are
# multifocal too, so it is no synonym of "progressive lenses".
_ORDINALS = {"1st": "first", "2nd": "second", "3rd": "third", "4th": "fourth", "5th": "fifth", "6th": "sixth",
             "7th": "seventh", "8th": "eighth", "9th": "ninth", "10th": "tenth"}
SYNONYM_TERMS: tuple[tuple[str, str], ...] = (
    # written in capitals only: "btw" in a chat question is "by the way", "Iva" a name
    (r"(?-i:BTW|IVA|TVA|MwSt|MWST|USt|GST|HST|KDV|PPN|ALV|MVA|MOMS|DPH|ÁFA|PVM|PDV|ΦΠΑ)", "VAT"),
    (r"value[- ]added tax", "VAT"),
    (r"sight tests?", "eye exam"),
    (r"temples?", "temples arms"),
    (r"(?:" + "|".join(_ORDINALS) + r")", ""),  # replaced by the word (`_ORDINALS`)
)
_SYNONYM_TERMS = [(re.compile(rf"\b(?:{pattern})\b", re.I), repl) for pattern, repl in SYNONYM_TERMS]


def normalize_synonyms(text: str) -> str:
    """The text with the trade's true synonyms written one way (`SYNONYM_TERMS`: "BTW" -> VAT, "2nd" -> second)."""
    for pattern, repl in _SYNONYM_TERMS:
        text = pattern.sub(repl or (lambda m: _ORDINALS[m.group(0).lower()]), text)
    return text


# words an abbreviation's initials skip ("Value Added Tax", "gastos médicos mayores", "Department of Health")
_INITIAL_SKIP = frozenset(("of", "and", "the", "for", "de", "del", "la", "el", "y", "e", "da", "do", "&"))
ABBREVIATION_WORD = re.compile(r"^[A-Z]{2,6}$")


def abbreviation_phrases(abbreviation: str, text: str) -> list[list[str]]:
    """The runs of words of `text` whose initials spell `abbreviation` ("GMM" in "major medical insurance (gastos
    médicos mayores)" -> [["gastos", "medicos", "mayores"]]; "VAT" in "value added tax"), skipping small words
    inside the run ("of", "and", "de") unless their initial is the next letter ("DOH": Department of Health).
    Each run is the words as `words` reads them. Empty for fewer than two letters."""
    letters = abbreviation.lower()
    if len(letters) < 2 or not letters.isalpha():
        return []
    tokens = [w for w in words(text) if w.isalpha()]
    found: list[list[str]] = []
    for start, first in enumerate(tokens):
        if first[0] != letters[0] or first in _INITIAL_SKIP:
            continue
        run, i = [first], start + 1
        while len(run) < len(letters) and i < len(tokens):
            if tokens[i] in _INITIAL_SKIP and tokens[i][0] != letters[len(run)]:
                i += 1
                continue
            if tokens[i][0] != letters[len(run)]:
                break
            run.append(tokens[i])
            i += 1
        if len(run) == len(letters) and len(set(run)) > 1:
            found.append(run)
    return found


# "your yearly deductible (eigen risico)", "the GP (huisarts)": a phrase of 1-3 words a document glosses in brackets
# right after it with 1-3 words of another language or register (no digits, no function words: "(frame only)",
# "(27 April)" and "(see below)" are no glosses); a capitalized name before the brackets ("Leiden (main shop)") is
# described, not translated
_GLOSS = re.compile(r"((?:[A-Za-zÀ-ÖØ-öø-ÿ'’-]+ +){0,2}[A-Za-zÀ-ÖØ-öø-ÿ'’-]+) +\(([A-Za-zÀ-ÖØ-öø-ÿ'’ -]{2,40})\)")
MAX_GLOSS_WORDS = 3


def _gloss_phrase(before: str) -> tuple[list[str], str]:
    """The phrase a gloss explains: the trailing run of up to `MAX_GLOSS_WORDS` tokens before the brackets each holding
    a content word or an abbreviation ("your GP", "co-payment"), as (its words as `words` reads them, the tokens as
    written); empty when the run has a capitalized word that is no abbreviation (a name: "Leiden (main shop)")."""
    tokens: list[str] = []
    for token in reversed(before.split()):
        parts = [w for w in words(token) if w.isalpha()]
        if len(tokens) == MAX_GLOSS_WORDS or not parts or not any(
                _content(w) or token.strip("'’-").isupper() for w in parts):
            break
        tokens.insert(0, token)
    if any(t[:1].isupper() and not t.strip("'’-").isupper() for t in tokens):
        return [], ""
    return [w for t in tokens for w in words(t) if w.isalpha()], " ".join(tokens)


def gloss_pairs(text: str) -> list[tuple[list[str], list[str], str]]:
    """The glosses of a text as (phrase words, glossing words, the phrase as written), words as `words` reads them:
    "your yearly co-payment (Zuzahlung)" -> (["yearly", "co", "payment"], ["zuzahlung"], "yearly co-payment"). A
    glossing side of function words or digits ("(frame only)", "(27 April)") is none. See `glosses`."""
    out: list[tuple[list[str], list[str], str]] = []
    for line in text.splitlines():
        if line.lstrip().startswith("#"):
            continue
        for m in _GLOSS.finditer(line):
            inner = [w for w in words(m.group(2)) if w.isalpha()]
            if any(c.isdigit() for c in m.group(2)) or not inner or len(inner) > MAX_GLOSS_WORDS or \
                    not all(_content(w) for w in inner):
                continue
            left, written = _gloss_phrase(m.group(1))
            if left and not set(left) & set(inner) and (left, inner, written) not in out:
                out.append((left, inner, written))
    return out


def glossed_question(question: str, text: str) -> str:
    """The question with each phrase the text glosses in brackets written as the phrase it glosses ("does patching
    come out of our eigen risico?" -> "... our yearly deductible?"); the question itself when it has none."""
    out = question
    for _, right, written in gloss_pairs(text):
        out = re.sub(rf"(?i)\b{r'[^a-z0-9]+'.join(map(re.escape, right))}\b", written, out)
    return out


def glosses(text: str) -> dict[str, set[str]]:
    """The words a text glosses in brackets: stem -> the stems of what the text says they mean. Each word in the
    brackets means the phrase's head noun ("the basic health insurance (basisverzekering)": basisverzekering ~
    insurance); a one-word phrase means each word in the brackets too ("the GP (huisarts)" read the other way round),
    and sides of as many words also pair word by word ("yearly deductible (eigen risico)": risico ~ deductible and
    back). A gloss inside a heading, or after a capitalized name, is left out (it describes a place or a section)."""
    out: dict[str, set[str]] = {}
    for left, right, _ in gloss_pairs(text):
        left = [w for w in left if _content(w) or len(left) == 1]  # "co-payment": the word, not its particle
        pairs = [(w, left[-1]) for w in right]  # each glossing word means the phrase's head noun
        if len(left) == 1:
            pairs += [(left[0], w) for w in right]
        if len(left) == len(right):
            pairs += [p for a, b in zip(left, right, strict=True) for p in ((a, b), (b, a))]
        for a, b in pairs:
            out.setdefault(stem(a), set()).add(stem(b))
    return out


def normalize_service_terms(text: str) -> str:
    """The text with everyday service wording replaced by the words policies mostly use (`SERVICE_TERMS`)."""
    for pattern, repl in _SERVICE_TERMS:
        text = pattern.sub(repl, text)
    return text


def normalize_terms(text: str) -> str:
    """The text with regional and informal optical words replaced by the common reference terms."""
    for pattern, repl in _TERMS:
        text = pattern.sub(repl, text)
    return text


_common_english_words: frozenset[str] | None = None
_common_english_lock = threading.Lock()


def common_english() -> frozenset[str]:
    """English words in everyday use, lower case: a word of the spaCy English model's vocabulary
    (`tools.english.english_words`, which also holds rare strings and loan words: "selam", "salamat") that the
    embedding model's WordPiece vocabulary (the frequent words of English text) holds as a whole word. Empty when
    either is not installed (then no word is known to be foreign)."""
    global _common_english_words
    with _common_english_lock:
        if _common_english_words is None:
            try:
                from tools.embeddings import get_model
                from tools.english import english_words

                vocab = get_model().tokenizer.get_vocab()
                _common_english_words = frozenset(w for w in english_words() if w in vocab)
            except (ImportError, OSError, AttributeError):
                _common_english_words = frozenset()
        return _common_english_words


TAGGER_MODEL = ENGLISH_MODEL  # the spaCy model package the PII guard already installs
_tagger: Any = None
_tagger_failed = False
_tagger_lock = threading.Lock()


def tagger() -> Any:
    """spaCy's small English tagger alone (no parser, NER or lemmatizer), loaded once per process and shared by the
    SQL parser's word check and the docs coverage check; None when the model package is not installed."""
    global _tagger, _tagger_failed
    with _tagger_lock:
        if _tagger is None and not _tagger_failed:
            try:
                import spacy

                _tagger = spacy.load(TAGGER_MODEL, exclude=["parser", "ner", "lemmatizer", "senter",
                                                            "attribute_ruler"])
            except (ImportError, OSError):
                _tagger_failed = True
        return _tagger


def negated(text: str) -> bool:
    return bool(NEGATION.search(text))


SENTENCE_END = re.compile(r"((?<=[.!?])|(?<=[.!?]\*\*)|(?<=[.!?][\"'\u201d)]))\s+(?=[A-Z0-9\"'(*\u201c])")
# a full stop that ends an abbreviation or an initial does not end the sentence ("Dr. Naidoo", "Rs. 600", "St. Kilda")
ABBREVIATION = re.compile(r"(?:^|[\s(])(Dr|Mr|Mrs|Ms|Prof|St|Mt|Rs|Fr|approx|incl|excl|e\.g|i\.e|vs|Ave|Rd|"
                          r"Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec|Mon|Tue|Tues|Wed|Thu|Thurs|Fri|Sat|"
                          r"Co|Ltd|Inc|Pty|Pte|Bhd|[A-Z])\.$")
NUMBER_SIGN = re.compile(r"(?:^|[\s(])Nos?\.$")  # "No. 5"
# a bare reply is no sentence of its own: "No. We refer you to an ophthalmologist." is one answer
BARE_REPLY = re.compile(r"^(yes|no|nope|sorry|absolutely|of course|certainly|not yet|unfortunately( not)?|"
                        r"(yes|no),? (we|you|it|they) (do|does|can|don't|doesn't|can't|cannot|are|aren't|is|isn't))"
                        r"[.!]$", re.I)


def _split_at_ends(item: str) -> list[str]:
    cuts = [m.end() for m in SENTENCE_END.finditer(item)]
    return [item[a:b].strip() for a, b in zip([0, *cuts], [*cuts, len(item)], strict=True) if item[a:b].strip()]


def sentences(item: str) -> list[str]:
    """One paragraph or list item cut into sentences, not after an abbreviation or an initial."""
    out: list[str] = []
    for piece in _split_at_ends(item):
        if out and (ABBREVIATION.search(out[-1]) or BARE_REPLY.match(out[-1])
                    or (NUMBER_SIGN.search(out[-1]) and piece[:1].isdigit())):
            out[-1] += " " + piece
        else:
            out.append(piece)
    return out


__all__ = ["ABBREVIATION_WORD", "SENTENCE_END", "SERVICE_TERMS", "STOP", "SYNONYM_TERMS", "TERMS",
           "abbreviation_phrases", "common_english", "content_stems", "content_words", "coverage", "negated",
           "normalize_service_terms", "normalize_synonyms", "normalize_terms", "numbers",
           "rarity", "sentences", "stem", "tagger", "words"]
