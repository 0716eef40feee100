"""JSON Lines export: one typed object per row, keys in column order."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest

from tests.export.conftest import BERLIN, make_row
from wrapup_desktop.domain.rows import LegRow, WrapupStatus
from wrapup_desktop.errors import InputError
from wrapup_desktop.export.columns import ExportOptions, columns_for
from wrapup_desktop.export.jsonl_writer import write_jsonl


def test_jsonl_typed_values(tmp_path: Path) -> None:
    path = tmp_path / "rows.jsonl"
    rows = [
        make_row(agent_name="José Núñez", wrapup_note='=2+3 "urgent"\ncall back'),
        make_row(
            conversation_start=datetime(2026, 7, 1, 10, 0, 0, 250000, tzinfo=UTC),
            conversation_end=None,
            queue_name="",
            acw_seconds=None,
            wrapup_status=WrapupStatus.PENDING,
        ),
        make_row(acw_seconds=12.5),
    ]
    options = ExportOptions(tz=BERLIN, include_notes=True, utc_columns=True)

    count = write_jsonl(rows, path, options)

    text = path.read_text(encoding="utf-8")
    records = [json.loads(line) for line in text.splitlines()]
    assert count == 3
    assert text.endswith("\n")
    assert "José Núñez" in text
    assert list(records[0]) == columns_for(options)
    assert records[0]["conversation_start"] == "2026-11-02T09:15:00+01:00"
    assert records[0]["conversation_start_utc"] == "2026-11-02T08:15:00Z"
    assert records[0]["wrapup_note"] == '=2+3 "urgent"\ncall back'
    assert records[0]["acw_seconds"] == 20
    assert records[0]["wrapup_count"] == 1
    assert records[0]["transfer_seq"] == 1
    assert records[1]["conversation_start"] == "2026-07-01T12:00:00+02:00"
    assert records[1]["conversation_end"] is None
    assert records[1]["conversation_end_utc"] is None
    assert records[1]["queue_name"] is None
    assert records[1]["acw_seconds"] is None
    assert records[1]["wrapup_status"] == "PENDING"
    assert records[2]["acw_seconds"] == 12.5


def test_jsonl_status_filter(tmp_path: Path) -> None:
    path = tmp_path / "rows.jsonl"
    rows = [
        make_row(conversation_id="a"),
        make_row(conversation_id="b", wrapup_status=WrapupStatus.SKIPPED),
    ]
    options = ExportOptions(tz=BERLIN, statuses=frozenset({WrapupStatus.SKIPPED}))

    count = write_jsonl(rows, path, options)

    records = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]
    assert count == 1
    assert [record["conversation_id"] for record in records] == ["b"]


def test_jsonl_missing_folder_message(tmp_path: Path) -> None:
    path = tmp_path / "missing" / "rows.jsonl"

    with pytest.raises(InputError, match="does not exist"):
        write_jsonl([make_row()], path, ExportOptions(tz=BERLIN))


def test_jsonl_failing_rows_keep_old_file(tmp_path: Path) -> None:
    path = tmp_path / "rows.jsonl"
    path.write_bytes(b"old lines\n")

    def rows() -> Iterator[LegRow]:
        yield make_row()
        raise RuntimeError("classification failed")

    with pytest.raises(RuntimeError, match="classification failed"):
        write_jsonl(rows(), path, ExportOptions(tz=BERLIN))

    assert path.read_bytes() == b"old lines\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["rows.jsonl"]
