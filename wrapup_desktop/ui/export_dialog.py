"""File › Export: choose the file and the options, then write it without freezing the window.

The export layer writes the file. This dialog collects `ExportOptions` (notes, UTC columns) and
which rows to write. "Only the rows shown now" writes what the results table shows, in its sort
order and with every filter (status chips, search, queue, agent, code and day). "All legs"
writes every leg of the run. The writer runs in a worker thread with `asyncio.to_thread`, and
an XLSX file also gets the summary sheets.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING
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
    QRadioButton,
    QVBoxLayout,
    QWidget,
)

from wrapup_desktop.domain.rows import LegRow, WrapupStatus
from wrapup_desktop.errors import WrapUpError
from wrapup_desktop.ui.tasks import report_task_errors
from wrapup_desktop.ui.theme import error_stylesheet

if TYPE_CHECKING:
    from wrapup_desktop.ui.results_model import ResultsModel

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
    """Asks where and what to export, then writes the file; `run()` returns its path.

    `model` is the results table's model: "Only the rows shown now" writes its visible rows in
    table order. Without it the dialog looks for `parent.results.model`, and failing that it
    offers the rows of `current_statuses` as the shown rows.
    """

    def __init__(
        self,
        fmt: str,
        *,
        rows: Sequence[LegRow],
        tz: ZoneInfo,
        current_statuses: frozenset[WrapupStatus] | None,
        folder: str,
        parent: QWidget | None = None,
        model: ResultsModel | None = None,
    ) -> None:
        super().__init__(parent)
        title, suffix, self._file_filter = FORMATS[fmt]
        self._fmt = fmt
        self._rows = rows
        self._tz = tz
        self._current = current_statuses
        self._model = model
        self.setWindowTitle(f"Export {title}")
        self.path_edit = QLineEdit(str(Path(folder) / f"wrapup-report{suffix}"), self)
        self.path_edit.setAccessibleName("Export file")
        browse = QPushButton("&Browse…", self)
        browse.clicked.connect(self._browse)
        self.notes = QCheckBox("Include wrap-up &notes (they can contain customer data)", self)
        self.utc = QCheckBox("Add &UTC start and end columns", self)

        total = len(rows)
        shown = self.shown_count()
        self.only_shown = QRadioButton(f"&Only the rows shown now ({_legs(shown)})", self)
        self.only_shown.setAccessibleName("Only the rows shown now")
        self.all_rows = QRadioButton(f"&All legs ({total:,})", self)
        self.all_rows.setAccessibleName("All legs")
        if shown < total:
            self.only_shown.setChecked(True)
        else:
            self.all_rows.setChecked(True)
            self.only_shown.setEnabled(False)
            self.only_shown.setToolTip("No filter is on: the table shows every leg.")
        self.only_shown.toggled.connect(self._update_message)
        self.message = QLabel(self)
        self.message.setWordWrap(True)
        self.message.setAccessibleName("Export message")
        self._update_message()

        path_row = QHBoxLayout()
        path_row.addWidget(self.path_edit, 1)
        path_row.addWidget(browse)
        file_label = QLabel("&File:", self)
        file_label.setBuddy(self.path_edit)
        form = QFormLayout()
        form.addRow(file_label, path_row)
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
        layout.addWidget(self.all_rows)
        layout.addWidget(self.message)
        layout.addWidget(self.buttons)
        self.resize(620, self.sizeHint().height())
        self._done: asyncio.Future[Path | None] | None = None
        self.finished.connect(self._closed)

    def shown_count(self) -> int:
        """Return how many rows the table shows now."""
        if self._model is not None:
            return self._model.visible_count()
        if self._current is None:
            return len(self._rows)
        return sum(1 for row in self._rows if row.wrapup_status in self._current)

    def statuses(self) -> frozenset[WrapupStatus] | None:
        """Return the status filter of the chosen rows; None when every status is kept."""
        return self._current if self.only_shown.isChecked() else None

    def chosen_rows(self) -> list[LegRow]:
        """Return the rows to write: the shown ones in table order, or every leg."""
        if not self.only_shown.isChecked():
            return list(self._rows)
        if self._model is not None:
            return list(self._model.iter_rows(visible_only=True))
        current = self._current
        return [row for row in self._rows if current is None or row.wrapup_status in current]

    def _update_message(self) -> None:
        count = self.shown_count() if self.only_shown.isChecked() else len(self._rows)
        self.message.setStyleSheet("")
        self.message.setText(f"{count:,} rows, times in {self._tz.key}.")

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
        # The rows are read here, on the GUI thread, because the model can change while the
        # worker thread writes.
        rows = self.chosen_rows()
        try:
            count = await asyncio.to_thread(
                write_export,
                rows,
                path,
                self._fmt,
                self._tz,
                include_notes=self.notes.isChecked(),
                utc_columns=self.utc.isChecked(),
                statuses=None,
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


def _legs(count: int) -> str:
    return "1 leg" if count == 1 else f"{count:,} legs"
