"""Every PortOneClient call against the running sandbox over real HTTP."""

from __future__ import annotations

import time

import pytest
from gateway_helpers import DECLINED, REFUSED, card, order, requests_log, sandbox_payments

from pos_app.core.order import Buyer
from pos_app.gateway import (
    AuthenticationFailed,
    NotFound,
    PortOneClient,
    Refused,
)

BUYER = Buyer("홍길동", "010-1234-5678", "gildong@example.com")


def test_billing_key_lifecycle(client: PortOneClient) -> None:
    key = client.issue_billing_key("gildong_0001_4242", card(), buyer=BUYER)
    assert key.customer_uid == "gildong_0001_4242"
    assert key.card_name == "신한카드" and key.card_code == "366" and key.card_type == 0
    assert key.card_tail == "**** 4242" and "4242424242" not in key.card_number
    assert key.customer_name == "홍길동"

    assert client.get_billing_key("gildong_0001_4242") == key
    other = client.issue_billing_key("younghee_0002_4444", card("5555-5555-5555-4444"), pg="nice")
    assert other.pg_provider == "nice" and other.card_code == "381"
    listed = client.get_billing_keys(["gildong_0001_4242", "younghee_0002_4444", "nobody"])
    assert sorted(k.customer_uid for k in listed) == ["gildong_0001_4242", "younghee_0002_4444"]
    assert client.get_billing_keys(["nobody", "nobody_else"]) == []

    deleted = client.delete_billing_key("gildong_0001_4242", reason="고객 요청")
    assert deleted.customer_uid == "gildong_0001_4242"
    with pytest.raises(NotFound, match="찾을 수 없습니다"):
        client.get_billing_key("gildong_0001_4242")
    with pytest.raises(NotFound):
        client.delete_billing_key("gildong_0001_4242")


def test_issue_with_a_refused_card_raises_refused_verbatim(client: PortOneClient) -> None:
    with pytest.raises(Refused) as refused:
        client.issue_billing_key("bad_0002", card(REFUSED))
    assert refused.value.message and refused.value.code != 0
    assert "0000" not in str(refused.value) and "0002" not in repr(refused.value)


def test_charge_once_approved(client: PortOneClient) -> None:
    the_order = order(12000)
    payment = client.charge_once(the_order, card(), buyer=BUYER)
    assert payment.approved and payment.status == "paid"
    assert payment.merchant_uid == the_order.merchant_uid and payment.amount == 12000
    assert payment.apply_num and payment.paid_at > 0 and payment.imp_uid.startswith("imp_")
    assert client.get_payment(payment.imp_uid) == payment
    assert client.find_payment(the_order.merchant_uid) == payment
    assert client.find_payment(the_order.merchant_uid, "paid") == payment


def test_charge_once_saving_the_card_then_charge_again(client: PortOneClient) -> None:
    first = client.charge_once(order(5000), card(), customer_uid="chulsoo_0003_4242")
    assert first.approved and first.customer_uid == "chulsoo_0003_4242"
    assert client.get_billing_key("chulsoo_0003_4242").card_tail == "**** 4242"

    again = client.charge_again("chulsoo_0003_4242", order(7000), buyer=BUYER)
    assert again.approved and again.amount == 7000
    page = client.customer_payments("chulsoo_0003_4242")
    assert page.total >= 1
    assert again.imp_uid in {p.imp_uid for p in page.payments}


def test_declined_card_returns_a_failed_payment_with_the_reason(client: PortOneClient) -> None:
    declined = client.charge_once(order(), card(DECLINED))
    assert declined.declined and not declined.approved
    assert "한도초과" in declined.fail_reason
    assert client.find_payment(declined.merchant_uid).declined

    client.issue_billing_key("limit_0004_0341", card(DECLINED))
    again = client.charge_again("limit_0004_0341", order())
    assert again.status == "failed" and "한도초과" in again.fail_reason


def test_refused_card_raises_refused_and_nothing_is_paid(
    client: PortOneClient, sandbox_url: str
) -> None:
    the_order = order()
    with pytest.raises(Refused) as refused:
        client.charge_once(the_order, card(REFUSED))
    assert refused.value.message  # PortOne's words, shown as they are
    assert sandbox_payments(sandbox_url, the_order.merchant_uid) == [] or all(
        p["status"] != "paid" for p in sandbox_payments(sandbox_url, the_order.merchant_uid)
    )


def test_charge_again_unknown_customer_and_duplicate_order_are_refused(
    client: PortOneClient,
) -> None:
    with pytest.raises(Refused):
        client.charge_again("nobody_9999", order())
    client.issue_billing_key("dup_0005_4242", card())
    the_order = order()
    assert client.charge_again("dup_0005_4242", the_order).approved
    with pytest.raises(Refused):
        client.charge_again("dup_0005_4242", the_order)


def test_unknown_payment_is_not_found(client: PortOneClient) -> None:
    with pytest.raises(NotFound):
        client.get_payment("imp_000000000000")
    with pytest.raises(NotFound):
        client.find_payment("never-sent-order")


def test_partial_then_full_refund_with_checksum(client: PortOneClient) -> None:
    payment = client.charge_once(order(10000), card())
    partial = client.cancel_payment(
        imp_uid=payment.imp_uid, amount=3000, checksum=payment.refundable, reason="부분 환불"
    )
    assert partial.status == "paid" and partial.cancel_amount == 3000
    assert partial.refundable == 7000
    # A stale checksum (someone else refunded meanwhile) is refused, never a double refund.
    with pytest.raises(Refused):
        client.cancel_payment(imp_uid=payment.imp_uid, amount=3000, checksum=10000)
    rest = client.cancel_payment(merchant_uid=payment.merchant_uid, checksum=partial.refundable)
    assert rest.cancelled and rest.cancel_amount == 10000 and len(rest.cancel_history) == 2
    with pytest.raises(Refused):
        client.cancel_payment(imp_uid=payment.imp_uid, checksum=0)


def test_schedule_get_and_unschedule(client: PortOneClient) -> None:
    client.issue_billing_key("monthly_0006_4242", card())
    at = int(time.time()) + 7 * 86400
    first, second = order(9900, "월 구독"), order(9900, "월 구독")
    scheduled = client.schedule("monthly_0006_4242", [(at, first), (at + 86400, second)])
    assert [s.merchant_uid for s in scheduled] == [first.merchant_uid, second.merchant_uid]
    assert all(s.schedule_status == "scheduled" for s in scheduled)
    fetched = client.get_schedule(first.merchant_uid)
    assert fetched.amount == 9900 and fetched.customer_uid == "monthly_0006_4242"
    revoked = client.unschedule("monthly_0006_4242", [first.merchant_uid])
    assert [s.merchant_uid for s in revoked] == [first.merchant_uid]
    assert client.get_schedule(first.merchant_uid).schedule_status == "revoked"
    assert client.get_schedule(second.merchant_uid).schedule_status == "scheduled"
    assert {s.merchant_uid for s in client.unschedule("monthly_0006_4242")} == {second.merchant_uid}


def test_wrong_credentials_fail_authentication(sandbox_url: str) -> None:
    with (
        PortOneClient(sandbox_url, "imp_apikey", "wrong-secret") as client,
        pytest.raises(AuthenticationFailed) as failed,
    ):
        client.charge_again("anyone_0001", order())
    assert "인증에 실패" in failed.value.message
    paths = [r["path"] for r in requests_log(sandbox_url)]
    assert paths == ["/users/getToken"]  # the charge itself was never sent
