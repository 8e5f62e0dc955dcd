"""Named occasions written as their days: the public holidays of the tenant's country, by name.

Contract: `holiday_dates(text, countries, today, taken)` returns the question with each public holiday it names
("over Tết 2026", "on Labour Day last year", "Día de la Independencia", "am Tag der Deutschen Einheit 2025") written as
the days the `holidays` package lists under that name in that year ("from 2026-02-16 to 2026-02-20", "on
2025-05-01"), and one `Gloss` per rewrite (the name as typed and its days) for the interpretation line.

- The country is the tenant's one country (`RegionIndex.countries`); with none or several, nothing is read.
- Names are matched in every language the package has for that country (English and the local ones), folded (case and
  accents: "Tet" is "Tết"), as the whole name or its first or last words holding a word that is no generic holiday
  word ("Tết" of "Tết Nguyên Đán", "Labour Day" of "International Labor Day"; never "Day" or "New Year" alone).
- A name is a holiday only where it reads as one: followed by its year ("Tết 2026", "Easter last year"), after a
  word of time ("on", "over", "during", "vào", "am", "pendant" ...), or capitalised and not the question's first word.
- The year: the one written, "this / last year", else the latest one that has begun by today. The days are every
  day the package lists under a name holding the words typed, in that year, when they make one unbroken stretch; two
  stretches (the Vietnamese "Tết" names New Year's Day and the lunar new year) take the one with at least twice the
  days of any other, else nothing is read (the parser asks).
- National retail events whose days follow a published rule (`_EVENTS`: Mexico's El Buen Fin, France's soldes by
  decree, Singles' Day 11.11 and Double 12 / Harbolnas where the country keeps them) are read like holidays, only for
  the countries that keep them, for the editions the rule is known to have held; an edition published with other
  days than the rule's (El Buen Fin 2025: five days, 13-17 November) is read on the days it was held (its gloss
  shows them); one outside the known editions is left to the parser (asked). Events whose days each
  retailer sets ("Hot Sale", a chain's own sale) are not in the table: asked unless the question gives dates.
- Black Friday and Cyber Monday (no public holidays) are exact days: the day after and the Monday after US
  Thanksgiving. "over / during Black Friday" is left alone (shops stretch it over a weekend: asked back), and so
  is "over / during X" where the list gives X one day only ("over Easter" in a country that lists Easter Monday
  alone, "during Christmas" where only 25 December is listed): the asker means more days than the list's one.
- Left alone (the parser's own readings or refusals apply): a name next to dates the user gave ("Tết (17/02/2026)"),
  a name followed by a capitalised word of a longer event name ("the Diwali Dhamaka", "the Easter Bonanza"),
  a name of the tenant's (`taken`: a store, product, city ...), a name before "weekend / week / sale / season ...",
  after "since / before / after / until", or one the package does not list ("soldes", "Buen Fin").
"""
from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta
from functools import lru_cache

from safety.text_fold import fold
from tools.dates import MONTHS
from tools.english import english_words

__all__ = ["Gloss", "holiday_dates", "same_day_glosses"]


@dataclass(frozen=True)
class Gloss:
    """One occasion read as its days: `name` as typed (with its year), `start` and `last` its first and last day."""

    name: str
    start: date
    last: date
    taken: bool = False  # the name is also one of the tenant's (a product, a store): asked, never read
    asked: str = ""  # why these days are asked back, not read (an edition that did not follow its event's rule)

    @property
    def label(self) -> str:
        days = self.start.isoformat() if self.start == self.last else \
            f"{self.start.isoformat()} to {self.last.isoformat()}"
        return f"{self.name} ({days})"


# words of holiday names that name no holiday by themselves (folded): "Day", "New Year", "National Day", weekdays
_GENERIC = frozenset("""
day days eve night holiday holidays national new year years the of and a an in on for to de la el los las del des du
le les da do das dos di der die den dem am tag ngay nghi bu first second third fourth fifth 1st 2nd 3rd 4th observed
bank public international official general federal state from off substituted substitute week weekend monday tuesday
wednesday thursday friday saturday sunday lunes martes miercoles jueves viernes sabado domingo lundi mardi mercredi
jeudi vendredi samedi dimanche montag dienstag mittwoch donnerstag freitag samstag sonntag segunda terca quarta quinta
sexta feira sabado good holy great saint st santo santa san sao dia jour giorno dzien hari raya festa fete feast
""".split())
# words before a name that say it lasts a while ("over Easter", "during Christmas"): a holiday the list gives one day
# only is then more than the list says (asked)
_STRETCH_WORDS = frozenset({"over", "during", "throughout", "around", "across", "durante", "wahrend", "pendant",
                            "lors", "trong"})
# words before a name that make it a time ("on Tết", "over Easter", "vào Tết", "am Tag der ...", "pendant la Toussaint")
_TIME_WORDS = frozenset("""
on over during around throughout across at vao dip trong en durante em no na nos nas am an zu wahrend pendant le lors
au a per nel nella durante op tijdens rond w podczas saat pada selama
""".split())
# words that only lead into a holiday's name ("the", "Dia de", "il giorno della", "le jour de la", "ngày")
_LEAD_WORDS = frozenset("""
the a o la le l el il lo der die das den dem des de da do del della di du of dia day jour tag giorno dzien ngay hari
festa fete
""".split())
_STOP_AFTER = re.compile(r"\s*(?:(?:long|whole|entire|extended|bank)\s+)?(?:weekend|week|wknd|period|season|sale\b"
                         r"|sales\s+(?:event|period|campaign)|rush|break"
                         r"|holidays|campaign|promo\w*|event|deals?|shopping|edition|collection|range|line|eve\b"
                         r"|day\b|night|monday|sunday|friday|saturday|tuesday|thursday|wednesday|time\b|['’]s\b)",
                         re.IGNORECASE)
_RANGE_BEFORE = re.compile(r"\b(?:since|before|after|until|till|til|up\s+to|prior\s+to|ahead\s+of|following|leading"
                           r"\s+up\s+to|run[\s-]+up\s+to|from|between|to)\s+(?:the\s+)?$", re.IGNORECASE)
_YEAR_AFTER = re.compile(r"^(?:\s+(?:(?:of|de|del|do|da|di)\s+)?(?P<y>(?:19|20)\d\d)\b"
                         r"|\s+(?P<rel>this|last|next)\s+year\b)", re.IGNORECASE)
_YEAR_BEFORE = re.compile(r"\b(?P<y>(?:19|20)\d\d)(?:['’]s)?\s+$")
# dates the user gave beside the name ("Tết this year (17/02/2026)", "Dia de Portugal, 10/06/2025"): theirs win
_DATED_AFTER = re.compile(r"^\s*(?:\(\s*[^()]*\d|,\s*(?:\w+\s+){0,2}\d{1,2}\b)")
_WORD = re.compile(r"[^\W_]+(?:['’][sS]\b)?")
_COMMERCIAL = ("black friday", "cyber monday")
# time words no place or product follows ("during X", "vào X"): a name of the tenant's after one is asked about
_WHEN_WORDS = frozenset({"on", "over", "during", "throughout", "around", "vao", "dip", "durante", "wahrend", "pendant",
                         "tijdens", "podczas", "selama", "lors", "a", "au", "am", "op", "no", "na", "el", "le"})
# a date written just before the name ("25 March 2025, Independence Day", "17/02 (Tết)"): the date is the period
_DATED_BEFORE = re.compile(r"\d\s*[,(–-]\s*(?:the\s+)?$")
# capitalised words after a holiday's name that leave it the holiday ("Diwali Last Year", "Easter Vs Christmas")
_NOT_A_NAME = frozenset("last this next vs versus compared and or but revenue sales units orders takings".split())


def _third_monday_of_november(year: int) -> date:
    first = date(year, 11, 1)
    return first + timedelta(days=(7 - first.weekday()) % 7 + 14)


def _buen_fin(year: int) -> tuple[date, date]:
    # El Buen Fin: from the Friday to the Monday of the Revolution Day long weekend (the holiday is observed on the
    # third Monday of November, Ley Federal del Trabajo art. 74). Source: the Secretaria de Economia and
    # CONCANACO-SERVYTUR announcements of each edition (elbuenfin.org); 2011-2019 and 2022-2024 kept this rule.
    monday = _third_monday_of_november(year)
    return monday - timedelta(days=3), monday


def _soldes_start(year: int, month: int) -> date:
    # France, Code de commerce art. D310-15-2: the winter soldes start on the second Wednesday of January (the first
    # one when the second falls after the 12th), the summer soldes on the last Wednesday of June (the one before when
    # the last falls after the 28th); each runs four weeks (art. L310-3, since 2020). The 2020 summer and 2021 winter
    # and summer soldes were moved by decree (Covid): the rule is read from 2022.
    first = date(year, month, 1)
    wednesdays = [first + timedelta(days=(2 - first.weekday()) % 7 + 7 * k) for k in range(5)]
    wednesdays = [d for d in wednesdays if d.month == month]
    if month == 1:
        return wednesdays[1] if wednesdays[1].day <= 12 else wednesdays[0]
    return wednesdays[-1] if wednesdays[-1].day <= 28 else wednesdays[-2]


@dataclass(frozen=True)
class _Event:
    """A national retail event whose days follow a published rule: its names as people write them (whole names only,
    any language), the countries that keep it (ISO 3166-1 alpha-2), the rule (year -> first and last day), the first
    and last edition the rule is read for (None: every later year), and the editions published with other days than
    the rule's (read on those days)."""

    names: tuple[str, ...]
    countries: frozenset[str]
    rule: Callable[[int], tuple[date, date]]
    first: int
    last: int | None = None
    published: tuple[tuple[int, date, date], ...] = ()

    def days(self, year: int) -> tuple[date, date] | None:
        """The event's days in `year` (the published ones where they differ from the rule), or None outside the
        editions known."""
        if year < self.first or (self.last is not None and year > self.last):
            return None
        return next(((a, b) for y, a, b in self.published if y == year), None) or self.rule(year)

    def departs(self, year: int) -> bool:
        """Whether the `year` edition was published with other days than the rule gives."""
        return any(y == year for y, _, _ in self.published)


# where the double-date online shopping days are national events (the marketplaces' "11.11" and "12.12"; Indonesia's
# Harbolnas, Hari Belanja Online Nasional, is 12 December, since 2012)
_DOUBLE_DAY_COUNTRIES = frozenset("CN VN ID MY SG PH TH".split())
_EVENTS: tuple[_Event, ...] = (
    # 2020 (9-20 November) and 2021 (10-16 November) ran longer (Covid); 2025 (the 15th edition) was announced for
    # Thursday 13 to Monday 17 November. Editions after the last one known are asked (each one is announced).
    _Event(("el buen fin", "buen fin"), frozenset({"MX"}), _buen_fin, 2011, 2025,
           ((2020, date(2020, 11, 9), date(2020, 11, 20)), (2021, date(2021, 11, 10), date(2021, 11, 16)),
            (2025, date(2025, 11, 13), date(2025, 11, 17)))),
    _Event(("soldes", "soldes d'hiver", "winter soldes"), frozenset({"FR"}),
           lambda y: (_soldes_start(y, 1), _soldes_start(y, 1) + timedelta(days=27)), 2022),
    _Event(("soldes", "soldes d'ete", "summer soldes"), frozenset({"FR"}),
           lambda y: (_soldes_start(y, 6), _soldes_start(y, 6) + timedelta(days=27)), 2022),
    # Singles' Day (光棍节, Alibaba's shopping festival since 2009): 11 November
    _Event(("singles day", "singles' day", "double 11", "double eleven"), _DOUBLE_DAY_COUNTRIES,
           lambda y: (date(y, 11, 11), date(y, 11, 11)), 2009),
    # Double 12 (since 2012): 12 December
    _Event(("double 12", "double twelve", "harbolnas"), _DOUBLE_DAY_COUNTRIES,
           lambda y: (date(y, 12, 12), date(y, 12, 12)), 2012),
)


def _event_names(country: str) -> frozenset[tuple[str, ...]]:
    """The folded names of the retail events `country` keeps (whole names only: never one word of them alone)."""
    return frozenset(_tokens(name) for event in _EVENTS if country in event.countries for name in event.names)


def _departed(country: str, phrase: tuple[str, ...], year: int) -> _Event | None:
    """The event named by `phrase` whose `year` edition did not follow its rule, or None."""
    return next((event for event in _EVENTS if country in event.countries and event.departs(year)
                 and phrase in {_tokens(name) for name in event.names}), None)


def _fold(word: str) -> str:
    plain = re.sub(r"['’]s$", "", fold(word))
    return re.sub(r"our$", "or", plain) if len(plain) > 5 else plain  # "labour" is "labor", "colour" "color"


def _tokens(name: str) -> tuple[str, ...]:
    return tuple(_fold(m.group(0)) for m in _WORD.finditer(name))


@lru_cache(maxsize=64)
def _days(country: str, year: int) -> tuple[tuple[date, tuple[tuple[str, ...], ...]], ...]:
    """Each holiday day of `country` in `year` with the token tuples of its names in every language the package has
    for it, plus Black Friday and Cyber Monday (from US Thanksgiving)."""
    import holidays

    names: dict[date, set[tuple[str, ...]]] = {}
    try:
        languages = (None, *getattr(holidays.country_holidays(country), "supported_languages", ()))
        for language in languages:
            for day, name in holidays.country_holidays(country, years=year, language=language).items():
                for part in str(name).split("; "):
                    part = re.sub(r"\s*\([^()]*\)\s*$", "", part)  # "(observed)", "(nghỉ bù)": the same holiday
                    if _tokens(part):
                        names.setdefault(day, set()).add(_tokens(part))
    except (NotImplementedError, KeyError, AttributeError):
        pass
    for event in _EVENTS:
        span = event.days(year) if country in event.countries else None
        for k in range((span[1] - span[0]).days + 1 if span else 0):
            names.setdefault(span[0] + timedelta(days=k), set()).update(_tokens(name) for name in event.names)
    thanksgiving = holidays.country_holidays("US", years=year).get_named("Thanksgiving", lookup="istartswith")
    if thanksgiving:
        names.setdefault(thanksgiving[0] + timedelta(days=1), set()).add(("black", "friday"))
        names.setdefault(thanksgiving[0] + timedelta(days=4), set()).add(("cyber", "monday"))
    return tuple(sorted((day, tuple(sorted(tokens))) for day, tokens in names.items()))


@lru_cache(maxsize=16)
def _phrases(country: str, year: int) -> frozenset[tuple[str, ...]]:
    """Every word run that names a holiday of `country`: a whole name, or its first or last words holding a word
    that is not generic."""
    out: set[tuple[str, ...]] = set()
    events = _event_names(country)
    for _, names in _days(country, year):
        for name in names:
            out.add(name)
            if name in events:
                continue  # "fin" of "El Buen Fin" names nothing alone
            for n in range(1, len(name)):
                for part in (name[:n], name[-n:]):
                    if any(w not in _GENERIC and not w.isdigit() for w in part):
                        out.add(part)
    return frozenset(out)


@lru_cache(maxsize=16)
def _month_words(country: str) -> frozenset[str]:
    """Folded month names (wide and abbreviated) in the languages the package has for `country` ("mai" of "Erster
    Mai" is May in German: no holiday alone)."""
    import holidays
    from babel import Locale, UnknownLocaleError
    from babel.dates import get_month_names

    out: set[str] = set()
    for language in getattr(holidays.country_holidays(country), "supported_languages", ()):
        try:
            locale = Locale.parse(language)
        except (ValueError, UnknownLocaleError):
            continue
        for width in ("wide", "abbreviated"):
            for context in ("format", "stand-alone"):
                for name in get_month_names(width, context, locale).values():
                    out.update(_tokens(name.rstrip(".")))
    return frozenset(w for w in out if not w.isdigit())


@lru_cache(maxsize=16)
def _country_words(country: str) -> frozenset[str]:
    """Folded words of the country's own name in English and its languages ("Canada" of "Canada Day", "Australia"):
    alone, the country, never its holiday."""
    import holidays
    from babel import Locale, UnknownLocaleError

    out: set[str] = set()
    for language in ("en", *getattr(holidays.country_holidays(country), "supported_languages", ())):
        try:
            out.update(_tokens(Locale.parse(language).territories.get(country, "")))
        except (ValueError, UnknownLocaleError):
            continue
    return frozenset(out)


@lru_cache(maxsize=16)
def _whole_names(country: str, year: int) -> frozenset[tuple[str, ...]]:
    """The whole names of `country`'s holidays around `year` (every language)."""
    return frozenset(name for y in (year - 1, year) for _, names in _days(country, y) for name in names)


def _holds(name: tuple[str, ...], phrase: tuple[str, ...]) -> bool:
    """Whether the words of `phrase` stand together in `name` ("tet" in "mung hai tet nguyen dan")."""
    n = len(phrase)
    return any(name[k:k + n] == phrase for k in range(len(name) - n + 1))


def _stretch(country: str, year: int, phrase: tuple[str, ...]) -> tuple[date, date] | None:
    """The one unbroken stretch of days named by `phrase` in `year` (see the module docstring), or None. Of several
    stretches, the one holding the name exactly ("Independence Day" on 4 July, not Juneteenth's "National Independence
    Day"), else the one with at least twice the days of any other."""
    days = [(day, any(name == phrase for name in names)) for day, names in _days(country, year)
            if any(_holds(name, phrase) for name in names)]
    runs: list[list[tuple[date, bool]]] = []
    for day, exact in days:
        if runs and (day - runs[-1][-1][0]).days == 1:
            runs[-1].append((day, exact))
        else:
            runs.append([(day, exact)])
    if not runs:
        return None
    exact_runs = [run for run in runs if any(exact for _, exact in run)]
    if len(exact_runs) == 1:
        runs = exact_runs
    runs.sort(key=len, reverse=True)
    if len(runs) > 1 and len(runs[0]) < 2 * len(runs[1]):
        return None
    return runs[0][0][0], runs[0][-1][0]


def _read(text: str, start: int, end: int, phrase: tuple[str, ...], country: str, today: date,
          taken: frozenset[str]) -> tuple[int, int, Gloss] | None:
    """The holiday named by `phrase` at text[start:end] as (left, right, gloss): the span to write its days over
    (with its year and the time word before it) and its gloss; None where it does not read as a holiday here."""
    typed = text[start:end]
    before, after = text[:start], text[end:]
    if _RANGE_BEFORE.search(before) or _STOP_AFTER.match(after):
        return None
    if all(w in _GENERIC or w in MONTHS or w in _month_words(country) or w.isdigit() for w in phrase) and not (
            len(phrase) > 1 and phrase in _whole_names(country, today.year)
            and all(w[:1].isupper() for w in typed.split())):
        return None  # "May" of "the Third of May", "Day", "new year": no holiday alone ("National Day" is one)
    qualifier = re.search(r"(?:^|\s)(?P<w>[^\W\d_][\w'’.-]*)\s+$", before)
    if qualifier and qualifier.group("w")[:1].isupper() and before.strip() != qualifier.group("w") and \
            _fold(qualifier.group("w")) not in _GENERIC | _LEAD_WORDS | _TIME_WORDS:
        return None  # "Orthodox Easter", "Swiss National Day", "Hung Kings": a longer name than the one known
    named = re.match(r"\s+(?P<w>[A-ZÀ-Ý][^\W\d_]+)", after)
    if named and _fold(named.group("w")) not in _GENERIC | _LEAD_WORDS | _TIME_WORDS | _NOT_A_NAME:
        return None  # "the Diwali Dhamaka", "our Easter Bonanza": an event of the shop's named after the holiday
    if len(phrase) == 1 and phrase[0] in _country_words(country):
        return None  # "Canada" of "Canada Day": the country
    if len(phrase) == 1 and phrase not in _whole_names(country, today.year) and (
            not typed[:1].isupper() or re.match(r"\s+[A-ZÀ-Ý]", after)
            or re.search(r"\b(?:in|at|from|for|of|by|to)\s+(?:the\s+)?$", before, re.IGNORECASE)):
        # one word of a longer name only capitalised and alone: "Tết" of "Tết Nguyên Đán", never "năm" (year) of
        # "Việt Nam" nor "Nuevo" of "Nuevo León"
        return None
    year_after = _YEAR_AFTER.match(after)
    year_before = _YEAR_BEFORE.search(before) if year_after is None else None
    rest = after[year_after.end():] if year_after else after
    upcoming = bool(year_after and year_after.group("rel") and year_after.group("rel").lower() == "next")
    if _DATED_AFTER.match(rest) or _DATED_BEFORE.search(before) or upcoming:
        return None
    # words that only lead into the name ("the", "Dia de", "il giorno della", "le jour de la", "ngày") go with it
    inner = start
    for word in reversed(list(re.finditer(r"[^\W\d_]+['’]?", before))):
        if _fold(word.group(0).rstrip("'’")) not in _LEAD_WORDS or before[word.end():inner].strip():
            break
        inner = word.start()
    lead = re.search(r"(?:^|(?<=\s))(?P<w>[^\W\d_]+)\s+$", before[:inner])
    timed = bool(lead) and _fold(lead.group("w")) in _TIME_WORDS
    capital = typed[:1].isupper() and (len(phrase) > 1 or bool(before.strip()))
    if " ".join(phrase) in _COMMERCIAL and not (lead and _fold(lead.group("w")) == "on"):
        return None  # "over Black Friday", "Black Friday vs 11.11": shops stretch it over days; "on" names the day
    if not (year_after or year_before or timed or capital):
        return None
    if (year_after and year_after.group("y")) or year_before:
        span = _stretch(country, int((year_after or year_before).group("y")), phrase)
    elif year_after:
        span = _stretch(country, today.year - (year_after.group("rel").lower() == "last"), phrase)
        if span is not None and span[0] > today:
            return None  # not yet this year: the parser says so
    else:
        span = next((s for y in (today.year, today.year - 1) if (s := _stretch(country, y, phrase))
                     and s[0] <= today), None)
    if span is None:
        return None
    if span[0] == span[1] and lead and _fold(lead.group("w")) in _STRETCH_WORDS:
        return None  # "over Easter" where the list has Easter Monday alone: people mean more days than that one
    if (set(phrase) - _GENERIC) & taken and not (lead and _fold(lead.group("w")) in _WHEN_WORDS):
        return None  # "Carnaval sunglasses", "at Victoria", "Victoria 2025": the tenant's name, as before
    left = year_before.start() if year_before else inner
    if timed and lead is not None:
        left = lead.start()
    right = end + (year_after.end() if year_after else 0)
    shown = " ".join(text[year_before.start() if year_before else start: right].split())
    # an edition held on other days than its rule gives (El Buen Fin 2025: Thursday 13 to Monday 17 November, as the
    # Secretaría de Economía announced it) is read on the days it was held (`_Event.days`); its gloss shows them
    return left, right, Gloss(shown, span[0], span[1], bool((set(phrase) - _GENERIC) & taken))


_WEEKDAY_AFTER = re.compile(r"\s+(?P<d>monday|tuesday|wednesday|thursday|friday|saturday|sunday)\b", re.IGNORECASE)
_WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")


def _weekday_of(text: str, start: int, end: int, phrase: tuple[str, ...], country: str, today: date,
                taken: frozenset[str]) -> tuple[int, int, Gloss] | None:
    """"Paște Sunday", "Rusalii Monday 2025": a holiday the list gives two or more days under one name, followed by
    a weekday, is the one day of the stretch on that weekday (None where the stretch has none or several)."""
    day = _WEEKDAY_AFTER.match(text, end)
    if day is None:
        return None
    cut = len(day.group(0))
    read = _read(text[:day.start()] + text[day.end():], start, end, phrase, country, today, taken)
    if read is None:
        return None
    left, right, gloss = read
    wanted = _WEEKDAYS.index(day.group("d").lower())
    days = [gloss.start + timedelta(days=k) for k in range((gloss.last - gloss.start).days + 1)]
    days = [d for d in days if d.weekday() == wanted]
    if len(days) != 1:
        return None
    name = f"{text[start:day.end()]}{gloss.name[end - start:]}"
    return left, right + cut, Gloss(name, days[0], days[0], gloss.taken)


@lru_cache(maxsize=16)
def _without_endings(known: frozenset[tuple[str, ...]]) -> dict[str, str]:
    """A one-word holiday name without its last one to three letters (five letters or more left) -> the name: the
    article languages put at a word's end ("Paște" of "Paștele", "Rusalii" of "Rusaliile", "Crăciun" of
    "Crăciunul"); a form that is itself a known holiday word is left out."""
    words = {w for phrase in known for w in phrase}
    out: dict[str, str] = {}
    for phrase in known:
        if len(phrase) == 1 and len(phrase[0]) >= 6:
            for k in (1, 2, 3):
                short = phrase[0][:-k]
                if len(short) >= 5 and short not in words:
                    out.setdefault(short, phrase[0])
    return out


# a bracket right after a name, and the name that opens it ("Good Friday 2025 (nagypéntek, 18 April)")
_BRACKET = re.compile(r"\(\s*(?P<inner>[^()]*?)\s*\)")
_BRACKET_YEAR = re.compile(r"(?:\s+(?:(?:19|20)\d\d|(?:this|last|next)\s+year))?\s*$", re.IGNORECASE)


def _name_at(words: list[str], known: frozenset[tuple[str, ...]], from_end: bool) -> tuple[str, ...] | None:
    """The longest holiday phrase (`known`) that ends (`from_end`) or starts `words`, or None."""
    for n in range(min(len(words), 6), 0, -1):
        phrase = tuple(words[-n:] if from_end else words[:n])
        if phrase in known:
            return phrase
    return None


def same_day_glosses(text: str, countries: tuple[str, ...], today: date) -> str:
    """`text` without a holiday's name given in a bracket right after another name of the same holiday (its name in
    another language, with or without the year between: "Good Friday 2025 (nagypéntek)", "on nagypéntek (Good
    Friday, 18 April)"): the bracket only glosses, what else it holds (a date) stays. Names of different days, and
    any name where the tenant has no one country, are left as they are."""
    if len(countries) != 1 or "(" not in text:
        return text
    country, years = countries[0], range(today.year - 3, today.year + 1)
    known = frozenset().union(*(_phrases(country, y) for y in years))
    out, last = [], 0
    for m in _BRACKET.finditer(text):
        inner = [_fold(w.group(0)) for w in _WORD.finditer(m.group("inner"))]
        year = _BRACKET_YEAR.search(text[:m.start()])
        ahead = [_fold(w.group(0)) for w in _WORD.finditer(text[max(0, m.start() - 80):year.start()])]
        glossed, named = _name_at(inner, known, False), _name_at(ahead, known, True)
        if glossed is None or named is None or glossed == named or not any(
                (a := _stretch(country, y, glossed)) is not None and a == _stretch(country, y, named) for y in years):
            continue
        words = list(_WORD.finditer(m.group("inner")))
        rest = m.group("inner")[words[len(glossed) - 1].end():].lstrip(" ,;:–-")
        out.append(text[last:m.start()] + (f"({rest})" if rest else ""))
        last = m.end()
    return "".join(out) + text[last:]


def holiday_dates(text: str, countries: tuple[str, ...], today: date,
                  taken: frozenset[str] = frozenset()) -> tuple[str, list[Gloss]]:
    """`text` with each public holiday it names written as its days, and the glosses (see the module docstring).
    `taken`: folded words of the tenant's own names (a holiday word among them is left to the parser)."""
    if len(countries) != 1:
        return text, []
    country = countries[0]
    years = range(today.year - 3, today.year + 1)
    known = frozenset().union(*(_phrases(country, y) for y in years))
    words = list(_WORD.finditer(text))
    endings = _without_endings(known)
    folded = [_fold(m.group(0)) for m in words]
    folded = [endings.get(f, f) if len(f) >= 5 and (not w.group(0).isascii() or f not in english_words())
              else f for f, w in zip(folded, words, strict=True)]
    found: list[tuple[int, int, Gloss]] = []
    i = 0
    while i < len(words):
        for j in range(min(len(words), i + 6), i, -1):
            phrase = tuple(folded[i:j])
            if phrase not in known or not all(re.fullmatch(r"[\s'’-]+", text[words[k].end():words[k + 1].start()])
                                              for k in range(i, j - 1)):
                continue
            read = _read(text, words[i].start(), words[j - 1].end(), phrase, country, today, taken)
            if read is None:
                read = _weekday_of(text, words[i].start(), words[j - 1].end(), phrase, country, today, taken)
            if read is not None:
                found.append(read)
                i = j - 1
                break
        i += 1
    for left, right, gloss in reversed(found):
        days = f"on {gloss.start.isoformat()}" if gloss.start == gloss.last else \
            f"from {gloss.start.isoformat()} to {gloss.last.isoformat()}"
        text = f"{text[:left]}{days}{text[right:]}"
    return text, [g for _, _, g in found]
