"""The range view: presets, inline validation with its reason, time zones and filters."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
import shiboken6
from PySide6.QtCore import QDate, Qt

from tests.ui.conftest import FIXED_NOW, ZONE
from wrapup_desktop.domain.directory import Directory, QueueInfo
from wrapup_desktop.ui.range_view import RangeView, range_zone_label


@pytest.fixture
def view(qtbot: Any) -> RangeView:
    range_view = RangeView(clock=lambda: FIXED_NOW, zone=ZONE)
    qtbot.addWidget(range_view)
    range_view.show()
    return range_view


def _set_dates(view: RangeView, start: date, end: date) -> None:
    view.start_edit.setDate(QDate(start.year, start.month, start.day))
    view.end_edit.setDate(QDate(end.year, end.month, end.day))


def test_range_default_is_yesterday(view: RangeView) -> None:
    assert view.preset.currentText() == "Yesterday"
    assert view.days() == (date(2026, 12, 2), date(2026, 12, 2))
    assert view.get_button.isEnabled()
    assert view.error_label.isHidden()


@pytest.mark.parametrize(
    ("preset", "expected"),
    [
        pytest.param("Today", (date(2026, 12, 3), date(2026, 12, 3)), id="today"),
        pytest.param("Last 7 days", (date(2026, 11, 27), date(2026, 12, 3)), id="last-7"),
        pytest.param("This month", (date(2026, 12, 1), date(2026, 12, 3)), id="this-month"),
        pytest.param("Last month", (date(2026, 11, 1), date(2026, 11, 30)), id="last-month"),
    ],
)
def test_range_presets_set_days(view: RangeView, preset: str, expected: tuple[date, date]) -> None:
    view.preset.setCurrentText(preset)
    assert view.days() == expected


def test_range_end_before_start(view: RangeView) -> None:
    _set_dates(view, date(2026, 11, 20), date(2026, 11, 10))
    assert view.error_label.isVisible()
    assert "before the start date 2026-11-20" in view.error_label.text()
    assert not view.get_button.isEnabled()
    assert view.preset.currentText() == "Custom"


def test_range_future_day_rejected(view: RangeView) -> None:
    _set_dates(view, date(2026, 12, 1), date(2026, 12, 5))
    assert "2026-12-05 is in the future in Europe/Dublin" in view.error_label.text()
    assert not view.get_button.isEnabled()


def test_range_over_limit_rejected(view: RangeView) -> None:
    _set_dates(view, date(2025, 1, 1), date(2026, 12, 1))
    assert "over the limit of 366" in view.error_label.text()
    assert not view.get_button.isEnabled()


def test_range_fix_clears_message(view: RangeView) -> None:
    _set_dates(view, date(2026, 11, 20), date(2026, 11, 10))
    _set_dates(view, date(2026, 11, 10), date(2026, 11, 20))
    assert view.error_label.isHidden()
    assert view.get_button.isEnabled()


def test_range_unknown_zone_rejected(view: RangeView, qtbot: Any) -> None:
    view.zone_combo.lineEdit().clear()
    qtbot.keyClicks(view.zone_combo.lineEdit(), "Mars/Olympus")
    assert "'Mars/Olympus' is not a time zone" in view.error_label.text()
    assert not view.get_button.isEnabled()


def test_range_zone_hint_shows_offset(view: RangeView) -> None:
    view.set_zone("Asia/Kolkata")
    assert view.zone_hint.text() == "Asia/Kolkata, UTC+05:30"


def test_range_filters_reach_report(view: RangeView, qtbot: Any) -> None:
    directory = Directory(
        queues={"q-1": QueueInfo("Billing"), "q-2": QueueInfo("Sales")},
        users={"u-1": "Ada Lovelace"},
    )
    view.set_directory(directory)
    assert [view.queues.list.item(i).text() for i in range(2)] == ["Billing", "Sales"]
    view.queues.list.item(1).setCheckState(Qt.CheckState.Checked)
    view.media.set_checked(["chat"])
    view.agents.list.item(0).setCheckState(Qt.CheckState.Checked)

    with qtbot.waitSignal(view.runRequested) as signal:
        qtbot.mouseClick(view.get_button, Qt.MouseButton.LeftButton)
    report = signal.args[0]
    assert report.queue_ids == ("q-2",)
    assert report.media_types == ("chat",)
    assert report.user_ids == ("u-1",)
    assert report.tz.key == ZONE
    assert (report.start_date, report.end_date) == (date(2026, 12, 2), date(2026, 12, 2))


def test_range_filter_box_hides_items(view: RangeView, qtbot: Any) -> None:
    view.set_directory(Directory(queues={"q-1": QueueInfo("Billing"), "q-2": QueueInfo("Sales")}))
    qtbot.keyClicks(view.queues.search, "sal")
    assert view.queues.list.item(0).isHidden()
    assert not view.queues.list.item(1).isHidden()


def test_range_invalid_click_emits_nothing(view: RangeView, qtbot: Any) -> None:
    _set_dates(view, date(2026, 11, 20), date(2026, 11, 10))
    with qtbot.assertNotEmitted(view.runRequested):
        view.get_button.click()


def test_get_button_outside_scroll_area(qtbot: Any) -> None:
    view = RangeView(clock=lambda: FIXED_NOW, zone=ZONE)
    qtbot.addWidget(view)
    view.resize(260, 300)
    view.show()
    qtbot.waitExposed(view)
    assert not view.fields_scroll.isAncestorOf(view.get_button)
    assert view.get_button.isVisible()
    bottom = view.get_button.geometry().bottom()
    assert bottom < view.height()
    assert view.fields_scroll.geometry().bottom() < view.get_button.geometry().top()


def test_zone_label_across_dst() -> None:
    label = range_zone_label("Europe/Berlin", date(2026, 10, 20), date(2026, 10, 31))
    assert label == "Europe/Berlin, UTC+02:00 until 25 Oct, then UTC+01:00"


def test_zone_label_without_change() -> None:
    assert range_zone_label("Europe/Berlin", date(2026, 10, 1), date(2026, 10, 2)) == (
        "Europe/Berlin, UTC+02:00"
    )
    assert range_zone_label("America/St_Johns", date(2026, 12, 1), date(2026, 12, 1)) == (
        "America/St_Johns, UTC-03:30"
    )


def test_zone_hint_follows_days(view: RangeView) -> None:
    view.set_zone("Europe/Berlin")
    view.set_days(date(2026, 10, 1), date(2026, 10, 2))
    assert view.zone_hint.text().startswith("Europe/Berlin, UTC+02:00")
    view.set_days(date(2026, 10, 24), date(2026, 10, 26))
    assert "UTC+02:00 until 25 Oct, then UTC+01:00" in view.zone_hint.text()


def test_validate_after_widgets_deleted(qtbot: Any) -> None:
    view = RangeView(clock=lambda: FIXED_NOW, zone=ZONE)
    qtbot.addWidget(view)
    shiboken6.delete(view.zone_combo)
    assert view.validate() == ""
    view.set_busy(False)
