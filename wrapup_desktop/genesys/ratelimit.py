"""Client-side pacing from the `inin-ratelimit-*` headers, so requests slow down before a 429.

Genesys Cloud sends `inin-ratelimit-allowed` (requests allowed per window), `inin-ratelimit-count`
(requests used so far) and `inin-ratelimit-reset` (seconds until the window resets) on API
responses. The limiter keeps the latest reading and delays new requests once the requests in
flight would use up what the window has left. A 429 closes the gate for everyone until its wait
is over, so concurrent requests do not all hit the limit again.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass

logger = logging.getLogger(__name__)


@dataclass
class _Reading:
    allowed: int
    remaining: int
    reset_at: float | None
    """Clock time at which the window resets; None for a new window not yet reported."""


class RateLimiter:
    """Pacing shared by all requests of one session."""

    def __init__(
        self,
        *,
        sleep: Callable[[float], Awaitable[None]],
        clock: Callable[[], float],
        on_wait: Callable[[float, str], None] | None = None,
    ) -> None:
        self._sleep = sleep
        self._clock = clock
        self.on_wait = on_wait
        self._reading: _Reading | None = None
        self._closed_until = 0.0
        self._closed_reason = ""
        self._in_flight = 0
        """Requests that passed `acquire` and have not been released yet."""
        self._lock = asyncio.Lock()
        self._released = asyncio.Event()

    async def acquire(self) -> None:
        """Wait until a request may start, then count it as in flight."""
        async with self._lock:
            while True:
                wait_s, reason = self._wait_needed()
                if wait_s == 0:
                    break
                if wait_s < 0:
                    # A new window with its allowance used up and no reading yet: the next
                    # response carries its reset time.
                    self._released.clear()
                    await self._released.wait()
                    continue
                if self.on_wait is not None:
                    self.on_wait(wait_s, reason)
                await self._sleep(wait_s)
            self._in_flight += 1
            if self._reading is not None:
                self._reading.remaining -= 1

    def release(self, headers: Mapping[str, str] | None) -> None:
        """Count a request as done and take the rate-limit headers of its response."""
        self._in_flight = max(0, self._in_flight - 1)
        if headers is not None:
            self._read_headers(headers)
        self._released.set()

    def close_for(self, wait_s: float, reason: str) -> None:
        """Hold every new request for `wait_s` seconds, such as after a 429."""
        until = self._clock() + wait_s
        if until > self._closed_until:
            self._closed_until = until
            self._closed_reason = reason

    def _wait_needed(self) -> tuple[float, str]:
        """Return 0 to go ahead, seconds to wait, or -1 to wait for the next response."""
        now = self._clock()
        if self._closed_until > now:
            return self._closed_until - now, self._closed_reason
        reading = self._reading
        if reading is None:
            return 0.0, ""
        if reading.reset_at is not None and reading.reset_at <= now:
            # The window has reset. Requests held until now count against the new window, so
            # its allowance is known before its first response arrives.
            reading.reset_at = None
            reading.remaining = reading.allowed - self._in_flight
        if reading.remaining > 0:
            return 0.0, ""
        if reading.reset_at is None:
            return (-1.0, "") if self._in_flight > 0 else (0.0, "")
        wait_s = reading.reset_at - now
        logger.debug("Rate limit window nearly used up; holding requests for %.1f s", wait_s)
        return wait_s, (
            f"Genesys rate limit: {reading.allowed} requests per window, waiting for it to reset"
        )

    def _read_headers(self, headers: Mapping[str, str]) -> None:
        allowed = _int_header(headers, "inin-ratelimit-allowed")
        count = _int_header(headers, "inin-ratelimit-count")
        reset_s = _float_header(headers, "inin-ratelimit-reset")
        if allowed is None or count is None or reset_s is None:
            return
        reset_at = self._clock() + max(0.0, reset_s)
        # Requests still in flight may not be counted yet, so they are taken off what is left.
        remaining = allowed - count - self._in_flight
        current = self._reading
        if (
            current is not None
            and current.reset_at is not None
            and abs(current.reset_at - reset_at) < 1.0
        ):
            # Responses of one window arrive out of order; the lowest remaining is the latest.
            remaining = min(remaining, current.remaining)
        self._reading = _Reading(allowed=allowed, remaining=remaining, reset_at=reset_at)


def _int_header(headers: Mapping[str, str], name: str) -> int | None:
    value = _float_header(headers, name)
    return None if value is None else int(value)


def _float_header(headers: Mapping[str, str], name: str) -> float | None:
    raw = headers.get(name)
    if raw is None:
        return None
    try:
        return float(raw)
    except ValueError:
        return None
