"""What is charged: amount in won, order name, instalment months, tax-free part, VAT."""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtGui import QStandardItemModel
from PySide6.QtWidgets import QComboBox, QGroupBox, QLabel, QLineEdit, QWidget

from pos_app.core.card import InvalidInput
from pos_app.core.money import (
    CHECK_CARD,
    INSTALLMENT_MIN_AMOUNT,
    MAX_INSTALLMENT_MONTHS,
    check_installment,
    installment_allowed,
    parse_amount,
    parse_tax_free,
    vat_of,
)
from pos_app.core.order import ORDER_NAME_MAX, check_order_name
from pos_app.ui.fields import KEYIN_SPACING, FieldRow, new_form
from pos_app.ui.secure_edit import GroupedDigitsEdit
from pos_app.ui.won import won

AMOUNT_MAX_DIGITS = 8  # core's ceiling is 99,999,999 won


def format_won(digits: str) -> str:
    digits = digits.lstrip("0") or ("0" if digits else "")
    return f"{int(digits):,}" if digits else ""


@dataclass(frozen=True)
class Charge:
    """The checked amount fields of one charge; the worker adds the merchant_uid when sending."""

    amount: int
    name: str
    tax_free: int = 0
    card_quota: int = 0


class AmountForm(QGroupBox):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("amountForm")
        self.setTitle(self.tr("결제 금액"))
        form = new_form(KEYIN_SPACING)
        self.setLayout(form)

        self.amount = GroupedDigitsEdit(format_won, AMOUNT_MAX_DIGITS)
        self.amount.setObjectName("amountEdit")
        self.amount.setPlaceholderText(self.tr("예: 12,000"))
        won = QLabel(self.tr("원"))
        self.amount_row = FieldRow(form, self.tr("금액"), self.amount, won)

        self.order_name = QLineEdit()
        self.order_name.setObjectName("orderNameEdit")
        self.order_name.setMaxLength(ORDER_NAME_MAX)
        self.order_name_row = FieldRow(form, self.tr("주문명"), self.order_name)

        self.installment = QComboBox()
        self.installment.setObjectName("installmentCombo")
        self.installment.addItem(self.tr("일시불"), 0)
        for months in range(2, MAX_INSTALLMENT_MONTHS + 1):
            self.installment.addItem(self.tr("%n개월", "", months), months)
        self.installment_row = FieldRow(form, self.tr("할부"), self.installment)

        self.tax_free = GroupedDigitsEdit(format_won, AMOUNT_MAX_DIGITS)
        self.tax_free.setObjectName("taxFreeEdit")
        self.tax_free.setPlaceholderText("0")
        self.vat = QLabel()
        self.vat.setObjectName("vatLabel")
        self.vat.setMinimumWidth(150)
        self.tax_free_row = FieldRow(form, self.tr("면세 금액"), self.tax_free, self.vat)

        self.rows = {
            "amount": self.amount_row,
            "order_name": self.order_name_row,
            "installment": self.installment_row,
            "tax_free": self.tax_free_row,
        }
        # card_type of the card about to be charged, once PortOne has said (1 = check card).
        self._card_type: int | None = None
        self._default_name = ""
        self._months_allowed = True
        self.amount.textChanged.connect(self._update)
        self.tax_free.textChanged.connect(self._update)
        self._update()

    def edits(self) -> list[QWidget]:
        return [self.amount, self.order_name, self.installment, self.tax_free]

    def installment_allowed(self) -> bool:
        """Whether months other than 일시불 can be chosen now."""
        return self._months_allowed

    def set_card_type(self, card_type: int | None) -> None:
        self._card_type = card_type
        self._update()

    def set_default_order_name(self, name: str) -> None:
        self._default_name = name
        self.order_name.setPlaceholderText(name)

    def charge(self, card_type: int | None = None) -> tuple[Charge | None, list[InvalidInput]]:
        """The checked fields, or every error at once; an empty order name takes the default.

        `card_type` is what PortOne said about the card to be charged (1 = check card)."""
        errors: list[InvalidInput] = []
        amount = tax_free = 0
        try:
            amount = parse_amount(self.amount.text())
        except InvalidInput as exc:
            errors.append(exc)
        name = self.order_name.text().strip() or self._default_name
        try:
            check_order_name(name)
        except InvalidInput as exc:
            errors.append(exc)
        months = int(self.installment.currentData() or 0)
        if amount:
            try:
                tax_free = parse_tax_free(self.tax_free.text(), amount)
            except InvalidInput as exc:
                errors.append(exc)
            try:
                check_installment(months, amount, card_type)
            except InvalidInput as exc:
                errors.append(exc)
        if errors:
            return None, errors
        return Charge(amount, name, tax_free, months), []

    def clear(self) -> None:
        self.amount.clear()
        self.order_name.clear()
        self.tax_free.clear()
        self.installment.setCurrentIndex(0)

    def _allow_months(self, allowed: bool) -> None:
        if allowed == self._months_allowed:
            return
        self._months_allowed = allowed
        model = self.installment.model()
        assert isinstance(model, QStandardItemModel)  # QComboBox's own model
        for row in range(1, model.rowCount()):
            item = model.item(row)
            if item is not None:
                item.setEnabled(allowed)

    def _update(self) -> None:
        try:
            amount = parse_amount(self.amount.text())
        except InvalidInput:
            amount = 0
        allowed = installment_allowed(amount, self._card_type)
        if not allowed:
            self.installment.setCurrentIndex(0)
        # The box itself stays enabled (a disabled one drops out of the Tab chain, and the Tab
        # count to the buttons would change with the amount); only the months are refused.
        self._allow_months(allowed)
        if self._card_type == CHECK_CARD:
            reason = self.tr("체크카드는 할부가 되지 않습니다")
        elif not allowed:
            reason = self.tr("할부는 %1 이상부터 가능합니다").replace(
                "%1", won(INSTALLMENT_MIN_AMOUNT)
            )
        else:
            reason = ""
        self.installment.setToolTip(reason)
        try:
            tax_free = parse_tax_free(self.tax_free.text(), amount) if amount else 0
            vat = vat_of(amount, tax_free)
        except InvalidInput:
            self.vat.setText("")
            return
        self.vat.setText(self.tr("부가세 %1").replace("%1", won(vat)) if amount else "")
