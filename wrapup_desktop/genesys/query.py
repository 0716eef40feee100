"""Fetch every page of the details query for one interval.

Page 1 comes first and tells `totalHits`; the remaining pages are requested together, bounded by
the session's concurrency limit. `totalHits` is approximate, so paging goes on past it for as long
as pages come back full, and stops only at a short page or one without `conversations`.
"""

from __future__ import annotations

import asyncio
import logging
import math
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from wrapup_desktop.domain.decode import DecodedPage, PageDecodeError, decode_page
from wrapup_desktop.genesys.planning import Interval
from wrapup_desktop.genesys.session import GenesysSession

logger = logging.getLogger(__name__)

DETAILS_QUERY_PATH = "/api/v2/analytics/conversations/details/query"
DETAILS_PERMISSION = "analytics:conversationDetail:view"
PAGE_SIZE = 100
"""The largest page size the details query accepts."""
MAX_RESULTS = 100_000
"""`pageSize × pageNumber` may not exceed this ("Pagination may not exceed 100000 results.")."""


class SliceTooLargeError(Exception):
    """A slice reports more results than pagination can reach; it has to be split."""

    def __init__(self, total_hits: int) -> None:
        super().__init__(f"totalHits {total_hits} exceeds {MAX_RESULTS}")
        self.total_hits = total_hits


@dataclass(frozen=True)
class QueryFilters:
    """The report's filters, sent as segment filters."""

    queue_ids: tuple[str, ...] = ()
    media_types: tuple[str, ...] = ()
    user_ids: tuple[str, ...] = ()

    def segment_filters(self) -> list[dict[str, Any]]:
        """Build `segmentFilters`: any of the queues, and any of the media types, and any user."""
        clauses = []
        for dimension, values in (
            ("queueId", self.queue_ids),
            ("mediaType", self.media_types),
            ("userId", self.user_ids),
        ):
            if values:
                clauses.append(
                    {
                        "type": "or",
                        "predicates": [
                            {"type": "dimension", "dimension": dimension, "value": value}
                            for value in values
                        ],
                    }
                )
        if not clauses:
            return []
        return [{"type": "and", "clauses": clauses}]


def query_body(interval: Interval, filters: QueryFilters, page_number: int) -> dict[str, Any]:
    """Return the body of one details-query page."""
    body: dict[str, Any] = {
        "interval": interval.to_api(),
        "order": "asc",
        "orderBy": "conversationStart",
        "paging": {"pageSize": PAGE_SIZE, "pageNumber": page_number},
    }
    segment_filters = filters.segment_filters()
    if segment_filters:
        body["segmentFilters"] = segment_filters
    return body


@dataclass
class SliceProgress:
    """Progress of one slice: the pages and conversations fetched so far."""

    pages_done: int = 0
    pages_total: int | None = None
    total_hits: int | None = None
    conversations: int = 0
    page_numbers: list[int] = field(default_factory=list)


def _decode_details_page(content: bytes) -> DecodedPage:
    try:
        return decode_page(content)
    except PageDecodeError as exc:
        raise ValueError(str(exc)) from exc


async def fetch_slice(
    session: GenesysSession,
    interval: Interval,
    filters: QueryFilters,
    on_page: Callable[[int, DecodedPage], None],
    *,
    progress: SliceProgress | None = None,
) -> SliceProgress:
    """Fetch every page of one interval, handing each decoded page to `on_page` as it arrives.

    Raises SliceTooLargeError when page 1 reports more than 100,000 results, and lets the
    session's errors through when a page stays out of reach; pages already handed over stay
    with the caller.
    """
    state = progress or SliceProgress()

    async def fetch_page(number: int) -> DecodedPage:
        page = await session.post_decoded(
            DETAILS_QUERY_PATH,
            query_body(interval, filters, number),
            _decode_details_page,
            permission=DETAILS_PERMISSION,
        )
        count = len(page.conversations) + len(page.malformed)
        logger.debug("Interval %s page %d: %d conversations", interval.to_api(), number, count)
        state.pages_done += 1
        state.conversations += count
        state.page_numbers.append(number)
        on_page(number, page)
        return page

    first = await fetch_page(1)
    total_hits = first.total_hits or 0
    state.total_hits = total_hits
    if total_hits > MAX_RESULTS:
        raise SliceTooLargeError(total_hits)
    last_number = max(1, math.ceil(total_hits / PAGE_SIZE))
    state.pages_total = last_number
    last_page = first
    if last_number > 1:
        tasks = [asyncio.create_task(fetch_page(n)) for n in range(2, last_number + 1)]
        try:
            pages = await asyncio.gather(*tasks)
        except BaseException:
            for task in tasks:
                task.cancel()
            await asyncio.gather(*tasks, return_exceptions=True)
            raise
        last_page = pages[-1]
    # totalHits is approximate: keep going while the last page came back full.
    number = last_number
    while _page_size(last_page) >= PAGE_SIZE:
        number += 1
        if number * PAGE_SIZE > MAX_RESULTS:
            raise SliceTooLargeError(number * PAGE_SIZE)
        state.pages_total = number
        last_page = await fetch_page(number)
    return state


def _page_size(page: DecodedPage) -> int:
    return len(page.conversations) + len(page.malformed)
