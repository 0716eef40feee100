"""File › Export: choose the file and the options, then write it without freezing the window.

The export layer writes the file; this dialog collects `ExportOptions` (notes, UTC columns,
statuses: the ones the status chips show now, or all) and runs the writer in a worker thread
with `asyncio.to_thread`. An XLSX file also gets the summary sheets.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Sequence
from pathlib import Path
from zoneinfo import ZoneInfo

from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from wrapup_desktop.domain.rows import LegRow, WrapupStatus
from wrapup_desktop.errors import WrapUpError
from wrapup_desktop.ui.tasks import report_task_errors
from wrapup_desktop.ui.theme import error_stylesheet

logger = logging.getLogger(__name__)

FORMATS: dict[str, tuple[str, str, str]] = {
    "csv": ("CSV", ".csv", "CSV files (*.csv)"),
    "xlsx": ("Excel workbook", ".xlsx", "Excel workbooks (*.xlsx)"),
    "jsonl": ("JSON Lines", ".jsonl", "JSON Lines files (*.jsonl)"),
}
SUMMARY_DIMENSIONS = ("queue", "agent", "code", "day")


def write_export(
    rows: Sequence[LegRow],
    path: Path,
    fmt: str,
    tz: ZoneInfo,
    *,
    include_notes: bool,
    utc_columns: bool,
    statuses: frozenset[WrapupStatus] | None,
) -> int:
    """Write the export file and return the number of rows written; runs in a worker thread."""
    from wrapup_desktop.export import ExportOptions, export_rows

    options = ExportOptions(
        tz=tz, include_notes=include_notes, utc_columns=utc_columns, statuses=statuses
    )
    summaries = None
    if fmt == "xlsx":
        from wrapup_desktop.domain.summary import summarize

        kept = rows if statuses is None else [r for r in rows if r.wrapup_status in statuses]
        summaries = {by: summarize(kept, by, tz) for by in SUMMARY_DIMENSIONS}
    count = export_rows(rows, path, options, fmt, summaries=summaries)  # type: ignore[arg-type]
    logger.info("Exported %d rows to %s", count, path)
    return count


class ExportDialog(QDialog):
    """Asks where and what to export, then writes the file; `run()` returns its path."""

    def __init__(
        self,
        fmt: str,
        *,
        rows: Sequence[LegRow],
        tz: ZoneInfo,
        current_statuses: frozenset[WrapupStatus] | None,
        folder: str,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        title, suffix, self._file_filter = FORMATS[fmt]
        self._fmt = fmt
        self._rows = rows
        self._tz = tz
        self._current = current_statuses
        self.setWindowTitle(f"Export {title}")
        self.path_edit = QLineEdit(str(Path(folder) / f"wrapup-report{suffix}"), self)
        self.path_edit.setAccessibleName("Export file")
        browse = QPushButton("&Browse…", self)
        browse.clicked.connect(self._browse)
        self.notes = QCheckBox("Include wrap-up &notes (they can contain customer data)", self)
        self.utc = QCheckBox("Add &UTC start and end columns", self)
        self.only_shown = QCheckBox(self)
        if current_statuses is None:
            self.only_shown.setText("Only the statuses shown now (all are shown)")
            self.only_shown.setEnabled(False)
        else:
            names = ", ".join(sorted(status.value for status in current_statuses))
            self.only_shown.setText(f"Only the statuses shown now: {names}")
            self.only_shown.setChecked(True)
        self.message = QLabel(f"{len(rows):,} rows, times in {tz.key}.", self)
        self.message.setWordWrap(True)
        self.message.setAccessibleName("Export message")

        path_row = QHBoxLayout()
        path_row.addWidget(self.path_edit, 1)
        path_row.addWidget(browse)
        form = QFormLayout()
        form.addRow("&File:", path_row)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel, self
        )
        self.buttons.button(QDialogButtonBox.StandardButton.Save).setText("&Export")
        self.buttons.rejected.connect(self.reject)
        self.buttons.accepted.connect(self._export_clicked)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.notes)
        layout.addWidget(self.utc)
        layout.addWidget(self.only_shown)
        layout.addWidget(self.message)
        layout.addWidget(self.buttons)
        self.resize(620, self.sizeHint().height())
        self._done: asyncio.Future[Path | None] | None = None
        self.finished.connect(self._closed)

    def statuses(self) -> frozenset[WrapupStatus] | None:
        return self._current if self.only_shown.isChecked() else None

    async def run(self) -> Path | None:
        """Show the dialog and return the written file, or None when cancelled."""
        self._done = asyncio.get_running_loop().create_future()
        self.open()
        return await self._done

    def _browse(self) -> None:
        name, _ = QFileDialog.getSaveFileName(
            self, "Export to", self.path_edit.text(), self._file_filter
        )
        if name:
            self.path_edit.setText(name)

    def _closed(self) -> None:
        if self._done is not None and not self._done.done():
            self._done.set_result(None)

    def _export_clicked(self) -> None:
        report_task_errors(asyncio.ensure_future(self.export_now()))

    async def export_now(self) -> Path | None:
        """Write the file with the chosen options; on success close the dialog."""
        path = Path(self.path_edit.text().strip()).expanduser()
        if not path.suffix:
            path = path.with_suffix(FORMATS[self._fmt][1])
        self.buttons.setEnabled(False)
        self.message.setStyleSheet("")
        self.message.setText(f"Writing {path.name}…")
        try:
            count = await asyncio.to_thread(
                write_export,
                self._rows,
                path,
                self._fmt,
                self._tz,
                include_notes=self.notes.isChecked(),
                utc_columns=self.utc.isChecked(),
                statuses=self.statuses(),
            )
        except WrapUpError as exc:
            self._fail(exc.message)
            return None
        except OSError as exc:
            self._fail(
                f"Could not write {path}: {exc.strerror or exc}. Choose another folder or "
                "close the file if another program has it open."
            )
            return None
        finally:
            self.buttons.setEnabled(True)
        self.message.setText(f"Wrote {count:,} rows to {path}.")
        if self._done is not None and not self._done.done():
            self._done.set_result(path)
        self.accept()
        return path

    def _fail(self, message: str) -> None:
        self.message.setStyleSheet(error_stylesheet())
        self.message.setText(message)
