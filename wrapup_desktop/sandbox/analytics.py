"""Route handlers of the conversation-details API: the query, lookups by id and jobs."""

from __future__ import annotations

import json
from typing import Any

import msgspec
from starlette.requests import Request
from starlette.responses import Response

from wrapup_desktop.sandbox.auth import AGENT_ANALYTICS_VIEW, ANALYTICS_VIEW
from wrapup_desktop.sandbox.formats import DAY_MS, day_start_ms, iso_ms
from wrapup_desktop.sandbox.jobs import (
    DEFAULT_RESULTS_PAGE_SIZE,
    MAX_RESULTS_PAGE_SIZE,
    decode_cursor,
    results_page,
    status_body,
)
from wrapup_desktop.sandbox.org import VisibleConversation, days_touched
from wrapup_desktop.sandbox.query import QueryError, QuerySpec, matcher, parse_body, sort_results
from wrapup_desktop.sandbox.responses import (
    bytes_response,
    error_response,
    json_response,
    missing_permissions,
)
from wrapup_desktop.sandbox.scenarios import MAX_LIFETIME_MS
from wrapup_desktop.sandbox.state import SandboxState, client_of, sandbox_state

QUERY_CACHE_SIZE = 8


def _analytics_denied(request: Request) -> Response | None:
    permissions = client_of(request).permissions
    if ANALYTICS_VIEW in permissions or AGENT_ANALYTICS_VIEW in permissions:
        return None
    return missing_permissions(request, ANALYTICS_VIEW, AGENT_ANALYTICS_VIEW)


async def _json_body(request: Request) -> Any:
    raw = await request.body()
    try:
        return json.loads(raw)
    except (ValueError, UnicodeDecodeError):
        raise QueryError("The request body is not valid JSON.") from None


def _page_bytes(items: list[VisibleConversation], extra: dict[str, Any]) -> bytes:
    """Join pre-encoded conversations into a page; `conversations` is absent when empty."""
    head = msgspec.json.encode(extra)
    if not items:
        return head
    joined = b",".join(item.encoded for item in items)
    return head[:-1] + (b"," if len(head) > 2 else b"") + b'"conversations":[' + joined + b"]}"


def _query_results(
    state: SandboxState, spec: QuerySpec, body: dict[str, Any]
) -> list[VisibleConversation]:
    now_ms = state.org.now_ms()
    days = days_touched(spec.start_ms, spec.end_ms)
    final = bool(days) and day_start_ms(days[-1]) + DAY_MS + MAX_LIFETIME_MS <= now_ms
    key_body = {key: value for key, value in body.items() if key != "paging"}
    key = (msgspec.json.encode(key_body, order="sorted"), -1 if final else now_ms)
    cached = state.query_results.get(key)
    if cached is not None:
        state.query_results.move_to_end(key)
        return cached
    accepts = matcher(spec)
    found = [item for day in days for item in state.org.visible_on(day, now_ms) if accepts(item)]
    found = sort_results(found, spec)
    state.query_results[key] = found
    while len(state.query_results) > QUERY_CACHE_SIZE:
        state.query_results.popitem(last=False)
    return found


async def details_query(request: Request) -> Response:
    """`POST /api/v2/analytics/conversations/details/query`."""
    denied = _analytics_denied(request)
    if denied is not None:
        return denied
    try:
        body = await _json_body(request)
        spec = parse_body(body, for_job=False)
    except QueryError as error:
        return error_response(request, 400, error.message, code=error.code, field=error.field)
    results = _query_results(sandbox_state(request), spec, body)
    first = (spec.page_number - 1) * spec.page_size
    page = results[first : first + spec.page_size]
    return bytes_response(_page_bytes(page, {"totalHits": len(results)}))


async def conversation_details(request: Request) -> Response:
    """`GET /api/v2/analytics/conversations/{conversationId}/details`."""
    denied = _analytics_denied(request)
    if denied is not None:
        return denied
    conversation_id = request.path_params["conversation_id"]
    found = sandbox_state(request).org.find(conversation_id)
    if found is None:
        return error_response(
            request, 404, f"Conversation {conversation_id} was not found.", code="not.found"
        )
    return bytes_response(found.encoded)


async def conversations_by_id(request: Request) -> Response:
    """`GET /api/v2/analytics/conversations/details?id=a,b`: the ones found, in request order."""
    denied = _analytics_denied(request)
    if denied is not None:
        return denied
    ids = [
        part for value in request.query_params.getlist("id") for part in value.split(",") if part
    ]
    if not ids:
        return error_response(
            request, 400, "At least one conversation id is required in id.", field="id"
        )
    org = sandbox_state(request).org
    found = [item for item in (org.find(cid) for cid in ids) if item is not None]
    return bytes_response(_page_bytes(found, {}))


async def submit_job(request: Request) -> Response:
    """`POST /api/v2/analytics/conversations/details/jobs`: 202 with the job id."""
    denied = _analytics_denied(request)
    if denied is not None:
        return denied
    try:
        spec = parse_body(await _json_body(request), for_job=True)
    except QueryError as error:
        return error_response(request, 400, error.message, code=error.code, field=error.field)
    state = sandbox_state(request)
    plan = state.faults
    now_ms = state.org.now_ms()
    outcome = plan.job_outcomes.pop(0) if plan.job_outcomes else None
    job = state.jobs.submit(spec, now_ms, availability_ms(state), outcome, plan.job_error_message)
    return json_response({"jobId": job.job_id}, 202)


def availability_ms(state: SandboxState) -> int:
    """Return the jobs data-availability date: now minus the configured lag."""
    return state.org.now_ms() - int(state.faults.jobs_lag_s * 1000)


async def job_availability(request: Request) -> Response:
    """`GET /api/v2/analytics/conversations/details/jobs/availability`."""
    denied = _analytics_denied(request)
    if denied is not None:
        return denied
    return json_response({"dataAvailabilityDate": iso_ms(availability_ms(sandbox_state(request)))})


async def job_status(request: Request) -> Response:
    """`GET .../jobs/{jobId}`: the state advances by one per poll or per `job_step_s`."""
    denied = _analytics_denied(request)
    if denied is not None:
        return denied
    state = sandbox_state(request)
    job = state.jobs.jobs.get(request.path_params["job_id"])
    if job is None:
        return error_response(
            request, 404, f"Job {request.path_params['job_id']} was not found.", code="not.found"
        )
    current = job.state(state.clock(), state.faults.job_step_s)
    job.polls += 1
    if current == "FULFILLED" and job.completion_ms is None:
        job.completion_ms = state.org.now_ms()
    return json_response(status_body(job, current))


async def job_results(request: Request) -> Response:
    """`GET .../jobs/{jobId}/results?cursor=&pageSize=`, cursor-paged."""
    denied = _analytics_denied(request)
    if denied is not None:
        return denied
    state = sandbox_state(request)
    job_id = request.path_params["job_id"]
    job = state.jobs.jobs.get(job_id)
    if job is None:
        return error_response(request, 404, f"Job {job_id} was not found.", code="not.found")
    current = job.state(state.clock(), state.faults.job_step_s)
    if current == "EXPIRED":
        # NOTE: the status and code of results requests on an expired job are not documented.
        return error_response(
            request, 404, f"Job {job_id} has expired; submit it again.", code="not.found"
        )
    if current != "FULFILLED":
        return error_response(
            request,
            400,
            f"Job {job_id} is {current}; its results can be read once it is FULFILLED.",
        )
    try:
        page_size = int(request.query_params.get("pageSize", DEFAULT_RESULTS_PAGE_SIZE))
    except ValueError:
        page_size = 0
    if not 1 <= page_size <= MAX_RESULTS_PAGE_SIZE:
        return error_response(
            request,
            400,
            f"pageSize must be between 1 and {MAX_RESULTS_PAGE_SIZE}.",
            code="invalid.query.param.value",
            field="pageSize",
        )
    cursor_text = request.query_params.get("cursor")
    cursor = decode_cursor(cursor_text) if cursor_text else None
    if cursor_text and cursor is None:
        return error_response(
            request,
            400,
            f"The cursor {cursor_text!r} is not valid for job {job_id}.",
            field="cursor",
        )
    page, next_cursor = results_page(state.org, job, cursor, page_size)
    job.pages_served += 1
    if job.outcome == "EXPIRED":
        job.forced_state = "EXPIRED"
    extra: dict[str, Any] = {"dataAvailabilityDate": iso_ms(job.availability_ms)}
    if next_cursor is not None:
        extra["cursor"] = next_cursor
    return bytes_response(_page_bytes(page, extra))


async def delete_job(request: Request) -> Response:
    """`DELETE .../jobs/{jobId}`: the job becomes CANCELLED."""
    denied = _analytics_denied(request)
    if denied is not None:
        return denied
    state = sandbox_state(request)
    job = state.jobs.jobs.get(request.path_params["job_id"])
    if job is None:
        return error_response(
            request, 404, f"Job {request.path_params['job_id']} was not found.", code="not.found"
        )
    job.forced_state = "CANCELLED"
    return Response(status_code=204)
