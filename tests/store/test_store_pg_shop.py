"""What landed beside the journal, on the store server: V2's billing keys and its own customer
index (a mode schema's migration 2), and the shop's schema pos_shop with the staff and the
hash-chained audit trail, which several counters share (real cluster, real processes)."""

from __future__ import annotations

import subprocess
import sys
import textwrap
import threading
import time
from pathlib import Path

import psycopg
import pytest
from pg_cluster import Cluster

from pos_app.store.audit import AuditLog
from pos_app.store.backend import open_audit, open_server, open_staff
from pos_app.store.customers import CustomerIndex, CustomerRow
from pos_app.store.errors import StorageError
from pos_app.store.pg_schema import LATEST, MIGRATIONS, SHOP_MIGRATIONS, SHOP_SCHEMA
from pos_app.store.postgres import open_shared, parse_address
from pos_app.store.staff import LastManager, StaffStore


def test_a_schema_from_before_v2_gains_billing_keys_and_v2s_own_index(
    pg_cluster: Cluster,
) -> None:
    """A shop whose server a counter of the first version set up: the next counter to connect
    adds the billing_key column (old rows keep '') and V2's index, once."""
    url = pg_cluster.new_database("before_v2")
    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute("CREATE SCHEMA pos_sandbox")
        conn.execute(
            "CREATE TABLE pos_sandbox.schema_migrations (version integer PRIMARY KEY, "
            "name text NOT NULL, applied_at timestamptz NOT NULL DEFAULT now())"
        )
        with conn.transaction():
            conn.execute("SET LOCAL search_path TO pos_sandbox")
            conn.execute(MIGRATIONS[0].sql.encode())
            conn.execute("INSERT INTO schema_migrations VALUES (1, 'first')")
            conn.execute("INSERT INTO customers (customer_uid, name) VALUES ('kim', '김하늘')")
    store = open_server(parse_address(url), "sandbox", terminal="T1", with_lease=False)
    try:
        assert store.server is not None and store.server.version == LATEST >= 2
        assert store.customers.get("kim") == CustomerRow("kim", "김하늘", billing_key="")
        v2 = CustomerIndex(store.server.sql, table="customers_v2")
        assert v2.count() == 0
    finally:
        store.close()
    pg_cluster.drop_database("before_v2")


def test_v1_and_v2_keep_their_saved_cards_apart_on_the_server(store_url: str) -> None:
    address = parse_address(store_url)
    v1 = open_server(address, "live", terminal="T1", with_lease=False)
    v2 = open_server(
        address, "live", terminal="T2", customers_table="customers_v2", with_lease=False
    )
    try:
        v1.customers.upsert("kim", name="김하늘")
        v2.customers.upsert_many([CustomerRow("lee", "이하나", billing_key="billing-key-1")])
        assert [r.customer_uid for r in v1.customers.all_rows()] == ["kim"]
        assert [r.customer_uid for r in v2.customers.all_rows()] == ["lee"]
        # A V2 answer that names no key keeps the one recorded.
        v2.customers.upsert("lee", name="이하나")
        assert v2.customers.billing_key_of("lee") == "billing-key-1"
        assert v1.customers.billing_key_of("kim") is None
    finally:
        v1.close()
        v2.close()


def test_the_shop_schema_is_one_for_every_mode(store_url: str) -> None:
    address = parse_address(store_url)
    trail = open_audit(address)
    try:
        trail.append(time.time(), "T1", "김사장", "sign_in", {"role": "manager"})
    finally:
        trail.close()
    with psycopg.connect(store_url) as conn:
        schemas = {
            name
            for (name,) in conn.execute(
                "SELECT schema_name FROM information_schema.schemata WHERE schema_name LIKE 'pos_%'"
            )
        }
        applied = conn.execute(f"SELECT version FROM {SHOP_SCHEMA}.schema_migrations").fetchall()
    assert schemas == {SHOP_SCHEMA}  # no mode's schema needed for staff and the trail
    assert applied == [(m.version,) for m in SHOP_MIGRATIONS]


# -- the audit trail ------------------------------------------------------------------------------

_APPENDER = textwrap.dedent(
    """
    import sys, time
    from pos_app.store.backend import open_audit
    from pos_app.store.postgres import parse_address

    trail = open_audit(parse_address(sys.argv[1]))
    try:
        print("ready", flush=True)
        sys.stdin.readline()  # go: every counter starts at once
        for n in range(int(sys.argv[3])):
            trail.append(time.time(), sys.argv[2], "system:test", "charge", {"n": n})
    finally:
        trail.close()
    """
)


@pytest.mark.parametrize("round_no", range(3))
def test_counters_appending_at_once_keep_one_unbroken_chain(
    store_url: str, tmp_path: Path, round_no: int
) -> None:
    """Three counters (processes) append 150 entries each at the same moment: 450 entries, one
    chain, verified. Without the append lock two counters chain to the same entry (and the second
    insert of that number fails)."""
    script = tmp_path / "append.py"
    script.write_text(_APPENDER, encoding="utf-8")
    counters = [
        subprocess.Popen(
            [sys.executable, str(script), store_url, f"T{i}", "150"],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for i in range(3)
    ]
    try:
        for counter in counters:
            assert counter.stdout is not None and counter.stdout.readline().strip() == "ready"
        for counter in counters:
            assert counter.stdin is not None
            counter.stdin.write("go\n")
            counter.stdin.flush()
        errors = [counter.communicate(timeout=120)[1] for counter in counters]
    finally:
        for counter in counters:
            if counter.poll() is None:
                counter.kill()
                counter.communicate()
    assert [c.returncode for c in counters] == [0, 0, 0], errors
    trail = open_audit(parse_address(store_url))
    try:
        check = trail.verify()
        entries = trail.entries()
    finally:
        trail.close()
    assert check.ok and check.entry_count == check.head_seq == 450, check
    assert [e.seq for e in entries] == list(range(1, 451))
    assert {e.terminal for e in entries} == {"T0", "T1", "T2"}


def test_the_server_refuses_to_change_or_remove_entries(store_url: str) -> None:
    trail = open_audit(parse_address(store_url))
    try:
        for n in range(3):
            trail.append(time.time(), "T1", "김사장", "refund", {"amount": 1000 * n})
    finally:
        trail.close()
    refused = (
        "UPDATE pos_shop.audit SET details = '{}' WHERE seq = 2",
        "DELETE FROM pos_shop.audit WHERE seq = 3",
        "TRUNCATE pos_shop.audit",
        "UPDATE pos_shop.audit_head SET seq = 1",
        "DELETE FROM pos_shop.audit_head",
    )
    for statement in refused:
        with (
            psycopg.connect(store_url, autocommit=True) as conn,
            pytest.raises(psycopg.errors.RaiseException),
        ):
            conn.execute(statement)


def test_verify_names_an_entry_changed_behind_the_triggers(store_url: str) -> None:
    """Whoever owns the tables can switch the triggers off: the chain still names the entry."""
    address = parse_address(store_url)
    trail = open_audit(address)
    try:
        for n in range(5):
            trail.append(time.time(), "T1", "김사장", "refund", {"amount": 1000 * n})
        with psycopg.connect(store_url, autocommit=True) as conn:
            conn.execute("ALTER TABLE pos_shop.audit DISABLE TRIGGER USER")
            conn.execute("UPDATE pos_shop.audit SET details = '{\"amount\":1}' WHERE seq = 3")
            conn.execute("ALTER TABLE pos_shop.audit ENABLE TRIGGER USER")
        check = trail.verify()
        assert not check.ok and (check.broken_seq, check.problem) == (3, "edited")
    finally:
        trail.close()


def test_verify_reads_one_snapshot_while_other_counters_append(store_url: str) -> None:
    """Checks running while another counter appends never see an entry the head does not (or
    the reverse): each is one snapshot."""
    address = parse_address(store_url)
    writer, reader = open_audit(address), open_audit(address)
    stop = threading.Event()
    failures: list[BaseException] = []

    def append() -> None:
        try:
            while not stop.is_set():
                writer.append(time.time(), "T2", "system:test", "charge")
        except BaseException as exc:
            failures.append(exc)

    thread = threading.Thread(target=append)
    try:
        writer.append(time.time(), "T2", "system:test", "charge")
        thread.start()
        checks = [reader.verify() for _ in range(30)]
    finally:
        stop.set()
        thread.join()
        writer.close()
        reader.close()
    assert not failures
    assert all(c.ok for c in checks), [c for c in checks if not c.ok][:1]


# -- staff ----------------------------------------------------------------------------------------


def test_a_lockout_earned_at_one_counter_holds_at_the_others(store_url: str) -> None:
    """Two counters (each its own connection) guess a name's PIN at once: every guess counts,
    none past the one that locks, and the lock is seen by both."""
    address = parse_address(store_url)
    a, b = open_staff(address), open_staff(address)
    try:
        a.add("김캐셔", "cashier", "hash", time.time())
        gate = threading.Barrier(8)
        results = []

        def guess(store: StaffStore) -> None:
            gate.wait()
            results.append(store.record_failure("김캐셔", time.time(), 5, 300.0))

        threads = [threading.Thread(target=guess, args=(a if n % 2 else b,)) for n in range(8)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        counts = sorted(r.failures for r in results if r.locked_until == 0.0)
        assert counts == [1, 2, 3, 4]  # the fifth locks; the three after it count nothing
        assert sum(1 for r in results if r.locked_until > time.time()) == 4
        assert a.failures("김캐셔").locked_until == b.failures("김캐셔").locked_until > 0
    finally:
        a.close()
        b.close()


def test_two_counters_cannot_each_remove_one_of_the_last_two_managers(store_url: str) -> None:
    address = parse_address(store_url)
    for round_no in range(10):
        a, b = open_staff(address), open_staff(address)
        try:
            a.add(f"김사장{round_no}", "manager", "hash", time.time())
            a.add(f"이점장{round_no}", "manager", "hash", time.time())
            gate = threading.Barrier(2)
            outcomes: list[str] = []
            threads = [
                threading.Thread(target=_remove, args=(a, f"김사장{round_no}", gate, outcomes)),
                threading.Thread(target=_remove, args=(b, f"이점장{round_no}", gate, outcomes)),
            ]
            for thread in threads:
                thread.start()
            for thread in threads:
                thread.join()
            assert sorted(outcomes) == ["last", "removed"]
            assert sum(m.is_manager for m in a.members()) == 1
        finally:
            a.close()
            b.close()
        with psycopg.connect(store_url, autocommit=True) as conn:
            conn.execute("DELETE FROM pos_shop.staff")


def _remove(store: StaffStore, name: str, gate: threading.Barrier, outcomes: list[str]) -> None:
    gate.wait()
    try:
        store.remove(name)
        outcomes.append("removed")
    except LastManager:
        outcomes.append("last")


def test_staff_and_trail_share_one_connection_when_opened_together(store_url: str) -> None:
    address = parse_address(store_url)
    trail = open_audit(address)
    staff = open_staff(address, beside=trail)
    try:
        staff.add("김사장", "manager", "hash", time.time())
        trail.append(time.time(), "T1", "system:test", "staff_added", {"name": "김사장"})
        with psycopg.connect(store_url) as conn:
            (sessions,) = conn.execute(
                "SELECT COUNT(*) FROM pg_stat_activity WHERE datname = current_database() "
                "AND pid != pg_backend_pid()"
            ).fetchone() or (0,)
        assert sessions == 1
    finally:
        staff.close()  # the trail's connection stays until the trail closes
        trail.close()


def test_an_unreachable_server_is_a_storage_error_for_staff_and_trail() -> None:
    """Never a local file instead: nothing to sign in with, nothing recorded elsewhere."""
    address = parse_address(f"postgresql://postgres@127.0.0.1:{_closed_port()}/shop")
    with pytest.raises(StorageError) as trail_failed:
        open_audit(address)
    with pytest.raises(StorageError) as staff_failed:
        open_staff(address)
    assert trail_failed.value.reason == staff_failed.value.reason == "unreachable"


def _closed_port() -> int:
    import socket

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
    return port


def test_an_audit_log_on_a_file_still_checks_and_appends_as_before(tmp_path: Path) -> None:
    with AuditLog(tmp_path / "audit.sqlite3") as log:
        for n in range(3):
            log.append(time.time(), "T1", "김사장", "refund", {"n": n})
        assert log.verify().ok and log.shared_sql is None


def test_open_shared_for_the_shop_needs_no_mode(store_url: str) -> None:
    shop = open_shared(parse_address(store_url), "shop", pool_max=1)
    try:
        assert shop.schema == SHOP_SCHEMA and shop.version == SHOP_MIGRATIONS[-1].version
    finally:
        shop.close()


def test_a_counters_v2_cards_are_copied_to_v2s_index_with_their_billing_keys(
    store_url: str, tmp_path: Path
) -> None:
    from pos_app.store.pg_copy import CopyCounts, copy_customers

    with CustomerIndex(tmp_path / "customers-v2.sqlite3") as local:
        local.upsert_many([CustomerRow("kim", "김하늘", billing_key="billing-key-kim")])
        rows = local.all_rows()
    store = open_server(
        parse_address(store_url),
        "live",
        terminal="T1",
        customers_table="customers_v2",
        with_lease=False,
    )
    try:
        assert store.server is not None
        counts = CopyCounts()
        copy_customers(store.server.sql, rows, counts, "customers_v2")
        copy_customers(store.server.sql, rows, counts, "customers_v2")  # again: nothing new
        assert (counts.customers_copied, counts.customers_there) == (1, 1)
        assert store.customers.billing_key_of("kim") == "billing-key-kim"
        v1 = CustomerIndex(store.server.sql)
        assert v1.get("kim") is None
    finally:
        store.close()
