"""PortOne V2's payments and billing keys (the official SDK's typed objects) as the app's own
`Payment` and `BillingKey`, so the journal, the guard, reconciliation, refunds, receipts and
the billing run read them exactly as they read V1's.

- status `PAID`, `PARTIAL_CANCELLED` → "paid" (V1 keeps "paid" after a partial refund too);
  `CANCELLED` → "cancelled"; `FAILED` → "failed" (`failure.pgCode`/`pgMessage` as
  `fail_reason`, "[8325]한도초과"); `READY`, `PAY_PENDING`, `VIRTUAL_ACCOUNT_ISSUED` → "ready"
  (no result yet: the charge stays unknown).
- `id` (the paymentId, our merchant_uid) → `merchant_uid`, and `imp_uid` too: the id a payment
  is looked up by.
- `amount.total` / `amount.cancelled` → `amount` / `cancel_amount` (`refundable` is the
  difference, sent back as `currentCancellableAmount`).
- succeeded `cancellations[]` → `cancel_history` (failed or still requested ones are not
  refunds).
- RFC 3339 times → unix seconds.

Card numbers are PortOne's masked form only (`method.card.number`).
"""

from __future__ import annotations

import re
from datetime import datetime
from typing import Any

from pos_app.gateway.models import BillingKey, CancelRecord, Payment

# The SDK types each V2 status as its own class (the `status` field is not kept on the object).
_STATUS = {
    "PaidPayment": "paid",
    "PartialCancelledPayment": "paid",
    "CancelledPayment": "cancelled",
    "FailedPayment": "failed",
    "ReadyPayment": "ready",
    "PayPendingPayment": "ready",
    "VirtualAccountIssuedPayment": "ready",
}
_CARD_TYPE = {"CREDIT": 0, "DEBIT": 1}
# datetime.fromisoformat takes at most six fractional digits; PortOne may send nine.
_LONG_FRACTION = re.compile(r"(\.\d{6})\d+")


def unix(text: str | None) -> int:
    """RFC 3339 ("2026-05-01T09:30:00.123456789+09:00", "…Z") as unix seconds; 0 when absent
    or unreadable (a time is never what the app decides on)."""
    if not text:
        return 0
    try:
        return int(datetime.fromisoformat(_LONG_FRACTION.sub(r"\1", text)).timestamp())
    except ValueError:
        return 0


def pg_reason(pg_code: str | None, pg_message: str | None, fallback: str | None = None) -> str:
    """A card company's answer as V1 shows it ("[8325]한도초과"), else `fallback`."""
    if pg_message:
        return f"[{pg_code}]{pg_message}" if pg_code else pg_message
    return fallback or ""


def payment_of(sdk_payment: Any) -> Payment:
    """One V2 payment (any of the SDK's `Payment` variants). ValueError for a shape the SDK
    could not type (it hands back a plain dict then)."""
    kind = type(sdk_payment).__name__
    if kind not in _STATUS:
        raise ValueError(f"unsupported V2 payment: {kind}")
    status = _STATUS[kind]
    amount = sdk_payment.amount
    method = getattr(sdk_payment, "method", None)
    card = getattr(method, "card", None)
    installment = getattr(method, "installment", None)
    channel = getattr(sdk_payment, "channel", None)
    customer = sdk_payment.customer
    failure = getattr(sdk_payment, "failure", None)
    history = tuple(
        _cancel_record(c)
        for c in (getattr(sdk_payment, "cancellations", None) or ())
        if type(c).__name__ == "SucceededPaymentCancellation"
    )
    paid_at = getattr(sdk_payment, "paid_at", None)
    return Payment(
        imp_uid=sdk_payment.id,
        merchant_uid=sdk_payment.id,
        status=status,
        amount=amount.total,
        cancel_amount=amount.cancelled,
        apply_num=getattr(method, "approval_number", None) or "",
        card_name=(getattr(card, "name", None) or getattr(card, "publisher", None) or ""),
        card_code=(getattr(card, "issuer", None) or getattr(card, "publisher", None) or ""),
        card_number=getattr(card, "number", None) or "",
        card_type=_CARD_TYPE.get(getattr(card, "type", None) or ""),
        card_quota=getattr(installment, "month", 0) or 0,
        name=sdk_payment.order_name,
        paid_at=unix(paid_at) if status in ("paid", "cancelled") else 0,
        failed_at=unix(getattr(sdk_payment, "failed_at", None)),
        cancelled_at=unix(getattr(sdk_payment, "cancelled_at", None)),
        fail_reason=pg_reason(
            getattr(failure, "pg_code", None),
            getattr(failure, "pg_message", None),
            getattr(failure, "reason", None),
        ),
        receipt_url=getattr(sdk_payment, "receipt_url", None) or "",
        customer_uid=customer.id,
        pg_provider=(getattr(channel, "pg_provider", None) or "").lower(),
        pg_tid=getattr(sdk_payment, "pg_tx_id", None) or "",
        currency=str(sdk_payment.currency),
        started_at=unix(sdk_payment.requested_at),
        cancel_reason=history[-1].reason if history else "",
        cancel_history=history,
        buyer_name=_full_name(customer),
        buyer_tel=customer.phone_number or "",
        buyer_email=customer.email or "",
        custom_data=getattr(sdk_payment, "custom_data", None),
        sandbox=getattr(channel, "type", None) == "TEST",
        billing_key=getattr(sdk_payment, "billing_key", None) or "",
    )


def _cancel_record(cancellation: Any) -> CancelRecord:
    return CancelRecord(
        pg_tid=cancellation.pg_cancellation_id or cancellation.id,
        amount=cancellation.total_amount,
        cancelled_at=unix(cancellation.cancelled_at or cancellation.requested_at),
        reason=cancellation.reason or "",
        receipt_url=cancellation.receipt_url or "",
    )


def _full_name(customer: Any) -> str:
    # A customer's name is a plain string in `Customer`, an object in some inputs.
    name = getattr(customer, "name", None)
    if name is None or isinstance(name, str):
        return name or ""
    return getattr(name, "full", None) or ""


def billing_key_of(info: Any, customer_uid: str) -> BillingKey:
    """A V2 billing key (`IssuedBillingKeyInfo`; a deleted one too) as our saved card, known by
    our member id `customer_uid` (V2's `customer.id`, which the app sets when it issues)."""
    if isinstance(info, dict):
        raise ValueError("unsupported V2 billing key shape")
    card = None
    for method in getattr(info, "methods", None) or ():
        card = getattr(method, "card", None)
        if card is not None:
            break
    channels = getattr(info, "channels", None) or ()
    channel = channels[0] if channels else None
    customer = info.customer
    issued = unix(info.issued_at)
    return BillingKey(
        customer_uid=customer_uid,
        pg_provider=(getattr(channel, "pg_provider", None) or "").lower(),
        card_name=(getattr(card, "name", None) or getattr(card, "publisher", None) or ""),
        card_code=(getattr(card, "issuer", None) or getattr(card, "publisher", None) or ""),
        card_number=getattr(card, "number", None) or "",
        card_type=_CARD_TYPE.get(getattr(card, "type", None) or ""),
        customer_name=_full_name(customer),
        customer_tel=customer.phone_number or "",
        customer_email=customer.email or "",
        inserted=issued,
        updated=issued,
        pg_id=getattr(channel, "pg_merchant_id", None) or "",
        customer_id=customer.id or "",
        sandbox=getattr(channel, "type", None) == "TEST",
        billing_key=info.billing_key,
    )
