"""The ways an adversary made the product charge twice or misstate money (issue 11), each tried
again as a person would: real `pos-app` processes, two terminals, a kill at the worst moment, a
slow card company — against the sandbox over HTTP."""

from __future__ import annotations

import json
import subprocess
import threading
import time
from typing import Any

import httpx
import pytest
from pos_app_runner import PosApp

from pos_app.store.journal import Journal, JournalRow

AGAIN = "/subscribe/payments/again"


def _json(stdout: str) -> dict[str, Any]:
    lines = [line for line in stdout.splitlines() if line.startswith("{")]
    assert lines, stdout
    result: dict[str, Any] = json.loads(lines[-1])
    return result


def _rows(pos_app: PosApp) -> list[JournalRow]:
    path = pos_app.home / "sandbox" / "journal.sqlite3"
    if not path.exists():
        return []
    with Journal(path) as journal:
        return journal.all_rows()


def _wait_for_state(pos_app: PosApp, merchant_uid: str, states: set[str]) -> JournalRow:
    for _ in range(400):
        row = next((r for r in _rows(pos_app) if r.merchant_uid == merchant_uid), None)
        if row is not None and row.state in states:
            return row
        threading.Event().wait(0.025)
    raise AssertionError(f"{merchant_uid} never reached {states}")


def _wait_until_held(pos_app: PosApp, path: str) -> None:
    """Until the sandbox is serving a request to `path` (its delay running)."""
    for _ in range(400):
        held = httpx.get(pos_app.api_base + "/__sandbox__/in_flight", timeout=10).json()
        if any(r["path"] == path for r in held["response"]):
            return
        threading.Event().wait(0.025)
    raise AssertionError(f"the sandbox never held {path}")


def _charge(pos_app: PosApp, uid: str, amount: str, merchant_uid: str) -> list[str]:
    return pos_app.command(
        "charge",
        "--customer-uid",
        uid,
        "--amount",
        amount,
        "--name",
        "회비",
        "--merchant-uid",
        merchant_uid,
    )


def _paid_for(pos_app: PosApp, uid: str) -> list[dict[str, Any]]:
    return [p for p in pos_app.payments() if p["customer_uid"] == uid and p["status"] == "paid"]


def test_a_second_terminal_cannot_charge_a_member_whose_charge_is_in_flight(
    pos_app: PosApp,
) -> None:
    """Reproduction 2a: `charge` with the card company slow (4 s), the same command 1.5 s
    later in another terminal. Before: both paid. Now the second is refused as in flight."""
    pos_app.save_card("k1")
    pos_app.fault(AGAIN, "delay", delay_ms=4000)
    first = subprocess.Popen(
        _charge(pos_app, "k1", "33000", "FIRST-1"),
        env=pos_app.env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        _wait_for_state(pos_app, "FIRST-1", {"sent"})
        threading.Event().wait(0.5)
        second = pos_app.run(
            "charge", "--customer-uid", "k1", "--amount", "33000", "--name", "회비"
        )
        out, err = first.communicate(timeout=60)
    finally:
        if first.poll() is None:
            first.kill()
    assert first.returncode == 0, out + err
    assert second.returncode == 2, second.stdout + second.stderr
    answer = _json(second.stdout)
    assert (answer["outcome"], answer["reason"]) == ("refused", "in_flight")
    assert answer["blocked_by"] == ["FIRST-1"]
    assert [p["merchant_uid"] for p in _paid_for(pos_app, "k1")] == ["FIRST-1"]


def test_even_with_allow_duplicate_an_in_flight_charge_blocks(pos_app: PosApp) -> None:
    pos_app.save_card("k2")
    pos_app.fault(AGAIN, "delay", delay_ms=3000)
    first = subprocess.Popen(
        _charge(pos_app, "k2", "10000", "FIRST-2"), env=pos_app.env, stdout=subprocess.DEVNULL
    )
    try:
        _wait_for_state(pos_app, "FIRST-2", {"sent"})
        forced = pos_app.run(
            "charge",
            "--customer-uid",
            "k2",
            "--amount",
            "10000",
            "--name",
            "회비",
            "--allow-duplicate",
        )
        assert first.wait(timeout=60) == 0
    finally:
        if first.poll() is None:
            first.kill()
    assert forced.returncode == 2 and _json(forced.stdout)["reason"] == "in_flight"
    assert len(_paid_for(pos_app, "k2")) == 1


def test_reconcile_while_a_charge_is_in_flight_does_not_call_it_void(pos_app: PosApp) -> None:
    """Reproduction 2b: charge in flight -> `reconcile`. Before: 'not charged' (void), then
    PortOne paid and the next charge went through unblocked. Now reconcile leaves it open,
    the charge's own process records it paid, and the next charge asks first."""
    pos_app.save_card("k3")
    pos_app.fault(AGAIN, "delay", delay_ms=3000)
    first = subprocess.Popen(
        _charge(pos_app, "k3", "88000", "FIRST-3"), env=pos_app.env, stdout=subprocess.DEVNULL
    )
    try:
        _wait_for_state(pos_app, "FIRST-3", {"sent"})
        during = pos_app.run("reconcile")
        assert first.wait(timeout=60) == 0
    finally:
        if first.poll() is None:
            first.kill()
    assert during.returncode == 3, during.stdout
    result = _json(during.stdout)
    assert result["not_charged"] == 0 and result["unknown"] == 1
    row = _wait_for_state(pos_app, "FIRST-3", {"paid"})
    assert row.resolved_at is None  # its own answer settled it
    again = pos_app.run("charge", "--customer-uid", "k3", "--amount", "88000", "--name", "회비")
    assert again.returncode == 2 and _json(again.stdout)["reason"] == "duplicate"
    assert len(_paid_for(pos_app, "k3")) == 1


def test_the_sender_killed_mid_charge_is_settled_only_after_its_deadline(
    pos_app: PosApp,
) -> None:
    """Reproduction 2c: the charging process dies while its request is with PortOne. Nothing
    may call it void before the request's deadline; whatever PortOne holds is recorded, and a
    row settled void is looked up again (a late payment is found)."""
    pos_app.env.update(POS_APP_READ_TIMEOUT_S="2", POS_APP_SETTLE_GRACE_S="1")
    pos_app.save_card("k4")
    pos_app.fault(AGAIN, "delay", delay_ms=2500)
    first = subprocess.Popen(
        _charge(pos_app, "k4", "55000", "FIRST-4"), env=pos_app.env, stdout=subprocess.DEVNULL
    )
    row = _wait_for_state(pos_app, "FIRST-4", {"sent"})
    _wait_until_held(pos_app, AGAIN)  # the card company is working on it now
    first.kill()  # SIGKILL; on Windows TerminateProcess, just as abrupt
    first.wait(timeout=30)
    early = pos_app.run("reconcile")
    assert early.returncode == 3 and _json(early.stdout)["not_charged"] == 0
    blocked = pos_app.run(
        "charge", "--customer-uid", "k4", "--amount", "1000", "--name", "다른 결제"
    )
    assert blocked.returncode == 2 and _json(blocked.stdout)["reason"] == "in_flight"
    assert row.settle_after is not None
    while time.time() < row.settle_after + 0.3:
        threading.Event().wait(0.1)
    for _ in range(3):
        pos_app.run("reconcile")
    final = next(r for r in _rows(pos_app) if r.merchant_uid == "FIRST-4")
    held = [p for p in pos_app.payments() if p["merchant_uid"] == "FIRST-4"]
    if any(p["status"] == "paid" for p in held):
        assert final.state == "paid"
    else:
        assert final.state == "void" and final.recheck_until is not None


def test_two_runs_of_one_bill_at_once_charge_each_row_once_and_never_say_refused(
    pos_app: PosApp, tmp_path: Any
) -> None:
    """Reproduction 4: the same file run twice at once on one data folder. Before: rows PortOne
    had paid ended 'refused'. Now one run charges a row, the other sees it in flight or done."""
    members = [f"twin{i:02d}" for i in range(12)]
    for uid in members:
        pos_app.save_card(uid)
    bill = tmp_path / "bill.csv"
    bill.write_text(
        "customer_uid,amount,name\n"
        + "".join(f"{m},{5000 + i},회비\n" for i, m in enumerate(members)),
        encoding="utf-8",
    )
    pos_app.fault(AGAIN, "delay", times=24, delay_ms=60)
    runs = [
        subprocess.Popen(
            pos_app.command("bill", str(bill), "--period", "2026-12"),
            env=pos_app.env,
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
            text=True,
        )
        for _ in range(2)
    ]
    outputs = [run.communicate(timeout=120)[0] for run in runs]
    summaries = [_json(out) for out in outputs]
    assert all(s["refused"] == 0 for s in summaries), summaries
    paid = [p for p in pos_app.payments() if p["status"] == "paid"]
    assert sorted(p["customer_uid"] for p in paid) == members  # each once
    charges = [r for r in _rows(pos_app) if r.kind != "refund"]
    assert sorted(r.state for r in charges) == ["paid"] * len(members)
    again = pos_app.run("bill", str(bill), "--period", "2026-12")
    assert again.returncode == 0 and _json(again.stdout)["already_done"] == len(members)


# -- refunds ----------------------------------------------------------------------------------


def _paid_order(pos_app: PosApp, uid: str, amount: str, merchant_uid: str) -> None:
    pos_app.save_card(uid)
    charged = pos_app.run(*_charge(pos_app, uid, amount, merchant_uid)[3:])
    assert charged.returncode == 0, charged.stdout + charged.stderr


def test_refund_command_refunds_part_then_the_rest(pos_app: PosApp) -> None:
    _paid_order(pos_app, "r1", "30000", "SALE-R1")
    part = pos_app.run(
        "refund", "--merchant-uid", "SALE-R1", "--amount", "10,000", "--reason", "고객 요청"
    )
    assert part.returncode == 0, part.stdout + part.stderr
    assert _json(part.stdout)["refundable"] == 20000
    rest = pos_app.run("refund", "--merchant-uid", "SALE-R1", "--reason", "나머지 환불")
    assert rest.returncode == 0 and _json(rest.stdout)["status"] == "cancelled"
    again = pos_app.run("refund", "--merchant-uid", "SALE-R1", "--reason", "한 번 더")
    assert again.returncode == 2 and _json(again.stdout)["outcome"] == "refused"
    blank = pos_app.run("refund", "--merchant-uid", "SALE-R1", "--reason", "  ")
    assert blank.returncode == 1 and _json(blank.stdout)["field"] == "reason"
    unknown = pos_app.run("refund", "--merchant-uid", "NO-SUCH", "--reason", "x")
    assert unknown.returncode == 2


def test_a_refund_open_elsewhere_blocks_a_second_one(pos_app: PosApp) -> None:
    _paid_order(pos_app, "r3", "30000", "SALE-R3")
    pos_app.fault("/payments/cancel", "delay", delay_ms=3000)
    first = subprocess.Popen(
        pos_app.command("refund", "--merchant-uid", "SALE-R3", "--reason", "전액"),
        env=pos_app.env,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        for _ in range(400):
            if any(r.kind == "refund" and r.state == "sent" for r in _rows(pos_app)):
                break
            threading.Event().wait(0.025)
        second = pos_app.run(
            "refund", "--merchant-uid", "SALE-R3", "--amount", "1000", "--reason", "또"
        )
        out, _ = first.communicate(timeout=60)
    finally:
        if first.poll() is None:
            first.kill()
    assert first.returncode == 0 and _json(out)["outcome"] == "refunded"
    assert second.returncode == 2 and "확인되지 않았습니다" in _json(second.stdout)["message"]
    (sale,) = [p for p in pos_app.payments() if p["merchant_uid"] == "SALE-R3"]
    assert len(sale["cancel_history"]) == 1


def test_reconcile_reports_what_lost_refunds_came_to(pos_app: PosApp) -> None:
    """Issue 11, item 9: the `reconcile` JSON left refunds out."""
    pos_app.env.update(POS_APP_READ_TIMEOUT_S="1", POS_APP_SETTLE_GRACE_S="0")
    _paid_order(pos_app, "r4", "30000", "SALE-R4")
    pos_app.fault("/payments/cancel", "drop_before")  # never reaches PortOne, answer lost
    lost = pos_app.run(
        "refund", "--merchant-uid", "SALE-R4", "--amount", "5000", "--reason", "고객 요청"
    )
    assert lost.returncode == 3 and _json(lost.stdout)["outcome"] == "unknown"
    pos_app.wait_until_settleable()
    settled = pos_app.run("reconcile")
    assert settled.returncode == 0, settled.stdout
    result = _json(settled.stdout)
    assert result["not_refunded"] == 1 and result["unknown"] == 0
    assert result["refunds"] == [
        {
            "outcome": "not_refunded",
            "merchant_uid": "SALE-R4",
            "imp_uid": result["refunds"][0]["imp_uid"],
            "amount": 5000,
        }
    ]


@pytest.fixture(autouse=True)
def _no_faults_left(pos_app: PosApp) -> Any:
    yield
    httpx.delete(pos_app.api_base + "/__sandbox__/faults", timeout=10)
