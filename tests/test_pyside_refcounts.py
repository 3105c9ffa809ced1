"""Pin against the PySide6 6.12.0 + Python 3.11 reference leak.

With that pair every PySide6 call returning None loses a reference to None and every
`Signal.emit()` one to True; on 3.11 (where they are not immortal) the interpreter aborts with
`none_dealloc`/`bool_dealloc` after a few thousand calls. This test fails cleanly instead: it
counts references across 100,000 calls and checks they did not fall.
"""

from __future__ import annotations

import sys

from PySide6.QtCore import QObject, QStringListModel, Qt, Signal

CALLS = 100_000


class _Emitter(QObject):
    fired = Signal()


def _assert_stable(label: str, action: object) -> None:
    assert callable(action)
    none_before, true_before = sys.getrefcount(None), sys.getrefcount(True)
    for _ in range(CALLS):
        action()
    none_lost = none_before - sys.getrefcount(None)
    true_lost = true_before - sys.getrefcount(True)
    # A handful either way is ordinary interpreter noise; a leak loses one per call.
    assert none_lost < CALLS // 10, f"{label}: lost {none_lost} references to None"
    assert true_lost < CALLS // 10, f"{label}: lost {true_lost} references to True"


def test_set_object_name_keeps_none() -> None:
    obj = QObject()
    _assert_stable("QObject.setObjectName", lambda: obj.setObjectName("till"))


def test_parent_keeps_none() -> None:
    obj = QObject()
    _assert_stable("QObject.parent", obj.parent)


def test_model_data_for_empty_role_keeps_none() -> None:
    model = QStringListModel(["a"])
    index = model.index(0, 0)
    _assert_stable("QModelIndex.data", lambda: index.data(Qt.ItemDataRole.DecorationRole))


def test_signal_emit_keeps_true() -> None:
    emitter = _Emitter()
    received: list[int] = []
    emitter.fired.connect(lambda: received.append(1) if len(received) < 1 else None)
    _assert_stable("Signal.emit", emitter.fired.emit)
    assert received == [1]


def test_installed_pair_is_a_safe_one() -> None:
    import PySide6

    version = tuple(int(p) for p in PySide6.__version__.split(".")[:2])
    assert sys.version_info >= (3, 12) or version < (6, 12), (
        f"PySide6 {PySide6.__version__} on Python {sys.version.split()[0]} is the unsafe pair"
    )
