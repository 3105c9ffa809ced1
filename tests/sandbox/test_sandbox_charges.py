"""Charges and refunds: onetime, again, payment lookups, cancel."""

from __future__ import annotations

from typing import Any

import httpx
import pytest
from sandbox_helpers import (
    AMEX,
    AUTH_FAILS,
    BC_CHECK,
    DECLINES,
    EXPIRED,
    LUHN_FAILS,
    MASTER,
    OTHER_VALID,
    VISA,
    body,
    card,
    paid_count,
)


def onetime(api: httpx.Client, number: str, merchant_uid: str = "o-1", **extra: Any) -> Any:
    fields = {**card(number), "merchant_uid": merchant_uid, "amount": 3000, "name": "커피"}
    return api.post("/subscribe/payments/onetime", json={**fields, **extra})


@pytest.mark.parametrize(
    ("number", "status", "fail_reason"),
    [
        (VISA, "paid", None),
        (MASTER, "paid", None),
        (BC_CHECK, "paid", None),
        (AMEX, "paid", None),
        (OTHER_VALID, "paid", None),
        (DECLINES, "failed", "[8325]한도초과"),
    ],
)
def test_onetime_outcome_per_test_card(
    api: httpx.Client, number: str, status: str, fail_reason: str | None
) -> None:
    answer = onetime(api, number)
    data = body(answer)
    assert answer.status_code == 200 and data["code"] == 0 and data["message"] is None
    payment = data["response"]
    assert payment["status"] == status and payment["fail_reason"] == fail_reason
    assert payment["imp_uid"].startswith("imp_") and len(payment["imp_uid"]) == 16
    assert payment["merchant_uid"] == "o-1" and payment["amount"] == 3000
    assert payment["customer_uid"] is None and payment["customer_uid_usage"] is None
    assert number.replace("-", "") not in answer.text
    if status == "paid":
        assert payment["apply_num"] and payment["paid_at"] > 0 and payment["failed_at"] == 0
    else:
        assert payment["failed_at"] > 0 and payment["paid_at"] == 0
    found = api.get("/payments/find/o-1")
    assert body(found)["response"]["imp_uid"] == payment["imp_uid"]


@pytest.mark.parametrize(
    ("number", "overrides"),
    [
        (AUTH_FAILS, {}),
        (EXPIRED, {}),
        (LUHN_FAILS, {}),
        (VISA, {"pwd_2digit": "99"}),
        (VISA, {"expiry": "2001-01"}),
    ],
)
def test_onetime_refusals_store_nothing(
    api: httpx.Client, number: str, overrides: dict[str, str]
) -> None:
    data = body(onetime(api, number, **overrides))
    assert data["code"] == -1 and data["response"] is None and data["message"]
    assert api.get("/payments/find/o-1").status_code == 404


def test_check_card_instalment_is_declined(api: httpx.Client) -> None:
    fields = {**card(BC_CHECK), "merchant_uid": "big", "amount": 60000, "card_quota": 3}
    payment = body(api.post("/subscribe/payments/onetime", json=fields))["response"]
    assert payment["status"] == "failed" and "할부" in payment["fail_reason"]
    fields["card_number"] = VISA
    payment = body(api.post("/subscribe/payments/onetime", json=fields))["response"]
    assert payment["status"] == "paid" and payment["card_quota"] == 3


def test_instalment_below_50000_is_refused(api: httpx.Client) -> None:
    data = body(onetime(api, VISA, card_quota=2))
    assert data["code"] == -1 and "50,000" in data["message"]


def test_onetime_with_customer_uid_issues_and_charges(api: httpx.Client) -> None:
    payment = body(onetime(api, VISA, customer_uid="gildong_0001_4242"))["response"]
    assert payment["status"] == "paid"
    assert payment["customer_uid"] == "gildong_0001_4242"
    assert payment["customer_uid_usage"] == "issue"
    customer = body(api.get("/subscribe/customers/gildong_0001_4242"))["response"]
    assert customer["card_number"] == "424242******4242"


def test_declining_card_issues_a_key_but_every_charge_fails(api: httpx.Client) -> None:
    assert body(api.post("/subscribe/customers/c1", json=card(DECLINES)))["code"] == 0
    again = {"customer_uid": "c1", "merchant_uid": "m1", "amount": 1000, "name": "월회비"}
    payment = body(api.post("/subscribe/payments/again", json=again))["response"]
    assert payment["status"] == "failed" and payment["fail_reason"] == "[8325]한도초과"


def test_again_charges_a_saved_key(api: httpx.Client) -> None:
    api.post("/subscribe/customers/c1", json=card(MASTER))
    again = {
        "customer_uid": "c1",
        "merchant_uid": "m1",
        "amount": "12000",
        "name": "월회비",
        "buyer_name": "홍길동",
        "custom_data": '{"member": 7}',
    }
    answer = api.post("/subscribe/payments/again", data=again)  # form-encoded
    payment = body(answer)["response"]
    assert payment["status"] == "paid" and payment["amount"] == 12000
    assert payment["card_name"] == "KB국민카드" and payment["card_number"] == "555555******4444"
    assert payment["customer_uid_usage"] == "payment" and payment["buyer_name"] == "홍길동"
    got = body(api.get(f"/payments/{payment['imp_uid']}"))["response"]
    assert got == payment


def test_again_with_unknown_customer_is_refused(api: httpx.Client) -> None:
    again = {"customer_uid": "ghost", "merchant_uid": "m1", "amount": 1000, "name": "x"}
    data = body(api.post("/subscribe/payments/again", json=again))
    assert data["code"] != 0 and "ghost" in data["message"] and data["response"] is None


def test_merchant_uid_reuse_rules(api: httpx.Client) -> None:
    api.post("/subscribe/customers/bad", json=card(DECLINES))
    api.post("/subscribe/customers/good", json=card(VISA))
    order = {"merchant_uid": "m1", "amount": 1000, "name": "x"}
    failed = body(api.post("/subscribe/payments/again", json={**order, "customer_uid": "bad"}))
    assert failed["response"]["status"] == "failed"
    # allowed after a failed payment
    paid = body(api.post("/subscribe/payments/again", json={**order, "customer_uid": "good"}))
    assert paid["response"]["status"] == "paid"
    # refused once paid
    again = body(api.post("/subscribe/payments/again", json={**order, "customer_uid": "good"}))
    assert again["code"] == -1 and again["response"] is None
    refused = body(onetime(api, VISA, merchant_uid="m1"))
    assert refused["code"] == -1
    # still refused once cancelled
    api.post("/payments/cancel", json={"merchant_uid": "m1", "checksum": 1000})
    assert body(onetime(api, VISA, merchant_uid="m1"))["code"] == -1
    assert paid_count(api, "m1") == 0  # the one paid payment is now cancelled
    # newest first, and by status
    assert body(api.get("/payments/find/m1"))["response"]["status"] == "cancelled"
    assert body(api.get("/payments/find/m1/failed"))["response"]["customer_uid"] == "bad"
    assert api.get("/payments/find/m1/paid").status_code == 404
    assert api.get("/payments/find/m1/bogus").status_code == 400


def test_unknown_payment_is_404(api: httpx.Client) -> None:
    for path in ("/payments/imp_000000000000", "/payments/find/nope"):
        answer = api.get(path)
        assert answer.status_code == 404
        assert body(answer) == {
            "code": -1,
            "message": "존재하지 않는 결제정보입니다.",
            "response": None,
        }


def test_payment_list_lookup(api: httpx.Client) -> None:
    imp_uid = body(onetime(api, VISA))["response"]["imp_uid"]
    assert api.get("/payments", params={"imp_uid[]": [imp_uid]}).status_code == 200
    assert api.get("/payments", params={"imp_uid[]": [imp_uid, "imp_x"]}).status_code == 207
    assert api.get("/payments", params={"imp_uid[]": ["imp_x"]}).status_code == 404


def test_partial_then_full_cancel(api: httpx.Client) -> None:
    imp_uid = body(onetime(api, VISA, amount=10000))["response"]["imp_uid"]
    part = body(
        api.post(
            "/payments/cancel",
            json={"imp_uid": imp_uid, "amount": 4000, "checksum": 10000, "reason": "일부 반품"},
        )
    )["response"]
    assert part["status"] == "paid" and part["cancel_amount"] == 4000
    assert part["cancel_history"][0]["amount"] == 4000
    assert part["cancel_history"][0]["reason"] == "일부 반품"
    # the caller's view is stale: the checksum no longer matches, nothing is refunded
    stale = body(api.post("/payments/cancel", json={"imp_uid": imp_uid, "checksum": 10000}))
    assert stale["code"] == -1 and stale["response"] is None
    too_much = body(api.post("/payments/cancel", json={"imp_uid": imp_uid, "amount": 7000}))
    assert too_much["code"] == -1
    rest = body(api.post("/payments/cancel", data={"imp_uid": imp_uid, "checksum": "6000"}))
    payment = rest["response"]
    assert payment["status"] == "cancelled" and payment["cancel_amount"] == 10000
    assert payment["cancelled_at"] > 0 and len(payment["cancel_history"]) == 2
    done = body(api.post("/payments/cancel", json={"imp_uid": imp_uid}))
    assert done == {"code": -1, "message": "이미 전액취소된 주문입니다.", "response": None}


def test_cancel_with_nothing_to_cancel(api: httpx.Client) -> None:
    for sent in ({"imp_uid": "imp_404"}, {"merchant_uid": "never"}):
        data = body(api.post("/payments/cancel", json=sent))
        # Code 1, as PortOne answers it (iamport-rest-client-python tests/test_cancel.py).
        assert data == {
            "code": 1,
            "message": "취소할 결제건이 존재하지 않습니다.",
            "response": None,
        }
    failed = body(onetime(api, DECLINES))["response"]
    data = body(api.post("/payments/cancel", json={"imp_uid": failed["imp_uid"]}))
    assert data["message"] == "취소할 결제건이 존재하지 않습니다."
    assert api.post("/payments/cancel", json={}).status_code == 400
