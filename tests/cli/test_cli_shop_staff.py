"""Staff and the audit trail on the shop's store server, through the commands of two counters
(two data folders, two terminal ids, real subprocesses): one staff list and one chain for the
shop, a lockout that holds at the other counter, and a counter's own staff copied once."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import psycopg
from pos_app_runner import PosApp

MANAGER_PIN = "9137"
CASHIER_PIN = "2468"


def _counter(home: Path, api_base: str, terminal: str, store_url: str | None) -> PosApp:
    counter = PosApp(home, api_base)
    counter.env["POS_APP_TERMINAL"] = terminal
    if store_url is not None:
        counter.env["POS_APP_DATABASE_URL"] = store_url
    return counter


def _staff(counter: PosApp, *args: str, stdin: str = "") -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        counter.command("--lang", "en", "staff", *args),
        env=counter.env,
        input=stdin,
        capture_output=True,
        text=True,
        timeout=120,
    )


def _refund(counter: PosApp, manager: str, pin: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        counter.command(
            "--lang",
            "en",
            "refund",
            "--merchant-uid",
            "nope",
            "--reason",
            "r",
            "--manager",
            manager,
        ),
        env=counter.env,
        input=pin + "\n",
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_one_staff_list_one_chain_and_a_lockout_for_every_counter(
    tmp_path: Path, sandbox_url: str, store_url: str
) -> None:
    one = _counter(tmp_path / "one", sandbox_url, "T1", store_url)
    two = _counter(tmp_path / "two", sandbox_url, "T2", store_url)
    added = _staff(one, "add", "김사장", "--role", "manager", stdin=f"{MANAGER_PIN}\n" * 2)
    assert added.returncode == 0, added.stderr
    added = _staff(two, "add", "kim", "--role", "cashier", stdin=f"{CASHIER_PIN}\n" * 2)
    assert added.returncode == 0, added.stderr
    # Each counter lists the other's additions: one list.
    for counter in (one, two):
        listed = _staff(counter, "list").stdout
        assert "김사장\tmanager" in listed and "kim\tcashier" in listed
    # No file of the counters' own: the records are on the server only.
    for counter in (one, two):
        assert not (counter.home / "staff.sqlite3").exists()
        assert not (counter.home / "audit.sqlite3").exists()

    # Five wrong manager PINs at counter T1 lock the name at counter T2 too.
    for _ in range(5):
        assert _refund(one, "김사장", "0000").returncode != 0
    refused = _refund(two, "김사장", MANAGER_PIN)
    assert refused.returncode != 0 and "locked" in refused.stdout + refused.stderr

    # One chain, written by both counters, checked from either.
    checked = one.run("--lang", "en", "audit", "verify")
    assert checked.returncode == 0, checked.stderr
    assert checked.stdout.startswith("intact")
    listed = two.run("audit").stdout
    terminals = {line.split()[3] for line in listed.splitlines() if line.strip()}
    assert {"T1", "T2"} <= terminals
    assert MANAGER_PIN not in listed and CASHIER_PIN not in listed


def test_a_counters_own_staff_go_to_the_server_once_and_sign_in_stays_on(
    tmp_path: Path, sandbox_url: str, store_url: str
) -> None:
    """A counter that had a manager in its own files: pointed at a store server whose staff has
    no manager, it refuses what needs a manager (choosing a server must not switch sign-in off)
    until `db import-sqlite` copies its staff; copying again adds nobody."""
    alone = _counter(tmp_path / "alone", sandbox_url, "T1", None)
    added = _staff(alone, "add", "김사장", "--role", "manager", stdin=f"{MANAGER_PIN}\n" * 2)
    assert added.returncode == 0, added.stderr
    alone.save_card("kim_4242")
    (alone.home / "uids.txt").write_text("kim_4242\n", encoding="utf-8")
    assert alone.run("customers", "import", str(alone.home / "uids.txt")).returncode == 0
    local_head = alone.run("--lang", "en", "audit", "verify").stdout.split()[-1]

    joined = _counter(tmp_path / "alone", sandbox_url, "T1", store_url)
    refused = _refund(joined, "김사장", MANAGER_PIN)
    assert refused.returncode != 0
    assert "db import-sqlite" in refused.stdout + refused.stderr

    first = joined.run("db", "import-sqlite")
    assert first.returncode == 0, first.stdout
    moved = json.loads(first.stdout)
    assert moved["staff_copied"] == 1 and moved["customers_copied"] == 1
    again = json.loads(joined.run("db", "import-sqlite").stdout)
    assert again["staff_copied"] == 0 and again["staff_already_there"] == 1

    listed = _staff(joined, "list").stdout
    assert "김사장\tmanager" in listed
    # The manager's PIN came along as its hash: it approves on the server now (the refund then
    # fails on its own merits: there is no such order).
    approved = _refund(joined, "김사장", MANAGER_PIN)
    assert "db import-sqlite" not in approved.stdout + approved.stderr
    assert "Wrong PIN" not in approved.stdout + approved.stderr
    # The shop's trail says what was copied and where this counter's own trail ended.
    with psycopg.connect(store_url) as conn:
        rows = conn.execute(
            "SELECT details FROM pos_shop.audit WHERE action = 'db_import' ORDER BY seq"
        ).fetchall()
    details = json.loads(rows[0][0])
    assert len(rows) == 2 and details["staff"] == 1
    assert details["audit_head"] == local_head
    status = json.loads(joined.run("db", "status").stdout)
    assert status["shop"]["staff"] == 1 and status["shop"]["managers"] == 1
