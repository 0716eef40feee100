"""Choose the row writer from a format name or the file's suffix."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import Literal

from wrapup_desktop.domain.rows import LegRow
from wrapup_desktop.domain.summary import SummaryRow
from wrapup_desktop.errors import InputError
from wrapup_desktop.export.columns import ExportOptions
from wrapup_desktop.export.csv_writer import write_csv
from wrapup_desktop.export.jsonl_writer import write_jsonl
from wrapup_desktop.export.xlsx_writer import write_xlsx

ExportFormat = Literal["csv", "xlsx", "jsonl"]

SUFFIX_FORMATS: dict[str, ExportFormat] = {
    ".csv": "csv",
    ".xlsx": "xlsx",
    ".jsonl": "jsonl",
    ".ndjson": "jsonl",
}


def format_for_path(path: Path) -> ExportFormat:
    """Return the export format that the suffix of `path` names; InputError for any other."""
    suffix = Path(path).suffix.lower()
    try:
        return SUFFIX_FORMATS[suffix]
    except KeyError:
        shown = suffix or "no suffix"
        raise InputError(
            f"Cannot export to {path}: {shown} is not a known report format. "
            "End the file name in .csv, .xlsx, .jsonl or .ndjson."
        ) from None


def export_rows(
    rows: Iterable[LegRow],
    path: Path,
    options: ExportOptions,
    fmt: ExportFormat | None = None,
    *,
    summaries: Mapping[str, Sequence[SummaryRow]] | None = None,
) -> int:
    """Write `rows` to `path` in `fmt`, or in the format its suffix names; return how many.

    `summaries` are used by the XLSX format only, which adds them as a sheet.
    """
    chosen = fmt or format_for_path(path)
    if chosen == "csv":
        return write_csv(rows, path, options)
    if chosen == "xlsx":
        return write_xlsx(rows, path, options, summaries)
    if chosen == "jsonl":
        return write_jsonl(rows, path, options)
    raise InputError(f"Unknown export format {chosen!r}. Choose csv, xlsx or jsonl.")
