"""Where the till keeps its files, on Windows as well: a data folder private to its owner even
where mkdir's mode is ignored (pos_app/private_folder.py), and a warning when it is on a network
drive, where SQLite's WAL journal is unsafe (pos_app/store/network_drive.py)."""

from __future__ import annotations

import logging
import stat
import subprocess
import sys
from pathlib import Path

import pytest

from pos_app import private_folder
from pos_app.datadir import data_dir, log_dir
from pos_app.store import network_drive
from pos_app.store.journal import Journal
from pos_app.store.network_drive import is_on_network_drive


@pytest.mark.posix_only(reason="POSIX permission bits; on Windows see the access-list test")
def test_a_new_data_folder_is_private_to_its_owner(pos_app_home: Path) -> None:
    assert data_dir() == pos_app_home
    assert stat.S_IMODE(pos_app_home.stat().st_mode) == 0o700
    assert stat.S_IMODE(log_dir().stat().st_mode) == 0o700


def test_windows_gives_a_new_data_folder_an_owner_only_access_list(
    pos_app_home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """mkdir(mode=0o700) does nothing on Windows before Python 3.12.4/3.11.10: the folder gets
    the access list explicitly, once, when it is created."""
    given: list[Path] = []
    monkeypatch.setattr(sys, "platform", "win32")
    monkeypatch.setattr(private_folder, "owner_only_on_windows", given.append)
    assert not pos_app_home.exists()
    data_dir()
    data_dir()
    assert given == [pos_app_home]  # created once; an existing folder is left as it is


def test_a_folder_that_cannot_take_an_access_list_is_still_used(
    pos_app_home: Path, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    def refuse(path: Path) -> None:
        raise OSError(50, "The request is not supported (a FAT32 drive)")

    monkeypatch.setattr(sys, "platform", "win32")
    monkeypatch.setattr(private_folder, "owner_only_on_windows", refuse)
    with caplog.at_level(logging.WARNING):
        assert data_dir() == pos_app_home
    assert pos_app_home.is_dir()
    assert any("private" in r.getMessage() for r in caplog.records)


@pytest.mark.skipif(sys.platform != "win32", reason="reads a Windows access list (icacls)")
def test_the_access_list_on_windows_is_owner_only(pos_app_home: Path) -> None:
    data_dir()
    listing = subprocess.run(
        ["icacls", str(pos_app_home)], capture_output=True, text=True, check=True
    ).stdout
    assert "(I)" not in listing  # nothing inherited from the parent
    assert "BUILTIN\\Users" not in listing and "Everyone" not in listing


MOUNTS = """\
sysfs /sys sysfs rw,nosuid,nodev,noexec,relatime 0 0
/dev/sda1 / ext4 rw,relatime 0 0
server:/export/pos /mnt/pos nfs4 rw,relatime,vers=4.2 0 0
//nas/shop\\040data /mnt/shop\\040data cifs rw,relatime 0 0
/dev/sdb1 /mnt/pos/local ext4 rw,relatime 0 0
tmpfs /tmp tmpfs rw,nosuid,nodev 0 0
"""


@pytest.mark.parametrize(
    ("folder", "remote"),
    [
        ("/home/till/.local/share/pos-app", False),
        ("/mnt/pos/till-1", True),  # NFS
        ("/mnt/shop data/pos-app", True),  # SMB, a mount point with a space
        ("/mnt/pos/local/pos-app", False),  # a local disk mounted inside the NFS one
        ("/mnt/position", False),  # a prefix of /mnt/pos by characters only
        ("/tmp/pos-app", False),
    ],
)
def test_linux_network_file_systems_are_recognised(folder: str, remote: bool) -> None:
    assert is_on_network_drive(Path(folder), platform="linux", mounts=MOUNTS) is remote


def test_this_machines_temporary_folder_is_local(tmp_path: Path) -> None:
    assert is_on_network_drive(tmp_path) is False


@pytest.mark.parametrize(
    ("folder", "remote"),
    [
        ("C:\\Users\\till\\AppData\\Local\\pos-app", False),
        ("Z:\\pos-app", True),  # a mapped network drive
        ("\\\\nas\\shop\\pos-app", True),  # UNC
        ("\\\\?\\UNC\\nas\\shop\\pos-app", True),
        ("\\\\?\\C:\\pos-app", False),
        ("\\\\?\\Z:\\pos-app", True),
    ],
)
def test_windows_unc_paths_and_mapped_drives_are_recognised(folder: str, remote: bool) -> None:
    def drive_type(root: str) -> int:
        return 4 if root.upper() == "Z:\\" else 3  # DRIVE_REMOTE, DRIVE_FIXED

    found = is_on_network_drive(Path(folder), platform="win32", drive_type=drive_type)
    assert found is remote


def test_opening_a_journal_on_a_network_drive_is_warned_about_once(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    share = tmp_path / "share"
    monkeypatch.setattr(network_drive, "_warned", set())
    monkeypatch.setattr(network_drive, "is_on_network_drive", lambda folder: Path(folder) == share)
    with caplog.at_level(logging.WARNING, logger="pos_app.store.network_drive"):
        Journal(share / "journal.sqlite3").close()
        Journal(share / "journal.sqlite3").close()
        Journal(tmp_path / "local" / "journal.sqlite3").close()
    warnings = [r.getMessage() for r in caplog.records]
    assert len(warnings) == 1 and "network drive" in warnings[0] and str(share) in warnings[0]
