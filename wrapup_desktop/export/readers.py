"""Read saved API responses from files, for classifying offline or with saved name listings.

Every problem with a file raises an `InputError` with the file name, the position of the
problem (line and column for JSON errors) and the response the file should contain. The
shapes themselves are checked by `documents.py` in the domain; this module only reads bytes,
decodes UTF-8 (with or without a byte order mark) and parses JSON.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import msgspec

from wrapup_desktop.domain.decode import MalformedConversation
from wrapup_desktop.domain.directory import Directory, LookupState
from wrapup_desktop.domain.documents import (
    conversations_from_document,
    directory_from_listings,
)
from wrapup_desktop.domain.model import Conversation
from wrapup_desktop.errors import InputError

logger = logging.getLogger(__name__)

EXPECTED_RESPONSE = (
    "Expected a saved response of POST /api/v2/analytics/conversations/details/query, "
    "a jobs results page, a single conversation, or a JSON list of these."
)
EXPECTED_CODES = "Expected a saved response of GET /api/v2/routing/wrapupcodes."
EXPECTED_QUEUES = "Expected a saved response of GET /api/v2/routing/queues."
EXPECTED_USERS = "Expected a saved response of GET /api/v2/users."

_UTF8_BOM = b"\xef\xbb\xbf"
_UTF16_BOMS = (b"\xff\xfe", b"\xfe\xff")


def read_saved_responses(
    paths: Sequence[Path],
) -> tuple[list[Conversation], list[MalformedConversation]]:
    """Read the conversations of each saved response file, in order.

    A conversation that appears in several files is kept once, as its copy in the last file,
    which is the most recent when the files were saved in order while a range still changed.
    Raises InputError for the first file that cannot be read or does not hold conversations.
    """
    conversations: dict[str, Conversation] = {}
    anonymous: list[Conversation] = []
    malformed: list[MalformedConversation] = []
    duplicates = 0
    for path in paths:
        document = load_json_file(Path(path), EXPECTED_RESPONSE)
        try:
            found, broken = conversations_from_document(document)
        except ValueError as exc:
            raise InputError(
                f"{path} does not hold conversations: {exc}.",
                details=str(exc),
            ) from exc
        for conversation in found:
            key = conversation.conversation_id
            if not key:
                anonymous.append(conversation)
                continue
            if conversations.pop(key, None) is not None:
                duplicates += 1
            conversations[key] = conversation
        malformed.extend(broken)
        logger.info("Read %d conversations (%d malformed) from %s", len(found), len(broken), path)
    if duplicates:
        logger.info("%d conversations were in more than one file; kept the last copy", duplicates)
    return [*conversations.values(), *anonymous], malformed


def read_directory_files(
    wrapup_codes: Path | None, queues: Path | None, users: Path | None
) -> Directory:
    """Build a Directory from saved listings of codes, queues and users; each is optional.

    The state of each listing is FOUND when its file was given and NOT_LOOKED_UP when not, so
    a reason can explain that a name is blank because no listing was given.
    """
    codes_doc = _load_optional(wrapup_codes, EXPECTED_CODES)
    queues_doc = _load_optional(queues, EXPECTED_QUEUES)
    users_doc = _load_optional(users, EXPECTED_USERS)
    from_codes = _listing_directory(wrapup_codes, EXPECTED_CODES, codes_doc, None, None)
    from_queues = _listing_directory(queues, EXPECTED_QUEUES, None, queues_doc, None)
    from_users = _listing_directory(users, EXPECTED_USERS, None, None, users_doc)

    directory = Directory(
        wrapup_codes=from_codes.wrapup_codes,
        queues=from_queues.queues,
        users=from_users.users,
        code_misses=from_codes.code_misses,
        queue_misses=from_queues.queue_misses,
        user_misses=from_users.user_misses,
    )
    directory.wrapup_codes_state = _state(wrapup_codes)
    directory.queues_state = _state(queues)
    directory.users_state = _state(users)
    logger.info(
        "Read %d code names, %d queues and %d user names from saved listings",
        len(directory.wrapup_codes),
        len(directory.queues),
        len(directory.users),
    )
    return directory


def load_json_file(path: Path, expected: str) -> Any:
    """Read and parse one JSON file; raise InputError naming the file, position and `expected`."""
    data = _read_bytes(path, expected)
    if not data.strip():
        raise InputError(f"{path} is empty. {expected}")
    if data.startswith(_UTF8_BOM):
        data = data[len(_UTF8_BOM) :]
    if data.startswith(_UTF16_BOMS):
        raise InputError(
            f"{path} is UTF-16 text, not UTF-8. Save it again as UTF-8 (the API's encoding). "
            f"{expected}"
        )
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line, column = _position(data, exc.start)
        raise InputError(
            f"{path} is not UTF-8 text: byte 0x{data[exc.start]:02x} at line {line}, "
            f"column {column} is invalid. It may be a binary file. {expected}",
            details=str(exc),
        ) from exc
    try:
        return msgspec.json.decode(data)
    except msgspec.DecodeError as fast_error:
        # msgspec reports a byte offset only; json names line and column for the message.
        try:
            return json.loads(text)
        except json.JSONDecodeError as exc:
            raise InputError(
                f"{path} is not valid JSON: {_json_problem(exc, text)} at line {exc.lineno}, "
                f"column {exc.colno}. {expected}",
                details=f"{exc}; {fast_error}",
            ) from exc


def _read_bytes(path: Path, expected: str) -> bytes:
    if path.is_dir():
        raise InputError(f"{path} is a folder, not a file. Choose the saved file. {expected}")
    try:
        return path.read_bytes()
    except FileNotFoundError as exc:
        raise InputError(f"{path} was not found. Check the file name and folder.") from exc
    except PermissionError as exc:
        raise InputError(
            f"{path} cannot be read: permission denied. Check the file's permissions."
        ) from exc
    except OSError as exc:
        reason = exc.strerror or str(exc)
        raise InputError(f"{path} cannot be read: {reason}.", details=str(exc)) from exc


def _json_problem(exc: json.JSONDecodeError, text: str) -> str:
    if not text[exc.pos :].strip() or exc.msg.startswith("Unterminated string"):
        return "unexpected end of data (the file looks cut off)"
    return exc.msg[:1].lower() + exc.msg[1:]


def _position(data: bytes, offset: int) -> tuple[int, int]:
    before = data[:offset]
    line = before.count(b"\n") + 1
    column = offset - (before.rfind(b"\n") + 1) + 1
    return line, column


def _load_optional(path: Path | None, expected: str) -> Any | None:
    if path is None:
        return None
    return load_json_file(Path(path), expected)


def _listing_directory(
    path: Path | None, expected: str, codes: Any, queues: Any, users: Any
) -> Directory:
    if path is None:
        return Directory()
    try:
        return directory_from_listings(codes, queues, users)
    except ValueError as exc:
        raise InputError(f"{path} is not a listing: {exc}. {expected}", details=str(exc)) from exc


def _state(path: Path | None) -> LookupState:
    return LookupState.FOUND if path is not None else LookupState.NOT_LOOKED_UP
