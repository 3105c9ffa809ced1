"""When and how a charge whose answer is not known is settled — by asking PortOne, never by
sending it again (portone-v1.md §6).

The rules, in one place (docs/journal.md, "Settling"):

- A row is **in flight** while the process sending it is alive and still waiting for the answer
  (its lease, store/leases.py), or until its `settle_after` time: the sender's longest wait for
  an answer plus a grace period. A card company can take many seconds, and PortOne answers
  `find` with 404 until it is done.
- `find` answering with a payment settles any row at any time (paid, declined; `ready` stays
  unknown): what PortOne holds is the truth, whoever asks.
- `find` answering 404 settles a row as **void** (never happened) only when it is not in flight.
  Even then the row stays checkable: it is looked up again at every reconciliation until
  `recheck_until`, so a charge PortOne finished late is still found and recorded.
- Nothing here sends a charge.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from pos_app.gateway.errors import NotFound, PortOneError
from pos_app.services.outcome import (
    MSG_IN_FLIGHT,
    MSG_NEVER_HAPPENED,
    MSG_UNKNOWN,
    Settled,
    settled_by,
)
from pos_app.store.journal import OPEN_STATES, Journal, JournalRow

if TYPE_CHECKING:
    from pos_app.gateway.models import Payment
    from pos_app.gateway.port import PaymentGateway
    from pos_app.store.leases import Lease

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class SettleTiming:
    """How long a sent charge may still be in flight, and how long a void row is rechecked.

    `max_wait_s` is the sender's longest wait for an answer (connect + read timeouts); `grace_s`
    is added after it, for a card company still working when the sender gave up.
    """

    max_wait_s: float = 40.0
    grace_s: float = 60.0
    recheck_s: float = 3 * 24 * 3600.0

    def settle_after(self, sent_at: float) -> float:
        return sent_at + self.max_wait_s + self.grace_s


class Settler:
    """Settles journal rows by asking PortOne, under the rules above."""

    def __init__(
        self,
        client: PaymentGateway,
        journal: Journal,
        lease: Lease,
        timing: SettleTiming,
        *,
        clock: Callable[[], float] = time.time,
        on_payment: Callable[[JournalRow, Payment], None] | None = None,
        origin: str | None = None,
    ) -> None:
        self._client = client
        self._journal = journal
        self._lease = lease
        self.timing = timing
        self._clock = clock
        # Called when a lookup records a payment a row did not know of (customer index upkeep).
        self._on_payment = on_payment
        # The PortOne this till asks (None: any). A row another PortOne received (another
        # sandbox, or live vs a sandbox in a journal that saw both) is never settled here: its
        # 404 would say nothing about it.
        self.origin = origin

    def now(self) -> float:
        return self._clock()

    def deadline(self, row: JournalRow) -> float:
        """Until when PortOne may still be working on the row's request."""
        if row.settle_after is not None:
            return row.settle_after
        # A row written by an earlier version: count from when it was sent (or begun).
        return self.timing.settle_after(row.sent_at or row.created_at)

    def sender_alive(self, row: JournalRow) -> bool:
        return self._lease.alive(row.sender)

    def in_flight(self, row: JournalRow) -> bool:
        """Someone may still be sending this row, or PortOne may still be working on it."""
        if not row.is_open:
            return False
        return self.sender_alive(row) or self.now() < self.deadline(row)

    def settle(self, row: JournalRow) -> Settled:
        """(state, payment, message) for an open or rechecked charge row; the journal follows
        what PortOne holds. An in-flight row is looked up too (a found payment settles it) but a
        404 leaves it as it is. A row another PortOne received is left as it is."""
        if self.origin is not None and row.origin != self.origin:
            return "unknown", None, MSG_UNKNOWN
        try:
            payment = self._client.find_payment(row.merchant_uid)
        except NotFound:
            return self._not_found(row)
        except PortOneError as exc:
            # PortOne could not be asked: nothing is known beyond what was. The lookup's own
            # failure text ("not processed") would describe the lookup, not the charge.
            log.warning("lookup of %s failed: %s", row.merchant_uid, type(exc).__name__)
            if row.state in ("pending", "sent") and not self.sender_alive(row):
                self._journal.settle(row.id, "unknown", only_from=("pending", "sent"))
            return "unknown", None, MSG_UNKNOWN
        return self.record(row, payment)

    def record(self, row: JournalRow, payment: Payment, *, answered: bool = False) -> Settled:
        """Write what PortOne holds for `row` into the journal: the one place a payment becomes a
        settled row. `answered`: it is the sender's own answer to its request, recorded whatever
        it says, and the sender lets go of the row. Otherwise it came from a lookup: written only
        when it says more than the row does, and only over a state a lookup may change (another
        process may have settled the row meanwhile)."""
        settled = settled_by(payment)
        state = settled[0]
        if not answered and (
            state == "unknown" or (row.state == state and row.imp_uid == payment.imp_uid)
        ):
            return settled
        self._journal.settle(
            row.id,
            state,
            imp_uid=payment.imp_uid,
            apply_num=payment.apply_num,
            card_number=payment.card_number,
            card_name=payment.card_name,
            reason=settled[2],
            resolved=not answered,
            only_from=None if answered else (*OPEN_STATES, "void", "refused"),
        )
        if answered:
            self._journal.let_go(row.id)
        elif row.state == "void":
            log.warning(
                "charge %s: settled void, PortOne now holds it (%s)", row.merchant_uid, state
            )
        if self._on_payment is not None:
            self._on_payment(row, payment)
        return settled

    def _not_found(self, row: JournalRow) -> Settled:
        if row.state == "void":
            return "void", None, MSG_NEVER_HAPPENED  # still nothing: keep rechecking until due
        if self.in_flight(row):
            return "unknown", None, MSG_IN_FLIGHT
        now = self.now()
        self._journal.settle(
            row.id,
            "void",
            reason=MSG_NEVER_HAPPENED,
            resolved=True,
            recheck_until=now + self.timing.recheck_s,
            only_from=OPEN_STATES,
        )
        return "void", None, MSG_NEVER_HAPPENED
