"""Colours that follow the system's light or dark palette."""

from __future__ import annotations

from PySide6.QtGui import QPalette
from PySide6.QtWidgets import QApplication


def is_dark() -> bool:
    """Tell whether the current palette has light text on a dark window."""
    palette = QApplication.palette()
    return palette.color(QPalette.ColorRole.Window).lightness() < 128


def error_stylesheet() -> str:
    """Return a style sheet for inline error text, readable on light and dark windows."""
    colour = "#ff8a80" if is_dark() else "#b71c1c"
    return f"color: {colour};"


def banner_stylesheet() -> str:
    """Return a style sheet for the amber banner of a partial run."""
    if is_dark():
        return "background: #4e3b00; color: #ffe082; border-radius: 4px; padding: 6px;"
    return "background: #fff3cd; color: #5f4600; border-radius: 4px; padding: 6px;"
