"""One way to open the app's SQLite files: checked first (store/integrity.py), WAL, fsync on
every commit, deleted rows overwritten.

Connections are shared across threads (the Till is built on one thread and used on another), so
every user of a connection holds its own lock around it; `check_same_thread` is off for that
reason only.
"""

from __future__ import annotations

import os
import re
import sqlite3
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import ClassVar, Self

from pos_app.logs import redact
from pos_app.store.integrity import open_checked
from pos_app.store.sql import SqliteSql

# Any digit run long enough to be part of a card number is cut down to its last four.
_LONG_DIGITS = re.compile(r"\d[\d*• -]{6,}\d")


# How long to wait for another process's lock on a store file before saying it is locked.
WAIT_ENV = "POS_APP_LOCK_WAIT_S"
_DEFAULT_WAIT_S = 30.0


def lock_wait_s() -> float:
    """POS_APP_LOCK_WAIT_S (tests and automation) or 30 s."""
    try:
        return max(0.0, float(os.environ.get(WAIT_ENV, "")))
    except ValueError:
        return _DEFAULT_WAIT_S


def apply_pragmas(conn: sqlite3.Connection) -> None:
    conn.execute("PRAGMA journal_mode=WAL")
    # FULL: a row committed before a charge goes out must survive a power cut, not just a crash.
    conn.execute("PRAGMA synchronous=FULL")
    conn.execute("PRAGMA secure_delete=ON")


class StoreFile:
    """One of the app's SQLite files: checked, created or refused by `open_checked()`
    (store/integrity.py: a damaged, missing, read-only or full file is a StorageError, never a
    silent empty file), its `schema` applied, one lock.

    Subclasses take `_lock` around every use of `_conn`, for the thread-sharing reason above.
    """

    schema: ClassVar[str]

    def __init__(self, path: Path) -> None:
        self.path = path
        # Re-entrant, so a caller can hold it around several calls (Journal.exclusive).
        self._lock = threading.RLock()
        self._conn = open_checked(path, self._prepare, timeout_s=lock_wait_s())

    def _prepare(self, conn: sqlite3.Connection) -> None:
        """Runs once per open under the folder's open lock, before anything else uses the file:
        the pragmas and the schema (a subclass adds its migrations here, after super())."""
        apply_pragmas(conn)
        conn.executescript(self.schema)

    def sql(self) -> SqliteSql:
        """This file as `Sql`, for the stores that run on SQLite or on the shop's server alike;
        it shares this file's connection and lock."""
        return SqliteSql(self._conn, self._lock)

    def close(self) -> None:
        with self._lock:
            self._conn.close()

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @contextmanager
    def _transaction(self) -> Iterator[None]:
        """BEGIN IMMEDIATE ... COMMIT, rolled back on any error; the caller holds `_lock`."""
        self._conn.execute("BEGIN IMMEDIATE")
        try:
            yield
            self._conn.execute("COMMIT")
        except BaseException:
            self._conn.execute("ROLLBACK")
            raise


def safe_text(text: str | None) -> str:
    """Free text from PortOne or an operator, with anything card-shaped blanked before storing."""
    return redact(text or "")
