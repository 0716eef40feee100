"""Progress events of a run, for the UI's status line and the command line's progress output."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass
class ProgressEvent:
    """One step of a run, for the status line and progress bar."""

    kind: str
    """"slice", "page", "wait", "retry", "job", "lookup" or "done"."""
    message: str
    slices_done: int
    slices_total: int
    pages_done: int
    pages_total: int | None
    conversations: int
    wait_s: float = 0.0
    wait_reason: str = ""
    elapsed_s: float = 0.0
