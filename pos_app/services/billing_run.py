"""The billing run engine: many saved cards charged again, several at a time, bounded, paced,
pausable, resumable — and each row charged at most once whatever happens.

Each row goes through `Till.charge_again` like any other charge (the intent and the guard in one
journal transaction before anything is sent, this process's lease as sender, lost answers
settled by asking PortOne), so the engine adds only the *how many at once*:

- `concurrency` threads (1 … MAX_CONCURRENCY) take rows from a `RunQueue`, which never hands out
  two rows of one member at once; every charge first waits its turn at a `CallPacer`, so the run
  never sends more than PortOne's 50 key-in calls per second, however many threads it has.
- **pause** sends nothing new (rows in flight finish), **resume** goes on, **stop** sends nothing
  more and reports the rows left as not sent.
- A row that must wait for someone else's charge to the same member (another counter, a charge of
  a killed run that may still be in flight) is tried again once that charge can be settled — by
  asking PortOne first, never by sending it twice.
- **Repeated failures pause the run by themselves** (`failure_limit` charges in a row whose answer
  was lost, or refused before sending, e.g. the network or the token is gone) and say why, rather
  than marking hundreds of rows "unknown".
- Every row's outcome is written to the run record (store/runs.py) as it comes, so a run killed at
  any moment can be resumed: the journal, and PortOne, say what became of each row.

Callbacks (`on_row`, `on_state`) are called on the run's own threads; the window turns them into
signals for its GUI thread.
"""

from __future__ import annotations

import logging
import threading
import time
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Literal

from pos_app.core.bill_identity import bill_prefix
from pos_app.services.guard import Answers, ChargeBlocked, Period
from pos_app.services.outcome import blocked_message
from pos_app.services.pacing import (
    DEFAULT_CONCURRENCY,
    MAX_CONCURRENCY,
    PACED_CALLS_PER_S,
    CallPacer,
)
from pos_app.services.run_items import (
    FINAL_KINDS,
    MSG_NOT_SENT,
    MSG_RESEND,
    MSG_WAITING,
    PauseReason,
    RowKind,
    RowResult,
    RunItem,
    RunProgress,
    RunState,
    clamp_concurrency,
)
from pos_app.services.run_queue import RunQueue

if TYPE_CHECKING:
    from pos_app.services.outcome import ChargeOutcome
    from pos_app.services.till import Till
    from pos_app.store.journal import JournalRow
    from pos_app.store.runs import RunBook, RunRecord

log = logging.getLogger(__name__)

# This many lost answers (or refusals before sending) in a row pause the run by itself.
FAILURE_LIMIT = 3
# How long a row waits, at most, for someone else's charge to the same member to be settled.
WAIT_FOR_OTHERS_S = 180.0
# How often a row waiting on another live process's charge looks again.
RECHECK_OTHERS_S = 1.0
# A row PortOne never got is sent again (same order id) at most this many times in one run.
MAX_RESENDS = 3
# The last look at PortOne for rows whose answer was lost takes at most this long.
SETTLE_PASS_S = 15.0


@dataclass
class _Flight:
    """What the engine remembers of a row between tries."""

    first_wait: float | None = None
    # Times it was sent again after PortOne never got it.
    resends: int = 0


@dataclass(frozen=True)
class _Later:
    """Try the row again in `delay_s` seconds; `message` says why it waits."""

    delay_s: float
    message: str


@dataclass
class _Totals:
    counts: Counter[str] = field(default_factory=Counter)
    amount_paid: int = 0
    done: int = 0
    consecutive_failures: int = 0


class BillingRun:
    """Charge `items` with `concurrency` threads. `siblings` are every order id of the same bill
    (done before or not): two rows of one bill are two intended charges, not a repeat."""

    def __init__(
        self,
        till: Till,
        items: Sequence[RunItem],
        *,
        siblings: Iterable[str] = (),
        concurrency: int | None = None,
        calls_per_s: float = PACED_CALLS_PER_S,
        repeat_reason: str = "",
        retry_reason: str = "",
        book: RunBook | None = None,
        record: RunRecord | None = None,
        on_row: Callable[[RowResult], None] | None = None,
        on_state: Callable[[RunProgress], None] | None = None,
        failure_limit: int = FAILURE_LIMIT,
        wait_for_others_s: float = WAIT_FOR_OTHERS_S,
    ) -> None:
        self.till = till
        self.items = list(items)
        self.concurrency = clamp_concurrency(concurrency)
        self.book = book
        self.record = record
        self._on_row = on_row
        self._on_state = on_state
        self._repeat_reason = repeat_reason
        self._retry_reason = retry_reason
        self._failure_limit = max(1, failure_limit)
        self._wait_for_others_s = wait_for_others_s
        uids = set(siblings) | {i.merchant_uid for i in self.items}
        self._periods = {
            p: Period(bill_prefix(p), frozenset(uids)) for p in {i.period for i in self.items}
        }
        self._queue: RunQueue[RunItem] = RunQueue(self.items, lambda i: i.customer_uid)
        self._pacer = CallPacer(calls_per_s)
        # Set while nothing new may be sent (pause, stop): a thread waiting its turn gives up.
        self._hold = threading.Event()
        self._lock = threading.Lock()
        self._state: RunState = "ready"
        self._reason: PauseReason = ""
        self._detail = ""
        self._totals = _Totals()
        self._flights: dict[int, _Flight] = {}
        self._results: dict[int, RowResult] = {}
        self._threads: list[threading.Thread] = []
        self._alive = 0
        self._started = 0.0
        self._paused_s = 0.0
        self._paused_at: float | None = None
        self._sent = 0
        self._detached = False

    # -- control --------------------------------------------------------------------------------
    def start(self) -> None:
        with self._lock:
            if self._state != "ready":
                return
            self._state = "running"
            self._started = time.monotonic()
            self._alive = self.concurrency
        for number in range(self.concurrency):
            thread = threading.Thread(
                target=self._work, name=f"billing-run-{number + 1}", daemon=True
            )
            self._threads.append(thread)
            thread.start()
        self._emit_state()

    def run(self) -> RunProgress:
        """Start and wait until the run has finished or was stopped."""
        self.start()
        self.wait()
        return self.progress()

    def pause(self, reason: PauseReason = "person", detail: str = "") -> None:
        """Send nothing new; rows in flight finish. The state is "paused" once they have."""
        with self._lock:
            if self._state not in ("running", "pausing"):
                return
            self._hold.set()
            self._queue.pause()
            self._state = "pausing"
            self._reason, self._detail = reason, detail
            if self._paused_at is None:
                self._paused_at = time.monotonic()
        log.warning("billing run pausing (%s) %s", reason, detail)
        self._maybe_paused()
        self._emit_state()

    def resume(self) -> None:
        with self._lock:
            if self._state not in ("pausing", "paused"):
                return
            self._state = "running"
            self._reason, self._detail = "", ""
            self._totals.consecutive_failures = 0
            if self._paused_at is not None:
                self._paused_s += time.monotonic() - self._paused_at
                self._paused_at = None
            self._hold.clear()
            self._queue.resume()
        if self.book is not None and self.record is not None:
            self.book.set_state(self.record.id, "running")
        self._emit_state()

    def stop(self) -> None:
        """Send nothing more; rows in flight finish, the rest are reported as not sent."""
        with self._lock:
            if self._state in ("stopping", "stopped", "finished", "ready"):
                if self._state == "ready":
                    self._state = "stopped"
                return
            self._state = "stopping"
            self._hold.set()
        for item in self._queue.stop():
            self._finish_row(RowResult(item, "not_sent", MSG_NOT_SENT))
        self._emit_state()

    def detach(self, timeout: float | None = None) -> bool:
        """Leave the run to be resumed later (the window is closing): nothing new is sent, rows
        in flight finish (for up to `timeout`), the threads end, and the record stays "paused"
        with this process as its owner — once the process is gone, the next start offers to
        resume it. True when nothing was left in flight."""
        if self._state == "ready":
            return True
        self.pause("person")
        idle = self._queue.wait_idle(timeout)
        with self._lock:
            self._detached = True
        self._queue.stop()
        self.wait(timeout)
        return idle

    def wait(self, timeout: float | None = None) -> bool:
        """True once every thread of the run has ended."""
        deadline = None if timeout is None else time.monotonic() + timeout
        for thread in list(self._threads):
            left = None if deadline is None else max(0.0, deadline - time.monotonic())
            thread.join(left)
            if thread.is_alive():
                return False
        return True

    @property
    def state(self) -> RunState:
        return self._state

    def results(self) -> list[RowResult]:
        with self._lock:
            return [self._results[k] for k in sorted(self._results)]

    def progress(self) -> RunProgress:
        with self._lock:
            totals = self._totals
            now = time.monotonic()
            paused = self._paused_s + (now - self._paused_at if self._paused_at else 0.0)
            elapsed = (now - self._started - paused) if self._started else 0.0
            rate = self._sent / elapsed if elapsed > 0.5 and self._sent else 0.0
            left = len(self.items) - totals.done
            eta = left / rate if rate > 0 else None
            _, in_flight = self._queue.counts()
            return RunProgress(
                self._state,
                self._reason,
                self._detail,
                len(self.items),
                totals.done,
                dict(totals.counts),
                totals.amount_paid,
                in_flight,
                elapsed,
                rate,
                eta,
            )

    # -- the threads ----------------------------------------------------------------------------
    def _work(self) -> None:
        try:
            while True:
                item = self._queue.take()
                if item is None:
                    break
                if not self._pacer.wait(self._hold):
                    if not self._queue.put_back(item):
                        self._finish_row(RowResult(item, "not_sent", MSG_NOT_SENT))
                    self._maybe_paused()
                    continue
                try:
                    result = self._charge(item)
                except Exception as exc:  # storage and the like: stop before the next row fails
                    result = self._failed(item, exc)
                if isinstance(result, _Later):
                    if self._queue.later(item, result.delay_s):
                        self._report_waiting(item, result.message)
                    else:
                        self._finish_row(RowResult(item, "not_sent", MSG_NOT_SENT))
                else:
                    self._queue.done(item)
                    self._finish_row(result)
                self._maybe_paused()
        finally:
            self._thread_ended()

    def _charge(self, item: RunItem) -> RowResult | _Later:
        """The row's result, or when to try it again."""
        till = self.till
        started = time.time()
        answers = Answers(
            repeat_reason=self._repeat_reason,
            retry_reason=self._retry_reason if item.retry_of else "",
            retry_of=item.retry_of,
        )
        try:
            outcome = till.charge_again(
                item.customer_uid, item.order(), answers=answers, period=self._periods[item.period]
            )
        except ChargeBlocked as blocked:
            self._no_failure()
            if blocked.reason == "repeat":
                return RowResult(item, "repeat", blocked_message(blocked))
            again = self._wait_for(item, blocked.in_flight)
            if again is not None:
                return again
            return RowResult(item, "blocked", blocked_message(blocked))
        with self._lock:
            self._sent += 1
        row = till.journal_row(item.merchant_uid)
        if outcome.kind == "unknown" and row is not None and row.is_open:
            sent_here = row.sender is None and (row.sent_at or 0) >= started
            if not sent_here:
                # Someone else's charge of this very row (another run, or a killed one whose
                # request may still be in flight): look again once it can be settled.
                again = self._wait_for(item, (row,))
                if again is not None:
                    return again
                return self._result(item, outcome, row)
            self._failure(row.reason or outcome.message)
        elif outcome.kind == "refused" and row is not None and row.state == "void":
            # PortOne never got it (no connection, a 5xx, the token): nothing happened, so the
            # row is sent again later under the same id — after a pause if this keeps happening.
            self._failure(outcome.message)
            flight = self._flights.setdefault(item.position, _Flight())
            flight.resends += 1
            if flight.resends <= MAX_RESENDS:
                return _Later(0.0, MSG_RESEND)
        else:
            self._no_failure()
        return self._result(item, outcome, row)

    def _wait_for(self, item: RunItem, rows: Iterable[JournalRow]) -> _Later | None:
        """Seconds until `rows` (someone else's charges to this member) may be settled, or None
        when the row has waited long enough (or there is nothing to wait for)."""
        settler = self.till.settler
        now = settler.now()
        waits = []
        for row in rows:
            if settler.sender_alive(row):
                waits.append(RECHECK_OTHERS_S)  # its sender is still at it: look again soon
            else:
                waits.append(max(0.2, settler.deadline(row) - now + 0.2))
        if not waits:
            return None
        flight = self._flights.setdefault(item.position, _Flight())
        first = flight.first_wait if flight.first_wait is not None else time.monotonic()
        flight.first_wait = first
        delay = min(waits)
        if time.monotonic() + delay - first > self._wait_for_others_s:
            return None
        return _Later(delay, MSG_WAITING)

    def _result(self, item: RunItem, outcome: ChargeOutcome, row: JournalRow | None) -> RowResult:
        payment = outcome.payment
        card = row.card_number if row is not None else ""
        imp_uid = payment.imp_uid if payment is not None else (row.imp_uid if row else None)
        return RowResult(item, outcome.kind, outcome.message, imp_uid, card)

    def _failed(self, item: RunItem, exc: Exception) -> RowResult:
        """An error that is not PortOne's answer (the journal failed, a bug): stop the run. The
        row is unknown if its intent was written (it may have been sent), else not sent."""
        from pos_app.store.errors import classify

        storage = classify(exc)
        detail = storage.message("ko") if storage is not None else type(exc).__name__
        log.error("billing run stops: %s", detail, exc_info=storage is None)
        try:
            row = self.till.journal_row(item.merchant_uid)
        except Exception:
            row = None
        self.pause("storage", detail)
        if row is not None and row.is_open:
            return RowResult(item, "unknown", detail)
        return RowResult(item, "not_sent", detail)

    def _failure(self, detail: str) -> None:
        with self._lock:
            self._totals.consecutive_failures += 1
            tripped = self._totals.consecutive_failures >= self._failure_limit
        if tripped:
            self.pause("connection", detail)

    def _no_failure(self) -> None:
        with self._lock:
            self._totals.consecutive_failures = 0

    # -- results --------------------------------------------------------------------------------
    def _finish_row(self, result: RowResult) -> None:
        item = result.item
        with self._lock:
            if item.position in self._results and self._results[item.position].kind != "waiting":
                return
            self._results[item.position] = result
            self._totals.done += 1
            self._totals.counts[result.kind] += 1
            if result.kind == "paid":
                self._totals.amount_paid += item.amount
        if self.book is not None and self.record is not None:
            try:
                self.book.report(self.record.id, item.position, result.kind, result.message)
            except Exception:  # the journal holds the charge itself; the table is a convenience
                log.exception("could not note a billing run row")
        if self._on_row is not None:
            self._on_row(result)

    def _report_waiting(self, item: RunItem, message: str) -> None:
        result = RowResult(item, "waiting", message)
        with self._lock:
            self._results[item.position] = result
        if self._on_row is not None:
            self._on_row(result)

    def _maybe_paused(self) -> None:
        with self._lock:
            if self._state != "pausing" or self._queue.in_flight:
                return
            self._state = "paused"
            reason, detail = self._reason, self._detail
        if self.book is not None and self.record is not None:
            self.book.set_state(self.record.id, "paused", reason=f"{reason}: {detail}".strip(": "))
        self._emit_state()

    def _thread_ended(self) -> None:
        with self._lock:
            self._alive -= 1
            last = self._alive == 0
        if last:
            self._close()

    def _close(self) -> None:
        """Once every thread has ended: a last look at PortOne for rows whose answer was lost
        (a slow card company may have finished since), then the run's final state."""
        if self._detached:
            return  # left paused on purpose (detach): the record says so already
        self._settle_unknown()
        with self._lock:
            final: Literal["stopped", "finished"] = (
                "stopped" if self._state in ("stopping", "stopped") else "finished"
            )
            self._state = final
        if self.book is not None and self.record is not None:
            try:
                self.book.set_state(self.record.id, final)
            except Exception:
                log.exception("could not close the billing run's record")
        self._emit_state()

    def _settle_unknown(self) -> None:
        if self._reason in ("connection", "storage"):
            return  # PortOne or the journal is what failed: `reconcile` settles them later
        budget = time.monotonic() + SETTLE_PASS_S
        for result in self.results():
            if result.kind != "unknown" or time.monotonic() > budget:
                continue
            try:
                outcome = self.till.check_outcome(result.item.merchant_uid)
            except Exception:
                continue
            if outcome.kind == "unknown":
                continue
            row = self.till.journal_row(result.item.merchant_uid)
            settled = self._result(result.item, outcome, row)
            with self._lock:
                self._results[result.item.position] = settled
                self._totals.counts["unknown"] -= 1
                self._totals.counts[settled.kind] += 1
                if settled.kind == "paid":
                    self._totals.amount_paid += result.item.amount
            if self.book is not None and self.record is not None:
                self.book.report(
                    self.record.id, result.item.position, settled.kind, settled.message
                )
            if self._on_row is not None:
                self._on_row(settled)

    def _emit_state(self) -> None:
        if self._on_state is not None:
            self._on_state(self.progress())


__all__ = [
    "DEFAULT_CONCURRENCY",
    "FINAL_KINDS",
    "MAX_CONCURRENCY",
    "BillingRun",
    "RowKind",
    "RowResult",
    "RunItem",
    "RunProgress",
    "RunState",
    "clamp_concurrency",
]
