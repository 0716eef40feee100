"""Names behind the ids of a run: wrap-up codes, queues with their ACW prompt, and users.

A lookup never stops the export. A 403 marks that kind FORBIDDEN and logs a warning naming the
permission to grant. A 404 on a single code or queue marks it DELETED. System codes (`ININ-…`)
are literal ids and are never looked up. Results are cached on the session, so a second run of
the same session requests only new ids.

Codes, queues and users are looked up concurrently, within the session's concurrency limit. The
first request that fails for a server or network reason (5xx, 429 or a transport error after
`RetryPolicy.lookup_max_attempts`, or a failed sign-in) stops every lookup of the call. The ids
not looked up by then are returned as NOT_LOOKED_UP and are not cached, and later calls skip
their requests for `RetryPolicy.lookup_pause_s`. A cancel event stops the lookups the same way.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable, Coroutine, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit

from wrapup_desktop.domain.directory import Directory, LookupState, QueueInfo
from wrapup_desktop.domain.model import Conversation
from wrapup_desktop.errors import ApiError, PermissionMissingError, SignInError
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
    paused_until: float = 0.0
    """Session clock time before which lookups make no requests, after a server failure."""


class _LookupsStoppedError(Exception):
    """Raised in a lookup once the call's lookups were stopped by a failure or a cancel."""


class _LookupRun:
    """The requests of one `load_directory` call, and the failure that stopped them, if any."""

    def __init__(self, session: GenesysSession, cache: _Cache) -> None:
        self.session = session
        self.cache = cache
        self.stopped = asyncio.Event()
        self.failure = ""

    async def get(self, path: str, params: Any = None, permission: str = "") -> Any:
        """GET with the lookup policy; raise _LookupsStoppedError once the server failed."""
        if self.stopped.is_set():
            raise _LookupsStoppedError
        policy = self.session.policy
        try:
            return await self.session.get_json(
                path,
                params,
                permission=permission,
                max_attempts=policy.lookup_max_attempts,
                timeout_s=policy.lookup_timeout_s,
            )
        except PermissionMissingError:
            raise
        except SignInError as exc:
            self._fail(path, exc.message, "sign-in failed")
            raise _LookupsStoppedError from exc
        except ApiError as exc:
            if exc.status is None or exc.status >= 500 or exc.status in (408, 429):
                self._fail(path, exc.message, exc.details or f"HTTP {exc.status}")
                raise _LookupsStoppedError from exc
            raise

    def _fail(self, path: str, message: str, cause: str) -> None:
        if self.stopped.is_set():
            return
        pause_s = self.session.policy.lookup_pause_s
        self.failure = cause
        self.cache.paused_until = self.session.clock() + pause_s
        self.stopped.set()
        logger.warning(
            "Name lookups stopped at GET %s. %s Codes, queues and users not looked up yet keep "
            "empty names, and lookups are skipped for the next %.0f s.",
            path,
            message,
            pause_s,
        )


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
    cancel: asyncio.Event | None = None,
) -> Directory:
    """Look up the names of every code, queue and user the conversations refer to.

    A failed lookup is recorded, not raised. The first request that fails for a server or
    network reason ends the lookups, and a set `cancel` ends them at once, mid-wait too. Either
    way the names found so far are returned and the rest are marked NOT_LOOKED_UP.
    """
    ids = referenced_ids(conversations)
    cache = session.cache.setdefault("directory", _Cache())
    assert isinstance(cache, _Cache)

    def report(message: str) -> None:
        if on_progress is not None:
            on_progress(ProgressEvent("lookup", message, 0, 0, 0, None, 0))

    todo = _unknown_ids(cache, ids)
    wait_s = cache.paused_until - session.clock()
    if not (todo.codes or todo.queues or todo.users):
        logger.debug("Every name is known from earlier lookups of this session")
    elif wait_s > 0:
        logger.debug("Skipping name lookups for %.0f s more after a server failure", wait_s)
        report("Names could not be looked up (a lookup failed moments ago), so some stay blank")
    elif cancel is not None and cancel.is_set():
        logger.info("Name lookups skipped: the run was cancelled")
    else:
        report(
            f"Looking up {len(todo.codes)} wrap-up codes, {len(todo.queues)} queues and "
            f"{len(todo.users)} users"
        )
        run = _LookupRun(session, cache)
        outcome = await _run_lookups(run, todo, cancel)
        if outcome:
            report(f"Names could not be looked up ({outcome}), so some stay blank")
    return _directory(cache, ids, remembered_code_names)


def _unknown_ids(cache: _Cache, ids: ReferencedIds) -> ReferencedIds:
    return ReferencedIds(
        ids.codes - cache.codes.keys() - cache.code_misses.keys(),
        ids.queues - cache.queues.keys() - cache.queue_misses.keys(),
        ids.users - cache.users.keys() - cache.user_misses.keys(),
    )


async def _run_lookups(run: _LookupRun, todo: ReferencedIds, cancel: asyncio.Event | None) -> str:
    """Run the three kinds of lookup at once; return why they stopped early, or ""."""
    tasks = [
        asyncio.create_task(_load_codes(run, todo.codes)),
        asyncio.create_task(_load_queues(run, todo.queues)),
        asyncio.create_task(_load_users(run, todo.users)),
    ]
    waiters = [asyncio.create_task(run.stopped.wait())]
    if cancel is not None:
        waiters.append(asyncio.create_task(cancel.wait()))
    pending: set[asyncio.Task[None]] = set(tasks)
    try:
        while pending:
            done, _ = await asyncio.wait({*pending, *waiters}, return_when=asyncio.FIRST_COMPLETED)
            pending -= done
            if run.stopped.is_set() or (cancel is not None and cancel.is_set()):
                break
    finally:
        for task in (*pending, *waiters):
            task.cancel()
        await asyncio.gather(*pending, *waiters, return_exceptions=True)
    for task in tasks:
        if task.done() and not task.cancelled():
            error = task.exception()
            if error is not None and not isinstance(error, _LookupsStoppedError):
                raise error
    if run.failure:
        return run.failure
    if pending:
        logger.info("Name lookups cancelled; %d kinds of names not complete", len(pending))
        return "the run was cancelled"
    return ""


async def _gather_in_batches(
    run: _LookupRun, calls: list[Callable[[], Coroutine[Any, Any, None]]]
) -> None:
    """Await the first call alone, then the rest a batch of `max_concurrency` at a time.

    The first call probes the server, so a dead server costs one failed request per kind
    instead of a whole batch. An error cancels the rest of its batch and is raised.
    """
    if not calls:
        return
    await calls[0]()
    size = max(1, run.session.policy.max_concurrency)
    for start in range(1, len(calls), size):
        tasks = [asyncio.create_task(call()) for call in calls[start : start + size]]
        try:
            await asyncio.gather(*tasks)
        except BaseException:
            for task in tasks:
                task.cancel()
            await asyncio.gather(*tasks, return_exceptions=True)
            raise


async def _load_codes(run: _LookupRun, wanted: frozenset[str]) -> None:
    cache = run.cache
    if not wanted:
        return
    if not cache.codes_listed and cache.codes_state != LookupState.FORBIDDEN:
        try:
            for entity in await _list_all(run, CODES_PATH, CODE_PERMISSION):
                code_id, name = entity.get("id"), entity.get("name")
                if isinstance(code_id, str) and isinstance(name, str):
                    cache.codes[code_id] = name
            cache.codes_listed = True
            cache.codes_state = LookupState.FOUND
        except PermissionMissingError as exc:
            _warn_forbidden("wrap-up code", exc, CODE_PERMISSION)
            cache.codes_state = LookupState.FORBIDDEN
        except ApiError as exc:
            logger.warning("Listing wrap-up codes failed: %s", exc.message)
    missing = sorted(wanted - cache.codes.keys() - cache.code_misses.keys())
    if cache.codes_state == LookupState.FORBIDDEN:
        for code_id in missing:
            cache.code_misses[code_id] = LookupState.FORBIDDEN
        return

    async def get_code(code_id: str) -> None:
        state, body = await _get_one(run, f"{CODES_PATH}/{code_id}", CODE_PERMISSION)
        name = body.get("name") if isinstance(body, dict) else None
        if state == LookupState.FOUND and isinstance(name, str):
            cache.codes[code_id] = name
        else:
            cache.code_misses[code_id] = state

    # A code missing from the listing is fetched singly to tell a deleted code (404) from one
    # the listing leaves out.
    await _gather_in_batches(run, [_bind(get_code, code_id) for code_id in missing])


async def _load_queues(run: _LookupRun, wanted: frozenset[str]) -> None:
    cache = run.cache
    todo = sorted(wanted)
    if not todo:
        return
    if cache.queues_state != LookupState.FORBIDDEN:

        async def list_batch(batch: list[str]) -> None:
            params = [("pageSize", str(PAGE_SIZE)), *(("id", q) for q in batch)]
            for entity in await _list_all(run, QUEUES_PATH, QUEUE_PERMISSION, params):
                _store_queue(cache, entity)

        batches = [todo[i : i + QUEUES_PER_CALL] for i in range(0, len(todo), QUEUES_PER_CALL)]
        try:
            await _gather_in_batches(run, [_bind(list_batch, batch) for batch in batches])
            cache.queues_state = LookupState.FOUND
        except PermissionMissingError as exc:
            _warn_forbidden("queue", exc, QUEUE_PERMISSION)
            cache.queues_state = LookupState.FORBIDDEN
        except ApiError as exc:
            logger.warning("Listing queues failed: %s", exc.message)
    missing = [queue_id for queue_id in todo if queue_id not in cache.queues]
    if cache.queues_state == LookupState.FORBIDDEN:
        for queue_id in missing:
            cache.queue_misses[queue_id] = LookupState.FORBIDDEN
        return

    async def get_queue(queue_id: str) -> None:
        state, body = await _get_one(run, f"{QUEUES_PATH}/{queue_id}", QUEUE_PERMISSION)
        if state == LookupState.FOUND and isinstance(body, dict) and _store_queue(cache, body):
            return
        cache.queue_misses[queue_id] = state

    await _gather_in_batches(run, [_bind(get_queue, queue_id) for queue_id in missing])


def _bind(
    call: Callable[[Any], Coroutine[Any, Any, None]], value: Any
) -> Callable[[], Coroutine[Any, Any, None]]:
    return lambda: call(value)


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


async def _load_users(run: _LookupRun, wanted: frozenset[str]) -> None:
    cache = run.cache
    todo = sorted(wanted)
    if not todo:
        return
    if cache.users_state == LookupState.FORBIDDEN:
        for user_id in todo:
            cache.user_misses[user_id] = LookupState.FORBIDDEN
        return

    async def get_batch(batch: list[str]) -> None:
        params = [("pageSize", str(USERS_PER_CALL)), ("state", "any"), *(("id", u) for u in batch)]
        try:
            body = await run.get(USERS_PATH, params, USER_PERMISSION)
        except ApiError as exc:
            logger.warning("Looking up %d users failed: %s", len(batch), exc.message)
            for user_id in batch:
                cache.user_misses[user_id] = LookupState.NOT_LOOKED_UP
            return
        for entity in _entities(body):
            found_id, name = entity.get("id"), entity.get("name")
            if isinstance(found_id, str) and isinstance(name, str):
                cache.users[found_id] = name
        for user_id in batch:
            if user_id not in cache.users:
                cache.user_misses[user_id] = LookupState.DELETED
        cache.users_state = LookupState.FOUND

    batches = [todo[i : i + USERS_PER_CALL] for i in range(0, len(todo), USERS_PER_CALL)]
    try:
        await _gather_in_batches(run, [_bind(get_batch, batch) for batch in batches])
    except PermissionMissingError as exc:
        _warn_forbidden("user", exc, USER_PERMISSION)
        cache.users_state = LookupState.FORBIDDEN
        for user_id in todo:
            cache.user_misses.setdefault(user_id, LookupState.FORBIDDEN)


async def _list_all(
    run: _LookupRun,
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
        body = await run.get(next_path, next_params, permission)
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


async def _get_one(run: _LookupRun, path: str, permission: str) -> tuple[LookupState, Any]:
    try:
        return LookupState.FOUND, await run.get(path, permission=permission)
    except PermissionMissingError:
        return LookupState.FORBIDDEN, None
    except ApiError as exc:
        if exc.status == 404:
            return LookupState.DELETED, None
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


def _directory(
    cache: _Cache, ids: ReferencedIds, remembered_code_names: Mapping[str, str] | None
) -> Directory:
    """Build the directory of `ids`; an id with no name and no recorded miss is NOT_LOOKED_UP."""

    def misses(
        wanted: frozenset[str], names: Mapping[str, object], known: Mapping[str, LookupState]
    ) -> dict[str, LookupState]:
        found = {k: v for k, v in known.items() if k in wanted}
        for item_id in wanted - names.keys() - known.keys():
            found[item_id] = LookupState.NOT_LOOKED_UP
        return found

    return Directory(
        wrapup_codes={k: v for k, v in cache.codes.items() if k in ids.codes},
        queues={k: v for k, v in cache.queues.items() if k in ids.queues},
        users={k: v for k, v in cache.users.items() if k in ids.users},
        code_misses=misses(ids.codes, cache.codes, cache.code_misses),
        queue_misses=misses(ids.queues, cache.queues, cache.queue_misses),
        user_misses=misses(ids.users, cache.users, cache.user_misses),
        remembered_code_names=dict(remembered_code_names or {}),
        wrapup_codes_state=cache.codes_state,
        queues_state=cache.queues_state,
        users_state=cache.users_state,
    )
