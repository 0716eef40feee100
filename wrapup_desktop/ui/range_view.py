"""Range and filters: the days to report, their time zone, and queue, media and agent filters.

The view validates as the fields change and shows the reason under them; "Get conversations"
is enabled only for a valid range. It emits `runRequested(ReportRange)`.
"""

from __future__ import annotations

import functools
import logging
import zoneinfo
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import TYPE_CHECKING

import shiboken6
from PySide6.QtCore import QDate, QSize, Qt, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QCompleter,
    QDateEdit,
    QFormLayout,
    QGroupBox,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from wrapup_desktop.domain.directory import Directory
from wrapup_desktop.ui.theme import error_stylesheet

if TYPE_CHECKING:
    from collections.abc import Callable

    from wrapup_desktop.genesys import ReportRange

logger = logging.getLogger(__name__)

MAX_RANGE_DAYS = 366
"""Maximum number of days the window fetches at once; the engine cuts them into UTC days."""
MEDIA_TYPES = ("voice", "callback", "chat", "email", "message", "video", "cobrowse", "screenshare")
PRESETS = ("Today", "Yesterday", "Last 7 days", "This month", "Last month", "Custom")


def computer_zone_name() -> str:
    """Return the IANA name of this computer's time zone, or UTC when it is unknown."""
    try:
        import tzlocal

        name = tzlocal.get_localzone_name()
    except Exception:  # tzlocal raises several types on odd configurations
        name = None
    return name or "UTC"


@functools.cache
def zone_names() -> list[str]:
    """Return the IANA zone names, sorted; read from disk once, as the scan takes tens of ms."""
    return sorted(zoneinfo.available_timezones())


@functools.cache
def _zone_set() -> frozenset[str]:
    return frozenset(zone_names())


def is_zone(name: str) -> bool:
    return name in _zone_set()


def zone_label(name: str, moment: datetime) -> str:
    """Return "Europe/Dublin, UTC+01:00" for a zone at a moment."""
    offset = moment.astimezone(zoneinfo.ZoneInfo(name)).strftime("%z")
    return f"{name}, UTC{offset[:3]}:{offset[3:]}"


def range_zone_label(name: str, start: date, end: date) -> str:
    """Return the zone with the UTC offsets that apply from `start` to `end`, both included.

    A range across a daylight saving change names the day of the change, as in
    "Europe/Berlin, UTC+02:00 until 25 Oct, then UTC+01:00".
    """
    tz = zoneinfo.ZoneInfo(name)
    day = start
    offset = _offset_at(day, tz)
    parts = [_format_offset(offset)]
    while day <= end:
        following = day + timedelta(days=1)
        next_offset = _offset_at(following, tz)
        if next_offset != offset:
            parts[-1] += f" until {day.day} {day:%b}"
            parts.append(f"then {_format_offset(next_offset)}")
            offset = next_offset
        day = following
    return f"{name}, {', '.join(parts)}"


def _offset_at(day: date, tz: zoneinfo.ZoneInfo) -> timedelta:
    return datetime.combine(day, time(0), tz).utcoffset() or timedelta(0)


def _format_offset(offset: timedelta) -> str:
    minutes = int(offset.total_seconds()) // 60
    sign = "-" if minutes < 0 else "+"
    hours, minutes = divmod(abs(minutes), 60)
    return f"UTC{sign}{hours:02d}:{minutes:02d}"


def preset_days(preset: str, today: date) -> tuple[date, date] | None:
    """Return the first and last day of a preset, or None for "Custom"."""
    if preset == "Today":
        return today, today
    if preset == "Yesterday":
        day = today - timedelta(days=1)
        return day, day
    if preset == "Last 7 days":
        return today - timedelta(days=6), today
    if preset == "This month":
        return today.replace(day=1), today
    if preset == "Last month":
        last = today.replace(day=1) - timedelta(days=1)
        return last.replace(day=1), last
    return None


def validate_days(start: date, end: date, today: date, zone: str) -> str:
    """Return why a range cannot be fetched, or an empty string when it can."""
    if end < start:
        return (
            f"The end date {end.isoformat()} is before the start date {start.isoformat()}. "
            "Choose an end date on or after the start date."
        )
    if start > today:
        return (
            f"{start.isoformat()} is in the future in {zone}. "
            f"Choose days up to today, {today.isoformat()}."
        )
    if end > today:
        return (
            f"The end date {end.isoformat()} is in the future in {zone}. "
            f"Choose today, {today.isoformat()}, or an earlier day."
        )
    days = (end - start).days + 1
    if days > MAX_RANGE_DAYS:
        return (
            f"The range has {days} days, over the limit of {MAX_RANGE_DAYS}. "
            "Fetch it in parts, for example one month at a time."
        )
    return ""


def _to_qdate(day: date) -> QDate:
    return QDate(day.year, day.month, day.day)


def _from_qdate(value: QDate) -> date:
    return date(value.year(), value.month(), value.day())


@dataclass(frozen=True)
class Choice:
    key: str
    label: str


class _CompactList(QListWidget):
    """A list with a small preferred height, so the panel fits without scrolling.

    Word-wrapped labels make the panel's layout height-for-width, and the scroll area then
    sizes it from the size hints rather than the minimum sizes.
    """

    def sizeHint(self) -> QSize:  # noqa: N802 - Qt override
        return QSize(200, 96)


class ChoiceList(QWidget):
    """A filterable list of checkable choices; nothing checked means no filter."""

    def __init__(self, name: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.search = QLineEdit(self)
        self.search.setPlaceholderText(f"Filter {name.lower()}…")
        self.search.setAccessibleName(f"Filter the {name.lower()} list")
        self.search.setClearButtonEnabled(True)
        self.list = _CompactList(self)
        self.list.setAccessibleName(name)
        self.list.setMinimumHeight(60)
        self.list.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(2)
        layout.addWidget(self.search)
        layout.addWidget(self.list)
        self.search.textChanged.connect(self._filter)

    def set_choices(self, choices: Iterable[Choice]) -> None:
        """Replace the choices, keeping the checked ones that are still offered."""
        checked = set(self.checked_keys())
        self.list.clear()
        for choice in choices:
            item = QListWidgetItem(choice.label, self.list)
            item.setData(Qt.ItemDataRole.UserRole, choice.key)
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(
                Qt.CheckState.Checked if choice.key in checked else Qt.CheckState.Unchecked
            )
        self._filter(self.search.text())

    def checked_keys(self) -> list[str]:
        keys: list[str] = []
        for row in range(self.list.count()):
            item = self.list.item(row)
            if item.checkState() == Qt.CheckState.Checked:
                keys.append(str(item.data(Qt.ItemDataRole.UserRole)))
        return keys

    def set_checked(self, keys: Iterable[str]) -> None:
        wanted = set(keys)
        for row in range(self.list.count()):
            item = self.list.item(row)
            key = str(item.data(Qt.ItemDataRole.UserRole))
            item.setCheckState(Qt.CheckState.Checked if key in wanted else Qt.CheckState.Unchecked)

    def _filter(self, text: str) -> None:
        needle = text.strip().casefold()
        for row in range(self.list.count()):
            item = self.list.item(row)
            item.setHidden(bool(needle) and needle not in item.text().casefold())


class RangeView(QWidget):
    """Presets, dates, time zone, filters and the "Get conversations" button."""

    runRequested = Signal(object)  # noqa: N815 - Qt signal naming

    def __init__(
        self,
        *,
        clock: Callable[[], datetime] | None = None,
        zone: str | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._clock = clock or (lambda: datetime.now(UTC))
        self._updating = False

        self.preset = QComboBox(self)
        self.preset.addItems(PRESETS)
        self.preset.setAccessibleName("Preset range")
        self.preset.setSizeAdjustPolicy(
            QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon
        )
        self.preset.setMinimumContentsLength(10)
        self.start_edit = QDateEdit(self)
        self.end_edit = QDateEdit(self)
        for edit, name in ((self.start_edit, "First day"), (self.end_edit, "Last day")):
            edit.setCalendarPopup(True)
            edit.setDisplayFormat("yyyy-MM-dd")
            edit.setAccessibleName(name)

        self.zone_combo = QComboBox(self)
        self.zone_combo.setEditable(True)
        self.zone_combo.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        self.zone_combo.addItems(zone_names())
        self.zone_combo.setAccessibleName("Report time zone")
        self.zone_combo.setSizeAdjustPolicy(
            QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon
        )
        self.zone_combo.setMinimumContentsLength(10)
        completer = QCompleter(zone_names(), self.zone_combo)
        completer.setFilterMode(Qt.MatchFlag.MatchContains)
        completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        self.zone_combo.setCompleter(completer)
        self.zone_hint = QLabel(self)
        self.zone_hint.setWordWrap(True)
        self.zone_hint.setAccessibleName("Time zone offset")

        self.queues = ChoiceList("Queues", self)
        self.media = ChoiceList("Media types", self)
        self.agents = ChoiceList("Agents", self)
        self.media.set_choices(Choice(media, media) for media in MEDIA_TYPES)

        self.error_label = QLabel(self)
        self.error_label.setWordWrap(True)
        self.error_label.setAccessibleName("Range problem")
        self.error_label.setStyleSheet(error_stylesheet())
        self.error_label.hide()
        self.get_button = QPushButton("&Get conversations", self)
        self.get_button.setDefault(True)
        self.get_button.setAccessibleName("Get conversations")

        self._build_layout()
        self.preset.currentTextChanged.connect(self._apply_preset)
        self.start_edit.dateChanged.connect(self._dates_edited)
        self.end_edit.dateChanged.connect(self._dates_edited)
        self.zone_combo.currentTextChanged.connect(self._zone_changed)
        self.get_button.clicked.connect(self._request_run)

        self.set_zone(zone or computer_zone_name())
        self.preset.setCurrentText("Yesterday")
        self._apply_preset("Yesterday")

    def _build_layout(self) -> None:
        dates = QGroupBox("Days", self)
        form = QFormLayout(dates)
        # In a narrow pane the labels move above their fields instead of being cut off.
        form.setRowWrapPolicy(QFormLayout.RowWrapPolicy.WrapLongRows)
        form.addRow("&Preset:", self.preset)
        form.addRow("&From:", self.start_edit)
        form.addRow("&To:", self.end_edit)
        form.addRow("Time &zone:", self.zone_combo)
        form.addRow("", self.zone_hint)
        filters = QGroupBox("Filters (none ticked: all)", self)
        filter_form = QVBoxLayout(filters)
        for label_text, widget in (
            ("&Queues", self.queues),
            ("&Media types", self.media),
            ("&Agents", self.agents),
        ):
            label = QLabel(label_text, filters)
            label.setBuddy(widget.list)
            filter_form.addWidget(label)
            filter_form.addWidget(widget, 1)
        # The days and filters scroll, while the problem and "Get conversations" stay pinned
        # below them, so the button is visible however short the window is.
        fields = QWidget(self)
        fields_layout = QVBoxLayout(fields)
        fields_layout.setContentsMargins(0, 0, 0, 0)
        fields_layout.addWidget(dates)
        fields_layout.addWidget(filters, 1)
        self.fields_scroll = QScrollArea(self)
        self.fields_scroll.setWidget(fields)
        self.fields_scroll.setWidgetResizable(True)
        self.fields_scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAsNeeded)
        self.fields_scroll.setFrameShape(QScrollArea.Shape.NoFrame)
        layout = QVBoxLayout(self)
        layout.addWidget(self.fields_scroll, 1)
        layout.addWidget(self.error_label)
        layout.addWidget(self.get_button)

    # State -------------------------------------------------------------------------------

    @property
    def zone(self) -> str:
        return self.zone_combo.currentText().strip()

    def set_zone(self, name: str) -> None:
        if not is_zone(name):
            name = "UTC"
        self.zone_combo.setCurrentText(name)
        self._zone_changed(name)

    def today(self) -> date:
        zone = self.zone if is_zone(self.zone) else "UTC"
        return self._clock().astimezone(zoneinfo.ZoneInfo(zone)).date()

    def set_days(self, start: date, end: date) -> None:
        """Show a custom range, as the command line's --from and --to give it."""
        self._updating = True
        self.preset.setCurrentText("Custom")
        self.start_edit.setDate(_to_qdate(start))
        self.end_edit.setDate(_to_qdate(end))
        self._updating = False
        self.validate()

    def days(self) -> tuple[date, date]:
        return _from_qdate(self.start_edit.date()), _from_qdate(self.end_edit.date())

    def set_directory(self, directory: Directory) -> None:
        """Offer the queues and agents that the directory names."""
        self.queues.set_choices(
            Choice(queue_id, info.name or queue_id)
            for queue_id, info in sorted(directory.queues.items(), key=lambda kv: kv[1].name)
        )
        self.agents.set_choices(
            Choice(user_id, name or user_id)
            for user_id, name in sorted(directory.users.items(), key=lambda kv: kv[1])
        )

    def set_busy(self, busy: bool) -> None:
        if not self._widgets_alive():
            return
        self.get_button.setEnabled(not busy and not self.validate())

    def _widgets_alive(self) -> bool:
        """Tell whether the C++ widgets still exist, which Qt may delete first at shutdown."""
        widgets = (
            self,
            self.zone_combo,
            self.start_edit,
            self.end_edit,
            self.zone_hint,
            self.error_label,
            self.get_button,
        )
        return all(shiboken6.isValid(widget) for widget in widgets)

    def validate(self) -> str:
        """Show and return why the range cannot be fetched; empty when it can.

        While the window is being destroyed, the widgets may be gone: it then returns "" and
        changes nothing.
        """
        if not self._widgets_alive():
            logger.debug("Range check skipped: the range view is being destroyed")
            return ""
        if not is_zone(self.zone):
            problem = (
                f"{self.zone!r} is not a time zone. Pick one from the list, for example "
                "Europe/Dublin."
            )
        else:
            start, end = self.days()
            problem = validate_days(start, end, self.today(), self.zone)
        self.error_label.setText(problem)
        self.error_label.setVisible(bool(problem))
        self.get_button.setEnabled(not problem)
        return problem

    def report_range(self) -> ReportRange:
        """Return the range as the engine takes it; raises InputError when it is invalid."""
        from wrapup_desktop.errors import InputError
        from wrapup_desktop.genesys import ReportRange

        problem = self.validate()
        if problem:
            raise InputError(problem)
        start, end = self.days()
        return ReportRange(
            start_date=start,
            end_date=end,
            tz=zoneinfo.ZoneInfo(self.zone),
            queue_ids=tuple(self.queues.checked_keys()),
            media_types=tuple(self.media.checked_keys()),
            user_ids=tuple(self.agents.checked_keys()),
        )

    # Slots -------------------------------------------------------------------------------

    def _apply_preset(self, preset: str) -> None:
        days = preset_days(preset, self.today())
        if days is None:
            return
        self._updating = True
        self.start_edit.setDate(_to_qdate(days[0]))
        self.end_edit.setDate(_to_qdate(days[1]))
        self._updating = False
        self.validate()

    def _dates_edited(self) -> None:
        if not self._updating:
            self.preset.blockSignals(True)
            self.preset.setCurrentText("Custom")
            self.preset.blockSignals(False)
        self._update_zone_hint()
        self.validate()

    def _zone_changed(self, name: str) -> None:
        self._update_zone_hint()
        self.validate()

    def _update_zone_hint(self) -> None:
        """Show the UTC offsets of the chosen days, which differ across a DST change."""
        if not self._widgets_alive():
            return
        name = self.zone
        if not is_zone(name):
            self.zone_hint.setText("")
            return
        start, end = self.days()
        if end < start:
            label = zone_label(name, self._clock())
        else:
            label = range_zone_label(name, start, end)
        if name == computer_zone_name():
            label += " (this computer)"
        self.zone_hint.setText(label)

    def _request_run(self) -> None:
        if self.validate():
            return
        self.runRequested.emit(self.report_range())
