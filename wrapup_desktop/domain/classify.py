"""Turn conversations into rows: one per agent leg, with its wrap-up status and reason.

An agent leg is a participant with purpose `agent`, or purpose `user` with a `userId`. A
participant with several sessions (a transfer or a callback adds one) is one leg. A conversation
without any agent leg gets one `NO_AGENT` row.

Statuses are decided in this order, and the first that applies wins:

1. `PENDING`: one of the leg's own segments has a start and no end, so the agent is still
   connected or in after-call work. A code chosen so far is kept in the row and named in the
   reason. A missing `conversationEnd` alone does not make a leg pending, because old responses
   never carry it.
2. `NOT_CONNECTED`: no segment of the leg shows a connection (interact, hold, dialing,
   contacting, parked, sharing, transmitting). A code recorded on such a leg stays in
   `wrapup_code_id` and the reason mentions it. An `ININ-OUTBOUND-` code skips this step,
   because the dialer writes those codes itself when a preview or a call never reached the
   agent.
3. A non-blank code: `ININ-WRAP-UP-TIMEOUT` is `TIMEOUT`, `ININ-WRAP-UP-SKIPPED` is `SKIPPED`,
   any other `ININ-` code is `SYSTEM`, and every other code is `ASSIGNED`.
4. No code: the offering queue's `wrapupPrompt` decides between `MISSING` and `NOT_REQUIRED`. A
   leg without a queue needs no code. A queue whose setting is unknown counts as `MISSING`, and
   the reason states that the setting is unknown.

The offering queue is the last `queueId` on the leg's own segments. An `agent` leg without one
takes the queue of the acd participant that offered the call last before the leg began. A `user`
leg never does, because such a leg is a direct call (the user dialled, or was dialled).

`MALFORMED` rows come from `classify_malformed`, for conversations that failed typed decoding.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from datetime import UTC, datetime
from typing import Any

import msgspec

from wrapup_desktop.domain import malformed as tolerant
from wrapup_desktop.domain import reasons
from wrapup_desktop.domain.decode import MalformedConversation
from wrapup_desktop.domain.directory import Directory, LookupState
from wrapup_desktop.domain.model import Conversation, Participant
from wrapup_desktop.domain.rows import LegRow, WrapupStatus

logger = logging.getLogger(__name__)

CONNECTED_SEGMENT_TYPES = frozenset(
    {"interact", "hold", "dialing", "contacting", "parked", "sharing", "transmitting"}
)
"""Segment types that show the agent was on the call, not only alerted."""

_ASSIGNED = WrapupStatus.ASSIGNED
_TIMEOUT = WrapupStatus.TIMEOUT
_SKIPPED = WrapupStatus.SKIPPED
_SYSTEM = WrapupStatus.SYSTEM
_MISSING = WrapupStatus.MISSING
_NOT_REQUIRED = WrapupStatus.NOT_REQUIRED
_PENDING = WrapupStatus.PENDING
_NOT_CONNECTED = WrapupStatus.NOT_CONNECTED
_NO_AGENT = WrapupStatus.NO_AGENT

_LATEST = datetime.max.replace(tzinfo=UTC)
"""Sort key of a leg without any segment time, so it comes last."""
_transfer_types: dict[str, bool] = {}


def _is_transfer(disconnect_type: str) -> bool:
    known = _transfer_types.get(disconnect_type)
    if known is None:
        known = "transfer" in disconnect_type.lower()
        if len(_transfer_types) < 1000:
            _transfer_types[disconnect_type] = known
    return known


def _utc(value: datetime | None) -> datetime | None:
    if value is not None and value.tzinfo is None:
        return value.replace(tzinfo=UTC)
    return value


def is_agent_leg(participant: Participant) -> bool:
    """Tell whether a participant gets its own row."""
    purpose = participant.purpose
    return purpose == "agent" or (purpose == "user" and bool(participant.user_id))


class _QueueFacts:
    """The facts about one queue that reasons need, computed once per run."""

    __slots__ = ("cause", "name", "prompt", "required", "timeout_ms")

    def __init__(self, queue_id: str, directory: Directory) -> None:
        info = directory.queues.get(queue_id)
        self.name = info.name if info is not None else ""
        self.prompt = info.wrapup_prompt if info is not None else None
        self.timeout_ms = info.acw_timeout_ms if info is not None else None
        self.cause: LookupState | None = None
        if info is None:
            self.cause = directory.queue_misses.get(queue_id)
            if self.cause is None:
                # A queue absent from a complete listing was deleted or is in another division.
                state = directory.queues_state
                self.cause = LookupState.DELETED if state is LookupState.FOUND else state
        self.required: bool | None
        if self.prompt in reasons.REQUIRED_PROMPTS:
            self.required = True
        elif self.prompt in reasons.OPTIONAL_PROMPTS:
            self.required = False
        else:
            self.required = None


_NO_QUEUE = _QueueFacts.__new__(_QueueFacts)
_NO_QUEUE.name = ""
_NO_QUEUE.prompt = None
_NO_QUEUE.timeout_ms = None
_NO_QUEUE.cause = None
_NO_QUEUE.required = False


class Classifier:
    """Classify many conversations against one directory, caching names and reasons.

    `classify_all` makes one per call; keep one yourself when feeding pages one at a time.
    """

    def __init__(self, directory: Directory) -> None:
        self.directory = directory
        self._queues: dict[str, _QueueFacts] = {}
        self._codes: dict[tuple[str, str], tuple[WrapupStatus, str, str]] = {}
        self._no_code: dict[tuple[str, bool, bool], tuple[WrapupStatus, str]] = {}
        self._unknown_logged: set[str] = set()

    def queue(self, queue_id: str) -> _QueueFacts:
        facts = self._queues.get(queue_id)
        if facts is None:
            facts = _QueueFacts(queue_id, self.directory)
            self._queues[queue_id] = facts
        return facts

    def conversation(self, conversation: Conversation) -> list[LegRow]:
        """Classify one conversation; see the module docstring for the rules."""
        try:
            return self._conversation(conversation)
        except TypeError:
            # Comparing a time without offset with one that has it raises TypeError. Genesys
            # always sends UTC, so read offset-less times as UTC and try once more.
            return self._conversation(_assume_utc(conversation))

    def _conversation(self, conversation: Conversation) -> list[LegRow]:
        legs: list[Participant] = []
        acd: list[Participant] = []
        for participant in conversation.participants:
            purpose = participant.purpose
            if purpose == "agent" or (purpose == "user" and participant.user_id):
                legs.append(participant)
            elif purpose == "acd":
                acd.append(participant)
        if not legs:
            return [self.no_agent_row(conversation, acd)]
        rows: list[LegRow] = []
        starts: list[datetime | None] = []
        for participant in legs:
            row, first_start = self.leg_row(conversation, participant, acd)
            rows.append(row)
            starts.append(first_start)
        if len(rows) == 1:
            rows[0].transfer_seq = 1
            return rows
        return number_legs(rows, starts)

    def leg_row(
        self, conversation: Conversation, participant: Participant, acd: list[Participant]
    ) -> tuple[LegRow, datetime | None]:
        """Build the row of one agent leg, and return it with the leg's first segment start."""
        first_start: datetime | None = None
        code = ""
        code_start: datetime | None = None
        code_count = 0
        note = ""
        is_open = False
        acw_open = False
        connected = False
        acw = 0.0
        wrapups = 0
        queue_id = ""
        transfer = False
        acw_skipped = False
        media: str | None = None
        direction: str | None = None
        for session in participant.sessions:
            if media is None:
                media = session.media_type
            if direction is None:
                direction = session.direction
            if session.acw_skipped:
                acw_skipped = True
            for segment in session.segments:
                start = segment.segment_start
                end = segment.segment_end
                if start is not None:
                    if first_start is None or start < first_start:
                        first_start = start
                    if end is None:
                        is_open = True
                kind = segment.segment_type
                if kind == "wrapup":
                    wrapups += 1
                    if end is None:
                        acw_open = True
                    elif start is not None and end > start:
                        acw += (end - start).total_seconds()
                elif kind in CONNECTED_SEGMENT_TYPES:
                    connected = True
                raw_code = segment.wrap_up_code
                if raw_code:
                    stripped = raw_code.strip()
                    if stripped:
                        code_count += 1
                        if code_start is None or (start is not None and start >= code_start):
                            code = stripped
                            code_start = start
                            note = segment.wrap_up_note or ""
                if segment.queue_id:
                    queue_id = segment.queue_id
                if segment.disconnect_type and _is_transfer(segment.disconnect_type):
                    transfer = True

        if not queue_id and acd and participant.purpose == "agent":
            queue_id = offering_queue(acd, first_start)
        queue = self.queue(queue_id) if queue_id else _NO_QUEUE

        if acw_open:
            acw_seconds: float | None = None
        elif wrapups:
            acw_seconds = acw
        else:
            acw_seconds = _metric_seconds(participant, "tAcw")

        code_name = ""
        if is_open:
            status = _PENDING
            reason = reasons.pending_reason(code)
            if code:
                code_name = self.code_name(code)
        elif not connected and not code.startswith(reasons.DIALER_CODE_PREFIX):
            status = _NOT_CONNECTED
            reason = reasons.not_connected_reason(code)
            if code:
                code_name = self.code_name(code)
        elif code:
            status, code_name, reason = self.code_status(code, queue_id, queue)
        else:
            status, reason = self.no_code_status(queue_id, queue, transfer, acw_skipped)

        user_id = participant.user_id or ""
        agent_name = self.directory.users.get(user_id) if user_id else None
        if media is None or direction is None:
            media, direction = _fallback_media(conversation, media, direction)
        row = LegRow(
            conversation_id=conversation.conversation_id or "",
            conversation_start=_utc(conversation.conversation_start),
            conversation_end=_utc(conversation.conversation_end),
            media_type=media or "",
            direction=direction or "",
            queue_id=queue_id,
            queue_name=queue.name,
            agent_id=user_id,
            agent_name=agent_name or participant.participant_name or "",
            participant_id=participant.participant_id or "",
            wrapup_status=status,
            wrapup_code_id=code,
            wrapup_code_name=code_name,
            wrapup_count=code_count,
            acw_seconds=acw_seconds,
            wrapup_reason=reason,
            wrapup_note=note,
            ended_in_transfer=transfer,
            code_required=queue.required,
        )
        return row, first_start

    def code_name(self, code: str) -> str:
        name = self.directory.wrapup_codes.get(code)
        if name is not None:
            return name
        remembered = self.directory.remembered_code_names.get(code, "")
        return reasons.remembered_code_label(remembered, self.code_miss_state(code))

    def code_miss_state(self, code: str) -> LookupState:
        """Return why a code has no name: its own lookup, else the state of the listing."""
        state = self.directory.code_misses.get(code)
        if state is None:
            state = self.directory.wrapup_codes_state
            if state is LookupState.FOUND:
                # Listed codes are all known, so a code missing from the listing is gone.
                state = LookupState.DELETED
        return state

    def code_status(
        self, code: str, queue_id: str, queue: _QueueFacts
    ) -> tuple[WrapupStatus, str, str]:
        """Return status, code name and reason for a leg that carries a code."""
        key = (code, queue_id)
        cached = self._codes.get(key)
        if cached is not None:
            return cached
        if code.startswith(reasons.SYSTEM_CODE_PREFIX):
            name = self.code_name(code)
            if code == reasons.TIMEOUT_CODE:
                result = (_TIMEOUT, name, reasons.timeout_reason(queue.name, queue.timeout_ms))
            elif code == reasons.SKIPPED_CODE:
                result = (_SKIPPED, name, reasons.skipped_reason(queue.name))
            else:
                if code not in reasons.SYSTEM_CODE_MEANINGS and code not in self._unknown_logged:
                    self._unknown_logged.add(code)
                    logger.warning("Unknown system wrap-up code %s, shown as SYSTEM", code)
                result = (_SYSTEM, name, reasons.system_reason(code))
        else:
            found = self.directory.wrapup_codes.get(code)
            if found is not None:
                result = (_ASSIGNED, found, reasons.assigned_reason(found))
            else:
                remembered = self.directory.remembered_code_names.get(code, "")
                state = self.code_miss_state(code)
                name = reasons.remembered_code_label(remembered, state)
                result = (_ASSIGNED, name, reasons.unresolved_name_reason(code, state, remembered))
        self._codes[key] = result
        return result

    def no_code_status(
        self, queue_id: str, queue: _QueueFacts, transfer: bool, acw_skipped: bool
    ) -> tuple[WrapupStatus, str]:
        """Return status and reason for a finished, connected leg without a code."""
        key = (queue_id, transfer, acw_skipped)
        cached = self._no_code.get(key)
        if cached is not None:
            return cached
        if not queue_id:
            result = (_NOT_REQUIRED, reasons.no_queue_reason(transfer, acw_skipped))
        elif queue.required is True:
            result = (
                _MISSING,
                reasons.missing_reason(queue.name, queue.prompt or "", transfer, acw_skipped),
            )
        elif queue.required is False:
            result = (
                _NOT_REQUIRED,
                reasons.optional_reason(queue.name, queue.prompt or "", transfer, acw_skipped),
            )
        elif queue.prompt:
            if queue.prompt not in self._unknown_logged:
                self._unknown_logged.add(queue.prompt)
                logger.warning("Unknown wrap-up prompt %s on queue %s", queue.prompt, queue_id)
            result = (
                _MISSING,
                reasons.unknown_prompt_reason(queue.name, queue.prompt, transfer, acw_skipped),
            )
        else:
            result = (
                _MISSING,
                reasons.unknown_setting_reason(
                    queue_id, queue.name, queue.cause, transfer, acw_skipped
                ),
            )
        self._no_code[key] = result
        return result

    def no_agent_row(self, conversation: Conversation, acd: list[Participant]) -> LegRow:
        queue_id = offering_queue(acd, None) if acd else ""
        queue_name = self.queue(queue_id).name if queue_id else ""
        media, direction = _fallback_media(conversation, None, None)
        return LegRow(
            conversation_id=conversation.conversation_id or "",
            conversation_start=_utc(conversation.conversation_start),
            conversation_end=_utc(conversation.conversation_end),
            media_type=media or "",
            direction=direction or "",
            queue_id=queue_id,
            queue_name=queue_name,
            agent_id="",
            agent_name="",
            participant_id="",
            wrapup_status=_NO_AGENT,
            wrapup_code_id="",
            wrapup_code_name="",
            wrapup_count=0,
            acw_seconds=None,
            wrapup_reason=reasons.no_agent_reason(queue_name, bool(acd)),
            transfer_seq=0,
        )


def number_legs(rows: list[LegRow], starts: list[datetime | None]) -> list[LegRow]:
    """Set `transfer_seq` by first segment start (legs without times last) and sort by it."""
    order = sorted(range(len(rows)), key=lambda index: _utc(starts[index]) or _LATEST)
    ordered = [rows[index] for index in order]
    for seq, row in enumerate(ordered, start=1):
        row.transfer_seq = seq
    return ordered


def offering_queue(acd: list[Participant], before: datetime | None) -> str:
    """Return the queue of the last acd segment that started before `before` (or the first)."""
    chosen = ""
    chosen_start: datetime | None = None
    for participant in acd:
        for session in participant.sessions:
            for segment in session.segments:
                if not segment.queue_id:
                    continue
                start = segment.segment_start
                if not chosen or (
                    before is not None
                    and start is not None
                    and start <= before
                    and (chosen_start is None or start > chosen_start)
                ):
                    chosen, chosen_start = segment.queue_id, start
    return chosen


def _metric_seconds(participant: Participant, name: str) -> float | None:
    total: float | None = None
    for session in participant.sessions:
        for metric in session.metrics:
            if metric.name == name and metric.value is not None:
                total = (total or 0.0) + max(metric.value, 0.0) / 1000
    return total


def _fallback_media(
    conversation: Conversation, media: str | None, direction: str | None
) -> tuple[str | None, str | None]:
    if direction is None:
        direction = conversation.originating_direction
    for participant in conversation.participants:
        for session in participant.sessions:
            if media is None:
                media = session.media_type
            if direction is None:
                direction = session.direction
            if media is not None and direction is not None:
                return media, direction
    return media, direction


def _assume_utc(conversation: Conversation) -> Conversation:
    """Return a copy of the conversation where times without an offset are UTC."""
    raw: Any = msgspec.to_builtins(conversation)
    return msgspec.convert(_tag_times(raw), Conversation)


_TIME_FIELDS = frozenset(
    {"conversationStart", "conversationEnd", "segmentStart", "segmentEnd", "emitDate"}
)


def _tag_times(value: Any) -> Any:
    if isinstance(value, list):
        return [_tag_times(item) for item in value]
    if not isinstance(value, dict):
        return value
    tagged: dict[str, Any] = {}
    for key, item in value.items():
        if key in _TIME_FIELDS and isinstance(item, str):
            tail = item[19:]
            if "+" not in tail and "-" not in tail and not tail.endswith("Z"):
                item += "Z"
        tagged[key] = _tag_times(item)
    return tagged


def classify_conversation(conversation: Conversation, directory: Directory) -> list[LegRow]:
    """Classify one conversation: one row per agent leg, or one NO_AGENT row."""
    return Classifier(directory).conversation(conversation)


def classify_malformed(item: MalformedConversation, directory: Directory) -> list[LegRow]:
    """Classify a conversation that failed typed decoding, leg by leg, without raising."""
    return tolerant.classify_raw(item.raw, Classifier(directory))


def classify_all(
    conversations: Iterable[Conversation],
    directory: Directory,
    malformed: Iterable[MalformedConversation] = (),
) -> list[LegRow]:
    """Classify every conversation, then every malformed one, into one list of rows."""
    classifier = Classifier(directory)
    rows: list[LegRow] = []
    extend = rows.extend
    convert = classifier.conversation
    for conversation in conversations:
        extend(convert(conversation))
    for item in malformed:
        extend(tolerant.classify_raw(item.raw, classifier))
    return rows
