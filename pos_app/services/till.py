"""The till: every verb the window and the command line use to move money.

A Till owns one PortOne client (V1 or V2, behind `gateway.port.PaymentGateway`), the journal,
the customer index and this process's sender lease. The client, the journal and the index are
its own (private): the window, the command line and the other services ask the Till's verbs —
charge, refund, reconcile, the guard's verdict, reload the customers, the day's sales, a receipt's
facts — so each rule lives here once. It is created and used on worker threads (never the GUI
thread); its store objects take their own locks, so handing it from the thread that built it to
another is fine.

A charge moves through one state machine (docs/journal.md):

    intent (pending) -> sending (sent) -> paid | declined | refused | unknown -> settled

- The intent is committed, with the same-customer guard checked in the same transaction
  (services/guard.py), before the request leaves; the row names this process as its sender.
- An answer that never came back is settled by asking PortOne (`find_payment(merchant_uid)`),
  never by sending again; a 404 counts only once the charge cannot be in flight any more
  (services/settling.py).
- A refusal is checked with `find` too: "already paid" means paid.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from pos_app.gateway.errors import (
    AlreadyPaid,
    AuthenticationFailed,
    Declined,
    NotFound,
    OutcomeUnknown,
    PortOneError,
    Refused,
    Unavailable,
)
from pos_app.services import guard, places
from pos_app.services.guard import Answers, ChargeBlocked, Period
from pos_app.services.outcome import (
    KIND_OF_STATE,
    MSG_ALREADY_PAID,
    MSG_ALREADY_PAID_UNSEEN,
    MSG_IN_FLIGHT,
    MSG_NEVER_SEEN,
    MSG_UID_REUSED,
    ChargeOutcome,
    outcome_of,
    settled_by,
)
from pos_app.services.settling import Settler, SettleTiming
from pos_app.store.customers import CustomerRow, MemberPlan
from pos_app.store.journal import AlreadyJournaled, JournalRow, Kind, State, customer_key

if TYPE_CHECKING:
    from datetime import date
    from pathlib import Path

    from pos_app.core.card import KeyInCard
    from pos_app.core.order import Buyer, Order
    from pos_app.gateway.client import PortOneClient
    from pos_app.gateway.models import BillingKey, Payment
    from pos_app.gateway.port import ApiVersion, PaymentGateway
    from pos_app.sandbox import SandboxServer
    from pos_app.services.live import ShopChange, ShopFeed, StoreHealth
    from pos_app.services.refunds import RefundOutcome, Refunds
    from pos_app.services.report import DaySales
    from pos_app.store.backend import Store
    from pos_app.store.runs import RunBook
    from pos_app.store.schedules import ScheduleBook

log = logging.getLogger(__name__)

# A billing key found right after a lost issue answer counts as this issue's when PortOne
# registered or updated it this recently (allowing for the two clocks differing).
_ISSUE_CLOCK_SLACK_S = 600


@dataclass(frozen=True)
class Receipt:
    """What a receipt shows beyond PortOne's payment: the charge's tax-free part (the journal's;
    PortOne's answer lacks it) and the shop's name and business number (the saved settings)."""

    payment: Payment
    tax_free: int
    shop_name: str
    business_number: str

    @property
    def lacks_shop(self) -> bool:
        """The shop's name or business number is missing (the window asks before printing)."""
        return not self.shop_name.strip() or not self.business_number


class Till:
    def __init__(
        self,
        client: PaymentGateway,
        *,
        mode: places.Mode,
        api_base: str,
        store: Store,
        origin: str | None = None,
        terminal: str = "T1",
        sandbox: SandboxServer | None = None,
        pg: str | None = None,
        channel_key: str | None = None,
        timing: SettleTiming | None = None,
        clock: Callable[[], float] = time.time,
    ) -> None:
        self._client = client
        self.mode: places.Mode = mode
        self.api_base = api_base
        # The journal, customer index and lease: this counter's SQLite files, or the shop's
        # store server shared with the other counters (store/backend.py).
        self._store = store
        self._journal = store.journal
        self._customers = store.customers
        # Public: a billing run's record names its owner by it (services/billing.py).
        self.lease = store.lease
        # Rows are reconciled only against the place that received them.
        self.origin = origin or mode
        self.terminal = terminal
        self._sandbox = sandbox
        # Which PG / channel key-in calls go to (a merchant with several PGs must say).
        self.pg = pg
        self.channel_key = channel_key
        # Public: the settling rules (when a row may still be in flight), which the billing run
        # and the guard read.
        self.settler = Settler(
            client,
            self._journal,
            self.lease,
            timing or SettleTiming(),
            clock=clock,
            on_payment=self._on_found_payment,
            origin=self.origin,
        )
        # The order id whose request has left for PortOne (set just before it is sent), so a
        # store failure after that is told apart from one before: only then may it be charged.
        self.sending = ""
        self._refunds: Refunds | None = None
        self._closed = False

    @property
    def version(self) -> ApiVersion:
        """PortOne's API this till speaks ("v1" or "v2")."""
        return self._client.version

    @property
    def shared(self) -> bool:
        """The records are on the shop's store server, with the other counters'."""
        return self._store.shared

    @property
    def where(self) -> str:
        """Where the records are, for people: the store server, or the journal file."""
        return self._store.where

    @property
    def journal_path(self) -> Path | None:
        """The journal's file (None on the store server)."""
        return self._journal.path

    def close(self) -> None:
        if self._closed:
            return
        self._closed = True
        try:
            self._client.close()
        finally:
            try:
                if self._sandbox is not None:
                    self._sandbox.stop()
            finally:
                self._store.close()

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
        """Save a card as `customer_uid`. A lost answer is settled by looking the key up: a key
        PortOne registered or updated just now is this issue's (raises OutcomeUnknown if PortOne
        cannot say)."""
        started = time.time()
        try:
            key = self._client.issue_billing_key(
                customer_uid, card, pg=self.pg, channel_key=self.channel_key, buyer=buyer
            )
        except OutcomeUnknown as lost:
            key = self._issued_after(customer_uid, started, lost)
        finally:
            card.wipe()
        self._remember(key)
        return key

    def _issued_after(self, customer_uid: str, started: float, lost: OutcomeUnknown) -> BillingKey:
        try:
            key = self._client.get_billing_key(customer_uid)
        except PortOneError:
            raise lost from None
        if max(key.inserted, key.updated) >= started - _ISSUE_CLOCK_SLACK_S:
            log.info("billing key %s: answer lost, found registered", customer_uid)
            return key
        raise lost

    def delete_key(self, customer_uid: str, reason: str | None = None) -> BillingKey:
        key = self._client.delete_billing_key(customer_uid, reason)
        self._customers.remove(customer_uid)
        return key

    def refresh_customer(self, customer_uid: str) -> BillingKey:
        try:
            key = self._client.get_billing_key(customer_uid)
        except NotFound:
            self._customers.remove(customer_uid)
            raise
        self._remember(key)
        return key

    # -- what the till holds ----------------------------------------------------------------------

    def customers(self) -> list[CustomerRow]:
        return self._customers.all_rows()

    def customer(self, customer_uid: str) -> CustomerRow | None:
        """The saved customer's row (None when the index does not hold it)."""
        return self._customers.get(customer_uid)

    def customers_of(self, customer_uids: Iterable[str]) -> list[CustomerRow]:
        """The rows of those customers the index holds, in the order asked."""
        return [row for row in map(self._customers.get, customer_uids) if row is not None]

    def reload_customers(self) -> list[CustomerRow]:
        """Ask PortOne for every saved card again (in batches); cards it no longer has leave the
        index. The whole list afterwards."""
        _found, missing = self.import_customers([r.customer_uid for r in self.customers()])
        for gone in missing:
            self._customers.remove(gone)
        return self.customers()

    def journal_row(self, merchant_uid: str) -> JournalRow | None:
        """The journal's row for an order id (None: this journal never began it)."""
        return self._journal.get(merchant_uid)

    def unsettled(self) -> list[JournalRow]:
        """This place's rows whose outcome is not settled yet."""
        return self._journal.open_rows(self.origin)

    def checking_customers(self) -> frozenset[str]:
        """customer_uids with a charge whose outcome is not settled yet (the list's 확인 중)."""
        return frozenset(r.customer_uid for r in self.unsettled() if r.customer_uid)

    def day_sales(self, day: date) -> DaySales:
        """The journal's rows of one local day, oldest first, and their totals."""
        from pos_app.services.report import day_sales

        return day_sales(self._journal, day)

    def export_day(self, day: date, path: Path, lang: str = "ko") -> None:
        """Write the day's rows as CSV (UTF-8 with a byte-order mark, so Excel reads the Korean
        right), headed in `lang`, each member's name from the customer index. Raises OSError."""
        from pos_app.services.report import member_names, rows_for, write_csv

        rows = rows_for(self._journal, day)
        with open(path, "w", encoding="utf-8-sig", newline="") as stream:
            write_csv(rows, stream, lang=lang, names=member_names(self._customers, rows))

    def receipt(self, payment: Payment) -> Receipt:
        """A receipt's facts for a payment: its tax-free part from the journal, the shop from
        the saved settings."""
        row = self._journal.get(payment.merchant_uid)
        settings = places.saved_settings()
        return Receipt(
            payment,
            row.tax_free if row is not None else 0,
            settings.shop_name,
            settings.business_number,
        )

    def reachable(self) -> bool:
        """Whether PortOne answers at all (a lookup of an order id nobody uses: 404 is an
        answer)."""
        try:
            self._client.find_payment("pos-app-reachable")
        except NotFound:
            return True
        except PortOneError:
            return False
        return True

    def watch_shop(
        self, on_change: Callable[[ShopChange], None], on_health: Callable[[StoreHealth], None]
    ) -> ShopFeed | None:
        """With the shop's store server, a started feed of what the other counters do
        (services/live.py); None without one. The caller stops it before closing the till."""
        if not self._store.shared:
            return None
        from pos_app.services.live import ShopFeed

        feed = ShopFeed(self._store, self.origin, on_change, on_health)
        feed.start()
        return feed

    # -- member plans and the books kept beside the journal ----------------------------------------

    def members_with_plans(self) -> list[CustomerRow]:
        return self._customers.with_plans()

    def set_plan(self, customer_uid: str, plan: MemberPlan | None) -> bool:
        """Set (None: remove) one member's plan as given; False when the member is not saved.
        The rules of a change are services/member_plans.py's (`save_plan`)."""
        return self._customers.set_plan(customer_uid, plan)

    def set_plans(self, changes: Iterable[tuple[str, MemberPlan | None]]) -> list[str]:
        """Many plans in one write; the customer_uids not saved (no such member)."""
        return self._customers.set_plans(changes)

    def run_book(self) -> RunBook:
        """The billing runs' records, kept in the journal's store."""
        from pos_app.store.runs import RunBook

        return RunBook(self._journal)

    def schedule_book(self) -> ScheduleBook:
        """PortOne schedules registered from this shop, kept in the journal's store."""
        from pos_app.store.schedules import ScheduleBook

        return ScheduleBook(self._journal)

    def scheduler(self) -> PortOneClient | None:
        """The PortOne client when it can register schedules (V1's); None under V2."""
        from pos_app.gateway.client import PortOneClient

        return self._client if isinstance(self._client, PortOneClient) else None

    def learn_charge(
        self,
        merchant_uid: str,
        *,
        customer_uid: str,
        amount: int,
        name: str,
        paid: bool,
        imp_uid: str | None,
        reason: str,
        note: str,
    ) -> None:
        """A charge PortOne made without this till sending it (a schedule it executed): written
        as a settled row with what PortOne's payment says (or, when PortOne cannot show it, what
        the schedule said: `paid`, `imp_uid`, `reason`). A row the journal already holds is
        settled by asking PortOne instead, never written twice."""
        existing = self._journal.get(merchant_uid)
        try:
            payment: Payment | None = self._client.find_payment(merchant_uid)
        except PortOneError:
            payment = None
        if existing is not None:
            if existing.is_open or existing.state == "void":
                self.settler.settle(existing)
            return
        with self._journal.exclusive():
            row = self._journal.begin(
                merchant_uid,
                "charge_again",
                origin=self.origin,
                amount=amount,
                customer_uid=customer_uid,
                order_name=name,
                terminal=self.terminal,
                note=note,
            )
            if payment is not None:
                self.settler.record(row, payment)  # also the member's last charge in the index
            else:
                self._journal.settle(
                    row.id,
                    "paid" if paid else "declined",
                    imp_uid=imp_uid,
                    reason=reason,
                    resolved=True,
                )

    def import_customers(
        self, customer_uids: list[str], batch: int = 50
    ) -> tuple[list[BillingKey], list[str]]:
        """Fetch existing billing keys from PortOne into the index; returns (found, missing).
        Batches keep the `customer_uid[]=...` query well under common URL limits."""
        found: list[BillingKey] = []
        for start in range(0, len(customer_uids), batch):
            chunk = customer_uids[start : start + batch]
            try:
                keys = self._client.get_billing_keys(chunk)
            except NotFound:
                keys = []
            self._customers.upsert_many(_row_of(k) for k in keys)
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
        answers: Answers | None = None,
    ) -> ChargeOutcome:
        """Key-in charge; with `save_as` the card is also saved as that billing key (and the
        customer guard applies). Raises ChargeBlocked when the guard stops it."""
        kind: Kind = "issue_and_charge" if save_as else "charge_once"
        try:
            return self._charge(
                kind,
                order,
                save_as,
                lambda: self._client.charge_once(
                    order,
                    card,
                    customer_uid=save_as,
                    pg=self.pg,  # onetime routes by pg only (no channel_key field)
                    buyer=buyer,
                ),
                answers or Answers(),
            )
        finally:
            card.wipe()

    def charge_again(
        self,
        customer_uid: str,
        order: Order,
        *,
        buyer: Buyer | None = None,
        answers: Answers | None = None,
        period: Period | None = None,
    ) -> ChargeOutcome:
        """Charge a saved card. Raises ChargeBlocked when the guard stops it: an unsettled
        charge, the same amount within minutes (unless `answers` say yes), or — in a billing run
        with `period` — the same amount already charged in that period by another bill."""
        return self._charge(
            "charge_again",
            order,
            customer_uid,
            lambda: self._client.charge_again(customer_uid, order, buyer=buyer),
            answers or Answers(),
            period,
        )

    def pending_for(self, customer_uid: str) -> list[JournalRow]:
        """Unsettled charges that block a new charge for this customer (unless overridden);
        one still in flight blocks even when overridden."""
        rows = self._journal.open_for_customer(customer_uid, include_overridden=True)
        return [r for r in rows if r.override_reason is None or self.settler.in_flight(r)]

    def guard_verdict(
        self,
        customer_uid: str,
        amount: int,
        answers: Answers | None = None,
        *,
        period: Period | None = None,
        settle_first: bool = True,
    ) -> ChargeBlocked | None:
        """The same-customer guard's verdict for a charge about to be asked for, without writing
        anything: the window asks its questions before the card is sent, a billing run's preview
        before the run. None: nothing to ask. `settle_first` settles what it can of the
        customer's open rows first (asking PortOne). The charge itself checks again,
        atomically, with the intent."""
        if settle_first:
            self.settle_customer(customer_uid)
        try:
            with self._journal.exclusive(customer_key(customer_uid)):
                self._guard(customer_uid, amount, answers or Answers(), period, write=False)
        except ChargeBlocked as blocked:
            return blocked
        return None

    def override_block(self, customer_uid: str, reason: str) -> list[JournalRow]:
        """A manager allows charging despite unsettled rows; the reason goes into the journal.
        Rows still in flight cannot be overridden. Returns the customer's open rows."""
        if not reason.strip():
            raise ValueError("an override needs a reason")
        with self._journal.exclusive(customer_key(customer_uid)):
            rows = self._journal.open_for_customer(customer_uid, include_overridden=True)
            fresh = [
                r.id for r in rows if r.override_reason is None and not self.settler.in_flight(r)
            ]
            self._journal.override_rows(fresh, reason.strip())
        log.warning("charge block overridden for %s (%d rows)", customer_uid, len(fresh))
        return self._journal.open_for_customer(customer_uid, include_overridden=True)

    def recent_duplicate(
        self, customer_uid: str, amount: int, within_s: float = guard.DUPLICATE_WINDOW_S
    ) -> JournalRow | None:
        """A charge of the same amount to the same customer in the last `within_s` seconds."""
        return self._journal.recent_charge(customer_uid, amount, self.settler.now() - within_s)

    def check_outcome(self, merchant_uid: str) -> ChargeOutcome:
        """Ask PortOne what became of this order and write the answer into the journal."""
        row = self._journal.get(merchant_uid)
        if row is None:
            try:
                payment = self._client.find_payment(merchant_uid)
            except NotFound:
                return ChargeOutcome("refused", merchant_uid, None, MSG_NEVER_SEEN)
            return outcome_of(settled_by(payment), None, merchant_uid)
        if row.is_open or row.state == "void":
            return outcome_of(self.settler.settle(row), self._journal.by_id(row.id), merchant_uid)
        # Settled already: show PortOne's payment as it is now (a refund may have changed it).
        try:
            payment = self._client.find_payment(merchant_uid)
        except PortOneError:
            return _recorded(row)
        settled = self.settler.record(row, payment)
        return outcome_of(settled, self._journal.by_id(row.id), merchant_uid)

    def settle_customer(self, customer_uid: str) -> None:
        """Settle this customer's unsettled charges that can be settled now (never by sending)."""
        for row in self._journal.open_for_customer(customer_uid, include_overridden=True):
            if row.kind != "refund":
                self.settler.settle(row)

    def reconcile(self) -> list[ChargeOutcome]:
        """Settle every unsettled row of this place (at start, on a button, before a billing
        run) and look again at rows settled void by a 404; what became of the charges."""
        return self.reconcile_all()[0]

    def reconcile_all(self) -> tuple[list[ChargeOutcome], list[RefundOutcome]]:
        """As reconcile(), saying also what became of the refunds among them."""
        charges, refunds = [], []
        for row in self._journal.open_rows(self.origin):
            if row.kind == "refund":
                refunds.append(self.refunds.reconcile(row))
            else:
                charges.append(self._reconcile_row(row))
        for row in self._journal.to_recheck(self.origin, self.settler.now()):
            settled = self.settler.settle(row)
            if settled[0] != "void":  # PortOne finished it after all: say so
                charges.append(outcome_of(settled, self._journal.by_id(row.id), row.merchant_uid))
        return charges, refunds

    def _reconcile_row(self, row: JournalRow) -> ChargeOutcome:
        settled = self.settler.settle(row)
        return outcome_of(settled, self._journal.by_id(row.id), row.merchant_uid)

    def next_check_at(self) -> float | None:
        """When an unsettled row of this place can next be settled by a 404 (None: none waits)."""
        times = [self.settler.deadline(r) for r in self._journal.open_rows(self.origin)]
        return min(times) if times else None

    @property
    def refunds(self) -> Refunds:
        if self._refunds is None:
            from pos_app.services.refunds import Refunds

            self._refunds = Refunds(
                self._client,
                self._journal,
                self.settler,
                self.lease,
                origin=self.origin,
                terminal=self.terminal,
            )
        return self._refunds

    def payment_of(self, merchant_uid: str) -> Payment:
        """PortOne's payment for an order id: the one this till's journal recorded, else the
        newest PortOne holds under that id. Raises NotFound."""
        row = self._journal.get(merchant_uid)
        if row is not None and row.imp_uid:
            return self._client.get_payment(row.imp_uid)
        return self._client.find_payment(merchant_uid)

    def refund(self, imp_uid: str, amount: int | None = None, reason: str = "") -> Payment:
        return self.refunds.refund(imp_uid, amount, reason)

    # -- internals -------------------------------------------------------------------------------

    def _charge(
        self,
        kind: Kind,
        order: Order,
        customer_uid: str | None,
        send: Callable[[], Payment],
        answers: Answers,
        period: Period | None = None,
    ) -> ChargeOutcome:
        self.sending = ""
        if customer_uid is not None:
            self.settle_customer(customer_uid)
        try:
            row = self._begin(kind, order, customer_uid, answers, period)
        except AlreadyJournaled as seen:
            same = self._same_order_again(seen.row, kind, order, customer_uid, answers, period)
            if isinstance(same, ChargeOutcome):
                return same
            row = same
        return self._send(row, kind, customer_uid, send)

    def _begin(
        self,
        kind: Kind,
        order: Order,
        customer_uid: str | None,
        answers: Answers,
        period: Period | None,
    ) -> JournalRow:
        """The intent, committed with the guard's check in one transaction (exclusive for this
        customer on every counter sharing the store)."""
        self.lease.renew()
        key = customer_key(customer_uid) if customer_uid is not None else None
        with self._journal.exclusive(key):
            known = self._journal.get(order.merchant_uid)
            if known is not None:  # the same order again: its own row decides, not the guard
                raise AlreadyJournaled(known)
            note = None
            if customer_uid is not None:
                note = self._guard(customer_uid, order.amount, answers, period)
            return self._journal.begin(
                order.merchant_uid,
                kind,
                origin=self.origin,
                amount=order.amount,
                customer_uid=customer_uid,
                tax_free=order.tax_free,
                order_name=order.name,
                terminal=self.terminal,
                card_quota=order.card_quota,
                sender=self.lease.owner,
                settle_after=self.settler.timing.settle_after(self.settler.now()),
                note=note,
            )

    def _same_order_again(
        self,
        row: JournalRow,
        kind: Kind,
        order: Order,
        customer_uid: str | None,
        answers: Answers,
        period: Period | None,
    ) -> ChargeOutcome | JournalRow:
        """A charge whose merchant_uid the journal already holds: PortOne decides what it came
        to; only a row PortOne never saw (void) is sent again, with the same id."""
        uid = order.merchant_uid
        if (row.kind, row.amount, row.customer_uid) != (kind, order.amount, customer_uid):
            return ChargeOutcome("refused", uid, None, MSG_UID_REUSED, customer_uid, order.amount)
        if row.is_open:
            if self.settler.in_flight(row):
                return ChargeOutcome("unknown", uid, None, MSG_IN_FLIGHT, customer_uid, row.amount)
            settled = self.settler.settle(row)
            if settled[0] != "void":
                return outcome_of(settled, self._journal.by_id(row.id), uid)
            row = self._journal.by_id(row.id) or row
        elif row.state == "void":
            settled = self.settler.settle(row)  # a late payment shows up here too
            if settled[0] != "void":
                return outcome_of(settled, self._journal.by_id(row.id), uid)
        if row.state != "void":
            return _recorded(row)
        self.lease.renew()
        with self._journal.exclusive(customer_key(customer_uid) if customer_uid else None):
            if customer_uid is not None:
                self._guard(customer_uid, order.amount, answers, period)
            restarted = self._journal.restart(
                row.id,
                sender=self.lease.owner,
                settle_after=self.settler.timing.settle_after(self.settler.now()),
            )
        if restarted.state != "pending" or restarted.sender != self.lease.owner:
            # Another process restarted it first and is sending it now.
            return ChargeOutcome("unknown", uid, None, MSG_IN_FLIGHT, customer_uid, row.amount)
        return restarted

    def _guard(
        self,
        customer_uid: str,
        amount: int,
        answers: Answers,
        period: Period | None,
        *,
        write: bool = True,
    ) -> str | None:
        """services/guard.py's check as this till runs it, inside `journal.exclusive()`: a
        billing run (`period`) asks about its period instead of the last few minutes. Raises
        ChargeBlocked; returns the note to keep with the charge."""
        return guard.check(
            self._journal,
            self.settler,
            customer_uid,
            amount,
            answers,
            duplicate_within_s=None if period is not None else guard.DUPLICATE_WINDOW_S,
            period=period,
            write_override=write,
        )

    def _send(
        self, row: JournalRow, kind: Kind, customer_uid: str | None, send: Callable[[], Payment]
    ) -> ChargeOutcome:
        uid = row.merchant_uid
        timing = self.settler.timing
        self._journal.mark_sent(row.id, settle_after=timing.settle_after(self.settler.now()))
        log.info("charge %s sent (%s)", uid, kind)
        answered_now = self.settler.now()
        self.sending = uid
        try:
            payment = send()
        except Declined as exc:
            # The card company said no (answered as a refusal): nothing charged.
            self._finish(row.id, "declined", reason=exc.message)
            return ChargeOutcome("declined", uid, None, exc.message, customer_uid, row.amount)
        except Refused as exc:
            # "Already paid" (AlreadyPaid, or a wording we do not know): whatever PortOne holds
            # under this id decides.
            self._finish(row.id, "refused", reason=exc.message)
            already = isinstance(exc, AlreadyPaid)
            found = exc.payment if isinstance(exc, AlreadyPaid) else None
            return self._after_refusal(row, exc.message, found, paid=already)
        except AuthenticationFailed as exc:
            # From getToken, before the charge itself was sent.
            self._finish(row.id, "void", reason=exc.message)
            return ChargeOutcome("refused", uid, None, exc.message, customer_uid, row.amount)
        except Unavailable as exc:
            # A complete "not done" answer, or no connection at all: not in flight any more.
            log.warning("charge %s: %s; asking PortOne", uid, type(exc).__name__)
            self._finish(row.id, "unknown", reason=exc.message, settle_after=self.settler.now())
            return self._after_lost_answer(row.id, uid)
        except (OutcomeUnknown, PortOneError) as exc:
            # Timeout, dropped connection, unreadable answer: PortOne may still be working on it.
            log.warning("charge %s: no answer (%s); asking PortOne", uid, type(exc).__name__)
            deadline = timing.settle_after(answered_now)
            self._finish(row.id, "unknown", reason=exc.message, settle_after=deadline)
            return self._after_lost_answer(row.id, uid)
        except BaseException:
            self._finish(row.id, "unknown", reason="내부 오류")
            raise
        # The sender's own answer, recorded (and the row let go) where a lookup's is too; the
        # customer index learns of it through the settler's on_payment (_on_found_payment).
        settled = self.settler.record(row, payment, answered=True)
        # The row was begun (or checked) with this customer and amount, so it speaks for both.
        return outcome_of(settled, row, uid)

    def _finish(
        self, row_id: int, state: State, *, reason: str, settle_after: float | None = None
    ) -> None:
        """Record the sender's own answer and stop holding the row."""
        self._journal.settle(row_id, state, reason=reason)
        self._journal.let_go(row_id, settle_after=settle_after)

    def _after_refusal(
        self, row: JournalRow, message: str, found: Payment | None = None, *, paid: bool = False
    ) -> ChargeOutcome:
        """`paid`: PortOne's refusal said the order is already paid."""
        uid = row.merchant_uid
        payment = found
        if payment is None:
            try:
                payment = self._client.find_payment(uid)
            except PortOneError:
                payment = None
        if payment is not None and payment.status in ("paid", "cancelled"):
            # PortOne holds a paid charge under this id: it was paid (e.g. another counter or
            # an earlier attempt got there first). Never tell the cashier to charge anew.
            refused = self._journal.by_id(row.id) or row
            settled = self.settler.record(refused, payment)
            return outcome_of(
                (settled[0], payment, MSG_ALREADY_PAID), self._journal.by_id(row.id), uid
            )
        if paid:
            # PortOne says it is paid but could not show the payment: not a refusal to act on.
            # The row stays open, so reconciliation records it and the customer stays guarded.
            self._journal.settle(row.id, "unknown", reason=message, only_from=("refused",))
            return ChargeOutcome(
                "unknown", uid, None, MSG_ALREADY_PAID_UNSEEN, row.customer_uid, row.amount
            )
        return ChargeOutcome("refused", uid, None, message, row.customer_uid, row.amount)

    def _after_lost_answer(self, row_id: int, merchant_uid: str) -> ChargeOutcome:
        """Ask PortOne once right away: a payment settles it now; a 404 counts only once the
        charge cannot be in flight any more (usually at a later reconciliation)."""
        row = self._journal.by_id(row_id)
        assert row is not None
        return outcome_of(self.settler.settle(row), self._journal.by_id(row_id), merchant_uid)

    def _on_found_payment(self, row: JournalRow, payment: Payment) -> None:
        self._after_payment(row.kind, row.customer_uid, payment)

    def _after_payment(self, kind: Kind, customer_uid: str | None, payment: Payment) -> None:
        if not customer_uid:
            return
        if kind == "issue_and_charge":
            try:
                self._remember(self._client.get_billing_key(customer_uid))
            except PortOneError:
                log.warning("could not refresh saved card %s after charge", customer_uid)
        if payment.status in ("paid", "cancelled"):
            self._customers.record_charge(customer_uid, float(payment.paid_at or time.time()))

    def _remember(self, key: BillingKey) -> None:
        self._customers.upsert_many([_row_of(key)])


def _recorded(row: JournalRow) -> ChargeOutcome:
    """What the journal already says of a settled charge row."""
    message = MSG_ALREADY_PAID if row.state == "paid" else row.reason
    return ChargeOutcome(
        KIND_OF_STATE.get(row.state, "unknown"),
        row.merchant_uid,
        None,
        message,
        row.customer_uid,
        row.amount,
    )


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
        billing_key=key.billing_key,
    )
