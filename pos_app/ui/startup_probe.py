"""Startup timing for `make bench`: report the first paint of the main window, then quit.

With `POS_APP_STARTUP_PROBE=1` in the environment, `install(window)` prints one line
`POS_APP_FIRST_PAINT <unix time>` to standard output when the window is first painted and quits
the event loop; without it, `install` does nothing. benchmarks/bench_startup.py starts the program,
notes the time, and subtracts.
"""

from __future__ import annotations

import os
import sys
import time

from PySide6.QtCore import QCoreApplication, QEvent, QObject, QTimer
from PySide6.QtWidgets import QWidget

ENV_VAR = "POS_APP_STARTUP_PROBE"
MARKER = "POS_APP_FIRST_PAINT"


def enabled() -> bool:
    return os.environ.get(ENV_VAR) == "1"


class _FirstPaint(QObject):
    def __init__(self, window: QWidget) -> None:
        super().__init__(window)
        self._reported = False

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Paint and not self._reported:
            self._reported = True
            print(f"{MARKER} {time.time():.6f}", file=sys.stdout, flush=True)
            # Quit from the event loop, after this paint has been completed and flushed.
            QTimer.singleShot(0, QCoreApplication.quit)
        return False


def install(window: QWidget) -> None:
    """Watch `window` for its first paint when the probe is enabled; otherwise do nothing."""
    if enabled():
        window.installEventFilter(_FirstPaint(window))
