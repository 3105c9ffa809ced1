"""The window's side of a billing run: previews, the run itself, member plans — none of it on the
GUI thread.

Everything that reads or writes the journal, the customer index or PortOne goes to one
`TaskThread` ("billing-tasks"); the run's charges go out on the engine's own threads
(services/billing_run.py), which report each row through a thread-safe buffer: the first row of a
batch emits one queued signal, and the GUI thread takes the whole batch when it gets to it, so a
burst of fifty answers costs it one repaint, not fifty. Widgets are touched only on the GUI
thread, by the dialog.

The till is the main window's (its TillThread opened it): the run shares its journal, customer
index, PortOne client and sender lease, so the window's own charges and the run's see each other
through the guard, and a walk-in customer can be served meanwhile.
"""

from __future__ import annotations

import gc
import logging
import threading
import time
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject, QTimer, Signal

from pos_app.ui.task_thread import TaskThread

if TYPE_CHECKING:
    from pos_app.services.billing_run import BillingRun, RowResult, RunProgress
    from pos_app.services.run_export import RunCsvRow
    from pos_app.services.run_preview import RunPreview
    from pos_app.services.till import Till
    from pos_app.store.customers import CustomerRow, MemberPlan
    from pos_app.store.runs import RunRecord

log = logging.getLogger(__name__)

# How long closing the window waits for charges in flight to come back before it goes on (within
# TaskThread.stop's own limit).
CLOSE_WAIT_S = 30.0
# The progress bar and the counts are redrawn at most this often while rows arrive.
PROGRESS_EVERY_S = 0.2


class TillNotOpen(Exception):
    """The main window's till is not open (yet, or any more)."""


class BillingRunController(QObject):
    previewReady = Signal(object)  # RunPreview
    runStarted = Signal(object)  # BillingRun (its record written, its threads going)
    failed = Signal(object)  # Exception: what went wrong with the last request
    resultsArrived = Signal(object)  # list[RowResult], in the order they came
    progressChanged = Signal(object)  # RunProgress
    interruptedFound = Signal(object)  # list[run_resume.Interrupted]
    exported = Signal(str, int)  # path, rows written
    planSaved = Signal(object)  # CustomerRow (the member's row, its plan changed)
    plansImported = Signal(object, object)  # PlanImport, list[CustomerRow]
    # PortOne schedules (services/schedules.py): a member's schedules after a change or a look,
    # with the member's row; and what a sync found, with the rows of the members it changed.
    schedulesShown = Signal(str, object, object)  # customer_uid, list[ScheduleRow], CustomerRow
    schedulesSynced = Signal(object, object)  # SyncResult, list[CustomerRow]
    _rowsPending = Signal()
    _statePending = Signal()

    def __init__(
        self, till_source: Callable[[], Till | None], parent: QObject | None = None
    ) -> None:
        super().__init__(parent)
        self._till_source = till_source
        self.tasks = TaskThread("billing-tasks", self)
        self.run: BillingRun | None = None
        self.preview: RunPreview | None = None
        self._lock = threading.Lock()
        self._rows: list[RowResult] = []
        self._state_pending = False
        self._asked = 0
        self._frozen = False
        self._progress_shown_at = 0.0
        self._rowsPending.connect(self._take_rows)
        self._statePending.connect(self._take_state)
        # Rate and time left move on even while no row arrives.
        self._ticker = QTimer(self)
        self._ticker.setInterval(int(PROGRESS_EVERY_S * 1000))
        self._ticker.timeout.connect(self._take_state)

    # -- previews ------------------------------------------------------------------------------
    def preview_due(self, day: date, retry_reason: str = "") -> None:
        from pos_app.services.run_preview import preview_due

        self._submit_preview(lambda till: preview_due(till, day, retry_reason=retry_reason))

    def preview_file(
        self, path: str, period: str, retry_reason: str = "", repeat_reason: str = ""
    ) -> None:
        from pos_app.services.run_preview import preview_file

        self._submit_preview(
            lambda till: preview_file(
                till,
                Path(path),
                period,
                retry_reason=retry_reason,
                repeat_reason=repeat_reason,
            )
        )

    def preview_resume(self, record: RunRecord) -> None:
        from pos_app.services.run_preview import preview_resume

        self._submit_preview(
            lambda till: preview_resume(
                till, record, on_row=self._row_arrived, on_state=self._state_arrived
            )
        )

    def _submit_preview(self, build: Callable[[Till], RunPreview]) -> None:
        if self.active():
            return
        # Only the answer to the last question counts: a person who picked another day while
        # the first preview was being built must never start the first one.
        self._asked += 1
        asked = self._asked
        self.preview = None
        self.tasks.submit(
            lambda: build(self._till()),
            lambda preview: self._previewed(asked, preview),
            lambda exc: self._preview_failed(asked, exc),
        )

    def _previewed(self, asked: int, preview: RunPreview) -> None:
        if asked != self._asked:
            return
        self.preview = preview
        self.run = None
        self.previewReady.emit(preview)

    def _preview_failed(self, asked: int, exc: Exception) -> None:
        if asked == self._asked:
            self.failed.emit(exc)

    def waiting_for_preview(self) -> bool:
        return self.preview is None and self._asked > 0

    # -- the run ---------------------------------------------------------------------------------
    def start(self, concurrency: int | None = None) -> None:
        """Start the previewed run (an interrupted one resumes under its own record)."""
        preview = self.preview
        if preview is None or preview.refused or self.active():
            return

        def begin() -> BillingRun:
            from pos_app.services.billing import start_run

            run = preview.run
            if run is None:
                run = start_run(
                    self._till(),
                    preview.prepared,
                    source="due" if preview.source == "due" else "file",
                    label=preview.label,
                    concurrency=concurrency,
                    repeat_reason=preview.repeat_reason,
                    retry_reason=preview.retry_reason,
                    on_row=self._row_arrived,
                    on_state=self._state_arrived,
                )
            run.start()
            return run

        # Everything alive now (100,000 customers in the list, the preview) lives on through the
        # run: frozen, the collector's full passes skip it. Measured: without this a full pass
        # during a run holds the interpreter for 30-75 ms, on whichever thread triggers it, and
        # the GUI thread waits that long (docs/billing-run.md).
        gc.freeze()
        self._frozen = True
        self.tasks.submit(begin, self._started, self._not_started)

    def _not_started(self, exc: Exception) -> None:
        self._thaw()
        self.failed.emit(exc)

    def _thaw(self) -> None:
        if self._frozen:
            self._frozen = False
            gc.unfreeze()

    def _started(self, run: BillingRun) -> None:
        self.run = run
        self._ticker.start()
        self.runStarted.emit(run)
        self._take_state()

    def pause(self) -> None:
        run = self.run
        if run is not None:
            self.tasks.submit(run.pause)

    def resume(self) -> None:
        run = self.run
        if run is not None:
            self.tasks.submit(run.resume)

    def stop(self) -> None:
        run = self.run
        if run is not None:
            self.tasks.submit(run.stop)

    def active(self) -> bool:
        """A run is started and not over (running, pausing, paused, stopping)."""
        run = self.run
        return run is not None and run.state not in ("ready", "finished", "stopped")

    def progress(self) -> RunProgress | None:
        return self.run.progress() if self.run is not None else None

    # -- runs left by a kill -------------------------------------------------------------------
    def find_interrupted(self) -> None:
        from pos_app.services.run_resume import interrupted_runs

        self.tasks.submit(
            lambda: interrupted_runs(self._till()), self.interruptedFound.emit, self._quiet
        )

    # -- results as CSV ------------------------------------------------------------------------
    def export(self, path: str, rows: list[RunCsvRow], lang: str) -> None:
        from pos_app.services.run_export import write_run_csv

        def write() -> int:
            with open(path, "w", encoding="utf-8-sig", newline="") as stream:
                return write_run_csv(stream, rows, lang)

        self.tasks.submit(write, lambda count: self.exported.emit(path, count), self.failed.emit)

    # -- member plans -----------------------------------------------------------------------------
    def save_plan(self, customer_uid: str, plan: MemberPlan | None) -> None:
        from pos_app.services.member_plans import save_plan

        def save() -> CustomerRow | None:
            till = self._till()
            if not save_plan(till, customer_uid, plan, date.today()):
                return None
            return till.customer(customer_uid)

        self.tasks.submit(save, self.planSaved.emit, self.failed.emit)

    def import_plans(self, path: str) -> None:
        from pos_app.services.member_plans import import_plans, read_plans

        def load() -> tuple[Any, list[CustomerRow]]:
            plans = read_plans(Path(path).read_bytes())
            if plans.refused:
                return plans, []
            till = self._till()
            result = import_plans(till, plans, date.today())
            rows = till.customers_of(result.saved)
            return result, rows

        self.tasks.submit(load, lambda answer: self.plansImported.emit(*answer), self.failed.emit)

    # -- PortOne schedules ----------------------------------------------------------------------
    def show_schedules(self, customer_uid: str) -> None:
        from pos_app.services.schedules import schedules_of

        def look() -> tuple[Any, CustomerRow | None]:
            till = self._till()
            return schedules_of(till, customer_uid), till.customer(customer_uid)

        self.tasks.submit(
            look, lambda answer: self.schedulesShown.emit(customer_uid, *answer), self._quiet
        )

    def register_schedules(self, customer_uid: str) -> None:
        from pos_app.services.schedules import register

        def change() -> tuple[Any, CustomerRow | None]:
            till = self._till()
            return register(till, customer_uid), till.customer(customer_uid)

        self.tasks.submit(
            change, lambda answer: self.schedulesShown.emit(customer_uid, *answer), self.failed.emit
        )

    def revoke_schedules(self, customer_uid: str) -> None:
        from pos_app.services.schedules import revoke

        def change() -> tuple[Any, CustomerRow | None]:
            till = self._till()
            return revoke(till, customer_uid), till.customer(customer_uid)

        self.tasks.submit(
            change, lambda answer: self.schedulesShown.emit(customer_uid, *answer), self.failed.emit
        )

    def sync_schedules(self) -> None:
        """Ask PortOne what became of the schedules (at start and every few minutes)."""
        from pos_app.services.schedules import SchedulesUnavailable, SyncResult, sync

        def look() -> tuple[SyncResult, list[CustomerRow]]:
            till = self._till()
            try:
                result = sync(till)
            except SchedulesUnavailable:
                return SyncResult(), []
            rows = till.customers_of(sorted(result.members))
            return result, rows

        self.tasks.submit(look, lambda answer: self.schedulesSynced.emit(*answer), self._quiet)

    # -- closing -----------------------------------------------------------------------------------
    def shutdown(self) -> None:
        """The window is closing: a run in progress is left paused (charges in flight come back
        first), to be offered for resuming at the next start; then the task thread ends."""
        self._ticker.stop()
        self._thaw()
        run = self.run
        if run is not None and run.state not in ("finished", "stopped"):
            self.tasks.submit(lambda: run.detach(CLOSE_WAIT_S))
        elif run is not None:
            self.tasks.submit(lambda: run.wait(CLOSE_WAIT_S))
        self.tasks.stop()

    # -- from the run's threads ----------------------------------------------------------------
    def _row_arrived(self, result: RowResult) -> None:
        with self._lock:
            first = not self._rows
            self._rows.append(result)
        if first:
            self._rowsPending.emit()  # queued to the GUI thread: it takes the whole batch

    def _state_arrived(self, _progress: RunProgress) -> None:
        with self._lock:
            if self._state_pending:
                return
            self._state_pending = True
        self._statePending.emit()

    # -- on the GUI thread ----------------------------------------------------------------------
    def _take_rows(self) -> None:
        with self._lock:
            rows, self._rows = self._rows, []
        if rows:
            self.resultsArrived.emit(rows)
        # The counts and the bar follow at most every PROGRESS_EVERY_S (the ticker catches up):
        # redrawing them for every batch cost the GUI thread 2-6 ms each time.
        if time.monotonic() - self._progress_shown_at >= PROGRESS_EVERY_S:
            self._take_state()

    def _take_state(self) -> None:
        with self._lock:
            self._state_pending = False
        run = self.run
        if run is None:
            return
        progress = run.progress()
        if progress.state in ("finished", "stopped"):
            self._ticker.stop()
            self._thaw()
        self._progress_shown_at = time.monotonic()
        self.progressChanged.emit(progress)

    def _till(self) -> Till:
        till = self._till_source()
        if till is None:
            raise TillNotOpen
        return till

    def _quiet(self, exc: Exception) -> None:
        """A look in the background that failed: said in the log; the next look tries again."""
        log.warning("a background look failed: %s", type(exc).__name__)
