"""Tools › Check a query: paste a details-query body, see its problems and a corrected body.

The check is the domain's `lint_query`; the dialog only parses the JSON and shows the result.
Checking is instant, so it runs on each edit after a short pause.
"""

from __future__ import annotations

import json

from PySide6.QtCore import QTimer
from PySide6.QtGui import QFontDatabase, QGuiApplication
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QPlainTextEdit,
    QPushButton,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from wrapup_desktop.ui.theme import error_stylesheet

EXAMPLE = """{
  "interval": "2026-11-30T00:00:00.000Z/2026-12-01T00:00:00.000Z",
  "order": "asc",
  "orderBy": "conversationStart",
  "paging": {"pageSize": 100, "pageNumber": 1}
}"""
CHECK_DELAY_MS = 300


def issue_text(path: str, message: str, replacement: str) -> str:
    """Write one problem as "• dateFrom: message. Use … instead." for the problem list."""
    sentence = message.rstrip(". ")
    line = f"• {path}: {sentence}." if path else f"• {sentence[:1].upper()}{sentence[1:]}."
    if replacement == "remove it":
        line += " Remove it."
    elif replacement:
        line += f" Use {replacement} instead."
    return line


def _buddy_label(text: str, buddy: QWidget, parent: QWidget) -> QLabel:
    label = QLabel(text, parent)
    label.setBuddy(buddy)
    return label


class LintDialog(QDialog):
    """Checks a pasted details-query body and shows issues and the corrected body."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Check a query")
        self.resize(1000, 640)
        mono = QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont)

        intro = QLabel(
            "Paste the JSON body of a POST /api/v2/analytics/conversations/details/query, "
            "for example from a script or a tutorial. The problems and a corrected body "
            "appear as you type.",
            self,
        )
        intro.setWordWrap(True)
        self.source = QPlainTextEdit(self)
        self.source.setFont(mono)
        self.source.setAccessibleName("Query body")
        self.source.setPlaceholderText(EXAMPLE)
        self.verdict = QLabel("", self)
        self.verdict.setWordWrap(True)
        self.verdict.setAccessibleName("Check result")
        self.issues = QListWidget(self)
        self.issues.setAccessibleName("Problems")
        self.issues.setWordWrap(True)
        self.issues.setMinimumHeight(140)
        # Each problem is one item, spaced apart so a wrapped line stays with its field.
        self.issues.setSpacing(3)
        self.corrected = QPlainTextEdit(self)
        self.corrected.setFont(mono)
        self.corrected.setReadOnly(True)
        self.corrected.setAccessibleName("Corrected body")
        self.copy_button = QPushButton("&Copy", self)
        self.copy_button.setToolTip("Copy the corrected body to the clipboard")
        self.copy_button.setAccessibleName("Copy the corrected body")
        self.copy_button.setEnabled(False)

        left = QWidget(self)
        left_layout = QVBoxLayout(left)
        left_layout.setContentsMargins(0, 0, 0, 0)
        left_layout.addWidget(_buddy_label("&Query body:", self.source, left))
        left_layout.addWidget(self.source)
        right = QWidget(self)
        right_layout = QVBoxLayout(right)
        right_layout.setContentsMargins(0, 0, 0, 0)
        right_layout.addWidget(self.verdict)
        right_layout.addWidget(_buddy_label("&Problems:", self.issues, right))
        right_layout.addWidget(self.issues, 2)
        corrected_row = QHBoxLayout()
        corrected_row.addWidget(_buddy_label("C&orrected body:", self.corrected, right))
        corrected_row.addStretch(1)
        corrected_row.addWidget(self.copy_button)
        right_layout.addLayout(corrected_row)
        right_layout.addWidget(self.corrected, 2)
        split = QSplitter(self)
        split.addWidget(left)
        split.addWidget(right)
        split.setSizes([400, 600])
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addWidget(split, 1)
        layout.addWidget(buttons)

        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(CHECK_DELAY_MS)
        self._timer.timeout.connect(self.check)
        self.source.textChanged.connect(self._timer.start)
        self.copy_button.clicked.connect(self._copy)

    def check(self) -> None:
        """Check the body now and show the result."""
        from wrapup_desktop.domain.querylint import lint_query

        text = self.source.toPlainText().strip()
        self.issues.clear()
        self.corrected.clear()
        self.copy_button.setEnabled(False)
        if not text:
            self.verdict.setStyleSheet("")
            self.verdict.setText("")
            return
        try:
            body = json.loads(text)
        except json.JSONDecodeError as exc:
            self.verdict.setStyleSheet(error_stylesheet())
            self.verdict.setText(
                f"This is not valid JSON: {exc.msg} at line {exc.lineno}, column {exc.colno}. "
                "Paste the whole body, from the first { to the last }."
            )
            return
        result = lint_query(body)
        for issue in result.issues:
            self.issues.addItem(issue_text(issue.path, issue.message, issue.replacement))
        if result.valid:
            self.verdict.setStyleSheet("")
            self.verdict.setText(
                "No problems found. The corrected body below is the same query, formatted."
            )
        else:
            self.verdict.setStyleSheet(error_stylesheet())
            count = len(result.issues)
            self.verdict.setText(f"{count} problem{'s' if count != 1 else ''} found.")
        self.corrected.setPlainText(json.dumps(result.corrected, indent=2, ensure_ascii=False))
        self.copy_button.setEnabled(True)

    def _copy(self) -> None:
        QGuiApplication.clipboard().setText(self.corrected.toPlainText())
