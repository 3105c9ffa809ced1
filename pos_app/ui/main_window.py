"""The main window: key-in column left, result and customers right, the mode banner on top.

The first frame shows the banner and the key-in form. `add_till_side()` adds the right column
and `TillActions` (what the buttons do) after that frame, and `start_till()` the worker after
the column's: they stay empty and disabled until the till is open anyway (pos_app/app.py;
docs/packaging.md, startup time).
"""

from __future__ import annotations

import itertools
from typing import TYPE_CHECKING

from PySide6.QtCore import QSize, Qt, QTranslator
from PySide6.QtGui import QCloseEvent, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QLineEdit,
    QMainWindow,
    QProgressBar,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from pos_app.ui.fields import FieldRow, fitted_size
from pos_app.ui.i18n import uninstall
from pos_app.ui.keyin_column import KeyInColumn
from pos_app.ui.menus import install_menus
from pos_app.ui.mode_banner import ModeBanner

# The size the window asks for on a large screen; on a smaller one it takes what fits.
DEFAULT_SIZE = QSize(1280, 800)

if TYPE_CHECKING:
    from pos_app.ui.billing_hook import BillingRunHook
    from pos_app.ui.customer_table import CustomerPanel
    from pos_app.ui.result_panel import ResultPanel
    from pos_app.ui.staff_gate import StaffGate
    from pos_app.ui.till_actions import TillActions
    from pos_app.ui.worker import TillThread


class MainWindow(QMainWindow):
    # Made by add_till_side(): the right column's parts, what the buttons do, the worker thread.
    result: ResultPanel
    customers: CustomerPanel
    till_actions: TillActions
    till: TillThread
    staff: StaffGate
    billing: BillingRunHook

    def __init__(
        self,
        api_base: str | None = None,
        lang: str = "ko",
        translators: list[QTranslator] | None = None,
    ) -> None:
        super().__init__()
        self.setObjectName("mainWindow")
        self.lang = lang
        # Installed by build_window for this window; removed again when it closes.
        self._translators = translators or []
        self._api_base = api_base
        self.mode = ""  # "sandbox" or "live" once the Till is open
        self.api_base = ""
        # True once the reconciliation that follows opening the Till has answered.
        self.settled_at_start = False
        self._started = False
        self._closed = False
        self.setWindowTitle(self.tr("수기결제 POS"))
        self._build()

    def add_till_side(self) -> None:
        """Add the right column and what the buttons do (TillActions, which makes the worker
        thread but does not start it). Once only."""
        if self._started:
            return
        self._started = True
        from pos_app.ui.result_column import ResultColumn
        from pos_app.ui.till_actions import TillActions

        right = ResultColumn()
        self.result, self.customers = right.result, right.customers
        self.selected_label = self.customers.selected_label
        self.again_button = self.customers.again_button
        self.delete_button = self.customers.delete_button
        self.reconcile_button = self.customers.reconcile_button
        self._right.addWidget(right)
        self._tab_order()
        self.till_actions = TillActions(self, self._api_base)
        self.till = self.till_actions.till
        from pos_app.ui.billing_hook import BillingRunHook  # 결제 → 정기 결제…, member plans

        self.billing = BillingRunHook(self)
        self.card.number.setFocus()
        from pos_app.ui.staff_gate import StaffGate

        # Sign-in, lock and approvals once the shop has a manager; the audit trail always.
        self.staff = StaffGate(self)
        self.till_actions.approve = self.staff.approve
        self.staff.start()

    def start_till(self) -> None:
        """Start the worker thread; it opens the Till there and the window hears `opened`."""
        self.add_till_side()
        if not self._closed:
            self.till.start()

    # -- layout --------------------------------------------------------------------------------
    def _build(self) -> None:
        self.banner = ModeBanner()

        keyin = self.keyin = KeyInColumn()
        self.card, self.customer, self.amount = keyin.card, keyin.customer, keyin.amount
        self.issue_button = keyin.issue_button
        self.charge_button = keyin.charge_button
        self.issue_charge_button = keyin.issue_charge_button
        for button in (self.issue_button, self.charge_button, self.issue_charge_button):
            button.setEnabled(False)  # until the till is open

        right_place = QWidget()  # the right column goes in here (add_till_side)
        self._right = QVBoxLayout(right_place)
        self._right.setContentsMargins(0, 0, 0, 0)
        split = QSplitter()
        split.addWidget(keyin)
        split.addWidget(right_place)
        split.setStretchFactor(1, 1)
        split.setSizes([540, 740])
        central = QWidget()
        column = QVBoxLayout(central)
        column.setContentsMargins(0, 0, 0, 0)
        column.setSpacing(0)
        column.addWidget(self.banner)
        column.addWidget(split, 1)
        self.setCentralWidget(central)

        self.busy = QProgressBar()
        self.busy.setObjectName("busyIndicator")
        self.busy.setRange(0, 0)  # indeterminate: we cannot know how long PortOne takes
        self.busy.setMaximumWidth(160)
        self.busy.setAccessibleName(self.tr("처리 중"))
        self.busy.hide()
        self.statusBar().addPermanentWidget(self.busy)

        self.rows: dict[str, FieldRow] = {
            **self.card.rows,
            **self.customer.rows,
            **self.amount.rows,
        }
        self.day_sales_action = install_menus(self)
        self.card.last4Changed.connect(self.customer.set_last4)
        self.card.keptWiped.connect(
            lambda: self.statusBar().showMessage(
                self.tr("입력이 없어 카드 정보를 지웠습니다"), 10_000
            )
        )
        for edit in [*self.customer.edits(), self.amount.amount, self.amount.order_name]:
            edit.textEdited.connect(self.card.touch)  # typing anywhere in the form is not idle
        for row in self.rows.values():
            if isinstance(row.edit, QLineEdit):
                row.edit.textEdited.connect(self._input_corrected)
        QShortcut(QKeySequence(Qt.Key.Key_Escape), self, self.clear_form)
        QShortcut(QKeySequence.StandardKey.Find, self, self._find_customer)

    def _tab_order(self) -> None:
        # Reading order, and the same whatever the state: nothing in it comes and goes (the
        # result panel's buttons are reached by F6-F8 and the mouse, the instalment box is never
        # disabled, 재결제 and 카드 삭제 stay enabled with nobody chosen).
        chain: list[QWidget] = [
            *self.card.edits(),
            *self.customer.edits(),
            *self.amount.edits(),
            self.charge_button,
            self.issue_charge_button,
            self.issue_button,
            self.customers.search,
            self.customers.refresh,
            self.customers.table,
            self.again_button,
            self.delete_button,
            self.reconcile_button,
        ]
        for first, second in itertools.pairwise(chain):
            QWidget.setTabOrder(first, second)

    def fit_to_screen(self, preferred: QSize = DEFAULT_SIZE) -> None:
        """Open at `preferred`, or at what the screen has room for if that is less (a 1366×768
        or 1024×768 counter screen less its taskbar); every action fits from 1024×690 up."""
        self.resize(fitted_size(self, preferred))

    def _find_customer(self) -> None:
        """Ctrl+F: to the customer search, its text selected for a new search."""
        if self._started:
            self.customers.search.setFocus(Qt.FocusReason.ShortcutFocusReason)
            self.customers.search.selectAll()

    # -- the form ------------------------------------------------------------------------------
    def clear_form(self) -> None:
        """Esc: card fields overwritten and cleared, every field and error emptied, and nobody
        chosen in the customer list (a fresh start must not charge the last one chosen)."""
        self.card.wipe()
        self.customer.clear()
        self.amount.clear()
        self.clear_errors()
        if self._started:
            self.customers.search.clear()
            self.customers.clear_selection()
        self.card.number.setFocus()

    def _input_corrected(self) -> None:
        """Every field error has been edited away: the panel's list of them is stale too."""
        if not self._started or self.result.outcome() != "invalid":
            return
        if not any(row.edit.property("invalid") for row in self.rows.values()):
            self.result.show_idle()

    def clear_errors(self) -> None:
        for row in self.rows.values():
            row.clear_error()

    def closeEvent(self, event: QCloseEvent) -> None:
        self.card.wipe()
        self._closed = True
        if self._started:
            self.till.stop()
            self.staff.shutdown()
        uninstall(self._translators)
        self._translators = []
        super().closeEvent(event)
