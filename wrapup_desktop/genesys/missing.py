"""Parts of a range that a run could not fetch, and the sentence that names them.

Slices are UTC intervals, but people read their report in its own time zone, so the sentence
names local days: a whole local day by its date, part of a day by its date and hours. Slices cut
short by a cancel are named apart from failed ones, with how many of the range's days they touch.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from wrapup_desktop.genesys.planning import Interval


@dataclass
class MissingPart:
    """A slice that is not in the result, and why."""

    interval: Interval
    reason: str
    """Such as "HTTP 503 after 8 attempts" or `CANCELLED`."""


CANCELLED = "cancelled"
"""The reason of a slice that a cancel stopped before it was fetched completely."""


def describe_missing_parts(parts: list[MissingPart], tz: ZoneInfo, days_total: int = 0) -> str:
    """Name the missing parts in `tz`, or return "" when none are missing.

    Cancelled slices read "Cancelled: 12 of 40 days were not fetched completely: 2026-10-14 to
    2026-11-09." (without "of 40" when `days_total` is 0). Failed ones read
    "Not fetched completely: 2026-11-03 (HTTP 503 after 8 attempts)."
    """
    ordered = sorted(parts, key=lambda part: part.interval)
    cancelled = [part for part in ordered if part.reason == CANCELLED]
    failed = [part for part in ordered if part.reason != CANCELLED]
    sentences: list[str] = []
    if cancelled:
        sentences.append(_cancelled_sentence(cancelled, tz, days_total))
    if failed:
        mentions: list[str] = []
        for part in _merge_adjacent(failed):
            spans = ", ".join(_local_spans(part.interval, tz))
            mentions.append(f"{spans} ({part.reason})")
        sentences.append("Not fetched completely: " + ", ".join(mentions) + ".")
    return " ".join(sentences)


def _cancelled_sentence(parts: list[MissingPart], tz: ZoneInfo, days_total: int) -> str:
    merged = _merge_adjacent(parts)
    days: set[date] = set()
    for part in merged:
        days.update(_local_days(part.interval, tz))
    spans = ", ".join(span for part in merged for span in _local_spans(part.interval, tz))
    count = f"{len(days)} of {days_total}" if days_total else str(len(days))
    noun = "day" if (days_total or len(days)) == 1 else "days"
    verb = "was" if len(days) == 1 else "were"
    return f"Cancelled: {count} {noun} {verb} not fetched completely: {spans}."


def _local_days(interval: Interval, tz: ZoneInfo) -> list[date]:
    """Return the local dates that the interval touches."""
    first = interval.start.astimezone(tz).date()
    last = (interval.end.astimezone(tz) - timedelta(microseconds=1)).date()
    return [first + timedelta(days=n) for n in range((last - first).days + 1)]


def _merge_adjacent(parts: list[MissingPart]) -> list[MissingPart]:
    merged: list[MissingPart] = []
    for part in parts:
        previous = merged[-1] if merged else None
        if (
            previous is not None
            and previous.reason == part.reason
            and previous.interval.end >= part.interval.start
        ):
            end = max(previous.interval.end, part.interval.end)
            merged[-1] = MissingPart(Interval(previous.interval.start, end), part.reason)
        else:
            merged.append(part)
    return merged


def _local_spans(interval: Interval, tz: ZoneInfo) -> list[str]:
    """Name each local day the interval touches: the date alone when the whole day is in it."""
    start = interval.start.astimezone(tz)
    end = interval.end.astimezone(tz)
    spans: list[str] = []
    day = start.date()
    while True:
        day_start = datetime.combine(day, time(0), tzinfo=tz)
        day_end = datetime.combine(day + timedelta(days=1), time(0), tzinfo=tz)
        if day_start >= end:
            break
        piece_start = max(start, day_start)
        piece_end = min(end, day_end)
        if piece_start == day_start and piece_end == day_end:
            spans.append(day.isoformat())
        else:
            end_text = "24:00" if piece_end == day_end else f"{piece_end:%H:%M}"
            spans.append(f"{day.isoformat()} {piece_start:%H:%M}–{end_text}")
        day += timedelta(days=1)
    return _collapse_dates(spans)


def _collapse_dates(spans: list[str]) -> list[str]:
    """Write a run of three or more whole days as "FIRST to LAST"."""
    whole = [len(span) == 10 for span in spans]
    if len(spans) >= 3 and all(whole[1:-1]) and whole[0] and whole[-1]:
        return [f"{spans[0]} to {spans[-1]}"]
    return spans
