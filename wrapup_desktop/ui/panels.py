"""The results, summary, diagnosis and detail views, and the calls the window makes on them.

Those views live in their own modules (`results_view`, `summary_view`, `diagnosis_view`,
`detail_dialog`). This module builds them and hides the few calls the window needs behind
plain functions. While a module is missing from a checkout, a small stand-in takes its place so
the window still opens; the stand-ins show the rows without chips, charts or timelines.
"""

from __future__ import annotations

import importlib
import json
import logging
from collections.abc import Callable, Sequence
from typing import Any
from zoneinfo import ZoneInfo

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QDialog,
    QLabel,
    QPlainTextEdit,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from wrapup_desktop.domain.rows import LegRow, WrapupStatus

logger = logging.getLogger(__name__)


def _load(module: str, name: str) -> Any | None:
    try:
        loaded = importlib.import_module(f"wrapup_desktop.ui.{module}")
    except ImportError as exc:
        # NOTE: only a partial checkout lacks these modules; the stand-ins below are minimal.
        logger.warning("View %s.%s not available (%s); using a stand-in", module, name, exc)
        return None
    return getattr(loaded, name, None)


# Stand-ins ---------------------------------------------------------------------------------


class _StandInResults(QWidget):
    conversationActivated = Signal(str)  # noqa: N815 - Qt signal naming

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        from wrapup_desktop.ui.results_model import ResultsModel

        self.model = ResultsModel(parent=self)
        self.table = QTableView(self)
        self.table.setModel(self.model)
        self.table.setAccessibleName("Results")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.table)
        self.table.doubleClicked.connect(self._activated)

    def _activated(self, index: Any) -> None:
        row = self.model.leg_row(self.model.source_row(index.row()))
        self.conversationActivated.emit(row.conversation_id)

    def append_rows(self, rows: Sequence[LegRow]) -> None:
        self.model.append_rows(rows)

    def set_rows(self, rows: Sequence[LegRow]) -> None:
        self.model.set_rows(rows)

    def clear(self) -> None:
        self.model.clear()

    def apply_filter(self, dimension: str, key: str, status: object) -> None:
        self.model.set_dimension_filter(dimension, key)


class _StandInSummary(QLabel):
    filterRequested = Signal(str, str, object)  # noqa: N815 - Qt signal naming

    def set_rows(self, rows: Sequence[LegRow], tz: ZoneInfo) -> None:
        self.setText(f"{len(rows)} rows")


class _StandInDiagnosis(QLabel):
    def set_findings(self, findings: Sequence[Any]) -> None:
        self.setText("\n\n".join(f"{f.title}: {f.evidence} {f.action}" for f in findings))
        self.setWordWrap(True)


class _StandInDetail(QDialog):
    def __init__(
        self,
        conversation: Any,
        rows: Sequence[LegRow],
        tz: ZoneInfo,
        raw_json: str | None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle("Conversation")
        text = QPlainTextEdit(self)
        text.setReadOnly(True)
        text.setPlainText(raw_json or json.dumps([r.wrapup_reason for r in rows], indent=2))
        QVBoxLayout(self).addWidget(text)


# Builders ----------------------------------------------------------------------------------


def make_results_view(parent: QWidget) -> Any:
    cls = _load("results_view", "ResultsView") or _StandInResults
    return cls(parent=parent)


def make_summary_view(parent: QWidget) -> Any:
    cls = _load("summary_view", "SummaryView") or _StandInSummary
    return cls(parent=parent)


def make_diagnosis_view(parent: QWidget) -> Any:
    cls = _load("diagnosis_view", "DiagnosisView") or _StandInDiagnosis
    return cls(parent=parent)


def make_detail_dialog(
    conversation: Any, rows: Sequence[LegRow], tz: ZoneInfo, raw_json: str | None, parent: QWidget
) -> QDialog:
    cls = _load("detail_dialog", "DetailDialog") or _StandInDetail
    dialog: QDialog = cls(conversation, rows, tz, raw_json, parent)
    return dialog


# Calls -------------------------------------------------------------------------------------


def connect_activation(results: Any, slot: Callable[[str], object]) -> None:
    results.conversationActivated.connect(slot)


def connect_summary_filter(summary: Any, slot: Callable[[str, str, object], None]) -> None:
    signal = getattr(summary, "filterRequested", None)
    if signal is not None:
        signal.connect(slot)


def results_model(results: Any) -> Any | None:
    """Return the results table's `ResultsModel`, or None when the view has none."""
    model = getattr(results, "model", None)
    if callable(model):
        model = model()
    return model if hasattr(model, "status_counts") else None


def status_filter(results: Any) -> frozenset[WrapupStatus] | None:
    """Return the statuses the chips show now; None when every status is shown."""
    model = results_model(results)
    if model is None:
        return None
    statuses = model.status_filter
    return frozenset(statuses) if statuses is not None else None


def set_time_zone(results: Any, tz: ZoneInfo) -> None:
    model = results_model(results)
    if model is not None:
        model.set_time_zone(tz)


def column_state(results: Any) -> bytes | None:
    getter = getattr(results, "column_state", None)
    if getter is None:
        return None
    state = getter()
    return bytes(state) if state else None


def restore_columns(results: Any, state: bytes) -> None:
    restore = getattr(results, "restore_column_state", None)
    if restore is None:
        return
    try:
        restore(state)
    except (ValueError, TypeError) as exc:
        logger.info("Saved column layout not restored: %s", exc)
