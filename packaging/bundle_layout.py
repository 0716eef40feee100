"""The exclusions of the PyInstaller bundle, as data that the spec and the tests share.

The PySide6 hooks collect every plugin of each Qt module the app imports, and some of those pull
whole Qt modules the app never uses: the virtual-keyboard input plugin brings QtQml and QtQuick,
the PDF image-format plugin brings QtPdf. `keep_entry` drops those plugins, the libraries only
they need, Qt's translations (the app is English only) and Python packages the app does not import.
Set `WRAPUP_BUNDLE_FULL=1` to build without any of this, which is how the saving is measured.
"""

from __future__ import annotations

import fnmatch
import re
from collections.abc import Callable, Iterable
from pathlib import PurePosixPath

TocEntry = tuple[str, str, str]
"""A PyInstaller table-of-contents entry: destination name, source path, type code."""

EXCLUDED_MODULES = (
    "tkinter",
    "_tkinter",
    # qasync tries each Qt binding in turn; only PySide6 is installed and used.
    "PyQt5",
    "PyQt6",
    "PySide2",
    # httpx does all networking, so Qt's network module and its TLS plugins stay out.
    "PySide6.QtNetwork",
    # httpx's own command-line client and its terminal output libraries (about 6 MB of source).
    "httpx._main",
    "rich",
    "pygments",
    "markdown_it",
    "mdurl",
    # truststore only patches urllib3 when asked to; the app uses httpx.
    "urllib3",
    # The topic texts of the interactive help().
    "pydoc_data",
    "PySide6.QtQml",
    "PySide6.QtQuick",
    "PySide6.QtQuickWidgets",
    "PySide6.QtQuickControls2",
    "PySide6.QtQuick3D",
    "PySide6.QtPdf",
    "PySide6.QtPdfWidgets",
    "PySide6.QtWebEngineCore",
    "PySide6.QtWebEngineWidgets",
    "PySide6.QtWebEngineQuick",
    "PySide6.QtWebChannel",
    "PySide6.QtWebSockets",
    "PySide6.QtMultimedia",
    "PySide6.QtMultimediaWidgets",
    "PySide6.QtSpatialAudio",
    "PySide6.QtTextToSpeech",
    "PySide6.Qt3DCore",
    "PySide6.Qt3DRender",
    "PySide6.Qt3DInput",
    "PySide6.Qt3DLogic",
    "PySide6.Qt3DExtras",
    "PySide6.Qt3DAnimation",
    "PySide6.QtDataVisualization",
    "PySide6.QtGraphs",
    "PySide6.QtGraphsWidgets",
    "PySide6.QtBluetooth",
    "PySide6.QtNfc",
    "PySide6.QtPositioning",
    "PySide6.QtLocation",
    "PySide6.QtSensors",
    "PySide6.QtSerialPort",
    "PySide6.QtSerialBus",
    "PySide6.QtDesigner",
    "PySide6.QtHelp",
    "PySide6.QtUiTools",
    "PySide6.QtRemoteObjects",
    "PySide6.QtScxml",
    "PySide6.QtHttpServer",
    "PySide6.QtAxContainer",
)
"""Python modules the analysis must not follow, even where a library mentions them."""

DROPPED_PATHS = (
    # The virtual keyboard: an input method for touch screens, built on QtQuick.
    "PySide6/*plugins/platforminputcontexts/*virtualkeyboard*",
    # Reads PDF files as images through QtPdf.
    "PySide6/*plugins/imageformats/*qpdf*",
    # Platform plugins for embedded devices, VNC and Vulkan displays.
    "PySide6/*plugins/platforms/*qeglfs*",
    "PySide6/*plugins/platforms/*qlinuxfb*",
    "PySide6/*plugins/platforms/*qminimalegl*",
    "PySide6/*plugins/platforms/*qvkkhrdisplay*",
    "PySide6/*plugins/platforms/*qvnc*",
    "PySide6/*plugins/platforms/*qdirect2d*",
    "PySide6/*plugins/egldeviceintegrations/*",
    "*Qt6EglFs*",
    "*Qt6EglFS*",
    # Input from evdev devices and TUIO over UDP, used only without a window system.
    "PySide6/*plugins/generic/*",
    # QtNetwork's TLS backends and network-state plugins; httpx does the networking.
    "PySide6/*plugins/tls/*",
    "PySide6/*plugins/networkinformation/*",
    "*Qt6Network*",
    "*QtNetwork*",
    # The GTK 3 theme plugin loads the system's GTK, which clashes with the GLib copy in the
    # bundle; Qt's own style and the XDG desktop portal plugin remain.
    "PySide6/*plugins/platformthemes/*qgtk3*",
    # Qt's own translations: the app's text is English only.
    "PySide6/*translations/*",
    # Libraries and macOS frameworks that only the dropped plugins load.
    "*Qt6Qml*",
    "*Qt6Quick*",
    "*Qt6VirtualKeyboard*",
    "*Qt6Pdf*",
    "*QtQml*",
    "*QtQuick*",
    "*QtPdf*",
    "*QtVirtualKeyboard*",
)
"""Shell-style patterns on a bundle entry's destination path, with forward slashes."""


def keep_entry(dest_name: str) -> bool:
    """Return False for a bundle entry (binary or data file) that the app does not need."""
    path = PurePosixPath(dest_name.replace("\\", "/")).as_posix()
    return not any(fnmatch.fnmatchcase(path, pattern) for pattern in DROPPED_PATHS)


def filter_toc(entries: Iterable[TocEntry]) -> list[TocEntry]:
    """Return the entries that `keep_entry` keeps."""
    return [entry for entry in entries if keep_entry(entry[0])]


_SHARED_LIBRARY = re.compile(r"^lib.+\.so(\.\d+)*$")


def _is_dependency_library(entry: TocEntry) -> bool:
    """Tell whether an entry is a shared library that is in the bundle only because of a link.

    Python extension modules, Qt plugins and libpython (which the bootloader loads by name) are
    loaded on their own, so they are never removed.
    """
    dest = PurePosixPath(entry[0].replace("\\", "/"))
    if entry[2] != "BINARY" or "plugins" in dest.parts:
        return False
    return bool(_SHARED_LIBRARY.match(dest.name)) and not dest.name.startswith("libpython")


def prune_unreferenced(
    entries: Iterable[TocEntry], linked_names: Callable[[str], Iterable[str]]
) -> list[TocEntry]:
    """Drop Linux shared libraries that no kept extension, plugin or library links to.

    The analysis collects the libraries of every plugin before `filter_toc` drops plugins, so the
    libraries only a dropped plugin needed stay behind: the GTK theme plugin alone leaves Pango,
    Cairo and ATK. `linked_names(source_path)` returns the file names that a binary links to;
    in the spec it is PyInstaller's own dependency scanner.
    """
    entries = list(entries)
    by_name = {PurePosixPath(dest).name: (dest, src, kind) for dest, src, kind in entries}
    pending = [entry for entry in entries if not _is_dependency_library(entry)]
    reached: set[str] = {PurePosixPath(entry[0]).name for entry in pending}
    while pending:
        _, source, _ = pending.pop()
        for name in linked_names(source):
            base = PurePosixPath(name).name
            if base in by_name and base not in reached:
                reached.add(base)
                pending.append(by_name[base])
    return [entry for entry in entries if PurePosixPath(entry[0]).name in reached]
