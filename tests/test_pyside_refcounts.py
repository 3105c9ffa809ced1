"""Pin against the PySide6 6.12.0 + Python 3.11 reference leak.

With that pair every PySide6 call returning None loses a reference to None and every
`Signal.emit()` one to True; on 3.11 (where they are not immortal) the interpreter aborts with
`none_dealloc`/`bool_dealloc` after a few thousand calls. The probe runs in its own interpreter
and stops at the first sign of a leak, so this test fails cleanly instead of aborting.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

PROBE = Path(__file__).with_name("pyside_refcount_probe.py")


@pytest.fixture(scope="module")
def probe_results() -> dict[str, dict[str, int]]:
    result = subprocess.run(
        [sys.executable, str(PROBE)], capture_output=True, text=True, timeout=240
    )
    assert result.returncode == 0, f"probe crashed ({result.returncode}): {result.stderr[-2000:]}"
    parsed: dict[str, dict[str, int]] = json.loads(result.stdout)
    return parsed


@pytest.mark.parametrize(
    "call", ["QObject.setObjectName", "QObject.parent", "QModelIndex.data", "Signal.emit"]
)
def test_calls_keep_none_and_true(probe_results: dict[str, dict[str, int]], call: str) -> None:
    measured = probe_results[call]
    assert measured["calls"] == 100_000, f"{call}: leak detected early: {measured}"
    assert measured["none_lost"] < 50, f"{call}: lost references to None: {measured}"
    assert measured["true_lost"] < 50, f"{call}: lost references to True: {measured}"


def test_installed_pair_is_a_safe_one() -> None:
    import PySide6

    version = tuple(int(p) for p in PySide6.__version__.split(".")[:2])
    assert sys.version_info >= (3, 12) or version < (6, 12), (
        f"PySide6 {PySide6.__version__} on Python {sys.version.split()[0]} is the unsafe pair"
    )
