"""Summary CSV: columns, percentages and the CSV rules of the row export."""

from __future__ import annotations

import csv
from pathlib import Path

from tests.export.conftest import sample_summaries
from wrapup_desktop.export.summary_writer import SUMMARY_COLUMNS, write_summary_csv


def test_summary_csv_columns_in_order() -> None:
    assert SUMMARY_COLUMNS == (
        "dimension",
        "key",
        "label",
        "legs",
        "ASSIGNED",
        "TIMEOUT",
        "SKIPPED",
        "SYSTEM",
        "MISSING",
        "NOT_REQUIRED",
        "PENDING",
        "NOT_CONNECTED",
        "NO_AGENT",
        "MALFORMED",
        "required_legs",
        "compliant_legs",
        "compliance_percent",
        "transfer_legs",
    )


def test_summary_csv_reads_back(tmp_path: Path) -> None:
    path = tmp_path / "summary.csv"

    count = write_summary_csv(sample_summaries(), path)

    data = path.read_bytes()
    with path.open(encoding="utf-8-sig", newline="") as stream:
        lines = list(csv.reader(stream))
    assert count == 3
    assert data.startswith(b"\xef\xbb\xbf")
    assert data.endswith(b"\r\n")
    assert lines[0] == list(SUMMARY_COLUMNS)
    sales = dict(zip(lines[0], lines[1], strict=True))
    support = dict(zip(lines[0], lines[2], strict=True))
    agent = dict(zip(lines[0], lines[3], strict=True))
    assert sales["legs"] == "10"
    assert sales["ASSIGNED"] == "7"
    assert sales["TIMEOUT"] == "2"
    assert sales["PENDING"] == "0"
    assert sales["required_legs"] == "8"
    assert sales["compliant_legs"] == "7"
    assert sales["compliance_percent"] == "87.5"
    assert sales["transfer_legs"] == "1"
    assert support["label"] == "'=Support, Tier 2"
    assert support["compliance_percent"] == ""
    assert agent["dimension"] == "agent"
    assert agent["label"] == "José Núñez"
    assert agent["compliance_percent"] == "100.0"


def test_summary_csv_quotes_comma_label(tmp_path: Path) -> None:
    path = tmp_path / "summary.csv"

    write_summary_csv(sample_summaries(), path)

    assert b',"\'=Support, Tier 2",' in path.read_bytes()
