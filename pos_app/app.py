"""The window program: `pos-app` with no command (also `make run`)."""

from __future__ import annotations

import importlib.resources
import sys
from pathlib import Path

from pos_app.ui.main_window import MainWindow


def style_sheet() -> str:
    """resources/style.qss, @ICONS@ made the icons folder (QSS urls are file paths)."""
    resources = importlib.resources.files("pos_app.resources")
    icons = Path(str(resources / "icons")).as_posix()
    return (resources / "style.qss").read_text("utf-8").replace("@ICONS@", icons)


def _default_order_name() -> str:
    from pos_app.ui.settings_store import load_till_settings

    try:
        return load_till_settings().default_order_name
    except Exception:  # a broken settings file must not keep the till from opening
        return ""


def build_window(api_base: str | None = None, *, lang: str | None = None) -> MainWindow:
    """The wired main window, its worker already opening the Till (the embedded sandbox when
    `api_base` is None and no live credentials exist). The caller owns the QApplication; the
    translators for `lang` are installed now and removed when the window closes."""
    from pos_app.ui import i18n

    language = i18n.resolve_language(lang)
    translators = i18n.load_translators(language)
    i18n.install(translators)
    window = MainWindow(api_base, language, translators)
    window.amount.set_default_order_name(_default_order_name())
    window.setStyleSheet(style_sheet())
    window.resize(1280, 800)
    window.start()
    return window


def main(lang: str | None = None) -> int:
    from PySide6.QtGui import QIcon
    from PySide6.QtWidgets import QApplication

    from pos_app.logs import setup_logging
    from pos_app.ui import startup_probe

    setup_logging()
    app = QApplication.instance() or QApplication(sys.argv[:1])
    assert isinstance(app, QApplication)
    app.setApplicationName("pos-app")
    app.setApplicationDisplayName("POS")
    icon = importlib.resources.files("pos_app.resources") / "icons" / "pos-app-256.png"
    with importlib.resources.as_file(icon) as path:
        app.setWindowIcon(QIcon(str(path)))
    window = build_window(lang=lang)
    startup_probe.install(window)
    window.show()
    return app.exec()
