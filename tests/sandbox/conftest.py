"""Fixtures for the sandbox tests: a fixed "now", a fake clock and an in-process client."""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import httpx
import pytest
from starlette.applications import Starlette

from wrapup_desktop.sandbox import (
    DEMO_CLIENT_ID,
    DEMO_CLIENT_SECRET,
    FaultPlan,
    SandboxOrg,
    SandboxState,
    create_app,
)

# A Thursday afternoon: busy enough that some agents are still in after-call work.
NOW = datetime(2026, 12, 3, 14, 0, tzinfo=UTC)
SEED = 2026
QUERY_PATH = "/api/v2/analytics/conversations/details/query"
JOBS_PATH = "/api/v2/analytics/conversations/details/jobs"


class FakeClock:
    """A monotonic clock in seconds that only moves when a test calls `advance`."""

    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += seconds


class RecordingSleep:
    """An async sleep that returns at once and records the requested delays."""

    def __init__(self) -> None:
        self.delays: list[float] = []

    async def __call__(self, seconds: float) -> None:
        self.delays.append(seconds)


@dataclass
class Harness:
    """One emulator app with its clock, fault plan and an httpx client signed in as demo."""

    app: Starlette
    state: SandboxState
    clock: FakeClock
    sleep: RecordingSleep
    faults: FaultPlan
    client: httpx.AsyncClient
    token: str = ""

    @property
    def headers(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.token}"}

    async def sign_in(
        self, client_id: str = DEMO_CLIENT_ID, secret: str = DEMO_CLIENT_SECRET
    ) -> str:
        response = await self.client.post(
            "/oauth/token", data={"grant_type": "client_credentials"}, auth=(client_id, secret)
        )
        assert response.status_code == 200, response.text
        token: str = response.json()["access_token"]
        self.token = token
        return token

    async def query(self, body: dict[str, Any]) -> httpx.Response:
        return await self.client.post(QUERY_PATH, json=body, headers=self.headers)

    async def get(self, path: str, **params: Any) -> httpx.Response:
        return await self.client.get(path, params=params, headers=self.headers)


@pytest.fixture(scope="session")
def org() -> SandboxOrg:
    """One org shared by the read-only tests (generation is deterministic)."""
    return SandboxOrg(seed=SEED, now=NOW, cache_days=10)


@pytest.fixture
def faults() -> FaultPlan:
    return FaultPlan()


@pytest.fixture
async def harness(org: SandboxOrg, faults: FaultPlan) -> AsyncIterator[Harness]:
    clock = FakeClock()
    sleep = RecordingSleep()
    app = create_app(org, faults, clock=clock, sleep=sleep)
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://sandbox.test") as client:
        harness = Harness(app, app.state.sandbox, clock, sleep, faults, client)
        await harness.sign_in()
        yield harness


def day_interval(day: str, next_day: str) -> str:
    return f"{day}T00:00:00.000Z/{next_day}T00:00:00.000Z"
