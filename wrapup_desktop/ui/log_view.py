"""View › Log: the application log as it is written, fed by a logging handler.

`QtLogHandler` turns each record into a Qt signal, so records logged from worker threads reach
the view on the GUI thread. The view keeps the last `MAX_LINES` lines.
"""

from __future__ import annotations

import logging

from PySide6.QtCore import QObject, Signal
from PySide6.QtGui import QFontDatabase
from PySide6.QtWidgets import QDialog, QPlainTextEdit, QVBoxLayout, QWidget

MAX_LINES = 5000
_FORMAT = "%(asctime)s %(levelname)-7s %(name)s: %(message)s"


class _Emitter(QObject):
    record = Signal(str)


class QtLogHandler(logging.Handler):
    """A logging handler that emits each formatted record as a Qt signal."""

    def __init__(self, level: int = logging.INFO) -> None:
        super().__init__(level)
        self.emitter = _Emitter()
        self.setFormatter(logging.Formatter(_FORMAT, datefmt="%H:%M:%S"))
        self._lines: list[str] = []

    @property
    def lines(self) -> list[str]:
        """The lines kept so far, so a view opened later shows the earlier records."""
        return list(self._lines)

    def emit(self, record: logging.LogRecord) -> None:
        try:
            line = self.format(record)
        except Exception:  # a broken record must not raise into the code that logged it
            self.handleError(record)
            return
        self._lines.append(line)
        if len(self._lines) > MAX_LINES:
            del self._lines[: len(self._lines) - MAX_LINES]
        self.emitter.record.emit(line)


class LogView(QDialog):
    """A read-only window that shows the log lines and follows new ones."""

    def __init__(self, handler: QtLogHandler, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Log")
        self.resize(900, 420)
        self.text = QPlainTextEdit(self)
        self.text.setReadOnly(True)
        self.text.setMaximumBlockCount(MAX_LINES)
        self.text.setFont(QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont))
        self.text.setAccessibleName("Log lines")
        self.text.setPlainText("\n".join(handler.lines))
        layout = QVBoxLayout(self)
        layout.addWidget(self.text)
        handler.emitter.record.connect(self.append_line)

    def append_line(self, line: str) -> None:
        self.text.appendPlainText(line)
