"""`SharedLogFile`: pos-app.log, written by every process of the till at once and rotated safely.

The window, `pos-app charge` from a script and a `bill` run can all log at the same moment. A
`RotatingFileHandler` in each keeps the file open: on Windows an open file cannot be renamed, so
rotation failed in every process (and printed a logging error for every record after it), and
Windows' appends seek to the end and then write, so lines of two processes could overwrite each
other. Here each record is appended with the file opened only for that write, under an OS file
lock (filelock: flock on POSIX, LockFileEx on Windows) shared by every process; whichever process
finds the file full rotates it under the same lock (pos-app.log -> .1 -> ... -> .BACKUPS), when
no other process has it open.

Two ways the lock itself could hurt the program, both closed here:
- filelock logs its own acquire and release at DEBUG. With the root logger at DEBUG those
  records came back into this handler on the same thread, inside the lock's own acquire or
  release, and the lock ended up held for good by the process: every later record, from every
  thread, waited the full timeout. With two such handlers (two log folders in one process) two
  threads deadlocked, each holding one handler and waiting for the other. So filelock's logger
  is kept at INFO (its DEBUG records reach no handler), and a record raised on a thread while
  this handler is writing — it can only come from the locking or the write — is dropped.
- A lock held by a hung process cost every record the full timeout, one after another (the
  handler writes one record at a time): sixteen charge threads of a billing run were paced at
  a line a second. After one timeout the lock is not waited for again for `BACKOFF_S`; lines go
  on being appended (without rotation) meanwhile.
"""

from __future__ import annotations

import logging
import os
import threading
import time
from pathlib import Path

from filelock import FileLock, Timeout

MAX_BYTES = 2_000_000
BACKUPS = 5
# A process that holds the lock and hangs (stopped in a debugger, suspended) must not stop the
# others from logging, nor a charge that logs: after this the record is appended without it.
LOCK_TIMEOUT_S = 1.0
# After the lock was not had in LOCK_TIMEOUT_S, records are appended without it for this long.
BACKOFF_S = 60.0


class SharedLogFile(logging.Handler):
    def __init__(self, path: Path, *, max_bytes: int = MAX_BYTES, backups: int = BACKUPS) -> None:
        super().__init__()
        if backups < 1:
            raise ValueError("a rotated log keeps at least one backup")
        self.path = path
        self.max_bytes = max_bytes
        self.backups = backups
        # Kept after release: deleting a lock file another process is about to open races.
        _quiet_filelock()
        self._file_lock = FileLock(f"{path}.lock", timeout=LOCK_TIMEOUT_S, preserve_lock_file=True)
        self._writing = threading.local()
        self._lock_again_at = 0.0  # monotonic time before which the lock is not waited for

    def emit(self, record: logging.LogRecord) -> None:
        if getattr(self._writing, "active", False):
            return  # raised by our own locking or writing (see the module's note)
        self._writing.active = True
        try:
            data = (self.format(record) + "\n").encode("utf-8", "backslashreplace")
            if time.monotonic() < self._lock_again_at:
                self._append(data)
                return
            try:
                with self._file_lock:
                    self._rotate_if_full(len(data))
                    self._append(data)
            except Timeout:
                self._lock_again_at = time.monotonic() + BACKOFF_S
                self._append(data)  # no rotation without the lock; the line is kept
        except Exception:
            self.handleError(record)
        finally:
            self._writing.active = False

    def _append(self, data: bytes) -> None:
        # One write of a whole line to a file opened for appending: the OS puts it at the end.
        with open(self.path, "ab") as handle:
            handle.write(data)

    def _rotate_if_full(self, incoming: int) -> None:
        try:
            size = self.path.stat().st_size
        except FileNotFoundError:
            return
        if size == 0 or size + incoming <= self.max_bytes:
            return
        try:
            for number in range(self.backups - 1, 0, -1):
                older = self._backup(number)
                if older.exists():
                    os.replace(older, self._backup(number + 1))
            os.replace(self.path, self._backup(1))
        except PermissionError:
            # Windows: a scanner or an editor has a file open. Keep appending to the full file
            # and try again with the next record; better one long file than a lost line.
            return

    def _backup(self, number: int) -> Path:
        return self.path.with_name(f"{self.path.name}.{number}")


def _quiet_filelock() -> None:
    # Its own level, not the effective one: the root logger may be set to DEBUG later.
    filelock_log = logging.getLogger("filelock")
    if filelock_log.level < logging.INFO:
        filelock_log.setLevel(logging.INFO)
