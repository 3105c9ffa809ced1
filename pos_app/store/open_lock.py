"""An operating-system lock held while a store file is checked, created or moved aside.

Two processes opening a fresh data folder at the same instant used to race at
`PRAGMA journal_mode=WAL` (SQLite answers SQLITE_BUSY there without calling the busy handler),
and two processes finding one damaged file would both try to move it. The lock is a
`<file>-open.lock` next to the database, taken with `filelock` (flock on POSIX, LockFileEx on
Windows): the kernel drops it when its holder exits, however it exits, so a killed process never
leaves the folder locked. It is held only for the open; the database itself is shared through
SQLite's own locking afterwards.
"""

from __future__ import annotations

from pathlib import Path
from types import TracebackType

from filelock import FileLock, Timeout

from pos_app.store.errors import StorageError, classify


def lock_path(path: Path) -> Path:
    return path.with_name(path.name + "-open.lock")


class OpenLock:
    """`with OpenLock(db_path, timeout_s):` — exclusive across processes and threads.

    Raises StorageError("locked") when another holder keeps it longer than `timeout_s`, and the
    read-only / disk-full / io reasons when the lock file itself cannot be created.
    """

    def __init__(self, path: Path, timeout_s: float) -> None:
        self.db_path = path
        self.path = lock_path(path)
        self._lock = FileLock(self.path, timeout=timeout_s, mode=0o600)

    def __enter__(self) -> OpenLock:
        try:
            self._lock.acquire()
        except Timeout:
            raise StorageError("locked", self.db_path, detail="open lock") from None
        except OSError as exc:
            raise (classify(exc, self.db_path) or StorageError("io", self.db_path)) from None
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self._lock.release()
