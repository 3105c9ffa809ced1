"""The store server pulled out from under two counters (processes), and put back.

A counter that cannot reach the server charges nothing (it cannot record the intent first) and
says why; it never falls back to a local file. A server that goes away while a charge is at
PortOne leaves that charge's row as it was ("sent"): when the server is back, any counter's
reconciliation records what PortOne did. Everything resumes without restarting anything.

Each test has a cluster of its own, since it stops it.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from pg_cluster import Cluster
from sandbox_audit import SandboxAudit
from shop_helpers import CounterProcess, save_card


@pytest.fixture
def own_cluster() -> Iterator[Cluster]:
    cluster = Cluster()
    cluster.start()
    yield cluster
    cluster.remove()


@pytest.fixture
def pair(
    own_cluster: Cluster, tmp_path: Path, sandbox_url: str
) -> Iterator[tuple[CounterProcess, CounterProcess]]:
    url = own_cluster.new_database("shop")
    one = CounterProcess(tmp_path / "one", "T1", url, sandbox_url)
    two = CounterProcess(tmp_path / "two", "T2", url, sandbox_url)
    yield one, two
    one.close()
    two.close()


def _paid(sandbox: SandboxAudit, customer_uid: str) -> int:
    return sum(
        1
        for p in sandbox.payments()
        if p.get("customer_uid") == customer_uid and p["status"] == "paid"
    )


def test_no_server_no_charge_and_it_resumes_by_itself(
    pair: tuple[CounterProcess, CounterProcess],
    own_cluster: Cluster,
    sandbox: SandboxAudit,
    sandbox_url: str,
) -> None:
    one, two = pair
    save_card(sandbox_url, "down_park")
    own_cluster.stop()
    answer = one.ask(do="charge", customer_uid="down_park", amount=20000)
    # Nothing left for PortOne: the intent could not be recorded.
    assert answer == {"outcome": "storage", "reason": "unreachable", "sent": ""}
    assert _paid(sandbox, "down_park") == 0
    assert not list((one_home := Path(one.home)).glob("**/journal.sqlite3")), one_home
    own_cluster.start()
    assert one.ask(do="charge", customer_uid="down_park", amount=20000)["outcome"] == "paid"
    # The other counter sees that charge at once: the same amount again is a question.
    again = two.ask(do="charge", customer_uid="down_park", amount=20000)
    assert again == {"outcome": "blocked", "reason": "duplicate"}
    assert _paid(sandbox, "down_park") == 1


def test_a_server_gone_mid_charge_leaves_a_row_settled_when_it_returns(
    pair: tuple[CounterProcess, CounterProcess],
    own_cluster: Cluster,
    sandbox: SandboxAudit,
    sandbox_url: str,
) -> None:
    one, two = pair
    save_card(sandbox_url, "mid_choi")
    sandbox.fault("/subscribe/payments/again", "delay", delay_ms=2500)
    one.send(do="charge", customer_uid="mid_choi", amount=30000)
    time.sleep(1.0)  # the intent is recorded and the charge is at PortOne
    own_cluster.stop()
    answer = one.read()
    # Sent, paid at PortOne, but its answer could not be written: unknown, never "failed".
    assert answer["outcome"] == "storage" and answer["sent"], answer
    assert _paid(sandbox, "mid_choi") == 1
    own_cluster.start()
    # Counter 1's session (and lease) ended with the server; counter 2 settles its charge.
    assert two.ask(do="reconcile") == {"outcome": "reconciled", "kinds": ["paid"]}
    blocked = one.ask(do="charge", customer_uid="mid_choi", amount=30000)
    assert blocked == {"outcome": "blocked", "reason": "duplicate"}
    assert _paid(sandbox, "mid_choi") == 1
