"""The SQL tool's time-range parser (tools.dates): phrases -> half-open date ranges relative to a pinned today."""

from __future__ import annotations

from datetime import date

import pytest

from tools.dates import DateRangeError, Period, parse_period, parse_periods

TODAY = date(2026, 11, 15)  # a Sunday; the demo data ends 2026-10-31


def d(text: str) -> date:
    return date.fromisoformat(text)


@pytest.mark.parametrize(
    ("text", "first", "last", "grain"),
    [
        ("How many frames did we sell in March?", "2026-03-01", "2026-03-31", "month"),
        ("and in April?", "2026-04-01", "2026-04-30", "month"),
        ("in December", "2025-12-01", "2025-12-31", "month"),  # the most recent December that has started
        ("in November", "2026-11-01", "2026-11-30", "month"),  # the current month counts
        ("March 2025", "2025-03-01", "2025-03-31", "month"),
        ("sales in Sept 2025", "2025-09-01", "2025-09-30", "month"),
        ("in March of 2025", "2025-03-01", "2025-03-31", "month"),
        ("2025-03", "2025-03-01", "2025-03-31", "month"),
        ("Q1 2025", "2025-01-01", "2025-03-31", "quarter"),
        ("2025 Q4", "2025-10-01", "2025-12-31", "quarter"),
        ("first quarter of 2025", "2025-01-01", "2025-03-31", "quarter"),
        ("in Q4", "2026-10-01", "2026-12-31", "quarter"),
        ("in Q1", "2026-01-01", "2026-03-31", "quarter"),
        ("this quarter", "2026-10-01", "2026-12-31", "quarter"),
        ("last quarter", "2026-07-01", "2026-09-30", "quarter"),
        ("this year", "2026-01-01", "2026-12-31", "year"),
        ("last year", "2025-01-01", "2025-12-31", "year"),
        ("in 2025", "2025-01-01", "2025-12-31", "year"),
        ("year to date", "2026-01-01", "2026-11-15", "year"),
        ("this month", "2026-11-01", "2026-11-30", "month"),
        ("last month", "2026-10-01", "2026-10-31", "month"),
        ("the previous month", "2026-10-01", "2026-10-31", "month"),
        ("this week", "2026-11-09", "2026-11-15", "week"),
        ("last week", "2026-11-02", "2026-11-08", "week"),
        ("today", "2026-11-15", "2026-11-15", "day"),
        ("yesterday", "2026-11-14", "2026-11-14", "day"),
        ("on 2025-03-14", "2025-03-14", "2025-03-14", "day"),
        ("on 3/14/2025", "2025-03-14", "2025-03-14", "day"),
        ("on March 14", "2026-03-14", "2026-03-14", "day"),
        ("on December 24", "2025-12-24", "2025-12-24", "day"),
        ("on 14 March 2025", "2025-03-14", "2025-03-14", "day"),
        ("in the last 7 days", "2026-11-08", "2026-11-14", "range"),
        ("past 30 days", "2026-10-16", "2026-11-14", "range"),
        ("last 2 weeks", "2026-11-01", "2026-11-14", "range"),
        ("the last three months", "2026-08-01", "2026-10-31", "range"),
        ("last 12 months", "2025-11-01", "2026-10-31", "range"),
        ("last 1 month", "2026-10-01", "2026-10-31", "month"),
        ("between March and May 2025", "2025-03-01", "2025-05-31", "range"),
        ("between Jan 2025 and Mar 2025", "2025-01-01", "2025-03-31", "range"),
        ("from 2025-03-01 to 2025-03-15", "2025-03-01", "2025-03-15", "range"),
        ("from Q1 to Q2 2025", "2025-01-01", "2025-06-30", "range"),
        ("November to January", "2025-11-01", "2026-01-31", "range"),  # a bare month before the end's year
        ("between March 3 and March 9 2025", "2025-03-03", "2025-03-09", "range"),
        ("since June 2026", "2026-06-01", "2026-11-15", "range"),
    ],
)
def test_phrases(text: str, first: str, last: str, grain: str) -> None:
    period = parse_period(text, TODAY)
    assert period is not None, text
    assert (period.start, period.last_day, period.grain) == (d(first), d(last), grain)
    assert period.end > period.start


def test_half_open_end_and_labels() -> None:
    march = parse_period("in March 2025", TODAY)
    assert march == Period(d("2025-03-01"), d("2025-04-01"), "March 2025", "month", text="March 2025",
                           span=(3, 13))
    assert march.phrase == "in March 2025"
    assert parse_period("Q1 2025", TODAY).label == "Q1 2025"  # type: ignore[union-attr]
    assert parse_period("yesterday", TODAY).phrase == "on 2026-11-14"  # type: ignore[union-attr]
    assert parse_period("between March and May 2025", TODAY).phrase == "from 2025-03-01 to 2025-05-31"  # type: ignore[union-attr]


def test_reference_day_matters() -> None:
    """The same words mean different ranges on a different 'today' (the tool's today is settable)."""
    jan = date(2026, 1, 10)
    assert parse_period("in March", jan).start == d("2025-03-01")  # type: ignore[union-attr]
    assert parse_period("last month", jan).label == "December 2025"  # type: ignore[union-attr]
    assert parse_period("last quarter", jan).label == "Q4 2025"  # type: ignore[union-attr]
    assert parse_period("this year", jan).label == "2026"  # type: ignore[union-attr]
    assert parse_period("yesterday", jan).start == d("2026-01-09")  # type: ignore[union-attr]
    assert parse_period("last week", date(2026, 1, 1)).start == d("2025-12-22")  # type: ignore[union-attr]


def test_several_periods_in_order_with_spans() -> None:
    text = "Compare revenue in October to September"
    periods = parse_periods(text, TODAY)
    assert [p.label for p in periods] == ["October 2026", "September 2026"]  # a comparison, not a range
    assert [text[p.span[0]:p.span[1]] for p in periods] == ["October", "September"]
    both = parse_periods("this month vs last month", TODAY)
    assert [p.label for p in both] == ["November 2026", "October 2026"]


def test_words_that_are_not_dates() -> None:
    for text in ("May I see the top 5 stores?", "we may need to reorder", "top 10 products", "the 40-49 age band",
                 "mar the frames", "How many frames did we sell?", "SKU NW-FRA-001"):
        assert parse_periods(text, TODAY) == [], text
    assert parse_period("sales in may", TODAY).label == "May 2026"  # type: ignore[union-attr]


def test_previous_and_year_earlier() -> None:
    march = parse_period("March 2025", TODAY)
    assert march.previous().label == "February 2025"  # type: ignore[union-attr]
    assert march.year_earlier().label == "March 2024"  # type: ignore[union-attr]
    q1 = parse_period("Q1 2025", TODAY)
    assert q1.previous().label == "Q4 2024"  # type: ignore[union-attr]
    week = parse_period("last 7 days", TODAY)
    prev = week.previous()  # type: ignore[union-attr]
    assert (prev.start, prev.end) == (d("2026-11-01"), d("2026-11-08"))
    leap = Period(d("2024-02-29"), d("2024-03-01"), "2024-02-29", "day")
    assert leap.year_earlier().start == d("2023-02-28")


def test_clamp_makes_like_for_like() -> None:
    month = parse_period("this month", TODAY).clamp(TODAY)  # type: ignore[union-attr]
    assert (month.start, month.end, month.partial) == (d("2026-11-01"), d("2026-11-16"), True)
    prev = month.previous()
    assert (prev.start, prev.end) == (d("2026-10-01"), d("2026-10-16"))
    year = parse_period("this year", TODAY).clamp(TODAY).year_earlier()  # type: ignore[union-attr]
    assert (year.start, year.end) == (d("2025-01-01"), d("2025-11-16"))
    done = parse_period("last month", TODAY)
    assert done.clamp(TODAY) == done  # a finished period is unchanged


@pytest.mark.parametrize("text", ["on February 30 2025", "on 2025-02-30", "between May 2025 and March 2025",
                                  "since December 2026"])
def test_impossible_ranges_raise_a_clear_error(text: str) -> None:
    with pytest.raises(DateRangeError) as info:
        parse_periods(text, TODAY)
    assert "\n" not in str(info.value) and len(str(info.value)) < 120


def test_round_trip_for_conversation_state() -> None:
    period = parse_period("Q3 2025", TODAY).clamp(TODAY)  # type: ignore[union-attr]
    again = Period.from_dict(period.to_dict())
    assert (again.start, again.end, again.label, again.grain) == (period.start, period.end, period.label, period.grain)
