"""What the window shows before a billing run sends anything: the members due on a day, a bill
file's rows, or an interrupted run's rest — with the total, the members' names and every row
that will be skipped and why. Built off the GUI thread; nothing here sends a charge (it settles
what is open by asking PortOne, and looks members up there).
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Literal

from pos_app.core.bill_identity import current_period
from pos_app.core.billing_day import check_due_date
from pos_app.services.bill_file import BillProblem, boundary_problem, read_bill
from pos_app.services.billing import items_of_bill
from pos_app.services.member_plans import DueSkip, due_on
from pos_app.services.run_prep import PreparedRun, prepare
from pos_app.services.run_resume import resume_run

if TYPE_CHECKING:
    from pos_app.services.billing_run import BillingRun, RowResult, RunProgress
    from pos_app.services.till import Till
    from pos_app.store.runs import RunRecord

PreviewSource = Literal["due", "file", "resume"]


@dataclass
class RunPreview:
    source: PreviewSource
    label: str  # the due date ("2026-03-05"), the file's name, or the run's label
    period: str = ""  # a file's billing period
    prepared: PreparedRun = field(default_factory=PreparedRun)
    due_skipped: list[DueSkip] = field(default_factory=list)
    paused: int = 0
    at_portone: int = 0
    # customer_uid -> the member's name in the customer index
    names: dict[str, str] = field(default_factory=dict)
    # A refused file: why (nothing else is filled in then).
    problems: list[BillProblem] = field(default_factory=list)
    record: RunRecord | None = None
    run: BillingRun | None = None  # an interrupted run, claimed and ready to start
    retry_reason: str = ""
    repeat_reason: str = ""

    @property
    def refused(self) -> bool:
        return bool(self.problems)

    @property
    def declined(self) -> int:
        """Rows declined before: they can be retried (a new order id, a logged decision)."""
        return len(self.prepared.skipped_by("declined"))


def preview_due(till: Till, day: date, *, retry_reason: str = "") -> RunPreview:
    """Raises InvalidInput("due_date", "future") for a day after today."""
    check_due_date(day, date.today())
    due = due_on(till, day)
    prepared = prepare(till, due.candidates, retry_reason=retry_reason)
    preview = RunPreview(
        "due",
        day.isoformat(),
        prepared=prepared,
        due_skipped=due.skipped,
        paused=due.paused,
        at_portone=due.at_portone,
        retry_reason=retry_reason,
    )
    preview.names = _names(till, preview)
    return preview


def preview_file(
    till: Till,
    path: Path,
    period: str,
    *,
    retry_reason: str = "",
    repeat_reason: str = "",
) -> RunPreview:
    """Raises OSError when the file cannot be read, InvalidInput for a bad period."""
    plan = read_bill(path.read_bytes(), period)
    preview = RunPreview(
        "file", path.name, plan.period, retry_reason=retry_reason, repeat_reason=repeat_reason
    )
    if plan.refused:
        preview.problems = plan.problems
        return preview
    if plan.period == current_period():
        # As `pos-app bill` without --period: last month's bill of this file still open or run
        # in the last 24 hours must be finished under its own period, or this month chosen.
        boundary = boundary_problem(plan, till.journal_row, time.time())
        if boundary is not None:
            preview.problems = [boundary]
            return preview
    preview.prepared = prepare(
        till, items_of_bill(plan), repeat_reason=repeat_reason, retry_reason=retry_reason
    )
    preview.names = _names(till, preview)
    return preview


def preview_resume(
    till: Till,
    record: RunRecord,
    *,
    concurrency: int | None = None,
    on_row: Callable[[RowResult], None] | None = None,
    on_state: Callable[[RunProgress], None] | None = None,
) -> RunPreview:
    """Claims the run (raises run_resume.ResumeRefused when someone else has it)."""
    run, prepared = resume_run(
        till, record, concurrency=concurrency, on_row=on_row, on_state=on_state
    )
    preview = RunPreview(
        "resume",
        record.label,
        prepared=prepared,
        record=record,
        run=run,
        retry_reason=record.retry_reason,
        repeat_reason=record.repeat_reason,
    )
    preview.names = _names(till, preview)
    return preview


def _names(till: Till, preview: RunPreview) -> dict[str, str]:
    uids = {i.customer_uid for i in preview.prepared.items}
    uids |= {s.item.customer_uid for s in preview.prepared.skipped}
    uids |= {s.customer_uid for s in preview.due_skipped}
    names = {}
    for uid in uids:
        row = till.customer(uid)
        if row is not None and row.name:
            names[uid] = row.name
    return names


__all__ = ["RunPreview", "preview_due", "preview_file", "preview_resume"]
