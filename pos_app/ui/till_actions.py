"""What the window's buttons do once the till is open: each becomes a request to the till's
worker thread, guarded by the confirmations and checks a cashier needs, and each reply changes the
result panel, the customer list and which buttons can be pressed.

MainWindow makes one when it starts the till (after its first paint, so none of this is loaded
before it: docs/packaging.md, startup time). Everything shown on screen still belongs to the
window; this object only reads its fields and drives its panels.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import replace
from datetime import date
from typing import TYPE_CHECKING

from PySide6.QtCore import QCoreApplication, QObject

from pos_app.core.card import InvalidInput, KeyInCard
from pos_app.ui.confirm import (
    ask_print_without_shop,
    confirm_action,
    confirm_charge_again,
    running_text,
)
from pos_app.ui.fields import show_field_errors
from pos_app.ui.guard_dialogs import ask_guards, reconcile_note
from pos_app.ui.refund_dialog import ask_refund
from pos_app.ui.till_messages import CHARGES, Action, TillReply, TillRequest
from pos_app.ui.worker import OpenFailure, TillThread

if TYPE_CHECKING:
    from PySide6.QtWidgets import QMessageBox

    from pos_app.gateway.models import Payment
    from pos_app.services.live import ShopChange, StoreHealth
    from pos_app.store.audit import Detail
    from pos_app.store.customers import CustomerRow
    from pos_app.ui.amount_form import Charge
    from pos_app.ui.day_dialog import DaySalesDialog
    from pos_app.ui.main_window import MainWindow

# Actions that read the card fields; those that name the customer_uid typed in the form.
_KEYIN = frozenset({"issue_key", "charge_once", "issue_and_charge"})
_NAMES_UID = frozenset({"issue_key", "issue_and_charge"})

# Texts are translated in the window's context ("MainWindow"), where they have always lived in
# resources/translations/pos_app_en.ts.


class TillActions(QObject):
    def __init__(self, window: MainWindow, api_base: str | None) -> None:
        super().__init__(window)
        self.window = window
        self._pending: int | None = None
        # The last request sent, without its card: what a guard answer is re-sent from.
        self._sent: TillRequest | None = None
        # A guard dialog is open: no action may start until it is answered.
        self._asking = False
        self._open = False
        # The shop's store server answers (always True without one): charges need it.
        self._store_up = True
        # Another counter changed a charge while the day's dialog waited for an answer.
        self._day_stale = False
        # What PortOne said about the key-in card being typed (1 = check card), until it changes.
        self._keyin_card_type: int | None = None
        # The day's-sales dialog while it is open, and the day last asked of the worker for it.
        self._day_dialog: DaySalesDialog | None = None
        self._asked_day: date | None = None
        # The question asked when the journal cannot be opened, while it is open.
        self.storage_dialog: QMessageBox | None = None
        # Whether an action may go ahead: the window sets the staff gate's (a manager's PIN
        # for a cashier's refund, key deletion or guard override); allowed without staff.
        self.approve: Callable[[str, Mapping[str, Detail]], bool] = lambda _action, _info: True

        self.till = TillThread(api_base, self)
        worker = self.till.worker
        worker.opened.connect(self._opened)
        worker.openFailed.connect(self._open_failed)
        worker.customersLoaded.connect(window.customers.set_rows)
        worker.replied.connect(self._replied)
        worker.shopChanged.connect(self._shop_changed)
        worker.storeHealth.connect(self._store_health)

        window.issue_button.clicked.connect(lambda: self._act("issue_key"))
        window.charge_button.clicked.connect(lambda: self._act("charge_once"))
        window.issue_charge_button.clicked.connect(lambda: self._act("issue_and_charge"))
        window.again_button.clicked.connect(lambda: self._act("charge_again"))
        window.delete_button.clicked.connect(lambda: self._act("delete_key"))
        window.reconcile_button.clicked.connect(self._reconcile)
        window.result.checkRequested.connect(self._check_outcome)
        window.result.refundRequested.connect(self._refund)
        window.result.printRequested.connect(self._print_receipt)
        window.customers.customerSelected.connect(self._customer_chosen)
        window.customers.refreshRequested.connect(self._refresh_customers)
        window.card.number.textEdited.connect(self._keyin_card_changed)
        window.day_sales_action.triggered.connect(self._open_day_sales)
        self._update_selected("")

    # -- requests -------------------------------------------------------------------------------
    def _ready(self) -> bool:
        return self._open and self._pending is None and not self._asking

    def _can_charge(self) -> bool:
        return self._ready() and self._store_up

    def _act(self, action: Action) -> None:
        if not self._can_charge():  # every one of these writes to the store first
            return
        self.window.clear_errors()
        self.window.card.touch()
        errors: list[InvalidInput] = []
        card: KeyInCard | None = None
        uid = self.window.customers.selected_uid()
        if action in ("charge_again", "delete_key") and not uid:
            # The buttons stay enabled (a steady Tab order); with nobody chosen they only say so.
            self.window.statusBar().showMessage(
                QCoreApplication.translate("MainWindow", "먼저 목록에서 고객을 선택하세요"), 5000
            )
            self.window.customers.table.setFocus()
            return
        if action in _KEYIN:
            card, card_errors = self.window.card.validate()
            errors += card_errors
        if action in _NAMES_UID:
            try:
                uid = self.window.customer.customer_uid()
            except InvalidInput as exc:
                errors.append(exc)
        charge = None
        if action in CHARGES:
            charge, charge_errors = self.window.amount.charge(self._card_type_for(action))
            errors += charge_errors
        if errors:
            if card is not None:
                card.wipe()
            self._show_invalid(errors)
            return
        saved = self.window.customers.model.find(uid)
        if not self._confirmed(action, uid, saved, charge) or (
            action == "delete_key" and not self.approve("delete_key", {"customer_uid": uid})
        ):
            if card is not None:
                card.wipe()
            return
        request = TillRequest(
            action,
            customer_uid=uid,
            card=card,
            charge=charge,
            buyer=self.window.customer.buyer() if action in _KEYIN else None,
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

    def _confirmed(
        self, action: Action, uid: str, saved: CustomerRow | None, charge: Charge | None
    ) -> bool:
        """The questions asked before sending; no other action may start while one is open."""
        self._asking = True
        self._update_buttons()
        try:
            if action == "charge_again":
                if saved is None or charge is None:
                    return False
                return confirm_charge_again(self.window, saved, charge)
            return confirm_action(self.window, action, uid, saved=saved is not None)
        finally:
            self._asking = False
            self._update_buttons()

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
            request = ask_refund(self.window, payment, self.window.lang)
            if request is not None and not self.approve(
                "refund",
                {
                    "imp_uid": request.imp_uid,
                    "amount": request.refund_amount,
                    "reason": request.reason,
                },
            ):
                request = None
        finally:
            self._asking = False
        if request is None:
            self._update_buttons()
            return
        self._send(request, running_text("refund"))

    def _print_receipt(self, payment: Payment) -> None:
        """The worker writes the slip (it needs the journal and the settings); the window
        prints it."""
        if self._ready():
            request = TillRequest("receipt", payment=payment)
            self._send(request, running_text("receipt"), show=False)

    def _receipt_answered(self, reply: TillReply) -> None:
        status = self.window.statusBar()
        if reply.kind != "receipt":
            status.showMessage(reply.message, 10_000)
            return
        from pos_app.ui import receipt  # QtPrintSupport: only when printing

        if reply.receipt_lacks_shop and not ask_print_without_shop(self.window):
            status.showMessage(
                QCoreApplication.translate("MainWindow", "영수증을 인쇄하지 않았습니다"), 5000
            )
            return
        if receipt.print_with_dialog(reply.receipt, self.window):
            status.showMessage(
                QCoreApplication.translate("MainWindow", "영수증을 인쇄했습니다"), 5000
            )
        else:
            status.showMessage(
                QCoreApplication.translate("MainWindow", "영수증을 인쇄하지 않았습니다"), 5000
            )

    def _open_day_sales(self) -> None:
        """The day's sales in a dialog; an order id chosen there is looked up at PortOne and
        shown in the result panel, where it can be refunded or its receipt printed."""
        if not self._ready():
            return
        from pos_app.ui.day_dialog import DaySalesDialog  # loaded when first opened (F9)

        dialog = DaySalesDialog(self.window, self.window.lang)
        dialog.dayRequested.connect(self._ask_day)
        dialog.exportRequested.connect(self._export_day)
        self._day_dialog = dialog
        self._ask_day(date.today())
        try:
            dialog.exec()
        finally:
            self._day_dialog = None
        lookup = dialog.lookup_uid
        dialog.deleteLater()
        if lookup:
            self._check_outcome(lookup)

    def _ask_day(self, day: date) -> None:
        if self._day_dialog is not None and self._ready():
            self._asked_day = day
            self._day_dialog.set_busy(running_text("day_report"))
            self._send(TillRequest("day_report", day=day), running_text("day_report"), show=False)

    def _export_day(self, day: date, path: str) -> None:
        if self._day_dialog is not None and self._ready():
            self._day_dialog.set_busy(running_text("export_day"))
            request = TillRequest("export_day", day=day, path=path, lang=self.window.lang)
            self._send(request, running_text("export_day"), show=False)

    def _day_answered(self, reply: TillReply) -> None:
        dialog = self._day_dialog
        if dialog is None:
            return  # closed while the worker was reading: nothing to show it in
        if reply.kind == "day_report" and reply.totals is not None and self._asked_day:
            dialog.show_day(self._asked_day, reply.day_rows, reply.totals)
        elif reply.kind == "exported":
            dialog.show_exported(reply.message)
        else:
            dialog.show_failed(reply.message)

    def _reconcile(self) -> None:
        if self._ready():
            self._send(TillRequest("reconcile"), running_text("reconcile"), show=False)

    def _refresh_customers(self) -> None:
        if not self._ready():
            return
        uid = self.window.customers.selected_uid()
        request = TillRequest("refresh_customer", uid) if uid else TillRequest("reload_customers")
        self._send(
            request, QCoreApplication.translate("MainWindow", "고객 정보를 불러오는 중"), show=False
        )

    def _send(self, request: TillRequest, text: str, *, show: bool = True) -> None:
        # Buttons are disabled while busy; focus goes where the next step starts, never back to
        # the button (a second Enter must not charge again).
        if request.action in _KEYIN:
            self.window.card.number.setFocus()
        elif request.action in ("charge_again", "delete_key"):
            self.window.customers.table.setFocus()
        if request.action in _NAMES_UID:
            # A new card for a customer typed in the form: whoever was chosen in the list before
            # is not the one 재결제 should charge next (the new one is chosen once saved).
            self.window.customers.clear_selection()
        if show:
            message = running_text("precheck_detail") if request.action == "precheck" else ""
            self.window.result.show_running(text, message)
        self.window.statusBar().showMessage(text)
        self._sent = replace(request, card=None)
        self._pending = self.window.till.submit(request)
        if request.card is not None and self._pending is None:
            self.window.card.wipe()  # refused by the thread: nothing went, nothing is kept
        # Otherwise the digits stay in their fields (and nowhere else) until the answer: a
        # refusal or a decline leaves them to be corrected, anything else wipes them (_keyin_done).
        self._update_buttons()

    def _guarded(self, reply: TillReply) -> None:
        """A guard stopped the charge: ask, then send it again with the answers, or drop it."""
        held, self._sent = self._sent, None
        if held is None or held.action not in CHARGES:
            return
        self._asking = True
        self._update_buttons()
        self.window.result.show_question()
        try:
            request = ask_guards(self.window, reply, held)
            if request is not None and (reply.blocked or reply.duplicate is not None):
                guard = "override" if reply.blocked else "duplicate"
                info = {"customer_uid": reply.customer_uid, "reason": request.override_reason}
                if not self.approve(guard, info):
                    request = None
        finally:
            self._asking = False
        if request is None:
            if held.action in _KEYIN:
                self.window.card.keep_for_correction()  # not sent: still typed, for a while
            if reply.in_flight:  # nothing to decide: its outcome is on its way
                row = reply.in_flight[-1]
                self.window.result.show_unknown(
                    row.merchant_uid,
                    QCoreApplication.translate(
                        "MainWindow",
                        "이 고객의 결제가 지금 처리 중입니다 (다른 창·계산대·명령). 결과가 "
                        "나온 뒤 다시 확인하세요.",
                    ),
                )
            elif reply.blocked:  # what the cashier needs next: settle the earlier charge
                row = reply.blocked[-1]
                self.window.result.show_unknown(
                    row.merchant_uid,
                    QCoreApplication.translate("MainWindow", "이 고객의 이전 결제입니다."),
                )
            else:
                self.window.result.show_cancelled(
                    QCoreApplication.translate("MainWindow", "결제하지 않았습니다")
                )
            self._update_buttons()
            return
        if request.action in _KEYIN:
            # The card is read again from the fields it never left.
            card, errors = self.window.card.validate()
            if card is None:
                self._show_invalid(errors)
                self._update_buttons()
                return
            request = replace(request, card=card)
        self._send(request, running_text(request.action))

    def _card_type_for(self, action: str) -> int | None:
        if action == "charge_again":
            row = self.window.customers.model.find(self.window.customers.selected_uid())
            return None if row is None else row.card_type
        return self._keyin_card_type

    # -- answers from the worker ---------------------------------------------------------------
    def _opened(self, mode: str, api_base: str) -> None:
        self.window.mode, self.window.api_base = mode, api_base
        self._open = True
        self.window.banner.show_mode(mode, api_base)
        if mode == "live":
            self.window.setWindowTitle(
                QCoreApplication.translate("MainWindow", "수기결제 POS — 실결제")
            )
        else:
            self.window.setWindowTitle(
                QCoreApplication.translate("MainWindow", "수기결제 POS — 연습 모드")
            )
        self.window.statusBar().showMessage(
            QCoreApplication.translate("MainWindow", "준비됨"), 3000
        )
        self._update_buttons()

    def _open_failed(self, failure: OpenFailure) -> None:
        from pos_app.ui.storage_dialog import show_open_failure

        # PortOne is blamed only when it is PortOne; a storage failure asks what to do.
        self.storage_dialog = show_open_failure(self.window, self.till, failure)

    # -- the shop's store server (services/live.py) ----------------------------------------------
    def _shop_changed(self, change: ShopChange) -> None:
        """Another counter's charge, refund, new customer or change: into the list at once (the
        whole list already came through customersLoaded after a reconnect)."""
        model = self.window.customers.model
        model.apply(change.customers, change.gone)  # row by row, or one rebuild for an import
        if change.checking is not None:
            model.set_checking(change.checking)
        self._update_selected(self.window.customers.selected_uid())
        if change.charges and self._day_dialog is not None and self._asked_day is not None:
            if self._ready():
                self._ask_day(self._asked_day)
            else:
                self._day_stale = True  # asked again once the answer in flight is in

    def _store_health(self, health: StoreHealth) -> None:
        self._store_up = health.reachable
        self.window.customers.set_stale(not health.reachable)
        if health.reachable:
            if self.window.mode:
                self.window.banner.show_mode(self.window.mode, self.window.api_base)
        else:
            where = health.error.server if health.error is not None else ""
            self.window.banner.show_store_down(where)
        self._update_buttons()

    def _replied(self, reply: TillReply) -> None:
        if reply.storage_reason == "unreachable" and self._store_up:
            from pos_app.services.live import StoreHealth
            from pos_app.store.errors import StorageError

            self._store_health(StoreHealth(False, StorageError("unreachable", server="")))
        self._apply_customer(reply)
        if reply.kind == "reconciled":
            self._reconciled(reply)
            self.window.settled_at_start = True
        if reply.request_id != self._pending:
            return  # an answer nobody waits for any more (or the reconciliation at start)
        self._pending = None
        self.window.statusBar().clearMessage()
        if reply.action in ("day_report", "export_day"):
            self._update_buttons()
            self._day_answered(reply)
            if self._day_stale and self._asked_day is not None:
                self._day_stale = False
                self._ask_day(self._asked_day)
            return
        if reply.action == "receipt":
            self._update_buttons()
            self._receipt_answered(reply)
            return
        if reply.kind in ("needs_confirmation", "clear"):
            self._guarded(reply)  # "clear": a precheck with nothing to ask
            return
        self._update_buttons()
        self._show(reply)
        if reply.kind == "reconciled":
            self._reconciled(reply, asked=True)
        if reply.action in _KEYIN:
            self._keyin_done(reply)
        elif reply.action == "charge_again" and reply.kind == "paid":
            self.window.amount.clear()  # one rule for every approved charge: the amount goes

    def _keyin_done(self, reply: TillReply) -> None:
        """What a key-in answer leaves in the form."""
        window = self.window
        if reply.kind in ("paid", "issued"):
            # Done with this customer: the next sale starts from an empty form.
            window.card.wipe()
            window.customer.clear()
            window.amount.clear()
        elif reply.kind in ("declined", "refused", "invalid"):
            # PortOne asks the cashier to check the card: keep it to correct, for a while.
            window.card.keep_for_correction()
            window.card.number.setFocus()
        else:
            # Unknown: it may have been charged. Nothing invites sending the same card again.
            window.card.wipe()

    def _show(self, reply: TillReply) -> None:
        self.window.result.show_reply(reply)
        payment = reply.charge.payment if reply.charge is not None else None
        if payment is not None and payment.card_type is not None and reply.action in _KEYIN:
            self._keyin_card_type = payment.card_type
            self.window.amount.set_card_type(payment.card_type)
        if reply.kind == "issued" and reply.billing_key is not None:
            self._keyin_card_type = reply.billing_key.card_type
            self.window.customers.select(reply.billing_key.customer_uid)
        elif reply.kind == "paid" and reply.action == "issue_and_charge" and reply.customer_uid:
            self.window.customers.select(reply.customer_uid)  # saved with it: chosen, as above
        elif reply.kind in ("refreshed", "customers"):
            self.window.statusBar().showMessage(
                QCoreApplication.translate("MainWindow", "고객 정보를 새로 불러왔습니다"), 3000
            )

    def _apply_customer(self, reply: TillReply) -> None:
        model = self.window.customers.model
        if reply.customers is not None:
            self.window.customers.set_rows(reply.customers)
        elif reply.customer is not None:
            model.upsert(reply.customer)
        elif reply.kind == "deleted" or reply.customer_gone:
            model.remove(reply.customer_uid)
        for row in reply.updated_customers:
            model.upsert(row)
        if reply.checking is not None:
            model.set_checking(reply.checking)
            self._update_selected(self.window.customers.selected_uid())

    def _reconciled(self, reply: TillReply, *, asked: bool = False) -> None:
        """Quiet: a status-bar note; the result panel changes only if it showed one of them."""
        if reply.request_id and not asked:
            return  # the button's answer is noted once it is the answer waited for
        note = reconcile_note(
            reply.outcomes, reply.message, asked=asked, refunds=reply.refund_outcomes
        )
        if note:
            self.window.statusBar().showMessage(note, 10_000)
        self.window.result.show_settled(reply.outcomes, reply.refund_outcomes)

    # -- small state helpers -------------------------------------------------------------------
    def _keyin_card_changed(self) -> None:
        self._keyin_card_type = None
        self.window.amount.set_card_type(None)

    def _customer_chosen(self, uid: str) -> None:
        if uid and self.window.card.is_kept():
            self.window.card.wipe()  # a card kept for correction is not this customer's
        self._update_selected(uid)

    def _update_selected(self, uid: str) -> None:
        row = self.window.customers.describe_selected(uid)
        if row is not None:
            self.window.amount.set_card_type(row.card_type)
        self._update_buttons()

    def _update_buttons(self) -> None:
        window, ready = self.window, self._ready()
        charging = self._can_charge()
        for button in (window.issue_button, window.charge_button, window.issue_charge_button):
            button.setEnabled(charging)
        # Enabled with nobody chosen too (they then only say so): a button that comes and goes
        # with the selection changes the Tab count to everything after it.
        window.again_button.setEnabled(charging)
        window.delete_button.setEnabled(charging)
        window.customers.refresh.setEnabled(ready)
        window.reconcile_button.setEnabled(ready)
        window.result.check_button.setEnabled(ready)
        window.result.refund_button.setEnabled(ready)
        window.result.print_button.setEnabled(ready)
        window.busy.setVisible(self._pending is not None)
        window.day_sales_action.setEnabled(ready)

    def _show_invalid(self, errors: list[InvalidInput]) -> None:
        self.window.result.show_invalid(
            show_field_errors(self.window.rows, errors, self.window.lang)
        )
        focused = self.window.focusWidget()
        if focused is not None:
            self.window.keyin.show_field(focused)
