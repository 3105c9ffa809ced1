"""What the window asks the till, and what each verb answers: small frozen dataclasses, one per
request and one per kind of answer (ui/till_tasks.py runs them on the till's thread).

Kept apart from the thread plumbing (ui/worker.py) and the services so the window, its dialogs,
the result panel and the staff gate can name requests and answers without loading either.

Every answer that says "nothing was done" is a `Failed`; a charge whose answer was lost is a
`Charged` whose outcome is "unknown", never a failure (it may have been charged).
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
    from pos_app.store.customers import CustomerRow
    from pos_app.store.errors import StorageError
    from pos_app.store.journal import JournalRow
    from pos_app.ui.amount_form import Charge
    from pos_app.ui.customer_model import PreparedRows

ChargeAction = Literal["charge_once", "issue_and_charge", "charge_again"]
# A charge's answer came from: one of the charges, or a lookup of an earlier one.
ChargeVia = Literal["charge_once", "issue_and_charge", "charge_again", "check_outcome"]

# -- requests ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class IssueKey:
    """Save the typed card as `customer_uid` (발급)."""

    customer_uid: str
    card: KeyInCard
    buyer: Buyer | None = None


@dataclass(frozen=True)
class ChargeRequest:
    """One of the three charges: key-in once, key-in and save (`customer_uid`), or the saved
    card again (`customer_uid`). The person's answers to the guards ride along when it is sent
    again: a manager's reason to charge despite an unsettled charge, "yes, the same amount"."""

    action: ChargeAction
    charge: Charge
    customer_uid: str = ""
    card: KeyInCard | None = None
    buyer: Buyer | None = None
    override_reason: str = ""
    confirmed_duplicate: bool = False


@dataclass(frozen=True)
class Precheck:
    """The guard's questions for a key-in charge that saves the card, asked before the card
    leaves the form (services: `Till.guard_verdict`)."""

    customer_uid: str
    amount: int


@dataclass(frozen=True)
class DeleteKey:
    customer_uid: str


@dataclass(frozen=True)
class RefreshCustomer:
    customer_uid: str


@dataclass(frozen=True)
class ReloadCustomers:
    pass


@dataclass(frozen=True)
class CheckOutcome:
    merchant_uid: str


@dataclass(frozen=True)
class Reconcile:
    """Settle every unsettled row (the button; `at_start` when the till has just opened)."""

    at_start: bool = False


@dataclass(frozen=True)
class RefundRequest:
    """Refund `amount` KRW of a payment (None: all that is refundable), with the cashier's
    reason."""

    imp_uid: str
    amount: int | None
    reason: str


@dataclass(frozen=True)
class DaySalesRequest:
    day: date


@dataclass(frozen=True)
class ExportDay:
    """The day's sales as CSV at `path`, headed in `lang` (the window's)."""

    day: date
    path: str
    lang: str = "ko"


@dataclass(frozen=True)
class ReceiptRequest:
    payment: Payment


# -- answers -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Failed:
    """Nothing was done: PortOne or the store refused, or the input broke a rule (`invalid`).
    `storage_reason` is the store's failure (store.errors.StorageError.reason), e.g.
    "unreachable": the shop's store server is away."""

    message: str
    invalid: bool = False
    storage_reason: str = ""


@dataclass(frozen=True)
class KeyIssued:
    key: BillingKey
    customer: CustomerRow | None  # the list's row for it (None if the index lost it)


@dataclass(frozen=True)
class KeyDeleted:
    key: BillingKey


@dataclass(frozen=True)
class CustomerRefreshed:
    key: BillingKey
    customer: CustomerRow | None


@dataclass(frozen=True)
class CustomerGone:
    """PortOne no longer knows this customer_uid: the list drops it."""

    customer_uid: str
    message: str


@dataclass(frozen=True)
class CustomersReloaded:
    rows: PreparedRows


@dataclass(frozen=True)
class GuardQuestion:
    """The guard stopped a charge; nothing was written or sent. `blocked`: the customer's
    unsettled charges (a manager may override); `in_flight`: charges still in flight (nothing
    lets a charge past these); `duplicate`: the same amount within the last few minutes."""

    customer_uid: str
    blocked: tuple[JournalRow, ...] = ()
    in_flight: tuple[JournalRow, ...] = ()
    duplicate: JournalRow | None = None


@dataclass(frozen=True)
class GuardClear:
    """A precheck found nothing to ask."""

    customer_uid: str


@dataclass(frozen=True)
class Charged:
    """What a charge (or a lookup of one) came to, and whose it was. `customer`: the customer's
    row after it; `checking`: every customer with an unsettled charge now (None: not read)."""

    outcome: ChargeOutcome
    via: ChargeVia
    customer_uid: str  # whose charge it was ("" for a key-in charge that saved nothing)
    customer: CustomerRow | None = None
    checking: frozenset[str] | None = None
    storage_reason: str = ""

    @property
    def kind(self) -> str:
        return self.outcome.kind


@dataclass(frozen=True)
class Reconciled:
    """What each unsettled charge and refund came to, the customers whose rows changed, and
    `message` when PortOne could not be asked (the rows stay unsettled)."""

    outcomes: tuple[ChargeOutcome, ...] = ()
    refunds: tuple[RefundOutcome, ...] = ()
    updated_customers: tuple[CustomerRow, ...] = ()
    checking: frozenset[str] | None = None
    message: str = ""


@dataclass(frozen=True)
class Refunded:
    """The payment after the cancel, and how much this refund took."""

    payment: Payment
    amount: int
    reason: str
    checking: frozenset[str] | None = None


@dataclass(frozen=True)
class RefundUnsettled:
    """The cancel was sent and its answer lost: reconciliation settles it (never by sending it
    again)."""

    imp_uid: str
    message: str
    storage_reason: str = ""


@dataclass(frozen=True)
class DayExported:
    path: str


@dataclass(frozen=True)
class ReceiptReady:
    """The slip to print as HTML (ui/receipt.py), and whether the shop's name or business
    number (설정) was missing from it: the window asks before printing."""

    html: str
    lacks_shop: bool


@dataclass(frozen=True)
class Opened:
    """The till opened: where it talks, and the customer list, prepared off the GUI thread."""

    mode: str
    api_base: str
    customers: PreparedRows


@dataclass(frozen=True)
class OpenFailure:
    """Why the till did not open, so the window blames the right thing: "storage" (the journal
    or the customer list: `storage` says what and where), "settings" (the saved settings file),
    "portone" (PortOne or the sandbox), or "other". `message` is the Korean text of the cause;
    `detail` the same in English, for the window in English."""

    kind: Literal["storage", "settings", "portone", "other"]
    message: str
    detail: str = ""
    storage: StorageError | None = None
