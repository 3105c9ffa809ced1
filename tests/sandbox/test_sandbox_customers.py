"""Billing keys: /subscribe/customers/{customer_uid} (POST/GET/DELETE), lists and payments."""

from __future__ import annotations

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
)


@pytest.mark.parametrize(
    ("number", "name", "code", "card_type", "masked"),
    [
        (VISA, "신한카드", "366", 0, "424242******4242"),
        (MASTER, "KB국민카드", "381", 0, "555555******4444"),
        (BC_CHECK, "BC카드", "361", 1, "949000******0008"),
        (AMEX, "AMEX", "AMX", 0, "378282*****0005"),
        (DECLINES, "현대카드", "367", 0, "400000******0341"),
        (OTHER_VALID, "롯데카드", "368", 0, "601111******1117"),
    ],
)
def test_issue_billing_key_per_test_card(
    api: httpx.Client, number: str, name: str, code: str, card_type: int, masked: str
) -> None:
    answer = api.post(
        "/subscribe/customers/gildong_0001", json=card(number, customer_name="홍길동")
    )
    data = body(answer)
    assert answer.status_code == 200 and data["code"] == 0
    customer = data["response"]
    assert customer["customer_uid"] == "gildong_0001"
    assert (customer["card_name"], customer["card_code"], customer["card_type"]) == (
        name,
        code,
        card_type,
    )
    assert customer["card_number"] == masked
    assert customer["customer_name"] == "홍길동"
    assert customer["inserted"] == customer["updated"] and customer["sandbox"] is True
    assert number.replace("-", "") not in answer.text


@pytest.mark.parametrize(
    ("fields", "message_part"),
    [
        (card(AUTH_FAILS), "카드인증에 실패"),
        (card(EXPIRED), "만료"),
        (card(LUHN_FAILS), "[F112]유효하지않은 카드번호를 입력하셨습니다."),
        (card(VISA, pwd_2digit="99"), "카드인증에 실패"),
        (card(VISA, expiry="2020-01"), "카드인증에 실패"),
        (card(VISA, expiry="12/30"), "유효기간"),
        (card(VISA, birth="1234"), "생년월일"),
    ],
)
def test_refused_cards_get_code_minus_1(
    api: httpx.Client, fields: dict[str, str], message_part: str
) -> None:
    answer = api.post("/subscribe/customers/gildong_0001", json=fields)
    data = body(answer)
    assert answer.status_code == 200
    assert data["code"] == -1 and data["response"] is None
    assert message_part in data["message"]
    assert api.get("/subscribe/customers/gildong_0001").status_code == 404


def test_corporate_card_without_pin_digits(api: httpx.Client) -> None:
    fields = card(VISA, birth="1234567890")
    del fields["pwd_2digit"]
    assert body(api.post("/subscribe/customers/corp_1", json=fields))["code"] == 0


def test_form_encoded_issue(api: httpx.Client) -> None:
    answer = api.post("/subscribe/customers/form_1", data=card(MASTER))
    assert body(answer)["response"]["card_code"] == "381"


def test_issue_again_replaces_the_card(api: httpx.Client) -> None:
    first = body(api.post("/subscribe/customers/c1", json=card(VISA)))["response"]
    api.post("/__sandbox__/clock", json={"advance_s": 60})
    second = body(api.post("/subscribe/customers/c1", json=card(MASTER)))["response"]
    assert second["inserted"] == first["inserted"]
    assert second["updated"] > second["inserted"]
    assert body(api.get("/subscribe/customers/c1"))["response"]["card_code"] == "381"


def test_get_and_delete(api: httpx.Client) -> None:
    api.post("/subscribe/customers/c1", json=card())
    got = api.get("/subscribe/customers/c1")
    assert got.status_code == 200 and body(got)["response"]["customer_uid"] == "c1"
    deleted = api.delete("/subscribe/customers/c1", params={"reason": "해지"})
    assert deleted.status_code == 200 and body(deleted)["response"]["customer_uid"] == "c1"
    missing = api.get("/subscribe/customers/c1")
    assert missing.status_code == 404
    assert body(missing)["message"] == (
        "요청하신 customer_uid(c1)로 등록된 정보를 찾을 수 없습니다."
    )
    assert api.delete("/subscribe/customers/c1").status_code == 404


def test_list_lookup_is_200_207_404(api: httpx.Client) -> None:
    api.post("/subscribe/customers/a", json=card())
    api.post("/subscribe/customers/b", json=card(MASTER))
    both = api.get("/subscribe/customers", params={"customer_uid[]": ["a", "b"]})
    assert both.status_code == 200
    assert [c["customer_uid"] for c in body(both)["response"]] == ["a", "b"]
    some = api.get("/subscribe/customers", params={"customer_uid[]": ["a", "zz"]})
    assert some.status_code == 207 and len(body(some)["response"]) == 1
    none = api.get("/subscribe/customers", params={"customer_uid[]": ["zz"]})
    assert none.status_code == 404 and body(none)["code"] != 0
    assert api.get("/subscribe/customers").status_code == 400


def test_customer_payments_are_paged_newest_first(api: httpx.Client) -> None:
    api.post("/subscribe/customers/c1", json=card())
    for n in range(25):
        charge = {"customer_uid": "c1", "merchant_uid": f"order-{n}", "amount": 1000, "name": "x"}
        assert body(api.post("/subscribe/payments/again", json=charge))["code"] == 0
    first = body(api.get("/subscribe/customers/c1/payments", params={"page": 1}))["response"]
    assert (first["total"], first["previous"], first["next"]) == (25, 0, 2)
    assert len(first["list"]) == 20 and first["list"][0]["merchant_uid"] == "order-24"
    second = body(api.get("/subscribe/customers/c1/payments?page=2"))["response"]
    assert (second["previous"], second["next"], len(second["list"])) == (1, 0, 5)
    beyond = body(api.get("/subscribe/customers/c1/payments?page=9"))["response"]
    assert beyond["list"] == []
