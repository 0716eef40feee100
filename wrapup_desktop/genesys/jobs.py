"""Async details jobs, for bulk pulls of days the analytics data lake already holds.

A job is submitted, polled until FULFILLED, then read page by page with a cursor. It contains
only data up to `dataAvailabilityDate`. It matches every conversation whose lifetime overlaps the
interval, so the fetch layer keeps only conversations that started inside the range.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from wrapup_desktop.domain.decode import DecodedPage
from wrapup_desktop.errors import ApiError
from wrapup_desktop.genesys.planning import Interval
from wrapup_desktop.genesys.query import DETAILS_PERMISSION, QueryFilters, _decode_details_page
from wrapup_desktop.genesys.session import GenesysSession

logger = logging.getLogger(__name__)

JOBS_PATH = "/api/v2/analytics/conversations/details/jobs"
RESULTS_PAGE_SIZE = 1000
"""The commonly cited maximum `pageSize` of jobs results."""


@dataclass
class JobPolicy:
    """Polling intervals and time limit of a job, in seconds: jobs take minutes, not seconds."""

    first_poll_s: float = 5.0
    poll_growth: float = 1.5
    max_poll_s: float = 60.0
    max_wait_s: float = 3600.0
    """Give up on a job that is not FULFILLED after this long."""


class JobError(ApiError):
    """A job ended FAILED, CANCELLED or EXPIRED, or did not finish in time."""

    def __init__(self, message: str, *, job_id: str, state: str) -> None:
        super().__init__(message, code=state, details=f"job {job_id} {state}")
        self.job_id = job_id
        self.state = state


class JobExpiredError(JobError):
    """The job's results expired while they were being read."""


async def data_availability(session: GenesysSession) -> datetime | None:
    """Return `dataAvailabilityDate`: jobs see no conversation after it."""
    body = await session.get_json(f"{JOBS_PATH}/availability", permission=DETAILS_PERMISSION)
    raw = body.get("dataAvailabilityDate") if isinstance(body, dict) else None
    if not isinstance(raw, str):
        return None
    try:
        moment = datetime.fromisoformat(raw.replace("Z", "+00:00"))
    except ValueError:
        logger.warning("Unreadable dataAvailabilityDate %r; not using jobs", raw)
        return None
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def job_body(interval: Interval, filters: QueryFilters) -> dict[str, Any]:
    """Return the body of a details job: the query's filters and order, without paging."""
    body: dict[str, Any] = {
        "interval": interval.to_api(),
        "order": "asc",
        "orderBy": "conversationStart",
    }
    segment_filters = filters.segment_filters()
    if segment_filters:
        body["segmentFilters"] = segment_filters
    return body


class DetailsJob:
    """One submitted job: poll it, read its results, cancel it."""

    def __init__(
        self,
        session: GenesysSession,
        interval: Interval,
        filters: QueryFilters,
        *,
        policy: JobPolicy | None = None,
        on_status: Callable[[str], None] | None = None,
    ) -> None:
        self.session = session
        self.interval = interval
        self.filters = filters
        self.policy = policy or JobPolicy()
        self.on_status = on_status
        self.job_id: str | None = None
        self.finished = False

    async def run(self, on_page: Callable[[DecodedPage], None]) -> None:
        """Submit, wait and read every results page; submit once more if the results expire."""
        try:
            await self._submit_and_read(on_page)
        except JobExpiredError as exc:
            logger.warning(
                "Job %s expired while reading its results; submitting again", exc.job_id
            )
            self._status(f"Job {exc.job_id} expired; submitting it again")
            try:
                await self._submit_and_read(on_page)
            except JobExpiredError as again:
                raise JobError(
                    f"The analytics job {again.job_id} expired twice while its results were "
                    "read. Export a shorter range, or use the query instead of jobs.",
                    job_id=again.job_id,
                    state="EXPIRED",
                ) from again
        self.finished = True

    async def cancel(self) -> None:
        """Delete the job on the server, unless it already finished."""
        if self.job_id is None or self.finished:
            return
        logger.info("Deleting analytics job %s", self.job_id)
        await self.session.delete(f"{JOBS_PATH}/{self.job_id}", permission=DETAILS_PERMISSION)

    async def _submit_and_read(self, on_page: Callable[[DecodedPage], None]) -> None:
        answer = await self.session.post_json(
            JOBS_PATH, job_body(self.interval, self.filters), permission=DETAILS_PERMISSION
        )
        job_id = answer.get("jobId") if isinstance(answer, dict) else None
        if not isinstance(job_id, str) or not job_id:
            raise ApiError("Genesys Cloud accepted the analytics job but returned no jobId.")
        self.job_id = job_id
        logger.info("Submitted analytics job %s for %s", job_id, self.interval.to_api())
        await self._wait_until_fulfilled(job_id)
        await self._read_results(job_id, on_page)

    async def _wait_until_fulfilled(self, job_id: str) -> None:
        policy = self.policy
        waited_s = 0.0
        delay_s = policy.first_poll_s
        while True:
            status = await self.session.get_json(
                f"{JOBS_PATH}/{job_id}", permission=DETAILS_PERMISSION
            )
            state = str(status.get("state", "")) if isinstance(status, dict) else ""
            message = str(status.get("errorMessage") or "") if isinstance(status, dict) else ""
            logger.debug("Job %s is %s", job_id, state)
            if state == "FULFILLED":
                return
            if state in ("FAILED", "CANCELLED", "EXPIRED"):
                self.finished = True
                raise JobError(
                    f"The analytics job {job_id} ended {state}"
                    + (f": {message}" if message else " without a message")
                    + ". Try again; if it fails again, export fewer days or use the query.",
                    job_id=job_id,
                    state=state,
                )
            if waited_s >= policy.max_wait_s:
                raise JobError(
                    f"The analytics job {job_id} was still {state or 'unfinished'} after "
                    f"{waited_s / 60:.0f} minutes. Try again later or export fewer days.",
                    job_id=job_id,
                    state=state or "TIMEOUT",
                )
            self._status(f"Waiting for analytics job {job_id} ({state or 'unknown'})")
            wait_reason = f"Analytics job {job_id} is {state or 'not ready'}"
            if self.session.on_wait is not None:
                self.session.on_wait(delay_s, wait_reason)
            await self.session.sleep(delay_s)
            waited_s += delay_s
            delay_s = min(policy.max_poll_s, delay_s * policy.poll_growth)

    async def _read_results(self, job_id: str, on_page: Callable[[DecodedPage], None]) -> None:
        cursor: str | None = None
        pages = 0
        while True:
            params: dict[str, Any] = {"pageSize": RESULTS_PAGE_SIZE}
            if cursor:
                params["cursor"] = cursor
            try:
                page = await self.session.get_decoded(
                    f"{JOBS_PATH}/{job_id}/results",
                    _decode_details_page,
                    params=params,
                    permission=DETAILS_PERMISSION,
                )
            except ApiError as exc:
                if exc.status in (404, 410) or "expire" in exc.message.lower():
                    raise JobExpiredError(
                        f"The results of analytics job {job_id} expired.",
                        job_id=job_id,
                        state="EXPIRED",
                    ) from exc
                raise
            pages += 1
            on_page(page)
            self._status(f"Read page {pages} of analytics job {job_id}")
            cursor = page.cursor
            if not cursor:
                return

    def _status(self, message: str) -> None:
        if self.on_status is not None:
            self.on_status(message)
