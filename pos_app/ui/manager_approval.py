"""A manager's PIN, asked in place when a cashier refunds, deletes a saved card, overrides a
guard or changes settings (`managerApprovalDialog`: `managerNameCombo`, `managerPinEdit`,
`managerApproveButton`). The service records the approval, or the refusal, with the action."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtWidgets import QPushButton, QWidget

from pos_app.ui.pin_check import PinCheck, PinCheckDialog
from pos_app.ui.task_thread import TaskThread


class ManagerApprovalDialog(PinCheckDialog):
    def __init__(
        self,
        parent: QWidget,
        tasks: TaskThread,
        check: PinCheck,
        lang: str,
        managers: Sequence[str],
        what: str,
    ) -> None:
        super().__init__(
            parent,
            tasks,
            check,
            lang,
            managers,
            (
                "managerApprovalDialog",
                "managerNameCombo",
                "managerPinEdit",
                "managerApproveButton",
            ),
        )
        self.setWindowTitle(self.tr("관리자 승인"))
        self.intro.setText(
            self.tr(
                "%1에는 관리자 승인이 필요합니다. 관리자가 이름을 고르고 PIN을 입력하세요."
            ).replace("%1", what)
        )
        self.button.setText(self.tr("승인"))
        cancel = QPushButton(self.tr("취소"))
        cancel.setObjectName("managerCancelButton")
        cancel.setAutoDefault(False)
        cancel.clicked.connect(self.reject)
        self.buttons.addWidget(self.button)
        self.buttons.addWidget(cancel)
