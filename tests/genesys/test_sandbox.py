"""The engine against the sandbox org in-process: a matrix of faults, jobs, lookups, sign-in."""

from __future__ import annotations

import logging
from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

import httpx
import pytest

from tests.genesys.conftest import SANDBOX_NOW, SANDBOX_REPORT
from tests.genesys.fakeorg import FakeClock
from wrapup_desktop import sandbox
from wrapup_desktop.domain.directory import LookupState
from wrapup_desktop.errors import PermissionMissingError
from wrapup_desktop.genesys import (
    ClientCredentials,
    ClientCredentialsAuth,
    Endpoints,
    GenesysSession,
    ProgressEvent,
    ReportRange,
    RetryPolicy,
    demo_session,
    fetch_range,
    load_directory,
    sign_in_with_browser,
)
from wrapup_desktop.sandbox import FaultPlan, SandboxOrg, ScriptedFault

UTC_ZONE = ZoneInfo("UTC")
ORIGIN = "http://sandbox.invalid"


def ids(result: object) -> list[str]:
    return [c.conversation_id or "" for c in result.conversations]  # type: ignore[attr-defined]


async def test_demo_session_signs_in(clock: FakeClock, sandbox_org: SandboxOrg) -> None:
    async with demo_session(sleep=clock.sleep, clock=clock, org=sandbox_org) as session:
        assert await session.test_connection() == sandbox.ORG_NAME


async def test_fault_free_export_matches_org(
    sandbox_baseline: list[str], sandbox_org: SandboxOrg
) -> None:
    org = sandbox_org
    start, end = SANDBOX_REPORT.utc_bounds()
    expected = [c["conversationId"] for c in org.conversations_between(start, end)]
    assert len(sandbox_baseline) == len(set(sandbox_baseline))
    assert sorted(sandbox_baseline) == sorted(expected)
    assert len(expected) > 2000


FAULTS = [
    pytest.param(FaultPlan(throttle_next=15, retry_after_s=7), id="429-burst"),
    pytest.param(FaultPlan(throttle_every=5, retry_after_s=3), id="429-storm"),
    pytest.param(FaultPlan(fail_rate=0.2, seed=3), id="5xx"),
    pytest.param(FaultPlan(reset_rate=0.2, seed=4), id="resets"),
    pytest.param(FaultPlan(truncate_rate=0.2, seed=5), id="truncated-body"),
    pytest.param(FaultPlan(non_json_rate=0.2, seed=6), id="html-body"),
    pytest.param(FaultPlan(expire_tokens_after=12), id="token-expiry"),
    pytest.param(
        FaultPlan(latency_s=0.05, slow_tail_fraction=0.2, slow_tail_s=20, seed=7), id="slow-tail"
    ),
    pytest.param(
        FaultPlan(fail_rate=0.1, reset_rate=0.05, truncate_rate=0.05, throttle_every=9, seed=8),
        id="everything",
    ),
]


@pytest.mark.parametrize("faults", FAULTS)
async def test_fault_matrix_same_ids(
    faults: FaultPlan, sandbox_baseline: list[str], clock: FakeClock, sandbox_org: SandboxOrg
) -> None:
    async with demo_session(
        faults=faults, sleep=clock.sleep, clock=clock, org=sandbox_org
    ) as session:
        result = await fetch_range(session, SANDBOX_REPORT, now=SANDBOX_NOW, use_jobs="never")
    assert result.complete, result.describe_missing(UTC_ZONE)
    assert ids(result) == sandbox_baseline
    assert faults.log, "the plan injected no fault"


async def test_rate_limit_paced_without_429(
    sandbox_baseline: list[str], clock: FakeClock, sandbox_org: SandboxOrg
) -> None:
    faults = FaultPlan(rate_limit_requests=10, rate_limit_window_s=60)
    events: list[ProgressEvent] = []
    async with demo_session(
        faults=faults, sleep=clock.sleep, clock=clock, org=sandbox_org
    ) as session:
        result = await fetch_range(
            session, SANDBOX_REPORT, now=SANDBOX_NOW, use_jobs="never", on_progress=events.append
        )
        sent = session.requests_sent
    assert ids(result) == sandbox_baseline
    assert result.pages == 47
    assert sent == 47
    waits = [e for e in events if e.kind == "wait"]
    assert waits
    assert all("429" not in e.wait_reason for e in waits)
    assert sum(clock.sleeps) >= 4 * 60


async def test_page_3_retry_after_17(
    sandbox_baseline: list[str], clock: FakeClock, sandbox_org: SandboxOrg
) -> None:
    faults = FaultPlan(
        scripted=[
            ScriptedFault(endpoint="details_query", on_request=3, status=429, retry_after_s=17)
        ]
    )
    events: list[ProgressEvent] = []
    policy = RetryPolicy(max_concurrency=1)
    async with demo_session(
        faults=faults, policy=policy, sleep=clock.sleep, clock=clock, org=sandbox_org
    ) as session:
        result = await fetch_range(
            session, SANDBOX_REPORT, now=SANDBOX_NOW, use_jobs="never", on_progress=events.append
        )
    assert ids(result) == sandbox_baseline
    assert [r.status for r in faults.log] == [429]
    waits = [e for e in events if e.kind == "wait"]
    assert len(waits) == 1
    assert waits[0].wait_s >= 17
    assert max(clock.sleeps) >= 17


async def test_token_expiry_resigns_once(
    sandbox_baseline: list[str],
    clock: FakeClock,
    caplog: pytest.LogCaptureFixture,
    sandbox_org: SandboxOrg,
) -> None:
    caplog.set_level(logging.DEBUG)
    faults = FaultPlan(
        scripted=[ScriptedFault(kind="expire_tokens", endpoint="details_query", on_request=41)]
    )
    async with demo_session(
        faults=faults, sleep=clock.sleep, clock=clock, org=sandbox_org
    ) as session:
        result = await fetch_range(session, SANDBOX_REPORT, now=SANDBOX_NOW, use_jobs="never")
        sign_ins = session.auth.sign_ins  # type: ignore[attr-defined]
    assert ids(result) == sandbox_baseline
    assert sign_ins == 2
    assert sandbox.DEMO_CLIENT_SECRET not in caplog.text
    assert "Bearer" not in caplog.text


async def test_permanent_503_lists_every_day(clock: FakeClock, sandbox_org: SandboxOrg) -> None:
    faults = FaultPlan(
        scripted=[ScriptedFault(endpoint="details_query", status=503, times=10_000)]
    )
    policy = RetryPolicy(max_attempts=3)
    async with demo_session(
        faults=faults, policy=policy, sleep=clock.sleep, clock=clock, org=sandbox_org
    ) as session:
        result = await fetch_range(session, SANDBOX_REPORT, now=SANDBOX_NOW, use_jobs="never")
    assert result.conversations == []
    assert result.describe_missing(UTC_ZONE) == (
        "Not fetched completely: 2026-11-02 to 2026-11-04 (HTTP 503 after 3 attempts)."
    )


def client_session(client_id: str, secret: str, app: object, clock: FakeClock) -> GenesysSession:
    endpoints = Endpoints(ORIGIN, ORIGIN, None)
    auth = ClientCredentialsAuth(endpoints, ClientCredentials(client_id, secret), clock=clock)
    return GenesysSession(
        endpoints,
        auth,
        transport=httpx.ASGITransport(app=app),  # type: ignore[arg-type]
        sleep=clock.sleep,
        clock=clock,
    )


async def test_no_analytics_client_raises(clock: FakeClock, sandbox_org: SandboxOrg) -> None:
    app = sandbox.create_app(sandbox_org)
    session = client_session(
        sandbox.NO_ANALYTICS_CLIENT_ID, sandbox.NO_ANALYTICS_CLIENT_SECRET, app, clock
    )
    async with session:
        with pytest.raises(PermissionMissingError) as caught:
            await fetch_range(session, SANDBOX_REPORT, now=SANDBOX_NOW, use_jobs="never")
    assert caught.value.permission == "analytics:conversationDetail:view"


async def test_no_codes_client_goes_on(
    clock: FakeClock, caplog: pytest.LogCaptureFixture, sandbox_org: SandboxOrg
) -> None:
    caplog.set_level(logging.WARNING)
    app = sandbox.create_app(sandbox_org)
    session = client_session(
        sandbox.NO_CODES_CLIENT_ID, sandbox.NO_CODES_CLIENT_SECRET, app, clock
    )
    one_day = ReportRange(date(2026, 11, 2), date(2026, 11, 2), UTC_ZONE)
    async with session:
        result = await fetch_range(session, one_day, now=SANDBOX_NOW, use_jobs="never")
        directory = await load_directory(session, result.conversations)
    assert result.complete
    assert directory.wrapup_codes == {}
    assert directory.wrapup_codes_state == LookupState.FORBIDDEN
    assert set(directory.code_misses.values()) == {LookupState.FORBIDDEN}
    assert directory.queues
    assert directory.users
    assert "routing:wrapupCode:view" in caplog.text


async def test_lookups_resolve_names(clock: FakeClock, sandbox_org: SandboxOrg) -> None:
    one_day = ReportRange(date(2026, 11, 2), date(2026, 11, 2), UTC_ZONE)
    async with demo_session(sleep=clock.sleep, clock=clock, org=sandbox_org) as session:
        result = await fetch_range(session, one_day, now=SANDBOX_NOW, use_jobs="never")
        directory = await load_directory(session, result.conversations)
    assert directory.wrapup_codes_state == LookupState.FOUND
    assert len(directory.wrapup_codes) > 3
    assert all(name for name in directory.wrapup_codes.values())
    assert any(q.wrapup_prompt for q in directory.queues.values())
    assert len(directory.users) > 5
    assert not any(code.startswith("ININ-") for code in directory.code_misses)


async def test_forbidden_lookups_plan(clock: FakeClock, sandbox_org: SandboxOrg) -> None:
    one_day = ReportRange(date(2026, 11, 2), date(2026, 11, 2), UTC_ZONE)
    faults = FaultPlan(forbid_lookups=True)
    async with demo_session(
        faults=faults, sleep=clock.sleep, clock=clock, org=sandbox_org
    ) as session:
        result = await fetch_range(session, one_day, now=SANDBOX_NOW, use_jobs="never")
        directory = await load_directory(session, result.conversations)
    assert directory.wrapup_codes_state == LookupState.FORBIDDEN
    assert directory.queues_state == LookupState.FORBIDDEN


JOBS_NOW = datetime(2026, 11, 12, 12, tzinfo=UTC)


@pytest.fixture(scope="module")
def jobs_org() -> SandboxOrg:
    return sandbox.SandboxOrg(now=JOBS_NOW, cache_days=16)


async def test_jobs_for_old_days_query_for_recent(clock: FakeClock, jobs_org: SandboxOrg) -> None:
    report = ReportRange(date(2026, 11, 4), date(2026, 11, 12), UTC_ZONE)
    start, end = report.utc_bounds()
    expected = sorted(c["conversationId"] for c in jobs_org.conversations_between(start, end))
    faults = FaultPlan(jobs_lag_s=2 * 86_400)
    async with demo_session(
        faults=faults, sleep=clock.sleep, clock=clock, org=jobs_org
    ) as session:
        result = await fetch_range(session, report, now=JOBS_NOW, use_jobs="auto")
    assert result.source == "jobs+query"
    assert result.still_changing
    assert result.complete
    assert sorted(ids(result)) == expected


@pytest.mark.parametrize("outcome", ["FAILED", "CANCELLED"])
async def test_job_outcome_named(outcome: str, clock: FakeClock, jobs_org: SandboxOrg) -> None:
    report = ReportRange(date(2026, 11, 5), date(2026, 11, 6), UTC_ZONE)
    faults = FaultPlan(job_outcomes=[outcome])
    async with demo_session(
        faults=faults, sleep=clock.sleep, clock=clock, org=jobs_org
    ) as session:
        result = await fetch_range(session, report, now=JOBS_NOW, use_jobs="always")
    text = result.describe_missing(UTC_ZONE)
    assert f"ended {outcome}" in text
    assert "2026-11-05, 2026-11-06 (The analytics job" in text


async def test_expired_job_resubmitted(clock: FakeClock, jobs_org: SandboxOrg) -> None:
    report = ReportRange(date(2026, 11, 5), date(2026, 11, 6), UTC_ZONE)
    faults = FaultPlan(job_outcomes=["EXPIRED"])
    async with demo_session(
        faults=faults, sleep=clock.sleep, clock=clock, org=jobs_org
    ) as session:
        result = await fetch_range(session, report, now=JOBS_NOW, use_jobs="always")
    start, end = report.utc_bounds()
    assert result.complete, result.describe_missing(UTC_ZONE)
    assert len(result.conversations) == jobs_org.count_between(start, end)


async def test_browser_sign_in_with_sandbox(sandbox_org: SandboxOrg) -> None:
    app = sandbox.create_app(sandbox_org)
    transport = httpx.ASGITransport(app=app)
    endpoints = Endpoints(ORIGIN, ORIGIN, None)
    import asyncio

    tasks: list[asyncio.Task[None]] = []

    async def follow(url: str) -> None:
        async with httpx.AsyncClient(transport=transport) as client:
            answer = await client.get(url)
        assert answer.status_code in (302, 303, 307)
        async with httpx.AsyncClient() as local:
            await local.get(answer.headers["location"])

    def open_url(url: str) -> None:
        tasks.append(asyncio.get_running_loop().create_task(follow(url)))

    auth = await sign_in_with_browser(
        endpoints, sandbox.DEMO_CLIENT_ID, open_url=open_url, transport=transport
    )
    await asyncio.gather(*tasks)
    async with GenesysSession(endpoints, auth, transport=transport) as session:
        assert await session.test_connection() == sandbox.ORG_NAME
