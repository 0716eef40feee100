"""Progress of a run: slices, pages, conversations, time, rate-limit waits, Cancel and Resume.

The panel follows the engine's `ProgressEvent`s. A "wait" event shows its length and cause
until the next event arrives. After a partial run, a banner names the missing days and offers
Resume.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import QTimer, Signal
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QLabel,
    QProgressBar,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from wrapup_desktop.ui.theme import banner_stylesheet

if TYPE_CHECKING:
    from wrapup_desktop.genesys import ProgressEvent
    from wrapup_desktop.ui.controller import RunSummary


def plural(count: int, one: str, many: str | None = None) -> str:
    """Return "1 time", "2 times" or "1,200 conversations", with thousands separators."""
    word = one if count == 1 else (many or one + "s")
    return f"{count:,} {word}"


def is_rate_limit(reason: str) -> bool:
    """Return whether a wait comes from Genesys's rate limit (HTTP 429 or rate-limit headers)."""
    lowered = reason.lower()
    return "rate limit" in lowered or "429" in lowered


def is_retry(reason: str) -> bool:
    """Return whether a wait comes before a request is sent again after a network or server error.

    Other waits, such as polling an analytics job, are neither retries nor rate limits.
    """
    return "retr" in reason.lower()


class WaitClock:
    """Wall-clock time during which at least one wait was active.

    Requests run side by side, so several waits often overlap. Summing them would count the
    same seconds several times, so `add` counts only the part of a wait past the latest end so far.
    """

    def __init__(self) -> None:
        self.total_s = 0.0
        self._until: float | None = None

    def add(self, now: float, wait_s: float) -> None:
        end = now + max(0.0, wait_s)
        if self._until is None or now >= self._until:
            self.total_s += end - now
            self._until = end
        elif end > self._until:
            self.total_s += end - self._until
            self._until = end


def format_duration(seconds: float) -> str:
    """Return "1:05" for 65 s and "1:02:03" past an hour."""
    total = max(0, round(seconds))
    hours, rest = divmod(total, 3600)
    minutes, secs = divmod(rest, 60)
    if hours:
        return f"{hours}:{minutes:02d}:{secs:02d}"
    return f"{minutes}:{secs:02d}"


class ProgressPanel(QWidget):
    """Shows how far a run is, and lets a person cancel it or resume a partial one."""

    cancelRequested = Signal()  # noqa: N815 - Qt signal naming
    resumeRequested = Signal()  # noqa: N815 - Qt signal naming

    def __init__(
        self, *, clock: Callable[[], float] = time.monotonic, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self._clock = clock
        self._started: float | None = None
        self._last_event: ProgressEvent | None = None
        self.wait_count = 0
        """Number of waits that Genesys's rate limit requested in this run."""
        self._rate_waits = WaitClock()
        self.retry_count = 0
        """Number of requests sent again after a network error or a server error."""

        self.status = QLabel("Choose the days and press Get conversations.", self)
        self.status.setAccessibleName("Run status")
        self.status.setWordWrap(True)
        self.bar = QProgressBar(self)
        self.bar.setAccessibleName("Run progress")
        self.bar.setRange(0, 1)
        self.bar.setValue(0)
        self.bar.setTextVisible(True)
        self.bar.hide()  # shown once a run starts
        self.counts = QLabel("", self)
        self.counts.setAccessibleName("Pages and conversations")
        self.timing = QLabel("", self)
        self.timing.setAccessibleName("Elapsed and remaining time")
        self.wait_label = QLabel("", self)
        self.wait_label.setAccessibleName("Rate-limit wait")
        self.wait_label.setWordWrap(True)
        self.wait_label.hide()
        self.cancel_button = QPushButton("&Cancel", self)
        self.cancel_button.setAccessibleName("Cancel the run")
        self.cancel_button.setEnabled(False)

        self.banner = QFrame(self)
        self.banner.setStyleSheet(banner_stylesheet())
        self.banner_label = QLabel(self.banner)
        self.banner_label.setWordWrap(True)
        self.banner_label.setAccessibleName("Missing days")
        self.resume_button = QPushButton("&Resume", self.banner)
        self.resume_button.setAccessibleName("Resume the missing days")
        banner_layout = QHBoxLayout(self.banner)
        banner_layout.setContentsMargins(8, 4, 8, 4)
        banner_layout.addWidget(self.banner_label, 1)
        banner_layout.addWidget(self.resume_button)
        self.banner.hide()

        top = QHBoxLayout()
        top.addWidget(self.status, 1)
        top.addWidget(self.cancel_button)
        details = QHBoxLayout()
        details.addWidget(self.counts)
        details.addStretch(1)
        details.addWidget(self.timing)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(top)
        layout.addWidget(self.bar)
        layout.addLayout(details)
        layout.addWidget(self.wait_label)
        layout.addWidget(self.banner)

        self._tick = QTimer(self)
        self._tick.setInterval(1000)
        self._tick.timeout.connect(self._update_timing)
        self.cancel_button.clicked.connect(self._cancel_clicked)
        self.resume_button.clicked.connect(self.resumeRequested)

    # Run lifecycle -------------------------------------------------------------------------

    def start(self) -> None:
        self._started = self._clock()
        self._last_event = None
        self.wait_count = 0
        self._rate_waits = WaitClock()
        self.retry_count = 0
        self.status.setText("Starting…")
        self.bar.show()
        self.bar.setRange(0, 0)
        self.counts.setText("")
        self.wait_label.hide()
        self.banner.hide()
        self.cancel_button.setEnabled(True)
        self.cancel_button.setText("&Cancel")
        self._tick.start()
        self._update_timing()

    def update_event(self, event: ProgressEvent) -> None:
        """Show one engine event."""
        if event.kind == "lookup":
            # Name lookups after the fetch carry no page or slice counts.
            self.status.setText(event.message)
            return
        self._last_event = event
        if event.slices_total:
            self.bar.setRange(0, event.slices_total)
            self.bar.setValue(event.slices_done)
            self.bar.setFormat(
                f"{event.slices_done:,} of {event.slices_total:,} days or parts done"
            )
        pages = f"Pages: {event.pages_done:,}"
        if event.pages_total:
            pages += f" of {event.pages_total:,}"
        self.counts.setText(f"{pages}   Conversations: {event.conversations:,}")
        if event.kind == "wait":
            reason = event.wait_reason or "waiting before the next request"
            if is_rate_limit(reason):
                self.wait_count += 1
                self._rate_waits.add(self._clock(), event.wait_s)
            elif is_retry(reason):
                self.retry_count += 1
            self.wait_label.setText(f"Waiting {event.wait_s:.1f} s: {reason}. {self.waits_text()}")
            self.wait_label.show()
        else:
            text = self.waits_text()
            self.wait_label.setText(text)
            self.wait_label.setVisible(bool(text))
        self.status.setText(event.message)
        self._update_timing()

    @property
    def wait_total_s(self) -> float:
        """Seconds during which at least one rate-limit wait was going on."""
        return self._rate_waits.total_s

    def waits_text(self) -> str:
        """Return how often Genesys requested a slower pace and how many requests were retried."""
        parts = []
        if self.wait_count:
            parts.append(
                f"Genesys asked to slow down {plural(self.wait_count, 'time')} "
                f"({format_duration(self.wait_total_s)} of waiting)."
            )
        if self.retry_count:
            parts.append(
                f"{plural(self.retry_count, 'retry', 'retries')} after network or server errors."
            )
        return " ".join(parts)

    def finish(self, summary: RunSummary) -> None:
        """Show the outcome of a run and offer Resume when days are missing."""
        self._stop_running()
        self.bar.setRange(0, 1)
        self.bar.setValue(0 if summary.cancelled else 1)
        if summary.cancelled:
            self.bar.setFormat("Cancelled")
        else:
            self.bar.setFormat("Done, with days missing" if summary.missing_text else "Done")
        what = "Opened" if summary.source == "file" else "Fetched"
        text = (
            f"{what} {plural(summary.conversations, 'conversation')} "
            f"({plural(summary.rows, 'row')}) in {format_duration(summary.elapsed_s)}."
        )
        if summary.cancelled:
            text = "Cancelled. " + text + " The rows fetched so far are kept."
        if summary.names_note:
            text += " " + summary.names_note
        if summary.still_changing:
            text += " The range reaches now, so newer data may still arrive."
        self.status.setText(text)
        if summary.missing_text:
            self.show_missing(summary.missing_text)
        else:
            self.banner.hide()
        self._update_timing(final=True)

    def fail(self, message: str) -> None:
        self._stop_running()
        self.bar.setRange(0, 1)
        self.bar.setValue(0)
        self.bar.setFormat("Stopped")
        self.status.setText(message)

    def show_missing(self, text: str) -> None:
        self.banner_label.setText(text)
        self.banner.show()

    # Internals -----------------------------------------------------------------------------

    def _stop_running(self) -> None:
        self._tick.stop()
        self.cancel_button.setEnabled(False)
        self.cancel_button.setText("&Cancel")
        text = self.waits_text()
        self.wait_label.setText(text)
        self.wait_label.setVisible(bool(text))

    def _cancel_clicked(self) -> None:
        self.cancel_button.setEnabled(False)
        self.cancel_button.setText("Cancelling…")
        self.status.setText("Cancelling…")
        self.cancelRequested.emit()

    def _update_timing(self, final: bool = False) -> None:
        if self._started is None:
            return
        elapsed = self._clock() - self._started
        text = f"Elapsed {format_duration(elapsed)}"
        event = self._last_event
        if not final and event is not None and event.slices_total and event.slices_done:
            left = event.slices_total - event.slices_done
            remaining = elapsed / event.slices_done * left
            text += f"   About {format_duration(remaining)} left (estimate)"
        self.timing.setText(text)
