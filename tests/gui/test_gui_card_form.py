"""The card and amount fields on their own: live grouping, brand, Luhn, labels, no copying out."""

from __future__ import annotations

from gui_helpers import type_into
from PySide6.QtCore import QPoint, Qt
from PySide6.QtGui import QContextMenuEvent, QGuiApplication
from PySide6.QtWidgets import QApplication, QLineEdit
from pytestqt.qtbot import QtBot

from pos_app.ui.amount_form import AmountForm
from pos_app.ui.card_form import CardForm
from pos_app.ui.customer_form import CustomerForm


def card_form(qtbot: QtBot) -> CardForm:
    form = CardForm()
    qtbot.addWidget(form)
    form.show()
    return form


def test_card_number_groups_by_brand_while_typing(qtbot: QtBot) -> None:
    form = card_form(qtbot)
    qtbot.keyClicks(form.number, "424242")
    assert form.number.text() == "4242 42"
    qtbot.keyClicks(form.number, "4242424242")
    assert form.number.text() == "4242 4242 4242 4242"
    assert form.brand.text() == "VISA"
    assert form.check.property("state") == "ok"
    form.number.clear()
    qtbot.keyClicks(form.number, "378282246310005")
    assert form.number.text() == "3782 822463 10005"
    assert form.brand.text() == "AMEX"


def test_pasted_number_is_regrouped_and_luhn_failure_is_visible(qtbot: QtBot) -> None:
    form = card_form(qtbot)
    QGuiApplication.clipboard().setText("4242-4242-4242-4241")
    form.number.setFocus()
    qtbot.keyClick(form.number, Qt.Key.Key_V, Qt.KeyboardModifier.ControlModifier)
    assert form.number.text() == "4242 4242 4242 4241"
    assert form.check.property("state") == "bad"
    assert "✕" in form.check.text()


def test_letters_are_dropped_and_editing_in_the_middle_keeps_the_cursor(qtbot: QtBot) -> None:
    form = card_form(qtbot)
    qtbot.keyClicks(form.number, "5555x5555")
    assert form.number.text() == "5555 5555"
    form.number.setCursorPosition(2)
    qtbot.keyClicks(form.number, "1")
    assert form.number.text() == "5515 5555 5"
    assert form.number.cursorPosition() == 3


def test_card_digits_cannot_be_copied_cut_or_dragged_out(qtbot: QtBot) -> None:
    form = card_form(qtbot)
    clipboard = QGuiApplication.clipboard()
    clipboard.setText("unchanged")
    qtbot.keyClicks(form.number, "4242424242424242")
    form.number.selectAll()
    qtbot.keyClick(form.number, Qt.Key.Key_C, Qt.KeyboardModifier.ControlModifier)
    qtbot.keyClick(form.number, Qt.Key.Key_Insert, Qt.KeyboardModifier.ControlModifier)
    assert clipboard.text() == "unchanged"
    qtbot.keyClick(form.number, Qt.Key.Key_X, Qt.KeyboardModifier.ControlModifier)
    assert clipboard.text() == "unchanged"
    assert form.number.text() == "4242 4242 4242 4242"  # cut did not remove it either
    assert not form.number.dragEnabled()
    assert form.number.contextMenuPolicy() == Qt.ContextMenuPolicy.PreventContextMenu
    event = QContextMenuEvent(QContextMenuEvent.Reason.Keyboard, QPoint(1, 1), QPoint(1, 1))
    QApplication.sendEvent(form.number, event)
    assert QApplication.activePopupWidget() is None


def test_expiry_birth_and_pin_formats(qtbot: QtBot) -> None:
    form = card_form(qtbot)
    qtbot.keyClicks(form.expiry, "0829")
    assert form.expiry.text() == "08/29"
    qtbot.keyClicks(form.birth, "880315")
    assert form.birth_row.label.text() == "생년월일"
    form.birth.clear()
    qtbot.keyClicks(form.birth, "1234567891")
    assert form.birth.text() == "123-45-67891"
    assert form.birth_row.label.text() == "사업자등록번호"
    assert form.birth.accessibleName() == "사업자등록번호"
    qtbot.keyClicks(form.pin, "123")
    assert form.pin.text() == "12"
    assert form.pin.echoMode() == QLineEdit.EchoMode.Password


def test_wipe_clears_every_card_field_and_its_undo_history(qtbot: QtBot) -> None:
    form = card_form(qtbot)
    type_into(qtbot, form.number, "4242424242424242")
    type_into(qtbot, form.pin, "12")
    form.wipe()
    assert [edit.text() for edit in form.edits()] == ["", "", "", ""]
    form.number.undo()
    assert form.number.text() == ""


def test_customer_uid_is_suggested_until_typed_over(qtbot: QtBot) -> None:
    form = CustomerForm()
    qtbot.addWidget(form)
    form.set_last4("4242")
    type_into(qtbot, form.name, "홍길동")
    assert form.uid.text() == "honggildong_4242"
    form.uid.clear()
    qtbot.keyClicks(form.uid, "member-77")
    type_into(qtbot, form.name, "x")
    assert form.uid.text() == "member-77"


def test_amount_groups_thousands_and_instalments_start_at_50000(qtbot: QtBot) -> None:
    form = AmountForm()
    qtbot.addWidget(form)
    qtbot.keyClicks(form.amount, "49999")
    assert form.amount.text() == "49,999"
    assert not form.installment_allowed()
    qtbot.keyClicks(form.amount, "0")
    assert form.amount.text() == "499,990"
    assert form.installment_allowed()
    assert form.vat.text() == "부가세 45,454원"
    qtbot.keyClicks(form.tax_free, "10000")
    assert form.tax_free.text() == "10,000"
    assert form.vat.text() == "부가세 44,545원"
    form.set_card_type(1)  # PortOne said: check card
    assert not form.installment_allowed()
    assert form.installment.currentData() == 0
