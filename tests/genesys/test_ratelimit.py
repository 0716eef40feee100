"""Client-side pacing from the `inin-ratelimit-*` headers."""

from __future__ import annotations

import asyncio

from tests.genesys.fakeorg import FakeClock
from wrapup_desktop.genesys.ratelimit import RateLimiter


def window(count: int, reset_s: int, allowed: int = 10) -> dict[str, str]:
    return {
        "inin-ratelimit-allowed": str(allowed),
        "inin-ratelimit-count": str(count),
        "inin-ratelimit-reset": str(reset_s),
    }


async def test_used_window_holds_until_reset() -> None:
    clock = FakeClock()
    waits: list[tuple[float, str]] = []
    limiter = RateLimiter(
        sleep=clock.sleep, clock=clock, on_wait=lambda s, r: waits.append((s, r))
    )
    await limiter.acquire()
    limiter.release(window(count=10, reset_s=7))
    await limiter.acquire()
    assert clock.sleeps == [7]
    assert "10 requests per window" in waits[0][1]


async def test_new_window_admits_only_allowance() -> None:
    clock = FakeClock()
    limiter = RateLimiter(sleep=clock.sleep, clock=clock)
    await limiter.acquire()
    limiter.release(window(count=10, reset_s=5))
    waiting = [asyncio.create_task(limiter.acquire()) for _ in range(25)]
    for _ in range(20):
        await asyncio.sleep(0)
    admitted = sum(task.done() for task in waiting)
    assert admitted == 10
    assert clock.sleeps == [5]
    # A response of the new window reports it used up: the next request waits for its reset,
    # and the one after that counts the ten still in flight against the window after it.
    limiter.release(window(count=1, reset_s=5))
    for _ in range(20):
        await asyncio.sleep(0)
    assert clock.sleeps == [5, 5]
    assert sum(task.done() for task in waiting) == 11
    for task in waiting:
        task.cancel()
    await asyncio.gather(*waiting, return_exceptions=True)


async def test_429_closes_gate_for_everyone() -> None:
    clock = FakeClock()
    limiter = RateLimiter(sleep=clock.sleep, clock=clock)
    limiter.close_for(17, "Genesys rate limit (HTTP 429)")
    await limiter.acquire()
    await limiter.acquire()
    assert clock.sleeps == [17]
