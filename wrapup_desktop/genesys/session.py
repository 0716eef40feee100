"""One signed-in connection to a Genesys Cloud org, with retries, back-off and pacing.

Every API call of the engine goes through `GenesysSession._send`. It waits for the rate limiter,
takes a slot of the concurrency limit and adds the bearer token. It retries the same request on
429, 5xx, network errors and bodies that do not decode, up to `RetryPolicy.max_attempts`. A 401
renews the token once, and a 403 names the missing permission. All waits use the injected
`sleep`, so tests run on a fake clock.
"""

from __future__ import annotations

import asyncio
import json
import logging
import random
import re
import ssl
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from types import TracebackType
from typing import Any, TypeVar

import httpx
import truststore

from wrapup_desktop.errors import ApiError, PermissionMissingError, SignInError
from wrapup_desktop.genesys.auth import TokenProvider
from wrapup_desktop.genesys.ratelimit import RateLimiter
from wrapup_desktop.genesys.regions import Endpoints
from wrapup_desktop.genesys.tls import untrusted_certificate_message, untrusted_certificate_reason

logger = logging.getLogger(__name__)

T = TypeVar("T")

_RETRIED_STATUSES = frozenset({408, 500, 502, 503, 504})
MIN_REPORTED_WAIT_S = 0.05
"""Shorter waits are slept but not reported, so no progress line says "Waiting 0 s"."""
_PERMISSION_RE = re.compile(r"\b[a-zA-Z]+:[a-zA-Z]+:[a-zA-Z]+\b")


@dataclass
class RetryPolicy:
    """Retry limits, back-off and concurrency of one session, in seconds and counts."""

    max_attempts: int = 8
    base_backoff_s: float = 0.5
    """First back-off after a 5xx or network error; it doubles with each attempt."""
    max_backoff_s: float = 30.0
    max_wait_s: float = 120.0
    """Maximum Retry-After honoured; a longer one fails the request at once."""
    default_retry_after_s: float = 3.0
    """Wait after a 429 that names no wait, the default of the Genesys Java and .NET SDKs."""
    max_concurrency: int = 6
    request_timeout_s: float = 60.0
    lookup_max_attempts: int = 3
    """Attempts of a name lookup after a 5xx or network error; a lookup is optional, a page is
    not. A 429 still gets `max_attempts`."""
    lookup_timeout_s: float = 15.0
    """Timeout of one name lookup request, so a server that stopped answering is noticed soon."""
    lookup_pause_s: float = 30.0
    """After name lookups failed for a server or network reason, later calls skip them this
    long."""


class UndecodableBodyError(ValueError):
    """A 2xx body that could not be decoded, such as a truncated page."""


class GenesysSession:
    """An `httpx.AsyncClient` on the org's API host, signed in through a `TokenProvider`."""

    def __init__(
        self,
        endpoints: Endpoints,
        auth: TokenProvider,
        *,
        transport: httpx.AsyncBaseTransport | None = None,
        policy: RetryPolicy | None = None,
        sleep: Callable[[float], Awaitable[None]] = asyncio.sleep,
        clock: Callable[[], float] = time.monotonic,
        seed: int | None = None,
    ) -> None:
        self.endpoints = endpoints
        self.auth = auth
        self.policy = policy or RetryPolicy()
        self.sleep = sleep
        self.clock = clock
        self._random = random.Random(seed)
        verify: ssl.SSLContext | bool = True
        if endpoints.api_base.startswith("https:") or endpoints.login_base.startswith("https:"):
            verify = truststore.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
        self.client = httpx.AsyncClient(
            base_url=endpoints.api_base,
            transport=transport,
            verify=verify,
            trust_env=True,
            timeout=self.policy.request_timeout_s,
            headers={"Accept": "application/json"},
        )
        self._slots = asyncio.Semaphore(self.policy.max_concurrency)
        self.limiter = RateLimiter(sleep=sleep, clock=clock, on_wait=self._report_wait)
        self.on_wait: Callable[[float, str], None] | None = None
        """Called with seconds and reason before every wait of at least `MIN_REPORTED_WAIT_S`;
        the fetch layer sets it."""
        self.cache: dict[str, Any] = {}
        """Lookups kept for the life of the session (code, queue and user names)."""
        self.requests_sent = 0

    async def __aenter__(self) -> GenesysSession:
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        await self.aclose()

    async def aclose(self) -> None:
        await self.client.aclose()

    async def test_connection(self) -> str:
        """Sign in and return the org's name, from `GET /api/v2/organizations/me`."""
        body = await self.get_json("/api/v2/organizations/me")
        name = body.get("name") if isinstance(body, dict) else None
        return name if isinstance(name, str) and name else "(unnamed org)"

    async def get_json(
        self,
        path: str,
        params: Any = None,
        *,
        permission: str = "",
        max_attempts: int | None = None,
        timeout_s: float | None = None,
    ) -> Any:
        """GET a JSON document, retrying until it decodes.

        `max_attempts` lowers the attempts after 5xx and network errors below the policy's, and
        `timeout_s` replaces the policy's request timeout; name lookups use both.
        """
        return await self._send(
            "GET",
            path,
            params=params,
            decode=_decode_json,
            permission=permission,
            max_attempts=max_attempts,
            timeout_s=timeout_s,
        )

    async def post_json(self, path: str, body: Any, *, permission: str = "") -> Any:
        """POST a JSON body and return the decoded JSON response."""
        return await self._send(
            "POST", path, body=body, decode=_decode_json, permission=permission
        )

    async def post_bytes(self, path: str, body: Any, *, permission: str = "") -> bytes:
        """POST a JSON body and return the raw response body, for the domain's page decoder."""
        return await self._send("POST", path, body=body, decode=bytes, permission=permission)

    async def post_decoded(
        self, path: str, body: Any, decode: Callable[[bytes], T], *, permission: str = ""
    ) -> T:
        """POST and decode the response with `decode`, retrying while it raises ValueError."""
        return await self._send("POST", path, body=body, decode=decode, permission=permission)

    async def get_decoded(
        self, path: str, decode: Callable[[bytes], T], params: Any = None, *, permission: str = ""
    ) -> T:
        """GET and decode the response with `decode`, retrying while it raises ValueError."""
        return await self._send("GET", path, params=params, decode=decode, permission=permission)

    async def delete(self, path: str, *, permission: str = "") -> None:
        """DELETE a resource; a 404 counts as already gone."""
        try:
            await self._send("DELETE", path, decode=bytes, permission=permission)
        except ApiError as exc:
            if exc.status != 404:
                raise

    async def _send(
        self,
        method: str,
        path: str,
        *,
        decode: Callable[[bytes], T],
        params: Any = None,
        body: Any = None,
        permission: str = "",
        max_attempts: int | None = None,
        timeout_s: float | None = None,
    ) -> T:
        policy = self.policy
        # 5xx, network errors and undecodable bodies end the request after `failure_limit`
        # attempts; 429s may use all of the policy's attempts.
        failure_limit = min(policy.max_attempts, max_attempts or policy.max_attempts)
        timeout: Any = httpx.USE_CLIENT_DEFAULT if timeout_s is None else timeout_s
        renewed_token = False
        last_problem = ""
        last_status: int | None = None
        last_error: dict[str, Any] = {}
        attempt = 0
        while attempt < policy.max_attempts:
            attempt += 1
            await self.limiter.acquire()
            headers: httpx.Headers | None = None
            try:
                async with self._slots:
                    token = await self.auth.token(self.client)
                    self.requests_sent += 1
                    response = await self.client.request(
                        method,
                        path,
                        params=params,
                        json=body,
                        headers={"Authorization": f"Bearer {token}"},
                        timeout=timeout,
                    )
                headers = response.headers
            except httpx.TransportError as exc:
                reason = untrusted_certificate_reason(exc)
                if reason is not None:
                    # Retrying cannot make a certificate trusted.
                    raise ApiError(
                        untrusted_certificate_message(self.endpoints.api_base, reason),
                        details=str(exc),
                    ) from exc
                last_problem = f"network error ({type(exc).__name__})"
                last_status = None
                logger.debug("%s %s failed: %s (attempt %d)", method, path, last_problem, attempt)
                if attempt >= failure_limit:
                    break
                await self._backoff(attempt, failure_limit, last_problem)
                continue
            finally:
                self.limiter.release(headers)

            status = response.status_code
            logger.debug("%s %s -> %d (attempt %d)", method, path, status, attempt)
            if 200 <= status < 300:
                try:
                    return decode(response.content)
                except ValueError as exc:
                    last_problem = f"an unreadable response body ({exc})"
                    last_status = status
                    logger.debug("%s %s: body did not decode: %s", method, path, exc)
                    if attempt >= failure_limit:
                        break
                    await self._backoff(attempt, failure_limit, "Response body cut off")
                    continue

            last_status = status
            last_error = _error_fields(response)
            if status == 401:
                if renewed_token:
                    raise SignInError(
                        "Genesys Cloud rejected the access token twice (HTTP 401), also right "
                        "after signing in again. Check that the OAuth client is still active "
                        "and sign in again.",
                        details=_describe(last_error),
                    )
                logger.info("Access token rejected (HTTP 401); signing in again once")
                self.auth.invalidate()
                renewed_token = True
                attempt -= 1
                continue
            if status == 403:
                raise _permission_error(method, path, last_error, permission)
            if status == 429:
                wait_s = self._retry_after(response)
                last_problem = "HTTP 429 (rate limit)"
                if wait_s > policy.max_wait_s:
                    raise ApiError(
                        f"Genesys Cloud asked to wait {wait_s:.0f} s before retrying {path} "
                        f"(HTTP 429), longer than the {policy.max_wait_s:.0f} s limit. Try again "
                        "later or ask Genesys support about the org's rate limits.",
                        status=429,
                        code=str(last_error.get("code", "")),
                        context_id=str(last_error.get("contextId", "")),
                    )
                if attempt < policy.max_attempts:
                    wait_s += self._random.uniform(0.0, min(1.0, 0.1 * wait_s + 0.1))
                    logger.warning(
                        "Genesys rate limit hit on %s %s; waiting %.1f s (attempt %d of %d)",
                        method,
                        path,
                        wait_s,
                        attempt,
                        policy.max_attempts,
                    )
                    # The limiter reports this wait when the next request reaches it.
                    self.limiter.close_for(wait_s, "Genesys rate limit (HTTP 429)")
                continue
            if status in _RETRIED_STATUSES:
                last_problem = f"HTTP {status}"
                if attempt >= failure_limit:
                    break
                await self._backoff(attempt, failure_limit, f"HTTP {status} from Genesys Cloud")
                continue
            raise _api_error(method, path, status, last_error)

        raise self._exhausted_error(method, path, attempt, last_status, last_problem, last_error)

    def _exhausted_error(
        self,
        method: str,
        path: str,
        attempts: int,
        status: int | None,
        problem: str,
        error: dict[str, Any],
    ) -> ApiError:
        message = str(error.get("message", ""))
        text = f"{method} {path} failed after {attempts} attempts: {problem}"
        if message:
            text += f" ({message})"
        context_id = str(error.get("contextId", ""))
        if context_id:
            text += (
                f", contextId {context_id}. Try again later; if it keeps failing, send the "
                "contextId to Genesys support."
            )
        elif status is None:
            text += ". Check the network connection and any proxy settings, then try again."
        else:
            text += ". Try again later."
        return ApiError(
            text,
            status=status,
            code=str(error.get("code", "")),
            context_id=context_id,
            details=f"{problem} after {attempts} attempts",
        )

    def _retry_after(self, response: httpx.Response) -> float:
        for name in ("retry-after", "inin-ratelimit-reset"):
            raw = response.headers.get(name)
            if raw is None:
                continue
            try:
                value = float(raw)
            except ValueError:
                continue
            if value >= 0:
                return value
        return self.policy.default_retry_after_s

    async def _backoff(self, attempt: int, attempts: int, problem: str) -> None:
        """Sleep before attempt `attempt + 1` and report the wait once, with its cause."""
        base = self.policy.base_backoff_s * 2 ** (attempt - 1)
        wait_s = min(self.policy.max_backoff_s, base) * self._random.uniform(0.8, 1.2)
        cause = problem[:1].upper() + problem[1:]
        self._report_wait(wait_s, f"{cause}, retry {attempt} of {attempts - 1}")
        await self.sleep(wait_s)

    def _report_wait(self, wait_s: float, reason: str) -> None:
        if self.on_wait is not None and wait_s >= MIN_REPORTED_WAIT_S:
            self.on_wait(wait_s, reason)


def _decode_json(content: bytes) -> Any:
    if not content:
        return None
    try:
        return json.loads(content)
    except ValueError as exc:
        raise UndecodableBodyError(f"not valid JSON: {exc}") from exc


def _error_fields(response: httpx.Response) -> dict[str, Any]:
    try:
        body = response.json()
    except ValueError:
        return {}
    return body if isinstance(body, dict) else {}


def _describe(error: dict[str, Any]) -> str:
    parts = [f"{key}={error[key]}" for key in ("code", "message", "contextId") if key in error]
    return ", ".join(parts)


def _permission_error(
    method: str, path: str, error: dict[str, Any], fallback: str
) -> PermissionMissingError:
    message = str(error.get("message", ""))
    found = _PERMISSION_RE.findall(message)
    permission = found[0] if found else fallback
    if permission:
        text = (
            f"The OAuth client lacks the permission {permission} (HTTP 403 on {method} {path}). "
            "Ask an admin to add it to one of the client's roles, then try again."
        )
    else:
        text = (
            f"The OAuth client is not allowed to call {method} {path} (HTTP 403). Ask an admin "
            "to check the client's roles and divisions."
        )
    return PermissionMissingError(text, permission=permission, details=_describe(error))


def _api_error(method: str, path: str, status: int, error: dict[str, Any]) -> ApiError:
    message = str(error.get("message", "")) or "no message"
    context_id = str(error.get("contextId", ""))
    text = f"Genesys Cloud rejected {method} {path} (HTTP {status}: {message})"
    if context_id:
        text += f", contextId {context_id}"
    text += "."
    return ApiError(
        text,
        status=status,
        code=str(error.get("code", "")),
        context_id=context_id,
        details=f"HTTP {status}: {message}",
    )
