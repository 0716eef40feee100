"""Choosing the writer from the file suffix or an explicit format."""

from __future__ import annotations

from pathlib import Path

import openpyxl  # type: ignore[import-untyped]
import pytest

from tests.export.conftest import BERLIN, make_row
from wrapup_desktop.errors import InputError
from wrapup_desktop.export import export_rows
from wrapup_desktop.export.columns import ExportOptions


@pytest.mark.parametrize(
    ("name", "first_bytes"),
    [
        pytest.param("rows.csv", b"\xef\xbb\xbfconversation_id,", id="csv"),
        pytest.param("rows.CSV", b"\xef\xbb\xbfconversation_id,", id="csv-upper"),
        pytest.param("rows.jsonl", b'{"conversation_id":', id="jsonl"),
        pytest.param("rows.ndjson", b'{"conversation_id":', id="ndjson"),
        pytest.param("rows.xlsx", b"PK", id="xlsx"),
    ],
)
def test_export_rows_by_suffix(tmp_path: Path, name: str, first_bytes: bytes) -> None:
    path = tmp_path / name

    count = export_rows([make_row()], path, ExportOptions(tz=BERLIN))

    assert count == 1
    assert path.read_bytes().startswith(first_bytes)


def test_export_rows_explicit_format(tmp_path: Path) -> None:
    path = tmp_path / "rows.txt"

    export_rows([make_row()], path, ExportOptions(tz=BERLIN), "xlsx")

    with path.open("rb") as stream:
        assert openpyxl.load_workbook(stream).sheetnames[0] == "Rows"


@pytest.mark.parametrize("name", ["rows.txt", "rows.xls", "rows"])
def test_export_rows_unknown_suffix(tmp_path: Path, name: str) -> None:
    path = tmp_path / name

    with pytest.raises(InputError) as caught:
        export_rows([make_row()], path, ExportOptions(tz=BERLIN))

    assert name in str(caught.value)
    assert ".csv, .xlsx, .jsonl or .ndjson" in str(caught.value)
    assert not path.exists()
