"""What the self-test runs inside: a throwaway data folder, and what it collects instead of letting
it through: the app's log records and everything written to standard error (file descriptor 2,
so Python, Qt and C libraries alike). Anything on stderr that is not known noise fails the
"stderr" check (qutebrowser's smoke test does the same for its frozen builds)."""

from __future__ import annotations

import contextlib
import logging
import os
import re
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path

# Lines Qt writes on stderr that say nothing about this program's health. Exact patterns only:
# anything else on stderr fails the self-test.
KNOWN_STDERR_NOISE = (
    # The offscreen platform does not implement window-manager size hints.
    re.compile(r"^This plugin does not support propagateSizeHints\(\)$"),
    # Root shells and containers often have no XDG_RUNTIME_DIR; Qt picks a fallback and says so.
    re.compile(r"^QStandardPaths: XDG_RUNTIME_DIR not set, defaulting to '.*'$"),
    re.compile(r"^QStandardPaths: wrong permissions on runtime directory .*$"),
)


@contextlib.contextmanager
def private_home() -> Iterator[None]:
    """A throwaway POS_APP_HOME unless the caller chose one."""
    if os.environ.get("POS_APP_HOME"):
        yield
        return
    with tempfile.TemporaryDirectory(prefix="pos-app-selftest-") as tmp:
        os.environ["POS_APP_HOME"] = str(Path(tmp) / "home")
        try:
            yield
        finally:
            del os.environ["POS_APP_HOME"]


@contextlib.contextmanager
def collected_log() -> Iterator[list[logging.LogRecord]]:
    """The app's warnings and errors, kept for the report instead of going to stderr.

    Warnings are the app describing its surroundings (e.g. no keychain here); an error fails the
    self-test. Card-shaped text is blanked by the same filter as the app's own log.
    """
    from pos_app.logs import RedactCardNumbers

    handler = _KeepRecords(logging.WARNING)
    handler.addFilter(RedactCardNumbers())
    root = logging.getLogger()
    root.addHandler(handler)
    try:
        yield handler.records
    finally:
        root.removeHandler(handler)


class _KeepRecords(logging.Handler):
    def __init__(self, level: int) -> None:
        super().__init__(level)
        self.records: list[logging.LogRecord] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append(record)


class _Captured:
    text = ""


@contextlib.contextmanager
def captured_stderr() -> Iterator[_Captured]:
    """Send file descriptor 2 to a temporary file: catches Python, Qt and C libraries alike."""
    captured = _Captured()
    try:
        saved = os.dup(2)
    except OSError:  # no stderr at all (a windowed program on Windows): nothing to capture
        yield captured
        return
    with tempfile.TemporaryFile(mode="w+b") as sink:
        _flush_stderr()
        os.dup2(sink.fileno(), 2)
        try:
            yield captured
        finally:
            _flush_stderr()
            os.dup2(saved, 2)
            os.close(saved)
            sink.seek(0)
            captured.text = sink.read().decode("utf-8", "replace")


def _flush_stderr() -> None:
    for stream in (sys.stderr, sys.__stderr__):
        if stream is not None:
            stream.flush()


def unexpected_stderr(text: str) -> list[str]:
    lines = [line.rstrip() for line in text.splitlines() if line.strip()]
    return [line for line in lines if not any(p.match(line) for p in KNOWN_STDERR_NOISE)]
