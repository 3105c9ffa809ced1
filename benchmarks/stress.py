"""`make stress`: the ways an adversary charged a customer twice or lost a charge (issue 11), each
looped many times with real `pos-app` processes against one sandbox over HTTP.

Every loop gets a fresh data folder and a reset sandbox; at the end of each loop the sandbox (what
PortOne holds) is audited against the journal (what the till believes):

- double charge: an order id, or a member meant to be charged once, with more than one paid
  payment, or a refund taken twice;
- lost charge: a payment the sandbox holds as paid that the journal, once everything is settled,
  does not record as paid (or the other way round).

    python benchmarks/stress.py            # every case, 20 loops each
    python benchmarks/stress.py --loops 5 two_terminals kill_mid_charge

The figures go to benchmarks/stress-results.json; docs/stress.md explains them.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from collections.abc import Callable, Collection
from pathlib import Path
from typing import Any

import httpx

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))

from pos_app.core.card import KeyInCard  # noqa: E402
from pos_app.gateway.client import PortOneClient  # noqa: E402
from pos_app.sandbox import TEST_IMP_KEY, TEST_IMP_SECRET, SandboxServer  # noqa: E402
from pos_app.store.journal import Journal, JournalRow  # noqa: E402

RESULTS = HERE / "stress-results.json"
AGAIN = "/subscribe/payments/again"


class Findings:
    """What one loop found wrong."""

    def __init__(self) -> None:
        self.double = 0
        self.lost = 0
        self.notes: list[str] = []


class Shop:
    """One data folder (one counter PC) talking to the shared sandbox through `pos-app`."""

    def __init__(self, base: str, home: Path) -> None:
        self.base = base
        self.home = home
        self.env = {
            **os.environ,
            "POS_APP_HOME": str(home),
            "POS_APP_API_BASE": base,
            # Short waits, so a charge left in flight by a kill can be settled within seconds.
            "POS_APP_READ_TIMEOUT_S": "2",
            "POS_APP_SETTLE_GRACE_S": "1",
        }

    def command(self, *args: str) -> list[str]:
        return [sys.executable, "-m", "pos_app", *args]

    def run(self, *args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            self.command(*args), env=self.env, capture_output=True, text=True, timeout=180
        )

    def start(self, *args: str) -> subprocess.Popen[str]:
        return subprocess.Popen(
            self.command(*args),
            env=self.env,
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
            text=True,
        )

    def save_card(self, customer_uid: str) -> None:
        with PortOneClient(self.base, TEST_IMP_KEY, TEST_IMP_SECRET) as client:
            card = KeyInCard.parse("4242424242424242", "12/39", "880101", "12")
            client.issue_billing_key(customer_uid, card)

    def fault(self, endpoint: str, kind: str, times: int = 1, delay_ms: int = 0) -> None:
        body = {"endpoint": endpoint, "kind": kind, "times": times, "delay_ms": delay_ms}
        httpx.post(self.base + "/__sandbox__/faults", json=body, timeout=10).raise_for_status()

    def payments(self) -> list[dict[str, Any]]:
        answer = httpx.get(self.base + "/__sandbox__/payments", timeout=10)
        answer.raise_for_status()
        result: list[dict[str, Any]] = answer.json()["response"]
        return result

    def rows(self) -> list[JournalRow]:
        path = self.home / "sandbox" / "journal.sqlite3"
        if not path.exists():
            return []
        with Journal(path) as journal:
            return journal.all_rows()

    def wait_for(self, merchant_uid: str, state: str, timeout_s: float = 20) -> bool:
        end = time.monotonic() + timeout_s
        while time.monotonic() < end:
            if any(r.merchant_uid == merchant_uid and r.state == state for r in self.rows()):
                return True
            threading.Event().wait(0.02)
        return False

    def settle_everything(self) -> None:
        """Reconcile until nothing is open (after every deadline has passed)."""
        for _ in range(30):
            open_rows = [r for r in self.rows() if r.is_open]
            if not open_rows:
                return
            latest = max(r.settle_after or 0.0 for r in open_rows)
            while time.time() < latest + 0.2:
                threading.Event().wait(0.1)
            self.run("reconcile")
        # Rows void by a 404 are looked up again: once more catches a late payment.
        self.run("reconcile")

    def audit(self, found: Findings, *, once_per_customer: Collection[str] = ()) -> None:
        """Compare what the sandbox holds with what the journal says, after settling."""
        self.settle_everything()
        self.run("reconcile")
        payments = self.payments()
        paid = [p for p in payments if p["status"] in ("paid", "cancelled")]
        per_order = Counter(p["merchant_uid"] for p in paid)
        found.double += sum(n - 1 for n in per_order.values() if n > 1)
        per_customer = Counter(p["customer_uid"] for p in paid)
        found.double += sum(per_customer[c] - 1 for c in once_per_customer if per_customer[c] > 1)
        charges = {r.merchant_uid: r for r in self.rows() if r.kind != "refund"}
        for payment in paid:
            row = charges.get(payment["merchant_uid"])
            if row is None or row.state != "paid":
                found.lost += 1
                found.notes.append(f"{payment['merchant_uid']}: PortOne paid, journal {row}")
        held = {p["merchant_uid"] for p in paid}
        for uid, row in charges.items():
            if row.state == "paid" and uid not in held:
                found.lost += 1
                found.notes.append(f"{uid}: journal paid, PortOne has no paid payment")
        for payment in payments:
            history = payment.get("cancel_history") or []
            if sum(h["amount"] for h in history) != payment.get("cancel_amount", 0):
                found.double += 1
        refunded: Counter[str] = Counter()
        for row in self.rows():
            if row.kind == "refund" and row.state == "refunded":
                refunded[row.merchant_uid] += row.amount
        for payment in payments:
            if refunded[payment["merchant_uid"]] != payment.get("cancel_amount", 0):
                found.lost += 1
                found.notes.append(
                    f"{payment['merchant_uid']}: refunded {refunded[payment['merchant_uid']]} "
                    f"in the journal, {payment.get('cancel_amount')} at PortOne"
                )


def _charge_args(uid: str, amount: int, merchant_uid: str | None = None) -> list[str]:
    args = ["charge", "--customer-uid", uid, "--amount", str(amount), "--name", "회비"]
    return [*args, "--merchant-uid", merchant_uid] if merchant_uid else args


# -- the cases --------------------------------------------------------------------------------


def two_terminals(shop: Shop, rng: random.Random, found: Findings) -> None:
    """`charge` with a slow card company, the same command again from a second terminal."""
    shop.save_card("k1")
    shop.fault(AGAIN, "delay", delay_ms=rng.randint(800, 2500))
    first = shop.start(*_charge_args("k1", 33000))
    threading.Event().wait(rng.uniform(0.1, 1.2))
    shop.run(*_charge_args("k1", 33000))
    first.communicate(timeout=120)
    shop.audit(found, once_per_customer={"k1"})


def reconcile_mid_charge(shop: Shop, rng: random.Random, found: Findings) -> None:
    """A charge in flight; `reconcile` and a window-like second charge meanwhile."""
    shop.save_card("k2")
    shop.fault(AGAIN, "delay", delay_ms=rng.randint(500, 2000))
    first = shop.start(*_charge_args("k2", 88000, "MID-1"))
    shop.wait_for("MID-1", "sent")
    shop.run("reconcile")
    shop.run(*_charge_args("k2", 88000))
    first.communicate(timeout=120)
    shop.run(*_charge_args("k2", 88000))  # after it paid: the same amount asks first
    shop.audit(found, once_per_customer={"k2"})


def kill_mid_charge(shop: Shop, rng: random.Random, found: Findings) -> None:
    """The charging process dies at a random moment, the card company slower or faster than
    its deadline; then a reconcile, and a new charge of the same member."""
    shop.save_card("k3")
    shop.fault(AGAIN, "delay", delay_ms=rng.randint(200, 4500))
    first = shop.start(*_charge_args("k3", 55000, "KILL-1"))
    shop.wait_for("KILL-1", "sent")
    threading.Event().wait(rng.uniform(0.0, 1.5))
    first.send_signal(signal.SIGKILL)
    first.wait(timeout=30)
    shop.run("reconcile")
    shop.run(*_charge_args("k3", 55000, "KILL-1"))  # the same order again: never a 2nd charge
    shop.audit(found, once_per_customer={"k3"})


def two_bill_runs(shop: Shop, rng: random.Random, found: Findings) -> None:
    """One bill file run twice at once on one data folder."""
    members = [f"m{i:02d}" for i in range(10)]
    for uid in members:
        shop.save_card(uid)
    bill = shop.home / "bill.csv"
    lines = [f"{m},{5000 + i},회비" for i, m in enumerate(members)]
    bill.write_text("customer_uid,amount,name\n" + "\n".join(lines) + "\n", encoding="utf-8")
    shop.fault(AGAIN, "delay", times=20, delay_ms=rng.randint(20, 150))
    runs = [shop.start("bill", str(bill), "--period", "2026-12") for _ in range(2)]
    outs = [run.communicate(timeout=180)[0] for run in runs]
    for out in outs:
        summary = json.loads(out.strip().splitlines()[-1])
        if summary.get("refused"):
            found.notes.append(f"a run said refused: {summary}")
            found.lost += summary["refused"]
    shop.run("bill", str(bill), "--period", "2026-12")
    shop.audit(found, once_per_customer=set(members))


def bill_killed(shop: Shop, rng: random.Random, found: Findings) -> None:
    """A billing run SIGKILLed at a random moment, then run again to the end."""
    members = [f"b{i:02d}" for i in range(15)]
    for uid in members:
        shop.save_card(uid)
    bill = shop.home / "bill.csv"
    lines = [f"{m},{7000 + i},회비" for i, m in enumerate(members)]
    bill.write_text("customer_uid,amount,name\n" + "\n".join(lines) + "\n", encoding="utf-8")
    shop.fault(AGAIN, "delay", times=30, delay_ms=rng.randint(20, 200))
    run = shop.start("bill", str(bill), "--period", "2026-12")
    threading.Event().wait(rng.uniform(0.3, 2.0))
    run.send_signal(signal.SIGKILL)
    run.wait(timeout=30)
    shop.settle_everything()
    shop.run("bill", str(bill), "--period", "2026-12")
    shop.audit(found, once_per_customer=set(members))


def two_refunds(shop: Shop, rng: random.Random, found: Findings) -> None:
    """Two refunds of one payment at once, the first with a slow answer."""
    shop.save_card("r1")
    shop.run(*_charge_args("r1", 30000, "SALE-1"))
    shop.fault("/payments/cancel", "delay", delay_ms=rng.randint(200, 1500))
    first = shop.start("refund", "--merchant-uid", "SALE-1", "--amount", "10000", "--reason", "a")
    threading.Event().wait(rng.uniform(0.0, 0.6))
    shop.run("refund", "--merchant-uid", "SALE-1", "--amount", "10000", "--reason", "b")
    first.communicate(timeout=120)
    shop.audit(found)


CASES: dict[str, Callable[[Shop, random.Random, Findings], None]] = {
    "two_terminals": two_terminals,
    "reconcile_mid_charge": reconcile_mid_charge,
    "kill_mid_charge": kill_mid_charge,
    "two_bill_runs": two_bill_runs,
    "bill_killed": bill_killed,
    "two_refunds": two_refunds,
}


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--loops", type=int, default=20)
    parser.add_argument("--seed", type=int, default=None)
    parser.add_argument("cases", nargs="*", help=f"some of: {', '.join(CASES)} (default: all)")
    args = parser.parse_args(argv)
    chosen = args.cases or list(CASES)
    unknown = [c for c in chosen if c not in CASES]
    if unknown:
        parser.error(f"no case {', '.join(unknown)}")
    seed = args.seed if args.seed is not None else random.randrange(1_000_000)
    rng = random.Random(seed)
    server = SandboxServer()
    base = server.start()
    results: dict[str, Any] = {"seed": seed, "loops": args.loops, "cases": {}}
    failed = False
    try:
        for name in chosen:
            started = time.monotonic()
            double = lost = 0
            notes: list[str] = []
            for loop in range(args.loops):
                httpx.post(base + "/__sandbox__/reset", timeout=10).raise_for_status()
                home = Path(tempfile.mkdtemp(prefix=f"stress-{name}-"))
                found = Findings()
                try:
                    CASES[name](Shop(base, home), rng, found)
                finally:
                    shutil.rmtree(home, ignore_errors=True)
                double += found.double
                lost += found.lost
                notes += [f"loop {loop}: {n}" for n in found.notes]
                print(f"{name} loop {loop}: double {found.double}, lost {found.lost}", flush=True)
            seconds = round(time.monotonic() - started, 1)
            results["cases"][name] = {
                "loops": args.loops,
                "double_charges": double,
                "lost_charges": lost,
                "seconds": seconds,
                "notes": notes[:20],
            }
            failed = failed or bool(double or lost)
            print(f"== {name}: {args.loops} loops, double {double}, lost {lost}, {seconds} s")
    finally:
        server.stop()
    RESULTS.write_text(json.dumps(results, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    print(f"seed {seed}; results in {RESULTS}")
    return 1 if failed else 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
