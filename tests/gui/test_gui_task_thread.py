"""The window's one worker pattern (pos_app/ui/task_thread.py): answers on the GUI thread,
stale answers dropped, and a stop that never waits longer than it says."""

from __future__ import annotations

import threading

from gui_helpers import WAIT_MS
from PySide6.QtCore import QThread
from pytestqt.qtbot import QtBot

from pos_app.ui.task_thread import TaskThread, still_running, wait_left_running


def test_answers_come_back_on_the_gui_thread_and_a_forgotten_one_is_dropped(
    qtbot: QtBot,
) -> None:
    tasks = TaskThread("answers")
    answered: list[tuple[str, bool]] = []
    errors: list[Exception] = []
    gui = QThread.currentThread()

    def note(what: str) -> None:
        answered.append((what, QThread.currentThread() is gui))

    release = threading.Event()

    def late() -> str:
        release.wait(10)
        return "late"

    def broken() -> str:
        raise ZeroDivisionError

    forgotten = tasks.submit(late, note)
    tasks.submit(lambda: "second", note)
    tasks.submit(broken, note, errors.append)
    tasks.forget(forgotten)  # its asker no longer waits for it
    release.set()
    qtbot.waitUntil(lambda: bool(errors), timeout=WAIT_MS)
    assert answered == [("second", True)]
    assert isinstance(errors[0], ZeroDivisionError)
    assert tasks.stop()


def test_a_stop_that_times_out_leaves_the_task_to_finish_then_closes_after_it(
    qtbot: QtBot,
) -> None:
    """What closing the window or the settings dialog does with a request in flight."""
    release = threading.Event()
    closed: list[bool] = []
    answered: list[object] = []
    tasks = TaskThread("slow", on_close=lambda: closed.append(release.is_set()))
    tasks.submit(lambda: release.wait(10), answered.append)
    assert not tasks.stop(timeout_ms=50)  # the task is still running: stop gave up waiting
    assert tasks.worker_thread in still_running()
    assert tasks.submit(lambda: "after stop") == 0  # nothing new is taken
    release.set()
    assert wait_left_running(WAIT_MS)
    assert closed == [True]  # closed after the task ended, never under it
    assert answered == []  # its asker is gone: the answer is dropped
    assert still_running() == []
