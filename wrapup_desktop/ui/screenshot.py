"""Screenshot mode: load a range from the demo org, show one view and save it as a PNG.

Used for the documentation and by tests; works offscreen and under a virtual X server. The
detail view opens the timeline of an interesting conversation: a transfer whose leg lacks a
code when there is one.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable, Sequence
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtWidgets import QApplication, QWidget

from wrapup_desktop.domain.rows import LegRow, WrapupStatus
from wrapup_desktop.errors import InputError

if TYPE_CHECKING:
    from wrapup_desktop.ui.main_window import MainWindow

logger = logging.getLogger(__name__)

WINDOW_SIZE = (1280, 800)
DETAIL_SIZE = (1100, 560)
SETTLE_S = 0.3
"""Time for layouts, chart animations and the first paint before the window is grabbed."""


def interesting_conversation(rows: Sequence[LegRow]) -> str | None:
    """Pick a conversation worth showing: a transfer with a missing code, else any transfer."""
    transfers = {row.conversation_id for row in rows if row.transfer_seq > 1}
    preferences: tuple[Callable[[LegRow], bool], ...] = (
        lambda r: r.conversation_id in transfers and r.wrapup_status is WrapupStatus.MISSING,
        lambda r: r.conversation_id in transfers,
        lambda r: r.wrapup_status is WrapupStatus.MISSING,
        lambda r: True,
    )
    for wanted in preferences:
        for row in rows:
            if wanted(row):
                return row.conversation_id
    return None


async def settle() -> None:
    """Let Qt lay out and paint what changed."""
    for _ in range(3):
        QApplication.processEvents()
        await asyncio.sleep(SETTLE_S / 3)


def save_grab(widget: QWidget, path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    if not widget.grab().save(str(path), "PNG"):
        raise InputError(f"Could not save the screenshot to {path}. Check that the folder exists.")
    logger.info("Saved a screenshot of %s to %s", widget.windowTitle() or "the window", path)


async def capture(
    window: MainWindow, view: str, path: Path, days: tuple[date, date] | None, zone: str | None
) -> int:
    """Drive the window to `view`, save it to `path` and return the exit status."""
    window.resize(*WINDOW_SIZE)
    window.show()
    if zone:
        window.range_view.set_zone(zone)
    if days is not None:
        window.range_view.set_days(*days)
    await settle()
    if view == "signin":
        save_grab(window, path)
        return 0

    await window.signin.sign_in_demo()
    await window.load_filter_choices()
    if view == "range":
        await settle()
        save_grab(window, path)
        return 0

    summary = await window.get_conversations(window.range_view.report_range())
    if summary is None:
        logger.error("The demo run failed; no screenshot was saved")
        return 1

    if view == "summary":
        window.show_summary()
        await settle()
        save_grab(window, path)
        return 0

    if view == "detail":
        conversation_id = interesting_conversation(window.controller.rows)
        if conversation_id is None:
            logger.error("The range has no conversations to show in the detail view")
            return 1
        dialog = await window.open_detail(conversation_id)
        if dialog is None:
            return 1
        dialog.resize(*DETAIL_SIZE)
        await settle()
        save_grab(dialog, path)
        dialog.close()
        return 0

    window.show_results()
    await settle()
    save_grab(window, path)
    return 0
