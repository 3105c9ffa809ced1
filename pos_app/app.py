"""The window program: `pos-app` with no command (also `make run`)."""

from __future__ import annotations

import gc
import sys
from collections.abc import Callable

from PySide6.QtCore import QEvent, QObject, QTimer
from PySide6.QtWidgets import QWidget

from pos_app.ui import assets
from pos_app.ui.main_window import MainWindow

# A window that is never painted (started minimised, on a locked screen) still opens its till.
FIRST_PAINT_WAIT_MS = 500


def _default_order_name() -> str:
    from pos_app.ui.settings_store import load_till_settings

    try:
        return load_till_settings().default_order_name
    except Exception:  # a broken settings file must not keep the till from opening
        return ""


def build_window(
    api_base: str | None = None, *, lang: str | None = None, start: bool = True
) -> MainWindow:
    """The wired main window, its worker already opening the Till (the embedded sandbox when
    `api_base` is None and no live credentials exist). The caller owns the QApplication; the
    translators for `lang` are installed now and removed when the window closes. With
    `start=False` the caller finishes it later with `start_window(window)`."""
    from pos_app.ui import i18n

    language = i18n.resolve_language(lang)
    translators = i18n.load_translators(language)
    i18n.install(translators)
    window = MainWindow(api_base, language, translators)
    window.setStyleSheet(assets.style_sheet())
    window.resize(1280, 800)
    if start:
        start_window(window)
    return window


def start_window(window: MainWindow) -> None:
    """What the first frame does without: the rest of the till's settings (they need the
    settings rules, services.settings), the right column and the worker opening the till."""
    window.amount.set_default_order_name(_default_order_name())
    window.start()


class _AfterFirstPaint(QObject):
    """Calls `then` once, from the event loop, after `window` has painted its first frame (or
    after FIRST_PAINT_WAIT_MS if no paint comes)."""

    def __init__(self, window: QWidget, then: Callable[[], None]) -> None:
        super().__init__(window)
        self._then: Callable[[], None] | None = then
        window.installEventFilter(self)
        QTimer.singleShot(FIRST_PAINT_WAIT_MS, self, self._run)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Paint and self._then is not None:
            # Queued: the filter sees the paint before it happens; this runs once it is shown.
            QTimer.singleShot(0, self, self._run)
        return False

    def _run(self) -> None:
        then, self._then = self._then, None
        if then is not None:
            window = self.parent()
            if window is not None:
                window.removeEventFilter(self)
            then()


def _open_till(window: MainWindow) -> None:
    gc.enable()  # off since the start (pos_app.cli), to spare the first paint its passes
    if not window.isVisible():
        return  # closed before its first paint: no till to open (closeEvent already ran)
    from pos_app.logs import setup_logging

    # Before the worker starts: it is the first thing that logs (nothing on the way to the first
    # paint does), and every record must pass the card-number filter.
    setup_logging()
    start_window(window)


def main(lang: str | None = None) -> int:
    from PySide6.QtGui import QIcon
    from PySide6.QtWidgets import QApplication

    from pos_app.ui import startup_probe

    app = QApplication.instance() or QApplication(sys.argv[:1])
    assert isinstance(app, QApplication)
    app.setApplicationName("pos-app")
    app.setApplicationDisplayName("POS")
    app.setWindowIcon(QIcon(str(assets.APP_ICON)))
    # The real window with its form is painted first; then logging is set up and the worker
    # thread starts opening the till (imports of httpx, Starlette, uvicorn, keyring, sqlite3, the
    # embedded sandbox). Started earlier, the worker's imports hold the GIL while the GUI thread
    # lays out and paints (docs/packaging.md, startup time). Until the till is open the banner
    # says so and every action is disabled, as before.
    window = build_window(lang=lang, start=False)
    window.card.number.setFocus()  # the first frame already shows where typing starts
    startup_probe.install(window)
    _AfterFirstPaint(window, lambda: _open_till(window))
    window.show()
    return app.exec()
