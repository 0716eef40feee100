"""Saved API responses, already parsed from JSON, turned into conversations and a directory.

People save responses from the API Explorer, from scripts or from older tools, in several shapes:
a details-query response, a jobs results page, a single conversation from
`/analytics/conversations/{id}/details`, or a JSON list of any of these. Listings of codes, queues
and users come as one page (`{"entities": [...]}`), a list of pages, or a bare list of entities.
The file reading itself lives in the export layer.
"""

from __future__ import annotations

from typing import Any

from wrapup_desktop.domain.decode import MalformedConversation, convert_conversation
from wrapup_desktop.domain.directory import Directory, LookupState, QueueInfo
from wrapup_desktop.domain.model import Conversation

_EXPECTED_DOCUMENT = (
    "a details-query response (an object with `conversations` or `totalHits`), a jobs results "
    "page, a single conversation (an object with `conversationId` or `participants`), or a "
    "JSON list of these"
)
_PAGE_KEYS = frozenset({"conversations", "totalHits", "cursor", "dataAvailabilityDate"})


def _kind(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, dict):
        if not value:
            return "an empty object"
        return "an object with the keys " + ", ".join(sorted(map(str, value))[:8])
    if isinstance(value, list):
        return "a list"
    names = {bool: "true or false", int: "a number", float: "a number", str: "a string"}
    return names.get(type(value), f"a value of type {type(value).__name__}")


def conversations_from_document(
    document: Any,
) -> tuple[list[Conversation], list[MalformedConversation]]:
    """Return the conversations of a saved response, readable and malformed.

    A conversation id seen twice keeps its last copy, because paging a range that still changes
    can return a conversation on two pages and the later one is more recent. Raises ValueError,
    naming the expected shapes, for a document of any other shape.
    """
    items: list[tuple[Any, str]] = []
    _collect(document, "$", items, top_level=True)
    good: dict[str, Conversation] = {}
    anonymous: list[Conversation] = []
    malformed: list[MalformedConversation] = []
    for raw, path in items:
        result = convert_conversation(raw)
        if isinstance(result, MalformedConversation):
            result.error = result.error.replace("at `$", f"at `{path}", 1)
            malformed.append(result)
        elif result.conversation_id:
            good.pop(result.conversation_id, None)
            good[result.conversation_id] = result
        else:
            anonymous.append(result)
    return [*good.values(), *anonymous], malformed


def _collect(document: Any, path: str, items: list[tuple[Any, str]], *, top_level: bool) -> None:
    if isinstance(document, dict):
        if _PAGE_KEYS & document.keys():
            conversations = document.get("conversations")
            if conversations is None:
                return
            if not isinstance(conversations, list):
                raise ValueError(
                    f"`conversations` at {path} must be a list, but got {_kind(conversations)}"
                )
            for index, item in enumerate(conversations):
                items.append((item, f"{path}.conversations[{index}]"))
            return
        if "conversationId" in document or "participants" in document:
            items.append((document, path))
            return
        raise ValueError(f"expected {_EXPECTED_DOCUMENT}, but got {_kind(document)} at {path}")
    if isinstance(document, list) and top_level:
        for index, item in enumerate(document):
            _collect(item, f"{path}[{index}]", items, top_level=False)
        return
    raise ValueError(f"expected {_EXPECTED_DOCUMENT}, but got {_kind(document)} at {path}")


def _entities(listing: Any, what: str) -> list[dict[str, Any]]:
    """Return the entities of one listing page, a list of pages or a bare list of entities."""
    if isinstance(listing, dict):
        if "entities" not in listing:
            raise ValueError(
                f"expected a {what} listing with `entities`, but got {_kind(listing)}"
            )
        listing = [listing]
    if not isinstance(listing, list):
        raise ValueError(
            f"expected a {what} listing (an object with `entities`, a list of those pages or a "
            f"list of {what}), but got {_kind(listing)}"
        )
    found: list[dict[str, Any]] = []
    for item in listing:
        if isinstance(item, dict) and "entities" in item:
            entities = item["entities"] or []
            if not isinstance(entities, list):
                raise ValueError(f"`entities` of a {what} listing must be a list")
            found.extend(entity for entity in entities if isinstance(entity, dict))
        elif isinstance(item, dict):
            found.append(item)
    return found


def _id_and_name(entity: dict[str, Any]) -> tuple[str, str] | None:
    entity_id = entity.get("id")
    if not isinstance(entity_id, str) or not entity_id:
        return None
    name = entity.get("name")
    return entity_id, name if isinstance(name, str) else ""


def directory_from_listings(
    wrapup_codes: Any | None, queues: Any | None, users: Any | None
) -> Directory:
    """Build a directory from saved listings of codes, queues and users; None means not loaded.

    Raises ValueError naming the expected shape when a listing has another shape.
    """
    directory = Directory()
    if wrapup_codes is not None:
        for entity in _entities(wrapup_codes, "wrap-up code"):
            pair = _id_and_name(entity)
            if pair is not None:
                directory.wrapup_codes[pair[0]] = pair[1]
        directory.wrapup_codes_state = LookupState.FOUND
    if queues is not None:
        for entity in _entities(queues, "queue"):
            pair = _id_and_name(entity)
            if pair is not None:
                directory.queues[pair[0]] = _queue_info(pair[1], entity.get("acwSettings"))
        directory.queues_state = LookupState.FOUND
    if users is not None:
        for entity in _entities(users, "user"):
            pair = _id_and_name(entity)
            if pair is not None:
                directory.users[pair[0]] = pair[1]
        directory.users_state = LookupState.FOUND
    return directory


def _queue_info(name: str, settings: Any) -> QueueInfo:
    if not isinstance(settings, dict):
        return QueueInfo(name=name)
    prompt = settings.get("wrapupPrompt")
    timeout = settings.get("timeoutMs")
    return QueueInfo(
        name=name,
        wrapup_prompt=prompt if isinstance(prompt, str) and prompt else None,
        acw_timeout_ms=timeout
        if isinstance(timeout, int) and not isinstance(timeout, bool)
        else None,
    )
