"""The till: every verb the window and the command line use to move money.

A Till owns one PortOne client, the journal and the customer index. It is created and used on
one worker thread (not the GUI thread); its store objects take their own locks, so handing it
from the thread that built it to another is fine.

The rule that keeps a charge from happening twice: the journal row is committed before the
request leaves, and an answer that never came back is settled by asking PortOne
(`find_payment(merchant_uid)`), never by sending again.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from typing import TYPE_CHECKING

from pos_app.gateway.errors import (
    AuthenticationFailed,
    NotFound,
    OutcomeUnknown,
    PortOneError,
    Refused,
    Unavailable,
)
from pos_app.services import places
from pos_app.services.outcome import (
    KIND_OF_STATE,
    MSG_ALREADY_PAID,
    MSG_NEVER_HAPPENED,
    MSG_UID_REUSED,
    MSG_UNKNOWN,
    ChargeOutcome,
    Settled,
    outcome_of,
    settled_by,
)
from pos_app.store.customers import CustomerIndex, CustomerRow
from pos_app.store.journal import AlreadyJournaled, Journal, JournalRow, Kind

if TYPE_CHECKING:
    from pos_app.core.card import KeyInCard
    from pos_app.core.order import Buyer, Order
    from pos_app.gateway.client import PortOneClient
    from pos_app.gateway.models import BillingKey, Payment
    from pos_app.sandbox import SandboxServer
    from pos_app.services.refunds import RefundOutcome
    from pos_app.services.settings import TillSettings

log = logging.getLogger(__name__)

# AuthenticationFailed comes from getToken, before the charge itself is sent.
_NOT_SENT = (AuthenticationFailed,)


class Till:
    def __init__(
        self,
        client: PortOneClient,
        *,
        mode: places.Mode,
        api_base: str,
        journal: Journal,
        customers: CustomerIndex,
        origin: str | None = None,
        terminal: str = "T1",
        sandbox: SandboxServer | None = None,
        pg: str | None = None,
        channel_key: str | None = None,
    ) -> None:
        self.client = client
        self.mode: places.Mode = mode
        self.api_base = api_base
        self.journal = journal
        self.index = customers
        # Rows are reconciled only against the place that received them.
        self.origin = origin or mode
        self.terminal = terminal
        self._sandbox = sandbox
        # Which PG / channel key-in calls go to (a merchant with several PGs must say).
        self.pg = pg
        self.channel_key = channel_key
        self._closed = False

    def close(self) -> None:
        if self._closed:
            return
        self._closed = True
        try:
            self.client.close()
        finally:
            if self._sandbox is not None:
                self._sandbox.stop()
            self.journal.close()
            self.index.close()

    def __enter__(self) -> Till:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def new_merchant_uid(self) -> str:
        from pos_app.core.order import new_merchant_uid

        return new_merchant_uid(self.terminal)

    # -- billing keys ----------------------------------------------------------------------------

    def issue_key(
        self, customer_uid: str, card: KeyInCard, buyer: Buyer | None = None
    ) -> BillingKey:
        try:
            key = self.client.issue_billing_key(
                customer_uid, card, pg=self.pg, channel_key=self.channel_key, buyer=buyer
            )
        finally:
            card.wipe()
        self._remember(key)
        return key

    def delete_key(self, customer_uid: str, reason: str | None = None) -> BillingKey:
        key = self.client.delete_billing_key(customer_uid, reason)
        self.index.remove(customer_uid)
        return key

    def refresh_customer(self, customer_uid: str) -> BillingKey:
        try:
            key = self.client.get_billing_key(customer_uid)
        except NotFound:
            self.index.remove(customer_uid)
            raise
        self._remember(key)
        return key

    def customers(self) -> list[CustomerRow]:
        return self.index.all_rows()

    def import_customers(
        self, customer_uids: list[str], batch: int = 50
    ) -> tuple[list[BillingKey], list[str]]:
        """Fetch existing billing keys from PortOne into the index; returns (found, missing).
        Batches keep the `customer_uid[]=...` query well under common URL limits."""
        found: list[BillingKey] = []
        for start in range(0, len(customer_uids), batch):
            chunk = customer_uids[start : start + batch]
            try:
                keys = self.client.get_billing_keys(chunk)
            except NotFound:
                keys = []
            self.index.upsert_many(_row_of(k) for k in keys)
            found.extend(keys)
        known = {k.customer_uid for k in found}
        return found, [u for u in customer_uids if u not in known]

    # -- charges ---------------------------------------------------------------------------------

    def charge_once(
        self,
        card: KeyInCard,
        order: Order,
        *,
        save_as: str | None = None,
        buyer: Buyer | None = None,
    ) -> ChargeOutcome:
        """Key-in charge; with `save_as` the card is also saved as that billing key."""
        kind: Kind = "issue_and_charge" if save_as else "charge_once"
        try:
            return self._charge(
                kind,
                order,
                save_as,
                lambda: self.client.charge_once(
                    order,
                    card,
                    customer_uid=save_as,
                    pg=self.pg,  # onetime routes by pg only (no channel_key field)
                    buyer=buyer,
                ),
            )
        finally:
            card.wipe()

    def charge_again(
        self, customer_uid: str, order: Order, *, buyer: Buyer | None = None
    ) -> ChargeOutcome:
        return self._charge(
            "charge_again",
            order,
            customer_uid,
            lambda: self.client.charge_again(customer_uid, order, buyer=buyer),
        )

    def pending_for(self, customer_uid: str) -> list[JournalRow]:
        """Unsettled charges that block a new charge for this customer (unless overridden)."""
        return self.journal.open_for_customer(customer_uid)

    def override_block(self, customer_uid: str, reason: str) -> list[JournalRow]:
        """A manager allows charging despite unsettled rows; the reason goes into the journal."""
        if not reason.strip():
            raise ValueError("an override needs a reason")
        rows = self.journal.override(customer_uid, reason.strip())
        log.warning("charge block overridden for %s (%d rows)", customer_uid, len(rows))
        return rows

    def recent_duplicate(
        self, customer_uid: str, amount: int, within_s: float = 300
    ) -> JournalRow | None:
        """A charge of the same amount to the same customer in the last `within_s` seconds."""
        return self.journal.recent_charge(customer_uid, amount, time.time() - within_s)

    def check_outcome(self, merchant_uid: str) -> ChargeOutcome:
        """Ask PortOne what became of this order and write the answer into the journal."""
        row = self.journal.get(merchant_uid)
        return outcome_of(self._settle(row, merchant_uid), row, merchant_uid)

    def reconcile(self) -> list[ChargeOutcome]:
        """Settle every pending, sent or unknown row of this place (at start, on a button);
        what became of the charges among them."""
        return self.reconcile_all()[0]

    def reconcile_all(self) -> tuple[list[ChargeOutcome], list[RefundOutcome]]:
        """As reconcile(), saying also what became of the refunds among them."""
        from pos_app.services.refunds import reconcile_refund

        charges, refunds = [], []
        for row in self.journal.open_rows(self.origin):
            if row.kind == "refund":
                refunds.append(reconcile_refund(self, row))
            else:
                charges.append(self.check_outcome(row.merchant_uid))
        return charges, refunds

    def refund(self, imp_uid: str, amount: int | None = None, reason: str = "") -> Payment:
        from pos_app.services.refunds import refund

        return refund(self, imp_uid, amount, reason)

    # -- internals -------------------------------------------------------------------------------

    def _charge(
        self, kind: Kind, order: Order, customer_uid: str | None, send: Callable[[], Payment]
    ) -> ChargeOutcome:
        uid = order.merchant_uid
        resent = False
        try:
            row = self.journal.begin(
                uid,
                kind,
                origin=self.origin,
                amount=order.amount,
                customer_uid=customer_uid,
                tax_free=order.tax_free,
                order_name=order.name,
                terminal=self.terminal,
            )
        except AlreadyJournaled as seen:
            row = seen.row
            if (row.kind, row.amount, row.customer_uid) != (kind, order.amount, customer_uid):
                return ChargeOutcome(
                    "refused", uid, None, MSG_UID_REUSED, customer_uid, order.amount
                )
            if row.is_open:
                # An earlier attempt's answer was lost: PortOne decides, not a second send.
                settled = self._settle(row, uid)
                if settled[0] != "void":
                    return outcome_of(settled, self.journal.get(uid), uid)
                row = self.journal.get(uid) or row
            if row.state != "void":
                message = MSG_ALREADY_PAID if row.state == "paid" else row.reason
                return ChargeOutcome(
                    KIND_OF_STATE.get(row.state, "unknown"),
                    uid,
                    None,
                    message,
                    customer_uid,
                    order.amount,
                )
            row = self.journal.restart(row.id)
            resent = True
        self.journal.mark_sent(row.id)
        log.info("charge %s sent (%s)", uid, kind)
        try:
            payment = send()
        except Refused as exc:
            self.journal.settle(row.id, "refused", reason=exc.message)
            if resent:
                # "Already paid" for an order PortOne had not shown us: it finished late.
                settled = self._settle(self.journal.by_id(row.id), uid, void_if_missing=False)
                if settled[0] == "paid":
                    return outcome_of(settled, row, uid)
            return ChargeOutcome("refused", uid, None, exc.message, customer_uid, order.amount)
        except _NOT_SENT as exc:
            self.journal.settle(row.id, "void", reason=exc.message)
            return ChargeOutcome("refused", uid, None, exc.message, customer_uid, order.amount)
        except (Unavailable, OutcomeUnknown, PortOneError) as exc:
            log.warning("charge %s: no answer (%s); asking PortOne", uid, type(exc).__name__)
            self.journal.settle(row.id, "unknown", reason=exc.message)
            # Right away, a 404 is not proof (the charge may still be in flight), so only a
            # found payment settles it now; reconcile() decides the rest later.
            settled = self._settle(self.journal.by_id(row.id), uid, void_if_missing=False)
            return outcome_of(settled, row, uid, exc.message)
        except BaseException:
            self.journal.settle(row.id, "unknown", reason="내부 오류")
            raise
        settled = settled_by(payment)
        self._record(row.id, payment)
        self._after_payment(kind, customer_uid, payment)
        # The row was begun (or checked) with this customer and amount, so it speaks for both.
        return outcome_of(settled, row, uid)

    def _settle(
        self, row: JournalRow | None, merchant_uid: str, *, void_if_missing: bool = True
    ) -> Settled:
        """(state, payment, message) from PortOne; the journal row follows when it differs."""
        try:
            payment = self.client.find_payment(merchant_uid)
        except NotFound:
            if not void_if_missing:
                return "unknown", None, MSG_UNKNOWN
            if row is not None and row.kind != "refund" and row.is_open:
                self.journal.settle(row.id, "void", reason=MSG_NEVER_HAPPENED, resolved=True)
            return "void", None, MSG_NEVER_HAPPENED
        except PortOneError as exc:
            if row is not None and row.state in ("pending", "sent"):
                self.journal.settle(row.id, "unknown", reason=exc.message)
            return "unknown", None, exc.message or MSG_UNKNOWN
        settled = settled_by(payment)
        state = settled[0]
        if row is not None and row.state != state and state != "unknown":
            self._record(row.id, payment, resolved=True)
            self._after_payment(row.kind, row.customer_uid, payment)
        return settled

    def _record(self, row_id: int, payment: Payment, *, resolved: bool = False) -> None:
        """Write what PortOne holds for the payment into its journal row."""
        state, _, reason = settled_by(payment)
        self.journal.settle(
            row_id,
            state,
            imp_uid=payment.imp_uid,
            apply_num=payment.apply_num,
            card_number=payment.card_number,
            card_name=payment.card_name,
            reason=reason,
            resolved=resolved,
        )

    def _after_payment(self, kind: Kind, customer_uid: str | None, payment: Payment) -> None:
        if not customer_uid:
            return
        if kind == "issue_and_charge":
            try:
                self._remember(self.client.get_billing_key(customer_uid))
            except PortOneError:
                log.warning("could not refresh saved card %s after charge", customer_uid)
        if payment.status in ("paid", "cancelled"):
            self.index.record_charge(customer_uid, float(payment.paid_at or time.time()))

    def _remember(self, key: BillingKey) -> None:
        self.index.upsert_many([_row_of(key)])


def _row_of(key: BillingKey) -> CustomerRow:
    return CustomerRow(
        key.customer_uid,
        key.customer_name or "",
        key.customer_tel or "",
        key.customer_email or "",
        key.card_number,
        key.card_name or "",
        key.card_type,
        key.inserted,
        key.updated,
    )


def open_till(api_base: str | None = None, *, settings: TillSettings | None = None) -> Till:
    """The sandbox at `api_base` / POS_APP_API_BASE; else live when `settings` (default: the
    window's saved settings) chose live and the keychain has the key pair; else a sandbox
    started here. See services/opening.py.
    """
    from pos_app.services.opening import open_till as _open

    return _open(api_base, settings=settings)
