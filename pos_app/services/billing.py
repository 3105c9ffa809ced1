"""Billing a list of saved cards from a CSV file, resumable after a crash, a kill or an outage.

Each row's merchant_uid is derived from the file's bytes and the row's line number
("B" + sha256(file)[:12] + "-" + line), so running the same file again asks the journal and
PortOne what became of each row instead of charging it again: paid, declined or refused rows
are done; rows PortOne never saw are sent again with the same id.
"""

from __future__ import annotations

import csv
import hashlib
import io
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from pos_app.core.errors import InvalidInput
from pos_app.core.money import parse_amount
from pos_app.core.order import Order, check_customer_uid, check_order_name
from pos_app.services.guard import Answers, ChargeBlocked, Period
from pos_app.services.outcome import blocked_message

if TYPE_CHECKING:
    from pos_app.services.till import Till

COLUMNS = ("customer_uid", "amount", "name")


@dataclass(frozen=True)
class BillRow:
    line: int
    customer_uid: str
    amount: int
    name: str
    merchant_uid: str


@dataclass(frozen=True)
class BillProblem:
    line: int
    message: str


@dataclass
class BillPlan:
    digest: str
    rows: list[BillRow] = field(default_factory=list)
    problems: list[BillProblem] = field(default_factory=list)


@dataclass
class BillSummary:
    rows: int = 0
    counts: Counter[str] = field(default_factory=Counter)
    amount_paid: int = 0
    problems: list[BillProblem] = field(default_factory=list)

    @property
    def exit_code(self) -> int:
        if self.counts["unknown"] or self.counts["blocked"]:
            return 3  # some rows' outcome is still to be learned: run again later
        if self.counts["declined"] or self.counts["refused"] or self.problems:
            return 2
        return 0

    def to_json(self) -> dict[str, object]:
        return {
            "rows": self.rows,
            "paid": self.counts["paid"],
            "declined": self.counts["declined"],
            "refused": self.counts["refused"],
            "unknown": self.counts["unknown"],
            "blocked": self.counts["blocked"],
            "repeat": self.counts["repeat"],
            "already_done": self.counts["already_done"],
            "amount_paid": self.amount_paid,
            "problems": [{"line": p.line, "message": p.message} for p in self.problems],
        }


def _decode(data: bytes) -> str:
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        # Korean Excel saves CSV as CP949 unless told otherwise.
        return data.decode("cp949", errors="replace")


def read_bill(data: bytes) -> BillPlan:
    """Rows to charge and problems by line number; nothing here talks to PortOne."""
    digest = hashlib.sha256(data).hexdigest()[:12]
    plan = BillPlan(digest)
    reader = csv.reader(io.StringIO(_decode(data), newline=""))
    positions = {name: i for i, name in enumerate(COLUMNS)}
    seen: dict[tuple[str, int, str], int] = {}
    first = True
    for cells in reader:
        line = reader.line_num
        cells = [c.strip() for c in cells]
        if not any(cells) or cells[0].startswith("#"):
            continue
        if first:
            first = False
            lowered = [c.lower() for c in cells]
            if set(COLUMNS) <= set(lowered):
                positions = {name: lowered.index(name) for name in COLUMNS}
                continue
        problem = _check_row(cells, positions)
        if isinstance(problem, str):
            plan.problems.append(BillProblem(line, problem))
            continue
        if problem in seen:
            plan.problems.append(BillProblem(line, f"{seen[problem]}행과 같은 행입니다 (중복)."))
            continue
        seen[problem] = line
        uid, amount, name = problem
        plan.rows.append(BillRow(line, uid, amount, name, f"B{digest}-{line}"))
    return plan


def _check_row(cells: list[str], positions: dict[str, int]) -> tuple[str, int, str] | str:
    if len(cells) <= max(positions.values()):
        return "열이 모자랍니다: customer_uid,amount,name 이 필요합니다."
    uid, amount_text, name = (cells[positions[c]] for c in COLUMNS)
    try:
        check_customer_uid(uid)
        amount = parse_amount(amount_text)
        check_order_name(name)
    except InvalidInput as exc:
        return f"{exc.field}: {exc.message()}"
    return uid, amount, name


def run_bill(
    till: Till,
    plan: BillPlan,
    progress: Callable[[int, int], None] | None = None,
    batch: int = 50,
    *,
    repeat_reason: str = "",
) -> BillSummary:
    """Charge every good row at most once. Raises PortOneError when PortOne cannot be asked.

    Each row is charged through the till's guard: a member with a charge still unsettled or in
    flight (another run, window or counter) is skipped and reported, and so is a member already
    charged the same amount in this billing period by another bill — unless `repeat_reason`
    says why to charge again (kept with the charge).
    """
    summary = BillSummary(rows=len(plan.rows) + len(plan.problems))
    summary.problems.extend(plan.problems)
    # Settle what an earlier run left open first: its answers decide what is left to charge.
    till.reconcile()
    todo = []
    for row in plan.rows:
        earlier = till.journal.get(row.merchant_uid)
        if earlier is not None and earlier.state in ("paid", "declined", "refused"):
            summary.counts["already_done"] += 1
            summary.counts[earlier.state] += 1
            if earlier.state == "paid":
                summary.amount_paid += earlier.amount
            elif earlier.reason:
                summary.problems.append(BillProblem(row.line, earlier.reason))
        else:
            todo.append(row)
    _, missing = till.import_customers(sorted({r.customer_uid for r in todo}), batch)
    unknown_customers = set(missing)
    period = Period(_period_prefix(plan), frozenset(r.merchant_uid for r in plan.rows))
    answers = Answers(repeat_reason=repeat_reason)
    total = len(todo)
    for done, row in enumerate(todo, 1):
        if row.customer_uid in unknown_customers:
            summary.problems.append(
                BillProblem(row.line, f"등록되지 않은 고객: {row.customer_uid}")
            )
        else:
            _charge_row(till, row, period, answers, summary)
        if progress is not None:
            progress(done, total)
    summary.problems.sort(key=lambda p: p.line)
    return summary


def _period_prefix(plan: BillPlan) -> str:
    """The order-id prefix every row of this bill's period shares."""
    return f"B{plan.digest}-"


def _charge_row(
    till: Till, row: BillRow, period: Period, answers: Answers, summary: BillSummary
) -> None:
    order = Order(row.merchant_uid, row.amount, row.name)
    try:
        outcome = till.charge_again(row.customer_uid, order, answers=answers, period=period)
    except ChargeBlocked as blocked:
        # Nothing was sent. In flight or unsettled: its outcome is pending, like an unknown row;
        # a repeat in the period needs a person's decision.
        summary.counts["repeat" if blocked.reason == "repeat" else "blocked"] += 1
        summary.problems.append(BillProblem(row.line, blocked_message(blocked)))
        return
    summary.counts[outcome.kind] += 1
    if outcome.kind == "paid":
        summary.amount_paid += row.amount
    elif outcome.message:
        summary.problems.append(BillProblem(row.line, outcome.message))
