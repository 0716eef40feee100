"""The sign-in view against the sandbox org: errors, the keychain, the demo and the secret."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import httpx
import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLineEdit

from tests.ui.conftest import FIXED_NOW, MemoryKeyring, until
from wrapup_desktop.ui.credentials_store import NO_KEYCHAIN_MESSAGE
from wrapup_desktop.ui.main_window import MainWindow

ORIGIN = "http://127.0.0.1:8765"
SERVICE = "WrapUp Desktop"


@pytest.fixture
def sandbox_window(qtbot: Any, settings: Any) -> MainWindow:
    """A window whose OAuth sign-ins reach the sandbox org in-process, at a custom origin."""
    from wrapup_desktop.sandbox import SandboxOrg, create_app
    from wrapup_desktop.ui.controller import Controller

    transport = httpx.ASGITransport(app=create_app(SandboxOrg(now=FIXED_NOW)))
    controller = Controller(clock=lambda: FIXED_NOW, transport=transport)
    window = MainWindow(controller, settings)
    qtbot.addWidget(window)
    window.signin.ensure_regions()
    window.show()
    return window


def _demo_client() -> tuple[str, str]:
    from wrapup_desktop.sandbox import DEMO_CLIENT_ID, DEMO_CLIENT_SECRET

    return DEMO_CLIENT_ID, DEMO_CLIENT_SECRET


def _fill(window: MainWindow, qtbot: Any, client_id: str, secret: str) -> None:
    view = window.signin
    view.region.setCurrentIndex(view.region.count() - 1)
    view.origin.clear()
    qtbot.keyClicks(view.origin, ORIGIN)
    view.client_id.clear()
    qtbot.keyClicks(view.client_id, client_id)
    view.secret.clear()
    qtbot.keyClicks(view.secret, secret)


async def _click_sign_in(window: MainWindow, qtbot: Any) -> None:
    view = window.signin
    qtbot.mouseClick(view.sign_in_button, Qt.MouseButton.LeftButton)
    await until(lambda: view.sign_in_button.isEnabled() and view.message.text())
    await until(lambda: not view.message.text().startswith("Signing in"))


async def test_signin_wrong_secret_shows_error(
    sandbox_window: MainWindow, qtbot: Any, memory_keyring: MemoryKeyring
) -> None:
    client_id, _ = _demo_client()
    _fill(sandbox_window, qtbot, client_id, "not-the-secret")
    await _click_sign_in(sandbox_window, qtbot)

    message = sandbox_window.signin.message.text()
    assert "Check" in message
    assert sandbox_window.pages.currentIndex() == 0
    assert sandbox_window.controller.session is None
    assert sandbox_window.org_label.text() == "Not signed in"


async def test_signin_right_secret_opens_work(
    sandbox_window: MainWindow, qtbot: Any, memory_keyring: MemoryKeyring
) -> None:
    _fill(sandbox_window, qtbot, *_demo_client())
    await _click_sign_in(sandbox_window, qtbot)

    assert sandbox_window.org_label.text() == "Signed in to Sandbox Org (demo)"
    assert sandbox_window.pages.currentIndex() == 1
    assert memory_keyring.entries == {}


async def test_signin_remember_saves_keychain(
    sandbox_window: MainWindow, qtbot: Any, memory_keyring: MemoryKeyring, tmp_path: Path
) -> None:
    client_id, secret = _demo_client()
    _fill(sandbox_window, qtbot, client_id, secret)
    sandbox_window.signin.remember.setChecked(True)
    await _click_sign_in(sandbox_window, qtbot)

    assert memory_keyring.entries[(SERVICE, f"{ORIGIN}:{client_id}")] == secret
    assert "saved in this computer's keychain" in sandbox_window.signin.message.text()
    from wrapup_desktop.logsetup import redact

    assert secret not in redact(f"token request with {secret}")
    sandbox_window.settings.sync()
    saved = (tmp_path / "settings.ini").read_text(encoding="utf-8")
    assert client_id in saved
    assert secret not in saved


async def test_signin_without_keychain_says_session(
    sandbox_window: MainWindow, qtbot: Any, no_keyring: None
) -> None:
    _fill(sandbox_window, qtbot, *_demo_client())
    sandbox_window.signin.remember.setChecked(True)
    await _click_sign_in(sandbox_window, qtbot)

    # The sign-in page is out of view now, so the status bar carries the sentence.
    assert sandbox_window.pages.currentIndex() == 1
    assert sandbox_window.statusBar().currentMessage() == NO_KEYCHAIN_MESSAGE

    await sandbox_window.sign_out()
    assert sandbox_window.statusBar().currentMessage() == ""
    assert sandbox_window.signin.message.text() == ""


def test_signin_remembered_secret_filled(
    qtbot: Any, settings: Any, controller: Any, memory_keyring: MemoryKeyring
) -> None:
    memory_keyring.entries[(SERVICE, f"{ORIGIN}:my-client")] = "kept-secret"
    settings.region = ORIGIN
    settings.client_id = "my-client"
    settings.remember = True
    window = MainWindow(controller, settings)
    qtbot.addWidget(window)
    window.signin.ensure_regions()

    assert window.signin.origin.text() == ORIGIN
    assert window.signin.secret.text() == "kept-secret"
    assert window.signin.remember.isChecked()


def test_signin_forget_deletes_secret(
    qtbot: Any, settings: Any, controller: Any, memory_keyring: MemoryKeyring
) -> None:
    memory_keyring.entries[(SERVICE, f"{ORIGIN}:my-client")] = "kept-secret"
    settings.region = ORIGIN
    settings.client_id = "my-client"
    window = MainWindow(controller, settings)
    qtbot.addWidget(window)
    window.signin.ensure_regions()

    qtbot.mouseClick(window.signin.forget_button, Qt.MouseButton.LeftButton)

    assert memory_keyring.entries == {}
    assert "removed from this computer's keychain" in window.signin.message.text()
    assert not window.signin.remember.isChecked()


def test_signin_forget_without_keychain(
    qtbot: Any, settings: Any, controller: Any, no_keyring: None
) -> None:
    window = MainWindow(controller, settings)
    qtbot.addWidget(window)
    window.signin.ensure_regions()
    window.signin.client_id.setText("my-client")
    qtbot.mouseClick(window.signin.forget_button, Qt.MouseButton.LeftButton)
    assert window.signin.message.text() == NO_KEYCHAIN_MESSAGE


def test_signin_show_toggle_unmasks(window: MainWindow, qtbot: Any) -> None:
    view = window.signin
    assert view.secret.echoMode() == QLineEdit.EchoMode.Password
    qtbot.mouseClick(view.show_secret, Qt.MouseButton.LeftButton)
    assert view.secret.echoMode() == QLineEdit.EchoMode.Normal
    qtbot.mouseClick(view.show_secret, Qt.MouseButton.LeftButton)
    assert view.secret.echoMode() == QLineEdit.EchoMode.Password


async def test_signin_empty_secret_explained(window: MainWindow, qtbot: Any) -> None:
    window.signin.client_id.setText("my-client")
    window.signin.secret.clear()
    qtbot.mouseClick(window.signin.sign_in_button, Qt.MouseButton.LeftButton)
    await until(lambda: "secret is empty" in window.signin.message.text())
    assert window.controller.session is None


def test_signin_lists_every_region(window: MainWindow) -> None:
    from wrapup_desktop.genesys import REGIONS

    combo = window.signin.region
    labels = [combo.itemText(i) for i in range(combo.count())]
    assert len(labels) == len(REGIONS) + 1
    assert "EMEA (Dublin) · mypurecloud.ie" in labels
    assert labels[-1] == "Custom origin…"


async def test_signin_test_connection_names_org(
    sandbox_window: MainWindow, qtbot: Any, memory_keyring: MemoryKeyring
) -> None:
    _fill(sandbox_window, qtbot, *_demo_client())
    view = sandbox_window.signin
    qtbot.mouseClick(view.test_button, Qt.MouseButton.LeftButton)
    await until(lambda: "connection works" in view.message.text())

    assert view.message.text() == "Signed in to Sandbox Org (demo). The connection works."
    assert sandbox_window.controller.session is None


async def test_signin_demo_one_click(window: MainWindow, qtbot: Any) -> None:
    qtbot.mouseClick(window.signin.demo_button, Qt.MouseButton.LeftButton)
    await until(lambda: window.controller.session is not None)

    assert window.org_label.text() == "Signed in to Sandbox Org (demo)"
    assert window.pages.currentIndex() == 1
    await until(lambda: window.range_view.queues.list.count() > 0)
    assert window.range_view.agents.list.count() > 0


async def test_signin_browser_user_account(
    sandbox_window: MainWindow, qtbot: Any, memory_keyring: MemoryKeyring
) -> None:
    import asyncio

    controller = sandbox_window.controller
    transport = controller.transport
    visits: list[asyncio.Task[None]] = []

    async def act_as_browser(url: str) -> None:
        # The sandbox approves at once and redirects to the app's loopback listener.
        async with httpx.AsyncClient(transport=transport) as login:
            answer = await login.get(url)
        async with httpx.AsyncClient(trust_env=False) as loopback:
            await loopback.get(answer.headers["location"])

    controller.open_url = lambda url: visits.append(asyncio.ensure_future(act_as_browser(url)))
    view = sandbox_window.signin
    view.region.setCurrentIndex(view.region.count() - 1)
    view.origin.setText(ORIGIN)
    view.client_id.setText(_demo_client()[0])
    qtbot.mouseClick(view.browser_button, Qt.MouseButton.LeftButton)
    await until(lambda: controller.session is not None)

    assert visits
    assert sandbox_window.org_label.text() == "Signed in to Sandbox Org (demo)"
    assert view.message.text() == "Signed in to Sandbox Org (demo)."
    assert memory_keyring.entries == {}


async def test_signin_browser_cancel_stops_wait(
    sandbox_window: MainWindow, qtbot: Any, memory_keyring: MemoryKeyring
) -> None:
    opened: list[str] = []
    sandbox_window.controller.open_url = opened.append
    view = sandbox_window.signin
    view.region.setCurrentIndex(view.region.count() - 1)
    view.origin.setText(ORIGIN)
    view.client_id.setText(_demo_client()[0])

    qtbot.mouseClick(view.browser_button, Qt.MouseButton.LeftButton)
    await until(lambda: opened)
    assert view.browser_button.text() == "&Cancel the browser sign-in"
    assert not view.sign_in_button.isEnabled()
    qtbot.mouseClick(view.browser_button, Qt.MouseButton.LeftButton)
    await until(lambda: view.sign_in_button.isEnabled())

    assert view.message.text() == "The browser sign-in was cancelled."
    assert view.browser_button.text() == "Sign in with a Genesys &user account"
    assert sandbox_window.controller.session is None
