"""The shape of a summary line that the summary writers read.

TODO: replace with `wrapup_desktop.domain.summary.SummaryRow` once that module exists.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Protocol

from wrapup_desktop.domain.rows import WrapupStatus


class SummaryRow(Protocol):
    """One summary line: the counts of one queue, agent, code or day."""

    dimension: str
    key: str
    label: str
    legs: int
    counts: Mapping[WrapupStatus, int]
    required: int
    assigned: int
    compliance_rate: float | None
    transfer_legs: int
