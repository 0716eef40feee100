"""Stacked bar charts of wrap-up statuses per queue, agent, code or day, with compliance.

The big line on top gives the run's compliance rate in words. Below it, one chart at a time
(picked in a combo box) stacks the legs of each queue, agent, code or day by status in the
status colours. Hovering a bar segment gives its counts and compliance; clicking it emits
`filterRequested`, and the shell shows the matching legs in the results table.
"""

from __future__ import annotations

import html
import logging
from collections.abc import Mapping, Sequence
from zoneinfo import ZoneInfo

from PySide6.QtCharts import (
    QAbstractBarSeries,
    QBarCategoryAxis,
    QBarSet,
    QChart,
    QChartView,
    QHorizontalStackedBarSeries,
    QStackedBarSeries,
    QValueAxis,
)
from PySide6.QtCore import QMargins, QSize, Qt, Signal
from PySide6.QtGui import QCursor, QFont, QPainter
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QLabel,
    QToolTip,
    QVBoxLayout,
    QWidget,
)

from wrapup_desktop.domain.rows import LegRow, WrapupStatus
from wrapup_desktop.domain.summary import SummaryRow, summarize
from wrapup_desktop.ui import status_style
from wrapup_desktop.ui.flow_layout import FlowLayout

log = logging.getLogger(__name__)

DIMENSION_CHOICES: tuple[tuple[str, str], ...] = (
    ("queue", "By queue"),
    ("agent", "By agent"),
    ("day", "By day"),
    ("code", "By code"),
)
CHART_MIN_HEIGHT = 160
"""The chart never gets shorter than this, in pixels; below it the summary scrolls."""
_NOUNS = {"queue": "queues", "agent": "agents", "day": "days", "code": "codes"}
_MAX_LABEL_CHARS = 32


class SummaryView(QWidget):
    """The compliance rate and a stacked status chart per queue, agent, day or code."""

    filterRequested = Signal(str, str, object)  # noqa: N815 - Qt signal naming
    """(dimension, key, status or None): a bar segment was clicked."""

    def __init__(self, parent: QWidget | None = None, *, top_n: int = 15) -> None:
        super().__init__(parent)
        self.top_n = top_n
        self._rows: Sequence[LegRow] = ()
        self._summaries: dict[str, list[SummaryRow]] = {}
        self._tz = ZoneInfo("UTC")
        self.bar_sets: dict[WrapupStatus, QBarSet] = {}
        self.keys: list[str] = []
        """The keys of the bars shown, in bar-set index order."""
        self._shown: list[SummaryRow] = []

        self.compliance_label = QLabel(self)
        font = QFont(self.compliance_label.font())
        font.setPointSizeF(font.pointSizeF() * 1.6)
        font.setBold(True)
        self.compliance_label.setFont(font)
        self.compliance_label.setWordWrap(True)
        self.compliance_label.setAccessibleName("Compliance")
        self.compliance_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.compliance_label.setToolTip(
            "Legs where the agent chose a code, out of the legs that needed one: timed-out, "
            "skipped and missing codes count against it; legs without an agent, not connected, "
            "still pending, system codes and queues with optional codes are left out."
        )

        self.dimension_box = QComboBox(self)
        self.dimension_box.setAccessibleName("Chart by")
        for key, text in DIMENSION_CHOICES:
            self.dimension_box.addItem(text, key)
        self.dimension_box.currentIndexChanged.connect(lambda _i: self._rebuild_chart())
        self.subtitle = QLabel(self)
        self.subtitle.setWordWrap(True)
        self.subtitle.setAccessibleName("Chart contents")

        self.chart = _new_chart()
        self.chart_view = _ChartView(self.chart, self)
        self.chart_view.setRenderHint(QPainter.RenderHint.Antialiasing)
        self.chart_view.setAccessibleName("Status chart")
        self.chart_view.setMinimumHeight(CHART_MIN_HEIGHT)

        controls = QHBoxLayout()
        controls.addWidget(QLabel("Chart:", self))
        controls.addWidget(self.dimension_box)
        controls.addWidget(self.subtitle, 1)
        layout = QVBoxLayout(self)
        layout.addWidget(self.compliance_label)
        layout.addLayout(controls)
        layout.addWidget(self.chart_view, 1)
        self.legend = QWidget(self)
        self.legend.setAccessibleName("Chart legend")
        self._legend_layout = FlowLayout(spacing=12)
        self.legend.setLayout(self._legend_layout)
        layout.addWidget(self.legend)
        self._show_compliance(0, 0, 0)

    # Public API --------------------------------------------------------------------------

    @property
    def dimension(self) -> str:
        return str(self.dimension_box.currentData())

    def set_dimension(self, dimension: str) -> None:
        index = self.dimension_box.findData(dimension)
        if index < 0:
            raise ValueError(f"dimension must be queue, agent, day or code, but got {dimension!r}")
        self.dimension_box.setCurrentIndex(index)

    def set_rows(
        self, rows: Sequence[LegRow] | Mapping[str, Sequence[SummaryRow]], tz: ZoneInfo
    ) -> None:
        """Show the legs of a run, or summaries made earlier keyed by dimension."""
        self._tz = tz
        if isinstance(rows, Mapping):
            self._rows = ()
            self._summaries = {key: list(value) for key, value in rows.items()}
        else:
            self._rows = rows
            self._summaries = {}
        totals = self._summaries_for("queue") or self._summaries_for("day")
        self._show_compliance(
            sum(group.legs for group in totals),
            sum(group.required for group in totals),
            sum(group.assigned for group in totals),
        )
        self._rebuild_chart()

    def summaries(self, dimension: str) -> list[SummaryRow]:
        return list(self._summaries_for(dimension))

    # Building ----------------------------------------------------------------------------

    def _summaries_for(self, dimension: str) -> list[SummaryRow]:
        if dimension not in self._summaries and self._rows:
            self._summaries[dimension] = summarize(self._rows, dimension, self._tz)
        return self._summaries.get(dimension, [])

    def _show_compliance(self, legs: int, required: int, assigned: int) -> None:
        if legs == 0:
            self.compliance_label.setText("No legs to summarise yet")
        elif required == 0:
            self.compliance_label.setText(
                f"Compliance: not applicable — none of the {legs:,} legs required a code"
            )
        else:
            rate = 100 * assigned / required
            self.compliance_label.setText(
                f"Compliance {rate:.1f} % — {assigned:,} of {required:,} legs "
                "that required a code got one"
            )

    def _rebuild_chart(self) -> None:
        dimension = self.dimension
        groups = self._summaries_for(dimension)
        # Legs no agent answered are not an agent's work: the agent chart leaves them out, while
        # the queue and day charts keep them.
        without_agent = 0
        if dimension == "agent":
            without_agent = sum(group.legs for group in groups if not group.key)
            groups = [group for group in groups if group.key]
        # A fresh chart each time: axes removed from a chart stay drawn in its scene.
        old = self.chart
        self.chart = _new_chart()
        self.chart_view.setChart(self.chart)
        old.deleteLater()
        self.bar_sets = {}
        self.keys = []
        self._shown = []
        if not groups:
            self.subtitle.setText("")
            self._fill_legend(dark=False)
            return

        shown = groups if dimension == "day" else groups[: self.top_n]
        if dimension != "day":
            shown = list(reversed(shown))  # a horizontal chart draws its first category lowest
        self._shown = shown
        self.keys = [group.key for group in shown]
        self._set_subtitle(dimension, len(shown), len(groups), without_agent)
        dark = status_style.is_dark_palette(self.palette())
        self.chart.setTheme(
            QChart.ChartTheme.ChartThemeDark if dark else QChart.ChartTheme.ChartThemeLight
        )

        series: QAbstractBarSeries = (
            QStackedBarSeries() if dimension == "day" else QHorizontalStackedBarSeries()
        )
        for status in status_style.STATUS_ORDER:
            counts = [group.counts.get(status, 0) for group in shown]
            if any(counts):
                bar_set = self._make_bar_set(status, counts, dark)
                series.append(bar_set)
                self.bar_sets[status] = bar_set
        self.chart.addSeries(series)
        self._attach_axes(series, dimension == "day")
        self._fill_legend(dark)
        self.chart_view.setAccessibleDescription(self.describe())

    def describe(self) -> str:
        """Return the chart as text, one line per bar, for screen readers."""
        # Horizontal charts hold their bars bottom to top; read them top to bottom.
        groups = self._shown if self.dimension == "day" else list(reversed(self._shown))
        lines = []
        for group in groups:
            counts = ", ".join(
                f"{status_style.label(status)} {group.counts[status]:,}"
                for status in status_style.STATUS_ORDER
                if group.counts.get(status)
            )
            lines.append(f"{group.label}: {group.legs:,} legs ({counts})")
        return "\n".join(lines)

    def _fill_legend(self, dark: bool) -> None:
        while (item := self._legend_layout.takeAt(0)) is not None:
            widget = item.widget()
            if widget is not None:
                widget.hide()
                widget.deleteLater()
        for status in self.bar_sets:
            color = status_style.solid_color(status, dark).name()
            entry = QLabel(
                f'<span style="background-color:{color}; color:{color};">&nbsp;&nbsp;&nbsp;</span>'
                f"&nbsp;{html.escape(status_style.marked_label(status))}",
                self.legend,
            )
            entry.setToolTip(status_style.explanation(status))
            self._legend_layout.addWidget(entry)

    def _make_bar_set(self, status: WrapupStatus, counts: list[int], dark: bool) -> QBarSet:
        bar_set = QBarSet(status_style.marked_label(status))
        color = status_style.solid_color(status, dark)
        bar_set.setColor(color)
        bar_set.setBorderColor(color.darker(120))
        bar_set.append([float(count) for count in counts])
        bar_set.clicked.connect(lambda index: self._on_bar_clicked(status, index))
        bar_set.hovered.connect(lambda state, index: self._on_bar_hovered(status, state, index))
        return bar_set

    def _attach_axes(self, series: QAbstractBarSeries, vertical: bool) -> None:
        categories = QBarCategoryAxis()
        categories.append(_unique_labels([group.label for group in self._shown]))
        values = QValueAxis()
        values.setLabelFormat("%d")
        values.setMin(0)
        values.setMax(max(max(group.legs for group in self._shown), 1) * 1.05)
        values.applyNiceNumbers()
        values.setTitleText("Legs")
        if vertical:
            self.chart.addAxis(categories, Qt.AlignmentFlag.AlignBottom)
            self.chart.addAxis(values, Qt.AlignmentFlag.AlignLeft)
        else:
            # In a narrow chart Qt cuts the names to "…"; the bars give way to the names instead.
            categories.setTruncateLabels(False)
            self.chart.addAxis(categories, Qt.AlignmentFlag.AlignLeft)
            self.chart.addAxis(values, Qt.AlignmentFlag.AlignBottom)
        series.attachAxis(categories)
        series.attachAxis(values)

    def _set_subtitle(self, dimension: str, shown: int, total: int, without_agent: int) -> None:
        noun = _NOUNS[dimension]
        if shown < total:
            text = f"The {shown} {noun} with the most legs, of {total:,}."
        else:
            text = f"{total:,} {noun}."
        if without_agent:
            legs = "1 leg" if without_agent == 1 else f"{without_agent:,} legs"
            text += f" Not shown: {legs} without an agent."
        self.subtitle.setText(f"{text} Click a bar to list its legs.")

    # Interaction -------------------------------------------------------------------------

    # NOTE: bar clicks need a pointer; keyboard users reach the same legs through the status
    # chips and the search of the results table.
    def _on_bar_clicked(self, status: WrapupStatus, index: int) -> None:
        if 0 <= index < len(self._shown):
            group = self._shown[index]
            log.debug("Chart click: %s %s %s", group.dimension, group.key, status)
            self.filterRequested.emit(self.dimension, group.key, status)

    def _on_bar_hovered(self, status: WrapupStatus, state: bool, index: int) -> None:
        if not state or not 0 <= index < len(self._shown):
            QToolTip.hideText()
            return
        QToolTip.showText(QCursor.pos(), self.bar_tooltip(status, index), self.chart_view)

    def bar_tooltip(self, status: WrapupStatus, index: int) -> str:
        """Return the tooltip of one bar segment: counts, share and the group's compliance."""
        group = self._shown[index]
        count = group.counts.get(status, 0)
        lines = [
            f"{group.label} — {status_style.label(status)}: {count:,} of {group.legs:,} legs",
        ]
        if group.compliance_rate is None:
            lines.append("Compliance: no leg here required a code")
        else:
            lines.append(
                f"Compliance {100 * group.compliance_rate:.1f} % "
                f"({group.assigned:,} of {group.required:,} legs that required a code)"
            )
        if group.transfer_legs:
            lines.append(f"{group.transfer_legs:,} legs ended in a transfer")
        lines.append("Click to list these legs")
        return "\n".join(lines)


class _ChartView(QChartView):
    """A chart view that asks only for its minimum height and takes the height left over.

    A scroll area around the summary then scrolls only when the window is shorter than the
    minimum heights, instead of whenever the chart could use more room.
    """

    def sizeHint(self) -> QSize:  # noqa: N802
        return QSize(super().sizeHint().width(), CHART_MIN_HEIGHT)


def _new_chart() -> QChart:
    chart = QChart()
    chart.setAnimationOptions(QChart.AnimationOption.NoAnimation)
    # The legend is a wrapping row of labels under the chart, which a narrow chart's own
    # legend is not: it cuts the labels short instead.
    chart.legend().hide()
    chart.setMargins(QMargins(4, 4, 4, 4))
    return chart


def _unique_labels(labels: Sequence[str]) -> list[str]:
    # A category axis needs distinct labels; two agents can share a name.
    seen: dict[str, int] = {}
    result = []
    for text in labels:
        short = text if len(text) <= _MAX_LABEL_CHARS else text[: _MAX_LABEL_CHARS - 1] + "…"
        count = seen.get(short, 0) + 1
        seen[short] = count
        result.append(short if count == 1 else f"{short} ({count})")
    return result
