"""Client-credentials sign-in: errors, caching, renewal, and no secrets in logs."""

from __future__ import annotations

import logging

import httpx
import pytest

from tests.genesys.fakeorg import CLIENT_ID, CLIENT_SECRET, ENDPOINTS, FakeClock, FakeOrg
from wrapup_desktop.errors import SignInError
from wrapup_desktop.genesys import (
    ClientCredentials,
    ClientCredentialsAuth,
    GenesysSession,
    StaticTokenAuth,
    resolve_endpoints,
)


def test_credentials_repr_hides_secret() -> None:
    credentials = ClientCredentials(CLIENT_ID, CLIENT_SECRET)
    assert CLIENT_SECRET not in repr(credentials)
    auth = ClientCredentialsAuth(ENDPOINTS, credentials)
    assert CLIENT_SECRET not in repr(auth)


async def test_connection_returns_org_name() -> None:
    org = FakeOrg()
    async with org.session() as session:
        assert await session.test_connection() == "Fake Org"
    token_request = org.requests[0]
    assert token_request.url.path == "/oauth/token"
    assert token_request.headers["content-type"] == "application/x-www-form-urlencoded"
    assert token_request.headers["authorization"].startswith("Basic ")


async def test_wrong_secret_names_region() -> None:
    org = FakeOrg()
    endpoints = resolve_endpoints("mypurecloud.ie")
    auth = ClientCredentialsAuth(endpoints, ClientCredentials(CLIENT_ID, "wrong"))
    async with GenesysSession(endpoints, auth, transport=org.transport()) as session:
        with pytest.raises(SignInError) as caught:
            await session.test_connection()
    assert caught.value.message == (
        "Genesys Cloud rejected the client credentials (HTTP 401: authentication failed). "
        "Check the client ID and secret, and that the region (mypurecloud.ie) is the one your "
        "org uses."
    )


@pytest.mark.parametrize("status", [400, 401])
async def test_error_description_fallback(status: int) -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        return httpx.Response(
            status, json={"error": "invalid_client", "error_description": "client not found"}
        )

    auth = ClientCredentialsAuth(ENDPOINTS, ClientCredentials(CLIENT_ID, CLIENT_SECRET))
    async with GenesysSession(ENDPOINTS, auth, transport=httpx.MockTransport(handler)) as session:
        with pytest.raises(SignInError, match=f"HTTP {status}: client not found"):
            await session.test_connection()


async def test_unreachable_login_host_named() -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        raise httpx.ConnectError("Name or service not known", request=request)

    endpoints = resolve_endpoints("usw2.pure.cloud")
    auth = ClientCredentialsAuth(endpoints, ClientCredentials(CLIENT_ID, CLIENT_SECRET))
    async with GenesysSession(endpoints, auth, transport=httpx.MockTransport(handler)) as session:
        with pytest.raises(SignInError, match=r"login server login\.usw2\.pure\.cloud"):
            await session.test_connection()


async def test_token_cached_then_renewed_before_expiry() -> None:
    org = FakeOrg(token_lifetime_s=600)
    clock = FakeClock()
    async with org.session(clock) as session:
        await session.test_connection()
        await session.test_connection()
        assert org.tokens_issued == 1
        clock.now += 600 - 59
        await session.test_connection()
        assert org.tokens_issued == 2


async def test_static_token_expired_asks_sign_in() -> None:
    clock = FakeClock()
    auth = StaticTokenAuth("user-token", 60, clock=clock)
    client = httpx.AsyncClient()
    assert await auth.token(client) == "user-token"
    clock.now += 61
    with pytest.raises(SignInError, match="Sign in again"):
        await auth.token(client)
    await client.aclose()
    assert "user-token" not in repr(auth)


async def test_logs_never_show_secret_or_token(caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG)
    org = FakeOrg()
    async with org.session() as session:
        await session.test_connection()
    text = caplog.text
    assert "token-1-abcdef" not in text
    assert CLIENT_SECRET not in text
    assert "Basic " not in text


@pytest.mark.parametrize(
    "problem",
    [
        pytest.param(httpx.Response(503, json={"message": "down"}), id="503"),
        pytest.param(httpx.Response(429, json={"message": "slow"}), id="429"),
        pytest.param(httpx.ReadError("connection reset"), id="reset"),
    ],
)
async def test_token_request_retried(problem: httpx.Response | Exception) -> None:
    org = FakeOrg()
    left = [2]

    def flaky(request: httpx.Request, body: object, org: FakeOrg) -> httpx.Response | None:
        if request.url.path != "/oauth/token" or left[0] == 0:
            return None
        left[0] -= 1
        if isinstance(problem, Exception):
            raise problem
        return problem

    org.faults.append(flaky)
    clock = FakeClock()
    async with org.session(clock) as session:
        assert await session.test_connection() == "Fake Org"
    assert clock.sleeps == [1.0, 2.0]


async def test_token_503_three_times_fails() -> None:
    org = FakeOrg()
    org.faults.append(
        lambda request, body, org: (
            httpx.Response(503, json={"error": "temporarily_unavailable"})
            if request.url.path == "/oauth/token"
            else None
        )
    )
    async with org.session() as session:
        with pytest.raises(SignInError, match="HTTP 503"):
            await session.test_connection()


async def test_unreachable_origin_names_port() -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        raise httpx.ConnectError("Connection refused", request=request)

    endpoints = resolve_endpoints("http://127.0.0.1:8778")
    auth = ClientCredentialsAuth(endpoints, ClientCredentials(CLIENT_ID, CLIENT_SECRET))
    async with GenesysSession(endpoints, auth, transport=httpx.MockTransport(handler)) as session:
        with pytest.raises(SignInError, match=r"login server 127\.0\.0\.1:8778 "):
            await session.test_connection()
