"""Route handlers of the directory APIs: wrap-up codes, queues, users and the organization."""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from typing import Any, TypeVar
from urllib.parse import urlencode

from starlette.requests import Request
from starlette.responses import Response

from wrapup_desktop.sandbox.auth import QUEUE_VIEW, WRAPUP_CODE_VIEW
from wrapup_desktop.sandbox.directory import (
    ORG_NAME,
    OrgDirectory,
    Queue,
    WrapupCode,
    code_entity,
    queue_entity,
    user_entity,
)
from wrapup_desktop.sandbox.responses import error_response, json_response, missing_permissions
from wrapup_desktop.sandbox.state import client_of, sandbox_state

MAX_LISTING_PAGE_SIZE = 500
MAX_USER_IDS = 100
USER_STATES = ("active", "inactive", "deleted", "any")

T = TypeVar("T")
N = TypeVar("N", Queue, WrapupCode)


class ListingError(Exception):
    """A rejected query parameter of a listing, with the parameter's name."""

    def __init__(self, message: str, field: str) -> None:
        super().__init__(message)
        self.message = message
        self.field = field


def _ids(request: Request) -> list[str]:
    """Read the `id` filter: repeated parameters, comma-separated values, or both."""
    return [
        part for value in request.query_params.getlist("id") for part in value.split(",") if part
    ]


def _positive_int(request: Request, name: str, default: int, maximum: int) -> int:
    text = request.query_params.get(name)
    if text is None:
        return default
    try:
        value = int(text)
    except ValueError:
        value = 0
    if not 1 <= value <= maximum:
        raise ListingError(
            f"{name} must be a whole number from 1 to {maximum}, but got {text!r}.", name
        )
    return value


def _listing(
    request: Request, items: Sequence[T], to_json: Callable[[T], dict[str, Any]], path: str
) -> Response:
    """Page a listing: entities, counts and relative first/next/previous/last URIs."""
    try:
        page_size = _positive_int(request, "pageSize", 25, MAX_LISTING_PAGE_SIZE)
        page_number = _positive_int(request, "pageNumber", 1, 1_000_000)
    except ListingError as error:
        return error_response(
            request, 400, error.message, code="invalid.query.param.value", field=error.field
        )
    page_count = max(1, math.ceil(len(items) / page_size))
    kept = [
        (key, value)
        for key, value in request.query_params.multi_items()
        if key not in ("pageSize", "pageNumber")
    ]

    def uri(number: int) -> str:
        query = urlencode([("pageSize", page_size), ("pageNumber", number), *kept])
        return f"{path}?{query}"

    first = (page_number - 1) * page_size
    body: dict[str, Any] = {
        "entities": [to_json(item) for item in items[first : first + page_size]],
        "pageSize": page_size,
        "pageNumber": page_number,
        "total": len(items),
        "pageCount": page_count,
        "firstUri": uri(1),
        "selfUri": uri(page_number),
        "lastUri": uri(page_count),
    }
    if page_number < page_count:
        body["nextUri"] = uri(page_number + 1)
    if page_number > 1:
        body["previousUri"] = uri(page_number - 1)
    return json_response(body)


def _filter_named(request: Request, items: Sequence[N]) -> list[N]:
    """Sort by name, then keep the `id` filter's items and those whose name has `name` in it.

    `*` in the `name` parameter is a wildcard in Genesys; it is dropped and the rest matched
    as a substring.
    """
    kept = sorted(items, key=lambda item: item.name.casefold())
    wanted = set(_ids(request))
    if wanted:
        kept = [item for item in kept if item.id in wanted]
    name = request.query_params.get("name")
    if name:
        needle = name.replace("*", "").casefold()
        kept = [item for item in kept if needle in item.name.casefold()]
    return kept


def _directory(request: Request) -> OrgDirectory:
    return sandbox_state(request).org.directory


def _lacks(request: Request, permission: str) -> Response | None:
    if permission in client_of(request).permissions:
        return None
    return missing_permissions(request, permission)


async def list_wrapup_codes(request: Request) -> Response:
    """`GET /api/v2/routing/wrapupcodes` with `id` and `name` filters."""
    denied = _lacks(request, WRAPUP_CODE_VIEW)
    if denied is not None:
        return denied
    directory = _directory(request)
    codes = _filter_named(request, directory.codes)
    return _listing(
        request, codes, lambda code: code_entity(code, directory), "/api/v2/routing/wrapupcodes"
    )


async def get_wrapup_code(request: Request) -> Response:
    """`GET /api/v2/routing/wrapupcodes/{codeId}`; a deleted code is 404."""
    denied = _lacks(request, WRAPUP_CODE_VIEW)
    if denied is not None:
        return denied
    directory = _directory(request)
    code_id = request.path_params["code_id"]
    for code in directory.codes:
        if code.id == code_id:
            return json_response(code_entity(code, directory))
    return error_response(request, 404, f"Wrap-up code {code_id} was not found.", code="not.found")


async def list_queues(request: Request) -> Response:
    """`GET /api/v2/routing/queues` with `id` and `name` filters."""
    denied = _lacks(request, QUEUE_VIEW)
    if denied is not None:
        return denied
    directory = _directory(request)
    queues = _filter_named(request, directory.queues)
    return _listing(
        request, queues, lambda queue: queue_entity(queue, directory), "/api/v2/routing/queues"
    )


async def get_queue(request: Request) -> Response:
    """`GET /api/v2/routing/queues/{queueId}`."""
    denied = _lacks(request, QUEUE_VIEW)
    if denied is not None:
        return denied
    directory = _directory(request)
    queue_id = request.path_params["queue_id"]
    for queue in directory.queues:
        if queue.id == queue_id:
            return json_response(queue_entity(queue, directory))
    return error_response(request, 404, f"Queue {queue_id} was not found.", code="not.found")


async def list_users(request: Request) -> Response:
    """`GET /api/v2/users`: `state` active by default, `id` up to 100 ids."""
    directory = _directory(request)
    state = request.query_params.get("state", "active")
    if state not in USER_STATES:
        return error_response(
            request,
            400,
            f"state must be one of {', '.join(USER_STATES)}, but got {state!r}.",
            code="invalid.query.param.value",
            field="state",
        )
    wanted = _ids(request)
    if len(wanted) > MAX_USER_IDS:
        return error_response(
            request,
            400,
            f"At most {MAX_USER_IDS} user ids can be requested at a time, but got {len(wanted)}.",
            field="id",
        )
    users = sorted(directory.users, key=lambda user: user.name.casefold())
    if state != "any":
        users = [user for user in users if user.state == state]
    if wanted:
        wanted_set = set(wanted)
        users = [user for user in users if user.id in wanted_set]
    return _listing(request, users, lambda user: user_entity(user, directory), "/api/v2/users")


async def get_user(request: Request) -> Response:
    """`GET /api/v2/users/{userId}`; a deleted user only with `state=deleted`."""
    directory = _directory(request)
    user_id = request.path_params["user_id"]
    user = directory.users_by_id.get(user_id)
    state = request.query_params.get("state", "active")
    if user is None or (user.state == "deleted") != (state == "deleted"):
        return error_response(request, 404, f"User {user_id} was not found.", code="not.found")
    return json_response(user_entity(user, directory))


async def organization_me(request: Request) -> Response:
    """`GET /api/v2/organizations/me`."""
    directory = _directory(request)
    return json_response(
        {
            "id": directory.org_id,
            "name": ORG_NAME,
            "defaultLanguage": "en-us",
            "defaultCountryCode": "US",
            "thirdPartyOrgName": "sandbox-org-demo",
            "domain": "sandbox.example",
            "state": "active",
            "version": 1,
            "selfUri": f"/api/v2/organizations/{directory.org_id}",
        }
    )
