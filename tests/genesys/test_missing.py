"""The sentence that names missing parts of a range in the report's time zone."""

from __future__ import annotations

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

from wrapup_desktop.genesys import FetchResult, Interval, MissingPart

UTC_ZONE = ZoneInfo("UTC")
BERLIN = ZoneInfo("Europe/Berlin")


def day(month: int, number: int, hour: int = 0) -> datetime:
    return datetime(2026, month, number, hour, tzinfo=UTC)


def result(*parts: MissingPart, days_total: int = 0) -> FetchResult:
    cancelled = any(part.reason == "cancelled" for part in parts)
    return FetchResult(
        [], [], list(parts), still_changing=False, cancelled=cancelled, days_total=days_total
    )


def test_complete_result_says_nothing() -> None:
    assert result().complete
    assert result().describe_missing(UTC_ZONE) == ""


def test_two_days_two_reasons() -> None:
    missing = result(
        MissingPart(Interval(day(11, 3), day(11, 4)), "HTTP 503 after 8 attempts"),
        MissingPart(Interval(day(11, 5), day(11, 6)), "cancelled"),
    )
    assert not missing.complete
    assert missing.describe_missing(UTC_ZONE) == (
        "Cancelled: 1 day was not fetched completely: 2026-11-05. "
        "Not fetched completely: 2026-11-03 (HTTP 503 after 8 attempts)."
    )


def test_adjacent_days_same_reason_merged() -> None:
    parts = [MissingPart(Interval(day(11, n), day(11, n + 1)), "cancelled") for n in range(3, 7)]
    assert result(*parts, days_total=30).describe_missing(UTC_ZONE) == (
        "Cancelled: 4 of 30 days were not fetched completely: 2026-11-03 to 2026-11-06."
    )


def test_utc_day_named_in_berlin_hours() -> None:
    missing = result(MissingPart(Interval(day(11, 3), day(11, 4)), "cancelled"))
    assert missing.describe_missing(BERLIN) == (
        "Cancelled: 2 days were not fetched completely: "
        "2026-11-03 01:00–24:00, 2026-11-04 00:00–01:00."
    )


def test_berlin_day_slices_give_whole_day() -> None:
    parts = [
        MissingPart(Interval(day(11, 2, 23), day(11, 3)), "cancelled"),
        MissingPart(Interval(day(11, 3), day(11, 3, 23)), "cancelled"),
    ]
    assert result(*parts, days_total=7).describe_missing(BERLIN) == (
        "Cancelled: 1 of 7 days was not fetched completely: 2026-11-03."
    )


def test_dst_day_whole_in_berlin() -> None:
    missing = MissingPart(Interval(day(10, 24, 22), day(10, 25, 23)), "HTTP 503 after 8 attempts")
    assert result(missing).describe_missing(BERLIN) == (
        "Not fetched completely: 2026-10-25 (HTTP 503 after 8 attempts)."
    )


def test_failed_days_same_reason_merged() -> None:
    parts = [MissingPart(Interval(day(11, n), day(11, n + 1)), "HTTP 504") for n in range(3, 7)]
    assert (
        result(*parts).describe_missing(UTC_ZONE)
        == "Not fetched completely: 2026-11-03 to 2026-11-06 (HTTP 504)."
    )


def test_gaps_in_cancelled_days_listed() -> None:
    parts = [
        MissingPart(Interval(day(10, 14), day(10, 15)), "cancelled"),
        *(MissingPart(Interval(day(10, n), day(10, n + 1)), "cancelled") for n in range(20, 24)),
    ]
    assert result(*parts, days_total=40).describe_missing(UTC_ZONE) == (
        "Cancelled: 5 of 40 days were not fetched completely: 2026-10-14, "
        "2026-10-20 to 2026-10-23."
    )
