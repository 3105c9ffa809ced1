"""The window half of `pos-app --self-test`: the real main window, its worker and the sandbox.

The window is built offscreen exactly as `pos-app` builds it (build_window, the embedded sandbox),
driven through a charge cycle (charge_cycle.py), closed, and then no thread it started may be
left running. Every wait runs the event loop with a timeout (`wait_until`), so a hang is a failed
check and never a hung self-test.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import QCoreApplication, QEvent, QEventLoop, QThread, QTimer
from PySide6.QtWidgets import QWidget

if TYPE_CHECKING:
    from pos_app.commands.selftest.report import Report
    from pos_app.ui.main_window import MainWindow

OPEN_TIMEOUT_S = 30.0


def wait_until(condition: Callable[[], bool], timeout_s: float) -> bool:
    """Run the event loop until `condition()` holds or the time is up; True if it held."""
    if condition():
        return True
    loop = QEventLoop()
    deadline = time.monotonic() + timeout_s
    poll = QTimer()
    poll.setInterval(20)

    def check() -> None:
        if condition() or time.monotonic() > deadline:
            loop.quit()

    poll.timeout.connect(check)
    poll.start()
    loop.exec()
    poll.stop()
    return condition()


def run_window_checks(report: Report) -> None:
    from pos_app.app import build_window
    from pos_app.commands.selftest.charge_cycle import ChargeCycle  # it waits with wait_until
    from pos_app.services import places

    server = None
    api_base: str | None = None
    # With live credentials in the keychain, build_window(None) would open live mode: name a
    # sandbox instead (an explicit address always wins), so the self-test never charges for real.
    if places.current_mode() == "live":
        from pos_app.sandbox import SandboxServer

        server = SandboxServer()
        api_base = server.start()
    window: MainWindow | None = None
    workers: list[QThread] = []
    try:
        started = time.monotonic()
        window = build_window(api_base=api_base)
        window.show()
        built_in = time.monotonic() - started
        report.run("window", lambda: _check_window(window, built_in))
        report.run("charge_cycle", lambda: ChargeCycle(window).run())
    finally:
        if window is not None:
            workers = window.worker_threads()  # held here: they outlive the window's objects
            window.close()  # stops the worker threads, closes the Till and its embedded sandbox
            window.deleteLater()
            QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
        if server is not None:
            server.stop()
    report.run("shutdown", lambda: _check_no_threads_left(workers))


def _check_window(window: MainWindow, built_in: float) -> tuple[bool, str]:
    if not wait_until(lambda: window.mode != "", OPEN_TIMEOUT_S):
        banner = window.findChild(QWidget, "modeBanner")
        text = banner.property("text") if banner is not None else ""
        return False, f"the till did not open within {OPEN_TIMEOUT_S:.0f} s: {text}"
    size = window.size()
    return window.isVisible(), (
        f"{type(window).__name__} {size.width()}x{size.height()} built in {built_in:.2f} s, "
        f"mode {window.mode}, title {window.windowTitle()!r}"
    )


def _check_no_threads_left(workers: list[QThread]) -> tuple[bool, str]:
    """The window's own worker threads ended when it closed (none left to finish a request on
    its own), and so did every Python thread (the embedded sandbox's server)."""
    from pos_app.ui.task_thread import still_running

    def python_threads() -> list[str]:
        # A QThread that ran Python code leaves a "Dummy" entry behind that says it is alive
        # forever; whether a QThread still runs is what its own isRunning() says.
        return [
            t.name
            for t in threading.enumerate()
            if t is not threading.main_thread() and not isinstance(t, threading._DummyThread)
        ]

    def qt_threads() -> list[str]:
        running = [t for t in workers if t.isRunning()] + still_running()
        return sorted({t.objectName() for t in running})

    if not workers:
        return False, "the window started no worker thread"
    wait_until(lambda: not python_threads() and not qt_threads(), 10.0)
    extra, left = python_threads(), qt_threads()
    ok = not extra and not left
    names = ", ".join(t.objectName() for t in workers)
    detail = f"worker threads ({names}) and sandbox threads stopped"
    return ok, detail if ok else f"still running: {extra} {left}"
