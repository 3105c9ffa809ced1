"""The till's thread: the window's one worker pattern (ui/task_thread.py) with the Till on it.

`TillThread.submit(task, request, on_done)` runs `task(work, request)` (ui/till_tasks.py) on the
worker thread and calls `on_done(answer)` on the GUI thread with the verb's own typed answer
(ui/till_requests.py). One request at a time: `submit` refuses (returns None) while an earlier
one has not been answered — that is the window's one "request pending" flag (`busy`), so a
second click or a stray signal can never queue a second charge behind the first. Each request
has an id; every answer is also announced through `answered(request, answer)`, for those who
keep records of it (the staff gate's audit trail, the self-test).

The Till is opened on the worker thread (with the embedded sandbox), reconciles what an earlier
run left unsettled before any request, and is closed there. Closing waits at most
`CLOSE_WAIT_MS` for a request in flight (docs/window.md, "Closing with a request in flight").
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import TYPE_CHECKING, TypeVar

from PySide6.QtCore import QObject, Signal

from pos_app.ui.customer_model import PreparedRows
from pos_app.ui.task_thread import TaskThread
from pos_app.ui.till_requests import (
    ChargeRequest,
    Failed,
    IssueKey,
    Opened,
    OpenFailure,
    Reconcile,
    Reconciled,
)
from pos_app.ui.till_tasks import TillWork, reconcile

if TYPE_CHECKING:
    from pos_app.services.live import ShopChange, StoreHealth
    from pos_app.services.till import Till

log = logging.getLogger(__name__)

Q = TypeVar("Q")
R = TypeVar("R")

# How long closing the window waits for a request in flight. A charge can wait up to its read
# timeout (30 s) for a slow card company; the window does not: the request goes on, its answer is
# recorded in the journal when it comes, and should the program end first, the intent written
# before sending is settled by the next start's reconciliation (by asking PortOne).
CLOSE_WAIT_MS = 3_000


class TillThread(QObject):
    opened = Signal(object)  # Opened
    openFailed = Signal(object)  # OpenFailure
    customersLoaded = Signal(object)  # PreparedRows: the whole list, prepared off the GUI thread
    answered = Signal(object, object)  # request, its answer: every one, in the order answered
    busyChanged = Signal(bool)  # a request is in flight / answered
    # The shop's store server (services/live.py): other counters' changes, and whether it answers.
    # Emitted from the feed's own thread; Qt queues them to the window's.
    shopChanged = Signal(object)  # ShopChange
    storeHealth = Signal(object)  # StoreHealth

    def __init__(self, api_base: str | None, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._work = TillWork(api_base)
        self.tasks = TaskThread(
            "till-worker", self, on_close=self._work.close, stop_timeout_ms=CLOSE_WAIT_MS
        )
        self._in_flight: tuple[int, object] | None = None  # the request's id, and the request

    @property
    def till(self) -> Till | None:
        """The open till (None until it opens, and after it closes), for work that shares it on
        threads of its own (the billing run, ui/billing_hook.py)."""
        return self._work.till

    @property
    def busy(self) -> bool:
        return self._in_flight is not None

    def running(self) -> bool:
        return self.tasks.running()

    def start(self) -> None:
        """Open the till on the worker thread; the window hears `opened` or `openFailed`."""
        self._open(lambda: self._work.open(self._shop_changed, self._store_health))

    def reopen(self) -> None:
        """Try to open the till again (after the person fixed what stopped it)."""
        self._open(lambda: self._work.open(self._shop_changed, self._store_health))

    def start_new(self, path: str) -> None:
        """Start the damaged or missing store file at `path` anew, then open the till."""
        self._open(
            lambda: self._work.start_new_and_open(path, self._shop_changed, self._store_health)
        )

    def submit(
        self, task: Callable[[TillWork, Q], R], request: Q, on_done: Callable[[R], None]
    ) -> int | None:
        """Run `task(work, request)` on the worker; `on_done(answer)` on the GUI thread. None
        (nothing sent, a card in it wiped) while another request is in flight."""
        if self._in_flight is not None:
            log.warning(
                "%s ignored: request %d still running", type(request).__name__, self._in_flight[0]
            )
            if isinstance(request, IssueKey | ChargeRequest) and request.card is not None:
                request.card.wipe()
            return None

        def answered(answer: R) -> None:
            self._done(request, answer)
            on_done(answer)

        task_id = self.tasks.submit(lambda: task(self._work, request), answered, self._crashed)
        if not task_id:  # stopped: the window is closing
            return None
        self._in_flight = (task_id, request)
        self.busyChanged.emit(True)
        return task_id

    def stop(self) -> bool:
        """Close the Till on its thread, after the request in flight, waiting `CLOSE_WAIT_MS` at
        most. False when the request was still running then: it is left to finish on its own
        (its answer recorded, not shown), and the till closes after it."""
        in_flight = self._in_flight
        ended = self.tasks.stop()
        if not ended and in_flight is not None:
            request = in_flight[1]
            log.warning(
                "window closed with %s in flight: it finishes on its own; its intent is in the "
                "journal, so the next start settles it if the program ends first",
                type(request).__name__,
            )
        return ended

    # -- on the GUI thread -------------------------------------------------------------------------
    def _done(self, request: object, answer: object) -> None:
        self._in_flight = None
        self.busyChanged.emit(False)
        self.answered.emit(request, answer)

    def _crashed(self, exc: Exception) -> None:
        # The tasks answer every failure themselves; this is a bug in one of them.
        log.error("till task raised %s", type(exc).__name__, exc_info=exc)
        self._in_flight = None
        self.busyChanged.emit(False)

    def _open(self, how: Callable[[], Opened | OpenFailure]) -> None:
        self.tasks.submit(how, self._opened_or_failed)
        # Charges left unsettled by a crash or a lost answer are settled before anything else
        # (requests wait behind this), by asking PortOne, never by sending again.
        self.tasks.submit(self._settle_at_start, self._settled_at_start)

    def _settle_at_start(self) -> Reconciled | Failed | None:
        if self._work.till is None:
            return None  # it did not open
        return reconcile(self._work, Reconcile(at_start=True))

    def _opened_or_failed(self, answer: Opened | OpenFailure) -> None:
        if isinstance(answer, OpenFailure):
            self.openFailed.emit(answer)
            return
        self.opened.emit(answer)
        self.customersLoaded.emit(answer.customers)

    def _settled_at_start(self, answer: Reconciled | Failed | None) -> None:
        if isinstance(answer, Failed):  # the window still opens; the button or the next start
            log.error("reconciliation at start failed: %s", answer.message)
        elif answer is not None:
            self.answered.emit(Reconcile(at_start=True), answer)

    # -- on the shop feed's thread -----------------------------------------------------------------
    def _shop_changed(self, change: ShopChange) -> None:
        """The whole list (after a reconnect) is prepared here, off the GUI thread."""
        try:
            if change.everything is not None:
                self.customersLoaded.emit(PreparedRows(list(change.everything)))
            self.shopChanged.emit(change)
        except RuntimeError:  # the window is gone; the feed stops once the till closes
            log.debug("shop change after the window closed")

    def _store_health(self, health: StoreHealth) -> None:
        try:
            self.storeHealth.emit(health)
        except RuntimeError:
            log.debug("store health after the window closed")
