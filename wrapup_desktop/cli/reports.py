"""Writing the files and the diagnosis that `export` and `classify` share."""

from __future__ import annotations

import argparse
import sys
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from zoneinfo import ZoneInfo

from wrapup_desktop.domain.diagnosis import Finding, RunInfo, diagnose
from wrapup_desktop.domain.directory import Directory
from wrapup_desktop.domain.rows import LegRow, WrapupStatus
from wrapup_desktop.domain.summary import SummaryRow, summarize
from wrapup_desktop.errors import InputError

SUMMARY_DIMENSIONS = ("queue", "agent", "code", "day")


@dataclass(frozen=True)
class ReportOutputs:
    """The files to write and what goes into them."""

    csv: Path | None
    xlsx: Path | None
    jsonl: Path | None
    summary: Path | None
    include_notes: bool
    utc_columns: bool
    statuses: frozenset[WrapupStatus] | None
    explain: bool

    @classmethod
    def from_args(cls, args: argparse.Namespace) -> ReportOutputs:
        """Check the output options; raise InputError unless every named file can be written."""
        outputs = cls(
            csv=_path(args.csv),
            xlsx=_path(args.xlsx),
            jsonl=_path(args.jsonl),
            summary=_path(args.summary),
            include_notes=args.include_notes,
            utc_columns=args.utc_columns,
            statuses=parse_statuses(args.status),
            explain=args.explain,
        )
        files = [
            path for path in (outputs.csv, outputs.xlsx, outputs.jsonl, outputs.summary) if path
        ]
        if not files:
            raise InputError(
                "No output file. Name one with --csv FILE, --xlsx FILE, --jsonl FILE or "
                "--summary FILE.csv."
            )
        seen: set[Path] = set()
        for path in files:
            resolved = path.resolve()
            if resolved in seen:
                raise InputError(
                    f"Two outputs name the same file {path}: each would overwrite the other. "
                    "Give each output its own file name."
                )
            seen.add(resolved)
            check_writable(path)
        return outputs


def check_writable(path: Path) -> None:
    """Raise InputError unless `path` can be written, before a long fetch rather than after it.

    An existing file is opened for appending and closed unchanged; for a new file, a temporary
    file is created and removed in its folder.
    """
    folder = path.parent
    if not folder.is_dir():
        raise InputError(
            f"The folder {folder} for {path.name} does not exist. Create it, or choose another "
            "path."
        )
    if path.is_dir():
        raise InputError(f"{path} is a folder. Give a file name, such as {path / 'out.csv'}.")
    try:
        if path.exists():
            with path.open("ab"):
                pass
        else:
            with tempfile.NamedTemporaryFile(dir=folder, prefix=f".{path.name}.", delete=True):
                pass
    except OSError as exc:
        raise InputError(
            f"Cannot write {path}: {exc.strerror or exc}. If the file is open in Excel, close "
            "it; otherwise choose another path."
        ) from exc


def parse_statuses(text: str | None) -> frozenset[WrapupStatus] | None:
    """Parse `--status MISSING,TIMEOUT`; None keeps every status."""
    if text is None:
        return None
    statuses: set[WrapupStatus] = set()
    for part in text.split(","):
        name = part.strip().upper()
        if not name:
            continue
        try:
            statuses.add(WrapupStatus(name))
        except ValueError:
            known = ", ".join(status.value for status in WrapupStatus)
            raise InputError(
                f"--status {part.strip()!r} is not a wrap-up status. Use some of: {known}."
            ) from None
    if not statuses:
        known = ", ".join(status.value for status in WrapupStatus)
        raise InputError(f"--status is empty. Name one or more of: {known}.")
    return frozenset(statuses)


def write_reports(
    rows: Sequence[LegRow],
    directory: Directory,
    run: RunInfo,
    outputs: ReportOutputs,
    tz: ZoneInfo,
) -> list[Finding]:
    """Write every requested file, print the diagnosis when asked, and return the findings."""
    from wrapup_desktop.export import ExportOptions, write_csv, write_jsonl, write_xlsx
    from wrapup_desktop.export.summary_writer import write_summary_csv

    options = ExportOptions(
        tz=tz,
        include_notes=outputs.include_notes,
        utc_columns=outputs.utc_columns,
        statuses=outputs.statuses,
    )
    # Summaries and the diagnosis always cover every row: a compliance rate over the rows that
    # --status kept would be meaningless.
    summaries: dict[str, list[SummaryRow]] = {}
    if outputs.summary or outputs.xlsx:
        summaries = {by: summarize(rows, by, tz) for by in SUMMARY_DIMENSIONS}
    if outputs.csv:
        count = write_csv(rows, outputs.csv, options)
        print(f"Wrote {counted(count, 'row')} to {outputs.csv}", file=sys.stderr)
    if outputs.xlsx:
        count = write_xlsx(rows, outputs.xlsx, options, summaries)
        print(f"Wrote {counted(count, 'row')} to {outputs.xlsx}", file=sys.stderr)
    if outputs.jsonl:
        count = write_jsonl(rows, outputs.jsonl, options)
        print(f"Wrote {counted(count, 'row')} to {outputs.jsonl}", file=sys.stderr)
    if outputs.summary:
        write_summary_csv(summaries, outputs.summary)
        print(f"Wrote the summary to {outputs.summary}", file=sys.stderr)
    findings = diagnose(rows, directory, run)
    if outputs.explain:
        print(format_findings(findings))
    return findings


def counted(count: int, noun: str) -> str:
    """Return "1 row" or "1,234 rows"."""
    return f"{count:,} {noun}" if count == 1 else f"{count:,} {noun}s"


def format_findings(findings: Sequence[Finding]) -> str:
    """Render the diagnosis as plain text for a terminal or a scheduled job's mail."""
    if not findings:
        return "Diagnosis: no problems found."
    lines = ["Diagnosis:"]
    for finding in findings:
        lines.append(f"\n[{finding.severity.upper()}] {finding.title}")
        lines.append(f"  Evidence: {finding.evidence}")
        if finding.examples:
            lines.append(f"  Example conversations: {', '.join(finding.examples[:5])}")
        lines.append(f"  Action: {finding.action}")
    return "\n".join(lines)


def _path(value: str | None) -> Path | None:
    return Path(value) if value else None
