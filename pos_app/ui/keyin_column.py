"""The window's left column: card, customer and amount forms over the three key-in actions.

It scrolls as one piece, so on a small screen the buttons stay reachable under the fields.
"""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QHBoxLayout, QScrollArea, QVBoxLayout, QWidget

from pos_app.ui.amount_form import AmountForm
from pos_app.ui.card_form import CardForm
from pos_app.ui.customer_form import CustomerForm
from pos_app.ui.fields import action_button


class KeyInColumn(QScrollArea):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.card = CardForm()
        self.customer = CustomerForm()
        self.amount = AmountForm()
        # Translated in the window's context, where these button texts have always lived.
        self.issue_button = action_button(
            QCoreApplication.translate("MainWindow", "빌링키 발급"), "issueKeyButton"
        )
        self.charge_button = action_button(
            QCoreApplication.translate("MainWindow", "1회 결제"), "chargeOnceButton", "primary"
        )
        self.issue_charge_button = action_button(
            QCoreApplication.translate("MainWindow", "발급 + 결제"), "issueAndChargeButton"
        )
        actions = QHBoxLayout()
        for button in (self.charge_button, self.issue_charge_button, self.issue_button):
            actions.addWidget(button)
        form_box = QWidget()
        form_box.setObjectName("formColumn")
        column = QVBoxLayout(form_box)
        column.setContentsMargins(12, 12, 12, 12)
        column.setSpacing(10)
        for widget in (self.card, self.customer, self.amount):
            column.addWidget(widget)
        column.addLayout(actions)
        column.addStretch(1)
        self.setWidget(form_box)
        self.setWidgetResizable(True)
        self.setFrameShape(QScrollArea.Shape.NoFrame)
        self.setMinimumWidth(500)
