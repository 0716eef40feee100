"""Progress events of a run, for the UI's status line and the command line's progress output."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass
class ProgressEvent:
    """One step of a run, for the status line and progress bar."""

    kind: str
    """"slice", "page", "wait", "job", "lookup" or "done". A retry is one "wait" event whose
    `wait_reason` names its cause; the engine no longer sends "retry" events."""
    message: str
    slices_done: int
    slices_total: int
    pages_done: int
    pages_total: int | None
    conversations: int
    wait_s: float = 0.0
    wait_reason: str = ""
    elapsed_s: float = 0.0


def format_wait(wait_s: float) -> str:
    """Write a wait as "0.6 s" below ten seconds and as "17 s" from ten on."""
    if wait_s < 10:
        return f"{wait_s:.1f} s"
    return f"{wait_s:.0f} s"
