"""Summary export: one CSV line per queue, agent, code or day with its counts.

Columns: `dimension`, `key`, `label`, `legs`, then one count column per wrap-up status, named
as in the `wrapup_status` column of the row export. Then `required_legs` (legs that needed a
code), `compliant_legs` (those of them where the agent chose a code), `compliance_percent` and
`transfer_legs`.

`compliance_percent` is a percentage with one decimal (`87.5`), empty when no leg required a
code. A percentage reads directly in Excel and matches what the app shows; the XLSX summary
keeps the exact fraction with a percent format instead.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator, Mapping, Sequence
from pathlib import Path

from wrapup_desktop.domain.rows import WrapupStatus
from wrapup_desktop.domain.summary import SummaryRow
from wrapup_desktop.export.columns import neutralise
from wrapup_desktop.export.csv_writer import write_table_csv

logger = logging.getLogger(__name__)

STATUS_COLUMNS: tuple[str, ...] = tuple(status.value for status in WrapupStatus)
SUMMARY_COLUMNS: tuple[str, ...] = (
    "dimension",
    "key",
    "label",
    "legs",
    *STATUS_COLUMNS,
    "required_legs",
    "compliant_legs",
    "compliance_percent",
    "transfer_legs",
)


def format_percent(rate: float | None) -> str:
    """Format a 0..1 rate as a percentage with one decimal; empty when unknown."""
    if rate is None:
        return ""
    return f"{rate * 100:.1f}"


def summary_values(row: SummaryRow) -> list[str]:
    """Return the CSV text of each cell of one summary line, in `SUMMARY_COLUMNS` order."""
    counts = [str(row.counts.get(status, 0)) for status in WrapupStatus]
    return [
        neutralise(row.dimension),
        neutralise(row.key),
        neutralise(row.label),
        str(row.legs),
        *counts,
        str(row.required),
        str(row.assigned),
        format_percent(row.compliance_rate),
        str(row.transfer_legs),
    ]


def iter_summary_rows(summaries: Mapping[str, Sequence[SummaryRow]]) -> Iterator[SummaryRow]:
    """Yield the summary lines of every dimension, dimensions in the mapping's order."""
    for rows in summaries.values():
        yield from rows


def write_summary_csv(summaries: Mapping[str, Sequence[SummaryRow]], path: Path) -> int:
    """Write every dimension's summary lines to `path` as CSV; return the number of lines.

    Uses the CSV rules of the row export: UTF-8 with BOM, RFC 4180 quoting, CRLF, formula
    neutralisation and an atomic write. Raises InputError naming the path on failure.
    """
    path = Path(path)
    lines = (summary_values(row) for row in iter_summary_rows(summaries))
    count = write_table_csv(SUMMARY_COLUMNS, lines, path)
    logger.info("Wrote %d summary lines to %s", count, path)
    return count
