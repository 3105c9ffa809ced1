"""Fixtures for driving the real main window against the real sandbox."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator

import pytest
from gui_helpers import WAIT_MS, OpenWindow
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from pos_app.ui import look
from pos_app.ui.main_window import MainWindow
from pos_app.ui.worker import running_threads


@pytest.fixture(scope="session", autouse=True)
def program_look(qapp: QApplication) -> None:
    """The look pos_app.app.main gives the program (Fusion, light palette) in every GUI test:
    on a Windows runner the tests would otherwise draw with the desktop's style and scheme."""
    look.use_light_look(qapp, style_chosen=False)


@pytest.fixture(autouse=True)
def no_dangling_threads() -> Iterator[None]:
    """tests/conftest.py's check, minus threads Python did not start.

    A QThread that runs Python code (logging, for one) shows up in threading.enumerate() as a
    _DummyThread that reports itself alive forever, even after the QThread has ended; those are
    judged by `no_running_qthreads` instead, through Qt's own isRunning().
    """
    before = set(threading.enumerate())
    yield
    leftover: list[threading.Thread] = []
    for _ in range(50):  # give threads that are stopping up to ~5 s to finish
        leftover = [
            t
            for t in threading.enumerate()
            if t not in before and t.is_alive() and not isinstance(t, threading._DummyThread)
        ]
        if not leftover:
            break
        time.sleep(0.1)
    assert not leftover, f"test left threads running: {[t.name for t in leftover]}"


@pytest.fixture(autouse=True)
def no_running_qthreads() -> Iterator[None]:
    """Fail a test whose till worker QThread is still running once its windows are closed.

    Autouse fixtures are set up first and torn down last, so this runs after `open_window`
    has closed every window it opened.
    """
    yield
    leftover = running_threads()
    for thread in leftover:  # stop them anyway, so one failure does not cascade
        thread.quit()
        thread.wait(5000)
    assert not leftover, f"test left worker threads running: {[t.objectName() for t in leftover]}"


@pytest.fixture
def open_window(qtbot: QtBot, sandbox_url: str) -> Iterator[OpenWindow]:
    """`open_window(api_base=sandbox_url, lang=None)`: a shown main window, its Till open."""
    from pos_app.app import build_window

    windows: list[MainWindow] = []

    def make(api_base: str | None = sandbox_url, lang: str | None = None) -> MainWindow:
        window = build_window(api_base, lang=lang)
        windows.append(window)
        window.show()
        # Open and settled: the reconciliation at start answers before any test acts, so its
        # reply never mixes with the ones a test counts.
        qtbot.waitUntil(lambda: window.settled_at_start, timeout=WAIT_MS)
        return window

    yield make
    for window in windows:
        window.close()
