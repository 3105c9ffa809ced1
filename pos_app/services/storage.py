"""A person's decision after a storage failure: start new files, keeping the old ones.

The journal and the customer index stop the till when they are damaged or missing
(store/integrity.py); nothing is charged until someone decides. This is that decision, shared by
`pos-app journal --start-new` and the window's dialog. A healthy file is never touched.
"""

from __future__ import annotations

from pathlib import Path

from pos_app.services import places
from pos_app.store.db import lock_wait_s
from pos_app.store.integrity import StartedNew, start_new


def start_new_file(path: Path) -> StartedNew:
    """Start `path` anew if it is damaged or missing; the old file stays, moved aside."""
    return start_new(path, timeout_s=lock_wait_s())


def start_new_files(mode: places.Mode) -> list[StartedNew]:
    """The same for the journal and the customer index of `mode` (of the PortOne API in use)."""
    customers = places.customers_path(mode, places.current_version())
    return [start_new_file(path) for path in (places.journal_path(mode), customers)]
