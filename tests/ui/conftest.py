"""Fixtures of the window tests: the qasync loop, the demo org, keychains and settings.

Async tests run on a `qasync.QEventLoop`, so coroutines and Qt events share one loop as in the
app. Every window gets settings in a temporary INI file and an in-memory keychain, so tests
never touch this computer's settings or secrets.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable, Iterator
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import keyring
import keyring.backend
import keyring.backends.fail
import keyring.errors
import pytest
import qasync
from PySide6.QtCore import QSettings
from PySide6.QtWidgets import QApplication

FIXED_NOW = datetime(2026, 12, 3, 12, 0, tzinfo=UTC)
"""The tests' wall clock: a Thursday, so "yesterday" is 2026-12-02 in Europe/Dublin."""
ZONE = "Europe/Dublin"
ONE_DAY = date(2026, 12, 1)


def _qasync_loop() -> asyncio.AbstractEventLoop:
    app = QApplication.instance() or QApplication([])
    loop: asyncio.AbstractEventLoop = qasync.QEventLoop(app)
    return loop


def pytest_asyncio_loop_factories(config: Any, item: Any) -> dict[str, Callable[[], Any]]:
    """Run the async tests of this folder on the Qt event loop."""
    return {"qasync": _qasync_loop}


class MemoryKeyring(keyring.backend.KeyringBackend):
    """A keychain in a dict, for tests."""

    priority = 1  # type: ignore[assignment]

    def __init__(self) -> None:
        super().__init__()
        self.entries: dict[tuple[str, str], str] = {}

    def get_password(self, service: str, username: str) -> str | None:
        return self.entries.get((service, username))

    def set_password(self, service: str, username: str, password: str) -> None:
        self.entries[(service, username)] = password

    def delete_password(self, service: str, username: str) -> None:
        if (service, username) not in self.entries:
            raise keyring.errors.PasswordDeleteError(username)
        del self.entries[(service, username)]


@pytest.fixture(autouse=True)
def isolated_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Point the per-user folders (logs, remembered code names) at a temporary folder."""
    home = tmp_path / "home"
    for name in ("XDG_CONFIG_HOME", "XDG_DATA_HOME", "XDG_STATE_HOME", "XDG_CACHE_HOME"):
        folder = home / name.lower()
        folder.mkdir(parents=True)
        monkeypatch.setenv(name, str(folder))
    return home


@pytest.fixture
def memory_keyring() -> Iterator[MemoryKeyring]:
    previous = keyring.get_keyring()
    backend = MemoryKeyring()
    keyring.set_keyring(backend)
    yield backend
    keyring.set_keyring(previous)


@pytest.fixture
def no_keyring() -> Iterator[None]:
    previous = keyring.get_keyring()
    keyring.set_keyring(keyring.backends.fail.Keyring())
    yield
    keyring.set_keyring(previous)


@pytest.fixture
def settings(tmp_path: Path) -> Any:
    from wrapup_desktop.ui.settings import AppSettings

    return AppSettings(QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat))


@pytest.fixture
def fault_plan() -> Any:
    from wrapup_desktop.sandbox import FaultPlan

    return FaultPlan()


@pytest.fixture
def waits() -> list[float]:
    """The rate-limit waits the engine asked for; the fake sleep records them."""
    return []


@pytest.fixture
def controller(fault_plan: Any, waits: list[float]) -> Any:
    from wrapup_desktop.genesys import RetryPolicy, demo_session
    from wrapup_desktop.ui.controller import Controller

    # The fake sleep returns at once and moves the session's clock forward by the wait, so
    # the rate-limit pacing measures the skipped time as passed.
    skipped = [0.0]

    async def fake_sleep(seconds: float) -> None:
        waits.append(seconds)
        skipped[0] += seconds
        await asyncio.sleep(0)

    def fake_clock() -> float:
        return time.monotonic() + skipped[0]

    def factory() -> Any:
        return demo_session(
            now=FIXED_NOW,
            faults=fault_plan,
            sleep=fake_sleep,
            clock=fake_clock,
            policy=RetryPolicy(base_backoff_s=0.01, max_backoff_s=0.05),
        )

    return Controller(clock=lambda: FIXED_NOW, demo_factory=factory)


@pytest.fixture
def window(qtbot: Any, controller: Any, settings: Any, memory_keyring: MemoryKeyring) -> Any:
    from wrapup_desktop.ui.main_window import MainWindow

    main = MainWindow(controller, settings)
    qtbot.addWidget(main)
    main.signin.ensure_regions()
    main.range_view.set_zone(ZONE)
    main.show()
    return main


async def until(condition: Callable[[], object], timeout_s: float = 10.0) -> None:
    """Wait on the running loop until `condition()` is true; fail after `timeout_s`."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout_s
    while not condition():
        if loop.time() > deadline:
            raise AssertionError(f"condition not met within {timeout_s} s")
        await asyncio.sleep(0.005)
