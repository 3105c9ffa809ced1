"""Many clients at once: distinct orders all succeed, one order is charged exactly once."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

import httpx
from sandbox_helpers import body, card, paid_count


def charge_all(api: httpx.Client, merchant_uids: list[str]) -> list[dict[str, object]]:
    limits = httpx.Limits(max_connections=len(merchant_uids))
    with httpx.Client(
        base_url=str(api.base_url), headers=api.headers, timeout=30, limits=limits
    ) as client:

        def charge(merchant_uid: str) -> dict[str, object]:
            fields = {**card(), "merchant_uid": merchant_uid, "amount": 1000, "name": "x"}
            return body(client.post("/subscribe/payments/onetime", json=fields))

        with ThreadPoolExecutor(max_workers=len(merchant_uids)) as pool:
            return list(pool.map(charge, merchant_uids))


def test_50_parallel_charges_with_distinct_orders_are_all_paid(api: httpx.Client) -> None:
    answers = charge_all(api, [f"order-{n}" for n in range(50)])
    assert all(a["code"] == 0 for a in answers)
    assert paid_count(api) == 50


def test_20_parallel_charges_with_one_order_are_paid_exactly_once(api: httpx.Client) -> None:
    answers = charge_all(api, ["same-order"] * 20)
    assert sum(a["code"] == 0 for a in answers) == 1
    assert sum(a["code"] == -1 for a in answers) == 19
    assert paid_count(api, "same-order") == 1
    assert len(body(api.get("/__sandbox__/payments"))["response"]) == 1
