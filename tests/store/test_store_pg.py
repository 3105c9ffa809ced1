"""The store server's own parts on a real cluster: migrations applied once under a lock however
many counters start together, a newer schema refused, the lease as other counters see it."""

from __future__ import annotations

import threading

import psycopg
import pytest
from pg_cluster import Cluster

from pos_app.store.backend import open_server
from pos_app.store.errors import StorageError
from pos_app.store.pg_lease import CounterLease
from pos_app.store.pg_schema import LATEST
from pos_app.store.postgres import LEASE_LOCK_CLASS, open_shared, parse_address


@pytest.mark.parametrize("round_no", range(5))
def test_counters_starting_together_migrate_once(pg_cluster: Cluster, round_no: int) -> None:
    url = pg_cluster.new_database(f"start_{round_no}")
    address = parse_address(url)
    gate = threading.Barrier(6)
    versions: list[int] = []
    failures: list[BaseException] = []

    def start() -> None:
        gate.wait()
        try:
            store = open_shared(address, "sandbox")
        except BaseException as exc:
            failures.append(exc)
            return
        versions.append(store.version)
        store.close()

    threads = [threading.Thread(target=start) for _ in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not failures and versions == [LATEST] * 6
    with psycopg.connect(url) as conn:
        applied = conn.execute("SELECT version FROM pos_sandbox.schema_migrations").fetchall()
    assert applied == [(v,) for v in range(1, LATEST + 1)]
    pg_cluster.drop_database(f"start_{round_no}")


def test_a_schema_newer_than_this_program_is_refused(store_url: str) -> None:
    open_shared(parse_address(store_url), "live").close()
    with psycopg.connect(store_url, autocommit=True) as conn:
        conn.execute(
            "INSERT INTO pos_live.schema_migrations (version, name) VALUES (%s, 'from the future')",
            (LATEST + 1,),
        )
    with pytest.raises(StorageError) as refused:
        open_shared(parse_address(store_url), "live")
    assert refused.value.reason == "io" and "update" in refused.value.detail


def test_the_lease_is_seen_by_other_counters_and_goes_with_its_session(store_url: str) -> None:
    address = parse_address(store_url)
    one = open_server(address, "sandbox", terminal="T1")
    two = open_server(address, "sandbox", terminal="T2")
    try:
        lease = one.lease
        assert isinstance(lease, CounterLease)
        owner = lease.owner
        assert two.lease.alive(owner) and one.lease.alive(owner)
        # The server ends counter 1's session (as a power cut would, once keepalives give up).
        with psycopg.connect(store_url, autocommit=True) as admin:
            admin.execute(
                "SELECT pg_terminate_backend(pid) FROM pg_locks WHERE locktype = 'advisory' "
                "AND objsubid = 2 AND classid = %s::oid AND objid = %s::oid",
                (LEASE_LOCK_CLASS, lease.counter_id),
            )
        threading.Event().wait(0.2)
        assert not two.lease.alive(owner)
        # Counter 1 notices at its next renewal and takes a new id: the old one stays dead.
        assert one.lease.renew() is False
        assert one.lease.owner != owner and two.lease.alive(one.lease.owner)
        assert not two.lease.alive(owner)
    finally:
        one.close()
        two.close()
    reader = open_server(address, "sandbox", terminal="T3", with_lease=False)
    try:
        assert not reader.lease.alive(owner)
    finally:
        reader.close()


def test_an_unreachable_server_is_a_storage_error_not_a_fallback(pg_cluster: Cluster) -> None:
    dead = parse_address(f"postgresql://postgres@127.0.0.1:{pg_cluster.port + 1}/nowhere")
    with pytest.raises(StorageError) as down:
        open_server(dead, "sandbox", terminal="T1")
    assert down.value.reason == "unreachable" and "매장 서버" in str(down.value)
