"""Name lookups against a server that fails or stops answering, and a cancelled lookup."""

from __future__ import annotations

import asyncio
import logging
from datetime import UTC, datetime

import httpx
import pytest

from tests.genesys.fakeorg import (
    CLIENT_ID,
    CLIENT_SECRET,
    ENDPOINTS,
    FakeClock,
    FakeOrg,
    error,
    make_conversation,
)
from wrapup_desktop.domain.decode import convert_conversation
from wrapup_desktop.domain.directory import LookupState
from wrapup_desktop.domain.model import Conversation
from wrapup_desktop.genesys import (
    ClientCredentials,
    ClientCredentialsAuth,
    GenesysSession,
    ProgressEvent,
    RetryPolicy,
    load_directory,
)

START = datetime(2026, 11, 2, 9, tzinfo=UTC)
LOOKUP_PREFIXES = ("/api/v2/routing/", "/api/v2/users")


def conversation(cid: str, **kwargs: str | None) -> Conversation:
    converted = convert_conversation(make_conversation(cid, START, **kwargs))  # type: ignore[arg-type]
    assert isinstance(converted, Conversation)
    return converted


def many_conversations() -> list[Conversation]:
    """300 conversations naming 40 codes, 120 queues and 250 users."""
    return [
        conversation(
            f"c{i}", code=f"code-{i % 40}", queue_id=f"queue-{i % 120}", user_id=f"user-{i % 250}"
        )
        for i in range(300)
    ]


def is_lookup(request: httpx.Request) -> bool:
    return request.url.path.startswith(LOOKUP_PREFIXES)


def fail_lookups(answer: Exception | httpx.Response):  # type: ignore[no-untyped-def]
    """Answer every lookup with `answer`: raise it when it is an exception."""

    def fault(request: httpx.Request, body: object, org: FakeOrg) -> httpx.Response | None:
        if not is_lookup(request):
            return None
        if isinstance(answer, Exception):
            raise answer
        return answer

    return fault


def lookups_sent(org: FakeOrg) -> list[httpx.Request]:
    return [r for r in org.requests if is_lookup(r)]


class HangingSleep:
    """A sleep that never ends, so only a cancel can get past it."""

    def __init__(self) -> None:
        self.started = asyncio.Event()

    async def __call__(self, seconds: float) -> None:
        self.started.set()
        await asyncio.get_running_loop().create_future()


@pytest.mark.parametrize(
    "answer",
    [
        pytest.param(httpx.ConnectError("connection refused"), id="refused"),
        pytest.param(httpx.ReadTimeout("timed out"), id="timeout"),
        pytest.param(error(503, "service.unavailable", "down"), id="http503"),
    ],
)
async def test_dead_server_lookups_return_promptly(
    answer: Exception | httpx.Response, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.WARNING, logger="wrapup_desktop.genesys.lookups")
    org = FakeOrg()
    org.faults.append(fail_lookups(answer))
    clock = FakeClock()
    policy = RetryPolicy()
    conversations = many_conversations()
    events: list[ProgressEvent] = []
    async with org.session(clock) as session:
        directory = await load_directory(session, conversations, on_progress=events.append)
    # Three kinds run at once; each stops at its first failed request.
    assert len(lookups_sent(org)) <= 3 * policy.lookup_max_attempts
    assert sum(clock.sleeps) < 10
    assert directory.wrapup_codes == {}
    assert directory.queues == {}
    assert directory.users == {}
    assert set(directory.code_misses.values()) == {LookupState.NOT_LOOKED_UP}
    assert len(directory.code_misses) == 40
    assert len(directory.queue_misses) == 120
    assert len(directory.user_misses) == 250
    assert set(directory.user_misses.values()) == {LookupState.NOT_LOOKED_UP}
    warnings = [r for r in caplog.records if r.levelno == logging.WARNING]
    assert len(warnings) == 1
    assert "Name lookups stopped" in warnings[0].getMessage()
    assert events[-1].kind == "lookup"
    assert events[-1].message.startswith("Names could not be looked up (")
    assert events[-1].message.endswith("after 3 attempts), so some stay blank")


async def test_hung_server_bounded_by_lookup_timeout() -> None:
    """A server that accepts and never answers costs at most attempts × lookup timeout."""
    org = FakeOrg()
    policy = RetryPolicy()
    clock = FakeClock()

    def handler(request: httpx.Request) -> httpx.Response:
        if is_lookup(request):
            timeout = request.extensions["timeout"]["read"]
            clock.now += timeout
            raise httpx.ReadTimeout("timed out", request=request)
        return org.handle(request)

    auth = ClientCredentials(CLIENT_ID, CLIENT_SECRET)
    session = GenesysSession(
        ENDPOINTS,
        ClientCredentialsAuth(ENDPOINTS, auth, clock=clock, sleep=clock.sleep),
        transport=httpx.MockTransport(handler),
        sleep=clock.sleep,
        clock=clock,
    )
    started = clock.now
    async with session:
        directory = await load_directory(session, many_conversations())
    # The three kinds wait side by side in reality; the fake clock adds their timeouts up.
    assert clock.now - started <= 3 * 3 * policy.lookup_timeout_s + 10
    assert directory.wrapup_codes_state == LookupState.NOT_LOOKED_UP


async def test_later_call_skips_then_retries() -> None:
    org = FakeOrg()
    fault = fail_lookups(httpx.ConnectError("connection refused"))
    org.faults.append(fault)
    clock = FakeClock()
    conversations = [conversation("a")]
    async with org.session(clock) as session:
        first = await load_directory(session, conversations)
        sent = len(org.requests)
        second = await load_directory(session, conversations)
        assert len(org.requests) == sent
        org.faults.remove(fault)
        clock.now += session.policy.lookup_pause_s
        third = await load_directory(session, conversations)
    assert first.code_misses == {"code-1": LookupState.NOT_LOOKED_UP}
    assert second.queue_misses == {"queue-1": LookupState.NOT_LOOKED_UP}
    assert third.wrapup_codes == {"code-1": "Sale"}
    assert third.queues["queue-1"].name == "Support"
    assert third.users == {"user-1": "Ada Agent"}
    assert third.code_misses == {}


async def test_404_does_not_stop_lookups() -> None:
    org = FakeOrg(users={f"user-{i}": f"Agent {i}" for i in range(250)})
    conversations = many_conversations()
    async with org.session() as session:
        directory = await load_directory(session, conversations)
    assert directory.wrapup_codes == {"code-1": "Sale", "code-2": "Refund"}
    assert directory.code_misses["code-3"] == LookupState.DELETED
    assert len(directory.code_misses) == 38
    assert directory.queue_misses["queue-7"] == LookupState.DELETED
    assert len(directory.users) == 250


async def test_single_code_503_stops_other_singles() -> None:
    org = FakeOrg()

    def fault(request: httpx.Request, body: object, org: FakeOrg) -> httpx.Response | None:
        if request.url.path.startswith("/api/v2/routing/wrapupcodes/"):
            return error(503, "service.unavailable", "down")
        return None

    org.faults.append(fault)
    policy = RetryPolicy(max_concurrency=2)
    async with org.session(policy=policy) as session:
        directory = await load_directory(session, many_conversations())
    singles = [r for r in org.requests if r.url.path.startswith("/api/v2/routing/wrapupcodes/")]
    assert len(singles) <= policy.max_concurrency * policy.lookup_max_attempts
    assert directory.wrapup_codes == {"code-1": "Sale", "code-2": "Refund"}
    assert directory.code_misses["code-3"] == LookupState.NOT_LOOKED_UP


@pytest.mark.parametrize(
    "answer",
    [
        pytest.param(error(503, "service.unavailable", "down"), id="backoff"),
        pytest.param(
            error(429, "too.many.requests", "slow", {"Retry-After": "100"}), id="rate-limit"
        ),
    ],
)
async def test_cancel_interrupts_lookup_wait(answer: httpx.Response) -> None:
    org = FakeOrg()
    org.faults.append(fail_lookups(answer))
    clock = FakeClock()
    sleep = HangingSleep()
    auth = ClientCredentials(CLIENT_ID, CLIENT_SECRET)
    session = GenesysSession(
        ENDPOINTS,
        ClientCredentialsAuth(ENDPOINTS, auth, clock=clock, sleep=clock.sleep),
        transport=org.transport(),
        sleep=sleep,
        clock=clock,
    )
    cancel = asyncio.Event()
    events: list[ProgressEvent] = []
    async with session:
        lookup = asyncio.create_task(
            load_directory(session, many_conversations(), cancel=cancel, on_progress=events.append)
        )
        await asyncio.wait_for(sleep.started.wait(), timeout=5)
        cancel.set()
        directory = await asyncio.wait_for(lookup, timeout=1)
    assert directory.users == {}
    assert len(directory.user_misses) == 250
    assert set(directory.code_misses.values()) == {LookupState.NOT_LOOKED_UP}
    assert (
        events[-1].message
        == "Names could not be looked up (the run was cancelled), so some stay blank"
    )


async def test_cancel_set_before_makes_no_requests() -> None:
    org = FakeOrg()
    cancel = asyncio.Event()
    cancel.set()
    async with org.session() as session:
        directory = await load_directory(session, [conversation("a")], cancel=cancel)
    assert lookups_sent(org) == []
    assert directory.user_misses == {"user-1": LookupState.NOT_LOOKED_UP}
