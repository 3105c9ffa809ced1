"""Refunds as first-class journal rows: committed before the cancel request leaves, one open at a
time per payment, settled — when an answer is lost — by finding the refund in PortOne's own
`cancel_history`, never by sending it again.

Every cancel sends `checksum` (the refundable amount as we saw it), so PortOne itself rejects a
refund built on a stale view. A lost refund is matched to a cancel_history entry of the same
amount, made after the refund was begun, that no other refund row has claimed; the entry's
reference is stored in the row (`cancel_ref`) so one PortOne refund is never counted twice.
A refund whose sender is gone and whose deadline has passed, with no such entry, is void.
"""

from __future__ import annotations

import logging
from collections import Counter
from dataclasses import dataclass
from typing import TYPE_CHECKING, Literal

from pos_app.core.errors import InvalidInput
from pos_app.core.money import RefundSplit, refund_split
from pos_app.gateway.errors import OutcomeUnknown, PortOneError, Refused, Unavailable
from pos_app.store.journal import OPEN_STATES, Journal, JournalRow

if TYPE_CHECKING:
    from pos_app.gateway.models import CancelRecord, Payment
    from pos_app.gateway.port import PaymentGateway
    from pos_app.services.settling import Settler
    from pos_app.store.leases import Lease

log = logging.getLogger(__name__)

MSG_NOT_REFUNDED = "환불되지 않았습니다 (PortOne에 환불 기록이 없습니다)."
MSG_REFUND_OPEN = (
    "이 결제의 이전 환불 결과가 아직 확인되지 않았습니다. 결과를 확인한 뒤 다시 시도하세요."
)
# PortOne's clock and ours may differ: a cancel_history entry up to this long before the
# refund row was begun may still be this refund's.
_CLOCK_SLACK_S = 600


class RefundUnknown(OutcomeUnknown):
    """The cancel may or may not have gone through; reconcile() settles it."""


class RefundBlocked(Refused):
    """Another refund of the same payment is not settled yet: nothing was sent."""

    def __init__(self, message: str = MSG_REFUND_OPEN) -> None:
        super().__init__(-1, message)


@dataclass(frozen=True)
class RefundOutcome:
    """What reconciliation found of a refund whose answer was lost. refunded: PortOne took the
    amount off the payment (`payment` as it is now). not_refunded: PortOne has no such refund.
    unknown: PortOne could not be asked, or the refund may still be in flight; it stays open."""

    kind: Literal["refunded", "not_refunded", "unknown"]
    merchant_uid: str
    imp_uid: str
    amount: int
    payment: Payment | None = None


def cancel_ref(entry: CancelRecord, occurrence: int) -> str:
    """A cancel_history entry's identity: its time, amount and PG transaction, and which of
    several identical entries it is."""
    return f"{entry.cancelled_at}/{entry.amount}/{entry.pg_tid}#{occurrence}"


def _refs(payment: Payment) -> list[tuple[str, CancelRecord]]:
    seen: Counter[tuple[int, int, str]] = Counter()
    refs = []
    for entry in payment.cancel_history:
        key = (entry.cancelled_at, entry.amount, entry.pg_tid)
        refs.append((cancel_ref(entry, seen[key]), entry))
        seen[key] += 1
    return refs


class Refunds:
    """The till's refunds, made with what they need: its PortOne client, journal and lease, the
    charges' settling rules, and where the rows are written from (`origin`, `terminal`). The Till
    makes one (`Till.refunds`); nothing else reaches into the till for them."""

    def __init__(
        self,
        client: PaymentGateway,
        journal: Journal,
        settler: Settler,
        lease: Lease,
        *,
        origin: str,
        terminal: str,
    ) -> None:
        self._client = client
        self._journal = journal
        self._settler = settler
        self._lease = lease
        self._origin = origin
        self._terminal = terminal

    def refund(self, imp_uid: str, amount: int | None, reason: str) -> Payment:
        """Refund all (amount None) or part of a payment. Raises Refused (RefundBlocked while
        another refund of it is unsettled) or RefundUnknown."""
        for row in self._journal.open_refunds_of(imp_uid):
            self.settle(row)
        before = self._client.get_payment(imp_uid)
        checksum = before.refundable
        wanted = amount or checksum
        sale = self._journal.get(before.merchant_uid)
        split = self._split(before, sale, wanted)
        now = self._settler.now()
        self._lease.renew()
        with self._journal.exclusive(f"refund:{imp_uid}"):
            if self._journal.open_refunds_of(imp_uid):
                raise RefundBlocked()
            row = self._journal.begin(
                before.merchant_uid,
                "refund",
                origin=self._origin,
                amount=wanted,
                customer_uid=before.customer_uid or (sale.customer_uid if sale else None),
                order_name=before.name,
                terminal=self._terminal,
                imp_uid=imp_uid,
                checksum=checksum,
                tax_free=split.tax_free if split else 0,
                sender=self._lease.owner,
                settle_after=self._settler.timing.settle_after(now),
            )
        self._journal.mark_sent(row.id, settle_after=self._settler.timing.settle_after(now))
        try:
            after = self._client.cancel_payment(
                imp_uid=imp_uid,
                amount=amount,
                checksum=checksum,
                reason=reason or None,
                tax_free=split.tax_free if split else None,
                vat_amount=split.vat_amount if split else None,
            )
        except Refused as exc:
            self._finish(row.id, "refused", exc.message)
            raise
        except Unavailable as exc:
            # Answered "not done", or never connected: not in flight any more.
            self._finish(row.id, "unknown", exc.message, settle_after=self._settler.now())
            return self._after_lost_answer(row.id, before.merchant_uid, exc)
        except (OutcomeUnknown, PortOneError) as exc:
            log.warning("refund of %s: no answer (%s)", imp_uid, type(exc).__name__)
            deadline = self._settler.timing.settle_after(self._settler.now())
            self._finish(row.id, "unknown", exc.message, settle_after=deadline)
            return self._after_lost_answer(row.id, before.merchant_uid, exc)
        except BaseException:
            self._finish(row.id, "unknown", "내부 오류")
            raise
        ref = self._match(self._journal.by_id(row.id) or row, after)
        self._journal.settle(row.id, "refunded", reason=reason, cancel_ref=ref)
        return after

    def _split(self, before: Payment, sale: JournalRow | None, amount: int) -> RefundSplit | None:
        """This refund's tax-free part and VAT, split as the sale was (KCP, KICC, NICE and Payco
        require them; portone-v1.md §7). The sale's tax-free part comes from the journal (PortOne's
        payment does not carry it); earlier refunds' from their refund rows. None when the
        amounts cannot describe the sale (PortOne then refuses the refund on its own terms)."""
        sale_tax_free = sale.tax_free if sale is not None else 0
        refunded_tax_free = sum(
            r.tax_free for r in self._journal.refunds_of(before.imp_uid) if r.state == "refunded"
        )
        try:
            return refund_split(
                sale_amount=before.amount,
                sale_tax_free=sale_tax_free,
                refunded=before.cancel_amount,
                refunded_tax_free=min(refunded_tax_free, before.cancel_amount, sale_tax_free),
                amount=amount,
            )
        except (ValueError, InvalidInput):
            return None

    def reconcile(self, row: JournalRow) -> RefundOutcome:
        """Settle one open refund row and say what it came to."""
        payment = self.settle(row)
        settled = self._journal.by_id(row.id) or row
        kind: Literal["refunded", "not_refunded", "unknown"]
        if settled.state == "refunded":
            kind = "refunded"
        elif settled.state == "void":
            kind = "not_refunded"
        else:
            kind = "unknown"
        shown = payment if kind == "refunded" else None
        return RefundOutcome(kind, row.merchant_uid, row.imp_uid or "", row.amount, shown)

    def settle(self, row: JournalRow) -> Payment | None:
        """Settle an open refund row from PortOne's cancel_history; the payment as it is now
        (None when PortOne could not be asked)."""
        if row.imp_uid is None or not row.is_open:
            return None
        if self._settler.origin is not None and row.origin != self._settler.origin:
            return None  # another PortOne received it: only that one can say (settling.py)
        try:
            payment = self._client.get_payment(row.imp_uid)
        except PortOneError:
            return None
        ref = self._match(row, payment)
        if ref is not None:
            self._journal.settle(
                row.id, "refunded", resolved=True, cancel_ref=ref, only_from=OPEN_STATES
            )
        elif not self._settler.in_flight(row):
            self._journal.settle(
                row.id,
                "void",
                reason=MSG_NOT_REFUNDED,
                resolved=True,
                only_from=OPEN_STATES,
            )
        return payment

    def _match(self, row: JournalRow, payment: Payment) -> str | None:
        """The unclaimed cancel_history entry that is this refund (same amount, made after it
        was begun; the newest such), or None."""
        claimed = {r.cancel_ref for r in self._journal.refunds_of(payment.imp_uid) if r.cancel_ref}
        since = row.created_at - _CLOCK_SLACK_S
        for ref, entry in reversed(_refs(payment)):
            if ref not in claimed and entry.amount == row.amount and entry.cancelled_at >= since:
                return ref
        return None

    def _finish(
        self,
        row_id: int,
        state: Literal["refused", "unknown"],
        reason: str,
        *,
        settle_after: float | None = None,
    ) -> None:
        self._journal.settle(row_id, state, reason=reason)
        self._journal.let_go(row_id, settle_after=settle_after)

    def _after_lost_answer(self, row_id: int, merchant_uid: str, exc: PortOneError) -> Payment:
        """Ask PortOne once right away; a refund found in cancel_history settles it now."""
        row = self._journal.by_id(row_id)
        assert row is not None
        payment = self.settle(row)
        settled = self._journal.by_id(row_id) or row
        if settled.state == "refunded" and payment is not None:
            return payment
        if settled.state == "void":
            raise Refused(-1, MSG_NOT_REFUNDED) from None
        raise RefundUnknown(merchant_uid, exc.message) from None
