"""Settings shared by every test: headless Qt, and where the field samples live."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

# Qt aborts the process when it has neither a display nor a platform plugin set.
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

REPO_ROOT = Path(__file__).resolve().parent.parent
SHARED_DIR = REPO_ROOT.parent / "shared"
REAL_SAMPLES_DIR = SHARED_DIR / "real-samples"


@pytest.fixture
def real_samples_dir() -> Path:
    """The folder of real API responses kept beside the repository; skips where it is absent."""
    if not REAL_SAMPLES_DIR.is_dir():
        pytest.skip(f"real API samples not found at {REAL_SAMPLES_DIR}")
    return REAL_SAMPLES_DIR
