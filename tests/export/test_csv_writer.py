"""CSV export: exact bytes for Excel, status filter, atomic replace and write errors."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.export.conftest import BERLIN, make_row
from wrapup_desktop.domain.rows import LegRow, WrapupStatus
from wrapup_desktop.errors import InputError
from wrapup_desktop.export.columns import ExportOptions, columns_for, neutralise
from wrapup_desktop.export.csv_writer import write_csv

HEADER_WITH_NOTE = (
    "conversation_id,conversation_start,conversation_end,media_type,direction,queue_id,"
    "queue_name,agent_id,agent_name,participant_id,wrapup_status,wrapup_code_id,"
    "wrapup_code_name,wrapup_count,acw_seconds,wrapup_reason,transfer_seq,wrapup_note\r\n"
)


def excel_rows() -> list[LegRow]:
    return [
        make_row(
            conversation_id="c-1",
            agent_name="José Núñez",
            wrapup_note='=2+3 "urgent"\ncall back',
            acw_seconds=0.0,
        ),
        make_row(
            conversation_id="c-2",
            conversation_start=datetime(2026, 7, 1, 10, 0, tzinfo=UTC),
            conversation_end=None,
            agent_name="-Agent, Team A",
            participant_id="+61412000111",
            wrapup_status=WrapupStatus.NOT_REQUIRED,
            wrapup_code_id="",
            wrapup_code_name="",
            wrapup_count=0,
            acw_seconds=None,
            wrapup_reason="No code, and none was required.",
            transfer_seq=2,
            wrapup_note="tel:+61412000111",
        ),
    ]


def test_csv_excel_case_exact_bytes(tmp_path: Path) -> None:
    path = tmp_path / "report.csv"

    count = write_csv(excel_rows(), path, ExportOptions(tz=BERLIN, include_notes=True))

    expected = (
        HEADER_WITH_NOTE + "c-1,2026-11-02T09:15:00+01:00,2026-11-02T09:21:30+01:00,voice,inbound,"
        "5d6a7f1e-0000-4000-8000-000000000001,Sales,a7e1c9d2-0000-4000-8000-0000000000aa,"
        "José Núñez,p-2,ASSIGNED,7c0d5e2a-0000-4000-8000-0000000000c1,Sale,1,0,"
        'The agent chose the code Sale.,1,"\'=2+3 ""urgent""\ncall back"\r\n'
        "c-2,2026-07-01T12:00:00+02:00,,voice,inbound,"
        "5d6a7f1e-0000-4000-8000-000000000001,Sales,a7e1c9d2-0000-4000-8000-0000000000aa,"
        "\"'-Agent, Team A\",'+61412000111,NOT_REQUIRED,,,0,,"
        '"No code, and none was required.",2,tel:+61412000111\r\n'
    )
    data = path.read_bytes()
    assert count == 2
    assert data[:3] == b"\xef\xbb\xbf"
    assert data[3:] == expected.encode("utf-8")


def test_csv_reads_back_with_csv_module(tmp_path: Path) -> None:
    path = tmp_path / "report.csv"
    options = ExportOptions(tz=BERLIN, include_notes=True)
    write_csv(excel_rows(), path, options)

    with path.open(encoding="utf-8-sig", newline="") as stream:
        lines = list(csv.reader(stream))

    assert lines[0] == columns_for(options)
    assert len(lines) == 3
    first = dict(zip(lines[0], lines[1], strict=True))
    second = dict(zip(lines[0], lines[2], strict=True))
    assert first["agent_name"] == "José Núñez"
    assert first["wrapup_note"] == '\'=2+3 "urgent"\ncall back'
    assert first["acw_seconds"] == "0"
    assert second["agent_name"] == "'-Agent, Team A"
    assert second["participant_id"] == "'+61412000111"
    assert second["wrapup_note"] == "tel:+61412000111"
    assert second["acw_seconds"] == ""
    assert second["conversation_end"] == ""


def test_csv_status_filter_applied(tmp_path: Path) -> None:
    path = tmp_path / "missing.csv"
    rows = [
        make_row(conversation_id="a", wrapup_status=WrapupStatus.ASSIGNED),
        make_row(conversation_id="b", wrapup_status=WrapupStatus.MISSING),
        make_row(conversation_id="c", wrapup_status=WrapupStatus.MISSING),
    ]
    options = ExportOptions(tz=BERLIN, statuses=frozenset({WrapupStatus.MISSING}))

    count = write_csv(rows, path, options)

    lines = list(csv.reader(io.StringIO(path.read_text(encoding="utf-8-sig"), newline="")))
    assert count == 2
    assert [line[0] for line in lines[1:]] == ["b", "c"]


def test_csv_no_rows_header_only(tmp_path: Path) -> None:
    path = tmp_path / "empty.csv"

    count = write_csv([], path, ExportOptions(tz=BERLIN))

    assert count == 0
    assert path.read_bytes().count(b"\r\n") == 1


def test_csv_failing_rows_keep_old_file(tmp_path: Path) -> None:
    path = tmp_path / "report.csv"
    path.write_bytes(b"old report")

    def rows() -> Iterator[LegRow]:
        yield make_row()
        raise RuntimeError("classification failed")

    with pytest.raises(RuntimeError, match="classification failed"):
        write_csv(rows(), path, ExportOptions(tz=BERLIN))

    assert path.read_bytes() == b"old report"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["report.csv"]


def test_csv_locked_file_message(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "report.csv"
    path.write_bytes(b"old report")

    def locked(self: Path, target: Path) -> Path:
        raise PermissionError(13, "The process cannot access the file", str(target))

    monkeypatch.setattr(Path, "replace", locked)
    with pytest.raises(InputError) as caught:
        write_csv([make_row()], path, ExportOptions(tz=BERLIN))
    monkeypatch.undo()

    message = str(caught.value)
    assert str(path) in message
    assert "Close the file in Excel, or choose another name." in message
    assert path.read_bytes() == b"old report"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["report.csv"]


def test_csv_missing_folder_message(tmp_path: Path) -> None:
    path = tmp_path / "no-such-folder" / "report.csv"

    with pytest.raises(InputError) as caught:
        write_csv([make_row()], path, ExportOptions(tz=BERLIN))

    message = str(caught.value)
    assert str(path.parent) in message
    assert "does not exist" in message
    assert "Choose an existing folder." in message


def test_csv_target_is_folder(tmp_path: Path) -> None:
    path = tmp_path / "report.csv"
    path.mkdir()

    with pytest.raises(InputError) as caught:
        write_csv([make_row()], path, ExportOptions(tz=BERLIN))

    assert "is a folder" in str(caught.value)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["report.csv"]


def test_csv_hundred_thousand_rows(tmp_path: Path) -> None:
    path = tmp_path / "big.csv"
    start = datetime(2026, 11, 2, 7, 0, tzinfo=UTC)
    template = make_row()

    def rows() -> Iterator[LegRow]:
        for index in range(100_000):
            template.conversation_id = f"c-{index:06d}"
            template.conversation_start = start + timedelta(seconds=index)
            yield template

    count = write_csv(rows(), path, ExportOptions(tz=BERLIN, utc_columns=True))

    with path.open(encoding="utf-8-sig", newline="") as stream:
        lines = sum(1 for _ in csv.reader(stream))
    assert count == 100_000
    assert lines == 100_001


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(name=st.text(max_size=30), note=st.text(max_size=60))
def test_csv_any_text_round_trip(tmp_path: Path, name: str, note: str) -> None:
    path = tmp_path / "any.csv"
    options = ExportOptions(tz=BERLIN, include_notes=True)

    write_csv([make_row(agent_name=name, wrapup_note=note)], path, options)

    with path.open(encoding="utf-8-sig", newline="") as stream:
        lines = list(csv.reader(stream))
    assert len(lines) == 2
    cells = dict(zip(lines[0], lines[1], strict=True))
    assert cells["agent_name"] == neutralise(name)
    assert cells["wrapup_note"] == neutralise(note)


def test_csv_new_file_mode(tmp_path: Path) -> None:
    path = tmp_path / "new.csv"

    write_csv([make_row()], path, ExportOptions(tz=BERLIN))

    assert path.stat().st_mode & 0o777 == 0o644


def test_csv_replaced_file_keeps_mode(tmp_path: Path) -> None:
    path = tmp_path / "private.csv"
    path.write_bytes(b"old")
    path.chmod(0o600)

    write_csv([make_row()], path, ExportOptions(tz=BERLIN))

    assert path.stat().st_mode & 0o777 == 0o600
