"""What the sandbox's PortOne V2 does: issue billing keys from card credentials, charge them or a
key-in card, refund, look up. No HTTP in here (v2_routes.py); the same test cards as V1
(cards.py), the same clock and lock (ledger.py).

V1 and V2 records are apart: a V2 payment is known by its paymentId and a V2 saved card by the
billing key the sandbox chose; V1's customer_uid and imp_uid do not reach V2, nor the reverse
(docs/sandbox.md, "PortOne V2"). Each operation takes the ledger's lock for its whole
check-then-write, so parallel requests with one paymentId can never both be paid.
"""

from __future__ import annotations

import re
import secrets
from datetime import UTC, datetime
from typing import Any

from pos_app.sandbox import cards
from pos_app.sandbox.ledger import Ledger
from pos_app.sandbox.v2_wire import (
    CHANNEL,
    CHANNEL_KEY,
    MERCHANT_ID,
    STORE_ID,
    Body,
    V2Answer,
    V2Refusal,
    error,
    invalid,
    ok,
    rfc3339,
)

MIN_INSTALMENT_AMOUNT = 50_000
_PG_REASON = re.compile(r"^\[([^\]]+)\]\s*(.*)$")


def pg_error(reason: str) -> V2Refusal:
    """A card company's answer ("[8325]한도초과") as V2's 502 PG_PROVIDER."""
    match = _PG_REASON.match(reason)
    code, text = (match.group(1), match.group(2)) if match else ("", reason)
    refusal = V2Refusal(502, "PG_PROVIDER", f"PG사에서 오류를 전달했습니다: {reason}")
    refusal.answer.body.update(pgCode=code, pgMessage=text)
    return refusal


def check_channel(body: Body, *, required: bool) -> None:
    key = body.text("channelKey")
    if key is None:
        if required and not body.has("channelGroupId"):
            raise invalid("channelKey 또는 channelGroupId 중 하나는 필수입니다.")
        return
    if key != CHANNEL_KEY:
        raise V2Refusal(404, "CHANNEL_NOT_FOUND", f"요청된 채널이 존재하지 않습니다: {key}")


def _today(ledger: Ledger) -> Any:
    return datetime.fromtimestamp(ledger.now(), tz=UTC).date()


def examine(ledger: Ledger, credential: Body) -> cards.CardProfile:
    """The card company's look at V2 card credentials (digits only, YY and MM apart)."""
    number = credential.need_text("number")
    year = credential.need_text("expiryYear")
    month = credential.need_text("expiryMonth")
    if not (number.isascii() and number.isdigit()):
        raise invalid("카드 번호는 숫자만 입력해야 합니다.")
    if len(year) != 2 or len(month) != 2 or not (year + month).isdigit():
        raise invalid("expiryYear, expiryMonth는 각각 두 자리 숫자입니다.")
    try:
        return cards.examine_card(
            number,
            f"20{year}-{month}",
            credential.text("birthOrBusinessRegistrationNumber") or "",
            credential.text("passwordTwoDigits"),
            _today(ledger),
        )
    except cards.CardRefused as exc:
        raise pg_error(exc.message) from None


def customer_of(body: Body) -> dict[str, Any]:
    customer = body.obj("customer")
    name = customer.obj("name").text("full", max_len=100)
    found = {
        "id": customer.text("id", max_len=100),
        "name": name,
        "email": customer.text("email", max_len=200),
        "phoneNumber": customer.text("phoneNumber", max_len=40),
    }
    return {k: v for k, v in found.items() if v is not None}


def _card_method(profile: cards.CardProfile) -> dict[str, Any]:
    credit = profile.issuer.card_type != 1
    return {
        "type": "BillingKeyPaymentMethodCard",
        "card": {
            "publisher": profile.issuer.card_code,
            "issuer": profile.issuer.card_code,
            "brand": "LOCAL",
            "type": "CREDIT" if credit else "DEBIT",
            "ownerType": "PERSONAL",
            "bin": profile.masked[:6],
            "name": profile.issuer.card_name,
            "number": profile.masked,
        },
    }


# -- billing keys -------------------------------------------------------------------------------


def issue_key(ledger: Ledger, body: Body) -> V2Answer:
    """POST /billing-keys: a new key for the card, on our one channel."""
    check_channel(body, required=True)
    credential = body.obj("method", required=True).obj("card", required=True)
    credential = credential.obj("credential", required=True)
    customer = customer_of(body)
    with ledger.lock:
        profile = examine(ledger, credential)
        key = "billing-key-" + secrets.token_hex(16)
        now = ledger.now()
        ledger.v2_keys[key] = {
            "billingKey": key,
            "status": "ISSUED",
            "customer": customer,
            "method": _card_method(profile),
            "issuedAt": rfc3339(now),
            "requestedAt": rfc3339(now),
            "behaviour": profile.behaviour,
        }
        summary = {"billingKey": key, "issuedAt": rfc3339(now), "channels": [CHANNEL]}
        return ok({"billingKeyInfo": summary}, changed=True)


def key_info(record: dict[str, Any]) -> dict[str, Any]:
    """A key record as V2's BillingKeyInfo (Issued or Deleted)."""
    info = {
        "status": record["status"],
        "billingKey": record["billingKey"],
        "merchantId": MERCHANT_ID,
        "storeId": STORE_ID,
        "methods": [record["method"]],
        "channels": [CHANNEL],
        "customer": record["customer"],
        "issuedAt": record["issuedAt"],
        "requestedAt": record["requestedAt"],
    }
    if record["status"] == "DELETED":
        info["deletedAt"] = record["deletedAt"]
    return info


def _key(ledger: Ledger, key: str) -> dict[str, Any]:
    record = ledger.v2_keys.get(key)
    if record is None:
        raise V2Refusal(404, "BILLING_KEY_NOT_FOUND", f"빌링키가 존재하지 않습니다: {key}")
    return record


def _already_deleted(key: str) -> V2Refusal:
    return V2Refusal(409, "BILLING_KEY_ALREADY_DELETED", f"빌링키가 이미 삭제되었습니다: {key}")


def get_key(ledger: Ledger, key: str) -> V2Answer:
    with ledger.lock:
        return ok(key_info(_key(ledger, key)))


def delete_key(ledger: Ledger, key: str) -> V2Answer:
    with ledger.lock:
        record = _key(ledger, key)
        if record["status"] == "DELETED":
            raise _already_deleted(key)
        record["status"] = "DELETED"
        record["deletedAt"] = rfc3339(ledger.now())
        return ok({"deletedAt": record["deletedAt"]}, changed=True)


def search_keys(ledger: Ledger, request: Body) -> V2Answer:
    """GET /billing-keys: by customer id and status, newest issued first, one page."""
    page = request.obj("page")
    number = page.integer("number") or 0
    size = page.integer("size") or 10
    if number < 0 or not 1 <= size <= 1000:
        raise invalid("page.number는 0 이상, page.size는 1~1000입니다.")
    wanted = request.obj("filter")
    customer_id = wanted.text("customerId")
    statuses = wanted.data.get("status") or ["ISSUED", "DELETED"]
    if not isinstance(statuses, list):
        raise invalid("filter.status는 배열이어야 합니다.")
    with ledger.lock:
        found = [
            key_info(r)
            for r in reversed(list(ledger.v2_keys.values()))
            if r["status"] in statuses
            and (customer_id is None or r["customer"].get("id") == customer_id)
        ]
    chunk = found[number * size : (number + 1) * size]
    return ok({"items": chunk, "page": {"number": number, "size": size, "totalCount": len(chunk)}})


# -- payments -----------------------------------------------------------------------------------


def _amount(body: Body) -> dict[str, int]:
    amount = body.obj("amount", required=True)
    total = amount.integer("total", required=True)
    assert total is not None
    tax_free = amount.integer("taxFree") or 0
    if total <= 0:
        raise invalid("amount.total은 0보다 커야 합니다.")
    if not 0 <= tax_free <= total:
        raise V2Refusal(
            409, "SUM_OF_PARTS_EXCEEDS_TOTAL_AMOUNT", "면세 금액이 결제 금액을 초과합니다."
        )
    vat = amount.integer("vat")
    if vat is None:
        vat = round((total - tax_free) / 11)
    return {
        "total": total,
        "taxFree": tax_free,
        "vat": vat,
        "supply": total - tax_free - vat,
        "discount": 0,
        "paid": 0,
        "cancelled": 0,
        "cancelledTaxFree": 0,
    }


def _check_order(body: Body) -> None:
    if body.need_text("currency") != "KRW":
        raise invalid("이 샌드박스는 KRW만 받습니다.")
    body.need_text("orderName", max_len=40)


def _instalment(month: int | None, total: int) -> int:
    month = month or 0
    if month < 0 or month == 1 or month > 36:
        raise invalid("할부 개월 수는 0(일시불) 또는 2~36이어야 합니다.")
    if month >= 2 and total < MIN_INSTALMENT_AMOUNT:
        raise invalid("할부결제는 50,000원 이상부터 가능합니다.")
    return month


def _reuse_refusal(ledger: Ledger, payment_id: str) -> None:
    known = ledger.v2_payments.get(payment_id)
    if known is not None and known["status"] in ("PAID", "PARTIAL_CANCELLED", "CANCELLED"):
        raise V2Refusal(409, "ALREADY_PAID", f"이미 결제가 완료된 결제 건입니다: {payment_id}")


def _payment(
    ledger: Ledger,
    payment_id: str,
    body: Body,
    amount: dict[str, int],
    method: dict[str, Any],
    month: int,
    decline: str | None,
    billing_key: str | None,
) -> dict[str, Any]:
    """Store the paid or failed payment (caller holds the lock)."""
    now = rfc3339(ledger.now())
    transaction = secrets.token_hex(12)
    card_method = {
        "type": "PaymentMethodCard",
        "card": method["card"],
        **({"installment": {"month": month, "isInterestFree": False}} if month else {}),
    }
    payment: dict[str, Any] = {
        "status": "FAILED" if decline else "PAID",
        "id": payment_id,
        "transactionId": transaction,
        "merchantId": MERCHANT_ID,
        "storeId": STORE_ID,
        "method": card_method,
        "channel": CHANNEL,
        "version": "V2",
        "requestedAt": now,
        "updatedAt": now,
        "statusChangedAt": now,
        "orderName": body.need_text("orderName"),
        "amount": amount,
        "currency": "KRW",
        "customer": customer_of(body),
        "origin": {"platformType": "API", "ipAddress": "127.0.0.1"},
        "isCulturalExpense": False,
    }
    if billing_key is not None:
        payment["billingKey"] = billing_key
    if body.has("customData"):
        payment["customData"] = body.text("customData")
    if decline:
        match = _PG_REASON.match(decline)
        code, text = (match.group(1), match.group(2)) if match else ("", decline)
        payment["failedAt"] = now
        payment["failure"] = {"reason": decline, "pgCode": code, "pgMessage": text}
    else:
        card_method["approvalNumber"] = f"{int(transaction[-7:], 16) % 10**8:08d}"
        amount["paid"] = amount["total"]
        payment.update(
            paidAt=now,
            pgTxId=f"sandbox_{transaction}",
            receiptUrl=f"https://sandbox.invalid/v2/receipts/{payment_id}",
            disputes=[],
            cancellations=[],
        )
    ledger.add_v2_payment(payment)
    return payment


def _settle(payment: dict[str, Any]) -> V2Answer:
    """The charge's own answer: the summary when paid, PG_PROVIDER when the card company said
    no (the failed payment stays, as PortOne keeps it)."""
    if payment["status"] == "FAILED":
        raise pg_error(payment["failure"]["reason"])
    summary = {"pgTxId": payment["pgTxId"], "paidAt": payment["paidAt"]}
    return ok({"payment": summary}, changed=True)


def pay_with_key(ledger: Ledger, payment_id: str, body: Body) -> V2Answer:
    """POST /payments/{paymentId}/billing-key."""
    key = body.need_text("billingKey")
    check_channel(body, required=False)
    _check_order(body)
    amount = _amount(body)
    month = _instalment(body.integer("installmentMonth"), amount["total"])
    with ledger.lock:
        record = _key(ledger, key)
        if record["status"] == "DELETED":
            raise _already_deleted(key)
        _reuse_refusal(ledger, payment_id)
        decline = cards.decline_reason(record["behaviour"], month)
        payment = _payment(ledger, payment_id, body, amount, record["method"], month, decline, key)
        return _settle(payment)


def pay_instantly(ledger: Ledger, payment_id: str, body: Body) -> V2Answer:
    """POST /payments/{paymentId}/instant: a key-in charge on our channel."""
    check_channel(body, required=True)
    card = body.obj("method", required=True).obj("card", required=True)
    credential = card.obj("credential", required=True)
    _check_order(body)
    amount = _amount(body)
    month = _instalment(card.integer("installmentMonth"), amount["total"])
    with ledger.lock:
        _reuse_refusal(ledger, payment_id)
        profile = examine(ledger, credential)
        decline = cards.decline_reason(profile.behaviour, month)
        method = _card_method(profile)
        payment = _payment(ledger, payment_id, body, amount, method, month, decline, None)
        return _settle(payment)


def get_payment(ledger: Ledger, payment_id: str) -> V2Answer:
    with ledger.lock:
        payment = ledger.v2_payments.get(payment_id)
        if payment is None:
            return error(404, "PAYMENT_NOT_FOUND", f"결제 건이 존재하지 않습니다: {payment_id}")
        return ok(payment)


def cancel(ledger: Ledger, payment_id: str, body: Body) -> V2Answer:
    """POST /payments/{paymentId}/cancel: all that is left (no amount) or part, checked against
    `currentCancellableAmount` when given."""
    reason = body.need_text("reason")
    wanted = body.integer("amount")
    tax_free = body.integer("taxFreeAmount") or 0
    vat = body.integer("vatAmount")
    expected = body.integer("currentCancellableAmount")
    if (wanted is not None and wanted <= 0) or tax_free < 0 or (vat is not None and vat < 0):
        raise invalid("취소 금액은 0보다 크고, 면세 금액과 부가세는 0 이상이어야 합니다.")
    with ledger.lock:
        payment = ledger.v2_payments.get(payment_id)
        if payment is None:
            raise V2Refusal(404, "PAYMENT_NOT_FOUND", f"결제 건이 존재하지 않습니다: {payment_id}")
        if payment["status"] == "CANCELLED":
            raise V2Refusal(409, "PAYMENT_ALREADY_CANCELLED", "이미 전액 취소된 결제 건입니다.")
        if payment["status"] not in ("PAID", "PARTIAL_CANCELLED"):
            raise V2Refusal(409, "PAYMENT_NOT_PAID", "결제가 완료되지 않은 결제 건입니다.")
        amount = payment["amount"]
        cancellable = amount["total"] - amount["cancelled"]
        if expected is not None and expected != cancellable:
            raise V2Refusal(
                409,
                "CANCELLABLE_AMOUNT_CONSISTENCY_BROKEN",
                f"취소 가능 잔액({cancellable})이 요청의 currentCancellableAmount({expected})와 "
                "다릅니다. 결제 건을 다시 조회한 뒤 요청하세요.",
            )
        refund = cancellable if wanted is None else wanted
        if refund > cancellable:
            raise V2Refusal(
                409,
                "CANCEL_AMOUNT_EXCEEDS_CANCELLABLE_AMOUNT",
                f"취소 요청 금액({refund})이 취소 가능 금액({cancellable})을 초과합니다.",
            )
        if tax_free > refund:
            raise V2Refusal(
                409, "SUM_OF_PARTS_EXCEEDS_CANCEL_AMOUNT", "면세 금액이 취소 금액을 초과합니다."
            )
        if tax_free > amount["taxFree"] - amount["cancelledTaxFree"]:
            raise V2Refusal(
                409,
                "CANCEL_TAX_FREE_AMOUNT_EXCEEDS_CANCELLABLE_TAX_FREE_AMOUNT",
                "취소 면세 금액이 취소 가능한 면세 금액을 초과합니다.",
            )
        now = rfc3339(ledger.now())
        cancellation = {
            "status": "SUCCEEDED",
            "id": "cancellation-" + secrets.token_hex(8),
            "pgCancellationId": f"sandbox_cancel_{secrets.token_hex(6)}",
            "totalAmount": refund,
            "taxFreeAmount": tax_free,
            "vatAmount": round((refund - tax_free) / 11) if vat is None else vat,
            "reason": reason,
            "cancelledAt": now,
            "requestedAt": now,
            "receiptUrl": payment.get("receiptUrl", ""),
        }
        amount["cancelled"] += refund
        amount["cancelledTaxFree"] += tax_free
        payment["cancellations"].append(cancellation)
        payment["status"] = (
            "CANCELLED" if amount["cancelled"] >= amount["total"] else ("PARTIAL_CANCELLED")
        )
        payment["cancelledAt"] = now
        payment["updatedAt"] = payment["statusChangedAt"] = now
        return ok({"cancellation": cancellation}, changed=True)
