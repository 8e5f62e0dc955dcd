"""The other names a tenant's documents give their own branches, places and schemes, and which of them a question uses.

Documents often say what customers call a branch: "Customers use their own names for our branches: "Korba" or
"Masr El Gedida" is the Heliopolis branch, "Alex" is always the Smouha branch", "Our regulars call the Bangsar shop
"Telawi" or simply "HQ"", "Hafnarfjörður is "Hafnó"", "people say "la de Chapi" for the Chapinero store", or a
table row "Mong Kok ("MK")". A question may use either name ("what time does the Korba branch close?") while the
sentence that answers uses the other ("Heliopolis: 10:00-22:00"), so the docs answer reads the two as one name.

Contract:
- `alias_pairs(text)` -> (other name, name) pairs the text states, each as written, in the forms above: a quoted
  name that "is" / "means" a name, a name customers "call" / "say" by a quoted one, a name that "is" a quoted one,
  and a name followed by a quoted one in brackets. A description ("is a ...", "is an add-on that ...") is no name;
  a quoted name said of "it" is left out (what "it" is, another sentence says).
- `aliases_in(question, pairs)` -> the pairs the question uses by either name: the other name (without a leading
  article: "the 101 shop" ~ "101 shop"; a one-word everyday English word only where the question capitalizes it,
  "the Mall shop", not "a store in a mall") or the name's own proper words ("the La Laguna branch" for
  ("Aguere", "La Laguna")), written as a whole phrase. Empty when it uses none.
- `name_words(name)` -> the stems that name a place in a name ("the Heliopolis branch" -> heliopolis; "the head
  office" -> head, office): the capitalized words and numbers, or every content word when it has none.
- `tenant_aliases(tenant_id)` -> the pairs of all the tenant's documents, read under its RLS session and cached per
  tenant by a fingerprint of its document rows (``tools.doc_places``), so a changed document changes them.
- `search_query(question, pairs)` -> the question with the other names of what it names appended (for retrieval).
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Sequence
from typing import TYPE_CHECKING

from tools.place_forms import fold
from tools.tenant_cache import TenantCache
from tools.text_match import STOP, common_english, content_stems

if TYPE_CHECKING:
    from safety.place_names import DocumentText

_Q = r"[\"\u201c\u201d]([^\"\u201c\u201d\n]{1,40})[\"\u201c\u201d]"
_NICKS = rf"{_Q}(?:\s*,?\s*\bor\b\s*(?:simply\s+|just\s+|even\s+)?{_Q})?"
_NAME = r"[^,;:\"\u201c\u201d()\n]{2,60}?"
# "Korba" or "Masr El Gedida" is the Heliopolis branch / "la ville ocre" means our Marrakech shop
_NICK_IS = re.compile(rf"^\s*{_NICKS}\s+(?:is|are|means|=)\s+(?:always\s+|simply\s+|just\s+|usually\s+)?"
                      rf"(?P<name>{_NAME})\s*[.!]?\s*$", re.I)
# call the Bangsar shop "Telawi" or simply "HQ" / say "la de Chapi" for the Chapinero store
_CALL = re.compile(rf"\b(?:call|calls|called|name|names|named)\s+(?P<name>(?:the|our)\s+{_NAME})\s+{_NICKS}", re.I)
_SAY_FOR = re.compile(rf"\b(?:say|says|write|writes|use|uses)\s+{_NICKS}\s+(?:for|to mean)\s+(?P<name>{_NAME})"
                      r"\s*[.!]?\s*$", re.I)
# Hafnarfjörður is "Hafnó" / the Akureyri store is "up north" / Johor Bahru is "JB" on all our receipts
_IS_NICK = re.compile(rf"^\s*(?:and\s+)?(?P<name>{_NAME})\s+(?:is|are)\s+(?:called\s+|known as\s+|simply\s+)?{_NICKS}"
                      r"(?:\s+(?:for|to|on|in|among|with)\b[^\"\u201c\u201d]*)?\s*[.!]?\s*$", re.I)
# Mong Kok ("MK") / Arequipa ("Mercaderes", the Ciudad Blanca store) / Praha 2 - Vinohrady ("Náměstí Míru", ...) /
# a table cell "La Laguna - "Aguere"" / Mar del Plata ("La Feliz") / Brno - centre ("Štatl")
_WORD = r"[A-ZÀ-ÖØ-Þ0-9][\w'\u2019.-]*"
_BRACKETED = re.compile(rf"(?P<name>(?:{_WORD}\s+(?:(?:-|de|del|la|las|los|do|da|dos|das|di|du|des|von|van|y)\s+)*)"
                        rf"{{0,3}}(?:{_WORD}|(?<=- )[a-z]+))\s*(?:\(|[-\u2013]\s*(?=[\"\u201c]))\s*{_NICKS}")
_SEGMENT = re.compile(r"[,;:]\s+|\s+(?:and|but)\s+(?=[\"\u201c\u201d]|the\b|our\b|[A-ZÀ-ÖØ-Þ])")
_SENTENCE = re.compile(r"(?<=[.!?])\s+")
_ARTICLE = re.compile(r"^(?:the|our|your|a|an|le|la|les|l'|el|los|las|il|lo|o|os|as|die|der|das|de|het)\s+", re.I)
_DESCRIPTION = re.compile(r"^(?:a|an|one|any|some|what|which|how|when|where|why|who|that|this|it|not|no)\b", re.I)
MAX_NAME_WORDS = 5  # a longer "name" is a description ("is the shop where we ...")
MAX_NICK_WORDS = 4


def _name(raw: str) -> str | None:
    name = " ".join(raw.split()).strip(" .!'\u2019")
    if not name or _DESCRIPTION.match(name) or len(name.split()) > MAX_NAME_WORDS:
        return None
    return name


def _nick_groups(match: re.Match[str]) -> list[str]:
    """The quoted names a match holds (every group but the name)."""
    skip = match.re.groupindex["name"]
    return [g for i, g in enumerate(match.groups(), 1) if i != skip and g]


def alias_pairs(text: str) -> list[tuple[str, str]]:
    """The (other name, name) pairs a text states (see the module docstring), in order, each once."""
    out: list[tuple[str, str]] = []

    def add(nicks: Sequence[str | None], raw: str) -> None:
        name = _name(raw)
        if name is None:
            return
        for nick in nicks:
            nick = (nick or "").strip()
            if nick and len(nick.split()) <= MAX_NICK_WORDS and fold(nick) != fold(name) and \
                    (nick, name) not in out:
                out.append((nick, name))

    for line in text.splitlines():
        for m in _BRACKETED.finditer(line):
            add(_nick_groups(m), m.group("name"))
    # a paragraph's wrapped lines joined; table rows and list items stay lines of their own
    for block in re.split(r"\n\s*\n", text):
        joined = re.sub(r"\n(?!\s*(?:[|#>*-]|\d+[.)]))", " ", block)
        for sentence in (s for line in joined.splitlines() for s in _SENTENCE.split(line)):
            for m in _CALL.finditer(sentence):
                add(_nick_groups(m), m.group("name"))
            for segment in _SEGMENT.split(sentence):
                for pattern in (_NICK_IS, _SAY_FOR, _IS_NICK):
                    if (m := pattern.search(segment)) is not None:
                        add(_nick_groups(m), m.group("name"))
                        break
    return out


def name_words(name: str) -> set[str]:
    """The stems that name the place in a name: its capitalized words and numbers ("the Heliopolis branch" ->
    heliopolis, "Morocco Mall" -> morocco, mall), or all its content words when none is capitalized ("the head
    office")."""
    proper = " ".join(w for w in re.findall(r"[\w'\u2019-]+", name) if w[:1].isupper() or w[:1].isdigit())
    return content_stems(proper) or content_stems(name)


def _phrase(text: str, phrase: str) -> bool:
    folded = fold(phrase)
    return bool(folded) and re.search(rf"(?<![\w]){re.escape(folded)}(?![\w])", fold(text)) is not None


def uses_other_name(question: str, nick: str) -> bool:
    """Whether the question writes the other name `nick` (without a leading article; a one-word everyday English word
    only capitalized)."""
    bare = _ARTICLE.sub("", nick.strip())
    if len(fold(bare)) < 2 or fold(bare) in STOP:
        return False
    if " " not in bare.strip() and bare.lower() in common_english():
        # an everyday word ("Mall", "downtown") names the place only where the question capitalizes it
        return re.search(rf"(?<![\w]){re.escape(bare[:1].upper() + bare[1:])}(?![\w])", question) is not None
    return _phrase(question, bare)


def aliases_in(question: str, pairs: Sequence[tuple[str, str]]) -> list[tuple[str, str]]:
    """The pairs the question uses, by the other name or by the name's own proper words (see the module docstring)."""
    out: list[tuple[str, str]] = []
    asked = content_stems(question)
    for nick, name in pairs:
        proper = name_words(name)
        by_name = bool(proper) and proper <= asked and any(w[:1].isupper() for w in name.split())
        if uses_other_name(question, nick) or by_name:
            out.append((nick, name))
    return out


def search_query(question: str, pairs: Sequence[tuple[str, str]]) -> str:
    """The question with the other name of each name it uses appended ("... the Korba branch ... Heliopolis"), for
    retrieval; the question itself when it uses none."""
    extra: list[str] = []
    for nick, name in aliases_in(question, pairs):
        other = name if uses_other_name(question, nick) else _ARTICLE.sub("", nick)
        if not _phrase(question, other) and other not in extra:
            extra.append(other)
    return f"{question} ({', '.join(extra)})" if extra else question


_pairs: TenantCache[str, tuple[tuple[str, str], ...]] = TenantCache()


def _all_pairs(docs: list[DocumentText]) -> tuple[tuple[str, str], ...]:
    out: list[tuple[str, str]] = []
    for doc in docs:
        out += [p for p in alias_pairs(doc.text) if p not in out]
    return tuple(out)


def tenant_aliases(tenant_id: uuid.UUID | str) -> tuple[tuple[str, str], ...]:
    """The (other name, name) pairs of every document of the tenant (cached per tenant and document fingerprint)."""
    from tools.doc_places import _cached

    return _cached(_pairs, tenant_id, _all_pairs)  # type: ignore[arg-type]


__all__ = ["alias_pairs", "aliases_in", "name_words", "search_query", "tenant_aliases", "uses_other_name"]
