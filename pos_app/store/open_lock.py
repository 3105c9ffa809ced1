"""An operating-system lock held while a store file is checked, created or moved aside.

Two processes opening a fresh data folder at the same instant used to race at
`PRAGMA journal_mode=WAL` (SQLite answers SQLITE_BUSY there without calling the busy handler),
and two processes finding one damaged file would both try to move it. The lock is a
`<file>-open.lock` next to the database, locked with flock (POSIX) or msvcrt.locking (Windows):
the kernel drops it when its holder exits, however it exits, so a killed process never leaves
the folder locked. It is held only for the open; the database itself is shared through SQLite's
own locking afterwards.

The `filelock` package does the same; this is the part of it the app needs, without another
dependency in the frozen build.
"""

from __future__ import annotations

import os
import sys
import time
from pathlib import Path
from types import TracebackType

from pos_app.store.errors import StorageError

_POLL_S = 0.02


def lock_path(path: Path) -> Path:
    return path.with_name(path.name + "-open.lock")


class OpenLock:
    """`with OpenLock(db_path, timeout_s):` — exclusive across processes and threads.

    Raises StorageError("locked") when another holder keeps it longer than `timeout_s`, and the
    read-only / disk-full / io reasons when the lock file itself cannot be created.
    """

    def __init__(self, path: Path, timeout_s: float) -> None:
        self.path = lock_path(path)
        self.db_path = path
        self.timeout_s = timeout_s
        self._fd: int | None = None

    def __enter__(self) -> OpenLock:
        from pos_app.store.errors import classify

        try:
            fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o600)
        except OSError as exc:
            raise (classify(exc, self.db_path) or StorageError("io", self.db_path)) from None
        deadline = time.monotonic() + self.timeout_s
        while True:
            try:
                _try_lock(fd)
            except OSError:
                if time.monotonic() >= deadline:
                    os.close(fd)
                    raise StorageError("locked", self.db_path, detail="open lock") from None
                time.sleep(_POLL_S)
                continue
            self._fd = fd
            return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        fd, self._fd = self._fd, None
        if fd is not None:
            try:
                _unlock(fd)
            finally:
                os.close(fd)


if sys.platform == "win32":
    import msvcrt

    def _try_lock(fd: int) -> None:
        os.lseek(fd, 0, os.SEEK_SET)
        msvcrt.locking(fd, msvcrt.LK_NBLCK, 1)

    def _unlock(fd: int) -> None:
        os.lseek(fd, 0, os.SEEK_SET)
        msvcrt.locking(fd, msvcrt.LK_UNLCK, 1)

else:
    import fcntl

    def _try_lock(fd: int) -> None:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)

    def _unlock(fd: int) -> None:
        fcntl.flock(fd, fcntl.LOCK_UN)
