"""Report ranges, UTC slices clipped to now, DST days and hand-typed intervals."""

from __future__ import annotations

import itertools
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from wrapup_desktop.errors import InputError
from wrapup_desktop.genesys import Interval, ReportRange, parse_interval_text, plan_intervals
from wrapup_desktop.genesys.planning import reaches_now

BERLIN = ZoneInfo("Europe/Berlin")
LATER = datetime(2027, 1, 1, tzinfo=UTC)


def test_spring_forward_day_is_23_hours() -> None:
    start, end = ReportRange(date(2026, 3, 29), date(2026, 3, 29), BERLIN).utc_bounds()
    assert end - start == timedelta(hours=23)
    assert start == datetime(2026, 3, 28, 23, tzinfo=UTC)


def test_fall_back_day_is_25_hours() -> None:
    start, end = ReportRange(date(2026, 10, 25), date(2026, 10, 25), BERLIN).utc_bounds()
    assert end - start == timedelta(hours=25)
    assert end == datetime(2026, 10, 25, 23, tzinfo=UTC)


def test_slices_cut_at_utc_midnight() -> None:
    report = ReportRange(date(2026, 11, 2), date(2026, 11, 3), BERLIN)
    slices = plan_intervals(report, now=LATER)
    assert [s.to_api() for s in slices] == [
        "2026-11-01T23:00:00.000Z/2026-11-02T00:00:00.000Z",
        "2026-11-02T00:00:00.000Z/2026-11-03T00:00:00.000Z",
        "2026-11-03T00:00:00.000Z/2026-11-03T23:00:00.000Z",
    ]
    for piece in slices:
        assert piece.duration <= timedelta(days=1)


def test_long_range_slices_cover_it() -> None:
    report = ReportRange(date(2026, 1, 1), date(2026, 3, 31), ZoneInfo("UTC"))
    slices = plan_intervals(report, now=LATER)
    assert len(slices) == 90
    assert slices[0].start == datetime(2026, 1, 1, tzinfo=UTC)
    assert slices[-1].end == datetime(2026, 4, 1, tzinfo=UTC)
    for before, after in itertools.pairwise(slices):
        assert before.end == after.start


def test_range_ending_today_clipped() -> None:
    now = datetime(2026, 12, 4, 15, 30, tzinfo=UTC)
    report = ReportRange(date(2026, 12, 3), date(2026, 12, 4), ZoneInfo("UTC"))
    slices = plan_intervals(report, now=now)
    assert slices[-1].end == now - timedelta(minutes=1)
    assert all(s.end <= now for s in slices)
    assert reaches_now(report, now)
    assert not reaches_now(report, now + timedelta(days=2))


def test_future_range_rejected() -> None:
    now = datetime(2026, 12, 4, 15, 30, tzinfo=UTC)
    report = ReportRange(date(2026, 12, 10), date(2026, 12, 11), ZoneInfo("UTC"))
    with pytest.raises(InputError, match="2026-12-10"):
        plan_intervals(report, now=now)


def test_end_before_start_rejected() -> None:
    with pytest.raises(InputError) as caught:
        ReportRange(date(2026, 11, 5), date(2026, 11, 1), BERLIN)
    assert "2026-11-01" in caught.value.message
    assert "2026-11-05" in caught.value.message


def test_interval_to_api_form() -> None:
    interval = Interval(datetime(2026, 11, 30, tzinfo=UTC), datetime(2026, 12, 1, tzinfo=UTC))
    assert interval.to_api() == "2026-11-30T00:00:00.000Z/2026-12-01T00:00:00.000Z"


def test_backslash_interval_rejected() -> None:
    with pytest.raises(InputError) as caught:
        parse_interval_text(r"2026-01-23T10:00:00\2026-01-23T13:00:00", BERLIN)
    message = caught.value.message
    assert "backslash" in message
    assert "2026-01-23T10:00:00+01:00/2026-01-23T13:00:00+01:00" in message
    assert "Europe/Berlin" in message


def test_interval_without_offset_uses_report_zone() -> None:
    interval = parse_interval_text("2026-01-23T10:00:00/2026-01-23T13:00:00", BERLIN)
    assert interval.start == datetime(2026, 1, 23, 9, tzinfo=UTC)
    assert interval.end == datetime(2026, 1, 23, 12, tzinfo=UTC)


def test_interval_with_offsets_and_z() -> None:
    interval = parse_interval_text("2026-03-02T00:00Z/2026-03-03T00:00:00+00:00", BERLIN)
    assert interval.to_api() == "2026-03-02T00:00:00.000Z/2026-03-03T00:00:00.000Z"


@pytest.mark.parametrize(
    "text",
    [
        pytest.param("23.01.2026 10:00/23.01.2026 13:00", id="german-dates"),
        pytest.param("2026-01-23T13:00/2026-01-23T10:00", id="reversed"),
        pytest.param("2026-01-23T10:00", id="one-time"),
    ],
)
def test_bad_interval_text_rejected(text: str) -> None:
    with pytest.raises(InputError, match="2026-01-23T10:00:00\\+01:00/2026-01-23T13:00:00"):
        parse_interval_text(text, BERLIN)
