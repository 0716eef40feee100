"""Compare the engine's export time with the official SDK's page loop and the theoretical bound.

Runs the sandbox org on 127.0.0.1 in its own process, so its CPU work does not compete with the
client for one interpreter lock. The sandbox adds a fixed latency per request and enforces a
fixed-window rate limit. The same days are exported three ways:

1. the engine (`fetch_range`: concurrent pages, client-side pacing, retries);
2. a plain sequential page loop over the official Python SDK (`PureCloudPlatformClientV2`,
   `AnalyticsApi.post_analytics_conversations_details_query`), which retries a 429 after
   `Retry-After` itself because the SDK does not;
3. the bound: max(pages / allowed rate, pages x latency / concurrency).

The sandbox serves each page with about 20 ms of CPU in one thread, so requests in flight queue
for it. A plain sequential httpx loop over the same pages measures latency plus that service
time per page; its time divided by the concurrency is printed as a second, attainable bound.

Two scenarios run: one where latency dominates and one where the rate limit dominates. The
SDK is an optional benchmark dependency (`pip install PureCloudPlatformClientV2`); without it the
SDK row is skipped. Run: `python benchmarks/fetch.py` (about two minutes).
"""

from __future__ import annotations

import argparse
import asyncio
import math
import multiprocessing
import socket
import time
from dataclasses import dataclass
from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

from wrapup_desktop import sandbox
from wrapup_desktop.genesys import (
    ClientCredentials,
    ClientCredentialsAuth,
    GenesysSession,
    ProgressEvent,
    ReportRange,
    RetryPolicy,
    fetch_range,
    plan_intervals,
    resolve_endpoints,
)
from wrapup_desktop.sandbox import FaultPlan, SandboxOrg

NOW = datetime(2026, 12, 4, 12, tzinfo=UTC)
REPORT = ReportRange(date(2026, 11, 2), date(2026, 11, 6), ZoneInfo("UTC"))


@dataclass(frozen=True)
class Scenario:
    name: str
    latency_s: float
    rate_requests: int
    rate_window_s: float


SCENARIOS = (
    Scenario("latency dominates", latency_s=0.25, rate_requests=100_000, rate_window_s=60.0),
    Scenario("rate limit dominates", latency_s=0.05, rate_requests=30, rate_window_s=3.0),
)


def _serve(port: int, scenario: Scenario, days: int) -> None:
    faults = FaultPlan(
        latency_s=scenario.latency_s,
        rate_limit_requests=scenario.rate_requests,
        rate_limit_window_s=scenario.rate_window_s,
    )
    sandbox.serve(port=port, org=SandboxOrg(now=NOW, cache_days=days + 2), faults=faults)


def start_server(scenario: Scenario, days: int) -> tuple[multiprocessing.Process, str]:
    """Start the sandbox in a child process on a free port; return it and its origin."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    process = multiprocessing.Process(target=_serve, args=(port, scenario, days), daemon=True)
    process.start()
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
            break
        except OSError:
            time.sleep(0.05)
    else:
        process.terminate()
        raise RuntimeError(f"The sandbox did not start on port {port}.")
    return process, f"http://127.0.0.1:{port}"


async def run_engine(origin: str, concurrency: int) -> tuple[float, int, int]:
    """Export with the engine; return seconds, pages and conversations. Counts 429s seen."""
    endpoints = resolve_endpoints(origin)
    credentials = ClientCredentials(sandbox.DEMO_CLIENT_ID, sandbox.DEMO_CLIENT_SECRET)
    policy = RetryPolicy(max_concurrency=concurrency)
    started = time.perf_counter()
    async with GenesysSession(
        endpoints, ClientCredentialsAuth(endpoints, credentials), policy=policy
    ) as session:
        result = await fetch_range(
            session, REPORT, now=NOW, use_jobs="never", on_progress=count_throttling
        )
    elapsed = time.perf_counter() - started
    assert result.complete, result.describe_missing(REPORT.tz)
    return elapsed, result.pages, len(result.conversations)


THROTTLED: list[int] = [0]


def count_throttling(event: ProgressEvent) -> None:
    if event.kind == "wait" and "429" in event.wait_reason:
        THROTTLED[0] += 1


def run_sequential_httpx(origin: str) -> tuple[float, int]:
    """Fetch the same pages one by one with httpx, without decoding; return seconds, pages."""
    import httpx

    started = time.perf_counter()
    pages = 0
    with httpx.Client(base_url=origin) as client:
        token = client.post(
            "/oauth/token",
            data={"grant_type": "client_credentials"},
            auth=(sandbox.DEMO_CLIENT_ID, sandbox.DEMO_CLIENT_SECRET),
        ).json()["access_token"]
        headers = {"Authorization": f"Bearer {token}"}
        for interval in plan_intervals(REPORT, now=NOW):
            number = 1
            while True:
                body = {
                    "interval": interval.to_api(),
                    "order": "asc",
                    "orderBy": "conversationStart",
                    "paging": {"pageSize": 100, "pageNumber": number},
                }
                response = client.post(
                    "/api/v2/analytics/conversations/details/query", json=body, headers=headers
                )
                if response.status_code == 429:
                    time.sleep(float(response.headers.get("Retry-After", "3")))
                    continue
                response.raise_for_status()
                pages += 1
                if response.content.count(b'"conversationId"') < 100:
                    break
                number += 1
    return time.perf_counter() - started, pages


def run_sdk(origin: str) -> tuple[float, int, int]:
    """Export with a sequential page loop over the official SDK; return seconds, pages, rows."""
    import PureCloudPlatformClientV2 as sdk  # type: ignore[import-untyped]  # noqa: N813
    from PureCloudPlatformClientV2.rest import ApiException  # type: ignore[import-untyped]

    started = time.perf_counter()
    client = sdk.api_client.ApiClient(host=origin)
    client.get_client_credentials_token(sandbox.DEMO_CLIENT_ID, sandbox.DEMO_CLIENT_SECRET)
    analytics = sdk.AnalyticsApi(client)
    start, end = REPORT.utc_bounds()
    pages = 0
    seen: set[str] = set()
    for interval in plan_intervals(REPORT, now=NOW):
        number = 1
        while True:
            body = sdk.ConversationQuery()
            body.interval = interval.to_api()
            body.order = "asc"
            body.order_by = "conversationStart"
            body.paging = sdk.PagingSpec()
            body.paging.page_size = 100
            body.paging.page_number = number
            try:
                answer = analytics.post_analytics_conversations_details_query(body)
            except ApiException as exc:
                if exc.status == 429:
                    wait_s = float(dict(exc.headers or {}).get("Retry-After", 3))
                    time.sleep(wait_s)
                    continue
                raise
            pages += 1
            if not answer.conversations:
                break
            for conversation in answer.conversations:
                moment = conversation.conversation_start
                if moment.tzinfo is None:
                    moment = moment.replace(tzinfo=UTC)
                if start <= moment < end:
                    seen.add(conversation.conversation_id)
            if len(answer.conversations) < 100:
                break
            number += 1
    return time.perf_counter() - started, pages, len(seen)


def bound_s(pages: int, scenario: Scenario, concurrency: int) -> float:
    rate_per_s = scenario.rate_requests / scenario.rate_window_s
    return max(pages / rate_per_s, pages * scenario.latency_s / concurrency)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--concurrency", type=int, default=6, help="engine requests in flight")
    parser.add_argument("--runs", type=int, default=3, help="engine runs; the best one counts")
    parser.add_argument("--no-sdk", action="store_true", help="skip the official SDK loop")
    args = parser.parse_args()

    days = (REPORT.end_date - REPORT.start_date).days + 1
    start, end = REPORT.utc_bounds()
    expected = SandboxOrg(now=NOW).count_between(start, end)
    print(f"Range {REPORT.start_date} to {REPORT.end_date}: {expected} conversations")

    for scenario in SCENARIOS:
        process, origin = start_server(scenario, days)
        try:
            # An untimed run makes the server generate and cache the days first.
            asyncio.run(run_engine(origin, args.concurrency))
            timings = []
            THROTTLED[0] = 0
            for _ in range(args.runs):
                engine_s, pages, rows = asyncio.run(run_engine(origin, args.concurrency))
                assert rows == expected, (rows, expected)
                timings.append(engine_s)
            engine_s = min(timings)
            sequential_s, sequential_pages = run_sequential_httpx(origin)
            sdk_row = "skipped"
            sdk_s = math.nan
            if not args.no_sdk:
                try:
                    sdk_s, sdk_pages, sdk_rows = run_sdk(origin)
                except ImportError:
                    sdk_row = "not installed"
                else:
                    assert sdk_rows == expected, (sdk_rows, expected)
                    sdk_row = f"{sdk_s:6.1f} s ({sdk_pages} pages)"
        finally:
            process.terminate()
            process.join(10)
        bound = bound_s(pages, scenario, args.concurrency)
        print(
            f"\n{scenario.name}: latency {scenario.latency_s * 1000:.0f} ms, "
            f"{scenario.rate_requests} requests per {scenario.rate_window_s:.0f} s, "
            f"{pages} pages, concurrency {args.concurrency}"
        )
        runs = ", ".join(f"{t:.2f}" for t in timings)
        print(f"  engine   {engine_s:6.2f} s (best of {args.runs}: {runs}; 429s: {THROTTLED[0]})")
        print(f"  SDK loop {sdk_row}")
        attainable = max(
            pages * scenario.rate_window_s / scenario.rate_requests,
            sequential_s / args.concurrency,
        )
        print(f"  httpx sequential loop {sequential_s:6.2f} s ({sequential_pages} pages)")
        print(f"  bound    {bound:6.2f} s (rate and latency only)")
        print(f"  bound    {attainable:6.2f} s (rate, and the sequential loop / concurrency)")
        print(f"  engine / bound    = {engine_s / bound:.2f}x")
        print(f"  engine / attainable bound = {engine_s / attainable:.2f}x")
        if not math.isnan(sdk_s):
            print(f"  SDK loop / engine = {sdk_s / engine_s:.2f}x")


if __name__ == "__main__":
    main()
