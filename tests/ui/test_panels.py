"""The window's helpers around the results view: the saved column layout."""

from __future__ import annotations

from pytestqt.qtbot import QtBot

from wrapup_desktop.ui import panels
from wrapup_desktop.ui.results_model import COLUMNS
from wrapup_desktop.ui.results_view import ResultsView


def test_column_layout_round_trips(qtbot: QtBot) -> None:
    view = ResultsView()
    qtbot.addWidget(view)
    queue = COLUMNS.index("queue_name")
    view.table.horizontalHeader().setSectionHidden(queue, True)
    state = panels.column_state(view)
    assert state is not None
    other = ResultsView()
    qtbot.addWidget(other)
    panels.restore_columns(other, state)
    assert other.table.horizontalHeader().isSectionHidden(queue)


def test_old_column_layout_ignored(qtbot: QtBot) -> None:
    old = ResultsView()
    qtbot.addWidget(old)
    conversation = COLUMNS.index("conversation_id")
    old.table.horizontalHeader().setSectionHidden(conversation, False)
    view = ResultsView()
    qtbot.addWidget(view)
    panels.restore_columns(view, old.column_state())
    assert view.table.horizontalHeader().isSectionHidden(conversation)
