"""One thread that runs callables in order and hands each result back on the GUI thread.

Electrum's `TaskThread` in spirit: `submit(fn, on_done, on_error)` queues `fn` for the worker
thread; `on_done(result)` or `on_error(exception)` runs on the GUI thread when it returns. Used
by staff sign-in, approvals and the audit trail (scrypt and SQLite never run on the GUI thread).
The thread starts with the first task; `stop()` lets every queued task finish first (they are
short local work: a PIN hash, an SQLite write), bounded by a timeout.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, QThread, Signal, Slot

log = logging.getLogger(__name__)

# A PIN check is about 0.1 s and a SQLite write a few ms; SQLite waits up to 30 s for a lock held
# by another process, so that is the most stop() should ever wait for.
STOP_TIMEOUT_MS = 35_000


class _Runner(QObject):
    done = Signal(int, bool, object)  # task id, succeeded, result or exception

    def __init__(self, on_close: Callable[[], None] | None) -> None:
        super().__init__()
        self._on_close = on_close

    @Slot(int, object)
    def run(self, task_id: int, fn: Callable[[], object]) -> None:
        try:
            result, ok = fn(), True
        except Exception as exc:
            result, ok = exc, False
        self.done.emit(task_id, ok, result)

    @Slot()
    def close(self) -> None:
        try:
            if self._on_close is not None:
                self._on_close()
        except Exception:
            log.exception("closing the task thread's resources failed")
        finally:
            self.thread().quit()


class TaskThread(QObject):
    _run = Signal(int, object)
    _close = Signal()

    def __init__(
        self,
        name: str,
        parent: QObject | None = None,
        on_close: Callable[[], None] | None = None,
    ) -> None:
        super().__init__(parent)
        self.worker_thread = QThread()
        self.worker_thread.setObjectName(name)
        self._runner = _Runner(on_close)
        self._runner.moveToThread(self.worker_thread)
        self._run.connect(self._runner.run)
        self._close.connect(self._runner.close)
        self._runner.done.connect(self._finished)
        self.worker_thread.finished.connect(self._runner.deleteLater)
        self._next = 0
        self._callbacks: dict[
            int, tuple[Callable[[Any], None] | None, Callable[[Exception], None] | None]
        ] = {}
        self._stopped = False

    def submit(
        self,
        fn: Callable[[], Any],
        on_done: Callable[[Any], None] | None = None,
        on_error: Callable[[Exception], None] | None = None,
    ) -> int:
        """Queue `fn`; returns its id (0 when the thread is already stopped: nothing runs)."""
        if self._stopped:
            return 0
        if not self.worker_thread.isRunning():
            self.worker_thread.start()
        self._next += 1
        self._callbacks[self._next] = (on_done, on_error)
        self._run.emit(self._next, fn)
        return self._next

    def pending(self) -> int:
        return len(self._callbacks)

    def forget(self, task_id: int) -> None:
        """Its answer is no longer wanted (the dialog that asked was closed)."""
        self._callbacks.pop(task_id, None)

    def stop(self) -> None:
        """Run what is queued, close, and end the thread. Callbacks of tasks still queued are
        not called (their askers are closing too)."""
        self._stopped = True
        self._callbacks.clear()
        if self.worker_thread.isRunning():
            self._close.emit()
            if not self.worker_thread.wait(STOP_TIMEOUT_MS):
                log.error("task thread %s did not stop in time", self.worker_thread.objectName())

    def _finished(self, task_id: int, ok: bool, result: object) -> None:
        on_done, on_error = self._callbacks.pop(task_id, (None, None))
        if ok:
            if on_done is not None:
                on_done(result)
        elif on_error is not None and isinstance(result, Exception):
            on_error(result)
        elif isinstance(result, BaseException):
            log.error("task failed: %s", type(result).__name__, exc_info=result)
