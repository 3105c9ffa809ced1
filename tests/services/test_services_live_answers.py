"""The till with answers shaped as live PortOne gives them (issue 12): key-in routing, PG-specific
card masks in the journal, customer index and command-line JSON."""

from __future__ import annotations

import httpx
import pytest

from pos_app.core.card import KeyInCard
from pos_app.core.order import Order
from pos_app.services.till import Till

APPROVED = ("4242424242424242", "12/39", "880101", "12")


def _fields(sandbox_url: str, path: str) -> list[str]:
    log = httpx.get(sandbox_url + "/__sandbox__/requests", timeout=10).json()["response"]
    fields: list[str] = [e["fields"] for e in log if e["path"] == path][-1]
    return fields


def _variant(sandbox_url: str, **choices: str) -> None:
    httpx.post(sandbox_url + "/__sandbox__/variants", json=choices, timeout=10).raise_for_status()


def test_a_key_in_charge_is_routed_by_pg_and_never_sends_the_channel_key(
    till: Till, sandbox_url: str
) -> None:
    # Onetime has no channel_key field (v1 schema); the till used to send it there, so a till
    # set up by channel charged key-in cards on the default PG (issue 12, finding 1).
    till.pg, till.channel_key = "nice.MID1", "channel-key-0001"
    outcome = till.charge_once(
        KeyInCard.parse(*APPROVED), Order(till.new_merchant_uid(), 5000, "x")
    )
    assert outcome.kind == "paid" and outcome.payment is not None
    assert outcome.payment.pg_provider == "nice"
    sent = _fields(sandbox_url, "/subscribe/payments/onetime")
    assert "pg" in sent and "channel_key" not in sent
    # Issuing a billing key takes both (the schema has channel_key there).
    till.issue_key("route_4242", KeyInCard.parse(*APPROVED))
    assert {"pg", "channel_key"} <= set(_fields(sandbox_url, "/subscribe/customers/route_4242"))


@pytest.mark.parametrize(("mask", "shown"), [("kcp", "**** 4242"), ("inicis", "**** ***2")])
def test_the_card_is_kept_and_shown_as_the_pg_masked_it(
    till: Till, sandbox_url: str, mask: str, shown: str
) -> None:
    _variant(sandbox_url, card_mask=mask)
    order = Order(till.new_merchant_uid(), 5000, "x")
    outcome = till.charge_once(KeyInCard.parse(*APPROVED), order, save_as="mask_4242")
    assert outcome.kind == "paid"
    row = till.journal_row(order.merchant_uid)
    assert row is not None and row.card_number == shown
    customer = till.customer("mask_4242")
    assert customer is not None and customer.card_number == shown
    assert outcome.to_json()["card"] == shown


def test_a_refund_on_a_test_channel_payment_finds_it(till: Till, sandbox_url: str) -> None:
    # Since 2026-01-26 PortOne hides test-channel payments from GET /payments/{imp_uid} unless
    # include_sandbox=true: the usual first live trial could not be refunded (issue 12, #3).
    _variant(sandbox_url, test_channel="hidden")
    order = Order(till.new_merchant_uid(), 5000, "x")
    outcome = till.charge_once(KeyInCard.parse(*APPROVED), order)
    assert outcome.payment is not None
    refunded = till.refund(outcome.payment.imp_uid, 2000, "테스트 환불")
    assert refunded.cancel_amount == 2000


@pytest.mark.parametrize("shape", ["failed_payment", "refusal"])
def test_a_decline_is_a_decline_in_both_shapes(till: Till, sandbox_url: str, shape: str) -> None:
    """Issue 12, finding 4: a decline answered as code -1 with no payment was recorded as
    "refused" (the window said 요청 거부, not 카드사 거절). Both shapes are declines now, with
    PortOne's message verbatim, for a saved card and for a key-in card."""
    _variant(sandbox_url, decline=shape)
    declining = KeyInCard.parse("4000000000000341", "12/39", "880101", "12")
    till.issue_key("limit_0341", declining)
    again = till.charge_again("limit_0341", Order(till.new_merchant_uid(), 5000, "회비"))
    once = till.charge_once(
        KeyInCard.parse("4000000000000341", "12/39", "880101", "12"),
        Order(till.new_merchant_uid(), 5000, "회비"),
    )
    for outcome in (again, once):
        assert outcome.kind == "declined", outcome
        assert "한도초과" in outcome.message
        row = till.journal_row(outcome.merchant_uid)
        assert row is not None and row.state == "declined" and "한도초과" in row.reason
        assert outcome.exit_code == 2
    # A declined member is not blocked: nothing was charged.
    assert till.pending_for("limit_0341") == []
