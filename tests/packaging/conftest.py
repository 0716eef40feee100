"""Fixtures for the packaging tests: the packaging scripts loaded by path, and private homes."""

from __future__ import annotations

import importlib.util
import os
import sys
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType
from typing import TYPE_CHECKING

import pytest

if TYPE_CHECKING:
    from tests.packaging.leak_search import CanarySandbox

REPO_ROOT = Path(__file__).resolve().parents[2]
PACKAGING_DIR = REPO_ROOT / "packaging"
RESOURCES_DIR = REPO_ROOT / "resources"


def load_packaging_module(name: str) -> ModuleType:
    """Import `packaging/<name>.py` by path.

    The folder is not a Python package, and its name would shadow the `packaging` library.
    """
    module_name = f"wrapup_packaging_{name}"
    if module_name in sys.modules:
        return sys.modules[module_name]
    spec = importlib.util.spec_from_file_location(module_name, PACKAGING_DIR / f"{name}.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[module_name] = module
    spec.loader.exec_module(module)
    return module


def private_environment(home: Path) -> dict[str, str]:
    """Return an environment whose settings, log, data and cache folders all lie under `home`.

    The keychain is the failing backend, so no run can read or write a real keychain.
    """
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("XDG_", "GENESYS_")) and key != "PYTHON_KEYRING_BACKEND"
    }
    env["HOME"] = str(home)
    for variable in ("XDG_CONFIG_HOME", "XDG_STATE_HOME", "XDG_DATA_HOME", "XDG_CACHE_HOME"):
        env[variable] = str(home / variable.lower())
    env["PYTHON_KEYRING_BACKEND"] = "keyring.backends.fail.Keyring"
    env["QT_QPA_PLATFORM"] = "offscreen"
    return env


@pytest.fixture
def canary_sandbox(monkeypatch: pytest.MonkeyPatch) -> Iterator[CanarySandbox]:
    """The sandbox org on 127.0.0.1 with the canary client; see `leak_search`."""
    # Imported here: leak_search imports this module for `private_environment`.
    from tests.packaging.leak_search import serve_canary_sandbox

    with serve_canary_sandbox(monkeypatch) as sandbox:
        yield sandbox


@pytest.fixture
def bundle_layout() -> ModuleType:
    """`packaging/bundle_layout.py`: what the bundle leaves out."""
    return load_packaging_module("bundle_layout")


@pytest.fixture
def build_script() -> ModuleType:
    """`packaging/build.py`: the build and installer steps."""
    return load_packaging_module("build")
