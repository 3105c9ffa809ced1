"""Pacing charges: never more than PortOne's guidance of key-in calls per second, whatever the
number of threads sending them.

One PG advises at most 50 key-in calls per second (portone-v1.md §6). A billing run with many
charges in flight asks `CallPacer.wait()` before each one. Calls are spaced evenly (at least
1/rate apart) rather than let through in bursts: any one-second window then holds at most `rate`
calls, and the card company sees a steady stream.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable

# PortOne's guidance for key-in calls (portone-v1.md §6).
KEY_IN_CALLS_PER_S = 50.0
# What a run paces itself at: 10 % under the guidance, so that requests released 1/45 s apart
# still arrive at most 50 in any second after the network's jitter (measured at the sandbox).
PACED_CALLS_PER_S = 45.0
# Charges a billing run keeps in flight at once. Measured (docs/billing-run.md): with PortOne
# answering in 300 ms, 16 reach the 50 calls per second above; fewer leave the run waiting on the
# network. Never more than MAX_CONCURRENCY, whatever a person sets.
DEFAULT_CONCURRENCY = 16
MAX_CONCURRENCY = 16


class CallPacer:
    """Thread-safe: every thread of a run shares one pacer."""

    def __init__(
        self,
        calls_per_s: float = KEY_IN_CALLS_PER_S,
        *,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        if calls_per_s <= 0:
            raise ValueError("calls_per_s must be positive")
        self.interval = 1.0 / calls_per_s
        self._clock = clock
        self._lock = threading.Lock()
        self._next = float("-inf")

    def wait(self, cancelled: threading.Event | None = None) -> bool:
        """Block until this caller may send; False if `cancelled` was set meanwhile (then nothing
        may be sent). Two calls return at least 1/rate apart, measured when each returns, so
        no one-second window ever holds more than `rate` of them."""
        while True:
            if cancelled is not None and cancelled.is_set():
                return False
            with self._lock:
                now = self._clock()
                if now >= self._next:
                    self._next = now + self.interval
                    return True
                delay = self._next - now
            if cancelled is None:
                time.sleep(delay)
            elif cancelled.wait(delay):
                return False
