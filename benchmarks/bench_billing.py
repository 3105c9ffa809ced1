"""The billing run (docs/billing-run.md): how fast, how steady the window stays, how much memory.

All against a sandbox in its own process (as PortOne is on the network) that delays every `again`
by 300 ms — PortOne and the card company answer in 0.3–1 s. The sandbox's `delay` fault is per
request and `times` counts requests, so it is set to the number of rows.

billing_run_300_at_300ms_ratio   wall time of plain `pos-app bill FILE.csv` (default settings, no
                                 flags; interpreter start included) over 300 rows, divided by
                                 300 × 0.3 s (one charge after the other). Target ≤ 0.15.
billing_run_300_at_300ms_s       that wall time
billing_run_2000_at_300ms_ratio  the same for 2,000 rows
billing_run_2000_at_300ms_s
billing_run_300_c{1,4,8,12}_ratio  the 300-row ratio at other concurrencies (how the default
                                 was chosen)
billing_run_gui_max_stall_ms     longest gap beyond its 1 ms interval of a GUI-thread timer while
                                 the window's 정기 결제 dialog charges 300 members, with 100,000
                                 customers in the list. Target ≤ 16.
billing_run_gui_stall_p99_ms     the 99th percentile of those gaps
billing_run_mem_kb_per_1000_rows resident memory a process gains per 1,000 rows charged, measured
                                 over a 2,000-row run after a 300-row warm-up
billing_run_mem_kb_per_1000_rows_next  the same over the next 2,000 rows (levelling off?)
billing_run_python_kb_per_1000_rows    what Python objects keep of it, per 1,000 rows (tracemalloc,
                                 over a last 1,000-row run)
"""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
# The tests' customers in bulk (tests/sample_customers.py), imported by name as the tests do.
sys.path.insert(0, str(ROOT / "tests"))
DELAY_MS = 300
_SANDBOX = """
import sys
from pos_app.sandbox import SandboxServer
server = SandboxServer()
print(server.start(), flush=True)
sys.stdin.read()
server.stop()
"""


@contextmanager
def sandbox() -> Iterator[str]:
    server = subprocess.Popen(
        [sys.executable, "-c", _SANDBOX],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
        cwd=ROOT,
    )
    assert server.stdout is not None and server.stdin is not None
    try:
        yield server.stdout.readline().strip()
    finally:
        server.stdin.close()
        server.wait(timeout=60)


def _members(base: str, count: int, prefix: str = "m") -> list[str]:
    from pos_app.core.card import KeyInCard
    from pos_app.gateway.client import PortOneClient
    from pos_app.sandbox import TEST_IMP_KEY, TEST_IMP_SECRET

    uids = [f"{prefix}{i:05d}" for i in range(count)]
    with PortOneClient(base, TEST_IMP_KEY, TEST_IMP_SECRET) as client:
        for uid in uids:
            client.issue_billing_key(
                uid, KeyInCard.parse("4242424242424242", "12/39", "880101", "12")
            )
    return uids


def _delay(base: str, times: int) -> None:
    import httpx

    fault = {
        "endpoint": "/subscribe/payments/again",
        "kind": "delay",
        "times": times,
        "delay_ms": DELAY_MS,
    }
    httpx.post(base + "/__sandbox__/faults", json=fault, timeout=10).raise_for_status()


def _bill(folder: Path, rows: int, concurrency: int | None = None) -> float:
    """Wall seconds of `pos-app bill` over `rows` members, each charge delayed 300 ms."""
    with sandbox() as base:
        uids = _members(base, rows)
        bill = folder / f"bill-{rows}-{concurrency}.csv"
        lines = [f"{uid},{10000 + i},월 회비" for i, uid in enumerate(uids)]
        bill.write_text("customer_uid,amount,name\n" + "\n".join(lines) + "\n", encoding="utf-8")
        _delay(base, rows)
        home = folder / f"home-{rows}-{concurrency}"
        env = {**os.environ, "POS_APP_HOME": str(home), "POS_APP_API_BASE": base}
        command = [sys.executable, "-m", "pos_app", "bill", str(bill)]
        if concurrency is not None:
            command += ["--concurrency", str(concurrency)]
        start = time.perf_counter()
        done = subprocess.run(command, env=env, capture_output=True, text=True, cwd=ROOT)
        elapsed = time.perf_counter() - start
        assert done.returncode == 0, done.stdout + done.stderr
        assert f'"paid": {rows},' in done.stdout, done.stdout
        return elapsed


def speed(folder: Path) -> dict[str, float]:
    figures: dict[str, float] = {}
    for rows in (300, 2000):
        seconds = _bill(folder, rows)
        figures[f"billing_run_{rows}_at_300ms_s"] = round(seconds, 2)
        figures[f"billing_run_{rows}_at_300ms_ratio"] = round(seconds / (rows * DELAY_MS / 1000), 3)
    for concurrency in (1, 4, 8, 12):
        seconds = _bill(folder, 300, concurrency)
        figures[f"billing_run_300_c{concurrency}_ratio"] = round(seconds / 90, 3)
    return figures


def memory(folder: Path) -> dict[str, float]:
    """RSS a process gains per 1,000 rows: a 300-row warm-up, then 2,000 rows, then 2,000 more
    (does it level off?); and what Python objects keep of it (tracemalloc)."""
    import gc
    import tracemalloc

    import psutil

    from pos_app.services.bill_file import read_bill
    from pos_app.services.billing import run_bill
    from pos_app.services.opening import open_till

    os.environ["POS_APP_HOME"] = str(folder / "home-memory")
    process = psutil.Process()
    with sandbox() as base:
        uids = _members(base, 5300, "mem")
        parts = [uids[:300], uids[300:2300], uids[2300:4300], uids[4300:]]
        bills = ["".join(f"{u},1000,회비\n" for u in part).encode() for part in parts]
        rss = []
        with open_till(base) as till:
            run_bill(till, read_bill(bills[0], "2026-01"))
            gc.collect()
            rss.append(process.memory_info().rss)
            for bill in bills[1:3]:
                summary = run_bill(till, read_bill(bill, "2026-01"))
                assert summary.counts["paid"] == 2000, summary.problems
                gc.collect()
                rss.append(process.memory_info().rss)
            # A last 1,000 rows traced (tracemalloc's own bookkeeping would swell the RSS above).
            tracemalloc.start()
            python_before = tracemalloc.get_traced_memory()[0]
            run_bill(till, read_bill(bills[3], "2026-01"))
            gc.collect()
            python_after = tracemalloc.get_traced_memory()[0]
            tracemalloc.stop()
    return {
        "billing_run_mem_kb_per_1000_rows": round((rss[1] - rss[0]) / 1024 / 2, 1),
        "billing_run_mem_kb_per_1000_rows_next": round((rss[2] - rss[1]) / 1024 / 2, 1),
        "billing_run_python_kb_per_1000_rows": round((python_after - python_before) / 1024, 1),
    }


def gui_stalls(folder: Path) -> dict[str, float]:
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtCore import QElapsedTimer, QEventLoop, Qt, QTimer
    from PySide6.QtWidgets import QApplication, QWidget
    from sample_customers import rows_for_test

    from pos_app.app import build_window
    from pos_app.services import places
    from pos_app.store.customers import CustomerIndex, MemberPlan
    from pos_app.ui.billing_run_dialog import BillingRunDialog

    app = QApplication.instance() or QApplication([])
    os.environ["POS_APP_HOME"] = str(folder / "home-gui")
    with sandbox() as base:
        uids = _members(base, 300, "gui")
        with CustomerIndex(places.customers_path("sandbox")) as index:
            index.upsert_many(rows_for_test(100_000))
            index.upsert_many(
                r._replace(customer_uid=uid)
                for uid, r in zip(uids, rows_for_test(300), strict=True)
            )
            index.set_plans(
                (uid, MemberPlan(50000, "월 회비", 1, since="2000-01-01")) for uid in uids
            )
        window = build_window(base)
        window.show()
        _wait(app, lambda: window.settled_at_start)
        _wait(app, lambda: window.customers.model.total() >= 100_000)
        window.billing.action.trigger()
        dialog = window.findChild(BillingRunDialog, "billingRunDialog")
        assert dialog is not None
        _wait(app, lambda: not dialog.busy() and dialog.start_button.isEnabled())
        _delay(base, 1000)

        def confirm() -> None:
            box = QApplication.activeModalWidget()
            button = box.findChild(QWidget, "confirmYesButton") if box is not None else None
            if button is None:
                QTimer.singleShot(5, confirm)
                return
            button.click()

        gaps: list[int] = []
        loop = QEventLoop()
        clock = QElapsedTimer()
        ticker = QTimer()
        ticker.setTimerType(Qt.TimerType.PreciseTimer)
        ticker.setInterval(1)

        def tick() -> None:
            gaps.append(clock.restart())
            if dialog.summary.text().endswith(("끝남", "finished")):
                loop.quit()

        ticker.timeout.connect(tick)
        QTimer.singleShot(0, confirm)
        dialog.start_button.click()  # the confirmation is answered from the loop below
        clock.start()
        ticker.start()
        loop.exec()
        ticker.stop()
        rows = dialog.model.rowCount()
        paid = dialog.model.count("paid")
        window.close()
        app.processEvents()
    assert paid == rows > 0, (paid, rows)
    stalls = sorted(gap - 1 for gap in gaps[1:])
    return {
        "billing_run_gui_max_stall_ms": float(stalls[-1]),
        "billing_run_gui_stall_p99_ms": float(stalls[int(len(stalls) * 0.99)]),
        "billing_run_gui_median_gap_ms": float(statistics.median(gaps[1:])),
    }


def _wait(app: object, done: object, timeout_s: float = 120.0) -> None:
    from PySide6.QtWidgets import QApplication

    assert callable(done)
    deadline = time.monotonic() + timeout_s
    while not done():
        if time.monotonic() > deadline:
            raise TimeoutError("the window did not get there")
        QApplication.processEvents()
        time.sleep(0.001)


def run() -> dict[str, float]:
    with tempfile.TemporaryDirectory(dir=ROOT / "benchmarks") as tmp:
        folder = Path(tmp)
        return {**speed(folder), **gui_stalls(folder), **memory(folder)}


if __name__ == "__main__":
    chosen = sys.argv[1:] or ["speed", "gui_stalls", "memory"]
    with tempfile.TemporaryDirectory(dir=ROOT / "benchmarks") as tmp:
        for name in chosen:
            print(globals()[name](Path(tmp)))
