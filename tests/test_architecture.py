"""The layers point one way, and everything below the UI runs without Qt."""

from __future__ import annotations

import shutil
import subprocess
import sys
import textwrap

import pytest

from tests.conftest import REPO_ROOT


def test_import_contracts_hold() -> None:
    lint_imports = shutil.which("lint-imports")
    if lint_imports is None:
        pytest.skip("import-linter is not installed")
    result = subprocess.run(
        [lint_imports, "--no-cache"],
        cwd=REPO_ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_headless_layers_import_without_qt() -> None:
    # Make any import of PySide6 or qasync fail, as on a server without Qt.
    script = textwrap.dedent(
        """
        import sys
        for name in ("PySide6", "qasync"):
            sys.modules[name] = None
        import wrapup_desktop.domain.classify
        import wrapup_desktop.genesys
        import wrapup_desktop.export
        import wrapup_desktop.cli.main
        import wrapup_desktop.sandbox
        print("ok")
        """
    )
    result = subprocess.run(
        [sys.executable, "-c", script],
        cwd=REPO_ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "ok"
