"""Member plans: what each member is charged every month, and which charges are due on a day.

A plan (store.customers.MemberPlan) is kept in the customer index — never card data. It is set
in the window's customer list, or imported from a CSV file with the columns customer_uid,
amount, name, day under the same strict rules as bill files (services/bill_file.py: one bad
line refuses the whole file, every bad line is listed).

**Due on a date** (core.billing_day): a member is due for a month once its billing day in that
month has come, from the day the plan was switched on; the previous month is looked at too, so
days the counter PC was off are caught up. Each due charge becomes a run row whose billing
period is the plan's month, so its order id (core.bill_identity) is the same whoever runs it and
however often: a second run, or a second counter, charges nothing twice. A member whose plan
was already charged for that month (by a run of members due) at an amount since changed is
skipped and said so, never charged a second time for the month.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING, ClassVar

from pos_app.core.bill_identity import bill_merchant_uid
from pos_app.core.billing_day import (
    check_months,
    due_months,
    parse_billing_day,
    parse_month,
)
from pos_app.core.errors import InvalidInput
from pos_app.core.money import parse_amount
from pos_app.core.order import normalise_order_name
from pos_app.services.bill_file import (
    BillProblem,
    CsvShape,
    FileProblem,
    bill_amount,
    cells_problem,
    customer_uid,
    decode_bill,
    invalid,
    looks_like_header,
    order_name,
    strict_lines,
)
from pos_app.services.billing_run import RunItem
from pos_app.store.customers import MemberPlan

if TYPE_CHECKING:
    from pos_app.services.till import Till
    from pos_app.store.customers import CustomerRow

PLAN_COLUMNS = ("customer_uid", "amount", "name", "day")


class PlanFileProblem(FileProblem):
    """Bill-file problems, and the ones only a plan file has."""

    _TEXT: ClassVar[dict[str, tuple[str, str]]] = {
        **FileProblem._TEXT,
        "plan_columns": (
            "칸이 {count}개입니다. customer_uid,amount,name,day 네 칸이어야 합니다 (쉼표가 든 "
            '금액은 "55,000"처럼 따옴표로 감싸세요).',
            "The line has {count} cells; it must have exactly four: customer_uid,amount,name,day "
            '(quote an amount with commas, as in "55,000").',
        ),
        "plan_header": (
            "머리글은 customer_uid, amount, name, day 네 열을 한 번씩만 가져야 합니다 ({detail}).",
            "The header must name each of customer_uid, amount, name and day exactly once "
            "({detail}).",
        ),
        "plan_header_like": (
            "첫 줄이 머리글도 회원 행도 아닙니다. 머리글은 customer_uid,amount,name,day 입니다.",
            "The first line is neither a header nor a member row. The header is "
            "customer_uid,amount,name,day.",
        ),
        "plan_duplicate": (
            "{first}행과 같은 회원입니다. 회원마다 한 줄만 적어 주세요.",
            "The same member as line {first}. List each member once.",
        ),
    }


PLAN_SHAPE = CsvShape(
    PLAN_COLUMNS, "plan_columns", "plan_header", "plan_header_like", PlanFileProblem
)


@dataclass(frozen=True)
class PlanRow:
    line: int
    customer_uid: str
    amount: int
    name: str
    day: int


@dataclass
class PlanFile:
    rows: list[PlanRow] = field(default_factory=list)
    problems: list[BillProblem] = field(default_factory=list)

    @property
    def refused(self) -> bool:
        return bool(self.problems)


def read_plans(data: bytes) -> PlanFile:
    """A plan file's rows, or every problem that refuses it (nothing is saved then)."""
    plans = PlanFile()
    text = decode_bill(data)
    if isinstance(text, BillProblem):
        plans.problems.append(text)
        return plans
    seen: dict[str, int] = {}
    for line in strict_lines(text, PLAN_SHAPE, plans.problems):
        if isinstance(line, BillProblem):
            plans.problems.append(line)
            continue
        shaped = cells_problem(line, PLAN_SHAPE)
        if shaped is not None:
            if looks_like_header(line):
                plans.problems.append(PlanFileProblem.problem(line.number, "plan_header_like"))
            plans.problems.append(shaped)
            continue
        problems: list[BillProblem] = []
        uid = customer_uid(line.number, line.cell("customer_uid"), problems)
        amount = bill_amount(line.number, line.cell("amount"), problems)
        name = order_name(line.number, line.cell("name"), problems)
        day = 0
        try:
            day = parse_billing_day(line.cell("day"))
        except InvalidInput as exc:
            problems.append(invalid(line.number, exc))
        if problems:
            if looks_like_header(line):
                problems.insert(0, PlanFileProblem.problem(line.number, "plan_header_like"))
            plans.problems.extend(problems)
        elif uid in seen:
            plans.problems.append(
                PlanFileProblem.problem(line.number, "plan_duplicate", first=seen[uid])
            )
        else:
            seen[uid] = line.number
            plans.rows.append(PlanRow(line.number, uid, amount, name, day))
    if not plans.rows and not plans.problems:
        plans.problems.append(FileProblem.problem(0, "empty"))
    return plans


def checked_plan(
    amount: str | int,
    name: str,
    day: str | int,
    *,
    active: bool = True,
    start: str = "",
    end: str = "",
) -> MemberPlan:
    """A plan from what a person typed; raises InvalidInput naming the field."""
    start_month = parse_month(start) if str(start).strip() else None
    end_month = parse_month(end) if str(end).strip() else None
    check_months(start_month, end_month)
    return MemberPlan(
        parse_amount(amount),
        normalise_order_name(name),
        parse_billing_day(day),
        active,
        start_month,
        end_month,
    )


def with_since(plan: MemberPlan, earlier: MemberPlan | None, today: date) -> MemberPlan:
    """`plan` as it is to be saved: switched on today unless it was on already (an edited
    amount or name keeps the day it was switched on; a paused plan keeps its old one)."""
    since: str | None
    if earlier is not None and earlier.active and earlier.since:
        since = earlier.since
    elif plan.active:
        since = today.isoformat()
    else:
        since = earlier.since if earlier is not None else None
    return plan._replace(since=since, mode=earlier.mode if earlier is not None else plan.mode)


class PlanAtPortOne(Exception):
    """The plan is charged by PortOne schedules: revoke them before changing it (they were
    registered with its amount, name and day)."""


def save_plan(till: Till, customer_uid: str, plan: MemberPlan | None, today: date) -> bool:
    """Set (or, with None, remove) one member's plan; False when the member is not saved.
    Raises PlanAtPortOne for a plan PortOne's schedules charge, unless nothing changes."""
    row = till.customer(customer_uid)
    if row is None:
        return False
    earlier = row.plan
    if earlier is not None and earlier.mode == "portone":
        same = plan is not None and plan._replace(since=None, mode="portone") == earlier._replace(
            since=None
        )
        if not same:
            raise PlanAtPortOne(customer_uid)
    if plan is not None:
        plan = with_since(plan, row.plan, today)
    return till.set_plan(customer_uid, plan)


@dataclass(frozen=True)
class PlanImport:
    saved: list[str]
    not_found: list[str]


def import_plans(till: Till, plans: PlanFile, today: date) -> PlanImport:
    """Save a plan file's plans (active from today, or kept as they were switched on). Members
    the customer index does not know are fetched from PortOne first; those it does not know
    either are reported and get no plan."""
    uids = [r.customer_uid for r in plans.rows]
    unknown = {u for u in uids if till.customer(u) is None}
    if unknown:
        till.import_customers(sorted(unknown))
    changes: list[tuple[str, MemberPlan | None]] = []
    missing = []
    for row in plans.rows:
        existing = till.customer(row.customer_uid)
        if existing is None:
            missing.append(row.customer_uid)
            continue
        plan = MemberPlan(row.amount, row.name, row.day)
        changes.append((row.customer_uid, with_since(plan, existing.plan, today)))
    not_saved = till.set_plans(changes)
    saved = [uid for uid, _ in changes if uid not in not_saved]
    return PlanImport(saved, missing + not_saved)


@dataclass(frozen=True)
class DueSkip:
    """A member due who is not charged, and why (code, and the order id already charged)."""

    customer_uid: str
    period: str
    code: str
    merchant_uid: str = ""


@dataclass
class DueRun:
    """The members due on `day`: rows to hand to a run, and the ones left out before that."""

    day: date
    candidates: list[RunItem] = field(default_factory=list)
    skipped: list[DueSkip] = field(default_factory=list)
    paused: int = 0  # members whose plan is paused
    at_portone: int = 0  # members whose plan PortOne charges by schedule


def due_on(till: Till, day: date) -> DueRun:
    """Every member charge due on `day` (the module's rule), in customer order."""
    due = DueRun(day)
    wanted: list[tuple[CustomerRow, MemberPlan, str]] = []
    for row in till.members_with_plans():
        plan = row.plan
        if plan is None:
            continue
        if not plan.active:
            due.paused += 1
            continue
        if plan.mode == "portone":
            due.at_portone += 1
            continue
        since = date.fromisoformat(plan.since) if plan.since else day
        for month, _when in due_months(plan.day, day, since=since, start=plan.start, end=plan.end):
            wanted.append((row, plan, month))
    charged = till.run_book().plan_charges({month for _, _, month in wanted})
    for row, plan, month in wanted:
        uid = bill_merchant_uid(month, row.customer_uid, plan.amount, plan.name)
        earlier = charged.get((row.customer_uid, month))
        if earlier is not None and earlier != uid:
            due.skipped.append(DueSkip(row.customer_uid, month, "charged_in_period", earlier))
            continue
        due.candidates.append(
            RunItem(len(due.candidates), 0, row.customer_uid, plan.amount, plan.name, month, uid)
        )
    return due


__all__ = [
    "PLAN_COLUMNS",
    "DueRun",
    "DueSkip",
    "PlanAtPortOne",
    "PlanFile",
    "PlanImport",
    "PlanRow",
    "checked_plan",
    "due_on",
    "import_plans",
    "read_plans",
    "save_plan",
    "with_since",
]
