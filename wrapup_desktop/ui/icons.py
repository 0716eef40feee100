"""The application icon and the Qt standard icons that the views use.

The SVG icon scales to any device pixel ratio. It ships in the wheel as
`wrapup_desktop/_resources/wrapup-desktop.svg` and sits in `resources/` of a source checkout.
"""

from __future__ import annotations

import functools
from pathlib import Path

from PySide6.QtGui import QIcon
from PySide6.QtWidgets import QApplication, QStyle

_PACKAGE_DIR = Path(__file__).resolve().parent.parent
_ICON_CANDIDATES = (
    _PACKAGE_DIR / "_resources" / "wrapup-desktop.svg",
    _PACKAGE_DIR.parent / "resources" / "wrapup-desktop.svg",
)


def app_icon_path() -> Path | None:
    """Return the path of the SVG application icon, or None when it is not installed."""
    for candidate in _ICON_CANDIDATES:
        if candidate.is_file():
            return candidate
    return None


@functools.cache
def app_icon() -> QIcon:
    """Return the application icon; an empty icon when the SVG file is missing."""
    path = app_icon_path()
    return QIcon(str(path)) if path is not None else QIcon()


def standard_icon(pixmap: QStyle.StandardPixmap) -> QIcon:
    """Return one of the current style's standard icons, which follow the light or dark theme."""
    style = QApplication.style()
    return style.standardIcon(pixmap)


SP = QStyle.StandardPixmap
