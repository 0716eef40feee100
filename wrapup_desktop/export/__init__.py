"""Report writers (CSV, XLSX, JSON Lines, summary CSV) and readers of saved API responses."""

from __future__ import annotations

from wrapup_desktop.export.code_names import load_remembered_code_names, remember_code_names
from wrapup_desktop.export.columns import CSV_COLUMNS, ExportOptions, columns_for, row_values
from wrapup_desktop.export.csv_writer import write_csv
from wrapup_desktop.export.formats import export_rows
from wrapup_desktop.export.jsonl_writer import write_jsonl
from wrapup_desktop.export.readers import read_directory_files, read_saved_responses
from wrapup_desktop.export.summary_writer import write_summary_csv
from wrapup_desktop.export.xlsx_writer import write_xlsx

__all__ = [
    "CSV_COLUMNS",
    "ExportOptions",
    "columns_for",
    "export_rows",
    "load_remembered_code_names",
    "read_directory_files",
    "read_saved_responses",
    "remember_code_names",
    "row_values",
    "write_csv",
    "write_jsonl",
    "write_summary_csv",
    "write_xlsx",
]
