"""Count references to None and True lost across many PySide6 calls; print JSON; never abort.

Run as a script by tests/test_pyside_refcounts.py, in its own interpreter, so that the unsafe
PySide6/Python pair cannot take the test process down with it.
"""

from __future__ import annotations

import json
import os
import sys
from collections.abc import Callable

from PySide6.QtCore import QObject, QStringListModel, Qt, Signal

CALLS = 100_000
CHUNK = 100
# A handful either way is ordinary interpreter noise; a leak loses one per call.
LEAK_LIMIT = 50


class _Emitter(QObject):
    fired = Signal()


def _measure(action: Callable[[], object]) -> dict[str, int]:
    none_before, true_before = sys.getrefcount(None), sys.getrefcount(True)
    done = 0
    none_lost = true_lost = 0
    # Small chunks: with the unsafe pair 100,000 calls would drive a count to zero and abort the
    # interpreter; stopping at the first sign of a leak keeps the probe alive to report it.
    while done < CALLS:
        for _ in range(CHUNK):
            action()
        done += CHUNK
        none_lost = none_before - sys.getrefcount(None)
        true_lost = true_before - sys.getrefcount(True)
        if none_lost >= LEAK_LIMIT or true_lost >= LEAK_LIMIT:
            break
    return {"calls": done, "none_lost": none_lost, "true_lost": true_lost}


def main() -> None:
    obj = QObject()
    model = QStringListModel(["a"])
    index = model.index(0, 0)
    emitter = _Emitter()
    emitter.fired.connect(lambda: None)
    results = {
        "QObject.setObjectName": _measure(lambda: obj.setObjectName("till")),
        "QObject.parent": _measure(obj.parent),
        "QModelIndex.data": _measure(lambda: index.data(Qt.ItemDataRole.DecorationRole)),
        "Signal.emit": _measure(emitter.fired.emit),
    }
    print(json.dumps(results), flush=True)
    # Skip interpreter shutdown: with a leaking pair it would abort while collecting garbage.
    os._exit(0)


if __name__ == "__main__":
    main()
