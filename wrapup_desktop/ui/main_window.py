"""The main window: sign-in page, then range, progress, results and summary side by side.

The window wires the views to the `Controller`: the range view starts a run, the controller's
signals fill the results table as pages arrive, and the summary and diagnosis follow the final
rows. Menus hold the file commands (open saved responses, exports, recent exports), the log,
the query checker and the log folder.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QByteArray, Qt, Signal
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QLabel,
    QMainWindow,
    QMenu,
    QStackedWidget,
    QWidget,
)

from wrapup_desktop.errors import WrapUpError
from wrapup_desktop.ui.controller import Controller, RunSummary
from wrapup_desktop.ui.credentials_store import CredentialStore
from wrapup_desktop.ui.icons import SP, standard_icon
from wrapup_desktop.ui.settings import AppSettings
from wrapup_desktop.ui.signin_view import SignInView
from wrapup_desktop.ui.tasks import async_slot

if TYPE_CHECKING:
    import asyncio
    from zoneinfo import ZoneInfo

    from PySide6.QtGui import QCloseEvent
    from PySide6.QtWidgets import QTabWidget

    from wrapup_desktop.domain.rows import LegRow
    from wrapup_desktop.genesys import ReportRange
    from wrapup_desktop.ui.diagnosis_view import DiagnosisView
    from wrapup_desktop.ui.log_view import QtLogHandler
    from wrapup_desktop.ui.progress_panel import ProgressPanel
    from wrapup_desktop.ui.range_view import RangeView
    from wrapup_desktop.ui.results_view import ResultsView
    from wrapup_desktop.ui.summary_view import SummaryView
    from wrapup_desktop.ui.workspace import Workspace

logger = logging.getLogger(__name__)

WINDOW_TITLE = "WrapUp Desktop"
SIGNIN_PAGE = 0
RESULTS_TAB = 0
SUMMARY_TAB = 1
"""Tab positions in the workspace, which adds Results first and Summary second."""
CLOSE_WAIT_S = 2.0
"""How long closing the window waits for a cancelled run to end before stopping it."""
NOTICE_MS = 30_000
"""How long a notice from the sign-in page stays in the status bar."""


class MainWindow(QMainWindow):
    """The one window of the application."""

    closed = Signal()
    """Emitted once the window has closed; the app then stops its event loop."""

    def __init__(
        self,
        controller: Controller,
        settings: AppSettings,
        *,
        store: CredentialStore | None = None,
        log_handler: QtLogHandler | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.controller = controller
        self.settings = settings
        self._log_handler = log_handler
        self._summary_stale = False
        self._closing = False
        self._run_task: asyncio.Task[object] | None = None
        self.setWindowTitle(WINDOW_TITLE)
        self.resize(1280, 800)

        self.signin = SignInView(controller, settings, store, self)
        self._workspace: Workspace | None = None
        self.pages = QStackedWidget(self)
        self.pages.addWidget(self.signin)
        self.setCentralWidget(self.pages)
        self.org_label = QLabel("Not signed in", self)
        self.org_label.setAccessibleName("Signed-in org")
        self.statusBar().addPermanentWidget(self.org_label)

        self._build_menus()
        self._connect()

    # Construction ----------------------------------------------------------------------------

    def _build_menus(self) -> None:
        bar = self.menuBar()
        file_menu = bar.addMenu("&File")
        self.open_action = QAction(
            standard_icon(SP.SP_DialogOpenButton), "&Open saved API responses…", self
        )
        self.open_action.setShortcut(QKeySequence.StandardKey.Open)
        file_menu.addAction(self.open_action)
        file_menu.addSeparator()
        self.export_actions: dict[str, QAction] = {}
        for fmt, text, shortcut in (
            ("csv", "Export &CSV…", "Ctrl+E"),
            ("xlsx", "Export &XLSX…", "Ctrl+Shift+E"),
            ("jsonl", "Export &JSON Lines…", ""),
        ):
            action = QAction(standard_icon(SP.SP_DialogSaveButton), text, self)
            if shortcut:
                action.setShortcut(QKeySequence(shortcut))
            action.setEnabled(False)
            action.triggered.connect(lambda _=False, f=fmt: self.export(f))
            file_menu.addAction(action)
            self.export_actions[fmt] = action
        self.recent_menu = QMenu("&Recent exports", self)
        file_menu.addMenu(self.recent_menu)
        file_menu.addSeparator()
        self.sign_out_action = QAction("Sign &out", self)
        self.sign_out_action.setEnabled(False)
        file_menu.addAction(self.sign_out_action)
        quit_action = QAction("&Quit", self)
        quit_action.setShortcut(QKeySequence.StandardKey.Quit)
        quit_action.triggered.connect(self.close)
        file_menu.addAction(quit_action)

        view_menu = bar.addMenu("&View")
        self.show_signin_action = QAction("&Sign-in page", self)
        self.show_signin_action.triggered.connect(self.show_signin)
        view_menu.addAction(self.show_signin_action)
        self.show_results_action = QAction("&Results", self)
        self.show_results_action.triggered.connect(self.show_results)
        view_menu.addAction(self.show_results_action)
        self.show_summary_action = QAction("S&ummary", self)
        self.show_summary_action.triggered.connect(self.show_summary)
        view_menu.addAction(self.show_summary_action)
        view_menu.addSeparator()
        self.log_action = QAction("&Log", self)
        self.log_action.setShortcut(QKeySequence("Ctrl+L"))
        self.log_action.triggered.connect(self.show_log)
        view_menu.addAction(self.log_action)

        tools_menu = bar.addMenu("&Tools")
        self.lint_action = QAction("&Check a query…", self)
        self.lint_action.triggered.connect(self.show_lint_dialog)
        tools_menu.addAction(self.lint_action)

        help_menu = bar.addMenu("&Help")
        self.log_folder_action = QAction("Open &log folder", self)
        self.log_folder_action.triggered.connect(self.open_log_folder)
        help_menu.addAction(self.log_folder_action)
        about = QAction("&About WrapUp Desktop", self)
        about.triggered.connect(self.show_about)
        help_menu.addAction(about)
        self._refresh_recent_menu()

    def _connect(self) -> None:
        self.signin.signedIn.connect(self._signed_in)
        self.signin.notice.connect(self.show_notice)
        self.open_action.triggered.connect(self.open_saved)
        self.sign_out_action.triggered.connect(self.sign_out)
        geometry = self.settings.window_geometry
        if geometry:
            self.restoreGeometry(QByteArray(geometry))

    def workspace(self) -> Workspace:
        """Return the work page, building it and wiring it to the controller on first use."""
        if self._workspace is not None:
            return self._workspace
        # Imported here: the results table, charts and zone list are not needed to sign in.
        from wrapup_desktop.ui import panels
        from wrapup_desktop.ui.workspace import Workspace

        work = Workspace(self.controller, self.settings.time_zone or None, self)
        self._workspace = work
        self.pages.addWidget(work)
        c = self.controller
        work.range_view.runRequested.connect(self.get_conversations)
        work.progress.cancelRequested.connect(c.cancel)
        work.progress.resumeRequested.connect(self.resume)
        c.progress.connect(work.progress.update_event)
        c.rowsAppended.connect(work.results.append_rows)
        c.rowsReplaced.connect(self._rows_replaced)
        c.findingsReady.connect(work.diagnosis.set_findings)
        c.directoryReady.connect(work.range_view.set_directory)
        if c.listing.queues or c.listing.users:
            work.range_view.set_directory(c.listing)
        work.tabs.currentChanged.connect(self._tab_changed)
        work.results.conversationActivated.connect(self.open_detail)
        work.diagnosis.conversationActivated.connect(self.open_detail)
        work.summary.filterRequested.connect(self._summary_filter)
        columns = self.settings.column_state
        if columns:
            panels.restore_columns(work.results, columns)
        return work

    @property
    def range_view(self) -> RangeView:
        return self.workspace().range_view

    @property
    def progress(self) -> ProgressPanel:
        return self.workspace().progress

    @property
    def results(self) -> ResultsView:
        return self.workspace().results

    @property
    def summary(self) -> SummaryView:
        return self.workspace().summary

    @property
    def diagnosis(self) -> DiagnosisView:
        return self.workspace().diagnosis

    @property
    def tabs(self) -> QTabWidget:
        return self.workspace().tabs

    # Pages -----------------------------------------------------------------------------------

    def show_signin(self) -> None:
        self.pages.setCurrentIndex(SIGNIN_PAGE)

    def show_work(self) -> None:
        self.pages.setCurrentWidget(self.workspace())

    def show_results(self) -> None:
        self.show_work()
        self.tabs.setCurrentIndex(RESULTS_TAB)

    def show_summary(self) -> None:
        self.show_work()
        self.tabs.setCurrentIndex(SUMMARY_TAB)

    def _signed_in(self, org_name: str) -> None:
        self.org_label.setText(f"Signed in to {org_name}")
        self.sign_out_action.setEnabled(True)
        self.show_work()
        self.range_view.get_button.setFocus()
        self.load_filter_choices()

    def show_notice(self, text: str) -> None:
        """Show a sentence in the status bar for a while; it also goes to the log."""
        logger.info("Notice: %s", text)
        self.statusBar().showMessage(text, NOTICE_MS)

    @async_slot()
    async def load_filter_choices(self) -> None:
        try:
            await self.controller.load_filter_choices()
        except WrapUpError as exc:
            logger.warning("Filter lists not loaded: %s", exc.message)
            if not self._closing and self.controller.session is not None:
                from wrapup_desktop.ui.errors_dialog import show_error

                show_error(exc, self)

    @async_slot()
    async def sign_out(self) -> None:
        await self.controller.sign_out()
        self.statusBar().clearMessage()
        self.signin.clear_message()
        self.org_label.setText("Not signed in")
        self.sign_out_action.setEnabled(False)
        self.show_signin()

    # Runs ------------------------------------------------------------------------------------

    @async_slot(object)
    async def get_conversations(self, report: ReportRange) -> RunSummary | None:
        self.settings.time_zone = report.tz.key
        from wrapup_desktop.ui import panels

        panels.set_time_zone(self.results, report.tz)
        self.results_clear()
        return await self._run(self.controller.run(report))

    @async_slot()
    async def resume(self) -> RunSummary | None:
        return await self._run(self.controller.resume())

    @async_slot()
    async def open_saved(self) -> RunSummary | None:
        from PySide6.QtWidgets import QFileDialog

        names, _ = QFileDialog.getOpenFileNames(
            self, "Open saved API responses", "", "JSON files (*.json);;All files (*)"
        )
        if not names:
            return None
        return await self.open_saved_paths([Path(name) for name in names])

    async def open_saved_paths(self, paths: list[Path]) -> RunSummary | None:
        """Classify saved responses offline and show them."""
        self.results_clear()
        self.show_work()
        return await self._run(self.controller.open_saved(paths))

    async def _run(self, work: object) -> RunSummary | None:
        import asyncio

        assert asyncio.iscoroutine(work)
        self._run_task = asyncio.current_task()
        self.range_view.set_busy(True)
        self.progress.start()
        self.show_results()
        try:
            summary: RunSummary = await work
        except Exception as exc:  # every failure is logged and shown, never lost
            self._run_failed(exc)
            return None
        finally:
            self._run_task = None
            if not self._closing:
                self.range_view.set_busy(False)
        if self._closing:
            return None
        self.progress.finish(summary)
        self._set_export_enabled(bool(self.controller.rows))
        return summary

    def _run_failed(self, error: Exception) -> None:
        from wrapup_desktop.ui.errors_dialog import error_text, show_error

        if isinstance(error, WrapUpError):
            logger.error("Run failed: %s", error.message)
        else:
            logger.error("Run failed unexpectedly", exc_info=error)
        if self._closing:
            return
        self.progress.fail(error_text(error)[0])
        self._set_export_enabled(bool(self.controller.rows))
        show_error(error, self)

    def results_clear(self) -> None:
        self.results.clear()
        self._set_export_enabled(False)

    def _rows_replaced(self, rows: list[LegRow]) -> None:
        self.results.set_rows(rows)
        self._summary_stale = True
        if self.tabs.currentIndex() == SUMMARY_TAB:
            self._refresh_summary()

    def _tab_changed(self, index: int) -> None:
        if index == SUMMARY_TAB and self._summary_stale:
            self._refresh_summary()

    def _refresh_summary(self) -> None:
        """Summarise the rows; done only when the Summary tab is shown, as it reads every row."""
        self._summary_stale = False
        self.summary.set_rows(self.controller.rows, self.report_zone())

    def _summary_filter(self, dimension: str, key: str, status: object) -> None:
        from wrapup_desktop.domain.rows import WrapupStatus

        chosen = status if isinstance(status, WrapupStatus) else None
        self.results.apply_filter(dimension, key, chosen)
        self.tabs.setCurrentIndex(RESULTS_TAB)

    def report_zone(self) -> ZoneInfo:
        report = self.controller.report
        if report is not None:
            return report.tz
        from zoneinfo import ZoneInfo

        return ZoneInfo(self.range_view.zone or "UTC")

    # Detail ----------------------------------------------------------------------------------

    @async_slot(str)
    async def open_detail(self, conversation_id: str) -> QWidget | None:
        """Open the detail dialog; its Raw JSON tab fetches the conversation when online."""
        from wrapup_desktop.domain.model import Conversation
        from wrapup_desktop.ui.detail_dialog import DetailDialog

        controller = self.controller
        conversation = controller.conversations.get(conversation_id)
        rows = controller.rows_of(conversation_id)
        if conversation is None and not rows:
            return None
        if conversation is None:
            # A malformed conversation has rows but no decoded structure.
            conversation = Conversation(conversation_id=conversation_id)

        def fetch() -> Awaitable[str]:
            return controller.fetch_details_json(conversation_id)

        dialog = DetailDialog(
            conversation, rows, self.report_zone(), fetch if controller.online else None, self
        )
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.open()
        self.detail_dialog = dialog
        return dialog

    # Files -----------------------------------------------------------------------------------

    def _set_export_enabled(self, enabled: bool) -> None:
        for action in self.export_actions.values():
            action.setEnabled(enabled)

    @async_slot(str)
    async def export(self, fmt: str) -> Path | None:
        from wrapup_desktop.ui import panels
        from wrapup_desktop.ui.export_dialog import ExportDialog

        dialog = ExportDialog(
            fmt,
            rows=self.controller.rows,
            tz=self.report_zone(),
            current_statuses=panels.status_filter(self.results),
            folder=self._last_export_folder(),
            parent=self,
            model=self.results.model,
        )
        path = await dialog.run()
        if path is not None:
            self.settings.add_recent_file(str(path))
            self._refresh_recent_menu()
            self.statusBar().showMessage(f"Exported to {path}", 10_000)
        return path

    def _last_export_folder(self) -> str:
        recent = self.settings.recent_files
        return str(Path(recent[0]).parent) if recent else str(Path.home())

    def _refresh_recent_menu(self) -> None:
        self.recent_menu.clear()
        recent = self.settings.recent_files
        for name in recent:
            action = self.recent_menu.addAction(name)
            action.triggered.connect(lambda _=False, n=name: _open_local(n))
        if not recent:
            empty = self.recent_menu.addAction("No exports yet")
            empty.setEnabled(False)
        else:
            self.recent_menu.addSeparator()
            clear = self.recent_menu.addAction("Clear the list")
            clear.triggered.connect(self._clear_recent)

    def _clear_recent(self) -> None:
        self.settings.clear_recent_files()
        self._refresh_recent_menu()

    # Tools and help --------------------------------------------------------------------------

    def show_log(self) -> QWidget | None:
        if self._log_handler is None:
            return None
        from wrapup_desktop.ui.log_view import LogView

        view = LogView(self._log_handler, self)
        view.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        view.show()
        return view

    def show_lint_dialog(self) -> QWidget:
        from wrapup_desktop.ui.lint_dialog import LintDialog

        dialog = LintDialog(self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.show()
        self.lint_dialog = dialog
        return dialog

    def open_log_folder(self) -> None:
        from wrapup_desktop.logsetup import default_log_dir, log_file_path

        path = log_file_path()
        folder = path.parent if path is not None else default_log_dir()
        _open_local(str(folder))

    def show_about(self) -> None:
        from PySide6.QtWidgets import QMessageBox

        from wrapup_desktop import __version__

        QMessageBox.about(
            self,
            "About WrapUp Desktop",
            f"<b>WrapUp Desktop {__version__}</b><p>Every conversation your agents handled, "
            "with its wrap-up code classified and explained.</p>",
        )

    # Shutdown --------------------------------------------------------------------------------

    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802 - Qt override
        # A run still going must not reach the views once they are gone: its signals are
        # blocked here, and `finish_run` ends its task before the loop stops.
        self._closing = True
        self.controller.cancel()
        self.controller.blockSignals(True)
        self.settings.window_geometry = bytes(self.saveGeometry().data())
        if self._workspace is not None:
            from wrapup_desktop.ui import panels

            state = panels.column_state(self._workspace.results)
            if state:
                self.settings.column_state = state
        self.settings.sync()
        super().closeEvent(event)
        self.closed.emit()

    async def finish_run(self, timeout_s: float = CLOSE_WAIT_S) -> None:
        """After the window closed, give a cancelled run `timeout_s` to end, then stop it."""
        import asyncio

        task = self._run_task
        if task is None or task.done():
            return
        self.controller.cancel()
        await asyncio.wait({task}, timeout=timeout_s)
        if not task.done():
            logger.info("The run did not end within %.1f s of closing; stopping it", timeout_s)
            task.cancel()
        await asyncio.gather(task, return_exceptions=True)


def _open_local(path: str) -> None:
    """Open a file or folder with the desktop's default application."""
    from PySide6.QtCore import QUrl
    from PySide6.QtGui import QDesktopServices

    QDesktopServices.openUrl(QUrl.fromLocalFile(path))
