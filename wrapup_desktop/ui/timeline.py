"""A conversation drawn as lanes of segments on one time axis.

Each participant gets a lane; each segment (alert, interact, hold, wrapup, ivr, ...) is a bar
coloured by its type. A segment without an end is drawn to the end of the conversation (or to
now while it is still going on) with a hatched tail. Agent lanes carry a badge in a column on the
right with the leg's wrap-up status and code, joined to the lane's last wrap-up bar. The widget
paints itself with QPainter, so it renders the same on screen, offscreen and in `grab()`.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from PySide6.QtCore import QEvent, QPointF, QRectF, QSize, Qt
from PySide6.QtGui import QBrush, QColor, QFontMetrics, QHelpEvent, QPainter, QPaintEvent, QPen
from PySide6.QtWidgets import QSizePolicy, QToolTip, QWidget

from wrapup_desktop.domain.model import Conversation, Segment, Session
from wrapup_desktop.domain.rows import LegRow, WrapupStatus
from wrapup_desktop.ui import status_style
from wrapup_desktop.ui.durations import format_duration

SEGMENT_COLORS: dict[str, str] = {
    "alert": "#56B4E9",
    "dialing": "#7FC6EF",
    "contacting": "#7FC6EF",
    "interact": "#009E73",
    "hold": "#E69F00",
    "wrapup": "#CC79A7",
    "ivr": "#0072B2",
    "system": "#999999",
    "delay": "#C9B400",
    "parked": "#D55E00",
    "callback": "#6A3D9A",
    "scheduled": "#A6A6A6",
}
"""Colour per segment type; other types are drawn grey and listed as themselves."""
_OTHER_COLOR = "#BBBBBB"

_LANE_HEIGHT = 30
_BAR_HEIGHT = 16
_AXIS_HEIGHT = 26
_LEGEND_HEIGHT = 26
_PADDING = 8
_BADGE_WIDTH = 230
_MIN_CHART_WIDTH = 300
_NICE_STEPS_S: tuple[int, ...] = (
    *(1, 2, 5, 10, 15, 30, 60, 120, 300, 600, 900, 1800),
    *(3600, 7200, 10800, 21600, 43200, 86400, 172800, 604800),
)
"""Axis tick intervals in seconds, from one second to one week."""


@dataclass
class TimelineBar:
    """One segment as drawn, with the text of its tooltip."""

    lane: int
    segment_type: str
    start: float
    end: float
    open: bool
    tooltip: str
    rect: QRectF = field(default_factory=QRectF)


@dataclass
class TimelineLane:
    """One participant: its label, its bars and, for an agent leg, the status badge."""

    label: str
    purpose: str
    bars: list[TimelineBar] = field(default_factory=list)
    status: WrapupStatus | None = None
    badge: str = ""


class TimelineWidget(QWidget):
    """Lanes of segments of one conversation on a shared time axis in the report zone."""

    def __init__(
        self,
        conversation: Conversation,
        rows: Sequence[LegRow],
        tz: ZoneInfo,
        *,
        now: datetime | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._tz = tz
        self._now = now or datetime.now(UTC)
        self.lanes = _build_lanes(conversation, rows, tz, self._open_end(conversation))
        starts = [bar.start for lane in self.lanes for bar in lane.bars]
        ends = [bar.end for lane in self.lanes for bar in lane.bars]
        self._t0 = min(starts, default=0.0)
        self._t1 = max(ends, default=1.0)
        if self._t1 <= self._t0:
            self._t1 = self._t0 + 1.0
        self.segment_types = sorted({bar.segment_type for lane in self.lanes for bar in lane.bars})
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        self.setMouseTracking(True)
        self.setAccessibleName("Conversation timeline")
        self.setAccessibleDescription(self.describe())

    def _open_end(self, conversation: Conversation) -> float:
        if conversation.conversation_end is not None:
            return _epoch(conversation.conversation_end)
        return self._now.timestamp()

    def describe(self) -> str:
        """Return the timeline as text, one line per lane, for screen readers."""
        lines = []
        for lane in self.lanes:
            kinds = ", ".join(bar.segment_type for bar in lane.bars) or "no segments"
            badge = f"; {lane.badge}" if lane.badge else ""
            lines.append(f"{lane.label}: {kinds}{badge}")
        return "\n".join(lines)

    def sizeHint(self) -> QSize:  # noqa: N802
        height = _AXIS_HEIGHT + _LANE_HEIGHT * max(len(self.lanes), 1) + _LEGEND_HEIGHT
        return QSize(900, height + 2 * _PADDING)

    def minimumSizeHint(self) -> QSize:  # noqa: N802
        hint = self.sizeHint()
        return QSize(self._label_width() + _MIN_CHART_WIDTH + _BADGE_WIDTH, hint.height())

    def _label_width(self) -> int:
        metrics = QFontMetrics(self.font())
        widest = max((metrics.horizontalAdvance(lane.label) for lane in self.lanes), default=80)
        return min(widest, 260) + 3 * _PADDING

    def _chart_rect(self) -> QRectF:
        left = self._label_width()
        right = self.width() - _BADGE_WIDTH - _PADDING
        top = _PADDING + _AXIS_HEIGHT
        height = _LANE_HEIGHT * len(self.lanes)
        return QRectF(left, top, max(right - left, 10), height)

    def _x(self, chart: QRectF, t: float) -> float:
        return chart.left() + (t - self._t0) / (self._t1 - self._t0) * chart.width()

    # Painting ----------------------------------------------------------------------------

    def paintEvent(self, _event: QPaintEvent) -> None:  # noqa: N802
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        palette = self.palette()
        text = palette.color(palette.ColorRole.WindowText)
        grid = palette.color(palette.ColorRole.Mid)
        chart = self._chart_rect()
        metrics = QFontMetrics(self.font())
        self._paint_axis(painter, chart, text, grid, metrics)
        for number, lane in enumerate(self.lanes):
            top = chart.top() + number * _LANE_HEIGHT
            if number % 2:
                painter.fillRect(
                    QRectF(0, top, self.width(), _LANE_HEIGHT),
                    palette.color(palette.ColorRole.AlternateBase),
                )
            label = metrics.elidedText(lane.label, Qt.TextElideMode.ElideRight, 260)
            painter.setPen(text)
            painter.drawText(
                QRectF(_PADDING, top, chart.left() - 2 * _PADDING, _LANE_HEIGHT),
                Qt.AlignmentFlag.AlignVCenter | Qt.AlignmentFlag.AlignLeft,
                label,
            )
            self._paint_bars(painter, chart, lane, top)
            self._paint_badge(painter, chart, lane, top, metrics)
        self._paint_legend(painter, chart, text, metrics)
        painter.end()

    def _paint_axis(
        self, painter: QPainter, chart: QRectF, text: QColor, grid: QColor, metrics: QFontMetrics
    ) -> None:
        step = _tick_step(self._t1 - self._t0, chart.width())
        offset = _offset_s(self._t0, self._tz)
        first = math.ceil((self._t0 + offset) / step) * step - offset
        tick = first
        while tick <= self._t1:
            x = self._x(chart, tick)
            painter.setPen(QPen(grid, 1, Qt.PenStyle.DotLine))
            painter.drawLine(QPointF(x, chart.top() - 4), QPointF(x, chart.bottom()))
            label = _tick_label(tick, step, self._tz)
            width = metrics.horizontalAdvance(label)
            painter.setPen(text)
            painter.drawText(
                QRectF(x - width / 2 - 2, _PADDING, width + 4, _AXIS_HEIGHT - 6),
                Qt.AlignmentFlag.AlignCenter,
                label,
            )
            tick += step

    def _paint_bars(
        self, painter: QPainter, chart: QRectF, lane: TimelineLane, top: float
    ) -> None:
        y = top + (_LANE_HEIGHT - _BAR_HEIGHT) / 2
        for bar in lane.bars:
            left = self._x(chart, bar.start)
            right = max(self._x(chart, bar.end), left + 2)
            rect = QRectF(left, y, right - left, _BAR_HEIGHT)
            bar.rect = rect
            color = QColor(SEGMENT_COLORS.get(bar.segment_type, _OTHER_COLOR))
            painter.setPen(QPen(color.darker(130), 1))
            painter.setBrush(color)
            painter.drawRect(rect)
            if bar.open:
                tail = QRectF(
                    max(rect.right() - 14, rect.left()), y, min(14, rect.width()), _BAR_HEIGHT
                )
                painter.setBrush(QBrush(QColor("#FFFFFF"), Qt.BrushStyle.BDiagPattern))
                painter.drawRect(tail)

    def _paint_badge(
        self,
        painter: QPainter,
        chart: QRectF,
        lane: TimelineLane,
        top: float,
        metrics: QFontMetrics,
    ) -> None:
        if lane.status is None:
            return
        color = status_style.solid_color(lane.status, status_style.is_dark_palette(self.palette()))
        badge_left = chart.right() + _PADDING
        rect = QRectF(badge_left, top + 4, _BADGE_WIDTH - _PADDING, _LANE_HEIGHT - 8)
        wrapups = [bar for bar in lane.bars if bar.segment_type == "wrapup"]
        anchor: QRectF | None = None
        if wrapups:
            anchor = wrapups[-1].rect
        elif lane.bars:
            anchor = lane.bars[-1].rect
        if anchor is not None:
            painter.setPen(QPen(color, 1, Qt.PenStyle.DashLine))
            middle = anchor.center().y()
            painter.drawLine(QPointF(anchor.right(), middle), QPointF(rect.left(), middle))
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(color)
        painter.drawRoundedRect(rect, 4, 4)
        painter.setPen(status_style.text_on(color))
        text = metrics.elidedText(lane.badge, Qt.TextElideMode.ElideRight, int(rect.width()) - 8)
        painter.drawText(rect.adjusted(4, 0, -4, 0), Qt.AlignmentFlag.AlignVCenter, text)

    def _paint_legend(
        self, painter: QPainter, chart: QRectF, text: QColor, metrics: QFontMetrics
    ) -> None:
        x = chart.left()
        y = chart.bottom() + 8
        for segment_type in self.segment_types:
            color = QColor(SEGMENT_COLORS.get(segment_type, _OTHER_COLOR))
            painter.setPen(QPen(color.darker(130), 1))
            painter.setBrush(color)
            painter.drawRect(QRectF(x, y + 3, 12, 12))
            painter.setPen(text)
            width = metrics.horizontalAdvance(segment_type)
            painter.drawText(
                QRectF(x + 16, y, width + 4, 18), Qt.AlignmentFlag.AlignVCenter, segment_type
            )
            x += 16 + width + 16
        if any(bar.open for lane in self.lanes for bar in lane.bars):
            painter.setPen(QPen(text, 1))
            painter.setBrush(QBrush(text, Qt.BrushStyle.BDiagPattern))
            painter.drawRect(QRectF(x, y + 3, 12, 12))
            painter.drawText(
                QRectF(x + 16, y, 200, 18), Qt.AlignmentFlag.AlignVCenter, "still open"
            )
        painter.setPen(text)
        painter.drawText(
            QRectF(chart.left(), y, self.width() - chart.left() - _PADDING, 18),
            Qt.AlignmentFlag.AlignVCenter | Qt.AlignmentFlag.AlignRight,
            f"Times in {_zone_caption(self._tz, self._t0)}",
        )

    # Tooltips ----------------------------------------------------------------------------

    def event(self, event: QEvent) -> bool:
        if event.type() == QEvent.Type.ToolTip and isinstance(event, QHelpEvent):
            bar = self.bar_at(QPointF(event.pos()))
            if bar is None:
                QToolTip.hideText()
                event.ignore()
            else:
                QToolTip.showText(event.globalPos(), bar.tooltip, self)
            return True
        return super().event(event)

    def bar_at(self, point: QPointF) -> TimelineBar | None:
        """Return the bar under `point` (widget coordinates) after the last paint."""
        for lane in self.lanes:
            for bar in lane.bars:
                if bar.rect.adjusted(-2, -4, 2, 4).contains(point):
                    return bar
        return None


def _build_lanes(
    conversation: Conversation, rows: Sequence[LegRow], tz: ZoneInfo, open_end: float
) -> list[TimelineLane]:
    by_participant = {row.participant_id: row for row in rows if row.participant_id}
    names = {row.queue_id: row.queue_name for row in rows if row.queue_id and row.queue_name}
    names.update(
        {row.wrapup_code_id: row.wrapup_code_name for row in rows if row.wrapup_code_name}
    )
    lanes: list[TimelineLane] = []
    for participant in conversation.participants:
        purpose = participant.purpose or "participant"
        row = by_participant.get(participant.participant_id or "")
        name = (
            participant.participant_name
            or (row.agent_name if row else "")
            or (participant.user_id or "")
        )
        lane = TimelineLane(label=f"{purpose}: {name}" if name else purpose, purpose=purpose)
        if row is not None:
            lane.status = row.wrapup_status
            code = row.wrapup_code_name or row.wrapup_code_id or "no code"
            lane.badge = f"{status_style.marked_label(row.wrapup_status)} · {code}"
        for session in participant.sessions:
            for segment in session.segments:
                bar = _bar(len(lanes), segment, session, tz, open_end, names)
                if bar is not None:
                    lane.bars.append(bar)
        lanes.append(lane)
    return lanes


def _bar(
    lane: int,
    segment: Segment,
    session: Session,
    tz: ZoneInfo,
    open_end: float,
    names: dict[str, str],
) -> TimelineBar | None:
    if segment.segment_start is None:
        return None
    start = _epoch(segment.segment_start)
    is_open = segment.segment_end is None
    end = max(open_end, start) if is_open else _epoch(segment.segment_end)  # type: ignore[arg-type]
    kind = segment.segment_type or "unknown"
    lines = [
        f"{kind}",
        f"Start: {_local(start, tz)}",
        f"End: {'still open' if is_open else _local(end, tz)}",
        f"Duration: {format_duration(end - start)}{' so far' if is_open else ''}",
    ]
    if session.media_type:
        lines.append(f"Media: {session.media_type}")
    if segment.queue_id:
        lines.append(f"Queue: {_named(segment.queue_id, names)}")
    if segment.wrap_up_code:
        lines.append(f"Wrap-up code: {_named(segment.wrap_up_code, names)}")
    if segment.disconnect_type:
        lines.append(f"Disconnect: {segment.disconnect_type}")
    if segment.error_code:
        lines.append(f"Error: {segment.error_code}")
    return TimelineBar(lane, kind, start, end, is_open, "\n".join(lines))


def _named(identifier: str, names: dict[str, str]) -> str:
    name = names.get(identifier)
    return f"{name} ({identifier})" if name else identifier


def _epoch(value: datetime) -> float:
    if value.tzinfo is None:
        value = value.replace(tzinfo=UTC)
    return value.timestamp()


def _local(value: float, tz: ZoneInfo) -> str:
    return datetime.fromtimestamp(value, tz).isoformat(sep=" ", timespec="milliseconds")


def _tick_step(span_s: float, width_px: float) -> int:
    max_ticks = max(width_px / 90, 2)
    for step in _NICE_STEPS_S:
        if span_s / step <= max_ticks:
            return step
    return _NICE_STEPS_S[-1]


def _offset_s(t: float, tz: ZoneInfo) -> float:
    offset = datetime.fromtimestamp(t, tz).utcoffset() or timedelta(0)
    return offset.total_seconds()


def _tick_label(t: float, step: int, tz: ZoneInfo) -> str:
    local = datetime.fromtimestamp(t, tz)
    if step >= 86400:
        return local.strftime("%d %b")
    if step >= 60:
        return local.strftime("%H:%M")
    return local.strftime("%H:%M:%S")


def _zone_caption(tz: ZoneInfo, t: float) -> str:
    local = datetime.fromtimestamp(t, tz)
    return f"{local:%d %b %Y}, {tz.key} ({local:%z})"
