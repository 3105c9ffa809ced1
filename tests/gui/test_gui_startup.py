"""`pos-app` starts in stages, each once the one before is on screen: the window with its key-in
form, then the result column and customer list, then the worker opening the till
(pos_app.app.start_in_stages; docs/packaging.md, startup time)."""

from __future__ import annotations

import weakref

from gui_helpers import WAIT_MS
from PySide6.QtCore import QCoreApplication, QEvent, QObject, QThread
from pytestqt.qtbot import QtBot

from pos_app.app import build_window, start_in_stages
from pos_app.ui.main_window import MainWindow


class _Stages(QObject):
    """Notes, in order, the window's first paint (with what it showed), the customer list's
    first paint, and the moment the worker thread is started. An application-wide filter: the
    customer list does not exist yet when watching starts."""

    def __init__(self, window: MainWindow) -> None:
        super().__init__()
        self.window = window
        self.events: list[str] = []
        # Card field shown, charge button enabled, customer list built.
        self.first_frame: tuple[bool, bool, bool] | None = None

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() != QEvent.Type.Paint:
            return False
        if watched is self.window and "window painted" not in self.events:
            self.events.append("window painted")
            self.first_frame = (
                self.window.card.number.isVisible(),
                self.window.charge_button.isEnabled(),
                hasattr(self.window, "customers"),
            )
        elif watched.objectName() == "customerPanel" and "list painted" not in self.events:
            self.events.append("list painted")
        return False


def test_window_paints_its_form_then_its_list_then_opens_the_till(
    qtbot: QtBot, sandbox_url: str, no_running_qthreads: StartedQThreads
) -> None:
    window = build_window(sandbox_url, start=False)
    stages = _Stages(window)
    app = QCoreApplication.instance()
    assert app is not None
    app.installEventFilter(stages)
    start_till = window.start_till

    def noted_start_till() -> None:
        stages.events.append("worker started")
        start_till()

    window.start_till = noted_start_till  # type: ignore[method-assign]
    start_in_stages(window)
    try:
        assert not running(no_running_qthreads) and not hasattr(window, "till")
        window.show()
        qtbot.waitUntil(lambda: window.settled_at_start, timeout=WAIT_MS)
        assert stages.events == ["window painted", "list painted", "worker started"]
        # The first frame: the form, its actions waiting for the till, no list yet.
        assert stages.first_frame == (True, False, False)
        assert window.mode == "sandbox" and window.charge_button.isEnabled()
        assert window.customers.isVisible() and window.result.isVisible()
    finally:
        app.removeEventFilter(stages)
        window.close()
    assert not running(no_running_qthreads)


def test_window_closed_before_its_first_paint_opens_no_till(
    qtbot: QtBot, sandbox_url: str, no_running_qthreads: StartedQThreads
) -> None:
    window = build_window(sandbox_url, start=False)
    start_in_stages(window)
    window.show()
    window.close()  # before the event loop ran: nothing painted yet
    qtbot.wait(700)  # past the stage's wait for a paint that never comes (500 ms)
    assert not running(no_running_qthreads) and not hasattr(window, "till")


# The QThreads the test started, as tests/conftest.py's `no_running_qthreads` notes them.
StartedQThreads = weakref.WeakKeyDictionary[QThread, str]


def running(started: StartedQThreads) -> list[str]:
    return [thread.objectName() for thread in started if thread.isRunning()]
