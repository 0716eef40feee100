"""Small helpers shared by the command-line tests."""

from __future__ import annotations

import csv
from datetime import date, datetime, time, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from wrapup_desktop.sandbox import SandboxOrg


def read_csv(path: Path) -> tuple[list[str], list[dict[str, str]]]:
    """Read a report the way Excel would: UTF-8 with BOM, RFC 4180."""
    with path.open(encoding="utf-8-sig", newline="") as handle:
        reader = csv.DictReader(handle)
        rows = list(reader)
        return list(reader.fieldnames or []), rows


def local_day_bounds(first: date, last: date, zone: str) -> tuple[datetime, datetime]:
    """Return the UTC bounds of whole local days, first to last inclusive."""
    tz = ZoneInfo(zone)
    start = datetime.combine(first, time(), tz)
    end = datetime.combine(last + timedelta(days=1), time(), tz)
    return start.astimezone(ZoneInfo("UTC")), end.astimezone(ZoneInfo("UTC"))


def expected_rows(conversation: dict[str, Any]) -> int:
    """Return how many rows a conversation yields: one per agent leg, else one NO_AGENT row."""
    legs = sum(
        1
        for participant in conversation.get("participants", [])
        if participant.get("purpose") == "agent"
        or (participant.get("purpose") == "user" and participant.get("userId"))
    )
    return legs or 1


def sandbox_conversations(
    first: date, last: date, zone: str, org: SandboxOrg | None = None
) -> list[dict[str, Any]]:
    """Return the sandbox org's conversations that started in the local range."""
    start, end = local_day_bounds(first, last, zone)
    return list((org or SandboxOrg()).conversations_between(start, end))
