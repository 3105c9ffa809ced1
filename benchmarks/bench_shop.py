"""The shop's store server (PostgreSQL) against the single counter's SQLite (docs/benchmarks.md,
docs/counters.md). A throwaway cluster that fsyncs like a real server (tests/pg_cluster.py,
durable), on this machine's loopback; a sandbox in another process.

- shop_journal_per_charge_sqlite_ms / _pg_ms: the journal's share of one charge as the till
  writes it: the guard's transaction (exclusive for the member; its two reads; the intent),
  then `sent`, then the answer. Median of 200.
- shop_two_counters_300_rows_s / _rows_per_s / _duplicates: two counters (two `pos-app bill`
  processes, their own data folders and terminals) billing 300 different members each at the
  same time on one store server; wall time, rows charged per second over both, and how many
  orders PortOne (the sandbox) holds more than one payment for, or members charged twice (0).
- shop_live_latency_ms: from a charge's last write on one counter to the other counter's live
  feed (services/live.py) handing it to its window, median of 20 (target: under 1,000 ms).
"""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))

_SANDBOX = """
import sys
from pos_app.sandbox import SandboxServer
server = SandboxServer()
print(server.start(), flush=True)
sys.stdin.read()
server.stop()
"""


def _journal_per_charge(journal: Any, prefix: str) -> float:
    from pos_app.store.journal import customer_key

    times = []
    for i in range(200):
        uid = f"member{i:03d}"
        start = time.perf_counter()
        with journal.exclusive(customer_key(uid)):
            journal.open_for_customer(uid, include_overridden=True)
            journal.recent_charge(uid, 1000, time.time() - 300)
            row = journal.begin(
                f"{prefix}-{i}", "charge_again", origin="bench", amount=1000, customer_uid=uid
            )
        journal.mark_sent(row.id)
        journal.settle(row.id, "paid", imp_uid="imp_000000000000", card_number="****1234")
        journal.let_go(row.id)
        times.append(time.perf_counter() - start)
    return round(statistics.median(times) * 1000, 2)


def _sandbox() -> tuple[subprocess.Popen[str], str]:
    server = subprocess.Popen(
        [sys.executable, "-c", _SANDBOX], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True
    )
    assert server.stdout is not None
    return server, server.stdout.readline().strip()


def _two_counters(folder: Path, url: str, base: str) -> dict[str, float]:
    import httpx

    from pos_app.core.card import KeyInCard
    from pos_app.gateway.client import PortOneClient
    from pos_app.sandbox import TEST_IMP_KEY, TEST_IMP_SECRET

    rows = 300
    with PortOneClient(base, TEST_IMP_KEY, TEST_IMP_SECRET) as client:
        for counter in ("a", "b"):
            for i in range(rows):
                card = KeyInCard.parse("4242424242424242", "12/39", "880101", "12")
                client.issue_billing_key(f"{counter}{i:03d}_4242", card)
    processes = []
    start = time.perf_counter()
    for terminal, counter in (("T1", "a"), ("T2", "b")):
        bill = folder / f"bill-{counter}.csv"
        lines = [f"{counter}{i:03d}_4242,{10000 + i},회비" for i in range(rows)]
        bill.write_text("customer_uid,amount,name\n" + "\n".join(lines) + "\n", encoding="utf-8")
        env = {
            **os.environ,
            "POS_APP_HOME": str(folder / f"home-{counter}"),
            "POS_APP_TERMINAL": terminal,
            "POS_APP_API_BASE": base,
            "POS_APP_DATABASE_URL": url,
        }
        processes.append(
            subprocess.Popen(
                [sys.executable, "-m", "pos_app", "bill", str(bill), "--period", "bench"],
                env=env,
                stdout=subprocess.PIPE,
                stderr=subprocess.PIPE,
                text=True,
                cwd=ROOT,
            )
        )
    for process in processes:
        out, err = process.communicate(timeout=900)
        assert process.returncode == 0, out + err[-2000:]
    elapsed = time.perf_counter() - start
    payments = httpx.get(base + "/__sandbox__/payments", timeout=30).json()["response"]
    paid = [p for p in payments if p["status"] == "paid"]
    per_order = Counter(p["merchant_uid"] for p in paid)
    per_member = Counter(p["customer_uid"] for p in paid)
    duplicates = sum(n - 1 for n in per_order.values() if n > 1)
    duplicates += sum(n - 1 for n in per_member.values() if n > 1)
    assert len(per_member) == 2 * rows, len(per_member)
    return {
        "shop_two_counters_300_rows_s": round(elapsed, 2),
        "shop_two_counters_rows_per_s": round(2 * rows / elapsed, 1),
        "shop_two_counters_duplicates": float(duplicates),
    }


def _live_latency(folder: Path, url: str, base: str) -> float:
    from pos_app.core.card import KeyInCard
    from pos_app.core.order import Order
    from pos_app.services.live import ShopChange, StoreHealth
    from pos_app.services.opening import open_till

    os.environ["POS_APP_DATABASE_URL"] = url
    os.environ["POS_APP_HOME"] = str(folder / "live-1")
    one = open_till(base)
    os.environ["POS_APP_HOME"] = str(folder / "live-2")
    two = open_till(base)
    seen: dict[str, float] = {}
    arrived = threading.Condition()

    def on_change(change: ShopChange) -> None:
        with arrived:
            for row in change.customers:
                if row.last_charge_at is not None and row.customer_uid not in seen:
                    seen[row.customer_uid] = time.perf_counter()
            arrived.notify_all()

    def on_health(health: StoreHealth) -> None:
        pass

    feed = two.watch_shop(on_change, on_health)
    assert feed is not None  # the store server: the feed follows it
    latencies = []
    try:
        time.sleep(0.5)  # the feed is listening
        for i in range(20):
            uid = f"live{i:02d}_4242"
            one.issue_key(uid, KeyInCard.parse("4242424242424242", "12/39", "880101", "12"))
            outcome = one.charge_again(uid, Order(one.new_merchant_uid(), 5000, "회비"))
            done = time.perf_counter()  # the charge's last write has committed
            assert outcome.kind == "paid"
            with arrived:
                arrived.wait_for(lambda u=uid: u in seen, timeout=10)
            latencies.append(max(0.0, seen[uid] - done))
    finally:
        feed.stop()
        one.close()
        two.close()
        del os.environ["POS_APP_DATABASE_URL"]
    return round(statistics.median(latencies) * 1000, 1)


def run() -> dict[str, float]:
    from pg_cluster import Cluster

    from pos_app.store.backend import open_server
    from pos_app.store.journal import Journal
    from pos_app.store.postgres import parse_address

    figures: dict[str, float] = {}
    home = os.environ.get("POS_APP_HOME")
    cluster = Cluster(durable=True)
    cluster.start()
    server, base = _sandbox()
    try:
        with tempfile.TemporaryDirectory(dir=ROOT / "benchmarks") as tmp:
            folder = Path(tmp)
            with Journal(folder / "journal.sqlite3") as journal:
                figures["shop_journal_per_charge_sqlite_ms"] = _journal_per_charge(journal, "S")
            url = cluster.new_database("bench_journal")
            store = open_server(parse_address(url), "sandbox", terminal="B1")
            try:
                figures["shop_journal_per_charge_pg_ms"] = _journal_per_charge(store.journal, "P")
            finally:
                store.close()
            figures.update(_two_counters(folder, cluster.new_database("bench_bill"), base))
            figures["shop_live_latency_ms"] = _live_latency(
                folder, cluster.new_database("bench_live"), base
            )
    finally:
        if home is not None:
            os.environ["POS_APP_HOME"] = home
        assert server.stdin is not None
        server.stdin.close()
        server.wait(timeout=30)
        cluster.remove()
    return figures
