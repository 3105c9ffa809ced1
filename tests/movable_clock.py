"""A wall clock a test can move forward (see the `clock` fixture in tests/conftest.py)."""

from __future__ import annotations

import time


class MovableClock:
    """Wall-clock time plus an offset a test moves forward: the till's settling rules read it
    (how long a charge may still be in flight), so a test can let that time pass at once."""

    def __init__(self) -> None:
        self.offset = 0.0

    def __call__(self) -> float:
        return time.time() + self.offset

    def advance(self, seconds: float) -> None:
        self.offset += seconds
