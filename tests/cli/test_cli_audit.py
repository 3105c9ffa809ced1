"""`pos-app audit verify` against an attacker editing the SQLite file; the formula-safe CSV."""

from __future__ import annotations

import csv
import io
import sqlite3
import subprocess
from pathlib import Path

import pytest
from pos_app_runner import PosApp

from pos_app.services.audit import AuditTrail
from pos_app.store.audit import entry_hash


def audit(pos_app: PosApp, *args: str) -> subprocess.CompletedProcess[str]:
    return pos_app.run("--lang", "en", "audit", *args)


@pytest.fixture
def trail_path(pos_app: PosApp) -> Path:
    """Six entries written by the program (the services, as the window would)."""
    path = pos_app.home / "audit.sqlite3"
    pos_app.home.mkdir(parents=True, exist_ok=True)
    with AuditTrail(path) as trail:
        trail.record("sign_in", "kim", "T1", {"role": "cashier"})
        for n in range(4):
            trail.record("charge", "kim", "T1", {"merchant_uid": f"T1-{n}", "outcome": "paid"})
        trail.record("refund", "kim", "T1", {"imp_uid": "imp_1", "approved_by": "김사장"})
    return path


def attack(path: Path, *statements: str, params: tuple[object, ...] = ()) -> None:
    """As someone with the file and a sqlite3 shell would: the triggers go first."""
    conn = sqlite3.connect(path)
    for trigger in ("audit_no_update", "audit_no_delete", "audit_head_forward", "audit_head_kept"):
        conn.execute(f"DROP TRIGGER IF EXISTS {trigger}")
    for statement in statements:
        conn.execute(statement, params if "?" in statement else ())
    conn.commit()
    conn.close()


def test_intact(pos_app: PosApp, trail_path: Path) -> None:
    done = audit(pos_app, "verify")
    assert done.returncode == 0, done.stderr
    assert "intact: 6 entries, head 6:" in done.stdout


def test_edited_row(pos_app: PosApp, trail_path: Path) -> None:
    attack(trail_path, "UPDATE audit SET person = 'lee' WHERE seq = 3")
    done = audit(pos_app, "verify")
    assert done.returncode == 1
    assert "entry 3 was changed" in done.stderr
    assert "broken at entry 3" in done.stdout


def test_deleted_row(pos_app: PosApp, trail_path: Path) -> None:
    attack(trail_path, "DELETE FROM audit WHERE seq = 4")
    done = audit(pos_app, "verify")
    assert done.returncode == 1
    assert "entries 4 to 4 are missing" in done.stderr


def test_deleted_last_rows(pos_app: PosApp, trail_path: Path) -> None:
    """The refund's entry and the one before it removed from the end."""
    attack(trail_path, "DELETE FROM audit WHERE seq >= 5")
    done = audit(pos_app, "verify")
    assert done.returncode == 1
    assert "the last entries 5 to 6 were deleted" in done.stderr


def test_inserted_row(pos_app: PosApp, trail_path: Path) -> None:
    """A forged refund slipped in after entry 2, chained to it with a correct hash; the
    entries after it renumbered to make room."""
    conn = sqlite3.connect(trail_path)
    at, prev = conn.execute("SELECT at, hash FROM audit WHERE seq = 2").fetchone()
    conn.close()
    fields = (3, at + 1, "T1", "kim", "refund", '{"imp_uid":"imp_9"}', prev)
    attack(
        trail_path,
        "UPDATE audit SET seq = -seq WHERE seq >= 3",
        "UPDATE audit SET seq = 1 - seq WHERE seq < 0",
        "UPDATE audit_head SET seq = seq + 1",
    )
    attack(
        trail_path,
        "INSERT INTO audit VALUES (?,?,?,?,?,?,?,?)",
        params=(*fields, entry_hash(*fields)),
    )
    done = audit(pos_app, "verify")
    assert done.returncode == 1
    assert "entry 4 does not follow the entry before it" in done.stderr


def test_whole_file_deleted_once_staff_exist(pos_app: PosApp, trail_path: Path) -> None:
    (pos_app.home / "staff.sqlite3").write_bytes(b"")
    trail_path.unlink()
    done = audit(pos_app, "verify")
    assert done.returncode == 1 and "missing" in done.stderr


def test_anchor(pos_app: PosApp, trail_path: Path) -> None:
    anchor = audit(pos_app, "verify").stdout.split("head ")[1].strip()
    assert audit(pos_app, "verify", "--anchor", anchor).returncode == 0
    assert audit(pos_app, "verify", "--anchor", "6:zz").returncode == 1  # not an anchor
    # Rewritten from entry 5 on with hashes that chain, head included: only the anchor shows it.
    conn = sqlite3.connect(trail_path)
    rows = conn.execute("SELECT * FROM audit WHERE seq >= 5 ORDER BY seq").fetchall()
    (prev,) = conn.execute("SELECT hash FROM audit WHERE seq = 4").fetchone()
    conn.close()
    attack(trail_path, "DELETE FROM audit WHERE seq >= 5", "DELETE FROM audit_head")
    conn = sqlite3.connect(trail_path)
    for row in rows:
        fields = (*row[:4], "sign_out", "{}", prev)
        prev = entry_hash(*fields)
        conn.execute("INSERT INTO audit VALUES (?,?,?,?,?,?,?,?)", (*fields, prev))
    conn.execute("INSERT INTO audit_head VALUES (1, 6, ?)", (prev,))
    conn.commit()
    conn.close()
    assert audit(pos_app, "verify").returncode == 0
    done = audit(pos_app, "verify", "--anchor", anchor)
    assert done.returncode == 1
    assert "entry 6 differs from the anchor" in done.stderr


def test_list_and_formula_safe_csv(pos_app: PosApp, trail_path: Path) -> None:
    with AuditTrail(trail_path) as trail:
        trail.record('=HYPERLINK("http://x")', "+kim", "-T1", {"reason": "@SUM(A1)"})
    listed = audit(pos_app)
    assert listed.returncode == 0 and "T1-3" in listed.stdout
    done = audit(pos_app, "--csv")
    assert done.returncode == 0
    rows = list(csv.reader(io.StringIO(done.stdout)))
    assert rows[0] == ["seq", "time", "terminal", "person", "action", "details", "hash"]
    last = rows[-1]
    assert last[2:5] == ["'-T1", "'+kim", '\'=HYPERLINK("http://x")']
    for row in rows[1:]:
        assert not any(cell.startswith(("=", "+", "-", "@", "\t", "\r")) for cell in row)
    # The export itself is recorded, and the chain still holds.
    assert "export" in audit(pos_app).stdout
    assert audit(pos_app, "verify").returncode == 0


def test_commands_are_recorded_as_the_os_user(pos_app: PosApp) -> None:
    import getpass
    import json

    pos_app.save_card("cust-audit")
    done = pos_app.run(
        "charge", "--customer-uid", "cust-audit", "--amount", "12000", "--name", "월회비"
    )
    assert done.returncode == 0, done.stderr
    merchant_uid = json.loads(done.stdout)["merchant_uid"]
    assert pos_app.run("journal", "--csv").returncode == 0
    with AuditTrail(pos_app.home / "audit.sqlite3") as trail:
        entries = trail.entries()
        assert trail.verify().ok
    charge, export = entries
    assert charge.person == f"system:{getpass.getuser()}" and charge.action == "charge"
    details = charge.detail_map()
    assert details["merchant_uid"] == merchant_uid and details["outcome"] == "paid"
    assert details["amount"] == 12000 and details["mode"] == "sandbox"
    assert export.action == "export" and export.detail_map()["what"] == "journal"


def test_anchor_outlives_the_whole_file(pos_app: PosApp, trail_path: Path) -> None:
    anchor = audit(pos_app, "verify").stdout.split("head ")[1].strip()
    trail_path.unlink()  # no staff file here: only the anchor knows there was a trail
    assert audit(pos_app, "verify").returncode == 0
    done = audit(pos_app, "verify", "--anchor", anchor)
    assert done.returncode == 1 and "missing" in done.stderr
