"""What can go wrong with the app's files, as one typed error with a reason a person can act on.

`StorageError.reason` is one of:

- "damaged": the file is not a database, is truncated or fails SQLite's integrity check (a
  zero-length journal that used to hold rows counts too). It has been moved aside (`moved_to`),
  never deleted, when it was found at open.
- "missing": a journal was created here before (its marker file says so) and is now gone; it
  is not recreated empty behind anyone's back.
- "read_only": the file or its folder cannot be written.
- "disk_full": no space left for the file (or its write-ahead log).
- "locked": another process kept the file locked longer than the wait allows.
- "io": any other failure to read or write it.
- "unreachable": the shop's store server (PostgreSQL, shared by several counters) cannot be
  reached. Nothing is charged until it answers again (a charge's intent must be recorded
  first), and nothing falls back to a local file: that would be a second truth.

Only "damaged" and "missing" can be settled by starting a new file (`can_start_new`): the old one
is kept, and a person decides (`pos-app journal --start-new`, or the window's dialog).

`str()` is the Korean text for the command line and the log; the window words its own dialog
from `reason`, `path` and `moved_to`. Paths are the only values in a message: no card data ever
reaches a file name.
"""

from __future__ import annotations

import errno
import shutil
import sqlite3
from pathlib import Path
from typing import Literal

Reason = Literal["damaged", "missing", "read_only", "disk_full", "locked", "io", "unreachable"]
REASONS: tuple[Reason, ...] = (
    "damaged",
    "missing",
    "read_only",
    "disk_full",
    "locked",
    "io",
    "unreachable",
)

# Below this much free space an I/O error is taken for a full disk (SQLite reports a full tmpfs
# as SQLITE_IOERR_SHMSIZE, not SQLITE_FULL, when it cannot grow the -shm file).
_NEARLY_FULL_BYTES = 1 << 20

# What the file is, by its name, in the two languages.
_WHAT = {
    "journal": ("거래 기록", "The charge journal"),
    "customers": ("고객 목록", "The customer list"),
}
_WHAT_OTHER = ("데이터 파일", "A data file")
_WHAT_SERVER = ("매장 서버의 거래 기록", "The store server's journal")

_START_NEW_CLI = "pos-app journal --start-new"

# reason -> (Korean, English); {what} is the file's name in the language, {where} " (path)".
_TEXT: dict[Reason, tuple[str, str]] = {
    "damaged": (
        "{what} 파일이 손상되어 열 수 없습니다{where}.{moved_ko} 이 문제가 해결될 때까지 "
        "결제하지 않습니다. 백업에서 되살리거나, 새 기록으로 시작하려면 "
        f"`{_START_NEW_CLI}` 를 실행하세요(옛 파일은 그대로 남습니다).",
        "{what} file is damaged and cannot be opened{where}.{moved_en} Nothing is charged "
        "until this is settled. Restore it from a backup, or run "
        f"`{_START_NEW_CLI}` to start a new one (the old file is kept).",
    ),
    "missing": (
        "{what} 파일이 없어졌습니다{where}. 이 폴더에 기록이 있었으므로 빈 기록을 새로 "
        "만들지 않았습니다. 이 문제가 해결될 때까지 결제하지 않습니다. 파일을 백업에서 "
        f"되돌려 놓거나, 새 기록으로 시작하려면 `{_START_NEW_CLI}` 를 실행하세요.",
        "{what} file is gone{where}. A journal was kept in this folder, so an empty one was not "
        "created in its place. Nothing is charged until this is settled. Put the file back from "
        f"a backup, or run `{_START_NEW_CLI}` to start a new one.",
    ),
    "read_only": (
        "{what} 파일에 쓸 수 없습니다{where}: 파일이나 폴더가 읽기 전용입니다. 이 문제가 "
        "해결될 때까지 결제하지 않습니다. 폴더와 파일의 쓰기 권한을 확인하세요.",
        "{what} file cannot be written{where}: the file or its folder is read-only. Nothing is "
        "charged until this is settled. Check that this user may write the folder and the file.",
    ),
    "disk_full": (
        "디스크 공간이 모자라 {what} 파일에 쓸 수 없습니다{where}. 이 문제가 해결될 때까지 "
        "결제하지 않습니다. 디스크 공간을 확보한 뒤 다시 시도하세요.",
        "The disk is full: {what_lower} file cannot be written{where}. Nothing is charged until "
        "this is settled. Free some disk space and try again.",
    ),
    "locked": (
        "다른 프로그램이 {what} 파일을 잠그고 있어 열 수 없습니다{where}. 잠시 뒤 다시 "
        "시도하세요. 계속되면 다른 pos-app 창이나 명령이 멈춰 있지 않은지 확인하세요.",
        "{what} file is locked by another program{where}. Try again in a moment; if it stays "
        "locked, check for another pos-app window or command that is stuck.",
    ),
    "io": (
        "{what} 파일을 읽거나 쓰지 못했습니다{where}: {detail}. 이 문제가 해결될 때까지 "
        "결제하지 않습니다. 디스크 상태를 확인하세요.",
        "{what} file could not be read or written{where}: {detail}. Nothing is charged until "
        "this is settled. Check the disk.",
    ),
    "unreachable": (
        "매장 서버에 연결할 수 없습니다{where}. 결제 기록을 먼저 남길 수 없으므로 서버가 "
        "돌아올 때까지 결제하지 않습니다. 서버와 네트워크를 확인하세요. 연결되면 저절로 "
        "다시 시작합니다.",
        "The store server cannot be reached{where}. A charge must be recorded before it is sent, "
        "so nothing is charged until the server answers again. Check the server and the network; "
        "the counter resumes by itself once it is back.",
    ),
}

# What a store server failure says when it is not about reaching it (a refused login, a
# missing permission, a schema from a newer version).
_SERVER_TEXT: dict[Reason, tuple[str, str]] = {
    "io": (
        "매장 서버가 요청을 거부했습니다{where}: {detail}. 이 문제가 해결될 때까지 결제하지 "
        "않습니다. 서버 설정(사용자, 권한, 버전)을 확인하세요.",
        "The store server refused the request{where}: {detail}. Nothing is charged until this is "
        "settled. Check the server's settings (user, permissions, version).",
    ),
    "locked": (
        "매장 서버에서 다른 계산대가 같은 기록을 잠그고 있어 기다리다 멈췄습니다{where}. 잠시 "
        "뒤 다시 시도하세요.",
        "Another counter kept the same records locked on the store server too long{where}. Try "
        "again in a moment.",
    ),
}


class StorageError(Exception):
    """The app's file `path` cannot be used, for `reason`. `str()` is the Korean message."""

    def __init__(
        self,
        reason: Reason,
        path: Path | None = None,
        *,
        moved_to: Path | None = None,
        detail: str = "",
        server: str = "",
    ) -> None:
        self.reason: Reason = reason
        self.path = path
        self.moved_to = moved_to
        self.detail = detail
        # The store server it is about ("host:port/database", never a password), if any.
        self.server = server
        super().__init__(self.message("ko"))

    @property
    def can_start_new(self) -> bool:
        """A person may settle this by starting a new file (the old one stays where it is)."""
        return self.reason in ("damaged", "missing")

    def message(self, lang: str = "ko") -> str:
        en = lang.lower().startswith("en")
        what_ko, what_en = _WHAT.get(self.path.stem, _WHAT_OTHER) if self.path else _WHAT_OTHER
        ko, english = _TEXT[self.reason]
        if self.server:
            what_ko, what_en = _WHAT_SERVER
            ko, english = _SERVER_TEXT.get(self.reason, (ko, english))
        moved_ko = moved_en = ""
        if self.moved_to is not None:
            moved_ko = f" 손상된 파일은 지우지 않고 {self.moved_to} 로 옮겨 두었습니다."
            moved_en = f" The damaged file was moved, not deleted, to {self.moved_to}."
        return (english if en else ko).format(
            what=what_en if en else what_ko,
            what_lower=what_en[0].lower() + what_en[1:],
            where=f" ({self.path or self.server})" if self.path or self.server else "",
            moved_ko=moved_ko,
            moved_en=moved_en,
            detail=self.detail or "-",
        )

    def __repr__(self) -> str:
        where = f"server={self.server!r}" if self.server else f"path={self.path!r}"
        return f"StorageError(reason={self.reason!r}, {where})"

    def __reduce__(self) -> tuple[object, ...]:
        return (_rebuild, (self.reason, self.path, self.moved_to, self.detail, self.server))


def _rebuild(
    reason: Reason, path: Path | None, moved_to: Path | None, detail: str, server: str = ""
) -> StorageError:
    return StorageError(reason, path, moved_to=moved_to, detail=detail, server=server)


def _nearly_full(path: Path | None) -> bool:
    folder = path.parent if path is not None else None
    while folder is not None and not folder.exists() and folder != folder.parent:
        folder = folder.parent
    if folder is None:
        return False
    try:
        return shutil.disk_usage(folder).free < _NEARLY_FULL_BYTES
    except OSError:
        return False


def classify(exc: BaseException, path: Path | None = None) -> StorageError | None:
    """The StorageError a low-level failure of the app's files stands for, or None when `exc`
    is not one (a programming error, say): sqlite3 errors by their result code, OSErrors by
    errno."""
    if isinstance(exc, StorageError):
        return exc
    if isinstance(exc, sqlite3.Error):
        name = getattr(exc, "sqlite_errorname", "") or ""
        text = str(exc)
        if name.startswith(("SQLITE_BUSY", "SQLITE_LOCKED")) or "locked" in text:
            return StorageError("locked", path, detail=name or text)
        if name.startswith("SQLITE_READONLY") or "readonly" in text:
            return StorageError("read_only", path, detail=name or text)
        if name == "SQLITE_FULL" or "disk is full" in text:
            return StorageError("disk_full", path, detail=name or text)
        if name.startswith(("SQLITE_CORRUPT", "SQLITE_NOTADB")) or text in (
            "file is not a database",
            "database disk image is malformed",
        ):
            return StorageError("damaged", path, detail=name or text)
        if name.startswith(("SQLITE_IOERR", "SQLITE_CANTOPEN")) and _nearly_full(path):
            return StorageError("disk_full", path, detail=name)
        if isinstance(exc, sqlite3.ProgrammingError | sqlite3.InterfaceError):
            return None  # our own misuse of the API, not the file
        return StorageError("io", path, detail=name or text)
    if isinstance(exc, OSError):
        code = exc.errno
        where = Path(exc.filename) if isinstance(exc.filename, str) and path is None else path
        if code in (errno.ENOSPC, errno.EDQUOT):
            return StorageError("disk_full", where, detail=exc.strerror or "")
        if code in (errno.EROFS, errno.EACCES, errno.EPERM) or isinstance(exc, PermissionError):
            return StorageError("read_only", where, detail=exc.strerror or "")
        if where is None:
            return None  # not known to be about a file (a socket, a pipe): not storage
        return StorageError("io", where, detail=exc.strerror or type(exc).__name__)
    return None
