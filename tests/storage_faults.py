"""Real storage faults for tests: damaged files, read-only mounts, full disks, a held lock.

Tests run as root, and root ignores file modes, so "read-only" is made the way it happens on a
counter PC that root cannot talk its way past: a read-only bind mount (or the immutable flag)
and a tiny tmpfs that fills up. Mounting needs CAP_SYS_ADMIN; where it is missing the tests that
need it skip and say why.
"""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

# Why the tests built on these faults are marked posix_only, and what covers them on Windows.
ON_A_MOUNT = (
    "makes the fault with mount (a read-only bind mount or a tiny tmpfs, CAP_SYS_ADMIN); on "
    "Windows test_low_level_errors_are_classified covers the errors a read-only or full disk "
    "gives there (EACCES/ENOSPC and SQLite's texts)"
)
WITH_CHATTR = (
    "makes the file immutable with chattr +i (Linux file attributes); on Windows "
    "test_low_level_errors_are_classified covers the PermissionError a read-only file gives"
)


def checkpointed(path: Path) -> None:
    """Fold the -wal into the database file, so damage to the file is damage to the data."""
    conn = sqlite3.connect(path)
    try:
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    finally:
        conn.close()
    for suffix in ("-wal", "-shm"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)


def damage(path: Path, how: str) -> bytes:
    """Damage `path` the way disks and people do; returns what the file held before."""
    checkpointed(path)
    before = path.read_bytes()
    if how == "garbage":
        path.write_bytes(os.urandom(len(before)))
    elif how == "truncated":
        path.write_bytes(before[: len(before) // 2])
    elif how == "zero_length":
        path.write_bytes(b"")
    else:
        raise ValueError(how)
    return before


def _mount(*args: str) -> bool:
    return subprocess.run(["mount", *args], capture_output=True).returncode == 0


def _umount(target: Path) -> None:
    subprocess.run(["umount", "-l", str(target)], capture_output=True, check=False)


@contextmanager
def read_only(folder: Path) -> Iterator[None]:
    """`folder` (and every file in it) read-only for everyone, root included: a read-only bind
    mount of the folder onto itself."""
    if not shutil.which("mount") or not _mount("--bind", str(folder), str(folder)):
        pytest.skip("cannot bind-mount here (needs root with CAP_SYS_ADMIN)")
    try:
        if not _mount("-o", "remount,bind,ro", str(folder)):
            pytest.skip("cannot remount read-only here")
        yield
    finally:
        _umount(folder)


@contextmanager
def immutable(path: Path) -> Iterator[None]:
    """One file that nobody, root included, may write: `chattr +i`."""
    if not shutil.which("chattr"):
        pytest.skip("chattr is not installed")
    if subprocess.run(["chattr", "+i", str(path)], capture_output=True).returncode != 0:
        pytest.skip("the immutable flag is not supported on this file system")
    try:
        yield
    finally:
        subprocess.run(["chattr", "-i", str(path)], capture_output=True, check=False)


@contextmanager
def tiny_disk(folder: Path, size: str = "512k") -> Iterator[Path]:
    """`folder` on its own tmpfs of `size` bytes, so filling it fills "the disk"."""
    folder.mkdir(parents=True, exist_ok=True)
    if not shutil.which("mount") or not _mount(
        "-t", "tmpfs", "-o", f"size={size},mode=0700", "tmpfs", str(folder)
    ):
        pytest.skip("cannot mount a tmpfs here (needs root with CAP_SYS_ADMIN)")
    try:
        yield folder
    finally:
        _umount(folder)


def fill(folder: Path) -> Path:
    """Write until the file system says it is full; returns the filler (delete it to free)."""
    filler = folder / f"filler-{uuid.uuid4().hex}"
    fd = os.open(filler, os.O_WRONLY | os.O_CREAT, 0o600)
    try:
        chunk = b"\0" * 4096
        while True:
            try:
                os.write(fd, chunk)
            except OSError:
                if len(chunk) == 1:
                    break
                chunk = chunk[: len(chunk) // 2]
    finally:
        os.close(fd)
    return filler
