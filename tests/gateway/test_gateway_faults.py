"""Token reuse and every failure shape, injected by the sandbox over real HTTP."""

from __future__ import annotations

import threading

import pytest
from gateway_helpers import (
    advance_clock,
    card,
    fault,
    order,
    requests_log,
    sandbox_payments,
    token_requests,
)

from pos_app.gateway import OutcomeUnknown, PortOneClient, Unavailable
from pos_app.sandbox import TEST_IMP_KEY, TEST_IMP_SECRET

AGAIN = "/subscribe/payments/again"
ONETIME = "/subscribe/payments/onetime"


@pytest.fixture
def customer(client: PortOneClient) -> str:
    client.issue_billing_key("regular_0001_4242", card())
    return "regular_0001_4242"


def _paid(sandbox_url: str, merchant_uid: str) -> list[str]:
    return [
        p["status"] for p in sandbox_payments(sandbox_url, merchant_uid) if p["status"] == "paid"
    ]


def test_a_hundred_charges_use_one_token(
    client: PortOneClient, customer: str, sandbox_url: str
) -> None:
    for _ in range(100):
        assert client.charge_again(customer, order()).approved
    assert token_requests(sandbox_url) == 1
    assert client.token_requests == 1


def test_expired_token_is_renewed_once_and_the_charge_goes_through(
    client: PortOneClient, customer: str, sandbox_url: str
) -> None:
    fault(sandbox_url, AGAIN, "expire_token")
    the_order = order()
    assert client.charge_again(customer, the_order).approved
    statuses = [(r["path"], r["status"]) for r in requests_log(sandbox_url)]
    assert statuses[-3:] == [(AGAIN, 401), ("/users/getToken", 200), (AGAIN, 200)]
    assert _paid(sandbox_url, the_order.merchant_uid) == ["paid"]


@pytest.mark.parametrize("kind", ["drop_after", "malformed"])
@pytest.mark.parametrize("endpoint", [AGAIN, ONETIME])
def test_lost_answer_after_acting_is_outcome_unknown(
    client: PortOneClient, customer: str, sandbox_url: str, kind: str, endpoint: str
) -> None:
    fault(sandbox_url, endpoint, kind)
    the_order = order()
    with pytest.raises(OutcomeUnknown) as unknown:
        if endpoint == AGAIN:
            client.charge_again(customer, the_order)
        else:
            client.charge_once(the_order, card())
    assert unknown.value.merchant_uid == the_order.merchant_uid
    assert "4242-4242" not in str(unknown.value) and unknown.value.__cause__ is None
    # After a drop the client looked once and saw the payment; a 200 it could not read needs
    # no look: the server answered, so it acted.
    seen = unknown.value.payment
    assert (seen is not None and seen.approved) if kind == "drop_after" else seen is None
    assert _paid(sandbox_url, the_order.merchant_uid) == ["paid"]  # sent once, charged once
    # Resolution is a lookup, never a resend.
    assert client.find_payment(the_order.merchant_uid).approved


@pytest.mark.parametrize("endpoint", [AGAIN, ONETIME])
def test_a_server_error_before_acting_is_unavailable_and_nothing_is_paid(
    client: PortOneClient, customer: str, sandbox_url: str, endpoint: str
) -> None:
    fault(sandbox_url, endpoint, "error_500")
    the_order = order()
    with pytest.raises(Unavailable):
        if endpoint == AGAIN:
            client.charge_again(customer, the_order)
        else:
            client.charge_once(the_order, card())
    assert _paid(sandbox_url, the_order.merchant_uid) == []
    assert [r["path"] for r in requests_log(sandbox_url)].count(endpoint) == 1  # never resent
    # Nothing happened, so the same order id can be charged now.
    if endpoint == AGAIN:
        assert client.charge_again(customer, the_order).approved
    else:
        assert client.charge_once(the_order, card()).approved


@pytest.mark.parametrize("endpoint", [AGAIN, ONETIME])
def test_a_dropped_charge_is_outcome_unknown_even_when_find_has_nothing(
    client: PortOneClient, customer: str, sandbox_url: str, endpoint: str
) -> None:
    # A 404 from `find` right after a drop proves nothing: PortOne may still be working on it
    # (portone-v1.md §6). This used to say Unavailable, "not processed" (issue 12).
    fault(sandbox_url, endpoint, "drop_before")
    the_order = order()
    with pytest.raises(OutcomeUnknown) as unknown:
        if endpoint == AGAIN:
            client.charge_again(customer, the_order)
        else:
            client.charge_once(the_order, card())
    assert unknown.value.merchant_uid == the_order.merchant_uid
    assert unknown.value.payment is None  # the one lookup found nothing yet
    assert _paid(sandbox_url, the_order.merchant_uid) == []
    assert [r["path"] for r in requests_log(sandbox_url)].count(endpoint) == 1  # never resent


def test_lookups_retry_past_server_errors_and_drops(
    client: PortOneClient, customer: str, sandbox_url: str
) -> None:
    payment = client.charge_again(customer, order())
    path = f"/payments/{payment.imp_uid}"
    fault(sandbox_url, path, "error_500", times=2)
    assert client.get_payment(payment.imp_uid) == payment
    fault(sandbox_url, path, "drop_after", times=1)
    assert client.get_payment(payment.imp_uid) == payment
    fault(sandbox_url, path, "error_500", times=3)
    with pytest.raises(Unavailable):
        client.get_payment(payment.imp_uid)


def test_token_request_retries_past_a_server_error(client: PortOneClient, sandbox_url: str) -> None:
    fault(sandbox_url, "/users/getToken", "error_500", times=2)
    assert client.get_token()
    assert token_requests(sandbox_url) == 3


def test_token_is_refreshed_shortly_before_it_expires(customer: str, sandbox_url: str) -> None:
    # The sandbox clock runs a day ahead of ours: only the token's lifetime (expired_at - now)
    # may matter, never the two clocks' difference.
    advance_clock(sandbox_url, 86400)
    local = [0.0]
    with PortOneClient(
        sandbox_url, TEST_IMP_KEY, TEST_IMP_SECRET, clock=lambda: local[0]
    ) as client:
        first = client.get_token()
        assert client.charge_again(customer, order()).approved
        # 28 minutes later on both clocks: still inside the token, no request for a new one.
        advance_clock(sandbox_url, 28 * 60)
        local[0] += 28 * 60
        assert client.charge_again(customer, order()).approved
        assert client.token_requests == 1
        # Into the last minute: refreshed before the charge, which never sees a 401.
        advance_clock(sandbox_url, 90)
        local[0] += 90
        assert client.charge_again(customer, order()).approved
        assert client.token_requests == 2
        assert client.get_token() == first  # PortOne extends a token asked for in its last minute
    statuses = [r["status"] for r in requests_log(sandbox_url)]
    assert 401 not in statuses


def test_a_token_the_server_expired_is_renewed_on_401(
    client: PortOneClient, customer: str, sandbox_url: str
) -> None:
    first = client.get_token()
    advance_clock(sandbox_url, 31 * 60)  # our clock has not moved: the server's answer decides
    assert client.charge_again(customer, order()).approved
    assert client.get_token() != first
    assert token_requests(sandbox_url) == 2


def test_threads_sharing_one_client_get_one_token(
    client: PortOneClient, customer: str, sandbox_url: str
) -> None:
    start = threading.Barrier(8)
    approved: list[bool] = []
    failures: list[BaseException] = []

    def work() -> None:
        try:
            start.wait()
            for _ in range(5):
                approved.append(client.charge_again(customer, order()).approved)
        except BaseException as exc:  # reported below; a thread must not swallow it
            failures.append(exc)

    threads = [threading.Thread(target=work, name=f"till-{i}") for i in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not failures and approved == [True] * 40
    assert token_requests(sandbox_url) == 1
