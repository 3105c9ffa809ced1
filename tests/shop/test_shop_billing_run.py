"""The billing run on the shop's store server: two counters billing the same members at once,
16 charges in flight each, charge every row exactly once; member plans, run records and PortOne
schedules live on the server like the journal."""

from __future__ import annotations

import threading
from collections import Counter
from datetime import date
from typing import Any

from sandbox_audit import SandboxAudit
from shop_helpers import save_card
from till_parts import journal_of

from pos_app.services.bill_file import read_bill
from pos_app.services.billing import run_bill, run_items
from pos_app.services.member_plans import due_on
from pos_app.services.opening import open_till
from pos_app.services.schedules import register, schedules_of
from pos_app.store.customers import MemberPlan


def test_two_counters_run_one_bill_at_once_and_each_row_is_paid_once(
    shared_store: str, sandbox: SandboxAudit, sandbox_url: str
) -> None:
    members = [f"shop{i:03d}" for i in range(120)]
    for uid in members:
        save_card(sandbox_url, uid)
    text = "customer_uid,amount,name\n" + "".join(
        f"{m},{7000 + i},회비\n" for i, m in enumerate(members)
    )
    plan = read_bill(text.encode(), "2026-05")
    sandbox.fault("/subscribe/payments/again", "delay", times=240, delay_ms=80)
    summaries: list[Any] = []
    with open_till(sandbox_url) as one, open_till(sandbox_url) as two:
        assert one.shared and one.lease.owner != two.lease.owner
        threads = [
            threading.Thread(target=lambda t=t: summaries.append(run_bill(t, plan, concurrency=16)))
            for t in (one, two)
        ]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(300)
        assert len(summaries) == 2 and all(s.counts["refused"] == 0 for s in summaries)
        paid = [p for p in sandbox.payments() if p["status"] == "paid"]
        per_order = Counter(p["merchant_uid"] for p in paid)
        assert set(per_order) == {r.merchant_uid for r in plan.rows}
        assert set(per_order.values()) == {1}
        charges = [r for r in journal_of(one).all_rows() if r.kind != "refund"]
        assert sorted((r.merchant_uid, r.imp_uid, r.state) for r in charges) == sorted(
            (p["merchant_uid"], p["imp_uid"], "paid") for p in paid
        )
        # Both runs are on record on the server, seen from either counter.
        book = two.run_book()
        assert {book.get(s.run_id).state for s in summaries if s.run_id} <= {"finished"}  # type: ignore[union-attr]


def test_plans_on_the_server_are_due_once_whichever_counter_runs_them(
    shared_store: str, sandbox: SandboxAudit, sandbox_url: str
) -> None:
    for uid in ("p1", "p2"):
        save_card(sandbox_url, uid)
    with open_till(sandbox_url) as one:
        one.import_customers(["p1", "p2"])
        one.set_plans(
            (uid, MemberPlan(20000, "월 회비", 3, since="2026-01-01")) for uid in ("p1", "p2")
        )
        first = run_items(one, due_on(one, date(2026, 3, 4)).candidates, source="due", label="a")
        assert first.counts["paid"] == 4  # February and March
    with open_till(sandbox_url) as two:  # another counter, the same members' plans
        due = due_on(two, date(2026, 3, 4))
        assert len(due.candidates) == 4
        again = run_items(two, due.candidates, source="due", label="b")
        assert again.counts["paid"] == 4 and again.counts["already_done"] == 4
        assert len([p for p in sandbox.payments() if p["status"] == "paid"]) == 4
        # A plan PortOne charges lives on the server too.
        rows = register(two, "p1", today=date.today())
        assert [r.state for r in rows] == ["scheduled"] * 3
    with open_till(sandbox_url) as three:
        assert [r.merchant_uid for r in schedules_of(three, "p1")] == [r.merchant_uid for r in rows]
        assert three.customer("p1").plan.mode == "portone"  # type: ignore[union-attr]
