"""The window program: `pos-app` with no command (also `make run`)."""

from __future__ import annotations

import gc
import logging
import os

from pos_app.ui import assets
from pos_app.ui.after_paint import after_first_paint
from pos_app.ui.main_window import MainWindow

log = logging.getLogger(__name__)

# How long the program, its window closed, waits for a request the window left running (a charge
# waiting on a slow card company: connect and read timeouts, then one lookup after a lost answer).
EXIT_WAIT_MS = 45_000


def _default_order_name() -> str:
    from pos_app.services.settings import load_till_settings

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
    window.fit_to_screen()
    if start:
        start_window(window)
    return window


def start_window(window: MainWindow) -> None:
    """Finish a window built with start=False at once: the right column and what the buttons
    do, the rest of the till's settings, and the worker opening the till."""
    window.add_till_side()
    _start_till(window)


def _start_till(window: MainWindow) -> None:
    # The default order name needs the settings' rules (services.settings), which the first
    # frame does without; it is the order name field's placeholder.
    window.amount.set_default_order_name(_default_order_name())
    window.start_till()


def start_in_stages(window: MainWindow) -> None:
    """Finish a window built with start=False once it is on screen, in stages: after its first
    paint the right column and what the buttons do; after the column's first paint, logging,
    the rest of the settings and the worker opening the till."""
    after_first_paint(window, lambda: _after_first_frame(window))


def _after_first_frame(window: MainWindow) -> None:
    gc.enable()  # off since the start (pos_app.cli), to spare the first paint its passes
    if not window.isVisible():
        return  # closed before its first paint: no till to open (closeEvent already ran)
    window.add_till_side()
    # The column is painted before the worker's imports start competing for the GIL.
    after_first_paint(window.customers, lambda: _after_complete_frame(window))


def _after_complete_frame(window: MainWindow) -> None:
    if not window.isVisible():
        return
    from pos_app.logs import setup_logging

    # Before the worker starts: it is the first thing that logs (nothing on the way here
    # does), and every record must pass the card-number filter.
    setup_logging()
    _start_till(window)


def main(lang: str | None = None) -> int:
    from PySide6.QtGui import QIcon
    from PySide6.QtWidgets import QApplication

    from pos_app.ui import look, startup_probe

    existing = QApplication.instance()
    app = existing or QApplication(look.application_arguments())
    assert isinstance(app, QApplication)
    look.use_light_look(app, style_chosen=existing is None)  # dark desktops included
    app.setApplicationName("pos-app")
    app.setApplicationDisplayName("POS")
    app.setWindowIcon(QIcon(str(assets.APP_ICON)))
    # Three stages, each once the one before is on screen: the first frame (banner, key-in form
    # with focus in the card number); the right column and what the buttons do; then logging and
    # the worker thread opening the till (imports of httpx, Starlette, uvicorn, keyring, sqlite3,
    # the embedded sandbox). Started earlier, the worker's imports hold the GIL while the GUI
    # thread lays out and paints (docs/packaging.md, startup time). Until the till is open the
    # banner says so and every action is disabled.
    window = build_window(lang=lang, start=False)
    window.card.number.setFocus()  # the first frame already shows where typing starts
    startup_probe.install(window, lambda: getattr(window, "customers", None))
    start_in_stages(window)
    window.show()
    return finish(app.exec())


def finish(status: int) -> int:
    """The window is closed. A request it left running (ui/task_thread.py) gets its answer
    recorded first, up to EXIT_WAIT_MS; past that the process ends without waiting for it (a
    running thread must not be destroyed): a charge's intent is in the journal before it is
    sent, so the next start settles it by asking PortOne, never by sending it again."""
    from pos_app.ui.task_thread import still_running, wait_left_running

    if still_running() and not wait_left_running(EXIT_WAIT_MS):
        log.error("a request was still running at exit: the next start settles it")
        logging.shutdown()
        os._exit(status)
    return status
