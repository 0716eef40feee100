"""Atomic file writes: a report is either written whole or the old file stays untouched.

Every writer of the export layer writes into a temporary file in the target's folder, flushes
and fsyncs it, then renames it over the target with `os.replace`, which is atomic on the same
file system on Windows, macOS and Linux. On any error the temporary file is removed and the
error is raised again; OS errors become an `InputError` that names the path and what to do.
"""

from __future__ import annotations

import contextlib
import logging
import os
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import IO, TypeVar

from wrapup_desktop.errors import InputError

logger = logging.getLogger(__name__)

T = TypeVar("T")


@contextlib.contextmanager
def atomic_binary_file(path: Path) -> Iterator[IO[bytes]]:
    """Open a temporary file beside `path` for writing; replace `path` with it on success."""
    path = Path(path)
    try:
        handle, temp_name = tempfile.mkstemp(
            prefix=f".{path.name}.", suffix=".tmp", dir=path.parent
        )
    except OSError as exc:
        raise write_error(path, exc) from exc
    temp_path = Path(temp_name)
    try:
        with os.fdopen(handle, "wb") as stream:
            yield stream
            stream.flush()
            os.fsync(stream.fileno())
        _copy_mode(path, temp_path)
        temp_path.replace(path)
    except BaseException as exc:
        _remove_quietly(temp_path)
        if isinstance(exc, OSError):
            raise write_error(path, exc) from exc
        raise


def write_atomically(path: Path, write: Callable[[Path], T]) -> T:
    """Call `write` with a temporary path beside `path`, then move the result over `path`.

    For libraries such as xlsxwriter that open the output file themselves. The temporary path
    does not exist yet when `write` is called.
    """
    path = Path(path)
    try:
        handle, temp_name = tempfile.mkstemp(
            prefix=f".{path.name}.", suffix=".tmp", dir=path.parent
        )
    except OSError as exc:
        raise write_error(path, exc) from exc
    os.close(handle)
    temp_path = Path(temp_name)
    try:
        temp_path.unlink()
        result = write(temp_path)
        with temp_path.open("rb+") as stream:
            os.fsync(stream.fileno())
        _copy_mode(path, temp_path)
        temp_path.replace(path)
    except BaseException as exc:
        _remove_quietly(temp_path)
        if isinstance(exc, OSError):
            raise write_error(path, exc) from exc
        raise
    return result


def write_error(path: Path, exc: OSError) -> InputError:
    """Turn an OS error on `path` into an InputError that names the path and the next step."""
    if isinstance(exc, FileNotFoundError) and not path.parent.is_dir():
        message = (
            f"Cannot write {path}: the folder {path.parent} does not exist. "
            "Choose an existing folder."
        )
    elif isinstance(exc, IsADirectoryError) or path.is_dir():
        message = f"Cannot write {path}: it is a folder. Choose a file name."
    elif isinstance(exc, PermissionError):
        message = (
            f"Cannot write {path}: permission denied, or the file is open in another program. "
            "Close the file in Excel, or choose another name."
        )
    else:
        reason = exc.strerror or str(exc)
        message = f"Cannot write {path}: {reason}. Check the disk and choose another name."
    logger.error("Writing %s failed: %s", path, exc)
    return InputError(message, details=f"{type(exc).__name__}: {exc}")


def _copy_mode(target: Path, temp_path: Path) -> None:
    # mkstemp creates the file readable by its owner only. A report gets the mode of the file
    # it replaces, or the usual rw-r--r-- for a new file.
    try:
        mode = target.stat().st_mode & 0o777
    except OSError:
        mode = 0o644
    temp_path.chmod(mode)


def _remove_quietly(path: Path) -> None:
    try:
        path.unlink(missing_ok=True)
    except OSError as exc:
        logger.warning("Could not remove the temporary file %s: %s", path, exc)
