"""The PortOne guides this product started from, replayed against the sandbox over plain HTTP.

Only what the guides leave as placeholders changes: their card number becomes a test card, their
expiry one in the future, and each charge gets its own merchant_uid (the guide reuses one, which
PortOne refuses once it is paid).
"""

from __future__ import annotations

import json
from typing import Any

import httpx
from sandbox_helpers import token_for

from pos_app.sandbox import TEST_IMP_KEY, TEST_IMP_SECRET


def curl_post(client: httpx.Client, path: str, raw_json: str, token: str) -> dict[str, Any]:
    """Like the guide's `curl -H "Content-Type: application/json" -X POST -d '...'`."""
    answer = client.post(
        path,
        content=raw_json.encode(),
        headers={"Content-Type": "application/json", "Authorization": token},
    )
    assert answer.status_code == 200, answer.text
    data: dict[str, Any] = answer.json()
    return data


def test_kcp_guide_sequence(anon: httpx.Client) -> None:
    token = token_for(anon)
    # 2. 일회성 결제 요청하기 (the card is not saved)
    one = curl_post(
        anon,
        "/subscribe/payments/onetime",
        '{"merchant_uid":"order_id_8237352", "card_number":"4242-4242-4242-4242", '
        '"expiry":"2099-01", "birth":"123456", "amount":3000}',
        token,
    )
    assert one["code"] == 0 and one["response"]["status"] == "paid"
    assert one["response"]["customer_uid"] is None
    # 3. 빌링키 발급 요청하기
    key = curl_post(
        anon,
        "/subscribe/customers/your-customer-unique-id",
        '{"card_number":"4242-4242-4242-4242", "expiry":"2099-12", "birth":"820213", '
        '"pwd_2digit":"00"}',
        token,
    )
    assert key["code"] == 0 and key["response"]["customer_uid"] == "your-customer-unique-id"
    # 4. 빌링키 발급 및 최초 결제 요청하기
    first = curl_post(
        anon,
        "/subscribe/payments/onetime",
        '{"customer_uid":"your-customer-unique-id", "merchant_uid":"order_id_8237352-2", '
        '"card_number":"5555-5555-5555-4444", "expiry":"2099-01", "birth":"123456", '
        '"amount":3000, "pwd_2digit":"00"}',
        token,
    )
    assert first["code"] == 0 and first["response"]["status"] == "paid"
    assert first["response"]["customer_uid_usage"] == "issue"
    # 5. 빌링키로 결제 요청하기 (the key now holds the card from step 4)
    again = curl_post(
        anon,
        "/subscribe/payments/again",
        '{"customer_uid":"your-customer-unique-id", "merchant_uid":"order_id_8237352-3", '
        '"amount":3000}',
        token,
    )
    assert again["code"] == 0 and again["response"]["status"] == "paid"
    assert again["response"]["card_name"] == "KB국민카드"
    # The guide's literal reuse of one merchant_uid is refused once it is paid.
    reuse = curl_post(
        anon,
        "/subscribe/payments/again",
        '{"customer_uid":"your-customer-unique-id", "merchant_uid":"order_id_8237352", '
        '"amount":3000}',
        token,
    )
    assert reuse["code"] == -1


def issue_billing(base_url: str, form: dict[str, str]) -> dict[str, str]:
    """The guide's server-side `/subscriptions/issue-billing` handler, in Python."""
    with httpx.Client(timeout=10) as http:
        get_token = http.post(
            f"{base_url}/users/getToken",
            headers={"Content-Type": "application/json"},
            content=json.dumps({"imp_key": TEST_IMP_KEY, "imp_secret": TEST_IMP_SECRET}),
        )
        access_token = get_token.json()["response"]["access_token"]
        issue = http.post(
            f"{base_url}/subscribe/customers/{form['customer_uid']}",
            headers={"Authorization": access_token},  # the raw token, as the guide sends it
            json={k: form[k] for k in ("card_number", "expiry", "birth", "pwd_2digit")},
        )
        result = issue.json()
    if result["code"] == 0:
        return {"status": "success", "message": "Billing has successfully issued"}
    return {"status": "failed", "message": result["message"]}


def test_rest_api_guide_server_side_flow(sandbox_url: str) -> None:
    form = {
        "card_number": "4242-4242-4242-4242",
        "expiry": "2099-12",
        "birth": "820213",
        "pwd_2digit": "00",
        "customer_uid": "gildong_0001_1234",
    }
    assert issue_billing(sandbox_url, form)["status"] == "success"
    refused = issue_billing(sandbox_url, {**form, "pwd_2digit": "99"})
    assert refused["status"] == "failed" and "카드인증" in refused["message"]
    # A corporate card: 10-digit business registration number for birth.
    assert issue_billing(sandbox_url, {**form, "birth": "1234567890"})["status"] == "success"
    with httpx.Client(base_url=sandbox_url, timeout=10) as client:
        token = token_for(client)
        customer = client.get(
            "/subscribe/customers/gildong_0001_1234", headers={"Authorization": token}
        ).json()["response"]
        assert customer["card_number"] == "424242******4242"
        # "Request billing key and make payment at once"
        both = client.post(
            "/subscribe/payments/onetime",
            headers={"Authorization": token},
            json={**form, "customer_uid": "gildong_0002_1234", "merchant_uid": "m1", "amount": 100},
        ).json()
        assert both["code"] == 0 and both["response"]["status"] == "paid"
