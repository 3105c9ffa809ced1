"""Scheduled charges: schedule, look up, unschedule, and run when the sandbox clock passes."""

from __future__ import annotations

import threading
from typing import Any

import httpx
import pytest
from sandbox_helpers import DECLINES, body, card


@pytest.fixture
def saved(api: httpx.Client) -> httpx.Client:
    api.post("/subscribe/customers/c1", json=card())
    return api


def now(client: httpx.Client) -> int:
    value: int = body(client.get("/__sandbox__/clock"))["response"]["now"]
    return value


def plan(client: httpx.Client, *items: tuple[str, int], customer_uid: str = "c1") -> dict[str, Any]:
    base = now(client)
    schedules = [
        {"merchant_uid": uid, "schedule_at": base + delay, "amount": 9900, "name": "월회비"}
        for uid, delay in items
    ]
    return body(
        client.post(
            "/subscribe/payments/schedule",
            json={"customer_uid": customer_uid, "schedules": schedules},
        )
    )


def test_schedule_then_run_when_the_clock_passes(saved: httpx.Client) -> None:
    data = plan(saved, ("sub-1", 600), ("sub-2", 1200))
    assert data["code"] == 0 and [s["schedule_status"] for s in data["response"]] == [
        "scheduled",
        "scheduled",
    ]
    assert saved.get("/payments/find/sub-1").status_code == 404
    saved.post("/__sandbox__/clock", json={"advance_s": 601})
    first = body(saved.get("/subscribe/payments/schedule/sub-1"))["response"]
    assert first["schedule_status"] == "executed" and first["payment_status"] == "paid"
    payment = body(saved.get(f"/payments/{first['imp_uid']}"))["response"]
    assert payment["customer_uid_usage"] == "payment.scheduled" and payment["amount"] == 9900
    second = body(saved.get("/subscribe/payments/schedule/sub-2"))["response"]
    assert second["schedule_status"] == "scheduled" and second["payment_status"] is None


def test_due_schedules_also_run_on_the_next_request(saved: httpx.Client) -> None:
    plan(saved, ("sub-1", 1))
    # No clock move: real time passes, and an ordinary request finds it executed.
    pause = threading.Event()
    for _ in range(100):
        if saved.get("/payments/find/sub-1").status_code == 200:
            break
        pause.wait(0.05)
    assert body(saved.get("/payments/find/sub-1"))["response"]["status"] == "paid"


def test_declined_scheduled_charge(api: httpx.Client) -> None:
    api.post("/subscribe/customers/bad", json=card(DECLINES))
    plan(api, ("sub-1", 60), customer_uid="bad")
    api.post("/__sandbox__/clock", json={"advance_s": 61})
    entry = body(api.get("/subscribe/payments/schedule/sub-1"))["response"]
    assert entry["payment_status"] == "failed" and entry["fail_reason"] == "[8325]한도초과"


def test_unschedule_some_or_all(saved: httpx.Client) -> None:
    plan(saved, ("a", 60), ("b", 60), ("c", 60))
    one = body(
        saved.post(
            "/subscribe/payments/unschedule", json={"customer_uid": "c1", "merchant_uid": ["a"]}
        )
    )
    assert [s["merchant_uid"] for s in one["response"]] == ["a"]
    assert one["response"][0]["schedule_status"] == "revoked"
    rest = body(saved.post("/subscribe/payments/unschedule", data={"customer_uid": "c1"}))
    assert sorted(s["merchant_uid"] for s in rest["response"]) == ["b", "c"]
    nothing = body(saved.post("/subscribe/payments/unschedule", json={"customer_uid": "c1"}))
    assert nothing["code"] != 0 and nothing["response"] is None
    saved.post("/__sandbox__/clock", json={"advance_s": 120})
    assert saved.get("/payments/find/a").status_code == 404


def test_schedule_refusals(saved: httpx.Client) -> None:
    assert plan(saved, ("past", -10))["code"] == -1
    assert plan(saved, ("x", 60), customer_uid="ghost")["code"] != 0
    assert plan(saved, ("dup", 60))["code"] == 0
    assert plan(saved, ("dup", 120))["code"] == -1
    assert saved.get("/subscribe/payments/schedule/unknown").status_code == 404
    missing = saved.post("/subscribe/payments/schedule", json={"customer_uid": "c1"})
    assert missing.status_code == 400 and "schedules" in body(missing)["message"]


def test_form_encoded_schedule(saved: httpx.Client) -> None:
    at = now(saved) + 600
    form = {
        "customer_uid": "c1",
        "schedules[0][merchant_uid]": "f-1",
        "schedules[0][schedule_at]": str(at),
        "schedules[0][amount]": "5000",
        "schedules[1][merchant_uid]": "f-2",
        "schedules[1][schedule_at]": str(at),
        "schedules[1][amount]": "6000",
    }
    data = body(saved.post("/subscribe/payments/schedule", data=form))
    assert [(s["merchant_uid"], s["amount"]) for s in data["response"]] == [
        ("f-1", 5000),
        ("f-2", 6000),
    ]


def test_deleting_the_key_revokes_its_schedules(saved: httpx.Client) -> None:
    plan(saved, ("sub-1", 60))
    saved.delete("/subscribe/customers/c1")
    entry = body(saved.get("/subscribe/payments/schedule/sub-1"))["response"]
    assert entry["schedule_status"] == "revoked"
