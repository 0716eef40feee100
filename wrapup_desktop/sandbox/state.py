"""The mutable state of one running emulator, shared by the gate and the route handlers."""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field

from starlette.requests import Request

from wrapup_desktop.sandbox.auth import ClientProfile, TokenStore
from wrapup_desktop.sandbox.faults import FaultPlan
from wrapup_desktop.sandbox.jobs import JobStore
from wrapup_desktop.sandbox.org import SandboxOrg, VisibleConversation
from wrapup_desktop.sandbox.ratelimit import RateLimiter


@dataclass
class SandboxState:
    """Org, fault plan, clock and the stores of tokens, rate windows and jobs.

    Tests reach it as `app.state.sandbox`, for example to expire every token or to set a
    job's state by hand.
    """

    org: SandboxOrg
    faults: FaultPlan
    clock: Callable[[], float]
    sleep: Callable[[float], Awaitable[None]]
    tokens: TokenStore
    limiter: RateLimiter
    jobs: JobStore
    request_count: int = 0
    endpoint_counts: dict[str, int] = field(default_factory=dict)
    # Filtered, ordered details-query results by (body without paging, view time); a day is
    # read page by page, so it is filtered once.
    query_results: OrderedDict[tuple[bytes, int], list[VisibleConversation]] = field(
        default_factory=OrderedDict
    )


def sandbox_state(request: Request) -> SandboxState:
    """Return the state of the app that serves `request`."""
    state: SandboxState = request.app.state.sandbox
    return state


def client_of(request: Request) -> ClientProfile:
    """Return the OAuth client whose token the gate accepted for this request."""
    client: ClientProfile = request.state.client
    return client
