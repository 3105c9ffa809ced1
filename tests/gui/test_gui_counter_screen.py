"""The counter's screen and keyboard (issue 13): every action in view on 1024×690 and 1366×690
(768-line screens less the title bar and taskbar), whatever the state; the window opening no
larger than the screen; the F9 dialog's buttons at 1024 wide; shortcuts on the buttons; a Tab
order that does not change with state; focus that shows; messages that do not go stale."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from gui_helpers import (
    WAIT_MS,
    OpenWindow,
    answer_next_dialog,
    fill_amount,
    fill_card,
    run_action,
    type_into,
)
from PySide6.QtCore import QPoint, QRect, Qt, QTimer
from PySide6.QtWidgets import QApplication, QDialog, QHeaderView, QPushButton, QWidget
from pytestqt.qtbot import QtBot
from safety_helpers import answer_dialogs, issue

from pos_app.ui.customer_model import STATUS_COLUMN
from pos_app.ui.main_window import MainWindow

SCREENS = [(1024, 690), (1366, 690), (1280, 800)]


def actions(window: MainWindow) -> list[QWidget]:
    return [
        window.charge_button,
        window.issue_charge_button,
        window.issue_button,
        window.customers.again_button,
        window.customers.delete_button,
        window.customers.refresh,
        window.customers.reconcile_button,
        *[b for b in window.result.findChildren(QPushButton) if b.isVisible()],
    ]


def hidden_parts(window: MainWindow, widgets: list[QWidget]) -> list[str]:
    """Widgets not wholly on screen: outside the window, or clipped by a scrolling parent."""
    inside = window.rect()
    wrong = []
    for widget in widgets:
        top_left = widget.mapTo(window, QPoint(0, 0))
        box = QRect(top_left, widget.size())
        shown = widget.visibleRegion().boundingRect()
        if not inside.contains(box) or shown.size() != widget.size():
            wrong.append(f"{widget.objectName()} at {box} (shown {shown.size()})")
    return wrong


def status_column_shown(window: MainWindow) -> bool:
    header: QHeaderView = window.customers.table.horizontalHeader()
    left = header.sectionViewportPosition(STATUS_COLUMN)
    return left >= 0 and left + header.sectionSize(STATUS_COLUMN) <= header.viewport().width()


def resize(qtbot: QtBot, window: MainWindow, width: int, height: int) -> None:
    window.resize(width, height)
    qtbot.waitUntil(lambda: window.size().width() == width, timeout=WAIT_MS)
    for _ in range(3):
        QApplication.processEvents()
    assert (window.width(), window.height()) == (width, height), "the window would not shrink"


@pytest.mark.parametrize("lang", ["ko", "en"])
def test_every_action_and_the_status_column_in_view_from_1024x690(
    qtbot: QtBot, open_window: OpenWindow, lang: str
) -> None:
    window = open_window(lang=lang)
    issue(qtbot, window, "screen", "4242424242424242")
    for width, height in SCREENS:
        resize(qtbot, window, width, height)
        assert hidden_parts(window, actions(window)) == [], (width, height)
        assert status_column_shown(window), (width, height)
        assert window.keyin.form_scroll.verticalScrollBar().maximum() == 0, "form scrolls"

    # A paid charge (refund and receipt buttons, more detail rows) and a form full of errors.
    resize(qtbot, window, 1024, 690)
    fill_card(qtbot, window, "4242424242424242")
    fill_amount(qtbot, window, "55000")
    assert run_action(qtbot, window, window.charge_button) == "paid"
    assert window.result.refund_button.isVisible()
    assert hidden_parts(window, actions(window)) == []
    fill_card(qtbot, window, "4242424242424241", expiry="1399", birth="99", pin="1")
    type_into(qtbot, window.amount.tax_free, "999")
    assert run_action(qtbot, window, window.charge_button) == "invalid"
    errors = [row.error for row in window.rows.values() if row.error.isVisible()]
    assert len(errors) >= 4
    assert hidden_parts(window, actions(window)) == []
    focused = QApplication.focusWidget()  # the first wrong field, scrolled into view
    assert focused is not None and hidden_parts(window, [focused]) == []


def test_day_dialog_fits_1024_and_shows_save_and_close(
    qtbot: QtBot, open_window: OpenWindow
) -> None:
    window = open_window()
    resize(qtbot, window, 1024, 690)
    seen: dict[str, object] = {}

    def check() -> None:
        dialog = QApplication.activeModalWidget()
        if not isinstance(dialog, QDialog) or dialog.objectName() != "daySalesDialog":
            QTimer.singleShot(10, check)
            return
        screen = dialog.screen().availableGeometry()
        seen["opened"] = (dialog.width() <= screen.width(), dialog.height() <= screen.height())
        dialog.resize(1000, 650)  # a 1024-wide screen less the frame
        QApplication.processEvents()
        seen["size"] = (dialog.width(), dialog.height())
        wanted = [dialog.findChild(QPushButton, n) for n in ("exportDayButton", "closeDayButton")]
        seen["hidden"] = [
            "missing" if b is None else b.objectName()
            for b in wanted
            if b is None
            or not dialog.rect().contains(QRect(b.mapTo(dialog, QPoint(0, 0)), b.size()))
            or b.visibleRegion().boundingRect().size() != b.size()
        ]
        dialog.reject()

    QTimer.singleShot(0, check)
    window.day_sales_action.trigger()
    assert seen["opened"] == (True, True)
    assert seen["size"] == (1000, 650)
    assert seen["hidden"] == []


@pytest.mark.parametrize("screen", [(1024, 768), (1366, 768), (1920, 1080)])
def test_the_window_opens_no_larger_than_the_screen(
    tmp_path: Path, screen: tuple[int, int]
) -> None:
    """A real program start on a screen of that size (Qt's offscreen screen, configured)."""
    width, height = screen
    config = tmp_path / "screen.json"
    screen_json = {"name": "counter", "x": 0, "y": 0, "width": width, "height": height}
    screen_json |= {"logicalDpi": 96, "logicalBaseDpi": 96, "dpr": 1}
    config.write_text(json.dumps({"screens": [screen_json]}))
    code = (
        "from PySide6.QtWidgets import QApplication\n"
        "app = QApplication([])\n"
        "from pos_app.app import build_window\n"
        "w = build_window(lang='ko', start=False)\n"
        "w.show(); app.processEvents()\n"
        "print(w.width(), w.height())\n"
        "w.close()\n"
    )
    env = {**os.environ, "QT_QPA_PLATFORM": f"offscreen:configfile={config}"}
    out = subprocess.run(
        [sys.executable, "-c", code], env=env, capture_output=True, text=True, timeout=120
    )
    assert out.returncode == 0, out.stderr
    shown_width, shown_height = map(int, out.stdout.split()[-2:])
    assert shown_width <= width - 16 and shown_height <= height - 40
    assert (shown_width, shown_height) == (min(1280, width - 16), min(800, height - 40))


def test_buttons_show_their_keys_and_the_keys_work(
    qtbot: QtBot, open_window: OpenWindow, sandbox_url: str
) -> None:
    window = open_window()
    for button, text in (
        (window.charge_button, "1회 결제 (F2)"),
        (window.issue_charge_button, "발급 + 결제 (F3)"),
        (window.issue_button, "빌링키 발급 (F4)"),
        (window.customers.again_button, "재결제 (F5)"),
        (window.result.refund_button, "환불 (F6)"),
        (window.result.print_button, "영수증 인쇄 (F7)"),
        (window.result.check_button, "지금 PortOne에 확인 (F8)"),
    ):
        assert button.text() == text
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow, timeout=WAIT_MS)
    fill_card(qtbot, window, "4242424242424242")
    fill_amount(qtbot, window, "3000")
    qtbot.keyClick(window.amount.order_name, Qt.Key.Key_F2)
    qtbot.waitUntil(lambda: window.result.outcome() == "paid", timeout=WAIT_MS)
    qtbot.keyClick(window.card.number, Qt.Key.Key_F, Qt.KeyboardModifier.ControlModifier)
    assert window.customers.search.hasFocus()
    # F7 prints the receipt shown; with no shop set in 설정 it asks first (answered no here).
    seen = answer_next_dialog(yes=False, name="receiptShop")
    qtbot.keyClick(window.customers.search, Qt.Key.Key_F7)
    qtbot.waitUntil(lambda: bool(seen), timeout=WAIT_MS)
    assert "상호" in seen[0]
    qtbot.waitUntil(
        lambda: window.statusBar().currentMessage() == "영수증을 인쇄하지 않았습니다",
        timeout=WAIT_MS,
    )


def tab_path(qtbot: QtBot, window: MainWindow) -> list[str]:
    """Tab from the card number round the window, as a person would, back to the start."""
    window.card.number.setFocus()
    path = []
    for _ in range(40):
        focused = QApplication.focusWidget()
        assert focused is not None
        path.append(focused.objectName())
        qtbot.keyClick(focused, Qt.Key.Key_Tab)
        if QApplication.focusWidget() is window.card.number:
            return path
    raise AssertionError(f"Tab never came back to the card number: {path}")


def test_tab_order_is_the_same_in_every_state(qtbot: QtBot, open_window: OpenWindow) -> None:
    window = open_window()
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow, timeout=WAIT_MS)
    idle = tab_path(qtbot, window)
    assert idle[:5] == [
        "cardNumberEdit",
        "expiryEdit",
        "birthEdit",
        "pinEdit",
        "customerNameEdit",
    ]
    assert idle[5] == "customerPhoneEdit"  # not the suggested id, which typing would replace
    assert idle.index("chargeAgainButton") == idle.index("customerTable") + 1

    # Another state: a customer chosen, an approved charge (its refund and receipt buttons
    # shown), an amount under 50,000 won (no instalments), an unknown outcome's button.
    uid = issue(qtbot, window, "tabber", "4242424242424242")
    fill_card(qtbot, window, "4242424242424242")
    fill_amount(qtbot, window, "3000")
    assert run_action(qtbot, window, window.charge_button) == "paid"
    fill_amount(qtbot, window, "3000")
    assert not window.amount.installment_allowed()
    assert window.customers.selected_uid() == uid
    assert tab_path(qtbot, window) == idle


def test_focus_shows_on_buttons_and_the_customer_list(
    qtbot: QtBot, open_window: OpenWindow
) -> None:
    window = open_window()
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow, timeout=WAIT_MS)
    for widget in (window.charge_button, window.issue_button, window.customers.table):
        window.card.number.setFocus()
        before = widget.grab().toImage()
        widget.setFocus(Qt.FocusReason.TabFocusReason)
        qtbot.waitUntil(widget.hasFocus, timeout=WAIT_MS)
        after = widget.grab().toImage()
        assert before != after, f"{widget.objectName()} looks the same with focus"


def test_no_stale_messages(qtbot: QtBot, open_window: OpenWindow) -> None:
    window = open_window()
    # An amount error goes once an amount is typed; a card-number error once it is corrected.
    fill_card(qtbot, window, "4242424242424241")
    assert run_action(qtbot, window, window.charge_button) == "invalid"
    amount_error = window.amount.amount_row.error
    number_error = window.card.number_row.error
    assert amount_error.isVisible() and number_error.isVisible()
    type_into(qtbot, window.amount.amount, "12000")
    assert not amount_error.isVisible()
    qtbot.keyClick(window.card.number, Qt.Key.Key_Backspace)
    type_into(qtbot, window.card.number, "2")
    assert window.card.check.text() == "✓ 번호 확인" and not number_error.isVisible()
    assert window.result.headline.text() == "대기 중"  # nor the panel's list of the errors

    # One rule: an approved charge empties the amount, 1회 결제 and 재결제 alike.
    assert run_action(qtbot, window, window.charge_button) == "paid"
    assert window.amount.amount.text() == ""
    issue(qtbot, window, "stale", "5555555555554444")
    fill_amount(qtbot, window, "21000")
    assert run_action(qtbot, window, window.customers.again_button) == "paid"
    assert window.amount.amount.text() == ""

    # The same amount again at once: "방금", not "0분 전"; while asked, the panel says a question
    # is open, not that PortOne is being waited for.
    fill_amount(qtbot, window, "21000")
    panel: list[str] = []
    seen = answer_dialogs([False], lambda: panel.append(window.result.message.text()))
    assert run_action(qtbot, window, window.customers.again_button) == "cancelled"
    assert seen and "방금" in seen[0] and "0분 전" not in seen[0]
    assert panel == ["답을 기다리는 중입니다. 아직 아무것도 보내지 않았습니다."]
    assert window.result.message.text() == "아무것도 보내지 않았습니다."
