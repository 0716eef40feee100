"""Names behind the ids of a run: wrap-up codes, queues with their ACW prompt, and users.

A lookup never stops the export. A 403 marks that kind FORBIDDEN and logs a warning naming the
permission to grant. A 404 on a single code or queue marks it DELETED, and any other failure
leaves it NOT_LOOKED_UP. System codes (`ININ-…`) are literal ids and are never looked up.
Results are cached on the session, so a second run of the same session requests only new ids.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit

from wrapup_desktop.domain.directory import Directory, LookupState, QueueInfo
from wrapup_desktop.domain.model import Conversation
from wrapup_desktop.errors import ApiError, PermissionMissingError, WrapUpError
from wrapup_desktop.genesys.progress import ProgressEvent
from wrapup_desktop.genesys.session import GenesysSession

logger = logging.getLogger(__name__)

CODES_PATH = "/api/v2/routing/wrapupcodes"
QUEUES_PATH = "/api/v2/routing/queues"
USERS_PATH = "/api/v2/users"
CODE_PERMISSION = "routing:wrapupCode:view"
QUEUE_PERMISSION = "routing:queue:view"
USER_PERMISSION = "directory:user:view"
PAGE_SIZE = 100
USERS_PER_CALL = 100
"""The users endpoint accepts at most 100 ids per call."""
QUEUES_PER_CALL = 50
"""Queue ids per listing call; keeps the URL short."""
MAX_LISTING_PAGES = 500


@dataclass
class _Cache:
    """Names and lookup states found so far in one session, stored in `GenesysSession.cache`."""

    codes: dict[str, str] = field(default_factory=dict)
    code_misses: dict[str, LookupState] = field(default_factory=dict)
    codes_listed: bool = False
    codes_state: LookupState = LookupState.NOT_LOOKED_UP
    queues: dict[str, QueueInfo] = field(default_factory=dict)
    queue_misses: dict[str, LookupState] = field(default_factory=dict)
    queues_state: LookupState = LookupState.NOT_LOOKED_UP
    users: dict[str, str] = field(default_factory=dict)
    user_misses: dict[str, LookupState] = field(default_factory=dict)
    users_state: LookupState = LookupState.NOT_LOOKED_UP


@dataclass(frozen=True)
class ReferencedIds:
    """The code, queue and user ids that conversations refer to."""

    codes: frozenset[str]
    queues: frozenset[str]
    users: frozenset[str]


def referenced_ids(conversations: Iterable[Conversation]) -> ReferencedIds:
    """Collect custom code ids (not `ININ-…`), queue ids and user ids."""
    codes: set[str] = set()
    queues: set[str] = set()
    users: set[str] = set()
    for conversation in conversations:
        for participant in conversation.participants:
            if participant.user_id:
                users.add(participant.user_id)
            for session in participant.sessions:
                for segment in session.segments:
                    if segment.queue_id:
                        queues.add(segment.queue_id)
                    code = segment.wrap_up_code
                    if code and not code.startswith("ININ-"):
                        codes.add(code)
    return ReferencedIds(frozenset(codes), frozenset(queues), frozenset(users))


async def load_directory(
    session: GenesysSession,
    conversations: Iterable[Conversation],
    *,
    remembered_code_names: Mapping[str, str] | None = None,
    on_progress: Callable[[ProgressEvent], None] | None = None,
) -> Directory:
    """Look up the names of every code, queue and user the conversations refer to."""
    ids = referenced_ids(conversations)
    cache = session.cache.setdefault("directory", _Cache())
    assert isinstance(cache, _Cache)

    def report(message: str) -> None:
        if on_progress is not None:
            on_progress(ProgressEvent("lookup", message, 0, 0, 0, None, 0))

    report(f"Looking up {len(ids.codes)} wrap-up codes")
    await _load_codes(session, cache, ids.codes)
    report(f"Looking up {len(ids.queues)} queues")
    await _load_queues(session, cache, ids.queues)
    report(f"Looking up {len(ids.users)} users")
    await _load_users(session, cache, ids.users)

    return Directory(
        wrapup_codes={k: v for k, v in cache.codes.items() if k in ids.codes},
        queues={k: v for k, v in cache.queues.items() if k in ids.queues},
        users={k: v for k, v in cache.users.items() if k in ids.users},
        code_misses={k: v for k, v in cache.code_misses.items() if k in ids.codes},
        queue_misses={k: v for k, v in cache.queue_misses.items() if k in ids.queues},
        user_misses={k: v for k, v in cache.user_misses.items() if k in ids.users},
        remembered_code_names=dict(remembered_code_names or {}),
        wrapup_codes_state=cache.codes_state,
        queues_state=cache.queues_state,
        users_state=cache.users_state,
    )


async def _load_codes(session: GenesysSession, cache: _Cache, wanted: frozenset[str]) -> None:
    if not cache.codes_listed and cache.codes_state != LookupState.FORBIDDEN:
        try:
            for entity in await _list_all(session, CODES_PATH, CODE_PERMISSION):
                code_id, name = entity.get("id"), entity.get("name")
                if isinstance(code_id, str) and isinstance(name, str):
                    cache.codes[code_id] = name
            cache.codes_listed = True
            cache.codes_state = LookupState.FOUND
        except PermissionMissingError as exc:
            _warn_forbidden("wrap-up code", exc, CODE_PERMISSION)
            cache.codes_state = LookupState.FORBIDDEN
        except WrapUpError as exc:
            logger.warning("Listing wrap-up codes failed: %s", exc.message)
    for code_id in sorted(wanted - cache.codes.keys() - cache.code_misses.keys()):
        if cache.codes_state == LookupState.FORBIDDEN:
            cache.code_misses[code_id] = LookupState.FORBIDDEN
            continue
        state, body = await _get_one(session, f"{CODES_PATH}/{code_id}", CODE_PERMISSION)
        name = body.get("name") if isinstance(body, dict) else None
        if state == LookupState.FOUND and isinstance(name, str):
            cache.codes[code_id] = name
        else:
            cache.code_misses[code_id] = state


async def _load_queues(session: GenesysSession, cache: _Cache, wanted: frozenset[str]) -> None:
    todo = sorted(wanted - cache.queues.keys() - cache.queue_misses.keys())
    if not todo:
        return
    if cache.queues_state != LookupState.FORBIDDEN:
        try:
            for start in range(0, len(todo), QUEUES_PER_CALL):
                batch = todo[start : start + QUEUES_PER_CALL]
                params = [("pageSize", str(PAGE_SIZE)), *(("id", q) for q in batch)]
                for entity in await _list_all(session, QUEUES_PATH, QUEUE_PERMISSION, params):
                    _store_queue(cache, entity)
            cache.queues_state = LookupState.FOUND
        except PermissionMissingError as exc:
            _warn_forbidden("queue", exc, QUEUE_PERMISSION)
            cache.queues_state = LookupState.FORBIDDEN
        except WrapUpError as exc:
            logger.warning("Listing queues failed: %s", exc.message)
    for queue_id in todo:
        if queue_id in cache.queues:
            continue
        if cache.queues_state == LookupState.FORBIDDEN:
            cache.queue_misses[queue_id] = LookupState.FORBIDDEN
            continue
        state, body = await _get_one(session, f"{QUEUES_PATH}/{queue_id}", QUEUE_PERMISSION)
        if state == LookupState.FOUND and isinstance(body, dict) and _store_queue(cache, body):
            continue
        cache.queue_misses[queue_id] = state


def _store_queue(cache: _Cache, entity: Mapping[str, Any]) -> bool:
    queue_id, name = entity.get("id"), entity.get("name")
    if not isinstance(queue_id, str) or not isinstance(name, str):
        return False
    acw = entity.get("acwSettings")
    prompt: str | None = None
    timeout_ms: int | None = None
    if isinstance(acw, dict):
        raw_prompt = acw.get("wrapupPrompt")
        prompt = raw_prompt if isinstance(raw_prompt, str) else None
        raw_timeout = acw.get("timeoutMs")
        timeout_ms = raw_timeout if isinstance(raw_timeout, int) else None
    cache.queues[queue_id] = QueueInfo(name=name, wrapup_prompt=prompt, acw_timeout_ms=timeout_ms)
    cache.queue_misses.pop(queue_id, None)
    return True


async def _load_users(session: GenesysSession, cache: _Cache, wanted: frozenset[str]) -> None:
    todo = sorted(wanted - cache.users.keys() - cache.user_misses.keys())
    if not todo or cache.users_state == LookupState.FORBIDDEN:
        for user_id in todo:
            cache.user_misses[user_id] = LookupState.FORBIDDEN
        return
    for start in range(0, len(todo), USERS_PER_CALL):
        batch = todo[start : start + USERS_PER_CALL]
        params = [("pageSize", str(USERS_PER_CALL)), ("state", "any"), *(("id", u) for u in batch)]
        try:
            body = await session.get_json(USERS_PATH, params, permission=USER_PERMISSION)
        except PermissionMissingError as exc:
            _warn_forbidden("user", exc, USER_PERMISSION)
            cache.users_state = LookupState.FORBIDDEN
            for user_id in todo:
                cache.user_misses.setdefault(user_id, LookupState.FORBIDDEN)
            return
        except WrapUpError as exc:
            logger.warning("Looking up %d users failed: %s", len(batch), exc.message)
            for user_id in batch:
                cache.user_misses[user_id] = LookupState.NOT_LOOKED_UP
            continue
        for entity in _entities(body):
            found_id, name = entity.get("id"), entity.get("name")
            if isinstance(found_id, str) and isinstance(name, str):
                cache.users[found_id] = name
        for user_id in batch:
            if user_id not in cache.users:
                cache.user_misses[user_id] = LookupState.DELETED
        cache.users_state = LookupState.FOUND


async def _list_all(
    session: GenesysSession,
    path: str,
    permission: str,
    params: list[tuple[str, str]] | None = None,
) -> list[dict[str, Any]]:
    """Read every page of a listing, following `nextUri`."""
    entities: list[dict[str, Any]] = []
    next_path: str | None = path
    next_params: Any = params if params is not None else {"pageSize": PAGE_SIZE}
    seen: set[str] = set()
    while next_path is not None and len(seen) < MAX_LISTING_PAGES:
        seen.add(next_path)
        body = await session.get_json(next_path, next_params, permission=permission)
        entities.extend(_entities(body))
        next_uri = body.get("nextUri") if isinstance(body, dict) else None
        next_path = _relative(next_uri) if isinstance(next_uri, str) and next_uri else None
        next_params = None
        if next_path in seen:
            break
    return entities


def _relative(uri: str) -> str:
    """Keep the path and query of a `nextUri`, which may be relative or absolute."""
    parts = urlsplit(uri)
    return parts.path + (f"?{parts.query}" if parts.query else "")


def _entities(body: Any) -> list[dict[str, Any]]:
    items = body.get("entities") if isinstance(body, dict) else None
    if not isinstance(items, list):
        return []
    return [item for item in items if isinstance(item, dict)]


async def _get_one(session: GenesysSession, path: str, permission: str) -> tuple[LookupState, Any]:
    try:
        return LookupState.FOUND, await session.get_json(path, permission=permission)
    except PermissionMissingError:
        return LookupState.FORBIDDEN, None
    except ApiError as exc:
        if exc.status == 404:
            return LookupState.DELETED, None
        logger.warning("Looking up %s failed: %s", path, exc.message)
        return LookupState.NOT_LOOKED_UP, None
    except WrapUpError as exc:
        logger.warning("Looking up %s failed: %s", path, exc.message)
        return LookupState.NOT_LOOKED_UP, None


def _warn_forbidden(kind: str, error: PermissionMissingError, permission: str) -> None:
    logger.warning(
        "Cannot read %s names: the OAuth client lacks %s (HTTP 403). The export goes on with "
        "ids and empty names; grant %s to one of the client's roles to see names.",
        kind,
        error.permission or permission,
        permission,
    )
