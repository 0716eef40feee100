"""Real saved responses through classification into every report format."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import openpyxl  # type: ignore[import-untyped]

from tests.export.conftest import BERLIN
from wrapup_desktop.domain.classify import classify_all
from wrapup_desktop.domain.summary import summarize
from wrapup_desktop.export import (
    ExportOptions,
    read_directory_files,
    read_saved_responses,
    write_csv,
    write_jsonl,
    write_summary_csv,
    write_xlsx,
)


def test_real_samples_every_format(real_samples_dir: Path, tmp_path: Path) -> None:
    conversations, malformed = read_saved_responses(sorted(real_samples_dir.glob("*.json")))
    rows = classify_all(conversations, read_directory_files(None, None, None), malformed)
    summaries = {by: summarize(rows, by, BERLIN) for by in ("queue", "agent", "code", "day")}
    options = ExportOptions(tz=BERLIN, include_notes=True, utc_columns=True)

    csv_count = write_csv(rows, tmp_path / "rows.csv", options)
    xlsx_count = write_xlsx(rows, tmp_path / "rows.xlsx", options, summaries)
    jsonl_count = write_jsonl(rows, tmp_path / "rows.jsonl", options)
    summary_count = write_summary_csv(summaries, tmp_path / "summary.csv")

    with (tmp_path / "rows.csv").open(encoding="utf-8-sig", newline="") as stream:
        csv_lines = list(csv.reader(stream))
    jsonl_lines = (tmp_path / "rows.jsonl").read_text(encoding="utf-8").splitlines()
    book = openpyxl.load_workbook(tmp_path / "rows.xlsx")
    statuses = {json.loads(line)["wrapup_status"] for line in jsonl_lines}
    assert len(rows) > 26
    assert csv_count == len(rows)
    assert xlsx_count == len(rows)
    assert jsonl_count == len(rows)
    assert len(csv_lines) == len(rows) + 1
    assert len(jsonl_lines) == len(rows)
    assert book["Rows"].max_row == len(rows) + 1
    assert book["Summary"].max_row == summary_count + 1
    assert summary_count == sum(len(lines) for lines in summaries.values())
    assert {"SYSTEM", "ASSIGNED", "MALFORMED"} <= statuses
