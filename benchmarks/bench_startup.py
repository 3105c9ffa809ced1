"""Size of the one-folder build and time to the first painted main window (docs/packaging.md).

- dist_size_mb: everything in dist/pos-app/ (MiB; symlinks counted once, as links).
- startup_source_ratio / startup_frozen_ratio: time from launching the program to the first
  paint event of its main window (POS_APP_STARTUP_PROBE=1, see pos_app/ui/startup_probe.py), from
  source (`python -m pos_app`) and frozen (dist/pos-app/pos-app), each divided by the same time for
  a bare PySide6 window (QApplication + QMainWindow + QLabel, from source) measured in the same
  run, so the figures compare across machines. Medians of ROUNDS launches, taken in turns.
- startup_complete_source_ratio / startup_complete_frozen_ratio: the same up to the first paint
  of the complete window (the result column and customer list that MainWindow.start adds right
  after the first frame), so what the first frame leaves out is measured too. No target.

Builds dist/pos-app with PyInstaller first (`make dist` without --clean: about half a minute).
Run alone: `.venv/bin/python benchmarks/bench_startup.py` (prints the JSON).
"""

from __future__ import annotations

import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DIST = ROOT / "dist" / "pos-app"
FROZEN = DIST / ("pos-app.exe" if sys.platform == "win32" else "pos-app")
ROUNDS = 11
MARKER = "POS_APP_FIRST_PAINT"
COMPLETE_MARKER = "POS_APP_COMPLETE_PAINT"

# The baseline: the least a PySide6 program can do to paint a main window, with the same probe.
BARE_WINDOW = f"""
import sys, time
from PySide6.QtCore import QEvent, QObject, QTimer
from PySide6.QtWidgets import QApplication, QLabel, QMainWindow

class FirstPaint(QObject):
    seen = False
    def eventFilter(self, watched, event):
        if event.type() == QEvent.Type.Paint and not self.seen:
            self.seen = True
            print("{MARKER}", f"{{time.time():.6f}}", flush=True)
            QTimer.singleShot(0, QApplication.quit)
        return False

app = QApplication(sys.argv[:1])
window = QMainWindow()
window.setCentralWidget(QLabel("bare"))
probe = FirstPaint(window)
window.installEventFilter(probe)
window.show()
sys.exit(app.exec())
"""


def dist_size_mb(folder: Path = DIST) -> float:
    total = 0
    for path in folder.rglob("*"):
        total += path.lstat().st_size if path.is_symlink() or path.is_file() else 0
    return round(total / 2**20, 1)


def build() -> None:
    """Build dist/pos-app from this tree, so the figures are about this code (incremental)."""
    subprocess.run(
        [
            str(Path(sys.executable).parent / "pyinstaller"),
            "--noconfirm",
            "--log-level",
            "ERROR",
            "build.spec",
        ],
        cwd=ROOT,
        check=True,
        stdout=subprocess.DEVNULL,
    )


def time_to_paints(command: list[str], env: dict[str, str]) -> dict[str, float]:
    """Seconds from launching `command` to each paint it reports (MARKER, and COMPLETE_MARKER
    for the program); it reports the moments and exits."""
    started = time.time()
    done = subprocess.run(
        command, env=env, cwd=ROOT, capture_output=True, text=True, timeout=120, check=False
    )
    moments = {}
    for line in done.stdout.splitlines():
        marker, _, moment = line.partition(" ")
        if marker in (MARKER, COMPLETE_MARKER):
            moments[marker] = float(moment) - started
    if MARKER not in moments or done.returncode != 0:
        raise RuntimeError(
            f"{command[0]} reported {sorted(moments)} (exit {done.returncode}): "
            f"{done.stderr[-500:]}"
        )
    return moments


def run() -> dict[str, float]:
    build()
    with (
        tempfile.TemporaryDirectory(prefix="pos-app-bench-") as home,
        tempfile.TemporaryDirectory(prefix="pos-app-bench-pyc-") as pycache,
    ):
        env = {
            **os.environ,
            "QT_QPA_PLATFORM": "offscreen",
            "POS_APP_STARTUP_PROBE": "1",
            "POS_APP_HOME": home,  # the embedded sandbox and journal start empty, as on day one
            # Compiled modules are cached (in the temporary folder, not the tree) and reused after
            # the warm-up, as on any installed or once-run copy; an inherited
            # PYTHONDONTWRITEBYTECODE would otherwise have every source launch recompile pos_app.
            "PYTHONPYCACHEPREFIX": pycache,
        }
        env.pop("PYTHONDONTWRITEBYTECODE", None)
        commands = {
            "bare": [sys.executable, "-c", BARE_WINDOW],
            "source": [sys.executable, "-m", "pos_app"],
            "frozen": [str(FROZEN)],
        }
        for command in commands.values():  # warm the disk cache and .pyc files once
            time_to_paints(command, env)
        times: dict[tuple[str, str], list[float]] = {}
        for _ in range(ROUNDS):
            for name, command in commands.items():
                for marker, seconds in time_to_paints(command, env).items():
                    times.setdefault((name, marker), []).append(seconds)
    median = {key: statistics.median(values) for key, values in times.items()}
    bare = median["bare", MARKER]
    figures: dict[str, float] = {"dist_size_mb": dist_size_mb(), "startup_bare_s": round(bare, 3)}
    for name in ("source", "frozen"):
        first, complete = median[name, MARKER], median[name, COMPLETE_MARKER]
        figures[f"startup_{name}_s"] = round(first, 3)
        figures[f"startup_{name}_ratio"] = round(first / bare, 2)
        figures[f"startup_complete_{name}_s"] = round(complete, 3)
        figures[f"startup_complete_{name}_ratio"] = round(complete / bare, 2)
    return figures


if __name__ == "__main__":
    print(json.dumps(run(), indent=2))
