"""Time-range parser of the SQL tool: phrases like "last month", "Q1 2025", "between March and May" -> date periods.

Every phrase is resolved against a reference day ``today`` (tests pin it; the tool defaults to ``date.today()``).
A `Period` is half-open, ``start <= day < end``, which is what the SQL uses (``sold_at >= :start AND sold_at <
:end``). Conventions (also in docs/sql-tool.md):

- a month, quarter or year named without a year ("in March", "Q3") is the most recent one that has started;
- "last/past N days" is the N whole days before today; "last N weeks" the 7*N days before today; "last N months"
  / "last N years" the N whole calendar months / years before the current one;
- "trailing / rolling N months" is "last N months"; "TTM" / "LTM" the last 12 months; "the last fortnight" the last 14
  days;
- "this week/month/quarter/year" (and "week/month/quarter/year to date", "wtd", "ytd") run to the end of the calendar
  unit;
  use `Period.clamp()` to cut them at today for like-for-like comparisons;
- weeks start on Monday; a whole week "a year earlier" is the same Monday-to-Sunday week 52 weeks back;
- seasons are meteorological and northern unless the caller says the tenant is south of the equator
  (`southern_seasons`).

`parse_periods()` returns every time phrase in a text with its character span (so callers can blank it out before
looking for product or store names); `parse_period()` returns the first one.
"""

from __future__ import annotations

import calendar
import re
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, replace
from datetime import date, timedelta
from typing import Any

from config.errors import UserError

__all__ = ["DateRangeError", "Period", "parse_period", "parse_periods", "southern_seasons"]


class DateRangeError(UserError, ValueError):
    """A time phrase that names no real range ("February 30", a range that ends before it starts)."""


MONTHS = {
    "january": 1, "february": 2, "march": 3, "april": 4, "may": 5, "june": 6, "july": 7, "august": 8,
    "september": 9, "october": 10, "november": 11, "december": 12,
}  # fmt: skip
MONTH_ABBR = {
    "jan": 1, "feb": 2, "mar": 3, "apr": 4, "jun": 6, "jul": 7, "aug": 8, "sep": 9, "sept": 9, "oct": 10,
    "nov": 11, "dec": 12,
}  # fmt: skip
ORDINAL_QUARTER = {"first": 1, "second": 2, "third": 3, "fourth": 4, "1st": 1, "2nd": 2, "3rd": 3, "4th": 4}
NUMBER_WORDS = {
    "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9,
    "ten": 10, "eleven": 11, "twelve": 12, "fourteen": 14, "thirty": 30, "sixty": 60, "ninety": 90,
}  # fmt: skip

_MONTH_FULL = "|".join(sorted(MONTHS, key=len, reverse=True))
_MONTH_ABBR = "|".join(sorted(MONTH_ABBR, key=len, reverse=True))
_MONTH = rf"(?:{_MONTH_FULL}|(?:{_MONTH_ABBR})\.?)"
_YEAR = r"(?:19|20)\d{2}"
_DAY = r"(?:[12]\d|3[01]|0?[1-9])(?:st|nd|rd|th)?"
_UNIT = r"(?:day|week|month|quarter|year)"

# One point in time (a day, week, month, quarter or year); alternatives are ordered longest first.
_POINT_PATTERNS: tuple[tuple[str, str], ...] = (
    ("week_of_day", rf"(?:the\s+)?week\s+(?:of|starting|beginning|commencing|from)\s+(?:the\s+)?"
                    rf"(?:{_YEAR}-(?:1[0-2]|0?[1-9])-(?:[12]\d|3[01]|0?[1-9])|{_MONTH}\s+{_DAY}(?:,?\s+{_YEAR})?"
                    rf"|{_DAY}\s+(?:of\s+)?{_MONTH}(?:,?\s+{_YEAR})?)"),
    ("iso_day", rf"{_YEAR}-(?:1[0-2]|0?[1-9])-(?:[12]\d|3[01]|0?[1-9])"),
    ("iso_month", rf"{_YEAR}-(?:1[0-2]|0[1-9])(?![\d-])"),
    ("us_day", r"(?:1[0-2]|0?[1-9])/(?:[12]\d|3[01]|0?[1-9])(?:/(?:\d{4}|\d{2}))?"),
    ("month_day", rf"{_MONTH}\s+{_DAY}(?:,?\s+{_YEAR})?(?![\d:])"),
    ("day_month", rf"{_DAY}\s+(?:of\s+)?{_MONTH}(?:,?\s+{_YEAR})?"),
    ("month_year", rf"{_MONTH},?\s+(?:of\s+)?{_YEAR}"),
    ("half_of_month", rf"(?:the\s+)?(?:first|second|1st|2nd|latter)\s+half\s+of\s+{_MONTH}(?:,?\s+{_YEAR})?"),
    ("half", rf"(?:the\s+)?(?:first|second|1st|2nd)\s+half(?:,?\s+of)?(?:,?\s+(?:{_YEAR}|(?:this|last|the)\s+year))?"
             rf"|h[12](?:\s*{_YEAR})?|{_YEAR}[\s-]*h[12]"),
    ("days_of_month", rf"(?:the\s+)?(?:first|last)\s+(?:\d{{1,2}}|two|three|four|five|six|seven|eight|nine|ten|eleven"
                      rf"|twelve|fourteen)\s+days\s+of\s+{_MONTH}(?:,?\s+{_YEAR})?"),
    ("week_of_month", rf"(?:the\s+)?(?:first|second|third|fourth|1st|2nd|3rd|4th|last)\s+week\s+of\s+{_MONTH}"
                      rf"(?:,?\s+{_YEAR})?"),
    ("month_rel_year", rf"{_MONTH}\s+(?:of\s+)?(?:this|last)\s+year"),
    ("quarter_rel_year", r"(?:q[1-4]|(?:first|second|third|fourth|1st|2nd|3rd|4th)\s+quarter)\s+(?:of\s+)?"
                         r"(?:this|last)\s+year"),
    ("quarter", rf"q[1-4](?:\s*(?:of\s+)?{_YEAR})?|{_YEAR}[\s-]*q[1-4]"
                rf"|(?:first|second|third|fourth|1st|2nd|3rd|4th)\s+quarter(?:,?\s+(?:of\s+)?{_YEAR})?"),
    ("relative", rf"so\s+far\s+(?:this|in\s+the)\s+{_UNIT}|(?:this|the)\s+{_UNIT}\s+so\s+far|so\s+far\s+in\s+{_YEAR}"
                 rf"|{_YEAR}\s+so\s+far|(?:(?:the\s+)?(?:last|previous|past|prior|most\s+recent|latest)|this\s+past)\s+"
                 rf"(?:full|complete|whole|entire)\s+{_UNIT}|(?:the\s+)?(?:most\s+recent|latest)\s+{_UNIT}"
                 rf"|this\s+past\s+{_UNIT}|(?:this|current|last|previous|past|prior)\s+{_UNIT}"
                 rf"|the\s+(?:previous|prior)\s+{_UNIT}"
                 r"|today|yesterday|year[\s-]to[\s-]date|month[\s-]to[\s-]date|quarter[\s-]to[\s-]date"
                 r"|week[\s-]to[\s-]date|ytd|mtd|qtd|wtd|ttm|ltm|(?:the\s+)?(?:last|past|previous|prior)\s+fortnight"),
    ("season", rf"(?:this|last|past)\s+(?:spring|summer|fall|autumn|winter)"
               rf"|(?:spring|summer|fall|autumn|winter)\s+(?:of\s+)?(?:{_YEAR}|(?:this|last)\s+year)"
               r"|(?:spring|summer|autumn|winter)"),
    ("month", _MONTH),
    ("year", _YEAR),
)  # fmt: skip
_POINT = "|".join(f"(?:{p})" for _, p in _POINT_PATTERNS)
_NUMBER = r"\d{1,3}|" + "|".join(sorted(NUMBER_WORDS, key=len, reverse=True))

_RANGE_RE = re.compile(
    rf"\b(?:between\s+(?P<a1>{_POINT})\s+(?:and|to|-|–)\s+(?P<b1>{_POINT})"
    rf"|from\s+(?P<a2>{_POINT})\s+(?:to|until|till|through|thru|-|–)\s+(?P<b2>{_POINT})"
    rf"|(?P<a3>{_POINT})(?:\s+(?:to|until|till|through|thru)\s+|\s*[-–]\s*)(?P<b3>{_POINT}))(?![\w/-])",
    re.IGNORECASE,
)
# "between 5 and 18 January 2026", "5-18 Jan", "from March 3 to 9, 2025": two days of one month
_DAY_SPAN_RE = re.compile(
    rf"\b(?:(?P<lead>between|from)\s+)?(?:(?:the\s+)?(?P<d1>{_DAY})\s*(?P<c1>and|to|until|till|through|thru|-|–)\s*"
    rf"(?:the\s+)?(?P<d2>{_DAY})\s+(?:of\s+)?(?P<m1>{_MONTH})(?:,?\s+(?P<y1>{_YEAR})|\s+(?P<r1>(?:last|this)\s+year))?"
    rf"|(?P<m2>{_MONTH})\s+(?P<d3>{_DAY})\s*(?P<c2>and|to|until|till|through|thru|-|–)\s*(?P<d4>{_DAY})"
    rf"(?:,?\s+(?P<y2>{_YEAR})|\s+(?P<r2>(?:last|this)\s+year))?)(?![\w/-]|:\d)",  # (a time after it: "10:30")
    re.IGNORECASE,
)
# "since March", "since the start of 2025", "since the beginning of Q2": from that point's first day to today; "since
# last September" is since the latest September, as "since September" (never September alone)
# "since the price went up in March", "since the Hoya price rise in April", "since the March increase": since that
# point (the event said around it is no condition of its own)
_CHANGE_VERB = (r"(?:went\s+(?:up|down)|rose|fell|increased|decreased|changed|opened|re-?opened|started|began|launched"
                r"|moved|came\s+in|arrived|joined|kicked\s+off|took\s+over)")
_CHANGE_NOUN = r"(?:(?:price\s+)?(?:increases?|rises?|hikes?|changes?)|launch|opening|re-?opening|re-?launch|refit)"
_SINCE_RE = re.compile(
    rf"\b(?:since)\s+(?:the\s+)?(?:(?:start|beginning)\s+of\s+(?:the\s+)?)?"
    rf"(?:(?:[\w'-]+\s+){{0,4}}?{_CHANGE_VERB}\s+(?:[\w'-]+\s+){{0,2}}?(?:in|on)\s+(?:the\s+)?"
    rf"|(?:[\w'-]+\s+){{0,3}}?{_CHANGE_NOUN}\s+(?:in|on)\s+(?:the\s+)?)?"
    rf"(?:last\s+(?={_MONTH}(?![\w/-])))?"
    rf"(?P<a>{_POINT})(?:\s+{_CHANGE_NOUN})?(?![\w/-])", re.IGNORECASE)
# "since the 1st of the month", "since the start of the year": this month / year so far
_SINCE_UNIT_START_RE = re.compile(rf"\bsince\s+the\s+(?:start|beginning|1st|first(?:\s+day)?)\s+of\s+(?:the|this)\s+"
                                  rf"(?P<unit>{_UNIT})\b", re.IGNORECASE)
_ROLLING_RE = re.compile(
    rf"\b(?:(?:in|over|during|for)\s+)?(?:the\s+)?(?:last|past|previous|prior|trailing|rolling)\s+(?P<n>{_NUMBER})\s+"
    rf"(?P<unit>{_UNIT})s?\b",
    re.IGNORECASE,
)
_POINT_RE = re.compile(rf"(?<![\w/-])(?:{_POINT})(?![\w/-])", re.IGNORECASE)
# ... and after a word the modal never follows ("how did may go", "how was may", "what about may")
_LOWERCASE_MAY_OK = re.compile(r"(?:\b(?:in|of|since|during|for|from|between|and|to|vs|versus|until|through|did|does"
                               r"|was|were|about)\s+)$", re.IGNORECASE)


@dataclass(frozen=True)
class Period:
    """A half-open date range ``start <= day < end`` with a human label ("March 2025", "Q1 2025")."""

    start: date
    end: date
    label: str
    grain: str  # day | week | month | quarter | half | year | range
    text: str = ""  # the phrase it was parsed from
    span: tuple[int, int] = (0, 0)  # character span of `text` in the parsed string
    partial: bool = False  # cut at "today" by clamp()

    @property
    def last_day(self) -> date:
        return self.end - timedelta(days=1)

    @property
    def days(self) -> int:
        return (self.end - self.start).days

    @property
    def phrase(self) -> str:
        """The label as it reads after a verb: "in March 2025", "on 2025-03-14", "from 2025-03-01 to 2025-05-31"."""
        if self.grain == "day":
            return f"on {self.label}"
        if self.label.startswith(("from ", "since ")):
            return self.label
        return f"in {self.label}"

    def previous(self) -> Period:
        """The period of the same kind just before this one (month -> previous month, range -> same length)."""
        if self.grain == "month" and not self.partial:
            start = add_months(self.start, -1)
            return _month_period(start.year, start.month)
        if self.grain == "quarter" and not self.partial:
            start = add_months(self.start, -3)
            return _quarter_period(start.year, (start.month - 1) // 3 + 1)
        if self.grain == "year" and not self.partial:
            return _year_period(self.start.year - 1)
        if self.grain == "half" and not self.partial:
            return _half_period(add_months(self.start, -6))
        if self.grain in ("month", "quarter", "year", "half"):  # a partial unit: the same days of the previous unit
            months = {"month": 1, "quarter": 3, "year": 12, "half": 6}[self.grain]
            start, end = add_months(self.start, -months), add_months(self.end, -months)
            return Period(start, end, _range_label(start, end), "range", partial=True)
        start = self.start - timedelta(days=self.days)
        grain = self.grain if self.grain in ("day", "week") else "range"
        label = start.isoformat() if grain == "day" else _range_label(start, self.start)
        return Period(start, self.start, label, grain)

    def year_earlier(self) -> Period:
        """The same dates one year earlier (29 February becomes the 28th); a whole week is the same Monday-to-Sunday
        week 52 weeks earlier."""
        if self.grain == "month" and not self.partial:
            return _month_period(self.start.year - 1, self.start.month)
        if self.grain == "quarter" and not self.partial:
            return _quarter_period(self.start.year - 1, (self.start.month - 1) // 3 + 1)
        if self.grain == "year" and not self.partial:
            return _year_period(self.start.year - 1)
        if self.grain == "half" and not self.partial:
            return _half_period(add_months(self.start, -12))
        if self.grain == "week" and not self.partial:
            # the same Monday-to-Sunday week a year back (52 weeks earlier), as retail compares weeks
            start, end = self.start - timedelta(weeks=52), self.end - timedelta(weeks=52)
            return Period(start, end, f"the week of {start.isoformat()} to {(end - timedelta(days=1)).isoformat()}",
                          "week")
        start, end = add_months(self.start, -12), add_months(self.end, -12)
        if self.grain == "day":
            return Period(start, end, start.isoformat(), "day")
        return Period(start, end, _range_label(start, end), "range", partial=self.partial)

    def clamp(self, today: date) -> Period:
        """Cut a period that runs past today at the end of today (``end = today + 1 day``)."""
        limit = today + timedelta(days=1)
        if self.end <= limit or self.start >= limit:
            return self
        return replace(self, end=limit, label=f"{self.label} to date", partial=True)

    def to_dict(self) -> dict[str, Any]:
        return {"start": self.start.isoformat(), "end": self.end.isoformat(), "label": self.label,
                "grain": self.grain, "partial": self.partial}

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Period:
        return cls(start=date.fromisoformat(str(data["start"])), end=date.fromisoformat(str(data["end"])),
                   label=str(data.get("label") or ""), grain=str(data.get("grain") or "range"),
                   partial=bool(data.get("partial", False)))


# -- building blocks ---------------------------------------------------------------------------------------------


def add_months(day: date, months: int) -> date:
    """The same day `months` calendar months later (or earlier), on the month's last day when it has no such day."""
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    return date(year, month + 1, min(day.day, calendar.monthrange(year, month + 1)[1]))


def _month_period(year: int, month: int) -> Period:
    start = date(year, month, 1)
    return Period(start, add_months(start, 1), f"{calendar.month_name[month]} {year}", "month")


def _quarter_period(year: int, quarter: int) -> Period:
    start = date(year, 3 * (quarter - 1) + 1, 1)
    return Period(start, add_months(start, 3), f"Q{quarter} {year}", "quarter")


def _half_period(start: date) -> Period:
    half = 1 if start.month < 7 else 2
    return Period(start, add_months(start, 6), f"H{half} {start.year}", "half")


def _year_period(year: int) -> Period:
    return Period(date(year, 1, 1), date(year + 1, 1, 1), str(year), "year")


def _day_period(day: date) -> Period:
    return Period(day, day + timedelta(days=1), day.isoformat(), "day")


def _range_label(start: date, end: date) -> str:
    """Label of the half-open range [start, end): inclusive dates, as a reader expects."""
    return f"from {start.isoformat()} to {(end - timedelta(days=1)).isoformat()}"


def _safe_date(year: int, month: int, day: int, text: str) -> date:
    try:
        return date(year, month, day)
    except ValueError:
        raise DateRangeError(f'"{text}" is not a real date') from None


def month_number(word: str) -> int | None:
    """1-12 for an English month name or abbreviation ("July", "aug.", "Sept"), else None."""
    word = word.lower().rstrip(".")
    return MONTHS.get(word) or MONTH_ABBR.get(word)


def _month_number(word: str) -> int:
    number = month_number(word)
    if number is None:
        raise KeyError(word)
    return number


def _recent_year_for_month(month: int, today: date) -> int:
    """The year of the most recent `month` that has started by `today`."""
    return today.year if month <= today.month else today.year - 1


def _recent_day(month: int, day: int, today: date, text: str) -> date:
    """The most recent `month`/`day` on or before `today` (29 February: the last leap year)."""
    _safe_date(2000, month, day, text)  # a day that exists in no year is an error
    for year in range(today.year, today.year - 8, -1):
        try:
            candidate = date(year, month, day)
        except ValueError:
            continue
        if candidate <= today:
            return candidate
    raise DateRangeError(f'"{text}" is not a real date')  # pragma: no cover - a leap year is always within 8 years


def _number(text: str) -> int:
    text = text.lower()
    return int(text) if text.isdigit() else NUMBER_WORDS[text]


# -- parsing one point -------------------------------------------------------------------------------------------

_DAY_NUM = re.compile(r"(\d{1,2})(?:st|nd|rd|th)?$", re.IGNORECASE)


def _parse_point(text: str, today: date) -> Period:
    """Parse one point phrase (matched by _POINT) into a Period."""
    t = " ".join(text.lower().split())
    kind = next(k for k, p in _POINT_PATTERNS if re.fullmatch(p, t, re.IGNORECASE))
    if kind == "iso_day":
        y, m, d = (int(x) for x in t.split("-"))
        return _day_period(_safe_date(y, m, d, text))
    if kind == "iso_month":
        y, m = (int(x) for x in t.split("-"))
        return _month_period(y, m)
    if kind == "us_day":
        parts = [int(x) for x in t.split("/")]
        m, d = parts[0], parts[1]
        if len(parts) == 3:
            y = parts[2] + (2000 if parts[2] < 100 else 0)
            return _day_period(_safe_date(y, m, d, text))
        return _day_period(_recent_day(m, d, today, text))
    if kind in ("month_day", "day_month"):
        words = re.findall(r"[a-z]+\.?|\d+(?:st|nd|rd|th)?", t)
        month_word = next(w for w in words if w.rstrip(".") in MONTHS or w.rstrip(".") in MONTH_ABBR)
        nums = [w for w in words if w[0].isdigit()]
        day_num = int(_DAY_NUM.match(nums[0]).group(1))  # type: ignore[union-attr]
        month = _month_number(month_word)
        if len(nums) > 1:
            return _day_period(_safe_date(int(nums[1]), month, day_num, text))
        return _day_period(_recent_day(month, day_num, today, text))
    if kind == "month_year":
        month_word = re.match(r"[a-z]+\.?", t).group(0)  # type: ignore[union-attr]
        return _month_period(int(re.search(r"\d{4}", t).group(0)), _month_number(month_word))  # type: ignore[union-attr]
    if kind == "days_of_month":
        words = t.split()
        if words[0] == "the":
            words = words[1:]
        n = int(words[1]) if words[1].isdigit() else NUMBER_WORDS[words[1]]
        month = _month_number(words[4])
        year_match = re.search(r"\d{4}", t)
        year = int(year_match.group(0)) if year_match else _recent_year_for_month(month, today)
        days = calendar.monthrange(year, month)[1]
        if not 1 <= n <= days:
            raise DateRangeError(f'"{text}" has more days than the month')
        first = date(year, month, 1)
        start = first if words[0] == "first" else first + timedelta(days=days - n)
        return Period(start, start + timedelta(days=n), _range_label(start, start + timedelta(days=n)), "range")
    if kind == "week_of_day":  # "the week of 4 May": Monday to Sunday around it; "the week starting 4 May": 7 days
        inner = re.sub(r"^(?:the\s+)?week\s+(?:of|starting|beginning|commencing|from)\s+(?:the\s+)?", "", t)
        day = _parse_point(inner, today).start
        start = day - timedelta(days=day.weekday()) if re.match(r"(?:the\s+)?week\s+of\b", t) else day
        end = start + timedelta(days=7)
        return Period(start, end, _range_label(start, end), "range")
    if kind == "half_of_month":  # "the first half of May": 1-15 May; "the second half": the 16th to the month's end
        month = _month_number(t.split(" of ")[1].split()[0].rstrip(","))
        year_match = re.search(r"\d{4}", t)
        year = int(year_match.group(0)) if year_match else _recent_year_for_month(month, today)
        first = date(year, month, 1)
        start = first if re.search(r"\b(?:first|1st)\b", t) else first + timedelta(days=15)
        end = first + timedelta(days=15) if start == first else add_months(first, 1)
        return Period(start, end, _range_label(start, end), "range")
    if kind == "week_of_month":
        words = t.split()
        which = words[1] if words[0] == "the" else words[0]
        month_word = t.split(" of ")[1].split()[0]
        month = _month_number(month_word)
        year_match = re.search(r"\d{4}", t)
        year = int(year_match.group(0)) if year_match else _recent_year_for_month(month, today)
        first = date(year, month, 1)
        days = calendar.monthrange(year, month)[1]
        nth = {"first": 0, "1st": 0, "second": 1, "2nd": 1, "third": 2, "3rd": 2, "fourth": 3, "4th": 3}
        start = first + timedelta(days=days - 7) if which == "last" else first + timedelta(days=7 * nth[which])
        return Period(start, start + timedelta(days=7), _range_label(start, start + timedelta(days=7)), "range")
    if kind == "season":
        return _season(t, today)
    if kind == "half":
        half = 2 if re.search(r"second|2nd|h2", t) else 1
        year_match = re.search(r"\d{4}", t)
        if year_match:
            year = int(year_match.group(0))
        elif "last year" in t:
            year = today.year - 1
        elif "this year" in t or "the year" in t:
            year = today.year
        else:  # the most recent such half that has started
            year = today.year if half == 1 or today.month >= 7 else today.year - 1
        return _half_period(date(year, 1 if half == 1 else 7, 1))
    if kind == "month_rel_year":
        year = today.year - (1 if "last year" in t else 0)
        return _month_period(year, _month_number(t.split()[0]))
    if kind == "quarter_rel_year":
        year = today.year - (1 if "last year" in t else 0)
        q_match = re.search(r"q([1-4])", t)
        return _quarter_period(year, int(q_match.group(1)) if q_match else ORDINAL_QUARTER[t.split()[0]])
    if kind == "quarter":
        year_match = re.search(r"\d{4}", t)
        q_match = re.search(r"q([1-4])", t)
        quarter = int(q_match.group(1)) if q_match else ORDINAL_QUARTER[t.split()[0]]
        if year_match:
            return _quarter_period(int(year_match.group(0)), quarter)
        current_q = (today.month - 1) // 3 + 1
        return _quarter_period(today.year if quarter <= current_q else today.year - 1, quarter)
    if kind == "relative":
        return _relative(t, today)
    if kind == "month":
        month = _month_number(t)
        return _month_period(_recent_year_for_month(month, today), month)
    return _year_period(int(t))  # year


_SEASON_START = {"spring": 3, "summer": 6, "fall": 9, "autumn": 9, "winter": 12}
_SOUTHERN_START = {"spring": 9, "summer": 12, "fall": 3, "autumn": 3, "winter": 6}
_SOUTHERN: ContextVar[bool] = ContextVar("sightline_southern_seasons", default=False)


@contextmanager
def southern_seasons(southern: bool) -> Iterator[None]:
    """Within the block, season words are the southern hemisphere's (summer Dec-Feb, winter Jun-Aug): for a tenant
    whose stores are all south of the equator (the SQL parser sets it from the tenant's countries)."""
    token = _SOUTHERN.set(southern)
    try:
        yield
    finally:
        _SOUTHERN.reset(token)


def _season(t: str, today: date) -> Period:
    """Meteorological seasons: spring Mar-May, summer Jun-Aug, fall Sep-Nov, winter Dec-Feb; in the southern
    hemisphere (`southern_seasons`) summer Dec-Feb, fall Mar-May, winter Jun-Aug, spring Sep-Nov. The season that
    starts in December of YYYY-1 is the one of YYYY (it ends in YYYY) and is labelled "YYYY-1-YY". Without a year:
    the most recent one that has started."""
    starts = _SOUTHERN_START if _SOUTHERN.get() else _SEASON_START
    name = next(n for n in starts if n in t)
    month = starts[name]
    spans = month == 12  # it starts in one year and ends in the next
    year_match = re.search(r"\d{4}", t)
    if year_match:
        year = int(year_match.group(0)) - (1 if spans else 0)
    elif "last year" in t:
        year = today.year - 1 - (1 if spans else 0)
    elif "this year" in t:
        year = today.year - (1 if spans else 0)
    else:
        year = today.year if date(today.year, month, 1) <= today else today.year - 1
        if t.startswith(("last", "past")):
            year -= 1 if date(year, month, 1) <= today and add_months(date(year, month, 1), 3) > today else 0
    start = date(year, month, 1)
    label = f"{name} {year if not spans else f'{year}-{str(year + 1)[2:]}'}"
    return Period(start, add_months(start, 3), label, "range")


def _relative(t: str, today: date) -> Period:
    t = t.replace("-", " ")
    if "so far" in t:
        year_match = re.search(r"\d{4}", t)
        if year_match:
            return _year_period(int(year_match.group(0))).clamp(today)
        unit = next(u for u in ("day", "week", "month", "quarter", "year") if u in t)
        return _relative(f"this {unit}", today).clamp(today)
    if t == "today":
        return _day_period(today)
    if t == "yesterday":
        return _day_period(today - timedelta(days=1))
    if t in ("ytd", "year to date"):
        return _year_period(today.year).clamp(today)
    if t in ("mtd", "month to date"):
        return _month_period(today.year, today.month).clamp(today)
    if t in ("qtd", "quarter to date"):
        return _quarter_period(today.year, (today.month - 1) // 3 + 1).clamp(today)
    if t in ("wtd", "week to date"):
        return _relative("this week", today).clamp(today)
    if t in ("ttm", "ltm"):  # trailing / last twelve months
        return _rolling(12, "month", today)
    if t.endswith("fortnight"):
        return _rolling(2, "week", today)
    which, unit = t.split()[-2:]
    offset = 0 if which in ("this", "current") else -1
    if unit == "day":
        return _day_period(today + timedelta(days=offset))
    if unit == "week":
        monday = today - timedelta(days=today.weekday()) + timedelta(weeks=offset)
        sunday = monday + timedelta(days=6)
        return Period(monday, monday + timedelta(days=7), f"the week of {monday.isoformat()} to {sunday.isoformat()}",
                      "week")
    if unit == "month":
        start = add_months(date(today.year, today.month, 1), offset)
        return _month_period(start.year, start.month)
    if unit == "quarter":
        start = add_months(date(today.year, 3 * ((today.month - 1) // 3) + 1, 1), 3 * offset)
        return _quarter_period(start.year, (start.month - 1) // 3 + 1)
    return _year_period(today.year + offset)


def _rolling(n: int, unit: str, today: date) -> Period:
    unit = unit.lower()
    if n < 1:
        raise DateRangeError(f"the last {n} {unit}s is an empty range")
    if unit in ("day", "week"):
        days = n * (7 if unit == "week" else 1)
        start = today - timedelta(days=days)
        return Period(start, today, f"the last {n} {unit}{'s' if n > 1 else ''} ({_range_label(start, today)[5:]})",
                      "range")
    if unit in ("month", "quarter"):
        months = n * (3 if unit == "quarter" else 1)
        if unit == "quarter":
            end = date(today.year, 3 * ((today.month - 1) // 3) + 1, 1)
        else:
            end = date(today.year, today.month, 1)
        start = add_months(end, -months)
        if n == 1:
            return _month_period(start.year, start.month) if unit == "month" else _quarter_period(
                start.year, (start.month - 1) // 3 + 1)
        return Period(start, end, f"the last {n} {unit}s ({_range_label(start, end)[5:]})", "range")
    end = date(today.year, 1, 1)
    start = date(today.year - n, 1, 1)
    if n == 1:
        return _year_period(start.year)
    return Period(start, end, f"the last {n} years ({start.year}-{end.year - 1})", "range")


def _join_range(a_text: str, b_text: str, today: date) -> tuple[date, date]:
    """Resolve "A to B": a bare month/quarter on the left takes the year of the right side."""
    b = _parse_point(b_text, today)
    a_clean = " ".join(a_text.lower().split())
    a_is_bare_month = re.fullmatch(_MONTH, a_clean, re.IGNORECASE) is not None
    a_is_bare_quarter = re.fullmatch(r"q[1-4]", a_clean, re.IGNORECASE) is not None
    a_is_bare_day = re.fullmatch(rf"{_MONTH}\s+{_DAY}|{_DAY}\s+(?:of\s+)?{_MONTH}", a_clean, re.IGNORECASE)
    if a_is_bare_month:
        month = _month_number(a_clean)
        year = b.start.year if month <= b.start.month else b.start.year - 1
        a = _month_period(year, month)
    elif a_is_bare_quarter:
        quarter = int(a_clean[1])
        b_quarter = (b.start.month - 1) // 3 + 1
        a = _quarter_period(b.start.year if quarter <= b_quarter else b.start.year - 1, quarter)
    elif a_is_bare_day:
        point = _parse_point(f"{a_text} {b.start.year}", today)
        a = point if point.start <= b.start else _parse_point(f"{a_text} {b.start.year - 1}", today)
    else:
        a = _parse_point(a_text, today)
    if a.start > b.start:
        raise DateRangeError(f'the range "{a_text} to {b_text}" ends before it starts')
    return a.start, max(a.end, b.end)


# -- scanning a text ---------------------------------------------------------------------------------------------


def _free(taken: list[tuple[int, int]], start: int, end: int) -> bool:
    return all(end <= s or start >= e for s, e in taken)


def _may_is_month(text: str, start: int, matched: str) -> bool:
    """The bare word "may" is a month only when capitalized, after a preposition ("in may") or ending the question
    after a word ("sales may")."""
    if matched.strip().lower().rstrip(".") != "may":
        return True
    if re.match(r"\s+(?:i|we|you|they|he|she|it|not|be|have)\b", text[start + len(matched):], re.IGNORECASE) and not \
            re.search(r"\b(?:in|of|since|during|for|from|between|until|through|vs|versus)\s+$", text[:start], re.I):
        return False  # "May I ...", "we may be ..." ("in May not counting services": the month)
    if re.match(r"\s*(?:[?.!;)]|$)", text[start + len(matched):]) and re.search(r"[^\W\d_]\s+$", text[:start]):
        return True  # "sunglasses sales may": the modal never ends a question
    return matched.strip()[0] == "M" or _LOWERCASE_MAY_OK.search(text[:start]) is not None


# a lower-case month abbreviation right after one of these words is the month ("revenue in feb", "during dec")
_LOWERCASE_ABBR_OK = re.compile(r"(?:\b(?:in|of|during|for|vs\.?|versus|against|with)\s+)$", re.IGNORECASE)


def _abbr_ok(matched: str) -> bool:
    """A bare month abbreviation ("mar", "dec") counts only when capitalized ("Mar")."""
    word = matched.strip().rstrip(".")
    return word.lower() not in MONTH_ABBR or word[0].isupper()


def parse_periods(text: str, today: date | None = None) -> list[Period]:
    """Every time phrase in `text`, in order of appearance, each with its span. Raises DateRangeError."""
    today = today or date.today()
    found: list[Period] = []
    taken: list[tuple[int, int]] = []

    def add(period: Period, start: int, end: int) -> None:
        found.append(replace(period, text=text[start:end], span=(start, end)))
        taken.append((start, end))

    for match in _DAY_SPAN_RE.finditer(text):
        month = match.group("m1") or match.group("m2")
        first, last = match.group("d1") or match.group("d3"), match.group("d2") or match.group("d4")
        year = match.group("y1") or match.group("y2")
        relative = (match.group("r1") or match.group("r2") or "").lower()
        if relative:  # "13-17 Aug last year": the days in that year
            year = str(today.year - 1 if relative.startswith("last") else today.year)
        connector = (match.group("c1") or match.group("c2") or "").lower()
        consecutive = int(_DAY_NUM.match(last).group(1)) == int(_DAY_NUM.match(first).group(1)) + 1  # type: ignore[union-attr]
        if connector == "and" and (match.group("lead") or "").lower() != "between" and not (
                consecutive and not re.search(r"\b(?:top|bottom|best|worst|first|last|next|every|each)\s+$",
                                              text[:match.start()], re.IGNORECASE)):
            # ("25 and 26 December": two days in a row are those two days)
            continue  # "top 5 and 10 March" is not a range; "between 5 and 18 March" is; a lower-case abbreviation
            # between days ("28-30 nov") is a month as surely as "Nov"
        tail = f"{last} {month}" + (f" {year}" if year else "")
        start, end = _join_range(f"{first} {month}", tail, today)
        add(Period(start, end, _range_label(start, end), "range"), *match.span())
    for match in _RANGE_RE.finditer(text):
        a = match.group("a1") or match.group("a2") or match.group("a3")
        b = match.group("b1") or match.group("b2") or match.group("b3")
        if match.group("a3") and re.search(r"\bcompar\w*\W+(?:(?!(?:with|against|and)\b)\w+\W+){0,4}$",
                                           text[: match.start()], re.IGNORECASE):
            continue  # "compare March to February" is a comparison of two periods, not a range ("compared with
            # January to May 2025" names one range)
        month_pair = all(re.fullmatch(rf"{_MONTH}(?:,?\s+{_YEAR})?", x.strip(), re.IGNORECASE) for x in (a, b))
        if not (month_pair or (_abbr_ok(a) and _abbr_ok(b))) or not _free(taken, *match.span()):
            continue  # "jan to mar 2026" is a range even in lower case; a lone "mar" is not a month
        start, end = _join_range(a, b, today)
        add(Period(start, end, _range_label(start, end), "range"), *match.span())
    for match in _ROLLING_RE.finditer(text):
        if re.match(rf"\s+of\s+{_MONTH}\b", text[match.end():], re.IGNORECASE):
            continue  # "the last 5 days of May": those days of that month (a point), not the 5 days before today
        if _free(taken, *match.span()):
            add(_rolling(_number(match.group("n")), match.group("unit"), today), *match.span())
    for match in _SINCE_UNIT_START_RE.finditer(text):
        if _free(taken, *match.span()):
            point = _parse_point(f"this {match.group('unit').lower()}", today)
            add(Period(point.start, today + timedelta(days=1), f"since {point.start.isoformat()}", "range"),
                *match.span())
    for match in _SINCE_RE.finditer(text):
        if _free(taken, *match.span()):  # "since sept": after "since" even a lower-case abbreviation is a month
            point = _parse_point(match.group("a"), today)
            end = today + timedelta(days=1)
            if point.start >= end:
                raise DateRangeError(f'"{match.group(0)}" starts after today ({today.isoformat()})')
            add(Period(point.start, end, f"since {point.start.isoformat()}", "range"), *match.span())
    for match in _POINT_RE.finditer(text):
        start, end = match.span()
        if not _free(taken, start, end) or not _may_is_month(text, start, match.group(0)):
            continue
        if not _abbr_ok(match.group(0)) and not _LOWERCASE_ABBR_OK.search(text[:start]):
            continue  # "mar", "dec" alone are no month; "in feb", "since sept" are
        add(_parse_point(match.group(0), today), start, end)
    found.sort(key=lambda p: p.span)
    return found


def parse_period(text: str, today: date | None = None) -> Period | None:
    """The first time phrase in `text`, or None. Raises DateRangeError for impossible dates or ranges."""
    periods = parse_periods(text, today)
    return periods[0] if periods else None
