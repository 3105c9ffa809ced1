"""A counter's sender lease on the store server, which every other counter can test.

The single-counter lease (store/leases.py) is an OS file lock, which only processes on one
computer can see. On the shop's server each till (window or command) registers itself in
`counters` and then holds a **session-level advisory lock** on (LEASE_LOCK_CLASS, its id) on a
connection of its own for its whole life. "Is the sender alive?" is "is that lock still granted"
(`pg_locks`), asked by any counter. The server drops the lock when the session ends, however it
ends: the process exits or is killed (the socket closes), or the computer loses power or its
network (the server's TCP keepalives, set short on this session, end it within about half a
minute).

A counter whose connection drops loses its lease, and is never given it back: when it can reach
the server again it takes a **new** owner id. Rows that named the old one then count as having no
live sender, so the only thing keeping another counter from trusting PortOne's 404 for them is
their `settle_after` deadline (sent_at + the longest wait for an answer + the grace period,
services/settling.py), which is exactly the protection a sender that died gets. Re-taking the old
id instead would make a row whose sender lost track of it (its answer could not be written while
the server was away) look in flight for as long as that counter runs.
"""

from __future__ import annotations

import logging
import os
import re
import secrets
import socket
import threading
import time

import psycopg

from pos_app.store.postgres import (
    LEASE_LOCK_CLASS,
    PgSql,
    ServerAddress,
    schema_for,
    storage_error,
)

log = logging.getLogger(__name__)

# A counter that has not been seen for this long is forgotten (its rows stay, naming a dead
# sender, which is what it is).
FORGET_AFTER_S = 90 * 24 * 3600.0

_ALIVE = (
    "SELECT EXISTS (SELECT 1 FROM counters c JOIN pg_locks l "
    f"ON l.locktype = 'advisory' AND l.classid = {LEASE_LOCK_CLASS}::oid "
    "AND l.objid = c.id::oid AND l.objsubid = 2 AND l.granted "
    "AND l.database = (SELECT oid FROM pg_database WHERE datname = current_database()) "
    "WHERE c.owner = ?)"
)


def alive_on(sql: PgSql, owner: str | None) -> bool:
    """Whether some counter's session still holds `owner`'s lease."""
    if not owner:
        return False
    ((alive,),) = sql.rows(_ALIVE, (owner,))
    return bool(alive)


def new_owner() -> str:
    """host:pid:random, the same shape as the file lease's owner (store/leases.py)."""
    host = re.sub(r"[^A-Za-z0-9_.-]", "_", socket.gethostname())[:64] or "host"
    return f"{host}:{os.getpid()}:{secrets.token_hex(8)}"


class CounterLease:
    """This process's lease on the store server, held from construction until `release()`."""

    def __init__(self, address: ServerAddress, mode: str, sql: PgSql, terminal: str) -> None:
        self._address = address
        self._schema = schema_for("live" if mode == "live" else "sandbox")
        self._sql = sql
        self.terminal = terminal
        self._lock = threading.Lock()
        self._conn: psycopg.Connection[tuple[object, ...]] | None = None
        self.owner = ""
        self.counter_id = 0
        with self._lock:
            self._acquire()

    def __repr__(self) -> str:
        return f"CounterLease({self.owner!r})"

    def _acquire(self) -> None:
        """A new owner id, registered, and its advisory lock taken on a connection of its own."""
        where = self._address.describe()
        owner = new_owner()
        now = time.time()
        try:
            conn = psycopg.connect(self._address.connect_string(), autocommit=True)
        except psycopg.Error as exc:
            raise storage_error(exc, where) from exc
        try:
            conn.execute(
                "SET tcp_keepalives_idle = 10; SET tcp_keepalives_interval = 5; "
                "SET tcp_keepalives_count = 3; SET tcp_user_timeout = 30000"
            )
            conn.execute("SELECT set_config('search_path', %s, false)", (self._schema,))
            conn.execute("DELETE FROM counters WHERE last_seen < %s", (now - FORGET_AFTER_S,))
            row = conn.execute(
                "INSERT INTO counters (owner, terminal, host, pid, started_at, last_seen) "
                "VALUES (%s, %s, %s, %s, %s, %s) RETURNING id",
                (owner, self.terminal, socket.gethostname()[:128], os.getpid(), now, now),
            ).fetchone()
            assert row is not None and isinstance(row[0], int)
            conn.execute("SELECT pg_advisory_lock(%s, %s)", (LEASE_LOCK_CLASS, row[0]))
        except psycopg.Error as exc:
            conn.close()
            raise storage_error(exc, where) from exc
        self._conn, self.owner, self.counter_id = conn, owner, row[0]

    def renew(self) -> bool:
        """Make sure the lease is held: a heartbeat on its connection, or, when that connection
        is gone, a new owner id and lock (module doc). False when the lease had been lost (the
        rows the old id named now have no live sender). Raises StorageError("unreachable")
        while the server cannot be reached."""
        with self._lock:
            conn = self._conn
            if conn is not None and not conn.closed:
                try:
                    conn.execute(
                        "UPDATE counters SET last_seen = %s WHERE id = %s",
                        (time.time(), self.counter_id),
                    )
                    return True
                except psycopg.Error:
                    conn.close()
            lost = self.owner
            self._conn = None
            self._acquire()
            log.warning("store server lease %s was lost; now %s", lost, self.owner)
            return False

    def alive(self, owner: str | None) -> bool:
        """Whether the till holding `owner`'s lease is still running (ours is)."""
        if not owner:
            return False
        if owner == self.owner:
            return self._conn is not None and not self._conn.closed
        return alive_on(self._sql, owner)

    def release(self) -> None:
        with self._lock:
            if self._conn is not None:
                try:
                    self._conn.close()  # the session ends: its lock goes with it
                finally:
                    self._conn = None
