"""Stand-in for `wrapup_desktop.domain.documents` until that module exists.

TODO: delete this module and import from `wrapup_desktop.domain.documents` once it lands.
"""

from __future__ import annotations

from typing import Any

from wrapup_desktop.domain.decode import MalformedConversation, convert_conversation
from wrapup_desktop.domain.directory import Directory, LookupState, QueueInfo
from wrapup_desktop.domain.model import Conversation


def conversations_from_document(
    document: Any,
) -> tuple[list[Conversation], list[MalformedConversation]]:
    """Return the conversations of a saved details response, page, conversation or list."""
    good: list[Conversation] = []
    bad: list[MalformedConversation] = []
    _collect(document, good, bad)
    return good, bad


def _collect(document: Any, good: list[Conversation], bad: list[MalformedConversation]) -> None:
    if isinstance(document, list):
        for item in document:
            _collect(item, good, bad)
        return
    if not isinstance(document, dict):
        raise ValueError(
            f"expected a JSON object or a list of objects, but got a {type(document).__name__}"
        )
    if "conversations" in document or "totalHits" in document or "cursor" in document:
        items = document.get("conversations") or []
        if not isinstance(items, list):
            raise ValueError("expected `conversations` to be a list")
        for item in items:
            _convert(item, good, bad)
        return
    if "conversationId" in document or "participants" in document:
        _convert(document, good, bad)
        return
    raise ValueError("expected an object with `conversations` or `conversationId`")


def _convert(item: Any, good: list[Conversation], bad: list[MalformedConversation]) -> None:
    result = convert_conversation(item)
    if isinstance(result, MalformedConversation):
        bad.append(result)
    else:
        good.append(result)


def directory_from_listings(
    wrapup_codes: Any | None, queues: Any | None, users: Any | None
) -> Directory:
    """Build a Directory from saved listing responses."""
    directory = Directory()
    for entity in _entities(wrapup_codes):
        directory.wrapup_codes[str(entity["id"])] = str(entity.get("name", ""))
    for entity in _entities(queues):
        settings = entity.get("acwSettings") or {}
        directory.queues[str(entity["id"])] = QueueInfo(
            name=str(entity.get("name", "")),
            wrapup_prompt=settings.get("wrapupPrompt"),
            acw_timeout_ms=settings.get("timeoutMs"),
        )
    for entity in _entities(users):
        directory.users[str(entity["id"])] = str(entity.get("name", ""))
    if wrapup_codes is not None:
        directory.wrapup_codes_state = LookupState.FOUND
    return directory


def _entities(listing: Any | None) -> list[dict[str, Any]]:
    if listing is None:
        return []
    if isinstance(listing, list):
        found: list[dict[str, Any]] = []
        for item in listing:
            if isinstance(item, dict) and "entities" in item:
                found.extend(_entities(item))
            elif isinstance(item, dict) and "id" in item:
                found.append(item)
            else:
                raise ValueError("expected listing pages or entities with `id`")
        return found
    if isinstance(listing, dict) and isinstance(listing.get("entities"), list):
        return _entities(listing["entities"])
    raise ValueError("expected an object with `entities`, a list of those, or a list of entities")
