"""Realistic classified legs for the UI tests, made without the network or the classifier."""

from __future__ import annotations

import random
from datetime import UTC, datetime, timedelta

from wrapup_desktop.domain.rows import LegRow, WrapupStatus

AGENTS = (
    ("u-ana", "Ana Souza"),
    ("u-ben", "Ben Okafor"),
    ("u-chloe", "Chloé Martin"),
    ("u-dev", "Dev Patel"),
    ("u-eva", "Eva Novák"),
    ("u-finn", "Finn O'Brien"),
    ("u-grace", "Grace Lee"),
    ("u-jose", "José Núñez"),
)
QUEUES = (
    ("q-sales", "Sales"),
    ("q-support", "Support"),
    ("q-billing", "Billing"),
    ("q-retention", "Retention"),
)
CODES = (
    ("wc-sale", "Sale made"),
    ("wc-info", "Information given"),
    ("wc-callback", "Callback booked"),
    ("wc-complaint", "Complaint"),
)
REASONS = {
    WrapupStatus.ASSIGNED: "The agent chose the code {code}.",
    WrapupStatus.MISSING: "No code, although queue {queue} requires one (MANDATORY).",
    WrapupStatus.TIMEOUT: "After-call work on queue {queue} timed out before a code was chosen.",
    WrapupStatus.SKIPPED: "The agent skipped after-call work on queue {queue}.",
    WrapupStatus.SYSTEM: "The dialer wrote ININ-OUTBOUND-MACHINE: an answering machine answered.",
    WrapupStatus.NOT_REQUIRED: "No code, and queue {queue} makes codes optional (OPTIONAL).",
    WrapupStatus.PENDING: "The agent is still in after-call work; export again later.",
    WrapupStatus.NOT_CONNECTED: "The agent was alerted but never connected.",
    WrapupStatus.NO_AGENT: "The caller hung up in queue {queue} before an agent answered.",
    WrapupStatus.MALFORMED: "The field participants[2].sessions is not a list; it was skipped.",
}
WEIGHTS = {
    WrapupStatus.ASSIGNED: 70,
    WrapupStatus.MISSING: 8,
    WrapupStatus.TIMEOUT: 6,
    WrapupStatus.SKIPPED: 2,
    WrapupStatus.SYSTEM: 3,
    WrapupStatus.NOT_REQUIRED: 5,
    WrapupStatus.PENDING: 1,
    WrapupStatus.NOT_CONNECTED: 3,
    WrapupStatus.NO_AGENT: 4,
    WrapupStatus.MALFORMED: 1,
}
START = datetime(2026, 11, 2, 7, 0, tzinfo=UTC)


def leg(
    conversation_id: str = "c-1",
    status: WrapupStatus = WrapupStatus.ASSIGNED,
    *,
    start: datetime | None = START,
    agent: tuple[str, str] = AGENTS[0],
    queue: tuple[str, str] = QUEUES[0],
    code: tuple[str, str] = CODES[0],
    acw_seconds: float | None = 20.0,
    transfer_seq: int = 1,
    reason: str = "",
    note: str = "",
) -> LegRow:
    """Return one leg with sensible defaults, for tests that need a few exact rows."""
    has_code = status in (WrapupStatus.ASSIGNED, WrapupStatus.TIMEOUT, WrapupStatus.SYSTEM)
    code_id, code_name = code if status == WrapupStatus.ASSIGNED else ("", "")
    if status == WrapupStatus.TIMEOUT:
        code_id = "ININ-WRAP-UP-TIMEOUT"
    if status == WrapupStatus.SYSTEM:
        code_id = "ININ-OUTBOUND-MACHINE"
    no_agent = status == WrapupStatus.NO_AGENT
    return LegRow(
        conversation_id=conversation_id,
        conversation_start=start,
        conversation_end=None if start is None else start + timedelta(minutes=6),
        media_type="voice",
        direction="inbound",
        queue_id=queue[0],
        queue_name=queue[1],
        agent_id="" if no_agent else agent[0],
        agent_name="" if no_agent else agent[1],
        participant_id="" if no_agent else f"p-{conversation_id}-{transfer_seq}",
        wrapup_status=status,
        wrapup_code_id=code_id,
        wrapup_code_name=code_name,
        wrapup_count=int(has_code),
        acw_seconds=None if no_agent else acw_seconds,
        wrapup_reason=reason or REASONS[status].format(code=code_name or code_id, queue=queue[1]),
        transfer_seq=0 if no_agent else transfer_seq,
        wrapup_note=note,
        code_required=None if no_agent else status != WrapupStatus.NOT_REQUIRED,
    )


def make_legs(count: int, seed: int = 7) -> list[LegRow]:
    """Return `count` legs over a week, with weighted statuses and some transfers."""
    rng = random.Random(seed)
    statuses = list(WEIGHTS)
    weights = list(WEIGHTS.values())
    rows: list[LegRow] = []
    conversation = 0
    while len(rows) < count:
        conversation += 1
        conversation_id = f"{rng.getrandbits(64):016x}-c{conversation:07d}"
        start = START + timedelta(seconds=rng.randrange(7 * 24 * 3600))
        queue = rng.choice(QUEUES)
        legs = 1 if rng.random() < 0.85 else 2
        for seq in range(1, legs + 1):
            status = rng.choices(statuses, weights)[0]
            rows.append(
                leg(
                    conversation_id,
                    status,
                    start=start,
                    agent=rng.choice(AGENTS),
                    queue=queue,
                    code=rng.choice(CODES),
                    acw_seconds=round(rng.uniform(0, 90), 3) if rng.random() > 0.05 else None,
                    transfer_seq=seq,
                )
            )
    return rows[:count]
