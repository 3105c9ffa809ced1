"""The sign-in screen: who is at the counter (`signInNameCombo`) and their PIN (`signInPinEdit`).

Shown over the window, whose form is hidden and wiped, at start (once a manager exists), after
잠금 and after the idle lock. It cannot be dismissed: Esc and the close box do nothing; 끝내기
closes the program.
"""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QCloseEvent
from PySide6.QtWidgets import QPushButton, QWidget

from pos_app.ui.pin_check import PinCheck, PinCheckDialog
from pos_app.ui.task_thread import TaskThread


class SignInDialog(PinCheckDialog):
    quitRequested = Signal()

    def __init__(
        self,
        parent: QWidget,
        tasks: TaskThread,
        check: PinCheck,
        lang: str,
        names: Sequence[str],
    ) -> None:
        super().__init__(
            parent,
            tasks,
            check,
            lang,
            names,
            ("signInDialog", "signInNameCombo", "signInPinEdit", "signInButton"),
        )
        self.setWindowTitle(self.tr("로그인"))
        self.setWindowModality(Qt.WindowModality.WindowModal)
        self.intro.setText(self.tr("이름을 고르고 PIN을 입력하세요."))
        self.button.setText(self.tr("로그인"))
        self.quit_button = QPushButton(self.tr("끝내기"))
        self.quit_button.setObjectName("signInQuitButton")
        self.quit_button.setAutoDefault(False)
        self.quit_button.clicked.connect(self.quitRequested.emit)
        self.buttons.addWidget(self.button)
        self.buttons.addWidget(self.quit_button)

    def reject(self) -> None:
        pass  # Esc: the counter stays locked until someone signs in

    def closeEvent(self, event: QCloseEvent) -> None:
        event.ignore()
