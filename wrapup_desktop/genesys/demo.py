"""A session on the sandbox org, in-process: the demo mode of the app and the engine's tests.

The sandbox runs as an ASGI app behind `httpx.ASGITransport`, so no socket is opened. This is the
only engine module that imports `wrapup_desktop.sandbox`, and it does so lazily.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Awaitable, Callable
from datetime import datetime
from typing import TYPE_CHECKING

import httpx

from wrapup_desktop.genesys.auth import ClientCredentials, ClientCredentialsAuth
from wrapup_desktop.genesys.regions import Endpoints
from wrapup_desktop.genesys.session import GenesysSession, RetryPolicy

if TYPE_CHECKING:
    from wrapup_desktop.sandbox import FaultPlan, SandboxOrg

DEMO_ORIGIN = "http://sandbox.invalid"
"""Base URL of the in-process sandbox; the transport never resolves it."""


def demo_session(
    *,
    now: datetime | None = None,
    seed: int = 2026,
    faults: FaultPlan | None = None,
    policy: RetryPolicy | None = None,
    sleep: Callable[[float], Awaitable[None]] = asyncio.sleep,
    clock: Callable[[], float] = time.monotonic,
    org: SandboxOrg | None = None,
) -> GenesysSession:
    """Return a session signed in with the sandbox's demo client, with the org seen at `now`.

    The sandbox shares `sleep` and `clock` with the session, so its token lifetimes, rate
    windows, job steps and injected latency run on the same (possibly fake) clock. Passing an
    `org` reuses its generated days instead of building one from `seed` and `now`.
    """
    from wrapup_desktop import sandbox

    if org is None:
        org = sandbox.SandboxOrg(seed=seed, now=now)
    app = sandbox.create_app(org, faults, clock=clock, sleep=sleep)
    endpoints = Endpoints(login_base=DEMO_ORIGIN, api_base=DEMO_ORIGIN, region_domain=None)
    credentials = ClientCredentials(sandbox.DEMO_CLIENT_ID, sandbox.DEMO_CLIENT_SECRET)
    auth = ClientCredentialsAuth(endpoints, credentials, clock=clock, sleep=sleep)
    return GenesysSession(
        endpoints,
        auth,
        transport=httpx.ASGITransport(app=app),
        policy=policy,
        sleep=sleep,
        clock=clock,
    )
