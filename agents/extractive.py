"""Extractive answers from retrieved passages: every sentence of the passages is scored against the question, the
answering sentence is quoted first with its citation, and when no sentence scores high enough the answer says so.

Sentences: wrapped lines are joined; list items, Markdown table rows (each cell named by its column header) and
sentences are units (not cut after an abbreviation or initial, "Dr. Naidoo", "Rs. 600", nor after a bare "No." that
the next sentence explains); Markdown headings and short all-capitals lines are section headings. A sentence's
context is its document title plus its section heading ("LensLink" + "Plans" for "Daily disposables: $54 a month").

Score of a sentence = `W_SEMANTIC` * cosine(question, context + sentence) (MiniLM) + `W_LEXICAL` * the weighted
share of the question's specific words that the sentence holds, plus `ANSWER_TYPE_BONUS` when the sentence holds the
kind of thing the question asks for (a quantity, price in any currency, duration or count for "how much / how long /
what fee ..."; a person or role for "who approves ..."; a verdict such as "not", "only", "free", "must" for a yes/no
question, also one set up by a clause, "if they still can't adapt, do they ..."), times a small factor for the
passage's retrieval rank. A sentence whose limits the question's amount or age falls outside ("refunds up to $500"
for a $700 one, "children under 16" for a 17-year-old) scores `OUT_OF_RANGE_FACTOR` of itself. In the lexical share:
- each question word weighs by its inverse frequency among the candidate sentences (the topic word every sentence
  shares weighs less than the word that picks one out: "lost" in "are lost glasses covered?");
- a word only in the context counts half; a word missing from the sentence counts by its most related word there
  (MiniLM word cosine >= `SOFT_MIN`: dog ~ pets), regional terms count as their common term (specs ~ glasses), and
  a misspelt word as the passage word it is one or two letters off ("warrenty"), and everyday service wording as
  the word policies use (`tools.text_match.SERVICE_TERMS`: "money back" ~ refund, "put it on hold" ~ pause);
- an amount of money in the question is a detail of the case, not a word to find;
- generic words ("policy") and words that only shape the question ("how long", "does it last") are left out, and so
  are superlatives ("cheapest", "most expensive"): they say which of the things asked about is wanted, and for a
  price (`PRICE_SUPERLATIVE`) the sentence with the lowest (highest) amount among the near-best priced ones is quoted
  first; with fewer than two such to compare the documents do not say which is cheapest;
- a hyphenated word is also its joined spelling ("re-fit" ~ refit), and "cost" after a plural noun is the verb
  ("what do the progressive lenses cost?"), not a noun the question is about;
- a place the passages lack as written counts as held where they name the same place otherwise ("Cologne" ~ Köln),
  the country it lies in, or a country as the territory a rule covers ("ship to Muscat?" ~ "not outside the UAE"),
  and an abbreviation as its spelt-out phrase ("GMM" ~ gastos médicos mayores) and back (`_stands_in`).
In a question-and-answer document the document's own question is not quoted: the sentences after it answer it,
the first one first (`_faq_answers`). When the best sentence lacks the kind of thing asked and the next sentence of
its passage has it, both are quoted, and so is the next sentence of the quoted one's section that holds a word of
the question it lacks or a limit the question's amount or age falls within (`_with_completing_sentence`); a sentence
that leads into a list brings the items; a "which stores ..." question quotes up to `MAX_LIST_SENTENCES` near-equal
sentences. Once the documents cover the question, the best sentences are quoted in the order of their score plus
their closeness in meaning, plus a bonus when they hold the kind of thing asked for, less a malus when they are a
question themselves (`_answer_order`).

The documents cover a question when the best sentence scores at least `MIN_ANSWER_SCORE` and either scores at least
`SURE_SCORE`, or the passages hold most (`MIN_PASSAGE_COVER`, weighted as above) of the question's specific words
and every word of the noun phrases it is about (a question about a "trial" is not answered by passages that never
mention one, nor one about a "seniors discount" by passages about the students' one; time words, "someone" and words
that name the form of the answer, "the window", "the age limit", do not count as what a question is about, nor
does who its story is about, "a lady", "my mum": `STORY_PEOPLE`). A long question (`LONG_QUESTION_WORDS`) may tell
a story around what it asks: one noun of the story the passages lack ("guy wants to return ...") is allowed, as it
is in a shorter question whose best sentence scores `ONE_NOUN_SCORE` (close to sure); and a question that tells its
story before the clause that asks ("left my specs on the dashboard in the sun and the frame warped - is that under
guarantee?") is also covered when that clause alone is (`ask_clause`). A word the passages lack counts as held
when a phrase of one to three words of the answering sentence says it in other words, MiniLM >= `SAME_PHRASE_MIN`
("a dive mask" ~ "Diving mask", `_said_otherwise`). Names are themselves: a name
of the question ("Medicaid", "the Loveland office") never stands in for a related word, a
sentence naming something else instead ("the Boulder office") scores `OTHER_NAME_FACTOR` of itself (and one about
another kind of product or service than the one asked about, spectacles for contact lenses, `OTHER_THING_FACTOR`),
and a short question about a named thing is covered only by what the passages say about that thing.

A question asked in another language than the passages (an English question about Spanish documents,
`tools.multilingual.asks_across_languages`) shares no words with them: their sentences are scored by a multilingual
sentence embedding alone, and the documents cover it when the best one reaches `CROSS_MIN_SCORE`
(`_across_languages`).
"""

from __future__ import annotations

import difflib
import functools
import re
import unicodedata
from collections.abc import Sequence
from contextvars import ContextVar
from dataclasses import dataclass, replace
from typing import Any

from safety.gazetteer import is_personal_name
from tools.doc_aliases import name_words, uses_other_name
from tools.embeddings import embed
from tools.multilingual import asks_across_languages, similarity
from tools.place_forms import (
    PLACE_AFTER,
    PLACE_BEFORE,
    countries_named,
    fold,
    is_place,
    place_abbreviation,
    question_places,
    territory_countries,
)
from tools.text_match import (
    ABBREVIATION_WORD,
    STOP,
    abbreviation_phrases,
    common_english,
    content_stems,
    content_words,
    glossed_question,
    glosses,
    normalize_service_terms,
    normalize_synonyms,
    normalize_terms,
    rarity,
    stem,
    tagger,
    words,
)
from tools.text_match import sentences as _sentences

REFERS_BACK = re.compile(r"^(it|this|that|they|these|those|the (plan|cover|scheme|service|programme|program|fee|"
                         r"charge|offer|discount|guarantee|warranty))\b(?! (is|are) (a|an|the)\b)", re.I)
CONTINUES = re.compile(r"^(instead|however|but|otherwise|in that case|if so|if not|alternatively|unless|except|"
                       r"in this case|in such cases|this means|that means)\b", re.I)
LIST_ITEM = re.compile(r"^\s*(\d+[.)]|[-*•])\s+")
HEADING = re.compile(r"^\s*#+\s*(.*)$")
CAPS_HEADING = re.compile(r"^\s*([A-Z][A-Z0-9 &'/,()-]{2,60}[A-Z0-9)])\s*:?\s*$")  # "MEDICARE AND EYE TESTS"
# "**Opening hours**", "**Jamsil branch**"; not a bold question ("**Do you deliver?**"), which `_faq_answers` answers
BOLD_HEADING = re.compile(r"^\s*(?:\*\*|__)([^*_\n]{2,60}?[^?*_\s])\s*:?\s*(?:\*\*|__)\s*:?\s*$")
# a sentence that announces what comes next ("... as follows:", "here is what happens.", "are listed below."): the
# sentences or list items after it are the answer it leads into
LEADS_IN = re.compile(r":\s*$|\b(as follows|the following|(listed|set out|shown|given) below|below are|"
                      r"here(\s+is|'s|\u2019s)\s+(what|how)(\s+\w+){0,2})\W*$", re.I)
TABLE_LINE = re.compile(r"^\s*\|.*\|\s*$")
TABLE_RULE = re.compile(r"^\s*\|?\s*:?-{2,}:?\s*(\|\s*:?-{2,}:?\s*)*\|?\s*$")
MIN_CHARS = 25
SHORT_FACT = re.compile(r"\d|\b(closed|free)\b", re.I)  # what makes a short line a fact ("Sunday: closed")
FACT_LINE_CHARS = 90  # a line of a list of facts without list markers ("Bifocal lenses - £95") is at most this long

W_SEMANTIC, W_LEXICAL = 0.55, 0.45
ANSWER_TYPE_BONUS = 0.08
RANK_DECAY = 0.03  # per retrieval rank below the first passage
MIN_ANSWER_SCORE = 0.35  # below: the documents do not cover the question (measured on bench/data/answers_docs)
# The two cover thresholds, measured over all docs dev sets (tuning, held-out 1-15: 2,138 covered and 374 uncovered
# questions, answer path replayed) by the count of right answers less wrong ones (a quote without the fact, a quote
# for an uncovered question); a leave-one-set-out search picked the same side in every fold (0.55 and 0.45 before:
# 43 more covered questions right, 6 fewer uncovered ones refused, 7 more quotes without the fact)
SURE_SCORE = 0.50  # at or above: covered whatever the word overlap
MIN_PASSAGE_COVER = 0.40  # share of the question's specific words the retrieved passages must contain otherwise
COVER_PASSAGES = 4  # the passages that must hold the question's words: the first ones, plus the best sentence's own
FAQ_QUESTION = re.compile(r"^\W*(q|question)\s*\d*\s*[:.)-]|\?\s*$", re.I)  # a question the document asks itself
FAQ_QUESTION_FACTOR = 0.6
FAQ_SENTENCES = 3  # the sentences after a document's question that answer it
FAQ_STEP = 0.03
THINGS: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("contact lenses", re.compile(r"\bcontacts\b|\bcontact ?lens|\bdailies\b|\bmonthlies\b|\bortho-?k\b", re.I)),
    ("spectacles", re.compile(r"\b(spectacles|glasses|specs|eyeglasses|eyewear|frames?)\b", re.I)),
    ("sunglasses", re.compile(r"\b(sunglasses|sunnies|shades)\b", re.I)),
    ("eye examinations", re.compile(r"\b(eye ?(exam|test|check)s?|examinations?|sight ?tests?)\b", re.I)),
)
OTHER_THING_FACTOR = 0.6  # a sentence about another kind of product or service than the one asked about
OUT_OF_RANGE_FACTOR = 0.5  # a sentence whose limit the question's amount or age falls outside ("up to $500")
OTHER_NAME_FACTOR = 0.5  # a sentence that names something else and none of the question's names the passages hold
LONG_QUESTION_WORDS = 6  # specific words from which a question is long enough to hold a story around what it asks
MAX_SENTENCES = 3
ONE_NOUN_SCORE = 0.52  # from this score one noun of the question the passages lack does not unmake the answer
LOOSE_PHRASE_HELD = 2  # words of a noun phrase the passages hold from which its one missing modifier is not decisive
SUPERLATIVE_TAGS = frozenset(("JJS", "RBS"))
# "the cheapest ...", "lowest price", "most expensive": which of several priced things is asked for
PRICE_SUPERLATIVE = re.compile(r"\b(?P<low>cheapest|lowest[- ](price[ds]?|cost)|least expensive|most affordable)\b|"
                               r"\b(?P<high>dearest|priciest|most expensive|highest[- ]price[ds]?)\b", re.I)
HYPHENATED = re.compile(r"\b([A-Za-z]+)[-\u2010\u2011]([A-Za-z]+)\b")
MAX_LIST_SENTENCES = 6  # "which stores open on Sundays": the answer is several rows
LIST_WITHIN = 0.06  # ... each scoring this close to the best one
SPELLING_CUTOFF = 0.84  # difflib ratio from which a question word is a misspelling of a passage word
LEAD_IN_ITEMS = 5  # items quoted after a sentence that ends with a colon
LISTING = re.compile(r"^\W*(which|what)\s+(of\s+(our|the)\s+)?\w+s\b(?!\s+(is|was|does)\b)|\b(list|all the|every)\b",
                     re.I)
# The order of the sentences to quote, once the documents cover the question (`_answer_order`): score plus
# RANK_SEMANTIC * cosine, plus RANK_KIND when the sentence holds a kind of thing the question asks for (a price, a
# duration, a time, a person...), less RANK_QUESTION for a sentence that is itself a question. A conditional-logit
# model of which candidate holds the fact, fitted leave-one-set-out on the docs dev sets (tuning, held-out 1-16;
# per fold: cosine 0.30-0.34, kind 0.060-0.069, question 0.18-0.19 in units of the score; these values replayed)
RANK_SEMANTIC = 0.33
RANK_KIND = 0.06
RANK_QUESTION = 0.2
RANK_CANDIDATES = 15  # how many of the best-scoring sentences are re-ordered
CROSS_PASSAGES = 6  # passages whose sentences answer a question asked in another language than theirs
CROSS_MIN_SCORE = 0.35  # multilingual cosine from which such a sentence answers (made-up Spanish tenant: answering
# sentences 0.36-0.69, best sentence for questions the documents do not cover <= 0.32)
CROSS_SUPPORT_MIN = 0.30  # ... and from which a sentence within `SUPPORT_WITHIN` of the answering one is quoted too
KIND_WITHIN = 0.2  # a sentence holding the one kind asked for may answer when it scores this close to the best one
SUPPORT_WITHIN = 0.12  # further sentences are quoted only when they score within this of the best one
SOFT_MIN = 0.55  # MiniLM cosine of two words from which one stands in for the other (dog ~ pets, cost ~ fee)
SOFT_COVER_MIN = 0.65  # stricter for deciding that the passages hold a word at all (sunglasses is not glasses)
SOFT_CREDIT = 0.8  # a related word counts this share of its cosine
PLACE_SHORT_FORM = re.compile(r"[a-z]{2,5}")  # a question word that may shorten a place name ("Ksm", "Nai")
FOREIGN_MAX_LETTERS = 4  # a word of another language excused from the cover check is a particle or a short word
SHORT_ROOT_MIN = 0.75  # MiniLM cosine from which a 3-letter word is the start of the same word ("max" ~ maximum)
SAME_PHRASE_MIN = 0.81  # MiniLM cosine from which a phrase of the answering sentence says a word ("dive" ~ diving)
PHRASE_WORDS = 3  # the longest phrase of the answering sentence compared with a missing word
PHRASE_TOKEN = re.compile(r"[^\W\d_]+(?:['\u2019-][^\W\d_]+)*")
# a clause that opens like a question ("..., can you fix it?", "... - is that covered?"), and where clauses part
ASK_OPENER = re.compile(r"^\W*(what|what's|whats|when|where|which|who|whom|whose|why|how|is|are|can|could|do|does|did|"
                        r"will|would|may|might|should|shall|am|was|were|has|have|must|any|anything|ok|okay)\b", re.I)
CLAUSE_SPLIT = re.compile(r"[.?!;:]+\s+|,\s+|\s+[-\u2013\u2014]+\s+")

ASKS_QUANTITY = re.compile(
    r"\b(how (much|many|long|far|often|soon|quickly|fast|old|late|early)|what (is |are |'s )?(the )?"
    r"(fee|cost|price|charge|excess|deadline|window|notice|limit|age|amount|rate|discount)|fees?|costs?|"
    r"price|charged?|excess|what time|which days?|per (month|year|week)|until)\b|^\W*when\b", re.I)
HAS_QUANTITY = re.compile(
    r"\d|\b(one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|once|twice|half|free|"
    r"no charge|no cost|at no|days?|weeks?|months?|years?|hours?|minutes?)\b",
    re.I)
# Finer kinds of quantity: (what the question asks, what a sentence holding that kind of answer has). A question that
# asks for one of these wants it, not any number: "how far" wants a distance, not "30 frames"; "how much" a price.
# An amount of money in any currency: a currency sign (every Unicode currency symbol, optionally with a country
# prefix: S$, HK$, R$), a currency's short sign written with letters (R 495, Rs. 500, RM50, kr 300: case-sensitive)
# or ISO code (AED 150, 150 ZAR), or a number followed by the currency's name.
_SIGNS = "".join(re.escape(chr(c)) for c in range(0x20, 0x20C1) if unicodedata.category(chr(c)) == "Sc")
# the ISO 4217 codes of the world's currencies, but those that are also capitalized English words ("ALL 3 shops",
# "TOP", "CUP", "SOS")
_CODES = ("AED|AFN|AMD|ANG|AOA|ARS|AUD|AWG|AZN|BBD|BDT|BGN|BHD|BIF|BMD|BND|BRL|BSD|BTN|BWP|BYN|BZD|CAD|CDF|CHF|CLP|"
          "CNY|COP|CRC|CVE|CZK|DJF|DKK|DOP|DZD|EGP|ETB|EUR|FJD|GBP|GHS|GIP|GMD|GNF|GTQ|GYD|HKD|HNL|HTG|HUF|IDR|ILS|"
          "INR|IQD|IRR|ISK|JMD|JOD|JPY|KES|KGS|KHR|KMF|KRW|KWD|KYD|KZT|LAK|LBP|LKR|LRD|LSL|LYD|MAD|MDL|MGA|MKD|MMK|"
          "MNT|MRU|MUR|MVR|MWK|MXN|MYR|MZN|NAD|NGN|NIO|NOK|NPR|NZD|OMR|PAB|PEN|PGK|PHP|PKR|PLN|PYG|QAR|RON|RSD|RUB|"
          "RWF|SAR|SBD|SCR|SDG|SEK|SGD|SLE|SRD|SSP|STN|SYP|SZL|THB|TJS|TND|TRY|TTD|TWD|TZS|UAH|UGX|USD|UYU|UZS|VES|"
          "VND|VUV|XAF|XCD|XOF|XPF|YER|ZAR|ZMW|ZWL")
# local short forms written with letters, before or after the amount (case-sensitive): the Moroccan and Emirati
# dirham (DH, Dhs), the Kenyan shilling (KSh), the Turkish lira (TL), the Bangladeshi taka (Tk), and the forms
# written after the amount as often as before it: the Nordic krone / krona / króna ("249 kr.", "1.990 Kr"), the
# Polish złoty (zł), the Czech koruna (Kč), the Hungarian forint (Ft)
_LOCAL = r"DH|Dhs?|KSh|Ksh|TL|Tk|kr|Kr|zł|Kč|Ft"
_CURRENCY_WORDS = (r"dollars?|bucks|euros?|pounds?|quid|cents?|pence|p|rand|rupees?|ringgit|dirhams?|riyals?|"
                   r"dinars?|yen|yuan|renminbi|francs?|kron(a|or|e|er)|pesos?|reais|real|baht|shekels?|liras?|dong|"
                   r"won|naira|shillings?|cedis?|kwacha|rupiah|zloty|forint|lei|leu")
# a currency written before the amount
# (the Peruvian sol's "S/ 450" too)
_CURRENCY = (rf"(?:[A-Z]{{0,3}}[{_SIGNS}]|(?<![\w/])(?-i:S/)|"
             rf"(?-i:\b(?:R|Rs\.?|Rp|RM|kr|Kr|Fr\.|CHF|zł|Kč|Ft|{_LOCAL}|{_CODES})))")
_MONEY = rf"{_CURRENCY}\s?\d|\d\s?((?-i:{_CODES}|{_LOCAL})|{_CURRENCY_WORDS})\b"
# "free" is a price on its own or as "tax-free", "interest-free"; "preservative-free", "latex-free" say what a product
# lacks, not what it costs
_FREE = r"(?<![\w-])free\b|\b(tax|interest|duty|charge|cost|fee|commission|vat|postage|delivery)-free\b"
_PRICE = (rf"{_MONEY}|{_FREE}|\bno (extra |additional |\w+ )?(charge|cost|fee|penalty)|"
          r"\bwithout (a |any )?(extra )?(charge|cost|fee|penalty)|"
          r"at no|\d\s?%|\bper ?cent|\bhalf price|\bgap\b|\bfull price")
_AMOUNT = r"\d{1,3}(?:[, ]\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?"
# an amount with its currency before it ("R$ 1.890"), or its code or short form after it ("2,400 DH", "150 EGP")
AMOUNT_MONEY = re.compile(rf"{_CURRENCY}\s?({_AMOUNT})(?!\s?%)|\b({_AMOUNT})\s?(?-i:{_CODES}|{_LOCAL})\b", re.I)
AMOUNT_AGE = re.compile(rf"\b({_AMOUNT})[- ]?(?:years?|yrs?)[- ]?old\b|\baged? ({_AMOUNT})\b", re.I)
AMOUNT_BOUND = re.compile(
    r"(?:(?P<upper>up to|at most|no more than|maximum of|max\.?|under|below|less than|younger than)|"
    r"(?P<lower>over|above|more than|exceeding|at least|from|older than|aged))\s+(?P<amount>\S+(?: years? old)?)",
    re.I)
AGE_CONTEXT = re.compile(r"\b(child(ren)?|kids?|teens?|teenagers?|minors?|adults?|seniors?|pensioners?|aged?|"
                         r"years? old|birthday|students?)\b", re.I)
ANSWER_KINDS: tuple[tuple[re.Pattern[str], re.Pattern[str]], ...] = (
    (re.compile(r"\bhow much\b(?! (notice|time|leave|holiday|warning))|\b(cost|costs|price|prices|priced|fee|fees|"
                r"charge|charges|excess|pay|discount|money off|% off)\b", re.I), re.compile(_PRICE, re.I)),
    (re.compile(r"\bhow far\b(?! (ahead|in advance|back|out|before))|\bdistance\b|\bradius\b", re.I),
     re.compile(r"\d\s?(km|kilomet(er|re)s?|miles?|mi|met(er|re)s?|m)\b|\bmiles?\b|\bkilomet", re.I)),
    (re.compile(r"^\W*where\b|\baddress\b|\blocated\b|\blocation\b", re.I),
     re.compile(r"\b\d+\w?\s+[A-Z]\w+(\s+[A-Z]\w+)*\s+(street|st|avenue|ave|road|rd|lane|ln|square|drive|dr|way|"
                r"boulevard|blvd|place|parade|quay|mall|centre|center|plaza)\b|\b(street|avenue|road|lane|mall|"
                r"shopping cent(er|re)|located|next to|opposite|beside|floor|unit \d)\b", re.I)),
    # "who approves ..." wants a person or a role
    (re.compile(r"^\W*who\b|\bwho (has|needs|must|should|can|may|is|are|do|does|will) ", re.I),
     re.compile(r"\b(managers?|directors?|supervisors?|owners?|optometrists?|opticians?|ophthalmologists?|dispensers?|"
                r"staff|team|head|lead|officers?|department|hr|partners?|assistants?|technicians?|receptionists?|"
                r"doctors?|nurses?|(approved|signed off|authori[sz]ed|done|handled|seen|checked) by)\b|"
                r"(?-i:\b(Dr|Mr|Mrs|Ms|Prof)\.? [A-Z])", re.I)),
    (re.compile(r"\bwhat time\b|\bopen(ing)?\b(?! (a|an|the|box|boxes|packet))|\bclos(e|es|ing)\b|"
                r"\bshut(s|ting)?\b|\bhours\b|\btimings?\b", re.I),
     re.compile(r"\b\d{1,2}(:\d{2})?\s?(am|pm|a\.m\.|p\.m\.)|\b\d{1,2}[:.]\d{2}\b|\bnoon\b|\bmidnight\b|"
                r"\bclosed\b", re.I)),
)
# Questions that ask for nothing but one kind of thing: an answer without it answers something else ("How far will
# the optometrist travel?" is not answered by "brings 30 frames", "How much does a fitting cost?" not by its length).
# Yes/no questions are left out ("is the exam fee ever refunded?" is answered by "never").
_COUNT = (r"(\d+|a|an|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|fourteen|fifteen|twenty|thirty|"
          r"forty|sixty|ninety|several|few|half an?|a couple of)")
_DURATION = (rf"\b{_COUNT}(\s*(-|\u2013|to|or)\s*{_COUNT})?[\s-]*((working|business|calendar|full|consecutive|school|"
             r"clear)\s+)?(days?|weeks?|fortnights?|months?|years?|yrs?|hours?|hrs?|minutes?|mins?)\b|\bfor life\b|"
             r"\blifetime\b|\bovernight\b|\bsame[- ]day\b|\bwhile (you|the customer|they|the patient) waits?\b")
_COUNTED_TIME = (r"\b(\d+|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|fourteen|fifteen|twenty|"
                 r"thirty|forty|sixty|ninety|half an?|a couple of|several|few)(\s*(-|\u2013|to|or)\s*\d+)?[\s-]*"
                 r"((working|business|calendar|full|consecutive|school|clear|paid)\s+)?"
                 r"(days?|weeks?|fortnights?|months?|years?|yrs?|hours?|hrs?|minutes?|mins?|nights?)\b")
ASKING_WORDS = frozenset(stem(w) for w in ("cost", "costs", "price", "prices", "fee", "fees", "charge", "charges",
                                           "much", "far", "long", "distance", "time", "worth", "value"))
REQUIRED_KINDS: tuple[tuple[re.Pattern[str], re.Pattern[str]], ...] = (
    # "is there a fee for ...", "do you charge for ...", "how much extra do I pay for ...": a price, "free" or "no
    # charge" answers it; that the service exists does not
    (re.compile(r"^\W*(how much ((extra|more) (?!for))?(is|are|does|do|did|will|would|should|for)\b"
                r"(?!.*\b(notice|time|leave|holiday|warning|pto)\b)|what (does|do|would|will) .{0,60}\bcost\b|"
                r"what('s| is| are)( the)? (price|cost|fee|charge)s?\b|"
                r"(is|are) there (a|any) (fee|charge|cost|price)s?\b|(do|does|will|would) (you|they|we|it) charge\b)",
                re.I), ANSWER_KINDS[0][1]),
    (re.compile(r"^\W*how far\b(?! (ahead|in advance|back|out|before))", re.I), ANSWER_KINDS[1][1]),
    (re.compile(r"^\W*how long (is|are|does|do|did|will|would|should|can|have|has|must)\b", re.I),
     re.compile(_DURATION, re.I)),
    # "how many hours a day should ...", "how many weeks of holiday ...": a number of some unit of time, not "a number
    # of hours a day" ("how many days a week are you open" is answered by the days: left out)
    (re.compile(r"^\W*how many (minutes|hours|days|nights|weeks|months|years)\b(?!\s+(a|per|each|every) week\b)",
                re.I), re.compile(_COUNTED_TIME, re.I)),
    # "what time does the van get to X?" wants a time of day (or "closed"), not the day or how often it comes
    (re.compile(r"^\W*(at )?what time (is|are|does|do|did|will|would|should|can)\b", re.I), ANSWER_KINDS[4][1]),
    # "what is the phone number of ...": a number to call, not where the store is
    (PHONE_ASKED := re.compile(r"\b(phone|telephone|tel|whatsapp|mobile|contact|landline|fax) ?(number|no\b|#)|"
                               r"\b(number|no\.?) (to call|to ring|to text)\b", re.I),
     re.compile(r"\+?\(?\d[\d ()./-]{5,}\d", re.I)),
)
# "do you have a store in Ankara?", "is there a branch near Iloilo", "any shop in Sliema": whether the business is there
ASKS_BRANCH_IN = re.compile(r"\b(have|is there|are there|got|open)\s+(a|an|any|one|your)?\s*(stores?|branch(es)?|"
                            r"shops?|outlets?|offices?|locations?|clinics?)\s+(in|at|near|around)\b", re.I)
# "what's the name of the Kadıköy manager", "which banks take part", "which eye clinic do you recommend": a name,
# other than the ones the question itself says (`_names_other_than`), answers it; "participating banks" does not
NAME_ASKED = re.compile(
    r"\b(what('s| is| are)|tell me) the names? of\b|\bwho (is|are) (the|your|our) ([\w-]+ ){0,3}(manager|owner|"
    r"director|optometrist|optician|contact|supervisor|doctor)s?\b|^\W*(which|what) ([\w-]+ ){0,2}(banks?|clinics?|"
    r"hospitals?|insurers?|insurance compan(y|ies)|labs?|laborator(y|ies)|couriers?|brands?|doctors?|"
    r"ophthalmologists?)\b", re.I)
# "how much do I pay ...", "how long do we have ...": the asked quantity is the person's own part, named by no noun
ASKS_OWN_PART = re.compile(r"^\W*(how (much|long|far)|what|at what \w+)\s+(\w+\s+)?(i|we|you|they|he|she|one)\b",
                           re.I)
# a yes/no question, also after a clause or a sentence that sets it up ("if they still can't adapt, do they ...")
ASKS_VERDICT = re.compile(r"(^|[,.;:?!]\s+)(is|are|can|could|do|does|did|will|would|may|might|should|am|was|were|"
                          r"has|have|must)\b", re.I)
HAS_VERDICT = re.compile(r"\b(not|no|never|only|free|must|allowed|covered|included|excluded|cannot|n't|may|"
                         r"always|unless|except)\b", re.I)
QUESTION_FORM = frozenset(stem(w) for w in (
    "long", "far", "fast", "quick", "quickly", "soon", "often", "old", "late", "early", "last", "per", "good",
    "valid", "much", "many"))  # they shape a question ("how long", "does it last", "good for"), not its topic
TIME_WORD = re.compile(r"^(days?|weeks?|months?|years?|hours?|minutes?|times?|today|tomorrow|yesterday|weekends?|"
                       r"mornings?|evenings?|nights?|(jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*|"
                       r"(mon|tues|wednes|thurs|fri|satur|sun)days?)$", re.I)
# a part of the day a question names ("open friday morning?", "late afternoon") is answered by the clock times of the
# hours ("Friday 15:00-23:00", "Sat 9am-1pm"): a sentence with a clock time holds it
DAY_PARTS = frozenset(stem(w) for w in ("morning", "mornings", "afternoon", "afternoons", "evening", "evenings",
                                        "lunchtime", "lunch", "midday", "noon", "night", "nights", "tonight"))
CLOCK_TIME = re.compile(r"\b([01]?\d|2[0-3])[:h][0-5]\d\b|\b(1[0-2]|0?\d)([:.][0-5]\d)?\s?([ap]\.?m\b\.?)|"
                        r"\b(noon|midday|midnight)\b", re.I)
ANYONE = frozenset(stem(w) for w in ("people", "person", "someone", "somebody", "anyone", "anybody", "everyone",
                                     "everybody", "nobody", "one", "thing", "something", "anything", "lot", "way"))
# who a story is about ("a lady picked up her specs ...", "my mum is housebound ..."): the person the rule applies
# to, never what the question asks about (the groups a rule names, "seniors", "students", "kids", "my husband",
# are kept)
STORY_PEOPLE = frozenset(stem(w) for w in (
    "lady", "ladies", "man", "men", "woman", "women", "guy", "guys", "gentleman", "gent", "bloke", "chap", "fella",
    "mum", "mom", "mam", "mother", "dad", "father", "grandma", "grandmother", "granny", "gran", "nan", "nana",
    "grandad", "granddad", "grandpa", "grandfather", "friend", "brother", "sister",
    "daughter", "son", "neighbour", "neighbor", "he", "she", "him", "her", "his", "hers"))
# the business's clients by any name: who a rule applies to unless the question names a group ("seniors")
CLIENTS = frozenset(stem(w) for w in ("patient", "patients", "customer", "customers", "client", "clients"))
ANSWER_FORM = frozenset(stem(w) for w in (
    "window", "limit", "period", "deadline", "amount", "number", "part", "portion", "share", "kind", "type", "sort",
    "length", "duration", "maximum", "minimum", "paperwork", "details", "information", "info", "entitlement",
    "allowance", "name", "names", "phone", "telephone"))  # the form of an answer
PLAIN_ADJECTIVES = frozenset(stem(w) for w in (
    "new", "old", "other", "another", "same", "different", "good", "bad", "best", "worst", "big", "small", "first",
    "last", "next", "whole", "full", "certain", "right", "wrong", "extra", "current", "usual", "normal", "own",
    "possible", "available", "able", "many", "much", "more", "most", "few", "several", "such", "main", "general",
    "standard", "regular", "typical", "latest", "recent", "second", "third", "real", "actual", "whole", "entire",
    "little", "long", "short", "high", "low", "early", "late", "mid", "daily", "weekly", "monthly", "yearly",
    "hourly", "special", "particular", "specific"))  # "special contact lenses": which ones the sentence names
INTERJECTION = re.compile(r"^\W*([^\W\d_]+)\s*!+\s*\w")  # "sasa! which days are you in ...?"
GREETING_HEAD = re.compile(r"^\W*((?:[^\W\d_]+\s+){0,3}[^\W\d_]+)\s*[!,]+\s*(?=\w)")  # "kumusta po! what ..."
GREETING_WORDS = 4
SELF_DESCRIPTION = re.compile(r"\b(?:i'?m|i am)\s+(?:a|an)\s+([^\W\d_]+)\s+([^\W\d_]+)\s*[,.;!?]", re.I)
SHORT_CAPS = re.compile(r"\b(?!(?:OK|AM|PM|ID)\b)[A-Z]{2}\b")  # a two-letter abbreviation: "the QC branch"
STOP_NAMES = frozenset(("i", "i'm", "i've", "i'd", "i'll", "ok", "okay", "hi", "hello", "thanks", "please"))
# words that carry the asker's tone, not the topic ("my gran wants to pay by cheque, do you still take them?",
# "do I have to pay everything upfront?"): no passage repeats them, so they only lower how much of a question the
# passages seem to hold
FILLER = frozenset(stem(w) for w in ("want", "wants", "wanted", "still", "just", "really", "actually", "even",
                                     "maybe", "perhaps", "everything", "anything", "something", "wondering",
                                     "wonder", "pls", "plz", "hey", "hiya"))
# "a box of toric lenses", "a pair of glasses": the priced thing is what the container holds
CONTAINERS = frozenset(stem(w) for w in ("box", "boxes", "pack", "packs", "packet", "packets", "pair", "pairs",
                                         "bottle", "bottles", "tube", "tubes", "carton", "cartons", "supply"))
GENERIC_WORDS = frozenset(stem(w) for w in (
    "policy", "policies", "rule", "rules", "procedure", "procedures", "process", "guideline", "guidelines",
    "document", "documents", "handbook", "company", "our", "allowed", "happens", "need", "needs", "give", "get"))


# the other names the tenant's documents give its branches and places that the question uses ("Korba" is the
# Heliopolis branch: `tools.doc_aliases`), set for one answer by `extractive_answer` / `best_sentence_score`
_ALIASES: ContextVar[tuple[tuple[str, str], ...]] = ContextVar("doc_aliases", default=())


@dataclass(frozen=True)
class ScoredSentence:
    text: str
    source: int  # index into the sources
    position: int  # order of the sentence within all the sources' sentences
    heading: str
    score: float
    semantic: float
    lexical: float
    typed: bool = False  # holds the kind of thing the question asks for
    section: str = ""  # the document title and section heading (`heading` may add what the sentence refers back to)


@dataclass(frozen=True)
class ExtractiveAnswer:
    text: str
    covered: bool
    sentences: list[ScoredSentence]  # the quoted ones, best first
    best_score: float


def _cells(line: str) -> list[str]:
    return [c.strip().replace("**", "") for c in line.strip().strip("|").split("|")]


def _table_rows(lines: list[str]) -> list[str]:
    """A Markdown table as one sentence per row, each cell named by its column ("Toowoomba: Saturday 9am to noon;
    Sunday closed"): a row is a fact, and the header says what its numbers are."""
    header: list[str] = []
    rows: list[str] = []
    for i, line in enumerate(lines):
        if TABLE_RULE.match(line):
            continue
        cells = _cells(line)
        if i + 1 < len(lines) and TABLE_RULE.match(lines[i + 1]):
            header = cells
            continue
        named = [f"{h} {c}" if h and c and not c.lower().startswith(h.lower()) else c
                 for h, c in zip(header[1:], cells[1:], strict=False)] + cells[1 + len(header[1:]):]
        rows.append(f"{cells[0]}: " + "; ".join(n for n in named if n) if len(cells) > 1 else cells[0])
    return rows


def _fact_lines(lines: list[str]) -> bool:
    """Whether a block's lines are a list of facts without list markers, one a line ("Bifocal lenses - £95",
    "Saturday 9am - 4pm", "Sunday closed"), not a wrapped paragraph: two or more short lines (`FACT_LINE_CHARS`),
    each opening with a capital or a digit, none but the last ending a sentence or going on with a comma, and most
    stating a number or an amount. Joined, such a list would be one long "sentence" scored as a single unit."""
    body = [line.strip() for line in lines if not TABLE_LINE.match(line) and not HEADING.match(line)
            and not CAPS_HEADING.match(line)]
    if len(body) < 2 or any(len(line) > FACT_LINE_CHARS or LIST_ITEM.match(line) for line in body):
        return False
    if not all(re.match(r"[A-Z0-9\W]", line) and not re.match(r"[a-z]", line) for line in body):
        return False
    if any(re.search(r"[,.;!?]$", line) and not re.search(r"\d\.?$", line) for line in body[:-1]):
        return False
    return sum(bool(re.search(r"\d|\b(closed|free)\b", line, re.I)) for line in body) * 2 > len(body)


def split_sentences(text: str) -> list[tuple[str, str]]:
    """(section heading, sentence) pairs of a passage: wrapped lines joined, list items and table rows kept as their
    own sentence, Markdown headings and short all-capitals lines taken as the section heading."""
    out: list[tuple[str, str]] = []
    short_facts: set[str] = set()  # the lines of a list of facts: "Sunday closed" is a whole fact
    led_items: set[str] = set()  # the list items a lead-in sentence announces ("... get a free test:" "- diabetics")
    heading = ""
    for block in re.split(r"\n\s*\n", text):
        items: list[str] = []
        lines = [line for line in block.splitlines() if line.strip()]
        led = bool(out) and bool(LEADS_IN.search(out[-1][1])) or bool(led_items) and bool(out) and \
            out[-1][1] in led_items
        table = [line for line in lines if TABLE_LINE.match(line)]
        facts = _fact_lines(lines)
        for line in lines:
            if TABLE_LINE.match(line):
                continue
            m = HEADING.match(line) or CAPS_HEADING.match(line) or BOLD_HEADING.match(line)
            if m:
                heading = m.group(1).strip().replace("**", "")
                continue
            if LIST_ITEM.match(line) or not items or facts:
                if LIST_ITEM.match(line) and (led or items and LEADS_IN.search(items[-1])):
                    led = True
                    led_items.add(LIST_ITEM.sub("", line).replace("**", "").strip())
                items.append(LIST_ITEM.sub("", line).strip())
            else:
                items[-1] += " " + line.strip()
        for item in items:
            out.extend((heading, s.replace("**", "").strip()) for s in _sentences(item))
            if facts:
                short_facts.add(item.replace("**", "").strip())
        out.extend((heading, row) for row in _table_rows(table))
    # a short line that states an amount ("Hard case: R$ 35", "Kids frames: £39") or that a day or a thing is closed
    # or free ("- Sunday: closed") is a fact of a list, not a fragment: it is kept when it names something (two
    # content words) besides its number
    # and so is an item of a list a lead-in sentence announces ("- people with diabetes"): it is what the lead-in says
    return [(h, s) for h, s in out if len(s) >= MIN_CHARS or (SHORT_FACT.search(s) and len(content_words(
        re.sub(r"\d+", " ", s))) >= 2) or (s in short_facts and content_words(re.sub(r"\d+", " ", s)))
        or (s in led_items and content_words(s))]


def _respell(keys: dict[str, str], vocabulary: dict[str, str]) -> dict[str, str]:
    """The question's words with misspellings fixed against the passages' words ("warrenty" -> warranty): a word
    the passages lack that is one or two letters off a passage word of 5+ letters is read as that word."""
    out: dict[str, str] = {}
    for k, w in keys.items():
        if k not in vocabulary and len(w) >= 5 and not w.isdigit():
            close = difflib.get_close_matches(w, [v for v in vocabulary.values() if len(v) >= 5], n=1,
                                              cutoff=SPELLING_CUTOFF)
            if close:
                out[stem(close[0])] = close[0]
                continue
        out[k] = w
    return out


def _weights(keys: set[str], sentence_stems: list[set[str]]) -> dict[str, float]:
    """Inverse sentence frequency of each question word among the candidate sentences: a word that most sentences
    share (the topic: "cover", "glasses") weighs less than one that picks a sentence out ("lost", "sign")."""
    n = len(sentence_stems)
    return {k: rarity(sum(k in st for st in sentence_stems), n) for k in keys}


def _soft_matches(keys: dict[str, str], vocabulary: dict[str, str]) -> dict[str, dict[str, float]]:
    """For each question word missing from a sentence, the best related word (MiniLM word cosine >= `SOFT_MIN`,
    e.g. dog ~ pets, cost ~ fee): key stem -> {sentence word stem: cosine}."""
    if not keys or not vocabulary:
        return {}
    k_stems, v_stems = list(keys), list(vocabulary)
    vectors = embed([keys[k] for k in k_stems] + [vocabulary[v] for v in v_stems])
    sims = vectors[: len(k_stems)] @ vectors[len(k_stems):].T
    out: dict[str, dict[str, float]] = {}
    for i, k in enumerate(k_stems):
        related = {v_stems[j]: float(sims[i, j]) for j in range(len(v_stems)) if sims[i, j] >= SOFT_MIN}
        if related:
            out[k] = related
    return out


def score_sentences(question: str, sources: list[dict[str, Any]]) -> list[ScoredSentence]:
    """Every sentence of the sources, scored against the question, best first."""
    candidates: list[tuple[int, str, str]] = []
    for i, source in enumerate(sources):
        title = str(source.get("title") or "")
        # the document's title and the section heading give a sentence its context ("LensLink" + "Plans")
        candidates.extend((i, " - ".join(p for p in (title, h) if p), s)
                          for h, s in split_sentences(str(source.get("text") or "")))
    if not candidates:
        return []
    # "It costs R450 per pair.": what "it" is, the sentence before says ("BreakCare is an add-on ..."); its words
    # count as the sentence's own
    referent = [candidates[j - 1][2] if j and candidates[j - 1][0] == i and REFERS_BACK.match(s) else ""
                for j, (i, _, s) in enumerate(candidates)]
    # a question using a word the passages gloss ("eigen risico") is also read with the glossed phrase ("yearly
    # deductible"), and a sentence is as close as it is to either reading
    glossed = glossed_question(question, "\n".join(s for _, _, s in candidates))
    readings = [question] if glossed == question else [question, glossed]
    vectors = embed(readings + [f"{h}: {s}" if h else s for _, h, s in candidates])
    semantic = (vectors[len(readings):] @ vectors[: len(readings)].T).max(axis=1)
    own_words = [_words_with_terms(s) for _, _, s in candidates]
    keys = _respell(_question_keys(question), {k: w for o in own_words for k, w in o.items()})
    heads = [set(_words_with_terms(h)) for _, h, _ in candidates]
    own_words = [_words_with_terms(r) | o if r else o for r, o in zip(referent, own_words, strict=True)]
    vocabulary: dict[str, str] = {}
    for o in own_words:
        for k, w in o.items():
            vocabulary.setdefault(k, w)
    same, wider = _stands_in(question, keys, vocabulary | {k: k for h in heads for k in h},
                             "\n".join(f"{h}\n{s}" for _, h, s in candidates))
    alts = {k: _alternatives(w) | same.get(k, set()) for k, w in keys.items()}
    weights = _weights(set(keys), [set(o) | h for o, h in zip(own_words, heads, strict=True)])
    total = sum(weights.values())
    names = proper_names(question)
    soft = _soft_matches({k: w for k, w in keys.items() if k not in names},
                         {k: w for k, w in vocabulary.items() if k not in keys})
    # a name of the question the passages hold, as written or by another name of the same thing ("Köln")
    name_forms = {n: {n} | same.get(n, set()) for n in names}
    held_names = {n for n, forms in name_forms.items() if forms & vocabulary.keys()}
    asked = content_stems(question)
    kinds = [has for asks, has in ANSWER_KINDS if asks.search(question)]
    wants_quantity = bool(ASKS_QUANTITY.search(question)) and not kinds
    wants_verdict = bool(ASKS_VERDICT.search(question))
    asked_things = _things(question)
    asked_days = _days(question)
    amounts = _amounts(question)
    out = []
    for (i, h, s), sim, own, ctx, ref in zip(candidates, semantic, own_words, heads, referent, strict=True):
        matched = 0.0
        for k, wk in weights.items():
            if k in own or alts[k] & own.keys() or k in DAY_PARTS and CLOCK_TIME.search(s):
                matched += wk
            elif k in ctx or alts[k] & ctx or wider.get(k, set()) & own.keys():
                # words of the section heading count half (a heading names a topic), and so does the wider place
                # a place lies in ("anywhere in India" for Chennai): it answers for the place, it is not the place
                matched += 0.5 * wk
            else:
                best = max((c for v, c in soft.get(k, {}).items() if v in own), default=0.0)
                matched += SOFT_CREDIT * best * wk
        lex = matched / total if total else 0.0
        typed = ((wants_quantity and HAS_QUANTITY.search(s)) or any(has.search(s) for has in kinds)
                 or (wants_verdict and HAS_VERDICT.search(s)))
        score = (W_SEMANTIC * float(sim) + W_LEXICAL * lex + (ANSWER_TYPE_BONUS if typed else 0.0)) * (
            1.0 - RANK_DECAY * i)
        if held_names and not any(name_forms[n] & (own.keys() | ctx) for n in held_names) and \
                proper_names(s) - asked:
            score *= OTHER_NAME_FACTOR  # names something else instead ("the Boulder office" for Loveland)
        if asked_days and not wants_verdict and (named_days := _days(s)) and not named_days & asked_days:
            # Sunday's hours do not say when the store closes on Saturday (but "Tue-Sat" does answer "open on
            # Mondays?")
            score *= OTHER_NAME_FACTOR
        if asked_things and (other := _things(f"{h} {s}")) and not other & asked_things:
            score *= OTHER_THING_FACTOR  # about spectacles, not the contact lenses asked about
        if amounts and _out_of_range(amounts, s):
            score *= OUT_OF_RANGE_FACTOR  # "refunds up to $500" is not the rule for a $700 one
        out.append(ScoredSentence(s, i, len(out), f"{h} - {ref}" if ref else h, round(score, 4),
                                  round(float(sim), 4), round(lex, 4), bool(typed), h))
    out = _faq_answers(out)
    out.sort(key=lambda x: -x.score)
    return out


def _number(text: str) -> float:
    return float(text.replace(",", "").replace(" ", ""))


def _money(text: str) -> float:
    """The first amount of money a text states ("R$ 1.890" -> 1890.0: a dot before three digits groups them)."""
    m = AMOUNT_MONEY.search(text)
    if m is None:
        return 0.0
    value = m.group(1) or m.group(2)
    return _number(value.replace(".", "") if re.fullmatch(r"\d{1,3}(\.\d{3})+", value) else value)


def _amounts(text: str) -> list[tuple[str, float]]:
    """The amounts of money and ages a text states, as (kind, value): "a R4,000 refund" -> ("money", 4000.0)."""
    found = [("money", _number(m.group(1) or m.group(2))) for m in AMOUNT_MONEY.finditer(text)]
    return found + [("age", _number(m.group(1) or m.group(2))) for m in AMOUNT_AGE.finditer(text)]


def _out_of_range(asked: list[tuple[str, float]], sentence: str) -> bool:
    """Whether the sentence sets limits ("up to $500", "children under 16", "over R2,500") and the question's amount
    of the same kind falls outside all of them: that rule is not the one for the case asked about ("under 65 ...,
    and every year for those aged 65 and over" has a rule for every age)."""
    outside = _limits_outside(asked, sentence)
    return bool(outside) and all(outside)


def _within_limit(asked: list[tuple[str, float]], sentence: str) -> bool:
    """Whether the sentence sets a limit the question's amount of the same kind falls within ("anything over £10"
    for a till £25 short, "aged 80 or over" for a 92-year-old): a rule for the case asked about."""
    return not all(_limits_outside(asked, sentence))


def _limits_outside(asked: list[tuple[str, float]], sentence: str) -> list[bool]:
    """For each limit the sentence sets and each amount of the question of the same kind (money or age), whether the
    amount falls outside it (`_out_of_range`, `_within_limit`); empty when none compares."""
    verdicts: list[bool] = []
    for m in AMOUNT_BOUND.finditer(sentence):
        bounds = _amounts(m.group("amount"))
        bare = re.match(r"(\d+)\b", m.group("amount"))
        if not bounds and bare and AGE_CONTEXT.search(sentence):
            bounds = [("age", float(bare.group(1)))]  # "children under 16"
        if not bounds:
            continue
        kind, limit = bounds[0]
        upper = m.group("upper") is not None
        inclusive = bool(m.group("upper") and re.match(r"up to|at most|no more than|max", m.group("upper"), re.I))
        for k, value in asked:
            if k != kind:
                continue
            verdicts.append(value > limit or (value == limit and not inclusive) if upper else value < limit)
    return verdicts


def _faq_answers(scored: list[ScoredSentence]) -> list[ScoredSentence]:
    """In a question-and-answer document, the question a passage asks ("Q: Is there a seniors' discount?") is not an
    answer: the sentences after it are (up to `FAQ_SENTENCES`, until the next question), and they answer it in order,
    the direct answer first. The block's first sentence scores the best of the question and the block, each next one
    `FAQ_STEP` less (or its own score when higher), and the question itself `FAQ_QUESTION_FACTOR` of its score.
    `scored` is in document order."""
    out = list(scored)
    for i, q in enumerate(scored):
        if not FAQ_QUESTION.search(q.text):
            continue
        out[i] = replace(out[i], score=round(q.score * FAQ_QUESTION_FACTOR, 4))
        block: list[int] = []
        for j in range(i + 1, min(i + 1 + FAQ_SENTENCES, len(scored))):
            if scored[j].source != q.source or FAQ_QUESTION.search(scored[j].text):
                break
            block.append(j)
        if not block:
            continue
        best = max([q.score] + [scored[j].score for j in block])
        for k, j in enumerate(block):
            out[j] = replace(out[j], score=round(max(scored[j].score, best - FAQ_STEP * k), 4))
    return out


_WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
_DAY = r"(mon|tue|wed|thu|fri|sat|sun)(?:day|s|sday|nesday|r|rs|rsday|urday)?s?\b\.?"
DAY_RANGE = re.compile(rf"\b{_DAY}\s*(?:-|\u2013|\u2014|to|till|until|through|thru)\s*{_DAY}", re.I)
DAY_NAME = re.compile(rf"\b{_DAY}", re.I)
ALL_DAYS = re.compile(r"\b(daily|every ?day|7 days|seven days|all week)\b", re.I)


def _days(text: str) -> set[int]:
    """The days of the week a text names (0 = Monday): day names and their short forms, ranges ("Mon - Fri",
    "Monday to Saturday"), "weekdays", "weekends", "daily". "Sun" and "Sat" count only capitalized or as a whole day
    name ("the sun" is no day)."""
    days: set[int] = set()
    if ALL_DAYS.search(text):
        days |= set(range(7))
    if re.search(r"\bweekdays?\b", text, re.I):
        days |= set(range(5))
    if re.search(r"\bweekends?\b", text, re.I):
        days |= {5, 6}
    for m in DAY_RANGE.finditer(text):
        a, b = _WEEKDAYS.index(m.group(1).lower()), _WEEKDAYS.index(m.group(2).lower())
        days |= set(range(a, b + 1)) if a <= b else set(range(a, 7)) | set(range(b + 1))
    for m in DAY_NAME.finditer(text):
        word = m.group(0).rstrip(".")
        if word.lower() in ("sun", "sat", "wed", "mon") and not word[0].isupper():
            continue  # "the sun", "sat down"
        days.add(_WEEKDAYS.index(m.group(1).lower()))
    return days


def _things(text: str) -> set[str]:
    """The kinds of product or service of the trade a text names (`THINGS`: contact lenses, spectacles, sunglasses,
    eye examinations): a rule about one kind does not answer a question about another ("team members buy spectacles
    at cost" does not say what they pay for contact lenses)."""
    return {name for name, pattern in THINGS if pattern.search(text)}


def proper_names(question: str) -> set[str]:
    """Stems of the names in a question: capitalized words other than a sentence's first ("the Loveland office",
    "Medicaid") and acronyms ("NHS"). A name is itself or nothing: it never stands in for a related word
    (Medicaid is not Medicare), and a sentence that names none of the question's names while the passages do is about
    something else (the Boulder office's parking does not answer for Loveland)."""
    names: set[str] = set()
    for m in re.finditer(r"(?<![.!?]\s)(?<!^)\b([A-ZÀ-ÖØ-Þ][^\W\d_]{2,})\b", question.strip()):
        if m.start() > 0 and m.group(1).lower() not in STOP_NAMES:
            names.add(stem(m.group(1)) if m.group(1).isascii() else stem(fold(m.group(1))))  # "München" ~ munchen
    return names


def held_names(question: str, sources: list[dict[str, Any]]) -> frozenset[str]:
    """The names of the question ("Lens Plan", "ClearSupply") that the passages hold, lower-cased: a question naming
    something of the tenant's own documents asks about the tenant."""
    names = proper_names(question)
    if not names:
        return frozenset()
    vocabulary = _passage_words(sources)
    return frozenset(w.lower() for w in re.findall(r"[A-Za-z]{3,}", question) if stem(w) in names and stem(w) in
                     vocabulary)


def _common_terms(text: str) -> str:
    """The text in the words reference texts and policies mostly use: regional and trade terms (`normalize_terms`),
    everyday service wording (`normalize_service_terms`) and the trade's true synonyms (`normalize_synonyms`)."""
    return normalize_synonyms(normalize_service_terms(normalize_terms(text)))


def _question_keys(question: str) -> dict[str, str]:
    """The question's specific content words (stem -> word): generic words ("policy") and the words that only
    shape the question ("how long", "how far", "does it last", "good for") left out."""
    # an amount of money is a detail of the case ("a R4000 refund"), weighed by `_out_of_range`, not a word to find
    asked = content_words(_common_terms(AMOUNT_MONEY.sub(" ", question)))
    # a greeting or exclamation the question opens with ("sasa! which days ...", "hoi! ...", "kumusta po! ...") is
    # no word to find
    if (opening := INTERJECTION.match(question)) is not None:
        asked.pop(stem(opening.group(1)), None)
    for w in _greeting_words(question):
        asked.pop(stem(w), None)
    # "I'm a university student, any discount?": what the asker is, one group of those a rule names ("students ...
    # get 10% off"); the word that narrows it is a detail of the case, not a word to find
    if (me := SELF_DESCRIPTION.search(question)) is not None and stem(me.group(2)) in asked:
        asked.pop(stem(me.group(1)), None)
    # "what's the name of ...", "the phone number of ...": the words that name the form of the answer are not said
    # by the sentence that gives it ("Our manager is Mereana Whaanga", "Call 09 555 0192")
    if NAME_ASKED.search(question) or PHONE_ASKED.search(question):
        for w in ("name", "names", "phone", "telephone", "number"):
            asked.pop(stem(w), None)
    # a two-letter abbreviation ("the QC branch", "BC residents") names something; `content_words` skips such words
    # (one that is also a function word, "an IT company", "the US", may be either and stays out)
    for token in SHORT_CAPS.findall(question):
        if token.lower() not in STOP:
            asked.setdefault(token.lower(), token.lower())
    form = {stem(m.group(1)) for m in re.finditer(r"\bhow\s+(\w+)", question, re.I)} | QUESTION_FORM
    form |= _superlatives(question)
    keys = {k: w for k, w in asked.items() if k not in GENERIC_WORDS and k not in form and k not in STORY_PEOPLE
            and k not in FILLER}
    return keys or asked


@functools.lru_cache(maxsize=256)
def _greeting_words(question: str) -> tuple[str, ...]:
    """The words of a greeting in another language that the question opens with, set off by "!" or a comma
    ("kumusta po! what time ...", "selam, I'm ...", "magandang hapon po, do you ..."): one to `GREETING_WORDS` words
    before more text, none of them an English word in everyday use (`common_english`), none but the first
    capitalized, and a capitalized one alone set off by "!" and no place ("Cebu, are you open on Sundays?" and
    "Varilux, do you sell it?" ask about Cebu and Varilux). What
    follows must read as English (two everyday English words or more): the greeting is the asker's courtesy, not what
    the question is about, and no passage repeats it. Empty otherwise, or when the English vocabulary is missing."""
    m = GREETING_HEAD.match(question)
    english = common_english()
    if m is None or not english:
        return ()
    head = m.group(1).split()
    if any(w[:1].isupper() for w in head[1:]) or any(w.lower() in english for w in head):
        return ()
    if len(head) == 1 and head[0][:1].isupper() and ("!" not in m.group(0) or question_places(head[0])):
        return ()  # "Varilux, do you sell it?": a name set off by a comma
    rest = [w for w in words(question[m.end():]) if w in english]
    return tuple(w.lower() for w in head) if len(rest) >= 2 else ()


@functools.lru_cache(maxsize=256)
def _tagged(question: str) -> Any:
    """The question tagged by spaCy, once per question (the coverage check, the asked kind and the answer-kind check
    all read it); None when the tagger is not installed."""
    nlp = tagger()
    return None if nlp is None else nlp(question)


def _superlatives(question: str) -> set[str]:
    """Stems of the question's superlatives ("cheapest", "newest", "most"): they say which of the things asked about
    is wanted, they are not words an answering sentence repeats ("Single vision, basic: R$ 290")."""
    doc = _tagged(question)
    return set() if doc is None else {stem(t.text) for t in doc if _is_superlative(t)}


def _is_superlative(token: Any) -> bool:
    """A superlative ("cheapest", "most"), or the adjective one makes so ("most expensive", "least painful")."""
    return token.tag_ in SUPERLATIVE_TAGS or (token.tag_.startswith("JJ") and token.i > 0
                                              and token.doc[token.i - 1].tag_ == "RBS")


def _superlative_choice(question: str, scored: list[ScoredSentence]) -> list[ScoredSentence] | None:
    """For a question asking for the cheapest (or the dearest) of something, the sentences with the answering one
    first: among the sentences that score as well as the best one (`LIST_WITHIN`, with as much of the question's
    words) and state a price, the one with the lowest (highest) amount. None when fewer than two such priced sentences
    compete: then nothing says which is cheapest, and the best sentence alone would answer another question ("the
    children's frame costs R$ 390" is not the cheapest frame). `scored` unchanged for other questions."""
    m = PRICE_SUPERLATIVE.search(question)
    if not m or not scored:
        return scored
    best = scored[0]
    close = [s for s in scored if s.score >= best.score - LIST_WITHIN and s.lexical >= best.lexical - 0.05
             and AMOUNT_MONEY.search(s.text)]
    if len(close) < 2:
        return None
    chosen = (min if m.group("low") else max)(close, key=lambda s: _money(s.text))
    return [chosen] + [s for s in scored if s is not chosen]


def question_phrases(question: str, *, plain: bool = False) -> list[tuple[str | None, tuple[str, ...]]]:
    """The question's noun phrases as (head noun stem, modifier stems): "the breakage claim" -> (claim, (breakag,)),
    "paid sick days" -> (None, (sick,)) since "days" says when, not what. Read off spaCy's part-of-speech tags: a run
    of adjectives and nouns (a possessive "'s" or a hyphen inside it kept) ends in its head noun. Generic words, time
    words, words for unnamed people and plain adjectives ("new", "other") are left out."""
    doc = _tagged(question)
    if doc is None:
        return []

    def keep(token: Any) -> bool:
        word = token.text
        if len(word) <= 2 or TIME_WORD.match(word):
            return False
        k = stem(word)
        if k in GENERIC_WORDS or k in QUESTION_FORM or k in ANYONE or k in STORY_PEOPLE or k in CLIENTS:
            return False
        if _is_superlative(token):
            return False  # "cheapest", "most": which one of them is asked (`_superlative`), not a word to find
        return plain or not (token.tag_.startswith("JJ") and k in PLAIN_ADJECTIVES)

    def key(token: Any) -> str:
        # the stem of the word as the question's keys spell it: a variant spelling is read as its common one
        # ("coloured" -> colored, as `_question_keys` has it), so a phrase's words are found among the keys
        normal = normalize_synonyms(normalize_terms(token.text))
        return stem(normal) if normal != token.text and re.fullmatch(r"[\w'-]+", normal) else stem(token.text)

    phrases: list[tuple[str | None, tuple[str, ...]]] = []
    run: list[Any] = []
    for token in [*doc, None]:
        # "what do the progressive lenses cost?": a "cost" after a plural noun is the verb, not the head noun
        # ("how much does a replacement lens cost?": after a noun the question's "does" asks about, too)
        verb = token is not None and token.lower_ in ("cost", "costs") and bool(run) and (
            run[-1].tag_ == "NNS" or run[-1].tag_.startswith("NN") and any(
                t.lower_ in ("do", "does", "did", "will", "would", "should") for t in doc[: run[0].i]))
        # a participle before a noun modifies it like an adjective ("colored contact lenses", "tinted lenses")
        participle = token is not None and token.tag_ == "VBN" and token.i + 1 < len(doc) and \
            doc[token.i + 1].tag_.startswith(("NN", "JJ"))
        if token is not None and not verb and (token.tag_.startswith(("NN", "JJ")) or participle or
                                               (run and token.tag_ in ("POS", "HYPH"))):
            run.append(token)
            continue
        run_all, run = run, []
        words_ = [t for t in run_all if t.tag_.startswith(("NN", "JJ", "VBN")) and t.text not in "-‐‑"]
        if not words_:
            continue
        last = words_[-1]
        head = last if last.tag_.startswith("NN") else None  # "is it free": a predicate adjective, no phrase
        if head is None:
            continue
        # a hyphenated word ("non-prescription", "anti-glare") is often spelt otherwise in documents ("plano",
        # "anti-reflective"): its parts are not modifiers the passages must hold
        hyphened = {t.i + d for t in run_all if t.text in "-‐‑" for d in (-1, 1)}
        modifiers = tuple(key(t) for t in words_[:-1] if keep(t) and t.i not in hyphened)
        phrases.append((key(head) if keep(head) else None, modifiers))
    return phrases


def _asked_kind(question: str) -> str | None:
    """The head noun of the phrase right after "which / what" ("which towns have ...", "what discount does ..."):
    it names the kind of thing the answer lists, which the answering sentence need not repeat."""
    doc = _tagged(question)
    if doc is None:
        return None
    for i, token in enumerate(doc):
        if token.lower_ in ("which", "what") and i + 1 < len(doc) and doc[i + 1].tag_.startswith(("NN", "JJ")):
            j = i + 1
            while j + 1 < len(doc) and doc[j + 1].tag_.startswith(("NN", "JJ")):
                j += 1
            return stem(doc[j].text) if doc[j].tag_.startswith("NN") else None
    return None


def _missing_words(question: str, keys: dict[str, str], found: dict[str, float]
                   ) -> tuple[set[str], set[str], set[str]]:
    """The words of the question's noun phrases the passages do not hold, each phrase read as a whole, as (nouns,
    modifiers, loose modifiers): a modifier picks out which thing is asked about ("sick" days, "seniors" discount) and
    must be there, as must the head noun ("breakage insurance"), except a noun that names the form of the answer ("the
    window", "the age limit"). The one missing modifier of a phrase whose other `LOOSE_PHRASE_HELD`+ words the
    passages all hold ("blue light filter lenses" for "blue filter lenses") is loose: it still counts as missing, but
    does not by itself rule out a sentence that scores `SURE_SCORE`."""
    heads: set[str] = set()
    modifiers: set[str] = set()
    loose: set[str] = set()
    kind = _asked_kind(question)
    for head, mods in question_phrases(question):
        # the first modifier of a thing picks out which one is asked about: a word merely related to it is another
        # one of its kind ("blue" lenses for "coloured" ones, MiniLM 0.80), so only the word itself, its common term
        # or its other form (`_same_root`) holds it; a word inside a name of several words ("home eye test" ~ home
        # visits) and a phrase without a head noun ("at college full time" ~ education) keep related words
        # a phrase that names nothing but the form of the answer ("the minimum amount", "the maximum number") says
        # which figure is wanted, not which thing: the answering sentence need not repeat its modifier either (the
        # "minimum age" still asks about an age)
        missing = {m for n, m in enumerate(mods) if m in keys and not (m in ANSWER_FORM and head in ANSWER_FORM) and
                   found.get(m, 0.0) < (1.0 if head is not None and n == 0 else 1e-9)}
        held = [w for w in (head, *mods) if w and w in keys and found.get(w)]
        # ... except a word inside a name of several words ("blue light filter lenses" for "blue filter lenses"):
        # the phrase's first modifier says which kind ("coloured contact lenses"), and is never loose
        if len(missing) == 1 and len(held) >= LOOSE_PHRASE_HELD and mods[0] not in missing:
            loose |= missing
        else:
            modifiers |= missing
        if head is not None and head in keys and not found.get(head) and head not in ANSWER_FORM and head != kind:
            heads.add(head)
    return heads, modifiers, loose


_DAY_SHORT = {"Mon": "Monday", "Tue": "Tuesday", "Tues": "Tuesday", "Wed": "Wednesday", "Thu": "Thursday",
              "Thur": "Thursday", "Thurs": "Thursday", "Fri": "Friday", "Sat": "Saturday", "Sun": "Sunday"}
_DAY_SHORT_RE = re.compile(r"\b(" + "|".join(_DAY_SHORT) + r")\b")  # capitalized only: "sun" stays the sun


def _words_with_terms(text: str) -> dict[str, str]:
    """Content words of a text, plus those of its common-term spelling (varifocals -> progressive lenses, "Sat" in
    opening hours -> Saturday)."""
    days = _DAY_SHORT_RE.sub(lambda m: _DAY_SHORT[m.group(1)], text)
    # a hyphenated word is also its joined spelling ("re-fit" ~ refit, "e-mail" ~ email)
    joined = " ".join(a + b for a, b in HYPHENATED.findall(text))
    short = {t.lower(): t.lower() for t in SHORT_CAPS.findall(text)}  # "QC", "BC": as the question's keys have them
    return (content_words(_common_terms(days)) | content_words(text)
            | content_words(joined) | short)


def _alternatives(word: str) -> set[str]:
    """Stems of the common reference term for a regional or informal word ("specs" -> glass), else empty."""
    normal = _common_terms(word)
    return content_stems(normal) - {stem(word)} if normal != word else set()


def _stands_in(question: str, keys: dict[str, str], vocabulary: dict[str, str], text: str
               ) -> tuple[dict[str, set[str]], dict[str, set[str]]]:
    """For the question's words the passages do not hold as written, the passage words that stand for them, as
    (same thing, wider place), each key stem -> passage stems:
    - same thing: another name of the same place ("Cologne" ~ Köln, "Munich" ~ München: GeoNames' alternate names,
      `tools.place_forms`), and an abbreviation spelt out ("GMM" ~ gastos médicos mayores) or a phrase abbreviated
      ("value added tax" ~ VAT);
    - wider place: the country a place lies in ("Chennai" ~ "anywhere in India") and the countries the passages
      name as the territory a rule covers ("ship to Muscat?" ~ "we do not ship outside the UAE"), for a place
      written where a place goes ("in Muscat", "the Cologne store") or a country.
    A wider place answers for the place in the coverage check and the sentence scoring, but is not the place itself:
    it never makes a sentence name a name of the question (`OTHER_NAME_FACTOR`)."""
    same: dict[str, set[str]] = {}
    wider: dict[str, set[str]] = {}
    # abbreviations: "GMM" in the question, "gastos médicos mayores" in the passages (and the other way round); a
    # sentence may write either even where another one writes the other
    for token in set(re.findall(r"\b[A-Z]{2,6}\b", question)):
        k = stem(token)
        if k in keys and ABBREVIATION_WORD.match(token):
            for run in abbreviation_phrases(token, text):
                same.setdefault(k, set()).update(stem(w) for w in run if stem(w) in vocabulary)
    for token in set(re.findall(r"\b[A-Z]{2,6}\b", text)):
        for run in abbreviation_phrases(token, question):
            stems = {stem(w) for w in run} & keys.keys()
            if stems and stem(token) in vocabulary:
                for k in stems:
                    same.setdefault(k, set()).add(stem(token))
    # another name the tenant's documents give a branch or place (`tools.doc_aliases`: "Korba" or "Masr El Gedida" is
    # the Heliopolis branch): the name the question uses stands for the other one, whichever it uses
    for other, name in _ALIASES.get():
        said, meant = (other, name) if uses_other_name(question, other) else (name, other)
        if (held := name_words(meant) & vocabulary.keys()):
            for k in name_words(said) & keys.keys() - held:
                same.setdefault(k, set()).update(held)
    # a word the documents gloss in brackets ("your yearly deductible (eigen risico)"): the question may use either
    glossed = glosses(text)
    for k in keys:
        if k in glossed and (held := glossed[k] & vocabulary.keys() - {k}):
            same.setdefault(k, set()).update(held)
    missing = {k: w for k, w in keys.items() if k not in vocabulary and not _alternatives(w) & vocabulary.keys()}
    # a word the passages write as two ("downpayment" ~ "down payment", "eyecare" ~ "eye care")
    for k, w in missing.items():
        if k not in same and (parts := _split_compound(w, text)):
            same[k] = {stem(p) for p in parts} & vocabulary.keys()
    # a place the question shortens ("the Ksm office", "open in Nai?"): the one place name of the passages it fits
    for k, w in missing.items():
        if k in same or not PLACE_SHORT_FORM.fullmatch(w):
            continue
        m = re.search(rf"\b{re.escape(w)}\b", question, re.I)
        first = not question[: m.start()].strip() or question[: m.start()].rstrip()[-1] in ".!?:" if m else True
        if m is None or not (m.group(0)[0].isupper() and (not first or m.group(0).isupper())
                             or PLACE_BEFORE.search(question[: m.start()]) or PLACE_AFTER.match(question[m.end():])):
            continue
        if (name := place_abbreviation(m.group(0), text)) is not None:
            same.setdefault(k, set()).update(content_stems(name) & vocabulary.keys())
    if not missing:
        return same, wider
    places = question_places(question, frozenset(fold(w) for w in missing.values()))
    if not places:
        return same, wider
    folded = fold(text)
    named: dict[str, set[str]] | None = None
    territory: dict[str, set[str]] | None = None
    for place in places:
        place_keys = {stem(w) for w in words(place.name)} & missing.keys()
        if not place_keys:
            continue
        own_name = fold(place.name)
        forms = [f for f in place.forms if f != own_name and re.search(rf"\b{re.escape(f)}\b", folded)]
        alike = {k for f in forms for k in content_stems(f)} & vocabulary.keys()
        around: set[str] = set()
        if place.countries and (place.in_context or place.country):
            if named is None:
                named, territory = countries_named(text), territory_countries(text)
            if not place.country:
                around |= {k for iso in place.countries & named.keys() for n in named[iso] for k in content_stems(n)}
            around |= {k for found in (territory or {}).values() for n in found for k in content_stems(n)}
        for k in place_keys:
            if alike:
                same.setdefault(k, set()).update(alike)
            if around & vocabulary.keys():
                wider.setdefault(k, set()).update(around & vocabulary.keys())
    return same, wider


def _split_compound(word: str, text: str) -> tuple[str, str] | None:
    """The two words of `text` that `word` joins ("downpayment" -> ("down", "payment") in "a down payment of 30%"),
    each of three letters or more, written apart or with a hyphen; None when the text writes it no such way."""
    w = word.lower()
    if len(w) < 7 or not w.isalpha():
        return None
    for i in range(3, len(w) - 2):
        if re.search(rf"\b{w[:i]}[\s-]{w[i:]}\b", text, re.I):
            return w[:i], w[i:]
    return None


def _sources_text(sources: list[dict[str, Any]]) -> str:
    return "\n".join(f"{s.get('title') or ''}\n{s.get('text') or ''}" for s in sources)


def _passage_words(sources: list[dict[str, Any]]) -> dict[str, str]:
    vocabulary: dict[str, str] = {}
    for s in sources:
        for k, w in _words_with_terms(str(s.get("text") or "") + " " + str(s.get("title") or "")).items():
            vocabulary.setdefault(k, w)
    return vocabulary


def _same_root(word: str, related: dict[str, float], vocabulary: dict[str, str]) -> bool:
    """Whether a passage word related to a question word (MiniLM >= `SOFT_MIN`) is the same word in another form:
    one begins with the other, the shorter of 4+ letters ("wooden" ~ wood, "computer" ~ computerised), or of 3 when
    MiniLM finds them very close (`SHORT_ROOT_MIN`: "max" ~ maximum, not "nonna" ~ non). Such a word holds the
    question's word itself, not only something like it ("blue" for "coloured"). A word that ends with the other is
    a kind of it ("surcharge", "eyesight"), not the same word."""
    w = word.lower()
    for k, cosine in related.items():
        v = vocabulary.get(k, k).lower()
        short, long_ = sorted((w, v), key=len)
        if short != long_ and long_.startswith(short) and (len(short) >= 4 or
                                                           len(short) == 3 and cosine >= SHORT_ROOT_MIN):
            return True
    return False


def _cover(question: str, sources: list[dict[str, Any]]) -> tuple[float, set[str], set[str]]:
    """How much of the question the passages hold, the words of its noun phrases they miss, and those of the missing
    words that rule out even a close sentence: the modifiers ("sick" days, "senior" discount).

    The share is weighted like the sentence scoring (a rare word of the question weighs more than a topic word all
    passages share); a word missing from the passages counts by its best related word there (`SOFT_MIN`)."""
    vocabulary = _passage_words(sources)
    keys = _respell(_question_keys(question), vocabulary)
    if not keys:
        return 1.0, set(), set()
    sentence_stems = [content_stems(f"{h} {t}") for s in sources for h, t in split_sentences(str(s.get("text") or ""))]
    weights = _weights(set(keys), sentence_stems or [set(vocabulary)])
    names = proper_names(question)
    soft = _soft_matches({k: w for k, w in keys.items() if k not in vocabulary and k not in names},
                         {k: w for k, w in vocabulary.items() if k not in keys})
    same, wider = _stands_in(question, keys, vocabulary, _sources_text(sources))
    clock = CLOCK_TIME.search(_sources_text(sources)) is not None
    found: dict[str, float]
    found = {k: 1.0 if k in vocabulary or (_alternatives(w) | same.get(k, set()) | wider.get(k, set()))
             & vocabulary.keys() or _same_root(w, soft.get(k, {}), vocabulary) or k in DAY_PARTS and clock else
             max((c for c in soft.get(k, {}).values() if c >= SOFT_COVER_MIN), default=0.0) for k, w in keys.items()}
    # words of another language the English passages hold in no form ("open ba kayo ...", "abeg, how much ..."):
    # nothing in English documents can hold them, so they neither count in the share nor go missing
    foreign = _foreign_words(question, {k: w for k, w in keys.items() if not found[k]})
    if foreign and len(foreign) < len(keys):
        keys = {k: w for k, w in keys.items() if k not in foreign}
    total = sum(weights[k] for k in keys)
    share = sum(weights[k] * found[k] for k in keys) / total if total else 1.0
    heads, modifiers, loose = _missing_words(question, keys, found)
    return share, heads | modifiers | loose, modifiers


def _foreign_words(question: str, unheld: dict[str, str]) -> set[str]:
    """Of the question's words the passages hold in no form (`unheld`: stem -> word), those of another language: a
    word written in lower case (not a name), of letters only, that is no English word in everyday use
    (`common_english`): "kayo", "abeg", "wetin". Empty when the English vocabulary is missing."""
    english = common_english()
    if not english or not unheld:
        return set()
    from tools.english import english_words

    vocabulary = english_words()
    names = proper_names(question)
    out: set[str] = set()
    for k, w in unheld.items():
        if k in names or not w.isalpha() or len(w) > FOREIGN_MAX_LETTERS or w.lower() in english or \
                w.lower() in vocabulary:
            continue
        # written in lower case in the question (a capitalized or all-capitals word is a name or an abbreviation)
        if re.search(rf"(?<![\w-]){re.escape(w)}(?![\w-])", question) and not re.search(
                rf"(?<![\w-]){re.escape(w[:1].upper() + w[1:])}(?![\w-])", question):
            out.add(k)
    return out


def _naming(question: str, sources: list[dict[str, Any]]) -> list[dict[str, Any]] | None:
    """The sentences of the passages (with their headings) that hold a name of the question, as one passage; None
    when the question names nothing the passages hold."""
    names = proper_names(question)
    if not names:
        return None
    vocabulary = _passage_words(sources)
    # a name the passages write otherwise ("Köln" for Cologne) is found by that name
    same, _ = _stands_in(question, {k: w for k, w in content_words(question).items() if k in names}, vocabulary,
                         _sources_text(sources))
    forms = names | {k for n in names for k in same.get(n, set())}
    held: list[str] = []
    for source in sources:
        title = str(source.get("title") or "")
        for heading, sentence in split_sentences(str(source.get("text") or "")):
            context = f"{title} {heading}"
            if forms & (content_stems(sentence) | content_stems(context)):
                # with its context, as scored: the title and heading say what a row of a list is about ("Glasses
                # delivery" + "Addresses on the islands (Skye, Raasay): allow two extra days")
                lead = " - ".join(p for p in (title, heading) if p)
                held.append(f"{lead}: {sentence}" if lead else sentence)
    return [{"title": "", "text": "\n".join(held)}] if held else None


def _unheld_phrases(question: str, missing: set[str]) -> set[str]:
    """Of the words `missing` from what the passages say about a named thing, those of the question's noun phrases
    that the named sentences hold no word of: "home visits are not offered on Sundays" speaks of the "home eye test"
    asked about ("can the home eye test be on a Sunday?") in its own words, while the Loveland office's address does
    not speak of "parking" at all. A name itself is no word of the phrase (it picked the sentences)."""
    names = proper_names(question)
    out: set[str] = set()
    for head, mods in question_phrases(question):
        phrase = {w for w in (head, *mods) if w and w not in names}
        if phrase and phrase <= missing:
            out |= phrase
    # words of no phrase the tagger found (or no tagger): kept as missing, as before
    in_phrases = {w for head, mods in question_phrases(question) for w in (head, *mods) if w}
    return out | (missing - in_phrases)


def _other_place(question: str, sources: list[dict[str, Any]]) -> bool:
    """Whether the question asks if the business is in a place (`ASKS_BRANCH_IN`: "do you have a store in Ankara?",
    "is there a branch in Iloilo") that the passages write in no form, neither as written nor by another name: a rule
    for the country it lies in ("we ship anywhere in Türkiye") or another store's sentence ("... sent to Alsancak")
    does not say that there is a store there."""
    m = ASKS_BRANCH_IN.search(question)
    if m is None:
        return False
    keys = _question_keys(question)
    places = question_places(question[m.start():])
    if not places:
        return False
    vocabulary = _passage_words(sources)
    same, _ = _stands_in(question, keys, vocabulary, _sources_text(sources))
    for place in places:
        place_keys = {stem(w) for w in words(place.name)} & keys.keys()
        if place_keys and not any(k in vocabulary or same.get(k, set()) & vocabulary.keys() for k in place_keys):
            return True
    return False


def passage_cover(question: str, sources: list[dict[str, Any]]) -> tuple[float, set[str]]:
    """How much of the question the passages hold (weighted share) and the words of its noun phrases they miss."""
    share, missing, _ = _cover(question, sources)
    return share, missing


def ask_clause(question: str) -> str | None:
    """The clause that asks, in a question that tells a story first ("ordered from your web shop last week and the
    frame arrived bent, is that under the warranty?" -> "is that under the warranty?"): the last clause (split at
    sentence ends, commas, semicolons, colons and dashes) that opens like a question (`ASK_OPENER`), when it is not the
    first clause and names a thing by a noun of its own (not "can she buy them?", which asks about the story's
    thing). None otherwise."""
    parts = [p for p in CLAUSE_SPLIT.split(question.strip()) if p.strip()]
    asking = [i for i, p in enumerate(parts) if ASK_OPENER.match(p)]
    if not asking or asking[-1] == 0:
        return None
    clause = " ".join(parts[asking[-1]:])
    return clause if any(head for head, _ in question_phrases(clause)) else None


def covers(question: str, sources: list[dict[str, Any]], scored: list[ScoredSentence],
           min_score: float = MIN_ANSWER_SCORE) -> bool:
    """Whether the passages answer the question (see the module docstring): the whole question, or the clause that
    asks after a story (`ask_clause`): the story's nouns ("the dashboard", "the summer sun") are the asker's case,
    which no policy repeats."""
    if not scored or scored[0].score < min_score:
        return False
    if (asked := ask_clause(question)) is not None and _covers(asked, sources, scored):
        return True
    return _covers(question, sources, scored)


def _covers(question: str, sources: list[dict[str, Any]], scored: list[ScoredSentence]) -> bool:
    """`covers` for one reading of the question (the whole of it, or its asking clause)."""
    # a deeper passage may hold the answering sentence, but the many words of many loosely related passages do not
    # make the documents cover a question: the first passages and the answering one's must hold its words
    near = sorted(set(range(min(len(sources), COVER_PASSAGES))) | {scored[0].source})
    sources = [sources[i] for i in near if i < len(sources)]
    share, missing, decisive = _cover(question, sources)
    if missing:
        # a word the passages lack that the answering sentence says in other words ("a dive mask" ~ "Diving mask",
        # "corporate" ~ company); not a word missing from what the passages say about a named thing (below)
        said = _said_otherwise(question, missing, scored[0])
        missing, decisive = missing - said, decisive - said
    named = _naming(question, sources) if len(_question_keys(question)) < LONG_QUESTION_WORDS else None
    if named is not None and not decisive:
        # a question about a named thing ("the Loveland office") is covered by what the passages say about it
        _, missing_there, decisive_there = _cover(question, named)
        missing_there = _unheld_phrases(question, missing_there)
        missing, decisive = missing | missing_there, decisive | (decisive_there & missing_there)
    if _other_place(question, sources):
        return False
    if scored[0].score >= SURE_SCORE:
        return not decisive  # a close sentence about the students' discount does not answer the seniors' one
    if share < MIN_PASSAGE_COVER:
        return False
    if not missing:
        return True
    # a long question tells a story around what it asks ("guy wants to return unopened contacts he bought 8 months
    # ago, ok?"): one noun of the story the passages do not hold does not unmake a sentence that answers the rest
    return len(missing) == 1 and not decisive and (len(_question_keys(question)) >= LONG_QUESTION_WORDS
                                                   or scored[0].score >= ONE_NOUN_SCORE)


def _said_otherwise(question: str, missing: set[str], sentence: ScoredSentence) -> set[str]:
    """Of the question's `missing` words (stems), those a phrase of 1 to `PHRASE_WORDS` words of the answering
    sentence (with its section) says: MiniLM cosine of the word alone and the phrase alone >= `SAME_PHRASE_MIN`
    ("dive" ~ diving 0.92, "corporate" ~ company 0.86); another thing of the same kind stays below ("blue" ~
    coloured 0.79, "snorkel" ~ diving 0.59). Names are themselves and never said otherwise."""
    surface = {k: w for k, w in content_words(question).items() if k in missing and k not in proper_names(question)}
    tokens = PHRASE_TOKEN.findall(f"{sentence.section}: {sentence.text}")
    phrases = sorted({" ".join(tokens[i:i + n]).lower() for n in range(1, PHRASE_WORDS + 1)
                      for i in range(len(tokens) - n + 1)
                      if tokens[i].lower() not in STOP and tokens[i + n - 1].lower() not in STOP})
    if not surface or not phrases:
        return set()
    stems = list(surface)
    vectors = embed([surface[k] for k in stems] + phrases)
    sims = vectors[: len(stems)] @ vectors[len(stems):].T
    return {k for i, k in enumerate(stems) if float(sims[i].max()) >= SAME_PHRASE_MIN}


def pick(scored: list[ScoredSentence], min_score: float = MIN_ANSWER_SCORE, *,
         listing: bool = False) -> list[ScoredSentence]:
    """The answering sentence and up to two close supporting ones (best first); empty when none is good enough.

    A question that asks for several things (`listing`: "which stores ...") gets up to `MAX_LIST_SENTENCES` close
    ones, since its answer is spread over several rows or items. A quoted sentence that leads into a list ("...
    brings the eye test to people who:") brings the list's items along, right after it."""
    if not scored or scored[0].score < min_score:
        return []
    best = scored[0]
    chosen = [best]
    by_position = {(s.source, s.position): s for s in scored}
    follower = by_position.get((best.source, best.position + 1))
    # The next sentence of the same passage is part of the answer when the best one names the topic but not what
    # was asked and it does ("The plan covers ...". "Members pay 14 to 32 a month."), or when it goes on from the
    # best one ("... are not refunded. Instead the patient receives a credit note ...").
    if follower is not None and ((follower.typed and not best.typed) or CONTINUES.match(follower.text)):
        chosen.append(follower)
    limit, within = (MAX_LIST_SENTENCES, LIST_WITHIN) if listing else (MAX_SENTENCES, SUPPORT_WITHIN)
    for s in scored[1:]:
        if len(chosen) >= limit:
            break
        if s.score >= max(min_score, best.score - within) and s.text not in {c.text for c in chosen}:
            chosen.append(s)
    out: list[ScoredSentence] = []
    for s in chosen:
        if s.text in {o.text for o in out}:
            continue
        out.append(s)
        if LEADS_IN.search(s.text):
            # overlapping chunks may hold the lead-in twice; take the copy whose chunk goes on with the items
            lead = next((c for c in scored if c.text == s.text and (c.source, c.position + 1) in by_position), s)
            for offset in range(1, LEAD_IN_ITEMS + 1):
                item = by_position.get((lead.source, lead.position + offset))
                if item is None or item.section != lead.section:
                    break
                if item.text not in {o.text for o in out}:
                    out.append(item)
    return out


def _holds_asked(sentence: ScoredSentence, required: list[Any], about: set[str],
                 item: frozenset[str] = frozenset(), question_words: frozenset[str] = frozenset(),
                 kind: frozenset[str] = frozenset(), whole: frozenset[str] = frozenset()) -> bool:
    """Whether a sentence holds the one kind of thing the question asks for, about what the question asks (`about`:
    the question's noun-phrase words other than those that ask; "the home visit fee is $40" holds a price, but not
    that of a contact lens fitting), and names the thing whose price or time is asked (`item`: the word of the asked
    thing and the words that stand for it; "a contact lens case" is not priced by "contact lens check: free"), and
    not only as a modifier of another thing the question does not name (`_item_as_modifier`: "daily contact
    lenses" are not priced by "Contact lens aftercare check: £30"), nor only as another kind of it (`_other_kind`:
    "swimming goggles" are not priced by "Moisture chamber goggles: €64"). A sentence that holds every word of the
    question (`whole`, less the words that ask or tell whose case it is: "how much does myopia control cost per
    year" and "The program costs $420 a year, ... myopia control lenses") states that thing's amount, whatever it
    names it as."""
    if not any(has.search(sentence.text) for has in required):
        return False
    if not about:
        return True
    words = _words_with_terms(f"{sentence.heading} {sentence.text}")
    held = set(words) | {a for w in words.values() for a in _alternatives(w)}
    if whole and whole <= held:
        return True  # it names everything the question names: its amount is that thing's
    # the asked thing stands for what is asked about too ("downpayment" held as "a down payment")
    return bool((about | item) & held) and (not item or bool(item & held) and
                                   not _item_as_modifier(sentence.text, item, about | question_words) and
                                   not _other_kind(sentence.text, item, kind, held))


def _other_kind(text: str, item: frozenset[str], kind: frozenset[str], held: set[str]) -> bool:
    """Whether a sentence names the asked thing only as another kind of it than the one asked about: the question
    says which kind (`kind`: the modifiers it gives the asked thing, with their common terms: "prescription swimming
    goggles"), the sentence holds none of them (as written, or a word beginning with one or one with it) and gives
    the thing modifiers of its own ("Moisture chamber goggles: €64" is not the price of swimming goggles). A sentence
    that names the thing bare ("Goggles: €40") may be about any kind, and is kept."""
    if not kind or kind & held or any(len(k) >= 4 and len(h) >= 4 and (h.startswith(k) or k.startswith(h))
                                      for k in kind for h in held):
        return False
    own = [mods for head, mods in question_phrases(text, plain=True) if head in item]
    return bool(own) and all(own)


def _item_as_modifier(text: str, item: frozenset[str], asked: set[str]) -> bool:
    """Whether a sentence names the asked thing only as a modifier of another thing ("Contact lens aftercare check:
    £30" prices a check, not the contact lenses asked about): the asked word is a modifier of one of its noun
    phrases whose head the question does not name (`asked`), and the head of none. A phrase that ends in a name
    ("Varifocal lenses Lumo Flow Pro") is that name's kind of thing, and is left out."""
    heads: set[str] = set()
    modifiers: set[str] = set()
    names = proper_names(text)
    for head, mods in question_phrases(text):
        if head in names:
            continue
        if head:
            heads |= {head} | _alternatives(head)
        if head not in asked:
            modifiers |= set(mods) | {a for m in mods for a in _alternatives(m)}
    return bool(item & modifiers) and not item & heads


def _sentence_vocabulary(sentences: list[ScoredSentence]) -> dict[str, str]:
    """Content-word stem -> surface word of the sentences and their headings (common terms included)."""
    vocabulary: dict[str, str] = {}
    for s in sentences:
        for k, w in _words_with_terms(f"{s.heading} {s.text}").items():
            vocabulary.setdefault(k, w)
    return vocabulary


def _asked_item_kind(question: str, sentences: list[ScoredSentence]) -> frozenset[str]:
    """The modifiers the question gives the thing whose price, duration or time it asks (`_asked_item`), with their
    common terms and the sentences' words that stand for them (`_stands_in`: "the Vienna store" ~ Wien): "how much
    do the prescription swimming goggles cost" -> {prescription, swimm}; "varifocal lenses" -> {varifocal,
    progressiv}; empty when it names the thing bare."""
    if ASKS_OWN_PART.match(question):
        return frozenset()
    surface = content_words(question)
    for head, mods in question_phrases(question):
        words_ = [w for w in (*mods, head) if w and w not in ASKING_WORDS and w not in ANSWER_FORM
                  and w not in PLAIN_ADJECTIVES and w not in CONTAINERS]
        if not words_:
            continue
        kind = {f for m in words_[:-1] for f in {m} | _alternatives(surface.get(m, m))}
        if kind:
            text = "\n".join(f"{s.heading}\n{s.text}" for s in sentences)
            same, _ = _stands_in(question, {m: surface.get(m, m) for m in words_[:-1]},
                                 _sentence_vocabulary(sentences), text)
            kind |= {f for m in words_[:-1] for f in same.get(m, set())}
        return frozenset(kind)
    return frozenset()


def _asked_item(question: str, sentences: list[ScoredSentence]) -> frozenset[str]:
    """The thing whose price, duration or time a question asks (`REQUIRED_KINDS`; not a distance, which is of a trip
    rather than of the first thing named), as the stems a sentence
    may name it by: the last word of the question's first noun phrase that is not an asking word ("how much does a
    contact lens case cost" -> case; "how much is the voucher worth" -> voucher), with its common term ("varifocals"
    ~ progressive) and the sentences' words that MiniLM finds close to it (`SOFT_COVER_MIN`: "specs" ~ glasses).
    Empty when the question has no such phrase, or asks about a person's own part ("how much do I pay on a claim":
    the claim is the case, not the priced thing)."""
    if ASKS_OWN_PART.match(question):
        return frozenset()
    for head, mods in question_phrases(question):
        words_ = [w for w in (*mods, head) if w and w not in ASKING_WORDS and w not in ANSWER_FORM
                  and w not in PLAIN_ADJECTIVES and w not in CONTAINERS]
        if not words_:
            continue
        item = words_[-1]
        surface = content_words(question).get(item, item)
        # its common term, and the common terms of the question's wording ("eye test" ~ eye examination)
        normal = _common_terms(question)
        forms = {item} | _alternatives(surface) | (content_stems(normal) - content_stems(question))
        vocabulary = _sentence_vocabulary(sentences)
        if item not in vocabulary:
            soft = _soft_matches({item: item}, {k: w for k, w in vocabulary.items() if k != item})
            forms |= {v for v, c in soft.get(item, {}).items() if c >= SOFT_COVER_MIN}
            # an abbreviation spelt out, a glossed word, a shortened place ("RGP" ~ rigid gas permeable)
            same, _ = _stands_in(question, {item: surface}, vocabulary,
                                 "\n".join(f"{s.heading}\n{s.text}" for s in sentences))
            forms |= same.get(item, set())
        # a word some sentences write as two ("downpayment" ~ "a down payment of 30%") names the same thing there
        if parts := _split_compound(surface, "\n".join(s.text for s in sentences)):
            forms |= {stem(p) for p in parts}
        return frozenset(forms)
    return frozenset()


def _answer(question: str, sources: list[dict[str, Any]], min_score: float, *, reorder: bool = True
            ) -> tuple[list[ScoredSentence], list[ScoredSentence]]:
    """The scored sentences and the ones to quote (empty when the documents do not cover the question).

    A question that asks for nothing but one kind of thing (`REQUIRED_KINDS`: a price, a distance, a duration) is
    answered only by a quote that holds that kind about what was asked: when the best sentence, with the sentences or
    list items it brings, does not, the best sentence that does is quoted instead if it scores within `KIND_WITHIN`
    of the best one, and otherwise the documents talk about the topic but not about what was asked. The quoted
    sentence that holds it comes first. `reorder`: the covered question's candidates in the order to quote them
    (`_answer_order`); off, in the order of their score (the routing signal, `best_sentence_score`)."""
    if (across := _across_languages(question, sources)) is not None:
        return across
    all_scored = score_sentences(question, sources)
    ranked = _superlative_choice(question, all_scored)
    if ranked is None:
        return all_scored, []
    scored = ranked
    listing = bool(LISTING.search(question))
    covered = covers(question, sources, scored, min_score)
    if covered and reorder and not PRICE_SUPERLATIVE.search(question):  # the cheapest one's place is decided
        scored = _answer_order(question, scored)
    chosen = pick(scored, min_score, listing=listing) if covered else []
    scored, chosen = _asked_kind_quoted(question, scored, chosen, min_score, listing)
    return scored, _with_completing_sentence(question, scored, chosen)


def _across_languages(question: str, sources: list[dict[str, Any]]
                      ) -> tuple[list[ScoredSentence], list[ScoredSentence]] | None:
    """`_answer` for a question asked in another language than the passages (`tools.multilingual`: an English
    question about Spanish documents), or None when it is asked in theirs. The question's words are not the
    passages' words, so the sentences of the first `CROSS_PASSAGES` passages are scored by their multilingual cosine
    to the question alone (times the rank factor); the documents cover the question when the best one reaches
    `CROSS_MIN_SCORE`, and it is quoted with the close ones (`pick`, down to `CROSS_SUPPORT_MIN`): the multilingual
    cosine is a weaker judge of which sentence answers than the English scoring."""
    top = sources[:CROSS_PASSAGES]
    if not asks_across_languages(question, [str(s.get("text") or "") for s in top]):
        return None
    candidates = [(i, " - ".join(p for p in (str(source.get("title") or ""), h) if p), s)
                  for i, source in enumerate(top) for h, s in split_sentences(str(source.get("text") or ""))]
    if not candidates:
        return [], []
    cosines = similarity(question, [s for _, _, s in candidates])
    scored = [ScoredSentence(s, i, n, h, round(float(c) * (1.0 - RANK_DECAY * i), 4), round(float(c), 4), 0.0,
                             False, h) for n, ((i, h, s), c) in enumerate(zip(candidates, cosines, strict=True))]
    scored.sort(key=lambda x: -x.score)
    if scored[0].score < CROSS_MIN_SCORE:
        return scored, []
    return scored, pick(scored, CROSS_SUPPORT_MIN, listing=bool(LISTING.search(question)))


def _answer_order(question: str, scored: list[ScoredSentence]) -> list[ScoredSentence]:
    """The candidate sentences in the order to quote them, once the documents cover the question: the score, which
    decides whether they do, weighs the question's words; the sentence that answers is more often the one closest in
    meaning (MiniLM cosine, `RANK_SEMANTIC`) and the one that holds a kind of thing the question asks for
    (`RANK_KIND`: the amount for "how much", the hours for "when do you open"), and seldom one that is itself a
    question (`RANK_QUESTION`: a document's own question, or a rhetorical one). Only the best `RANK_CANDIDATES`
    are re-ordered; their scores are kept."""
    kinds = [has for asks, has in (*ANSWER_KINDS, *REQUIRED_KINDS) if asks.search(question)]

    def key(s: ScoredSentence) -> float:
        return (s.score + RANK_SEMANTIC * s.semantic + (RANK_KIND if any(h.search(s.text) for h in kinds) else 0.0)
                - (RANK_QUESTION if s.text.rstrip().endswith("?") else 0.0))
    return sorted(scored[:RANK_CANDIDATES], key=key, reverse=True) + scored[RANK_CANDIDATES:]


def _with_completing_sentence(question: str, scored: list[ScoredSentence], chosen: list[ScoredSentence]
                              ) -> list[ScoredSentence]:
    """The quote with the sentence that completes the answering one right after it: the next sentence of the same
    passage and section, when it holds what the answering sentence leaves out of the question, a word of the question
    it lacks ("... the same applies to lenses bought from our online shop" for a question about the online shop), or
    a limit the question's own amount or age falls within ("Count the till ... at closing." "Anything over £10 goes in
    the log ..." for a till £25 short; "Nobody aged 80 or over pays it." for a 92-year-old). It is added, never put
    in the answering sentence's place; a next sentence that adds nothing the question asks is left out. Whether the
    documents cover the question is decided before."""
    if not chosen:
        return chosen
    lead = chosen[0]
    follower = next((s for s in scored if s.source == lead.source and s.position == lead.position + 1), None)
    if follower is None or follower.section != lead.section or follower.text in {c.text for c in chosen}:
        return chosen
    held = _words_with_terms(f"{lead.heading} {lead.text}")
    more = _words_with_terms(follower.text)
    adds_word = any((k in more or _alternatives(w) & more.keys()) and not (k in held or _alternatives(w) & held.keys())
                    for k, w in _question_keys(question).items())
    amounts = _amounts(question)
    return [lead, follower, *chosen[1:]] if adds_word or amounts and _within_limit(amounts, follower.text) else chosen


def _asked_kind_quoted(question: str, scored: list[ScoredSentence], chosen: list[ScoredSentence], min_score: float,
                       listing: bool) -> tuple[list[ScoredSentence], list[ScoredSentence]]:
    """`REQUIRED_KINDS`: the quote holds the one kind of thing asked for about what was asked (see `_answer`)."""
    required: list[Any] = [has for asks, has in REQUIRED_KINDS if asks.search(question)]
    if NAME_ASKED.search(question):
        required.append(_names_other_than(question))
    if not chosen or not required:
        return scored, chosen
    about = {w for head, mods in question_phrases(question) for w in (head, *mods)
             if w and w not in ASKING_WORDS and w not in ANSWER_FORM}
    # every word the question says, but those that ask, name the answer's form or who the story is about
    whole = frozenset(k for k in content_stems(question) if len(k) > 3) - ASKING_WORDS - ANSWER_FORM - ANYONE - \
        STORY_PEOPLE - GENERIC_WORDS - QUESTION_FORM
    if about:
        # what the question asks about, also as the words policies use for it ("new hires" ~ new staff)
        normal = _common_terms(question)
        about |= {k for k in content_stems(normal) - content_stems(question)
                  if k not in ASKING_WORDS and k not in ANSWER_FORM and k not in PLAIN_ADJECTIVES}
    # "how far will the optometrist travel": the distance is of the trip, not of a thing the question names first
    distance = REQUIRED_KINDS[1][0].search(question) is not None
    item = _asked_item(question, scored[:40]) if about and not distance else frozenset()
    words_ = frozenset(content_stems(question))
    kind = _asked_item_kind(question, scored[:40]) if item else frozenset()
    quoted = next((c for c in chosen if _holds_asked(c, required, about, item, words_, kind, whole)), None)
    if quoted is not None:  # first, unless it is an item of the lead-in quoted first
        first = [] if LEADS_IN.search(chosen[0].text) else [quoted]
        return scored, first + [c for c in chosen if c not in first]
    holding = next((s for s in scored if _holds_asked(s, required, about, item, words_, kind, whole)), None)
    if holding is None or holding.score < scored[0].score - KIND_WITHIN:
        return scored, []
    scored = [holding] + [s for s in scored if s is not holding]
    return scored, pick(scored, min_score, listing=listing)


@dataclass(frozen=True)
class _OtherName:
    """A name inside a sentence (a capitalized word after its first that is no everyday English word, or a title and
    name, "Dr. Demir") that is none of the question's own words (`own`, lower case): what answers "what's the name
    of the Kadıköy manager" ("The Kadıköy store manager may approve ..." repeats the question's name and names no
    one; "0% installment Credit card holders of participating banks" names no bank, "Branches in Cebu and Davao
    ..." names places, not the optometrist asked about). Used like a pattern."""

    own: frozenset[str]
    person: bool  # a person's name is asked ("the name of the optometrist"): a given name or surname answers

    def search(self, text: str) -> bool:
        if re.search(r"\b(Dr|Mr|Mrs|Ms|Prof)\.? [A-Z]", text):
            return True
        english = common_english()
        for m in re.finditer(r"(?<=[\w,;:)]\s)[A-ZÀ-ÖØ-Þ][^\W\d_]+", text):
            w = m.group(0)
            if w.lower() in self.own or w.lower() in english:
                continue
            if is_personal_name(w) if self.person else not is_place(w):
                return True
        return False


def _names_other_than(question: str) -> _OtherName:
    """The name check for a question that asks for a name (`NAME_ASKED`, see `_OtherName`)."""
    person = re.search(r"\bwho\b|\bnames? of (the|your|our) ([\w-]+ ){0,3}(manager|owner|director|optometrist|"
                       r"optician|supervisor|doctor|ophthalmologist|person|staff|contact|dispenser)s?\b", question,
                       re.I)
    return _OtherName(frozenset(w.lower() for w in re.findall(r"[^\W\d_]+", question)), person is not None)


def not_covered_text(searched: list[str]) -> str:
    names = ", ".join(f"\u201c{t}\u201d" for t in searched[:12])
    more = f" and {len(searched) - 12} more" if len(searched) > 12 else ""
    if not searched:
        return "Your company has no documents to search yet, so I can't answer that from your documents."
    return (f"Your documents don't seem to cover that. I searched {len(searched)} document(s): {names}{more}. "
            "No passage in them answers the question closely enough to quote.")


def extractive_answer(question: str, sources: list[dict[str, Any]], searched: list[str] | None = None,
                      *, min_score: float = MIN_ANSWER_SCORE,
                      aliases: Sequence[tuple[str, str]] = ()) -> ExtractiveAnswer:
    """Quote the answering sentence first, then close supporting ones, each with its passage number; never
    paraphrase. When no sentence clears `min_score`, say the documents do not cover it and name what was searched.
    `aliases`: the (other name, name) pairs of the tenant's documents the question uses (`tools.doc_aliases`), either
    name of a pair held where the passages write the other."""
    scored, chosen = _answer_with(question, sources, min_score, aliases)
    best = scored[0].score if scored else 0.0
    if not chosen:
        titles = searched if searched is not None else list(dict.fromkeys(str(s.get("title")) for s in sources))
        return ExtractiveAnswer(not_covered_text(titles), False, [], best)
    lines = [f"> {s.text} [{s.source + 1}]" for s in chosen]
    return ExtractiveAnswer("From your documents:\n\n" + "\n>\n".join(lines), True, chosen, best)


def _answer_with(question: str, sources: list[dict[str, Any]], min_score: float,
                 aliases: Sequence[tuple[str, str]], *, reorder: bool = True
                 ) -> tuple[list[ScoredSentence], list[ScoredSentence]]:
    """`_answer` with the question's other names of the tenant's places (`_ALIASES`) set for its duration."""
    token = _ALIASES.set(tuple(aliases))
    try:
        return _answer(question, sources, min_score, reorder=reorder)
    finally:
        _ALIASES.reset(token)


def best_sentence_score(question: str, sources: list[dict[str, Any]],
                        aliases: Sequence[tuple[str, str]] = ()) -> float:
    """How well the best sentence of the sources answers the question (0 when there is none; capped at
    MIN_ANSWER_SCORE - 0.01 when the documents do not cover it: the passages miss most of the question's specific
    words, or hold no sentence with the one kind of thing it asks for). `aliases` as for `extractive_answer`."""
    scored, chosen = _answer_with(question, sources, MIN_ANSWER_SCORE, aliases, reorder=False)
    if not scored:
        return 0.0
    return chosen[0].score if chosen else min(scored[0].score, MIN_ANSWER_SCORE - 0.01)


__all__ = ["ExtractiveAnswer", "held_names", "MIN_ANSWER_SCORE", "ScoredSentence", "best_sentence_score", "covers",
           "extractive_answer", "not_covered_text", "passage_cover", "pick", "score_sentences", "split_sentences"]
