"""The command line on PortOne V2 (POS_APP_API_VERSION=v2) as real subprocesses against the
sandbox's /v2: charge, bill, refund and reconcile answer as they do on V1."""

from __future__ import annotations

import json
from pathlib import Path

import httpx
from pos_app_runner import PosApp

from pos_app.core.card import KeyInCard
from pos_app.gateway.portone_v2 import PortOneV2Client
from pos_app.sandbox import TEST_V2_CHANNEL_KEY, TEST_V2_SECRET, TEST_V2_STORE_ID


def _json(stdout: str) -> dict[str, object]:
    (line,) = stdout.strip().splitlines()
    result: dict[str, object] = json.loads(line)
    return result


def _save_card(pos_app: PosApp, customer_uid: str, number: str = "4242424242424242") -> str:
    """A card saved straight at the sandbox's V2 (the CLI's index has never seen it: the
    command finds the member's key by asking PortOne for their newest one)."""
    with PortOneV2Client(
        pos_app.api_base + "/v2",
        TEST_V2_SECRET,
        channel_key=TEST_V2_CHANNEL_KEY,
        store_id=TEST_V2_STORE_ID,
    ) as client:
        key = client.issue_billing_key(
            customer_uid, KeyInCard.parse(number, "12/39", "880101", "12")
        )
    return key.billing_key


def _v2_payments(pos_app: PosApp) -> list[dict[str, object]]:
    state = httpx.get(pos_app.api_base + "/__sandbox__/state", timeout=10).json()
    payments: list[dict[str, object]] = state["response"]["v2"]["payments"]
    return payments


def test_charge_bill_refund_on_v2(pos_app: PosApp, tmp_path: Path) -> None:
    pos_app.env["POS_APP_API_VERSION"] = "v2"
    key = _save_card(pos_app, "gildong_4242")
    _save_card(pos_app, "limit_0341", "4000000000000341")

    paid = pos_app.run(
        "charge", "--customer-uid", "gildong_4242", "--amount", "12,000", "--name", "회비"
    )
    assert paid.returncode == 0, paid.stderr
    result = _json(paid.stdout)
    assert result["outcome"] == "paid" and result["card"] == "**** 4242"
    merchant_uid = str(result["merchant_uid"])
    (payment,) = _v2_payments(pos_app)
    assert (payment["id"], payment["billingKey"]) == (merchant_uid, key)

    declined = pos_app.run(
        "charge", "--customer-uid", "limit_0341", "--amount", "5000", "--name", "회비"
    )
    assert declined.returncode == 2 and _json(declined.stdout)["outcome"] == "declined"
    refused = pos_app.run("charge", "--customer-uid", "nobody", "--amount", "5000", "--name", "x")
    assert refused.returncode == 2 and _json(refused.stdout)["outcome"] == "refused"

    bill = tmp_path / "bill.csv"
    bill.write_text("customer_uid,amount,name\ngildong_4242,30000,3월 회비\n", encoding="utf-8")
    billed = pos_app.run("bill", str(bill), "--period", "2026-03")
    assert billed.returncode == 0, billed.stderr + billed.stdout
    again = pos_app.run("bill", str(bill), "--period", "2026-03")
    assert again.returncode == 0, again.stderr + again.stdout
    paid_ids = [p["id"] for p in _v2_payments(pos_app) if p["status"] == "PAID"]
    assert len(paid_ids) == 2  # the first charge and the bill's one row, once

    refund = pos_app.run(
        "refund", "--merchant-uid", merchant_uid, "--amount", "2000", "--reason", "부분 환불"
    )
    assert refund.returncode == 0, refund.stderr + refund.stdout
    (refunded,) = [p for p in _v2_payments(pos_app) if p["id"] == merchant_uid]
    assert refunded["status"] == "PARTIAL_CANCELLED"
    assert refunded["amount"]["cancelled"] == 2000  # type: ignore[index]
    reconciled = pos_app.run("reconcile")
    assert reconciled.returncode == 0, reconciled.stderr
