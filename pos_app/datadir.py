"""Where the app keeps its files: journal, customer index, sandbox state, logs.

`POS_APP_HOME` moves everything (automation, several terminals on one machine); otherwise the
platform's per-user data folder. Never card data, never secrets.
"""

from __future__ import annotations

import os
from pathlib import Path

import platformdirs

APP_NAME = "pos-app"


def data_dir() -> Path:
    """The data folder, created on first use with owner-only permissions."""
    home = os.environ.get("POS_APP_HOME")
    path = Path(home) if home else Path(platformdirs.user_data_dir(APP_NAME, appauthor=False))
    path.mkdir(parents=True, exist_ok=True, mode=0o700)
    return path


def log_dir() -> Path:
    path = data_dir() / "logs"
    path.mkdir(exist_ok=True, mode=0o700)
    return path
