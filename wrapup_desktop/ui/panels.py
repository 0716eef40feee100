"""The calls the window makes on the results view and its model.

`ResultsView` keeps its `ResultsModel` in `model`; these helpers read the status filter, set
the time zone and save or restore the column layout in one place.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

from wrapup_desktop.domain.rows import WrapupStatus

if TYPE_CHECKING:
    from zoneinfo import ZoneInfo

    from wrapup_desktop.ui.results_view import ResultsView

logger = logging.getLogger(__name__)

COLUMN_LAYOUT_VERSION = b"columns-2:"
"""Prefix of a saved column layout. Layouts without it (the ID columns shown and Reason after
Code) are replaced by the current default once."""


def status_filter(results: ResultsView) -> frozenset[WrapupStatus] | None:
    """Return the statuses the chips show now; None when every status is shown."""
    statuses = results.model.status_filter
    return frozenset(statuses) if statuses is not None else None


def set_time_zone(results: ResultsView, tz: ZoneInfo) -> None:
    results.model.set_time_zone(tz)


def column_state(results: ResultsView) -> bytes | None:
    state = results.column_state()
    return COLUMN_LAYOUT_VERSION + bytes(state) if state else None


def restore_columns(results: ResultsView, state: bytes) -> None:
    if not state.startswith(COLUMN_LAYOUT_VERSION):
        logger.info("Saved column layout is from an older version; using the default")
        return
    state = state[len(COLUMN_LAYOUT_VERSION) :]
    try:
        restored = results.restore_column_state(state)
    except (ValueError, TypeError) as exc:
        restored = False
        logger.info("Saved column layout not restored: %s", exc)
    if not restored:
        logger.info("Saved column layout does not fit this version; using the default")
