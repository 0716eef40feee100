"""The icon files, the desktop entry and the AppStream metainfo that the installers ship."""

from __future__ import annotations

import configparser
import shutil
import struct
import subprocess
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from tests.packaging.conftest import RESOURCES_DIR
from wrapup_desktop import __version__

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
PNG_SIZES = (16, 24, 32, 48, 64, 128, 256, 512)
DESKTOP_FILE = RESOURCES_DIR / "wrapup-desktop.desktop"
METAINFO_FILE = RESOURCES_DIR / "io.github.wrapupdesktop.WrapUpDesktop.metainfo.xml"


def png_size(data: bytes) -> tuple[int, int]:
    """Return (width, height) from a PNG's IHDR chunk."""
    assert data[:8] == PNG_SIGNATURE, "not a PNG file"
    width, height = struct.unpack(">II", data[16:24])
    return width, height


def parse_xml(path: Path) -> ET.Element:
    """Parse one of the repository's own XML files."""
    return ET.parse(path).getroot()  # noqa: S314  # trusted input: a file of this repository


def read_desktop_entry() -> configparser.SectionProxy:
    parser = configparser.ConfigParser(interpolation=None, strict=True)
    parser.optionxform = str  # type: ignore[assignment,method-assign]  # keys are case-sensitive
    parser.read(DESKTOP_FILE, encoding="utf-8")
    return parser["Desktop Entry"]


@pytest.mark.parametrize("size", PNG_SIZES, ids=[f"{size}px" for size in PNG_SIZES])
def test_png_icon_has_its_size(size: int) -> None:
    path = RESOURCES_DIR / "icons" / f"wrapup-desktop-{size}.png"
    assert path.is_file(), f"{path} is missing: run packaging/make_icons.py"
    assert png_size(path.read_bytes()) == (size, size)


def test_ico_holds_windows_sizes() -> None:
    data = (RESOURCES_DIR / "wrapup-desktop.ico").read_bytes()
    reserved, kind, count = struct.unpack("<HHH", data[:6])
    assert (reserved, kind) == (0, 1)
    sizes = []
    for index in range(count):
        entry = data[6 + 16 * index : 6 + 16 * (index + 1)]
        width, _, _, _, _, bits, length, offset = struct.unpack("<BBBBHHII", entry)
        image = data[offset : offset + length]
        side = width or 256
        assert png_size(image) == (side, side)
        assert bits == 32
        sizes.append(side)
    assert sorted(sizes) == [16, 24, 32, 48, 64, 128, 256]


def test_icns_holds_retina_sizes() -> None:
    data = (RESOURCES_DIR / "wrapup-desktop.icns").read_bytes()
    assert data[:4] == b"icns"
    assert struct.unpack(">I", data[4:8])[0] == len(data)
    found: dict[str, int] = {}
    position = 8
    while position < len(data):
        kind = data[position : position + 4].decode("ascii")
        length = struct.unpack(">I", data[position + 4 : position + 8])[0]
        found[kind] = png_size(data[position + 8 : position + length])[0]
        position += length
    assert found["ic10"] == 1024
    assert found["ic09"] == 512
    assert found["ic07"] == 128
    assert found["icp4"] == 16


def test_svg_icon_is_square() -> None:
    root = parse_xml(RESOURCES_DIR / "wrapup-desktop.svg")
    assert root.get("viewBox") == "0 0 256 256"


def test_desktop_entry_starts_window() -> None:
    entry = read_desktop_entry()
    assert entry["Type"] == "Application"
    assert entry["Name"] == "WrapUp Desktop"
    assert entry["Exec"] == "wrapup-desktop-gui"
    assert entry["Icon"] == "wrapup-desktop"
    assert entry["Terminal"] == "false"
    assert "Office" in entry["Categories"].split(";")


@pytest.mark.skipif(shutil.which("desktop-file-validate") is None, reason="no desktop-file-utils")
def test_desktop_entry_passes_validator() -> None:
    result = subprocess.run(
        ["desktop-file-validate", str(DESKTOP_FILE)], capture_output=True, text=True, check=False
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stdout.strip() == ""


def test_metainfo_names_entry_and_binaries() -> None:
    root = parse_xml(METAINFO_FILE)
    assert root.get("type") == "desktop-application"
    assert root.findtext("id") == METAINFO_FILE.name.removesuffix(".metainfo.xml")
    launchable = root.find("launchable")
    assert launchable is not None
    assert launchable.text == DESKTOP_FILE.name
    binaries = {element.text for element in root.iter("binary")}
    assert binaries == {"wrapup-desktop", "wrapup-desktop-gui"}


def test_metainfo_lists_current_version() -> None:
    root = parse_xml(METAINFO_FILE)
    versions = [release.get("version") for release in root.iter("release")]
    assert versions[0] == __version__


@pytest.mark.skipif(shutil.which("appstreamcli") is None, reason="appstream is not installed")
def test_metainfo_passes_appstream_validator() -> None:
    result = subprocess.run(
        ["appstreamcli", "validate", "--no-net", str(METAINFO_FILE)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
