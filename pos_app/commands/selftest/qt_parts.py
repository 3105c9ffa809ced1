"""Checks of Qt's parts the window needs, once a QApplication exists: the light Fusion look, the
translations, the bundled resources (icons) and printing (receipts, the print plugins)."""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from PySide6.QtWidgets import QApplication


def check_look(app: QApplication) -> tuple[bool, str]:
    """Fusion and a light palette, whatever the desktop (pos_app/ui/look.py)."""
    from PySide6.QtGui import QPalette

    style = app.style().name()
    window = app.palette().color(QPalette.ColorRole.Window)
    text = app.palette().color(QPalette.ColorRole.WindowText)
    ok = style.lower() == "fusion" and window.lightnessF() > 0.8 and text.lightnessF() < 0.3
    return ok, f"style {style}; window {window.name()}, text {text.name()}"


def check_translations() -> tuple[bool, str]:
    """The app's English .qm loads (QTranslator.load is True), and so do Qt's own Korean and
    English ones (dialog buttons), through the same code the window uses."""
    from PySide6.QtCore import QTranslator

    from pos_app.ui import i18n
    from pos_app.ui.assets import TRANSLATIONS

    own_ok = QTranslator().load(str(TRANSLATIONS / "pos_app_en.qm"))
    found = {lang: len(i18n.load_translators(lang)) for lang in ("en", "ko")}
    # English: the app's catalogue plus qtbase_en; Korean (the source language): qtbase_ko.
    ok = own_ok and found == {"en": 2, "ko": 1}
    return ok, (
        f"pos_app_en.qm {'loaded' if own_ok else 'FAILED'}; translators for en: {found['en']}/2, "
        f"for ko: {found['ko']}/1"
    )


def check_resources() -> tuple[bool, str]:
    """The app icon ships in pos_app.resources and Qt can read it (PNG, ICO and SVG)."""
    from PySide6.QtGui import QImage

    from pos_app.ui.assets import ICONS

    sizes = {}
    for name in ("pos-app-256.png", "pos-app.ico", "pos-app.svg"):
        image = QImage(str(ICONS / name))
        sizes[name] = "unreadable" if image.isNull() else f"{image.width()}x{image.height()}"
    ok = all(size != "unreadable" for size in sizes.values())
    return ok, ", ".join(f"{n} {s}" for n, s in sizes.items())


def check_printing() -> tuple[bool, str]:
    """QtPrintSupport ships: a receipt for a made-up sandbox payment prints to a PDF through
    QPrinter, and the platform's print plugins (CUPS on Linux) load with their libraries."""
    from PySide6.QtCore import QLibraryInfo, QPluginLoader

    from pos_app.gateway.models import Payment
    from pos_app.ui.receipt import receipt_html, save_pdf

    payment = Payment.from_json(
        {
            "imp_uid": "imp_selftest",
            "merchant_uid": "selftest-receipt",
            "status": "paid",
            "amount": 11_000,
            "card_name": "테스트카드",
            "card_number": "424242******4242",
            "name": "자체 점검",
            "paid_at": 1,
            "sandbox": True,
        }
    )
    with tempfile.TemporaryDirectory(prefix="pos-app-receipt-") as tmp:
        pdf = Path(tmp) / "receipt.pdf"
        printed = save_pdf(receipt_html(payment), pdf)
        data = pdf.read_bytes() if pdf.is_file() else b""
    pdf_ok = printed and data.startswith(b"%PDF-") and len(data) > 5_000
    # macOS prints through its platform plugin; Linux and Windows have a printsupport plugin.
    folder = Path(QLibraryInfo.path(QLibraryInfo.LibraryPath.PluginsPath)) / "printsupport"
    plugins = sorted(folder.iterdir()) if folder.is_dir() else []
    loaded = {plugin.name: QPluginLoader(str(plugin)).load() for plugin in plugins}
    plugins_ok = all(loaded.values()) and (bool(loaded) or sys.platform == "darwin")
    listed = ", ".join(f"{n} {'loaded' if ok else 'FAILED'}" for n, ok in loaded.items())
    note = ""
    if not plugins_ok and sys.platform.startswith("linux") and not _has_cups():
        # The CUPS plugin loads the system's libcups (build.spec leaves it out): with no CUPS
        # there is no printer to reach, and receipts still print to PDF.
        plugins_ok, note = True, "; no CUPS on this system (libcups2): paper printing unavailable"
    return pdf_ok and plugins_ok, (
        f"receipt PDF {len(data)} bytes{'' if pdf_ok else ' (FAILED)'}; "
        f"print plugins: {listed or 'none'}{note}"
    )


def _has_cups() -> bool:
    import ctypes.util

    return ctypes.util.find_library("cups") is not None
