"""The client against every real answer shape the sandbox can serve (portone-v1.md §7): the
charge, refund and lookup paths run once per variant value, over real HTTP."""

from __future__ import annotations

import pytest
from gateway_helpers import DECLINED, admin, card, order, requests_log, sandbox_payments

from pos_app.core.card_mask import card_tail
from pos_app.core.money import refund_split
from pos_app.core.order import Order, new_merchant_uid
from pos_app.gateway import (
    AlreadyPaid,
    Declined,
    NotFound,
    Payment,
    PortOneClient,
    Refused,
)
from pos_app.sandbox.variants import VARIANTS

EVERY_VARIANT = [(name, value) for name, v in VARIANTS.items() for value in v.values]


def use_variant(sandbox_url: str, name: str, value: str) -> None:
    admin(sandbox_url, "POST", "variants", {name: value})


def _charge_or_decline(client: PortOneClient, customer_uid: str, the_order: Order) -> str:
    """The decline's reason, whichever shape it came in (a failed payment or a refusal)."""
    try:
        payment = client.charge_again(customer_uid, the_order)
    except Declined as declined:
        return declined.message
    assert payment.declined
    return payment.fail_reason


@pytest.mark.parametrize(("name", "value"), EVERY_VARIANT)
def test_charge_refund_and_lookup_paths_under_each_variant(
    client: PortOneClient, sandbox_url: str, name: str, value: str
) -> None:
    use_variant(sandbox_url, name, value)
    key = client.issue_billing_key("var_0001_4242", card())
    # -- charges: approved, declined (either shape), already paid, unknown customer
    paid = client.charge_again("var_0001_4242", order(30_000))
    assert paid.approved
    keyed = client.charge_once(order(10_000), card(), pg="nice.MID1")
    assert keyed.approved and keyed.pg_provider == "nice"
    for shown in (key.card_tail, card_tail(paid.card_number), card_tail(keyed.card_number)):
        assert shown in ("**** 4242", "**** ***2")  # only digits PortOne gave, where it gave them
    client.issue_billing_key("var_0002_0341", card(DECLINED))
    reason = _charge_or_decline(client, "var_0002_0341", order())
    assert "[8325]한도초과" in reason  # PortOne's words, verbatim either way
    again_order = Order(paid.merchant_uid, 30_000, "커피 정기배송")
    with pytest.raises(AlreadyPaid) as already:
        client.charge_again("var_0001_4242", again_order)
    assert already.value.payment is not None and already.value.payment.imp_uid == paid.imp_uid
    with pytest.raises(NotFound):
        client.charge_again("nobody_0000", order())
    # -- lookups: by imp_uid (test-channel payments included), by merchant_uid, unknown ones
    assert client.get_payment(paid.imp_uid).imp_uid == paid.imp_uid
    assert client.find_payment(paid.merchant_uid).approved
    with pytest.raises(NotFound):
        client.get_billing_key("nobody_0000")
    with pytest.raises(NotFound):
        client.find_payment(new_merchant_uid("GW"))
    # -- refunds: partial then the rest, with the sale's tax-free split; nothing to cancel
    _refund_in_two(client, paid)
    with pytest.raises(Refused) as nothing:
        client.cancel_payment(imp_uid="imp_000000000000", checksum=0)
    assert nothing.value.message == "취소할 결제건이 존재하지 않습니다."


def _refund_in_two(client: PortOneClient, paid: Payment) -> None:
    first = refund_split(
        sale_amount=paid.amount, sale_tax_free=0, refunded=0, refunded_tax_free=0, amount=10_000
    )
    after = client.cancel_payment(
        imp_uid=paid.imp_uid,
        amount=10_000,
        checksum=paid.refundable,
        tax_free=first.tax_free,
        vat_amount=first.vat_amount,
    )
    assert after.cancel_amount == 10_000
    rest = client.cancel_payment(imp_uid=paid.imp_uid, checksum=after.refundable)
    assert rest.cancelled


def test_a_decline_answered_as_a_refusal_is_declined_verbatim(
    client: PortOneClient, sandbox_url: str
) -> None:
    # Before: a plain Refused, so the window said "요청 거부" (issue 12, finding 4).
    use_variant(sandbox_url, "decline", "refusal")
    client.issue_billing_key("dec_0001_0341", card(DECLINED))
    with pytest.raises(Declined) as declined:
        client.charge_again("dec_0001_0341", order())
    assert declined.value.message == "결제승인에 실패하였습니다. [8325]한도초과"
    with pytest.raises(Declined):
        client.charge_once(order(), card(DECLINED))


def test_single_payment_lookups_see_test_channel_payments(
    client: PortOneClient, sandbox_url: str
) -> None:
    # Since 2026-01-26 PortOne hides test-channel payments from GET /payments/{imp_uid} unless
    # include_sandbox=true; before the client sent it, this was NotFound (issue 12, finding 3).
    use_variant(sandbox_url, "test_channel", "hidden")
    paid = client.charge_once(order(), card())
    assert client.get_payment(paid.imp_uid).approved
    lookup = [r for r in requests_log(sandbox_url) if r["path"] == f"/payments/{paid.imp_uid}"]
    assert [r["status"] for r in lookup] == [200]


def test_a_refund_sends_its_tax_free_part_and_vat(client: PortOneClient, sandbox_url: str) -> None:
    paid = client.charge_once(
        Order(new_merchant_uid("GW"), 33_000, "교재", tax_free=11_000), card()
    )
    split = refund_split(
        sale_amount=33_000, sale_tax_free=11_000, refunded=0, refunded_tax_free=0, amount=33_000
    )
    client.cancel_payment(
        imp_uid=paid.imp_uid,
        checksum=paid.refundable,
        tax_free=split.tax_free,
        vat_amount=split.vat_amount,
    )
    sent = [r["fields"] for r in requests_log(sandbox_url) if r["path"] == "/payments/cancel"]
    assert "tax_free" in sent[-1] and "vat_amount" in sent[-1]
    # A tax-free part larger than the refund is PortOne's to refuse, not ours to send quietly.
    other = client.charge_once(order(5_000), card())
    with pytest.raises(Refused):
        client.cancel_payment(
            imp_uid=other.imp_uid, amount=1_000, checksum=other.refundable, tax_free=2_000
        )


def test_already_paid_carries_what_portone_holds(client: PortOneClient, sandbox_url: str) -> None:
    # "이미 결제된 merchant_uid(…)입니다. 새로운 merchant_uid로 결제를 요청하세요." means it WAS
    # paid (§7): the client says so and brings the payment, never "charge anew".
    the_order = order()
    first = client.charge_once(the_order, card())
    with pytest.raises(AlreadyPaid) as already:
        client.charge_once(the_order, card())
    assert already.value.message.startswith(f"이미 결제된 merchant_uid({the_order.merchant_uid})")
    assert already.value.payment is not None and already.value.payment.approved
    assert already.value.payment.imp_uid == first.imp_uid
    held = sandbox_payments(sandbox_url, the_order.merchant_uid)
    assert [p["status"] for p in held] == ["paid"]


def test_onetime_routes_by_pg_and_again_always_names_the_order(
    client: PortOneClient, sandbox_url: str
) -> None:
    use_variant(sandbox_url, "again_name", "inicis")  # Inicis refuses an again without name
    client.issue_billing_key("route_0001_4242", card(), pg="nice.MID1", channel_key="ck-1")
    keyed = client.charge_once(order(), card(), pg="nice.MID1")
    assert (keyed.pg_provider, keyed.pg_tid != "") == ("nice", True)
    assert client.charge_again("route_0001_4242", order()).approved
    fields = {r["path"]: r["fields"] for r in requests_log(sandbox_url)}
    assert "pg" in fields["/subscribe/payments/onetime"]
    assert "channel_key" not in fields["/subscribe/payments/onetime"]
    assert {"pg", "channel_key"} <= set(fields["/subscribe/customers/route_0001_4242"])
    assert "name" in fields["/subscribe/payments/again"]
