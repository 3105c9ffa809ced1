"""Staff at the window: sign-in, lock, a cashier's refund approved and refused by a manager's PIN,
and the 기록 view — against the real sandbox, real files and the real widgets."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from gui_helpers import WAIT_MS, OpenWindow, fill_amount, fill_card, requests_seen, run_action
from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QApplication, QDialog, QLabel, QLineEdit, QPushButton
from pytestqt.qtbot import QtBot
from staff_helpers import (
    CASHIER,
    CASHIER_PIN,
    MANAGER,
    MANAGER_PIN,
    ApprovalDriver,
    add_staff,
    dialog_named,
    sign_in,
    sign_in_dialog,
    trail,
    try_sign_in,
)

from pos_app.ui.audit_view import AuditDialog
from pos_app.ui.main_window import MainWindow
from pos_app.ui.refund_dialog import RefundDialog

VISA = "4242424242424242"


def cancels_seen(base: str) -> int:
    return sum(1 for r in requests_seen(base) if r["path"] == "/payments/cancel")


def covered(window: MainWindow) -> bool:
    central = window.centralWidget()
    return central is not None and not central.isVisible()


def charge(qtbot: QtBot, window: MainWindow) -> None:
    fill_card(qtbot, window, VISA)
    fill_amount(qtbot, window, "30000", "Staff test")
    assert run_action(qtbot, window, window.charge_button) == "paid"


def answer_refund_dialog() -> None:
    """Fills the refund dialog when it opens: the whole amount, a reason, 환불하기."""

    def poll() -> None:
        dialog = QApplication.activeModalWidget()
        if not isinstance(dialog, RefundDialog):
            QTimer.singleShot(10, poll)
            return
        reason = dialog.findChild(QLineEdit, "refundReasonEdit")
        confirm = dialog.findChild(QPushButton, "refundConfirmButton")
        assert reason is not None and confirm is not None
        reason.setText("고객 요청")
        confirm.click()

    QTimer.singleShot(0, poll)


def test_without_staff_the_window_is_as_before(
    qtbot: QtBot, open_window: OpenWindow, pos_app_home: Path
) -> None:
    window = open_window()
    assert not window.staff.managed and not covered(window)
    assert dialog_named(window, "signInDialog") is None
    lock = window.findChild(type(window.staff.lock_action), "lockAction")
    assert lock is not None and not lock.isEnabled()
    charge(qtbot, window)
    # The trail is written anyway, with nobody's name on it.
    qtbot.waitUntil(
        lambda: any(a == "charge" for _p, a, _d in trail(pos_app_home)), timeout=WAIT_MS
    )
    (entry,) = [e for e in trail(pos_app_home) if e[1] == "charge"]
    assert entry[0] == "" and entry[2]["outcome"] == "paid" and entry[2]["amount"] == 30000


def test_sign_in_wrong_pin_then_right(
    qtbot: QtBot, open_window: OpenWindow, pos_app_home: Path
) -> None:
    add_staff(pos_app_home)
    window = open_window()
    dialog = sign_in_dialog(qtbot, window)
    assert covered(window)
    assert not window.menuBar().isEnabled()
    dialog.reject()  # Esc does not get past it
    assert dialog.isVisible()
    try_sign_in(qtbot, window, CASHIER, "1111")
    error = dialog.findChild(QLabel, "signInDialogError")
    assert error is not None and "4" in error.text() and "1111" not in error.text()
    assert covered(window) and window.staff.person is None
    sign_in(qtbot, window, CASHIER, CASHIER_PIN)
    assert not covered(window) and window.menuBar().isEnabled()
    assert "kim" in window.banner.text()
    actions = [(p, a) for p, a, _d in trail(pos_app_home)]
    assert (CASHIER, "pin_failed") in actions and actions[-1] == (CASHIER, "sign_in")


def test_lock_wipes_the_card_and_returns_to_sign_in(
    qtbot: QtBot, open_window: OpenWindow, pos_app_home: Path
) -> None:
    add_staff(pos_app_home)
    window = open_window()
    sign_in(qtbot, window, CASHIER, CASHIER_PIN)
    fill_card(qtbot, window, VISA)
    assert window.card.number.text()
    qtbot.keyClick(window.card.number, Qt.Key.Key_L, Qt.KeyboardModifier.ControlModifier)
    dialog = sign_in_dialog(qtbot, window)
    assert window.card.number.text() == "" and window.card.expiry.text() == ""
    assert covered(window) and window.staff.person is None
    assert "kim" not in window.banner.text()
    # F9 (the day's sales) does nothing behind the sign-in dialog.
    qtbot.keyClick(dialog, Qt.Key.Key_F9)
    assert dialog_named(window, "daySalesDialog") is None
    sign_in(qtbot, window, MANAGER, MANAGER_PIN)
    assert (CASHIER, "lock") in [(p, a) for p, a, _d in trail(pos_app_home)]


def test_idle_lock(qtbot: QtBot, open_window: OpenWindow, pos_app_home: Path) -> None:
    add_staff(pos_app_home)
    window = open_window()
    sign_in(qtbot, window, CASHIER, CASHIER_PIN)
    gate = window.staff
    assert gate._idle.isActive() and gate._idle.interval() == 10 * 60_000  # the default
    gate._set_idle_minutes(0)
    assert not gate._idle.isActive()
    fill_card(qtbot, window, VISA)
    gate._idle_ms = 200  # the clock shortened so the test need not wait minutes
    gate._restart_idle()
    sign_in_dialog(qtbot, window)
    assert window.card.number.text() == ""
    sign_in(qtbot, window, CASHIER, CASHIER_PIN)
    lock = [d for p, a, d in trail(pos_app_home) if a == "lock"]
    assert lock == [{"reason": "idle"}]


def test_five_wrong_pins_lock_the_name(
    qtbot: QtBot, open_window: OpenWindow, pos_app_home: Path
) -> None:
    add_staff(pos_app_home)
    window = open_window()
    for _ in range(5):
        dialog = try_sign_in(qtbot, window, CASHIER, "0000")
    error = dialog.findChild(QLabel, "signInDialogError")
    assert error is not None and "5" in error.text()  # locked for 5 minutes
    dialog = try_sign_in(qtbot, window, CASHIER, CASHIER_PIN)
    assert dialog.isVisible() and window.staff.person is None  # even the right PIN now
    sign_in(qtbot, window, MANAGER, MANAGER_PIN)  # only that name is locked


def test_cashier_refund_approved_by_a_manager(
    qtbot: QtBot, open_window: OpenWindow, pos_app_home: Path, sandbox_url: str
) -> None:
    add_staff(pos_app_home)
    window = open_window()
    sign_in(qtbot, window, CASHIER, CASHIER_PIN)
    charge(qtbot, window)
    answer_refund_dialog()
    approval = ApprovalDriver(qtbot, ["0000", MANAGER_PIN])
    window.result.refund_button.click()
    qtbot.waitUntil(lambda: window.result.outcome() == "refunded", timeout=WAIT_MS)
    assert approval.seen and approval.managers == [MANAGER]  # cashiers cannot approve
    assert "환불" in approval.intro
    assert len(approval.errors) == 1 and "0000" not in approval.errors[0]
    assert cancels_seen(sandbox_url) == 1
    qtbot.waitUntil(
        lambda: any(a == "refund" for _p, a, _d in trail(pos_app_home)), timeout=WAIT_MS
    )
    entries = trail(pos_app_home)
    approved = [d for p, a, d in entries if a == "approval" and p == CASHIER]
    assert approved and approved[0]["approved_by"] == MANAGER and approved[0]["for"] == "refund"
    (refund,) = [d for p, a, d in entries if a == "refund"]
    assert refund["approved_by"] == MANAGER and refund["outcome"] == "refunded"
    assert any(a == "approval_refused" and d["why"] == "wrong_pin" for _p, a, d in entries)


def test_cashier_refund_refused_sends_nothing(
    qtbot: QtBot, open_window: OpenWindow, pos_app_home: Path, sandbox_url: str
) -> None:
    add_staff(pos_app_home)
    window = open_window()
    sign_in(qtbot, window, CASHIER, CASHIER_PIN)
    charge(qtbot, window)
    answer_refund_dialog()
    # The cashier types their own PIN as the "manager": refused, then gives up.
    approval = ApprovalDriver(qtbot, ["1111", "2222"])
    window.result.refund_button.click()
    qtbot.waitUntil(
        lambda: approval.seen and QApplication.activeModalWidget() is None, timeout=WAIT_MS
    )
    assert len(approval.errors) == 2
    assert window.result.outcome() == "paid"  # still the payment, not refunded
    assert window.result.refund_button.isEnabled()
    assert cancels_seen(sandbox_url) == 0
    entries = trail(pos_app_home)
    assert [d["why"] for _p, a, d in entries if a == "approval_refused"] == [
        "wrong_pin",
        "wrong_pin",
        "cancelled",
    ]


def test_manager_refunds_without_a_second_pin(
    qtbot: QtBot, open_window: OpenWindow, pos_app_home: Path, sandbox_url: str
) -> None:
    add_staff(pos_app_home)
    window = open_window()
    sign_in(qtbot, window, MANAGER, MANAGER_PIN)
    charge(qtbot, window)
    answer_refund_dialog()
    approval = ApprovalDriver(qtbot, [])
    window.result.refund_button.click()
    qtbot.waitUntil(lambda: window.result.outcome() == "refunded", timeout=WAIT_MS)
    assert not approval.seen
    assert cancels_seen(sandbox_url) == 1


def test_cashier_settings_need_a_manager(
    qtbot: QtBot, open_window: OpenWindow, pos_app_home: Path
) -> None:
    add_staff(pos_app_home)
    window = open_window()
    sign_in(qtbot, window, CASHIER, CASHIER_PIN)
    approval = ApprovalDriver(qtbot, [])
    action = window.findChild(type(window.staff.lock_action), "openSettingsAction")
    assert action is not None
    action.trigger()
    assert approval.seen and "설정" in approval.intro
    assert window.findChild(QDialog, "settingsDialog") is None  # never opened


def test_audit_view(qtbot: QtBot, open_window: OpenWindow, pos_app_home: Path) -> None:
    add_staff(pos_app_home)
    window = open_window()
    sign_in(qtbot, window, MANAGER, MANAGER_PIN)
    charge(qtbot, window)
    qtbot.waitUntil(
        lambda: any(a == "charge" for _p, a, _d in trail(pos_app_home)), timeout=WAIT_MS
    )
    window.staff.audit_action.trigger()
    dialog = window.findChild(AuditDialog, "auditDialog")
    assert dialog is not None
    qtbot.waitUntil(lambda: dialog.model.rowCount() > 0, timeout=WAIT_MS)
    count = len(trail(pos_app_home))
    assert dialog.model.rowCount() == count
    status = dialog.findChild(QLabel, "auditChainStatus")
    assert status is not None and "이상 없음" in status.text()
    first = dialog.model.index(0, 4).data()  # newest first
    assert first == "결제"
    search = dialog.findChild(QLineEdit, "auditSearchEdit")
    assert search is not None
    search.setText("staff_added")
    assert dialog.model.rowCount() == 2
    search.setText("")
    assert dialog.model.rowCount() == count
    dialog.reject()
    # Someone edits the file; the view says so the next time it is opened.
    conn = sqlite3.connect(pos_app_home / "audit.sqlite3")
    conn.execute("DROP TRIGGER audit_no_update")
    conn.execute("UPDATE audit SET person = 'nobody' WHERE seq = 2")
    conn.commit()
    conn.close()
    window.staff.audit_action.trigger()
    qtbot.waitUntil(lambda: "2" in status_text(window), timeout=WAIT_MS)
    assert "손상" in status_text(window)


def status_text(window: MainWindow) -> str:
    dialog = [d for d in window.findChildren(QDialog, "auditDialog") if d.isVisible()]
    if not dialog:
        return ""
    label = dialog[-1].findChild(QLabel, "auditChainStatus")
    return label.text() if label is not None else ""


def test_a_shop_without_staff_opens_as_before_again(
    qtbot: QtBot, open_window: OpenWindow, pos_app_home: Path
) -> None:
    """The second start, with the trail the first one wrote: still no sign-in, no staff file."""
    window = open_window()
    charge(qtbot, window)
    qtbot.waitUntil(lambda: (pos_app_home / "audit.sqlite3").exists(), timeout=WAIT_MS)
    window.close()
    again = open_window()
    # The trail is read (did this shop ever have a manager?) before anything is decided.
    qtbot.waitUntil(lambda: not again.staff.tasks.pending(), timeout=WAIT_MS)
    assert not again.staff.managed and not covered(again)
    assert not (pos_app_home / "staff.sqlite3").exists()


def test_deleting_the_staff_file_does_not_open_the_till(
    qtbot: QtBot, open_window: OpenWindow, pos_app_home: Path
) -> None:
    """The cashier's shortcut around sign-in — delete staff.sqlite3 so the program thinks the
    shop has no staff — keeps it shut: the trail remembers a manager was added."""
    add_staff(pos_app_home)
    (pos_app_home / "staff.sqlite3").unlink()
    window = open_window()
    dialog = sign_in_dialog(qtbot, window)
    error = dialog.findChild(QLabel, "signInDialogError")
    assert error is not None
    qtbot.waitUntil(lambda: not error.isHidden(), timeout=WAIT_MS)
    assert "pos-app staff add" in error.text()
    assert covered(window) and window.staff.person is None
    button = dialog.findChild(QPushButton, "signInButton")
    assert button is not None and not button.isEnabled()  # no names to sign in with


def test_demoting_every_manager_in_the_file_does_not_open_the_till(
    qtbot: QtBot, open_window: OpenWindow, pos_app_home: Path
) -> None:
    add_staff(pos_app_home)
    conn = sqlite3.connect(pos_app_home / "staff.sqlite3")
    conn.execute("UPDATE staff SET role = 'cashier'")
    conn.commit()
    conn.close()
    window = open_window()
    dialog = sign_in_dialog(qtbot, window)
    error = dialog.findChild(QLabel, "signInDialogError")
    assert error is not None
    qtbot.waitUntil(lambda: not error.isHidden(), timeout=WAIT_MS)
    assert covered(window)


def test_cashier_key_deletion_needs_a_manager(
    qtbot: QtBot, open_window: OpenWindow, pos_app_home: Path, sandbox_url: str
) -> None:
    from gui_helpers import answer_next_dialog, type_into

    add_staff(pos_app_home)
    window = open_window()
    sign_in(qtbot, window, CASHIER, CASHIER_PIN)
    fill_card(qtbot, window, "5555555555554444")
    type_into(qtbot, window.customer.name, "gildong")
    assert run_action(qtbot, window, window.issue_button) == "issued"
    assert window.customers.selected_uid() == "gildong_4444"

    def deletes() -> int:
        return sum(
            1
            for r in requests_seen(sandbox_url)
            if r["method"] == "DELETE" and r["path"].startswith("/subscribe/customers/")
        )

    answer_next_dialog(yes=True)
    refused = ApprovalDriver(qtbot, [])
    window.customers.delete_button.click()
    assert refused.seen and "카드 삭제" in refused.intro
    assert window.customers.model.find("gildong_4444") is not None
    assert deletes() == 0
    answer_next_dialog(yes=True)
    approved = ApprovalDriver(qtbot, [MANAGER_PIN])  # kept: the timer alone may not keep it
    assert run_action(qtbot, window, window.customers.delete_button) == "deleted"
    assert approved.seen and deletes() == 1
    qtbot.waitUntil(
        lambda: any(a == "key_deleted" for _p, a, _d in trail(pos_app_home)), timeout=WAIT_MS
    )
    entries = trail(pos_app_home)
    (deleted,) = [(p, d) for p, a, d in entries if a == "key_deleted"]
    assert deleted == (
        CASHIER,
        {"customer_uid": "gildong_4444", "mode": "sandbox", "approved_by": MANAGER},
    )
    assert any(a == "key_issued" for _p, a, _d in entries)
