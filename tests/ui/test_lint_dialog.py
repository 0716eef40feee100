"""The "Check a query" dialog: one readable line per problem and the corrected body."""

from __future__ import annotations

import json

from PySide6.QtGui import QFontDatabase, QGuiApplication
from pytestqt.qtbot import QtBot

from wrapup_desktop.ui.lint_dialog import LintDialog, issue_text


def test_issue_text_separates_field() -> None:
    text = issue_text(
        "dateFrom",
        "the details query has no separate start or end field",
        '"interval": "START/END"',
    )
    assert text == (
        "• dateFrom: the details query has no separate start or end field. "
        'Use "interval": "START/END" instead.'
    )


def test_issue_text_remove_and_no_path() -> None:
    assert issue_text("foo", "is not a field of the details query", "remove it") == (
        "• foo: is not a field of the details query. Remove it."
    )
    assert issue_text("", "the query body must be a JSON object", "") == (
        "• The query body must be a JSON object."
    )


def test_dialog_lists_each_problem(qtbot: QtBot) -> None:
    dialog = LintDialog()
    qtbot.addWidget(dialog)
    body = {"dateFrom": "2026-12-01", "dateTo": "2026-12-02", "paging": {"pageSize": 500}}
    dialog.source.setPlainText(json.dumps(body))
    dialog.check()

    lines = [dialog.issues.item(row).text() for row in range(dialog.issues.count())]
    assert any(line.startswith("• dateFrom: ") for line in lines)
    assert any(line.startswith("• dateTo: ") for line in lines)
    assert all(line.startswith("• ") for line in lines)
    fixed = QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont)
    assert dialog.corrected.font().family() == fixed.family()
    assert dialog.copy_button.isEnabled()
    dialog.copy_button.click()
    assert QGuiApplication.clipboard().text() == dialog.corrected.toPlainText()
    assert json.loads(dialog.corrected.toPlainText())["paging"]["pageSize"] <= 100
