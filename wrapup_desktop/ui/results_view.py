"""The results table with its status chips, search box, column chooser and copy.

`ResultsView` wraps a `ResultsModel` in a `QTableView` and adds the controls an admin uses to
narrow a run down. Each status has a chip with its count. The search box turns green while it
matches rows and red when nothing matches. A chip names the queue, agent, code or day picked on
the summary chart, and a label counts the legs shown. Tab reaches every control, Ctrl+F jumps to
the search, Escape clears it, Ctrl+C copies the selected rows and Enter opens a conversation.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Sequence

from PySide6.QtCore import (
    QByteArray,
    QEvent,
    QItemSelection,
    QModelIndex,
    QObject,
    QPoint,
    Qt,
    QTimer,
    Signal,
)
from PySide6.QtGui import (
    QAction,
    QColor,
    QGuiApplication,
    QIcon,
    QKeyEvent,
    QKeySequence,
    QPixmap,
)
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMenu,
    QPushButton,
    QTableView,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from wrapup_desktop.domain.rows import LegRow, WrapupStatus
from wrapup_desktop.ui import status_style
from wrapup_desktop.ui.flow_layout import FlowWidget
from wrapup_desktop.ui.results_model import COLUMNS, ResultsModel, Role, column_title

log = logging.getLogger(__name__)

DEFAULT_HIDDEN_COLUMNS = frozenset(
    {"queue_id", "agent_id", "participant_id", "conversation_id", "wrapup_note"}
)
DEFAULT_ORDER: tuple[str, ...] = (
    "conversation_start",
    "agent_name",
    "queue_name",
    "wrapup_status",
    "wrapup_code_name",
    "wrapup_reason",
    "acw_seconds",
    "wrapup_code_id",
    "media_type",
    "direction",
    "transfer_seq",
    "wrapup_count",
    "conversation_end",
    "conversation_id",
)
"""The columns as first shown, left to right: what the admin reads first comes first. The model
keeps the CSV order; the others follow in it."""
"""Columns hidden until the admin picks them: the IDs, which are long, and the note."""
REASON_MIN_CHARS = 36
"""The Reason column never fits narrower than this many average characters."""

_DIMENSION_TITLES = {"queue": "Queue", "agent": "Agent", "code": "Code", "day": "Day"}
_SEARCH_OK = {False: "#d9f2e3", True: "#1e4d33"}
_SEARCH_NONE = {False: "#f9d6d0", True: "#5c2320"}
_RESORT_DELAY_MS = 400
_CHIP_STYLE = (
    "QToolButton { padding: 1px 4px; border: 1px solid palette(mid); border-radius: 3px; }"
    "QToolButton:checked { border: 2px solid palette(highlight); font-weight: bold;"
    " background: palette(midlight); }"
)


class ResultsView(QWidget):
    """The filterable, sortable table of every leg of a run."""

    conversationActivated = Signal(str)  # noqa: N815 - Qt signal naming
    """A row was double-clicked or Enter was pressed on it: the conversation ID to open."""
    selectionChanged = Signal()  # noqa: N815 - Qt signal naming

    def __init__(self, model: ResultsModel | None = None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.model = model if model is not None else ResultsModel(parent=self)
        self.search_delay_ms = 150
        self._chips: dict[WrapupStatus, QToolButton] = {}
        self._column_actions: list[QAction] = []

        self.search = QLineEdit(self)
        self.search.setPlaceholderText("Search agent, queue, code, conversation ID or reason")
        self.search.setClearButtonEnabled(True)
        self.search.setAccessibleName("Search the results")
        self.search.setToolTip(
            "Shows the legs whose agent, queue, code, conversation ID or reason contains this "
            "text, ignoring case and accents."
        )
        self.search.setMinimumWidth(160)
        self._search_timer = QTimer(self)
        self._search_timer.setSingleShot(True)
        self._search_timer.timeout.connect(self._apply_search)
        self.search.textChanged.connect(self._on_search_edited)

        # A push button leaves room for its menu arrow, while a tool button draws it over the text.
        self.columns_button = QPushButton("Columns", self)
        self.columns_button.setAccessibleName("Choose the columns shown")
        self.columns_button.setToolTip("Show or hide columns")
        self.columns_menu = QMenu(self.columns_button)
        self.columns_button.setMenu(self.columns_menu)

        self.clear_button = QToolButton(self)
        self.clear_button.setText("Clear filters")
        self.clear_button.setAccessibleName("Clear every filter")
        self.clear_button.clicked.connect(self.clear_filters)

        self.dimension_chip = QToolButton(self)
        self.dimension_chip.setAccessibleName("Remove the chart filter")
        self.dimension_chip.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
        self.dimension_chip.clicked.connect(self._clear_dimension)
        self.dimension_chip.hide()

        self.count_label = QLabel(self)
        self.count_label.setAccessibleName("Rows shown")
        self.count_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)

        self.table = QTableView(self)
        self.table.setAccessibleName("Results")
        self._setup_table()
        self._setup_columns_menu()
        self.empty_label = QLabel(self.table.viewport())
        self.empty_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.empty_label.setWordWrap(True)
        self.empty_label.setAccessibleName("Why the table is empty")
        self.table.viewport().installEventFilter(self)
        self._reason_fits = True
        """True until the admin resizes the Reason column by hand, which then keeps that width."""
        self._fitting_reason = False
        self.table.horizontalHeader().sectionResized.connect(self._on_section_resized)

        # The search box takes the first line; the buttons and the status chips wrap below it,
        # so nothing overlaps in a narrow window.
        top = QHBoxLayout()
        top.addWidget(self.search, 1)
        top.addWidget(self.count_label)
        chip_bar = FlowWidget(spacing=4)
        chips = chip_bar.flow
        chips.addWidget(self.dimension_chip)
        chips.addWidget(self.clear_button)
        chips.addWidget(self.columns_button)
        for status in status_style.STATUS_ORDER:
            chip = self._make_chip(status)
            self._chips[status] = chip
            chips.addWidget(chip)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(top)
        layout.addWidget(chip_bar)
        layout.addWidget(self.table, 1)

        self._resort_timer = QTimer(self)
        self._resort_timer.setSingleShot(True)
        self._resort_timer.setInterval(_RESORT_DELAY_MS)
        self._resort_timer.timeout.connect(self._refresh_sort)
        self.model.sortStaleChanged.connect(self._on_sort_stale)
        self.model.statsChanged.connect(self._update_stats)
        self.model.modelReset.connect(self._update_stats)
        self._update_stats()

    # Setup -------------------------------------------------------------------------------

    def _setup_table(self) -> None:
        table = self.table
        table.setModel(self.model)
        table.setWordWrap(False)
        table.setAlternatingRowColors(True)
        table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        table.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        table.setHorizontalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
        table.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        table.customContextMenuRequested.connect(self._show_context_menu)
        table.activated.connect(self._on_activated)
        vertical = table.verticalHeader()
        vertical.setVisible(False)
        # Fixed, uniform row heights keep scrolling through a million rows fast.
        vertical.setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        vertical.setDefaultSectionSize(table.fontMetrics().height() + 8)
        header = table.horizontalHeader()
        header.setSectionsMovable(True)
        header.setHighlightSections(False)
        header.setStretchLastSection(False)
        header.setSortIndicator(COLUMNS.index("conversation_start"), Qt.SortOrder.AscendingOrder)
        table.setSortingEnabled(True)
        self._set_default_widths()
        self._arrange_default_columns()
        selection = table.selectionModel()
        selection.selectionChanged.connect(self._on_selection_changed)

        copy = QAction("Copy", self)
        copy.setShortcut(QKeySequence.StandardKey.Copy)
        copy.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        copy.triggered.connect(self.copy_selection)
        table.addAction(copy)
        self._copy_action = copy

        find = QAction("Find", self)
        find.setShortcut(QKeySequence.StandardKey.Find)
        find.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        find.triggered.connect(self._focus_search)
        self.addAction(find)
        self.search.installEventFilter(self)

    def _set_default_widths(self) -> None:
        metrics = self.table.fontMetrics()
        samples = {
            "conversation_id": "0000000000000000000000000000000000000",
            "conversation_start": "2026-11-02 09:15:00+01:00",
            "conversation_end": "2026-11-02 09:15:00+01:00",
            "media_type": "callback",
            "direction": "outbound",
            "queue_name": "Outbound Collections",
            "agent_name": "Firstname Lastname",
            "wrapup_status": "◷ Not connected",
            "wrapup_code_id": "ININ-WRAP-UP-TIMEOUT",
            "wrapup_code_name": "Customer unreachable",
            "wrapup_count": "Codes",
            "acw_seconds": "ACW (s) ",
            "transfer_seq": "Leg ",
            "wrapup_reason": "x" * 70,
        }
        header = self.table.horizontalHeader()
        for column, name in enumerate(COLUMNS):
            sample = samples.get(name, "0000000000000000000000000000")
            width = metrics.horizontalAdvance(sample) + 24
            header.resizeSection(column, max(width, metrics.horizontalAdvance("Status") + 40))

    def _setup_columns_menu(self) -> None:
        header = self.table.horizontalHeader()
        for column, _name in enumerate(COLUMNS):
            action = QAction(column_title(column), self.columns_menu)
            action.setCheckable(True)
            action.setChecked(not header.isSectionHidden(column))
            action.toggled.connect(
                lambda checked, c=column: self.table.horizontalHeader().setSectionHidden(
                    c, not checked
                )
            )
            self.columns_menu.addAction(action)
            self._column_actions.append(action)
        self.columns_menu.addSeparator()
        reset = self.columns_menu.addAction("Reset columns")
        reset.triggered.connect(self.reset_columns)

    def _make_chip(self, status: WrapupStatus) -> QToolButton:
        chip = QToolButton(self)
        chip.setCheckable(True)
        chip.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        chip.setIcon(_swatch(status_style.solid_color(status)))
        chip.setToolTip(
            f"{status_style.label(status)}: {status_style.explanation(status)}\n"
            "Click to show only legs with this status; click more chips to add statuses."
        )
        chip.setStyleSheet(_CHIP_STYLE)
        chip.toggled.connect(self._on_chip_toggled)
        return chip

    # Public API --------------------------------------------------------------------------

    def set_rows(self, rows: Sequence[LegRow]) -> None:
        self.model.set_rows(rows)

    def append_rows(self, rows: Sequence[LegRow]) -> None:
        self.model.append_rows(rows)

    def clear(self) -> None:
        self.model.clear()

    def apply_filter(self, dimension: str, key: str, status: WrapupStatus | None) -> None:
        """Show the legs of one queue, agent, code or day, optionally of one status.

        The summary chart calls this when a bar is clicked. It replaces the search and any
        earlier chart filter, so the table shows exactly the legs that the bar counted.
        """
        statuses = {status} if status is not None else set()
        self._set_search_text("")
        self._set_checked_statuses(statuses)
        self.model.set_filters(statuses=statuses, text="", dimensions={dimension: key})

    def clear_filters(self) -> None:
        """Remove the search, the chart filter and every status chip."""
        self._set_search_text("")
        self._set_checked_statuses(set())
        self.model.clear_filters()

    def column_state(self) -> bytes:
        """Return the column order, widths and visibility, for the settings."""
        return bytes(self.table.horizontalHeader().saveState().data())

    def restore_column_state(self, state: bytes) -> bool:
        """Restore what `column_state` returned; False when the state does not fit."""
        header = self.table.horizontalHeader()
        restored = header.restoreState(QByteArray(state))
        if not restored:
            log.warning(
                "The saved column layout (%d bytes) did not fit; kept the default", len(state)
            )
        self._sync_column_actions()
        header.setSortIndicator(self.model.sort_column, self.model.sort_order)
        return restored

    def reset_columns(self) -> None:
        self._arrange_default_columns()
        self._set_default_widths()
        self._sync_column_actions()
        self._reason_fits = True
        self.fit_reason_column()

    def fit_reason_column(self) -> None:
        """Widen or narrow the Reason column to end at the table's right edge.

        The columns after it stay reachable by scrolling. Once the admin resizes the Reason
        column by hand, it keeps their width.
        """
        header = self.table.horizontalHeader()
        reason = COLUMNS.index("wrapup_reason")
        if not self._reason_fits or header.isSectionHidden(reason):
            return
        before = sum(
            header.sectionSize(column)
            for column in range(len(COLUMNS))
            if not header.isSectionHidden(column)
            and header.visualIndex(column) < header.visualIndex(reason)
        )
        minimum = self.table.fontMetrics().averageCharWidth() * REASON_MIN_CHARS
        width = max(minimum, self.table.viewport().width() - before)
        if width != header.sectionSize(reason):
            self._fitting_reason = True
            header.resizeSection(reason, width)
            self._fitting_reason = False

    def _on_section_resized(self, column: int, _old: int, _new: int) -> None:
        if column == COLUMNS.index("wrapup_reason") and not self._fitting_reason:
            self._reason_fits = False

    def _arrange_default_columns(self) -> None:
        header = self.table.horizontalHeader()
        order = [*DEFAULT_ORDER, *(name for name in COLUMNS if name not in DEFAULT_ORDER)]
        for visual, name in enumerate(order):
            column = COLUMNS.index(name)
            header.moveSection(header.visualIndex(column), visual)
            header.setSectionHidden(column, name in DEFAULT_HIDDEN_COLUMNS)

    def selected_source_rows(self) -> list[int]:
        """Return the source rows of the selected table rows, in table order."""
        # The selection's ranges, not selectedRows(): that one tests every row and took 11 s
        # for 100,000 selected rows.
        rows: set[int] = set()
        selection = self.table.selectionModel().selection()
        for number in range(selection.count()):
            selected = selection.at(number)
            rows.update(range(selected.top(), selected.bottom() + 1))
        return [self.model.source_row(row) for row in sorted(rows)]

    def selected_rows(self) -> list[LegRow]:
        return [self.model.leg_row(source) for source in self.selected_source_rows()]

    def current_conversation_id(self) -> str | None:
        index = self.table.currentIndex()
        if not index.isValid():
            return None
        value = index.data(Role.CONVERSATION_ID)
        return str(value) if value else None

    def selection_as_tsv(self) -> str:
        """Return the selected rows as tab-separated text with a header line.

        The shown columns come in table order. The conversation ID is added last when its
        column is hidden, so each copied row can be looked up in Genesys.
        """
        header = self.table.horizontalHeader()
        columns = [
            header.logicalIndex(visual)
            for visual in range(header.count())
            if not header.isSectionHidden(header.logicalIndex(visual))
        ]
        conversation = COLUMNS.index("conversation_id")
        if conversation not in columns:
            columns.append(conversation)
        lines = ["\t".join(COLUMNS[column] for column in columns)]
        for source in self.selected_source_rows():
            cells = (_tsv_cell(self.model.cell_text(source, column)) for column in columns)
            lines.append("\t".join(cells))
        return "\n".join(lines) + "\n"

    def copy_selection(self) -> None:
        """Copy the selected rows to the clipboard as tab-separated text."""
        if not self.table.selectionModel().hasSelection():
            return
        QGuiApplication.clipboard().setText(self.selection_as_tsv())

    def copy_conversation_id(self) -> None:
        conversation_id = self.current_conversation_id()
        if conversation_id:
            QGuiApplication.clipboard().setText(conversation_id)

    # Slots -------------------------------------------------------------------------------

    def _on_search_edited(self, _text: str) -> None:
        if self.search_delay_ms <= 0:
            self._apply_search()
        else:
            self._search_timer.start(self.search_delay_ms)

    def _apply_search(self) -> None:
        self._search_timer.stop()
        self.model.set_text_filter(self.search.text())
        self._update_search_state()

    def _set_search_text(self, text: str) -> None:
        self._search_timer.stop()
        self.search.blockSignals(True)
        self.search.setText(text)
        self.search.blockSignals(False)

    def _on_chip_toggled(self, _checked: bool) -> None:
        statuses = {status for status, chip in self._chips.items() if chip.isChecked()}
        self.model.set_status_filter(statuses or None)

    def _set_checked_statuses(self, statuses: set[WrapupStatus]) -> None:
        for status, chip in self._chips.items():
            chip.blockSignals(True)
            chip.setChecked(status in statuses)
            chip.blockSignals(False)

    def _clear_dimension(self) -> None:
        for dimension in list(self.model.dimension_filters):
            self.model.set_dimension_filter(dimension, None)

    def _refresh_sort(self) -> None:
        # Re-sorting a million rows takes about a second. Waiting three times as long as the
        # last re-sort keeps the table usable while rows arrive.
        started = time.perf_counter()
        self.model.refresh_sort()
        elapsed_ms = (time.perf_counter() - started) * 1000
        self._resort_timer.setInterval(max(_RESORT_DELAY_MS, round(3 * elapsed_ms)))

    def _focus_search(self) -> None:
        self.search.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.search.selectAll()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802
        if watched is self.table.viewport() and event.type() == QEvent.Type.Resize:
            self.empty_label.setGeometry(self.table.viewport().rect().adjusted(24, 24, -24, -24))
            self.fit_reason_column()
        # Escape in the search box clears it, as in most search fields.
        if (
            watched is self.search
            and event.type() == QEvent.Type.KeyPress
            and isinstance(event, QKeyEvent)
            and event.key() == Qt.Key.Key_Escape
            and self.search.text()
        ):
            self.search.clear()
            return True
        return super().eventFilter(watched, event)

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802
        if event.type() in (QEvent.Type.PaletteChange, QEvent.Type.ApplicationPaletteChange):
            # Follow a switch between the system's light and dark appearance.
            dark = status_style.is_dark_palette(self.palette())
            for status, chip in self._chips.items():
                chip.setIcon(_swatch(status_style.solid_color(status, dark)))
            self.search.setProperty("matchState", None)
            self._update_search_state()
            self.table.viewport().update()
        super().changeEvent(event)

    def _on_sort_stale(self, stale: bool) -> None:
        if stale:
            self._resort_timer.start()

    def _on_activated(self, index: QModelIndex) -> None:
        conversation_id = index.data(Role.CONVERSATION_ID)
        if conversation_id:
            self.conversationActivated.emit(str(conversation_id))

    def _on_selection_changed(
        self, _selected: QItemSelection, _deselected: QItemSelection
    ) -> None:
        self.selectionChanged.emit()

    def context_menu(self) -> QMenu:
        """Build the row menu; its actions apply to the current row, which a right-click sets."""
        has_row = self.table.currentIndex().isValid()
        menu = QMenu(self)
        menu.addAction(self._copy_action)
        copy_id = menu.addAction("Copy conversation ID")
        copy_id.triggered.connect(self.copy_conversation_id)
        timeline = menu.addAction("Show timeline")
        timeline.triggered.connect(lambda: self._on_activated(self.table.currentIndex()))
        copy_id.setEnabled(has_row)
        timeline.setEnabled(has_row)
        return menu

    def _show_context_menu(self, position: QPoint) -> None:
        self.context_menu().exec(self.table.viewport().mapToGlobal(position))

    def _update_stats(self) -> None:
        totals = self.model.status_counts("all")
        facets = self.model.status_counts("facet")
        for status, chip in self._chips.items():
            count = facets[status]
            chip.setText(f"{status_style.marked_label(status)}  {count:,}")
            chip.setAccessibleName(f"{status_style.label(status)}: {count:,} legs")
            chip.setVisible(totals[status] > 0 or chip.isChecked())
        shown = self.model.visible_count()
        total = self.model.row_count_total()
        if total == 0:
            text = "No legs loaded"
        elif shown == 0:
            text = f"No rows match ({total:,} legs loaded)"
        else:
            text = f"{shown:,} of {total:,} legs shown"
        self.count_label.setText(text)
        self.empty_label.setText(self._empty_text(total) if shown == 0 else "")
        self.empty_label.setVisible(shown == 0)
        self._update_dimension_chip()
        self._update_search_state()

    def _empty_text(self, total: int) -> str:
        if total == 0:
            return "No legs loaded yet."
        parts = []
        if self.model.text_filter:
            parts.append(f"the search “{self.search.text().strip()}”")
        statuses = self.model.status_filter
        if statuses:
            names = [status_style.label(s) for s in status_style.STATUS_ORDER if s in statuses]
            parts.append(f"status {' or '.join(names)}")
        for dimension, key in self.model.dimension_filters.items():
            name = self.model.dimension_label(dimension, key) or "(none)"
            parts.append(f"{_DIMENSION_TITLES[dimension].lower()} {name}")
        return (
            f"None of the {total:,} legs match {' and '.join(parts)}.\n"
            "Change the filters, or press Clear filters to see every leg."
        )

    def _update_dimension_chip(self) -> None:
        filters = self.model.dimension_filters
        if not filters:
            self.dimension_chip.hide()
            return
        parts = []
        for dimension, key in filters.items():
            name = self.model.dimension_label(dimension, key) or "(none)"
            parts.append(f"{_DIMENSION_TITLES[dimension]}: {name}")
        self.dimension_chip.setText(f"{', '.join(parts)}  ✕")
        self.dimension_chip.setToolTip("Click to remove this filter from the summary chart")
        self.dimension_chip.show()

    def _update_search_state(self) -> None:
        if not self.model.text_filter or self._search_timer.isActive():
            state = ""
        elif self.model.visible_count() > 0:
            state = "match"
        else:
            state = "nomatch"
        if self.search.property("matchState") == state:
            return
        self.search.setProperty("matchState", state)
        dark = status_style.is_dark_palette(self.palette())
        if state == "match":
            self.search.setStyleSheet(f"QLineEdit {{ background: {_SEARCH_OK[dark]}; }}")
            self.search.setAccessibleDescription("Rows match")
        elif state == "nomatch":
            self.search.setStyleSheet(f"QLineEdit {{ background: {_SEARCH_NONE[dark]}; }}")
            self.search.setAccessibleDescription("No rows match")
        else:
            self.search.setStyleSheet("")
            self.search.setAccessibleDescription("")

    def _sync_column_actions(self) -> None:
        header = self.table.horizontalHeader()
        for column, action in enumerate(self._column_actions):
            action.blockSignals(True)
            action.setChecked(not header.isSectionHidden(column))
            action.blockSignals(False)


def _swatch(color: QColor) -> QIcon:
    pixmap = QPixmap(12, 12)
    pixmap.fill(color)
    return QIcon(pixmap)


def _tsv_cell(text: str) -> str:
    return text.replace("\t", " ").replace("\r", " ").replace("\n", " ")
