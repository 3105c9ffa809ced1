"""One way to open the app's SQLite files: WAL, fsync on every commit, deleted rows overwritten.

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

# Any digit run long enough to be part of a card number is cut down to its last four.
_LONG_DIGITS = re.compile(r"\d[\d*• -]{6,}\d")


def connect(path: Path) -> sqlite3.Connection:
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    if not path.exists():
        # Owner-only from the first byte: order history is private even without card data.
        os.close(os.open(path, os.O_CREAT | os.O_WRONLY, 0o600))
    conn = sqlite3.connect(path, check_same_thread=False, isolation_level=None, timeout=30.0)
    conn.execute("PRAGMA journal_mode=WAL")
    # FULL: a row committed before a charge goes out must survive a power cut, not just a crash.
    conn.execute("PRAGMA synchronous=FULL")
    conn.execute("PRAGMA secure_delete=ON")
    return conn


class StoreFile:
    """One of the app's SQLite files: opened with `connect()`, its `schema` applied, one lock.

    Subclasses take `_lock` around every use of `_conn`, for the thread-sharing reason above.
    """

    schema: ClassVar[str]

    def __init__(self, path: Path) -> None:
        self.path = path
        # Re-entrant, so a caller can hold it around several calls (Journal.exclusive).
        self._lock = threading.RLock()
        self._conn = connect(path)
        with self._lock:
            self._conn.executescript(self.schema)

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
