"""Build the Linux bundle with PyInstaller and run it as a user would.

Slow (up to two minutes for the build): marked `slow`, and skipped where PyInstaller is not
installed; CI installs it with the `package` extra. Set WRAPUP_BUNDLE_DIR to a bundle built by
`packaging/build.py --bundle-only` to test that one instead of building again.
"""

from __future__ import annotations

import os
import shutil
import struct
import subprocess
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path
from types import ModuleType

import pytest

from tests.packaging.conftest import load_packaging_module, private_environment
from tests.packaging.leak_search import (
    CANARY_CLIENT_ID,
    CANARY_SECRET,
    CanarySandbox,
    basic_credentials,
    files_under,
    find_leaks,
    recent_days,
    run_program,
)
from wrapup_desktop import __version__

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(not sys.platform.startswith("linux"), reason="builds the Linux bundle"),
]

RUN_TIMEOUT_S = 180


@pytest.fixture(scope="module")
def bundle(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The one-folder bundle: built once for this module, or taken from WRAPUP_BUNDLE_DIR."""
    prebuilt = os.environ.get("WRAPUP_BUNDLE_DIR")
    if prebuilt:
        return Path(prebuilt)
    pytest.importorskip("PyInstaller", reason="PyInstaller is in the package extra")
    build = load_packaging_module("build")
    out = tmp_path_factory.mktemp("bundle")
    return Path(build.build_bundle(out / "dist", out / "work"))


def run_bundle(bundle: Path, executable: str, arguments: list[str], root: Path) -> str:
    """Run one of the bundle's executables with a private home; return stdout and stderr."""
    home = root / "home"
    home.mkdir(exist_ok=True)
    result = subprocess.run(
        [str(bundle / executable), *arguments],
        capture_output=True,
        text=True,
        env=private_environment(home),
        cwd=root,
        timeout=RUN_TIMEOUT_S,
        check=False,
    )
    assert result.returncode == 0, f"{executable} {arguments} failed:\n{result.stderr}"
    return result.stdout + result.stderr


def last_week_day() -> str:
    return (datetime.now(UTC).date() - timedelta(days=7)).isoformat()


def test_bundle_prints_version(bundle: Path, tmp_path: Path) -> None:
    output = run_bundle(bundle, "wrapup-desktop", ["--version"], tmp_path)
    assert output.strip() == f"wrapup-desktop {__version__}"


def test_bundle_exports_demo_csv(bundle: Path, tmp_path: Path) -> None:
    day = last_week_day()
    arguments = ["export", "--demo", "--from", day, "--to", day, "--tz", "Europe/Berlin"]
    run_bundle(bundle, "wrapup-desktop", [*arguments, "--csv", "demo.csv"], tmp_path)
    lines = (tmp_path / "demo.csv").read_text(encoding="utf-8-sig").splitlines()
    assert lines[0].startswith("conversation_id,conversation_start,conversation_end,")
    assert len(lines) > 100
    assert any(",ASSIGNED," in line for line in lines)


def test_bundle_window_saves_screenshot(bundle: Path, tmp_path: Path) -> None:
    day = last_week_day()
    arguments = ["--demo", "--from", day, "--to", day, "--screenshot", "window.png"]
    run_bundle(bundle, "wrapup-desktop-gui", arguments, tmp_path)
    data = (tmp_path / "window.png").read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    width, height = struct.unpack(">II", data[16:24])
    assert width >= 800
    assert height >= 500


def test_bundle_leaves_out_unused_qt(bundle: Path) -> None:
    files = [path.relative_to(bundle).as_posix() for path in bundle.rglob("*")]
    for unwanted in ("virtualkeyboard", "libqpdf", "libQt6Qml", "libQt6Quick", "translations/"):
        assert not [name for name in files if unwanted in name], unwanted
    plugins = bundle / "_internal" / "PySide6" / "Qt" / "plugins"
    for plugin in ("platforms/libqxcb.so", "platforms/libqoffscreen.so", "iconengines"):
        assert (plugins / plugin).exists(), plugin


def test_bundle_ships_window_icon(bundle: Path) -> None:
    assert (
        bundle / "_internal" / "wrapup_desktop" / "_resources" / "wrapup-desktop.svg"
    ).is_file()


@pytest.mark.skipif(shutil.which("dpkg-deb") is None, reason="dpkg-deb is not installed")
def test_deb_installs_opt_and_links(bundle: Path, tmp_path: Path) -> None:
    build: ModuleType = load_packaging_module("build")
    deb = build.build_deb(bundle, tmp_path, __version__, compression="none")
    info = subprocess.run(
        ["dpkg-deb", "--field", str(deb), "Package", "Version", "Depends"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    assert "Package: wrapup-desktop" in info
    assert f"Version: {__version__}" in info
    assert "libxcb-cursor0" in info
    listing = subprocess.run(
        ["dpkg-deb", "--contents", str(deb)], capture_output=True, text=True, check=True
    ).stdout
    assert "./usr/bin/wrapup-desktop -> /opt/wrapup-desktop/wrapup-desktop" in listing
    assert "./usr/bin/wrapup-desktop-gui -> /opt/wrapup-desktop/wrapup-desktop-gui" in listing
    assert "./usr/share/applications/wrapup-desktop.desktop" in listing
    assert "./usr/share/icons/hicolor/256x256/apps/wrapup-desktop.png" in listing
    assert "./usr/share/icons/hicolor/scalable/apps/wrapup-desktop.svg" in listing
    assert "./usr/share/metainfo/io.github.wrapupdesktop.WrapUpDesktop.metainfo.xml" in listing
    assert "root/root" in listing.splitlines()[0]


def test_bundle_export_writes_no_secret(
    bundle: Path, canary_sandbox: CanarySandbox, tmp_path: Path
) -> None:
    first, last = recent_days()
    arguments = ["export", "--region", canary_sandbox.origin, "--client-id", CANARY_CLIENT_ID]
    arguments += ["--from", first, "--to", last, "--tz", "UTC", "--explain"]
    arguments += ["--csv", "out/report.csv", "--xlsx", "out/report.xlsx"]
    program = [str(bundle / "wrapup-desktop")]
    run = run_program(arguments, tmp_path, CANARY_SECRET, program=program)

    assert run.returncode == 0, run.stderr
    assert canary_sandbox.tokens, "the bundle never signed in"
    assert files_under(tmp_path / "home", "*.log"), "the bundle wrote no log file to search"
    needles = {
        "client secret": CANARY_SECRET,
        "Basic credentials": basic_credentials(CANARY_CLIENT_ID, CANARY_SECRET),
    }
    needles |= {f"access token {n}": token for n, token in enumerate(canary_sandbox.tokens, 1)}
    assert find_leaks(run, needles) == []
