"""What the window's buttons do once the till is open: each becomes a request to the till's
thread (ui/worker.py), guarded by the confirmations a cashier needs, and each answer changes the
result panel, the customer list and which buttons can be pressed.

MainWindow makes one when it adds its right column (after its first paint, so none of this is
loaded before it: docs/packaging.md, startup time). The form and the window's frame are the
window's: this asks it by intent (`read_form`, `say`, `enable_actions`, ...). It drives the two
panels it is given, the result panel and the customer list. The day's sales (ui/day_sales.py)
and receipts (ui/receipts.py) are their own small flows on the same thread.

One "request pending" flag: the till thread's own (`TillThread.busy`).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import replace
from typing import TYPE_CHECKING, Literal, TypeVar

from PySide6.QtCore import QCoreApplication, QObject

from pos_app.ui import till_tasks as tasks
from pos_app.ui.confirm import confirm_action, confirm_charge_again, running_text
from pos_app.ui.day_sales import DaySalesFlow
from pos_app.ui.guard_dialogs import ask_guards, reconcile_note
from pos_app.ui.main_window import FormRead
from pos_app.ui.receipts import ReceiptFlow
from pos_app.ui.refund_dialog import ask_refund
from pos_app.ui.till_requests import (
    Charged,
    ChargeRequest,
    CheckOutcome,
    CustomerGone,
    CustomerRefreshed,
    CustomersReloaded,
    DeleteKey,
    Failed,
    GuardClear,
    GuardQuestion,
    IssueKey,
    KeyDeleted,
    KeyIssued,
    Opened,
    Precheck,
    Reconcile,
    Reconciled,
    RefreshCustomer,
    Refunded,
    RefundUnsettled,
    ReloadCustomers,
)

if TYPE_CHECKING:
    from PySide6.QtWidgets import QMessageBox

    from pos_app.gateway.models import Payment
    from pos_app.services.live import ShopChange, StoreHealth
    from pos_app.store.audit import Detail
    from pos_app.ui.amount_form import Charge
    from pos_app.ui.main_window import MainWindow
    from pos_app.ui.till_requests import OpenFailure
    from pos_app.ui.worker import TillThread

# What each button asks for: the key-in ones read the card fields; those that save a card name
# the customer_uid typed in the form.
Action = Literal["issue_key", "delete_key", "charge_once", "issue_and_charge", "charge_again"]
_ACTIONS: dict[str, Action] = {
    "issue_key": "issue_key",
    "delete_key": "delete_key",
    "charge_once": "charge_once",
    "issue_and_charge": "issue_and_charge",
    "charge_again": "charge_again",
}
_KEYIN = frozenset({"issue_key", "charge_once", "issue_and_charge"})
_NAMES_UID = frozenset({"issue_key", "issue_and_charge"})
_CHARGES = frozenset({"charge_once", "issue_and_charge", "charge_again"})

Q = TypeVar("Q")
R = TypeVar("R")

# Texts are translated in the window's context ("MainWindow"), where they have always lived in
# resources/translations/pos_app_en.ts.


class TillActions(QObject):
    def __init__(self, window: MainWindow, till: TillThread) -> None:
        super().__init__(window)
        self.window = window
        self.till = till
        self.result = window.result
        self.customers = window.customers
        # The charge sent last, without its card: what a guard's answer is sent again from.
        self._held: ChargeRequest | None = None
        # A question is open (a confirmation, a guard, the refund dialog): no action may start.
        self._asking = False
        self._open = False
        # The shop's store server answers (always True without one): charges need it.
        self._store_up = True
        # What PortOne said about the key-in card being typed (1 = check card), until it changes.
        self._keyin_card_type: int | None = None
        # The question asked when the journal cannot be opened, while it is open.
        self.storage_dialog: QMessageBox | None = None
        # Whether an action may go ahead: the window sets the staff gate's (a manager's PIN
        # for a cashier's refund, key deletion or guard override); allowed without staff.
        self.approve: Callable[[str, Mapping[str, Detail]], bool] = lambda _action, _info: True
        self.day_sales = DaySalesFlow(window, till, self._ready, self._check_outcome)
        self.receipts = ReceiptFlow(window, till, self._ready)

        till.opened.connect(self._opened)
        till.openFailed.connect(self._open_failed)
        till.customersLoaded.connect(self.customers.set_rows)
        till.answered.connect(self._update_list)
        till.busyChanged.connect(self._update_buttons)
        till.shopChanged.connect(self._shop_changed)
        till.storeHealth.connect(self._store_health)

        window.actionRequested.connect(self._act)
        self.customers.reconcile_button.clicked.connect(self._reconcile)
        self.customers.customerSelected.connect(self._customer_chosen)
        self.customers.refreshRequested.connect(self._refresh_customers)
        self.result.checkRequested.connect(self._check_outcome)
        self.result.refundRequested.connect(self._refund)
        self.result.printRequested.connect(self.receipts.print_receipt)
        window.cardEdited.connect(self._keyin_card_changed)
        window.day_sales_action.triggered.connect(self.day_sales.open)
        self._update_selected("")

    # -- requests -------------------------------------------------------------------------------
    def _ready(self) -> bool:
        return self._open and not self.till.busy and not self._asking

    def _can_charge(self) -> bool:
        return self._ready() and self._store_up

    def _act(self, name: str) -> None:
        action = _ACTIONS.get(name)
        if action is None or not self._can_charge():  # each of these writes to the store first
            return
        self.window.start_action()
        uid = self.customers.selected_uid()
        if action in ("charge_again", "delete_key") and not uid:
            # The buttons stay enabled (a steady Tab order); with nobody chosen they only say so.
            self.window.say(
                QCoreApplication.translate("MainWindow", "먼저 목록에서 고객을 선택하세요"), 5000
            )
            self.customers.table.setFocus()
            return
        form = self.window.read_form(
            card=action in _KEYIN,
            customer_uid=action in _NAMES_UID,
            charge=action in _CHARGES,
            card_type=self._card_type_for(action),
        )
        if not isinstance(form, FormRead):
            self.window.show_invalid(form)
            return
        if action in _NAMES_UID:
            uid = form.customer_uid  # the card is saved as the customer_uid typed in the form
        if not self._confirmed(action, uid, form.charge) or (
            action == "delete_key" and not self.approve("delete_key", {"customer_uid": uid})
        ):
            if form.card is not None:
                form.card.wipe()
            return
        if action == "delete_key":
            self._send(tasks.delete_key, DeleteKey(uid), self._deleted, action)
        elif action == "issue_key":
            assert form.card is not None
            request = IssueKey(uid, form.card, form.buyer)
            self._send(tasks.issue_key, request, self._issued, action)
        else:
            assert form.charge is not None
            charge = ChargeRequest(action, form.charge, uid, form.card, form.buyer)
            if action == "issue_and_charge" and form.card is not None:
                # The guards (unsettled charge, same amount twice) are asked before the card
                # leaves the form: the digits stay typed until the charge is really sent, and
                # nothing is kept anywhere else in the meantime.
                form.card.wipe()
                self._held = replace(charge, card=None)
                self._send(
                    tasks.precheck,
                    Precheck(uid, form.charge.amount),
                    self._guard_answered,
                    "precheck",
                    detail=running_text("precheck_detail"),
                )
                return
            self._send_charge(charge)

    def _confirmed(self, action: Action, uid: str, charge: Charge | None) -> bool:
        """The questions asked before sending; no other action may start while one is open."""
        saved = self.customers.model.find(uid)
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

    def _send_charge(self, request: ChargeRequest) -> None:
        self._held = replace(request, card=None)
        self._send(tasks.charge, request, self._charge_answered, request.action)

    def _send(
        self,
        task: Callable[[tasks.TillWork, Q], R],
        request: Q,
        on_done: Callable[[R], None],
        action: str,
        *,
        show: bool = True,
        detail: str = "",
    ) -> None:
        """Send a request; `action` names it for the running text and where focus goes: where
        the next step starts, never back to the button (a second Enter must not send it
        again)."""
        text = running_text(action)
        if action in _KEYIN:
            self.window.focus_card()
        elif action in ("charge_again", "delete_key"):
            self.customers.table.setFocus()
        if action in _NAMES_UID:
            # A new card for a customer typed in the form: whoever was chosen in the list before
            # is not the one 재결제 should charge next (the new one is chosen once saved).
            self.customers.clear_selection()
        if show:
            self.result.show_running(text, detail)
        self.window.say(text)
        sent = self.till.submit(task, request, on_done)
        if sent is None and isinstance(request, IssueKey | ChargeRequest) and request.card:
            self.window.wipe_card()  # refused by the thread: nothing went, nothing is kept
        # Otherwise the digits stay in their fields (and nowhere else) until the answer: a
        # refusal or a decline leaves them to be corrected, anything else wipes them
        # (MainWindow.keyin_answered).
        self._update_buttons()

    def _check_outcome(self, merchant_uid: str) -> None:
        if self._ready():
            request = CheckOutcome(merchant_uid)
            self._send(tasks.check_outcome, request, self._looked_up, "check_outcome")

    def _refund(self, payment: Payment) -> None:
        if not self._ready():
            return
        self._asking = True  # the dialog is open: no other action may start
        self._update_buttons()
        try:
            request = ask_refund(self.window, payment, self.window.lang)
            if request is not None and not self.approve(
                "refund",
                {"imp_uid": request.imp_uid, "amount": request.amount, "reason": request.reason},
            ):
                request = None
        finally:
            self._asking = False
        if request is None:
            self._update_buttons()
            return
        self._send(tasks.refund, request, self._refund_answered, "refund")

    def _reconcile(self) -> None:
        if self._ready():
            self._send(
                tasks.reconcile, Reconcile(), self._reconciled_asked, "reconcile", show=False
            )

    def _refresh_customers(self) -> None:
        if not self._ready():
            return
        uid = self.customers.selected_uid()
        self.window.say(QCoreApplication.translate("MainWindow", "고객 정보를 불러오는 중"))
        if uid:
            sent = self.till.submit(
                tasks.refresh_customer, RefreshCustomer(uid), self._customers_answered
            )
        else:
            sent = self.till.submit(
                tasks.reload_customers, ReloadCustomers(), self._customers_answered
            )
        if sent is not None:
            self._update_buttons()

    # -- answers ----------------------------------------------------------------------------------
    def _answered(self) -> None:
        self.window.hush()
        self._update_buttons()

    def _issued(self, answer: KeyIssued | Failed) -> None:
        self._answered()
        if isinstance(answer, Failed):
            self.result.show_failed(answer)
            self.window.keyin_answered("invalid" if answer.invalid else "refused")
            return
        self.result.show_issued(answer.key)
        self._keyin_card_type = answer.key.card_type
        self.customers.select(answer.key.customer_uid)
        self.window.keyin_answered("issued")

    def _deleted(self, answer: KeyDeleted | Failed) -> None:
        self._answered()
        if isinstance(answer, Failed):
            self.result.show_failed(answer)
        else:
            self.result.show_deleted(answer.key)

    def _charge_answered(self, answer: Charged | GuardQuestion | Failed) -> None:
        if isinstance(answer, GuardQuestion):
            self._guarded(answer)
            return
        self._answered()
        held, self._held = self._held, None
        if isinstance(answer, Failed):
            self.result.show_failed(answer)
            if held is not None and held.action in _KEYIN:
                self.window.keyin_answered("invalid" if answer.invalid else "refused")
            return
        self.result.show_charged(answer)
        payment = answer.outcome.payment
        if answer.via in _KEYIN and payment is not None and payment.card_type is not None:
            self._keyin_card_type = payment.card_type
            self.window.card_type_known(payment.card_type)
        if answer.kind == "paid" and answer.via == "issue_and_charge" and answer.customer_uid:
            self.customers.select(answer.customer_uid)  # saved with it: chosen, as issuing does
        if answer.via in _KEYIN:
            self.window.keyin_answered(answer.kind)
        elif answer.via == "charge_again" and answer.kind == "paid":
            self.window.charged_again()

    def _looked_up(self, answer: Charged | Failed) -> None:
        self._charge_answered(answer)

    def _guard_answered(self, answer: GuardClear | GuardQuestion | Failed) -> None:
        """The precheck's answer: the guard's questions (or none) before the card is sent. A
        failure leaves the card typed as it was (nothing was sent)."""
        if isinstance(answer, Failed):
            self._answered()
            self._held = None
            self.result.show_failed(answer)
            return
        self._guarded(answer)

    def _guarded(self, question: GuardQuestion | GuardClear) -> None:
        """A guard stopped the charge (or the precheck found nothing to ask): ask, then send it
        again with the answers, or drop it."""
        self.window.hush()
        held, self._held = self._held, None
        if held is None:
            self._update_buttons()
            return
        request: ChargeRequest | None = held
        if isinstance(question, GuardQuestion):
            self._asking = True
            self._update_buttons()
            self.result.show_question()
            try:
                request = ask_guards(self.window, question, held)
                if request is not None and (question.blocked or question.duplicate is not None):
                    guard = "override" if question.blocked else "duplicate"
                    info = {
                        "customer_uid": question.customer_uid,
                        "reason": request.override_reason,
                    }
                    if not self.approve(guard, info):
                        request = None
            finally:
                self._asking = False
        if request is None:
            assert isinstance(question, GuardQuestion)
            self._not_charged(held, question)
            self._update_buttons()
            return
        if request.action in _KEYIN:
            # The card is read again from the fields it never left.
            card = self.window.read_card()
            if isinstance(card, list):
                self.window.show_invalid(card)
                self._update_buttons()
                return
            request = replace(request, card=card)
        self._send_charge(request)

    def _not_charged(self, held: ChargeRequest, question: GuardQuestion) -> None:
        if held.action in _KEYIN:
            self.window.keep_card_for_correction()  # not sent: still typed, for a while
        if question.in_flight:  # nothing to decide: its outcome is on its way
            row = question.in_flight[-1]
            self.result.show_unknown(
                row.merchant_uid,
                QCoreApplication.translate(
                    "MainWindow",
                    "이 고객의 결제가 지금 처리 중입니다 (다른 창·계산대·명령). 결과가 "
                    "나온 뒤 다시 확인하세요.",
                ),
            )
        elif question.blocked:  # what the cashier needs next: settle the earlier charge
            self.result.show_unknown(
                question.blocked[-1].merchant_uid,
                QCoreApplication.translate("MainWindow", "이 고객의 이전 결제입니다."),
            )
        else:
            self.result.show_cancelled(
                QCoreApplication.translate("MainWindow", "결제하지 않았습니다")
            )

    def _refund_answered(self, answer: Refunded | RefundUnsettled | Failed) -> None:
        self._answered()
        self.result.show_refund_answer(answer)

    def _customers_answered(
        self, answer: CustomerRefreshed | CustomerGone | CustomersReloaded | Failed
    ) -> None:
        self._answered()
        if isinstance(answer, CustomerRefreshed | CustomersReloaded):
            self.window.say(
                QCoreApplication.translate("MainWindow", "고객 정보를 새로 불러왔습니다"), 3000
            )
        elif isinstance(answer, CustomerGone):
            self.result.show_refused(answer.message)
        else:
            self.result.show_failed(answer)

    def _reconciled_asked(self, answer: Reconciled | Failed) -> None:
        self._answered()
        if isinstance(answer, Failed):
            self.result.show_failed(answer)
            return
        self._reconciled(answer, asked=True)

    def _reconciled(self, answer: Reconciled, *, asked: bool) -> None:
        """Quiet: a status-bar note; the result panel changes only if it showed one of them."""
        note = reconcile_note(answer.outcomes, answer.message, asked=asked, refunds=answer.refunds)
        if note:
            self.window.say(note, 10_000)
        self.result.show_settled(answer.outcomes, answer.refunds)

    # -- every answer: the customer list -------------------------------------------------------
    def _update_list(self, request: object, answer: object) -> None:
        """What an answer changes in the customer list, whoever asked (and however late)."""
        reason = getattr(answer, "storage_reason", "")
        if reason == "unreachable" and self._store_up:  # the shop's store server is away
            from pos_app.services.live import StoreHealth
            from pos_app.store.errors import StorageError

            self._store_health(StoreHealth(False, StorageError("unreachable", server="")))
        model = self.customers.model
        checking: frozenset[str] | None = None
        if isinstance(answer, CustomersReloaded):
            self.customers.set_rows(answer.rows)
        elif isinstance(answer, KeyIssued | CustomerRefreshed | Charged):
            if answer.customer is not None:
                model.upsert(answer.customer)
        elif isinstance(answer, KeyDeleted):
            model.remove(answer.key.customer_uid)
        elif isinstance(answer, CustomerGone):
            model.remove(answer.customer_uid)
        if isinstance(answer, Reconciled):
            for row in answer.updated_customers:
                model.upsert(row)
        if isinstance(answer, Charged | Reconciled | Refunded):
            checking = answer.checking
        if checking is not None:
            model.set_checking(checking)
            self._update_selected(self.customers.selected_uid())
        if isinstance(answer, Reconciled):
            if isinstance(request, Reconcile) and request.at_start:
                self._reconciled(answer, asked=False)  # the button's is said when it answers
            self.window.settled_at_start = True

    # -- the till opening, and the shop's store server (services/live.py) ------------------------
    def _opened(self, opened: Opened) -> None:
        self._open = True
        self.window.show_opened(opened.mode, opened.api_base)
        self._update_buttons()

    def _open_failed(self, failure: OpenFailure) -> None:
        from pos_app.ui.storage_dialog import show_open_failure

        # PortOne is blamed only when it is PortOne; a storage failure asks what to do.
        self.storage_dialog = show_open_failure(self.window, self.till, failure)

    def _shop_changed(self, change: ShopChange) -> None:
        """Another counter's charge, refund, new customer or change: into the list at once (the
        whole list already came through customersLoaded after a reconnect)."""
        model = self.customers.model
        model.apply(change.customers, change.gone)  # row by row, or one rebuild for an import
        if change.checking is not None:
            model.set_checking(change.checking)
        self._update_selected(self.customers.selected_uid())
        if change.charges:
            self.day_sales.charges_changed()

    def _store_health(self, health: StoreHealth) -> None:
        self._store_up = health.reachable
        where = health.error.server if health.error is not None else ""
        self.window.show_store(health.reachable, where)
        self._update_buttons()

    # -- small state helpers -------------------------------------------------------------------
    def _card_type_for(self, action: Action) -> int | None:
        if action == "charge_again":
            row = self.customers.model.find(self.customers.selected_uid())
            return None if row is None else row.card_type
        return self._keyin_card_type

    def _keyin_card_changed(self) -> None:
        self._keyin_card_type = None
        self.window.card_type_known(None)

    def _customer_chosen(self, uid: str) -> None:
        self.window.customer_chosen(uid)
        self._update_selected(uid)

    def _update_selected(self, uid: str) -> None:
        row = self.customers.describe_selected(uid)
        if row is not None:
            self.window.card_type_known(row.card_type)
        self._update_buttons()

    def _update_buttons(self, *_: object) -> None:
        self.window.enable_actions(
            ready=self._ready(), charging=self._can_charge(), busy=self.till.busy
        )
