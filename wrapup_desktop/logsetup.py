"""The app's log: a rotating file in the per-user log folder, with secrets redacted.

`configure_logging` installs the handlers once per process (calling it again replaces them).
Every handler carries a `RedactingFilter`, which replaces with `[redacted]`:
- a bearer token (`Bearer eyJ...`) and the value of an `Authorization` header;
- `access_token`, `refresh_token`, `id_token` and `client_secret` values, written as
  `name=value`, `"name": "value"` or `'name': 'value'`;
- every value registered at run time with `register_secret`, such as the client secret and each
  token the app receives.

The filter rewrites the message, its arguments and the traceback text, so a secret inside an
exception message is caught too. It cannot catch a secret that was neither registered nor shaped
like one of the patterns above, so code must still never log secrets on purpose.
"""

from __future__ import annotations

import logging
import re
import sys
import threading
from logging.handlers import RotatingFileHandler
from pathlib import Path

import platformdirs

APP_NAME = "WrapUp Desktop"
LOG_FILE_NAME = "wrapup-desktop.log"
MAX_LOG_BYTES = 2 * 1024 * 1024
LOG_BACKUP_COUNT = 5
"""Rotated files kept beside the current one: about 12 MB of history at most."""
LOG_FORMAT = "%(asctime)s %(levelname)-8s %(name)s: %(message)s"
REDACTED = "[redacted]"
MIN_SECRET_LENGTH = 4
"""Shorter values are not registered: they would blank ordinary words in every line, and no
client secret or token is that short."""
NOISY_LOGGERS = ("httpx", "httpcore", "hpack", "asyncio", "qasync")
# qasync logs the whole argument list of every callback at DEBUG, which includes classified rows
# and their wrap-up notes (customer data), so it stays at WARNING even at DEBUG.
ALWAYS_QUIET_LOGGERS = frozenset({"qasync"})

logger = logging.getLogger(__name__)

_BEARER_VALUE = r"[A-Za-z0-9\-._~+/]+=*"  # RFC 6750 b64token
_AUTHORIZATION = re.compile(
    # Authorization: Bearer abc, or Basic abc, in a header dump, a dict or tuple repr, or JSON.
    r"""(?i)(authorization['"]?\s*[:=,]\s*['"]?)(?:(bearer|basic)\s+)?[^'"\s,;}]+"""
)
_BEARER = re.compile(rf"(?i)\b(bearer)\s+{_BEARER_VALUE}")
_NAMED_SECRET = re.compile(
    r"""(?i)(["']?(?:access_token|refresh_token|id_token|client_secret)["']?\s*[:=]\s*)"""
    r"""(["']?)[^"'\s&,;}]+"""
)


def _redact_authorization(match: re.Match[str]) -> str:
    scheme = match.group(2)
    return f"{match.group(1)}{scheme + ' ' if scheme else ''}{REDACTED}"


_secrets_lock = threading.Lock()
_secrets: tuple[str, ...] = ()
_log_file: Path | None = None
_installed: list[logging.Handler] = []


def register_secret(value: str | None) -> None:
    """Add a value that must never appear in the log, such as a client secret or token."""
    global _secrets
    if not value or len(value) < MIN_SECRET_LENGTH:
        return
    with _secrets_lock:
        if value in _secrets:
            return
        # Longest first, so a secret that contains another is replaced whole.
        _secrets = tuple(sorted((*_secrets, value), key=len, reverse=True))


def redact(text: str) -> str:
    """Return `text` with registered secrets and token-shaped values replaced."""
    for secret in _secrets:
        if secret in text:
            text = text.replace(secret, REDACTED)
    text = _AUTHORIZATION.sub(_redact_authorization, text)
    text = _BEARER.sub(rf"\1 {REDACTED}", text)
    return _NAMED_SECRET.sub(rf"\1\2{REDACTED}", text)


class RedactingFilter(logging.Filter):
    """Rewrite each record so that no secret reaches a handler's output."""

    def filter(self, record: logging.LogRecord) -> bool:
        try:
            message = record.getMessage()
        except (TypeError, ValueError):
            message = f"{record.msg!r} {record.args!r}"
        record.msg = redact(message)
        record.args = None
        if record.exc_info and not record.exc_text:
            record.exc_text = logging.Formatter().formatException(record.exc_info)
        if record.exc_text:
            record.exc_text = redact(record.exc_text)
        if record.stack_info:
            record.stack_info = redact(record.stack_info)
        return True


def default_log_dir() -> Path:
    """Return the per-user log folder of this platform."""
    return Path(platformdirs.user_log_dir(APP_NAME, appauthor=False))


def configure_logging(
    level: int = logging.INFO, *, log_dir: Path | None = None, console: bool = False
) -> Path:
    """Send the app's log to a rotating file (and stderr when `console`); return the file path.

    When the folder cannot be created or the file cannot be opened, the log goes to stderr only
    and a warning gives the reason. `log_file_path()` then returns None, and the returned path is
    the one that failed.
    """
    global _log_file
    directory = log_dir or default_log_dir()
    path = directory / LOG_FILE_NAME
    root = logging.getLogger()
    for handler in _installed:
        root.removeHandler(handler)
        handler.close()
    _installed.clear()

    formatter = logging.Formatter(LOG_FORMAT)
    redacting = RedactingFilter()
    problem: OSError | None = None
    try:
        directory.mkdir(parents=True, exist_ok=True)
        file_handler = RotatingFileHandler(
            path, maxBytes=MAX_LOG_BYTES, backupCount=LOG_BACKUP_COUNT, encoding="utf-8"
        )
    except OSError as exc:
        problem = exc
        _log_file = None
    else:
        _install(root, file_handler, formatter, redacting)
        _log_file = path
    if console or problem is not None:
        _install(root, logging.StreamHandler(sys.stderr), formatter, redacting)

    root.setLevel(level)
    library_level = logging.DEBUG if level <= logging.DEBUG else logging.WARNING
    for name in NOISY_LOGGERS:
        quiet = name in ALWAYS_QUIET_LOGGERS
        logging.getLogger(name).setLevel(logging.WARNING if quiet else library_level)
    if problem is not None:
        logger.warning(
            "Cannot write the log file in %s (%s); logging to the console only", directory, problem
        )
    else:
        logger.debug("Logging to %s", path)
    return path


def log_file_path() -> Path | None:
    """Return the current log file, or None when logging is not configured or goes to stderr."""
    return _log_file


def _install(
    root: logging.Logger,
    handler: logging.Handler,
    formatter: logging.Formatter,
    redacting: RedactingFilter,
) -> None:
    handler.setFormatter(formatter)
    handler.addFilter(redacting)
    root.addHandler(handler)
    _installed.append(handler)
