"""Counts of rows per queue, agent, code or day, with the wrap-up compliance rate.

Compliance is the share of legs that needed a code where the agent chose one. A leg needed a code
when the agent connected, finished, and the queue's prompt did not make the code optional:

- in the denominator: `ASSIGNED`, `TIMEOUT`, `SKIPPED` and `MISSING` legs whose `code_required`
  is True or unknown (None), so a timed-out or skipped prompt counts against compliance, and an
  unknown queue setting counts like a required one, as `MISSING` does;
- left out: `NO_AGENT`, `NOT_CONNECTED`, `PENDING` (not finished), `NOT_REQUIRED`, `SYSTEM` (the
  platform or the dialer chose the code), `MALFORMED`, and any leg on a queue where the code is
  optional or that came through no queue (`code_required` False);
- in the numerator: the `ASSIGNED` legs of the denominator.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Literal
from zoneinfo import ZoneInfo

from wrapup_desktop.domain.rows import LegRow, WrapupStatus

Dimension = Literal["queue", "agent", "code", "day"]

COMPLIANCE_STATUSES = frozenset(
    {WrapupStatus.ASSIGNED, WrapupStatus.TIMEOUT, WrapupStatus.SKIPPED, WrapupStatus.MISSING}
)
"""Statuses of legs that can count towards compliance, unless the code was optional."""


@dataclass
class SummaryRow:
    """The counts of one queue, agent, code or day."""

    dimension: str
    key: str
    label: str
    legs: int = 0
    counts: dict[WrapupStatus, int] = field(default_factory=dict)
    required: int = 0
    """Legs that needed a code (the compliance denominator)."""
    assigned: int = 0
    """Legs of `required` where the agent chose a code."""
    compliance_rate: float | None = None
    """`assigned / required`, or None when no leg needed a code."""
    transfer_legs: int = 0


def needs_code(row: LegRow) -> bool:
    """Tell whether a leg belongs to the compliance denominator (see the module docstring)."""
    return row.wrapup_status in COMPLIANCE_STATUSES and row.code_required is not False


def compliance_rate(rows: Iterable[LegRow]) -> float | None:
    """Return ASSIGNED legs over legs that needed a code, or None when none needed one."""
    required = 0
    assigned = 0
    for row in rows:
        if needs_code(row):
            required += 1
            if row.wrapup_status is WrapupStatus.ASSIGNED:
                assigned += 1
    return assigned / required if required else None


def _key_and_label(by: str, tz: ZoneInfo) -> Callable[[LegRow], tuple[str, str]]:
    if by == "queue":
        return lambda row: (row.queue_id, row.queue_name or row.queue_id or "(no queue)")
    if by == "agent":
        return lambda row: (row.agent_id, row.agent_name or row.agent_id or "(no agent)")
    if by == "code":
        return lambda row: (
            row.wrapup_code_id,
            row.wrapup_code_name or row.wrapup_code_id or "(no code)",
        )
    if by == "day":

        def day(row: LegRow) -> tuple[str, str]:
            if row.conversation_start is None:
                return "", "(unknown day)"
            text = row.conversation_start.astimezone(tz).date().isoformat()
            return text, text

        return day
    raise ValueError(f"summaries are by queue, agent, code or day, but got {by!r}")


def summarize(rows: Iterable[LegRow], by: Dimension | str, tz: ZoneInfo) -> list[SummaryRow]:
    """Count rows per queue, agent, code or day (in `tz`).

    `by` is one of the `Dimension` values; any other raises ValueError. Days come in date
    order; other dimensions by number of legs, most first, then by label.
    """
    key_and_label = _key_and_label(by, tz)
    groups: dict[str, SummaryRow] = {}
    for row in rows:
        key, label = key_and_label(row)
        group = groups.get(key)
        if group is None:
            group = SummaryRow(dimension=by, key=key, label=label)
            groups[key] = group
        group.legs += 1
        status = row.wrapup_status
        group.counts[status] = group.counts.get(status, 0) + 1
        if row.ended_in_transfer:
            group.transfer_legs += 1
        if needs_code(row):
            group.required += 1
            if status is WrapupStatus.ASSIGNED:
                group.assigned += 1
    for group in groups.values():
        group.compliance_rate = group.assigned / group.required if group.required else None
    if by == "day":
        return sorted(groups.values(), key=lambda group: (group.key == "", group.key))
    return sorted(groups.values(), key=lambda group: (-group.legs, group.label))
