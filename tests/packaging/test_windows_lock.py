"""requirements-windows.lock: what a Windows PC installs, derived from requirements.lock by
tools/lock_windows.py and kept in step with it."""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "tools"))

import lock_windows  # noqa: E402


def _pins(text: str) -> dict[str, str]:
    pins = {}
    for line in text.splitlines():
        if line and not line.startswith("#"):
            name, _, version = line.partition("==")
            pins[name] = version
    return pins


def test_the_committed_windows_lock_is_what_the_tool_writes_now() -> None:
    committed = (ROOT / "requirements-windows.lock").read_text(encoding="utf-8")
    assert committed == lock_windows.windows_lock(), "run `.venv/bin/python tools/lock_windows.py`"


def test_windows_gets_its_keychain_backend_and_not_linuxs() -> None:
    windows = _pins(lock_windows.windows_lock())
    assert windows["pywin32-ctypes"] == "0.2.3"  # keyring's Credential Manager backend
    assert {"pefile", "colorama"} <= set(windows)  # PyInstaller's and pytest's on Windows
    for linux_only in ("secretstorage", "jeepney", "cryptography", "cffi", "pycparser"):
        assert linux_only not in windows
    # Everything else at the same version as on Linux.
    linux = _pins((ROOT / "requirements.lock").read_text(encoding="utf-8").lower())
    linux = {name.replace("_", "-").replace(".", "-"): v for name, v in linux.items()}
    for name, version in windows.items():
        if name not in lock_windows.WINDOWS_ONLY_PINS:
            assert linux[name] == version, name
