"""The PortOne V2 adapter (PortOneV2Client, over PortOne's official SDK): its answers as our
models, its errors in our words, our timeouts, and card data kept out of errors and logs.

Against the sandbox's /v2 over real HTTP, and against a loopback server replaying answers the
sandbox does not give (a proxy's 502 page, an unknown payment shape)."""

from __future__ import annotations

import json
import logging
import threading
import traceback
from collections.abc import Callable, Iterator
from typing import Any

import httpx
import pytest
from gateway_helpers import APPROVED, DECLINED, card, fault, order
from recorded_answers import Recorded
from replay_server import Script, replaying

from pos_app.gateway import (
    AlreadyPaid,
    AuthenticationFailed,
    Declined,
    NotFound,
    OutcomeUnknown,
    PortOneError,
    Refused,
    Unavailable,
)
from pos_app.gateway.portone_v2 import PortOneV2Client
from pos_app.sandbox import TEST_V2_CHANNEL_KEY, TEST_V2_SECRET, TEST_V2_STORE_ID

CHARGE_WITH_KEY = "/v2/payments/*/billing-key"
INSTANT = "/v2/payments/*/instant"
ISSUE = "/v2/billing-keys"


def _client(
    base: str,
    secret: str = TEST_V2_SECRET,
    read_timeout: float = 10.0,
    keys: Callable[[str], str | None] | None = None,
) -> PortOneV2Client:
    client = PortOneV2Client(
        base,
        secret,
        channel_key=TEST_V2_CHANNEL_KEY,
        store_id=TEST_V2_STORE_ID,
        read_timeout=read_timeout,
        billing_keys=keys,
    )
    client.retry_delays = (0.01, 0.02)  # the same policy, only shorter
    return client


@pytest.fixture
def v2(sandbox_url: str) -> Iterator[PortOneV2Client]:
    with _client(sandbox_url + "/v2") as client:
        yield client


def _v2_state(sandbox_url: str) -> dict[str, Any]:
    answer = httpx.get(sandbox_url + "/__sandbox__/state", timeout=10)
    state: dict[str, Any] = answer.json()["response"]["v2"]
    return state


def test_a_charge_reads_as_our_payment(v2: PortOneV2Client) -> None:
    key = v2.issue_billing_key("gildong_4242", card(), buyer=None)
    assert key.customer_uid == "gildong_4242" and key.billing_key.startswith("billing-key-")
    assert (key.card_number, key.card_tail, key.card_name) == (
        "424242******4242",
        "**** 4242",
        "신한카드",
    )
    sale = order(12000)
    payment = v2.charge_again("gildong_4242", sale)
    assert payment.approved and payment.apply_num and payment.billing_key == key.billing_key
    assert payment.imp_uid == payment.merchant_uid == sale.merchant_uid
    assert (payment.amount, payment.refundable, payment.customer_uid) == (
        12000,
        12000,
        "gildong_4242",
    )
    assert payment.paid_at > 0 and payment.card_number == "424242******4242"
    assert v2.find_payment(sale.merchant_uid) == payment
    with pytest.raises(NotFound):
        v2.find_payment(sale.merchant_uid, "cancelled")


def test_a_decline_is_declined_and_stays_findable(v2: PortOneV2Client) -> None:
    v2.issue_billing_key("limit_0341", card(DECLINED))
    sale = order()
    with pytest.raises(Declined) as declined:
        v2.charge_again("limit_0341", sale)
    assert declined.value.message == "[8325]한도초과"
    found = v2.find_payment(sale.merchant_uid)
    assert found.declined and found.fail_reason == "[8325]한도초과"


def test_a_reused_payment_id_is_already_paid_with_the_payment(v2: PortOneV2Client) -> None:
    v2.issue_billing_key("gildong_4242", card())
    sale = order()
    paid = v2.charge_again("gildong_4242", sale)
    with pytest.raises(AlreadyPaid) as again:
        v2.charge_once(sale, card())
    assert again.value.payment == paid


def test_refunds_send_the_checksum_and_the_split(v2: PortOneV2Client, sandbox_url: str) -> None:
    sale = order(55000)
    sale = type(sale)(sale.merchant_uid, 55000, sale.name, tax_free=5000)
    v2.charge_once(sale, card())
    with pytest.raises(Refused):  # a stale view of what is left
        v2.cancel_payment(imp_uid=sale.merchant_uid, amount=1000, checksum=54000)
    part = v2.cancel_payment(
        imp_uid=sale.merchant_uid, amount=11000, checksum=55000, tax_free=1000, vat_amount=909
    )
    assert (part.status, part.cancel_amount, part.refundable) == ("paid", 11000, 44000)
    assert [h.amount for h in part.cancel_history] == [11000]
    rest = v2.cancel_payment(merchant_uid=sale.merchant_uid, checksum=44000, reason="전액")
    assert (rest.status, rest.refundable, rest.cancel_reason) == ("cancelled", 0, "전액")
    (stored,) = [p for p in _v2_state(sandbox_url)["payments"] if p["id"] == sale.merchant_uid]
    split = [
        (c["totalAmount"], c["taxFreeAmount"], c["vatAmount"]) for c in stored["cancellations"]
    ]
    assert split[0] == (11000, 1000, 909)
    with pytest.raises(Refused):
        v2.cancel_payment(imp_uid=sale.merchant_uid, checksum=0)


def test_unknown_and_deleted(v2: PortOneV2Client) -> None:
    with pytest.raises(NotFound):
        v2.get_payment("never-made")
    with pytest.raises(NotFound):
        v2.charge_again("nobody_0000", order())
    v2.issue_billing_key("gone_4242", card())
    assert v2.get_billing_keys(["gone_4242", "nobody_0000"])[0].customer_uid == "gone_4242"
    v2.delete_billing_key("gone_4242")
    with pytest.raises(NotFound):
        v2.get_billing_key("gone_4242")
    with pytest.raises(NotFound):
        v2.delete_billing_key("gone_4242")
    assert v2.get_billing_keys(["gone_4242"]) == []


def test_a_new_card_for_a_member_retires_the_old_key(v2: PortOneV2Client, sandbox_url: str) -> None:
    first = v2.issue_billing_key("gildong", card())
    second = v2.issue_billing_key("gildong", card("5555-5555-5555-4444"))
    keys = _v2_state(sandbox_url)["billing_keys"]
    assert keys[first.billing_key]["status"] == "DELETED"
    assert keys[second.billing_key]["status"] == "ISSUED"
    assert v2.charge_again("gildong", order()).billing_key == second.billing_key


def test_credentials(sandbox_url: str, v2: PortOneV2Client) -> None:
    v2.verify_credentials()
    with _client(sandbox_url + "/v2", secret="wrong") as wrong:
        with pytest.raises(AuthenticationFailed):
            wrong.verify_credentials()
        with pytest.raises(AuthenticationFailed):
            wrong.charge_once(order(), card())


def test_our_read_timeout_makes_a_slow_charge_unknown(sandbox_url: str) -> None:
    with _client(sandbox_url + "/v2") as setup:
        setup.issue_billing_key("slow_4242", card())
    fault(sandbox_url, CHARGE_WITH_KEY, "delay", delay_ms=1500)
    sale = order()
    impatient = _client(sandbox_url + "/v2", read_timeout=0.3)
    with impatient, pytest.raises(OutcomeUnknown) as lost:
        impatient.charge_again("slow_4242", sale)
    assert lost.value.merchant_uid == sale.merchant_uid and lost.value.payment is None
    done = threading.Event()
    with _client(sandbox_url + "/v2") as later:
        for _ in range(100):  # PortOne finishes after the client gave up
            try:
                assert later.find_payment(sale.merchant_uid).approved
                break
            except NotFound:
                done.wait(0.05)
        else:
            pytest.fail("the slow charge never completed")


@pytest.mark.parametrize(
    ("kind", "expected", "acted"),
    [
        ("error_500", Unavailable, False),
        ("drop_before", OutcomeUnknown, False),
        ("drop_after", OutcomeUnknown, True),
        ("malformed", OutcomeUnknown, True),
    ],
)
def test_sandbox_faults_on_a_charge(
    v2: PortOneV2Client, sandbox_url: str, kind: str, expected: type[PortOneError], acted: bool
) -> None:
    v2.issue_billing_key("gildong_4242", card())
    fault(sandbox_url, CHARGE_WITH_KEY, kind)
    sale = order()
    with pytest.raises(expected) as failed:
        v2.charge_again("gildong_4242", sale)
    if kind == "drop_after":  # the one lookup after a drop carries what it saw
        assert isinstance(failed.value, OutcomeUnknown) and failed.value.payment is not None
    if acted:
        assert v2.find_payment(sale.merchant_uid).approved
    else:
        with pytest.raises(NotFound):
            v2.find_payment(sale.merchant_uid)


def _replayed(status: int, body: bytes) -> Recorded:
    return Recorded(status, body, "written for this test")


@pytest.mark.parametrize(
    ("status", "body", "expected"),
    [
        (502, b"<html>Bad Gateway</html>", OutcomeUnknown),  # a proxy: PortOne may be acting
        (504, b"", OutcomeUnknown),
        (503, b"<html>Service Unavailable</html>", Unavailable),
        (500, json.dumps({"type": "SOMETHING_NEW", "message": "x"}).encode(), Unavailable),
        (
            502,
            json.dumps(
                {"type": "PG_PROVIDER", "message": "m", "pgCode": "2116", "pgMessage": "한도초과"}
            ).encode(),
            Declined,
        ),
        (409, json.dumps({"type": "ALREADY_PAID", "message": "이미"}).encode(), AlreadyPaid),
        (200, b'{"payment": {"pgTxId": "x"', OutcomeUnknown),  # cut short
    ],
)
def test_answers_the_sandbox_does_not_give(
    status: int, body: bytes, expected: type[PortOneError]
) -> None:
    script = Script()
    script.on("POST", "/payments/p-1/billing-key", _replayed(status, body))
    with replaying(script) as base:
        client = _client(base, keys=lambda uid: "billing-key-x")
        with client, pytest.raises(expected):
            client.charge_again("m", type(order())("p-1", 1000, "회비"))


def test_a_payment_shape_the_sdk_cannot_type_is_unavailable_on_a_lookup() -> None:
    script = Script()
    script.on("GET", "/payments/p-2", _replayed(200, b'{"status": "SOMETHING_NEW", "id": "p-2"}'))
    with replaying(script) as base, _client(base) as client, pytest.raises(Unavailable):
        client.get_payment("p-2")
    assert len(script.asked) == 3  # a lookup is asked again, as in V1


def _exposed(error: BaseException) -> str:
    parts = [str(error), repr(error), "".join(traceback.format_exception(error))]
    assert error.__cause__ is None and error.__context__ is None  # nothing of the SDK or httpx
    return "\n".join(parts)


@pytest.mark.parametrize(
    ("number", "pin", "kind", "expected"),
    [
        (APPROVED, "47", "drop_after", OutcomeUnknown),
        (APPROVED, "47", "drop_before", OutcomeUnknown),
        (APPROVED, "47", "malformed", OutcomeUnknown),
        (APPROVED, "47", "error_500", Unavailable),
        (APPROVED, "99", None, Declined),  # the card company refuses the card
    ],
)
def test_card_calls_leak_nothing(
    v2: PortOneV2Client,
    sandbox_url: str,
    caplog: pytest.LogCaptureFixture,
    number: str,
    pin: str,
    kind: str | None,
    expected: type[PortOneError],
) -> None:
    caplog.set_level(logging.DEBUG)
    digits = number.replace("-", "")
    calls: list[tuple[str, Callable[[], object]]] = [
        (INSTANT, lambda: v2.charge_once(order(), card(number, pin2=pin))),
        (ISSUE, lambda: v2.issue_billing_key("secret_0001", card(number, pin2=pin))),
    ]
    for endpoint, call in calls:
        if kind is not None:
            fault(sandbox_url, endpoint, kind)
        with pytest.raises(PortOneError) as caught:
            call()
        if endpoint == INSTANT:
            assert isinstance(caught.value, expected)
        text = _exposed(caught.value)
        for secret in (digits, digits[:8], number, "900101", "2030-12", "3012"):
            assert secret not in text
            assert secret not in caplog.text
        for name in ("expiryYear", "birthOrBusinessRegistrationNumber", "passwordTwoDigits"):
            assert name not in caplog.text
