"""Fixtures of the engine tests: a fake clock, and the sandbox's fault-free baseline."""

from __future__ import annotations

from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

import pytest

from tests.genesys.fakeorg import FakeClock
from wrapup_desktop.genesys import ReportRange, demo_session, fetch_range
from wrapup_desktop.sandbox import SandboxOrg

SANDBOX_NOW = datetime(2026, 12, 4, 12, 0, tzinfo=UTC)
SANDBOX_REPORT = ReportRange(date(2026, 11, 2), date(2026, 11, 4), ZoneInfo("UTC"))
_baseline: list[str] = []


@pytest.fixture(scope="session")
def sandbox_org() -> SandboxOrg:
    """One sandbox org seen at `SANDBOX_NOW`, shared so its days are generated once."""
    return SandboxOrg(now=SANDBOX_NOW, cache_days=8)


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture
async def sandbox_baseline(sandbox_org: SandboxOrg) -> list[str]:
    """Conversation ids of a fault-free sandbox export of `SANDBOX_REPORT`, computed once."""
    if not _baseline:
        fake = FakeClock()
        async with demo_session(sleep=fake.sleep, clock=fake, org=sandbox_org) as session:
            result = await fetch_range(session, SANDBOX_REPORT, now=SANDBOX_NOW, use_jobs="never")
        assert result.complete
        _baseline.extend(c.conversation_id or "" for c in result.conversations)
    return list(_baseline)
