"""OAuth tokens: the client-credentials grant, and a token that a browser sign-in produced.

A token lives only in memory. It is renewed a minute before it lapses and once more when the API
returns 401, and it is never logged: the token request carries the client id and secret in the
Basic header and form body, which httpx does not log (it logs only the method, URL and status).
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any, Protocol

import httpx

from wrapup_desktop.errors import SignInError
from wrapup_desktop.genesys.regions import Endpoints
from wrapup_desktop.genesys.tls import untrusted_certificate_message, untrusted_certificate_reason

logger = logging.getLogger(__name__)

# Renew this long before the token's stated expiry, so a request never starts with a token that
# lapses in flight.
RENEW_MARGIN_S = 60.0
TOKEN_TIMEOUT_S = 30.0
TOKEN_ATTEMPTS = 3
TOKEN_RETRY_WAIT_S = 1.0
"""Wait before the second token request; the third waits twice as long."""


@dataclass(frozen=True)
class ClientCredentials:
    """An OAuth client of the org: its id, and its secret, which repr and logs never show."""

    client_id: str
    client_secret: str = field(repr=False)


class TokenProvider(Protocol):
    """A source of bearer tokens for the API: client credentials or a user's browser sign-in."""

    async def token(self, client: httpx.AsyncClient) -> str:
        """Return a valid access token, signing in when none is cached."""
        ...

    def invalidate(self) -> None:
        """Forget the cached token after the API rejected it."""
        ...


class ClientCredentialsAuth:
    """Tokens from the client-credentials grant at `login_base + /oauth/token`."""

    def __init__(
        self,
        endpoints: Endpoints,
        credentials: ClientCredentials,
        *,
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], Awaitable[None]] = asyncio.sleep,
    ) -> None:
        self._endpoints = endpoints
        self._sleep = sleep
        self._credentials = credentials
        self._clock = clock
        self._token: str | None = None
        self._expires_at = 0.0
        self._lock = asyncio.Lock()
        self.sign_ins = 0
        """How many tokens were requested; tests read it to see a renewal."""

    def __repr__(self) -> str:
        return f"ClientCredentialsAuth({self._endpoints.login_base!r}, {self._credentials!r})"

    async def token(self, client: httpx.AsyncClient) -> str:
        async with self._lock:
            if self._token is not None and self._clock() < self._expires_at - RENEW_MARGIN_S:
                return self._token
            self._token = None
            token, expires_in_s = await self._request_token(client)
            self._token = token
            self._expires_at = self._clock() + expires_in_s
            self.sign_ins += 1
            return token

    def invalidate(self) -> None:
        self._token = None

    async def _request_token(self, client: httpx.AsyncClient) -> tuple[str, float]:
        """Request a token, trying again after a dropped connection, a 429 or a 5xx."""
        url = f"{self._endpoints.login_base}/oauth/token"
        host = self._endpoints.login_host
        for attempt in range(1, TOKEN_ATTEMPTS + 1):
            logger.debug("Requesting a client-credentials token from %s", host)
            last = attempt == TOKEN_ATTEMPTS
            try:
                response = await client.post(
                    url,
                    data={"grant_type": "client_credentials"},
                    auth=(self._credentials.client_id, self._credentials.client_secret),
                    timeout=TOKEN_TIMEOUT_S,
                )
            except httpx.ConnectError as exc:
                reason = untrusted_certificate_reason(exc)
                if reason is not None:
                    raise SignInError(
                        untrusted_certificate_message(host, reason), details=str(exc)
                    ) from exc
                raise SignInError(
                    f"Could not reach the Genesys Cloud login server {host} "
                    f"({type(exc).__name__}). Check the region, the network connection and any "
                    "proxy settings.",
                    details=str(exc),
                ) from exc
            except httpx.TimeoutException as exc:
                if last:
                    raise SignInError(
                        f"Signing in timed out: {host} did not respond within "
                        f"{TOKEN_TIMEOUT_S:.0f} s. Check the network connection and proxy "
                        "settings, then try again.",
                        details=type(exc).__name__,
                    ) from exc
            except httpx.TransportError as exc:
                if last:
                    raise SignInError(
                        f"The connection to the Genesys Cloud login server {host} failed "
                        f"({type(exc).__name__}). Check the network connection and any proxy "
                        "settings, then try again.",
                        details=str(exc),
                    ) from exc
            else:
                transient = response.status_code == 429 or response.status_code >= 500
                if response.status_code == 200:
                    return _parse_token(response, host)
                if not transient or last:
                    raise _sign_in_error(response, self._endpoints)
            logger.debug("Token request to %s failed (attempt %d); retrying", host, attempt)
            await self._sleep(TOKEN_RETRY_WAIT_S * attempt)
        raise AssertionError("unreachable: the last attempt returns or raises")


class StaticTokenAuth:
    """A token obtained elsewhere, such as by the browser sign-in; it cannot renew itself."""

    def __init__(
        self,
        access_token: str,
        expires_in_s: float | None = None,
        *,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self._token: str | None = access_token
        self._clock = clock
        self._expires_at = None if expires_in_s is None else clock() + expires_in_s

    def __repr__(self) -> str:
        return "StaticTokenAuth(<token hidden>)"

    async def token(self, client: httpx.AsyncClient) -> str:
        lapsed = self._expires_at is not None and self._clock() >= self._expires_at
        if self._token is None or lapsed:
            raise SignInError(
                "Your Genesys Cloud sign-in has expired. Sign in again in the browser, then "
                "resume the export."
            )
        return self._token

    def invalidate(self) -> None:
        self._token = None


def _parse_token(response: httpx.Response, host: str) -> tuple[str, float]:
    try:
        body: Any = response.json()
        token = body["access_token"]
        expires_in_s = float(body.get("expires_in") or 86400)
    except (ValueError, KeyError, TypeError) as exc:
        raise SignInError(
            f"The login server {host} returned no usable access token. Check that the "
            "region is right and that no proxy rewrites the response.",
            details=type(exc).__name__,
        ) from exc
    if not isinstance(token, str) or not token:
        raise SignInError(f"The login server {host} returned an empty access token.")
    return token, expires_in_s


def _sign_in_error(response: httpx.Response, endpoints: Endpoints) -> SignInError:
    status = response.status_code
    error, description = _oauth_error_fields(response)
    region = endpoints.region_domain or endpoints.login_base
    if error in ("invalid_client", "unauthorized_client") or status == 401:
        reason = description or error or "authentication failed"
        return SignInError(
            f"Genesys Cloud rejected the client credentials (HTTP {status}: {reason}). Check the "
            f"client ID and secret, and that the region ({region}) is the one your org uses.",
            details=f"error={error}",
        )
    reason = description or error or response.reason_phrase
    return SignInError(
        f"Signing in at {endpoints.login_host} failed (HTTP {status}: {reason}). Check the "
        f"client ID, secret and region ({region}); if they are right, try again later.",
        details=f"error={error}",
    )


def _oauth_error_fields(response: httpx.Response) -> tuple[str, str]:
    try:
        body = response.json()
    except ValueError:
        return "", ""
    if not isinstance(body, dict):
        return "", ""
    error = body.get("error")
    description = body.get("description") or body.get("error_description")
    return (
        error if isinstance(error, str) else "",
        description if isinstance(description, str) else "",
    )
