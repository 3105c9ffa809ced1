"""Two processes logging at once (the window and `pos-app charge`, say) lose no line, garble
none, and rotate the shared log without an error (pos_app/log_file.py).

On Windows a file that another process has open cannot be renamed. The writers here can be run
under that rule: their os.rename and os.replace refuse a file that the other writer has open
(found in /proc), as Windows would. A RotatingFileHandler in each process failed that way.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from collections import Counter
from pathlib import Path

import pytest

from pos_app.log_file import MAX_BYTES

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
