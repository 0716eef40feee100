"""Rows for conversations that failed typed decoding, read part by part from the generic JSON.

Each participant is converted on its own. Agent legs that convert are classified like any other
leg. Those that do not become `MALFORMED` rows, and their reason names the field path, the problem
and the value found. Problems outside the agent legs (the conversation's own fields, a customer or
queue participant) are added to the reasons of the readable rows. When nothing readable is left
they give one `MALFORMED` row for the conversation.
"""

from __future__ import annotations

import logging
import re
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

import msgspec

from wrapup_desktop.domain import reasons
from wrapup_desktop.domain.model import Conversation, Participant
from wrapup_desktop.domain.rows import LegRow, WrapupStatus

if TYPE_CHECKING:
    from wrapup_desktop.domain.classify import Classifier

logger = logging.getLogger(__name__)

_PATH_PART = re.compile(r"\.([^.\[]+)|\[(\d+)\]")
_TYPE_WORDS = {
    "str": "text",
    "int": "a number",
    "float": "a number",
    "bool": "true or false",
    "array": "a list",
    "object": "an object",
    "null": "null",
    "datetime": "a time",
}


def looks_like_agent_leg(raw: Any) -> bool:
    """Tell whether a generic participant would be an agent leg if its data were readable."""
    if not isinstance(raw, dict):
        return False
    purpose = raw.get("purpose")
    return purpose == "agent" or (purpose == "user" and raw.get("userId") not in (None, ""))


def describe_error(exc: msgspec.ValidationError, raw: Any, prefix: str) -> tuple[str, str, str]:
    """Return the full field path, the problem in plain words and the value found there."""
    message = str(exc)
    problem, separator, where = message.rpartition(" - at `")
    relative = where.rstrip("`") if separator else "$"
    if not separator:
        problem = message
    path = prefix + relative[1:] if prefix else relative[2:]
    value = _value_at(raw, relative)
    return path or prefix, _plain_problem(problem), _show(value)


def _plain_problem(problem: str) -> str:
    if "datetime" in problem or "RFC3339" in problem:
        return "is not a valid time"
    if problem.startswith("Expected `"):
        expected_part, _, got_part = problem.partition(", got `")
        expected = expected_part.removeprefix("Expected `").rstrip("`").split(" | ")[0]
        got = got_part.rstrip("`")
        expected_text = _TYPE_WORDS.get(expected, expected)
        got_text = _TYPE_WORDS.get(got, got)
        return f"should be {expected_text} but is {got_text}"
    return f"could not be read ({problem})"


def _value_at(raw: Any, relative: str) -> Any:
    value = raw
    for name, index in _PATH_PART.findall(relative):
        if name and isinstance(value, dict):
            value = value.get(name)
        elif index and isinstance(value, list) and int(index) < len(value):
            value = value[int(index)]
        else:
            return None
    return value


def _show(value: Any) -> str:
    try:
        text = msgspec.json.encode(value).decode()
    except (TypeError, ValueError, OverflowError):
        text = repr(value)
    return text if len(text) <= 60 else text[:57] + "..."


def _text(raw: dict[str, Any], key: str) -> str:
    value = raw.get(key)
    return value if isinstance(value, str) else ""


def _time(value: Any) -> datetime | None:
    if not isinstance(value, str):
        return None
    try:
        parsed = msgspec.convert(value, datetime)
    except msgspec.ValidationError:
        return None
    return parsed if parsed.tzinfo is not None else parsed.replace(tzinfo=UTC)


def _header(raw: dict[str, Any]) -> tuple[Conversation, list[tuple[str, str]]]:
    """Read the conversation's own fields, keeping every readable one."""
    fields = {key: value for key, value in raw.items() if key != "participants"}
    try:
        return msgspec.convert(fields, Conversation), []
    except msgspec.ValidationError as exc:
        path, problem, _ = describe_error(exc, fields, "")
        problems = [(path, problem)]
    direction = raw.get("originatingDirection")
    header = Conversation(
        conversation_id=_text(raw, "conversationId") or None,
        conversation_start=_time(raw.get("conversationStart")),
        conversation_end=_time(raw.get("conversationEnd")),
        originating_direction=direction if isinstance(direction, str) else None,
    )
    return header, problems


def classify_raw(raw: Any, classifier: Classifier) -> list[LegRow]:
    """Classify one generically decoded conversation, without raising for any input."""
    try:
        return _classify_raw(raw, classifier)
    except Exception:
        # The documented promise is that a malformed conversation never stops an export, so a
        # fault in this tolerant path becomes one MALFORMED row and a logged traceback.
        logger.exception("Could not classify a malformed conversation")
        conversation_id = _text(raw, "conversationId") if isinstance(raw, dict) else ""
        return [
            _malformed_row(
                Conversation(conversation_id=conversation_id or None),
                {},
                reasons.malformed_reason("", "could not be read", ""),
                0,
            )
        ]


def _classify_raw(raw: Any, classifier: Classifier) -> list[LegRow]:
    if not isinstance(raw, dict):
        reason = reasons.malformed_reason("", "is not a JSON object", _show(raw))
        return [_malformed_row(Conversation(), {}, reason, 0)]
    header, problems = _header(raw)
    items = raw.get("participants")
    if items is None:
        items = []
    if not isinstance(items, list):
        reason = reasons.malformed_reason("participants", "should be a list", _show(items))
        return [_malformed_row(header, {}, reason, 0)]

    readable: list[Participant] = []
    broken_legs: list[tuple[dict[str, Any], str]] = []
    for index, item in enumerate(items):
        try:
            readable.append(msgspec.convert(item, Participant))
        except msgspec.ValidationError as exc:
            path, problem, value_text = describe_error(exc, item, f"participants[{index}]")
            if looks_like_agent_leg(item):
                broken_legs.append((item, reasons.malformed_reason(path, problem, value_text)))
            else:
                problems.append((path, problem))

    header.participants = readable
    rows: list[LegRow] = []
    if any(_is_leg(participant) for participant in readable):
        rows = classifier.conversation(header)
        if problems:
            note = reasons.unreadable_part_note(*problems[0])
            for row in rows:
                row.wrapup_reason += note
    elif not broken_legs:
        if not problems:
            return classifier.conversation(header)
        path, problem = problems[0]
        reason = reasons.malformed_reason(path, problem, "")
        return [_malformed_row(header, {}, reason, 0)]
    for offset, (item, reason) in enumerate(broken_legs, start=len(rows) + 1):
        rows.append(_malformed_row(header, item, reason, offset))
    return rows


def _is_leg(participant: Participant) -> bool:
    purpose = participant.purpose
    return purpose == "agent" or (purpose == "user" and bool(participant.user_id))


def _malformed_row(
    header: Conversation, participant: dict[str, Any], reason: str, transfer_seq: int
) -> LegRow:
    start = header.conversation_start
    end = header.conversation_end
    return LegRow(
        conversation_id=header.conversation_id or "",
        conversation_start=start.replace(tzinfo=UTC) if start and not start.tzinfo else start,
        conversation_end=end.replace(tzinfo=UTC) if end and not end.tzinfo else end,
        media_type="",
        direction=header.originating_direction or "",
        queue_id="",
        queue_name="",
        agent_id=_text(participant, "userId"),
        agent_name=_text(participant, "participantName"),
        participant_id=_text(participant, "participantId"),
        wrapup_status=WrapupStatus.MALFORMED,
        wrapup_code_id="",
        wrapup_code_name="",
        wrapup_count=0,
        acw_seconds=None,
        wrapup_reason=reason,
        transfer_seq=transfer_seq,
    )
