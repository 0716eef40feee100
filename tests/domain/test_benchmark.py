"""The classify benchmark still runs, on a tiny input and without the SDK."""

from __future__ import annotations

import importlib.util

import pytest

from tests.conftest import REPO_ROOT


def test_benchmark_runs_small(capsys: pytest.CaptureFixture[str]) -> None:
    spec = importlib.util.spec_from_file_location(
        "classify_benchmark", REPO_ROOT / "benchmarks" / "classify.py"
    )
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    module.main(["--conversations", "300", "--sdk", "0"])
    output = capsys.readouterr().out
    assert "300 conversations in 3 pages" in output
    assert "decode + classify / json.loads" in output
    assert "memory per row" in output
