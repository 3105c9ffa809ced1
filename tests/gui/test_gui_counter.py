"""The counter in a cashier's hands (issue 13): the right member for 재결제, a refused card kept to
correct, the refund dialog's Enter, and what the result panel says about who and what.

Driven as a person would: mouse clicks on table rows, keys (Tab, Enter, Esc, F-keys, Ctrl+F),
typing; the sandbox over real HTTP says what was really sent."""

from __future__ import annotations

from collections.abc import Callable

from gui_helpers import (
    WAIT_MS,
    OpenWindow,
    answer_charge_again,
    fill_amount,
    fill_card,
    requests_seen,
    run_action,
    type_into,
)
from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QApplication, QLabel, QLineEdit, QMessageBox, QWidget
from pytestqt.qtbot import QtBot
from safety_helpers import issue

from pos_app.ui.main_window import MainWindow

AGAIN = "/subscribe/payments/again"


def charges_again(base: str) -> list[dict[str, object]]:
    return [r for r in requests_seen(base) if r["path"] == AGAIN]


def click_row(qtbot: QtBot, window: MainWindow, uid: str) -> None:
    """A mouse click on the customer's row, as a cashier picks someone."""
    table, model = window.customers.table, window.customers.model
    index = model.index(model.view_row_of(uid), 0)
    assert index.isValid(), uid
    table.scrollTo(index)
    point = table.visualRect(index).center()
    qtbot.mouseClick(table.viewport(), Qt.MouseButton.LeftButton, pos=point)


def key(qtbot: QtBot, keycode: Qt.Key, modifier: Qt.KeyboardModifier | None = None) -> None:
    """A key press where the keyboard focus is (or to the active window), as from a keyboard."""
    if QApplication.activeWindow() is None:  # offscreen, a closed dialog leaves none active
        window = next(
            w for w in QApplication.topLevelWidgets() if isinstance(w, MainWindow) and w.isVisible()
        )
        window.activateWindow()
        qtbot.waitUntil(window.isActiveWindow, timeout=WAIT_MS)
    target = QApplication.focusWidget() or QApplication.activeWindow()
    assert target is not None
    if modifier is None:
        qtbot.keyClick(target, keycode)
    else:
        qtbot.keyClick(target, keycode, modifier)


def on_next_box(name: str, act: Callable[[QMessageBox], None]) -> list[str]:
    """When the next `{name}Dialog` box opens: note its text and default button, then `act`."""
    seen: list[str] = []

    def poll() -> None:
        box = QApplication.activeModalWidget()
        if not isinstance(box, QMessageBox) or box.objectName() != f"{name}Dialog":
            QTimer.singleShot(10, poll)
            return
        default = box.defaultButton()
        seen.extend([box.text(), default.objectName() if default is not None else ""])
        act(box)

    QTimer.singleShot(0, poll)
    return seen


def panel_text(window: MainWindow) -> str:
    return " ".join(label.text() for label in window.result.findChildren(QLabel))


def test_charge_again_by_keyboard_never_charges_the_member_chosen_before(
    qtbot: QtBot, open_window: OpenWindow, sandbox_url: str
) -> None:
    """The tryout's path: 박하늘 chosen, a search for 하늘, a Tab count, Enter on 재결제."""
    window = open_window()
    park = issue(qtbot, window, "박하늘", "4242424242424242")
    kim = issue(qtbot, window, "김하늘", "5555555555554444")
    click_row(qtbot, window, park)
    assert window.customers.selected_uid() == park

    # Ctrl+F, a new search that still shows 박하늘: nobody is chosen any more.
    key(qtbot, Qt.Key.Key_F, Qt.KeyboardModifier.ControlModifier)
    assert QApplication.focusWidget() is window.customers.search
    type_into(qtbot, window.customers.search, "하늘")
    assert window.customers.model.view_row_of(park) >= 0
    assert window.customers.selected_uid() == ""
    assert "선택하세요" in window.customers.selected_label.text()
    fill_amount(qtbot, window, "30000", "")

    # Search → Tab → Tab → table (a row becomes current, none is chosen) → Tab → 재결제 → Enter.
    window.customers.search.setFocus()
    key(qtbot, Qt.Key.Key_Tab)
    assert QApplication.focusWidget() is window.customers.refresh
    key(qtbot, Qt.Key.Key_Tab)
    assert QApplication.focusWidget() is window.customers.table
    assert window.customers.selected_uid() == ""
    key(qtbot, Qt.Key.Key_Tab)
    assert QApplication.focusWidget() is window.customers.again_button
    key(qtbot, Qt.Key.Key_Return)
    qtbot.wait(200)  # a shortcut's or a click's queued work would have run by now
    assert charges_again(sandbox_url) == []
    assert window.statusBar().currentMessage() == "먼저 목록에서 고객을 선택하세요"

    # 김하늘 chosen with the arrow keys; Enter on 재결제 shows who and how much, 취소 first.
    window.customers.table.setFocus()
    key(qtbot, Qt.Key.Key_Down)  # with nobody chosen, Down chooses the first row shown
    assert window.customers.selected_uid() == window.customers.model.row(0).customer_uid
    for _ in range(2):
        if window.customers.selected_uid() == kim:
            break
        key(qtbot, Qt.Key.Key_Down)
    assert window.customers.selected_uid() == kim
    key(qtbot, Qt.Key.Key_Tab)
    assert QApplication.focusWidget() is window.customers.again_button
    seen = on_next_box("chargeAgain", lambda box: qtbot.keyClick(box, Qt.Key.Key_Return))
    key(qtbot, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: len(seen) == 2, timeout=WAIT_MS)
    text, default = seen
    assert "김하늘" in text and kim in text and "30,000원" in text and "**** 4444" in text
    assert "박하늘" not in text and park not in text
    assert default == "chargeAgainNoButton"  # the Enter above said no
    assert charges_again(sandbox_url) == []

    # F5, answered yes: 김하늘 is charged, and the result panel says so.
    answer_charge_again(yes=True)
    key(qtbot, Qt.Key.Key_F5)
    qtbot.waitUntil(lambda: window.result.outcome() == "paid", timeout=WAIT_MS)
    assert len(charges_again(sandbox_url)) == 1
    assert f"김하늘 · {kim}" in panel_text(window)


def test_esc_and_a_new_billing_key_leave_nobody_chosen_from_before(
    qtbot: QtBot, open_window: OpenWindow
) -> None:
    window = open_window()
    alpha = issue(qtbot, window, "alpha", "4242424242424242")
    issue(qtbot, window, "bravo", "5555555555554444")
    click_row(qtbot, window, alpha)
    key(qtbot, Qt.Key.Key_Escape)
    assert window.customers.selected_uid() == ""

    # A search that hides the next new customer, and alpha chosen under it.
    type_into(qtbot, window.customers.search, "alpha")
    click_row(qtbot, window, alpha)
    assert window.customers.selected_uid() == alpha
    fill_card(qtbot, window, "378282246310005")
    type_into(qtbot, window.customer.name, "charlie")
    charlie = window.customer.uid.text()
    qtbot.mouseClick(window.issue_button, Qt.MouseButton.LeftButton)
    assert window.customers.selected_uid() == ""  # from the moment it is sent
    qtbot.waitUntil(lambda: window.result.outcome() == "issued", timeout=WAIT_MS)
    assert window.customers.selected_uid() == charlie  # the new one, shown (search emptied)
    assert window.customers.search.text() == ""


def test_a_refused_card_stays_to_be_corrected_and_goes_on_approval(
    qtbot: QtBot, open_window: OpenWindow
) -> None:
    window = open_window()
    fill_card(qtbot, window, "4000000000000002")  # [F113] card authentication failed
    fill_amount(qtbot, window, "12000")
    assert run_action(qtbot, window, window.charge_button) == "refused"
    assert "F113" in window.result.message.text()
    assert window.card.number.text() == "4000 0000 0000 0002"
    assert window.card.pin.text() == "12"
    assert window.card.pin.echoMode() == QLineEdit.EchoMode.Password  # still masked
    clipboard = QGuiApplication.clipboard()
    clipboard.setText("before")
    window.card.number.setFocus()
    window.card.number.selectAll()
    key(qtbot, Qt.Key.Key_C, Qt.KeyboardModifier.ControlModifier)
    assert clipboard.text() == "before"  # still uncopyable

    # The cashier corrects the number only (the rest is as typed) and charges.
    window.card.number.selectAll()
    type_into(qtbot, window.card.number, "4242424242424242")
    assert run_action(qtbot, window, window.charge_button) == "paid"
    assert [edit.text() for edit in window.card.edits()] == ["", "", "", ""]
    assert not window.card.is_kept()


def test_a_declined_card_is_wiped_by_esc_a_customer_or_60_s_idle(
    qtbot: QtBot, open_window: OpenWindow
) -> None:
    window = open_window()
    alpha = issue(qtbot, window, "alpha", "4242424242424242")

    def decline() -> None:
        fill_card(qtbot, window, "4000000000000341")  # declined: [8325]한도초과
        fill_amount(qtbot, window, "33000")
        assert run_action(qtbot, window, window.charge_button) == "declined"
        assert window.card.number.text() and window.card.is_kept()

    decline()
    key(qtbot, Qt.Key.Key_Escape)
    assert [edit.text() for edit in window.card.edits()] == ["", "", "", ""]

    decline()
    click_row(qtbot, window, alpha)  # another customer: not their card
    assert [edit.text() for edit in window.card.edits()] == ["", "", "", ""]

    window.card.keep_timer.setInterval(300)  # 60 s at the counter
    window.customers.clear_selection()
    decline()
    qtbot.waitUntil(lambda: window.card.number.text() == "", timeout=WAIT_MS)
    assert [edit.text() for edit in window.card.edits()] == ["", "", "", ""]
    assert "카드 정보를 지웠습니다" in window.statusBar().currentMessage()


def test_typing_keeps_a_kept_card_from_going_idle(qtbot: QtBot, open_window: OpenWindow) -> None:
    window = open_window()
    window.card.keep_timer.setInterval(60_000)
    fill_card(qtbot, window, "4000000000000341")
    fill_amount(qtbot, window, "33000")
    assert run_action(qtbot, window, window.charge_button) == "declined"
    window.card.keep_timer.setInterval(1000)
    window.card.keep_timer.start()
    for _ in range(4):  # each keystroke starts the idle time again
        qtbot.wait(400)
        type_into(qtbot, window.amount.order_name, "x")
    assert window.card.number.text()
    qtbot.waitUntil(lambda: window.card.number.text() == "", timeout=WAIT_MS)


def test_refund_dialog_enter_never_refunds_and_says_how_much(
    qtbot: QtBot, open_window: OpenWindow, sandbox_url: str
) -> None:
    window = open_window()
    fill_card(qtbot, window, "4242424242424242")
    fill_amount(qtbot, window, "55000")
    assert run_action(qtbot, window, window.charge_button) == "paid"
    seen: dict[str, object] = {}

    def answer() -> None:
        dialog = QApplication.activeModalWidget()
        if dialog is None or dialog.objectName() != "refundDialog":
            QTimer.singleShot(10, answer)
            return
        amount = dialog.findChild(QLineEdit, "refundAmountEdit")
        reason = dialog.findChild(QLineEdit, "refundReasonEdit")
        button = dialog.findChild(QWidget, "refundConfirmButton")
        assert amount is not None and reason is not None and button is not None
        seen["selected"] = amount.selectedText()
        seen["button"] = button.property("text")
        qtbot.keyClicks(amount, "20000")  # over the selected 55000
        seen["typed"] = amount.text()
        seen["button_after"] = button.property("text")
        reason.setFocus()
        qtbot.keyClicks(reason, "customer asked")
        qtbot.keyClick(reason, Qt.Key.Key_Return)
        qtbot.keyClick(reason, Qt.Key.Key_Return)  # twice: the first must not lead to the button
        seen["open_after_enter"] = dialog.isVisible()
        qtbot.keyClick(dialog, Qt.Key.Key_Escape)

    QTimer.singleShot(0, answer)
    key(qtbot, Qt.Key.Key_F6)
    qtbot.waitUntil(lambda: "open_after_enter" in seen, timeout=WAIT_MS)
    qtbot.waitUntil(lambda: QApplication.activeModalWidget() is None, timeout=WAIT_MS)
    assert seen["selected"] == "55000"
    assert seen["button"] == "55,000원 환불"
    assert seen["typed"] == "20000"
    assert seen["button_after"] == "20,000원 환불"
    assert seen["open_after_enter"] is True
    assert not any(r["path"] == "/payments/cancel" for r in requests_seen(sandbox_url))
    assert window.result.outcome() == "paid"


def test_the_panel_says_where_a_card_was_saved_and_what_was_only_looked_up(
    qtbot: QtBot, open_window: OpenWindow
) -> None:
    window = open_window()
    fill_card(qtbot, window, "4242424242424242")
    type_into(qtbot, window.customer.name, "delta")
    uid = window.customer.uid.text()
    fill_amount(qtbot, window, "70000")
    assert run_action(qtbot, window, window.issue_charge_button) == "paid"
    shown = panel_text(window)
    assert "결제 승인" in window.result.headline.text()
    rows = {n.text(): v.text() for n, v in window.result._detail_rows if v.isVisible()}
    assert rows["카드 저장"] == f"delta · {uid}"  # saved, and under which customer_uid
    assert "신한카드" in shown
    assert window.customers.selected_uid() == uid
    order = next(
        label.text()
        for name, label in window.result._detail_rows
        if name.text() == "주문번호" and label.isVisible()
    )

    def look_up() -> None:
        dialog = QApplication.activeModalWidget()
        if dialog is None or dialog.objectName() != "daySalesDialog":
            QTimer.singleShot(10, look_up)
            return
        if not dialog.findChild(QWidget, "lookupButton").isEnabled():  # type: ignore[union-attr]
            QTimer.singleShot(10, look_up)  # the day is still loading
            return
        edit = dialog.findChild(QLineEdit, "lookupOrderEdit")
        assert edit is not None
        edit.setText(order)
        qtbot.keyClick(edit, Qt.Key.Key_Return)

    QTimer.singleShot(0, look_up)
    key(qtbot, Qt.Key.Key_F9)
    qtbot.waitUntil(lambda: window.result.property("lookedUp") is True, timeout=WAIT_MS)
    assert window.result.outcome() == "paid"
    assert window.result.headline.text() == "조회 결과: 결제 승인"
    assert "새로 결제한 것이 아닙니다" in window.result.message.text()
