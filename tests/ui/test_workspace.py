"""The work page's layout in small and large windows."""

from __future__ import annotations

from PySide6.QtWidgets import QVBoxLayout, QWidget
from pytestqt.qtbot import QtBot

from tests.ui.conftest import FIXED_NOW, ZONE
from wrapup_desktop.ui.controller import Controller
from wrapup_desktop.ui.workspace import LEFT_MIN_WIDTH, LEFT_WIDTH, Workspace


def _workspace(qtbot: QtBot, width: int, height: int) -> tuple[QWidget, Workspace]:
    # The caller keeps the host: qtbot holds widgets only weakly.
    host = QWidget()
    qtbot.addWidget(host)
    controller = Controller(clock=lambda: FIXED_NOW, parent=host)
    work = Workspace(controller, ZONE, host)
    layout = QVBoxLayout(host)
    layout.setContentsMargins(0, 0, 0, 0)
    layout.addWidget(work)
    host.resize(width, height)
    host.show()
    qtbot.waitExposed(host)
    return host, work


def test_small_window_narrows_range(qtbot: QtBot) -> None:
    _host, work = _workspace(qtbot, 640, 420)
    assert work.sizes()[0] == LEFT_MIN_WIDTH
    button = work.range_view.get_button
    assert button.isVisible()
    assert button.mapTo(work, button.rect().bottomLeft()).y() < work.height()


def test_large_window_keeps_range_width(qtbot: QtBot) -> None:
    _host, work = _workspace(qtbot, 1280, 800)
    assert work.sizes()[0] == LEFT_WIDTH
    assert work.range_view.get_button.isVisible()
