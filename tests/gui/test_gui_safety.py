"""Never lose a charge, never charge twice — the window's part: double clicks, the unsettled-charge
block with a manager's override, the same amount twice, reconciliation at start and on the
button, and the saved customer's name after 발급 + 결제. Real sandbox over real HTTP."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import pytest
from gui_helpers import (
    WAIT_MS,
    OpenWindow,
    answer_charge_again,
    answer_next_dialog,
    elsewhere,
    sandbox_get,
    type_into,
)
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QPushButton, QWidget
from pytestqt.qtbot import QtBot
from safety_helpers import (
    FLOWS,
    answer_dialogs,
    answer_override,
    arm,
    charges_sent,
    click_and_wait,
    disarm,
    issue,
    journal_rows,
    paid,
    prepare,
)

from pos_app.services.places import journal_path, senders_folder
from pos_app.store.journal import Journal
from pos_app.store.leases import SenderLease
from pos_app.ui import till_tasks as tasks
from pos_app.ui.customer_model import CHECKING_ROLE, STATUS_COLUMN
from pos_app.ui.main_window import MainWindow
from pos_app.ui.till_requests import ChargeRequest, Reconcile


def make_unknown(qtbot: QtBot, window: MainWindow, base: str, amount: str = "15000") -> str:
    """A charge again whose answer is lost and whose look-up fails: outcome unknown."""
    arm(base, "/subscribe/payments/again", "drop_after")
    arm(base, "/payments/find", "error_500", times=50)
    button = prepare(qtbot, window, "charge_again", amount, "")
    assert click_and_wait(qtbot, window, button) == "unknown"
    disarm(base)
    return window.result.merchant_uid()


def badge(window: MainWindow, uid: str) -> object:
    model = window.customers.model
    row = model.view_row_of(uid)
    return model.data(model.index(row, STATUS_COLUMN))


# -- one click, one charge -------------------------------------------------------------------


def double_click(qtbot: QtBot, button: QWidget) -> None:
    """What a real double click delivers: press, release, double-click press, release (QTest's
    mouseDClick alone sends only the double-click event)."""
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
    qtbot.mouseDClick(button, Qt.MouseButton.LeftButton)
    qtbot.mouseRelease(button, Qt.MouseButton.LeftButton)


def test_a_double_click_is_two_clicks_on_an_ordinary_button(qtbot: QtBot) -> None:
    button = QPushButton("x")
    qtbot.addWidget(button)
    clicks: list[bool] = []
    button.clicked.connect(lambda: clicks.append(True))
    double_click(qtbot, button)
    assert len(clicks) == 2  # so the tests below would see a second charge if one were sent


@pytest.mark.parametrize("flow", FLOWS)
@pytest.mark.parametrize("clicks", ["two_clicks", "double_click"])
def test_clicking_twice_charges_once(
    qtbot: QtBot, open_window: OpenWindow, sandbox_url: str, flow: str, clicks: str
) -> None:
    window = open_window()
    if flow == "charge_again":
        issue(qtbot, window, "twice")
    button = prepare(qtbot, window, flow, "12000", "twice")
    if flow == "charge_again":
        answer_charge_again(yes=True)  # its question comes first; the second click after it
    if clicks == "two_clicks":
        qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
        assert not button.isEnabled()  # disabled before any event loop turn
        qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
    else:
        double_click(qtbot, button)
    qtbot.waitUntil(lambda: window.result.outcome() == "paid", timeout=WAIT_MS)
    qtbot.wait(200)  # anything wrongly queued behind the first charge would have run by now
    assert len(paid(sandbox_url)) == 1
    assert charges_sent(sandbox_url) == 1
    assert [r.state for r in journal_rows()] == ["paid"]


def test_worker_refuses_a_second_request_while_one_is_in_flight(
    qtbot: QtBot, open_window: OpenWindow, sandbox_url: str
) -> None:
    window = open_window()
    uid = issue(qtbot, window, "inflight")
    arm(sandbox_url, "/subscribe/payments/again", "delay", delay_ms=300)
    from pos_app.ui.amount_form import Charge

    request = ChargeRequest("charge_again", Charge(5000, "fee"), uid)
    answers: list[object] = []
    first = window.till.submit(tasks.charge, request, answers.append)
    assert first is not None
    assert window.till.submit(tasks.charge, request, answers.append) is None
    qtbot.waitUntil(lambda: not window.till.busy, timeout=WAIT_MS)
    assert charges_sent(sandbox_url) == 1 and len(answers) == 1
    # free again afterwards
    assert window.till.submit(tasks.reconcile, Reconcile(), answers.append) is not None
    qtbot.waitUntil(lambda: not window.till.busy, timeout=WAIT_MS)


def test_closing_the_window_mid_charge_does_not_wait_and_the_next_start_settles_it_once(
    qtbot: QtBot, open_window: OpenWindow, sandbox_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Issue 14: closing waited for the worker with no limit, so a charge on a slow card company
    froze the close. Now the close waits a moment only; the charge goes on without the window,
    its intent stays in the journal and its lost answer is settled by the next start's
    reconciliation, by asking PortOne: one charge, paid once, never sent again."""
    monkeypatch.setattr("pos_app.ui.worker.CLOSE_WAIT_MS", 50)
    # The card company answers after 4 s; the till stops waiting after 2 s (its read timeout).
    monkeypatch.setenv("POS_APP_READ_TIMEOUT_S", "2")
    window = open_window()
    uid = issue(qtbot, window, "closing")
    sent = charges_sent(sandbox_url)
    arm(sandbox_url, "/subscribe/payments/again", "delay", delay_ms=4000)
    button = prepare(qtbot, window, "charge_again", "21000", "")
    answer_charge_again(yes=True)
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: [r.state for r in journal_rows()] == ["sent"], timeout=WAIT_MS)

    window.close()
    assert window.till.running()  # closed without waiting for the charge's answer
    qtbot.waitUntil(lambda: not window.till.running(), timeout=WAIT_MS)
    (row,) = journal_rows()
    assert row.state == "unknown" and row.customer_uid == uid  # the intent, its answer lost
    qtbot.waitUntil(lambda: len(paid(sandbox_url, row.merchant_uid)) == 1, timeout=WAIT_MS)

    again = open_window()  # reconciles at start
    (settled,) = journal_rows()
    assert settled.merchant_uid == row.merchant_uid and settled.state == "paid"
    assert len(paid(sandbox_url, row.merchant_uid)) == 1
    assert charges_sent(sandbox_url) == sent + 1  # asked about, never sent again
    assert not again.customers.model.is_checking(uid)


# -- an unsettled charge blocks the customer ---------------------------------------------------


def test_unknown_outcome_shows_checking_and_blocks_until_settled(
    qtbot: QtBot, open_window: OpenWindow, sandbox_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    # A short wait for answers: the lost charge stops being "in flight" within 2 s.
    monkeypatch.setenv("POS_APP_READ_TIMEOUT_S", "1")
    monkeypatch.setenv("POS_APP_SETTLE_GRACE_S", "0")
    window = open_window()
    uid = issue(qtbot, window, "blocked")
    assert badge(window, uid) is None
    merchant_uid = make_unknown(qtbot, window, sandbox_url)
    assert window.customers.model.is_checking(uid)
    assert badge(window, uid) == "확인 중"
    model = window.customers.model
    assert model.data(model.index(model.view_row_of(uid), 0), CHECKING_ROLE) is True
    assert "확인 중" in window.customers.selected_label.text()

    # Once it cannot be in flight any more, a new charge for this customer is stopped (PortOne
    # still cannot be asked); the manager is asked and says no.
    arm(sandbox_url, "/payments/find", "error_500", times=50)
    deadline = journal_rows()[-1].settle_after or 0.0
    qtbot.waitUntil(lambda: time.time() > deadline + 0.2, timeout=WAIT_MS)
    sent = charges_sent(sandbox_url)
    seen: list[str] = []
    answer_override(None, seen)
    button = prepare(qtbot, window, "charge_again", "9000", "")
    # Nothing sent; the panel shows the earlier, unsettled charge with its check button.
    assert click_and_wait(qtbot, window, button) == "unknown"
    assert window.result.merchant_uid() == merchant_uid
    assert seen and merchant_uid in seen[0]
    assert charges_sent(sandbox_url) == sent
    assert window.customers.again_button.isEnabled()

    # Asking PortOne settles it: paid (drop_after acted), the badge goes.
    disarm(sandbox_url)
    assert click_and_wait(qtbot, window, window.result.check_button) == "paid"
    assert not window.customers.model.is_checking(uid)
    assert badge(window, uid) is None
    assert "확인 중" not in window.customers.selected_label.text()
    assert len(paid(sandbox_url, merchant_uid)) == 1


def test_manager_override_needs_a_reason_and_is_journaled(
    qtbot: QtBot, open_window: OpenWindow, sandbox_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    # A short wait for answers: the unsettled charge stops being "in flight" within 2 s.
    monkeypatch.setenv("POS_APP_READ_TIMEOUT_S", "1")
    monkeypatch.setenv("POS_APP_SETTLE_GRACE_S", "0")
    window = open_window()
    uid = issue(qtbot, window, "override")
    first = make_unknown(qtbot, window, sandbox_url, "15000")
    arm(sandbox_url, "/payments/find", "error_500", times=50)  # still cannot be asked
    deadline = journal_rows()[-1].settle_after or 0.0
    qtbot.waitUntil(lambda: time.time() > deadline + 0.2, timeout=WAIT_MS)
    empty_ok = answer_override("카드사 전화 확인: 결제 없음")
    duplicate = answer_next_dialog(yes=True)  # same amount as the unsettled one: asked too
    button = prepare(qtbot, window, "charge_again", "15000", "")
    assert click_and_wait(qtbot, window, button) == "paid", window.result.message.text()
    assert empty_ok == [True]  # OK stayed disabled until a reason was typed
    assert duplicate and uid in duplicate[0]
    rows = {r.merchant_uid: r for r in journal_rows()}
    assert rows[first].override_reason == "카드사 전화 확인: 결제 없음"
    assert rows[first].state == "unknown"  # overriding does not settle it
    assert window.customers.model.is_checking(uid)  # still to be checked
    assert len(paid(sandbox_url)) == 2  # drop_after acted, and the overridden new charge


def test_a_charge_in_flight_elsewhere_cannot_be_overridden(
    qtbot: QtBot, open_window: OpenWindow, sandbox_url: str
) -> None:
    """While PortOne may still be working on a member's charge (here: another process is
    sending it), the window charges nothing and offers no override: only waiting helps."""
    window = open_window()
    uid = issue(qtbot, window, "inflight2")
    lease = SenderLease(senders_folder("sandbox"))  # as another process would hold it
    try:
        with Journal(journal_path("sandbox")) as journal:
            journal.begin(
                "ELSEWHERE-1",
                "charge_again",
                origin=f"sandbox:{sandbox_url}",
                amount=7000,
                customer_uid=uid,
                sender=lease.owner,
                settle_after=time.time() + 3600,
            )
        sent = charges_sent(sandbox_url)
        button = prepare(qtbot, window, "charge_again", "9000", "")
        assert click_and_wait(qtbot, window, button) == "unknown"
        assert QApplication.activeModalWidget() is None  # no override offered
        assert window.result.merchant_uid() == "ELSEWHERE-1"
        assert "처리 중" in window.result.message.text()
        assert charges_sent(sandbox_url) == sent
    finally:
        lease.release()


def test_an_outcome_in_our_own_words_is_said_in_the_windows_language(
    qtbot: QtBot, open_window: OpenWindow, sandbox_url: str
) -> None:
    """Issue 14, item 3: the services' words (Korean, written where the outcome was made) used to
    reach an English window as they were. They carry a reason code now; the panel says them in
    the window's language, and "unknown" does not repeat what the panel already says."""
    window = open_window(lang="en")
    lease = SenderLease(senders_folder("sandbox"))
    try:
        with Journal(journal_path("sandbox")) as journal:
            journal.begin(
                "ELSEWHERE-2",
                "charge_again",
                origin=f"sandbox:{sandbox_url}",
                amount=7000,
                customer_uid="someone_0001",
                sender=lease.owner,
                settle_after=time.time() + 3600,
            )
        window.result.checkRequested.emit("ELSEWHERE-2")  # as its 지금 확인 button does
        qtbot.waitUntil(lambda: window.result.outcome() == "unknown", timeout=WAIT_MS)
        shown = window.result.headline.text() + window.result.message.text()
        assert "may still be working on it" in shown
        assert not any("\uac00" <= ch <= "\ud7a3" for ch in shown), shown  # no Hangul
        assert shown.count("Do not charge again") <= 1
    finally:
        lease.release()


def test_override_dialog_refuses_a_blank_reason(qtbot: QtBot) -> None:
    from pos_app.ui.guard_dialogs import OverrideDialog

    parent = QWidget()
    qtbot.addWidget(parent)
    dialog = OverrideDialog(parent, "c_1", ())
    dialog.reason.setText("   ")
    assert not dialog.accept_button.isEnabled()
    dialog.accept()  # Enter in the field
    assert dialog.result() != dialog.DialogCode.Accepted
    type_into(qtbot, dialog.reason, "ok")
    assert dialog.accept_button.isEnabled()


# -- the same amount twice within five minutes ------------------------------------------------


def test_same_amount_again_asks_and_no_sends_nothing(
    qtbot: QtBot, open_window: OpenWindow, sandbox_url: str
) -> None:
    window = open_window()
    uid = issue(qtbot, window, "dup")
    button = prepare(qtbot, window, "charge_again", "30000", "")
    assert click_and_wait(qtbot, window, button) == "paid"

    seen = answer_next_dialog(yes=False)
    prepare(qtbot, window, "charge_again", "30000", "")
    assert click_and_wait(qtbot, window, button) == "cancelled"
    assert seen and uid in seen[0] and "30,000원" in seen[0]
    assert len(paid(sandbox_url)) == 1

    answer_next_dialog(yes=True)
    assert click_and_wait(qtbot, window, button) == "paid"
    assert len(paid(sandbox_url)) == 2

    window.amount.amount.clear()
    prepare(qtbot, window, "charge_again", "31000", "")  # another amount: no question
    assert click_and_wait(qtbot, window, button) == "paid"
    assert len(paid(sandbox_url)) == 3


def test_issue_and_charge_duplicate_keeps_the_card_typed_until_confirmed(
    qtbot: QtBot, open_window: OpenWindow, sandbox_url: str
) -> None:
    window = open_window()
    button = prepare(qtbot, window, "issue_and_charge", "20000", "again")
    assert click_and_wait(qtbot, window, button) == "paid"
    uid = "again_4242"
    assert window.customers.model.find(uid) is not None

    typed: list[str] = []
    # Replace the saved card? yes. The same amount again? no — the card is still typed then.
    seen = answer_dialogs([True, False], lambda: typed.append(window.card.number.text()))
    prepare(qtbot, window, "issue_and_charge", "20000", "again")
    assert click_and_wait(qtbot, window, button) == "cancelled"
    assert len(seen) == 2 and uid in seen[1] and "20,000원" in seen[1]
    assert typed[1].replace(" ", "") == "4242424242424242"
    assert window.card.number.text()  # nothing sent: kept for another try
    assert len(paid(sandbox_url)) == 1

    seen = answer_dialogs([True, True])
    assert click_and_wait(qtbot, window, button) == "paid"
    assert len(seen) == 2
    assert window.card.number.text() == ""  # sent: wiped
    assert len(paid(sandbox_url)) == 2


# -- reconciliation ----------------------------------------------------------------------------


def test_reconcile_at_start_settles_and_adds_the_saved_customer(
    qtbot: QtBot, open_window: OpenWindow, sandbox_url: str
) -> None:
    window = open_window()
    arm(sandbox_url, "/subscribe/payments/onetime", "drop_after")
    arm(sandbox_url, "/payments/find", "error_500", times=50)
    button = prepare(qtbot, window, "issue_and_charge", "44000", "later")
    assert click_and_wait(qtbot, window, button) == "unknown"
    assert window.customers.model.find("later_4242") is None  # not known to be saved yet
    window.close()
    disarm(sandbox_url)

    again = open_window()
    qtbot.waitUntil(lambda: "1건 확인 완료" in again.statusBar().currentMessage(), timeout=WAIT_MS)
    assert again.result.outcome() == ""  # quiet: the panel is left alone
    row = again.customers.model.find("later_4242")
    assert row is not None and row.name == "later"
    assert not again.customers.model.is_checking("later_4242")
    assert [r.state for r in journal_rows()] == ["paid"]
    assert len(paid(sandbox_url)) == 1


def test_reconcile_button_settles_the_shown_unknown_result(
    qtbot: QtBot, open_window: OpenWindow, sandbox_url: str
) -> None:
    window = open_window()
    uid = issue(qtbot, window, "button")
    make_unknown(qtbot, window, sandbox_url)
    assert window.customers.reconcile_button.objectName() == "reconcileButton"
    qtbot.mouseClick(window.customers.reconcile_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: window.result.outcome() == "paid", timeout=WAIT_MS)
    assert "1건 확인 완료" in window.statusBar().currentMessage()
    assert not window.customers.model.is_checking(uid)
    qtbot.mouseClick(window.customers.reconcile_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(
        lambda: "미확인 결제가 없습니다" in window.statusBar().currentMessage(), timeout=WAIT_MS
    )


# -- the saved customer's name after 발급 + 결제 -------------------------------------------------


def test_issue_and_charge_keeps_the_customer_name_and_phone(
    qtbot: QtBot, open_window: OpenWindow, sandbox_url: str
) -> None:
    window = open_window()
    button = prepare(qtbot, window, "issue_and_charge", "10000", "")
    type_into(qtbot, window.customer.name, "홍길동")
    window.customer.uid.clear()
    type_into(qtbot, window.customer.uid, "hong_4242")
    type_into(qtbot, window.customer.phone, "010-2222-3333")
    assert click_and_wait(qtbot, window, button) == "paid"
    row = window.customers.model.find("hong_4242")
    assert row is not None
    assert (row.name, row.tel) == ("홍길동", "010-2222-3333")
    with elsewhere(sandbox_url) as portone:
        customer = portone.get("/subscribe/customers/hong_4242").json()["response"]
    assert customer["customer_name"] == "홍길동"  # PortOne keeps it, so a refresh keeps it too
    assert sandbox_get(sandbox_url, "/__sandbox__/payments")[0]["buyer_name"] == "홍길동"


def test_checking_badge_is_a_set_lookup_that_repaints_only_changed_rows(qtbot: QtBot) -> None:
    from sample_customers import rows_for_test

    from pos_app.ui.customer_model import CustomerTableModel

    model = CustomerTableModel()
    model.set_rows(rows_for_test(100_000))
    changed: list[int] = []
    model.dataChanged.connect(lambda first, last: changed.append(first.row()))
    uid = model.row(5).customer_uid
    model.set_checking({uid, "not_in_the_list"})
    assert changed == [5]
    assert model.data(model.index(5, STATUS_COLUMN)) == "확인 중"
    assert model.data(model.index(6, STATUS_COLUMN)) is None
    model.sort(STATUS_COLUMN, Qt.SortOrder.AscendingOrder)
    assert model.row(0).customer_uid == uid  # customers being checked come first
    changed.clear()
    model.set_checking(set())
    assert changed == [0] and not model.is_checking(uid)


def test_a_long_member_name_does_not_get_the_charge_refused(
    qtbot: QtBot, open_window: OpenWindow, sandbox_url: str
) -> None:
    """The name field takes 20 characters (customer_name); PortOne's buyer_name takes 16."""
    window = open_window()
    button = prepare(qtbot, window, "issue_and_charge", "10000", "")
    window.customer.name.setText("abcdefghijklmnopqrst")
    window.customer.uid.setText("long_4242")
    assert click_and_wait(qtbot, window, button) == "paid"
    row = window.customers.model.find("long_4242")
    assert row is not None and row.name == "abcdefghijklmnop"  # saved from buyer_name
    assert len(paid(sandbox_url)) == 1


def test_a_window_opened_while_a_command_is_charging_asks_nothing_and_charges_nothing(
    qtbot: QtBot, open_window: OpenWindow, sandbox_url: str, pos_app_home: Path
) -> None:
    """Issue 11, reproduction 2: a window opened while `pos-app charge` was in flight charged
    the same member the same amount with no question (its reconciliation at start had called the
    command's charge void). Now the window's start leaves it alone and the member is blocked
    until the command's answer is in."""
    window = open_window()
    uid = issue(qtbot, window, "cli")
    window.close()
    arm(sandbox_url, "/subscribe/payments/again", "delay", delay_ms=3000)
    env = {**os.environ, "POS_APP_HOME": str(pos_app_home), "POS_APP_API_BASE": sandbox_url}
    command = [sys.executable, "-m", "pos_app", "charge", "--customer-uid", uid]
    charging = subprocess.Popen(
        [*command, "--amount", "33000", "--name", "회비", "--merchant-uid", "CLI-1"],
        env=env,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        qtbot.waitUntil(
            lambda: any(r.merchant_uid == "CLI-1" and r.state == "sent" for r in journal_rows()),
            timeout=WAIT_MS,
        )
        window = open_window()  # reconciles at start, with the command's request in flight
        (row,) = journal_rows()
        assert row.state == "sent"  # not called void
        window.customers.select(uid)
        sent = charges_sent(sandbox_url)
        button = prepare(qtbot, window, "charge_again", "33000", "")
        assert click_and_wait(qtbot, window, button) == "unknown"
        assert QApplication.activeModalWidget() is None  # nothing to decide: it is in flight
        assert window.result.merchant_uid() == "CLI-1"
        assert charges_sent(sandbox_url) == sent
        out, _ = charging.communicate(timeout=60)
    finally:
        if charging.poll() is None:
            charging.kill()
    assert charging.returncode == 0, out
    assert [p["merchant_uid"] for p in paid(sandbox_url)] == ["CLI-1"]
