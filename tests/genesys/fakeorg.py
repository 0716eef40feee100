"""A small Genesys Cloud org behind `httpx.MockTransport`, shaped like the real API.

It serves the token endpoint, the details query (selecting conversations that started on a UTC
day the interval touches, as the real query does), async jobs (matching by overlap), wrap-up
codes, queues, users and the org. Faults are callables that may answer a request before the org
does, so a test can inject a 429 on page 3 or a 401 on page 41.
"""

from __future__ import annotations

import asyncio
import json
import math
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any
from urllib.parse import parse_qs

import httpx

from wrapup_desktop.genesys import (
    ClientCredentials,
    ClientCredentialsAuth,
    Endpoints,
    GenesysSession,
    RetryPolicy,
)

CLIENT_ID = "fake-client"
CLIENT_SECRET = "fake-secret-value-123"
ORIGIN = "https://api.fake.test"
ENDPOINTS = Endpoints(login_base=ORIGIN, api_base=ORIGIN, region_domain=None)

Fault = Callable[[httpx.Request, "dict[str, Any] | None", "FakeOrg"], "httpx.Response | None"]


class FakeClock:
    """A monotonic clock that only the fake sleep moves; it records every sleep."""

    def __init__(self) -> None:
        self.now = 1000.0
        self.sleeps: list[float] = []

    def __call__(self) -> float:
        return self.now

    async def sleep(self, seconds: float) -> None:
        self.sleeps.append(seconds)
        self.now += max(0.0, seconds)
        await asyncio.sleep(0)


def iso(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.") + (
        f"{moment.microsecond // 1000:03d}Z"
    )


def make_conversation(
    conversation_id: str,
    start: datetime,
    *,
    duration: timedelta = timedelta(minutes=5),
    user_id: str = "user-1",
    queue_id: str = "queue-1",
    code: str | None = "code-1",
) -> dict[str, Any]:
    end = start + duration
    return {
        "conversationId": conversation_id,
        "conversationStart": iso(start),
        "conversationEnd": iso(end),
        "originatingDirection": "inbound",
        "participants": [
            {
                "participantId": f"{conversation_id}-c",
                "purpose": "customer",
                "sessions": [{"mediaType": "voice", "segments": []}],
            },
            {
                "participantId": f"{conversation_id}-a",
                "purpose": "agent",
                "userId": user_id,
                "sessions": [
                    {
                        "mediaType": "voice",
                        "segments": [
                            {
                                "segmentStart": iso(start),
                                "segmentEnd": iso(end),
                                "segmentType": "wrapup",
                                "queueId": queue_id,
                                **({"wrapUpCode": code} if code else {}),
                            }
                        ],
                    }
                ],
            },
        ],
    }


def day_of_conversations(
    day: datetime, count: int, prefix: str = "c", spread: timedelta = timedelta(days=1)
) -> list[dict[str, Any]]:
    """`count` conversations spread evenly over `spread` from `day`."""
    step = spread / max(1, count)
    return [
        make_conversation(f"{prefix}-{day:%Y%m%d}-{i:05d}", day + step * i) for i in range(count)
    ]


@dataclass
class FakeOrg:
    conversations: list[dict[str, Any]] = field(default_factory=list)
    codes: dict[str, str] = field(default_factory=lambda: {"code-1": "Sale", "code-2": "Refund"})
    queues: dict[str, dict[str, Any]] = field(
        default_factory=lambda: {
            "queue-1": {
                "id": "queue-1",
                "name": "Support",
                "acwSettings": {"wrapupPrompt": "MANDATORY_TIMEOUT", "timeoutMs": 30000},
            }
        }
    )
    users: dict[str, str] = field(default_factory=lambda: {"user-1": "Ada Agent"})
    deleted_codes: set[str] = field(default_factory=set)
    faults: list[Fault] = field(default_factory=list)
    data_availability: datetime | None = None
    job_states: list[str] = field(default_factory=lambda: ["QUEUED", "FULFILLED"])
    job_error_message: str = ""
    job_page_size: int = 50
    expire_results_times: int = 0
    token_lifetime_s: int = 86400
    requests: list[httpx.Request] = field(default_factory=list)
    query_pages: list[tuple[str, int]] = field(default_factory=list)
    tokens_issued: int = 0
    deleted_jobs: list[str] = field(default_factory=list)
    jobs: dict[str, dict[str, Any]] = field(default_factory=dict)
    valid_tokens: set[str] = field(default_factory=set)
    wrapup_page_size: int = 1

    # -- plumbing ---------------------------------------------------------------------------
    def transport(self) -> httpx.MockTransport:
        return httpx.MockTransport(self.handle)

    def session(
        self,
        clock: FakeClock | None = None,
        policy: RetryPolicy | None = None,
        secret: str = CLIENT_SECRET,
    ) -> GenesysSession:
        clock = clock or FakeClock()
        auth = ClientCredentialsAuth(
            ENDPOINTS, ClientCredentials(CLIENT_ID, secret), clock=clock, sleep=clock.sleep
        )
        return GenesysSession(
            ENDPOINTS,
            auth,
            transport=self.transport(),
            policy=policy,
            sleep=clock.sleep,
            clock=clock,
            seed=7,
        )

    def handle(self, request: httpx.Request) -> httpx.Response:
        self.requests.append(request)
        body: dict[str, Any] | None = None
        if request.method == "POST" and request.url.path != "/oauth/token":
            body = json.loads(request.content)
        for fault in self.faults:
            answer = fault(request, body, self)
            if answer is not None:
                return answer
        path = request.url.path
        if path == "/oauth/token":
            return self._token(request)
        if not self._authorised(request):
            return error(401, "bad.credentials", "Invalid login credentials.")
        if path == "/api/v2/analytics/conversations/details/query":
            assert body is not None
            return self._query(body)
        if path.startswith("/api/v2/analytics/conversations/details/jobs"):
            return self._jobs(request, body)
        if path == "/api/v2/organizations/me":
            return httpx.Response(200, json={"id": "org-1", "name": "Fake Org"})
        if path.startswith("/api/v2/routing/wrapupcodes"):
            return self._codes(request)
        if path.startswith("/api/v2/routing/queues"):
            return self._queues(request)
        if path == "/api/v2/users":
            ids = request.url.params.get_list("id")
            entities = [{"id": u, "name": self.users[u]} for u in ids if u in self.users]
            return httpx.Response(200, json={"entities": entities, "pageSize": 100})
        return error(404, "not.found", f"No route for {path}")

    def _token(self, request: httpx.Request) -> httpx.Response:
        import base64

        header = request.headers.get("authorization", "")
        expected = base64.b64encode(f"{CLIENT_ID}:{CLIENT_SECRET}".encode()).decode()
        form = parse_qs(request.content.decode())
        if header != f"Basic {expected}" or form.get("grant_type") != ["client_credentials"]:
            return httpx.Response(
                401, json={"error": "invalid_client", "description": "authentication failed"}
            )
        self.tokens_issued += 1
        token = f"token-{self.tokens_issued}-abcdef"
        self.valid_tokens.add(token)
        return httpx.Response(
            200,
            json={
                "access_token": token,
                "token_type": "bearer",
                "expires_in": self.token_lifetime_s,
            },
        )

    def _authorised(self, request: httpx.Request) -> bool:
        header = request.headers.get("authorization", "")
        return header.startswith("Bearer ") and header[7:] in self.valid_tokens

    # -- details query ------------------------------------------------------------------------
    def matching(self, interval: str) -> list[dict[str, Any]]:
        start_text, end_text = interval.split("/")
        start = parse_time(start_text)
        end = parse_time(end_text)
        first_day = start.date()
        last_day = (end - timedelta(microseconds=1)).date()
        chosen = [
            c
            for c in self.conversations
            if first_day <= parse_time(c["conversationStart"]).date() <= last_day
        ]
        return sorted(chosen, key=lambda c: (c["conversationStart"], c["conversationId"]))

    def _query(self, body: dict[str, Any]) -> httpx.Response:
        paging = body.get("paging", {})
        size = paging.get("pageSize", 25)
        number = paging.get("pageNumber", 1)
        if size > 100:
            return error(400, "bad.request", "pageSize must be at most 100")
        if size * number > 100_000:
            return error(400, "bad.request", "Pagination may not exceed 100000 results.")
        self.query_pages.append((body["interval"], number))
        found = self.matching(body["interval"])
        chunk = found[(number - 1) * size : number * size]
        answer: dict[str, Any] = {"totalHits": len(found)}
        if chunk:
            answer["conversations"] = chunk
        return httpx.Response(200, json=answer, headers=RATE_HEADERS)

    # -- jobs ----------------------------------------------------------------------------------
    def _jobs(self, request: httpx.Request, body: dict[str, Any] | None) -> httpx.Response:
        parts = request.url.path.split("/")[7:]
        if parts == ["availability"]:
            moment = self.data_availability
            return httpx.Response(
                200, json={"dataAvailabilityDate": iso(moment) if moment else None}
            )
        if request.method == "POST" and not parts:
            assert body is not None
            job_id = f"job-{len(self.jobs) + 1}"
            self.jobs[job_id] = {"body": body, "polls": 0}
            return httpx.Response(202, json={"jobId": job_id})
        job_id = parts[0]
        job = self.jobs.get(job_id)
        if job is None:
            return error(404, "not.found", f"job {job_id} not found")
        if request.method == "DELETE":
            self.deleted_jobs.append(job_id)
            return httpx.Response(204)
        if len(parts) == 1:
            states = self.job_states
            state = states[min(job["polls"], len(states) - 1)]
            job["polls"] += 1
            answer: dict[str, Any] = {"state": state}
            if state in ("FAILED", "CANCELLED") and self.job_error_message:
                answer["errorMessage"] = self.job_error_message
            return httpx.Response(200, json=answer)
        # results
        cursor = request.url.params.get("cursor")
        offset = int(cursor) if cursor else 0
        if cursor and self.expire_results_times > 0:
            self.expire_results_times -= 1
            return error(404, "not.found", f"Results for job {job_id} have expired")
        start_text, end_text = job["body"]["interval"].split("/")
        start, end = parse_time(start_text), parse_time(end_text)
        overlapping = sorted(
            (
                c
                for c in self.conversations
                if parse_time(c["conversationStart"]) < end
                and parse_time(c["conversationEnd"]) > start
                and (
                    self.data_availability is None
                    or parse_time(c["conversationStart"]) < self.data_availability
                )
            ),
            key=lambda c: c["conversationStart"],
        )
        chunk = overlapping[offset : offset + self.job_page_size]
        answer = {"conversations": chunk}
        if offset + self.job_page_size < len(overlapping):
            answer["cursor"] = str(offset + self.job_page_size)
        return httpx.Response(200, json=answer)

    # -- lookups -------------------------------------------------------------------------------
    def _codes(self, request: httpx.Request) -> httpx.Response:
        parts = request.url.path.split("/")
        if len(parts) == 6:
            code_id = parts[5]
            if code_id in self.codes:
                return httpx.Response(200, json={"id": code_id, "name": self.codes[code_id]})
            return error(404, "not.found", f"wrap-up code {code_id} not found")
        listed = [(k, v) for k, v in sorted(self.codes.items()) if k not in self.deleted_codes]
        size = self.wrapup_page_size
        number = int(request.url.params.get("pageNumber", "1"))
        chunk = listed[(number - 1) * size : number * size]
        pages = max(1, math.ceil(len(listed) / size))
        answer: dict[str, Any] = {
            "entities": [{"id": k, "name": v} for k, v in chunk],
            "pageNumber": number,
            "pageCount": pages,
        }
        if number < pages:
            answer["nextUri"] = (
                f"/api/v2/routing/wrapupcodes?pageSize={size}&pageNumber={number + 1}"
            )
        return httpx.Response(200, json=answer)

    def _queues(self, request: httpx.Request) -> httpx.Response:
        parts = request.url.path.split("/")
        if len(parts) == 6:
            queue = self.queues.get(parts[5])
            if queue is None:
                return error(404, "not.found", "queue not found")
            return httpx.Response(200, json=queue)
        ids = request.url.params.get_list("id")
        entities = [self.queues[q] for q in ids if q in self.queues]
        return httpx.Response(200, json={"entities": entities})


RATE_HEADERS = {
    "inin-ratelimit-allowed": "300",
    "inin-ratelimit-count": "1",
    "inin-ratelimit-reset": "60",
}


def parse_time(text: str) -> datetime:
    return datetime.fromisoformat(text.replace("Z", "+00:00"))


def error(
    status: int, code: str, message: str, headers: dict[str, str] | None = None
) -> httpx.Response:
    return httpx.Response(
        status,
        json={
            "message": message,
            "code": code,
            "status": status,
            "contextId": f"ctx-{status}-{code}",
            "details": [],
            "errors": [],
        },
        headers=headers,
    )


def page_fault(
    page: int,
    response: Callable[[], httpx.Response],
    *,
    times: int = 1,
    interval_prefix: str = "",
) -> Fault:
    """Answer the details query for page `page` with `response()`, `times` times."""
    left = [times]

    def fault(
        request: httpx.Request, body: dict[str, Any] | None, org: FakeOrg
    ) -> httpx.Response | None:
        if body is None or "paging" not in body or left[0] == 0:
            return None
        if body["paging"]["pageNumber"] != page or not body["interval"].startswith(
            interval_prefix
        ):
            return None
        left[0] -= 1
        return response()

    return fault
