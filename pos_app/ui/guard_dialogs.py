"""The questions a guarded charge asks: a manager's reason to charge a customer whose earlier
charge is unsettled, and "the same amount again?" within five minutes; the reconcile note."""

from __future__ import annotations

import time
from dataclasses import replace
from typing import TYPE_CHECKING

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from pos_app.core.order import REASON_MAX
from pos_app.ui.confirm import ask
from pos_app.ui.till_requests import ChargeRequest, GuardQuestion
from pos_app.ui.won import won

if TYPE_CHECKING:  # only named in annotations; imported on the worker thread (startup time)
    from pos_app.services.outcome import ChargeOutcome
    from pos_app.services.refunds import RefundOutcome
    from pos_app.store.journal import JournalRow


def _clock(unix_s: float) -> str:
    return time.strftime("%H:%M:%S", time.localtime(unix_s))


class OverrideDialog(QDialog):
    """Asks for the reason; OK stays disabled until one is typed (a blank reason is no reason)."""

    def __init__(self, parent: QWidget, customer_uid: str, rows: tuple[JournalRow, ...]) -> None:
        super().__init__(parent)
        self.setObjectName("overrideDialog")
        self.setWindowTitle(
            QCoreApplication.translate("guard_dialogs", "확인 중인 결제가 있습니다")
        )
        lines = [
            f"{row.merchant_uid} · {won(row.amount)} · {_clock(row.created_at)}" for row in rows
        ]
        text = QLabel(
            QCoreApplication.translate(
                "guard_dialogs",
                "고객 ID %1의 이전 결제 결과를 아직 확인하지 못했습니다. 먼저 '미확인 결제 "
                "확인'으로 확인하세요. 그래도 결제하려면 관리자 사유를 입력하세요.",
            ).replace("%1", customer_uid)
            + "\n\n"
            + "\n".join(lines)
        )
        text.setObjectName("overrideText")
        text.setWordWrap(True)
        self.reason = QLineEdit()
        self.reason.setObjectName("overrideReasonEdit")
        self.reason.setMaxLength(REASON_MAX)
        self.reason.setPlaceholderText(
            QCoreApplication.translate("guard_dialogs", "관리자 사유 (예: 카드사에 결제 없음 확인)")
        )
        self.reason.setAccessibleName(QCoreApplication.translate("guard_dialogs", "관리자 사유"))
        buttons = QDialogButtonBox()
        self.accept_button = buttons.addButton(
            QCoreApplication.translate("guard_dialogs", "사유 기록 후 결제"),
            QDialogButtonBox.ButtonRole.AcceptRole,
        )
        self.accept_button.setObjectName("overrideConfirmButton")
        self.accept_button.setEnabled(False)
        cancel = buttons.addButton(
            QCoreApplication.translate("guard_dialogs", "취소"),
            QDialogButtonBox.ButtonRole.RejectRole,
        )
        cancel.setObjectName("overrideCancelButton")
        cancel.setDefault(True)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        self.reason.textChanged.connect(
            lambda value: self.accept_button.setEnabled(bool(value.strip()))
        )
        layout = QVBoxLayout(self)
        layout.addWidget(text)
        layout.addWidget(self.reason)
        layout.addWidget(buttons)

    def accept(self) -> None:
        if self.reason.text().strip():  # Enter in the field must not pass an empty reason
            super().accept()


def ask_override(parent: QWidget, customer_uid: str, rows: tuple[JournalRow, ...]) -> str | None:
    """The manager's reason, or None when the charge should not go ahead."""
    dialog = OverrideDialog(parent, customer_uid, rows)
    try:
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return None
        return dialog.reason.text().strip() or None
    finally:
        dialog.deleteLater()


def duplicate_text(customer_uid: str, row: JournalRow) -> str:
    """The question, naming the counter (terminal) that made the earlier charge: on a shared
    store it may well be another one."""
    minutes = max(0, int((time.time() - row.created_at) // 60))
    if minutes < 1 and row.terminal:  # not "0분 전"
        text = QCoreApplication.translate(
            "guard_dialogs",
            "방금(%2) 계산대 %5에서 고객 ID %3에게 같은 금액 %4을 결제했습니다. 한 번 더 "
            "결제할까요?",
        )
    elif minutes < 1:
        text = QCoreApplication.translate(
            "guard_dialogs",
            "방금(%2) 고객 ID %3에게 같은 금액 %4을 결제했습니다. 한 번 더 결제할까요?",
        )
    elif row.terminal:
        text = QCoreApplication.translate(
            "guard_dialogs",
            "%1분 전(%2) 계산대 %5에서 고객 ID %3에게 같은 금액 %4을 결제했습니다. 한 번 더 "
            "결제할까요?",
        )
    else:
        text = QCoreApplication.translate(
            "guard_dialogs",
            "%1분 전(%2)에 고객 ID %3에게 같은 금액 %4을 결제했습니다. 한 번 더 결제할까요?",
        )
    return (
        text.replace("%1", str(minutes))
        .replace("%2", _clock(row.created_at))
        .replace("%3", customer_uid)
        .replace("%4", won(row.amount))
        .replace("%5", row.terminal)
    )


def ask_duplicate(parent: QWidget, customer_uid: str, row: JournalRow) -> bool:
    return ask(
        parent,
        QCoreApplication.translate("guard_dialogs", "같은 금액 재결제"),
        duplicate_text(customer_uid, row),
        QCoreApplication.translate("guard_dialogs", "한 번 더 결제"),
    )


def ask_guards(
    parent: QWidget, question: GuardQuestion, held: ChargeRequest
) -> ChargeRequest | None:
    """The request to send again with the person's answers, or None to drop the charge. A charge
    still in flight for this customer (elsewhere, or PortOne still working) is never asked
    about: nothing but waiting for its outcome helps."""
    if question.in_flight:
        return None
    reason = held.override_reason
    if question.blocked:
        reason = ask_override(parent, question.customer_uid, question.blocked) or ""
        if not reason:
            return None
    if question.duplicate is not None and not ask_duplicate(
        parent, question.customer_uid, question.duplicate
    ):
        return None
    return replace(
        held,
        override_reason=reason,
        confirmed_duplicate=held.confirmed_duplicate or question.duplicate is not None,
    )


def reconcile_note(
    outcomes: tuple[ChargeOutcome, ...],
    message: str,
    *,
    asked: bool,
    refunds: tuple[RefundOutcome, ...] = (),
) -> str:
    """The status-bar note after reconciling (charges and refunds counted alike); empty when
    nothing needs saying."""
    if message:
        return QCoreApplication.translate(
            "guard_dialogs", "미확인 결제를 확인하지 못했습니다: %1"
        ).replace("%1", message)
    if not outcomes and not refunds:
        return (
            QCoreApplication.translate("guard_dialogs", "미확인 결제가 없습니다") if asked else ""
        )
    still = sum(1 for o in outcomes if o.kind == "unknown")
    still += sum(1 for r in refunds if r.kind == "unknown")
    total = len(outcomes) + len(refunds)
    if still:
        return (
            QCoreApplication.translate(
                "guard_dialogs", "미확인 결제 %1건 확인 — %2건은 아직 확인 중"
            )
            .replace("%1", str(total))
            .replace("%2", str(still))
        )
    return QCoreApplication.translate("guard_dialogs", "미확인 결제 %1건 확인 완료").replace(
        "%1", str(total)
    )
