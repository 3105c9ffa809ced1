"""Two counters, two processes, one store server, one sandbox: the shop is one shop.

Each counter is a real process with its own data folder and terminal id
(tests/shop/counter_process.py), already open when the test tells it what to do, so two told at
once race for real.
"""

from __future__ import annotations

import time
from collections.abc import Callable

from sandbox_audit import SandboxAudit
from shop_helpers import CounterProcess, save_card

ROUNDS = 20


def _paid_for(sandbox: SandboxAudit, customer_uid: str) -> list[dict[str, object]]:
    return [
        p
        for p in sandbox.payments()
        if p.get("customer_uid") == customer_uid and p["status"] in ("paid", "cancelled")
    ]


def test_two_counters_at_the_same_instant_never_both_charge_one_member(
    counters: Callable[[str], CounterProcess], sandbox: SandboxAudit, sandbox_url: str
) -> None:
    """Both counters are told to charge the same member the same amount at once, 20 times:
    exactly one charge reaches PortOne each time; the other is stopped by the guard (the first
    is in flight, or it is the same amount again within minutes). The guard's read and the
    intent's write are one transaction under a lock on the member, on the server."""
    one, two = counters("T1"), counters("T2")
    for round_no in range(ROUNDS):
        uid = f"race_{round_no}"
        save_card(sandbox_url, uid)
        one.send(do="charge", customer_uid=uid, amount=55000)
        two.send(do="charge", customer_uid=uid, amount=55000)
        answers = [one.read(), two.read()]
        outcomes = sorted(a["outcome"] for a in answers)
        assert outcomes == ["blocked", "paid"], (round_no, answers)
        (blocked,) = [a for a in answers if a["outcome"] == "blocked"]
        assert blocked["reason"] in ("in_flight", "duplicate"), answers
        assert len(_paid_for(sandbox, uid)) == 1, round_no


def test_a_charge_another_counter_is_sending_is_in_flight_here(
    counters: Callable[[str], CounterProcess], sandbox: SandboxAudit, sandbox_url: str
) -> None:
    """While counter 1's charge waits for a slow card company, counter 2 may neither charge the
    member (even saying yes to "the same amount again") nor settle counter 1's row: PortOne's 404
    proves nothing while its sender is alive."""
    one, two = counters("T1"), counters("T2")
    save_card(sandbox_url, "slow_kim")
    sandbox.fault("/subscribe/payments/again", "delay", delay_ms=3000)
    one.send(do="charge", customer_uid="slow_kim", amount=33000)
    time.sleep(1.0)  # counter 1's request is at the sandbox now
    answer = two.ask(do="charge", customer_uid="slow_kim", amount=33000, allow_duplicate=True)
    assert answer == {"outcome": "blocked", "reason": "in_flight"}
    # Looked at, left as it is: still unknown here, never "not charged".
    assert two.ask(do="reconcile") == {"outcome": "reconciled", "kinds": ["unknown"]}
    assert one.read()["outcome"] == "paid"
    assert len(_paid_for(sandbox, "slow_kim")) == 1


def test_any_counter_settles_another_counters_unknown_charge(
    counters: Callable[[str], CounterProcess], sandbox: SandboxAudit, sandbox_url: str
) -> None:
    """Counter 1's charge is paid at PortOne but the answer is lost, and counter 1 dies. Counter
    2's reconciliation finds it paid (once counter 1's lease is gone: no waiting for the
    deadline, since PortOne holds the payment)."""
    one, two = counters("T1"), counters("T2")
    save_card(sandbox_url, "lost_lee")
    sandbox.fault("/subscribe/payments/again", "drop_after")
    sandbox.fault("/payments/find", "error_500", times=50)  # and counter 1 cannot look it up
    answer = one.ask(do="charge", customer_uid="lost_lee", amount=44000)
    assert answer["outcome"] == "unknown"
    one.kill()
    sandbox.clear_faults()
    settled = two.ask(do="reconcile")
    assert settled == {"outcome": "reconciled", "kinds": ["paid"]}
    assert len(_paid_for(sandbox, "lost_lee")) == 1
    # The member is charged once; the next charge of another amount goes through normally.
    assert two.ask(do="charge", customer_uid="lost_lee", amount=1000)["outcome"] == "paid"
