"""Input checks on a user's chat message: the size limit (InputRejected) and prompt-injection heuristics (flags).

The flags are signals for the audit log and for the agent's caution, never a security boundary: tenant isolation
is enforced by the database whatever a message says. The checks are pure functions (no database, no model).
"""

from __future__ import annotations

import base64
import binascii
import re
import unicodedata
from dataclasses import dataclass

from config.errors import UserError

# Named flags and their weights; the score is their sum, capped at 1.0.
WEIGHTS: dict[str, float] = {
    "ignore_instructions": 0.5,  # "ignore all previous instructions", "forget your rules"
    "role_play_system": 0.4,  # "you are now DAN", "act as the system", fake "system:" / <|im_start|> turns
    "reveal_prompt": 0.4,  # "print your system prompt"
    "other_tenant_data": 0.5,  # "every tenant's sales", "switch to tenant X", "bypass row level security"
    "sql_payload": 0.5,  # "'; DROP TABLE", "UNION SELECT", "OR 1=1", pg_sleep(), SET ROLE
    "code_payload": 0.3,  # os.system, __import__, <script>, rm -rf, curl | sh
    "exfiltration": 0.5,  # "send the data to https://...", markdown images with query strings
    "hidden_text": 0.3,  # zero-width / bidi control characters
    "encoded_payload": 0.2,  # base64 that decodes to an injection, or any long base64 blob
}
SUSPICIOUS_SCORE = 0.5  # a score at or above this is worth a note in the audit log

_HIDDEN = re.compile("[\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u2069\ufeff]")

_INSTRUCTIONS = r"(?:instructions?|prompts?|rules|directions|guidelines|guardrails|constraints|context|programming)"
_BEFORE = r"(?:previous|prior|above|earlier|preceding|original|initial|system|developer|safety|hidden)"
_PATTERNS: dict[str, list[str]] = {
    "ignore_instructions": [
        # "ignore (all of) the previous instructions", "disregard your rules"; not "ignore the discount on order 123"
        rf"\b(?:ignore|disregard|forget|bypass|override|overwrite)\s+(?:(?:all|any)\s+)?(?:of\s+)?(?:the\s+)?"
        rf"(?:{_BEFORE}\s+(?:\w+\s+)?|your\s+(?:\w+\s+)?|(?:these|those)\s+){_INSTRUCTIONS}\b",
        rf"\b(?:ignore|disregard|forget)\s+(?:all|any)\s+{_INSTRUCTIONS}\b",
        r"\b(?:ignore|disregard|forget)\s+(?:everything|anything|all)\s+(?:above|before|previously|you\s+were\s+told)",
        r"\bnew\s+(?:system\s+)?instructions?\s*:",
        r"\b(?:without|no)\s+(?:any\s+)?(?:restrictions|guardrails|censorship|safety\s+(?:rules|filters|checks))\b",
    ],
    "role_play_system": [
        r"\byou\s+are\s+(?:now|no\s+longer)\b",
        r"\b(?:act|behave|respond)\s+as\s+(?:if\s+you\s+(?:were|are)\s+)?(?:an?\s+|the\s+)?(?:\w+\s+)?"
        r"(?:system|admin(?:istrator)?|root|superuser|developer|dba|database\s+admin\w*|unrestricted|jailbroken)\b",
        r"\bpretend\s+(?:to\s+be|you\s+are|that\s+you)\b",
        r"\b(?:developer|god|debug|admin|sudo)\s+mode\b",
        r"(?-i:\bDAN\b)|\bjailbr(?:eak|oken)\b",
        r"(?:^|\n)\s*(?:#{1,6}\s*)?(?:system|assistant|developer)\s*:",
        r"<\|?(?:im_start|im_end|system|endoftext)\|?>|\[/?inst\]|<</?sys>>",
    ],
    "reveal_prompt": [
        r"\b(?:reveal|show|print|repeat|display|output|tell|give|what\s+(?:is|are)|list)\s+(?:me\s+)?(?:all\s+)?"
        r"(?:your\s+(?:\w+\s+)?(?:prompt|instructions|rules)|the\s+(?:system|initial|hidden|original|developer)\s+"
        r"(?:prompt|instructions|message))\b",
        r"\bsystem\s+prompt\b",
    ],
    "other_tenant_data": [
        r"\b(?:every|each|all|other|another|any)\s+(?:other\s+)?(?:tenants?|compan(?:y|ies)|organi[sz]ations?|"
        r"retailers?|chains?|businesses|business)(?:'s|’s|s'|s’|')?\s+(?:\w+\s+){0,2}"
        r"(?:data|sales|revenue|records|rows|tables|orders|patients|customers|documents|numbers|figures|users)\b",
        r"\b(?:data|sales|revenue|records|rows|orders|patients|customers|documents|numbers|figures|users)\s+"
        r"(?:of|from|for|at|in)\s+(?:all\s+|every\s+|any\s+)?(?:the\s+)?(?:other|another|different)\s+"
        r"(?:tenants?|compan(?:y|ies)|organi[sz]ations?|retailers?|chains?|businesses)\b",
        r"\b(?:across|from|for|of|in)\s+(?:all|every|other|another|different)\s+(?:the\s+)?tenants?\b",
        r"\b(?:switch|change|move)\s+(?:me\s+)?(?:to\s+)?(?:another|a\s+different|the\s+other|other)\s+"
        r"(?:tenant|organi[sz]ation|company|account)\b",
        r"\b(?:as|impersonate)\s+(?:another|a\s+different|the\s+other)\s+(?:tenant|user|admin|company)\b",
        r"\btenant[_\s]?ids?\b|\bapp\.(?:tenant_id|user_role)\b",
        r"\b(?:bypass|disable|turn\s+off|circumvent|ignore)\s+(?:the\s+)?(?:row[\s-]level\s+security|rls|tenant\s+"
        r"(?:isolation|filters?|scoping))\b",
        r"\bcompetitors?(?:'s|’s|s'|s’)\s+(?:\w+\s+){0,2}(?:sales|data|revenue|numbers|customers|prices)\b",
    ],
    "sql_payload": [
        r"\bunion\s+(?:all\s+)?select\b",
        r";\s*(?:drop|truncate|grant|revoke|delete\s+from|alter\s+(?:table|role|user|policy)|update\s+\w+\s+set|"
        r"insert\s+into|create\s+(?:table|role|user|function|policy)|copy\s+\w+|set\s+(?:role|session|app\.))\b",
        r"\bdrop\s+(?:table|database|schema|policy|role)\b",
        r"['\"]\s*(?:or|and)\s+['\"]?\w+['\"]?\s*=\s*['\"]?\w+",
        r"'\s*\)?\s*;\s*--|'\s*--\s*$",
        r"\b(?:pg_sleep|pg_read_file|pg_ls_dir|lo_import|lo_export|dblink\w*|set_config|current_setting|"
        r"pg_terminate_backend|xp_cmdshell)\s*\(",
        r"\b(?:information_schema|pg_catalog|pg_shadow|pg_authid|pg_roles|pg_user)\b",
        r"\bset\s+(?:local\s+)?(?:role|session\s+authorization)\b",
        r"\bcopy\b.{0,80}\b(?:to|from)\s+program\b",
        r"\bselect\b.{1,200}\bfrom\b.{1,200}\bwhere\b.{0,80}(?:\bor\b\s*\d+\s*=\s*\d+|\bor\s+true\b)",
    ],
    "code_payload": [
        r"```\s*(?:python|py|bash|sh|shell|javascript|js)\b",
        r"\b(?:os\.system|os\.popen|subprocess\.\w+|__import__|eval|exec)\(",
        r"\bimport\s+(?:os|sys|subprocess|socket|requests|shutil)\b",
        r"<\s*script\b|\bjavascript\s*:|\bon(?:error|load)\s*=",
        r"\brm\s+-rf\b|\b(?:curl|wget)\s+\S+.{0,40}\|\s*(?:ba)?sh\b",
        r"\$\{jndi:|\{\{.{0,40}(?:__class__|config|self)\b.{0,40}\}\}",
    ],
    "exfiltration": [
        r"\b(?:send|post|upload|forward|email|e-mail|mail|leak|exfiltrate)\b.{0,80}\b(?:to|at)\s+"
        r"(?:https?://|ftp://|\S+@\S+\.\w+)",
        r"!\[[^\]]*\]\(\s*https?://[^)\s]*\?[^)\s]*\)",
    ],
}
_COMPILED = {flag: [re.compile(p, re.IGNORECASE | re.DOTALL) for p in pats] for flag, pats in _PATTERNS.items()}
_BASE64 = re.compile(r"(?:[A-Za-z0-9+/]{4}){6,}(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?")
_LONG_BLOB = 80  # a base64 run this long is flagged whatever it decodes to


class InputRejected(UserError, ValueError):
    """The message cannot be processed as sent (too long, empty); the text says why and what to do."""


@dataclass(frozen=True)
class InputCheck:
    """What the heuristics found: flag names (sorted), a score in [0, 1] and the message length."""

    flags: tuple[str, ...]
    score: float
    chars: int

    @property
    def suspicious(self) -> bool:
        return self.score >= SUSPICIOUS_SCORE


def _max_chars() -> int:
    from config import get_settings

    return get_settings().max_message_chars


def normalize(text: str) -> str:
    """NFKC (full-width and styled letters to plain), hidden characters removed, whitespace collapsed."""
    text = _HIDDEN.sub("", unicodedata.normalize("NFKC", text))
    return re.sub(r"[ \t\r\f\v]+", " ", text)


def check_size(text: str, max_chars: int | None = None) -> int:
    """Raise InputRejected when the message is empty or longer than the limit; returns its length."""
    limit = _max_chars() if max_chars is None else max_chars
    if not text or not text.strip():
        raise InputRejected("The message is empty: type a question.")
    if len(text) > limit:
        raise InputRejected(f"The message is {len(text):,} characters long; the limit is {limit:,}. "
                            "Shorten it or split it into several questions. Nothing was processed.")
    return len(text)


def _match_patterns(clean: str) -> set[str]:
    return {flag for flag, patterns in _COMPILED.items() if any(p.search(clean) for p in patterns)}


def injection_flags(text: str) -> list[str]:
    """Named prompt-injection / payload heuristics that match `text` (sorted)."""
    found: set[str] = set()
    if _HIDDEN.search(text):
        found.add("hidden_text")
    clean = normalize(text)
    found |= _match_patterns(clean)
    for blob in _BASE64.findall(clean):
        decoded = _decode(blob)
        inner = _match_patterns(normalize(decoded)) if decoded else set()
        if inner or len(blob) >= _LONG_BLOB:
            found |= inner | {"encoded_payload"}
    return sorted(found)


def _decode(blob: str) -> str | None:
    """The text a base64 run decodes to, when it is printable text (an instruction smuggled past the filters)."""
    try:
        text = base64.b64decode(blob + "=" * (-len(blob) % 4), validate=True).decode("utf-8")
    except (binascii.Error, UnicodeDecodeError):
        return None
    return text if text.isprintable() else None


def score(flags: list[str] | tuple[str, ...]) -> float:
    return round(min(1.0, float(sum(WEIGHTS.get(f, 0.2) for f in flags))), 2)


def check_message(text: str, *, max_chars: int | None = None) -> InputCheck:
    """Size check (InputRejected when over `max_chars`, default SIGHTLINE_MAX_MESSAGE_CHARS) then heuristics."""
    chars = check_size(text, max_chars)
    flags = injection_flags(text)
    return InputCheck(flags=tuple(flags), score=score(flags), chars=chars)
