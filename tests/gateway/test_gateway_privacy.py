"""Card data never reaches logs or exceptions, whatever happens to a card call; timeouts."""

from __future__ import annotations

import logging
import threading
import traceback
from collections.abc import Callable, Iterator

import pytest
from gateway_helpers import (
    REFUSED,
    admin,
    card,
    fault,
    order,
    requests_log,
    sandbox_payments,
)

from pos_app.gateway import (
    AuthenticationFailed,
    NotFound,
    OutcomeUnknown,
    PortOneClient,
    PortOneError,
    Refused,
    Unavailable,
)
from pos_app.sandbox import TEST_IMP_KEY, TEST_IMP_SECRET

ONETIME = "/subscribe/payments/onetime"
ISSUE = "/subscribe/customers/secret_0001"
AGAIN = "/subscribe/payments/again"


def _exposed(error: BaseException) -> str:
    """Everything an error handler could print: message, repr, chain and formatted traceback."""
    parts = [str(error), repr(error), "".join(traceback.format_exception(error))]
    assert error.__cause__ is None and error.__context__ is None  # no httpx request attached
    return "\n".join(parts)


@pytest.mark.parametrize(
    ("number", "kind", "expected"),
    [
        ("4242-4242-4242-4242", "drop_after", OutcomeUnknown),
        ("4242-4242-4242-4242", "drop_before", OutcomeUnknown),  # a 404 after it proves nothing
        ("4242-4242-4242-4242", "malformed", OutcomeUnknown),
        ("4242-4242-4242-4242", "error_500", Unavailable),
        (REFUSED, None, Refused),
    ],
)
def test_card_calls_leak_nothing(
    client: PortOneClient,
    sandbox_url: str,
    caplog: pytest.LogCaptureFixture,
    number: str,
    kind: str | None,
    expected: type[PortOneError],
) -> None:
    caplog.set_level(logging.DEBUG)
    digits = number.replace("-", "")
    calls: list[tuple[str, Callable[[], object]]] = [
        (ONETIME, lambda: client.charge_once(order(), card(number, pin2="47"))),
        (ISSUE, lambda: client.issue_billing_key("secret_0001", card(number, pin2="47"))),
    ]
    for endpoint, call in calls:
        if kind is not None:
            fault(sandbox_url, endpoint, kind)
        with pytest.raises(PortOneError) as caught:
            call()
        if endpoint == ONETIME:
            assert isinstance(caught.value, expected)
        text = _exposed(caught.value)
        for secret in (digits, digits[:8], number, "900101", "2030-12"):
            assert secret not in text
            assert secret not in caplog.text
        assert '"pwd_2digit"' not in caplog.text and '"birth"' not in caplog.text


def test_read_timeout_on_a_charge_is_outcome_unknown_and_not_resent(
    customer_client: PortOneClient, sandbox_url: str
) -> None:
    fault(sandbox_url, AGAIN, "delay", delay_ms=800)
    the_order = order()
    with pytest.raises(OutcomeUnknown) as unknown:
        customer_client.charge_again("slow_0001_4242", the_order)
    assert unknown.value.merchant_uid == the_order.merchant_uid
    assert unknown.value.payment is None  # no premature lookup: the server is still working
    # Sent once; whatever the server made of it, at most one payment can exist. The sandbox
    # logs the request when it finishes with it, after the injected delay.
    charges: list[str] = []
    for _ in range(100):
        charges = [r["path"] for r in requests_log(sandbox_url) if r["path"] == AGAIN]
        if charges:
            break
        threading.Event().wait(0.05)
    assert charges == [AGAIN]
    assert len(sandbox_payments(sandbox_url, the_order.merchant_uid)) <= 1


def test_a_charge_portone_finishes_after_the_client_timed_out_is_found_only_then(
    customer_client: PortOneClient, sandbox_url: str
) -> None:
    # Issue 11: the client gives up (read timeout 0.3 s), PortOne goes on waiting for a slow
    # card company. Meanwhile `find` has nothing (a 404 that proves nothing, §6); afterwards the
    # payment is there. Real HTTP, a real timeout.
    fault(sandbox_url, AGAIN, "delay", delay_ms=1500)
    the_order = order()
    with pytest.raises(OutcomeUnknown):
        customer_client.charge_again("slow_0001_4242", the_order)
    with pytest.raises(NotFound):
        customer_client.find_payment(the_order.merchant_uid)
    pause = threading.Event()
    for _ in range(600):  # wait for the sandbox to finish (a wait, not a timing assertion)
        if not admin(sandbox_url, "GET", "in_flight")["response"]:
            break
        pause.wait(0.05)
    assert customer_client.find_payment(the_order.merchant_uid).approved
    assert [p["status"] for p in sandbox_payments(sandbox_url, the_order.merchant_uid)] == ["paid"]
    assert [r["client_gone"] for r in requests_log(sandbox_url) if r["path"] == AGAIN] == [True]


@pytest.fixture
def customer_client(sandbox_url: str) -> Iterator[PortOneClient]:
    with PortOneClient(sandbox_url, TEST_IMP_KEY, TEST_IMP_SECRET, read_timeout=0.3) as c:
        c.issue_billing_key("slow_0001_4242", card())
        yield c


def test_token_refused_twice_on_a_charge_is_authentication_failed_and_unpaid(
    client: PortOneClient, sandbox_url: str
) -> None:
    client.issue_billing_key("twice_0001_4242", card())
    fault(sandbox_url, "/subscribe/payments/again", "expire_token", times=2)
    the_order = order()
    with pytest.raises(AuthenticationFailed):
        client.charge_again("twice_0001_4242", the_order)
    assert sandbox_payments(sandbox_url, the_order.merchant_uid) == []


def test_missing_credentials_fail_authentication(sandbox_url: str) -> None:
    with PortOneClient(sandbox_url, "", "") as client, pytest.raises(AuthenticationFailed):
        client.get_token()
