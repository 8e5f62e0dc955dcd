"""Financial years written as their days: "FY 2025-26", "last financial year", "this FY", "FY26", "FYTD", "Q3 FY26".

Contract: `fiscal_year_dates(text, countries, today, start)` returns a `FiscalRead`: the question with each financial
year phrase written as the days it covers ("from 2025-04-01 to 2026-03-31"), one `Gloss` per rewrite (the phrase as
typed and its days, for the interpretation line), and `unknown`: the first phrase left unread because the year's first
day is not known (the parser then says so and asks for dates; it never takes the calendar year in its place).

- The first day of the financial year: `start` ("MM-DD": the one the tenant recorded, `sightline tenant fiscal-year`,
  else `Settings.fiscal_year_start`) when given; else the usual one
  of the tenant's one country (`FIRST_DAY`: the year that country's companies report on by law or by the tax year:
  1 April in India and Japan, 1 July in Australia and Pakistan, 1 March in South Africa, the calendar year in the
  countries listed as such). A country whose companies keep no one year (the United States, Canada: each company
  picks its own), several countries, or none: unknown.
- A year with two parts ("FY 2025-26", "2025/26 financial year") starts in its first year; a single year ("FY26",
  "FY 2026", "financial year 2026") is the one that ends in it, except where the country names a year by the one it
  starts in (Japan's 2025年度 starts in April 2025). In a calendar-year country both are the calendar year.
- "this / current / the present FY", "FY to date", "FYTD": the year that holds today, up to today; "last / previous /
  prior FY": the one before; "the FY before (that / last)": the one before the financial year named just before it
  (else before last); "Q1 FY26", "Q3 of FY 2025-26", "the first quarter of the financial year", "H2 of last FY": that
  quarter or half of the year (of this year when none is named).
- A year that has not started by today is left unread (the parser refuses periods in the future).
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass, field
from datetime import date, timedelta

from tools.sql.occasions import Gloss

__all__ = ["FIRST_DAY", "FiscalRead", "fiscal_year_dates"]

# the first day (month, day) of every company's financial year where the law fixes it: India (Companies Act 2013,
# s. 2(41)), Bangladesh (Finance Act 2015: the income year), and the calendar year in China (Accounting Law, art. 11),
# Brazil, Mexico (Código Fiscal de la Federación, art. 11), Colombia, Chile, Peru and Russia (402-FZ, art. 15). Where
# companies may choose (Australia's July-June is the usual income year, not every company's), the year is asked.
FIRST_DAY: dict[str, tuple[int, int]] = {
    "IN": (4, 1), "BD": (7, 1),
    **dict.fromkeys(("CN", "BR", "MX", "CO", "CL", "PE", "RU"), (1, 1)),
}

_FY = r"(?:FY|F\.Y\.|fin(?:ancial)?\.?\s+y(?:ea)?r|fiscal\s+y(?:ea)?r|financial\s+year|fiscal\s+year)"
_YEARS = r"(?P<y1>(?:19|20)\d\d|'?\d\d)(?:\s*[-–/]\s*(?P<y2>(?:19|20)?\d\d))?"
_PART = (r"(?:(?P<q>[qQ][1-4]|[hH][12])"
         r"|(?:the\s+)?(?P<nth>first|second|third|fourth|1st|2nd|3rd|4th)\s+(?P<unit>quarter|half))")
_PHRASE = re.compile(
    rf"(?:{_PART}\s+(?:of\s+)?(?:the\s+)?)?"
    rf"(?:(?P<rel>this|current|the\s+current|present|last|previous|prior|the\s+last|the\s+previous|the\s+prior)\s+{_FY}"
    rf"|{_FY}\s*(?:'|’)?\s*{_YEARS}(?![\w/-])"
    rf"|(?P<y3>(?:19|20)\d\d)(?:\s*[-–/]\s*(?P<y4>(?:19|20)?\d\d))?\s+{_FY}"
    rf"|(?P<before>the\s+{_FY}\s+before(?:\s+(?:that|last|it))?|the\s+(?:previous|prior)\s+{_FY}\s+before)"
    rf"|(?P<todate>{_FY}[\s-]+to[\s-]+date|FYTD|so\s+far\s+this\s+{_FY}|this\s+{_FY}\s+so\s+far)"
    rf"|(?P<bare>(?<=\s)the\s+{_FY}(?!\s+before)))",
    re.IGNORECASE)
_ORDINAL = {"first": 1, "1st": 1, "second": 2, "2nd": 2, "third": 3, "3rd": 3, "fourth": 4, "4th": 4}


@dataclass(frozen=True)
class FiscalRead:
    text: str
    glosses: list[Gloss] = field(default_factory=list)
    unknown: str | None = None  # a financial-year phrase left unread: its first day is not known


def fiscal_year_dates(text: str, countries: tuple[str, ...], today: date, start: str = "") -> FiscalRead:
    """See the module docstring."""
    if not _PHRASE.search(text):
        return FiscalRead(text)
    first = _first_day(countries, start)
    if first is None:
        return FiscalRead(text, [], " ".join(_PHRASE.search(text).group(0).split()))  # type: ignore[union-attr]
    glosses: list[Gloss] = []
    out: list[str] = []
    at = 0
    previous: date | None = None  # the first day of the financial year named last
    for m in _PHRASE.finditer(text):
        year_start = _year_start(m, first, today, previous)
        if year_start is None:
            if m.group("y1") or m.group("y3"):  # "FY 2025/26" where the year is the calendar year: no such year
                return FiscalRead(text, [], " ".join(m.group(0).split()))
            continue
        begin, last = _span(m, year_start, first)
        if begin > today:
            continue  # not started: the parser refuses the future
        previous = year_start
        last = min(last, today) if m.group("todate") or m.group("rel") and m.group("rel").lower().endswith(
            ("this", "current", "present")) else last
        name = " ".join(m.group(0).split())
        glosses.append(Gloss(name, begin, last))
        out += [text[at:m.start()], f"from {begin.isoformat()} to {last.isoformat()}"]
        at = m.end()
    out.append(text[at:])
    return FiscalRead("".join(out), glosses)


def _first_day(countries: tuple[str, ...], start: str) -> tuple[int, int] | None:
    if start:
        month, _, day = start.partition("-")
        return int(month), int(day)
    return FIRST_DAY.get(countries[0]) if len(countries) == 1 else None


def _starting(year: int, first: tuple[int, int]) -> date:
    return date(year, *first)


def _holding(day: date, first: tuple[int, int]) -> date:
    """The first day of the financial year that holds `day`."""
    this = _starting(day.year, first)
    return this if day >= this else _starting(day.year - 1, first)


def _year_start(m: re.Match[str], first: tuple[int, int], today: date, previous: date | None) -> date | None:
    current = _holding(today, first)
    rel = (m.group("rel") or "").lower().split()[-1] if m.group("rel") else ""
    if rel in ("this", "current", "present") or m.group("todate"):
        return current
    if rel in ("last", "previous", "prior"):
        return _holding(current - timedelta(days=1), first)
    if m.group("before"):
        base = previous if previous is not None else _holding(current - timedelta(days=1), first)
        return _holding(base - timedelta(days=1), first)
    if m.group("bare"):
        return current if m.group("q") or m.group("nth") else None  # "the first quarter of the financial year"
    y1, y2 = m.group("y1") or m.group("y3"), m.group("y2") or m.group("y4")
    if y1 is None:
        return None
    one = _full_year(y1.lstrip("'"))
    if y2:
        two = _full_year(y2)
        if two != one + 1 or first == (1, 1):
            return None  # "FY 2024-26" is no one year; "FY 2025/26" is none where the year is the calendar year
        return _starting(one, first)
    if first == (1, 1):
        return _starting(one, first)
    return _starting(one - 1, first)  # "FY26": the year that ends in 2026


def _full_year(digits: str) -> int:
    return int(digits) if len(digits) == 4 else 2000 + int(digits)


def _span(m: re.Match[str], year_start: date, first: tuple[int, int]) -> tuple[date, date]:
    """The first and last day of the financial year starting on `year_start`, or of its quarter / half named."""
    next_start = _starting(year_start.year + 1, first)
    part = (m.group("q") or "").lower()
    if not part and m.group("nth"):
        part = ("q" if m.group("unit").lower() == "quarter" else "h") + str(_ORDINAL[m.group("nth").lower()])
    if not part or part[0] == "h" and int(part[1]) > 2:
        return year_start, next_start - timedelta(days=1)
    months = 3 if part[0] == "q" else 6
    begin = _add_months(year_start, months * (int(part[1]) - 1))
    return begin, _add_months(year_start, months * int(part[1])) - timedelta(days=1)


def _add_months(day: date, months: int) -> date:
    """The same day `months` later, or the month's last day where it has no such day (a year that starts on 31 July
    has a quarter that starts on 30 April)."""
    month = day.month - 1 + months
    year, month = day.year + month // 12, month % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))
