"""XLSX export read back with openpyxl: sheets, header, fills, datetimes and overflow."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import openpyxl  # type: ignore[import-untyped]
import pytest

from tests.export.conftest import BERLIN, make_row, sample_summaries
from wrapup_desktop import __version__
from wrapup_desktop.domain.rows import LegRow, WrapupStatus
from wrapup_desktop.errors import InputError
from wrapup_desktop.export.columns import ExportOptions, columns_for
from wrapup_desktop.export.xlsx_writer import STATUS_FILLS, write_xlsx

GENERATED_AT = datetime(2026, 12, 4, 15, 0, tzinfo=UTC)


def sample_rows() -> list[LegRow]:
    return [
        make_row(conversation_id="c-1", wrapup_note='=2+3 "urgent"\ncall back'),
        make_row(
            conversation_id="c-2",
            conversation_start=datetime(2026, 7, 1, 10, 0, tzinfo=UTC),
            conversation_end=None,
            agent_name="José Núñez",
            participant_id="+61412000111",
            wrapup_status=WrapupStatus.MISSING,
            wrapup_code_id="",
            wrapup_code_name="",
            wrapup_count=0,
            acw_seconds=None,
        ),
        make_row(conversation_id="c-3", wrapup_status=WrapupStatus.TIMEOUT, acw_seconds=12.5),
    ]


def load(path: Path) -> Any:
    return openpyxl.load_workbook(path)


def values_of(sheet: Any) -> list[list[Any]]:
    return [list(row) for row in sheet.iter_rows(values_only=True)]


def test_xlsx_sheets_and_header(tmp_path: Path) -> None:
    path = tmp_path / "report.xlsx"
    options = ExportOptions(tz=BERLIN, include_notes=True)

    count = write_xlsx(sample_rows(), path, options, sample_summaries(), generated_at=GENERATED_AT)

    book = load(path)
    rows = book["Rows"]
    assert count == 3
    assert book.sheetnames == ["Rows", "Summary", "About"]
    assert values_of(rows)[0] == columns_for(options)
    assert rows.max_row == 4
    assert rows.freeze_panes == "A2"
    assert rows.auto_filter.ref == "A1:R4"
    assert rows["A1"].font.bold
    assert rows.column_dimensions["P"].width > 60


def test_xlsx_cells_typed(tmp_path: Path) -> None:
    path = tmp_path / "report.xlsx"
    options = ExportOptions(tz=BERLIN, include_notes=True, utc_columns=True)

    write_xlsx(sample_rows(), path, options, generated_at=GENERATED_AT)

    sheet = load(path)["Rows"]
    header = values_of(sheet)[0]
    first = dict(zip(header, values_of(sheet)[1], strict=True))
    second = dict(zip(header, values_of(sheet)[2], strict=True))
    third = dict(zip(header, values_of(sheet)[3], strict=True))
    assert first["conversation_start"] == datetime(2026, 11, 2, 9, 15, 0)
    assert first["conversation_start_utc"] == datetime(2026, 11, 2, 8, 15, 0)
    assert second["conversation_start"] == datetime(2026, 7, 1, 12, 0, 0)
    assert second["conversation_end"] is None
    assert first["wrapup_note"] == '=2+3 "urgent"\ncall back'
    assert sheet["R2"].data_type == "s"
    assert second["participant_id"] == "+61412000111"
    assert second["agent_name"] == "José Núñez"
    assert first["acw_seconds"] == 20
    assert third["acw_seconds"] == 12.5
    assert second["acw_seconds"] is None
    assert first["wrapup_count"] == 1
    assert sheet["B2"].number_format == "yyyy-mm-dd hh:mm:ss"


def test_xlsx_time_header_names_zone(tmp_path: Path) -> None:
    path = tmp_path / "report.xlsx"

    write_xlsx(sample_rows(), path, ExportOptions(tz=BERLIN), generated_at=GENERATED_AT)

    sheet = load(path)["Rows"]
    assert "Europe/Berlin" in sheet["B1"].comment.text
    assert "Europe/Berlin" in sheet["C1"].comment.text


def test_xlsx_status_fills_and_text(tmp_path: Path) -> None:
    path = tmp_path / "report.xlsx"

    write_xlsx(sample_rows(), path, ExportOptions(tz=BERLIN), generated_at=GENERATED_AT)

    sheet = load(path)["Rows"]
    cells = [sheet["K2"], sheet["K3"], sheet["K4"]]
    assert [cell.value for cell in cells] == ["ASSIGNED", "MISSING", "TIMEOUT"]
    for cell, status in zip(cells, ["ASSIGNED", "MISSING", "TIMEOUT"], strict=True):
        expected = STATUS_FILLS[WrapupStatus(status)].lstrip("#").upper()
        assert cell.fill.fgColor.rgb.endswith(expected)
    assert sheet["K3"].font.bold
    assert not sheet["K2"].font.bold


def test_xlsx_status_fills_distinct() -> None:
    assert set(STATUS_FILLS) == set(WrapupStatus)
    assert len(set(STATUS_FILLS.values())) == len(WrapupStatus)


def test_xlsx_summary_sheet(tmp_path: Path) -> None:
    path = tmp_path / "report.xlsx"

    write_xlsx(
        sample_rows(),
        path,
        ExportOptions(tz=BERLIN),
        sample_summaries(),
        generated_at=GENERATED_AT,
    )

    sheet = load(path)["Summary"]
    lines = values_of(sheet)
    header = lines[0]
    sales = dict(zip(header, lines[1], strict=True))
    support = dict(zip(header, lines[2], strict=True))
    assert len(lines) == 4
    assert sheet.freeze_panes == "A2"
    assert sales["label"] == "Sales"
    assert sales["legs"] == 10
    assert sales["ASSIGNED"] == 7
    assert sales["compliance_percent"] == 0.875
    assert sheet.cell(row=2, column=header.index("compliance_percent") + 1).number_format == "0.0%"
    assert support["label"] == "=Support, Tier 2"
    assert support["compliance_percent"] is None
    assert lines[3][0] == "agent"


def test_xlsx_about_sheet(tmp_path: Path) -> None:
    path = tmp_path / "report.xlsx"
    options = ExportOptions(tz=BERLIN, statuses=frozenset({WrapupStatus.MISSING}))

    count = write_xlsx(
        sample_rows(),
        path,
        options,
        about={"Range": "2026-11-02 to 2026-11-03"},
        generated_at=GENERATED_AT,
    )

    about = {line[0]: line[1] for line in values_of(load(path)["About"])}
    assert count == 1
    assert about["Range"] == "2026-11-02 to 2026-11-03"
    assert about["Time zone"].startswith("Europe/Berlin")
    assert about["Rows"] == "1"
    assert about["Statuses included"] == "MISSING"
    assert about["Generated at"] == "2026-12-04T16:00:00+01:00"
    assert about["App version"] == __version__
    assert about["First conversation start"] == "2026-07-01T12:00:00+02:00"


def test_xlsx_status_filter_rows(tmp_path: Path) -> None:
    path = tmp_path / "report.xlsx"
    options = ExportOptions(tz=BERLIN, statuses=frozenset({WrapupStatus.TIMEOUT}))

    write_xlsx(sample_rows(), path, options, generated_at=GENERATED_AT)

    lines = values_of(load(path)["Rows"])
    assert len(lines) == 2
    assert lines[1][0] == "c-3"


def test_xlsx_overflow_continues_sheet(tmp_path: Path) -> None:
    path = tmp_path / "report.xlsx"
    rows = [make_row(conversation_id=f"c-{index}") for index in range(7)]

    count = write_xlsx(
        rows, path, ExportOptions(tz=BERLIN), generated_at=GENERATED_AT, rows_per_sheet=3
    )

    book = load(path)
    assert count == 7
    assert book.sheetnames == ["Rows", "Rows (2)", "Rows (3)", "About"]
    assert [line[0] for line in values_of(book["Rows (2)"])] == [
        "conversation_id",
        "c-3",
        "c-4",
        "c-5",
    ]
    assert [line[0] for line in values_of(book["Rows (3)"])] == ["conversation_id", "c-6"]
    assert book["Rows (3)"].freeze_panes == "A2"
    about = {line[0]: line[1] for line in values_of(book["About"])}
    assert about["Rows sheets"] == "Rows, Rows (2), Rows (3)"


def test_xlsx_no_rows_header_only(tmp_path: Path) -> None:
    path = tmp_path / "report.xlsx"

    count = write_xlsx([], path, ExportOptions(tz=BERLIN), generated_at=GENERATED_AT)

    lines = values_of(load(path)["Rows"])
    assert count == 0
    assert len(lines) == 1


def test_xlsx_failure_keeps_old_file(tmp_path: Path) -> None:
    path = tmp_path / "report.xlsx"
    path.write_bytes(b"old workbook")

    def rows() -> Any:
        yield make_row()
        raise RuntimeError("classification failed")

    with pytest.raises(RuntimeError, match="classification failed"):
        write_xlsx(rows(), path, ExportOptions(tz=BERLIN))

    assert path.read_bytes() == b"old workbook"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["report.xlsx"]


def test_xlsx_missing_folder_message(tmp_path: Path) -> None:
    path = tmp_path / "missing" / "report.xlsx"

    with pytest.raises(InputError, match="does not exist"):
        write_xlsx([make_row()], path, ExportOptions(tz=BERLIN))


def test_xlsx_rows_per_sheet_checked(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="rows_per_sheet"):
        write_xlsx([], tmp_path / "r.xlsx", ExportOptions(tz=BERLIN), rows_per_sheet=0)


def test_xlsx_long_note_cut_and_logged(tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    path = tmp_path / "report.xlsx"
    row = make_row(wrapup_note="x" * 40_000)

    with caplog.at_level("WARNING", logger="wrapup_desktop.export.xlsx_writer"):
        write_xlsx([row], path, ExportOptions(tz=BERLIN, include_notes=True))

    note = load(path)["Rows"]["R2"].value
    assert len(note) == 32_767
    assert "1 cells were longer than Excel's limit of 32767 characters" in caplog.text
