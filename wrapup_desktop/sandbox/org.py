"""`SandboxOrg`: the generated org, one UTC day at a time, as seen at a given "now".

Days are generated on demand and kept in a small LRU cache, so a 30-day range never sits in
memory at once. A day's conversations are generated with their whole lifecycle. The view at
"now" drops those that start later and cuts the ones still running. Open segments lose their
`segmentEnd`, the conversation loses `conversationEnd`, and metrics not yet emitted disappear,
so an agent whose wrap-up segment is still open is in after-call work.
"""

from __future__ import annotations

import gc
import logging
import threading
from collections import OrderedDict
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import Any

import msgspec

from wrapup_desktop.sandbox.directory import (
    ORG_NAME,
    OrgDirectory,
    Queue,
    User,
    WrapupCode,
    build_directory,
)
from wrapup_desktop.sandbox.formats import DAY_MS, day_of_ms, day_start_ms, iso_ms, to_ms
from wrapup_desktop.sandbox.scenarios import (
    DEFAULT_WEEKDAY_VOLUME,
    MAX_LIFETIME_MS,
    GeneratedConversation,
    Scenario,
    generate_day,
)

logger = logging.getLogger(__name__)

DEFAULT_SEED = 2026


@dataclass(slots=True)
class VisibleConversation:
    """A conversation as the API shows it at "now", kept as its encoded JSON only.

    A day held as bytes takes less than half the memory of the same conversations as dicts;
    `conversation` decodes a fresh dict on each access.
    """

    conversation_id: str
    start_ms: int
    end_ms: int | None
    encoded: bytes

    @property
    def conversation(self) -> dict[str, Any]:
        decoded: dict[str, Any] = msgspec.json.decode(self.encoded)
        return decoded


class _Day:
    """One generated day: its conversations with their whole lifecycle, and their scenarios."""

    def __init__(self, generated: list[GeneratedConversation]) -> None:
        encoder = msgspec.json.Encoder()
        self.records = [
            VisibleConversation(
                item.conversation["conversationId"],
                item.start_ms,
                item.end_ms,
                encoder.encode(item.conversation),
            )
            for item in generated
        ]
        self.scenarios = [item.scenario for item in generated]


class SandboxOrg:
    """The sandbox org with seed `seed`, seen at `now` (the real UTC time when None).

    `weekday_volume` sets the conversations per weekday (weekends get 40 % of it); raise it to
    about 4,000 for a 30-day range of 100,000 conversations. `cache_days` days stay in memory.

    Generation depends on (seed, day) only, so two orgs with the same seed agree on every
    conversation that has already ended at both of their "now"s.
    """

    def __init__(
        self,
        seed: int = DEFAULT_SEED,
        now: datetime | None = None,
        *,
        weekday_volume: int = DEFAULT_WEEKDAY_VOLUME,
        cache_days: int = 4,
    ) -> None:
        self.seed = seed
        self.weekday_volume = weekday_volume
        self.directory: OrgDirectory = build_directory(seed)
        self._fixed_now_ms = to_ms(now) if now is not None else None
        self._cache_days = max(1, cache_days)
        self._days: OrderedDict[date, _Day] = OrderedDict()
        self._views: OrderedDict[tuple[date, int], list[VisibleConversation]] = OrderedDict()
        # conversationId -> (day, index); filled as days are generated, kept when evicted.
        self._index: dict[str, tuple[date, int]] = {}
        # A served sandbox reads the org in its thread while a test may read it in another.
        self._lock = threading.RLock()

    # -- time ---------------------------------------------------------------------------------

    def now(self) -> datetime:
        """The org's "now": the fixed time given to the constructor, else the real UTC time."""
        return datetime.fromtimestamp(self.now_ms() / 1000, tz=UTC)

    def now_ms(self) -> int:
        if self._fixed_now_ms is not None:
            return self._fixed_now_ms
        # Whole seconds, so that views and query results can be cached within a second.
        return to_ms(datetime.now(UTC)) // 1000 * 1000

    # -- directory ------------------------------------------------------------------------------

    @property
    def wrapup_codes(self) -> list[WrapupCode]:
        """The listed wrap-up codes (the deleted one is not among them)."""
        return list(self.directory.codes)

    @property
    def queues(self) -> list[Queue]:
        return list(self.directory.queues)

    @property
    def users(self) -> list[User]:
        """Every user, including inactive ones and the deleted one."""
        return list(self.directory.users)

    @property
    def deleted_code_id(self) -> str:
        return self.directory.deleted_code_id

    @property
    def deleted_user_id(self) -> str:
        return self.directory.deleted_user_id

    @property
    def org_name(self) -> str:
        return ORG_NAME

    @property
    def cached_days(self) -> list[date]:
        """The days whose generated conversations are in memory, least recently used first."""
        return list(self._days)

    # -- conversations --------------------------------------------------------------------------

    def _day(self, day: date) -> _Day:
        with self._lock:
            return self._day_locked(day)

    def _day_locked(self, day: date) -> _Day:
        cached = self._days.get(day)
        if cached is not None:
            self._days.move_to_end(day)
            return cached
        # The generated dicts hold no reference cycles, so the cyclic collector only slows the
        # generation down by rescanning the cached days. It is paused while a day is built.
        collecting = gc.isenabled()
        gc.disable()
        try:
            generated = generate_day(self.directory, day, self.weekday_volume)
        finally:
            if collecting:
                gc.enable()
        logger.debug("Generated %d conversations for %s", len(generated), day)
        built = _Day(generated)
        for index, record in enumerate(built.records):
            self._index[record.conversation_id] = (day, index)
        self._days[day] = built
        while len(self._days) > self._cache_days:
            self._days.popitem(last=False)
        return built

    def visible_on(self, day: date, now_ms: int | None = None) -> list[VisibleConversation]:
        """List the conversations that started on `day` (UTC) as the API shows them at `now_ms`."""
        now_ms = self.now_ms() if now_ms is None else now_ms
        with self._lock:
            return self._visible_on_locked(day, now_ms)

    def _visible_on_locked(self, day: date, now_ms: int) -> list[VisibleConversation]:
        start_ms = day_start_ms(day)
        if start_ms > now_ms:
            return []
        final = start_ms + DAY_MS + MAX_LIFETIME_MS <= now_ms
        key = (day, -1 if final else now_ms)
        view = self._views.get(key)
        if view is not None:
            self._views.move_to_end(key)
            return view
        records = self._day(day).records
        if final:
            view = records
        else:
            view = []
            now_text = iso_ms(now_ms)
            for record in records:
                if record.start_ms > now_ms:
                    break
                if record.end_ms is not None and record.end_ms <= now_ms:
                    view.append(record)
                else:
                    cut = msgspec.json.encode(cut_at(record.conversation, now_text))
                    view.append(
                        VisibleConversation(record.conversation_id, record.start_ms, None, cut)
                    )
        self._views[key] = view
        while len(self._views) > self._cache_days:
            self._views.popitem(last=False)
        return view

    def conversations_on(self, day: date) -> list[dict[str, Any]]:
        """List every conversation that started on `day` (UTC) and before now, ordered by start."""
        return [item.conversation for item in self.visible_on(day)]

    def conversations_between(self, start: datetime, end: datetime) -> Iterator[dict[str, Any]]:
        """Yield the conversations that started in [start, end), day by day, ordered by start."""
        start_ms, end_ms = to_ms(start), to_ms(end)
        for day in days_touched(start_ms, end_ms):
            for item in self.visible_on(day):
                if start_ms <= item.start_ms < end_ms:
                    yield item.conversation

    def count_between(self, start: datetime, end: datetime) -> int:
        """Count the conversations that started in [start, end) before now."""
        start_ms, end_ms = to_ms(start), to_ms(end)
        return sum(
            1
            for day in days_touched(start_ms, end_ms)
            for item in self.visible_on(day)
            if start_ms <= item.start_ms < end_ms
        )

    def find(self, conversation_id: str) -> VisibleConversation | None:
        """Look up a conversation as seen now; None unless it was generated and has started."""
        found = self._index.get(conversation_id)
        if found is None:
            return None
        day, _ = found
        for item in self.visible_on(day):
            if item.conversation_id == conversation_id:
                return item
        return None

    def scenario_of(self, conversation_id: str) -> Scenario | None:
        """Return the scenario of a generated conversation; None for an id never generated."""
        found = self._index.get(conversation_id)
        if found is None:
            return None
        day, index = found
        return self._day(day).scenarios[index]


def days_touched(start_ms: int, end_ms: int) -> list[date]:
    """List the UTC days that the interval [start_ms, end_ms) touches."""
    if end_ms <= start_ms:
        return []
    first = day_of_ms(start_ms)
    last = day_of_ms(end_ms - 1)
    return [first + timedelta(days=offset) for offset in range((last - first).days + 1)]


def cut_at(conversation: dict[str, Any], now_text: str) -> dict[str, Any]:
    """Copy `conversation` as it looked at `now_text` (an ISO timestamp in wire format).

    ISO timestamps of one format sort as strings, so no parsing is needed.
    """
    parts = []
    for part in conversation["participants"]:
        sessions = []
        for sess in part["sessions"]:
            segments = []
            for segment in sess["segments"]:
                if segment["segmentStart"] > now_text:
                    continue
                if segment["segmentEnd"] > now_text:
                    segment = {
                        key: value
                        for key, value in segment.items()
                        if key not in ("segmentEnd", "disconnectType")
                    }
                segments.append(segment)
            if not segments:
                continue
            new_session = {key: value for key, value in sess.items() if key != "metrics"}
            new_session["segments"] = segments
            metrics = [m for m in sess.get("metrics", ()) if m["emitDate"] <= now_text]
            if metrics:
                new_session["metrics"] = metrics
            sessions.append(new_session)
        if sessions:
            parts.append({**part, "sessions": sessions})
    cut = {key: value for key, value in conversation.items() if key != "conversationEnd"}
    cut["participants"] = parts
    return cut
