"""Settings that persist between runs, kept with QSettings.

Stored: the region, the client id, the report time zone, the results columns, the window
geometry, recent exports and the "remember" choice. The client secret is never stored here; it
lives only in the keychain (see `credentials_store.py`).
"""

from __future__ import annotations

from PySide6.QtCore import QByteArray, QSettings

ORGANIZATION = "WrapUp Desktop"
APPLICATION = "WrapUp Desktop"
MAX_RECENT_FILES = 8


class AppSettings:
    """Typed access to the QSettings of the application."""

    def __init__(self, settings: QSettings | None = None) -> None:
        self._settings = settings or QSettings(ORGANIZATION, APPLICATION)

    @property
    def qsettings(self) -> QSettings:
        return self._settings

    def _text(self, key: str, default: str = "") -> str:
        value = self._settings.value(key, default)
        return value if isinstance(value, str) else default

    def _bytes(self, key: str) -> bytes | None:
        value = self._settings.value(key)
        if isinstance(value, QByteArray):
            return bytes(value.data())
        if isinstance(value, bytes | bytearray):
            return bytes(value)
        return None

    @property
    def region(self) -> str:
        return self._text("signin/region")

    @region.setter
    def region(self, value: str) -> None:
        self._settings.setValue("signin/region", value)

    @property
    def client_id(self) -> str:
        return self._text("signin/client_id")

    @client_id.setter
    def client_id(self, value: str) -> None:
        self._settings.setValue("signin/client_id", value)

    @property
    def remember(self) -> bool:
        return self._text("signin/remember", "false") == "true"

    @remember.setter
    def remember(self, value: bool) -> None:
        self._settings.setValue("signin/remember", "true" if value else "false")

    @property
    def time_zone(self) -> str:
        return self._text("range/time_zone")

    @time_zone.setter
    def time_zone(self, value: str) -> None:
        self._settings.setValue("range/time_zone", value)

    @property
    def window_geometry(self) -> bytes | None:
        return self._bytes("window/geometry")

    @window_geometry.setter
    def window_geometry(self, value: bytes) -> None:
        self._settings.setValue("window/geometry", QByteArray(value))

    @property
    def column_state(self) -> bytes | None:
        return self._bytes("results/columns")

    @column_state.setter
    def column_state(self, value: bytes) -> None:
        self._settings.setValue("results/columns", QByteArray(value))

    @property
    def recent_files(self) -> list[str]:
        value = self._settings.value("files/recent", [])
        if isinstance(value, str):
            return [value] if value else []
        if isinstance(value, list):
            return [item for item in value if isinstance(item, str)]
        return []

    def add_recent_file(self, path: str) -> list[str]:
        """Put a path at the top of the recent list, without duplicates, and return the list."""
        recent = [path, *(item for item in self.recent_files if item != path)]
        recent = recent[:MAX_RECENT_FILES]
        self._settings.setValue("files/recent", recent)
        return recent

    def clear_recent_files(self) -> None:
        self._settings.setValue("files/recent", [])

    def sync(self) -> None:
        self._settings.sync()
