"""Plans PortOne charges by itself: schedules registered with the counter's own order ids,
executed ones learned into the journal, revoked ones given back to the counter, lost answers
asked about — and a month never charged both ways."""

from __future__ import annotations

from collections import Counter
from datetime import date

import httpx
import pytest
from sandbox_audit import SandboxAudit

from pos_app.core.bill_identity import bill_merchant_uid
from pos_app.core.billing_day import billing_date, month_of, next_billing_date
from pos_app.core.card import KeyInCard
from pos_app.core.order import Order
from pos_app.gateway.client import PortOneClient
from pos_app.sandbox import TEST_IMP_KEY, TEST_IMP_SECRET
from pos_app.services.member_plans import due_on
from pos_app.services.schedules import charge_time, register, revoke, schedules_of, sync
from pos_app.services.till import Till
from pos_app.store.customers import MemberPlan

GOOD: tuple[str, str, str, str] = ("4242424242424242", "12/39", "880101", "12")
DECLINING: tuple[str, str, str, str] = ("4000000000000341", "12/39", "880101", "12")
TODAY = date.today()


def _member(
    till: Till, base: str, uid: str, card: tuple[str, str, str, str] = GOOD, day: int = 5
) -> None:
    with PortOneClient(base, TEST_IMP_KEY, TEST_IMP_SECRET) as client:
        client.issue_billing_key(uid, KeyInCard.parse(*card))
    till.import_customers([uid])
    till.set_plan(uid, MemberPlan(30000, "월 회비", day, since="2020-01-01"))


def _advance_sandbox_to(base: str, when: int) -> None:
    """Move the sandbox's clock just past `when` (unix s): schedules due by then run."""
    now = httpx.get(base + "/__sandbox__/clock", timeout=10).json()["response"]["now"]
    body = {"advance_s": max(0, when - int(now) + 60)}
    httpx.post(base + "/__sandbox__/clock", json=body, timeout=10).raise_for_status()


def test_a_plan_registered_at_portone_leaves_the_counters_runs(
    till: Till, sandbox_url: str
) -> None:
    _member(till, sandbox_url, "sch1")
    rows = register(till, "sch1", today=TODAY)
    months = [r.period for r in rows]
    first = next_billing_date(5, TODAY)
    assert first is not None and months[0] == month_of(first) and len(months) == 3
    assert all(r.state == "scheduled" for r in rows)
    assert [r.merchant_uid for r in rows] == [
        bill_merchant_uid(m, "sch1", 30000, "월 회비") for m in months
    ]
    with PortOneClient(sandbox_url, TEST_IMP_KEY, TEST_IMP_SECRET) as client:
        held = [client.get_schedule(r.merchant_uid) for r in rows]
    assert [s.schedule_status for s in held] == ["scheduled"] * 3
    assert held[0].schedule_at == charge_time(first)
    assert till.customer("sch1").plan.mode == "portone"  # type: ignore[union-attr]
    due = due_on(till, billing_date(months[0], 5))
    assert due.at_portone == 1 and not due.candidates
    # Registering again adds nothing: each month is held once.
    assert [r.merchant_uid for r in register(till, "sch1", today=TODAY)] == [
        r.merchant_uid for r in rows
    ]


def test_executed_schedules_are_learned_into_the_journal_and_the_next_month_registered(
    till: Till, sandbox: SandboxAudit, sandbox_url: str
) -> None:
    _member(till, sandbox_url, "paid1")
    _member(till, sandbox_url, "limit1", DECLINING)
    first = register(till, "paid1", today=TODAY)[0]
    declined_first = register(till, "limit1", today=TODAY)[0]
    _advance_sandbox_to(sandbox_url, first.schedule_at)
    result = sync(till, today=date.fromtimestamp(first.schedule_at))
    assert (result.paid, result.declined) == (1, 1)
    row = till.journal_row(first.merchant_uid)
    assert row is not None and row.state == "paid" and row.note == "PortOne 예약 결제"
    (payment,) = sandbox.paid(first.merchant_uid)
    assert row.imp_uid == payment["imp_uid"] and row.card_number == "**** 4242"
    declined = till.journal_row(declined_first.merchant_uid)
    assert declined is not None and declined.state == "declined" and "한도" in declined.reason
    # The month just charged is not charged again, by PortOne or by the counter.
    assert result.registered == 2  # one month further ahead for each member
    states = Counter(s.state for s in schedules_of(till, "paid1"))
    assert states == {"executed": 1, "scheduled": 3}
    again = sync(till, today=date.fromtimestamp(first.schedule_at))
    assert (again.paid, again.declined, again.registered) == (0, 0, 0)
    assert len(sandbox.paid(first.merchant_uid)) == 1


def test_revoking_gives_the_plan_back_to_the_counter(till: Till, sandbox_url: str) -> None:
    _member(till, sandbox_url, "rev1")
    rows = register(till, "rev1", today=TODAY)
    after = revoke(till, "rev1")
    assert [r.state for r in after] == ["revoked"] * 3
    with PortOneClient(sandbox_url, TEST_IMP_KEY, TEST_IMP_SECRET) as client:
        assert {client.get_schedule(r.merchant_uid).schedule_status for r in rows} == {"revoked"}
    assert till.customer("rev1").plan.mode == "counter"  # type: ignore[union-attr]
    first_day = billing_date(rows[0].period, 5)
    (item,) = due_on(till, first_day).candidates[-1:]
    assert item.merchant_uid == rows[0].merchant_uid  # the counter would charge the same id


def test_a_month_the_counter_charged_is_not_scheduled(till: Till, sandbox_url: str) -> None:
    _member(till, sandbox_url, "both1")
    first = next_billing_date(5, TODAY)
    assert first is not None
    uid = bill_merchant_uid(month_of(first), "both1", 30000, "월 회비")
    assert till.charge_again("both1", Order(uid, 30000, "월 회비")).kind == "paid"
    rows = register(till, "both1", today=TODAY)
    assert uid not in {r.merchant_uid for r in rows} and len(rows) == 2


def test_a_lost_registration_answer_is_settled_by_asking_portone(
    till: Till, sandbox: SandboxAudit, sandbox_url: str
) -> None:
    _member(till, sandbox_url, "lost1")
    sandbox.fault("/subscribe/payments/schedule", "drop_after", times=1)
    rows = register(till, "lost1", today=TODAY)
    assert [r.state for r in rows] == ["scheduled"] * 3  # PortOne had them: asked, not re-sent


@pytest.mark.parametrize("plan_active", [False])
def test_no_schedules_without_an_active_plan(
    till: Till, sandbox_url: str, plan_active: bool
) -> None:
    _member(till, sandbox_url, "off1")
    plan = till.customer("off1").plan  # type: ignore[union-attr]
    till.set_plan("off1", plan._replace(active=plan_active))  # type: ignore[union-attr]
    with pytest.raises(ValueError):
        register(till, "off1", today=TODAY)


def test_a_plan_portone_charges_is_not_changed_until_its_schedules_are_revoked(
    till: Till, sandbox_url: str
) -> None:
    from pos_app.services.member_plans import PlanAtPortOne, save_plan

    _member(till, sandbox_url, "lock1")
    register(till, "lock1", today=TODAY)
    plan = till.customer("lock1").plan  # type: ignore[union-attr]
    assert plan is not None
    with pytest.raises(PlanAtPortOne):
        save_plan(till, "lock1", plan._replace(amount=40000, mode="counter"), TODAY)
    assert save_plan(till, "lock1", plan._replace(mode="counter"), TODAY)  # unchanged
    revoke(till, "lock1")
    assert save_plan(till, "lock1", plan._replace(amount=40000, mode="counter"), TODAY)
