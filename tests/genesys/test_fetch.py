"""`fetch_range` against the fake org: retries, token expiry, paging, cancel and resume."""

from __future__ import annotations

import asyncio
import logging
from datetime import UTC, date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import httpx
import pytest

from tests.genesys.fakeorg import (
    CLIENT_SECRET,
    FakeClock,
    FakeOrg,
    day_of_conversations,
    error,
    make_conversation,
    page_fault,
)
from wrapup_desktop.errors import PermissionMissingError, SignInError
from wrapup_desktop.genesys import ProgressEvent, ReportRange, RetryPolicy, fetch_range

UTC_ZONE = ZoneInfo("UTC")
NOW = datetime(2026, 12, 4, 15, 0, tzinfo=UTC)


def nov(day: int) -> datetime:
    return datetime(2026, 11, day, tzinfo=UTC)


def busy_org(days: int = 3, per_day: int = 450) -> FakeOrg:
    org = FakeOrg()
    for offset in range(days):
        org.conversations += day_of_conversations(nov(2 + offset), per_day)
    return org


def report(first: int = 2, last: int = 4, tz: ZoneInfo = UTC_ZONE) -> ReportRange:
    return ReportRange(date(2026, 11, first), date(2026, 11, last), tz)


def ids(conversations: list) -> list[str]:  # type: ignore[type-arg]
    return [c.conversation_id for c in conversations]


async def baseline_ids(org_factory=busy_org) -> list[str]:  # type: ignore[no-untyped-def]
    org = org_factory()
    async with org.session() as session:
        result = await fetch_range(session, report(), now=NOW, use_jobs="never")
    assert result.complete
    return ids(result.conversations)


async def test_fault_free_run_complete() -> None:
    org = busy_org()
    events: list[ProgressEvent] = []
    async with org.session() as session:
        result = await fetch_range(
            session, report(), now=NOW, use_jobs="never", on_progress=events.append
        )
    assert result.complete
    assert not result.still_changing
    assert not result.cancelled
    assert len(result.conversations) == 3 * 450
    assert len(set(ids(result.conversations))) == 3 * 450
    starts = [c.conversation_start for c in result.conversations if c.conversation_start]
    assert len(starts) == 1350
    assert starts == sorted(starts)
    pages = [p for _, p in org.query_pages]
    assert pages.count(1) == 3
    assert len(org.query_pages) == len(set(org.query_pages))
    assert events[-1].kind == "done"
    assert events[-1].conversations == 1350
    assert events[-1].slices_done == 3


async def test_request_body_shape() -> None:
    org = busy_org(days=1, per_day=5)
    filtered = ReportRange(
        date(2026, 11, 2),
        date(2026, 11, 2),
        UTC_ZONE,
        queue_ids=("q1", "q2"),
        media_types=("voice",),
    )
    async with org.session() as session:
        await fetch_range(session, filtered, now=NOW, use_jobs="never")
    query = next(r for r in org.requests if r.url.path.endswith("/details/query"))
    import json

    body = json.loads(query.content)
    assert body["interval"] == "2026-11-02T00:00:00.000Z/2026-11-03T00:00:00.000Z"
    assert body["order"] == "asc"
    assert body["orderBy"] == "conversationStart"
    assert body["paging"] == {"pageSize": 100, "pageNumber": 1}
    clauses = body["segmentFilters"][0]["clauses"]
    assert [p["value"] for p in clauses[0]["predicates"]] == ["q1", "q2"]
    assert clauses[0]["predicates"][0]["dimension"] == "queueId"
    assert clauses[1]["predicates"][0] == {
        "type": "dimension",
        "dimension": "mediaType",
        "value": "voice",
    }


async def test_429_on_page_3_same_ids() -> None:
    expected = await baseline_ids()
    org = busy_org()
    org.faults.append(
        page_fault(3, lambda: error(429, "too.many.requests", "slow", {"Retry-After": "17"}))
    )
    clock = FakeClock()
    events: list[ProgressEvent] = []
    async with org.session(clock) as session:
        result = await fetch_range(
            session, report(), now=NOW, use_jobs="never", on_progress=events.append
        )
    assert result.complete
    assert ids(result.conversations) == expected
    assert max(clock.sleeps) >= 17
    waits = [e for e in events if e.kind == "wait"]
    assert waits and waits[0].wait_s >= 17
    assert "429" in waits[0].wait_reason
    assert "Waiting 1" in waits[0].message
    page3 = [
        p for p in org.requests if p.url.path.endswith("/query") and b'"pageNumber":3' in p.content
    ]
    assert len(page3) == 1 + 3  # one rejected, then once for each day


async def test_endless_429_names_missing_day() -> None:
    org = busy_org()
    org.faults.append(
        page_fault(
            3,
            lambda: error(429, "too.many.requests", "slow", {"Retry-After": "5"}),
            times=100,
            interval_prefix="2026-11-03",
        )
    )
    async with org.session(policy=RetryPolicy(max_attempts=3)) as session:
        result = await fetch_range(session, report(), now=NOW, use_jobs="never")
    assert not result.complete
    assert [m.interval.start for m in result.missing] == [nov(3)]
    assert result.describe_missing(UTC_ZONE) == (
        "Not fetched completely: 2026-11-03 (HTTP 429 (rate limit) after 3 attempts)."
    )
    # The other two days are whole, and the pages of day 3 fetched before the fault are kept.
    starts = {c.conversation_start.date() for c in result.conversations if c.conversation_start}
    assert starts == {date(2026, 11, 2), date(2026, 11, 3), date(2026, 11, 4)}
    assert len(result.conversations) >= 900 + 200


async def test_5xx_storm_same_ids() -> None:
    expected = await baseline_ids()
    org = busy_org()
    for page in (1, 2, 4):
        org.faults.append(
            page_fault(page, lambda: error(503, "service.unavailable", "x"), times=3)
        )
    async with org.session() as session:
        result = await fetch_range(session, report(), now=NOW, use_jobs="never")
    assert result.complete
    assert ids(result.conversations) == expected


async def test_resets_and_truncation_same_ids() -> None:
    expected = await baseline_ids()
    org = busy_org()

    def reset() -> httpx.Response:
        raise httpx.ReadError("connection reset by peer")

    org.faults.append(page_fault(2, reset, times=2))
    org.faults.append(
        page_fault(5, lambda: httpx.Response(200, content=b'{"totalHits": 4'), times=2)
    )
    async with org.session() as session:
        result = await fetch_range(session, report(), now=NOW, use_jobs="never")
    assert result.complete
    assert ids(result.conversations) == expected


async def test_permanent_503_missing_slice() -> None:
    org = busy_org()
    org.faults.append(
        page_fault(
            1,
            lambda: error(503, "service.unavailable", "down"),
            times=99,
            interval_prefix="2026-11-03",
        )
    )
    async with org.session() as session:
        result = await fetch_range(session, report(), now=NOW, use_jobs="never")
    assert (
        result.describe_missing(UTC_ZONE)
        == "Not fetched completely: 2026-11-03 (HTTP 503 after 8 attempts)."
    )
    assert len(result.conversations) == 900


async def test_401_on_page_41_same_total(caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG)
    org = busy_org(days=1, per_day=4500)
    org.faults.append(page_fault(41, lambda: error(401, "credentials.expired", "expired")))
    async with org.session() as session:
        result = await fetch_range(session, report(2, 2), now=NOW, use_jobs="never")
    assert result.complete
    assert len(result.conversations) == 4500
    assert org.tokens_issued == 2
    for token in ("token-1-abcdef", "token-2-abcdef", CLIENT_SECRET):
        assert token not in caplog.text


async def test_sign_in_fails_again_keeps_data(caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG)
    org = busy_org(days=1, per_day=4500)

    def expire_and_lock_out(
        request: httpx.Request, body: object, org: FakeOrg
    ) -> httpx.Response | None:
        if request.url.path == "/oauth/token" and org.tokens_issued >= 1:
            return httpx.Response(
                401, json={"error": "invalid_client", "description": "client disabled"}
            )
        return None

    org.faults.append(page_fault(41, lambda: error(401, "credentials.expired", "expired")))
    org.faults.append(expire_and_lock_out)
    async with org.session(policy=RetryPolicy(max_concurrency=1)) as session:
        result = await fetch_range(session, report(2, 2), now=NOW, use_jobs="never")
    assert not result.complete
    assert len(result.conversations) == 4000
    assert (
        result.describe_missing(UTC_ZONE) == "Not fetched completely: 2026-11-02 (sign-in failed)."
    )
    assert "token-1-abcdef" not in caplog.text
    assert CLIENT_SECRET not in caplog.text


async def test_wrong_secret_raises_before_data() -> None:
    org = busy_org(days=1, per_day=10)
    async with org.session(secret="wrong") as session:
        with pytest.raises(SignInError, match="client credentials"):
            await fetch_range(session, report(2, 2), now=NOW, use_jobs="never")


async def test_403_on_query_raises() -> None:
    org = busy_org(days=2, per_day=10)
    message = "You are missing the following permission(s): [analytics:conversationDetail:view]"
    org.faults.append(page_fault(1, lambda: error(403, "missing.permissions", message), times=9))
    async with org.session() as session:
        with pytest.raises(PermissionMissingError) as caught:
            await fetch_range(session, report(2, 3), now=NOW, use_jobs="never")
    assert caught.value.permission == "analytics:conversationDetail:view"
    assert "analytics:conversationDetail:view" in str(caught.value)


async def test_start_outside_interval_excluded() -> None:
    org = FakeOrg()
    org.conversations = [
        make_conversation(
            "before", datetime(2026, 3, 1, 23, 58, tzinfo=UTC), duration=timedelta(minutes=8)
        ),
        make_conversation("inside", datetime(2026, 3, 2, 10, tzinfo=UTC)),
        make_conversation("next-day", datetime(2026, 3, 3, 0, 0, 1, tzinfo=UTC)),
    ]
    org.data_availability = datetime(2026, 12, 1, tzinfo=UTC)
    one_day = ReportRange(date(2026, 3, 2), date(2026, 3, 2), UTC_ZONE)
    async with org.session() as session:
        query = await fetch_range(session, one_day, now=NOW, use_jobs="never")
        jobs = await fetch_range(session, one_day, now=NOW, use_jobs="always")
    assert ids(query.conversations) == ["inside"]
    assert ids(jobs.conversations) == ["inside"]


async def test_local_zone_edges_filtered() -> None:
    berlin = ZoneInfo("Europe/Berlin")
    org = FakeOrg()
    org.conversations = [
        make_conversation("late-utc-day-before", datetime(2026, 11, 1, 22, 30, tzinfo=UTC)),
        make_conversation("berlin-midnight", datetime(2026, 11, 1, 23, 0, tzinfo=UTC)),
        make_conversation("berlin-last", datetime(2026, 11, 2, 22, 59, tzinfo=UTC)),
        make_conversation("berlin-next-day", datetime(2026, 11, 2, 23, 0, tzinfo=UTC)),
    ]
    async with org.session() as session:
        result = await fetch_range(session, report(2, 2, berlin), now=NOW, use_jobs="never")
    assert ids(result.conversations) == ["berlin-midnight", "berlin-last"]


async def test_duplicates_across_pages_deduped() -> None:
    org = busy_org(days=1, per_day=250)
    original = org.conversations[150]
    newer = dict(original, conversationEnd="2026-11-02T23:59:00.000Z")

    def shifted(
        request: httpx.Request, body: dict[str, Any] | None, org: FakeOrg
    ) -> httpx.Response | None:
        if body and body.get("paging", {}).get("pageNumber") == 3:
            chunk = [newer, *org.matching(body["interval"])[200:]]
            return httpx.Response(200, json={"totalHits": 250, "conversations": chunk})
        return None

    org.faults.append(shifted)
    async with org.session() as session:
        result = await fetch_range(session, report(2, 2), now=NOW, use_jobs="never")
    assert len(result.conversations) == 250
    kept = next(c for c in result.conversations if c.conversation_id == original["conversationId"])
    assert kept.conversation_end == datetime(2026, 11, 2, 23, 59, tzinfo=UTC)


async def test_total_hits_low_keeps_paging() -> None:
    org = busy_org(days=1, per_day=430)

    def understated(
        request: httpx.Request, body: dict[str, Any] | None, org: FakeOrg
    ) -> httpx.Response | None:
        if body and "paging" in body:
            number = body["paging"]["pageNumber"]
            found = org.matching(body["interval"])
            chunk = found[(number - 1) * 100 : number * 100]
            answer: dict = {"totalHits": 210}  # type: ignore[type-arg]
            if chunk:
                answer["conversations"] = chunk
            return httpx.Response(200, json=answer)
        return None

    org.faults.append(understated)
    async with org.session() as session:
        result = await fetch_range(session, report(2, 2), now=NOW, use_jobs="never")
    assert len(result.conversations) == 430


async def test_huge_total_hits_splits() -> None:
    org = busy_org(days=1, per_day=480)
    seen_sizes: list[int] = []

    def capped(
        request: httpx.Request, body: dict[str, Any] | None, org: FakeOrg
    ) -> httpx.Response | None:
        if not body or "paging" not in body:
            return None
        seen_sizes.append(body["paging"]["pageSize"])
        start, end = body["interval"].split("/")
        if start.endswith("T00:00:00.000Z") and end.endswith("T00:00:00.000Z"):
            return httpx.Response(200, json={"totalHits": 250_000, "conversations": []})
        # An hour: answer only what started inside it, as the real API narrows an hour.
        found = [c for c in org.conversations if start <= c["conversationStart"] < end]
        number = body["paging"]["pageNumber"]
        chunk = found[(number - 1) * 100 : number * 100]
        answer: dict = {"totalHits": len(found)}  # type: ignore[type-arg]
        if chunk:
            answer["conversations"] = chunk
        return httpx.Response(200, json=answer)

    org.faults.append(capped)
    async with org.session() as session:
        result = await fetch_range(session, report(2, 2), now=NOW, use_jobs="never")
    assert result.complete
    assert len(result.conversations) == 480
    assert max(seen_sizes) == 100
    hours = [r for r in org.requests if b"T01:00:00.000Z/2026-11-02T02:00" in r.content]
    assert hours


async def test_range_to_today_clipped() -> None:
    org = FakeOrg()
    now = datetime(2026, 12, 4, 15, 0, tzinfo=UTC)
    org.conversations = [
        *day_of_conversations(datetime(2026, 12, 3, tzinfo=UTC), 150),
        make_conversation("today", datetime(2026, 12, 4, 9, tzinfo=UTC)),
    ]
    today = ReportRange(date(2026, 12, 3), date(2026, 12, 4), UTC_ZONE)
    async with org.session() as session:
        result = await fetch_range(session, today, now=now, use_jobs="never")
    assert result.still_changing
    assert result.complete
    assert len(result.conversations) == 151
    intervals = [i for i, _ in org.query_pages]
    assert "2026-12-04T00:00:00.000Z/2026-12-04T14:59:00.000Z" in intervals
    assert len(org.query_pages) == len(set(org.query_pages))


async def test_cancel_stops_fast_and_resume_completes() -> None:
    org = busy_org(days=3, per_day=450)
    cancel = asyncio.Event()
    got: list[str] = []
    gate = asyncio.Event()

    async def slow_sleep(seconds: float) -> None:
        await gate.wait()

    def stall_day_3(
        request: httpx.Request, body: dict[str, Any] | None, org: FakeOrg
    ) -> httpx.Response | None:
        if body and body.get("interval", "").startswith("2026-11-04") and not gate.is_set():
            return error(503, "service.unavailable", "busy")
        return None

    org.faults.append(stall_day_3)
    clock = FakeClock()
    session = org.session(clock)
    session.sleep = slow_sleep

    def on_conversations(batch: list) -> None:  # type: ignore[type-arg]
        got.extend(c.conversation_id for c in batch)
        if len(got) >= 900:
            cancel.set()

    loop = asyncio.get_running_loop()
    started = loop.time()
    result = await fetch_range(
        session,
        report(),
        now=NOW,
        use_jobs="never",
        cancel=cancel,
        on_conversations=on_conversations,
    )
    assert loop.time() - started < 1.0
    assert result.cancelled
    assert result.missing
    assert result.describe_missing(UTC_ZONE) == (
        "Cancelled: 1 of 3 days was not fetched completely: 2026-11-04."
    )
    assert len(result.conversations) >= 900
    gate.set()
    session.sleep = clock.sleep
    resumed = await fetch_range(session, report(), now=NOW, use_jobs="never", resume=result)
    await session.aclose()
    assert resumed.complete
    assert ids(resumed.conversations) == await baseline_ids()


async def test_split_not_narrowing_fails_fast() -> None:
    org = busy_org(days=1, per_day=10)

    def whole_days(
        request: httpx.Request,
        body: dict[str, Any] | None,
        org: FakeOrg,
    ) -> httpx.Response | None:
        if body and "paging" in body:
            return httpx.Response(200, json={"totalHits": 250_000, "conversations": []})
        return None

    org.faults.append(whole_days)
    async with org.session() as session:
        result = await fetch_range(session, report(2, 2), now=NOW, use_jobs="never")
    assert result.describe_missing(UTC_ZONE) == (
        "Not fetched completely: 2026-11-02 (more than 100,000 results (250000))."
    )
    queries = [r for r in org.requests if r.url.path.endswith("/details/query")]
    assert 2 <= len(queries) <= 1 + 24


async def test_each_retry_one_wait_event() -> None:
    org = busy_org(days=1)
    answers = [error(504, "gateway.timeout", "slow"), error(504, "gateway.timeout", "slow")]

    def fault(
        request: httpx.Request, body: dict[str, Any] | None, org: FakeOrg
    ) -> httpx.Response | None:
        if body and body["paging"]["pageNumber"] == 2 and answers:
            return answers.pop(0)
        return None

    org.faults.append(fault)
    clock = FakeClock()
    events: list[ProgressEvent] = []
    async with org.session(clock) as session:
        result = await fetch_range(
            session, report(2, 2), now=NOW, use_jobs="never", on_progress=events.append
        )
    assert result.complete
    assert [e.kind for e in events if e.kind in ("wait", "retry")] == ["wait", "wait"]
    waits = [e for e in events if e.kind == "wait"]
    assert [e.wait_s for e in waits] == clock.sleeps
    assert waits[0].wait_reason == "HTTP 504 from Genesys Cloud, retry 1 of 7"
    assert waits[1].wait_reason == "HTTP 504 from Genesys Cloud, retry 2 of 7"
    assert waits[0].message == f"Waiting {waits[0].wait_s:.1f} s: {waits[0].wait_reason}"
    assert not any("Waiting 0 s" in e.message or "Waiting 0.0 s" in e.message for e in events)


async def test_cancel_leaves_first_days_whole() -> None:
    org = busy_org(days=10, per_day=450)
    cancel = asyncio.Event()
    got: list[str] = []

    def on_conversations(batch: list) -> None:  # type: ignore[type-arg]
        got.extend(c.conversation_id for c in batch)
        if len(got) >= 5 * 450:
            cancel.set()

    policy = RetryPolicy(max_concurrency=2)
    async with org.session(policy=policy) as session:
        result = await fetch_range(
            session,
            report(2, 11),
            now=NOW,
            use_jobs="never",
            cancel=cancel,
            on_conversations=on_conversations,
        )
        assert result.cancelled
        missing_days = {part.interval.start.day for part in result.missing}
        # Two slices run at a time, so only the two after the fifth day can be in part.
        assert min(missing_days) >= 6
        assert len(missing_days) <= 6
        text = result.describe_missing(UTC_ZONE)
        assert text.startswith(f"Cancelled: {len(missing_days)} of 10 days were not fetched")
        assert text.endswith("to 2026-11-11.")
        resumed = await fetch_range(
            session, report(2, 11), now=NOW, use_jobs="never", resume=result
        )
    assert resumed.complete
    assert len(resumed.conversations) == 10 * 450
    assert len(set(ids(resumed.conversations))) == 10 * 450
