"""The window blames the right thing when the till cannot open: a damaged, missing or read-only
journal is a storage problem in a dialog (start anew with the old file kept / try again / quit),
a broken API host is a settings problem; neither is "PortOne에 연결할 수 없습니다". Nothing can be
charged until the person decides."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from gui_helpers import WAIT_MS
from PySide6.QtWidgets import QAbstractButton, QApplication, QLabel, QMessageBox
from pytestqt.qtbot import QtBot
from storage_faults import ON_A_MOUNT, damage, read_only

from pos_app.store.integrity import set_aside_files
from pos_app.store.journal import Journal
from pos_app.ui.main_window import MainWindow


@pytest.fixture
def windows() -> Iterator[list[MainWindow]]:
    opened: list[MainWindow] = []
    yield opened
    for window in opened:
        window.close()


def _journal(home: Path) -> Path:
    return home / "sandbox" / "journal.sqlite3"


def _journal_with_a_charge(home: Path) -> Path:
    path = _journal(home)
    with Journal(path) as journal:
        row = journal.begin("M-1", "charge_again", origin="sandbox", amount=1000)
        journal.settle(row.id, "paid")
    return path


def _open(windows: list[MainWindow], api_base: str | None) -> MainWindow:
    from pos_app.app import build_window

    window = build_window(api_base)
    windows.append(window)
    window.show()
    return window


def _question(qtbot: QtBot, window: MainWindow) -> QMessageBox:
    qtbot.waitUntil(lambda: window.till_actions.storage_dialog is not None, timeout=WAIT_MS)
    box = window.till_actions.storage_dialog
    assert box is not None
    qtbot.waitUntil(box.isVisible, timeout=WAIT_MS)
    return box


def _button(box: QMessageBox, name: str) -> QAbstractButton:
    button = box.findChild(QAbstractButton, name)
    assert button is not None, name
    return button


def _cannot_charge(window: MainWindow) -> None:
    assert not window.charge_button.isEnabled()
    assert not window.issue_charge_button.isEnabled()
    assert not window.customers.again_button.isEnabled()


def test_a_damaged_journal_asks_and_starts_anew_keeping_the_old_file(
    qtbot: QtBot, sandbox_url: str, pos_app_home: Path, windows: list[MainWindow]
) -> None:
    path = _journal_with_a_charge(pos_app_home)
    damage(path, "garbage")
    window = _open(windows, sandbox_url)
    box = _question(qtbot, window)
    assert "손상" in box.text() and "PortOne" not in box.text()
    banner = window.banner.text()
    assert "PortOne" not in banner and "결제를 멈췄습니다" in banner
    (moved,) = set_aside_files(path)
    assert str(moved) in box.informativeText()
    _cannot_charge(window)
    assert _button(box, "storageStartNewButton").isVisible()

    _button(box, "storageStartNewButton").click()
    qtbot.waitUntil(lambda: window.settled_at_start, timeout=WAIT_MS)
    assert window.mode == "sandbox" and "연습 모드" in window.banner.text()
    assert moved.exists() and path.exists()
    with Journal(path) as journal:
        assert journal.all_rows() == []


@pytest.mark.posix_only(reason=ON_A_MOUNT)
def test_a_read_only_journal_asks_to_try_again(
    qtbot: QtBot, sandbox_url: str, pos_app_home: Path, windows: list[MainWindow]
) -> None:
    _journal_with_a_charge(pos_app_home)
    with read_only(pos_app_home / "sandbox"):
        window = _open(windows, sandbox_url)
        box = _question(qtbot, window)
        assert "읽기 전용" in box.text()
        assert box.findChild(QAbstractButton, "storageStartNewButton") is None
        _cannot_charge(window)
    # Fixed (writable again): try again opens the same journal, its charge still there.
    _button(box, "storageRetryButton").click()
    qtbot.waitUntil(lambda: window.settled_at_start, timeout=WAIT_MS)
    with Journal(_journal(pos_app_home)) as journal:
        assert [r.merchant_uid for r in journal.all_rows()] == ["M-1"]


def test_quitting_closes_the_window_and_leaves_the_files_alone(
    qtbot: QtBot, sandbox_url: str, pos_app_home: Path, windows: list[MainWindow]
) -> None:
    path = _journal_with_a_charge(pos_app_home)
    path.unlink()
    window = _open(windows, sandbox_url)
    box = _question(qtbot, window)
    assert "없어졌습니다" in box.text()
    _button(box, "storageQuitButton").click()
    qtbot.waitUntil(lambda: not window.isVisible(), timeout=WAIT_MS)
    assert not path.exists()  # no empty journal appeared in its place


def test_the_dialog_speaks_english(
    qtbot: QtBot, sandbox_url: str, pos_app_home: Path, windows: list[MainWindow]
) -> None:
    from pos_app.app import build_window

    damage(_journal_with_a_charge(pos_app_home), "truncated")
    window = build_window(sandbox_url, lang="en")
    windows.append(window)
    window.show()
    box = _question(qtbot, window)
    assert "damaged" in box.text()
    assert _button(box, "storageStartNewButton").text() == "Start a new journal"


def test_a_broken_live_api_host_is_a_settings_problem_not_portone(
    qtbot: QtBot, pos_app_home: Path, windows: list[MainWindow]
) -> None:
    pos_app_home.mkdir(parents=True, exist_ok=True)
    (pos_app_home / "settings.ini").write_text(
        "[till]\nmode=live\napi_host=ftp://api.iamport.kr\n", encoding="utf-8"
    )
    window = _open(windows, None)
    qtbot.waitUntil(lambda: window.banner.property("mode") == "failed", timeout=WAIT_MS)
    text = window.banner.text()
    assert "설정" in text and "API 주소" in text and "settings.ini" in text
    assert "PortOne에 연결할 수 없습니다" not in text
    _cannot_charge(window)


def test_the_settings_dialog_shows_a_broken_api_host_as_saved(
    qtbot: QtBot, pos_app_home: Path
) -> None:
    from pos_app.ui.settings_dialog import SettingsDialog

    pos_app_home.mkdir(parents=True, exist_ok=True)
    (pos_app_home / "settings.ini").write_text(
        "[till]\nmode=live\napi_host=http://evil.example\n", encoding="utf-8"
    )
    dialog = SettingsDialog()
    qtbot.addWidget(dialog)
    try:
        dialog.show()
        assert dialog.api_host.currentText() == "http://evil.example"
        error = dialog.findChild(QLabel, "apiHostError")
        assert error is not None and error.isVisible() and "https://" in error.text()
    finally:
        dialog.close()
    QApplication.processEvents()
