"""Runs that cannot finish by themselves: hanging lookups, a hanging fetch, Cancel and closing.

A dead server keeps the engine retrying, so these tests stand in for it with a fetch or a name
lookup that never returns. What a person sees is checked: rows shown, Cancel ending the run
within about a second, the Get conversations button back, and no traceback on closing.
"""

from __future__ import annotations

import asyncio
import re
import sys
from collections.abc import Callable
from datetime import date
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from tests.ui.conftest import ONE_DAY, until
from wrapup_desktop.ui import controller as controller_module
from wrapup_desktop.ui.controller import RunSummary
from wrapup_desktop.ui.main_window import MainWindow

RUN_TIMEOUT_S = 60.0
CANCEL_LIMIT_S = 1.0


@pytest.fixture
def hanging_lookups(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """Make every name lookup hang, as against a server that stopped answering."""
    import wrapup_desktop.genesys

    started: list[int] = []

    async def never_answers(session: Any, conversations: Any, **kwargs: Any) -> Any:
        started.append(len(list(conversations)))
        await asyncio.Event().wait()

    monkeypatch.setattr(wrapup_desktop.genesys, "load_directory", never_answers)
    return started


async def _sign_in(window: MainWindow, qtbot: Any) -> None:
    qtbot.mouseClick(window.signin.demo_button, Qt.MouseButton.LeftButton)
    await until(lambda: window.controller.session is not None)
    await until(lambda: window.range_view.queues.list.count() > 0)


def _start(window: MainWindow, qtbot: Any, last_day: date = ONE_DAY) -> list[RunSummary]:
    summaries: list[RunSummary] = []
    window.controller.runFinished.connect(summaries.append)
    window.range_view.set_days(ONE_DAY, last_day)
    qtbot.mouseClick(window.range_view.get_button, Qt.MouseButton.LeftButton)
    return summaries


async def _cancel_within_limit(
    window: MainWindow, qtbot: Any, summaries: list[RunSummary]
) -> RunSummary:
    loop = asyncio.get_running_loop()
    pressed = loop.time()
    qtbot.mouseClick(window.progress.cancel_button, Qt.MouseButton.LeftButton)
    await until(lambda: summaries and window.range_view.get_button.isEnabled(), 5.0)
    assert loop.time() - pressed < CANCEL_LIMIT_S
    return summaries[0]


def _assert_cancelled_look(window: MainWindow, summary: RunSummary) -> None:
    progress = window.progress
    assert summary.cancelled
    assert progress.status.text().startswith("Cancelled. Fetched ")
    assert progress.bar.format() == "Cancelled"
    assert progress.cancel_button.text() == "&Cancel"
    assert not progress.cancel_button.isEnabled()
    assert window.range_view.get_button.isEnabled()
    assert not window.controller.running


async def test_rows_shown_while_lookups_hang(
    window: MainWindow,
    qtbot: Any,
    hanging_lookups: list[int],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(controller_module, "LOOKUP_WAIT_S", 0.2)
    await _sign_in(window, qtbot)
    summaries = _start(window, qtbot)
    await until(lambda: summaries, RUN_TIMEOUT_S)

    summary = summaries[0]
    assert hanging_lookups
    assert not summary.cancelled
    assert summary.rows == window.results.model.row_count_total() > 100
    assert summary.names_note
    assert summary.names_note in window.progress.status.text()
    assert window.progress.bar.format() == "Done"
    assert window.range_view.get_button.isEnabled()


async def test_cancel_during_lookups_keeps_rows(
    window: MainWindow, qtbot: Any, hanging_lookups: list[int]
) -> None:
    await _sign_in(window, qtbot)
    summaries = _start(window, qtbot)
    await until(lambda: window.progress.status.text().startswith("Looking up names"), 30.0)
    shown = window.results.model.row_count_total()
    assert shown > 100

    summary = await _cancel_within_limit(window, qtbot, summaries)

    _assert_cancelled_look(window, summary)
    assert summary.rows == shown == window.results.model.row_count_total()
    assert window.export_actions["csv"].isEnabled()


async def test_cancel_hanging_fetch_keeps_rows(
    window: MainWindow, qtbot: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    import wrapup_desktop.genesys

    real_fetch = wrapup_desktop.genesys.fetch_range

    async def first_page_then_hang(session: Any, report: Any, **kwargs: Any) -> Any:
        taken: list[Any] = []

        def keep_first(batch: list[Any]) -> None:
            if not taken:
                taken.append(batch)
                kwargs_on_conversations(batch)

        kwargs_on_conversations: Callable[[list[Any]], None] = kwargs["on_conversations"]
        kwargs["on_conversations"] = keep_first
        kwargs["cancel"] = None  # this fetch ignores Cancel, as one stuck in a request would
        await real_fetch(session, report, **kwargs)
        await asyncio.Event().wait()

    monkeypatch.setattr(wrapup_desktop.genesys, "fetch_range", first_page_then_hang)
    await _sign_in(window, qtbot)
    summaries = _start(window, qtbot)
    await until(lambda: window.results.model.row_count_total() > 0, RUN_TIMEOUT_S)

    summary = await _cancel_within_limit(window, qtbot, summaries)

    _assert_cancelled_look(window, summary)
    assert summary.rows == window.results.model.row_count_total() > 0
    assert summary.missing_text == controller_module.STOPPED_EARLY_TEXT
    assert window.progress.banner.isVisible()

    # Resume fetches the whole range again, as the missing parts are not known.
    monkeypatch.setattr(wrapup_desktop.genesys, "fetch_range", real_fetch)
    qtbot.mouseClick(window.progress.resume_button, Qt.MouseButton.LeftButton)
    await until(lambda: len(summaries) == 2, RUN_TIMEOUT_S)
    resumed = summaries[1]
    assert not resumed.cancelled
    assert not resumed.missing_text
    assert resumed.rows == window.results.model.row_count_total() > summary.rows


async def test_close_mid_run_no_traceback(
    window: MainWindow,
    qtbot: Any,
    hanging_lookups: list[int],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    hooked: list[BaseException] = []
    monkeypatch.setattr(sys, "excepthook", lambda kind, error, tb: hooked.append(error))
    await _sign_in(window, qtbot)
    _start(window, qtbot)
    await until(lambda: window.results.model.row_count_total() > 0, RUN_TIMEOUT_S)

    # In the app, closing the window ends the loop after `finish_run`; here the loop goes on.
    app = QApplication.instance()
    assert isinstance(app, QApplication)
    app.setQuitOnLastWindowClosed(False)
    try:
        window.close()
    finally:
        app.setQuitOnLastWindowClosed(True)
    await asyncio.wait_for(window.finish_run(), 3.0)
    await window.controller.sign_out(emit=False)
    await asyncio.sleep(0.05)

    assert not window.controller.running
    assert hooked == []


async def test_unexpected_run_error_shown_logged(
    window: MainWindow,
    qtbot: Any,
    monkeypatch: pytest.MonkeyPatch,
    caplog: pytest.LogCaptureFixture,
) -> None:
    from PySide6.QtWidgets import QMessageBox

    import wrapup_desktop.genesys

    async def broken_fetch(session: Any, report: Any, **kwargs: Any) -> Any:
        raise OSError("disk full while decoding a page")

    monkeypatch.setattr(wrapup_desktop.genesys, "fetch_range", broken_fetch)
    await _sign_in(window, qtbot)
    _start(window, qtbot)
    await until(lambda: window.findChildren(QMessageBox), 10.0)

    box = window.findChildren(QMessageBox)[0]
    assert "OSError: disk full while decoding a page" in box.text()
    assert "Help › Open log folder" in box.text()
    assert window.progress.status.text() == box.text()
    assert window.progress.bar.format() == "Stopped"
    assert window.range_view.get_button.isEnabled()
    assert not window.controller.running
    assert any(
        record.levelname == "ERROR" and record.exc_info is not None for record in caplog.records
    )
    box.close()


async def test_dead_server_run_ends_with_rows(
    window: MainWindow, qtbot: Any, fault_plan: Any
) -> None:
    await _sign_in(window, qtbot)

    def kill_server(rows: list[Any]) -> None:
        fault_plan.reset_rate = 1.0

    # Each request takes a little time, so the server dies while days are still being fetched.
    fault_plan.latency_s = 0.01
    window.controller.rowsAppended.connect(kill_server)
    summaries = _start(window, qtbot, ONE_DAY.replace(day=3))
    await until(lambda: summaries, RUN_TIMEOUT_S)
    window.controller.rowsAppended.disconnect(kill_server)

    summary = summaries[0]
    progress = window.progress
    assert not summary.cancelled
    assert summary.missing_text
    assert summary.rows == window.results.model.row_count_total() > 0
    assert progress.banner.isVisible()
    assert progress.bar.format() == "Done, with days missing"
    assert re.fullmatch(
        r"[\d,]+ retries after network or server errors\.", progress.wait_label.text()
    )
    assert window.range_view.get_button.isEnabled()


async def test_cancel_during_classification_keeps_rows(
    window: MainWindow, qtbot: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    import threading

    real_classify = controller_module.classify_without_gc
    started = threading.Event()
    release = threading.Event()

    def slow_classify(*args: Any) -> Any:
        started.set()
        release.wait(5.0)  # a whole run of 100,000 conversations takes seconds
        return real_classify(*args)

    monkeypatch.setattr(controller_module, "classify_without_gc", slow_classify)
    await _sign_in(window, qtbot)
    summaries = _start(window, qtbot)
    await until(started.is_set, RUN_TIMEOUT_S)
    shown = window.results.model.row_count_total()

    try:
        summary = await _cancel_within_limit(window, qtbot, summaries)
    finally:
        release.set()

    _assert_cancelled_look(window, summary)
    assert summary.rows == shown == window.results.model.row_count_total() > 100
