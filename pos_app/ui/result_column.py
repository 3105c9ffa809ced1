"""The window's right column: the result of the last action over the saved customers.

The window builds it when the till starts, right after its first frame (MainWindow.start): both
parts stay empty until the till is open anyway, and the form the cashier types into first is on
screen sooner without them (docs/packaging.md, startup time).
"""

from __future__ import annotations

from PySide6.QtWidgets import QSizePolicy, QVBoxLayout, QWidget

from pos_app.ui.customer_table import CustomerPanel
from pos_app.ui.result_panel import ResultPanel


class ResultColumn(QWidget):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.result = ResultPanel()
        self.customers = CustomerPanel()
        column = QVBoxLayout(self)
        column.setContentsMargins(4, 12, 12, 12)
        column.setSpacing(10)
        column.addWidget(self.result, 0)
        column.addWidget(self.customers, 1)
        # On a 690-line screen the list gives up rows before the result loses a line of detail
        # (the layout otherwise split the shortfall between the two and clipped the panel).
        self.result.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Minimum)
