"""Column order, optional columns, and the text of time, number and formula cells."""

from __future__ import annotations

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import pytest

from tests.export.conftest import BERLIN, make_row
from wrapup_desktop.domain.rows import WrapupStatus
from wrapup_desktop.export.columns import (
    CSV_COLUMNS,
    ExportOptions,
    columns_for,
    format_acw,
    neutralise,
    row_values,
    select_rows,
    typed_values,
)

BASE_COLUMNS = [
    "conversation_id",
    "conversation_start",
    "conversation_end",
    "media_type",
    "direction",
    "queue_id",
    "queue_name",
    "agent_id",
    "agent_name",
    "participant_id",
    "wrapup_status",
    "wrapup_code_id",
    "wrapup_code_name",
    "wrapup_count",
    "acw_seconds",
    "wrapup_reason",
    "transfer_seq",
]


def test_columns_default_order() -> None:
    assert list(CSV_COLUMNS) == BASE_COLUMNS
    assert columns_for(ExportOptions(tz=BERLIN)) == BASE_COLUMNS


def test_columns_with_notes_and_utc() -> None:
    notes = columns_for(ExportOptions(tz=BERLIN, include_notes=True))
    utc = columns_for(ExportOptions(tz=BERLIN, utc_columns=True))
    both = columns_for(ExportOptions(tz=BERLIN, include_notes=True, utc_columns=True))

    assert notes == [*BASE_COLUMNS, "wrapup_note"]
    assert utc == [*BASE_COLUMNS, "conversation_start_utc", "conversation_end_utc"]
    assert both == [
        *BASE_COLUMNS,
        "wrapup_note",
        "conversation_start_utc",
        "conversation_end_utc",
    ]


def test_row_values_every_cell() -> None:
    row = make_row(wrapup_note="Refund issued")
    options = ExportOptions(tz=BERLIN, include_notes=True, utc_columns=True)

    values = row_values(row, options)

    assert dict(zip(columns_for(options), values, strict=True)) == {
        "conversation_id": "c0ffee00-0000-4000-8000-000000000001",
        "conversation_start": "2026-11-02T09:15:00+01:00",
        "conversation_end": "2026-11-02T09:21:30+01:00",
        "media_type": "voice",
        "direction": "inbound",
        "queue_id": "5d6a7f1e-0000-4000-8000-000000000001",
        "queue_name": "Sales",
        "agent_id": "a7e1c9d2-0000-4000-8000-0000000000aa",
        "agent_name": "Jane Agent",
        "participant_id": "p-2",
        "wrapup_status": "ASSIGNED",
        "wrapup_code_id": "7c0d5e2a-0000-4000-8000-0000000000c1",
        "wrapup_code_name": "Sale",
        "wrapup_count": "1",
        "acw_seconds": "20",
        "wrapup_reason": "The agent chose the code Sale.",
        "transfer_seq": "1",
        "wrapup_note": "Refund issued",
        "conversation_start_utc": "2026-11-02T08:15:00Z",
        "conversation_end_utc": "2026-11-02T08:21:30Z",
    }


@pytest.mark.parametrize(
    ("utc_time", "expected"),
    [
        pytest.param(
            datetime(2026, 1, 15, 8, 0, tzinfo=UTC), "2026-01-15T09:00:00+01:00", id="winter"
        ),
        pytest.param(
            datetime(2026, 7, 15, 8, 0, tzinfo=UTC), "2026-07-15T10:00:00+02:00", id="summer"
        ),
        pytest.param(
            datetime(2026, 3, 29, 0, 59, 59, tzinfo=UTC),
            "2026-03-29T01:59:59+01:00",
            id="before-spring",
        ),
        pytest.param(
            datetime(2026, 3, 29, 1, 0, 0, tzinfo=UTC),
            "2026-03-29T03:00:00+02:00",
            id="after-spring",
        ),
        pytest.param(
            datetime(2026, 10, 25, 0, 30, tzinfo=UTC),
            "2026-10-25T02:30:00+02:00",
            id="first-two-thirty",
        ),
        pytest.param(
            datetime(2026, 10, 25, 1, 30, tzinfo=UTC),
            "2026-10-25T02:30:00+01:00",
            id="second-two-thirty",
        ),
    ],
)
def test_local_time_dst_offsets(utc_time: datetime, expected: str) -> None:
    values = row_values(make_row(conversation_start=utc_time), ExportOptions(tz=BERLIN))

    assert values[1] == expected


def test_times_missing_are_empty() -> None:
    row = make_row(conversation_start=None, conversation_end=None)
    options = ExportOptions(tz=BERLIN, utc_columns=True)

    values = row_values(row, options)

    assert values[1] == ""
    assert values[2] == ""
    assert values[-2:] == ["", ""]


def test_times_other_zone_offset() -> None:
    row = make_row(conversation_start=datetime(2026, 11, 2, 8, 15, tzinfo=UTC))

    values = row_values(row, ExportOptions(tz=ZoneInfo("Australia/Sydney")))

    assert values[1] == "2026-11-02T19:15:00+11:00"


@pytest.mark.parametrize(
    ("seconds", "text"),
    [
        pytest.param(0.0, "0", id="zero"),
        pytest.param(0, "0", id="int-zero"),
        pytest.param(20.0, "20", id="whole"),
        pytest.param(12.5, "12.5", id="half"),
        pytest.param(0.1, "0.1", id="tenth"),
        pytest.param(2.0004, "2", id="below-millisecond"),
        pytest.param(61.2345, "61.234", id="three-decimals"),
        pytest.param(0.0001, "0", id="rounds-to-zero"),
        pytest.param(None, "", id="unknown"),
    ],
)
def test_acw_seconds_text(seconds: float | None, text: str) -> None:
    assert format_acw(seconds) == text
    assert row_values(make_row(acw_seconds=seconds), ExportOptions(tz=BERLIN))[14] == text


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        pytest.param("=SUM(A1:A2)", "'=SUM(A1:A2)", id="equals"),
        pytest.param("+61412000111", "'+61412000111", id="plus"),
        pytest.param("-1", "'-1", id="minus"),
        pytest.param("@cmd", "'@cmd", id="at"),
        pytest.param("\tx", "'\tx", id="tab"),
        pytest.param("\rx", "'\rx", id="carriage-return"),
        pytest.param("tel:+61412000111", "tel:+61412000111", id="ani-unchanged"),
        pytest.param("José Núñez", "José Núñez", id="accents-unchanged"),
        pytest.param("", "", id="empty"),
    ],
)
def test_neutralise_formula_starts(text: str, expected: str) -> None:
    assert neutralise(text) == expected


def test_row_values_neutralise_text_only() -> None:
    row = make_row(agent_name="=HYPERLINK(1)", wrapup_code_name="+Sale", queue_name="@Q")

    values = row_values(row, ExportOptions(tz=BERLIN))

    assert values[8] == "'=HYPERLINK(1)"
    assert values[12] == "'+Sale"
    assert values[6] == "'@Q"
    assert values[13] == "1"


def test_typed_values_keep_types() -> None:
    row = make_row(acw_seconds=12.5, queue_name="", agent_name="=x")
    options = ExportOptions(tz=BERLIN, utc_columns=True)

    cells = dict(zip(columns_for(options), typed_values(row, options), strict=True))

    assert cells["acw_seconds"] == 12.5
    assert cells["wrapup_count"] == 1
    assert cells["queue_name"] is None
    assert cells["agent_name"] == "=x"
    assert cells["conversation_start"] == datetime(2026, 11, 2, 9, 15, tzinfo=BERLIN)
    assert cells["conversation_start_utc"] == "2026-11-02T08:15:00Z"


def test_select_rows_status_filter() -> None:
    rows = [
        make_row(conversation_id="a", wrapup_status=WrapupStatus.ASSIGNED),
        make_row(conversation_id="b", wrapup_status=WrapupStatus.MISSING),
        make_row(conversation_id="c", wrapup_status=WrapupStatus.TIMEOUT),
    ]
    options = ExportOptions(
        tz=BERLIN, statuses=frozenset({WrapupStatus.MISSING, WrapupStatus.TIMEOUT})
    )

    kept = [row.conversation_id for row in select_rows(iter(rows), options)]

    assert kept == ["b", "c"]
