"""Run something once a widget is on screen: how the window stages its start (docs/packaging.md,
startup time). Work that competes for the GIL (the worker thread's imports) or that the first
frame does without waits until the frame before it has been painted."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QEvent, QObject, QTimer
from PySide6.QtWidgets import QWidget

# A widget that is never painted (started minimised, on a locked screen) still gets there.
FIRST_PAINT_WAIT_MS = 500


class _AfterFirstPaint(QObject):
    def __init__(self, widget: QWidget, then: Callable[[], None]) -> None:
        super().__init__(widget)
        self._widget = widget
        self._then: Callable[[], None] | None = then
        widget.installEventFilter(self)
        QTimer.singleShot(FIRST_PAINT_WAIT_MS, self, self._run)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Paint and self._then is not None:
            # Queued: the filter sees the paint before it happens; this runs once it is shown.
            QTimer.singleShot(0, self, self._run)
        return False

    def _run(self) -> None:
        then, self._then = self._then, None
        if then is not None:
            self._widget.removeEventFilter(self)
            then()


def after_first_paint(widget: QWidget, then: Callable[[], None]) -> None:
    """Call `then` once, from the event loop, after `widget` has painted its first frame (or
    after FIRST_PAINT_WAIT_MS if no paint comes). Nothing happens if the widget is deleted
    first."""
    _AfterFirstPaint(widget, then)
