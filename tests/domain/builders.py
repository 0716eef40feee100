"""Small builders for conversation JSON as the details query returns it.

Times are written as "HH:MM:SS" on 2026-03-02 UTC, so a test reads like the case it checks.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import msgspec

from wrapup_desktop.domain.directory import Directory, LookupState, QueueInfo
from wrapup_desktop.domain.model import Conversation

DAY = "2026-03-02"
OPEN = object()
"""Marks a segment without `segmentEnd`."""


def at(clock: str) -> str:
    """Return the ISO-8601 UTC time of a clock time on the test day."""
    return f"{DAY}T{clock}Z" if "." in clock else f"{DAY}T{clock}.000Z"


def seg(kind: str, start: str, end: str | object, **extra: Any) -> dict[str, Any]:
    segment: dict[str, Any] = {"segmentType": kind, "segmentStart": at(start)}
    if end is not OPEN:
        assert isinstance(end, str)
        segment["segmentEnd"] = at(end)
    segment.update(extra)
    return segment


def session(*segments: dict[str, Any], media: str = "voice", **extra: Any) -> dict[str, Any]:
    result: dict[str, Any] = {
        "mediaType": media,
        "direction": "inbound",
        "segments": list(segments),
    }
    result.update(extra)
    return result


def agent(
    user: str, *sessions: dict[str, Any], purpose: str = "agent", **extra: Any
) -> dict[str, Any]:
    result: dict[str, Any] = {
        "participantId": f"p-{user}",
        "purpose": purpose,
        "userId": user,
        "participantName": f"Name of {user}",
        "sessions": list(sessions),
    }
    result.update(extra)
    return result


def acd(queue: str, start: str = "08:59:00", end: str = "09:00:00") -> dict[str, Any]:
    return {
        "participantId": f"acd-{queue}",
        "purpose": "acd",
        "participantName": "queue",
        "sessions": [session(seg("interact", start, end, queueId=queue))],
    }


def customer() -> dict[str, Any]:
    return {
        "participantId": "p-customer",
        "purpose": "customer",
        "sessions": [session(seg("interact", "08:58:00", "09:20:00", disconnectType="peer"))],
    }


def ivr() -> dict[str, Any]:
    return {
        "participantId": "p-ivr",
        "purpose": "ivr",
        "sessions": [session(seg("ivr", "08:58:00", "08:59:00"))],
    }


def conversation_json(
    *participants: dict[str, Any], cid: str = "c-1", ended: bool = True
) -> dict[str, Any]:
    result: dict[str, Any] = {
        "conversationId": cid,
        "conversationStart": at("08:58:00"),
        "originatingDirection": "inbound",
        "participants": list(participants),
    }
    if ended:
        result["conversationEnd"] = at("09:30:00")
    return result


def conversation(
    *participants: dict[str, Any], cid: str = "c-1", ended: bool = True
) -> Conversation:
    return msgspec.convert(conversation_json(*participants, cid=cid, ended=ended), Conversation)


def directory(
    queues: Mapping[str, tuple[str, str | None]] | None = None,
    codes: dict[str, str] | None = None,
    users: dict[str, str] | None = None,
    timeout_ms: int | None = 30_000,
) -> Directory:
    """Return a directory where every listing was loaded."""
    return Directory(
        wrapup_codes=dict(codes or {}),
        queues={
            queue_id: QueueInfo(name, prompt, timeout_ms)
            for queue_id, (name, prompt) in (queues or {}).items()
        },
        users=dict(users or {}),
        wrapup_codes_state=LookupState.FOUND,
        queues_state=LookupState.FOUND,
        users_state=LookupState.FOUND,
    )
