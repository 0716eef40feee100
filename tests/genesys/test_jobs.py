"""Async details jobs: availability lag, final states, expiry and cancel."""

from __future__ import annotations

import asyncio
from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

import httpx

from tests.genesys.fakeorg import FakeClock, FakeOrg, day_of_conversations
from wrapup_desktop.genesys import ProgressEvent, ReportRange, fetch_range

UTC_ZONE = ZoneInfo("UTC")
NOW = datetime(2026, 12, 4, 15, 0, tzinfo=UTC)


def org_with_days(first: int, last: int, per_day: int = 120) -> FakeOrg:
    org = FakeOrg(data_availability=datetime(2026, 11, 28, 6, tzinfo=UTC))
    for day in range(first, last + 1):
        org.conversations += day_of_conversations(datetime(2026, 11, day, tzinfo=UTC), per_day)
    return org


def november(first: int, last: int) -> ReportRange:
    return ReportRange(date(2026, 11, first), date(2026, 11, last), UTC_ZONE)


async def test_recent_days_come_from_query() -> None:
    org = org_with_days(18, 30)
    clock = FakeClock()
    events: list[ProgressEvent] = []
    async with org.session(clock) as session:
        result = await fetch_range(session, november(18, 30), now=NOW, on_progress=events.append)
    assert result.complete
    assert result.source == "jobs+query"
    assert len(result.conversations) == 13 * 120
    assert len({c.conversation_id for c in result.conversations}) == 13 * 120
    job_body = org.jobs["job-1"]["body"]
    assert job_body["interval"] == "2026-11-18T00:00:00.000Z/2026-11-28T00:00:00.000Z"
    assert "paging" not in job_body
    queried = sorted({interval for interval, _ in org.query_pages})
    assert queried[0].startswith("2026-11-28T00:00")
    assert len(queried) == 3
    assert any(e.kind == "job" for e in events)
    assert any(e.kind == "wait" and "job" in e.wait_reason for e in events)


async def test_jobs_only_marks_recent_partial() -> None:
    org = org_with_days(18, 30)
    async with org.session() as session:
        result = await fetch_range(session, november(18, 30), now=NOW, use_jobs="always")
    assert not result.complete
    assert len(result.conversations) == 10 * 120
    assert result.describe_missing(UTC_ZONE) == (
        "Not fetched completely: 2026-11-28 to 2026-11-30 "
        "(not yet available to jobs (data up to 2026-11-28 06:00 UTC))."
    )


async def test_auto_uses_query_for_week() -> None:
    org = org_with_days(2, 8)
    async with org.session() as session:
        result = await fetch_range(session, november(2, 8), now=NOW)
    assert result.source == "query"
    assert not org.jobs


async def test_failed_job_names_id_and_message() -> None:
    org = org_with_days(1, 10)
    org.job_states = ["QUEUED", "PENDING", "FAILED"]
    org.job_error_message = "Query timed out in the data lake"
    clock = FakeClock()
    async with org.session(clock) as session:
        result = await fetch_range(session, november(1, 10), now=NOW, use_jobs="always")
    assert not result.complete
    text = result.describe_missing(UTC_ZONE)
    assert "job-1" in text
    assert "FAILED" in text
    assert "Query timed out in the data lake" in text
    assert clock.sleeps[:2] == [5.0, 7.5]


async def test_cancelled_job_is_final() -> None:
    org = org_with_days(1, 10)
    org.job_states = ["CANCELLED"]
    async with org.session() as session:
        result = await fetch_range(session, november(1, 10), now=NOW, use_jobs="always")
    assert "job-1 ended CANCELLED" in result.describe_missing(UTC_ZONE)


async def test_expired_results_resubmitted_once() -> None:
    org = org_with_days(1, 10, per_day=30)
    org.expire_results_times = 1
    async with org.session() as session:
        result = await fetch_range(session, november(1, 10), now=NOW, use_jobs="always")
    assert result.complete
    assert len(org.jobs) == 2
    assert len(result.conversations) == 300


async def test_expired_twice_fails_clearly() -> None:
    org = org_with_days(1, 10, per_day=30)
    org.expire_results_times = 2
    async with org.session() as session:
        result = await fetch_range(session, november(1, 10), now=NOW, use_jobs="always")
    assert not result.complete
    assert "expired twice" in result.describe_missing(UTC_ZONE)
    assert "job-2" in result.describe_missing(UTC_ZONE)


async def test_polling_backs_off_to_a_minute() -> None:
    org = org_with_days(1, 10, per_day=10)
    org.job_states = ["QUEUED"] * 12 + ["FULFILLED"]
    clock = FakeClock()
    async with org.session(clock) as session:
        result = await fetch_range(session, november(1, 10), now=NOW, use_jobs="always")
    assert result.complete
    assert max(clock.sleeps) == 60.0
    assert sum(clock.sleeps) > 300


async def test_cancel_deletes_running_job() -> None:
    org = org_with_days(1, 10, per_day=10)
    org.job_states = ["QUEUED"] * 1000
    cancel = asyncio.Event()

    async def sleep_then_cancel(seconds: float) -> None:
        cancel.set()
        await asyncio.sleep(0)

    session = org.session()
    session.sleep = sleep_then_cancel
    result = await fetch_range(session, november(1, 10), now=NOW, use_jobs="always", cancel=cancel)
    await session.aclose()
    assert result.cancelled
    assert org.deleted_jobs == ["job-1"]
    assert result.describe_missing(UTC_ZONE) == (
        "Cancelled: 10 of 10 days were not fetched completely: 2026-11-01 to 2026-11-10."
    )


async def test_job_results_cursor_paged() -> None:
    org = org_with_days(1, 10, per_day=25)
    async with org.session() as session:
        result = await fetch_range(session, november(1, 10), now=NOW, use_jobs="always")
    results_calls = [r for r in org.requests if r.url.path.endswith("/results")]
    assert len(results_calls) == 5
    assert "cursor" not in results_calls[0].url.params
    assert results_calls[1].url.params["cursor"] == "50"
    assert len(result.conversations) == 250
    assert isinstance(results_calls[0], httpx.Request)


async def test_availability_failure_falls_back_to_query() -> None:
    org = org_with_days(1, 10, per_day=10)

    def broken(request: httpx.Request, body: object, org: FakeOrg) -> httpx.Response | None:
        if request.url.path.endswith("/jobs/availability"):
            return httpx.Response(500, json={"message": "boom", "code": "internal.server.error"})
        return None

    org.faults.append(broken)
    async with org.session() as session:
        result = await fetch_range(session, november(1, 10), now=NOW)
    assert result.complete
    assert result.source == "query"
    assert len(result.conversations) == 100
