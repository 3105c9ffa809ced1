"""What the window asks the till's worker, and what it answers: plain frozen data.

Kept apart from the worker's thread plumbing (pos_app/ui/worker.py) so the window, its dialogs
and the result panel can name requests and replies without loading the worker, which the window
only needs once its first frame is painted (docs/packaging.md, startup time).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING, Literal

if TYPE_CHECKING:
    from pos_app.core.card import KeyInCard
    from pos_app.core.order import Buyer
    from pos_app.gateway.models import BillingKey, Payment
    from pos_app.services.outcome import ChargeOutcome
    from pos_app.services.refunds import RefundOutcome
    from pos_app.services.report import Totals
    from pos_app.store.customers import CustomerRow
    from pos_app.store.journal import JournalRow
    from pos_app.ui.amount_form import Charge
    from pos_app.ui.customer_model import PreparedRows

Action = Literal[
    "issue_key",
    "charge_once",
    "issue_and_charge",
    "charge_again",
    "delete_key",
    "check_outcome",
    "refresh_customer",
    "reload_customers",
    "precheck",
    "reconcile",
    "refund",
    "day_report",
    "export_day",
    "receipt",
]
CHARGES = frozenset({"charge_once", "issue_and_charge", "charge_again"})


@dataclass(frozen=True)
class TillRequest:
    action: Action
    customer_uid: str = ""
    card: KeyInCard | None = None
    charge: Charge | None = None
    buyer: Buyer | None = None
    merchant_uid: str = ""
    # The person's answers to the guards: a manager's reason to charge a customer whose earlier
    # charge is unsettled, and "yes, the same amount again".
    override_reason: str = ""
    confirmed_duplicate: bool = False
    # refund: the payment, the amount (KRW) and the cashier's reason.
    imp_uid: str = ""
    refund_amount: int | None = None
    reason: str = ""
    # day_report / export_day: the local calendar day, the CSV file to write, and the language
    # of its headers and labels (the window's).
    day: date | None = None
    path: str = ""
    lang: str = "ko"
    # receipt: the payment as the result panel shows it.
    payment: Payment | None = None


@dataclass(frozen=True)
class TillReply:
    """kind: issued, deleted, refreshed, customers, reconciled, or a ChargeOutcome kind (paid,
    declined, refused, unknown); invalid when a rule refused it before sending;
    needs_confirmation when a guard stopped a charge before anything was written or sent
    (`blocked` / `duplicate` say why); clear when a precheck found nothing to ask; day_report
    and exported for the day's sales (`day_rows`, `totals`; `message` is the file written)."""

    request_id: int
    action: Action
    kind: str
    charge: ChargeOutcome | None = None
    billing_key: BillingKey | None = None
    # The customer's row after the action (None when it is gone or not affected).
    customer: CustomerRow | None = None
    customer_uid: str = ""
    customers: PreparedRows | None = None
    message: str = ""
    # PortOne no longer knows this customer_uid: the list should drop it.
    customer_gone: bool = False
    # Guards: the customer's unsettled charges (not overridden); an earlier charge of the same
    # amount to the same customer within five minutes.
    blocked: tuple[JournalRow, ...] = ()
    duplicate: JournalRow | None = None
    # ... and the customer's charges still in flight (no override lets a charge past these).
    in_flight: tuple[JournalRow, ...] = ()
    # customer_uids with an unsettled charge after this request (None: not looked at).
    checking: frozenset[str] | None = None
    # reconcile: what each unsettled charge came to, and the customers that changed.
    outcomes: tuple[ChargeOutcome, ...] = ()
    updated_customers: tuple[CustomerRow, ...] = ()
    # refund (kind refunded): the payment after the cancel, and how much this refund took;
    # the payment's imp_uid, also when the answer was lost (kind unknown).
    payment: Payment | None = None
    refunded: int = 0
    imp_uid: str = ""
    # reconcile: what each refund whose answer was lost came to.
    refund_outcomes: tuple[RefundOutcome, ...] = ()
    # day_report: the journal's rows of the day asked for, oldest first, and their totals.
    day_rows: tuple[JournalRow, ...] = ()
    totals: Totals | None = None
    # receipt: the slip to print, as HTML (pos_app/ui/receipt.py), and whether the shop's
    # name or business number (설정) was missing from it: the window asks before printing.
    receipt: str = ""
    receipt_lacks_shop: bool = False
    # The store failed (store.errors.StorageError.reason), e.g. "unreachable": the shop's
    # store server is away, so nothing can be charged until it is back.
    storage_reason: str = ""
