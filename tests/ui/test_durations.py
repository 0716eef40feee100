"""Durations as the detail dialog and the timeline show them."""

from __future__ import annotations

import pytest

from wrapup_desktop.ui.durations import format_duration


@pytest.mark.parametrize(
    ("seconds", "expected"),
    [
        (0.0, "0 s"),
        (-3.0, "0 s"),
        (1.884, "1.9 s"),
        (2.0, "2 s"),
        (9.96, "10 s"),
        (20.0, "20 s"),
        (59.4, "59 s"),
        (59.6, "1 min"),
        (71.684, "1 min 12 s"),
        (120.0, "2 min"),
        (3600.0, "1 h"),
        (3605.0, "1 h 0 min 5 s"),
        (3725.0, "1 h 2 min 5 s"),
        (7500.0, "2 h 5 min"),
    ],
)
def test_format_duration_cases(seconds: float, expected: str) -> None:
    assert format_duration(seconds) == expected
