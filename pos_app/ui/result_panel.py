"""The result of the last action, unmistakable at a glance: colour, a big sign and the words.

The `outcome` property (issued, paid, declined, refused, unknown, invalid, deleted, refunded;
empty while a request runs) drives the style sheet and is what automated acceptance reads.
"""

from __future__ import annotations

import time
from collections.abc import Iterable
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import (
    QFormLayout,
    QFrame,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from pos_app.core.card_mask import card_tail
from pos_app.ui.repolish import repolish
from pos_app.ui.till_requests import Charged, Failed, Refunded, RefundUnsettled
from pos_app.ui.won import won

if TYPE_CHECKING:  # only named in annotations; imported on the worker thread (startup time)
    from pos_app.gateway.models import BillingKey, Payment
    from pos_app.services.outcome import ChargeOutcome
    from pos_app.services.refunds import RefundOutcome

_SIGNS = {
    "paid": "✓",
    "refunded": "↩",
    "issued": "✓",
    "deleted": "✓",
    "declined": "✕",
    "refused": "!",
    "unknown": "?",
    "invalid": "!",
    "": "…",
}


def format_time(unix_s: int) -> str:
    return time.strftime("%Y-%m-%d %H:%M:%S", time.localtime(unix_s)) if unix_s else "—"


def _card(company: str, masked: str) -> str:
    # PortOne's mask shows the first six digits too; the app shows the last four at most.
    return f"{company}  {card_tail(masked)}".strip() or "—"


class ResultPanel(QFrame):
    """Shows one result; `checkRequested(merchant_uid)` asks PortOne about an unknown outcome."""

    checkRequested = Signal(str)
    refundRequested = Signal(object)  # the Payment shown, to refund (part of) it
    printRequested = Signal(object)  # the Payment shown, to print its receipt

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("resultPanel")
        self.setProperty("outcome", "")
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.setAccessibleName(self.tr("결과"))
        self.sign = QLabel()
        self.sign.setObjectName("resultSign")
        self.sign.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.sign.setFixedSize(64, 64)
        self.headline = QLabel()
        self.headline.setObjectName("resultHeadline")
        self.headline.setWordWrap(True)
        self.message = QLabel()
        self.message.setObjectName("resultMessage")
        self.message.setWordWrap(True)
        self.message.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.details = QFormLayout()
        self.details.setHorizontalSpacing(16)
        self.details.setVerticalSpacing(4)
        self.receipt = QLabel()
        self.receipt.setObjectName("receiptLink")
        self.receipt.setOpenExternalLinks(True)
        # These come and go with the result, so they stay out of the Tab chain (the Tab count
        # from the card number to any button never changes); their keys reach them instead.
        self.check_button = _panel_button(
            self.tr("지금 PortOne에 확인"), "checkOutcomeButton", "F8"
        )
        self.check_button.clicked.connect(self._ask)
        self.refund_button = _panel_button(self.tr("환불"), "refundButton", "F6")
        self.refund_button.clicked.connect(self._ask_refund)
        self.print_button = _panel_button(self.tr("영수증 인쇄"), "printReceiptButton", "F7")
        self.print_button.clicked.connect(self._ask_print)

        head = QHBoxLayout()
        head.setSpacing(14)
        head.addWidget(self.sign, 0, Qt.AlignmentFlag.AlignTop)
        words = QVBoxLayout()
        words.setSpacing(4)
        words.addWidget(self.headline)
        words.addWidget(self.message)
        head.addLayout(words, 1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(18, 14, 18, 14)
        layout.addLayout(head)
        layout.addLayout(self.details)
        bottom = QHBoxLayout()
        bottom.addWidget(self.receipt)
        bottom.addStretch(1)
        bottom.addWidget(self.check_button)
        bottom.addWidget(self.print_button)
        bottom.addWidget(self.refund_button)
        layout.addLayout(bottom)
        layout.addStretch(1)
        self._merchant_uid = ""
        # The approved payment shown, which the refund button refunds (None: no button).
        self._refundable: Payment | None = None
        # The payment whose refund is shown as unknown, for reconciliation to settle here.
        self._refund_imp_uid = ""
        # The approved or refunded payment shown, whose receipt the print button prints.
        self._printable: Payment | None = None
        # Detail rows are made once and reused: new widgets under a style sheet cost a polish.
        self._detail_rows: list[tuple[QLabel, QLabel]] = []
        self._details_used = 0
        self.show_idle()

    def outcome(self) -> str:
        return str(self.property("outcome") or "")

    def merchant_uid(self) -> str:
        """The order an `unknown` result is about (empty otherwise)."""
        return self._merchant_uid

    # -- states --------------------------------------------------------------------------
    def show_idle(self) -> None:
        self._set("", self.tr("대기 중"), self.tr("카드 정보를 입력하고 작업을 선택하세요."))
        self.sign.setText("")
        self.setProperty("state", "idle")
        self._repolish()

    def show_running(self, text: str, message: str = "") -> None:
        self._set("", text, message or self.tr("PortOne 응답을 기다리는 중입니다…"))

    def show_question(self) -> None:
        """A question (same amount again, a manager's reason) is open: nothing has gone out."""
        self._set(
            "",
            self.tr("질문에 답해 주세요"),
            self.tr("답을 기다리는 중입니다. 아직 아무것도 보내지 않았습니다."),
        )

    def show_paid(
        self,
        payment: Payment,
        *,
        member: tuple[str, str] | None = None,
        saved_as: str = "",
        looked_up: bool = False,
    ) -> None:
        """`member` (name, customer_uid) charged; `saved_as` the customer_uid the card was saved
        under (발급 + 결제); `looked_up` when this is PortOne's answer to a look-up (F9, or the
        check after an unknown outcome), not a charge just made."""
        if looked_up:
            note = self.tr("%1 — PortOne에서 조회한 결제입니다. 지금 새로 결제한 것이 아닙니다.")
            self._set(
                "paid",
                self.tr("조회 결과: 결제 승인"),
                note.replace("%1", won(payment.amount)),
            )
        else:
            self._set("paid", self.tr("결제 승인"), won(payment.amount))
        self.setProperty("lookedUp", looked_up)
        if saved_as:  # 발급 + 결제: the member is the customer_uid the card was saved under
            self._add(self.tr("카드 저장"), _member(member[0] if member else "", saved_as))
        elif member is not None:
            self._add(self.tr("고객"), _member(*member))
        quota = (
            self.tr("일시불")
            if payment.card_quota < 2
            else self.tr("%n개월", "", payment.card_quota)
        )
        self._add(self.tr("승인번호"), payment.apply_num or "—")
        # One line for the card and the instalments: a 690-line screen has few to spare.
        self._add(self.tr("카드"), f"{_card(payment.card_name, payment.card_number)} · {quota}")
        self._add(self.tr("승인 시각"), format_time(payment.paid_at))
        self._add(self.tr("주문번호"), payment.merchant_uid)
        if payment.receipt_url:
            words = self.tr("영수증 보기")  # outside the f-string, where lupdate finds it
            link = f'<a href="{payment.receipt_url}">{words}</a>'
            self.receipt.setText(link)
        self._offer_refund(payment)
        self._offer_print(payment)

    def show_refunded(self, payment: Payment, refunded: int) -> None:
        self._set("refunded", self.tr("환불 완료"), won(refunded or payment.cancel_amount))
        self._add(self.tr("환불 금액"), won(refunded or payment.cancel_amount))
        self._add(self.tr("총 환불 금액"), won(payment.cancel_amount))
        self._add(self.tr("남은 환불 가능 금액"), won(payment.refundable))
        self._add(self.tr("카드"), _card(payment.card_name, payment.card_number))
        self._add(self.tr("환불 시각"), format_time(_refund_time(payment)))
        self._add(self.tr("주문번호"), payment.merchant_uid)
        self._offer_refund(payment)
        self._offer_print(payment)

    def show_refund_unknown(self, message: str, imp_uid: str = "") -> None:
        # Till.refund journals the cancel as unknown; reconciliation (the 미확인 결제 확인 button,
        # or the next start) settles it from PortOne's refundable amount, never by resending.
        text = self.tr(
            "환불이 되었는지 아직 알 수 없습니다. 다시 환불하지 말고 '미확인 결제 확인'으로 "
            "확인하세요."
        )
        self._set("unknown", self.tr("환불 결과 확인 필요"), f"{text}\n{message}".strip())
        self._refund_imp_uid = imp_uid

    def _offer_print(self, payment: Payment) -> None:
        self._printable = payment
        self.print_button.show()

    def _offer_refund(self, payment: Payment) -> None:
        if payment.refundable > 0:
            self._refundable = payment
            self.refund_button.show()

    def show_declined(self, payment: Payment, *, member: tuple[str, str] | None = None) -> None:
        reason = payment.fail_reason or self.tr("카드사가 사유를 알려주지 않았습니다.")
        self._set("declined", self.tr("카드사 거절"), reason)
        if member is not None:
            self._add(self.tr("고객"), _member(*member))
        self._add(self.tr("금액"), won(payment.amount))
        self._add(self.tr("카드"), _card(payment.card_name, payment.card_number))
        self._add(self.tr("거절 시각"), format_time(payment.failed_at))
        self._add(self.tr("주문번호"), payment.merchant_uid)

    def show_refused(self, message: str, *, refund: bool = False) -> None:
        if refund:
            self._set("refused", self.tr("환불 거부 — 환불되지 않았습니다"), message)
        else:
            self._set("refused", self.tr("요청 거부 — 결제되지 않았습니다"), message)

    def show_unknown(self, merchant_uid: str, message: str) -> None:
        text = self.tr(
            "결제가 되었는지 아직 알 수 없습니다. 다시 결제하지 말고 아래 버튼으로 확인하세요."
        )
        self._set("unknown", self.tr("결과 확인 필요"), f"{text}\n{message}".strip())
        self._add(self.tr("주문번호"), merchant_uid)
        self._merchant_uid = merchant_uid
        self.check_button.show()

    def show_issued(self, key: BillingKey) -> None:
        self._set("issued", self.tr("카드 등록 완료 (빌링키 발급)"), key.customer_uid)
        self._add(self.tr("카드"), card_tail(key.card_number) or "—")
        self._add(self.tr("카드사"), key.card_name or "—")
        self._add(self.tr("등록 시각"), format_time(key.updated or key.inserted))

    def show_deleted(self, key: BillingKey) -> None:
        self._set("deleted", self.tr("등록 카드 삭제 완료"), key.customer_uid)
        self._add(self.tr("카드"), card_tail(key.card_number) or "—")

    def show_cancelled(self, headline: str) -> None:
        """The person said no to a guard's question: nothing was written or sent."""
        self._set("cancelled", headline, self.tr("아무것도 보내지 않았습니다."))
        self.sign.setText("")
        self.setProperty("state", "idle")
        self._repolish()

    def show_settled(
        self, outcomes: Iterable[ChargeOutcome], refunds: Iterable[RefundOutcome] = ()
    ) -> None:
        """A reconciliation settled the unknown charge or refund shown here: show what it
        came to."""
        if self.outcome() != "unknown":
            return
        for refund in refunds:
            if not self._refund_imp_uid or refund.imp_uid != self._refund_imp_uid:
                continue
            if refund.kind == "refunded" and refund.payment is not None:
                self.show_refunded(refund.payment, refund.amount)
            elif refund.kind == "not_refunded":
                self.show_refused(
                    self.tr("PortOne의 결제 금액이 그대로입니다. 환불되지 않았습니다."),
                    refund=True,
                )
            return
        for outcome in outcomes:
            if outcome.merchant_uid == self._merchant_uid and outcome.kind != "unknown":
                self.show_charged(Charged(outcome, "check_outcome", customer_uid=""))
                return

    def show_invalid(self, messages: list[str]) -> None:
        self._set(
            "invalid",
            self.tr("입력을 확인하세요 — 아무것도 보내지 않았습니다"),
            "\n".join(messages),
        )

    def show_charged(self, answer: Charged) -> None:
        """What a charge, or a lookup of one, came to."""
        outcome = answer.outcome
        payment = outcome.payment
        member = _member_of(answer)
        if outcome.kind == "paid" and payment is not None:
            saved_as = answer.customer_uid if answer.via == "issue_and_charge" else ""
            looked_up = answer.via == "check_outcome"
            self.show_paid(payment, member=member, saved_as=saved_as, looked_up=looked_up)
        elif outcome.kind == "declined" and payment is not None:
            self.show_declined(payment, member=member)
        elif outcome.kind == "declined":
            # Declined with no payment to show (V2's PG_PROVIDER, V1's decline answered as a
            # refusal): still the card company's no, with its words.
            self._set("declined", self.tr("카드사 거절"), outcome.message)
            self._add(self.tr("주문번호"), outcome.merchant_uid)
        elif outcome.kind == "unknown":
            self.show_unknown(outcome.merchant_uid, self._said(outcome))
        else:
            self.show_refused(self._said(outcome))

    def show_failed(self, failed: Failed, *, refund: bool = False) -> None:
        """Nothing was done: a broken rule is shown as the form's, anything else as refused."""
        if failed.invalid and not refund:
            self.show_invalid([failed.message])
        else:
            self.show_refused(failed.message, refund=refund)

    def show_refund_answer(self, answer: Refunded | RefundUnsettled | Failed) -> None:
        if isinstance(answer, Refunded):
            self.show_refunded(answer.payment, answer.amount)
        elif isinstance(answer, RefundUnsettled):
            self.show_refund_unknown(answer.message, answer.imp_uid)
        else:  # PortOne's words verbatim (already refunded, checksum mismatch, ...)
            self.show_failed(answer, refund=True)

    def _said(self, outcome: ChargeOutcome) -> str:
        """The outcome's words in the window's language: ours by their reason code, PortOne's as
        PortOne gave them. The generic "unknown" adds nothing to the panel's own text."""
        words = {
            "unknown": "",
            "in_flight": self.tr(
                "PortOne이나 다른 창·계산대에서 아직 처리 중일 수 있습니다. "
                "잠시 후 다시 확인하세요."
            ),
            "never_happened": self.tr("PortOne에 결제 기록이 없습니다. 결제되지 않았습니다."),
            "already_paid": self.tr("이미 결제된 주문입니다 (같은 주문번호)."),
            "already_paid_unseen": self.tr(
                "PortOne이 이미 결제되었다고 답했지만 결제 내역을 아직 보여주지 않습니다."
            ),
            "uid_reused": self.tr("이 주문번호는 다른 결제에 이미 쓰였습니다."),
            "never_seen": self.tr("이 주문번호의 결제 기록이 없습니다 (이 계산대와 PortOne 모두)."),
        }
        return words.get(outcome.reason, outcome.message)

    # -- plumbing ------------------------------------------------------------------------
    def _set(self, outcome: str, headline: str, message: str) -> None:
        for row in range(len(self._detail_rows)):
            self.details.setRowVisible(row, False)
        self._details_used = 0
        self.receipt.clear()
        self.check_button.hide()
        self.refund_button.hide()
        self.print_button.hide()
        self._printable = None
        self._refundable = None
        self._merchant_uid = ""
        self._refund_imp_uid = ""
        self.setProperty("lookedUp", False)
        self.setProperty("outcome", outcome)
        self.setProperty("state", outcome or "running")
        self.sign.setText(_SIGNS.get(outcome, ""))
        self.headline.setText(headline)
        self.message.setText(message)
        self.setAccessibleDescription(f"{headline}. {message}")
        self._repolish()

    def _add(self, label: str, value: str) -> None:
        if self._details_used == len(self._detail_rows):
            name_label, value_label = QLabel(), QLabel()
            name_label.setProperty("role", "detailName")
            value_label.setProperty("role", "detailValue")
            value_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            self.details.addRow(name_label, value_label)
            self._detail_rows.append((name_label, value_label))
        name_label, value_label = self._detail_rows[self._details_used]
        name_label.setText(label)
        value_label.setText(value)
        self.details.setRowVisible(self._details_used, True)
        self._details_used += 1

    def _repolish(self) -> None:
        repolish(self, self.sign, self.headline)

    def _ask_print(self) -> None:
        if self._printable is not None:
            self.printRequested.emit(self._printable)

    def _ask_refund(self) -> None:
        if self._refundable is not None:
            self.refundRequested.emit(self._refundable)

    def _ask(self) -> None:
        if self._merchant_uid:
            self.checkRequested.emit(self._merchant_uid)


def _panel_button(text: str, name: str, key: str) -> QPushButton:
    button = QPushButton(f"{text} ({key})")
    button.setObjectName(name)
    button.setAccessibleName(text)
    button.setShortcut(QKeySequence(key))
    button.setFocusPolicy(Qt.FocusPolicy.ClickFocus)
    return button


def _member(name: str, customer_uid: str) -> str:
    return f"{name} · {customer_uid}" if name else customer_uid


def _member_of(answer: Charged) -> tuple[str, str] | None:
    """The saved customer a charge was for (재결제, 발급 + 결제, or a looked-up one)."""
    if answer.via not in ("charge_again", "issue_and_charge", "check_outcome"):
        return None
    uid = answer.customer_uid or answer.outcome.customer_uid or ""
    if not uid:
        return None
    name = answer.customer.name if answer.customer is not None else ""
    return name, uid


def _refund_time(payment: Payment) -> int:
    """When the last refund went through (a partial one leaves `cancelled_at` at 0)."""
    times = [record.cancelled_at for record in payment.cancel_history]
    return max(times, default=0) or payment.cancelled_at or int(time.time())
