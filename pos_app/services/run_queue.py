"""The rows of a billing run waiting to be charged, handed out to its threads one at a time.

Three rules, all under one condition variable:
- **One member at a time.** Two rows of one member are never in flight together: the guard would
  (rightly) block the second as "a charge to this member is in flight". A row whose member is busy
  waits behind the member's row in flight and comes first once that one is done.
- **Pause and stop.** While paused nothing is handed out (rows in flight finish); after stop
  nothing more is handed out and the rows left are given back to the caller, never sent.
- **Later.** A row that must wait for someone else's charge (another counter sending to the same
  member, or a charge of a killed run that may still be in flight) is put back with a time; it is
  handed out again once that time has come.
"""

from __future__ import annotations

import heapq
import itertools
import threading
import time
from collections import deque
from collections.abc import Callable, Hashable, Iterable
from typing import Generic, TypeVar

T = TypeVar("T")


class RunQueue(Generic[T]):
    def __init__(
        self,
        items: Iterable[T],
        member: Callable[[T], Hashable],
        *,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self._member = member
        self._clock = clock
        self._cond = threading.Condition()
        self._pending: deque[T] = deque(items)
        # Rows whose member has a row in flight, in their order, per member.
        self._waiting: dict[Hashable, deque[T]] = {}
        self._busy: set[Hashable] = set()
        # (due time, tie-breaker, row): rows to hand out again later.
        self._later: list[tuple[float, int, T]] = []
        self._ties = itertools.count()
        self.in_flight = 0
        self.paused = False
        self.stopped = False

    # -- what the threads call ------------------------------------------------------------------
    def take(self) -> T | None:
        """The next row to charge; blocks while paused or while every row left waits for
        something. None once stopped, or once nothing is left and nothing is in flight."""
        with self._cond:
            while True:
                if self.stopped:
                    return None
                if not self.paused:
                    self._release_due()
                    item = self._next_free()
                    if item is not None:
                        self.in_flight += 1
                        self._busy.add(self._member(item))
                        return item
                    if self._exhausted():
                        self._cond.notify_all()
                        return None
                timeout = None
                if self._later and not self.paused:
                    timeout = max(0.0, self._later[0][0] - self._clock())
                self._cond.wait(timeout)

    def done(self, item: T) -> None:
        """The row is finished: its member is free, and the member's next row comes first."""
        with self._cond:
            self._free(item)
            self._cond.notify_all()

    def put_back(self, item: T) -> bool:
        """The row was taken but not sent (a pause came first): first in line again. False
        after stop: the row stays with the caller (it was not sent)."""
        with self._cond:
            self._free(item)
            if not self.stopped:
                self._pending.appendleft(item)
            self._cond.notify_all()
            return not self.stopped

    def later(self, item: T, delay_s: float) -> bool:
        """Hand the row out again in `delay_s` seconds. False after stop, as put_back."""
        with self._cond:
            self._free(item)
            if not self.stopped:
                heapq.heappush(self._later, (self._clock() + delay_s, next(self._ties), item))
            self._cond.notify_all()
            return not self.stopped

    # -- what the run's owner calls -------------------------------------------------------------
    def pause(self) -> None:
        with self._cond:
            self.paused = True
            self._cond.notify_all()

    def resume(self) -> None:
        with self._cond:
            self.paused = False
            self._cond.notify_all()

    def stop(self) -> list[T]:
        """Hand out nothing more; the rows never handed out (or put back), in their order."""
        with self._cond:
            self.stopped = True
            left = list(self._pending)
            for waiting in self._waiting.values():
                left.extend(waiting)
            left.extend(item for _, _, item in sorted(self._later))
            self._pending.clear()
            self._waiting.clear()
            self._later.clear()
            self._cond.notify_all()
            return left

    def wait_idle(self, timeout: float | None = None) -> bool:
        """Until no row is in flight (True) or `timeout` passed (False)."""
        with self._cond:
            return self._cond.wait_for(lambda: self.in_flight == 0, timeout)

    def counts(self) -> tuple[int, int]:
        """(rows waiting to be handed out now or later, rows in flight)."""
        with self._cond:
            waiting = len(self._pending) + sum(map(len, self._waiting.values()))
            return waiting + len(self._later), self.in_flight

    def next_due_in(self) -> float | None:
        """Seconds until the first row put back for later is due (None: none is)."""
        with self._cond:
            return max(0.0, self._later[0][0] - self._clock()) if self._later else None

    # -- under the condition's lock -------------------------------------------------------------
    def _free(self, item: T) -> None:
        self.in_flight -= 1
        member = self._member(item)
        self._busy.discard(member)
        waiting = self._waiting.get(member)
        if waiting:
            self._pending.appendleft(waiting.popleft())
            if not waiting:
                del self._waiting[member]

    def _next_free(self) -> T | None:
        while self._pending:
            item = self._pending.popleft()
            member = self._member(item)
            if member in self._busy:
                self._waiting.setdefault(member, deque()).append(item)
                continue
            return item
        return None

    def _release_due(self) -> None:
        now = self._clock()
        due: list[T] = []
        while self._later and self._later[0][0] <= now:
            due.append(heapq.heappop(self._later)[2])
        # Rows that waited go first, in the order they were put back.
        self._pending.extendleft(reversed(due))

    def _exhausted(self) -> bool:
        return not self._pending and not self._waiting and not self._later and not self.in_flight
