"""What the sign-in and the manager-approval dialogs share: a name, a PIN, one button, and the
PIN checked on the staff worker thread (scrypt takes about 0.1 s; the GUI thread never waits).

The PIN leaves the field as a `StaffPin` (wiped by the service once checked) and the field is
wiped at once, whatever the answer.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QFormLayout,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from pos_app.ui.fields import error_note
from pos_app.ui.secure_edit import PinEdit
from pos_app.ui.task_thread import TaskThread

if TYPE_CHECKING:
    from pos_app.core.staff_pin import StaffPin
    from pos_app.store.staff import StaffMember

# Runs on the worker thread: the person the PIN belongs to, or raises StaffError.
PinCheck = Callable[[str, "StaffPin"], "StaffMember"]


class PinCheckDialog(QDialog):
    """`member` is set when the dialog is accepted."""

    def __init__(
        self,
        parent: QWidget,
        tasks: TaskThread,
        check: PinCheck,
        lang: str,
        names: Sequence[str],
        object_names: tuple[str, str, str, str],
    ) -> None:
        super().__init__(parent)
        dialog_name, combo_name, pin_name, button_name = object_names
        self.setObjectName(dialog_name)
        self._tasks = tasks
        self._check = check
        self._lang = lang
        self._task = 0
        self.member: StaffMember | None = None
        self.intro = QLabel()
        self.intro.setObjectName(f"{dialog_name}Text")
        self.intro.setWordWrap(True)
        self.names = QComboBox()
        self.names.setObjectName(combo_name)
        self.pin = PinEdit()
        self.pin.setObjectName(pin_name)
        self.error = error_note(self, f"{dialog_name}Error")
        self.button = QPushButton()
        self.button.setObjectName(button_name)
        self.button.setDefault(True)
        self.form = QFormLayout()
        self.form.addRow(self.intro)
        self.form.addRow(self.tr("이름"), self.names)
        self.form.addRow(self.tr("PIN"), self.pin)
        self.form.addRow(self.error)
        self.buttons = QVBoxLayout()
        layout = QVBoxLayout(self)
        layout.addLayout(self.form)
        layout.addLayout(self.buttons)
        self.button.clicked.connect(self.submit)
        self.pin.returnPressed.connect(self.submit)
        self.names.activated.connect(lambda _i: self.pin.setFocus())
        self.set_names(names)

    def set_names(self, names: Sequence[str]) -> None:
        chosen = self.names.currentText()
        self.names.clear()
        self.names.addItems(list(names))
        if chosen in names:
            self.names.setCurrentText(chosen)
        self.button.setEnabled(bool(names) and not self._task)

    def submit(self) -> None:
        from pos_app.services.staff import parse_pin

        if self._task or not self.names.currentText():
            return
        name, text = self.names.currentText(), self.pin.text()
        self.pin.wipe()
        self.error.hide()
        try:
            pin = parse_pin(text)
        except Exception as exc:
            self._failed(exc)
            return
        self.button.setEnabled(False)
        self._task = self._tasks.submit(
            lambda: self._check(name, pin), self._answered, self._failed
        )

    def _answered(self, member: StaffMember) -> None:
        self._task = 0
        self.button.setEnabled(True)
        self.member = member
        self.accept()

    def _failed(self, exc: Exception) -> None:
        from pos_app.services.staff import StaffError

        self._task = 0
        self.button.setEnabled(True)
        message = exc.message(self._lang) if isinstance(exc, StaffError) else str(exc)
        self.error.setText(message)
        self.error.show()
        self.pin.setFocus(Qt.FocusReason.OtherFocusReason)

    def done(self, result: int) -> None:
        self.pin.wipe()
        if self._task:
            self._tasks.forget(self._task)  # an answer arriving after close is not wanted
            self._task = 0
        super().done(result)
