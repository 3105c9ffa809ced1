"""The main window: key-in column left, result and customers right, the mode banner on top."""

from __future__ import annotations

import itertools
from dataclasses import replace
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, QTranslator
from PySide6.QtGui import QCloseEvent, QKeySequence, QShortcut
from PySide6.QtWidgets import QMainWindow, QProgressBar, QSplitter, QVBoxLayout, QWidget

from pos_app.core.card import InvalidInput, KeyInCard
from pos_app.ui.confirm import confirm_action, running_text
from pos_app.ui.customer_table import CustomerPanel
from pos_app.ui.fields import FieldRow, show_field_errors
from pos_app.ui.guard_dialogs import ask_guards, reconcile_note
from pos_app.ui.i18n import uninstall
from pos_app.ui.keyin_column import KeyInColumn
from pos_app.ui.menus import install_menus
from pos_app.ui.mode_banner import ModeBanner
from pos_app.ui.refund_dialog import ask_refund
from pos_app.ui.result_panel import ResultPanel
from pos_app.ui.worker import Action, TillReply, TillRequest, TillThread

# Actions that read the card fields; those that name the customer_uid typed in the form.
if TYPE_CHECKING:
    from pos_app.gateway.models import Payment

_KEYIN = frozenset({"issue_key", "charge_once", "issue_and_charge"})
_NAMES_UID = frozenset({"issue_key", "issue_and_charge"})
_CHARGES = frozenset({"charge_once", "issue_and_charge", "charge_again"})


class MainWindow(QMainWindow):
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
        self.mode = ""  # "sandbox" or "live" once the Till is open
        # True once the reconciliation that follows opening the Till has answered.
        self.settled_at_start = False
        self.api_base = ""
        self._pending: int | None = None
        # The last request sent, without its card: what a guard answer is re-sent from.
        self._sent: TillRequest | None = None
        # A guard dialog is open: no action may start until it is answered.
        self._asking = False
        self._open = False
        # What PortOne said about the key-in card being typed (1 = check card), until it changes.
        self._keyin_card_type: int | None = None
        self.setWindowTitle(self.tr("수기결제 POS"))
        self._build()
        self.till = TillThread(api_base, self)
        worker = self.till.worker
        worker.opened.connect(self._opened)
        worker.openFailed.connect(self._open_failed)
        worker.customersLoaded.connect(self.customers.set_rows)
        worker.replied.connect(self._replied)

    def start(self) -> None:
        """Start the worker thread (it opens the Till there) and put focus on the card number."""
        self.till.start()
        self.card.number.setFocus()

    # -- layout --------------------------------------------------------------------------------
    def _build(self) -> None:
        self.banner = ModeBanner()

        keyin = KeyInColumn()
        self.card, self.customer, self.amount = keyin.card, keyin.customer, keyin.amount
        self.issue_button = keyin.issue_button
        self.charge_button = keyin.charge_button
        self.issue_charge_button = keyin.issue_charge_button

        self.result = ResultPanel()
        self.customers = CustomerPanel()
        self.selected_label = self.customers.selected_label
        self.again_button = self.customers.again_button
        self.delete_button = self.customers.delete_button
        self.reconcile_button = self.customers.reconcile_button
        right_box = QWidget()
        right = QVBoxLayout(right_box)
        right.setContentsMargins(4, 12, 12, 12)
        right.setSpacing(10)
        right.addWidget(self.result, 0)
        right.addWidget(self.customers, 1)

        split = QSplitter()
        split.addWidget(keyin)
        split.addWidget(right_box)
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
        install_menus(self)
        self._wire()
        self._tab_order()
        self._update_selected("")

    def _wire(self) -> None:
        self.issue_button.clicked.connect(lambda: self._act("issue_key"))
        self.charge_button.clicked.connect(lambda: self._act("charge_once"))
        self.issue_charge_button.clicked.connect(lambda: self._act("issue_and_charge"))
        self.again_button.clicked.connect(lambda: self._act("charge_again"))
        self.delete_button.clicked.connect(lambda: self._act("delete_key"))
        self.reconcile_button.clicked.connect(self._reconcile)
        self.result.checkRequested.connect(self._check_outcome)
        self.result.refundRequested.connect(self._refund)
        self.customers.customerSelected.connect(self._update_selected)
        self.customers.refreshRequested.connect(self._refresh_customers)
        self.card.last4Changed.connect(self.customer.set_last4)
        self.card.number.textEdited.connect(self._keyin_card_changed)
        QShortcut(QKeySequence(Qt.Key.Key_Escape), self, self.clear_form)

    def _tab_order(self) -> None:
        chain: list[QWidget] = [
            *self.card.edits(),
            *self.customer.edits(),
            *self.amount.edits(),
            self.charge_button,
            self.issue_charge_button,
            self.issue_button,
            self.result.check_button,
            self.result.refund_button,
            self.customers.search,
            self.customers.refresh,
            self.reconcile_button,
            self.customers.table,
            self.again_button,
            self.delete_button,
        ]
        for first, second in itertools.pairwise(chain):
            QWidget.setTabOrder(first, second)

    # -- actions -------------------------------------------------------------------------------
    def clear_form(self) -> None:
        """Esc: card fields overwritten and cleared, every field and error emptied."""
        self.card.wipe()
        self.customer.clear()
        self.amount.clear()
        self._clear_errors()
        self.card.number.setFocus()

    def _ready(self) -> bool:
        return self._open and self._pending is None and not self._asking

    def _act(self, action: Action) -> None:
        if not self._ready():
            return
        self._clear_errors()
        errors: list[InvalidInput] = []
        card: KeyInCard | None = None
        uid = self.customers.selected_uid()
        if action in _KEYIN:
            card, card_errors = self.card.validate()
            errors += card_errors
        if action in _NAMES_UID:
            try:
                uid = self.customer.customer_uid()
            except InvalidInput as exc:
                errors.append(exc)
        charge = None
        if action in _CHARGES:
            charge, charge_errors = self.amount.charge(self._card_type_for(action))
            errors += charge_errors
        if errors:
            if card is not None:
                card.wipe()
            self._show_invalid(errors)
            return
        saved = self.customers.model.find(uid) is not None
        if not confirm_action(self, action, uid, saved=saved):
            if card is not None:
                card.wipe()
            return
        request = TillRequest(
            action,
            customer_uid=uid,
            card=card,
            charge=charge,
            buyer=self.customer.buyer() if action in _KEYIN else None,
        )
        if action == "issue_and_charge" and card is not None:
            # The guards (unsettled charge, same amount twice) are asked before the card leaves
            # the form: the digits stay typed until the charge is really sent, and nothing is
            # kept anywhere else in the meantime.
            card.wipe()
            self._send(TillRequest("precheck", uid, charge=charge), running_text("precheck"))
            self._sent = replace(request, card=None)
            return
        self._send(request, running_text(action))

    def _check_outcome(self, merchant_uid: str) -> None:
        if self._ready():
            request = TillRequest("check_outcome", merchant_uid=merchant_uid)
            self._send(request, running_text("check_outcome"))

    def _refund(self, payment: Payment) -> None:
        if not self._ready():
            return
        self._asking = True  # the dialog is open: no other action may start
        self._update_buttons()
        try:
            request = ask_refund(self, payment)
        finally:
            self._asking = False
        if request is None:
            self._update_buttons()
            return
        self._send(request, running_text("refund"))

    def _reconcile(self) -> None:
        if self._ready():
            self._send(TillRequest("reconcile"), running_text("reconcile"), show=False)

    def _refresh_customers(self) -> None:
        if not self._ready():
            return
        uid = self.customers.selected_uid()
        request = TillRequest("refresh_customer", uid) if uid else TillRequest("reload_customers")
        self._send(request, self.tr("고객 정보를 불러오는 중"), show=False)

    def _send(self, request: TillRequest, text: str, *, show: bool = True) -> None:
        # Buttons are disabled while busy; focus goes where the next step starts, never back to
        # the button (a second Enter must not charge again).
        if request.action in _KEYIN:
            self.card.number.setFocus()
        elif request.action in ("charge_again", "delete_key"):
            self.customers.table.setFocus()
        if show:
            self.result.show_running(text)
        self.statusBar().showMessage(text)
        self._sent = replace(request, card=None)
        self._pending = self.till.submit(request)
        if request.card is not None:
            self.card.wipe()  # sent: the digits leave the form whatever the outcome
        self._update_buttons()

    def _guarded(self, reply: TillReply) -> None:
        """A guard stopped the charge: ask, then send it again with the answers, or drop it."""
        held, self._sent = self._sent, None
        if held is None or held.action not in _CHARGES:
            return
        self._asking = True
        self._update_buttons()
        try:
            request = ask_guards(self, reply, held)
        finally:
            self._asking = False
        if request is None:
            if reply.blocked:  # what the cashier needs next: settle the earlier charge
                row = reply.blocked[-1]
                self.result.show_unknown(row.merchant_uid, self.tr("이 고객의 이전 결제입니다."))
            else:
                self.result.show_cancelled(self.tr("결제하지 않았습니다"))
            self._update_buttons()
            return
        if request.action in _KEYIN:
            # The card is read again from the fields it never left.
            card, errors = self.card.validate()
            if card is None:
                self._show_invalid(errors)
                self._update_buttons()
                return
            request = replace(request, card=card)
        self._send(request, running_text(request.action))

    def _card_type_for(self, action: str) -> int | None:
        if action == "charge_again":
            row = self.customers.model.find(self.customers.selected_uid())
            return None if row is None else row.card_type
        return self._keyin_card_type

    # -- answers from the worker ---------------------------------------------------------------
    def _opened(self, mode: str, api_base: str) -> None:
        self.mode, self.api_base = mode, api_base
        self._open = True
        self.banner.show_mode(mode, api_base)
        if mode == "live":
            self.setWindowTitle(self.tr("수기결제 POS — 실결제"))
        else:
            self.setWindowTitle(self.tr("수기결제 POS — 연습 모드"))
        self.statusBar().showMessage(self.tr("준비됨"), 3000)
        self._update_buttons()

    def _open_failed(self, message: str) -> None:
        self.banner.show_failure(message)

    def _replied(self, reply: TillReply) -> None:
        self._apply_customer(reply)
        if reply.kind == "reconciled":
            self._reconciled(reply)
            self.settled_at_start = True
        if reply.request_id != self._pending:
            return  # an answer nobody waits for any more (or the reconciliation at start)
        self._pending = None
        self.statusBar().clearMessage()
        if reply.kind in ("needs_confirmation", "clear"):
            self._guarded(reply)  # "clear": a precheck with nothing to ask
            return
        self._update_buttons()
        self._show(reply)
        if reply.kind == "reconciled":
            self._reconciled(reply, asked=True)
        if reply.kind in ("paid", "issued") and reply.action in _KEYIN:
            # Done with this customer: the next sale starts from an empty form.
            self.customer.clear()
            self.amount.clear()

    def _show(self, reply: TillReply) -> None:
        self.result.show_reply(reply)
        payment = reply.charge.payment if reply.charge is not None else None
        if payment is not None and payment.card_type is not None and reply.action in _KEYIN:
            self._keyin_card_type = payment.card_type
            self.amount.set_card_type(payment.card_type)
        if reply.kind == "issued" and reply.billing_key is not None:
            self._keyin_card_type = reply.billing_key.card_type
            self.customers.select(reply.billing_key.customer_uid)
        elif reply.kind in ("refreshed", "customers"):
            self.statusBar().showMessage(self.tr("고객 정보를 새로 불러왔습니다"), 3000)

    def _apply_customer(self, reply: TillReply) -> None:
        model = self.customers.model
        if reply.customers is not None:
            self.customers.set_rows(reply.customers)
        elif reply.customer is not None:
            model.upsert(reply.customer)
        elif reply.kind == "deleted" or reply.customer_gone:
            model.remove(reply.customer_uid)
        for row in reply.updated_customers:
            model.upsert(row)
        if reply.checking is not None:
            model.set_checking(reply.checking)
            self._update_selected(self.customers.selected_uid())

    def _reconciled(self, reply: TillReply, *, asked: bool = False) -> None:
        """Quiet: a status-bar note; the result panel changes only if it showed one of them."""
        if reply.request_id and not asked:
            return  # the button's answer is noted once it is the answer waited for
        note = reconcile_note(reply.outcomes, reply.message, asked=asked)
        if note:
            self.statusBar().showMessage(note, 10_000)
        self.result.show_settled(reply.outcomes)

    # -- small state helpers -------------------------------------------------------------------
    def _keyin_card_changed(self) -> None:
        self._keyin_card_type = None
        self.amount.set_card_type(None)

    def _update_selected(self, uid: str) -> None:
        row = self.customers.describe_selected(uid)
        if row is not None:
            self.amount.set_card_type(row.card_type)
        self._update_buttons()

    def _update_buttons(self) -> None:
        ready = self._ready()
        selected = bool(self.customers.selected_uid())
        for button in (self.issue_button, self.charge_button, self.issue_charge_button):
            button.setEnabled(ready)
        self.again_button.setEnabled(ready and selected)
        self.delete_button.setEnabled(ready and selected)
        self.customers.refresh.setEnabled(ready)
        self.reconcile_button.setEnabled(ready)
        self.result.check_button.setEnabled(ready)
        self.result.refund_button.setEnabled(ready)
        self.busy.setVisible(self._pending is not None)

    def _show_invalid(self, errors: list[InvalidInput]) -> None:
        self.result.show_invalid(show_field_errors(self.rows, errors, self.lang))

    def _clear_errors(self) -> None:
        for row in self.rows.values():
            row.clear_error()

    def closeEvent(self, event: QCloseEvent) -> None:
        self.card.wipe()
        self.till.stop()
        uninstall(self._translators)
        self._translators = []
        super().closeEvent(event)
