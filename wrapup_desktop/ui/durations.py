"""Durations written for people: "1.9 s", "20 s", "1 min 12 s", "2 h 5 min".

The detail dialog's header, its leg lines and the timeline's tooltips use the same format, so
one duration never reads "71.684 s" in one place and "1 min 12 s" in another.
"""

from __future__ import annotations

SHORT_LIMIT_S = 10.0
"""Durations below this many seconds keep one decimal; longer ones round to whole seconds."""


def format_duration(seconds: float) -> str:
    """Format `seconds` as "1.9 s", "20 s", "1 min 12 s" or "1 h 2 min"; below zero reads "0 s"."""
    seconds = max(seconds, 0.0)
    if round(seconds, 1) < SHORT_LIMIT_S:
        text = f"{seconds:.1f}".removesuffix(".0")
        return f"{text} s"
    whole = round(seconds)
    hours, rest = divmod(whole, 3600)
    minutes, secs = divmod(rest, 60)
    parts = []
    if hours:
        parts.append(f"{hours} h")
    if minutes or (hours and secs):
        parts.append(f"{minutes} min")
    if secs or not parts:
        parts.append(f"{secs} s")
    return " ".join(parts)
