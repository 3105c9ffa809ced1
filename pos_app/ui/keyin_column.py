"""The window's left column: card, customer and amount forms over the three key-in actions.

The forms scroll; the action buttons sit under them, outside the scrolling part, so no screen
size and no error message under a field can push a button out of sight (issue 13).
"""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QHBoxLayout, QScrollArea, QVBoxLayout, QWidget

from pos_app.ui.amount_form import AmountForm
from pos_app.ui.card_form import CardForm
from pos_app.ui.customer_form import CustomerForm
from pos_app.ui.fields import action_button


class KeyInColumn(QWidget):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("keyinColumn")
        self.card = CardForm()
        self.customer = CustomerForm()
        self.amount = AmountForm()
        # Translated in the window's context, where these button texts have always lived.
        self.charge_button = action_button(
            QCoreApplication.translate("MainWindow", "1회 결제"),
            "chargeOnceButton",
            "primary",
            "F2",
        )
        self.issue_charge_button = action_button(
            QCoreApplication.translate("MainWindow", "발급 + 결제"),
            "issueAndChargeButton",
            key="F3",
        )
        self.issue_button = action_button(
            QCoreApplication.translate("MainWindow", "빌링키 발급"), "issueKeyButton", key="F4"
        )
        form_box = QWidget()
        form_box.setObjectName("formColumn")
        column = QVBoxLayout(form_box)
        column.setContentsMargins(12, 4, 12, 4)
        column.setSpacing(4)
        for widget in (self.card, self.customer, self.amount):
            column.addWidget(widget)
        column.addStretch(1)
        self.form_scroll = QScrollArea()
        self.form_scroll.setObjectName("formScroll")
        self.form_scroll.setWidget(form_box)
        self.form_scroll.setWidgetResizable(True)
        self.form_scroll.setFrameShape(QScrollArea.Shape.NoFrame)

        actions = QHBoxLayout()
        actions.setContentsMargins(12, 6, 12, 8)
        for button in (self.charge_button, self.issue_charge_button, self.issue_button):
            actions.addWidget(button)
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.setSpacing(0)
        outer.addWidget(self.form_scroll, 1)
        outer.addLayout(actions)
        self.setMinimumWidth(470)

    def show_field(self, widget: QWidget) -> None:
        """Scroll the form so `widget` (a field with an error, say) is in view."""
        self.form_scroll.ensureWidgetVisible(widget, 0, 24)
