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

from pos_app.core.order import Order
from pos_app.services.bill_file import BillPlan, BillProblem, BillRow, read_bill

if TYPE_CHECKING:
    from pos_app.services.till import Till

MSG_BLOCKED = "이 고객의 이전 결제 결과가 아직 확인되지 않아 청구하지 않았습니다."


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
        if self.counts["unknown"]:
            return 3
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
            "already_done": self.counts["already_done"],
            "amount_paid": self.amount_paid,
            "problems": [p.to_json() for p in self.problems],
        }


def run_bill(
    till: Till,
    plan: BillPlan,
    progress: Callable[[int, int], None] | None = None,
    batch: int = 50,
) -> BillSummary:
    """Charge every row at most once. Raises BillRefused for a plan with any problem (nothing
    is sent), PortOneError when PortOne cannot be asked."""
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
    total = len(todo)
    for done, row in enumerate(todo, 1):
        if row.customer_uid in unknown_customers:
            summary.problems.append(
                BillProblem(row.line, f"등록되지 않은 고객: {row.customer_uid}")
            )
        elif any(r.merchant_uid != row.merchant_uid for r in till.pending_for(row.customer_uid)):
            summary.counts["unknown"] += 1
            summary.problems.append(BillProblem(row.line, MSG_BLOCKED))
        else:
            order = Order(row.merchant_uid, row.amount, row.name)
            outcome = till.charge_again(row.customer_uid, order)
            summary.counts[outcome.kind] += 1
            if outcome.kind == "paid":
                summary.amount_paid += row.amount
            elif outcome.message:
                summary.problems.append(BillProblem(row.line, outcome.message))
        if progress is not None:
            progress(done, total)
    summary.problems.sort(key=lambda p: p.line)
    return summary


__all__ = [
    "BillPlan",
    "BillProblem",
    "BillRefused",
    "BillRow",
    "BillSummary",
    "read_bill",
    "run_bill",
]
