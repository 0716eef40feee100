"""The ASGI middleware in front of every route: correlation ids, latency, faults, auth, limits.

Order for each request: give it an `inin-correlation-id`, wait the planned latency, inject a
planned fault, then (for `/api/` paths) check the bearer token, count the request against the
token's rate window and add the `inin-ratelimit-*` headers.

A connection reset is sent as response headers followed by `SimulatedConnectionReset`.
In-process, `httpx.ASGITransport` re-raises the exception to the caller, and it is an
`httpx.RemoteProtocolError`, so the client gets a transport error. Under uvicorn, `serve()`
wraps the app so that the exception ends the ASGI call after the headers. uvicorn then closes
the socket mid-response, and httpx raises `RemoteProtocolError` on the client too.
"""

from __future__ import annotations

import logging
import uuid
from typing import Any

import httpx
import msgspec
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from wrapup_desktop.sandbox import faults as fk
from wrapup_desktop.sandbox.auth import QUEUE_VIEW, WRAPUP_CODE_VIEW
from wrapup_desktop.sandbox.faults import Decision, FaultRecord
from wrapup_desktop.sandbox.responses import DEFAULT_CODES, DEFAULT_MESSAGES, error_body
from wrapup_desktop.sandbox.state import SandboxState

logger = logging.getLogger(__name__)

_ANALYTICS = "/api/v2/analytics/conversations/details"


class SimulatedConnectionReset(httpx.RemoteProtocolError):
    """Raised by the app to drop the connection; see the module docstring."""


def classify(method: str, path: str) -> str:
    """Name the endpoint of this request, as fault plans refer to it."""
    if path == "/oauth/token":
        return "token"
    if path == "/oauth/authorize":
        return "authorize"
    if path == f"{_ANALYTICS}/query":
        return "details_query"
    if path == f"{_ANALYTICS}/jobs":
        return "jobs_submit"
    if path == f"{_ANALYTICS}/jobs/availability":
        return "jobs_availability"
    if path.startswith(f"{_ANALYTICS}/jobs/"):
        if path.endswith("/results"):
            return "jobs_results"
        return "jobs_delete" if method == "DELETE" else "jobs_status"
    if path == _ANALYTICS or (
        path.startswith("/api/v2/analytics/conversations/") and path.endswith("/details")
    ):
        return "details_get"
    for prefix, name in (
        ("/api/v2/routing/wrapupcodes", "wrapupcodes"),
        ("/api/v2/routing/queues", "queues"),
        ("/api/v2/users", "users"),
        ("/api/v2/organizations/me", "organization"),
    ):
        if path.startswith(prefix):
            return name
    return "other"


def _encode_headers(headers: dict[str, str]) -> list[tuple[bytes, bytes]]:
    return [(key.encode("latin-1"), value.encode("latin-1")) for key, value in headers.items()]


async def _send_json(send: Send, status: int, body: bytes, headers: dict[str, str]) -> None:
    all_headers = {
        "content-type": "application/json",
        "content-length": str(len(body)),
        **headers,
    }
    await send(
        {"type": "http.response.start", "status": status, "headers": _encode_headers(all_headers)}
    )
    await send({"type": "http.response.body", "body": body})


class SandboxGate:
    """The outermost ASGI layer of the emulator."""

    def __init__(self, app: ASGIApp, state: SandboxState) -> None:
        self.app = app
        self.state = state

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        state = self.state
        plan = state.faults
        method, path = scope["method"], scope["path"]
        endpoint = classify(method, path)
        is_api = path.startswith("/api/")
        state.request_count += 1
        number = state.request_count
        endpoint_number = state.endpoint_counts.get(endpoint, 0) + 1
        state.endpoint_counts[endpoint] = endpoint_number
        correlation_id = str(uuid.uuid4())
        scope.setdefault("state", {})["correlation_id"] = correlation_id
        headers = {"inin-correlation-id": correlation_id}

        def record(kind: str, status: int | None = None, detail: str = "") -> None:
            plan.log.append(
                FaultRecord(number, endpoint, endpoint_number, method, path, kind, status, detail)
            )
            logger.debug(
                "Injected %s (%s) on request %d %s %s", kind, status, number, method, path
            )

        delay = plan.extra_delay_s()
        if delay > plan.latency_s:
            record(fk.DELAY, detail=f"{delay:.3f} s")
        if delay > 0:
            await state.sleep(delay)

        decision = plan.decide(endpoint, number, endpoint_number, is_api)
        body_fault: str | None = None
        if decision is not None:
            record(decision.kind, decision.status, decision.detail)
            if decision.kind == fk.DELAY:
                await state.sleep(decision.delay_s)
            elif decision.kind == fk.EXPIRE_TOKENS:
                state.tokens.expire_all()
            elif decision.kind == fk.STATUS:
                await self._send_fault_status(scope, send, decision, headers)
                return
            elif decision.kind == fk.RESET:
                await send(
                    {
                        "type": "http.response.start",
                        "status": 200,
                        "headers": _encode_headers(
                            {
                                **headers,
                                "content-type": "application/json",
                                "content-length": "4096",
                            }
                        ),
                    }
                )
                raise SimulatedConnectionReset(
                    "Server disconnected without sending a complete response."
                )
            else:
                body_fault = decision.kind

        if is_api:
            rejected = await self._authorize(scope, send, headers, endpoint, record)
            if rejected:
                return
        await self._call_app(scope, receive, send, headers, body_fault)

    def _token(self, scope: Scope) -> str | None:
        for key, value in scope["headers"]:
            if key == b"authorization":
                text: str = value.decode("latin-1")
                scheme, _, token = text.partition(" ")
                if scheme.lower() == "bearer" and token.strip():
                    return token.strip()
        return None

    async def _authorize(
        self, scope: Scope, send: Send, headers: dict[str, str], endpoint: str, record: Any
    ) -> bool:
        """Check the token and the rate limit; send the error and return True on rejection."""
        state, plan = self.state, self.state.faults
        cid = headers["inin-correlation-id"]
        token = self._token(scope)
        if token is None:
            body = error_body(
                401,
                "No authentication bearer token specified in authorization header.",
                code="authentication.required",
                correlation_id=cid,
            )
            await _send_json(send, 401, _json(body), headers)
            return True
        profile, expired = state.tokens.lookup(token)
        if profile is None or expired:
            body = error_body(
                401, "Invalid login credentials.", code="bad.credentials", correlation_id=cid
            )
            await _send_json(send, 401, _json(body), headers)
            return True
        rate = state.limiter.hit(token, plan.rate_limit_requests, plan.rate_limit_window_s)
        headers.update(rate.headers())
        if rate.exceeded:
            message = (
                f"Rate limit exceeded the maximum [{rate.allowed}] requests within "
                f"[{int(plan.rate_limit_window_s)}] seconds"
            )
            body = error_body(
                429, message, code="too.many.requests.retry.after", correlation_id=cid
            )
            await _send_json(send, 429, _json(body), {**headers, "retry-after": str(rate.reset_s)})
            return True
        scope["state"]["client"] = profile
        if plan.forbid_lookups and endpoint in fk.LOOKUP_ENDPOINTS:
            record(fk.STATUS, 403, "forbid_lookups")
            # Genesys lists no permission for the users API; the injected 403 names one anyway.
            permission = {"wrapupcodes": WRAPUP_CODE_VIEW, "queues": QUEUE_VIEW}.get(
                endpoint, "directory:user:view"
            )
            message = (
                "Unable to perform the requested action. You must have at least one of "
                f"the following permissions assigned: {permission}"
            )
            body = error_body(
                403,
                message,
                code="missing.any.permissions",
                correlation_id=cid,
                params={"permissions": permission},
            )
            await _send_json(send, 403, _json(body), headers)
            return True
        return False

    async def _send_fault_status(
        self, scope: Scope, send: Send, decision: Decision, headers: dict[str, str]
    ) -> None:
        status = decision.status or 503
        plan = self.state.faults
        extra = dict(headers)
        token = self._token(scope)
        if token is not None and scope["path"].startswith("/api/"):
            extra.update(
                self.state.limiter.peek(
                    token, plan.rate_limit_requests, plan.rate_limit_window_s
                ).headers()
            )
        if status == 429:
            extra["retry-after"] = str(decision.retry_after_s or plan.retry_after_s)
            message = "Rate limit exceeded the maximum requests; retry after the given time."
        elif status == 401:
            message = "Invalid login credentials."
        else:
            message = DEFAULT_MESSAGES.get(status, f"The sandbox injected HTTP {status}.")
        code = "bad.credentials" if status == 401 else DEFAULT_CODES.get(status, "bad.request")
        body = error_body(
            status, message, code=code, correlation_id=headers["inin-correlation-id"]
        )
        await _send_json(send, status, _json(body), extra)

    async def _call_app(
        self,
        scope: Scope,
        receive: Receive,
        send: Send,
        headers: dict[str, str],
        body_fault: str | None,
    ) -> None:
        encoded = _encode_headers(headers)
        if body_fault is None:

            async def send_with_headers(message: Message) -> None:
                if message["type"] == "http.response.start":
                    message = {**message, "headers": [*message.get("headers", []), *encoded]}
                await send(message)

            await self.app(scope, receive, send_with_headers)
            return

        start: dict[str, Any] = {}
        chunks: list[bytes] = []

        async def buffer(message: Message) -> None:
            if message["type"] == "http.response.start":
                start.update(message)
            elif message["type"] == "http.response.body":
                chunks.append(message.get("body", b""))

        await self.app(scope, receive, buffer)
        body = b"".join(chunks)
        if body_fault == fk.TRUNCATE:
            body = body[: max(1, len(body) // 2)]
            content_type = "application/json"
        else:
            body = b"<html><body><h1>502 Bad Gateway</h1></body></html>"
            content_type = "text/html"
        response_headers = [
            (key, value)
            for key, value in start.get("headers", [])
            if key not in (b"content-length", b"content-type")
        ]
        response_headers += [
            (b"content-length", str(len(body)).encode()),
            (b"content-type", content_type.encode()),
            *encoded,
        ]
        await send(
            {
                "type": "http.response.start",
                "status": start.get("status", 200),
                "headers": response_headers,
            }
        )
        await send({"type": "http.response.body", "body": body})


def _json(body: dict[str, Any]) -> bytes:
    return msgspec.json.encode(body)
