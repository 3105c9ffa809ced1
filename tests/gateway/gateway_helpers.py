"""Test helpers for the gateway tests: cards, orders and the sandbox's inspection endpoints."""

from __future__ import annotations

from datetime import date
from typing import Any

import httpx

from pos_app.core.card import KeyInCard
from pos_app.core.order import Order, new_merchant_uid

APPROVED = "4242-4242-4242-4242"
DECLINED = "4000-0000-0000-0341"  # key issues, every charge declined "[8325]한도초과"
REFUSED = "4000-0000-0000-0002"  # card authentication fails: code -1


def card(number: str = APPROVED, pin2: str = "12") -> KeyInCard:
    return KeyInCard.parse(number, "12/30", "900101", pin2, today=date(2026, 11, 23))


def order(amount: int = 1000, name: str = "커피 정기배송") -> Order:
    return Order(new_merchant_uid("GW"), amount, name)


def admin(base_url: str, method: str, path: str, body: dict[str, Any] | None = None) -> Any:
    response = httpx.request(method, f"{base_url}/__sandbox__/{path}", json=body, timeout=10)
    response.raise_for_status()
    return response.json() if response.content else None


def _items(data: Any, key: str) -> list[dict[str, Any]]:
    if isinstance(data, dict):
        data = data.get(key, data.get("response", data))
    assert isinstance(data, list), data
    return data


def requests_log(base_url: str) -> list[dict[str, Any]]:
    return _items(admin(base_url, "GET", "requests"), "requests")


def token_requests(base_url: str) -> int:
    return sum(1 for r in requests_log(base_url) if r["path"] == "/users/getToken")


def sandbox_payments(base_url: str, merchant_uid: str | None = None) -> list[dict[str, Any]]:
    payments = _items(admin(base_url, "GET", "payments"), "payments")
    if merchant_uid is not None:
        payments = [p for p in payments if p["merchant_uid"] == merchant_uid]
    return payments


def fault(base_url: str, endpoint: str, kind: str, times: int = 1, delay_ms: int = 0) -> None:
    admin(
        base_url,
        "POST",
        "faults",
        {"endpoint": endpoint, "kind": kind, "times": times, "delay_ms": delay_ms},
    )


def advance_clock(base_url: str, seconds: int) -> None:
    admin(base_url, "POST", "clock", {"advance_s": seconds})
