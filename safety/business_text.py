"""Vocabulary and language evidence that tell business text of any language from a person's name, for the output
PII guard (``safety.pii._resolve`` asks; this module decides nothing on its own and imports nothing from it).

- ``function_word_lean(words)``: how far a run of lower-case words leans to a language other than English, by the
  function words (stop words) of every language spaCy ships, read from its ``lang/*/stop_words.py`` files as text (no
  language package is imported): "dan", "di", "der", "delle" are function words of another language and of no
  English text; "his", "the", "about" only of English; "per", "in", "a" of both (no evidence). Positive: another
  language, negative: English, 0: no evidence either way.
- ``is_calendar_word(word)``: a day or month name, wide or abbreviated, of any language CLDR (``babel``) knows
  ("Samstag", "Sabtu", "Jumat", "Mercredi", "Czerwiec"). Built with the currency marks below once per ``babel``
  version (~3 s) and cached in the data folder by ``config.cache`` (``calendar_currency_words-<version>.json``, read
  in a few ms afterwards), like the holiday names of ``safety.allowlist``.
- ``is_currency_mark(word)``: an ISO 4217 code or a local currency symbol of a CLDR locale ("EUR", "Rp", "zł",
  "Kč", "€"): a capitalised run right before an amount is a product or price line, not a customer.

Nothing here reaches the network; every table is built from installed packages.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from functools import lru_cache
from importlib.util import find_spec
from pathlib import Path

import regex
from spacy.lang.en.stop_words import STOP_WORDS as _EN_STOP

from config.cache import cached_json

# One-letter function words of English ("a", "i") are no evidence; of the others only those that are words in
# languages with Latin script ("w", "z" Polish, "y" Spanish, "e" Italian/Portuguese, "o" Portuguese, "v" Czech).
_ONE_LETTER = frozenset("w z y e o v u k s".split())


@lru_cache(maxsize=1)
def _foreign_function_words() -> frozenset[str]:
    """Stop words of every language spaCy ships but English, Latin script only, lower-case."""
    spec = find_spec("spacy")
    lang_dir = Path(spec.origin).parent / "lang" if spec and spec.origin else None
    words: set[str] = set()
    for stop_file in sorted(lang_dir.glob("*/stop_words.py")) if lang_dir else ():
        if stop_file.parent.name == "en":
            continue
        for block in regex.findall(r'"""(.*?)"""', stop_file.read_text(encoding="utf-8"), flags=regex.S):
            words.update(w.lower() for w in block.split())
    return frozenset(w for w in words if regex.fullmatch(r"\p{Latin}+", w) and (len(w) >= 2 or w in _ONE_LETTER))


def is_foreign_function_word(word: str) -> bool:
    """A function word of another language that is no English stop word ("und", "dan", "delle")."""
    word = word.lower()
    return word in _foreign_function_words() and word not in _EN_STOP


def function_word_lean(words: Iterable[str], is_english_word: Callable[[str], bool]) -> int:
    """Evidence that the lower-case ``words`` are not English: +2 for each function word of another language that
    is no English stop word, -2 for each English stop word that is no function word of another language, -1 for each
    other English word, +1 for each other word with a letter English does not use ("nhánh", "płatności")."""
    foreign = _foreign_function_words()
    lean = 0
    for word in words:
        word = word.lower()
        in_en, in_other = word in _EN_STOP, word in foreign
        if in_other and not in_en:
            lean += 2
        elif in_en and not in_other:
            lean -= 2
        elif in_en or in_other:
            continue
        elif is_english_word(word):
            lean -= 1
        elif not word.isascii():
            lean += 1
    return lean


# --- calendar words ---------------------------------------------------------------------------------------------


def _build_tables() -> dict[str, list[str]]:
    """Day and month names (folded words of 3+ letters) and currency symbols of every base CLDR locale, with the
    ISO 4217 codes."""
    from babel import Locale
    from babel.core import get_global
    from babel.localedata import locale_identifiers

    names: set[str] = set()
    marks: set[str] = set(get_global("all_currencies") or ())
    for identifier in locale_identifiers():
        if "_" in identifier:
            continue  # a language's regional variants name the days as the language does
        try:
            locale = Locale.parse(identifier)
        except (ValueError, TypeError):
            continue
        marks.update(locale.currency_symbols.values())
        for table in (locale.days, locale.months):
            for context in ("format", "stand-alone"):
                for width in ("wide", "abbreviated"):
                    try:
                        values = table[context][width].values()
                    except (KeyError, AttributeError):
                        continue
                    for value in values:
                        names.update(w.strip(".").casefold() for w in value.split() if len(w.strip(".")) >= 3)
    return {"calendar": sorted(n for n in names if regex.fullmatch(r"\p{L}[\p{L}\p{M}'’\-]*", n)),
            "currency": sorted(m for m in marks if m and not m.isdigit())}


def _valid_tables(value: object) -> bool:
    return isinstance(value, dict) and all(
        isinstance(value.get(k), list) and all(isinstance(v, str) for v in value[k]) for k in ("calendar", "currency"))


@lru_cache(maxsize=1)
def _tables() -> dict[str, frozenset[str]]:
    try:
        import babel
    except ImportError:  # pragma: no cover - a dependency
        return {"calendar": frozenset(), "currency": frozenset()}
    built = cached_json(f"calendar_currency_words-{babel.__version__}.json", _build_tables, _valid_tables)
    return {k: frozenset(built[k]) for k in ("calendar", "currency")}


def is_calendar_word(word: str) -> bool:
    """``word`` (any case) is a day or month name of some language ("Samstag", "sabtu", "Mercredi", "Agosto")."""
    return word.strip(".").casefold() in _tables()["calendar"]


def is_currency_mark(word: str) -> bool:
    """An ISO 4217 code or a currency symbol some CLDR locale writes ("IDR", "Rp", "zł", "€", "R$")."""
    return word.strip() in _tables()["currency"]


def warm_up() -> None:
    """Build the tables now (the engine's start), not on a first answer."""
    _foreign_function_words()
    _tables()


__all__ = ["function_word_lean", "is_foreign_function_word", "is_calendar_word", "is_currency_mark", "warm_up"]
