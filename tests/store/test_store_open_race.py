"""First open is safe with several processes at once: real processes open one fresh data folder
at the same instant, looped. Before the open lock, one in about twenty such starts died with
`database is locked` at `PRAGMA journal_mode=WAL`."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from pos_app.store.integrity import marker_path

PROCESSES = 4
ROUNDS = 20

# Each child imports everything first, says "ready", then waits for one byte on stdin: the
# parent releases them all together, so they race for the very first open.
CHILD = """
import sys
from pathlib import Path
from pos_app.store.customers import CustomerIndex
from pos_app.store.journal import Journal
folder = Path(sys.argv[1])
print("ready", flush=True)
sys.stdin.read(1)
with Journal(folder / "journal.sqlite3") as journal:
    row = journal.begin(sys.argv[2], "charge_again", origin="sandbox", amount=1000)
with CustomerIndex(folder / "customers.sqlite3") as index:
    index.upsert(sys.argv[2])
print("opened", flush=True)
"""


def _race(folder: Path) -> list[subprocess.CompletedProcess[str]]:
    children = [
        subprocess.Popen(
            [sys.executable, "-c", CHILD, str(folder), f"M{n}"],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for n in range(PROCESSES)
    ]
    for child in children:
        assert child.stdout is not None
        assert child.stdout.readline().strip() == "ready"
    for child in children:
        assert child.stdin is not None
        child.stdin.write("g")
        child.stdin.flush()
    results = []
    for child in children:
        out, err = child.communicate(timeout=120)
        results.append(subprocess.CompletedProcess(child.args, child.returncode, out, err))
    return results


def test_processes_opening_a_fresh_folder_at_once_all_succeed(tmp_path: Path) -> None:
    from pos_app.store.journal import Journal

    for round_ in range(ROUNDS):
        folder = tmp_path / f"round{round_}" / "sandbox"
        for result in _race(folder):
            assert result.returncode == 0, result.stderr
            assert "opened" in result.stdout
            assert "Traceback" not in result.stderr
        with Journal(folder / "journal.sqlite3") as journal:
            assert sorted(r.merchant_uid for r in journal.all_rows()) == [
                f"M{n}" for n in range(PROCESSES)
            ]
        assert marker_path(folder / "journal.sqlite3").exists()
