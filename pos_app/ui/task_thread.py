"""The window's one worker pattern: a thread that runs callables in order and hands each result
back on the GUI thread.

Electrum's `TaskThread` in spirit: `submit(fn, on_done, on_error)` queues `fn` for the worker
thread and returns its id; `on_done(result)` or `on_error(exception)` runs on the GUI thread when
it returns, unless the asker `forget`s the id first (a stale answer is dropped). Everything that
may block — PortOne, the journal, the keychain, scrypt — goes through one of these: the till's
(ui/worker.py, `TillThread`), the settings dialog's, the staff gate's and the billing run's.

Stopping is bounded. `stop()` queues the owner's `on_close` behind what is queued, then waits up
to its limit. A task still running then (a charge waiting for a slow card company, a keychain
waiting for a person) is left to finish on its own: its callbacks are dropped, the thread is kept
alive until it ends (`still_running()`), and it closes its resources after it. Nothing is cut off
mid-call: for a charge that means its answer is still recorded in the journal, or — if the
program exits first — its intent is there for the next start to settle by asking PortOne
(docs/window.md, "Closing with a request in flight").
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any, TypeVar

from PySide6.QtCore import QObject, QThread, Signal, Slot

log = logging.getLogger(__name__)

T = TypeVar("T")

# A PIN check is about 0.1 s and a SQLite write a few ms; SQLite waits up to 30 s for a lock held
# by another process, so that is the most stop() waits for by default.
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


class _LeftRunning(QObject):
    """Keeps threads whose owner stopped waiting for them (and their runners) alive until they
    end: a QThread destroyed while it runs aborts the process. Lives on the GUI thread, so the
    thread's `finished` reaches `release` there, after the thread is done with its objects."""

    def __init__(self) -> None:
        super().__init__()
        self.threads: dict[QThread, _Runner] = {}

    def keep(self, thread: QThread, runner: _Runner) -> None:
        self.threads[thread] = runner
        thread.finished.connect(self.release)

    @Slot()
    def release(self) -> None:
        for thread in [t for t in self.threads if t.isFinished()]:
            thread.wait()
            del self.threads[thread]


_left_running: _LeftRunning | None = None


def still_running() -> list[QThread]:
    """Threads a bounded stop() left to finish their task, still running."""
    if _left_running is None:
        return []
    return [t for t in _left_running.threads if t.isRunning()]


def wait_left_running(timeout_ms: int) -> bool:
    """At exit: give threads left running up to `timeout_ms` in all to end; False if one still
    runs (the caller then ends the process without destroying them)."""
    if _left_running is None:
        return True
    for thread in list(_left_running.threads):
        if not thread.wait(timeout_ms):
            return False
    _left_running.release()
    return True


class TaskThread(QObject):
    _run = Signal(int, object)
    _close = Signal()

    def __init__(
        self,
        name: str,
        parent: QObject | None = None,
        on_close: Callable[[], None] | None = None,
        *,
        stop_timeout_ms: int = STOP_TIMEOUT_MS,
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
        self.stop_timeout_ms = stop_timeout_ms
        self._next = 0
        self._callbacks: dict[
            int, tuple[Callable[[Any], None] | None, Callable[[Exception], None] | None]
        ] = {}
        self._stopped = False

    def start(self) -> None:
        """Start the thread now (otherwise it starts with the first task)."""
        if not self._stopped and not self.worker_thread.isRunning():
            self.worker_thread.start()

    def submit(
        self,
        fn: Callable[[], T],
        on_done: Callable[[T], None] | None = None,
        on_error: Callable[[Exception], None] | None = None,
    ) -> int:
        """Queue `fn`; returns its id (0 when the thread is already stopped: nothing runs)."""
        if self._stopped:
            return 0
        self.start()
        self._next += 1
        self._callbacks[self._next] = (on_done, on_error)
        self._run.emit(self._next, fn)
        return self._next

    def pending(self) -> int:
        return len(self._callbacks)

    def forget(self, task_id: int) -> None:
        """Its answer is no longer wanted (the dialog that asked was closed)."""
        self._callbacks.pop(task_id, None)

    def running(self) -> bool:
        return self.worker_thread.isRunning()

    def stop(self, timeout_ms: int | None = None) -> bool:
        """Run what is queued, close, and end the thread, waiting up to `timeout_ms` (the
        thread's `stop_timeout_ms` by default). Callbacks of tasks not answered yet are not
        called (their askers are closing too). True when the thread ended; False when a task
        was still running at the limit: it is left to finish (see the module's docstring)."""
        self._stopped = True
        self._callbacks.clear()
        if not self.worker_thread.isRunning():
            return True
        self._close.emit()
        limit = self.stop_timeout_ms if timeout_ms is None else timeout_ms
        if self.worker_thread.wait(limit):
            return True
        global _left_running
        if _left_running is None:
            _left_running = _LeftRunning()
        _left_running.keep(self.worker_thread, self._runner)
        log.warning(
            "%s: a task is still running after %d ms; it is left to finish on its own",
            self.worker_thread.objectName(),
            limit,
        )
        return False

    def _finished(self, task_id: int, ok: bool, result: object) -> None:
        on_done, on_error = self._callbacks.pop(task_id, (None, None))
        if ok:
            if on_done is not None:
                on_done(result)
        elif on_error is not None and isinstance(result, Exception):
            on_error(result)
        elif isinstance(result, BaseException):
            log.error("task failed: %s", type(result).__name__, exc_info=result)
