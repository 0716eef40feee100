"""The queue, agent and code listings behind the range view's filter lists.

`load_directory` in the engine looks up only the ids a run refers to; the filter lists need
every queue and agent before the first run. The listings also give the queues' wrap-up prompts,
so rows classified while pages arrive already tell MISSING from NOT_REQUIRED.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING, Any

from wrapup_desktop.domain.directory import Directory
from wrapup_desktop.errors import WrapUpError

if TYPE_CHECKING:
    from wrapup_desktop.genesys import GenesysSession

logger = logging.getLogger(__name__)

PAGE_SIZE = 100
MAX_PAGES = 20
"""Pages read per listing: 2,000 queues or agents. NOTE: a bigger org shows the first 2,000 in
the filter lists; names of every id in a run still come from the engine's lookups."""

LISTINGS: tuple[tuple[str, str, dict[str, str], str], ...] = (
    ("wrapup_codes", "/api/v2/routing/wrapupcodes", {}, "routing:wrapupCode:view"),
    ("queues", "/api/v2/routing/queues", {}, "routing:queue:view"),
    ("users", "/api/v2/users", {"state": "active"}, "directory:user:view"),
)


async def list_entities(
    session: GenesysSession, path: str, extra: dict[str, str], permission: str
) -> list[dict[str, Any]]:
    """Read up to MAX_PAGES pages of a listing by page number."""
    entities: list[dict[str, Any]] = []
    for page_number in range(1, MAX_PAGES + 1):
        params = {"pageSize": str(PAGE_SIZE), "pageNumber": str(page_number), **extra}
        body = await session.get_json(path, params, permission=permission)
        items = body.get("entities") if isinstance(body, dict) else None
        if not isinstance(items, list) or not items:
            break
        entities.extend(item for item in items if isinstance(item, dict))
        page_count = body.get("pageCount")
        if isinstance(page_count, int) and page_number >= page_count:
            break
        if len(items) < PAGE_SIZE:
            break
    return entities


async def load_listings(session: GenesysSession) -> Directory:
    """Return a directory of every listed code, queue and agent; a failed listing stays empty."""
    from wrapup_desktop.domain.documents import directory_from_listings

    listings: dict[str, list[dict[str, Any]] | None] = {}
    for name, path, extra, permission in LISTINGS:
        try:
            listings[name] = await list_entities(session, path, extra, permission)
        except WrapUpError as exc:
            logger.warning("Listing %s failed: %s", path, exc.message)
            listings[name] = None
    return directory_from_listings(listings["wrapup_codes"], listings["queues"], listings["users"])
