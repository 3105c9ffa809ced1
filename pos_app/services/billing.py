"""Billing a list of saved cards from a CSV file, resumable after a crash, a kill or an outage.

The file is read by `services.bill_file` under a strict contract; a plan with any problem is
refused whole before anything is sent. Each row's merchant_uid follows from what the row means
and the billing period (`core.bill_identity`), so running the same bill again (re-saved,
re-ordered or with rows appended) asks the journal and PortOne what became of each row instead
of charging it again: paid, declined or refused rows are done; rows PortOne never saw are sent
again with the same id.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from pos_app.core.bill_identity import bill_prefix
from pos_app.core.order import Order
from pos_app.services.bill_file import BillPlan, BillProblem, BillRow, read_bill
from pos_app.services.guard import Answers, ChargeBlocked, Period
from pos_app.services.outcome import blocked_message

if TYPE_CHECKING:
    from pos_app.services.till import Till


class BillRefused(ValueError):
    """The plan has problems: no row of it may be charged until the file is fixed."""

    def __init__(self, problems: list[BillProblem]) -> None:
        super().__init__(f"bill refused: {len(problems)} problem(s)")
        self.problems = problems


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
            "problems": [p.to_json() for p in self.problems],
        }


def run_bill(
    till: Till,
    plan: BillPlan,
    progress: Callable[[int, int], None] | None = None,
    batch: int = 50,
    *,
    repeat_reason: str = "",
) -> BillSummary:
    """Charge every row at most once. Raises BillRefused for a plan with any problem (nothing
    is sent), PortOneError when PortOne cannot be asked.

    Each row is charged through the till's guard: a member with a charge still unsettled or in
    flight (another run, window or counter) is skipped and reported, and so is a member already
    charged the same amount in this billing period by another bill — unless `repeat_reason`
    says why to charge again (kept with the charge).
    """
    if plan.refused:
        raise BillRefused(plan.problems)
    summary = BillSummary(rows=len(plan.rows))
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
    return bill_prefix(plan.period)


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


__all__ = [
    "BillPlan",
    "BillProblem",
    "BillRefused",
    "BillRow",
    "BillSummary",
    "read_bill",
    "run_bill",
]
