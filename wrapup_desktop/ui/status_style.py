"""The look of each wrap-up status: its label, explanation, marker and colours.

Every view that shows a status (the results table, the chips, the charts, the detail dialog) takes
it from here, so a status reads and looks the same everywhere. The colours come from the
Okabe–Ito palette, which stays distinguishable with the common forms of colour blindness. Each
status also has a text marker, so no view relies on colour alone. Light and dark variants follow
the application palette, which Qt takes from the system's light or dark setting.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass

from PySide6.QtGui import QColor, QGuiApplication, QPalette

from wrapup_desktop.domain.rows import WrapupStatus


@dataclass(frozen=True)
class StatusStyle:
    """Label, explanation, marker and base colours of one status."""

    status: WrapupStatus
    label: str
    explanation: str
    marker: str
    """A short glyph shown before the label, so the status reads without colour."""
    light: str
    """Solid colour on a light palette, as `#rrggbb`."""
    dark: str
    """Solid colour on a dark palette."""


_STYLES: tuple[StatusStyle, ...] = (
    StatusStyle(
        WrapupStatus.MISSING,
        "Missing",
        "The agent finished the leg without a code although the queue requires one "
        "(or its setting is unknown).",
        "✗",
        "#D55E00",
        "#FF7A33",
    ),
    StatusStyle(
        WrapupStatus.TIMEOUT,
        "Timed out",
        "Genesys wrote ININ-WRAP-UP-TIMEOUT: after-call work ran out before the agent chose.",
        "◷",
        "#E69F00",
        "#F2B53A",
    ),
    StatusStyle(
        WrapupStatus.SKIPPED,
        "Skipped",
        "Genesys wrote ININ-WRAP-UP-SKIPPED: the agent skipped after-call work.",
        "»",
        "#CC79A7",
        "#E39CC4",
    ),
    StatusStyle(
        WrapupStatus.SYSTEM,
        "System code",
        "The platform wrote an ININ- code, such as a dialer outcome; no agent chose it.",
        "⚙",
        "#0072B2",
        "#4FA3DB",
    ),
    StatusStyle(
        WrapupStatus.PENDING,
        "Pending",
        "The agent is still connected or in after-call work; export again later.",
        "…",
        "#B8A600",
        "#F0E442",
    ),
    StatusStyle(
        WrapupStatus.MALFORMED,
        "Malformed",
        "The conversation data had an unexpected shape; the reason names the field.",
        "⚠",
        "#444444",
        "#D0D0D0",
    ),
    StatusStyle(
        WrapupStatus.ASSIGNED,
        "Assigned",
        "The agent chose a wrap-up code.",
        "✓",
        "#009E73",
        "#2BC59A",
    ),
    StatusStyle(
        WrapupStatus.NOT_REQUIRED,
        "Not required",
        "No code, and the queue did not require one (optional prompt, or no queue).",
        "–",
        "#56B4E9",
        "#7CC8F2",
    ),
    StatusStyle(
        WrapupStatus.NOT_CONNECTED,
        "Not connected",
        "The agent was alerted but never connected, so there was nothing to wrap up.",
        "○",
        "#8C8C8C",
        "#A6A6A6",
    ),
    StatusStyle(
        WrapupStatus.NO_AGENT,
        "No agent",
        "No agent took part (IVR only, or abandoned in queue); not counted in compliance.",
        "∅",
        "#B3B3B3",
        "#6E6E6E",
    ),
)

STATUS_ORDER: tuple[WrapupStatus, ...] = tuple(style.status for style in _STYLES)
"""Statuses in display and sort order: problems first, then the fine and the irrelevant."""

_BY_STATUS: dict[WrapupStatus, StatusStyle] = {style.status: style for style in _STYLES}
assert len(_BY_STATUS) == len(WrapupStatus), "every WrapupStatus needs a style"


def style_of(status: WrapupStatus) -> StatusStyle:
    return _BY_STATUS[status]


def label(status: WrapupStatus) -> str:
    """Return the human label, such as "Timed out"."""
    return _BY_STATUS[status].label


def explanation(status: WrapupStatus) -> str:
    """Return the one-line explanation used in tooltips."""
    return _BY_STATUS[status].explanation


def marker(status: WrapupStatus) -> str:
    return _BY_STATUS[status].marker


def marked_label(status: WrapupStatus) -> str:
    """Return the marker and the label, such as "✗ Missing"."""
    style = _BY_STATUS[status]
    return f"{style.marker} {style.label}"


def is_dark_palette(palette: QPalette | None = None) -> bool:
    """Tell whether the palette (by default the application's) has light text on a dark base."""
    if palette is None:
        palette = QGuiApplication.palette()
    window = palette.color(QPalette.ColorRole.Window)
    text = palette.color(QPalette.ColorRole.WindowText)
    return window.lightness() < text.lightness()


def solid_color(status: WrapupStatus, dark: bool | None = None) -> QColor:
    """Return the full-strength colour, for chart bars, chip swatches and timeline badges."""
    if dark is None:
        dark = is_dark_palette()
    return QColor(_solid_hex(status, dark))


def cell_background(status: WrapupStatus, dark: bool | None = None) -> QColor:
    """Return a tint of the status colour that keeps the palette's text readable on it."""
    if dark is None:
        dark = is_dark_palette()
    return QColor(_tint_hex(status, dark))


def text_on(color: QColor) -> QColor:
    """Return black or white, whichever contrasts more with `color`."""
    luminance = 0.2126 * color.redF() + 0.7152 * color.greenF() + 0.0722 * color.blueF()
    return QColor("#000000") if luminance > 0.45 else QColor("#FFFFFF")


@functools.cache
def _solid_hex(status: WrapupStatus, dark: bool) -> str:
    style = _BY_STATUS[status]
    return style.dark if dark else style.light


@functools.cache
def _tint_hex(status: WrapupStatus, dark: bool) -> str:
    # Light palettes mix 30 % of the colour into white; dark ones 40 % into a near-black base.
    color = QColor(_solid_hex(status, dark))
    base = QColor("#202124") if dark else QColor("#FFFFFF")
    share = 0.40 if dark else 0.30
    mixed = QColor(
        round(color.red() * share + base.red() * (1 - share)),
        round(color.green() * share + base.green() * (1 - share)),
        round(color.blue() * share + base.blue() * (1 - share)),
    )
    return str(mixed.name())
