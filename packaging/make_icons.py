"""Render the application icon from `resources/wrapup-desktop.svg` into every format we ship.

Run it after changing the SVG and commit what it writes:

    python packaging/make_icons.py

It writes `resources/icons/wrapup-desktop-<N>.png` for each size in `PNG_SIZES`, the Windows
`resources/wrapup-desktop.ico` and the macOS `resources/wrapup-desktop.icns`. Qt renders the SVG;
the ICO and ICNS containers are written here because Qt's own writers store only one image per
file. Both containers hold PNG images, which Windows Vista and later and macOS 10.7 and later read.
"""

from __future__ import annotations

import os
import struct
import sys
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import QBuffer, QByteArray, QIODevice, Qt
from PySide6.QtGui import QGuiApplication, QImage, QPainter
from PySide6.QtSvg import QSvgRenderer

REPO_ROOT = Path(__file__).resolve().parent.parent
RESOURCES = REPO_ROOT / "resources"
SVG_PATH = RESOURCES / "wrapup-desktop.svg"
PNG_DIR = RESOURCES / "icons"
ICO_PATH = RESOURCES / "wrapup-desktop.ico"
ICNS_PATH = RESOURCES / "wrapup-desktop.icns"

PNG_SIZES = (16, 24, 32, 48, 64, 128, 256, 512)
ICO_SIZES = (16, 24, 32, 48, 64, 128, 256)
"""Windows picks from these for the taskbar, Explorer views and the installer; 256 is the largest
size an ICO directory entry can describe."""

ICNS_TYPES = (
    ("icp4", 16),
    ("icp5", 32),
    ("icp6", 64),
    ("ic07", 128),
    ("ic08", 256),
    ("ic09", 512),
    ("ic10", 1024),
    ("ic11", 32),
    ("ic12", 64),
    ("ic13", 256),
    ("ic14", 512),
)
"""ICNS element types that carry PNG data, with their pixel size. The types ic10 to ic14 are the
@2x (Retina) variants of 512, 16, 32, 128 and 256."""


def render_png(renderer: QSvgRenderer, size: int) -> bytes:
    """Render the SVG into a transparent square of `size` pixels and return it as PNG bytes."""
    image = QImage(size, size, QImage.Format.Format_ARGB32_Premultiplied)
    image.fill(Qt.GlobalColor.transparent)
    painter = QPainter(image)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    painter.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform)
    renderer.render(painter)
    painter.end()
    data = QByteArray()
    buffer = QBuffer(data)
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    # The stubs type the format as bytes, but the binding accepts only str.
    if not image.save(buffer, "PNG"):  # type: ignore[call-overload]
        raise RuntimeError(f"Qt failed to encode the {size}px icon as PNG")
    buffer.close()
    return bytes(data.data())


def build_ico(images: dict[int, bytes]) -> bytes:
    """Pack PNG images into an ICO file: a 6-byte header, one 16-byte entry per image, the data."""
    header = struct.pack("<HHH", 0, 1, len(images))
    offset = len(header) + 16 * len(images)
    entries = b""
    payload = b""
    for size, png in sorted(images.items()):
        # A width or height byte of 0 means 256 pixels.
        side = 0 if size >= 256 else size
        entries += struct.pack("<BBBBHHII", side, side, 0, 0, 1, 32, len(png), offset)
        payload += png
        offset += len(png)
    return header + entries + payload


def build_icns(images: dict[int, bytes]) -> bytes:
    """Pack PNG images into an ICNS file: big-endian 'icns' + length, then type/length/data."""
    body = b""
    for type_code, size in ICNS_TYPES:
        png = images[size]
        body += type_code.encode("ascii") + struct.pack(">I", len(png) + 8) + png
    return b"icns" + struct.pack(">I", len(body) + 8) + body


def main() -> int:
    """Write every icon file from the SVG; return the process exit status."""
    app = QGuiApplication.instance() or QGuiApplication(sys.argv[:1])
    renderer = QSvgRenderer(str(SVG_PATH))
    if not renderer.isValid():
        print(f"error: {SVG_PATH} is not a valid SVG file", file=sys.stderr)
        return 1
    needed = set(PNG_SIZES) | set(ICO_SIZES) | {size for _, size in ICNS_TYPES}
    images = {size: render_png(renderer, size) for size in sorted(needed)}

    PNG_DIR.mkdir(parents=True, exist_ok=True)
    for size in PNG_SIZES:
        (PNG_DIR / f"wrapup-desktop-{size}.png").write_bytes(images[size])
    ICO_PATH.write_bytes(build_ico({size: images[size] for size in ICO_SIZES}))
    ICNS_PATH.write_bytes(build_icns(images))
    print(f"wrote {len(PNG_SIZES)} PNG files to {PNG_DIR}, {ICO_PATH.name} and {ICNS_PATH.name}")
    del app
    return 0


if __name__ == "__main__":
    sys.exit(main())
