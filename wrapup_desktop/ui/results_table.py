"""Columnar storage of classified legs, their sort keys, and the row masks of the filters.

`LegTable` keeps one array or list per column instead of one object per row, so a million legs
fit in a few hundred MiB. Text columns are dictionary-encoded: each distinct string is stored
once and rows hold small ints in an `array`. Times are float epoch seconds (NaN when unknown),
statuses are their position in `STATUS_ORDER`, and numbers sit in typed arrays. A `LegRow` is
rebuilt only on request (`leg_row`).

`RowFilter` turns the filters into byte masks (one byte per row, 1 where the row passes) with
C-level `map` over the arrays. A text search tests each distinct string of a column once and
maps the result to rows through the codes, so it costs one pass over the dictionary plus one
pass over the rows. The results model (`results_model.py`) adds the Qt side.
"""

from __future__ import annotations

import math
import unicodedata
from array import array
from bisect import bisect_right
from collections import Counter
from collections.abc import Callable, Sequence
from datetime import UTC, date, datetime, time, timedelta
from itertools import accumulate, pairwise
from operator import attrgetter
from typing import Any
from zoneinfo import ZoneInfo

from wrapup_desktop.domain.rows import LegRow, WrapupStatus
from wrapup_desktop.export.columns import CSV_COLUMNS, NOTE_COLUMN, format_acw
from wrapup_desktop.ui.status_style import STATUS_ORDER, marked_label

COLUMNS: tuple[str, ...] = (*CSV_COLUMNS, NOTE_COLUMN)
"""The table's columns: the CSV columns in their order, then the note."""

SEARCH_COLUMNS: tuple[str, ...] = (
    "agent_name",
    "queue_name",
    "wrapup_code_name",
    "conversation_id",
    "wrapup_reason",
)
"""Columns that the text search looks in by default."""

DIMENSIONS: tuple[str, ...] = ("queue", "agent", "code", "day")
"""The groupings of the summary charts, and so the filters that a chart click sets."""

TEXT_COLUMNS: tuple[str, ...] = (
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
TIME_COLUMNS: tuple[str, ...] = ("conversation_start", "conversation_end")
INT_COLUMNS: tuple[str, ...] = ("wrapup_count", "transfer_seq")
NUMBER_COLUMNS: frozenset[str] = frozenset({*INT_COLUMNS, "acw_seconds"})
DIMENSION_COLUMNS: dict[str, tuple[str, str]] = {
    "queue": ("queue_id", "queue_name"),
    "agent": ("agent_id", "agent_name"),
    "code": ("wrapup_code_id", "wrapup_code_name"),
}
"""The ID column and the name column of each dimension except the day."""

STATUS_INDEX: dict[WrapupStatus, int] = {status: code for code, status in enumerate(STATUS_ORDER)}
_NAN = math.nan
_INF = math.inf

_SEPARATOR = "\x00"
"""Joins dictionary entries for `TextColumn.search`; a search text never contains it."""
_JOINED_SEARCH_MIN = 2048
"""Dictionaries up to this size are searched entry by entry, which is as fast for them."""

Mask = bytes | bytearray
"""One byte per row, 1 where the row passes; None in signatures means every row passes."""


class TextColumn:
    """A dictionary-encoded text column: distinct strings once, rows as ints."""

    __slots__ = (
        "_folded",
        "_joined",
        "_offsets",
        "_rank",
        "_search_keys",
        "codes",
        "lookup",
        "values",
    )

    def __init__(self) -> None:
        self.values: list[str] = []
        self.lookup: dict[str, int] = {}
        self.codes = array("i")
        self._folded: list[str] = []
        self._search_keys: list[str] = []
        self._rank: array[int] | None = None
        self._joined = ""
        self._offsets = array("q", [0])

    def extend(self, texts: Sequence[str]) -> None:
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

    def text(self, row: int) -> str:
        return self.values[self.codes[row]]

    def folded(self) -> list[str]:
        """Return the case-folded dictionary, extended to new entries as they arrive."""
        folded = self._folded
        if len(folded) < len(self.values):
            new = self.values[len(folded) :]
            # IDs are already lower case: keep the original string instead of an equal copy,
            # which saves about 80 MiB per million distinct IDs.
            folded.extend(
                [
                    text if text == lowered else lowered
                    for text, lowered in zip(new, map(str.casefold, new), strict=True)
                ]
            )
        return folded

    def search_keys(self) -> list[str]:
        """Return the dictionary folded by `fold_for_search`, extended to new entries."""
        keys = self._search_keys
        if len(keys) < len(self.values):
            new = self.values[len(keys) :]
            # As in `folded`, an entry that folds to itself is kept instead of an equal copy.
            keys.extend(
                [
                    text if text == key else key
                    for text, key in zip(new, map(fold_for_search, new), strict=True)
                ]
            )
        return keys

    def row_keys(self) -> list[Any]:
        """Return one sort key per row: case-insensitive, equal for equal strings."""
        if len(self.values) * 2 > len(self.codes):
            # Mostly distinct values (IDs): sorting the rows by the strings themselves costs
            # one sort instead of two.
            return list(map(self.folded().__getitem__, self.codes))
        return list(map(self.rank().__getitem__, self.codes))

    def search(self, needle: str) -> bytearray:
        """Return a mask over the dictionary: 1 where the search key of an entry has `needle`.

        The entries are joined into one string once, so `str.find` scans them in C and the
        loop below runs once per matching entry, not once per entry.
        """
        folded = self.search_keys()
        if len(self._offsets) != len(folded) + 1:
            self._joined = _SEPARATOR.join(folded) + _SEPARATOR
            lengths = map((1).__add__, map(len, folded))  # each entry and its separator
            self._offsets = array("q", accumulate(lengths, initial=0))
        joined = self._joined
        offsets = self._offsets
        mask = bytearray(len(folded))
        position = joined.find(needle)
        while position >= 0:
            code = bisect_right(offsets, position) - 1
            mask[code] = 1
            position = joined.find(needle, offsets[code + 1])
        return mask

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


class LegTable:
    """Every leg of a run, stored by column."""

    def __init__(self) -> None:
        self.count = 0
        self.text: dict[str, TextColumn] = {name: TextColumn() for name in TEXT_COLUMNS}
        self.times: dict[str, array[float]] = {name: array("d") for name in TIME_COLUMNS}
        self.ints: dict[str, array[int]] = {name: array("l") for name in INT_COLUMNS}
        self.acw = array("d")
        self.status = array("b")
        """Each row's status as its position in `STATUS_ORDER`."""
        self.ended_in_transfer = array("b")
        self.code_required = array("b")
        """1, 0, or -1 for unknown."""
        self.status_totals = [0] * len(STATUS_ORDER)

    def append(self, rows: Sequence[LegRow]) -> range:
        """Store `rows` after the existing ones and return their row numbers."""
        start = self.count
        for name, column in self.text.items():
            column.extend(list(map(attrgetter(name), rows)))
        for name, times in self.times.items():
            times.extend(map(_epoch, map(attrgetter(name), rows)))
        for name, numbers in self.ints.items():
            numbers.extend(map(attrgetter(name), rows))
        self.acw.extend(_NAN if row.acw_seconds is None else row.acw_seconds for row in rows)
        # A StrEnum member hashes and compares like its value, so plain strings look up too.
        codes = list(map(STATUS_INDEX.__getitem__, map(attrgetter("wrapup_status"), rows)))
        self.status.extend(codes)
        for code, amount in Counter(codes).items():
            self.status_totals[code] += amount
        self.ended_in_transfer.extend(int(row.ended_in_transfer) for row in rows)
        self.code_required.extend(
            -1 if row.code_required is None else int(row.code_required) for row in rows
        )
        self.count += len(rows)
        return range(start, self.count)

    def status_of(self, row: int) -> WrapupStatus:
        return STATUS_ORDER[self.status[row]]

    def leg_row(self, row: int) -> LegRow:
        """Rebuild the `LegRow` stored at `row` (rows are numbered in the order added)."""
        if not 0 <= row < self.count:
            raise IndexError(f"row {row} is outside the {self.count} rows loaded")
        text = {name: column.text(row) for name, column in self.text.items()}
        required = self.code_required[row]
        acw = self.acw[row]
        return LegRow(
            conversation_id=text["conversation_id"],
            conversation_start=_datetime(self.times["conversation_start"][row]),
            conversation_end=_datetime(self.times["conversation_end"][row]),
            media_type=text["media_type"],
            direction=text["direction"],
            queue_id=text["queue_id"],
            queue_name=text["queue_name"],
            agent_id=text["agent_id"],
            agent_name=text["agent_name"],
            participant_id=text["participant_id"],
            wrapup_status=self.status_of(row),
            wrapup_code_id=text["wrapup_code_id"],
            wrapup_code_name=text["wrapup_code_name"],
            wrapup_count=self.ints["wrapup_count"][row],
            acw_seconds=None if acw != acw else acw,
            wrapup_reason=text["wrapup_reason"],
            transfer_seq=self.ints["transfer_seq"][row],
            wrapup_note=text[NOTE_COLUMN],
            ended_in_transfer=bool(self.ended_in_transfer[row]),
            code_required=None if required < 0 else bool(required),
        )

    def display_readers(self, format_time: Callable[[float], str]) -> list[Callable[[int], str]]:
        """Return, per column, a function from row number to the text a table cell shows."""
        readers: list[Callable[[int], str]] = []
        for name in COLUMNS:
            if name in self.text:
                readers.append(self.text[name].text)
            elif name in self.times:
                times = self.times[name]
                readers.append(lambda row, t=times: format_time(t[row]))  # type: ignore[misc]
            elif name in self.ints:
                numbers = self.ints[name]
                readers.append(lambda row, a=numbers: str(a[row]))  # type: ignore[misc]
            elif name == "acw_seconds":
                readers.append(self._acw_text)
            else:
                readers.append(lambda row: marked_label(self.status_of(row)))
        return readers

    def _acw_text(self, row: int) -> str:
        value = self.acw[row]
        return "" if value != value else format_acw(value)

    def sort_keys(self, column: int) -> Sequence[Any]:
        """Return one comparable key per row for `column`; unknown times and numbers last."""
        name = COLUMNS[column]
        if name in self.text:
            return self.text[name].row_keys()
        if name in self.times:
            return [value if value == value else _INF for value in self.times[name]]
        if name == "acw_seconds":
            return [value if value == value else _INF for value in self.acw]
        if name in self.ints:
            return self.ints[name]
        return self.status

    def sort_value(self, column: int, row: int) -> Any:
        """Return the value `column` sorts by for one row (case-folded text, NaN unknown)."""
        name = COLUMNS[column]
        if name in self.text:
            return self.text[name].text(row).casefold()
        if name in self.times:
            return self.times[name][row]
        if name == "acw_seconds":
            return self.acw[row]
        if name in self.ints:
            return self.ints[name][row]
        return self.status[row]

    def extends_order(self, column: int, descending: bool, last: int | None, new: range) -> bool:
        """Tell whether rows `new`, placed after row `last`, keep the sort order of `column`.

        Only times and numbers are checked; text ranks shift as the dictionary grows, so new
        text rows always count as out of order.
        """
        name = COLUMNS[column]
        if name not in TIME_COLUMNS and name not in NUMBER_COLUMNS:
            return False
        if name in self.times:
            values: Sequence[float] = self.times[name]
        elif name == "acw_seconds":
            values = self.acw
        else:
            values = self.ints[name]
        rows = ([last] if last is not None else []) + list(new)
        keys = [_INF if values[row] != values[row] else values[row] for row in rows]
        if descending:
            return all(a >= b for a, b in pairwise(keys))
        return all(a <= b for a, b in pairwise(keys))

    def first_name(self, dimension: str, key: str) -> str:
        """Return the name stored beside the first row whose ID for `dimension` is `key`."""
        columns = DIMENSION_COLUMNS.get(dimension)
        if columns is None:
            return key
        ids = self.text[columns[0]]
        code = ids.lookup.get(key)
        if code is None:
            return key
        names = self.text[columns[1]]
        try:
            row = ids.codes.index(code)
        except ValueError:
            return key
        return names.text(row) or key

    def rows_of_conversation(self, conversation_id: str) -> list[int]:
        column = self.text["conversation_id"]
        code = column.lookup.get(conversation_id)
        if code is None:
            return []
        codes = column.codes
        return [row for row in range(self.count) if codes[row] == code]


class _Match:
    """A test on a text column's distinct strings, mapped to rows through its codes."""

    def __init__(
        self,
        column: TextColumn,
        test: Callable[[str], bool],
        *,
        folded: bool,
        needle: str | None = None,
    ) -> None:
        self.column = column
        self.test = test
        self.folded = folded
        self.needle = needle
        """The substring that `test` looks for, when it is a substring test."""
        self._mask = bytearray()

    def dictionary_mask(self) -> bytearray:
        values = self.column.search_keys() if self.folded else self.column.values
        if not self._mask and self.needle and len(values) > _JOINED_SEARCH_MIN:
            self._mask = self.column.search(self.needle)
        if len(self._mask) < len(values):
            self._mask.extend(bytes(map(self.test, values[len(self._mask) :])))
        return self._mask

    def rows(self, start: int, stop: int) -> bytes:
        mask = self.dictionary_mask()
        return bytes(map(mask.__getitem__, self.column.codes[start:stop]))


class RowFilter:
    """The filters of the results as row masks over one `LegTable`.

    The text search and the dimension filters make the "facet" mask. The status filter has a
    mask of its own, so the status chips can count the rows each status would add.
    """

    def __init__(
        self,
        table: LegTable,
        *,
        statuses: frozenset[WrapupStatus] | None,
        text: str,
        search_columns: Sequence[str],
        dimensions: dict[str, str],
        tz: ZoneInfo,
    ) -> None:
        self._table = table
        # Each inner list is an OR over columns; the outer list is an AND of filters.
        self._groups: list[list[_Match]] = []
        if text:
            self._groups.append(
                [
                    _Match(table.text[name], _contains(text), folded=True, needle=text)
                    for name in search_columns
                ]
            )
        self._day: tuple[float, float] | None = None
        for dimension, key in dimensions.items():
            if dimension == "day":
                self._day = _day_bounds(key, tz)
                continue
            id_name, label_name = DIMENSION_COLUMNS[dimension]
            group = [_Match(table.text[id_name], key.__eq__, folded=False)]
            if key:
                group.append(_Match(table.text[label_name], key.__eq__, folded=False))
            self._groups.append(group)
        self._status_table: bytes | None = None
        if statuses:
            self._status_table = bytes(int(status in statuses) for status in STATUS_ORDER)

    def facet_rows(self, start: int, stop: int) -> Mask | None:
        """Return the mask of the text and dimension filters for rows `start` to `stop`."""
        mask: Mask | None = None
        for group in self._groups:
            either: bytes | None = None
            for match in group:
                if b"\x01" in match.dictionary_mask():
                    either = or_masks(either, match.rows(start, stop))
            mask = and_masks(mask, either if either is not None else bytes(stop - start))
        if self._day is not None:
            low, high = self._day
            times = self._table.times["conversation_start"][start:stop]
            if low != low:
                mask = and_masks(mask, bytes(value != value for value in times))
            else:
                mask = and_masks(mask, bytes(low <= value < high for value in times))
        return mask

    def status_rows(self, start: int, stop: int) -> bytes | None:
        """Return the mask of the status filter for rows `start` to `stop`."""
        if self._status_table is None:
            return None
        return bytes(map(self._status_table.__getitem__, self._table.status[start:stop]))


def and_masks(left: Mask | None, right: Mask | None) -> Mask | None:
    if left is None:
        return right
    if right is None:
        return left
    value = int.from_bytes(left, "little") & int.from_bytes(right, "little")
    return value.to_bytes(len(left), "little")


def or_masks(left: bytes | None, right: bytes) -> bytes:
    if left is None:
        return right
    value = int.from_bytes(left, "little") | int.from_bytes(right, "little")
    return value.to_bytes(len(left), "little")


def fold_for_search(text: str) -> str:
    """Fold `text` for a search that ignores case and accents: "Léa" and "LEA" become "lea".

    NFKD splits accented letters into a base letter and combining marks, which are dropped.
    Letters without a decomposition, such as "ł" or "ø", stay as they are.
    """
    if text.isascii():
        return text.casefold()
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(char for char in decomposed if not unicodedata.combining(char))


def _contains(needle: str) -> Callable[[str], bool]:
    return lambda text: needle in text


def _day_bounds(key: str, tz: ZoneInfo) -> tuple[float, float]:
    if not key:
        return (_NAN, _NAN)  # the summaries' "(unknown day)": rows without a start time
    day = date.fromisoformat(key)
    start = datetime.combine(day, time(0), tz)
    end = datetime.combine(day + timedelta(days=1), time(0), tz)
    return start.timestamp(), end.timestamp()


def _epoch(value: datetime | None) -> float:
    if value is None:
        return _NAN
    if value.tzinfo is None:
        # LegRow times are aware UTC; a naive one is read as UTC, not as the machine's zone.
        return value.replace(tzinfo=UTC).timestamp()
    return value.timestamp()


def _datetime(value: float) -> datetime | None:
    if value != value:
        return None
    return datetime.fromtimestamp(value, UTC)
