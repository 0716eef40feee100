"""Row export to CSV that Excel opens correctly.

The file is UTF-8 with a byte order mark, so Excel on Windows reads accents right. Quoting
follows RFC 4180: fields with a comma, quote or line break are quoted, quotes are doubled, and
lines end in CRLF. Text cells that a spreadsheet would run as a formula get a leading apostrophe
(see `columns.py`). Rows are streamed, so a generator of a million rows needs no list in memory.
"""

from __future__ import annotations

import csv
import logging
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import IO

from wrapup_desktop.domain.rows import LegRow
from wrapup_desktop.export.atomic import atomic_binary_file
from wrapup_desktop.export.columns import ExportOptions, columns_for, row_values, select_rows

logger = logging.getLogger(__name__)

UTF8_BOM = b"\xef\xbb\xbf"
FLUSH_EVERY_ROWS = 2000
"""Rows gathered as text before they are encoded and written; bounds memory per export."""


class _TextBuffer:
    """A write() target for csv.writer that collects text until it is flushed as UTF-8."""

    def __init__(self, stream: IO[bytes]) -> None:
        self._stream = stream
        self._parts: list[str] = []

    def write(self, text: str) -> int:
        self._parts.append(text)
        return len(text)

    def flush(self) -> None:
        if self._parts:
            # A lone surrogate from a JSON escape cannot be encoded; it becomes "?".
            self._stream.write("".join(self._parts).encode("utf-8", errors="replace"))
            self._parts.clear()


def write_table_csv(header: Sequence[str], lines: Iterable[Sequence[object]], path: Path) -> int:
    """Write `header` and `lines` to `path` with the CSV rules of this module; return the count.

    The caller neutralises formula cells; this function only encodes, quotes and writes.
    """
    count = 0
    with atomic_binary_file(path) as stream:
        stream.write(UTF8_BOM)
        buffer = _TextBuffer(stream)
        writer = csv.writer(buffer, quoting=csv.QUOTE_MINIMAL, lineterminator="\r\n")
        writer.writerow(header)
        for line in lines:
            writer.writerow(line)
            count += 1
            if count % FLUSH_EVERY_ROWS == 0:
                buffer.flush()
        buffer.flush()
    return count


def write_csv(rows: Iterable[LegRow], path: Path, options: ExportOptions) -> int:
    """Write the rows that pass the status filter to `path` as CSV; return how many.

    Raises InputError naming the path when the folder is missing, the file is locked (open in
    Excel on Windows) or cannot be written. The old file is then left as it was.
    """
    path = Path(path)
    lines = (row_values(row, options) for row in select_rows(rows, options))
    count = write_table_csv(columns_for(options), lines, path)
    logger.info("Wrote %d rows to %s", count, path)
    return count
