"""`FaultPlan`: what the sandbox does wrong on purpose, and the server limits it enforces.

A plan is a mutable dataclass: tests change it while the app runs, and every fault the gate
injects is appended to `plan.log` as a `FaultRecord`. Random faults draw from a generator seeded
with `plan.seed`, so the same sequence of requests gets the same faults.

Endpoint names used by `ScriptedFault.endpoint` and `random_endpoints`: token, authorize,
details_query, details_get, jobs_submit, jobs_status, jobs_results, jobs_delete,
jobs_availability, wrapupcodes, queues, users, organization, other.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field

# Kinds of fault. "status" returns `status` with an ErrorBody, and a 429 adds Retry-After.
STATUS = "status"
RESET = "reset"  # the connection drops: the client sees a transport error, not a response
TRUNCATE = "truncate"  # a 200 whose JSON body is cut in half
NON_JSON = "non_json"  # a 200 whose body is an HTML page
DELAY = "delay"  # extra latency of `delay_s`, then the normal response
EXPIRE_TOKENS = "expire_tokens"  # every token issued so far expires before this request
FAULT_KINDS = (STATUS, RESET, TRUNCATE, NON_JSON, DELAY, EXPIRE_TOKENS)

LOOKUP_ENDPOINTS = frozenset({"wrapupcodes", "queues", "users"})
JOB_STATES = ("QUEUED", "PENDING", "FULFILLED", "FAILED", "CANCELLED", "EXPIRED")


@dataclass
class ScriptedFault:
    """One planned fault on exact requests.

    It fires on the `on_request`-th request (1-based) to `endpoint`, or to any endpoint when
    `endpoint` is None, or on the next matching requests when `on_request` is None; at most
    `times` times in all. Example: the 3rd details-query page gets 429 with Retry-After 17:
    `ScriptedFault(endpoint="details_query", on_request=3, status=429, retry_after_s=17)`.
    """

    kind: str = STATUS
    status: int = 503
    endpoint: str | None = None
    on_request: int | None = None
    times: int = 1
    retry_after_s: int | None = None
    delay_s: float = 0.0
    fired: int = 0

    def __post_init__(self) -> None:
        if self.kind not in FAULT_KINDS:
            raise ValueError(f"fault kind must be one of {FAULT_KINDS}, but got {self.kind!r}")


@dataclass(frozen=True)
class FaultRecord:
    """One injected fault: which request got it and what it was."""

    request_number: int
    endpoint: str
    endpoint_request_number: int
    method: str
    path: str
    kind: str
    status: int | None = None
    detail: str = ""


@dataclass(frozen=True)
class Decision:
    """The fault chosen for one request (the gate carries it out)."""

    kind: str
    status: int | None = None
    retry_after_s: int | None = None
    delay_s: float = 0.0
    detail: str = ""


@dataclass
class FaultPlan:
    """Faults to inject and server limits; every field can change while the app runs.

    Rates are fractions of requests (0.0 to 1.0). Random faults and throttling apply to
    `/api/v2` requests (or only to `random_endpoints` when set); scripted faults may also hit
    the token endpoint. Times are seconds of the app's clock.
    """

    # Latency: every request waits `latency_s`; a `slow_tail_fraction` waits `slow_tail_s` more.
    latency_s: float = 0.0
    slow_tail_fraction: float = 0.0
    slow_tail_s: float = 0.0
    # Random faults.
    fail_rate: float = 0.0
    fail_statuses: tuple[int, ...] = (500, 502, 503, 504)
    reset_rate: float = 0.0
    truncate_rate: float = 0.0
    non_json_rate: float = 0.0
    random_endpoints: frozenset[str] | None = None
    # 429 bursts: the next `throttle_next` API requests, and every `throttle_every`-th request
    # (counted over all requests, token requests included).
    throttle_next: int = 0
    throttle_every: int = 0
    retry_after_s: int = 5
    # Every token issued so far expires once `expire_tokens_after` API requests have been made.
    expire_tokens_after: int | None = None
    # 403 missing.any.permissions on the wrap-up code, queue and user lookups.
    forbid_lookups: bool = False
    scripted: list[ScriptedFault] = field(default_factory=list)
    # Server limits.
    rate_limit_requests: int = 100_000
    rate_limit_window_s: float = 60.0
    token_lifetime_s: float = 86_400.0
    # Jobs: the data lake lags "now" by `jobs_lag_s`. A job moves one state per status poll or
    # per `job_step_s`. Each new job takes the next of `job_outcomes` (FAILED, CANCELLED or
    # EXPIRED, which strikes after the first results page), else it ends FULFILLED.
    jobs_lag_s: float = 86_400.0
    job_step_s: float = 2.0
    job_outcomes: list[str] = field(default_factory=list)
    job_error_message: str = "The job failed: the analytics service could not complete it."
    seed: int = 0
    log: list[FaultRecord] = field(default_factory=list)

    def __post_init__(self) -> None:
        self._rng = random.Random(self.seed)
        self._tokens_expired = False

    def applies_randomly(self, endpoint: str, is_api: bool) -> bool:
        if self.random_endpoints is not None:
            return endpoint in self.random_endpoints
        return is_api

    def decide(
        self, endpoint: str, request_number: int, endpoint_number: int, is_api: bool
    ) -> Decision | None:
        """Pick the fault for one request, if any; scripted faults come first."""
        for fault in self.scripted:
            if fault.fired >= fault.times:
                continue
            if fault.endpoint is not None and fault.endpoint != endpoint:
                continue
            number = endpoint_number if fault.endpoint is not None else request_number
            if fault.on_request is not None and fault.on_request != number:
                continue
            fault.fired += 1
            retry_after = fault.retry_after_s
            if fault.status == 429 and retry_after is None:
                retry_after = self.retry_after_s
            return Decision(fault.kind, fault.status, retry_after, fault.delay_s, "scripted")
        if (
            is_api
            and self.expire_tokens_after is not None
            and not self._tokens_expired
            and request_number > self.expire_tokens_after
        ):
            self._tokens_expired = True
            return Decision(EXPIRE_TOKENS, detail=f"after {self.expire_tokens_after} requests")
        if not self.applies_randomly(endpoint, is_api):
            return None
        if self.throttle_next > 0:
            self.throttle_next -= 1
            return Decision(STATUS, 429, self.retry_after_s, detail="burst")
        if self.throttle_every > 0 and request_number % self.throttle_every == 0:
            return Decision(STATUS, 429, self.retry_after_s, detail=f"every {self.throttle_every}")
        return self._random_decision()

    def _random_decision(self) -> Decision | None:
        roll = self._rng.random()
        if roll < self.fail_rate:
            status = self._rng.choice(self.fail_statuses)
            return Decision(
                STATUS, status, self.retry_after_s if status == 429 else None, detail="random"
            )
        roll -= self.fail_rate
        if roll < self.reset_rate:
            return Decision(RESET, detail="random")
        roll -= self.reset_rate
        if roll < self.truncate_rate:
            return Decision(TRUNCATE, detail="random")
        roll -= self.truncate_rate
        if roll < self.non_json_rate:
            return Decision(NON_JSON, detail="random")
        return None

    def extra_delay_s(self) -> float:
        """Draw the latency of one request: the fixed part plus, for a few, the slow tail."""
        delay = self.latency_s
        if self.slow_tail_fraction > 0 and self._rng.random() < self.slow_tail_fraction:
            delay += self.slow_tail_s
        return delay

    def records(self, kind: str | None = None, endpoint: str | None = None) -> list[FaultRecord]:
        """Filter the log by kind of fault and by endpoint (None keeps all)."""
        return [
            record
            for record in self.log
            if (kind is None or record.kind == kind)
            and (endpoint is None or record.endpoint == endpoint)
        ]
