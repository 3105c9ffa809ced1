"""One way to open the app's SQLite files: WAL, fsync on every commit, deleted rows overwritten.

Connections are shared across threads (the Till is built on one thread and used on another), so
every user of a connection holds its own lock around it; `check_same_thread` is off for that
reason only.
"""

from __future__ import annotations

import os
import re
import sqlite3
from pathlib import Path

from pos_app.logs import redact

# Any digit run long enough to be part of a card number is cut down to its last four.
_LONG_DIGITS = re.compile(r"\d[\d*• -]{6,}\d")


def connect(path: Path) -> sqlite3.Connection:
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    if not path.exists():
        # Owner-only from the first byte: order history is private even without card data.
        os.close(os.open(path, os.O_CREAT | os.O_WRONLY, 0o600))
    conn = sqlite3.connect(path, check_same_thread=False, isolation_level=None, timeout=30.0)
    conn.execute("PRAGMA journal_mode=WAL")
    # FULL: a row committed before a charge goes out must survive a power cut, not just a crash.
    conn.execute("PRAGMA synchronous=FULL")
    conn.execute("PRAGMA secure_delete=ON")
    return conn


def last4_only(masked: str | None) -> str:
    """PortOne masks as "53651019****3392" (BIN shown); the app keeps at most the last four."""
    if not masked:
        return ""
    digits = [c for c in masked if c.isdigit()]
    if not digits:
        return ""
    return "**** " + "".join(digits[-4:])


def safe_text(text: str | None) -> str:
    """Free text from PortOne or an operator, with anything card-shaped blanked before storing."""
    return redact(text or "")
