"""Startup timing for `make bench`: report when the window is first painted, and when it is first
painted complete, then close it.

With `POS_APP_STARTUP_PROBE=1` in the environment, `install(window, rest)` prints
`POS_APP_FIRST_PAINT <unix time>` at the window's first paint (its first frame: banner and key-in
form) and `POS_APP_COMPLETE_PAINT <unix time>` at the first paint of `rest()`, the part that
MainWindow.start adds after that frame, then closes the window (which stops the worker as any
close does). Without it, `install` does nothing. benchmarks/bench_startup.py starts the program,
notes the time, and subtracts. Only the watched widgets' own events pass through the probe: an
application-wide filter would slow the very start it measures.
"""

from __future__ import annotations

import os
import sys
import time
from collections.abc import Callable

from PySide6.QtCore import QEvent, QObject, QTimer
from PySide6.QtWidgets import QWidget

ENV_VAR = "POS_APP_STARTUP_PROBE"
MARKER = "POS_APP_FIRST_PAINT"
COMPLETE_MARKER = "POS_APP_COMPLETE_PAINT"


def enabled() -> bool:
    return os.environ.get(ENV_VAR) == "1"


def _report(marker: str) -> None:
    print(f"{marker} {time.time():.6f}", file=sys.stdout, flush=True)


class _Paints(QObject):
    def __init__(self, window: QWidget, rest: Callable[[], QWidget | None]) -> None:
        super().__init__(window)
        self._window = window
        self._rest = rest
        self._watched: QWidget | None = None

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() != QEvent.Type.Paint:
            return False
        if watched is self._window:
            self._window.removeEventFilter(self)
            _report(MARKER)
            QTimer.singleShot(0, self, self._watch_rest)
        elif watched is self._watched:
            self._watched.removeEventFilter(self)
            _report(COMPLETE_MARKER)
            # From the event loop, after this paint is done: closing stops the worker thread.
            QTimer.singleShot(0, self._window.close)
        return False

    def _watch_rest(self) -> None:
        """Once the rest of the window exists, watch it for its first paint (checked from the
        event loop until MainWindow.start has added it)."""
        rest = self._rest()
        if rest is None:
            QTimer.singleShot(0, self, self._watch_rest)
            return
        self._watched = rest
        rest.installEventFilter(self)


def install(window: QWidget, rest: Callable[[], QWidget | None]) -> None:
    """Report `window`'s first paint and then the first paint of `rest()` when the probe is
    enabled; otherwise do nothing."""
    if enabled():
        window.installEventFilter(_Paints(window, rest))
