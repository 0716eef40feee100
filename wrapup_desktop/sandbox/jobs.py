"""Asynchronous details jobs: submission, state over time, and cursor-paged results.

A job walks QUEUED → PENDING → FULFILLED, one state per status poll or per `job_step_s` of the
app clock, whichever is further. It matches the conversations whose lifetime overlaps the
interval (or, with `startOfDayIntervalMatching`, those that started on a touched UTC day),
and only those that started before the data-availability date.
"""

from __future__ import annotations

import base64
import binascii
import secrets
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, timedelta

from wrapup_desktop.sandbox.formats import day_of_ms, iso_ms
from wrapup_desktop.sandbox.org import SandboxOrg, VisibleConversation, days_touched
from wrapup_desktop.sandbox.query import QuerySpec, matcher, sort_results
from wrapup_desktop.sandbox.scenarios import MAX_LIFETIME_MS

DEFAULT_RESULTS_PAGE_SIZE = 100
MAX_RESULTS_PAGE_SIZE = 1000
FINAL_STATES = frozenset({"FULFILLED", "FAILED", "CANCELLED", "EXPIRED"})
_STAGES = ("QUEUED", "PENDING", "FULFILLED")


@dataclass
class Job:
    """One submitted job; `outcome` replaces FULFILLED when a fault plan scripts it."""

    job_id: str
    spec: QuerySpec
    submitted_at: float
    submission_ms: int
    availability_ms: int
    outcome: str | None = None
    error_message: str | None = None
    forced_state: str | None = None
    polls: int = 0
    pages_served: int = 0
    completion_ms: int | None = None
    day_cache: dict[date, list[VisibleConversation]] = field(default_factory=dict)

    def state(self, clock_now: float, step_s: float) -> str:
        if self.forced_state is not None:
            return self.forced_state
        by_time = int((clock_now - self.submitted_at) / step_s) if step_s > 0 else 2
        stage = _STAGES[min(2, max(self.polls, by_time))]
        if stage == "FULFILLED" and self.outcome in ("FAILED", "CANCELLED"):
            return self.outcome
        return stage


class JobStore:
    """The jobs of one app."""

    def __init__(self, clock: Callable[[], float]) -> None:
        self._clock = clock
        self.jobs: dict[str, Job] = {}

    def submit(
        self,
        spec: QuerySpec,
        now_ms: int,
        availability_ms: int,
        outcome: str | None,
        error_message: str,
    ) -> Job:
        job = Job(secrets.token_hex(16), spec, self._clock(), now_ms, availability_ms, outcome)
        if outcome == "FAILED":
            job.error_message = error_message
        self.jobs[job.job_id] = job
        return job

    def set_state(self, job_id: str, state: str, error_message: str | None = None) -> None:
        """Force a job into `state` (FAILED, CANCELLED, EXPIRED, ...) from a test."""
        job = self.jobs[job_id]
        job.forced_state = state
        if error_message is not None:
            job.error_message = error_message


def encode_cursor(day: date, offset: int, served: int) -> str:
    raw = f"{day.isoformat()}|{offset}|{served}".encode("ascii")
    return base64.urlsafe_b64encode(raw).decode("ascii").rstrip("=")


def decode_cursor(cursor: str) -> tuple[date, int, int] | None:
    """Decode a cursor into (day, offset, served); None for a cursor not issued here."""
    try:
        padded = cursor + "=" * (-len(cursor) % 4)
        day_text, offset, served = base64.urlsafe_b64decode(padded).decode("ascii").split("|")
        return date.fromisoformat(day_text), int(offset), int(served)
    except (ValueError, binascii.Error, UnicodeDecodeError):
        return None


def candidate_days(job: Job) -> list[date]:
    """List the UTC days whose conversations may match the job, up to availability."""
    spec = job.spec
    if spec.start_of_day_matching:
        days = days_touched(spec.start_ms, spec.end_ms)
    else:
        days = days_touched(spec.start_ms - MAX_LIFETIME_MS, spec.end_ms)
    last_available = day_of_ms(job.availability_ms)
    return [day for day in days if day <= last_available]


def day_matches(org: SandboxOrg, job: Job, day: date) -> list[VisibleConversation]:
    """Filter the conversations that started on `day` down to the job's matches, in order."""
    cached = job.day_cache.get(day)
    if cached is not None:
        return cached
    spec = job.spec
    accepts = matcher(spec)
    touched = set(days_touched(spec.start_ms, spec.end_ms))
    found = []
    for item in org.visible_on(day):
        if item.start_ms >= job.availability_ms:
            break
        if spec.start_of_day_matching:
            if day not in touched:
                continue
        else:
            end_ms = item.end_ms if item.end_ms is not None else job.submission_ms
            if item.start_ms >= spec.end_ms or end_ms <= spec.start_ms:
                continue
        if accepts(item):
            found.append(item)
    found = sort_results(found, spec)
    # Keep one day only: results are read in order, so older days are not needed again.
    job.day_cache = {day: found}
    return found


def results_page(
    org: SandboxOrg, job: Job, cursor: tuple[date, int, int] | None, page_size: int
) -> tuple[list[VisibleConversation], str | None]:
    """Collect one page of results and the next cursor (None on the last page)."""
    days = candidate_days(job)
    if job.spec.order == "desc":
        days = days[::-1]
    if not days:
        return [], None
    day, offset, served = cursor if cursor is not None else (days[0], 0, 0)
    limit = job.spec.limit
    page: list[VisibleConversation] = []
    position = days.index(day) if day in days else len(days)
    while position < len(days) and len(page) < page_size:
        matches = day_matches(org, job, days[position])
        room = page_size - len(page)
        if limit is not None:
            room = min(room, limit - served - len(page))
        if room <= 0:
            break
        taken = matches[offset : offset + room]
        page.extend(taken)
        offset += len(taken)
        if offset >= len(matches):
            position += 1
            offset = 0
    served += len(page)
    # Skip exhausted and empty days, so the last page carries no cursor.
    while position < len(days) and offset >= len(day_matches(org, job, days[position])):
        position += 1
        offset = 0
    more = position < len(days) and (limit is None or served < limit)
    next_cursor = encode_cursor(days[position], offset, served) if more else None
    return page, next_cursor


def status_body(job: Job, state: str) -> dict[str, object]:
    body: dict[str, object] = {
        "state": state,
        "submissionDate": iso_ms(job.submission_ms),
        "expirationDate": iso_ms(
            job.submission_ms + int(timedelta(days=2).total_seconds() * 1000)
        ),
    }
    if state == "FULFILLED":
        body["completionDate"] = iso_ms(job.completion_ms or job.submission_ms)
    if state == "FAILED":
        body["errorMessage"] = job.error_message or "The job failed."
    return body
