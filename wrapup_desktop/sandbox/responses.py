"""JSON responses and Genesys-shaped error bodies (`ErrorBody`) for the emulator."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import msgspec
from starlette.requests import Request
from starlette.responses import Response

JSON_TYPE = "application/json"

# The `code` Genesys sends with each status when nothing more specific applies.
DEFAULT_CODES: dict[int, str] = {
    400: "bad.request",
    401: "authentication.required",
    403: "not.authorized",
    404: "not.found",
    429: "too.many.requests.retry.after",
    500: "internal.server.error",
    # NOTE: the code Genesys sends with a 502 was not captured; this one is a guess.
    502: "bad.gateway",
    503: "service.unavailable",
    504: "request.timeout",
}
DEFAULT_MESSAGES: dict[int, str] = {
    500: "The server encountered an unexpected condition.",
    502: "The gateway received an invalid response from the upstream server.",
    503: "Service Unavailable - The server is currently unavailable (because it is overloaded "
    "or down for maintenance).",
    504: "The request timed out.",
}


def json_response(
    data: Any, status: int = 200, headers: Mapping[str, str] | None = None
) -> Response:
    """Encode `data` as a JSON response with msgspec (UTF-8, accents unescaped)."""
    return Response(msgspec.json.encode(data), status, headers=headers, media_type=JSON_TYPE)


def bytes_response(body: bytes, status: int = 200) -> Response:
    """Wrap JSON bytes that are already encoded in a response."""
    return Response(body, status, media_type=JSON_TYPE)


def context_id(request: Request) -> str:
    """Return the correlation id of this request, which error bodies repeat as `contextId`."""
    return str(getattr(request.state, "correlation_id", ""))


def error_body(
    status: int,
    message: str,
    *,
    code: str | None = None,
    correlation_id: str = "",
    field: str | None = None,
    params: Mapping[str, str] | None = None,
) -> dict[str, Any]:
    """Build the `ErrorBody` JSON: message, code, status, contextId, details and errors."""
    details = (
        [{"errorCode": code or DEFAULT_CODES.get(status, "bad.request"), "fieldName": field}]
        if field
        else []
    )
    return {
        "message": message,
        "code": code or DEFAULT_CODES.get(status, "bad.request"),
        "status": status,
        "messageWithParams": message,
        "messageParams": dict(params or {}),
        "contextId": correlation_id,
        "details": details,
        "errors": [],
    }


def error_response(
    request: Request,
    status: int,
    message: str,
    *,
    code: str | None = None,
    field: str | None = None,
    headers: Mapping[str, str] | None = None,
) -> Response:
    """Build an error response with a Genesys `ErrorBody`."""
    body = error_body(status, message, code=code, correlation_id=context_id(request), field=field)
    return json_response(body, status, headers)


def missing_permissions(request: Request, *permissions: str) -> Response:
    """Build the 403 `missing.any.permissions` for a client with none of `permissions`."""
    listed = ", ".join(permissions)
    message = (
        "Unable to perform the requested action. You must have at least one of the following "
        f"permissions assigned: {listed}"
    )
    body = error_body(
        403,
        message,
        code="missing.any.permissions",
        correlation_id=context_id(request),
        params={"permissions": listed},
    )
    return json_response(body, 403)
