"""The table model of the results: a million legs that sort and filter in about a second.

Storage is columnar. Text columns are dictionary-encoded: each distinct string is stored once and
rows hold small ints in an `array`; times are float epoch seconds (NaN when unknown), statuses are
their position in `STATUS_ORDER`, and numbers sit in typed arrays. A `LegRow` is rebuilt only when
asked for (`leg_row`), for the detail dialog and copying.

Sorting and filtering happen here rather than in a `QSortFilterProxyModel`, because the proxy
calls `data()` from Python for every comparison (100,000 rows took 26 s to sort). The model keeps
`_base`, every source row in the current sort order, and `_visible`, the rows of `_base` that pass
the filters. Sorting ranks each column's dictionary once and sorts ints; filtering builds a byte
mask per row with C-level `map`/`compress`, and a text search tests each distinct string once.

Rows that arrive during a fetch are appended at the end of the visible rows. When they break the
current sort order, `sort_stale` turns true and `refresh_sort()` (which the view calls after a
pause) puts them in place.
"""

from __future__ import annotations

import contextlib
import logging
import math
from array import array
from collections import Counter
from collections.abc import Callable, Collection, Iterator, Sequence
from datetime import UTC, date, datetime, time, timedelta
from enum import IntEnum
from itertools import compress, pairwise
from typing import Any, Literal
from zoneinfo import ZoneInfo

from PySide6.QtCore import (
    QAbstractTableModel,
    QModelIndex,
    QPersistentModelIndex,
    Qt,
    Signal,
)

from wrapup_desktop.domain.rows import LegRow, WrapupStatus
from wrapup_desktop.export.columns import CSV_COLUMNS, NOTE_COLUMN, format_acw
from wrapup_desktop.ui import status_style

log = logging.getLogger(__name__)

COLUMNS: tuple[str, ...] = (*CSV_COLUMNS, NOTE_COLUMN)
"""The model's columns: the CSV columns in their order, then the note."""

SEARCH_COLUMNS: tuple[str, ...] = (
    "agent_name",
    "queue_name",
    "wrapup_code_name",
    "conversation_id",
    "wrapup_reason",
)
"""Columns that the text search looks in by default."""

DIMENSIONS: tuple[str, ...] = ("queue", "agent", "code", "day")

_TITLES: dict[str, tuple[str, str]] = {
    "conversation_id": ("Conversation ID", "The Genesys conversation ID."),
    "conversation_start": ("Start", "When the conversation started, in the report time zone."),
    "conversation_end": ("End", "When the conversation ended; empty while it is still going on."),
    "media_type": ("Media", "Voice, chat, email, message, callback, …"),
    "direction": ("Direction", "Inbound or outbound, as the conversation started."),
    "queue_id": ("Queue ID", "The ID of the queue that offered the leg."),
    "queue_name": ("Queue", "The queue that offered the leg to the agent."),
    "agent_id": ("Agent ID", "The agent's user ID."),
    "agent_name": ("Agent", "The agent who handled the leg."),
    "participant_id": ("Participant ID", "The agent's participant ID in the conversation."),
    "wrapup_status": ("Status", "What happened to the wrap-up code of this leg."),
    "wrapup_code_id": ("Code ID", "The wrap-up code's ID, or the ININ- code the platform wrote."),
    "wrapup_code_name": ("Code", "The wrap-up code's name."),
    "wrapup_count": ("Codes", "How many wrap-up codes the leg carried."),
    "acw_seconds": ("ACW (s)", "Seconds of after-call work, from the wrap-up segments."),
    "wrapup_reason": ("Reason", "Why the leg has this status, in words."),
    "transfer_seq": ("Leg", "The leg's order among the agent legs of its conversation."),
    NOTE_COLUMN: ("Note", "The wrap-up note the agent typed; it can hold customer data."),
}


class Role(IntEnum):
    """Custom item data roles."""

    SORT = Qt.ItemDataRole.UserRole + 1
    """The value the column sorts by."""
    STATUS = Qt.ItemDataRole.UserRole + 2
    """The row's `WrapupStatus`."""
    CONVERSATION_ID = Qt.ItemDataRole.UserRole + 3
    SOURCE_ROW = Qt.ItemDataRole.UserRole + 4
    """The row's position in the order rows were added, as `leg_row` takes it."""


SortRole = Role.SORT
StatusRole = Role.STATUS
ConversationIdRole = Role.CONVERSATION_ID
SourceRowRole = Role.SOURCE_ROW

_TEXT_COLUMNS = (
    "conversation_id",
    "media_type",
    "direction",
    "queue_id",
    "queue_name",
    "agent_id",
    "agent_name",
    "participant_id",
    "wrapup_code_id",
    "wrapup_code_name",
    "wrapup_reason",
    NOTE_COLUMN,
)
_TIME_COLUMNS = ("conversation_start", "conversation_end")
_INT_COLUMNS = ("wrapup_count", "transfer_seq")
_STATUS_INDEX = {status: code for code, status in enumerate(status_style.STATUS_ORDER)}
_NAN = math.nan
_INF = math.inf
_RIGHT = Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
_DIMENSION_COLUMNS = {
    "queue": ("queue_id", "queue_name"),
    "agent": ("agent_id", "agent_name"),
    "code": ("wrapup_code_id", "wrapup_code_name"),
}

Mask = bytes
"""One byte per row, 1 where the row passes; None in signatures means every row passes."""


class _TextColumn:
    """A dictionary-encoded text column: distinct strings once, rows as ints."""

    __slots__ = ("_folded", "_rank", "codes", "lookup", "values")

    def __init__(self) -> None:
        self.values: list[str] = []
        self.lookup: dict[str, int] = {}
        self.codes = array("i")
        self._folded: list[str] = []
        self._rank: array[int] | None = None

    def extend(self, texts: Iterator[str]) -> None:
        lookup = self.lookup
        values = self.values
        codes: list[int] = []
        for text in texts:
            code = lookup.get(text)
            if code is None:
                code = len(values)
                lookup[text] = code
                values.append(text)
            codes.append(code)
        self.codes.extend(codes)
        if self._rank is not None and len(self._rank) != len(values):
            self._rank = None

    def folded(self) -> list[str]:
        """Return the case-folded dictionary, extended to new entries as they arrive."""
        folded = self._folded
        if len(folded) < len(self.values):
            folded.extend(text.casefold() for text in self.values[len(folded) :])
        return folded

    def rank(self) -> array[int]:
        """Return each dictionary entry's position in case-insensitive order."""
        if self._rank is None:
            folded = self.folded()
            order = sorted(range(len(folded)), key=folded.__getitem__)
            rank = array("i", bytes(4 * len(order)))
            for position, code in enumerate(order):
                rank[code] = position
            self._rank = rank
        return self._rank


class _Match:
    """A test on a text column's distinct strings, mapped to rows through its codes."""

    def __init__(self, column: _TextColumn, test: Callable[[str], bool], *, folded: bool) -> None:
        self.column = column
        self.test = test
        self.folded = folded
        self._mask = bytearray()

    def dictionary_mask(self) -> bytearray:
        values = self.column.folded() if self.folded else self.column.values
        if len(self._mask) < len(values):
            self._mask.extend(bytes(map(self.test, values[len(self._mask) :])))
        return self._mask

    def rows(self, start: int, stop: int) -> bytes:
        mask = self.dictionary_mask()
        return bytes(map(mask.__getitem__, self.column.codes[start:stop]))


def _and(
    left: bytes | bytearray | None, right: bytes | bytearray | None
) -> bytes | bytearray | None:
    if left is None:
        return right
    if right is None:
        return left
    size = len(left)
    value = int.from_bytes(left, "little") & int.from_bytes(right, "little")
    return value.to_bytes(size, "little")


def _or(left: bytes | None, right: bytes) -> bytes:
    if left is None:
        return right
    size = len(left)
    value = int.from_bytes(left, "little") | int.from_bytes(right, "little")
    return value.to_bytes(size, "little")


class ResultsModel(QAbstractTableModel):
    """Every classified leg of a run, sorted and filtered for the results table."""

    statsChanged = Signal()  # noqa: N815 - Qt signal naming
    """Emitted after rows were added or removed and after a filter changed."""
    sortStaleChanged = Signal(bool)  # noqa: N815 - Qt signal naming

    def __init__(self, tz: ZoneInfo | None = None, parent: Any = None) -> None:
        super().__init__(parent)
        self._tz = tz or ZoneInfo("UTC")
        self._search_columns: tuple[str, ...] = SEARCH_COLUMNS
        self._sort_column = -1
        self._sort_order = Qt.SortOrder.AscendingOrder
        self._sort_stale = False
        self._status_filter: frozenset[WrapupStatus] | None = None
        self._text_filter = ""
        self._dimension_filters: dict[str, str] = {}
        self._reset_storage()

    # Storage -----------------------------------------------------------------------------

    def _reset_storage(self) -> None:
        self._count = 0
        self._text: dict[str, _TextColumn] = {name: _TextColumn() for name in _TEXT_COLUMNS}
        self._times: dict[str, array[float]] = {name: array("d") for name in _TIME_COLUMNS}
        self._ints: dict[str, array[int]] = {name: array("l") for name in _INT_COLUMNS}
        self._acw = array("d")
        self._status = array("b")
        self._ended_in_transfer = array("b")
        self._code_required = array("b")
        self._status_totals = [0] * len(status_style.STATUS_ORDER)
        self._base: list[int] = []
        self._visible: list[int] = []
        self._facet_mask: bytearray | None = None
        self._status_mask: bytearray | None = None
        self._facet_totals = [0] * len(status_style.STATUS_ORDER)
        self._matches: list[list[_Match]] = []
        self._day_bounds: tuple[float, float] | None = None
        self._build_cell_readers()

    def _build_cell_readers(self) -> None:
        readers: list[Callable[[int], str]] = []
        for name in COLUMNS:
            if name in self._text:
                column = self._text[name]
                readers.append(
                    lambda row, v=column.values, c=column.codes: v[c[row]]  # type: ignore[misc]
                )
            elif name in self._times:
                readers.append(lambda row, t=self._times[name]: self._format_time(t[row]))  # type: ignore[misc]
            elif name in self._ints:
                readers.append(lambda row, a=self._ints[name]: str(a[row]))  # type: ignore[misc]
            elif name == "acw_seconds":
                readers.append(self._format_acw)
            else:
                readers.append(
                    lambda row: status_style.marked_label(
                        status_style.STATUS_ORDER[self._status[row]]
                    )
                )
        self._readers = readers

    def _format_time(self, value: float) -> str:
        if value != value:
            return ""
        return datetime.fromtimestamp(value, self._tz).isoformat(sep=" ", timespec="seconds")

    def _format_acw(self, row: int) -> str:
        value = self._acw[row]
        return "" if value != value else format_acw(value)

    def _store(self, rows: Sequence[LegRow]) -> None:
        for name, column in self._text.items():
            column.extend(getattr(row, name) for row in rows)
        for name, times in self._times.items():
            times.extend(_epoch(getattr(row, name)) for row in rows)
        for name, numbers in self._ints.items():
            numbers.extend(getattr(row, name) for row in rows)
        self._acw.extend(_NAN if row.acw_seconds is None else row.acw_seconds for row in rows)
        codes = [_STATUS_INDEX[WrapupStatus(row.wrapup_status)] for row in rows]
        self._status.extend(codes)
        for code, amount in Counter(codes).items():
            self._status_totals[code] += amount
        self._ended_in_transfer.extend(int(row.ended_in_transfer) for row in rows)
        self._code_required.extend(
            -1 if row.code_required is None else int(row.code_required) for row in rows
        )
        self._count += len(rows)

    # Public API --------------------------------------------------------------------------

    def set_rows(self, rows: Sequence[LegRow]) -> None:
        """Replace every row; filters and the sort column stay as they are."""
        self.beginResetModel()
        self._reset_storage()
        self._store(rows)
        self._base = list(range(self._count))
        if self._sort_column >= 0:
            self._base = self._sorted(self._base)
        self._rebuild_masks()
        self._visible = self._filtered(self._base)
        self._set_sort_stale(False)
        self.endResetModel()
        self.statsChanged.emit()

    def append_rows(self, rows: Sequence[LegRow]) -> None:
        """Add rows at the end of the table as they arrive; see `sort_stale` for their order."""
        if not rows:
            return
        start = self._count
        self._store(rows)
        stop = self._count
        new = range(start, stop)
        if self._sort_column >= 0 and not self._sort_stale and not self._in_order(new):
            self._set_sort_stale(True)
        self._base.extend(new)
        facet = self._facet_rows(start, stop)
        status = self._status_rows(start, stop)
        if facet is not None:
            assert self._facet_mask is not None
            self._facet_mask.extend(facet)
        if status is not None:
            assert self._status_mask is not None
            self._status_mask.extend(status)
        facet_codes = (
            self._status[start:stop]
            if facet is None
            else compress(self._status[start:stop], facet)
        )
        for code, amount in Counter(facet_codes).items():
            self._facet_totals[code] += amount
        passing = list(compress(new, m)) if (m := _and(facet, status)) is not None else list(new)
        if passing:
            first = len(self._visible)
            self.beginInsertRows(QModelIndex(), first, first + len(passing) - 1)
            self._visible.extend(passing)
            self.endInsertRows()
        self.statsChanged.emit()

    def clear(self) -> None:
        """Remove every row; filters and the sort column stay as they are."""
        self.beginResetModel()
        self._reset_storage()
        self._rebuild_masks()
        self._set_sort_stale(False)
        self.endResetModel()
        self.statsChanged.emit()

    def row_count_total(self) -> int:
        """Return the number of rows loaded, whatever the filters."""
        return self._count

    def visible_count(self) -> int:
        return len(self._visible)

    def leg_row(self, source_row: int) -> LegRow:
        """Rebuild the `LegRow` stored at `source_row` (the order rows were added in)."""
        if not 0 <= source_row < self._count:
            raise IndexError(f"row {source_row} is outside the {self._count} rows loaded")
        text = {
            name: column.values[column.codes[source_row]] for name, column in self._text.items()
        }
        required = self._code_required[source_row]
        acw = self._acw[source_row]
        return LegRow(
            conversation_id=text["conversation_id"],
            conversation_start=_datetime(self._times["conversation_start"][source_row]),
            conversation_end=_datetime(self._times["conversation_end"][source_row]),
            media_type=text["media_type"],
            direction=text["direction"],
            queue_id=text["queue_id"],
            queue_name=text["queue_name"],
            agent_id=text["agent_id"],
            agent_name=text["agent_name"],
            participant_id=text["participant_id"],
            wrapup_status=status_style.STATUS_ORDER[self._status[source_row]],
            wrapup_code_id=text["wrapup_code_id"],
            wrapup_code_name=text["wrapup_code_name"],
            wrapup_count=self._ints["wrapup_count"][source_row],
            acw_seconds=None if acw != acw else acw,
            wrapup_reason=text["wrapup_reason"],
            transfer_seq=self._ints["transfer_seq"][source_row],
            wrapup_note=text[NOTE_COLUMN],
            ended_in_transfer=bool(self._ended_in_transfer[source_row]),
            code_required=None if required < 0 else bool(required),
        )

    def source_row(self, row: int) -> int:
        """Return the source row shown at table row `row`."""
        return self._visible[row]

    def visible_source_rows(self) -> Sequence[int]:
        """Return the source rows shown, in table order; do not modify the result."""
        return self._visible

    def iter_rows(self, *, visible_only: bool = True) -> Iterator[LegRow]:
        """Yield `LegRow`s: the shown rows in table order, or every row in the order added."""
        rows = list(self._visible) if visible_only else range(self._count)
        for source in rows:
            yield self.leg_row(source)

    def conversation_rows(self, conversation_id: str) -> list[LegRow]:
        """Return every row of one conversation, in the order they were added."""
        column = self._text["conversation_id"]
        code = column.lookup.get(conversation_id)
        if code is None:
            return []
        codes = column.codes
        return [self.leg_row(row) for row in range(self._count) if codes[row] == code]

    def cell_text(self, source_row: int, column: int) -> str:
        """Return a cell as plain text, for copying: the status as its label without marker."""
        if COLUMNS[column] == "wrapup_status":
            return status_style.label(status_style.STATUS_ORDER[self._status[source_row]])
        return self._readers[column](source_row)

    def status_counts(
        self, scope: Literal["all", "visible", "facet"] = "all"
    ) -> dict[WrapupStatus, int]:
        """Count rows per status.

        "all" counts every row loaded, "visible" the rows the filters keep, and "facet" the rows
        that every filter except the status filter keeps, which is what a status chip adds when
        it is switched on.
        """
        if scope == "all":
            totals = self._status_totals
        elif scope == "facet":
            totals = self._facet_totals
        else:
            counted = Counter(map(self._status.__getitem__, self._visible))
            totals = [counted.get(code, 0) for code in range(len(status_style.STATUS_ORDER))]
        return {status: totals[code] for code, status in enumerate(status_style.STATUS_ORDER)}

    @property
    def time_zone(self) -> ZoneInfo:
        return self._tz

    def set_time_zone(self, tz: ZoneInfo) -> None:
        """Show times in `tz`; a day filter is reapplied for the days of that zone."""
        self._tz = tz
        if "day" in self._dimension_filters:
            self._apply_filters()
        elif self._visible:
            for name in _TIME_COLUMNS:
                column = COLUMNS.index(name)
                self.dataChanged.emit(
                    self.index(0, column), self.index(len(self._visible) - 1, column)
                )

    # Sorting -----------------------------------------------------------------------------

    @property
    def sort_column(self) -> int:
        return self._sort_column

    @property
    def sort_order(self) -> Qt.SortOrder:
        return self._sort_order

    @property
    def sort_stale(self) -> bool:
        """True when rows appended since the last sort are not in sort order yet."""
        return self._sort_stale

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        """Sort every row by `column`; rows that compare equal keep their previous order."""
        if not 0 <= column < len(COLUMNS):
            self._sort_column = -1
            return
        self._sort_column = column
        self._sort_order = order
        self._relayout(self._sorted(self._base))
        self._set_sort_stale(False)

    def refresh_sort(self) -> None:
        """Put rows appended since the last sort in place, if any broke the order."""
        if self._sort_stale and self._sort_column >= 0:
            self.sort(self._sort_column, self._sort_order)

    def _sort_keys(self, column: int) -> Sequence[Any]:
        name = COLUMNS[column]
        if name in self._text:
            text = self._text[name]
            return list(map(text.rank().__getitem__, text.codes))
        if name in self._times:
            return [value if value == value else _INF for value in self._times[name]]
        if name == "acw_seconds":
            return [value if value == value else _INF for value in self._acw]
        if name in self._ints:
            return self._ints[name]
        return self._status

    def _sorted(self, rows: list[int]) -> list[int]:
        keys = self._sort_keys(self._sort_column)
        descending = self._sort_order == Qt.SortOrder.DescendingOrder
        return sorted(rows, key=keys.__getitem__, reverse=descending)

    def _in_order(self, new: range) -> bool:
        name = COLUMNS[self._sort_column]
        if name not in _TIME_COLUMNS and name not in self._ints and name != "acw_seconds":
            # Text ranks change as the dictionary grows and statuses rarely arrive in order.
            return False
        keys = self._sort_keys(self._sort_column)
        previous = [keys[self._base[-1]]] if self._base else []
        sequence = previous + [keys[row] for row in new]
        if self._sort_order == Qt.SortOrder.DescendingOrder:
            return all(a >= b for a, b in pairwise(sequence))
        return all(a <= b for a, b in pairwise(sequence))

    def _set_sort_stale(self, stale: bool) -> None:
        if stale != self._sort_stale:
            self._sort_stale = stale
            self.sortStaleChanged.emit(stale)

    # Filtering ---------------------------------------------------------------------------

    @property
    def status_filter(self) -> frozenset[WrapupStatus] | None:
        return self._status_filter

    @property
    def text_filter(self) -> str:
        return self._text_filter

    @property
    def dimension_filters(self) -> dict[str, str]:
        return dict(self._dimension_filters)

    def set_status_filter(self, statuses: Collection[WrapupStatus] | None) -> None:
        """Keep only rows with one of `statuses`; None or empty keeps every status."""
        wanted = frozenset(statuses) if statuses else None
        if wanted != self._status_filter:
            self._status_filter = wanted
            self._apply_filters()

    def set_search_columns(self, columns: Sequence[str]) -> None:
        unknown = [name for name in columns if name not in self._text]
        if unknown:
            raise ValueError(f"search columns must be text columns, but got {unknown}")
        self._search_columns = tuple(columns)
        if self._text_filter:
            self._apply_filters()

    def set_text_filter(self, text: str) -> None:
        """Keep rows where any search column contains `text`, ignoring case; "" keeps all."""
        needle = text.strip().casefold()
        if needle != self._text_filter:
            self._text_filter = needle
            self._apply_filters()

    def set_dimension_filter(self, dimension: str, key: str | None) -> None:
        """Keep rows of one queue, agent, code (by ID or name) or day (`YYYY-MM-DD`).

        The keys are those of the domain summaries: an empty key means no queue, no agent, no
        code or an unknown start time. None removes the filter of that dimension.
        """
        if dimension not in DIMENSIONS:
            raise ValueError(
                f"dimension must be one of {', '.join(DIMENSIONS)}, got {dimension!r}"
            )
        if key is None:
            if self._dimension_filters.pop(dimension, None) is not None:
                self._apply_filters()
            return
        if dimension == "day" and key:
            try:
                date.fromisoformat(key)
            except ValueError:
                raise ValueError(f"a day must be written YYYY-MM-DD, but got {key!r}") from None
        if self._dimension_filters.get(dimension) != key:
            self._dimension_filters[dimension] = key
            self._apply_filters()

    def clear_filters(self) -> None:
        """Remove the status, text and dimension filters."""
        self._status_filter = None
        self._text_filter = ""
        self._dimension_filters.clear()
        self._apply_filters()

    def dimension_label(self, dimension: str, key: str) -> str:
        """Return the name shown for a dimension key: a queue, agent or code name, or the day."""
        columns = _DIMENSION_COLUMNS.get(dimension)
        if columns is None:
            return key
        id_column = self._text[columns[0]]
        code = id_column.lookup.get(key)
        if code is None:
            return key
        codes = id_column.codes
        names = self._text[columns[1]]
        for row in range(self._count):
            if codes[row] == code:
                return names.values[names.codes[row]] or key
        return key

    def _apply_filters(self) -> None:
        self._rebuild_masks()
        self._relayout()
        self.statsChanged.emit()

    def _rebuild_masks(self) -> None:
        self._matches = self._build_matches()
        self._day_bounds = self._build_day_bounds()
        facet = self._facet_rows(0, self._count)
        status = self._status_rows(0, self._count)
        self._facet_mask = None if facet is None else bytearray(facet)
        self._status_mask = None if status is None else bytearray(status)
        codes = self._status if facet is None else compress(self._status, facet)
        counted = Counter(codes)
        self._facet_totals = [
            counted.get(code, 0) for code in range(len(status_style.STATUS_ORDER))
        ]

    def _build_matches(self) -> list[list[_Match]]:
        # Each inner list is an OR over columns; the outer list is an AND of filters.
        groups: list[list[_Match]] = []
        needle = self._text_filter
        if needle:
            groups.append(
                [
                    _Match(self._text[name], _contains(needle), folded=True)
                    for name in self._search_columns
                ]
            )
        for dimension, key in self._dimension_filters.items():
            if dimension == "day":
                continue
            id_name, label_name = _DIMENSION_COLUMNS[dimension]
            group = [_Match(self._text[id_name], key.__eq__, folded=False)]
            if key:
                # A name matches only where the ID is unknown, so one name never spans two IDs.
                group.append(_Match(self._text[label_name], key.__eq__, folded=False))
            groups.append(group)
        return groups

    def _build_day_bounds(self) -> tuple[float, float] | None:
        key = self._dimension_filters.get("day")
        if key is None:
            return None
        if not key:
            return (_NAN, _NAN)  # the summary's "(unknown day)": rows without a start time
        day = date.fromisoformat(key)
        start = datetime.combine(day, time(0), self._tz)
        end = datetime.combine(day + timedelta(days=1), time(0), self._tz)
        return start.timestamp(), end.timestamp()

    def _facet_rows(self, start: int, stop: int) -> bytes | bytearray | None:
        mask: bytes | bytearray | None = None
        for group in self._matches:
            either: bytes | None = None
            for match in group:
                if b"\x01" in match.dictionary_mask():
                    either = _or(either, match.rows(start, stop))
            mask = _and(mask, either if either is not None else bytes(stop - start))
        if self._day_bounds is not None:
            low, high = self._day_bounds
            times = self._times["conversation_start"][start:stop]
            if low != low:
                mask = _and(mask, bytes(value != value for value in times))
            else:
                mask = _and(mask, bytes(low <= value < high for value in times))
        return mask

    def _status_rows(self, start: int, stop: int) -> bytes | None:
        if self._status_filter is None:
            return None
        table = bytes(int(status in self._status_filter) for status in status_style.STATUS_ORDER)
        return bytes(map(table.__getitem__, self._status[start:stop]))

    def _filtered(self, base: list[int]) -> list[int]:
        mask = _and(self._facet_mask, self._status_mask)
        if mask is None:
            return list(base)
        return list(compress(base, map(mask.__getitem__, base)))

    # Layout changes ----------------------------------------------------------------------

    def _relayout(self, new_base: list[int] | None = None) -> None:
        """Refilter (and take a new sort order) keeping persistent indexes on their rows."""
        self.layoutAboutToBeChanged.emit()
        persistent = self.persistentIndexList()
        sources = [self._visible[index.row()] for index in persistent]
        if new_base is not None:
            self._base = new_base
        self._visible = self._filtered(self._base)
        if persistent:
            self.changePersistentIndexList(persistent, self._moved(persistent, sources))
        self.layoutChanged.emit()

    def _moved(self, persistent: list[QModelIndex], sources: list[int]) -> list[QModelIndex]:
        if len(sources) <= 32:
            positions: dict[int, int] = {}
            for source in set(sources):
                with contextlib.suppress(ValueError):
                    positions[source] = self._visible.index(source)
        else:
            wanted = set(sources)
            positions = {
                source: row for row, source in enumerate(self._visible) if source in wanted
            }
        moved: list[QModelIndex] = []
        for index, source in zip(persistent, sources, strict=True):
            row = positions.get(source)
            moved.append(QModelIndex() if row is None else self.index(row, index.column()))
        return moved

    # Qt model interface ------------------------------------------------------------------

    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008, N802
        return 0 if parent.isValid() else len(self._visible)

    def columnCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008, N802
        return 0 if parent.isValid() else len(COLUMNS)

    def flags(self, index: QModelIndex | QPersistentModelIndex) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return (
            Qt.ItemFlag.ItemIsEnabled
            | Qt.ItemFlag.ItemIsSelectable
            | Qt.ItemFlag.ItemNeverHasChildren
        )

    def data(
        self, index: QModelIndex | QPersistentModelIndex, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if not index.isValid():
            return None
        row = index.row()
        if row >= len(self._visible):
            return None
        source = self._visible[row]
        column = index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            return self._readers[column](source)
        name = COLUMNS[column]
        if role == Qt.ItemDataRole.ToolTipRole:
            return self._tooltip(name, source)
        if name == "wrapup_status":
            status = status_style.STATUS_ORDER[self._status[source]]
            if role == Qt.ItemDataRole.BackgroundRole:
                return status_style.cell_background(status)
            if role == Qt.ItemDataRole.ForegroundRole:
                return status_style.text_on(status_style.cell_background(status))
            if role == Qt.ItemDataRole.AccessibleTextRole:
                return status_style.label(status)
        if role == Qt.ItemDataRole.TextAlignmentRole:
            if name in self._ints or name == "acw_seconds":
                return _RIGHT
            return None
        if role == Role.STATUS:
            return status_style.STATUS_ORDER[self._status[source]]
        if role == Role.CONVERSATION_ID:
            column_data = self._text["conversation_id"]
            return column_data.values[column_data.codes[source]]
        if role == Role.SOURCE_ROW:
            return source
        if role == Role.SORT:
            return self._sort_keys_single(name, source)
        return None

    def _sort_keys_single(self, name: str, source: int) -> Any:
        if name in self._text:
            text = self._text[name]
            return text.values[text.codes[source]].casefold()
        if name in self._times:
            return self._times[name][source]
        if name == "acw_seconds":
            return self._acw[source]
        if name in self._ints:
            return self._ints[name][source]
        return self._status[source]

    def _tooltip(self, name: str, source: int) -> str | None:
        if name in ("wrapup_status", "wrapup_reason"):
            status = status_style.STATUS_ORDER[self._status[source]]
            reason = self._text["wrapup_reason"]
            sentence = reason.values[reason.codes[source]]
            if name == "wrapup_status":
                return (
                    f"{status_style.label(status)}: {status_style.explanation(status)}\n{sentence}"
                )
            return sentence or None
        if name in ("wrapup_note", "wrapup_code_id", "agent_name", "queue_name"):
            return self._readers[COLUMNS.index(name)](source) or None
        return None

    def headerData(  # noqa: N802
        self,
        section: int,
        orientation: Qt.Orientation,
        role: int = Qt.ItemDataRole.DisplayRole,
    ) -> Any:
        if orientation == Qt.Orientation.Vertical:
            if role == Qt.ItemDataRole.DisplayRole and 0 <= section < len(self._visible):
                return str(section + 1)
            return None
        if not 0 <= section < len(COLUMNS):
            return None
        title, description = _TITLES[COLUMNS[section]]
        if role == Qt.ItemDataRole.DisplayRole:
            return title
        if role == Qt.ItemDataRole.ToolTipRole:
            return f"{description}\nCSV column: {COLUMNS[section]}"
        if role == Qt.ItemDataRole.TextAlignmentRole and COLUMNS[section] in (
            *_INT_COLUMNS,
            "acw_seconds",
        ):
            return _RIGHT
        return None


def column_title(column: int) -> str:
    """Return the human title of a model column."""
    return _TITLES[COLUMNS[column]][0]


def _contains(needle: str) -> Callable[[str], bool]:
    return lambda text: needle in text


def _epoch(value: datetime | None) -> float:
    if value is None:
        return _NAN
    if value.tzinfo is None:
        value = value.replace(tzinfo=UTC)
    return value.timestamp()


def _datetime(value: float) -> datetime | None:
    if value != value:
        return None
    return datetime.fromtimestamp(value, UTC)
