"""Recurring charges PortOne runs by itself: schedule, unschedule, look up, and run when due.

Due schedules run when the sandbox's clock passes `schedule_at`; the clock is checked before
every request and whenever /__sandbox__/clock moves it.
"""

from __future__ import annotations

from typing import Any

from pos_app.sandbox import billing
from pos_app.sandbox.billing import Answer, Order, ok, refused
from pos_app.sandbox.ledger import Ledger
from pos_app.sandbox.wire import BadRequest, Fields, check_merchant_uid, missing

SCHEDULE_NOT_FOUND = "존재하지 않는 예약결제정보입니다."
NOTHING_TO_UNSCHEDULE = "취소할 예약결제 기록이 존재하지 않습니다."


def parse_schedules(raw: Any) -> list[tuple[int, Order]]:
    if raw is None or raw == "" or raw == []:
        raise missing("schedules")
    if isinstance(raw, dict):  # form bodies with schedules[0][...] keys
        raw = [raw[k] for k in sorted(raw, key=lambda k: int(k) if k.isdigit() else 0)]
    if not isinstance(raw, list) or not all(isinstance(item, dict) for item in raw):
        raise BadRequest(
            "파라미터 schedules의 형식이 올바르지 않습니다. (schedules must be a list)"
        )
    parsed = []
    for item in raw:
        fields = Fields(item)
        order = Order(
            merchant_uid=check_merchant_uid(fields.need_text("merchant_uid")),
            amount=fields.amount(),
            name=fields.text("name", max_len=40),
            card_quota=fields.integer("card_quota"),
            tax_free=fields.integer("tax_free"),
            pg=None,
            extra={name: fields.text(name) for name in (*billing.BUYER_FIELDS, "custom_data")},
        )
        parsed.append((fields.integer("schedule_at", required=True), order))
    return parsed


def schedule(ledger: Ledger, customer_uid: str, items: list[tuple[int, Order]]) -> Answer:
    with ledger.lock:
        if customer_uid not in ledger.customers:
            return refused(billing.customer_not_found(customer_uid), code=1)
        now = ledger.now()
        seen: set[str] = set()
        for schedule_at, order in items:
            uid = order.merchant_uid
            if schedule_at <= now:
                return refused(f"예약시각(schedule_at)은 현재 이후여야 합니다. ({uid})")
            existing = ledger.schedules.get(uid)
            if uid in seen or (existing and existing["schedule_status"] != "revoked"):
                return refused(f"이미 예약된 merchant_uid({uid})입니다.")
            if ledger.newest_payment(uid, "paid") or ledger.newest_payment(uid, "cancelled"):
                return refused(f"이미 결제된 merchant_uid({uid})입니다.")
            seen.add(uid)
        created = []
        for schedule_at, order in items:
            entry = {
                "customer_uid": customer_uid,
                "merchant_uid": order.merchant_uid,
                "imp_uid": None,
                "schedule_at": schedule_at,
                "executed_at": 0,
                "revoked_at": 0,
                "amount": order.amount,
                "name": order.name,
                "card_quota": order.card_quota,
                "tax_free": order.tax_free,
                **order.extra,
                "schedule_status": "scheduled",
                "payment_status": None,
                "fail_reason": None,
            }
            ledger.schedules[order.merchant_uid] = entry
            created.append(entry)
        ledger.refresh_next_due()
        return ok(created, changed=True)


def unschedule(ledger: Ledger, customer_uid: str, merchant_uids: list[str] | None) -> Answer:
    with ledger.lock:
        now = int(ledger.now())
        revoked = []
        for entry in ledger.schedules.values():
            if entry["customer_uid"] != customer_uid or entry["schedule_status"] != "scheduled":
                continue
            if merchant_uids is not None and entry["merchant_uid"] not in merchant_uids:
                continue
            entry["schedule_status"] = "revoked"
            entry["revoked_at"] = now
            revoked.append(entry)
        if not revoked:
            return refused(NOTHING_TO_UNSCHEDULE, code=1)
        ledger.refresh_next_due()
        return ok(revoked, changed=True)


def get_schedule(ledger: Ledger, merchant_uid: str) -> Answer:
    with ledger.lock:
        entry = ledger.schedules.get(merchant_uid)
        if entry is None:
            return billing.not_found(SCHEDULE_NOT_FOUND)
        return ok(dict(entry))


def run_due(ledger: Ledger) -> bool:
    """Charge every schedule whose time has come; True when anything ran."""
    with ledger.lock:
        now = ledger.now()
        due = [
            e
            for e in ledger.schedules.values()
            if e["schedule_status"] == "scheduled" and e["schedule_at"] <= now
        ]
        for entry in sorted(due, key=lambda e: e["schedule_at"]):
            order = Order(
                merchant_uid=entry["merchant_uid"],
                amount=entry["amount"],
                name=entry["name"],
                card_quota=entry.get("card_quota", 0),
                tax_free=entry.get("tax_free", 0),
                pg=None,
                extra={k: entry.get(k) for k in (*billing.BUYER_FIELDS, "custom_data")},
            )
            answer = billing.charge_again(
                ledger, entry["customer_uid"], order, usage="payment.scheduled"
            )
            entry["schedule_status"] = "executed"
            entry["executed_at"] = int(now)
            if answer.code == 0:
                entry["imp_uid"] = answer.response["imp_uid"]
                entry["payment_status"] = answer.response["status"]
                entry["fail_reason"] = answer.response["fail_reason"]
            else:
                entry["payment_status"] = "failed"
                entry["fail_reason"] = answer.message
        if due:
            ledger.refresh_next_due()
        return bool(due)
