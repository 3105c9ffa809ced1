"""Billing runs that stopped without a word (a kill, a power cut, a crash) and resuming them.

A run record left `running` or `paused` whose owner's lease is gone was interrupted. Its rows
are what it set out to charge; the journal, and PortOne, say what became of each. Resuming
claims the run (only one process wins), settles what was in flight by asking PortOne first (the
engine waits until a charge of the dead process can no longer be in flight, then asks), and
charges what is left under the very same order ids, so nothing is charged twice.

A record whose every row is settled already (another run of the same rows finished the work:
`pos-app bill` run again after a kill) is closed quietly: there is nothing to offer.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from pos_app.services.billing import start_run
from pos_app.services.billing_run import BillingRun, RowResult, RunItem, RunProgress
from pos_app.services.run_prep import PreparedRun, prepare
from pos_app.store.runs import RunRecord, RunRowRecord

if TYPE_CHECKING:
    from pos_app.services.till import Till

_DONE = ("paid", "declined", "refused")


@dataclass(frozen=True)
class Interrupted:
    record: RunRecord
    rows: int  # rows the run set out to charge
    left: int  # of those, rows the journal does not hold as done
    amount_left: int


class ResumeRefused(Exception):
    """Someone else is driving (or has just claimed) this run."""


def interrupted_runs(till: Till) -> list[Interrupted]:
    """Runs of this place left open by a process that is gone, with rows still to charge.
    Those with nothing left are closed as finished on the way."""
    book = till.run_book()
    found = []
    for record in book.open_runs(till.origin):
        if record.owner == till.lease.owner or till.lease.alive(record.owner):
            continue  # driven right now, here or by another process
        rows = book.rows(record.id)
        left = [r for r in rows if not _done(till, r)]
        if not left:
            book.set_state(record.id, "finished")
            continue
        found.append(Interrupted(record, len(rows), len(left), sum(r.amount for r in left)))
    return found


def resume_run(
    till: Till,
    record: RunRecord,
    *,
    concurrency: int | None = None,
    on_row: Callable[[RowResult], None] | None = None,
    on_state: Callable[[RunProgress], None] | None = None,
) -> tuple[BillingRun, PreparedRun]:
    """Claim an interrupted run and prepare the rest of it (not started yet). Raises
    ResumeRefused when another process claimed it first or still drives it."""
    book = till.run_book()
    if till.lease.alive(record.owner) or not book.claim(record.id, record.owner, till.lease.owner):
        raise ResumeRefused(record.id)
    rows = book.rows(record.id)
    items = [item_of(r) for r in rows]
    # The retry decision was made when the run started: its rows already carry their attempt's
    # order id, and resuming must never move on to a further attempt.
    prepared = prepare(till, items, repeat_reason=record.repeat_reason)
    for skipped in prepared.skipped:
        book.report(record.id, skipped.item.position, "already_done", skipped.message)
    run = start_run(
        till,
        prepared,
        source=record.source,
        label=record.label,
        concurrency=concurrency or record.concurrency,
        repeat_reason=record.repeat_reason,
        retry_reason=record.retry_reason,
        on_row=on_row,
        on_state=on_state,
        record=record,
    )
    return run, prepared


def item_of(row: RunRowRecord) -> RunItem:
    return RunItem(
        row.position,
        row.line,
        row.customer_uid,
        row.amount,
        row.name,
        row.period,
        row.merchant_uid,
        row.retry_of,
    )


def _done(till: Till, row: RunRowRecord) -> bool:
    """Settled in the journal, or a row the run could never charge without a person's decision
    (the same amount in the period by another bill, a member PortOne does not know)."""
    if row.outcome in ("repeat", "no_customer"):
        return True
    charge = till.journal_row(row.merchant_uid)
    return charge is not None and charge.state in _DONE


__all__ = ["Interrupted", "ResumeRefused", "interrupted_runs", "item_of", "resume_run"]
