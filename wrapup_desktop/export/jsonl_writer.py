"""Row export to JSON Lines: one JSON object per row, for scripts and data tools.

Each line has the keys of the CSV header in the same order. Values keep their types: numbers are
JSON numbers, unknown or empty values are `null`, times are ISO-8601 strings in the report zone
with their offset. Text is written as is: no formula neutralisation, because no spreadsheet
reads this format.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from pathlib import Path

import msgspec

from wrapup_desktop.domain.rows import LegRow
from wrapup_desktop.export.atomic import atomic_binary_file
from wrapup_desktop.export.columns import ExportOptions, columns_for, select_rows, typed_values

logger = logging.getLogger(__name__)

_encoder = msgspec.json.Encoder()


def write_jsonl(rows: Iterable[LegRow], path: Path, options: ExportOptions) -> int:
    """Write the rows that pass the status filter to `path` as JSON Lines; return how many.

    Raises InputError naming the path when it cannot be written; the old file then stays.
    """
    path = Path(path)
    columns = columns_for(options)
    count = 0
    with atomic_binary_file(path) as stream:
        for row in select_rows(rows, options):
            record = dict(zip(columns, typed_values(row, options), strict=True))
            stream.write(_encoder.encode(record))
            stream.write(b"\n")
            count += 1
    logger.info("Wrote %d rows to %s", count, path)
    return count
