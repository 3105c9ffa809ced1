"""What the window's GUI thread imports before its first paint (docs/packaging.md, startup time).

Speed itself is measured by benchmarks/bench_startup.py; this only guards the structure that
makes it fast: building the window's first frame leaves the network, sandbox, storage and
keychain stacks to the worker thread, and the right column, the worker and what the buttons do to
MainWindow.start(), which all come after the first paint.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

# Imported on the worker thread (opening the till) or only when asked (`--version`).
NOT_BEFORE_FIRST_PAINT = (
    "httpx",
    "starlette",
    "uvicorn",
    "sqlite3",
    "keyring",
    "importlib.metadata",
    "logging.handlers",
    "pos_app.gateway.client",
    "pos_app.gateway.portone_v2",
    "portone_server_sdk",
    "pos_app.services.till",
    "pos_app.store.db",
    "pos_app.sandbox",
    # MainWindow.start(): the right column, the worker and the actions, with their dialogs.
    "pos_app.ui.worker",
    "pos_app.ui.till_actions",
    "pos_app.ui.till_requests",
    "pos_app.ui.till_tasks",
    "pos_app.ui.result_column",
    "pos_app.ui.customer_table",
    "pos_app.ui.guard_dialogs",
    "pos_app.ui.refund_dialog",
    # Printing a receipt: loaded when one is printed.
    "PySide6.QtPrintSupport",
    "pos_app.ui.receipt",
    # The rest of the settings (only the language is read for the first frame), the data
    # folder's platform lookup, and OpenSSL's hashes.
    "pos_app.services.settings",
    "pos_app.services.places",
    "platformdirs",
    "configparser",
    "hashlib",
    "importlib.resources",
)

# What `pos-app` does up to its first paint (pos_app.app.main), without showing the window.
PROBE = """
import json, sys
from PySide6.QtWidgets import QApplication
import pos_app.cli, pos_app.app, pos_app.ui.startup_probe
app = QApplication(sys.argv[:1])
window = pos_app.app.build_window(start=False)
print(json.dumps(sorted(sys.modules)))
"""


def test_first_frame_imports_no_worker_stack(tmp_path: Path) -> None:
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "POS_APP_HOME": str(tmp_path)}
    done = subprocess.run(
        [sys.executable, "-c", PROBE],
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
        env=env,
    )
    loaded = set(json.loads(done.stdout))
    assert not loaded.intersection(NOT_BEFORE_FIRST_PAINT)


def test_lazy_exports_still_resolve() -> None:
    import pos_app
    from pos_app import gateway
    from pos_app.gateway.client import PortOneClient

    assert gateway.PortOneClient is PortOneClient
    assert isinstance(pos_app.__version__, str) and pos_app.__version__
