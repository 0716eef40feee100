"""The run logic between the views and the engine: sign in, fetch, classify, diagnose.

The controller owns the signed-in `GenesysSession`, the rows of the current run and the last
`FetchResult`. Views call its coroutines from `async_slot`s and listen to its signals, so a view
never talks to the engine itself. Everything runs on the qasync loop. The CPU-heavy steps
(classifying pages and whole runs, reading saved files, the diagnosis) run in one worker
thread, so the window keeps painting.

The engine, the export layer and the sandbox are imported inside the methods that use them, so
the window opens before httpx and the sandbox are loaded.
"""

from __future__ import annotations

import functools
import json
import logging
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any, Literal, TypeVar

from PySide6.QtCore import QObject, Signal

from wrapup_desktop.domain.directory import Directory
from wrapup_desktop.domain.rows import LegRow
from wrapup_desktop.errors import InputError, WrapUpError
from wrapup_desktop.ui.run_memory import (
    classify_without_gc,
    keep_out_of_gc,
    names_so_far,
    release,
)
from wrapup_desktop.ui.tasks import report_task_errors

if TYPE_CHECKING:
    import asyncio
    from concurrent.futures import ThreadPoolExecutor
    from pathlib import Path

    import httpx

    from wrapup_desktop.domain.decode import MalformedConversation
    from wrapup_desktop.domain.model import Conversation
    from wrapup_desktop.genesys import (
        Endpoints,
        FetchResult,
        GenesysSession,
        ProgressEvent,
        ReportRange,
    )
    from wrapup_desktop.ui.name_lookups import NameLookups

logger = logging.getLogger(__name__)

DEMO_ORG_LABEL = "the demo org"
PUBLISH_CHUNK = 1000
"""Rows handed to the table per event-loop turn when a whole run is shown again."""
PUBLISH_PAUSE_S = 0.001
CANCEL_GRACE_S = 0.5
"""How long Cancel lets the fetch and the page classification stop by themselves."""
LOOKUP_WAIT_S = 15.0
"""How long a fetched run waits for its last name lookups before it shows ids instead."""
NAMES_LATE_TEXT = (
    "Some names could not be looked up in time, so their ids are shown. "
    "Run the days again later to get the names."
)
STOPPED_EARLY_TEXT = (
    "The run was cancelled before every day was fetched. "
    "Press Resume to fetch the whole range again."
)


T = TypeVar("T")


def utc_now() -> datetime:
    return datetime.now(UTC)


def open_in_browser(url: str) -> bool:
    """Open a URL in the system browser through Qt, which follows the desktop's settings."""
    from PySide6.QtCore import QUrl
    from PySide6.QtGui import QDesktopServices

    return QDesktopServices.openUrl(QUrl(url))


@dataclass
class RunSummary:
    """Counts and outcome of a finished run, for the progress panel and the diagnosis."""

    rows: int
    conversations: int
    missing_text: str
    cancelled: bool
    still_changing: bool
    elapsed_s: float
    source: str
    """"query" for a fetch, "file" for saved responses."""
    names_note: str = ""
    """The reason some names are missing when the lookups did not finish, else empty."""


class Controller(QObject):
    """Signs in, runs fetches and keeps the rows; emits signals the views follow."""

    signedIn = Signal(str)  # noqa: N815 - Qt signal naming
    signedOut = Signal()  # noqa: N815 - Qt signal naming
    runStarted = Signal()  # noqa: N815 - Qt signal naming
    progress = Signal(object)
    rowsAppended = Signal(list)  # noqa: N815 - Qt signal naming
    rowsReplaced = Signal(list)  # noqa: N815 - Qt signal naming
    runFinished = Signal(object)  # noqa: N815 - Qt signal naming
    findingsReady = Signal(list)  # noqa: N815 - Qt signal naming
    directoryReady = Signal(object)  # noqa: N815 - Qt signal naming

    def __init__(
        self,
        *,
        clock: Callable[[], datetime] = utc_now,
        transport: httpx.AsyncBaseTransport | None = None,
        demo_factory: Callable[[], GenesysSession] | None = None,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self.clock = clock
        """The wall clock of runs and of the range view's presets; tests fix it."""
        self.transport = transport
        """The HTTP transport of sessions signed in here; None means the network."""
        self._demo_factory = demo_factory
        self.session: GenesysSession | None = None
        self.org_name = ""
        self.is_demo = False
        self.directory = Directory()
        self.listing = Directory()
        """Every listed queue, agent and code; classifies pages while a run is going."""
        self.rows: list[LegRow] = []
        self.conversations: dict[str, Conversation] = {}
        self.malformed: list[MalformedConversation] = []
        self.report: ReportRange | None = None
        self.last_result: FetchResult | None = None
        self.source = "query"
        self._cancel: asyncio.Event | None = None
        self.running = False
        self._worker: ThreadPoolExecutor | None = None
        self.open_url: Callable[[str], object] = open_in_browser
        """Opens the sign-in page of a browser sign-in; tests replace it."""
        self.use_jobs: Literal["auto", "never", "always"] = "auto"
        """Passed to `fetch_range`. NOTE: a jobs results page holds up to 1,000 conversations,
        and the engine decodes each on the event loop (about 0.1-0.2 s on a 2-core machine)."""

    # Sign-in -----------------------------------------------------------------------------

    async def sign_in_client(self, endpoints: Endpoints, client_id: str, secret: str) -> str:
        """Sign in with an OAuth client (client credentials) and return the org name."""
        from wrapup_desktop.genesys import ClientCredentials, ClientCredentialsAuth, GenesysSession

        auth = ClientCredentialsAuth(endpoints, ClientCredentials(client_id, secret))
        session = GenesysSession(endpoints, auth, transport=self.transport)
        return await self._adopt(session, demo=False)

    async def sign_in_browser(self, endpoints: Endpoints, client_id: str) -> str:
        """Sign in as a Genesys user in the system browser (PKCE) and return the org name."""
        from wrapup_desktop.genesys import GenesysSession, sign_in_with_browser

        auth = await sign_in_with_browser(
            endpoints, client_id, open_url=self.open_url, transport=self.transport
        )
        session = GenesysSession(endpoints, auth, transport=self.transport)
        return await self._adopt(session, demo=False)

    async def sign_in_demo(self) -> str:
        """Sign in to the in-process demo org and return its name."""
        if self._demo_factory is not None:
            session = self._demo_factory()
        else:
            from wrapup_desktop.genesys import demo_session

            session = demo_session(now=self.clock())
        return await self._adopt(session, demo=True)

    async def test_connection(self, endpoints: Endpoints, client_id: str, secret: str) -> str:
        """Check a client's credentials without keeping the session; return the org name."""
        from wrapup_desktop.genesys import ClientCredentials, ClientCredentialsAuth, GenesysSession

        auth = ClientCredentialsAuth(endpoints, ClientCredentials(client_id, secret))
        async with GenesysSession(endpoints, auth, transport=self.transport) as session:
            return await session.test_connection()

    async def _adopt(self, session: GenesysSession, *, demo: bool) -> str:
        try:
            org_name = await session.test_connection()
        except BaseException:
            await session.aclose()
            raise
        await self.sign_out(emit=False)
        self.session = session
        self.org_name = org_name or DEMO_ORG_LABEL
        self.is_demo = demo
        logger.info("Signed in to %s", self.org_name)
        self.signedIn.emit(self.org_name)
        return self.org_name

    async def sign_out(self, *, emit: bool = True) -> None:
        """Cancel a run still going and close the session; the rows of the last run stay."""
        self.cancel()
        session, self.session = self.session, None
        if session is not None:
            await session.aclose()
            if emit:
                self.signedOut.emit()

    async def load_filter_choices(self) -> Directory:
        """List every queue, agent and code for the filter lists and the first classification."""
        from wrapup_desktop.ui.listings import load_listings

        directory = await load_listings(self._require_session())
        self.listing = directory
        self.directoryReady.emit(directory)
        return directory

    # Runs --------------------------------------------------------------------------------

    def cancel(self) -> None:
        """Ask the running fetch to stop; it returns within a second with what it has."""
        if self._cancel is not None:
            logger.info("Cancel requested")
            self._cancel.set()

    async def run(self, report: ReportRange) -> RunSummary:
        """Fetch a range, classifying each page as it arrives, then finish with names."""
        self._require_session()
        self.rows = []
        self.conversations = {}
        self.malformed = []
        self.report = report
        self.last_result = None
        self.source = "query"
        self.rowsReplaced.emit([])
        return await self._fetch(report, resume=None)

    async def resume(self) -> RunSummary:
        """Fetch only the missing parts of the last run and merge them.

        A run cancelled before the engine returned has no record of its missing parts, so its
        whole range is fetched again.
        """
        if self.last_result is None and self.report is not None and self.source == "query":
            return await self.run(self.report)
        if self.last_result is None or self.report is None or self.last_result.complete:
            raise InputError("There is nothing to resume: the last run is complete.")
        return await self._fetch(self.report, resume=self.last_result)

    async def _fetch(self, report: ReportRange, *, resume: FetchResult | None) -> RunSummary:
        import asyncio

        from wrapup_desktop.domain.classify import classify_conversation
        from wrapup_desktop.export import load_remembered_code_names
        from wrapup_desktop.genesys import fetch_range
        from wrapup_desktop.ui.name_lookups import NameLookups, wait_unless_cancelled

        session = self._require_session()
        if self.running:
            raise InputError("A run is already going. Wait for it or press Cancel first.")
        self.running = True
        cancel = self._cancel = asyncio.Event()
        started = time.monotonic()
        self.runStarted.emit()
        # Names are looked up page by page in the background, so the end of a big run does not
        # walk every conversation at once. A resume adds to the names already known.
        names = Directory() if resume is None else self.directory
        lookups = NameLookups(session, names, cancel)
        fetch: asyncio.Future[FetchResult] | None = None
        # Pages are classified in the worker thread with the names known so far, so a big jobs
        # page does not hold the event loop. Each batch waits for the classification of the one
        # before, which keeps the rows in page order; none waits for a lookup.
        tail: list[asyncio.Future[None]] = []

        def classify_batch(batch: list[Conversation], known: Directory) -> list[LegRow]:
            rows: list[LegRow] = []
            for conversation in batch:
                rows.extend(classify_conversation(conversation, known))
            keep_out_of_gc()
            return rows

        async def publish_in_order(
            batch: list[Conversation], previous: asyncio.Future[None] | None
        ) -> None:
            known = names_so_far(self.listing, names)
            rows = await self._in_worker(classify_batch, batch, known)
            if previous is not None:
                await previous
            self.rows.extend(rows)
            self.rowsAppended.emit(rows)

        def on_conversations(batch: list[Conversation]) -> None:
            for conversation in batch:
                if conversation.conversation_id:
                    self.conversations[conversation.conversation_id] = conversation
            lookups.add(batch)
            previous = tail[-1] if tail else None
            tail[:] = [asyncio.ensure_future(publish_in_order(batch, previous))]

        def on_progress(event: ProgressEvent) -> None:
            self.progress.emit(event)

        names_note = ""
        try:
            names.remembered_code_names = await self._in_worker(load_remembered_code_names)
            fetch = asyncio.ensure_future(
                fetch_range(
                    session,
                    report,
                    now=self.clock(),
                    on_progress=on_progress,
                    on_conversations=on_conversations,
                    cancel=cancel,
                    resume=resume,
                    use_jobs=self.use_jobs,
                )
            )
            finished = await wait_unless_cancelled(fetch, cancel, CANCEL_GRACE_S)
            result = fetch.result() if finished else None
            if tail:
                await wait_unless_cancelled(tail[-1], cancel, CANCEL_GRACE_S)
            if result is not None:
                self.last_result = result
                self.malformed = list(result.malformed)
            if not cancel.is_set():
                self._say(f"Looking up names for {len(self.conversations):,} conversations…")
                if not await lookups.finish(LOOKUP_WAIT_S) and not cancel.is_set():
                    names_note = NAMES_LATE_TEXT
            if not cancel.is_set():
                fetched = (
                    result.conversations
                    if result is not None
                    else list(self.conversations.values())
                )
                await self._finish_with_directory(fetched, names)
        finally:
            await self._end_run(fetch, tail, lookups)
        cancelled = cancel.is_set() or (result is not None and result.cancelled)
        if result is not None:
            missing_text = "" if result.complete else result.describe_missing(report.tz)
        else:
            missing_text = STOPPED_EARLY_TEXT
        summary = RunSummary(
            rows=len(self.rows),
            conversations=len(self.conversations),
            missing_text=missing_text,
            cancelled=cancelled,
            still_changing=result is not None and result.still_changing,
            elapsed_s=time.monotonic() - started,
            source="jobs" if result is not None and "jobs" in result.source else "query",
            names_note=names_note,
        )
        logger.info(
            "Run finished: %d conversations, %d rows, complete=%s, cancelled=%s",
            summary.conversations,
            summary.rows,
            not missing_text,
            cancelled,
        )
        if cancelled:
            # The worker thread may still be busy with work the cancel dropped, so the
            # diagnosis follows in the background instead of holding the run open.
            report_task_errors(asyncio.ensure_future(self._emit_findings(summary)))
        else:
            await self._emit_findings(summary)
        self.runFinished.emit(summary)
        return summary

    async def _end_run(
        self,
        fetch: asyncio.Future[FetchResult] | None,
        tail: list[asyncio.Future[None]],
        lookups: NameLookups,
    ) -> None:
        """Stop whatever of a run still runs, after it ended, failed or was cancelled."""
        import asyncio

        pending = [f for f in (fetch, *tail) if f is not None and not f.done()]
        for future in pending:
            future.cancel()
        await lookups.stop()
        await asyncio.gather(*pending, return_exceptions=True)
        self.running = False
        self._cancel = None

    def _say(self, message: str) -> None:
        from wrapup_desktop.genesys import ProgressEvent

        self.progress.emit(ProgressEvent("lookup", message, 0, 0, 0, None, 0))

    async def _finish_with_directory(
        self, conversations: Sequence[Conversation], names: Directory
    ) -> None:
        """Classify the whole run again with the names looked up while it ran.

        Cancel pressed during the classification keeps the rows shown so far.
        """
        import asyncio

        from wrapup_desktop.export import remember_code_names
        from wrapup_desktop.ui.name_lookups import wait_unless_cancelled

        self.directory = names
        known = names_so_far(self.listing, names)
        classify = asyncio.ensure_future(
            self._in_worker(classify_without_gc, conversations, known, self.malformed)
        )
        cancel = self._cancel
        if cancel is not None and not await wait_unless_cancelled(classify, cancel, 0.0):
            return
        rows = classify.result()
        if names.wrapup_codes:
            await self._in_worker(remember_code_names, dict(names.wrapup_codes))
        streamed, self.rows = self.rows, rows
        await self._publish(rows)
        await self._in_worker(release, streamed)

    async def _publish(self, rows: list[LegRow]) -> None:
        """Replace the shown rows in chunks, so the window repaints between them.

        Loading 100,000 rows into the table at once would stop the event loop for about a
        second (an estimate), while one chunk of PUBLISH_CHUNK rows takes a few milliseconds.
        """
        import asyncio

        self.rowsReplaced.emit([])
        for start in range(0, len(rows), PUBLISH_CHUNK):
            self.rowsAppended.emit(rows[start : start + PUBLISH_CHUNK])
            # A short timer rather than sleep(0): qasync runs ready callbacks back to back, so
            # only a timer lets Qt paint and run its own timers between two chunks.
            await asyncio.sleep(PUBLISH_PAUSE_S)

    async def open_saved(self, paths: Sequence[Path]) -> RunSummary:
        """Classify saved API responses offline, without a session."""
        from wrapup_desktop.export import load_remembered_code_names, read_saved_responses

        started = time.monotonic()
        conversations, malformed = await self._in_worker(read_saved_responses, list(paths))
        remembered = await self._in_worker(load_remembered_code_names)
        directory = Directory(remembered_code_names=remembered)
        rows = await self._in_worker(classify_without_gc, conversations, directory, malformed)
        self.directory = directory
        self.conversations = {c.conversation_id: c for c in conversations if c.conversation_id}
        self.malformed = list(malformed)
        self.rows = rows
        self.report = None
        self.last_result = None
        self.source = "file"
        await self._publish(rows)
        summary = RunSummary(
            rows=len(rows),
            conversations=len(conversations),
            missing_text="",
            cancelled=False,
            still_changing=False,
            elapsed_s=time.monotonic() - started,
            source="file",
        )
        logger.info("Opened %d saved files: %d rows", len(paths), len(rows))
        await self._emit_findings(summary, files=paths)
        self.runFinished.emit(summary)
        return summary

    async def _emit_findings(self, summary: RunSummary, files: Sequence[Path] = ()) -> None:
        from wrapup_desktop.domain.diagnosis import RunInfo, diagnose

        if self.report is not None:
            range_text = (
                f"{self.report.start_date.isoformat()} to {self.report.end_date.isoformat()}"
            )
            tz_name = self.report.tz.key
        else:
            range_text = ", ".join(path.name for path in files) or "saved responses"
            tz_name = "UTC"
        info = RunInfo(
            range_text=range_text,
            tz_name=tz_name,
            missing_text=summary.missing_text,
            still_changing=summary.still_changing,
            source=summary.source,
        )
        findings = await self._in_worker(diagnose, self.rows, self.directory, info)
        self.findingsReady.emit(findings)

    # Details -----------------------------------------------------------------------------

    @property
    def online(self) -> bool:
        """Whether the rows came from the signed-in org, so their JSON can be fetched again."""
        return self.session is not None and self.source == "query"

    async def fetch_details_json(self, conversation_id: str) -> str:
        """Fetch one conversation from Genesys as indented JSON; raises WrapUpError."""
        session = self._require_session()
        document = await session.get_json(
            f"/api/v2/analytics/conversations/{conversation_id}/details"
        )
        return json.dumps(document, indent=2, ensure_ascii=False)

    async def raw_json(self, conversation_id: str) -> str:
        """Return a conversation's JSON: fetched again when online, else the decoded copy."""
        if self.online:
            try:
                return await self.fetch_details_json(conversation_id)
            except WrapUpError as exc:  # the decoded copy below still shows the data
                logger.warning("Could not fetch conversation %s: %s", conversation_id, exc)
        conversation = self.conversations.get(conversation_id)
        if conversation is None:
            return ""
        import msgspec

        return msgspec.json.format(msgspec.json.encode(conversation), indent=2).decode()

    async def _in_worker(self, function: Callable[..., T], *args: Any) -> T:
        """Run CPU-heavy work in the one worker thread.

        One thread, not a pool: several Python threads would take turns with the GUI thread
        for the GIL and slow it down more.
        """
        import asyncio
        from concurrent.futures import ThreadPoolExecutor

        if self._worker is None:
            self._worker = ThreadPoolExecutor(max_workers=1, thread_name_prefix="wrapup-worker")
        loop = asyncio.get_running_loop()
        return await loop.run_in_executor(self._worker, functools.partial(function, *args))

    def rows_of(self, conversation_id: str) -> list[LegRow]:
        return [row for row in self.rows if row.conversation_id == conversation_id]

    def _require_session(self) -> GenesysSession:
        if self.session is None:
            raise InputError("You are not signed in. Sign in first, or try the demo org.")
        return self.session
