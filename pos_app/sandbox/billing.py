"""What the sandbox's PortOne does: issue billing keys, charge, refund. No HTTP in here.

Each operation takes the Ledger's lock for its whole check-then-write, so parallel requests
with one merchant_uid can never both be paid.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from pos_app.sandbox import cards
from pos_app.sandbox.ledger import Ledger

PAGE_SIZE = 20
MIN_INSTALMENT_AMOUNT = 50_000
DEFAULT_PG = "kcp"
DEFAULT_PG_ID = "IMP_SANDBOX"

PAYMENT_NOT_FOUND = "존재하지 않는 결제정보입니다."
# Code 1, as PortOne answers it (iamport-rest-client-python tests/test_cancel.py).
NOTHING_TO_CANCEL = "취소할 결제건이 존재하지 않습니다."
ALREADY_CANCELLED = "이미 전액취소된 주문입니다."
# How PortOne words a card company's decline when it answers it as a refusal (portone-v1.md §7,
# variant decline=refusal): this prefix, then the card company's reason.
APPROVAL_FAILED = "결제승인에 실패하였습니다. "

BUYER_FIELDS = ("buyer_name", "buyer_email", "buyer_tel", "buyer_addr", "buyer_postcode")
CUSTOMER_FIELDS = (
    "customer_id",
    "customer_name",
    "customer_tel",
    "customer_email",
    "customer_addr",
    "customer_postcode",
)


@dataclass(frozen=True)
class Answer:
    """One PortOne answer: HTTP status plus the envelope's three fields."""

    status: int
    code: int
    message: str | None
    response: Any
    changed: bool = False  # the state changed, so it must be saved


def ok(response: Any, changed: bool = False) -> Answer:
    return Answer(200, 0, None, response, changed)


def refused(message: str, code: int = -1) -> Answer:
    return Answer(200, code, message, None)


def not_found(message: str) -> Answer:
    return Answer(404, -1, message, None)


def customer_not_found(customer_uid: str) -> str:
    return f"요청하신 customer_uid({customer_uid})로 등록된 정보를 찾을 수 없습니다."


def _split_pg(pg: str | None) -> tuple[str, str]:
    if not pg:
        return DEFAULT_PG, DEFAULT_PG_ID
    provider, _, mid = pg.partition(".")
    return provider, mid or DEFAULT_PG_ID


def _today(ledger: Ledger) -> Any:
    return datetime.fromtimestamp(ledger.now(), tz=UTC).date()


@dataclass(frozen=True)
class CardData:
    """Card fields of one request; dropped when the request ends, never stored."""

    card_number: str
    expiry: str
    birth: str
    pwd_2digit: str | None


def save_customer(
    ledger: Ledger,
    customer_uid: str,
    profile: cards.CardProfile,
    pg: str | None,
    details: dict[str, str | None],
) -> dict[str, Any]:
    """Store (or replace) a billing key. Caller holds the lock."""
    now = int(ledger.now())
    provider, pg_id = _split_pg(pg)
    previous = ledger.customers.get(customer_uid)
    customer: dict[str, Any] = {
        "customer_uid": customer_uid,
        "pg_provider": provider,
        "pg_id": pg_id,
        "card_name": profile.issuer.card_name,
        "card_code": profile.issuer.card_code,
        "card_number": profile.masked,
        "card_type": profile.issuer.card_type,
        **{name: details.get(name) for name in CUSTOMER_FIELDS},
        "inserted": previous["inserted"] if previous else now,
        "updated": now,
        "sandbox": True,
    }
    ledger.customers[customer_uid] = customer
    ledger.behaviours[customer_uid] = profile.behaviour
    return customer


def issue_key(
    ledger: Ledger,
    customer_uid: str,
    card: CardData,
    pg: str | None,
    details: dict[str, str | None],
) -> Answer:
    with ledger.lock:
        try:
            profile = _examine(ledger, card)
        except cards.CardRefused as exc:
            return refused(exc.message)
        return ok(save_customer(ledger, customer_uid, profile, pg, details), changed=True)


def _examine(ledger: Ledger, card: CardData) -> cards.CardProfile:
    """The card company's look at the card; its masked number in the PG style chosen by the
    card_mask variant. Caller holds the lock."""
    return cards.examine_card(
        card.card_number,
        card.expiry,
        card.birth,
        card.pwd_2digit,
        _today(ledger),
        mask_style=ledger.variant("card_mask"),
    )


def _declined_as_refusal(ledger: Ledger, behaviour: str, order: Order) -> Answer | None:
    """With variant decline=refusal, a decline is answered as code -1 with no payment stored
    (so `find` has nothing under the merchant_uid), instead of a stored failed payment."""
    reason = cards.decline_reason(behaviour, order.card_quota)
    if reason is None or ledger.variant("decline") != "refusal":
        return None
    return refused(APPROVAL_FAILED + reason)


@dataclass(frozen=True)
class Order:
    merchant_uid: str
    amount: int
    name: str | None
    card_quota: int
    tax_free: int
    pg: str | None
    extra: dict[str, str | None]  # buyer_* and custom_data


def _reuse_refusal(ledger: Ledger, merchant_uid: str) -> str | None:
    for imp_uid in ledger.by_merchant.get(merchant_uid, []):
        if ledger.payments[imp_uid]["status"] in ("paid", "cancelled", "ready"):
            return (
                f"이미 결제된 merchant_uid({merchant_uid})입니다. "
                "새로운 merchant_uid로 결제를 요청하세요."
            )
    return None


def _instalment_refusal(order: Order) -> str | None:
    if order.card_quota >= 2 and order.amount < MIN_INSTALMENT_AMOUNT:
        return "할부결제는 50,000원 이상부터 가능합니다."
    if order.card_quota < 0 or order.card_quota == 1 or order.card_quota > 36:
        return "할부개월수(card_quota)는 0(일시불) 또는 2~36이어야 합니다."
    return None


def record_payment(
    ledger: Ledger,
    order: Order,
    customer: dict[str, Any],
    behaviour: str,
    customer_uid: str | None,
    usage: str | None,
) -> dict[str, Any]:
    """Ask the sandbox's card company and store the paid or failed payment. Caller holds lock."""
    now = int(ledger.now())
    imp_uid = ledger.new_imp_uid()
    provider, pg_id = _split_pg(order.pg or customer.get("pg_provider"))
    decline = cards.decline_reason(behaviour, order.card_quota)
    paid = decline is None
    payment: dict[str, Any] = {
        "imp_uid": imp_uid,
        "merchant_uid": order.merchant_uid,
        "pay_method": "card",
        "channel": "api",
        "pg_provider": provider,
        "emb_pg_provider": None,
        "pg_id": pg_id,
        "pg_tid": f"sandbox_{imp_uid[4:]}",
        "escrow": False,
        "apply_num": f"{int(imp_uid[-8:]):08d}" if paid else "",
        "bank_code": None,
        "bank_name": None,
        "card_code": customer["card_code"],
        "card_name": customer["card_name"],
        "card_number": customer["card_number"],
        "card_type": customer["card_type"],
        "card_quota": order.card_quota,
        "name": order.name,
        "amount": order.amount,
        "cancel_amount": 0,
        "currency": "KRW",
        "buyer_name": order.extra.get("buyer_name"),
        "buyer_email": order.extra.get("buyer_email"),
        "buyer_tel": order.extra.get("buyer_tel"),
        "buyer_addr": order.extra.get("buyer_addr"),
        "buyer_postcode": order.extra.get("buyer_postcode"),
        "custom_data": order.extra.get("custom_data"),
        "status": "paid" if paid else "failed",
        "started_at": now,
        "paid_at": now if paid else 0,
        "failed_at": 0 if paid else now,
        "cancelled_at": 0,
        "fail_reason": decline,
        "cancel_reason": None,
        "receipt_url": f"https://sandbox.invalid/receipts/{imp_uid}" if paid else "",
        "cancel_history": [],
        "cancel_receipt_urls": [],
        "cash_receipt_issued": False,
        "customer_uid": customer_uid,
        "customer_uid_usage": usage,
        "sandbox": True,
    }
    ledger.add_payment(payment)
    return payment


def charge_once(
    ledger: Ledger,
    order: Order,
    card: CardData,
    customer_uid: str | None,
    details: dict[str, str | None],
) -> Answer:
    """POST /subscribe/payments/onetime: key-in charge; with customer_uid also save the key."""
    with ledger.lock:
        reason = _reuse_refusal(ledger, order.merchant_uid) or _instalment_refusal(order)
        if reason:
            return refused(reason)
        try:
            profile = _examine(ledger, card)
        except cards.CardRefused as exc:
            return refused(exc.message)
        declined = _declined_as_refusal(ledger, profile.behaviour, order)
        if declined is not None:
            return declined  # the whole request refused: no key saved either
        if customer_uid is not None:
            customer = save_customer(ledger, customer_uid, profile, order.pg, details)
        else:
            provider, _ = _split_pg(order.pg)
            customer = {
                "card_code": profile.issuer.card_code,
                "card_name": profile.issuer.card_name,
                "card_number": profile.masked,
                "card_type": profile.issuer.card_type,
                "pg_provider": provider,
            }
        usage = "issue" if customer_uid is not None else None
        payment = record_payment(ledger, order, customer, profile.behaviour, customer_uid, usage)
        return ok(payment, changed=True)


def charge_again(ledger: Ledger, customer_uid: str, order: Order, usage: str = "payment") -> Answer:
    """POST /subscribe/payments/again: charge a saved billing key."""
    with ledger.lock:
        customer = ledger.customers.get(customer_uid)
        if customer is None:
            # The code moved from 1 to -1 over the years (portone-v1.md §7): a variant.
            code = -1 if ledger.variant("again_unknown_customer") == "code_-1" else 1
            return refused(customer_not_found(customer_uid), code=code)
        reason = _reuse_refusal(ledger, order.merchant_uid) or _instalment_refusal(order)
        if reason:
            return refused(reason)
        behaviour = ledger.behaviours.get(customer_uid, cards.APPROVE)
        declined = _declined_as_refusal(ledger, behaviour, order)
        if declined is not None:
            return declined
        payment = record_payment(ledger, order, customer, behaviour, customer_uid, usage)
        return ok(payment, changed=True)


def customer_payments(ledger: Ledger, customer_uid: str, page: int) -> Answer:
    with ledger.lock:
        mine = [p for p in ledger.payments.values() if p["customer_uid"] == customer_uid]
    mine.reverse()  # newest first
    total = len(mine)
    start = (page - 1) * PAGE_SIZE
    chunk = mine[start : start + PAGE_SIZE] if page >= 1 else []
    return ok(
        {
            "total": total,
            "previous": page - 1 if page > 1 else 0,
            "next": page + 1 if start + PAGE_SIZE < total else 0,
            "list": chunk,
        }
    )


def cancel(
    ledger: Ledger,
    imp_uid: str | None,
    merchant_uid: str | None,
    amount: int,
    checksum: int | None,
    reason: str | None,
    tax_free: int = 0,
) -> Answer:
    """POST /payments/cancel: full (amount 0) or partial refund, guarded by checksum."""
    with ledger.lock:
        if imp_uid is not None:
            payment = ledger.payments.get(imp_uid)
        else:
            assert merchant_uid is not None
            payment = ledger.newest_payment(merchant_uid)
        if payment is None or payment["status"] not in ("paid", "cancelled"):
            return refused(NOTHING_TO_CANCEL, code=1)
        if payment["status"] == "cancelled":
            return refused(ALREADY_CANCELLED)
        refundable = payment["amount"] - payment["cancel_amount"]
        if checksum is not None and checksum != refundable:
            return refused(
                f"요청하신 checksum({checksum})이 취소가능금액({refundable})과 일치하지 않습니다. "
                "결제정보를 다시 조회한 뒤 요청하세요."
            )
        refund = refundable if amount == 0 else amount
        if refund > refundable:
            return refused(f"취소요청금액({refund})이 취소가능금액({refundable})보다 큽니다.")
        if tax_free > refund:
            return refused(f"취소 면세금액({tax_free})이 취소요청금액({refund})보다 큽니다.")
        now = int(ledger.now())
        payment["cancel_amount"] += refund
        payment["cancel_history"].append(
            {
                "pg_tid": payment["pg_tid"],
                "amount": refund,
                "cancelled_at": now,
                "reason": reason,
                "receipt_url": payment["receipt_url"],
            }
        )
        payment["cancel_receipt_urls"].append(payment["receipt_url"])
        payment["cancel_reason"] = reason
        if payment["cancel_amount"] >= payment["amount"]:
            payment["status"] = "cancelled"
            payment["cancelled_at"] = now
        return ok(payment, changed=True)
