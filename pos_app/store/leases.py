"""Which process is still sending a charge: each till holds a lease that others can test.

A charge row names its sender (the lease's `owner`). While that process lives, nothing else may
settle the row: PortOne may still be working on its request, and `find` answers 404 until it is
done (portone-v1.md §6). A lease is an OS lock on a file named after the owner, held for the
till's whole life; the operating system drops it when the process ends, however it ends
(SIGKILL, a power cut, a crash), so "is the sender alive?" is "is its file still locked?".

The lock is an flock/LockFileEx lock through `filelock`, never a soft (exists-or-not) lock: a
file left behind by a dead process must read as dead. Only processes on this computer share the
folder; a shared store across computers (PostgreSQL) has its own (store/pg_lease.py), behind
the same `Lease` interface.
"""

from __future__ import annotations

import os
import re
import secrets
import socket
from pathlib import Path
from typing import Protocol

from filelock import FileLock, Timeout

_OWNER = re.compile(r"[A-Za-z0-9_.-]{1,64}:\d{1,10}:[0-9a-f]{16}")


class Lease(Protocol):
    """What the till and the settling rules need of a lease, on either backend."""

    @property
    def owner(self) -> str:
        """This till's owner id, written into the rows it sends."""
        ...

    def alive(self, owner: str | None) -> bool:
        """Whether the till holding `owner`'s lease is still running."""
        ...

    def renew(self) -> bool:
        """Make sure this till's lease is held before it writes an intent naming it; False
        when it had been lost and was taken anew (under a new owner id)."""
        ...

    def release(self) -> None: ...


class SenderLease:
    """This process's lease in `folder`, held from construction until `release()`."""

    def __init__(self, folder: Path) -> None:
        folder.mkdir(parents=True, exist_ok=True, mode=0o700)
        self.folder = folder
        host = re.sub(r"[^A-Za-z0-9_.-]", "_", socket.gethostname())[:64] or "host"
        # The random part makes an owner unique even when the OS reuses the pid.
        self.owner = f"{host}:{os.getpid()}:{secrets.token_hex(8)}"
        self._lock = _lock_for(self._path(self.owner))
        self._lock.acquire(timeout=0)

    def __repr__(self) -> str:
        return f"SenderLease({self.owner!r})"

    def alive(self, owner: str | None) -> bool:
        """Whether the process that holds `owner`'s lease is still running (ours is)."""
        if not owner:
            return False
        if owner == self.owner:
            return self._lock.is_locked
        if not _OWNER.fullmatch(owner):
            return False
        path = self._path(owner)
        if not path.exists():
            return False
        probe = _lock_for(path)
        try:
            probe.acquire(timeout=0)
        except Timeout:
            return True
        # Nobody holds it: its owner is gone. Tidy the file so the folder does not grow.
        try:
            path.unlink(missing_ok=True)
        finally:
            probe.release()
        return False

    def renew(self) -> bool:
        """An OS lock is never lost while the process lives."""
        return True

    def release(self) -> None:
        if self._lock.is_locked:
            self._lock.release()
            self._path(self.owner).unlink(missing_ok=True)

    def _path(self, owner: str) -> Path:
        return self.folder / (owner.replace(":", "_") + ".lock")


def _lock_for(path: Path) -> FileLock:
    # thread_local=False: the till is built on one thread and used on another.
    return FileLock(path, thread_local=False, fallback_to_soft=False)
