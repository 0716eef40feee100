"""The local memory of wrap-up code names seen in earlier runs.

Genesys drops a deleted code from its listings, but the code's id stays in the analytics
data. Remembering each id's name lets a report show "(deleted) Sale" instead of a bare GUID. The
memory is one JSON file in the user's data folder,
`{"version": 1, "wrapup_codes": {"<id>": "<name>"}}`, holding nothing but code ids and names.
It is written atomically. A corrupt file is ignored with a warning and replaced at the next save.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import platformdirs

from wrapup_desktop.errors import InputError
from wrapup_desktop.export.atomic import atomic_binary_file

logger = logging.getLogger(__name__)

APP_NAME = "WrapUp Desktop"
FILE_NAME = "code-names.json"
FORMAT_VERSION = 1


def default_code_names_path() -> Path:
    """Return the memory file's path in the per-user data folder of this platform."""
    return Path(platformdirs.user_data_dir(APP_NAME, appauthor=False)) / FILE_NAME


def load_remembered_code_names(path: Path | None = None) -> dict[str, str]:
    """Return the remembered code id to name map; empty when there is none or it is corrupt."""
    names, _ = _read(path or default_code_names_path())
    return names


def remember_code_names(names: Mapping[str, str], path: Path | None = None) -> bool:
    """Merge `names` into the memory file; a new name for a known id replaces the old one.

    Blank ids and names are skipped. The memory is a convenience, so a failed write does not
    raise: it logs a warning and returns False, and the report goes on without it.
    """
    target = path or default_code_names_path()
    merged, intact = _read(target)
    changed = not intact
    for code_id, name in names.items():
        if not code_id or not name or merged.get(code_id) == name:
            continue
        merged[code_id] = name
        changed = True
    if not changed:
        return True
    document = {"version": FORMAT_VERSION, "wrapup_codes": dict(sorted(merged.items()))}
    payload = json.dumps(document, ensure_ascii=False, indent=1).encode("utf-8")
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        with atomic_binary_file(target) as stream:
            stream.write(payload)
    except (OSError, InputError) as exc:
        logger.warning(
            "Cannot save the remembered code names to %s: %s. Deleted codes will show "
            "without their names in later runs; check the permissions of that folder.",
            target,
            exc,
        )
        return False
    logger.debug("Remembered %d code names in %s", len(merged), target)
    return True


def _read(target: Path) -> tuple[dict[str, str], bool]:
    """Return the remembered names and whether the file needs no rewrite."""
    try:
        data = target.read_bytes()
    except FileNotFoundError:
        return {}, False
    except OSError as exc:
        logger.warning("Cannot read the remembered code names in %s: %s", target, exc)
        return {}, False
    try:
        document = json.loads(data.decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        logger.warning(
            "Ignoring the remembered code names in %s: the file is corrupt (%s); "
            "it is replaced at the next save",
            target,
            exc,
        )
        return {}, False
    names = _names_of(document)
    if names is None:
        logger.warning(
            "Ignoring the remembered code names in %s: unexpected content; "
            "it is replaced at the next save",
            target,
        )
        return {}, False
    return names, True


def _names_of(document: Any) -> dict[str, str] | None:
    if not isinstance(document, dict):
        return None
    codes = document.get("wrapup_codes")
    if not isinstance(codes, dict):
        return None
    return {
        key: value
        for key, value in codes.items()
        if isinstance(key, str) and isinstance(value, str) and key and value
    }
