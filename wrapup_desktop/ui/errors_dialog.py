"""Error dialogs, and the exception hook that keeps the window open after a bug.

The message of a `WrapUpError` already states what happened and what to do. The dialog shows it
and keeps `details` behind "Show Details…". Any other exception is a bug: the hook logs its
traceback and shows a dialog that names the log folder, instead of letting the process die.
qasync passes exceptions raised in `@asyncSlot` coroutines to `sys.excepthook`, so the hook
covers async work too.
"""

from __future__ import annotations

import logging
import sys
from collections.abc import Callable
from types import TracebackType

from PySide6.QtWidgets import QMessageBox, QWidget

from wrapup_desktop.errors import WrapUpError

logger = logging.getLogger(__name__)

DIALOG_TITLE = "WrapUp Desktop"


def error_text(error: BaseException) -> tuple[str, str]:
    """Return the message and the details of an error as the dialog shows them."""
    if isinstance(error, WrapUpError):
        return error.message, error.details
    message = (
        f"Something unexpected went wrong: {type(error).__name__}: {error}. "
        "What was fetched so far is kept. Try again; if it happens again, send the log file "
        "(Help › Open log folder) to whoever supports WrapUp Desktop for you."
    )
    return message, ""


def make_error_dialog(
    error: BaseException, parent: QWidget | None = None, *, details_extra: str = ""
) -> QMessageBox:
    """Build a dialog for an error; the caller shows it with `open()` or `exec()`."""
    message, details = error_text(error)
    box = QMessageBox(parent)
    box.setWindowTitle(DIALOG_TITLE)
    box.setIcon(
        QMessageBox.Icon.Warning if isinstance(error, WrapUpError) else QMessageBox.Icon.Critical
    )
    box.setText(message)
    box.setAccessibleName("Error")
    full_details = "\n\n".join(part for part in (details, details_extra) if part)
    if full_details:
        box.setDetailedText(full_details)
    box.setStandardButtons(QMessageBox.StandardButton.Ok)
    return box


def show_error(error: BaseException, parent: QWidget | None = None) -> QMessageBox:
    """Show an error dialog without blocking the event loop, and return it."""
    box = make_error_dialog(error, parent)
    box.open()
    return box


ExceptHook = Callable[[type[BaseException], BaseException, TracebackType | None], object]


class ExceptionHook:
    """A `sys.excepthook` that logs an unexpected exception and shows it in a dialog.

    `parent` returns the window to attach dialogs to. The details name `log_folder`, where the
    traceback was written. The dialogs shown are kept in `dialogs` (tests
    read them; at most the last ten are kept).
    """

    def __init__(self, parent: Callable[[], QWidget | None], log_folder: str = "") -> None:
        self._parent = parent
        self._log_folder = log_folder
        self._previous: ExceptHook | None = None
        self.dialogs: list[QMessageBox] = []

    def install(self) -> None:
        self._previous = sys.excepthook
        sys.excepthook = self

    def uninstall(self) -> None:
        if sys.excepthook is self and self._previous is not None:
            sys.excepthook = self._previous

    def __call__(
        self,
        exc_type: type[BaseException],
        exc: BaseException,
        tb: TracebackType | None,
    ) -> None:
        if issubclass(exc_type, KeyboardInterrupt) and self._previous is not None:
            self._previous(exc_type, exc, tb)
            return
        if isinstance(exc, WrapUpError):
            logger.error("%s", exc.message)
        else:
            logger.error("Unexpected error", exc_info=(exc_type, exc, tb))
        extra = f"The log folder is {self._log_folder}." if self._log_folder else ""
        try:
            box = make_error_dialog(exc, self._parent(), details_extra=extra)
            box.open()
        except Exception:  # the hook must not raise while reporting an error
            logger.exception("Could not show the error dialog")
            return
        self.dialogs = [*self.dialogs[-9:], box]
