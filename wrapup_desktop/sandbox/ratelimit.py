"""Per-token rate limiting with a fixed window, as the `inin-ratelimit-*` headers describe it."""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class RateState:
    """One token's window after a request: what the `inin-ratelimit-*` headers report."""

    allowed: int
    count: int
    reset_s: int
    exceeded: bool

    def headers(self) -> dict[str, str]:
        return {
            "inin-ratelimit-allowed": str(self.allowed),
            "inin-ratelimit-count": str(self.count),
            "inin-ratelimit-reset": str(self.reset_s),
        }


class RateLimiter:
    """Counts requests per token in windows of `window_s` seconds of the injected clock.

    A window starts with the first request after the previous one ran out. Requests over
    `allowed` in a window are rejected, and they still count towards the window.
    """

    def __init__(self, clock: Callable[[], float]) -> None:
        self._clock = clock
        self._windows: dict[str, tuple[float, int]] = {}

    def hit(self, token: str, allowed: int, window_s: float) -> RateState:
        """Count one request of `token` and report its window."""
        now = self._clock()
        started, count = self._windows.get(token, (now, 0))
        if now - started >= window_s:
            started, count = now, 0
        count += 1
        self._windows[token] = (started, count)
        return self._state(started, count, allowed, window_s, now)

    def peek(self, token: str, allowed: int, window_s: float) -> RateState:
        """Report the window of `token` without counting a request."""
        now = self._clock()
        started, count = self._windows.get(token, (now, 0))
        if now - started >= window_s:
            started, count = now, 0
        return self._state(started, count, allowed, window_s, now)

    @staticmethod
    def _state(started: float, count: int, allowed: int, window_s: float, now: float) -> RateState:
        reset_s = max(1, math.ceil(started + window_s - now))
        return RateState(allowed, count, reset_s, count > allowed)
