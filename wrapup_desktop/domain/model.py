"""Conversation details as the Genesys Cloud analytics API returns them.

The structs mirror `AnalyticsConversation` and its parts, reduced to the fields WrapUp Desktop
reads. JSON names are camelCase on the wire (`rename="camel"`); unknown fields are ignored, and
every enum-like field is a plain string because Genesys adds values over time. Every field has a
default, so old and partial responses decode: a response from 2016 has no `conversationEnd`,
`divisionIds`, `originatingDirection` or metrics.

Decoding (in `decode.py`) turns bytes into these structs; a value of the wrong type is reported
with its JSON path instead of being guessed at.

The structs are created with `gc=False` because they never refer back to a parent, so they cannot
form a reference cycle. Leaving them out of the cyclic garbage collector matters once many rows are
kept: in two runs of `benchmarks/classify.py` on a busy 2-core machine, the CPU time to decode and
classify 100,000 conversations while keeping every row fell from 5.8–6.1 s to 3.2–5.0 s.
"""

from __future__ import annotations

from datetime import datetime

import msgspec


class Metric(msgspec.Struct, rename="camel", omit_defaults=True, gc=False):
    """One session metric, such as `tAcw` in milliseconds."""

    name: str | None = None
    value: float | None = None
    emit_date: datetime | None = None


class Segment(msgspec.Struct, rename="camel", omit_defaults=True, gc=False):
    """A span of one session: alert, interact, hold, wrapup and so on."""

    segment_start: datetime | None = None
    segment_end: datetime | None = None
    segment_type: str | None = None
    queue_id: str | None = None
    wrap_up_code: str | None = None
    wrap_up_note: str | None = None
    disconnect_type: str | None = None
    error_code: str | None = None
    conference: bool | None = None


class Session(msgspec.Struct, rename="camel", omit_defaults=True, gc=False):
    """One media session of a participant; a transfer or a callback can add sessions."""

    session_id: str | None = None
    media_type: str | None = None
    direction: str | None = None
    acw_skipped: bool | None = None
    outbound_campaign_id: str | None = None
    segments: list[Segment] = msgspec.field(default_factory=list)
    metrics: list[Metric] = msgspec.field(default_factory=list)


class Participant(msgspec.Struct, rename="camel", omit_defaults=True, gc=False):
    """A party of the conversation: customer, ivr, acd (a queue), agent, user, ..."""

    participant_id: str | None = None
    participant_name: str | None = None
    user_id: str | None = None
    purpose: str | None = None
    sessions: list[Session] = msgspec.field(default_factory=list)


class Conversation(msgspec.Struct, rename="camel", omit_defaults=True, gc=False):
    """One conversation of a details query, a jobs results page or a single lookup."""

    conversation_id: str | None = None
    conversation_start: datetime | None = None
    conversation_end: datetime | None = None
    originating_direction: str | None = None
    division_ids: list[str] = msgspec.field(default_factory=list)
    participants: list[Participant] = msgspec.field(default_factory=list)


class DetailsPage(msgspec.Struct, rename="camel", gc=False):
    """A details-query response or a jobs results page.

    The query omits `conversations` when nothing matched; a jobs page carries `cursor` while more
    results follow.
    """

    conversations: list[Conversation] = msgspec.field(default_factory=list)
    total_hits: int | None = None
    cursor: str | None = None
    data_availability_date: datetime | None = None
