"""The results view: search, status chips, column chooser, copy and activation."""

from __future__ import annotations

from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from PySide6.QtCore import QItemSelectionModel, Qt
from PySide6.QtGui import QColor, QGuiApplication, QPalette
from pytestqt.qtbot import QtBot

from tests.ui.leg_factory import AGENTS, QUEUES, leg, make_legs
from wrapup_desktop.domain.rows import WrapupStatus
from wrapup_desktop.ui import status_style
from wrapup_desktop.ui.results_model import COLUMNS, ResultsModel
from wrapup_desktop.ui.results_view import ResultsView


@pytest.fixture
def view(qtbot: QtBot) -> ResultsView:
    widget = ResultsView(ResultsModel(tz=ZoneInfo("Europe/Berlin")))
    qtbot.addWidget(widget)
    widget.resize(1280, 700)
    widget.set_rows(
        [
            leg("c-1", WrapupStatus.MISSING, agent=AGENTS[0]),
            leg("c-2", WrapupStatus.ASSIGNED, agent=AGENTS[1]),
            leg("c-3", WrapupStatus.ASSIGNED, agent=AGENTS[0], queue=QUEUES[1]),
            leg("c-4", WrapupStatus.TIMEOUT, agent=AGENTS[2]),
        ]
    )
    widget.show()
    return widget


def select_rows(view: ResultsView, rows: list[int]) -> None:
    selection = view.table.selectionModel()
    selection.setCurrentIndex(
        view.model.index(rows[0], 0), QItemSelectionModel.SelectionFlag.NoUpdate
    )
    flags = QItemSelectionModel.SelectionFlag.Select | QItemSelectionModel.SelectionFlag.Rows
    for row in rows:
        selection.select(view.model.index(row, 0), flags)


def test_search_filters_and_turns_green(qtbot: QtBot, view: ResultsView) -> None:
    qtbot.keyClicks(view.search, "ana")
    qtbot.waitUntil(lambda: view.model.rowCount() == 2)
    assert view.search.property("matchState") == "match"
    assert "background" in view.search.styleSheet()
    assert view.count_label.text() == "2 of 4 legs shown"


def test_search_without_match_turns_red(qtbot: QtBot, view: ResultsView) -> None:
    view.search_delay_ms = 0
    qtbot.keyClicks(view.search, "no such agent")
    assert view.model.rowCount() == 0
    assert view.search.property("matchState") == "nomatch"
    assert view.search.accessibleDescription() == "No rows match"
    assert view.count_label.text() == "No rows match (4 legs loaded)"
    view.search.clear()
    assert view.search.property("matchState") == ""
    assert view.model.rowCount() == 4


def test_chips_show_counts_and_filter(view: ResultsView) -> None:
    missing = view._chips[WrapupStatus.MISSING]
    assigned = view._chips[WrapupStatus.ASSIGNED]
    assert missing.text() == "✗ Missing  1"
    assert assigned.text() == "✓ Assigned  2"
    assert not view._chips[WrapupStatus.SKIPPED].isVisibleTo(view)
    missing.click()
    assert view.model.rowCount() == 1
    assigned.click()
    assert view.model.rowCount() == 3
    missing.click()
    assigned.click()
    assert view.model.rowCount() == 4


def test_chip_counts_follow_appended_rows(view: ResultsView) -> None:
    view.append_rows([leg("c-5", WrapupStatus.MISSING), leg("c-6", WrapupStatus.SKIPPED)])
    assert view._chips[WrapupStatus.MISSING].text() == "✗ Missing  2"
    assert view._chips[WrapupStatus.SKIPPED].isVisibleTo(view)
    assert view.count_label.text() == "6 of 6 legs shown"


def test_column_chooser_hides_and_shows(view: ResultsView) -> None:
    header = view.table.horizontalHeader()
    queue = COLUMNS.index("queue_name")
    note = COLUMNS.index("wrapup_note")
    actions = view.columns_menu.actions()
    assert header.isSectionHidden(note)
    assert not actions[note].isChecked()
    actions[queue].trigger()
    assert header.isSectionHidden(queue)
    actions[note].trigger()
    assert not header.isSectionHidden(note)


def test_column_state_round_trips(qtbot: QtBot, view: ResultsView) -> None:
    queue = COLUMNS.index("queue_name")
    view.columns_menu.actions()[queue].trigger()
    state = view.column_state()
    other = ResultsView()
    qtbot.addWidget(other)
    assert not other.table.horizontalHeader().isSectionHidden(queue)
    assert other.restore_column_state(state)
    assert other.table.horizontalHeader().isSectionHidden(queue)
    assert not other.columns_menu.actions()[queue].isChecked()


def test_ctrl_c_copies_rows_as_tsv(qtbot: QtBot, view: ResultsView) -> None:
    select_rows(view, [0, 3])
    view.table.setFocus()
    qtbot.keyClick(view.table, Qt.Key.Key_C, Qt.KeyboardModifier.ControlModifier)
    lines = QGuiApplication.clipboard().text().splitlines()
    header = lines[0].split("\t")
    # Columns come in the order shown, and hidden ones are left out.
    assert header[:4] == ["conversation_start", "agent_name", "queue_name", "wrapup_status"]
    assert "wrapup_note" not in header
    assert len(lines) == 3
    first = dict(zip(header, lines[1].split("\t"), strict=True))
    assert first["conversation_id"] == "c-1"
    assert first["wrapup_status"] == "Missing"
    assert first["conversation_start"] == "2026-11-02 08:00:00+01:00"
    last = dict(zip(header, lines[2].split("\t"), strict=True))
    assert last["conversation_id"] == "c-4"


def test_double_click_emits_conversation(qtbot: QtBot, view: ResultsView) -> None:
    rect = view.table.visualRect(view.model.index(1, COLUMNS.index("agent_name")))
    viewport = view.table.viewport()
    # A real double-click starts with a press; the view ignores a lone double-click event.
    qtbot.mouseClick(viewport, Qt.MouseButton.LeftButton, pos=rect.center())
    with qtbot.waitSignal(view.conversationActivated) as blocker:
        qtbot.mouseDClick(viewport, Qt.MouseButton.LeftButton, pos=rect.center())
    assert blocker.args == ["c-2"]


def test_enter_emits_conversation(qtbot: QtBot, view: ResultsView) -> None:
    view.table.setCurrentIndex(view.model.index(2, 0))
    view.table.setFocus()
    with qtbot.waitSignal(view.conversationActivated) as blocker:
        qtbot.keyClick(view.table, Qt.Key.Key_Return)
    assert blocker.args == ["c-3"]


def test_apply_filter_from_chart(view: ResultsView) -> None:
    view.search.setText("something")
    view.apply_filter("queue", "q-sales", WrapupStatus.ASSIGNED)
    assert view.model.rowCount() == 1
    assert view.search.text() == ""
    assert view._chips[WrapupStatus.ASSIGNED].isChecked()
    assert view.dimension_chip.text().startswith("Queue: Sales")
    view.dimension_chip.click()
    assert view.model.rowCount() == 2
    view.clear_filters()
    assert view.model.rowCount() == 4
    assert not view._chips[WrapupStatus.ASSIGNED].isChecked()


def test_selection_signal_and_rows(qtbot: QtBot, view: ResultsView) -> None:
    with qtbot.waitSignal(view.selectionChanged):
        select_rows(view, [2])
    assert [row.conversation_id for row in view.selected_rows()] == ["c-3"]
    assert view.current_conversation_id() == "c-3"


def test_screenshot_of_busy_view(qtbot: QtBot, tmp_path: Path) -> None:
    widget = ResultsView(ResultsModel(tz=ZoneInfo("Europe/Berlin")))
    qtbot.addWidget(widget)
    widget.resize(1280, 700)
    widget.set_rows(make_legs(3_000))
    widget.show()
    image = widget.grab().toImage()
    assert image.width() == 1280
    assert widget.count_label.text() == "3,000 of 3,000 legs shown"
    assert widget.grab().save(str(tmp_path / "results.png"))


def test_escape_clears_search(qtbot: QtBot, view: ResultsView) -> None:
    view.search_delay_ms = 0
    qtbot.keyClicks(view.search, "ana")
    assert view.model.rowCount() == 2
    qtbot.keyClick(view.search, Qt.Key.Key_Escape)
    assert view.search.text() == ""
    assert view.model.rowCount() == 4


def test_dark_palette_recolours_chips(view: ResultsView) -> None:
    palette = QPalette()
    palette.setColor(QPalette.ColorRole.Window, QColor("#202124"))
    palette.setColor(QPalette.ColorRole.WindowText, QColor("#e8eaed"))
    view.setPalette(palette)
    icon = view._chips[WrapupStatus.MISSING].icon()
    color = icon.pixmap(12, 12).toImage().pixelColor(6, 6)
    assert color.name() == status_style.solid_color(WrapupStatus.MISSING, dark=True).name()


def test_empty_table_explains_filters(view: ResultsView) -> None:
    view.search_delay_ms = 0
    view._chips[WrapupStatus.TIMEOUT].click()
    view.search.setText("grace")
    assert view.model.rowCount() == 0
    assert view.empty_label.isVisibleTo(view)
    assert view.empty_label.text().startswith(
        "None of the 4 legs match the search “grace” and status Timed out."
    )
    view.clear_filters()
    assert not view.empty_label.isVisibleTo(view)


def test_restore_rejects_foreign_state(view: ResultsView) -> None:
    header = view.table.horizontalHeader()
    hidden = [header.isSectionHidden(column) for column in range(header.count())]
    assert not view.restore_column_state(b"not a header state")
    assert [header.isSectionHidden(column) for column in range(header.count())] == hidden


def test_context_menu_actions_use_current_row(qtbot: QtBot, view: ResultsView) -> None:
    view.table.setCurrentIndex(view.model.index(3, 0))
    menu = view.context_menu()
    texts = [action.text() for action in menu.actions()]
    assert texts == ["Copy", "Copy conversation ID", "Show timeline"]
    menu.actions()[1].trigger()
    assert QGuiApplication.clipboard().text() == "c-4"
    with qtbot.waitSignal(view.conversationActivated) as blocker:
        menu.actions()[2].trigger()
    assert blocker.args == ["c-4"]


def test_select_all_copies_every_shown_row(qtbot: QtBot) -> None:
    widget = ResultsView()
    qtbot.addWidget(widget)
    widget.set_rows(make_legs(3_000))
    widget.model.set_status_filter({WrapupStatus.MISSING})
    widget.table.selectAll()
    lines = widget.selection_as_tsv().splitlines()
    assert len(lines) == widget.model.rowCount() + 1
    assert all("\tMissing\t" in line for line in lines[1:])


def test_default_columns_hide_ids(view: ResultsView) -> None:
    header = view.table.horizontalHeader()
    for name in ("conversation_id", "participant_id", "agent_id", "queue_id"):
        assert header.isSectionHidden(COLUMNS.index(name)), name
    reason = COLUMNS.index("wrapup_reason")
    assert not header.isSectionHidden(reason)
    code = COLUMNS.index("wrapup_code_name")
    status = COLUMNS.index("wrapup_status")
    assert header.visualIndex(status) < header.visualIndex(code)
    assert header.visualIndex(code) == header.visualIndex(reason) - 1


def test_reason_fills_table_width(qtbot: QtBot, view: ResultsView) -> None:
    view.resize(1000, 500)
    view.show()
    qtbot.waitExposed(view)
    header = view.table.horizontalHeader()
    reason = COLUMNS.index("wrapup_reason")
    right_edge = header.sectionViewportPosition(reason) + header.sectionSize(reason)
    assert right_edge == view.table.viewport().width()
    header.resizeSection(reason, 200)
    view.resize(1100, 500)
    qtbot.waitUntil(lambda: view.table.viewport().width() > 900)
    assert header.sectionSize(reason) == 200
