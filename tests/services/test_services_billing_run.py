"""The billing run engine against the sandbox over HTTP: many charges in flight, each row paid
exactly once, paced, one member at a time, pause / resume / stop, a self-pause on an outage,
two runs at once, a run's rows waiting on someone else's charge, declined rows retried."""

from __future__ import annotations

import bisect
import itertools
import threading
from collections import Counter
from collections.abc import Iterator
from typing import Any

import httpx
import pytest
from movable_clock import MovableClock
from sandbox_audit import SandboxAudit
from till_parts import journal_of

from pos_app.core.bill_identity import bill_merchant_uid
from pos_app.core.card import KeyInCard
from pos_app.core.order import Order
from pos_app.gateway.client import PortOneClient
from pos_app.sandbox import TEST_IMP_KEY, TEST_IMP_SECRET
from pos_app.services.bill_file import read_bill
from pos_app.services.billing import drive, items_of_bill, run_bill, start_run
from pos_app.services.billing_run import BillingRun, RowResult, RunItem
from pos_app.services.opening import open_till
from pos_app.services.run_prep import prepare
from pos_app.services.till import Till

AGAIN = "/subscribe/payments/again"
APPROVED: tuple[str, str, str, str] = ("4242424242424242", "12/39", "880101", "12")
DECLINING: tuple[str, str, str, str] = ("4000000000000341", "12/39", "880101", "12")


def _save_cards(base_url: str, uids: list[str], card: tuple[str, str, str, str] = APPROVED) -> None:
    with PortOneClient(base_url, TEST_IMP_KEY, TEST_IMP_SECRET) as client:
        for uid in uids:
            client.issue_billing_key(uid, KeyInCard.parse(*card))


def _bill(rows: list[tuple[str, int, str]], period: str = "2026-03") -> Any:
    text = "customer_uid,amount,name\n" + "".join(f"{u},{a},{n}\n" for u, a, n in rows)
    plan = read_bill(text.encode(), period)
    assert not plan.refused, plan.problems
    return plan


def _requests(base_url: str, path: str = AGAIN) -> list[dict[str, Any]]:
    answer = httpx.get(base_url + "/__sandbox__/requests", timeout=10)
    answer.raise_for_status()
    return [r for r in answer.json()["response"] if r["path"] == path]


def _audit_each_paid_once(till: Till, sandbox: SandboxAudit, merchant_uids: set[str]) -> None:
    """Every order: exactly one paid payment at PortOne, and the journal agrees row by row."""
    paid = [p for p in sandbox.payments() if p["status"] == "paid"]
    per_order = Counter(p["merchant_uid"] for p in paid)
    assert set(per_order) == merchant_uids and set(per_order.values()) == {1}
    charges = [r for r in journal_of(till).all_rows() if r.kind != "refund"]
    assert sorted((r.merchant_uid, r.imp_uid, r.amount, r.state) for r in charges) == sorted(
        (p["merchant_uid"], p["imp_uid"], p["amount"], "paid") for p in paid
    )


@pytest.fixture
def second_till(sandbox_url: str, clock: MovableClock) -> Iterator[Till]:
    """Another process's till on the same data folder (its own lease and journal connection)."""
    opened = open_till(sandbox_url, clock=clock)
    yield opened
    opened.close()


def test_300_rows_16_at_once_each_paid_exactly_once(
    till: Till, sandbox: SandboxAudit, sandbox_url: str
) -> None:
    members = [f"m{i:03d}" for i in range(300)]
    _save_cards(sandbox_url, members)
    plan = _bill([(m, 1000 + i, "3월 회비") for i, m in enumerate(members)])
    sandbox.fault(AGAIN, "delay", times=300, delay_ms=150)
    summary = run_bill(till, plan, concurrency=16)
    assert summary.exit_code == 0, summary.problems
    assert (summary.counts["paid"], summary.amount_paid) == (300, sum(range(1000, 1300)))
    assert summary.concurrency == 16
    _audit_each_paid_once(till, sandbox, {r.merchant_uid for r in plan.rows})
    # The charges really overlapped: at some moment many were being served at once.
    spans = [(r["at"] - r["duration_ms"] / 1000, r["at"]) for r in _requests(sandbox_url)]
    starts = sorted(s for s, _ in spans)
    overlap = max(sum(1 for s, e in spans if s <= t < e) for t in starts)
    assert overlap >= 4, overlap
    # The run record says what each row came to.
    book = till.run_book()
    record = book.get(summary.run_id)
    assert record is not None and record.state == "finished" and record.total == 300
    assert {r.outcome for r in book.rows(summary.run_id)} == {"paid"}


def test_never_more_than_50_charges_a_second(
    till: Till, sandbox: SandboxAudit, sandbox_url: str
) -> None:
    members = [f"r{i:03d}" for i in range(140)]
    _save_cards(sandbox_url, members)
    summary = run_bill(till, _bill([(m, 5000, "회비") for m in members]), concurrency=16)
    assert summary.counts["paid"] == 140
    arrivals = sorted(r["at"] - r["duration_ms"] / 1000 for r in _requests(sandbox_url))
    busiest = max(bisect.bisect_left(arrivals, t + 1.0) - i for i, t in enumerate(arrivals))
    assert busiest <= 50, busiest


def test_one_members_rows_are_never_in_flight_together(
    till: Till, sandbox: SandboxAudit, sandbox_url: str
) -> None:
    _save_cards(sandbox_url, ["busy", "a", "b", "c"])
    rows = [("busy", 1000 + i, f"{i}회차") for i in range(12)]
    rows += [(m, 2000, "회비") for m in ("a", "b", "c")]
    sandbox.fault(AGAIN, "delay", times=15, delay_ms=80)
    seen: list[str] = []
    run = start_run(
        till,
        prepare(till, items_of_bill(_bill(rows))),
        source="file",
        label="t",
        concurrency=16,
        on_row=lambda r: seen.append(r.kind),
    )
    run.run()
    # None of the member's rows met the guard's "a charge is in flight" (and had to wait for
    # it): the run handed them out one after the other.
    assert seen == ["paid"] * 15
    busy = sorted(
        (r.sent_at or 0, r.answered_at or 0)
        for r in journal_of(till).all_rows()
        if r.customer_uid == "busy"
    )
    assert all(after[0] >= before[1] for before, after in itertools.pairwise(busy))


def test_pause_sends_nothing_new_then_resume_finishes(
    till: Till, sandbox: SandboxAudit, sandbox_url: str
) -> None:
    members = [f"p{i:02d}" for i in range(60)]
    _save_cards(sandbox_url, members)
    plan = _bill([(m, 3000, "회비") for m in members])
    sandbox.fault(AGAIN, "delay", times=60, delay_ms=100)
    prepared = prepare(till, items_of_bill(plan))
    paused = threading.Event()
    asked = threading.Event()

    def on_row(result: RowResult) -> None:
        if result.kind == "paid" and len(run.results()) >= 10 and not asked.is_set():
            asked.set()
            run.pause()

    def on_state(progress: Any) -> None:
        if progress.state == "paused":
            paused.set()

    run = start_run(
        till, prepared, source="file", label="t", concurrency=8, on_row=on_row, on_state=on_state
    )
    run.start()
    assert paused.wait(60)
    sent = len(_requests(sandbox_url))
    assert 10 <= sent < 60 and run.progress().in_flight == 0
    # Paused: however long it stays so, not one more charge leaves.
    assert not run.wait(1.0)
    assert len(_requests(sandbox_url)) == sent
    assert till.run_book().get(run.record.id).state == "paused"  # type: ignore[union-attr]
    run.resume()
    assert run.wait(120)
    assert run.state == "finished" and run.progress().counts == {"paid": 60}
    _audit_each_paid_once(till, sandbox, {r.merchant_uid for r in plan.rows})


def test_stop_leaves_the_rest_unsent_and_a_second_run_charges_only_them(
    till: Till, sandbox: SandboxAudit, sandbox_url: str
) -> None:
    members = [f"s{i:02d}" for i in range(50)]
    _save_cards(sandbox_url, members)
    plan = _bill([(m, 4000, "회비") for m in members])
    sandbox.fault(AGAIN, "delay", times=50, delay_ms=100)

    def on_row(result: RowResult) -> None:
        if result.kind == "paid" and len(run.results()) == 8:
            run.stop()

    run = start_run(
        till, prepare(till, items_of_bill(plan)), source="file", label="t", on_row=on_row
    )
    run.start()
    assert run.wait(120) and run.state == "stopped"
    counts = run.progress().counts
    assert counts["paid"] + counts["not_sent"] == 50 and counts["not_sent"] > 0
    not_sent = {r.item.merchant_uid for r in run.results() if r.kind == "not_sent"}
    assert not any(till.journal_row(uid) for uid in not_sent)  # never even begun
    assert not {p["merchant_uid"] for p in sandbox.payments()} & not_sent
    again = run_bill(till, plan)
    assert again.counts["paid"] == 50 and again.counts["already_done"] == counts["paid"]
    _audit_each_paid_once(till, sandbox, {r.merchant_uid for r in plan.rows})


def test_repeated_connection_failures_pause_the_run_instead_of_marking_rows_unknown(
    till: Till, sandbox: SandboxAudit, sandbox_url: str, clock: MovableClock
) -> None:
    members = [f"n{i:03d}" for i in range(200)]
    _save_cards(sandbox_url, members)
    plan = _bill([(m, 7000, "회비") for m in members])
    # The connection drops with every charge: each answer is lost (PortOne did nothing).
    sandbox.fault(AGAIN, "drop_before", times=1000)
    paused = threading.Event()
    run = start_run(
        till,
        prepare(till, items_of_bill(plan)),
        source="file",
        label="t",
        concurrency=8,
        on_state=lambda p: paused.set() if p.state == "paused" else None,
    )
    run.start()
    assert paused.wait(60)
    progress = run.progress()
    assert progress.reason == "connection" and progress.detail
    # At most what was already in flight when the third lost answer came back.
    assert 3 <= progress.counts["unknown"] <= 8 + 3, progress.counts
    lost = {r.item.merchant_uid for r in run.results() if r.kind == "unknown"}
    sandbox.clear_faults()
    run.resume()
    assert run.wait(120) and run.state == "finished"
    assert run.progress().counts == {"paid": 200 - len(lost), "unknown": len(lost)}
    # Once they can no longer be in flight, PortOne's "no such payment" settles the lost ones as
    # never charged, and running the bill again sends exactly those, under the same ids.
    clock.advance(3600)
    till.reconcile()
    again = run_bill(till, plan)
    assert again.counts["paid"] == 200 and again.counts["already_done"] == 200 - len(lost)
    _audit_each_paid_once(till, sandbox, {r.merchant_uid for r in plan.rows})


def test_driven_run_resumes_by_itself_when_portone_answers_again(
    till: Till, sandbox: SandboxAudit, sandbox_url: str, clock: MovableClock
) -> None:
    members = [f"d{i:02d}" for i in range(40)]
    _save_cards(sandbox_url, members)
    plan = _bill([(m, 8000, "회비") for m in members])
    sandbox.fault(AGAIN, "error_500", times=5)  # PortOne down for five charges, nothing done
    run = start_run(
        till, prepare(till, items_of_bill(plan)), source="file", label="t", concurrency=2
    )
    states: list[str] = []
    final = drive(run, on_tick=lambda p: states.append(p.state))
    assert "paused" in states and final.state == "finished"
    clock.advance(3600)
    till.reconcile()
    again = run_bill(till, plan)  # the rows PortOne never saw are sent again, same ids
    assert again.counts["paid"] == 40, again.problems
    _audit_each_paid_once(till, sandbox, {r.merchant_uid for r in plan.rows})


def test_two_runs_of_one_bill_at_once_charge_each_row_once(
    till: Till, second_till: Till, sandbox: SandboxAudit, sandbox_url: str
) -> None:
    members = [f"t{i:02d}" for i in range(60)]
    _save_cards(sandbox_url, members)
    plan = _bill([(m, 6000, "회비") for m in members])
    sandbox.fault(AGAIN, "delay", times=120, delay_ms=60)
    summaries: list[Any] = []
    threads = [
        threading.Thread(target=lambda t=t: summaries.append(run_bill(t, plan, concurrency=8)))
        for t in (till, second_till)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(180)
    assert len(summaries) == 2
    assert all(s.counts["refused"] == 0 for s in summaries)
    _audit_each_paid_once(till, sandbox, {r.merchant_uid for r in plan.rows})


def test_a_member_charged_at_the_counter_meanwhile_waits_then_is_billed(
    till: Till, sandbox: SandboxAudit, sandbox_url: str
) -> None:
    _save_cards(sandbox_url, ["walkin", "other"])
    sandbox.fault(AGAIN, "delay", times=1, delay_ms=1500)
    counter_order = Order(till.new_merchant_uid(), 990, "음료")
    counter = threading.Thread(target=lambda: till.charge_again("walkin", counter_order))
    counter.start()
    for _ in range(400):
        row = till.journal_row(counter_order.merchant_uid)
        if row is not None and row.state == "sent":
            break
        threading.Event().wait(0.01)
    seen: list[str] = []
    plan = _bill([("walkin", 50000, "3월 회비"), ("other", 50000, "3월 회비")])
    run = BillingRun(
        till,
        items_of_bill(plan),
        concurrency=4,
        on_row=lambda r: seen.append(f"{r.item.customer_uid}:{r.kind}"),
    )
    run.run()
    counter.join(30)
    assert "walkin:waiting" in seen and "walkin:paid" in seen, seen
    assert run.progress().counts == {"paid": 2}
    assert len(sandbox.paid(counter_order.merchant_uid)) == 1


def test_declined_rows_are_retried_only_when_asked_under_a_new_id_with_the_reason_kept(
    till: Till, sandbox: SandboxAudit, sandbox_url: str
) -> None:
    _save_cards(sandbox_url, ["kim"])
    _save_cards(sandbox_url, ["lee"], DECLINING)
    plan = _bill([("kim", 50000, "3월 회비"), ("lee", 50000, "3월 회비")])
    first = run_bill(till, plan)
    assert (first.counts["paid"], first.counts["declined"]) == (1, 1)
    again = run_bill(till, plan)  # no decision: the declined row stays as it was
    assert again.counts["already_done"] == 2 and not _requests(sandbox_url)[2:]
    _save_cards(sandbox_url, ["lee"])  # the member brings a new card
    retried = run_bill(till, plan, retry_reason="카드 교체 후 재청구")
    assert retried.counts["paid"] == 2 and retried.counts["declined"] == 0
    declined_uid = bill_merchant_uid("2026-03", "lee", 50000, "3월 회비")
    (retry,) = [
        r for r in journal_of(till).all_rows() if r.customer_uid == "lee" and r.state == "paid"
    ]
    assert retry.merchant_uid != declined_uid and retry.merchant_uid.endswith("r2")
    assert declined_uid in (retry.note or "") and "카드 교체 후 재청구" in (retry.note or "")
    assert till.journal_row(declined_uid).state == "declined"  # type: ignore[union-attr]
    # Asked again: the retry is paid, so nothing more is charged.
    once_more = run_bill(till, plan, retry_reason="카드 교체 후 재청구")
    assert once_more.counts["already_done"] == 2 and len(sandbox.paid(retry.merchant_uid)) == 1


def test_rows_of_a_killed_run_are_settled_by_asking_portone_before_anything_is_sent(
    till: Till, second_till: Till, sandbox: SandboxAudit, sandbox_url: str
) -> None:
    """A run's row left `sent` by a process that died: the next run asks PortOne; a charge it
    holds is recorded as paid (never sent again), one it never saw is sent under the same id."""
    _save_cards(sandbox_url, ["gone1", "gone2", "fresh"])
    plan = _bill([("gone1", 1000, "회비"), ("gone2", 2000, "회비"), ("fresh", 3000, "회비")])
    items = items_of_bill(plan)
    # The dead process: its intents written and sent under its lease, then it vanished. One
    # of the two reached PortOne.
    for item in items[:2]:
        row = journal_of(second_till).begin(
            item.merchant_uid,
            "charge_again",
            origin=second_till.origin,
            amount=item.amount,
            customer_uid=item.customer_uid,
            order_name=item.name,
            sender=second_till.lease.owner,
            settle_after=second_till.settler.now() + 1.0,
        )
        journal_of(second_till).mark_sent(row.id)
    with PortOneClient(sandbox_url, TEST_IMP_KEY, TEST_IMP_SECRET) as client:
        client.charge_again("gone1", items[0].order())
    second_till.lease.release()  # the process is gone
    summary = run_bill(till, plan, concurrency=4)
    assert summary.counts["paid"] == 3, summary.problems
    assert len(_requests(sandbox_url)) == 1 + 2  # gone1 by the dead process; gone2, fresh
    _audit_each_paid_once(till, sandbox, {r.merchant_uid for r in plan.rows})


def test_items_keep_their_positions_in_the_run_record(till: Till, sandbox_url: str) -> None:
    _save_cards(sandbox_url, ["x1", "x2"])
    plan = _bill([("x1", 1000, "회비"), ("x2", 1000, "회비")])
    summary = run_bill(till, plan)
    rows = till.run_book().rows(summary.run_id)
    assert [(r.position, r.customer_uid, r.merchant_uid) for r in rows] == [
        (n, i.customer_uid, i.merchant_uid) for n, i in enumerate(items_of_bill(plan))
    ]
    assert isinstance(items_of_bill(plan)[0], RunItem)
