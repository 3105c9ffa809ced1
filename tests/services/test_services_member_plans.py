"""Member plans: the strict plan file, saving plans, and the members due on a day."""

from __future__ import annotations

from datetime import date

from sandbox_audit import SandboxAudit

from pos_app.core.bill_identity import bill_merchant_uid
from pos_app.core.billing_day import LAST_DAY
from pos_app.core.card import KeyInCard
from pos_app.gateway.client import PortOneClient
from pos_app.sandbox import TEST_IMP_KEY, TEST_IMP_SECRET
from pos_app.services.billing import run_items
from pos_app.services.member_plans import (
    checked_plan,
    due_on,
    import_plans,
    read_plans,
    save_plan,
)
from pos_app.services.till import Till
from pos_app.store.customers import MemberPlan

APPROVED = ("4242424242424242", "12/39", "880101", "12")


def _save_cards(base_url: str, uids: list[str]) -> None:
    with PortOneClient(base_url, TEST_IMP_KEY, TEST_IMP_SECRET) as client:
        for uid in uids:
            client.issue_billing_key(uid, KeyInCard.parse(*APPROVED))


def test_a_plan_file_is_read_under_the_bill_files_rules() -> None:
    text = (
        'day,Name,customer_uid,amount\n5,월 회비,kim_4242,55000\n말일,PT  10회,lee_4242,"120,000"\n'
    )
    plans = read_plans(("\ufeff" + text).replace("\n", "\r\n").encode("utf-8"))
    assert not plans.refused, plans.problems
    assert [(r.line, r.customer_uid, r.amount, r.name, r.day) for r in plans.rows] == [
        (2, "kim_4242", 55000, "월 회비", 5),
        (3, "lee_4242", 120000, "PT 10회", LAST_DAY),
    ]
    headerless = read_plans("kim,55000,회비,28\n".encode("cp949"))
    assert [(r.customer_uid, r.day) for r in headerless.rows] == [("kim", 28)]


def test_every_bad_line_refuses_the_whole_plan_file() -> None:
    text = (
        "customer_uid,amount,name,day\n"
        "kim,55,000,회비,5\n"  # five cells: an unquoted comma
        "lee,55000,회비,30\n"  # day 30 moves around: not a billing day
        "park,55000원,회비,5\n"  # not the amount format
        'choi,55000,"회비,5\n'  # a stray quote
        "kim2,1000,회비,1\n"
        "kim2,2000,교재,2\n"  # one plan per member
    )
    plans = read_plans(text.encode())
    assert plans.refused and plans.rows[:1] == plans.rows
    assert [(p.line, p.code) for p in plans.problems] == [
        (2, "plan_columns"),
        (3, "billing_day.format"),
        (4, "amount_format"),
        (5, "quote_unclosed"),
        (7, "plan_duplicate"),
    ]
    assert all(p.message and p.message_en for p in plans.problems)
    assert read_plans("고객,금액,이름,날\n".encode()).problems[0].code == "plan_header_like"
    assert read_plans(b"customer_uid,amount,name\nkim,1,x\n").problems[0].code == "plan_header"


def test_a_plan_counts_from_the_day_it_is_switched_on(till: Till, sandbox_url: str) -> None:
    _save_cards(sandbox_url, ["kim"])
    till.import_customers(["kim"])
    plan = checked_plan("55,000", "월 회비", "5")
    assert save_plan(till, "kim", plan, date(2026, 3, 20))
    assert till.customer("kim").plan.since == "2026-03-20"  # type: ignore[union-attr]
    # A new amount keeps the day it was switched on; pausing keeps it; switching on again moves it.
    save_plan(till, "kim", plan._replace(amount=60000), date(2026, 4, 2))
    assert till.customer("kim").plan.since == "2026-03-20"  # type: ignore[union-attr]
    save_plan(till, "kim", plan._replace(active=False), date(2026, 5, 1))
    assert till.customer("kim").plan.since == "2026-03-20"  # type: ignore[union-attr]
    save_plan(till, "kim", plan, date(2026, 7, 9))
    assert till.customer("kim").plan.since == "2026-07-09"  # type: ignore[union-attr]
    assert not save_plan(till, "nobody", plan, date(2026, 7, 9))
    # Refreshing the card from PortOne never touches the plan.
    till.refresh_customer("kim")
    assert till.customer("kim").plan == plan._replace(since="2026-07-09")  # type: ignore[union-attr]


def test_importing_plans_fetches_unknown_members_and_reports_missing(
    till: Till, sandbox_url: str
) -> None:
    _save_cards(sandbox_url, ["known", "at_portone"])
    till.import_customers(["known"])
    plans = read_plans(b"known,1000,a,1\nat_portone,2000,b,2\nghost,3000,c,3\n")
    result = import_plans(till, plans, date(2026, 3, 1))
    assert sorted(result.saved) == ["at_portone", "known"] and result.not_found == ["ghost"]
    assert till.customer("at_portone").plan == MemberPlan(  # type: ignore[union-attr]
        2000, "b", 2, True, None, None, "2026-03-01"
    )


def _plan(till: Till, uid: str, amount: int, day: int, since: str, **extra: object) -> None:
    till.set_plan(uid, MemberPlan(amount, "월 회비", day, since=since, **extra))  # type: ignore[arg-type]


def test_members_due_on_a_day_are_charged_once_per_month(
    till: Till, sandbox: SandboxAudit, sandbox_url: str
) -> None:
    uids = ["d05", "d28", "dlast", "d20", "paused", "scheduled", "late"]
    _save_cards(sandbox_url, uids)
    till.import_customers(uids)
    _plan(till, "d05", 50000, 5, "2026-01-10")
    _plan(till, "d28", 28000, 28, "2026-01-10")
    _plan(till, "dlast", 31000, LAST_DAY, "2026-01-10")
    _plan(till, "d20", 20000, 20, "2026-01-10")
    _plan(till, "paused", 1000, 1, "2026-01-10", active=False)
    _plan(till, "scheduled", 1000, 1, "2026-01-10", mode="portone")
    _plan(till, "late", 7000, 1, "2026-03-02")  # switched on after this month's day
    due = due_on(till, date(2026, 3, 5))
    assert (due.paused, due.at_portone) == (1, 1)
    assert sorted((i.customer_uid, i.period) for i in due.candidates) == [
        ("d05", "2026-02"),
        ("d05", "2026-03"),
        ("d20", "2026-02"),
        ("d28", "2026-02"),
        ("dlast", "2026-02"),
    ]
    assert all(
        i.merchant_uid == bill_merchant_uid(i.period, i.customer_uid, i.amount, i.name)
        for i in due.candidates
    )
    first = run_items(till, due.candidates, source="due", label="2026-03-05")
    assert first.counts["paid"] == 5 and first.exit_code == 0
    # The next night: the same months are due, and nothing is charged twice.
    again = run_items(till, due_on(till, date(2026, 3, 6)).candidates, source="due", label="x")
    assert again.counts["paid"] == 5 and again.counts["already_done"] == 5
    assert len([p for p in sandbox.payments() if p["status"] == "paid"]) == 5


def test_a_plan_changed_after_its_months_charge_is_not_charged_again_that_month(
    till: Till, sandbox: SandboxAudit, sandbox_url: str
) -> None:
    _save_cards(sandbox_url, ["kim"])
    till.import_customers(["kim"])
    _plan(till, "kim", 50000, 1, "2026-02-15")
    run_items(till, due_on(till, date(2026, 3, 2)).candidates, source="due", label="a")
    _plan(till, "kim", 60000, 1, "2026-02-15")  # a new price from now on
    due = due_on(till, date(2026, 3, 3))
    assert due.candidates == [] and [(s.code, s.period) for s in due.skipped] == [
        ("charged_in_period", "2026-03")
    ]
    # Next month the new amount is charged.
    (april,) = due_on(till, date(2026, 4, 1)).candidates
    assert (april.period, april.amount) == ("2026-04", 60000)
