"""Opening a store file so that it fails loudly and safely (docs/journal.md, "When storage fails").

Every open, under the folder's open lock (store/open_lock.py):

1. the folder and the file must be writable (a probe, because root ignores file modes and a
   read-only mount or an immutable flag only shows when something is written);
2. a file that exists is checked: `PRAGMA quick_check`, and "file is not a database" caught;
   a damaged or zero-length one is moved aside (renamed with a UTC time stamp, its -wal and
   -shm with it, never deleted) and StorageError("damaged") is raised;
3. a file that is gone although its marker (`<file>-created`, written when the file was first
   created) says it existed raises StorageError("missing") instead of being recreated empty;
4. a new file is created owner-only, put in WAL mode and given its schema, then its marker is
   written. SQLite's own -wal/-shm left without their database are moved aside first, so a
   new journal can never adopt another journal's log.

`start_new()` is the decision a person makes after 2 or 3: whatever is left is moved aside and
the marker removed, so the next open creates an empty file. It refuses (does nothing) while the
file is healthy.
"""

from __future__ import annotations

import logging
import os
import secrets
import sqlite3
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from pos_app.private_folder import create_private_folder
from pos_app.store.errors import StorageError, classify
from pos_app.store.network_drive import warn_if_on_network_drive
from pos_app.store.open_lock import OpenLock

log = logging.getLogger(__name__)

Health = Literal["new", "ok", "missing", "empty", "damaged"]

# SQLite's companions of a database in WAL mode.
_COMPANIONS = ("-wal", "-shm")


def marker_path(path: Path) -> Path:
    return path.with_name(path.name + "-created")


def _with_suffix(path: Path, suffix: str) -> Path:
    return path.with_name(path.name + suffix)


def set_aside_files(path: Path) -> list[Path]:
    """Files moved aside from `path` earlier (damaged, orphaned logs), oldest first."""
    if not path.parent.is_dir():
        return []
    prefix = path.name + "."
    found = [
        p
        for p in path.parent.iterdir()
        if p.name.startswith(prefix) and not p.name.endswith(_COMPANIONS)
    ]
    return sorted(found)


def _sync_folder(folder: Path) -> None:
    """Make renames and new names in `folder` survive a power cut (POSIX; NTFS journals them)."""
    if sys.platform == "win32":
        return
    fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def move_aside(path: Path, why: str = "damaged") -> Path:
    """Rename `path` (and its -wal/-shm) to `<name>.<why>-<UTC stamp>[-n]`; nothing is deleted.

    The log files go first: if this is cut short, a new file at `path` still cannot pick up the
    old log, and the database itself is moved on the next attempt.
    """
    stamp = time.strftime("%Y%m%dT%H%M%SZ", time.gmtime())
    target = path.with_name(f"{path.name}.{why}-{stamp}")
    n = 1
    while any(_with_suffix(target, s).exists() for s in ("", *_COMPANIONS)):
        n += 1
        target = path.with_name(f"{path.name}.{why}-{stamp}-{n}")
    for suffix in (*_COMPANIONS, ""):
        source = _with_suffix(path, suffix)
        if source.exists():
            os.replace(source, _with_suffix(target, suffix))
    _sync_folder(path.parent)
    log.warning("%s moved aside to %s (%s)", path, target, why)
    return target


def _probe_folder(folder: Path, path: Path) -> None:
    """Create and remove a file: the one test of "may we write here" that root, read-only
    mounts and immutable folders all answer truthfully."""
    probe = folder / f".{path.name}-probe-{os.getpid()}-{secrets.token_hex(4)}"
    try:
        os.close(os.open(probe, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600))
        os.unlink(probe)
    except OSError as exc:
        raise _storage_error(exc, path) from None


def _probe_file(path: Path) -> None:
    try:
        os.close(os.open(path, os.O_RDWR))
    except OSError as exc:
        raise _storage_error(exc, path) from None


def _storage_error(exc: BaseException, path: Path) -> StorageError:
    return classify(exc, path) or StorageError("io", path, detail=type(exc).__name__)


def connect(path: Path, timeout_s: float) -> sqlite3.Connection:
    """A connection shared across threads (each user holds its own lock around it), autocommit;
    SQLite waits up to `timeout_s` for another process's lock."""
    return sqlite3.connect(path, check_same_thread=False, isolation_level=None, timeout=timeout_s)


def _health(path: Path, timeout_s: float) -> Health:
    """What is at `path`, without changing it (quick_check only reads)."""
    marked = marker_path(path).exists()
    try:
        size = path.stat().st_size
    except FileNotFoundError:
        return "missing" if marked else "new"
    if size == 0:
        return "empty" if marked else "new"
    _probe_file(path)
    conn = sqlite3.connect(path, timeout=timeout_s)
    try:
        rows = conn.execute("PRAGMA quick_check").fetchall()
    except sqlite3.DatabaseError as exc:
        error = _storage_error(exc, path)
        if error.reason == "damaged":
            return "damaged"
        raise error from None
    finally:
        conn.close()
    if rows != [("ok",)]:
        log.error("%s failed its integrity check: %s", path, rows[:5])
        return "damaged"
    return "ok"


def _write_marker(path: Path) -> None:
    marker = marker_path(path)
    created = time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())
    text = (
        f"pos-app created {path.name} here at {created}.\n"
        "While this file exists, pos-app will not start an empty file in place of a missing "
        "one (docs/journal.md, 'When storage fails').\n"
    )
    fd = os.open(marker, os.O_CREAT | os.O_WRONLY | os.O_TRUNC, 0o600)
    try:
        os.write(fd, text.encode())
        os.fsync(fd)
    finally:
        os.close(fd)
    _sync_folder(path.parent)


def _create(path: Path) -> None:
    """An empty file, owner-only from its first byte (order history is private even without
    card data); SQLite logs left without their database are moved aside first."""
    if any(_with_suffix(path, s).exists() for s in _COMPANIONS):
        move_aside(path, "orphan")
    os.close(os.open(path, os.O_CREAT | os.O_WRONLY, 0o600))


def open_checked(
    path: Path,
    prepare: Callable[[sqlite3.Connection], None],
    *,
    timeout_s: float,
) -> sqlite3.Connection:
    """The connection to a checked (or newly created) store file, after `prepare` (schema,
    pragmas) ran on it under the open lock. Raises StorageError, never sqlite3/OS errors."""
    try:
        # Owner-only on Windows too, where mkdir's mode is ignored (private_folder.py).
        create_private_folder(path.parent)
    except OSError as exc:
        raise _storage_error(exc, path) from None
    warn_if_on_network_drive(path.parent)  # WAL needs a local disk (network_drive.py)
    with OpenLock(path, timeout_s):
        _probe_folder(path.parent, path)
        health = _health(path, timeout_s)
        if health == "missing":
            raise StorageError("missing", path)
        if health in ("damaged", "empty"):
            raise StorageError("damaged", path, moved_to=_move_aside_checked(path))
        conn: sqlite3.Connection | None = None
        try:
            if health == "new":
                _create(path)
            conn = connect(path, timeout_s)
            prepare(conn)
            if not marker_path(path).exists():
                _write_marker(path)
        except BaseException as exc:
            if conn is not None:
                conn.close()
            error = classify(exc, path)
            if error is None:
                raise
            raise error from None
    return conn


def _move_aside_checked(path: Path) -> Path:
    try:
        return move_aside(path)
    except OSError as exc:
        # Still damaged, only not moved (on Windows another process may hold it open): say
        # so, rather than blame the disk; starting anew tries the move again.
        detail = exc.strerror or type(exc).__name__
        raise StorageError("damaged", path, detail=detail) from None


@dataclass(frozen=True)
class StartedNew:
    """What `start_new` did: `started` False when the file was healthy (nothing touched);
    `set_aside` is where a file still in place went; `kept` every earlier file moved aside."""

    path: Path
    started: bool
    set_aside: Path | None
    kept: tuple[Path, ...]


def start_new(path: Path, *, timeout_s: float) -> StartedNew:
    """A person's decision after a damaged or missing file: keep what is there (moved aside)
    and let the next open create an empty file. A healthy file is never touched."""
    with OpenLock(path, timeout_s):
        _probe_folder(path.parent, path)
        health = _health(path, timeout_s)
        if health in ("new", "ok"):
            return StartedNew(path, False, None, tuple(set_aside_files(path)))
        set_aside = None
        try:
            if any(_with_suffix(path, s).exists() for s in ("", *_COMPANIONS)):
                set_aside = move_aside(path)
            marker_path(path).unlink(missing_ok=True)
            _sync_folder(path.parent)
        except OSError as exc:
            raise _storage_error(exc, path) from None
        log.warning("%s: a new file will be started (decided by the operator)", path)
        return StartedNew(path, True, set_aside, tuple(set_aside_files(path)))
