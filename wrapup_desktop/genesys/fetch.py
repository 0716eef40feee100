"""Fetch every conversation of a report range: slices, jobs, dedupe, progress and cancel.

`fetch_range` queries the planned UTC slices concurrently, and the session bounds the requests
in flight. It splits a slice that contains more results than pagination can reach. When a slice
fails or the run is cancelled, it keeps what it fetched and lists exactly which slices are
missing, and `resume=` fetches only those. Every conversation is kept only when its
`conversationStart` lies in the range, whichever endpoint returned it.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Literal
from zoneinfo import ZoneInfo

from wrapup_desktop.domain.decode import DecodedPage, MalformedConversation
from wrapup_desktop.domain.model import Conversation
from wrapup_desktop.errors import PermissionMissingError, SignInError, WrapUpError
from wrapup_desktop.genesys.collect import Collector
from wrapup_desktop.genesys.jobs import DetailsJob, JobPolicy, data_availability
from wrapup_desktop.genesys.missing import CANCELLED, MissingPart, describe_missing_parts
from wrapup_desktop.genesys.planning import (
    Interval,
    ReportRange,
    plan_intervals,
    reaches_now,
)
from wrapup_desktop.genesys.progress import ProgressEvent, format_wait
from wrapup_desktop.genesys.query import (
    QueryFilters,
    SliceProgress,
    SliceTooLargeError,
    fetch_slice,
)
from wrapup_desktop.genesys.session import GenesysSession

logger = logging.getLogger(__name__)

# A slice with more than 100,000 results is cut into pieces of these lengths, finer each time it
# is still too large. Below the last length the slice is reported missing.
# NOTE: this assumes the query narrows results to the hours asked for. If it returns whole UTC
# days however short the interval, splitting cannot help and the day is reported missing.
SPLIT_STEPS = (timedelta(hours=1), timedelta(minutes=10), timedelta(minutes=1))
# auto mode uses jobs for ranges longer than this, for the days the data lake already holds.
JOBS_MIN_DAYS = 7


@dataclass
class FetchResult:
    """The conversations of a run, and what is missing from it."""

    conversations: list[Conversation]
    malformed: list[MalformedConversation]
    missing: list[MissingPart]
    still_changing: bool
    cancelled: bool
    source: str = "query"
    """"query", "jobs" or "jobs+query": where the conversations came from."""
    pages: int = 0
    days_total: int = 0
    """Local days in the report range; 0 when unknown."""

    @property
    def complete(self) -> bool:
        return not self.missing

    def describe_missing(self, tz: ZoneInfo) -> str:
        """Return a sentence naming the missing days or hours in `tz`, or "" when complete."""
        return describe_missing_parts(self.missing, tz, self.days_total)


class _Run:
    """State of one `fetch_range` call: counters, progress events and the fatal error."""

    def __init__(
        self,
        session: GenesysSession,
        collector: Collector,
        slices_total: int,
        on_progress: Callable[[ProgressEvent], None] | None,
        on_conversations: Callable[[list[Conversation]], None] | None,
    ) -> None:
        self.session = session
        self.collector = collector
        self.slices_total = slices_total
        self.slices_done = 0
        self.pages_done = 0
        self.slice_progress: dict[Interval, SliceProgress] = {}
        self.on_progress = on_progress
        self.on_conversations = on_conversations
        self.missing: list[MissingPart] = []
        self.fatal: WrapUpError | None = None
        self.fetched_any = False
        self.started = time.monotonic()
        # Slices start in date order and at most this many at a time, so each finishes before
        # later ones start. A cancel then leaves whole days fetched instead of every day in part.
        self.slice_slots = asyncio.Semaphore(max(1, session.policy.max_concurrency))

    @property
    def pages_total(self) -> int | None:
        totals = [p.pages_total for p in self.slice_progress.values()]
        if len(totals) < self.slices_total or any(t is None for t in totals):
            return None
        return sum(t for t in totals if t is not None)

    def emit(self, kind: str, message: str, wait_s: float = 0.0, wait_reason: str = "") -> None:
        if self.on_progress is None:
            return
        self.on_progress(
            ProgressEvent(
                kind=kind,
                message=message,
                slices_done=self.slices_done,
                slices_total=self.slices_total,
                pages_done=self.pages_done,
                pages_total=self.pages_total,
                conversations=self.collector.count,
                wait_s=wait_s,
                wait_reason=wait_reason,
                elapsed_s=time.monotonic() - self.started,
            )
        )

    def take_page(self, page: DecodedPage, where: str) -> None:
        fresh = self.collector.add_page(page)
        self.pages_done += 1
        if page.conversations or page.malformed:
            self.fetched_any = True
        if fresh and self.on_conversations is not None:
            self.on_conversations(fresh)
        self.emit("page", f"Fetched page {self.pages_done} ({where})")

    def on_wait(self, wait_s: float, reason: str) -> None:
        message = f"Waiting {format_wait(wait_s)}: {reason}"
        self.emit("wait", message, wait_s=wait_s, wait_reason=reason)


async def fetch_range(
    session: GenesysSession,
    report: ReportRange,
    *,
    now: datetime | None = None,
    on_progress: Callable[[ProgressEvent], None] | None = None,
    on_conversations: Callable[[list[Conversation]], None] | None = None,
    cancel: asyncio.Event | None = None,
    use_jobs: Literal["auto", "never", "always"] = "auto",
    resume: FetchResult | None = None,
    job_policy: JobPolicy | None = None,
) -> FetchResult:
    """Fetch every conversation that started inside the report range.

    Returns with `missing` filled instead of raising once data was fetched. Raises SignInError
    or PermissionMissingError when the first requests fail that way, and InputError for a
    range that has not begun.
    """
    now = (now or datetime.now(UTC)).astimezone(UTC)
    collector = Collector(bounds=report.interval)
    if resume is not None:
        collector.add_page(DecodedPage(resume.conversations, resume.malformed))
        slices = sorted(part.interval for part in resume.missing)
    else:
        slices = plan_intervals(report, now=now)
    filters = QueryFilters(report.queue_ids, report.media_types, report.user_ids)
    run = _Run(session, collector, len(slices), on_progress, on_conversations)
    saved_on_wait = session.on_wait
    session.on_wait = run.on_wait
    cancel = cancel or asyncio.Event()
    logger.info(
        "Fetching %s to %s (%s): %d slices",
        report.start_date,
        report.end_date,
        report.tz.key,
        len(slices),
    )
    try:
        job_slices, query_slices, unavailable = await _choose_endpoints(
            session, report, slices, use_jobs, now
        )
        run.missing.extend(unavailable)
        cancelled = await _run_all(run, job_slices, query_slices, filters, cancel, job_policy)
    finally:
        session.on_wait = saved_on_wait
    if run.fatal is not None and not run.fetched_any and resume is None:
        raise run.fatal
    source = "query"
    if job_slices:
        source = "jobs+query" if query_slices else "jobs"
    # Sorting 100,000 conversations takes about 0.1 s, mostly in Python key calls; a thread
    # lets the GIL switch so a window on this event loop keeps painting.
    conversations = await asyncio.to_thread(collector.conversations)
    result = FetchResult(
        conversations=conversations,
        malformed=collector.malformed(),
        missing=sorted(run.missing, key=lambda part: part.interval),
        still_changing=reaches_now(report, now),
        cancelled=cancelled,
        source=source,
        pages=run.pages_done,
        days_total=(report.end_date - report.start_date).days + 1,
    )
    run.emit("done", _done_message(result, report.tz))
    logger.info(
        "Fetched %d conversations in %d pages; %d slices missing",
        len(result.conversations),
        run.pages_done,
        len(result.missing),
    )
    return result


async def _choose_endpoints(
    session: GenesysSession,
    report: ReportRange,
    slices: list[Interval],
    use_jobs: Literal["auto", "never", "always"],
    now: datetime,
) -> tuple[list[Interval], list[Interval], list[MissingPart]]:
    """Split the slices between jobs (days the data lake holds) and the query."""
    if use_jobs == "never" or not slices:
        return [], slices, []
    days = (report.end_date - report.start_date).days + 1
    if use_jobs == "auto" and days <= JOBS_MIN_DAYS:
        return [], slices, []
    try:
        available_until = await data_availability(session)
    except PermissionMissingError as exc:
        # The availability call needs analytics:conversationDetail:view, which a client with
        # only analytics:agentConversationDetail:view lacks although it may run the query.
        if use_jobs == "always":
            raise
        logger.warning("Not using jobs: %s", exc.message)
        return [], slices, []
    except SignInError:
        raise
    except WrapUpError as exc:
        if use_jobs == "always":
            return [], [], [MissingPart(s, exc.details or exc.message) for s in slices]
        logger.warning("Jobs availability unknown (%s); using the query for every day", exc)
        return [], slices, []
    if available_until is None:
        if use_jobs == "always":
            reason = "jobs report no data availability date"
            return [], [], [MissingPart(s, reason) for s in slices]
        return [], slices, []
    job_slices = [s for s in slices if s.end <= available_until]
    rest = [s for s in slices if s.end > available_until]
    logger.info(
        "Jobs hold data up to %s: %d slices by job, %d by query",
        available_until.isoformat(),
        len(job_slices),
        len(rest),
    )
    if use_jobs == "always":
        reason = f"not yet available to jobs (data up to {available_until:%Y-%m-%d %H:%M} UTC)"
        return job_slices, [], [MissingPart(s, reason) for s in rest]
    return job_slices, rest, []


async def _run_all(
    run: _Run,
    job_slices: list[Interval],
    query_slices: list[Interval],
    filters: QueryFilters,
    cancel: asyncio.Event,
    job_policy: JobPolicy | None,
) -> bool:
    """Run every slice and job; return True when the run was cancelled."""
    jobs: list[DetailsJob] = []
    tasks: dict[asyncio.Task[None], list[Interval]] = {}
    if job_slices:
        job_interval = Interval(job_slices[0].start, job_slices[-1].end)
        job = DetailsJob(
            run.session,
            job_interval,
            filters,
            policy=job_policy,
            on_status=lambda message: run.emit("job", message),
        )
        jobs.append(job)
        tasks[asyncio.create_task(_run_job(run, job, job_slices))] = job_slices
    for interval in query_slices:
        tasks[asyncio.create_task(_run_slice(run, interval, filters))] = [interval]

    cancel_wait = asyncio.create_task(cancel.wait())
    pending: set[asyncio.Task[None]] = set(tasks)
    cancelled = False
    try:
        while pending:
            done, _ = await asyncio.wait(
                {*pending, cancel_wait}, return_when=asyncio.FIRST_COMPLETED
            )
            pending -= done
            if cancel_wait in done or run.fatal is not None:
                cancelled = cancel_wait in done
                break
    finally:
        cancel_wait.cancel()
        for task in pending:
            task.cancel()
        if pending:
            await asyncio.gather(*pending, return_exceptions=True)
        with contextlib.suppress(asyncio.CancelledError):
            await cancel_wait
    reason = CANCELLED if cancelled else _fatal_reason(run.fatal)
    for task in pending:
        for interval in tasks[task]:
            run.missing.append(MissingPart(interval, reason))
    for job in jobs:
        if not job.finished:
            with contextlib.suppress(WrapUpError):
                await job.cancel()
    return cancelled


async def _run_slice(run: _Run, interval: Interval, filters: QueryFilters) -> None:
    """Fetch one slice, splitting it while it contains more than pagination can reach."""
    try:
        async with run.slice_slots:
            await _fetch_or_split(run, interval, filters, 0)
    except (SignInError, PermissionMissingError) as exc:
        run.fatal = run.fatal or exc
        run.missing.append(MissingPart(interval, _fatal_reason(exc)))
        return
    except WrapUpError as exc:
        logger.error("Interval %s is missing: %s", interval.to_api(), exc.message)
        run.missing.append(MissingPart(interval, exc.details or exc.message))
    run.slices_done += 1
    run.emit("slice", f"Finished {run.slices_done} of {run.slices_total} parts of the range")


async def _fetch_or_split(
    run: _Run, interval: Interval, filters: QueryFilters, depth: int, parent_hits: int = 0
) -> None:
    progress = SliceProgress()
    if depth == 0:
        run.slice_progress[interval] = progress
    where = interval.start.strftime("%Y-%m-%d %H:%M UTC")
    try:
        await fetch_slice(
            run.session,
            interval,
            filters,
            lambda _number, page: run.take_page(page, where),
            progress=progress,
        )
    except SliceTooLargeError as exc:
        if depth > 0 and exc.total_hits >= parent_hits:
            raise WrapUpError(
                f"The interval {interval.to_api()} reports {exc.total_hits} conversations, as "
                "many as the longer interval it was cut from, so splitting it cannot get under "
                "the pagination cap of 100,000. Add a queue or media filter and try again.",
                details=f"more than 100,000 results ({exc.total_hits})",
            ) from exc
        if depth >= len(SPLIT_STEPS):
            raise WrapUpError(
                f"The interval {interval.to_api()} still contains {exc.total_hits} conversations "
                "after splitting it into minutes. Add a queue or media filter and try again.",
                details=f"more than 100,000 results ({exc.total_hits})",
            ) from exc
        step = SPLIT_STEPS[depth]
        pieces = [p for p in interval.split(step) if p.duration > timedelta(0)]
        logger.info(
            "Interval %s reports %d results, over the pagination cap; splitting it into %d",
            interval.to_api(),
            exc.total_hits,
            len(pieces),
        )
        if len(pieces) <= 1 and interval.duration <= step:
            pieces = interval.split(SPLIT_STEPS[min(depth + 1, len(SPLIT_STEPS) - 1)])
        tasks = [
            asyncio.create_task(_fetch_or_split(run, p, filters, depth + 1, exc.total_hits))
            for p in pieces
        ]
        try:
            await asyncio.gather(*tasks)
        except BaseException:
            for task in tasks:
                task.cancel()
            await asyncio.gather(*tasks, return_exceptions=True)
            raise


async def _run_job(run: _Run, job: DetailsJob, slices: list[Interval]) -> None:
    for interval in slices:
        run.slice_progress[interval] = SliceProgress(pages_total=0)
    try:
        await job.run(lambda page: run.take_page(page, f"job {job.job_id}"))
    except (SignInError, PermissionMissingError) as exc:
        run.fatal = run.fatal or exc
        run.missing.extend(MissingPart(s, _fatal_reason(exc)) for s in slices)
        return
    except WrapUpError as exc:
        logger.error("Analytics job failed: %s", exc.message)
        run.missing.extend(MissingPart(s, exc.message) for s in slices)
        return
    run.slices_done += len(slices)
    run.emit("slice", f"Finished {run.slices_done} of {run.slices_total} parts of the range")


def _fatal_reason(error: WrapUpError | None) -> str:
    if isinstance(error, PermissionMissingError):
        return f"permission {error.permission or 'missing'} not granted"
    if isinstance(error, SignInError):
        return "sign-in failed"
    return "stopped"


def _done_message(result: FetchResult, tz: ZoneInfo) -> str:
    text = f"Fetched {len(result.conversations)} conversations."
    if result.missing:
        text += " " + result.describe_missing(tz)
    if result.still_changing:
        text += " The range reaches the present, so recent data may still change."
    return text
