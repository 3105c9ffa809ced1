"""`pos-app bill`: malformed rows, resuming, and five SIGKILLs in the middle of a 200-row bill."""

from __future__ import annotations

import json
import random
import signal
import subprocess
import sys
import threading
from collections import Counter
from pathlib import Path

import pytest
from pos_app_runner import PosApp

from pos_app.services.places import journal_path
from pos_app.store.journal import Journal

# How a killed process exits: -SIGKILL on POSIX; Windows' TerminateProcess gives it status 1.
if sys.platform == "win32":
    KILLED = 1
else:
    KILLED = -signal.SIGKILL


def _summary(stdout: str) -> dict[str, object]:
    result: dict[str, object] = json.loads(stdout.strip().splitlines()[-1])
    return result


def test_bill_reports_unbilled_rows_charges_the_rest_and_resumes(
    pos_app: PosApp, tmp_path: Path
) -> None:
    pos_app.save_card("kim_4242")
    pos_app.save_card("lee_0341", "4000000000000341")  # every charge declined
    bill = tmp_path / "bill.csv"
    bill.write_text(
        "customer_uid,amount,name\n"
        "kim_4242,12000,1월 회비\n"
        "ghost_0000,5000,1월 회비\n"
        "lee_0341,9000,1월 회비\n"
        "kim_4242,3000,교재비\n",
        encoding="utf-8",
    )
    first = pos_app.run("bill", str(bill), "--period", "2026-01")
    assert first.returncode == 2, first.stderr
    summary = _summary(first.stdout)
    assert (summary["paid"], summary["declined"], summary["amount_paid"]) == (2, 1, 15000)
    problems = summary["problems"]
    assert isinstance(problems, list)
    lines = [p["line"] for p in problems]
    assert lines == [3, 4]
    # The unknown customer and the declined row are on stderr too, by line (issue 11 item 9).
    assert f"{bill}:3: 등록되지 않은 고객: ghost_0000" in first.stderr
    assert f"{bill}:4:" in first.stderr
    # stderr is a pipe here, not a terminal: no progress bar, only the problems.
    assert "\r" not in first.stderr and "청구 [" not in first.stderr
    assert len(first.stderr.splitlines()) == 2
    paid_before = [p for p in pos_app.payments() if p["status"] == "paid"]

    again = pos_app.run("bill", str(bill), "--period", "2026-01")
    summary = _summary(again.stdout)
    assert (summary["paid"], summary["already_done"]) == (2, 3)
    assert [p for p in pos_app.payments() if p["status"] == "paid"] == paid_before


@pytest.mark.slow
def test_bill_killed_five_times_then_finished_charges_each_row_once(
    pos_app: PosApp, tmp_path: Path
) -> None:
    seed = random.randrange(1_000_000)
    rng = random.Random(seed)
    # A short wait for answers: a killed run's charge in flight can be settled 2 s later.
    pos_app.env.update(POS_APP_READ_TIMEOUT_S="1", POS_APP_SETTLE_GRACE_S="0")
    customers = [f"member{i:02d}_4242" for i in range(20)]
    for uid in customers:
        pos_app.save_card(uid)
    bill = tmp_path / "bill.csv"
    rows = [f"{customers[i % 20]},{1000 + i},{i}번 회비" for i in range(200)]
    bill.write_text("customer_uid,amount,name\n" + "\n".join(rows) + "\n", encoding="utf-8")

    for kill in range(5):
        before = len(pos_app.payments())
        target = before + rng.randrange(1, 30)
        process = subprocess.Popen(
            pos_app.command("bill", str(bill), "--period", "2026-01"),
            env=pos_app.env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        try:
            # Kill once the sandbox has seen a random number of new charges: mid-bill, at a
            # moment no one chose, with a request possibly in flight.
            while process.poll() is None and len(pos_app.payments()) < target:
                threading.Event().wait(rng.uniform(0.0, 0.02))
            process.kill()  # SIGKILL; on Windows TerminateProcess, just as abrupt
        finally:
            process.wait(timeout=30)
        assert process.returncode in (KILLED, 0), f"seed {seed}, kill {kill}"
        print(f"seed {seed} kill {kill}: exit {process.returncode}, {len(pos_app.payments())} held")

    pos_app.wait_until_settleable()
    final = pos_app.run("bill", str(bill), "--period", "2026-01")
    assert final.returncode == 0, f"seed {seed}: {final.stdout}{final.stderr}"
    assert _summary(final.stdout)["paid"] == 200

    paid = [p for p in pos_app.payments() if p["status"] == "paid"]
    per_order = Counter(p["merchant_uid"] for p in paid)
    assert len(per_order) == 200 and set(per_order.values()) == {1}, f"seed {seed}"
    with Journal(journal_path("sandbox")) as journal:
        charges = [r for r in journal.all_rows() if r.kind != "refund"]
    assert sorted((r.merchant_uid, r.imp_uid, r.amount, r.state) for r in charges) == sorted(
        (p["merchant_uid"], p["imp_uid"], p["amount"], "paid") for p in paid
    ), f"seed {seed}"


@pytest.mark.slow
def test_concurrent_bill_killed_at_random_moments_charges_each_row_once(
    pos_app: PosApp, tmp_path: Path
) -> None:
    """16 charges in flight, SIGKILLed six times at random moments (while preparing, while
    charging, with charges in flight, with PortOne still working on some), each time run again at
    once: the next run asks PortOne about the dead run's charges first and waits until they can
    no longer be in flight; in the end every row is paid exactly once."""
    from pos_app.services.opening import open_till
    from pos_app.services.run_resume import interrupted_runs

    seed = random.randrange(1_000_000)
    rng = random.Random(seed)
    pos_app.env.update(POS_APP_READ_TIMEOUT_S="1", POS_APP_SETTLE_GRACE_S="0")
    customers = [f"crowd{i:02d}_4242" for i in range(40)]
    for uid in customers:
        pos_app.save_card(uid)
    bill = tmp_path / "bill.csv"
    rows = [f"{customers[i % 40]},{2000 + i},{i}번 회비" for i in range(300)]
    bill.write_text("customer_uid,amount,name\n" + "\n".join(rows) + "\n", encoding="utf-8")
    # PortOne and the card company take 150 ms per charge: kills land with charges in flight.
    pos_app.fault("/subscribe/payments/again", "delay", times=10_000, delay_ms=150)

    kills = 0
    for attempt in range(6):
        process = subprocess.Popen(
            pos_app.command("bill", str(bill), "--period", "2026-02"),
            env=pos_app.env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        try:
            if attempt == 0:  # while it starts and prepares (reconciles, looks up members)
                threading.Event().wait(rng.uniform(0.1, 0.8))
            else:  # once PortOne has seen a random number of this run's charges
                target = len(pos_app.payments()) + rng.randrange(1, 40)
                while process.poll() is None and len(pos_app.payments()) < target:
                    threading.Event().wait(rng.uniform(0.0, 0.02))
            process.kill()  # SIGKILL; on Windows TerminateProcess, just as abrupt
        finally:
            process.wait(timeout=60)
        kills += process.returncode == KILLED
        paid = sum(1 for p in pos_app.payments() if p["status"] == "paid")
        print(f"seed {seed} attempt {attempt}: exit {process.returncode}, {paid} paid")
    assert kills >= 5, f"seed {seed}: the runs finished before they could be killed"

    # Run again at once: the dead runs' charges may still be in flight; this run waits for them.
    final = pos_app.run("bill", str(bill), "--period", "2026-02", timeout=300)
    assert final.returncode == 0, f"seed {seed}: {final.stdout}{final.stderr}"
    assert _summary(final.stdout)["paid"] == 300

    paid_payments = [p for p in pos_app.payments() if p["status"] == "paid"]
    per_order = Counter(p["merchant_uid"] for p in paid_payments)
    assert len(per_order) == 300 and set(per_order.values()) == {1}, f"seed {seed}"
    with Journal(journal_path("sandbox")) as journal:
        charges = [r for r in journal.all_rows() if r.kind != "refund"]
    assert sorted((r.merchant_uid, r.imp_uid, r.amount, r.state) for r in charges) == sorted(
        (p["merchant_uid"], p["imp_uid"], p["amount"], "paid") for p in paid_payments
    ), f"seed {seed}"
    # The killed runs' records are closed: nothing is left to offer for resuming.
    with open_till(pos_app.api_base) as till:
        assert interrupted_runs(till) == []
