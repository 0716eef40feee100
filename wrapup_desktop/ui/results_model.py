"""The table model of the results, built to sort and filter a million legs.

The legs live in a columnar `LegTable` (`results_table.py`). Sorting and filtering happen here
rather than in a `QSortFilterProxyModel`, because the proxy calls `data()` from Python for every
comparison (100,000 rows took 26 s to sort). The model keeps `_base`, every row number in the
current sort order, and `_visible`, the rows of `_base` that pass the filters. A text column
sorts by the ranks of its distinct strings, or by the strings when most are distinct (IDs).
Filtering uses the byte masks of `RowFilter`. Both keep persistent indexes (the selection and the
current row) on their rows.

`benchmarks/ui_model.py` measured 1,000,000 legs on a 2-core Linux host with Python 3.11.
Sorts took 0.1 to 0.7 s, and the first sort of a column of distinct IDs 1.7 s. Filters took
0.05 to 0.5 s, and the model used about 560 MiB.

Rows that arrive during a fetch are appended after the visible rows. When they break the current
sort order, `sort_stale` turns true and `refresh_sort()` (which the view calls after a pause)
moves them into place.
"""

from __future__ import annotations

import contextlib
import logging
from array import array
from collections import Counter
from collections.abc import Collection, Iterator, Sequence
from datetime import date, datetime
from enum import IntEnum
from itertools import compress
from typing import Any, Literal
from zoneinfo import ZoneInfo

from PySide6.QtCore import (
    QAbstractTableModel,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    Qt,
    Signal,
)

from wrapup_desktop.domain.rows import LegRow, WrapupStatus
from wrapup_desktop.export.columns import NOTE_COLUMN
from wrapup_desktop.ui import status_style
from wrapup_desktop.ui.results_table import (
    COLUMNS,
    DIMENSIONS,
    NUMBER_COLUMNS,
    SEARCH_COLUMNS,
    TIME_COLUMNS,
    LegTable,
    RowFilter,
    and_masks,
    fold_for_search,
)

__all__ = [
    "COLUMNS",
    "DIMENSIONS",
    "SEARCH_COLUMNS",
    "ConversationIdRole",
    "ResultsModel",
    "Role",
    "SortRole",
    "SourceRowRole",
    "StatusRole",
    "column_title",
]

log = logging.getLogger(__name__)

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
_RIGHT = Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
_STATUS_COLUMN = COLUMNS.index("wrapup_status")
_REASON_COLUMN = COLUMNS.index("wrapup_reason")
_TOOLTIP_COLUMNS = frozenset(
    COLUMNS.index(name)
    for name in ("wrapup_note", "wrapup_code_id", "wrapup_code_name", "agent_name", "queue_name")
)
_NUMBER_COLUMNS = frozenset(COLUMNS.index(name) for name in NUMBER_COLUMNS)
_STATUS_COUNT = len(status_style.STATUS_ORDER)


class Role(IntEnum):
    """Custom item data roles."""

    SORT = Qt.ItemDataRole.UserRole + 1
    """The value the column sorts by."""
    STATUS = Qt.ItemDataRole.UserRole + 2
    """The row's `WrapupStatus`."""
    CONVERSATION_ID = Qt.ItemDataRole.UserRole + 3
    SOURCE_ROW = Qt.ItemDataRole.UserRole + 4
    """The row's number in the order rows were added, as `leg_row` takes it."""


SortRole = Role.SORT
StatusRole = Role.STATUS
ConversationIdRole = Role.CONVERSATION_ID
SourceRowRole = Role.SOURCE_ROW


def column_title(column: int) -> str:
    """Return the human title of a model column."""
    return _TITLES[COLUMNS[column]][0]


class ResultsModel(QAbstractTableModel):
    """Every classified leg of a run, sorted and filtered for the results table."""

    statsChanged = Signal()  # noqa: N815 - Qt signal naming
    """Emitted after rows were added or removed and after a filter changed."""
    sortStaleChanged = Signal(bool)  # noqa: N815 - Qt signal naming

    def __init__(self, tz: ZoneInfo | None = None, parent: QObject | None = None) -> None:
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

    def _reset_storage(self) -> None:
        self._table = LegTable()
        self._readers = self._table.display_readers(self._format_time)
        self._base: list[int] = []
        self._base_positions: tuple[array[int], list[int]] | None = None
        self._visible: list[int] = []
        self._filter = self._make_filter()
        self._facet_mask: bytearray | None = None
        self._status_mask: bytearray | None = None
        self._facet_totals = [0] * _STATUS_COUNT

    def _format_time(self, value: float) -> str:
        if value != value:
            return ""
        return datetime.fromtimestamp(value, self._tz).isoformat(sep=" ", timespec="seconds")

    # Rows --------------------------------------------------------------------------------

    def set_rows(self, rows: Sequence[LegRow]) -> None:
        """Replace every row; filters and the sort column stay as they are."""
        self.beginResetModel()
        self._reset_storage()
        self._table.append(rows)
        self._base = list(range(self._table.count))
        if self._sort_column >= 0:
            self._base = self._sorted(self._base)
        self._rebuild_masks()
        self._visible = self._filtered(self._base)
        self._set_sort_stale(False)
        self.endResetModel()
        self.statsChanged.emit()

    def append_rows(self, rows: Sequence[LegRow]) -> None:
        """Add rows after the visible ones as they arrive; see `sort_stale` for their order."""
        if not rows:
            return
        last = self._base[-1] if self._base else None
        new = self._table.append(rows)
        if self._sort_column >= 0 and not self._sort_stale:
            descending = self._sort_order == Qt.SortOrder.DescendingOrder
            if not self._table.extends_order(self._sort_column, descending, last, new):
                self._set_sort_stale(True)
        self._base.extend(new)
        facet = self._filter.facet_rows(new.start, new.stop)
        status = self._filter.status_rows(new.start, new.stop)
        if facet is not None:
            assert self._facet_mask is not None
            self._facet_mask.extend(facet)
        if status is not None:
            assert self._status_mask is not None
            self._status_mask.extend(status)
        codes = self._table.status[new.start : new.stop]
        for code, amount in Counter(codes if facet is None else compress(codes, facet)).items():
            self._facet_totals[code] += amount
        mask = and_masks(facet, status)
        passing = list(new) if mask is None else list(compress(new, mask))
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
        return self._table.count

    def visible_count(self) -> int:
        return len(self._visible)

    def leg_row(self, source_row: int) -> LegRow:
        """Rebuild the `LegRow` stored at `source_row` (the order rows were added in)."""
        return self._table.leg_row(source_row)

    def source_row(self, row: int) -> int:
        """Return the source row shown at table row `row`."""
        return self._visible[row]

    def visible_source_rows(self) -> Sequence[int]:
        """Return the source rows shown, in table order; do not modify the result."""
        return self._visible

    def iter_rows(self, *, visible_only: bool = True) -> Iterator[LegRow]:
        """Yield `LegRow`s: the shown rows in table order, or every row in the order added."""
        rows = list(self._visible) if visible_only else range(self._table.count)
        for source in rows:
            yield self._table.leg_row(source)

    def conversation_rows(self, conversation_id: str) -> list[LegRow]:
        """Return every row of one conversation, in the order they were added."""
        return [
            self._table.leg_row(row) for row in self._table.rows_of_conversation(conversation_id)
        ]

    def cell_text(self, source_row: int, column: int) -> str:
        """Return a cell as plain text, for copying: the status as its label without marker."""
        if column == _STATUS_COLUMN:
            return status_style.label(self._table.status_of(source_row))
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
            totals = self._table.status_totals
        elif scope == "facet":
            totals = self._facet_totals
        else:
            counted = Counter(map(self._table.status.__getitem__, self._visible))
            totals = [counted.get(code, 0) for code in range(_STATUS_COUNT)]
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
            for name in TIME_COLUMNS:
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
        """Move rows appended since the last sort into place, if any broke the order."""
        if self._sort_stale and self._sort_column >= 0:
            self.sort(self._sort_column, self._sort_order)

    def _sorted(self, rows: list[int]) -> list[int]:
        keys = self._table.sort_keys(self._sort_column)
        descending = self._sort_order == Qt.SortOrder.DescendingOrder
        return sorted(rows, key=keys.__getitem__, reverse=descending)

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
        """The search text as applied: stripped, case-folded and without accents."""
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
        """Choose the text columns the search looks in."""
        unknown = [name for name in columns if name not in self._table.text]
        if unknown:
            raise ValueError(f"search columns must be text columns, but got {unknown}")
        self._search_columns = tuple(columns)
        if self._text_filter:
            self._apply_filters()

    def set_text_filter(self, text: str) -> None:
        """Keep rows where any search column contains `text`, ignoring case and accents.

        "" keeps every row.
        """
        needle = _needle(text)
        if needle != self._text_filter:
            self._text_filter = needle
            self._apply_filters()

    def set_dimension_filter(self, dimension: str, key: str | None) -> None:
        """Keep rows of one queue, agent, code (by ID or name) or day (`YYYY-MM-DD`).

        The keys are those of the domain summaries: an empty key means no queue, no agent, no
        code or an unknown start time. None removes the filter of that dimension.
        """
        _check_dimension(dimension, key)
        if key is None:
            if self._dimension_filters.pop(dimension, None) is not None:
                self._apply_filters()
            return
        if self._dimension_filters.get(dimension) != key:
            self._dimension_filters[dimension] = key
            self._apply_filters()

    def clear_filters(self) -> None:
        """Remove the status, text and dimension filters."""
        self.set_filters(statuses=None, text="", dimensions={})

    def set_filters(
        self,
        *,
        statuses: Collection[WrapupStatus] | None,
        text: str,
        dimensions: dict[str, str],
    ) -> None:
        """Replace every filter at once, with one pass over the rows instead of one per filter."""
        for dimension, key in dimensions.items():
            _check_dimension(dimension, key)
        self._status_filter = frozenset(statuses) if statuses else None
        self._text_filter = _needle(text)
        self._dimension_filters = dict(dimensions)
        self._apply_filters()

    def dimension_label(self, dimension: str, key: str) -> str:
        """Return the name shown for a dimension key: a queue, agent or code name, or the day."""
        return self._table.first_name(dimension, key)

    def _make_filter(self) -> RowFilter:
        return RowFilter(
            self._table,
            statuses=self._status_filter,
            text=self._text_filter,
            search_columns=self._search_columns,
            dimensions=self._dimension_filters,
            tz=self._tz,
        )

    def _apply_filters(self) -> None:
        self._rebuild_masks()
        self._relayout()
        self.statsChanged.emit()

    def _rebuild_masks(self) -> None:
        self._filter = self._make_filter()
        count = self._table.count
        facet = self._filter.facet_rows(0, count)
        status = self._filter.status_rows(0, count)
        self._facet_mask = None if facet is None else bytearray(facet)
        self._status_mask = None if status is None else bytearray(status)
        codes = self._table.status
        counted = Counter(codes if facet is None else compress(codes, facet))
        self._facet_totals = [counted.get(code, 0) for code in range(_STATUS_COUNT)]

    def _filtered(self, base: list[int]) -> list[int]:
        mask = and_masks(self._facet_mask, self._status_mask)
        if mask is None:
            return list(base)
        if mask.count(1) * 4 < len(mask):
            # Few rows pass: pick them in storage order, which reads memory in sequence, and
            # put them in sort order by their position in `base`.
            kept = compress(range(len(mask)), mask)
            return sorted(kept, key=self._positions(base).__getitem__)
        return list(compress(base, map(mask.__getitem__, base)))

    def _positions(self, base: list[int]) -> array[int]:
        """Return each row's position in `base`, computed once per sort order."""
        positions = self._base_positions
        if positions is None or positions[1] is not base:
            table = array("l", bytes(8 * len(base)))
            for position, row in enumerate(base):
                table[row] = position
            positions = (table, base)
            self._base_positions = positions
        elif len(positions[0]) < len(base):
            positions[0].extend(range(len(positions[0]), len(base)))
        return positions[0]

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
        # A few indexes (a selection, the current row) are found with list.index in C; many
        # (a large selection) with one pass that builds a lookup.
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
        if role == Qt.ItemDataRole.ToolTipRole:
            return self._tooltip(column, source)
        if column == _STATUS_COLUMN:
            status = self._table.status_of(source)
            if role == Qt.ItemDataRole.BackgroundRole:
                return status_style.cell_background(status)
            if role == Qt.ItemDataRole.ForegroundRole:
                return status_style.text_on(status_style.cell_background(status))
            if role == Qt.ItemDataRole.AccessibleTextRole:
                return status_style.label(status)
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return _RIGHT if column in _NUMBER_COLUMNS else None
        if role == Role.STATUS:
            return self._table.status_of(source)
        if role == Role.CONVERSATION_ID:
            return self._table.text["conversation_id"].text(source)
        if role == Role.SOURCE_ROW:
            return source
        if role == Role.SORT:
            return self._table.sort_value(column, source)
        return None

    def _tooltip(self, column: int, source: int) -> str | None:
        if column in (_STATUS_COLUMN, _REASON_COLUMN):
            sentence = self._table.text["wrapup_reason"].text(source)
            if column == _REASON_COLUMN:
                return sentence or None
            status = self._table.status_of(source)
            return f"{status_style.label(status)}: {status_style.explanation(status)}\n{sentence}"
        if column in _TOOLTIP_COLUMNS:
            return self._readers[column](source) or None
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
        if role == Qt.ItemDataRole.TextAlignmentRole and section in _NUMBER_COLUMNS:
            return _RIGHT
        return None


def _needle(text: str) -> str:
    # The search joins dictionary entries with NUL, so a search text must not contain one.
    return fold_for_search(text.replace("\x00", "").strip())


def _check_dimension(dimension: str, key: str | None) -> None:
    if dimension not in DIMENSIONS:
        raise ValueError(f"dimension must be one of {', '.join(DIMENSIONS)}, got {dimension!r}")
    if dimension == "day" and key:
        try:
            date.fromisoformat(key)
        except ValueError:
            raise ValueError(f"a day must be written YYYY-MM-DD, but got {key!r}") from None
