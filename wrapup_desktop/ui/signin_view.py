"""Sign-in: region, OAuth client, the keychain, a browser sign-in and the demo org.

The secret is typed here, kept in memory, registered with the log redaction and, only when
"Remember on this computer" is ticked, saved in the OS keychain. It is never written to the
settings. Errors from the engine are shown under the buttons, with what to do next.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QCompleter,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from wrapup_desktop.errors import InputError, WrapUpError
from wrapup_desktop.ui.credentials_store import CredentialStore, StoreOutcome
from wrapup_desktop.ui.icons import app_icon
from wrapup_desktop.ui.settings import AppSettings
from wrapup_desktop.ui.tasks import async_slot
from wrapup_desktop.ui.theme import error_stylesheet

if TYPE_CHECKING:
    import asyncio

    from wrapup_desktop.genesys import Endpoints, Region
    from wrapup_desktop.ui.controller import Controller

logger = logging.getLogger(__name__)

CUSTOM_ORIGIN = "Custom origin…"
DEFERRED_LOAD_MS = 30
BROWSER_BUTTON_TEXT = "Sign in with a Genesys &user account"


def _register_secret(secret: str) -> None:
    from wrapup_desktop.logsetup import register_secret

    register_secret(secret)


class SignInView(QWidget):
    """The first page of the window; emits `signedIn(org_name)` once a session exists."""

    signedIn = Signal(str)  # noqa: N815 - Qt signal naming
    notice = Signal(str)
    """A sentence the window shows after sign-in, when this page is no longer in view."""

    def __init__(
        self,
        controller: Controller,
        settings: AppSettings,
        store: CredentialStore | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._controller = controller
        self._settings = settings
        self._store = store or CredentialStore()
        self._regions: list[Region] = []
        self._regions_loaded = False

        title = QLabel("<h2>Sign in to Genesys Cloud</h2>", self)
        self.icon = QLabel(self)
        self.icon.setFixedSize(48, 48)
        intro = QLabel(
            "Use an OAuth client (client credentials) with the analytics, routing and users "
            "permissions, or sign in with your own Genesys account. The demo org needs "
            "neither.",
            self,
        )
        intro.setWordWrap(True)

        self.region = QComboBox(self)
        self.region.setEditable(True)
        self.region.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        self.region.setAccessibleName("Region")
        self.region.addItem("Loading the regions…")
        self.origin = QLineEdit(self)
        self.origin.setPlaceholderText("http://127.0.0.1:8765")
        self.origin.setAccessibleName("Custom origin")
        self.origin_label = QLabel("&Origin:", self)
        self.origin_label.setBuddy(self.origin)

        self.client_id = QLineEdit(self)
        self.client_id.setAccessibleName("Client ID")
        self.client_id.setPlaceholderText("OAuth client ID")
        self.secret = QLineEdit(self)
        self.secret.setEchoMode(QLineEdit.EchoMode.Password)
        self.secret.setAccessibleName("Client secret")
        self.secret.setPlaceholderText("Client secret")
        self.show_secret = QToolButton(self)
        self.show_secret.setText("Show")
        self.show_secret.setCheckable(True)
        self.show_secret.setAccessibleName("Show the secret")
        self.remember = QCheckBox("&Remember on this computer", self)
        self.remember.setToolTip("Keeps the secret in this computer's keychain, never in a file.")
        self.forget_button = QPushButton("&Forget", self)
        self.forget_button.setAccessibleName("Forget the saved secret")

        self.sign_in_button = QPushButton("&Sign in", self)
        self.sign_in_button.setDefault(True)
        self.test_button = QPushButton("&Test connection", self)
        self.browser_button = QPushButton(BROWSER_BUTTON_TEXT, self)
        self._browser_task: asyncio.Task[None] | None = None
        self.demo_button = QPushButton("Try the &demo org", self)
        self.demo_button.setAccessibleName("Try the demo org")
        self.message = QLabel("", self)
        self.message.setWordWrap(True)
        self.message.setAccessibleName("Sign-in message")
        self.message.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)

        form = QFormLayout()
        form.addRow("Re&gion:", self.region)
        form.addRow(self.origin_label, self.origin)
        form.addRow("Client &ID:", self.client_id)
        secret_row = QHBoxLayout()
        secret_row.addWidget(self.secret, 1)
        secret_row.addWidget(self.show_secret)
        secret_label = QLabel("S&ecret:", self)
        secret_label.setBuddy(self.secret)
        form.addRow(secret_label, secret_row)
        remember_row = QHBoxLayout()
        remember_row.addWidget(self.remember, 1)
        remember_row.addWidget(self.forget_button)
        form.addRow("", remember_row)

        buttons = QHBoxLayout()
        buttons.addWidget(self.sign_in_button)
        buttons.addWidget(self.test_button)
        buttons.addStretch(1)
        other = QHBoxLayout()
        other.addWidget(self.browser_button)
        other.addWidget(self.demo_button)
        other.addStretch(1)

        header = QHBoxLayout()
        header.addWidget(self.icon)
        header.addWidget(title, 1)
        column = QVBoxLayout()
        column.addStretch(1)
        column.addLayout(header)
        column.addWidget(intro)
        column.addSpacing(8)
        column.addLayout(form)
        column.addLayout(buttons)
        column.addSpacing(12)
        column.addWidget(QLabel("<b>Or</b>", self))
        column.addLayout(other)
        column.addSpacing(8)
        column.addWidget(self.message)
        column.addStretch(2)
        panel = QWidget(self)
        panel.setLayout(column)
        panel.setMaximumWidth(640)
        outer = QHBoxLayout(self)
        outer.addStretch(1)
        outer.addWidget(panel, 4)
        outer.addStretch(1)

        self.region.currentIndexChanged.connect(self._region_changed)
        self.client_id.editingFinished.connect(self._load_remembered)
        self.show_secret.toggled.connect(self._toggle_secret)
        self.forget_button.clicked.connect(self._forget)
        self.sign_in_button.clicked.connect(self.sign_in)
        self.secret.returnPressed.connect(self.sign_in)
        self.test_button.clicked.connect(self.test_connection)
        self.browser_button.clicked.connect(self._browser_clicked)
        self.demo_button.clicked.connect(self.sign_in_demo)
        # The region table imports the engine (httpx), and a remembered secret is read from the
        # keychain. Both wait until the window has been painted once.
        QTimer.singleShot(DEFERRED_LOAD_MS, self.ensure_regions)

    # Fields --------------------------------------------------------------------------------

    def ensure_regions(self) -> None:
        """Fill the region list and restore the saved sign-in fields, once."""
        if self._regions_loaded:
            return
        self._regions_loaded = True
        from wrapup_desktop.genesys import REGIONS

        self.icon.setPixmap(app_icon().pixmap(48, 48))
        self._regions = list(REGIONS)
        labels = [f"{region.label} · {region.domain}" for region in self._regions]
        self.region.blockSignals(True)
        self.region.clear()
        self.region.addItems([*labels, CUSTOM_ORIGIN])
        self.region.blockSignals(False)
        completer = QCompleter([*labels, CUSTOM_ORIGIN], self.region)
        completer.setFilterMode(Qt.MatchFlag.MatchContains)
        completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        self.region.setCompleter(completer)
        self._restore()

    def _restore(self) -> None:
        saved = self._settings.region
        index = 0
        for position, region in enumerate(self._regions):
            if region.name == saved:
                index = position
        if saved.startswith(("http://", "https://")):
            index = len(self._regions)
            self.origin.setText(saved)
        self.region.setCurrentIndex(index)
        self._region_changed(index)
        self.client_id.setText(self._settings.client_id)
        self.remember.setChecked(self._settings.remember)
        self._load_remembered()

    def region_key(self) -> str:
        """Return the saved form of the chosen region: its SDK name, or the custom origin."""
        self.ensure_regions()
        index = self.region.currentIndex()
        if 0 <= index < len(self._regions):
            return self._regions[index].name
        return self.origin.text().strip()

    def endpoints(self) -> Endpoints:
        """Return the login and API hosts of the chosen region; raises InputError."""
        from wrapup_desktop.genesys import resolve_endpoints

        self.ensure_regions()
        index = self.region.currentIndex()
        if 0 <= index < len(self._regions) and self.region.currentText() == self.region.itemText(
            index
        ):
            return resolve_endpoints(self._regions[index].domain)
        if index == len(self._regions):
            return resolve_endpoints(self.origin.text())
        # Text typed or pasted into the region box, such as a web-app URL.
        return resolve_endpoints(self.region.currentText())

    def _credentials(self) -> tuple[Endpoints, str, str]:
        endpoints = self.endpoints()
        client_id = self.client_id.text().strip()
        secret = self.secret.text()
        if not client_id:
            raise InputError("The client ID is empty. Paste the ID of the OAuth client.")
        if not secret:
            raise InputError(
                "The client secret is empty. Paste the secret shown when the OAuth client was "
                "created in Genesys Cloud (Admin › Integrations › OAuth)."
            )
        _register_secret(secret)
        return endpoints, client_id, secret

    def show_message(self, text: str, *, error: bool = False) -> None:
        if error:
            logger.warning("Sign-in page shows: %s", text)
        self.message.setStyleSheet(error_stylesheet() if error else "")
        self.message.setText(text)

    def _set_busy(self, busy: bool, text: str = "") -> None:
        for button in (
            self.sign_in_button,
            self.test_button,
            self.browser_button,
            self.demo_button,
        ):
            button.setEnabled(not busy)
        if text:
            self.show_message(text)

    # Slots ---------------------------------------------------------------------------------

    def _region_changed(self, index: int) -> None:
        if not self._regions_loaded:
            return
        custom = index == len(self._regions)
        self.origin.setVisible(custom)
        self.origin_label.setVisible(custom)
        self._load_remembered()

    def _toggle_secret(self, shown: bool) -> None:
        mode = QLineEdit.EchoMode.Normal if shown else QLineEdit.EchoMode.Password
        self.secret.setEchoMode(mode)
        self.show_secret.setText("Hide" if shown else "Show")

    def _load_remembered(self) -> None:
        if self.secret.text():
            return
        try:
            origin = self.endpoints().login_base
        except InputError:
            return
        secret = self._store.load(origin, self.client_id.text().strip())
        if secret:
            _register_secret(secret)
            self.secret.setText(secret)
            self.remember.setChecked(True)
            self.show_message("Using the secret saved in this computer's keychain.")

    def _forget(self) -> None:
        try:
            origin = self.endpoints().login_base
        except InputError as exc:
            self.show_message(exc.message, error=True)
            return
        outcome = self._store.forget(origin, self.client_id.text().strip())
        self.remember.setChecked(False)
        self._settings.remember = False
        self.show_message(outcome.message, error=not outcome.ok)

    def _remember_choice(
        self, endpoints: Endpoints, client_id: str, secret: str
    ) -> StoreOutcome | None:
        self._settings.region = self.region_key()
        self._settings.client_id = client_id
        self._settings.remember = self.remember.isChecked()
        if not self.remember.isChecked():
            return None
        return self._store.save(endpoints.login_base, client_id, secret)

    def clear_message(self) -> None:
        """Remove the last sentence, such as after signing out."""
        self.show_message("")

    @async_slot()
    async def sign_in(self) -> None:
        try:
            endpoints, client_id, secret = self._credentials()
            self._set_busy(True, f"Signing in to {endpoints.display_name}…")
            org = await self._controller.sign_in_client(endpoints, client_id, secret)
        except WrapUpError as exc:
            self.show_message(exc.message, error=True)
            return
        finally:
            self._set_busy(False)
        outcome = self._remember_choice(endpoints, client_id, secret)
        stored = outcome.message if outcome is not None else ""
        self.show_message(f"Signed in to {org}. {stored}".strip())
        self.signedIn.emit(org)
        if outcome is not None and not outcome.ok:
            # The window shows the work page now, so this page's message would go unseen.
            self.notice.emit(outcome.message)

    @async_slot()
    async def test_connection(self) -> None:
        try:
            endpoints, client_id, secret = self._credentials()
            self._set_busy(True, f"Testing the connection to {endpoints.display_name}…")
            org = await self._controller.test_connection(endpoints, client_id, secret)
        except WrapUpError as exc:
            self.show_message(exc.message, error=True)
            return
        finally:
            self._set_busy(False)
        self.show_message(f"Signed in to {org}. The connection works.")

    def _browser_clicked(self) -> None:
        """Start a browser sign-in, or cancel the one waiting for the browser."""
        task = self._browser_task
        if task is not None and not task.done():
            task.cancel()
            return
        self._browser_task = self.sign_in_browser()

    @async_slot()
    async def sign_in_browser(self) -> None:
        import asyncio

        try:
            endpoints = self.endpoints()
            client_id = self.client_id.text().strip()
            if not client_id:
                raise InputError(
                    "The client ID is empty. A user sign-in needs the ID of an OAuth client "
                    "of type Code Authorization with PKCE whose redirect URI is "
                    "http://127.0.0.1."
                )
            self._set_busy(True, "Finish signing in in your browser; this window waits.")
            # The same button cancels the wait, for a browser tab closed without signing in.
            self.browser_button.setText("&Cancel the browser sign-in")
            self.browser_button.setEnabled(True)
            org = await self._controller.sign_in_browser(endpoints, client_id)
        except WrapUpError as exc:
            self.show_message(exc.message, error=True)
            return
        except asyncio.CancelledError:
            self.show_message("The browser sign-in was cancelled.")
            return
        finally:
            self.browser_button.setText(BROWSER_BUTTON_TEXT)
            self._set_busy(False)
        self._settings.region = self.region_key()
        self._settings.client_id = client_id
        self.show_message(f"Signed in to {org}.")
        self.signedIn.emit(org)

    @async_slot()
    async def sign_in_demo(self) -> None:
        try:
            self._set_busy(True, "Opening the demo org…")
            org = await self._controller.sign_in_demo()
        except WrapUpError as exc:
            self.show_message(exc.message, error=True)
            return
        finally:
            self._set_busy(False)
        self.show_message(f"Signed in to {org}.")
        self.signedIn.emit(org)
