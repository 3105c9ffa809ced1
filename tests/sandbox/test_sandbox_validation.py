"""Bad requests get PortOne-shaped answers naming the problem: never HTML, never a crash."""

from __future__ import annotations

import httpx
import pytest
from sandbox_helpers import body, card

AGAIN = "/subscribe/payments/again"
GOOD = {"customer_uid": "c1", "merchant_uid": "m1", "amount": 1000, "name": "x"}


@pytest.mark.parametrize(
    "raw",
    [b"{not json", b"[1, 2]", b'"text"', b"\xff\xfe", b'{"amount": 1000'],
)
def test_body_that_is_not_a_json_object(api: httpx.Client, raw: bytes) -> None:
    answer = api.post(AGAIN, content=raw, headers={"Content-Type": "application/json"})
    assert answer.status_code == 400
    assert answer.headers["content-type"].startswith("application/json")
    data = body(answer)
    assert data["code"] == -1 and data["response"] is None and "JSON" in data["message"]


@pytest.mark.parametrize("field", ["customer_uid", "merchant_uid", "amount"])
def test_missing_field_is_named(api: httpx.Client, field: str) -> None:
    sent = {k: v for k, v in GOOD.items() if k != field}
    answer = api.post(AGAIN, json=sent)
    assert answer.status_code == 400
    assert body(answer)["message"] == f"파라미터 누락: {field}"  # PortOne's words (§7)


def test_missing_card_field_is_named(api: httpx.Client) -> None:
    sent = card()
    del sent["expiry"]
    answer = api.post("/subscribe/customers/c1", json=sent)
    assert answer.status_code == 400 and "expiry" in body(answer)["message"]


@pytest.mark.parametrize(
    ("field", "value"),
    [("amount", "a lot"), ("amount", [1000]), ("amount", True), ("merchant_uid", {"a": 1})],
)
def test_wrong_type(api: httpx.Client, field: str, value: object) -> None:
    answer = api.post(AGAIN, json={**GOOD, field: value})
    assert answer.status_code == 400
    assert field in body(answer)["message"]


@pytest.mark.parametrize("amount", [0, -1000, "0"])
def test_amount_must_be_positive(api: httpx.Client, amount: object) -> None:
    answer = api.post(AGAIN, json={**GOOD, "amount": amount})
    assert answer.status_code == 400 and "amount" in body(answer)["message"]


def test_merchant_uid_shape(api: httpx.Client) -> None:
    for bad in ("주문1", "a" * 41, "has space"):
        answer = api.post(AGAIN, json={**GOOD, "merchant_uid": bad})
        assert answer.status_code == 400 and "merchant_uid" in body(answer)["message"]


def test_form_body_with_wrong_type(api: httpx.Client) -> None:
    answer = api.post(AGAIN, data={**GOOD, "amount": "12,000"})
    assert answer.status_code == 400 and "amount" in body(answer)["message"]


def test_contradicting_form_keys(api: httpx.Client) -> None:
    answer = api.post(
        "/subscribe/payments/schedule",
        content=b"customer_uid=c1&schedules=1&schedules[0][amount]=2",
        headers={"Content-Type": "application/x-www-form-urlencoded"},
    )
    assert answer.status_code == 400 and body(answer)["code"] == -1


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("GET", "/nowhere"),
        ("POST", "/payments/find/a/b/c"),
        ("GET", "/"),
        ("GET", "/__sandbox__/x"),
    ],
)
def test_unknown_path_is_a_404_envelope(anon: httpx.Client, method: str, path: str) -> None:
    answer = anon.request(method, path)
    assert answer.status_code == 404
    assert answer.headers["content-type"].startswith("application/json")
    assert body(answer)["code"] == -1


def test_wrong_method_is_a_405_envelope(api: httpx.Client) -> None:
    for method, path in (("GET", AGAIN), ("PUT", "/subscribe/customers/c1")):
        answer = api.request(method, path)
        assert answer.status_code == 405 and body(answer)["code"] == -1


def test_body_without_content_type_is_read_as_form_or_json(api: httpx.Client) -> None:
    api.post("/subscribe/customers/c1", json=card())
    raw = b"customer_uid=c1&merchant_uid=m1&amount=1000&name=x"
    answer = api.post(AGAIN, content=raw)
    assert body(answer)["response"]["status"] == "paid"
    answer = api.post(AGAIN, content=b'{"customer_uid": "c1", "merchant_uid": "m2", "amount": 5}')
    assert body(answer)["response"]["status"] == "paid"


def test_multipart_form_body(api: httpx.Client) -> None:
    fields = card()
    answer = api.post("/subscribe/customers/c1", data=fields, files={"unused": b"x"})
    assert answer.request.headers["content-type"].startswith("multipart/form-data")
    assert body(answer)["response"]["card_number"] == "424242******4242"
    broken = api.post(
        "/subscribe/customers/c1",
        content=b"--nope\r\n",
        headers={"Content-Type": "multipart/form-data; boundary=xyz"},
    )
    assert broken.status_code == 400 and body(broken)["code"] == -1
