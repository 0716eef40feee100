"""The engine against the sandbox served by uvicorn on 127.0.0.1: real sockets, real drops."""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Iterator
from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

import pytest

from tests.genesys.conftest import SANDBOX_NOW, SANDBOX_REPORT
from wrapup_desktop import sandbox
from wrapup_desktop.genesys import (
    ClientCredentials,
    ClientCredentialsAuth,
    GenesysSession,
    ReportRange,
    RetryPolicy,
    fetch_range,
    load_directory,
    resolve_endpoints,
)
from wrapup_desktop.sandbox import FaultPlan, SandboxOrg

UTC_ZONE = ZoneInfo("UTC")
FAST_RETRIES = RetryPolicy(base_backoff_s=0.01, max_backoff_s=0.05)


@pytest.fixture
def faults() -> FaultPlan:
    return FaultPlan()


@pytest.fixture
def origin(sandbox_org: SandboxOrg, faults: FaultPlan) -> Iterator[str]:
    with sandbox.running_sandbox(sandbox_org, faults) as served:
        yield served


def loopback_session(origin: str, policy: RetryPolicy = FAST_RETRIES) -> GenesysSession:
    endpoints = resolve_endpoints(origin)
    credentials = ClientCredentials(sandbox.DEMO_CLIENT_ID, sandbox.DEMO_CLIENT_SECRET)
    return GenesysSession(endpoints, ClientCredentialsAuth(endpoints, credentials), policy=policy)


async def test_loopback_export_matches_baseline(
    origin: str, sandbox_baseline: list[str], caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    async with loopback_session(origin) as session:
        result = await fetch_range(session, SANDBOX_REPORT, now=SANDBOX_NOW, use_jobs="never")
        directory = await load_directory(session, result.conversations)
    assert result.complete
    assert [c.conversation_id for c in result.conversations] == sandbox_baseline
    assert directory.wrapup_codes
    assert "HTTP Request: POST" in caplog.text
    assert sandbox.DEMO_CLIENT_SECRET not in caplog.text
    assert "Bearer " not in caplog.text
    assert "Basic " not in caplog.text
    assert "access_token" not in caplog.text


@pytest.mark.parametrize(
    "faults",
    [
        pytest.param(FaultPlan(reset_rate=0.25, seed=11), id="socket-drops"),
        pytest.param(FaultPlan(truncate_rate=0.25, seed=12), id="truncated"),
        pytest.param(FaultPlan(fail_rate=0.25, seed=13), id="5xx"),
        pytest.param(FaultPlan(expire_tokens_after=20), id="token-expiry"),
    ],
)
async def test_loopback_faults_same_ids(
    origin: str, faults: FaultPlan, sandbox_baseline: list[str]
) -> None:
    async with loopback_session(origin) as session:
        result = await fetch_range(session, SANDBOX_REPORT, now=SANDBOX_NOW, use_jobs="never")
    assert result.complete, result.describe_missing(UTC_ZONE)
    assert [c.conversation_id for c in result.conversations] == sandbox_baseline
    assert faults.log


@pytest.mark.parametrize("faults", [pytest.param(FaultPlan(latency_s=2.0), id="slow-server")])
async def test_loopback_cancel_stops_within_second(origin: str) -> None:
    cancel = asyncio.Event()
    cancelled_at: list[float] = []

    def press_cancel() -> None:
        cancelled_at.append(time.monotonic())
        cancel.set()

    asyncio.get_running_loop().call_later(0.5, press_cancel)
    async with loopback_session(origin) as session:
        result = await fetch_range(
            session, SANDBOX_REPORT, now=SANDBOX_NOW, use_jobs="never", cancel=cancel
        )
        returned_at = time.monotonic()
    assert returned_at - cancelled_at[0] < 1.0
    assert result.cancelled
    assert result.describe_missing(UTC_ZONE) == (
        "Cancelled: 3 of 3 days were not fetched completely: 2026-11-02 to 2026-11-04."
    )


@pytest.mark.slow
@pytest.mark.parametrize(
    "faults",
    [pytest.param(FaultPlan(latency_s=0.02, throttle_every=97, retry_after_s=1), id="busy")],
)
async def test_thirty_days_loopback_complete(faults: FaultPlan) -> None:
    now = datetime(2026, 12, 4, 12, tzinfo=UTC)
    report = ReportRange(date(2026, 10, 1), date(2026, 10, 30), UTC_ZONE)
    # 4,200 conversations per weekday give about 105,000 in 30 days. Every day stays cached
    # (about 2.5 GB), so the count below does not generate the days again.
    org = SandboxOrg(now=now, weekday_volume=4_200, cache_days=31)
    started = time.monotonic()
    with sandbox.running_sandbox(org, faults) as served:
        async with loopback_session(served, RetryPolicy()) as session:
            result = await fetch_range(session, report, now=now, use_jobs="never")
    elapsed = time.monotonic() - started
    start, end = report.utc_bounds()
    ids = [c.conversation_id for c in result.conversations]
    assert result.complete
    assert len(ids) >= 100_000
    assert len(ids) == len(set(ids))
    assert len(ids) == org.count_between(start, end)
    assert any(r.status == 429 for r in faults.log)
    print(f"30 days: {len(ids)} conversations, {result.pages} pages in {elapsed:.1f} s")
