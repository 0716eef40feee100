"""The classified row: one agent leg of a conversation, or one conversation without an agent.

`LegRow` is the contract between the domain, the exports and the UI. Its field names are the CSV
column names; `columns.py` in the export layer fixes their order.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum


class WrapupStatus(StrEnum):
    """The outcome of the wrap-up code of one agent leg."""

    ASSIGNED = "ASSIGNED"
    """The agent chose a code. Its name may be unresolvable; the reason then says why."""
    TIMEOUT = "TIMEOUT"
    """Genesys wrote ININ-WRAP-UP-TIMEOUT because the time-boxed after-call work ran out."""
    SKIPPED = "SKIPPED"
    """Genesys wrote ININ-WRAP-UP-SKIPPED: the agent skipped after-call work."""
    SYSTEM = "SYSTEM"
    """Another ININ- code written by the platform, such as a dialer outcome."""
    MISSING = "MISSING"
    """The agent connected and finished, no code, and the queue requires one or is unknown."""
    NOT_REQUIRED = "NOT_REQUIRED"
    """No code, and none was required: optional or agent-requested prompt, or no queue."""
    PENDING = "PENDING"
    """The agent's own segments are still open: connected or in after-call work."""
    NOT_CONNECTED = "NOT_CONNECTED"
    """The agent was alerted but never connected."""
    NO_AGENT = "NO_AGENT"
    """The conversation had no agent participant: IVR only, abandoned in queue, ..."""
    MALFORMED = "MALFORMED"
    """The data had an unexpected shape; the reason names the field."""


@dataclass(slots=True)
class LegRow:
    """One row of every report. Times are timezone-aware UTC; exports convert them."""

    conversation_id: str
    conversation_start: datetime | None
    conversation_end: datetime | None
    media_type: str
    direction: str
    queue_id: str
    queue_name: str
    agent_id: str
    agent_name: str
    participant_id: str
    wrapup_status: WrapupStatus
    wrapup_code_id: str
    wrapup_code_name: str
    wrapup_count: int
    """Segments of the leg, across all its sessions, that carry a non-blank code.

    Wrap-up segments without a code (after a transfer, or skipped) are not counted, so the count
    says how many codes the agent or the platform recorded."""
    acw_seconds: float | None
    """Length of the agent's wrap-up segments in seconds, from the segments themselves.

    Each segment counts as zero when its end is not after its start. None while a wrap-up
    segment is still open. A leg without wrap-up segments takes its `tAcw` metric, and None when
    it has none."""
    wrapup_reason: str
    """One plain sentence that a non-developer understands."""
    transfer_seq: int = 0
    """The leg's order among the agent legs of its conversation, from 1; 0 on a NO_AGENT row."""
    wrapup_note: str = ""
    ended_in_transfer: bool = False
    code_required: bool | None = None
    """Whether the offering queue required a code; None when unknown or not applicable."""
