"""`create_app`: the sandbox org as an ASGI app that speaks the Genesys Cloud API subset."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Awaitable, Callable

from starlette.applications import Starlette
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from wrapup_desktop.sandbox import analytics, lookups
from wrapup_desktop.sandbox.auth import TokenStore, authorize_endpoint, token_endpoint
from wrapup_desktop.sandbox.faults import FaultPlan
from wrapup_desktop.sandbox.gate import SandboxGate
from wrapup_desktop.sandbox.jobs import JobStore
from wrapup_desktop.sandbox.org import SandboxOrg
from wrapup_desktop.sandbox.ratelimit import RateLimiter
from wrapup_desktop.sandbox.responses import error_response
from wrapup_desktop.sandbox.state import SandboxState, sandbox_state

_DETAILS = "/api/v2/analytics/conversations/details"


async def _token(request: Request) -> Response:
    state = sandbox_state(request)
    return await token_endpoint(request, state.tokens, state.faults.token_lifetime_s)


async def _http_error(request: Request, error: Exception) -> Response:
    """Return an ErrorBody for an unknown path or method, like every other API error."""
    status = error.status_code if isinstance(error, HTTPException) else 500
    if status == 404:
        message = f"No resource matches {request.method} {request.url.path}; check the path."
    elif status == 405:
        message = f"{request.method} is not allowed on {request.url.path}."
    else:
        message = f"The request {request.method} {request.url.path} failed with HTTP {status}."
    return error_response(request, status, message)


async def _authorize(request: Request) -> Response:
    return await authorize_endpoint(request, sandbox_state(request).tokens)


def _routes() -> list[Route]:
    return [
        Route("/oauth/token", _token, methods=["POST"]),
        Route("/oauth/authorize", _authorize, methods=["GET"]),
        Route(f"{_DETAILS}/query", analytics.details_query, methods=["POST"]),
        Route(f"{_DETAILS}/jobs", analytics.submit_job, methods=["POST"]),
        Route(f"{_DETAILS}/jobs/availability", analytics.job_availability, methods=["GET"]),
        Route(f"{_DETAILS}/jobs/{{job_id}}", analytics.job_status, methods=["GET"]),
        Route(f"{_DETAILS}/jobs/{{job_id}}", analytics.delete_job, methods=["DELETE"]),
        Route(f"{_DETAILS}/jobs/{{job_id}}/results", analytics.job_results, methods=["GET"]),
        Route(_DETAILS, analytics.conversations_by_id, methods=["GET"]),
        Route(
            "/api/v2/analytics/conversations/{conversation_id}/details",
            analytics.conversation_details,
            methods=["GET"],
        ),
        Route("/api/v2/routing/wrapupcodes", lookups.list_wrapup_codes, methods=["GET"]),
        Route("/api/v2/routing/wrapupcodes/{code_id}", lookups.get_wrapup_code, methods=["GET"]),
        Route("/api/v2/routing/queues", lookups.list_queues, methods=["GET"]),
        Route("/api/v2/routing/queues/{queue_id}", lookups.get_queue, methods=["GET"]),
        Route("/api/v2/users", lookups.list_users, methods=["GET"]),
        Route("/api/v2/users/{user_id}", lookups.get_user, methods=["GET"]),
        Route("/api/v2/organizations/me", lookups.organization_me, methods=["GET"]),
    ]


def create_app(
    org: SandboxOrg | None = None,
    faults: FaultPlan | None = None,
    *,
    clock: Callable[[], float] | None = None,
    sleep: Callable[[float], Awaitable[None]] | None = None,
) -> Starlette:
    """Build the emulator for `org` (a default-seed org at the real time when None).

    `clock` (seconds, default `time.monotonic`) times tokens, rate windows and jobs; `sleep`
    (default `asyncio.sleep`) carries out injected latency. Both exist so that tests need not wait.
    The returned app keeps its `SandboxState` in `app.state.sandbox`.
    """
    clock = clock or time.monotonic
    state = SandboxState(
        org=org or SandboxOrg(),
        faults=faults if faults is not None else FaultPlan(),
        clock=clock,
        sleep=sleep or asyncio.sleep,
        tokens=TokenStore(clock),
        limiter=RateLimiter(clock),
        jobs=JobStore(clock),
    )
    app = Starlette(routes=_routes(), exception_handlers={404: _http_error, 405: _http_error})
    app.state.sandbox = state
    app.add_middleware(SandboxGate, state=state)
    return app
