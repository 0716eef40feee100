"""The app log: file location, rotation settings, library levels and secret redaction."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from logging.handlers import RotatingFileHandler
from pathlib import Path

import pytest

from wrapup_desktop import logsetup
from wrapup_desktop.logsetup import (
    REDACTED,
    configure_logging,
    log_file_path,
    redact,
    register_secret,
)

CLIENT_SECRET = "Zq8-client-secret-4fJ2"
ACCESS_TOKEN = "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJ4In0.c2lnbmF0dXJl"


@pytest.fixture(autouse=True)
def restore_logging() -> Iterator[None]:
    root = logging.getLogger()
    handlers = list(root.handlers)
    level = root.level
    secrets = logsetup._secrets
    yield
    for handler in list(logsetup._installed):
        root.removeHandler(handler)
        handler.close()
    logsetup._installed.clear()
    logsetup._log_file = None
    logsetup._secrets = secrets
    root.handlers[:] = handlers
    root.setLevel(level)
    for name in logsetup.NOISY_LOGGERS:
        logging.getLogger(name).setLevel(logging.NOTSET)


def flush_handlers() -> None:
    for handler in logging.getLogger().handlers:
        handler.flush()


def test_logging_file_in_given_folder(tmp_path: Path) -> None:
    folder = tmp_path / "logs" / "nested"

    path = configure_logging(log_dir=folder)
    logging.getLogger("wrapup_desktop.test").info("Export started for %d rows", 12)
    flush_handlers()

    text = path.read_text(encoding="utf-8")
    assert path == folder / "wrapup-desktop.log"
    assert log_file_path() == path
    assert "INFO" in text
    assert "wrapup_desktop.test: Export started for 12 rows" in text


def test_logging_rotation_settings(tmp_path: Path) -> None:
    configure_logging(log_dir=tmp_path)

    handlers = [h for h in logging.getLogger().handlers if isinstance(h, RotatingFileHandler)]
    assert len(handlers) == 1
    assert handlers[0].maxBytes == 2 * 1024 * 1024
    assert handlers[0].backupCount == 5


def test_logging_configure_twice_one_handler(tmp_path: Path) -> None:
    configure_logging(log_dir=tmp_path)
    configure_logging(log_dir=tmp_path, console=True)

    root = logging.getLogger()
    files = [h for h in root.handlers if isinstance(h, RotatingFileHandler)]
    assert len(files) == 1
    assert len(logsetup._installed) == 2


def test_logging_quiets_http_libraries(tmp_path: Path) -> None:
    configure_logging(log_dir=tmp_path)
    assert logging.getLogger("httpx").level == logging.WARNING
    assert logging.getLogger("httpcore").level == logging.WARNING

    configure_logging(logging.DEBUG, log_dir=tmp_path)
    assert logging.getLogger("httpx").level == logging.DEBUG


def test_logging_keeps_qasync_quiet_at_debug(tmp_path: Path) -> None:
    configure_logging(logging.DEBUG, log_dir=tmp_path)
    assert logging.getLogger("qasync").level == logging.WARNING


def test_logging_unwritable_folder_falls_back(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("x", encoding="utf-8")

    configure_logging(log_dir=blocker / "logs")
    logging.getLogger("wrapup_desktop.test").warning("Still visible")

    err = capsys.readouterr().err
    assert log_file_path() is None
    assert "Cannot write the log file" in err
    assert "Still visible" in err


def test_logging_redacts_every_shape(tmp_path: Path) -> None:
    path = configure_logging(logging.DEBUG, log_dir=tmp_path)
    register_secret(CLIENT_SECRET)
    register_secret(ACCESS_TOKEN)
    log = logging.getLogger("wrapup_desktop.genesys.test")

    log.info("Signing in with secret %s", CLIENT_SECRET)
    log.debug("Headers: %s", {"Authorization": f"Bearer {ACCESS_TOKEN}"})
    log.debug("Token response: %s", f'{{"access_token": "{ACCESS_TOKEN}", "expires_in": 86400}}')
    log.debug("Form body grant_type=client_credentials&client_secret=%s", CLIENT_SECRET)
    log.debug("Callback access_token=%s&state=1", ACCESS_TOKEN)
    log.warning(f"Token {ACCESS_TOKEN[:10]}... f-string {ACCESS_TOKEN}")
    try:
        raise RuntimeError(f"request failed with secret {CLIENT_SECRET}")
    except RuntimeError:
        log.exception("Sign-in failed")
    log.error("Basic header Authorization: Basic ZGVtbzpzZWNyZXQ=")
    flush_handlers()

    text = path.read_text(encoding="utf-8")
    assert CLIENT_SECRET not in text
    assert ACCESS_TOKEN not in text
    assert "ZGVtbzpzZWNyZXQ=" not in text
    assert "RuntimeError: request failed with secret [redacted]" in text
    assert "Signing in with secret [redacted]" in text
    assert "expires_in" in text
    assert text.count(REDACTED) >= 8


def test_logging_redacts_console(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    configure_logging(log_dir=tmp_path, console=True)
    register_secret(CLIENT_SECRET)

    logging.getLogger("wrapup_desktop.test").error("secret=%s", CLIENT_SECRET)

    err = capsys.readouterr().err
    assert CLIENT_SECRET not in err
    assert REDACTED in err


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        pytest.param(
            "Authorization: Bearer abc.def-ghi", "Authorization: Bearer [redacted]", id="header"
        ),
        pytest.param(
            "{'Authorization': 'Basic dXNlcjpwYXNz'}",
            "{'Authorization': 'Basic [redacted]'}",
            id="dict",
        ),
        pytest.param(
            "('authorization', 'Bearer abc')", "('authorization', 'Bearer [redacted]')", id="tuple"
        ),
        pytest.param("sent bearer abc123==", "sent bearer [redacted]", id="bearer-word"),
        pytest.param("access_token=abc&x=1", "access_token=[redacted]&x=1", id="query"),
        pytest.param('{"access_token": "abc"}', '{"access_token": "[redacted]"}', id="json"),
        pytest.param('"refresh_token":"abc"', '"refresh_token":"[redacted]"', id="refresh"),
        pytest.param("client_secret: abc", "client_secret: [redacted]", id="yaml"),
        pytest.param("no secrets here", "no secrets here", id="plain"),
    ],
)
def test_redact_patterns(text: str, expected: str) -> None:
    assert redact(text) == expected


def test_register_secret_ignores_short() -> None:
    register_secret("")
    register_secret(None)
    register_secret("abc")

    assert redact("abc and a") == "abc and a"


def test_register_secret_longest_first() -> None:
    register_secret("secret-part")
    register_secret("secret-part-and-more")

    assert redact("x secret-part-and-more y") == f"x {REDACTED} y"
