"""Name lookups of a running fetch, kept apart from its rows.

Pages are shown as they arrive, classified with the names known at that moment. Their code,
queue and user ids are looked up here, one batch after another, and merged into the run's
`Directory`. A dead server can keep a lookup retrying for a long time, so no wait on these
lookups is unbounded. The run waits for them once, at its end, for at most a set time. Cancel
stops them at once.
"""

from __future__ import annotations

import asyncio
import logging
from typing import TYPE_CHECKING, Any

from wrapup_desktop.domain.directory import Directory
from wrapup_desktop.errors import WrapUpError
from wrapup_desktop.ui.run_memory import merge_directory

if TYPE_CHECKING:
    from wrapup_desktop.domain.model import Conversation
    from wrapup_desktop.genesys import GenesysSession

logger = logging.getLogger(__name__)


async def wait_unless_cancelled(
    future: asyncio.Future[Any], cancel: asyncio.Event, grace_s: float
) -> bool:
    """Wait for `future`; once `cancel` is set, give it `grace_s` more, then cancel it.

    Return True when the future finished by itself (its result or error is then ready),
    False when it was cancelled here.
    """
    if not future.done():
        waiter = asyncio.ensure_future(cancel.wait())
        try:
            await asyncio.wait({future, waiter}, return_when=asyncio.FIRST_COMPLETED)
        finally:
            waiter.cancel()
    if not future.done():
        await asyncio.wait({future}, timeout=grace_s)
    if future.done():
        return not future.cancelled()
    future.cancel()
    await asyncio.gather(future, return_exceptions=True)
    return False


class NameLookups:
    """Looks up the names behind a run's pages in one background task, batch after batch."""

    def __init__(self, session: GenesysSession, names: Directory, cancel: asyncio.Event) -> None:
        self.names = names
        """The run's names; each finished lookup is merged into it."""
        self._session = session
        self._cancel = cancel
        self._pending: list[Conversation] = []
        self._wake = asyncio.Event()
        self._closed = False
        self._task = asyncio.ensure_future(self._look_up())

    def add(self, batch: list[Conversation]) -> None:
        """Queue the conversations of one page; they join the next lookup."""
        self._pending.extend(batch)
        self._wake.set()

    async def finish(self, timeout_s: float) -> bool:
        """Wait for the queued lookups, at most `timeout_s` or until Cancel.

        Return True when every lookup ended; otherwise the rest are stopped and the names found
        so far stay in `names`.
        """
        self._closed = True
        self._wake.set()
        waiter = asyncio.ensure_future(self._cancel.wait())
        try:
            await asyncio.wait(
                {self._task, waiter}, timeout=timeout_s, return_when=asyncio.FIRST_COMPLETED
            )
        finally:
            waiter.cancel()
        if self._task.done():
            return not self._task.cancelled()
        logger.warning(
            "Name lookups did not finish within %.0f s; the rows show ids where names are missing",
            timeout_s,
        )
        await self.stop()
        return False

    async def stop(self) -> None:
        """Stop the lookups now; the names found so far stay."""
        if not self._task.done():
            self._task.cancel()
        await asyncio.gather(self._task, return_exceptions=True)

    async def _look_up(self) -> None:
        from wrapup_desktop.genesys import load_directory

        while True:
            if not self._pending:
                if self._closed:
                    return
                self._wake.clear()
                await self._wake.wait()
                continue
            batch, self._pending = self._pending, []
            try:
                part = await load_directory(self._session, batch, cancel=self._cancel)
            except WrapUpError as exc:
                logger.warning(
                    "Names of %d conversations not looked up: %s", len(batch), exc.message
                )
                continue
            merge_directory(self.names, part)
