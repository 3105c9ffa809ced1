"""Whether a folder is on a network drive, where SQLite's WAL mode must not be used.

WAL keeps its index in shared memory beside the database (the -shm file), which works only when
every process sharing the database runs on one computer with a local file system; SQLite's own
documentation says WAL does not work over a network file system, and its locks on SMB and NFS
are not reliable either. A till whose data folder (POS_APP_HOME) is on a share is warned about
in the log, once per folder, when its journal is opened (docs/windows.md).

Windows: a UNC path (\\\\server\\share\\...) or a drive letter the system reports as remote
(GetDriveTypeW: a mapped network drive). Linux: the file system of the longest mount point that
holds the folder, from /proc/mounts (nfs, cifs/smb, sshfs, ...).
"""

from __future__ import annotations

import logging
import os
import sys
from collections.abc import Callable
from pathlib import Path, PureWindowsPath

log = logging.getLogger(__name__)

NETWORK_FILE_SYSTEMS = frozenset(
    {
        "nfs",
        "nfs4",
        "cifs",
        "smb3",
        "smbfs",
        "ncpfs",
        "afs",
        "9p",
        "ceph",
        "glusterfs",
        "lustre",
        "davfs",
        "fuse.sshfs",
        "fuse.davfs2",
        "fuse.rclone",
        "fuse.glusterfs",
        "fuse.cephfs",
    }
)
_DRIVE_REMOTE = 4  # GetDriveTypeW's answer for a network drive
_warned: set[str] = set()


def is_on_network_drive(
    folder: Path,
    *,
    platform: str = sys.platform,
    mounts: str | None = None,
    drive_type: Callable[[str], int] | None = None,
) -> bool:
    """`mounts` (the text of /proc/mounts) and `drive_type` (GetDriveTypeW) are read from the
    system unless given."""
    if platform == "win32":
        return _windows_remote(str(folder), drive_type or _get_drive_type)
    if platform.startswith("linux"):
        if mounts is None:
            try:
                mounts = Path("/proc/mounts").read_text(encoding="utf-8", errors="replace")
            except OSError:
                return False
        return _linux_file_system(os.path.realpath(folder), mounts) in NETWORK_FILE_SYSTEMS
    return False


def warn_if_on_network_drive(folder: Path) -> None:
    """Log a warning, once per folder and process, when `folder` is on a network drive."""
    key = str(folder)
    if key in _warned:
        return
    _warned.add(key)
    try:
        remote = is_on_network_drive(folder)
    except (OSError, ValueError):  # deciding must never stop the journal from opening
        return
    if remote:
        log.warning(
            "the data folder %s is on a network drive: SQLite's WAL journal there can lose or "
            "corrupt charges; keep POS_APP_HOME on this computer's own disk",
            folder,
        )


def _windows_remote(path: str, drive_type: Callable[[str], int]) -> bool:
    drive = PureWindowsPath(path).drive
    upper = drive.upper()
    if upper.startswith(("\\\\?\\UNC\\", "\\\\.\\UNC\\")):
        return True
    if upper.startswith(("\\\\?\\", "\\\\.\\")):  # \\?\C:\...: the drive letter decides
        drive = drive[4:]
    elif drive.startswith("\\\\"):  # \\server\share
        return True
    if len(drive) == 2 and drive[1] == ":":
        return drive_type(drive + "\\") == _DRIVE_REMOTE
    return False


def _get_drive_type(root: str) -> int:
    if sys.platform != "win32":
        return 0
    import ctypes

    kernel32 = ctypes.WinDLL("kernel32", use_last_error=True)
    kernel32.GetDriveTypeW.argtypes = [ctypes.c_wchar_p]
    kernel32.GetDriveTypeW.restype = ctypes.c_uint
    result: int = kernel32.GetDriveTypeW(root)
    return result


def _linux_file_system(path: str, mounts: str) -> str:
    """The type of the file system mounted at the longest mount point containing `path`."""
    best, kind = "", ""
    for line in mounts.splitlines():
        fields = line.split()
        if len(fields) < 3:
            continue
        # /proc/mounts writes spaces, tabs and backslashes in mount points as octal escapes.
        point = _unescape(fields[1])
        inside = path == point or path.startswith(point.rstrip("/") + "/")
        if inside and len(point) >= len(best):
            best, kind = point, fields[2]
    return kind


def _unescape(field: str) -> str:
    for code, char in (("\\040", " "), ("\\011", "\t"), ("\\012", "\n"), ("\\134", "\\")):
        field = field.replace(code, char)
    return field
