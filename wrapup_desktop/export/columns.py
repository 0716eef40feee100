"""The columns of every row export, and how one `LegRow` becomes the cells of one line.

CSV, XLSX and JSON Lines share the column names and order defined here, so a report opens the
same way whatever the format. `row_values` gives the exact CSV text of each cell; `typed_values`
gives the same cells as Python values for the formats that keep types.

Choices:
- Times are written in the report zone with an explicit offset and whole seconds
  (`2026-11-02T09:15:00+01:00`). Milliseconds are dropped (truncated, not rounded) because
  neither Excel nor an admin comparing against the Genesys UI needs them. The optional UTC
  columns use the same precision with a `Z` suffix.
- `acw_seconds` is `0` for zero, otherwise at most 3 decimals without trailing zeros (`20`,
  `12.5`, `0.1`), and empty when unknown.
- Only text columns are neutralised against formula injection: a cell starting with `=`, `+`,
  `-`, `@`, a tab or a carriage return gets a leading apostrophe. The numeric columns
  (`wrapup_count`, `acw_seconds`, `transfer_seq`) and the times are produced here and never
  start with one of those characters, so they stay plain numbers for Excel.

NOTE: Excel still reads a CSV text cell made only of digits (a bare phone number) as a number
and drops leading zeros. Ids from Genesys are GUIDs or `tel:` URIs, which stay text; the XLSX
export writes every text cell as text.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, tzinfo
from zoneinfo import ZoneInfo

from wrapup_desktop.domain.rows import LegRow, WrapupStatus

CSV_COLUMNS: tuple[str, ...] = (
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
)
"""The columns every row export has, in order."""

NOTE_COLUMN = "wrapup_note"
UTC_COLUMNS: tuple[str, ...] = ("conversation_start_utc", "conversation_end_utc")

TIME_COLUMNS = frozenset({"conversation_start", "conversation_end"})
"""Columns holding a time in the report zone."""
NUMBER_COLUMNS = frozenset({"wrapup_count", "acw_seconds", "transfer_seq"})
"""Columns holding a number; every other column except the times is text."""

FORMULA_PREFIXES = frozenset({"=", "+", "-", "@", "\t", "\r"})
"""First characters that make Excel or LibreOffice read a CSV cell as a formula."""

Cell = str | int | float | datetime | None


@dataclass(frozen=True)
class ExportOptions:
    """The contents of a row export: the report zone, optional columns and a status filter."""

    tz: ZoneInfo
    include_notes: bool = False
    """Add the `wrapup_note` column; notes can hold customer data, so it is off by default."""
    utc_columns: bool = False
    """Add `conversation_start_utc` and `conversation_end_utc`."""
    statuses: frozenset[WrapupStatus] | None = None
    """Write only rows with one of these statuses; None writes every row."""


def columns_for(options: ExportOptions) -> list[str]:
    """Return the header of an export with these options."""
    columns = list(CSV_COLUMNS)
    if options.include_notes:
        columns.append(NOTE_COLUMN)
    if options.utc_columns:
        columns.extend(UTC_COLUMNS)
    return columns


def select_rows(rows: Iterable[LegRow], options: ExportOptions) -> Iterator[LegRow]:
    """Yield the rows that the status filter of `options` keeps, in their order."""
    if options.statuses is None:
        yield from rows
        return
    kept_statuses = options.statuses
    for row in rows:
        if row.wrapup_status in kept_statuses:
            yield row


def format_local_time(value: datetime | None, tz: ZoneInfo) -> str:
    """Format a UTC time in the report zone with its offset, whole seconds; empty for None."""
    if value is None:
        return ""
    return _as_aware(value).astimezone(tz).isoformat(timespec="seconds")


def format_utc_time(value: datetime | None) -> str:
    """Format a time in UTC as `2026-11-02T08:15:00Z`; empty for None."""
    if value is None:
        return ""
    # isoformat ends in "+00:00" for UTC; swap it for the shorter "Z".
    return _as_aware(value).astimezone(UTC).isoformat(timespec="seconds")[:-6] + "Z"


def local_naive_time(value: datetime | None, tz: tzinfo) -> datetime | None:
    """Convert a UTC time to the report zone without tzinfo, as Excel stores times."""
    if value is None:
        return None
    return _as_aware(value).astimezone(tz).replace(microsecond=0, tzinfo=None)


def format_acw(value: float | None) -> str:
    """Format after-call work seconds: `0`, `20`, `12.5`, `0.125`; empty when unknown."""
    if value is None:
        return ""
    text = f"{value:.3f}".rstrip("0").rstrip(".")
    if text in ("", "-0"):
        return "0"
    return text


def acw_number(value: float | None) -> int | float | None:
    """Round after-call work seconds to milliseconds, as an int when whole."""
    if value is None:
        return None
    rounded = round(value, 3)
    if rounded == int(rounded):
        return int(rounded)
    return rounded


def neutralise(text: str) -> str:
    """Prefix an apostrophe to text that a spreadsheet would run as a formula."""
    if text[:1] in FORMULA_PREFIXES:
        return "'" + text
    return text


def row_values(row: LegRow, options: ExportOptions) -> list[str]:
    """Return the CSV text of each cell of `row`, in the order of `columns_for(options)`."""
    tz = options.tz
    values = [
        neutralise(row.conversation_id),
        format_local_time(row.conversation_start, tz),
        format_local_time(row.conversation_end, tz),
        neutralise(row.media_type),
        neutralise(row.direction),
        neutralise(row.queue_id),
        neutralise(row.queue_name),
        neutralise(row.agent_id),
        neutralise(row.agent_name),
        neutralise(row.participant_id),
        str(row.wrapup_status),
        neutralise(row.wrapup_code_id),
        neutralise(row.wrapup_code_name),
        str(row.wrapup_count),
        format_acw(row.acw_seconds),
        neutralise(row.wrapup_reason),
        str(row.transfer_seq),
    ]
    if options.include_notes:
        values.append(neutralise(row.wrapup_note))
    if options.utc_columns:
        values.append(format_utc_time(row.conversation_start))
        values.append(format_utc_time(row.conversation_end))
    return values


def typed_values(row: LegRow, options: ExportOptions) -> list[Cell]:
    """Return the cells of `row` as typed values, in the order of `columns_for(options)`.

    Text is returned as is, without the apostrophe that `row_values` adds; empty text becomes
    None. Times in the report zone are aware datetimes; the UTC columns are `...Z` strings.
    """
    tz = options.tz
    values: list[Cell] = [
        _text(row.conversation_id),
        _local_aware(row.conversation_start, tz),
        _local_aware(row.conversation_end, tz),
        _text(row.media_type),
        _text(row.direction),
        _text(row.queue_id),
        _text(row.queue_name),
        _text(row.agent_id),
        _text(row.agent_name),
        _text(row.participant_id),
        str(row.wrapup_status),
        _text(row.wrapup_code_id),
        _text(row.wrapup_code_name),
        row.wrapup_count,
        acw_number(row.acw_seconds),
        _text(row.wrapup_reason),
        row.transfer_seq,
    ]
    if options.include_notes:
        values.append(_text(row.wrapup_note))
    if options.utc_columns:
        values.append(format_utc_time(row.conversation_start) or None)
        values.append(format_utc_time(row.conversation_end) or None)
    return values


def _text(value: str) -> str | None:
    return value if value else None


def _local_aware(value: datetime | None, tz: ZoneInfo) -> datetime | None:
    if value is None:
        return None
    return _as_aware(value).astimezone(tz).replace(microsecond=0)


def _as_aware(value: datetime) -> datetime:
    # LegRow times are aware UTC; a naive value is read as UTC rather than the machine's zone.
    if value.tzinfo is None:
        return value.replace(tzinfo=UTC)
    return value
