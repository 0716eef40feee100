"""The detail dialog of one conversation: its facts, each agent leg explained, a timeline, JSON.

The shell opens it when a row of the results is activated. Each leg's line explains in words
why it got its status, and the timeline shows the segments behind that. The Raw JSON tab shows
the full conversation as Genesys returns it, fetched when the tab is first opened. When no fetch
is possible, it shows the fields that WrapUp Desktop read instead.
"""

from __future__ import annotations

import asyncio
import html
import inspect
import logging
from collections.abc import Awaitable, Callable, Sequence
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import msgspec
from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QFontDatabase, QGuiApplication
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QScrollArea,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from wrapup_desktop.domain.model import Conversation
from wrapup_desktop.domain.rows import LegRow, WrapupStatus
from wrapup_desktop.ui import status_style
from wrapup_desktop.ui.durations import format_duration
from wrapup_desktop.ui.timeline import TimelineWidget

log = logging.getLogger(__name__)

RawJsonSource = Callable[[], Awaitable[str] | str] | str | None
"""The full JSON: text, a function returning text or an awaitable of text, or None."""

FALLBACK_NOTE = (
    "This shows the fields WrapUp Desktop reads from the conversation, not the full response "
    "from Genesys."
)


class DetailDialog(QDialog):
    """One conversation explained: facts, legs with reasons, timeline and raw JSON."""

    rawJsonShown = Signal(str)  # noqa: N815 - Qt signal naming
    """Emitted with the text once the Raw JSON tab has its content."""

    def __init__(
        self,
        conversation: Conversation,
        rows: Sequence[LegRow],
        tz: ZoneInfo,
        raw_json: RawJsonSource,
        parent: QWidget | None = None,
        *,
        now: datetime | None = None,
    ) -> None:
        super().__init__(parent)
        self._conversation = conversation
        self._rows = list(rows)
        self._tz = tz
        self._raw_source = raw_json
        self._raw_started = False
        self._task: asyncio.Future[str] | None = None
        conversation_id = conversation.conversation_id or (rows[0].conversation_id if rows else "")
        self.setWindowTitle(f"Conversation {conversation_id}")
        self.setAccessibleName("Conversation details")
        self.resize(1100, 720)

        self.id_field = QLineEdit(conversation_id, self)
        self.id_field.setReadOnly(True)
        self.id_field.setAccessibleName("Conversation ID")
        copy_id = QPushButton("Copy ID", self)
        copy_id.setAccessibleName("Copy the conversation ID")
        copy_id.clicked.connect(lambda: QGuiApplication.clipboard().setText(conversation_id))
        id_row = QHBoxLayout()
        id_row.addWidget(self.id_field, 1)
        id_row.addWidget(copy_id)

        facts = QFormLayout()
        facts.addRow("Conversation ID:", id_row)
        for label, value in self._facts():
            field = QLabel(value, self)
            field.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            field.setAccessibleName(label.rstrip(":"))
            facts.addRow(label, field)

        self.legs_label = QLabel(self._legs_html(), self)
        self.legs_label.setWordWrap(True)
        self.legs_label.setTextFormat(Qt.TextFormat.RichText)
        self.legs_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.legs_label.setAccessibleName("Agent legs")
        self.legs_label.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)

        self.timeline = TimelineWidget(conversation, self._rows, tz, now=now)
        timeline_scroll = QScrollArea(self)
        timeline_scroll.setWidget(self.timeline)
        timeline_scroll.setWidgetResizable(True)
        timeline_scroll.setAccessibleName("Timeline")

        self.json_view = QPlainTextEdit(self)
        self.json_view.setReadOnly(True)
        self.json_view.setFont(QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont))
        self.json_view.setLineWrapMode(QPlainTextEdit.LineWrapMode.NoWrap)
        self.json_view.setAccessibleName("Raw JSON")
        self.json_note = QLabel(self)
        self.json_note.setWordWrap(True)
        copy_json = QPushButton("Copy JSON", self)
        copy_json.setAccessibleName("Copy the raw JSON")
        copy_json.clicked.connect(
            lambda: QGuiApplication.clipboard().setText(self.json_view.toPlainText())
        )
        json_page = QWidget(self)
        json_layout = QVBoxLayout(json_page)
        json_top = QHBoxLayout()
        json_top.addWidget(self.json_note, 1)
        json_top.addWidget(copy_json)
        json_layout.addLayout(json_top)
        json_layout.addWidget(self.json_view, 1)

        self.tabs = QTabWidget(self)
        self.tabs.addTab(timeline_scroll, "Timeline")
        self.tabs.addTab(json_page, "Raw JSON")
        self.tabs.currentChanged.connect(self._on_tab_changed)

        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        buttons.rejected.connect(self.reject)

        layout = QVBoxLayout(self)
        layout.addLayout(facts)
        layout.addWidget(self.legs_label)
        layout.addWidget(self.tabs, 1)
        layout.addWidget(buttons)

        if isinstance(raw_json, str) or raw_json is None:
            self.load_raw_json()

    # Facts and legs ----------------------------------------------------------------------

    def _facts(self) -> list[tuple[str, str]]:
        conversation = self._conversation
        start = conversation.conversation_start
        end = conversation.conversation_end
        first_row = self._rows[0] if self._rows else None
        if start is None and first_row is not None:
            start = first_row.conversation_start
        if end is None and first_row is not None:
            end = first_row.conversation_end
        media = first_row.media_type if first_row else _first_session_media(conversation)
        direction = conversation.originating_direction or (
            first_row.direction if first_row else ""
        )
        duration = ""
        if start is not None and end is not None:
            seconds = (_aware(end) - _aware(start)).total_seconds()
            duration = f" ({format_duration(seconds)})"
        return [
            ("Start:", self._time_text(start)),
            ("End:", (self._time_text(end) + duration) if end else "still going on"),
            ("Media:", media or "unknown"),
            ("Direction:", direction or "unknown"),
        ]

    def _time_text(self, value: datetime | None) -> str:
        if value is None:
            return "unknown"
        return _aware(value).astimezone(self._tz).isoformat(sep=" ", timespec="seconds")

    def _legs_html(self) -> str:
        if not self._rows:
            return "<i>No classified legs for this conversation.</i>"
        dark = status_style.is_dark_palette(self.palette())
        parts = [_leg_html(row, dark) for row in sorted(self._rows, key=lambda r: r.transfer_seq)]
        return "".join(parts)

    # Raw JSON ----------------------------------------------------------------------------

    def _on_tab_changed(self, index: int) -> None:
        if self.tabs.tabText(index) == "Raw JSON":
            self.load_raw_json()

    def load_raw_json(self) -> asyncio.Future[str] | None:
        """Fill the Raw JSON tab; returns the pending fetch when the source is asynchronous."""
        if self._raw_started:
            return self._task
        self._raw_started = True
        source = self._raw_source
        if source is None:
            self._show_fallback("")
            return None
        if isinstance(source, str):
            self._show_json(source, "The conversation as Genesys returned it.")
            return None
        try:
            result = source()
        except Exception as exc:  # the fetch is the shell's; any failure falls back
            log.warning("Could not fetch the raw conversation JSON: %s", exc)
            self._show_fallback(f"Could not fetch the full conversation: {exc}.")
            return None
        if isinstance(result, str):
            self._show_json(result, "The conversation as Genesys returned it.")
            return None
        return self._await_json(result)

    def _await_json(self, awaitable: Awaitable[str]) -> asyncio.Future[str] | None:
        try:
            loop = asyncio.get_running_loop()
        except RuntimeError:
            if inspect.iscoroutine(awaitable):
                awaitable.close()
            self._show_fallback("The full conversation cannot be fetched without an event loop.")
            return None
        self.json_note.setText("Fetching the full conversation from Genesys…")
        self._task = asyncio.ensure_future(awaitable, loop=loop)
        self._task.add_done_callback(self._on_fetched)
        return self._task

    def _on_fetched(self, task: asyncio.Future[str]) -> None:
        if task.cancelled():
            self._show_fallback("Fetching the full conversation was cancelled.")
            return
        error = task.exception()
        if error is not None:
            log.warning("Could not fetch the raw conversation JSON: %s", error)
            self._show_fallback(f"Could not fetch the full conversation: {error}.")
            return
        self._show_json(task.result(), "The conversation as Genesys returned it.")

    def _show_json(self, text: str, note: str) -> None:
        try:
            pretty = msgspec.json.format(text.encode(), indent=2).decode()
        except msgspec.DecodeError:
            pretty = text
        self.json_note.setText(note)
        self.json_view.setPlainText(pretty)
        self.rawJsonShown.emit(pretty)

    def _show_fallback(self, problem: str) -> None:
        encoded = msgspec.json.encode(self._conversation)
        pretty = msgspec.json.format(encoded, indent=2).decode()
        self.json_note.setText(f"{problem} {FALLBACK_NOTE}".strip())
        self.json_view.setPlainText(pretty)
        self.rawJsonShown.emit(pretty)

    def done(self, result: int) -> None:
        if self._task is not None and not self._task.done():
            # The dialog may be deleted once closed, so the fetch must not call back into it.
            self._task.remove_done_callback(self._on_fetched)
            self._task.cancel()
        super().done(result)


def _leg_html(row: LegRow, dark: bool) -> str:
    status = row.wrapup_status
    background = status_style.cell_background(status, dark)
    foreground = status_style.text_on(background)
    badge = (
        f'<span style="background-color:{background.name()}; color:{foreground.name()};">'
        f"&nbsp;{html.escape(status_style.marked_label(status))}&nbsp;</span>"
    )
    if status == WrapupStatus.NO_AGENT:
        who = "No agent"
    else:
        who = f"Leg {row.transfer_seq} · {html.escape(row.agent_name or row.agent_id or '?')}"
    details = []
    if row.queue_name or row.queue_id:
        details.append(f"queue {html.escape(row.queue_name or row.queue_id)}")
    code = row.wrapup_code_name or row.wrapup_code_id
    details.append(f"code {html.escape(code)}" if code else "no code")
    if row.acw_seconds is not None:
        details.append(f"after-call work {format_duration(row.acw_seconds)}")
    if row.ended_in_transfer:
        details.append("ended in a transfer")
    reason = html.escape(row.wrapup_reason)
    return (
        f'<p style="margin-bottom:6px"><b>{who}</b> {badge} — {", ".join(details)}<br>'
        f"<i>Why:</i> {reason}</p>"
    )


def _first_session_media(conversation: Conversation) -> str:
    for participant in conversation.participants:
        for session in participant.sessions:
            if session.media_type:
                return session.media_type
    return ""


def _aware(value: datetime) -> datetime:
    return value if value.tzinfo is not None else value.replace(tzinfo=UTC)
