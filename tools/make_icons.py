"""Render resources/icons/pos-app.svg into the PNG and Windows .ico files that ship with the app.

Run after editing the SVG: `.venv/bin/python tools/make_icons.py`. The outputs are committed, so
neither the build nor the app needs to render SVG.
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

ICONS = Path(__file__).resolve().parent.parent / "resources" / "icons"
# Windows picks the nearest size for the taskbar, title bar, Explorer views and shortcuts.
ICO_SIZES = (16, 24, 32, 48, 64, 128, 256)


def render(renderer: QSvgRenderer, size: int) -> bytes:
    image = QImage(size, size, QImage.Format.Format_ARGB32)
    image.fill(Qt.GlobalColor.transparent)
    painter = QPainter(image)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    renderer.render(painter)
    painter.end()
    data = QByteArray()
    buffer = QBuffer(data)
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    image.save(buffer, "PNG")
    return bytes(data.data())


def ico(images: dict[int, bytes]) -> bytes:
    """An .ico with PNG-compressed entries (Windows Vista and later read these)."""
    header = struct.pack("<HHH", 0, 1, len(images))
    offset = 6 + 16 * len(images)
    entries, blobs = b"", b""
    for size, png in images.items():
        side = 0 if size >= 256 else size  # 0 means 256 in the directory entry
        entries += struct.pack("<BBBBHHII", side, side, 0, 0, 1, 32, len(png), offset)
        offset += len(png)
        blobs += png
    return header + entries + blobs


def main() -> int:
    app = QGuiApplication(sys.argv)
    renderer = QSvgRenderer(str(ICONS / "pos-app.svg"))
    if not renderer.isValid():
        print("pos-app.svg does not parse", file=sys.stderr)
        return 1
    (ICONS / "pos-app-256.png").write_bytes(render(renderer, 256))
    (ICONS / "pos-app.ico").write_bytes(ico({s: render(renderer, s) for s in ICO_SIZES}))
    del app
    return 0


if __name__ == "__main__":
    sys.exit(main())
