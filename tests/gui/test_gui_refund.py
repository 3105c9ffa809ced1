"""Refunds from the result panel, against the real sandbox: full, partial twice, bad input that
sends nothing, and PortOne's refusal of a payment already refunded elsewhere."""

from __future__ import annotations

import time
from typing import Any

import pytest
from gui_helpers import (
    WAIT_MS,
    OpenWindow,
    elsewhere,
    fill_amount,
    fill_card,
    requests_seen,
    run_action,
    sandbox_get,
    sandbox_post,
    type_into,
)
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QLabel, QLineEdit, QPushButton
from pytestqt.qtbot import QtBot
from safety_helpers import journal_rows

from pos_app.ui.main_window import MainWindow
from pos_app.ui.refund_dialog import RefundDialog

VISA = "4242424242424242"


def panel_text(window: MainWindow) -> str:
    return " ".join(label.text() for label in window.result.findChildren(QLabel))


def cancels_seen(base: str) -> int:
    return sum(1 for r in requests_seen(base) if r["path"] == "/payments/cancel")


def the_payment(base: str) -> dict[str, Any]:
    payments = sandbox_get(base, "/__sandbox__/payments")
    assert len(payments) == 1
    payment: dict[str, Any] = payments[0]
    return payment


def charge(qtbot: QtBot, window: MainWindow, amount: str = "30000") -> None:
    fill_card(qtbot, window, VISA)
    fill_amount(qtbot, window, amount, "Refund test")
    assert run_action(qtbot, window, window.charge_button) == "paid"
    assert window.result.refund_button.isVisible()
    assert window.result.refund_button.isEnabled()


def refund_directly(base: str, imp_uid: str, checksum: int) -> None:
    """A refund made elsewhere (PortOne's console, another till): straight to the sandbox."""
    with elsewhere(base) as portone:
        answer = portone.post("/payments/cancel", json={"imp_uid": imp_uid, "checksum": checksum})
        assert answer.json()["code"] == 0, answer.text


class DialogDriver:
    """Fills the refund dialog when it opens, presses 환불하기, and notes what it showed; if the
    dialog stays open (a field error), notes the errors and cancels."""

    def __init__(self, qtbot: QtBot, amount: str | None, reason: str = "고객 요청") -> None:
        self.qtbot, self.amount, self.reason = qtbot, amount, reason
        self.prefilled = ""
        self.confirm_text = ""
        self.errors: list[str] = []
        self.accepted = False
        self.busy_after: bool | None = None
        QTimer.singleShot(0, self._poll)

    def _poll(self) -> None:
        dialog = QApplication.activeModalWidget()
        if not isinstance(dialog, RefundDialog):
            QTimer.singleShot(10, self._poll)
            return
        assert dialog.objectName() == "refundDialog"
        amount = dialog.findChild(QLineEdit, "refundAmountEdit")
        reason = dialog.findChild(QLineEdit, "refundReasonEdit")
        assert amount is not None and reason is not None
        self.prefilled = amount.text()
        if self.amount is not None:
            amount.clear()
            type_into(self.qtbot, amount, self.amount)
        type_into(self.qtbot, reason, self.reason)
        text = dialog.findChild(QLabel, "refundConfirmText")
        assert text is not None
        self.confirm_text = text.text()
        confirm = dialog.findChild(QPushButton, "refundConfirmButton")
        assert confirm is not None
        confirm.click()
        if dialog.isVisible():
            self.errors = [
                label.text()
                for name in ("refundAmountError", "refundReasonError")
                if (label := dialog.findChild(QLabel, name)) is not None and label.isVisible()
            ]
            cancel = dialog.findChild(QPushButton, "refundCancelButton")
            assert cancel is not None
            cancel.click()
        else:
            self.accepted = True


def refund_in_window(
    qtbot: QtBot, window: MainWindow, amount: str | None, reason: str = "고객 요청"
) -> DialogDriver:
    driver = DialogDriver(qtbot, amount, reason)
    window.result.refund_button.click()
    if driver.accepted:
        # One click, one refund: everything is disabled until the worker answers.
        assert not window.result.refund_button.isEnabled()
        assert not window.charge_button.isEnabled()
        window.result.refund_button.click()  # ignored: no second dialog, no second cancel
        qtbot.waitUntil(lambda: window.result.outcome() != "", timeout=WAIT_MS)
    return driver


def test_full_refund_cancels_the_payment_and_shows_refunded(
    qtbot: QtBot, open_window: OpenWindow, sandbox_url: str
) -> None:
    window = open_window()
    charge(qtbot, window, "30000")
    driver = refund_in_window(qtbot, window, None)
    assert driver.prefilled == "30000"
    assert "30,000원" in driver.confirm_text and "4242" in driver.confirm_text
    assert "424242" not in driver.confirm_text  # last four only
    assert window.result.outcome() == "refunded"
    shown = panel_text(window)
    assert "환불 완료" in shown and "30,000원" in shown and "**** 4242" in shown
    assert not window.result.refund_button.isVisible()  # nothing left to refund
    payment = the_payment(sandbox_url)
    assert payment["status"] == "cancelled" and payment["cancel_amount"] == 30000
    assert cancels_seen(sandbox_url) == 1


def test_two_partial_refunds_add_up(
    qtbot: QtBot, open_window: OpenWindow, sandbox_url: str
) -> None:
    window = open_window()
    charge(qtbot, window, "30000")
    refund_in_window(qtbot, window, "10000")
    assert window.result.outcome() == "refunded"
    assert "20,000원" in panel_text(window)  # still refundable
    assert the_payment(sandbox_url)["cancel_amount"] == 10000
    driver = refund_in_window(qtbot, window, "5,000", "부분 반품")
    assert driver.prefilled == "20000"  # what is left, not the first amount
    assert window.result.outcome() == "refunded"
    payment = the_payment(sandbox_url)
    assert payment["status"] == "paid" and payment["cancel_amount"] == 15000
    assert "15,000원" in panel_text(window)
    assert window.result.refund_button.isVisible()
    assert cancels_seen(sandbox_url) == 2


def test_invalid_amounts_and_no_reason_send_nothing(
    qtbot: QtBot, open_window: OpenWindow, sandbox_url: str
) -> None:
    window = open_window()
    charge(qtbot, window, "30000")
    for amount, message in (
        ("0", "1원 이상 30,000원 이하"),
        ("30001", "1원 이상 30,000원 이하"),
        ("abc", "숫자"),
        ("12.5", "소수점"),
    ):
        driver = refund_in_window(qtbot, window, amount)
        assert not driver.accepted
        assert len(driver.errors) == 1 and message in driver.errors[0], driver.errors
    driver = refund_in_window(qtbot, window, None, reason="")
    assert not driver.accepted and driver.errors == ["환불 사유를 입력하세요."]
    assert window.result.outcome() == "paid"  # the panel still offers the refund
    assert window.result.refund_button.isEnabled()
    assert cancels_seen(sandbox_url) == 0
    assert the_payment(sandbox_url)["cancel_amount"] == 0


def test_already_refunded_shows_portones_message_verbatim(
    qtbot: QtBot, open_window: OpenWindow, sandbox_url: str
) -> None:
    window = open_window()
    charge(qtbot, window, "30000")
    imp_uid = the_payment(sandbox_url)["imp_uid"]
    refund_directly(sandbox_url, imp_uid, 30000)  # refunded elsewhere meanwhile
    driver = refund_in_window(qtbot, window, None)
    assert driver.accepted
    assert window.result.outcome() == "refused"
    assert window.result.message.text() == "이미 전액취소된 주문입니다."
    assert "환불되지 않았습니다" in window.result.headline.text()
    assert the_payment(sandbox_url)["cancel_amount"] == 30000


def test_partly_refunded_elsewhere_refuses_a_stale_amount(
    qtbot: QtBot, open_window: OpenWindow, sandbox_url: str
) -> None:
    window = open_window()
    charge(qtbot, window, "30000")
    imp_uid = the_payment(sandbox_url)["imp_uid"]
    with elsewhere(sandbox_url) as portone:
        portone.post(
            "/payments/cancel", json={"imp_uid": imp_uid, "amount": 25000, "checksum": 30000}
        ).raise_for_status()
    refund_in_window(qtbot, window, None)  # the panel's 30,000 is stale
    assert window.result.outcome() == "refused"
    assert window.result.message.text() == "취소요청금액(30000)이 취소가능금액(5000)보다 큽니다."
    assert the_payment(sandbox_url)["cancel_amount"] == 25000


def test_refund_in_english(qtbot: QtBot, open_window: OpenWindow) -> None:
    window = open_window(lang="en")
    charge(qtbot, window, "30000")
    assert window.result.refund_button.text() == "Refund (F6)"
    refund_in_window(qtbot, window, None, reason="customer asked")
    assert window.result.outcome() == "refunded"
    assert window.result.headline.text() == "Refunded"


def test_lost_refund_answers(
    qtbot: QtBot, open_window: OpenWindow, sandbox_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A cancel whose answer is lost is looked up at once (PortOne's cancel_history); if that
    cannot prove it, the panel says unknown and not to refund again."""
    # A short wait for answers: a lost cancel stops being "in flight" within 2 s.
    monkeypatch.setenv("POS_APP_READ_TIMEOUT_S", "1")
    monkeypatch.setenv("POS_APP_SETTLE_GRACE_S", "0")
    window = open_window()
    charge(qtbot, window, "30000")
    fault = {"endpoint": "/payments/cancel", "kind": "drop_after", "times": 1}
    sandbox_post(sandbox_url, "/__sandbox__/faults", fault)
    refund_in_window(qtbot, window, "10000")
    assert window.result.outcome() == "refunded"  # the look-up found it went through
    assert the_payment(sandbox_url)["cancel_amount"] == 10000
    sandbox_post(sandbox_url, "/__sandbox__/faults", {**fault, "kind": "drop_before"})
    refund_in_window(qtbot, window, "5000")
    assert window.result.outcome() == "unknown"
    assert "다시 환불하지 말고" in window.result.message.text()
    assert not window.result.check_button.isVisible()  # settled by 미확인 결제 확인 instead
    assert the_payment(sandbox_url)["cancel_amount"] == 10000
    assert cancels_seen(sandbox_url) == 2  # never resent
    # 미확인 결제 확인, once the cancel cannot be in flight any more: PortOne's cancel_history
    # has no such refund, so nothing was refunded, and the panel (which showed that refund as
    # unknown) says so.
    deadline = max(r.settle_after or 0.0 for r in journal_rows(refunds=True))
    qtbot.waitUntil(lambda: time.time() > deadline + 0.2, timeout=WAIT_MS)
    window.customers.reconcile_button.click()
    qtbot.waitUntil(lambda: window.result.outcome() != "unknown", timeout=WAIT_MS)
    assert window.result.outcome() == "refused"
    assert window.result.headline.text() == "환불 거부 — 환불되지 않았습니다"
    assert "환불되지 않았습니다" in window.result.message.text()
    assert window.statusBar().currentMessage() == "미확인 결제 1건 확인 완료"
    assert cancels_seen(sandbox_url) == 2
