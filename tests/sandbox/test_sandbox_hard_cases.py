"""The hard cases of issue 11: PortOne finishing a charge after the client gave up, and a slow
card company whose payment `find` cannot see until it completes. Real HTTP, real timeouts."""

from __future__ import annotations

import threading
from typing import Any

import httpx
import pytest
from sandbox_helpers import body, card, paid_count

AGAIN = "/subscribe/payments/again"
ONETIME = "/subscribe/payments/onetime"
DELAY_MS = 1500


def wait_until_idle(client: httpx.Client) -> None:
    """Wait (not a timing assertion) until the sandbox serves no PortOne request."""
    pause = threading.Event()
    for _ in range(600):
        if body(client.get("/__sandbox__/in_flight"))["response"] == []:
            return
        pause.wait(0.05)
    pytest.fail("the sandbox never finished the delayed request")


def log_of(client: httpx.Client, path: str) -> list[dict[str, Any]]:
    return [e for e in body(client.get("/__sandbox__/requests"))["response"] if e["path"] == path]


@pytest.fixture
def saved(api: httpx.Client) -> httpx.Client:
    assert body(api.post("/subscribe/customers/c1", json=card()))["code"] == 0
    return api


@pytest.mark.parametrize("endpoint", [AGAIN, ONETIME])
def test_a_charge_is_recorded_even_after_the_client_gave_up(
    saved: httpx.Client, endpoint: str
) -> None:
    saved.post(
        "/__sandbox__/faults", json={"endpoint": endpoint, "kind": "delay", "delay_ms": DELAY_MS}
    )
    sent: dict[str, object] = {"merchant_uid": "gone", "amount": 1000, "name": "x"}
    sent.update({"customer_uid": "c1"} if endpoint == AGAIN else card())
    impatient = httpx.Client(
        base_url=str(saved.base_url),
        headers=saved.headers,
        timeout=httpx.Timeout(10, read=DELAY_MS / 10_000),
    )
    with impatient, pytest.raises(httpx.ReadTimeout):
        impatient.post(endpoint, json=sent)
    # The client has closed its connection; PortOne is still waiting for the card company.
    in_flight = body(saved.get("/__sandbox__/in_flight"))["response"]
    assert [(r["method"], r["path"]) for r in in_flight] == [("POST", endpoint)]
    assert saved.get("/payments/find/gone").status_code == 404
    wait_until_idle(saved)
    # It finished anyway: paid at PortOne, visible to `find` and to the audit.
    assert paid_count(saved, "gone") == 1
    found = body(saved.get("/payments/find/gone"))
    assert found["response"]["status"] == "paid"
    entry = log_of(saved, endpoint)[-1]
    assert entry["client_gone"] is True and entry["status"] == 200


def test_a_slow_card_company_payment_is_invisible_until_it_completes(saved: httpx.Client) -> None:
    saved.post(
        "/__sandbox__/faults", json={"endpoint": AGAIN, "kind": "delay", "delay_ms": DELAY_MS}
    )
    answers: list[dict[str, Any]] = []
    sent = {"customer_uid": "c1", "merchant_uid": "slow", "amount": 1000, "name": "x"}

    def patient() -> None:
        with httpx.Client(base_url=str(saved.base_url), headers=saved.headers, timeout=30) as c:
            answers.append(body(c.post(AGAIN, json=sent)))

    thread = threading.Thread(target=patient)
    thread.start()
    try:
        pause = threading.Event()
        for _ in range(600):  # until the request is held by the sandbox
            if body(saved.get("/__sandbox__/in_flight"))["response"]:
                break
            pause.wait(0.01)
        # While the card company thinks, PortOne has nothing to show under that order id.
        assert saved.get("/payments/find/slow").status_code == 404
        assert paid_count(saved, "slow") == 0
    finally:
        thread.join()
    assert answers[0]["code"] == 0 and answers[0]["response"]["status"] == "paid"
    assert body(saved.get("/payments/find/slow"))["response"]["status"] == "paid"
    assert log_of(saved, AGAIN)[-1]["client_gone"] is False


def test_a_second_send_during_the_wait_is_refused_once_the_first_completes(
    saved: httpx.Client,
) -> None:
    # The client that gave up must not send again; if something does, PortOne charges once:
    # the first request completes later and finds the order already paid.
    saved.post(
        "/__sandbox__/faults", json={"endpoint": AGAIN, "kind": "delay", "delay_ms": DELAY_MS}
    )
    sent = {"customer_uid": "c1", "merchant_uid": "twice", "amount": 1000, "name": "x"}
    impatient = httpx.Client(
        base_url=str(saved.base_url),
        headers=saved.headers,
        timeout=httpx.Timeout(10, read=DELAY_MS / 10_000),
    )
    with impatient, pytest.raises(httpx.ReadTimeout):
        impatient.post(AGAIN, json=sent)
    assert body(saved.post(AGAIN, json=sent))["code"] == 0
    wait_until_idle(saved)
    assert paid_count(saved, "twice") == 1
