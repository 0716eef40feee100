"""The installer recipes: Debian control data, the Inno Setup script, the release workflow."""

from __future__ import annotations

import re
import shutil
import subprocess
from types import ModuleType

import pytest

from tests.packaging.conftest import PACKAGING_DIR, REPO_ROOT
from wrapup_desktop import __version__

ISS_TEXT = (PACKAGING_DIR / "windows" / "wrapup-desktop.iss").read_text(encoding="utf-8")
WORKFLOW_TEXT = (REPO_ROOT / ".github" / "workflows" / "release.yml").read_text(encoding="utf-8")


def iss_section(name: str) -> str:
    """Return the body of one `[Section]` of the Inno Setup script."""
    match = re.search(rf"^\[{name}\]\n(.*?)(?=^\[|\Z)", ISS_TEXT, re.MULTILINE | re.DOTALL)
    assert match is not None, f"[{name}] is missing from the Inno Setup script"
    return match.group(1)


def test_build_reads_package_version(build_script: ModuleType) -> None:
    assert build_script.read_version() == __version__


def test_control_file_lists_qt_runtime(build_script: ModuleType) -> None:
    text = build_script.control_file("1.2.3", "amd64", 150_000, "2.36")
    fields = dict(
        line.split(": ", 1) for line in text.splitlines() if line and not line.startswith(" ")
    )
    assert fields["Package"] == "wrapup-desktop"
    assert fields["Version"] == "1.2.3"
    assert fields["Architecture"] == "amd64"
    assert fields["Installed-Size"] == "150000"
    depends = [item.strip() for item in fields["Depends"].split(",")]
    assert depends[0] == "libc6 (>= 2.36)"
    for package in ("libgl1", "libegl1", "libxkbcommon-x11-0", "libxcb-cursor0", "libxcb1"):
        assert package in depends
    assert text.endswith("\n")


def test_control_description_lines_indented(build_script: ModuleType) -> None:
    text = build_script.control_file("1.2.3", "amd64", 1, "2.36")
    description = text.split("Description: ", 1)[1].splitlines()
    assert all(line.startswith(" ") for line in description[1:])
    assert all(len(line) <= 80 for line in description)


def test_iss_installs_per_user() -> None:
    setup = iss_section("Setup")
    assert "PrivilegesRequired=lowest" in setup
    assert r"DefaultDirName={autopf}\{#AppName}" in setup
    assert r"SetupIconFile=..\..\resources\wrapup-desktop.ico" in setup
    assert (PACKAGING_DIR / ".." / "resources" / "wrapup-desktop.ico").is_file()


def test_iss_start_menu_opens_window() -> None:
    assert '#define GuiExe "wrapup-desktop-gui.exe"' in ISS_TEXT
    assert r'Name: "{autoprograms}\{#AppName}"; Filename: "{app}\{#GuiExe}"' in iss_section(
        "Icons"
    )


def test_iss_uninstall_offers_forget() -> None:
    code = iss_section("Code")
    assert "CurUninstallStep = usUninstall" in code
    assert "MsgBox(" in code
    assert "IDYES" in code
    assert "'forget-credentials --all'" in code
    assert r"ExpandConstant('{app}\{#CliExe}')" in code
    assert '#define CliExe "wrapup-desktop.exe"' in ISS_TEXT


def test_workflow_builds_on_each_os() -> None:
    for runner in ("runs-on: ubuntu-latest", "runs-on: windows-latest", "runs-on: macos-latest"):
        assert runner in WORKFLOW_TEXT
    assert "container: python:3.11-bookworm" in WORKFLOW_TEXT
    assert WORKFLOW_TEXT.count("needs: test") == 3
    assert 'tags: ["v*"]' in WORKFLOW_TEXT
    assert "python -m pytest" in WORKFLOW_TEXT


def test_workflow_uploads_every_installer() -> None:
    for pattern in ("dist/*.deb", "dist/*.tar.gz", "dist/*-setup.exe", "dist/*.dmg"):
        assert pattern in WORKFLOW_TEXT
    assert "needs: [linux, windows, macos]" in WORKFLOW_TEXT


def test_workflow_has_no_tabs() -> None:
    assert "\t" not in WORKFLOW_TEXT


@pytest.mark.skipif(shutil.which("bash") is None, reason="bash is not installed")
@pytest.mark.parametrize("script", ["check_bundle.sh", "macos/make_dmg.sh"])
def test_shell_script_parses(script: str) -> None:
    result = subprocess.run(
        ["bash", "-n", str(PACKAGING_DIR / script)], capture_output=True, text=True, check=False
    )
    assert result.returncode == 0, result.stderr
