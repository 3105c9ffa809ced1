"""Where the app keeps its files: journal, customer index, sandbox state, logs.

`POS_APP_HOME` moves everything (automation, several terminals on one machine), the settings
file too (services/settings_file.py); otherwise the platform's per-user data folder. Never card
data, never secrets.
"""

from __future__ import annotations

import os
from pathlib import Path

from pos_app.private_folder import create_private_folder

APP_NAME = "pos-app"


def data_dir() -> Path:
    """The data folder, created on first use with owner-only permissions."""
    home = os.environ.get("POS_APP_HOME")
    if home:
        path = Path(home)
    else:
        # Imported on first use: the window reads its settings before the first paint, and
        # with the platform's usual settings place it never needs this module for that.
        import platformdirs

        path = Path(platformdirs.user_data_dir(APP_NAME, appauthor=False))
    # Owner-only on Windows too, where mkdir's mode is ignored (private_folder.py).
    return create_private_folder(path)


def log_dir() -> Path:
    path = data_dir() / "logs"
    path.mkdir(exist_ok=True, mode=0o700)
    return path
