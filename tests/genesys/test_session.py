"""Retries, back-off, 401 renewal, 403 permissions and pacing of `GenesysSession`."""

from __future__ import annotations

import httpx
import pytest

from tests.genesys.fakeorg import FakeClock, FakeOrg, error
from wrapup_desktop.errors import ApiError, PermissionMissingError, SignInError
from wrapup_desktop.genesys import RetryPolicy
from wrapup_desktop.genesys.session import GenesysSession

ME = "/api/v2/organizations/me"


def fault_on_me(answers: list[httpx.Response | Exception]):  # type: ignore[no-untyped-def]
    """Answer GET /organizations/me with each of `answers` in turn, then let the org answer."""

    def fault(request: httpx.Request, body: object, org: FakeOrg) -> httpx.Response | None:
        if request.url.path != ME or not answers:
            return None
        answer = answers.pop(0)
        if isinstance(answer, Exception):
            raise answer
        return answer

    return fault


def waits(session: GenesysSession) -> list[tuple[float, str]]:
    seen: list[tuple[float, str]] = []
    session.on_wait = lambda wait_s, reason: seen.append((wait_s, reason))
    return seen


async def test_429_waits_retry_after() -> None:
    org = FakeOrg()
    org.faults.append(
        fault_on_me([error(429, "too.many.requests", "slow down", {"Retry-After": "17"})])
    )
    clock = FakeClock()
    async with org.session(clock) as session:
        seen = waits(session)
        assert await session.test_connection() == "Fake Org"
    assert sum(clock.sleeps) >= 17
    assert seen[0][0] >= 17
    assert "429" in seen[0][1]


async def test_429_falls_back_to_reset_header() -> None:
    org = FakeOrg()
    headers = {"inin-ratelimit-reset": "9"}
    org.faults.append(fault_on_me([error(429, "too.many.requests", "slow", headers)]))
    clock = FakeClock()
    async with org.session(clock) as session:
        await session.test_connection()
    assert 9 <= sum(clock.sleeps) <= 10


async def test_429_default_wait_three_seconds() -> None:
    org = FakeOrg()
    org.faults.append(fault_on_me([error(429, "too.many.requests", "slow")]))
    clock = FakeClock()
    async with org.session(clock) as session:
        await session.test_connection()
    assert 3 <= sum(clock.sleeps) <= 4


async def test_retry_after_beyond_limit_fails() -> None:
    org = FakeOrg()
    org.faults.append(
        fault_on_me([error(429, "too.many.requests", "later", {"Retry-After": "600"})])
    )
    async with org.session() as session:
        with pytest.raises(ApiError, match="600 s") as caught:
            await session.test_connection()
    assert caught.value.status == 429


@pytest.mark.parametrize("status", [500, 502, 503, 504])
async def test_5xx_retried_with_backoff(status: int) -> None:
    org = FakeOrg()
    org.faults.append(fault_on_me([error(status, "x", "boom"), error(status, "x", "boom")]))
    clock = FakeClock()
    async with org.session(clock) as session:
        assert await session.test_connection() == "Fake Org"
    assert len(clock.sleeps) == 2
    assert clock.sleeps[1] > clock.sleeps[0]


@pytest.mark.parametrize(
    "problem",
    [
        pytest.param(httpx.ReadError("connection reset by peer"), id="reset"),
        pytest.param(httpx.ReadTimeout("timed out"), id="timeout"),
        pytest.param(httpx.RemoteProtocolError("peer closed connection"), id="protocol"),
    ],
)
async def test_network_errors_retried(problem: Exception) -> None:
    org = FakeOrg()
    org.faults.append(fault_on_me([problem]))
    async with org.session() as session:
        assert await session.test_connection() == "Fake Org"


async def test_truncated_body_retried() -> None:
    org = FakeOrg()
    org.faults.append(fault_on_me([httpx.Response(200, content=b'{"id": "org-1", "na')]))
    async with org.session() as session:
        assert await session.test_connection() == "Fake Org"


async def test_bound_reached_raises_api_error() -> None:
    org = FakeOrg()
    org.faults.append(fault_on_me([error(503, "service.unavailable", "down")] * 20))
    policy = RetryPolicy(max_attempts=4)
    async with org.session(policy=policy) as session:
        with pytest.raises(ApiError) as caught:
            await session.test_connection()
    assert caught.value.status == 503
    assert caught.value.code == "service.unavailable"
    assert caught.value.context_id == "ctx-503-service.unavailable"
    assert caught.value.details == "HTTP 503 after 4 attempts"
    assert "down" in caught.value.message
    assert len([r for r in org.requests if r.url.path == ME]) == 4


async def test_401_renews_token_once() -> None:
    org = FakeOrg()
    org.faults.append(fault_on_me([error(401, "bad.credentials", "expired")]))
    async with org.session() as session:
        assert await session.test_connection() == "Fake Org"
    assert org.tokens_issued == 2


async def test_second_401_raises_sign_in() -> None:
    org = FakeOrg()
    org.faults.append(fault_on_me([error(401, "bad.credentials", "no")] * 2))
    async with org.session() as session:
        with pytest.raises(SignInError, match="twice"):
            await session.test_connection()


async def test_403_names_permission() -> None:
    org = FakeOrg()
    message = (
        "Unable to perform the requested action. You must have at least one of the following "
        "permissions assigned: [analytics:conversationDetail:view, "
        "analytics:agentConversationDetail:view]"
    )
    org.faults.append(fault_on_me([error(403, "missing.any.permissions", message)]))
    async with org.session() as session:
        with pytest.raises(PermissionMissingError) as caught:
            await session.test_connection()
    assert caught.value.permission == "analytics:conversationDetail:view"
    assert "analytics:conversationDetail:view" in caught.value.message


async def test_404_raises_without_retry() -> None:
    org = FakeOrg()
    async with org.session() as session:
        with pytest.raises(ApiError) as caught:
            await session.get_json("/api/v2/nothing")
    assert caught.value.status == 404
    assert len(org.requests) == 2


async def test_limiter_waits_for_window_reset() -> None:
    org = FakeOrg()
    headers = {
        "inin-ratelimit-allowed": "300",
        "inin-ratelimit-count": "300",
        "inin-ratelimit-reset": "12",
    }

    def used_up(request: httpx.Request, body: object, org: FakeOrg) -> httpx.Response | None:
        if request.url.path == ME:
            return httpx.Response(200, json={"name": "Fake Org"}, headers=headers)
        return None

    org.faults.append(used_up)
    clock = FakeClock()
    async with org.session(clock) as session:
        seen = waits(session)
        await session.test_connection()
        assert clock.sleeps == []
        await session.test_connection()
    assert clock.sleeps == [12]
    assert "rate limit" in seen[0][1]


async def test_short_limiter_wait_not_reported() -> None:
    clock = FakeClock()
    org = FakeOrg()
    async with org.session(clock) as session:
        seen = waits(session)
        session.limiter.close_for(0.01, "Genesys rate limit (HTTP 429)")
        assert await session.test_connection() == "Fake Org"
    assert clock.sleeps == [pytest.approx(0.01)]
    assert seen == []


async def test_lookup_attempts_lower_for_5xx() -> None:
    org = FakeOrg()
    org.faults.append(fault_on_me([error(503, "service.unavailable", "down")] * 20))
    clock = FakeClock()
    async with org.session(clock) as session:
        with pytest.raises(ApiError, match="after 3 attempts"):
            await session.get_json(ME, max_attempts=3)
    assert len(clock.sleeps) == 2
