"""Browser sign-in with PKCE over a loopback redirect on 127.0.0.1."""

from __future__ import annotations

import asyncio
import base64
import hashlib
from urllib.parse import parse_qs, urlencode, urlsplit

import httpx
import pytest

from tests.genesys.fakeorg import ENDPOINTS
from wrapup_desktop.errors import SignInError
from wrapup_desktop.genesys import sign_in_with_browser


class FakeLogin:
    """The login server's authorize and token endpoints; authorize approves at once."""

    def __init__(self, *, tamper_state: bool = False) -> None:
        self.challenge = ""
        self.tamper_state = tamper_state
        self.token_form: dict[str, list[str]] = {}

    def handle(self, request: httpx.Request) -> httpx.Response:
        if request.url.path == "/oauth/authorize":
            params = request.url.params
            assert params["code_challenge_method"] == "S256"
            assert params["response_type"] == "code"
            self.challenge = params["code_challenge"]
            state = "forged" if self.tamper_state else params["state"]
            query = urlencode({"code": "the-code", "state": state})
            return httpx.Response(302, headers={"Location": f"{params['redirect_uri']}?{query}"})
        if request.url.path == "/oauth/token":
            self.token_form = parse_qs(request.content.decode())
            verifier = self.token_form["code_verifier"][0]
            digest = hashlib.sha256(verifier.encode()).digest()
            expected = base64.urlsafe_b64encode(digest).rstrip(b"=").decode()
            if expected != self.challenge or self.token_form["code"] != ["the-code"]:
                return httpx.Response(400, json={"error": "invalid_grant", "description": "bad"})
            return httpx.Response(200, json={"access_token": "user-token", "expires_in": 3600})
        return httpx.Response(404)


def browser(login: FakeLogin, pages: list[str]):  # type: ignore[no-untyped-def]
    """Return an `open_url` that follows the authorize redirect to the loopback port."""
    tasks: list[asyncio.Task[None]] = []

    async def follow(url: str) -> None:
        async with httpx.AsyncClient(transport=httpx.MockTransport(login.handle)) as client:
            redirect = (await client.get(url)).headers["Location"]
        assert urlsplit(redirect).hostname == "127.0.0.1"
        async with httpx.AsyncClient() as local:
            pages.append((await local.get(redirect)).text)

    def open_url(url: str) -> bool:
        tasks.append(asyncio.get_running_loop().create_task(follow(url)))
        return True

    return open_url


async def test_browser_sign_in_returns_token() -> None:
    login = FakeLogin()
    pages: list[str] = []
    auth = await sign_in_with_browser(
        ENDPOINTS,
        "pkce-client",
        open_url=browser(login, pages),
        transport=httpx.MockTransport(login.handle),
    )
    async with httpx.AsyncClient() as client:
        assert await auth.token(client) == "user-token"
    await asyncio.sleep(0.05)
    assert "You can close this tab" in pages[0]
    assert login.token_form["grant_type"] == ["authorization_code"]
    assert login.token_form["client_id"] == ["pkce-client"]


async def test_state_mismatch_rejected() -> None:
    login = FakeLogin(tamper_state=True)
    with pytest.raises(SignInError, match="state mismatch"):
        await sign_in_with_browser(
            ENDPOINTS,
            "pkce-client",
            open_url=browser(login, []),
            transport=httpx.MockTransport(login.handle),
        )


async def test_browser_never_returns_times_out() -> None:
    with pytest.raises(SignInError, match="did not finish within 0 s"):
        await sign_in_with_browser(
            ENDPOINTS, "pkce-client", open_url=lambda url: None, timeout_s=0.05
        )
