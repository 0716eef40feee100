"""Report ranges in local days, and the UTC intervals that the details query is asked for.

A report covers whole local days in one time zone, so a day is 23 or 25 hours long when the
clocks change. The details query selects conversations that started on a UTC day its interval
touches, so the plan cuts the range at UTC midnights. Each slice then covers at most one UTC day,
which keeps `totalHits` far below the pagination cap of 100,000. Only the first and last slices
return conversations outside the range, and the fetch drops those by `conversationStart`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from wrapup_desktop.errors import InputError

# The end of a range that reaches now stays this far behind now, because the newest minute of
# data is still being written.
NOW_MARGIN = timedelta(minutes=1)
# Interval limits of the details query: 7 days without filters, 31 with one.
MAX_DAYS_WITHOUT_FILTERS = 7
MAX_DAYS_WITH_FILTERS = 31
INTERVAL_EXAMPLE = "2026-01-23T10:00:00+01:00/2026-01-23T13:00:00+01:00"


@dataclass(frozen=True, order=True)
class Interval:
    """A half-open UTC interval [start, end) of the details query or a job."""

    start: datetime
    end: datetime

    def to_api(self) -> str:
        """Return the ISO-8601 form that Genesys expects, in UTC with milliseconds."""
        return f"{_iso_utc(self.start)}/{_iso_utc(self.end)}"

    @property
    def duration(self) -> timedelta:
        return self.end - self.start

    def split(self, step: timedelta) -> list[Interval]:
        """Cut the interval into pieces of `step`, the last one shorter."""
        pieces: list[Interval] = []
        cursor = self.start
        while cursor < self.end:
            piece_end = min(self.end, cursor + step)
            pieces.append(Interval(cursor, piece_end))
            cursor = piece_end
        return pieces

    def contains(self, moment: datetime) -> bool:
        return self.start <= moment < self.end


@dataclass(frozen=True)
class ReportRange:
    """Whole local days from `start_date` to `end_date` inclusive, in `tz`, with filters."""

    start_date: date
    end_date: date
    tz: ZoneInfo
    queue_ids: tuple[str, ...] = ()
    media_types: tuple[str, ...] = ()
    user_ids: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        if self.end_date < self.start_date:
            raise InputError(
                f"The range ends on {self.end_date.isoformat()}, before it starts on "
                f"{self.start_date.isoformat()}. Give the first day first, for example "
                f"{self.end_date.isoformat()} to {self.start_date.isoformat()}."
            )

    def utc_bounds(self) -> tuple[datetime, datetime]:
        """Return [start, end) in UTC: local midnight of the first day to that after the last."""
        start = datetime.combine(self.start_date, time(0), tzinfo=self.tz)
        end = datetime.combine(self.end_date + timedelta(days=1), time(0), tzinfo=self.tz)
        return start.astimezone(UTC), end.astimezone(UTC)

    @property
    def has_filters(self) -> bool:
        return bool(self.queue_ids or self.media_types or self.user_ids)

    @property
    def interval(self) -> Interval:
        start, end = self.utc_bounds()
        return Interval(start, end)


def plan_intervals(report: ReportRange, *, now: datetime) -> list[Interval]:
    """Return the UTC slices to query: the range cut at UTC midnights and clipped to now.

    Raises InputError when the whole range lies in the future.
    """
    if now.tzinfo is None:
        raise ValueError("now must be an aware datetime")
    start, end = report.utc_bounds()
    latest = now.astimezone(UTC) - NOW_MARGIN
    if start >= latest:
        raise InputError(
            f"The range starts on {report.start_date.isoformat()} ({report.tz.key}), which has "
            f"not begun yet. Choose days up to today, for example "
            f"{(now.astimezone(report.tz).date() - timedelta(days=6)).isoformat()} to "
            f"{now.astimezone(report.tz).date().isoformat()}."
        )
    end = min(end, latest)
    return split_at_utc_midnight(Interval(start, end))


def split_at_utc_midnight(interval: Interval) -> list[Interval]:
    """Cut an interval at each UTC midnight inside it."""
    slices: list[Interval] = []
    cursor = interval.start
    while cursor < interval.end:
        next_midnight = datetime.combine(cursor.date() + timedelta(days=1), time(0), tzinfo=UTC)
        piece_end = min(interval.end, next_midnight)
        slices.append(Interval(cursor, piece_end))
        cursor = piece_end
    return slices


def reaches_now(report: ReportRange, now: datetime) -> bool:
    """Tell whether the range ends after the clipped end, so its data may still change."""
    _, end = report.utc_bounds()
    return end > now.astimezone(UTC) - NOW_MARGIN


def parse_interval_text(text: str, tz: ZoneInfo) -> Interval:
    """Parse an interval typed by hand, `START/END` in ISO 8601.

    A time without an offset is read in the report zone `tz`. Raises InputError with an example
    of the expected form for anything else, such as a backslash between the two times.
    """
    cleaned = text.strip()
    parts = cleaned.split("/")
    if len(parts) != 2 or not parts[0].strip() or not parts[1].strip():
        hint = ""
        if "\\" in cleaned:
            hint = " The two times are separated by a backslash; use a forward slash (/)."
        raise InputError(
            f"The interval {cleaned!r} is not START/END in ISO 8601.{hint} Write it as "
            f"{INTERVAL_EXAMPLE}; a time without an offset is read in {tz.key}."
        )
    start = _parse_moment(parts[0].strip(), tz, cleaned)
    end = _parse_moment(parts[1].strip(), tz, cleaned)
    if end <= start:
        raise InputError(
            f"The interval {cleaned!r} ends before or when it starts. Write the earlier time "
            f"first, for example {INTERVAL_EXAMPLE}."
        )
    return Interval(start, end)


def _parse_moment(value: str, tz: ZoneInfo, whole: str) -> datetime:
    normalised = re.sub(r"[zZ]$", "+00:00", value)
    try:
        moment = datetime.fromisoformat(normalised)
    except ValueError:
        raise InputError(
            f"{value!r} in the interval {whole!r} is not an ISO 8601 date and time. Write the "
            f"interval as {INTERVAL_EXAMPLE}; a time without an offset is read in {tz.key}."
        ) from None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=tz)
    return moment.astimezone(UTC)


def _iso_utc(moment: datetime) -> str:
    utc = moment.astimezone(UTC)
    return utc.strftime("%Y-%m-%dT%H:%M:%S.") + f"{utc.microsecond // 1000:03d}Z"
