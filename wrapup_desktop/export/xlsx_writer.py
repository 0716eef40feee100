"""Row export to an Excel workbook: the rows, a summary and a sheet about the report.

Sheets:
- "Rows": the columns of the CSV export, a frozen header row, an autofilter and fixed column
  widths. Each status cell is filled with a colour from the Okabe-Ito palette, which people with
  the common forms of colour blindness can tell apart, and the status name is in the cell too.
- "Summary" (when summaries are given): one line per queue, agent, code or day, with the
  compliance rate as an Excel percentage.
- "About": the report zone, the time of writing, the app version, the row count and the filter.

Times are real Excel datetimes, so users can sort, filter and compute with them. Excel has no
time zones, so the times are the wall-clock times of the report zone without an offset. The zone
is named in a comment on each time header and on the About sheet; the optional UTC columns are
datetimes in UTC.

The workbook is written in xlsxwriter's `constant_memory` mode: each row goes to disk as soon as
the next one starts, so a million rows need little memory. That mode forbids Excel tables and
autofit, which is why the sheet uses an autofilter and fixed widths. Text is always written with
`write_string`, so a note starting with `=` is text, never a formula.

An Excel sheet holds at most 1,048,576 rows, the header included. Rows beyond that continue on
"Rows (2)", "Rows (3)" and so on, each with its own header; the About sheet lists them.
"""

from __future__ import annotations

import contextlib
import logging
from collections.abc import Iterable, Mapping, Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import xlsxwriter
from xlsxwriter.exceptions import FileCreateError, FileSizeError

from wrapup_desktop import __version__
from wrapup_desktop.domain.rows import LegRow, WrapupStatus
from wrapup_desktop.domain.summary import SummaryRow
from wrapup_desktop.errors import InputError
from wrapup_desktop.export.atomic import write_atomically
from wrapup_desktop.export.columns import (
    NUMBER_COLUMNS,
    TIME_COLUMNS,
    UTC_COLUMNS,
    ExportOptions,
    columns_for,
    local_naive_time,
    select_rows,
    typed_values,
)
from wrapup_desktop.export.summary_writer import SUMMARY_COLUMNS, iter_summary_rows

logger = logging.getLogger(__name__)

EXCEL_MAX_ROWS = 1_048_576
"""Rows per worksheet in Excel 2007 and later, the header row included."""
EXCEL_MAX_DATA_ROWS = EXCEL_MAX_ROWS - 1
EXCEL_MAX_CELL_CHARS = 32_767
"""Characters (UTF-16 code units) per cell; xlsxwriter cuts longer text."""
STRING_TRUNCATED = -2
"""The return value of xlsxwriter's `write_string` when it cut the text to the cell limit."""

ROWS_SHEET = "Rows"
SUMMARY_SHEET = "Summary"
ABOUT_SHEET = "About"

DATETIME_FORMAT = "yyyy-mm-dd hh:mm:ss"

COLUMN_WIDTHS: dict[str, float] = {
    "conversation_id": 38,
    "conversation_start": 20,
    "conversation_end": 20,
    "conversation_start_utc": 20,
    "conversation_end_utc": 20,
    "media_type": 11,
    "direction": 10,
    "queue_id": 38,
    "queue_name": 24,
    "agent_id": 38,
    "agent_name": 22,
    "participant_id": 38,
    "wrapup_status": 16,
    "wrapup_code_id": 38,
    "wrapup_code_name": 26,
    "wrapup_count": 8,
    "acw_seconds": 10,
    "wrapup_reason": 70,
    "transfer_seq": 8,
    "wrapup_note": 40,
}
DEFAULT_WIDTH = 16

STATUS_FILLS: dict[WrapupStatus, str] = {
    # Light tints of the Okabe-Ito colours, so the dark text stays readable on every fill.
    WrapupStatus.ASSIGNED: "#CDEBE1",  # bluish green
    WrapupStatus.NOT_REQUIRED: "#D9EEFA",  # sky blue
    WrapupStatus.TIMEOUT: "#FAE3B3",  # orange
    WrapupStatus.SKIPPED: "#F8F3BF",  # yellow
    WrapupStatus.SYSTEM: "#E4E4E4",  # grey
    WrapupStatus.MISSING: "#F4C9AD",  # vermillion
    WrapupStatus.PENDING: "#BFD9EC",  # blue
    WrapupStatus.NOT_CONNECTED: "#F0F0F0",  # light grey
    WrapupStatus.NO_AGENT: "#FAFAFA",  # near white
    WrapupStatus.MALFORMED: "#EFCFE1",  # reddish purple
}
BOLD_STATUSES = frozenset({WrapupStatus.MISSING, WrapupStatus.MALFORMED})
"""Statuses that need action get bold text as well as a fill."""


def write_xlsx(
    rows: Iterable[LegRow],
    path: Path,
    options: ExportOptions,
    summaries: Mapping[str, Sequence[SummaryRow]] | None = None,
    *,
    about: Mapping[str, str] | None = None,
    generated_at: datetime | None = None,
    rows_per_sheet: int = EXCEL_MAX_DATA_ROWS,
) -> int:
    """Write the rows that pass the status filter to `path` as a workbook; return how many.

    `about` adds lines such as the requested range to the About sheet, and `generated_at`
    defaults to now. `rows_per_sheet` lets tests reach the sheet overflow with few rows.
    Raises InputError naming the path when it cannot be written, and the old file then stays.
    """
    path = Path(path)
    if not 1 <= rows_per_sheet <= EXCEL_MAX_DATA_ROWS:
        raise ValueError(f"rows_per_sheet must be 1..{EXCEL_MAX_DATA_ROWS}, got {rows_per_sheet}")
    stamp = generated_at or datetime.now(UTC)

    def build(temp_path: Path) -> int:
        workbook = xlsxwriter.Workbook(
            str(temp_path),
            {
                "constant_memory": True,
                "strings_to_formulas": False,
                "strings_to_urls": False,
                "strings_to_numbers": False,
            },
        )
        try:
            sheet = _RowsSheets(workbook, options, rows_per_sheet)
            for row in select_rows(rows, options):
                sheet.add(row)
            sheet.finish()
            if summaries is not None:
                _write_summary_sheet(workbook, summaries)
            _write_about_sheet(workbook, options, sheet, about or {}, stamp)
        except BaseException:
            # Closing removes xlsxwriter's own temporary files; the original error matters.
            with contextlib.suppress(Exception):
                workbook.close()
            raise
        _close_workbook(workbook, path)
        return sheet.count

    count = write_atomically(path, build)
    logger.info("Wrote %d rows to %s", count, path)
    return count


class _RowsSheets:
    """The "Rows" sheet and its overflow sheets, written one row at a time."""

    def __init__(self, workbook: Any, options: ExportOptions, rows_per_sheet: int) -> None:
        self.workbook = workbook
        self.options = options
        self.rows_per_sheet = rows_per_sheet
        self.columns = columns_for(options)
        self.count = 0
        self.truncated_cells = 0
        self.sheet_names: list[str] = []
        self.first_start: datetime | None = None
        self.last_start: datetime | None = None
        self._sheet: Any = None
        self._sheet_rows = 0
        self._header = workbook.add_format(
            {"bold": True, "bg_color": "#D9D9D9", "bottom": 1, "text_wrap": False}
        )
        self._datetime = workbook.add_format({"num_format": DATETIME_FORMAT})
        self._status = {
            status: workbook.add_format(
                {"bg_color": fill, "font_color": "#000000", "bold": status in BOLD_STATUSES}
            )
            for status, fill in STATUS_FILLS.items()
        }
        self._kinds = [_column_kind(name) for name in self.columns]

    def add(self, row: LegRow) -> None:
        if self._sheet is None or self._sheet_rows >= self.rows_per_sheet:
            self._start_sheet()
        self._sheet_rows += 1
        self.count += 1
        self._note_start(row.conversation_start)
        sheet = self._sheet
        line = self._sheet_rows
        values = typed_values(row, self.options)
        for index, (kind, value) in enumerate(zip(self._kinds, values, strict=True)):
            if kind == "local_time":
                naive = local_naive_time(_time_of(row, self.columns[index]), self.options.tz)
                if naive is not None:
                    sheet.write_datetime(line, index, naive, self._datetime)
            elif kind == "utc_time":
                naive = local_naive_time(_time_of(row, self.columns[index]), UTC)
                if naive is not None:
                    sheet.write_datetime(line, index, naive, self._datetime)
            elif kind == "status":
                # A status added to the domain later is written without a fill.
                status_format = self._status.get(row.wrapup_status)
                sheet.write_string(line, index, str(value), status_format)
            elif value is None:
                continue
            elif kind == "number":
                sheet.write_number(line, index, value)
            elif sheet.write_string(line, index, str(value)) == STRING_TRUNCATED:
                self.truncated_cells += 1

    def finish(self) -> None:
        if self._sheet is None:
            self._start_sheet()
        self._close_sheet()
        if self.truncated_cells:
            logger.warning(
                "%d cells were longer than Excel's limit of %d characters and were cut; "
                "the CSV and JSON Lines exports keep them whole",
                self.truncated_cells,
                EXCEL_MAX_CELL_CHARS,
            )

    def _start_sheet(self) -> None:
        if self._sheet is not None:
            self._close_sheet()
        number = len(self.sheet_names) + 1
        name = ROWS_SHEET if number == 1 else f"{ROWS_SHEET} ({number})"
        self.sheet_names.append(name)
        sheet = self.workbook.add_worksheet(name)
        zone = self.options.tz.key
        for index, column in enumerate(self.columns):
            sheet.set_column(index, index, COLUMN_WIDTHS.get(column, DEFAULT_WIDTH))
            sheet.write_string(0, index, column, self._header)
            if column in TIME_COLUMNS:
                sheet.write_comment(0, index, f"Time in {zone}, without the UTC offset.")
            elif column in UTC_COLUMNS:
                sheet.write_comment(0, index, "Time in UTC.")
        sheet.freeze_panes(1, 0)
        self._sheet = sheet
        self._sheet_rows = 0

    def _close_sheet(self) -> None:
        self._sheet.autofilter(0, 0, max(self._sheet_rows, 1), len(self.columns) - 1)

    def _note_start(self, start: datetime | None) -> None:
        if start is None:
            return
        if self.first_start is None or start < self.first_start:
            self.first_start = start
        if self.last_start is None or start > self.last_start:
            self.last_start = start


def _column_kind(name: str) -> str:
    if name in TIME_COLUMNS:
        return "local_time"
    if name in UTC_COLUMNS:
        return "utc_time"
    if name == "wrapup_status":
        return "status"
    if name in NUMBER_COLUMNS:
        return "number"
    return "text"


def _time_of(row: LegRow, column: str) -> datetime | None:
    if column.startswith("conversation_start"):
        return row.conversation_start
    return row.conversation_end


def _write_summary_sheet(workbook: Any, summaries: Mapping[str, Sequence[SummaryRow]]) -> None:
    sheet = workbook.add_worksheet(SUMMARY_SHEET)
    header = workbook.add_format({"bold": True, "bg_color": "#D9D9D9", "bottom": 1})
    percent = workbook.add_format({"num_format": "0.0%"})
    for index, column in enumerate(SUMMARY_COLUMNS):
        sheet.set_column(index, index, 28 if column == "label" else 14)
        sheet.write_string(0, index, column, header)
    sheet.freeze_panes(1, 0)
    line = 0
    for row in iter_summary_rows(summaries):
        line += 1
        numbers = [row.legs, *(row.counts.get(status, 0) for status in WrapupStatus)]
        cells: list[str | int] = [row.dimension, row.key, row.label, *numbers]
        for index, value in enumerate(cells):
            if isinstance(value, str):
                sheet.write_string(line, index, value)
            else:
                sheet.write_number(line, index, value)
        index = len(cells)
        sheet.write_number(line, index, row.required)
        sheet.write_number(line, index + 1, row.assigned)
        if row.compliance_rate is not None:
            sheet.write_number(line, index + 2, row.compliance_rate, percent)
        sheet.write_number(line, index + 3, row.transfer_legs)
    sheet.autofilter(0, 0, max(line, 1), len(SUMMARY_COLUMNS) - 1)


def _write_about_sheet(
    workbook: Any,
    options: ExportOptions,
    rows: _RowsSheets,
    about: Mapping[str, str],
    generated_at: datetime,
) -> None:
    sheet = workbook.add_worksheet(ABOUT_SHEET)
    bold = workbook.add_format({"bold": True})
    sheet.set_column(0, 0, 26)
    sheet.set_column(1, 1, 70)
    tz = options.tz
    statuses = (
        "all"
        if options.statuses is None
        else ", ".join(sorted(str(status) for status in options.statuses))
    )
    lines: list[tuple[str, str]] = [
        ("Report", "WrapUp Desktop wrap-up code report"),
        *about.items(),
        ("Time zone", f"{tz.key} (times on the Rows sheet are local times of this zone)"),
        ("First conversation start", _about_time(rows.first_start, options)),
        ("Last conversation start", _about_time(rows.last_start, options)),
        ("Rows", str(rows.count)),
        ("Rows sheets", ", ".join(rows.sheet_names)),
        ("Statuses included", statuses),
        ("Generated at", generated_at.astimezone(tz).replace(microsecond=0).isoformat()),
        ("App version", __version__),
    ]
    for line, (label, value) in enumerate(lines):
        sheet.write_string(line, 0, label, bold)
        sheet.write_string(line, 1, value)


def _about_time(value: datetime | None, options: ExportOptions) -> str:
    if value is None:
        return ""
    return value.astimezone(options.tz).replace(microsecond=0).isoformat()


def _close_workbook(workbook: Any, path: Path) -> None:
    try:
        workbook.close()
    except FileCreateError as exc:
        cause = exc.args[0] if exc.args else None
        if isinstance(cause, OSError):
            raise cause from exc
        raise OSError(str(exc)) from exc
    except FileSizeError as exc:
        raise InputError(
            f"Cannot write {path}: the workbook would exceed the 4 GB limit of an XLSX file. "
            "Export fewer days, or choose CSV.",
            details=str(exc),
        ) from exc
