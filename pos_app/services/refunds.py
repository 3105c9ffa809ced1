"""Refunds, journaled like charges: the row is committed before the cancel request leaves.

Every cancel sends `checksum` (the refundable amount as we saw it), so PortOne itself rejects a
second refund built on a stale view; an unanswered cancel is settled by comparing the payment's
refundable amount with that checksum, never by sending it again.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import TYPE_CHECKING, Literal

from pos_app.gateway.errors import OutcomeUnknown, PortOneError, Refused, Unavailable
from pos_app.store.journal import JournalRow

if TYPE_CHECKING:
    from pos_app.gateway.models import Payment
    from pos_app.services.till import Till

log = logging.getLogger(__name__)


class RefundUnknown(OutcomeUnknown):
    """The cancel may or may not have gone through; reconcile() settles it."""


@dataclass(frozen=True)
class RefundOutcome:
    """What reconciliation found of a refund whose answer was lost. refunded: PortOne took the
    amount off the payment (`payment` as it is now). not_refunded: the payment is unchanged,
    nothing was refunded. unknown: PortOne could not be asked; it stays open."""

    kind: Literal["refunded", "not_refunded", "unknown"]
    merchant_uid: str
    imp_uid: str
    amount: int
    payment: Payment | None = None


def reconcile_refund(till: Till, row: JournalRow) -> RefundOutcome:
    """Settle one open refund row (see settle_refund) and say what it came to."""
    payment = settle_refund(till, row)
    settled = till.journal.by_id(row.id) or row
    if payment is not None:
        kind: Literal["refunded", "not_refunded", "unknown"] = "refunded"
    elif settled.state == "void":
        kind = "not_refunded"
    else:
        kind = "unknown"
    return RefundOutcome(kind, row.merchant_uid, row.imp_uid or "", row.amount, payment)


def refund(till: Till, imp_uid: str, amount: int | None, reason: str) -> Payment:
    """Refund all (amount None) or part of a payment. Raises Refused or RefundUnknown."""
    before = till.client.get_payment(imp_uid)
    checksum = before.refundable
    wanted = amount or checksum
    row = till.journal.begin(
        before.merchant_uid,
        "refund",
        origin=till.origin,
        amount=wanted,
        customer_uid=before.customer_uid,
        order_name=before.name,
        terminal=till.terminal,
        imp_uid=imp_uid,
        checksum=checksum,
    )
    till.journal.mark_sent(row.id)
    try:
        after = till.client.cancel_payment(
            imp_uid=imp_uid, amount=amount, checksum=checksum, reason=reason or None
        )
    except Refused as exc:
        till.journal.settle(row.id, "refused", reason=exc.message)
        raise
    except (Unavailable, OutcomeUnknown, PortOneError) as exc:
        log.warning("refund of %s: no answer (%s)", imp_uid, type(exc).__name__)
        till.journal.settle(row.id, "unknown", reason=exc.message)
        # Right away an unchanged amount is not proof (the cancel may be in flight).
        settled = settle_refund(till, till.journal.by_id(row.id) or row, void_if_unchanged=False)
        if settled is not None:
            return settled
        raise RefundUnknown(before.merchant_uid, exc.message) from None
    till.journal.settle(row.id, "refunded", reason=reason)
    return after


def settle_refund(till: Till, row: JournalRow, *, void_if_unchanged: bool = True) -> Payment | None:
    """Settle an open refund row from the payment's refundable amount; the payment if refunded."""
    if row.imp_uid is None or row.checksum is None:
        return None
    try:
        payment = till.client.get_payment(row.imp_uid)
    except PortOneError:
        return None
    if payment.refundable <= row.checksum - row.amount:
        till.journal.settle(row.id, "refunded", resolved=True)
        return payment
    if void_if_unchanged and payment.refundable == row.checksum:
        till.journal.settle(row.id, "void", reason="환불되지 않았습니다.", resolved=True)
    return None
