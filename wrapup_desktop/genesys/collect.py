"""The conversations of one run: deduplicated, inside the range, sorted by start."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime

from wrapup_desktop.domain.decode import DecodedPage, MalformedConversation
from wrapup_desktop.domain.model import Conversation
from wrapup_desktop.genesys.planning import Interval


@dataclass
class Collector:
    """Conversations kept so far, deduplicated by id, with the latest copy winning.

    Only conversations whose `conversationStart` lies in `bounds` are kept, whichever endpoint
    returned them.
    """

    bounds: Interval
    by_id: dict[str, Conversation] = field(default_factory=dict)
    without_id: list[Conversation] = field(default_factory=list)
    malformed_by_id: dict[str, MalformedConversation] = field(default_factory=dict)
    malformed_without_id: list[MalformedConversation] = field(default_factory=list)

    def add_page(self, page: DecodedPage) -> list[Conversation]:
        fresh: list[Conversation] = []
        for conversation in page.conversations:
            start = conversation.conversation_start
            # NOTE: a conversation without conversationStart is kept, since its day is unknown;
            # from an edge slice it may lie outside the range.
            if start is not None and not self.bounds.contains(start.astimezone(UTC)):
                continue
            key = conversation.conversation_id
            if key is None:
                self.without_id.append(conversation)
                fresh.append(conversation)
                continue
            if key not in self.by_id:
                fresh.append(conversation)
            self.by_id[key] = conversation
            self.malformed_by_id.pop(key, None)
        for item in page.malformed:
            if not self._malformed_in_range(item):
                continue
            key = item.conversation_id
            if key is None:
                self.malformed_without_id.append(item)
            elif key not in self.by_id:
                self.malformed_by_id[key] = item
        return fresh

    @property
    def count(self) -> int:
        return len(self.by_id) + len(self.without_id)

    def conversations(self) -> list[Conversation]:
        items = [*self.by_id.values(), *self.without_id]
        lowest = datetime.min.replace(tzinfo=UTC)
        items.sort(key=lambda c: (c.conversation_start or lowest, c.conversation_id or ""))
        return items

    def malformed(self) -> list[MalformedConversation]:
        return [*self.malformed_by_id.values(), *self.malformed_without_id]

    def _malformed_in_range(self, item: MalformedConversation) -> bool:
        raw = item.raw.get("conversationStart") if isinstance(item.raw, dict) else None
        if not isinstance(raw, str):
            return True
        try:
            start = datetime.fromisoformat(raw.replace("Z", "+00:00"))
        except ValueError:
            return True
        if start.tzinfo is None:
            start = start.replace(tzinfo=UTC)
        return self.bounds.contains(start.astimezone(UTC))
