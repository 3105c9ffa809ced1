"""What the window's GUI thread imports before its first paint (docs/packaging.md, startup time).

Speed itself is measured by benchmarks/bench_startup.py; this only guards the structure that
makes it fast: importing the window program and its command line leaves the network, sandbox,
storage and keychain stacks to the worker thread, which imports them after the first paint.
"""

from __future__ import annotations

import json
import subprocess
import sys

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
    "pos_app.services.till",
    "pos_app.store.db",
    "pos_app.sandbox",
)

PROBE = """
import json, sys
import pos_app.cli, pos_app.app, pos_app.ui.startup_probe
print(json.dumps(sorted(sys.modules)))
"""


def test_window_program_imports_no_worker_stack() -> None:
    done = subprocess.run(
        [sys.executable, "-c", PROBE], capture_output=True, text=True, timeout=120, check=True
    )
    loaded = set(json.loads(done.stdout))
    assert not loaded.intersection(NOT_BEFORE_FIRST_PAINT)


def test_lazy_exports_still_resolve() -> None:
    import pos_app
    from pos_app import gateway
    from pos_app.gateway.client import PortOneClient

    assert gateway.PortOneClient is PortOneClient
    assert isinstance(pos_app.__version__, str) and pos_app.__version__
