"""Storage that fails loudly and safely: damaged, missing, read-only, full and locked files are
typed StorageErrors; a damaged file is moved aside, never deleted; nothing is recreated empty
behind anyone's back; starting anew is a decision that never touches a healthy file."""

from __future__ import annotations

import errno
import pickle
import sqlite3
import threading
from pathlib import Path

import pytest
from storage_faults import (
    ON_A_MOUNT,
    WITH_CHATTR,
    damage,
    fill,
    immutable,
    read_only,
    tiny_disk,
)

from pos_app.store.customers import CustomerIndex
from pos_app.store.errors import StorageError, classify
from pos_app.store.integrity import marker_path, set_aside_files, start_new
from pos_app.store.journal import Journal
from pos_app.store.open_lock import OpenLock


def _journal_with_rows(path: Path, rows: int = 30) -> None:
    with Journal(path) as journal:
        for n in range(rows):
            row = journal.begin(f"M{n}", "charge_again", origin="sandbox", amount=1000 + n)
            journal.settle(row.id, "paid", imp_uid=f"imp_{n:012d}")


@pytest.mark.parametrize("how", ["garbage", "truncated", "zero_length"])
def test_a_damaged_journal_is_moved_aside_and_refused(tmp_path: Path, how: str) -> None:
    path = tmp_path / "journal.sqlite3"
    _journal_with_rows(path)
    before = damage(path, how)

    with pytest.raises(StorageError) as caught:
        Journal(path)
    error = caught.value
    assert error.reason == "damaged" and error.can_start_new
    assert error.path == path and error.moved_to is not None
    # Moved, not deleted: the damaged bytes are all still there, under the new name.
    assert not path.exists()
    kept = error.moved_to.read_bytes()
    assert len(kept) == {"garbage": len(before), "truncated": len(before) // 2}.get(how, 0)
    assert str(error.moved_to) in str(error) and str(error.moved_to) in error.message("en")
    assert "pos-app journal --start-new" in error.message("en")

    # The next open does not quietly start an empty journal either: the marker remembers.
    with pytest.raises(StorageError) as again:
        Journal(path)
    assert again.value.reason == "missing"
    assert not path.exists()


def test_a_deleted_journal_is_missing_not_recreated(tmp_path: Path) -> None:
    path = tmp_path / "journal.sqlite3"
    _journal_with_rows(path)
    assert marker_path(path).exists()
    path.unlink()
    with pytest.raises(StorageError) as caught:
        Journal(path)
    assert caught.value.reason == "missing"
    assert "거래 기록" in str(caught.value) and "charge journal" in caught.value.message("en")
    assert not path.exists()


def test_starting_anew_keeps_the_old_file_and_never_touches_a_healthy_one(tmp_path: Path) -> None:
    path = tmp_path / "journal.sqlite3"
    _journal_with_rows(path, rows=3)
    healthy = start_new(path, timeout_s=5)
    assert not healthy.started and healthy.set_aside is None
    with Journal(path) as journal:
        assert len(journal.all_rows()) == 3  # untouched

    damage(path, "truncated")
    with pytest.raises(StorageError) as caught:
        Journal(path)
    moved = caught.value.moved_to
    assert moved is not None
    done = start_new(path, timeout_s=5)
    assert done.started and moved in done.kept
    with Journal(path) as journal:
        assert journal.all_rows() == []  # a new, empty journal, by decision
    assert marker_path(path).exists()
    assert moved.exists() and set_aside_files(path) == [moved]


def test_starting_anew_over_a_damaged_file_still_in_place_moves_it(tmp_path: Path) -> None:
    path = tmp_path / "journal.sqlite3"
    _journal_with_rows(path, rows=2)
    damage(path, "garbage")  # not opened since: still in place
    done = start_new(path, timeout_s=5)
    assert done.started and done.set_aside is not None and done.set_aside.exists()
    assert not path.exists()
    Journal(path).close()


def test_a_log_without_its_database_is_never_adopted(tmp_path: Path) -> None:
    """A -wal left behind by a journal that is gone would replay old pages into a new one."""
    other = tmp_path / "other" / "journal.sqlite3"
    other.parent.mkdir()
    conn = sqlite3.connect(other)
    conn.execute("PRAGMA journal_mode=WAL")
    conn.execute("CREATE TABLE stray (x)")
    conn.commit()
    wal = Path(f"{other}-wal").read_bytes()
    conn.close()
    path = tmp_path / "journal.sqlite3"
    Path(f"{path}-wal").write_bytes(wal)
    with Journal(path) as journal:
        tables = {r[0] for r in journal._conn.execute("SELECT name FROM sqlite_master")}
    assert "stray" not in tables
    assert any(p.name.startswith("journal.sqlite3.orphan-") for p in tmp_path.iterdir())


def test_an_existing_journal_without_a_marker_gets_one(tmp_path: Path) -> None:
    """Journals from before the marker keep working; from now on they are remembered."""
    path = tmp_path / "journal.sqlite3"
    _journal_with_rows(path, rows=1)
    marker_path(path).unlink()
    with Journal(path) as journal:
        assert len(journal.all_rows()) == 1
    assert marker_path(path).exists()


def test_customer_list_is_guarded_the_same_way(tmp_path: Path) -> None:
    path = tmp_path / "customers.sqlite3"
    with CustomerIndex(path) as index:
        index.upsert("c1", name="홍길동")
    damage(path, "garbage")
    with pytest.raises(StorageError) as caught:
        CustomerIndex(path)
    assert caught.value.reason == "damaged"
    assert "고객 목록" in str(caught.value) and "customer list" in caught.value.message("en")


@pytest.mark.posix_only(reason=ON_A_MOUNT)
def test_read_only_folder_is_refused_at_open(tmp_path: Path) -> None:
    folder = tmp_path / "data"
    folder.mkdir()
    path = folder / "journal.sqlite3"
    _journal_with_rows(path, rows=1)
    with read_only(folder):
        with pytest.raises(StorageError) as caught:
            Journal(path)
        assert caught.value.reason == "read_only"
        # A fresh folder on a read-only disk: the same, before anything is created.
        with pytest.raises(StorageError) as fresh:
            Journal(folder / "sub" / "journal.sqlite3")
        assert fresh.value.reason == "read_only"
    with Journal(path) as journal:  # writable again: everything is still there
        assert len(journal.all_rows()) == 1


@pytest.mark.posix_only(reason=WITH_CHATTR)
def test_read_only_file_is_refused_at_open(tmp_path: Path) -> None:
    path = tmp_path / "journal.sqlite3"
    _journal_with_rows(path, rows=1)
    with immutable(path), pytest.raises(StorageError) as caught:
        Journal(path)
    assert caught.value.reason == "read_only"
    assert "read-only" in caught.value.message("en")


@pytest.mark.posix_only(reason=ON_A_MOUNT)
def test_a_full_disk_is_refused_at_open(tmp_path: Path) -> None:
    with tiny_disk(tmp_path / "disk") as disk:
        path = disk / "journal.sqlite3"
        _journal_with_rows(path, rows=1)
        filler = fill(disk)
        with pytest.raises(StorageError) as caught:
            Journal(path)
        assert caught.value.reason == "disk_full"
        assert "disk is full" in caught.value.message("en")
        filler.unlink()
        with Journal(path) as journal:
            assert len(journal.all_rows()) == 1


@pytest.mark.posix_only(reason=ON_A_MOUNT)
def test_a_full_disk_on_first_open_leaves_nothing_that_looks_like_a_journal(
    tmp_path: Path,
) -> None:
    with tiny_disk(tmp_path / "disk") as disk:
        filler = fill(disk)
        path = disk / "journal.sqlite3"
        with pytest.raises(StorageError) as caught:
            Journal(path)
        assert caught.value.reason == "disk_full"
        assert not marker_path(path).exists()  # so freeing space is enough to start
        filler.unlink()
        Journal(path).close()
        assert marker_path(path).exists()


def test_a_lock_held_too_long_is_locked_not_a_hang(tmp_path: Path) -> None:
    path = tmp_path / "journal.sqlite3"
    Journal(path).close()
    held, release = threading.Event(), threading.Event()

    def hold() -> None:
        with OpenLock(path, timeout_s=5):
            held.set()
            release.wait()

    holder = threading.Thread(target=hold)
    holder.start()
    try:
        held.wait()
        with pytest.raises(StorageError) as caught:
            OpenLock(path, timeout_s=0.2).__enter__()
        assert caught.value.reason == "locked"
    finally:
        release.set()
        holder.join()


def test_low_level_errors_are_classified() -> None:
    path = Path("/data/sandbox/journal.sqlite3")
    cases = {
        "database is locked": "locked",
        "attempt to write a readonly database": "read_only",
        "database or disk is full": "disk_full",
        "file is not a database": "damaged",
        "database disk image is malformed": "damaged",
    }
    for text, reason in cases.items():
        error = classify(sqlite3.OperationalError(text), path)
        assert error is not None and error.reason == reason, text
    full = classify(OSError(errno.ENOSPC, "No space left on device", str(path)))
    assert full is not None and full.reason == "disk_full" and full.path == path
    denied = classify(PermissionError(errno.EACCES, "Permission denied", str(path)))
    assert denied is not None and denied.reason == "read_only"
    # Not about a file: not storage (a socket, a programming error).
    assert classify(OSError(errno.ECONNREFUSED, "Connection refused")) is None
    assert classify(ValueError("x")) is None
    assert classify(sqlite3.ProgrammingError("closed")) is None
    # Survives a trip between processes or threads with its fields.
    copy = pickle.loads(pickle.dumps(StorageError("damaged", path, moved_to=path)))
    assert (copy.reason, copy.path, copy.moved_to) == ("damaged", path, path)
