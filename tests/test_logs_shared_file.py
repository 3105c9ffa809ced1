"""Two processes logging at once (the window and `pos-app charge`, say) lose no line, garble
none, and rotate the shared log without an error (pos_app/log_file.py).

On Windows a file that another process has open cannot be renamed. The writers here can be run
under that rule: their os.rename and os.replace refuse a file that the other writer has open
(found in /proc), as Windows would. A RotatingFileHandler in each process failed that way.
"""

from __future__ import annotations

import contextlib
import logging
import os
import re
import subprocess
import sys
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from filelock import FileLock

from pos_app import log_file
from pos_app.log_file import MAX_BYTES, SharedLogFile

LINES_PER_WRITER = 12_000
PADDING = "x" * 100  # about 150 bytes a line: two writers fill MAX_BYTES and rotate once or more

WRITER = r"""
import logging, os, sys, time
from pathlib import Path

name, peers, lines, windows_rules = sys.argv[1], Path(sys.argv[2]), int(sys.argv[3]), sys.argv[4]
me = str(os.getpid())


def held_by_a_peer(path):
    target = os.path.realpath(path)
    for pid in os.listdir(peers):
        if pid == me:
            continue
        try:
            fds = os.listdir(f"/proc/{pid}/fd")
        except OSError:
            continue
        for fd in fds:
            try:
                if os.readlink(f"/proc/{pid}/fd/{fd}") == target:
                    return True
            except OSError:
                pass
    return False


def windows_sharing(real):
    def move(src, dst, *args, **kwargs):
        for path in (src, dst):
            if os.path.exists(path) and held_by_a_peer(path):
                raise PermissionError(13, "used by another process (WinError 32)", str(path))
        return real(src, dst, *args, **kwargs)
    return move


if windows_rules == "1":
    os.rename, os.replace = windows_sharing(os.rename), windows_sharing(os.replace)
(peers / me).touch()
while len(os.listdir(peers)) < 2:  # start logging together
    time.sleep(0.01)

from pos_app.logs import setup_logging

setup_logging()
log = logging.getLogger("writer")
for i in range(lines):
    log.info("%s line %06d %s", name, i, PADDING)
""".replace("PADDING", repr(PADDING))

LINE = re.compile(
    r"^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d,\d{3} INFO writer: (?P<name>[AB]) line (?P<i>\d{6}) x{100}$"
)


@pytest.mark.parametrize(
    "windows_rules",
    [
        pytest.param(False, id="this-os"),
        pytest.param(
            True,
            id="windows-sharing-emulated",
            marks=pytest.mark.posix_only(
                reason="emulates Windows' sharing rule through /proc; on Windows the this-os "
                "case meets the real rule"
            ),
        ),
    ],
)
def test_two_processes_share_the_log_without_losing_or_garbling_a_line(
    pos_app_home: Path, tmp_path: Path, windows_rules: bool
) -> None:
    assert 2 * LINES_PER_WRITER * 150 > MAX_BYTES  # the run must rotate at least once
    peers = tmp_path / "peers"
    peers.mkdir()
    env = {**os.environ, "POS_APP_HOME": str(pos_app_home)}
    rules = "1" if windows_rules else "0"
    writers = [
        subprocess.Popen(
            [sys.executable, "-c", WRITER, name, str(peers), str(LINES_PER_WRITER), rules],
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for name in ("A", "B")
    ]
    for writer in writers:
        out, err = writer.communicate(timeout=240)
        assert writer.returncode == 0, err
        assert out == "" and err == "", err[:2000]  # no "--- Logging error ---"

    logs = pos_app_home / "logs"
    files = sorted(p for p in logs.iterdir() if p.name.startswith("pos-app.log"))
    assert (logs / "pos-app.log.1") in files, "the test did not make the log rotate"
    seen: Counter[tuple[str, int]] = Counter()
    garbled = []
    for path in files:
        if path.suffix == ".lock":
            continue
        for line in path.read_text(encoding="utf-8").splitlines():
            match = LINE.match(line)
            if match is None:
                garbled.append(line[:200])
            else:
                seen[(match["name"], int(match["i"]))] += 1
    assert garbled == []
    expected = {(name, i) for name in "AB" for i in range(LINES_PER_WRITER)}
    assert set(seen) == expected, f"lost {len(expected - set(seen))} lines"
    assert set(seen.values()) == {1}
    assert all(p.stat().st_size <= MAX_BYTES for p in files if p.name != "pos-app.log.lock")


def _another_process_can_take(lock: Path) -> bool:
    probe = "import sys; from filelock import FileLock; FileLock(sys.argv[1], timeout=0).acquire()"
    return subprocess.run([sys.executable, "-c", probe, str(lock)], timeout=60).returncode == 0


@contextlib.contextmanager
def _logging_to(level: int, *handlers: logging.Handler) -> Iterator[None]:
    root = logging.getLogger()
    old_level = root.level
    for handler in handlers:
        handler.setFormatter(logging.Formatter("%(name)s: %(message)s"))
        root.addHandler(handler)
    root.setLevel(level)
    try:
        yield
    finally:
        for handler in handlers:
            root.removeHandler(handler)
            handler.close()
        root.setLevel(old_level)


DEBUG_WRITERS = r"""
import logging, sys, threading
from pathlib import Path
from filelock import FileLock, Timeout
from pos_app.log_file import SharedLogFile

folders = [Path(name) for name in sys.argv[1:]]
root = logging.getLogger()
for folder in folders:
    handler = SharedLogFile(folder / "pos-app.log")
    handler.setFormatter(logging.Formatter("%(name)s: %(message)s"))
    root.addHandler(handler)
root.setLevel(logging.DEBUG)  # after the handlers, as a test or a debugging person would


def log_lines(n):
    for i in range(50):
        logging.getLogger("t").debug("t%d %d", n, i)


threads = [threading.Thread(target=log_lines, args=(n,)) for n in range(4)]
for thread in threads:
    thread.start()
for thread in threads:
    thread.join()
for folder in folders:
    try:
        FileLock(str(folder / "pos-app.log.lock"), timeout=0).acquire()  # another fd: flock
    except Timeout:
        print("kept", folder.name)
print("done", flush=True)
"""


def test_logging_at_debug_from_many_threads_into_two_logs_neither_sticks_nor_deadlocks(
    tmp_path: Path,
) -> None:
    """filelock logs its own acquire and release at DEBUG. Those records came back into the
    handler inside the lock's acquire or release, and the process kept the lock for good (every
    later record then waited the full timeout); with two logs in one process (the test suite
    has several), threads deadlocked, each inside one handler waiting for the other. Run in a
    process of its own, so a deadlock fails this test instead of hanging the suite."""
    folders = [tmp_path / "one", tmp_path / "two"]
    for folder in folders:
        folder.mkdir()
    try:
        done = subprocess.run(
            [sys.executable, "-c", DEBUG_WRITERS, *map(str, folders)],
            capture_output=True,
            text=True,
            timeout=120,  # a deadlock detector, not a speed limit: this takes well under 1 s
        )
    except subprocess.TimeoutExpired:
        pytest.fail("logging at DEBUG from four threads into two logs deadlocked")
    assert done.stdout.splitlines() == ["done"], done.stdout + done.stderr
    for folder in folders:
        lines = (folder / "pos-app.log").read_text(encoding="utf-8").splitlines()
        assert sum(1 for line in lines if line.startswith("t: t")) == 200
        assert not any(line.startswith("filelock") for line in lines)


HOLDER = r"""
import sys, time
from filelock import FileLock
with FileLock(sys.argv[1]):
    print("held", flush=True)
    sys.stdin.read()
"""


def test_a_lock_held_by_a_hung_process_is_waited_for_once_not_for_every_line(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A process stopped in a debugger with the lock held: each record used to wait the whole
    timeout, one after another, so a billing run's sixteen threads logged a line a second."""
    attempts: list[float] = []

    class CountedLock(FileLock):
        def acquire(self, *args: Any, **kwargs: Any) -> Any:
            attempts.append(0)
            return super().acquire(*args, **kwargs)

    monkeypatch.setattr(log_file, "FileLock", CountedLock)
    monkeypatch.setattr(log_file, "LOCK_TIMEOUT_S", 0.2)
    holder = subprocess.Popen(
        [sys.executable, "-c", HOLDER, str(tmp_path / "pos-app.log.lock")],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "held"
        handler = SharedLogFile(tmp_path / "pos-app.log")
        with _logging_to(logging.INFO, handler):
            for i in range(20):
                logging.getLogger("stuck").info("line %d", i)
    finally:
        holder.communicate("", timeout=60)
    assert len(attempts) == 1
    lines = (tmp_path / "pos-app.log").read_text(encoding="utf-8").splitlines()
    assert [line.rsplit(" ", 1)[-1] for line in lines if line.startswith("stuck: ")] == [
        str(i) for i in range(20)
    ]
