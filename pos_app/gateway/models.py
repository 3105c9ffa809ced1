"""Typed views of PortOne payments and billing keys (V1 JSON; the V2 adapter maps onto them).

Built with `X.from_json(dict)`. Parsing is lenient (missing keys and nulls become empty values)
because PortOne adds fields over time and the sandbox and the live API differ in small ways; the
fields the app decides on (status, amounts, uids) are always present in real answers. Card
numbers here are PortOne's masked form only.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from pos_app.core.card_mask import card_tail

JSON = Mapping[str, Any]


def _str(data: JSON, key: str) -> str:
    value = data.get(key)
    return "" if value is None else str(value)


def _int(data: JSON, key: str) -> int:
    value = data.get(key)
    if value is None or value == "":
        return 0
    return int(value)


def _opt_int(data: JSON, key: str) -> int | None:
    value = data.get(key)
    if value is None or value == "":
        return None
    return int(value)


def _opt_str(data: JSON, key: str) -> str | None:
    value = data.get(key)
    return None if value is None else str(value)


@dataclass(frozen=True, slots=True)
class Token:
    """An access token and its lifetime as the server sees it (unix seconds)."""

    access_token: str = field(repr=False)
    now: int
    expired_at: int

    @classmethod
    def from_json(cls, data: JSON) -> Token:
        return cls(_str(data, "access_token"), _int(data, "now"), _int(data, "expired_at"))

    @property
    def lifetime(self) -> int:
        """Seconds left according to the server's own clock (immune to local clock skew)."""
        return self.expired_at - self.now


@dataclass(frozen=True, slots=True)
class BillingKey:
    """A saved card (PortOne "customer"), known by the merchant's `customer_uid`."""

    customer_uid: str
    pg_provider: str
    card_name: str
    card_code: str
    card_number: str  # masked by PortOne, e.g. "53651019****3392"
    card_type: int | None  # 0 credit, 1 check, None unknown
    customer_name: str
    customer_tel: str
    customer_email: str
    inserted: int
    updated: int
    pg_id: str = ""
    customer_id: str = ""
    sandbox: bool = False
    # PortOne V2 only: the key PortOne chose for this card ("billing-key-…"); V1 names a saved
    # card by the merchant's customer_uid alone, so it stays "" there.
    billing_key: str = ""

    @classmethod
    def from_json(cls, data: JSON) -> BillingKey:
        return cls(
            customer_uid=_str(data, "customer_uid"),
            pg_provider=_str(data, "pg_provider"),
            card_name=_str(data, "card_name"),
            card_code=_str(data, "card_code"),
            card_number=_str(data, "card_number"),
            card_type=_opt_int(data, "card_type"),
            customer_name=_str(data, "customer_name"),
            customer_tel=_str(data, "customer_tel"),
            customer_email=_str(data, "customer_email"),
            inserted=_int(data, "inserted"),
            updated=_int(data, "updated"),
            pg_id=_str(data, "pg_id"),
            customer_id=_str(data, "customer_id"),
            sandbox=bool(data.get("sandbox")),
        )

    @property
    def card_tail(self) -> str:
        """The card as the app shows it ("**** 4242"; core.card_mask: never invented digits)."""
        return card_tail(self.card_number)


@dataclass(frozen=True, slots=True)
class CancelRecord:
    """One (partial) refund in a payment's `cancel_history`."""

    pg_tid: str
    amount: int
    cancelled_at: int
    reason: str
    receipt_url: str

    @classmethod
    def from_json(cls, data: JSON) -> CancelRecord:
        return cls(
            pg_tid=_str(data, "pg_tid"),
            amount=_int(data, "amount"),
            cancelled_at=_int(data, "cancelled_at"),
            reason=_str(data, "reason"),
            receipt_url=_str(data, "receipt_url"),
        )


@dataclass(frozen=True, slots=True)
class Payment:
    """A payment as PortOne stores it. status: "ready" | "paid" | "cancelled" | "failed"."""

    imp_uid: str
    merchant_uid: str
    status: str
    amount: int
    cancel_amount: int
    apply_num: str
    card_name: str
    card_code: str
    card_number: str  # masked
    card_type: int | None
    card_quota: int
    name: str
    paid_at: int
    failed_at: int
    cancelled_at: int
    fail_reason: str
    receipt_url: str
    customer_uid: str | None
    customer_uid_usage: str | None = None
    pg_provider: str = ""
    pg_tid: str = ""
    currency: str = "KRW"
    started_at: int = 0
    cancel_reason: str = ""
    cancel_history: tuple[CancelRecord, ...] = ()
    buyer_name: str = ""
    buyer_tel: str = ""
    buyer_email: str = ""
    custom_data: str | None = None
    sandbox: bool = False
    billing_key: str = ""  # PortOne V2: the billing key charged, when one was

    @classmethod
    def from_json(cls, data: JSON) -> Payment:
        history = data.get("cancel_history") or ()
        return cls(
            imp_uid=_str(data, "imp_uid"),
            merchant_uid=_str(data, "merchant_uid"),
            status=_str(data, "status"),
            amount=_int(data, "amount"),
            cancel_amount=_int(data, "cancel_amount"),
            apply_num=_str(data, "apply_num"),
            card_name=_str(data, "card_name"),
            card_code=_str(data, "card_code"),
            card_number=_str(data, "card_number"),
            card_type=_opt_int(data, "card_type"),
            card_quota=_int(data, "card_quota"),
            name=_str(data, "name"),
            paid_at=_int(data, "paid_at"),
            failed_at=_int(data, "failed_at"),
            cancelled_at=_int(data, "cancelled_at"),
            fail_reason=_str(data, "fail_reason"),
            receipt_url=_str(data, "receipt_url"),
            customer_uid=_opt_str(data, "customer_uid"),
            customer_uid_usage=_opt_str(data, "customer_uid_usage"),
            pg_provider=_str(data, "pg_provider"),
            pg_tid=_str(data, "pg_tid"),
            currency=_str(data, "currency") or "KRW",
            started_at=_int(data, "started_at"),
            cancel_reason=_str(data, "cancel_reason"),
            cancel_history=tuple(CancelRecord.from_json(h) for h in history),
            buyer_name=_str(data, "buyer_name"),
            buyer_tel=_str(data, "buyer_tel"),
            buyer_email=_str(data, "buyer_email"),
            custom_data=_opt_str(data, "custom_data"),
            sandbox=bool(data.get("sandbox")),
        )

    @property
    def approved(self) -> bool:
        return self.status == "paid"

    @property
    def declined(self) -> bool:
        return self.status == "failed"

    @property
    def cancelled(self) -> bool:
        return self.status == "cancelled"

    @property
    def refundable(self) -> int:
        """What can still be refunded; send it as `checksum` when cancelling."""
        if self.status not in ("paid", "cancelled"):
            return 0
        return self.amount - self.cancel_amount


@dataclass(frozen=True, slots=True)
class PaymentPage:
    """One page (≤ 20) of a customer's payments; `previous`/`next` are 0 when there is none."""

    total: int
    previous: int
    next: int
    payments: list[Payment]

    @classmethod
    def from_json(cls, data: JSON) -> PaymentPage:
        return cls(
            total=_int(data, "total"),
            previous=_int(data, "previous"),
            next=_int(data, "next"),
            payments=[Payment.from_json(p) for p in data.get("list") or ()],
        )


@dataclass(frozen=True, slots=True)
class Schedule:
    """A charge PortOne will run later. schedule_status: "scheduled" | "executed" | "revoked"."""

    customer_uid: str
    merchant_uid: str
    imp_uid: str
    schedule_at: int
    executed_at: int
    revoked_at: int
    amount: int
    name: str
    schedule_status: str
    payment_status: str | None
    fail_reason: str

    @classmethod
    def from_json(cls, data: JSON) -> Schedule:
        return cls(
            customer_uid=_str(data, "customer_uid"),
            merchant_uid=_str(data, "merchant_uid"),
            imp_uid=_str(data, "imp_uid"),
            schedule_at=_int(data, "schedule_at"),
            executed_at=_int(data, "executed_at"),
            revoked_at=_int(data, "revoked_at"),
            amount=_int(data, "amount"),
            name=_str(data, "name"),
            schedule_status=_str(data, "schedule_status"),
            payment_status=_opt_str(data, "payment_status"),
            fail_reason=_str(data, "fail_reason"),
        )
