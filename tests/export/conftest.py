"""Rows and summaries shared by the export tests."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any
from zoneinfo import ZoneInfo

from wrapup_desktop.domain.rows import LegRow, WrapupStatus
from wrapup_desktop.domain.summary import SummaryRow

BERLIN = ZoneInfo("Europe/Berlin")


def make_row(**overrides: Any) -> LegRow:
    """Return an ASSIGNED voice leg; keyword arguments replace single fields."""
    values: dict[str, Any] = {
        "conversation_id": "c0ffee00-0000-4000-8000-000000000001",
        "conversation_start": datetime(2026, 11, 2, 8, 15, 0, 512000, tzinfo=UTC),
        "conversation_end": datetime(2026, 11, 2, 8, 21, 30, tzinfo=UTC),
        "media_type": "voice",
        "direction": "inbound",
        "queue_id": "5d6a7f1e-0000-4000-8000-000000000001",
        "queue_name": "Sales",
        "agent_id": "a7e1c9d2-0000-4000-8000-0000000000aa",
        "agent_name": "Jane Agent",
        "participant_id": "p-2",
        "wrapup_status": WrapupStatus.ASSIGNED,
        "wrapup_code_id": "7c0d5e2a-0000-4000-8000-0000000000c1",
        "wrapup_code_name": "Sale",
        "wrapup_count": 1,
        "acw_seconds": 20.0,
        "wrapup_reason": "The agent chose the code Sale.",
        "transfer_seq": 1,
        "wrapup_note": "",
    }
    values.update(overrides)
    return LegRow(**values)


def sample_summaries() -> dict[str, list[SummaryRow]]:
    """Two queues and one agent."""
    return {
        "queue": [
            SummaryRow(
                dimension="queue",
                key="q-1",
                label="Sales",
                legs=10,
                counts={
                    WrapupStatus.ASSIGNED: 7,
                    WrapupStatus.MISSING: 1,
                    WrapupStatus.TIMEOUT: 2,
                },
                required=8,
                assigned=7,
                compliance_rate=0.875,
                transfer_legs=1,
            ),
            SummaryRow(
                dimension="queue",
                key="q-2",
                label="=Support, Tier 2",
                legs=2,
                counts={WrapupStatus.NO_AGENT: 2},
                required=0,
                assigned=0,
                compliance_rate=None,
                transfer_legs=0,
            ),
        ],
        "agent": [
            SummaryRow(
                dimension="agent",
                key="u-1",
                label="José Núñez",
                legs=3,
                counts={WrapupStatus.ASSIGNED: 2, WrapupStatus.NOT_REQUIRED: 1},
                required=2,
                assigned=2,
                compliance_rate=1.0,
                transfer_legs=0,
            )
        ],
    }
