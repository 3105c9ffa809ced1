"""Billing a list of saved cards — a CSV file or the members due on a day — resumable after a
crash, a kill or an outage, on one engine shared by the window and the command line.

The file is read by `services.bill_file` under a strict contract; a plan with any problem is
refused whole before anything is sent. Each row's merchant_uid follows from what the row means
and the billing period (`core.bill_identity`), so running the same bill again (re-saved,
re-ordered or with rows appended) asks the journal and PortOne what became of each row instead
of charging it again: paid, declined or refused rows are done; rows PortOne never saw are sent
again with the same id.

A run is prepared (`services.run_prep`: settle what is open, say what will be charged and what
is skipped), recorded (`store.runs`: its rows and how far it got, for resuming after a kill) and
then charged by `services.billing_run.BillingRun`, several rows at a time.
"""

from __future__ import annotations

import logging
import threading
import time
from collections import Counter
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from pos_app.services.bill_file import BillPlan, BillProblem, BillRow, read_bill
from pos_app.services.billing_run import BillingRun, RowResult, RunItem, RunProgress
from pos_app.services.run_prep import PreparedRun, prepare
from pos_app.store.runs import RunRecord, RunSource

if TYPE_CHECKING:
    from pos_app.services.till import Till

log = logging.getLogger(__name__)

# A run paused by connection failures asks PortOne again after these waits, then every 30 s.
PROBE_WAITS_S = (2.0, 4.0, 8.0, 15.0, 30.0)
# `pos-app bill` / `run-due` give up waiting for PortOne after this long (rows left: not sent).
OUTAGE_WAIT_S = 600.0


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
    run_id: str = ""
    concurrency: int = 0
    # Why the run stopped before its end ("" when it did not): connection, storage or person.
    stopped: str = ""
    # Every row not paid now, by row: (item, what it came to or why it was skipped, message).
    unbilled: list[tuple[RunItem, str, str]] = field(default_factory=list)

    @property
    def exit_code(self) -> int:
        counts = self.counts
        if counts["unknown"] or counts["blocked"] or counts["not_sent"]:
            return 3  # some rows' outcome is still to be learned, or they are left: run again
        if counts["declined"] or counts["refused"] or self.problems:
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
            "not_sent": self.counts["not_sent"],
            "already_done": self.counts["already_done"],
            "amount_paid": self.amount_paid,
            "run_id": self.run_id,
            "concurrency": self.concurrency,
            "stopped": self.stopped,
            "problems": [p.to_json() for p in self.problems],
        }


def items_of_bill(plan: BillPlan) -> list[RunItem]:
    return [
        RunItem(n, r.line, r.customer_uid, r.amount, r.name, plan.period, r.merchant_uid)
        for n, r in enumerate(plan.rows)
    ]


def start_run(
    till: Till,
    prepared: PreparedRun,
    *,
    source: RunSource,
    label: str,
    concurrency: int | None = None,
    repeat_reason: str = "",
    retry_reason: str = "",
    on_row: Callable[[RowResult], None] | None = None,
    on_state: Callable[[RunProgress], None] | None = None,
    record: RunRecord | None = None,
) -> BillingRun:
    """A recorded run of `prepared.items` (not started yet). With `record` (a run being resumed
    after a kill, already claimed) its record is reused; otherwise a new one is written first,
    so a kill at any moment after this leaves a run that can be resumed."""
    book = till.run_book()
    run = BillingRun(
        till,
        prepared.items,
        siblings=prepared.siblings,
        concurrency=concurrency,
        repeat_reason=repeat_reason,
        retry_reason=retry_reason,
        book=book,
        on_row=on_row,
        on_state=on_state,
    )
    if record is None:
        record = book.create(
            origin=till.origin,
            source=source,
            label=label,
            owner=till.lease.owner,
            rows=[
                (
                    i.position,
                    i.line,
                    i.customer_uid,
                    i.amount,
                    i.name,
                    i.period,
                    i.merchant_uid,
                    i.retry_of,
                )
                for i in prepared.items
            ],
            repeat_reason=repeat_reason,
            retry_reason=retry_reason,
            concurrency=run.concurrency,
        )
    run.record = record
    return run


def drive(
    run: BillingRun,
    *,
    outage_wait_s: float = OUTAGE_WAIT_S,
    on_tick: Callable[[RunProgress], None] | None = None,
    tick_s: float = 0.2,
    stop_event: threading.Event | None = None,
) -> RunProgress:
    """Run to the end with nobody at the window (the command line): a run that paused itself
    for connection failures is resumed once PortOne answers again, and stopped (rows left not
    sent) after `outage_wait_s`; a storage failure stops it."""
    run.start()
    outage_since: float | None = None
    waits: Iterator[float] = iter(PROBE_WAITS_S)
    next_probe = 0.0
    while not run.wait(tick_s):
        progress = run.progress()
        if on_tick is not None:
            on_tick(progress)
        if stop_event is not None and stop_event.is_set():
            run.stop()
        if progress.state != "paused":
            continue
        if progress.reason != "connection":
            run.stop()
            continue
        now = time.monotonic()
        if outage_since is None:
            outage_since, waits = now, iter(PROBE_WAITS_S)
            next_probe = now + next(waits)
            log.warning("billing run paused: PortOne unreachable (%s)", progress.detail)
        if now < next_probe:
            continue
        if run.till.reachable():
            log.warning("PortOne answers again: billing run resumes")
            outage_since = None
            run.resume()
        elif now - outage_since > outage_wait_s:
            run.stop()
        else:
            next_probe = now + next(waits, PROBE_WAITS_S[-1])
    final = run.progress()
    if on_tick is not None:
        on_tick(final)
    return final


def summarize(rows: int, prepared: PreparedRun, run: BillingRun | None) -> BillSummary:
    """The command line's summary: what was skipped before the run and what each row came to."""
    summary = BillSummary(rows=rows)
    if run is not None:
        summary.concurrency = run.concurrency
        summary.run_id = run.record.id if run.record is not None else ""
    for skipped in prepared.skipped:
        line, earlier = skipped.item.line, skipped.earlier
        if skipped.code != "already_paid":
            summary.unbilled.append((skipped.item, skipped.code, skipped.message))
        if skipped.code in ("already_paid", "declined", "refused", "retries_used"):
            state = earlier.state if earlier is not None else "paid"
            summary.counts["already_done"] += 1
            summary.counts[state] += 1
            if state == "paid":
                summary.amount_paid += earlier.amount if earlier is not None else 0
            elif earlier is not None and earlier.reason:
                summary.problems.append(BillProblem(line, earlier.reason))
        elif skipped.code == "no_customer":
            summary.problems.append(BillProblem(line, skipped.message))
        else:  # unsettled, repeat, charged_in_period: a person decides first
            summary.counts["repeat" if skipped.code == "repeat" else "blocked"] += 1
            summary.problems.append(BillProblem(line, skipped.message))
    if run is None:
        summary.problems.sort(key=lambda p: p.line)
        return summary
    for result in run.results():
        kind = result.kind
        summary.counts[kind] += 1
        if kind == "paid":
            summary.amount_paid += result.item.amount
            continue
        summary.unbilled.append((result.item, kind, result.message))
        if result.message:
            summary.problems.append(BillProblem(result.item.line, result.message))
    progress = run.progress()
    if progress.state == "stopped":
        summary.stopped = progress.reason or "person"
    summary.problems.sort(key=lambda p: p.line)
    return summary


def run_bill(
    till: Till,
    plan: BillPlan,
    progress: Callable[[int, int], None] | None = None,
    batch: int = 50,
    *,
    repeat_reason: str = "",
    retry_reason: str = "",
    concurrency: int | None = None,
    label: str = "",
    on_tick: Callable[[RunProgress], None] | None = None,
    outage_wait_s: float = OUTAGE_WAIT_S,
) -> BillSummary:
    """Charge every row at most once. Raises BillRefused for a plan with any problem (nothing
    is sent), PortOneError when PortOne cannot be asked before starting.

    Each row is charged through the till's guard: a member with a charge still unsettled or in
    flight (another run, window or counter) is skipped and reported, and so is a member already
    charged the same amount in this billing period by another bill — unless `repeat_reason`
    says why to charge again (kept with the charge). Declined rows are charged again, under a
    new order id, only with `retry_reason` (kept with the charge).
    """
    if plan.refused:
        raise BillRefused(plan.problems)
    prepared = prepare(
        till,
        items_of_bill(plan),
        repeat_reason=repeat_reason,
        retry_reason=retry_reason,
        batch=batch,
    )
    if not prepared.items:
        return summarize(len(plan.rows), prepared, None)
    run = start_run(
        till,
        prepared,
        source="file",
        label=label or plan.bill_id,
        concurrency=concurrency,
        repeat_reason=repeat_reason,
        retry_reason=retry_reason,
    )

    def tick(state: RunProgress) -> None:
        if progress is not None:
            progress(state.done, state.total)
        if on_tick is not None:
            on_tick(state)

    drive(run, outage_wait_s=outage_wait_s, on_tick=tick)
    return summarize(len(plan.rows), prepared, run)


def run_items(
    till: Till,
    candidates: Sequence[RunItem],
    *,
    source: RunSource,
    label: str,
    repeat_reason: str = "",
    retry_reason: str = "",
    concurrency: int | None = None,
    on_tick: Callable[[RunProgress], None] | None = None,
    outage_wait_s: float = OUTAGE_WAIT_S,
) -> BillSummary:
    """As run_bill, for rows that come from somewhere else than a file (members due on a day)."""
    prepared = prepare(till, candidates, repeat_reason=repeat_reason, retry_reason=retry_reason)
    if not prepared.items:
        return summarize(len(candidates), prepared, None)
    run = start_run(
        till,
        prepared,
        source=source,
        label=label,
        concurrency=concurrency,
        repeat_reason=repeat_reason,
        retry_reason=retry_reason,
    )
    drive(run, outage_wait_s=outage_wait_s, on_tick=on_tick)
    return summarize(len(candidates), prepared, run)


__all__ = [
    "BillPlan",
    "BillProblem",
    "BillRefused",
    "BillRow",
    "BillSummary",
    "drive",
    "items_of_bill",
    "read_bill",
    "run_bill",
    "run_items",
    "start_run",
    "summarize",
]
