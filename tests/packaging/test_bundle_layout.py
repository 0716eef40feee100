"""What the PyInstaller spec leaves out of the bundle, checked without building it."""

from __future__ import annotations

import ast
from pathlib import Path
from types import ModuleType

import pytest

from tests.packaging.conftest import PACKAGING_DIR, REPO_ROOT

SPEC_TEXT = (PACKAGING_DIR / "wrapup-desktop.spec").read_text(encoding="utf-8")

DROPPED = [
    "PySide6/Qt/plugins/platforminputcontexts/libqtvirtualkeyboardplugin.so",
    "PySide6\\plugins\\platforminputcontexts\\qtvirtualkeyboardplugin.dll",
    "PySide6\\plugins\\imageformats\\qpdf.dll",
    "PySide6\\plugins\\platforms\\qdirect2d.dll",
    "PySide6\\translations\\qtbase_fr.qm",
    "PySide6/Qt/plugins/imageformats/libqpdf.so",
    "PySide6/Qt/plugins/imageformats/libqpdf.dylib",
    "PySide6/Qt/lib/QtPdf.framework/Versions/A/QtPdf",
    "PySide6/Qt/plugins/platforms/libqeglfs.so",
    "PySide6/Qt/plugins/platforms/libqvnc.so",
    "PySide6/Qt/plugins/platforms/libqlinuxfb.so",
    "PySide6/Qt/plugins/platformthemes/libqgtk3.so",
    "PySide6/Qt/plugins/tls/libqopensslbackend.so",
    "PySide6/Qt/translations/qtbase_de.qm",
    "PySide6/Qt/lib/libQt6Qml.so.6",
    "PySide6/Qt/lib/libQt6Quick.so.6",
    "PySide6/Qt/lib/libQt6Pdf.so.6",
    "PySide6/Qt/lib/libQt6VirtualKeyboard.so.6",
    "PySide6/Qt/lib/libQt6Network.so.6",
    "PySide6\\Qt6Qml.dll",
    "PySide6/Qt/lib/QtQuick.framework/Versions/A/QtQuick",
]

KEPT = [
    "PySide6/Qt/plugins/platforms/libqxcb.so",
    "PySide6/Qt/plugins/platforms/libqwayland.so",
    "PySide6/Qt/plugins/platforms/libqoffscreen.so",
    "PySide6\\plugins\\platforms\\qwindows.dll",
    "PySide6\\plugins\\imageformats\\qsvg.dll",
    "PySide6\\Qt6Widgets.dll",
    "PySide6/Qt/lib/QtCharts.framework/Versions/A/QtCharts",
    "PySide6/Qt/plugins/platforms/libqcocoa.dylib",
    "PySide6/Qt/plugins/imageformats/libqsvg.so",
    "PySide6/Qt/plugins/iconengines/libqsvgicon.so",
    "PySide6/Qt/plugins/platforminputcontexts/libibusplatforminputcontextplugin.so",
    "PySide6/Qt/plugins/platformthemes/libqxdgdesktopportal.so",
    "PySide6/Qt/lib/libQt6Charts.so.6",
    "PySide6/Qt/lib/libQt6Widgets.so.6",
    "PySide6/Qt/lib/libQt6Svg.so.6",
    "PySide6/Qt/lib/libQt6XcbQpa.so.6",
    "PySide6/QtCharts.abi3.so",
    "libpython3.11.so.1.0",
]


@pytest.mark.parametrize("dest", DROPPED, ids=[Path(d.replace("\\", "/")).name for d in DROPPED])
def test_layout_drops_unused_file(bundle_layout: ModuleType, dest: str) -> None:
    assert not bundle_layout.keep_entry(dest)


@pytest.mark.parametrize("dest", KEPT, ids=[Path(d.replace("\\", "/")).name for d in KEPT])
def test_layout_keeps_needed_file(bundle_layout: ModuleType, dest: str) -> None:
    assert bundle_layout.keep_entry(dest)


def test_prune_drops_unlinked_libraries(bundle_layout: ModuleType) -> None:
    entries = [
        ("PySide6/QtGui.abi3.so", "/src/QtGui.abi3.so", "EXTENSION"),
        ("PySide6/Qt/lib/libQt6Gui.so.6", "/src/libQt6Gui.so.6", "BINARY"),
        ("libglib-2.0.so.0", "/src/libglib-2.0.so.0", "BINARY"),
        ("libpango-1.0.so.0", "/src/libpango-1.0.so.0", "BINARY"),
        ("PySide6/Qt/plugins/platforms/libqxcb.so", "/src/libqxcb.so", "BINARY"),
        ("libxcb-cursor.so.0", "/src/libxcb-cursor.so.0", "BINARY"),
        ("libpython3.11.so.1.0", "/src/libpython3.11.so.1.0", "BINARY"),
    ]
    links = {
        "/src/QtGui.abi3.so": ["libQt6Gui.so.6"],
        "/src/libQt6Gui.so.6": ["libglib-2.0.so.0", "libc.so.6"],
        "/src/libqxcb.so": ["/usr/lib/x86_64-linux-gnu/libxcb-cursor.so.0"],
    }
    kept_entries = bundle_layout.prune_unreferenced(entries, lambda path: links.get(path, []))
    names = {Path(dest).name for dest, _, _ in kept_entries}
    assert "libpango-1.0.so.0" not in names
    assert names == {
        "QtGui.abi3.so",
        "libQt6Gui.so.6",
        "libglib-2.0.so.0",
        "libqxcb.so",
        "libxcb-cursor.so.0",
        "libpython3.11.so.1.0",
    }


def test_spec_applies_every_exclusion() -> None:
    assert "excludes=[] if FULL else list(EXCLUDED_MODULES)" in SPEC_TEXT
    assert "a.binaries = filter_toc(a.binaries)" in SPEC_TEXT
    assert "a.datas = filter_toc(a.datas)" in SPEC_TEXT
    assert "prune_unreferenced(a.binaries" in SPEC_TEXT


def test_spec_builds_console_and_window() -> None:
    assert 'name="wrapup-desktop-gui", console=False' in SPEC_TEXT
    assert 'name="wrapup-desktop", console=True' in SPEC_TEXT
    assert "strip = IS_LINUX and not FULL" in SPEC_TEXT
    assert "upx=False" in SPEC_TEXT
    assert "wrapup-desktop.ico" in SPEC_TEXT
    assert "wrapup-desktop.icns" in SPEC_TEXT
    assert "BUNDLE(" in SPEC_TEXT
    assert "version=version_file" in SPEC_TEXT
    assert "filevers={tuple_text}" in SPEC_TEXT


def test_spec_ships_window_icon() -> None:
    # wrapup_desktop.ui.icons looks for the SVG in wrapup_desktop/_resources.
    assert '"wrapup-desktop.svg"), "wrapup_desktop/_resources"' in SPEC_TEXT


def test_excluded_modules_are_unused(bundle_layout: ModuleType) -> None:
    excluded = set(bundle_layout.EXCLUDED_MODULES)
    offenders = []
    for path in sorted((REPO_ROOT / "wrapup_desktop").rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
        for node in ast.walk(tree):
            if not isinstance(node, ast.Import | ast.ImportFrom):
                continue
            names: list[str] = []
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.module:
                names = [node.module] + [f"{node.module}.{alias.name}" for alias in node.names]
            for name in names:
                if name in excluded or name.split(".")[0] in excluded:
                    offenders.append(f"{path.relative_to(REPO_ROOT)}:{node.lineno} {name}")
    assert offenders == [], "the bundle leaves out modules that the app imports"


def test_launcher_dispatches_on_name() -> None:
    text = (PACKAGING_DIR / "launcher.py").read_text(encoding="utf-8")
    assert 'endswith("-gui")' in text
    assert "main_gui()" in text
