"""Driving sign-in and a manager's approval the way people at the counter would."""

from __future__ import annotations

import json
from pathlib import Path

from gui_helpers import WAIT_MS, type_into
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QComboBox, QDialog, QLabel, QLineEdit, QPushButton
from pytestqt.qtbot import QtBot
from shiboken6 import isValid

from pos_app.services.staff import StaffBook, parse_pin
from pos_app.ui.main_window import MainWindow

MANAGER, MANAGER_PIN = "김사장", "9137"
CASHIER, CASHIER_PIN = "kim", "2468"


def add_staff(home: Path) -> None:
    """A manager and a cashier, as `pos-app staff add` would leave them."""
    home.mkdir(parents=True, exist_ok=True)
    with StaffBook.open(home / "staff.sqlite3", home / "audit.sqlite3", "T1") as book:
        book.add(MANAGER, "manager", parse_pin(MANAGER_PIN), by="system:test")
        book.add(CASHIER, "cashier", parse_pin(CASHIER_PIN), by="system:test")


def trail(home: Path) -> list[tuple[str, str, dict[str, object]]]:
    """(person, action, details) of every audit entry, oldest first."""
    with StaffBook.open(home / "staff.sqlite3", home / "audit.sqlite3", "T1") as book:
        assert book.trail.verify().ok
        return [(e.person, e.action, json.loads(e.details)) for e in book.trail.entries()]


def dialog_named(window: MainWindow, name: str) -> QDialog | None:
    found = window.findChild(QDialog, name)
    return found if found is not None and found.isVisible() else None


def sign_in_dialog(qtbot: QtBot, window: MainWindow) -> QDialog:
    qtbot.waitUntil(lambda: dialog_named(window, "signInDialog") is not None, timeout=WAIT_MS)
    dialog = dialog_named(window, "signInDialog")
    assert dialog is not None
    return dialog


def try_sign_in(qtbot: QtBot, window: MainWindow, name: str, pin: str) -> QDialog:
    """Choose the name, type the PIN, press 로그인; returns the dialog once it has answered."""
    dialog = sign_in_dialog(qtbot, window)
    combo = dialog.findChild(QComboBox, "signInNameCombo")
    edit = dialog.findChild(QLineEdit, "signInPinEdit")
    button = dialog.findChild(QPushButton, "signInButton")
    error = dialog.findChild(QLabel, "signInDialogError")
    assert combo is not None and edit is not None and button is not None and error is not None
    combo.setCurrentText(name)
    type_into(qtbot, edit, pin)
    button.click()
    assert edit.text() == ""  # wiped as soon as it was read
    # Accepted, the dialog is deleted; refused, it shows why.
    qtbot.waitUntil(
        lambda: not isValid(dialog) or not dialog.isVisible() or not error.isHidden(),
        timeout=WAIT_MS,
    )
    return dialog


def sign_in(qtbot: QtBot, window: MainWindow, name: str, pin: str) -> None:
    try_sign_in(qtbot, window, name, pin)
    qtbot.waitUntil(
        lambda: window.staff.person is not None and window.staff.person.name == name,
        timeout=WAIT_MS,
    )


class ApprovalDriver:
    """Answers the next manager-approval dialog: each PIN in `pins` in turn; when the last one is
    refused too, it cancels. Notes the errors it saw."""

    def __init__(self, qtbot: QtBot, pins: list[str], manager: str = MANAGER) -> None:
        self.qtbot, self.pins, self.manager = qtbot, list(pins), manager
        self.errors: list[str] = []
        self.intro = ""
        self.managers: list[str] = []
        self.seen = False
        self._dialog: QDialog | None = None
        QTimer.singleShot(0, self._poll)

    def _poll(self) -> None:
        dialog = QApplication.activeModalWidget()
        if not isinstance(dialog, QDialog) or dialog.objectName() != "managerApprovalDialog":
            QTimer.singleShot(10, self._poll)
            return
        self.seen, self._dialog = True, dialog
        combo = dialog.findChild(QComboBox, "managerNameCombo")
        intro = dialog.findChild(QLabel, "managerApprovalDialogText")
        assert combo is not None and intro is not None
        self.managers = [combo.itemText(i) for i in range(combo.count())]
        self.intro = intro.text()
        combo.setCurrentText(self.manager)
        self._next_pin()

    def _next_pin(self) -> None:
        dialog = self._dialog
        assert dialog is not None
        if not self.pins:
            cancel = dialog.findChild(QPushButton, "managerCancelButton")
            assert cancel is not None
            cancel.click()
            return
        edit = dialog.findChild(QLineEdit, "managerPinEdit")
        button = dialog.findChild(QPushButton, "managerApproveButton")
        assert edit is not None and button is not None
        type_into(self.qtbot, edit, self.pins.pop(0))
        button.click()
        QTimer.singleShot(10, self._wait_answer)

    def _wait_answer(self) -> None:
        dialog = self._dialog
        assert dialog is not None
        if not isValid(dialog) or not dialog.isVisible():
            return  # approved (and deleted)
        error = dialog.findChild(QLabel, "managerApprovalDialogError")
        assert error is not None
        button = dialog.findChild(QPushButton, "managerApproveButton")
        assert button is not None
        if error.isHidden() or not button.isEnabled():
            QTimer.singleShot(10, self._wait_answer)  # the worker is still checking
            return
        self.errors.append(error.text())
        error.hide()
        self._next_pin()
