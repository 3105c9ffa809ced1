"""`pos-app` paints its window with the key-in form first, then builds the rest and opens the
till (docs/packaging.md, startup time)."""

from __future__ import annotations

from gui_helpers import WAIT_MS
from PySide6.QtCore import QEvent, QObject
from pytestqt.qtbot import QtBot

from pos_app.app import _AfterFirstPaint, build_window, start_window
from pos_app.ui.main_window import MainWindow
from pos_app.ui.worker import running_threads


class _Paints(QObject):
    """Counts the window's paints and notes what the first one showed."""

    def __init__(self, window: MainWindow) -> None:
        super().__init__()
        self.window = window
        self.seen = 0
        # Card field shown, charge button enabled, right column (customers) built.
        self.first: tuple[bool, bool, bool] | None = None

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Paint:
            if self.first is None:
                self.first = (
                    self.window.card.number.isVisible(),
                    self.window.charge_button.isEnabled(),
                    hasattr(self.window, "customers"),
                )
            self.seen += 1
        return False


def test_worker_starts_after_the_first_paint_and_opens_the_till(
    qtbot: QtBot, sandbox_url: str
) -> None:
    window = build_window(sandbox_url, start=False)
    paints = _Paints(window)
    window.installEventFilter(paints)
    painted_before_start: list[int] = []

    def start() -> None:
        painted_before_start.append(paints.seen)
        start_window(window)

    _AfterFirstPaint(window, start)
    try:
        assert not running_threads() and not hasattr(window, "till")
        window.show()
        # The first frame is the window with its form; actions wait for the till, and the
        # result and customer list (empty until the till is open) come with it.
        qtbot.waitUntil(lambda: paints.seen > 0, timeout=WAIT_MS)
        assert paints.first == (True, False, False)
        qtbot.waitUntil(lambda: window.settled_at_start, timeout=WAIT_MS)
        assert len(painted_before_start) == 1 and painted_before_start[0] >= 1
        assert window.mode == "sandbox" and window.charge_button.isEnabled()
        assert window.customers.isVisible() and window.result.isVisible()
    finally:
        window.close()
        window.removeEventFilter(paints)
