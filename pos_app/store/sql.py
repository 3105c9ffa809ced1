"""The one small interface every store table is written against, so each table's SQL is written
once and runs on both backends: the embedded SQLite file of a single counter, and the shop's
PostgreSQL server shared by several counters (store/postgres.py).

SQL is written with `?` placeholders and the common subset of both dialects; the few places that
differ ask `dialect`. A table class (the journal, the customer index, and whatever comes next:
staff, an audit chain, member plans, billing runs) takes an `Sql` and never a connection, so
adding a table to the shared store is a migration in store/pg_schema.py plus its queries here.

`transaction(key)` is the one that matters for money: a write transaction that no other process
(on this computer or, for PostgreSQL, on any counter) can interleave with for the same `key`.
SQLite serialises every writer (BEGIN IMMEDIATE), so the key is not needed there; PostgreSQL
takes a transaction-scoped advisory lock on it, so two counters checking the same customer wait
for each other while different customers go on in parallel. Calls made on the same thread inside
it use its connection.
"""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import Iterable, Iterator, Sequence
from contextlib import AbstractContextManager, contextmanager
from typing import Any, Literal, Protocol

Dialect = Literal["sqlite", "postgresql"]
Row = tuple[Any, ...]


class DuplicateKey(Exception):
    """An insert hit a unique index (the caller decides what the existing row means)."""


class Sql(Protocol):
    """What a store table needs from its database."""

    dialect: Dialect

    def rows(self, sql: str, args: Sequence[object] = ()) -> list[Row]:
        """Every row a SELECT returns."""
        ...

    def run(self, sql: str, args: Sequence[object] = ()) -> int:
        """An INSERT / UPDATE / DELETE; how many rows it changed."""
        ...

    def run_many(self, sql: str, args: Iterable[Sequence[object]]) -> None:
        """One statement for many rows, in one transaction."""
        ...

    def insert(self, sql: str, args: Sequence[object] = ()) -> int:
        """An INSERT of one row into a table with an integer `id`; the new row's id. Raises
        DuplicateKey when a unique index refuses it."""
        ...

    def transaction(self, key: str | None = None) -> AbstractContextManager[None]:
        """One write transaction, exclusive for `key` across processes (see the module doc)."""
        ...

    def snapshot(self) -> AbstractContextManager[None]:
        """One read-only transaction: every read inside it sees the same committed state, while
        other processes go on writing (checking the audit chain against its head)."""
        ...


class Closing(Protocol):
    """What a table object closes with itself: the connection to the store server it opened."""

    def close(self) -> None: ...


class SqliteSql:
    """`Sql` over one SQLite connection shared across threads: every use holds `lock` (an RLock,
    so a transaction's caller can make further calls inside it)."""

    dialect: Dialect = "sqlite"

    def __init__(self, conn: sqlite3.Connection, lock: threading.RLock) -> None:
        self._conn = conn
        self._lock = lock

    def rows(self, sql: str, args: Sequence[object] = ()) -> list[Row]:
        with self._lock:
            return self._conn.execute(sql, tuple(args)).fetchall()

    def run(self, sql: str, args: Sequence[object] = ()) -> int:
        with self._lock:
            return self._conn.execute(sql, tuple(args)).rowcount

    def run_many(self, sql: str, args: Iterable[Sequence[object]]) -> None:
        with self._lock, self.transaction():
            self._conn.executemany(sql, [tuple(a) for a in args])

    def insert(self, sql: str, args: Sequence[object] = ()) -> int:
        with self._lock:
            try:
                cur = self._conn.execute(sql, tuple(args))
            except sqlite3.IntegrityError as exc:
                if "UNIQUE" not in str(exc):
                    raise
                raise DuplicateKey(str(exc)) from None
            return cur.lastrowid or 0

    @contextmanager
    def transaction(self, key: str | None = None) -> Iterator[None]:
        """BEGIN IMMEDIATE ... COMMIT, rolled back on any error. SQLite has one writer at a
        time, so every key is the same lock."""
        del key
        with self._lock:
            if self._conn.in_transaction:  # inside another: part of it
                yield
                return
            self._conn.execute("BEGIN IMMEDIATE")
            try:
                yield
                self._conn.execute("COMMIT")
            except BaseException:
                self._conn.execute("ROLLBACK")
                raise

    @contextmanager
    def snapshot(self) -> Iterator[None]:
        """A deferred transaction: in WAL mode its first read fixes what it sees."""
        with self._lock:
            if self._conn.in_transaction:
                yield
                return
            self._conn.execute("BEGIN")
            try:
                yield
            finally:
                self._conn.execute("COMMIT")


def placeholders(count: int) -> str:
    return ", ".join("?" * count)
