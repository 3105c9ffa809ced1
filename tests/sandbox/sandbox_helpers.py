"""Test cards and small helpers shared by the sandbox's tests."""

from __future__ import annotations

from typing import Any

import httpx

from pos_app.sandbox import TEST_IMP_KEY, TEST_IMP_SECRET

VISA = "4242-4242-4242-4242"
MASTER = "5555-5555-5555-4444"
BC_CHECK = "9490-0000-0000-0008"
AMEX = "3782-822463-10005"
AUTH_FAILS = "4000-0000-0000-0002"
EXPIRED = "4000-0000-0000-0069"
DECLINES = "4000-0000-0000-0341"
OTHER_VALID = "6011-1111-1111-1117"
LUHN_FAILS = "4242-4242-4242-4241"


def card(number: str = VISA, **overrides: str) -> dict[str, str]:
    fields = {"card_number": number, "expiry": "2099-12", "birth": "820213", "pwd_2digit": "00"}
    fields.update(overrides)
    return fields


def token_for(client: httpx.Client) -> str:
    answer = client.post(
        "/users/getToken", json={"imp_key": TEST_IMP_KEY, "imp_secret": TEST_IMP_SECRET}
    )
    assert answer.status_code == 200
    token: str = answer.json()["response"]["access_token"]
    return token


def body(response: httpx.Response) -> dict[str, Any]:
    """The envelope, after checking it has exactly PortOne's three keys."""
    data: dict[str, Any] = response.json()
    assert set(data) == {"code", "message", "response"}
    return data


def paid_count(client: httpx.Client, merchant_uid: str | None = None) -> int:
    payments = client.get("/__sandbox__/payments").json()["response"]
    return sum(
        1
        for p in payments
        if p["status"] == "paid" and (merchant_uid is None or p["merchant_uid"] == merchant_uid)
    )
