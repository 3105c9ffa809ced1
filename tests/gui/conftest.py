"""Fixtures for driving the real main window against the real sandbox."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from gui_helpers import WAIT_MS, OpenWindow
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from pos_app.ui import look
from pos_app.ui.main_window import MainWindow


@pytest.fixture(scope="session", autouse=True)
def program_look(qapp: QApplication) -> None:
    """The look pos_app.app.main gives the program (Fusion, light palette) in every GUI test:
    on a Windows runner the tests would otherwise draw with the desktop's style and scheme."""
    look.use_light_look(qapp, style_chosen=False)


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
