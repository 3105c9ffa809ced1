"""Who the card belongs to: name, phone, email, customer_uid (suggested, editable)."""

from __future__ import annotations

from PySide6.QtWidgets import QGroupBox, QLineEdit, QWidget

from pos_app.core.card import InvalidInput
from pos_app.core.order import (
    BUYER_EMAIL_MAX,
    BUYER_TEL_MAX,
    CUSTOMER_UID_MAX,
    Buyer,
    check_customer_uid,
    suggest_customer_uid,
)
from pos_app.ui.fields import KEYIN_SPACING, FieldRow, new_form


class CustomerForm(QGroupBox):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("customerForm")
        self.setTitle(self.tr("고객"))
        form = new_form(KEYIN_SPACING)
        self.setLayout(form)

        self.name = QLineEdit()
        self.name.setObjectName("customerNameEdit")
        self.name.setMaxLength(20)  # PortOne customer_name limit
        self.name.setPlaceholderText(self.tr("회원 이름 또는 회원번호"))
        self.name_row = FieldRow(form, self.tr("이름"), self.name)

        self.phone = QLineEdit()
        self.phone.setObjectName("customerPhoneEdit")
        self.phone.setMaxLength(BUYER_TEL_MAX)  # also buyer_tel on a charge: the smaller limit
        self.phone.setPlaceholderText("010-0000-0000")
        self.phone_row = FieldRow(form, self.tr("전화번호"), self.phone)

        self.email = QLineEdit()
        self.email.setObjectName("customerEmailEdit")
        self.email.setMaxLength(BUYER_EMAIL_MAX)
        self.email.setPlaceholderText("name@example.com")
        self.email_row = FieldRow(form, self.tr("이메일"), self.email)

        # Last: it is suggested from the name and the card, so Tab from the name goes on to the
        # phone number instead of into a filled-in id that the next keystroke would replace.
        self.uid = QLineEdit()
        self.uid.setObjectName("customerUidEdit")
        self.uid.setMaxLength(CUSTOMER_UID_MAX)
        self.uid.setPlaceholderText(self.tr("이름과 카드 끝 4자리로 자동 제안"))
        self.uid_row = FieldRow(form, self.tr("고객 ID"), self.uid)

        self.rows = {"customer_uid": self.uid_row}
        self._last4 = ""
        # Once the cashier types their own customer_uid, suggestions stop overwriting it.
        self._uid_edited = False
        self.uid.textEdited.connect(self._uid_typed)
        self.name.textChanged.connect(self._suggest)

    def edits(self) -> list[QLineEdit]:
        return [self.name, self.phone, self.email, self.uid]

    def set_last4(self, last4: str) -> None:
        self._last4 = last4
        self._suggest()

    def customer_uid(self) -> str:
        """The checked customer_uid; raises InvalidInput("customer_uid")."""
        return check_customer_uid(self.uid.text().strip())

    def buyer(self) -> Buyer:
        return Buyer(
            name=self.name.text().strip(),
            tel=self.phone.text().strip(),
            email=self.email.text().strip(),
        )

    def clear(self) -> None:
        for edit in self.edits():
            edit.clear()
        self._uid_edited = False

    def _uid_typed(self, text: str) -> None:
        self._uid_edited = bool(text)

    def _suggest(self) -> None:
        if self._uid_edited:
            return
        try:
            suggestion = suggest_customer_uid(self.name.text(), self._last4)
        except InvalidInput:
            suggestion = ""
        self.uid.setText(suggestion)
