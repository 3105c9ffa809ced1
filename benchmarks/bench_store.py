"""Journal and customer index costs (docs/journal.md, "Figures").

- store_customers_load_100k_ms: CustomerIndex.all_rows() over 100,000 customers (one SELECT,
  named tuples), best of 5 fresh connections — what the window waits for at start (off the GUI
  thread).
- store_journal_per_charge_ms: the journal's share of one charge: begin (pending) + mark_sent +
  settle, three fsynced commits (WAL, synchronous=FULL), median of 200.
- bill_200_rows_s: `pos-app bill` over 200 rows, a subprocess against a sandbox in another
  process, from start to exit (interpreter start included).
"""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def _customers_load(folder: Path) -> float:
    from pos_app.store.customers import CustomerIndex, CustomerRow

    rows = [
        CustomerRow(
            f"member{i:06d}_1234", f"회원{i}", "010-0000-0000", "", "1234", "신한카드", 0, 1, 1
        )
        for i in range(100_000)
    ]
    with CustomerIndex(folder / "customers.sqlite3") as index:
        index.upsert_many(rows)
    best = float("inf")
    for _ in range(5):
        with CustomerIndex(folder / "customers.sqlite3") as index:
            start = time.perf_counter()
            loaded = index.all_rows()
            best = min(best, time.perf_counter() - start)
        assert len(loaded) == 100_000
    return round(best * 1000, 1)


def _journal_per_charge(folder: Path) -> float:
    from pos_app.store.journal import Journal

    times = []
    with Journal(folder / "journal.sqlite3") as journal:
        for i in range(200):
            start = time.perf_counter()
            row = journal.begin(f"BENCH-{i}", "charge_again", origin="bench", amount=1000)
            journal.mark_sent(row.id)
            journal.settle(row.id, "paid", imp_uid="imp_000000000000", card_number="****1234")
            times.append(time.perf_counter() - start)
    return round(statistics.median(times) * 1000, 2)


_SANDBOX = """
import sys
from pos_app.sandbox import SandboxServer
server = SandboxServer()
print(server.start(), flush=True)
sys.stdin.read()
server.stop()
"""


def _bill_200(folder: Path) -> float:
    from pos_app.core.card import KeyInCard
    from pos_app.gateway.client import PortOneClient
    from pos_app.sandbox import TEST_IMP_KEY, TEST_IMP_SECRET

    server = subprocess.Popen(
        [sys.executable, "-c", _SANDBOX], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True
    )
    assert server.stdout is not None and server.stdin is not None
    try:
        base = server.stdout.readline().strip()
        with PortOneClient(base, TEST_IMP_KEY, TEST_IMP_SECRET) as client:
            for i in range(20):
                card = KeyInCard.parse("4242424242424242", "12/39", "880101", "12")
                client.issue_billing_key(f"member{i:02d}_4242", card)
        bill = folder / "bill.csv"
        lines = [f"member{i % 20:02d}_4242,{1000 + i},{i}번 회비" for i in range(200)]
        bill.write_text("customer_uid,amount,name\n" + "\n".join(lines) + "\n", encoding="utf-8")
        env = {**os.environ, "POS_APP_HOME": str(folder / "home"), "POS_APP_API_BASE": base}
        start = time.perf_counter()
        done = subprocess.run(
            [sys.executable, "-m", "pos_app", "bill", str(bill)],
            env=env,
            capture_output=True,
            text=True,
            cwd=ROOT,
        )
        elapsed = time.perf_counter() - start
        assert done.returncode == 0, done.stdout + done.stderr
        return round(elapsed, 2)
    finally:
        server.stdin.close()
        server.wait(timeout=30)


def run() -> dict[str, float]:
    with tempfile.TemporaryDirectory(dir=ROOT / "benchmarks") as tmp:
        folder = Path(tmp)
        return {
            "store_customers_load_100k_ms": _customers_load(folder),
            "store_journal_per_charge_ms": _journal_per_charge(folder),
            "bill_200_rows_s": _bill_200(folder),
        }
