"""The refund question: how much (all that is still refundable, or part), why, and a last look at
the amount and the card before anything is sent."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QCoreApplication, Qt, QTimer
from PySide6.QtGui import QFocusEvent, QKeyEvent
from PySide6.QtWidgets import (
    QAbstractButton,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from pos_app.core.card_mask import card_tail
from pos_app.core.errors import InvalidInput
from pos_app.core.money import parse_refund_amount as core_parse_refund_amount
from pos_app.core.order import REASON_MAX
from pos_app.ui.fields import FieldRow
from pos_app.ui.till_requests import RefundRequest
from pos_app.ui.won import won

if TYPE_CHECKING:  # only named in annotations; imported on the worker thread (startup time)
    from pos_app.gateway.models import Payment


def parse_refund_amount(text: str, refundable: int, lang: str = "ko") -> tuple[int | None, str]:
    """The amount in whole KRW, or None and the message to show next to the field (the rule is
    core.money.parse_refund_amount; this only puts its message in the window's language)."""
    try:
        return core_parse_refund_amount(text, refundable), ""
    except InvalidInput as exc:
        return None, exc.message(lang)


class AmountEdit(QLineEdit):
    """Selects its text whenever it gets focus: typing 20000 over a prefilled 55000 replaces it
    instead of making 5500020000."""

    def focusInEvent(self, event: QFocusEvent) -> None:
        super().focusInEvent(event)
        # After the mouse press that gave focus has placed the cursor.
        QTimer.singleShot(0, self.selectAll)


class RefundDialog(QDialog):
    """Amount prefilled with what is still refundable; OK refuses a bad amount or no reason.

    Enter in a field never refunds (nor moves the focus onto the refund button). The refund
    button says how much it refunds; only a click, Space, or Enter on that button presses it.
    """

    def __init__(self, parent: QWidget, payment: Payment, lang: str = "ko") -> None:
        super().__init__(parent)
        self._lang = lang
        self.setObjectName("refundDialog")
        self.setWindowTitle(QCoreApplication.translate("refund_dialog", "환불"))
        self.payment = payment
        self.card = f"{payment.card_name}  {card_tail(payment.card_number)}".strip() or "—"
        form = QFormLayout()
        self.amount = AmountEdit(str(payment.refundable))
        self.amount.setObjectName("refundAmountEdit")
        self.amount.setMaxLength(15)
        self.amount_row = FieldRow(
            form, QCoreApplication.translate("refund_dialog", "환불 금액 (원)"), self.amount
        )
        self.reason = QLineEdit()
        self.reason.setObjectName("refundReasonEdit")
        self.reason.setMaxLength(REASON_MAX)
        self.reason.setPlaceholderText(QCoreApplication.translate("refund_dialog", "예: 고객 요청"))
        self.reason_row = FieldRow(
            form, QCoreApplication.translate("refund_dialog", "환불 사유"), self.reason
        )
        self.confirm_text = QLabel()
        self.confirm_text.setObjectName("refundConfirmText")
        self.confirm_text.setWordWrap(True)
        buttons = QDialogButtonBox()
        self.accept_button = buttons.addButton(
            QCoreApplication.translate("refund_dialog", "환불하기"),
            QDialogButtonBox.ButtonRole.AcceptRole,
        )
        self.accept_button.setObjectName("refundConfirmButton")
        self.accept_button.setAutoDefault(False)
        cancel = buttons.addButton(
            QCoreApplication.translate("refund_dialog", "취소"),
            QDialogButtonBox.ButtonRole.RejectRole,
        )
        cancel.setObjectName("refundCancelButton")
        cancel.setAutoDefault(False)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        self.amount.textChanged.connect(self._update_text)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.confirm_text)
        layout.addWidget(buttons)
        self._update_text()
        self.result_amount = 0
        self.amount.setFocus()

    def keyPressEvent(self, event: QKeyEvent) -> None:
        # QDialog presses its default button on Enter wherever the focus is. Here Enter in the
        # amount goes on to the reason, Enter in the reason stays there (moving on would put
        # the refund button under a second Enter), and a button presses only when it has the
        # focus itself.
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            focused = self.focusWidget()
            if isinstance(focused, QAbstractButton):
                focused.click()
            elif focused is self.amount:
                self.reason.setFocus(Qt.FocusReason.TabFocusReason)
            event.accept()
            return
        super().keyPressEvent(event)

    def _update_text(self) -> None:
        amount, _error = parse_refund_amount(
            self.amount.text(), self.payment.refundable, self._lang
        )
        shown = won(amount) if amount is not None else "—"
        if amount is None:
            self.accept_button.setText(QCoreApplication.translate("refund_dialog", "환불하기"))
        else:
            self.accept_button.setText(
                QCoreApplication.translate("refund_dialog", "%1 환불").replace("%1", shown)
            )
        self.confirm_text.setText(
            QCoreApplication.translate(
                "refund_dialog",
                "%1을 카드 %2로 환불합니다 (주문번호 %3). 환불은 취소할 수 없습니다.",
            )
            .replace("%1", shown)
            .replace("%2", self.card)
            .replace("%3", self.payment.merchant_uid)
        )

    def accept(self) -> None:
        amount, error = parse_refund_amount(self.amount.text(), self.payment.refundable, self._lang)
        self.amount_row.clear_error()
        self.reason_row.clear_error()
        if amount is None:
            self.amount_row.show_error(error)
        if not self.reason.text().strip():
            self.reason_row.show_error(
                QCoreApplication.translate("refund_dialog", "환불 사유를 입력하세요.")
            )
        if amount is None or not self.reason.text().strip():
            return  # nothing is sent until both are right
        self.result_amount = amount
        super().accept()


def ask_refund(parent: QWidget, payment: Payment, lang: str = "ko") -> RefundRequest | None:
    """The refund request the cashier confirmed, or None (cancelled: nothing is sent)."""
    dialog = RefundDialog(parent, payment, lang)
    try:
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return None
        return RefundRequest(payment.imp_uid, dialog.result_amount, dialog.reason.text().strip())
    finally:
        dialog.deleteLater()
