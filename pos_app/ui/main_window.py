"""The main window: key-in column left, result and customers right, the mode banner on top.

The first frame shows the banner and the key-in form. `add_till_side()` adds the right column,
the till's thread (`TillThread`, not started) and `TillActions` (what the buttons do) after that
frame, and `start_till()` starts the thread after the column's: they stay empty and disabled
until the till is open anyway (pos_app/app.py; docs/packaging.md, startup time).

What the buttons do lives in TillActions; the window offers it intents about its own form and
frame — read the form for an action, say something in the status bar, show where the till
talks, enable what may be pressed — rather than its widgets.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass
from typing import TYPE_CHECKING

from PySide6.QtCore import QSize, Qt, QThread, QTranslator, Signal
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
    from pos_app.core.card import KeyInCard
    from pos_app.core.errors import InvalidInput
    from pos_app.core.order import Buyer
    from pos_app.ui.amount_form import Charge
    from pos_app.ui.billing_hook import BillingRunHook
    from pos_app.ui.customer_table import CustomerPanel
    from pos_app.ui.result_panel import ResultPanel
    from pos_app.ui.staff_gate import StaffGate
    from pos_app.ui.till_actions import TillActions
    from pos_app.ui.worker import TillThread


@dataclass(frozen=True)
class FormRead:
    """What the key-in form says for one action (the parts it asked for; None/"" otherwise)."""

    card: KeyInCard | None
    customer_uid: str
    charge: Charge | None
    buyer: Buyer | None


class MainWindow(QMainWindow):
    # Made by add_till_side(): the right column's parts, the till's thread, what the buttons do.
    result: ResultPanel
    customers: CustomerPanel
    till_actions: TillActions
    till: TillThread
    staff: StaffGate
    billing: BillingRunHook

    # An action button was pressed: issue_key, charge_once, issue_and_charge (the key-in form's),
    # charge_again, delete_key (the customer list's).
    actionRequested = Signal(str)
    # The card number was typed in (what was known of the card it names no longer holds).
    cardEdited = Signal()

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
        from pos_app.ui.worker import TillThread

        right = ResultColumn()
        self.result, self.customers = right.result, right.customers
        self._right.addWidget(right)
        self._tab_order()
        for button, action in (
            (self.customers.again_button, "charge_again"),
            (self.customers.delete_button, "delete_key"),
        ):
            button.clicked.connect(lambda _=False, a=action: self.actionRequested.emit(a))
        self.till = TillThread(self._api_base, self)
        self.till_actions = TillActions(self, self.till)
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
        self.card.number.textEdited.connect(self.cardEdited)
        for button, action in (
            (self.issue_button, "issue_key"),
            (self.charge_button, "charge_once"),
            (self.issue_charge_button, "issue_and_charge"),
        ):
            button.clicked.connect(lambda _=False, a=action: self.actionRequested.emit(a))
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
            self.customers.again_button,
            self.customers.delete_button,
            self.customers.reconcile_button,
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

    # -- intents (what TillActions asks of the window) --------------------------------------------
    def say(self, text: str, timeout_ms: int = 0) -> None:
        """A line in the status bar (until replaced, or for `timeout_ms`)."""
        self.statusBar().showMessage(text, timeout_ms)

    def hush(self) -> None:
        self.statusBar().clearMessage()

    def start_action(self) -> None:
        """A button was pressed: the errors shown go, and the typed card is not idle."""
        self.clear_errors()
        self.card.touch()

    def read_form(
        self, *, card: bool, customer_uid: bool, charge: bool, card_type: int | None = None
    ) -> FormRead | list[InvalidInput]:
        """The form's card, typed customer_uid and amounts, checked, as far as asked for; the
        problems instead when there are any (a card read is then wiped). `card_type` is the card
        the amounts are for (1: a check card, which takes no instalments)."""
        from pos_app.core.errors import InvalidInput

        errors: list[InvalidInput] = []
        read: KeyInCard | None = None
        uid = ""
        amounts = None
        if card:
            read, card_errors = self.card.validate()
            errors += card_errors
        if customer_uid:
            try:
                uid = self.customer.customer_uid()
            except InvalidInput as exc:
                errors.append(exc)
        if charge:
            amounts, charge_errors = self.amount.charge(card_type)
            errors += charge_errors
        if errors:
            if read is not None:
                read.wipe()
            return errors
        return FormRead(read, uid, amounts, self.customer.buyer() if card else None)

    def read_card(self) -> KeyInCard | list[InvalidInput]:
        """The typed card again (sent after a guard's question): the digits never left it."""
        card, errors = self.card.validate()
        return errors if card is None else card

    def show_invalid(self, errors: list[InvalidInput]) -> None:
        """Each problem under its field, all of them in the result panel."""
        from pos_app.ui.fields import show_field_errors

        self.result.show_invalid(show_field_errors(self.rows, errors, self.lang))
        focused = self.focusWidget()
        if focused is not None:
            self.keyin.show_field(focused)

    def focus_card(self) -> None:
        self.card.number.setFocus()

    def keyin_answered(self, outcome: str) -> None:
        """What a key-in answer leaves in the form: a done sale starts the next one empty; a
        refusal keeps the card to correct, for a while; anything else (unknown: it may have been
        charged) wipes it, so nothing invites sending the same card again."""
        if outcome in ("paid", "issued"):
            self.card.wipe()
            self.customer.clear()
            self.amount.clear()
        elif outcome in ("declined", "refused", "invalid"):
            self.card.keep_for_correction()
            self.card.number.setFocus()
        else:
            self.card.wipe()

    def keep_card_for_correction(self) -> None:
        self.card.keep_for_correction()

    def wipe_card(self) -> None:
        self.card.wipe()

    def charged_again(self) -> None:
        """재결제 was approved: one rule for every approved charge, the amount goes."""
        self.amount.clear()

    def card_type_known(self, card_type: int | None) -> None:
        """The card the amounts are for (1: a check card: no instalments)."""
        self.amount.set_card_type(card_type)

    def customer_chosen(self, uid: str) -> None:
        """A card kept for correction is not the chosen customer's: it goes."""
        if uid and self.card.is_kept():
            self.card.wipe()

    def show_opened(self, mode: str, api_base: str) -> None:
        self.mode, self.api_base = mode, api_base
        self.banner.show_mode(mode, api_base)
        if mode == "live":
            self.setWindowTitle(self.tr("수기결제 POS — 실결제"))
        else:
            self.setWindowTitle(self.tr("수기결제 POS — 연습 모드"))
        self.say(self.tr("준비됨"), 3000)

    def show_store(self, reachable: bool, where: str = "") -> None:
        """The shop's store server answers again, or not (`where`): the list is marked stale."""
        self.customers.set_stale(not reachable)
        if not reachable:
            self.banner.show_store_down(where)
        elif self.mode:
            self.banner.show_mode(self.mode, self.api_base)

    def enable_actions(self, *, ready: bool, charging: bool, busy: bool) -> None:
        """`charging`: what writes a charge or a key may be pressed; `ready`: everything else;
        `busy`: a request is in flight. 재결제 and 카드 삭제 stay enabled with nobody chosen (they
        only say so): a button that came and went with the selection would change the Tab count
        to everything after it."""
        for button in (
            self.issue_button,
            self.charge_button,
            self.issue_charge_button,
            self.customers.again_button,
            self.customers.delete_button,
        ):
            button.setEnabled(charging)
        self.customers.refresh.setEnabled(ready)
        self.customers.reconcile_button.setEnabled(ready)
        for button in (
            self.result.check_button,
            self.result.refund_button,
            self.result.print_button,
        ):
            button.setEnabled(ready)
        self.busy.setVisible(busy)
        self.day_sales_action.setEnabled(ready)

    def worker_threads(self) -> list[QThread]:
        """The threads this window started (the till's, the staff gate's, the billing run's):
        each ends when the window closes, or is left to finish one request (task_thread.py)."""
        if not self._started:
            return []
        return [
            self.till.tasks.worker_thread,
            self.staff.tasks.worker_thread,
            self.billing.controller.tasks.worker_thread,
        ]

    def closeEvent(self, event: QCloseEvent) -> None:
        self.card.wipe()
        self._closed = True
        if self._started:
            self.till.stop()
            self.staff.shutdown()
        uninstall(self._translators)
        self._translators = []
        super().closeEvent(event)
