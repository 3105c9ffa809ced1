"""Gateway parts that need no server: URL rule, JSON models, answer interpretation, token cache."""

from __future__ import annotations

import json
import socket
import threading
from typing import Any

import pytest

from pos_app.gateway import (
    AuthenticationFailed,
    InsecureBaseURL,
    NotFound,
    OutcomeUnknown,
    Payment,
    PaymentPage,
    PortOneClient,
    Refused,
    Token,
    Unavailable,
)
from pos_app.gateway.answers import Subject, interpret
from pos_app.gateway.token import TokenCache
from pos_app.gateway.wire import Reply

PAID = {
    "imp_uid": "imp_123456789012",
    "merchant_uid": "m-1",
    "status": "paid",
    "amount": 15000,
    "cancel_amount": 5000,
    "apply_num": "30012345",
    "card_name": "신한카드",
    "card_code": "366",
    "card_number": "424242******4242",
    "card_type": 0,
    "card_quota": 0,
    "name": "커피",
    "paid_at": 1_790_000_000,
    "failed_at": 0,
    "cancelled_at": 0,
    "fail_reason": None,
    "receipt_url": "https://example.test/r",
    "customer_uid": None,
    "cancel_history": [
        {"pg_tid": "t", "amount": 5000, "cancelled_at": 1, "reason": "부분", "receipt_url": ""}
    ],
    "some_future_field": {"ignored": True},
}


@pytest.mark.parametrize(
    "url",
    [
        "https://api.iamport.kr",
        "http://127.0.0.1:8765",
        "http://127.9.9.9",
        "http://localhost:1234/",
        "http://[::1]:9000",
    ],
)
def test_https_or_loopback_http_is_accepted(url: str) -> None:
    with PortOneClient(url, "k", "s") as client:
        assert client.base_url == url.rstrip("/")


@pytest.mark.parametrize(
    "url", ["http://api.iamport.kr", "http://192.168.0.10:8000", "ftp://127.0.0.1", "nonsense"]
)
def test_plain_http_off_this_computer_is_refused(url: str) -> None:
    with pytest.raises(InsecureBaseURL, match="https://"):
        PortOneClient(url, "k", "s")


def test_payment_model_reads_portone_json_leniently() -> None:
    payment = Payment.from_json(PAID)
    assert payment.approved and not payment.declined
    assert payment.refundable == 10000
    assert payment.fail_reason == "" and payment.customer_uid is None
    assert payment.cancel_history[0].amount == 5000
    failed = Payment.from_json({**PAID, "status": "failed", "fail_reason": "[8325]한도초과"})
    assert failed.declined and failed.refundable == 0
    page = PaymentPage.from_json({"total": 1, "previous": 0, "next": 0, "list": [PAID]})
    assert page.payments == [payment]


def test_token_repr_hides_the_token() -> None:
    token = Token.from_json({"access_token": "abc123secret", "now": 100, "expired_at": 1900})
    assert "abc123secret" not in repr(token)
    assert token.lifetime == 1800


def _reply(status: int, body: Any) -> Reply:
    return Reply(status, body if isinstance(body, bytes) else json.dumps(body).encode())


def test_any_nonzero_code_is_refused_with_the_message_verbatim() -> None:
    for code in (-1, 1):
        message = "[F112]유효하지않은 카드번호를 입력하셨습니다."
        result = interpret(_reply(200, {"code": code, "message": message}), None, auth=True)
        assert isinstance(result, Refused) and not isinstance(result, NotFound)
        assert result.message == message and str(result) == message


def test_both_not_found_forms() -> None:
    missing = "요청하신 customer_uid(x)로 등록된 정보를 찾을 수 없습니다."
    code1 = interpret(
        _reply(200, {"code": 1, "message": missing, "response": None}), None, auth=True
    )
    http404 = interpret(
        _reply(404, {"code": -1, "message": "존재하지 않는 결제정보입니다."}), None, auth=True
    )
    assert isinstance(code1, NotFound) and code1.message == missing
    assert isinstance(http404, NotFound) and http404.http_status == 404


def test_failures_of_a_charge_answer() -> None:
    subject = Subject("결제", "m-9", None)
    unknown = interpret(_reply(200, b"<html>oops"), subject, auth=True)
    assert isinstance(unknown, OutcomeUnknown) and unknown.merchant_uid == "m-9"
    gateway_timeout = interpret(_reply(504, b""), subject, auth=True)
    assert isinstance(gateway_timeout, OutcomeUnknown)
    server_error = interpret(_reply(500, b"Internal Server Error"), subject, auth=True)
    assert isinstance(server_error, Unavailable)
    bad_key = {"code": -1, "message": "인증에 실패하였습니다. API키와 secret을 확인하세요."}
    assert isinstance(interpret(_reply(401, bad_key), None, auth=False), AuthenticationFailed)


def test_token_cache_refreshes_before_expiry_by_the_servers_clock() -> None:
    now = [1000.0]
    issued: list[Token] = []

    def fetch() -> Token:
        # Server clock far ahead of ours: only the difference expired_at - now matters.
        token = Token(f"t{len(issued)}", 5_000_000, 5_000_000 + 1800)
        issued.append(token)
        return token

    cache = TokenCache(fetch, clock=lambda: now[0])
    assert cache.token() == "t0"
    now[0] += 1800 - 61  # one second before the 60 s margin
    assert cache.token() == "t0"
    now[0] += 2
    assert cache.token() == "t1"
    assert cache.fetch_count == 2


def test_token_cache_refreshes_once_for_many_threads_after_a_401() -> None:
    fetched = threading.Semaphore(0)
    calls = []

    def fetch() -> Token:
        calls.append(1)
        fetched.release()
        return Token(f"t{len(calls)}", 0, 1800)

    cache = TokenCache(fetch)
    _, generation = cache.headers()
    results: list[str] = []
    workers = [
        threading.Thread(
            target=lambda: results.append(cache.refresh(generation)[0]["Authorization"])
        )
        for _ in range(8)
    ]
    for w in workers:
        w.start()
    for w in workers:
        w.join()
    assert len(calls) == 2  # the first token, then exactly one renewal
    assert set(results) == {"Bearer t2"}


def _closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def test_nothing_listening_is_unavailable_after_retries() -> None:
    with PortOneClient(f"http://127.0.0.1:{_closed_port()}", "k", "s") as client:
        client.retry_delays = (0.0, 0.0)
        with pytest.raises(Unavailable, match="연결하지 못했습니다"):
            client.get_token()
