"""Whole flows in the window against the demo org: fetch, waits, cancel, files, tools, errors."""

from __future__ import annotations

import csv
import json
import re
from pathlib import Path
from typing import Any

from PySide6.QtCore import QObject, Qt
from PySide6.QtWidgets import QDialogButtonBox, QToolButton

from tests.ui.conftest import ONE_DAY, until
from wrapup_desktop.domain.rows import WrapupStatus
from wrapup_desktop.errors import InputError
from wrapup_desktop.export import CSV_COLUMNS
from wrapup_desktop.ui import status_style
from wrapup_desktop.ui.controller import RunSummary
from wrapup_desktop.ui.errors_dialog import ExceptionHook
from wrapup_desktop.ui.export_dialog import ExportDialog
from wrapup_desktop.ui.main_window import MainWindow
from wrapup_desktop.ui.tasks import async_slot

RUN_TIMEOUT_S = 60.0


async def _sign_in(window: MainWindow, qtbot: Any) -> None:
    qtbot.mouseClick(window.signin.demo_button, Qt.MouseButton.LeftButton)
    await until(lambda: window.controller.session is not None)
    await until(lambda: window.range_view.queues.list.count() > 0)


def _finished(window: MainWindow) -> list[RunSummary]:
    summaries: list[RunSummary] = []
    window.controller.runFinished.connect(summaries.append)
    return summaries


async def _fetch_one_day(window: MainWindow, qtbot: Any) -> RunSummary:
    summaries = _finished(window)
    window.range_view.set_days(ONE_DAY, ONE_DAY)
    qtbot.mouseClick(window.range_view.get_button, Qt.MouseButton.LeftButton)
    await until(lambda: summaries, RUN_TIMEOUT_S)
    return summaries[0]


def _chip(window: MainWindow, status: WrapupStatus) -> QToolButton:
    label = status_style.marked_label(status)
    for button in window.results.findChildren(QToolButton):
        if button.text().startswith(label):
            return button
    raise AssertionError(f"no chip for {status}")


async def test_fetch_rows_arrive_and_chips_count(window: MainWindow, qtbot: Any) -> None:
    await _sign_in(window, qtbot)
    batches: list[int] = []
    window.controller.rowsAppended.connect(lambda rows: batches.append(len(rows)))
    summary = await _fetch_one_day(window, qtbot)

    model = window.results.model
    assert len(batches) > 1
    assert summary.rows == model.row_count_total() == len(window.controller.rows)
    assert summary.rows > 100
    counts = model.status_counts()
    assert sum(counts.values()) == summary.rows
    missing = counts[WrapupStatus.MISSING]
    assert _chip(window, WrapupStatus.MISSING).text().endswith(f"{missing:,}")
    assert window.progress.status.text().startswith(f"Fetched {summary.conversations:,}")
    assert window.export_actions["csv"].isEnabled()


async def test_fetch_rate_limit_wait_shown(
    window: MainWindow, qtbot: Any, fault_plan: Any, waits: list[float]
) -> None:
    await _sign_in(window, qtbot)
    fault_plan.retry_after_s = 2
    fault_plan.throttle_next = 3
    shown: list[str] = []
    window.controller.progress.connect(lambda _: shown.append(window.progress.wait_label.text()))
    summary = await _fetch_one_day(window, qtbot)

    assert any(2.0 <= wait < 3.0 for wait in waits)
    wait_lines = [line for line in shown if re.match(r"Waiting 2\.\d s: ", line)]
    assert wait_lines
    assert "429" in wait_lines[0]
    assert window.progress.wait_count >= 1
    assert window.progress.wait_label.isVisible()
    assert not summary.missing_text


async def test_cancel_keeps_rows_then_resume(
    window: MainWindow, qtbot: Any, fault_plan: Any
) -> None:
    await _sign_in(window, qtbot)
    # Each request takes a little time, so the cancel lands while pages are in flight.
    fault_plan.latency_s = 0.01
    summaries = _finished(window)

    def cancel_once(rows: list[Any]) -> None:
        if window.progress.cancel_button.isEnabled():
            qtbot.mouseClick(window.progress.cancel_button, Qt.MouseButton.LeftButton)

    window.controller.rowsAppended.connect(cancel_once)
    window.range_view.set_days(ONE_DAY, ONE_DAY.replace(day=2))
    qtbot.mouseClick(window.range_view.get_button, Qt.MouseButton.LeftButton)
    await until(lambda: summaries, RUN_TIMEOUT_S)
    window.controller.rowsAppended.disconnect(cancel_once)

    cancelled = summaries[0]
    assert cancelled.cancelled
    assert cancelled.rows > 0
    assert window.results.model.row_count_total() == cancelled.rows
    assert window.progress.banner.isVisible()
    assert window.progress.banner_label.text() == cancelled.missing_text
    assert window.progress.status.text().startswith("Cancelled.")

    qtbot.mouseClick(window.progress.resume_button, Qt.MouseButton.LeftButton)
    await until(lambda: len(summaries) == 2, RUN_TIMEOUT_S)
    resumed = summaries[1]
    assert not resumed.cancelled
    assert not resumed.missing_text
    assert resumed.conversations > cancelled.conversations
    assert window.controller.last_result is not None
    assert window.controller.last_result.complete
    assert not window.progress.banner.isVisible()
    assert window.results.model.row_count_total() == resumed.rows


async def test_open_saved_responses_offline(
    window: MainWindow, qtbot: Any, tmp_path: Path
) -> None:
    await _sign_in(window, qtbot)
    assert window.controller.session is not None
    page = await window.controller.session.post_json(
        "/api/v2/analytics/conversations/details/query",
        {
            "interval": "2026-12-01T08:00:00.000Z/2026-12-01T10:00:00.000Z",
            "paging": {"pageSize": 100, "pageNumber": 1},
        },
    )
    saved = tmp_path / "page.json"
    saved.write_text(json.dumps(page), encoding="utf-8")

    summary = await window.open_saved_paths([saved])

    assert summary is not None
    assert summary.source == "file"
    assert summary.conversations == len(page["conversations"])
    assert window.results.model.row_count_total() == summary.rows > 0
    assert window.progress.status.text().startswith(f"Opened {summary.conversations:,}")


async def test_open_saved_bad_file_explained(
    window: MainWindow, qtbot: Any, tmp_path: Path
) -> None:
    saved = tmp_path / "notes.json"
    saved.write_text('{"hello": "world"}', encoding="utf-8")

    summary = await window.open_saved_paths([saved])

    assert summary is None
    assert "notes.json" in window.progress.status.text()


async def test_export_csv_matches_rows(window: MainWindow, qtbot: Any, tmp_path: Path) -> None:
    await _sign_in(window, qtbot)
    await _fetch_one_day(window, qtbot)
    target = tmp_path / "report.csv"

    task = window.export("csv")
    await until(lambda: window.findChildren(ExportDialog))
    dialog = window.findChildren(ExportDialog)[0]
    dialog.path_edit.setText(str(target))
    qtbot.mouseClick(
        dialog.buttons.button(QDialogButtonBox.StandardButton.Save), Qt.MouseButton.LeftButton
    )
    assert await task == target

    with target.open(encoding="utf-8-sig", newline="") as handle:
        table = list(csv.reader(handle))
    rows = window.controller.rows
    assert table[0] == list(CSV_COLUMNS)
    assert len(table) - 1 == len(rows)
    assert {line[0] for line in table[1:]} == {row.conversation_id for row in rows}
    assert window.settings.recent_files[0] == str(target)


async def test_export_keeps_chip_filter(window: MainWindow, qtbot: Any, tmp_path: Path) -> None:
    await _sign_in(window, qtbot)
    await _fetch_one_day(window, qtbot)
    qtbot.mouseClick(_chip(window, WrapupStatus.MISSING), Qt.MouseButton.LeftButton)
    target = tmp_path / "missing.csv"

    task = window.export("csv")
    await until(lambda: window.findChildren(ExportDialog))
    dialog = window.findChildren(ExportDialog)[0]
    assert dialog.only_shown.isChecked()
    dialog.path_edit.setText(str(target))
    dialog.buttons.button(QDialogButtonBox.StandardButton.Save).click()
    await task

    with target.open(encoding="utf-8-sig", newline="") as handle:
        table = list(csv.DictReader(handle))
    expected = window.results.model.status_counts()[WrapupStatus.MISSING]
    assert len(table) == expected > 0
    assert {line["wrapup_status"] for line in table} == {"MISSING"}


async def test_detail_opens_on_activation(window: MainWindow, qtbot: Any) -> None:
    await _sign_in(window, qtbot)
    await _fetch_one_day(window, qtbot)
    conversation_id = window.controller.rows[0].conversation_id

    task = window.open_detail(conversation_id)
    dialog = await task

    assert dialog is not None
    assert dialog.isVisible()
    assert window.controller.rows_of(conversation_id)
    raw = await window.controller.raw_json(conversation_id)
    assert conversation_id in raw
    dialog.close()


def test_lint_dialog_shows_issues(window: MainWindow, qtbot: Any) -> None:
    window.lint_action.trigger()
    dialog = window.lint_dialog
    body = {
        "interval": "2026-12-01T00:00:00Z\\2026-12-02T00:00:00Z",
        "paging": {"pageSize": 5000, "pageNumber": 1},
    }
    dialog.source.setPlainText(json.dumps(body))
    dialog.check()

    issues = [dialog.issues.item(i).text() for i in range(dialog.issues.count())]
    assert dialog.verdict.text() == "2 problems found."
    assert any(line.startswith("• paging.pageSize: is at most 100") for line in issues)
    corrected = json.loads(dialog.corrected.toPlainText())
    assert corrected["paging"]["pageSize"] == 100
    assert corrected["interval"] == "2026-12-01T00:00:00Z/2026-12-02T00:00:00Z"
    assert dialog.copy_button.isEnabled()


def test_lint_dialog_invalid_json(window: MainWindow, qtbot: Any) -> None:
    dialog = window.show_lint_dialog()
    qtbot.keyClicks(dialog.source, '{"interval": ')
    qtbot.waitUntil(lambda: dialog.verdict.text().startswith("This is not valid JSON"))
    assert dialog.issues.count() == 0


async def test_exception_hook_shows_dialog(window: MainWindow, qtbot: Any) -> None:
    hook = ExceptionHook(lambda: window, "/tmp/logs")
    hook.install()

    class Broken(QObject):
        @async_slot()
        async def run(self) -> None:
            raise RuntimeError("boom in a slot")

    try:
        Broken().run()
        await until(lambda: hook.dialogs)
    finally:
        hook.uninstall()
    box = hook.dialogs[0]
    assert box.isVisible()
    assert "RuntimeError: boom in a slot" in box.text()
    assert "Help › Open log folder" in box.text()
    assert "/tmp/logs" in box.detailedText()
    assert window.isVisible()
    box.close()


async def test_exception_hook_wrapup_error_message(window: MainWindow, qtbot: Any) -> None:
    hook = ExceptionHook(lambda: window)
    hook.install()

    class Rejected(QObject):
        @async_slot()
        async def run(self) -> None:
            raise InputError(
                "The file x.json is empty. Choose a saved response.", details="0 bytes"
            )

    try:
        Rejected().run()
        await until(lambda: hook.dialogs)
    finally:
        hook.uninstall()
    box = hook.dialogs[0]
    assert box.text() == "The file x.json is empty. Choose a saved response."
    assert box.detailedText() == "0 bytes"
    box.close()


async def test_run_without_signin_explained(window: MainWindow, qtbot: Any) -> None:
    summary = await window.get_conversations(window.range_view.report_range())
    assert summary is None
    assert window.progress.status.text().startswith("You are not signed in.")


def test_log_view_shows_records(qtbot: Any, controller: Any, settings: Any) -> None:
    import logging

    from wrapup_desktop.ui.log_view import QtLogHandler

    handler = QtLogHandler()
    window = MainWindow(controller, settings, log_handler=handler)
    qtbot.addWidget(window)
    logger = logging.getLogger("wrapup_desktop.test")
    logger.addHandler(handler)
    logger.setLevel(logging.INFO)
    try:
        logger.info("first line %d", 1)
        view = window.show_log()
        assert view is not None
        logger.warning("second line")
    finally:
        logger.removeHandler(handler)
    text = view.text.toPlainText()
    assert "first line 1" in text
    assert "WARNING" in text
    assert "second line" in text
    view.close()


async def test_summary_bar_filters_results(window: MainWindow, qtbot: Any) -> None:
    await _sign_in(window, qtbot)
    await _fetch_one_day(window, qtbot)
    window.show_summary()
    row = next(r for r in window.controller.rows if r.queue_id)
    expected = sum(
        1
        for r in window.controller.rows
        if r.queue_id == row.queue_id and r.wrapup_status is row.wrapup_status
    )

    window.summary.filterRequested.emit("queue", row.queue_id, row.wrapup_status)

    assert window.tabs.currentIndex() == 0
    assert window.results.model.visible_count() == expected


async def test_export_xlsx_has_summary(window: MainWindow, qtbot: Any, tmp_path: Path) -> None:
    import openpyxl

    await _sign_in(window, qtbot)
    await _fetch_one_day(window, qtbot)
    target = tmp_path / "report.xlsx"

    task = window.export("xlsx")
    await until(lambda: window.findChildren(ExportDialog))
    dialog = window.findChildren(ExportDialog)[0]
    dialog.path_edit.setText(str(target))
    dialog.notes.setChecked(True)
    dialog.buttons.button(QDialogButtonBox.StandardButton.Save).click()
    assert await task == target

    workbook = openpyxl.load_workbook(target, read_only=True)
    assert len(workbook.sheetnames) > 1
    rows_sheet = workbook[workbook.sheetnames[0]]
    header = [cell.value for cell in next(rows_sheet.iter_rows(max_row=1))]
    assert header[: len(CSV_COLUMNS)] == list(CSV_COLUMNS)
    assert "wrapup_note" in header
    workbook.close()


def _event(kind: str, message: str = "", wait_s: float = 0.0, reason: str = "") -> Any:
    from wrapup_desktop.genesys import ProgressEvent

    return ProgressEvent(kind, message, 1, 4, 3, None, 1200, wait_s=wait_s, wait_reason=reason)


def test_progress_counts_only_rate_limits(qtbot: Any) -> None:
    from wrapup_desktop.ui.progress_panel import ProgressPanel

    now = [100.0]
    panel = ProgressPanel(clock=lambda: now[0])
    qtbot.addWidget(panel)
    panel.start()
    # Two 429 waits side by side: 5 s and 4 s starting 2 s apart take 6 s of wall-clock time.
    panel.update_event(_event("wait", wait_s=5.0, reason="Genesys rate limit (HTTP 429)"))
    now[0] += 2.0
    panel.update_event(_event("wait", wait_s=4.0, reason="Genesys rate limit (HTTP 429)"))
    for attempt in (1, 2, 3):
        reason = f"Network error (ConnectError), retry {attempt} of 7"
        panel.update_event(_event("wait", wait_s=30.0, reason=reason))
    panel.update_event(_event("wait", wait_s=2.0, reason="Analytics job j-1 is RUNNING"))
    panel.update_event(_event("page", "Fetched page 3"))

    assert panel.wait_label.text() == (
        "Genesys asked to slow down 2 times (0:06 of waiting). "
        "3 retries after network or server errors."
    )
    assert panel.counts.text() == "Pages: 3   Conversations: 1,200"


def test_progress_says_one_time(qtbot: Any) -> None:
    from wrapup_desktop.ui.progress_panel import ProgressPanel

    panel = ProgressPanel(clock=lambda: 0.0)
    qtbot.addWidget(panel)
    panel.start()
    panel.update_event(_event("wait", wait_s=1.0, reason="Genesys rate limit (HTTP 429)"))
    panel.update_event(_event("wait", wait_s=0.5, reason="HTTP 503 from Genesys, retry 1 of 7"))
    panel.update_event(_event("page", "Fetched page 3"))

    assert panel.wait_label.text() == (
        "Genesys asked to slow down 1 time (0:01 of waiting). "
        "1 retry after network or server errors."
    )


async def test_progress_after_cancel_screenshot(
    window: MainWindow, qtbot: Any, fault_plan: Any, tmp_path: Path
) -> None:
    await _sign_in(window, qtbot)
    fault_plan.latency_s = 0.01
    summaries = _finished(window)
    window.range_view.set_days(ONE_DAY, ONE_DAY.replace(day=2))
    qtbot.mouseClick(window.range_view.get_button, Qt.MouseButton.LeftButton)
    await until(lambda: window.results.model.row_count_total() > 0, RUN_TIMEOUT_S)
    qtbot.mouseClick(window.progress.cancel_button, Qt.MouseButton.LeftButton)
    await until(lambda: summaries, RUN_TIMEOUT_S)

    progress = window.progress
    assert progress.bar.format() == "Cancelled"
    assert progress.cancel_button.text() == "&Cancel"
    assert window.range_view.get_button.isEnabled()
    assert progress.grab().save(str(tmp_path / "progress-cancelled.png"))
