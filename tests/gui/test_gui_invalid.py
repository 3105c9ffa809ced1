"""Every kind of bad input is refused in the window, next to its field, and nothing is sent."""

from __future__ import annotations

import pytest
from gui_helpers import OpenWindow, requests_seen, run_action, type_into
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from pos_app.core.card import InvalidInput
from pos_app.ui.main_window import MainWindow

GOOD = {
    "card": "4242424242424242",
    "expiry": "1230",
    "birth": "880315",
    "pin": "12",
    "amount": "10000",
    "tax_free": "",
    "name": "member",
    "uid": "",
}

# (what to change, the InvalidInput it must produce, which button)
CASES = [
    ({"card": ""}, InvalidInput("card_number", "empty"), "charge"),
    ({"card": "4242424242424241"}, InvalidInput("card_number", "luhn"), "charge"),
    (
        {"card": "424242424242"},
        InvalidInput("card_number", "length", brand="VISA", lengths="13, 16, 19"),
        "charge",
    ),
    ({"card": "1234567812345670"}, InvalidInput("card_number", "brand"), "charge"),
    ({"expiry": ""}, InvalidInput("expiry", "empty"), "charge"),
    ({"expiry": "1330"}, InvalidInput("expiry", "month"), "charge"),
    ({"expiry": "0120"}, InvalidInput("expiry", "past"), "charge"),
    ({"expiry": "12"}, InvalidInput("expiry", "format"), "charge"),
    ({"birth": ""}, InvalidInput("birth", "empty"), "charge"),
    ({"birth": "881345"}, InvalidInput("birth", "date"), "charge"),
    ({"birth": "1234567890"}, InvalidInput("birth", "business"), "charge"),
    ({"birth": "12345"}, InvalidInput("birth", "format"), "charge"),
    ({"pin": ""}, InvalidInput("pin", "empty"), "charge"),
    ({"pin": "1"}, InvalidInput("pin", "format"), "charge"),
    ({"amount": ""}, InvalidInput("amount", "empty"), "charge"),
    ({"amount": "0"}, InvalidInput("amount", "not_positive"), "charge"),
    ({"tax_free": "20000"}, InvalidInput("tax_free", "range"), "charge"),
    ({"name": "", "uid": ""}, InvalidInput("customer_uid", "empty"), "issue"),
]


def enter(qtbot: QtBot, window: MainWindow, values: dict[str, str]) -> None:
    fields = {
        "card": window.card.number,
        "expiry": window.card.expiry,
        "birth": window.card.birth,
        "pin": window.card.pin,
        "amount": window.amount.amount,
        "tax_free": window.amount.tax_free,
        "name": window.customer.name,
        "uid": window.customer.uid,
    }
    for key, text in values.items():
        if text:
            type_into(qtbot, fields[key], text)


@pytest.mark.parametrize(("change", "expected", "button"), CASES, ids=lambda v: repr(v)[:40])
def test_invalid_input_shows_its_message_by_the_field_and_sends_nothing(
    qtbot: QtBot,
    open_window: OpenWindow,
    sandbox_url: str,
    change: dict[str, str],
    expected: InvalidInput,
    button: str,
) -> None:
    window = open_window()
    before = requests_seen(sandbox_url)
    enter(qtbot, window, {**GOOD, **change})
    target = window.charge_button if button == "charge" else window.issue_button
    assert run_action(qtbot, window, target) == "invalid"
    row = window.rows[expected.field]
    assert row.error.isVisibleTo(window)
    assert expected.message("ko") in row.error.text()
    assert row.edit.property("invalid") is True
    assert requests_seen(sandbox_url) == before
    if expected.field in ("card_number", "expiry", "birth", "pin"):
        # Not sent, so the cashier can fix the one wrong field instead of retyping the card.
        assert window.card.number.text() or expected.field == "card_number"


def test_check_card_instalment_declined_then_no_longer_offered(
    qtbot: QtBot, open_window: OpenWindow
) -> None:
    """A key-in check card is only known as one after PortOne says so (here: by declining)."""
    window = open_window()
    enter(qtbot, window, {**GOOD, "card": "9490000000000008", "amount": "60000"})
    window.amount.installment.setCurrentIndex(2)
    assert run_action(qtbot, window, window.charge_button) == "declined"
    assert "체크카드" in window.result.message.text()
    assert not window.amount.installment_allowed()
    type_into(qtbot, window.card.number, "4")  # another card: the rule no longer applies
    assert window.amount.installment_allowed()


@pytest.mark.parametrize("pasted", ["회비\u202e1월", "회\u200b비", "\u2066회비\u2069"])
def test_an_order_name_pasted_with_invisible_controls_is_refused(
    qtbot: QtBot, open_window: OpenWindow, sandbox_url: str, pasted: str
) -> None:
    # Bidi overrides and zero-width characters cannot be typed, but arrive by copy and paste.
    window = open_window()
    before = requests_seen(sandbox_url)
    enter(qtbot, window, {**GOOD, "name": ""})
    QApplication.clipboard().setText(pasted)
    window.amount.order_name.setFocus()
    qtbot.keyClick(window.amount.order_name, Qt.Key.Key_V, Qt.KeyboardModifier.ControlModifier)
    assert window.amount.order_name.text() == pasted
    assert run_action(qtbot, window, window.charge_button) == "invalid"
    row = window.rows["order_name"]
    assert row.error.isVisibleTo(window)
    assert InvalidInput("order_name", "control").message("ko") in row.error.text()
    assert requests_seen(sandbox_url) == before
