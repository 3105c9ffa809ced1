"""Audit trail figures (docs/staff.md).

audit_append_ms              one entry appended (hash chain + head, one fsynced commit), median
                             of 200 — what every charge, sign-in or approval adds, on the staff
                             worker thread
audit_100k_verify_s          `verify` over 100,000 entries (read, re-hash, link check), best of 3
audit_100k_prepare_s         the 기록 view's worker part at 100,000 entries: read them and build
                             the search texts (without the chain check), best of 3
audit_100k_show_gui_thread_ms  the GUI thread's part: the model takes the prepared entries and
                             the table paints, median of 5
audit_100k_keystroke_ms      slowest keystroke (filter + repaint) typing realistic searches into
                             the 기록 view, each keystroke the best of 3 rounds after a warm-up
pin_check_ms                 one PIN checked against its scrypt hash (sign-in, approval), median
                             of 10, on a worker thread in the window
"""

from __future__ import annotations

import os
import sqlite3
import statistics
import tempfile
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

ROOT = Path(__file__).resolve().parent.parent
ENTRIES = 100_000
SEARCHES = ("kim", "refund", "T1-2026", "approval")
ACTIONS = ("sign_in", "charge", "charge", "charge", "refund", "approval", "lock", "export")


def _fill(path: Path) -> None:
    """100,000 entries of a valid chain, written in one transaction (appending them one by one
    with an fsync each would take minutes and measures nothing new)."""
    from pos_app.store.audit import GENESIS, AuditLog, encode_details, entry_hash

    AuditLog(path).close()
    rows, prev, at = [], GENESIS, 1_780_000_000.0
    for seq in range(1, ENTRIES + 1):
        action = ACTIONS[seq % len(ACTIONS)]
        person = ("kim", "lee", "김사장", "박하늘")[seq % 4]
        details = encode_details(
            {"merchant_uid": f"20260101T{seq:09d}-T1-abcd", "outcome": "paid", "amount": 55000}
        )
        fields = (seq, at + seq, "T1", person, action, details, prev)
        prev = entry_hash(*fields)
        rows.append((*fields, prev))
    conn = sqlite3.connect(path)
    conn.executemany("INSERT INTO audit VALUES (?, ?, ?, ?, ?, ?, ?, ?)", rows)
    conn.execute("INSERT INTO audit_head VALUES (1, ?, ?)", (ENTRIES, prev))
    conn.commit()
    conn.close()


def _append(folder: Path) -> float:
    from pos_app.store.audit import AuditLog

    times = []
    with AuditLog(folder / "append.sqlite3") as log:
        for i in range(200):
            start = time.perf_counter()
            log.append(time.time(), "T1", "kim", "charge", {"merchant_uid": f"m{i}"})
            times.append(time.perf_counter() - start)
    return round(statistics.median(times) * 1000, 2)


def _verify(path: Path) -> float:
    from pos_app.store.audit import AuditLog

    best = float("inf")
    for _ in range(3):
        with AuditLog(path) as log:
            start = time.perf_counter()
            check = log.verify()
            best = min(best, time.perf_counter() - start)
        assert check.ok and check.entry_count == ENTRIES
    return round(best, 3)


def _view(path: Path) -> dict[str, float]:
    from PySide6.QtWidgets import QApplication, QHeaderView, QTableView

    from pos_app.store.audit import AuditLog, ChainCheck
    from pos_app.ui.audit_view import AuditModel, PreparedAudit

    app = QApplication.instance() or QApplication([])
    check = ChainCheck(True, ENTRIES, ENTRIES, "")
    labels = AuditModel().action_names()
    prepare_times = []
    for _ in range(3):
        with AuditLog(path) as log:
            start = time.perf_counter()
            prepared = PreparedAudit(log.entries(), check, labels)
            prepare_times.append(time.perf_counter() - start)
    model = AuditModel()
    view = QTableView()
    view.setModel(model)
    view.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Fixed)  # as the dialog
    view.verticalHeader().setDefaultSectionSize(26)
    view.resize(980, 560)
    view.show()
    show_times = []
    for _ in range(5):
        start = time.perf_counter()
        model.set_prepared(prepared)
        view.repaint()
        app.processEvents()
        show_times.append(time.perf_counter() - start)
    assert model.rowCount() == ENTRIES
    rounds: list[list[float]] = []
    for _ in range(4):
        keystrokes = []
        for query in SEARCHES:
            for n in range(1, len(query) + 1):
                start = time.perf_counter()
                model.set_query(query[:n])
                view.repaint()
                keystrokes.append(time.perf_counter() - start)
            model.set_query("")
        rounds.append(keystrokes)
    worst = max(min(column) for column in zip(*rounds[1:], strict=True))
    view.close()
    return {
        "audit_100k_prepare_s": round(min(prepare_times), 3),
        "audit_100k_show_gui_thread_ms": round(statistics.median(show_times) * 1000, 1),
        "audit_100k_keystroke_ms": round(worst * 1000, 2),
    }


def _pin_check() -> float:
    from pos_app.core.staff_pin import StaffPin

    stored = StaffPin("48213579").hash()
    times = []
    for _ in range(10):
        pin = StaffPin("48213579")
        start = time.perf_counter()
        assert pin.matches(stored)
        times.append(time.perf_counter() - start)
    return round(statistics.median(times) * 1000, 1)


def run() -> dict[str, float]:
    with tempfile.TemporaryDirectory(dir=ROOT / "benchmarks") as tmp:
        folder = Path(tmp)
        path = folder / "audit.sqlite3"
        _fill(path)
        return {
            "audit_append_ms": _append(folder),
            "audit_100k_verify_s": _verify(path),
            **_view(path),
            "pin_check_ms": _pin_check(),
        }


if __name__ == "__main__":
    print(run())
