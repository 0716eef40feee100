"""The work page: range and filters on the left; progress, results and summary on the right.

The main window builds it on first use (after sign-in or when a file is opened), so the
window opens before the results table, the charts and the time zone list are loaded.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QResizeEvent
from PySide6.QtWidgets import QScrollArea, QSplitter, QTabWidget, QVBoxLayout, QWidget

from wrapup_desktop.ui.controller import Controller
from wrapup_desktop.ui.diagnosis_view import DiagnosisView
from wrapup_desktop.ui.progress_panel import ProgressPanel
from wrapup_desktop.ui.range_view import RangeView
from wrapup_desktop.ui.results_view import ResultsView
from wrapup_desktop.ui.summary_view import SummaryView

LEFT_WIDTH = 280
"""The range view's width when the work page first shows, in pixels."""
LEFT_MIN_WIDTH = 220
NARROW_WINDOW_WIDTH = 1100
"""Below this width the range view starts at its minimum width."""


class Workspace(QSplitter):
    """Holds the range view, the progress panel and the results and summary tabs."""

    def __init__(self, controller: Controller, zone: str | None, parent: QWidget) -> None:
        super().__init__(Qt.Orientation.Horizontal, parent)
        self.range_view = RangeView(clock=controller.clock, zone=zone, parent=self)
        self.progress = ProgressPanel(parent=self)
        self.results = ResultsView(parent=self)
        self.summary = SummaryView(self)
        self.diagnosis = DiagnosisView(self)

        self.tabs = QTabWidget(self)
        self.tabs.setAccessibleName("Results and summary")
        self.tabs.addTab(self.results, "&Results")
        summary_split = QSplitter(Qt.Orientation.Horizontal, self)
        # In a small window the summary scrolls instead of drawing the chart over its legend.
        summary_scroll = QScrollArea(self)
        summary_scroll.setWidget(self.summary)
        summary_scroll.setWidgetResizable(True)
        summary_scroll.setFrameShape(QScrollArea.Shape.NoFrame)
        summary_split.addWidget(summary_scroll)
        summary_split.addWidget(self.diagnosis)
        summary_split.setStretchFactor(0, 3)
        summary_split.setStretchFactor(1, 2)
        self.tabs.addTab(summary_split, "S&ummary")

        right = QWidget(self)
        right_layout = QVBoxLayout(right)
        right_layout.setContentsMargins(4, 4, 4, 4)
        right_layout.addWidget(self.progress)
        right_layout.addWidget(self.tabs, 1)
        # The range view scrolls its own fields and keeps "Get conversations" pinned below.
        # The left pane gives way first in a narrow window, and dragging the handle to the
        # left edge collapses it.
        self.range_view.setMinimumWidth(LEFT_MIN_WIDTH)
        self.addWidget(self.range_view)
        self.addWidget(right)
        self.setStretchFactor(0, 0)
        self.setStretchFactor(1, 1)
        self.setCollapsible(0, True)
        self.setCollapsible(1, False)
        self.setSizes([LEFT_WIDTH, 960])
        self._narrowed = False

    def resizeEvent(self, event: QResizeEvent) -> None:  # noqa: N802
        """Narrow the range view once when the window is small, to leave room for the table."""
        super().resizeEvent(event)
        if self._narrowed or event.size().width() >= NARROW_WINDOW_WIDTH:
            return
        self._narrowed = True
        sizes = self.sizes()
        if len(sizes) == 2 and sizes[0] > LEFT_MIN_WIDTH:
            self.setSizes([LEFT_MIN_WIDTH, sum(sizes) - LEFT_MIN_WIDTH])
